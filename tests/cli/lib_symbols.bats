#!/usr/bin/env bats
# libcgs.so exports exactly what is declared CGS_EXPORT in include/cgs/*.h:
# every exported symbol is declared there, starts with cgs_, and every declared
# function is exported.

load ../helpers/common

# the names declared CGS_EXPORT in the public headers: functions, and extern
# data (the check tables)
declared() {
	sed '/^#[[:space:]]*define/d' "$TOP"/include/cgs/*.h | perl -0777 -ne '
		while (/\bCGS_EXPORT\s+extern\b[^;(]*?\b(\w+)\s*(?:\[[^\]]*\])?\s*;/g) { print "$1\n" }
		while (/\bCGS_EXPORT\b(?!\s+extern)[^;{]*?\b(\w+)\s*\(/g) { print "$1\n" }' | sort -u
}

@test "libcgs.so.0: every dynamic symbol is declared CGS_EXPORT in include/cgs, and the reverse" {
	so=$BUILD/lib/libcgs.so.0
	[ -f "$so" ]
	# (AddressSanitizer adds an ODR indicator, __odr_asan.NAME, for each exported variable)
	nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//; s/^__odr_asan\.//' | sort -u \
		> "$BATS_TEST_TMPDIR/exported"
	declared > "$BATS_TEST_TMPDIR/declared"
	[ -s "$BATS_TEST_TMPDIR/declared" ]
	run comm -23 "$BATS_TEST_TMPDIR/exported" "$BATS_TEST_TMPDIR/declared"
	[ -z "$output" ] || { echo "exported but not declared CGS_EXPORT: $output"; false; }
	run comm -13 "$BATS_TEST_TMPDIR/exported" "$BATS_TEST_TMPDIR/declared"
	[ -z "$output" ] || { echo "declared CGS_EXPORT but not in libcgs.so: $output"; false; }
	run grep -v '^cgs_' "$BATS_TEST_TMPDIR/exported"
	[ -z "$output" ] || { echo "exported without the cgs_ prefix: $output"; false; }
}

@test "libcgs.so.0 has its soname and needs no undefined cgs symbol" {
	run -0 readelf -d "$BUILD/lib/libcgs.so.0"
	assert_output --partial "Library soname: [libcgs.so.0]"
	run -0 nm -D --undefined-only "$BUILD/lib/libcgs.so.0"
	refute_output --partial " cgs_"
}

@test "the symbol test fails on a leak: a header without the declaration is caught" {
	# the checker itself must be able to fail: drop one declaration and compare again
	declared > "$BATS_TEST_TMPDIR/declared"
	first=$(head -n 1 "$BATS_TEST_TMPDIR/declared")
	grep -vx "$first" "$BATS_TEST_TMPDIR/declared" > "$BATS_TEST_TMPDIR/fewer"
	nm -D --defined-only "$BUILD/lib/libcgs.so.0" | awk '{print $3}' | sed 's/^__odr_asan\.//' |
		sort -u > "$BATS_TEST_TMPDIR/exported"
	run comm -23 "$BATS_TEST_TMPDIR/exported" "$BATS_TEST_TMPDIR/fewer"
	[ "$output" = "$first" ]
}
