/* SPDX-License-Identifier: MIT */
/* Text encodings of bytes: lowercase hex and base64 (OpenSSL's encoder). */
#ifndef CGS_LIB_CORE_HEX_H
#define CGS_LIB_CORE_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

/* Write 2*len lowercase hex digits and a NUL to out (size >= 2*len+1). */
void cgs_hex_encode(const uint8_t *in, size_t len, char *out);

/* Allocate and return the hex string of in (NULL on out of memory). */
char *cgs_hex_strdup(const uint8_t *in, size_t len);

/*
 * Decode hex (either case, optional "0x" prefix, no separators) into out.
 * With exact != 0 the string must decode to exactly max bytes; otherwise to at
 * most max. CGS_E_USAGE on bad text (the caller names the option).
 */
enum cgs_err cgs_hex_decode(const char *in, uint8_t *out, size_t max, size_t *ret_len,
			    int exact);

/* Base64 (standard alphabet, with padding). out size >= 4*((len+2)/3)+1. */
void cgs_base64_encode(const uint8_t *in, size_t len, char *out);
size_t cgs_base64_encoded_len(size_t len);

/*
 * Decode base64 (whitespace ignored, padding required as usual) into a newly
 * allocated buffer. CGS_E_MALFORMED on bad text.
 */
enum cgs_err cgs_base64_decode(const char *in, size_t inlen, uint8_t **ret_out,
			       size_t *ret_len);

#endif
