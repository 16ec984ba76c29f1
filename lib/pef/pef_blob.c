// SPDX-License-Identifier: MIT
#include "lib/pef/pef_blob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "formats/pef_esm.h"
#include "lib/core/buf.h"
#include "lib/pef/cpio.h"
#include "lib/pef/elf_flat.h"
#include "lib/core/endian.h"
#include "lib/core/io.h"

#define PREFIX_MAX (2u << 20)

const char *pef_blob_kind_name(enum pef_blob_kind k)
{
	switch (k) {
	case PEF_BLOB_FILE:
		return "blob";
	case PEF_BLOB_INITRD:
		return "initrd";
	case PEF_BLOB_ELF:
		return "elf";
	}
	return "?";
}

void pef_blob_src_free(struct pef_blob_src *s)
{
	free(s->blob);
	s->blob = NULL;
}

static enum cgs_err own_copy(struct pef_blob_src *s, const uint8_t *p, size_t len,
			     struct cgs_diag *d)
{
	s->blob = malloc(len ? len : 1);
	if (!s->blob)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(s->blob, p, len);
	s->len = len;
	return CGS_OK;
}

enum cgs_err pef_blob_load(const char *path, struct pef_blob_src *ret, struct cgs_diag *d)
{
	struct pef_blob_src s = { 0 };
	struct cpio_esm_scan sc;
	uint8_t *buf = NULL;
	size_t n = 0;
	enum cgs_err err = cgs_read_prefix(path, PREFIX_MAX, &buf, &n, d);

	if (err)
		return err;
	if (n >= 4 && cgs_be32(buf) == 0xd00dfeedu) {
		s.kind = PEF_BLOB_FILE;
		if (n == PREFIX_MAX)
			err = cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					   "blob larger than %u bytes", PREFIX_MAX - 1);
		else
			err = own_copy(&s, buf, n, d);
	} else if (cpio_is_newc(buf, n)) {
		s.kind = PEF_BLOB_INITRD;
		err = cpio_esm_scan(buf, n, &sc, d);
		if (!err) {
			s.blob_off = sc.blob_off;
			s.initrd_off = sc.initrd_off;
			snprintf(s.entry, sizeof(s.entry), "%s", sc.name);
			err = own_copy(&s, buf + sc.blob_off, sc.blob_len, d);
		}
	} else if (elf_flat_is_elf(buf, n)) {
		s.kind = PEF_BLOB_ELF;
		snprintf(s.entry, sizeof(s.entry), "%s", ELF_ESM_SECTION);
		err = elf_section_read(path, ELF_ESM_SECTION, &s.blob, &s.len, d);
	} else {
		err = cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0,
				   "not an ESM blob: neither a device tree, an initrd starting "
				   "with the ESM cpio archive, nor an ELF file");
	}
	free(buf);
	if (err) {
		pef_blob_src_free(&s);
		return err;
	}
	*ret = s;
	return CGS_OK;
}

struct copy_ctx {
	struct cgs_out *o;
	uint64_t skip;
	EVP_MD_CTX *md;
	struct cgs_diag *d;
};

static enum cgs_err copy_chunk(void *arg, const uint8_t *data, size_t len)
{
	struct copy_ctx *c = arg;

	if (c->skip >= len) {
		c->skip -= len;
		return CGS_OK;
	}
	data += c->skip;
	len -= (size_t)c->skip;
	c->skip = 0;
	if (c->md && !EVP_DigestUpdate(c->md, data, len))
		return cgs_diag_set(c->d, CGS_E_CRYPTO, NULL, CGS_DIAG_NO_OFFSET, "SHA-512 failed");
	return cgs_out_write(c->o, data, len, c->d);
}

enum cgs_err pef_blob_write_initrd(const char *out, unsigned flags, const char *name,
				   const uint8_t *blob, size_t len, const char *initrd,
				   uint64_t skip, const uint8_t *expect_sha512, struct cgs_diag *d)
{
	struct cgs_buf cp = CGS_BUF_INIT;
	struct cgs_out o;
	struct copy_ctx c = { &o, skip, NULL, d };
	uint8_t got[64];
	enum cgs_err err = cpio_esm_build(name, blob, len, &cp, d);

	if (!err && expect_sha512 &&
	    (!(c.md = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(c.md, EVP_sha512(), NULL)))
		err = cgs_diag_set(d, CGS_E_CRYPTO, NULL, CGS_DIAG_NO_OFFSET, "SHA-512 failed");
	if (!err)
		err = cgs_out_open(&o, out, flags, d);
	if (err) {
		EVP_MD_CTX_free(c.md);
		cgs_buf_free(&cp, 0);
		return err;
	}
	err = cgs_out_write(&o, cp.data, cp.len, d);
	if (!err && initrd)
		err = cgs_stream_file(initrd, copy_chunk, &c, NULL, d);
	if (!err && c.md && (!EVP_DigestFinal_ex(c.md, got, NULL) || memcmp(got, expect_sha512, 64)))
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
				   "the initrd changed while it was read: measure it again");
	EVP_MD_CTX_free(c.md);
	cgs_buf_free(&cp, 0);
	if (!err)
		return cgs_out_commit(&o, d);
	cgs_out_abort(&o);
	return err;
}
