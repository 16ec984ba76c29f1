// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage s390-pv: build an IBM Z Secure Execution boot image from a raw
 * kernel image, an optional ramdisk and parmfile, and host-key documents, in
 * the current pvimg layout (default) or the C genprotimg 2.35 layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "cmd/mkimage/s390_pv.h"
#include "cmd/mkimage/verbs.h"
#include "formats/s390_pv_hdr.h"
#include "keys/s390_hostkeys.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/log.h"

enum role { R_KERNEL, R_PARMLINE, R_RAMDISK, R_STAGE3B, R_COUNT };
static const char *const role_names[R_COUNT] = { "kernel", "parmline", "ramdisk", "stage3b" };

enum {
	K_FORCE = CGS_KEY_FIRST, K_COMM_KEY,
	K_NO_COMP_CHECK, K_LOADER_DIR, K_SAVE_HDR_KEY, K_SAVE_CCK,
	K_X_HDR_KEY, K_X_COMP_KEY, K_X_CUST_KEY, K_X_IV, K_X_TWEAK, K_X_PSW, K_X_PCF, K_X_SCF,
	K_X_LAYOUT,
	K_FLAG_FIRST, /* then 2 keys per flag option: enable, disable */
};

/* The enable/disable flag options and the bits they set. */
enum { F_DUMP, F_PCKMO, F_PCKMO_HMAC, F_BACKUP_KEYS, F_IMAGE_ENC, F_CCK_EXT, F_CCK_UPDATE, F_COUNT };
struct flag_def {
	uint64_t bits;
	int scf;      /* 1: SCF, 0: PCF */
	int inverted; /* "enable" clears the bits (image encryption) */
};
static const struct flag_def flag_defs[F_COUNT] = {
	[F_DUMP] = { S390_PV_PCF_DUMP, 0, 0 },
	[F_PCKMO] = { S390_PV_PCF_PCKMO, 0, 0 },
	[F_PCKMO_HMAC] = { S390_PV_PCF_PCKMO_HMAC, 0, 0 },
	[F_BACKUP_KEYS] = { S390_PV_PCF_BACKUP_KEYS, 0, 0 },
	[F_IMAGE_ENC] = { S390_PV_PCF_NO_DECRYPT, 0, 1 },
	[F_CCK_EXT] = { S390_PV_SCF_CCK_EXT_SECRET, 1, 0 },
	[F_CCK_UPDATE] = { S390_PV_SCF_CCK_UPDATE, 1, 0 },
};
#define K_EN(f) (K_FLAG_FIRST + 2 * (f))
#define K_DIS(f) (K_FLAG_FIRST + 2 * (f) + 1)

static const struct cgs_option options[] = {
	{ "image", 'i', CGS_REQ_ARG, "FILE", "raw s390x kernel image (not ELF)", 0 },
	{ "ramdisk", 'r', CGS_REQ_ARG, "FILE", "initial ramdisk", 0 },
	{ "parmfile", 'p', CGS_REQ_ARG, "FILE", "kernel command line file", 0 },
	S390_HOSTKEY_OPTIONS("that may run the image"),
	{ "output", 'o', CGS_REQ_ARG, "FILE", "the Secure Execution image to write", 0 },
	{ "force", K_FORCE, CGS_NO_ARG, NULL, "replace an existing output file (also --overwrite)", 0 },
	{ "overwrite", K_FORCE, CGS_NO_ARG, NULL, NULL, CGS_OPT_ALIAS },
	{ "comm-key", K_COMM_KEY, CGS_REQ_ARG, "FILE",
	  "customer communication key (CCK), 32 bytes (default: random; also --cck)", 0 },
	{ "cck", K_COMM_KEY, CGS_REQ_ARG, "FILE", NULL, CGS_OPT_ALIAS },
	{ "enable-dump", K_EN(F_DUMP), CGS_NO_ARG, NULL,
	  "allow guest dumps (needs --comm-key or --enable-cck-update)", 0 },
	{ "disable-dump", K_DIS(F_DUMP), CGS_NO_ARG, NULL, "do not allow guest dumps (default)", 0 },
	{ "enable-pckmo", K_EN(F_PCKMO), CGS_NO_ARG, NULL,
	  "allow PCKMO DEA, AES and ECC key functions (default)", 0 },
	{ "disable-pckmo", K_DIS(F_PCKMO), CGS_NO_ARG, NULL,
	  "disallow PCKMO DEA, AES and ECC key functions", 0 },
	{ "enable-pckmo-hmac", K_EN(F_PCKMO_HMAC), CGS_NO_ARG, NULL,
	  "allow PCKMO HMAC key functions", 0 },
	{ "disable-pckmo-hmac", K_DIS(F_PCKMO_HMAC), CGS_NO_ARG, NULL,
	  "disallow PCKMO HMAC key functions (default)", 0 },
	{ "enable-backup-keys", K_EN(F_BACKUP_KEYS), CGS_NO_ARG, NULL,
	  "allow backup target keys", 0 },
	{ "disable-backup-keys", K_DIS(F_BACKUP_KEYS), CGS_NO_ARG, NULL,
	  "disallow backup target keys (default)", 0 },
	{ "enable-image-encryption", K_EN(F_IMAGE_ENC), CGS_NO_ARG, NULL,
	  "encrypt the components (default)", 0 },
	{ "disable-image-encryption", K_DIS(F_IMAGE_ENC), CGS_NO_ARG, NULL,
	  "store the components in clear (still integrity-protected)", 0 },
	{ "enable-cck-extension-secret", K_EN(F_CCK_EXT), CGS_NO_ARG, NULL,
	  "add-secret requests must carry the CCK-derived extension secret (needs --comm-key)", 0 },
	{ "disable-cck-extension-secret", K_DIS(F_CCK_EXT), CGS_NO_ARG, NULL,
	  "no extension secret required (default)", 0 },
	{ "enable-cck-update", K_EN(F_CCK_UPDATE), CGS_NO_ARG, NULL,
	  "allow replacing the CCK with an add-secret request", 0 },
	{ "disable-cck-update", K_DIS(F_CCK_UPDATE), CGS_NO_ARG, NULL,
	  "do not allow replacing the CCK (default)", 0 },
	{ "no-component-check", K_NO_COMP_CHECK, CGS_NO_ARG, NULL,
	  "skip the kernel and command-line checks (warns)", 0 },
	{ "loader-dir", K_LOADER_DIR, CGS_REQ_ARG, "DIR",
	  "folder with stage3a.bin and stage3b_reloc.bin (also --x-bootloader-directory)", 0 },
	{ "x-bootloader-directory", K_LOADER_DIR, CGS_REQ_ARG, "DIR", NULL, CGS_OPT_ALIAS },
	{ "save-hdr-key", K_SAVE_HDR_KEY, CGS_REQ_ARG, "FILE",
	  "write the header protection key (mode 0600), for s390-info --hdr-key", 0 },
	{ "save-comm-key", K_SAVE_CCK, CGS_REQ_ARG, "FILE",
	  "write the CCK (mode 0600), needed for dumps and extension secrets", 0 },
	{ "x-header-key", K_X_HDR_KEY, CGS_REQ_ARG, "FILE",
	  "header protection key, 32 bytes (default: random; also --hdr-key)",
	  CGS_OPT_EXPERIMENTAL },
	{ "hdr-key", K_X_HDR_KEY, CGS_REQ_ARG, "FILE", NULL, CGS_OPT_ALIAS },
	{ "x-comp-key", K_X_COMP_KEY, CGS_REQ_ARG, "FILE",
	  "component AES-256-XTS key, 64 bytes (default: random; also --image-key)",
	  CGS_OPT_EXPERIMENTAL },
	{ "image-key", K_X_COMP_KEY, CGS_REQ_ARG, "FILE", NULL, CGS_OPT_ALIAS },
	{ "x-cust-key", K_X_CUST_KEY, CGS_REQ_ARG, "FILE",
	  "customer secp521r1 private key: PEM or raw big-endian scalar (default: random)",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-header-iv", K_X_IV, CGS_REQ_ARG, "HEX", "header GCM IV, 12 bytes (default: random)",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-tweak", K_X_TWEAK, CGS_REQ_ARG, "NAME=HEX",
	  "6 random tweak bytes of kernel, parmline, ramdisk or stage3b (repeatable)",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-psw", K_X_PSW, CGS_REQ_ARG, "ADDR",
	  "PSW address: of the header (pvimg layout) or the kernel entry (genprotimg layout)",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-pcf", K_X_PCF, CGS_REQ_ARG, "HEX", "plaintext control flags (replaces the flag options)",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-scf", K_X_SCF, CGS_REQ_ARG, "HEX", "secret control flags (replaces the flag options)",
	  CGS_OPT_EXPERIMENTAL },
	{ "x-layout", K_X_LAYOUT, CGS_REQ_ARG, "NAME",
	  "image layout: pvimg (default) or genprotimg (C genprotimg 2.35)", CGS_OPT_EXPERIMENTAL },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct pv_opts {
	const char *path[R_COUNT]; /* kernel, parmfile, ramdisk (stage3b: from the loader dir) */
	const char *output, *loader_dir, *comm_key, *hdr_key, *comp_key, *cust_key;
	const char *save_hdr_key, *save_cck;
	struct s390_hostkey_args hk; /* -k, -C, --crl, --root-ca, --no-verify */
	int force, no_comp_check, genprotimg;
	int have_iv, have_psw, have_pcf, have_scf;
	uint8_t iv[S390_PV_IV_SIZE];
	int have_tweak[R_COUNT];
	uint8_t tweak[R_COUNT][6];
	uint64_t psw, pcf, scf;
	int flag[F_COUNT]; /* -1 unset, 1 enable, 0 disable */
};

static int parse_tweak(struct pv_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n;

	for (int r = 0; eq && r < R_COUNT; r++) {
		if (strlen(role_names[r]) != (size_t)(eq - arg) ||
		    strncmp(arg, role_names[r], (size_t)(eq - arg)))
			continue;
		if (cgs_hex_decode(eq + 1, o->tweak[r], 6, &n, 1))
			return cgs_log_usage("--x-tweak: '%s' is not 6 bytes of hex", eq + 1);
		o->have_tweak[r] = 1;
		return 0;
	}
	return cgs_log_usage("--x-tweak: expected kernel|parmline|ramdisk|stage3b=HEX, not '%s'",
			     arg);
}

static int on_flag_option(struct pv_opts *o, int key)
{
	int f = (key - K_FLAG_FIRST) / 2, en = !((key - K_FLAG_FIRST) % 2);

	if (o->flag[f] >= 0 && o->flag[f] != en)
		return cgs_log_usage("conflicting options: both --enable- and --disable- of the "
				     "same flag");
	o->flag[f] = en;
	return 0;
}

static int on_option(void *ctx, int key, const char *arg)
{
	struct pv_opts *o = ctx;
	int rc = s390_hostkey_option(&o->hk, key, arg);

	if (rc >= 0)
		return rc;
	switch (key) {
	case 'i': o->path[R_KERNEL] = arg; return 0;
	case 'r': o->path[R_RAMDISK] = arg; return 0;
	case 'p': o->path[R_PARMLINE] = arg; return 0;
	case 'o': o->output = arg; return 0;
	case K_FORCE: o->force = 1; return 0;
	case K_COMM_KEY: o->comm_key = arg; return 0;
	case K_NO_COMP_CHECK: o->no_comp_check = 1; return 0;
	case K_LOADER_DIR: o->loader_dir = arg; return 0;
	case K_SAVE_HDR_KEY: o->save_hdr_key = arg; return 0;
	case K_SAVE_CCK: o->save_cck = arg; return 0;
	case K_X_HDR_KEY: o->hdr_key = arg; return 0;
	case K_X_COMP_KEY: o->comp_key = arg; return 0;
	case K_X_CUST_KEY: o->cust_key = arg; return 0;
	case K_X_IV: o->have_iv = 1; return cgs_arg_hex("--x-header-iv", arg, o->iv, 12);
	case K_X_TWEAK: return parse_tweak(o, arg);
	case K_X_PSW: o->have_psw = 1; return cgs_arg_u64("--x-psw", arg, 0x7fffffff, &o->psw);
	case K_X_PCF: o->have_pcf = 1; return cgs_arg_u64("--x-pcf", arg, UINT64_MAX, &o->pcf);
	case K_X_SCF: o->have_scf = 1; return cgs_arg_u64("--x-scf", arg, UINT64_MAX, &o->scf);
	case K_X_LAYOUT:
		if (!strcmp(arg, "genprotimg"))
			o->genprotimg = 1;
		else if (!strcmp(arg, "pvimg"))
			o->genprotimg = 0;
		else
			return cgs_log_usage("--x-layout: expected 'pvimg' or 'genprotimg', not '%s'",
					     arg);
		return 0;
	default:
		if (key >= K_FLAG_FIRST && key < K_FLAG_FIRST + 2 * F_COUNT)
			return on_flag_option(o, key);
		return cgs_log_usage("unexpected option");
	}
}

static int check_usage(const struct pv_opts *o)
{
	int any_flag = 0;

	for (int f = 0; f < F_COUNT; f++)
		any_flag |= o->flag[f] >= 0;
	if (!o->path[R_KERNEL])
		return cgs_log_usage("missing --image (the kernel)");
	if (!o->output)
		return cgs_log_usage("missing --output");
	if (!strcmp(o->output, "-"))
		return cgs_log_usage("--output: the image needs a seekable file, not stdout");
	if (!o->hk.n_hkds)
		return cgs_log_usage("missing --host-key-document (at least one is required)");
	if ((o->have_pcf || o->have_scf) && any_flag)
		return cgs_log_usage("--x-pcf and --x-scf replace the whole flag words: they cannot "
				     "be combined with --enable-/--disable- options");
	if (o->flag[F_DUMP] == 1 && !o->comm_key && o->flag[F_CCK_UPDATE] != 1)
		return cgs_log_usage("--enable-dump needs --comm-key (or --enable-cck-update)");
	if (o->flag[F_CCK_EXT] == 1 && !o->comm_key)
		return cgs_log_usage("--enable-cck-extension-secret needs --comm-key");
	if (o->flag[F_CCK_EXT] == 1 && o->flag[F_CCK_UPDATE] == 1)
		return cgs_log_usage("--enable-cck-extension-secret and --enable-cck-update "
				     "cannot be combined");
	if (o->comp_key && o->flag[F_IMAGE_ENC] == 0)
		return cgs_log_usage("--x-comp-key/--image-key cannot be combined with "
				     "--disable-image-encryption");
	return 0;
}

static void compute_flags(const struct pv_opts *o, uint64_t *ret_pcf, uint64_t *ret_scf)
{
	uint64_t w[2] = { o->have_pcf ? o->pcf : S390_PV_PCF_DEFAULT, o->have_scf ? o->scf : 0 };

	for (int f = 0; f < F_COUNT; f++) {
		const struct flag_def *fd = &flag_defs[f];

		if (o->flag[f] < 0)
			continue;
		if (o->flag[f] != fd->inverted)
			w[fd->scf] |= fd->bits;
		else
			w[fd->scf] &= ~fd->bits;
	}
	*ret_pcf = w[0];
	*ret_scf = w[1];
}

/* ---- output ---- */

static int print_result(const struct pv_opts *o, const struct cgs_s390_image_out *r)
{
	struct json_object *doc, *comps;
	struct s390_pv_hdr *h;
	struct cgs_diag d;
	int rc;

	if (!cgs_opts.json) {
		cgs_log_info("wrote '%s': %s layout, %zu host key%s%s, %llu pages, header at 0x%llx",
			     o->output, o->genprotimg ? "genprotimg" : "pvimg", r->n_hostkeys,
			     r->n_hostkeys == 1 ? "" : "s",
			     r->hostkeys_verified ? " (verified)" : " (NOT verified)",
			     (unsigned long long)r->pages, (unsigned long long)r->header_addr);
		return 0;
	}
	h = malloc(sizeof(*h));
	if (!h || s390_pv_hdr_parse(r->header, r->header_len, h, &d)) {
		free(h);
		cgs_log_error("failed to describe the header just written");
		return CGS_EXIT_FAILURE;
	}
	doc = cgs_json_doc("cgs-mkimage");
	cgs_json_add_str(doc, "verb", "s390-pv");
	cgs_json_add_str(doc, "image", o->output);
	cgs_json_add_str(doc, "layout", o->genprotimg ? "genprotimg" : "pvimg");
	cgs_json_add_int(doc, "image_size", (int64_t)r->image_size);
	cgs_json_add_str(doc, "host_key_verification", r->hostkeys_verified ? "pass" : "skip");
	cgs_json_add_u64hex(doc, "scf", r->scf);
	cgs_json_add_u64hex(doc, "psw_addr", r->psw_addr);
	cgs_json_add_u64hex(doc, "ipib_offset", r->ipib_offset);
	cgs_json_add(doc, "header", s390_hdr_json(h, r->header_addr));
	free(h);
	comps = json_object_new_array();
	for (size_t i = 0; i < r->n_components; i++) {
		const struct cgs_s390_image_component *c = &r->components[i];
		struct json_object *j = json_object_new_object();

		cgs_json_add_str(j, "name", c->name);
		cgs_json_add_u64hex(j, "addr", c->addr);
		cgs_json_add_int(j, "size", (int64_t)c->size);
		cgs_json_add_int(j, "stored_size", (int64_t)c->stored_size);
		cgs_json_add_hex(j, "tweak", c->tweak, 16);
		json_object_array_add(comps, j);
	}
	cgs_json_add(doc, "components", comps);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : 0;
}

/* The library's failure, with the hints the s390-tools users expect. */
static int log_failure(const struct cgs_s390_image_out *r, const struct cgs_diag *d)
{
	int rc = cgs_log_diag(d, r->step ? r->step : "build the image", r->input);

	if (r->step && !strcmp(r->step, "find the boot loaders"))
		cgs_log_error("they are s390x machine code from s390-tools: Debian's s390-tools "
			      "package for s390x ships them in /usr/share/s390-tools/pvimg, and "
			      "'dpkg -x s390-tools_*_s390x.deb DIR' extracts them on any host; "
			      "then use --loader-dir DIR/usr/share/s390-tools/pvimg");
	if (rc == CGS_EXIT_NOT_VERIFIED && strstr(d->text, "CRL"))
		cgs_log_info("give the CRLs of the root CA, the intermediate CA and the IBM Z "
			     "signing key with --crl (without --crl and --offline they are "
			     "downloaded from the certificates' CRL distribution points)");
	return rc;
}

static int build(const struct pv_opts *o)
{
	struct cgs_s390_image_in in = {
		.kernel = o->path[R_KERNEL], .ramdisk = o->path[R_RAMDISK],
		.parmfile = o->path[R_PARMLINE], .output = o->output, .force = o->force,
		.loader_dir = o->loader_dir, .genprotimg = o->genprotimg,
		.no_component_check = o->no_comp_check, .comm_key = o->comm_key,
		.hdr_key = o->hdr_key, .comp_key = o->comp_key, .cust_key = o->cust_key,
		.save_hdr_key = o->save_hdr_key, .save_comm_key = o->save_cck,
		.have_iv = o->have_iv, .have_psw = o->have_psw, .psw = o->psw,
	};
	struct cgs_s390_image_out *r = malloc(sizeof(*r));
	struct cgs_diag d;
	int rc;

	if (!r)
		return CGS_EXIT_FAILURE;
	s390_hostkey_args_view(&o->hk, &in.hostkeys);
	compute_flags(o, &in.pcf, &in.scf);
	memcpy(in.iv, o->iv, sizeof(in.iv));
	memcpy(in.have_tweak, o->have_tweak, sizeof(in.have_tweak));
	memcpy(in.tweak, o->tweak, sizeof(in.tweak));
	if (o->no_comp_check)
		cgs_log_warn("component checks disabled (--no-component-check)");
	if (o->hk.no_verify)
		cgs_log_warn("host-key documents are NOT verified (--no-verify): the image can be "
			     "started by whoever made them");
	cgs_diag_clear(&d);
	if (cgs_s390_image_build(&in, r, &d))
		rc = log_failure(r, &d);
	else
		rc = print_result(o, r);
	cgs_wipe(r, sizeof(*r));
	free(r);
	return rc;
}

int verb_s390_pv(int argc, char **argv)
{
	static struct pv_opts o;
	struct cgs_command cmd = {
		"cgs-mkimage s390-pv",
		"[OPTION]... -i KERNEL -k HKD... -o IMAGE",
		"Build an IBM Z Secure Execution boot image (genprotimg/pvimg create).",
		options, CGS_COMMON_JSON,
		"Host-key documents are verified against the IBM Z signing key given with\n"
		"--cert, its CRLs (--crl) and a root (--root-ca or the system trust store).",
		on_option, &o,
	};
	int rc;

	memset(&o, 0, sizeof(o));
	for (int f = 0; f < F_COUNT; f++)
		o.flag[f] = -1;
	rc = cgs_cli_parse_options(&cmd, argc, argv);
	if (rc >= 0)
		return rc;
	if ((rc = check_usage(&o)))
		return rc;
	return build(&o);
}
