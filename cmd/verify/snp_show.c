// SPDX-License-Identifier: MIT
/* `cgs-verify snp show` and `cgs-verify snp kds-url`, and the report decoding they share. */
#include "cmd/verify/snp_show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/azure_hcl.h"
#include "formats/snp_certtable.h"
#include "keys/amd_chain.h"
#include "lib/core/cli.h"
#include "lib/core/guid.h"
#include "lib/core/exit.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/snp/snp_fetch.h"

int snp_load_report(const char *path, uint64_t allow_versions, struct snp_report *ret,
		    struct snp_wrapper *wrap)
{
	struct cgs_diag d;
	uint8_t *buf;
	size_t len;
	enum cgs_err e;

	cgs_diag_clear(&d);
	e = cgs_read_file(path, 1u << 20, &buf, &len, &d);
	if (e)
		return cgs_log_diag(&d, "read", path);
	e = snp_report_decode(buf, len, allow_versions, ret, wrap, &d);
	free(buf);
	return e ? cgs_log_diag(&d, "parse", path) : 0;
}

int snp_parse_allow_version(const char *arg, uint64_t *mask)
{
	uint64_t v;
	int rc = cgs_arg_u64("--allow-version", arg, 63, &v);

	if (rc)
		return rc;
	if (v < 2)
		return cgs_log_usage("--allow-version: versions below 2 have no known layout");
	*mask |= 1ull << v;
	return 0;
}

/* text form: one "name: value" line per field, from the JSON object */
static void print_obj(struct json_object *o, const char *prefix)
{
	json_object_object_foreach(o, key, val)
	{
		char name[96];

		snprintf(name, sizeof(name), "%s%s", prefix, key);
		if (json_object_is_type(val, json_type_object)) {
			char sub[128];

			snprintf(sub, sizeof(sub), "%s.", name);
			print_obj(val, sub);
		} else if (!val) {
			printf("%-28s (absent)\n", name);
		} else if (json_object_is_type(val, json_type_string)) {
			printf("%-28s %s\n", name, json_object_get_string(val));
		} else {
			printf("%-28s %s\n", name,
			       json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN));
		}
	}
}

struct sub_opts {
	const char *report;
	const char *cert_table;
	const char *product;
	uint64_t allow_versions;
};

enum { OPT_REPORT = CGS_KEY_FIRST, OPT_PRODUCT, OPT_ALLOW_VERSION, OPT_CERT_TABLE };

static const struct cgs_option sub_options[] = {
    {"report", 'r', CGS_REQ_ARG, "FILE", "the attestation report (1184 bytes)", 0},
    {"product", OPT_PRODUCT, CGS_REQ_ARG, "NAME",
     "milan, genoa, bergamo, siena or turin (for version 2 reports)", 0},
    {"allow-version", OPT_ALLOW_VERSION, CGS_REQ_ARG, "N",
     "accept report version N (besides 2, 3, 5)", 0},
    {"cert-table", OPT_CERT_TABLE, CGS_REQ_ARG, "FILE",
     "show: also list an extended-report certificate table", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int sub_on_option(void *ctx, int key, const char *arg)
{
	struct sub_opts *o = ctx;

	switch (key) {
	case 'r':
		o->report = arg;
		return 0;
	case OPT_PRODUCT:
		if (!snp_product_by_name(arg))
			return cgs_log_usage("--product: unknown product '%s'", arg);
		o->product = arg;
		return 0;
	case OPT_ALLOW_VERSION:
		return snp_parse_allow_version(arg, &o->allow_versions);
	case OPT_CERT_TABLE:
		o->cert_table = arg;
		return 0;
	default:
		return 0;
	}
}

static int sub_parse(const char *name, const char *summary, int argc, char **argv,
		     struct sub_opts *o)
{
	struct cgs_command cmd = {name,
				  "--report FILE [OPTION]...",
				  summary,
				  sub_options,
				  CGS_COMMON_JSON,
				  NULL,
				  sub_on_option,
				  o};
	int rc = cgs_cli_parse_options(&cmd, argc, argv);

	if (rc >= 0)
		return rc;
	if (!o->report)
		return cgs_log_usage("missing --report FILE");
	return -1;
}

/* GHCB GUIDs are in RFC 4122 byte order; lib/guid formats EFI order: swap the first fields */
static void guid_text(const uint8_t rfc[16], char out[CGS_GUID_STR_LEN + 1])
{
	static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	uint8_t efi[16];

	for (int i = 0; i < 16; i++)
		efi[i] = rfc[order[i]];
	cgs_guid_format_efi(efi, out);
}

static struct json_object *entry_json(const uint8_t *buf, const struct snp_cert_entry *e)
{
	struct json_object *o = json_object_new_object();
	char g[CGS_GUID_STR_LEN + 1], cn[64] = "";
	struct amd_certs c;
	struct cgs_diag d;

	if (!o)
		return NULL;
	guid_text(e->guid, g);
	amd_certs_init(&c);
	if (e->kind != SNP_CERT_UNKNOWN && e->kind != SNP_CERT_EXTRA_PLATFORM_INFO &&
	    e->kind != SNP_CERT_CRL && e->length &&
	    amd_certs_load_mem(&c, buf + e->offset, e->length, AMD_ROLE_UNKNOWN, &d) == CGS_OK &&
	    c.n)
		amd_cert_cn(c.certs[0].x, cn, sizeof(cn));
	amd_certs_free(&c);
	cgs_json_add_str(o, "guid", g);
	cgs_json_add_str(o, "kind", snp_cert_kind_name(e->kind));
	cgs_json_add_int(o, "offset", e->offset);
	cgs_json_add_int(o, "length", e->length);
	cgs_json_add_str(o, "subject_cn", cn[0] ? cn : NULL);
	return o;
}

/* the certificate table as a JSON array; 0 or an exit code (logged) */
static int table_json(const char *path, struct json_object **ret)
{
	struct snp_certtable t;
	struct cgs_diag d;
	struct json_object *a;
	uint8_t *buf;
	size_t len;
	enum cgs_err e;

	cgs_diag_clear(&d);
	if ((e = cgs_read_file(path, 16u << 20, &buf, &len, &d)))
		return cgs_log_diag(&d, "read", path);
	if ((e = snp_certtable_parse(buf, len, &t, &d))) {
		free(buf);
		return cgs_log_diag(&d, "parse", path);
	}
	a = json_object_new_array();
	for (size_t i = 0; a && i < t.n; i++)
		json_object_array_add(a, entry_json(buf, &t.e[i]));
	free(buf);
	*ret = a;
	return a ? 0 : CGS_EXIT_FAILURE;
}

static void print_table(struct json_object *a)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i), *v;
		const char *cn = NULL;

		if (json_object_object_get_ex(e, "subject_cn", &v) && v)
			cn = json_object_get_string(v);
		json_object_object_get_ex(e, "guid", &v);
		printf("cert_table[%zu]                %s", i, json_object_get_string(v));
		json_object_object_get_ex(e, "kind", &v);
		printf(" %s", json_object_get_string(v));
		json_object_object_get_ex(e, "offset", &v);
		printf(" offset %d", json_object_get_int(v));
		json_object_object_get_ex(e, "length", &v);
		printf(" length %d%s%s\n", json_object_get_int(v), cn ? " " : "", cn ? cn : "");
	}
}

int verb_snp_show(int argc, char **argv)
{
	struct sub_opts o = {NULL, NULL, NULL, 0};
	struct snp_report r;
	const struct snp_product *p;
	struct json_object *doc, *rep;
	const char *why;
	int rc, conflict;

	rc = sub_parse("cgs-verify snp show", "Decode every field of an SEV-SNP report.", argc,
		       argv, &o);
	if (rc >= 0)
		return rc;
	if ((rc = snp_load_report(o.report, o.allow_versions, &r, NULL)))
		return rc;
	p = snp_report_product(&r, o.product, &why, &conflict);
	if (conflict)
		cgs_log_warn("%s", why);
	doc = cgs_json_doc("cgs-verify");
	rep = snp_report_json(&r, p);
	if (!doc || !rep || cgs_json_add_str(doc, "evidence", "snp") ||
	    cgs_json_add(doc, "report", rep)) {
		json_object_put(doc);
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	if (o.cert_table) {
		struct json_object *tab = NULL;

		if ((rc = table_json(o.cert_table, &tab))) {
			json_object_put(doc);
			return rc;
		}
		cgs_json_add(doc, "cert_table", tab);
	}
	if (cgs_opts.json != CGS_JSON_OFF) {
		rc = cgs_json_print(doc, cgs_opts.json);
	} else {
		struct json_object *tab;

		print_obj(rep, "");
		if (json_object_object_get_ex(doc, "cert_table", &tab))
			print_table(tab);
		rc = fflush(stdout) ? -1 : 0;
	}
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : CGS_EXIT_OK;
}

int verb_snp_kds_url(int argc, char **argv)
{
	struct sub_opts o = {NULL, NULL, NULL, 0};
	struct snp_report r;
	struct snp_fetch f;
	const struct snp_product *p;
	const char *why, *vcek, *chain, *crl;
	int rc, conflict;

	rc = sub_parse("cgs-verify snp kds-url",
		       "Print the AMD KDS URLs of the VCEK, cert_chain and CRL for a report.", argc,
		       argv, &o);
	if (rc >= 0)
		return rc;
	if ((rc = snp_load_report(o.report, o.allow_versions, &r, NULL)))
		return rc;
	p = snp_report_product(&r, o.product, &why, &conflict);
	if (!p || conflict) {
		cgs_log_error("cannot tell the product of '%s': %s", o.report, why);
		return CGS_EXIT_DATAERR;
	}
	snp_fetch_names(&r, p, NULL, &f); /* lib/snp/snp_fetch: the URLs `snp fetch` uses */
	vcek = f.item[SNP_ITEM_VEK].url[0] ? f.item[SNP_ITEM_VEK].url : NULL;
	chain = f.item[SNP_ITEM_CHAIN].url;
	crl = f.item[SNP_ITEM_CRL].url;
	if (!vcek && !f.vlek) {
		cgs_log_error("'%s': CHIP_ID is masked (zero): the VCEK cannot be looked up",
			      o.report);
		return CGS_EXIT_DATAERR;
	}
	if (f.vlek)
		cgs_log_info("the report is VLEK-signed: the VLEK must come with the evidence "
			     "(AMD serves it to the cloud provider only)");
	if (cgs_opts.json != CGS_JSON_OFF) {
		struct json_object *doc = cgs_json_doc("cgs-verify");

		if (!doc)
			return CGS_EXIT_FAILURE;
		cgs_json_add_str(doc, "product", p->name);
		cgs_json_add_str(doc, "signing_key", f.vlek ? "vlek" : "vcek");
		cgs_json_add_str(doc, "vcek_url", vcek);
		cgs_json_add_str(doc, "cert_chain_url", chain);
		cgs_json_add_str(doc, "crl_url", crl);
		rc = cgs_json_print(doc, cgs_opts.json);
		json_object_put(doc);
		return rc ? CGS_EXIT_FAILURE : CGS_EXIT_OK;
	}
	if (vcek)
		printf("vcek: %s\n", vcek);
	printf("cert_chain: %s\n", chain);
	printf("crl: %s\n", crl);
	return CGS_EXIT_OK;
}
