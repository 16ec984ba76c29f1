// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the s390 host-key document loader (keys/ibmz_hkd: PEM or
 * DER, first certificate, secp521r1 key, through the -C bundle reader) and
 * the CRL bundle reader that --crl uses. They take a path: the input is written to one
 * memfd, created once, and read back through /proc/self/fd.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "keys/ibmz_hkd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static int put(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz_s390_hkd", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	struct cgs_diag d;
	EVP_PKEY *key = NULL;
	X509 *x = NULL;

	if (!crls || put(data, size))
		abort();
	if (ibmz_hkd_load(path, &x, &key, &d) == CGS_OK && (!x || !key))
		abort();
	EVP_PKEY_free(key);
	X509_free(x);
	(void)ibmz_load_crls(path, crls, 1, &d);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ERR_clear_error();
	return 0;
}
