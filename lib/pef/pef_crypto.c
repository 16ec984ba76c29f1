// SPDX-License-Identifier: MIT
#include "lib/pef/pef_crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "lib/pef/cpio.h"
#include "lib/core/crypto.h"
#include "lib/pef/elf_flat.h"
#include "lib/core/io.h"

#define KEY_FILE_MAX 65536
#define INITRD_PREFIX (2u << 20)

/* mr r4,r3; lis r3,0; ori r3,r3,0xf000; sc 1; blr */
const uint8_t pef_rtas_stub[20] = {
	0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63,
	0xf0, 0x00, 0x44, 0x00, 0x00, 0x22, 0x4e, 0x80, 0x00, 0x20,
};

void pef_key_free(struct pef_key *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

static int no_prompt(char *buf, int size, int rwflag, void *u)
{
	const char *pass = u;
	size_t n;

	(void)rwflag;
	if (!pass)
		return -1; /* never prompt */
	n = strlen(pass);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pass, n);
	return (int)n;
}

static enum cgs_err decode_key(const uint8_t *data, size_t len, int selection,
			       const char *pass, EVP_PKEY **ret, struct cgs_diag *d)
{
	EVP_PKEY *pkey = NULL;
	OSSL_DECODER_CTX *dc;
	const unsigned char *p = data;
	size_t n = len;
	int ok;

	dc = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL, selection, NULL, NULL);
	if (!dc)
		return cgs_diag_openssl(d, "cannot set up a key decoder");
	OSSL_DECODER_CTX_set_pem_password_cb(dc, no_prompt, (void *)(uintptr_t)pass);
	ok = OSSL_DECODER_from_data(dc, &p, &n);
	OSSL_DECODER_CTX_free(dc);
	if (!ok || !pkey) {
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    selection == EVP_PKEY_KEYPAIR ?
					    (pass ? "not a private key, or wrong passphrase" :
						    "not a private key (or it is encrypted: give "
						    "its passphrase)") :
					    "not a public key (PEM or DER)");
	}
	*ret = pkey;
	return CGS_OK;
}

static enum cgs_err check_rsa(EVP_PKEY *pkey, int min_bits, int max_bits, struct cgs_diag *d)
{
	int bits = EVP_PKEY_get_bits(pkey);

	if (!EVP_PKEY_is_a(pkey, "RSA"))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, NULL, CGS_DIAG_NO_OFFSET,
				    "%s key, expected RSA", EVP_PKEY_get0_type_name(pkey) ?
				    EVP_PKEY_get0_type_name(pkey) : "non-RSA");
	if (bits < min_bits || bits > max_bits)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, NULL, CGS_DIAG_NO_OFFSET,
				    "RSA-%d key, expected %d%s%s bits", bits, min_bits,
				    max_bits != min_bits ? " to " : "",
				    max_bits != min_bits ? "4096" : "");
	return CGS_OK;
}

enum cgs_err pef_key_load_public(const char *path, int min_bits, int max_bits,
				 struct pef_key *ret, struct cgs_diag *d)
{
	uint8_t *data;
	size_t len;
	struct pef_key k = { 0 };
	enum cgs_err err = cgs_read_file(path, KEY_FILE_MAX, &data, &len, d);

	if (err)
		return err;
	err = decode_key(data, len, EVP_PKEY_PUBLIC_KEY, NULL, &k.pkey, d);
	if (!err)
		err = check_rsa(k.pkey, min_bits, max_bits, d);
	if (!err)
		err = cgs_digest("SHA256", data, len, k.fingerprint, NULL, d);
	free(data);
	if (err) {
		pef_key_free(&k);
		return err;
	}
	k.bits = EVP_PKEY_get_bits(k.pkey);
	*ret = k;
	return CGS_OK;
}

enum cgs_err pef_key_load_private(const char *path, const char *passphrase, int min_bits,
				  int max_bits, struct pef_key *ret, struct cgs_diag *d)
{
	uint8_t *data;
	size_t len;
	struct pef_key k = { 0 };
	enum cgs_err err = cgs_read_file(path, KEY_FILE_MAX, &data, &len, d);

	if (err)
		return err;
	err = decode_key(data, len, EVP_PKEY_KEYPAIR, passphrase, &k.pkey, d);
	cgs_free_secret(data, len);
	if (!err)
		err = check_rsa(k.pkey, min_bits, max_bits, d);
	if (!err)
		err = pef_key_fingerprint(k.pkey, k.fingerprint, d);
	if (err) {
		pef_key_free(&k);
		return err;
	}
	k.bits = EVP_PKEY_get_bits(k.pkey);
	k.is_private = 1;
	*ret = k;
	return CGS_OK;
}

enum cgs_err pef_key_pem_public(EVP_PKEY *pkey, struct cgs_buf *out, struct cgs_diag *d)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p;
	long n;
	enum cgs_err err;

	if (!bio || !PEM_write_bio_PUBKEY(bio, pkey)) {
		BIO_free(bio);
		return cgs_diag_openssl(d, "cannot encode the public key");
	}
	n = BIO_get_mem_data(bio, &p);
	err = cgs_buf_append(out, p, (size_t)n);
	BIO_free(bio);
	return err ? cgs_diag_set(d, err, NULL, CGS_DIAG_NO_OFFSET, "out of memory") : CGS_OK;
}

enum cgs_err pef_key_fingerprint(EVP_PKEY *pkey, uint8_t out[PEF_ESM_FP_LEN],
				 struct cgs_diag *d)
{
	struct cgs_buf pem = CGS_BUF_INIT;
	enum cgs_err err = pef_key_pem_public(pkey, &pem, d);

	if (!err)
		err = cgs_digest("SHA256", pem.data, pem.len, out, NULL, d);
	cgs_buf_free(&pem, 0);
	return err;
}

enum cgs_err pef_key_generate(int bits, EVP_PKEY **ret, struct cgs_diag *d)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);

	if (!pkey)
		return cgs_diag_openssl(d, "RSA key generation failed");
	*ret = pkey;
	return CGS_OK;
}

enum cgs_err pef_key_pem_private(EVP_PKEY *pkey, const char *passphrase, struct cgs_buf *out,
				 struct cgs_diag *d)
{
	OSSL_ENCODER_CTX *ec;
	unsigned char *p = NULL;
	size_t n = 0;
	enum cgs_err err = CGS_OK;

	ec = OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_KEYPAIR, "PEM", "type-specific", NULL);
	if (!ec)
		return cgs_diag_openssl(d, "cannot set up a key encoder");
	if (passphrase && (!OSSL_ENCODER_CTX_set_cipher(ec, "AES-256-CBC", NULL) ||
			   !OSSL_ENCODER_CTX_set_passphrase(ec, (const unsigned char *)passphrase,
							    strlen(passphrase))))
		err = cgs_diag_openssl(d, "cannot set up key encryption");
	if (!err && !OSSL_ENCODER_to_data(ec, &p, &n))
		err = cgs_diag_openssl(d, "cannot encode the private key");
	OSSL_ENCODER_CTX_free(ec);
	if (!err && cgs_buf_append(out, p, n))
		err = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (p)
		OPENSSL_clear_free(p, n);
	return err;
}

static EVP_PKEY_CTX *oaep_ctx(EVP_PKEY *pkey, int decrypt)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);

	if (!c || (decrypt ? EVP_PKEY_decrypt_init(c) : EVP_PKEY_encrypt_init(c)) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_oaep_md_name(c, "SHA256", NULL) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(c, "SHA256", NULL) <= 0) {
		EVP_PKEY_CTX_free(c);
		return NULL;
	}
	return c;
}

enum cgs_err pef_lockbox_wrap(EVP_PKEY *pub, const uint8_t key[PEF_ESM_KEY_LEN],
			      struct cgs_buf *out, struct cgs_diag *d)
{
	EVP_PKEY_CTX *c = oaep_ctx(pub, 0);
	size_t n = 0;
	enum cgs_err err = CGS_OK;

	if (!c || EVP_PKEY_encrypt(c, NULL, &n, key, PEF_ESM_KEY_LEN) <= 0)
		err = cgs_diag_openssl(d, "RSA-OAEP set-up failed");
	else if (cgs_buf_reserve(out, n))
		err = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	else if (EVP_PKEY_encrypt(c, out->data + out->len, &n, key, PEF_ESM_KEY_LEN) <= 0)
		err = cgs_diag_openssl(d, "RSA-OAEP encryption failed");
	else
		out->len += n;
	EVP_PKEY_CTX_free(c);
	return err;
}

enum cgs_err pef_lockbox_unwrap(EVP_PKEY *priv, const uint8_t *in, size_t len,
				uint8_t key[PEF_ESM_KEY_LEN], struct cgs_diag *d)
{
	EVP_PKEY_CTX *c = oaep_ctx(priv, 1);
	uint8_t out[1024];
	size_t n = sizeof(out);
	enum cgs_err err = CGS_OK;

	if (!c)
		return cgs_diag_openssl(d, "RSA-OAEP set-up failed");
	if ((size_t)EVP_PKEY_get_size(priv) != len || len > sizeof(out) ||
	    EVP_PKEY_decrypt(c, out, &n, in, len) <= 0) {
		ERR_clear_error();
		err = cgs_diag_set(d, CGS_E_VERIFY, "encrypted-symkey", CGS_DIAG_NO_OFFSET,
				   "the key does not open this lockbox (RSA-OAEP failed)");
	} else if (n != PEF_ESM_KEY_LEN) {
		err = cgs_diag_set(d, CGS_E_VERIFY, "encrypted-symkey", CGS_DIAG_NO_OFFSET,
				   "lockbox holds %zu bytes, not a 32-byte AES key", n);
	} else {
		memcpy(key, out, PEF_ESM_KEY_LEN);
	}
	cgs_wipe(out, sizeof(out));
	EVP_PKEY_CTX_free(c);
	return err;
}

static EVP_CIPHER_CTX *gcm_ctx(const uint8_t *key, const uint8_t *iv, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (!c || !EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, PEF_ESM_IV_LEN, NULL) ||
	    !EVP_CipherInit_ex(c, NULL, NULL, key, iv, enc)) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

enum cgs_err pef_seal(const uint8_t key[PEF_ESM_KEY_LEN], const uint8_t iv[PEF_ESM_IV_LEN],
		      const uint8_t *in, size_t len, uint8_t *out, uint8_t mac[PEF_ESM_MAC_LEN],
		      struct cgs_diag *d)
{
	EVP_CIPHER_CTX *c = gcm_ctx(key, iv, 1);
	int n = 0, fin = 0;
	enum cgs_err err = CGS_OK;

	if (!c || len > INT32_MAX || (len && !EVP_EncryptUpdate(c, out, &n, in, (int)len)) ||
	    !EVP_EncryptFinal_ex(c, out + n, &fin) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, PEF_ESM_MAC_LEN, mac))
		err = cgs_diag_openssl(d, "AES-256-GCM encryption failed");
	EVP_CIPHER_CTX_free(c);
	return err;
}

enum cgs_err pef_open(const uint8_t key[PEF_ESM_KEY_LEN], const uint8_t iv[PEF_ESM_IV_LEN],
		      const uint8_t *in, size_t len, const uint8_t mac[PEF_ESM_MAC_LEN],
		      uint8_t *out, struct cgs_diag *d)
{
	EVP_CIPHER_CTX *c = gcm_ctx(key, iv, 0);
	int n = 0, fin = 0;
	enum cgs_err err = CGS_OK;

	if (!c || len > INT32_MAX || (len && !EVP_DecryptUpdate(c, out, &n, in, (int)len)) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, PEF_ESM_MAC_LEN, (void *)(uintptr_t)mac))
		err = cgs_diag_openssl(d, "AES-256-GCM set-up failed");
	else if (EVP_DecryptFinal_ex(c, out + n, &fin) <= 0) {
		cgs_wipe(out, len);
		err = cgs_diag_set(d, CGS_E_VERIFY, "mac", CGS_DIAG_NO_OFFSET,
				   "AES-256-GCM tag mismatch: wrong key or altered data");
	}
	EVP_CIPHER_CTX_free(c);
	return err;
}

struct skip_md {
	EVP_MD_CTX *ctx;
	uint64_t skip;
};

static enum cgs_err skip_update(void *arg, const uint8_t *data, size_t len)
{
	struct skip_md *s = arg;

	if (s->skip >= len) {
		s->skip -= len;
		return CGS_OK;
	}
	data += s->skip;
	len -= (size_t)s->skip;
	s->skip = 0;
	return EVP_DigestUpdate(s->ctx, data, len) ? CGS_OK : CGS_E_CRYPTO;
}

/* Bytes of a leading ESM cpio archive in the file, or 0. */
static enum cgs_err esm_prefix(const char *path, uint64_t *ret_skip, struct cgs_diag *d)
{
	uint8_t *buf = malloc(INITRD_PREFIX);
	struct cpio_esm_scan s;
	FILE *f;
	size_t n;
	enum cgs_err err;

	if (!buf)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	err = cgs_open_input(path, &f, d);
	if (err) {
		free(buf);
		return err;
	}
	n = fread(buf, 1, INITRD_PREFIX, f);
	fclose(f);
	*ret_skip = 0;
	if (cpio_is_newc(buf, n) && cpio_esm_scan(buf, n, &s, NULL) == CGS_OK)
		*ret_skip = s.initrd_off;
	free(buf);
	return CGS_OK;
}

static enum cgs_err initrd_digest(const char *path, int skip_esm, uint8_t *out,
				  uint64_t *ret_skipped, struct cgs_diag *d)
{
	struct skip_md s = { EVP_MD_CTX_new(), 0 };
	enum cgs_err err = CGS_OK;

	if (!s.ctx || !EVP_DigestInit_ex(s.ctx, EVP_sha512(), NULL))
		err = cgs_diag_openssl(d, "cannot start SHA-512");
	if (!err && path && skip_esm && strcmp(path, "-"))
		err = esm_prefix(path, &s.skip, d);
	if (ret_skipped)
		*ret_skipped = s.skip;
	if (!err && path)
		err = cgs_stream_file(path, skip_update, &s, NULL, d);
	if (err == CGS_E_CRYPTO && d && !d->text[0])
		cgs_diag_openssl(d, "SHA-512 failed");
	if (!err && !EVP_DigestFinal_ex(s.ctx, out, NULL))
		err = cgs_diag_openssl(d, "SHA-512 failed");
	EVP_MD_CTX_free(s.ctx);
	return err;
}

enum cgs_err pef_boot_digests(const struct pef_boot *b, int skip_esm_cpio,
			      struct pef_esm_digests *ret, uint64_t *ret_initrd_skipped,
			      struct cgs_diag *d)
{
	struct pef_esm_digests dg;
	const char *cmd = b->cmdline ? b->cmdline : "";
	uint64_t ksize = 0;
	enum cgs_err err;

	memset(&dg, 0, sizeof(dg));
	err = cgs_digest("SHA512", pef_rtas_stub, sizeof(pef_rtas_stub), dg.rtas, NULL, d);
	if (!err) {
		err = elf_flat_digest(b->kernel, "SHA512", dg.kernel, &ksize, d);
		if (err && d)
			snprintf(d->field, sizeof(d->field), "kernel");
	}
	if (!err && ksize > UINT32_MAX)
		err = cgs_diag_set(d, CGS_E_UNSUPPORTED, "kernel", CGS_DIAG_NO_OFFSET,
				   "flat kernel image over 4 GiB");
	dg.kernel_size = (uint32_t)ksize;
	if (!err) {
		err = initrd_digest(b->initrd, skip_esm_cpio, dg.initrd, ret_initrd_skipped, d);
		if (err && d)
			snprintf(d->field, sizeof(d->field), "initrd");
	}
	if (!err)
		err = cgs_digest("SHA512", cmd, strlen(cmd), dg.bootargs, NULL, d);
	if (!err)
		*ret = dg;
	return err;
}

enum cgs_err pef_open_lockbox(const struct pef_esm *m, const char *name, EVP_PKEY *priv,
			      uint8_t key[PEF_ESM_KEY_LEN], struct cgs_diag *d)
{
	int i = pef_esm_find_lockbox(m, name);
	enum cgs_err err;

	if (i < 0)
		return cgs_diag_set(d, CGS_E_VERIFY, name, CGS_DIAG_NO_OFFSET,
				    "the blob has no %s (the Ultravisor opens only lockbox-1)",
				    name);
	err = pef_lockbox_unwrap(priv, m->lockboxes[i].symkey.data, m->lockboxes[i].symkey.len,
				 key, d);
	if (err && d)
		snprintf(d->field, sizeof(d->field), "%s", name);
	return err;
}

enum cgs_err pef_open_any_lockbox(const struct pef_esm *m, const struct pef_key *k,
				  uint8_t key[PEF_ESM_KEY_LEN], int *ret_index,
				  struct cgs_diag *d)
{
	/* by fingerprint first, then any lockbox the key opens (non-canonical PEM files) */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m->n_lockboxes; i++) {
			const struct pef_esm_lockbox *lb = &m->lockboxes[i];
			int match = !memcmp(lb->fingerprint, k->fingerprint, PEF_ESM_FP_LEN);

			if (match != !pass)
				continue;
			if (pef_lockbox_unwrap(k->pkey, lb->symkey.data, lb->symkey.len, key,
					       NULL) == CGS_OK) {
				if (ret_index)
					*ret_index = (int)i;
				return CGS_OK;
			}
		}
	}
	return cgs_diag_set(d, CGS_E_VERIFY, "lockboxes", CGS_DIAG_NO_OFFSET,
			    "the key opens no lockbox of this blob");
}

enum cgs_err pef_open_digests(const struct pef_esm *m, const uint8_t key[PEF_ESM_KEY_LEN],
			      struct pef_esm_digests *ret, struct cgs_diag *d)
{
	const struct pef_esm_sealed *s = &m->digests;
	uint8_t *plain;
	enum cgs_err err;

	if (!m->has_digests)
		return cgs_diag_set(d, CGS_E_VERIFY, "/digest/digests-fdt", CGS_DIAG_NO_OFFSET,
				    "the blob has no digests");
	plain = malloc(s->ciphertext.len ? s->ciphertext.len : 1);
	if (!plain)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	err = pef_open(key, s->iv, s->ciphertext.data, s->ciphertext.len, s->mac, plain, d);
	if (err && d)
		snprintf(d->field, sizeof(d->field), "/digest/digests-fdt/mac");
	if (!err) {
		err = pef_esm_digests_parse(plain, s->ciphertext.len, ret, d);
		if (err == CGS_E_MALFORMED)
			err = CGS_E_VERIFY; /* sealed garbage: not what the UV accepts */
	}
	free(plain);
	return err;
}
