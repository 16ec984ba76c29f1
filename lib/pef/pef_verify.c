// SPDX-License-Identifier: MIT
/*
 * cgs_pef_verify: play the Ultravisor on an ESM blob. Open lockbox-1 with the
 * (emulated) TPM private key, open the sealed digests, and compare each with
 * the RTAS stub, the vmlinux flat image, the initrd and the command line.
 */
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "formats/pef_esm.h"
#include "lib/core/crypto.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/pef/pef_blob.h"
#include "lib/pef/pef_crypto.h"
#include "lib/pef/pef_passphrase.h"

const struct cgs_check_def cgs_pef_verify_checks[] = {
    {"lockbox", CGS_CHECK_AUTHENTICITY, "the TPM key opens the lockbox (lockbox-1)"},
    {"digests", CGS_CHECK_AUTHENTICITY, "the sealed digests tree opens (AES256-GCM tag)"},
    {"rtas", CGS_CHECK_POLICY, "the RTAS stub digest matches the sealed one"},
    {"kernel-size", CGS_CHECK_POLICY, "the flat kernel image has the sealed length"},
    {"kernel", CGS_CHECK_POLICY, "the flat kernel image digest matches the sealed one"},
    {"initrd", CGS_CHECK_POLICY, "the initrd digest matches the sealed one"},
    {"bootargs", CGS_CHECK_POLICY, "the command-line digest matches the sealed one"},
    {"file", CGS_CHECK_AUTHENTICITY, "an attachment opens (AES256-GCM tag): file:<name>"},
};
const size_t cgs_pef_verify_n_checks =
    sizeof(cgs_pef_verify_checks) / sizeof(cgs_pef_verify_checks[0]);

enum { C_LOCKBOX, C_DIGESTS, C_RTAS, C_KSIZE, C_KERNEL, C_INITRD, C_BOOTARGS, C_FILE };
#define N_MAIN C_FILE

struct state {
	struct pef_blob_src src;
	struct pef_esm m;
	struct pef_key tpm;
	struct pef_esm_digests want, got;
	const char *lockbox;
	struct cgs_verdict *v;
	struct cgs_verdict files; /* recorded after the main checks */
};

static void add(struct state *s, int i, const char *name, enum cgs_check_result r, const char *want,
		const char *got, const char *why)
{
	const struct cgs_check_def *c = &cgs_pef_verify_checks[i];

	cgs_verdict_add(s->v, name ? name : c->name, c->cls, r, want, got, "%s", why);
}

static void cmp(struct state *s, int i, const uint8_t *want, const uint8_t *got, size_t len,
		const char *what)
{
	char w[2 * 64 + 1], g[2 * 64 + 1], why[128];
	int same = cgs_ct_equal(want, got, len);

	cgs_hex_encode(want, len, w);
	cgs_hex_encode(got, len, g);
	snprintf(why, sizeof(why), "%s %s the sealed digest", what,
		 same ? "matches" : "differs from");
	add(s, i, NULL, same ? CGS_CHECK_PASS : CGS_CHECK_FAIL, w, g, why);
}

static void skip_rest(struct state *s, int from, const char *why)
{
	for (int i = from; i < N_MAIN; i++)
		add(s, i, NULL, CGS_CHECK_SKIP, NULL, NULL, why);
}

/* Attachments: the Ultravisor opens them on request; check their tags now. */
static void check_files(struct state *s, const uint8_t key[PEF_ESM_KEY_LEN])
{
	const struct cgs_check_def *def = &cgs_pef_verify_checks[C_FILE];

	for (size_t i = 0; i < s->m.n_files; i++) {
		const struct pef_esm_sealed *f = &s->m.files[i];
		uint8_t *buf = malloc(f->ciphertext.len ? f->ciphertext.len : 1);
		char name[48];
		struct cgs_diag d;
		int okay;

		cgs_diag_clear(&d);
		okay = buf && pef_open(key, f->iv, f->ciphertext.data, f->ciphertext.len, f->mac,
				       buf, &d) == CGS_OK;
		if (buf)
			cgs_wipe(buf, f->ciphertext.len);
		free(buf);
		snprintf(name, sizeof(name), "file:%s", f->name);
		cgs_verdict_add(&s->files, name, def->cls, okay ? CGS_CHECK_PASS : CGS_CHECK_FAIL,
				NULL, NULL, "%s",
				okay	    ? "AES256-GCM tag verified"
				: d.text[0] ? d.text
					    : "out of memory");
	}
}

static void lockbox_check(struct state *s, int ok, const char *why)
{
	char w[2 * PEF_ESM_FP_LEN + 1] = "", g[2 * PEF_ESM_FP_LEN + 1];
	int i = pef_esm_find_lockbox(&s->m, s->lockbox);

	if (i >= 0)
		cgs_hex_encode(s->m.lockboxes[i].fingerprint, PEF_ESM_FP_LEN, w);
	cgs_hex_encode(s->tpm.fingerprint, PEF_ESM_FP_LEN, g);
	add(s, C_LOCKBOX, s->lockbox, ok ? CGS_CHECK_PASS : CGS_CHECK_FAIL, w, g, why);
}

static void run_checks(struct state *s)
{
	uint8_t key[PEF_ESM_KEY_LEN];
	char why[96], w[16], g[16];
	int same_size;
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (pef_open_lockbox(&s->m, s->lockbox, s->tpm.pkey, key, &d)) {
		lockbox_check(s, 0, d.text);
		skip_rest(s, C_DIGESTS, "the lockbox did not open: no master key");
		return;
	}
	snprintf(why, sizeof(why), "the key opens %s", s->lockbox);
	lockbox_check(s, 1, why);
	check_files(s, key);
	if (pef_open_digests(&s->m, key, &s->want, &d)) {
		cgs_wipe(key, sizeof(key));
		add(s, C_DIGESTS, NULL, CGS_CHECK_FAIL, NULL, NULL, d.text);
		skip_rest(s, C_RTAS, "the sealed digests did not open");
		return;
	}
	cgs_wipe(key, sizeof(key));
	add(s, C_DIGESTS, NULL, CGS_CHECK_PASS, NULL, NULL, "AES256-GCM tag verified");
	cmp(s, C_RTAS, s->want.rtas, s->got.rtas, 64, "the SLOF RTAS stub");
	snprintf(w, sizeof(w), "%u", s->want.kernel_size);
	snprintf(g, sizeof(g), "%u", s->got.kernel_size);
	same_size = s->want.kernel_size == s->got.kernel_size;
	add(s, C_KSIZE, NULL, same_size ? CGS_CHECK_PASS : CGS_CHECK_FAIL, w, g,
	    same_size ? "flat image length matches" : "flat image length differs");
	cmp(s, C_KERNEL, s->want.kernel, s->got.kernel, 64, "the vmlinux flat image");
	cmp(s, C_INITRD, s->want.initrd, s->got.initrd, 64, "the initrd");
	cmp(s, C_BOOTARGS, s->want.bootargs, s->got.bootargs, 64, "the command line");
}

static enum cgs_err fail_at(struct cgs_pef_verify_out *out, const char *step, const char *input,
			    enum cgs_err e)
{
	out->step = step;
	out->input = input;
	return e;
}

static enum cgs_err load_inputs(struct state *s, const struct cgs_pef_verify_in *in,
				struct cgs_pef_verify_out *out, struct cgs_diag *d)
{
	struct pef_boot boot = {in->kernel, NULL, in->cmdline};
	char *pass = NULL;
	enum cgs_err e;

	if ((e = pef_blob_load(in->blob, &s->src, d)))
		return fail_at(out, "read the ESM blob from", in->blob, e);
	if ((e = pef_esm_parse(s->src.blob, s->src.len, &s->m, d))) {
		if (d->offset != CGS_DIAG_NO_OFFSET)
			d->offset += s->src.blob_off;
		return fail_at(out, "parse", in->blob, e);
	}
	out->blob_kind = pef_blob_kind_name(s->src.kind);
	out->blob_size = s->src.len;
	out->n_lockboxes = s->m.n_lockboxes;
	out->n_files = s->m.n_files;
	out->initrd = in->initrd ? in->initrd : s->src.kind == PEF_BLOB_INITRD ? in->blob : NULL;
	if (!out->initrd)
		return cgs_diag_set(d, CGS_E_USAGE, "initrd", CGS_DIAG_NO_OFFSET,
				    "missing '--initrd' (needed unless '--blob' is the initramfs)");
	boot.initrd = out->initrd;
	if ((e = pef_passphrase_read(in->passphrase_file, &pass, d)))
		return fail_at(out, "read the passphrase file", in->passphrase_file, e);
	e = pef_key_load_private(in->tpm_key, pass, PEF_RSA_BITS, 4096, &s->tpm, d);
	pef_passphrase_free(pass);
	if (e)
		return fail_at(out, "load the TPM key", in->tpm_key, e);
	if ((e = pef_boot_digests(&boot, 1, &s->got, &out->initrd_skipped, d)))
		return fail_at(out, "measure",
			       !strcmp(d->field, "initrd") ? out->initrd : in->kernel, e);
	out->kernel_size = s->got.kernel_size;
	return CGS_OK;
}

/* Append the attachment checks after the main ones (moving their strings). */
static void append_files(struct state *s)
{
	for (size_t i = 0; i < s->files.n; i++) {
		const struct cgs_check *c = &s->files.checks[i];

		cgs_verdict_add(s->v, c->name, c->cls, c->result, c->expected, c->actual, "%s",
				c->reason);
	}
	s->v->oom |= s->files.oom;
}

static enum cgs_err first_failure(const struct cgs_verdict *v, struct cgs_diag *d)
{
	if (v->oom)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	for (size_t i = 0; i < v->n; i++)
		if (v->checks[i].result == CGS_CHECK_FAIL)
			return cgs_diag_set(d, CGS_E_VERIFY, v->checks[i].name, CGS_DIAG_NO_OFFSET,
					    "%s", v->checks[i].reason);
	return cgs_verdict_verified(v)
		   ? CGS_OK
		   : cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET, "not every check ran");
}

enum cgs_err cgs_pef_verify(const struct cgs_pef_verify_in *in, struct cgs_pef_verify_out *out,
			    struct cgs_verdict *v, struct cgs_diag *d)
{
	struct state *s = calloc(1, sizeof(*s));
	enum cgs_err e;

	memset(out, 0, sizeof(*out));
	if (!s)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	s->lockbox = in->lockbox ? in->lockbox : PEF_ESM_UV_LOCKBOX;
	s->v = v;
	cgs_verdict_init(&s->files);
	e = load_inputs(s, in, out, d);
	if (!e) {
		run_checks(s);
		append_files(s);
		e = first_failure(v, &out->failure);
		if (e == CGS_E_NOMEM) {
			*d = out->failure;
			cgs_verdict_free(v);
		} else {
			e = CGS_OK; /* a verdict, verified or not */
		}
	}
	cgs_verdict_free(&s->files);
	pef_key_free(&s->tpm);
	pef_blob_src_free(&s->src);
	cgs_wipe(&s->want, sizeof(s->want));
	free(s);
	return e;
}
