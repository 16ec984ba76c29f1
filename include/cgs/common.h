/* SPDX-License-Identifier: MIT */
/*
 * libcgs: types shared by every mechanism.
 *
 * Every public function returns an enum cgs_err (CGS_OK on success) and, on
 * failure, fills the caller's struct cgs_diag with what went wrong and where.
 * cgs_err_exit() maps a code to the suite's exit-code table (cgs(7)).
 *
 * Verifiers return a struct cgs_verdict: the ordered list of every check they
 * ran, each with its name, result, expected and actual values and a reason.
 * Checks are of two classes: authenticity checks (is the evidence genuine:
 * signatures, certificate chains, validity) can never be skipped; policy
 * checks (is it the evidence we want: expected values, TCB minimums, CRLs)
 * can be skipped by name, and a skipped check is listed with result "skip".
 *
 * The library never prints, never exits and keeps no global state.
 */
#ifndef CGS_COMMON_H
#define CGS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function of the public API: the only symbols libcgs.so exports. */
#define CGS_EXPORT __attribute__((visibility("default")))

enum cgs_err {
	CGS_OK = 0,
	CGS_E_NOMEM,       /* out of memory                          -> 1  */
	CGS_E_IO,          /* read/write failure after opening       -> 1  */
	CGS_E_CRYPTO,      /* OpenSSL failed                         -> 1  */
	CGS_E_INTERNAL,    /* a bug: should not happen               -> 1  */
	CGS_E_VERIFY,      /* a check failed on well-formed evidence -> 2  */
	CGS_E_USAGE,       /* bad option value or combination        -> 64 */
	CGS_E_MALFORMED,   /* input malformed or truncated           -> 65 */
	CGS_E_UNSUPPORTED, /* well-formed but unsupported version    -> 65 */
	CGS_E_NOINPUT,     /* input missing or unreadable            -> 66 */
	CGS_E_EXISTS,      /* output exists and --force not given    -> 1  */
	CGS_E_NETWORK,     /* a download failed (DNS, TLS, HTTP, timeout) -> 1 */
};

#define CGS_DIAG_NO_OFFSET UINT64_MAX

/* What went wrong, filled by a failing library call. */
struct cgs_diag {
	enum cgs_err err;
	char field[64];  /* name of the offending field, "" if none */
	uint64_t offset; /* byte offset in the input, or CGS_DIAG_NO_OFFSET */
	char text[320];  /* what is wrong, lower case, no full stop */
};

/* Map an error code to the suite's exit code (0, 1, 2, 64, 65, 66). */
CGS_EXPORT int cgs_err_exit(enum cgs_err err);

/* A short name for an error code ("malformed input", ...). */
CGS_EXPORT const char *cgs_err_str(enum cgs_err err);

/* Render a diagnostic as "<text> at offset 0x2a0 (field 'signature')" into buf; returns buf. */
CGS_EXPORT const char *cgs_diag_format(const struct cgs_diag *d, char *buf, size_t len);

/* ---- verdicts ---- */

enum cgs_check_result { CGS_CHECK_PASS = 0, CGS_CHECK_FAIL, CGS_CHECK_SKIP };

enum cgs_check_class {
	CGS_CHECK_AUTHENTICITY = 0, /* establishes that the evidence is genuine: never skippable */
	CGS_CHECK_POLICY,           /* compares genuine evidence with what is wanted: skippable */
};

/* One check a verifier can run, as declared in the verifier's table. */
struct cgs_check_def {
	const char *name; /* stable, kebab-case: "signature", "measurement", ... */
	enum cgs_check_class cls;
	const char *what; /* one line for --help and the man page */
};

/* One check as it ran. Strings are owned by the verdict; never NULL ("" if none). */
struct cgs_check {
	char *name;
	enum cgs_check_result result;
	enum cgs_check_class cls;
	char *expected;
	char *actual;
	char *reason;
};

/* The ordered result of a verification. */
struct cgs_verdict {
	struct cgs_check *checks;
	size_t n;
	size_t cap;
	int oom; /* an allocation failed while recording: the verdict is not usable */
};

/* "pass", "fail", "skip". */
CGS_EXPORT const char *cgs_check_result_str(enum cgs_check_result r);

/* Initialise an empty verdict (no allocation). */
CGS_EXPORT void cgs_verdict_init(struct cgs_verdict *v);

/* Free everything a verdict owns and leave it empty. */
CGS_EXPORT void cgs_verdict_free(struct cgs_verdict *v);

/*
 * Append a check. expected and actual may be NULL (recorded as ""); reason is
 * a printf format (may be NULL). Returns the new check, or NULL (and sets
 * v->oom) when memory runs out.
 */
CGS_EXPORT struct cgs_check *cgs_verdict_add(struct cgs_verdict *v, const char *name,
				  enum cgs_check_class cls, enum cgs_check_result result,
				  const char *expected, const char *actual, const char *reason_fmt,
				  ...) __attribute__((format(printf, 7, 8)));

/* The check named name, or NULL. */
CGS_EXPORT const struct cgs_check *cgs_verdict_find(const struct cgs_verdict *v, const char *name);

/*
 * 1 when the evidence is verified: at least one check ran, none failed, every
 * authenticity check passed (none skipped), and no allocation failed.
 */
CGS_EXPORT int cgs_verdict_verified(const struct cgs_verdict *v);

/*
 * Validate a --skip name against a verifier's table: CGS_OK for a policy check;
 * CGS_E_USAGE for an unknown name (the diagnostic lists the skippable names)
 * or for an authenticity check (the diagnostic says it cannot be skipped).
 */
CGS_EXPORT enum cgs_err cgs_skip_validate(const struct cgs_check_def *defs, size_t n, const char *name,
			       struct cgs_diag *d);

#ifdef __cplusplus
}
#endif

#endif
