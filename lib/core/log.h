/* SPDX-License-Identifier: MIT */
/*
 * Messages to stderr, prefixed with the program name: "cgs-verify: ...".
 * Only cmd/ calls these; lib/, formats/ and keys/ report through struct cgs_diag.
 */
#ifndef CGS_LIB_CORE_LOG_H
#define CGS_LIB_CORE_LOG_H

#include "lib/core/err.h"

enum cgs_log_level {
	CGS_LOG_QUIET = -1, /* -q: errors only */
	CGS_LOG_NORMAL = 0,
	CGS_LOG_VERBOSE = 1, /* -v */
	CGS_LOG_DEBUG = 2,   /* -vv */
};

/* Program name used as prefix (set once by cmd main). */
void cgs_log_set_prog(const char *prog);
const char *cgs_log_prog(void);
/* Command named in the usage hint ("cgs-verify snp"); defaults to the program. */
void cgs_log_set_help_cmd(const char *cmd);
void cgs_log_set_level(int level);
int cgs_log_level(void);

void cgs_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cgs_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational commentary: suppressed by -q. */
void cgs_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown with -v. */
void cgs_log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown with -vv. */
void cgs_log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Log a failed action on a file with its diagnostic and return the exit code:
 *   cgs-verify: failed to parse 'report.bin': truncated at offset 0x2a0 (field 'signature')
 * what is e.g. "parse", file may be NULL (then "failed to <what>: ...").
 * With -vv, the whole OpenSSL error queue is dumped too.
 */
int cgs_log_diag(const struct cgs_diag *d, const char *what, const char *file);

/* How many errors (and usage errors) were logged so far: the driver's "said already". */
unsigned cgs_log_error_count(void);

/* Log a usage error with the "Try '<prog> --help'" hint; returns CGS_EXIT_USAGE. */
int cgs_log_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
