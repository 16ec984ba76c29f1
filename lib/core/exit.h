/* SPDX-License-Identifier: MIT */
/* The exit-code table of the cgs suite (documented in cgs(7)). */
#ifndef CGS_LIB_CORE_EXIT_H
#define CGS_LIB_CORE_EXIT_H

enum cgs_exit {
	CGS_EXIT_OK = 0,          /* success; for cgs-verify: every check passed */
	CGS_EXIT_FAILURE = 1,     /* runtime failure: OpenSSL, memory, output */
	CGS_EXIT_NOT_VERIFIED = 2, /* evidence well-formed, a check failed */
	CGS_EXIT_USAGE = 64,      /* bad command line */
	CGS_EXIT_DATAERR = 65,    /* input malformed, truncated, unsupported */
	CGS_EXIT_NOINPUT = 66,    /* input missing or unreadable */
};

#endif
