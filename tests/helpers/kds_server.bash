# The collateral tests' HTTP server (tests/helpers/kds_server.py) on 127.0.0.1 with an
# ephemeral port. Load after common.bash.
#   kds_start ROOT   serve ROOT; sets KDS_URL, KDS_LOG (requests), KDS_FAULTS (rules file)
#   kds_stop         stop it (call from teardown)
#   kds_requests     the number of requests served so far (optionally matching $1)

kds_start() {
	local root=$1 dir
	dir=$(mktemp -d "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/kds.XXXXXX")
	KDS_LOG=$dir/requests.log KDS_FAULTS=$dir/faults
	: >"$KDS_LOG"
	: >"$KDS_FAULTS"
	python3 "$TOP/tests/helpers/kds_server.py" --root "$root" --port-file "$dir/port" \
		--log "$KDS_LOG" --faults "$KDS_FAULTS" 3>&- &
	KDS_PID=$!
	for _ in $(seq 100); do
		[ -s "$dir/port" ] && break
		sleep 0.05
	done
	[ -s "$dir/port" ] || { echo "kds_server did not start" >&2; return 1; }
	KDS_URL="http://127.0.0.1:$(cat "$dir/port")"
	# the tests talk to 127.0.0.1 directly, never through a proxy of the environment
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
	export KDS_URL KDS_LOG KDS_FAULTS KDS_PID
}

kds_stop() {
	if [ -n "${KDS_PID:-}" ]; then
		kill "$KDS_PID" 2>/dev/null || true
		wait "$KDS_PID" 2>/dev/null || true
		KDS_PID=
	fi
}

kds_requests() {
	if [ -n "${1:-}" ]; then
		grep -c -- "$1" "$KDS_LOG" || true
	else
		wc -l <"$KDS_LOG"
	fi
}
