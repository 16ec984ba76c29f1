// SPDX-License-Identifier: MIT
#include "lib/core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "lib/core/exit.h"

void cgs_diag_clear(struct cgs_diag *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->offset = CGS_DIAG_NO_OFFSET;
}

static void diag_vset(struct cgs_diag *d, enum cgs_err err, const char *field,
		      uint64_t offset, const char *fmt, va_list ap)
{
	d->err = err;
	d->offset = offset;
	snprintf(d->field, sizeof(d->field), "%s", field ? field : "");
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
}

enum cgs_err cgs_diag_set(struct cgs_diag *d, enum cgs_err err, const char *field,
			  uint64_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	va_start(ap, fmt);
	diag_vset(d, err, field, offset, fmt, ap);
	va_end(ap);
	return err;
}

enum cgs_err cgs_diag_openssl(struct cgs_diag *d, const char *fmt, ...)
{
	char ossl[160] = "";
	unsigned long e = ERR_peek_last_error();
	size_t n;
	va_list ap;

	if (e)
		ERR_error_string_n(e, ossl, sizeof(ossl));
	ERR_clear_error();
	if (!d)
		return CGS_E_CRYPTO;
	va_start(ap, fmt);
	diag_vset(d, CGS_E_CRYPTO, NULL, CGS_DIAG_NO_OFFSET, fmt, ap);
	va_end(ap);
	n = strlen(d->text);
	if (ossl[0] && n + 3 < sizeof(d->text))
		snprintf(d->text + n, sizeof(d->text) - n, ": %s", ossl);
	return CGS_E_CRYPTO;
}

int cgs_err_exit(enum cgs_err err)
{
	switch (err) {
	case CGS_OK:
		return CGS_EXIT_OK;
	case CGS_E_VERIFY:
		return CGS_EXIT_NOT_VERIFIED;
	case CGS_E_USAGE:
		return CGS_EXIT_USAGE;
	case CGS_E_MALFORMED:
	case CGS_E_UNSUPPORTED:
		return CGS_EXIT_DATAERR;
	case CGS_E_NOINPUT:
		return CGS_EXIT_NOINPUT;
	case CGS_E_NOMEM:
	case CGS_E_IO:
	case CGS_E_CRYPTO:
	case CGS_E_INTERNAL:
	case CGS_E_EXISTS:
	case CGS_E_NETWORK:
		break;
	}
	return CGS_EXIT_FAILURE;
}

const char *cgs_err_str(enum cgs_err err)
{
	switch (err) {
	case CGS_OK:
		return "success";
	case CGS_E_NOMEM:
		return "out of memory";
	case CGS_E_IO:
		return "input/output error";
	case CGS_E_CRYPTO:
		return "cryptographic operation failed";
	case CGS_E_INTERNAL:
		return "internal error";
	case CGS_E_VERIFY:
		return "verification failed";
	case CGS_E_USAGE:
		return "invalid usage";
	case CGS_E_MALFORMED:
		return "malformed input";
	case CGS_E_UNSUPPORTED:
		return "unsupported input";
	case CGS_E_NOINPUT:
		return "input missing or unreadable";
	case CGS_E_EXISTS:
		return "output exists";
	case CGS_E_NETWORK:
		return "download failed";
	}
	return "unknown error";
}

const char *cgs_diag_format(const struct cgs_diag *d, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%s", d->text[0] ? d->text : cgs_err_str(d->err));
	n = strlen(buf);
	if (d->offset != CGS_DIAG_NO_OFFSET && n < len)
		n += snprintf(buf + n, len - n, " at offset 0x%llx",
			      (unsigned long long)d->offset);
	if (d->field[0] && n < len)
		snprintf(buf + n, len - n, " (field '%s')", d->field);
	return buf;
}
