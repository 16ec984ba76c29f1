// SPDX-License-Identifier: MIT
/*
 * cgs-measure (default verb): the launch digest of an SEV, SEV-ES or SEV-SNP
 * guest, option-compatible with sev-snp-measure 0.0.13 (same stdout for the
 * same arguments), plus --json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/measure/tdx.h"
#include "cmd/measure/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/sev/sev_measure.h"

enum {
	OPT_MODE = CGS_KEY_FIRST,
	OPT_VCPUS,
	OPT_VCPU_TYPE,
	OPT_VCPU_SIG,
	OPT_VCPU_FAMILY,
	OPT_VCPU_MODEL,
	OPT_VCPU_STEPPING,
	OPT_VMM_TYPE,
	OPT_OVMF,
	OPT_KERNEL,
	OPT_INITRD,
	OPT_APPEND,
	OPT_GUEST_FEATURES,
	OPT_OUTPUT_FORMAT,
	OPT_SNP_OVMF_HASH,
	OPT_DUMP_VMSA,
	OPT_SVSM,
	OPT_VARS_SIZE,
	OPT_VARS_FILE,
	OPT_EC2_LEGACY,
	OPT_VMSA_FPU,
};

static const struct cgs_option options[] = {
	{ "mode", OPT_MODE, CGS_REQ_ARG, "MODE",
	  "guest mode: sev, seves, snp, snp:ovmf-hash, snp:svsm or tdx (required)", 0 },
	{ "vcpus", OPT_VCPUS, CGS_REQ_ARG, "N", "number of guest vCPUs (all modes but sev)", 0 },
	{ "vcpu-type", OPT_VCPU_TYPE, CGS_REQ_ARG, "CPUTYPE",
	  "QEMU vCPU model: EPYC[-v1..4], EPYC-Rome, -Milan, -Genoa, -Turin...", 0 },
	{ "vcpu-sig", OPT_VCPU_SIG, CGS_REQ_ARG, "VALUE", "guest vCPU signature (CPUID 1 EAX)", 0 },
	{ "vcpu-family", OPT_VCPU_FAMILY, CGS_REQ_ARG, "FAMILY", "guest vCPU family", 0 },
	{ "vcpu-model", OPT_VCPU_MODEL, CGS_REQ_ARG, "MODEL", "guest vCPU model", 0 },
	{ "vcpu-stepping", OPT_VCPU_STEPPING, CGS_REQ_ARG, "STEPPING", "guest vCPU stepping", 0 },
	{ "vmm-type", OPT_VMM_TYPE, CGS_REQ_ARG, "VMMTYPE", "QEMU (default), ec2 or gce", 0 },
	{ "ovmf", OPT_OVMF, CGS_REQ_ARG, "PATH", "OVMF firmware image (as given to -bios)", 0 },
	{ "kernel", OPT_KERNEL, CGS_REQ_ARG, "PATH", "kernel (as given to -kernel)", 0 },
	{ "initrd", OPT_INITRD, CGS_REQ_ARG, "PATH", "initrd (as given to -initrd; needs --kernel)",
	  0 },
	{ "append", OPT_APPEND, CGS_REQ_ARG, "CMDLINE",
	  "kernel command line (as given to -append; needs --kernel)", 0 },
	{ "guest-features", OPT_GUEST_FEATURES, CGS_REQ_ARG, "VALUE",
	  "SNP SEV_FEATURES of the VMSAs (default 0x1)", 0 },
	{ "output-format", OPT_OUTPUT_FORMAT, CGS_REQ_ARG, "hex|base64",
	  "measurement output format (default hex)", 0 },
	{ "snp-ovmf-hash", OPT_SNP_OVMF_HASH, CGS_REQ_ARG, "HASH",
	  "precalculated OVMF hash (96 hex digits, snp mode)", 0 },
	{ "dump-vmsa", OPT_DUMP_VMSA, CGS_NO_ARG, NULL,
	  "write each vCPU's VMSA page to vmsa<N>.bin in the current directory", 0 },
	{ "svsm", OPT_SVSM, CGS_REQ_ARG, "PATH", "COCONUT-SVSM binary (snp:svsm)", 0 },
	{ "vars-size", OPT_VARS_SIZE, CGS_REQ_ARG, "SIZE", "size of the OVMF vars image (snp:svsm)",
	  0 },
	{ "vars-file", OPT_VARS_FILE, CGS_REQ_ARG, "PATH",
	  "OVMF vars image whose size to use (snp:svsm)", 0 },
	{ "ec2-legacy", OPT_EC2_LEGACY, CGS_NO_ARG, NULL,
	  "ec2: VMSA RDX 0, as sev-snp-measure <= 0.0.12 and the virtee/sev crate", 0 },
	{ "vmsa-fpu", OPT_VMSA_FPU, CGS_REQ_ARG, "init2|legacy",
	  "QEMU VMSA MXCSR/FCW: init2 (default, host kernel >= 6.10) or legacy (0, sevctl)", 0 },
	TDX_CLI_OPTIONS,
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* KVM_MAX_VCPUS on x86: more cannot be launched (and would only burn time) */
#define MAX_VCPUS 4096

struct digest_opts {
	struct sev_measure_inputs in;
	int have_mode, have_vcpus, have_sig, have_family, have_model, have_stepping;
	int have_features, have_vars_size, base64, dump_vmsa;
	const char *vcpu_type;
	uint64_t sig, family, model, stepping;
	uint64_t seen; /* bit (key - CGS_KEY_FIRST) of each option given */
	struct tdx_cli tdx;
};

static int opt_num(const char *name, const char *arg, uint64_t max, uint64_t *ret, int *have)
{
	int rc = cgs_arg_u64(name, arg, max, ret);

	if (!rc)
		*have = 1;
	return rc;
}

static int on_choice(struct digest_opts *o, int key, const char *arg)
{
	switch (key) {
	case OPT_MODE:
		o->tdx.on = !strcmp(arg, "tdx");
		o->have_mode = 1;
		if (o->tdx.on)
			return 0;
		if (sev_measure_mode_parse(arg, &o->in.mode))
			return cgs_log_usage("invalid mode '%s' for '--mode' (expected sev, seves, "
					     "snp, snp:ovmf-hash, snp:svsm or tdx)", arg);
		o->have_mode = 1;
		return 0;
	case OPT_VMM_TYPE:
		if (sev_measure_vmm_parse(arg, &o->in.vmm))
			return cgs_log_usage("unknown VMM type '%s' for '--vmm-type' (expected QEMU, "
					     "ec2 or gce)", arg);
		return 0;
	case OPT_OUTPUT_FORMAT:
		if (strcmp(arg, "hex") && strcmp(arg, "base64"))
			return cgs_log_usage("invalid value '%s' for '--output-format' (expected "
					     "hex or base64)", arg);
		o->base64 = !strcmp(arg, "base64");
		return 0;
	case OPT_VCPU_TYPE: {
		uint32_t sig;

		if (sev_measure_vcpu_type_sig(arg, &sig))
			return cgs_log_usage("unknown vCPU type '%s' for '--vcpu-type' (known: "
					     "EPYC[-v1|-v2|-v3|-v4|-IBPB], EPYC-Rome[-v1|-v2|-v3], "
					     "EPYC-Milan[-v1|-v2], EPYC-Genoa[-v1], EPYC-Turin)",
					     arg);
		o->vcpu_type = arg;
		return 0;
	}
	case OPT_VMSA_FPU:
		if (strcmp(arg, "init2") && strcmp(arg, "legacy"))
			return cgs_log_usage("invalid value '%s' for '--vmsa-fpu' (expected init2 or "
					     "legacy)", arg);
		o->in.vmsa_legacy_fpu = !strcmp(arg, "legacy");
		return 0;
	case OPT_SNP_OVMF_HASH:
		if (cgs_arg_hex("snp-ovmf-hash", arg, o->in.ovmf_hash, SEV_MEASURE_SHA384_LEN))
			return CGS_EXIT_USAGE;
		o->in.has_ovmf_hash = 1;
		return 0;
	default:
		return -1;
	}
}

static int on_option(void *ctx, int key, const char *arg)
{
	struct digest_opts *o = ctx;
	uint64_t v;
	int rc = tdx_cli_option(&o->tdx, key, arg);

	if (rc >= 0)
		return rc;
	if (key >= CGS_KEY_FIRST && key < CGS_KEY_FIRST + 64)
		o->seen |= 1ull << (key - CGS_KEY_FIRST);
	rc = on_choice(o, key, arg);
	if (rc >= 0)
		return rc;
	switch (key) {
	case OPT_VCPUS:
		rc = opt_num("vcpus", arg, MAX_VCPUS, &v, &o->have_vcpus);
		o->in.vcpus = (uint32_t)v;
		return rc;
	case OPT_VCPU_SIG:
		return opt_num("vcpu-sig", arg, UINT32_MAX, &o->sig, &o->have_sig);
	case OPT_VCPU_FAMILY:
		return opt_num("vcpu-family", arg, 0x10e, &o->family, &o->have_family);
	case OPT_VCPU_MODEL:
		return opt_num("vcpu-model", arg, 0xff, &o->model, &o->have_model);
	case OPT_VCPU_STEPPING:
		return opt_num("vcpu-stepping", arg, 0xf, &o->stepping, &o->have_stepping);
	case OPT_GUEST_FEATURES:
		return opt_num("guest-features", arg, UINT64_MAX, &o->in.guest_features,
			       &o->have_features);
	case OPT_VARS_SIZE:
		return opt_num("vars-size", arg, UINT32_MAX, &o->in.vars_size, &o->have_vars_size);
	case OPT_OVMF:
		o->in.ovmf = arg;
		return 0;
	case OPT_KERNEL:
		o->in.kernel = arg;
		return 0;
	case OPT_INITRD:
		o->in.initrd = arg;
		return 0;
	case OPT_APPEND:
		o->in.append = arg;
		return 0;
	case OPT_SVSM:
		o->in.svsm = arg;
		return 0;
	case OPT_VARS_FILE:
		o->in.vars_file = arg;
		return 0;
	case OPT_DUMP_VMSA:
		o->dump_vmsa = 1;
		return 0;
	case OPT_EC2_LEGACY:
		o->in.ec2_legacy = 1;
		return 0;
	default:
		return 0;
	}
}

/* The vCPU signature: family/model/stepping > --vcpu-sig > --vcpu-type (as the oracle). */
static int resolve_sig(struct digest_opts *o)
{
	struct sev_measure_inputs *in = &o->in;

	if (o->have_family || o->have_model || o->have_stepping) {
		if (!(o->have_family && o->have_model && o->have_stepping))
			return cgs_log_usage("'--vcpu-family', '--vcpu-model' and "
					     "'--vcpu-stepping' go together");
		in->vcpu_sig = sev_measure_cpu_sig((uint32_t)o->family, (uint32_t)o->model,
						   (uint32_t)o->stepping);
	} else if (o->have_sig) {
		in->vcpu_sig = (uint32_t)o->sig;
	} else if (o->vcpu_type) {
		sev_measure_vcpu_type_sig(o->vcpu_type, &in->vcpu_sig);
	} else if (in->vmm == SEV_VMM_QEMU && in->mode != SEV_MODE_SEV) {
		return cgs_log_usage("missing --vcpu-type or --vcpu-sig or --vcpu-family in guest "
				     "mode '%s'", sev_measure_mode_name(in->mode));
	}
	if (in->mode == SEV_MODE_SEV)
		in->vcpu_sig = 0;
	return 0;
}

static int check_svsm_opts(struct digest_opts *o)
{
	struct sev_measure_inputs *in = &o->in;
	int svsm = in->mode == SEV_MODE_SNP_SVSM;

	if (!svsm && (in->svsm || in->vars_file || o->have_vars_size))
		return cgs_log_usage("'--svsm', '--vars-size' and '--vars-file' need "
				     "'--mode snp:svsm'");
	if (!svsm)
		return 0;
	if (!in->svsm)
		return cgs_log_usage("missing --svsm PATH in guest mode 'snp:svsm'");
	if (in->vars_file && o->have_vars_size)
		return cgs_log_usage("'--vars-size' and '--vars-file' conflict: give one");
	if (!in->vars_file && !o->have_vars_size)
		return cgs_log_usage("missing --vars-size or --vars-file in guest mode 'snp:svsm'");
	if (in->vmm != SEV_VMM_QEMU)
		return cgs_log_usage("guest mode 'snp:svsm' is only supported with --vmm-type QEMU");
	if (in->kernel)
		return cgs_log_usage("'--kernel' is not supported in guest mode 'snp:svsm'");
	return 0;
}

static int check_opts(struct digest_opts *o)
{
	struct sev_measure_inputs *in = &o->in;
	int rc;

	if (!o->have_mode)
		return cgs_log_usage("missing --mode (sev, seves, snp, snp:ovmf-hash, snp:svsm or tdx)");
	if (!in->ovmf)
		return cgs_log_usage("missing --ovmf PATH");
	if (in->mode == SEV_MODE_SNP_OVMF_HASH)
		return 0; /* the oracle ignores every other option in this mode */
	if (in->initrd && !in->kernel)
		return cgs_log_usage("--kernel required when using --initrd");
	if (in->append && !in->kernel) {
		if (*in->append)
			return cgs_log_usage("--kernel required when using --append");
		in->append = NULL; /* the oracle lets an empty --append without kernel pass */
	}
	if (in->mode != SEV_MODE_SEV && !o->have_vcpus)
		return cgs_log_usage("missing --vcpus N in guest mode '%s'",
				     sev_measure_mode_name(in->mode));
	if (in->has_ovmf_hash && in->mode != SEV_MODE_SNP)
		return cgs_log_usage("'--snp-ovmf-hash' needs '--mode snp'");
	if (in->ec2_legacy && in->vmm != SEV_VMM_EC2)
		return cgs_log_usage("'--ec2-legacy' needs '--vmm-type ec2'");
	if (o->dump_vmsa && in->mode == SEV_MODE_SEV)
		return cgs_log_usage("'--dump-vmsa' needs a mode with VMSAs (seves, snp, "
				     "snp:svsm)");
	rc = check_svsm_opts(o);
	return rc ? rc : resolve_sig(o);
}

/* --mode tdx: refuse the SEV options, hand the shared ones to the TDX front end. */
static int run_tdx(struct digest_opts *o)
{
	static const int shared[] = { OPT_MODE, OPT_OVMF, OPT_KERNEL, OPT_INITRD, OPT_APPEND };

	for (const struct cgs_option *p = options; p->name; p++) {
		int ok = p->key >= OPT_TDX_FIRST;

		for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
			ok |= p->key == shared[i];
		if (!ok && (o->seen & (1ull << (p->key - CGS_KEY_FIRST))))
			return cgs_log_usage("'--%s' is not used in mode 'tdx'", p->name);
	}
	o->tdx.in.ovmf = o->in.ovmf;
	o->tdx.in.kernel = o->in.kernel;
	o->tdx.in.initrd = o->in.initrd;
	o->tdx.in.append = o->in.append;
	return tdx_cli_run(&o->tdx);
}

static const char *oracle_mode_name(enum sev_measure_mode m)
{
	static const char *const names[] = { "SEV", "SEV_ES", "SEV_SNP", "SEV_SNP",
					     "SEV_SNP_SVSM" };

	return names[m];
}

static int print_text(const struct digest_opts *o, const struct sev_measure_result *r)
{
	char out[2 * SEV_MEASURE_SHA384_LEN + 1];

	if (o->base64 && r->mode != SEV_MODE_SNP_OVMF_HASH)
		cgs_base64_encode(r->digest, r->digest_len, out);
	else
		cgs_hex_encode(r->digest, r->digest_len, out);
	if (cgs_opts.verbosity >= 1 && r->mode != SEV_MODE_SNP_OVMF_HASH)
		printf("Calculated %s guest measurement: %s\n", oracle_mode_name(r->mode), out);
	else
		printf("%s\n", out);
	return fflush(stdout) == 0 ? 0 : -1;
}

static struct json_object *file_json(const char *path, const struct sev_measure_file *f)
{
	struct json_object *j;

	if (!path || !f->present)
		return NULL;
	j = json_object_new_object();
	if (!j || cgs_json_add_str(j, "path", path) || cgs_json_add_int(j, "size", (int64_t)f->size) ||
	    cgs_json_add_hex(j, "sha256", f->sha256, sizeof(f->sha256))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static int add_hex_or_null(struct json_object *j, const char *key, int have, const uint8_t *p,
			   size_t len)
{
	return have ? cgs_json_add_hex(j, key, p, len) : cgs_json_add(j, key, NULL);
}

static struct json_object *inputs_json(const struct digest_opts *o,
				       const struct sev_measure_result *r)
{
	const struct sev_measure_inputs *in = &o->in;
	struct json_object *j = json_object_new_object();
	int snp = in->mode != SEV_MODE_SEV && in->mode != SEV_MODE_SEV_ES;
	int rc;

	if (!j)
		return NULL;
	rc = cgs_json_add(j, "ovmf", file_json(in->ovmf, &r->ovmf)) ||
	     cgs_json_add(j, "kernel", file_json(in->kernel, &r->kernel)) ||
	     cgs_json_add(j, "initrd", file_json(in->initrd, &r->initrd)) ||
	     cgs_json_add_str(j, "append", in->append) ||
	     cgs_json_add(j, "svsm", file_json(in->svsm, &r->svsm)) ||
	     (in->mode == SEV_MODE_SNP_SVSM ? cgs_json_add_int(j, "vars_size", (int64_t)r->vars_size)
					    : cgs_json_add(j, "vars_size", NULL)) ||
	     cgs_json_add_int(j, "vcpus", in->mode == SEV_MODE_SEV ? 0 : in->vcpus) ||
	     cgs_json_add_str(j, "vcpu_type", o->vcpu_type) ||
	     cgs_json_add_u64hex(j, "vcpu_sig", in->vcpu_sig) ||
	     cgs_json_add_str(j, "vmm_type", sev_measure_vmm_name(in->vmm)) ||
	     cgs_json_add_bool(j, "ec2_legacy", in->ec2_legacy) ||
	     cgs_json_add_str(j, "vmsa_fpu", in->vmsa_legacy_fpu ? "legacy" : "init2") ||
	     (snp ? cgs_json_add_u64hex(j, "guest_features",
					in->mode == SEV_MODE_SNP_SVSM ? 1 : in->guest_features)
		  : cgs_json_add_u64hex(j, "guest_features", 0)) ||
	     add_hex_or_null(j, "snp_ovmf_hash", r->ovmf_hash_given, in->ovmf_hash,
			     SEV_MEASURE_SHA384_LEN);
	if (rc) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static struct json_object *vmsas_json(const struct sev_measure_result *r)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < r->n_vmsas; i++) {
		const struct sev_measure_vmsa *v = &r->vmsas[i];
		struct json_object *e = json_object_new_object();
		size_t dlen = r->mode == SEV_MODE_SEV_ES ? 32 : 48;

		if (!e || cgs_json_add_str(e, "role", v->role) ||
		    cgs_json_add_int(e, "count", v->count) ||
		    cgs_json_add_u64hex(e, "eip", v->rip_eip) ||
		    cgs_json_add_hex(e, "digest", v->digest, dlen) ||
		    json_object_array_add(a, e)) {
			json_object_put(e);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static struct json_object *intermediate_json(const struct sev_measure_result *r)
{
	struct json_object *j = json_object_new_object();
	int snp = r->digest_len == SEV_MEASURE_SHA384_LEN;
	int rc;

	if (!j)
		return NULL;
	rc = add_hex_or_null(j, "ovmf_hash", r->has_ovmf_hash, r->ovmf_hash, 48) ||
	     cgs_json_add_u64hex(j, "ovmf_gpa", (1ull << 32) - r->ovmf.size) ||
	     add_hex_or_null(j, "kernel_sha256", r->kernel.present, r->kernel.sha256, 32) ||
	     add_hex_or_null(j, "initrd_sha256", r->has_hashes_table, r->initrd.sha256, 32) ||
	     add_hex_or_null(j, "cmdline_sha256", r->has_cmdline, r->cmdline_sha256, 32) ||
	     add_hex_or_null(j, "hashes_table", r->has_hashes_table, r->hashes_table, 176) ||
	     (r->has_hashes_table ? cgs_json_add_u64hex(j, "hashes_table_gpa", r->hashes_table_gpa)
				  : cgs_json_add(j, "hashes_table_gpa", NULL)) ||
	     (r->ap_eip ? cgs_json_add_u64hex(j, "ap_eip", r->ap_eip)
			: cgs_json_add(j, "ap_eip", NULL)) ||
	     (r->mode == SEV_MODE_SNP_SVSM ? cgs_json_add_u64hex(j, "svsm_gpa", r->svsm_gpa)
					   : cgs_json_add(j, "svsm_gpa", NULL)) ||
	     cgs_json_add(j, "vmsas", vmsas_json(r)) ||
	     (snp ? cgs_json_add_int(j, "snp_page_updates", (int64_t)r->snp_pages)
		  : cgs_json_add(j, "snp_page_updates", NULL));
	if (rc) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static int print_json(const struct digest_opts *o, const struct sev_measure_result *r)
{
	struct json_object *doc = cgs_json_doc("cgs-measure");
	int rc;

	rc = !doc || cgs_json_add_str(doc, "mode", sev_measure_mode_name(r->mode)) ||
	     cgs_json_add_str(doc, "digest_alg", r->digest_len == 32 ? "sha256" : "sha384") ||
	     cgs_json_add_hex(doc, "measurement", r->digest, r->digest_len) ||
	     cgs_json_add(doc, "inputs", inputs_json(o, r)) ||
	     cgs_json_add(doc, "intermediate", intermediate_json(r));
	if (!rc)
		rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

/* vmsa0.bin ... vmsaN.bin in the current directory: all of them or none (issue 10) */
static int dump_vmsas(const struct digest_opts *o, const struct sev_measure_result *r)
{
	struct cgs_out *out = calloc(o->in.vcpus, sizeof(*out)), **all;
	struct cgs_diag d;
	char name[32];
	size_t failed = 0;
	int rc = 0;

	all = calloc(o->in.vcpus, sizeof(*all));
	cgs_diag_clear(&d);
	if (!out || !all) {
		free(out);
		free(all);
		cgs_diag_set(&d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		return cgs_log_diag(&d, "write", "the VMSA pages");
	}
	for (uint32_t i = 0; i < o->in.vcpus && !rc; i++) {
		snprintf(name, sizeof(name), "vmsa%u.bin", i);
		if (cgs_out_open(&out[i], name, CGS_OUT_FORCE, &d)) {
			rc = cgs_log_diag(&d, "write", name);
			break;
		}
		all[i] = &out[i];
		if (cgs_out_write(&out[i], sev_measure_vmsa_page(r, o->in.vcpus, i),
				  VMSA_PAGE_SIZE, &d))
			rc = cgs_log_diag(&d, "write", name);
	}
	if (rc) {
		cgs_out_abort_all(all, o->in.vcpus);
	} else if (cgs_out_commit_all(all, o->in.vcpus, &failed, &d)) {
		snprintf(name, sizeof(name), "vmsa%zu.bin", failed);
		rc = cgs_log_diag(&d, "write", name);
	} else {
		cgs_log_verbose("wrote vmsa0.bin ... vmsa%u.bin", o->in.vcpus - 1);
	}
	free(all);
	free(out);
	return rc;
}

/* -v: what was measured, on stderr (stdout keeps the oracle's one line) */
static void log_details(const struct digest_opts *o, const struct sev_measure_result *r)
{
	char h[2 * SEV_MEASURE_SHA384_LEN + 1];

	cgs_log_verbose("firmware '%s': %llu bytes at 0x%llx", o->in.ovmf,
			(unsigned long long)r->ovmf.size,
			(unsigned long long)((1ull << 32) - r->ovmf.size));
	if (r->has_ovmf_hash) {
		cgs_hex_encode(r->ovmf_hash, SEV_MEASURE_SHA384_LEN, h);
		cgs_log_verbose("OVMF hash%s: %s", r->ovmf_hash_given ? " (given)" : "", h);
	}
	if (r->has_hashes_table)
		cgs_log_verbose("kernel hashes table at 0x%llx",
				(unsigned long long)r->hashes_table_gpa);
	if (r->ap_eip)
		cgs_log_verbose("AP reset EIP 0x%x", r->ap_eip);
	for (size_t i = 0; i < r->n_vmsas; i++) {
		cgs_hex_encode(r->vmsas[i].digest, r->mode == SEV_MODE_SEV_ES ? 32 : 48, h);
		cgs_log_verbose("VMSA %s x%u: %s", r->vmsas[i].role, r->vmsas[i].count, h);
	}
	if (r->snp_pages)
		cgs_log_verbose("%llu PAGE_INFO updates", (unsigned long long)r->snp_pages);
}

static int measure_failed(const struct cgs_diag *d, const struct sev_measure_result *r)
{
	const char *what = d->err == CGS_E_NOINPUT ? "read" :
			   d->err == CGS_E_MALFORMED ? "parse" : "measure";

	if (d->err == CGS_E_USAGE) {
		char msg[512];

		return cgs_log_usage("%s", cgs_diag_format(d, msg, sizeof(msg)));
	}
	return cgs_log_diag(d, what, r->err_file);
}

int verb_digest(int argc, char **argv)
{
	struct digest_opts o;
	struct cgs_command cmd = {
		"cgs-measure",
		"--mode MODE --ovmf PATH [--vcpus N --vcpu-type CPUTYPE] [OPTION]...",
		"Compute the launch digest of an AMD SEV, SEV-ES or SEV-SNP guest "
		"(sev-snp-measure compatible).",
		options,
		CGS_COMMON_JSON,
		"Intel TDX: --mode tdx --ovmf PATH [--kernel PATH [--initrd PATH] [--append "
		"CMDLINE] [--memory SIZE] [--acpi-tables FILE]] prints MRTD and RTMR0..3.\n"
		"Verbs: ovmf-info FILE, id-block (see 'cgs-measure VERB --help').",
		on_option,
		&o,
	};
	struct sev_measure_result *r;
	struct cgs_diag d;
	int rc, optind_;

	memset(&o, 0, sizeof(o));
	sev_measure_inputs_init(&o.in);
	tdx_cli_init(&o.tdx);
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (o.tdx.on)
		return run_tdx(&o);
	if (o.tdx.first_given)
		return cgs_log_usage("'%s' needs '--mode tdx'", o.tdx.first_given);
	rc = check_opts(&o);
	if (rc)
		return rc;
	r = malloc(sizeof(*r));
	if (!r) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	cgs_diag_clear(&d);
	if (sev_measure(&o.in, r, &d)) {
		rc = measure_failed(&d, r);
	} else {
		log_details(&o, r);
		rc = o.dump_vmsa ? dump_vmsas(&o, r) : 0;
		if (!rc && (cgs_opts.json ? print_json(&o, r) : print_text(&o, r))) {
			cgs_log_error("cannot write to standard output");
			rc = CGS_EXIT_FAILURE;
		}
	}
	free(r);
	return rc;
}
