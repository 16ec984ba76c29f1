/* SPDX-License-Identifier: MIT */
/*
 * The SEV-SNP ATTESTATION_REPORT (1184 bytes, little-endian; SEV-SNP firmware
 * ABI, report versions 2, 3 and 5). Parse, serialise and validate on byte
 * arrays; product tables and the per-product TCB_VERSION layouts.
 */
#ifndef CGS_FORMATS_SNP_REPORT_H
#define CGS_FORMATS_SNP_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SNP_REPORT_SIZE 0x4a0
#define SNP_REPORT_SIGNED_LEN 0x2a0 /* bytes covered by the signature */
#define SNP_SIG_COMP_LEN 72	    /* r and s: 72-byte little-endian each */

/* POLICY bits */
#define SNP_POLICY_ABI_MINOR_MASK 0xffull
#define SNP_POLICY_ABI_MAJOR_SHIFT 8
#define SNP_POLICY_SMT (1ull << 16)
#define SNP_POLICY_RESERVED_ONE (1ull << 17)
#define SNP_POLICY_MIGRATE_MA (1ull << 18)
#define SNP_POLICY_DEBUG (1ull << 19)
#define SNP_POLICY_SINGLE_SOCKET (1ull << 20)
#define SNP_POLICY_CXL_ALLOW (1ull << 21)
#define SNP_POLICY_MEM_AES_256_XTS (1ull << 22)
#define SNP_POLICY_RAPL_DIS (1ull << 23)
#define SNP_POLICY_CIPHERTEXT_HIDING (1ull << 24)
#define SNP_POLICY_PAGE_SWAP_DISABLE (1ull << 25)
#define SNP_POLICY_FLAGS_MASK 0x3ff0000ull	 /* bits 16..25 */
#define SNP_POLICY_RESERVED_MASK (~0x3ffffffull) /* bits 26..63 must be zero */

/*
 * PLATFORM_INFO bits known to us (0-5, 7); others are reported, never fatal.
 * Bit 6 is set on real Turin reports but only secondary sources name it
 * (IOMMU_WRITE_SAFE, specs/snp-verify.md 2.2): it counts as unknown.
 */
#define SNP_PLATFORM_KNOWN_MASK 0xbfull

/* KEY_INFO */
#define SNP_KEYINFO_AUTHOR_KEY_EN 0x1u
#define SNP_KEYINFO_MASK_CHIP_KEY 0x2u
#define SNP_KEYINFO_SIGNING_SHIFT 2
#define SNP_KEYINFO_SIGNING_MASK 0x1cu
#define SNP_KEYINFO_RESERVED_MASK 0xffffffe0u

enum snp_signing_key { SNP_SIGNER_VCEK = 0, SNP_SIGNER_VLEK = 1, SNP_SIGNER_NONE = 7 };

enum snp_tcb_layout {
	SNP_TCB_LAYOUT_UNKNOWN = 0,
	SNP_TCB_LAYOUT_MILAN, /* Milan, Genoa, Bergamo/Siena: bl tee - - - - snp ucode */
	SNP_TCB_LAYOUT_TURIN, /* Turin: fmc bl tee snp - - - ucode */
};

/* one named TCB component: its byte in TCB_VERSION */
struct snp_tcb_comp {
	const char *name; /* "fmc", "bl", "tee", "snp", "ucode" */
	unsigned byte;
};

struct snp_product {
	const char *name;     /* "milan", "genoa", "bergamo", "turin" */
	const char *kds_name; /* product line at AMD KDS: "Milan", "Genoa", "Turin" */
	enum snp_tcb_layout layout;
	int vcek_struct_version; /* structVersion of its VCEK: 0 or 1 */
	size_t hwid_len;	 /* VCEK hwID length: 64 or 8 */
	uint8_t family, model_lo, model_hi;
};

struct snp_report {
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t vmpl;
	uint32_t sig_algo;
	uint64_t current_tcb;
	uint64_t platform_info;
	uint32_t key_info;
	uint8_t report_data[64];
	uint8_t measurement[48];
	uint8_t host_data[32];
	uint8_t id_key_digest[48];
	uint8_t author_key_digest[48];
	uint8_t report_id[32];
	uint8_t report_id_ma[32];
	uint64_t reported_tcb;
	int has_cpuid; /* v3+ */
	uint8_t cpuid_fam_id, cpuid_mod_id, cpuid_step;
	uint8_t chip_id[64];
	uint64_t committed_tcb;
	uint8_t current_build, current_minor, current_major;
	uint8_t committed_build, committed_minor, committed_major;
	uint64_t launch_tcb;
	int has_mit_vectors; /* v5+ */
	uint64_t launch_mit_vector, current_mit_vector;
	uint8_t sig_r[SNP_SIG_COMP_LEN];
	uint8_t sig_s[SNP_SIG_COMP_LEN];
	int unknown_version;	      /* a version outside 2, 3, 5 that the caller allowed */
	uint8_t raw[SNP_REPORT_SIZE]; /* the bytes as received (the signature covers these) */
};

/*
 * Parse and validate a report: size, version (2, 3 and 5; others only when
 * bit <version> of allow_versions is set, parsed with the nearest known
 * layout), SIGNATURE_ALGO, reserved areas, POLICY reserved bits, KEY_INFO.
 * CGS_E_MALFORMED / CGS_E_UNSUPPORTED with field and offset otherwise.
 */
enum cgs_err snp_report_parse(const uint8_t *buf, size_t len, uint64_t allow_versions,
			      struct snp_report *ret, struct cgs_diag *d);

/*
 * Serialise all fields into out (reserved areas zero, signature from sig_r/sig_s).
 * Used by tests and the test report signer.
 */
void snp_report_serialize(const struct snp_report *r, uint8_t out[SNP_REPORT_SIZE]);

static inline unsigned snp_report_signing_key(const struct snp_report *r)
{
	return (r->key_info & SNP_KEYINFO_SIGNING_MASK) >> SNP_KEYINFO_SIGNING_SHIFT;
}

const char *snp_signing_key_name(unsigned key); /* "vcek", "vlek", "none", "reserved" */

/* Product tables */
const struct snp_product *snp_product_by_name(const char *name); /* case-insensitive */
const struct snp_product *snp_product_from_cpuid(uint8_t family, uint8_t model);
/* From a VCEK/VLEK productName such as "Milan-B0", "Genoa", "Turin"; NULL if unknown. */
const struct snp_product *snp_product_from_kds_name(const char *product_name);
/* The list of products (NULL-name terminated), for help texts. */
const struct snp_product *snp_products(void);

/* TCB_VERSION layouts: the components in display order (n returned). */
const struct snp_tcb_comp *snp_tcb_components(enum snp_tcb_layout layout, size_t *ret_n);
/* One component's value; -1 if the layout has no such component. */
int snp_tcb_get(uint64_t tcb, enum snp_tcb_layout layout, const char *name);
/* Set one component; CGS_E_USAGE if the layout has no such component. */
enum cgs_err snp_tcb_set(uint64_t *tcb, enum snp_tcb_layout layout, const char *name,
			 uint8_t value);

/* Names of set POLICY flag bits / PLATFORM_INFO bits (NULL if unnamed). */
const char *snp_policy_bit_name(unsigned bit);
const char *snp_platform_bit_name(unsigned bit);

#endif
