/* SPDX-License-Identifier: MIT */
/*
 * cgs-verify sev: the expected launch digest computed from the measured inputs
 * (firmware, kernel, initrd, command line, vCPUs) with the same engine as
 * cgs-measure (lib/sev_measure.h), and the per-input comparison with a
 * cgs-measure --json document.
 */
#ifndef CGS_CMD_VERIFY_SEV_INPUTS_H
#define CGS_CMD_VERIFY_SEV_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

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
	int have_mode, have_vcpus, have_sig, have_family, have_model, have_stepping;
	uint64_t sig, family, model, stepping;
	const char *vcpu_type;
	struct cgs_sev_measure_inputs in;
};

void sev_inputs_init(struct sev_inputs_opts *m);

/* Handle an input option: 0 or a usage exit code; -1 if key is not one of them. */
int sev_inputs_on_option(struct sev_inputs_opts *m, int key, const char *arg);

/*
 * Check the options and compute the launch digest. Without --mode the mode
 * follows the policy's ES bit. Returns 0 or an exit code (message logged).
 */
int sev_inputs_measure(struct sev_inputs_opts *m, uint32_t policy, struct cgs_sev_measure_result *res);

/*
 * Compare the inputs and result with a cgs-measure --json document: appends
 * {input, expected, actual} objects to diffs (may be NULL) and returns the
 * number of differing inputs; names gets them comma-separated.
 */
size_t sev_inputs_diff(struct json_object *doc, const struct sev_inputs_opts *m,
		       const struct cgs_sev_measure_result *r, struct json_object *diffs, char *names,
		       size_t len);

#endif
