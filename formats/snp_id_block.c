// SPDX-License-Identifier: MIT
#include "formats/snp_id_block.h"

#include <string.h>

#include "lib/core/endian.h"

void snp_id_block_serialize(const struct snp_id_block *b, uint8_t out[SNP_ID_BLOCK_LEN])
{
	memcpy(out, b->ld, 48);
	memcpy(out + 0x30, b->family_id, 16);
	memcpy(out + 0x40, b->image_id, 16);
	cgs_put_le32(out + 0x50, b->version);
	cgs_put_le32(out + 0x54, b->guest_svn);
	cgs_put_le64(out + 0x58, b->policy);
}

enum cgs_err snp_id_block_parse(const uint8_t *p, size_t len, struct snp_id_block *ret,
				struct cgs_diag *d)
{
	struct snp_id_block b;

	if (len != SNP_ID_BLOCK_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "id_block", len,
				    "ID block of %zu bytes (expected %d)", len, SNP_ID_BLOCK_LEN);
	memcpy(b.ld, p, 48);
	memcpy(b.family_id, p + 0x30, 16);
	memcpy(b.image_id, p + 0x40, 16);
	b.version = cgs_le32(p + 0x50);
	b.guest_svn = cgs_le32(p + 0x54);
	b.policy = cgs_le64(p + 0x58);
	if (b.version != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 0x50,
				    "unsupported ID block version %u", b.version);
	*ret = b;
	return CGS_OK;
}

/* big-endian integer -> zero-extended little-endian field */
static enum cgs_err put_le(uint8_t *out, const uint8_t *be, size_t len, const char *field,
			   struct cgs_diag *d)
{
	while (len > SNP_ECC_COORD_LEN && *be == 0)
		be++, len--;
	if (len > SNP_ECC_COORD_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, field, CGS_DIAG_NO_OFFSET,
				    "%s longer than %d bytes", field, SNP_ECC_COORD_LEN);
	memset(out, 0, SNP_ECC_COORD_LEN);
	for (size_t i = 0; i < len; i++)
		out[i] = be[len - 1 - i];
	return CGS_OK;
}

enum cgs_err snp_pubkey_build(const uint8_t *x_be, size_t xlen, const uint8_t *y_be,
			      size_t ylen, uint8_t out[SNP_PUBKEY_LEN], struct cgs_diag *d)
{
	enum cgs_err err;

	memset(out, 0, SNP_PUBKEY_LEN);
	cgs_put_le32(out, SNP_CURVE_P384);
	err = put_le(out + 4, x_be, xlen, "qx", d);
	return err ? err : put_le(out + 4 + SNP_ECC_COORD_LEN, y_be, ylen, "qy", d);
}

enum cgs_err snp_sig_build(const uint8_t *r_be, size_t rlen, const uint8_t *s_be, size_t slen,
			   uint8_t out[SNP_SIG_LEN], struct cgs_diag *d)
{
	enum cgs_err err;

	memset(out, 0, SNP_SIG_LEN);
	err = put_le(out, r_be, rlen, "r", d);
	return err ? err : put_le(out + SNP_ECC_COORD_LEN, s_be, slen, "s", d);
}

void snp_id_auth_build(const uint8_t id_block_sig[SNP_SIG_LEN],
		       const uint8_t id_key[SNP_PUBKEY_LEN], const uint8_t *id_key_sig,
		       const uint8_t *author_key, uint8_t out[SNP_ID_AUTH_LEN])
{
	memset(out, 0, SNP_ID_AUTH_LEN);
	cgs_put_le32(out, SNP_ALGO_ECDSA_P384_SHA384);
	cgs_put_le32(out + 4, author_key ? SNP_ALGO_ECDSA_P384_SHA384 : 0);
	memcpy(out + SNP_ID_AUTH_ID_BLOCK_SIG, id_block_sig, SNP_SIG_LEN);
	memcpy(out + SNP_ID_AUTH_ID_KEY, id_key, SNP_PUBKEY_LEN);
	if (author_key && id_key_sig) {
		memcpy(out + SNP_ID_AUTH_ID_KEY_SIG, id_key_sig, SNP_SIG_LEN);
		memcpy(out + SNP_ID_AUTH_AUTHOR_KEY, author_key, SNP_PUBKEY_LEN);
	}
}

enum cgs_err snp_id_auth_parse(const uint8_t *p, size_t len, struct snp_id_auth_view *ret,
			       struct cgs_diag *d)
{
	struct snp_id_auth_view v;

	if (len != SNP_ID_AUTH_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "id_auth", len,
				    "ID auth of %zu bytes (expected %d)", len, SNP_ID_AUTH_LEN);
	v.id_key_algo = cgs_le32(p);
	v.auth_key_algo = cgs_le32(p + 4);
	if (v.id_key_algo != SNP_ALGO_ECDSA_P384_SHA384)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "id_key_algo", 0,
				    "unsupported ID key algorithm %u", v.id_key_algo);
	if (v.auth_key_algo > SNP_ALGO_ECDSA_P384_SHA384)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "auth_key_algo", 4,
				    "unsupported author key algorithm %u", v.auth_key_algo);
	if (cgs_le32(p + SNP_ID_AUTH_ID_KEY) != SNP_CURVE_P384)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "id_key.curve", SNP_ID_AUTH_ID_KEY,
				    "ID key curve is not P-384");
	if (v.auth_key_algo && cgs_le32(p + SNP_ID_AUTH_AUTHOR_KEY) != SNP_CURVE_P384)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "author_key.curve",
				    SNP_ID_AUTH_AUTHOR_KEY, "author key curve is not P-384");
	v.id_block_sig = p + SNP_ID_AUTH_ID_BLOCK_SIG;
	v.id_key = p + SNP_ID_AUTH_ID_KEY;
	v.id_key_sig = v.auth_key_algo ? p + SNP_ID_AUTH_ID_KEY_SIG : NULL;
	v.author_key = v.auth_key_algo ? p + SNP_ID_AUTH_AUTHOR_KEY : NULL;
	*ret = v;
	return CGS_OK;
}
