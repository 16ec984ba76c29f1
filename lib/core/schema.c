// SPDX-License-Identifier: MIT
#include "lib/core/schema.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/core/exit.h"
#include "lib/core/json.h"
#include "lib/core/log.h"

const char *cgs_schema_text(const char *name)
{
	for (const struct cgs_schema_file *f = cgs_schema_files; f->name; f++)
		if (!strcmp(f->name, name))
			return f->text;
	return NULL;
}

/* Parse an embedded schema (built from schema/, so a failure is a build bug). */
static struct json_object *schema_parse(const char *name)
{
	const char *text = cgs_schema_text(name);
	struct json_object *obj;
	struct cgs_diag d;

	if (!text)
		return NULL;
	memset(&d, 0, sizeof(d));
	if (cgs_json_parse(text, strlen(text), &obj, &d) != CGS_OK)
		return NULL;
	return obj;
}

/* Does text refer to schema file f ("f.schema.json#...")? */
static int refers_to(const char *text, const char *f)
{
	char ref[128];

	snprintf(ref, sizeof(ref), "\"%s.schema.json#", f);
	return strstr(text, ref) != NULL;
}

/* Embed under "$defs" (keyed by file name) every other schema that text refers to. */
static int embed_refs(struct json_object *doc, const char *name, const char *text)
{
	struct json_object *defs = NULL, *sub;
	char key[128];

	for (const struct cgs_schema_file *f = cgs_schema_files; f->name; f++) {
		if (!strcmp(f->name, name) || !refers_to(text, f->name))
			continue;
		if (!defs && !json_object_object_get_ex(doc, "$defs", &defs)) {
			defs = json_object_new_object();
			if (!defs || cgs_json_add(doc, "$defs", defs))
				return -1;
		}
		snprintf(key, sizeof(key), "%s.schema.json", f->name);
		if (json_object_object_get_ex(defs, key, NULL))
			continue; /* already there */
		if (!(sub = schema_parse(f->name)) || cgs_json_add(defs, key, sub))
			return -1;
		/* what the embedded schema refers to comes along too */
		if (embed_refs(doc, f->name, f->text))
			return -1;
	}
	return 0;
}

int cgs_schema_print(const char *name)
{
	const char *text = cgs_schema_text(name), *out;
	struct json_object *doc = schema_parse(name);
	int rc = CGS_EXIT_FAILURE;

	if (!doc) {
		cgs_log_error("no JSON Schema for '%s' in this build", name);
		return rc;
	}
	/* printed directly: a schema is not a document (cgs_json_print) */
	if (embed_refs(doc, name, text) || !(out = cgs_json_string(doc, CGS_JSON_PRETTY)))
		cgs_log_error("out of memory");
	else
		rc = puts(out) < 0 ? CGS_EXIT_FAILURE : CGS_EXIT_OK;
	json_object_put(doc);
	return rc;
}
