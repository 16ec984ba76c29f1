// SPDX-License-Identifier: MIT
#include "lib/snp/snp_decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/azure_hcl.h"
#include "lib/core/crypto.h"
#include "lib/core/json.h"

static enum cgs_err unwrap_hcl(const uint8_t *buf, size_t len, const uint8_t **ret_report,
			       struct snp_wrapper *wrap, struct cgs_diag *d)
{
	static const char *const md[] = {NULL, "SHA256", "SHA384", "SHA512"};
	struct azure_hcl h;
	enum cgs_err e = azure_hcl_parse(buf, len, &h, d);

	if (e)
		return e;
	*ret_report = h.report;
	wrap->is_hcl = 1;
	wrap->hash_type = h.hash_type;
	if (h.hash_type >= 1 && h.hash_type <= 3)
		e = cgs_digest(md[h.hash_type], h.var_data, h.var_len, wrap->claims_digest,
			       &wrap->claims_digest_len, d);
	return e;
}

enum cgs_err snp_report_decode(const uint8_t *buf, size_t len, uint64_t allow_versions,
			       struct snp_report *ret, struct snp_wrapper *wrap, struct cgs_diag *d)
{
	struct snp_wrapper w;
	const uint8_t *rep = buf;
	enum cgs_err e = CGS_OK;

	memset(&w, 0, sizeof(w));
	if (azure_hcl_detect(buf, len)) {
		e = unwrap_hcl(buf, len, &rep, &w, d);
		len = SNP_REPORT_SIZE;
	}
	if (!e)
		e = snp_report_parse(rep, len, allow_versions, ret, d);
	if (e && w.is_hcl && d && d->offset != CGS_DIAG_NO_OFFSET && rep != buf)
		d->offset += AZURE_HCL_REPORT_OFFSET;
	if (!e && wrap)
		*wrap = w;
	return e;
}

const struct snp_product *snp_report_product(const struct snp_report *r, const char *forced,
					     const char **ret_why, int *ret_conflict)
{
	const struct snp_product *f = snp_product_by_name(forced), *c = NULL;

	*ret_conflict = 0;
	if (r->has_cpuid)
		c = snp_product_from_cpuid(r->cpuid_fam_id, r->cpuid_mod_id);
	if (c && f && strcmp(c->kds_name, f->kds_name)) {
		*ret_conflict = 1;
		*ret_why = "--product contradicts the report's CPUID";
		return c;
	}
	if (c) {
		*ret_why = "from the report's CPUID";
		return c;
	}
	if (f) {
		*ret_why = r->has_cpuid ? "forced by --product (CPUID family/model unknown)"
					: "from --product (report version 2 has no CPUID)";
		return f;
	}
	*ret_why = r->has_cpuid ? "unknown CPUID family/model (use --product to force)"
				: "report version 2 has no CPUID (give --product or a VEK)";
	return NULL;
}

void snp_tcb_str(uint64_t tcb, const struct snp_product *p, char *out, size_t len)
{
	size_t n, o = 0;
	const struct snp_tcb_comp *c =
	    snp_tcb_components(p ? p->layout : SNP_TCB_LAYOUT_UNKNOWN, &n);

	if (!n) {
		snprintf(out, len, "0x%016llx", (unsigned long long)tcb);
		return;
	}
	out[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s=%d", i ? "," : "", c[i].name,
				      snp_tcb_get(tcb, p->layout, c[i].name));
}

static struct json_object *tcb_json(uint64_t tcb, const struct snp_product *p)
{
	struct json_object *o = json_object_new_object();
	size_t n;
	const struct snp_tcb_comp *c =
	    snp_tcb_components(p ? p->layout : SNP_TCB_LAYOUT_UNKNOWN, &n);

	if (!o)
		return NULL;
	cgs_json_add_u64hex(o, "raw", tcb);
	for (size_t i = 0; i < n; i++)
		cgs_json_add_int(o, c[i].name, snp_tcb_get(tcb, p->layout, c[i].name));
	return o;
}

static struct json_object *flags_json(uint64_t v, unsigned lo, unsigned hi,
				      const char *(*name)(unsigned))
{
	struct json_object *a = json_object_new_array();

	for (unsigned b = lo; a && b <= hi; b++)
		if ((v >> b) & 1 && name(b))
			json_object_array_add(a, json_object_new_string(name(b)));
	return a;
}

static void version_str(uint8_t maj, uint8_t min, uint8_t build, char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u", maj, min, build);
}

/* signature component as big-endian hex of its 48 significant bytes */
static void add_sig_comp(struct json_object *o, const char *key, const uint8_t *le)
{
	uint8_t be[48];

	for (int i = 0; i < 48; i++)
		be[i] = le[47 - i];
	cgs_json_add_hex(o, key, be, 48);
}

static void add_policy(struct json_object *o, const struct snp_report *r)
{
	struct json_object *p = json_object_new_object();

	cgs_json_add_u64hex(o, "policy", r->policy);
	if (!p)
		return;
	cgs_json_add_int(p, "abi_major", (r->policy >> SNP_POLICY_ABI_MAJOR_SHIFT) & 0xff);
	cgs_json_add_int(p, "abi_minor", r->policy & SNP_POLICY_ABI_MINOR_MASK);
	cgs_json_add(p, "flags", flags_json(r->policy, 16, 25, snp_policy_bit_name));
	cgs_json_add(o, "policy_decoded", p);
}

static void add_platform(struct json_object *o, const struct snp_report *r)
{
	cgs_json_add_u64hex(o, "platform_info", r->platform_info);
	cgs_json_add(o, "platform_info_flags",
		     flags_json(r->platform_info, 0, 7, snp_platform_bit_name));
	cgs_json_add_u64hex(o, "platform_info_unknown_bits",
			    r->platform_info & ~SNP_PLATFORM_KNOWN_MASK);
}

static void add_key_info(struct json_object *o, const struct snp_report *r)
{
	cgs_json_add_u64hex(o, "key_info", r->key_info);
	cgs_json_add_bool(o, "author_key_en", r->key_info & SNP_KEYINFO_AUTHOR_KEY_EN);
	cgs_json_add_bool(o, "mask_chip_key", r->key_info & SNP_KEYINFO_MASK_CHIP_KEY);
	cgs_json_add_str(o, "signing_key", snp_signing_key_name(snp_report_signing_key(r)));
}

static void add_cpuid(struct json_object *o, const struct snp_report *r)
{
	struct json_object *c;

	if (!r->has_cpuid) {
		cgs_json_add(o, "cpuid", NULL);
		return;
	}
	c = json_object_new_object();
	if (!c)
		return;
	cgs_json_add_int(c, "family", r->cpuid_fam_id);
	cgs_json_add_int(c, "model", r->cpuid_mod_id);
	cgs_json_add_int(c, "stepping", r->cpuid_step);
	cgs_json_add(o, "cpuid", c);
}

static void add_versions(struct json_object *o, const struct snp_report *r)
{
	char v[16];

	version_str(r->current_major, r->current_minor, r->current_build, v, sizeof(v));
	cgs_json_add_str(o, "current_version", v);
	version_str(r->committed_major, r->committed_minor, r->committed_build, v, sizeof(v));
	cgs_json_add_str(o, "committed_version", v);
}

static void add_mit(struct json_object *o, const struct snp_report *r)
{
	if (r->has_mit_vectors) {
		cgs_json_add_u64hex(o, "launch_mit_vector", r->launch_mit_vector);
		cgs_json_add_u64hex(o, "current_mit_vector", r->current_mit_vector);
	} else { /* absent before version 5: null, not zero */
		cgs_json_add(o, "launch_mit_vector", NULL);
		cgs_json_add(o, "current_mit_vector", NULL);
	}
}

struct json_object *snp_report_json(const struct snp_report *r, const struct snp_product *p)
{
	struct json_object *o = json_object_new_object(), *sig;

	if (!o)
		return NULL;
	cgs_json_add_int(o, "version", r->version);
	cgs_json_add_str(o, "product", p ? p->name : NULL);
	cgs_json_add_int(o, "guest_svn", r->guest_svn);
	add_policy(o, r);
	cgs_json_add_hex(o, "family_id", r->family_id, 16);
	cgs_json_add_hex(o, "image_id", r->image_id, 16);
	cgs_json_add_int(o, "vmpl", r->vmpl);
	cgs_json_add_int(o, "signature_algo", r->sig_algo);
	cgs_json_add(o, "current_tcb", tcb_json(r->current_tcb, p));
	add_platform(o, r);
	add_key_info(o, r);
	cgs_json_add_hex(o, "report_data", r->report_data, 64);
	cgs_json_add_hex(o, "measurement", r->measurement, 48);
	cgs_json_add_hex(o, "host_data", r->host_data, 32);
	cgs_json_add_hex(o, "id_key_digest", r->id_key_digest, 48);
	cgs_json_add_hex(o, "author_key_digest", r->author_key_digest, 48);
	cgs_json_add_hex(o, "report_id", r->report_id, 32);
	cgs_json_add_hex(o, "report_id_ma", r->report_id_ma, 32);
	cgs_json_add(o, "reported_tcb", tcb_json(r->reported_tcb, p));
	add_cpuid(o, r);
	cgs_json_add_hex(o, "chip_id", r->chip_id, 64);
	cgs_json_add(o, "committed_tcb", tcb_json(r->committed_tcb, p));
	add_versions(o, r);
	cgs_json_add(o, "launch_tcb", tcb_json(r->launch_tcb, p));
	add_mit(o, r);
	if ((sig = json_object_new_object())) {
		add_sig_comp(sig, "r", r->sig_r);
		add_sig_comp(sig, "s", r->sig_s);
		cgs_json_add(o, "signature", sig);
	}
	return o;
}
