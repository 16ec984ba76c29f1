// SPDX-License-Identifier: MIT
/*
 * cgs-verify sev: check a legacy SEV / SEV-ES LAUNCH_MEASURE blob against the
 * launch digest the guest owner expects (HMAC-SHA-256 keyed with the TIK).
 * It parses options, reads the blob and the TIK, calls cgs_sev_verify()
 * (lib/sev/sev_verify.c) and prints the verdict. sev-chain: sev_chain.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cgs/sev.h>

#include "cmd/verify/sev_inputs.h"
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/verdict.h"
#include "lib/sev/sev_launch.h"
#include "lib/sev/sev_verify.h"

#define MAX_SMALL_FILE (64u << 10)

enum {
	KEY_MEASUREMENT = CGS_KEY_FIRST,
	KEY_TIK,
	KEY_API_MAJOR,
	KEY_API_MINOR,
	KEY_BUILD,
	KEY_POLICY,
	KEY_EXPECTED,
	KEY_EXPECTED_DIGEST,
	KEY_SKIP,
};

/* ------------------------------------------------------------------ */
/* cgs-verify sev                                                      */

static const struct cgs_option sev_options[] = {
	{ "measurement", KEY_MEASUREMENT, CGS_REQ_ARG, "BLOB|BASE64",
	  "LAUNCH_MEASURE blob (MEASURE||MNONCE): a file (raw or base64) or base64 text", 0 },
	{ "tik", KEY_TIK, CGS_REQ_ARG, "FILE", "the 16-byte transport integrity key (raw, hex or base64)",
	  0 },
	{ "api-major", KEY_API_MAJOR, CGS_REQ_ARG, "N", "platform firmware API major version", 0 },
	{ "api-minor", KEY_API_MINOR, CGS_REQ_ARG, "N", "platform firmware API minor version", 0 },
	{ "build", KEY_BUILD, CGS_REQ_ARG, "N", "platform firmware build id", 0 },
	{ "build-id", KEY_BUILD, CGS_REQ_ARG, "N", "alias of --build (sevctl)", CGS_OPT_ALIAS },
	{ "policy", KEY_POLICY, CGS_REQ_ARG, "POLICY",
	  "guest policy given to LAUNCH_START (decimal or 0x-hex)", 0 },
	{ "expected", KEY_EXPECTED, CGS_REQ_ARG, "FILE",
	  "expected launch digest: cgs-measure --json output (or an array of them)", 0 },
	{ "expected-digest", KEY_EXPECTED_DIGEST, CGS_REQ_ARG, "HEX",
	  "expected launch digest, 64 hex digits (repeatable: any of them)", 0 },
	{ "mode", SEV_IN_KEY_MODE, CGS_REQ_ARG, "MODE",
	  "measured inputs: sev or seves (default: from the policy's ES bit)", 0 },
	{ "ovmf", SEV_IN_KEY_OVMF, CGS_REQ_ARG, "PATH",
	  "measured inputs: the OVMF firmware (compute the expected digest)", 0 },
	{ "kernel", SEV_IN_KEY_KERNEL, CGS_REQ_ARG, "PATH", "measured inputs: the kernel", 0 },
	{ "initrd", SEV_IN_KEY_INITRD, CGS_REQ_ARG, "PATH", "measured inputs: the initrd", 0 },
	{ "append", SEV_IN_KEY_APPEND, CGS_REQ_ARG, "CMDLINE",
	  "measured inputs: the kernel command line", 0 },
	{ "vcpus", SEV_IN_KEY_VCPUS, CGS_REQ_ARG, "N", "measured inputs: vCPUs (SEV-ES)", 0 },
	{ "vcpu-type", SEV_IN_KEY_VCPU_TYPE, CGS_REQ_ARG, "CPUTYPE",
	  "measured inputs: QEMU vCPU type (SEV-ES)", 0 },
	{ "vcpu-sig", SEV_IN_KEY_VCPU_SIG, CGS_REQ_ARG, "VALUE",
	  "measured inputs: vCPU signature, CPUID 1 EAX (SEV-ES)", 0 },
	{ "vcpu-family", SEV_IN_KEY_VCPU_FAMILY, CGS_REQ_ARG, "FAMILY", "measured inputs: vCPU family",
	  0 },
	{ "vcpu-model", SEV_IN_KEY_VCPU_MODEL, CGS_REQ_ARG, "MODEL", "measured inputs: vCPU model", 0 },
	{ "vcpu-stepping", SEV_IN_KEY_VCPU_STEPPING, CGS_REQ_ARG, "STEPPING",
	  "measured inputs: vCPU stepping", 0 },
	{ "vmm-type", SEV_IN_KEY_VMM_TYPE, CGS_REQ_ARG, "VMMTYPE",
	  "measured inputs: QEMU (default), ec2 or gce", 0 },
	{ "vmsa-fpu", SEV_IN_KEY_VMSA_FPU, CGS_REQ_ARG, "init2|legacy",
	  "measured inputs: VMSA x87/SSE state (as cgs-measure)", 0 },
	{ "vmsa-cpu0", SEV_IN_KEY_VMSA_CPU0, CGS_REQ_ARG, "FILE",
	  "measured inputs: the BSP VMSA page from a file (sevctl)", 0 },
	{ "vmsa-cpu1", SEV_IN_KEY_VMSA_CPU1, CGS_REQ_ARG, "FILE",
	  "measured inputs: the AP VMSA page from a file (sevctl)", 0 },
	{ "skip", KEY_SKIP, CGS_REQ_ARG, "CHECK[,CHECK]",
	  "skip policy checks by name (policy-mode, expected-inputs)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct sev_opts {
	const char *measurement, *tik, *expected;
	uint64_t api_major, api_minor, build, policy;
	int have_major, have_minor, have_build, have_policy;
	struct cgs_sev_expected_list list;
	struct sev_inputs_opts m;
	struct cgs_name_list skip;
};

static int sev_on_option(void *ctx, int key, const char *arg)
{
	struct sev_opts *o = ctx;
	int rc = sev_inputs_on_option(&o->m, key, arg);

	if (rc >= 0)
		return rc;

	switch (key) {
	case KEY_MEASUREMENT:
		o->measurement = arg;
		return 0;
	case KEY_TIK:
		o->tik = arg;
		return 0;
	case KEY_API_MAJOR:
		o->have_major = 1;
		return cgs_arg_u64("api-major", arg, 255, &o->api_major);
	case KEY_API_MINOR:
		o->have_minor = 1;
		return cgs_arg_u64("api-minor", arg, 255, &o->api_minor);
	case KEY_BUILD:
		o->have_build = 1;
		return cgs_arg_u64("build", arg, 255, &o->build);
	case KEY_POLICY:
		o->have_policy = 1;
		return cgs_arg_u64("policy", arg, UINT32_MAX, &o->policy);
	case KEY_EXPECTED:
		if (o->expected)
			return cgs_log_usage("'--expected' given twice");
		o->expected = arg;
		return 0;
	case KEY_EXPECTED_DIGEST:
		return sev_add_expected(&o->list, NULL, arg);
	case KEY_SKIP:
		return cgs_arg_skip(&o->skip, cgs_sev_checks, arg);
	default:
		return 0;
	}
}

/* Read the TIK: 16 raw bytes, or text holding 32 hex digits or base64 of 16 bytes. */
static int read_tik(const char *path, uint8_t tik[SEV_LAUNCH_TIK_LEN])
{
	struct cgs_diag d;
	uint8_t *data = NULL, *dec = NULL;
	size_t len = 0, n = 0, b = 0, e;
	int rc = 0;

	cgs_diag_clear(&d);
	if (cgs_read_file(path, 4096, &data, &len, &d))
		return cgs_log_diag(&d, "read TIK", path);
	if (len == SEV_LAUNCH_TIK_LEN) {
		memcpy(tik, data, SEV_LAUNCH_TIK_LEN);
		goto out;
	}
	for (e = len; e > 0 && isspace(data[e - 1]); e--)
		;
	while (b < e && isspace(data[b]))
		b++;
	data[e] = '\0';
	if (e - b == 2 * SEV_LAUNCH_TIK_LEN &&
	    cgs_hex_decode((char *)data + b, tik, SEV_LAUNCH_TIK_LEN, NULL, 1) == CGS_OK)
		goto out;
	if (cgs_base64_decode((char *)data + b, e - b, &dec, &n) == CGS_OK &&
	    n == SEV_LAUNCH_TIK_LEN) {
		memcpy(tik, dec, SEV_LAUNCH_TIK_LEN);
		goto out;
	}
	cgs_diag_set(&d, CGS_E_MALFORMED, "tik", CGS_DIAG_NO_OFFSET,
		     "wrong TIK length: %zu bytes, expected %d raw bytes (or 32 hex digits or "
		     "base64 of 16 bytes)", len, SEV_LAUNCH_TIK_LEN);
	rc = cgs_log_diag(&d, "read TIK", path);
out:
	if (dec)
		cgs_free_secret(dec, n);
	cgs_free_secret(data, len);
	return rc;
}

/* --measurement: a file (raw 48 bytes or base64 text) or base64 text. */
static int read_blob(const char *arg, struct sev_launch_blob *blob)
{
	struct cgs_diag d;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc, is_path;

	cgs_diag_clear(&d);
	/* inline is base64 only: 48 raw bytes come from a file */
	if (strlen(arg) == SEV_LAUNCH_BLOB_LEN)
		cgs_diag_set(&d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET, "48 characters");
	else
		sev_launch_blob_parse((const uint8_t *)arg, strlen(arg), blob, &d);
	rc = cgs_arg_source("measurement", arg, "base64 measurement", d.err ? d.text : NULL,
			    &is_path);
	if (rc || !is_path)
		return rc;
	if (cgs_read_file(arg, MAX_SMALL_FILE, &data, &len, &d))
		return cgs_log_diag(&d, "read", arg);
	if (sev_launch_blob_parse(data, len, blob, &d))
		rc = cgs_log_diag(&d, "parse", arg);
	free(data);
	return rc;
}

static struct json_object *diffs_json(const struct cgs_sev_verify_result *r)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < r->n_diffs; i++) {
		const struct cgs_sev_diff *f = &r->diffs[i];
		struct json_object *o = json_object_new_object();

		if (!o || json_object_array_add(a, o)) {
			json_object_put(o);
			break;
		}
		cgs_json_add_str(o, "input", f->input);
		cgs_json_add_str(o, "expected", f->has_expected ? f->expected : NULL);
		cgs_json_add_str(o, "actual", f->has_actual ? f->actual : NULL);
	}
	return a;
}

static int sev_report(const struct sev_opts *o, const struct cgs_sev_verify_in *in,
		      const struct cgs_sev_verify_result *r)
{
	const struct cgs_sev_expected *m = r->match;
	struct json_object *doc, *ev;
	char hex[2 * CGS_SEV_SHA256_LEN + 1];

	if (!cgs_opts.json) {
		sev_print_checks(&r->verdict);
		if (r->verified && m)
			cgs_hex_encode(m->digest, CGS_SEV_SHA256_LEN, hex);
		if (r->verified && m)
			printf("VERIFIED: launch digest %s%s%s\n", hex, m->mode ? " mode " : "",
			       m->mode ? m->mode : "");
		else
			printf("NOT VERIFIED\n");
		if (fflush(stdout))
			return cgs_log_error("cannot write the result to stdout"), CGS_EXIT_FAILURE;
		return r->verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
	}
	doc = sev_verdict_doc("sev", r->verified, &r->verdict);
	if (!doc || !(ev = json_object_new_object()))
		return sev_print_doc(doc, 0);
	cgs_json_add_hex(ev, "measure", in->measure, sizeof(in->measure));
	cgs_json_add_hex(ev, "mnonce", in->mnonce, sizeof(in->mnonce));
	cgs_json_add_int(ev, "api_major", (int64_t)o->api_major);
	cgs_json_add_int(ev, "api_minor", (int64_t)o->api_minor);
	cgs_json_add_int(ev, "build", (int64_t)o->build);
	cgs_json_add_u64hex(ev, "policy", o->policy);
	cgs_json_add(ev, "policy_flags", sev_policy_json((uint32_t)o->policy));
	if (m)
		cgs_json_add_hex(ev, "launch_digest", m->digest, CGS_SEV_SHA256_LEN);
	else
		cgs_json_add_str(ev, "launch_digest", NULL);
	cgs_json_add_str(ev, "mode", m ? m->mode : NULL);
	cgs_json_add_str(ev, "matched", m ? m->source : NULL);
	cgs_json_add(doc, "launch_measure", ev);
	if (r->has_inputs) {
		cgs_json_add_hex(doc, "inputs_digest", r->measured->digest, CGS_SEV_SHA256_LEN);
		cgs_json_add(doc, "input_differences", r->n_diffs ? diffs_json(r) : NULL);
	}
	return sev_print_doc(doc, r->verified);
}

static int run_sev(struct sev_opts *o, struct cgs_sev_verify_in *in)
{
	struct cgs_sev_verify_result res;
	struct cgs_diag d;
	int rc;

	in->api_major = (uint8_t)o->api_major;
	in->api_minor = (uint8_t)o->api_minor;
	in->build = (uint8_t)o->build;
	in->policy = (uint32_t)o->policy;
	in->expected = &o->list;
	in->inputs = o->m.used ? &o->m.in : NULL;
	in->mode_given = 1; /* sev_inputs_prepare settled it */
	in->skip = o->skip.names;
	in->n_skip = o->skip.n;
	cgs_diag_clear(&d);
	if (cgs_sev_verify(in, &res, &d))
		return d.err == CGS_E_USAGE ? cgs_log_usage("%s", d.text)
					    : cgs_log_diag(&d, res.err_file ? "measure"
								: "compute LAUNCH_MEASURE",
							  res.err_file);
	rc = sev_report(o, in, &res);
	cgs_sev_verify_result_free(&res);
	return rc;
}

int verb_sev(int argc, char **argv)
{
	static struct sev_opts o;
	struct cgs_command cmd = {
		"cgs-verify sev",
		"--measurement BLOB|BASE64 --tik FILE --api-major N --api-minor N --build N "
		"--policy POLICY (--expected FILE | --expected-digest HEX | --ovmf PATH ...)",
		"Verify a legacy SEV/SEV-ES LAUNCH_MEASURE against the expected launch digest.",
		sev_options,
		CGS_COMMON_JSON,
		"The MEASURE is HMAC-SHA256(TIK, 0x04 || api major || api minor || build ||\n"
		"policy || launch digest || MNONCE); it is compared in constant time. With the\n"
		"measured inputs (--ovmf ...), the expected digest is computed as cgs-measure\n"
		"does and --expected/--expected-digest are compared with it input by input.",
		sev_on_option,
		&o,
	};
	struct cgs_sev_verify_in in;
	struct sev_launch_blob blob;
	int optind_, rc;

	memset(&o, 0, sizeof(o));
	memset(&in, 0, sizeof(in));
	sev_inputs_init(&o.m);
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		rc = cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (rc < 0 && (!o.measurement || !o.tik || !o.have_major || !o.have_minor ||
		       !o.have_build || !o.have_policy))
		rc = cgs_log_usage("--measurement, --tik, --api-major, --api-minor, --build "
				   "and --policy are required");
	if (rc < 0 && !o.list.n && !o.expected && !o.m.used)
		rc = cgs_log_usage("no expected launch digest: give --expected FILE, "
				   "--expected-digest HEX or the measured inputs (--ovmf ...)");
	if (rc < 0)
		rc = o.expected ? sev_add_expected(&o.list, o.expected, NULL) : 0;
	if (!rc && o.m.used)
		rc = sev_inputs_prepare(&o.m, (uint32_t)o.policy);
	if (!rc)
		rc = read_blob(o.measurement, &blob);
	if (!rc)
		rc = read_tik(o.tik, in.tik);
	if (!rc) {
		memcpy(in.measure, blob.measure, sizeof(in.measure));
		memcpy(in.mnonce, blob.mnonce, sizeof(in.mnonce));
		rc = run_sev(&o, &in);
		cgs_wipe(in.tik, sizeof(in.tik));
	}
	cgs_sev_expected_free(&o.list);
	return rc;
}
