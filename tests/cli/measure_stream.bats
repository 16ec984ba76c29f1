#!/usr/bin/env bats
# cgs-measure streams its inputs: flat memory whatever the initrd size, and each
# file read once (FIFOs, which can be read only once, give the same digests).

load ../helpers/common
load ../helpers/sev

setup_file() {
	export BIG="$BATS_FILE_TMPDIR/initrd-64m"
	"$BUILD/tests/helpers/sevgen" large-initrd "$BIG" 64
	"$BUILD/tests/helpers/sevgen" ovmf "$BATS_FILE_TMPDIR/fw.fd" --size 0x100000 \
		--hashes 0x805c00 --section 0x800000:0x9000:1 --section 0x809000:0x1000:3 \
		--section 0x805000:0x1000:0x10
	head -c 3000000 /dev/urandom > "$BATS_FILE_TMPDIR/vmlinuz"
}

@test "peak RSS stays under 32 MiB for a 64 MiB initrd (snp and sev)" {
	case $BUILD in
	*build-san*) skip "sanitizer build: ASan's shadow memory makes RSS meaningless" ;;
	esac
	local t=$BATS_FILE_TMPDIR
	for mode in "snp --vcpus 64 --vcpu-type EPYC-Genoa" "sev"; do
		run -0 --separate-stderr "$BUILD/tests/helpers/maxrss" cgs-measure --mode $mode \
			--ovmf "$t/fw.fd" --kernel "$t/vmlinuz" --initrd "$BIG" --append "console=ttyS0"
		kib=$(sed -n 's/^maxrss_kib=//p' <<<"$stderr")
		echo "# --mode ${mode%% *}: peak RSS $kib KiB" >&3
		[ -n "$kib" ] && [ "$kib" -lt $((32 * 1024)) ]
	done
}

@test "the initrd hash is its SHA-256 (streamed), as openssl computes it" {
	run -0 cgs-measure --mode sev --ovmf "$BATS_FILE_TMPDIR/fw.fd" \
		--kernel "$BATS_FILE_TMPDIR/vmlinuz" --initrd "$BIG" --json
	[ "$(jq -r .inputs.initrd.sha256 <<<"$output")" = "$(sha256_hex < "$BIG")" ]
	[ "$(jq -r .inputs.initrd.size <<<"$output")" = $((64 << 20)) ]
}

@test "every input is read once: FIFOs give the same digest as files" {
	local t=$BATS_FILE_TMPDIR
	want=$(cgs-measure --mode snp --vcpus 2 --vcpu-type EPYC --ovmf "$t/fw.fd" \
		--kernel "$t/vmlinuz" --initrd "$BIG" --append x)
	mkfifo "$BATS_TEST_TMPDIR/fw" "$BATS_TEST_TMPDIR/k" "$BATS_TEST_TMPDIR/i"
	# writers open their FIFO under timeout, so a reader that never comes cannot hang us
	feed() { timeout 60 sh -c 'cat "$1" > "$2"' feed "$1" "$2" & }
	feed "$t/fw.fd" "$BATS_TEST_TMPDIR/fw"
	feed "$t/vmlinuz" "$BATS_TEST_TMPDIR/k"
	feed "$BIG" "$BATS_TEST_TMPDIR/i"
	run -0 timeout 60 cgs-measure --mode snp --vcpus 2 --vcpu-type EPYC \
		--ovmf "$BATS_TEST_TMPDIR/fw" --kernel "$BATS_TEST_TMPDIR/k" \
		--initrd "$BATS_TEST_TMPDIR/i" --append x
	wait
	[ "$output" = "$want" ]
}
