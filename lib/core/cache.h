/* SPDX-License-Identifier: MIT */
/*
 * The collateral cache: a directory of downloaded certificates and CRLs,
 * addressed by relative paths ("amd/vcek/v1/Milan/cert_chain.pem"). The
 * default is $XDG_CACHE_HOME/cgs, else $HOME/.cache/cgs. Entries are written
 * to a temporary file in the target's directory and renamed into place while
 * holding an exclusive lock on DIR/.lock, so concurrent runs sharing a cache
 * never see a half-written entry; readers take no lock. The layout is
 * documented in cgs-verify-snp(1). Never prints.
 */
#ifndef CGS_LIB_CORE_CACHE_H
#define CGS_LIB_CORE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

struct cgs_cache {
	char *dir; /* absolute or as given */
};

/*
 * Choose the cache directory: dir if not NULL, else the default. With create,
 * make it (mode 0700, parents too) if missing. CGS_E_USAGE when no default can
 * be found (neither XDG_CACHE_HOME nor HOME set), CGS_E_IO when it cannot be
 * created.
 */
enum cgs_err cgs_cache_open(struct cgs_cache *c, const char *dir, int create, struct cgs_diag *d);
void cgs_cache_close(struct cgs_cache *c);

/*
 * The full path of an entry into a new string (NULL when out of memory).
 * Relative paths are made of [A-Za-z0-9._=-] components separated by '/',
 * none starting with '.'; anything else is refused (CGS_E_INTERNAL).
 */
enum cgs_err cgs_cache_path(const struct cgs_cache *c, const char *rel, char **ret_path,
			    struct cgs_diag *d);

/* Read an entry of at most max bytes; CGS_E_NOINPUT if it is not cached. */
enum cgs_err cgs_cache_read(const struct cgs_cache *c, const char *rel, size_t max,
			    uint8_t **ret_data, size_t *ret_len, struct cgs_diag *d);

/* Store an entry atomically (replacing an older one), under the cache lock. */
enum cgs_err cgs_cache_store(const struct cgs_cache *c, const char *rel, const void *data,
			     size_t len, struct cgs_diag *d);

#endif
