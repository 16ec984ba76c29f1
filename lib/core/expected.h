/* SPDX-License-Identifier: MIT */
/*
 * The one reader of expected-value documents (--expected): what cgs-measure
 * --json and cgs-measure id-block --json write, one document or a non-empty
 * JSON array of them ("any of these").
 *
 * A verifier describes what it accepts in a struct cgs_expected_schema: the
 * producing tool, the modes it knows (each with its own field table) and the
 * fields every mode may carry. The reader validates every document against it
 * before anything is used: schema_version is 1, tool is the producer (a
 * cgs-verify verdict is refused by name), mode is exactly one of the table
 * (a document without "mode" matches only a mode declared with mode == NULL),
 * required fields are there and every field of the tables that is present has
 * the declared JSON type and form. Keys the tables do not name are ignored:
 * schema_version 1 reserves them for additions that change nothing a reader
 * checks (cgs(7), EXPECTED-VALUE DOCUMENTS). Every refusal is CGS_E_MALFORMED
 * (CGS_E_UNSUPPORTED for another schema_version) naming the field.
 *
 * A new mechanism (e.g. TDX: tool cgs-measure, mode tdx, keys mrtd,
 * rtmr0..rtmr3) adds a schema table; it needs no second reader.
 */
#ifndef CGS_LIB_CORE_EXPECTED_H
#define CGS_LIB_CORE_EXPECTED_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <cgs/common.h>

enum cgs_xtype {
	CGS_XT_STRING, /* a JSON string (with .only: exactly that value) */
	CGS_XT_HEX,    /* a string of exactly .len bytes in hex */
	CGS_XT_UINT,   /* an integer >= 0, or a string with one ("0x30000"), <= .max */
	CGS_XT_OBJECT, /* a JSON object (its contents are the producer's record) */
};

struct cgs_expected_field {
	const char *key;
	enum cgs_xtype type;
	int required;
	size_t len;       /* CGS_XT_HEX: bytes */
	uint64_t max;     /* CGS_XT_UINT: largest value (0: UINT64_MAX) */
	const char *only; /* CGS_XT_STRING: the one accepted value, or NULL */
	const char *desc; /* what a good value is, for messages (NULL: from the type) */
};

struct cgs_expected_mode {
	const char *mode; /* the exact value of "mode"; NULL: a document without "mode" */
	const struct cgs_expected_field *fields;
	size_t n_fields;
};

struct cgs_expected_schema {
	const char *tool;    /* the producer, e.g. "cgs-measure" */
	const char *accepts; /* what the verifier takes, e.g. "an SNP measurement" */
	const struct cgs_expected_mode *modes;
	size_t n_modes;
	const struct cgs_expected_field *fields; /* allowed in every mode */
	size_t n_fields;
};

/* One validated document. */
struct cgs_expected_doc {
	struct json_object *obj; /* borrowed from the set */
	const struct cgs_expected_mode *mode;
	size_t index; /* position in the array (0 for a single document) */
};

/* The documents of one file. */
struct cgs_expected_set {
	struct json_object *root; /* owned */
	struct cgs_expected_doc *docs;
	size_t n;
	int many; /* the file held an array */
};

/*
 * Validate one parsed document against a schema; *ret_mode (may be NULL) gets
 * its mode. The diagnostic names the offending field.
 */
enum cgs_err cgs_expected_check(struct json_object *obj, const struct cgs_expected_schema *s,
				const struct cgs_expected_mode **ret_mode, struct cgs_diag *d);

/* Parse and validate JSON text: one document or a non-empty array of them. */
enum cgs_err cgs_expected_parse(const char *text, size_t len, const struct cgs_expected_schema *s,
				struct cgs_expected_set *ret, struct cgs_diag *d);

/* The same from a file (bounded; "-" is standard input). */
enum cgs_err cgs_expected_read(const char *path, const struct cgs_expected_schema *s,
			       struct cgs_expected_set *ret, struct cgs_diag *d);

void cgs_expected_free(struct cgs_expected_set *set);

/*
 * Getters for a validated document: 1 and the value when the key is present,
 * 0 when it is absent. The types were checked by the reader.
 */
int cgs_expected_hex(const struct cgs_expected_doc *doc, const char *key, uint8_t *out,
		     size_t len);
int cgs_expected_u64(const struct cgs_expected_doc *doc, const char *key, uint64_t *ret);
const char *cgs_expected_str(const struct cgs_expected_doc *doc, const char *key);

#endif
