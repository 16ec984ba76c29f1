// SPDX-License-Identifier: MIT
/*
 * Key management for ESM blobs: cgs_pef_keygen (an owner or test key pair),
 * cgs_pef_authorize (add a recipient lockbox with the owner key) and
 * cgs_pef_revoke (remove a recipient lockbox, owner key required).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "formats/pef_esm.h"
#include "lib/core/crypto.h"
#include "lib/core/io.h"
#include "lib/pef/pef_blob.h"
#include "lib/pef/pef_crypto.h"
#include "lib/pef/pef_passphrase.h"

struct edit {
	const struct cgs_pef_edit_in *in;
	struct cgs_pef_edit_out *out;
	struct cgs_diag *d;
	struct pef_blob_src src;
	int loaded;
	struct pef_esm m;
	uint8_t key[PEF_ESM_KEY_LEN];
	struct cgs_buf symkey; /* zeroed by calloc: an empty buffer */
};

static enum cgs_err fail(struct edit *x, const char *step, const char *input, enum cgs_err e)
{
	x->out->step = step;
	x->out->input = input;
	return e;
}

static enum cgs_err refuse(struct edit *x, const char *step, const char *input, const char *fmt,
			   ...) __attribute__((format(printf, 4, 5)));
static enum cgs_err refuse(struct edit *x, const char *step, const char *input, const char *fmt,
			   ...)
{
	char text[sizeof(x->d->text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return fail(x, step, input,
		    cgs_diag_set(x->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET, "%s", text));
}

static enum cgs_err load(struct edit *x)
{
	enum cgs_err e = pef_blob_load(x->in->input, &x->src, x->d);

	if (e)
		return fail(x, "read the ESM blob from", x->in->input, e);
	x->loaded = 1;
	if ((e = pef_esm_parse(x->src.blob, x->src.len, &x->m, x->d))) {
		if (x->d->offset != CGS_DIAG_NO_OFFSET)
			x->d->offset += x->src.blob_off;
		return fail(x, "parse", x->in->input, e);
	}
	if (x->src.kind == PEF_BLOB_ELF)
		return refuse(x, "edit", x->in->input, "%s",
			      "the blob is in an ELF section: edit "
			      "the bare blob, then attach it again");
	return CGS_OK;
}

/* Open the origin lockbox with the owner key: proves ownership, gives the master key. */
static enum cgs_err owner_master(struct edit *x)
{
	const struct cgs_pef_edit_in *in = x->in;
	struct pef_key owner = {0};
	char *pass = NULL;
	int idx = -1;
	enum cgs_err e = pef_passphrase_read(in->passphrase_file, &pass, x->d);

	if (e)
		return fail(x, "read the passphrase file", in->passphrase_file, e);
	e = pef_key_load_private(in->owner_key, pass, PEF_RSA_BITS, 4096, &owner, x->d);
	pef_passphrase_free(pass);
	if (e)
		return fail(x, "load the private key", in->owner_key, e);
	if (pef_open_any_lockbox(&x->m, &owner, x->key, &idx, x->d) == CGS_OK &&
	    strcmp(x->m.lockboxes[idx].name, PEF_ESM_ORIGIN)) {
		cgs_wipe(x->key, sizeof(x->key));
		idx = -1;
	}
	pef_key_free(&owner);
	if (idx < 0)
		return refuse(x, "open the origin lockbox with", in->owner_key,
			      "'%s' does not open "
			      "the origin lockbox: not the owner key of this blob",
			      in->owner_key);
	return CGS_OK;
}

/* Write the edited blob back into the same kind of container it came from. */
static enum cgs_err write_back(struct edit *x)
{
	struct cgs_buf blob = CGS_BUF_INIT;
	unsigned flags = x->in->force ? CGS_OUT_FORCE : 0;
	const char *name;
	enum cgs_err e = pef_esm_serialize(&x->m, &blob, x->d);

	if (e)
		return fail(x, "build", "the ESM blob", e);
	if (x->src.kind == PEF_BLOB_INITRD) {
		name = strrchr(x->src.entry, '/');
		e = pef_blob_write_initrd(x->in->output, flags, name ? name + 1 : "esmb.dtb",
					  blob.data, blob.len, x->in->input, x->src.initrd_off,
					  NULL, x->d);
	} else {
		e = cgs_write_file(x->in->output, blob.data, blob.len, flags, x->d);
	}
	cgs_buf_free(&blob, 0);
	return e ? fail(x, "write", x->in->output, e) : CGS_OK;
}

static enum cgs_err add_lockbox(struct edit *x)
{
	const struct cgs_pef_edit_in *in = x->in;
	struct pef_esm_lockbox *lb = &x->m.lockboxes[x->m.n_lockboxes];
	struct pef_key k = {0};
	int first = pef_esm_find_lockbox(&x->m, PEF_ESM_UV_LOCKBOX) < 0;
	enum cgs_err e =
	    pef_key_load_public(in->recipient, PEF_RSA_BITS, first ? PEF_RSA_BITS : 4096, &k, x->d);

	if (e)
		return fail(x, "load the public key", in->recipient, e);
	for (size_t i = 0; !e && i < x->m.n_lockboxes; i++)
		if (!memcmp(x->m.lockboxes[i].fingerprint, k.fingerprint, PEF_ESM_FP_LEN))
			e = refuse(x, "authorise", in->recipient, "already authorised (%s)",
				   x->m.lockboxes[i].name);
	if (!e && x->m.n_lockboxes == PEF_ESM_MAX_LOCKBOXES)
		e = refuse(x, "authorise", in->recipient, "%s",
			   "the blob has the maximum of 64 "
			   "lockboxes");
	if (!e && (e = pef_lockbox_wrap(k.pkey, x->key, &x->symkey, x->d)))
		fail(x, "wrap the master key for", in->recipient, e);
	if (!e) {
		memset(lb, 0, sizeof(*lb));
		pef_esm_next_lockbox_name(&x->m, lb->name);
		lb->comment = in->comment ? in->comment : "";
		lb->symkey.data = x->symkey.data;
		lb->symkey.len = x->symkey.len;
		memcpy(lb->fingerprint, k.fingerprint, PEF_ESM_FP_LEN);
		x->m.n_lockboxes++;
		snprintf(x->out->lockbox, sizeof(x->out->lockbox), "%s", lb->name);
	}
	pef_key_free(&k);
	return e;
}

/* The lockbox to revoke: by name, or by the fingerprint of the key (file or canonical PEM). */
static enum cgs_err revoke_index(struct edit *x, int *ret)
{
	const struct cgs_pef_edit_in *in = x->in;
	struct pef_key k = {0};
	int idx = -1;
	enum cgs_err e;

	if (in->lockbox) {
		idx = pef_esm_find_lockbox(&x->m, in->lockbox);
		*ret = idx;
		return idx < 0 ? refuse(x, "revoke", in->lockbox, "the blob has no lockbox '%s'",
					in->lockbox)
			       : CGS_OK;
	}
	if ((e = pef_key_load_public(in->recipient, 1024, 16384, &k, x->d)))
		return fail(x, "load the public key", in->recipient, e);
	for (size_t i = 0; i < x->m.n_lockboxes; i++)
		if (!memcmp(x->m.lockboxes[i].fingerprint, k.fingerprint, PEF_ESM_FP_LEN))
			idx = (int)i;
	if (idx < 0 && pef_key_fingerprint(k.pkey, k.fingerprint, NULL) == CGS_OK)
		for (size_t i = 0; i < x->m.n_lockboxes; i++)
			if (!memcmp(x->m.lockboxes[i].fingerprint, k.fingerprint, PEF_ESM_FP_LEN))
				idx = (int)i;
	pef_key_free(&k);
	*ret = idx;
	return idx < 0 ? refuse(x, "revoke", in->recipient,
				"no lockbox has the fingerprint of "
				"'%s'",
				in->recipient)
		       : CGS_OK;
}

static enum cgs_err remove_lockbox(struct edit *x)
{
	int idx = -1;
	enum cgs_err e = revoke_index(x, &idx);

	if (e)
		return e;
	if (!strcmp(x->m.lockboxes[idx].name, PEF_ESM_ORIGIN))
		return refuse(x, "revoke", PEF_ESM_ORIGIN, "%s",
			      "the origin lockbox cannot be "
			      "revoked");
	if (!strcmp(x->m.lockboxes[idx].name, PEF_ESM_UV_LOCKBOX))
		x->out->warnings |= CGS_PEF_WARN_NO_LOCKBOX_1;
	snprintf(x->out->lockbox, sizeof(x->out->lockbox), "%s", x->m.lockboxes[idx].name);
	memmove(&x->m.lockboxes[idx], &x->m.lockboxes[idx + 1],
		(x->m.n_lockboxes - (size_t)idx - 1) * sizeof(x->m.lockboxes[0]));
	x->m.n_lockboxes--;
	return CGS_OK;
}

static enum cgs_err edit(const struct cgs_pef_edit_in *in, struct cgs_pef_edit_out *out,
			 struct cgs_diag *d, enum cgs_err (*change)(struct edit *))
{
	struct edit *x = calloc(1, sizeof(*x));
	enum cgs_err e;

	memset(out, 0, sizeof(*out));
	if (!x)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	x->in = in;
	x->out = out;
	x->d = d;
	e = load(x);
	if (!e)
		e = owner_master(x);
	if (!e)
		e = change(x);
	if (!e)
		e = write_back(x);
	if (x->loaded)
		pef_blob_src_free(&x->src);
	cgs_buf_free(&x->symkey, 0);
	cgs_wipe(x->key, sizeof(x->key));
	free(x);
	return e;
}

enum cgs_err cgs_pef_authorize(const struct cgs_pef_edit_in *in, struct cgs_pef_edit_out *out,
			       struct cgs_diag *d)
{
	return edit(in, out, d, add_lockbox);
}

enum cgs_err cgs_pef_revoke(const struct cgs_pef_edit_in *in, struct cgs_pef_edit_out *out,
			    struct cgs_diag *d)
{
	return edit(in, out, d, remove_lockbox);
}

enum cgs_err cgs_pef_keygen(const char *private_path, const char *public_path,
			    const char *passphrase_file, int bits, int force,
			    const char **ret_failed, struct cgs_diag *d)
{
	struct cgs_buf priv = CGS_BUF_INIT, pub = CGS_BUF_INIT;
	unsigned flags = force ? CGS_OUT_FORCE : 0;
	EVP_PKEY *pk = NULL;
	char *pass = NULL;
	size_t failed = 0;
	enum cgs_err e;

	*ret_failed = passphrase_file;
	if ((e = pef_passphrase_read(passphrase_file, &pass, d)))
		return e;
	*ret_failed = NULL;
	if (!(e = pef_key_generate(bits, &pk, d)) &&
	    !(e = pef_key_pem_private(pk, pass, &priv, d)) &&
	    !(e = pef_key_pem_public(pk, &pub, d))) {
		struct cgs_out_buf bufs[2] = {
		    {private_path, priv.data, priv.len, flags | CGS_OUT_SECRET},
		    {public_path, pub.data, pub.len, flags},
		};

		/* both files or neither */
		if ((e = cgs_write_files(bufs, 2, &failed, d)))
			*ret_failed = bufs[failed].path;
	}
	pef_passphrase_free(pass);
	cgs_buf_free(&priv, 1);
	cgs_buf_free(&pub, 0);
	EVP_PKEY_free(pk);
	return e;
}
