// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* mkostemp */
#include "lib/core/io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define CHUNK (1u << 20)
#define FIRST_ALLOC (64u << 10)

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "is a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device, not a file";
	if (S_ISSOCK(m))
		return "is a socket, not a file";
	return NULL;
}

/* /dev/null, the conventional empty input: a device that can neither block nor bloat */
static int is_dev_null(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3;
}

/*
 * Check an opened input: no directory, device (but /dev/null) or socket (a
 * terminal on stdin is allowed: it ends with ^D); a regular file no larger
 * than max.
 */
static enum cgs_err check_input(int fd, int is_stdin, uint64_t max, struct stat *st,
				struct cgs_diag *d)
{
	const char *bad;

	if (fstat(fd, st) != 0)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    strerror(errno));
	bad = kind_of(st->st_mode);
	if (bad && !is_dev_null(st) && !(is_stdin && S_ISCHR(st->st_mode) && isatty(fd)))
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s", bad);
	if (S_ISREG(st->st_mode) && (uint64_t)st->st_size > max)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "larger than the limit of %llu bytes (%llu bytes)",
				    (unsigned long long)max, (unsigned long long)st->st_size);
	return CGS_OK;
}

/* Is this open FIFO a named one (mkfifo), not a pipe (`<(cmd)`, /dev/stdin)? */
static int is_named_fifo(const char *path, const struct stat *st)
{
	char *real = realpath(path, NULL);
	struct stat rs;
	int named = real && stat(real, &rs) == 0 && S_ISFIFO(rs.st_mode) &&
		    rs.st_dev == st->st_dev && rs.st_ino == st->st_ino;

	free(real);
	return named;
}

int cgs_io_fifo_wait_ms(void)
{
	const char *e = getenv("CGS_FIFO_WAIT_MS");
	long v = e && *e ? strtol(e, NULL, 10) : CGS_FIFO_WAIT_MS;

	return v < 0 ? 0 : v > INT_MAX ? INT_MAX : (int)v;
}

/*
 * A named FIFO may have no writer yet, or never: wait a bounded time for its
 * first data (or its end), then refuse rather than block.
 */
static enum cgs_err wait_writer(int fd, struct cgs_diag *d)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int ms = cgs_io_fifo_wait_ms(), r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		return CGS_OK;
	if (r == 0)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				    "a FIFO nobody writes to (waited %d ms)", ms);
	return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s", strerror(errno));
}

/*
 * Open an input without ever blocking in open(): a FIFO nobody writes to would
 * otherwise wait forever. A named FIFO gets CGS_FIFO_WAIT_MS for a writer to
 * show up; a pipe (process substitution, `<(zcat x)`) is read as it comes.
 * O_NONBLOCK is cleared once open, so the reads themselves block normally.
 */
static enum cgs_err open_input_fd(const char *path, uint64_t max, int *ret_fd, struct stat *st,
				  struct cgs_diag *d)
{
	int fd, fl;
	enum cgs_err err;

	if (!strcmp(path, "-")) {
		err = check_input(STDIN_FILENO, 1, max, st, d);
		if (!err)
			*ret_fd = STDIN_FILENO;
		return err;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    strerror(errno));
	err = check_input(fd, 0, max, st, d);
	if (!err && S_ISFIFO(st->st_mode) && is_named_fifo(path, st))
		err = wait_writer(fd, d);
	if (!err && ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0))
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				   strerror(errno));
	if (err) {
		close(fd);
		return err;
	}
	*ret_fd = fd;
	return CGS_OK;
}

static void close_fd(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

enum cgs_err cgs_open_fd(const char *path, uint64_t max, int *ret_fd, struct cgs_diag *d)
{
	struct stat st;
	int fd;
	enum cgs_err err = open_input_fd(path, max, &fd, &st, d);

	if (err)
		return err;
	if (fd == STDIN_FILENO && (fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)) < 0)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    strerror(errno));
	*ret_fd = fd;
	return CGS_OK;
}

enum cgs_err cgs_open_input(const char *path, FILE **ret_f, struct cgs_diag *d)
{
	struct stat st;
	FILE *f;
	int fd;
	enum cgs_err err = open_input_fd(path, CGS_STREAM_MAX, &fd, &st, d);

	if (err)
		return err;
	if (fd == STDIN_FILENO) {
		*ret_f = stdin;
		return CGS_OK;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	*ret_f = f;
	return CGS_OK;
}

size_t cgs_io_grow(size_t alloc, size_t len, size_t max)
{
	size_t want;

	if (max >= SIZE_MAX - 1)
		max = SIZE_MAX - 2;
	want = alloc ? (alloc > (max + 1) / 2 ? max + 1 : 2 * alloc) : FIRST_ALLOC;
	if (want < len + 1)
		want = len + 1;
	return want > max + 1 ? max + 1 : want;
}

/* read(2) that retries on EINTR; -1 on error */
static ssize_t read_some(int fd, uint8_t *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

enum cgs_err cgs_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len,
			   struct cgs_diag *d)
{
	struct stat st;
	uint8_t *buf = NULL, *p;
	size_t len = 0, alloc = 0;
	ssize_t n;
	int fd;
	enum cgs_err err = open_input_fd(path, max, &fd, &st, d);

	if (err)
		return err;
	if (S_ISREG(st.st_mode))
		alloc = (size_t)st.st_size; /* <= max: checked at open */
	for (;;) {
		if (len == alloc || !buf) {
			size_t nalloc = cgs_io_grow(alloc, len, max);

			if (buf && len == max + 1) {
				err = cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
						   "larger than the limit of %zu bytes", max);
				goto fail;
			}
			if (!buf && alloc)
				nalloc = alloc + 1;
			p = realloc(buf, nalloc);
			if (!p) {
				err = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
						   "out of memory");
				goto fail;
			}
			buf = p;
			alloc = nalloc;
		}
		n = read_some(fd, buf + len, alloc - len);
		if (n < 0) {
			err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
					   "read error: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close_fd(fd);
	buf[len] = 0; /* len < alloc: the last read had room and returned 0 */
	*ret_data = buf;
	*ret_len = len;
	return CGS_OK;
fail:
	close_fd(fd);
	if (buf)
		OPENSSL_cleanse(buf, alloc);
	free(buf);
	return err;
}

enum cgs_err cgs_read_prefix(const char *path, size_t want, uint8_t **ret_data, size_t *ret_len,
			     struct cgs_diag *d)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	ssize_t n = 1;
	int fd;
	enum cgs_err err = open_input_fd(path, CGS_STREAM_MAX, &fd, &st, d);

	if (err)
		return err;
	buf = malloc(want ? want : 1);
	if (!buf) {
		close_fd(fd);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	while (len < want && (n = read_some(fd, buf + len, want - len)) > 0)
		len += (size_t)n;
	if (n < 0)
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "read error: %s",
				   strerror(errno));
	close_fd(fd);
	if (err) {
		free(buf);
		return err;
	}
	*ret_data = buf;
	*ret_len = len;
	return CGS_OK;
}

void cgs_free_secret(uint8_t *data, size_t len)
{
	if (data)
		OPENSSL_cleanse(data, len);
	free(data);
}

enum cgs_err cgs_stream_file(const char *path, cgs_chunk_fn cb, void *ctx, uint64_t *ret_size,
			     struct cgs_diag *d)
{
	struct stat st;
	uint8_t *buf;
	uint64_t total = 0;
	ssize_t n;
	int fd;
	enum cgs_err err = open_input_fd(path, CGS_STREAM_MAX, &fd, &st, d);

	if (err)
		return err;
	buf = malloc(CHUNK);
	if (!buf) {
		close_fd(fd);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	while ((n = read_some(fd, buf, CHUNK)) > 0) {
		total += (uint64_t)n;
		if (total > CGS_STREAM_MAX) {
			err = cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					   "larger than the limit of %llu bytes",
					   (unsigned long long)CGS_STREAM_MAX);
			break;
		}
		err = cb(ctx, buf, (size_t)n);
		if (err)
			break;
	}
	if (!err && n < 0)
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "read error: %s",
				   strerror(errno));
	free(buf);
	close_fd(fd);
	if (!err && ret_size)
		*ret_size = total;
	return err;
}

enum cgs_err cgs_file_size(const char *path, uint64_t *ret_size, struct cgs_diag *d)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    kind_of(st.st_mode) ? kind_of(st.st_mode) :
							  "not a regular file");
	if ((uint64_t)st.st_size > CGS_STREAM_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "larger than the limit of %llu bytes",
				    (unsigned long long)CGS_STREAM_MAX);
	*ret_size = (uint64_t)st.st_size;
	return CGS_OK;
}

static const char *out_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "is a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device";
	if (S_ISSOCK(m))
		return "is a socket";
	if (S_ISDIR(m))
		return "is a directory";
	return NULL;
}

/*
 * Where an output really goes. A new path is itself. An existing one must be a
 * regular file (never a FIFO, device, socket or directory: those are refused
 * with or without --force, and left untouched) and is replaced only with
 * --force. A symbolic link is followed: its target is replaced and the link
 * stays, so `--force -o /dev/stdout` can never delete a /dev entry.
 */
static enum cgs_err out_target(const char *path, unsigned flags, char **ret_target,
			       struct cgs_diag *d)
{
	struct stat st;
	char *t;

	if (lstat(path, &st) != 0) {
		if (errno != ENOENT)
			return cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "%s",
					    strerror(errno));
		t = strdup(path);
		goto out;
	}
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				    "is a symbolic link to a missing file: refusing to write");
	if (out_kind(st.st_mode))
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				    "%s, not a regular file: refusing to write to it",
				    out_kind(st.st_mode));
	if (!(flags & CGS_OUT_FORCE))
		return cgs_diag_set(d, CGS_E_EXISTS, NULL, CGS_DIAG_NO_OFFSET,
				    "file exists (use --force to replace it)");
	t = realpath(path, NULL);
out:
	if (!t)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    strerror(errno));
	*ret_target = t;
	return CGS_OK;
}

enum cgs_err cgs_out_open(struct cgs_out *o, const char *path, unsigned flags,
			  struct cgs_diag *d)
{
	enum cgs_err err;
	int fd;

	memset(o, 0, sizeof(*o));
	o->flags = flags;
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return CGS_OK;
	}
	err = out_target(path, flags, &o->path, d);
	if (err)
		return err;
	o->tmp = malloc(strlen(o->path) + 16);
	if (!o->tmp) {
		cgs_out_abort(o);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	sprintf(o->tmp, "%s.tmp-XXXXXX", o->path);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
				   "cannot create a temporary file: %s", strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		cgs_out_abort(o);
		return err;
	}
	if (!(flags & CGS_OUT_SECRET)) {
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0) {
			/* keeps 0600: safe, only stricter than asked */
		}
	}
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		close(fd);
		cgs_out_abort(o);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	return CGS_OK;
}

enum cgs_err cgs_out_write(struct cgs_out *o, const void *data, size_t len, struct cgs_diag *d)
{
	if (len && fwrite(data, 1, len, o->f) != len)
		return cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "write error: %s",
				    strerror(errno));
	return CGS_OK;
}

/* Phase 1 of a commit: everything written and on disk (or stdout flushed). */
static enum cgs_err out_finish(struct cgs_out *o, struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;
	FILE *f = o->f;

	o->f = NULL;
	if (!o->path) {
		if (fflush(stdout) != 0 || ferror(stdout))
			err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
					   "cannot write to standard output: %s", strerror(errno));
		return err;
	}
	if (!f)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "output committed twice");
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "write error: %s",
				   strerror(errno ? errno : EIO));
	if (fclose(f) != 0 && !err)
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "write error: %s",
				   strerror(errno));
	return err;
}

/* Phase 2: the finished temporary takes the target's name. */
static enum cgs_err out_place(struct cgs_out *o, struct cgs_diag *d)
{
	if (!o->path)
		return CGS_OK;
	if (!(o->flags & CGS_OUT_FORCE)) {
		/* link() refuses to replace a target created meanwhile */
		if (link(o->tmp, o->path) == 0) {
			unlink(o->tmp);
			return CGS_OK;
		}
		if (errno == EEXIST)
			return cgs_diag_set(d, CGS_E_EXISTS, NULL, CGS_DIAG_NO_OFFSET,
					    "file exists (use --force to replace it)");
	}
	if (rename(o->tmp, o->path) != 0)
		return cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "cannot rename: %s",
				    strerror(errno));
	return CGS_OK;
}

static void out_release(struct cgs_out *o, int remove_tmp)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp && remove_tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

enum cgs_err cgs_out_commit(struct cgs_out *o, struct cgs_diag *d)
{
	struct cgs_out *one[1] = { o };

	return cgs_out_commit_all(one, 1, NULL, d);
}

enum cgs_err cgs_out_commit_all(struct cgs_out *const *outs, size_t n, size_t *ret_failed,
				struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;
	size_t i, placed;

	for (i = 0; i < n && !err; i++)
		if (outs[i] && (err = out_finish(outs[i], d)))
			break;
	for (placed = 0; !err && placed < n; placed++) {
		if (outs[placed] && (err = out_place(outs[placed], d)))
			break;
		if (outs[placed]) {
			free(outs[placed]->tmp); /* renamed: nothing left to remove */
			outs[placed]->tmp = NULL;
		}
	}
	if (err) {
		if (ret_failed)
			*ret_failed = i < n ? i : placed;
		/* undo: the outputs already in place are removed, the rest never appear */
		for (size_t j = 0; i == n && j < placed; j++)
			if (outs[j] && outs[j]->path)
				unlink(outs[j]->path);
	}
	for (i = 0; i < n; i++)
		if (outs[i])
			out_release(outs[i], 1);
	return err;
}

void cgs_out_abort(struct cgs_out *o)
{
	out_release(o, 1);
}

void cgs_out_abort_all(struct cgs_out *const *outs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (outs[i])
			cgs_out_abort(outs[i]);
}

enum cgs_err cgs_write_file(const char *path, const void *data, size_t len, unsigned flags,
			    struct cgs_diag *d)
{
	struct cgs_out_buf b = { path, data, len, flags };

	return cgs_write_files(&b, 1, NULL, d);
}

enum cgs_err cgs_write_files(const struct cgs_out_buf *bufs, size_t n, size_t *ret_failed,
			     struct cgs_diag *d)
{
	struct cgs_out o[CGS_OUT_MAX], *p[CGS_OUT_MAX];
	enum cgs_err err = CGS_OK;
	size_t i, fail = 0;

	if (n > CGS_OUT_MAX)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "too many outputs");
	for (i = 0; i < n; i++)
		p[i] = NULL;
	for (i = 0; i < n && !err; i++) {
		if (!bufs[i].path)
			continue;
		fail = i;
		err = cgs_out_open(&o[i], bufs[i].path, bufs[i].flags, d);
		if (!err)
			p[i] = &o[i];
		if (!err)
			err = cgs_out_write(&o[i], bufs[i].data, bufs[i].len, d);
	}
	if (err)
		cgs_out_abort_all(p, n);
	else
		err = cgs_out_commit_all(p, n, &fail, d);
	if (err && ret_failed)
		*ret_failed = fail;
	return err;
}
