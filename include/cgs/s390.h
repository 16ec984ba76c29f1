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

/* ---- host-key documents ---- */

/*
 * The host-key documents to encrypt for, and how to verify them (genprotimg
 * -k, -C, --crl). Without CRL files, the CRLs come from the CRL distribution
 * points of the certificates, through the cache (downloaded unless offline).
 */
struct cgs_s390_hostkeys {
	const char *const *documents; /* PEM or DER host-key certificates, in slot order */
	size_t n_documents;
	const char *const *certs; /* IBM Z signing key and intermediate CA certificates */
	size_t n_certs;
	const char *const *crls; /* CRL files */
	size_t n_crls;
	const char *root_ca; /* trusted root, or NULL for the system trust store */
	int no_verify;       /* do not verify the documents (insecure) */
	int offline;         /* without CRL files: never download the CRLs (cache only) */
	const char *cache;   /* the CRL cache folder, NULL for the default */
};

/* ---- building a Secure Execution image (genprotimg / pvimg create) ---- */

enum cgs_s390_role {
	CGS_S390_KERNEL = 0,
	CGS_S390_PARMLINE,
	CGS_S390_RAMDISK,
	CGS_S390_STAGE3B,
	CGS_S390_N_ROLES,
};

struct cgs_s390_image_in {
	const char *kernel;   /* raw s390x kernel image (required) */
	const char *ramdisk;  /* or NULL */
	const char *parmfile; /* kernel command line file, or NULL */
	const char *output;   /* the image, a seekable file */
	int force;            /* replace existing output files */
	const char *loader_dir; /* stage3a.bin and stage3b_reloc.bin; NULL: s390-tools' folders */
	struct cgs_s390_hostkeys hostkeys;
	int genprotimg;         /* the C genprotimg 2.35 layout instead of pvimg's */
	int no_component_check; /* skip the kernel and command-line checks */
	uint64_t pcf, scf;      /* plaintext and secret control flags */
	/* key files (NULL: random): CCK (32 bytes), header key (32), XTS key (64), customer key */
	const char *comm_key, *hdr_key, *comp_key, *cust_key;
	const char *save_hdr_key, *save_comm_key; /* write these keys (mode 0600), or NULL */
	/* injected random values, for reproducible images */
	int have_iv;
	uint8_t iv[12];
	int have_tweak[CGS_S390_N_ROLES];
	uint8_t tweak[CGS_S390_N_ROLES][6];
	int have_psw; /* PSW address: of the header (pvimg) or the kernel entry (genprotimg) */
	uint64_t psw;
};

struct cgs_s390_image_component {
	const char *name; /* "kernel", "parmline", "ramdisk", "stage3b" */
	uint64_t addr, size, stored_size;
	uint8_t tweak[16];
};

#define CGS_S390_HDR_MAX 8192

struct cgs_s390_image_out {
	int hostkeys_verified;
	size_t n_hostkeys;
	uint64_t image_size, header_addr, psw_addr, ipib_offset, scf, pages;
	uint8_t header[CGS_S390_HDR_MAX]; /* the SE header as written */
	size_t header_len;
	size_t n_components; /* in image order */
	struct cgs_s390_image_component components[CGS_S390_N_ROLES];
	char loaders[2][4096]; /* the stage3a and stage3b files used */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Build an SE image: encrypt the components for the host keys, seal the
 * header, write the image atomically (nothing is left on failure), then the
 * keys to save. The components are streamed (memory does not grow with the
 * image) and encrypted while another thread hashes them.
 */
CGS_EXPORT enum cgs_err cgs_s390_image_build(const struct cgs_s390_image_in *in,
					     struct cgs_s390_image_out *out, struct cgs_diag *d);

/* ---- what an image holds (pvimg info, pvextract-hdr) ---- */

struct cgs_s390_info_component {
	const char *name; /* from the kind in the tweak prefix */
	uint64_t tweak_prefix, addr, stored_size;
};

struct cgs_s390_image_info {
	const char *layout;       /* "pvimg", "genprotimg", or NULL for an extracted header */
	uint64_t header_offset;   /* in the file */
	uint8_t header[CGS_S390_HDR_MAX];
	size_t header_len;
	int has_ipib;             /* the IPLB found through the metadata or the layout */
	uint64_t ipib_offset;
	uint32_t ipib_length;
	uint8_t pv_version;
	uint64_t ipib_header_addr, ipib_header_size;
	size_t n_components;
	struct cgs_s390_info_component components[CGS_S390_N_ROLES];
	int decrypted;            /* with a header key: the protected part */
	uint64_t psw_mask, psw_addr, scf;
	uint32_t noi;
	uint8_t cck[32], image_key[64]; /* secrets: wipe the struct after use */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Find and check the SE header of an image or an extracted header (only the
 * first pages are read), and the IPLB. With hdr_key (a 32-byte file), also
 * decrypt the protected part. CGS_E_VERIFY when the key does not open it.
 */
CGS_EXPORT enum cgs_err cgs_s390_image_info(const char *path, const char *hdr_key,
					    struct cgs_s390_image_info *ret, struct cgs_diag *d);

/* "kernel", "parmline", "ramdisk", "stage3b" or "unknown" for a component kind. */
CGS_EXPORT const char *cgs_s390_component_name(uint16_t kind);

/* ---- add-secret requests (pvsecret create) ---- */

enum cgs_s390_secret_kind {
	CGS_S390_SECRET_META = 0,
	CGS_S390_SECRET_ASSOCIATION,
	CGS_S390_SECRET_RETRIEVABLE,
	CGS_S390_SECRET_UPDATE_CCK,
};

struct cgs_s390_secret_in {
	struct cgs_s390_hostkeys hostkeys; /* the hosts the guest runs on */
	const char *header;                /* the SE image or its header (not with have_tags) */
	const char *output;                /* the request */
	int force;
	enum cgs_s390_secret_kind kind;
	const char *name; /* association and retrievable: the secret's name (ID = its SHA-256) */
	int have_cuid;    /* bind to cuid, or to the CUID in cuid_file (16 bytes or 0x text) */
	uint8_t cuid[16];
	const char *cuid_file;
	uint64_t flags;               /* request flag word (e.g. disable-dump) */
	const char *ext_secret_file;  /* 32-byte extension secret, or */
	const char *cck_file;         /* the CCK to derive it from */
	const char *user_data_file;   /* up to 512 bytes (256/128 when signed) */
	const char *user_sign_key;    /* EC P-521, RSA-2048 or RSA-3072 private key */
	const char *input_secret;     /* association: the 32-byte secret (default random) */
	const char *output_secret;    /* association: write the secret (mode 0600) */
	const char *secret_file;      /* retrievable or update-cck: the secret */
	const char *type;             /* retrievable: plain, aes, aes-xts, hmac-sha or ec */
	const char *x_prot_key, *x_cust_key; /* injected keys (NULL: random) */
	int have_iv;
	uint8_t iv[12];
	int have_tags; /* bind to these SE header tags instead of reading header */
	uint8_t tags[208];
};

struct cgs_s390_secret_out {
	const char *type_name; /* "Association", ... */
	uint16_t type_id;
	int has_id;
	uint8_t id[32];
	uint64_t flags;
	uint8_t cuid[16];
	uint16_t user_data_type;
	size_t n_hostkeys;
	uint8_t header_tag[16];
	size_t size; /* of the request */
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Build an add-secret request bound to an SE header, encrypted for the host
 * keys (each must have a key slot in the header), and write it (and with
 * output_secret the association secret) all or none.
 */
CGS_EXPORT enum cgs_err cgs_s390_secret_build(const struct cgs_s390_secret_in *in,
					      struct cgs_s390_secret_out *out, struct cgs_diag *d);

/* ---- attestation requests (pvattest create) ---- */

/* Plaintext attestation flags (PAF), as the request carries them (bit 0 = MSB). */
#define CGS_S390_PAF_NONCE (1ull << 62)             /* a nonce is in the request */
#define CGS_S390_PAF_PHKH_IMG (1ull << 61)          /* add the image host-key hash */
#define CGS_S390_PAF_PHKH_ATT (1ull << 60)          /* add the attestation host-key hash */
#define CGS_S390_PAF_SECRET_STORE_HASH (1ull << 59) /* add the secret-store hash */
#define CGS_S390_PAF_FIRMWARE_STATE (1ull << 58)    /* add the firmware state */

struct cgs_s390_request_in {
	struct cgs_s390_hostkeys hostkeys; /* the hosts to attest on */
	const char *output; /* the request (pvattest exchange format) */
	const char *arpk;   /* the request protection key (written mode 0600) */
	int force;
	uint64_t paf; /* CGS_S390_PAF_... */
	/* injected values (NULL / 0: random) */
	const char *x_arpk, *x_cust_key, *x_meas_key;
	int have_iv, have_nonce;
	uint8_t iv[12], nonce[16];
};

struct cgs_s390_request_out {
	size_t n_hostkeys;
	const char *step;  /* on failure: what failed */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/* Build an attestation request and write it and its protection key, both or neither. */
CGS_EXPORT enum cgs_err cgs_s390_request_build(const struct cgs_s390_request_in *in,
					       struct cgs_s390_request_out *out,
					       struct cgs_diag *d);

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
	struct cgs_diag failure; /* when not verified: the first check that failed, and why */
	const char *step;  /* on failure: what failed ("read", "parse", ...) */
	const char *input; /* on failure: the input it failed on, or NULL */
};

/*
 * Check an attestation response against the SE header and the ARPK. Returns
 * CGS_OK when a verdict was produced, verified or not (cgs_verdict_verified;
 * out->failure says what failed first): v lists every check and out holds
 * the decoded evidence. Any other code: the inputs could not be read (v then
 * is empty). Free out with cgs_s390_verify_out_free.
 */
CGS_EXPORT enum cgs_err cgs_s390_verify(const struct cgs_s390_verify_in *in,
					struct cgs_s390_verify_out *out, struct cgs_verdict *v,
					struct cgs_diag *d);
CGS_EXPORT void cgs_s390_verify_out_free(struct cgs_s390_verify_out *out);

#ifdef __cplusplus
}
#endif

#endif
