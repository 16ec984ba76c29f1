// SPDX-License-Identifier: MIT
/*
 * cgs_s390_image_build: an IBM Z Secure Execution boot image from a raw
 * kernel image, an optional ramdisk and parmfile, and host-key documents, in
 * the current pvimg layout (default) or the C genprotimg 2.35 layout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include <cgs/s390.h>

#include "formats/s390_ipib.h"
#include "formats/s390_pv_hdr.h"
#include "keys/ibmz_hkd.h"
#include "keys/s390_hostkeys.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/io.h"
#include "lib/s390/s390_pv_crypto.h"
#include "lib/s390/s390_pv_pipe.h"

#define PAGE S390_PV_PAGE
#define PALIGN(x) (((x) + PAGE - 1) & ~(uint64_t)(PAGE - 1))
#define LOADER_MAX (1u << 20)
#define PARMFILE_MAX (1u << 20)
#define KERNEL_CMDLINE_OFF 0x10430u
#define KERNEL_S390EP_OFF 0x10008u
#define LEGACY_CMDLINE_MAX 896u
#define STAGE3B_PSW_ADDR 0x10000u

static const char *const role_names[CGS_S390_N_ROLES] = {"kernel", "parmline", "ramdisk",
							 "stage3b"};

struct comp {
	int present;
	uint16_t kind;
	const char *path; /* streamed from this file, or */
	uint8_t *data;	  /* held in memory (parmline, stage3b) */
	uint64_t orig;	  /* original size */
	uint64_t stored;  /* page-aligned stored size */
	uint64_t addr;
	uint8_t tweak[S390_PV_TWEAK_SIZE];
};

struct build {
	const struct cgs_s390_image_in *in;
	struct cgs_s390_image_out *out;
	struct comp comp[CGS_S390_N_ROLES];
	int order[CGS_S390_N_ROLES]; /* image order of the roles */
	int ncomp;
	uint8_t *stage3a;
	size_t stage3a_len;
	EVP_PKEY **hosts;
	size_t nhosts;
	EVP_PKEY *cust;
	uint8_t prot_key[32], cck[32], xts[64], iv[S390_PV_IV_SIZE];
	uint8_t tweak6[CGS_S390_N_ROLES][6];
	uint64_t hdr_addr, hdr_size, ipib_addr, image_end, hdr_psw;
	struct s390_pv_hdr hdr;
	struct cgs_diag *d;
};

static enum cgs_err fail(struct build *b, const char *step, const char *input, enum cgs_err e)
{
	b->out->step = step;
	b->out->input = input;
	return e;
}

static enum cgs_err read_key_file(struct build *b, const char *what, const char *path, uint8_t *out,
				  size_t want)
{
	uint8_t *buf;
	size_t len;
	enum cgs_err e = cgs_read_file(path, 4096, &buf, &len, b->d);

	if (!e && len != want)
		e = cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				 "%s needs exactly %zu bytes, the file has %zu", what, want, len);
	if (!e)
		memcpy(out, buf, want);
	if (buf)
		cgs_free_secret(buf, len);
	return e ? fail(b, "read key", path, e) : CGS_OK;
}

static enum cgs_err find_loaders(struct build *b)
{
	static const char *const dirs[] = {"/usr/share/s390-tools/pvimg",
					   "/usr/share/s390-tools/genprotimg"};
	char(*p)[4096] = b->out->loaders;
	struct stat st;

	if (b->in->loader_dir) {
		snprintf(p[0], sizeof(p[0]), "%s/stage3a.bin", b->in->loader_dir);
		snprintf(p[1], sizeof(p[1]), "%s/stage3b_reloc.bin", b->in->loader_dir);
		return CGS_OK;
	}
	for (size_t i = 0; i < 2; i++) {
		snprintf(p[0], sizeof(p[0]), "%s/stage3a.bin", dirs[i]);
		snprintf(p[1], sizeof(p[1]), "%s/stage3b_reloc.bin", dirs[i]);
		if (!stat(p[0], &st) && !stat(p[1], &st))
			return CGS_OK;
	}
	p[0][0] = p[1][0] = '\0';
	return fail(b, "find the boot loaders", NULL,
		    cgs_diag_set(b->d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				 "the Secure Execution boot loaders stage3a.bin and "
				 "stage3b_reloc.bin were not found in %s or %s",
				 dirs[0], dirs[1]));
}

static enum cgs_err load_loaders(struct build *b)
{
	struct comp *s = &b->comp[CGS_S390_STAGE3B];
	const char *pa = b->out->loaders[0], *pb = b->out->loaders[1];
	enum cgs_err e = find_loaders(b);
	size_t len;

	if (e)
		return e;
	if ((e = cgs_read_file(pa, LOADER_MAX, &b->stage3a, &b->stage3a_len, b->d)))
		return fail(b, "read loader", pa, e);
	if ((e = cgs_read_file(pb, LOADER_MAX, &s->data, &len, b->d)))
		return fail(b, "read loader", pb, e);
	s->orig = len;
	if (b->stage3a_len <= 24 || len <= 64)
		return fail(b, "read loader", b->stage3a_len <= 24 ? pa : pb,
			    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					 "too short for its argument block"));
	s->present = 1;
	return CGS_OK;
}

static enum cgs_err check_kernel(struct build *b, uint64_t *ret_max)
{
	const char *path = b->in->kernel;
	uint8_t head[KERNEL_CMDLINE_OFF + 8];
	enum cgs_err e;
	FILE *f;
	size_t n;

	if ((e = cgs_open_input(path, &f, b->d)))
		return fail(b, "read kernel", path, e);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n >= 4 && !memcmp(head, "\177ELF", 4))
		return fail(b, "check kernel", path,
			    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					 "this is an ELF file (vmlinux); Secure Execution needs "
					 "the raw s390x kernel image (arch/s390/boot/bzImage, "
					 "installed as /boot/image-*)"));
	if (n < sizeof(head) || memcmp(head + KERNEL_S390EP_OFF, "S390EP", 6))
		return fail(
		    b, "check kernel", path,
		    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				 "not a raw s390x kernel image (%s)",
				 n < sizeof(head) ? "too short" : "no 'S390EP' at offset 0x10008"));
	*ret_max = cgs_be64(head + KERNEL_CMDLINE_OFF);
	if (!*ret_max)
		*ret_max = LEGACY_CMDLINE_MAX;
	return CGS_OK;
}

static enum cgs_err load_inputs(struct build *b)
{
	const char *paths[3] = {b->in->kernel, b->in->parmfile, b->in->ramdisk};
	uint64_t max_cmdline = 0;
	struct comp *c;
	enum cgs_err e;
	size_t len;

	for (int r = CGS_S390_KERNEL; r <= CGS_S390_RAMDISK; r++) {
		c = &b->comp[r];
		if (!paths[r])
			continue;
		c->present = 1;
		if (r != CGS_S390_PARMLINE) {
			c->path = paths[r];
			if ((e = cgs_file_size(c->path, &c->orig, b->d)))
				return fail(b, "read", c->path, e);
			continue;
		}
		if ((e = cgs_read_file(paths[r], PARMFILE_MAX, &c->data, &len, b->d)))
			return fail(b, "read parmfile", paths[r], e);
		/* NUL: C always appends one; pvimg only if the last byte is not NUL */
		if (b->in->genprotimg || !len || c->data[len - 1])
			len++;
		c->orig = len;
	}
	if (b->in->no_component_check)
		return CGS_OK;
	if ((e = check_kernel(b, &max_cmdline)))
		return e;
	c = &b->comp[CGS_S390_PARMLINE];
	if (c->present && c->orig > max_cmdline)
		return fail(b, "check parmfile", b->in->parmfile,
			    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					 "the command line has %llu bytes with its NUL, the "
					 "kernel accepts at most %llu",
					 (unsigned long long)c->orig,
					 (unsigned long long)max_cmdline));
	return CGS_OK;
}

/* Verification failures read like upstream's: the reason without a field name. */
static enum cgs_err hkd_fail(struct build *b, const char *step, const char *file, enum cgs_err e)
{
	if (e == CGS_E_VERIFY || e == CGS_E_UNSUPPORTED)
		b->d->field[0] = 0;
	return fail(b, step, file, e);
}

static enum cgs_err load_hosts(struct build *b)
{
	const struct cgs_s390_hostkeys *hk = &b->in->hostkeys;
	struct ibmz_hkd_opts ho = {hk->certs, hk->n_certs, hk->crls, hk->n_crls, hk->root_ca, 0, 0};
	struct ibmz_hkd_ctx *ctx = NULL;
	struct crl_dp_result fetched = {NULL, 0, 0, 0};
	enum cgs_err e = CGS_OK;

	if (hk->n_documents > S390_PV_HDR_MAX_SLOTS)
		return fail(b, "build the image", NULL,
			    cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					 "too many host-key documents: %zu (a header holds at "
					 "most %u)",
					 hk->n_documents, S390_PV_HDR_MAX_SLOTS));
	b->hosts = calloc(hk->n_documents ? hk->n_documents : 1, sizeof(*b->hosts));
	if (!b->hosts)
		return cgs_diag_set(b->d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (!hk->no_verify && !hk->n_crls) {
		if ((e = s390_hostkeys_fetch_crls(hk, &fetched, b->d)))
			return hkd_fail(b, "fetch the CRLs of the host-key documents", NULL, e);
		ho.crls = (const char *const *)fetched.paths;
		ho.n_crls = fetched.n;
	}
	if (!hk->no_verify && (e = ibmz_hkd_ctx_new(&ho, &ctx, b->d)))
		hkd_fail(b, "verify host-key documents", NULL, e);
	crl_dp_result_free(&fetched);
	if (e)
		return e;
	for (size_t i = 0; i < hk->n_documents && !e; i++) {
		X509 *x = NULL;

		e = ibmz_hkd_load(hk->documents[i], &x, &b->hosts[i], b->d);
		if (!e && ctx)
			e = ibmz_hkd_verify(ctx, x, b->d);
		if (e)
			hkd_fail(b, ctx ? "verify host-key document" : "load host-key document",
				 hk->documents[i], e);
		X509_free(x);
		b->nhosts = i + 1;
	}
	b->out->hostkeys_verified = ctx != NULL;
	b->out->n_hostkeys = b->nhosts;
	ibmz_hkd_ctx_free(ctx);
	return e;
}

static enum cgs_err random_or(struct build *b, int have, const uint8_t *given, uint8_t *out,
			      size_t len)
{
	enum cgs_err e;

	if (have) {
		memcpy(out, given, len);
		return CGS_OK;
	}
	e = cgs_random(out, len, b->d);
	return e ? fail(b, "draw random bytes", NULL, e) : CGS_OK;
}

static enum cgs_err load_secrets(struct build *b)
{
	const struct cgs_s390_image_in *in = b->in;
	enum cgs_err e = CGS_OK;
	uint8_t *buf;
	size_t len;

	if (in->hdr_key)
		e = read_key_file(b, "the header protection key", in->hdr_key, b->prot_key, 32);
	else
		e = random_or(b, 0, NULL, b->prot_key, 32);
	if (!e && in->comp_key)
		e = read_key_file(b, "the component key", in->comp_key, b->xts, 64);
	else if (!e)
		e = random_or(b, 0, NULL, b->xts, 64);
	if (!e && !memcmp(b->xts, b->xts + 32, 32))
		e = fail(b, "read key", in->comp_key ? in->comp_key : "random",
			 cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				      "the two halves of an AES-XTS key must differ"));
	if (!e && in->comm_key)
		e = read_key_file(b, "the communication key", in->comm_key, b->cck, 32);
	else if (!e)
		e = random_or(b, 0, NULL, b->cck, 32);
	if (!e)
		e = random_or(b, in->have_iv, in->iv, b->iv, S390_PV_IV_SIZE);
	for (int r = 0; r < CGS_S390_N_ROLES && !e; r++)
		e = random_or(b, in->have_tweak[r], in->tweak[r], b->tweak6[r], 6);
	if (e)
		return e;
	if (!in->cust_key)
		return (e = s390_pv_ec_generate(&b->cust, b->d))
			   ? fail(b, "generate the customer key", NULL, e)
			   : CGS_OK;
	if ((e = cgs_read_file(in->cust_key, 64 * 1024, &buf, &len, b->d)))
		return fail(b, "read key", in->cust_key, e);
	e = s390_pv_ec_priv_load(buf, len, &b->cust, b->d);
	cgs_free_secret(buf, len);
	return e ? fail(b, "read key", in->cust_key, e) : CGS_OK;
}

/* ---- layout ---- */

static const uint16_t kinds_c[CGS_S390_N_ROLES] = {0, 1, 2, 3};
static const uint16_t kinds_rust[CGS_S390_N_ROLES] = {40, 60, 50, 70};

static void plan_layout(struct build *b)
{
	static const int order_c[] = {CGS_S390_KERNEL, CGS_S390_PARMLINE, CGS_S390_RAMDISK,
				      CGS_S390_STAGE3B};
	static const int order_rust[] = {CGS_S390_KERNEL, CGS_S390_RAMDISK, CGS_S390_PARMLINE,
					 CGS_S390_STAGE3B};
	int gp = b->in->genprotimg;
	const int *order = gp ? order_c : order_rust;
	uint64_t end3a = S390_PV_STAGE3A_ADDR + b->stage3a_len, addr;

	b->hdr_size = s390_pv_hdr_size(b->nhosts);
	if (gp) {
		b->ipib_addr = PALIGN(end3a);
		b->hdr_addr = b->ipib_addr + PAGE;
	} else {
		b->hdr_addr =
		    PALIGN(end3a) > S390_PV_HDR_SCAN_START ? PALIGN(end3a) : S390_PV_HDR_SCAN_START;
	}
	addr = PALIGN(b->hdr_addr + b->hdr_size);
	b->ncomp = 0;
	for (int i = 0; i < CGS_S390_N_ROLES; i++) {
		struct comp *c = &b->comp[order[i]];

		if (!c->present)
			continue;
		b->order[b->ncomp++] = order[i];
		c->kind = (gp ? kinds_c : kinds_rust)[order[i]];
		c->stored = c->orig ? PALIGN(c->orig) : PAGE;
		c->addr = addr;
		s390_pv_tweak_make(c->kind, b->tweak6[order[i]], c->tweak);
		addr += c->stored;
	}
	if (gp) {
		b->image_end = addr;
		b->hdr_psw = b->comp[CGS_S390_STAGE3B].addr;
	} else {
		b->ipib_addr = addr;
		b->image_end = addr + s390_ipib_len((uint32_t)b->ncomp);
		b->hdr_psw = b->in->have_psw ? b->in->psw : b->comp[CGS_S390_STAGE3B].addr;
	}
}

static void render_stage3b(struct build *b)
{
	struct comp *s = &b->comp[CGS_S390_STAGE3B];
	uint8_t *a = s->data + s->orig - 64;
	const int roles[3] = {CGS_S390_KERNEL, CGS_S390_PARMLINE, CGS_S390_RAMDISK};

	memset(a, 0, 64);
	for (int i = 0; i < 3; i++) {
		const struct comp *c = &b->comp[roles[i]];

		if (!c->present)
			continue;
		cgs_put_be64(a + 16 * i, c->addr);
		cgs_put_be64(a + 16 * i + 8, c->orig);
	}
	cgs_put_be64(a + 48, S390_PV_PSW_MASK_64);
	cgs_put_be64(a + 56, b->in->genprotimg && b->in->have_psw ? b->in->psw : STAGE3B_PSW_ADDR);
}

/* ---- writing ---- */

struct writer {
	struct cgs_out out;
	struct s390_pv_digests dig;
	struct s390_pv_pipe *pipe;
};

static enum cgs_err write_at(struct build *b, struct writer *w, uint64_t off, const void *data,
			     size_t len)
{
	if (fseeko(w->out.f, (off_t)off, SEEK_SET))
		return cgs_diag_set(b->d, CGS_E_IO, NULL, off, "cannot seek: %s", strerror(errno));
	return cgs_out_write(&w->out, data, len, b->d);
}

static enum cgs_err fill_chunk(struct comp *c, FILE *f, uint64_t done, size_t *ret_pages,
			       uint8_t *buf, struct cgs_diag *d)
{
	const uint64_t max = (uint64_t)S390_PV_PIPE_CHUNK_PAGES * PAGE;
	uint64_t left = c->orig - done;
	size_t want = left > max ? (size_t)max : (size_t)left, n;
	size_t padded = (size_t)PALIGN(want ? want : 1);

	if (c->data) {
		/* parmline's appended NUL is the terminator cgs_read_file adds */
		memcpy(buf, c->data + done, want);
	} else {
		n = want ? fread(buf, 1, want, f) : 0;
		if (n != want)
			return cgs_diag_set(d, ferror(f) ? CGS_E_IO : CGS_E_MALFORMED, NULL,
					    done + n, "file changed or unreadable while reading");
	}
	memset(buf + want, 0, padded - want);
	*ret_pages = padded / PAGE;
	return CGS_OK;
}

/* One chunk: encrypt in place, index its pages, hand it to the hasher, write it. */
static enum cgs_err chunk(struct build *b, struct writer *w, struct s390_pv_comp *pc, uint8_t *buf,
			  size_t pages, uint64_t off)
{
	uint64_t addr = pc->addr;
	uint8_t tweak[S390_PV_TWEAK_SIZE];
	enum cgs_err e;

	memcpy(tweak, pc->tweak, sizeof(tweak));
	if ((e = s390_pv_comp_pages(pc, buf, buf, pages, b->d)) ||
	    (e = s390_pv_digests_index(&w->dig, addr, tweak, pages, b->d)))
		return e;
	s390_pv_pipe_put(w->pipe, pages);
	return write_at(b, w, off, buf, pages * PAGE);
}

static enum cgs_err write_comp(struct build *b, struct writer *w, struct comp *c)
{
	int mode =
	    (b->in->pcf & S390_PV_PCF_NO_DECRYPT) ? S390_PV_MODE_CLEAR : S390_PV_MODE_ENCRYPT;
	struct s390_pv_comp pc;
	uint64_t done = 0, off = c->addr;
	FILE *f = NULL;
	enum cgs_err err;
	size_t pages = 0;

	if (c->path && (err = cgs_open_input(c->path, &f, b->d)))
		return err;
	/* no digests here: the pages are indexed here and hashed on the pipe's thread */
	err = s390_pv_comp_init(&pc, b->xts, mode, c->tweak, c->addr, NULL, b->d);
	do {
		uint8_t *buf;

		if (err)
			break;
		buf = s390_pv_pipe_get(w->pipe);
		err = fill_chunk(c, f, done, &pages, buf, b->d);
		if (!err)
			err = chunk(b, w, &pc, buf, pages, off);
		off += pages * PAGE;
		done += pages * PAGE;
	} while (!err && done < c->orig);
	if (!err && f && fgetc(f) != EOF)
		err = cgs_diag_set(b->d, CGS_E_MALFORMED, NULL, c->orig, "file grew while reading");
	s390_pv_comp_free(&pc);
	if (f)
		fclose(f);
	return err;
}

static enum cgs_err write_header(struct build *b, struct writer *w)
{
	struct s390_pv_hdr_secret sec = {
	    .psw_mask = S390_PV_PSW_MASK_64, .psw_addr = b->hdr_psw, .scf = b->in->scf};
	struct s390_pv_hdr *h = &b->hdr;
	enum cgs_err err;

	if ((err = s390_pv_hdr_init(h, b->nhosts, b->d)))
		return err;
	memcpy(h->iv, b->iv, S390_PV_IV_SIZE);
	h->nep = w->dig.nep;
	h->pcf = b->in->pcf;
	err = s390_pv_digests_final(&w->dig, h->pld, h->ald, h->tld, b->d);
	if (!err)
		err = s390_pv_hdr_set_keys(h, b->cust, b->hosts, b->nhosts, b->prot_key, b->d);
	memcpy(sec.cck, b->cck, 32);
	memcpy(sec.xts_key, b->xts, 64);
	if (!err)
		err = s390_pv_hdr_seal(h, &sec, b->prot_key, b->d);
	cgs_wipe(&sec, sizeof(sec));
	if (!err)
		err = s390_pv_hdr_serialize(h, b->out->header, sizeof(b->out->header),
					    &b->out->header_len, b->d);
	if (!err)
		err = write_at(b, w, b->hdr_addr, b->out->header, b->out->header_len);
	return err;
}

static enum cgs_err write_blocks(struct build *b, struct writer *w)
{
	int gp = b->in->genprotimg;
	struct s390_ipib ib = {.pv_version = gp ? 0 : 1,
			       .hdr_addr = gp ? 0 : b->hdr_addr,
			       .hdr_size = b->hdr_size,
			       .ncomps = (uint32_t)b->ncomp};
	uint64_t args = S390_PV_STAGE3A_ADDR + b->stage3a_len - 24, psw;
	uint8_t ipib[S390_IPIB_FIXED + S390_IPIB_ENTRY * S390_IPIB_MAX_COMPS], p8[8];
	uint8_t *a = b->stage3a + b->stage3a_len - 24;
	enum cgs_err err;
	size_t len;

	ib.total_len = gp ? PAGE : (uint32_t)s390_ipib_len(ib.ncomps);
	for (int i = 0; i < b->ncomp; i++) {
		const struct comp *c = &b->comp[b->order[i]];

		ib.comps[i].tweak_prefix = cgs_be64(c->tweak);
		ib.comps[i].addr = c->addr;
		ib.comps[i].len = c->stored;
	}
	if ((err = s390_ipib_serialize(&ib, ipib, sizeof(ipib), &len, b->d)) ||
	    (err = write_at(b, w, b->ipib_addr, ipib, len)))
		return err;
	cgs_put_be64(a, b->hdr_addr - args);
	cgs_put_be64(a + 8, b->hdr_size);
	cgs_put_be64(a + 16, b->ipib_addr - args);
	if ((err = write_at(b, w, S390_PV_STAGE3A_ADDR, b->stage3a, b->stage3a_len)))
		return err;
	if ((err = s390_pv_short_psw(S390_PV_PSW_MASK_64, S390_PV_STAGE3A_ENTRY, &psw, b->d)))
		return err;
	cgs_put_be64(p8, psw);
	if ((err = write_at(b, w, 0, p8, 8)))
		return err;
	if (!gp) {
		struct s390_pv_meta m = {b->hdr_addr, 1, b->ipib_addr};
		uint8_t mb[S390_PV_META_SIZE];

		s390_pv_meta_serialize(&m, mb);
		err = write_at(b, w, S390_PV_META_OFFSET, mb, sizeof(mb));
	}
	return err;
}

/* The components through the pipe; then the header and the loader blocks. */
static enum cgs_err write_all(struct build *b, struct writer *w, const char **ret_what)
{
	enum cgs_err err = CGS_OK, perr;

	if ((err = s390_pv_pipe_start(&w->dig, &w->pipe, b->d)))
		return err;
	for (int i = 0; i < b->ncomp && !err; i++) {
		struct comp *c = &b->comp[b->order[i]];

		err = write_comp(b, w, c);
		if (err && c->path && err != CGS_E_IO)
			*ret_what = c->path;
	}
	perr = s390_pv_pipe_finish(w->pipe, b->d);
	if (!err)
		err = perr;
	/* the file ends with the last block written (stage3b or the IPIB) */
	if (!err)
		err = write_header(b, w);
	if (!err)
		err = write_blocks(b, w);
	return err;
}

/* The keys to save, opened and written beside the image, committed with it. */
static enum cgs_err write_keys(struct build *b, struct cgs_out keys[2], const char **ret_what)
{
	const char *k[2] = {b->in->save_hdr_key, b->in->save_comm_key};
	const uint8_t *v[2] = {b->prot_key, b->cck};
	unsigned fl = CGS_OUT_SECRET | (b->in->force ? CGS_OUT_FORCE : 0);
	enum cgs_err e = CGS_OK;

	for (int i = 0; i < 2 && !e; i++) {
		if (!k[i])
			continue;
		*ret_what = k[i];
		e = cgs_out_open(&keys[i], k[i], fl, b->d);
		if (!e)
			e = cgs_out_write(&keys[i], v[i], 32, b->d);
	}
	return e;
}

/* The image and the saved keys: all of them or none. */
static enum cgs_err write_image(struct build *b)
{
	struct writer w;
	struct cgs_out keys[2];
	struct cgs_out *outs[3] = {&w.out, &keys[0], &keys[1]};
	enum cgs_err err;
	const char *what = b->in->output;
	size_t failed = 0;

	memset(&w, 0, sizeof(w));
	memset(keys, 0, sizeof(keys));
	err = s390_pv_digests_init(&w.dig, b->d);
	if (!err &&
	    (err = cgs_out_open(&w.out, b->in->output, b->in->force ? CGS_OUT_FORCE : 0, b->d))) {
		s390_pv_digests_free(&w.dig);
		return fail(b, "write", b->in->output, err);
	}
	if (!err)
		err = write_all(b, &w, &what);
	if (!err)
		err = write_keys(b, keys, &what);
	if (!err) {
		if (!b->in->save_hdr_key)
			outs[1] = NULL;
		if (!b->in->save_comm_key)
			outs[2] = NULL;
		err = cgs_out_commit_all(outs, 3, &failed, b->d);
		if (err)
			what = failed == 0   ? b->in->output
			       : failed == 1 ? b->in->save_hdr_key
					     : b->in->save_comm_key;
	} else {
		cgs_out_abort_all(outs, 3);
	}
	s390_pv_digests_free(&w.dig);
	if (err)
		return fail(b,
			    what == b->in->output || what == b->in->save_hdr_key ||
				    what == b->in->save_comm_key
				? "write"
				: "read",
			    what, err);
	return CGS_OK;
}

/* Refuse existing key files before building, so a failure leaves no image behind. */
static enum cgs_err check_outputs(struct build *b)
{
	const char *k[2] = {b->in->save_hdr_key, b->in->save_comm_key};
	struct stat st;

	for (int i = 0; i < 2 && !b->in->force; i++)
		if (k[i] && lstat(k[i], &st) == 0)
			return fail(b, "write", k[i],
				    cgs_diag_set(b->d, CGS_E_EXISTS, NULL, CGS_DIAG_NO_OFFSET,
						 "file exists (use --force to replace it)"));
	return CGS_OK;
}

static void report(struct build *b)
{
	struct cgs_s390_image_out *o = b->out;

	o->image_size = b->image_end;
	o->header_addr = b->hdr_addr;
	o->psw_addr = b->hdr_psw;
	o->ipib_offset = b->ipib_addr;
	o->scf = b->in->scf;
	o->pages = b->hdr.nep;
	o->n_components = (size_t)b->ncomp;
	for (int i = 0; i < b->ncomp; i++) {
		const struct comp *c = &b->comp[b->order[i]];
		struct cgs_s390_image_component *r = &o->components[i];

		r->name = role_names[b->order[i]];
		r->addr = c->addr;
		r->size = c->orig;
		r->stored_size = c->stored;
		memcpy(r->tweak, c->tweak, 16);
	}
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < b->nhosts; i++)
		EVP_PKEY_free(b->hosts[i]);
	free(b->hosts);
	EVP_PKEY_free(b->cust);
	free(b->stage3a);
	if (b->comp[CGS_S390_PARMLINE].data)
		cgs_free_secret(b->comp[CGS_S390_PARMLINE].data, b->comp[CGS_S390_PARMLINE].orig);
	free(b->comp[CGS_S390_STAGE3B].data);
	cgs_wipe(b, sizeof(*b));
}

enum cgs_err cgs_s390_image_build(const struct cgs_s390_image_in *in,
				  struct cgs_s390_image_out *out, struct cgs_diag *d)
{
	struct build *b = calloc(1, sizeof(*b));
	enum cgs_err e;

	memset(out, 0, sizeof(*out));
	if (!b)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	b->in = in;
	b->out = out;
	b->d = d;
	e = check_outputs(b);
	if (!e)
		e = load_inputs(b);
	if (!e)
		e = load_loaders(b);
	if (!e)
		e = load_hosts(b);
	if (!e)
		e = load_secrets(b);
	if (!e) {
		plan_layout(b);
		render_stage3b(b);
		e = write_image(b);
	}
	if (!e)
		report(b);
	build_free(b);
	free(b);
	return e;
}
