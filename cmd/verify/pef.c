// SPDX-License-Identifier: MIT
/*
 * cgs-verify pef: play the Ultravisor on an ESM blob. Open lockbox-1 with the
 * (emulated) TPM private key, open the sealed digests, and compare each with
 * the RTAS stub, the vmlinux flat image, the initrd and the command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/verdict.h"

enum { OPT_BLOB = CGS_KEY_FIRST, OPT_TPM_KEY, OPT_PASSPHRASE_FILE, OPT_KERNEL, OPT_INITRD,
       OPT_CMDLINE, OPT_LOCKBOX };

struct vopts {
	const char *blob, *tpm_key, *passphrase_file, *kernel, *initrd, *cmdline, *lockbox;
};

static const struct cgs_option options[] = {
	{ "blob", 'b', CGS_REQ_ARG, "BLOB|INITRD|ELF", "the ESM blob, bare, first in an "
	  "initramfs, or in an ELF section", 0 },
	{ "tpm-key", 't', CGS_REQ_ARG, "PRIVKEY", "private key standing in for the TPM wrapping "
	  "key (opens lockbox-1)", 0 },
	{ "passphrase-file", OPT_PASSPHRASE_FILE, CGS_REQ_ARG, "FILE", "passphrase of the "
	  "private key (first line)", 0 },
	{ "kernel", 'k', CGS_REQ_ARG, "VMLINUX", "the ppc64 vmlinux ELF that boots", 0 },
	{ "initrd", 'i', CGS_REQ_ARG, "FILE", "the initramfs that boots (a leading ESM cpio is "
	  "skipped; default: --blob when it is an initramfs)", 0 },
	{ "cmdline", 'a', CGS_REQ_ARG, "TEXT", "the exact kernel command line", 0 },
	{ "lockbox", OPT_LOCKBOX, CGS_REQ_ARG, "NAME", "open this lockbox instead of lockbox-1 "
	  "(the Ultravisor opens lockbox-1 only)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static int on_option(void *ctx, int key, const char *arg)
{
	struct vopts *o = ctx;

	switch (key) {
	case 'b': o->blob = arg; break;
	case 't': o->tpm_key = arg; break;
	case OPT_PASSPHRASE_FILE: o->passphrase_file = arg; break;
	case 'k': o->kernel = arg; break;
	case 'i': o->initrd = arg; break;
	case 'a': o->cmdline = arg; break;
	case OPT_LOCKBOX: o->lockbox = arg; break;
	default: break;
	}
	return 0;
}

static void print_text(const struct cgs_verdict *v, const char *lockbox)
{
	int ok = cgs_verdict_verified(v);

	for (size_t i = 0; i < v->n; i++) {
		const struct cgs_check *c = &v->checks[i];

		printf("%-12s %s: %s\n", c->name, cgs_check_result_str(c->result), c->reason);
		if (c->result == CGS_CHECK_FAIL && c->expected[0])
			printf("%12s expected %s\n%12s actual   %s\n", "", c->expected, "",
			       c->actual);
	}
	if (ok && !strcmp(lockbox, CGS_PEF_UV_LOCKBOX)) {
		printf("VERIFIED: the Ultravisor would accept this blob with these components\n");
		return;
	}
	if (ok) {
		printf("VERIFIED: the digests match (opened through %s; the Ultravisor itself "
		       "opens lockbox-1)\n", lockbox);
		return;
	}
	printf("NOT VERIFIED:");
	for (size_t i = 0; i < v->n; i++)
		if (v->checks[i].result == CGS_CHECK_FAIL)
			printf(" %s", v->checks[i].name);
	printf(" %s\n", "failed");
}

static int print_json(const struct cgs_verdict *v, const struct cgs_pef_verify_out *r,
		      const struct vopts *o)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *blob, *in;
	int rc;

	if (!doc)
		return CGS_EXIT_FAILURE;
	cgs_json_add_bool(doc, "verified", cgs_verdict_verified(v));
	cgs_json_add_str(doc, "evidence", "pef");
	cgs_json_add(doc, "checks", cgs_verdict_json_checks(v));
	blob = json_object_new_object();
	cgs_json_add_str(blob, "path", o->blob);
	cgs_json_add_str(blob, "kind", r->blob_kind);
	cgs_json_add_int(blob, "size", (int64_t)r->blob_size);
	cgs_json_add_int(blob, "lockboxes", (int64_t)r->n_lockboxes);
	cgs_json_add_int(blob, "attachments", (int64_t)r->n_files);
	cgs_json_add(doc, "blob", blob);
	in = json_object_new_object();
	cgs_json_add_str(in, "kernel", o->kernel);
	cgs_json_add_int(in, "kernel_size", r->kernel_size);
	cgs_json_add_str(in, "initrd", r->initrd);
	cgs_json_add_int(in, "initrd_esm_cpio_skipped", (int64_t)r->initrd_skipped);
	cgs_json_add_str(in, "cmdline", o->cmdline);
	cgs_json_add(doc, "inputs", in);
	rc = cgs_json_print(doc, cgs_opts.json) ? CGS_EXIT_FAILURE : 0;
	json_object_put(doc);
	return rc;
}

static int run(const struct vopts *o)
{
	struct cgs_pef_verify_in in = { o->blob, o->tpm_key, o->passphrase_file, o->kernel,
					o->initrd, o->cmdline, o->lockbox };
	struct cgs_pef_verify_out r;
	struct cgs_verdict v;
	struct cgs_diag d;
	enum cgs_err e;
	int rc;

	cgs_diag_clear(&d);
	cgs_verdict_init(&v);
	e = cgs_pef_verify(&in, &r, &v, &d);
	if (e == CGS_E_USAGE)
		return cgs_log_usage("%s", d.text);
	if (e)
		return cgs_log_diag(&d, r.step ? r.step : "verify", r.input);
	if (cgs_opts.json) {
		rc = print_json(&v, &r, o);
	} else {
		print_text(&v, o->lockbox ? o->lockbox : CGS_PEF_UV_LOCKBOX);
		rc = fflush(stdout) || ferror(stdout) ? CGS_EXIT_FAILURE : 0;
	}
	if (rc)
		cgs_log_error("failed to write the result to stdout");
	else if (!cgs_verdict_verified(&v))
		rc = CGS_EXIT_NOT_VERIFIED;
	cgs_verdict_free(&v);
	return rc;
}

int verb_pef(int argc, char **argv)
{
	struct vopts o = { 0 };
	struct cgs_command cmd = {
		"cgs-verify pef", "[OPTION]... --blob BLOB --tpm-key PRIVKEY --kernel VMLINUX "
		"[--initrd INITRD] --cmdline TEXT",
		"Check a POWER PEF ESM blob as the Ultravisor does: open lockbox-1 with the TPM "
		"key, decrypt the digests, compare RTAS, kernel, initrd and command line.",
		options, CGS_COMMON_JSON, NULL, on_option, &o,
	};
	int rc = cgs_cli_parse_options(&cmd, argc, argv);

	if (rc >= 0)
		return rc;
	if (!o.blob || !o.tpm_key || !o.kernel || !o.cmdline)
		return cgs_log_usage("missing %s", !o.blob ? "'--blob'" : !o.tpm_key ?
			"'--tpm-key'" : !o.kernel ? "'--kernel'" : "'--cmdline'");
	return run(&o);
}
