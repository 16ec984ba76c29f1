// SPDX-License-Identifier: MIT
#include "lib/core/schema.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/core/exit.h"
#include "lib/core/json.h"
#include "lib/core/log.h"

#define COMMON_NAME "common"

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

int cgs_schema_print(const char *name)
{
	struct json_object *doc = schema_parse(name), *common = schema_parse(COMMON_NAME);
	struct json_object *defs = NULL;
	int rc = CGS_EXIT_FAILURE;

	if (!doc || !common) {
		cgs_log_error("no JSON Schema for '%s' in this build", name);
		goto out;
	}
	if (!json_object_object_get_ex(doc, "$defs", &defs)) {
		defs = json_object_new_object();
		if (!defs || cgs_json_add(doc, "$defs", defs))
			goto oom;
	}
	if (cgs_json_add(defs, COMMON_NAME ".schema.json", common))
		goto oom;
	common = NULL;
	rc = cgs_json_print(doc, CGS_JSON_PRETTY) ? CGS_EXIT_FAILURE : CGS_EXIT_OK;
	goto out;
oom:
	cgs_log_error("out of memory");
out:
	json_object_put(common);
	json_object_put(doc);
	return rc;
}
