// SPDX-License-Identifier: MIT
#include "lib/snp/snp_expected.h"

#include <stdlib.h>
#include <string.h>

#include "lib/core/err.h"

#define SHA384_DESC "a SHA-384 digest (96 hex digits)"

/* in every document: the launch digest and the ID block's values */
static const struct cgs_expected_field snp_fields[] = {
	{ "measurement", CGS_XT_HEX, 1, 48, 0, NULL, SHA384_DESC },
	{ "id_key_digest", CGS_XT_HEX, 0, 48, 0, NULL, SHA384_DESC },
	{ "author_key_digest", CGS_XT_HEX, 0, 48, 0, NULL, SHA384_DESC },
	{ "family_id", CGS_XT_HEX, 0, 16, 0, NULL, NULL },
	{ "image_id", CGS_XT_HEX, 0, 16, 0, NULL, NULL },
	{ "guest_svn", CGS_XT_UINT, 0, 0, UINT32_MAX, NULL, "an integer of 32 bits" },
	{ "policy", CGS_XT_UINT, 0, 0, 0, NULL, "an integer (or a \"0x...\" string)" },
	{ "id_block", CGS_XT_STRING, 0, 0, 0, NULL, "a base64 string" },
	{ "id_auth", CGS_XT_STRING, 0, 0, 0, NULL, "a base64 string" },
	{ "inputs", CGS_XT_OBJECT, 0, 0, 0, NULL, NULL },
	{ "intermediate", CGS_XT_OBJECT, 0, 0, 0, NULL, NULL },
};

static const struct cgs_expected_field digest_fields[] = {
	{ "digest_alg", CGS_XT_STRING, 1, 0, 0, "sha384", NULL },
};

/* cgs-measure id-block --json writes no "mode" */
static const struct cgs_expected_field id_block_fields[] = {
	{ "id_block", CGS_XT_STRING, 1, 0, 0, NULL, "a base64 string" },
	{ "id_auth", CGS_XT_STRING, 1, 0, 0, NULL, "a base64 string" },
	{ "id_key_digest", CGS_XT_HEX, 1, 48, 0, NULL, SHA384_DESC },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct cgs_expected_mode snp_modes[] = {
	{ "snp", digest_fields, N(digest_fields) },
	{ "snp:ovmf-hash", digest_fields, N(digest_fields) },
	{ "snp:svsm", digest_fields, N(digest_fields) },
	{ NULL, id_block_fields, N(id_block_fields) },
};

const struct cgs_expected_schema snp_expected_schema = {
	"cgs-measure", "an SNP measurement", snp_modes, N(snp_modes), snp_fields, N(snp_fields),
};

void snp_expected_from_doc(const struct cgs_expected_doc *doc, struct cgs_snp_expected *e)
{
	memset(e, 0, sizeof(*e));
	cgs_expected_hex(doc, "measurement", e->measurement, 48);
	e->has_id_key_digest = cgs_expected_hex(doc, "id_key_digest", e->id_key_digest, 48);
	e->has_author_key_digest =
	    cgs_expected_hex(doc, "author_key_digest", e->author_key_digest, 48);
	e->has_family_id = cgs_expected_hex(doc, "family_id", e->family_id, 16);
	e->has_image_id = cgs_expected_hex(doc, "image_id", e->image_id, 16);
	e->has_guest_svn = cgs_expected_u64(doc, "guest_svn", &e->guest_svn);
	e->has_policy = cgs_expected_u64(doc, "policy", &e->policy);
}

enum cgs_err cgs_snp_expected_read(const char *path, struct cgs_snp_expected **ret, size_t *ret_n,
				   struct cgs_diag *d)
{
	struct cgs_expected_set set;
	struct cgs_snp_expected *v;
	enum cgs_err e = cgs_expected_read(path, &snp_expected_schema, &set, d);

	if (e)
		return e;
	v = calloc(set.n, sizeof(*v));
	if (!v) {
		cgs_expected_free(&set);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	for (size_t i = 0; i < set.n; i++)
		snp_expected_from_doc(&set.docs[i], &v[i]);
	*ret = v;
	*ret_n = set.n;
	cgs_expected_free(&set);
	return CGS_OK;
}
