/* SPDX-License-Identifier: MIT */
/*
 * File input and output: bounded whole-file reads, streamed reads, and atomic
 * output (temporary file beside the target, renamed on success). "-" means
 * stdin or stdout.
 */
#ifndef CGS_LIB_CORE_IO_H
#define CGS_LIB_CORE_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/core/err.h"

/*
 * Read a whole file (or stdin for "-") of at most max bytes into a new
 * buffer (NUL-terminated for convenience, not counted in *ret_len).
 * CGS_E_NOINPUT if missing/unreadable, CGS_E_MALFORMED if larger than max.
 */
enum cgs_err cgs_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len,
			   struct cgs_diag *d);

/*
 * Read at most want bytes from the start of a file (or stdin) into a new
 * buffer; *ret_len may be less than want for a short file.
 */
enum cgs_err cgs_read_prefix(const char *path, size_t want, uint8_t **ret_data, size_t *ret_len,
			     struct cgs_diag *d);

/* Free a buffer from cgs_read_file, wiping it first (for key material). */
void cgs_free_secret(uint8_t *data, size_t len);

/*
 * Stream a file (or stdin) in chunks to cb; the chunk buffer is reused.
 * *ret_size gets the total size. A non-zero return from cb stops and is returned.
 */
typedef enum cgs_err (*cgs_chunk_fn)(void *ctx, const uint8_t *data, size_t len);
enum cgs_err cgs_stream_file(const char *path, cgs_chunk_fn cb, void *ctx, uint64_t *ret_size,
			     struct cgs_diag *d);

/* Open a file for reading ("-" = stdin); CGS_E_NOINPUT with a diagnostic on failure. */
enum cgs_err cgs_open_input(const char *path, FILE **ret_f, struct cgs_diag *d);

/* Size of a regular file, or CGS_E_NOINPUT. */
enum cgs_err cgs_file_size(const char *path, uint64_t *ret_size, struct cgs_diag *d);

/* atomic output */
#define CGS_OUT_FORCE 0x1u  /* replace an existing target */
#define CGS_OUT_SECRET 0x2u /* mode 0600 */

struct cgs_out {
	FILE *f;
	char *path;  /* target, or NULL for stdout */
	char *tmp;   /* temporary file beside the target */
	unsigned flags;
};

/* Start writing to path ("-" = stdout). Refuses an existing target unless FORCE. */
enum cgs_err cgs_out_open(struct cgs_out *o, const char *path, unsigned flags,
			  struct cgs_diag *d);
/* Write bytes; errors are reported at commit. */
enum cgs_err cgs_out_write(struct cgs_out *o, const void *data, size_t len, struct cgs_diag *d);
/* Flush, fsync and rename into place. On failure the temporary file is removed. */
enum cgs_err cgs_out_commit(struct cgs_out *o, struct cgs_diag *d);
/* Abandon the output: remove the temporary file. Safe to call after commit. */
void cgs_out_abort(struct cgs_out *o);

/* Write a whole buffer atomically (open + write + commit). */
enum cgs_err cgs_write_file(const char *path, const void *data, size_t len, unsigned flags,
			    struct cgs_diag *d);

#endif
