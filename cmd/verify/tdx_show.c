// SPDX-License-Identifier: MIT
/* cgs-verify tdx show: decode every field of a TDX quote (text or --json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/verify/tdx_cli.h"
#include "cmd/verify/verbs.h"
#include "formats/tdx_quote.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/tdx/tdx_quote_json.h"

static const struct cgs_option options[] = {
    {"quote", CGS_KEY_FIRST, CGS_REQ_ARG, "FILE", "the TDX quote (v4 or v5; binary or hex)", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int on_option(void *ctx, int key, const char *arg)
{
	*(const char **)ctx = arg;
	return 0;
}

/* "body.mrtd: 91eb..." lines, nested objects by dotted names */
static void print_obj(struct json_object *o, const char *prefix)
{
	json_object_object_foreach(o, k, v)
	{
		char name[128];

		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", k);
		if (json_object_is_type(v, json_type_object))
			print_obj(v, name);
		else
			printf("%-34s %s\n", name,
			       json_object_to_json_string_ext(
				   v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

int verb_tdx_show(int argc, char **argv)
{
	const char *path = NULL;
	struct cgs_command cmd = {
	    "cgs-verify tdx show",
	    "--quote FILE [--json]",
	    "Decode every field of an Intel TDX quote (no verification).",
	    options,
	    CGS_COMMON_JSON,
	    NULL,
	    on_option,
	    &path,
	};
	struct json_object *doc, *q;
	struct tdx_quote quote;
	struct cgs_diag d;
	uint8_t *buf;
	size_t len;
	int optind_, rc = cgs_cli_parse(&cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (!path && optind_ < argc)
		path = argv[optind_++];
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (!path)
		return cgs_log_usage("missing --quote FILE");
	if ((rc = tdx_cli_read_quote(path, &buf, &len)))
		return rc;
	if (tdx_quote_parse(buf, len, &quote, &d)) {
		free(buf);
		return cgs_log_diag(&d, "parse", path);
	}
	doc = cgs_json_doc("cgs-verify");
	q = tdx_quote_json(&quote);
	rc =
	    !doc || !q || cgs_json_add_str(doc, "evidence", "tdx") || cgs_json_add(doc, "quote", q);
	if (!rc && cgs_opts.json != CGS_JSON_OFF)
		rc = cgs_json_print(doc, cgs_opts.json);
	else if (!rc)
		print_obj(q, ""), rc = fflush(stdout);
	json_object_put(doc);
	free(buf);
	return rc ? CGS_EXIT_FAILURE : CGS_EXIT_OK;
}
