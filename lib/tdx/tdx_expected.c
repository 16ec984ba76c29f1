// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_expected.h"

#include <stddef.h>
#include <string.h>

#include "lib/core/expected.h"

/* the "tdx" mode of cgs-measure's documents, for the suite's one reader */
static const struct cgs_expected_field tdx_fields[] = {
	{"digest_alg", CGS_XT_STRING, 1, 0, 0, "sha384", NULL},
	{"mrtd", CGS_XT_HEX, 1, 48, 0, NULL, "a SHA-384 digest (96 hex digits)"},
	{"rtmr0", CGS_XT_HEX, 0, 48, 0, NULL, NULL}, /* absent: not computed */
	{"rtmr1", CGS_XT_HEX, 0, 48, 0, NULL, NULL},
	{"rtmr2", CGS_XT_HEX, 0, 48, 0, NULL, NULL},
	{"rtmr3", CGS_XT_HEX, 0, 48, 0, NULL, NULL},
};

static const struct cgs_expected_mode tdx_modes[] = {
	{"tdx", tdx_fields, sizeof(tdx_fields) / sizeof(tdx_fields[0])},
};

const struct cgs_expected_schema tdx_expected_schema = {
	"cgs-measure", "a TDX measurement (cgs-measure --mode tdx)", tdx_modes, 1, NULL, 0,
};

/* where each key goes in the policy */
static const struct {
	const char *key;
	size_t off;
} dest[] = {
	{"mrtd", offsetof(struct cgs_tdx_policy, mrtd)},
	{"rtmr0", offsetof(struct cgs_tdx_policy, rtmr[0])},
	{"rtmr1", offsetof(struct cgs_tdx_policy, rtmr[1])},
	{"rtmr2", offsetof(struct cgs_tdx_policy, rtmr[2])},
	{"rtmr3", offsetof(struct cgs_tdx_policy, rtmr[3])},
};

enum cgs_err tdx_expected_read(const uint8_t *buf, size_t len, struct cgs_tdx_policy *p,
			       struct cgs_diag *d)
{
	struct cgs_expected_set set;
	const struct cgs_expected_doc *doc;
	enum cgs_err e;

	memset(&set, 0, sizeof(set));
	e = cgs_expected_parse((const char *)buf, len, &tdx_expected_schema, &set, d);
	if (e)
		return e;
	if (set.n != 1) {
		cgs_expected_free(&set);
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, NULL, CGS_DIAG_NO_OFFSET,
				    "%zu documents: cgs-verify tdx takes one", set.n);
	}
	doc = &set.docs[0];
	for (size_t i = 0; i < sizeof(dest) / sizeof(dest[0]); i++) {
		struct cgs_tdx_expect *x = (struct cgs_tdx_expect *)((char *)p + dest[i].off);

		if (x->state != CGS_TDX_EXPECT_NONE)
			continue; /* a value given on the command line wins */
		if (cgs_expected_hex(doc, dest[i].key, x->v, 48)) {
			x->state = CGS_TDX_EXPECT_VALUE;
			x->len = 48;
		} else {
			x->state = CGS_TDX_EXPECT_UNKNOWN; /* cgs-measure could not compute it */
		}
	}
	cgs_expected_free(&set);
	return CGS_OK;
}
