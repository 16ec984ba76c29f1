/* SPDX-License-Identifier: MIT */
/*
 * libcgs: POWER Protected Execution Facility (PEF) ESM blobs.
 *
 * The operations of cgs-mkimage pef / pef-info / pef-authorize / pef-revoke
 * and of cgs-verify pef, as library calls taking plain structs. Nothing is
 * printed; on failure the call returns an enum cgs_err, fills the struct
 * cgs_diag and names the step and the input that failed in the result
 * (step, input), so a front end can say "failed to <step> '<input>': <diag>".
 */
#ifndef CGS_PEF_H
#define CGS_PEF_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- verifying a blob as the Ultravisor does ---- */

/*
 * The checks of cgs_pef_verify, in the order they are recorded:
 *   lockbox      authenticity  the TPM key opens the lockbox (recorded under the
 *                              lockbox's name, "lockbox-1" unless another is asked for)
 *   digests      authenticity  the sealed digests tree opens (AES256-GCM tag)
 *   rtas         policy        the RTAS stub digest matches the sealed one
 *   kernel-size  policy        the flat kernel image has the sealed length
 *   kernel       policy        the flat kernel image digest matches
 *   initrd       policy        the initrd digest matches
 *   bootargs     policy        the command-line digest matches
 *   file         authenticity  each attachment opens (recorded as "file:<name>")
 * After a failed authenticity check the later checks are "skip".
 */
CGS_EXPORT extern const struct cgs_check_def cgs_pef_verify_checks[];
CGS_EXPORT extern const size_t cgs_pef_verify_n_checks;

#define CGS_PEF_UV_LOCKBOX "lockbox-1" /* the only lockbox the Ultravisor opens */

struct cgs_pef_verify_in {
	const char *blob;            /* bare blob, initramfs with the ESM cpio first, or ELF */
	const char *tpm_key;         /* private key standing in for the TPM wrapping key */
	const char *passphrase_file; /* passphrase of tpm_key (first line), or NULL */
	const char *kernel;          /* the ppc64 vmlinux that boots */
	const char *initrd;          /* the initramfs that boots; NULL: blob, if an initramfs */
	const char *cmdline;         /* the exact kernel command line */
	const char *lockbox;         /* NULL: lockbox-1 */
};

struct cgs_pef_verify_out {
	const char *blob_kind; /* "blob", "initrd" or "elf" */
	uint64_t blob_size;
	size_t n_lockboxes, n_files;
	const char *initrd;        /* the initrd that was measured */
	uint32_t kernel_size;      /* of the flat image measured */
	uint64_t initrd_skipped;   /* bytes of a leading ESM cpio not measured */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Open the lockbox with the TPM key, open the sealed digests and compare them
 * with the RTAS stub, the kernel, the initrd and the command line; check the
 * attachments' tags. CGS_OK when verified, CGS_E_VERIFY when a check failed
 * (v lists every check in both cases); CGS_E_USAGE when no initrd is given
 * and the blob is not an initramfs; other codes when an input is unreadable.
 */
CGS_EXPORT enum cgs_err cgs_pef_verify(const struct cgs_pef_verify_in *in,
				       struct cgs_pef_verify_out *out, struct cgs_verdict *v,
				       struct cgs_diag *d);

#ifdef __cplusplus
}
#endif

#endif
