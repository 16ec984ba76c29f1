# Shared setup for the bats suites: load with `load ../helpers/common`.
bats_require_minimum_version 1.5.0
bats_load_library bats-support 2>/dev/null || load /usr/lib/bats/bats-support/load
bats_load_library bats-assert 2>/dev/null || load /usr/lib/bats/bats-assert/load

TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
BUILD="$TOP/${CGS_BUILD:-build}"
# The tools run through tests/helpers/json-wrap, which validates every --json
# output against its schema (schema/); $BUILD/bin stays next in PATH.
CGS_REAL_BIN="$BUILD/bin"
if [ -z "${CGS_NO_JSON_CHECK:-}" ] && [ ! -x "$BATS_RUN_TMPDIR/json-wrap/cgs-verify" ]; then
	mkdir -p "$BATS_RUN_TMPDIR/json-wrap"
	for _t in cgs-measure cgs-mkimage cgs-verify; do
		ln -sf "$TOP/tests/helpers/json-wrap" "$BATS_RUN_TMPDIR/json-wrap/$_t"
	done
fi
PATH="$BUILD/bin:$PATH"
[ -n "${CGS_NO_JSON_CHECK:-}" ] || PATH="$BATS_RUN_TMPDIR/json-wrap:$PATH"
export PATH TOP BUILD CGS_REAL_BIN

# The shared test vectors (present in CI, absent in a plain clone).
VECTORS="${CGS_VECTORS:-$TOP/../shared/vectors}"

# Skip (visibly) when the shared vectors are not present.
require_vectors() {
	if [ ! -d "$VECTORS/${1:-}" ]; then
		skip "../shared/vectors${1:+/$1} not present: conformance replay skipped"
	fi
}

# Assert that a directory holds no file matching a pattern (no partial output).
assert_no_leftovers() {
	local dir=$1 pat=${2:-*}
	local left
	left=$(find "$dir" -maxdepth 1 -name "$pat" -newer "$BATS_RUN_TMPDIR" 2>/dev/null | head -n 5)
	if [ -n "$left" ]; then
		echo "left behind: $left" >&2
		return 1
	fi
}

# Reading a cgs-verify --json verdict (the "checks" list) held in $output:
# the checks of the last --json output as " name=result ..." (one jq run per output)
_res() {
	if [ "${_RES_SRC-}" != "$output" ]; then
		_RES_SRC=$output
		_RES=" $(jq -r '.checks[] | "\(.name)=\(.result)"' <<<"$output" | tr '\n' ' ')"
	fi
}

# result of one check in the last --json output: check_result NAME
check_result() {
	_res
	local x=${_RES#* $1=}
	[ "$x" = "$_RES" ] || echo "${x%% *}"
}

# the names of the failed checks, space separated
failed() {
	_res
	local f= kv
	for kv in $_RES; do
		[ "${kv#*=}" = fail ] && f+="${f:+ }${kv%%=*}"
	done
	echo "$f"
}
