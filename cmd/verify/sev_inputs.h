/* SPDX-License-Identifier: MIT */
/*
 * cgs-verify sev: the expected launch digest computed from the measured inputs
 * (firmware, kernel, initrd, command line, vCPUs): their options, checked
 * and resolved here; the library measures them (cgs_sev_verify). Also the
 * verdict output and the --expected options that sev and sev-chain share.
 */
#ifndef CGS_CMD_VERIFY_SEV_INPUTS_H
#define CGS_CMD_VERIFY_SEV_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <cgs/sev.h>

#include "lib/sev/sev_measure.h"

/* option keys (cmd/verify/sev.c puts them in its table) */
enum {
	SEV_IN_KEY_MODE = 0x1000,
	SEV_IN_KEY_OVMF,
	SEV_IN_KEY_KERNEL,
	SEV_IN_KEY_INITRD,
	SEV_IN_KEY_APPEND,
	SEV_IN_KEY_VCPUS,
	SEV_IN_KEY_VCPU_TYPE,
	SEV_IN_KEY_VCPU_SIG,
	SEV_IN_KEY_VCPU_FAMILY,
	SEV_IN_KEY_VCPU_MODEL,
	SEV_IN_KEY_VCPU_STEPPING,
	SEV_IN_KEY_VMM_TYPE,
	SEV_IN_KEY_VMSA_FPU,
	SEV_IN_KEY_VMSA_CPU0,
	SEV_IN_KEY_VMSA_CPU1,
};

struct sev_inputs_opts {
	int used; /* some input option was given */
	int have_mode, have_vcpus;
	struct sev_vcpu_given cpu;
	struct cgs_sev_measure_inputs in;
};

void sev_inputs_init(struct sev_inputs_opts *m);

/* Handle an input option: 0 or a usage exit code; -1 if key is not one of them. */
int sev_inputs_on_option(struct sev_inputs_opts *m, int key, const char *arg);

/*
 * Check the input options (usage errors) and settle the mode (without --mode:
 * the policy's ES bit) and the vCPU signature. Returns 0 or an exit code
 * (message logged); cgs_sev_verify() then measures the inputs.
 */
int sev_inputs_prepare(struct sev_inputs_opts *m, uint32_t policy);

/* Every check of a verdict, one line each ("pass  name: reason"). */
void sev_print_checks(const struct cgs_verdict *v);

/* {"schema_version", "tool": "cgs-verify", "verified", "evidence", "checks"}. */
struct json_object *sev_verdict_doc(const char *evidence, int verified,
				    const struct cgs_verdict *v);

/* Print and free a verdict document: the exit code (1 when stdout fails). */
int sev_print_doc(struct json_object *doc, int verified);

/* --expected FILE (path) or --expected-digest HEX (digest): 0 or an exit code. */
int sev_add_expected(struct cgs_sev_expected_list *l, const char *path, const char *digest);

#endif
