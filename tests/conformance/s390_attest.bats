#!/usr/bin/env bats
# Replays the s390 attestation and add-secret vectors (../shared/vectors/s390):
# the C pvattest oracle requests and the upstream ARCB and add-secret known
# answers reproduced byte for byte through the CLI, the oracle responses
# verified, the tampered ones rejected with the reason.

load ../helpers/common

S() { echo "$VECTORS/s390/$1"; }

setup() {
	require_vectors s390
	K=$(S extracted/kat.json)
	O=$(S oracle/pvattest-c)
	I=$(S oracle/genprotimg-c/inputs)
	T=$BATS_TEST_TMPDIR
}

hexfile() { # JSON-QUERY FILE OUT
	jq -r "$1" "$2" | xxd -r -p > "$3"
}

oracle_request() { # CASE ADD-DATA-ARGS...
	local c=$1 j="$O/$1/case.json"
	shift
	hexfile .measurement_key "$j" "$T/mk"
	run -0 cgs-verify s390 create-request -k "$I/host.crt" --no-verify "$@" \
		-o "$T/req.bin" -a "$T/arpk.bin" --x-arpk "$O/$c/arpk.bin" \
		--x-cust-key "$I/cust_priv.bin" --x-iv "$(jq -r .arcb_iv "$j")" \
		--x-nonce "$(jq -r .nonce "$j")" --x-meas-key "$T/mk"
	cmp "$T/req.bin" "$O/$c/request.bin"
	cmp "$T/arpk.bin" "$O/$c/arpk.bin"
	[ "$(stat -c %a "$T/arpk.bin")" = 600 ]
}

@test "C pvattest oracle a1_phkh_flags: request reproduced byte for byte" {
	oracle_request a1_phkh_flags --add-data phkh-img,phkh-att
}

@test "C pvattest oracle a2_minimal: request reproduced byte for byte" {
	oracle_request a2_minimal
}

@test "upstream arcb.bin reproduced byte for byte (inside the exchange request)" {
	hexfile .arcb.arpk "$K" "$T/arpk"
	hexfile .arcb.measurement_key "$K" "$T/mk"
	run -0 cgs-verify s390 create-request -k "$(S upstream/pv/keys/host.pem.crt)" --no-verify \
		--add-data phkh-img,phkh-att -o "$T/req.bin" -a "$T/k.bin" --x-arpk "$T/arpk" \
		--x-cust-key "$(S upstream/pv/keys/private_cust.bin)" --x-iv "$(jq -r .arcb.iv "$K")" \
		--x-nonce "$(jq -r .arcb.nonce "$K")" --x-meas-key "$T/mk"
	tail -c +65 "$T/req.bin" > "$T/arcb"
	cmp "$T/arcb" "$(S upstream/pv/exp/arcb.bin)"
}

@test "oracle responses verify against the c1_basic header (extracted and whole image)" {
	for c in a1_phkh_flags a2_minimal; do
		for h in sehdr.bin se.img; do
			run -0 --separate-stderr cgs-verify s390 verify -i "$O/$c/response.bin" \
				--hdr "$(S oracle/genprotimg-c/c1_basic/$h)" -a "$O/$c/arpk.bin" --json
			echo "$output" | jq -e '.verified == true'
			[ "$(echo "$output" | jq -r .config_uid)" = "$(jq -r .response.config_uid "$O/$c/case.json")" ]
			[ "$(echo "$output" | jq -r .measurement)" = "$(jq -r .response.measurement_hmac_sha512 "$O/$c/case.json")" ]
		done
	done
}

@test "oracle a1: user data and additional data as the C pvattest verify reported them" {
	run -0 --separate-stderr cgs-verify s390 verify -i "$O/a1_phkh_flags/response.bin" \
		--hdr "$(S oracle/genprotimg-c/c1_basic/sehdr.bin)" -a "$O/a1_phkh_flags/arpk.bin" \
		-u "$T/user" --json=short
	# verify_response.yaml: "add: '0x<image phkh><attestation phkh>'"
	add=$(sed -n "s/^add: '0x\(.*\)'$/\1/p" "$O/a1_phkh_flags/verify_response.yaml")
	[ -n "$add" ]
	[ "$(echo "$output" | jq -r '.additional_data | .image_phkh + .attestation_phkh')" = "$add" ]
	[ "$(xxd -p "$T/user" | tr -d '\n')" = "$(jq -r .response.user_data "$O/a1_phkh_flags/case.json")" ]
	# the PHKH is SHA-256 of host.crt's key coordinates (openssl CLI)
	pub=$(openssl x509 -in "$I/host.crt" -noout -pubkey | openssl pkey -pubin -outform DER | tail -c 132 | xxd -p | tr -d '\n')
	want=$(printf '%028d%s%028d%s' 0 "${pub:0:132}" 0 "${pub:132:132}" | xxd -r -p | openssl dgst -sha256 -r | cut -d' ' -f1)
	[ "$(echo "$output" | jq -r .additional_data.image_phkh)" = "$want" ]
}

@test "oracle tampered responses: NOT VERIFIED (2), the measurement named as the reason" {
	for c in a1_phkh_flags a2_minimal; do
		run -2 --separate-stderr cgs-verify s390 verify -i "$O/$c/response_tampered_cuid.bin" \
			--hdr "$(S oracle/genprotimg-c/c1_basic/sehdr.bin)" -a "$O/$c/arpk.bin" --json
		echo "$output" | jq -e '.verified == false'
		echo "$output" | jq -e '.checks[] | select(.name == "measurement") | .result == "fail" and (.reason | test("measurement does not match"))'
		[[ $stderr == *"NOT VERIFIED: the measurement does not match"*"(field 'measurement')"* ]]
	done
}

@test "an oracle response against another image's header (pvimg model p1) is NOT VERIFIED" {
	run -2 cgs-verify s390 verify -i "$O/a2_minimal/response.bin" \
		--hdr "$(S model/pvimg/p1_basic/se.img)" -a "$O/a2_minimal/arpk.bin"
	[[ $output == *"(field 'measurement')"* ]]
}

@test "upstream add-secret requests (9 known answers) reproduced byte for byte" {
	tags=$(jq -r '.add_secret_requests.se_tags | .pld + .ald + .tld + .tag' "$K")
	hexfile .add_secret_requests.protection_key "$K" "$T/pk"
	hexfile .add_secret_requests.association_secret.secret "$K" "$T/sec"
	hexfile .add_secret_requests.ext_secret_simple "$K" "$T/ext"
	hexfile .add_secret_requests.ext_secret_derived_from_cck "$K" "$T/cck"
	name=$(jq -r .add_secret_requests.association_secret.name "$K")
	h=(-k "$(S upstream/pv/keys/host.pem.crt)")
	base=(--no-verify --x-hdr-tags "$tags" --x-iv "$(jq -r .add_secret_requests.iv "$K")"
		--x-prot-key "$T/pk" --x-cust-key "$(S upstream/pv/keys/private_cust.bin)")
	cuid=(--cuid-hex "$(jq -r .add_secret_requests.cuid_when_set "$K")")
	assoc=(--input-secret "$T/sec" association "$name")
	check() { # NAME ARGS...
		local n=$1
		shift
		run -0 cgs-mkimage s390-secret "${base[@]}" -o "$T/$n" "$@"
		cmp "$T/$n" "$(S upstream/pv/exp/asrcb/$n)"
	}
	check null_none_default_cuid_one "${h[@]}" "${cuid[@]}" meta
	check null_none_default_ncuid_one "${h[@]}" meta
	check null_none_dump_cuid_one "${h[@]}" "${cuid[@]}" --flags disable-dump meta
	check null_none_default_cuid_seven "${h[@]}" "${h[@]}" "${h[@]}" "${h[@]}" "${h[@]}" \
		"${h[@]}" "${h[@]}" "${cuid[@]}" meta
	check null_simple_default_cuid_one "${h[@]}" "${cuid[@]}" --extension-secret "$T/ext" meta
	check null_derived_default_cuid_one "${h[@]}" "${cuid[@]}" --cck "$T/cck" meta
	check assoc_none_default_cuid_one "${h[@]}" "${cuid[@]}" "${assoc[@]}"
	check assoc_simple_default_cuid_one "${h[@]}" "${cuid[@]}" --extension-secret "$T/ext" "${assoc[@]}"
	check assoc_derived_default_cuid_one "${h[@]}" "${cuid[@]}" --cck "$T/cck" "${assoc[@]}"
}

@test "host-key documents verified with the upstream test PKI; a revoked one refused" {
	C=$(S upstream/pv/cert)
	pki=(-C "$C/ibm.crt" -C "$C/inter_ca.crt" --crl "$C/ibm.crl" --crl "$C/inter_ca.crl"
		--crl "$C/root_ca.crl" --root-ca "$C/root_ca.crt" --offline)
	run -0 cgs-verify s390 create-request -k "$C/host.crt" -k "$C/host2.crt" "${pki[@]}" \
		-o "$T/r.bin" -a "$T/k.bin"
	[ "$(stat -c %s "$T/r.bin")" -eq $((0x40 + 224 + 2 * 80 + 80 + 16)) ]
	run -2 cgs-verify s390 create-request -k "$C/host_rev.crt" "${pki[@]}" -o "$T/r2" -a "$T/k2"
	[[ $output == *"failed to verify the host-key document '$C/host_rev.crt'"*"revoked"* ]]
	[ ! -e "$T/r2" ] && [ ! -e "$T/k2" ]
	run -2 cgs-mkimage s390-secret -k "$C/host_rev.crt" "${pki[@]}" \
		--hdr "$(S oracle/genprotimg-c/c1_basic/sehdr.bin)" -o "$T/s" meta
	[ ! -e "$T/s" ]
}

@test "s390-secret for the c1_basic image: host.crt has a slot, host2.crt has not" {
	run -0 --separate-stderr cgs-mkimage s390-secret -k "$I/host.crt" --no-verify \
		--hdr "$(S oracle/genprotimg-c/c1_basic/se.img)" -o "$T/m" --json meta
	# bound to the header's GCM tag: the last 16 bytes of the extracted header
	[ "$(echo "$output" | jq -r .se_header_tag)" = "$(tail -c 16 "$(S oracle/genprotimg-c/c1_basic/sehdr.bin)" | xxd -p)" ]
	[ "$(xxd -s 56 -l 208 -p "$T/m" | tr -d '\n')" = "$(xxd -s 224 -l 192 -p "$(S oracle/genprotimg-c/c1_basic/sehdr.bin)" | tr -d '\n')$(tail -c 16 "$(S oracle/genprotimg-c/c1_basic/sehdr.bin)" | xxd -p)" ]
	run -65 cgs-mkimage s390-secret -k "$I/host2.crt" --no-verify \
		--hdr "$(S oracle/genprotimg-c/c1_basic/se.img)" -o "$T/m2" meta
	[[ $output == *"has no key slot for host-key document '$I/host2.crt'"*"(field 'key slots')"* ]]
	[ ! -e "$T/m2" ]
}
