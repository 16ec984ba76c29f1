# Helpers for the benchmarks (sourced): timing and the machine's own limits.

# seconds (float) that a command takes, best of N runs (default 3)
bench_time() {
	n=${BENCH_RUNS:-3}
	best=
	while [ "$n" -gt 0 ]; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || { echo "bench: command failed: $*" >&2; return 1; }
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		n=$((n - 1))
	done
	echo "$best"
}

# bytes per second of an OpenSSL algorithm on 16 KiB blocks: openssl_speed -evp sha384
openssl_speed() {
	openssl speed -seconds 1 -bytes 16384 "$@" 2>/dev/null |
		awk '/^[a-zA-Z0-9-]+ +[0-9.]+k/ { v=$NF; sub("k","",v); printf "%.0f\n", v*1000 }' | tail -n 1
}

ratio() { echo "scale=3; $1 / $2" | bc -l; }
