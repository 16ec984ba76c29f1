#!/bin/sh
# cgs-mkimage s390-pv on a 16 MiB kernel and a 64 MiB ramdisk: build time over
# the time `openssl speed` predicts for AES-256-XTS plus SHA-512 over the same
# bytes (the work the format requires: encrypt every page, hash it for the PLD).
# Two ratios: wall clock (includes writing and fsync-ing the 80 MiB image; the
# output goes to /dev/shm when it exists, so the disk is left out) and CPU time
# (user + system), which is stable on a loaded machine. The builder hashes on a
# second thread while the first reads, encrypts and writes, so on an idle machine
# with two cores the wall time approaches the SHA-512 time alone; the floor here
# stays the sum of both, as if done one after the other.
set -eu
. bench/lib.sh
work=$(mktemp -d)
out=$work
[ -d /dev/shm ] && [ -w /dev/shm ] && out=$(mktemp -d /dev/shm/cgs-bench.XXXXXX)
trap 'rm -rf "$work" "$out"' EXIT
. tests/helpers/s390_pki.bash
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$work/host.key" 2>/dev/null
openssl req -new -x509 -key "$work/host.key" -subj /CN=bench-host -days 1 -out "$work/host.crt" 2>/dev/null
s390_make_inputs "$work/in" $((16 << 20))
head -c $((64 << 20)) /dev/urandom > "$work/in/ramdisk"
bytes=$(( (16 << 20) + (64 << 20) ))
set -- "$BIN/cgs-mkimage" s390-pv -i "$work/in/kernel" -r "$work/in/ramdisk" \
	-p "$work/in/parmfile" -k "$work/host.crt" --no-verify --loader-dir "$work/in/loaders" \
	-o "$out/se.img" --force -q
t=$(bench_time "$@")
# CPU seconds of the children of a subshell, from the `times` builtin (best of 3)
cpu=
for i in 1 2 3; do
	c=$( ("$@" 2>/dev/null; times) | tail -n 1 |
		sed 's/\([0-9]*\)m\([0-9.]*\)s \([0-9]*\)m\([0-9.]*\)s/\1 * 60 + \2 + \3 * 60 + \4/' | bc -l)
	if [ -z "$cpu" ] || [ "$(echo "$c < $cpu" | bc -l)" = 1 ]; then cpu=$c; fi
done
num() { awk '{ printf "%.0f", $1 }'; }
xts=$(openssl_speed -evp aes-256-xts | num)
sha=$(openssl_speed -evp sha512 | num)
limit=$(echo "$bytes / $xts + $bytes / $sha" | bc -l)
printf 's390-pv: 80 MiB in %.3f s wall, %.3f s CPU; openssl speed: AES-256-XTS %.0f MB/s, SHA-512 %.0f MB/s -> %.3f s\n' \
	"$t" "$cpu" "$(echo "$xts / 1000000" | bc -l)" "$(echo "$sha / 1000000" | bc -l)" "$limit"
dg=$(bench_time openssl dgst -sha512 "$work/in/kernel" "$work/in/ramdisk")
printf 'for scale: openssl dgst -sha512 over the same two files takes %.3f s wall\n' "$dg"
if [ -x /usr/bin/time ]; then
	rss=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1)
	echo "peak memory (RSS) for 80 MiB of input: $rss KiB (components are streamed through four 256 KiB buffers)"
fi
echo "s390-pv ratio wall / (XTS + SHA-512): $(ratio "$t" "$limit") (aim <= 1.3)"
echo "s390-pv ratio CPU  / (XTS + SHA-512): $(ratio "$cpu" "$limit")"
