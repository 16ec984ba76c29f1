// SPDX-License-Identifier: MIT
/* CRLs from certificates' CRL distribution points, checked, through the cache. */
#include "keys/crl_dp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "lib/core/crypto.h"
#include "lib/core/hex.h"

#define CRL_DP_MAX_URLS 64
#define CRL_DP_MAX_SIZE (8u << 20) /* CRLs of large CAs are a few MiB */

static int http_url(const ASN1_IA5STRING *s)
{
	const char *p = (const char *)ASN1_STRING_get0_data(s);
	int n = ASN1_STRING_length(s);

	if (n <= 0 || memchr(p, '\0', (size_t)n))
		return 0;
	return (n > 7 && !strncmp(p, "http://", 7)) || (n > 8 && !strncmp(p, "https://", 8));
}

size_t crl_dp_urls(X509 *x, char **urls, size_t max)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	size_t n = 0;

	for (int i = 0; dps && i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);

		if (!dp->distpoint || dp->distpoint->type != 0)
			continue;
		for (int j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++) {
			GENERAL_NAME *g = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j);

			if (g->type != GEN_URI || !http_url(g->d.uniformResourceIdentifier) ||
			    n >= max)
				continue;
			urls[n] = strndup(
			    (const char *)ASN1_STRING_get0_data(g->d.uniformResourceIdentifier),
			    (size_t)ASN1_STRING_length(g->d.uniformResourceIdentifier));
			n += urls[n] != NULL;
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ERR_clear_error();
	return n;
}

static X509_CRL *crl_parse(const uint8_t *b, size_t len)
{
	const unsigned char *p = b;
	X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);
	BIO *bio;

	if (!crl && (bio = BIO_new_mem_buf(b, (int)len))) {
		crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	return crl;
}

static X509 *find_issuer(STACK_OF(X509) * certs, X509 *x)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);

		if (!X509_NAME_cmp(X509_get_subject_name(c), X509_get_issuer_name(x)) &&
		    X509_verify(x, X509_get0_pubkey(c)) == 1)
			return c;
	}
	ERR_clear_error();
	return NULL;
}

/* NULL if crl can be used for certificate x at now, else why not */
static const char *crl_problem(X509_CRL *crl, X509 *x, STACK_OF(X509) * certs, time_t now)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	X509 *issuer;

	if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(x)))
		return "the CRL is not issued by the certificate's issuer";
	if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &now) >= 0)
		return "the CRL is not yet valid";
	if (!next || X509_cmp_time(next, &now) <= 0)
		return "the CRL has expired (nextUpdate passed)";
	if ((issuer = find_issuer(certs, x)) &&
	    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
		ERR_clear_error();
		return "the CRL signature does not verify under the issuer's key";
	}
	return NULL;
}

/* whether the cache holds a usable copy (1), a stale or damaged one (-1), or none (0) */
static int cached(const struct crl_dp_opts *o, const char *rel, X509 *x, STACK_OF(X509) * certs,
		  time_t now, const char **ret_why)
{
	struct cgs_diag d;
	uint8_t *b;
	size_t len;
	X509_CRL *crl;

	if (cgs_cache_read(o->cache, rel, CRL_DP_MAX_SIZE, &b, &len, &d))
		return 0;
	crl = crl_parse(b, len);
	free(b);
	*ret_why = crl ? crl_problem(crl, x, certs, now) : "the cached copy is not a CRL";
	X509_CRL_free(crl);
	return *ret_why ? -1 : 1;
}

static enum cgs_err push_path(const struct crl_dp_opts *o, const char *rel, struct crl_dp_result *r,
			      struct cgs_diag *d)
{
	char **v = realloc(r->paths, (r->n + 1) * sizeof(*v));
	enum cgs_err e;

	if (!v)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	r->paths = v;
	if ((e = cgs_cache_path(o->cache, rel, &v[r->n], d)))
		return e;
	r->n++;
	return CGS_OK;
}

static enum cgs_err download(const struct crl_dp_opts *o, const char *url, const char *rel, X509 *x,
			     STACK_OF(X509) * certs, time_t now, struct cgs_diag *d)
{
	struct cgs_net_opts net;
	const char *why;
	X509_CRL *crl;
	uint8_t *b;
	size_t len;
	enum cgs_err e;

	if (o->net)
		net = *o->net;
	else
		cgs_net_opts_default(&net);
	net.max_body = CRL_DP_MAX_SIZE;
	if ((e = cgs_net_get(url, &net, &b, &len, NULL, d))) {
		char text[sizeof(d->text)];

		snprintf(text, sizeof(text), "%s", d->text);
		return cgs_diag_set(d, e, "crl", CGS_DIAG_NO_OFFSET,
				    "cannot download the CRL '%s': %s", url, text);
	}
	crl = crl_parse(b, len);
	why = crl ? crl_problem(crl, x, certs, now) : "not a CRL (DER or PEM)";
	X509_CRL_free(crl);
	if (why)
		e = cgs_diag_set(d, CGS_E_NETWORK, "crl", CGS_DIAG_NO_OFFSET,
				 "refused the CRL from '%s': %s (not cached)", url, why);
	else
		e = cgs_cache_store(o->cache, rel, b, len, d);
	free(b);
	return e;
}

static enum cgs_err one_url(const struct crl_dp_opts *o, const char *url, X509 *x,
			    STACK_OF(X509) * certs, time_t now, struct crl_dp_result *r,
			    struct cgs_diag *d)
{
	uint8_t h[32];
	char rel[80], hex[65], cn[128] = "?";
	const char *why = NULL;
	size_t hl;
	enum cgs_err e;
	int st;

	if ((e = cgs_digest("SHA256", url, strlen(url), h, &hl, d)))
		return e;
	cgs_hex_encode(h, 32, hex);
	snprintf(rel, sizeof(rel), "crl/%s.crl", hex);
	st = o->cache ? cached(o, rel, x, certs, now, &why) : 0;
	if (st == 1 && o->cache) {
		r->reused++;
		return push_path(o, rel, r, d);
	}
	if (o->offline) {
		X509_NAME_get_text_by_NID(X509_get_issuer_name(x), NID_commonName, cn, sizeof(cn));
		return cgs_diag_set(d, CGS_E_VERIFY, "crl", CGS_DIAG_NO_OFFSET,
				    "the CRL of '%s' is %s and --offline forbids downloading it "
				    "from '%s' (give it with --crl FILE)",
				    cn, st ? "stale in the cache" : "not in the cache", url);
	}
	if (!o->cache)
		return cgs_diag_set(
		    d, CGS_E_USAGE, "crl", CGS_DIAG_NO_OFFSET,
		    "no cache directory for the CRL '%s': neither XDG_CACHE_HOME nor "
		    "HOME is set (give --cache DIR, or the CRLs with --crl)",
		    url);
	if ((e = download(o, url, rel, x, certs, now, d)))
		return e;
	r->fetched++;
	return push_path(o, rel, r, d);
}

static enum cgs_err cert_urls(const struct crl_dp_opts *o, X509 *x, STACK_OF(X509) * certs,
			      time_t now, char **seen, size_t *n_seen, struct crl_dp_result *r,
			      struct cgs_diag *d)
{
	char *urls[8];
	size_t n = crl_dp_urls(x, urls, 8);
	enum cgs_err e = CGS_OK;

	for (size_t i = 0; i < n; i++) {
		int dup = 0;

		for (size_t j = 0; j < *n_seen && !dup; j++)
			dup = !strcmp(seen[j], urls[i]);
		if (!e && !dup && *n_seen < CRL_DP_MAX_URLS) {
			e = one_url(o, urls[i], x, certs, now, r, d);
			seen[(*n_seen)++] = urls[i];
			urls[i] = NULL;
		}
		free(urls[i]);
	}
	return e;
}

enum cgs_err crl_dp_fetch(STACK_OF(X509) * certs, const struct crl_dp_opts *o,
			  struct crl_dp_result *ret, struct cgs_diag *d)
{
	struct crl_dp_result r = {NULL, 0, 0, 0};
	char *seen[CRL_DP_MAX_URLS];
	size_t n_seen = 0;
	time_t now = o->now ? o->now : time(NULL);
	enum cgs_err e = CGS_OK;

	for (int i = 0; i < sk_X509_num(certs) && !e; i++)
		e = cert_urls(o, sk_X509_value(certs, i), certs, now, seen, &n_seen, &r, d);
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	if (e) {
		crl_dp_result_free(&r);
		return e;
	}
	*ret = r;
	return CGS_OK;
}

void crl_dp_result_free(struct crl_dp_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->paths[i]);
	free(r->paths);
	memset(r, 0, sizeof(*r));
}
