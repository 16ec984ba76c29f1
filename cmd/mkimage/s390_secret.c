// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage s390-secret: IBM Z Secure Execution add-secret requests as
 * pvsecret create makes them: meta, association, retrievable and update-cck
 * secrets bound to the SE header of an image, encrypted for host keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "cmd/mkimage/verbs.h"
#include "keys/s390_hostkeys.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/s390/s390_attest.h"

enum {
	KEY_HDR = CGS_KEY_FIRST,
	KEY_CUID_HEX,
	KEY_CUID,
	KEY_FLAGS,
	KEY_PCF,
	KEY_EXT_SECRET,
	KEY_CCK,
	KEY_USER_DATA,
	KEY_USER_SIGN_KEY,
	KEY_INPUT_SECRET,
	KEY_OUTPUT_SECRET,
	KEY_SECRET,
	KEY_TYPE,
	KEY_FORCE,
	KEY_X_PROT_KEY,
	KEY_X_CUST_KEY,
	KEY_X_IV,
	KEY_X_HDR_TAGS,
};

static const struct cgs_option secret_options[] = {
	S390_HOSTKEY_OPTIONS("the guest runs on"),
	{ "hdr", KEY_HDR, CGS_REQ_ARG, "FILE", "the SE image or its extracted SE header", 0 },
	{ "output", 'o', CGS_REQ_ARG, "FILE", "write the add-secret request", 0 },
	{ "cuid-hex", KEY_CUID_HEX, CGS_REQ_ARG, "HEX",
	  "bind to this 16-byte configuration unique ID", 0 },
	{ "cuid", KEY_CUID, CGS_REQ_ARG, "FILE",
	  "bind to the configuration unique ID in FILE (16 bytes, or text with 0x...)", 0 },
	{ "flags", KEY_FLAGS, CGS_REQ_ARG, "LIST", "request flags: disable-dump", 0 },
	{ "pcf", KEY_PCF, CGS_REQ_ARG, "HEX", "the whole 64-bit request flag word", 0 },
	{ "extension-secret", KEY_EXT_SECRET, CGS_REQ_ARG, "FILE",
	  "32-byte extension secret", 0 },
	{ "cck", KEY_CCK, CGS_REQ_ARG, "FILE",
	  "derive the extension secret from this 32-byte customer communication key", 0 },
	{ "user-data", KEY_USER_DATA, CGS_REQ_ARG, "FILE",
	  "arbitrary data for the request (up to 512 bytes, 256/128 when signed)", 0 },
	{ "user-sign-key", KEY_USER_SIGN_KEY, CGS_REQ_ARG, "FILE",
	  "sign the request with this EC P-521, RSA-2048 or RSA-3072 key", 0 },
	{ "input-secret", KEY_INPUT_SECRET, CGS_REQ_ARG, "FILE",
	  "association: the 32-byte secret (default: random)", 0 },
	{ "output-secret", KEY_OUTPUT_SECRET, CGS_REQ_ARG, "FILE",
	  "association: write the secret (mode 0600)", 0 },
	{ "secret", KEY_SECRET, CGS_REQ_ARG, "FILE",
	  "retrievable or update-cck: the secret value (key file for ec)", 0 },
	{ "type", KEY_TYPE, CGS_REQ_ARG, "TYPE",
	  "retrievable: plain, aes, aes-xts, hmac-sha or ec", 0 },
	{ "force", KEY_FORCE, CGS_NO_ARG, NULL, "replace existing output files", 0 },
	{ "x-prot-key", KEY_X_PROT_KEY, CGS_REQ_ARG, "FILE",
	  "use this 32-byte request protection key", CGS_OPT_EXPERIMENTAL },
	{ "x-cust-key", KEY_X_CUST_KEY, CGS_REQ_ARG, "FILE",
	  "use this secp521r1 customer key (PEM or raw scalar)", CGS_OPT_EXPERIMENTAL },
	{ "x-iv", KEY_X_IV, CGS_REQ_ARG, "HEX", "use this 12-byte GCM IV", CGS_OPT_EXPERIMENTAL },
	{ "x-hdr-tags", KEY_X_HDR_TAGS, CGS_REQ_ARG, "HEX",
	  "bind to these 208 bytes of SE header tags instead of --hdr (known-answer tests)",
	  CGS_OPT_EXPERIMENTAL },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct sctx {
	struct s390_hostkey_args hk;
	const char *hdr, *output, *cuid_file, *ext_file, *cck_file, *user_file, *sign_key;
	const char *in_secret, *out_secret, *secret_file, *type, *x_prot, *x_cust;
	const char *kind, *name;
	int has_cuid, has_iv, has_pcf, has_tags;
	uint8_t cuid[16], iv[12], tags[208];
	uint64_t pcf, flags;
	unsigned out_flags;
};

static int parse_flags(struct sctx *c, const char *arg)
{
	const char *p = arg;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == strlen("disable-dump") && !strncmp(p, "disable-dump", len))
			c->flags |= S390_ASRCB_FLAG_DISABLE_DUMP;
		else
			return cgs_log_usage("invalid argument '%.*s' for '--flags' (expected "
					     "disable-dump)", (int)len, p);
		p += len + (p[len] == ',');
	}
	return 0;
}

static int set_str(const char **dst, const char *arg)
{
	*dst = arg;
	return 0;
}

static int secret_option(void *ctx, int key, const char *arg)
{
	struct sctx *c = ctx;
	int rc = s390_hostkey_option(&c->hk, key, arg);

	if (rc >= 0)
		return rc;
	switch (key) {
	case KEY_HDR:
		return set_str(&c->hdr, arg);
	case 'o':
		return set_str(&c->output, arg);
	case KEY_CUID_HEX:
		c->has_cuid = 1;
		return cgs_arg_hex("--cuid-hex", arg, c->cuid, sizeof(c->cuid));
	case KEY_CUID:
		return set_str(&c->cuid_file, arg);
	case KEY_FLAGS:
		return parse_flags(c, arg);
	case KEY_PCF:
		c->has_pcf = 1;
		return cgs_arg_u64("--pcf", arg, UINT64_MAX, &c->pcf);
	case KEY_EXT_SECRET:
		return set_str(&c->ext_file, arg);
	case KEY_CCK:
		return set_str(&c->cck_file, arg);
	case KEY_USER_DATA:
		return set_str(&c->user_file, arg);
	case KEY_USER_SIGN_KEY:
		return set_str(&c->sign_key, arg);
	case KEY_INPUT_SECRET:
		return set_str(&c->in_secret, arg);
	case KEY_OUTPUT_SECRET:
		return set_str(&c->out_secret, arg);
	case KEY_SECRET:
		return set_str(&c->secret_file, arg);
	case KEY_TYPE:
		return set_str(&c->type, arg);
	case KEY_FORCE:
		c->out_flags |= CGS_OUT_FORCE;
		return 0;
	case KEY_X_PROT_KEY:
		return set_str(&c->x_prot, arg);
	case KEY_X_CUST_KEY:
		return set_str(&c->x_cust, arg);
	case KEY_X_IV:
		c->has_iv = 1;
		return cgs_arg_hex("--x-iv", arg, c->iv, sizeof(c->iv));
	case KEY_X_HDR_TAGS:
		c->has_tags = 1;
		return cgs_arg_hex("--x-hdr-tags", arg, c->tags, sizeof(c->tags));
	default:
		return 0;
	}
}

static int print_result(const struct sctx *c, const struct cgs_s390_secret_out *r)
{
	struct json_object *doc;
	char hex[65];
	int rc;

	if (!cgs_opts.json) {
		printf("secret type: %s\n", r->type_name);
		if (c->name) {
			cgs_hex_encode(r->id, 32, hex);
			printf("name: %s\nid: 0x%s\n", c->name, hex);
		}
		return fflush(stdout) || ferror(stdout) ? CGS_EXIT_FAILURE : 0;
	}
	doc = cgs_json_doc("cgs-mkimage");
	cgs_json_add_str(doc, "secret_type", r->type_name);
	cgs_json_add_int(doc, "secret_type_id", r->type_id);
	cgs_json_add_str(doc, "name", c->name);
	if (c->name)
		cgs_json_add_hex(doc, "id", r->id, 32);
	else
		cgs_json_add_str(doc, "id", NULL);
	cgs_json_add_u64hex(doc, "flags", r->flags);
	cgs_json_add_hex(doc, "cuid", r->cuid, 16);
	cgs_json_add_int(doc, "user_data_type", r->user_data_type);
	cgs_json_add_int(doc, "host_keys", (int64_t)r->n_hostkeys);
	cgs_json_add_hex(doc, "se_header_tag", r->header_tag, 16);
	cgs_json_add_int(doc, "size", (int64_t)r->size);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : 0;
}

static enum cgs_s390_secret_kind kind_of(const char *k)
{
	return !strcmp(k, "association") ? CGS_S390_SECRET_ASSOCIATION :
	       !strcmp(k, "retrievable") ? CGS_S390_SECRET_RETRIEVABLE :
	       !strcmp(k, "update-cck")  ? CGS_S390_SECRET_UPDATE_CCK :
					   CGS_S390_SECRET_META;
}

static int secret_run(const struct sctx *c)
{
	struct cgs_s390_secret_in in = {
		.header = c->hdr, .output = c->output, .force = !!(c->out_flags & CGS_OUT_FORCE),
		.kind = kind_of(c->kind), .name = c->name, .have_cuid = c->has_cuid,
		.cuid_file = c->cuid_file, .flags = (c->has_pcf ? c->pcf : 0) | c->flags,
		.ext_secret_file = c->ext_file, .cck_file = c->cck_file,
		.user_data_file = c->user_file, .user_sign_key = c->sign_key,
		.input_secret = c->in_secret, .output_secret = c->out_secret,
		.secret_file = c->secret_file, .type = c->type, .x_prot_key = c->x_prot,
		.x_cust_key = c->x_cust, .have_iv = c->has_iv, .have_tags = c->has_tags,
	};
	struct cgs_s390_secret_out r;
	struct cgs_diag d;
	int rc;

	memcpy(in.cuid, c->cuid, sizeof(in.cuid));
	s390_hostkey_args_view(&c->hk, &in.hostkeys);
	memcpy(in.iv, c->iv, sizeof(in.iv));
	memcpy(in.tags, c->tags, sizeof(in.tags));
	if (c->hk.no_verify)
		cgs_log_warn("host-key documents are not verified (--no-verify)");
	cgs_diag_clear(&d);
	if (cgs_s390_secret_build(&in, &r, &d))
		return cgs_log_diag(&d, r.step ? r.step : "build the add-secret request", r.input);
	rc = print_result(c, &r);
	if (rc)
		cgs_log_error("failed to write the result to stdout");
	else
		cgs_log_info("wrote add-secret request '%s' for %zu host key%s", c->output,
			     r.n_hostkeys, r.n_hostkeys == 1 ? "" : "s");
	return rc;
}

static int check_operands(struct sctx *c, int argc, char **argv, int i)
{
	if (i >= argc)
		return cgs_log_usage("missing secret type (meta, association, retrievable or "
				     "update-cck)");
	c->kind = argv[i++];
	if (!strcmp(c->kind, "retr"))
		c->kind = "retrievable";
	if (strcmp(c->kind, "meta") && strcmp(c->kind, "association") &&
	    strcmp(c->kind, "retrievable") && strcmp(c->kind, "update-cck"))
		return cgs_log_usage("unknown secret type '%s' (expected meta, association, "
				     "retrievable or update-cck)", c->kind);
	if (!strcmp(c->kind, "association") || !strcmp(c->kind, "retrievable")) {
		if (i >= argc)
			return cgs_log_usage("missing secret name for '%s'", c->kind);
		c->name = argv[i++];
	}
	if (i < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[i]);
	return 0;
}

static int check_options(const struct sctx *c)
{
	int assoc = !strcmp(c->kind, "association"), retr = !strcmp(c->kind, "retrievable");

	if (!c->hk.n_hkds)
		return cgs_log_usage("missing option '--host-key-document'");
	if (!c->hdr && !c->has_tags)
		return cgs_log_usage("missing option '--hdr'");
	if (!c->output)
		return cgs_log_usage("missing option '--output'");
	if (c->ext_file && c->cck_file)
		return cgs_log_usage("'--extension-secret' and '--cck' exclude each other");
	if (c->has_cuid && c->cuid_file)
		return cgs_log_usage("'--cuid-hex' and '--cuid' exclude each other");
	if ((c->in_secret || c->out_secret) && !assoc)
		return cgs_log_usage("'--input-secret' and '--output-secret' need 'association'");
	if (c->type && !retr)
		return cgs_log_usage("'--type' needs 'retrievable'");
	if (retr && (!c->type || !c->secret_file))
		return cgs_log_usage("'retrievable' needs '--secret' and '--type'");
	if (retr && strcmp(c->type, "plain") && strcmp(c->type, "aes") &&
	    strcmp(c->type, "aes-xts") && strcmp(c->type, "hmac-sha") && strcmp(c->type, "ec"))
		return cgs_log_usage("invalid argument '%s' for '--type' (expected plain, aes, "
				     "aes-xts, hmac-sha or ec)", c->type);
	if (!strcmp(c->kind, "update-cck") && !c->secret_file)
		return cgs_log_usage("'update-cck' needs '--secret'");
	if (c->secret_file && !retr && strcmp(c->kind, "update-cck"))
		return cgs_log_usage("'--secret' needs 'retrievable' or 'update-cck'");
	return 0;
}

int verb_s390_secret(int argc, char **argv)
{
	struct sctx c;
	struct cgs_command cmd = {
		"cgs-mkimage s390-secret",
		"[OPTION]... -k HKD --hdr IMAGE -o REQUEST (meta | association NAME | "
		"retrievable NAME | update-cck)",
		"Create an IBM Z Secure Execution add-secret request (as pvsecret create).",
		secret_options,
		CGS_COMMON_JSON,
		"The guest adds the secret with 'pvsecret add REQUEST'.",
		secret_option,
		&c,
	};
	int optind_, rc;

	memset(&c, 0, sizeof(c));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	rc = check_operands(&c, argc, argv, optind_);
	if (!rc)
		rc = check_options(&c);
	if (!rc)
		rc = secret_run(&c);
	return rc;
}
