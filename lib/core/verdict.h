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

/* The names of a repeatable comma-list option (--skip a,b --skip c). */
#define CGS_NAME_LIST_MAX 32
struct cgs_name_list {
	const char *names[CGS_NAME_LIST_MAX]; /* point into buf */
	size_t n;
	char buf[512];
	size_t used;
};

/*
 * Append the names of "a,b,c" (empty names are dropped); *ret_first is the
 * index of the first one added. CGS_E_USAGE when the list is full.
 */
enum cgs_err cgs_name_list_add(struct cgs_name_list *l, const char *arg, size_t *ret_first,
			       struct cgs_diag *d);

/*
 * Add "a,b,c" to a --skip list: each name must be a policy check of defs
 * (cgs_skip_validate); CGS_E_USAGE with the reason otherwise, or when the
 * list is full.
 */
enum cgs_err cgs_skip_list_add(struct cgs_name_list *l, const struct cgs_check_def *defs,
			       size_t n_defs, const char *arg, struct cgs_diag *d);

/* The "checks" array of a verdict, in order; NULL when out of memory. */
struct json_object *cgs_verdict_json_checks(const struct cgs_verdict *v);

#endif
