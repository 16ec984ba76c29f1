// SPDX-License-Identifier: MIT
/*
 * cgs-verify s390 verify: check a pvattest attestation response against the
 * SE header of the image and the request protection key (as pvattest verify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/verify/s390.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "formats/s390_asrcb.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_pv_image.h"

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

/* The extra checks on the additional data: host keys the Ultravisor used, secret store. */
struct phkh_checks {
	enum s390_check img, att, store;
};

static const uint8_t *add_part(const struct s390_attest_verdict *v, uint64_t flag)
{
	const struct s390_arcb_add_part *p;
	size_t n, off = 0;

	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		if (!(v->arcb.paf & p[i].flag))
			continue;
		if (p[i].flag == flag)
			return v->add + off;
		off += p[i].size;
	}
	return NULL;
}

static void phkh_check(const struct s390_attest_verdict *v, const struct s390_pv_hdr *h,
		       struct phkh_checks *pc)
{
	const uint8_t *img = add_part(v, S390_PAF_PHKH_IMG);
	const uint8_t *att = add_part(v, S390_PAF_PHKH_ATT);

	pc->img = pc->att = S390_CHECK_SKIP;
	if (v->measurement != S390_CHECK_PASS)
		return;
	if (img)
		pc->img = s390_attest_hdr_has_phkh(h, img) ? S390_CHECK_PASS : S390_CHECK_FAIL;
	if (att)
		pc->att = s390_uvreq_find_slot(v->arcb.slots, v->arcb.hdr.nks, att) >= 0 ?
				  S390_CHECK_PASS :
				  S390_CHECK_FAIL;
}

/* Compare the reported secret-store hash with the one of the given requests. */
static void store_check(const struct s390_attest_verdict *v, const uint8_t *want,
			struct phkh_checks *pc)
{
	const uint8_t *got = add_part(v, S390_PAF_SECRET_STORE_HASH);

	pc->store = S390_CHECK_SKIP;
	if (!want || v->measurement != S390_CHECK_PASS)
		return;
	pc->store = got && cgs_ct_equal(got, want, 64) ? S390_CHECK_PASS : S390_CHECK_FAIL;
}

static const char *check_str(enum s390_check c)
{
	return c == S390_CHECK_PASS ? "pass" : c == S390_CHECK_FAIL ? "fail" : "skip";
}

static struct json_object *check_json(const char *name, enum s390_check r, const char *reason,
				      const char *expected, const char *actual)
{
	struct json_object *o = json_object_new_object();

	cgs_json_add_str(o, "name", name);
	cgs_json_add_str(o, "result", check_str(r));
	cgs_json_add_str(o, "expected", r == S390_CHECK_SKIP ? NULL : expected);
	cgs_json_add_str(o, "actual", r == S390_CHECK_SKIP ? NULL : actual);
	cgs_json_add_str(o, "reason", r == S390_CHECK_FAIL ? reason : NULL);
	return o;
}

/* The checks with expected and actual values where there are some. */
static struct json_object *checks_json(const struct s390_attest_verdict *v,
				       const struct phkh_checks *pc, const char *why)
{
	struct json_object *a = json_object_new_array();
	char want[2 * 64 + 1], got[2 * 64 + 1], wn[24], gn[24];

	cgs_hex_encode(v->computed, 64, want);
	cgs_hex_encode(v->measured, 64, got);
	snprintf(wn, sizeof(wn), "%zu", s390_arcb_additional_size(v->arcb.paf));
	snprintf(gn, sizeof(gn), "%zu", v->add_len);
	json_object_array_add(a, check_json("request_decryption", v->decrypt, why, NULL, NULL));
	json_object_array_add(a, check_json("additional_data_size", v->add_size, why, wn, gn));
	json_object_array_add(a, check_json("measurement", v->measurement, why, want, got));
	json_object_array_add(a, check_json("image_phkh", pc->img,
					    "the image host-key hash is not in a key slot of the "
					    "SE header", NULL, NULL));
	json_object_array_add(a, check_json("attestation_phkh", pc->att,
					    "the attestation host-key hash is not in a key slot "
					    "of the request", NULL, NULL));
	json_object_array_add(a, check_json("secret_store_hash", pc->store,
					    "the secret-store hash differs from the given "
					    "add-secret requests (or was not requested)", NULL, NULL));
	return a;
}

static struct json_object *additional_json(const struct s390_attest_verdict *v)
{
	const struct s390_arcb_add_part *p;
	struct json_object *o;
	size_t n;

	if (!v->add_len || v->add_size != S390_CHECK_PASS)
		return NULL;
	o = json_object_new_object();
	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = add_part(v, p[i].flag);

		if (b)
			cgs_json_add_hex(o, p[i].name, b, p[i].size);
	}
	return o;
}

static int print_json(const struct s390_attest_verdict *v, const struct phkh_checks *pc,
		      const struct s390_pv_hdr *h, uint64_t off, int verified, const char *why)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *hdr = json_object_new_object();
	int rc;

	cgs_json_add_bool(doc, "verified", verified);
	cgs_json_add_str(doc, "evidence", "s390");
	cgs_json_add(doc, "checks", checks_json(v, pc, why));
	cgs_json_add_hex(doc, "config_uid", v->cuid, 16);
	if (v->user)
		cgs_json_add_hex(doc, "user_data", v->user, v->user_len);
	else
		cgs_json_add_str(doc, "user_data", NULL);
	cgs_json_add(doc, "additional_data", additional_json(v));
	cgs_json_add_u64hex(doc, "attestation_flags", v->arcb.paf);
	cgs_json_add_hex(doc, "measurement", v->measured, 64);
	cgs_json_add_u64hex(hdr, "offset", off);
	cgs_json_add_int(hdr, "size", h->size);
	cgs_json_add_hex(hdr, "tag", h->tag, 16);
	cgs_json_add(doc, "se_header", hdr);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static void print_text(const struct s390_attest_verdict *v, int verified)
{
	char hex[2 * 512 + 1];
	const struct s390_arcb_add_part *p;
	size_t n;

	printf("verified: %s\n", verified ? "yes" : "no");
	cgs_hex_encode(v->cuid, 16, hex);
	printf("config uid: 0x%s\n", hex);
	if (v->user) {
		cgs_hex_encode(v->user, v->user_len, hex);
		printf("user data: %s\n", hex);
	} else {
		printf("user data: none\n");
	}
	if (v->add_size != S390_CHECK_PASS)
		return;
	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = add_part(v, p[i].flag);

		if (!b)
			continue;
		cgs_hex_encode(b, p[i].size < 320 ? p[i].size : 256, hex);
		printf("%s: %s%s\n", p[i].name, hex, p[i].size > 256 ? "..." : "");
	}
}

struct vinputs {
	int has_store;
	uint8_t store[64];
	uint8_t *resp;
	size_t resp_len;
	struct s390_exchange x;
	struct s390_pv_hdr *hdr;
	uint64_t hdr_off;
	uint8_t arpk[32];
};

/* The secret-store hash the given add-secret requests (and lock state) must give. */
static int expected_store(const struct vctx *c, struct vinputs *in)
{
	uint8_t (*tags)[16] = calloc(c->n_secrets ? c->n_secrets : 1, 16);
	struct cgs_diag d;
	int rc = 0;

	cgs_diag_clear(&d);
	if (!tags)
		return CGS_EXIT_FAILURE;
	for (size_t i = 0; i < c->n_secrets && !rc; i++) {
		uint8_t *b = NULL;
		size_t n = 0;
		struct s390_asrcb a;

		if (cgs_read_file(c->secrets[i], S390_UVREQ_MAX_LEN, &b, &n, &d))
			rc = cgs_log_diag(&d, "read", c->secrets[i]);
		else if (s390_asrcb_parse(b, n, &a, &d))
			rc = cgs_log_diag(&d, "parse", c->secrets[i]);
		else
			memcpy(tags[i], b + n - S390_UVREQ_TAG_SIZE, 16);
		free(b);
	}
	if (!rc && s390_attest_secret_store_hash((const uint8_t(*)[16])tags, c->n_secrets,
						 c->locked, in->store, &d))
		rc = cgs_log_diag(&d, "hash the secret store", NULL);
	in->has_store = !rc;
	free(tags);
	return rc;
}

static int read_inputs(const struct vctx *c, struct vinputs *in)
{
	struct cgs_diag d;
	int rc;

	cgs_diag_clear(&d);
	if (cgs_read_file(c->input, 2u << 20, &in->resp, &in->resp_len, &d))
		return cgs_log_diag(&d, "read", c->input);
	if (s390_exchange_parse(in->resp, in->resp_len, &in->x, &d))
		return cgs_log_diag(&d, "parse", c->input);
	in->hdr = malloc(sizeof(*in->hdr));
	if (!in->hdr) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	if (s390_pv_image_read_hdr(c->hdr, in->hdr, &in->hdr_off, &d))
		return cgs_log_diag(&d, "read the SE header from", c->hdr);
	rc = s390_read_exact(c->arpk, in->arpk, 32, "a request protection key");
	if (!rc && c->check_store)
		rc = expected_store(c, in);
	return rc;
}

static int write_user_data(const struct vctx *c, const struct s390_attest_verdict *v)
{
	struct cgs_diag d;

	if (!c->user_out)
		return 0;
	cgs_diag_clear(&d);
	if (cgs_write_file(c->user_out, v->user ? v->user : (const uint8_t *)"", v->user_len,
			   c->out_flags, &d))
		return cgs_log_diag(&d, "write", c->user_out);
	return 0;
}

static int verify_run(const struct vctx *c)
{
	struct vinputs in;
	struct s390_attest_verdict v;
	struct phkh_checks pc = { S390_CHECK_SKIP, S390_CHECK_SKIP, S390_CHECK_SKIP };
	uint8_t tags[S390_PV_HDR_TAGS_SIZE];
	struct cgs_diag d;
	enum cgs_err e;
	int rc, verified;

	memset(&in, 0, sizeof(in));
	cgs_diag_clear(&d);
	rc = read_inputs(c, &in);
	if (rc)
		goto out;
	s390_pv_hdr_tags(in.hdr, tags);
	e = s390_attest_verify(&in.x, tags, in.arpk, &v, &d);
	if (e && e != CGS_E_VERIFY) {
		rc = cgs_log_diag(&d, "verify", c->input);
		goto out;
	}
	phkh_check(&v, in.hdr, &pc);
	store_check(&v, in.has_store ? in.store : NULL, &pc);
	if (!e && pc.img == S390_CHECK_FAIL)
		e = cgs_diag_set(&d, CGS_E_VERIFY, "image phkh", CGS_DIAG_NO_OFFSET,
				 "the image host-key hash is not in a key slot of the SE header");
	if (!e && pc.att == S390_CHECK_FAIL)
		e = cgs_diag_set(&d, CGS_E_VERIFY, "attestation phkh", CGS_DIAG_NO_OFFSET,
				 "the attestation host-key hash is not in a key slot of the request");
	if (!e && pc.store == S390_CHECK_FAIL)
		e = cgs_diag_set(&d, CGS_E_VERIFY, "secret store hash", CGS_DIAG_NO_OFFSET,
				 add_part(&v, S390_PAF_SECRET_STORE_HASH) ?
					 "the secret-store hash differs from the given add-secret "
					 "requests" :
					 "the response has no secret-store hash (create the request "
					 "with --add-data secret-store-hash)");
	verified = e == CGS_OK;
	if (cgs_opts.json)
		rc = print_json(&v, &pc, in.hdr, in.hdr_off, verified, d.text);
	else
		print_text(&v, verified);
	if (rc) {
		cgs_log_error("failed to write the result to stdout");
		rc = CGS_EXIT_FAILURE;
		goto out;
	}
	if (!verified) {
		cgs_log_error("attestation response '%s' NOT VERIFIED: %s (field '%s')", c->input,
			      d.text, d.field);
		rc = CGS_EXIT_NOT_VERIFIED;
		goto out;
	}
	rc = write_user_data(c, &v);
	if (!rc)
		cgs_log_info("attestation response '%s' verified against the SE header in '%s'",
			     c->input, c->hdr);
out:
	cgs_wipe(in.arpk, sizeof(in.arpk));
	cgs_wipe(&v, sizeof(v));
	free(in.resp);
	free(in.hdr);
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
	int optind_, rc;

	memset(&c, 0, sizeof(c));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (!c.input)
		return cgs_log_usage("missing option '--input'");
	if (!c.hdr)
		return cgs_log_usage("missing option '--hdr'");
	if (!c.arpk)
		return cgs_log_usage("missing option '--arpk'");
	return verify_run(&c);
}
