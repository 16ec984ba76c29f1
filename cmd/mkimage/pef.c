// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage pef: build a POWER PEF ESM blob from svm-tool's YAML config
 * and/or options, and attach it (initramfs cpio, ELF section, or bare).
 * cgs-mkimage pef-info: show a blob without its secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/mkimage/pef_common.h"
#include "cmd/mkimage/verbs.h"
#include "lib/core/cli.h"
#include "lib/pef/cpio.h"
#include "lib/core/crypto.h"
#include "lib/pef/elf_flat.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/pef/pef_config.h"

#define MAX_ITEMS PEF_ESM_MAX_FILES

enum {
	OPT_CONFIG = CGS_KEY_FIRST,
	OPT_KERNEL,
	OPT_INITRD,
	OPT_CMDLINE,
	OPT_RECIPIENT,
	OPT_OWNER_KEY,
	OPT_OWNER_PUBKEY,
	OPT_OWNER_COMMENT,
	OPT_PASSPHRASE_FILE,
	OPT_ATTACH,
	OPT_ATTACH_TO,
	OPT_ELF_OBJECT,
	OPT_BLOB_NAME,
	OPT_DIGEST_COMMENT,
	OPT_FORCE,
	OPT_X_MASTER_KEY,
	OPT_X_IV,
};

struct iv_opt {
	char item[PEF_ESM_NAME_MAX + 1];
	uint8_t iv[PEF_ESM_IV_LEN];
};

struct make_opts {
	const char *config, *kernel, *initrd, *cmdline, *owner_key, *owner_pub, *owner_comment;
	const char *passphrase_file, *out, *attach_to, *elf_object, *blob_name, *digest_comment;
	const char *master_key_file;
	const char *recipients[MAX_ITEMS];
	size_t n_recipients;
	const char *attach[MAX_ITEMS];
	size_t n_attach;
	struct iv_opt ivs[MAX_ITEMS + 1];
	size_t n_ivs;
	int force;
};

static const struct cgs_option make_options[] = {
	{ "config", 'y', CGS_REQ_ARG, "FILE", "svm-tool's svm_blob.yml (paths relative to the "
	  "current directory)", 0 },
	{ "kernel", 'k', CGS_REQ_ARG, "VMLINUX", "ppc64 vmlinux ELF to measure (not a zImage)", 0 },
	{ "initrd", 'i', CGS_REQ_ARG, "FILE", "initramfs to measure (and attach the blob to)", 0 },
	{ "cmdline", 'a', CGS_REQ_ARG, "TEXT", "exact kernel command line (must hold svm=on)", 0 },
	{ "recipient", 'r', CGS_REQ_ARG, "PUBKEY", "authorise an RSA public key (repeat; the "
	  "first is the machine's TPM key, lockbox-1)", 0 },
	{ "owner-key", 's', CGS_REQ_ARG, "SECKEY", "the owner's RSA private key (origin "
	  "lockbox)", 0 },
	{ "owner-pubkey", 'p', CGS_REQ_ARG, "PUBKEY", "the owner's public key file "
	  "(fingerprint of its bytes, as svm-tool)", 0 },
	{ "owner-comment", OPT_OWNER_COMMENT, CGS_REQ_ARG, "TEXT", "comment of the origin "
	  "lockbox", 0 },
	{ "passphrase-file", OPT_PASSPHRASE_FILE, CGS_REQ_ARG, "FILE", "passphrase of the "
	  "owner key (first line)", 0 },
	{ "attach", 'f', CGS_REQ_ARG, "NAME=FILE", "seal a file into the blob (repeat)", 0 },
	{ "attach-to", OPT_ATTACH_TO, CGS_REQ_ARG, "initrd|elf|none", "where the blob goes "
	  "(default initrd: cpio prepended to the initramfs)", 0 },
	{ "elf-object", OPT_ELF_OBJECT, CGS_REQ_ARG, "OBJECT", "ppc64 object to receive the "
	  ".kernel:esm_blob section (with --attach-to elf)", 0 },
	{ "blob-name", OPT_BLOB_NAME, CGS_REQ_ARG, "NAME", "file name in opt/ibm/pef/ (default "
	  "esmb.dtb)", 0 },
	{ "digest-comment", OPT_DIGEST_COMMENT, CGS_REQ_ARG, "TEXT", "comment of the digests "
	  "node", 0 },
	{ "output", 'o', CGS_REQ_ARG, "FILE", "output file", 0 },
	{ "force", OPT_FORCE, CGS_NO_ARG, NULL, "replace an existing output file", 0 },
	{ "x-master-key", OPT_X_MASTER_KEY, CGS_REQ_ARG, "FILE", "use this AES-256 master key "
	  "(32 bytes, raw or hex) instead of a random one", CGS_OPT_EXPERIMENTAL },
	{ "x-iv", OPT_X_IV, CGS_REQ_ARG, "ITEM=HEX", "use this 16-byte GCM IV for 'digests' or "
	  "an attachment (repeat)", CGS_OPT_EXPERIMENTAL },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static int add_iv(struct make_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct iv_opt *v;

	if (!eq || eq == arg || (size_t)(eq - arg) > PEF_ESM_NAME_MAX)
		return cgs_log_usage("invalid value '%s' for '--x-iv' (expected ITEM=HEX)", arg);
	if (o->n_ivs == MAX_ITEMS + 1)
		return cgs_log_usage("too many '--x-iv' options");
	v = &o->ivs[o->n_ivs++];
	memcpy(v->item, arg, (size_t)(eq - arg));
	v->item[eq - arg] = '\0';
	return cgs_arg_hex("x-iv", eq + 1, v->iv, PEF_ESM_IV_LEN);
}

static int on_make_option(void *ctx, int key, const char *arg)
{
	struct make_opts *o = ctx;

	switch (key) {
	case 'y': o->config = arg; break;
	case 'k': o->kernel = arg; break;
	case 'i': o->initrd = arg; break;
	case 'a': o->cmdline = arg; break;
	case 'r': return cgs_arg_push(o->recipients, &o->n_recipients, MAX_ITEMS, "--recipient", arg);
	case 's': o->owner_key = arg; break;
	case 'p': o->owner_pub = arg; break;
	case OPT_OWNER_COMMENT: o->owner_comment = arg; break;
	case OPT_PASSPHRASE_FILE: o->passphrase_file = arg; break;
	case 'f': return cgs_arg_push(o->attach, &o->n_attach, MAX_ITEMS, "--attach", arg);
	case OPT_ATTACH_TO:
		if (strcmp(arg, "initrd") && strcmp(arg, "elf") && strcmp(arg, "none"))
			return cgs_log_usage("invalid value '%s' for '--attach-to' (expected "
					     "'initrd', 'elf' or 'none')", arg);
		o->attach_to = arg;
		break;
	case OPT_ELF_OBJECT: o->elf_object = arg; break;
	case OPT_BLOB_NAME: o->blob_name = arg; break;
	case OPT_DIGEST_COMMENT: o->digest_comment = arg; break;
	case 'o': o->out = arg; break;
	case OPT_FORCE: o->force = 1; break;
	case OPT_X_MASTER_KEY: o->master_key_file = arg; break;
	case OPT_X_IV: return add_iv(o, arg);
	default: break;
	}
	return 0;
}

/* Everything the blob is made of, after merging the config and the options. */
struct plan {
	const char *owner_key, *owner_pub, *owner_comment;
	size_t n_recipients;
	const char *recipients[2 * MAX_ITEMS];
	const char *recipient_comments[2 * MAX_ITEMS];
	const char *kernel, *initrd, *cmdline, *digest_comment;
	int want_digest;
	size_t n_files;
	const char *file_paths[2 * MAX_ITEMS];
	char file_names[2 * MAX_ITEMS][PEF_ESM_NAME_MAX + 1];
	const char *file_comments[2 * MAX_ITEMS];
};

static int plan_file(struct plan *p, const char *path, const char *name, const char *comment,
		     int from_cli)
{
	const char *base = strrchr(path, '/');

	if (p->n_files == 2 * MAX_ITEMS)
		return cgs_log_usage("too many attachments");
	if (!name)
		name = base ? base + 1 : path;
	if (!pef_esm_file_name_valid(name)) {
		cgs_log_error("invalid attachment name '%s': a letter, then up to 30 of "
			      "0-9 A-Z a-z , . _ + -", name);
		return from_cli ? CGS_EXIT_USAGE : CGS_EXIT_DATAERR;
	}
	snprintf(p->file_names[p->n_files], PEF_ESM_NAME_MAX + 1, "%s", name);
	p->file_paths[p->n_files] = path;
	p->file_comments[p->n_files++] = comment;
	return 0;
}

static int plan_from_config(struct plan *p, const struct pef_config *c)
{
	int rc = 0;

	p->owner_key = c->origin.seckey;
	p->owner_pub = c->origin.pubkey;
	p->owner_comment = c->origin.comment;
	for (size_t i = 0; i < c->n_recipients; i++) {
		p->recipients[p->n_recipients] = c->recipients[i].pubkey;
		p->recipient_comments[p->n_recipients++] = c->recipients[i].comment;
	}
	p->want_digest = c->has_digest;
	p->kernel = c->kernel;
	p->initrd = c->initramfs;
	p->cmdline = c->args;
	p->digest_comment = c->digest_comment;
	for (size_t i = 0; !rc && i < c->n_files; i++)
		rc = plan_file(p, c->files[i].path, c->files[i].name, c->files[i].comment, 0);
	return rc;
}

static int plan_from_options(struct plan *p, const struct make_opts *o)
{
	int rc = 0;

	if (o->owner_key) {
		p->owner_key = o->owner_key;
		p->owner_pub = o->owner_pub;
	} else if (o->owner_pub) {
		p->owner_pub = o->owner_pub;
	}
	if (o->owner_comment)
		p->owner_comment = o->owner_comment;
	for (size_t i = 0; i < o->n_recipients; i++) {
		p->recipients[p->n_recipients] = o->recipients[i];
		p->recipient_comments[p->n_recipients++] = "";
	}
	if (o->kernel || o->initrd || o->cmdline)
		p->want_digest = 1;
	p->kernel = o->kernel ? o->kernel : p->kernel;
	p->initrd = o->initrd ? o->initrd : p->initrd;
	p->cmdline = o->cmdline ? o->cmdline : p->cmdline;
	p->digest_comment = o->digest_comment ? o->digest_comment : p->digest_comment;
	for (size_t i = 0; !rc && i < o->n_attach; i++) {
		char name[PEF_ESM_NAME_MAX + 2];
		const char *eq = strchr(o->attach[i], '=');

		if (!eq || eq == o->attach[i] || (size_t)(eq - o->attach[i]) > PEF_ESM_NAME_MAX ||
		    !eq[1])
			return cgs_log_usage("invalid value '%s' for '--attach' (expected "
					     "NAME=FILE, NAME up to 31 characters)", o->attach[i]);
		memcpy(name, o->attach[i], (size_t)(eq - o->attach[i]));
		name[eq - o->attach[i]] = '\0';
		rc = plan_file(p, eq + 1, name, "", 1);
	}
	return rc;
}

static int plan_check(const struct plan *p, const struct make_opts *o)
{
	if (!p->owner_key)
		return cgs_log_usage("the owner key is needed: '--owner-key' or an 'origin' in "
				     "'--config'");
	if (!p->n_recipients)
		return cgs_log_usage("no recipient: the first '--recipient' must be the machine's "
				     "TPM key (the Ultravisor opens lockbox-1 only)");
	if (!p->want_digest || !p->kernel)
		return cgs_log_usage("the kernel is needed: '--kernel' or a 'digest' in "
				     "'--config'");
	if (!o->out)
		return cgs_log_usage("missing '--output'");
	if (!strcmp(o->attach_to, "elf") && !o->elf_object)
		return cgs_log_usage("'--attach-to elf' needs '--elf-object OBJECT'");
	if (strcmp(o->attach_to, "elf") && o->elf_object)
		return cgs_log_usage("'--elf-object' needs '--attach-to elf'");
	if (!strcmp(o->out, "-") && strcmp(o->attach_to, "none"))
		return cgs_log_usage("'--output -' is only for '--attach-to none'");
	if (!strcmp(o->out, "-") && cgs_opts.json)
		return cgs_log_usage("'--json' and '--output -' both use standard output");
	if (p->initrd && !strcmp(p->initrd, "-"))
		return cgs_log_usage("the initrd must be a file (it is read twice)");
	for (size_t i = 0; i < o->n_ivs; i++) {
		int found = !strcmp(o->ivs[i].item, "digests");

		for (size_t k = 0; !found && k < p->n_files; k++)
			found = !strcmp(o->ivs[i].item, p->file_names[k]);
		if (!found)
			return cgs_log_usage("'--x-iv %s=...' names no item (expected 'digests' or "
					     "an attachment name)", o->ivs[i].item);
	}
	return 0;
}

/* The blob being built and the buffers its model points to. */
struct build {
	struct pef_esm m;
	uint8_t master[PEF_ESM_KEY_LEN];
	struct cgs_buf symkeys[2 * MAX_ITEMS + 1];
	struct cgs_buf digests_ct;
	uint8_t *file_data[2 * MAX_ITEMS];
	uint8_t *file_ct[2 * MAX_ITEMS];
	struct pef_esm_digests dg;
	struct cgs_buf blob;
};

static void build_free(struct build *b)
{
	for (size_t i = 0; i < 2 * MAX_ITEMS + 1; i++)
		cgs_buf_free(&b->symkeys[i], 0);
	cgs_buf_free(&b->digests_ct, 0);
	for (size_t i = 0; i < 2 * MAX_ITEMS; i++) {
		free(b->file_data[i]);
		free(b->file_ct[i]);
	}
	cgs_buf_free(&b->blob, 0);
	cgs_wipe(b->master, sizeof(b->master));
}

static int master_key(const struct make_opts *o, uint8_t key[PEF_ESM_KEY_LEN])
{
	struct cgs_diag d;
	uint8_t *data;
	size_t len, n = 0;
	int rc = 0;

	cgs_diag_clear(&d);
	if (!o->master_key_file)
		return cgs_random(key, PEF_ESM_KEY_LEN, &d) ? cgs_log_diag(&d, "generate", "the "
								     "master key") : 0;
	if (cgs_read_file(o->master_key_file, 256, &data, &len, &d))
		return cgs_log_diag(&d, "read", o->master_key_file);
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = '\0';
	if (len == PEF_ESM_KEY_LEN)
		memcpy(key, data, PEF_ESM_KEY_LEN);
	else if (cgs_hex_decode((char *)data, key, PEF_ESM_KEY_LEN, &n, 1))
		rc = cgs_log_usage("'--x-master-key' must hold 32 bytes (raw or as 64 hex digits)");
	cgs_free_secret(data, len);
	return rc;
}

static int item_iv(const struct make_opts *o, const char *item, uint8_t iv[PEF_ESM_IV_LEN])
{
	struct cgs_diag d;

	for (size_t i = 0; i < o->n_ivs; i++) {
		if (!strcmp(o->ivs[i].item, item)) {
			memcpy(iv, o->ivs[i].iv, PEF_ESM_IV_LEN);
			return 0;
		}
	}
	cgs_diag_clear(&d);
	return cgs_random(iv, PEF_ESM_IV_LEN, &d) ? cgs_log_diag(&d, "generate", "an IV") : 0;
}

static int add_lockbox(struct build *b, const char *name, const char *comment,
		       const struct pef_key *k)
{
	struct pef_esm_lockbox *lb = &b->m.lockboxes[b->m.n_lockboxes];
	struct cgs_buf *sk = &b->symkeys[b->m.n_lockboxes];
	struct cgs_diag d;

	if (b->m.n_lockboxes == PEF_ESM_MAX_LOCKBOXES) {
		cgs_log_error("too many lockboxes (at most %d)", PEF_ESM_MAX_LOCKBOXES);
		return CGS_EXIT_USAGE;
	}
	cgs_diag_clear(&d);
	if (pef_lockbox_wrap(k->pkey, b->master, sk, &d))
		return cgs_log_diag(&d, "wrap the master key for", name);
	snprintf(lb->name, sizeof(lb->name), "%s", name);
	lb->comment = comment ? comment : "";
	lb->symkey.data = sk->data;
	lb->symkey.len = sk->len;
	memcpy(lb->fingerprint, k->fingerprint, PEF_ESM_FP_LEN);
	b->m.n_lockboxes++;
	return 0;
}

static int make_owner(struct build *b, const struct plan *p, const struct make_opts *o,
		      struct pef_key *owner)
{
	char *pass = NULL;
	struct pef_key pub = { 0 };
	int rc = pef_cmd_passphrase(o->passphrase_file, &pass);

	if (!rc)
		rc = pef_cmd_load_private(p->owner_key, pass, PEF_RSA_BITS, 4096, owner);
	pef_cmd_passphrase_free(pass);
	if (!rc && p->owner_pub) {
		rc = pef_cmd_load_public(p->owner_pub, PEF_RSA_BITS, 4096, &pub);
		if (!rc && EVP_PKEY_eq(pub.pkey, owner->pkey) != 1) {
			cgs_log_error("'%s' is not the public half of '%s'", p->owner_pub,
				      p->owner_key);
			rc = CGS_EXIT_DATAERR;
		}
		if (!rc) /* svm-tool records the fingerprint of the public key file */
			memcpy(owner->fingerprint, pub.fingerprint, PEF_ESM_FP_LEN);
		pef_key_free(&pub);
	}
	if (!rc)
		rc = add_lockbox(b, PEF_ESM_ORIGIN, p->owner_comment, owner);
	return rc;
}

/* A recipient named twice (the same key, whatever its file) is refused, as svm-tool does. */
static int check_duplicate(const struct plan *p, size_t i, const struct pef_key *k,
			   uint8_t (*fps)[PEF_ESM_FP_LEN])
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (pef_key_fingerprint(k->pkey, fps[i], &d))
		return cgs_log_diag(&d, "load the public key", p->recipients[i]);
	for (size_t j = 0; j < i; j++) {
		if (memcmp(fps[j], fps[i], PEF_ESM_FP_LEN))
			continue;
		cgs_log_error("recipient '%s' is named twice (as recipient %zu and %zu): each key "
			      "gets one lockbox", p->recipients[i], j + 1, i + 1);
		return CGS_EXIT_DATAERR;
	}
	return 0;
}

static int make_recipients(struct build *b, const struct plan *p, const struct pef_key *owner)
{
	uint8_t fps[2 * MAX_ITEMS][PEF_ESM_FP_LEN];
	int rc = 0;

	for (size_t i = 0; !rc && i < p->n_recipients; i++) {
		struct pef_key k = { 0 };
		char name[PEF_ESM_NAME_MAX + 1];

		/* lockbox-1 is opened by the TPM: RSA-2048 only */
		rc = pef_cmd_load_public(p->recipients[i], PEF_RSA_BITS, i ? 4096 : PEF_RSA_BITS,
					 &k);
		if (!rc)
			rc = check_duplicate(p, i, &k, fps);
		if (rc) {
			pef_key_free(&k);
			break;
		}
		if (!i && EVP_PKEY_eq(k.pkey, owner->pkey) == 1)
			cgs_log_warn("the first recipient is the owner key, not the machine's "
				     "TPM key: the Ultravisor opens lockbox-1 with the TPM");
		pef_esm_next_lockbox_name(&b->m, name);
		rc = add_lockbox(b, name, p->recipient_comments[i], &k);
		pef_key_free(&k);
	}
	return rc;
}

static int check_initrd(const char *path)
{
	struct pef_blob_src s;
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (!path || pef_blob_load(path, &s, &d))
		return 0;
	pef_blob_src_free(&s);
	if (s.kind != PEF_BLOB_INITRD)
		return 0;
	cgs_log_error("'%s' already starts with an ESM cpio archive: give the original "
		      "initramfs", path);
	return CGS_EXIT_DATAERR;
}

static int make_digests(struct build *b, const struct plan *p, const struct make_opts *o)
{
	struct pef_boot boot = { p->kernel, p->initrd, p->cmdline ? p->cmdline : "" };
	struct pef_esm_sealed *s = &b->m.digests;
	struct cgs_buf plain = CGS_BUF_INIT;
	struct cgs_diag d;
	int rc;

	if (strlen(boot.cmdline) > PEF_CMDLINE_MAX) {
		cgs_log_error("the command line has %zu bytes, over the limit of %d",
			      strlen(boot.cmdline), PEF_CMDLINE_MAX);
		return CGS_EXIT_DATAERR;
	}
	pef_cmd_check_cmdline(boot.cmdline);
	rc = check_initrd(p->initrd);
	if (rc)
		return rc;
	cgs_diag_clear(&d);
	if (pef_boot_digests(&boot, 0, &b->dg, NULL, &d))
		return cgs_log_diag(&d, "measure", !strcmp(d.field, "initrd") ? p->initrd :
						    p->kernel);
	rc = item_iv(o, "digests", s->iv);
	if (!rc && (pef_esm_digests_serialize(&b->dg, &plain, &d) ||
		    cgs_buf_reserve(&b->digests_ct, plain.len + 1) ||
		    pef_seal(b->master, s->iv, plain.data, plain.len, b->digests_ct.data, s->mac,
			     &d)))
		rc = cgs_log_diag(&d, "seal", "the digests");
	if (!rc) {
		b->m.has_digests = 1;
		snprintf(s->name, sizeof(s->name), "digests-fdt");
		s->comment = p->digest_comment ? p->digest_comment : "";
		s->ciphertext.data = b->digests_ct.data;
		s->ciphertext.len = plain.len;
	}
	cgs_buf_free(&plain, 1);
	return rc;
}

static int make_files(struct build *b, const struct plan *p, const struct make_opts *o)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < p->n_files; i++) {
		struct pef_esm_sealed *f = &b->m.files[i];
		struct cgs_diag d;
		size_t len;

		cgs_diag_clear(&d);
		if (pef_esm_find_file(&b->m, p->file_names[i]) >= 0) {
			cgs_log_error("attachment '%s' given twice", p->file_names[i]);
			return CGS_EXIT_USAGE;
		}
		if (cgs_read_file(p->file_paths[i], PEF_ESM_FILE_MAX, &b->file_data[i], &len, &d)) {
			if (d.err == CGS_E_MALFORMED)
				snprintf(d.text, sizeof(d.text), "attachment over the Ultravisor's "
					 "limit of %d bytes", PEF_ESM_FILE_MAX);
			return cgs_log_diag(&d, "attach", p->file_paths[i]);
		}
		b->file_ct[i] = malloc(len ? len : 1);
		if (!b->file_ct[i])
			return cgs_log_diag(&d, "attach", p->file_paths[i]);
		snprintf(f->name, sizeof(f->name), "%s", p->file_names[i]);
		f->comment = p->file_comments[i] ? p->file_comments[i] : "";
		rc = item_iv(o, f->name, f->iv);
		if (!rc && pef_seal(b->master, f->iv, b->file_data[i], len, b->file_ct[i], f->mac,
				    &d))
			rc = cgs_log_diag(&d, "seal", p->file_paths[i]);
		cgs_wipe(b->file_data[i], len);
		f->ciphertext.data = b->file_ct[i];
		f->ciphertext.len = len;
		b->m.n_files = i + 1;
	}
	return rc;
}

static int make_output(struct build *b, const struct plan *p, const struct make_opts *o)
{
	unsigned flags = o->force ? CGS_OUT_FORCE : 0;
	struct cgs_diag d;
	enum cgs_err err;

	cgs_diag_clear(&d);
	if (pef_esm_serialize(&b->m, &b->blob, &d))
		return cgs_log_diag(&d, "build", "the ESM blob");
	if (!strcmp(o->attach_to, "none"))
		err = cgs_write_file(o->out, b->blob.data, b->blob.len, flags, &d);
	else if (!strcmp(o->attach_to, "elf"))
		err = elf_section_add(o->elf_object, o->out, flags, ELF_ESM_SECTION, b->blob.data,
				      b->blob.len, &d);
	else
		err = pef_blob_write_initrd(o->out, flags, o->blob_name, b->blob.data, b->blob.len,
					    p->initrd, 0, p->initrd ? b->dg.initrd : NULL, &d);
	if (err)
		return cgs_log_diag(&d, "write", o->out);
	return 0;
}

static struct json_object *digests_json(const struct pef_esm_digests *dg)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_str(o, "algorithm", "sha512");
	cgs_json_add_hex(o, "rtas", dg->rtas, 64);
	cgs_json_add_hex(o, "kernel", dg->kernel, 64);
	cgs_json_add_int(o, "kernel_size", dg->kernel_size);
	cgs_json_add_hex(o, "initrd", dg->initrd, 64);
	cgs_json_add_hex(o, "bootargs", dg->bootargs, 64);
	return o;
}

static int make_report(const struct build *b, const struct make_opts *o)
{
	struct json_object *doc;
	uint8_t h[32];
	int rc;

	cgs_log_info("ESM blob: %zu bytes, %zu lockboxes, %zu attachments -> '%s' (%s)",
		     b->blob.len, b->m.n_lockboxes, b->m.n_files, o->out, o->attach_to);
	if (!cgs_opts.json)
		return 0;
	cgs_digest("SHA256", b->blob.data, b->blob.len, h, NULL, NULL);
	doc = cgs_json_doc("cgs-mkimage");
	if (!doc)
		return CGS_EXIT_FAILURE;
	cgs_json_add_str(doc, "format", "pef-esm");
	cgs_json_add_str(doc, "output", o->out);
	cgs_json_add_str(doc, "attached_to", o->attach_to);
	cgs_json_add_int(doc, "blob_size", (int64_t)b->blob.len);
	cgs_json_add_hex(doc, "blob_sha256", h, 32);
	cgs_json_add(doc, "lockboxes", pef_cmd_json_lockboxes(&b->m));
	cgs_json_add(doc, "digests", digests_json(&b->dg));
	cgs_json_add(doc, "attachments", pef_cmd_json_files(&b->m));
	rc = cgs_json_print(doc, cgs_opts.json) ? CGS_EXIT_FAILURE : 0;
	json_object_put(doc);
	return rc;
}

static int read_config(const char *path, struct pef_config *c)
{
	struct cgs_diag d;
	uint8_t *text;
	size_t len;
	enum cgs_err err;

	cgs_diag_clear(&d);
	if (cgs_read_file(path, 1u << 20, &text, &len, &d))
		return cgs_log_diag(&d, "read", path);
	err = pef_config_parse((const char *)text, len, c, &d);
	free(text);
	return err ? cgs_log_diag(&d, "parse", path) : 0;
}

static int make_blob(const struct plan *p, const struct make_opts *o)
{
	struct build *b = calloc(1, sizeof(*b));
	struct pef_key owner = { 0 };
	int rc;

	if (!b) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	rc = master_key(o, b->master);
	if (!rc)
		rc = make_owner(b, p, o, &owner);
	if (!rc)
		rc = make_recipients(b, p, &owner);
	if (!rc)
		rc = make_digests(b, p, o);
	if (!rc)
		rc = make_files(b, p, o);
	if (!rc)
		rc = make_output(b, p, o);
	if (!rc)
		rc = make_report(b, o);
	pef_key_free(&owner);
	build_free(b);
	free(b);
	return rc;
}

int verb_pef(int argc, char **argv)
{
	struct make_opts o = { .attach_to = "initrd", .blob_name = "esmb.dtb" };
	struct cgs_command cmd = {
		"cgs-mkimage pef", "[OPTION]... (--config svm_blob.yml | --owner-key SECKEY "
		"--recipient TPMPUB --kernel VMLINUX ...) -o OUTPUT",
		"Build a POWER PEF ESM blob (svm-tool compatible) and attach it to the initramfs.",
		make_options, CGS_COMMON_JSON,
		"Options given on the command line override the config's values; "
		"--recipient and --attach add to its lists.",
		on_make_option, &o,
	};
	struct pef_config cfg;
	struct plan *p;
	int optind_ = 0, rc = cgs_cli_parse(&cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	memset(&cfg, 0, sizeof(cfg));
	if (o.config && (rc = read_config(o.config, &cfg)))
		return rc;
	p = calloc(1, sizeof(*p));
	if (!p) {
		pef_config_free(&cfg);
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	rc = o.config ? plan_from_config(p, &cfg) : 0;
	if (!rc)
		rc = plan_from_options(p, &o);
	if (!rc)
		rc = plan_check(p, &o);
	if (!rc)
		rc = make_blob(p, &o);
	free(p);
	pef_config_free(&cfg);
	return rc;
}

/* ---- pef-info ---- */

static void info_text(const char *path, const struct pef_blob_src *s, const struct pef_esm *m)
{
	printf("ESM blob: %zu bytes", s->len);
	if (s->kind == PEF_BLOB_INITRD)
		printf(" (%s at offset %llu of '%s'; the initramfs follows at %llu)", s->entry,
		       (unsigned long long)s->blob_off, path, (unsigned long long)s->initrd_off);
	else if (s->kind == PEF_BLOB_ELF)
		printf(" (section %s of '%s')", s->entry, path);
	printf("\nlockboxes: %zu%s\n", m->n_lockboxes,
	       pef_esm_find_lockbox(m, PEF_ESM_UV_LOCKBOX) < 0 ?
		       " (no lockbox-1: the Ultravisor cannot open this blob)" : "");
	for (size_t i = 0; i < m->n_lockboxes; i++) {
		char fp[2 * PEF_ESM_FP_LEN + 1];

		cgs_hex_encode(m->lockboxes[i].fingerprint, PEF_ESM_FP_LEN, fp);
		printf("  %-15s sha256:%s  %zu-byte key  \"%s\"\n", m->lockboxes[i].name, fp,
		       m->lockboxes[i].symkey.len, m->lockboxes[i].comment);
	}
	if (m->has_digests)
		printf("digests: sealed, AES256-GCM, %zu bytes \"%s\"\n",
		       m->digests.ciphertext.len, m->digests.comment);
	else
		printf("digests: none\n");
	printf("attachments: %zu", m->n_files);
	if (m->has_files_fdt)
		printf(" (files-fdt %zu bytes)", m->files_fdt_len);
	printf("\n");
	for (size_t i = 0; i < m->n_files; i++)
		printf("  %-15s %zu bytes  \"%s\"\n", m->files[i].name,
		       m->files[i].ciphertext.len, m->files[i].comment);
}

static int info_json(const char *path, const struct pef_blob_src *s, const struct pef_esm *m)
{
	struct json_object *doc = cgs_json_doc("cgs-mkimage"), *src, *dg;
	uint8_t h[32];
	int rc;

	if (!doc || !(src = json_object_new_object()) || !(dg = json_object_new_object())) {
		json_object_put(doc);
		return CGS_EXIT_FAILURE;
	}
	cgs_digest("SHA256", s->blob, s->len, h, NULL, NULL);
	cgs_json_add_str(doc, "format", "pef-esm");
	cgs_json_add_str(src, "kind", pef_blob_kind_name(s->kind));
	cgs_json_add_str(src, "path", path);
	cgs_json_add_str(src, "entry", s->kind == PEF_BLOB_FILE ? NULL : s->entry);
	cgs_json_add_int(src, "blob_offset", (int64_t)s->blob_off);
	if (s->kind == PEF_BLOB_INITRD)
		cgs_json_add_int(src, "initrd_offset", (int64_t)s->initrd_off);
	cgs_json_add(doc, "source", src);
	cgs_json_add_int(doc, "blob_size", (int64_t)s->len);
	cgs_json_add_hex(doc, "blob_sha256", h, 32);
	cgs_json_add_bool(doc, "has_lockbox_1", pef_esm_find_lockbox(m, PEF_ESM_UV_LOCKBOX) >= 0);
	cgs_json_add(doc, "lockboxes", pef_cmd_json_lockboxes(m));
	cgs_json_add_bool(dg, "present", m->has_digests);
	cgs_json_add_str(dg, "algorithm", m->has_digests ? "AES256-GCM" : NULL);
	cgs_json_add_int(dg, "size", (int64_t)(m->has_digests ? m->digests.ciphertext.len : 0));
	cgs_json_add_str(dg, "comment", m->has_digests ? m->digests.comment : NULL);
	cgs_json_add(doc, "digests", dg);
	cgs_json_add_int(doc, "files_fdt_size", (int64_t)m->files_fdt_len);
	cgs_json_add(doc, "attachments", pef_cmd_json_files(m));
	rc = cgs_json_print(doc, cgs_opts.json) ? CGS_EXIT_FAILURE : 0;
	json_object_put(doc);
	return rc;
}

static const struct cgs_option info_options[] = {
	{ NULL, 0, 0, NULL, NULL, 0 },
};

int verb_pef_info(int argc, char **argv)
{
	struct cgs_command cmd = {
		"cgs-mkimage pef-info", "[OPTION]... BLOB|INITRD|ELF",
		"Show an ESM blob (bare, first in an initramfs, or in an ELF section): lockboxes, "
		"fingerprints, attachments and sizes, without secrets.",
		info_options, CGS_COMMON_JSON, NULL, NULL, NULL,
	};
	struct pef_blob_src src;
	struct pef_esm *m;
	int optind_ = 0, rc = cgs_cli_parse(&cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing BLOB operand" :
						      "too many operands");
	m = calloc(1, sizeof(*m));
	if (!m)
		return CGS_EXIT_FAILURE;
	rc = pef_cmd_load_blob(argv[optind_], &src, m);
	if (!rc) {
		if (cgs_opts.json)
			rc = info_json(argv[optind_], &src, m);
		else
			info_text(argv[optind_], &src, m);
		pef_blob_src_free(&src);
	}
	free(m);
	return rc;
}
