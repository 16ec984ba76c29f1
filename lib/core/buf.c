// SPDX-License-Identifier: MIT
#include "lib/core/buf.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

enum cgs_err cgs_buf_reserve(struct cgs_buf *b, size_t extra)
{
	size_t cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len)
		return CGS_E_NOMEM;
	if (b->len + extra <= b->cap)
		return CGS_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra) {
		if (cap > SIZE_MAX / 2)
			return CGS_E_NOMEM;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		return CGS_E_NOMEM;
	b->data = p;
	b->cap = cap;
	return CGS_OK;
}

enum cgs_err cgs_buf_append(struct cgs_buf *b, const void *data, size_t len)
{
	enum cgs_err err = cgs_buf_reserve(b, len);

	if (err)
		return err;
	if (len) {
		if (data)
			memcpy(b->data + b->len, data, len);
		else
			memset(b->data + b->len, 0, len);
	}
	b->len += len;
	return CGS_OK;
}

enum cgs_err cgs_buf_pad(struct cgs_buf *b, size_t align)
{
	size_t rem = b->len & (align - 1);

	return rem ? cgs_buf_append(b, NULL, align - rem) : CGS_OK;
}

void cgs_buf_free(struct cgs_buf *b, int wipe)
{
	if (b->data && wipe)
		OPENSSL_cleanse(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
