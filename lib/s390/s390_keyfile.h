/* SPDX-License-Identifier: MIT */
/* Reading fixed-size key files (protection keys, CCKs, measurement keys). */
#ifndef CGS_LIB_S390_S390_KEYFILE_H
#define CGS_LIB_S390_S390_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

/*
 * Read a file that must hold exactly len bytes into out; the buffer is wiped.
 * CGS_E_MALFORMED "<n> bytes, <what> has <len>" for another size.
 */
enum cgs_err s390_keyfile_read(const char *path, uint8_t *out, size_t len, const char *what,
			       struct cgs_diag *d);

#endif
