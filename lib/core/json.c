// SPDX-License-Identifier: MIT
#include "lib/core/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/hex.h"
#include "lib/core/io.h"

#define JSON_MAX_FILE (16u << 20)
#define JSON_MAX_DEPTH 64

struct json_object *cgs_json_doc(const char *tool)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return NULL;
	if (cgs_json_add_int(doc, "schema_version", CGS_JSON_SCHEMA_VERSION) ||
	    cgs_json_add_str(doc, "tool", tool) ||
	    (cgs_cli_verb() && cgs_json_add_str(doc, "verb", cgs_cli_verb()))) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

int cgs_json_add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int cgs_json_add_str(struct json_object *obj, const char *key, const char *val)
{
	struct json_object *v = NULL;

	if (val && !(v = json_object_new_string(val)))
		return -1;
	return cgs_json_add(obj, key, v);
}

int cgs_json_add_hex(struct json_object *obj, const char *key, const uint8_t *buf, size_t len)
{
	char *s = cgs_hex_strdup(buf, len);
	int rc;

	if (!s)
		return -1;
	rc = cgs_json_add_str(obj, key, s);
	free(s);
	return rc;
}

int cgs_json_add_u64hex(struct json_object *obj, const char *key, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%" PRIx64, v);
	return cgs_json_add_str(obj, key, s);
}

int cgs_json_add_int(struct json_object *obj, const char *key, int64_t v)
{
	struct json_object *j = json_object_new_int64(v);

	return j ? cgs_json_add(obj, key, j) : -1;
}

int cgs_json_add_bool(struct json_object *obj, const char *key, int v)
{
	struct json_object *j = json_object_new_boolean(!!v);

	return j ? cgs_json_add(obj, key, j) : -1;
}

const char *cgs_json_string(struct json_object *doc, enum cgs_json_mode mode)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= mode == CGS_JSON_SHORT ? JSON_C_TO_STRING_PLAIN :
					  JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;
	return json_object_to_json_string_ext(doc, flags);
}

int cgs_json_print(struct json_object *doc, enum cgs_json_mode mode)
{
	const char *s = cgs_json_string(doc, mode);

	if (!s || fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout))
		return -1;
	return 0;
}

enum cgs_err cgs_json_parse(const char *text, size_t len, struct json_object **ret,
			    struct cgs_diag *d)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t off, line = 1;

	if (!tok)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (len > INT32_MAX) {
		json_tokener_free(tok);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET, "too large");
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	if (jerr != json_tokener_success || !obj) {
		for (size_t i = 0; i < off && i < len; i++)
			line += text[i] == '\n';
		json_tokener_free(tok);
		json_object_put(obj);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, off, "invalid JSON on line %zu: %s",
				    line, json_tokener_error_desc(jerr));
	}
	/* allow trailing white space only */
	for (; off < len; off++) {
		if (text[off] != ' ' && text[off] != '\n' && text[off] != '\r' && text[off] != '\t') {
			json_tokener_free(tok);
			json_object_put(obj);
			return cgs_diag_set(d, CGS_E_MALFORMED, NULL, off,
					    "trailing data after the JSON document");
		}
	}
	json_tokener_free(tok);
	*ret = obj;
	return CGS_OK;
}

enum cgs_err cgs_json_read_file(const char *path, struct json_object **ret, struct cgs_diag *d)
{
	uint8_t *data;
	size_t len;
	enum cgs_err err = cgs_read_file(path, JSON_MAX_FILE, &data, &len, d);

	if (err)
		return err;
	err = cgs_json_parse((const char *)data, len, ret, d);
	free(data);
	return err;
}

int cgs_json_get_str(struct json_object *obj, const char *key, const char **ret)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return -1;
	*ret = json_object_get_string(v);
	return 0;
}

int cgs_json_get_hex(struct json_object *obj, const char *key, uint8_t *out, size_t len)
{
	const char *s;

	if (cgs_json_get_str(obj, key, &s))
		return -1;
	return cgs_hex_decode(s, out, len, NULL, 1) ? -1 : 0;
}

int cgs_json_get_u64(struct json_object *obj, const char *key, uint64_t *ret)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return -1;
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		if (i < 0)
			return -1;
		*ret = (uint64_t)i;
		return 0;
	}
	if (json_object_is_type(v, json_type_string))
		return cgs_parse_u64(json_object_get_string(v), ret);
	return -1;
}
