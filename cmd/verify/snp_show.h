/* SPDX-License-Identifier: MIT */
/* Shared by the `cgs-verify snp` verbs: reading a report file, --allow-version. */
#ifndef CGS_CMD_VERIFY_SNP_SHOW_H
#define CGS_CMD_VERIFY_SNP_SHOW_H

#include <stdint.h>

#include "lib/snp/snp_decode.h"

/*
 * Read and parse a report file: a bare report, or an Azure HCL report wrapping
 * one (wrap may be NULL). Returns 0 or an exit code (message logged).
 */
int snp_load_report(const char *path, uint64_t allow_versions, struct snp_report *ret,
		    struct snp_wrapper *wrap);

/* Parse "--allow-version N" values into a bitmask; 0 or an exit code. */
int snp_parse_allow_version(const char *arg, uint64_t *mask);

int verb_snp_show(int argc, char **argv);
int verb_snp_kds_url(int argc, char **argv);

#endif
