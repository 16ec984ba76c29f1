/* SPDX-License-Identifier: MIT */
/* Test helpers: read inputs and record fields of ../shared/vectors/sev. */
#ifndef CGS_TESTS_UNIT_SEV_VECTORS_H
#define CGS_TESTS_UNIT_SEV_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/core/hex.h"
#include "tests/unit/tap.h"

/* the vectors folder if it holds the SEV vectors, else NULL */
static inline const char *sv_dir(void)
{
	char path[4096];
	const char *v = tap_vectors();
	FILE *f;

	if (!v)
		return NULL;
	snprintf(path, sizeof(path), "%s/sev/vectors.jsonl", v);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fclose(f);
	return v;
}

/* path of an input file, or NULL without vectors (static buffer) */
static inline const char *sv_input(const char *name)
{
	static char path[4096];
	const char *v = sv_dir();

	if (!v)
		return NULL;
	snprintf(path, sizeof(path), "%s/sev/inputs/%s", v, name);
	return path;
}

/* a whole input file, or NULL */
static inline uint8_t *sv_slurp(const char *name, size_t *len)
{
	const char *p = sv_input(name);

	return p ? tap_slurp(p, len) : NULL;
}

/* string field of the record with this id (malloc'd), or NULL */
static inline char *sv_field(const char *id, const char *key)
{
	char path[4096], *line = NULL, *ret = NULL;
	const char *v = sv_dir();
	size_t cap = 0;
	FILE *f;

	if (!v)
		return NULL;
	snprintf(path, sizeof(path), "%s/sev/vectors.jsonl", v);
	f = fopen(path, "r");
	while (f && !ret && getline(&line, &cap, f) > 0) {
		struct json_object *o = json_tokener_parse(line), *i, *k;

		if (o && json_object_object_get_ex(o, "id", &i) &&
		    !strcmp(json_object_get_string(i), id) && json_object_object_get_ex(o, key, &k))
			ret = strdup(json_object_get_string(k));
		json_object_put(o);
	}
	free(line);
	if (f)
		fclose(f);
	return ret;
}

/* hex field decoded into out (exactly len bytes): 0 on success */
static inline int sv_hex(const char *id, const char *key, uint8_t *out, size_t len)
{
	char *s = sv_field(id, key);
	int rc = s ? (int)cgs_hex_decode(s, out, len, NULL, 1) : -1;

	free(s);
	return rc;
}

#endif
