// SPDX-License-Identifier: MIT
/*
 * cgs-verify tdx: verify an Intel TDX DCAP quote against the pinned Intel SGX
 * Root CA, Intel's collateral and the relying party's policy. The pipeline is
 * lib/tdx (cgs_tdx_verify_quote); this file reads the files, fills the policy
 * and renders the verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cgs/tdx_verify.h>

#include "cmd/verify/tdx_cli.h"
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/verdict.h"

static int print_json(const struct tdx_opts *o, const struct cgs_tdx_result *r)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *adv = json_object_new_array();
	int rc;

	if (!doc || !adv) {
		json_object_put(doc);
		json_object_put(adv);
		return -1;
	}
	cgs_json_add_bool(doc, "verified", cgs_verdict_verified(&r->verdict));
	cgs_json_add_str(doc, "evidence", "tdx");
	cgs_json_add_str(doc, "tcb_status", *r->tcb_status ? r->tcb_status : NULL);
	cgs_json_add_str(doc, "platform_tcb_status",
			 *r->platform_tcb_status ? r->platform_tcb_status : NULL);
	cgs_json_add_str(doc, "tdx_module_status",
			 *r->tdx_module_status ? r->tdx_module_status : NULL);
	cgs_json_add_str(doc, "qe_tcb_status", *r->qe_tcb_status ? r->qe_tcb_status : NULL);
	cgs_json_add_str(doc, "tcb_date", *r->tcb_date ? r->tcb_date : NULL);
	for (size_t i = 0; i < r->n_advisories; i++)
		json_object_array_add(adv, json_object_new_string(r->advisory_ids[i]));
	cgs_json_add(doc, "advisory_ids", adv);
	cgs_json_add_str(doc, "fmspc", *r->fmspc ? r->fmspc : NULL);
	cgs_json_add_str(doc, "pck_ca", *r->pck_ca ? r->pck_ca : NULL);
	cgs_json_add_int(doc, "tcb_eval_num", r->tcb_eval_num);
	cgs_json_add(doc, "checks", cgs_verdict_json_checks(&r->verdict));
	cgs_json_add(doc, "quote", tdx_cli_quote_json(o->quote_buf, o->quote_len));
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static int print_text(const struct cgs_tdx_result *r)
{
	const struct cgs_verdict *v = &r->verdict;

	for (size_t i = 0; i < v->n; i++)
		printf("%-5s %-22s %s\n", cgs_check_result_str(v->checks[i].result),
		       v->checks[i].name, v->checks[i].reason);
	if (*r->tcb_status) {
		printf("tcb_status %s (tcbDate %s)", r->tcb_status, r->tcb_date);
		for (size_t i = 0; i < r->n_advisories; i++)
			printf("%s%s", i ? "," : " advisories ", r->advisory_ids[i]);
		printf("\n");
	}
	printf("%s\n", cgs_verdict_verified(v) ? "verified" : "NOT VERIFIED");
	return fflush(stdout) ? -1 : 0;
}

/* --x-repeat: verify the same quote n more times with the verifier's caches */
static int repeat(struct cgs_tdx_verifier *ver, const struct tdx_opts *o)
{
	struct timespec t0, t1;
	uint64_t ok = 0;
	double cpu;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (uint64_t i = 0; i < o->repeat; i++) {
		struct cgs_tdx_result r;
		struct cgs_diag d;

		if (cgs_tdx_verify_quote(ver, o->quote_buf, o->quote_len, &o->policy, &r, &d))
			break;
		ok += (uint64_t)cgs_verdict_verified(&r.verdict);
		cgs_tdx_result_free(&r);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cgs_log_verbose("--x-repeat: %llu of %llu quotes verified in %.3f s CPU: %.0f quotes/s",
			(unsigned long long)ok, (unsigned long long)o->repeat, cpu,
			cpu > 0 ? (double)ok / cpu : 0.0);
	return 0;
}

static int verify_main(int argc, char **argv)
{
	static struct tdx_opts o;
	struct cgs_tdx_verifier *ver = NULL;
	struct cgs_tdx_result r;
	struct cgs_diag d;
	int rc;

	cgs_diag_clear(&d);
	if ((rc = tdx_cli_prepare(&o, argc, argv)) >= 0) {
		tdx_cli_free(&o);
		return rc;
	}
	if (cgs_tdx_verifier_new(&o.coll, &ver, &d)) {
		rc = cgs_log_diag(&d, "load the collateral", NULL);
	} else if (cgs_tdx_verify_quote(ver, o.quote_buf, o.quote_len, &o.policy, &r, &d)) {
		rc = cgs_log_diag(&d, d.err == CGS_E_USAGE ? "use" : "parse",
				  d.err == CGS_E_USAGE ? NULL : o.quote);
	} else {
		if (o.repeat)
			repeat(ver, &o);
		rc = cgs_opts.json != CGS_JSON_OFF ? print_json(&o, &r) : print_text(&r);
		rc = rc					? CGS_EXIT_FAILURE
		     : cgs_verdict_verified(&r.verdict) ? CGS_EXIT_OK
							: CGS_EXIT_NOT_VERIFIED;
		cgs_tdx_result_free(&r);
	}
	cgs_tdx_verifier_free(ver);
	tdx_cli_free(&o);
	return rc;
}

int verb_tdx(int argc, char **argv)
{
	static const struct cgs_verb sub[] = {
	    {"verify", verify_main, "verify a quote (the default)", 0},
	    {"show", verb_tdx_show, "decode every field of a quote", 0},
	    {"fetch", verb_tdx_fetch, "fetch the collateral of a quote from Intel's PCS", 0},
	    {NULL, NULL, NULL, 0},
	};
	static const struct cgs_tool tool = {
	    "cgs-verify tdx",
	    "Verify Intel TDX DCAP quotes.",
	    sub,
	    "verify",
	};

	if (argc < 2) /* no verb and no option: the verify path says what is missing */
		return verify_main(argc, argv);
	return cgs_cli_dispatch(&tool, argc, argv);
}
