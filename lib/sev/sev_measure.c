// SPDX-License-Identifier: MIT
#include "lib/sev/sev_measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "formats/ovmf_footer.h"
#include "formats/sev_hashes.h"
#include "formats/snp_page_info.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"

#define PAGE 4096u
#define FOUR_GIB (1ull << 32)
#define MAX_FIRMWARE (256u << 20)

/* ---------------------------------------------------------------- names */

static const char *const mode_names[] = { "sev", "seves", "snp", "snp:ovmf-hash", "snp:svsm" };
static const char *const vmm_names[] = { "QEMU", "ec2", "gce" };

const char *cgs_sev_mode_name(enum cgs_sev_mode m)
{
	return (unsigned)m < 5 ? mode_names[m] : "?";
}

int cgs_sev_mode_parse(const char *s, enum cgs_sev_mode *ret)
{
	for (unsigned i = 0; i < 5; i++)
		if (!strcmp(s, mode_names[i])) {
			*ret = (enum cgs_sev_mode)i;
			return 0;
		}
	return -1;
}

const char *cgs_sev_vmm_name(enum cgs_sev_vmm v)
{
	return (unsigned)v < 3 ? vmm_names[v] : "?";
}

int cgs_sev_vmm_parse(const char *s, enum cgs_sev_vmm *ret)
{
	for (unsigned i = 0; i < 3; i++)
		if (!strcmp(s, vmm_names[i])) {
			*ret = (enum cgs_sev_vmm)i;
			return 0;
		}
	return -1;
}

uint32_t cgs_sev_cpu_sig(uint32_t family, uint32_t model, uint32_t stepping)
{
	uint32_t fam_lo = family, fam_hi = 0;

	if (family > 0xf) {
		fam_lo = 0xf;
		fam_hi = (family - 0xf) & 0xff;
	}
	return fam_hi << 20 | ((model >> 4) & 0xf) << 16 | fam_lo << 8 | (model & 0xf) << 4 |
	       (stepping & 0xf);
}

/* QEMU's builtin x86 CPU models that sev-snp-measure 0.0.13 knows */
static const struct {
	const char *name;
	uint8_t family, model, stepping;
} vcpu_types[] = {
	{ "EPYC", 23, 1, 2 },	      { "EPYC-v1", 23, 1, 2 },	     { "EPYC-v2", 23, 1, 2 },
	{ "EPYC-IBPB", 23, 1, 2 },    { "EPYC-v3", 23, 1, 2 },	     { "EPYC-v4", 23, 1, 2 },
	{ "EPYC-Rome", 23, 49, 0 },   { "EPYC-Rome-v1", 23, 49, 0 }, { "EPYC-Rome-v2", 23, 49, 0 },
	{ "EPYC-Rome-v3", 23, 49, 0 }, { "EPYC-Milan", 25, 1, 1 },   { "EPYC-Milan-v1", 25, 1, 1 },
	{ "EPYC-Milan-v2", 25, 1, 1 }, { "EPYC-Genoa", 25, 17, 0 },  { "EPYC-Genoa-v1", 25, 17, 0 },
	{ "EPYC-Turin", 26, 0, 0 },
};

#define N_VCPU_TYPES (sizeof(vcpu_types) / sizeof(vcpu_types[0]))

int cgs_sev_vcpu_type_sig(const char *name, uint32_t *ret)
{
	for (size_t i = 0; i < N_VCPU_TYPES; i++)
		if (!strcmp(name, vcpu_types[i].name)) {
			*ret = cgs_sev_cpu_sig(vcpu_types[i].family, vcpu_types[i].model,
						   vcpu_types[i].stepping);
			return 0;
		}
	return -1;
}

const char *cgs_sev_vcpu_type_name(size_t i)
{
	return i < N_VCPU_TYPES ? vcpu_types[i].name : NULL;
}

void cgs_sev_measure_inputs_init(struct cgs_sev_measure_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->mode = CGS_SEV_MODE_SNP;
	in->vmm = CGS_SEV_VMM_QEMU;
	in->guest_features = 0x1;
}

/* ---------------------------------------------------------------- firmware */

enum cgs_err sev_ovmf_inspect(const uint8_t *img, size_t len, struct sev_ovmf_info *ret,
			      struct cgs_diag *d)
{
	struct ovmf_footer *f = malloc(sizeof(*f));
	const struct ovmf_footer_entry *e;
	enum cgs_err err;

	if (!f)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memset(ret, 0, sizeof(*ret));
	err = ovmf_footer_parse(img, len, f, d);
	if (err)
		goto out;
	ret->has_footer = 1;
	if (!ovmf_footer_u32(f, img, ovmf_guid_sev_es_reset, 0, "SEV_ES_RESET_BLOCK",
			     &ret->ap_eip, NULL))
		ret->has_reset_block = 1;
	if (!ovmf_footer_u32(f, img, ovmf_guid_sev_hash_table, 0, "SEV_HASH_TABLE_RV",
			     &ret->hash_table_gpa, NULL)) {
		ret->has_hash_table_entry = 1;
		ovmf_footer_u32(f, img, ovmf_guid_sev_hash_table, 1, "SEV_HASH_TABLE_RV",
				&ret->hash_table_size, NULL);
	}
	if (!ovmf_footer_u32(f, img, ovmf_guid_sev_secret, 0, "SEV_SECRET", &ret->secret_gpa,
			     NULL)) {
		ret->has_secret = 1;
		ovmf_footer_u32(f, img, ovmf_guid_sev_secret, 1, "SEV_SECRET", &ret->secret_size,
				NULL);
	}
	if (!ovmf_footer_u32(f, img, ovmf_guid_svsm_info, 0, "SVSM_INFO", &ret->svsm_info_offset,
			     NULL))
		ret->has_svsm_info = 1;
	e = ovmf_footer_find(f, ovmf_guid_sev_metadata);
	if (e) {
		uint32_t off;

		err = ovmf_footer_u32(f, img, ovmf_guid_sev_metadata, 0, "SEV_METADATA", &off, d);
		if (!err)
			err = sev_metadata_parse(img, len, off, &ret->meta, d);
		if (err)
			goto out;
		ret->has_metadata = 1;
	}
	ret->sev_es = ret->has_reset_block;
	ret->snp = ret->has_reset_block && ret->has_metadata;
	ret->kernel_hashes_sev = ret->has_hash_table_entry && ret->hash_table_gpa != 0;
	for (size_t i = 0; i < ret->meta.count; i++) {
		if (ret->meta.s[i].type == SEV_SECTION_SNP_KERNEL_HASHES)
			ret->kernel_hashes_snp = ret->kernel_hashes_sev;
		if (ret->meta.s[i].type == SEV_SECTION_SVSM_CAA)
			ret->svsm_caa = 1;
	}
out:
	free(f);
	return err;
}

/* ---------------------------------------------------------------- SNP chain */

struct chain {
	EVP_MD_CTX *ctx;
	EVP_MD *sha384;
	uint8_t pi[SNP_PAGE_INFO_LEN]; /* pi[0..48) is the running digest */
	uint64_t pages;
};

static enum cgs_err sha384(struct chain *c, const void *data, size_t len, uint8_t *out,
			   struct cgs_diag *d)
{
	if (!EVP_DigestInit_ex2(c->ctx, c->sha384, NULL) ||
	    !EVP_DigestUpdate(c->ctx, data, len) || !EVP_DigestFinal_ex(c->ctx, out, NULL))
		return cgs_diag_openssl(d, "SHA-384 failed");
	return CGS_OK;
}

/* One PAGE_INFO update; contents NULL means 48 zero bytes. */
static enum cgs_err chain_update(struct chain *c, uint8_t type, uint64_t gpa,
				 const uint8_t *contents, struct cgs_diag *d)
{
	if (contents)
		memcpy(c->pi + SNP_DIGEST_LEN, contents, SNP_DIGEST_LEN);
	else
		memset(c->pi + SNP_DIGEST_LEN, 0, SNP_DIGEST_LEN);
	snp_page_info_set_tail(c->pi, type, gpa);
	c->pages++;
	return sha384(c, c->pi, sizeof(c->pi), c->pi, d);
}

static enum cgs_err chain_normal(struct chain *c, uint64_t gpa, const uint8_t *data, size_t len,
				 struct cgs_diag *d)
{
	uint8_t h[SNP_DIGEST_LEN];
	enum cgs_err err = CGS_OK;

	for (size_t off = 0; off < len && !err; off += PAGE) {
		err = sha384(c, data + off, PAGE, h, d);
		if (!err)
			err = chain_update(c, SNP_PAGE_NORMAL, gpa + off, h, d);
	}
	return err;
}

static enum cgs_err chain_range(struct chain *c, uint8_t type, uint64_t gpa, uint64_t size,
				struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;

	for (uint64_t off = 0; off < size && !err; off += PAGE)
		err = chain_update(c, type, gpa + off, NULL, d);
	return err;
}

/* ---------------------------------------------------------------- the run */

struct run {
	const struct cgs_sev_measure_inputs *in;
	struct cgs_sev_measure_result *r;
	uint8_t *fw;
	size_t fw_len;
	struct sev_ovmf_info info;
	uint8_t *svsm;
	size_t svsm_len;
	struct sev_ovmf_info sinfo;
	struct chain c;
};

static enum cgs_err load_image(struct run *run, const char *path, const char *what,
			       uint8_t **ret_buf, size_t *ret_len, struct sev_ovmf_info *info,
			       struct cgs_sev_measure_file *file, struct cgs_diag *d)
{
	enum cgs_err err;

	run->r->err_file = path;
	err = cgs_read_file(path, MAX_FIRMWARE, ret_buf, ret_len, d);
	if (err)
		return err;
	if (*ret_len == 0 || *ret_len % PAGE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", *ret_len,
				    "%s size %zu is not a non-zero multiple of 4096", what,
				    *ret_len);
	err = cgs_digest("SHA256", *ret_buf, *ret_len, file->sha256, NULL, d);
	if (err)
		return err;
	file->present = 1;
	file->size = *ret_len;
	return sev_ovmf_inspect(*ret_buf, *ret_len, info, d);
}

static enum cgs_err hash_boot_inputs(struct run *run, struct cgs_diag *d)
{
	const struct cgs_sev_measure_inputs *in = run->in;
	struct cgs_sev_measure_result *r = run->r;
	struct sev_hashes h;
	size_t alen = in->append ? strlen(in->append) : 0;
	uint8_t *cmd = malloc(alen + 1);
	enum cgs_err err;

	if (!cmd)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(cmd, in->append ? in->append : "", alen + 1);
	err = cgs_digest("SHA256", cmd, alen + 1, r->cmdline_sha256, NULL, d);
	free(cmd);
	if (err)
		return err;
	r->has_cmdline = 1;
	r->err_file = in->kernel;
	err = cgs_digest_file("SHA256", in->kernel, r->kernel.sha256, NULL, &r->kernel.size, d);
	if (err)
		return err;
	r->kernel.present = 1;
	r->err_file = in->initrd;
	if (in->initrd)
		err = cgs_digest_file("SHA256", in->initrd, r->initrd.sha256, NULL,
				      &r->initrd.size, d);
	else
		err = cgs_digest("SHA256", "", 0, r->initrd.sha256, NULL, d);
	if (err)
		return err;
	r->initrd.present = !!in->initrd;
	r->err_file = NULL;
	memcpy(h.cmdline, r->cmdline_sha256, 32);
	memcpy(h.initrd, r->initrd.sha256, 32);
	memcpy(h.kernel, r->kernel.sha256, 32);
	sev_hashes_build(&h, r->hashes_table);
	r->has_hashes_table = 1;
	return CGS_OK;
}

static enum vmsa_vmm vmsa_vmm_of(const struct cgs_sev_measure_inputs *in)
{
	switch (in->vmm) {
	case CGS_SEV_VMM_EC2:
		return in->ec2_legacy ? VMSA_VMM_EC2_LEGACY : VMSA_VMM_EC2;
	case CGS_SEV_VMM_GCE:
		return VMSA_VMM_GCE;
	default:
		return VMSA_VMM_QEMU;
	}
}

static enum cgs_err need_reset_block(struct run *run, struct cgs_diag *d)
{
	if (run->info.has_reset_block) {
		run->r->ap_eip = run->info.ap_eip;
		return CGS_OK;
	}
	run->r->err_file = run->in->ovmf;
	return cgs_diag_set(d, CGS_E_UNSUPPORTED, "SEV_ES_RESET_BLOCK", CGS_DIAG_NO_OFFSET,
			    "can't find SEV_ES_RESET_BLOCK_GUID entry in OVMF table (footer "
			    "entry 00f771de-1a7e-4fcb-890e-68c77e2fb44e): the firmware does "
			    "not support SEV-ES or SNP");
}

/* A VMSA page from a file: exactly one page. */
static enum cgs_err read_vmsa(struct run *run, const char *path, uint8_t page[VMSA_PAGE_SIZE],
			      struct cgs_diag *d)
{
	uint8_t *buf;
	size_t len;
	enum cgs_err err;

	run->r->err_file = path;
	err = cgs_read_file(path, VMSA_PAGE_SIZE, &buf, &len, d);
	if (err)
		return err;
	if (len != VMSA_PAGE_SIZE)
		err = cgs_diag_set(d, CGS_E_MALFORMED, "vmsa", len,
				   "a VMSA file must be one 4096-byte page, not %zu bytes", len);
	else
		memcpy(page, buf, VMSA_PAGE_SIZE);
	free(buf);
	if (!err)
		run->r->err_file = NULL;
	return err;
}

/* Build (or read) the distinct VMSA pages (BSP, AP) and digest each with md. */
static enum cgs_err build_vmsas(struct run *run, uint64_t features, const char *md,
				struct cgs_diag *d)
{
	const struct cgs_sev_measure_inputs *in = run->in;
	struct cgs_sev_measure_result *r = run->r;
	uint32_t n = in->vcpus;
	struct vmsa_state s;
	enum cgs_err err = CGS_OK;

	r->n_vmsas = n == 0 ? 0 : n == 1 ? 1 : 2;
	for (size_t i = 0; i < r->n_vmsas && !err; i++) {
		struct cgs_sev_measure_vmsa *v = &r->vmsas[i];

		v->role = i == 0 ? "bsp" : "ap";
		v->count = i == 0 ? 1 : n - 1;
		v->rip_eip = i == 0 ? VMSA_BSP_EIP : r->ap_eip;
		if (in->vmsa_files[i]) {
			err = read_vmsa(run, in->vmsa_files[i], v->page, d);
		} else {
			vmsa_init_reset(&s, vmsa_vmm_of(in), (uint32_t)v->rip_eip, in->vcpu_sig,
					features);
			if (in->vmsa_legacy_fpu) {
				s.mxcsr = 0;
				s.x87_fcw = 0;
			}
			vmsa_serialize(&s, v->page);
		}
		if (!err)
			err = cgs_digest(md, v->page, VMSA_PAGE_SIZE, v->digest, NULL, d);
	}
	return err;
}

static enum cgs_err run_sev(struct run *run, struct cgs_diag *d)
{
	const struct cgs_sev_measure_inputs *in = run->in;
	struct cgs_sev_measure_result *r = run->r;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	enum cgs_err err = CGS_OK;
	int ok;

	if (in->kernel && !run->info.kernel_hashes_sev) {
		r->err_file = in->ovmf;
		err = cgs_diag_set(d, CGS_E_UNSUPPORTED, "SEV_HASH_TABLE_RV", CGS_DIAG_NO_OFFSET,
				   "kernel specified but OVMF doesn't support "
				   "kernel/initrd/cmdline measurement (no SEV hashes table, "
				   "footer entry 7255371f-...; an OvmfPkgX64 build? use an "
				   "AmdSevX64 build such as Debian's ovmf-amdsev)");
	}
	if (!err && in->mode == CGS_SEV_MODE_SEV_ES) {
		err = need_reset_block(run, d);
		if (!err)
			err = build_vmsas(run, 0, "SHA256", d);
	}
	if (!err && in->kernel)
		err = hash_boot_inputs(run, d);
	if (err || !ctx) {
		EVP_MD_CTX_free(ctx);
		return err ? err : cgs_diag_openssl(d, "out of memory");
	}
	r->hashes_table_gpa = run->info.hash_table_gpa;
	ok = EVP_DigestInit_ex2(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, run->fw, run->fw_len);
	if (ok && in->kernel)
		ok = EVP_DigestUpdate(ctx, r->hashes_table, sizeof(r->hashes_table));
	for (uint32_t i = 0; ok && in->mode == CGS_SEV_MODE_SEV_ES && i < in->vcpus; i++)
		ok = EVP_DigestUpdate(ctx, r->vmsas[i ? 1 : 0].page, VMSA_PAGE_SIZE);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, r->digest, NULL);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return cgs_diag_openssl(d, "SHA-256 failed");
	r->digest_len = SEV_MEASURE_SHA256_LEN;
	return CGS_OK;
}

/* The kernel-hashes page: the table at (gpa & 0xfff) inside a zero page. */
static enum cgs_err chain_hashes_page(struct run *run, const struct sev_section *s,
				      struct cgs_diag *d)
{
	uint8_t page[PAGE];
	uint32_t off = run->info.hash_table_gpa & 0xfff;

	if (s->size != PAGE || off + SEV_HASHES_PADDED_LEN > PAGE) {
		run->r->err_file = run->in->ovmf;
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "SNP_KERNEL_HASHES", CGS_DIAG_NO_OFFSET,
				    "kernel-hashes section of 0x%x bytes with the table at page "
				    "offset 0x%x is not supported (expected one page)",
				    s->size, off);
	}
	memset(page, 0, sizeof(page));
	memcpy(page + off, run->r->hashes_table, SEV_HASHES_PADDED_LEN);
	return chain_normal(&run->c, s->gpa, page, PAGE, d);
}

/* The metadata sections of an image, in table order (QEMU, ec2 or gce rules). */
static enum cgs_err chain_sections(struct run *run, const struct sev_metadata *m, int hashes,
				   enum cgs_sev_vmm vmm, struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;

	for (size_t i = 0; i < m->count && !err; i++) {
		const struct sev_section *s = &m->s[i];

		switch (s->type) {
		case SEV_SECTION_SNP_SEC_MEM:
			err = chain_range(&run->c, vmm == CGS_SEV_VMM_GCE ? SNP_PAGE_UNMEASURED :
									SNP_PAGE_ZERO,
					  s->gpa, s->size, d);
			break;
		case SEV_SECTION_SNP_SECRETS:
			err = chain_update(&run->c, SNP_PAGE_SECRETS, s->gpa, NULL, d);
			break;
		case SEV_SECTION_CPUID:
			if (vmm != CGS_SEV_VMM_EC2)
				err = chain_update(&run->c, SNP_PAGE_CPUID, s->gpa, NULL, d);
			break;
		case SEV_SECTION_SNP_KERNEL_HASHES:
			/* without a kernel: zero pages, as SVSM_CAA */
			if (hashes)
				err = chain_hashes_page(run, s, d);
			else
				err = chain_range(&run->c, SNP_PAGE_ZERO, s->gpa, s->size, d);
			break;
		default: /* SVSM_CAA */
			err = chain_range(&run->c, SNP_PAGE_ZERO, s->gpa, s->size, d);
			break;
		}
	}
	for (size_t i = 0; i < m->count && !err && vmm == CGS_SEV_VMM_EC2; i++)
		if (m->s[i].type == SEV_SECTION_CPUID)
			err = chain_update(&run->c, SNP_PAGE_CPUID, m->s[i].gpa, NULL, d);
	return err;
}

static enum cgs_err chain_vmsas(struct run *run, struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;

	for (uint32_t i = 0; i < run->in->vcpus && !err; i++) {
		const struct cgs_sev_measure_vmsa *v = &run->r->vmsas[run->r->n_vmsas > 1 && i ? 1 : 0];

		err = chain_update(&run->c, SNP_PAGE_VMSA, SEV_MEASURE_VMSA_GPA, v->digest, d);
	}
	return err;
}

static void chain_finish(struct run *run)
{
	memcpy(run->r->digest, run->c.pi, SNP_DIGEST_LEN);
	run->r->digest_len = SEV_MEASURE_SHA384_LEN;
	run->r->snp_pages = run->c.pages;
}

static enum cgs_err chain_firmware(struct run *run, struct cgs_diag *d)
{
	struct cgs_sev_measure_result *r = run->r;
	enum cgs_err err = CGS_OK;

	r->ovmf_gpa = FOUR_GIB - run->fw_len;
	if (run->in->has_ovmf_hash && run->in->mode == CGS_SEV_MODE_SNP) {
		memcpy(run->c.pi, run->in->ovmf_hash, SNP_DIGEST_LEN);
		r->ovmf_hash_given = 1;
	} else {
		err = chain_normal(&run->c, r->ovmf_gpa, run->fw, run->fw_len, d);
	}
	memcpy(r->ovmf_hash, run->c.pi, SNP_DIGEST_LEN);
	r->has_ovmf_hash = !err;
	return err;
}

static enum cgs_err snp_check_kernel(struct run *run, struct cgs_diag *d)
{
	int has_section = 0;

	for (size_t i = 0; i < run->info.meta.count; i++)
		has_section |= run->info.meta.s[i].type == SEV_SECTION_SNP_KERNEL_HASHES;
	run->r->err_file = run->in->ovmf;
	if (!has_section)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "SNP_KERNEL_HASHES", CGS_DIAG_NO_OFFSET,
				    "kernel specified but OVMF metadata doesn't include "
				    "SNP_KERNEL_HASHES section (an OvmfPkgX64 build? use an "
				    "AmdSevX64 build such as Debian's ovmf-amdsev)");
	if (!run->info.has_hash_table_entry)
		return cgs_diag_set(d, CGS_E_MALFORMED, "SEV_HASH_TABLE_RV", CGS_DIAG_NO_OFFSET,
				    "SNP_KERNEL_HASHES section but no SEV hashes table entry "
				    "(7255371f-...) in the footer table");
	run->r->err_file = NULL;
	run->r->hashes_table_gpa = run->info.hash_table_gpa;
	return hash_boot_inputs(run, d);
}

static enum cgs_err run_snp(struct run *run, struct cgs_diag *d)
{
	const struct cgs_sev_measure_inputs *in = run->in;
	enum cgs_err err = CGS_OK;

	if (in->mode == CGS_SEV_MODE_SNP_OVMF_HASH) {
		err = chain_firmware(run, d);
		if (!err)
			chain_finish(run);
		return err;
	}
	if (in->kernel)
		err = snp_check_kernel(run, d);
	if (!err)
		err = need_reset_block(run, d);
	if (!err)
		err = build_vmsas(run, in->guest_features, "SHA384", d);
	if (!err)
		err = chain_firmware(run, d);
	if (!err)
		err = chain_sections(run, &run->info.meta, !!in->kernel, in->vmm, d);
	if (!err)
		err = chain_vmsas(run, d);
	if (!err)
		chain_finish(run);
	return err;
}

static enum cgs_err run_svsm(struct run *run, struct cgs_diag *d)
{
	const struct cgs_sev_measure_inputs *in = run->in;
	struct cgs_sev_measure_result *r = run->r;
	struct cgs_sev_measure_vmsa *v = &r->vmsas[0];
	struct vmsa_state s;
	uint64_t vars = in->vars_size, below;
	enum cgs_err err;

	if (in->vars_file) {
		r->err_file = in->vars_file;
		err = cgs_file_size(in->vars_file, &vars, d);
		if (err)
			return err;
	}
	r->vars_size = vars;
	err = load_image(run, in->svsm, "SVSM binary", &run->svsm, &run->svsm_len, &run->sinfo,
			 &r->svsm, d);
	if (err)
		return err;
	if (!run->sinfo.has_svsm_info)
		return cgs_diag_set(d, CGS_E_MALFORMED, "SVSM_INFO", CGS_DIAG_NO_OFFSET,
				    "SVSM binary without its SVSM_INFO entry "
				    "(a789a612-0597-4c4b-a49f-cbb1fe9d1ddd) in the footer table");
	below = (uint64_t)vars + run->svsm_len;
	if (below > FOUR_GIB - run->fw_len)
		return cgs_diag_set(d, CGS_E_USAGE, "vars_size", CGS_DIAG_NO_OFFSET,
				    "vars size 0x%llx leaves no room for the SVSM below 4 GiB",
				    (unsigned long long)vars);
	r->err_file = NULL;
	r->svsm_gpa = FOUR_GIB - run->fw_len - below;
	r->n_vmsas = in->vcpus ? 1 : 0;
	v->role = "svsm";
	v->count = in->vcpus;
	v->rip_eip = run->sinfo.svsm_info_offset + r->svsm_gpa;
	vmsa_init_svsm(&s, v->rip_eip, in->vcpu_sig);
	vmsa_serialize(&s, v->page);
	err = cgs_digest("SHA384", v->page, VMSA_PAGE_SIZE, v->digest, NULL, d);
	if (!err)
		err = chain_firmware(run, d);
	if (!err)
		err = chain_normal(&run->c, r->svsm_gpa, run->svsm, run->svsm_len, d);
	if (!err)
		err = chain_sections(run, &run->sinfo.meta, 0, CGS_SEV_VMM_QEMU, d);
	if (!err)
		err = chain_vmsas(run, d);
	if (!err)
		chain_finish(run);
	return err;
}

enum cgs_err cgs_sev_measure(const struct cgs_sev_measure_inputs *in, struct cgs_sev_measure_result *ret,
			 struct cgs_diag *d)
{
	struct run run;
	enum cgs_err err;

	memset(&run, 0, sizeof(run));
	memset(ret, 0, sizeof(*ret));
	run.in = in;
	run.r = ret;
	ret->mode = in->mode;
	if (!in->ovmf)
		return cgs_diag_set(d, CGS_E_USAGE, "ovmf", CGS_DIAG_NO_OFFSET, "no firmware given");
	if ((in->initrd || in->append) && !in->kernel)
		return cgs_diag_set(d, CGS_E_USAGE, "kernel", CGS_DIAG_NO_OFFSET,
				    "an initrd or command line needs a kernel");
	if (in->mode == CGS_SEV_MODE_SNP_SVSM && !in->svsm)
		return cgs_diag_set(d, CGS_E_USAGE, "svsm", CGS_DIAG_NO_OFFSET,
				    "snp:svsm needs the SVSM binary");
	run.c.ctx = EVP_MD_CTX_new();
	run.c.sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
	if (!run.c.ctx || !run.c.sha384) {
		err = cgs_diag_openssl(d, "cannot set up SHA-384");
		goto out;
	}
	err = load_image(&run, in->ovmf, "firmware", &run.fw, &run.fw_len, &run.info, &ret->ovmf,
			 d);
	if (err)
		goto out;
	ret->err_file = NULL;
	if (in->mode == CGS_SEV_MODE_SEV || in->mode == CGS_SEV_MODE_SEV_ES)
		err = run_sev(&run, d);
	else if (in->mode == CGS_SEV_MODE_SNP_SVSM)
		err = run_svsm(&run, d);
	else
		err = run_snp(&run, d);
	if (!err)
		ret->err_file = NULL;
out:
	free(run.fw);
	free(run.svsm);
	EVP_MD_CTX_free(run.c.ctx);
	EVP_MD_free(run.c.sha384);
	return err;
}

const uint8_t *cgs_sev_measure_vmsa_page(const struct cgs_sev_measure_result *r, uint32_t vcpus,
				     uint32_t i)
{
	if (i >= vcpus || r->n_vmsas == 0)
		return NULL;
	return r->vmsas[r->n_vmsas > 1 && i ? 1 : 0].page;
}
_Static_assert(VMSA_PAGE_SIZE == CGS_SEV_VMSA_PAGE_SIZE, "the public VMSA page size");

enum cgs_err sev_vcpu_sig_resolve(const struct sev_vcpu_given *g, struct cgs_sev_measure_inputs *in,
				  int *ret_missing, struct cgs_diag *d)
{
	*ret_missing = 0;
	if (g->have_family || g->have_model || g->have_stepping) {
		if (!(g->have_family && g->have_model && g->have_stepping))
			return cgs_diag_set(d, CGS_E_USAGE, "vcpu-family", CGS_DIAG_NO_OFFSET,
					    "'--vcpu-family', '--vcpu-model' and '--vcpu-stepping' "
					    "go together");
		in->vcpu_sig = cgs_sev_cpu_sig((uint32_t)g->family, (uint32_t)g->model,
					       (uint32_t)g->stepping);
	} else if (g->have_sig) {
		in->vcpu_sig = (uint32_t)g->sig;
	} else if (g->type) {
		cgs_sev_vcpu_type_sig(g->type, &in->vcpu_sig);
	} else {
		*ret_missing = 1;
	}
	if (in->mode == CGS_SEV_MODE_SEV)
		in->vcpu_sig = 0;
	return CGS_OK;
}

enum cgs_err sev_measure_check_svsm(const struct cgs_sev_measure_inputs *in, int have_vars_size,
				    struct cgs_diag *d)
{
	int svsm = in->mode == CGS_SEV_MODE_SNP_SVSM;
	const char *why = NULL;

	if (!svsm && (in->svsm || in->vars_file || have_vars_size))
		why = "'--svsm', '--vars-size' and '--vars-file' need '--mode snp:svsm'";
	else if (!svsm)
		return CGS_OK;
	else if (!in->svsm)
		why = "missing --svsm PATH in guest mode 'snp:svsm'";
	else if (in->vars_file && have_vars_size)
		why = "'--vars-size' and '--vars-file' conflict: give one";
	else if (!in->vars_file && !have_vars_size)
		why = "missing --vars-size or --vars-file in guest mode 'snp:svsm'";
	else if (in->vmm != CGS_SEV_VMM_QEMU)
		why = "guest mode 'snp:svsm' is only supported with --vmm-type QEMU";
	else if (in->kernel)
		why = "'--kernel' is not supported in guest mode 'snp:svsm'";
	return why ? cgs_diag_set(d, CGS_E_USAGE, "svsm", CGS_DIAG_NO_OFFSET, "%s", why) : CGS_OK;
}

void sev_measure_describe(const struct cgs_sev_measure_result *r, const char *ovmf,
			  void (*emit)(void *ctx, const char *line), void *ctx)
{
	char h[2 * SEV_MEASURE_SHA384_LEN + 1], line[192];

	snprintf(line, sizeof(line), "firmware '%s': %llu bytes at 0x%llx", ovmf,
		 (unsigned long long)r->ovmf.size, (unsigned long long)((1ull << 32) - r->ovmf.size));
	emit(ctx, line);
	if (r->has_ovmf_hash) {
		cgs_hex_encode(r->ovmf_hash, SEV_MEASURE_SHA384_LEN, h);
		snprintf(line, sizeof(line), "OVMF hash%s: %s", r->ovmf_hash_given ? " (given)" : "",
			 h);
		emit(ctx, line);
	}
	if (r->has_hashes_table) {
		snprintf(line, sizeof(line), "kernel hashes table at 0x%llx",
			 (unsigned long long)r->hashes_table_gpa);
		emit(ctx, line);
	}
	if (r->ap_eip) {
		snprintf(line, sizeof(line), "AP reset EIP 0x%x", r->ap_eip);
		emit(ctx, line);
	}
	for (size_t i = 0; i < r->n_vmsas; i++) {
		cgs_hex_encode(r->vmsas[i].digest, r->mode == CGS_SEV_MODE_SEV_ES ? 32 : 48, h);
		snprintf(line, sizeof(line), "VMSA %s x%u: %s", r->vmsas[i].role, r->vmsas[i].count, h);
		emit(ctx, line);
	}
	if (r->snp_pages) {
		snprintf(line, sizeof(line), "%llu PAGE_INFO updates", (unsigned long long)r->snp_pages);
		emit(ctx, line);
	}
}

enum cgs_err sev_measure_write_vmsas(const struct cgs_sev_measure_result *r, uint32_t vcpus,
				     char *ret_name, size_t name_len, struct cgs_diag *d)
{
	struct cgs_out *out = calloc(vcpus ? vcpus : 1, sizeof(*out)), **all;
	size_t failed = 0;
	enum cgs_err e = CGS_OK;

	all = calloc(vcpus ? vcpus : 1, sizeof(*all));
	snprintf(ret_name, name_len, "the VMSA pages");
	if (!out || !all) {
		free(out);
		free(all);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	for (uint32_t i = 0; i < vcpus && !e; i++) {
		snprintf(ret_name, name_len, "vmsa%u.bin", i);
		e = cgs_out_open(&out[i], ret_name, CGS_OUT_FORCE, d);
		if (e)
			break;
		all[i] = &out[i];
		e = cgs_out_write(&out[i], cgs_sev_measure_vmsa_page(r, vcpus, i), VMSA_PAGE_SIZE, d);
	}
	if (e) {
		cgs_out_abort_all(all, vcpus);
	} else if ((e = cgs_out_commit_all(all, vcpus, &failed, d))) {
		snprintf(ret_name, name_len, "vmsa%zu.bin", failed);
	}
	free(all);
	free(out);
	return e;
}
