/* SPDX-License-Identifier: MIT */
/*
 * libcgs: AMD SEV-SNP.
 *
 * Expected values: cgs_snp_expected_read() reads an --expected document (what
 * cgs-measure --json or cgs-measure id-block --json wrote; one document or a
 * JSON array meaning "any of these"), validated as cgs(7) says.
 */
#ifndef CGS_SNP_H
#define CGS_SNP_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One accepted launch: its measurement and, from an ID block, the values it fixes. */
struct cgs_snp_expected {
	uint8_t measurement[48];
	int has_id_key_digest, has_author_key_digest, has_family_id, has_image_id;
	int has_guest_svn, has_policy;
	uint8_t id_key_digest[48], author_key_digest[48];
	uint8_t family_id[16], image_id[16];
	uint64_t guest_svn, policy;
};

/*
 * Read and validate an expected-values file ("-" is standard input). On
 * success *ret (free with free()) holds *ret_n >= 1 candidates. Errors:
 * CGS_E_NOINPUT (missing), CGS_E_MALFORMED / CGS_E_UNSUPPORTED (the
 * diagnostic names the field).
 */
CGS_EXPORT enum cgs_err cgs_snp_expected_read(const char *path, struct cgs_snp_expected **ret,
					      size_t *ret_n, struct cgs_diag *d);

#ifdef __cplusplus
}
#endif

#endif
