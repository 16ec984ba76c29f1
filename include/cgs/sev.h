/* SPDX-License-Identifier: MIT */
/*
 * libcgs: AMD SEV, SEV-ES and SEV-SNP launch digests (cgs-measure), and the
 * legacy SEV verifiers (cgs-verify sev, sev-chain).
 *
 * Launch digest: what sev-snp-measure 0.0.13 computes, with the intermediate
 * values (firmware hash, kernel-hashes table, VMSA digests, page count):
 *
 *   struct cgs_sev_measure_inputs in;
 *   struct cgs_sev_measure_result *res = malloc(sizeof(*res));
 *   cgs_sev_measure_inputs_init(&in);
 *   in.mode = CGS_SEV_MODE_SNP; in.vcpus = 4; in.vcpu_sig = 0x00a00f11;
 *   in.ovmf = "OVMF.fd";
 *   if (cgs_sev_measure(&in, res, &diag)) ... res->err_file names the input at fault
 *
 * Files are read once; kernel and initrd are streamed (memory stays flat).
 *
 * Legacy SEV verification: cgs_sev_verify() checks a LAUNCH_MEASURE blob
 * (HMAC-SHA-256 under the TIK) against expected launch digests and,
 * optionally, the digest of the measured inputs; cgs_sev_chain_verify()
 * checks a SEV platform certificate chain and a SEV ATTESTATION report.
 * Both return a struct cgs_verdict (include/cgs/common.h).
 */
#ifndef CGS_SEV_H
#define CGS_SEV_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cgs_sev_mode {
	CGS_SEV_MODE_SEV,           /* "sev": SHA-256 */
	CGS_SEV_MODE_SEV_ES,        /* "seves": SHA-256 */
	CGS_SEV_MODE_SNP,           /* "snp": SHA-384 PAGE_INFO chain */
	CGS_SEV_MODE_SNP_OVMF_HASH, /* "snp:ovmf-hash": the chain after the firmware pages */
	CGS_SEV_MODE_SNP_SVSM,      /* "snp:svsm": COCONUT-SVSM under QEMU */
};

enum cgs_sev_vmm {
	CGS_SEV_VMM_QEMU,
	CGS_SEV_VMM_EC2,
	CGS_SEV_VMM_GCE,
};

#define CGS_SEV_SHA256_LEN 32
#define CGS_SEV_SHA384_LEN 48
#define CGS_SEV_VMSA_PAGE_SIZE 4096

struct cgs_sev_measure_inputs {
	enum cgs_sev_mode mode;
	uint32_t vcpus;
	uint32_t vcpu_sig;        /* CPUID 1 EAX: RDX of QEMU VMSAs (0 for ec2/gce) */
	enum cgs_sev_vmm vmm;
	int ec2_legacy;           /* ec2 with RDX 0 (sev-snp-measure <= 0.0.12, sev crate) */
	const char *ovmf;         /* required */
	const char *kernel;       /* NULL: no direct boot, no hashes table */
	const char *initrd;       /* NULL: hash of nothing (needs kernel) */
	const char *append;       /* NULL: not given (same digest as "") */
	uint64_t guest_features;  /* SNP SEV_FEATURES (default 0x1) */
	int has_ovmf_hash;        /* snp: start the chain from ovmf_hash */
	uint8_t ovmf_hash[CGS_SEV_SHA384_LEN];
	const char *svsm;         /* snp:svsm: the SVSM binary */
	uint64_t vars_size;       /* snp:svsm: size of the OVMF vars image... */
	const char *vars_file;    /* ...or the file giving it (not hashed) */
	int vmsa_legacy_fpu;      /* MXCSR/FCW 0, as before KVM_SEV_INIT2 (sevctl vmsa build) */
	const char *vmsa_files[2]; /* seves/snp: BSP [0] and AP [1] VMSA pages read from
				    * files instead of built (sevctl --vmsa-cpu0/--vmsa-cpu1) */
};

/* Defaults: mode snp, vmm QEMU, guest features 0x1, everything else 0/NULL. */
CGS_EXPORT void cgs_sev_measure_inputs_init(struct cgs_sev_measure_inputs *in);

/* A measured input file. */
struct cgs_sev_measure_file {
	int present;
	uint64_t size;
	uint8_t sha256[CGS_SEV_SHA256_LEN];
};

/* One distinct VMSA page and how many vCPUs use it. */
struct cgs_sev_measure_vmsa {
	const char *role;   /* "bsp", "ap" or "svsm" */
	uint32_t count;     /* vCPUs with this page */
	uint64_t rip_eip;   /* the reset EIP it was built from */
	uint8_t digest[CGS_SEV_SHA384_LEN]; /* SHA-384 (snp*) or SHA-256 (seves) */
	uint8_t page[CGS_SEV_VMSA_PAGE_SIZE];
};

struct cgs_sev_measure_result {
	enum cgs_sev_mode mode;
	size_t digest_len; /* 32 (sev, seves) or 48 (snp*) */
	uint8_t digest[CGS_SEV_SHA384_LEN];
	/* inputs with their own digests */
	struct cgs_sev_measure_file ovmf, kernel, initrd, svsm;
	uint64_t vars_size;
	/* intermediate values */
	int has_ovmf_hash, ovmf_hash_given;
	uint8_t ovmf_hash[CGS_SEV_SHA384_LEN]; /* SNP chain after the firmware pages */
	uint64_t ovmf_gpa, svsm_gpa;
	int has_cmdline;
	uint8_t cmdline_sha256[CGS_SEV_SHA256_LEN]; /* of append + NUL */
	int has_hashes_table;
	uint8_t hashes_table[176];       /* padded kernel-hashes table */
	uint64_t hashes_table_gpa;       /* from the firmware (SEV_HASH_TABLE_RV) */
	uint32_t ap_eip;                 /* SEV-ES reset block address (0 if unused) */
	uint64_t snp_pages;              /* PAGE_INFO updates in the chain */
	size_t n_vmsas;
	struct cgs_sev_measure_vmsa vmsas[2]; /* [0] BSP (or SVSM), [1] APs */
	const char *err_file;            /* on failure: the input at fault, or NULL */
};

/* Compute the launch digest. ret is filled on success; ret->err_file also on failure. */
CGS_EXPORT enum cgs_err cgs_sev_measure(const struct cgs_sev_measure_inputs *in, struct cgs_sev_measure_result *ret,
			 struct cgs_diag *d);

/* The VMSA page of vCPU i (0 = BSP) from a result, or NULL if i >= vcpus. */
CGS_EXPORT const uint8_t *cgs_sev_measure_vmsa_page(const struct cgs_sev_measure_result *r, uint32_t vcpus,
				     uint32_t i);

/* "sev", "seves", "snp", "snp:ovmf-hash", "snp:svsm"; parse returns -1 if unknown. */
CGS_EXPORT const char *cgs_sev_mode_name(enum cgs_sev_mode m);
CGS_EXPORT int cgs_sev_mode_parse(const char *s, enum cgs_sev_mode *ret);
/* "QEMU", "ec2", "gce" (case-sensitive, as sev-snp-measure). */
CGS_EXPORT const char *cgs_sev_vmm_name(enum cgs_sev_vmm v);
CGS_EXPORT int cgs_sev_vmm_parse(const char *s, enum cgs_sev_vmm *ret);

/* CPUID Fn0000_0001 EAX from family/model/stepping. */
CGS_EXPORT uint32_t cgs_sev_cpu_sig(uint32_t family, uint32_t model, uint32_t stepping);
/* The signature of a QEMU vCPU type known to sev-snp-measure; -1 if unknown. */
CGS_EXPORT int cgs_sev_vcpu_type_sig(const char *name, uint32_t *ret);
/* The i-th known vCPU type name, or NULL past the end. */
CGS_EXPORT const char *cgs_sev_vcpu_type_name(size_t i);

/* ---- expected launch digests (--expected, --expected-digest) ---- */

#define CGS_SEV_MAX_EXPECTED 64

struct cgs_sev_expected {
	uint8_t digest[CGS_SEV_SHA256_LEN];
	const char *mode; /* "sev", "seves", or NULL (a bare digest has no mode) */
	char source[48];  /* "--expected", "--expected[1]", "--expected-digest", "inputs" */
	void *doc;        /* libcgs-internal: its cgs-measure document, or NULL */
};

struct cgs_sev_expected_list {
	struct cgs_sev_expected v[CGS_SEV_MAX_EXPECTED];
	size_t n;
	void *docs; /* libcgs-internal: the documents read */
};

/* Add every document of a cgs-measure --json file (validated as cgs(7) says). */
CGS_EXPORT enum cgs_err cgs_sev_expected_add_file(struct cgs_sev_expected_list *l, const char *path,
						  struct cgs_diag *d);
/* Add a bare digest (source names it, e.g. "--expected-digest"). */
CGS_EXPORT enum cgs_err cgs_sev_expected_add_digest(struct cgs_sev_expected_list *l,
						    const uint8_t digest[CGS_SEV_SHA256_LEN],
						    const char *source, struct cgs_diag *d);
/* Free what a list holds and empty it (safe on a zeroed list). */
CGS_EXPORT void cgs_sev_expected_free(struct cgs_sev_expected_list *l);

/* ---- cgs-verify sev: LAUNCH_MEASURE ---- */

/* The checks of cgs_sev_verify(), with their classes (cgs(7), CHECK CLASSES). */
CGS_EXPORT const struct cgs_check_def *cgs_sev_checks(size_t *ret_n);

/* The checks of cgs_sev_chain_verify(), with their classes. */
CGS_EXPORT const struct cgs_check_def *cgs_sev_chain_checks(size_t *ret_n);

struct cgs_sev_verify_in {
	uint8_t measure[32], mnonce[16]; /* the LAUNCH_MEASURE blob */
	uint8_t tik[16];                 /* the transport integrity key (wiped by the caller) */
	uint8_t api_major, api_minor, build;
	uint32_t policy;
	const struct cgs_sev_expected_list *expected; /* may be NULL with inputs */
	/*
	 * Measured inputs (or NULL): their launch digest is the expected one and
	 * the list above becomes the reference values. Without mode_given the
	 * mode follows the policy's ES bit.
	 */
	struct cgs_sev_measure_inputs *inputs;
	int mode_given;
	const char *const *skip; /* policy checks to report as skip */
	size_t n_skip;
};

/* One measured input that differs from the reference document. */
struct cgs_sev_diff {
	char input[16];
	char expected[360], actual[360]; /* "" with has_* 0 when absent */
	int has_expected, has_actual;
};

struct cgs_sev_verify_result {
	struct cgs_verdict verdict;
	int verified;
	const struct cgs_sev_expected *match; /* the expected digest MEASURE matched, or NULL */
	int has_inputs;
	struct cgs_sev_measure_result *measured; /* with inputs: their digest and intermediates */
	struct cgs_sev_diff diffs[16];           /* differences from the closest reference */
	size_t n_diffs;
	struct cgs_sev_expected inputs_cand; /* the inputs' digest as a candidate */
	const char *err_file;                /* on a measuring error: the input at fault */
};

/*
 * Verify a LAUNCH_MEASURE blob. CGS_OK when the checks ran (free the result
 * with cgs_sev_verify_result_free()); CGS_E_USAGE for a refused skip or input
 * combination, errors of cgs_sev_measure() otherwise.
 */
CGS_EXPORT enum cgs_err cgs_sev_verify(const struct cgs_sev_verify_in *in,
				       struct cgs_sev_verify_result *ret, struct cgs_diag *d);

/* Free what a LAUNCH_MEASURE result owns (safe on a zeroed result). */
CGS_EXPORT void cgs_sev_verify_result_free(struct cgs_sev_verify_result *r);

/* ---- cgs-verify sev-chain ---- */

enum cgs_sev_cert { CGS_SEV_ARK, CGS_SEV_ASK, CGS_SEV_CEK, CGS_SEV_OCA, CGS_SEV_PEK, CGS_SEV_PDH,
		    CGS_SEV_N_CERTS };

struct cgs_sev_chain_in {
	const uint8_t *cert[CGS_SEV_N_CERTS]; /* AMD SEV format, all required */
	size_t cert_len[CGS_SEV_N_CERTS];
	const uint8_t *trusted_ark; /* NULL: the ARK must be a pinned one */
	size_t trusted_ark_len;
	const uint8_t *attestation; /* a SEV ATTESTATION report, or NULL */
	size_t attestation_len;
	const struct cgs_sev_expected_list *expected; /* its launch digest (with attestation) */
};

struct cgs_sev_chain_detail; /* the decoded chain (libcgs-internal) */

struct cgs_sev_chain_result {
	struct cgs_verdict verdict;
	int verified;
	const char *product; /* of the pinned ARK, or NULL (trusted ARK) */
	uint8_t ark_sha256[32];
	struct cgs_sev_chain_detail *detail;
	int err_input; /* on a parse error: the enum cgs_sev_cert index, CGS_SEV_N_CERTS for the
			  trusted ARK, CGS_SEV_N_CERTS + 1 for the attestation report */
};

/*
 * Verify the chain ARK (pinned, or the trusted one) -> ASK -> CEK -> PEK <- OCA,
 * PEK -> PDH, and the attestation report under the PEK with its launch digest.
 * CGS_OK when the checks ran (free with cgs_sev_chain_result_free());
 * CGS_E_MALFORMED with err_input for an input that does not parse.
 */
CGS_EXPORT enum cgs_err cgs_sev_chain_verify(const struct cgs_sev_chain_in *in,
					     struct cgs_sev_chain_result *ret, struct cgs_diag *d);

/* Free what a chain result owns (safe on a zeroed result). */
CGS_EXPORT void cgs_sev_chain_result_free(struct cgs_sev_chain_result *r);

#ifdef __cplusplus
}
#endif

#endif
