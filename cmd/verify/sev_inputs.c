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
		m->vcpu_type = arg;
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
		return num("vcpu-sig", arg, UINT32_MAX, &m->sig, &m->have_sig);
	case SEV_IN_KEY_VCPU_FAMILY:
		return num("vcpu-family", arg, 0x10e, &m->family, &m->have_family);
	case SEV_IN_KEY_VCPU_MODEL:
		return num("vcpu-model", arg, 0xff, &m->model, &m->have_model);
	case SEV_IN_KEY_VCPU_STEPPING:
		return num("vcpu-stepping", arg, 0xf, &m->stepping, &m->have_stepping);
	default:
		return 0;
	}
}

/* The vCPU signature, with the precedence cgs-measure (and sev-snp-measure) use. */
static int resolve_sig(struct sev_inputs_opts *m)
{
	struct cgs_sev_measure_inputs *in = &m->in;

	if (m->have_family || m->have_model || m->have_stepping) {
		if (!(m->have_family && m->have_model && m->have_stepping))
			return cgs_log_usage("'--vcpu-family', '--vcpu-model' and "
					     "'--vcpu-stepping' go together");
		in->vcpu_sig = cgs_sev_cpu_sig((uint32_t)m->family, (uint32_t)m->model,
						   (uint32_t)m->stepping);
	} else if (m->have_sig) {
		in->vcpu_sig = (uint32_t)m->sig;
	} else if (m->vcpu_type) {
		cgs_sev_vcpu_type_sig(m->vcpu_type, &in->vcpu_sig);
	} else if (in->vmsa_files[0]) {
		in->vcpu_sig = 0; /* the VMSA pages come from files */
	} else if (in->vmm == CGS_SEV_VMM_QEMU && in->mode == CGS_SEV_MODE_SEV_ES) {
		return cgs_log_usage("missing --vcpu-type or --vcpu-sig or --vcpu-family for "
				     "an SEV-ES guest");
	}
	if (in->mode == CGS_SEV_MODE_SEV)
		in->vcpu_sig = 0;
	return 0;
}

int sev_inputs_measure(struct sev_inputs_opts *m, uint32_t policy, struct cgs_sev_measure_result *res)
{
	struct cgs_sev_measure_inputs *in = &m->in;
	struct cgs_diag d;
	int rc;

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
	rc = resolve_sig(m);
	if (rc)
		return rc;
	cgs_diag_clear(&d);
	memset(res, 0, sizeof(*res));
	if (cgs_sev_measure(in, res, &d))
		return cgs_log_diag(&d, "measure", res->err_file);
	return 0;
}

/* ---- comparison with a cgs-measure document ---- */

struct diff_ctx {
	struct json_object *diffs;
	char *names;
	size_t len;
	size_t n;
};

static void add_diff(struct diff_ctx *c, const char *input, const char *expected,
		     const char *actual)
{
	size_t used = strlen(c->names);

	c->n++;
	snprintf(c->names + used, c->len - used, "%s%s", used ? ", " : "", input);
	if (c->diffs) {
		struct json_object *o = json_object_new_object();

		if (!o || json_object_array_add(c->diffs, o)) {
			json_object_put(o);
			return;
		}
		cgs_json_add_str(o, "input", input);
		cgs_json_add_str(o, "expected", expected);
		cgs_json_add_str(o, "actual", actual);
	}
}

/* A string member of obj (or NULL when missing or null). */
static const char *jstr(struct json_object *obj, const char *key)
{
	const char *s = NULL;

	if (obj)
		cgs_json_get_str(obj, key, &s);
	return s;
}

static struct json_object *jobj(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (obj && json_object_object_get_ex(obj, key, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

static void cmp_str(struct diff_ctx *c, const char *input, const char *expected,
		    const char *actual)
{
	if (!expected && !actual)
		return;
	if (!expected || !actual || strcasecmp(expected, actual))
		add_diff(c, input, expected, actual);
}

static void cmp_hex(struct diff_ctx *c, const char *input, const char *expected, int have,
		    const uint8_t *p, size_t len)
{
	char hex[2 * 176 + 1];

	if (have)
		cgs_hex_encode(p, len, hex);
	cmp_str(c, input, expected, have ? hex : NULL);
}

static void cmp_file(struct diff_ctx *c, const char *input, struct json_object *inputs,
		     const struct cgs_sev_measure_file *f)
{
	cmp_hex(c, input, jstr(jobj(inputs, input), "sha256"), f->present, f->sha256,
		sizeof(f->sha256));
}

static void cmp_u64(struct diff_ctx *c, const char *input, struct json_object *obj,
		    const char *key, uint64_t actual)
{
	uint64_t v;
	char e[24], a[24];

	snprintf(a, sizeof(a), "0x%" PRIx64, actual);
	if (!obj || cgs_json_get_u64(obj, key, &v)) {
		add_diff(c, input, NULL, a);
		return;
	}
	snprintf(e, sizeof(e), "0x%" PRIx64, v);
	if (v != actual)
		add_diff(c, input, e, a);
}

static void cmp_vmsas(struct diff_ctx *c, struct json_object *inter,
		      const struct cgs_sev_measure_result *r)
{
	struct json_object *arr = NULL;
	size_t n = 0;

	if (inter && json_object_object_get_ex(inter, "vmsas", &arr) &&
	    json_object_is_type(arr, json_type_array))
		n = json_object_array_length(arr);
	for (size_t i = 0; i < n || i < r->n_vmsas; i++) {
		struct json_object *e = i < n ? json_object_array_get_idx(arr, i) : NULL;
		char name[32];

		snprintf(name, sizeof(name), "vmsa[%zu]", i);
		cmp_hex(c, name, jstr(e, "digest"), i < r->n_vmsas, r->vmsas[i].digest,
			SEV_MEASURE_SHA256_LEN);
	}
}

size_t sev_inputs_diff(struct json_object *doc, const struct sev_inputs_opts *m,
		       const struct cgs_sev_measure_result *r, struct json_object *diffs, char *names,
		       size_t len)
{
	struct diff_ctx c = { diffs, names, len, 0 };
	struct json_object *inputs = jobj(doc, "inputs"), *inter = jobj(doc, "intermediate");
	int es = r->mode == CGS_SEV_MODE_SEV_ES;

	names[0] = '\0';
	cmp_str(&c, "mode", jstr(doc, "mode"), cgs_sev_mode_name(r->mode));
	cmp_file(&c, "ovmf", inputs, &r->ovmf);
	cmp_hex(&c, "kernel", jstr(inter, "kernel_sha256"), r->kernel.present, r->kernel.sha256,
		SEV_MEASURE_SHA256_LEN);
	cmp_hex(&c, "initrd", jstr(inter, "initrd_sha256"), r->has_hashes_table, r->initrd.sha256,
		SEV_MEASURE_SHA256_LEN);
	cmp_hex(&c, "append", jstr(inter, "cmdline_sha256"), r->has_cmdline, r->cmdline_sha256,
		SEV_MEASURE_SHA256_LEN);
	if (es) {
		cmp_u64(&c, "vcpus", inputs, "vcpus", m->in.vcpus);
		cmp_u64(&c, "vcpu_sig", inputs, "vcpu_sig", m->in.vcpu_sig);
		cmp_str(&c, "vmm_type", jstr(inputs, "vmm_type"), cgs_sev_vmm_name(m->in.vmm));
		if (jstr(inputs, "vmsa_fpu"))
			cmp_str(&c, "vmsa_fpu", jstr(inputs, "vmsa_fpu"),
				m->in.vmsa_legacy_fpu ? "legacy" : "init2");
		cmp_vmsas(&c, inter, r);
	}
	return c.n;
}
