// SPDX-License-Identifier: MIT
/*
 * Verify an SEV-SNP attestation report against AMD's chain (pinned ARK ->
 * ASK/ASVK -> VCEK/VLEK) and the owner's expected values. The check pipeline
 * follows specs/snp-verify.md section 12; every check runs and is recorded,
 * and the report is verified only if none fails and every authenticity check
 * passed.
 */
#include "lib/snp/snp_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/core/cli.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/verdict.h"

#define MAX_CHECKS 48

/*
 * Every check of the pipeline, once: authenticity checks establish that the
 * report is genuine and can never be skipped; policy checks compare it with
 * what the owner wants and can be skipped by name (--skip).
 */
static const struct cgs_check_def snp_checks[] = {
    {"signing-key", CGS_CHECK_AUTHENTICITY, "KEY_INFO names a VCEK or VLEK signer"},
    {"product", CGS_CHECK_AUTHENTICITY, "the product line is known and consistent"},
    {"ark", CGS_CHECK_AUTHENTICITY, "the ARK is pinned (or --trusted-ark) and self-signed"},
    {"ask", CGS_CHECK_AUTHENTICITY, "the ASK/ASVK is signed by the ARK"},
    {"vek", CGS_CHECK_AUTHENTICITY, "the VCEK/VLEK is signed by the ASK/ASVK"},
    {"validity", CGS_CHECK_AUTHENTICITY, "every certificate is valid at --at"},
    {"vek-extensions", CGS_CHECK_AUTHENTICITY, "the VEK's AMD extensions decode"},
    {"vek-product", CGS_CHECK_AUTHENTICITY, "the VEK productName matches the report"},
    {"vek-tcb", CGS_CHECK_AUTHENTICITY, "the VEK SPLs equal REPORTED_TCB"},
    {"chip-id", CGS_CHECK_AUTHENTICITY, "CHIP_ID equals the VCEK hwID"},
    {"signature", CGS_CHECK_AUTHENTICITY, "the report signature verifies under the VEK"},
    {"hcl-report-data", CGS_CHECK_AUTHENTICITY, "REPORT_DATA binds the HCL runtime claims"},
    {"crl", CGS_CHECK_POLICY, "no certificate of the chain is revoked"},
    {"tcb-order", CGS_CHECK_POLICY, "reported <= committed/current TCB as required"},
    {"debug", CGS_CHECK_POLICY, "POLICY.DEBUG is clear (or --allow-debug)"},
    {"vmpl", CGS_CHECK_POLICY, "VMPL as required"},
    {"measurement", CGS_CHECK_POLICY, "MEASUREMENT is an expected one"},
    {"policy", CGS_CHECK_POLICY, "the guest policy is within the constraints"},
    {"guest-svn", CGS_CHECK_POLICY, "GUEST_SVN as expected or above the minimum"},
    {"report-data", CGS_CHECK_POLICY, "REPORT_DATA as expected"},
    {"host-data", CGS_CHECK_POLICY, "HOST_DATA as expected"},
    {"family-id", CGS_CHECK_POLICY, "FAMILY_ID as expected"},
    {"image-id", CGS_CHECK_POLICY, "IMAGE_ID as expected"},
    {"id-key-digest", CGS_CHECK_POLICY, "ID_KEY_DIGEST as expected"},
    {"author-key-digest", CGS_CHECK_POLICY, "AUTHOR_KEY_DIGEST as expected"},
    {"min-tcb", CGS_CHECK_POLICY, "REPORTED_TCB meets the minimum"},
    {"min-launch-tcb", CGS_CHECK_POLICY, "LAUNCH_TCB meets the minimum"},
    {"min-firmware", CGS_CHECK_POLICY, "committed firmware meets the minimum"},
    {"mit-vector", CGS_CHECK_POLICY, "both mitigation vectors contain the bits"},
    {"platform-info", CGS_CHECK_POLICY, "PLATFORM_INFO bits as required"},
};
#define N_SNP_CHECKS (sizeof(snp_checks) / sizeof(snp_checks[0]))

const struct cgs_check_def *cgs_snp_checks(size_t *ret_n)
{
	*ret_n = N_SNP_CHECKS;
	return snp_checks;
}

/* ---- TCB minimums: "bl=4,snp=22" pairs or a hex TCB_VERSION ---- */

struct tcb_spec {
	int raw;
	uint64_t raw_value;
	size_t n;
	char names[8][8];
	uint8_t vals[8];
};

static const char *canon_comp(const char *s, size_t n)
{
	static const struct {
		const char *alias, *name;
	} map[] = {{"fmc", "fmc"}, {"bl", "bl"},       {"boot_loader", "bl"}, {"tee", "tee"},
		   {"snp", "snp"}, {"ucode", "ucode"}, {"microcode", "ucode"}};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].alias) == n && !strncmp(map[i].alias, s, n))
			return map[i].name;
	return NULL;
}

static int parse_tcb_spec(const char *s, struct tcb_spec *t)
{
	memset(t, 0, sizeof(*t));
	if (!strchr(s, '=')) { /* a TCB_VERSION in hex, with or without 0x */
		const char *h = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
		size_t n = strlen(h);

		t->raw = 1;
		if (n == 0 || n > 16 || strspn(h, "0123456789abcdefABCDEF") != n)
			return -1;
		t->raw_value = strtoull(h, NULL, 16);
		return 0;
	}
	while (*s) {
		const char *eq = strchr(s, '='), *comma = strchr(s, ',');
		const char *name;
		uint64_t v;
		char num[24];
		size_t nl;

		if (!comma)
			comma = s + strlen(s);
		if (!eq || eq > comma || t->n == 8 || !(name = canon_comp(s, (size_t)(eq - s))))
			return -1;
		nl = (size_t)(comma - eq - 1);
		if (nl == 0 || nl >= sizeof(num))
			return -1;
		memcpy(num, eq + 1, nl);
		num[nl] = '\0';
		if (cgs_parse_u64(num, &v) || v > 255)
			return -1;
		snprintf(t->names[t->n], sizeof(t->names[0]), "%s", name);
		t->vals[t->n++] = (uint8_t)v;
		s = *comma ? comma + 1 : comma;
	}
	return t->n ? 0 : -1;
}

enum cgs_err cgs_snp_tcb_spec_check(const char *spec, struct cgs_diag *d)
{
	struct tcb_spec t;

	if (spec && !parse_tcb_spec(spec, &t))
		return CGS_OK;
	return cgs_diag_set(d, CGS_E_USAGE, "tcb", CGS_DIAG_NO_OFFSET,
			    "expected a hex TCB_VERSION or name=value pairs (fmc, bl, tee, snp, "
			    "ucode; values 0-255)");
}

/* ---- certificates ---- */

static enum cgs_err load_list(struct amd_certs *c, const char *const *v, size_t n,
			      enum amd_role role, int kind, const char **where, struct cgs_diag *d)
{
	enum cgs_err e = CGS_OK;

	for (size_t i = 0; i < n && !e; i++) {
		*where = v[i];
		e = kind == 1   ? amd_certs_load_dir(c, v[i], d)
		    : kind == 2 ? amd_certs_load_crl_file(c, v[i], d)
				: amd_certs_load_file(c, v[i], role, d);
	}
	return e;
}

static enum cgs_err load_table(struct amd_certs *c, const char *path, struct cgs_diag *d)
{
	struct snp_certtable t;
	uint8_t *buf;
	size_t len;
	enum cgs_err e = cgs_read_file(path, 16u << 20, &buf, &len, d);

	if (e)
		return e;
	e = snp_certtable_parse(buf, len, &t, d);
	if (!e)
		e = amd_certs_load_table(c, buf, len, &t, d);
	free(buf);
	return e;
}

static enum cgs_err load_certs(const struct cgs_snp_inputs *in, struct amd_certs *c,
			       struct cgs_snp_result *res, struct cgs_diag *d)
{
	const char *where = NULL;
	enum cgs_err e;

	e = load_list(c, in->vcek, in->n_vcek, AMD_ROLE_VCEK, 0, &where, d);
	if (!e)
		e = load_list(c, in->vlek, in->n_vlek, AMD_ROLE_VLEK, 0, &where, d);
	if (!e)
		e = load_list(c, in->cert_chain, in->n_cert_chain, AMD_ROLE_UNKNOWN, 0, &where, d);
	if (!e)
		e = load_list(c, in->cert_dirs, in->n_cert_dirs, AMD_ROLE_UNKNOWN, 1, &where, d);
	if (!e)
		e = load_list(c, in->crl, in->n_crl, AMD_ROLE_UNKNOWN, 2, &where, d);
	if (!e && in->trusted_ark)
		e = amd_certs_set_trusted_ark(c, where = in->trusted_ark, d);
	if (!e && in->cert_table)
		e = load_table(c, where = in->cert_table, d);
	if (e) {
		res->err_action = e == CGS_E_NOINPUT ? "read" : "load";
		res->err_path = where;
	}
	return e;
}

/* ---- checks ---- */

enum result { R_PASS, R_FAIL, R_SKIP };

struct check {
	const char *name;
	enum result result;
	char expected[200];
	char actual[320];
	char reason[400];
};

struct run {
	const struct cgs_snp_policy *o;
	const struct snp_report *r;
	const struct snp_product *p;
	struct amd_chain chain;
	struct amd_vek_info vek;
	int have_vek;
	const struct cgs_snp_expected *match;
	struct snp_wrapper wrap;
	struct check checks[MAX_CHECKS];
	size_t n;
	struct cgs_diag *d;
	const char *err_action, *err_path;
};

static enum cgs_err fail_at(struct run *run, enum cgs_err e, const char *action, const char *path)
{
	run->err_action = action;
	run->err_path = path;
	return e;
}

static struct check *add(struct run *run, const char *name, enum result res, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static struct check *add(struct run *run, const char *name, enum result res, const char *fmt, ...)
{
	static struct check spare;
	struct check *c = run->n < MAX_CHECKS ? &run->checks[run->n++] : &spare;
	va_list ap;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->result = res;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return c;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= cap)
		n = cap - 1;

	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void set_ea(struct check *c, const char *expected, const char *actual)
{
	copy_str(c->expected, sizeof(c->expected), expected);
	copy_str(c->actual, sizeof(c->actual), actual);
}

static void add_step(struct run *run, const char *name, const struct amd_step *s)
{
	enum result r = s->status == AMD_PASS ? R_PASS : s->status == AMD_SKIP ? R_SKIP : R_FAIL;
	struct check *c = add(run, name, r, "%s", s->reason);

	set_ea(c, s->expected, s->actual);
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	cgs_hex_encode(b, n, out);
}

/* exact match of a report field against an expected value (skip when none given) */
static void check_bytes(struct run *run, const char *name, const uint8_t *want, size_t n,
			const uint8_t *have, const char *src)
{
	char e[129], a[129];
	struct check *c;

	hex_of(have, n, a);
	if (!want) {
		c = add(run, name, R_SKIP, "no expected value given");
		set_ea(c, NULL, a);
		return;
	}
	hex_of(want, n, e);
	c = memcmp(want, have, n) ? add(run, name, R_FAIL, "differs from %s", src)
				  : add(run, name, R_PASS, "matches %s", src);
	set_ea(c, e, a);
}

static void check_min_tcb(struct run *run, const char *name, const char *spec, uint64_t tcb,
			  const char *field)
{
	struct tcb_spec t;
	char have[96], want[160] = "", bad[160] = "";
	size_t n, o = 0;
	const struct snp_tcb_comp *comps;
	struct check *c;

	if (!spec) {
		add(run, name, R_SKIP, "no minimum given");
		return;
	}
	if (!run->p) {
		add(run, name, R_FAIL, "product unknown: cannot decode %s", field);
		return;
	}
	parse_tcb_spec(spec, &t); /* validated when the option was read */
	comps = snp_tcb_components(run->p->layout, &n);
	snp_tcb_str(tcb, run->p, have, sizeof(have));
	if (t.raw) {
		t.n = 0;
		for (size_t i = 0; i < n; i++) {
			snprintf(t.names[t.n], sizeof(t.names[0]), "%s", comps[i].name);
			t.vals[t.n++] =
			    (uint8_t)snp_tcb_get(t.raw_value, run->p->layout, comps[i].name);
		}
	}
	for (size_t i = 0; i < t.n; i++) {
		int v = snp_tcb_get(tcb, run->p->layout, t.names[i]);

		o += (size_t)snprintf(want + o, sizeof(want) - o, "%s%s>=%u", i ? "," : "",
				      t.names[i], t.vals[i]);
		if (v < 0)
			snprintf(bad, sizeof(bad), "the %s layout has no '%s' component",
				 run->p->name, t.names[i]);
		else if (v < t.vals[i] && !bad[0])
			snprintf(bad, sizeof(bad), "%s %s is %d, below %u", field, t.names[i], v,
				 t.vals[i]);
	}
	c = bad[0] ? add(run, name, R_FAIL, "%s", bad)
		   : add(run, name, R_PASS, "%s meets the minimum", field);
	set_ea(c, want, have);
}

/* ---- the pipeline ---- */

static void check_signing_key(struct run *run)
{
	const struct snp_report *r = run->r;
	unsigned sk = snp_report_signing_key(r);
	struct check *c;

	if (sk == SNP_SIGNER_NONE)
		c = add(run, "signing-key", R_FAIL,
			"KEY_INFO says the report is not signed: it cannot be authenticated");
	else if (sk == SNP_SIGNER_VCEK && (r->key_info & SNP_KEYINFO_MASK_CHIP_KEY))
		c = add(run, "signing-key", R_FAIL,
			"VCEK-signed although KEY_INFO.MASK_CHIP_KEY is set");
	else
		c = add(run, "signing-key", R_PASS, "signed by the %s",
			sk == SNP_SIGNER_VLEK ? "VLEK" : "VCEK");
	set_ea(c, "vcek or vlek", snp_signing_key_name(sk));
}

/* v2 without --product: the line from a supplied VEK (authenticated by the chain later) */
static const struct snp_product *product_from_vek(const struct amd_certs *certs, int vlek)
{
	enum amd_role want = vlek ? AMD_ROLE_VLEK : AMD_ROLE_VCEK;
	struct amd_vek_info v;
	struct cgs_diag d;

	for (size_t i = 0; i < certs->n; i++) {
		if (certs->certs[i].role != want)
			continue;
		if (amd_vek_info_get(certs->certs[i].x, &v, &d) == CGS_OK && v.has_product_name)
			return snp_product_from_kds_name(v.product_name);
		break;
	}
	return NULL;
}

static void check_product(struct run *run, const struct amd_certs *certs)
{
	const struct snp_report *r = run->r;
	const char *why;
	char actual[64] = "unknown";
	int conflict;
	struct check *c;

	run->p = snp_report_product(r, run->o->product, &why, &conflict);
	if (!run->p && !r->has_cpuid) {
		run->p = product_from_vek(certs, snp_report_signing_key(r) == SNP_SIGNER_VLEK);
		if (run->p)
			why = "from the VEK productName (report version 2 has no CPUID)";
	}
	if (r->has_cpuid)
		snprintf(actual, sizeof(actual), "%s (cpuid %02x/%02x/%02x)",
			 run->p ? run->p->name : "unknown", r->cpuid_fam_id, r->cpuid_mod_id,
			 r->cpuid_step);
	else if (run->p)
		snprintf(actual, sizeof(actual), "%s", run->p->name);
	c = add(run, "product", run->p && !conflict ? R_PASS : R_FAIL, "%s", why);
	set_ea(c, run->o->product ? run->o->product : "known SNP product", actual);
}

static void check_vek_product(struct run *run, int vlek)
{
	const struct amd_vek_info *v = &run->vek;
	const struct snp_product *vp;
	struct check *c;
	char want[64];

	if (!run->have_vek || !run->p) {
		add(run, "vek-product", R_FAIL, "%s", run->p ? "no VEK" : "product unknown");
		return;
	}
	snprintf(want, sizeof(want), "%s, structVersion %d", run->p->kds_name,
		 vlek ? 0 : run->p->vcek_struct_version);
	vp = snp_product_from_kds_name(v->has_product_name ? v->product_name : NULL);
	if (!v->has_product_name)
		c = add(run, "vek-product", R_FAIL, "the VEK has no productName extension");
	else if (!vp || strcmp(vp->kds_name, run->p->kds_name))
		c = add(run, "vek-product", R_FAIL, "VEK productName '%s' is not a %s product",
			v->product_name, run->p->kds_name);
	else if (!vlek && v->struct_version != run->p->vcek_struct_version)
		c = add(run, "vek-product", R_FAIL, "VCEK structVersion %d, expected %d for %s",
			v->struct_version, run->p->vcek_struct_version, run->p->kds_name);
	else
		c = add(run, "vek-product", R_PASS, "VEK productName '%s' matches the report",
			v->product_name);
	set_ea(c, want, v->has_product_name ? v->product_name : "(none)");
}

static void check_vek_tcb(struct run *run)
{
	size_t n, o = 0;
	const struct snp_tcb_comp *comps;
	char want[96], have[96] = "", bad[160] = "";
	struct check *c;

	if (!run->have_vek || !run->p) {
		add(run, "vek-tcb", R_FAIL, "%s", run->p ? "no VEK" : "product unknown");
		return;
	}
	comps = snp_tcb_components(run->p->layout, &n);
	snp_tcb_str(run->r->reported_tcb, run->p, want, sizeof(want));
	for (size_t i = 0; i < n; i++) {
		int cert = run->vek.spl[amd_spl_index(comps[i].name)];
		int rep = snp_tcb_get(run->r->reported_tcb, run->p->layout, comps[i].name);

		o += (size_t)snprintf(have + o, sizeof(have) - o, "%s%s=%d", i ? "," : "",
				      comps[i].name, cert);
		if (cert < 0 && !bad[0])
			snprintf(bad, sizeof(bad), "the VEK has no %sSPL extension", comps[i].name);
		else if (cert != rep && !bad[0])
			snprintf(bad, sizeof(bad), "VEK %sSPL %d differs from REPORTED_TCB %s %d",
				 comps[i].name, cert, comps[i].name, rep);
	}
	c = bad[0] ? add(run, "vek-tcb", R_FAIL, "%s", bad)
		   : add(run, "vek-tcb", R_PASS, "VEK SPLs equal REPORTED_TCB");
	set_ea(c, want, have);
}

static int zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static void check_chip_id(struct run *run, int vlek)
{
	const struct amd_vek_info *v = &run->vek;
	char a[129], e[129];
	struct check *c;

	if (!run->have_vek || !run->p) {
		add(run, "chip-id", R_FAIL, "%s", run->p ? "no VEK" : "product unknown");
		return;
	}
	if (vlek) {
		if (v->hwid_len)
			c = add(run, "chip-id", R_FAIL, "a VLEK must not carry a hwID");
		else if (!v->has_csp_id)
			c = add(run, "chip-id", R_FAIL, "the VLEK has no cspID");
		else
			c = add(run, "chip-id", R_PASS, "VLEK-signed (no hwID); cspID '%s'",
				v->csp_id);
		set_ea(c, "VLEK cspID", v->has_csp_id ? v->csp_id : "(none)");
		return;
	}
	hex_of(run->r->chip_id, run->p->hwid_len, a);
	if (v->hwid_len)
		hex_of(v->hwid, v->hwid_len, e);
	else
		strcpy(e, "(none)");
	if (!v->hwid_len)
		c = add(run, "chip-id", R_FAIL, "the VCEK has no hwID");
	else if (v->has_csp_id)
		c = add(run, "chip-id", R_FAIL, "a VCEK must not carry a cspID");
	else if (v->hwid_len != run->p->hwid_len)
		c = add(run, "chip-id", R_FAIL, "VCEK hwID has %zu bytes, %s uses %zu", v->hwid_len,
			run->p->kds_name, run->p->hwid_len);
	else if (zero(run->r->chip_id, 64))
		c = add(run, "chip-id", R_FAIL,
			"CHIP_ID is masked (all zero): cannot bind the VCEK");
	else if (memcmp(v->hwid, run->r->chip_id, v->hwid_len) ||
		 !zero(run->r->chip_id + v->hwid_len, 64 - v->hwid_len))
		c = add(run, "chip-id", R_FAIL, "CHIP_ID differs from the VCEK hwID");
	else
		c = add(run, "chip-id", R_PASS, "CHIP_ID equals the VCEK hwID (%zu bytes)",
			v->hwid_len);
	set_ea(c, e, a);
}

static const char *tcb_le(const struct snp_product *p, uint64_t a, uint64_t b)
{
	size_t n;
	const struct snp_tcb_comp *c = snp_tcb_components(p->layout, &n);

	for (size_t i = 0; i < n; i++)
		if (snp_tcb_get(a, p->layout, c[i].name) > snp_tcb_get(b, p->layout, c[i].name))
			return c[i].name;
	return NULL;
}

static void check_tcb_order(struct run *run)
{
	const struct snp_report *r = run->r;
	char cur[96], com[96], rep[96], want[200], have[320];
	const char *bad;
	struct check *c;
	uint32_t fw_cur =
	    (uint32_t)r->current_major << 16 | r->current_minor << 8 | r->current_build;
	uint32_t fw_com =
	    (uint32_t)r->committed_major << 16 | r->committed_minor << 8 | r->committed_build;

	if (!run->p) {
		add(run, "tcb-order", R_FAIL, "product unknown: TCB layout unknown");
		return;
	}
	snp_tcb_str(r->current_tcb, run->p, cur, sizeof(cur));
	snp_tcb_str(r->committed_tcb, run->p, com, sizeof(com));
	snp_tcb_str(r->reported_tcb, run->p, rep, sizeof(rep));
	snprintf(want, sizeof(want), "reported <= current; committed %s current",
		 run->o->require_committed ? "==" : "<=");
	snprintf(have, sizeof(have), "reported %s; committed %s; current %s", rep, com, cur);
	if ((bad = tcb_le(run->p, r->reported_tcb, r->current_tcb)))
		c = add(run, "tcb-order", R_FAIL, "REPORTED_TCB %s is above CURRENT_TCB", bad);
	else if ((bad = tcb_le(run->p, r->committed_tcb, r->current_tcb)) || fw_com > fw_cur)
		c = add(run, "tcb-order", R_FAIL,
			"committed TCB/firmware is above the current one");
	else if (run->o->require_committed &&
		 (r->committed_tcb != r->current_tcb || fw_com != fw_cur))
		c = add(
		    run, "tcb-order", R_FAIL,
		    "committed TCB/firmware differs from the current one (--require-committed)");
	else
		c = add(run, "tcb-order", R_PASS, "TCB values are consistent");
	set_ea(c, want, have);
}

static enum cgs_err check_signature(struct run *run)
{
	struct cgs_diag d;
	enum cgs_err e;
	struct check *c;

	if (snp_report_signing_key(run->r) == SNP_SIGNER_NONE) {
		add(run, "signature", R_FAIL, "the report is unsigned");
		return CGS_OK;
	}
	if (!run->chain.vek) {
		add(run, "signature", R_FAIL, "no VEK to check the signature with");
		return CGS_OK;
	}
	for (size_t i = 0x330; i < SNP_REPORT_SIZE; i++)
		if (run->r->raw[i]) {
			c = add(run, "signature", R_FAIL,
				"reserved signature bytes 0x330-0x49f are not zero (0x%zx)", i);
			set_ea(c, "valid", "invalid");
			return CGS_OK;
		}
	cgs_diag_clear(&d);
	e = amd_report_sig_verify(X509_get0_pubkey(run->chain.vek), run->r->raw,
				  SNP_REPORT_SIGNED_LEN, run->r->sig_r, run->r->sig_s, &d);
	if (e && e != CGS_E_VERIFY) {
		*run->d = d;
		return fail_at(run, e, "check the signature of", NULL);
	}
	c = e ? add(run, "signature", R_FAIL, "%s", d.text)
	      : add(run, "signature", R_PASS,
		    "ECDSA P-384/SHA-384 over bytes 0x000-0x29f verifies under the VEK");
	set_ea(c, "valid", e ? "invalid" : "valid");
	return CGS_OK;
}

static void check_debug_vmpl(struct run *run)
{
	const struct snp_report *r = run->r;
	int dbg = !!(r->policy & SNP_POLICY_DEBUG);
	uint64_t want = run->o->has_vmpl ? run->o->vmpl : 0;
	char e[32], a[32];
	struct check *c;

	if (dbg && !run->o->allow_debug)
		c = add(run, "debug", R_FAIL,
			"POLICY.DEBUG is set: the host can read guest memory "
			"(use --allow-debug to accept)");
	else
		c = add(run, "debug", R_PASS, "%s",
			dbg ? "debug allowed by --allow-debug" : "POLICY.DEBUG is clear");
	set_ea(c, run->o->allow_debug ? "any" : "clear", dbg ? "set" : "clear");
	snprintf(e, sizeof(e), "%llu", (unsigned long long)want);
	snprintf(a, sizeof(a), "%u", r->vmpl);
	c = r->vmpl == want ? add(run, "vmpl", R_PASS, "VMPL %u", r->vmpl)
			    : add(run, "vmpl", R_FAIL, "VMPL %u, expected %llu%s", r->vmpl,
				  (unsigned long long)want, run->o->has_vmpl ? "" : " (default)");
	set_ea(c, e, a);
}

static void check_policy(struct run *run)
{
	const struct cgs_snp_policy *o = run->o;
	uint64_t pol = run->r->policy, flags = pol & SNP_POLICY_FLAGS_MASK;
	char bad[200] = "", e[160] = "", a[32];
	unsigned abi = (unsigned)(pol & 0xffff), max_abi = (unsigned)(o->policy_max & 0xffff);
	struct check *c;
	size_t n = 0;

	snprintf(a, sizeof(a), "0x%llx", (unsigned long long)pol);
	if (!o->has_policy_max && !o->has_policy_require && !(run->match && run->match->has_policy)) {
		c = add(run, "policy", R_SKIP, "no policy constraint given");
		set_ea(c, NULL, a);
		return;
	}
	if (o->has_policy_max) {
		uint64_t extra = flags & ~o->policy_max;

		n += (size_t)snprintf(e + n, sizeof(e) - n, "max 0x%llx ",
				      (unsigned long long)o->policy_max);
		if (extra)
			snprintf(bad, sizeof(bad), "policy flags 0x%llx exceed --policy-max",
				 (unsigned long long)extra);
		else if (abi < max_abi)
			snprintf(bad, sizeof(bad), "policy ABI %u.%u is below %u.%u", abi >> 8,
				 abi & 0xff, max_abi >> 8, max_abi & 0xff);
	}
	if (o->has_policy_require) {
		uint64_t need = o->policy_require & SNP_POLICY_FLAGS_MASK;

		n += (size_t)snprintf(e + n, sizeof(e) - n, "require 0x%llx ",
				      (unsigned long long)need);
		if ((flags & need) != need && !bad[0])
			snprintf(bad, sizeof(bad), "required policy flags 0x%llx are clear",
				 (unsigned long long)(need & ~flags));
	}
	if (run->match && run->match->has_policy) {
		snprintf(e + n, sizeof(e) - n, "id-block 0x%llx",
			 (unsigned long long)run->match->policy);
		if (pol != run->match->policy && !bad[0])
			snprintf(bad, sizeof(bad), "policy differs from the expected document's");
	}
	c = bad[0] ? add(run, "policy", R_FAIL, "%s", bad)
		   : add(run, "policy", R_PASS, "policy within the given constraints");
	set_ea(c, e, a);
}

static void check_svn(struct run *run)
{
	const struct cgs_snp_policy *o = run->o;
	uint32_t svn = run->r->guest_svn;
	char e[64] = "", a[16];
	struct check *c;

	snprintf(a, sizeof(a), "%u", svn);
	if (!o->has_min_guest_svn && !(run->match && run->match->has_guest_svn)) {
		c = add(run, "guest-svn", R_SKIP, "no minimum given");
		set_ea(c, NULL, a);
		return;
	}
	if (run->match && run->match->has_guest_svn) {
		snprintf(e, sizeof(e), "== %llu", (unsigned long long)run->match->guest_svn);
		c = svn == run->match->guest_svn
			? add(run, "guest-svn", R_PASS, "GUEST_SVN equals the ID block's")
			: add(run, "guest-svn", R_FAIL, "GUEST_SVN differs from the ID block's");
		if (c->result == R_FAIL || !o->has_min_guest_svn) {
			set_ea(c, e, a);
			return;
		}
		run->n--; /* the minimum below decides */
	}
	snprintf(e, sizeof(e), ">= %llu", (unsigned long long)o->min_guest_svn);
	c = svn >= o->min_guest_svn ? add(run, "guest-svn", R_PASS, "GUEST_SVN meets the minimum")
			      : add(run, "guest-svn", R_FAIL, "GUEST_SVN %u is below %llu", svn,
				    (unsigned long long)o->min_guest_svn);
	set_ea(c, e, a);
}

static void check_measurement(struct run *run)
{
	const struct cgs_snp_policy *o = run->o;
	char a[97], e[200];
	struct check *c;

	hex_of(run->r->measurement, 48, a);
	run->match = NULL;
	if (!o->n_expected) {
		c = add(run, "measurement", R_SKIP, "no expected measurement given");
		set_ea(c, NULL, a);
		return;
	}
	for (size_t i = 0; i < o->n_expected && !run->match; i++)
		if (!memcmp(o->expected[i].measurement, run->r->measurement, 48))
			run->match = &o->expected[i];
	if (o->n_expected == 1)
		hex_of(o->expected[0].measurement, 48, e);
	else
		snprintf(e, sizeof(e), "one of %zu measurements", o->n_expected);
	c = run->match ? add(run, "measurement", R_PASS, "MEASUREMENT matches the expected value")
		       : add(run, "measurement", R_FAIL, "MEASUREMENT matches no expected value");
	set_ea(c, e, a);
}

static void check_id_fields(struct run *run)
{
	const struct cgs_snp_policy *o = run->o;
	const struct cgs_snp_expected *m = run->match;
	const struct snp_report *r = run->r;
	const uint8_t *want;

	check_bytes(run, "report-data", o->report_data.set ? o->report_data.v : NULL, 64,
		    r->report_data, "--report-data");
	check_bytes(run, "host-data", o->host_data.set ? o->host_data.v : NULL, 32, r->host_data,
		    "--host-data");
	want = o->family_id.set ? o->family_id.v : m && m->has_family_id ? m->family_id : NULL;
	check_bytes(run, "family-id", want, 16, r->family_id,
		    o->family_id.set ? "--family-id" : "the expected document");
	want = o->image_id.set ? o->image_id.v : m && m->has_image_id ? m->image_id : NULL;
	check_bytes(run, "image-id", want, 16, r->image_id,
		    o->image_id.set ? "--image-id" : "the expected document");
	want = o->id_key_digest.set ? o->id_key_digest.v : m && m->has_id_key_digest ? m->id_key_digest : NULL;
	check_bytes(run, "id-key-digest", want, 48, r->id_key_digest,
		    o->id_key_digest.set ? "--id-key-digest" : "the expected document");
	want = o->author_key_digest.set    ? o->author_key_digest.v
	       : m && m->has_author_key_digest ? m->author_key_digest
				    : NULL;
	check_bytes(run, "author-key-digest", want, 48, r->author_key_digest,
		    o->author_key_digest.set ? "--author-key-digest" : "the expected document");
	if (want && !(r->key_info & SNP_KEYINFO_AUTHOR_KEY_EN)) {
		struct check *c = &run->checks[run->n - 1];

		c->result = R_FAIL;
		snprintf(c->reason, sizeof(c->reason),
			 "an author key is expected but KEY_INFO.AUTHOR_KEY_EN is clear");
	}
}

/* Azure HCL: REPORT_DATA binds the runtime claims (their hash, then zeros) */
static void check_hcl(struct run *run)
{
	const struct snp_wrapper *w = &run->wrap;
	char e[129], a[129];
	struct check *c;

	if (!w->is_hcl)
		return;
	hex_of(run->r->report_data, 64, a);
	if (!w->claims_digest_len) {
		c = add(run, "hcl-report-data", R_FAIL, "unknown HCL hash type %u", w->hash_type);
		set_ea(c, NULL, a);
		return;
	}
	memset(e, '0', 128);
	e[128] = '\0';
	hex_of(w->claims_digest, w->claims_digest_len, e);
	e[2 * w->claims_digest_len] = w->claims_digest_len < 64 ? '0' : '\0';
	c = memcmp(run->r->report_data, w->claims_digest, w->claims_digest_len) ||
		    !zero(run->r->report_data + w->claims_digest_len, 64 - w->claims_digest_len)
		? add(run, "hcl-report-data", R_FAIL,
		      "REPORT_DATA does not carry the hash of the HCL runtime claims")
		: add(run, "hcl-report-data", R_PASS,
		      "REPORT_DATA binds the HCL runtime claims (hash type %u)", w->hash_type);
	set_ea(c, e, a);
}

static void check_firmware(struct run *run)
{
	const struct snp_report *r = run->r;
	const unsigned *m = run->o->min_firmware;
	char e[24], a[24];
	struct check *c;
	uint32_t have =
	    (uint32_t)r->committed_major << 16 | r->committed_minor << 8 | r->committed_build;

	snprintf(a, sizeof(a), "%u.%u.%u", r->committed_major, r->committed_minor,
		 r->committed_build);
	if (!run->o->has_min_firmware) {
		c = add(run, "min-firmware", R_SKIP, "no minimum given");
		set_ea(c, NULL, a);
		return;
	}
	snprintf(e, sizeof(e), ">= %u.%u.%u", m[0], m[1], m[2]);
	c = have >= (m[0] << 16 | m[1] << 8 | m[2])
		? add(run, "min-firmware", R_PASS, "committed firmware meets the minimum")
		: add(run, "min-firmware", R_FAIL, "committed firmware %s is below %u.%u.%u", a,
		      m[0], m[1], m[2]);
	set_ea(c, e, a);
}

static void check_platform(struct run *run)
{
	const struct cgs_snp_policy *o = run->o;
	uint64_t pi = run->r->platform_info, unk = pi & ~SNP_PLATFORM_KNOWN_MASK;
	uint64_t missing = o->platform_require & ~pi, extra = o->platform_forbid & pi;
	char a[24], e[64] = "";
	struct check *c;

	snprintf(a, sizeof(a), "0x%llx", (unsigned long long)pi);
	if (o->platform_require || o->platform_forbid)
		snprintf(e, sizeof(e), "set 0x%llx, clear 0x%llx",
			 (unsigned long long)o->platform_require,
			 (unsigned long long)o->platform_forbid);
	if (missing)
		c = add(run, "platform-info", R_FAIL,
			"required PLATFORM_INFO bits 0x%llx are clear",
			(unsigned long long)missing);
	else if (extra)
		c = add(run, "platform-info", R_FAIL, "forbidden PLATFORM_INFO bits 0x%llx are set",
			(unsigned long long)extra);
	else if (unk)
		c = add(run, "platform-info", R_PASS,
			"unknown PLATFORM_INFO bits 0x%llx set (reported, not fatal)",
			(unsigned long long)unk);
	else
		c = add(run, "platform-info", R_PASS, "PLATFORM_INFO decoded");
	set_ea(c, e, a);
}

/* v5+: both mitigation vectors contain the required bits */
static void check_mit(struct run *run)
{
	const struct snp_report *r = run->r;
	uint64_t need = run->o->min_mit_vector;
	char e[24], a[48];
	struct check *c;

	if (!run->o->has_min_mit_vector) {
		add(run, "mit-vector", R_SKIP, "no minimum given");
		return;
	}
	snprintf(e, sizeof(e), "0x%llx", (unsigned long long)need);
	if (!r->has_mit_vectors) {
		c = add(run, "mit-vector", R_FAIL,
			"report version %u has no mitigation vectors (version 5+)", r->version);
		set_ea(c, e, "absent");
		return;
	}
	snprintf(a, sizeof(a), "launch 0x%llx, current 0x%llx",
		 (unsigned long long)r->launch_mit_vector,
		 (unsigned long long)r->current_mit_vector);
	if ((r->launch_mit_vector & need) != need || (r->current_mit_vector & need) != need)
		c = add(run, "mit-vector", R_FAIL, "a mitigation vector lacks required bits");
	else
		c = add(run, "mit-vector", R_PASS, "both mitigation vectors contain the bits");
	set_ea(c, e, a);
}

static enum cgs_err run_checks(struct run *run, const struct amd_certs *certs)
{
	int vlek = snp_report_signing_key(run->r) == SNP_SIGNER_VLEK;
	struct cgs_diag *d = run->d;
	enum cgs_err e;

	check_signing_key(run);
	check_product(run, certs);
	e = amd_chain_check(certs, run->p ? run->p->kds_name : NULL, vlek, (time_t)run->o->at,
			    &run->chain, d);
	if (e)
		return fail_at(run, e, "check", "the certificate chain");
	add_step(run, "ark", &run->chain.ark_step);
	add_step(run, "ask", &run->chain.ica_step);
	add_step(run, "vek", &run->chain.vek_step);
	add_step(run, "validity", &run->chain.validity_step);
	add_step(run, "crl", &run->chain.crl_step);
	if (run->chain.vek) {
		e = amd_vek_info_get(run->chain.vek, &run->vek, d);
		if (e == CGS_E_MALFORMED)
			add(run, "vek-extensions", R_FAIL, "bad AMD extension %s: %s", d->field,
			    d->text);
		else if (e)
			return fail_at(run, e, "read", "the VEK");
		run->have_vek = !e;
	}
	check_vek_product(run, vlek);
	check_vek_tcb(run);
	check_chip_id(run, vlek);
	check_tcb_order(run);
	if ((e = check_signature(run)))
		return e;
	check_hcl(run);
	check_debug_vmpl(run);
	check_measurement(run);
	check_policy(run);
	check_svn(run);
	check_id_fields(run);
	check_min_tcb(run, "min-tcb", run->o->min_tcb, run->r->reported_tcb, "REPORTED_TCB");
	check_min_tcb(run, "min-launch-tcb", run->o->min_launch_tcb, run->r->launch_tcb,
		      "LAUNCH_TCB");
	check_firmware(run);
	check_mit(run);
	check_platform(run);
	return CGS_OK;
}

/* ---- the verdict ---- */

static const char *res_name(enum result r)
{
	return r == R_PASS ? "pass" : r == R_FAIL ? "fail" : "skip";
}

static int is_skipped(const struct cgs_snp_policy *o, const char *name)
{
	for (size_t i = 0; i < o->n_skip; i++)
		if (!strcmp(o->skip[i], name))
			return 1;
	return 0;
}

/* the scratch checks into the verdict, each with its class; skips applied */
static void to_verdict(const struct run *run, struct cgs_verdict *v)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct check *c = &run->checks[i];
		const struct cgs_check_def *def = cgs_check_def_find(snp_checks, N_SNP_CHECKS, c->name);
		enum cgs_check_class cls = def ? def->cls : CGS_CHECK_AUTHENTICITY;
		enum cgs_check_result r = c->result == R_PASS   ? CGS_CHECK_PASS
					  : c->result == R_FAIL ? CGS_CHECK_FAIL
								: CGS_CHECK_SKIP;

		if (cls == CGS_CHECK_POLICY && is_skipped(run->o, c->name))
			cgs_verdict_add(v, c->name, cls, CGS_CHECK_SKIP, c->expected, c->actual,
					"skipped by --skip %s (would have been %s: %s)", c->name,
					res_name(c->result), c->reason);
		else
			cgs_verdict_add(v, c->name, cls, r, c->expected, c->actual, "%s", c->reason);
	}
}

static enum cgs_err check_skips(const struct cgs_snp_policy *o, struct cgs_diag *d)
{
	enum cgs_err e = CGS_OK;

	for (size_t i = 0; i < o->n_skip && !e; i++)
		e = cgs_skip_validate(snp_checks, N_SNP_CHECKS, o->skip[i], d);
	for (size_t i = 0; i < 2 && !e; i++) {
		const char *spec = i ? o->min_launch_tcb : o->min_tcb;

		if (spec)
			e = cgs_snp_tcb_spec_check(spec, d);
	}
	return e;
}

static enum cgs_err verify_run(struct run *run, const struct cgs_snp_inputs *in,
			       struct cgs_snp_result *ret)
{
	struct cgs_snp_detail *det = ret->detail;
	struct amd_certs certs;
	enum cgs_err e;

	amd_certs_init(&certs);
	e = load_certs(in, &certs, ret, run->d);
	if (!e)
		e = run_checks(run, &certs);
	if (e && !ret->err_action) {
		ret->err_action = run->err_action;
		ret->err_path = run->err_path;
	}
	if (!e && run->chain.vek && X509_up_ref(run->chain.vek))
		det->vek_cert = run->chain.vek;
	det->product = run->p;
	det->vek = run->vek;
	det->have_vek = run->have_vek;
	amd_certs_free(&certs);
	return e;
}

enum cgs_err cgs_snp_verify(const struct cgs_snp_inputs *in, const struct cgs_snp_policy *policy,
			    struct cgs_snp_result *ret, struct cgs_diag *d)
{
	struct run *run;
	enum cgs_err e;

	memset(ret, 0, sizeof(*ret));
	cgs_verdict_init(&ret->verdict);
	if ((e = check_skips(policy, d)))
		return e;
	ret->detail = calloc(1, sizeof(*ret->detail));
	run = calloc(1, sizeof(*run));
	if (!ret->detail || !run) {
		free(run);
		cgs_snp_result_free(ret);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	e = snp_report_decode(in->report, in->report_len, policy->allow_versions,
			      &ret->detail->report, &ret->detail->wrap, d);
	if (e) {
		ret->err_action = "parse";
	} else {
		run->o = policy;
		run->r = &ret->detail->report;
		run->wrap = ret->detail->wrap;
		run->d = d;
		e = verify_run(run, in, ret);
	}
	if (!e) {
		to_verdict(run, &ret->verdict);
		if (ret->verdict.oom)
			e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		ret->verified = cgs_verdict_verified(&ret->verdict);
	}
	free(run);
	if (e) {
		const char *action = ret->err_action, *path = ret->err_path;

		cgs_snp_result_free(ret);
		ret->err_action = action;
		ret->err_path = path;
	}
	return e;
}

void cgs_snp_result_free(struct cgs_snp_result *r)
{
	cgs_verdict_free(&r->verdict);
	if (r->detail)
		X509_free(r->detail->vek_cert);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

struct json_object *snp_vek_json(const struct cgs_snp_detail *run)
{
	struct json_object *o, *spl;
	static const char *const names[AMD_SPL_MAX] = {NULL,	"bl",	 "tee",	  "snp",   "spl_4",
						       "spl_5", "spl_6", "spl_7", "ucode", "fmc"};

	if (!run->have_vek)
		return NULL;
	if (!(o = json_object_new_object()))
		return NULL;
	cgs_json_add_str(o, "subject_cn", run->vek.cn);
	cgs_json_add_int(o, "struct_version", run->vek.struct_version);
	cgs_json_add_str(o, "product_name",
			 run->vek.has_product_name ? run->vek.product_name : NULL);
	if ((spl = json_object_new_object())) {
		for (int i = 1; i < AMD_SPL_MAX; i++)
			if (run->vek.spl[i] >= 0)
				cgs_json_add_int(spl, names[i], run->vek.spl[i]);
		cgs_json_add(o, "spl", spl);
	}
	if (run->vek.hwid_len)
		cgs_json_add_hex(o, "hwid", run->vek.hwid, run->vek.hwid_len);
	else
		cgs_json_add(o, "hwid", NULL);
	cgs_json_add_str(o, "csp_id", run->vek.has_csp_id ? run->vek.csp_id : NULL);
	return o;
}


uint64_t snp_bench_repeat(const struct cgs_snp_detail *det, uint64_t allow_versions, uint64_t n,
			  double *ret_cpu)
{
	struct snp_report r;
	struct cgs_diag d;
	EVP_PKEY *key = det->vek_cert ? X509_get0_pubkey(det->vek_cert) : NULL;
	struct amd_sig_verifier *v = key ? amd_sig_verifier_new(key) : NULL;
	struct timespec t0, t1;
	uint64_t ok = 0;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (uint64_t i = 0; i < n && v; i++) {
		if (snp_report_parse(det->report.raw, SNP_REPORT_SIZE, allow_versions, &r, &d))
			break;
		ok += amd_sig_verifier_check(v, r.raw, SNP_REPORT_SIGNED_LEN, r.sig_r, r.sig_s,
					     &d) == CGS_OK;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	amd_sig_verifier_free(v);
	*ret_cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return ok;
}
