/* SPDX-License-Identifier: MIT */
/*
 * The JSON Schemas of the documents the tools print (the files in schema/),
 * compiled in by the build (scripts/embed-schemas).
 */
#ifndef CGS_LIB_CORE_SCHEMA_H
#define CGS_LIB_CORE_SCHEMA_H

struct cgs_schema_file {
	const char *name; /* file name without ".schema.json": "cgs-verify-snp" */
	const char *text;
};

/* The embedded files, ending with a NULL name (generated). */
extern const struct cgs_schema_file cgs_schema_files[];

/* The text of schema name, or NULL. */
const char *cgs_schema_text(const char *name);

/*
 * Print schema name to stdout as a self-contained bundle: common.schema.json
 * embedded under "$defs". Returns an exit code (65 if there is no such schema).
 */
int cgs_schema_print(const char *name);

#endif
