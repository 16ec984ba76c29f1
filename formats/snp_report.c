// SPDX-License-Identifier: MIT
/*
 * SEV-SNP ATTESTATION_REPORT layout (offsets from AMD's SEV-SNP firmware ABI,
 * as summarised in specs/snp-verify.md section 1).
 */
#include "formats/snp_report.h"

#include <string.h>
#include <strings.h>

#include "lib/core/endian.h"

static const struct snp_product products[] = {
    {"milan", "Milan", SNP_TCB_LAYOUT_MILAN, 0, 64, 0x19, 0x00, 0x0f},
    {"genoa", "Genoa", SNP_TCB_LAYOUT_MILAN, 0, 64, 0x19, 0x10, 0x1f},
    /* Zen 4c (Bergamo, Siena): AMD serves them from the Genoa line */
    {"bergamo", "Genoa", SNP_TCB_LAYOUT_MILAN, 0, 64, 0x19, 0xa0, 0xaf},
    {"turin", "Turin", SNP_TCB_LAYOUT_TURIN, 1, 8, 0x1a, 0x00, 0x1f},
    {NULL, NULL, SNP_TCB_LAYOUT_UNKNOWN, 0, 0, 0, 0, 0},
};

static const struct snp_tcb_comp layout_milan[] = {
    {"bl", 0},
    {"tee", 1},
    {"snp", 6},
    {"ucode", 7},
};

static const struct snp_tcb_comp layout_turin[] = {
    {"fmc", 0}, {"bl", 1}, {"tee", 2}, {"snp", 3}, {"ucode", 7},
};

/* reserved (must-be-zero) byte ranges */
struct span {
	uint16_t off, len;
	const char *field;
};

static const struct span reserved_common[] = {
    {0x04c, 4, "reserved_0x4c"},
    {0x1eb, 1, "reserved_0x1eb"},
    {0x1ef, 1, "reserved_0x1ef"},
};

static const struct span reserved_v2_cpuid = {0x188, 24, "reserved_0x188"};
static const struct span reserved_v3_cpuid = {0x18b, 21, "reserved_0x18b"};
static const struct span reserved_v2_tail = {0x1f8, 168, "reserved_0x1f8"};
static const struct span reserved_v5_tail = {0x208, 152, "reserved_0x208"};

const struct snp_product *snp_products(void)
{
	return products;
}

const struct snp_product *snp_product_by_name(const char *name)
{
	if (!name)
		return NULL;
	if (!strcasecmp(name, "siena"))
		name = "bergamo";
	for (const struct snp_product *p = products; p->name; p++)
		if (!strcasecmp(p->name, name))
			return p;
	return NULL;
}

const struct snp_product *snp_product_from_cpuid(uint8_t family, uint8_t model)
{
	for (const struct snp_product *p = products; p->name; p++)
		if (p->family == family && model >= p->model_lo && model <= p->model_hi)
			return p;
	return NULL;
}

const struct snp_product *snp_product_from_kds_name(const char *pn)
{
	size_t n;

	if (!pn)
		return NULL;
	for (const struct snp_product *p = products; p->name; p++) {
		n = strlen(p->kds_name);
		/* "Milan", "Milan-B0", ...: the line, optionally a stepping suffix */
		if (!strncmp(pn, p->kds_name, n) && (pn[n] == '\0' || pn[n] == '-'))
			return p;
	}
	return NULL;
}

const struct snp_tcb_comp *snp_tcb_components(enum snp_tcb_layout layout, size_t *ret_n)
{
	switch (layout) {
	case SNP_TCB_LAYOUT_MILAN:
		*ret_n = sizeof(layout_milan) / sizeof(layout_milan[0]);
		return layout_milan;
	case SNP_TCB_LAYOUT_TURIN:
		*ret_n = sizeof(layout_turin) / sizeof(layout_turin[0]);
		return layout_turin;
	default:
		*ret_n = 0;
		return NULL;
	}
}

static const struct snp_tcb_comp *find_comp(enum snp_tcb_layout layout, const char *name)
{
	size_t n;
	const struct snp_tcb_comp *c = snp_tcb_components(layout, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return &c[i];
	return NULL;
}

int snp_tcb_get(uint64_t tcb, enum snp_tcb_layout layout, const char *name)
{
	const struct snp_tcb_comp *c = find_comp(layout, name);

	return c ? (int)((tcb >> (8 * c->byte)) & 0xff) : -1;
}

enum cgs_err snp_tcb_set(uint64_t *tcb, enum snp_tcb_layout layout, const char *name, uint8_t value)
{
	const struct snp_tcb_comp *c = find_comp(layout, name);

	if (!c)
		return CGS_E_USAGE;
	*tcb &= ~(0xffull << (8 * c->byte));
	*tcb |= (uint64_t)value << (8 * c->byte);
	return CGS_OK;
}

const char *snp_signing_key_name(unsigned key)
{
	switch (key) {
	case SNP_SIGNER_VCEK:
		return "vcek";
	case SNP_SIGNER_VLEK:
		return "vlek";
	case SNP_SIGNER_NONE:
		return "none";
	default:
		return "reserved";
	}
}

const char *snp_policy_bit_name(unsigned bit)
{
	static const char *const names[] = {
	    "smt",
	    "reserved_1",
	    "migrate_ma",
	    "debug",
	    "single_socket",
	    "cxl_allow",
	    "mem_aes_256_xts",
	    "rapl_dis",
	    "ciphertext_hiding",
	    "page_swap_disable",
	};

	if (bit < 16 || bit > 25)
		return NULL;
	return names[bit - 16];
}

const char *snp_platform_bit_name(unsigned bit)
{
	static const char *const names[] = {
	    "smt_en",
	    "tsme_en",
	    "ecc_en",
	    "rapl_dis",
	    "ciphertext_hiding_en",
	    "alias_check_complete",
	    NULL, /* bit 6: see SNP_PLATFORM_KNOWN_MASK */
	    "sev_tio_en",
	};

	return bit < 8 ? names[bit] : NULL;
}

static enum cgs_err check_zero(const uint8_t *buf, const struct span *s, struct cgs_diag *d)
{
	for (unsigned i = 0; i < s->len; i++)
		if (buf[s->off + i])
			return cgs_diag_set(d, CGS_E_MALFORMED, s->field, s->off + i,
					    "reserved byte is 0x%02x, must be zero",
					    buf[s->off + i]);
	return CGS_OK;
}

static enum cgs_err check_version(uint32_t v, uint64_t allow, int *ret_unknown, struct cgs_diag *d)
{
	*ret_unknown = 0;
	if (v == 2 || v == 3 || v == 5)
		return CGS_OK;
	if (v < 64 && (allow >> v) & 1 && v >= 2) {
		*ret_unknown = 1;
		return CGS_OK;
	}
	return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 0,
			    "unsupported report version %u (supported: 2, 3, 5)", v);
}

static enum cgs_err check_reserved(const uint8_t *buf, uint32_t v, int unknown, struct cgs_diag *d)
{
	enum cgs_err e;

	for (size_t i = 0; i < sizeof(reserved_common) / sizeof(reserved_common[0]); i++)
		if ((e = check_zero(buf, &reserved_common[i], d)))
			return e;
	if ((e = check_zero(buf, v >= 3 ? &reserved_v3_cpuid : &reserved_v2_cpuid, d)))
		return e;
	if (v < 5)
		return check_zero(buf, &reserved_v2_tail, d);
	if (unknown) /* newer than we know: fields may live there; the signature decides */
		return CGS_OK;
	return check_zero(buf, &reserved_v5_tail, d);
}

static enum cgs_err check_fields(const struct snp_report *r, struct cgs_diag *d)
{
	unsigned sk = snp_report_signing_key(r);

	if (r->sig_algo != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "signature_algo", 0x34,
				    "unsupported signature algorithm %u (only 1, ECDSA P-384 "
				    "with SHA-384)",
				    r->sig_algo);
	if (!(r->policy & SNP_POLICY_RESERVED_ONE))
		return cgs_diag_set(d, CGS_E_MALFORMED, "policy", 0x8,
				    "policy bit 17 is clear (must be one)");
	if (r->policy & SNP_POLICY_RESERVED_MASK)
		return cgs_diag_set(d, CGS_E_MALFORMED, "policy", 0x8,
				    "policy 0x%llx has reserved bits 63:26 set",
				    (unsigned long long)r->policy);
	if (r->key_info & SNP_KEYINFO_RESERVED_MASK)
		return cgs_diag_set(d, CGS_E_MALFORMED, "key_info", 0x48,
				    "key_info 0x%x has reserved bits 31:5 set", r->key_info);
	if (sk != SNP_SIGNER_VCEK && sk != SNP_SIGNER_VLEK && sk != SNP_SIGNER_NONE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "key_info", 0x48,
				    "reserved signing key selector %u", sk);
	if (r->vmpl > 3)
		return cgs_diag_set(d, CGS_E_MALFORMED, "vmpl", 0x30, "vmpl %u out of range 0-3",
				    r->vmpl);
	return CGS_OK;
}

static void decode(const uint8_t *b, struct snp_report *r)
{
	r->version = cgs_le32(b + 0x00);
	r->guest_svn = cgs_le32(b + 0x04);
	r->policy = cgs_le64(b + 0x08);
	memcpy(r->family_id, b + 0x10, 16);
	memcpy(r->image_id, b + 0x20, 16);
	r->vmpl = cgs_le32(b + 0x30);
	r->sig_algo = cgs_le32(b + 0x34);
	r->current_tcb = cgs_le64(b + 0x38);
	r->platform_info = cgs_le64(b + 0x40);
	r->key_info = cgs_le32(b + 0x48);
	memcpy(r->report_data, b + 0x50, 64);
	memcpy(r->measurement, b + 0x90, 48);
	memcpy(r->host_data, b + 0xc0, 32);
	memcpy(r->id_key_digest, b + 0xe0, 48);
	memcpy(r->author_key_digest, b + 0x110, 48);
	memcpy(r->report_id, b + 0x140, 32);
	memcpy(r->report_id_ma, b + 0x160, 32);
	r->reported_tcb = cgs_le64(b + 0x180);
	r->cpuid_fam_id = b[0x188];
	r->cpuid_mod_id = b[0x189];
	r->cpuid_step = b[0x18a];
	memcpy(r->chip_id, b + 0x1a0, 64);
	r->committed_tcb = cgs_le64(b + 0x1e0);
	r->current_build = b[0x1e8];
	r->current_minor = b[0x1e9];
	r->current_major = b[0x1ea];
	r->committed_build = b[0x1ec];
	r->committed_minor = b[0x1ed];
	r->committed_major = b[0x1ee];
	r->launch_tcb = cgs_le64(b + 0x1f0);
	r->launch_mit_vector = cgs_le64(b + 0x1f8);
	r->current_mit_vector = cgs_le64(b + 0x200);
	memcpy(r->sig_r, b + 0x2a0, SNP_SIG_COMP_LEN);
	memcpy(r->sig_s, b + 0x2e8, SNP_SIG_COMP_LEN);
	memcpy(r->raw, b, SNP_REPORT_SIZE);
}

enum cgs_err snp_report_parse(const uint8_t *buf, size_t len, uint64_t allow_versions,
			      struct snp_report *ret, struct cgs_diag *d)
{
	struct snp_report r;
	int unknown;
	enum cgs_err e;

	if (len < 4)
		return cgs_diag_set(d, CGS_E_MALFORMED, "version", len,
				    "truncated: %zu bytes, a report has %u", len, SNP_REPORT_SIZE);
	if (len != SNP_REPORT_SIZE)
		return cgs_diag_set(
		    d, CGS_E_MALFORMED, NULL, len < SNP_REPORT_SIZE ? len : SNP_REPORT_SIZE,
		    "%s: %zu bytes, a report has exactly %u",
		    len < SNP_REPORT_SIZE ? "truncated" : "trailing data", len, SNP_REPORT_SIZE);
	memset(&r, 0, sizeof(r));
	decode(buf, &r);
	if ((e = check_version(r.version, allow_versions, &unknown, d)))
		return e;
	r.unknown_version = unknown;
	r.has_cpuid = r.version >= 3;
	r.has_mit_vectors = r.version >= 5;
	if (!r.has_cpuid)
		r.cpuid_fam_id = r.cpuid_mod_id = r.cpuid_step = 0;
	if (!r.has_mit_vectors)
		r.launch_mit_vector = r.current_mit_vector = 0;
	if ((e = check_reserved(buf, r.version, unknown, d)) || (e = check_fields(&r, d)))
		return e;
	*ret = r;
	return CGS_OK;
}

void snp_report_serialize(const struct snp_report *r, uint8_t out[SNP_REPORT_SIZE])
{
	uint8_t *b = out;

	memset(out, 0, SNP_REPORT_SIZE);
	cgs_put_le32(b + 0x00, r->version);
	cgs_put_le32(b + 0x04, r->guest_svn);
	cgs_put_le64(b + 0x08, r->policy);
	memcpy(b + 0x10, r->family_id, 16);
	memcpy(b + 0x20, r->image_id, 16);
	cgs_put_le32(b + 0x30, r->vmpl);
	cgs_put_le32(b + 0x34, r->sig_algo);
	cgs_put_le64(b + 0x38, r->current_tcb);
	cgs_put_le64(b + 0x40, r->platform_info);
	cgs_put_le32(b + 0x48, r->key_info);
	memcpy(b + 0x50, r->report_data, 64);
	memcpy(b + 0x90, r->measurement, 48);
	memcpy(b + 0xc0, r->host_data, 32);
	memcpy(b + 0xe0, r->id_key_digest, 48);
	memcpy(b + 0x110, r->author_key_digest, 48);
	memcpy(b + 0x140, r->report_id, 32);
	memcpy(b + 0x160, r->report_id_ma, 32);
	cgs_put_le64(b + 0x180, r->reported_tcb);
	if (r->version >= 3) {
		b[0x188] = r->cpuid_fam_id;
		b[0x189] = r->cpuid_mod_id;
		b[0x18a] = r->cpuid_step;
	}
	memcpy(b + 0x1a0, r->chip_id, 64);
	cgs_put_le64(b + 0x1e0, r->committed_tcb);
	b[0x1e8] = r->current_build;
	b[0x1e9] = r->current_minor;
	b[0x1ea] = r->current_major;
	b[0x1ec] = r->committed_build;
	b[0x1ed] = r->committed_minor;
	b[0x1ee] = r->committed_major;
	cgs_put_le64(b + 0x1f0, r->launch_tcb);
	if (r->version >= 5) {
		cgs_put_le64(b + 0x1f8, r->launch_mit_vector);
		cgs_put_le64(b + 0x200, r->current_mit_vector);
	}
	memcpy(b + 0x2a0, r->sig_r, SNP_SIG_COMP_LEN);
	memcpy(b + 0x2e8, r->sig_s, SNP_SIG_COMP_LEN);
}
