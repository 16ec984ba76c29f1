#!/usr/bin/env bats
# cgs-verify s390 create-request / verify on generated data only: a test host
# key, an SE header made by the test Ultravisor, the whole loop, and bad input.

load ../helpers/common

UV="$BUILD/tests/helpers/s390_uv_attest"

setup_file() {
	export D="$BATS_FILE_TMPDIR"
	for h in host host2; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$D/$h.key" 2>/dev/null
		openssl req -new -x509 -key "$D/$h.key" -subj "/CN=$h" -days 2 -out "$D/$h.crt" 2>/dev/null
	done
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$D/p256.key" 2>/dev/null
	openssl req -new -x509 -key "$D/p256.key" -subj /CN=p256 -days 2 -out "$D/p256.crt" 2>/dev/null
	"$UV" mkhdr "$D/hdr.bin" "$D/host.crt" "$D/host2.crt"
	"$UV" mkhdr "$D/other.bin" "$D/host.crt"
	# an image-like file: the header at 0x14000 behind filler pages
	head -c $((0x14000)) /dev/zero > "$D/image.img"
	cat "$D/hdr.bin" >> "$D/image.img"
	head -c 8192 /dev/urandom >> "$D/image.img"
	printf 'user data from the guest' > "$D/user"
	cgs-verify s390 create-request -q -k "$D/host.crt" -k "$D/host2.crt" --no-verify \
		--add-data phkh-img,phkh-att -o "$D/req.bin" -a "$D/arpk.bin" 2>/dev/null
	"$UV" perform "$D/req.bin" "$D/hdr.bin" "$D/host2.key" 0123456789abcdef0123456789abcdef \
		"$D/user" "$D/resp.bin"
	# a minimal one: no additional data, no user data
	cgs-verify s390 create-request -q -k "$D/host.crt" --no-verify -o "$D/req0.bin" \
		-a "$D/arpk0.bin" 2>/dev/null
	"$UV" perform "$D/req0.bin" "$D/hdr.bin" "$D/host.key" ffffffffffffffffffffffffffffffff - \
		"$D/resp0.bin"
}

@test "create-request writes an exchange-format request and a 0600 protection key" {
	run -0 cgs-verify s390 create-request -k "$D/host.crt" --no-verify \
		-o "$BATS_TEST_TMPDIR/r.bin" -a "$BATS_TEST_TMPDIR/k.bin"
	[ "$(head -c 8 "$BATS_TEST_TMPDIR/r.bin")" = pvattest ]
	# header 0x40 + ARCB 400 (one slot, nonce)
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/r.bin")" -eq 464 ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/k.bin")" -eq 32 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/k.bin")" = 600 ]
	[[ $output == *"not verified (--no-verify)"* ]]
}

@test "the test Ultravisor's response verifies (image and extracted header, text and JSON)" {
	run -0 --separate-stderr cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
	assert_line "verified: yes"
	assert_line "config uid: 0x0123456789abcdef0123456789abcdef"
	assert_line "user data: $(xxd -p "$D/user" | tr -d '\n')"
	run -0 --separate-stderr cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/image.img" \
		-a "$D/arpk.bin" --json
	echo "$output" | jq -e '.verified == true and .evidence == "s390" and .tool == "cgs-verify"'
	echo "$output" | jq -e '[.checks[].result] == ["pass","pass","pass","pass","pass","skip"]'
	echo "$output" | jq -e '.se_header.offset == "0x14000" and .attestation_flags == "0x7000000000000000"'
}

@test "the PHKHs in the response are the SHA-256 of the attesting host's coordinates" {
	# independent: X || Y of host2's key, each padded to 80 bytes, from the openssl CLI
	pub=$(openssl pkey -in "$D/host2.key" -pubout -outform DER 2>/dev/null | tail -c 132 | xxd -p | tr -d '\n')
	x=${pub:0:132} y=${pub:132:132}
	want=$(printf '%028d%s%028d%s' 0 "$x" 0 "$y" | xxd -r -p | openssl dgst -sha256 -r | cut -d' ' -f1)
	run -0 --separate-stderr cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" \
		-a "$D/arpk.bin" --json=short
	[ "$(echo "$output" | jq -r .additional_data.image_phkh)" = "$want" ]
	[ "$(echo "$output" | jq -r .additional_data.attestation_phkh)" = "$want" ]
}

@test "every single-byte mutation and every truncation of the response is rejected" {
	run -0 "$UV" mutate "$D/resp.bin" "$D/hdr.bin" "$D/arpk.bin"
	assert_output --regexp '^[0-9]+ single-byte mutations and [0-9]+ truncations rejected$'
	run -0 "$UV" mutate "$D/resp0.bin" "$D/hdr.bin" "$D/arpk0.bin"
	assert_output --regexp '^[0-9]+ single-byte mutations and [0-9]+ truncations rejected$'
}

@test "a response whose user data is only an expected size is malformed (65)" {
	cp "$D/resp0.bin" "$BATS_TEST_TMPDIR/r"
	# user-data entry (0x30): size 0x100, offset 0 = "expected size", as in a request
	printf '\x00\x00\x01\x00' | dd of="$BATS_TEST_TMPDIR/r" bs=1 seek=48 conv=notrunc 2>/dev/null
	run -65 cgs-verify s390 verify -i "$BATS_TEST_TMPDIR/r" --hdr "$D/hdr.bin" -a "$D/arpk0.bin"
	[[ $output == *"a response carries data, not an expected size at offset 0x30 (field 'user data')"* ]]
	run -0 cgs-verify s390 verify -i "$D/resp0.bin" --hdr "$D/hdr.bin" -a "$D/arpk0.bin"
}

@test "a wrong ARPK is NOT VERIFIED (2) and names the arpk" {
	head -c 32 /dev/urandom > "$BATS_TEST_TMPDIR/bad"
	run -2 --separate-stderr cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" \
		-a "$BATS_TEST_TMPDIR/bad" -u "$BATS_TEST_TMPDIR/ud"
	assert_line "verified: no"
	[[ $stderr == *"NOT VERIFIED"*"does not decrypt with this ARPK"*"(field 'arpk')"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/ud" ]
	assert_no_leftovers "$BATS_TEST_TMPDIR" 'ud*' 
}

@test "a response for another SE header is NOT VERIFIED (2) by the measurement" {
	run -2 --separate-stderr cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/other.bin" \
		-a "$D/arpk.bin" --json
	echo "$output" | jq -e '.verified == false and (.checks[] | select(.name == "measurement") | .result == "fail")'
	[[ $stderr == *"(field 'measurement')"* ]]
}

@test "--user-data writes the user data of a verified response" {
	run -0 cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" -a "$D/arpk.bin" \
		-u "$BATS_TEST_TMPDIR/ud"
	cmp "$BATS_TEST_TMPDIR/ud" "$D/user"
	run -1 cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" -a "$D/arpk.bin" \
		-u "$BATS_TEST_TMPDIR/ud"
	[[ $output == *"exists"* ]]
}

@test "malformed responses: exit 65 naming the field, 66 when missing" {
	t=$BATS_TEST_TMPDIR
	head -c 63 "$D/resp.bin" > "$t/short"
	run -65 cgs-verify s390 verify -i "$t/short" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
	[[ $output == *"failed to parse '$t/short': truncated"*"(field 'exchange header')"* ]]
	head -c 500 "$D/resp.bin" > "$t/trunc"
	run -65 cgs-verify s390 verify -i "$t/trunc" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
	[[ $output == *"(field 'size')"* ]]
	cp "$D/resp.bin" "$t/v2"
	printf '\x02' | dd of="$t/v2" bs=1 seek=10 conv=notrunc 2>/dev/null
	run -65 cgs-verify s390 verify -i "$t/v2" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
	[[ $output == *"unsupported exchange format version 0x200"*"(field 'version')"* ]]
	cp "$D/resp.bin" "$t/arcbv"
	printf '\x02' | dd of="$t/arcbv" bs=1 seek=$((0x40 + 10)) conv=notrunc 2>/dev/null
	run -65 cgs-verify s390 verify -i "$t/arcbv" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
	[[ $output == *"unsupported attestation request version 0x200"*"(field 'version')"* ]]
	run -65 cgs-verify s390 verify -i "$D/req.bin" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
	[[ $output == *"not an attestation response: no measurement"* ]]
	run -65 cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/user" -a "$D/arpk.bin"
	[[ $output == *"failed to read the SE header from"* ]]
	head -c 31 "$D/arpk.bin" > "$t/k31"
	run -65 cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" -a "$t/k31"
	[[ $output == *"31 bytes, a request protection key has 32"* ]]
	run -66 cgs-verify s390 verify -i "$t/none" --hdr "$D/hdr.bin" -a "$D/arpk.bin"
}

@test "create-request: bad host keys and existing outputs leave nothing behind" {
	t=$BATS_TEST_TMPDIR
	run -65 cgs-verify s390 create-request -k "$D/p256.crt" --no-verify -o "$t/r" -a "$t/k"
	[[ $output == *"secp521r1"* ]]
	run -66 cgs-verify s390 create-request -k "$t/none.crt" --no-verify -o "$t/r" -a "$t/k"
	run -64 cgs-verify s390 create-request -k "$D/host.crt" -o "$t/r" -a "$t/k"
	[[ $output == *"--cert"* ]]
	[ ! -e "$t/r" ] && [ ! -e "$t/k" ]
	assert_no_leftovers "$t"
	touch "$t/exists"
	run -1 cgs-verify s390 create-request -k "$D/host.crt" --no-verify -o "$t/exists" -a "$t/k"
	[ ! -e "$t/k" ]
	[ ! -s "$t/exists" ]
}

@test "create-request and verify: usage errors (64)" {
	run -64 cgs-verify s390 create-request -o x -a y
	[[ $output == *"missing option '--host-key-document'"* ]]
	run -64 cgs-verify s390 create-request -k "$D/host.crt" --no-verify --add-data phkh-foo -o x -a y
	[[ $output == *"invalid argument 'phkh-foo' for '--add-data'"* ]]
	run -64 cgs-verify s390 create-request -k "$D/host.crt" --no-verify --x-iv 0011 -o x -a y
	run -64 cgs-verify s390 verify -i "$D/resp.bin" -a "$D/arpk.bin"
	[[ $output == *"missing option '--hdr'"* ]]
	run -64 cgs-verify s390 frob
	[[ $output == *"unknown verb 'frob'"* ]]
	run -0 cgs-verify s390 --help
	assert_output --partial "create-request"
}

@test "create-request is deterministic with every --x- option" {
	t=$BATS_TEST_TMPDIR
	head -c 32 /dev/urandom > "$t/arpk"
	head -c 64 /dev/urandom > "$t/mk"
	for i in 1 2; do
		run -0 cgs-verify s390 create-request -k "$D/host.crt" --no-verify -o "$t/r$i" -a "$t/k$i" \
			--x-arpk "$t/arpk" --x-cust-key "$D/host2.key" --x-iv 000102030405060708090a0b \
			--x-nonce 00112233445566778899aabbccddeeff --x-meas-key "$t/mk"
	done
	cmp "$t/r1" "$t/r2"
	cmp "$t/k1" "$t/arpk"
	# the ARCB's IV and the customer key are where the format puts them
	[ "$(xxd -s $((0x40 + 16)) -l 12 -p "$t/r1")" = 000102030405060708090a0b ]
	pub=$(openssl pkey -in "$D/host2.key" -pubout -outform DER 2>/dev/null | tail -c 132 | xxd -p | tr -d '\n')
	[ "$(xxd -s $((0x40 + 64 + 14)) -l 66 -p "$t/r1" | tr -d '\n')" = "${pub:0:132}" ]
}

@test "host-key documents verified against a generated IBM-Z-style PKI; revoked, foreign and expired refused" {
	load ../helpers/s390_pki
	p=$BATS_TEST_TMPDIR/pki
	s390_make_pki "$p"
	pki=(-C "$p/ibm.crt" -C "$p/inter_ca.crt" --crl "$p/ibm.crl" --crl "$p/inter_ca.crl"
		--crl "$p/root_ca.crl" --root-ca "$p/root_ca.crt")
	run -0 --separate-stderr cgs-verify s390 create-request -k "$p/host.crt" -k "$p/host2.crt" \
		"${pki[@]}" -o "$BATS_TEST_TMPDIR/r" -a "$BATS_TEST_TMPDIR/k"
	[ "$(xxd -s $((0x40 + 39)) -l 1 -p "$BATS_TEST_TMPDIR/r")" = 02 ]
	for bad in host_rev fake_host host_expired; do
		run -2 cgs-verify s390 create-request -k "$p/$bad.crt" "${pki[@]}" \
			-o "$BATS_TEST_TMPDIR/r2" -a "$BATS_TEST_TMPDIR/k2"
		[[ $output == *"failed to verify the host-key document '$p/$bad.crt'"* ]]
		[ ! -e "$BATS_TEST_TMPDIR/r2" ] && [ ! -e "$BATS_TEST_TMPDIR/k2" ]
	done
	# without the signing key's CRL the chain cannot be checked: fail closed
	run -2 cgs-verify s390 create-request -k "$p/host.crt" -C "$p/ibm.crt" -C "$p/inter_ca.crt" \
		--crl "$p/inter_ca.crl" --crl "$p/root_ca.crl" --root-ca "$p/root_ca.crt" \
		-o "$BATS_TEST_TMPDIR/r3" -a "$BATS_TEST_TMPDIR/k3"
	[ ! -e "$BATS_TEST_TMPDIR/r3" ]
}

@test "secret-store hash: checked against the add-secret requests given, in order, and the lock" {
	t=$BATS_TEST_TMPDIR
	for n in a b; do
		cgs-mkimage s390-secret -q -k "$D/host.crt" --no-verify --hdr "$D/hdr.bin" -o "$t/$n.req" \
			association "$n" >/dev/null 2>&1
	done
	cgs-verify s390 create-request -q -k "$D/host.crt" --no-verify --add-data secret-store-hash \
		-o "$t/req" -a "$t/arpk" 2>/dev/null
	UV_STORE_LOCKED=1 "$UV" perform "$t/req" "$D/hdr.bin" "$D/host.key" 00000000000000000000000000000001 \
		- "$t/resp" "$t/a.req" "$t/b.req"
	v=(cgs-verify s390 verify -i "$t/resp" --hdr "$D/hdr.bin" -a "$t/arpk")
	run -0 --separate-stderr "${v[@]}" --secret "$t/a.req" --secret "$t/b.req" --secret-store-locked --json
	echo "$output" | jq -e '.checks[] | select(.name == "secret_store_hash") | .result == "pass"'
	run -0 "${v[@]}"
	run -2 --separate-stderr "${v[@]}" --secret "$t/b.req" --secret "$t/a.req" --secret-store-locked
	[[ $stderr == *"secret-store hash differs"*"(field 'secret store hash')"* ]]
	run -2 "${v[@]}" --secret "$t/a.req" --secret "$t/b.req"
	run -2 --separate-stderr cgs-verify s390 verify -i "$D/resp.bin" --hdr "$D/hdr.bin" \
		-a "$D/arpk.bin" --secret "$t/a.req"
	[[ $stderr == *"the response has no secret-store hash"* ]]
	run -65 "${v[@]}" --secret "$t/req"
	[[ $output == *"failed to parse '$t/req'"*"(field 'magic')"* ]]
}

@test "an image host-key hash without a key slot in the SE header is NOT VERIFIED (2)" {
	t=$BATS_TEST_TMPDIR
	UV_FAKE_IMAGE_PHKH=1 "$UV" perform "$D/req.bin" "$D/hdr.bin" "$D/host.key" \
		0123456789abcdef0123456789abcdef - "$t/resp"
	run -2 --separate-stderr cgs-verify s390 verify -i "$t/resp" --hdr "$D/hdr.bin" -a "$D/arpk.bin" --json
	echo "$output" | jq -e '[.checks[] | select(.result == "fail") | .name] == ["image_phkh"]'
	[[ $stderr == *"image host-key hash is not in a key slot of the SE header (field 'image phkh')"* ]]
}

@test "a request without a nonce (--x-no-nonce, as C pvattest) round-trips" {
	t=$BATS_TEST_TMPDIR
	run -0 cgs-verify s390 create-request -k "$D/host.crt" --no-verify --x-no-nonce \
		-o "$t/req" -a "$t/arpk"
	# header 0x40 + ARCB 224 + 80 + 64 + 16, PAF 0
	[ "$(stat -c %s "$t/req")" -eq $((0x40 + 384)) ]
	[ "$(xxd -s $((0x40 + 48)) -l 8 -p "$t/req")" = 0000000000000000 ]
	"$UV" perform "$t/req" "$D/hdr.bin" "$D/host.key" 0123456789abcdef0123456789abcdef - "$t/resp"
	run -0 --separate-stderr cgs-verify s390 verify -i "$t/resp" --hdr "$D/hdr.bin" -a "$t/arpk" --json
	echo "$output" | jq -e '.verified and .attestation_flags == "0x0"'
}
