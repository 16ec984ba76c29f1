// SPDX-License-Identifier: MIT
/* Finding and reading the SE header of an image file. */
#include "lib/s390/s390_pv_image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/io.h"

#define HEAD_MAX (16u << 20)

enum cgs_err s390_pv_image_read_head(const char *path, uint8_t **ret_buf, size_t *ret_len,
				     uint64_t *ret_hdr_off, struct cgs_diag *d)
{
	size_t want = S390_PV_HDR_FIND_WINDOW, len, size;
	struct s390_pv_meta m;
	uint64_t off;
	uint8_t *buf;
	enum cgs_err err = cgs_read_prefix(path, want, &buf, &len, d);

	if (err)
		return err;
	/* a pvimg metadata block may point beyond the window (long stage3a, big images) */
	if (!s390_pv_meta_parse(buf, len, &m, NULL) && len == want && strcmp(path, "-")) {
		uint64_t need =
		    (m.hdr_off > m.ipib_off ? m.hdr_off : m.ipib_off) + S390_PV_HDR_MAX_SIZE;

		if (need > want && need <= HEAD_MAX) {
			free(buf);
			if ((err = cgs_read_prefix(path, (size_t)need, &buf, &len, d)))
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
