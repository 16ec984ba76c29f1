/* SPDX-License-Identifier: MIT */
/*
 * libcgs: IBM Z Secure Execution (s390x protected virtualization).
 *
 * The operations of cgs-mkimage s390-pv / s390-secret / s390-info and of
 * cgs-verify s390 create-request / verify, as library calls. Each takes a
 * plain struct of inputs (file paths, options and injected random values for
 * reproducible output) and fills a plain result struct. Nothing is printed;
 * on failure the call returns an enum cgs_err, fills the struct cgs_diag and
 * names the step and the input that failed in the result (step, input), so a
 * front end can say "failed to <step> '<input>': <diag>".
 */
#ifndef CGS_S390_H
#define CGS_S390_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- verifying an attestation response (pvattest verify) ---- */

/*
 * The checks of cgs_s390_verify, in the order they are recorded:
 *   request_decryption    authenticity  the request in the response opens with the ARPK
 *   additional_data_size  authenticity  the additional data has the size the request asked
 *   measurement           authenticity  HMAC-SHA512 over the SE header tags and the data
 *   image_phkh            policy        the image host-key hash is one of the header's
 *   attestation_phkh      policy        the attestation host-key hash is one of the request's
 *   secret_store_hash     policy        the secret store holds the given add-secret requests
 * The policy checks run only when the response carries the data (or, for the
 * secret store, when requests or a lock state are given); else they are "skip".
 */
CGS_EXPORT extern const struct cgs_check_def cgs_s390_verify_checks[];
CGS_EXPORT extern const size_t cgs_s390_verify_n_checks;

struct cgs_s390_verify_in {
	const char *response; /* the attestation response, pvattest exchange format */
	const char *header;   /* the SE image, or its extracted SE header */
	const char *arpk;     /* the 32-byte request protection key of the request */
	const char *const *secrets; /* add-secret requests the guest added, in order */
	size_t n_secrets;
	int check_store; /* check the secret-store hash (secrets given or locked) */
	int locked;      /* the secret store must be locked */
};

struct cgs_s390_verify_out {
	uint8_t config_uid[16];
	uint8_t *user_data; /* NULL when the response has none */
	size_t user_data_len;
	uint8_t *additional; /* the additional data, NULL when none or of the wrong size */
	size_t additional_len;
	uint64_t attestation_flags; /* the request's PAF: which additional parts are present */
	uint8_t measurement[64];    /* as reported */
	uint64_t header_offset;     /* where the SE header is in the image file */
	uint32_t header_size;
	uint8_t header_tag[16];
	const char *step;  /* on failure: what failed ("read", "parse", ...) */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Check an attestation response against the SE header and the ARPK. Returns
 * CGS_OK when every check passed and CGS_E_VERIFY when one failed (d: the
 * first failure); in both cases v lists every check and out the decoded
 * evidence. Any other code: the inputs could not be read (v then is empty).
 * Free out with cgs_s390_verify_out_free.
 */
CGS_EXPORT enum cgs_err cgs_s390_verify(const struct cgs_s390_verify_in *in,
					struct cgs_s390_verify_out *out, struct cgs_verdict *v,
					struct cgs_diag *d);
CGS_EXPORT void cgs_s390_verify_out_free(struct cgs_s390_verify_out *out);

#ifdef __cplusplus
}
#endif

#endif
