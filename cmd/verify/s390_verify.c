// SPDX-License-Identifier: MIT
/*
 * cgs-verify s390 verify: check a pvattest attestation response against the
 * SE header of the image and the request protection key (as pvattest verify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "cmd/verify/s390.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "formats/s390_arcb.h"
#include "lib/core/verdict.h"

enum {
	KEY_HDR = CGS_KEY_FIRST,
	KEY_FORCE,
	KEY_SECRET,
	KEY_LOCKED,
};

#define MAX_SECRETS 256

static const struct cgs_option verify_options[] = {
	{ "input", 'i', CGS_REQ_ARG, "FILE", "the attestation response (exchange format)", 0 },
	{ "hdr", KEY_HDR, CGS_REQ_ARG, "FILE", "the SE image or its extracted SE header", 0 },
	{ "arpk", 'a', CGS_REQ_ARG, "FILE", "the request protection key of the request", 0 },
	{ "user-data", 'u', CGS_REQ_ARG, "FILE",
	  "write the user data of a verified response to FILE", 0 },
	{ "force", KEY_FORCE, CGS_NO_ARG, NULL, "replace an existing user-data file", 0 },
	{ "secret", KEY_SECRET, CGS_REQ_ARG, "FILE",
	  "an add-secret request the guest added, in order (repeatable): check the secret-store "
	  "hash", 0 },
	{ "secret-store-locked", KEY_LOCKED, CGS_NO_ARG, NULL,
	  "the secret store must be locked (checks the secret-store hash)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct vctx {
	const char *input, *hdr, *arpk, *user_out;
	const char *secrets[MAX_SECRETS];
	size_t n_secrets;
	int locked, check_store;
	unsigned out_flags;
};

static int verify_option(void *ctx, int key, const char *arg)
{
	struct vctx *c = ctx;

	switch (key) {
	case 'i':
		c->input = arg;
		break;
	case KEY_HDR:
		c->hdr = arg;
		break;
	case 'a':
		c->arpk = arg;
		break;
	case 'u':
		c->user_out = arg;
		break;
	case KEY_FORCE:
		c->out_flags |= CGS_OUT_FORCE;
		break;
	case KEY_SECRET:
		if (c->n_secrets >= MAX_SECRETS)
			return cgs_log_usage("too many '--secret' options (at most %d)", MAX_SECRETS);
		c->secrets[c->n_secrets++] = arg;
		c->check_store = 1;
		break;
	case KEY_LOCKED:
		c->locked = c->check_store = 1;
		break;
	default:
		break;
	}
	return 0;
}

/* A part of the additional data, or NULL. */
static const uint8_t *add_part(const struct cgs_s390_verify_out *r, uint64_t flag)
{
	const struct s390_arcb_add_part *p;
	size_t n, off = 0;

	if (!r->additional)
		return NULL;
	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		if (!(r->attestation_flags & p[i].flag))
			continue;
		if (p[i].flag == flag)
			return r->additional + off;
		off += p[i].size;
	}
	return NULL;
}

static struct json_object *additional_json(const struct cgs_s390_verify_out *r)
{
	const struct s390_arcb_add_part *p;
	struct json_object *o;
	size_t n;

	if (!r->additional)
		return NULL;
	o = json_object_new_object();
	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = add_part(r, p[i].flag);

		if (b)
			cgs_json_add_hex(o, p[i].name, b, p[i].size);
	}
	return o;
}

static int print_json(const struct cgs_s390_verify_out *r, const struct cgs_verdict *v)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *hdr = json_object_new_object();
	int rc;

	cgs_json_add_bool(doc, "verified", cgs_verdict_verified(v));
	cgs_json_add_str(doc, "evidence", "s390");
	cgs_json_add(doc, "checks", cgs_verdict_json_checks(v));
	cgs_json_add_hex(doc, "config_uid", r->config_uid, 16);
	if (r->user_data)
		cgs_json_add_hex(doc, "user_data", r->user_data, r->user_data_len);
	else
		cgs_json_add_str(doc, "user_data", NULL);
	cgs_json_add(doc, "additional_data", additional_json(r));
	cgs_json_add_u64hex(doc, "attestation_flags", r->attestation_flags);
	cgs_json_add_hex(doc, "measurement", r->measurement, 64);
	cgs_json_add_u64hex(hdr, "offset", r->header_offset);
	cgs_json_add_int(hdr, "size", r->header_size);
	cgs_json_add_hex(hdr, "tag", r->header_tag, 16);
	cgs_json_add(doc, "se_header", hdr);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static int print_text(const struct cgs_s390_verify_out *r, const struct cgs_verdict *v)
{
	char hex[2 * 512 + 1];
	const struct s390_arcb_add_part *p;
	size_t n;

	printf("verified: %s\n", cgs_verdict_verified(v) ? "yes" : "no");
	cgs_hex_encode(r->config_uid, 16, hex);
	printf("config uid: 0x%s\n", hex);
	if (r->user_data) {
		cgs_hex_encode(r->user_data, r->user_data_len, hex);
		printf("user data: %s\n", hex);
	} else {
		printf("user data: none\n");
	}
	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = add_part(r, p[i].flag);

		if (!b)
			continue;
		cgs_hex_encode(b, p[i].size < 320 ? p[i].size : 256, hex);
		printf("%s: %s%s\n", p[i].name, hex, p[i].size > 256 ? "..." : "");
	}
	return fflush(stdout) || ferror(stdout);
}

static int write_user_data(const struct vctx *c, const struct cgs_s390_verify_out *r)
{
	struct cgs_diag d;

	if (!c->user_out)
		return 0;
	cgs_diag_clear(&d);
	if (cgs_write_file(c->user_out, r->user_data ? r->user_data : (const uint8_t *)"",
			   r->user_data_len, c->out_flags, &d))
		return cgs_log_diag(&d, "write", c->user_out);
	return 0;
}

static int verify_run(const struct vctx *c)
{
	struct cgs_s390_verify_in in = { c->input, c->hdr, c->arpk, c->secrets, c->n_secrets,
					 c->check_store, c->locked };
	struct cgs_s390_verify_out r;
	struct cgs_verdict v;
	struct cgs_diag d;
	enum cgs_err e;
	int rc;

	cgs_diag_clear(&d);
	cgs_verdict_init(&v);
	e = cgs_s390_verify(&in, &r, &v, &d);
	if (e)
		return cgs_log_diag(&d, r.step ? r.step : "verify", r.input);
	rc = cgs_opts.json ? print_json(&r, &v) : print_text(&r, &v);
	if (rc) {
		cgs_log_error("failed to write the result to stdout");
		rc = CGS_EXIT_FAILURE;
	} else if (!cgs_verdict_verified(&v)) {
		cgs_log_error("attestation response '%s' NOT VERIFIED: %s (field '%s')", c->input,
			      r.failure.text, r.failure.field);
		rc = CGS_EXIT_NOT_VERIFIED;
	} else {
		rc = write_user_data(c, &r);
		if (!rc)
			cgs_log_info("attestation response '%s' verified against the SE header in "
				     "'%s'", c->input, c->hdr);
	}
	cgs_s390_verify_out_free(&r);
	cgs_verdict_free(&v);
	return rc;
}

int verb_s390_verify(int argc, char **argv)
{
	struct vctx c;
	struct cgs_command cmd = {
		"cgs-verify s390 verify",
		"[OPTION]... -i RESPONSE --hdr IMAGE|HEADER -a ARPK",
		"Verify an IBM Z Secure Execution attestation response (as pvattest verify).",
		verify_options,
		CGS_COMMON_JSON,
		NULL,
		verify_option,
		&c,
	};
	int rc;

	memset(&c, 0, sizeof(c));
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (!c.input)
		return cgs_log_usage("missing option '--input'");
	if (!c.hdr)
		return cgs_log_usage("missing option '--hdr'");
	if (!c.arpk)
		return cgs_log_usage("missing option '--arpk'");
	return verify_run(&c);
}
