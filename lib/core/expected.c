// SPDX-License-Identifier: MIT
#include "lib/core/expected.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/cli.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"

static const char *type_desc(const struct cgs_expected_field *f, char *buf, size_t len)
{
	if (f->desc)
		return f->desc;
	switch (f->type) {
	case CGS_XT_HEX:
		snprintf(buf, len, "%zu bytes of hex", f->len);
		return buf;
	case CGS_XT_UINT:
		return "a non-negative integer";
	case CGS_XT_OBJECT:
		return "a JSON object";
	case CGS_XT_STRING:
		break;
	}
	return "a string";
}

static int uint_ok(struct json_object *v, uint64_t max)
{
	uint64_t u;

	if (json_object_is_type(v, json_type_int)) {
		if (json_object_get_int64(v) < 0)
			return 0;
		u = json_object_get_uint64(v);
	} else if (!json_object_is_type(v, json_type_string) ||
		   cgs_parse_u64(json_object_get_string(v), &u)) {
		return 0;
	}
	return u <= (max ? max : UINT64_MAX);
}

static enum cgs_err check_field(struct json_object *obj, const struct cgs_expected_field *f,
				struct cgs_diag *d)
{
	struct json_object *v;
	char buf[48];
	int ok;

	if (!json_object_object_get_ex(obj, f->key, &v))
		return f->required ? cgs_diag_set(d, CGS_E_MALFORMED, f->key, CGS_DIAG_NO_OFFSET,
						  "no \"%s\" (%s)", f->key,
						  type_desc(f, buf, sizeof(buf)))
				   : CGS_OK;
	switch (f->type) {
	case CGS_XT_STRING:
		ok = json_object_is_type(v, json_type_string);
		if (ok && f->only && strcmp(json_object_get_string(v), f->only))
			return cgs_diag_set(d, CGS_E_MALFORMED, f->key, CGS_DIAG_NO_OFFSET,
					    "\"%s\" is '%s', expected '%s'", f->key,
					    json_object_get_string(v), f->only);
		break;
	case CGS_XT_HEX: {
		uint8_t tmp[128];

		ok = f->len <= sizeof(tmp) && json_object_is_type(v, json_type_string) &&
		     !cgs_json_get_hex(obj, f->key, tmp, f->len);
		break;
	}
	case CGS_XT_UINT:
		ok = uint_ok(v, f->max);
		break;
	case CGS_XT_OBJECT:
		ok = json_object_is_type(v, json_type_object);
		break;
	default:
		ok = 0;
	}
	if (ok)
		return CGS_OK;
	return cgs_diag_set(d, CGS_E_MALFORMED, f->key, CGS_DIAG_NO_OFFSET, "\"%s\" is not %s%s",
			    f->key, type_desc(f, buf, sizeof(buf)),
			    v ? "" : " (null is not a value: leave the key out)");
}

static enum cgs_err check_fields(struct json_object *obj, const struct cgs_expected_field *f,
				 size_t n, struct cgs_diag *d)
{
	enum cgs_err e = CGS_OK;

	for (size_t i = 0; i < n && !e; i++)
		e = check_field(obj, &f[i], d);
	return e;
}

/* schema_version and tool: the document is one of the producer's, of version 1 */
static enum cgs_err check_header(struct json_object *obj, const struct cgs_expected_schema *s,
				 struct cgs_diag *d)
{
	struct json_object *v;
	const char *tool;

	if (!json_object_object_get_ex(obj, "schema_version", &v))
		return cgs_diag_set(d, CGS_E_MALFORMED, "schema_version", CGS_DIAG_NO_OFFSET,
				    "no \"schema_version\": not a %s document", s->tool);
	if (!json_object_is_type(v, json_type_int))
		return cgs_diag_set(d, CGS_E_MALFORMED, "schema_version", CGS_DIAG_NO_OFFSET,
				    "\"schema_version\" is not an integer");
	if (json_object_get_int64(v) != CGS_JSON_SCHEMA_VERSION)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "schema_version", CGS_DIAG_NO_OFFSET,
				    "schema_version %lld is not supported (this reader knows %d)",
				    (long long)json_object_get_int64(v), CGS_JSON_SCHEMA_VERSION);
	if (!json_object_object_get_ex(obj, "tool", &v))
		return cgs_diag_set(d, CGS_E_MALFORMED, "tool", CGS_DIAG_NO_OFFSET,
				    "no \"tool\": not a %s document", s->tool);
	if (!json_object_is_type(v, json_type_string))
		return cgs_diag_set(d, CGS_E_MALFORMED, "tool", CGS_DIAG_NO_OFFSET,
				    "\"tool\" is not a string");
	tool = json_object_get_string(v);
	if (!strcmp(tool, "cgs-verify"))
		return cgs_diag_set(d, CGS_E_MALFORMED, "tool", CGS_DIAG_NO_OFFSET,
				    "a cgs-verify verdict is not an expected-values document "
				    "(give what %s --json wrote)",
				    s->tool);
	if (strcmp(tool, s->tool))
		return cgs_diag_set(d, CGS_E_MALFORMED, "tool", CGS_DIAG_NO_OFFSET,
				    "tool '%s' is not %s", tool, s->tool);
	return CGS_OK;
}

static enum cgs_err unknown_mode(const struct cgs_expected_schema *s, const char *mode,
				 struct cgs_diag *d)
{
	char list[160] = "";
	size_t n = 0;

	for (size_t i = 0; i < s->n_modes && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
				      s->modes[i].mode ? s->modes[i].mode : "none");
	if (!mode)
		return cgs_diag_set(d, CGS_E_MALFORMED, "mode", CGS_DIAG_NO_OFFSET,
				    "no \"mode\": not %s (modes: %s)", s->accepts, list);
	return cgs_diag_set(d, CGS_E_MALFORMED, "mode", CGS_DIAG_NO_OFFSET,
			    "mode '%s' is not %s (modes: %s)", mode, s->accepts, list);
}

enum cgs_err cgs_expected_check(struct json_object *obj, const struct cgs_expected_schema *s,
				const struct cgs_expected_mode **ret_mode, struct cgs_diag *d)
{
	const struct cgs_expected_mode *m = NULL;
	const char *mode = NULL;
	struct json_object *v;
	enum cgs_err e;

	if (!json_object_is_type(obj, json_type_object))
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "expected a JSON object (or an array of them)");
	if ((e = check_header(obj, s, d)))
		return e;
	if (json_object_object_get_ex(obj, "mode", &v)) {
		if (!json_object_is_type(v, json_type_string))
			return cgs_diag_set(d, CGS_E_MALFORMED, "mode", CGS_DIAG_NO_OFFSET,
					    "\"mode\" is not a string");
		mode = json_object_get_string(v);
	}
	for (size_t i = 0; i < s->n_modes && !m; i++)
		if (mode ? s->modes[i].mode && !strcmp(s->modes[i].mode, mode) : !s->modes[i].mode)
			m = &s->modes[i];
	if (!m)
		return unknown_mode(s, mode, d);
	if ((e = check_fields(obj, m->fields, m->n_fields, d)) ||
	    (e = check_fields(obj, s->fields, s->n_fields, d)))
		return e;
	if (ret_mode)
		*ret_mode = m;
	return CGS_OK;
}

static enum cgs_err add_doc(struct cgs_expected_set *set, struct json_object *obj, size_t i,
			    const struct cgs_expected_schema *s, struct cgs_diag *d)
{
	struct cgs_expected_doc *doc = &set->docs[set->n];
	enum cgs_err e = cgs_expected_check(obj, s, &doc->mode, d);

	if (e) {
		if (set->many) {
			char text[sizeof(d->text)];
			int k = snprintf(text, sizeof(text), "document %zu: ", i);

			if (k > 0 && (size_t)k < sizeof(text)) {
				memcpy(text + k, d->text, sizeof(text) - (size_t)k - 1);
				text[sizeof(text) - 1] = '\0';
				memcpy(d->text, text, sizeof(text));
			}
		}
		return e;
	}
	doc->obj = obj;
	doc->index = i;
	set->n++;
	return CGS_OK;
}

static enum cgs_err load_root(struct cgs_expected_set *set, const struct cgs_expected_schema *s,
			      struct cgs_diag *d)
{
	struct json_object *root = set->root;
	size_t n = 1;
	enum cgs_err e = CGS_OK;

	set->many = json_object_is_type(root, json_type_array);
	if (set->many && !(n = json_object_array_length(root)))
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "empty array: no expected value is accepted");
	set->docs = calloc(n, sizeof(*set->docs));
	if (!set->docs)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	for (size_t i = 0; i < n && !e; i++)
		e = add_doc(set, set->many ? json_object_array_get_idx(root, i) : root, i, s, d);
	return e;
}

static enum cgs_err finish(struct cgs_expected_set *set, const struct cgs_expected_schema *s,
			   struct cgs_expected_set *ret, struct cgs_diag *d)
{
	enum cgs_err e = load_root(set, s, d);

	if (e)
		cgs_expected_free(set);
	else
		*ret = *set;
	return e;
}

enum cgs_err cgs_expected_parse(const char *text, size_t len, const struct cgs_expected_schema *s,
				struct cgs_expected_set *ret, struct cgs_diag *d)
{
	struct cgs_expected_set set = {0};
	enum cgs_err e = cgs_json_parse(text, len, &set.root, d);

	return e ? e : finish(&set, s, ret, d);
}

enum cgs_err cgs_expected_read(const char *path, const struct cgs_expected_schema *s,
			       struct cgs_expected_set *ret, struct cgs_diag *d)
{
	struct cgs_expected_set set = {0};
	enum cgs_err e = cgs_json_read_file(path, &set.root, d);

	return e ? e : finish(&set, s, ret, d);
}

void cgs_expected_free(struct cgs_expected_set *set)
{
	json_object_put(set->root);
	free(set->docs);
	memset(set, 0, sizeof(*set));
}

int cgs_expected_hex(const struct cgs_expected_doc *doc, const char *key, uint8_t *out, size_t len)
{
	return cgs_json_get_hex(doc->obj, key, out, len) == 0;
}

int cgs_expected_u64(const struct cgs_expected_doc *doc, const char *key, uint64_t *ret)
{
	return cgs_json_get_u64(doc->obj, key, ret) == 0;
}

const char *cgs_expected_str(const struct cgs_expected_doc *doc, const char *key)
{
	const char *s;

	return cgs_json_get_str(doc->obj, key, &s) ? NULL : s;
}
