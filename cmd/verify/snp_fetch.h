/* SPDX-License-Identifier: MIT */
/* Options shared by `cgs-verify snp` and `cgs-verify snp fetch`: the cache, KDS, policy files. */
#ifndef CGS_CMD_VERIFY_SNP_FETCH_H
#define CGS_CMD_VERIFY_SNP_FETCH_H

#include "lib/core/cli.h"

#include <cgs/snp.h>

/* option keys, above every verb's own */
enum {
	SNP_OPT_CACHE = 0x9000,
	SNP_OPT_KDS,
	SNP_OPT_FETCH,
	SNP_OPT_POLICY_FILE,
	SNP_OPT_PARITY, /* the policy options below: parsed by cgs_snp_policy_set() by name */
	SNP_OPT_REPORT_ID,
	SNP_OPT_REPORT_ID_MA,
	SNP_OPT_TRUSTED_ID_KEY,
	SNP_OPT_TRUSTED_AUTHOR_KEY,
	SNP_OPT_REQUIRE_ID_BLOCK,
	SNP_OPT_REQUIRE_AUTHOR_KEY,
};

/* go-sev-guest's check options that cgs-verify snp lacked */
#define SNP_PARITY_OPTIONS                                                                         \
	{"chip-id", SNP_OPT_PARITY, CGS_REQ_ARG, "HEX", "expected CHIP_ID (64 bytes)", 0},         \
	    {"report-id",                                                                          \
	     SNP_OPT_REPORT_ID,                                                                    \
	     CGS_REQ_ARG,                                                                          \
	     "HEX",                                                                                \
	     "expected REPORT_ID (32 bytes)",                                                      \
	     0},                                                                                   \
	    {"report-id-ma",                                                                       \
	     SNP_OPT_REPORT_ID_MA,                                                                 \
	     CGS_REQ_ARG,                                                                          \
	     "HEX",                                                                                \
	     "expected REPORT_ID_MA (32 bytes)",                                                   \
	     0},                                                                                   \
	    {"trusted-id-key",                                                                     \
	     SNP_OPT_TRUSTED_ID_KEY,                                                               \
	     CGS_REQ_ARG,                                                                          \
	     "KEY",                                                                                \
	     "a trusted ID key: SHA-384 digest (hex) or key file (repeatable)",                    \
	     0},                                                                                   \
	    {"trusted-author-key",                                                                 \
	     SNP_OPT_TRUSTED_AUTHOR_KEY,                                                           \
	     CGS_REQ_ARG,                                                                          \
	     "KEY",                                                                                \
	     "a trusted author key: digest or key file (repeatable)",                              \
	     0},                                                                                   \
	    {"require-id-block",                                                                   \
	     SNP_OPT_REQUIRE_ID_BLOCK,                                                             \
	     CGS_NO_ARG,                                                                           \
	     NULL,                                                                                 \
	     "the ID key, or the author key that signed it, must be trusted",                      \
	     0},                                                                                   \
	{                                                                                          \
		"require-author-key", SNP_OPT_REQUIRE_AUTHOR_KEY, CGS_NO_ARG, NULL,                \
		    "an author key must be present and trusted", 0                                 \
	}

/* the verifier's inputs besides SNP_CACHE_OPTIONS */
#define SNP_VERIFY_INPUT_OPTIONS                                                                   \
	{"fetch",                                                                                  \
	 SNP_OPT_FETCH,                                                                            \
	 CGS_NO_ARG,                                                                               \
	 NULL,                                                                                     \
	 "download what the cache lacks (or a stale CRL) from KDS first",                          \
	 0},                                                                                       \
	{                                                                                          \
		"policy-file", SNP_OPT_POLICY_FILE, CGS_REQ_ARG, "FILE",                           \
		    "more options from a JSON or YAML file (keys: option names)", 0                \
	}

/*
 * --cache, --kds, --fetch or --policy-file of the verifier into in (a policy
 * file is applied to cmd). -1 if key is none of them, else 0 or an exit code.
 */
int snp_input_option(struct cgs_snp_inputs *in, const struct cgs_command *cmd, int key,
		     const char *arg);

#define SNP_CACHE_OPTIONS                                                                          \
	{"cache",                                                                                  \
	 SNP_OPT_CACHE,                                                                            \
	 CGS_REQ_ARG,                                                                              \
	 "DIR",                                                                                    \
	 "the collateral cache (default $XDG_CACHE_HOME/cgs)",                                     \
	 0},                                                                                       \
	{                                                                                          \
		"kds", SNP_OPT_KDS, CGS_REQ_ARG, "URL",                                            \
		    "the KDS base URL (default $CGS_KDS_URL or https://kdsintf.amd.com)", 0        \
	}

/* --kds URL, else $CGS_KDS_URL, else NULL (AMD's); 0 or the exit code of a usage error */
int snp_kds_option(const char *arg, const char **ret);

/* --policy-file FILE: apply it to cmd (cgs_optfile_apply); 0 or an exit code (logged) */
int snp_policy_file(const struct cgs_command *cmd, const char *path);

#endif
