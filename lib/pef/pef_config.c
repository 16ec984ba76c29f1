// SPDX-License-Identifier: MIT
#include "lib/pef/pef_config.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

struct field {
	const char *key;
	char **dst;
	int required;
};

static enum cgs_err at(struct cgs_diag *d, const yaml_node_t *n, const char *field,
		       const char *what)
{
	return cgs_diag_set(d, CGS_E_MALFORMED, field, CGS_DIAG_NO_OFFSET, "line %lu: %s",
			    n ? (unsigned long)n->start_mark.line + 1 : 0ul, what);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Fill the fields of one item's map; keys not in the table are errors. */
static enum cgs_err fill(yaml_document_t *doc, yaml_node_t *map, const char *item,
			 struct field *f, struct cgs_diag *d)
{
	yaml_node_pair_t *p;
	char msg[128];

	if (!map || map->type != YAML_MAPPING_NODE) {
		snprintf(msg, sizeof(msg), "'%s' must hold a map of settings", item);
		return at(d, map, item, msg);
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const char *ks = scalar(k), *vs = scalar(v);
		size_t i;

		for (i = 0; ks && f[i].key && strcmp(f[i].key, ks); i++)
			;
		if (!ks || !f[i].key) {
			snprintf(msg, sizeof(msg), "unknown key '%s' in '%s'", ks ? ks : "?", item);
			return at(d, k, ks ? ks : item, msg);
		}
		if (*f[i].dst) {
			snprintf(msg, sizeof(msg), "duplicate key '%s'", ks);
			return at(d, k, ks, msg);
		}
		if (!vs) {
			snprintf(msg, sizeof(msg), "'%s' must be a plain value", ks);
			return at(d, v, ks, msg);
		}
		*f[i].dst = strdup(vs);
		if (!*f[i].dst)
			return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	for (size_t i = 0; f[i].key; i++) {
		if (f[i].required && !*f[i].dst) {
			snprintf(msg, sizeof(msg), "'%s' lacks the required key '%s'", item, f[i].key);
			return at(d, map, f[i].key, msg);
		}
	}
	return CGS_OK;
}

static enum cgs_err item(yaml_document_t *doc, yaml_node_t *n, struct pef_config *c,
			 struct cgs_diag *d)
{
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	const char *ks;

	if (n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return at(d, n, "config", "each list item must be a map with one key "
			  "(origin, recipient, digest or file)");
	p = n->data.mapping.pairs.start;
	k = yaml_document_get_node(doc, p->key);
	v = yaml_document_get_node(doc, p->value);
	ks = scalar(k);
	if (ks && !strcmp(ks, "origin")) {
		struct field f[] = { { "pubkey", &c->origin.pubkey, 1 },
				     { "seckey", &c->origin.seckey, 1 },
				     { "comment", &c->origin.comment, 0 }, { NULL, NULL, 0 } };

		if (c->has_origin)
			return at(d, k, "origin", "more than one 'origin'");
		c->has_origin = 1;
		return fill(doc, v, "origin", f, d);
	}
	if (ks && !strcmp(ks, "recipient")) {
		struct pef_config_key *r = &c->recipients[c->n_recipients];
		struct field f[] = { { "pubkey", &r->pubkey, 1 }, { "comment", &r->comment, 0 },
				     { NULL, NULL, 0 } };

		if (c->n_recipients == PEF_CONFIG_MAX_ITEMS)
			return at(d, k, "recipient", "too many recipients");
		c->n_recipients++;
		return fill(doc, v, "recipient", f, d);
	}
	if (ks && !strcmp(ks, "digest")) {
		struct field f[] = { { "args", &c->args, 0 }, { "initramfs", &c->initramfs, 0 },
				     { "kernel", &c->kernel, 1 },
				     { "comment", &c->digest_comment, 0 }, { NULL, NULL, 0 } };

		if (c->has_digest)
			return at(d, k, "digest", "more than one 'digest'");
		c->has_digest = 1;
		return fill(doc, v, "digest", f, d);
	}
	if (ks && !strcmp(ks, "file")) {
		struct pef_config_file *fl = &c->files[c->n_files];
		struct field f[] = { { "path", &fl->path, 1 }, { "name", &fl->name, 0 },
				     { "comment", &fl->comment, 0 }, { NULL, NULL, 0 } };

		if (c->n_files == PEF_CONFIG_MAX_ITEMS)
			return at(d, k, "file", "too many files");
		c->n_files++;
		return fill(doc, v, "file", f, d);
	}
	return at(d, k, ks ? ks : "config", "unknown item (expected origin, recipient, digest "
		  "or file)");
}

static enum cgs_err walk(yaml_document_t *doc, struct pef_config *c, struct cgs_diag *d)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_item_t *i;
	enum cgs_err err = CGS_OK;

	if (!root)
		return cgs_diag_set(d, CGS_E_MALFORMED, "config", CGS_DIAG_NO_OFFSET,
				    "line 1: empty configuration");
	if (root->type != YAML_SEQUENCE_NODE)
		return at(d, root, "config", "the configuration must be a list of items");
	for (i = root->data.sequence.items.start; !err && i < root->data.sequence.items.top; i++)
		err = item(doc, yaml_document_get_node(doc, *i), c, d);
	if (!err && !c->has_origin)
		err = at(d, root, "origin", "no 'origin' item (the owner key) in the configuration");
	return err;
}

enum cgs_err pef_config_parse(const char *text, size_t len, struct pef_config *ret,
			      struct cgs_diag *d)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct pef_config *c = calloc(1, sizeof(*c));
	enum cgs_err err;

	if (!c || !yaml_parser_initialize(&parser)) {
		free(c);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		err = cgs_diag_set(d, CGS_E_MALFORMED, "config", CGS_DIAG_NO_OFFSET,
				   "line %lu: %s%s%s", (unsigned long)parser.problem_mark.line + 1,
				   parser.problem ? parser.problem : "syntax error",
				   parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		free(c);
		return err;
	}
	err = walk(&doc, c, d);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (!err)
		*ret = *c;
	else
		pef_config_free(c);
	free(c);
	return err;
}

static void free_key(struct pef_config_key *k)
{
	free(k->pubkey);
	free(k->seckey);
	free(k->comment);
}

void pef_config_free(struct pef_config *c)
{
	free_key(&c->origin);
	for (size_t i = 0; i < c->n_recipients; i++)
		free_key(&c->recipients[i]);
	free(c->args);
	free(c->initramfs);
	free(c->kernel);
	free(c->digest_comment);
	for (size_t i = 0; i < c->n_files; i++) {
		free(c->files[i].path);
		free(c->files[i].name);
		free(c->files[i].comment);
	}
	memset(c, 0, sizeof(*c));
}
