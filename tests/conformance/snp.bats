#!/usr/bin/env bats
# Replays the real SEV-SNP evidence of ../shared/vectors/snp (see its MANIFEST.md):
# every report gets its listed outcome, every upstream mutation is rejected by
# the named check. Expected values come from MANIFEST.md (the reference tools).

load ../helpers/common

setup() {
	require_vectors snp
	S="$VECTORS/snp"
	R="$S/roots"
}

# every check of the chain, TCB, hwID and signature passed
assert_authentic() {
	local bad
	bad=$(jq -r '[.checks[] | select(.name | IN("signing-key", "product", "ark", "ask", "vek",
		"validity", "vek-product", "vek-tcb", "chip-id", "signature")) | select(.result != "pass")
		| .name] | join(" ")' <<<"$output")
	[ -z "$bad" ] || { echo "not passed: $bad"; echo "$output"; return 1; }
	[ "$(jq '[.checks[] | select(.name | IN("ark", "signature"))] | length' <<<"$output")" -eq 2 ]
}

# copy a file and change one byte: mutate SRC DST OFFSET EXPR ($b is the old byte)
mutate() {
	cp "$1" "$2" && chmod u+w "$2" # the vectors are read-only
	local b
	b=$(od -An -tu1 -j "$3" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\x%02x' $(( ($4) & 255 )))" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}

# the vectors' CRLs date from 2022: revocation is checked only where a test gives --crl
verify() {
	local skip=(--skip crl)
	[[ " $* " == *" --crl "* ]] && skip=()
	run cgs-verify snp --json "${skip[@]}" "$@"
	_res
}

@test "snp vectors: go-sev-guest Milan v2 (debug policy) is authentic, rejected by 'debug' only" {
	verify --report "$S/go-sev-guest/milan_v2_report.bin" --vcek "$S/go-sev-guest/milan_vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 2 ]
	assert_authentic
	[ "$(failed)" = debug ]
	[ "$(jq -r .report.policy <<<"$output")" = 0xb0000 ]
	[ "$(jq -r .report.report_data <<<"$output" | cut -c1-10)" = 0102030405 ]
	verify --report "$S/go-sev-guest/milan_v2_report.bin" --vcek "$S/go-sev-guest/milan_vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem" --allow-debug
	[ "$status" -eq 0 ]
	[ "$(jq -r .verified <<<"$output")" = true ]
}

@test "snp vectors: virtee Milan v2 verifies; FAMILY_ID bit flip fails 'signature'" {
	verify --report "$S/virtee-sev/milan_report.bin" --vcek "$S/virtee-sev/milan_vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 0 ]
	assert_authentic
	mutate "$S/virtee-sev/milan_report.bin" "$BATS_TEST_TMPDIR/m.bin" 21 'b ^ 0x80'
	verify --report "$BATS_TEST_TMPDIR/m.bin" --vcek "$S/virtee-sev/milan_vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = signature ]
}

@test "snp vectors: virtee VCEK with DER byte 40 xor 0xff fails the chain ('vek')" {
	mutate "$S/virtee-sev/milan_vcek.der" "$BATS_TEST_TMPDIR/v.der" 40 'b ^ 0xff'
	verify --report "$S/virtee-sev/milan_report.bin" --vcek "$BATS_TEST_TMPDIR/v.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
}

@test "snp vectors: trustee Milan v2 verifies; byte 42 fails 'signature', byte 0x180 fails 'vek-tcb'" {
	verify --report "$S/trustee/test-report.bin" --vcek "$S/trustee/test-vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 0 ]
	assert_authentic
	[ "$(jq -r .report.guest_svn <<<"$output")" = 4 ]
	[ "$(jq -r .report.policy <<<"$output")" = 0x3001f ]
	mutate "$S/trustee/test-report.bin" "$BATS_TEST_TMPDIR/m.bin" 42 'b + 1'
	verify --report "$BATS_TEST_TMPDIR/m.bin" --vcek "$S/trustee/test-vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result signature)" = fail ]
	mutate "$S/trustee/test-report.bin" "$BATS_TEST_TMPDIR/m.bin" 384 'b + 1'
	verify --report "$BATS_TEST_TMPDIR/m.bin" --vcek "$S/trustee/test-vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek-tcb)" = fail ]
	[ "$(check_result signature)" = fail ]
}

@test "snp vectors: trustee VCEK with DER byte 42 +1 fails 'vek'" {
	mutate "$S/trustee/test-vcek.der" "$BATS_TEST_TMPDIR/v.der" 42 'b + 1'
	verify --report "$S/trustee/test-report.bin" --vcek "$BATS_TEST_TMPDIR/v.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
}

@test "snp vectors: trustee VLEK v3 report: authentic at issue time, VMPL 1 fails 'vmpl' under VMPL 0" {
	local vlek=(--report "$S/trustee/test-vlek-report.bin" --vlek "$S/trustee/test-vlek.der"
		--cert-chain "$R/gsg_ask_ark_milan_vlek.pem")
	verify "${vlek[@]}" --at 2025-06-01T00:00:00Z
	[ "$status" -eq 2 ]
	assert_authentic
	[ "$(failed)" = vmpl ]
	[ "$(jq -r .report.signing_key <<<"$output")" = vlek ]
	[ "$(jq -r .report.key_info <<<"$output")" = 0x4 ]
	[ "$(jq -r .vek.csp_id <<<"$output")" = "CN=cc-us-east-2.amazonaws.com" ]
	[ "$(jq -r '.checks[] | select(.name == "chip-id") | .actual' <<<"$output")" = \
		"CN=cc-us-east-2.amazonaws.com" ]
	verify "${vlek[@]}" --at 2025-06-01T00:00:00Z --vmpl 1
	[ "$status" -eq 0 ]
	# VLEKs live one year: expired at the vectors' check date
	verify "${vlek[@]}" --at 2026-11-26T00:00:00Z --vmpl 1
	[ "$status" -eq 2 ]
	[ "$(failed)" = validity ]
	# a VLEK-signed report is not accepted with a VCEK chain
	verify --report "$S/trustee/test-vlek-report.bin" --vcek "$S/trustee/test-vcek.der" \
		--cert-chain "$R/gsg_ask_ark_milan.pem" --at 2025-06-01T00:00:00Z --vmpl 1
	[ "$status" -eq 2 ]
	[ "$(check_result ask)" = fail ]
	[ "$(check_result vek)" = fail ]
}

@test "snp vectors: trustee VLEK byte 42 / 0x180 mutations fail 'signature' / 'vek-tcb'" {
	local chain=(--vlek "$S/trustee/test-vlek.der" --cert-chain "$R/gsg_ask_ark_milan_vlek.pem"
		--at 2025-06-01T00:00:00Z --vmpl 1)
	mutate "$S/trustee/test-vlek-report.bin" "$BATS_TEST_TMPDIR/m.bin" 42 'b + 1'
	verify --report "$BATS_TEST_TMPDIR/m.bin" "${chain[@]}"
	[ "$status" -eq 2 ]
	[ "$(failed)" = signature ]
	mutate "$S/trustee/test-vlek-report.bin" "$BATS_TEST_TMPDIR/m.bin" 384 'b + 1'
	verify --report "$BATS_TEST_TMPDIR/m.bin" "${chain[@]}"
	[ "$status" -eq 2 ]
	[ "$(check_result vek-tcb)" = fail ]
}

@test "snp vectors: trustee 3-cert bundles (ASK, ARK, ASVK) serve VCEK and VLEK reports" {
	verify --report "$S/trustee/test-report.bin" --vcek "$S/trustee/test-vcek.der" \
		--cert-chain "$R/trustee_milan_ask_ark_asvk.pem"
	[ "$status" -eq 0 ]
	verify --report "$S/trustee/test-vlek-report.bin" --vlek "$S/trustee/test-vlek.der" \
		--cert-chain "$R/trustee_milan_ask_ark_asvk.pem" --at 2025-06-01T00:00:00Z --vmpl 1
	[ "$status" -eq 0 ]
}

@test "snp vectors: Azure reports (HCL-extracted v2, v3 x3, Genoa v3) verify" {
	verify --report "$S/trustee/azure_snp_report_from_hcl.bin" --vcek "$S/trustee/azure_vcek.pem"
	[ "$status" -eq 0 ]
	for v in v0 v1 v2; do
		vc=$v
		[ "$v" = v1 ] && vc=v0
		verify --report "$S/trustee/azure_evidence-${v}_snp_report.bin" \
			--vcek "$S/trustee/azure_evidence-${vc}_vcek.pem" --cert-chain "$R/gsg_ask_ark_milan.pem"
		[ "$status" -eq 0 ] || { echo "$v: $output"; false; }
		assert_authentic
	done
	verify --report "$S/trustee/azure_evidence-genoa_snp_report.bin" \
		--vcek "$S/trustee/azure_genoa_vcek.pem" --cert-chain "$R/gsg_ask_ark_genoa.pem"
	[ "$status" -eq 0 ]
	[ "$(jq -r .report.platform_info <<<"$output")" = 0x24 ]
	[ "$(jq -r .report.product <<<"$output")" = genoa ]
}

@test "snp vectors: the Azure HCL report verifies; byte 0x1a6 (REPORTED_TCB.snp) zeroed fails 'vek-tcb'" {
	verify --report "$S/trustee/azure_hcl_report.bin" --vcek "$S/trustee/azure_vcek.pem"
	[ "$status" -eq 0 ]
	assert_authentic
	[ "$(check_result hcl-report-data)" = pass ]
	# the same report as extracted by the vectors' author
	[ "$(jq -r .report.report_id <<<"$output")" = "$(xxd -p -s 0x140 -l 32 "$S/trustee/azure_snp_report_from_hcl.bin" | tr -d '\n')" ]
	mutate "$S/trustee/azure_hcl_report.bin" "$BATS_TEST_TMPDIR/h.bin" $((0x1a6)) 0
	verify --report "$BATS_TEST_TMPDIR/h.bin" --vcek "$S/trustee/azure_vcek.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek-tcb)" = fail ]
	# a changed runtime claim no longer matches REPORT_DATA
	mutate "$S/trustee/azure_hcl_report.bin" "$BATS_TEST_TMPDIR/h.bin" $((0x4e0)) 'b ^ 1'
	verify --report "$BATS_TEST_TMPDIR/h.bin" --vcek "$S/trustee/azure_vcek.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = hcl-report-data ]
	head -c 1300 "$S/trustee/azure_hcl_report.bin" >"$BATS_TEST_TMPDIR/cut.bin"
	run -65 --separate-stderr cgs-verify snp --report "$BATS_TEST_TMPDIR/cut.bin"
	[[ $stderr == *"failed to parse"*"size 0x92a"* ]]
}

@test "snp vectors: Zen4c (19h/A0h) report verifies on the Genoa line" {
	verify --report "$S/trustee/e2e_evidence_report_reconstructed.bin" \
		--vcek "$S/trustee/e2e_evidence_vcek.der" --cert-chain "$R/gsg_ask_ark_genoa.pem"
	[ "$status" -eq 0 ]
	[ "$(jq -r .report.product <<<"$output")" = bergamo ]
	[ "$(jq -r .vek.product_name <<<"$output")" = Genoa ]
}

@test "snp vectors: steward Milan v2 with author key, chain from a PkiPath" {
	verify --report "$S/steward/milan_v2_report_from_csr.bin" \
		--vcek "$S/steward/milan_vcek_from_csr.der" --cert-chain "$S/steward/milan_ark_ask.pkipath"
	[ "$status" -eq 0 ]
	[ "$(jq -r .report.author_key_en <<<"$output")" = true ]
	[ "$(jq -r .report.guest_svn <<<"$output")" = 1 ]
	[ "$(jq -r .report.policy <<<"$output")" = 0x30133 ]
}

@test "snp vectors: routex Milan v3, Genoa v3/v5, Turin v5 verify with their VCEK+ASK+ARK bundles" {
	for p in milan_v3_attestation_spec:milan genoa_v3_attestation_spec:genoa \
		genoa_v5_attestation_spec:genoa-v5 turin_v5_oak_report_spec:turin; do
		verify --report "$S/routex-client-lua/${p%%:*}.bin" \
			--vcek "$S/routex-client-lua/vcek-chain-${p#*:}.pem"
		[ "$status" -eq 0 ] || { echo "$p: $output"; false; }
		assert_authentic
	done
}

@test "snp vectors: routex committed-firmware minimums reject Milan 1.55.29, Genoa 1.55.39, Turin 1.55.61" {
	verify --report "$S/routex-client-lua/milan_v3_attestation_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-milan.pem" --min-firmware 1.55.35
	[ "$status" -eq 2 ]
	[ "$(failed)" = min-firmware ]
	verify --report "$S/routex-client-lua/genoa_v3_attestation_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-genoa.pem" --min-firmware 1.55.49
	[ "$(failed)" = min-firmware ]
	verify --report "$S/routex-client-lua/genoa_v5_attestation_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-genoa-v5.pem" --min-firmware 1.55.49
	[ "$status" -eq 0 ]
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-turin.pem" --min-firmware 1.55.65
	[ "$(failed)" = min-firmware ]
}

@test "snp vectors: Turin v5 decodes in the Turin TCB layout with an 8-byte hwID" {
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-turin.pem"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.report.reported_tcb | [.fmc, .bl, .tee, .snp, .ucode]' <<<"$output")" = "[0,1,0,2,71]" ]
	[ "$(jq -r .report.chip_id <<<"$output")" = "3b42092f69c656d3$(printf '0%.0s' $(seq 112))" ]
	[ "$(jq -r .report.platform_info <<<"$output")" = 0x67 ]
	# bit 6 (set on real Turin parts, not in the ABI text we know) is reported, not fatal
	[ "$(jq -r .report.platform_info_unknown_bits <<<"$output")" = 0x40 ]
	[ "$(check_result platform-info)" = pass ]
	[ "$(jq -r .vek.hwid <<<"$output")" = 3b42092f69c656d3 ]
	# minimum TCB in name=value form and as hex TCB_VERSION in the Turin layout
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-turin.pem" --min-tcb fmc=0,bl=1,tee=0,snp=2,ucode=71
	[ "$status" -eq 0 ]
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-turin.pem" --min-tcb snp=3
	[ "$(failed)" = min-tcb ]
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-turin.pem" --min-tcb 0x4700000002000100
	[ "$status" -eq 0 ]
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-turin.pem" --min-tcb 0x4700000003000100
	[ "$(failed)" = min-tcb ]
}

@test "snp vectors: virtee Turin VCEK chains to ARK-Turin (no matching report)" {
	verify --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin" \
		--vcek "$S/virtee-sev/turin_vcek.der" --cert-chain "$R/gsg_ask_ark_turin_vcek.pem"
	[ "$status" -eq 2 ]
	for c in ark ask vek vek-product; do [ "$(check_result $c)" = pass ]; done
	[ "$(jq -r .vek.hwid <<<"$output")" = 1e550a8ee5cf9f4d ]
	[ "$(jq -r .vek.struct_version <<<"$output")" = 1 ]
	[ "$(check_result signature)" = fail ]
}

@test "snp vectors: Genoa v5 with 512 'W' signature bytes fails 'signature'" {
	cp "$S/routex-client-lua/genoa_v5_attestation_spec.bin" "$BATS_TEST_TMPDIR/w.bin"
	chmod u+w "$BATS_TEST_TMPDIR/w.bin"
	printf 'W%.0s' $(seq 512) | dd of="$BATS_TEST_TMPDIR/w.bin" bs=1 seek=672 conv=notrunc 2>/dev/null
	verify --report "$BATS_TEST_TMPDIR/w.bin" --vcek "$S/routex-client-lua/vcek-chain-genoa-v5.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = signature ]
}

@test "snp vectors: the renamed-product (Genoa->Turin) VCEK fails 'vek' and 'vek-product'" {
	verify --report "$S/routex-client-lua/genoa_v3_attestation_spec.bin" \
		--vcek "$S/routex-client-lua/genoa_vcek_TAMPERED_productName_Turin.der" \
		--cert-chain "$R/gsg_ask_ark_genoa.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
	[ "$(check_result vek-product)" = fail ]
	# its key still verifies the report: the certificate is what is wrong
	[ "$(check_result signature)" = pass ]
}

@test "snp vectors: Genoa v2 report without a published VCEK parses but cannot verify" {
	run -0 cgs-verify snp show --report "$S/routex-client-lua/genoa_v2_report_spec.bin" --json
	[[ $(jq -r .report.measurement <<<"$output") == eb949375* ]]
	[[ $(jq -r .report.measurement <<<"$output") == *b8cb ]]
	[[ $(jq -r .report.chip_id <<<"$output") == d932d021* ]]
	verify --report "$S/routex-client-lua/genoa_v2_report_spec.bin" --product genoa \
		--cert-chain "$R/gsg_ask_ark_genoa.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
	[ "$(check_result signature)" = fail ]
	# and a v2 report without --product or VEK has no product: fail closed
	verify --report "$S/routex-client-lua/genoa_v2_report_spec.bin"
	[ "$status" -eq 2 ]
	[ "$(check_result product)" = fail ]
}

@test "snp vectors: the revoked Genoa ASK 0x020001 fails 'crl' under the 2022 CRL" {
	openssl x509 -in "$S/routex-client-lua/vcek-chain-genoa.pem" -out "$BATS_TEST_TMPDIR/vcek.pem"
	verify --report "$S/routex-client-lua/genoa_v3_attestation_spec.bin" \
		--vcek "$BATS_TEST_TMPDIR/vcek.pem" --cert-chain "$S/steward/genoa_ark_ask_2022.pkipath" \
		--crl "$S/steward/genoa_vcek_crl_2022.der" --at 2023-06-01T00:00:00Z
	[ "$status" -eq 2 ]
	[ "$(check_result crl)" = fail ]
	[[ $(jq -r '.checks[] | select(.name == "crl") | .reason' <<<"$output") == *"020001 is revoked"* ]]
	# the current ASK (0x020002) is not listed
	verify --report "$S/routex-client-lua/genoa_v3_attestation_spec.bin" \
		--vcek "$BATS_TEST_TMPDIR/vcek.pem" --cert-chain "$R/gsg_ask_ark_genoa.pem" \
		--crl "$S/steward/genoa_vcek_crl_2022.der" --at 2023-06-01T00:00:00Z
	[ "$(check_result crl)" = pass ]
	# without --at the 2022 CRL has expired: fail, not pass
	verify --report "$S/routex-client-lua/genoa_v3_attestation_spec.bin" \
		--vcek "$BATS_TEST_TMPDIR/vcek.pem" --cert-chain "$R/gsg_ask_ark_genoa.pem" \
		--crl "$S/steward/genoa_vcek_crl_2022.der"
	[ "$status" -eq 2 ]
	[ "$(failed)" = crl ]
	# the Milan CRL is from another ARK: not usable for a Genoa chain
	verify --report "$S/routex-client-lua/genoa_v3_attestation_spec.bin" \
		--vcek "$BATS_TEST_TMPDIR/vcek.pem" --cert-chain "$R/gsg_ask_ark_genoa.pem" \
		--crl "$S/steward/milan_vcek_crl_2022.der" --at 2023-06-01T00:00:00Z
	[ "$(check_result crl)" = fail ]
}

@test "snp vectors: a Milan report with the Genoa chain fails 'ark'; no chain fails closed" {
	verify --report "$S/routex-client-lua/milan_v3_attestation_spec.bin" \
		--vcek "$S/routex-client-lua/vcek-chain-milan.pem" --skip crl
	[ "$status" -eq 0 ]
	openssl x509 -in "$S/routex-client-lua/vcek-chain-milan.pem" -out "$BATS_TEST_TMPDIR/vcek.pem"
	verify --report "$S/routex-client-lua/milan_v3_attestation_spec.bin" \
		--vcek "$BATS_TEST_TMPDIR/vcek.pem" --cert-chain "$R/gsg_ask_ark_genoa.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result ark)" = fail ]
	verify --report "$S/routex-client-lua/milan_v3_attestation_spec.bin" --vcek "$BATS_TEST_TMPDIR/vcek.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result ark)" = fail ]
	[ "$(check_result signature)" = pass ]
	# --trusted-ark with a non-AMD-named root is no way around the pin either
	verify --report "$S/routex-client-lua/milan_v3_attestation_spec.bin" --vcek "$BATS_TEST_TMPDIR/vcek.pem" \
		--cert-chain "$R/gsg_ask_ark_milan.pem" --trusted-ark "$R/virtee_genoa_ark.pem"
	[ "$(check_result ark)" = fail ]
}

@test "snp vectors: --certs DIR and --cert-table give the same verdict as --cert-chain" {
	local d="$BATS_TEST_TMPDIR/certs"
	mkdir -p "$d"
	cp "$R/virtee_milan_ark.pem" "$d/ark.pem"
	cp "$R/virtee_milan_ask.pem" "$d/ask.pem"
	cp "$S/virtee-sev/milan_vcek.der" "$d/vcek.der"
	verify --report "$S/virtee-sev/milan_report.bin" --certs "$d"
	[ "$status" -eq 0 ]
	# a GHCB certificate table built here with printf: VCEK, ASK, ARK (GUIDs in RFC 4122 order)
	openssl x509 -in "$R/virtee_milan_ark.pem" -outform DER -out "$BATS_TEST_TMPDIR/ark.der"
	openssl x509 -in "$R/virtee_milan_ask.pem" -outform DER -out "$BATS_TEST_TMPDIR/ask.der"
	local t="$BATS_TEST_TMPDIR/table.bin" off=$((4 * 24)) f g n
	: >"$t"
	for e in 63da758de6644564adc5f4b93be8accd:"$S/virtee-sev/milan_vcek.der" \
		4ab7b379bbac4fe4a02f05aef327c782:"$BATS_TEST_TMPDIR/ask.der" \
		c0b406a4a803495297433fb6014cd0ae:"$BATS_TEST_TMPDIR/ark.der"; do
		g=${e%%:*}; f=${e#*:}; n=$(stat -c %s "$f")
		printf '%s%08x%08x' "$g" "$off" "$n" | sed -E 's/(.{32})(..)(..)(..)(..)(..)(..)(..)(..)/\1\5\4\3\2\9\8\7\6/' | xxd -r -p >>"$t"
		off=$((off + n))
	done
	head -c 24 /dev/zero >>"$t"
	cat "$S/virtee-sev/milan_vcek.der" "$BATS_TEST_TMPDIR/ask.der" "$BATS_TEST_TMPDIR/ark.der" >>"$t"
	verify --report "$S/virtee-sev/milan_report.bin" --cert-table "$t"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	assert_authentic
}

@test "snp vectors: --expected takes cgs-measure JSON (one document or an array)" {
	local rep="$S/routex-client-lua/genoa_v5_attestation_spec.bin" m
	m=$(xxd -p -s 0x90 -l 48 "$rep" | tr -d '\n')
	jq -n --arg m "$m" '{schema_version: 1, tool: "cgs-measure", mode: "snp", digest_alg: "sha384",
		measurement: $m, inputs: {}, intermediate: {}}' >"$BATS_TEST_TMPDIR/exp.json"
	verify --report "$rep" --vcek "$S/routex-client-lua/vcek-chain-genoa-v5.pem" \
		--expected "$BATS_TEST_TMPDIR/exp.json"
	[ "$status" -eq 0 ]
	[ "$(check_result measurement)" = pass ]
	jq -n --arg m "$m" '[{schema_version: 1, tool: "cgs-measure", measurement: ("00" * 48), mode: "snp", digest_alg: "sha384"},
		{schema_version: 1, tool: "cgs-measure", measurement: $m, mode: "snp:ovmf-hash", digest_alg: "sha384"}]' >"$BATS_TEST_TMPDIR/list.json"
	verify --report "$rep" --vcek "$S/routex-client-lua/vcek-chain-genoa-v5.pem" \
		--expected "$BATS_TEST_TMPDIR/list.json"
	[ "$status" -eq 0 ]
	jq -n '{schema_version: 1, tool: "cgs-measure", measurement: ("ab" * 48), mode: "snp", digest_alg: "sha384"}' >"$BATS_TEST_TMPDIR/bad.json"
	verify --report "$rep" --vcek "$S/routex-client-lua/vcek-chain-genoa-v5.pem" \
		--expected "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 2 ]
	[ "$(failed)" = measurement ]
}

@test "snp vectors: kds-url gives go-sev-guest's VCEK URL and the Turin short-hwid form" {
	run -0 cgs-verify snp kds-url --report "$S/go-sev-guest/milan_v2_report.bin" --product milan
	assert_line --regexp '^vcek: https://kdsintf.amd.com/vcek/v1/Milan/3ac3fe21[0-9a-f]{116}6b5d\?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68$'
	assert_line "cert_chain: https://kdsintf.amd.com/vcek/v1/Milan/cert_chain"
	run -0 cgs-verify snp kds-url --report "$S/routex-client-lua/turin_v5_oak_report_spec.bin"
	assert_line "vcek: https://kdsintf.amd.com/vcek/v1/Turin/3b42092f69c656d3?fmcSPL=0&blSPL=1&teeSPL=0&snpSPL=2&ucodeSPL=71"
	assert_line "cert_chain: https://kdsintf.amd.com/vcek/v1/Turin/cert_chain"
	run -0 cgs-verify snp kds-url --report "$S/trustee/test-vlek-report.bin"
	assert_line "cert_chain: https://kdsintf.amd.com/vlek/v1/Milan/cert_chain"
	refute_line --partial "vcek:"
}

@test "snp vectors: trustee synthetic VCEKs: raw and OCTET STRING hwID both parse" {
	for f in test-vcek-invalid-legacy.der test-vcek-invalid-new.der; do
		verify --report "$S/trustee/test-report.bin" --vcek "$S/trustee/$f" \
			--cert-chain "$R/gsg_ask_ark_milan.pem"
		[ "$status" -eq 2 ]
		[ "$(jq -r .vek.hwid <<<"$output")" = "$(seq 0 63 | xargs printf '%02x')" ]
		[ "$(check_result vek)" = fail ]
		[ -z "$(jq -r '.checks[] | select(.name == "vek-extensions") | .name' <<<"$output")" ]
	done
}
