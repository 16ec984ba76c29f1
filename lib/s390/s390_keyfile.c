// SPDX-License-Identifier: MIT
#include "lib/s390/s390_keyfile.h"

#include <string.h>

#include "lib/core/io.h"

enum cgs_err s390_keyfile_read(const char *path, uint8_t *out, size_t len, const char *what,
			       struct cgs_diag *d)
{
	uint8_t *b = NULL;
	size_t n = 0;
	enum cgs_err e = cgs_read_file(path, len + 1, &b, &n, d);

	if (e)
		return e;
	if (n != len) {
		cgs_free_secret(b, n);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "%zu bytes, %s has %zu", n, what, len);
	}
	memcpy(out, b, len);
	cgs_free_secret(b, n);
	return CGS_OK;
}
