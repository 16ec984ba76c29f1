/* SPDX-License-Identifier: MIT */
/*
 * The AMD SEV / SEV-ES / SEV-SNP launch-digest engine (what sev-snp-measure
 * 0.0.13 computes), callable from any tool. It never prints: failures come back
 * as an error code, a diagnostic and the name of the input at fault.
 *
 *   struct sev_measure_inputs in;
 *   struct sev_measure_result *res = malloc(sizeof(*res));
 *   sev_measure_inputs_init(&in);
 *   in.mode = SEV_MODE_SNP; in.vcpus = 4; in.vcpu_sig = 0x00a00f11;
 *   in.ovmf = "OVMF.fd";
 *   if (sev_measure(&in, res, &diag)) cgs_log_diag(&diag, "measure", res->err_file);
 *
 * Files are read once; kernel and initrd are streamed (memory stays flat).
 */
#ifndef CGS_LIB_SEV_SEV_MEASURE_H
#define CGS_LIB_SEV_SEV_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "formats/sev_metadata.h"
#include "formats/vmsa.h"
#include "lib/core/err.h"

enum sev_measure_mode {
	SEV_MODE_SEV,           /* "sev": SHA-256 */
	SEV_MODE_SEV_ES,        /* "seves": SHA-256 */
	SEV_MODE_SNP,           /* "snp": SHA-384 PAGE_INFO chain */
	SEV_MODE_SNP_OVMF_HASH, /* "snp:ovmf-hash": the chain after the firmware pages */
	SEV_MODE_SNP_SVSM,      /* "snp:svsm": COCONUT-SVSM under QEMU */
};

enum sev_measure_vmm {
	SEV_VMM_QEMU,
	SEV_VMM_EC2,
	SEV_VMM_GCE,
};

#define SEV_MEASURE_SHA256_LEN 32
#define SEV_MEASURE_SHA384_LEN 48
#define SEV_MEASURE_VMSA_GPA 0xfffffffff000ull /* KVM's "-1", 48-bit, page aligned */

struct sev_measure_inputs {
	enum sev_measure_mode mode;
	uint32_t vcpus;
	uint32_t vcpu_sig;        /* CPUID 1 EAX: RDX of QEMU VMSAs (0 for ec2/gce) */
	enum sev_measure_vmm vmm;
	int ec2_legacy;           /* ec2 with RDX 0 (sev-snp-measure <= 0.0.12, sev crate) */
	const char *ovmf;         /* required */
	const char *kernel;       /* NULL: no direct boot, no hashes table */
	const char *initrd;       /* NULL: hash of nothing (needs kernel) */
	const char *append;       /* NULL: not given (same digest as "") */
	uint64_t guest_features;  /* SNP SEV_FEATURES (default 0x1) */
	int has_ovmf_hash;        /* snp: start the chain from ovmf_hash */
	uint8_t ovmf_hash[SEV_MEASURE_SHA384_LEN];
	const char *svsm;         /* snp:svsm: the SVSM binary */
	uint64_t vars_size;       /* snp:svsm: size of the OVMF vars image... */
	const char *vars_file;    /* ...or the file giving it (not hashed) */
	int vmsa_legacy_fpu;      /* MXCSR/FCW 0, as before KVM_SEV_INIT2 (sevctl vmsa build) */
	const char *vmsa_files[2]; /* seves/snp: BSP [0] and AP [1] VMSA pages read from
				    * files instead of built (sevctl --vmsa-cpu0/--vmsa-cpu1) */
};

/* Defaults: mode snp, vmm QEMU, guest features 0x1, everything else 0/NULL. */
void sev_measure_inputs_init(struct sev_measure_inputs *in);

/* A measured input file. */
struct sev_measure_file {
	int present;
	uint64_t size;
	uint8_t sha256[SEV_MEASURE_SHA256_LEN];
};

/* One distinct VMSA page and how many vCPUs use it. */
struct sev_measure_vmsa {
	const char *role;   /* "bsp", "ap" or "svsm" */
	uint32_t count;     /* vCPUs with this page */
	uint64_t rip_eip;   /* the reset EIP it was built from */
	uint8_t digest[SEV_MEASURE_SHA384_LEN]; /* SHA-384 (snp*) or SHA-256 (seves) */
	uint8_t page[VMSA_PAGE_SIZE];
};

struct sev_measure_result {
	enum sev_measure_mode mode;
	size_t digest_len; /* 32 (sev, seves) or 48 (snp*) */
	uint8_t digest[SEV_MEASURE_SHA384_LEN];
	/* inputs with their own digests */
	struct sev_measure_file ovmf, kernel, initrd, svsm;
	uint64_t vars_size;
	/* intermediate values */
	int has_ovmf_hash, ovmf_hash_given;
	uint8_t ovmf_hash[SEV_MEASURE_SHA384_LEN]; /* SNP chain after the firmware pages */
	uint64_t ovmf_gpa, svsm_gpa;
	int has_cmdline;
	uint8_t cmdline_sha256[SEV_MEASURE_SHA256_LEN]; /* of append + NUL */
	int has_hashes_table;
	uint8_t hashes_table[176];       /* padded kernel-hashes table */
	uint64_t hashes_table_gpa;       /* from the firmware (SEV_HASH_TABLE_RV) */
	uint32_t ap_eip;                 /* SEV-ES reset block address (0 if unused) */
	uint64_t snp_pages;              /* PAGE_INFO updates in the chain */
	size_t n_vmsas;
	struct sev_measure_vmsa vmsas[2]; /* [0] BSP (or SVSM), [1] APs */
	const char *err_file;            /* on failure: the input at fault, or NULL */
};

/* Compute the launch digest. ret is filled on success; ret->err_file also on failure. */
enum cgs_err sev_measure(const struct sev_measure_inputs *in, struct sev_measure_result *ret,
			 struct cgs_diag *d);

/* The VMSA page of vCPU i (0 = BSP) from a result, or NULL if i >= vcpus. */
const uint8_t *sev_measure_vmsa_page(const struct sev_measure_result *r, uint32_t vcpus,
				     uint32_t i);

/* "sev", "seves", "snp", "snp:ovmf-hash", "snp:svsm"; parse returns -1 if unknown. */
const char *sev_measure_mode_name(enum sev_measure_mode m);
int sev_measure_mode_parse(const char *s, enum sev_measure_mode *ret);
/* "QEMU", "ec2", "gce" (case-sensitive, as sev-snp-measure). */
const char *sev_measure_vmm_name(enum sev_measure_vmm v);
int sev_measure_vmm_parse(const char *s, enum sev_measure_vmm *ret);

/* CPUID Fn0000_0001 EAX from family/model/stepping. */
uint32_t sev_measure_cpu_sig(uint32_t family, uint32_t model, uint32_t stepping);
/* The signature of a QEMU vCPU type known to sev-snp-measure; -1 if unknown. */
int sev_measure_vcpu_type_sig(const char *name, uint32_t *ret);
/* The i-th known vCPU type name, or NULL past the end. */
const char *sev_measure_vcpu_type_name(size_t i);

/* What a firmware image contains (for ovmf-info and diagnostics). */
struct sev_ovmf_info {
	int has_footer;
	int has_reset_block;
	uint32_t ap_eip;
	int has_metadata;
	struct sev_metadata meta;
	int has_hash_table_entry;
	uint32_t hash_table_gpa, hash_table_size;
	int has_secret;
	uint32_t secret_gpa, secret_size;
	int has_svsm_info;
	uint32_t svsm_info_offset;
	int sev_es, snp, kernel_hashes_sev, kernel_hashes_snp, svsm_caa;
};

/*
 * Inspect an image in memory; CGS_E_MALFORMED when the footer table or the
 * metadata it points to is malformed (a missing footer is an error too).
 */
enum cgs_err sev_ovmf_inspect(const uint8_t *img, size_t len, struct sev_ovmf_info *ret,
			      struct cgs_diag *d);

#endif
