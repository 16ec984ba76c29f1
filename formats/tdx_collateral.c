// SPDX-License-Identifier: MIT
#include "formats/tdx_collateral.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/rfc3339.h"

static const char *const status_names[TDX_TCB_N_STATUS] = {
    "UpToDate",
    "SWHardeningNeeded",
    "ConfigurationNeeded",
    "ConfigurationAndSWHardeningNeeded",
    "OutOfDate",
    "OutOfDateConfigurationNeeded",
    "Revoked",
    "TDRelaunchAdvised",
    "TDRelaunchAdvisedConfigurationNeeded",
    "TCBNotSupported",
};

const char *tdx_tcb_status_name(enum tdx_tcb_status s)
{
	return (unsigned)s < TDX_TCB_N_STATUS ? status_names[s] : "?";
}

int tdx_tcb_status_parse(const char *s, enum tdx_tcb_status *ret)
{
	for (int i = 0; i < TDX_TCB_N_STATUS; i++)
		if (!strcmp(s, status_names[i])) {
			*ret = (enum tdx_tcb_status)i;
			return 0;
		}
	return -1;
}

/* ---- locating the signed span: a scanner for (already validated) JSON ---- */

static size_t skip_ws(const char *t, size_t i, size_t len)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

/* i at the opening quote; returns the index after the closing quote, or len */
static size_t skip_string(const char *t, size_t i, size_t len)
{
	for (i++; i < len; i++) {
		if (t[i] == '\\')
			i++;
		else if (t[i] == '"')
			return i + 1;
	}
	return len;
}

/* i at the first byte of a value; returns the index after it, or len */
static size_t skip_value(const char *t, size_t i, size_t len)
{
	int depth = 0;

	if (i < len && t[i] == '"')
		return skip_string(t, i, len);
	while (i < len) {
		char c = t[i];

		if (c == '"') {
			i = skip_string(t, i, len);
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return i;
			if (--depth == 0)
				return i + 1;
		} else if (depth == 0 &&
			   (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
			return i;
		}
		i++;
	}
	return len;
}

/* The span of the value of top-level member key (must be an object, unique). */
static int member_span(const char *t, size_t len, const char *key, size_t *ret_off, size_t *ret_len)
{
	size_t i = skip_ws(t, 0, len), klen = strlen(key);
	int found = 0;

	if (i >= len || t[i] != '{')
		return -1;
	for (i = skip_ws(t, i + 1, len); i < len && t[i] == '"';) {
		size_t k = i + 1, kend = skip_string(t, i, len), v;

		if (kend >= len)
			return -1;
		i = skip_ws(t, kend, len);
		if (i >= len || t[i] != ':')
			return -1;
		v = skip_ws(t, i + 1, len);
		i = skip_value(t, v, len);
		if (kend - 1 - k == klen && !memcmp(t + k, key, klen)) {
			if (found || v >= len || t[v] != '{')
				return -1;
			found = 1;
			*ret_off = v;
			*ret_len = i - v;
		}
		i = skip_ws(t, i, len);
		if (i < len && t[i] == ',')
			i = skip_ws(t, i + 1, len);
	}
	return found ? 0 : -1;
}

enum cgs_err tdx_signed_doc_parse(const uint8_t *buf, size_t len, const char *key,
				  struct tdx_signed_doc *ret, struct cgs_diag *d)
{
	struct json_object *doc;
	struct tdx_signed_doc s;
	enum cgs_err e;

	memset(&s, 0, sizeof(s));
	e = cgs_json_parse((const char *)buf, len, &doc, d);
	if (e)
		return e;
	if (!json_object_is_type(doc, json_type_object) ||
	    cgs_json_get_hex(doc, "signature", s.signature, 64)) {
		json_object_put(doc);
		return cgs_diag_set(d, CGS_E_MALFORMED, "signature", CGS_DIAG_NO_OFFSET,
				    "no \"signature\" of 64 bytes of hex beside \"%s\"", key);
	}
	json_object_put(doc);
	if (member_span((const char *)buf, len, key, &s.body_off, &s.body_len))
		return cgs_diag_set(d, CGS_E_MALFORMED, key, CGS_DIAG_NO_OFFSET,
				    "no single object member \"%s\" at the top level", key);
	*ret = s;
	return CGS_OK;
}

/* ---- typed members ---- */

struct rd {
	struct cgs_diag *d;
	const char *where; /* "tcbLevels[3].tcb", ... for messages */
};

static enum cgs_err bad(struct rd *r, const char *key, const char *what)
{
	return cgs_diag_set(r->d, CGS_E_MALFORMED, key, CGS_DIAG_NO_OFFSET, "%s%s\"%s\" %s",
			    r->where, *r->where ? ": " : "", key, what);
}

static enum cgs_err get_int(struct rd *r, struct json_object *o, const char *key, int64_t min,
			    int64_t max, int64_t *ret)
{
	struct json_object *v;
	int64_t x;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return bad(r, key, "missing or not an integer");
	x = json_object_get_int64(v);
	if (x < min || x > max)
		return bad(r, key, "out of range");
	*ret = x;
	return CGS_OK;
}

static enum cgs_err get_str(struct rd *r, struct json_object *o, const char *key, char *out,
			    size_t size)
{
	const char *s;

	if (cgs_json_get_str(o, key, &s))
		return bad(r, key, "missing or not a string");
	if (strlen(s) >= size)
		return bad(r, key, "too long");
	memcpy(out, s, strlen(s) + 1);
	return CGS_OK;
}

static enum cgs_err get_hex(struct rd *r, struct json_object *o, const char *key, uint8_t *out,
			    size_t n)
{
	if (cgs_json_get_hex(o, key, out, n))
		return bad(r, key, "missing or not the right number of hex bytes");
	return CGS_OK;
}

static enum cgs_err get_time(struct rd *r, struct json_object *o, const char *key, char *out,
			     size_t size, time_t *ret)
{
	enum cgs_err e = get_str(r, o, key, out, size);
	int64_t t;

	if (!e && cgs_time_parse(out, &t))
		return bad(r, key, "not a date and time");
	if (!e)
		*ret = (time_t)t;
	return e;
}

static enum cgs_err get_array(struct rd *r, struct json_object *o, const char *key, size_t max,
			      struct json_object **ret, size_t *ret_n)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return bad(r, key, "missing or not an array");
	if (json_object_array_length(v) > max)
		return bad(r, key, "has too many entries");
	*ret = v;
	*ret_n = json_object_array_length(v);
	return CGS_OK;
}

static enum cgs_err get_obj(struct rd *r, struct json_object *o, const char *key,
			    struct json_object **ret)
{
	if (!json_object_object_get_ex(o, key, ret) || !json_object_is_type(*ret, json_type_object))
		return bad(r, key, "missing or not an object");
	return CGS_OK;
}

/* tcbDate, tcbStatus, advisoryIDs (optional) of a level */
static enum cgs_err get_status(struct rd *r, struct json_object *lvl, struct tdx_status_info *s)
{
	struct json_object *a;
	char st[64];
	size_t n;
	enum cgs_err e;

	memset(s, 0, sizeof(*s));
	e = get_str(r, lvl, "tcbStatus", st, sizeof(st));
	if (!e && tdx_tcb_status_parse(st, &s->status))
		return bad(r, "tcbStatus", "is not a known TCB status");
	if (!e && s->status >= TDX_TCB_RELAUNCH_ADVISED)
		return bad(r, "tcbStatus", "is not a status a TCB level can have");
	if (!e && json_object_object_get_ex(lvl, "tcbDate", NULL))
		e = get_str(r, lvl, "tcbDate", s->date, sizeof(s->date));
	if (e || !json_object_object_get_ex(lvl, "advisoryIDs", NULL))
		return e;
	e = get_array(r, lvl, "advisoryIDs", TDX_MAX_ADVISORIES, &a, &n);
	for (size_t i = 0; !e && i < n; i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(a, i));

		if (!json_object_is_type(json_object_array_get_idx(a, i), json_type_string) ||
		    strlen(id) >= sizeof(s->advisories[0]))
			return bad(r, "advisoryIDs", "has an entry that is not a short string");
		memcpy(s->advisories[s->n_advisories++], id, strlen(id) + 1);
	}
	return e;
}

static void set_where(struct rd *r, char *buf, size_t size, const char *a, size_t i)
{
	snprintf(buf, size, "%s[%zu]", a, i);
	r->where = buf;
}

static enum cgs_err get_components(struct rd *r, struct json_object *tcb, const char *key,
				   uint8_t out[16])
{
	struct json_object *a;
	size_t n;
	enum cgs_err e = get_array(r, tcb, key, 16, &a, &n);

	if (!e && n != 16)
		return bad(r, key, "does not have 16 entries");
	for (size_t i = 0; !e && i < 16; i++) {
		struct json_object *c = json_object_array_get_idx(a, i);
		int64_t svn;

		if (!json_object_is_type(c, json_type_object))
			return bad(r, key, "has an entry that is not an object");
		e = get_int(r, c, "svn", 0, 255, &svn);
		out[i] = (uint8_t)svn;
	}
	return e;
}

static enum cgs_err read_tcb_level(struct rd *r, struct json_object *lvl, struct tdx_tcb_level *out)
{
	struct json_object *tcb;
	int64_t pcesvn;
	enum cgs_err e;

	if (!json_object_is_type(lvl, json_type_object))
		return bad(r, "tcbLevels", "has an entry that is not an object");
	e = get_obj(r, lvl, "tcb", &tcb);
	if (!e)
		e = get_components(r, tcb, "sgxtcbcomponents", out->sgx);
	if (!e)
		e = get_components(r, tcb, "tdxtcbcomponents", out->tdx);
	if (!e)
		e = get_int(r, tcb, "pcesvn", 0, 65535, &pcesvn);
	if (!e)
		out->pcesvn = (uint16_t)pcesvn;
	return e ? e : get_status(r, lvl, &out->st);
}

static enum cgs_err read_module(struct rd *r, struct json_object *m, int with_levels,
				struct tdx_module_identity *out)
{
	struct json_object *a;
	size_t n;
	enum cgs_err e;

	if (!json_object_is_type(m, json_type_object))
		return bad(r, "tdxModuleIdentities", "has an entry that is not an object");
	e = get_hex(r, m, "mrsigner", out->mrsigner, 48);
	if (!e)
		e = get_hex(r, m, "attributes", out->attributes, 8);
	if (!e)
		e = get_hex(r, m, "attributesMask", out->attributes_mask, 8);
	if (e || !with_levels)
		return e;
	e = get_str(r, m, "id", out->id, sizeof(out->id));
	if (!e)
		e = get_array(r, m, "tcbLevels", TDX_MAX_LEVELS / 8, &a, &n);
	for (size_t i = 0; !e && i < n; i++) {
		struct json_object *lvl = json_object_array_get_idx(a, i), *tcb;
		int64_t svn = 0;

		if (!json_object_is_type(lvl, json_type_object))
			return bad(r, "tcbLevels", "has an entry that is not an object");
		e = get_obj(r, lvl, "tcb", &tcb);
		if (!e)
			e = get_int(r, tcb, "isvsvn", 0, 255, &svn);
		if (!e)
			e = get_status(r, lvl, &out->levels[i].st);
		out->levels[i].isvsvn = (uint8_t)svn;
		out->n_levels = i + 1;
	}
	return e;
}

/* parse the signed span itself: what is interpreted is what is signed */
static enum cgs_err parse_span(const uint8_t *buf, const struct tdx_signed_doc *s,
			       struct json_object **ret, struct cgs_diag *d)
{
	enum cgs_err e = cgs_json_parse((const char *)buf + s->body_off, s->body_len, ret, d);

	if (!e && !json_object_is_type(*ret, json_type_object)) {
		json_object_put(*ret);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, s->body_off, "not an object");
	}
	return e;
}

static enum cgs_err read_common(struct rd *r, struct json_object *o, char *id, int *version,
				char *issue_date, time_t *issue, char *next_update, time_t *next,
				int64_t *eval_num)
{
	int64_t v = 0;
	enum cgs_err e = get_str(r, o, "id", id, 16);

	if (!e)
		e = get_int(r, o, "version", 0, 1000, &v);
	if (!e)
		*version = (int)v;
	if (!e)
		e = get_time(r, o, "issueDate", issue_date, 32, issue);
	if (!e)
		e = get_time(r, o, "nextUpdate", next_update, 32, next);
	if (!e)
		e = get_int(r, o, "tcbEvaluationDataNumber", 0, INT32_MAX, eval_num);
	return e;
}

static enum cgs_err read_tcb_info(struct rd *r, struct json_object *o, struct tdx_tcb_info *t)
{
	struct json_object *a, *m;
	char where[64];
	int64_t v = 0;
	enum cgs_err e;

	e = read_common(r, o, t->id, &t->version, t->issue_date, &t->issue, t->next_update,
			&t->next, &t->eval_num);
	if (!e)
		e = get_hex(r, o, "fmspc", t->fmspc, 6);
	if (!e)
		e = get_hex(r, o, "pceId", t->pce_id, 2);
	if (!e)
		e = get_int(r, o, "tcbType", 0, 255, &v);
	t->tcb_type = (int)v;
	if (!e)
		e = get_obj(r, o, "tdxModule", &m);
	if (!e)
		e = read_module(r, m, 0, &t->module);
	if (!e && json_object_object_get_ex(o, "tdxModuleIdentities", NULL))
		e = get_array(r, o, "tdxModuleIdentities", TDX_MAX_MODULES, &a, &t->n_modules);
	for (size_t i = 0; !e && i < t->n_modules; i++) {
		set_where(r, where, sizeof(where), "tdxModuleIdentities", i);
		e = read_module(r, json_object_array_get_idx(a, i), 1, &t->modules[i]);
	}
	r->where = "";
	if (!e)
		e = get_array(r, o, "tcbLevels", TDX_MAX_LEVELS, &a, &t->n_levels);
	for (size_t i = 0; !e && i < t->n_levels; i++) {
		set_where(r, where, sizeof(where), "tcbLevels", i);
		e = read_tcb_level(r, json_object_array_get_idx(a, i), &t->levels[i]);
	}
	return e;
}

enum cgs_err tdx_tcb_info_parse(const uint8_t *buf, size_t len, struct tdx_tcb_info *ret,
				struct cgs_diag *d)
{
	struct rd r = {d, ""};
	struct json_object *o;
	enum cgs_err e;

	memset(ret, 0, sizeof(*ret));
	e = tdx_signed_doc_parse(buf, len, "tcbInfo", &ret->sig, d);
	if (!e)
		e = parse_span(buf, &ret->sig, &o, d);
	if (e)
		return e;
	e = read_tcb_info(&r, o, ret);
	json_object_put(o);
	return e;
}

static enum cgs_err read_qe_identity(struct rd *r, struct json_object *o, struct tdx_qe_identity *q)
{
	struct json_object *a;
	uint8_t b4[4] = {0};
	char where[64];
	int64_t v = 0;
	enum cgs_err e;

	e = read_common(r, o, q->id, &q->version, q->issue_date, &q->issue, q->next_update,
			&q->next, &q->eval_num);
	if (!e)
		e = get_hex(r, o, "miscselect", b4, 4);
	q->miscselect = (uint32_t)b4[0] << 24 | b4[1] << 16 | b4[2] << 8 | b4[3];
	if (!e)
		e = get_hex(r, o, "miscselectMask", b4, 4);
	q->miscselect_mask = (uint32_t)b4[0] << 24 | b4[1] << 16 | b4[2] << 8 | b4[3];
	if (!e)
		e = get_hex(r, o, "attributes", q->attributes, 16);
	if (!e)
		e = get_hex(r, o, "attributesMask", q->attributes_mask, 16);
	if (!e)
		e = get_hex(r, o, "mrsigner", q->mrsigner, 32);
	if (!e)
		e = get_int(r, o, "isvprodid", 0, 65535, &v);
	q->isvprodid = (uint16_t)v;
	if (!e)
		e = get_array(r, o, "tcbLevels", TDX_MAX_LEVELS / 4, &a, &q->n_levels);
	for (size_t i = 0; !e && i < q->n_levels; i++) {
		struct json_object *lvl = json_object_array_get_idx(a, i), *tcb;

		set_where(r, where, sizeof(where), "tcbLevels", i);
		if (!json_object_is_type(lvl, json_type_object))
			return bad(r, "tcbLevels", "has an entry that is not an object");
		e = get_obj(r, lvl, "tcb", &tcb);
		if (!e)
			e = get_int(r, tcb, "isvsvn", 0, 65535, &v);
		q->levels[i].isvsvn = (uint16_t)v;
		if (!e)
			e = get_status(r, lvl, &q->levels[i].st);
	}
	return e;
}

enum cgs_err tdx_qe_identity_parse(const uint8_t *buf, size_t len, struct tdx_qe_identity *ret,
				   struct cgs_diag *d)
{
	struct rd r = {d, ""};
	struct json_object *o;
	enum cgs_err e;

	memset(ret, 0, sizeof(*ret));
	e = tdx_signed_doc_parse(buf, len, "enclaveIdentity", &ret->sig, d);
	if (!e)
		e = parse_span(buf, &ret->sig, &o, d);
	if (e)
		return e;
	e = read_qe_identity(&r, o, ret);
	json_object_put(o);
	return e;
}

const struct tdx_module_identity *tdx_tcb_info_module(const struct tdx_tcb_info *t, unsigned major)
{
	char want[16];

	snprintf(want, sizeof(want), "TDX_%02X", major & 0xffu);
	for (size_t i = 0; i < t->n_modules; i++)
		if (!strcasecmp(t->modules[i].id, want))
			return &t->modules[i];
	return NULL;
}
