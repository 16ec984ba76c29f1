# PEF: cgs-verify pef hashes a 256 MiB vmlinux flat image (libelf) and a 256 MiB
# initrd with SHA-512; print its throughput as a ratio of `openssl speed sha512`.
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
bytes=$(( (512 << 20) + 4096 ))
speed=$(openssl_speed -evp sha512)
rate=$(echo "$bytes / $t" | bc -l)
printf 'cgs-verify pef: %.0f MB/s over 512 MiB (kernel + initrd); openssl sha512: %.0f MB/s; ratio %s\n' \
	"$(echo "$rate / 1000000" | bc -l)" "$(echo "$speed / 1000000" | bc -l)" \
	"$(ratio "$rate" "$speed")"
