// SPDX-License-Identifier: MIT
/*
 * Key management for ESM blobs: pef-keygen (an owner or test key pair),
 * pef-authorize (add a recipient lockbox with the owner key) and pef-revoke
 * (remove a recipient lockbox, owner key required).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "cmd/mkimage/verbs.h"
#include "lib/pef/pef_crypto.h"
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

int verb_pef_keygen(int argc, char **argv)
{
	struct kopts o = { .bits = PEF_RSA_BITS };
	struct cgs_command cmd = {
		"cgs-mkimage pef-keygen", "[OPTION]... --private SECKEY --public PUBKEY",
		"Generate an RSA key pair for an ESM blob owner (origin lockbox) or a test "
		"recipient.", keygen_options, 0, NULL, on_kopt, &o,
	};
	const char *failed = NULL;
	struct cgs_diag d;
	int rc = cgs_cli_parse_options(&cmd, argc, argv);

	if (rc >= 0)
		return rc;
	if (!o.private_out || !o.public_out)
		return cgs_log_usage("missing '%s'", !o.private_out ? "--private" : "--public");
	if (!strcmp(o.private_out, "-"))
		return cgs_log_usage("the private key is never written to standard output");
	if (o.bits != 2048 && o.bits != 3072 && o.bits != 4096)
		return cgs_log_usage("'--bits' must be 2048, 3072 or 4096");
	cgs_diag_clear(&d);
	if (cgs_pef_keygen(o.private_out, o.public_out, o.passphrase_file, (int)o.bits, o.force,
			   &failed, &d))
		return cgs_log_diag(&d, !failed ? "generate" : failed == o.passphrase_file ?
				    "read the passphrase file" : "write",
				    failed ? failed : "the key pair");
	cgs_log_info("RSA-%u key pair written: '%s' (private), '%s' (public)", (unsigned)o.bits,
		     o.private_out, o.public_out);
	return 0;
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

/* Run an edit and report it. */
static int run_edit(const struct kopts *o, const char *in_path, int revoke)
{
	struct cgs_pef_edit_in in = { in_path, o->out, o->force, o->owner_key,
				      o->passphrase_file, o->recipient, o->comment, o->lockbox };
	struct cgs_pef_edit_out r = { "", 0, NULL, NULL };
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if ((revoke ? cgs_pef_revoke : cgs_pef_authorize)(&in, &r, &d))
		return cgs_log_diag(&d, r.step ? r.step : "edit", r.input);
	if (r.warnings & CGS_PEF_WARN_NO_LOCKBOX_1)
		cgs_log_warn("revoked lockbox-1: the Ultravisor can no longer open this blob");
	if (revoke)
		cgs_log_info("revoked %s", r.lockbox);
	else
		cgs_log_info("authorised '%s' as %s", o->recipient, r.lockbox);
	return 0;
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

int verb_pef_authorize(int argc, char **argv)
{
	struct kopts o = { 0 };
	struct cgs_command cmd = {
		"cgs-mkimage pef-authorize", "[OPTION]... --owner-key SECKEY --recipient PUBKEY "
		"-o OUTPUT BLOB|INITRD",
		"Authorise one more RSA key to open an ESM blob (adds lockbox-N), proving "
		"ownership with the owner key.", authorize_options, 0, NULL, on_kopt, &o,
	};
	const char *in = NULL;
	int rc = edit_common(argc, argv, &cmd, &o, &in);

	if (rc >= 0)
		return rc;
	if (!o.recipient)
		return cgs_log_usage("missing '--recipient'");
	return run_edit(&o, in, 0);
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
	const char *in = NULL;
	int rc = edit_common(argc, argv, &cmd, &o, &in);

	if (rc >= 0)
		return rc;
	if (!o.recipient == !o.lockbox)
		return cgs_log_usage("give exactly one of '--recipient' and '--lockbox'");
	return run_edit(&o, in, 1);
}
