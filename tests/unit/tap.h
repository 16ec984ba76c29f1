/* SPDX-License-Identifier: MIT */
/*
 * A minimal TAP producer for unit tests, run by prove. Each test binary calls
 * ok()/is_mem()/is_int() and ends with `return tap_done();`.
 */
#ifndef CGS_TESTS_UNIT_TAP_H
#define CGS_TESTS_UNIT_TAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int tap_n, tap_failed;

static inline int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return cond;
}

static inline void tap_hexdiag(const char *what, const uint8_t *p, size_t n)
{
	printf("#   %s: ", what);
	for (size_t i = 0; i < n && i < 64; i++)
		printf("%02x", p[i]);
	printf("%s\n", n > 64 ? "..." : "");
}

static inline int is_mem(const void *got, const void *want, size_t n, const char *name)
{
	int r = ok(memcmp(got, want, n) == 0, "%s", name);

	if (!r) {
		tap_hexdiag("got ", got, n);
		tap_hexdiag("want", want, n);
	}
	return r;
}

static inline int is_int(long long got, long long want, const char *name)
{
	int r = ok(got == want, "%s", name);

	if (!r)
		printf("#   got %lld, want %lld\n", got, want);
	return r;
}

static inline int is_str(const char *got, const char *want, const char *name)
{
	int r = ok(got && want && strcmp(got, want) == 0, "%s", name);

	if (!r)
		printf("#   got '%s'\n#   want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return r;
}

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* The shared vectors folder, or NULL: $CGS_VECTORS, else ../shared/vectors. */
static inline const char *tap_vectors(void)
{
	const char *v = getenv("CGS_VECTORS");
	struct stat st;

	if (v && *v)
		return v;
	if (stat("../shared/vectors", &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return "../shared/vectors";
}

/* Read a whole file into a malloc'd buffer (test helper). */
static inline uint8_t *tap_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fclose(f);
				return NULL;
			}
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*len = n;
	return buf;
}

#endif
