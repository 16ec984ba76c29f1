// SPDX-License-Identifier: MIT
/* RFC 3339 times (lib/core/rfc3339): the --at options and Intel's collateral dates. */
#include <string.h>

#include "lib/core/rfc3339.h"
#include "tests/unit/tap.h"

int main(void)
{
	int64_t t;
	char buf[32];

	ok(!cgs_time_parse("2049-12-31T23:59:59Z", &t) && t == 2524607999, "a date and time");
	ok(!cgs_time_parse("2025-06-20", &t) && t == 1750377600, "a bare date");
	ok(!cgs_time_parse("2025-06-20T00:00:00.123Z", &t) && t == 1750377600, "a fraction");
	ok(!cgs_time_parse("2001-01-01T00:00:00+02:00", &t) && t == 978300000, "an offset east");
	ok(!cgs_time_parse("2000-12-31T20:00:00-02:00", &t) && t == 978300000, "an offset west");
	ok(cgs_time_parse("2025-6-20T00:00:00Z", &t) != 0, "a short month is refused");
	ok(cgs_time_parse("2025-06-20T00:00:00", &t) != 0, "no zone is refused");
	ok(cgs_time_parse("2025-06-20T00:00:00+2", &t) != 0, "a short offset is refused");
	ok(cgs_time_parse("1969-12-31", &t) != 0, "before 1970 is refused");
	ok(cgs_time_parse("2025-13-01", &t) != 0, "month 13 is refused");
	ok(cgs_time_parse("yesterday", &t) != 0, "words are refused");
	cgs_time_str(2524607999, buf, sizeof(buf));
	is_str(buf, "2049-12-31T23:59:59Z", "printed back");
	cgs_time_str(0, buf, sizeof(buf));
	is_str(buf, "1970-01-01T00:00:00Z", "the epoch");
	return tap_done();
}
