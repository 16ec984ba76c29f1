// SPDX-License-Identifier: MIT
/*
 * The policy checks of the SEV-SNP verifier: the genuine report against what
 * the owner wants (expected measurement and ID fields, guest policy, SVNs, TCB
 * minimums, firmware and platform requirements). Each can be skipped by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/cli.h"
#include "lib/core/hex.h"
#include "lib/snp/snp_verify_int.h"

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

static void check_min_tcb(struct snp_run *run, const char *name, const char *spec, uint64_t tcb,
			  const char *field)
{
	struct tcb_spec t;
	char have[96], want[160] = "", bad[160] = "";
	size_t n, o = 0;
	const struct snp_tcb_comp *comps;
	struct snp_check *c;

	if (!spec) {
		snp_add(run, name, R_SKIP, "no minimum given");
		return;
	}
	if (!run->p) {
		snp_add(run, name, R_FAIL, "product unknown: cannot decode %s", field);
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
	c = bad[0] ? snp_add(run, name, R_FAIL, "%s", bad)
		   : snp_add(run, name, R_PASS, "%s meets the minimum", field);
	snp_set_ea(c, want, have);
}

static void check_debug_vmpl(struct snp_run *run)
{
	const struct snp_report *r = run->r;
	int dbg = !!(r->policy & SNP_POLICY_DEBUG);
	uint64_t want = run->o->has_vmpl ? run->o->vmpl : 0;
	char e[32], a[32];
	struct snp_check *c;

	if (dbg && !run->o->allow_debug)
		c = snp_add(run, "debug", R_FAIL,
			    "POLICY.DEBUG is set: the host can read guest memory "
			    "(use --allow-debug to accept)");
	else
		c = snp_add(run, "debug", R_PASS, "%s",
			    dbg ? "debug allowed by --allow-debug" : "POLICY.DEBUG is clear");
	snp_set_ea(c, run->o->allow_debug ? "any" : "clear", dbg ? "set" : "clear");
	snprintf(e, sizeof(e), "%llu", (unsigned long long)want);
	snprintf(a, sizeof(a), "%u", r->vmpl);
	c = r->vmpl == want
		? snp_add(run, "vmpl", R_PASS, "VMPL %u", r->vmpl)
		: snp_add(run, "vmpl", R_FAIL, "VMPL %u, expected %llu%s", r->vmpl,
			  (unsigned long long)want, run->o->has_vmpl ? "" : " (default)");
	snp_set_ea(c, e, a);
}

static void check_policy(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	uint64_t pol = run->r->policy, flags = pol & SNP_POLICY_FLAGS_MASK;
	char bad[200] = "", e[160] = "", a[32];
	unsigned abi = (unsigned)(pol & 0xffff), max_abi = (unsigned)(o->policy_max & 0xffff);
	struct snp_check *c;
	size_t n = 0;

	snprintf(a, sizeof(a), "0x%llx", (unsigned long long)pol);
	if (!o->has_policy_max && !o->has_policy_require &&
	    !(run->match && run->match->has_policy)) {
		c = snp_add(run, "policy", R_SKIP, "no policy constraint given");
		snp_set_ea(c, NULL, a);
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
	c = bad[0] ? snp_add(run, "policy", R_FAIL, "%s", bad)
		   : snp_add(run, "policy", R_PASS, "policy within the given constraints");
	snp_set_ea(c, e, a);
}

static void check_svn(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	uint32_t svn = run->r->guest_svn;
	char e[64] = "", a[16];
	struct snp_check *c;

	snprintf(a, sizeof(a), "%u", svn);
	if (!o->has_min_guest_svn && !(run->match && run->match->has_guest_svn)) {
		c = snp_add(run, "guest-svn", R_SKIP, "no minimum given");
		snp_set_ea(c, NULL, a);
		return;
	}
	if (run->match && run->match->has_guest_svn) {
		snprintf(e, sizeof(e), "== %llu", (unsigned long long)run->match->guest_svn);
		c = svn == run->match->guest_svn
			? snp_add(run, "guest-svn", R_PASS, "GUEST_SVN equals the ID block's")
			: snp_add(run, "guest-svn", R_FAIL,
				  "GUEST_SVN differs from the ID block's");
		if (c->result == R_FAIL || !o->has_min_guest_svn) {
			snp_set_ea(c, e, a);
			return;
		}
		run->n--; /* the minimum below decides */
	}
	snprintf(e, sizeof(e), ">= %llu", (unsigned long long)o->min_guest_svn);
	c = svn >= o->min_guest_svn
		? snp_add(run, "guest-svn", R_PASS, "GUEST_SVN meets the minimum")
		: snp_add(run, "guest-svn", R_FAIL, "GUEST_SVN %u is below %llu", svn,
			  (unsigned long long)o->min_guest_svn);
	snp_set_ea(c, e, a);
}

static void check_measurement(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	char a[97], e[200];
	struct snp_check *c;

	cgs_hex_encode(run->r->measurement, 48, a);
	run->match = NULL;
	if (!o->n_expected) {
		c = snp_add(run, "measurement", R_SKIP, "no expected measurement given");
		snp_set_ea(c, NULL, a);
		return;
	}
	for (size_t i = 0; i < o->n_expected && !run->match; i++)
		if (!memcmp(o->expected[i].measurement, run->r->measurement, 48))
			run->match = &o->expected[i];
	if (o->n_expected == 1)
		cgs_hex_encode(o->expected[0].measurement, 48, e);
	else
		snprintf(e, sizeof(e), "one of %zu measurements", o->n_expected);
	c = run->match
		? snp_add(run, "measurement", R_PASS, "MEASUREMENT matches the expected value")
		: snp_add(run, "measurement", R_FAIL, "MEASUREMENT matches no expected value");
	snp_set_ea(c, e, a);
}

static void check_id_fields(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	const struct cgs_snp_expected *m = run->match;
	const struct snp_report *r = run->r;
	const uint8_t *want;

	snp_check_bytes(run, "report-data", o->report_data.set ? o->report_data.v : NULL, 64,
			r->report_data, "--report-data");
	snp_check_bytes(run, "host-data", o->host_data.set ? o->host_data.v : NULL, 32,
			r->host_data, "--host-data");
	want = o->family_id.set ? o->family_id.v : m && m->has_family_id ? m->family_id : NULL;
	snp_check_bytes(run, "family-id", want, 16, r->family_id,
			o->family_id.set ? "--family-id" : "the expected document");
	want = o->image_id.set ? o->image_id.v : m && m->has_image_id ? m->image_id : NULL;
	snp_check_bytes(run, "image-id", want, 16, r->image_id,
			o->image_id.set ? "--image-id" : "the expected document");
	want = o->id_key_digest.set	   ? o->id_key_digest.v
	       : m && m->has_id_key_digest ? m->id_key_digest
					   : NULL;
	snp_check_bytes(run, "id-key-digest", want, 48, r->id_key_digest,
			o->id_key_digest.set ? "--id-key-digest" : "the expected document");
	want = o->author_key_digest.set	       ? o->author_key_digest.v
	       : m && m->has_author_key_digest ? m->author_key_digest
					       : NULL;
	snp_check_bytes(run, "author-key-digest", want, 48, r->author_key_digest,
			o->author_key_digest.set ? "--author-key-digest" : "the expected document");
	if (want && !(r->key_info & SNP_KEYINFO_AUTHOR_KEY_EN)) {
		struct snp_check *c = &run->checks[run->n - 1];

		c->result = R_FAIL;
		snprintf(c->reason, sizeof(c->reason),
			 "an author key is expected but KEY_INFO.AUTHOR_KEY_EN is clear");
	}
}

static int trusted(const uint8_t (*list)[48], size_t n, const uint8_t digest[48])
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(list[i], digest, 48))
			return 1;
	return 0;
}

/* the ID block's keys against the trusted ones (go-sev-guest's RequireIDBlock/AuthorKey) */
static void check_trusted_keys(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	const struct snp_report *r = run->r;
	int author_en = !!(r->key_info & SNP_KEYINFO_AUTHOR_KEY_EN);
	int id_ok = trusted(o->trusted_id_keys, o->n_trusted_id_keys, r->id_key_digest);
	int au_ok = author_en &&
		    trusted(o->trusted_author_keys, o->n_trusted_author_keys, r->author_key_digest);
	int required = o->require_id_block || o->require_author_key;
	char e[96], a[97];
	struct snp_check *c;

	snprintf(e, sizeof(e), "one of %zu trusted ID keys or %zu trusted author keys",
		 o->n_trusted_id_keys, o->n_trusted_author_keys);
	cgs_hex_encode(r->id_key_digest, 48, a);
	if (!required && !o->n_trusted_id_keys && !o->n_trusted_author_keys)
		c = snp_add(run, "id-key", R_SKIP, "no trusted ID or author key given");
	else if (id_ok || au_ok)
		c = snp_add(run, "id-key", R_PASS, "%s",
			    id_ok ? "ID_KEY_DIGEST is a trusted ID key"
				  : "the ID key is signed by a trusted "
				    "author key");
	else if (snp_is_zero(r->id_key_digest, 48) && !required)
		c = snp_add(run, "id-key", R_PASS, "no ID block, and none is required");
	else
		c = snp_add(run, "id-key", R_FAIL, "%s",
			    snp_is_zero(r->id_key_digest, 48)
				? "the guest was launched without an ID block"
				: "ID_KEY_DIGEST is not a trusted key, nor "
				  "signed by a trusted author key");
	snp_set_ea(c, e, a);
	cgs_hex_encode(r->author_key_digest, 48, a);
	if (!o->require_author_key)
		c = snp_add(run, "author-key", R_SKIP,
			    "no author key required (--require-author-key)");
	else if (au_ok)
		c = snp_add(run, "author-key", R_PASS, "AUTHOR_KEY_DIGEST is a trusted author key");
	else
		c = snp_add(run, "author-key", R_FAIL, "%s",
			    author_en ? "AUTHOR_KEY_DIGEST is not a trusted author key"
				      : "KEY_INFO.AUTHOR_KEY_EN is clear: no author key");
	snp_set_ea(c, o->require_author_key ? e : NULL, a);
}

static void check_parity(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	const struct snp_report *r = run->r;

	snp_check_bytes(run, "expected-chip-id", o->chip_id.set ? o->chip_id.v : NULL, 64,
			r->chip_id, "--chip-id");
	snp_check_bytes(run, "report-id", o->report_id.set ? o->report_id.v : NULL, 32,
			r->report_id, "--report-id");
	snp_check_bytes(run, "report-id-ma", o->report_id_ma.set ? o->report_id_ma.v : NULL, 32,
			r->report_id_ma, "--report-id-ma");
	check_trusted_keys(run);
}

/* Azure HCL: REPORT_DATA binds the runtime claims (their hash, then zeros) */
static void check_firmware(struct snp_run *run)
{
	const struct snp_report *r = run->r;
	const unsigned *m = run->o->min_firmware;
	char e[24], a[24];
	struct snp_check *c;
	uint32_t have =
	    (uint32_t)r->committed_major << 16 | r->committed_minor << 8 | r->committed_build;

	snprintf(a, sizeof(a), "%u.%u.%u", r->committed_major, r->committed_minor,
		 r->committed_build);
	if (!run->o->has_min_firmware) {
		c = snp_add(run, "min-firmware", R_SKIP, "no minimum given");
		snp_set_ea(c, NULL, a);
		return;
	}
	snprintf(e, sizeof(e), ">= %u.%u.%u", m[0], m[1], m[2]);
	c = have >= (m[0] << 16 | m[1] << 8 | m[2])
		? snp_add(run, "min-firmware", R_PASS, "committed firmware meets the minimum")
		: snp_add(run, "min-firmware", R_FAIL, "committed firmware %s is below %u.%u.%u", a,
			  m[0], m[1], m[2]);
	snp_set_ea(c, e, a);
}

static void check_platform(struct snp_run *run)
{
	const struct cgs_snp_policy *o = run->o;
	uint64_t pi = run->r->platform_info, unk = pi & ~SNP_PLATFORM_KNOWN_MASK;
	uint64_t missing = o->platform_require & ~pi, extra = o->platform_forbid & pi;
	char a[24], e[64] = "";
	struct snp_check *c;

	snprintf(a, sizeof(a), "0x%llx", (unsigned long long)pi);
	if (o->platform_require || o->platform_forbid)
		snprintf(e, sizeof(e), "set 0x%llx, clear 0x%llx",
			 (unsigned long long)o->platform_require,
			 (unsigned long long)o->platform_forbid);
	if (missing)
		c = snp_add(run, "platform-info", R_FAIL,
			    "required PLATFORM_INFO bits 0x%llx are clear",
			    (unsigned long long)missing);
	else if (extra)
		c = snp_add(run, "platform-info", R_FAIL,
			    "forbidden PLATFORM_INFO bits 0x%llx are set",
			    (unsigned long long)extra);
	else if (unk)
		c = snp_add(run, "platform-info", R_PASS,
			    "unknown PLATFORM_INFO bits 0x%llx set (reported, not fatal)",
			    (unsigned long long)unk);
	else
		c = snp_add(run, "platform-info", R_PASS, "PLATFORM_INFO decoded");
	snp_set_ea(c, e, a);
}

/* v5+: both mitigation vectors contain the required bits */
static void check_mit(struct snp_run *run)
{
	const struct snp_report *r = run->r;
	uint64_t need = run->o->min_mit_vector;
	char e[24], a[48];
	struct snp_check *c;

	if (!run->o->has_min_mit_vector) {
		snp_add(run, "mit-vector", R_SKIP, "no minimum given");
		return;
	}
	snprintf(e, sizeof(e), "0x%llx", (unsigned long long)need);
	if (!r->has_mit_vectors) {
		c = snp_add(run, "mit-vector", R_FAIL,
			    "report version %u has no mitigation vectors (version 5+)", r->version);
		snp_set_ea(c, e, "absent");
		return;
	}
	snprintf(a, sizeof(a), "launch 0x%llx, current 0x%llx",
		 (unsigned long long)r->launch_mit_vector,
		 (unsigned long long)r->current_mit_vector);
	if ((r->launch_mit_vector & need) != need || (r->current_mit_vector & need) != need)
		c = snp_add(run, "mit-vector", R_FAIL, "a mitigation vector lacks required bits");
	else
		c = snp_add(run, "mit-vector", R_PASS, "both mitigation vectors contain the bits");
	snp_set_ea(c, e, a);
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

void snp_check_tcb_order(struct snp_run *run)
{
	const struct snp_report *r = run->r;
	char cur[96], com[96], rep[96], want[200], have[320];
	const char *bad;
	struct snp_check *c;
	uint32_t fw_cur =
	    (uint32_t)r->current_major << 16 | r->current_minor << 8 | r->current_build;
	uint32_t fw_com =
	    (uint32_t)r->committed_major << 16 | r->committed_minor << 8 | r->committed_build;

	if (!run->p) {
		snp_add(run, "tcb-order", R_FAIL, "product unknown: TCB layout unknown");
		return;
	}
	snp_tcb_str(r->current_tcb, run->p, cur, sizeof(cur));
	snp_tcb_str(r->committed_tcb, run->p, com, sizeof(com));
	snp_tcb_str(r->reported_tcb, run->p, rep, sizeof(rep));
	snprintf(want, sizeof(want), "reported <= current; committed %s current",
		 run->o->require_committed ? "==" : "<=");
	snprintf(have, sizeof(have), "reported %s; committed %s; current %s", rep, com, cur);
	if ((bad = tcb_le(run->p, r->reported_tcb, r->current_tcb)))
		c = snp_add(run, "tcb-order", R_FAIL, "REPORTED_TCB %s is above CURRENT_TCB", bad);
	else if ((bad = tcb_le(run->p, r->committed_tcb, r->current_tcb)) || fw_com > fw_cur)
		c = snp_add(run, "tcb-order", R_FAIL,
			    "committed TCB/firmware is above the current one");
	else if (run->o->require_committed &&
		 (r->committed_tcb != r->current_tcb || fw_com != fw_cur))
		c = snp_add(
		    run, "tcb-order", R_FAIL,
		    "committed TCB/firmware differs from the current one (--require-committed)");
	else
		c = snp_add(run, "tcb-order", R_PASS, "TCB values are consistent");
	snp_set_ea(c, want, have);
}

void snp_checks_policy(struct snp_run *run)
{
	check_debug_vmpl(run);
	check_measurement(run);
	check_policy(run);
	check_svn(run);
	check_id_fields(run);
	check_parity(run);
	check_min_tcb(run, "min-tcb", run->o->min_tcb, run->r->reported_tcb, "REPORTED_TCB");
	check_min_tcb(run, "min-launch-tcb", run->o->min_launch_tcb, run->r->launch_tcb,
		      "LAUNCH_TCB");
	check_firmware(run);
	check_mit(run);
	check_platform(run);
}
