# cgs-measure: SNP, 64 vCPUs, 4 MiB firmware, 14 MiB kernel, 64 MiB initrd, against
# the hashing floor: `openssl dgst -sha256 kernel initrd` + `openssl dgst -sha384 firmware`.
set -eu
. bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
gen="$BIN/../tests/helpers/sevgen"

# a valid AmdSevX64-like 4 MiB firmware (kernel hashes), as Debian's ovmf-amdsev lays it out
"$gen" ovmf "$w/OVMF.fd" --size 0x400000 --hashes 0x810c00 \
	--section 0x800000:0x9000:1 --section 0x80a000:0x3000:1 --section 0x80d000:0x1000:2 \
	--section 0x80e000:0x1000:3 --section 0x80f000:0x1000:4 --section 0x811000:0x1f000:1 \
	--section 0x810000:0x1000:0x10
"$gen" large-initrd "$w/kernel" 14
"$gen" large-initrd "$w/initrd" 64
cat "$w/OVMF.fd" "$w/kernel" "$w/initrd" > /dev/null # warm the page cache

tool=$(bench_time "$BIN/cgs-measure" --mode snp --vcpus 64 --vcpu-type EPYC-Genoa \
	--ovmf "$w/OVMF.fd" --kernel "$w/kernel" --initrd "$w/initrd" \
	--append "console=ttyS0 root=/dev/vda1 ro")
floor_a=$(bench_time openssl dgst -sha256 "$w/kernel" "$w/initrd")
floor_b=$(bench_time openssl dgst -sha384 "$w/OVMF.fd")
floor=$(echo "$floor_a + $floor_b" | bc -l)
echo "cgs-measure snp (64 vCPUs, 4 MiB fw, 14 MiB kernel, 64 MiB initrd): ${tool} s"
echo "openssl floor (sha256 kernel+initrd ${floor_a} s, sha384 firmware ${floor_b} s): ${floor} s"
echo "ratio cgs-measure / floor: $(ratio "$tool" "$floor") (target <= 1.3)"
