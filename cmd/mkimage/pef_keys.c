// SPDX-License-Identifier: MIT
/*
 * Key management for ESM blobs: pef-keygen (an owner or test key pair),
 * pef-authorize (add a recipient lockbox with the owner key) and pef-revoke
 * (remove a recipient lockbox, owner key required).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/mkimage/pef_common.h"
#include "cmd/mkimage/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/log.h"

enum { OPT_PUBLIC = CGS_KEY_FIRST, OPT_PASSPHRASE_FILE, OPT_FORCE, OPT_COMMENT, OPT_LOCKBOX,
       OPT_BITS };

struct kopts {
	const char *private_out, *public_out, *passphrase_file, *owner_key, *recipient, *comment;
	const char *lockbox, *out;
	uint64_t bits;
	int force;
};

static int on_kopt(void *ctx, int key, const char *arg)
{
	struct kopts *o = ctx;

	switch (key) {
	case 'o': o->out = arg; break;
	case 'S': o->private_out = arg; break;
	case OPT_PUBLIC: o->public_out = arg; break;
	case OPT_PASSPHRASE_FILE: o->passphrase_file = arg; break;
	case 's': o->owner_key = arg; break;
	case 'r': o->recipient = arg; break;
	case OPT_COMMENT:
		if (strchr(arg, '\n'))
			return cgs_log_usage("'--comment' must not contain a line feed");
		o->comment = arg;
		break;
	case OPT_LOCKBOX: o->lockbox = arg; break;
	case OPT_BITS: return cgs_arg_u64("bits", arg, 4096, &o->bits);
	case OPT_FORCE: o->force = 1; break;
	default: break;
	}
	return 0;
}

static const struct cgs_option keygen_options[] = {
	{ "private", 'S', CGS_REQ_ARG, "FILE", "write the private key here (PKCS#1 PEM, mode "
	  "0600)", 0 },
	{ "public", OPT_PUBLIC, CGS_REQ_ARG, "FILE", "write the public key here (SPKI PEM)", 0 },
	{ "passphrase-file", OPT_PASSPHRASE_FILE, CGS_REQ_ARG, "FILE", "encrypt the private key "
	  "with this passphrase (first line; AES-256-CBC)", 0 },
	{ "bits", OPT_BITS, CGS_REQ_ARG, "N", "RSA modulus size, 2048 (default), 3072 or 4096",
	  0 },
	{ "force", OPT_FORCE, CGS_NO_ARG, NULL, "replace existing files", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* The private and the public key: both or neither (issue 10). */
static enum cgs_err write_pair(const struct kopts *o, const struct cgs_buf *priv,
			       const struct cgs_buf *pub, unsigned flags, struct cgs_diag *d,
			       const char **ret_failed)
{
	const struct cgs_out_buf out[2] = {
		{ o->private_out, priv->data, priv->len, flags | CGS_OUT_SECRET },
		{ o->public_out, pub->data, pub->len, flags },
	};
	size_t failed = 0;
	enum cgs_err err = cgs_write_files(out, 2, &failed, d);

	*ret_failed = failed ? o->public_out : o->private_out;
	return err;
}

int verb_pef_keygen(int argc, char **argv)
{
	struct kopts o = { .bits = PEF_RSA_BITS };
	struct cgs_command cmd = {
		"cgs-mkimage pef-keygen", "[OPTION]... --private SECKEY --public PUBKEY",
		"Generate an RSA key pair for an ESM blob owner (origin lockbox) or a test "
		"recipient.", keygen_options, 0, NULL, on_kopt, &o,
	};
	struct cgs_buf priv = CGS_BUF_INIT, pub = CGS_BUF_INIT;
	const char *failed = NULL;
	unsigned flags;
	struct cgs_diag d;
	EVP_PKEY *pk = NULL;
	char *pass = NULL;
	int optind_ = 0, rc = cgs_cli_parse(&cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (!o.private_out || !o.public_out)
		return cgs_log_usage("missing '%s'", !o.private_out ? "--private" : "--public");
	if (!strcmp(o.private_out, "-"))
		return cgs_log_usage("the private key is never written to standard output");
	if (o.bits != 2048 && o.bits != 3072 && o.bits != 4096)
		return cgs_log_usage("'--bits' must be 2048, 3072 or 4096");
	rc = pef_cmd_passphrase(o.passphrase_file, &pass);
	if (rc)
		return rc;
	cgs_diag_clear(&d);
	flags = o.force ? CGS_OUT_FORCE : 0;
	if (pef_key_generate((int)o.bits, &pk, &d) || pef_key_pem_private(pk, pass, &priv, &d) ||
	    pef_key_pem_public(pk, &pub, &d))
		rc = cgs_log_diag(&d, "generate", "the key pair");
	else if (write_pair(&o, &priv, &pub, flags, &d, &failed))
		rc = cgs_log_diag(&d, "write", failed);
	if (!rc)
		cgs_log_info("RSA-%u key pair written: '%s' (private), '%s' (public)",
			     (unsigned)o.bits, o.private_out, o.public_out);
	pef_cmd_passphrase_free(pass);
	cgs_buf_free(&priv, 1);
	cgs_buf_free(&pub, 0);
	EVP_PKEY_free(pk);
	return rc;
}

/* Open the origin lockbox with the owner key: proves ownership, gives the master key. */
static int owner_master(const struct pef_esm *m, const struct kopts *o,
			uint8_t key[PEF_ESM_KEY_LEN])
{
	struct pef_key owner = { 0 };
	struct cgs_diag d;
	char *pass = NULL;
	int idx = -1, rc = pef_cmd_passphrase(o->passphrase_file, &pass);

	if (!rc)
		rc = pef_cmd_load_private(o->owner_key, pass, PEF_RSA_BITS, 4096, &owner);
	pef_cmd_passphrase_free(pass);
	if (rc)
		return rc;
	cgs_diag_clear(&d);
	if (pef_open_any_lockbox(m, &owner, key, &idx, &d) == CGS_OK &&
	    strcmp(m->lockboxes[idx].name, PEF_ESM_ORIGIN)) {
		cgs_wipe(key, PEF_ESM_KEY_LEN);
		idx = -1;
	}
	if (idx < 0) {
		cgs_log_error("'%s' does not open the origin lockbox: not the owner key of "
			      "this blob", o->owner_key);
		rc = CGS_EXIT_DATAERR;
	}
	pef_key_free(&owner);
	return rc;
}

static int edit_common(int argc, char **argv, struct cgs_command *cmd, struct kopts *o,
		       const char **ret_in)
{
	int optind_ = 0, rc = cgs_cli_parse(cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing BLOB operand" : "too many operands");
	if (!o->owner_key)
		return cgs_log_usage("missing '--owner-key'");
	if (!o->out)
		return cgs_log_usage("missing '--output'");
	*ret_in = argv[optind_];
	return -1;
}

static int finish_edit(const struct pef_blob_src *src, const char *in, const struct kopts *o,
		       const struct pef_esm *m)
{
	struct cgs_buf blob = CGS_BUF_INIT;
	struct cgs_diag d;
	int rc;

	cgs_diag_clear(&d);
	if (pef_esm_serialize(m, &blob, &d))
		return cgs_log_diag(&d, "build", "the ESM blob");
	rc = pef_cmd_write_like(src, in, o->out, o->force ? CGS_OUT_FORCE : 0, blob.data,
				blob.len);
	cgs_buf_free(&blob, 0);
	return rc;
}

static const struct cgs_option authorize_options[] = {
	{ "owner-key", 's', CGS_REQ_ARG, "SECKEY", "the owner's private key (opens the origin "
	  "lockbox)", 0 },
	{ "passphrase-file", OPT_PASSPHRASE_FILE, CGS_REQ_ARG, "FILE", "passphrase of the owner "
	  "key (first line)", 0 },
	{ "recipient", 'r', CGS_REQ_ARG, "PUBKEY", "the RSA public key to authorise", 0 },
	{ "comment", OPT_COMMENT, CGS_REQ_ARG, "TEXT", "untrusted comment of the new lockbox", 0 },
	{ "output", 'o', CGS_REQ_ARG, "FILE", "write the updated blob (or initramfs) here", 0 },
	{ "force", OPT_FORCE, CGS_NO_ARG, NULL, "replace an existing output file", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static int authorize(struct pef_esm *m, const struct kopts *o, const uint8_t key[32],
		     struct cgs_buf *sk)
{
	struct pef_esm_lockbox *lb = &m->lockboxes[m->n_lockboxes];
	struct pef_key k = { 0 };
	struct cgs_diag d;
	int first = pef_esm_find_lockbox(m, PEF_ESM_UV_LOCKBOX) < 0;
	int rc = pef_cmd_load_public(o->recipient, PEF_RSA_BITS, first ? PEF_RSA_BITS : 4096, &k);

	if (rc)
		return rc;
	for (size_t i = 0; i < m->n_lockboxes; i++) {
		if (!memcmp(m->lockboxes[i].fingerprint, k.fingerprint, PEF_ESM_FP_LEN)) {
			cgs_log_error("'%s' is already authorised (%s)", o->recipient,
				      m->lockboxes[i].name);
			pef_key_free(&k);
			return CGS_EXIT_DATAERR;
		}
	}
	if (m->n_lockboxes == PEF_ESM_MAX_LOCKBOXES) {
		pef_key_free(&k);
		cgs_log_error("the blob has the maximum of %d lockboxes", PEF_ESM_MAX_LOCKBOXES);
		return CGS_EXIT_DATAERR;
	}
	cgs_diag_clear(&d);
	if (pef_lockbox_wrap(k.pkey, key, sk, &d)) {
		pef_key_free(&k);
		return cgs_log_diag(&d, "wrap the master key for", o->recipient);
	}
	memset(lb, 0, sizeof(*lb));
	pef_esm_next_lockbox_name(m, lb->name);
	lb->comment = o->comment ? o->comment : "";
	lb->symkey.data = sk->data;
	lb->symkey.len = sk->len;
	memcpy(lb->fingerprint, k.fingerprint, PEF_ESM_FP_LEN);
	m->n_lockboxes++;
	cgs_log_info("authorised '%s' as %s", o->recipient, lb->name);
	pef_key_free(&k);
	return 0;
}

int verb_pef_authorize(int argc, char **argv)
{
	struct kopts o = { 0 };
	struct cgs_command cmd = {
		"cgs-mkimage pef-authorize", "[OPTION]... --owner-key SECKEY --recipient PUBKEY "
		"-o OUTPUT BLOB|INITRD",
		"Authorise one more RSA key to open an ESM blob (adds lockbox-N), proving "
		"ownership with the owner key.", authorize_options, 0, NULL, on_kopt, &o,
	};
	struct pef_blob_src src;
	struct pef_esm *m;
	struct cgs_buf sk = CGS_BUF_INIT;
	uint8_t key[PEF_ESM_KEY_LEN];
	const char *in = NULL;
	int rc = edit_common(argc, argv, &cmd, &o, &in);

	if (rc >= 0)
		return rc;
	if (!o.recipient)
		return cgs_log_usage("missing '--recipient'");
	m = calloc(1, sizeof(*m));
	if (!m)
		return CGS_EXIT_FAILURE;
	rc = pef_cmd_load_blob(in, &src, m);
	if (!rc) {
		rc = owner_master(m, &o, key);
		if (!rc)
			rc = authorize(m, &o, key, &sk);
		if (!rc)
			rc = finish_edit(&src, in, &o, m);
		cgs_wipe(key, sizeof(key));
		pef_blob_src_free(&src);
	}
	cgs_buf_free(&sk, 0);
	free(m);
	return rc;
}

static const struct cgs_option revoke_options[] = {
	{ "owner-key", 's', CGS_REQ_ARG, "SECKEY", "the owner's private key (opens the origin "
	  "lockbox)", 0 },
	{ "passphrase-file", OPT_PASSPHRASE_FILE, CGS_REQ_ARG, "FILE", "passphrase of the owner "
	  "key (first line)", 0 },
	{ "recipient", 'r', CGS_REQ_ARG, "PUBKEY", "revoke the lockbox of this public key "
	  "(by fingerprint)", 0 },
	{ "lockbox", OPT_LOCKBOX, CGS_REQ_ARG, "NAME", "revoke this lockbox (e.g. lockbox-2)", 0 },
	{ "output", 'o', CGS_REQ_ARG, "FILE", "write the updated blob (or initramfs) here", 0 },
	{ "force", OPT_FORCE, CGS_NO_ARG, NULL, "replace an existing output file", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static int revoke_index(const struct pef_esm *m, const struct kopts *o)
{
	struct pef_key k = { 0 };
	int idx = -1, rc;

	if (o->lockbox) {
		idx = pef_esm_find_lockbox(m, o->lockbox);
		if (idx < 0)
			cgs_log_error("the blob has no lockbox '%s'", o->lockbox);
		return idx < 0 ? -CGS_EXIT_DATAERR : idx;
	}
	rc = pef_cmd_load_public(o->recipient, 1024, 16384, &k);
	if (rc)
		return -rc;
	for (size_t i = 0; i < m->n_lockboxes; i++)
		if (!memcmp(m->lockboxes[i].fingerprint, k.fingerprint, PEF_ESM_FP_LEN))
			idx = (int)i;
	if (idx < 0 && pef_key_fingerprint(k.pkey, k.fingerprint, NULL) == CGS_OK)
		for (size_t i = 0; i < m->n_lockboxes; i++) /* canonical PEM form */
			if (!memcmp(m->lockboxes[i].fingerprint, k.fingerprint, PEF_ESM_FP_LEN))
				idx = (int)i;
	pef_key_free(&k);
	if (idx < 0)
		cgs_log_error("no lockbox has the fingerprint of '%s'", o->recipient);
	return idx < 0 ? -CGS_EXIT_DATAERR : idx;
}

int verb_pef_revoke(int argc, char **argv)
{
	struct kopts o = { 0 };
	struct cgs_command cmd = {
		"cgs-mkimage pef-revoke", "[OPTION]... --owner-key SECKEY (--recipient PUBKEY | "
		"--lockbox NAME) -o OUTPUT BLOB|INITRD",
		"Remove a recipient's lockbox from an ESM blob (never the origin lockbox).",
		revoke_options, 0,
		"The master key is not changed: a revoked recipient that kept it can still read "
		"the blob. To shut a key out for good, build a new blob.",
		on_kopt, &o,
	};
	struct pef_blob_src src;
	struct pef_esm *m;
	uint8_t key[PEF_ESM_KEY_LEN];
	const char *in = NULL;
	int idx, rc = edit_common(argc, argv, &cmd, &o, &in);

	if (rc >= 0)
		return rc;
	if (!o.recipient == !o.lockbox)
		return cgs_log_usage("give exactly one of '--recipient' and '--lockbox'");
	m = calloc(1, sizeof(*m));
	if (!m)
		return CGS_EXIT_FAILURE;
	rc = pef_cmd_load_blob(in, &src, m);
	if (rc) {
		free(m);
		return rc;
	}
	rc = owner_master(m, &o, key);
	cgs_wipe(key, sizeof(key));
	idx = rc ? -1 : revoke_index(m, &o);
	if (!rc && idx < 0)
		rc = -idx;
	if (!rc && !strcmp(m->lockboxes[idx].name, PEF_ESM_ORIGIN)) {
		cgs_log_error("the origin lockbox cannot be revoked");
		rc = CGS_EXIT_DATAERR;
	}
	if (!rc) {
		if (!strcmp(m->lockboxes[idx].name, PEF_ESM_UV_LOCKBOX))
			cgs_log_warn("revoking lockbox-1: the Ultravisor can no longer open "
				     "this blob");
		cgs_log_info("revoked %s", m->lockboxes[idx].name);
		memmove(&m->lockboxes[idx], &m->lockboxes[idx + 1],
			(m->n_lockboxes - (size_t)idx - 1) * sizeof(m->lockboxes[0]));
		m->n_lockboxes--;
		rc = finish_edit(&src, in, &o, m);
	}
	pef_blob_src_free(&src);
	free(m);
	return rc;
}
