// SPDX-License-Identifier: MIT
/* SEV-SNP collateral from AMD KDS: fetched, validated, then cached. */
#include "lib/snp/snp_fetch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/core/hex.h"

const char *snp_item_state_name(enum snp_item_state s)
{
	static const char *const n[] = {"missing", "reused", "fetched",	    "stale",
					"refused", "failed", "unavailable", "blocked"};

	return s <= SNP_STATE_BLOCKED ? n[s] : "?";
}

struct ctx {
	const struct cgs_cache *cache;
	const struct snp_report *r;
	const struct snp_product *p;
	const struct snp_fetch_opts *o;
	struct cgs_net_opts net;
	struct snp_fetch *f;
	uint8_t *chain; /* the validated cert_chain */
	size_t chain_len;
};

static void entry_set(struct snp_fetch_entry *e, enum snp_item_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void entry_set(struct snp_fetch_entry *e, enum snp_item_state s, const char *fmt, ...)
{
	va_list ap;

	e->state = s;
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static void vcek_names(struct ctx *x, const char *kds, struct snp_fetch_entry *e)
{
	const struct snp_product *p = x->p;
	const struct snp_tcb_comp *c;
	char hwid[129], tcb[128] = "", query[192] = "";
	size_t n, lt = 0, lq = 0;

	cgs_hex_encode(x->r->chip_id, p->hwid_len, hwid);
	c = snp_tcb_components(p->layout, &n);
	/* KDS names the parameters <component>SPL; Turin's fmc comes first */
	for (size_t i = 0; i < n; i++) {
		int v = snp_tcb_get(x->r->reported_tcb, p->layout, c[i].name);

		lt += (size_t)snprintf(tcb + lt, sizeof(tcb) - lt, "%s%s%d", i ? "-" : "",
				       c[i].name, v);
		lq += (size_t)snprintf(query + lq, sizeof(query) - lq, "%c%sSPL=%d", i ? '&' : '?',
				       c[i].name, v);
	}
	snprintf(e->rel, sizeof(e->rel), "amd/vcek/v1/%s/%s/%s.der", p->kds_name, hwid, tcb);
	snprintf(e->url, sizeof(e->url), "%s/vcek/v1/%s/%s%s", kds, p->kds_name, hwid, query);
}

static void set_names(struct ctx *x)
{
	struct snp_fetch *f = x->f;
	const char *kind = f->vlek ? "vlek" : "vcek", *line = x->p->kds_name;
	char kds[256];
	size_t n;

	snprintf(kds, sizeof(kds), "%s", x->o->kds ? x->o->kds : SNP_KDS_URL);
	n = strlen(kds);
	while (n && kds[n - 1] == '/')
		kds[--n] = '\0';
	f->item[SNP_ITEM_CHAIN].name = "cert_chain";
	snprintf(f->item[SNP_ITEM_CHAIN].rel, sizeof(f->item[0].rel), "amd/%s/v1/%s/cert_chain.pem",
		 kind, line);
	snprintf(f->item[SNP_ITEM_CHAIN].url, sizeof(f->item[0].url), "%s/%s/v1/%s/cert_chain", kds,
		 kind, line);
	f->item[SNP_ITEM_CRL].name = "crl";
	snprintf(f->item[SNP_ITEM_CRL].rel, sizeof(f->item[0].rel), "amd/%s/v1/%s/crl.der", kind,
		 line);
	snprintf(f->item[SNP_ITEM_CRL].url, sizeof(f->item[0].url), "%s/%s/v1/%s/crl", kds, kind,
		 line);
	f->item[SNP_ITEM_VEK].name = kind;
	if (f->vlek)
		entry_set(&f->item[SNP_ITEM_VEK], SNP_STATE_UNAVAILABLE,
			  "AMD serves VLEKs to the cloud provider only: the VLEK must come with "
			  "the evidence (--vlek or --cert-table)");
	else if (all_zero(x->r->chip_id, sizeof(x->r->chip_id)))
		entry_set(&f->item[SNP_ITEM_VEK], SNP_STATE_UNAVAILABLE,
			  "CHIP_ID is masked (zero): the VCEK cannot be looked up and must come "
			  "with the evidence (--vcek or --cert-table)");
	else
		vcek_names(x, kds, &f->item[SNP_ITEM_VEK]);
}

/* a fresh set of certificates with the caller's anchor, if any */
static enum cgs_err certs_start(const struct ctx *x, struct amd_certs *c, char *why, size_t n)
{
	struct cgs_diag d;
	enum cgs_err e;

	amd_certs_init(c);
	cgs_diag_clear(&d);
	if (x->o->trusted_ark && (e = amd_certs_set_trusted_ark(c, x->o->trusted_ark, &d))) {
		snprintf(why, n, "cannot load the trusted ARK '%s': %s", x->o->trusted_ark, d.text);
		return e;
	}
	return CGS_OK;
}

static int load_into(struct amd_certs *c, const uint8_t *b, size_t len, enum amd_role force,
		     const char *what, char *why, size_t n)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (amd_certs_load_mem(c, b, len, force, &d) == CGS_OK)
		return 0;
	if (len && (b[0] == '<' || (len > 1 && b[0] == '\n' && b[1] == '<')))
		snprintf(why, n, "not %s: the server sent HTML", what);
	else
		snprintf(why, n, "not %s: %s", what, d.text);
	return -1;
}

typedef int (*validate_fn)(struct ctx *x, const uint8_t *b, size_t len, char *why, size_t n);

/* the cert_chain: the pinned (or trusted) ARK and the ASK/ASVK it signed */
static int validate_chain(struct ctx *x, const uint8_t *b, size_t len, char *why, size_t n)
{
	struct amd_certs c;
	struct amd_chain ch;
	struct cgs_diag d;
	int rc = -1;

	if (certs_start(x, &c, why, n) ||
	    load_into(&c, b, len, AMD_ROLE_UNKNOWN, "a PEM certificate chain", why, n))
		goto out;
	if (c.n != 2 || c.n_crls) {
		snprintf(why, n, "expected the %s and the ARK, found %zu certificates and %zu CRLs",
			 x->f->vlek ? "ASVK" : "ASK", c.n, c.n_crls);
		goto out;
	}
	amd_chain_check(&c, x->p->kds_name, x->f->vlek, x->o->now, &ch, &d);
	if (ch.ark_step.status != AMD_PASS)
		snprintf(why, n, "%s", ch.ark_step.reason);
	else if (ch.ica_step.status != AMD_PASS)
		snprintf(why, n, "%s", ch.ica_step.reason);
	else if (c.trusted_ark && X509_cmp(c.trusted_ark, c.certs[0].x) &&
		 X509_cmp(c.trusted_ark, c.certs[1].x))
		snprintf(why, n, "its ARK is not the trusted ARK");
	else
		rc = 0;
out:
	amd_certs_free(&c);
	return rc;
}

/* the validated chain plus b: fills ch (borrowing from c) */
static int with_chain(struct ctx *x, struct amd_certs *c, const uint8_t *b, size_t len,
		      enum amd_role force, const char *what, struct amd_chain *ch, char *why,
		      size_t n)
{
	struct cgs_diag d;

	if (certs_start(x, c, why, n) ||
	    load_into(c, x->chain, x->chain_len, AMD_ROLE_UNKNOWN, "a chain", why, n) ||
	    load_into(c, b, len, force, what, why, n))
		return -1;
	amd_chain_check(c, x->p->kds_name, x->f->vlek, x->o->now, ch, &d);
	return 0;
}

static int vcek_matches(struct ctx *x, X509 *vek, char *why, size_t n)
{
	const struct snp_product *p = x->p;
	struct amd_vek_info v;
	const struct snp_tcb_comp *c;
	struct cgs_diag d;
	char got[33], want[33];
	size_t nc;

	cgs_diag_clear(&d);
	if (amd_vek_info_get(vek, &v, &d))
		return snprintf(why, n, "bad VCEK extension: %s", d.text), -1;
	if (v.hwid_len != p->hwid_len || memcmp(v.hwid, x->r->chip_id, p->hwid_len)) {
		cgs_hex_encode(v.hwid, v.hwid_len < 16 ? v.hwid_len : 16, got);
		cgs_hex_encode(x->r->chip_id, 16, want);
		return snprintf(why, n, "the VCEK is for another chip (hwID %s..., CHIP_ID %s...)",
				got, want),
		       -1;
	}
	c = snp_tcb_components(p->layout, &nc);
	for (size_t i = 0; i < nc; i++) {
		int want_v = snp_tcb_get(x->r->reported_tcb, p->layout, c[i].name);
		int idx = amd_spl_index(c[i].name);

		if (!idx || v.spl[idx] != want_v)
			return snprintf(why, n,
					"the VCEK's %sSPL is %d, the report's REPORTED_TCB has %d",
					c[i].name, idx ? v.spl[idx] : -1, want_v),
			       -1;
	}
	return 0;
}

/* the VCEK: one certificate, signed by the chain's ASK, of this chip and TCB */
static int validate_vcek(struct ctx *x, const uint8_t *b, size_t len, char *why, size_t n)
{
	struct amd_certs c;
	struct amd_chain ch;
	int rc = -1;

	if (with_chain(x, &c, b, len, AMD_ROLE_VCEK, "a DER VCEK certificate", &ch, why, n))
		goto out;
	if (c.n != 3 || c.n_crls)
		snprintf(why, n, "expected one VCEK certificate");
	else if (ch.vek_step.status != AMD_PASS)
		snprintf(why, n, "%s", ch.vek_step.reason);
	else
		rc = vcek_matches(x, ch.vek, why, n);
out:
	amd_certs_free(&c);
	return rc;
}

/* the CRL: one CRL issued and signed by the chain's ARK, current */
static int validate_crl(struct ctx *x, const uint8_t *b, size_t len, char *why, size_t n)
{
	struct amd_certs c;
	struct amd_chain ch;
	const char *p;
	int rc = -1;

	if (with_chain(x, &c, b, len, AMD_ROLE_UNKNOWN, "a DER CRL", &ch, why, n))
		goto out;
	if (c.n != 2 || c.n_crls != 1)
		snprintf(why, n, "expected one CRL");
	else if (!ch.ark)
		snprintf(why, n, "no trusted ARK");
	else if (X509_NAME_cmp(X509_CRL_get_issuer(c.crls[0]), X509_get_subject_name(ch.ark)))
		snprintf(why, n, "the CRL is not issued by ARK-%s", x->p->kds_name);
	else if ((p = amd_crl_problem(c.crls[0], ch.ark, x->o->now)))
		snprintf(why, n, "%s", p);
	else
		rc = 0;
out:
	amd_certs_free(&c);
	return rc;
}

#define SNP_FETCH_MAX (1u << 20) /* KDS answers are a few KiB; as the download limit */

static void fetch_store(struct ctx *x, struct snp_fetch_entry *e, validate_fn fn, const char *stale,
			uint8_t **ret_b, size_t *ret_len)
{
	struct cgs_diag d;
	char why[400];
	uint8_t *b;
	size_t len;

	cgs_diag_clear(&d);
	if ((e->err = cgs_net_get(e->url, &x->net, &b, &len, NULL, &d)))
		return entry_set(e, SNP_STATE_FAILED, "%s", d.text);
	if (fn(x, b, len, why, sizeof(why))) {
		free(b);
		e->err = CGS_E_NETWORK;
		return entry_set(e, SNP_STATE_REFUSED, "%s", why);
	}
	if ((e->err = cgs_cache_store(x->cache, e->rel, b, len, &d))) {
		free(b);
		return entry_set(e, SNP_STATE_FAILED, "%s", d.text);
	}
	entry_set(e, SNP_STATE_FETCHED, "%s%s", stale[0] ? "replaced the cached copy: " : "",
		  stale);
	*ret_b = b;
	*ret_len = len;
}

/* reuse the cached copy if valid, else (unless offline) fetch, validate and store */
static void obtain(struct ctx *x, enum snp_item idx, validate_fn fn, int keep)
{
	struct snp_fetch_entry *e = &x->f->item[idx];
	struct cgs_diag d;
	uint8_t *b = NULL;
	size_t len = 0;
	char why[400] = "";
	enum cgs_err err;

	cgs_diag_clear(&d);
	err = cgs_cache_read(x->cache, e->rel, SNP_FETCH_MAX, &b, &len, &d);
	if (!err && !fn(x, b, len, why, sizeof(why))) {
		e->state = SNP_STATE_REUSED;
	} else if (!err || err == CGS_E_NOINPUT || err == CGS_E_MALFORMED) {
		free(b);
		b = NULL;
		if (!x->o->offline)
			fetch_store(x, e, fn, err ? "" : why, &b, &len);
		else if (err == CGS_E_NOINPUT)
			entry_set(
			    e, SNP_STATE_MISSING,
			    "not in the cache (fetch it with 'cgs-verify snp fetch' or --fetch)");
		else
			entry_set(e, SNP_STATE_STALE, "%s (refresh it with --fetch)",
				  err ? d.text : why);
	} else {
		e->err = err;
		entry_set(e, SNP_STATE_FAILED, "%s", d.text);
	}
	if (keep && (e->state == SNP_STATE_REUSED || e->state == SNP_STATE_FETCHED)) {
		x->chain = b;
		x->chain_len = len;
	} else {
		free(b);
	}
}

enum cgs_err snp_fetch_collateral(const struct cgs_cache *c, const struct snp_report *r,
				  const struct snp_product *p, const struct snp_fetch_opts *o,
				  struct snp_fetch *ret, struct cgs_diag *d)
{
	struct ctx x = {c, r, p, o, {0}, ret, NULL, 0};
	static const enum snp_item rest[] = {SNP_ITEM_VEK, SNP_ITEM_CRL};

	memset(ret, 0, sizeof(*ret));
	ret->vlek = snp_report_signing_key(r) == SNP_SIGNER_VLEK;
	if (o->net)
		x.net = *o->net;
	else
		cgs_net_opts_default(&x.net);
	set_names(&x);
	obtain(&x, SNP_ITEM_CHAIN, validate_chain, 1);
	for (size_t i = 0; i < 2; i++) {
		struct snp_fetch_entry *e = &ret->item[rest[i]];

		if (e->state == SNP_STATE_UNAVAILABLE)
			continue;
		if (!x.chain)
			entry_set(e, SNP_STATE_BLOCKED,
				  "no valid cert_chain to validate it against");
		else
			obtain(&x, rest[i], rest[i] == SNP_ITEM_VEK ? validate_vcek : validate_crl,
			       0);
	}
	free(x.chain);
	for (size_t i = 0; i < SNP_ITEM_N; i++) {
		const struct snp_fetch_entry *e = &ret->item[i];

		if (e->state == SNP_STATE_FAILED || e->state == SNP_STATE_REFUSED)
			return cgs_diag_set(d, e->err, e->name, CGS_DIAG_NO_OFFSET, "%s",
					    e->reason);
	}
	return CGS_OK;
}

/* load path into certs if it exists; *ret_found set when loaded */
static enum cgs_err load_if(struct amd_certs *certs, const char *path, enum amd_role role,
			    int *ret_found, struct cgs_diag *d)
{
	enum cgs_err e;

	if (access(path, R_OK))
		return CGS_OK;
	if ((e = amd_certs_load_file(certs, path, role, d)))
		return e;
	if (ret_found)
		*ret_found = 1;
	return CGS_OK;
}

/* trustee's offline VCEK store: vcek/HWID/bl02_tee00_snp06_ucode21[_fmc01]_vcek.der or vcek.der */
static enum cgs_err load_trustee(const struct cgs_cache *c, const struct snp_report *r,
				 const struct snp_product *p, struct amd_certs *certs, int *found,
				 struct cgs_diag *d)
{
	static const char *const order[] = {"bl", "tee", "snp", "ucode", "fmc"};
	char hwid[129], tcb[96] = "", path[4096];
	size_t l = 0;
	enum cgs_err e;

	cgs_hex_encode(r->chip_id, p->hwid_len, hwid);
	for (size_t i = 0; i < 5; i++) {
		int v = snp_tcb_get(r->reported_tcb, p->layout, order[i]);

		if (v >= 0)
			l += (size_t)snprintf(tcb + l, sizeof(tcb) - l, "%s%s%02d", l ? "_" : "",
					      order[i], v);
	}
	snprintf(path, sizeof(path), "%s/vcek/%s/%s_vcek.der", c->dir, hwid, tcb);
	if ((e = load_if(certs, path, AMD_ROLE_VCEK, found, d)) || *found)
		return e;
	snprintf(path, sizeof(path), "%s/vcek/%s/vcek.der", c->dir, hwid);
	return load_if(certs, path, AMD_ROLE_VCEK, found, d);
}

/* snpguest's certificate directory: ark, ask/asvk, vcek/vlek and crl as .pem or .der */
static enum cgs_err load_snpguest(const struct cgs_cache *c, const struct snp_fetch *f,
				  int need_vek, int need_chain, int need_crl,
				  struct amd_certs *certs, struct cgs_diag *d)
{
	const char *names[6];
	size_t n = 0;
	enum cgs_err e = CGS_OK;

	if (need_chain) {
		names[n++] = "ark";
		names[n++] = f->vlek ? "asvk" : "ask";
	}
	if (need_vek)
		names[n++] = f->vlek ? "vlek" : "vcek";
	if (need_crl)
		names[n++] = "crl";
	for (size_t i = 0; i < n && !e; i++) {
		enum amd_role role = !strcmp(names[i], "vcek")	 ? AMD_ROLE_VCEK
				     : !strcmp(names[i], "vlek") ? AMD_ROLE_VLEK
								 : AMD_ROLE_UNKNOWN;
		char path[4096];
		int found = 0;

		snprintf(path, sizeof(path), "%s/%s.pem", c->dir, names[i]);
		if (!(e = load_if(certs, path, role, &found, d)) && !found) {
			snprintf(path, sizeof(path), "%s/%s.der", c->dir, names[i]);
			e = load_if(certs, path, role, NULL, d);
		}
	}
	return e;
}

enum cgs_err snp_fetch_load(const struct cgs_cache *c, const struct snp_fetch *f,
			    const struct snp_report *r, const struct snp_product *p,
			    struct amd_certs *certs, struct cgs_diag *d)
{
	int have[SNP_ITEM_N] = {0};
	enum cgs_err err = CGS_OK;

	for (size_t i = 0; i < SNP_ITEM_N && !err; i++) {
		const struct snp_fetch_entry *e = &f->item[i];
		enum amd_role role = i == SNP_ITEM_VEK ? AMD_ROLE_VCEK : AMD_ROLE_UNKNOWN;
		char *path;

		if (!e->rel[0] || e->state == SNP_STATE_MISSING)
			continue;
		if ((err = cgs_cache_path(c, e->rel, &path, d)))
			return err;
		err = load_if(certs, path, role, &have[i], d);
		free(path);
	}
	/* the layouts of other tools' caches, for what the cgs layout lacks */
	if (!err && !have[SNP_ITEM_VEK] && !f->vlek && p)
		err = load_trustee(c, r, p, certs, &have[SNP_ITEM_VEK], d);
	if (!err)
		err = load_snpguest(c, f, !have[SNP_ITEM_VEK], !have[SNP_ITEM_CHAIN],
				    !have[SNP_ITEM_CRL], certs, d);
	return err;
}

enum cgs_err snp_collateral_load(const struct snp_collateral_opts *o, const struct snp_report *r,
				 const struct snp_product *p, struct amd_certs *certs,
				 const char **ret_where, struct cgs_diag *d)
{
	struct snp_fetch_opts fo = {o->kds, o->trusted_ark, o->net, time(NULL), !o->fetch};
	struct snp_fetch f;
	struct cgs_cache c;
	enum cgs_err e;

	*ret_where = o->cache;
	if ((e = cgs_cache_open(&c, o->cache, o->fetch, d)))
		return e;
	if (!p) { /* no product, no KDS paths: only the other tools' layouts can help */
		memset(&f, 0, sizeof(f));
		f.vlek = snp_report_signing_key(r) == SNP_SIGNER_VLEK;
		e = snp_fetch_load(&c, &f, r, NULL, certs, d);
		cgs_cache_close(&c);
		return e;
	}
	e = snp_fetch_collateral(&c, r, p, &fo, &f, d);
	if (!e)
		e = snp_fetch_load(&c, &f, r, p, certs, d);
	cgs_cache_close(&c);
	return e;
}
