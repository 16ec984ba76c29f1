// SPDX-License-Identifier: MIT
/*
 * cgs-verify snp: parse the options into the library's inputs and policy,
 * call cgs_snp_verify() (lib/snp/snp_verify.c: the check pipeline) and print
 * the verdict as text or JSON. Also the `show` and `kds-url` verbs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cgs/snp.h>

#include "cmd/verify/snp_fetch.h"
#include "cmd/verify/snp_show.h"
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/err.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/verdict.h"
#include "lib/snp/snp_verify.h"

#define MAX_FILES 16
#define MAX_MEAS 64

struct file_list {
	const char *v[MAX_FILES];
	size_t n;
};

struct opts {
	const char *report;
	int have_at;
	struct file_list files[6], expected; /* indexed by key - OPT_VCEK */
	struct cgs_snp_expected docs[MAX_MEAS];
	size_t n_docs;
	struct cgs_name_list skip;
	uint64_t repeat;
	struct cgs_snp_inputs in;
	struct cgs_snp_policy pol;
	const struct cgs_command *cmd; /* for --policy-file */
};

enum {
	OPT_VCEK = CGS_KEY_FIRST,
	OPT_VLEK,
	OPT_CERT_CHAIN,
	OPT_CERTS,
	OPT_CERT_TABLE,
	OPT_CRL,
	OPT_PRODUCT,
	OPT_AT,
	OPT_TRUSTED_ARK,
	OPT_EXPECTED,
	OPT_EXPECTED_MEAS,
	OPT_REPORT_DATA,
	OPT_HOST_DATA,
	OPT_FAMILY_ID,
	OPT_IMAGE_ID,
	OPT_ID_KEY,
	OPT_AUTHOR_KEY,
	OPT_MIN_TCB,
	OPT_MIN_LAUNCH_TCB,
	OPT_MIN_FW,
	OPT_MIN_SVN,
	OPT_VMPL,
	OPT_POLICY_MAX,
	OPT_POLICY_REQ,
	OPT_ALLOW_DEBUG,
	OPT_ALLOW_PROV,
	OPT_ALLOW_VERSION,
	OPT_SKIP,
	OPT_PLATFORM_REQ,
	OPT_PLATFORM_FORBID,
	OPT_MIN_MIT,
	OPT_X_REPEAT,
};

static const struct cgs_option options[] = {
    {"report", 'r', CGS_REQ_ARG, "FILE", "the attestation report (1184 bytes)", 0},
    {"vcek", OPT_VCEK, CGS_REQ_ARG, "FILE", "the VCEK (PEM or DER; more PEM certs may follow)", 0},
    {"vlek", OPT_VLEK, CGS_REQ_ARG, "FILE", "the VLEK (PEM or DER)", 0},
    {"cert-chain", OPT_CERT_CHAIN, CGS_REQ_ARG, "FILE",
     "ASK/ASVK + ARK bundle as AMD KDS serves it (PEM, DER or PkiPath)", 0},
    {"certs", OPT_CERTS, CGS_REQ_ARG, "DIR", "a directory of certificates and CRLs", 0},
    {"cert-table", OPT_CERT_TABLE, CGS_REQ_ARG, "FILE", "the extended-report certificate table", 0},
    {"crl", OPT_CRL, CGS_REQ_ARG, "FILE", "an AMD CRL (DER or PEM) to check revocation", 0},
    {"product", OPT_PRODUCT, CGS_REQ_ARG, "NAME",
     "milan, genoa, bergamo, siena or turin (needed for version 2 reports)", 0},
    {"at", OPT_AT, CGS_REQ_ARG, "TIME", "check validity at this RFC 3339 time", 0},
    {"trusted-ark", OPT_TRUSTED_ARK, CGS_REQ_ARG, "FILE",
     "trust this ARK instead of AMD's pinned roots", 0},
    {"expected", OPT_EXPECTED, CGS_REQ_ARG, "FILE",
     "cgs-measure --json output (a document or an array: any of them)", 0},
    {"expected-measurement", OPT_EXPECTED_MEAS, CGS_REQ_ARG, "HEX",
     "an accepted launch measurement (48 bytes; repeatable)", 0},
    {"report-data", OPT_REPORT_DATA, CGS_REQ_ARG, "HEX",
     "expected REPORT_DATA (up to 64 bytes, zero-padded)", 0},
    {"host-data", OPT_HOST_DATA, CGS_REQ_ARG, "HEX", "expected HOST_DATA (32 bytes)", 0},
    {"family-id", OPT_FAMILY_ID, CGS_REQ_ARG, "HEX", "expected FAMILY_ID (16 bytes)", 0},
    {"image-id", OPT_IMAGE_ID, CGS_REQ_ARG, "HEX", "expected IMAGE_ID (16 bytes)", 0},
    {"id-key-digest", OPT_ID_KEY, CGS_REQ_ARG, "HEX", "expected ID_KEY_DIGEST (48 bytes)", 0},
    {"author-key-digest", OPT_AUTHOR_KEY, CGS_REQ_ARG, "HEX",
     "expected AUTHOR_KEY_DIGEST (48 bytes)", 0},
    {"min-tcb", OPT_MIN_TCB, CGS_REQ_ARG, "TCB",
     "minimum REPORTED_TCB: hex TCB_VERSION or bl=4,snp=22,...", 0},
    {"min-launch-tcb", OPT_MIN_LAUNCH_TCB, CGS_REQ_ARG, "TCB", "minimum LAUNCH_TCB", 0},
    {"min-firmware", OPT_MIN_FW, CGS_REQ_ARG, "MAJ.MIN[.BUILD]",
     "minimum committed firmware version", 0},
    {"min-guest-svn", OPT_MIN_SVN, CGS_REQ_ARG, "N", "minimum GUEST_SVN", 0},
    {"vmpl", OPT_VMPL, CGS_REQ_ARG, "N", "required VMPL (default 0)", 0},
    {"policy-max", OPT_POLICY_MAX, CGS_REQ_ARG, "HEX",
     "most permissive policy: flags allowed, minimum ABI", 0},
    {"policy-require", OPT_POLICY_REQ, CGS_REQ_ARG, "HEX", "policy flags that must be set", 0},
    {"allow-debug", OPT_ALLOW_DEBUG, CGS_NO_ARG, NULL, "accept a debug-enabled guest", 0},
    {"require-committed", OPT_ALLOW_PROV, CGS_NO_ARG, NULL,
     "require committed TCB and firmware to equal the current ones", 0},
    {"allow-version", OPT_ALLOW_VERSION, CGS_REQ_ARG, "N",
     "accept report version N (besides 2, 3, 5)", 0},
    {"platform-require", OPT_PLATFORM_REQ, CGS_REQ_ARG, "HEX",
     "PLATFORM_INFO bits that must be set (e.g. 0x20 alias check complete)", 0},
    {"platform-forbid", OPT_PLATFORM_FORBID, CGS_REQ_ARG, "HEX",
     "PLATFORM_INFO bits that must be clear (e.g. 0x1 SMT)", 0},
    {"min-mit-vector", OPT_MIN_MIT, CGS_REQ_ARG, "HEX",
     "mitigation bits both vectors must contain (report version 5+)", 0},
    {"skip", OPT_SKIP, CGS_REQ_ARG, "CHECK[,CHECK]",
     "skip policy checks by name (shown as skip; authenticity checks cannot be skipped)", 0},
    SNP_PARITY_OPTIONS,
    SNP_CACHE_OPTIONS,
    SNP_VERIFY_INPUT_OPTIONS,
    {"x-repeat", OPT_X_REPEAT, CGS_REQ_ARG, "N",
     "benchmark: re-verify the report N times with the cached chain", CGS_OPT_EXPERIMENTAL},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int add_file(struct file_list *l, const char *arg)
{
	if (l->n == MAX_FILES)
		return cgs_log_usage("a file option is given more than %d times", MAX_FILES);
	l->v[l->n++] = arg;
	return 0;
}

static int add_measurement(struct opts *o, const char *arg)
{
	struct cgs_snp_expected *e;

	if (o->n_docs == MAX_MEAS)
		return cgs_log_usage("too many expected measurements");
	e = &o->docs[o->n_docs];
	memset(e, 0, sizeof(*e));
	if (cgs_hex_decode(arg, e->measurement, 48, NULL, 1))
		return cgs_log_usage("--expected-measurement: expected 48 bytes of hex");
	o->n_docs++;
	return 0;
}

/* every other option is a policy value: the library parses it by its name */
static int set_policy(struct opts *o, int key, const char *arg)
{
	struct cgs_diag d;

	for (const struct cgs_option *opt = options; opt->name; opt++) {
		if (opt->key != key)
			continue;
		cgs_diag_clear(&d);
		if (cgs_snp_policy_set(&o->pol, opt->name, arg, &d) == CGS_E_USAGE)
			return cgs_log_usage("%s", d.text);
		if (d.err) /* a key file that cannot be read or used */
			return cgs_log_error("%s", d.text), cgs_err_exit(d.err);
		o->have_at |= key == OPT_AT;
		return 0;
	}
	return 0;
}

static int on_option(void *ctx, int key, const char *arg)
{
	struct opts *o = ctx;
	int rc;

	if (key >= OPT_VCEK && key <= OPT_CRL && key != OPT_CERT_TABLE)
		return add_file(&o->files[key - OPT_VCEK], arg);
	switch (key) {
	case 'r':
		o->report = arg;
		return 0;
	case OPT_CERT_TABLE:
		o->in.cert_table = arg;
		return 0;
	case OPT_TRUSTED_ARK:
		o->in.trusted_ark = arg;
		return 0;
	case OPT_EXPECTED:
		return add_file(&o->expected, arg);
	case OPT_EXPECTED_MEAS:
		return add_measurement(o, arg);
	case OPT_SKIP:
		return cgs_arg_skip(&o->skip, cgs_snp_checks, arg);
	case OPT_X_REPEAT:
		return cgs_arg_u64("x-repeat", arg, 100000000, &o->repeat);
	default: /* --cache, --fetch, --kds, --policy-file; else a policy value */
		rc = snp_input_option(&o->in, o->cmd, key, arg);
		return rc >= 0 ? rc : set_policy(o, key, arg);
	}
}

/* ---- --expected documents (validated by the one reader, lib/core/expected) ---- */

static int load_expected(struct opts *o, const char *path)
{
	struct cgs_snp_expected *v;
	struct cgs_diag d;
	size_t n;

	cgs_diag_clear(&d);
	if (cgs_snp_expected_read(path, &v, &n, &d))
		return cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read" : "parse", path);
	if (n > MAX_MEAS - o->n_docs) {
		free(v);
		cgs_diag_set(&d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
			     "too many documents (at most %d in all)", MAX_MEAS);
		return cgs_log_diag(&d, "parse", path);
	}
	memcpy(&o->docs[o->n_docs], v, n * sizeof(*v));
	o->n_docs += n;
	free(v);
	return 0;
}

/* --x-repeat: the bench's figure (lib/snp/snp_verify.c) */
static void repeat_verify(const struct cgs_snp_detail *det, uint64_t allow_versions, uint64_t n)
{
	double cpu;
	uint64_t ok = snp_bench_repeat(det, allow_versions, n, &cpu);

	cgs_log_verbose("--x-repeat: %llu of %llu reports verified in %.3f s CPU: %.0f reports/s",
			(unsigned long long)ok, (unsigned long long)n, cpu,
			cpu > 0 ? (double)ok / cpu : 0.0);
}

/* ---- output ---- */

static int print_json(const struct cgs_snp_result *res)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *arr = json_object_new_array();
	const struct cgs_verdict *v = &res->verdict;
	int rc;

	if (!doc || !arr) {
		json_object_put(doc);
		json_object_put(arr);
		return -1;
	}
	cgs_json_add_bool(doc, "verified", res->verified);
	cgs_json_add_str(doc, "evidence", "snp");
	for (size_t i = 0; i < v->n; i++) {
		const struct cgs_check *c = &v->checks[i];
		struct json_object *j = json_object_new_object();

		if (!j)
			continue;
		cgs_json_add_str(j, "name", c->name);
		cgs_json_add_str(j, "result", cgs_check_result_str(c->result));
		cgs_json_add_str(j, "expected", c->expected[0] ? c->expected : NULL);
		cgs_json_add_str(j, "actual", c->actual[0] ? c->actual : NULL);
		cgs_json_add_str(j, "reason", c->reason);
		json_object_array_add(arr, j);
	}
	cgs_json_add(doc, "checks", arr);
	cgs_json_add(doc, "report", snp_report_json(&res->detail->report, res->detail->product));
	cgs_json_add(doc, "vek", snp_vek_json(res->detail));
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static int print_text(const struct cgs_snp_result *res)
{
	for (size_t i = 0; i < res->verdict.n; i++)
		printf("%-5s %-18s %s\n", cgs_check_result_str(res->verdict.checks[i].result),
		       res->verdict.checks[i].name, res->verdict.checks[i].reason);
	printf("%s\n", res->verified ? "verified" : "NOT VERIFIED");
	return fflush(stdout) ? -1 : 0;
}

/* ---- the verb ---- */

static int prepare(struct opts *o, int argc, char **argv)
{
	struct cgs_command cmd = {
	    "cgs-verify snp",
	    "--report FILE [OPTION]...\n   or: cgs-verify snp show --report FILE [--json]\n"
	    "   or: cgs-verify snp kds-url --report FILE",
	    "Verify an SEV-SNP attestation report against AMD's certificate chain and "
	    "expected values.",
	    options,
	    CGS_COMMON_JSON,
	    "Exit status: 0 verified, 2 not verified, 64 usage, 65 malformed input, 66 "
	    "missing input.",
	    on_option,
	    o,
	};
	int rc = (o->cmd = &cmd, cgs_cli_parse_options(&cmd, argc, argv));

	if (rc >= 0)
		return rc;
	if (!o->report)
		return cgs_log_usage("missing --report FILE");
	for (size_t i = 0; i < o->expected.n; i++)
		if ((rc = load_expected(o, o->expected.v[i])))
			return rc;
	if (!o->have_at)
		o->pol.at = time(NULL);
	o->pol.expected = o->docs;
	o->pol.n_expected = o->n_docs;
	o->pol.skip = o->skip.names;
	o->pol.n_skip = o->skip.n;
	o->in.vcek = o->files[0].v, o->in.n_vcek = o->files[0].n;
	o->in.vlek = o->files[1].v, o->in.n_vlek = o->files[1].n;
	o->in.cert_chain = o->files[2].v, o->in.n_cert_chain = o->files[2].n;
	o->in.cert_dirs = o->files[3].v, o->in.n_cert_dirs = o->files[3].n;
	o->in.crl = o->files[5].v, o->in.n_crl = o->files[5].n;
	return -1;
}

static int verify_main(int argc, char **argv)
{
	static struct opts o;
	struct cgs_snp_result res;
	struct cgs_diag d;
	uint8_t *buf;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = prepare(&o, argc, argv)) >= 0)
		return rc;
	cgs_diag_clear(&d);
	if (cgs_read_file(o.report, 1u << 20, &buf, &o.in.report_len, &d))
		return cgs_log_diag(&d, "read", o.report);
	o.in.report = buf;
	if (cgs_snp_verify(&o.in, &o.pol, &res, &d)) {
		free(buf);
		return cgs_log_diag(&d, res.err_action ? res.err_action : "verify",
				    res.err_path ? res.err_path : o.report);
	}
	if (o.repeat)
		repeat_verify(res.detail, o.pol.allow_versions, o.repeat);
	rc = cgs_opts.json != CGS_JSON_OFF ? print_json(&res) : print_text(&res);
	rc = rc ? CGS_EXIT_FAILURE : res.verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
	cgs_snp_result_free(&res);
	free(buf);
	return rc;
}

int verb_snp(int argc, char **argv)
{
	static const struct cgs_verb sub[] = {
	    {"verify", verify_main, "verify a report (the default)", 0},
	    {"show", verb_snp_show, "decode every field of a report", 0},
	    {"kds-url", verb_snp_kds_url, "print the AMD KDS URLs for a report", 0},
	    {"fetch", verb_snp_fetch, "fetch a report's VCEK, cert_chain and CRL into the cache", 0},
	    {NULL, NULL, NULL, 0},
	};
	static const struct cgs_tool tool = {
	    "cgs-verify snp",
	    "Verify SEV-SNP attestation reports.",
	    sub,
	    "verify",
	};

	if (argc < 2) /* no verb and no option: the verify path says what is missing */
		return verify_main(argc, argv);
	return cgs_cli_dispatch(&tool, argc, argv);
}

