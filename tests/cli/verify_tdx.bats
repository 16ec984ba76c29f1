#!/usr/bin/env bats
# cgs-verify tdx on generated evidence: an Intel-style PKI made with OpenSSL
# (root, Platform and Processor CA, PCK certificates with the SGX extension,
# TCB Signing key), TCB Info / QE Identity signed here and quotes signed by a
# generated attestation key, to reach every path no real quote covers.

load ../helpers/common
load ../helpers/tdx

setup_file() {
	load ../helpers/common
	load ../helpers/tdx
	tdx_pki_setup
}

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	mk_default_collateral
	mkq "$BATS_TEST_TMPDIR/q.bin"
	Q="$BATS_TEST_TMPDIR/q.bin"
}

@test "tdx: a generated v4 quote verifies under its own root (UpToDate)" {
	tdx_run "$Q"
	[ "$status" -eq 0 ]
	[ "$(jq -r .verified <<<"$output")" = true ]
	[ "$(jq -r .tcb_status <<<"$output")" = UpToDate ]
	[ "$(jq -r .fmspc <<<"$output")" = "$FMSPC" ]
	[ "$(jq -r .pck_ca <<<"$output")" = "Intel SGX PCK Platform CA" ]
	[ -z "$(failed)" ]
	# every check of the table is listed, in order
	[ "$(jq -r '.checks | map(.name) | join(" ")' <<<"$output")" = \
		"format pck-chain pck-validity root-crl pck-crl tcb-signing tcb-info-signature tcb-info-validity fmspc qe-identity-signature qe-identity-validity tdx-module qe-report-signature qe-binding qe-identity quote-signature tcb-level tcb-status debug sept-ve mrtd rtmr0 rtmr1 rtmr2 rtmr3 mrconfigid mrowner mrownerconfig report-data mrseam xfam td-attributes min-tee-tcb-svn" ]
}

@test "tdx: the test root is not the pinned Intel SGX Root CA (same subject): pck-chain fails" {
	run cgs-verify tdx --json --quote "$Q" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--pck-crl "$P/platform_crl.der" --root-crl "$P/root_crl.der"
	[ "$status" -eq 2 ]
	[ "$(check_result pck-chain)" = fail ]
	[[ "$(jq -r '.checks[1].reason' <<<"$output")" == *44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3* ]]
	[ "$(jq -r .verified <<<"$output")" = false ]
}

@test "tdx: a v5 TD15 quote and a v5 TD10 quote verify; text output says verified" {
	mkq "$BATS_TEST_TMPDIR/q5.bin" --version 5 --td15
	tdx_run "$BATS_TEST_TMPDIR/q5.bin"
	[ "$status" -eq 0 ]
	mkq "$BATS_TEST_TMPDIR/q5a.bin" --version 5
	run cgs-verify tdx --quote "$BATS_TEST_TMPDIR/q5a.bin" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--pck-crl "$P/platform_crl.der" --root-crl "$P/root_crl.der" --trusted-root "$P/root.pem"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = verified ]
	[[ "$output" == *"tcb_status UpToDate"* ]]
}

@test "tdx: a Processor-CA PCK verifies with the Processor CA's CRL" {
	"$MKQ" quote --out "$BATS_TEST_TMPDIR/p.bin" --pck-key "$P/ppck.key" --pck-chain "$P/ppck_chain.pem"
	PCKCRL="$P/processor_crl.der" tdx_run "$BATS_TEST_TMPDIR/p.bin"
	[ "$status" -eq 0 ]
	[ "$(jq -r .pck_ca <<<"$output")" = "Intel SGX PCK Processor CA" ]
	# the Platform CA's CRL is not the issuer's: refused
	tdx_run "$BATS_TEST_TMPDIR/p.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = pck-crl ]
}

@test "tdx: a revoked PCK fails pck-crl; --skip pck-crl lists the skip" {
	"$MKQ" quote --out "$BATS_TEST_TMPDIR/r.bin" --pck-key "$P/rpck.key" --pck-chain "$P/rpck_chain.pem"
	tdx_run "$BATS_TEST_TMPDIR/r.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = pck-crl ]
	[ "$(jq -r '.checks[] | select(.name == "pck-crl") | .actual' <<<"$output")" = revoked ]
	[[ "$(jq -r '.checks[] | select(.name == "pck-crl") | .reason' <<<"$output")" == *revoked* ]]
	tdx_run "$BATS_TEST_TMPDIR/r.bin" --skip pck-crl
	[ "$status" -eq 0 ]
	[ "$(check_result pck-crl)" = skip ]
}

@test "tdx: no CRL given fails closed (root-crl, pck-crl)" {
	run cgs-verify tdx --json --quote "$Q" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--trusted-root "$P/root.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "root-crl pck-crl" ]
}

@test "tdx: ConfigurationNeeded fails tcb-status until allowed; advisory IDs are reported" {
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "6 6 2 2 3 1 0 3 0 0 0 0 0 0 0 0" 11 "$TDX_SVNS" UpToDate),
		$(level "$SGX_SVNS" "$PCESVN" "$TDX_SVNS" ConfigurationNeeded INTEL-SA-00615,INTEL-SA-00828)]"
	tdx_run "$Q"
	[ "$status" -eq 2 ]
	[ "$(failed)" = tcb-status ]
	[ "$(jq -r .tcb_status <<<"$output")" = ConfigurationNeeded ]
	[ "$(jq -c .advisory_ids <<<"$output")" = '["INTEL-SA-00615","INTEL-SA-00828"]' ]
	tdx_run "$Q" --allow-tcb-status SWHardeningNeeded,ConfigurationNeeded
	[ "$status" -eq 0 ]
	tdx_run "$Q" --skip tcb-status
	[ "$status" -eq 0 ]
	[ "$(check_result tcb-status)" = skip ]
}

@test "tdx: a Revoked level fails tcb-level and can never be allowed" {
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "$TDX_SVNS" Revoked)]"
	tdx_run "$Q"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "tcb-level tcb-status" ]
	[ "$(jq -r .tcb_status <<<"$output")" = Revoked ]
	tdx_run "$Q" --allow-tcb-status Revoked
	[ "$status" -eq 64 ]
	[[ "$output" == *"never accepted"* ]]
	tdx_run "$Q" --skip tcb-level
	[ "$status" -eq 64 ]
	[[ "$output" == *"cannot be skipped"* ]]
}

@test "tdx: no level for the platform's SGX components or TEE_TCB_SVN: tcb-level fails" {
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "6 6 2 2 3 1 0 3 0 0 0 0 0 0 0 0" 11 "$TDX_SVNS" UpToDate)]"
	tdx_run "$Q"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "tcb-level tcb-status" ]
	[[ "$(jq -r '.checks[] | select(.name == "tcb-level") | .reason' <<<"$output")" == *"SGX components"* ]]
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "3 0 6 0 0 0 0 0 0 0 0 0 0 0 0 0" UpToDate)]"
	tdx_run "$Q"
	[[ "$(jq -r '.checks[] | select(.name == "tcb-level") | .reason' <<<"$output")" == *TEE_TCB_SVN* ]]
}

@test "tdx: the module identity (major > 0) and the QE converge into OutOfDate(ConfigurationNeeded)" {
	mods="[$(module_id TDX_01 "6:UpToDate 2:OutOfDate")]"
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "9 9 5 0 0 0 0 0 0 0 0 0 0 0 0 0" UpToDate)]" "$mods"
	mkq "$BATS_TEST_TMPDIR/m.bin" --tee-tcb-svn 04010500000000000000000000000000
	tdx_run "$BATS_TEST_TMPDIR/m.bin"
	[ "$(jq -r '[.platform_tcb_status, .tdx_module_status, .qe_tcb_status, .tcb_status] | join(" ")' <<<"$output")" = \
		"UpToDate OutOfDate UpToDate OutOfDate" ]
	[ "$(failed)" = tcb-status ]
	# no identity for major 2: tdx-module fails
	mkq "$BATS_TEST_TMPDIR/m2.bin" --tee-tcb-svn 04020500000000000000000000000000
	tdx_run "$BATS_TEST_TMPDIR/m2.bin"
	[ "$(check_result tdx-module)" = fail ]
	# QE OutOfDate on a ConfigurationNeeded platform
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "$TDX_SVNS" ConfigurationNeeded)]"
	mk_qeid "$BATS_TEST_TMPDIR/qe.json" "8:UpToDate 4:OutOfDate"
	tdx_run "$Q"
	[ "$(jq -r '[.qe_tcb_status, .tcb_status] | join(" ")' <<<"$output")" = "OutOfDate OutOfDateConfigurationNeeded" ]
	# a QE below every level: not supported
	mk_qeid "$BATS_TEST_TMPDIR/qe.json" "8:UpToDate"
	tdx_run "$Q"
	[ "$(jq -r .tcb_status <<<"$output")" = TCBNotSupported ]
	[ "$(check_result tcb-level)" = fail ]
}

@test "tdx: a TD15 quote on an updated module is TDRelaunchAdvised (QVL's relaunch rule)" {
	mods="[$(module_id TDX_01 "6:UpToDate 2:OutOfDate")]"
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "9 9 5 0 0 0 0 0 0 0 0 0 0 0 0 0" UpToDate)]" "$mods"
	mkq "$BATS_TEST_TMPDIR/r.bin" --version 5 --td15 --tee-tcb-svn 04010500000000000000000000000000 \
		--tee-tcb-svn2 06010500000000000000000000000000
	tdx_run "$BATS_TEST_TMPDIR/r.bin"
	[ "$(jq -r .tcb_status <<<"$output")" = TDRelaunchAdvised ]
	[ "$(failed)" = tcb-status ]
	tdx_run "$BATS_TEST_TMPDIR/r.bin" --allow-tcb-status TDRelaunchAdvised
	[ "$status" -eq 0 ]
	# the same on a ConfigurationNeeded platform
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "9 9 5 0 0 0 0 0 0 0 0 0 0 0 0 0" ConfigurationNeeded)]" "$mods"
	tdx_run "$BATS_TEST_TMPDIR/r.bin"
	[ "$(jq -r .tcb_status <<<"$output")" = TDRelaunchAdvisedConfigurationNeeded ]
	# SVN2 not yet at the newest module: stays OutOfDate; a TD10 body has no relaunch rule
	mkq "$BATS_TEST_TMPDIR/r2.bin" --version 5 --td15 --tee-tcb-svn 04010500000000000000000000000000 \
		--tee-tcb-svn2 05010500000000000000000000000000
	tdx_run "$BATS_TEST_TMPDIR/r2.bin"
	[ "$(jq -r .tcb_status <<<"$output")" = OutOfDateConfigurationNeeded ]
	mkq "$BATS_TEST_TMPDIR/r3.bin" --version 5 --tee-tcb-svn 04010500000000000000000000000000
	tdx_run "$BATS_TEST_TMPDIR/r3.bin"
	[ "$(jq -r .tcb_status <<<"$output")" = OutOfDateConfigurationNeeded ]
}

@test "tdx: DEBUG and SEPT_VE_DISABLE policy, strict by default" {
	mkq "$BATS_TEST_TMPDIR/d.bin" --td-attributes 0x10000001
	tdx_run "$BATS_TEST_TMPDIR/d.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = debug ]
	tdx_run "$BATS_TEST_TMPDIR/d.bin" --allow-debug
	[ "$status" -eq 0 ]
	mkq "$BATS_TEST_TMPDIR/s.bin" --td-attributes 0
	tdx_run "$BATS_TEST_TMPDIR/s.bin"
	[ "$(failed)" = sept-ve ]
	tdx_run "$BATS_TEST_TMPDIR/s.bin" --allow-sept-ve
	[ "$status" -eq 0 ]
	[ "$(jq -r .quote.body.td_attributes_decoded.sept_ve_disable <<<"$output")" = false ]
}

@test "tdx: expected values, masks and the minimum TEE_TCB_SVN" {
	local mrtd rd
	mrtd=$(for i in $(seq 0 47); do printf '%02x' $((0xa0 + i % 16)); done)
	rd=$(printf 'ab%.0s' $(seq 1 64))
	mkq "$BATS_TEST_TMPDIR/e.bin" --report-data "$rd" --mrconfigid 01
	tdx_run "$BATS_TEST_TMPDIR/e.bin" --mrtd "$mrtd" --report-data "$rd" --xfam 0x602e7 \
		--td-attributes 0x10000000 --min-tee-tcb-svn 03000500000000000000000000000000
	[ "$status" -eq 0 ]
	for c in mrtd report-data xfam td-attributes min-tee-tcb-svn; do
		[ "$(check_result $c)" = pass ] || { echo "$c"; return 1; }
	done
	[[ "$(jq -r '.checks[] | select(.name == "mrconfigid") | .reason' <<<"$output")" == *"not zero"* ]]
	tdx_run "$BATS_TEST_TMPDIR/e.bin" --rtmr1 "$mrtd" --xfam 0x2e7 --min-tee-tcb-svn 04000000000000000000000000000000
	[ "$status" -eq 2 ]
	[ "$(failed)" = "rtmr1 xfam min-tee-tcb-svn" ]
	tdx_run "$BATS_TEST_TMPDIR/e.bin" --xfam 0x2e7 --xfam-mask 0xfff --td-attributes 0 \
		--td-attributes-mask 0x1
	[ "$status" -eq 0 ]
	tdx_run "$BATS_TEST_TMPDIR/e.bin" --mrtd 00
	[ "$status" -eq 64 ]
	tdx_run "$BATS_TEST_TMPDIR/e.bin" --skip rtmr1 --rtmr1 "$mrtd"
	[ "$status" -eq 0 ]
	[ "$(check_result rtmr1)" = skip ]
}

@test "tdx: --expected takes cgs-measure --mode tdx JSON; an RTMR left out is not compared" {
	local mrtd
	mrtd=$(for i in $(seq 0 47); do printf '%02x' $((0xa0 + i % 16)); done)
	jq -n --arg m "$mrtd" --arg z "$(printf '00%.0s' $(seq 1 48))" \
		'{schema_version: 1, tool: "cgs-measure", mode: "tdx", digest_alg: "sha384", mrtd: $m,
		  rtmr1: $z, rtmr2: $z, rtmr3: $z}' >"$BATS_TEST_TMPDIR/x.json"
	tdx_run "$Q" --expected "$BATS_TEST_TMPDIR/x.json"
	[ "$status" -eq 0 ]
	[ "$(check_result mrtd)" = pass ]
	[ "$(check_result rtmr0)" = skip ]
	[[ "$(jq -r '.checks[] | select(.name == "rtmr0") | .reason' <<<"$output")" == *"could not compute"* ]]
	[ "$(check_result rtmr1)" = pass ]
	# the command line wins over the document
	tdx_run "$Q" --expected "$BATS_TEST_TMPDIR/x.json" --mrtd "$(printf '11%.0s' $(seq 1 48))"
	[ "$(failed)" = mrtd ]
	# null is not a value (the suite's reader): refused
	jq '.rtmr0 = null' "$BATS_TEST_TMPDIR/x.json" >"$BATS_TEST_TMPDIR/y.json"
	tdx_run "$Q" --expected "$BATS_TEST_TMPDIR/y.json"
	[ "$status" -eq 65 ]
	jq '.mode = "snp"' "$BATS_TEST_TMPDIR/x.json" >"$BATS_TEST_TMPDIR/y.json"
	tdx_run "$Q" --expected "$BATS_TEST_TMPDIR/y.json"
	[ "$status" -eq 65 ]
	[[ "$output" == *"mode"* ]]
	jq '.mrtd = "00"' "$BATS_TEST_TMPDIR/x.json" >"$BATS_TEST_TMPDIR/y.json"
	tdx_run "$Q" --expected "$BATS_TEST_TMPDIR/y.json"
	[ "$status" -eq 65 ]
}

@test "tdx: --at outside the collateral's window fails the validity checks" {
	tdx_run "$Q" --at "$(iso '+60 days')"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "root-crl pck-crl tcb-info-validity qe-identity-validity" ]
	tdx_run "$Q" --at "$(iso '-3 days')"
	# the collateral signatures cannot be trusted without a valid TCB Signing certificate
	[ "$(failed)" = "pck-validity root-crl pck-crl tcb-signing tcb-info-signature tcb-info-validity qe-identity-signature qe-identity-validity" ]
	tdx_run "$Q" --at yesterday
	[ "$status" -eq 64 ]
}

@test "tdx: tampered or foreign collateral fails its checks" {
	sed 's/"tcbEvaluationDataNumber":17/"tcbEvaluationDataNumber":18/' "$BATS_TEST_TMPDIR/tcb.json" >"$BATS_TEST_TMPDIR/t2.json"
	TCB="$BATS_TEST_TMPDIR/t2.json" tdx_run "$Q"
	[ "$(failed)" = tcb-info-signature ]
	sed 's/"tcbEvaluationDataNumber":17/"tcbEvaluationDataNumber":18/' "$BATS_TEST_TMPDIR/qe.json" >"$BATS_TEST_TMPDIR/q2.json"
	QEID="$BATS_TEST_TMPDIR/q2.json" tdx_run "$Q"
	[ "$(failed)" = qe-identity-signature ]
	mk_tcbinfo "$BATS_TEST_TMPDIR/t3.json" "[$(level "$SGX_SVNS" "$PCESVN" "$TDX_SVNS" UpToDate)]" "[]" 00806f050000
	TCB="$BATS_TEST_TMPDIR/t3.json" tdx_run "$Q"
	[ "$(failed)" = fmspc ]
	# signed by another key (the PCK's): not the TCB Signing key
	"$MKQ" sign --key "$P/pck.key" --member tcbInfo --body "$BATS_TEST_TMPDIR/tcb.json.body" --out "$BATS_TEST_TMPDIR/t4.json"
	TCB="$BATS_TEST_TMPDIR/t4.json" tdx_run "$Q"
	[ "$(failed)" = tcb-info-signature ]
}

@test "tdx: collateral that does not parse is malformed input (65), named, with nothing on stdout" {
	# a QE Identity where TCB Info is expected, and the reverse
	TCB="$BATS_TEST_TMPDIR/qe.json" tdx_run "$Q"
	[ "$status" -eq 65 ]
	[[ "$output" == "cgs-verify: failed to load the collateral: TCB Info: "* ]]
	[ "${#lines[@]}" -eq 1 ]
	QEID="$BATS_TEST_TMPDIR/tcb.json" tdx_run "$Q"
	[ "$status" -eq 65 ]
	[[ "$output" == *"QE Identity: "* ]]
	echo '{"tcbInfo":' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr cgs-verify tdx --json --quote "$Q" \
		--tcb-info "$BATS_TEST_TMPDIR/bad.json" --qe-identity "$BATS_TEST_TMPDIR/qe.json" \
		--tcb-signing-chain "$P/tcb_chain.pem" --pck-crl "$P/platform_crl.der" \
		--root-crl "$P/root_crl.der" --trusted-root "$P/root.pem"
	[ "$status" -eq 65 ]
	[ -z "$output" ]
	[[ "$stderr" == *"TCB Info: "*"JSON"* ]]
	printf 'not a CRL' >"$BATS_TEST_TMPDIR/bad.crl"
	PCKCRL="$BATS_TEST_TMPDIR/bad.crl" tdx_run "$Q"
	[ "$status" -eq 65 ]
	[[ "$output" == *"PCK CRL: "* ]]
	printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' >"$BATS_TEST_TMPDIR/bad.pem"
	run cgs-verify tdx --quote "$Q" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$BATS_TEST_TMPDIR/bad.pem" \
		--pck-crl "$P/platform_crl.der" --root-crl "$P/root_crl.der" --trusted-root "$P/root.pem"
	[ "$status" -eq 65 ]
	[[ "$output" == *"TCB Signing chain: "* ]]
	# missing collateral is not malformed: the checks that need it fail (2)
	run cgs-verify tdx --json --quote "$Q" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--trusted-root "$P/root.pem"
	[ "$status" -eq 2 ]
	[[ "$(jq -r '.checks[] | select(.name == "pck-crl") | .reason' <<<"$output")" == *"no CRL given"* ]]
}

@test "tdx: a QE report that is not Intel's TD QE fails qe-identity" {
	mkq "$BATS_TEST_TMPDIR/w.bin" --qe-mrsigner "$(printf '11%.0s' $(seq 1 32))"
	tdx_run "$BATS_TEST_TMPDIR/w.bin"
	[ "$(failed)" = "qe-identity tcb-level tcb-status" ]
	mkq "$BATS_TEST_TMPDIR/w.bin" --qe-isvprodid 1
	tdx_run "$BATS_TEST_TMPDIR/w.bin"
	[[ "$(jq -r '.checks[] | select(.name == "qe-identity") | .reason' <<<"$output")" == *ISVPRODID* ]]
}

@test "tdx: MRSIGNERSEAM and SEAMATTRIBUTES are checked against the module identity" {
	mkq "$BATS_TEST_TMPDIR/m.bin" --mrsignerseam 01
	tdx_run "$BATS_TEST_TMPDIR/m.bin"
	[ "$(failed)" = tdx-module ]
	mkq "$BATS_TEST_TMPDIR/m.bin" --seam-attributes 01
	tdx_run "$BATS_TEST_TMPDIR/m.bin"
	[ "$(failed)" = tdx-module ]
}

@test "tdx: a PCK CA or TCB Signing certificate revoked by the root CRL" {
	local d="$BATS_TEST_TMPDIR/pki2"
	cp -r "$P" "$d"
	sh "$PKI_SH" crl "$d" root "$d/platform.pem"
	tdx_run "$Q" --root-crl "$d/root_crl.der"
	[ "$(failed)" = root-crl ]
	sh "$PKI_SH" crl "$d" root "$d/tcbsign.pem"
	tdx_run "$Q" --root-crl "$d/root_crl.der"
	[ "$(failed)" = "tcb-signing tcb-info-signature qe-identity-signature" ]
	# a CRL signed by another CA than the issuer
	tdx_run "$Q" --root-crl "$P/platform_crl.der"
	[[ "$(failed)" == "root-crl"* ]]
}

@test "tdx: malformed quotes exit 65 naming the field; trailing bytes are ignored" {
	head -c 600 "$Q" >"$BATS_TEST_TMPDIR/t.bin"
	tdx_run "$BATS_TEST_TMPDIR/t.bin"
	[ "$status" -eq 65 ]
	[[ "$output" == *"failed to parse"*"truncated"*"field 'body'"* ]]
	printf '\x03' | dd of="$BATS_TEST_TMPDIR/q.bin" bs=1 seek=0 conv=notrunc 2>/dev/null
	tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$status" -eq 65 ]
	[[ "$output" == *"quote version 3"* ]]
	mkq "$BATS_TEST_TMPDIR/v5.bin" --version 5 --td15
	printf '\x02' | dd of="$BATS_TEST_TMPDIR/v5.bin" bs=1 seek=48 conv=notrunc 2>/dev/null
	tdx_run "$BATS_TEST_TMPDIR/v5.bin"
	[ "$status" -eq 65 ]
	[[ "$output" == *"body type 2 with size 648"*"field 'body_size'"* ]]
	mkq "$BATS_TEST_TMPDIR/tr.bin" --trailing 100
	tdx_run "$BATS_TEST_TMPDIR/tr.bin"
	[ "$status" -eq 0 ]
	[[ "$(jq -r '.checks[0].reason' <<<"$output")" == "100 bytes after"* ]]
	# the signature data length covering the trailing bytes: cert data no longer ends it
	mkq "$BATS_TEST_TMPDIR/s.bin"
	dd if=/dev/zero bs=1 count=8 >>"$BATS_TEST_TMPDIR/s.bin" 2>/dev/null
	len=$(od -An -tu4 -j 632 -N4 "$BATS_TEST_TMPDIR/s.bin" | tr -d ' ')
	printf "$(printf '\\x%02x\\x%02x' $(((len + 8) & 255)) $(((len + 8) >> 8)))" |
		dd of="$BATS_TEST_TMPDIR/s.bin" bs=1 seek=632 conv=notrunc 2>/dev/null
	tdx_run "$BATS_TEST_TMPDIR/s.bin"
	[ "$status" -eq 65 ]
	[[ "$output" == *"cert_size"* ]]
}

@test "tdx: a quote given as hex text verifies like the binary" {
	od -An -v -tx1 "$Q" | tr -d ' \n' >"$BATS_TEST_TMPDIR/q.hex"
	echo >>"$BATS_TEST_TMPDIR/q.hex"
	tdx_run "$BATS_TEST_TMPDIR/q.hex"
	[ "$status" -eq 0 ]
}

@test "tdx: usage errors exit 64, missing files 66" {
	run cgs-verify tdx --json
	[ "$status" -eq 64 ]
	[[ "$output" == *"missing --quote"* ]]
	run cgs-verify tdx --quote "$Q"
	[ "$status" -eq 64 ]
	tdx_run "$Q" --skip quote-signature
	[ "$status" -eq 64 ]
	[[ "$output" == *"cannot be skipped"* ]]
	tdx_run "$Q" --skip nosuch
	[ "$status" -eq 64 ]
	[[ "$output" == *"tcb-status"* ]]
	tdx_run "$Q" --allow-tcb-status Fine
	[ "$status" -eq 64 ]
	tdx_run "$BATS_TEST_TMPDIR/nope.bin"
	[ "$status" -eq 66 ]
	TCB="$BATS_TEST_TMPDIR/nope.json" tdx_run "$Q"
	[ "$status" -eq 66 ]
	run cgs-verify tdx --quote "$Q" --collateral "$BATS_TEST_TMPDIR/nodir"
	[ "$status" -eq 66 ]
}

@test "tdx show: every field as text and JSON; malformed input exits 65" {
	mkq "$BATS_TEST_TMPDIR/s.bin" --version 5 --td15 --td-attributes 0x10000001
	run cgs-verify tdx show --json --quote "$BATS_TEST_TMPDIR/s.bin"
	[ "$status" -eq 0 ]
	[ "$(jq -r .quote.body_type <<<"$output")" = TD15 ]
	[ "$(jq -r .quote.body.td_attributes <<<"$output")" = 0x10000001 ]
	[ "$(jq -r .quote.body.td_attributes_decoded.debug <<<"$output")" = true ]
	[ "$(jq -r .quote.pck.fmspc <<<"$output")" = "$FMSPC" ]
	[ "$(jq -r '.quote.pck.chain[2]' <<<"$output")" = "Intel SGX Root CA" ]
	[ "$(jq -r '.quote.pck.sgx_tcb_components | join(" ")' <<<"$output")" = "$SGX_SVNS" ]
	[ "$(jq -r .quote.qe_report.isvsvn <<<"$output")" = 4 ]
	run cgs-verify tdx show "$BATS_TEST_TMPDIR/s.bin"
	[ "$status" -eq 0 ]
	[[ "$output" == *"body.tee_tcb_svn2"* ]]
	[[ "$output" == *"pck.fmspc"*"$FMSPC"* ]]
	head -c 100 "$BATS_TEST_TMPDIR/s.bin" >"$BATS_TEST_TMPDIR/short.bin"
	run cgs-verify tdx show "$BATS_TEST_TMPDIR/short.bin"
	[ "$status" -eq 65 ]
}

@test "tdx: --x-repeat re-verifies with the cached verifier" {
	run cgs-verify tdx -v --quote "$Q" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--pck-crl "$P/platform_crl.der" --root-crl "$P/root_crl.der" --trusted-root "$P/root.pem" \
		--x-repeat 20
	[ "$status" -eq 0 ]
	[[ "$output" == *"--x-repeat: 20 of 20 quotes verified"* ]]
}

@test "tdx: cgs-measure --mode tdx --json feeds cgs-verify tdx --expected with no glue" {
	local g="$BUILD/tests/helpers/tdxgen" t=$BATS_TEST_TMPDIR m
	"$g" fw "$t/fw.fd" --pk
	"$g" kernel "$t/vmlinuz" 0x20000
	"$g" acpi "$t/tables"
	"$CGS_REAL_BIN/cgs-measure" --mode tdx --ovmf "$t/fw.fd" --kernel "$t/vmlinuz" --acpi-tables "$t/tables" \
		--append "console=ttyS0" --memory 2G --json >"$t/expected.json"
	args=(--mrtd "$(jq -r .mrtd "$t/expected.json")")
	for i in 0 1 2 3; do
		v=$(jq -r ".rtmr$i // empty" "$t/expected.json")
		[ -n "$v" ] && args+=(--rtmr$i "$v")
	done
	mkq "$t/td.bin" "${args[@]}"
	tdx_run "$t/td.bin" --expected "$t/expected.json"
	[ "$status" -eq 0 ]
	[ "$(check_result mrtd)" = pass ]
	[ "$(check_result rtmr1)" = pass ]
	[ "$(check_result rtmr2)" = pass ]
	# another command line measures another TD
	"$CGS_REAL_BIN/cgs-measure" --mode tdx --ovmf "$t/fw.fd" --kernel "$t/vmlinuz" --acpi-tables "$t/tables" \
		--append "console=ttyS1" --memory 2G --json >"$t/other.json"
	tdx_run "$t/td.bin" --expected "$t/other.json"
	[ "$status" -eq 2 ]
	[ "$(failed)" = rtmr2 ]
	# an array of documents means "any of these"
	jq -s . "$t/other.json" "$t/expected.json" >"$t/any.json"
	tdx_run "$t/td.bin" --expected "$t/any.json"
	[ "$status" -eq 0 ]
	[[ "$(jq -r '.checks[] | select(.name == "mrtd") | .reason' <<<"$output")" == *"document 2 of 2"* ]]
	jq -s . "$t/other.json" "$t/other.json" >"$t/none.json"
	tdx_run "$t/td.bin" --expected "$t/none.json"
	[ "$status" -eq 2 ]
	[ "$(failed)" = rtmr2 ]
	[[ "$(jq -r '.checks[] | select(.name == "rtmr2") | .reason' <<<"$output")" == *"none matches"* ]]
}

@test "tdx: a --trusted-root that is not a certificate exits 65" {
	echo "not a certificate" >"$BATS_TEST_TMPDIR/root.pem"
	run cgs-verify tdx --quote "$Q" --tcb-info "$BATS_TEST_TMPDIR/tcb.json" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--trusted-root "$BATS_TEST_TMPDIR/root.pem"
	[ "$status" -eq 65 ]
	[[ "$output" == *"not a PEM or DER certificate"* ]]
}
