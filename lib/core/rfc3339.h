/* SPDX-License-Identifier: MIT */
/*
 * RFC 3339 times, the form of every --at option and of Intel's collateral
 * dates: parsing ("2025-06-20", "2025-06-20T12:00:00Z", "...T12:00:00.5+02:00")
 * to Unix time, and printing Unix time as "2025-06-20T12:00:00Z".
 */
#ifndef CGS_LIB_CORE_RFC3339_H
#define CGS_LIB_CORE_RFC3339_H

#include <stddef.h>
#include <stdint.h>

/*
 * A date (midnight UTC), or a date and time with a fraction (ignored) and a
 * zone (Z or +hh:mm / -hh:mm, required); two-digit fields, years from 1970.
 * 0 on success, -1 otherwise.
 */
int cgs_time_parse(const char *s, int64_t *ret);

/* t as "YYYY-MM-DDThh:mm:ssZ" ("?" if it cannot be shown); len >= 21. */
void cgs_time_str(int64_t t, char *buf, size_t len);

#endif
