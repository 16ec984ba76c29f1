// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage s390-info: show a Secure Execution image or extracted header
 * (with --hdr-key, the decrypted part too); s390-extract-header: cut the
 * header out of an image, as pvextract-hdr does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "cmd/mkimage/s390_pv.h"
#include "cmd/mkimage/verbs.h"
#include "formats/s390_pv_hdr.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"

static struct json_object *hex_obj(const uint8_t *p, size_t n)
{
	char *h = cgs_hex_strdup(p, n);
	struct json_object *o = json_object_new_string(h ? h : "");

	free(h);
	return o;
}

struct json_object *s390_hdr_json(const struct s390_pv_hdr *h, uint64_t offset)
{
	struct json_object *o = json_object_new_object(), *slots = json_object_new_array();
	uint8_t tags[S390_PV_HDR_TAGS_SIZE];

	cgs_json_add_u64hex(o, "offset", offset);
	cgs_json_add_int(o, "size", h->size);
	cgs_json_add_u64hex(o, "version", h->version);
	cgs_json_add_int(o, "nks", (int64_t)h->nks);
	cgs_json_add_int(o, "nep", (int64_t)h->nep);
	cgs_json_add_u64hex(o, "pcf", h->pcf);
	cgs_json_add_hex(o, "iv", h->iv, sizeof(h->iv));
	cgs_json_add_hex(o, "customer_public_key", h->cust_pub, sizeof(h->cust_pub));
	for (uint64_t i = 0; i < h->nks; i++)
		json_object_array_add(slots, hex_obj(h->slots[i].phkh, 32));
	cgs_json_add(o, "host_key_hashes", slots);
	cgs_json_add_hex(o, "pld", h->pld, 64);
	cgs_json_add_hex(o, "ald", h->ald, 64);
	cgs_json_add_hex(o, "tld", h->tld, 64);
	cgs_json_add_hex(o, "tag", h->tag, 16);
	s390_pv_hdr_tags(h, tags);
	cgs_json_add_hex(o, "tags", tags, sizeof(tags));
	return o;
}

/* The image's header and IPLB (and with hdr_key its protected part); h: the header parsed. */
static int locate(const char *path, const char *hdr_key, struct cgs_s390_image_info *r,
		  struct s390_pv_hdr *h)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (cgs_s390_image_info(path, hdr_key, r, &d) ||
	    s390_pv_hdr_parse(r->header, r->header_len, h, &d))
		return cgs_log_diag(&d, r->step ? r->step : "parse", r->input ? r->input : path);
	return 0;
}

/* ---- s390-info ---- */

enum { K_HDR_KEY = CGS_KEY_FIRST, K_SHOW_SECRETS };

static const struct cgs_option info_options[] = {
	{ "hdr-key", K_HDR_KEY, CGS_REQ_ARG, "FILE",
	  "header protection key (32 bytes): decrypt and show the protected part", 0 },
	{ "key", K_HDR_KEY, CGS_REQ_ARG, "FILE", NULL, CGS_OPT_ALIAS },
	{ "show-secrets", K_SHOW_SECRETS, CGS_NO_ARG, NULL,
	  "with --hdr-key, also show the CCK and the image key", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct info_opts {
	const char *hdr_key;
	int show_secrets;
};

static int info_option(void *ctx, int key, const char *arg)
{
	struct info_opts *o = ctx;

	if (key == K_HDR_KEY)
		o->hdr_key = arg;
	else if (key == K_SHOW_SECRETS)
		o->show_secrets = 1;
	return 0;
}

static struct json_object *ipib_json(const struct cgs_s390_image_info *r)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	cgs_json_add_u64hex(o, "offset", r->ipib_offset);
	cgs_json_add_int(o, "length", r->ipib_length);
	cgs_json_add_int(o, "pv_version", r->pv_version);
	cgs_json_add_u64hex(o, "hdr_addr", r->ipib_header_addr);
	cgs_json_add_int(o, "hdr_size", (int64_t)r->ipib_header_size);
	for (size_t i = 0; i < r->n_components; i++) {
		const struct cgs_s390_info_component *c = &r->components[i];
		struct json_object *e = json_object_new_object();

		cgs_json_add_str(e, "name", c->name);
		cgs_json_add_u64hex(e, "tweak_prefix", c->tweak_prefix);
		cgs_json_add_u64hex(e, "addr", c->addr);
		cgs_json_add_int(e, "stored_size", (int64_t)c->stored_size);
		json_object_array_add(a, e);
	}
	cgs_json_add(o, "components", a);
	return o;
}

static struct json_object *secret_json(const struct cgs_s390_image_info *s, int show)
{
	struct json_object *o = json_object_new_object();

	cgs_json_add_u64hex(o, "psw_mask", s->psw_mask);
	cgs_json_add_u64hex(o, "psw_addr", s->psw_addr);
	cgs_json_add_u64hex(o, "scf", s->scf);
	cgs_json_add_int(o, "noi", s->noi);
	if (show) {
		cgs_json_add_hex(o, "cck", s->cck, 32);
		cgs_json_add_hex(o, "image_key", s->image_key, 64);
	} else {
		cgs_json_add_str(o, "cck", NULL);
		cgs_json_add_str(o, "image_key", NULL);
	}
	return o;
}

static void print_hex_line(const char *name, const uint8_t *p, size_t n)
{
	char *s = cgs_hex_strdup(p, n);

	printf("%-22s%s\n", name, s ? s : "");
	free(s);
}

static void print_text(const struct cgs_s390_image_info *r, const struct s390_pv_hdr *h,
		       int show)
{
	printf("%-22s%s\n", "layout", r->layout ? r->layout : "extracted header");
	printf("%-22s0x%llx (%u bytes, version 0x%x)\n", "header",
	       (unsigned long long)r->header_offset, h->size, h->version);
	printf("%-22s0x%016llx\n", "pcf", (unsigned long long)h->pcf);
	printf("%-22s%llu\n", "nep", (unsigned long long)h->nep);
	for (uint64_t i = 0; i < h->nks; i++)
		print_hex_line(i ? "" : "host key hashes", h->slots[i].phkh, 32);
	print_hex_line("pld", h->pld, 64);
	print_hex_line("ald", h->ald, 64);
	print_hex_line("tld", h->tld, 64);
	print_hex_line("tag", h->tag, 16);
	for (size_t i = 0; r->has_ipib && i < r->n_components; i++) {
		const struct cgs_s390_info_component *c = &r->components[i];

		printf("%-22s0x%llx, %llu bytes, tweak prefix 0x%016llx\n", c->name,
		       (unsigned long long)c->addr, (unsigned long long)c->stored_size,
		       (unsigned long long)c->tweak_prefix);
	}
	if (!r->decrypted)
		return;
	printf("%-22s0x%016llx 0x%016llx\n", "psw", (unsigned long long)r->psw_mask,
	       (unsigned long long)r->psw_addr);
	printf("%-22s0x%016llx\n", "scf", (unsigned long long)r->scf);
	if (show) {
		print_hex_line("cck", r->cck, 32);
		print_hex_line("image key", r->image_key, 64);
	}
}

static int info_output(const char *path, const struct cgs_s390_image_info *r,
		       const struct s390_pv_hdr *h, int show)
{
	struct json_object *doc;
	int rc;

	if (!cgs_opts.json) {
		print_text(r, h, show);
		return fflush(stdout) || ferror(stdout) ? CGS_EXIT_FAILURE : 0;
	}
	doc = cgs_json_doc("cgs-mkimage");
	cgs_json_add_str(doc, "verb", "s390-info");
	cgs_json_add_str(doc, "input", path);
	cgs_json_add_str(doc, "layout", r->layout);
	cgs_json_add(doc, "header", s390_hdr_json(h, r->header_offset));
	cgs_json_add(doc, "ipib", r->has_ipib ? ipib_json(r) : NULL);
	cgs_json_add(doc, "decrypted", r->decrypted ? secret_json(r, show) : NULL);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : 0;
}

struct found {
	struct cgs_s390_image_info info;
	struct s390_pv_hdr hdr;
};

int verb_s390_info(int argc, char **argv)
{
	struct info_opts o = { 0 };
	struct cgs_command cmd = {
		"cgs-mkimage s390-info", "[OPTION]... IMAGE|HEADER",
		"Show a Secure Execution image or header (pvimg info).",
		info_options, CGS_COMMON_JSON, NULL, info_option, &o,
	};
	struct found *fd;
	int optind_, rc;

	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing IMAGE or HEADER" :
			"unexpected argument '%s'", argv[optind_ + 1]);
	if (o.show_secrets && !o.hdr_key)
		return cgs_log_usage("--show-secrets needs --hdr-key");
	fd = malloc(sizeof(*fd));
	if (!fd)
		return CGS_EXIT_FAILURE;
	rc = locate(argv[optind_], o.hdr_key, &fd->info, &fd->hdr);
	if (!rc)
		rc = info_output(argv[optind_], &fd->info, &fd->hdr, o.show_secrets);
	cgs_wipe(fd, sizeof(*fd));
	free(fd);
	return rc;
}

/* ---- s390-extract-header ---- */

enum { K_FORCE = CGS_KEY_FIRST };

static const struct cgs_option extract_options[] = {
	{ "output", 'o', CGS_REQ_ARG, "FILE", "where to write the header ('-' for stdout)", 0 },
	{ "force", K_FORCE, CGS_NO_ARG, NULL, "replace an existing output file", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct extract_opts {
	const char *output;
	int force;
};

static int extract_option(void *ctx, int key, const char *arg)
{
	struct extract_opts *o = ctx;

	if (key == 'o')
		o->output = arg;
	else if (key == K_FORCE)
		o->force = 1;
	return 0;
}

int verb_s390_extract_header(int argc, char **argv)
{
	struct extract_opts o = { 0 };
	struct cgs_command cmd = {
		"cgs-mkimage s390-extract-header", "[OPTION]... IMAGE -o FILE",
		"Extract the Secure Execution header of an image (pvextract-hdr).",
		extract_options, 0, NULL, extract_option, &o,
	};
	struct found *fd;
	struct cgs_diag d;
	int optind_, rc;

	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing IMAGE" : "unexpected argument '%s'",
				     argv[optind_ + 1]);
	if (!o.output)
		return cgs_log_usage("missing --output");
	fd = malloc(sizeof(*fd));
	if (!fd)
		return CGS_EXIT_FAILURE;
	rc = locate(argv[optind_], NULL, &fd->info, &fd->hdr);
	if (!rc && cgs_write_file(o.output, fd->info.header, fd->info.header_len,
				  o.force ? CGS_OUT_FORCE : 0, &d))
		rc = cgs_log_diag(&d, "write", o.output);
	free(fd);
	return rc;
}
