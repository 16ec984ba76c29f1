// SPDX-License-Identifier: MIT
#include "lib/pef/elf_flat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>
#include <openssl/evp.h>

#include "lib/core/crypto.h"
#include "lib/core/io.h"

struct flat_sec {
	uint64_t lma;
	uint64_t size;
	Elf_Scn *scn;
};

int elf_flat_is_elf(const uint8_t *data, size_t len)
{
	return len >= 4 && !memcmp(data, ELFMAG, SELFMAG);
}

static enum cgs_err elf_err(struct cgs_diag *d, enum cgs_err err, const char *what)
{
	return cgs_diag_set(d, err, NULL, CGS_DIAG_NO_OFFSET, "%s: %s", what,
			    elf_errmsg(elf_errno()));
}

/* Open path with libelf (read-only, mapped); a non-ELF file is CGS_E_MALFORMED. */
static enum cgs_err open_elf(const char *path, int *ret_fd, Elf **ret_elf, struct cgs_diag *d)
{
	int fd;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_err(d, CGS_E_INTERNAL, "libelf initialisation failed");
	if (cgs_open_fd(path, CGS_STREAM_MAX, &fd, d))
		return d->err;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		close(fd);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0,
				    "not an ELF file (a vmlinux ELF is needed)");
	}
	*ret_fd = fd;
	*ret_elf = e;
	return CGS_OK;
}

static void close_elf(int fd, Elf *e)
{
	elf_end(e);
	close(fd);
}

static const char *sec_name(Elf *e, const GElf_Shdr *sh)
{
	size_t shstrndx;
	const char *n = NULL;

	if (elf_getshdrstrndx(e, &shstrndx) == 0)
		n = elf_strptr(e, shstrndx, sh->sh_name);
	return n ? n : "";
}

static enum cgs_err check_kernel(Elf *e, struct cgs_diag *d)
{
	GElf_Ehdr eh;
	Elf_Scn *scn = NULL;

	if (!gelf_getehdr(e, &eh))
		return elf_err(d, CGS_E_MALFORMED, "unreadable ELF header");
	if (eh.e_machine != EM_PPC64 || gelf_getclass(e) != ELFCLASS64)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "e_machine", 0x12,
				    "not a ppc64 ELF (machine %u): a POWER vmlinux is needed",
				    eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "e_type", 0x10,
				    "not an executable ELF (type %u): a linked vmlinux is needed",
				    eh.e_type);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && !strncmp(sec_name(e, &sh), ".kernel:", 8))
			return cgs_diag_set(d, CGS_E_UNSUPPORTED, sec_name(e, &sh),
					    CGS_DIAG_NO_OFFSET,
					    "this is a zImage (boot wrapper), not a vmlinux: the "
					    "Ultravisor hashes the vmlinux image");
	}
	return CGS_OK;
}

/* Load address of an address: through the PT_LOAD that holds it, else itself. */
static uint64_t lma_of(Elf *e, uint64_t addr, uint64_t size)
{
	size_t n = 0;

	if (elf_getphdrnum(e, &n))
		return addr;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr <= ph.p_memsz &&
		    size <= ph.p_memsz - (addr - ph.p_vaddr))
			return addr - ph.p_vaddr + ph.p_paddr;
	}
	return addr;
}

static int cmp_sec(const void *a, const void *b)
{
	const struct flat_sec *x = a, *y = b;

	return x->lma < y->lma ? -1 : x->lma > y->lma;
}

static enum cgs_err collect(Elf *e, struct flat_sec **ret, size_t *ret_n, struct cgs_diag *d)
{
	size_t n = 0, cap = 0;
	struct flat_sec *v = NULL, *t;
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh)) {
			free(v);
			return elf_err(d, CGS_E_MALFORMED, "unreadable section header");
		}
		if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS || !sh.sh_size)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			t = realloc(v, cap * sizeof(*v));
			if (!t) {
				free(v);
				return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
						    "out of memory");
			}
			v = t;
		}
		v[n].lma = lma_of(e, sh.sh_addr, sh.sh_size);
		v[n].size = sh.sh_size;
		v[n].scn = scn;
		n++;
	}
	if (!n) {
		free(v);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "the ELF has no loadable contents");
	}
	qsort(v, n, sizeof(*v), cmp_sec);
	*ret = v;
	*ret_n = n;
	return CGS_OK;
}

static enum cgs_err emit(Elf *e, const struct flat_sec *v, size_t n, cgs_chunk_fn cb,
			 void *ctx, uint64_t *ret_size, struct cgs_diag *d)
{
	static const uint8_t zeros[65536];
	uint64_t pos = v[0].lma, end = pos;
	enum cgs_err err = CGS_OK;

	for (size_t i = 0; i < n; i++)
		if (v[i].lma + v[i].size > end)
			end = v[i].lma + v[i].size;
	if (end - v[0].lma > ELF_FLAT_MAX_IMAGE)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, NULL, CGS_DIAG_NO_OFFSET,
				    "flat image of %llu bytes is over the 1 GiB limit",
				    (unsigned long long)(end - v[0].lma));
	for (size_t i = 0; !err && i < n; i++) {
		Elf_Data *data = elf_rawdata(v[i].scn, NULL);

		if (v[i].lma < pos)
			return cgs_diag_set(d, CGS_E_UNSUPPORTED, NULL, CGS_DIAG_NO_OFFSET,
					    "sections overlap at load address 0x%llx",
					    (unsigned long long)v[i].lma);
		if (!data || data->d_size != v[i].size || !data->d_buf)
			return elf_err(d, CGS_E_MALFORMED, "section contents unreadable");
		while (!err && pos < v[i].lma) {
			size_t k = v[i].lma - pos > sizeof(zeros) ? sizeof(zeros) :
								    (size_t)(v[i].lma - pos);

			err = cb(ctx, zeros, k);
			pos += k;
		}
		if (!err)
			err = cb(ctx, data->d_buf, data->d_size);
		pos += v[i].size;
	}
	if (!err && ret_size)
		*ret_size = pos - v[0].lma;
	return err;
}

enum cgs_err elf_flat_stream(const char *path, cgs_chunk_fn cb, void *ctx, uint64_t *ret_size,
			     struct cgs_diag *d)
{
	struct flat_sec *v = NULL;
	size_t n = 0;
	int fd;
	Elf *e;
	enum cgs_err err = open_elf(path, &fd, &e, d);

	if (err)
		return err;
	err = check_kernel(e, d);
	if (!err)
		err = collect(e, &v, &n, d);
	if (!err)
		err = emit(e, v, n, cb, ctx, ret_size, d);
	free(v);
	close_elf(fd, e);
	return err;
}

static enum cgs_err md_update(void *ctx, const uint8_t *data, size_t len)
{
	return EVP_DigestUpdate(ctx, data, len) ? CGS_OK : CGS_E_CRYPTO;
}

enum cgs_err elf_flat_digest(const char *path, const char *md, uint8_t *out,
			     uint64_t *ret_size, struct cgs_diag *d)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *alg = EVP_MD_fetch(NULL, md, NULL);
	enum cgs_err err = CGS_OK;

	if (!ctx || !alg || !EVP_DigestInit_ex(ctx, alg, NULL))
		err = cgs_diag_openssl(d, "cannot start %s", md);
	if (!err)
		err = elf_flat_stream(path, md_update, ctx, ret_size, d);
	if (err == CGS_E_CRYPTO && d && !d->text[0])
		cgs_diag_openssl(d, "%s failed", md);
	if (!err && !EVP_DigestFinal_ex(ctx, out, NULL))
		err = cgs_diag_openssl(d, "%s failed", md);
	EVP_MD_free(alg);
	EVP_MD_CTX_free(ctx);
	return err;
}

static Elf_Scn *find_section(Elf *e, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && !strcmp(sec_name(e, &sh), name))
			return scn;
	}
	return NULL;
}

enum cgs_err elf_section_read(const char *path, const char *name, uint8_t **ret_data,
			      size_t *ret_len, struct cgs_diag *d)
{
	int fd;
	Elf *e;
	Elf_Scn *scn;
	Elf_Data *data;
	uint8_t *copy;
	enum cgs_err err = open_elf(path, &fd, &e, d);

	if (err)
		return err;
	scn = find_section(e, name);
	data = scn ? elf_rawdata(scn, NULL) : NULL;
	if (!data || (!data->d_buf && data->d_size)) {
		close_elf(fd, e);
		return cgs_diag_set(d, CGS_E_MALFORMED, name, CGS_DIAG_NO_OFFSET,
				    "the ELF file has no section '%s'", name);
	}
	copy = malloc(data->d_size ? data->d_size : 1);
	if (!copy) {
		close_elf(fd, e);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	memcpy(copy, data->d_buf, data->d_size);
	*ret_len = data->d_size;
	*ret_data = copy;
	close_elf(fd, e);
	return CGS_OK;
}

/* Add the section to the ELF open read-write on fd. */
static enum cgs_err add_to(int fd, const char *name, const void *blob, size_t len,
			   struct cgs_diag *d)
{
	Elf *e = elf_begin(fd, ELF_C_RDWR, NULL);
	enum cgs_err err = CGS_OK;
	GElf_Ehdr eh;
	GElf_Shdr sh, nsh;
	Elf_Scn *str = NULL, *scn;
	Elf_Data *sd, *nd;
	size_t shstrndx;

	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh))
		err = cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0, "not an ELF object file");
	else if (eh.e_machine != EM_PPC64 || eh.e_type != ET_REL)
		err = cgs_diag_set(d, CGS_E_UNSUPPORTED, "e_type", 0x10,
				   "not a ppc64 relocatable object (the kernel wrapper's "
				   "intermediate object is needed; a linked image ignores the section)");
	else if (find_section(e, name))
		err = cgs_diag_set(d, CGS_E_UNSUPPORTED, name, CGS_DIAG_NO_OFFSET,
				   "the object already has a section '%s'", name);
	else if (elf_getshdrstrndx(e, &shstrndx) || !(str = elf_getscn(e, shstrndx)) ||
		 !gelf_getshdr(str, &sh))
		err = elf_err(d, CGS_E_MALFORMED, "no section name table");
	if (err) {
		if (e)
			elf_end(e);
		return err;
	}
	sd = elf_newdata(str);
	scn = elf_newscn(e);
	nd = scn ? elf_newdata(scn) : NULL;
	if (!sd || !nd || !gelf_getshdr(scn, &nsh)) {
		elf_end(e);
		return elf_err(d, CGS_E_INTERNAL, "cannot add a section");
	}
	sd->d_buf = (void *)(uintptr_t)name;
	sd->d_size = strlen(name) + 1;
	sd->d_type = ELF_T_BYTE;
	sd->d_align = 1;
	nd->d_buf = (void *)(uintptr_t)blob;
	nd->d_size = len;
	nd->d_type = ELF_T_BYTE;
	nd->d_align = 1;
	nsh.sh_name = (Elf64_Word)sh.sh_size;
	nsh.sh_type = SHT_PROGBITS;
	nsh.sh_flags = SHF_ALLOC;
	nsh.sh_addralign = 1;
	nsh.sh_size = len;
	if (!gelf_update_shdr(scn, &nsh) || elf_update(e, ELF_C_WRITE) < 0)
		err = elf_err(d, CGS_E_IO, "cannot write the ELF object");
	elf_end(e);
	return err;
}

static enum cgs_err copy_fd(const char *in, int out, struct cgs_diag *d)
{
	uint8_t buf[65536];
	FILE *f;
	size_t n;
	enum cgs_err err = cgs_open_input(in, &f, d);

	if (err)
		return err;
	while (!err && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (write(out, buf, n) != (ssize_t)n)
			err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
					   "write error: %s", strerror(errno));
	if (!err && ferror(f))
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "read error");
	if (f != stdin)
		fclose(f);
	return err;
}

enum cgs_err elf_section_add(const char *in, const char *out, unsigned flags, const char *name,
			     const void *data, size_t len, struct cgs_diag *d)
{
	struct cgs_out o;
	enum cgs_err err;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_err(d, CGS_E_INTERNAL, "libelf initialisation failed");
	/* the atomic output's temporary file is written through its descriptor by libelf */
	err = cgs_out_open(&o, out, flags, d);
	if (err)
		return err;
	if (!o.path) {
		cgs_out_abort(&o);
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				    "an ELF object cannot be written to standard output");
	}
	fd = fileno(o.f);
	err = copy_fd(in, fd, d);
	if (!err)
		err = add_to(fd, name, data, len, d);
	if (!err)
		return cgs_out_commit(&o, d);
	cgs_out_abort(&o);
	return err;
}
