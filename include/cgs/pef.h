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

#define CGS_PEF_MAX_ITEMS 64 /* lockboxes, attachments */

/* ---- what a blob holds (no secrets) ---- */

struct cgs_pef_lockbox {
	const char *name;    /* "origin-lockbox", "lockbox-1", ... */
	const char *comment; /* untrusted comment */
	uint8_t fingerprint[32]; /* SHA-256 of the public key PEM */
	size_t encrypted_key_size;
};

struct cgs_pef_attachment {
	const char *name;
	const char *comment;
	size_t size;
};

struct cgs_pef_blob_info {
	const char *kind;    /* "blob", "initrd" (first in an initramfs) or "elf" (a section) */
	const char *entry;   /* the cpio entry or ELF section holding the blob, or NULL */
	uint64_t blob_offset, initrd_offset; /* in the file */
	size_t blob_size;
	uint8_t blob_sha256[32];
	int has_lockbox_1;   /* the lockbox the Ultravisor opens */
	size_t n_lockboxes;  /* in creation order */
	struct cgs_pef_lockbox lockboxes[CGS_PEF_MAX_ITEMS];
	int has_digests;
	size_t digests_size;
	const char *digests_comment;
	int has_files_fdt;
	size_t files_fdt_size;
	size_t n_attachments;
	struct cgs_pef_attachment attachments[CGS_PEF_MAX_ITEMS];
	void *owner_; /* owns the strings: free with cgs_pef_blob_info_free */
};

/*
 * Read the blob of a bare blob file, an initramfs (ESM cpio first) or an ELF
 * object (.kernel:esm_blob). Every blob svm-tool writes is read, also where
 * the builder keeps stricter limits. Free ret with cgs_pef_blob_info_free.
 */
CGS_EXPORT enum cgs_err cgs_pef_info(const char *path, struct cgs_pef_blob_info *ret,
				     struct cgs_diag *d);
CGS_EXPORT void cgs_pef_blob_info_free(struct cgs_pef_blob_info *info);

/* ---- building a blob (svm-tool esm make) ---- */

enum cgs_pef_attach_to { CGS_PEF_ATTACH_INITRD = 0, CGS_PEF_ATTACH_ELF, CGS_PEF_ATTACH_NONE };

struct cgs_pef_recipient {
	const char *pubkey; /* RSA public key file; the first is the TPM key (lockbox-1) */
	const char *comment;
};

struct cgs_pef_file {
	const char *path;
	const char *name; /* attachment name: a letter, then up to 30 of [0-9A-Za-z,._+-] */
	const char *comment;
};

struct cgs_pef_iv {
	const char *item; /* "digests" or an attachment name */
	uint8_t iv[16];
};

struct cgs_pef_build_in {
	const char *owner_key;       /* the owner's private key (origin lockbox) */
	const char *owner_pubkey;    /* its public key file (fingerprint of the bytes), or NULL */
	const char *owner_comment;
	const char *passphrase_file; /* of the owner key, or NULL */
	const struct cgs_pef_recipient *recipients;
	size_t n_recipients;
	const char *kernel, *initrd, *cmdline, *digest_comment;
	const struct cgs_pef_file *files;
	size_t n_files;
	enum cgs_pef_attach_to attach_to;
	const char *elf_object; /* with CGS_PEF_ATTACH_ELF */
	const char *blob_name;  /* in opt/ibm/pef/ (initrd) */
	const char *output;
	int force;
	const char *master_key_file; /* injected master key (32 bytes raw or hex), or NULL */
	const struct cgs_pef_iv *ivs; /* injected IVs */
	size_t n_ivs;
};

#define CGS_PEF_WARN_NO_SVM 0x1u         /* the command line has no svm=on */
#define CGS_PEF_WARN_OWNER_IS_TPM 0x2u   /* the first recipient is the owner key */
#define CGS_PEF_WARN_NO_LOCKBOX_1 0x4u   /* (revoke) the Ultravisor can no longer open it */

struct cgs_pef_build_out {
	struct cgs_pef_blob_info blob; /* the blob written */
	uint8_t rtas[64], kernel[64], initrd[64], bootargs[64]; /* the sealed digests */
	uint32_t kernel_size;
	unsigned warnings; /* CGS_PEF_WARN_... */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Build an ESM blob: the origin lockbox, one lockbox per recipient, the
 * sealed digests of kernel, initrd and command line, the attachments; then
 * write it bare, as an ESM cpio before the initramfs, or into an ELF object.
 * Free out->blob with cgs_pef_blob_info_free.
 */
CGS_EXPORT enum cgs_err cgs_pef_build(const struct cgs_pef_build_in *in,
				      struct cgs_pef_build_out *out, struct cgs_diag *d);

/* ---- editing a blob's lockboxes (svm-tool esm authorize / revoke) ---- */

struct cgs_pef_edit_in {
	const char *input;  /* blob or initramfs (an ELF section is edited as a bare blob) */
	const char *output; /* written in the same container as input */
	int force;
	const char *owner_key;       /* must open the origin lockbox */
	const char *passphrase_file; /* of the owner key, or NULL */
	const char *recipient;       /* authorize: the key to add; revoke: by fingerprint */
	const char *comment;         /* authorize: of the new lockbox */
	const char *lockbox;         /* revoke: by name */
};

struct cgs_pef_edit_out {
	char lockbox[32];  /* the lockbox added or removed */
	unsigned warnings; /* CGS_PEF_WARN_... */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/* Add a lockbox for one more key, named lockbox-N with the lowest free N. */
CGS_EXPORT enum cgs_err cgs_pef_authorize(const struct cgs_pef_edit_in *in,
					  struct cgs_pef_edit_out *out, struct cgs_diag *d);
/* Remove a recipient's lockbox (never the origin lockbox). */
CGS_EXPORT enum cgs_err cgs_pef_revoke(const struct cgs_pef_edit_in *in,
				       struct cgs_pef_edit_out *out, struct cgs_diag *d);

/*
 * A new RSA key pair (bits 2048, 3072 or 4096) as svm-tool writes it: the
 * private key PKCS#1 PEM, mode 0600, encrypted with the passphrase's first
 * line if passphrase_file; the public key SPKI PEM. Both files or neither.
 */
CGS_EXPORT enum cgs_err cgs_pef_keygen(const char *private_path, const char *public_path,
				       const char *passphrase_file, int bits, int force,
				       const char **ret_failed, struct cgs_diag *d);

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
	struct cgs_diag failure;   /* when not verified: the first check that failed, and why */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Open the lockbox with the TPM key, open the sealed digests and compare them
 * with the RTAS stub, the kernel, the initrd and the command line; check the
 * attachments' tags. CGS_OK when a verdict was produced, verified or not
 * (cgs_verdict_verified; out->failure says what failed first); CGS_E_USAGE
 * when no initrd is given and the blob is not an initramfs; other codes when
 * an input is unreadable (v then is empty).
 */
CGS_EXPORT enum cgs_err cgs_pef_verify(const struct cgs_pef_verify_in *in,
				       struct cgs_pef_verify_out *out, struct cgs_verdict *v,
				       struct cgs_diag *d);

#ifdef __cplusplus
}
#endif

#endif
