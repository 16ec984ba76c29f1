// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_expected.h"

#include <stddef.h>
#include <stdlib.h>
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

static void read_doc(const struct cgs_expected_doc *doc, struct cgs_tdx_measurement *m)
{
	static const char *const keys[5] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"};
	struct cgs_tdx_expect *x[5] = {&m->mrtd, &m->rtmr[0], &m->rtmr[1], &m->rtmr[2],
				       &m->rtmr[3]};

	for (int i = 0; i < 5; i++) {
		x[i]->len = 48;
		x[i]->state = cgs_expected_hex(doc, keys[i], x[i]->v, 48)
				  ? CGS_TDX_EXPECT_VALUE
				  : CGS_TDX_EXPECT_UNKNOWN; /* cgs-measure could not compute it */
	}
}

enum cgs_err tdx_expected_read(const uint8_t *buf, size_t len, struct cgs_tdx_measurement **ret,
			       size_t *ret_n, struct cgs_diag *d)
{
	struct cgs_expected_set set;
	struct cgs_tdx_measurement *m;
	enum cgs_err e;

	memset(&set, 0, sizeof(set));
	e = cgs_expected_parse((const char *)buf, len, &tdx_expected_schema, &set, d);
	if (e)
		return e;
	m = calloc(set.n, sizeof(*m));
	if (!m) {
		cgs_expected_free(&set);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	for (size_t i = 0; i < set.n; i++)
		read_doc(&set.docs[i], &m[i]);
	*ret = m;
	*ret_n = set.n;
	cgs_expected_free(&set);
	return CGS_OK;
}
