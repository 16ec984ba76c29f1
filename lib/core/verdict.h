/* SPDX-License-Identifier: MIT */
/*
 * The verdict object of every verifier (declared in include/cgs/common.h) and
 * its JSON form: {"verified", "checks": [{name, result, expected, actual,
 * reason}]}. Verifiers declare their checks in a table of struct cgs_check_def
 * so that --skip, --help and the man page agree on the two classes.
 */
#ifndef CGS_LIB_CORE_VERDICT_H
#define CGS_LIB_CORE_VERDICT_H

#include <json-c/json.h>

#include <cgs/common.h>

/* The definition named name in a table, or NULL. */
const struct cgs_check_def *cgs_check_def_find(const struct cgs_check_def *defs, size_t n,
					       const char *name);

/* The "checks" array of a verdict, in order; NULL when out of memory. */
struct json_object *cgs_verdict_json_checks(const struct cgs_verdict *v);

#endif
