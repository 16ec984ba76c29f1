#!/usr/bin/env bats
# cgs-mkimage s390-pv / s390-info / s390-extract-header on data made here: an
# IBM-Z-style PKI from the openssl CLI, synthetic kernel/ramdisk/loaders, and a
# test-only Ultravisor model (tests/helpers/s390_uv.c) that unwraps the key slot
# with the host private key, decrypts the header, recomputes the digests and
# decrypts the components. Independent checks use the openssl CLI.

load ../helpers/common
load ../helpers/s390_pki
load ../helpers/s390_cli

xor_hex() { # a b -> a ^ b (hex, same length)
	local a=$1 b=$2 out= i h
	for ((i = 0; i < ${#a}; i += 2)); do
		printf -v h '%02x' $((0x${a:i:2} ^ 0x${b:i:2}))
		out+=$h
	done
	echo "$out"
}
aes_ecb() { # key-hex block-hex -> AES-256 encryption of one block (openssl CLI)
	printf '%s' "$2" | xxd -r -p | openssl enc -aes-256-ecb -K "$1" -nopad | xxd -p -c 32
}
gf_double() { # XTS tweak times alpha (little-endian 128-bit shift, feedback 0x87)
	local t=$1 out= carry=0 i b h
	for ((i = 0; i < 32; i += 2)); do
		b=$((0x${t:i:2}))
		printf -v h '%02x' $(((b << 1 | carry) & 0xff))
		out+=$h
		carry=$((b >> 7))
	done
	if [ $carry -eq 1 ]; then
		printf -v h '%02x' $((0x${out:0:2} ^ 0x87))
		out=$h${out:2}
	fi
	echo "$out"
}

@test "pvimg layout: verified host keys, the Ultravisor model unpacks it for both hosts" {
	O="$BATS_TEST_TMPDIR"
	run -0 --separate-stderr build -o "$O/se.img"
	[[ $stderr == *"pvimg layout, 2 host keys (verified)"* ]]
	for h in host host2; do
		mkdir -p "$O/$h"
		run -0 "$UV" "$O/se.img" "$S/pki/$h.key" "$O/$h"
		refute_output --partial MISMATCH
	done
	run -2 "$UV" "$O/se.img" "$S/pki/host_rev.key"
	assert_output --partial "no key slot"
	cmp -n 200000 "$O/host/kernel.bin" "$S/in/kernel"
	cmp -n 12345 "$O/host/ramdisk.bin" "$S/in/ramdisk"
	# parmline: the file plus one NUL
	cmp -n 38 "$O/host/parmline.bin" "$S/in/parmfile"
	[ "$(xxd -s 38 -l 1 -p "$O/host/parmline.bin")" = 00 ]
	# metadata block, short PSW, file size (IPIB last: 136 + 24 * 4 bytes)
	[ "$(str_at "$O/se.img" $((0xc000)) 8)" = SeImgLnx ]
	[ "$(u64_at "$O/se.img" 0xc008)" = 0000000000014000 ]
	[ "$(u64_at "$O/se.img" 0)" = 0008000180011000 ]
	ipib=$((0x$(xxd -s 0xc014 -l 8 -p "$O/se.img")))
	[ "$(stat -c %s "$O/se.img")" -eq $((ipib + 232)) ]
	# stage3b arguments: kernel (0x15000, size), parmline, ramdisk, PSW 0x10000
	a=$((5860 - 64))
	[ "$(u64_at "$O/host/stage3b.bin" $a)" = 0000000000015000 ]
	[ "$((0x$(u64_at "$O/host/stage3b.bin" $((a + 8)))))" -eq 200000 ]
	[ "$((0x$(u64_at "$O/host/stage3b.bin" $((a + 24)))))" -eq 39 ]
	[ "$((0x$(u64_at "$O/host/stage3b.bin" $((a + 40)))))" -eq 12345 ]
	[ "$(u64_at "$O/host/stage3b.bin" $((a + 56)))" = 0000000000010000 ]
	# stage3a argument block: header 0x14000 relative to the block at 0x10000 + 9912 - 24
	[ "$((0x$(u64_at "$O/se.img" $((0x10000 + 9912 - 24)))))" -eq $((0x14000 - 0x10000 - 9912 + 24)) ]
}

@test "genprotimg layout: IPIB page at 0x13000, header at 0x14000, unpacked by the model" {
	O="$BATS_TEST_TMPDIR"
	run -0 build --x-layout genprotimg -o "$O/se.img"
	run -0 "$UV" "$O/se.img" "$S/pki/host2.key" "$O"
	refute_output --partial MISMATCH
	[ "$(str_at "$O/se.img" $((0x14000)) 8)" = IBMSecEx ]
	[ "$(xxd -s 0x13000 -l 4 -p "$O/se.img")" = 00001000 ]
	[ "$(xxd -s 0xc000 -l 8 -p "$O/se.img")" = 0000000000000000 ]
	cmp -n 200000 "$O/kernel.bin" "$S/in/kernel"
	# C order: kernel, parmline, ramdisk, stage3b; the file ends with stage3b
	run -0 cgs-mkimage s390-info --json "$O/se.img"
	[ "$(jq -r '[.ipib.components[].name] | join(",")' <<<"$output")" = kernel,parmline,ramdisk,stage3b ]
	last=$(jq -r '.ipib.components[-1] | (.addr | ltrimstr("0x")) + " " + (.stored_size | tostring)' <<<"$output")
	[ "$(stat -c %s "$O/se.img")" -eq $((0x${last% *} + ${last#* })) ]
}

@test "components and digests agree with the openssl CLI (XTS per page, SHA-512 lists)" {
	O="$BATS_TEST_TMPDIR"
	run -0 build $(det_args) -o "$O/se.img"
	run -0 cgs-mkimage s390-info --json "$O/se.img"
	info=$output
	key=$(xxd -p -c 64 "$S/comp.key")
	# kernel page 1 at 0x16000, tweak 0028a1a2a3a4a5a6 + 4096: the first three
	# XTS blocks, computed with AES-256-ECB from the openssl CLI (it has no XTS)
	t=$(aes_ecb "${key:64:64}" 0028a1a2a3a4a5a60000000000001000)
	for blk in 0 1 2; do
		p=$(xxd -s $((4096 + 16 * blk)) -l 16 -p "$S/in/kernel")
		c=$(xxd -s $((0x16000 + 16 * blk)) -l 16 -p "$O/se.img")
		[ "$(xor_hex "$(aes_ecb "${key:0:64}" "$(xor_hex "$p" "$t")")" "$t")" = "$c" ]
		t=$(gf_double "$t")
	done
	# PLD over every stored page, ALD over page addresses, TLD over page tweaks
	: > "$O/pages"; : > "$O/addrs"; : > "$O/tweaks"
	while read -r name addr size; do
		dd if="$O/se.img" bs=4096 skip=$((addr / 4096)) count=$((size / 4096)) 2>/dev/null >> "$O/pages"
		case $name in kernel) t=0028a1a2a3a4a5a6 ;; ramdisk) t=0032b1b2b3b4b5b6 ;;
			parmline) t=003cc1c2c3c4c5c6 ;; stage3b) t=0046d1d2d3d4d5d6 ;; esac
		for ((p = 0; p < size / 4096; p++)); do
			printf '%016x' $((addr + 4096 * p)) >> "$O/addrs"
			printf '%s%016x' "$t" $((4096 * p)) >> "$O/tweaks"
		done
	done < <(jq -r '.ipib.components[] | "\(.name) \(.addr | ltrimstr("0x") | "0x" + .) \(.stored_size)"' <<<"$info" |
		while read -r n a s; do echo "$n $((a)) $s"; done)
	[ "$(openssl dgst -sha512 -r "$O/pages" | cut -d' ' -f1)" = "$(jq -r .header.pld <<<"$info")" ]
	[ "$(xxd -r -p "$O/addrs" | openssl dgst -sha512 -r | cut -d' ' -f1)" = "$(jq -r .header.ald <<<"$info")" ]
	[ "$(xxd -r -p "$O/tweaks" | openssl dgst -sha512 -r | cut -d' ' -f1)" = "$(jq -r .header.tld <<<"$info")" ]
	# PHKH = SHA-256 of the 80-byte padded X || Y of the host key
	pub=$(openssl pkey -in "$S/pki/host.key" -pubout -outform DER | tail -c 133 | xxd -p -c 300)
	phkh=$( (printf '%028d%s%028d%s' 0 "${pub:2:132}" 0 "${pub:134:132}") | xxd -r -p |
		openssl dgst -sha256 -r | cut -d' ' -f1)
	[ "$(jq -r '.header.host_key_hashes[0]' <<<"$info")" = "$phkh" ]
}

@test "the determinism options give byte-identical images; the JSON follows the contract" {
	O="$BATS_TEST_TMPDIR"
	run -0 build $(det_args) -o "$O/a.img" --json
	json=$output
	run -0 build $(det_args) -o "$O/b.img"
	cmp "$O/a.img" "$O/b.img"
	[ "$(jq -r 'keys_unsorted[0:3] | join(",")' <<<"$json")" = schema_version,tool,verb ]
	[ "$(jq -r .tool <<<"$json")" = cgs-mkimage ]
	[ "$(jq -r .host_key_verification <<<"$json")" = pass ]
	[ "$(jq -r .header.pcf <<<"$json")" = 0xe0 ]
	[ "$(jq -r '.header.tags | length' <<<"$json")" -eq 416 ]
	[ "$(jq -r '.components[0].tweak' <<<"$json")" = 0028a1a2a3a4a5a60000000000000000 ]
	run -0 build -o "$O/c.img"
	! cmp -s "$O/a.img" "$O/c.img"
}

@test "flag options set PCF/SCF like pvimg; --x-pcf/--x-scf replace the words" {
	O="$BATS_TEST_TMPDIR"
	run -0 build --comm-key "$S/cck.key" --enable-dump --enable-pckmo-hmac \
		--enable-cck-extension-secret --disable-pckmo -o "$O/a.img" --json
	[ "$(jq -r .header.pcf <<<"$output")" = 0x20000010 ]
	[ "$(jq -r .scf <<<"$output")" = 0x4000000000000000 ]
	run -0 build --x-pcf 0x2 --x-scf 0x2000000000000000 -o "$O/b.img" --json
	[ "$(jq -r .header.pcf <<<"$output")" = 0x2 ]
	run -0 cgs-mkimage s390-info --json "$O/b.img"
	[ "$(jq -r .header.pcf <<<"$output")" = 0x2 ]
	run -64 --separate-stderr build --x-pcf 0xe0 --enable-dump --comm-key "$S/cck.key" -o "$O/c.img"
	[[ $stderr == *"cannot be combined"* ]]
	run -64 --separate-stderr build --enable-dump -o "$O/c.img"
	[[ $stderr == *"--enable-dump needs --comm-key"* ]]
	run -64 build --enable-dump --disable-dump --comm-key "$S/cck.key" -o "$O/c.img"
	[ ! -e "$O/c.img" ]
}

@test "components stored in clear with --disable-image-encryption, still digested" {
	O="$BATS_TEST_TMPDIR"
	run -0 build --disable-image-encryption -o "$O/se.img"
	run -0 "$UV" "$O/se.img" "$S/pki/host.key"
	refute_output --partial MISMATCH
	dd if="$O/se.img" of="$O/k" bs=4096 skip=$((0x15)) count=2 2>/dev/null
	cmp -n 8192 "$O/k" "$S/in/kernel"
}

@test "empty ramdisk and NUL-terminated parmfile (pvimg rules)" {
	O="$BATS_TEST_TMPDIR"
	: > "$O/empty"
	printf 'quiet\0' > "$O/parm0"
	run -0 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -r "$O/empty" -p "$O/parm0" \
		-k "$S/pki/host.crt" --no-verify --loader-dir "$S/in/loaders" -o "$O/se.img" --json
	[ "$(jq -r '.components[] | select(.name == "ramdisk") | "\(.size) \(.stored_size)"' <<<"$output")" = "0 4096" ]
	[ "$(jq -r '.components[] | select(.name == "parmline") | .size' <<<"$output")" = 6 ]
	run -0 "$UV" "$O/se.img" "$S/pki/host.key"
}

@test "s390-info decrypts with the saved header key; the key files are mode 0600" {
	O="$BATS_TEST_TMPDIR"
	run -0 build -o "$O/se.img" --save-hdr-key "$O/hdr.key" --save-comm-key "$O/cck.bin"
	[ "$(stat -c %a "$O/hdr.key")" = 600 ]
	[ "$(stat -c %a "$O/cck.bin")" = 600 ]
	[ "$(stat -c %s "$O/hdr.key")" = 32 ]
	run -0 cgs-mkimage s390-info --hdr-key "$O/hdr.key" --show-secrets --json "$O/se.img"
	[ "$(jq -r .decrypted.cck <<<"$output")" = "$(xxd -p -c 64 "$O/cck.bin")" ]
	[ "$(jq -r .decrypted.psw_addr <<<"$output")" = "$(jq -r '.ipib.components[-1].addr' <<<"$output")" ]
	run -0 cgs-mkimage s390-info "$O/se.img"
	assert_output --partial "layout                pvimg"
	run -2 --separate-stderr cgs-mkimage s390-info --hdr-key "$S/hdr.key" "$O/se.img"
	[[ $stderr == *"authentication failed"* ]]
}

@test "s390-extract-header cuts the header out as pvextract-hdr does" {
	O="$BATS_TEST_TMPDIR"
	run -0 build -o "$O/se.img"
	run -0 cgs-mkimage s390-extract-header "$O/se.img" -o "$O/hdr.bin"
	dd if="$O/se.img" of="$O/want" bs=1 skip=$((0x14000)) count=720 2>/dev/null
	cmp "$O/hdr.bin" "$O/want"
	run -0 cgs-mkimage s390-info --json "$O/hdr.bin"
	[ "$(jq -r .header.offset <<<"$output")" = 0x0 ]
	run -1 cgs-mkimage s390-extract-header "$O/se.img" -o "$O/hdr.bin"
	run -65 --separate-stderr cgs-mkimage s390-extract-header "$S/in/kernel" -o "$O/none.bin"
	[[ $stderr == *"no Secure Execution header found"* ]]
	[ ! -e "$O/none.bin" ]
}

@test "--no-verify warns; no --cert without --no-verify is a usage error" {
	O="$BATS_TEST_TMPDIR"
	run -0 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$S/pki/host.crt" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/a.img" --json
	[[ $stderr == *"NOT verified"* ]]
	[ "$(jq -r .host_key_verification <<<"$output")" = skip ]
	run -64 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$S/pki/host.crt" \
		--loader-dir "$S/in/loaders" -o "$O/b.img"
	[[ $stderr == *"--no-verify"* ]]
	[ ! -e "$O/b.img" ]
}

@test "--x-psw: header PSW in the pvimg layout, stage3b's kernel PSW in the genprotimg layout" {
	O="$BATS_TEST_TMPDIR"
	run -0 build --x-psw 0x20000 --save-hdr-key "$O/k1" -o "$O/a.img"
	run -0 cgs-mkimage s390-info --json --hdr-key "$O/k1" "$O/a.img"
	[ "$(jq -r .decrypted.psw_addr <<<"$output")" = 0x20000 ]
	S390_UV_ANY_PSW=1 run -0 "$UV" "$O/a.img" "$S/pki/host.key" "$O"
	[ "$(u64_at "$O/stage3b.bin" $((5860 - 8)))" = 0000000000010000 ]
	run -0 build --x-layout genprotimg --x-psw 0x10800 -o "$O/b.img"
	run -0 "$UV" "$O/b.img" "$S/pki/host.key" "$O"
	[ "$(u64_at "$O/stage3b.bin" $((5860 - 8)))" = 0000000000010800 ]
	run -64 build --x-psw 0x100000000 -o "$O/c.img"
}

@test "a long stage3a moves the header (pvimg); readers follow the metadata block" {
	O="$BATS_TEST_TMPDIR"
	mkdir -p "$O/ld"
	head -c $((0xb100)) /dev/urandom > "$O/ld/stage3a.bin"
	cp "$S/in/loaders/stage3b_reloc.bin" "$O/ld/"
	run -0 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -r "$S/in/ramdisk" \
		-k "$S/pki/host.crt" --no-verify --loader-dir "$O/ld" -o "$O/se.img" --json
	[ "$(jq -r .header.offset <<<"$output")" = 0x1c000 ]
	[ "$(jq -r '.components[0].addr' <<<"$output")" = 0x1d000 ]
	run -0 cgs-mkimage s390-info --json "$O/se.img"
	[ "$(jq -r .header.offset <<<"$output")" = 0x1c000 ]
	[ "$(jq -r '.ipib.components | length' <<<"$output")" = 3 ]
	run -0 "$UV" "$O/se.img" "$S/pki/host.key"
	run -0 cgs-mkimage s390-extract-header "$O/se.img" -o "$O/hdr"
	[ "$(stat -c %s "$O/hdr")" = 640 ]
}
