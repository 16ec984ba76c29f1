#!/usr/bin/env bats
# Inputs and outputs at the command line (lib/core/io, the CLI driver): process
# substitution keeps working, a FIFO without writer does not hang, --force never
# replaces a non-regular file, a result that cannot be written is exit 1.

load ../helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR"
	"$BUILD/tests/helpers/sevgen" ovmf fw.fd --size 0x4000 --hashes 0x805c00
	head -c 3000 /dev/urandom > vmlinuz
	head -c 70000 /dev/urandom > initrd
	gzip -c vmlinuz > vmlinuz.gz
	M=(cgs-measure --mode sev)
}

@test "process substitution: --ovmf/--kernel/--initrd <(zcat ...) give the digest of the files" {
	want=$("${M[@]}" --ovmf fw.fd --kernel vmlinuz --initrd initrd --append x)
	run -0 "${M[@]}" --ovmf <(cat fw.fd) --kernel <(zcat vmlinuz.gz) --initrd <(cat initrd) --append x
	[ "$output" = "$want" ]
	# a writer that starts late: the pipe is read as the data comes
	run -0 "${M[@]}" --ovmf fw.fd --kernel <(sleep 0.3; zcat vmlinuz.gz) --initrd initrd --append x
	[ "$output" = "$want" ]
}

@test "a named FIFO: read when its writer comes in time, refused (66) without one, never a hang" {
	want=$("${M[@]}" --ovmf fw.fd --kernel vmlinuz)
	mkfifo k
	(sleep 0.2; cat vmlinuz > k) &
	run -0 timeout 20 "${M[@]}" --ovmf fw.fd --kernel k
	[ "$output" = "$want" ]
	wait
	SECONDS=0
	CGS_FIFO_WAIT_MS=300 run -66 --separate-stderr timeout 20 "${M[@]}" --ovmf fw.fd --kernel k
	[ "$stderr" = "cgs-measure: failed to read 'k': a FIFO nobody writes to (waited 300 ms)" ]
	[ -z "$output" ]
	[ "$SECONDS" -lt 5 ]
}

@test "devices and oversized inputs are refused at once: /dev/zero 66, a 4 GiB sparse file 65" {
	run -66 --separate-stderr timeout 20 "${M[@]}" --ovmf /dev/zero
	[[ $stderr == *"'/dev/zero': is a device, not a file" ]]
	truncate -s 4G big
	SECONDS=0
	run -65 --separate-stderr timeout 20 "${M[@]}" --ovmf fw.fd --kernel big
	[[ $stderr == *"'big': larger than the limit of"* ]]
	[ "$SECONDS" -lt 5 ]
}

@test "the read cap is a cap on memory: --ovmf from an endless pipe stays small" {
	[ -z "${CGS_SANITIZE:-}" ] || skip "peak memory is not measured under AddressSanitizer"
	run -65 --separate-stderr "$BUILD/tests/helpers/maxrss" "${M[@]}" --ovmf <(cat /dev/zero)
	echo "$stderr"
	rss=$(sed -n 's/^maxrss_kib=\([0-9]*\)$/\1/p' <<<"$stderr")
	cap=$(sed -n 's/.*larger than the limit of \([0-9]*\) bytes.*/\1/p' <<<"$stderr")
	[ -n "$rss" ] && [ -n "$cap" ]
	# the buffer stops at cap + 1 byte (it used to double past it)
	[ "$rss" -lt $((cap / 1024 * 5 / 4 + 16384)) ]
}

@test "--force -o /dev/stdout is refused and leaves /dev/stdout alone (also as root)" {
	# the real tool: the JSON schema wrapper would give it a file as stdout
	run -64 --separate-stderr bash -c "set -o pipefail; $BUILD/bin/cgs-mkimage pef-keygen --force --private priv.pem --public /dev/stdout | cat"
	[[ $stderr == *"'/dev/stdout': is a FIFO, not a regular file"* ]]
	[ -L /dev/stdout ]
	[ ! -e priv.pem ]
}

@test "a result that cannot be written is exit 1 with one message, for text and JSON alike" {
	# the real tools: the JSON schema wrapper of common.bash would pipe their stdout
	local b=$BUILD/bin
	run -1 --separate-stderr sh -c "$b/cgs-measure --mode sev --ovmf fw.fd > /dev/full"
	[ "$(grep -c . <<<"$stderr")" = 1 ]
	[[ $stderr == "cgs-measure: "*"standard output"* ]]
	run -1 --separate-stderr sh -c "$b/cgs-measure --mode sev --ovmf fw.fd --json > /dev/full"
	[ "$(grep -c . <<<"$stderr")" = 1 ]
	run -1 --separate-stderr sh -c "$b/cgs-verify --help > /dev/full"
	[ "$stderr" = "cgs-verify: cannot write the result to standard output: No space left on device" ]
	run -1 --separate-stderr sh -c "$b/cgs-verify s390 --help > /dev/full"
	[ "$(grep -c . <<<"$stderr")" = 1 ]
	# a usage error keeps its code
	run -64 --separate-stderr sh -c "$b/cgs-verify snp --bogus > /dev/full"
}
