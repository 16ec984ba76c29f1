// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_expected.h"

#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/core/json.h"

/* the "tdx" mode: each key, whether it must be a value (not null), where it goes */
struct tdx_xfield {
	const char *key;
	int required;
	size_t off; /* of the struct cgs_tdx_expect in struct cgs_tdx_policy */
};

#define XF(k, r, m) {k, r, offsetof(struct cgs_tdx_policy, m)}
static const struct tdx_xfield tdx_fields[] = {
	XF("mrtd", 1, mrtd),	 XF("rtmr0", 0, rtmr[0]), XF("rtmr1", 0, rtmr[1]),
	XF("rtmr2", 0, rtmr[2]), XF("rtmr3", 0, rtmr[3]),
};

static enum cgs_err header(struct json_object *o, struct cgs_diag *d)
{
	const char *s;
	uint64_t v;

	if (!json_object_is_type(o, json_type_object))
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "not a cgs-measure document (a JSON object)");
	if (cgs_json_get_u64(o, "schema_version", &v) || v != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "schema_version", CGS_DIAG_NO_OFFSET,
				    "schema_version is not 1");
	if (cgs_json_get_str(o, "tool", &s) || strcmp(s, "cgs-measure"))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "tool", CGS_DIAG_NO_OFFSET,
				    "not a cgs-measure document");
	if (cgs_json_get_str(o, "mode", &s) || strcmp(s, "tdx"))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "mode", CGS_DIAG_NO_OFFSET,
				    "not a TDX measurement (cgs-measure --mode tdx)");
	return CGS_OK;
}

enum cgs_err tdx_expected_read(const uint8_t *buf, size_t len, struct cgs_tdx_policy *p,
			       struct cgs_diag *d)
{
	struct json_object *o, *v;
	enum cgs_err e = cgs_json_parse((const char *)buf, len, &o, d);

	if (e)
		return e;
	e = header(o, d);
	for (size_t i = 0; !e && i < sizeof(tdx_fields) / sizeof(tdx_fields[0]); i++) {
		const struct tdx_xfield *f = &tdx_fields[i];
		struct cgs_tdx_expect *x = (struct cgs_tdx_expect *)((char *)p + f->off);
		int has = json_object_object_get_ex(o, f->key, &v);

		if (x->state != CGS_TDX_EXPECT_NONE || (!has && !f->required))
			continue; /* a value given on the command line wins */
		if (has && !v && !f->required) {
			x->state = CGS_TDX_EXPECT_UNKNOWN;
			continue;
		}
		if (!has || cgs_json_get_hex(o, f->key, x->v, 48))
			e = cgs_diag_set(d, CGS_E_MALFORMED, f->key, CGS_DIAG_NO_OFFSET,
					 "\"%s\" is not 48 bytes of hex%s", f->key,
					 f->required ? "" : " or null");
		else
			x->state = CGS_TDX_EXPECT_VALUE, x->len = 48;
	}
	json_object_put(o);
	return e;
}
