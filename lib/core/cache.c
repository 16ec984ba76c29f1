// SPDX-License-Identifier: MIT
/* The collateral cache: atomic entries under a lock, in a documented layout. */
#define _GNU_SOURCE
#include "lib/core/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/core/io.h"

static enum cgs_err nomem(struct cgs_diag *d)
{
	return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
}

/* mkdir -p with mode 0700 for every directory it creates */
static enum cgs_err mkdirs(const char *path, struct cgs_diag *d)
{
	char *p = strdup(path);
	enum cgs_err e = CGS_OK;

	if (!p)
		return nomem(d);
	for (char *s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) && errno != EEXIST) {
			e = cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
					 "cannot create the cache directory '%s': %s", p,
					 strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return e;
}

enum cgs_err cgs_cache_open(struct cgs_cache *c, const char *dir, int create, struct cgs_diag *d)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct stat st;
	char *path;
	int n;

	c->dir = NULL;
	if (dir)
		n = asprintf(&path, "%s", dir);
	else if (xdg && xdg[0] == '/')
		n = asprintf(&path, "%s/cgs", xdg);
	else if (home && home[0])
		n = asprintf(&path, "%s/.cache/cgs", home);
	else
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				    "no cache directory: neither XDG_CACHE_HOME nor HOME is set "
				    "(give --cache DIR)");
	if (n < 0)
		return nomem(d);
	if (create) {
		enum cgs_err e = mkdirs(path, d);

		if (e) {
			free(path);
			return e;
		}
	}
	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		enum cgs_err e = cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
					      "the cache '%s' is not a directory", path);
		free(path);
		return e;
	}
	c->dir = path;
	return CGS_OK;
}

void cgs_cache_close(struct cgs_cache *c)
{
	free(c->dir);
	c->dir = NULL;
}

static int rel_ok(const char *rel)
{
	int start = 1;

	if (!rel[0])
		return 0;
	for (const char *p = rel; *p; p++) {
		if (*p == '/') {
			if (start)
				return 0; /* empty component or leading '/' */
			start = 1;
			continue;
		}
		if (start && *p == '.')
			return 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._=-", *p)))
			return 0;
		start = 0;
	}
	return !start;
}

enum cgs_err cgs_cache_path(const struct cgs_cache *c, const char *rel, char **ret_path,
			    struct cgs_diag *d)
{
	char *p;

	if (!rel_ok(rel))
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "bad cache entry name '%s'", rel);
	if (asprintf(&p, "%s/%s", c->dir, rel) < 0)
		return nomem(d);
	*ret_path = p;
	return CGS_OK;
}

enum cgs_err cgs_cache_read(const struct cgs_cache *c, const char *rel, size_t max,
			    uint8_t **ret_data, size_t *ret_len, struct cgs_diag *d)
{
	char *path;
	enum cgs_err e = cgs_cache_path(c, rel, &path, d);

	if (e)
		return e;
	if (access(path, F_OK))
		e = cgs_diag_set(d, CGS_E_NOINPUT, NULL, CGS_DIAG_NO_OFFSET,
				 "'%s' is not in the cache '%s'", rel, c->dir);
	else
		e = cgs_read_file(path, max, ret_data, ret_len, d);
	free(path);
	return e;
}

static enum cgs_err lock_cache(const struct cgs_cache *c, int *ret_fd, struct cgs_diag *d)
{
	char *lock;
	int fd = -1;

	if (asprintf(&lock, "%s/.lock", c->dir) < 0)
		return nomem(d);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		enum cgs_err e =
		    cgs_diag_set(d, CGS_E_IO, NULL, CGS_DIAG_NO_OFFSET,
				 "cannot lock the cache '%s': %s", c->dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return e;
	}
	*ret_fd = fd;
	return CGS_OK;
}

enum cgs_err cgs_cache_store(const struct cgs_cache *c, const char *rel, const void *data,
			     size_t len, struct cgs_diag *d)
{
	char *path, *slash;
	enum cgs_err e;
	int fd = -1;

	if ((e = cgs_cache_path(c, rel, &path, d)))
		return e;
	if ((e = mkdirs(c->dir, d)) || (e = lock_cache(c, &fd, d))) {
		free(path);
		return e;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	e = mkdirs(path, d);
	*slash = '/';
	if (!e)
		e = cgs_write_file(path, data, len, CGS_OUT_FORCE, d);
	flock(fd, LOCK_UN);
	close(fd);
	free(path);
	return e;
}
