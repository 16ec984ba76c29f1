/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, for building outputs of unknown size. */
#ifndef CGS_LIB_CORE_BUF_H
#define CGS_LIB_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

struct cgs_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

#define CGS_BUF_INIT { NULL, 0, 0 }

/* Make room for at least extra more bytes. */
enum cgs_err cgs_buf_reserve(struct cgs_buf *b, size_t extra);
/* Append len bytes (data may be NULL: append zeros). */
enum cgs_err cgs_buf_append(struct cgs_buf *b, const void *data, size_t len);
/* Append zero bytes until len is a multiple of align (a power of two). */
enum cgs_err cgs_buf_pad(struct cgs_buf *b, size_t align);
/* Free the storage; with wipe, cleanse it first. */
void cgs_buf_free(struct cgs_buf *b, int wipe);

#endif
