/* SPDX-License-Identifier: MIT */
/*
 * File input and output, one place for every tool: bounded whole-file reads,
 * streamed reads, and atomic output (temporary file beside the target, renamed
 * on success). "-" means stdin or stdout.
 *
 * Inputs never block and never grow without bound: open() is non-blocking; a
 * named FIFO with no data or writer within CGS_FIFO_WAIT_MS (environment
 * variable of that name, default 2000) is refused (CGS_E_NOINPUT, exit 66); a
 * pipe (process substitution, `<(zcat x)`) is read as it comes; a directory, a
 * device (/dev/zero; /dev/null reads as empty) or a socket is refused
 * (CGS_E_NOINPUT); a regular file larger than the cap is refused from its size
 * before any read (CGS_E_MALFORMED, exit 65); a pipe is read up to the cap
 * plus one byte and no further.
 */

#define CGS_FIFO_WAIT_MS 2000
/* The wait for a named FIFO's writer: $CGS_FIFO_WAIT_MS or the default. */
int cgs_io_fifo_wait_ms(void);
#ifndef CGS_LIB_CORE_IO_H
#define CGS_LIB_CORE_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/core/err.h"

/* The cap on a streamed input (kernel, initrd, ...) and on cgs_open_input's files. */
#define CGS_STREAM_MAX (2ull << 30)

/*
 * Read a whole file (or stdin for "-") of at most max bytes into a new
 * buffer (NUL-terminated for convenience, not counted in *ret_len).
 * CGS_E_NOINPUT if missing/unreadable/not a file, CGS_E_MALFORMED if larger
 * than max. Never allocates more than max + 1 bytes.
 */
enum cgs_err cgs_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len,
			   struct cgs_diag *d);

/*
 * Read at most want bytes from the start of a file (or stdin) into a new
 * buffer; *ret_len may be less than want for a short file.
 */
enum cgs_err cgs_read_prefix(const char *path, size_t want, uint8_t **ret_data, size_t *ret_len,
			     struct cgs_diag *d);

/* Growth of cgs_read_file's buffer: the next size, at most max + 1 (for tests). */
size_t cgs_io_grow(size_t alloc, size_t len, size_t max);

/* Free a buffer from cgs_read_file, wiping it first (for key material). */
void cgs_free_secret(uint8_t *data, size_t len);

/*
 * Stream a file (or stdin) in chunks to cb; the chunk buffer is reused.
 * *ret_size gets the total size. A non-zero return from cb stops and is returned.
 * Inputs over CGS_STREAM_MAX are CGS_E_MALFORMED.
 */
typedef enum cgs_err (*cgs_chunk_fn)(void *ctx, const uint8_t *data, size_t len);
enum cgs_err cgs_stream_file(const char *path, cgs_chunk_fn cb, void *ctx, uint64_t *ret_size,
			     struct cgs_diag *d);

/*
 * Open a file for reading ("-" = stdin) with the checks above (cap:
 * CGS_STREAM_MAX); CGS_E_NOINPUT with a diagnostic on failure.
 */
enum cgs_err cgs_open_input(const char *path, FILE **ret_f, struct cgs_diag *d);

/*
 * The same checks for a reader that needs a file descriptor (libelf, mmap):
 * *ret_fd is the caller's to close ("-" gives a duplicate of stdin).
 */
enum cgs_err cgs_open_fd(const char *path, uint64_t max, int *ret_fd, struct cgs_diag *d);

/* Size of a regular file, or CGS_E_NOINPUT (CGS_E_MALFORMED over CGS_STREAM_MAX). */
enum cgs_err cgs_file_size(const char *path, uint64_t *ret_size, struct cgs_diag *d);

/*
 * Atomic output. The target must be new, or with CGS_OUT_FORCE an existing
 * regular file (a symbolic link is followed: its target is replaced, the link
 * kept). A FIFO, device, socket or directory is never written or replaced,
 * with or without --force: CGS_E_USAGE (64). An existing file without
 * --force: CGS_E_EXISTS (1). Every failure removes the temporary file.
 */
#define CGS_OUT_FORCE 0x1u  /* replace an existing target */
#define CGS_OUT_SECRET 0x2u /* mode 0600 */

struct cgs_out {
	FILE *f;
	char *path;  /* target (symbolic links resolved), or NULL for stdout */
	char *tmp;   /* temporary file beside the target */
	unsigned flags;
};

/* Start writing to path ("-" = stdout). */
enum cgs_err cgs_out_open(struct cgs_out *o, const char *path, unsigned flags,
			  struct cgs_diag *d);
/* Write bytes; errors are reported at commit. */
enum cgs_err cgs_out_write(struct cgs_out *o, const void *data, size_t len, struct cgs_diag *d);
/*
 * Flush, fsync and close (every error checked), then rename into place. On
 * failure the temporary file is removed and the target left as it was.
 */
enum cgs_err cgs_out_commit(struct cgs_out *o, struct cgs_diag *d);
/*
 * Commit several outputs as one, all or none: every temporary is finished
 * first, then all are renamed; if anything fails, the temporaries are removed
 * and outputs already renamed are removed again. NULL entries are skipped.
 * *ret_failed (may be NULL) gets the index of the output that failed.
 */
enum cgs_err cgs_out_commit_all(struct cgs_out *const *outs, size_t n, size_t *ret_failed,
				struct cgs_diag *d);
/* Abandon the output: remove the temporary file. Safe to call after commit. */
void cgs_out_abort(struct cgs_out *o);
/* Abandon several outputs (NULL entries skipped). */
void cgs_out_abort_all(struct cgs_out *const *outs, size_t n);

/* Write a whole buffer atomically (open + write + commit). */
enum cgs_err cgs_write_file(const char *path, const void *data, size_t len, unsigned flags,
			    struct cgs_diag *d);

/* One buffer for cgs_write_files; a NULL path is skipped (an optional output). */
struct cgs_out_buf {
	const char *path;
	const void *data;
	size_t len;
	unsigned flags;
};
#define CGS_OUT_MAX 8

/*
 * Write up to CGS_OUT_MAX buffers, all or none (see cgs_out_commit_all).
 * *ret_failed (may be NULL) gets the index of the output that failed.
 */
enum cgs_err cgs_write_files(const struct cgs_out_buf *bufs, size_t n, size_t *ret_failed,
			     struct cgs_diag *d);

#endif
