// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage s390-secret: IBM Z Secure Execution add-secret requests as
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
#include <openssl/x509.h>

#include "cmd/mkimage/verbs.h"
#include "keys/s390_hostkeys.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_pv_image.h"
#include "lib/s390/s390_pv_crypto.h"

enum {
	KEY_HDR = CGS_KEY_FIRST,
	KEY_CUID_HEX,
	KEY_CUID,
	KEY_FLAGS,
	KEY_PCF,
	KEY_EXT_SECRET,
	KEY_CCK,
	KEY_USER_DATA,
	KEY_USER_SIGN_KEY,
	KEY_INPUT_SECRET,
	KEY_OUTPUT_SECRET,
	KEY_SECRET,
	KEY_TYPE,
	KEY_FORCE,
	KEY_X_PROT_KEY,
	KEY_X_CUST_KEY,
	KEY_X_IV,
	KEY_X_HDR_TAGS,
};

static const struct cgs_option secret_options[] = {
	S390_HOSTKEY_OPTIONS("the guest runs on"),
	{ "hdr", KEY_HDR, CGS_REQ_ARG, "FILE", "the SE image or its extracted SE header", 0 },
	{ "output", 'o', CGS_REQ_ARG, "FILE", "write the add-secret request", 0 },
	{ "cuid-hex", KEY_CUID_HEX, CGS_REQ_ARG, "HEX",
	  "bind to this 16-byte configuration unique ID", 0 },
	{ "cuid", KEY_CUID, CGS_REQ_ARG, "FILE",
	  "bind to the configuration unique ID in FILE (16 bytes, or text with 0x...)", 0 },
	{ "flags", KEY_FLAGS, CGS_REQ_ARG, "LIST", "request flags: disable-dump", 0 },
	{ "pcf", KEY_PCF, CGS_REQ_ARG, "HEX", "the whole 64-bit request flag word", 0 },
	{ "extension-secret", KEY_EXT_SECRET, CGS_REQ_ARG, "FILE",
	  "32-byte extension secret", 0 },
	{ "cck", KEY_CCK, CGS_REQ_ARG, "FILE",
	  "derive the extension secret from this 32-byte customer communication key", 0 },
	{ "user-data", KEY_USER_DATA, CGS_REQ_ARG, "FILE",
	  "arbitrary data for the request (up to 512 bytes, 256/128 when signed)", 0 },
	{ "user-sign-key", KEY_USER_SIGN_KEY, CGS_REQ_ARG, "FILE",
	  "sign the request with this EC P-521, RSA-2048 or RSA-3072 key", 0 },
	{ "input-secret", KEY_INPUT_SECRET, CGS_REQ_ARG, "FILE",
	  "association: the 32-byte secret (default: random)", 0 },
	{ "output-secret", KEY_OUTPUT_SECRET, CGS_REQ_ARG, "FILE",
	  "association: write the secret (mode 0600)", 0 },
	{ "secret", KEY_SECRET, CGS_REQ_ARG, "FILE",
	  "retrievable or update-cck: the secret value (key file for ec)", 0 },
	{ "type", KEY_TYPE, CGS_REQ_ARG, "TYPE",
	  "retrievable: plain, aes, aes-xts, hmac-sha or ec", 0 },
	{ "force", KEY_FORCE, CGS_NO_ARG, NULL, "replace existing output files", 0 },
	{ "x-prot-key", KEY_X_PROT_KEY, CGS_REQ_ARG, "FILE",
	  "use this 32-byte request protection key", CGS_OPT_EXPERIMENTAL },
	{ "x-cust-key", KEY_X_CUST_KEY, CGS_REQ_ARG, "FILE",
	  "use this secp521r1 customer key (PEM or raw scalar)", CGS_OPT_EXPERIMENTAL },
	{ "x-iv", KEY_X_IV, CGS_REQ_ARG, "HEX", "use this 12-byte GCM IV", CGS_OPT_EXPERIMENTAL },
	{ "x-hdr-tags", KEY_X_HDR_TAGS, CGS_REQ_ARG, "HEX",
	  "bind to these 208 bytes of SE header tags instead of --hdr (known-answer tests)",
	  CGS_OPT_EXPERIMENTAL },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct sctx {
	struct s390_hostkey_args hk;
	const char *hdr, *output, *cuid_file, *ext_file, *cck_file, *user_file, *sign_key;
	const char *in_secret, *out_secret, *secret_file, *type, *x_prot, *x_cust;
	const char *kind, *name;
	int has_cuid, has_iv, has_pcf, has_tags;
	uint8_t cuid[16], iv[12], tags[208];
	uint64_t pcf, flags;
	unsigned out_flags;
};

static int parse_flags(struct sctx *c, const char *arg)
{
	const char *p = arg;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == strlen("disable-dump") && !strncmp(p, "disable-dump", len))
			c->flags |= S390_ASRCB_FLAG_DISABLE_DUMP;
		else
			return cgs_log_usage("invalid argument '%.*s' for '--flags' (expected "
					     "disable-dump)", (int)len, p);
		p += len + (p[len] == ',');
	}
	return 0;
}

static int set_str(const char **dst, const char *arg)
{
	*dst = arg;
	return 0;
}

static int secret_option(void *ctx, int key, const char *arg)
{
	struct sctx *c = ctx;
	int rc = s390_hostkey_option(&c->hk, key, arg);

	if (rc >= 0)
		return rc;
	switch (key) {
	case KEY_HDR:
		return set_str(&c->hdr, arg);
	case 'o':
		return set_str(&c->output, arg);
	case KEY_CUID_HEX:
		c->has_cuid = 1;
		return cgs_arg_hex("--cuid-hex", arg, c->cuid, sizeof(c->cuid));
	case KEY_CUID:
		return set_str(&c->cuid_file, arg);
	case KEY_FLAGS:
		return parse_flags(c, arg);
	case KEY_PCF:
		c->has_pcf = 1;
		return cgs_arg_u64("--pcf", arg, UINT64_MAX, &c->pcf);
	case KEY_EXT_SECRET:
		return set_str(&c->ext_file, arg);
	case KEY_CCK:
		return set_str(&c->cck_file, arg);
	case KEY_USER_DATA:
		return set_str(&c->user_file, arg);
	case KEY_USER_SIGN_KEY:
		return set_str(&c->sign_key, arg);
	case KEY_INPUT_SECRET:
		return set_str(&c->in_secret, arg);
	case KEY_OUTPUT_SECRET:
		return set_str(&c->out_secret, arg);
	case KEY_SECRET:
		return set_str(&c->secret_file, arg);
	case KEY_TYPE:
		return set_str(&c->type, arg);
	case KEY_FORCE:
		c->out_flags |= CGS_OUT_FORCE;
		return 0;
	case KEY_X_PROT_KEY:
		return set_str(&c->x_prot, arg);
	case KEY_X_CUST_KEY:
		return set_str(&c->x_cust, arg);
	case KEY_X_IV:
		c->has_iv = 1;
		return cgs_arg_hex("--x-iv", arg, c->iv, sizeof(c->iv));
	case KEY_X_HDR_TAGS:
		c->has_tags = 1;
		return cgs_arg_hex("--x-hdr-tags", arg, c->tags, sizeof(c->tags));
	default:
		return 0;
	}
}

/* Read a file of at most max bytes; logs and returns an exit code on failure. */
static int read_small(const char *path, size_t max, uint8_t **ret, size_t *ret_len)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (cgs_read_file(path, max, ret, ret_len, &d))
		return cgs_log_diag(&d, "read", path);
	return 0;
}

static int read_exact(const char *path, uint8_t *out, size_t len, const char *what)
{
	uint8_t *b = NULL;
	size_t n = 0;
	int rc = read_small(path, len + 1, &b, &n);

	if (rc)
		return rc;
	if (n != len) {
		cgs_free_secret(b, n);
		cgs_log_error("failed to read '%s': %zu bytes, %s has %zu", path, n, what, len);
		return CGS_EXIT_DATAERR;
	}
	memcpy(out, b, len);
	cgs_free_secret(b, n);
	return 0;
}

/* A CUID file: 16 raw bytes, or text holding 0x and 32 hex digits (pvattest output). */
static int read_cuid(const char *path, uint8_t cuid[16])
{
	uint8_t *b = NULL;
	size_t n = 0, got = 0;
	int rc = read_small(path, 1u << 16, &b, &n);

	if (rc)
		return rc;
	if (n == 16) {
		memcpy(cuid, b, 16);
		free(b);
		return 0;
	}
	for (size_t i = 0; i + 34 <= n; i++) {
		char hex[33];

		if (b[i] != '0' || (b[i + 1] != 'x' && b[i + 1] != 'X'))
			continue;
		memcpy(hex, b + i + 2, 32);
		hex[32] = 0;
		if ((i + 34 == n || !isxdigit(b[i + 34])) &&
		    !cgs_hex_decode(hex, cuid, 16, &got, 1)) {
			free(b);
			return 0;
		}
	}
	free(b);
	cgs_log_error("failed to parse '%s': no configuration unique ID (16 bytes, or 0x and 32 "
		      "hex digits) (field 'cuid')", path);
	return CGS_EXIT_DATAERR;
}

struct secret_val {
	uint16_t type;
	uint8_t *data; /* encoded secret, wiped on free */
	size_t len;
	uint8_t id[32];
};

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
	if (id != EVP_PKEY_EC ||
	    !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					    NULL))
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

static int load_ec_secret(const char *path, struct secret_val *sv)
{
	uint8_t *b = NULL, raw[80];
	size_t n = 0, len = 0;
	BIO *bio;
	EVP_PKEY *k;
	int rc = read_small(path, 1u << 16, &b, &n);

	if (rc)
		return rc;
	bio = BIO_new_mem_buf(b, (int)n);
	k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	if (!k && bio) {
		const unsigned char *p = b;

		k = d2i_AutoPrivateKey(NULL, &p, (long)n);
	}
	BIO_free(bio);
	cgs_free_secret(b, n);
	if (!k || ec_raw(k, &sv->type, raw, &len)) {
		EVP_PKEY_free(k);
		cgs_log_error("failed to read '%s': not a secp256r1, secp384r1, secp521r1, ed25519 or "
			      "ed448 private key (PEM or DER) (field 'secret')", path);
		return CGS_EXIT_DATAERR;
	}
	EVP_PKEY_free(k);
	sv->data = malloc(len);
	if (!sv->data)
		return CGS_EXIT_FAILURE;
	memcpy(sv->data, raw, len);
	sv->len = len;
	cgs_wipe(raw, sizeof(raw));
	return 0;
}

/* The type of a symmetric retrievable secret from --type and its size; 0 if invalid. */
static uint16_t retr_type(const char *type, size_t len)
{
	if (!strcmp(type, "plain"))
		return S390_SECRET_PLAINTEXT;
	if (!strcmp(type, "aes"))
		return len == 16 ? S390_SECRET_AES128 : len == 24 ? S390_SECRET_AES192 :
			len == 32 ? S390_SECRET_AES256 : 0;
	if (!strcmp(type, "aes-xts"))
		return len == 32 ? S390_SECRET_AES128_XTS : len == 64 ? S390_SECRET_AES256_XTS : 0;
	if (!strcmp(type, "hmac-sha"))
		return len == 64 ? S390_SECRET_HMAC_SHA256 : len == 128 ? S390_SECRET_HMAC_SHA512 : 0;
	return 0;
}

static int retrievable(const struct sctx *c, struct secret_val *sv)
{
	uint8_t *b = NULL;
	size_t n = 0;
	struct cgs_diag d;
	int rc;

	if (!strcmp(c->type, "ec"))
		return load_ec_secret(c->secret_file, sv);
	rc = read_small(c->secret_file, S390_ASRCB_PLAIN_MAX + 1, &b, &n);
	if (rc)
		return rc;
	sv->type = retr_type(c->type, n);
	cgs_diag_clear(&d);
	if (!sv->type) {
		cgs_free_secret(b, n);
		cgs_log_error("failed to read '%s': %zu bytes are not a valid %s key (field 'secret')",
			      c->secret_file, n, c->type);
		return CGS_EXIT_DATAERR;
	}
	if (s390_attest_encode_secret(sv->type, b, n, &sv->data, &sv->len, &d)) {
		cgs_free_secret(b, n);
		return cgs_log_diag(&d, "encode the secret from", c->secret_file);
	}
	cgs_free_secret(b, n);
	return 0;
}

static int build_secret(const struct sctx *c, struct secret_val *sv)
{
	struct cgs_diag d;
	size_t n;

	memset(sv, 0, sizeof(*sv));
	cgs_diag_clear(&d);
	if (c->name && cgs_digest("SHA256", c->name, strlen(c->name), sv->id, &n, &d))
		return cgs_log_diag(&d, "hash the secret name", NULL);
	if (!strcmp(c->kind, "meta")) {
		sv->type = S390_SECRET_NULL;
		return 0;
	}
	if (!strcmp(c->kind, "retrievable"))
		return retrievable(c, sv);
	sv->data = malloc(32);
	if (!sv->data)
		return CGS_EXIT_FAILURE;
	sv->len = 32;
	if (!strcmp(c->kind, "update-cck")) {
		sv->type = S390_SECRET_UPDATE_CCK;
		return read_exact(c->secret_file, sv->data, 32, "a customer communication key");
	}
	sv->type = S390_SECRET_ASSOCIATION;
	if (c->in_secret)
		return read_exact(c->in_secret, sv->data, 32, "an association secret");
	if (cgs_random(sv->data, 32, &d))
		return cgs_log_diag(&d, "draw the association secret", NULL);
	return 0;
}

static EVP_PKEY *load_priv(const char *path)
{
	uint8_t *b = NULL;
	size_t n = 0;
	BIO *bio;
	EVP_PKEY *k = NULL;

	if (read_small(path, 1u << 16, &b, &n))
		return NULL;
	bio = BIO_new_mem_buf(b, (int)n);
	if (bio)
		k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (!k) {
		const unsigned char *p = b;

		k = d2i_AutoPrivateKey(NULL, &p, (long)n);
	}
	BIO_free(bio);
	cgs_free_secret(b, n);
	return k;
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

static int user_data(const struct sctx *c, struct s390_asrcb *a, EVP_PKEY **sign)
{
	uint8_t *b = NULL;
	size_t n = 0, max = S390_ASRCB_USER_DATA_SIZE;
	int rc;

	a->user_type = S390_ASRCB_UD_NONE;
	if (c->sign_key) {
		*sign = load_priv(c->sign_key);
		if (!*sign || sign_kind(*sign, &a->user_type, &max)) {
			cgs_log_error("failed to read '%s': not an EC secp521r1, RSA-2048 or RSA-3072 "
				      "private key (field 'user-sign-key')", c->sign_key);
			return CGS_EXIT_DATAERR;
		}
	}
	if (!c->user_file)
		return 0;
	rc = read_small(c->user_file, max + 1, &b, &n);
	if (rc)
		return rc;
	if (n > max) {
		free(b);
		cgs_log_error("failed to read '%s': more than %zu bytes of user data%s",
			      c->user_file, max, c->sign_key ? " with this signing key" : "");
		return CGS_EXIT_DATAERR;
	}
	memcpy(a->user_data, b, n);
	free(b);
	if (!c->sign_key)
		a->user_type = S390_ASRCB_UD_UNSIGNED;
	return 0;
}

/* Sign the request without its tag and put the signature into the user-data area. */
static int sign_request(EVP_PKEY *k, struct s390_asrcb *a, const uint8_t *req, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t sig[512];
	size_t sl = sizeof(sig);
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha512(), NULL, k) > 0 &&
		 EVP_DigestSign(ctx, sig, &sl, req, len - S390_UVREQ_TAG_SIZE) > 0;

	EVP_MD_CTX_free(ctx);
	if (!ok) {
		struct cgs_diag d;

		cgs_diag_openssl(&d, "signing the request failed");
		return cgs_log_diag(&d, "sign the request with", NULL);
	}
	if (a->user_type == S390_ASRCB_UD_ECDSA_P521 && sl <= 139) {
		memcpy(a->user_data + 256, sig, sl);
		a->user_data[256 + 139 + 5] = (uint8_t)(sl >> 8);
		a->user_data[256 + 139 + 6] = (uint8_t)sl;
	} else if (a->user_type == S390_ASRCB_UD_RSA2048 && sl == 256) {
		memcpy(a->user_data + 256, sig, sl);
	} else if (a->user_type == S390_ASRCB_UD_RSA3072 && sl == 384) {
		memcpy(a->user_data + 128, sig, sl);
	} else {
		cgs_log_error("unexpected signature size %zu", sl);
		return CGS_EXIT_FAILURE;
	}
	return 0;
}

struct keys {
	uint8_t prot[32], ext[32];
	EVP_PKEY *cust, *sign;
};

static int request_keys(const struct sctx *c, struct s390_asrcb *a, struct keys *k)
{
	struct cgs_diag d;
	uint8_t cck[32];
	int rc;

	cgs_diag_clear(&d);
	if (cgs_random(k->prot, 32, &d) || cgs_random(a->hdr.iv, 12, &d))
		return cgs_log_diag(&d, "draw random values", NULL);
	if (c->x_prot && (rc = read_exact(c->x_prot, k->prot, 32, "a request protection key")))
		return rc;
	if (c->has_iv)
		memcpy(a->hdr.iv, c->iv, 12);
	if (c->ext_file && (rc = read_exact(c->ext_file, k->ext, 32, "an extension secret")))
		return rc;
	if (c->cck_file) {
		rc = read_exact(c->cck_file, cck, 32, "a customer communication key");
		if (!rc && s390_attest_ext_secret(cck, a->tags + 192, k->ext, &d))
			rc = cgs_log_diag(&d, "derive the extension secret", NULL);
		cgs_wipe(cck, sizeof(cck));
		if (rc)
			return rc;
	}
	if (c->x_cust) {
		uint8_t *b = NULL;
		size_t n = 0;

		rc = read_small(c->x_cust, 1u << 16, &b, &n);
		if (rc)
			return rc;
		rc = s390_pv_ec_priv_load(b, n, &k->cust, &d);
		cgs_free_secret(b, n);
		return rc ? cgs_log_diag(&d, "load the customer key", c->x_cust) : 0;
	}
	if (s390_pv_ec_generate(&k->cust, &d))
		return cgs_log_diag(&d, "generate the customer key", NULL);
	return 0;
}

/* Every host key must have a key slot in the header: else the guest never runs there. */
static int check_slots(const struct sctx *c, const struct s390_hostkeys *hk,
		       const struct s390_pv_hdr *h)
{
	for (size_t i = 0; i < hk->n; i++) {
		uint8_t phkh[32];
		struct cgs_diag d;

		cgs_diag_clear(&d);
		if (s390_pv_phkh(hk->keys[i], phkh, &d))
			return cgs_log_diag(&d, "hash the host key of", c->hk.hkds[i]);
		if (!s390_attest_hdr_has_phkh(h, phkh)) {
			cgs_log_error("the SE header in '%s' has no key slot for host-key document "
				      "'%s' (field 'key slots')", c->hdr, c->hk.hkds[i]);
			return CGS_EXIT_DATAERR;
		}
	}
	return 0;
}

static int write_outputs(const struct sctx *c, const uint8_t *req, size_t n,
			 const struct secret_val *sv)
{
	struct cgs_out ro, so;
	struct cgs_diag d;
	int want_secret = c->out_secret && sv->type == S390_SECRET_ASSOCIATION;
	struct cgs_out *all[2] = { &ro, want_secret ? &so : NULL };
	size_t failed = 0;

	cgs_diag_clear(&d);
	if (cgs_out_open(&ro, c->output, c->out_flags, &d))
		return cgs_log_diag(&d, "write", c->output);
	if (want_secret && cgs_out_open(&so, c->out_secret, c->out_flags | CGS_OUT_SECRET, &d)) {
		cgs_out_abort(&ro);
		return cgs_log_diag(&d, "write", c->out_secret);
	}
	if (cgs_out_write(&ro, req, n, &d) ||
	    (want_secret && cgs_out_write(&so, sv->data, sv->len, &d))) {
		cgs_out_abort_all(all, 2);
		return cgs_log_diag(&d, "write", want_secret ? c->out_secret : c->output);
	}
	/* both or neither (issue 10) */
	if (cgs_out_commit_all(all, 2, &failed, &d))
		return cgs_log_diag(&d, "write", failed ? c->out_secret : c->output);
	return 0;
}

static int print_result(const struct sctx *c, const struct s390_asrcb *a, size_t n)
{
	const char *tn = s390_secret_type_name(a->secret_type);
	struct json_object *doc;
	char hex[65];
	int rc;

	if (!cgs_opts.json) {
		printf("secret type: %s\n", tn);
		if (c->name) {
			cgs_hex_encode(a->secret_id, 32, hex);
			printf("name: %s\nid: 0x%s\n", c->name, hex);
		}
		return 0;
	}
	doc = cgs_json_doc("cgs-mkimage");
	cgs_json_add_str(doc, "secret_type", tn);
	cgs_json_add_int(doc, "secret_type_id", a->secret_type);
	cgs_json_add_str(doc, "name", c->name);
	if (c->name)
		cgs_json_add_hex(doc, "id", a->secret_id, 32);
	else
		cgs_json_add_str(doc, "id", NULL);
	cgs_json_add_u64hex(doc, "flags", a->flags);
	cgs_json_add_hex(doc, "cuid", a->cuid, 16);
	cgs_json_add_int(doc, "user_data_type", a->user_type);
	cgs_json_add_int(doc, "host_keys", a->hdr.nks);
	cgs_json_add_hex(doc, "se_header_tag", a->tags + 192, 16);
	cgs_json_add_int(doc, "size", (int64_t)n);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : 0;
}

static int assemble(const struct sctx *c, struct s390_asrcb *a, const struct s390_pv_hdr *h,
		    const struct secret_val *sv)
{
	if (c->has_tags)
		memcpy(a->tags, c->tags, sizeof(a->tags));
	else
		s390_pv_hdr_tags(h, a->tags);
	a->flags = (c->has_pcf ? c->pcf : 0) | c->flags;
	if (c->has_cuid)
		memcpy(a->cuid, c->cuid, 16);
	else if (c->cuid_file && read_cuid(c->cuid_file, a->cuid))
		return CGS_EXIT_DATAERR;
	a->secret_type = sv->type;
	a->secret_len = (uint32_t)sv->len;
	if (sv->type != S390_SECRET_NULL && sv->type != S390_SECRET_UPDATE_CCK)
		memcpy(a->secret_id, sv->id, 32);
	return 0;
}

static int build_and_write(const struct sctx *c, struct s390_asrcb *a,
			   const struct s390_hostkeys *hk, struct keys *k,
			   const struct secret_val *sv)
{
	uint8_t *req = NULL;
	size_t n = 0;
	struct cgs_diag d;
	int rc = 0;

	cgs_diag_clear(&d);
	if (s390_attest_secret_build(a, k->cust, hk->keys, hk->n, k->prot, sv->data, k->ext, &req, &n, &d))
		return cgs_log_diag(&d, "build the add-secret request", NULL);
	if (k->sign) {
		/* sign the request as built, then seal it again with the signature in place */
		rc = sign_request(k->sign, a, req, n);
		free(req);
		req = NULL;
		if (!rc && s390_attest_secret_build(a, k->cust, hk->keys, hk->n, k->prot, sv->data, k->ext,
					    &req, &n, &d))
			rc = cgs_log_diag(&d, "build the add-secret request", NULL);
	}
	if (!rc)
		rc = write_outputs(c, req, n, sv);
	if (!rc)
		rc = print_result(c, a, n);
	if (!rc)
		cgs_log_info("wrote add-secret request '%s' for %zu host key%s", c->output, hk->n,
			     hk->n == 1 ? "" : "s");
	free(req);
	return rc;
}

static int secret_run(const struct sctx *c)
{
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	struct s390_hostkeys hk = { NULL, 0 };
	struct s390_asrcb a;
	struct secret_val sv = { 0 };
	struct keys k = { { 0 }, { 0 }, NULL, NULL };
	const char *bad = NULL;
	uint64_t off = 0;
	struct cgs_diag d;
	int rc;

	memset(&a, 0, sizeof(a));
	cgs_diag_clear(&d);
	if (!h)
		return CGS_EXIT_FAILURE;
	if (!c->has_tags && s390_pv_image_read_hdr(c->hdr, h, &off, &d)) {
		rc = cgs_log_diag(&d, "read the SE header from", c->hdr);
		goto out;
	}
	if (c->hk.no_verify)
		cgs_log_warn("host-key documents are not verified (--no-verify)");
	if (s390_hostkeys_load_args(&c->hk, &hk, &bad, &d)) {
		rc = cgs_log_diag(&d, bad ? "verify the host-key document" :
					    "set up host-key verification", bad);
		goto out;
	}
	rc = c->has_tags ? 0 : check_slots(c, &hk, h);
	if (!rc)
		rc = build_secret(c, &sv);
	if (!rc)
		rc = assemble(c, &a, h, &sv);
	if (!rc)
		rc = user_data(c, &a, &k.sign);
	if (!rc)
		rc = request_keys(c, &a, &k);
	if (!rc)
		rc = build_and_write(c, &a, &hk, &k, &sv);
out:
	if (sv.data)
		cgs_wipe(sv.data, sv.len);
	free(sv.data);
	cgs_wipe(&k, sizeof(k.prot) + sizeof(k.ext));
	EVP_PKEY_free(k.cust);
	EVP_PKEY_free(k.sign);
	s390_hostkeys_free(&hk);
	free(h);
	return rc;
}

static int check_operands(struct sctx *c, int argc, char **argv, int i)
{
	if (i >= argc)
		return cgs_log_usage("missing secret type (meta, association, retrievable or "
				     "update-cck)");
	c->kind = argv[i++];
	if (!strcmp(c->kind, "retr"))
		c->kind = "retrievable";
	if (strcmp(c->kind, "meta") && strcmp(c->kind, "association") &&
	    strcmp(c->kind, "retrievable") && strcmp(c->kind, "update-cck"))
		return cgs_log_usage("unknown secret type '%s' (expected meta, association, "
				     "retrievable or update-cck)", c->kind);
	if (!strcmp(c->kind, "association") || !strcmp(c->kind, "retrievable")) {
		if (i >= argc)
			return cgs_log_usage("missing secret name for '%s'", c->kind);
		c->name = argv[i++];
	}
	if (i < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[i]);
	return 0;
}

static int check_options(const struct sctx *c)
{
	int assoc = !strcmp(c->kind, "association"), retr = !strcmp(c->kind, "retrievable");

	if (!c->hk.n_hkds)
		return cgs_log_usage("missing option '--host-key-document'");
	if (!c->hdr && !c->has_tags)
		return cgs_log_usage("missing option '--hdr'");
	if (!c->output)
		return cgs_log_usage("missing option '--output'");
	if (c->ext_file && c->cck_file)
		return cgs_log_usage("'--extension-secret' and '--cck' exclude each other");
	if (c->has_cuid && c->cuid_file)
		return cgs_log_usage("'--cuid-hex' and '--cuid' exclude each other");
	if ((c->in_secret || c->out_secret) && !assoc)
		return cgs_log_usage("'--input-secret' and '--output-secret' need 'association'");
	if (c->type && !retr)
		return cgs_log_usage("'--type' needs 'retrievable'");
	if (retr && (!c->type || !c->secret_file))
		return cgs_log_usage("'retrievable' needs '--secret' and '--type'");
	if (retr && strcmp(c->type, "plain") && strcmp(c->type, "aes") &&
	    strcmp(c->type, "aes-xts") && strcmp(c->type, "hmac-sha") && strcmp(c->type, "ec"))
		return cgs_log_usage("invalid argument '%s' for '--type' (expected plain, aes, "
				     "aes-xts, hmac-sha or ec)", c->type);
	if (!strcmp(c->kind, "update-cck") && !c->secret_file)
		return cgs_log_usage("'update-cck' needs '--secret'");
	if (c->secret_file && !retr && strcmp(c->kind, "update-cck"))
		return cgs_log_usage("'--secret' needs 'retrievable' or 'update-cck'");
	return 0;
}

int verb_s390_secret(int argc, char **argv)
{
	struct sctx c;
	struct cgs_command cmd = {
		"cgs-mkimage s390-secret",
		"[OPTION]... -k HKD --hdr IMAGE -o REQUEST (meta | association NAME | "
		"retrievable NAME | update-cck)",
		"Create an IBM Z Secure Execution add-secret request (as pvsecret create).",
		secret_options,
		CGS_COMMON_JSON,
		"The guest adds the secret with 'pvsecret add REQUEST'.",
		secret_option,
		&c,
	};
	int optind_, rc;

	memset(&c, 0, sizeof(c));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	rc = check_operands(&c, argc, argv, optind_);
	if (!rc)
		rc = check_options(&c);
	if (!rc)
		rc = secret_run(&c);
	return rc;
}
