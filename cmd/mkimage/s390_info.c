// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage s390-info: show a Secure Execution image or extracted header
 * (with --hdr-key, the decrypted part too); s390-extract-header: cut the
 * header out of an image, as pvextract-hdr does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/mkimage/s390_pv.h"
#include "cmd/mkimage/verbs.h"
#include "formats/s390_ipib.h"
#include "formats/s390_pv_hdr.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/s390/s390_pv_crypto.h"
#include "lib/s390/s390_pv_image.h"

struct found {
	uint8_t *buf;     /* the first bytes of the file */
	size_t len;
	uint64_t hdr_off;
	size_t hdr_size;
	struct s390_pv_hdr hdr;
	int have_ipib;
	uint64_t ipib_off;
	struct s390_ipib ipib;
	const char *layout; /* "pvimg", "genprotimg" or NULL (extracted header) */
};

static void find_ipib(struct found *fd)
{
	struct s390_pv_meta m;
	uint64_t off;

	if (fd->hdr_off == 0)
		return;
	if (!s390_pv_meta_parse(fd->buf, fd->len, &m, NULL)) {
		fd->layout = "pvimg";
		off = m.ipib_off;
	} else {
		fd->layout = "genprotimg";
		off = fd->hdr_off - S390_PV_PAGE;
	}
	if (off < fd->len && !s390_ipib_parse(fd->buf + off, fd->len - off, &fd->ipib, NULL)) {
		fd->have_ipib = 1;
		fd->ipib_off = off;
	}
}

static int locate(const char *path, struct found *fd)
{
	struct cgs_diag d;

	if (s390_pv_image_read_head(path, &fd->buf, &fd->len, &fd->hdr_off, &d) ||
	    s390_pv_hdr_parse(fd->buf + fd->hdr_off, fd->len - fd->hdr_off, &fd->hdr, &d))
		return cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read" : "parse", path);
	fd->hdr_size = fd->hdr.size;
	find_ipib(fd);
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

static struct json_object *ipib_json(const struct found *fd)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	cgs_json_add_u64hex(o, "offset", fd->ipib_off);
	cgs_json_add_int(o, "length", fd->ipib.total_len);
	cgs_json_add_int(o, "pv_version", fd->ipib.pv_version);
	cgs_json_add_u64hex(o, "hdr_addr", fd->ipib.hdr_addr);
	cgs_json_add_int(o, "hdr_size", (int64_t)fd->ipib.hdr_size);
	for (uint32_t i = 0; i < fd->ipib.ncomps; i++) {
		const struct s390_ipib_comp *c = &fd->ipib.comps[i];
		struct json_object *e = json_object_new_object();

		cgs_json_add_str(e, "name", s390_component_name((uint16_t)(c->tweak_prefix >> 48)));
		cgs_json_add_u64hex(e, "tweak_prefix", c->tweak_prefix);
		cgs_json_add_u64hex(e, "addr", c->addr);
		cgs_json_add_int(e, "stored_size", (int64_t)c->len);
		json_object_array_add(a, e);
	}
	cgs_json_add(o, "components", a);
	return o;
}

static struct json_object *secret_json(const struct s390_pv_hdr_secret *s, int show)
{
	struct json_object *o = json_object_new_object();

	cgs_json_add_u64hex(o, "psw_mask", s->psw_mask);
	cgs_json_add_u64hex(o, "psw_addr", s->psw_addr);
	cgs_json_add_u64hex(o, "scf", s->scf);
	cgs_json_add_int(o, "noi", s->noi);
	if (show) {
		cgs_json_add_hex(o, "cck", s->cck, 32);
		cgs_json_add_hex(o, "image_key", s->xts_key, 64);
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

static void print_text(const struct found *fd, const struct s390_pv_hdr_secret *s, int show)
{
	const struct s390_pv_hdr *h = &fd->hdr;

	printf("%-22s%s\n", "layout", fd->layout ? fd->layout : "extracted header");
	printf("%-22s0x%llx (%u bytes, version 0x%x)\n", "header", (unsigned long long)fd->hdr_off,
	       h->size, h->version);
	printf("%-22s0x%016llx\n", "pcf", (unsigned long long)h->pcf);
	printf("%-22s%llu\n", "nep", (unsigned long long)h->nep);
	for (uint64_t i = 0; i < h->nks; i++)
		print_hex_line(i ? "" : "host key hashes", h->slots[i].phkh, 32);
	print_hex_line("pld", h->pld, 64);
	print_hex_line("ald", h->ald, 64);
	print_hex_line("tld", h->tld, 64);
	print_hex_line("tag", h->tag, 16);
	for (uint32_t i = 0; fd->have_ipib && i < fd->ipib.ncomps; i++) {
		const struct s390_ipib_comp *c = &fd->ipib.comps[i];

		printf("%-22s0x%llx, %llu bytes, tweak prefix 0x%016llx\n",
		       s390_component_name((uint16_t)(c->tweak_prefix >> 48)),
		       (unsigned long long)c->addr, (unsigned long long)c->len,
		       (unsigned long long)c->tweak_prefix);
	}
	if (!s)
		return;
	printf("%-22s0x%016llx 0x%016llx\n", "psw", (unsigned long long)s->psw_mask,
	       (unsigned long long)s->psw_addr);
	printf("%-22s0x%016llx\n", "scf", (unsigned long long)s->scf);
	if (show) {
		print_hex_line("cck", s->cck, 32);
		print_hex_line("image key", s->xts_key, 64);
	}
}

static int info_output(const char *path, const struct found *fd,
		       const struct s390_pv_hdr_secret *s, int show)
{
	struct json_object *doc;
	int rc;

	if (!cgs_opts.json) {
		print_text(fd, s, show);
		return 0;
	}
	doc = cgs_json_doc("cgs-mkimage");
	cgs_json_add_str(doc, "verb", "s390-info");
	cgs_json_add_str(doc, "input", path);
	cgs_json_add_str(doc, "layout", fd->layout);
	cgs_json_add(doc, "header", s390_hdr_json(&fd->hdr, fd->hdr_off));
	cgs_json_add(doc, "ipib", fd->have_ipib ? ipib_json(fd) : NULL);
	cgs_json_add(doc, "decrypted", s ? secret_json(s, show) : NULL);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : 0;
}

static int open_hdr(const struct info_opts *o, const struct found *fd,
		    struct s390_pv_hdr_secret *s)
{
	uint8_t *key;
	size_t len;
	struct cgs_diag d;
	enum cgs_err err = cgs_read_file(o->hdr_key, 4096, &key, &len, &d);

	if (err)
		return cgs_log_diag(&d, "read key", o->hdr_key);
	if (len != 32) {
		cgs_free_secret(key, len);
		cgs_log_error("failed to read key '%s': a header key has 32 bytes, not %zu",
			      o->hdr_key, len);
		return CGS_EXIT_DATAERR;
	}
	err = s390_pv_hdr_open(&fd->hdr, key, s, &d);
	cgs_free_secret(key, len);
	if (err)
		return cgs_log_diag(&d, "decrypt the header with", o->hdr_key);
	return 0;
}

int verb_s390_info(int argc, char **argv)
{
	static struct found fd;
	struct info_opts o = { 0 };
	struct s390_pv_hdr_secret s;
	struct cgs_command cmd = {
		"cgs-mkimage s390-info", "[OPTION]... IMAGE|HEADER",
		"Show a Secure Execution image or header (pvimg info).",
		info_options, CGS_COMMON_JSON, NULL, info_option, &o,
	};
	int optind_, rc;

	memset(&fd, 0, sizeof(fd));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing IMAGE or HEADER" :
			"unexpected argument '%s'", argv[optind_ + 1]);
	if (o.show_secrets && !o.hdr_key)
		return cgs_log_usage("--show-secrets needs --hdr-key");
	rc = locate(argv[optind_], &fd);
	if (!rc && o.hdr_key)
		rc = open_hdr(&o, &fd, &s);
	if (!rc)
		rc = info_output(argv[optind_], &fd, o.hdr_key ? &s : NULL, o.show_secrets);
	cgs_wipe(&s, sizeof(s));
	free(fd.buf);
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
	static struct found fd;
	struct extract_opts o = { 0 };
	struct cgs_command cmd = {
		"cgs-mkimage s390-extract-header", "[OPTION]... IMAGE -o FILE",
		"Extract the Secure Execution header of an image (pvextract-hdr).",
		extract_options, 0, NULL, extract_option, &o,
	};
	struct cgs_diag d;
	int optind_, rc;

	memset(&fd, 0, sizeof(fd));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing IMAGE" : "unexpected argument '%s'",
				     argv[optind_ + 1]);
	if (!o.output)
		return cgs_log_usage("missing --output");
	rc = locate(argv[optind_], &fd);
	if (!rc && cgs_write_file(o.output, fd.buf + fd.hdr_off, fd.hdr_size,
				  o.force ? CGS_OUT_FORCE : 0, &d))
		rc = cgs_log_diag(&d, "write", o.output);
	free(fd.buf);
	return rc;
}
