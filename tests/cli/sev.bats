#!/usr/bin/env bats
# cgs-verify sev and sev-chain on generated inputs: a random TIK, LAUNCH_MEASURE
# blobs computed independently with `openssl mac`, and whole SEV-format chains
# written by tests/helpers/sev_mkchain with fresh OpenSSL keys.

load ../helpers/common

MKCHAIN="$BUILD/tests/helpers/sev_mkchain"
MUTATE="$BUILD/tests/helpers/sev_mutate"

# le32 N: 8 hex digits, little-endian
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) \
		$((($1 >> 24) & 255))
}

# mkblob TIK_HEX MAJOR MINOR BUILD POLICY DIGEST_HEX MNONCE_HEX: base64 MEASURE||MNONCE,
# computed with the OpenSSL CLI (not with cgs code)
mkblob() {
	local msg mac
	msg=$(printf '04%02x%02x%02x%s%s%s' "$2" "$3" "$4" "$(le32 "$5")" "$6" "$7")
	mac=$(printf '%s' "$msg" | xxd -r -p |
		openssl mac -digest SHA256 -macopt "hexkey:$1" HMAC | tr 'A-F' 'a-f')
	printf '%s%s' "$mac" "$7" | xxd -r -p | base64 -w0
}

# measure_json MODE DIGEST: a cgs-measure --json document (the contract)
measure_json() {
	printf '{"schema_version": 1, "tool": "cgs-measure", "mode": "%s", "digest_alg": "sha256", "measurement": "%s", "inputs": {}, "intermediate": {}}\n' "$1" "$2"
}

# patch FILE OFFSET HEXBYTES
patch() {
	printf '%s' "$3" | xxd -r -p | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

setup_file() {
	local d=$BATS_FILE_TMPDIR
	openssl rand -hex 16 > "$d/tik.hex"
	xxd -r -p "$d/tik.hex" > "$d/tik.bin"
	openssl rand -hex 32 > "$d/digest.hex"
	openssl rand -hex 16 > "$d/mnonce.hex"
	mkdir -p "$d/c1" "$d/c2"
	"$MKCHAIN" "$d/c1" --attestation "$(cat "$d/digest.hex")" "$(cat "$d/mnonce.hex")" 0x5
	"$MKCHAIN" "$d/c2" --attestation "$(cat "$d/digest.hex")" "$(cat "$d/mnonce.hex")" 0x5
}

setup() {
	D=$BATS_FILE_TMPDIR
	TIK=$(cat "$D/tik.hex")
	DIG=$(cat "$D/digest.hex")
	NONCE=$(cat "$D/mnonce.hex")
	BLOB=$(mkblob "$TIK" 1 55 21 1 "$DIG" "$NONCE")
	ARGS=(--tik "$D/tik.bin" --api-major 1 --api-minor 55 --build 21 --policy 0x1)
}

chain() { # DIR [extra args]: the six certificates of a generated chain
	local c=$1
	shift
	echo --ark "$c/ark.cert" --ask "$c/ask.cert" --cek "$c/cek.cert" --oca "$c/oca.cert" \
		--pek "$c/pek.cert" --pdh "$c/pdh.cert" "$@"
}

@test "sev: a blob computed by openssl mac verifies against --expected-digest" {
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$DIG"
	assert_line "pass  launch-measure"
	assert_line --partial "skip  policy-mode"
	assert_line "VERIFIED: launch digest $DIG"
}

@test "sev: the blob as a raw file, a base64 file and on stdin" {
	printf '%s' "$BLOB" | base64 -d > "$BATS_TEST_TMPDIR/blob.bin"
	printf '%s\n' "$BLOB" > "$BATS_TEST_TMPDIR/blob.b64"
	run -0 cgs-verify sev --measurement "$BATS_TEST_TMPDIR/blob.bin" "${ARGS[@]}" --expected-digest "$DIG"
	run -0 cgs-verify sev --measurement "$BATS_TEST_TMPDIR/blob.b64" "${ARGS[@]}" --expected-digest "$DIG"
	run -0 cgs-verify sev --measurement - "${ARGS[@]}" --expected-digest "$DIG" < "$BATS_TEST_TMPDIR/blob.bin"
}

@test "sev: the TIK as hex or base64 text" {
	echo "$TIK" > "$BATS_TEST_TMPDIR/tik.txt"
	xxd -r -p "$D/tik.hex" | base64 > "$BATS_TEST_TMPDIR/tik.b64"
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --tik "$BATS_TEST_TMPDIR/tik.txt" --expected-digest "$DIG"
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --tik "$BATS_TEST_TMPDIR/tik.b64" --expected-digest "$DIG"
}

@test "sev: --expected takes cgs-measure JSON; the mode must agree with the policy" {
	measure_json sev "$DIG" > "$BATS_TEST_TMPDIR/sev.json"
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/sev.json" --json
	[ "$(jq -r .verified <<<"$output")" = true ]
	[ "$(jq -r '.checks[1].name + " " + .checks[1].result' <<<"$output")" = "policy-mode pass" ]
	[ "$(jq -r .launch_measure.mode <<<"$output")" = sev ]
	measure_json seves "$DIG" > "$BATS_TEST_TMPDIR/seves.json"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/seves.json" --json
	[ "$(jq -r '.checks[0].result' <<<"$output")" = pass ]
	[ "$(jq -r '.checks[1].result' <<<"$output")" = fail ]
	[[ "$(jq -r '.checks[1].reason' <<<"$output")" == *"ES bit is clear"* ]]
}

@test "sev: an SEV-ES policy (ES bit) with a seves expectation verifies" {
	local blob
	blob=$(mkblob "$TIK" 1 55 21 5 "$DIG" "$NONCE")
	measure_json seves "$DIG" > "$BATS_TEST_TMPDIR/seves.json"
	run -0 cgs-verify sev --measurement "$blob" --tik "$D/tik.bin" --api-major 1 --api-minor 55 \
		--build-id 21 --policy 5 --expected "$BATS_TEST_TMPDIR/seves.json"
	assert_line "pass  policy-mode"
}

@test "sev: a JSON array of expectations means any of them" {
	{ echo '['; measure_json sev "$(openssl rand -hex 32)"; echo ','; measure_json sev "$DIG"; echo ']'; } \
		> "$BATS_TEST_TMPDIR/many.json"
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/many.json" --json=short
	[ "$(jq -r .launch_measure.matched <<<"$output")" = "--expected[1]" ]
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$(openssl rand -hex 32)" \
		--expected-digest "$DIG"
}

@test "sev: JSON verdict follows the contract" {
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$DIG" --json
	[ "$(jq -c 'keys_unsorted' <<<"$output")" = '["schema_version","tool","verb","verified","evidence","checks","launch_measure"]' ]
	[ "$(jq -r '.tool + " " + .evidence' <<<"$output")" = "cgs-verify sev" ]
	[ "$(jq -c '.checks[0] | keys_unsorted' <<<"$output")" = '["name","result","expected","actual","reason"]' ]
	[ "$(jq -r .launch_measure.mnonce <<<"$output")" = "$NONCE" ]
	[ "$(jq -r .launch_measure.policy <<<"$output")" = "0x1" ]
	[ "$(jq -r .launch_measure.policy_flags.nodbg <<<"$output")" = true ]
	[ "$(jq -r .launch_measure.launch_digest <<<"$output")" = "$DIG" ]
}

@test "sev: a wrong digest, TIK, API version, build or policy is NOT VERIFIED (2)" {
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$(openssl rand -hex 32)" --json
	[ "$(jq -r .verified <<<"$output")" = false ]
	[ "$(jq -r '.checks[0].result' <<<"$output")" = fail ]
	[ "$(jq -r .launch_measure.launch_digest <<<"$output")" = null ]
	openssl rand 16 > "$BATS_TEST_TMPDIR/other.tik"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --tik "$BATS_TEST_TMPDIR/other.tik" --expected-digest "$DIG"
	assert_line "NOT VERIFIED"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --api-major 0 --expected-digest "$DIG"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --api-minor 54 --expected-digest "$DIG"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --build 22 --expected-digest "$DIG"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --policy 0x3 --expected-digest "$DIG"
}

@test "sev: every mutated byte of the blob, the parameters and the TIK is rejected" {
	run -0 "$MUTATE" launch "$TIK" 1 55 21 1 "$DIG" "$BLOB"
	assert_output "103 mutations, all rejected"
	SEV_MUTATE_MASK=0x80 run -0 "$MUTATE" launch "$TIK" 1 55 21 1 "$DIG" "$BLOB"
	assert_output "103 mutations, all rejected"
}

@test "sev: bad blob sizes are malformed input (65); inline text that is no blob is a missing file (66)" {
	head -c 47 /dev/zero > "$BATS_TEST_TMPDIR/short.bin"
	run -65 --separate-stderr cgs-verify sev --measurement "$BATS_TEST_TMPDIR/short.bin" "${ARGS[@]}" --expected-digest "$DIG"
	assert_output ""
	[[ $stderr == "cgs-verify: failed to parse '$BATS_TEST_TMPDIR/short.bin': not a 48-byte blob and not base64 text"* ]]
	# inline text that is not a base64 blob of 48 bytes is a missing file (issue 10)
	run -66 --separate-stderr cgs-verify sev --measurement "${BLOB:4}" "${ARGS[@]}" --expected-digest "$DIG"
	[[ $stderr == *"no such file"*"base64 decodes to 45 bytes, expected 48"* ]]
	run -66 --separate-stderr cgs-verify sev --measurement "abcde" "${ARGS[@]}" --expected-digest "$DIG"
	[[ $stderr == *"failed to read 'abcde': no such file"*"invalid base64 text"* ]]
	run -66 --separate-stderr cgs-verify sev --measurement nosuchfile "${ARGS[@]}" --expected-digest "$DIG" -v
	[[ $stderr == *"failed to read 'nosuchfile': no such file"* ]]
	run -0 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$DIG" -v
	[[ $stderr == *"read as inline base64"* ]]
	run -65 --separate-stderr cgs-verify sev --measurement "$BATS_TEST_TMPDIR/short.bin" "${ARGS[@]}" --expected-digest "$DIG" -v
	[[ $stderr == *"reading the file"* ]]
	run -66 --separate-stderr cgs-verify sev --measurement "no/such/blob.bin" "${ARGS[@]}" --expected-digest "$DIG"
	[[ $stderr == *"failed to read 'no/such/blob.bin'"* ]]
}

@test "sev: a TIK of the wrong length is malformed (65), a missing one 66" {
	head -c 15 "$D/tik.bin" > "$BATS_TEST_TMPDIR/tik15"
	run -65 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --tik "$BATS_TEST_TMPDIR/tik15" --expected-digest "$DIG"
	assert_output ""
	[[ $stderr == *"failed to read TIK '$BATS_TEST_TMPDIR/tik15': wrong TIK length: 15 bytes, expected 16"* ]]
	head -c 32 /dev/zero > "$BATS_TEST_TMPDIR/tik32"
	run -65 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --tik "$BATS_TEST_TMPDIR/tik32" --expected-digest "$DIG"
	run -66 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --tik "$BATS_TEST_TMPDIR/none" --expected-digest "$DIG"
	[[ $stderr == *"failed to read TIK '$BATS_TEST_TMPDIR/none'"* ]]
}

@test "sev: bad --expected JSON is refused (65/66)" {
	measure_json snp "$DIG$DIG" > "$BATS_TEST_TMPDIR/snp.json"
	run -65 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/snp.json"
	[[ $stderr == *"mode 'snp' is not a SEV or SEV-ES launch digest"* ]]
	measure_json sev "abcd" > "$BATS_TEST_TMPDIR/short.json"
	run -65 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/short.json"
	[[ $stderr == *'"measurement" is not a SHA-256 digest'* ]]
	echo '{"mode": ' > "$BATS_TEST_TMPDIR/broken.json"
	run -65 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/broken.json"
	echo '[]' > "$BATS_TEST_TMPDIR/empty.json"
	run -65 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/empty.json"
	run -66 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/none.json"
}

@test "sev: --skip names policy checks only; launch-measure cannot be skipped (64)" {
	measure_json seves "$DIG" > "$BATS_TEST_TMPDIR/seves.json"
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/seves.json"
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/seves.json" \
		--skip policy-mode --json
	[ "$(jq -r '.checks[1].result' <<<"$output")" = skip ]
	[[ "$(jq -r '.checks[1].reason' <<<"$output")" == *"skipped by --skip policy-mode (would have been fail"* ]]
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$DIG" \
		--skip policy-mode,launch-measure
	[[ $stderr == *"check 'launch-measure' establishes that the evidence is genuine and cannot be skipped"* ]]
	assert_output ""
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$DIG" --skip nosuch
	[[ $stderr == *"unknown check 'nosuch' (policy checks that can be skipped: policy-mode, expected-inputs)"* ]]
	# a wrong digest stays NOT VERIFIED with every policy check skipped
	run -2 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$(openssl rand -hex 32)" \
		--skip policy-mode,expected-inputs
	assert_line "NOT VERIFIED"
}

@test "sev: --expected documents are validated by the one reader (65 naming the field)" {
	local row filter want
	measure_json sev "$DIG" > "$BATS_TEST_TMPDIR/good.json"
	for row in 'del(.schema_version)|no "schema_version"' '.schema_version = 2|schema_version 2' \
		'.tool = "cgs-verify"|a cgs-verify verdict' '.tool = "sevctl"|tool '"'"'sevctl'"'"' is not cgs-measure' \
		'.mode = "se"|mode '"'"'se'"'"' is not a SEV or SEV-ES launch digest' \
		'.mode = "snp"|mode '"'"'snp'"'"' is not a SEV or SEV-ES launch digest' \
		'.mode = 3|"mode" is not a string' '.digest_alg = "sha384"|"digest_alg" is '"'"'sha384'"'"'' \
		'.measurement = null|"measurement" is not a SHA-256 digest' '.inputs = []|"inputs" is not a JSON object' \
		'del(.mode)|no "mode"'; do
		filter=${row%%|*} want=${row#*|}
		jq "$filter" "$BATS_TEST_TMPDIR/good.json" >"$BATS_TEST_TMPDIR/bad.json"
		run -65 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/bad.json"
		[[ $stderr == *"$want"* ]] || { echo "row '$filter': $stderr"; false; }
		assert_output ""
		run -65 --separate-stderr cgs-verify sev-chain --ark x --ask x --cek x --oca x --pek x --pdh x \
			--attestation x --expected "$BATS_TEST_TMPDIR/bad.json"
		[[ $stderr == *"$want"* ]] || { echo "sev-chain row '$filter': $stderr"; false; }
	done
	jq '.newer_key = {"a": 1}' "$BATS_TEST_TMPDIR/good.json" >"$BATS_TEST_TMPDIR/new.json"
	run -0 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected "$BATS_TEST_TMPDIR/new.json"
}

@test "sev: usage errors (64)" {
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}"
	[[ $stderr == *"no expected launch digest"* ]]
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" --tik "$D/tik.bin" --expected-digest "$DIG"
	[[ $stderr == *"are required"* ]]
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --api-major 256 --expected-digest "$DIG"
	[[ $stderr == *"invalid value '256' for '--api-major'"* ]]
	run -64 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --policy 0x100000000 --expected-digest "$DIG"
	run -64 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest abcd
	run -64 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --expected-digest "$DIG" extra
}

@test "sev-chain: a generated chain verifies under --trusted-ark, with its attestation report" {
	run -0 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --attestation "$D/c1/attestation.bin"
	assert_line "pass  pdh-signature"
	assert_line "pass  attestation-signature"
	assert_line "VERIFIED: SEV platform chain (trusted ARK) and attestation report"
	run -0 cgs-verify sev-chain --trusted-ark "$D/c1/ark.cert" --ask "$D/c1/ask.cert" --cek "$D/c1/cek.cert" \
		--oca "$D/c1/oca.cert" --pek "$D/c1/pek.cert" --pdh "$D/c1/pdh.cert"
}

@test "sev-chain: JSON verdict and decoded certificates" {
	run -0 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --attestation "$D/c1/attestation.bin" --json
	[ "$(jq -c 'keys_unsorted' <<<"$output")" = '["schema_version","tool","verb","verified","evidence","checks","product","ark_sha256","certificates","attestation"]' ]
	[ "$(jq -r '[.checks[].name] | join(",")' <<<"$output")" = "ark-pinned,ark-signature,ask-signature,cek-signature,oca-signature,pek-signature-cek,pek-signature-oca,pdh-signature,attestation-signature" ]
	[ "$(jq -r .product <<<"$output")" = null ]
	[ "$(jq -r .ark_sha256 <<<"$output")" = "$(sha256sum < "$D/c1/ark.cert" | cut -d' ' -f1)" ]
	[ "$(jq -r .certificates.pdh.algorithm <<<"$output")" = ECDH-SHA256 ]
	[ "$(jq -r '.certificates.pek.signatures | map(.signer) | join(",")' <<<"$output")" = "OCA,CEK" ]
	[ "$(jq -r .certificates.cek.curve <<<"$output")" = P-384 ]
	[ "$(jq -r .attestation.launch_digest <<<"$output")" = "$DIG" ]
	[ "$(jq -r .attestation.policy <<<"$output")" = 0x5 ]
}

@test "sev-chain: an ARK that is not pinned (or not the trusted one) is NOT VERIFIED" {
	run -2 cgs-verify sev-chain $(chain "$D/c1") --json
	[ "$(jq -r '.checks[0].result' <<<"$output")" = fail ]
	[[ "$(jq -r '.checks[0].reason' <<<"$output")" == *"not one of the pinned AMD ARKs"* ]]
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c2/ark.cert"
	assert_line "fail  ark-pinned: the ARK differs from the trusted ARK"
}

@test "sev-chain: certificates from another chain fail their signature checks" {
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --ask "$D/c2/ask.cert"
	assert_line --partial "fail  ask-signature"
	assert_line --partial "fail  cek-signature"
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --oca "$D/c2/oca.cert"
	assert_line "pass  oca-signature"
	assert_line "fail  pek-signature-oca: ECDSA signature does not verify"
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --pek "$D/c2/pek.cert"
	assert_line "fail  pek-signature-cek: ECDSA signature does not verify"
	assert_line "fail  pdh-signature: ECDSA signature does not verify"
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --attestation "$D/c2/attestation.bin"
	assert_line "fail  attestation-signature: ECDSA signature does not verify"
}

@test "sev-chain: a certificate in the wrong place fails its usage check" {
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --cek "$D/c1/pek.cert"
	assert_line --partial "fail  cek-signature: key usage is PEK, expected CEK"
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --pdh "$D/c1/pek.cert"
	assert_line --partial "fail  pdh-signature: key usage is PEK, expected PDH"
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ask.cert" --ark "$D/c1/ask.cert"
	assert_line --partial "fail  ark-signature: key usage is ASK, expected ARK"
}

@test "sev-chain: a report not signed by the PEK usage is NOT VERIFIED" {
	cp "$D/c1/attestation.bin" "$BATS_TEST_TMPDIR/att.bin"
	patch "$BATS_TEST_TMPDIR/att.bin" 0x34 04100000
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" --attestation "$BATS_TEST_TMPDIR/att.bin"
	assert_line --partial "fail  attestation-signature: signing key usage is CEK, expected PEK"
}

@test "sev-chain: RSA-4096 (SHA-384) AMD keys and P-256 platform keys" {
	mkdir "$BATS_TEST_TMPDIR/c"
	"$MKCHAIN" "$BATS_TEST_TMPDIR/c" --bits 4096 --p256
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/c/ark.cert")" -eq 1600 ]
	run -0 cgs-verify sev-chain $(chain "$BATS_TEST_TMPDIR/c") --trusted-ark "$BATS_TEST_TMPDIR/c/ark.cert" --json=short
	[ "$(jq -r .certificates.ark.modulus_bits <<<"$output")" = 4096 ]
	[ "$(jq -r .certificates.cek.curve <<<"$output")" = P-256 ]
}

@test "sev-chain: every mutated byte of a generated chain and report is rejected" {
	local c=$BATS_TEST_TMPDIR
	# P-256 platform keys keep the ten thousand verifications quick
	"$MKCHAIN" "$c" --p256 --attestation "$DIG" "$NONCE" 0x1
	run -0 "$MUTATE" chain --trusted "$c"/{ark,ask,cek,oca,pek,pdh}.cert "$c/attestation.bin"
	assert_output "10208 mutations, all rejected"
}

@test "sev-chain: malformed certificates and reports are refused (65)" {
	local t=$BATS_TEST_TMPDIR
	head -c 2000 "$D/c1/cek.cert" > "$t/short.cert"
	run -65 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --cek "$t/short.cert"
	assert_output ""
	[[ $stderr == "cgs-verify: failed to parse '$t/short.cert': truncated: 2000 bytes, a SEV certificate has 2084 at offset 0x7d0 (field 'signature')" ]]
	cp "$D/c1/pek.cert" "$t/usage.cert"
	patch "$t/usage.cert" 0x8 07100000
	run -65 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --pek "$t/usage.cert"
	[[ $stderr == *"unknown platform key usage 0x1007 at offset 0x8 (field 'pubkey_usage')"* ]]
	cp "$D/c1/pek.cert" "$t/algo.cert"
	patch "$t/algo.cert" 0xc 04000000
	run -65 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --pek "$t/algo.cert"
	[[ $stderr == *"unknown public key algorithm 0x4"* ]]
	cp "$D/c1/pdh.cert" "$t/curve.cert"
	patch "$t/curve.cert" 0x10 03000000
	run -65 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --pdh "$t/curve.cert"
	[[ $stderr == *"unknown elliptic curve id 3"* ]]
	cp "$D/c1/ask.cert" "$t/ask.cert"
	patch "$t/ask.cert" 0x24 14000000
	run -65 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --ask "$t/ask.cert"
	[[ $stderr == *"unknown CA key usage 0x14"* ]]
	head -c 100 "$D/c1/attestation.bin" > "$t/att.bin"
	run -65 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --attestation "$t/att.bin"
	[[ $stderr == *"a SEV attestation report has 208"* ]]
}

@test "sev-chain: missing files (66) and missing options (64)" {
	run -66 --separate-stderr cgs-verify sev-chain $(chain "$D/c1") --pdh "$BATS_TEST_TMPDIR/none.cert"
	[[ $stderr == *"failed to read '$BATS_TEST_TMPDIR/none.cert'"* ]]
	run -64 --separate-stderr cgs-verify sev-chain --ark "$D/c1/ark.cert"
	[[ $stderr == *"missing '--ask FILE'"* ]]
}

# ---- the measured inputs (same engine as cgs-measure) ----

SEVGEN="$BUILD/tests/helpers/sevgen"

mkinputs() { # in $BATS_TEST_TMPDIR: fw.fd (synthetic OVMF with a hashes table), kernel, initrd
	cd "$BATS_TEST_TMPDIR"
	"$SEVGEN" ovmf fw.fd --size 0x4000 --hashes 0x805c00
	head -c 3000 /dev/urandom > vmlinuz
	head -c 500 /dev/urandom > initrd
}

@test "sev inputs: the digest of --ovmf alone is the firmware's SHA-256" {
	mkinputs
	local dig blob
	dig=$(sha256sum < fw.fd | cut -d' ' -f1)
	blob=$(mkblob "$TIK" 1 55 21 1 "$dig" "$NONCE")
	run -0 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --ovmf fw.fd --json
	[ "$(jq -r '.launch_measure.matched + " " + .launch_measure.mode' <<<"$output")" = "inputs sev" ]
	[ "$(jq -r .inputs_digest <<<"$output")" = "$dig" ]
	[ "$(jq -r '[.checks[].name] | join(",")' <<<"$output")" = "launch-measure,policy-mode" ]
}

@test "sev inputs: the same inputs as cgs-measure --json verify; a different kernel or cmdline is named" {
	mkinputs
	local dig blob
	cgs-measure --mode sev --ovmf fw.fd --kernel vmlinuz --initrd initrd --append "console=ttyS0" --json > exp.json
	dig=$(jq -r .measurement exp.json)
	blob=$(mkblob "$TIK" 1 55 21 1 "$dig" "$NONCE")
	run -0 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --expected exp.json \
		--ovmf fw.fd --kernel vmlinuz --initrd initrd --append "console=ttyS0"
	assert_line "pass  expected-inputs"
	head -c 3000 /dev/urandom > vmlinuz2
	run -2 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --expected exp.json --json \
		--ovmf fw.fd --kernel vmlinuz2 --initrd initrd --append "console=ttyS1"
	[ "$(jq -r '.checks[0].result' <<<"$output")" = fail ]
	[[ "$(jq -r '.checks[0].reason' <<<"$output")" == *"(it matches --expected instead)" ]]
	[ "$(jq -r '.checks[2].name + " " + .checks[2].result' <<<"$output")" = "expected-inputs fail" ]
	[[ "$(jq -r '.checks[2].reason' <<<"$output")" == *"differing inputs: kernel, append" ]]
	[ "$(jq -r '.input_differences[0].input' <<<"$output")" = kernel ]
	[ "$(jq -r '.input_differences[0].expected' <<<"$output")" = "$(sha256sum < vmlinuz | cut -d' ' -f1)" ]
	[ "$(jq -r '.input_differences[0].actual' <<<"$output")" = "$(sha256sum < vmlinuz2 | cut -d' ' -f1)" ]
	[ "$(jq -r '.input_differences[1].actual' <<<"$output")" = "$(printf 'console=ttyS1\0' | sha256sum | cut -d' ' -f1)" ]
}

@test "sev inputs: SEV-ES (mode from the policy's ES bit), vCPU count named when it differs" {
	mkinputs
	local dig blob
	cgs-measure --mode seves --ovmf fw.fd --vcpus 2 --vcpu-type EPYC-Milan --json > exp.json
	dig=$(jq -r .measurement exp.json)
	blob=$(mkblob "$TIK" 1 55 21 5 "$dig" "$NONCE")
	run -0 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 2 \
		--vcpu-type EPYC-Milan --expected exp.json --json=short
	[ "$(jq -r .launch_measure.mode <<<"$output")" = seves ]
	run -2 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 3 \
		--vcpu-type EPYC-Milan --expected exp.json --json=short
	[ "$(jq -r '[.input_differences[].input] | join(",")' <<<"$output")" = vcpus ]
	run -2 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 2 \
		--vcpu-type EPYC-Rome --expected exp.json --json=short
	[ "$(jq -r '[.input_differences[].input] | join(",")' <<<"$output")" = "vcpu_sig,vmsa[0],vmsa[1]" ]
	run -2 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --mode seves --ovmf fw.fd --vcpus 2 \
		--vcpu-type EPYC-Milan
	assert_line --partial "fail  policy-mode"
}

@test "sev inputs: usage errors and unreadable inputs" {
	mkinputs
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --kernel vmlinuz
	[[ $stderr == *"the measured inputs need --ovmf PATH"* ]]
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --policy 5 --ovmf fw.fd
	[[ $stderr == *"missing --vcpus N for an SEV-ES guest"* ]]
	run -64 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --mode snp --ovmf fw.fd
	[[ $stderr == *"invalid mode 'snp' for '--mode' (expected sev or seves)"* ]]
	run -64 cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --ovmf fw.fd --initrd initrd
	run -66 --separate-stderr cgs-verify sev --measurement "$BLOB" "${ARGS[@]}" --ovmf none.fd
	[[ $stderr == *"'none.fd'"* ]]
}

@test "sev-chain: the attestation report's launch digest against --expected / --expected-digest" {
	local c1=$D/c1
	run -0 cgs-verify sev-chain $(chain "$c1") --trusted-ark "$c1/ark.cert" --attestation "$c1/attestation.bin" \
		--expected-digest "$DIG"
	assert_line "pass  attestation-digest"
	run -2 cgs-verify sev-chain $(chain "$c1") --trusted-ark "$c1/ark.cert" --attestation "$c1/attestation.bin" \
		--expected-digest "$(openssl rand -hex 32)" --json
	[ "$(jq -r '.checks[-1].name + " " + .checks[-1].result' <<<"$output")" = "attestation-digest fail" ]
	[ "$(jq -r '.checks[-1].actual' <<<"$output")" = "$DIG" ]
	measure_json seves "$DIG" > "$BATS_TEST_TMPDIR/seves.json"
	run -0 cgs-verify sev-chain $(chain "$c1") --trusted-ark "$c1/ark.cert" --attestation "$c1/attestation.bin" \
		--expected "$BATS_TEST_TMPDIR/seves.json"
	measure_json sev "$DIG" > "$BATS_TEST_TMPDIR/sev.json"
	run -2 cgs-verify sev-chain $(chain "$c1") --trusted-ark "$c1/ark.cert" --attestation "$c1/attestation.bin" \
		--expected "$BATS_TEST_TMPDIR/sev.json"
	assert_line --partial "fail  attestation-digest: the expected digest is mode sev but the report's policy 0x5 has the ES bit set"
	run -64 --separate-stderr cgs-verify sev-chain $(chain "$c1") --expected-digest "$DIG"
	[[ $stderr == *"need '--attestation FILE'"* ]]
}

@test "sev inputs: VMSA FPU state and VMSA pages from files (sevctl)" {
	mkinputs
	local dig blob
	cgs-measure --mode seves --ovmf fw.fd --vcpus 2 --vcpu-type EPYC --vmsa-fpu legacy --dump-vmsa --json > exp.json
	dig=$(jq -r .measurement exp.json)
	blob=$(mkblob "$TIK" 1 55 21 5 "$dig" "$NONCE")
	run -0 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 2 \
		--vcpu-type EPYC --vmsa-fpu legacy --expected exp.json
	run -2 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 2 \
		--vcpu-type EPYC --expected exp.json --json=short
	[ "$(jq -r '[.input_differences[].input] | join(",")' <<<"$output")" = "vmsa_fpu,vmsa[0],vmsa[1]" ]
	# the pages cgs-measure wrote, given back as files
	run -0 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 2 \
		--vmsa-cpu0 vmsa0.bin --vmsa-cpu1 vmsa1.bin
	run -64 --separate-stderr cgs-verify sev --measurement "$blob" "${ARGS[@]}" --ovmf fw.fd \
		--vmsa-cpu0 vmsa0.bin --vmsa-cpu1 vmsa1.bin
	[[ $stderr == *"need an SEV-ES guest"* ]]
	run -64 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --policy 5 --ovmf fw.fd --vcpus 2 --vmsa-fpu x87
}

# --- issue 10 item 12: tests that fail for the right reason (one property changed each)

@test "sev survivors: an ASK validly signed by the ARK but naming another certifying id fails ask-signature" {
	mkdir -p "$BATS_TEST_TMPDIR/c"
	"$MKCHAIN" "$BATS_TEST_TMPDIR/c" --ask-certifying-id 00112233445566778899aabbccddeeff
	run -2 cgs-verify sev-chain $(chain "$BATS_TEST_TMPDIR/c") --trusted-ark "$BATS_TEST_TMPDIR/c/ark.cert"
	assert_line "fail  ask-signature: certifying id does not name the ARK's key id"
	assert_line --partial "pass  cek-signature"
}

@test "sev survivors: --expected-digest differing from the attestation's launch digest in the last byte fails" {
	local other=$(printf '%02x' $(((0x${DIG:62:2} + 1) & 255)))
	run -0 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" \
		--attestation "$D/c1/attestation.bin" --expected-digest "$DIG"
	run -2 cgs-verify sev-chain $(chain "$D/c1") --trusted-ark "$D/c1/ark.cert" \
		--attestation "$D/c1/attestation.bin" --expected-digest "${DIG:0:62}$other"
}

@test "sev survivors: a reference digest differing from the inputs' digest in the last byte fails expected-inputs" {
	mkinputs
	local dig blob other
	dig=$(sha256sum < fw.fd | cut -d' ' -f1)
	other=$(printf '%02x' $(((0x${dig:62:2} + 1) & 255)))
	blob=$(mkblob "$TIK" 1 55 21 1 "$dig" "$NONCE")
	run -0 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --ovmf fw.fd --expected-digest "$dig"
	run -2 cgs-verify sev --measurement "$blob" "${ARGS[@]}" --ovmf fw.fd --json \
		--expected-digest "${dig:0:62}$other"
	[ "$(jq -r '.checks[] | select(.name == "expected-inputs") | .result' <<<"$output")" = fail ]
	[ "$(jq -r '.checks[] | select(.name == "launch-measure") | .result' <<<"$output")" = pass ]
}
