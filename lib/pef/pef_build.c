// SPDX-License-Identifier: MIT
/*
 * cgs_pef_build: an ESM blob as svm-tool's "esm make" builds it (origin
 * lockbox, recipient lockboxes, sealed digests, attachments), written bare,
 * as an ESM cpio archive before the initramfs, or into an ELF section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "formats/pef_esm.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/pef/elf_flat.h"
#include "lib/pef/pef_blob.h"
#include "lib/pef/pef_crypto.h"
#include "lib/pef/pef_info.h"
#include "lib/pef/pef_passphrase.h"

#define PEF_CMDLINE_MAX 2047 /* powerpc COMMAND_LINE_SIZE 2048, with the NUL */
#define MAX_LOCKBOXES PEF_ESM_MAX_LOCKBOXES

/* The blob being built and the buffers its model points to. */
struct build {
	const struct cgs_pef_build_in *in;
	struct cgs_pef_build_out *out;
	struct cgs_diag *d;
	struct pef_esm m;
	uint8_t master[PEF_ESM_KEY_LEN];
	struct cgs_buf symkeys[MAX_LOCKBOXES];
	struct cgs_buf digests_ct;
	uint8_t *file_ct[PEF_ESM_MAX_FILES];
	struct pef_esm_digests dg;
	struct cgs_buf blob;
	struct pef_key owner;
};

static enum cgs_err fail(struct build *b, const char *step, const char *input, enum cgs_err e)
{
	b->out->step = step;
	b->out->input = input;
	return e;
}

static enum cgs_err refuse(struct build *b, enum cgs_err e, const char *step, const char *input,
			   const char *text)
{
	return fail(b, step, input, cgs_diag_set(b->d, e, NULL, CGS_DIAG_NO_OFFSET, "%s", text));
}

static enum cgs_err master_key(struct build *b)
{
	const char *path = b->in->master_key_file;
	uint8_t *data;
	size_t len, n = 0;
	enum cgs_err e;

	if (!path)
		return (e = cgs_random(b->master, PEF_ESM_KEY_LEN, b->d))
			   ? fail(b, "generate", "the master key", e)
			   : CGS_OK;
	if ((e = cgs_read_file(path, 256, &data, &len, b->d)))
		return fail(b, "read", path, e);
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = '\0';
	if (len == PEF_ESM_KEY_LEN)
		memcpy(b->master, data, PEF_ESM_KEY_LEN);
	else if (cgs_hex_decode((char *)data, b->master, PEF_ESM_KEY_LEN, &n, 1))
		e = refuse(b, CGS_E_USAGE, "read", path,
			   "the master key must hold 32 bytes (raw "
			   "or as 64 hex digits)");
	cgs_free_secret(data, len);
	return e;
}

static enum cgs_err item_iv(struct build *b, const char *item, uint8_t iv[PEF_ESM_IV_LEN])
{
	enum cgs_err e;

	for (size_t i = 0; i < b->in->n_ivs; i++) {
		if (!strcmp(b->in->ivs[i].item, item)) {
			memcpy(iv, b->in->ivs[i].iv, PEF_ESM_IV_LEN);
			return CGS_OK;
		}
	}
	e = cgs_random(iv, PEF_ESM_IV_LEN, b->d);
	return e ? fail(b, "generate", "an IV", e) : CGS_OK;
}

static enum cgs_err add_lockbox(struct build *b, const char *name, const char *comment,
				const struct pef_key *k)
{
	struct pef_esm_lockbox *lb = &b->m.lockboxes[b->m.n_lockboxes];
	struct cgs_buf *sk = &b->symkeys[b->m.n_lockboxes];
	enum cgs_err e;

	if (b->m.n_lockboxes == MAX_LOCKBOXES)
		return refuse(b, CGS_E_USAGE, "build", "the ESM blob", "too many lockboxes");
	if ((e = pef_lockbox_wrap(k->pkey, b->master, sk, b->d)))
		return fail(b, "wrap the master key for", name, e);
	snprintf(lb->name, sizeof(lb->name), "%s", name);
	lb->comment = comment ? comment : "";
	lb->symkey.data = sk->data;
	lb->symkey.len = sk->len;
	memcpy(lb->fingerprint, k->fingerprint, PEF_ESM_FP_LEN);
	b->m.n_lockboxes++;
	return CGS_OK;
}

static enum cgs_err make_owner(struct build *b)
{
	const struct cgs_pef_build_in *in = b->in;
	struct pef_key pub = {0};
	char *pass = NULL;
	enum cgs_err e;

	if ((e = pef_passphrase_read(in->passphrase_file, &pass, b->d)))
		return fail(b, "read the passphrase file", in->passphrase_file, e);
	e = pef_key_load_private(in->owner_key, pass, PEF_RSA_BITS, 4096, &b->owner, b->d);
	pef_passphrase_free(pass);
	if (e)
		return fail(b, "load the private key", in->owner_key, e);
	if (in->owner_pubkey) {
		if ((e = pef_key_load_public(in->owner_pubkey, PEF_RSA_BITS, 4096, &pub, b->d)))
			return fail(b, "load the public key", in->owner_pubkey, e);
		if (EVP_PKEY_eq(pub.pkey, b->owner.pkey) != 1)
			e = fail(b, "check", in->owner_pubkey,
				 cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					      "not the public half of '%s'", in->owner_key));
		else /* svm-tool records the fingerprint of the public key file */
			memcpy(b->owner.fingerprint, pub.fingerprint, PEF_ESM_FP_LEN);
		pef_key_free(&pub);
		if (e)
			return e;
	}
	return add_lockbox(b, PEF_ESM_ORIGIN, in->owner_comment, &b->owner);
}

/* A recipient named twice (the same key, whatever its file) is refused, as svm-tool does. */
static enum cgs_err check_duplicate(struct build *b, size_t i, const struct pef_key *k,
				    uint8_t (*fps)[PEF_ESM_FP_LEN])
{
	const char *path = b->in->recipients[i].pubkey;
	enum cgs_err e = pef_key_fingerprint(k->pkey, fps[i], b->d);

	if (e)
		return fail(b, "load the public key", path, e);
	for (size_t j = 0; j < i; j++)
		if (!memcmp(fps[j], fps[i], PEF_ESM_FP_LEN))
			return fail(b, "authorise", path,
				    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
						 "'%s' is named twice (as recipient %zu and %zu): "
						 "each key gets one lockbox",
						 path, j + 1, i + 1));
	return CGS_OK;
}

static enum cgs_err make_recipients(struct build *b)
{
	uint8_t(*fps)[PEF_ESM_FP_LEN] = calloc(MAX_LOCKBOXES, PEF_ESM_FP_LEN);
	enum cgs_err e = CGS_OK;

	if (!fps)
		return cgs_diag_set(b->d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	for (size_t i = 0; !e && i < b->in->n_recipients; i++) {
		const struct cgs_pef_recipient *r = &b->in->recipients[i];
		struct pef_key k = {0};
		char name[PEF_ESM_NAME_MAX + 1];

		if (i + 1 >= MAX_LOCKBOXES) {
			e = refuse(b, CGS_E_USAGE, "build", "the ESM blob", "too many lockboxes");
			break;
		}
		/* lockbox-1 is opened by the TPM: RSA-2048 only */
		if ((e = pef_key_load_public(r->pubkey, PEF_RSA_BITS, i ? 4096 : PEF_RSA_BITS, &k,
					     b->d)))
			fail(b, "load the public key", r->pubkey, e);
		if (!e)
			e = check_duplicate(b, i, &k, fps);
		if (!e && !i && EVP_PKEY_eq(k.pkey, b->owner.pkey) == 1)
			b->out->warnings |= CGS_PEF_WARN_OWNER_IS_TPM;
		if (!e) {
			pef_esm_next_lockbox_name(&b->m, name);
			e = add_lockbox(b, name, r->comment, &k);
		}
		pef_key_free(&k);
	}
	free(fps);
	return e;
}

static int has_svm_on(const char *c)
{
	static const char *const on[] = {"svm=on", "svm=1", "svm=y", "svm=Y", NULL};

	for (const char *p = c; p && *p; p++) {
		if (p != c && p[-1] != ' ')
			continue;
		for (int i = 0; on[i]; i++) {
			size_t n = strlen(on[i]);

			if (!strncmp(p, on[i], n) && (p[n] == ' ' || p[n] == '\0'))
				return 1;
		}
	}
	return 0;
}

static enum cgs_err check_inputs(struct build *b, const char *cmdline)
{
	const char *initrd = b->in->initrd;
	struct pef_blob_src s;
	struct cgs_diag ignored;

	if (strlen(cmdline) > PEF_CMDLINE_MAX)
		return fail(b, "measure", "the command line",
			    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					 "the command line has %zu bytes, over the limit of %d",
					 strlen(cmdline), PEF_CMDLINE_MAX));
	if (!has_svm_on(cmdline))
		b->out->warnings |= CGS_PEF_WARN_NO_SVM;
	if (!initrd || pef_blob_load(initrd, &s, &ignored))
		return CGS_OK;
	pef_blob_src_free(&s);
	if (s.kind != PEF_BLOB_INITRD)
		return CGS_OK;
	return refuse(b, CGS_E_MALFORMED, "measure", initrd,
		      "the file already starts with an "
		      "ESM cpio archive: give the original initramfs");
}

static enum cgs_err make_digests(struct build *b)
{
	const struct cgs_pef_build_in *in = b->in;
	struct pef_boot boot = {in->kernel, in->initrd, in->cmdline ? in->cmdline : ""};
	struct pef_esm_sealed *s = &b->m.digests;
	struct cgs_buf plain = CGS_BUF_INIT;
	enum cgs_err e = check_inputs(b, boot.cmdline);

	if (e)
		return e;
	if ((e = pef_boot_digests(&boot, 0, &b->dg, NULL, b->d)))
		return fail(b, "measure", !strcmp(b->d->field, "initrd") ? in->initrd : in->kernel,
			    e);
	e = item_iv(b, "digests", s->iv);
	if (!e && ((e = pef_esm_digests_serialize(&b->dg, &plain, b->d)) ||
		   (e = cgs_buf_reserve(&b->digests_ct, plain.len + 1)) ||
		   (e = pef_seal(b->master, s->iv, plain.data, plain.len, b->digests_ct.data,
				 s->mac, b->d))))
		fail(b, "seal", "the digests", e);
	if (!e) {
		b->m.has_digests = 1;
		snprintf(s->name, sizeof(s->name), "digests-fdt");
		s->comment = in->digest_comment ? in->digest_comment : "";
		s->ciphertext.data = b->digests_ct.data;
		s->ciphertext.len = plain.len;
	}
	cgs_buf_free(&plain, 1);
	return e;
}

static enum cgs_err make_file(struct build *b, size_t i)
{
	const struct cgs_pef_file *in = &b->in->files[i];
	struct pef_esm_sealed *f = &b->m.files[i];
	uint8_t *data = NULL;
	size_t len = 0;
	enum cgs_err e;

	if (!pef_esm_file_name_valid(in->name))
		return fail(b, "attach", in->path,
			    cgs_diag_set(b->d, CGS_E_USAGE, "name", CGS_DIAG_NO_OFFSET,
					 "invalid attachment name '%s': a letter, then up to 30 "
					 "of 0-9 A-Z a-z , . _ + -",
					 in->name));
	if (pef_esm_find_file(&b->m, in->name) >= 0)
		return refuse(b, CGS_E_USAGE, "attach", in->path, "attachment name given twice");
	if ((e = cgs_read_file(in->path, PEF_ESM_FILE_MAX, &data, &len, b->d))) {
		if (e == CGS_E_MALFORMED)
			snprintf(b->d->text, sizeof(b->d->text),
				 "attachment over the Ultravisor's "
				 "limit of %d bytes",
				 PEF_ESM_FILE_MAX);
		return fail(b, "attach", in->path, e);
	}
	b->file_ct[i] = malloc(len ? len : 1);
	snprintf(f->name, sizeof(f->name), "%s", in->name);
	f->comment = in->comment ? in->comment : "";
	e = b->file_ct[i]
		? item_iv(b, f->name, f->iv)
		: cgs_diag_set(b->d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (!e && (e = pef_seal(b->master, f->iv, data, len, b->file_ct[i], f->mac, b->d)))
		fail(b, "seal", in->path, e);
	cgs_free_secret(data, len);
	f->ciphertext.data = b->file_ct[i];
	f->ciphertext.len = len;
	b->m.n_files = i + 1;
	return e;
}

static enum cgs_err make_output(struct build *b)
{
	const struct cgs_pef_build_in *in = b->in;
	unsigned flags = in->force ? CGS_OUT_FORCE : 0;
	enum cgs_err e;

	if ((e = pef_esm_serialize(&b->m, &b->blob, b->d)))
		return fail(b, "build", "the ESM blob", e);
	if (in->attach_to == CGS_PEF_ATTACH_NONE)
		e = cgs_write_file(in->output, b->blob.data, b->blob.len, flags, b->d);
	else if (in->attach_to == CGS_PEF_ATTACH_ELF)
		e = elf_section_add(in->elf_object, in->output, flags, ELF_ESM_SECTION,
				    b->blob.data, b->blob.len, b->d);
	else
		e = pef_blob_write_initrd(
		    in->output, flags, in->blob_name ? in->blob_name : "esmb.dtb", b->blob.data,
		    b->blob.len, in->initrd, 0, in->initrd ? b->dg.initrd : NULL, b->d);
	return e ? fail(b, "write", in->output, e) : CGS_OK;
}

static enum cgs_err report(struct build *b)
{
	struct cgs_pef_build_out *o = b->out;
	struct pef_blob_src src = {PEF_BLOB_FILE, b->blob.data, b->blob.len, 0, 0, ""};
	enum cgs_err e = pef_info_describe(&src, &o->blob, b->d);

	memcpy(o->rtas, b->dg.rtas, 64);
	memcpy(o->kernel, b->dg.kernel, 64);
	memcpy(o->initrd, b->dg.initrd, 64);
	memcpy(o->bootargs, b->dg.bootargs, 64);
	o->kernel_size = b->dg.kernel_size;
	return e ? fail(b, "describe", "the ESM blob", e) : CGS_OK;
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < MAX_LOCKBOXES; i++)
		cgs_buf_free(&b->symkeys[i], 0);
	cgs_buf_free(&b->digests_ct, 0);
	for (size_t i = 0; i < PEF_ESM_MAX_FILES; i++)
		free(b->file_ct[i]);
	cgs_buf_free(&b->blob, 0);
	pef_key_free(&b->owner);
	cgs_wipe(b->master, sizeof(b->master));
}

enum cgs_err cgs_pef_build(const struct cgs_pef_build_in *in, struct cgs_pef_build_out *out,
			   struct cgs_diag *d)
{
	struct build *b = calloc(1, sizeof(*b));
	enum cgs_err e;

	memset(out, 0, sizeof(*out));
	if (!b)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	b->in = in;
	b->out = out;
	b->d = d;
	if (in->n_files > PEF_ESM_MAX_FILES)
		e = refuse(b, CGS_E_USAGE, "build", "the ESM blob", "too many attachments");
	else
		e = master_key(b);
	if (!e)
		e = make_owner(b);
	if (!e)
		e = make_recipients(b);
	if (!e)
		e = make_digests(b);
	for (size_t i = 0; !e && i < in->n_files; i++)
		e = make_file(b, i);
	if (!e)
		e = make_output(b);
	if (!e)
		e = report(b);
	build_free(b);
	free(b);
	return e;
}
