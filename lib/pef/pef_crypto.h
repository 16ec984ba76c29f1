/* SPDX-License-Identifier: MIT */
/*
 * The cryptography of POWER PEF ESM blobs (OpenSSL 3): RSA-2048 keys and
 * their fingerprints, lockboxes (RSA-OAEP SHA-256/MGF1-SHA-256, empty label,
 * wrapping the 32-byte AES-256 master key), AES-256-GCM sealing with 16-byte
 * IVs and no AAD, and the four SHA-512 boot digests.
 */
#ifndef CGS_LIB_PEF_PEF_CRYPTO_H
#define CGS_LIB_PEF_PEF_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "formats/pef_esm.h"
#include "lib/core/buf.h"
#include "lib/core/err.h"

#define PEF_RSA_BITS 2048

/* An RSA key with its lockbox fingerprint. */
struct pef_key {
	EVP_PKEY *pkey;
	uint8_t fingerprint[PEF_ESM_FP_LEN];
	int bits;
	int is_private;
};

/*
 * Public key file (SPKI "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY" PEM, or DER).
 * Fingerprint: SHA-256 of the file bytes exactly as read (as svm-tool records
 * it at create/authorize). Must be RSA of min_bits..max_bits.
 */
enum cgs_err pef_key_load_public(const char *path, int min_bits, int max_bits,
				 struct pef_key *ret, struct cgs_diag *d);
/*
 * Private key file (PKCS#1, PKCS#8 or encrypted PEM; passphrase may be NULL:
 * an encrypted key then fails, never prompts). Fingerprint: SHA-256 of the
 * canonical SPKI PEM of its public half.
 */
enum cgs_err pef_key_load_private(const char *path, const char *passphrase, int min_bits,
				  int max_bits, struct pef_key *ret, struct cgs_diag *d);
void pef_key_free(struct pef_key *k);

/* SHA-256 of the canonical SPKI PEM (64-column base64, trailing LF). */
enum cgs_err pef_key_fingerprint(EVP_PKEY *pkey, uint8_t out[PEF_ESM_FP_LEN],
				 struct cgs_diag *d);

/* A new RSA key of bits; PEM encodings as svm-tool writes them. */
enum cgs_err pef_key_generate(int bits, EVP_PKEY **ret, struct cgs_diag *d);
/* Private key as PKCS#1 PEM ("RSA PRIVATE KEY"), AES-256-CBC encrypted if passphrase. */
enum cgs_err pef_key_pem_private(EVP_PKEY *pkey, const char *passphrase, struct cgs_buf *out,
				 struct cgs_diag *d);
/* Public key as SPKI PEM ("PUBLIC KEY") with a final LF. */
enum cgs_err pef_key_pem_public(EVP_PKEY *pkey, struct cgs_buf *out, struct cgs_diag *d);

/* RSA-OAEP wrap of the master key for a recipient (out: modulus-size bytes). */
enum cgs_err pef_lockbox_wrap(EVP_PKEY *pub, const uint8_t key[PEF_ESM_KEY_LEN],
			      struct cgs_buf *out, struct cgs_diag *d);
/* Unwrap: CGS_E_VERIFY if the key does not open it or the content is not 32 bytes. */
enum cgs_err pef_lockbox_unwrap(EVP_PKEY *priv, const uint8_t *in, size_t len,
				uint8_t key[PEF_ESM_KEY_LEN], struct cgs_diag *d);

/* AES-256-GCM, 16-byte IV, no AAD; ciphertext has the plaintext's length. */
enum cgs_err pef_seal(const uint8_t key[PEF_ESM_KEY_LEN], const uint8_t iv[PEF_ESM_IV_LEN],
		      const uint8_t *in, size_t len, uint8_t *out, uint8_t mac[PEF_ESM_MAC_LEN],
		      struct cgs_diag *d);
/* Open: CGS_E_VERIFY when the tag does not match (out is wiped then). */
enum cgs_err pef_open(const uint8_t key[PEF_ESM_KEY_LEN], const uint8_t iv[PEF_ESM_IV_LEN],
		      const uint8_t *in, size_t len, const uint8_t mac[PEF_ESM_MAC_LEN],
		      uint8_t *out, struct cgs_diag *d);

/* The SLOF RTAS stub the Ultravisor hashes (20 bytes, big-endian words). */
extern const uint8_t pef_rtas_stub[20];

/* Inputs of the digests tree. */
struct pef_boot {
	const char *kernel;  /* vmlinux ELF (ppc64) */
	const char *initrd;  /* initrd as loaded, without the ESM cpio (NULL: empty) */
	const char *cmdline; /* exact bytes, no NUL */
};

/*
 * Compute the four digests: RTAS stub, kernel flat image (libelf) and its
 * size, initrd (streamed; a leading ESM cpio is skipped when skip_esm_cpio),
 * command line. *ret_initrd_skipped gets the bytes skipped (may be NULL).
 */
enum cgs_err pef_boot_digests(const struct pef_boot *b, int skip_esm_cpio,
			      struct pef_esm_digests *ret, uint64_t *ret_initrd_skipped,
			      struct cgs_diag *d);

/* Find the master key: open the named lockbox with a private key. */
enum cgs_err pef_open_lockbox(const struct pef_esm *m, const char *name, EVP_PKEY *priv,
			      uint8_t key[PEF_ESM_KEY_LEN], struct cgs_diag *d);
/* Find a lockbox whose fingerprint matches the key, and open it. */
enum cgs_err pef_open_any_lockbox(const struct pef_esm *m, const struct pef_key *k,
				  uint8_t key[PEF_ESM_KEY_LEN], int *ret_index,
				  struct cgs_diag *d);

/* Open the digests tree of a blob and parse it. */
enum cgs_err pef_open_digests(const struct pef_esm *m, const uint8_t key[PEF_ESM_KEY_LEN],
			      struct pef_esm_digests *ret, struct cgs_diag *d);

#endif
