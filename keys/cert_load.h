/* SPDX-License-Identifier: MIT */
/*
 * The one loader of certificate bundles and CRLs: PEM (any number of
 * CERTIFICATE and X509 CRL blocks, in order), or DER (one certificate, one
 * CRL, or a PkiPath: a SEQUENCE OF Certificate). OpenSSL parses everything.
 * Used by the AMD chain (keys/amd_chain); general enough for any mechanism.
 */
#ifndef CGS_KEYS_CERT_LOAD_H
#define CGS_KEYS_CERT_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "lib/core/err.h"

/* Largest certificate or CRL file read (1 MiB). */
#define CGS_CERT_FILE_MAX (1u << 20)

/*
 * Append the certificates of buf to certs and its CRLs to crls, in file
 * order. With certs == NULL only CRLs are accepted (a file without one is
 * CGS_E_MALFORMED); with crls == NULL a CRL is refused. On error nothing is
 * appended.
 */
enum cgs_err cgs_certs_load_mem(const uint8_t *buf, size_t len, STACK_OF(X509) * certs,
				STACK_OF(X509_CRL) * crls, struct cgs_diag *d);

/* The same from a file (bounded to CGS_CERT_FILE_MAX; "-" is standard input). */
enum cgs_err cgs_certs_load_file(const char *path, STACK_OF(X509) * certs,
				 STACK_OF(X509_CRL) * crls, struct cgs_diag *d);

#endif
