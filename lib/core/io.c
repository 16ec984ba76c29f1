// SPDX-License-Identifier: MIT
#include "lib/core/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define CHUNK (1u << 20)

enum cgs_err cgs_open_input(const char *path, FILE **ret_f, struct cgs_diag *d)
{
	FILE *f;
	struct stat st;

	if (!strcmp(path, "-")) {
		*ret_f = stdin;
		return CGS_OK;
	}
	f = fopen(path, "rb");
	if (!f)
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "%s",
				    strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				    "is a directory");
	}
	*ret_f = f;
	return CGS_OK;
}

static void close_input(FILE *f)
{
	if (f != stdin)
		fclose(f);
}

enum cgs_err cgs_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len,
			   struct cgs_diag *d)
{
	FILE *f;
	uint8_t *buf = NULL, *p;
	size_t len = 0, cap = 0, n;
	enum cgs_err err = cgs_open_input(path, &f, d);

	if (err)
		return err;
	for (;;) {
		if (cap - len < 4096 + 1) {
			size_t ncap = cap ? cap * 2 : 65536;

			if (cap > max + 1 && ncap > max + 4096 + 1)
				ncap = max + 4096 + 1;
			p = realloc(buf, ncap);
			if (!p) {
				err = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
						   "out of memory");
				goto fail;
			}
			buf = p;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > max) {
			err = cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					   "larger than the limit of %zu bytes", max);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "read error: %s",
				   strerror(errno));
		goto fail;
	}
	close_input(f);
	buf[len] = 0;
	*ret_data = buf;
	*ret_len = len;
	return CGS_OK;
fail:
	close_input(f);
	if (buf)
		OPENSSL_cleanse(buf, cap);
	free(buf);
	return err;
}

enum cgs_err cgs_read_prefix(const char *path, size_t want, uint8_t **ret_data, size_t *ret_len,
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
		close_input(f);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	n = fread(buf, 1, want, f);
	if (ferror(f))
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "read error: %s",
				   strerror(errno));
	close_input(f);
	if (err) {
		free(buf);
		return err;
	}
	*ret_data = buf;
	*ret_len = n;
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
	FILE *f;
	uint8_t *buf;
	uint64_t total = 0;
	size_t n;
	enum cgs_err err = cgs_open_input(path, &f, d);

	if (err)
		return err;
	buf = malloc(CHUNK);
	if (!buf) {
		close_input(f);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	while ((n = fread(buf, 1, CHUNK, f)) > 0) {
		total += n;
		err = cb(ctx, buf, n);
		if (err)
			break;
	}
	if (!err && ferror(f))
		err = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET, "read error: %s",
				   strerror(errno));
	free(buf);
	close_input(f);
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
		return cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				    "not a regular file");
	*ret_size = (uint64_t)st.st_size;
	return CGS_OK;
}

enum cgs_err cgs_out_open(struct cgs_out *o, const char *path, unsigned flags,
			  struct cgs_diag *d)
{
	int fd;
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->flags = flags;
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return CGS_OK;
	}
	if (!(flags & CGS_OUT_FORCE) && lstat(path, &st) == 0)
		return cgs_diag_set(d, CGS_E_EXISTS, NULL, CGS_DIAG_NO_OFFSET,
				    "file exists (use --force to replace it)");
	o->path = strdup(path);
	o->tmp = malloc(strlen(path) + 16);
	if (!o->path || !o->tmp) {
		cgs_out_abort(o);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	sprintf(o->tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		enum cgs_err err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
						"cannot create a temporary file: %s",
						strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		cgs_out_abort(o);
		return err;
	}
	if (!(flags & CGS_OUT_SECRET)) {
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
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

enum cgs_err cgs_out_commit(struct cgs_out *o, struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;

	if (!o->path) {
		if (fflush(stdout) != 0 || ferror(stdout))
			err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
					   "cannot write to standard output");
		o->f = NULL;
		return err;
	}
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "write error: %s",
				   strerror(errno));
	if (fclose(o->f) != 0 && !err)
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "write error: %s",
				   strerror(errno));
	o->f = NULL;
	if (!err && !(o->flags & CGS_OUT_FORCE) && link(o->tmp, o->path) == 0) {
		unlink(o->tmp); /* link() refuses to replace a target created meanwhile */
	} else if (!err && !(o->flags & CGS_OUT_FORCE) && errno == EEXIST) {
		err = cgs_diag_set(d, CGS_E_EXISTS, NULL, CGS_DIAG_NO_OFFSET,
				   "file exists (use --force to replace it)");
	} else if (!err && rename(o->tmp, o->path) != 0) {
		err = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET, "cannot rename: %s",
				   strerror(errno));
	}
	if (err)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return err;
}

void cgs_out_abort(struct cgs_out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

enum cgs_err cgs_write_file(const char *path, const void *data, size_t len, unsigned flags,
			    struct cgs_diag *d)
{
	struct cgs_out o;
	enum cgs_err err = cgs_out_open(&o, path, flags, d);

	if (err)
		return err;
	err = cgs_out_write(&o, data, len, d);
	if (!err)
		return cgs_out_commit(&o, d);
	cgs_out_abort(&o);
	return err;
}
