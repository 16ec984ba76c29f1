// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/verdict.h"
#include "lib/tdx/tdx_verify_int.h"

static const char *const item_names[TDX_ITEM_N] = {"tcb_info", "qe_identity", "pck_crl",
						   "root_crl"};
/* the verifier's checks that make an item trustworthy */
static const char *const item_checks[TDX_ITEM_N][4] = {
    {"tcb-signing", "tcb-info-signature", "tcb-info-validity", "fmspc"},
    {"tcb-signing", "qe-identity-signature", "qe-identity-validity", NULL},
    {"pck-crl", NULL},
    {"root-crl", NULL},
};
static const char *const chain_headers[TDX_ITEM_N] = {
    "TCB-Info-Issuer-Chain", "SGX-Enclave-Identity-Issuer-Chain", NULL, NULL};

const char *tdx_item_state_name(enum tdx_item_state s)
{
	static const char *const n[] = {"missing", "reused", "fetched", "refused", "failed"};

	return (unsigned)s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

void tdx_fetch_free(struct tdx_fetch *f)
{
	for (int i = 0; i < TDX_ITEM_N; i++) {
		free(f->item[i].data);
		free(f->item[i].chain);
		f->item[i].data = f->item[i].chain = NULL;
	}
}

static void blob(struct cgs_tdx_blob *b, const uint8_t *p, size_t n)
{
	b->data = p;
	b->len = n;
}

/* run the verifier on the items at hand; ok[i] says whether item i is trustworthy */
static enum cgs_err validate(struct tdx_fetch *f, const uint8_t *q, size_t qlen,
			     const struct tdx_fetch_opts *o, int ok[TDX_ITEM_N],
			     struct cgs_tdx_result *ret, struct cgs_diag *d)
{
	struct tdx_fetch_item *it = f->item;
	struct cgs_tdx_collateral c;
	struct cgs_tdx_policy p;
	struct cgs_tdx_verifier *v;
	enum cgs_err e;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	blob(&c.tcb_info, it[0].data, it[0].len);
	blob(&c.qe_identity, it[1].data, it[1].len);
	blob(&c.tcb_chain, it[0].chain ? it[0].chain : it[1].chain,
	     it[0].chain ? it[0].chain_len : it[1].chain_len);
	if (it[0].chain)
		blob(&c.qe_chain, it[1].chain, it[1].chain_len);
	blob(&c.pck_crl, it[2].data, it[2].len);
	blob(&c.root_crl, it[3].data, it[3].len);
	blob(&c.trusted_root, o->trusted_root, o->trusted_root_len);
	c.at = o->at;
	if ((e = tdx_verifier_new_lenient(&c, &v, d)))
		return e;
	e = cgs_tdx_verify_quote(v, q, qlen, &p, ret, d);
	cgs_tdx_verifier_free(v);
	for (int i = 0; !e && i < TDX_ITEM_N; i++) {
		ok[i] = it[i].data != NULL;
		for (int k = 0; k < 4 && item_checks[i][k] && ok[i]; k++) {
			const struct cgs_check *ch =
			    cgs_verdict_find(&ret->verdict, item_checks[i][k]);

			if (ch && (ch->result == CGS_CHECK_PASS || !strcmp(ch->actual, "revoked")))
				continue;
			ok[i] = 0;
			snprintf(it[i].reason, sizeof(it[i].reason), "%s: %s", item_checks[i][k],
				 ch ? ch->reason : "not run");
		}
	}
	if (e)
		return e;
	return CGS_OK;
}

/* PCS sends the issuer chain URL-encoded */
static uint8_t *url_decode(const char *s, size_t *ret_len)
{
	size_t n = strlen(s), j = 0;
	uint8_t *out = malloc(n + 1);
	unsigned x;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && sscanf(s + i + 1, "%2x", &x) == 1 &&
		    strspn(s + i + 1, "0123456789abcdefABCDEF") >= 2) {
			out[j++] = (uint8_t)x;
			i += 2;
		} else {
			out[j++] = (uint8_t)s[i];
		}
	}
	out[j] = '\0';
	*ret_len = j;
	return out;
}

static void set_places(struct tdx_fetch *f, const struct tdx_fetch_opts *o)
{
	const char *pcs = o->pcs_url ? o->pcs_url : TDX_PCS_URL;
	struct tdx_fetch_item *it = f->item;

	for (int i = 0; i < TDX_ITEM_N; i++)
		it[i].name = item_names[i];
	snprintf(it[0].rel, sizeof(it[0].rel), "intel/tdx/v4/tcb/%s.json", f->fmspc);
	snprintf(it[0].url, sizeof(it[0].url), "%s/tdx/certification/v4/tcb?fmspc=%s", pcs,
		 f->fmspc);
	snprintf(it[1].rel, sizeof(it[1].rel), "intel/tdx/v4/qe_identity.json");
	snprintf(it[1].url, sizeof(it[1].url), "%s/tdx/certification/v4/qe/identity", pcs);
	snprintf(it[2].rel, sizeof(it[2].rel), "intel/sgx/v4/pckcrl/%s.der", f->ca);
	snprintf(it[2].url, sizeof(it[2].url), "%s/sgx/certification/v4/pckcrl?ca=%s&encoding=der",
		 pcs, f->ca);
	snprintf(it[3].rel, sizeof(it[3].rel), "intel/sgx/root_ca_crl.der");
	snprintf(it[3].url, sizeof(it[3].url), "%s",
		 o->root_crl_url ? o->root_crl_url : TDX_ROOT_CRL_URL);
}

/* "intel/tdx/v4/tcb/X.json" -> "intel/tdx/v4/tcb/X.chain.pem" */
static void chain_rel(const char *rel, char *out, size_t len)
{
	const char *dot = strrchr(rel, '.');

	snprintf(out, len, "%.*s.chain.pem", (int)(dot - rel), rel);
}

static void load_cached(struct tdx_fetch_item *it, const struct cgs_cache *cache, int has_chain)
{
	char rel[200];

	if (cgs_cache_read(cache, it->rel, 1u << 20, &it->data, &it->len, NULL))
		return;
	chain_rel(it->rel, rel, sizeof(rel));
	if (has_chain && cgs_cache_read(cache, rel, 1u << 20, &it->chain, &it->chain_len, NULL)) {
		free(it->data);
		it->data = NULL;
	}
}

static enum cgs_err download(struct tdx_fetch_item *it, const char *header,
			     const struct tdx_fetch_opts *o, struct cgs_diag *d)
{
	char *hv = NULL;
	enum cgs_err e;

	free(it->data);
	free(it->chain);
	it->data = it->chain = NULL;
	e = cgs_net_get_header(it->url, &o->net, header, &it->data, &it->len, &hv, NULL, d);
	if (e)
		return e;
	if (header && !hv) {
		free(it->data);
		it->data = NULL;
		return cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
				    "the answer has no %s header", header);
	}
	if (hv) {
		it->chain = url_decode(hv, &it->chain_len);
		free(hv);
		if (!it->chain)
			return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
					    "out of memory");
	}
	return CGS_OK;
}

static enum cgs_err store(struct tdx_fetch_item *it, const struct cgs_cache *cache,
			  struct cgs_diag *d)
{
	char rel[200];
	enum cgs_err e = CGS_OK;

	if (it->chain) {
		chain_rel(it->rel, rel, sizeof(rel));
		e = cgs_cache_store(cache, rel, it->chain, it->chain_len, d);
	}
	return e ? e : cgs_cache_store(cache, it->rel, it->data, it->len, d);
}

/* FMSPC and PCK CA of the quote, from a first run with no collateral */
static enum cgs_err identify(struct tdx_fetch *f, const uint8_t *q, size_t len,
			     const struct tdx_fetch_opts *o, struct cgs_diag *d)
{
	struct cgs_tdx_result r;
	int ok[TDX_ITEM_N];
	enum cgs_err e = validate(f, q, len, o, ok, &r, d);

	if (e)
		return e;
	snprintf(f->fmspc, sizeof(f->fmspc), "%s", r.fmspc);
	snprintf(f->ca, sizeof(f->ca), "%s",
		 strstr(r.pck_ca, "Processor") ? "processor" : "platform");
	cgs_tdx_result_free(&r);
	if (!*f->fmspc)
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the quote's PCK certificate gives no FMSPC");
	return CGS_OK;
}

static enum cgs_err fetch_missing(struct tdx_fetch *f, const int ok[TDX_ITEM_N],
				  const struct tdx_fetch_opts *o, int fetched[TDX_ITEM_N])
{
	enum cgs_err worst = CGS_OK;

	for (int i = 0; i < TDX_ITEM_N; i++) {
		struct tdx_fetch_item *it = &f->item[i];
		struct cgs_diag nd;
		char buf[400];

		fetched[i] = 0;
		if (ok[i])
			continue;
		if (o->offline) {
			it->state = TDX_STATE_MISSING;
			if (!it->data)
				snprintf(it->reason, sizeof(it->reason),
					 "not in the cache (--offline)");
			worst = CGS_E_NETWORK;
			continue;
		}
		if (download(it, chain_headers[i], o, &nd)) {
			it->state = TDX_STATE_FAILED;
			snprintf(it->reason, sizeof(it->reason), "%s",
				 cgs_diag_format(&nd, buf, sizeof(buf)));
			worst = CGS_E_NETWORK;
			continue;
		}
		fetched[i] = 1;
	}
	return worst;
}

enum cgs_err tdx_fetch_run(const uint8_t *quote, size_t len, const struct tdx_fetch_opts *o,
			   const struct cgs_cache *cache, struct tdx_fetch *ret, struct cgs_diag *d)
{
	struct tdx_fetch *f = ret;
	struct cgs_tdx_result r;
	int ok[TDX_ITEM_N], fetched[TDX_ITEM_N];
	enum cgs_err e, worst;

	memset(f, 0, sizeof(*f));
	if ((e = identify(f, quote, len, o, d)))
		return e;
	set_places(f, o);
	for (int i = 0; i < TDX_ITEM_N; i++)
		load_cached(&f->item[i], cache, chain_headers[i] != NULL);
	if ((e = validate(f, quote, len, o, ok, &r, d)))
		return e;
	cgs_tdx_result_free(&r);
	for (int i = 0; i < TDX_ITEM_N; i++)
		if (ok[i])
			f->item[i].state = TDX_STATE_REUSED;
	worst = fetch_missing(f, ok, o, fetched);
	if ((e = validate(f, quote, len, o, ok, &r, d)))
		return e;
	cgs_tdx_result_free(&r);
	for (int i = 0; i < TDX_ITEM_N; i++) {
		if (!fetched[i])
			continue;
		if (!ok[i]) {
			f->item[i].state = TDX_STATE_REFUSED;
			worst = worst ? worst : CGS_E_VERIFY;
		} else if ((e = store(&f->item[i], cache, d))) {
			return e;
		} else {
			f->item[i].state = TDX_STATE_FETCHED;
			f->item[i].reason[0] = '\0';
		}
	}
	if (worst)
		return cgs_diag_set(d, worst, NULL, CGS_DIAG_NO_OFFSET,
				    "not all of the collateral is available");
	return CGS_OK;
}
