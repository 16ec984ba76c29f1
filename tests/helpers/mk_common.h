/* SPDX-License-Identifier: MIT */
/*
 * Test helpers only, shared by the evidence makers (snp_mkreport,
 * tdx_mkquote): argument readers that exit 2 with "MK_PROG: what: arg", and
 * an ECDSA signature made with OpenSSL (EVP_DigestSign), returned as DER and
 * as the fixed-width R and S integers the evidence formats store (big-endian
 * for Intel, little-endian for AMD). Define MK_PROG before including.
 */
#ifndef CGS_TESTS_HELPERS_MK_COMMON_H
#define CGS_TESTS_HELPERS_MK_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "lib/core/cli.h"
#include "lib/core/hex.h"

static inline __attribute__((noreturn)) void die(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", MK_PROG, msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

/* hex of at most len bytes, zero-padded */
static inline void hexarg(const char *arg, uint8_t *out, size_t len)
{
	size_t n;

	memset(out, 0, len);
	if (cgs_hex_decode(arg, out, len, &n, 0))
		die("bad hex", arg);
}

static inline uint64_t num(const char *arg)
{
	uint64_t v;

	if (cgs_parse_u64(arg, &v))
		die("bad number", arg);
	return v;
}

/* 0 on success; der (at least 160 bytes) receives the DER form, *der_len its size. */
static inline int test_ecdsa_sign(EVP_PKEY *k, const EVP_MD *md, const uint8_t *data, size_t len,
				  uint8_t *der, size_t *der_len, uint8_t *r, uint8_t *s,
				  int width, int little_endian)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const unsigned char *p = der;
	ECDSA_SIG *es = NULL;
	int ok;

	*der_len = 160;
	ok = ctx && EVP_DigestSignInit(ctx, NULL, md, NULL, k) == 1 &&
	     EVP_DigestSign(ctx, der, der_len, data, len) == 1 &&
	     (es = d2i_ECDSA_SIG(NULL, &p, (long)*der_len)) != NULL;
	if (ok && little_endian)
		ok = BN_bn2lebinpad(ECDSA_SIG_get0_r(es), r, width) == width &&
		     BN_bn2lebinpad(ECDSA_SIG_get0_s(es), s, width) == width;
	else if (ok)
		ok = BN_bn2binpad(ECDSA_SIG_get0_r(es), r, width) == width &&
		     BN_bn2binpad(ECDSA_SIG_get0_s(es), s, width) == width;
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

#endif
