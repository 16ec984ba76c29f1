// SPDX-License-Identifier: MIT
/*
 * The authenticity checks of the SEV-SNP verifier that look at the report
 * itself: which key signed it, which product it comes from, whether the VEK
 * was issued for this chip, product and TCB, the report's signature, and the
 * binding of an Azure HCL report's runtime claims.
 * They can never be skipped (cgs(7), CHECK CLASSES).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/hex.h"
#include "lib/snp/snp_verify_int.h"

static void check_signing_key(struct snp_run *run)
{
	const struct snp_report *r = run->r;
	unsigned sk = snp_report_signing_key(r);
	struct snp_check *c;

	if (sk == SNP_SIGNER_NONE)
		c = snp_add(run, "signing-key", R_FAIL,
			    "KEY_INFO says the report is not signed: it cannot be authenticated");
	else if (sk == SNP_SIGNER_VCEK && (r->key_info & SNP_KEYINFO_MASK_CHIP_KEY))
		c = snp_add(run, "signing-key", R_FAIL,
			    "VCEK-signed although KEY_INFO.MASK_CHIP_KEY is set");
	else
		c = snp_add(run, "signing-key", R_PASS, "signed by the %s",
			    sk == SNP_SIGNER_VLEK ? "VLEK" : "VCEK");
	snp_set_ea(c, "vcek or vlek", snp_signing_key_name(sk));
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

static void check_product(struct snp_run *run, const struct amd_certs *certs)
{
	const struct snp_report *r = run->r;
	const char *why;
	char actual[64] = "unknown";
	int conflict;
	struct snp_check *c;

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
	c = snp_add(run, "product", run->p && !conflict ? R_PASS : R_FAIL, "%s", why);
	snp_set_ea(c, run->o->product ? run->o->product : "known SNP product", actual);
}

static void check_vek_product(struct snp_run *run, int vlek)
{
	const struct amd_vek_info *v = &run->vek;
	const struct snp_product *vp;
	struct snp_check *c;
	char want[64];

	if (!run->have_vek || !run->p) {
		snp_add(run, "vek-product", R_FAIL, "%s", run->p ? "no VEK" : "product unknown");
		return;
	}
	snprintf(want, sizeof(want), "%s, structVersion %d", run->p->kds_name,
		 vlek ? 0 : run->p->vcek_struct_version);
	vp = snp_product_from_kds_name(v->has_product_name ? v->product_name : NULL);
	if (!v->has_product_name)
		c = snp_add(run, "vek-product", R_FAIL, "the VEK has no productName extension");
	else if (!vp || strcmp(vp->kds_name, run->p->kds_name))
		c = snp_add(run, "vek-product", R_FAIL, "VEK productName '%s' is not a %s product",
			    v->product_name, run->p->kds_name);
	else if (!vlek && v->struct_version != run->p->vcek_struct_version)
		c = snp_add(run, "vek-product", R_FAIL, "VCEK structVersion %d, expected %d for %s",
			    v->struct_version, run->p->vcek_struct_version, run->p->kds_name);
	else
		c = snp_add(run, "vek-product", R_PASS, "VEK productName '%s' matches the report",
			    v->product_name);
	snp_set_ea(c, want, v->has_product_name ? v->product_name : "(none)");
}

static void check_vek_tcb(struct snp_run *run)
{
	size_t n, o = 0;
	const struct snp_tcb_comp *comps;
	char want[96], have[96] = "", bad[160] = "";
	struct snp_check *c;

	if (!run->have_vek || !run->p) {
		snp_add(run, "vek-tcb", R_FAIL, "%s", run->p ? "no VEK" : "product unknown");
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
	c = bad[0] ? snp_add(run, "vek-tcb", R_FAIL, "%s", bad)
		   : snp_add(run, "vek-tcb", R_PASS, "VEK SPLs equal REPORTED_TCB");
	snp_set_ea(c, want, have);
}

static void check_chip_id(struct snp_run *run, int vlek)
{
	const struct amd_vek_info *v = &run->vek;
	char a[129], e[129];
	struct snp_check *c;

	if (!run->have_vek || !run->p) {
		snp_add(run, "chip-id", R_FAIL, "%s", run->p ? "no VEK" : "product unknown");
		return;
	}
	if (vlek) {
		if (v->hwid_len)
			c = snp_add(run, "chip-id", R_FAIL, "a VLEK must not carry a hwID");
		else if (!v->has_csp_id)
			c = snp_add(run, "chip-id", R_FAIL, "the VLEK has no cspID");
		else
			c = snp_add(run, "chip-id", R_PASS, "VLEK-signed (no hwID); cspID '%s'",
				    v->csp_id);
		snp_set_ea(c, "VLEK cspID", v->has_csp_id ? v->csp_id : "(none)");
		return;
	}
	cgs_hex_encode(run->r->chip_id, run->p->hwid_len, a);
	if (v->hwid_len)
		cgs_hex_encode(v->hwid, v->hwid_len, e);
	else
		strcpy(e, "(none)");
	if (!v->hwid_len)
		c = snp_add(run, "chip-id", R_FAIL, "the VCEK has no hwID");
	else if (v->has_csp_id)
		c = snp_add(run, "chip-id", R_FAIL, "a VCEK must not carry a cspID");
	else if (v->hwid_len != run->p->hwid_len)
		c = snp_add(run, "chip-id", R_FAIL, "VCEK hwID has %zu bytes, %s uses %zu",
			    v->hwid_len, run->p->kds_name, run->p->hwid_len);
	else if (snp_is_zero(run->r->chip_id, 64))
		c = snp_add(run, "chip-id", R_FAIL,
			    "CHIP_ID is masked (all zero): cannot bind the VCEK");
	else if (memcmp(v->hwid, run->r->chip_id, v->hwid_len) ||
		 !snp_is_zero(run->r->chip_id + v->hwid_len, 64 - v->hwid_len))
		c = snp_add(run, "chip-id", R_FAIL, "CHIP_ID differs from the VCEK hwID");
	else
		c = snp_add(run, "chip-id", R_PASS, "CHIP_ID equals the VCEK hwID (%zu bytes)",
			    v->hwid_len);
	snp_set_ea(c, e, a);
}

static enum cgs_err check_signature(struct snp_run *run)
{
	struct cgs_diag d;
	enum cgs_err e;
	struct snp_check *c;

	if (snp_report_signing_key(run->r) == SNP_SIGNER_NONE) {
		snp_add(run, "signature", R_FAIL, "the report is unsigned");
		return CGS_OK;
	}
	if (!run->chain.vek) {
		snp_add(run, "signature", R_FAIL, "no VEK to check the signature with");
		return CGS_OK;
	}
	for (size_t i = 0x330; i < SNP_REPORT_SIZE; i++)
		if (run->r->raw[i]) {
			c = snp_add(run, "signature", R_FAIL,
				    "reserved signature bytes 0x330-0x49f are not zero (0x%zx)", i);
			snp_set_ea(c, "valid", "invalid");
			return CGS_OK;
		}
	cgs_diag_clear(&d);
	e = amd_report_sig_verify(X509_get0_pubkey(run->chain.vek), run->r->raw,
				  SNP_REPORT_SIGNED_LEN, run->r->sig_r, run->r->sig_s, &d);
	if (e && e != CGS_E_VERIFY) {
		*run->d = d;
		return snp_fail_at(run, e, "check the signature of", NULL);
	}
	c = e ? snp_add(run, "signature", R_FAIL, "%s", d.text)
	      : snp_add(run, "signature", R_PASS,
			"ECDSA P-384/SHA-384 over bytes 0x000-0x29f verifies under the VEK");
	snp_set_ea(c, "valid", e ? "invalid" : "valid");
	return CGS_OK;
}

static void check_hcl(struct snp_run *run)
{
	const struct snp_wrapper *w = &run->wrap;
	char e[129], a[129];
	struct snp_check *c;

	if (!w->is_hcl)
		return;
	cgs_hex_encode(run->r->report_data, 64, a);
	if (!w->claims_digest_len) {
		c = snp_add(run, "hcl-report-data", R_FAIL, "unknown HCL hash type %u",
			    w->hash_type);
		snp_set_ea(c, NULL, a);
		return;
	}
	memset(e, '0', 128);
	e[128] = '\0';
	cgs_hex_encode(w->claims_digest, w->claims_digest_len, e);
	e[2 * w->claims_digest_len] = w->claims_digest_len < 64 ? '0' : '\0';
	c = memcmp(run->r->report_data, w->claims_digest, w->claims_digest_len) ||
		    !snp_is_zero(run->r->report_data + w->claims_digest_len,
				 64 - w->claims_digest_len)
		? snp_add(run, "hcl-report-data", R_FAIL,
			  "REPORT_DATA does not carry the hash of the HCL runtime claims")
		: snp_add(run, "hcl-report-data", R_PASS,
			  "REPORT_DATA binds the HCL runtime claims (hash type %u)", w->hash_type);
	snp_set_ea(c, e, a);
}

void snp_checks_identity(struct snp_run *run, const struct amd_certs *certs)
{
	check_signing_key(run);
	check_product(run, certs);
}

void snp_checks_vek(struct snp_run *run, int vlek)
{
	check_vek_product(run, vlek);
	check_vek_tcb(run);
	check_chip_id(run, vlek);
}

enum cgs_err snp_checks_signature(struct snp_run *run)
{
	enum cgs_err e = check_signature(run);

	if (!e)
		check_hcl(run);
	return e;
}
