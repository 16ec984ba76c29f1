// SPDX-License-Identifier: MIT
/*
 * cgs-mkimage s390-pv: build an IBM Z Secure Execution boot image from a raw
 * kernel image, an optional ramdisk and parmfile, and host-key documents, in
 * the current pvimg layout (default) or the C genprotimg 2.35 layout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "cmd/mkimage/s390_pv.h"
#include "cmd/mkimage/verbs.h"
#include "formats/s390_ipib.h"
#include "formats/s390_pv_hdr.h"
#include "keys/ibmz_hkd.h"
#include "keys/s390_hostkeys.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/s390/s390_pv_crypto.h"

#define PAGE S390_PV_PAGE
#define PALIGN(x) (((x) + PAGE - 1) & ~(uint64_t)(PAGE - 1))
#define CHUNK_PAGES 256u /* 1 MiB per read */
#define LOADER_MAX (1u << 20)
#define PARMFILE_MAX (1u << 20)
#define KERNEL_CMDLINE_OFF 0x10430u
#define KERNEL_S390EP_OFF 0x10008u
#define LEGACY_CMDLINE_MAX 896u
#define STAGE3B_PSW_ADDR 0x10000u

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
	for (int i = 0; i < 2 && !o->force; i++) {
		const char *k = i ? o->save_cck : o->save_hdr_key;
		struct stat st;

		/* refuse before building, so a failure leaves no image behind */
		if (k && lstat(k, &st) == 0) {
			cgs_log_error("failed to write '%s': file exists (use --force to replace it)", k);
			return CGS_EXIT_FAILURE;
		}
	}
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

/* ---- inputs ---- */

struct comp {
	int present;
	uint16_t kind;
	const char *path;   /* streamed from this file, or */
	uint8_t *data;      /* held in memory (parmline, stage3b) */
	uint64_t orig;      /* original size */
	uint64_t stored;    /* page-aligned stored size */
	uint64_t addr;
	uint8_t tweak[S390_PV_TWEAK_SIZE];
};

struct build {
	struct pv_opts *o;
	struct comp comp[R_COUNT];
	int order[R_COUNT]; /* image order of the roles */
	int ncomp;
	uint8_t *stage3a;
	size_t stage3a_len;
	EVP_PKEY **hosts;
	size_t nhosts;
	EVP_PKEY *cust;
	uint8_t prot_key[32], cck[32], xts[64];
	uint64_t pcf, scf, hdr_addr, hdr_size, ipib_addr, image_end, hdr_psw;
	struct s390_pv_hdr hdr;
	int verified;
};

static int read_key_file(const char *opt, const char *path, uint8_t *out, size_t want)
{
	struct cgs_diag d;
	uint8_t *buf;
	size_t len;
	enum cgs_err err = cgs_read_file(path, 4096, &buf, &len, &d);

	if (err)
		return cgs_log_diag(&d, "read key", path);
	if (len != want) {
		cgs_free_secret(buf, len);
		cgs_log_error("failed to read key '%s': %s needs exactly %zu bytes, the file has %zu",
			      path, opt, want, len);
		return CGS_EXIT_DATAERR;
	}
	memcpy(out, buf, want);
	cgs_free_secret(buf, len);
	return 0;
}

static int find_loaders(const struct pv_opts *o, char *a, char *b, size_t len)
{
	static const char *const dirs[] = { "/usr/share/s390-tools/pvimg",
					    "/usr/share/s390-tools/genprotimg" };
	struct stat st;

	if (o->loader_dir) {
		snprintf(a, len, "%s/stage3a.bin", o->loader_dir);
		snprintf(b, len, "%s/stage3b_reloc.bin", o->loader_dir);
		return 0;
	}
	for (size_t i = 0; i < 2; i++) {
		snprintf(a, len, "%s/stage3a.bin", dirs[i]);
		snprintf(b, len, "%s/stage3b_reloc.bin", dirs[i]);
		if (!stat(a, &st) && !stat(b, &st))
			return 0;
	}
	cgs_log_error("the Secure Execution boot loaders stage3a.bin and stage3b_reloc.bin were "
		      "not found in %s or %s", dirs[0], dirs[1]);
	cgs_log_error("they are s390x machine code from s390-tools: Debian's s390-tools package "
		      "for s390x ships them in /usr/share/s390-tools/pvimg, and 'dpkg -x "
		      "s390-tools_*_s390x.deb DIR' extracts them on any host; then use "
		      "--loader-dir DIR/usr/share/s390-tools/pvimg");
	return CGS_EXIT_NOINPUT;
}

static int load_loaders(struct build *b)
{
	char pa[4096], pb[4096];
	struct cgs_diag d;
	struct comp *s = &b->comp[R_STAGE3B];
	size_t len;
	int rc = find_loaders(b->o, pa, pb, sizeof(pa));

	if (rc)
		return rc;
	if (cgs_read_file(pa, LOADER_MAX, &b->stage3a, &b->stage3a_len, &d))
		return cgs_log_diag(&d, "read loader", pa);
	if (cgs_read_file(pb, LOADER_MAX, &s->data, &len, &d))
		return cgs_log_diag(&d, "read loader", pb);
	s->orig = len;
	if (b->stage3a_len <= 24 || len <= 64) {
		cgs_log_error("failed to read loader '%s': too short for its argument block",
			      b->stage3a_len <= 24 ? pa : pb);
		return CGS_EXIT_DATAERR;
	}
	s->present = 1;
	return 0;
}

static int check_kernel(const struct build *b, uint64_t *ret_max)
{
	const char *path = b->o->path[R_KERNEL];
	uint8_t head[KERNEL_CMDLINE_OFF + 8];
	struct cgs_diag d;
	FILE *f;
	size_t n;

	if (cgs_open_input(path, &f, &d))
		return cgs_log_diag(&d, "read kernel", path);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n >= 4 && !memcmp(head, "\177ELF", 4)) {
		cgs_log_error("failed to check kernel '%s': this is an ELF file (vmlinux); Secure "
			      "Execution needs the raw s390x kernel image (arch/s390/boot/bzImage, "
			      "installed as /boot/image-*)", path);
		return CGS_EXIT_DATAERR;
	}
	if (n < sizeof(head) || memcmp(head + KERNEL_S390EP_OFF, "S390EP", 6)) {
		cgs_log_error("failed to check kernel '%s': not a raw s390x kernel image (%s)",
			      path, n < sizeof(head) ? "too short" : "no 'S390EP' at offset 0x10008");
		return CGS_EXIT_DATAERR;
	}
	*ret_max = cgs_be64(head + KERNEL_CMDLINE_OFF);
	if (!*ret_max)
		*ret_max = LEGACY_CMDLINE_MAX;
	return 0;
}

static int load_inputs(struct build *b)
{
	struct pv_opts *o = b->o;
	struct comp *c;
	struct cgs_diag d;
	uint64_t max_cmdline = 0;
	size_t len;
	int rc;

	for (int r = R_KERNEL; r <= R_RAMDISK; r++) {
		c = &b->comp[r];
		if (!o->path[r])
			continue;
		c->present = 1;
		if (r == R_PARMLINE) {
			if (cgs_read_file(o->path[r], PARMFILE_MAX, &c->data, &len, &d))
				return cgs_log_diag(&d, "read parmfile", o->path[r]);
			/* NUL: C always appends one; pvimg only if the last byte is not NUL */
			if (o->genprotimg || !len || c->data[len - 1])
				len++;
			c->orig = len;
		} else {
			c->path = o->path[r];
			if (cgs_file_size(c->path, &c->orig, &d))
				return cgs_log_diag(&d, "read", c->path);
		}
	}
	if (o->no_comp_check) {
		cgs_log_warn("component checks disabled (--no-component-check)");
		return 0;
	}
	rc = check_kernel(b, &max_cmdline);
	if (rc)
		return rc;
	c = &b->comp[R_PARMLINE];
	if (c->present && c->orig > max_cmdline) {
		cgs_log_error("failed to check parmfile '%s': the command line has %llu bytes with "
			      "its NUL, the kernel accepts at most %llu", o->path[R_PARMLINE],
			      (unsigned long long)c->orig, (unsigned long long)max_cmdline);
		return CGS_EXIT_DATAERR;
	}
	return 0;
}

/* Verification failures read like upstream's: the reason without a field name. */
static int log_hkd(struct cgs_diag *d, const char *what, const char *file)
{
	int rc;

	if (d->err == CGS_E_VERIFY || d->err == CGS_E_UNSUPPORTED)
		d->field[0] = 0;
	rc = cgs_log_diag(d, what, file);
	if (rc == CGS_EXIT_NOT_VERIFIED && strstr(d->text, "CRL"))
		cgs_log_info("give the CRLs of the root CA, the intermediate CA and the IBM Z "
			     "signing key with --crl (without --crl and --offline they are "
			     "downloaded from the certificates' CRL distribution points)");
	return rc;
}

static int load_hosts(struct build *b)
{
	struct pv_opts *o = b->o;
	struct ibmz_hkd_opts ho = { o->hk.certs, o->hk.n_certs, o->hk.crls, o->hk.n_crls, o->hk.root_ca, 0, 0 };
	struct ibmz_hkd_ctx *ctx = NULL;
	struct crl_dp_result fetched = { NULL, 0, 0, 0 };
	struct cgs_diag d;
	int rc = 0;

	if (o->hk.n_hkds > S390_PV_HDR_MAX_SLOTS) {
		cgs_log_error("too many host-key documents: %zu (a header holds at most %u)",
			      o->hk.n_hkds, S390_PV_HDR_MAX_SLOTS);
		return CGS_EXIT_DATAERR;
	}
	b->hosts = calloc(o->hk.n_hkds, sizeof(*b->hosts));
	if (!b->hosts)
		return CGS_EXIT_FAILURE;
	if (o->hk.no_verify)
		cgs_log_warn("host-key documents are NOT verified (--no-verify): the image can be "
			     "started by whoever made them");
	else if (!o->hk.n_crls && s390_hostkeys_fetch_crls(&o->hk, &fetched, &d))
		return log_hkd(&d, "fetch the CRLs of the host-key documents", NULL);
	if (fetched.n) {
		ho.crls = (const char *const *)fetched.paths;
		ho.n_crls = fetched.n;
	}
	if (!o->hk.no_verify && ibmz_hkd_ctx_new(&ho, &ctx, &d))
		rc = log_hkd(&d, "verify host-key documents", NULL);
	crl_dp_result_free(&fetched);
	if (rc)
		return rc;
	for (size_t i = 0; i < o->hk.n_hkds && !rc; i++) {
		X509 *x = NULL;

		if (ibmz_hkd_load(o->hk.hkds[i], &x, &b->hosts[i], &d) ||
		    (ctx && ibmz_hkd_verify(ctx, x, &d)))
			rc = log_hkd(&d, ctx ? "verify host-key document" : "load host-key document",
				     o->hk.hkds[i]);
		X509_free(x);
		b->nhosts = i + 1;
	}
	b->verified = ctx != NULL;
	ibmz_hkd_ctx_free(ctx);
	return rc;
}

static int load_secrets(struct build *b)
{
	struct pv_opts *o = b->o;
	struct cgs_diag d;
	uint8_t *buf;
	size_t len;
	int rc = 0;

	if (o->hdr_key)
		rc = read_key_file("--x-header-key", o->hdr_key, b->prot_key, 32);
	else if (cgs_random(b->prot_key, 32, &d))
		rc = cgs_log_diag(&d, "draw random bytes", NULL);
	if (!rc && o->comp_key)
		rc = read_key_file("--x-comp-key", o->comp_key, b->xts, 64);
	else if (!rc && cgs_random(b->xts, 64, &d))
		rc = cgs_log_diag(&d, "draw random bytes", NULL);
	if (!rc && !memcmp(b->xts, b->xts + 32, 32)) {
		cgs_log_error("failed to read key '%s': the two halves of an AES-XTS key must differ",
			      o->comp_key ? o->comp_key : "random");
		rc = CGS_EXIT_DATAERR;
	}
	if (!rc && o->comm_key)
		rc = read_key_file("--comm-key", o->comm_key, b->cck, 32);
	else if (!rc && cgs_random(b->cck, 32, &d))
		rc = cgs_log_diag(&d, "draw random bytes", NULL);
	if (!rc && !o->have_iv && cgs_random(o->iv, 12, &d))
		rc = cgs_log_diag(&d, "draw random bytes", NULL);
	for (int r = 0; r < R_COUNT && !rc; r++)
		if (!o->have_tweak[r] && cgs_random(o->tweak[r], 6, &d))
			rc = cgs_log_diag(&d, "draw random bytes", NULL);
	if (rc)
		return rc;
	if (!o->cust_key) {
		if (s390_pv_ec_generate(&b->cust, &d))
			return cgs_log_diag(&d, "generate the customer key", NULL);
		return 0;
	}
	if (cgs_read_file(o->cust_key, 64 * 1024, &buf, &len, &d))
		return cgs_log_diag(&d, "read key", o->cust_key);
	if (s390_pv_ec_priv_load(buf, len, &b->cust, &d))
		rc = cgs_log_diag(&d, "read key", o->cust_key);
	cgs_free_secret(buf, len);
	return rc;
}

/* ---- layout ---- */

static const uint16_t kinds_c[R_COUNT] = { 0, 1, 2, 3 };
static const uint16_t kinds_rust[R_COUNT] = { 40, 60, 50, 70 };

static void plan_layout(struct build *b)
{
	static const int order_c[R_COUNT] = { R_KERNEL, R_PARMLINE, R_RAMDISK, R_STAGE3B };
	static const int order_rust[R_COUNT] = { R_KERNEL, R_RAMDISK, R_PARMLINE, R_STAGE3B };
	const int *order = b->o->genprotimg ? order_c : order_rust;
	uint64_t end3a = S390_PV_STAGE3A_ADDR + b->stage3a_len, addr;

	b->hdr_size = s390_pv_hdr_size(b->nhosts);
	if (b->o->genprotimg) {
		b->ipib_addr = PALIGN(end3a);
		b->hdr_addr = b->ipib_addr + PAGE;
	} else {
		b->hdr_addr = PALIGN(end3a) > S390_PV_HDR_SCAN_START ? PALIGN(end3a) :
								       S390_PV_HDR_SCAN_START;
	}
	addr = PALIGN(b->hdr_addr + b->hdr_size);
	b->ncomp = 0;
	for (int i = 0; i < R_COUNT; i++) {
		struct comp *c = &b->comp[order[i]];

		if (!c->present)
			continue;
		b->order[b->ncomp++] = order[i];
		c->kind = (b->o->genprotimg ? kinds_c : kinds_rust)[order[i]];
		c->stored = c->orig ? PALIGN(c->orig) : PAGE;
		c->addr = addr;
		s390_pv_tweak_make(c->kind, b->o->tweak[order[i]], c->tweak);
		addr += c->stored;
	}
	if (b->o->genprotimg) {
		b->image_end = addr;
		b->hdr_psw = b->comp[R_STAGE3B].addr;
	} else {
		b->ipib_addr = addr;
		b->image_end = addr + s390_ipib_len((uint32_t)b->ncomp);
		b->hdr_psw = b->o->have_psw ? b->o->psw : b->comp[R_STAGE3B].addr;
	}
}

static void render_stage3b(struct build *b)
{
	struct comp *s = &b->comp[R_STAGE3B];
	uint8_t *a = s->data + s->orig - 64;
	const int roles[3] = { R_KERNEL, R_PARMLINE, R_RAMDISK };

	memset(a, 0, 64);
	for (int i = 0; i < 3; i++) {
		const struct comp *c = &b->comp[roles[i]];

		if (!c->present)
			continue;
		cgs_put_be64(a + 16 * i, c->addr);
		cgs_put_be64(a + 16 * i + 8, c->orig);
	}
	cgs_put_be64(a + 48, S390_PV_PSW_MASK_64);
	cgs_put_be64(a + 56, b->o->genprotimg && b->o->have_psw ? b->o->psw : STAGE3B_PSW_ADDR);
}

/* ---- writing ---- */

struct writer {
	struct cgs_out out;
	struct s390_pv_digests dig;
	uint8_t *buf;
	struct cgs_diag d;
};

static enum cgs_err write_at(struct writer *w, uint64_t off, const void *data, size_t len)
{
	if (fseeko(w->out.f, (off_t)off, SEEK_SET))
		return cgs_diag_set(&w->d, CGS_E_IO, NULL, off, "cannot seek: %s", strerror(errno));
	return cgs_out_write(&w->out, data, len, &w->d);
}

static enum cgs_err fill_chunk(struct comp *c, FILE *f, uint64_t done, size_t *ret_pages,
			       uint8_t *buf, struct cgs_diag *d)
{
	uint64_t left = c->orig - done;
	size_t want = left > CHUNK_PAGES * PAGE ? CHUNK_PAGES * PAGE : (size_t)left, n;
	size_t padded = (size_t)PALIGN(want ? want : 1);

	if (c->data) {
		/* parmline's appended NUL is the terminator cgs_read_file adds */
		memcpy(buf, c->data + done, want);
	} else {
		n = want ? fread(buf, 1, want, f) : 0;
		if (n != want)
			return cgs_diag_set(d, ferror(f) ? CGS_E_IO : CGS_E_MALFORMED, NULL, done + n,
					    "file changed or unreadable while reading");
	}
	memset(buf + want, 0, padded - want);
	*ret_pages = padded / PAGE;
	return CGS_OK;
}

static enum cgs_err write_comp(struct build *b, struct writer *w, struct comp *c)
{
	int mode = (b->pcf & S390_PV_PCF_NO_DECRYPT) ? S390_PV_MODE_CLEAR : S390_PV_MODE_ENCRYPT;
	struct s390_pv_comp pc;
	uint64_t done = 0, off = c->addr;
	FILE *f = NULL;
	enum cgs_err err;
	size_t pages = 0;

	if (c->path && (err = cgs_open_input(c->path, &f, &w->d)))
		return err;
	err = s390_pv_comp_init(&pc, b->xts, mode, c->tweak, c->addr, &w->dig, &w->d);
	do {
		if (err || (err = fill_chunk(c, f, done, &pages, w->buf, &w->d)))
			break;
		err = s390_pv_comp_pages(&pc, w->buf, w->buf, pages, &w->d);
		if (!err)
			err = write_at(w, off, w->buf, pages * PAGE);
		off += pages * PAGE;
		done += pages * PAGE;
	} while (!err && done < c->orig);
	if (!err && f && fgetc(f) != EOF)
		err = cgs_diag_set(&w->d, CGS_E_MALFORMED, NULL, c->orig,
				   "file grew while reading");
	s390_pv_comp_free(&pc);
	if (f)
		fclose(f);
	return err;
}

static enum cgs_err write_header(struct build *b, struct writer *w)
{
	struct s390_pv_hdr_secret sec = { .psw_mask = S390_PV_PSW_MASK_64, .psw_addr = b->hdr_psw,
					  .scf = b->scf };
	struct s390_pv_hdr *h = &b->hdr;
	uint8_t buf[S390_PV_HDR_MAX_SIZE];
	enum cgs_err err;
	size_t len;

	if ((err = s390_pv_hdr_init(h, b->nhosts, &w->d)))
		return err;
	memcpy(h->iv, b->o->iv, S390_PV_IV_SIZE);
	h->nep = w->dig.nep;
	h->pcf = b->pcf;
	err = s390_pv_digests_final(&w->dig, h->pld, h->ald, h->tld, &w->d);
	if (!err)
		err = s390_pv_hdr_set_keys(h, b->cust, b->hosts, b->nhosts, b->prot_key, &w->d);
	memcpy(sec.cck, b->cck, 32);
	memcpy(sec.xts_key, b->xts, 64);
	if (!err)
		err = s390_pv_hdr_seal(h, &sec, b->prot_key, &w->d);
	cgs_wipe(&sec, sizeof(sec));
	if (!err)
		err = s390_pv_hdr_serialize(h, buf, sizeof(buf), &len, &w->d);
	if (!err)
		err = write_at(w, b->hdr_addr, buf, len);
	return err;
}

static enum cgs_err write_blocks(struct build *b, struct writer *w)
{
	struct s390_ipib ib = { .pv_version = b->o->genprotimg ? 0 : 1,
				.hdr_addr = b->o->genprotimg ? 0 : b->hdr_addr,
				.hdr_size = b->hdr_size, .ncomps = (uint32_t)b->ncomp };
	uint64_t args = S390_PV_STAGE3A_ADDR + b->stage3a_len - 24, psw;
	uint8_t ipib[S390_IPIB_FIXED + S390_IPIB_ENTRY * S390_IPIB_MAX_COMPS], p8[8];
	uint8_t *a = b->stage3a + b->stage3a_len - 24;
	enum cgs_err err;
	size_t len;

	ib.total_len = (uint32_t)s390_ipib_len(ib.ncomps);
	if (b->o->genprotimg)
		ib.total_len = PAGE;
	for (int i = 0; i < b->ncomp; i++) {
		const struct comp *c = &b->comp[b->order[i]];

		ib.comps[i].tweak_prefix = cgs_be64(c->tweak);
		ib.comps[i].addr = c->addr;
		ib.comps[i].len = c->stored;
	}
	if ((err = s390_ipib_serialize(&ib, ipib, sizeof(ipib), &len, &w->d)) ||
	    (err = write_at(w, b->ipib_addr, ipib, len)))
		return err;
	cgs_put_be64(a, b->hdr_addr - args);
	cgs_put_be64(a + 8, b->hdr_size);
	cgs_put_be64(a + 16, b->ipib_addr - args);
	if ((err = write_at(w, S390_PV_STAGE3A_ADDR, b->stage3a, b->stage3a_len)))
		return err;
	if ((err = s390_pv_short_psw(S390_PV_PSW_MASK_64, S390_PV_STAGE3A_ENTRY, &psw, &w->d)))
		return err;
	cgs_put_be64(p8, psw);
	if ((err = write_at(w, 0, p8, 8)))
		return err;
	if (!b->o->genprotimg) {
		struct s390_pv_meta m = { b->hdr_addr, 1, b->ipib_addr };
		uint8_t mb[S390_PV_META_SIZE];

		s390_pv_meta_serialize(&m, mb);
		err = write_at(w, S390_PV_META_OFFSET, mb, sizeof(mb));
	}
	return err;
}

static int write_image(struct build *b)
{
	struct writer w;
	enum cgs_err err;
	const char *what = b->o->output;
	unsigned flags = b->o->force ? CGS_OUT_FORCE : 0;

	memset(&w, 0, sizeof(w));
	w.buf = malloc(CHUNK_PAGES * PAGE);
	if (!w.buf)
		return CGS_EXIT_FAILURE;
	err = s390_pv_digests_init(&w.dig, &w.d);
	if (!err)
		err = cgs_out_open(&w.out, b->o->output, flags, &w.d);
	if (err) {
		free(w.buf);
		s390_pv_digests_free(&w.dig);
		return cgs_log_diag(&w.d, "write", b->o->output);
	}
	for (int i = 0; i < b->ncomp && !err; i++) {
		struct comp *c = &b->comp[b->order[i]];

		err = write_comp(b, &w, c);
		if (err && c->path && err != CGS_E_IO)
			what = c->path;
	}
	/* the file ends with the last block written (stage3b or the IPIB) */
	if (!err)
		err = write_header(b, &w);
	if (!err)
		err = write_blocks(b, &w);
	if (!err)
		err = cgs_out_commit(&w.out, &w.d);
	else
		cgs_out_abort(&w.out);
	s390_pv_digests_free(&w.dig);
	cgs_wipe(w.buf, CHUNK_PAGES * PAGE);
	free(w.buf);
	if (err)
		return cgs_log_diag(&w.d, what == b->o->output ? "write" : "read", what);
	return 0;
}

/* ---- output ---- */

const char *s390_component_name(uint16_t kind)
{
	switch (kind) {
	case 0: case 40: return "kernel";
	case 1: case 60: return "parmline";
	case 2: case 50: return "ramdisk";
	case 3: case 70: return "stage3b";
	default: return "unknown";
	}
}

static struct json_object *hex_obj(const uint8_t *p, size_t n)
{
	char *s = cgs_hex_strdup(p, n);
	struct json_object *o = json_object_new_string(s ? s : "");

	free(s);
	return o;
}

struct json_object *s390_hdr_json(const struct s390_pv_hdr *h, uint64_t offset)
{
	struct json_object *o = json_object_new_object(), *slots = json_object_new_array();
	uint8_t tags[S390_PV_HDR_TAGS_SIZE];

	cgs_json_add_u64hex(o, "offset", offset);
	cgs_json_add_int(o, "size", h->size);
	cgs_json_add_u64hex(o, "version", h->version);
	cgs_json_add_int(o, "nks", (int64_t)h->nks);
	cgs_json_add_int(o, "nep", (int64_t)h->nep);
	cgs_json_add_u64hex(o, "pcf", h->pcf);
	cgs_json_add_hex(o, "iv", h->iv, sizeof(h->iv));
	cgs_json_add_hex(o, "customer_public_key", h->cust_pub, sizeof(h->cust_pub));
	for (uint64_t i = 0; i < h->nks; i++)
		json_object_array_add(slots, hex_obj(h->slots[i].phkh, 32));
	cgs_json_add(o, "host_key_hashes", slots);
	cgs_json_add_hex(o, "pld", h->pld, 64);
	cgs_json_add_hex(o, "ald", h->ald, 64);
	cgs_json_add_hex(o, "tld", h->tld, 64);
	cgs_json_add_hex(o, "tag", h->tag, 16);
	s390_pv_hdr_tags(h, tags);
	cgs_json_add_hex(o, "tags", tags, sizeof(tags));
	return o;
}

static int print_result(const struct build *b)
{
	struct json_object *doc, *comps;
	int rc;

	if (!cgs_opts.json) {
		cgs_log_info("wrote '%s': %s layout, %zu host key%s%s, %llu pages, header at 0x%llx",
			     b->o->output, b->o->genprotimg ? "genprotimg" : "pvimg", b->nhosts,
			     b->nhosts == 1 ? "" : "s", b->verified ? " (verified)" : " (NOT verified)",
			     (unsigned long long)b->hdr.nep, (unsigned long long)b->hdr_addr);
		return 0;
	}
	doc = cgs_json_doc("cgs-mkimage");
	cgs_json_add_str(doc, "verb", "s390-pv");
	cgs_json_add_str(doc, "image", b->o->output);
	cgs_json_add_str(doc, "layout", b->o->genprotimg ? "genprotimg" : "pvimg");
	cgs_json_add_int(doc, "image_size", (int64_t)b->image_end);
	cgs_json_add_str(doc, "host_key_verification", b->verified ? "pass" : "skip");
	cgs_json_add_u64hex(doc, "scf", b->scf);
	cgs_json_add_u64hex(doc, "psw_addr", b->hdr_psw);
	cgs_json_add_u64hex(doc, "ipib_offset", b->ipib_addr);
	cgs_json_add(doc, "header", s390_hdr_json(&b->hdr, b->hdr_addr));
	comps = json_object_new_array();
	for (int i = 0; i < b->ncomp; i++) {
		const struct comp *c = &b->comp[b->order[i]];
		struct json_object *o = json_object_new_object();

		cgs_json_add_str(o, "name", role_names[b->order[i]]);
		cgs_json_add_u64hex(o, "addr", c->addr);
		cgs_json_add_int(o, "size", (int64_t)c->orig);
		cgs_json_add_int(o, "stored_size", (int64_t)c->stored);
		cgs_json_add_hex(o, "tweak", c->tweak, 16);
		json_object_array_add(comps, o);
	}
	cgs_json_add(doc, "components", comps);
	rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc ? CGS_EXIT_FAILURE : 0;
}

static int save_keys(const struct build *b)
{
	struct cgs_diag d;
	unsigned fl = CGS_OUT_SECRET | (b->o->force ? CGS_OUT_FORCE : 0);

	if (b->o->save_hdr_key && cgs_write_file(b->o->save_hdr_key, b->prot_key, 32, fl, &d))
		return cgs_log_diag(&d, "write", b->o->save_hdr_key);
	if (b->o->save_cck && cgs_write_file(b->o->save_cck, b->cck, 32, fl, &d))
		return cgs_log_diag(&d, "write", b->o->save_cck);
	return 0;
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < b->nhosts; i++)
		EVP_PKEY_free(b->hosts[i]);
	free(b->hosts);
	EVP_PKEY_free(b->cust);
	free(b->stage3a);
	if (b->comp[R_PARMLINE].data)
		cgs_free_secret(b->comp[R_PARMLINE].data, b->comp[R_PARMLINE].orig);
	free(b->comp[R_STAGE3B].data);
	cgs_wipe(b->prot_key, sizeof(b->prot_key));
	cgs_wipe(b->cck, sizeof(b->cck));
	cgs_wipe(b->xts, sizeof(b->xts));
}

int verb_s390_pv(int argc, char **argv)
{
	static struct pv_opts o;
	static struct build b;
	struct cgs_command cmd = {
		"cgs-mkimage s390-pv",
		"[OPTION]... -i KERNEL -k HKD... -o IMAGE",
		"Build an IBM Z Secure Execution boot image (genprotimg/pvimg create).",
		options, CGS_COMMON_JSON,
		"Host-key documents are verified against the IBM Z signing key given with\n"
		"--cert, its CRLs (--crl) and a root (--root-ca or the system trust store).",
		on_option, &o,
	};
	int optind_, rc;

	memset(&o, 0, sizeof(o));
	memset(&b, 0, sizeof(b));
	for (int f = 0; f < F_COUNT; f++)
		o.flag[f] = -1;
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if ((rc = check_usage(&o)))
		return rc;
	b.o = &o;
	compute_flags(&o, &b.pcf, &b.scf);
	rc = load_inputs(&b);
	if (!rc)
		rc = load_loaders(&b);
	if (!rc)
		rc = load_hosts(&b);
	if (!rc)
		rc = load_secrets(&b);
	if (!rc) {
		plan_layout(&b);
		render_stage3b(&b);
		rc = write_image(&b);
	}
	if (!rc)
		rc = save_keys(&b);
	if (!rc)
		rc = print_result(&b);
	build_free(&b);
	return rc;
}
