#!/usr/bin/env bats
# cgs-mkimage pef / pef-info / pef-keygen / pef-authorize / pef-revoke and
# cgs-verify pef on data made here: OpenSSL-CLI keys, a libelf ppc64le
# "vmlinux" (tests/helpers/mk_ppc64_elf), a cpio initrd. Expected digests are
# recomputed with openssl; lockboxes are opened with openssl pkeyutl.

load ../helpers/common

CMDLINE='root=/dev/vda init=/bin/sh svm=on'
MK=
RTAS_STUB=7c641b783c6000006063f000440000224e800020

setup_file() {
	D=$BATS_FILE_TMPDIR
	export D
	cd "$D"
	openssl genrsa -traditional -out owner.key 2048 2>/dev/null
	openssl rsa -in owner.key -pubout -out owner.pub 2>/dev/null
	for k in tpm r2 r3; do
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $k.key 2>/dev/null
		openssl pkey -in $k.key -pubout -out $k.pub
	done
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out small.key 2>/dev/null
	openssl pkey -in small.key -pubout -out small.pub
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out big.key 2>/dev/null
	openssl pkey -in big.key -pubout -out big.pub
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
	openssl pkey -in ec.key -pubout -out ec.pub
	MK="$BUILD/tests/helpers/mk_ppc64_elf"
	"$MK" vmlinux
	"$MK" --data 'DATA:cgs-test-kernEL' vmlinux2
	"$MK" --rel obj.o
	"$MK" --zimage zImage
	"$MK" --machine 62 x86.elf
	mkdir -p root/bin
	printf '#!/bin/sh\necho hello\n' > root/init
	(cd root && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) | gzip -n > initrd.img
	printf 'not-a-real-luks-passphrase\n' > crypttab
	printf '{"guest":"test"}\n' > info.json
	printf '%s' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > master.hex
	cat > svm_blob.yml <<-EOF
	# made by the test
	- origin:
	    comment: "test owner"
	    pubkey: "$D/owner.pub"
	    seckey: "$D/owner.key"
	- recipient:
	    comment: "emulated TPM"
	    pubkey: "$D/tpm.pub"
	- recipient:
	    comment: "second"
	    pubkey: "$D/r2.pub"
	- digest:
	    args: "$CMDLINE"
	    initramfs: "$D/initrd.img"
	    kernel: "$D/vmlinux"
	- file:
	    name: "info"
	    comment: "guest info"
	    path: "$D/info.json"
	- file:
	    name: "crypttab"
	    path: "$D/crypttab"
	EOF
	cgs-mkimage pef -q --config svm_blob.yml --x-master-key master.hex \
		--x-iv digests=00112233445566778899aabbccddeeff -o esm-initrd.img
	cgs-mkimage pef -q --config svm_blob.yml --x-master-key master.hex --attach-to none \
		-o esm.dtb
}

setup() {
	cd "$D"
	OUT=$BATS_TEST_TMPDIR
}

verify() { # extra args...
	cgs-verify pef --blob "$D/esm-initrd.img" --tpm-key "$D/tpm.key" --kernel "$D/vmlinux" \
		--cmdline "$CMDLINE" "$@"
}

failed_checks() { # JSON on stdin -> names of failed checks, comma-separated
	jq -r '[.checks[] | select(.result == "fail") | .name] | join(",")'
}

# a property's bytes, binary, on stdout (fdtget prints bytes without zero padding)
prop_bin() { # file node prop
	fdtget -t bx "$1" "$2" "$3" | tr ' ' '\n' | sed 's/^.$/0&/' | xxd -r -p
}

# flip the first byte of a property: file node prop
flip() {
	local hex first rest
	hex=$(fdtget -t bx "$1" "$2" "$3")
	first=${hex%% *}
	rest=${hex#* }
	fdtput -t bx "$1" "$2" "$3" "$(printf '%x' $((0x$first ^ 1)))" $rest
}

# flip a property inside the nested /file/files-fdt tree
flip_file() { # blob attachment prop
	prop_bin "$1" /file files-fdt > "$OUT/ff.dtb"
	flip "$OUT/ff.dtb" "/files/$2" "$3"
	fdtput -t bx "$1" /file files-fdt $(xxd -p -c1 "$OUT/ff.dtb")
}

@test "pef builds an initramfs whose blob pef-info lists with the key fingerprints" {
	run -0 cgs-mkimage pef-info --json esm-initrd.img
	[ "$(jq -r '.lockboxes | map(.name) | join(",")' <<<"$output")" = \
		"origin-lockbox,lockbox-1,lockbox-2" ]
	for k in owner:0 tpm:1 r2:2; do
		fp=$(openssl dgst -sha256 -r "${k%:*}.pub" | cut -d' ' -f1)
		[ "$(jq -r ".lockboxes[${k#*:}].fingerprint" <<<"$output")" = "$fp" ]
	done
	[ "$(jq -r '.attachments | map(.name + ":" + (.size|tostring)) | join(",")' \
		<<<"$output")" = "info:$(stat -c %s info.json),crypttab:$(stat -c %s crypttab)" ]
	[ "$(jq -r .source.kind <<<"$output")" = initrd ]
	[ "$(jq -r .has_lockbox_1 <<<"$output")" = true ]
	run -0 cgs-mkimage pef-info esm-initrd.img
	assert_line --partial 'lockbox-1'
	assert_line --partial '"emulated TPM"'
	refute_output --partial 'PRIVATE'
}

@test "the digests are SHA-512 of the RTAS stub, the flat vmlinux, the initrd and the command line" {
	run -0 --separate-stderr cgs-mkimage pef --config svm_blob.yml --attach-to none \
		-o "$OUT/b.dtb" --json
	rtas=$(xxd -r -p <<<"$RTAS_STUB" | openssl dgst -sha512 -r | cut -d' ' -f1)
	flat=$({ printf HEADHEAD; head -c $((0x100 - 8)) /dev/zero; printf TEXT-SECTION-20BYTES
		head -c $((0x1000 - 0x114)) /dev/zero; printf DATA:cgs-test-kernel; } |
		openssl dgst -sha512 -r | cut -d' ' -f1)
	[ "$(jq -r .digests.rtas <<<"$output")" = "$rtas" ]
	[ "$(jq -r .digests.kernel <<<"$output")" = "$flat" ]
	[ "$(jq -r .digests.kernel_size <<<"$output")" = $((0x1000 + 20)) ]
	[ "$(jq -r .digests.initrd <<<"$output")" = \
		"$(openssl dgst -sha512 -r initrd.img | cut -d' ' -f1)" ]
	[ "$(jq -r .digests.bootargs <<<"$output")" = \
		"$(printf '%s' "$CMDLINE" | openssl dgst -sha512 -r | cut -d' ' -f1)" ]
}

@test "the initramfs is a 512-padded newc cpio at opt/ibm/pef/esmb.dtb, then the original" {
	run -0 cgs-mkimage pef-info --json esm-initrd.img
	off=$(jq -r .source.initrd_offset <<<"$output")
	[ $((off % 512)) -eq 0 ]
	run -0 bash -c "head -c $off esm-initrd.img | cpio -it --quiet"
	assert_output "$(printf '.\nopt\nopt/ibm\nopt/ibm/pef\nopt/ibm/pef/esmb.dtb')"
	tail -c +$((off + 1)) esm-initrd.img | cmp - initrd.img
	head -c "$off" esm-initrd.img | (cd "$OUT" && cpio -i --quiet -d)
	run -0 cgs-mkimage pef-info --json "$OUT/opt/ibm/pef/esmb.dtb"
	[ "$(jq -r .blob_sha256 <<<"$output")" = \
		"$(openssl dgst -sha256 -r "$OUT/opt/ibm/pef/esmb.dtb" | cut -d' ' -f1)" ]
	[ "$(fdtget "$OUT/opt/ibm/pef/esmb.dtb" / compatible)" = "ibm,esm" ]
}

@test "lockbox-1 opens with openssl pkeyutl (RSA-OAEP SHA-256) and holds the master key" {
	prop_bin esm.dtb /lockboxes/lockbox-1 encrypted-symkey > "$OUT/lb"
	[ "$(stat -c %s "$OUT/lb")" -eq 256 ]
	run -0 bash -c "openssl pkeyutl -decrypt -inkey tpm.key -in '$OUT/lb' \
		-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
		-pkeyopt rsa_mgf1_md:sha256 | xxd -p -c64"
	assert_output "$(cat master.hex)"
	[ "$(fdtget esm.dtb /lockboxes/origin-lockbox/pubkey-fingerprint algorithm)" = SHA256 ]
	[ "$(fdtget esm.dtb /digest/digests-fdt algorithm)" = AES256-GCM ]
	[ "$(fdtget -t bx esm.dtb /digest/digests-fdt iv | wc -w)" -eq 16 ]
}

@test "same master key and IVs give the same sealed digests and attachments" {
	a=(--config svm_blob.yml --x-master-key master.hex --attach-to none
	   --x-iv digests=0f0e0d0c0b0a09080706050403020100 --x-iv info=000102030405060708090a0b0c0d0e0f
	   --x-iv crypttab=101112131415161718191a1b1c1d1e1f)
	cgs-mkimage pef -q "${a[@]}" -o "$OUT/1.dtb"
	cgs-mkimage pef -q "${a[@]}" -o "$OUT/2.dtb"
	for p in ciphertext mac iv; do
		[ "$(fdtget -t bx "$OUT/1.dtb" /digest/digests-fdt $p)" = \
			"$(fdtget -t bx "$OUT/2.dtb" /digest/digests-fdt $p)" ]
	done
	[ "$(fdtget -t bx "$OUT/1.dtb" /file files-fdt)" = "$(fdtget -t bx "$OUT/2.dtb" /file files-fdt)" ]
	[ "$(prop_bin "$OUT/1.dtb" /digest/digests-fdt iv | xxd -p)" = \
		0f0e0d0c0b0a09080706050403020100 ]
	# RSA-OAEP is randomised: the lockboxes differ
	[ "$(fdtget -t bx "$OUT/1.dtb" /lockboxes/lockbox-1 encrypted-symkey)" != \
		"$(fdtget -t bx "$OUT/2.dtb" /lockboxes/lockbox-1 encrypted-symkey)" ]
	run -64 cgs-mkimage pef "${a[@]}" --x-iv digests=00 -o "$OUT/3.dtb"
	assert_output --partial "x-iv"
	run -64 cgs-mkimage pef "${a[@]}" --x-iv nosuch=000102030405060708090a0b0c0d0e0f \
		-o "$OUT/3.dtb"
	assert_output --partial "names no item"
	[ ! -e "$OUT/3.dtb" ]
}

@test "cgs-verify pef passes with the components that were measured" {
	run -0 verify
	assert_line --partial "VERIFIED"
	run -0 verify --json
	[ "$(jq -r .verified <<<"$output")" = true ]
	[ "$(jq -r .evidence <<<"$output")" = pef ]
	[ "$(jq -r '.checks | map(.name + "=" + .result) | join(",")' <<<"$output")" = \
		"lockbox-1=pass,digests=pass,rtas=pass,kernel-size=pass,kernel=pass,initrd=pass,bootargs=pass,file:info=pass,file:crypttab=pass" ]
	# the bare blob with the original initrd, and the same through an explicit --initrd
	run -0 cgs-verify pef --blob esm.dtb --tpm-key tpm.key --kernel vmlinux --initrd initrd.img \
		--cmdline "$CMDLINE"
	run -0 verify --initrd esm-initrd.img
}

@test "a changed kernel, initrd or command line fails exactly that check (exit 2)" {
	run -2 verify --kernel vmlinux2 --json
	[ "$(failed_checks <<<"$output")" = kernel ]
	run -2 verify --kernel vmlinux2
	assert_line --partial "NOT VERIFIED: kernel failed"
	cp initrd.img "$OUT/i2" && printf 'x' >> "$OUT/i2"
	run -2 verify --initrd "$OUT/i2" --json
	[ "$(failed_checks <<<"$output")" = initrd ]
	run -2 verify --cmdline "$CMDLINE " --json
	[ "$(failed_checks <<<"$output")" = bootargs ]
	run -66 verify --blob "$OUT/none"
}

@test "each mutated GCM tag or ciphertext is detected" {
	cp esm.dtb "$OUT/m.dtb"; flip "$OUT/m.dtb" /digest/digests-fdt mac
	run -2 cgs-verify pef --blob "$OUT/m.dtb" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE" --json
	[ "$(failed_checks <<<"$output")" = digests ]
	[ "$(jq -r '.checks[2].result' <<<"$output")" = skip ]
	cp esm.dtb "$OUT/c.dtb"; flip "$OUT/c.dtb" /digest/digests-fdt ciphertext
	run -2 cgs-verify pef --blob "$OUT/c.dtb" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE" --json
	[ "$(failed_checks <<<"$output")" = digests ]
	for f in info crypttab; do
		for p in mac ciphertext iv; do
			cp esm.dtb "$OUT/f.dtb"; flip_file "$OUT/f.dtb" $f $p
			run -2 cgs-verify pef --blob "$OUT/f.dtb" --tpm-key tpm.key --kernel vmlinux \
				--initrd initrd.img --cmdline "$CMDLINE" --json
			[ "$(failed_checks <<<"$output")" = "file:$f" ]
		done
	done
}

@test "each mutated lockbox no longer opens" {
	cp esm.dtb "$OUT/l1.dtb"; flip "$OUT/l1.dtb" /lockboxes/lockbox-1 encrypted-symkey
	run -2 cgs-verify pef --blob "$OUT/l1.dtb" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE" --json
	[ "$(failed_checks <<<"$output")" = lockbox-1 ]
	run -0 cgs-verify pef --blob esm.dtb --tpm-key r2.key --lockbox lockbox-2 --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE"
	cp esm.dtb "$OUT/l2.dtb"; flip "$OUT/l2.dtb" /lockboxes/lockbox-2 encrypted-symkey
	run -2 cgs-verify pef --blob "$OUT/l2.dtb" --tpm-key r2.key --lockbox lockbox-2 \
		--kernel vmlinux --initrd initrd.img --cmdline "$CMDLINE" --json
	[ "$(failed_checks <<<"$output")" = lockbox-2 ]
	cp esm.dtb "$OUT/o.dtb"; flip "$OUT/o.dtb" /lockboxes/origin-lockbox encrypted-symkey
	run -65 cgs-mkimage pef-authorize --owner-key owner.key --recipient r3.pub -o "$OUT/x" \
		"$OUT/o.dtb"
	assert_output --partial "does not open the origin lockbox"
	[ ! -e "$OUT/x" ]
	# the wrong key for lockbox-1
	run -2 verify --tpm-key r2.key --json
	[ "$(failed_checks <<<"$output")" = lockbox-1 ]
}

@test "a blob without lockbox-1 is reported, and the Ultravisor check fails" {
	run -0 cgs-mkimage pef-revoke --owner-key owner.key --lockbox lockbox-1 -o "$OUT/r.img" \
		esm-initrd.img
	assert_output --partial "no longer open"
	run -0 cgs-mkimage pef-info "$OUT/r.img"
	assert_output --partial "no lockbox-1"
	run -2 cgs-verify pef --blob "$OUT/r.img" --tpm-key tpm.key --kernel vmlinux \
		--cmdline "$CMDLINE"
	assert_output --partial "has no lockbox-1"
	run -64 cgs-mkimage pef --owner-key owner.key --kernel vmlinux -o "$OUT/n.img"
	assert_output --partial "lockbox-1"
	[ ! -e "$OUT/n.img" ]
}

@test "pef-authorize adds lockbox-3 that opens with its key; pef-revoke removes it" {
	run -0 cgs-mkimage pef-authorize --owner-key owner.key --recipient r3.pub --comment third \
		-o "$OUT/a.img" esm-initrd.img
	run -0 cgs-mkimage pef-info --json "$OUT/a.img"
	[ "$(jq -r '.lockboxes[3].name + ":" + .lockboxes[3].comment' <<<"$output")" = \
		"lockbox-3:third" ]
	run -0 cgs-verify pef --blob "$OUT/a.img" --tpm-key r3.key --lockbox lockbox-3 \
		--kernel vmlinux --cmdline "$CMDLINE"
	run -0 cgs-verify pef --blob "$OUT/a.img" --tpm-key tpm.key --kernel vmlinux \
		--cmdline "$CMDLINE"
	run -65 cgs-mkimage pef-authorize --owner-key owner.key --recipient r3.pub \
		-o "$OUT/b.img" "$OUT/a.img"
	assert_output --partial "already authorised"
	run -0 cgs-mkimage pef-revoke --owner-key owner.key --recipient r3.pub -o "$OUT/r.img" \
		"$OUT/a.img"
	run -0 cgs-mkimage pef-info --json "$OUT/r.img"
	[ "$(jq -r '.lockboxes | map(.name) | join(",")' <<<"$output")" = \
		"origin-lockbox,lockbox-1,lockbox-2" ]
	run -65 cgs-mkimage pef-revoke --owner-key owner.key --lockbox origin-lockbox \
		-o "$OUT/o.img" "$OUT/a.img"
	assert_output --partial "origin lockbox cannot be revoked"
	run -65 cgs-mkimage pef-revoke --owner-key r2.key --lockbox lockbox-2 -o "$OUT/w.img" \
		"$OUT/a.img"
	assert_output --partial "not the owner key"
	[ ! -e "$OUT/o.img" ] && [ ! -e "$OUT/w.img" ] && [ ! -e "$OUT/b.img" ]
}

@test "pef-keygen writes a 0600 PKCS#1 private key and its SPKI public key" {
	run -0 cgs-mkimage pef-keygen --private "$OUT/k" --public "$OUT/k.pub"
	[ "$(stat -c %a "$OUT/k")" = 600 ]
	head -1 "$OUT/k" | grep -qx -- '-----BEGIN RSA PRIVATE KEY-----'
	openssl rsa -in "$OUT/k" -check -noout >/dev/null 2>&1
	cmp <(openssl rsa -in "$OUT/k" -pubout 2>/dev/null) "$OUT/k.pub"
	refute_output --partial "PRIVATE"
	printf 'sesame\n' > "$OUT/pass"
	run -0 cgs-mkimage pef-keygen --private "$OUT/e" --public "$OUT/e.pub" \
		--passphrase-file "$OUT/pass"
	grep -q ENCRYPTED "$OUT/e"
	openssl rsa -in "$OUT/e" -passin pass:sesame -noout 2>/dev/null
	run -65 cgs-mkimage pef --owner-key "$OUT/e" --recipient tpm.pub --kernel vmlinux \
		--cmdline "$CMDLINE" -o "$OUT/x.img"
	assert_output --partial "encrypted"
	run -0 cgs-mkimage pef --owner-key "$OUT/e" --passphrase-file "$OUT/pass" \
		--recipient tpm.pub --kernel vmlinux --initrd initrd.img --cmdline "$CMDLINE" \
		-o "$OUT/x.img"
	run -64 cgs-mkimage pef-keygen --private - --public "$OUT/p"
	run -1 cgs-mkimage pef-keygen --private "$OUT/k" --public "$OUT/k2.pub"
	assert_output --partial "exists"
}

@test "wrong key types and sizes are refused (65) without output" {
	base=(--owner-key owner.key --kernel vmlinux --initrd initrd.img --cmdline "$CMDLINE")
	run -65 cgs-mkimage pef "${base[@]}" --recipient ec.pub -o "$OUT/x"
	assert_output --partial "EC key, expected RSA"
	run -65 cgs-mkimage pef "${base[@]}" --recipient big.pub -o "$OUT/x"
	assert_output --partial "RSA-3072 key, expected 2048 bits"
	run -65 cgs-mkimage pef --owner-key small.key --recipient tpm.pub --kernel vmlinux \
		--cmdline "$CMDLINE" -o "$OUT/x"
	assert_output --partial "RSA-1024"
	run -66 cgs-mkimage pef "${base[@]}" --recipient "$OUT/nope.pub" -o "$OUT/x"
	run -65 cgs-mkimage pef "${base[@]}" --recipient crypttab -o "$OUT/x"
	assert_output --partial "not a public key"
	run -65 cgs-mkimage pef --owner-key owner.pub --recipient tpm.pub --kernel vmlinux \
		--cmdline "$CMDLINE" -o "$OUT/x"
	assert_output --partial "not a private key"
	run -65 cgs-mkimage pef --owner-key owner.key --owner-pubkey r2.pub --recipient tpm.pub \
		--kernel vmlinux --cmdline "$CMDLINE" -o "$OUT/x"
	assert_output --partial "not the public half"
	# a 3072-bit key is fine as a later recipient
	run -0 cgs-mkimage pef "${base[@]}" --recipient tpm.pub --recipient big.pub -o "$OUT/ok"
	[ ! -e "$OUT/x" ]
	assert_no_leftovers "$OUT" 'x*'
}

@test "oversized attachments and command lines are refused (65) without output" {
	head -c 65536 /dev/zero > "$OUT/big"
	head -c 65000 /dev/zero > "$OUT/max"
	head -c 40000 /dev/zero > "$OUT/half"
	base=(--owner-key owner.key --recipient tpm.pub --kernel vmlinux --initrd initrd.img)
	run -65 cgs-mkimage pef "${base[@]}" --cmdline "$CMDLINE" --attach "big=$OUT/big" \
		-o "$OUT/x"
	assert_output --partial "limit of 65535 bytes"
	run -65 cgs-mkimage pef "${base[@]}" --cmdline "svm=on $(head -c 2048 /dev/zero | tr '\0' a)" \
		-o "$OUT/x"
	assert_output --partial "command line has 2055 bytes"
	run -64 cgs-mkimage pef "${base[@]}" --cmdline "$CMDLINE" --attach "1bad=$OUT/max" -o "$OUT/x"
	assert_output --partial "invalid attachment name"
	run -64 cgs-mkimage pef "${base[@]}" --cmdline "$CMDLINE" --attach "noequals" -o "$OUT/x"
	# one 65000-byte file fits; two of 40000 overflow the 64 KiB files-fdt
	run -0 cgs-mkimage pef "${base[@]}" --cmdline "$CMDLINE" --attach "a=$OUT/max" -o "$OUT/ok"
	run -65 cgs-mkimage pef "${base[@]}" --cmdline "$CMDLINE" --attach "a=$OUT/half" \
		--attach "b=$OUT/half" -o "$OUT/x"
	assert_output --partial "over the Ultravisor's limit"
	[ ! -e "$OUT/x" ]
	assert_no_leftovers "$OUT" 'x*'
}

@test "malformed or unknown YAML is refused (65) with its line number" {
	printf -- '- origin:\n    pubkey: "a"\n  seckey: [oops\n' > "$OUT/bad.yml"
	run -65 cgs-mkimage pef --config "$OUT/bad.yml" -o "$OUT/x"
	assert_output --regexp "failed to parse '.*bad.yml': line [34]:"
	printf -- '- origin:\n    pubkey: "%s"\n    seckey: "%s"\n    colour: "blue"\n' \
		owner.pub owner.key > "$OUT/unk.yml"
	run -65 cgs-mkimage pef --config "$OUT/unk.yml" -o "$OUT/x"
	assert_output --partial "line 4: unknown key 'colour' in 'origin'"
	printf -- '- recipient:\n    pubkey: "%s"\n' tpm.pub > "$OUT/noorigin.yml"
	run -65 cgs-mkimage pef --config "$OUT/noorigin.yml" -o "$OUT/x"
	assert_output --partial "no 'origin'"
	printf -- '- origin:\n    pubkey: "a"\n    seckey: "b"\n- digest:\n    args: "x"\n' \
		> "$OUT/nokernel.yml"
	run -65 cgs-mkimage pef --config "$OUT/nokernel.yml" -o "$OUT/x"
	assert_output --partial "line 5: 'digest' lacks the required key 'kernel'"
	printf 'origin: x\n' > "$OUT/map.yml"
	run -65 cgs-mkimage pef --config "$OUT/map.yml" -o "$OUT/x"
	assert_output --partial "must be a list"
	[ ! -e "$OUT/x" ]
}

@test "what is not an ESM blob, or not a ppc64 vmlinux, is refused (65)" {
	printf '/dts-v1/;\n/ { compatible = "acme,other"; };\n' | dtc -q -O dtb -o "$OUT/other.dtb"
	run -65 cgs-mkimage pef-info "$OUT/other.dtb"
	assert_output --partial "not an ESM blob"
	run -65 cgs-verify pef --blob "$OUT/other.dtb" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline x
	assert_output --partial "not an ESM blob"
	run -65 cgs-mkimage pef-info initrd.img
	assert_output --partial "not an ESM blob"
	run -65 cgs-mkimage pef-info vmlinux
	assert_output --partial "no section '.kernel:esm_blob'"
	head -c 2000 esm.dtb > "$OUT/trunc.dtb"
	run -65 cgs-mkimage pef-info "$OUT/trunc.dtb"
	run -66 cgs-mkimage pef-info "$OUT/missing.dtb"
	base=(--owner-key owner.key --recipient tpm.pub --initrd initrd.img --cmdline "$CMDLINE")
	run -65 cgs-mkimage pef "${base[@]}" --kernel zImage -o "$OUT/x"
	assert_output --partial "zImage"
	run -65 cgs-mkimage pef "${base[@]}" --kernel x86.elf -o "$OUT/x"
	assert_output --partial "not a ppc64 ELF"
	run -65 cgs-mkimage pef "${base[@]}" --kernel obj.o -o "$OUT/x"
	assert_output --partial "not an executable ELF"
	run -65 cgs-mkimage pef "${base[@]}" --kernel initrd.img -o "$OUT/x"
	assert_output --partial "not an ELF file"
	run -65 cgs-mkimage pef --owner-key owner.key --recipient tpm.pub --kernel vmlinux \
		--initrd esm-initrd.img --cmdline "$CMDLINE" -o "$OUT/x"
	assert_output --partial "already starts with an ESM cpio"
	run -65 cgs-mkimage pef "${base[@]}" --kernel vmlinux --attach-to elf --elf-object vmlinux \
		-o "$OUT/x"
	assert_output --partial "relocatable object"
	[ ! -e "$OUT/x" ]
	assert_no_leftovers "$OUT" 'x*'
}

@test "--attach-to elf adds .kernel:esm_blob (PROGBITS, ALLOC, align 1) to an object" {
	run -0 cgs-mkimage pef --owner-key owner.key --recipient tpm.pub --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE" --attach-to elf --elf-object obj.o \
		-o "$OUT/o.o"
	run -0 readelf -S -W "$OUT/o.o"
	assert_output --regexp '\.kernel:esm_blob +PROGBITS +0+ [0-9a-f]+ [0-9a-f]+ 00 +A +0 +0 +1'
	run -0 cgs-mkimage pef-info --json "$OUT/o.o"
	[ "$(jq -r .source.kind <<<"$output")" = elf ]
	run -0 cgs-verify pef --blob "$OUT/o.o" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE"
	run -64 cgs-verify pef --blob "$OUT/o.o" --tpm-key tpm.key --kernel vmlinux \
		--cmdline "$CMDLINE"
	assert_output --partial "missing '--initrd'"
	run -65 cgs-mkimage pef-authorize --owner-key owner.key --recipient r3.pub -o "$OUT/z.o" \
		"$OUT/o.o"
}

@test "secrets are never printed; outputs are not overwritten without --force" {
	run -0 cgs-mkimage pef -vv --config svm_blob.yml --x-master-key master.hex \
		--attach-to none -o "$OUT/s.dtb" --json
	refute_output --partial "PRIVATE"
	refute_output --partial "$(cat master.hex)"
	refute_output --partial "not-a-real-luks-passphrase"
	run -0 verify -vv --json
	refute_output --partial "$(cat master.hex)"
	refute_output --partial "PRIVATE"
	run -1 cgs-mkimage pef --config svm_blob.yml --attach-to none -o "$OUT/s.dtb"
	assert_output --partial "exists"
	run -0 cgs-mkimage pef --config svm_blob.yml --attach-to none -o "$OUT/s.dtb" --force
	! grep -q not-a-real-luks-passphrase "$OUT/s.dtb"
	! grep -q not-a-real-luks-passphrase esm-initrd.img
}

@test "usage errors are 64" {
	run -64 cgs-mkimage pef --config svm_blob.yml
	assert_output --partial "missing '--output'"
	run -64 cgs-mkimage pef --config svm_blob.yml --attach-to disk -o "$OUT/x"
	run -64 cgs-mkimage pef --config svm_blob.yml --attach-to elf -o "$OUT/x"
	run -64 cgs-mkimage pef --config svm_blob.yml --x-iv nothex -o "$OUT/x"
	run -64 cgs-verify pef --blob esm.dtb --tpm-key tpm.key --kernel vmlinux
	assert_output --partial "missing '--cmdline'"
	run -64 cgs-mkimage pef-info
	run -64 cgs-mkimage pef-revoke --owner-key owner.key -o "$OUT/x" esm.dtb
	[ ! -e "$OUT/x" ]
}

@test "after pef-revoke of lockbox-1, pef-authorize recreates lockbox-1 (the lowest free name)" {
	run -0 cgs-mkimage pef-revoke --owner-key owner.key --lockbox lockbox-1 -o "$OUT/r.img" \
		esm-initrd.img
	run -0 cgs-mkimage pef-authorize --owner-key owner.key --recipient r3.pub -o "$OUT/a.img" \
		"$OUT/r.img"
	assert_output --partial "as lockbox-1"
	run -0 cgs-mkimage pef-info --json "$OUT/a.img"
	[ "$(jq -r '.lockboxes | map(.name) | sort | join(",")' <<<"$output")" = \
		"lockbox-1,lockbox-2,origin-lockbox" ]
	# the Ultravisor's lockbox opens with the new key and the blob boots again
	run -0 cgs-verify pef --blob "$OUT/a.img" --tpm-key r3.key --kernel vmlinux \
		--cmdline "$CMDLINE"
	assert_output --partial "the Ultravisor would accept"
	# with lockbox-1 and lockbox-2 taken, the next one is lockbox-3
	run -0 cgs-mkimage pef-authorize --owner-key owner.key --recipient tpm.pub -o "$OUT/b.img" \
		"$OUT/a.img"
	assert_output --partial "as lockbox-3"
}

@test "a recipient named twice is refused (65), also from another file of the same key" {
	openssl rsa -pubin -in r2.pub -RSAPublicKey_out -out "$OUT/r2-pkcs1.pub" 2>/dev/null
	sed "s|pubkey: \"$D/tpm.pub\"|pubkey: \"$OUT/r2-pkcs1.pub\"|" svm_blob.yml > "$OUT/dup.yml"
	! cmp -s "$OUT/r2-pkcs1.pub" r2.pub
	run -65 cgs-mkimage pef --config "$OUT/dup.yml" --attach-to none -o "$OUT/x.dtb"
	assert_output --partial "named twice"
	run -65 cgs-mkimage pef --owner-key owner.key --recipient tpm.pub --recipient r2.pub \
		--recipient tpm.pub --kernel vmlinux --initrd initrd.img --cmdline "$CMDLINE" \
		--attach-to none -o "$OUT/y.dtb"
	assert_output --partial "'tpm.pub' is named twice (as recipient 1 and 3)"
	[ ! -e "$OUT/x.dtb" ] && [ ! -e "$OUT/y.dtb" ]
	assert_no_leftovers "$OUT" '[xy]*'
}

@test "pef-info and cgs-verify pef read a 65,535-byte attachment and a comment with a line feed, as svm-tool writes them" {
	# the builder stops at the Ultravisor's 64 KiB files tree; svm-tool does not, so
	# make the attachment big after the fact, sealed with the (injected) master key
	run -0 cgs-mkimage pef -q --config svm_blob.yml --x-master-key master.hex \
		--attach-to none -o "$OUT/b.dtb"
	prop_bin "$OUT/b.dtb" /file files-fdt > "$OUT/ff.dtb"
	iv=$(prop_bin "$OUT/ff.dtb" /files/info iv | xxd -p)
	python3 - "$(cat master.hex)" "$iv" "$OUT" <<-'PY'
	import sys
	from cryptography.hazmat.primitives.ciphers.aead import AESGCM
	key, iv, out = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3]
	sealed = AESGCM(key).encrypt(iv, bytes(range(256)) * 255 + bytes(255), None)
	open(out + "/ct", "wb").write(sealed[:-16])
	open(out + "/mac", "wb").write(sealed[-16:])
	PY
	[ "$(stat -c %s "$OUT/ct")" -eq 65535 ]
	fdtput -t bx "$OUT/ff.dtb" /files/info ciphertext $(xxd -p -c1 "$OUT/ct")
	fdtput -t bx "$OUT/ff.dtb" /files/info mac $(xxd -p -c1 "$OUT/mac")
	[ "$(stat -c %s "$OUT/ff.dtb")" -gt 65536 ]
	fdtput -t bx "$OUT/b.dtb" /file files-fdt $(xxd -p -c1 "$OUT/ff.dtb")
	# svm-tool also takes a comment with a line feed (the builder refuses one)
	fdtput -t s "$OUT/b.dtb" /lockboxes/lockbox-2 untrusted-comment "$(printf 'two\nlines')"
	run -0 cgs-mkimage pef-info --json "$OUT/b.dtb"
	[ "$(jq -r '.attachments[] | select(.name == "info") | .size' <<<"$output")" = 65535 ]
	[ "$(jq -r '.lockboxes[] | select(.name == "lockbox-2") | .comment' <<<"$output")" = \
		"$(printf 'two\nlines')" ]
	run -0 cgs-verify pef --blob "$OUT/b.dtb" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE" --json
	[ "$(jq -r '.checks[] | select(.name == "file:info") | .result' <<<"$output")" = pass ]
	# a flipped byte in the big attachment still fails its tag
	flip "$OUT/ff.dtb" /files/info ciphertext
	fdtput -t bx "$OUT/b.dtb" /file files-fdt $(xxd -p -c1 "$OUT/ff.dtb")
	run -2 cgs-verify pef --blob "$OUT/b.dtb" --tpm-key tpm.key --kernel vmlinux \
		--initrd initrd.img --cmdline "$CMDLINE" --json
	[ "$(failed_checks <<<"$output")" = file:info ]
}

# --- issue 10 item 12: a kernel of another length fails the length check as well as the
# --- digest, so a verifier that skipped the length comparison is caught.
@test "pef survivors: a kernel of another length fails kernel-size and kernel" {
	"$BUILD/tests/helpers/mk_ppc64_elf" --data 'DATA:cgs-test-kernel-with-longer-data' "$OUT/vmlinux3"
	run -2 verify --kernel "$OUT/vmlinux3" --json
	[ "$(failed_checks <<<"$output")" = kernel-size,kernel ]
	[ "$(jq -r '.checks[] | select(.name == "kernel-size") | .expected' <<<"$output")" != \
		"$(jq -r '.checks[] | select(.name == "kernel-size") | .actual' <<<"$output")" ]
}
