#!/usr/bin/env bats
# POWER PEF ESM blobs against svm-tool's reference output (../shared/vectors/pef):
# open the reference blob with the stand-in TPM key, reproduce every value of
# expected.txt, and rebuild the blob from the same inputs, master key and IVs.

load ../helpers/common

setup() {
	require_vectors pef
	G="$VECTORS/pef/generated"
	S="$VECTORS/pef/svm-tools-tests"
	OUT=$BATS_TEST_TMPDIR
}

expect() { # key -> value from expected.txt
	sed -n "s/^$1 *= *\([0-9a-f]*\).*/\1/p" "$G/expected.txt"
}

prop_bin() { # file node prop -> bytes
	fdtget -t bx "$1" "$2" "$3" | tr ' ' '\n' | sed 's/^.$/0&/' | xxd -r -p
}

prop_hex() { prop_bin "$@" | xxd -p | tr -d '\n'; }

@test "pef-info on the reference blob shows the fingerprints of expected.txt" {
	run -0 cgs-mkimage pef-info --json "$G/esmb.dtb"
	[ "$(jq -r .blob_size <<<"$output")" = 2865 ]
	[ "$(jq -r .blob_sha256 <<<"$output")" = "$(sed -n 's/^sha256 esmb.dtb *= *//p' "$G/expected.txt")" ]
	[ "$(jq -r .lockboxes[0].fingerprint <<<"$output")" = "$(expect fingerprint_origin_sha256)" ]
	[ "$(jq -r .lockboxes[1].fingerprint <<<"$output")" = "$(expect fingerprint_lockbox1_sha256)" ]
	[ "$(jq -r .lockboxes[2].fingerprint <<<"$output")" = "$(expect fingerprint_lockbox2_sha256)" ]
	[ "$(jq -r '.attachments | map(.name + ":" + (.size|tostring) + ":" + .comment) | join(",")' \
		<<<"$output")" = "file-1:246:guest info json,crypttab:29:" ]
	[ "$(jq -r .digests.size <<<"$output")" = 509 ]
	run -0 cgs-mkimage pef-info --json "$G/esmb-initrd.img"
	[ "$(jq -r .source.blob_offset <<<"$output")" = 604 ]
	[ "$(jq -r .source.initrd_offset <<<"$output")" = 4096 ]
	run -0 cgs-mkimage pef-info --json "$G/tiny-with-esm.o"
	[ "$(jq -r .blob_sha256 <<<"$output")" = "$(sed -n 's/^sha256 esmb.dtb *= *//p' "$G/expected.txt")" ]
}

@test "the stand-in TPM key opens lockbox-1 and every digest of expected.txt is reproduced" {
	run -0 cgs-verify pef --blob "$G/esmb-initrd.img" --tpm-key "$G/tpm-emul-privkey.pem" \
		--kernel "$G/tiny-vmlinux" --cmdline "init=/bin/sh svm=1" --json
	[ "$(jq -r .verified <<<"$output")" = true ]
	for c in rtas kernel initrd bootargs; do
		want=$(expect "digest.$c (sha512)")
		[ -n "$want" ]
		[ "$(jq -r ".checks[] | select(.name == \"$c\") | .expected" <<<"$output")" = "$want" ]
		[ "$(jq -r ".checks[] | select(.name == \"$c\") | .actual" <<<"$output")" = "$want" ]
	done
	[ "$(jq -r '.checks[] | select(.name == "kernel-size") | .actual' <<<"$output")" = \
		$((0x$(expect 'digest.kernel-size (be32)'))) ]
	[ "$(jq -r '.inputs.initrd_esm_cpio_skipped' <<<"$output")" = 4096 ]
	# the origin lockbox opens with the svm-tools owner key; lockbox-2 cannot be opened
	run -0 cgs-verify pef --blob "$G/esmb.dtb" --tpm-key "$S/owner-rsaprivkey" \
		--lockbox origin-lockbox --kernel "$G/tiny-vmlinux" --initrd "$G/tiny-initrd.img" \
		--cmdline "init=/bin/sh svm=1"
	run -2 cgs-verify pef --blob "$G/esmb.dtb" --tpm-key "$S/owner-rsaprivkey" \
		--kernel "$G/tiny-vmlinux" --initrd "$G/tiny-initrd.img" --cmdline "init=/bin/sh svm=1"
	assert_output --partial "does not open"
}

@test "a changed command line, kernel or initrd fails exactly that check on the reference" {
	run -2 cgs-verify pef --blob "$G/esmb.dtb" --tpm-key "$G/tpm-emul-privkey.pem" \
		--kernel "$G/tiny-vmlinux" --initrd "$G/tiny-initrd.img" --cmdline "init=/bin/sh svm=on" \
		--json
	[ "$(jq -r '[.checks[] | select(.result == "fail") | .name] | join(",")' <<<"$output")" = \
		bootargs ]
	run -66 cgs-verify pef --blob "$G/esmb.dtb" --tpm-key "$G/tpm-emul-privkey.pem" \
		--kernel "$G/tiny-vmlinux" --initrd "$OUT/nope" --cmdline "init=/bin/sh svm=1"
	cp "$G/tiny-initrd.img" "$OUT/i" && chmod u+w "$OUT/i" && printf x >> "$OUT/i"
	run -2 cgs-verify pef --blob "$G/esmb.dtb" --tpm-key "$G/tpm-emul-privkey.pem" \
		--kernel "$G/tiny-vmlinux" --initrd "$OUT/i" --cmdline "init=/bin/sh svm=1" --json
	[ "$(jq -r '[.checks[] | select(.result == "fail") | .name] | join(",")' <<<"$output")" = \
		initrd ]
}

@test "cgs rebuilds the reference blob from the same inputs, master key and IVs" {
	printf '%s' "$(expect master_key_aes256)" > "$OUT/mk"
	prop_bin "$G/esmb.dtb" /file files-fdt > "$OUT/ref-files.dtb"
	iv_d=$(prop_hex "$G/esmb.dtb" /digest/digests-fdt iv)
	iv_1=$(prop_hex "$OUT/ref-files.dtb" /files/file-1 iv)
	iv_2=$(prop_hex "$OUT/ref-files.dtb" /files/crypttab iv)
	cd "$G" # svm-tool's config holds paths relative to its folder
	run -0 cgs-mkimage pef -q --config svm_blob.yml --x-master-key "$OUT/mk" \
		--x-iv "digests=$iv_d" --x-iv "file-1=$iv_1" --x-iv "crypttab=$iv_2" \
		--attach-to none -o "$OUT/ours.dtb"
	cd "$OUT"
	# the sealed digests and attachments are byte-identical
	for p in ciphertext mac iv untrusted-comment algorithm; do
		[ "$(prop_hex ours.dtb /digest/digests-fdt $p)" = "$(prop_hex "$G/esmb.dtb" /digest/digests-fdt $p)" ]
	done
	[ "$(prop_hex ours.dtb /file files-fdt)" = "$(prop_hex "$G/esmb.dtb" /file files-fdt)" ]
	# lockbox-1 opens with the TPM key, independently of cgs
	prop_bin ours.dtb /lockboxes/lockbox-1 encrypted-symkey > lb1
	run -0 bash -c "openssl pkeyutl -decrypt -inkey '$G/tpm-emul-privkey.pem' -in lb1 \
		-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
		-pkeyopt rsa_mgf1_md:sha256 | xxd -p -c64"
	assert_output "$(expect master_key_aes256)"
	# with the reference's (randomised) RSA-OAEP lockboxes put in, the trees are identical:
	# same header, same layout and values (libfdt leaves stale bytes in alignment padding,
	# which derive from the lockboxes, so the padding is compared through dtc)
	for lb in origin-lockbox lockbox-1 lockbox-2; do
		fdtput -t bx ours.dtb /lockboxes/$lb encrypted-symkey \
			$(fdtget -t bx "$G/esmb.dtb" /lockboxes/$lb encrypted-symkey)
	done
	cmp <(head -c 56 ours.dtb) <(head -c 56 "$G/esmb.dtb")
	cmp <(dtc -q -I dtb -O dts ours.dtb) <(dtc -q -I dtb -O dts "$G/esmb.dtb")
	[ "$(cmp -l ours.dtb "$G/esmb.dtb" | wc -l)" -le 8 ]
}

@test "the initramfs attachment has the reference layout: blob at 604, initrd at 4096" {
	cd "$G"
	run -0 cgs-mkimage pef -q --config svm_blob.yml -o "$OUT/esmb-initrd.img"
	cd "$OUT"
	run -0 cgs-mkimage pef-info --json esmb-initrd.img
	[ "$(jq -r .source.blob_offset <<<"$output")" = 604 ]
	[ "$(jq -r .source.initrd_offset <<<"$output")" = 4096 ]
	[ "$(stat -c %s esmb-initrd.img)" = "$(stat -c %s "$G/esmb-initrd.img")" ]
	tail -c +4097 esmb-initrd.img | cmp - "$G/tiny-initrd.img"
	[ "$(head -c 4096 esmb-initrd.img | cpio -it --quiet)" = \
		"$(head -c 4096 "$G/esmb-initrd.img" | cpio -it --quiet)" ]
	run -0 cgs-verify pef --blob esmb-initrd.img --tpm-key "$G/tpm-emul-privkey.pem" \
		--kernel "$G/tiny-vmlinux" --cmdline "init=/bin/sh svm=1"
}

@test "the flat image of tiny-vmlinux is objcopy's tiny.bin; the ELF section matches the wrapper's" {
	cd "$G"
	run -0 --separate-stderr cgs-mkimage pef --config svm_blob.yml --attach-to none \
		-o "$OUT/b.dtb" --json
	[ "$(jq -r .digests.kernel <<<"$output")" = "$(openssl dgst -sha512 -r tiny.bin | cut -d' ' -f1)" ]
	[ "$(jq -r .digests.kernel_size <<<"$output")" = "$(stat -c %s tiny.bin)" ]
	run -0 cgs-mkimage pef -q --config svm_blob.yml --attach-to elf --elf-object tiny.o \
		-o "$OUT/tiny-with-esm.o"
	ours=$(readelf -S -W "$OUT/tiny-with-esm.o" | grep -F '.kernel:esm_blob' |
		awk '{ print $3, $4, $7, $8, $9, $10, $11 }')
	ref=$(readelf -S -W tiny-with-esm.o | grep -F '.kernel:esm_blob' |
		awk '{ print $3, $4, $7, $8, $9, $10, $11 }')
	[ -n "$ref" ]
	[ "$ours" = "$ref" ]
}
