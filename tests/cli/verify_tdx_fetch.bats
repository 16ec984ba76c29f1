#!/usr/bin/env bats
# cgs-verify tdx fetch against a local test PCS (tests/helpers/kds_server.py on
# 127.0.0.1, ephemeral port) serving generated collateral with the issuer
# chains in response headers, as Intel's PCS does. Never the internet.

load ../helpers/common
load ../helpers/tdx
load ../helpers/kds_server

setup_file() {
	load ../helpers/common
	load ../helpers/tdx
	tdx_pki_setup
}

# the chain as PCS sends it: URL-encoded PEM in a header
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read()))' "$1"; }

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	mk_default_collateral
	mkq "$BATS_TEST_TMPDIR/q.bin"
	Q="$BATS_TEST_TMPDIR/q.bin"
	S="$BATS_TEST_TMPDIR/pcs"
	mkdir -p "$S/tdx/certification/v4/qe" "$S/sgx/certification/v4"
	cp "$BATS_TEST_TMPDIR/tcb.json" "$S/tdx/certification/v4/tcb"
	echo "TCB-Info-Issuer-Chain: $(urlenc "$P/tcb_chain.pem")" >"$S/tdx/certification/v4/tcb.headers"
	cp "$BATS_TEST_TMPDIR/qe.json" "$S/tdx/certification/v4/qe/identity"
	echo "SGX-Enclave-Identity-Issuer-Chain: $(urlenc "$P/tcb_chain.pem")" >"$S/tdx/certification/v4/qe/identity.headers"
	cp "$P/platform_crl.der" "$S/sgx/certification/v4/pckcrl"
	cp "$P/root_crl.der" "$S/IntelSGXRootCA.der"
	kds_start "$S"
	C="$BATS_TEST_TMPDIR/cache"
}

teardown() {
	kds_stop
}

fetch() {
	run --separate-stderr cgs-verify tdx fetch --json --quote "$Q" --cache "$C" --pcs-url "$KDS_URL" \
		--root-crl-url "$KDS_URL/IntelSGXRootCA.der" --trusted-root "$P/root.pem" "$@"
}

states() { jq -r '[.items[].state] | join(" ")' <<<"$output"; }

@test "tdx fetch: downloads, checks and caches the four items; --out feeds --collateral" {
	fetch --out "$BATS_TEST_TMPDIR"/out
	[ "$status" -eq 66 ] # --out DIR must exist
	mkdir "$BATS_TEST_TMPDIR/out"
	fetch --out "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	[ "$(states)" = "fetched fetched fetched fetched" ]
	[ "$(jq -r .fmspc <<<"$output")" = "$FMSPC" ]
	[ "$(kds_requests)" -eq 4 ]
	grep -q "GET /tdx/certification/v4/tcb?fmspc=$FMSPC" "$KDS_LOG"
	grep -q "GET /sgx/certification/v4/pckcrl?ca=platform&encoding=der" "$KDS_LOG"
	[ -f "$C/intel/tdx/v4/tcb/$FMSPC.json" ] && [ -f "$C/intel/tdx/v4/tcb/$FMSPC.chain.pem" ]
	cmp "$C/intel/tdx/v4/tcb/$FMSPC.chain.pem" "$P/tcb_chain.pem"
	run cgs-verify tdx --json --quote "$Q" --collateral "$BATS_TEST_TMPDIR/out" --trusted-root "$P/root.pem"
	[ "$status" -eq 0 ]
	# existing files are not replaced without --force
	fetch --out "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 1 ]
	fetch --out "$BATS_TEST_TMPDIR/out" --force
	[ "$status" -eq 0 ]
}

@test "tdx fetch: valid cached items are reused without a request; --offline uses the cache only" {
	fetch --offline
	[ "$status" -eq 1 ]
	[ "$(states)" = "missing missing missing missing" ]
	[ "$(kds_requests)" -eq 0 ]
	fetch
	[ "$status" -eq 0 ]
	fetch
	[ "$status" -eq 0 ]
	[ "$(states)" = "reused reused reused reused" ]
	[ "$(kds_requests)" -eq 4 ]
	fetch --offline
	[ "$status" -eq 0 ]
	# past the collateral's nextUpdate the cached copies are stale: fetched again
	fetch --at "$(iso '+45 days')"
	[ "$(kds_requests)" -eq 8 ]
	[ "$status" -eq 2 ]
	[ "$(states)" = "refused refused refused refused" ]
}

@test "tdx fetch: a tampered or unsigned download is refused and not cached" {
	sed -i 's/"tcbEvaluationDataNumber":17/"tcbEvaluationDataNumber":18/' "$S/tdx/certification/v4/tcb"
	rm "$S/tdx/certification/v4/qe/identity.headers"
	fetch
	[ "$status" -eq 1 ] # a failed download outranks a refused one
	[ "$(states)" = "refused failed fetched fetched" ]
	[[ "$(jq -r '.items[0].reason' <<<"$output")" == tcb-info-signature* ]]
	[[ "$(jq -r '.items[1].reason' <<<"$output")" == *"SGX-Enclave-Identity-Issuer-Chain"* ]]
	[ ! -e "$C/intel/tdx/v4/tcb/$FMSPC.json" ]
	# the PCS answers 404: a failed download (exit 1), named
	echo "/tdx status 404" >"$KDS_FAULTS"
	rm -rf "$C"
	fetch
	[ "$status" -eq 1 ]
	[ "$(states)" = "failed failed fetched fetched" ]
}

@test "tdx fetch: a download that does not parse is refused, not cached; verify calls such a file malformed (65)" {
	echo '<html>busy</html>' >"$S/tdx/certification/v4/tcb"
	echo 'not a CRL' >"$S/sgx/certification/v4/pckcrl"
	fetch
	[ "$status" -eq 2 ]
	[ "$(states)" = "refused fetched refused fetched" ]
	[[ "$(jq -r '.items[0].reason' <<<"$output")" == *"the TCB Info does not load"* ]]
	[[ "$(jq -r '.items[2].reason' <<<"$output")" == *"the PCK CRL does not load"* ]]
	[ ! -e "$C/intel/tdx/v4/tcb/$FMSPC.json" ]
	[ ! -e "$C/intel/sgx/v4/pckcrl/platform.der" ]
	[ -e "$C/intel/tdx/v4/qe_identity.json" ]
	run --separate-stderr cgs-verify tdx --quote "$Q" --tcb-info "$S/tdx/certification/v4/tcb" \
		--qe-identity "$BATS_TEST_TMPDIR/qe.json" --tcb-signing-chain "$P/tcb_chain.pem" \
		--pck-crl "$P/platform_crl.der" --root-crl "$P/root_crl.der" --trusted-root "$P/root.pem"
	[ "$status" -eq 65 ]
	[[ "$stderr" == "cgs-verify: failed to load the collateral: TCB Info: "* ]]
}

@test "tdx fetch: a damaged item in the cache is fetched again" {
	fetch
	[ "$status" -eq 0 ]
	head -c 100 "$BATS_TEST_TMPDIR/tcb.json" >"$C/intel/tdx/v4/tcb/$FMSPC.json"
	printf 'garbage' >"$C/intel/sgx/root_ca_crl.der"
	fetch
	[ "$status" -eq 0 ]
	[ "$(states)" = "fetched reused reused fetched" ]
	[ "$(kds_requests)" -eq 6 ]
	cmp "$C/intel/tdx/v4/tcb/$FMSPC.json" "$BATS_TEST_TMPDIR/tcb.json"
	cmp "$C/intel/sgx/root_ca_crl.der" "$P/root_crl.der"
}
