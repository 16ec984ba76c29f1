/* SPDX-License-Identifier: MIT */
/* Passphrase files of PEF private keys: the first line, wiped when freed. */
#ifndef CGS_LIB_PEF_PEF_PASSPHRASE_H
#define CGS_LIB_PEF_PEF_PASSPHRASE_H

#include "lib/core/err.h"

#define PEF_PASSPHRASE_FILE_MAX 4096

/* The first line of path (without CR/LF); path NULL: *ret = NULL. */
enum cgs_err pef_passphrase_read(const char *path, char **ret, struct cgs_diag *d);
/* Wipe and free a passphrase (NULL is fine). */
void pef_passphrase_free(char *p);

#endif
