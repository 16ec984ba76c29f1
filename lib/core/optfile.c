// SPDX-License-Identifier: MIT
/* Option files: a YAML/JSON mapping of long option names applied through on_option. */
#include "lib/core/optfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "lib/core/io.h"

#define OPTFILE_MAX (1u << 20)

static const struct cgs_option *find_option(const struct cgs_command *cmd, const char *name)
{
	for (const struct cgs_option *o = cmd->options; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

static int listed(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

static enum cgs_err bad(struct cgs_diag *d, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum cgs_err bad(struct cgs_diag *d, const char *key, const char *fmt, ...)
{
	char text[sizeof(d->text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cgs_diag_set(d, CGS_E_MALFORMED, key, CGS_DIAG_NO_OFFSET, "%s", text);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* a flag: plain true (give it) or false (do not) */
static enum cgs_err apply_flag(const struct cgs_command *cmd, const struct cgs_option *o,
			       const yaml_node_t *v, struct cgs_diag *d)
{
	const char *s = scalar(v);
	int plain =
	    v && v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

	if (!s || !plain || (strcmp(s, "true") && strcmp(s, "false")))
		return bad(d, o->name, "'%s' is a flag: its value must be true or false", o->name);
	if (!strcmp(s, "false") || !cmd->on_option)
		return CGS_OK;
	if (cmd->on_option(cmd->ctx, o->key, NULL))
		return bad(d, o->name, "'%s' refused", o->name);
	return CGS_OK;
}

static enum cgs_err apply_value(const struct cgs_command *cmd, const struct cgs_option *o,
				const char *s, struct cgs_diag *d)
{
	if (!s)
		return bad(d, o->name, "the value of '%s' must be a scalar or a list of scalars",
			   o->name);
	if (cmd->on_option && cmd->on_option(cmd->ctx, o->key, s))
		return bad(d, o->name, "bad value for '%s'", o->name);
	return CGS_OK;
}

static enum cgs_err apply_pair(const struct cgs_command *cmd, yaml_document_t *doc,
			       const yaml_node_pair_t *p, const char *const *refused,
			       struct cgs_diag *d)
{
	const char *key = scalar(yaml_document_get_node(doc, p->key));
	yaml_node_t *v = yaml_document_get_node(doc, p->value);
	const struct cgs_option *o;
	enum cgs_err e = CGS_OK;

	if (!key)
		return bad(d, NULL, "%s", "a key is not a scalar");
	o = find_option(cmd, key);
	if (!o || listed(refused, key) || (o->flags & CGS_OPT_EXPERIMENTAL))
		return bad(d, key, "unknown key '%s'", key);
	if (o->arg == CGS_NO_ARG)
		return apply_flag(cmd, o, v, d);
	if (v && v->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     !e && i < v->data.sequence.items.top; i++)
			e = apply_value(cmd, o, scalar(yaml_document_get_node(doc, *i)), d);
		return e;
	}
	return apply_value(cmd, o, scalar(v), d);
}

static int duplicate_key(yaml_document_t *doc, yaml_node_t *map, yaml_node_pair_t *p)
{
	const char *k = scalar(yaml_document_get_node(doc, p->key));

	for (yaml_node_pair_t *q = map->data.mapping.pairs.start; k && q < p; q++) {
		const char *o = scalar(yaml_document_get_node(doc, q->key));

		if (o && !strcmp(o, k))
			return 1;
	}
	return 0;
}

static enum cgs_err apply_doc(const struct cgs_command *cmd, yaml_document_t *doc,
			      const char *const *refused, struct cgs_diag *d)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	enum cgs_err e = CGS_OK;

	if (!root || root->type != YAML_MAPPING_NODE)
		return bad(d, NULL, "%s", "not a mapping of option names to values");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     !e && p < root->data.mapping.pairs.top; p++) {
		if (duplicate_key(doc, root, p))
			return bad(d, scalar(yaml_document_get_node(doc, p->key)),
				   "key '%s' given twice",
				   scalar(yaml_document_get_node(doc, p->key)));
		e = apply_pair(cmd, doc, p, refused, d);
	}
	return e;
}

enum cgs_err cgs_optfile_apply(const struct cgs_command *cmd, const char *path,
			       const char *const *refused, struct cgs_diag *d)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	uint8_t *buf;
	size_t len;
	enum cgs_err e = cgs_read_file(path, OPTFILE_MAX, &buf, &len, d);

	if (e)
		return e;
	if (!yaml_parser_initialize(&parser)) {
		free(buf);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		e = cgs_diag_set(d, CGS_E_MALFORMED, NULL, parser.problem_offset,
				 "not YAML or JSON: %s",
				 parser.problem ? parser.problem : "syntax error");
	} else {
		e = apply_doc(cmd, &doc, refused, d);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	free(buf);
	return e;
}
