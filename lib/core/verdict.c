// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* vasprintf */
#include "lib/core/verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/err.h"

const char *cgs_check_result_str(enum cgs_check_result r)
{
	switch (r) {
	case CGS_CHECK_PASS:
		return "pass";
	case CGS_CHECK_FAIL:
		return "fail";
	case CGS_CHECK_SKIP:
		return "skip";
	}
	return "fail";
}

void cgs_verdict_init(struct cgs_verdict *v)
{
	memset(v, 0, sizeof(*v));
}

static void check_free(struct cgs_check *c)
{
	free(c->name);
	free(c->expected);
	free(c->actual);
	free(c->reason);
}

void cgs_verdict_free(struct cgs_verdict *v)
{
	for (size_t i = 0; i < v->n; i++)
		check_free(&v->checks[i]);
	free(v->checks);
	cgs_verdict_init(v);
}

struct cgs_check *cgs_verdict_add(struct cgs_verdict *v, const char *name, enum cgs_check_class cls,
				  enum cgs_check_result result, const char *expected,
				  const char *actual, const char *reason_fmt, ...)
{
	struct cgs_check *c;
	va_list ap;
	int r = 0;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		struct cgs_check *p = realloc(v->checks, cap * sizeof(*p));

		if (!p) {
			v->oom = 1;
			return NULL;
		}
		v->checks = p;
		v->cap = cap;
	}
	c = &v->checks[v->n];
	memset(c, 0, sizeof(*c));
	c->result = result;
	c->cls = cls;
	c->name = strdup(name ? name : "");
	c->expected = strdup(expected ? expected : "");
	c->actual = strdup(actual ? actual : "");
	if (reason_fmt) {
		va_start(ap, reason_fmt);
		r = vasprintf(&c->reason, reason_fmt, ap);
		va_end(ap);
	} else {
		c->reason = strdup("");
	}
	if (r < 0 || !c->name || !c->expected || !c->actual || !c->reason) {
		if (r < 0)
			c->reason = NULL;
		check_free(c);
		v->oom = 1;
		return NULL;
	}
	v->n++;
	return c;
}

const struct cgs_check *cgs_verdict_find(const struct cgs_verdict *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->checks[i].name, name))
			return &v->checks[i];
	return NULL;
}

int cgs_verdict_verified(const struct cgs_verdict *v)
{
	if (v->oom || v->n == 0)
		return 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct cgs_check *c = &v->checks[i];

		if (c->result == CGS_CHECK_FAIL)
			return 0;
		if (c->cls == CGS_CHECK_AUTHENTICITY && c->result != CGS_CHECK_PASS)
			return 0;
	}
	return 1;
}

const struct cgs_check_def *cgs_check_def_find(const struct cgs_check_def *defs, size_t n,
					       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

enum cgs_err cgs_skip_validate(const struct cgs_check_def *defs, size_t n, const char *name,
			       struct cgs_diag *d)
{
	const struct cgs_check_def *def = cgs_check_def_find(defs, n, name);
	char list[256] = "";
	size_t len = 0;

	if (def && def->cls == CGS_CHECK_POLICY)
		return CGS_OK;
	if (def)
		return cgs_diag_set(d, CGS_E_USAGE, "skip", CGS_DIAG_NO_OFFSET,
				    "check '%s' establishes that the evidence is genuine and "
				    "cannot be skipped",
				    name);
	for (size_t i = 0; i < n && len < sizeof(list); i++)
		if (defs[i].cls == CGS_CHECK_POLICY)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						len ? ", " : "", defs[i].name);
	return cgs_diag_set(d, CGS_E_USAGE, "skip", CGS_DIAG_NO_OFFSET,
			    "unknown check '%s' (policy checks that can be skipped: %s)", name,
			    list);
}

enum cgs_err cgs_name_list_add(struct cgs_name_list *l, const char *arg, size_t *ret_first,
			       struct cgs_diag *d)
{
	size_t len = strlen(arg);
	char *names = l->buf + l->used, *save = NULL;

	*ret_first = l->n;
	if (len + 1 > sizeof(l->buf) - l->used)
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET, "too many names");
	memcpy(names, arg, len + 1);
	l->used += len + 1;
	for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		if (l->n == CGS_NAME_LIST_MAX)
			return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
					    "at most %d names", CGS_NAME_LIST_MAX);
		l->names[l->n++] = n;
	}
	return CGS_OK;
}

enum cgs_err cgs_skip_list_add(struct cgs_name_list *l, const struct cgs_check_def *defs,
			       size_t n_defs, const char *arg, struct cgs_diag *d)
{
	size_t first;
	enum cgs_err e = cgs_name_list_add(l, arg, &first, d);

	for (size_t i = first; !e && i < l->n; i++)
		e = cgs_skip_validate(defs, n_defs, l->names[i], d);
	return e;
}

struct json_object *cgs_verdict_json_checks(const struct cgs_verdict *v)
{
	struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < v->n; i++) {
		const struct cgs_check *c = &v->checks[i];
		struct json_object *o = json_object_new_object();

		if (!o || json_object_array_add(a, o)) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
		json_object_object_add(o, "name", json_object_new_string(c->name));
		json_object_object_add(o, "result",
				       json_object_new_string(cgs_check_result_str(c->result)));
		json_object_object_add(o, "expected", json_object_new_string(c->expected));
		json_object_object_add(o, "actual", json_object_new_string(c->actual));
		json_object_object_add(o, "reason", json_object_new_string(c->reason));
	}
	return a;
}
