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
