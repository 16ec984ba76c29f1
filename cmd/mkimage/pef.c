// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage pef: build a POWER PEF ESM blob from svm-tool's YAML config
 * and/or options, and attach it (initramfs cpio, ELF section, or bare).
 * cgs-mkimage pef-info: show a blob without its secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "cmd/mkimage/pef_common.h"
#include "cmd/mkimage/verbs.h"
#include "formats/pef_esm.h"
#include "lib/core/cli.h"
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
	struct cgs_pef_recipient recipients[2 * MAX_ITEMS];
	const char *kernel, *initrd, *cmdline, *digest_comment;
	int want_digest;
	size_t n_files;
	struct cgs_pef_file files[2 * MAX_ITEMS];
	char file_names[2 * MAX_ITEMS][PEF_ESM_NAME_MAX + 1];
	struct cgs_pef_iv ivs[MAX_ITEMS + 1];
	struct cgs_pef_build_out out;
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
	p->files[p->n_files] = (struct cgs_pef_file){ path, p->file_names[p->n_files], comment };
	p->n_files++;
	return 0;
}

static int plan_from_config(struct plan *p, const struct pef_config *c)
{
	int rc = 0;

	p->owner_key = c->origin.seckey;
	p->owner_pub = c->origin.pubkey;
	p->owner_comment = c->origin.comment;
	for (size_t i = 0; i < c->n_recipients; i++) {
		p->recipients[p->n_recipients++] = (struct cgs_pef_recipient){
			c->recipients[i].pubkey, c->recipients[i].comment };
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
		p->recipients[p->n_recipients++] = (struct cgs_pef_recipient){ o->recipients[i],
										 "" };
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

static struct json_object *digests_json(const struct cgs_pef_build_out *r)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_str(o, "algorithm", "sha512");
	cgs_json_add_hex(o, "rtas", r->rtas, 64);
	cgs_json_add_hex(o, "kernel", r->kernel, 64);
	cgs_json_add_int(o, "kernel_size", r->kernel_size);
	cgs_json_add_hex(o, "initrd", r->initrd, 64);
	cgs_json_add_hex(o, "bootargs", r->bootargs, 64);
	return o;
}

static int make_report(const struct cgs_pef_build_out *r, const struct make_opts *o)
{
	struct json_object *doc;
	int rc;

	if (r->warnings & CGS_PEF_WARN_OWNER_IS_TPM)
		cgs_log_warn("the first recipient is the owner key, not the machine's TPM key: the "
			     "Ultravisor opens lockbox-1 with the TPM");
	if (r->warnings & CGS_PEF_WARN_NO_SVM)
		cgs_log_warn("the command line has no 'svm=on': the kernel will not ask the "
			     "Ultravisor to enter secure mode");
	cgs_log_info("ESM blob: %zu bytes, %zu lockboxes, %zu attachments -> '%s' (%s)",
		     r->blob.blob_size, r->blob.n_lockboxes, r->blob.n_attachments, o->out,
		     o->attach_to);
	if (!cgs_opts.json)
		return 0;
	doc = cgs_json_doc("cgs-mkimage");
	if (!doc)
		return CGS_EXIT_FAILURE;
	cgs_json_add_str(doc, "format", "pef-esm");
	cgs_json_add_str(doc, "output", o->out);
	cgs_json_add_str(doc, "attached_to", o->attach_to);
	cgs_json_add_int(doc, "blob_size", (int64_t)r->blob.blob_size);
	cgs_json_add_hex(doc, "blob_sha256", r->blob.blob_sha256, 32);
	cgs_json_add(doc, "lockboxes", pef_cmd_json_lockboxes(&r->blob));
	cgs_json_add(doc, "digests", digests_json(r));
	cgs_json_add(doc, "attachments", pef_cmd_json_files(&r->blob));
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

static int make_blob(struct plan *p, const struct make_opts *o)
{
	struct cgs_pef_build_in in = {
		p->owner_key, p->owner_pub, p->owner_comment, o->passphrase_file, p->recipients,
		p->n_recipients, p->kernel, p->initrd, p->cmdline, p->digest_comment, p->files,
		p->n_files, !strcmp(o->attach_to, "none") ? CGS_PEF_ATTACH_NONE :
		!strcmp(o->attach_to, "elf") ? CGS_PEF_ATTACH_ELF : CGS_PEF_ATTACH_INITRD,
		o->elf_object, o->blob_name, o->out, o->force, o->master_key_file, p->ivs, o->n_ivs,
	};
	struct cgs_diag d;
	int rc;

	for (size_t i = 0; i < o->n_ivs; i++) {
		p->ivs[i].item = o->ivs[i].item;
		memcpy(p->ivs[i].iv, o->ivs[i].iv, sizeof(p->ivs[i].iv));
	}
	cgs_diag_clear(&d);
	if (cgs_pef_build(&in, &p->out, &d))
		rc = cgs_log_diag(&d, p->out.step ? p->out.step : "build", p->out.input);
	else
		rc = make_report(&p->out, o);
	cgs_pef_blob_info_free(&p->out.blob);
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
	int rc = cgs_cli_parse_options(&cmd, argc, argv);

	if (rc >= 0)
		return rc;
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
