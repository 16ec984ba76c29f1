// SPDX-License-Identifier: MIT
#include "lib/sev/sev_launch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/hex.h"

void sev_launch_input(const struct sev_launch_params *p, uint8_t out[SEV_LAUNCH_INPUT_LEN])
{
	out[0] = SEV_LAUNCH_CONTEXT;
	out[1] = p->api_major;
	out[2] = p->api_minor;
	out[3] = p->build;
	cgs_put_le32(out + 4, p->policy);
	memcpy(out + 8, p->digest, SEV_LAUNCH_DIGEST_LEN);
	memcpy(out + 8 + SEV_LAUNCH_DIGEST_LEN, p->mnonce, SEV_LAUNCH_MNONCE_LEN);
}

enum cgs_err sev_launch_measure(const uint8_t *tik, size_t tik_len,
				const struct sev_launch_params *p,
				uint8_t out[SEV_LAUNCH_MEASURE_LEN], struct cgs_diag *d)
{
	uint8_t msg[SEV_LAUNCH_INPUT_LEN];
	uint8_t mac[CGS_MAX_MD];
	size_t n = 0;
	enum cgs_err err;

	if (tik_len != SEV_LAUNCH_TIK_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "tik", CGS_DIAG_NO_OFFSET,
				    "the TIK is %zu bytes, expected %d", tik_len,
				    SEV_LAUNCH_TIK_LEN);
	sev_launch_input(p, msg);
	err = cgs_hmac("SHA256", tik, tik_len, msg, sizeof(msg), mac, &n, d);
	if (!err && n != SEV_LAUNCH_MEASURE_LEN)
		err = cgs_diag_set(d, CGS_E_CRYPTO, NULL, CGS_DIAG_NO_OFFSET,
				   "HMAC-SHA256 returned %zu bytes", n);
	if (!err)
		memcpy(out, mac, SEV_LAUNCH_MEASURE_LEN);
	cgs_wipe(mac, sizeof(mac));
	return err;
}

static void blob_from_bytes(const uint8_t *raw, struct sev_launch_blob *ret)
{
	memcpy(ret->measure, raw, SEV_LAUNCH_MEASURE_LEN);
	memcpy(ret->mnonce, raw + SEV_LAUNCH_MEASURE_LEN, SEV_LAUNCH_MNONCE_LEN);
}

static int is_b64_char(int c)
{
	return isalnum(c) || c == '+' || c == '/' || c == '=';
}

enum cgs_err sev_launch_blob_parse(const uint8_t *data, size_t len, struct sev_launch_blob *ret,
				   struct cgs_diag *d)
{
	uint8_t *raw = NULL;
	size_t n = 0, i;
	enum cgs_err err;

	if (len == SEV_LAUNCH_BLOB_LEN) {
		blob_from_bytes(data, ret);
		return CGS_OK;
	}
	for (i = 0; i < len; i++) {
		if (!isspace(data[i]) && !is_b64_char(data[i]))
			return cgs_diag_set(d, CGS_E_MALFORMED, "measurement", i,
					    "not a %d-byte blob and not base64 text (byte 0x%02x)",
					    SEV_LAUNCH_BLOB_LEN, data[i]);
	}
	err = cgs_base64_decode((const char *)data, len, &raw, &n);
	if (err == CGS_E_NOMEM)
		return cgs_diag_set(d, err, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (err)
		return cgs_diag_set(d, CGS_E_MALFORMED, "measurement", CGS_DIAG_NO_OFFSET,
				    "invalid base64 text");
	if (n != SEV_LAUNCH_BLOB_LEN) {
		free(raw);
		return cgs_diag_set(d, CGS_E_MALFORMED, "measurement", CGS_DIAG_NO_OFFSET,
				    "base64 decodes to %zu bytes, expected %d (MEASURE || MNONCE)",
				    n, SEV_LAUNCH_BLOB_LEN);
	}
	blob_from_bytes(raw, ret);
	free(raw);
	return CGS_OK;
}

void sev_launch_blob_serialize(const struct sev_launch_blob *b, uint8_t out[SEV_LAUNCH_BLOB_LEN])
{
	memcpy(out, b->measure, SEV_LAUNCH_MEASURE_LEN);
	memcpy(out + SEV_LAUNCH_MEASURE_LEN, b->mnonce, SEV_LAUNCH_MNONCE_LEN);
}

enum cgs_err sev_launch_verify(const uint8_t *tik, size_t tik_len, struct sev_launch_params *p,
			       const struct sev_launch_blob *blob, int *ret_match,
			       uint8_t *ret_expected, struct cgs_diag *d)
{
	uint8_t mac[SEV_LAUNCH_MEASURE_LEN];
	enum cgs_err err;

	memcpy(p->mnonce, blob->mnonce, SEV_LAUNCH_MNONCE_LEN);
	err = sev_launch_measure(tik, tik_len, p, mac, d);
	if (err)
		return err;
	*ret_match = cgs_ct_equal(mac, blob->measure, SEV_LAUNCH_MEASURE_LEN);
	if (ret_expected)
		memcpy(ret_expected, mac, SEV_LAUNCH_MEASURE_LEN);
	cgs_wipe(mac, sizeof(mac));
	return CGS_OK;
}
