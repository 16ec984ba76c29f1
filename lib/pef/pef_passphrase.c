// SPDX-License-Identifier: MIT
#include "lib/pef/pef_passphrase.h"

#include <string.h>

#include "lib/core/io.h"

enum cgs_err pef_passphrase_read(const char *path, char **ret, struct cgs_diag *d)
{
	uint8_t *data;
	size_t len;
	enum cgs_err e;

	*ret = NULL;
	if (!path)
		return CGS_OK;
	e = cgs_read_file(path, PEF_PASSPHRASE_FILE_MAX, &data, &len, d);
	if (e)
		return e;
	data[strcspn((char *)data, "\r\n")] = '\0';
	*ret = (char *)data;
	return CGS_OK;
}

void pef_passphrase_free(char *p)
{
	if (p)
		cgs_free_secret((uint8_t *)p, strlen(p));
}
