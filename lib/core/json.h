/* SPDX-License-Identifier: MIT */
/*
 * json-c helpers for the suite's stable JSON contract: every document starts
 * with "schema_version", "tool" and "verb"; digests are lowercase hex; 64-bit values
 * and flag words are "0x..." strings; key order is insertion order.
 */
#ifndef CGS_LIB_CORE_JSON_H
#define CGS_LIB_CORE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "lib/core/cli.h"
#include "lib/core/err.h"

#define CGS_JSON_SCHEMA_VERSION 1

/*
 * New document {"schema_version": 1, "tool": tool, "verb": verb} (tool e.g.
 * "cgs-measure"; the verb is the one the CLI driver runs, cgs_cli_verb(), and
 * is left out outside a verb). Its schema is schema/<tool>-<verb>.schema.json.
 */
struct json_object *cgs_json_doc(const char *tool);

/* Add helpers: on allocation failure they return -1 (json-c leaves obj intact). */
int cgs_json_add_str(struct json_object *obj, const char *key, const char *val); /* NULL -> null */
int cgs_json_add_hex(struct json_object *obj, const char *key, const uint8_t *buf, size_t len);
int cgs_json_add_u64hex(struct json_object *obj, const char *key, uint64_t v); /* "0x..." */
int cgs_json_add_int(struct json_object *obj, const char *key, int64_t v);
int cgs_json_add_bool(struct json_object *obj, const char *key, int v);
int cgs_json_add(struct json_object *obj, const char *key, struct json_object *val);

/* Print to stdout in the given mode with a trailing newline; 0 or -1 (write error). */
int cgs_json_print(struct json_object *doc, enum cgs_json_mode mode);

/* Serialize to a string owned by doc. */
const char *cgs_json_string(struct json_object *doc, enum cgs_json_mode mode);

/*
 * Parse JSON text (untrusted): CGS_E_MALFORMED with line/offset in the diagnostic.
 * The nesting depth is limited.
 */
enum cgs_err cgs_json_parse(const char *text, size_t len, struct json_object **ret,
			    struct cgs_diag *d);

/* Read and parse a JSON file (bounded to 16 MiB). */
enum cgs_err cgs_json_read_file(const char *path, struct json_object **ret, struct cgs_diag *d);

/* Typed getters: 0 if present and of the right kind, -1 otherwise. */
int cgs_json_get_str(struct json_object *obj, const char *key, const char **ret);
/* Lowercase or uppercase hex string of exactly len bytes. */
int cgs_json_get_hex(struct json_object *obj, const char *key, uint8_t *out, size_t len);
/* A number, or a string with an integer in any prefix form ("0x..."). */
int cgs_json_get_u64(struct json_object *obj, const char *key, uint64_t *ret);

#endif
