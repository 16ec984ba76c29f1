// SPDX-License-Identifier: MIT
#include "cmd/verify/sev_inputs.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/sev/sev_verify.h"

void sev_inputs_init(struct sev_inputs_opts *m)
{
	memset(m, 0, sizeof(*m));
	cgs_sev_measure_inputs_init(&m->in);
}

static int num(const char *name, const char *arg, uint64_t max, uint64_t *ret, int *have)
{
	int rc = cgs_arg_u64(name, arg, max, ret);

	if (!rc)
		*have = 1;
	return rc;
}

static int on_choice(struct sev_inputs_opts *m, int key, const char *arg)
{
	uint32_t sig;

	switch (key) {
	case SEV_IN_KEY_MODE:
		if (cgs_sev_mode_parse(arg, &m->in.mode) ||
		    (m->in.mode != CGS_SEV_MODE_SEV && m->in.mode != CGS_SEV_MODE_SEV_ES))
			return cgs_log_usage("invalid mode '%s' for '--mode' (expected sev or seves)",
					     arg);
		m->have_mode = 1;
		return 0;
	case SEV_IN_KEY_VMM_TYPE:
		if (cgs_sev_vmm_parse(arg, &m->in.vmm))
			return cgs_log_usage("unknown VMM type '%s' for '--vmm-type' (expected QEMU, "
					     "ec2 or gce)", arg);
		return 0;
	case SEV_IN_KEY_VMSA_FPU:
		if (strcmp(arg, "init2") && strcmp(arg, "legacy"))
			return cgs_log_usage("invalid value '%s' for '--vmsa-fpu' (expected init2 or "
					     "legacy)", arg);
		m->in.vmsa_legacy_fpu = !strcmp(arg, "legacy");
		return 0;
	case SEV_IN_KEY_VCPU_TYPE:
		if (cgs_sev_vcpu_type_sig(arg, &sig))
			return cgs_log_usage("unknown vCPU type '%s' for '--vcpu-type' (see "
					     "cgs-measure(1))", arg);
		m->cpu.type = arg;
		return 0;
	default:
		return -1;
	}
}

int sev_inputs_on_option(struct sev_inputs_opts *m, int key, const char *arg)
{
	uint64_t v = 0;
	int rc;

	if (key < SEV_IN_KEY_MODE || key > SEV_IN_KEY_VMSA_CPU1)
		return -1;
	m->used = 1;
	rc = on_choice(m, key, arg);
	if (rc >= 0)
		return rc;
	switch (key) {
	case SEV_IN_KEY_OVMF:
		m->in.ovmf = arg;
		return 0;
	case SEV_IN_KEY_KERNEL:
		m->in.kernel = arg;
		return 0;
	case SEV_IN_KEY_INITRD:
		m->in.initrd = arg;
		return 0;
	case SEV_IN_KEY_APPEND:
		m->in.append = arg;
		return 0;
	case SEV_IN_KEY_VMSA_CPU0:
		m->in.vmsa_files[0] = arg;
		return 0;
	case SEV_IN_KEY_VMSA_CPU1:
		m->in.vmsa_files[1] = arg;
		return 0;
	case SEV_IN_KEY_VCPUS:
		rc = num("vcpus", arg, UINT32_MAX, &v, &m->have_vcpus);
		m->in.vcpus = (uint32_t)v;
		return rc;
	case SEV_IN_KEY_VCPU_SIG:
		return num("vcpu-sig", arg, UINT32_MAX, &m->cpu.sig, &m->cpu.have_sig);
	case SEV_IN_KEY_VCPU_FAMILY:
		return num("vcpu-family", arg, 0x10e, &m->cpu.family, &m->cpu.have_family);
	case SEV_IN_KEY_VCPU_MODEL:
		return num("vcpu-model", arg, 0xff, &m->cpu.model, &m->cpu.have_model);
	case SEV_IN_KEY_VCPU_STEPPING:
		return num("vcpu-stepping", arg, 0xf, &m->cpu.stepping, &m->cpu.have_stepping);
	default:
		return 0;
	}
}

/* The vCPU signature, with the precedence cgs-measure (and sev-snp-measure) use. */
static int resolve_sig(struct sev_inputs_opts *m)
{
	struct cgs_sev_measure_inputs *in = &m->in;
	struct cgs_diag d;
	int missing;

	cgs_diag_clear(&d);
	if (sev_vcpu_sig_resolve(&m->cpu, in, &missing, &d))
		return cgs_log_usage("%s", d.text);
	if (missing && in->vmsa_files[0])
		in->vcpu_sig = 0; /* the VMSA pages come from files */
	else if (missing && in->vmm == CGS_SEV_VMM_QEMU && in->mode == CGS_SEV_MODE_SEV_ES)
		return cgs_log_usage("missing --vcpu-type or --vcpu-sig or --vcpu-family for "
				     "an SEV-ES guest");
	return 0;
}

int sev_inputs_prepare(struct sev_inputs_opts *m, uint32_t policy)
{
	struct cgs_sev_measure_inputs *in = &m->in;

	if (!m->have_mode)
		in->mode = (policy & 0x4) ? CGS_SEV_MODE_SEV_ES : CGS_SEV_MODE_SEV;
	if (!in->ovmf)
		return cgs_log_usage("the measured inputs need --ovmf PATH");
	if (in->initrd && !in->kernel)
		return cgs_log_usage("--kernel required when using --initrd");
	if (in->append && !in->kernel)
		return cgs_log_usage("--kernel required when using --append");
	if (in->mode == CGS_SEV_MODE_SEV_ES && !m->have_vcpus)
		return cgs_log_usage("missing --vcpus N for an SEV-ES guest");
	if ((in->vmsa_files[0] || in->vmsa_files[1]) && in->mode != CGS_SEV_MODE_SEV_ES)
		return cgs_log_usage("'--vmsa-cpu0' and '--vmsa-cpu1' need an SEV-ES guest");
	if (!in->vmsa_files[0] != !in->vmsa_files[1] && in->vcpus > 1)
		return cgs_log_usage("'--vmsa-cpu0' and '--vmsa-cpu1' go together");
	return resolve_sig(m);
}

/* ---- output and --expected, shared by sev and sev-chain ---- */

void sev_print_checks(const struct cgs_verdict *v)
{
	for (size_t i = 0; i < v->n; i++) {
		printf("%-5s %s", cgs_check_result_str(v->checks[i].result), v->checks[i].name);
		if (v->checks[i].reason[0])
			printf(": %s", v->checks[i].reason);
		printf("\n");
	}
}

struct json_object *sev_verdict_doc(const char *evidence, int verified,
				       const struct cgs_verdict *v)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *arr = json_object_new_array();

	if (!doc || !arr || cgs_json_add_bool(doc, "verified", verified) ||
	    cgs_json_add_str(doc, "evidence", evidence)) {
		json_object_put(arr);
		json_object_put(doc);
		return NULL;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct cgs_check *c = &v->checks[i];
		struct json_object *o = json_object_new_object();

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			continue;
		}
		cgs_json_add_str(o, "name", c->name);
		cgs_json_add_str(o, "result", cgs_check_result_str(c->result));
		cgs_json_add_str(o, "expected", c->expected[0] ? c->expected : NULL);
		cgs_json_add_str(o, "actual", c->actual[0] ? c->actual : NULL);
		cgs_json_add_str(o, "reason", c->reason[0] ? c->reason : NULL);
	}
	cgs_json_add(doc, "checks", arr);
	return doc;
}

int sev_print_doc(struct json_object *doc, int verified)
{
	int rc = doc ? cgs_json_print(doc, cgs_opts.json) : -1;

	json_object_put(doc);
	if (rc) {
		cgs_log_error("cannot write the result to stdout");
		return CGS_EXIT_FAILURE;
	}
	return verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
}

int sev_add_expected(struct cgs_sev_expected_list *l, const char *path, const char *digest)
{
	uint8_t dig[CGS_SEV_SHA256_LEN];
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (digest) {
		if (cgs_arg_hex("expected-digest", digest, dig, sizeof(dig)))
			return CGS_EXIT_USAGE;
		if (cgs_sev_expected_add_digest(l, dig, "--expected-digest", &d))
			return cgs_log_usage("%s", d.text);
		return 0;
	}
	if (cgs_sev_expected_add_file(l, path, &d))
		return cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read" : "read expected values from",
				    path);
	return 0;
}
