// SPDX-License-Identifier: MIT
/* Finding and reading the SE header of an image file. */
#include "lib/s390_pv_image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/io.h"

#define HEAD_MAX (16u << 20)

static enum cgs_err read_prefix(const char *path, size_t want, uint8_t **ret, size_t *ret_len,
				struct cgs_diag *d)
{
	FILE *f;
	uint8_t *buf;
	size_t n;
	enum cgs_err err = cgs_open_input(path, &f, d);

	if (err)
		return err;
	buf = malloc(want ? want : 1);
	if (!buf) {
		if (f != stdin)
			fclose(f);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	n = fread(buf, 1, want, f);
	err = ferror(f) ? cgs_diag_set(d, CGS_E_IO, NULL, n, "read error") : CGS_OK;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*ret = buf;
	*ret_len = n;
	return CGS_OK;
}

enum cgs_err s390_pv_image_read_head(const char *path, uint8_t **ret_buf, size_t *ret_len,
				     uint64_t *ret_hdr_off, struct cgs_diag *d)
{
	size_t want = S390_PV_HDR_FIND_WINDOW, len, size;
	struct s390_pv_meta m;
	uint64_t off;
	uint8_t *buf;
	enum cgs_err err = read_prefix(path, want, &buf, &len, d);

	if (err)
		return err;
	/* a pvimg metadata block may point beyond the window (long stage3a, big images) */
	if (!s390_pv_meta_parse(buf, len, &m, NULL) && len == want && strcmp(path, "-")) {
		uint64_t need =
		    (m.hdr_off > m.ipib_off ? m.hdr_off : m.ipib_off) + S390_PV_HDR_MAX_SIZE;

		if (need > want && need <= HEAD_MAX) {
			free(buf);
			if ((err = read_prefix(path, (size_t)need, &buf, &len, d)))
				return err;
		}
	}
	err = s390_pv_hdr_find(buf, len, &off, &size, d);
	if (err) {
		free(buf);
		return err;
	}
	*ret_buf = buf;
	*ret_len = len;
	*ret_hdr_off = off;
	return CGS_OK;
}

enum cgs_err s390_pv_image_read_hdr(const char *path, struct s390_pv_hdr *ret, uint64_t *ret_off,
				    struct cgs_diag *d)
{
	uint8_t *buf;
	size_t len;
	uint64_t off;
	enum cgs_err err = s390_pv_image_read_head(path, &buf, &len, &off, d);

	if (err)
		return err;
	err = s390_pv_hdr_parse(buf + off, len - off, ret, d);
	free(buf);
	if (!err)
		*ret_off = off;
	return err;
}
