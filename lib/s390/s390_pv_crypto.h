/* SPDX-License-Identifier: MIT */
/*
 * IBM Z Secure Execution cryptography (OpenSSL 3): secp521r1 keys and their
 * 160-byte coordinate form, the ECDH key-slot key (SHA-256(Z || 00000001)),
 * key slots, the AES-256-GCM sealed SE header, AES-256-XTS component pages with
 * 4096-stepped 128-bit tweaks, and the PLD/ALD/TLD SHA-512 digests. Never prints.
 */
#ifndef CGS_LIB_S390_S390_PV_CRYPTO_H
#define CGS_LIB_S390_S390_PV_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "formats/s390_pv_hdr.h"
#include "lib/core/err.h"

#define S390_PV_XTS_KEY_SIZE 64u
#define S390_PV_PROT_KEY_SIZE 32u
#define S390_PV_CCK_SIZE 32u
#define S390_PV_TWEAK_SIZE 16u
#define S390_PV_EC_SCALAR_MAX 80u /* raw private scalar files are up to 80 bytes */

/* ---- keys ---- */

/* A fresh random secp521r1 key pair. */
enum cgs_err s390_pv_ec_generate(EVP_PKEY **ret, struct cgs_diag *d);
/*
 * A secp521r1 private key from text or bytes: PEM (EC PRIVATE KEY or
 * PRIVATE KEY), else a raw big-endian scalar (1..80 bytes, as the upstream
 * private_cust.bin). CGS_E_UNSUPPORTED for another curve or type,
 * CGS_E_MALFORMED for an unreadable or out-of-range key.
 */
enum cgs_err s390_pv_ec_priv_load(const uint8_t *data, size_t len, EVP_PKEY **ret,
				  struct cgs_diag *d);
/* Check that a key is EC secp521r1: CGS_E_UNSUPPORTED otherwise. */
enum cgs_err s390_pv_ec_check(EVP_PKEY *key, struct cgs_diag *d);
/* Public coordinates X || Y, each left-padded to 80 bytes. */
enum cgs_err s390_pv_ec_coords(EVP_PKEY *key, uint8_t out[S390_PV_COORD_SIZE], struct cgs_diag *d);
/* A secp521r1 public key from the 160-byte coordinate form (checked on the curve). */
enum cgs_err s390_pv_ec_from_coords(const uint8_t in[S390_PV_COORD_SIZE], EVP_PKEY **ret,
				    struct cgs_diag *d);
/* PHKH: SHA-256 of the key's coordinate form. */
enum cgs_err s390_pv_phkh(EVP_PKEY *key, uint8_t out[S390_PV_PHKH_SIZE], struct cgs_diag *d);

/* Key-slot key: SHA-256(ECDH_x(priv, peer) as 66 bytes || 00 00 00 01). */
enum cgs_err s390_pv_derive_key(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t out[32],
				struct cgs_diag *d);

/* ---- AES-256-GCM ---- */

enum cgs_err s390_pv_gcm_seal(const uint8_t key[32], const uint8_t iv[S390_PV_IV_SIZE],
			      const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
			      uint8_t *ct, uint8_t tag[S390_PV_TAG_SIZE], struct cgs_diag *d);
/* CGS_E_VERIFY if the tag does not match (pt is then wiped). */
enum cgs_err s390_pv_gcm_open(const uint8_t key[32], const uint8_t iv[S390_PV_IV_SIZE],
			      const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
			      const uint8_t tag[S390_PV_TAG_SIZE], uint8_t *pt, struct cgs_diag *d);

/* ---- key slots ---- */

/* Wrap prot_key for host_pub with the customer private key (IV zero, no AAD). */
enum cgs_err s390_pv_keyslot_make(EVP_PKEY *cust_priv, EVP_PKEY *host_pub,
				  const uint8_t prot_key[32], struct s390_pv_keyslot *ret,
				  struct cgs_diag *d);
/*
 * Unwrap a key slot with a host private key and the customer public key (the
 * Ultravisor's side). CGS_E_VERIFY if the slot is not for this key.
 */
enum cgs_err s390_pv_keyslot_open(EVP_PKEY *host_priv, EVP_PKEY *cust_pub,
				  const struct s390_pv_keyslot *slot, uint8_t prot_key[32],
				  struct cgs_diag *d);

/* ---- SE header ---- */

/*
 * Fill the customer public key and one key slot per host key (h must be
 * initialised with s390_pv_hdr_init for n host keys).
 */
enum cgs_err s390_pv_hdr_set_keys(struct s390_pv_hdr *h, EVP_PKEY *cust_priv,
				  EVP_PKEY *const *hosts, size_t n, const uint8_t prot_key[32],
				  struct cgs_diag *d);
/*
 * Seal: encrypt the secret part with AES-256-GCM(prot_key, h->iv, AAD = the
 * serialised bytes before the encrypted part) into h->enc and h->tag. All
 * other fields must be final.
 */
enum cgs_err s390_pv_hdr_seal(struct s390_pv_hdr *h, const struct s390_pv_hdr_secret *sec,
			      const uint8_t prot_key[32], struct cgs_diag *d);
/* Open: authenticate and decrypt; CGS_E_VERIFY with a wrong key or tampering. */
enum cgs_err s390_pv_hdr_open(const struct s390_pv_hdr *h, const uint8_t prot_key[32],
			      struct s390_pv_hdr_secret *ret, struct cgs_diag *d);
/*
 * Find the slot for a host private key, unwrap it and open the header
 * (CGS_E_VERIFY if no slot matches the key's PHKH or authentication fails).
 */
enum cgs_err s390_pv_hdr_open_with_host(const struct s390_pv_hdr *h, EVP_PKEY *host_priv,
					uint8_t ret_prot_key[32], struct s390_pv_hdr_secret *ret,
					struct cgs_diag *d);

/* ---- components ---- */

/* 128-bit big-endian tweak += n. */
void s390_pv_tweak_add(uint8_t tweak[S390_PV_TWEAK_SIZE], uint64_t n);
/* Build a start tweak: kind (u16) || random6 || 8 zero bytes. */
void s390_pv_tweak_make(uint16_t kind, const uint8_t rand6[6], uint8_t out[S390_PV_TWEAK_SIZE]);

/*
 * Running state over the component pages of an image, in image order: PLD over
 * the stored bytes, ALD over page addresses, TLD over page tweaks, NEP.
 */
struct s390_pv_digests {
	EVP_MD_CTX *pld, *ald, *tld;
	uint64_t nep;
};
enum cgs_err s390_pv_digests_init(struct s390_pv_digests *g, struct cgs_diag *d);
enum cgs_err s390_pv_digests_final(struct s390_pv_digests *g, uint8_t pld[64], uint8_t ald[64],
				   uint8_t tld[64], struct cgs_diag *d);
void s390_pv_digests_free(struct s390_pv_digests *g);
/*
 * The address and tweak parts of npages consecutive pages starting at addr
 * with tweak: ALD and TLD updates and NEP (the PLD part is
 * s390_pv_digests_stored). With these two, the page contents can be hashed
 * on another thread than the addresses.
 */
enum cgs_err s390_pv_digests_index(struct s390_pv_digests *g, uint64_t addr,
				   const uint8_t tweak[S390_PV_TWEAK_SIZE], size_t npages,
				   struct cgs_diag *d);
/* The PLD part: the stored bytes of whole pages, in image order. */
enum cgs_err s390_pv_digests_stored(struct s390_pv_digests *g, const uint8_t *data, size_t len,
				    struct cgs_diag *d);

/*
 * One component being processed page by page. encrypt: 1 encrypt (image
 * building), 0 decrypt (checking), -1 store in clear (PCF bit 35) but still
 * digest. The digests always see the stored bytes.
 */
struct s390_pv_comp {
	EVP_CIPHER_CTX *ctx;
	int mode;
	uint8_t tweak[S390_PV_TWEAK_SIZE]; /* tweak of the next page */
	uint64_t addr;			   /* address of the next page */
	struct s390_pv_digests *dig;	   /* may be NULL */
};
#define S390_PV_MODE_DECRYPT 0
#define S390_PV_MODE_ENCRYPT 1
#define S390_PV_MODE_CLEAR -1

enum cgs_err s390_pv_comp_init(struct s390_pv_comp *c, const uint8_t xts_key[64], int mode,
			       const uint8_t tweak[S390_PV_TWEAK_SIZE], uint64_t addr,
			       struct s390_pv_digests *dig, struct cgs_diag *d);
/*
 * Process npages whole pages: out gets the result (may equal in). With
 * encryption and clear mode the digests cover out; with decryption, in.
 */
enum cgs_err s390_pv_comp_pages(struct s390_pv_comp *c, const uint8_t *in, uint8_t *out,
				size_t npages, struct cgs_diag *d);
void s390_pv_comp_free(struct s390_pv_comp *c);

#endif
