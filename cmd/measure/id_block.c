// SPDX-License-Identifier: MIT
/*
 * cgs-measure id-block: the SNP ID block and ID authentication information for
 * SNP_LAUNCH_FINISH (QEMU's id-block=/id-auth=), as sev-snp-measure's
 * snp-create-id-block, with configurable fields and JSON output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/measure/verbs.h"
#include "formats/snp_id_block.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/snp/snp_id_key.h"

enum {
	OPT_MEASUREMENT = CGS_KEY_FIRST,
	OPT_ID_KEY,
	OPT_AUTHOR_KEY,
	OPT_FAMILY_ID,
	OPT_IMAGE_ID,
	OPT_GUEST_SVN,
	OPT_POLICY,
};

static const struct cgs_option options[] = {
	{ "measurement", OPT_MEASUREMENT, CGS_REQ_ARG, "VALUE",
	  "expected launch digest: base64 (as snp-create-id-block) or 96 hex digits", 0 },
	{ "id-key", OPT_ID_KEY, CGS_REQ_ARG, "PEM", "ID key: EC P-384 private key (required)", 0 },
	{ "idkey", OPT_ID_KEY, CGS_REQ_ARG, "PEM", "alias of --id-key", CGS_OPT_ALIAS },
	{ "author-key", OPT_AUTHOR_KEY, CGS_REQ_ARG, "PEM",
	  "author key: EC P-384 private key signing the ID key", 0 },
	{ "authorkey", OPT_AUTHOR_KEY, CGS_REQ_ARG, "PEM", "alias of --author-key", CGS_OPT_ALIAS },
	{ "family-id", OPT_FAMILY_ID, CGS_REQ_ARG, "HEX", "FAMILY_ID, 16 bytes (default zero)", 0 },
	{ "image-id", OPT_IMAGE_ID, CGS_REQ_ARG, "HEX", "IMAGE_ID, 16 bytes (default zero)", 0 },
	{ "guest-svn", OPT_GUEST_SVN, CGS_REQ_ARG, "N", "GUEST_SVN (default 0)", 0 },
	{ "policy", OPT_POLICY, CGS_REQ_ARG, "VALUE",
	  "guest policy; must equal the launch policy (default 0x30000)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct idb_opts {
	struct snp_id_block blk;
	const char *measurement, *id_key, *author_key;
};

static int on_option(void *ctx, int key, const char *arg)
{
	struct idb_opts *o = ctx;
	uint64_t v;
	int rc;

	switch (key) {
	case OPT_MEASUREMENT:
		o->measurement = arg;
		return 0;
	case OPT_ID_KEY:
		o->id_key = arg;
		return 0;
	case OPT_AUTHOR_KEY:
		o->author_key = arg;
		return 0;
	case OPT_FAMILY_ID:
		return cgs_arg_hex("family-id", arg, o->blk.family_id, 16);
	case OPT_IMAGE_ID:
		return cgs_arg_hex("image-id", arg, o->blk.image_id, 16);
	case OPT_GUEST_SVN:
		rc = cgs_arg_u64("guest-svn", arg, UINT32_MAX, &v);
		o->blk.guest_svn = (uint32_t)v;
		return rc;
	case OPT_POLICY:
		return cgs_arg_u64("policy", arg, UINT64_MAX, &o->blk.policy);
	default:
		return 0;
	}
}

/* 96 hex digits, or base64 of 48 bytes */
static int parse_measurement(const char *s, uint8_t ld[48])
{
	uint8_t *raw = NULL;
	size_t len = 0;

	if (strlen(s) == 96 && !cgs_hex_decode(s, ld, 48, NULL, 1))
		return 0;
	if (!cgs_base64_decode(s, strlen(s), &raw, &len) && len == 48) {
		memcpy(ld, raw, 48);
		free(raw);
		return 0;
	}
	free(raw);
	return cgs_log_usage("invalid value for '--measurement' (expected a 48-byte launch "
			     "digest in base64 or as 96 hex digits)");
}

struct idb_out {
	uint8_t block[SNP_ID_BLOCK_LEN];
	uint8_t auth[SNP_ID_AUTH_LEN];
	struct snp_id_key id, author;
	int have_author;
};

static int build(const struct idb_opts *o, struct idb_out *out)
{
	uint8_t bsig[SNP_SIG_LEN], ksig[SNP_SIG_LEN];
	struct cgs_diag d;

	cgs_diag_clear(&d);
	snp_id_block_serialize(&o->blk, out->block);
	if (snp_id_key_load(o->id_key, &out->id, &d))
		return cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read" : "load", o->id_key);
	if (o->author_key) {
		if (snp_id_key_load(o->author_key, &out->author, &d))
			return cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read" : "load",
					    o->author_key);
		out->have_author = 1;
	}
	if (snp_id_key_sign(&out->id, out->block, SNP_ID_BLOCK_LEN, bsig, &d))
		return cgs_log_diag(&d, "sign the ID block with", o->id_key);
	if (out->have_author && snp_id_key_sign(&out->author, out->id.pub, SNP_PUBKEY_LEN, ksig, &d))
		return cgs_log_diag(&d, "sign the ID key with", o->author_key);
	snp_id_auth_build(bsig, out->id.pub, out->have_author ? ksig : NULL,
			  out->have_author ? out->author.pub : NULL, out->auth);
	return 0;
}

static int print_json(const struct idb_opts *o, const struct idb_out *out, const char *b_blk,
		      const char *b_auth)
{
	struct json_object *doc = cgs_json_doc("cgs-measure");
	int rc;

	rc = !doc || cgs_json_add_hex(doc, "measurement", o->blk.ld, 48) ||
	     cgs_json_add_str(doc, "id_block", b_blk) || cgs_json_add_str(doc, "id_auth", b_auth) ||
	     cgs_json_add_hex(doc, "id_key_digest", out->id.digest, 48) ||
	     (out->have_author ? cgs_json_add_hex(doc, "author_key_digest", out->author.digest, 48)
			       : 0) ||
	     cgs_json_add_hex(doc, "family_id", o->blk.family_id, 16) ||
	     cgs_json_add_hex(doc, "image_id", o->blk.image_id, 16) ||
	     cgs_json_add_int(doc, "guest_svn", o->blk.guest_svn) ||
	     cgs_json_add_u64hex(doc, "policy", o->blk.policy);
	if (!rc)
		rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static int print_result(const struct idb_opts *o, const struct idb_out *out)
{
	char b_blk[4 * ((SNP_ID_BLOCK_LEN + 2) / 3) + 1];
	char *b_auth = malloc(4 * ((SNP_ID_AUTH_LEN + 2) / 3) + 1);
	char b_key[4 * ((48 + 2) / 3) + 1];
	int rc = 0;

	if (!b_auth)
		return -1;
	cgs_base64_encode(out->block, SNP_ID_BLOCK_LEN, b_blk);
	cgs_base64_encode(out->auth, SNP_ID_AUTH_LEN, b_auth);
	if (cgs_opts.json) {
		rc = print_json(o, out, b_blk, b_auth);
	} else {
		printf("id-block=%s,id-auth=%s\n", b_blk, b_auth);
		cgs_base64_encode(out->id.digest, 48, b_key);
		printf("id_key_hash: %s\n", b_key);
		if (out->have_author) {
			cgs_base64_encode(out->author.digest, 48, b_key);
			printf("author_key: %s\n", b_key);
		}
		rc = fflush(stdout) ? -1 : 0;
	}
	free(b_auth);
	return rc;
}

int verb_id_block(int argc, char **argv)
{
	struct idb_opts o;
	struct cgs_command cmd = {
		"cgs-measure id-block",
		"--measurement VALUE --id-key PEM [--author-key PEM] [OPTION]...",
		"Create an SNP ID block and ID authentication information (ECDSA P-384).",
		options,
		CGS_COMMON_JSON,
		"Text output is that of snp-create-id-block: 'id-block=...,id-auth=...' (the "
		"values QEMU's\nsev-snp-guest object takes), then the key digests in base64.",
		on_option,
		&o,
	};
	struct idb_out *out;
	int rc;

	memset(&o, 0, sizeof(o));
	o.blk.version = 1;
	o.blk.policy = SNP_ID_BLOCK_DEFAULT_POLICY;
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (!o.measurement)
		return cgs_log_usage("missing --measurement VALUE");
	if (!o.id_key)
		return cgs_log_usage("missing --id-key PEM");
	rc = parse_measurement(o.measurement, o.blk.ld);
	if (rc)
		return rc;
	out = calloc(1, sizeof(*out));
	if (!out) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	rc = build(&o, out);
	if (!rc && print_result(&o, out)) {
		cgs_log_error("cannot write to standard output");
		rc = CGS_EXIT_FAILURE;
	}
	snp_id_key_free(&out->id);
	snp_id_key_free(&out->author);
	free(out);
	return rc;
}
