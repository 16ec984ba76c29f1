# demo: POWER PEF: ESM blob for a generated ppc64le vmlinux, attached to an initramfs, checked
set -eu
d="$WORK/pef"
mkdir -p "$d/root"
"$BIN/../tests/helpers/mk_ppc64_elf" "$d/vmlinux"
"$BIN/../tests/helpers/mk_ppc64_elf" --data 'DATA:cgs-test-kernEL' "$d/vmlinux-patched"
printf '#!/bin/sh\nexec /bin/sh\n' > "$d/root/init"
(cd "$d/root" && find . | cpio -o -H newc --quiet) | gzip -n > "$d/initrd.img"
printf 'demo-luks-passphrase\n' > "$d/crypttab"
"$BIN/cgs-mkimage" pef-keygen -q --private "$d/owner.key" --public "$d/owner.pub"
"$BIN/cgs-mkimage" pef-keygen -q --private "$d/tpm.key" --public "$d/tpm.pub"
cmdline="root=/dev/sda2 svm=on"
"$BIN/cgs-mkimage" pef --owner-key "$d/owner.key" --recipient "$d/tpm.pub" \
	--kernel "$d/vmlinux" --initrd "$d/initrd.img" --cmdline "$cmdline" \
	--attach "crypttab=$d/crypttab" -o "$d/esmb-initrd.img"
"$BIN/cgs-mkimage" pef-info "$d/esmb-initrd.img" | sed 's/^/  /'
echo "verify with the emulated TPM key:"
"$BIN/cgs-verify" pef --blob "$d/esmb-initrd.img" --tpm-key "$d/tpm.key" \
	--kernel "$d/vmlinux" --cmdline "$cmdline" | tail -n 1 | sed 's/^/  /'
echo "verify against a patched kernel (expected to fail):"
if "$BIN/cgs-verify" pef --blob "$d/esmb-initrd.img" --tpm-key "$d/tpm.key" \
	--kernel "$d/vmlinux-patched" --cmdline "$cmdline" > "$d/out.txt"; then
	echo "  unexpected: the patched kernel verified" >&2
	exit 1
fi
grep -e '^kernel ' -e 'NOT VERIFIED' "$d/out.txt" | sed 's/^/  /'
