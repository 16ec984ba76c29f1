// SPDX-License-Identifier: MIT
/* AMD SEV-SNP certificate loading, chain, CRL, VEK extensions, report signature. */
#define _GNU_SOURCE
#include "keys/amd_chain.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "keys/amd_ark.h"
#include "keys/cert_load.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/rfc3339.h"

#define AMD_ARC "1.3.6.1.4.1.3704.1."

const char *amd_role_name(enum amd_role role)
{
	static const char *const names[] = {"certificate", "ARK", "ASK", "ASVK", "VCEK", "VLEK"};

	return role <= AMD_ROLE_VLEK ? names[role] : "certificate";
}

void amd_certs_init(struct amd_certs *c)
{
	memset(c, 0, sizeof(*c));
}

void amd_certs_free(struct amd_certs *c)
{
	for (size_t i = 0; i < c->n; i++)
		X509_free(c->certs[i].x);
	for (size_t i = 0; i < c->n_crls; i++)
		X509_CRL_free(c->crls[i]);
	free(c->certs);
	free(c->crls);
	X509_free(c->trusted_ark);
	memset(c, 0, sizeof(*c));
}

void amd_cert_cn(X509 *x, char *buf, size_t len)
{
	buf[0] = '\0';
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, (int)len) < 0)
		buf[0] = '\0';
}

static enum amd_role role_from_cn(X509 *x)
{
	char cn[64];

	amd_cert_cn(x, cn, sizeof(cn));
	if (!strncmp(cn, "ARK-", 4))
		return AMD_ROLE_ARK;
	if (!strcmp(cn, "SEV-VCEK"))
		return AMD_ROLE_VCEK;
	if (!strcmp(cn, "SEV-VLEK"))
		return AMD_ROLE_VLEK;
	if (!strncmp(cn, "SEV-VLEK-", 9))
		return AMD_ROLE_ASVK;
	if (!strncmp(cn, "SEV-", 4))
		return AMD_ROLE_ASK;
	return AMD_ROLE_UNKNOWN;
}

/* takes ownership of x */
static enum cgs_err add_cert(struct amd_certs *c, X509 *x, enum amd_role force, struct cgs_diag *d)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct amd_cert *n = realloc(c->certs, cap * sizeof(*n));

		if (!n) {
			X509_free(x);
			return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
					    "out of memory");
		}
		c->certs = n;
		c->cap = cap;
	}
	c->certs[c->n].x = x;
	c->certs[c->n].forced = force != AMD_ROLE_UNKNOWN;
	c->certs[c->n].role = force != AMD_ROLE_UNKNOWN ? force : role_from_cn(x);
	c->n++;
	return CGS_OK;
}

static enum cgs_err add_crl(struct amd_certs *c, X509_CRL *crl, struct cgs_diag *d)
{
	if (c->n_crls == c->cap_crls) {
		size_t cap = c->cap_crls ? 2 * c->cap_crls : 4;
		X509_CRL **n = realloc(c->crls, cap * sizeof(*n));

		if (!n) {
			X509_CRL_free(crl);
			return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
					    "out of memory");
		}
		c->crls = n;
		c->cap_crls = cap;
	}
	c->crls[c->n_crls++] = crl;
	return CGS_OK;
}

/* Move what the one loader (keys/cert_load) found into c; the first certificate gets force. */
static enum cgs_err take(struct amd_certs *c, STACK_OF(X509) * xs, STACK_OF(X509_CRL) * crls,
			 enum amd_role force, struct cgs_diag *d)
{
	enum cgs_err e = CGS_OK;

	for (int i = 0; i < sk_X509_num(xs); i++)
		if (e)
			X509_free(sk_X509_value(xs, i));
		else
			e = add_cert(c, sk_X509_value(xs, i), i == 0 ? force : AMD_ROLE_UNKNOWN, d);
	for (int i = 0; i < sk_X509_CRL_num(crls); i++)
		if (e)
			X509_CRL_free(sk_X509_CRL_value(crls, i));
		else
			e = add_crl(c, sk_X509_CRL_value(crls, i), d);
	sk_X509_free(xs); /* add_cert/add_crl own (or freed) every element */
	sk_X509_CRL_free(crls);
	return e;
}

static enum cgs_err load(struct amd_certs *c, const uint8_t *buf, size_t len, const char *path,
			 enum amd_role force, int crls_only, struct cgs_diag *d)
{
	STACK_OF(X509) *xs = crls_only ? NULL : sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	enum cgs_err e;

	if ((!crls_only && !xs) || !crls) {
		sk_X509_free(xs);
		sk_X509_CRL_free(crls);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	e = path ? cgs_certs_load_file(path, xs, crls, d) : cgs_certs_load_mem(buf, len, xs, crls, d);
	if (e) {
		sk_X509_free(xs);
		sk_X509_CRL_free(crls);
		return e;
	}
	return take(c, xs, crls, force, d);
}

enum cgs_err amd_certs_load_mem(struct amd_certs *c, const uint8_t *buf, size_t len,
				enum amd_role force, struct cgs_diag *d)
{
	return load(c, buf, len, NULL, force, 0, d);
}

enum cgs_err amd_certs_load_file(struct amd_certs *c, const char *path, enum amd_role force,
				 struct cgs_diag *d)
{
	return load(c, NULL, 0, path, force, 0, d);
}

enum cgs_err amd_certs_load_crl_file(struct amd_certs *c, const char *path, struct cgs_diag *d)
{
	return load(c, NULL, 0, path, AMD_ROLE_UNKNOWN, 1, d);
}

static int cert_file_name(const char *n)
{
	static const char *const exts[] = {".pem", ".der", ".crt", ".cer", ".crl", ".cert"};
	size_t l = strlen(n);

	if (!strcmp(n, "cert_chain") || !strcmp(n, "crl"))
		return 1;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t el = strlen(exts[i]);

		if (l > el && !strcasecmp(n + l - el, exts[i]))
			return 1;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum cgs_err amd_certs_load_dir(struct amd_certs *c, const char *dir, struct cgs_diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char *names[256];
	size_t n = 0;
	enum cgs_err e = CGS_OK;

	if (!dp)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				    "cannot open directory");
	while ((de = readdir(dp)) && n < 256)
		if (de->d_name[0] != '.' && cert_file_name(de->d_name))
			if (!(names[n++] = strdup(de->d_name)))
				e = CGS_E_NOMEM;
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < n && !e; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if ((e = amd_certs_load_file(c, path, AMD_ROLE_UNKNOWN, d)))
			snprintf(d->field, sizeof(d->field), "%s", names[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (e == CGS_E_NOMEM)
		return cgs_diag_set(d, e, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	return e;
}

enum cgs_err amd_certs_load_table(struct amd_certs *c, const uint8_t *buf, size_t len,
				  const struct snp_certtable *t, struct cgs_diag *d)
{
	enum cgs_err e;

	(void)len;
	for (size_t i = 0; i < t->n; i++) {
		const struct snp_cert_entry *en = &t->e[i];
		const uint8_t *p = buf + en->offset;
		enum amd_role force = AMD_ROLE_UNKNOWN;

		if (en->kind == SNP_CERT_UNKNOWN || en->kind == SNP_CERT_EXTRA_PLATFORM_INFO ||
		    en->length == 0)
			continue;
		if (en->kind == SNP_CERT_VCEK)
			force = AMD_ROLE_VCEK;
		else if (en->kind == SNP_CERT_VLEK)
			force = AMD_ROLE_VLEK;
		e = amd_certs_load_mem(c, p, en->length, force, d);
		if (e) {
			snprintf(d->field, sizeof(d->field), "%s", snp_cert_kind_name(en->kind));
			d->offset = en->offset;
			return e;
		}
	}
	return CGS_OK;
}

enum cgs_err amd_certs_set_trusted_ark(struct amd_certs *c, const char *path, struct cgs_diag *d)
{
	struct amd_certs tmp;
	enum cgs_err e;

	amd_certs_init(&tmp);
	e = amd_certs_load_file(&tmp, path, AMD_ROLE_ARK, d);
	if (!e && tmp.n != 1)
		e = cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				 "expected exactly one certificate, found %zu", tmp.n);
	if (!e) {
		X509_free(c->trusted_ark);
		c->trusted_ark = tmp.certs[0].x;
		tmp.certs[0].x = NULL;
		tmp.n = 0;
	}
	amd_certs_free(&tmp);
	return e;
}

enum cgs_err amd_cert_sha256(X509 *x, uint8_t out[32], struct cgs_diag *d)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	size_t len;
	enum cgs_err e;

	if (n <= 0)
		return cgs_diag_openssl(d, "cannot encode certificate");
	e = cgs_digest("SHA256", der, (size_t)n, out, &len, d);
	OPENSSL_free(der);
	return e;
}

/* ---- the chain ---- */

static void step_set(struct amd_step *s, enum amd_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void step_set(struct amd_step *s, enum amd_status st, const char *fmt, ...)
{
	va_list ap;

	s->status = st;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

/* the certificate is signed with RSASSA-PSS using SHA-384 */
static int pss_sha384(X509 *x)
{
	int md = 0;

	if (X509_get_signature_nid(x) != NID_rsassaPss)
		return 0;
	if (!X509_get_signature_info(x, &md, NULL, NULL, NULL))
		return ERR_clear_error(), 0;
	return md == NID_sha384;
}

/* 1 if child is issued and signed by parent */
static int signed_by(X509 *child, X509 *parent)
{
	EVP_PKEY *k = X509_get0_pubkey(parent);
	int ok;

	if (!k || X509_NAME_cmp(X509_get_issuer_name(child), X509_get_subject_name(parent)))
		return 0;
	ok = X509_verify(child, k) == 1;
	ERR_clear_error();
	return ok;
}

static void fpr_hex(X509 *x, char *out)
{
	uint8_t h[32];
	struct cgs_diag d;

	if (amd_cert_sha256(x, h, &d) == CGS_OK)
		cgs_hex_encode(h, 32, out);
	else
		strcpy(out, "?");
}

static void check_anchor(const struct amd_certs *c, const char *line, struct amd_chain *ch)
{
	struct amd_step *s = &ch->ark_step;
	char want_cn[32], cn[64], fpr[65];
	const struct amd_ark_pin *pin;
	X509 *bad = NULL;

	snprintf(want_cn, sizeof(want_cn), "ARK-%s", line);
	if (c->trusted_ark) {
		ch->ark = c->trusted_ark;
		fpr_hex(ch->ark, fpr);
		snprintf(s->expected, sizeof(s->expected), "--trusted-ark %s", want_cn);
		snprintf(s->actual, sizeof(s->actual), "sha256 %s", fpr);
	} else {
		pin = amd_ark_pin_for_line(line);
		if (pin)
			cgs_hex_encode(pin->sha256, 32, fpr);
		snprintf(s->expected, sizeof(s->expected), "pinned %s sha256 %s", want_cn,
			 pin ? fpr : "(none)");
		for (size_t i = 0; i < c->n && !ch->ark; i++) {
			uint8_t h[32];
			struct cgs_diag d;
			const struct amd_ark_pin *p;

			if (c->certs[i].role != AMD_ROLE_ARK)
				continue;
			if (amd_cert_sha256(c->certs[i].x, h, &d))
				continue;
			p = amd_ark_pin_find(h);
			if (p && !strcmp(p->line, line))
				ch->ark = c->certs[i].x;
			else if (!bad)
				bad = c->certs[i].x;
		}
		if (!ch->ark && !bad)
			return step_set(s, AMD_FAIL,
					"no %s supplied (give AMD's cert_chain with "
					"--cert-chain, --certs or --cert-table, or "
					"--trusted-ark)",
					want_cn);
		if (!ch->ark) {
			fpr_hex(bad, fpr);
			amd_cert_cn(bad, cn, sizeof(cn));
			snprintf(s->actual, sizeof(s->actual), "%s sha256 %s", cn, fpr);
			return step_set(s, AMD_FAIL, "the supplied ARK '%s' is not AMD's pinned %s",
					cn, want_cn);
		}
		snprintf(s->actual, sizeof(s->actual), "%s sha256 %s", want_cn, fpr);
	}
	amd_cert_cn(ch->ark, cn, sizeof(cn));
	if (strcmp(cn, want_cn)) {
		ch->ark = NULL;
		return step_set(s, AMD_FAIL, "the trusted ARK is '%s', not %s", cn, want_cn);
	}
	if (!signed_by(ch->ark, ch->ark) || !pss_sha384(ch->ark)) {
		ch->ark = NULL;
		return step_set(s, AMD_FAIL,
				"%s self-signature (RSASSA-PSS SHA-384) does not "
				"verify",
				want_cn);
	}
	step_set(s, AMD_PASS, "%s %s, self-signature verified", want_cn,
		 c->trusted_ark ? "given by --trusted-ark" : "matches the pinned AMD root");
}

/* AMD's subject attributes besides the CN, each present exactly once */
static int amd_name_ok(X509 *x)
{
	static const struct {
		int nid;
		const char *value;
	} attrs[] = {
	    {NID_organizationalUnitName, "Engineering"},
	    {NID_countryName, "US"},
	    {NID_localityName, "Santa Clara"},
	    {NID_stateOrProvinceName, "CA"},
	    {NID_organizationName, "Advanced Micro Devices"},
	};
	X509_NAME *n = X509_get_subject_name(x);
	char buf[64];

	if (X509_NAME_entry_count(n) != 6)
		return 0;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		int at = X509_NAME_get_index_by_NID(n, attrs[i].nid, -1);

		if (at < 0 || X509_NAME_get_index_by_NID(n, attrs[i].nid, at) >= 0)
			return 0;
		if (X509_NAME_get_text_by_NID(n, attrs[i].nid, buf, sizeof(buf)) < 0 ||
		    strcmp(buf, attrs[i].value))
			return 0;
	}
	return 1;
}

/* whether an intermediate candidate is valid under the ARK: NULL if so, else why not */
static const char *ica_problem(X509 *ica, X509 *ark)
{
	if (!signed_by(ica, ark))
		return "its signature does not verify under the ARK";
	if (!pss_sha384(ica))
		return "it is not signed with RSASSA-PSS SHA-384";
	if (X509_check_ca(ica) <= 0)
		return "it is not a CA certificate";
	if (!amd_name_ok(ica))
		return "its subject is not AMD's (OU=Engineering, C=US, L=Santa Clara, ST=CA, "
		       "O=Advanced Micro Devices)";
	return NULL;
}

static void serial_hex(X509 *x, char *out, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *h = bn ? BN_bn2hex(bn) : NULL;

	snprintf(out, len, "%s", h ? h : "?");
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	OPENSSL_free(h);
	BN_free(bn);
}

static int vek_key_ok(X509 *x)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	char grp[64];
	size_t n;

	if (!k || !EVP_PKEY_is_a(k, "EC"))
		return ERR_clear_error(), 0;
	if (!EVP_PKEY_get_group_name(k, grp, sizeof(grp), &n))
		return ERR_clear_error(), 0;
	return !strcmp(grp, "secp384r1");
}

static void pick_ica_vek(const struct amd_certs *c, const char *line, int vlek,
			 struct amd_chain *ch)
{
	enum amd_role ica_role = vlek ? AMD_ROLE_ASVK : AMD_ROLE_ASK;
	enum amd_role vek_role = vlek ? AMD_ROLE_VLEK : AMD_ROLE_VCEK;
	const char *ica_name = vlek ? "ASVK" : "ASK", *vek_name = vlek ? "VLEK" : "VCEK";
	const char *why = NULL;
	char want_cn[32], cn[64];
	X509 *vek_any = NULL;

	snprintf(want_cn, sizeof(want_cn), vlek ? "SEV-VLEK-%s" : "SEV-%s", line);
	snprintf(ch->ica_step.expected, sizeof(ch->ica_step.expected), "%s '%s' signed by ARK-%s",
		 ica_name, want_cn, line);
	snprintf(ch->vek_step.expected, sizeof(ch->vek_step.expected), "%s signed by %s", vek_name,
		 want_cn);
	for (size_t j = 0; j < c->n && !vek_any; j++)
		if (c->certs[j].role == vek_role)
			vek_any = c->certs[j].x;
	for (size_t i = 0; i < c->n && !(ch->ica && ch->vek); i++) {
		X509 *x = c->certs[i].x;
		const char *p;

		amd_cert_cn(x, cn, sizeof(cn));
		if (c->certs[i].role != ica_role || strcmp(cn, want_cn))
			continue;
		p = ch->ark ? ica_problem(x, ch->ark) : "no trusted ARK";
		if (p) {
			why = why ? why : p;
			continue;
		}
		if (!ch->ica)
			ch->ica = x;
		for (size_t j = 0; j < c->n; j++)
			if (c->certs[j].role == vek_role && signed_by(c->certs[j].x, x)) {
				ch->ica = x;
				ch->vek = c->certs[j].x;
				break;
			}
	}
	if (ch->ica) {
		char ser[40];

		serial_hex(ch->ica, ser, sizeof(ser));
		snprintf(ch->ica_step.actual, sizeof(ch->ica_step.actual), "%s serial 0x%s",
			 want_cn, ser);
		step_set(&ch->ica_step, AMD_PASS, "%s %s verified under ARK-%s", ica_name, want_cn,
			 line);
	} else if (why) {
		step_set(&ch->ica_step, AMD_FAIL, "%s %s rejected: %s", ica_name, want_cn, why);
	} else {
		step_set(&ch->ica_step, AMD_FAIL, "no %s '%s' supplied", ica_name, want_cn);
	}
	if (!vek_any)
		return step_set(&ch->vek_step, AMD_FAIL, "no %s supplied (report is %s-signed)",
				vek_name, vek_name);
	if (!ch->vek) {
		ch->vek = vek_any; /* shown, never trusted: the step fails */
		if (!ch->ica)
			return step_set(&ch->vek_step, AMD_FAIL,
					"%s cannot be checked: no valid %s", vek_name, ica_name);
		return step_set(&ch->vek_step, AMD_FAIL, "%s signature does not verify under %s %s",
				vek_name, ica_name, want_cn);
	}
	amd_cert_cn(ch->vek, cn, sizeof(cn));
	snprintf(ch->vek_step.actual, sizeof(ch->vek_step.actual), "%s issued by %s", cn, want_cn);
	if (strcmp(cn, vlek ? "SEV-VLEK" : "SEV-VCEK"))
		return step_set(&ch->vek_step, AMD_FAIL, "%s subject CN is '%s'", vek_name, cn);
	if (!pss_sha384(ch->vek))
		return step_set(&ch->vek_step, AMD_FAIL, "%s not signed with RSASSA-PSS SHA-384",
				vek_name);
	if (!vek_key_ok(ch->vek))
		return step_set(&ch->vek_step, AMD_FAIL, "%s key is not ECDSA P-384", vek_name);
	if (!amd_name_ok(ch->vek))
		return step_set(&ch->vek_step, AMD_FAIL, "%s subject is not AMD's", vek_name);
	step_set(&ch->vek_step, AMD_PASS, "%s verified under %s %s", vek_name, ica_name, want_cn);
}

static void check_validity(struct amd_chain *ch, time_t at)
{
	X509 *xs[3] = {ch->ark, ch->ica, ch->vek};
	char when[32], cn[64];

	cgs_time_str((int64_t)at, when, sizeof(when));
	snprintf(ch->validity_step.expected, sizeof(ch->validity_step.expected),
		 "ARK, intermediate and VEK valid at %s", when);
	for (int i = 0; i < 3; i++) {
		const ASN1_TIME *nb, *na;

		if (!xs[i])
			return step_set(&ch->validity_step, AMD_FAIL,
					"chain incomplete: validity not checked");
		amd_cert_cn(xs[i], cn, sizeof(cn));
		nb = X509_get0_notBefore(xs[i]);
		na = X509_get0_notAfter(xs[i]);
		if (X509_cmp_time(nb, &at) >= 0) {
			snprintf(ch->validity_step.actual, sizeof(ch->validity_step.actual),
				 "%s not valid before the check time", cn);
			return step_set(&ch->validity_step, AMD_FAIL, "%s is not yet valid at %s",
					cn, when);
		}
		if (X509_cmp_time(na, &at) <= 0) {
			snprintf(ch->validity_step.actual, sizeof(ch->validity_step.actual),
				 "%s expired", cn);
			return step_set(&ch->validity_step, AMD_FAIL,
					"%s has expired at %s (use --at for archived evidence)", cn,
					when);
		}
	}
	snprintf(ch->validity_step.actual, sizeof(ch->validity_step.actual), "all valid");
	step_set(&ch->validity_step, AMD_PASS, "every certificate is valid at %s", when);
}

const char *amd_crl_problem(X509_CRL *crl, X509 *ark, time_t at)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	int ok = X509_CRL_verify(crl, X509_get0_pubkey(ark)) == 1;

	ERR_clear_error();
	if (!ok)
		return "the CRL signature does not verify under the ARK";
	if (X509_CRL_get_signature_nid(crl) != NID_rsassaPss)
		return "the CRL is not signed with RSASSA-PSS";
	if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &at) >= 0)
		return "the CRL is not yet valid at the check time";
	if (!next || X509_cmp_time(next, &at) <= 0)
		return "the CRL has expired at the check time (nextUpdate passed; use --at)";
	return NULL;
}

static void check_crl(const struct amd_certs *c, struct amd_chain *ch, time_t at)
{
	struct amd_step *s = &ch->crl_step;
	char ser[40], cn[64];
	int used = 0;

	if (c->n_crls == 0)
		return step_set(s, AMD_FAIL, "no CRL given: revocation cannot be checked (give --crl "
				"or a CRL in --certs, or opt out with --skip crl)");
	if (!ch->ark || !ch->ica)
		return step_set(s, AMD_FAIL, "no trusted ARK and intermediate to check");
	serial_hex(ch->ica, ser, sizeof(ser));
	amd_cert_cn(ch->ica, cn, sizeof(cn));
	snprintf(s->expected, sizeof(s->expected), "%s serial 0x%s not revoked", cn, ser);
	for (size_t i = 0; i < c->n_crls; i++) {
		X509_CRL *crl = c->crls[i];
		X509_REVOKED *rev = NULL;
		const char *p;

		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ch->ark)))
			continue;
		used++;
		if ((p = amd_crl_problem(crl, ch->ark, at)))
			return step_set(s, AMD_FAIL, "%s", p);
		if (X509_CRL_get0_by_serial(crl, &rev, X509_get_serialNumber(ch->ica)) == 1) {
			snprintf(s->actual, sizeof(s->actual), "revoked");
			return step_set(s, AMD_FAIL, "%s serial 0x%s is revoked by the ARK's CRL",
					cn, ser);
		}
	}
	if (!used)
		return step_set(s, AMD_FAIL, "none of the CRLs given is issued by the trusted ARK");
	snprintf(s->actual, sizeof(s->actual), "not revoked (%d CRL%s)", used, used > 1 ? "s" : "");
	step_set(s, AMD_PASS, "%s is not listed in the ARK's CRL", cn);
}

enum cgs_err amd_chain_check(const struct amd_certs *c, const char *line, int vlek, time_t at,
			     struct amd_chain *ret, struct cgs_diag *d)
{
	struct amd_chain ch;

	(void)d;
	memset(&ch, 0, sizeof(ch));
	if (!line) {
		step_set(&ch.ark_step, AMD_FAIL, "product unknown: no pinned ARK to choose");
		step_set(&ch.ica_step, AMD_FAIL, "product unknown");
		step_set(&ch.vek_step, AMD_FAIL, "product unknown");
		step_set(&ch.validity_step, AMD_FAIL, "product unknown");
		step_set(&ch.crl_step, AMD_FAIL, "product unknown");
		*ret = ch;
		return CGS_OK;
	}
	check_anchor(c, line, &ch);
	pick_ica_vek(c, line, vlek, &ch);
	check_validity(&ch, at);
	check_crl(c, &ch, at);
	*ret = ch;
	return CGS_OK;
}

/* ---- VEK extensions ---- */

int amd_spl_index(const char *comp)
{
	static const struct {
		const char *name;
		int idx;
	} map[] = {{"bl", 1}, {"tee", 2}, {"snp", 3}, {"ucode", 8}, {"fmc", 9}};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].name, comp))
			return map[i].idx;
	return 0;
}

/* The value of an AMD extension is DER read with OpenSSL's d2i; every byte must be used. */

/* INTEGER 0..255 (structVersion, SPLs); -1 if not */
static int ext_small_int(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	ASN1_INTEGER *i = d2i_ASN1_INTEGER(NULL, &q, (long)n);
	int64_t v = -1;

	if (!i || q != p + n || !ASN1_INTEGER_get_int64(&v, i) || v < 0 || v > 255)
		v = -1;
	ASN1_INTEGER_free(i);
	ERR_clear_error();
	return (int)v;
}

/* IA5String of printable ASCII (productName, cspID) into out; -1 if not */
static int ext_ia5(const uint8_t *p, size_t n, char *out, size_t cap)
{
	const unsigned char *q = p;
	ASN1_IA5STRING *s = d2i_ASN1_IA5STRING(NULL, &q, (long)n);
	const unsigned char *c = s ? ASN1_STRING_get0_data(s) : NULL;
	int len = s ? ASN1_STRING_length(s) : -1, rc = 0;

	if (!s || q != p + n || len < 0 || (size_t)len >= cap)
		rc = -1;
	for (int k = 0; !rc && k < len; k++)
		if (c[k] < 0x20 || c[k] > 0x7e)
			rc = -1;
	if (!rc) {
		memcpy(out, c, (size_t)len);
		out[len] = '\0';
	}
	ASN1_IA5STRING_free(s);
	ERR_clear_error();
	return rc;
}

/* hwID: the raw 64 (or 8, Turin) bytes as AMD issues them, or those in an OCTET STRING */
static int ext_hwid(const uint8_t *p, size_t n, uint8_t *out, size_t *ret_len)
{
	const unsigned char *q = p;
	ASN1_OCTET_STRING *o;
	int len, rc = -1;

	if (n == 64 || n == 8) {
		memcpy(out, p, n);
		*ret_len = n;
		return 0;
	}
	o = d2i_ASN1_OCTET_STRING(NULL, &q, (long)n);
	len = o ? ASN1_STRING_length(o) : -1;
	if (o && q == p + n && (len == 64 || len == 8)) {
		memcpy(out, ASN1_STRING_get0_data(o), (size_t)len);
		*ret_len = (size_t)len;
		rc = 0;
	}
	ASN1_OCTET_STRING_free(o);
	ERR_clear_error();
	return rc;
}

enum ext_kind { EXT_VERSION, EXT_PRODUCT, EXT_SPL, EXT_HWID, EXT_CSP };

static const struct {
	const char *oid; /* under 1.3.6.1.4.1.3704.1 */
	enum ext_kind kind;
	int spl;
} amd_exts[] = {
	{ "1", EXT_VERSION, 0 }, { "2", EXT_PRODUCT, 0 }, { "3.1", EXT_SPL, 1 },
	{ "3.2", EXT_SPL, 2 },	 { "3.3", EXT_SPL, 3 },	  { "3.4", EXT_SPL, 4 },
	{ "3.5", EXT_SPL, 5 },	 { "3.6", EXT_SPL, 6 },	  { "3.7", EXT_SPL, 7 },
	{ "3.8", EXT_SPL, 8 },	 { "3.9", EXT_SPL, 9 },	  { "4", EXT_HWID, 0 },
	{ "5", EXT_CSP, 0 },
};

static enum cgs_err one_ext(size_t k, const uint8_t *p, size_t n, struct amd_vek_info *v,
			    struct cgs_diag *d)
{
	switch (amd_exts[k].kind) {
	case EXT_VERSION:
		if ((v->struct_version = ext_small_int(p, n)) < 0)
			return cgs_diag_set(d, CGS_E_MALFORMED, "structVersion", CGS_DIAG_NO_OFFSET,
					    "not a small DER INTEGER");
		return CGS_OK;
	case EXT_PRODUCT:
		if (ext_ia5(p, n, v->product_name, sizeof(v->product_name)))
			return cgs_diag_set(d, CGS_E_MALFORMED, "productName", CGS_DIAG_NO_OFFSET,
					    "not an IA5String");
		v->has_product_name = 1;
		return CGS_OK;
	case EXT_SPL:
		if ((v->spl[amd_exts[k].spl] = ext_small_int(p, n)) < 0)
			return cgs_diag_set(d, CGS_E_MALFORMED, "spl", CGS_DIAG_NO_OFFSET,
					    "SPL " AMD_ARC "%s is not a DER INTEGER 0-255",
					    amd_exts[k].oid);
		return CGS_OK;
	case EXT_HWID:
		if (ext_hwid(p, n, v->hwid, &v->hwid_len))
			return cgs_diag_set(d, CGS_E_MALFORMED, "hwID", CGS_DIAG_NO_OFFSET,
					    "hwID of %zu bytes (expected 64 or 8)", n);
		return CGS_OK;
	case EXT_CSP:
		if (ext_ia5(p, n, v->csp_id, sizeof(v->csp_id)))
			return cgs_diag_set(d, CGS_E_MALFORMED, "cspID", CGS_DIAG_NO_OFFSET,
					    "not an IA5String");
		v->has_csp_id = 1;
		return CGS_OK;
	}
	return CGS_OK;
}

/* Look each AMD extension up by its OID; one occurrence at most. */
static enum cgs_err find_ext(X509 *vek, size_t k, struct amd_vek_info *v, struct cgs_diag *d)
{
	char txt[48];
	ASN1_OBJECT *obj;
	ASN1_OCTET_STRING *data;
	int at;

	snprintf(txt, sizeof(txt), AMD_ARC "%s", amd_exts[k].oid);
	obj = OBJ_txt2obj(txt, 1);
	if (!obj)
		return cgs_diag_openssl(d, "cannot make OID %s", txt);
	at = X509_get_ext_by_OBJ(vek, obj, -1);
	if (at >= 0 && X509_get_ext_by_OBJ(vek, obj, at) >= 0) {
		ASN1_OBJECT_free(obj);
		return cgs_diag_set(d, CGS_E_MALFORMED, "extension", CGS_DIAG_NO_OFFSET,
				    "extension %s appears twice", txt);
	}
	ASN1_OBJECT_free(obj);
	if (at < 0)
		return CGS_OK;
	data = X509_EXTENSION_get_data(X509_get_ext(vek, at));
	return one_ext(k, ASN1_STRING_get0_data(data), (size_t)ASN1_STRING_length(data), v, d);
}

enum cgs_err amd_vek_info_get(X509 *vek, struct amd_vek_info *ret, struct cgs_diag *d)
{
	struct amd_vek_info v;
	enum cgs_err e;

	memset(&v, 0, sizeof(v));
	v.struct_version = -1;
	for (int i = 0; i < AMD_SPL_MAX; i++)
		v.spl[i] = -1;
	amd_cert_cn(vek, v.cn, sizeof(v.cn));
	for (size_t k = 0; k < sizeof(amd_exts) / sizeof(amd_exts[0]); k++)
		if ((e = find_ext(vek, k, &v, d)))
			return e;
	v.key_ok = vek_key_ok(vek);
	*ret = v;
	return CGS_OK;
}

/* ---- the report signature ---- */

static BIGNUM *le_to_bn(const uint8_t *le)
{
	return BN_lebin2bn(le, 48, NULL);
}

static EVP_MD *sha384_md(void)
{
	static EVP_MD *md; /* fetched once: the lookup costs more than hashing 672 bytes */

	if (!md)
		md = EVP_MD_fetch(NULL, "SHA384", NULL);
	return md;
}

struct amd_sig_verifier {
	EVP_PKEY_CTX *ctx;
};

struct amd_sig_verifier *amd_sig_verifier_new(EVP_PKEY *key)
{
	struct amd_sig_verifier *v = calloc(1, sizeof(*v));

	if (!v || !sha384_md() || !(v->ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) ||
	    EVP_PKEY_verify_init(v->ctx) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(v->ctx, sha384_md()) != 1) {
		amd_sig_verifier_free(v);
		return NULL;
	}
	return v;
}

void amd_sig_verifier_free(struct amd_sig_verifier *v)
{
	if (!v)
		return;
	EVP_PKEY_CTX_free(v->ctx);
	free(v);
}

/* r, s (72-byte little-endian, only 48 significant) to a DER ECDSA-Sig-Value */
static enum cgs_err sig_der(const uint8_t *r_le, const uint8_t *s_le, unsigned char **ret,
			    int *ret_len, struct cgs_diag *d)
{
	ECDSA_SIG *sig;
	BIGNUM *r, *s;
	enum cgs_err e = CGS_OK;

	for (int i = 48; i < 72; i++)
		if (r_le[i] || s_le[i])
			return cgs_diag_set(d, CGS_E_VERIFY, "signature", 0x2a0,
					    "r or s exceeds 384 bits (bytes 48-71 must be zero)");
	sig = ECDSA_SIG_new();
	r = le_to_bn(r_le);
	s = le_to_bn(s_le);
	if (!sig || !r || !s)
		e = cgs_diag_openssl(d, "cannot set up the signature check");
	else if (BN_is_zero(r) || BN_is_zero(s))
		e = cgs_diag_set(d, CGS_E_VERIFY, "signature", 0x2a0, "r or s is zero");
	else if (!ECDSA_SIG_set0(sig, r, s))
		e = cgs_diag_openssl(d, "cannot build the signature");
	else
		r = s = NULL; /* owned by sig */
	*ret = NULL;
	if (!e && (*ret_len = i2d_ECDSA_SIG(sig, ret)) <= 0)
		e = cgs_diag_openssl(d, "cannot encode the signature");
	ECDSA_SIG_free(sig);
	BN_free(r);
	BN_free(s);
	return e;
}

enum cgs_err amd_sig_verifier_check(struct amd_sig_verifier *v, const uint8_t *data, size_t len,
				    const uint8_t *r_le, const uint8_t *s_le, struct cgs_diag *d)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	enum cgs_err e;
	int n = 0, rc;

	if ((e = sig_der(r_le, s_le, &der, &n, d)))
		return e;
	if (EVP_Digest(data, len, md, &mdlen, sha384_md(), NULL) != 1) {
		OPENSSL_free(der);
		return cgs_diag_openssl(d, "cannot hash the report");
	}
	rc = EVP_PKEY_verify(v->ctx, der, (size_t)n, md, mdlen);
	OPENSSL_free(der);
	ERR_clear_error();
	if (rc != 1)
		return cgs_diag_set(d, CGS_E_VERIFY, "signature", 0x2a0,
				    "ECDSA P-384 signature does not verify under the VEK");
	return CGS_OK;
}

enum cgs_err amd_report_sig_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
				   const uint8_t *r_le, const uint8_t *s_le, struct cgs_diag *d)
{
	struct amd_sig_verifier *v = amd_sig_verifier_new(key);
	enum cgs_err e;

	if (!v)
		return cgs_diag_openssl(d, "cannot set up the signature check");
	e = amd_sig_verifier_check(v, data, len, r_le, s_le, d);
	amd_sig_verifier_free(v);
	return e;
}
