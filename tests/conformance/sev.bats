#!/usr/bin/env bats
# Conformance replay for cgs-verify sev / sev-chain: the sev-launch-measure
# records of ../shared/vectors/sev/vectors.jsonl (sevctl's expectations and
# blobs over sev-snp-measure digests), virtee/sev's LAUNCH_MEASURE test, and
# the legacy SEV certificates of ../shared/vectors/snp/legacy-sev (Naples and
# Rome platform chains, the ARK/ASK of every product, the corrupted ARK).

load ../helpers/common

MUTATE="$BUILD/tests/helpers/sev_mutate"
L="$VECTORS/snp/legacy-sev"

records() {
	grep '"sev-launch-measure"' "$VECTORS/sev/vectors.jsonl" |
		jq -r 'select(.mode == "sev-launch-measure") |
			[.id, .tik_hex, .api_major, .api_minor, .build_id, .policy,
			 .launch_digest, .mnonce, .blob_base64, .measure_hex] | @tsv'
}

platform_chain() { # PRODUCT_OF_ARK_ASK PLATFORM
	echo --ark "$L/$1_ark.cert" --ask "$L/$1_ask.cert" --cek "$L/$2_test_cek.cert" \
		--oca "$L/$2_test_oca.cert" --pek "$L/$2_test_pek.cert" --pdh "$L/$2_test_pdh.cert"
}

@test "conformance: all 8 sev-launch-measure records verify (and fail on another digest)" {
	require_vectors sev
	local n=0 id tik maj min build pol dig nonce blob mhex mode
	while IFS=$'\t' read -r id tik maj min build pol dig nonce blob mhex; do
		echo "$tik" | xxd -r -p > "$BATS_TEST_TMPDIR/tik.bin"
		# the blob is MEASURE || MNONCE
		[ "$(printf '%s' "$blob" | base64 -d | xxd -p -c 48)" = "$mhex$nonce" ]
		run -0 cgs-verify sev --measurement "$blob" --tik "$BATS_TEST_TMPDIR/tik.bin" \
			--api-major "$maj" --api-minor "$min" --build "$build" --policy "$pol" \
			--expected-digest "$dig"
		mode=sev
		(( pol & 4 )) && mode=seves
		printf '{"schema_version": 1, "tool": "cgs-measure", "mode": "%s", "digest_alg": "sha256", "measurement": "%s"}\n' \
			"$mode" "$dig" > "$BATS_TEST_TMPDIR/exp.json"
		run -0 cgs-verify sev --measurement "$blob" --tik "$BATS_TEST_TMPDIR/tik.bin" \
			--api-major "$maj" --api-minor "$min" --build "$build" --policy "$pol" \
			--expected "$BATS_TEST_TMPDIR/exp.json" --json=short
		[ "$(jq -r '.verified, .launch_measure.mode' <<<"$output" | paste -sd' ')" = "true $mode" ] ||
			{ echo "$id: $output"; false; }
		run -2 cgs-verify sev --measurement "$blob" --tik "$BATS_TEST_TMPDIR/tik.bin" \
			--api-major "$maj" --api-minor "$min" --build "$build" --policy "$pol" \
			--expected-digest "$(printf '%s' "$dig" | tr 0-9a-f 1-9a-f0)"
		n=$((n + 1))
	done < <(records)
	[ "$n" -eq 8 ]
}

@test "conformance: sevctl's TIK file verifies its own test blobs" {
	require_vectors sev
	local id tik maj min build pol dig nonce blob mhex
	[ "$(sha256sum < "$VECTORS/sev/inputs/tik1.bin" | cut -d' ' -f1)" = \
		4d5c214dd494f9f1fe6cfd1f499deebeb52fc9cff095962f32f0581c83fcecf8 ]
	while IFS=$'\t' read -r id tik maj min build pol dig nonce blob mhex; do
		run -0 cgs-verify sev --measurement "$blob" --tik "$VECTORS/sev/inputs/tik1.bin" \
			--api-major "$maj" --api-minor "$min" --build-id "$build" --policy "$pol" \
			--expected-digest "$dig"
	done < <(records | grep '^sevctl-launch-measure-00[1-4]')
}

@test "conformance: every mutated byte of each record's blob and inputs is rejected" {
	require_vectors sev
	local id tik maj min build pol dig nonce blob mhex
	while IFS=$'\t' read -r id tik maj min build pol dig nonce blob mhex; do
		run -0 "$MUTATE" launch "$tik" "$maj" "$min" "$build" "$pol" "$dig" "$blob"
		assert_output "103 mutations, all rejected"
	done < <(records)
}

@test "conformance: virtee/sev LAUNCH_MEASURE vector" {
	require_vectors snp/legacy-sev
	local v=$L/launch_measure_vector.json blob
	jq -r .tik "$v" | xxd -r -p > "$BATS_TEST_TMPDIR/tik.bin"
	blob=$(jq -r '.expected_measure + .mnonce' "$v" | xxd -r -p | base64 -w0)
	run -0 cgs-verify sev --measurement "$blob" --tik "$BATS_TEST_TMPDIR/tik.bin" \
		--api-major "$(jq -r .api_major "$v")" --api-minor "$(jq -r .api_minor "$v")" \
		--build "$(jq -r .build "$v")" --policy "$(jq -r .policy "$v")" \
		--expected-digest "$(jq -r .ld_digest "$v")"
	run -2 cgs-verify sev --measurement "$blob" --tik "$BATS_TEST_TMPDIR/tik.bin" \
		--api-major 0 --api-minor 18 --build 15 --policy 1 --expected-digest "$(jq -r .ld_digest "$v")"
}

@test "conformance: the Naples and Rome platform chains verify under the pinned ARKs" {
	require_vectors snp/legacy-sev
	run -0 cgs-verify sev-chain $(platform_chain naples naples)
	assert_line "VERIFIED: SEV platform chain of AMD Naples"
	run -0 cgs-verify sev-chain $(platform_chain rome rome) --json
	[ "$(jq -r .product <<<"$output")" = Rome ]
	[ "$(jq -r '[.checks[].result] | unique | join(",")' <<<"$output")" = pass ]
	[ "$(jq -r .certificates.ark.modulus_bits <<<"$output")" = 4096 ]
	[ "$(jq -r '.certificates.pek.api_major, .certificates.pek.api_minor' <<<"$output" | paste -sd.)" = 0.22 ]
}

@test "conformance: each product's ARK is pinned and signs its ASK" {
	require_vectors snp/legacy-sev
	local p want
	for p in naples rome milan genoa turin; do
		want=$(printf '%s' "${p:0:1}" | tr a-z A-Z)${p:1}
		run cgs-verify sev-chain $(platform_chain "$p" rome) --json
		[ "$(jq -r .product <<<"$output")" = "$want" ]
		[ "$(jq -r '.checks[0:3] | map(.result) | join(",")' <<<"$output")" = pass,pass,pass ] ||
			{ echo "$p: $output"; false; }
		if [ "$p" = rome ]; then
			[ "$status" -eq 0 ]
		else
			# the Rome CEK is not signed by this product's ASK
			[ "$status" -eq 2 ]
			[ "$(jq -r '.checks[3].name + " " + .checks[3].result' <<<"$output")" = "cek-signature fail" ]
		fi
	done
}

@test "conformance: the corrupted Naples ARK is rejected; with its detached signature it is the ARK" {
	require_vectors snp/legacy-sev
	run -65 --separate-stderr cgs-verify sev-chain $(platform_chain naples naples) --ark "$L/naples_test_ark.cert.bad"
	[[ $stderr == "cgs-verify: failed to parse '$L/naples_test_ark.cert.bad': truncated: 576 bytes, expected 832 at offset 0x240 (field 'signature')" ]]
	cat "$L/naples_test_ark.cert.bad" "$L/naples_test_ark.cert.sig" > "$BATS_TEST_TMPDIR/ark.cert"
	run -0 cgs-verify sev-chain $(platform_chain naples naples) --ark "$BATS_TEST_TMPDIR/ark.cert"
	# a different detached signature is not the ARK's
	cat "$L/naples_test_ark.cert.bad" <(tail -c 256 "$L/naples_ask.cert") > "$BATS_TEST_TMPDIR/forged.cert"
	run -2 cgs-verify sev-chain $(platform_chain naples naples) --ark "$BATS_TEST_TMPDIR/forged.cert" \
		--trusted-ark "$BATS_TEST_TMPDIR/forged.cert"
	assert_line "fail  ark-signature: RSA-PSS signature does not verify"
}

@test "conformance: mixing platforms breaks the chain" {
	require_vectors snp/legacy-sev
	run -2 cgs-verify sev-chain $(platform_chain naples rome)
	assert_line --partial "fail  cek-signature"
	run -2 cgs-verify sev-chain $(platform_chain rome naples) --ask "$L/naples_ask.cert"
	assert_line --partial "fail  ask-signature"
	run -2 cgs-verify sev-chain $(platform_chain rome rome) --pek "$L/naples_test_pek.cert"
	assert_line --partial "fail  pek-signature-cek"
	assert_line --partial "fail  pek-signature-oca"
	assert_line --partial "fail  pdh-signature"
}

@test "conformance: every mutated byte of the Naples chain is rejected" {
	require_vectors snp/legacy-sev
	run -0 "$MUTATE" chain "$L/naples_ark.cert" "$L/naples_ask.cert" "$L"/naples_test_{cek,oca,pek,pdh}.cert
	assert_output "10000 mutations, all rejected"
}

@test "conformance: every mutated byte of the Rome chain is rejected" {
	require_vectors snp/legacy-sev
	run -0 "$MUTATE" chain "$L/rome_ark.cert" "$L/rome_ask.cert" "$L"/rome_test_{cek,oca,pek,pdh}.cert
	assert_output "11536 mutations, all rejected"
}

@test "conformance: every mutated byte of each product's ARK and ASK is rejected" {
	require_vectors snp/legacy-sev
	local p
	for p in naples rome milan genoa turin; do
		run -0 "$MUTATE" ca "$L/${p}_ark.cert" "$L/${p}_ask.cert"
		assert_output --regexp "^(1664|3200) mutations, all rejected\$"
	done
}

@test "conformance: the records' launch digests recomputed from their inputs (cgs-measure's engine)" {
	require_vectors sev
	local I=$VECTORS/sev/inputs id tik maj min build pol dig nonce blob mhex src fw
	local fixture=$I/OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9 n=0
	while IFS=$'\t' read -r id tik maj min build pol dig nonce blob mhex; do
		set -- --measurement "$blob" --tik "$I/tik1.bin" --api-major "$maj" --api-minor "$min" \
			--build "$build" --policy "$pol"
		case $id in
		sevctl-launch-measure-002)
			run -0 cgs-verify sev "$@" --ovmf "$fixture" ;;
		sevctl-launch-measure-003)
			run -0 cgs-verify sev "$@" --ovmf "$fixture" --kernel "$I/vmlinuz-fake" \
				--initrd "$I/initrd-fake" --append "foo bar baz fake kernel=cmdline" ;;
		sevctl-launch-measure-00[5-8])
			# LAUNCH_MEASURE over the digest of a deb-sev record: measure its firmware
			src=$(grep '"sev-launch-measure"' "$VECTORS/sev/vectors.jsonl" |
				jq -r "select(.id == \"$id\") | .inputs.launch_digest_from")
			fw=$(jq -r "select(.id == \"$src\") | .cli_args[3]" "$VECTORS/sev/vectors.jsonl")
			run -0 cgs-verify sev "$@" --ovmf "$I/$fw" ;;
		sevctl-launch-measure-004)
			# SEV-ES, 4 vCPUs, the VMSA pages sevctl built
			run -0 cgs-verify sev "$@" --ovmf "$fixture" --vcpus 4 --vmsa-cpu0 "$I/vmsa0.bin" \
				--vmsa-cpu1 "$I/vmsa1.bin" --json=short
			[ "$(jq -r .launch_measure.launch_digest <<<"$output")" = "$dig" ]
			n=$((n + 1))
			continue ;;
		*)
			continue ;; # 001: the digest only
		esac
		assert_line "VERIFIED: launch digest $dig mode sev"
		n=$((n + 1))
	done < <(records)
	[ "$n" -eq 7 ]
}
