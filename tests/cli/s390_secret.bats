#!/usr/bin/env bats
# cgs-mkimage s390-secret on generated data: requests for a header made by the
# test Ultravisor, opened again on the Ultravisor's side with the host key, and
# checked against values computed with the openssl CLI; bad input.

load ../helpers/common

UV="$BUILD/tests/helpers/s390_uv_attest"

setup_file() {
	export D="$BATS_FILE_TMPDIR"
	for h in host host2; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$D/$h.key" 2>/dev/null
		openssl req -new -x509 -key "$D/$h.key" -subj "/CN=$h" -days 2 -out "$D/$h.crt" 2>/dev/null
	done
	"$UV" mkhdr "$D/hdr.bin" "$D/host.crt"
}

setup() {
	T=$BATS_TEST_TMPDIR
	base=(-k "$D/host.crt" --no-verify --hdr "$D/hdr.bin")
}

uv() { # REQUEST [SIGNER.pub]: the Ultravisor's view, as "key value" lines
	"$UV" addsecret "$1" "$D/hdr.bin" "$D/host.key" ${2:+"$2"}
}

field() { # OUTPUT KEY
	echo "$1" | sed -n "s/^$2 //p"
}

@test "meta request with an extension secret and disable-dump" {
	head -c 32 /dev/urandom > "$T/ext"
	run -0 cgs-mkimage s390-secret "${base[@]}" --extension-secret "$T/ext" --flags disable-dump \
		-o "$T/req" meta
	run -0 uv "$T/req"
	[ "$(field "$output" type)" = 1 ]
	[ "$(field "$output" flags)" = 0x8000000000000000 ]
	[ "$(field "$output" ext)" = "$(xxd -p -c 64 "$T/ext")" ]
	[ "$(field "$output" secret)" = "" ]
}

@test "association secret: random, written 0600, ID = SHA-256 of the name" {
	run -0 --separate-stderr cgs-mkimage s390-secret "${base[@]}" --output-secret "$T/sec" \
		-o "$T/req" association "my adapter"
	[ "$(stat -c %a "$T/sec")" = 600 ]
	id=$(printf 'my adapter' | openssl dgst -sha256 -r | cut -d' ' -f1)
	assert_line "id: 0x$id"
	run -0 uv "$T/req"
	[ "$(field "$output" type)" = 2 ]
	[ "$(field "$output" id)" = "$id" ]
	[ "$(field "$output" secret)" = "$(xxd -p -c 64 "$T/sec")" ]
}

@test "extension secret derived from the CCK equals HKDF-SHA512 from the openssl CLI" {
	head -c 32 /dev/urandom > "$T/cck"
	head -c 32 /dev/urandom > "$T/sec"
	run -0 cgs-mkimage s390-secret "${base[@]}" --cck "$T/cck" --input-secret "$T/sec" \
		-o "$T/req" association a
	want=$(openssl kdf -keylen 32 -kdfopt digest:SHA512 -kdfopt hexkey:"$(xxd -p -c 64 "$T/cck")" \
		-kdfopt hexsalt:"$(tail -c 16 "$D/hdr.bin" | xxd -p)" \
		-kdfopt "info:IBM Z Ultravisor Add-Secret" HKDF | tr -d ':\n' | tr 'A-F' 'a-f')
	run -0 uv "$T/req"
	[ "$(field "$output" ext)" = "$want" ]
	[ "$(field "$output" secret)" = "$(xxd -p -c 64 "$T/sec")" ]
}

@test "retrievable secrets: plaintext encoding, AES, HMAC, EC keys, update-cck" {
	printf 'a plain secret' > "$T/plain"
	run -0 cgs-mkimage s390-secret "${base[@]}" --secret "$T/plain" --type plain -o "$T/p" \
		retrievable pw
	run -0 uv "$T/p"
	[ "$(field "$output" type)" = 3 ]
	# be16 length 14, the text, zero padding to 16 bytes
	[ "$(field "$output" secret)" = "000e$(xxd -p "$T/plain")" ]
	head -c 24 /dev/urandom > "$T/aes"
	run -0 cgs-mkimage s390-secret "${base[@]}" --secret "$T/aes" --type aes -o "$T/a" retr k
	run -0 uv "$T/a"
	[ "$(field "$output" type)" = 5 ]
	[ "$(field "$output" secret)" = "$(xxd -p -c 64 "$T/aes")" ]
	head -c 128 /dev/urandom > "$T/hmac"
	run -0 cgs-mkimage s390-secret "${base[@]}" --secret "$T/hmac" --type hmac-sha -o "$T/h" retr h
	run -0 uv "$T/h"
	[ "$(field "$output" type)" = 10 ]
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$T/ec.pem" 2>/dev/null
	run -0 cgs-mkimage s390-secret "${base[@]}" --secret "$T/ec.pem" --type ec -o "$T/e" retr e
	run -0 uv "$T/e"
	[ "$(field "$output" type)" = 17 ]
	# SEC1 DER: 30 77 02 01 01 04 20 <32-byte scalar>
	[ "$(field "$output" secret)" = "$(openssl ec -in "$T/ec.pem" -outform DER 2>/dev/null | xxd -s 7 -l 32 -p -c 64)" ]
	head -c 32 /dev/urandom > "$T/newcck"
	run -0 cgs-mkimage s390-secret "${base[@]}" --secret "$T/newcck" -o "$T/u" update-cck
	run -0 uv "$T/u"
	[ "$(field "$output" type)" = 22 ]
	[ "$(field "$output" secret)" = "$(xxd -p -c 64 "$T/newcck")" ]
}

@test "user data: unsigned, signed with EC P-521 and RSA-2048 (verified on the UV side)" {
	printf 'hello ultravisor' > "$T/ud"
	run -0 cgs-mkimage s390-secret "${base[@]}" --user-data "$T/ud" -o "$T/u0" meta
	run -0 uv "$T/u0"
	[ "$(field "$output" user_type)" = 1 ]
	[ "$(field "$output" user)" = "$(xxd -p "$T/ud")" ]
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$T/ec.key" 2>/dev/null
	openssl pkey -in "$T/ec.key" -pubout -out "$T/ec.pub"
	run -0 cgs-mkimage s390-secret "${base[@]}" --user-data "$T/ud" --user-sign-key "$T/ec.key" \
		-o "$T/u1" meta
	run -0 uv "$T/u1" "$T/ec.pub"
	[ "$(field "$output" user_type)" = 2 ]
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.key" 2>/dev/null
	openssl pkey -in "$T/rsa.key" -pubout -out "$T/rsa.pub"
	run -0 cgs-mkimage s390-secret "${base[@]}" --user-sign-key "$T/rsa.key" -o "$T/u2" meta
	run -0 uv "$T/u2" "$T/rsa.pub"
	[ "$(field "$output" user_type)" = 3 ]
	# a signature by another key does not verify
	run -1 uv "$T/u1" "$T/rsa.pub"
}

@test "CUID from --cuid-hex, a raw file and pvattest-style text" {
	run -0 cgs-mkimage s390-secret "${base[@]}" --cuid-hex 00112233445566778899aabbccddeeff \
		-o "$T/c1" meta
	run -0 uv "$T/c1"
	[ "$(field "$output" cuid)" = 00112233445566778899aabbccddeeff ]
	printf "cuid: '0xffeeddccbbaa99887766554433221100'\n" > "$T/cuid.yaml"
	run -0 cgs-mkimage s390-secret "${base[@]}" --cuid "$T/cuid.yaml" -o "$T/c2" meta
	run -0 uv "$T/c2"
	[ "$(field "$output" cuid)" = ffeeddccbbaa99887766554433221100 ]
	printf 'no id here' > "$T/bad"
	run -65 cgs-mkimage s390-secret "${base[@]}" --cuid "$T/bad" -o "$T/c3" meta
	[[ $output == *"(field 'cuid')"* ]]
	[ ! -e "$T/c3" ]
}

@test "requests are random by default and reproducible with the --x- options" {
	run -0 cgs-mkimage s390-secret "${base[@]}" -o "$T/r1" meta
	run -0 cgs-mkimage s390-secret "${base[@]}" -o "$T/r2" meta
	! cmp -s "$T/r1" "$T/r2"
	head -c 32 /dev/urandom > "$T/pk"
	head -c 32 /dev/urandom > "$T/sec"
	for i in 3 4; do
		run -0 cgs-mkimage s390-secret "${base[@]}" --x-prot-key "$T/pk" --x-cust-key "$D/host2.key" \
			--x-iv 0102030405060708090a0b0c --input-secret "$T/sec" -o "$T/r$i" association x
	done
	cmp "$T/r3" "$T/r4"
}

@test "bad input: exit codes, messages, nothing written" {
	run -64 cgs-mkimage s390-secret "${base[@]}" -o "$T/o"
	[[ $output == *"missing secret type"* ]]
	run -64 cgs-mkimage s390-secret "${base[@]}" -o "$T/o" frob
	[[ $output == *"unknown secret type 'frob'"* ]]
	run -64 cgs-mkimage s390-secret "${base[@]}" -o "$T/o" association
	[[ $output == *"missing secret name"* ]]
	run -64 cgs-mkimage s390-secret "${base[@]}" -o "$T/o" retrievable x
	[[ $output == *"needs '--secret' and '--type'"* ]]
	run -64 cgs-mkimage s390-secret "${base[@]}" --input-secret x -o "$T/o" meta
	run -64 cgs-mkimage s390-secret -k "$D/host.crt" --no-verify -o "$T/o" meta
	[[ $output == *"missing option '--hdr'"* ]]
	head -c 20 /dev/urandom > "$T/aes"
	run -65 cgs-mkimage s390-secret "${base[@]}" --secret "$T/aes" --type aes -o "$T/o" retr k
	[[ $output == *"20 bytes are not a valid aes key (field 'secret')"* ]]
	run -65 cgs-mkimage s390-secret -k "$D/host2.crt" --no-verify --hdr "$D/hdr.bin" -o "$T/o" meta
	[[ $output == *"has no key slot for host-key document"*"(field 'key slots')"* ]]
	run -65 cgs-mkimage s390-secret "${base[@]}" --hdr "$D/host.crt" -o "$T/o" meta
	[[ $output == *"failed to read the SE header from"* ]]
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$T/p256" 2>/dev/null
	run -65 cgs-mkimage s390-secret "${base[@]}" --user-sign-key "$T/p256" -o "$T/o" meta
	[[ $output == *"(field 'user-sign-key')"* ]]
	head -c 513 /dev/zero > "$T/big"
	run -65 cgs-mkimage s390-secret "${base[@]}" --user-data "$T/big" -o "$T/o" meta
	run -66 cgs-mkimage s390-secret "${base[@]}" --extension-secret "$T/none" -o "$T/o" meta
	[ ! -e "$T/o" ]
	touch "$T/exists"
	run -1 cgs-mkimage s390-secret "${base[@]}" --output-secret "$T/s" -o "$T/exists" association a
	[ ! -e "$T/s" ]
	[ ! -s "$T/exists" ]
}
