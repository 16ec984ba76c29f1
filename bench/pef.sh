# PEF: cgs-verify pef hashes a 256 MiB vmlinux flat image (libelf) and a 256 MiB
# initrd with SHA-512. Ratios: against `openssl dgst -sha512` over the same two
# files (same I/O; 1.0 = as fast), and against `openssl speed sha512` (CPU bound).
. bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
"$BIN/../tests/helpers/mk_ppc64_elf" --big 256 "$w/vmlinux"
head -c $((256 << 20)) /dev/zero > "$w/initrd.img"
"$BIN/cgs-mkimage" pef-keygen -q --private "$w/k" --public "$w/k.pub"
"$BIN/cgs-mkimage" pef -q --owner-key "$w/k" --recipient "$w/k.pub" --kernel "$w/vmlinux" \
	--initrd "$w/initrd.img" --cmdline "svm=on" -o "$w/esm.img" 2>/dev/null
t=$(bench_time "$BIN/cgs-verify" pef --blob "$w/esm.img" --tpm-key "$w/k" \
	--kernel "$w/vmlinux" --cmdline "svm=on")
t_ref=$(bench_time openssl dgst -sha512 "$w/vmlinux" "$w/initrd.img")
bytes=$(((512 << 20) + 4096))
speed=$(openssl_speed -evp sha512)
rate=$(echo "$bytes / $t" | bc -l)
printf 'cgs-verify pef: %.0f MB/s over 512 MiB (kernel + initrd)\n' "$(echo "$rate / 1000000" | bc -l)"
echo "ratio to openssl dgst -sha512 on the same files: $(ratio "$t_ref" "$t")"
echo "ratio to openssl speed sha512 (CPU only): $(ratio "$rate" "$speed")"
