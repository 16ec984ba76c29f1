/* SPDX-License-Identifier: MIT */
/*
 * The AMD SEV / SEV-ES / SEV-SNP launch-digest engine (what sev-snp-measure
 * 0.0.13 computes), callable from any tool; its API is public (include/cgs/sev.h). It never prints: failures come back
 * as an error code, a diagnostic and the name of the input at fault.
 *
 *   struct cgs_sev_measure_inputs in;
 *   struct cgs_sev_measure_result *res = malloc(sizeof(*res));
 *   cgs_sev_measure_inputs_init(&in);
 *   in.mode = CGS_SEV_MODE_SNP; in.vcpus = 4; in.vcpu_sig = 0x00a00f11;
 *   in.ovmf = "OVMF.fd";
 *   if (cgs_sev_measure(&in, res, &diag)) cgs_log_diag(&diag, "measure", res->err_file);
 *
 * Files are read once; kernel and initrd are streamed (memory stays flat).
 */
#ifndef CGS_LIB_SEV_SEV_MEASURE_H
#define CGS_LIB_SEV_SEV_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/sev.h>

#include "formats/sev_metadata.h"
#include "formats/vmsa.h"
#include "lib/core/err.h"

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

/* How the vCPU signature was given on a command line (cgs-measure, cgs-verify sev). */
struct sev_vcpu_given {
	int have_family, have_model, have_stepping, have_sig;
	uint64_t family, model, stepping, sig;
	const char *type; /* --vcpu-type, or NULL */
};

/*
 * The signature with sev-snp-measure's precedence: family/model/stepping >
 * --vcpu-sig > --vcpu-type (0 in mode sev). *ret_missing = 1 when none was
 * given (the caller decides whether that is an error); CGS_E_USAGE when only
 * part of family/model/stepping is.
 */
enum cgs_err sev_vcpu_sig_resolve(const struct sev_vcpu_given *g, struct cgs_sev_measure_inputs *in,
				  int *ret_missing, struct cgs_diag *d);

/*
 * The snp:svsm options hang together: --svsm and one of vars size or vars
 * file exactly in that mode, QEMU only, no kernel. CGS_E_USAGE says which.
 */
enum cgs_err sev_measure_check_svsm(const struct cgs_sev_measure_inputs *in, int have_vars_size,
				    struct cgs_diag *d);

/*
 * --dump-vmsa: write vmsa0.bin ... vmsa<vcpus-1>.bin (the VMSA page of each
 * vCPU) in the current directory, all of them or none. On failure ret_name
 * names the file at fault.
 */
enum cgs_err sev_measure_write_vmsas(const struct cgs_sev_measure_result *r, uint32_t vcpus,
				     char *ret_name, size_t name_len, struct cgs_diag *d);

/* What was measured, one line at a time (for -v): firmware, hashes, VMSAs, pages. */
void sev_measure_describe(const struct cgs_sev_measure_result *r, const char *ovmf,
			  void (*emit)(void *ctx, const char *line), void *ctx);

#define SEV_MEASURE_SHA256_LEN CGS_SEV_SHA256_LEN
#define SEV_MEASURE_VMSA_GPA 0xfffffffff000ull /* KVM's "-1", 48-bit, page aligned */
#define SEV_MEASURE_SHA384_LEN CGS_SEV_SHA384_LEN

#endif
