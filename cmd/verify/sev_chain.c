// SPDX-License-Identifier: MIT
/*
 * cgs-verify sev-chain: check a SEV platform certificate chain (ARK, ASK, CEK,
 * OCA, PEK, PDH in AMD's SEV format) and optionally a SEV ATTESTATION report:
 * read the files, call cgs_sev_chain_verify() (lib/sev/sev_verify.c), print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/sev.h>

#include "cmd/verify/sev_inputs.h"
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/sev/sev_verify.h"

#define MAX_SMALL_FILE (64u << 10)

enum {
	KEY_ARK = CGS_KEY_FIRST,
	KEY_ASK,
	KEY_CEK,
	KEY_OCA,
	KEY_PEK,
	KEY_PDH,
	KEY_ATTESTATION,
	KEY_TRUSTED_ARK,
	KEY_EXPECTED,
	KEY_EXPECTED_DIGEST,
};

static const struct cgs_option chain_options[] = {
	{ "ark", KEY_ARK, CGS_REQ_ARG, "FILE", "AMD root key (SEV CA format; must be pinned)", 0 },
	{ "ask", KEY_ASK, CGS_REQ_ARG, "FILE", "AMD SEV signing key (SEV CA format)", 0 },
	{ "cek", KEY_CEK, CGS_REQ_ARG, "FILE", "chip endorsement key certificate", 0 },
	{ "oca", KEY_OCA, CGS_REQ_ARG, "FILE", "owner certificate authority certificate", 0 },
	{ "pek", KEY_PEK, CGS_REQ_ARG, "FILE", "platform endorsement key certificate", 0 },
	{ "pdh", KEY_PDH, CGS_REQ_ARG, "FILE", "platform Diffie-Hellman key certificate", 0 },
	{ "attestation", KEY_ATTESTATION, CGS_REQ_ARG, "FILE",
	  "SEV ATTESTATION report (0xD0 bytes) to verify with the PEK", 0 },
	{ "trusted-ark", KEY_TRUSTED_ARK, CGS_REQ_ARG, "FILE",
	  "trust this ARK instead of the pinned AMD ARKs (the --ark must equal it)", 0 },
	{ "expected", KEY_EXPECTED, CGS_REQ_ARG, "FILE",
	  "expected launch digest of the attestation report (cgs-measure --json)", 0 },
	{ "expected-digest", KEY_EXPECTED_DIGEST, CGS_REQ_ARG, "HEX",
	  "expected launch digest of the attestation report (repeatable)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

enum { F_TRUSTED = CGS_SEV_N_CERTS, F_ATT, F_COUNT };

static const char *const file_opt[F_COUNT] = { "ark", "ask", "cek", "oca",
					       "pek", "pdh", "trusted-ark", "attestation" };

struct chain_opts {
	const char *path[F_COUNT];
	uint8_t *data[F_COUNT];
	size_t len[F_COUNT];
	const char *expected;
	struct cgs_sev_expected_list list;
};

static int chain_on_option(void *ctx, int key, const char *arg)
{
	struct chain_opts *o = ctx;

	if (key == KEY_EXPECTED) {
		o->expected = arg;
		return 0;
	}
	if (key == KEY_EXPECTED_DIGEST)
		return sev_add_expected(&o->list, NULL, arg);
	if (key >= KEY_ARK && key <= KEY_PDH)
		o->path[key - KEY_ARK] = arg;
	else if (key == KEY_ATTESTATION)
		o->path[F_ATT] = arg;
	else if (key == KEY_TRUSTED_ARK)
		o->path[F_TRUSTED] = arg;
	return 0;
}

static int chain_report(const struct cgs_sev_chain_result *r, int att)
{
	struct json_object *doc;

	if (!cgs_opts.json) {
		sev_print_checks(&r->verdict);
		if (r->verified)
			printf("VERIFIED: SEV platform chain%s%s%s\n", r->product ? " of AMD " : "",
			       r->product ? r->product : " (trusted ARK)",
			       att ? " and attestation report" : "");
		else
			printf("NOT VERIFIED\n");
		if (fflush(stdout))
			return cgs_log_error("cannot write the result to stdout"), CGS_EXIT_FAILURE;
		return r->verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
	}
	doc = sev_verdict_doc("sev-chain", r->verified, &r->verdict);
	if (!doc)
		return sev_print_doc(doc, 0);
	cgs_json_add_str(doc, "product", r->product);
	cgs_json_add_hex(doc, "ark_sha256", r->ark_sha256, 32);
	cgs_json_add(doc, "certificates", sev_chain_certs_json(r));
	if (att)
		cgs_json_add(doc, "attestation", sev_chain_attestation_json(r));
	return sev_print_doc(doc, r->verified);
}

static int run_chain(struct chain_opts *o)
{
	struct cgs_sev_chain_in in;
	struct cgs_sev_chain_result res;
	struct cgs_diag d;
	int rc = 0;

	memset(&in, 0, sizeof(in));
	for (int i = 0; i < F_COUNT && !rc; i++) {
		cgs_diag_clear(&d);
		if (o->path[i] && cgs_read_file(o->path[i], MAX_SMALL_FILE, &o->data[i], &o->len[i], &d))
			rc = cgs_log_diag(&d, "read", o->path[i]);
	}
	if (rc)
		return rc;
	for (int i = 0; i < CGS_SEV_N_CERTS; i++)
		in.cert[i] = o->data[i], in.cert_len[i] = o->len[i];
	in.trusted_ark = o->data[F_TRUSTED], in.trusted_ark_len = o->len[F_TRUSTED];
	in.attestation = o->data[F_ATT], in.attestation_len = o->len[F_ATT];
	in.expected = &o->list;
	cgs_diag_clear(&d);
	if (cgs_sev_chain_verify(&in, &res, &d))
		return res.err_input >= 0 && res.err_input < F_COUNT && d.err == CGS_E_MALFORMED
			   ? cgs_log_diag(&d, "parse", o->path[res.err_input])
			   : cgs_log_diag(&d, "verify the chain", NULL);
	rc = chain_report(&res, o->path[F_ATT] != NULL);
	cgs_sev_chain_result_free(&res);
	return rc;
}

int verb_sev_chain(int argc, char **argv)
{
	static struct chain_opts o;
	struct cgs_command cmd = {
		"cgs-verify sev-chain",
		"--ark FILE --ask FILE --cek FILE --oca FILE --pek FILE --pdh FILE "
		"[--attestation FILE [--expected FILE]] [--trusted-ark FILE]",
		"Verify a legacy SEV platform certificate chain (and a SEV ATTESTATION report).",
		chain_options,
		CGS_COMMON_JSON,
		"Chain: ARK (pinned, self-signed) -> ASK -> CEK -> PEK <- OCA (self-signed);\n"
		"PEK -> PDH. Without --ark, the --trusted-ark is used as the ARK.",
		chain_on_option,
		&o,
	};
	int optind_, rc;

	memset(&o, 0, sizeof(o));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		rc = cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (rc < 0 && !o.path[CGS_SEV_ARK])
		o.path[CGS_SEV_ARK] = o.path[F_TRUSTED];
	for (int i = 0; i < CGS_SEV_N_CERTS && rc < 0; i++)
		if (!o.path[i])
			rc = cgs_log_usage("missing '--%s FILE' (the chain needs --ark, --ask, "
					   "--cek, --oca, --pek and --pdh)", file_opt[i]);
	if (rc < 0 && (o.expected || o.list.n) && !o.path[F_ATT])
		rc = cgs_log_usage("'--expected' and '--expected-digest' need '--attestation FILE'");
	if (rc < 0)
		rc = o.expected ? sev_add_expected(&o.list, o.expected, NULL) : 0;
	if (!rc)
		rc = run_chain(&o);
	for (int i = 0; i < F_COUNT; i++)
		free(o.data[i]);
	cgs_sev_expected_free(&o.list);
	return rc;
}
