// SPDX-License-Identifier: MIT
/*
 * cgs-verify pef: play the Ultravisor on an ESM blob. Open lockbox-1 with the
 * (emulated) TPM private key, open the sealed digests, and compare each with
 * the RTAS stub, the vmlinux flat image, the initrd and the command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/verify/verbs.h"
#include "formats/pef_esm.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/pef/pef_blob.h"
#include "lib/pef/pef_crypto.h"

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

#define N_CHECKS 7
#define MAX_CHECKS (N_CHECKS + PEF_ESM_MAX_FILES)

struct check {
	char name[48];
	const char *result; /* pass | fail | skip */
	char expected[160];
	char actual[160];
	char reason[400];
};

struct state {
	struct pef_blob_src src;
	struct pef_esm m;
	struct pef_key tpm;
	struct pef_esm_digests want, got;
	uint64_t initrd_skipped;
	const char *initrd;
	struct check checks[MAX_CHECKS];
	size_t n;
	const char *lockbox;
};

static struct check *add(struct state *s, const char *name, const char *result)
{
	struct check *c = &s->checks[s->n++];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->result = result;
	return c;
}

static void cmp(struct state *s, const char *name, const uint8_t *want, const uint8_t *got,
		size_t len, const char *what)
{
	int same = cgs_ct_equal(want, got, len);
	struct check *c = add(s, name, same ? "pass" : "fail");

	cgs_hex_encode(want, len, c->expected);
	cgs_hex_encode(got, len, c->actual);
	snprintf(c->reason, sizeof(c->reason), "%s %s the sealed digest", what,
		 same ? "matches" : "differs from");
}

static void skip_rest(struct state *s, const char *why)
{
	static const char *const names[] = { "lockbox", "digests", "rtas", "kernel-size",
					      "kernel", "initrd", "bootargs" };

	for (size_t i = s->n; i < N_CHECKS; i++) {
		struct check *c = add(s, names[i], "skip");

		snprintf(c->reason, sizeof(c->reason), "%s", why);
	}
}

/* Attachments: the Ultravisor opens them on request; check their tags now. */
static void check_files(struct state *s, const uint8_t key[PEF_ESM_KEY_LEN])
{
	for (size_t i = 0; i < s->m.n_files; i++) {
		const struct pef_esm_sealed *f = &s->m.files[i];
		struct check *c = &s->checks[N_CHECKS + i];
		uint8_t *buf = malloc(f->ciphertext.len ? f->ciphertext.len : 1);
		struct cgs_diag d;
		int okay;

		cgs_diag_clear(&d);
		okay = buf && pef_open(key, f->iv, f->ciphertext.data, f->ciphertext.len, f->mac,
				       buf, &d) == CGS_OK;
		if (buf)
			cgs_wipe(buf, f->ciphertext.len);
		free(buf);
		memset(c, 0, sizeof(*c));
		snprintf(c->name, sizeof(c->name), "file:%s", f->name);
		c->result = okay ? "pass" : "fail";
		snprintf(c->reason, sizeof(c->reason), "%s", okay ? "AES256-GCM tag verified" :
			 d.text[0] ? d.text : "out of memory");
	}
}

static void run_checks(struct state *s)
{
	uint8_t key[PEF_ESM_KEY_LEN];
	struct cgs_diag d;
	struct check *c;
	int i = pef_esm_find_lockbox(&s->m, s->lockbox);

	cgs_diag_clear(&d);
	if (pef_open_lockbox(&s->m, s->lockbox, s->tpm.pkey, key, &d)) {
		c = add(s, s->lockbox, "fail");
		if (i >= 0)
			cgs_hex_encode(s->m.lockboxes[i].fingerprint, PEF_ESM_FP_LEN, c->expected);
		cgs_hex_encode(s->tpm.fingerprint, PEF_ESM_FP_LEN, c->actual);
		snprintf(c->reason, sizeof(c->reason), "%s", d.text);
		skip_rest(s, "the lockbox did not open: no master key");
		return;
	}
	c = add(s, s->lockbox, "pass");
	cgs_hex_encode(s->m.lockboxes[i].fingerprint, PEF_ESM_FP_LEN, c->expected);
	cgs_hex_encode(s->tpm.fingerprint, PEF_ESM_FP_LEN, c->actual);
	snprintf(c->reason, sizeof(c->reason), "the key opens %s", s->lockbox);
	check_files(s, key);
	if (pef_open_digests(&s->m, key, &s->want, &d)) {
		cgs_wipe(key, sizeof(key));
		c = add(s, "digests", "fail");
		snprintf(c->reason, sizeof(c->reason), "%s", d.text);
		skip_rest(s, "the sealed digests did not open");
		s->n += s->m.n_files;
		return;
	}
	cgs_wipe(key, sizeof(key));
	c = add(s, "digests", "pass");
	snprintf(c->reason, sizeof(c->reason), "AES256-GCM tag verified");
	cmp(s, "rtas", s->want.rtas, s->got.rtas, 64, "the SLOF RTAS stub");
	c = add(s, "kernel-size", s->want.kernel_size == s->got.kernel_size ? "pass" : "fail");
	snprintf(c->expected, sizeof(c->expected), "%u", s->want.kernel_size);
	snprintf(c->actual, sizeof(c->actual), "%u", s->got.kernel_size);
	snprintf(c->reason, sizeof(c->reason), "flat image length %s",
		 s->want.kernel_size == s->got.kernel_size ? "matches" : "differs");
	cmp(s, "kernel", s->want.kernel, s->got.kernel, 64, "the vmlinux flat image");
	cmp(s, "initrd", s->want.initrd, s->got.initrd, 64, "the initrd");
	cmp(s, "bootargs", s->want.bootargs, s->got.bootargs, 64, "the command line");
	s->n += s->m.n_files;
}

static int verified(const struct state *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->checks[i].result, "pass"))
			return 0;
	return s->n >= N_CHECKS;
}

static void print_text(const struct state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct check *c = &s->checks[i];

		printf("%-12s %s: %s\n", c->name, c->result, c->reason);
		if (!strcmp(c->result, "fail") && c->expected[0])
			printf("%12s expected %s\n%12s actual   %s\n", "", c->expected, "",
			       c->actual);
	}
	if (verified(s) && !strcmp(s->lockbox, PEF_ESM_UV_LOCKBOX)) {
		printf("VERIFIED: the Ultravisor would accept this blob with these components\n");
		return;
	}
	if (verified(s)) {
		printf("VERIFIED: the digests match (opened through %s; the Ultravisor itself "
		       "opens lockbox-1)\n", s->lockbox);
		return;
	}
	printf("NOT VERIFIED:");
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->checks[i].result, "fail"))
			printf(" %s", s->checks[i].name);
	printf(" %s\n", "failed");
}

static int print_json(const struct state *s, const struct vopts *o)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *a, *blob, *in;
	int rc;

	if (!doc || !(a = json_object_new_array()))
		return CGS_EXIT_FAILURE;
	cgs_json_add_bool(doc, "verified", verified(s));
	cgs_json_add_str(doc, "evidence", "pef");
	for (size_t i = 0; i < s->n; i++) {
		const struct check *c = &s->checks[i];
		struct json_object *j = json_object_new_object();

		cgs_json_add_str(j, "name", c->name);
		cgs_json_add_str(j, "result", c->result);
		cgs_json_add_str(j, "expected", c->expected[0] ? c->expected : NULL);
		cgs_json_add_str(j, "actual", c->actual[0] ? c->actual : NULL);
		cgs_json_add_str(j, "reason", c->reason);
		json_object_array_add(a, j);
	}
	cgs_json_add(doc, "checks", a);
	blob = json_object_new_object();
	cgs_json_add_str(blob, "path", o->blob);
	cgs_json_add_str(blob, "kind", pef_blob_kind_name(s->src.kind));
	cgs_json_add_int(blob, "size", (int64_t)s->src.len);
	cgs_json_add_int(blob, "lockboxes", (int64_t)s->m.n_lockboxes);
	cgs_json_add_int(blob, "attachments", (int64_t)s->m.n_files);
	cgs_json_add(doc, "blob", blob);
	in = json_object_new_object();
	cgs_json_add_str(in, "kernel", o->kernel);
	cgs_json_add_int(in, "kernel_size", s->got.kernel_size);
	cgs_json_add_str(in, "initrd", s->initrd);
	cgs_json_add_int(in, "initrd_esm_cpio_skipped", (int64_t)s->initrd_skipped);
	cgs_json_add_str(in, "cmdline", o->cmdline);
	cgs_json_add(doc, "inputs", in);
	rc = cgs_json_print(doc, cgs_opts.json) ? CGS_EXIT_FAILURE : 0;
	json_object_put(doc);
	return rc;
}

static int load_inputs(struct state *s, const struct vopts *o)
{
	struct pef_boot boot = { o->kernel, NULL, o->cmdline };
	struct cgs_diag d;
	char *pass = NULL;
	int rc;

	cgs_diag_clear(&d);
	if (pef_blob_load(o->blob, &s->src, &d))
		return cgs_log_diag(&d, "read the ESM blob from", o->blob);
	if (pef_esm_parse(s->src.blob, s->src.len, &s->m, &d)) {
		if (d.offset != CGS_DIAG_NO_OFFSET)
			d.offset += s->src.blob_off;
		return cgs_log_diag(&d, "parse", o->blob);
	}
	s->initrd = o->initrd ? o->initrd : (s->src.kind == PEF_BLOB_INITRD ? o->blob : NULL);
	if (!s->initrd)
		return cgs_log_usage("missing '--initrd' (needed unless '--blob' is the "
				     "initramfs)");
	boot.initrd = s->initrd;
	if (o->passphrase_file) {
		FILE *f = fopen(o->passphrase_file, "r");
		char line[1024] = "";

		if (!f) {
			cgs_log_error("failed to read '%s'", o->passphrase_file);
			return CGS_EXIT_NOINPUT;
		}
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		pass = strdup(line);
		cgs_wipe(line, sizeof(line));
	}
	rc = pef_key_load_private(o->tpm_key, pass, PEF_RSA_BITS, 4096, &s->tpm, &d) ?
		     cgs_log_diag(&d, "load the TPM key", o->tpm_key) : 0;
	if (pass) {
		cgs_wipe(pass, strlen(pass));
		free(pass);
	}
	if (!rc && pef_boot_digests(&boot, 1, &s->got, &s->initrd_skipped, &d))
		rc = cgs_log_diag(&d, "measure", !strcmp(d.field, "initrd") ? s->initrd :
						 o->kernel);
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
	struct state *s;
	int optind_ = 0, rc = cgs_cli_parse(&cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (!o.blob || !o.tpm_key || !o.kernel || !o.cmdline)
		return cgs_log_usage("missing %s", !o.blob ? "'--blob'" : !o.tpm_key ?
			"'--tpm-key'" : !o.kernel ? "'--kernel'" : "'--cmdline'");
	s = calloc(1, sizeof(*s));
	if (!s)
		return CGS_EXIT_FAILURE;
	s->lockbox = o.lockbox ? o.lockbox : PEF_ESM_UV_LOCKBOX;
	rc = load_inputs(s, &o);
	if (!rc) {
		run_checks(s);
		rc = cgs_opts.json ? print_json(s, &o) : (print_text(s), 0);
		if (!rc)
			rc = verified(s) ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
	}
	pef_key_free(&s->tpm);
	pef_blob_src_free(&s->src);
	free(s);
	return rc;
}
