// SPDX-License-Identifier: MIT
/*
 * cgs-verify s390: IBM Z Secure Execution attestation as pvattest does it.
 * "create-request" builds an attestation request for host-key documents,
 * "verify" checks the guest's response against the SE header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "cmd/verify/s390.h"
#include "cmd/verify/verbs.h"
#include "keys/s390_hostkeys.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/io.h"
#include "lib/core/log.h"
#include "lib/s390/s390_attest.h"

static const struct cgs_verb s390_verbs[] = {
	{ "create-request", verb_s390_create_request,
	  "create an attestation request for host-key documents", 0 },
	{ "verify", verb_s390_verify, "verify an attestation response against the SE header", 0 },
	{ NULL, NULL, NULL, 0 },
};

static const struct cgs_tool s390_tool = {
	"cgs-verify s390",
	"IBM Z Secure Execution attestation: create requests, verify responses.",
	s390_verbs,
	NULL,
};

int verb_s390(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : NULL;

	if (a && !strcmp(a, "--list-options")) {
		/* for completion and the docs: the options of every sub-verb */
		char name[32], opt[] = "--list-options";
		char *sub[] = { name, opt, NULL };

		for (const struct cgs_verb *v = s390_verbs; v->name; v++) {
			snprintf(name, sizeof(name), "%s", v->name);
			v->run(2, sub);
		}
		return CGS_EXIT_OK;
	}
	if (a && a[0] == '-' && strcmp(a, "-h") && strcmp(a, "--help") && strcmp(a, "--version") &&
	    strcmp(a, "--list-verbs")) {
		cgs_log_set_help_cmd(s390_tool.name);
		return cgs_log_usage("unrecognized option '%s'", a);
	}
	return cgs_cli_dispatch(&s390_tool, argc, argv);
}

/* ---- create-request ---- */

enum {
	KEY_ADD_DATA = CGS_KEY_FIRST,
	KEY_FORCE,
	KEY_X_ARPK,
	KEY_X_CUST_KEY,
	KEY_X_IV,
	KEY_X_NONCE,
	KEY_X_MEAS_KEY,
	KEY_X_NO_NONCE,
};

static const struct cgs_option creq_options[] = {
	S390_HOSTKEY_OPTIONS("to attest on"),
	{ "output", 'o', CGS_REQ_ARG, "FILE", "write the request (pvattest exchange format)", 0 },
	{ "arpk", 'a', CGS_REQ_ARG, "FILE", "write the request protection key (mode 0600)", 0 },
	{ "add-data", KEY_ADD_DATA, CGS_REQ_ARG, "LIST",
	  "ask for additional data: phkh-img,phkh-att,secret-store-hash,firmware-state", 0 },
	{ "force", KEY_FORCE, CGS_NO_ARG, NULL, "replace existing output files", 0 },
	{ "x-arpk", KEY_X_ARPK, CGS_REQ_ARG, "FILE", "use this 32-byte request protection key",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-cust-key", KEY_X_CUST_KEY, CGS_REQ_ARG, "FILE",
	  "use this secp521r1 customer key (PEM or raw scalar)", CGS_OPT_EXPERIMENTAL },
	{ "x-iv", KEY_X_IV, CGS_REQ_ARG, "HEX", "use this 12-byte GCM IV", CGS_OPT_EXPERIMENTAL },
	{ "x-nonce", KEY_X_NONCE, CGS_REQ_ARG, "HEX", "use this 16-byte nonce",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-meas-key", KEY_X_MEAS_KEY, CGS_REQ_ARG, "FILE", "use this 64-byte measurement key",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-no-nonce", KEY_X_NO_NONCE, CGS_NO_ARG, NULL, "request without a nonce (as C pvattest)",
	  CGS_OPT_EXPERIMENTAL },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct creq {
	struct s390_hostkey_args hk;
	const char *output, *arpk_out, *x_arpk, *x_cust, *x_meas;
	uint64_t paf;
	unsigned out_flags;
	int has_iv, has_nonce;
	uint8_t iv[12], nonce[16];
};

static int parse_add_data(struct creq *c, const char *arg)
{
	static const struct {
		const char *name;
		uint64_t flag;
	} names[] = {
		{ "phkh-img", S390_PAF_PHKH_IMG },
		{ "phkh-att", S390_PAF_PHKH_ATT },
		{ "secret-store-hash", S390_PAF_SECRET_STORE_HASH },
		{ "firmware-state", S390_PAF_FIRMWARE_STATE },
	};
	const char *p = arg;

	while (*p) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len && !strncmp(names[i].name, p, len))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return cgs_log_usage("invalid argument '%.*s' for '--add-data' (expected "
					     "phkh-img, phkh-att, secret-store-hash or "
					     "firmware-state)", (int)len, p);
		c->paf |= names[i].flag;
		p += len + (p[len] == ',');
	}
	return 0;
}

static int creq_option(void *ctx, int key, const char *arg)
{
	struct creq *c = ctx;
	int rc = s390_hostkey_option(&c->hk, key, arg);

	if (rc >= 0)
		return rc;
	switch (key) {
	case 'o':
		c->output = arg;
		return 0;
	case 'a':
		c->arpk_out = arg;
		return 0;
	case KEY_ADD_DATA:
		return parse_add_data(c, arg);
	case KEY_FORCE:
		c->out_flags |= CGS_OUT_FORCE;
		return 0;
	case KEY_X_ARPK:
		c->x_arpk = arg;
		return 0;
	case KEY_X_CUST_KEY:
		c->x_cust = arg;
		return 0;
	case KEY_X_MEAS_KEY:
		c->x_meas = arg;
		return 0;
	case KEY_X_IV:
		c->has_iv = 1;
		return cgs_arg_hex("--x-iv", arg, c->iv, sizeof(c->iv));
	case KEY_X_NONCE:
		c->has_nonce = 1;
		return cgs_arg_hex("--x-nonce", arg, c->nonce, sizeof(c->nonce));
	case KEY_X_NO_NONCE:
		c->paf &= ~S390_PAF_NONCE;
		return 0;
	default:
		return 0;
	}
}

static int creq_run(struct creq *c)
{
	struct cgs_s390_request_in in = {
		.output = c->output, .arpk = c->arpk_out, .force = !!(c->out_flags & CGS_OUT_FORCE),
		.paf = c->paf, .x_arpk = c->x_arpk, .x_cust_key = c->x_cust, .x_meas_key = c->x_meas,
		.have_iv = c->has_iv, .have_nonce = c->has_nonce,
	};
	struct cgs_s390_request_out r;
	struct cgs_diag d;

	s390_hostkey_args_view(&c->hk, &in.hostkeys);
	memcpy(in.iv, c->iv, sizeof(in.iv));
	memcpy(in.nonce, c->nonce, sizeof(in.nonce));
	if (c->hk.no_verify)
		cgs_log_warn("host-key documents are not verified (--no-verify)");
	cgs_diag_clear(&d);
	if (cgs_s390_request_build(&in, &r, &d))
		return cgs_log_diag(&d, r.step ? r.step : "build the attestation request", r.input);
	cgs_log_info("wrote attestation request '%s' for %zu host key%s and its protection "
		     "key '%s'", c->output, r.n_hostkeys, r.n_hostkeys == 1 ? "" : "s",
		     c->arpk_out);
	return 0;
}

int verb_s390_create_request(int argc, char **argv)
{
	struct creq c;
	struct cgs_command cmd = {
		"cgs-verify s390 create-request",
		"[OPTION]... -k HKD -o REQUEST -a ARPK",
		"Create an IBM Z Secure Execution attestation request (as pvattest create).",
		creq_options,
		0,
		"The request goes to the guest (pvattest perform); keep the protection key for "
		"'cgs-verify s390 verify'.",
		creq_option,
		&c,
	};
	int rc;

	memset(&c, 0, sizeof(c));
	c.paf = S390_PAF_NONCE;
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (!c.hk.n_hkds)
		return cgs_log_usage("missing option '--host-key-document'");
	if (!c.output)
		return cgs_log_usage("missing option '--output'");
	if (!c.arpk_out)
		return cgs_log_usage("missing option '--arpk'");
	if (!strcmp(c.output, c.arpk_out))
		return cgs_log_usage("'--output' and '--arpk' name the same file");
	return creq_run(&c);
}
