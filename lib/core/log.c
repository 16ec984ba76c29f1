// SPDX-License-Identifier: MIT
#include "lib/core/log.h"

#include <stdarg.h>
#include <stdio.h>

#include <openssl/err.h>

#include "lib/core/exit.h"

static const char *log_prog = "cgs";
static const char *log_help_cmd;
static int log_level;
static unsigned log_errors; /* errors and usage errors logged so far */

void cgs_log_set_prog(const char *prog)
{
	log_prog = prog;
}

const char *cgs_log_prog(void)
{
	return log_prog;
}

void cgs_log_set_help_cmd(const char *cmd)
{
	log_help_cmd = cmd;
}

void cgs_log_set_level(int level)
{
	log_level = level;
}

int cgs_log_level(void)
{
	return log_level;
}

static void vlog(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", log_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define CGS_LOG_AT(min, kind)                 \
	do {                                  \
		va_list ap;                   \
		if (log_level < (min))        \
			return;               \
		va_start(ap, fmt);            \
		vlog(kind, fmt, ap);          \
		va_end(ap);                   \
	} while (0)

void cgs_log_error(const char *fmt, ...)
{
	log_errors++;
	CGS_LOG_AT(CGS_LOG_QUIET, "");
}

unsigned cgs_log_error_count(void)
{
	return log_errors;
}

void cgs_log_warn(const char *fmt, ...)
{
	CGS_LOG_AT(CGS_LOG_QUIET, "warning: ");
}

void cgs_log_info(const char *fmt, ...)
{
	CGS_LOG_AT(CGS_LOG_NORMAL, "");
}

void cgs_log_verbose(const char *fmt, ...)
{
	CGS_LOG_AT(CGS_LOG_VERBOSE, "");
}

void cgs_log_debug(const char *fmt, ...)
{
	CGS_LOG_AT(CGS_LOG_DEBUG, "debug: ");
}

int cgs_log_diag(const struct cgs_diag *d, const char *what, const char *file)
{
	char msg[512];

	cgs_diag_format(d, msg, sizeof(msg));
	if (file)
		cgs_log_error("failed to %s '%s': %s", what, file, msg);
	else
		cgs_log_error("failed to %s: %s", what, msg);
	if (log_level >= CGS_LOG_DEBUG)
		ERR_print_errors_fp(stderr);
	ERR_clear_error();
	return cgs_err_exit(d->err);
}

int cgs_log_usage(const char *fmt, ...)
{
	va_list ap;

	log_errors++;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n",
		log_help_cmd ? log_help_cmd : log_prog);
	return CGS_EXIT_USAGE;
}
