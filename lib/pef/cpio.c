// SPDX-License-Identifier: MIT
#include "lib/pef/cpio.h"

#include <stdio.h>
#include <string.h>

#include "lib/core/endian.h"

#define NEWC_MAGIC "070701"
#define NEWC_HDR 110
#define FDT_MAGIC_BE 0xd00dfeedu

int cpio_is_newc(const uint8_t *data, size_t len)
{
	return len >= 6 && !memcmp(data, NEWC_MAGIC, 6);
}

static enum cgs_err add_entry(struct cgs_buf *out, unsigned ino, unsigned mode, unsigned nlink,
			      const char *name, const uint8_t *data, size_t len)
{
	char hdr[NEWC_HDR + 64];
	size_t nlen = strlen(name) + 1;
	enum cgs_err err;

	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08zX%08X", NEWC_MAGIC, ino,
		 mode, 0u, 0u, nlink, 0u, (unsigned)len, 0u, 0u, 0u, 0u, nlen, 0u);
	err = cgs_buf_append(out, hdr, NEWC_HDR);
	if (!err)
		err = cgs_buf_append(out, name, nlen);
	if (!err)
		err = cgs_buf_pad(out, 4);
	if (!err && len)
		err = cgs_buf_append(out, data, len);
	if (!err)
		err = cgs_buf_pad(out, 4);
	return err;
}

enum cgs_err cpio_esm_build(const char *name, const uint8_t *blob, size_t len,
			    struct cgs_buf *out, struct cgs_diag *d)
{
	static const char *const dirs[] = { ".", "opt", "opt/ibm", CPIO_ESM_DIR };
	char path[256];
	size_t start = out->len;
	enum cgs_err err = CGS_OK;
	unsigned ino = 1;

	if (!name[0] || strchr(name, '/') || strlen(name) > 64 || len > UINT32_MAX)
		return cgs_diag_set(d, CGS_E_USAGE, "name", CGS_DIAG_NO_OFFSET,
				    "invalid blob file name '%s'", name);
	snprintf(path, sizeof(path), "%s/%s", CPIO_ESM_DIR, name);
	for (size_t i = 0; !err && i < 4; i++)
		err = add_entry(out, ino++, 0040755, 2, dirs[i], NULL, 0);
	if (!err)
		err = add_entry(out, ino++, 0100600, 1, path, blob, len);
	if (!err)
		err = add_entry(out, 0, 0, 1, "TRAILER!!!", NULL, 0);
	while (!err && (out->len - start) % CPIO_BLOCK)
		err = cgs_buf_append(out, NULL, 1);
	if (err)
		return cgs_diag_set(d, err, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	return CGS_OK;
}

static int hex8(const uint8_t *p, uint32_t *ret)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*ret = v;
	return 0;
}

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

/* Find the blob inside the first data entry (which must be under opt/ibm/pef). */
static enum cgs_err take_blob(const uint8_t *data, size_t off, size_t fsize, const char *name,
			      struct cpio_esm_scan *s, struct cgs_diag *d)
{
	if (strncmp(name, CPIO_ESM_DIR, strlen(CPIO_ESM_DIR)))
		return cgs_diag_set(d, CGS_E_MALFORMED, name, off,
				    "first file of the initrd is not under opt/ibm/pef "
				    "(no ESM cpio archive)");
	for (size_t p = 0; p + 8 <= fsize; p += 4) {
		if (cgs_be32(data + off + p) != FDT_MAGIC_BE)
			continue;
		s->blob_off = off + p;
		s->blob_len = cgs_be32(data + off + p + 4);
		if (s->blob_len > fsize - p || s->blob_len < 40)
			return cgs_diag_set(d, CGS_E_MALFORMED, name, off + p,
					    "ESM blob size does not fit its cpio entry");
		snprintf(s->name, sizeof(s->name), "%s", name);
		return CGS_OK;
	}
	return cgs_diag_set(d, CGS_E_MALFORMED, name, off, "no device tree in the ESM file");
}

enum cgs_err cpio_esm_scan(const uint8_t *data, size_t len, struct cpio_esm_scan *ret,
			   struct cgs_diag *d)
{
	struct cpio_esm_scan s = { 0 };
	size_t off = 0;
	int found = 0;

	for (;;) {
		uint32_t f[13];
		char name[128];

		if (off > len || len - off < NEWC_HDR)
			return cgs_diag_set(d, CGS_E_MALFORMED, "cpio header", off,
					    "truncated ESM cpio archive");
		if (memcmp(data + off, NEWC_MAGIC, 6))
			return cgs_diag_set(d, CGS_E_MALFORMED, "cpio header", off,
					    "not a newc cpio header (the ESM cpio archive must "
					    "come first, uncompressed)");
		for (int i = 0; i < 13; i++)
			if (hex8(data + off + 6 + 8 * i, &f[i]))
				return cgs_diag_set(d, CGS_E_MALFORMED, "cpio header", off,
						    "bad hex digit");
		/* f[6] filesize, f[11] namesize */
		if (f[11] < 1 || f[11] > sizeof(name) || len - off - NEWC_HDR < f[11])
			return cgs_diag_set(d, CGS_E_MALFORMED, "c_namesize", off,
					    "invalid or truncated name");
		memcpy(name, data + off + NEWC_HDR, f[11]);
		name[f[11] - 1] = '\0';
		if (f[11] == 11 && !strcmp(name, "TRAILER!!!"))
			break;
		off = align4(off + NEWC_HDR + f[11]);
		if (off > len || len - off < f[6])
			return cgs_diag_set(d, CGS_E_MALFORMED, name, off,
					    "truncated cpio entry");
		if (f[6] && !found) {
			enum cgs_err err = take_blob(data, off, f[6], name, &s, d);

			if (err)
				return err;
			found = 1;
		}
		off = align4(off + f[6]);
	}
	if (!found)
		return cgs_diag_set(d, CGS_E_MALFORMED, "cpio", off,
				    "ESM cpio archive holds no blob");
	off += NEWC_HDR + 11;
	s.initrd_off = (off + CPIO_BLOCK - 1) / CPIO_BLOCK * CPIO_BLOCK;
	*ret = s;
	return CGS_OK;
}
