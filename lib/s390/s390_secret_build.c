// SPDX-License-Identifier: MIT
/*
 * cgs_s390_secret_build: IBM Z Secure Execution add-secret requests as
 * pvsecret create makes them: meta, association, retrievable and update-cck
 * secrets bound to the SE header of an image, encrypted for host keys.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cgs/s390.h>

#include "keys/s390_hostkeys.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_keyfile.h"
#include "lib/s390/s390_pv_crypto.h"
#include "lib/s390/s390_pv_image.h"

struct secret_val {
	uint16_t type;
	uint8_t *data; /* encoded secret, wiped on free */
	size_t len;
	uint8_t id[32];
};

struct sbuild {
	const struct cgs_s390_secret_in *in;
	struct cgs_s390_secret_out *out;
	struct cgs_diag *d;
	struct s390_pv_hdr *hdr;
	struct s390_hostkeys hk;
	struct s390_asrcb a;
	struct secret_val sv;
	uint8_t prot[32], ext[32];
	EVP_PKEY *cust, *sign;
};

static enum cgs_err fail(struct sbuild *b, const char *step, const char *input, enum cgs_err e)
{
	b->out->step = step;
	b->out->input = input;
	return e;
}

static enum cgs_err bad(struct sbuild *b, const char *step, const char *input, const char *field,
			const char *text)
{
	return fail(b, step, input,
		    cgs_diag_set(b->d, CGS_E_MALFORMED, field, CGS_DIAG_NO_OFFSET, "%s", text));
}

static enum cgs_err read_small(struct sbuild *b, const char *path, size_t max, uint8_t **ret,
			       size_t *ret_len)
{
	enum cgs_err e = cgs_read_file(path, max, ret, ret_len, b->d);

	return e ? fail(b, "read", path, e) : CGS_OK;
}

static enum cgs_err read_exact(struct sbuild *b, const char *path, uint8_t *out, size_t len,
			       const char *what)
{
	enum cgs_err e = s390_keyfile_read(path, out, len, what, b->d);

	return e ? fail(b, "read", path, e) : CGS_OK;
}

/* A CUID file: 16 raw bytes, or text holding 0x and 32 hex digits (pvattest output). */
static enum cgs_err read_cuid(struct sbuild *b, const char *path, uint8_t cuid[16])
{
	uint8_t *t = NULL;
	size_t n = 0, got = 0;
	enum cgs_err e = read_small(b, path, 1u << 16, &t, &n);

	if (e)
		return e;
	if (n == 16) {
		memcpy(cuid, t, 16);
		free(t);
		return CGS_OK;
	}
	for (size_t i = 0; i + 34 <= n; i++) {
		char hex[33];

		if (t[i] != '0' || (t[i + 1] != 'x' && t[i + 1] != 'X'))
			continue;
		memcpy(hex, t + i + 2, 32);
		hex[32] = 0;
		if ((i + 34 == n || !isxdigit(t[i + 34])) &&
		    !cgs_hex_decode(hex, cuid, 16, &got, 1)) {
			free(t);
			return CGS_OK;
		}
	}
	free(t);
	return bad(b, "parse", path, "cuid",
		   "no configuration unique ID (16 bytes, or 0x and 32 "
		   "hex digits)");
}

static int ec_raw(EVP_PKEY *k, uint16_t *type, uint8_t *out, size_t *len)
{
	char group[64] = "";
	BIGNUM *bn = NULL;
	size_t raw = 0, want;
	int id = EVP_PKEY_get_base_id(k), ok;

	if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) {
		*type = id == EVP_PKEY_ED25519 ? S390_SECRET_EC_ED25519 : S390_SECRET_EC_ED448;
		want = id == EVP_PKEY_ED25519 ? 32 : 64;
		if (!EVP_PKEY_get_raw_private_key(k, NULL, &raw) || raw > want)
			return -1;
		memset(out, 0, want);
		ok = EVP_PKEY_get_raw_private_key(k, out + want - raw, &raw);
		*len = want;
		return ok ? 0 : -1;
	}
	if (id != EVP_PKEY_EC || !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
								 group, sizeof(group), NULL))
		return -1;
	if (!strcmp(group, "prime256v1"))
		*type = S390_SECRET_EC_P256, want = 32;
	else if (!strcmp(group, "secp384r1"))
		*type = S390_SECRET_EC_P384, want = 48;
	else if (!strcmp(group, "secp521r1"))
		*type = S390_SECRET_EC_P521, want = 80;
	else
		return -1;
	if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn))
		return -1;
	ok = BN_bn2binpad(bn, out, (int)want) == (int)want;
	BN_clear_free(bn);
	*len = want;
	return ok ? 0 : -1;
}

/* A private key file, PEM or DER; NULL (step and input set) when unreadable. */
static EVP_PKEY *load_priv(struct sbuild *b, const char *path, enum cgs_err *ret)
{
	uint8_t *t = NULL;
	size_t n = 0;
	BIO *bio;
	EVP_PKEY *k = NULL;

	if ((*ret = read_small(b, path, 1u << 16, &t, &n)))
		return NULL;
	bio = BIO_new_mem_buf(t, (int)n);
	if (bio)
		k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (!k) {
		const unsigned char *p = t;

		k = d2i_AutoPrivateKey(NULL, &p, (long)n);
	}
	BIO_free(bio);
	cgs_free_secret(t, n);
	return k;
}

static enum cgs_err load_ec_secret(struct sbuild *b, const char *path)
{
	uint8_t raw[80];
	size_t len = 0;
	enum cgs_err e = CGS_OK;
	EVP_PKEY *k = load_priv(b, path, &e);

	if (e)
		return e;
	if (!k || ec_raw(k, &b->sv.type, raw, &len)) {
		EVP_PKEY_free(k);
		return bad(b, "read", path, "secret",
			   "not a secp256r1, secp384r1, secp521r1, "
			   "ed25519 or ed448 private key (PEM or DER)");
	}
	EVP_PKEY_free(k);
	b->sv.data = malloc(len);
	if (!b->sv.data)
		return cgs_diag_set(b->d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(b->sv.data, raw, len);
	b->sv.len = len;
	cgs_wipe(raw, sizeof(raw));
	return CGS_OK;
}

/* The type of a symmetric retrievable secret from --type and its size; 0 if invalid. */
static uint16_t retr_type(const char *type, size_t len)
{
	if (!strcmp(type, "plain"))
		return S390_SECRET_PLAINTEXT;
	if (!strcmp(type, "aes"))
		return len == 16   ? S390_SECRET_AES128
		       : len == 24 ? S390_SECRET_AES192
		       : len == 32 ? S390_SECRET_AES256
				   : 0;
	if (!strcmp(type, "aes-xts"))
		return len == 32 ? S390_SECRET_AES128_XTS : len == 64 ? S390_SECRET_AES256_XTS : 0;
	if (!strcmp(type, "hmac-sha"))
		return len == 64    ? S390_SECRET_HMAC_SHA256
		       : len == 128 ? S390_SECRET_HMAC_SHA512
				    : 0;
	return 0;
}

static enum cgs_err retrievable(struct sbuild *b)
{
	const char *path = b->in->secret_file, *type = b->in->type ? b->in->type : "";
	uint8_t *t = NULL;
	size_t n = 0;
	enum cgs_err e;

	if (!path)
		return fail(b, "build the add-secret request", NULL,
			    cgs_diag_set(b->d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
					 "a retrievable secret needs a secret and its type"));
	if (!strcmp(type, "ec"))
		return load_ec_secret(b, path);
	if ((e = read_small(b, path, S390_ASRCB_PLAIN_MAX + 1, &t, &n)))
		return e;
	b->sv.type = retr_type(type, n);
	if (!b->sv.type)
		e = fail(b, "read", path,
			 cgs_diag_set(b->d, CGS_E_MALFORMED, "secret", CGS_DIAG_NO_OFFSET,
				      "%zu bytes are not a "
				      "valid %s key",
				      n, type));
	else if ((e = s390_attest_encode_secret(b->sv.type, t, n, &b->sv.data, &b->sv.len, b->d)))
		fail(b, "encode the secret from", path, e);
	cgs_free_secret(t, n);
	return e;
}

static enum cgs_err build_secret(struct sbuild *b)
{
	const struct cgs_s390_secret_in *in = b->in;
	struct secret_val *sv = &b->sv;
	enum cgs_err e;
	size_t n;

	if (in->name && (e = cgs_digest("SHA256", in->name, strlen(in->name), sv->id, &n, b->d)))
		return fail(b, "hash the secret name", NULL, e);
	if (in->kind == CGS_S390_SECRET_META) {
		sv->type = S390_SECRET_NULL;
		return CGS_OK;
	}
	if (in->kind == CGS_S390_SECRET_RETRIEVABLE)
		return retrievable(b);
	sv->data = malloc(32);
	if (!sv->data)
		return cgs_diag_set(b->d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	sv->len = 32;
	if (in->kind == CGS_S390_SECRET_UPDATE_CCK) {
		sv->type = S390_SECRET_UPDATE_CCK;
		return read_exact(b, in->secret_file, sv->data, 32, "a customer communication key");
	}
	sv->type = S390_SECRET_ASSOCIATION;
	if (in->input_secret)
		return read_exact(b, in->input_secret, sv->data, 32, "an association secret");
	e = cgs_random(sv->data, 32, b->d);
	return e ? fail(b, "draw the association secret", NULL, e) : CGS_OK;
}

/* User-data type and the most message bytes it allows, from the signing key. */
static int sign_kind(EVP_PKEY *k, uint16_t *type, size_t *max)
{
	char group[64] = "";

	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC &&
	    EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					   NULL) &&
	    !strcmp(group, "secp521r1")) {
		*type = S390_ASRCB_UD_ECDSA_P521, *max = 256;
		return 0;
	}
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA && EVP_PKEY_get_bits(k) == 2048) {
		*type = S390_ASRCB_UD_RSA2048, *max = 256;
		return 0;
	}
	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA && EVP_PKEY_get_bits(k) == 3072) {
		*type = S390_ASRCB_UD_RSA3072, *max = 128;
		return 0;
	}
	return -1;
}

static enum cgs_err user_data(struct sbuild *b)
{
	const struct cgs_s390_secret_in *in = b->in;
	size_t n = 0, max = S390_ASRCB_USER_DATA_SIZE;
	enum cgs_err e = CGS_OK;
	uint8_t *t = NULL;

	b->a.user_type = S390_ASRCB_UD_NONE;
	if (in->user_sign_key) {
		b->sign = load_priv(b, in->user_sign_key, &e);
		if (e)
			return e;
		if (!b->sign || sign_kind(b->sign, &b->a.user_type, &max))
			return bad(b, "read", in->user_sign_key, "user-sign-key",
				   "not an EC "
				   "secp521r1, RSA-2048 or RSA-3072 private key");
	}
	if (!in->user_data_file)
		return CGS_OK;
	if ((e = read_small(b, in->user_data_file, max + 1, &t, &n)))
		return e;
	if (n > max) {
		free(t);
		return fail(b, "read", in->user_data_file,
			    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					 "more than %zu bytes of user data%s", max,
					 in->user_sign_key ? " with this signing key" : ""));
	}
	memcpy(b->a.user_data, t, n);
	free(t);
	if (!in->user_sign_key)
		b->a.user_type = S390_ASRCB_UD_UNSIGNED;
	return CGS_OK;
}

/* Sign the request without its tag and put the signature into the user-data area. */
static enum cgs_err sign_request(struct sbuild *b, const uint8_t *req, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct s390_asrcb *a = &b->a;
	uint8_t sig[512];
	size_t sl = sizeof(sig);
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha512(), NULL, b->sign) > 0 &&
		 EVP_DigestSign(ctx, sig, &sl, req, len - S390_UVREQ_TAG_SIZE) > 0;

	EVP_MD_CTX_free(ctx);
	if (!ok)
		return fail(b, "sign the request with", NULL,
			    cgs_diag_openssl(b->d, "signing the request failed"));
	if (a->user_type == S390_ASRCB_UD_ECDSA_P521 && sl <= 139) {
		memcpy(a->user_data + 256, sig, sl);
		a->user_data[256 + 139 + 5] = (uint8_t)(sl >> 8);
		a->user_data[256 + 139 + 6] = (uint8_t)sl;
	} else if (a->user_type == S390_ASRCB_UD_RSA2048 && sl == 256) {
		memcpy(a->user_data + 256, sig, sl);
	} else if (a->user_type == S390_ASRCB_UD_RSA3072 && sl == 384) {
		memcpy(a->user_data + 128, sig, sl);
	} else {
		return fail(b, "sign the request", NULL,
			    cgs_diag_set(b->d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
					 "unexpected signature size %zu", sl));
	}
	return CGS_OK;
}

static enum cgs_err request_keys(struct sbuild *b)
{
	const struct cgs_s390_secret_in *in = b->in;
	uint8_t cck[32], *t = NULL;
	size_t n = 0;
	enum cgs_err e;

	if ((e = cgs_random(b->prot, 32, b->d)) || (e = cgs_random(b->a.hdr.iv, 12, b->d)))
		return fail(b, "draw random values", NULL, e);
	if (in->x_prot_key &&
	    (e = read_exact(b, in->x_prot_key, b->prot, 32, "a request protection key")))
		return e;
	if (in->have_iv)
		memcpy(b->a.hdr.iv, in->iv, 12);
	if (in->ext_secret_file &&
	    (e = read_exact(b, in->ext_secret_file, b->ext, 32, "an extension secret")))
		return e;
	if (in->cck_file) {
		e = read_exact(b, in->cck_file, cck, 32, "a customer communication key");
		if (!e && (e = s390_attest_ext_secret(cck, b->a.tags + 192, b->ext, b->d)))
			fail(b, "derive the extension secret", NULL, e);
		cgs_wipe(cck, sizeof(cck));
		if (e)
			return e;
	}
	if (!in->x_cust_key) {
		e = s390_pv_ec_generate(&b->cust, b->d);
		return e ? fail(b, "generate the customer key", NULL, e) : CGS_OK;
	}
	if ((e = read_small(b, in->x_cust_key, 1u << 16, &t, &n)))
		return e;
	e = s390_pv_ec_priv_load(t, n, &b->cust, b->d);
	cgs_free_secret(t, n);
	return e ? fail(b, "load the customer key", in->x_cust_key, e) : CGS_OK;
}

/* Every host key must have a key slot in the header: else the guest never runs there. */
static enum cgs_err check_slots(struct sbuild *b)
{
	const struct cgs_s390_hostkeys *hk = &b->in->hostkeys;

	for (size_t i = 0; i < b->hk.n; i++) {
		uint8_t phkh[32];
		enum cgs_err e = s390_pv_phkh(b->hk.keys[i], phkh, b->d);

		if (e)
			return fail(b, "hash the host key of", hk->documents[i], e);
		if (!s390_attest_hdr_has_phkh(b->hdr, phkh))
			return fail(b, "check the key slots of", b->in->header,
				    cgs_diag_set(b->d, CGS_E_MALFORMED, "key slots",
						 CGS_DIAG_NO_OFFSET,
						 "the SE header has no key "
						 "slot for host-key document '%s'",
						 hk->documents[i]));
	}
	return CGS_OK;
}

static enum cgs_err load_hosts(struct sbuild *b)
{
	const char *path = NULL, *step = NULL;
	enum cgs_err e = s390_hostkeys_load_public(&b->in->hostkeys, IBMZ_HKD_CRLS_FROM_ROOT,
						   &b->hk, &path, &step, b->d);

	return e ? fail(b, step, path, e) : CGS_OK;
}

static enum cgs_err assemble(struct sbuild *b)
{
	const struct cgs_s390_secret_in *in = b->in;
	struct s390_asrcb *a = &b->a;

	if (in->have_tags)
		memcpy(a->tags, in->tags, sizeof(a->tags));
	else
		s390_pv_hdr_tags(b->hdr, a->tags);
	a->flags = in->flags;
	if (in->have_cuid)
		memcpy(a->cuid, in->cuid, 16);
	else if (in->cuid_file && read_cuid(b, in->cuid_file, a->cuid))
		return b->d->err;
	a->secret_type = b->sv.type;
	a->secret_len = (uint32_t)b->sv.len;
	if (b->sv.type != S390_SECRET_NULL && b->sv.type != S390_SECRET_UPDATE_CCK)
		memcpy(a->secret_id, b->sv.id, 32);
	return CGS_OK;
}

static enum cgs_err build_request(struct sbuild *b, uint8_t **req, size_t *n)
{
	enum cgs_err e = s390_attest_secret_build(&b->a, b->cust, b->hk.keys, b->hk.n, b->prot,
						  b->sv.data, b->ext, req, n, b->d);

	if (e || !b->sign)
		return e ? fail(b, "build the add-secret request", NULL, e) : CGS_OK;
	/* sign the request as built, then seal it again with the signature in place */
	e = sign_request(b, *req, *n);
	free(*req);
	*req = NULL;
	if (!e && (e = s390_attest_secret_build(&b->a, b->cust, b->hk.keys, b->hk.n, b->prot,
						b->sv.data, b->ext, req, n, b->d)))
		fail(b, "build the add-secret request", NULL, e);
	return e;
}

static enum cgs_err write_outputs(struct sbuild *b, const uint8_t *req, size_t n)
{
	const struct cgs_s390_secret_in *in = b->in;
	unsigned fl = in->force ? CGS_OUT_FORCE : 0;
	int want = in->output_secret && b->sv.type == S390_SECRET_ASSOCIATION;
	struct cgs_out_buf bufs[2] = {
	    {in->output, req, n, fl},
	    {want ? in->output_secret : NULL, b->sv.data, b->sv.len, fl | CGS_OUT_SECRET},
	};
	size_t failed = 0;
	enum cgs_err e = cgs_write_files(bufs, 2, &failed, b->d);

	return e ? fail(b, "write", bufs[failed].path, e) : CGS_OK;
}

static void report(struct sbuild *b, size_t n)
{
	struct cgs_s390_secret_out *o = b->out;

	o->type_name = s390_secret_type_name(b->a.secret_type);
	o->type_id = b->a.secret_type;
	o->has_id = b->in->name != NULL;
	memcpy(o->id, b->a.secret_id, 32);
	o->flags = b->a.flags;
	memcpy(o->cuid, b->a.cuid, 16);
	o->user_data_type = b->a.user_type;
	o->n_hostkeys = b->hk.n;
	memcpy(o->header_tag, b->a.tags + 192, 16);
	o->size = n;
}

static enum cgs_err run(struct sbuild *b)
{
	uint8_t *req = NULL;
	size_t n = 0;
	enum cgs_err e = CGS_OK;
	uint64_t off;

	if (!b->in->have_tags && (e = s390_pv_image_read_hdr(b->in->header, b->hdr, &off, b->d)))
		return fail(b, "read the SE header from", b->in->header, e);
	if ((e = load_hosts(b)))
		return e;
	if (!b->in->have_tags && (e = check_slots(b)))
		return e;
	if ((e = build_secret(b)) || (e = assemble(b)) || (e = user_data(b)) ||
	    (e = request_keys(b)) || (e = build_request(b, &req, &n)))
		return e;
	e = write_outputs(b, req, n);
	if (!e)
		report(b, n);
	free(req);
	return e;
}

enum cgs_err cgs_s390_secret_build(const struct cgs_s390_secret_in *in,
				   struct cgs_s390_secret_out *out, struct cgs_diag *d)
{
	struct sbuild *b = calloc(1, sizeof(*b));
	enum cgs_err e;

	memset(out, 0, sizeof(*out));
	if (!b || !(b->hdr = malloc(sizeof(*b->hdr)))) {
		free(b);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	b->in = in;
	b->out = out;
	b->d = d;
	e = run(b);
	if (b->sv.data)
		cgs_wipe(b->sv.data, b->sv.len);
	free(b->sv.data);
	EVP_PKEY_free(b->cust);
	EVP_PKEY_free(b->sign);
	s390_hostkeys_free(&b->hk);
	free(b->hdr);
	cgs_wipe(b, sizeof(*b));
	free(b);
	return e;
}
