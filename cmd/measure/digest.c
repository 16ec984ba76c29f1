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
#include "lib/sev/sev_measure_json.h"

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
	struct cgs_sev_measure_inputs in;
	struct sev_vcpu_given cpu;
	int have_mode, have_vcpus, have_features, have_vars_size, base64, dump_vmsa;
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
		if (cgs_sev_mode_parse(arg, &o->in.mode))
			return cgs_log_usage("invalid mode '%s' for '--mode' (expected sev, seves, "
					     "snp, snp:ovmf-hash, snp:svsm or tdx)", arg);
		o->have_mode = 1;
		return 0;
	case OPT_VMM_TYPE:
		if (cgs_sev_vmm_parse(arg, &o->in.vmm))
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

		if (cgs_sev_vcpu_type_sig(arg, &sig))
			return cgs_log_usage("unknown vCPU type '%s' for '--vcpu-type' (known: "
					     "EPYC[-v1|-v2|-v3|-v4|-IBPB], EPYC-Rome[-v1|-v2|-v3], "
					     "EPYC-Milan[-v1|-v2], EPYC-Genoa[-v1], EPYC-Turin)",
					     arg);
		o->cpu.type = arg;
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
		return opt_num("vcpu-sig", arg, UINT32_MAX, &o->cpu.sig, &o->cpu.have_sig);
	case OPT_VCPU_FAMILY:
		return opt_num("vcpu-family", arg, 0x10e, &o->cpu.family, &o->cpu.have_family);
	case OPT_VCPU_MODEL:
		return opt_num("vcpu-model", arg, 0xff, &o->cpu.model, &o->cpu.have_model);
	case OPT_VCPU_STEPPING:
		return opt_num("vcpu-stepping", arg, 0xf, &o->cpu.stepping, &o->cpu.have_stepping);
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
	struct cgs_sev_measure_inputs *in = &o->in;
	struct cgs_diag d;
	int missing;

	cgs_diag_clear(&d);
	if (sev_vcpu_sig_resolve(&o->cpu, in, &missing, &d))
		return cgs_log_usage("%s", d.text);
	if (missing && in->vmm == CGS_SEV_VMM_QEMU && in->mode != CGS_SEV_MODE_SEV)
		return cgs_log_usage("missing --vcpu-type or --vcpu-sig or --vcpu-family in guest "
				     "mode '%s'", cgs_sev_mode_name(in->mode));
	return 0;
}

static int check_opts(struct digest_opts *o)
{
	struct cgs_sev_measure_inputs *in = &o->in;
	struct cgs_diag d;

	if (!o->have_mode)
		return cgs_log_usage("missing --mode (sev, seves, snp, snp:ovmf-hash, snp:svsm or tdx)");
	if (!in->ovmf)
		return cgs_log_usage("missing --ovmf PATH");
	if (in->mode == CGS_SEV_MODE_SNP_OVMF_HASH)
		return 0; /* the oracle ignores every other option in this mode */
	if (in->initrd && !in->kernel)
		return cgs_log_usage("--kernel required when using --initrd");
	if (in->append && !in->kernel) {
		if (*in->append)
			return cgs_log_usage("--kernel required when using --append");
		in->append = NULL; /* the oracle lets an empty --append without kernel pass */
	}
	if (in->mode != CGS_SEV_MODE_SEV && !o->have_vcpus)
		return cgs_log_usage("missing --vcpus N in guest mode '%s'",
				     cgs_sev_mode_name(in->mode));
	if (in->has_ovmf_hash && in->mode != CGS_SEV_MODE_SNP)
		return cgs_log_usage("'--snp-ovmf-hash' needs '--mode snp'");
	if (in->ec2_legacy && in->vmm != CGS_SEV_VMM_EC2)
		return cgs_log_usage("'--ec2-legacy' needs '--vmm-type ec2'");
	if (o->dump_vmsa && in->mode == CGS_SEV_MODE_SEV)
		return cgs_log_usage("'--dump-vmsa' needs a mode with VMSAs (seves, snp, "
				     "snp:svsm)");
	cgs_diag_clear(&d);
	if (sev_measure_check_svsm(in, o->have_vars_size, &d))
		return cgs_log_usage("%s", d.text);
	return resolve_sig(o);
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

static int print_text(const struct digest_opts *o, const struct cgs_sev_measure_result *r)
{
	static const char *const oracle_name[] = { "SEV", "SEV_ES", "SEV_SNP", "SEV_SNP",
						   "SEV_SNP_SVSM" };
	char out[2 * SEV_MEASURE_SHA384_LEN + 1];

	if (o->base64 && r->mode != CGS_SEV_MODE_SNP_OVMF_HASH)
		cgs_base64_encode(r->digest, r->digest_len, out);
	else
		cgs_hex_encode(r->digest, r->digest_len, out);
	if (cgs_opts.verbosity >= 1 && r->mode != CGS_SEV_MODE_SNP_OVMF_HASH)
		printf("Calculated %s guest measurement: %s\n", oracle_name[r->mode], out);
	else
		printf("%s\n", out);
	return fflush(stdout) == 0 ? 0 : -1;
}

static int print_json(const struct digest_opts *o, const struct cgs_sev_measure_result *r)
{
	struct json_object *doc = sev_measure_json(&o->in, o->cpu.type, r);
	int rc = doc ? cgs_json_print(doc, cgs_opts.json) : -1;

	return json_object_put(doc), rc;
}

/* vmsa0.bin ... vmsaN.bin in the current directory: all of them or none (issue 10) */
static int dump_vmsas(const struct digest_opts *o, const struct cgs_sev_measure_result *r)
{
	char name[32];
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (sev_measure_write_vmsas(r, o->in.vcpus, name, sizeof(name), &d))
		return cgs_log_diag(&d, "write", name);
	cgs_log_verbose("wrote vmsa0.bin ... vmsa%u.bin", o->in.vcpus - 1);
	return 0;
}

/* -v: what was measured, on stderr (stdout keeps the oracle's one line) */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	cgs_log_verbose("%s", line);
}

static int measure_failed(const struct cgs_diag *d, const struct cgs_sev_measure_result *r)
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
	struct cgs_sev_measure_result *r;
	struct cgs_diag d;
	int rc;

	if (!strcmp(argv[0], "digest")) /* named explicitly: help and hints say so */
		cmd.name = "cgs-measure digest";
	memset(&o, 0, sizeof(o));
	cgs_sev_measure_inputs_init(&o.in);
	tdx_cli_init(&o.tdx);
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
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
	if (cgs_sev_measure(&o.in, r, &d)) {
		rc = measure_failed(&d, r);
	} else {
		sev_measure_describe(r, o.in.ovmf, log_line, NULL);
		rc = o.dump_vmsa ? dump_vmsas(&o, r) : 0;
		if (!rc && (cgs_opts.json ? print_json(&o, r) : print_text(&o, r))) {
			cgs_log_error("cannot write to standard output");
			rc = CGS_EXIT_FAILURE;
		}
	}
	free(r);
	return rc;
}
