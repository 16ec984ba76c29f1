// SPDX-License-Identifier: MIT
/*
 * cgs-verify tdx fetch: make a quote's collateral (TCB Info, QE Identity, PCK
 * CRL, root CRL) available from Intel's PCS through the cache, each item
 * checked by the verifier before it is kept; --out DIR also writes the files
 * under the names --collateral DIR reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include "cmd/verify/tdx_cli.h"
#include "cmd/verify/verbs.h"
#include "formats/tdx_collateral.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/rfc3339.h"
#include "lib/tdx/tdx_fetch.h"

struct fetch_opts {
	const char *quote, *out, *cache, *pcs_url, *root_crl_url, *trusted_root, *at;
	int offline, force;
};

enum {
	OPT_QUOTE = CGS_KEY_FIRST,
	OPT_OUT,
	OPT_CACHE,
	OPT_PCS,
	OPT_ROOT_URL,
	OPT_OFFLINE,
	OPT_TRUSTED,
	OPT_AT,
	OPT_FORCE
};

static const struct cgs_option options[] = {
    {"quote", OPT_QUOTE, CGS_REQ_ARG, "FILE", "the TDX quote (its FMSPC and PCK CA)", 0},
    {"out", OPT_OUT, CGS_REQ_ARG, "DIR", "also write the files for --collateral DIR", 0},
    {"cache", OPT_CACHE, CGS_REQ_ARG, "DIR", "the cache (default $XDG_CACHE_HOME/cgs)", 0},
    {"pcs-url", OPT_PCS, CGS_REQ_ARG, "URL", "Intel PCS base URL (default " TDX_PCS_URL ")", 0},
    {"root-crl-url", OPT_ROOT_URL, CGS_REQ_ARG, "URL", "where the root CA CRL is served", 0},
    {"offline", OPT_OFFLINE, CGS_NO_ARG, NULL, "use the cache only, never download", 0},
    {"trusted-root", OPT_TRUSTED, CGS_REQ_ARG, "FILE",
     "trust this root instead of the pinned Intel SGX Root CA", 0},
    {"at", OPT_AT, CGS_REQ_ARG, "TIME", "judge validity at this RFC 3339 time", 0},
    {"force", OPT_FORCE, CGS_NO_ARG, NULL, "replace files in --out DIR", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int on_option(void *ctx, int key, const char *arg)
{
	struct fetch_opts *o = ctx;
	const char **s[] = {&o->quote,	      &o->out, &o->cache,	 &o->pcs_url,
			    &o->root_crl_url, NULL,    &o->trusted_root, &o->at};

	if (key == OPT_OFFLINE)
		o->offline = 1;
	else if (key == OPT_FORCE)
		o->force = 1;
	else
		*s[key - OPT_QUOTE] = arg;
	return 0;
}

/* --out DIR: the names --collateral DIR reads */
static int write_out(const struct fetch_opts *o, const struct tdx_fetch *f)
{
	static const char *const names[TDX_ITEM_N][2] = {
	    {"tcb_info.json", "tcb_info_issuer_chain.pem"},
	    {"qe_identity.json", "qe_identity_issuer_chain.pem"},
	    {"pck_crl.der", NULL},
	    {"root_ca_crl.der", NULL},
	};
	char path[4096];
	struct cgs_diag d;

	for (int i = 0; i < TDX_ITEM_N; i++) {
		const struct tdx_fetch_item *it = &f->item[i];

		if (it->state != TDX_STATE_REUSED && it->state != TDX_STATE_FETCHED)
			continue;
		for (int k = 0; k < 2 && names[i][k]; k++) {
			snprintf(path, sizeof(path), "%s/%s", o->out, names[i][k]);
			if (cgs_write_file(path, k ? it->chain : it->data,
					   k ? it->chain_len : it->len,
					   o->force ? CGS_OUT_FORCE : 0, &d))
				return cgs_log_diag(&d, "write", path);
		}
	}
	return 0;
}

static int report(const struct tdx_fetch *f)
{
	struct json_object *doc, *arr;
	int rc;

	if (cgs_opts.json == CGS_JSON_OFF) {
		for (int i = 0; i < TDX_ITEM_N; i++)
			printf("%-8s %-12s %s%s%s\n", tdx_item_state_name(f->item[i].state),
			       f->item[i].name, f->item[i].rel, *f->item[i].reason ? ": " : "",
			       f->item[i].reason);
		return fflush(stdout) ? -1 : 0;
	}
	doc = cgs_json_doc("cgs-verify");
	arr = json_object_new_array();
	if (!doc || !arr) {
		json_object_put(doc);
		json_object_put(arr);
		return -1;
	}
	cgs_json_add_str(doc, "evidence", "tdx");
	cgs_json_add_str(doc, "fmspc", f->fmspc);
	cgs_json_add_str(doc, "pck_ca", f->ca);
	for (int i = 0; i < TDX_ITEM_N; i++) {
		struct json_object *j = json_object_new_object();

		if (!j)
			continue;
		cgs_json_add_str(j, "name", f->item[i].name);
		cgs_json_add_str(j, "state", tdx_item_state_name(f->item[i].state));
		cgs_json_add_str(j, "cache", f->item[i].rel);
		cgs_json_add_str(j, "url", f->item[i].url);
		cgs_json_add_str(j, "reason", *f->item[i].reason ? f->item[i].reason : NULL);
		json_object_array_add(arr, j);
	}
	cgs_json_add(doc, "items", arr);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static int run(struct fetch_opts *o, const uint8_t *q, size_t qlen, uint8_t *root, size_t rlen)
{
	struct tdx_fetch_opts fo;
	struct tdx_fetch f;
	struct cgs_cache cache;
	struct cgs_diag d;
	int64_t at = (int64_t)time(NULL);
	enum cgs_err e;
	int rc;

	if (o->at && cgs_time_parse(o->at, &at))
		return cgs_log_usage(
		    "--at: expected an RFC 3339 time such as 2025-06-20T00:00:00Z");
	memset(&fo, 0, sizeof(fo));
	fo.pcs_url = o->pcs_url;
	fo.root_crl_url = o->root_crl_url;
	fo.trusted_root = root;
	fo.trusted_root_len = rlen;
	fo.offline = o->offline;
	fo.at = at;
	cgs_net_opts_default(&fo.net);
	if (cgs_cache_open(&cache, o->cache, 1, &d))
		return cgs_log_diag(&d, "open", "the cache");
	e = tdx_fetch_run(q, qlen, &fo, &cache, &f, &d);
	cgs_cache_close(&cache);
	if (e == CGS_E_MALFORMED || e == CGS_E_UNSUPPORTED || e == CGS_E_NOMEM || e == CGS_E_IO)
		return cgs_log_diag(&d, "fetch the collateral of", o->quote);
	rc = report(&f) ? CGS_EXIT_FAILURE : 0;
	if (!rc && o->out)
		rc = write_out(o, &f);
	if (!rc && e)
		rc = cgs_log_diag(&d, "fetch the collateral of", o->quote);
	tdx_fetch_free(&f);
	return rc;
}

int verb_tdx_fetch(int argc, char **argv)
{
	struct fetch_opts o;
	struct cgs_command cmd = {
	    "cgs-verify tdx fetch",
	    "--quote FILE [--out DIR] [--cache DIR] [--offline]",
	    "Fetch a quote's collateral from Intel's PCS into the cache, checked before it is "
	    "kept.",
	    options,
	    CGS_COMMON_JSON,
	    "Exit status: 0 all available, 1 a download failed, 2 a download did not verify.",
	    on_option,
	    &o,
	};
	uint8_t *q = NULL, *root = NULL;
	size_t qlen = 0, rlen = 0;
	struct cgs_diag d;
	struct stat st;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if (!o.quote)
		return cgs_log_usage("missing --quote FILE");
	if (o.out && (stat(o.out, &st) || !S_ISDIR(st.st_mode))) {
		cgs_log_error("--out '%s' is not a directory", o.out);
		return CGS_EXIT_NOINPUT;
	}
	if ((rc = tdx_cli_read_quote(o.quote, &q, &qlen)))
		return rc;
	if (o.trusted_root && cgs_read_file(o.trusted_root, 1u << 20, &root, &rlen, &d))
		rc = cgs_log_diag(&d, "read", o.trusted_root);
	else
		rc = run(&o, q, qlen, root, rlen);
	free(q);
	free(root);
	return rc;
}
