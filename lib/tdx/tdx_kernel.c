// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "formats/pe_coff.h"
#include "lib/core/io.h"

#define READ_CHUNK (1u << 20)

/* Where the bytes come from: the patched head in memory, the rest from a file or buffer. */
struct ksrc {
	uint8_t *head;
	size_t head_len;
	FILE *f;
	const uint8_t *mem;
	uint8_t *buf; /* READ_CHUNK bytes, for the file */
};

static enum cgs_err read_at(struct ksrc *s, uint64_t off, size_t n, const uint8_t **ret,
			    struct cgs_diag *d)
{
	if (s->mem) {
		*ret = s->mem + off;
		return CGS_OK;
	}
	if (fseeko(s->f, (off_t)off, SEEK_SET) != 0 || fread(s->buf, 1, n, s->f) != n)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, off, "read error: %s",
				    ferror(s->f) ? strerror(errno) : "file shrank while read");
	*ret = s->buf;
	return CGS_OK;
}

static enum cgs_err hash_range(EVP_MD_CTX *ctx, struct ksrc *s, uint64_t off, uint64_t len,
			       struct cgs_diag *d)
{
	while (len) {
		const uint8_t *p = NULL;
		size_t n;
		enum cgs_err err;

		if (off < s->head_len) {
			n = s->head_len - off < len ? (size_t)(s->head_len - off) : (size_t)len;
			p = s->head + off;
		} else {
			n = len < READ_CHUNK ? (size_t)len : READ_CHUNK;
			err = read_at(s, off, n, &p, d);
			if (err)
				return err;
		}
		if (!EVP_DigestUpdate(ctx, p, n))
			return cgs_diag_openssl(d, "SHA-384 of the kernel failed");
		off += n;
		len -= n;
	}
	return CGS_OK;
}

static enum cgs_err digest(struct ksrc *s, uint64_t size, const struct bzimage_load *load,
			   struct tdx_kernel_result *ret, struct cgs_diag *d)
{
	struct pe_authenticode a;
	EVP_MD_CTX *ctx;
	enum cgs_err err;

	err = bzimage_qemu_patch(s->head, s->head_len, size, load, &ret->patch, d);
	if (!err)
		err = pe_authenticode_layout(s->head, s->head_len, size, &a, d);
	if (err)
		return err;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha384(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return cgs_diag_openssl(d, "cannot start SHA-384");
	}
	for (size_t i = 0; !err && i < a.n; i++)
		err = hash_range(ctx, s, a.r[i].offset, a.r[i].length, d);
	if (!err && !EVP_DigestFinal_ex(ctx, ret->digest, NULL))
		err = cgs_diag_openssl(d, "SHA-384 of the kernel failed");
	EVP_MD_CTX_free(ctx);
	ret->size = size;
	ret->hashed = a.hashed;
	return err;
}

enum cgs_err tdx_kernel_digest_mem(const uint8_t *k, size_t len, const struct bzimage_load *load,
				   struct tdx_kernel_result *ret, struct cgs_diag *d)
{
	struct ksrc s = {NULL, len < TDX_KERNEL_HEAD ? len : TDX_KERNEL_HEAD, NULL, k, NULL};
	enum cgs_err err;

	s.head = malloc(TDX_KERNEL_HEAD);
	if (!s.head)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(s.head, k, s.head_len);
	err = digest(&s, len, load, ret, d);
	free(s.head);
	return err;
}

static enum cgs_err open_kernel(const char *path, FILE **ret_f, uint64_t *ret_size,
				struct cgs_diag *d)
{
	struct stat st;
	enum cgs_err err = cgs_open_input(path, ret_f, d);

	if (err)
		return err;
	if (fstat(fileno(*ret_f), &st) != 0 || !S_ISREG(st.st_mode)) {
		if (*ret_f != stdin)
			fclose(*ret_f);
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				    "not a regular file (the kernel is read at several offsets)");
	}
	*ret_size = (uint64_t)st.st_size;
	return CGS_OK;
}

enum cgs_err tdx_kernel_digest(const char *path, const struct bzimage_load *load,
			       struct tdx_kernel_result *ret, struct cgs_diag *d)
{
	struct ksrc s = {NULL, 0, NULL, NULL, NULL};
	uint64_t size = 0;
	enum cgs_err err = open_kernel(path, &s.f, &size, d);

	if (err)
		return err;
	s.head_len = size < TDX_KERNEL_HEAD ? (size_t)size : TDX_KERNEL_HEAD;
	s.head = malloc(TDX_KERNEL_HEAD);
	s.buf = malloc(READ_CHUNK);
	if (!s.head || !s.buf)
		err = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	else if (fread(s.head, 1, s.head_len, s.f) != s.head_len)
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, 0, "read error: %s", strerror(errno));
	if (!err)
		err = digest(&s, size, load, ret, d);
	if (s.f != stdin)
		fclose(s.f);
	free(s.head);
	free(s.buf);
	return err;
}
