// SPDX-License-Identifier: MIT
/* The cgs-measure --json document of a launch digest: inputs and intermediate values. */
#include "lib/sev/sev_measure_json.h"

#include "lib/core/json.h"

static struct json_object *file_json(const char *path, const struct cgs_sev_measure_file *f)
{
	struct json_object *j;

	if (!path || !f->present)
		return NULL;
	j = json_object_new_object();
	if (!j || cgs_json_add_str(j, "path", path) || cgs_json_add_int(j, "size", (int64_t)f->size) ||
	    cgs_json_add_hex(j, "sha256", f->sha256, sizeof(f->sha256))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static int add_hex_or_null(struct json_object *j, const char *key, int have, const uint8_t *p,
			   size_t len)
{
	return have ? cgs_json_add_hex(j, key, p, len) : cgs_json_add(j, key, NULL);
}

static struct json_object *inputs_json(const struct cgs_sev_measure_inputs *in,
				       const char *vcpu_type, const struct cgs_sev_measure_result *r)
{
	struct json_object *j = json_object_new_object();
	int snp = in->mode != CGS_SEV_MODE_SEV && in->mode != CGS_SEV_MODE_SEV_ES;
	int rc;

	if (!j)
		return NULL;
	rc = cgs_json_add(j, "ovmf", file_json(in->ovmf, &r->ovmf)) ||
	     cgs_json_add(j, "kernel", file_json(in->kernel, &r->kernel)) ||
	     cgs_json_add(j, "initrd", file_json(in->initrd, &r->initrd)) ||
	     cgs_json_add_str(j, "append", in->append) ||
	     cgs_json_add(j, "svsm", file_json(in->svsm, &r->svsm)) ||
	     (in->mode == CGS_SEV_MODE_SNP_SVSM ? cgs_json_add_int(j, "vars_size", (int64_t)r->vars_size)
					    : cgs_json_add(j, "vars_size", NULL)) ||
	     cgs_json_add_int(j, "vcpus", in->mode == CGS_SEV_MODE_SEV ? 0 : in->vcpus) ||
	     cgs_json_add_str(j, "vcpu_type", vcpu_type) ||
	     cgs_json_add_u64hex(j, "vcpu_sig", in->vcpu_sig) ||
	     cgs_json_add_str(j, "vmm_type", cgs_sev_vmm_name(in->vmm)) ||
	     cgs_json_add_bool(j, "ec2_legacy", in->ec2_legacy) ||
	     cgs_json_add_str(j, "vmsa_fpu", in->vmsa_legacy_fpu ? "legacy" : "init2") ||
	     (snp ? cgs_json_add_u64hex(j, "guest_features",
					in->mode == CGS_SEV_MODE_SNP_SVSM ? 1 : in->guest_features)
		  : cgs_json_add_u64hex(j, "guest_features", 0)) ||
	     add_hex_or_null(j, "snp_ovmf_hash", r->ovmf_hash_given, in->ovmf_hash,
			     SEV_MEASURE_SHA384_LEN);
	if (rc) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static struct json_object *vmsas_json(const struct cgs_sev_measure_result *r)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < r->n_vmsas; i++) {
		const struct cgs_sev_measure_vmsa *v = &r->vmsas[i];
		struct json_object *e = json_object_new_object();
		size_t dlen = r->mode == CGS_SEV_MODE_SEV_ES ? 32 : 48;

		if (!e || cgs_json_add_str(e, "role", v->role) ||
		    cgs_json_add_int(e, "count", v->count) ||
		    cgs_json_add_u64hex(e, "eip", v->rip_eip) ||
		    cgs_json_add_hex(e, "digest", v->digest, dlen) ||
		    json_object_array_add(a, e)) {
			json_object_put(e);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static struct json_object *intermediate_json(const struct cgs_sev_measure_result *r)
{
	struct json_object *j = json_object_new_object();
	int snp = r->digest_len == SEV_MEASURE_SHA384_LEN;
	int rc;

	if (!j)
		return NULL;
	rc = add_hex_or_null(j, "ovmf_hash", r->has_ovmf_hash, r->ovmf_hash, 48) ||
	     cgs_json_add_u64hex(j, "ovmf_gpa", (1ull << 32) - r->ovmf.size) ||
	     add_hex_or_null(j, "kernel_sha256", r->kernel.present, r->kernel.sha256, 32) ||
	     add_hex_or_null(j, "initrd_sha256", r->has_hashes_table, r->initrd.sha256, 32) ||
	     add_hex_or_null(j, "cmdline_sha256", r->has_cmdline, r->cmdline_sha256, 32) ||
	     add_hex_or_null(j, "hashes_table", r->has_hashes_table, r->hashes_table, 176) ||
	     (r->has_hashes_table ? cgs_json_add_u64hex(j, "hashes_table_gpa", r->hashes_table_gpa)
				  : cgs_json_add(j, "hashes_table_gpa", NULL)) ||
	     (r->ap_eip ? cgs_json_add_u64hex(j, "ap_eip", r->ap_eip)
			: cgs_json_add(j, "ap_eip", NULL)) ||
	     (r->mode == CGS_SEV_MODE_SNP_SVSM ? cgs_json_add_u64hex(j, "svsm_gpa", r->svsm_gpa)
					   : cgs_json_add(j, "svsm_gpa", NULL)) ||
	     cgs_json_add(j, "vmsas", vmsas_json(r)) ||
	     (snp ? cgs_json_add_int(j, "snp_page_updates", (int64_t)r->snp_pages)
		  : cgs_json_add(j, "snp_page_updates", NULL));
	if (rc) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

struct json_object *sev_measure_json(const struct cgs_sev_measure_inputs *in, const char *vcpu_type,
				     const struct cgs_sev_measure_result *r)
{
	struct json_object *doc = cgs_json_doc("cgs-measure");
	int rc;

	rc = !doc || cgs_json_add_str(doc, "mode", cgs_sev_mode_name(r->mode)) ||
	     cgs_json_add_str(doc, "digest_alg", r->digest_len == 32 ? "sha256" : "sha384") ||
	     cgs_json_add_hex(doc, "measurement", r->digest, r->digest_len) ||
	     cgs_json_add(doc, "inputs", inputs_json(in, vcpu_type, r)) ||
	     cgs_json_add(doc, "intermediate", intermediate_json(r));
	if (rc) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}
