// SPDX-License-Identifier: MIT
/* cgs-verify tdx: the option table, the input files and the policy. */
#include "cmd/verify/tdx_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/tdx_collateral.h"
#include "formats/tdx_quote.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/log.h"
#include "lib/core/rfc3339.h"
#include "lib/tdx/tdx_expected.h"
#include "lib/tdx/tdx_quote_json.h"

#define MAX_FILE (16u << 20)

enum {
	OPT_QUOTE = CGS_KEY_FIRST,
	OPT_TCB_INFO,
	OPT_QE_IDENTITY,
	OPT_TCB_CHAIN,
	OPT_QE_CHAIN,
	OPT_PCK_CRL,
	OPT_ROOT_CRL,
	OPT_COLLATERAL,
	OPT_TRUSTED_ROOT,
	OPT_AT,
	OPT_ALLOW_STATUS,
	OPT_ALLOW_DEBUG,
	OPT_ALLOW_SEPT_VE,
	OPT_EXPECTED,
	OPT_MRTD,
	OPT_RTMR0,
	OPT_RTMR1,
	OPT_RTMR2,
	OPT_RTMR3,
	OPT_MRCONFIGID,
	OPT_MROWNER,
	OPT_MROWNERCONFIG,
	OPT_REPORT_DATA,
	OPT_MRSEAM,
	OPT_XFAM,
	OPT_XFAM_MASK,
	OPT_TD_ATTR,
	OPT_TD_ATTR_MASK,
	OPT_MIN_SVN,
	OPT_SKIP,
	OPT_X_REPEAT,
};

static const struct cgs_option options[] = {
    {"quote", OPT_QUOTE, CGS_REQ_ARG, "FILE", "the TDX quote (v4 or v5; binary or hex)", 0},
    {"tcb-info", OPT_TCB_INFO, CGS_REQ_ARG, "FILE", "TCB Info for the platform's FMSPC (PCS JSON)",
     0},
    {"qe-identity", OPT_QE_IDENTITY, CGS_REQ_ARG, "FILE", "the TD QE Identity (PCS JSON)", 0},
    {"tcb-signing-chain", OPT_TCB_CHAIN, CGS_REQ_ARG, "FILE",
     "TCB Signing certificate [+ root] (PEM, the TCB-Info-Issuer-Chain)", 0},
    {"qe-identity-chain", OPT_QE_CHAIN, CGS_REQ_ARG, "FILE",
     "the QE Identity issuer chain if it differs (PEM)", 0},
    {"pck-crl", OPT_PCK_CRL, CGS_REQ_ARG, "FILE", "the PCK CA's CRL (DER, PEM or hex)", 0},
    {"root-crl", OPT_ROOT_CRL, CGS_REQ_ARG, "FILE", "the Intel SGX Root CA's CRL", 0},
    {"collateral", OPT_COLLATERAL, CGS_REQ_ARG, "DIR",
     "tcb_info.json, qe_identity.json, tcb_info_issuer_chain.pem, pck_crl.der, root_ca_crl.der", 0},
    {"trusted-root", OPT_TRUSTED_ROOT, CGS_REQ_ARG, "FILE",
     "trust this root instead of the pinned Intel SGX Root CA", 0},
    {"at", OPT_AT, CGS_REQ_ARG, "TIME", "check every validity at this RFC 3339 time", 0},
    {"allow-tcb-status", OPT_ALLOW_STATUS, CGS_REQ_ARG, "LIST",
     "also accept these TCB statuses (e.g. SWHardeningNeeded,OutOfDate)", 0},
    {"allow-debug", OPT_ALLOW_DEBUG, CGS_NO_ARG, NULL, "accept a debuggable TD", 0},
    {"allow-sept-ve", OPT_ALLOW_SEPT_VE, CGS_NO_ARG, NULL, "accept SEPT_VE_DISABLE clear", 0},
    {"expected", OPT_EXPECTED, CGS_REQ_ARG, "FILE", "cgs-measure --mode tdx --json output", 0},
    {"mrtd", OPT_MRTD, CGS_REQ_ARG, "HEX", "expected MRTD (48 bytes)", 0},
    {"rtmr0", OPT_RTMR0, CGS_REQ_ARG, "HEX", "expected RTMR0 (48 bytes)", 0},
    {"rtmr1", OPT_RTMR1, CGS_REQ_ARG, "HEX", "expected RTMR1", 0},
    {"rtmr2", OPT_RTMR2, CGS_REQ_ARG, "HEX", "expected RTMR2", 0},
    {"rtmr3", OPT_RTMR3, CGS_REQ_ARG, "HEX", "expected RTMR3", 0},
    {"mrconfigid", OPT_MRCONFIGID, CGS_REQ_ARG, "HEX", "expected MRCONFIGID (48 bytes)", 0},
    {"mrowner", OPT_MROWNER, CGS_REQ_ARG, "HEX", "expected MROWNER (48 bytes)", 0},
    {"mrownerconfig", OPT_MROWNERCONFIG, CGS_REQ_ARG, "HEX", "expected MROWNERCONFIG (48 bytes)",
     0},
    {"report-data", OPT_REPORT_DATA, CGS_REQ_ARG, "HEX",
     "expected REPORTDATA (up to 64 bytes, zero-padded)", 0},
    {"mrseam", OPT_MRSEAM, CGS_REQ_ARG, "HEX", "expected MRSEAM (48 bytes)", 0},
    {"xfam", OPT_XFAM, CGS_REQ_ARG, "VALUE", "expected XFAM (u64, e.g. 0x602e7)", 0},
    {"xfam-mask", OPT_XFAM_MASK, CGS_REQ_ARG, "VALUE", "compare only these XFAM bits", 0},
    {"td-attributes", OPT_TD_ATTR, CGS_REQ_ARG, "VALUE", "expected TDATTRIBUTES (u64)", 0},
    {"td-attributes-mask", OPT_TD_ATTR_MASK, CGS_REQ_ARG, "VALUE",
     "compare only these TDATTRIBUTES bits", 0},
    {"min-tee-tcb-svn", OPT_MIN_SVN, CGS_REQ_ARG, "HEX",
     "minimum TEE_TCB_SVN, byte by byte (16 bytes)", 0},
    {"skip", OPT_SKIP, CGS_REQ_ARG, "CHECK[,CHECK]", "skip policy checks by name (shown as skip)",
     0},
    {"x-repeat", OPT_X_REPEAT, CGS_REQ_ARG, "N",
     "benchmark: verify the quote N more times with the cached verifier", CGS_OPT_EXPERIMENTAL},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int add_status(struct tdx_opts *o, const char *arg)
{
	enum tdx_tcb_status s;
	struct cgs_diag d;
	size_t first;

	if (cgs_name_list_add(&o->allow, arg, &first, &d))
		return cgs_log_usage("--allow-tcb-status: %s", d.text);
	for (size_t i = first; i < o->allow.n; i++) {
		if (tdx_tcb_status_parse(o->allow.names[i], &s))
			return cgs_log_usage("--allow-tcb-status: unknown TCB status '%s' (Intel's "
					     "spelling, e.g. SWHardeningNeeded)",
					     o->allow.names[i]);
		if (s == TDX_TCB_REVOKED || s == TDX_TCB_NOT_SUPPORTED)
			return cgs_log_usage("--allow-tcb-status: %s is never accepted",
					     o->allow.names[i]);
	}
	return 0;
}

static int set_expect(struct cgs_tdx_expect *x, const char *opt, const char *arg, size_t len,
		      int exact)
{
	size_t n;

	memset(x->v, 0, sizeof(x->v));
	if (cgs_hex_decode(arg, x->v, len, &n, exact))
		return cgs_log_usage("%s: expected %s%zu bytes of hex", opt, exact ? "" : "up to ",
				     len);
	x->state = CGS_TDX_EXPECT_VALUE;
	x->len = len;
	return 0;
}

static int set_u64(const char *opt, const char *arg, int *has, uint64_t *v)
{
	if (cgs_parse_u64(arg, v))
		return cgs_log_usage("%s: expected a 64-bit value (e.g. 0x602e7)", opt);
	if (has)
		*has = 1;
	return 0;
}

static int on_expect(struct tdx_opts *o, int key, const char *arg)
{
	struct cgs_tdx_policy *p = &o->policy;

	switch (key) {
	case OPT_MRTD:
		return set_expect(&p->mrtd, "--mrtd", arg, 48, 1);
	case OPT_RTMR0:
	case OPT_RTMR1:
	case OPT_RTMR2:
	case OPT_RTMR3:
		return set_expect(&p->rtmr[key - OPT_RTMR0], "--rtmrN", arg, 48, 1);
	case OPT_MRCONFIGID:
		return set_expect(&p->mrconfigid, "--mrconfigid", arg, 48, 1);
	case OPT_MROWNER:
		return set_expect(&p->mrowner, "--mrowner", arg, 48, 1);
	case OPT_MROWNERCONFIG:
		return set_expect(&p->mrownerconfig, "--mrownerconfig", arg, 48, 1);
	case OPT_REPORT_DATA:
		return set_expect(&p->report_data, "--report-data", arg, 64, 0);
	case OPT_MRSEAM:
		return set_expect(&p->mrseam, "--mrseam", arg, 48, 1);
	case OPT_XFAM:
		return set_u64("--xfam", arg, &p->has_xfam, &p->xfam);
	case OPT_XFAM_MASK:
		return set_u64("--xfam-mask", arg, NULL, &p->xfam_mask);
	case OPT_TD_ATTR:
		return set_u64("--td-attributes", arg, &p->has_td_attributes, &p->td_attributes);
	case OPT_TD_ATTR_MASK:
		return set_u64("--td-attributes-mask", arg, NULL, &p->td_attributes_mask);
	case OPT_MIN_SVN:
		p->has_min_tee_tcb_svn = 1;
		return cgs_arg_hex("--min-tee-tcb-svn", arg, p->min_tee_tcb_svn, 16);
	}
	return -1;
}

static int on_option(void *ctx, int key, const char *arg)
{
	struct tdx_opts *o = ctx;
	const char **files[] = {&o->quote,
				&o->tcb_info,
				&o->qe_identity,
				&o->tcb_chain,
				&o->qe_chain,
				&o->pck_crl,
				&o->root_crl,
				&o->collateral,
				&o->trusted_root,
				&o->at,
				[OPT_EXPECTED - OPT_QUOTE] = &o->expected};
	int rc = on_expect(o, key, arg);

	if (rc >= 0)
		return rc;
	if (key >= OPT_QUOTE && key <= OPT_EXPECTED && files[key - OPT_QUOTE]) {
		*files[key - OPT_QUOTE] = arg;
		return 0;
	}
	switch (key) {
	case OPT_ALLOW_STATUS:
		return add_status(o, arg);
	case OPT_ALLOW_DEBUG:
		o->policy.allow_debug = 1;
		return 0;
	case OPT_ALLOW_SEPT_VE:
		o->policy.allow_sept_ve = 1;
		return 0;
	case OPT_SKIP:
		return cgs_arg_skip(&o->skip, cgs_tdx_checks, arg);
	case OPT_X_REPEAT:
		return cgs_arg_u64("--x-repeat", arg, 100000000, &o->repeat);
	}
	return cgs_log_usage("unhandled option");
}

/* read one input into a blob (kept in o->owned) */
static int read_blob(struct tdx_opts *o, const char *path, struct cgs_tdx_blob *b)
{
	struct cgs_diag d;
	uint8_t *buf;
	size_t len;

	if (!path)
		return 0;
	if (cgs_read_file(path, MAX_FILE, &buf, &len, &d))
		return cgs_log_diag(&d, "read", path);
	o->owned[o->n_owned++] = buf;
	b->data = buf;
	b->len = len;
	return 0;
}

/* a conventional name in --collateral DIR, unless the file option was given */
static const char *in_dir(const struct tdx_opts *o, const char *given, const char *name, char *buf,
			  size_t size, int need)
{
	FILE *f;

	if (given || !o->collateral)
		return given;
	snprintf(buf, size, "%s/%s", o->collateral, name);
	if (need || (f = fopen(buf, "rb")) == NULL)
		return need ? buf : NULL;
	fclose(f);
	return buf;
}

static int read_inputs(struct tdx_opts *o)
{
	char b[6][4096];
	struct cgs_tdx_collateral *c = &o->coll;
	int rc;

	if ((rc = read_blob(o, in_dir(o, o->tcb_info, "tcb_info.json", b[0], 4096, 1),
			    &c->tcb_info)) ||
	    (rc = read_blob(o, in_dir(o, o->qe_identity, "qe_identity.json", b[1], 4096, 1),
			    &c->qe_identity)) ||
	    (rc = read_blob(o, in_dir(o, o->tcb_chain, "tcb_info_issuer_chain.pem", b[2], 4096, 1),
			    &c->tcb_chain)) ||
	    (rc =
		 read_blob(o, in_dir(o, o->qe_chain, "qe_identity_issuer_chain.pem", b[3], 4096, 0),
			   &c->qe_chain)) ||
	    (rc = read_blob(o, in_dir(o, o->pck_crl, "pck_crl.der", b[4], 4096, 0), &c->pck_crl)) ||
	    (rc = read_blob(o, in_dir(o, o->root_crl, "root_ca_crl.der", b[5], 4096, 0),
			    &c->root_crl)) ||
	    (rc = read_blob(o, o->trusted_root, &c->trusted_root)))
		return rc;
	return 0;
}

static int read_expected(struct tdx_opts *o)
{
	struct cgs_tdx_blob b = {NULL, 0};
	struct cgs_diag d;
	int rc = read_blob(o, o->expected, &b);

	if (rc || !o->expected)
		return rc;
	if (tdx_expected_read(b.data, b.len, &o->candidates, &o->policy.n_candidates, &d))
		return cgs_log_diag(&d, "read", o->expected);
	o->policy.candidates = o->candidates;
	return 0;
}

int tdx_cli_read_quote(const char *path, uint8_t **ret, size_t *ret_len)
{
	struct cgs_diag d;
	uint8_t *buf;
	size_t len, n, hl;

	if (cgs_read_file(path, MAX_FILE, &buf, &len, &d))
		return cgs_log_diag(&d, "read", path);
	/* hex text of a quote ("0400 0200 8100 0000..." without separators, maybe a newline) */
	hl = strspn((const char *)buf, "0123456789abcdefABCDEF");
	if (len >= 4 && buf[0] == '0' && (buf[1] == '4' || buf[1] == '5') &&
	    strspn((const char *)buf + hl, "\r\n") == len - hl && hl % 2 == 0) {
		buf[hl] = '\0';
		if (!cgs_hex_decode((const char *)buf, buf, hl / 2, &n, 1))
			len = n;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int check_args(struct tdx_opts *o)
{
	int64_t at;

	if (!o->quote)
		return cgs_log_usage("missing --quote FILE");
	if (!o->collateral && (!o->tcb_info || !o->qe_identity || !o->tcb_chain))
		return cgs_log_usage("missing --tcb-info, --qe-identity and --tcb-signing-chain "
				     "(or --collateral DIR)");
	if (o->at && cgs_time_parse(o->at, &at))
		return cgs_log_usage(
		    "--at: expected an RFC 3339 time such as 2025-06-20T00:00:00Z");
	o->coll.at = o->at ? at : (int64_t)time(NULL);
	o->policy.allow_status = o->allow.names;
	o->policy.n_allow_status = o->allow.n;
	o->policy.skip = o->skip.names;
	o->policy.n_skip = o->skip.n;
	return -1;
}

int tdx_cli_prepare(struct tdx_opts *o, int argc, char **argv)
{
	struct cgs_command cmd = {
	    "cgs-verify tdx",
	    "--quote FILE (--collateral DIR | --tcb-info FILE --qe-identity FILE\n"
	    "       --tcb-signing-chain FILE --pck-crl FILE --root-crl FILE) [OPTION]...\n"
	    "   or: cgs-verify tdx show --quote FILE [--json]",
	    "Verify an Intel TDX DCAP quote against the pinned Intel SGX Root CA, Intel's "
	    "collateral and expected values.",
	    options,
	    CGS_COMMON_JSON,
	    "Exit status: 0 verified, 2 not verified, 64 usage, 65 malformed input, 66 "
	    "missing input.",
	    on_option,
	    o,
	};
	int rc;

	memset(o, 0, sizeof(*o));
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if ((rc = check_args(o)) >= 0 || (rc = read_inputs(o)) || (rc = read_expected(o)) ||
	    (rc = tdx_cli_read_quote(o->quote, &o->quote_buf, &o->quote_len)))
		return rc;
	return -1;
}

void tdx_cli_free(struct tdx_opts *o)
{
	for (size_t i = 0; i < o->n_owned; i++)
		free(o->owned[i]);
	free(o->quote_buf);
	free(o->candidates);
	memset(o, 0, sizeof(*o));
}

struct json_object *tdx_cli_quote_json(const uint8_t *buf, size_t len)
{
	struct tdx_quote q;

	if (tdx_quote_parse(buf, len, &q, NULL))
		return NULL;
	return tdx_quote_json(&q);
}
