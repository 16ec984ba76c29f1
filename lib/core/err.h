/* SPDX-License-Identifier: MIT */
/*
 * Error codes and diagnostics. Everything below cmd/ returns an enum cgs_err
 * and, on failure, fills a struct cgs_diag saying what and where; cmd/ turns
 * both into one message and an exit code.
 */
#ifndef CGS_LIB_CORE_ERR_H
#define CGS_LIB_CORE_ERR_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

/* Clear a diagnostic (field, offset, text). */
void cgs_diag_clear(struct cgs_diag *d);

/*
 * Record a failure and return its code, so callers can write
 * `return cgs_diag_set(d, CGS_E_MALFORMED, "signature", 0x2a0, "truncated");`.
 * d may be NULL. field may be NULL; offset may be CGS_DIAG_NO_OFFSET.
 */
enum cgs_err cgs_diag_set(struct cgs_diag *d, enum cgs_err err, const char *field,
			  uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Same as cgs_diag_set, appending the top OpenSSL error (and clearing the queue). */
enum cgs_err cgs_diag_openssl(struct cgs_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Map an error code to the suite's exit code (lib/exit.h). */
int cgs_err_exit(enum cgs_err err);

/* A short name for an error code ("malformed input", ...). */
const char *cgs_err_str(enum cgs_err err);

/*
 * Render a diagnostic as "<text> at offset 0x2a0 (field 'signature')" into buf.
 * Returns buf.
 */
const char *cgs_diag_format(const struct cgs_diag *d, char *buf, size_t len);

#endif
