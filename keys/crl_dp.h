/* SPDX-License-Identifier: MIT */
/*
 * CRLs from the CRL distribution points of certificates (as IBM's genprotimg
 * and pvattest download them for host-key documents), through the collateral
 * cache: entry "crl/<SHA-256 of the URL in hex>.crl". A cached CRL is used
 * while current (nextUpdate in the future); otherwise, unless offline, it is
 * downloaded and checked before it enters the cache: it parses (DER or PEM),
 * its issuer is the certificate's issuer, it is current, and its signature
 * verifies when the issuer's certificate is among the given ones (else the
 * chain verification that uses it checks the signature). Only http:// and
 * https:// distribution points are used. Never prints.
 */
#ifndef CGS_KEYS_CRL_DP_H
#define CGS_KEYS_CRL_DP_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "lib/core/cache.h"
#include "lib/core/net.h"

struct crl_dp_opts {
	const struct cgs_cache *cache;
	const struct cgs_net_opts *net; /* NULL for the defaults */
	int offline;			/* never download: a CRL not in the cache is an error */
	time_t now;			/* 0 for now */
};

struct crl_dp_result {
	char **paths; /* cache files of the CRLs, one per distinct URL */
	size_t n;
	unsigned fetched, reused;
};

/* The http(s) CRL distribution point URLs of x into urls (at most max); returns the count. */
size_t crl_dp_urls(X509 *x, char **urls, size_t max);

/*
 * Obtain the CRLs named by the distribution points of every certificate in
 * certs (duplicates once). Errors: CGS_E_NETWORK (a download failed or its
 * answer was refused; the text says which URL and why), CGS_E_VERIFY when
 * offline and a CRL is not cached or is stale (the text has the hint),
 * CGS_E_IO (the cache cannot be written). On error ret is left empty.
 */
enum cgs_err crl_dp_fetch(STACK_OF(X509) * certs, const struct crl_dp_opts *o,
			  struct crl_dp_result *ret, struct cgs_diag *d);
void crl_dp_result_free(struct crl_dp_result *r);

#endif
