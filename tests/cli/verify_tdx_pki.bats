#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# cgs-verify tdx: certificate checks that fail for the right reason. Each
# input differs from a passing one only in the property the check guards:
# another key under the same names, the right key under another issuer name,
# a time just past a certificate's validity, a CRL of the same name signed by
# another key (tests/mutants/tdx-cert-*.mutant, tdx-crl-signature.mutant).

load ../helpers/common
load ../helpers/tdx

setup_file() {
	load ../helpers/common
	load ../helpers/tdx
	tdx_pki_setup
	local f="$BATS_FILE_TMPDIR/foreign" n="$BATS_FILE_TMPDIR/renamed"
	# the same names with other keys
	sh "$PKI_SH" pki "$f"
	sh "$PKI_SH" pck "$f" "$f/pck" platform "$FMSPC" "$SGX_SVNS" "$PCESVN"
	sh "$PKI_SH" crl "$f" platform
	# the real root key under another subject signs a Platform CA
	mkdir -p "$n"
	cp "$P/root.pem" "$P/root.key" "$P/ca.ext" "$n/"
	openssl req -x509 -key "$n/root.key" -subj "/CN=Another Root CA/O=Intel Corporation" \
		-days 7300 -sha256 -set_serial 0x1001 -out "$n/other.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$n/platform.key" 2>/dev/null
	openssl req -new -key "$n/platform.key" -out "$n/platform.csr" \
		-subj "/CN=Intel SGX PCK Platform CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US" 2>/dev/null
	openssl x509 -req -in "$n/platform.csr" -CA "$n/other.pem" -CAkey "$n/root.key" \
		-set_serial 0x2001 -days 3650 -sha256 -extfile "$n/ca.ext" -extensions e \
		-out "$n/platform.pem" 2>/dev/null
	sh "$PKI_SH" pck "$n" "$n/pck" platform "$FMSPC" "$SGX_SVNS" "$PCESVN"
}

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	F="$BATS_FILE_TMPDIR/foreign"
	N="$BATS_FILE_TMPDIR/renamed"
	mk_default_collateral
}

@test "tdx pki: a PCK signed by another key under the Platform CA's name fails pck-chain" {
	# the foreign PCK, shown with the genuine Platform CA and root
	cat "$F/pck.pem" "$P/platform.pem" "$P/root.pem" > "$BATS_TEST_TMPDIR/chain.pem"
	"$MKQ" quote --out "$BATS_TEST_TMPDIR/q.bin" --pck-key "$F/pck.key" \
		--pck-chain "$BATS_TEST_TMPDIR/chain.pem"
	tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$status" -eq 2 ]
	[ "$(check_result pck-chain)" = fail ]
	# the genuine chain passes the same check
	mkq "$BATS_TEST_TMPDIR/ok.bin"
	tdx_run "$BATS_TEST_TMPDIR/ok.bin"
	[ "$(check_result pck-chain)" = pass ]
}

@test "tdx pki: a Platform CA signed by the root's key under another issuer name fails pck-chain" {
	cat "$N/pck.pem" "$N/platform.pem" "$P/root.pem" > "$BATS_TEST_TMPDIR/chain.pem"
	"$MKQ" quote --out "$BATS_TEST_TMPDIR/q.bin" --pck-key "$N/pck.key" \
		--pck-chain "$BATS_TEST_TMPDIR/chain.pem"
	tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$status" -eq 2 ]
	[ "$(check_result pck-chain)" = fail ]
}

@test "tdx pki: at a time after the PCK's notAfter (root still valid) pck-validity fails" {
	mkq "$BATS_TEST_TMPDIR/q.bin"
	after=$(date -u -d "$(openssl x509 -in "$P/pck.pem" -noout -enddate | cut -d= -f2) + 1 day" \
		+%Y-%m-%dT%H:%M:%SZ)
	tdx_run "$BATS_TEST_TMPDIR/q.bin" --at "$after"
	[ "$status" -eq 2 ]
	[ "$(check_result pck-validity)" = fail ]
	tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$(check_result pck-validity)" = pass ]
}

@test "tdx pki: a PCK CRL with the Platform CA's name signed by another key fails pck-crl" {
	mkq "$BATS_TEST_TMPDIR/q.bin"
	PCKCRL=$F/platform_crl.der tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$status" -eq 2 ]
	[ "$(check_result pck-crl)" = fail ]
	tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$(check_result pck-crl)" = pass ]
}

@test "tdx pki: a QE report that binds another attestation key (last hash byte) fails qe-binding" {
	mkq "$BATS_TEST_TMPDIR/q.bin" --bad-binding
	tdx_run "$BATS_TEST_TMPDIR/q.bin"
	[ "$status" -eq 2 ]
	[ "$(check_result qe-binding)" = fail ]
	[ "$(check_result qe-report-signature)" = pass ]
	mkq "$BATS_TEST_TMPDIR/ok.bin"
	tdx_run "$BATS_TEST_TMPDIR/ok.bin"
	[ "$(check_result qe-binding)" = pass ]
}
