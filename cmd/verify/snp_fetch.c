// SPDX-License-Identifier: MIT
/* `cgs-verify snp fetch`: the VCEK, cert_chain and CRL of a report from AMD KDS into the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/verify/snp_fetch.h"
#include "cmd/verify/snp_show.h"
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/optfile.h"
#include "lib/snp/snp_fetch.h"

struct fetch_opts {
	const char *report, *cache, *product, *kds, *trusted_ark;
	uint64_t allow_versions;
	struct cgs_net_opts net;
};

enum {
	OPT_PRODUCT = CGS_KEY_FIRST,
	OPT_TRUSTED_ARK,
	OPT_ALLOW_VERSION,
	OPT_TIMEOUT,
	OPT_ATTEMPTS,
};

static const struct cgs_option options[] = {
    {"report", 'r', CGS_REQ_ARG, "FILE", "the attestation report (1184 bytes)", 0},
    SNP_CACHE_OPTIONS,
    {"product", OPT_PRODUCT, CGS_REQ_ARG, "NAME",
     "milan, genoa, bergamo, siena or turin (for version 2 reports)", 0},
    {"trusted-ark", OPT_TRUSTED_ARK, CGS_REQ_ARG, "FILE",
     "trust this ARK instead of AMD's pinned one (test PKIs)", 0},
    {"allow-version", OPT_ALLOW_VERSION, CGS_REQ_ARG, "N",
     "accept report version N (besides 2, 3, 5)", 0},
    {"timeout", OPT_TIMEOUT, CGS_REQ_ARG, "SECONDS", "time limit of one attempt (default 60)", 0},
    {"attempts", OPT_ATTEMPTS, CGS_REQ_ARG, "N", "attempts per download (default 4)", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int on_option(void *ctx, int key, const char *arg)
{
	struct fetch_opts *o = ctx;
	uint64_t v;

	switch (key) {
	case 'r':
		o->report = arg;
		return 0;
	case SNP_OPT_CACHE:
		o->cache = arg;
		return 0;
	case SNP_OPT_KDS:
		return snp_kds_option(arg, &o->kds);
	case OPT_TRUSTED_ARK:
		o->trusted_ark = arg;
		return 0;
	case OPT_PRODUCT:
		if (!snp_product_by_name(arg))
			return cgs_log_usage("--product: unknown product '%s'", arg);
		o->product = arg;
		return 0;
	case OPT_ALLOW_VERSION:
		return snp_parse_allow_version(arg, &o->allow_versions);
	case OPT_TIMEOUT:
		if (cgs_arg_u64("--timeout", arg, 3600, &v))
			return CGS_EXIT_USAGE;
		if (!v)
			return cgs_log_usage("--timeout: must be at least 1 second");
		o->net.timeout_ms = (long)v * 1000;
		return 0;
	case OPT_ATTEMPTS:
		if (cgs_arg_u64("--attempts", arg, 20, &v))
			return CGS_EXIT_USAGE;
		if (!v)
			return cgs_log_usage("--attempts: must be at least 1");
		o->net.attempts = (unsigned)v;
		return 0;
	default:
		return 0;
	}
}

static int parse(struct fetch_opts *o, int argc, char **argv)
{
	struct cgs_command cmd = {
	    "cgs-verify snp fetch",
	    "--report FILE [--cache DIR] [--product NAME] [--kds URL] [OPTION]...",
	    "Fetch a report's VCEK, cert_chain and CRL from AMD KDS into the cache, "
	    "validating each first.",
	    options,
	    CGS_COMMON_JSON,
	    "Exit status: 0 everything fetched or reused, 1 a download failed or was refused, "
	    "64 usage, 65 malformed report, 66 missing report.",
	    on_option,
	    o,
	};
	int rc = cgs_cli_parse_options(&cmd, argc, argv);

	if (rc >= 0)
		return rc;
	if (!o->report)
		return cgs_log_usage("missing --report FILE");
	if (!o->kds && (rc = snp_kds_option(NULL, &o->kds)))
		return rc;
	return -1;
}

int snp_kds_option(const char *arg, const char **ret)
{
	const char *env = getenv("CGS_KDS_URL");

	if (!arg && env && env[0])
		arg = env;
	if (arg && strncmp(arg, "https://", 8) && strncmp(arg, "http://", 7))
		return cgs_log_usage("%s: '%s' is not an http:// or https:// URL",
				     arg == env ? "CGS_KDS_URL" : "--kds", arg);
	*ret = arg;
	return 0;
}

int snp_input_option(struct cgs_snp_inputs *in, const struct cgs_command *cmd, int key,
		     const char *arg)
{
	switch (key) {
	case SNP_OPT_CACHE:
		in->cache = arg;
		return 0;
	case SNP_OPT_FETCH: /* $CGS_KDS_URL unless --kds says otherwise */
		in->fetch = 1;
		return in->kds ? 0 : snp_kds_option(NULL, &in->kds);
	case SNP_OPT_KDS:
		return snp_kds_option(arg, &in->kds);
	case SNP_OPT_POLICY_FILE:
		return snp_policy_file(cmd, arg);
	default:
		return -1;
	}
}

/* the option handlers borrow the policy files' values until the process ends */
static struct cgs_optfile policy_values;

static void policy_values_free(void)
{
	cgs_optfile_free(&policy_values);
}

int snp_policy_file(const struct cgs_command *cmd, const char *path)
{
	static const char *const refused[] = {"report", "policy-file", NULL};
	struct cgs_diag d;

	if (!policy_values.v && atexit(policy_values_free))
		return cgs_log_error("out of memory"), CGS_EXIT_FAILURE;
	cgs_diag_clear(&d);
	if (cgs_optfile_apply(cmd, path, refused, &policy_values, &d))
		return cgs_log_diag(&d, "apply the policy file", path);
	return 0;
}

static int print_json(const struct snp_fetch *f, const struct snp_product *p,
		      const struct cgs_cache *c)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *items = json_object_new_array();
	int rc = !doc || !items;

	rc |= cgs_json_add_str(doc, "product", p->name);
	rc |= cgs_json_add_str(doc, "signing_key", f->vlek ? "vlek" : "vcek");
	rc |= cgs_json_add_str(doc, "cache", c->dir);
	for (size_t i = 0; !rc && i < SNP_ITEM_N; i++) {
		const struct snp_fetch_entry *e = &f->item[i];
		struct json_object *it = json_object_new_object();

		rc |= !it;
		rc |= cgs_json_add_str(it, "name", e->name);
		rc |= cgs_json_add_str(it, "state", snp_item_state_name(e->state));
		rc |= cgs_json_add_str(it, "entry", e->rel[0] ? e->rel : NULL);
		rc |= cgs_json_add_str(it, "url", e->url[0] ? e->url : NULL);
		rc |= cgs_json_add_str(it, "reason", e->reason);
		rc |= json_object_array_add(items, it);
	}
	rc |= cgs_json_add(doc, "items", items);
	if (!rc)
		rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static void print_text(const struct snp_fetch *f, const struct cgs_cache *c)
{
	for (size_t i = 0; i < SNP_ITEM_N; i++) {
		const struct snp_fetch_entry *e = &f->item[i];

		if (e->state == SNP_STATE_REUSED || e->state == SNP_STATE_FETCHED)
			printf("%-8s %-10s %s/%s\n", snp_item_state_name(e->state), e->name, c->dir,
			       e->rel);
		else
			printf("%-8s %-10s %s\n", snp_item_state_name(e->state), e->name,
			       e->reason);
	}
}

static void log_items(const struct snp_fetch *f)
{
	for (size_t i = 0; i < SNP_ITEM_N; i++) {
		const struct snp_fetch_entry *e = &f->item[i];

		if (e->state == SNP_STATE_FAILED)
			cgs_log_error("failed to fetch the %s from '%s': %s", e->name, e->url,
				      e->reason);
		else if (e->state == SNP_STATE_REFUSED)
			cgs_log_error("refused the %s from '%s': %s (not cached)", e->name, e->url,
				      e->reason);
		else if (e->state == SNP_STATE_UNAVAILABLE)
			cgs_log_info("%s", e->reason);
		else if (e->state == SNP_STATE_FETCHED && e->reason[0])
			cgs_log_verbose("%s: %s", e->name, e->reason);
	}
}

int verb_snp_fetch(int argc, char **argv)
{
	struct fetch_opts o;
	struct snp_fetch_opts fo;
	struct snp_report r;
	struct snp_fetch f;
	struct cgs_cache c;
	struct cgs_diag d;
	const struct snp_product *p;
	const char *why;
	int rc, conflict;
	enum cgs_err e;

	memset(&o, 0, sizeof(o));
	cgs_net_opts_default(&o.net);
	if ((rc = parse(&o, argc, argv)) >= 0)
		return rc;
	if ((rc = snp_load_report(o.report, o.allow_versions, &r, NULL)))
		return rc;
	p = snp_report_product(&r, o.product, &why, &conflict);
	if (!p || conflict) {
		cgs_log_error("cannot tell the product of '%s': %s", o.report, why);
		return CGS_EXIT_DATAERR;
	}
	cgs_diag_clear(&d);
	if ((e = cgs_cache_open(&c, o.cache, 1, &d)))
		return cgs_log_diag(&d, "open the cache", o.cache);
	fo = (struct snp_fetch_opts){o.kds, o.trusted_ark, &o.net, time(NULL), 0};
	e = snp_fetch_collateral(&c, &r, p, &fo, &f, &d);
	log_items(&f);
	if (cgs_opts.json != CGS_JSON_OFF)
		rc = print_json(&f, p, &c) ? CGS_EXIT_FAILURE : 0;
	else
		print_text(&f, &c);
	cgs_cache_close(&c);
	return rc ? rc : cgs_err_exit(e);
}
