/* SPDX-License-Identifier: MIT */
/* Shared by the `cgs-verify tdx` verbs: options, input files, the decoded quote. */
#ifndef CGS_CMD_VERIFY_TDX_CLI_H
#define CGS_CMD_VERIFY_TDX_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <cgs/tdx_verify.h>

#include "lib/core/verdict.h"

struct tdx_opts {
	const char *quote, *tcb_info, *qe_identity, *tcb_chain, *qe_chain, *pck_crl, *root_crl;
	const char *collateral, *trusted_root, *at, *expected;
	uint8_t *quote_buf;
	size_t quote_len;
	uint8_t *owned[8]; /* file contents */
	size_t n_owned;
	struct cgs_tdx_collateral coll;
	struct cgs_tdx_policy policy;
	struct cgs_tdx_measurement *candidates; /* --expected */
	struct cgs_name_list allow, skip; /* --allow-tcb-status, --skip */
	uint64_t repeat;
};

/*
 * Parse the command line and read every input. Returns -1 to go on, or an
 * exit code (the message is logged).
 */
int tdx_cli_prepare(struct tdx_opts *o, int argc, char **argv);
void tdx_cli_free(struct tdx_opts *o);

/* Read a quote file (binary, or hex text); 0 or an exit code (logged). */
int tdx_cli_read_quote(const char *path, uint8_t **ret, size_t *ret_len);

/* The decoded quote as JSON (NULL when it does not parse or out of memory). */
struct json_object *tdx_cli_quote_json(const uint8_t *buf, size_t len);

#endif
