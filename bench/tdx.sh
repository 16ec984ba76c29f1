# cgs-measure --mode tdx: 14 MiB kernel, 64 MiB initrd, 4 GiB, against the SHA-384
# floor over the same bytes: `openssl dgst -sha384` of one file as long as everything
# cgs-measure hashes (MRTD records, every event's bytes, the kernel's Authenticode
# ranges, the initrd). Uses Debian's OVMF.inteltdx.ms.fd from ../shared when present.
set -eu
. bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
gen="$BIN/../tests/helpers/tdxgen"
fw=${CGS_VECTORS:-../shared/vectors}/tdx/firmware/sid_OVMF.inteltdx.ms.fd
if [ ! -f "$fw" ]; then
	fw=$w/fw.fd
	"$gen" fw "$fw" --pk
fi
"$gen" kernel "$w/kernel" $((14 << 20))
"$gen" acpi "$w/tables"
"$BIN/../tests/helpers/sevgen" large-initrd "$w/initrd" 64
cat "$fw" "$w/kernel" "$w/initrd" > /dev/null # warm the page cache
set -- --mode tdx --ovmf "$fw" --kernel "$w/kernel" --initrd "$w/initrd" \
	--append "console=ttyS0 root=/dev/vda1 ro" --memory 4G --acpi-tables "$w/tables"
bytes=$("$BIN/cgs-measure" "$@" --json=short | jq '.intermediate.mrtd_pages_added * 128 +
	.intermediate.mrtd_chunks_extended * 384 + ([.events[].size] | add)')
head -c "$bytes" /dev/zero > "$w/floor"
tool=$(bench_time "$BIN/cgs-measure" "$@")
floor=$(bench_time openssl dgst -sha384 "$w/floor")
echo "cgs-measure tdx ($(du -k "$fw" | cut -f1) KiB fw, 14 MiB kernel, 64 MiB initrd): ${tool} s"
echo "openssl dgst -sha384 over the same $bytes bytes: ${floor} s"
echo "ratio cgs-measure / floor: $(ratio "$tool" "$floor") (target <= 1.1)"
