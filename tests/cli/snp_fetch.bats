#!/usr/bin/env bats
# cgs-verify snp fetch against tests/helpers/kds_server.py on 127.0.0.1 (never the
# internet): a KDS tree made from the test PKI (tests/helpers/snp_pki.sh), reuse from
# the cache, and every fault case with its exit code, its message and a check that
# nothing wrong entered the cache.

load ../helpers/common
load ../helpers/kds_server
load ../helpers/snp_kds

OTHER_CHIP=$(for i in $(seq 96 159); do printf '%02x' "$i"; done)
TURIN_CHIP=a0a1a2a3a4a5a6a7
TURIN_SPLS="fmc=1 bl=4 tee=2 snp=3 ucode=71 5=0 6=0 7=0"
TURIN_TCB=fmc=1,bl=4,tee=2,snp=3,ucode=71

setup_file() {
	local p="$BATS_FILE_TMPDIR/pki" k="$BATS_FILE_TMPDIR/kds" pki="$TOP/tests/helpers/snp_pki.sh"
	snp_milan_kds "$p/milan" "$k"
	"$pki" roots "$p/turin" Turin
	"$pki" roots "$p/other" Milan # same names, other keys
	"$pki" vek "$p/milan" vcek "$p/milan/vcek_other" Milan-B0 0 "$MILAN_SPLS" "$OTHER_CHIP"
	"$pki" vek "$p/milan" vcek "$p/milan/vcek_tcb" Milan-B0 0 "bl=3 tee=0 snp=9 ucode=219" "$MILAN_CHIP"
	"$pki" vek "$p/other" vcek "$p/other/vcek" Milan-B0 0 "$MILAN_SPLS" "$MILAN_CHIP"
	"$pki" vek "$p/turin" vcek "$p/turin/vcek" Turin 1 "$TURIN_SPLS" "$TURIN_CHIP"
	"$pki" vek "$p/milan" vlek "$p/milan/vlek" Milan 0 "$MILAN_SPLS" "CN=csp.example"
	"$pki" crl "$p/turin"
	"$pki" crl "$p/other"
	kds_tree "$p/turin" "$k" Turin
	openssl x509 -in "$p/turin/vcek.pem" -outform DER -out "$k/vcek/v1/Turin/$TURIN_CHIP"
}

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	MK="$BUILD/tests/helpers/snp_mkreport"
	T="$BATS_TEST_TMPDIR"
	C="$T/cache"
	# a private copy of the KDS tree: fault cases replace files in it
	cp -r "$BATS_FILE_TMPDIR/kds" "$T/kds"
	K="$T/kds"
	kds_start "$K"
	"$MK" --out "$T/milan.bin" --key "$P/milan/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
}

teardown() {
	kds_stop
}

# fetch [options]: fetch the Milan report's collateral from the test server
fetch() {
	run cgs-verify snp fetch --report "$T/milan.bin" --cache "$C" --kds "$KDS_URL" \
		--trusted-ark "$P/milan/ark.pem" "$@"
}

@test "snp fetch: VCEK, cert_chain and CRL land in the cache at the documented paths" {
	fetch
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	cmp "$C/amd/vcek/v1/Milan/cert_chain.pem" "$K/vcek/v1/Milan/cert_chain"
	cmp "$C/amd/vcek/v1/Milan/crl.der" "$K/vcek/v1/Milan/crl"
	cmp "$C/$VCEK_ENTRY" "$K/vcek/v1/Milan/$MILAN_CHIP"
	# the VCEK was asked for by the REPORTED_TCB, with KDS's parameter names
	grep -qx "GET /vcek/v1/Milan/$MILAN_CHIP?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=219" "$KDS_LOG"
	[ "$(grep -c '^fetched' <<<"$output")" -eq 3 ]
	[ -z "$(find "$C" -name '*.tmp-*')" ]
}

@test "snp fetch: a second run reuses the cache without a request" {
	fetch
	[ "$status" -eq 0 ]
	n=$(kds_requests)
	fetch --json
	[ "$status" -eq 0 ]
	[ "$(kds_requests)" -eq "$n" ]
	[ "$(jq -r '[.items[].state] | join(",")' <<<"$output")" = reused,reused,reused ]
	[ "$(jq -r .schema_version <<<"$output")" = 1 ]
	[ "$(jq -r '.items[1].entry' <<<"$output")" = "$VCEK_ENTRY" ]
	echo "$output" >"$T/reused.json"
	echo "/vcek/v1/Milan/crl html" >"$KDS_FAULTS"
	rm "$C/amd/vcek/v1/Milan/crl.der"
	run --separate-stderr cgs-verify snp fetch --report "$T/milan.bin" --cache "$C" --kds "$KDS_URL" \
		--trusted-ark "$P/milan/ark.pem" --json
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"refused the crl"* ]]
	jq -e '.items[2].state == "refused"' <<<"$output"
	echo "$output" >"$T/refused.json"
	"$TOP/tests/helpers/json-check" "$T/reused.json" "$T/refused.json"
}

@test "snp fetch: Turin asks for the 8-byte hwID with fmcSPL first" {
	"$MK" --out "$T/turin.bin" --product turin --key "$P/turin/vcek.key" --tcb "$TURIN_TCB" \
		--chip-id "$TURIN_CHIP"
	run cgs-verify snp fetch --report "$T/turin.bin" --cache "$C" --kds "$KDS_URL" \
		--trusted-ark "$P/turin/ark.pem"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	grep -qx "GET /vcek/v1/Turin/$TURIN_CHIP?fmcSPL=1&blSPL=4&teeSPL=2&snpSPL=3&ucodeSPL=71" "$KDS_LOG"
	[ -f "$C/amd/vcek/v1/Turin/$TURIN_CHIP/fmc1-bl4-tee2-snp3-ucode71.der" ]
}

@test "snp fetch: CGS_KDS_URL names the server; the default cache is XDG_CACHE_HOME/cgs" {
	CGS_KDS_URL=$KDS_URL XDG_CACHE_HOME=$T/xdg run cgs-verify snp fetch --report "$T/milan.bin" \
		--trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -f "$T/xdg/cgs/$VCEK_ENTRY" ]
}

@test "snp fetch: 429 with Retry-After, then 200: waits and succeeds" {
	echo "/vcek/v1/Milan/cert_chain fail 1 429 1" >"$KDS_FAULTS"
	SECONDS=0
	fetch
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$SECONDS" -ge 1 ]
	[ "$(kds_requests /cert_chain)" -eq 2 ]
	[ -f "$C/amd/vcek/v1/Milan/cert_chain.pem" ]
}

@test "snp fetch: 500 then 200 succeeds on the second attempt" {
	echo "/vcek/v1/Milan/crl fail 1 500" >"$KDS_FAULTS"
	fetch
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(kds_requests /crl)" -eq 2 ]
}

@test "snp fetch: 503 every time: exit 1 after the attempts, nothing cached for it" {
	echo "/vcek/v1/Milan/crl fail 99 503" >"$KDS_FAULTS"
	fetch --attempts 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"cgs-verify: failed to fetch the crl from '$KDS_URL/vcek/v1/Milan/crl': HTTP 503 Service Unavailable from '127.0.0.1' (gave up after 2 attempts)"* ]]
	[ "$(kds_requests /crl)" -eq 2 ]
	[ ! -e "$C/amd/vcek/v1/Milan/crl.der" ]
	[ -f "$C/$VCEK_ENTRY" ] # the rest was fetched
}

@test "snp fetch: Retry-After beyond the cap stops at once" {
	echo "/vcek/v1/Milan/cert_chain fail 99 429 100000" >"$KDS_FAULTS"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"HTTP 429 Too Many Requests from '127.0.0.1': the server asks to retry after 100000 s, more than the 120 s cap"* ]]
	[ "$(kds_requests /cert_chain)" -eq 1 ]
	[ ! -e "$C/amd" ] || [ -z "$(find "$C/amd" -type f)" ]
}

@test "snp fetch: a stalled answer times out (exit 1), nothing cached" {
	echo "/vcek/v1/Milan/$MILAN_CHIP stall 5" >"$KDS_FAULTS"
	fetch --timeout 1 --attempts 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed to fetch the vcek"*"timeout: no complete answer from '127.0.0.1' within 1000 ms"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
}

@test "snp fetch: a truncated body is refused (exit 1), nothing cached" {
	echo "/vcek/v1/Milan/$MILAN_CHIP truncate" >"$KDS_FAULTS"
	fetch --attempts 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"truncated answer from '127.0.0.1'"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
}

@test "snp fetch: HTML instead of DER is refused, not cached" {
	echo "/vcek/v1/Milan/$MILAN_CHIP html" >"$KDS_FAULTS"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the vcek from '$KDS_URL/vcek/v1/Milan/$MILAN_CHIP?"*"': not a DER VCEK certificate: the server sent HTML (not cached)"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
	[ -f "$C/amd/vcek/v1/Milan/crl.der" ]
}

@test "snp fetch: a VCEK of another chip is refused, not cached" {
	openssl x509 -in "$P/milan/vcek_other.pem" -outform DER -out "$K/vcek/v1/Milan/$MILAN_CHIP"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"the VCEK is for another chip (hwID 606162636465666768696a6b6c6d6e6f..., CHIP_ID a0a1a2a3a4a5a6a7a8a9aaabacadaeaf...)"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
}

@test "snp fetch: a VCEK of another TCB is refused, not cached" {
	openssl x509 -in "$P/milan/vcek_tcb.pem" -outform DER -out "$K/vcek/v1/Milan/$MILAN_CHIP"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"the VCEK's snpSPL is 9, the report's REPORTED_TCB has 8"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
}

@test "snp fetch: a VCEK signed by another ASK is refused, not cached" {
	openssl x509 -in "$P/other/vcek.pem" -outform DER -out "$K/vcek/v1/Milan/$MILAN_CHIP"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the vcek"*"VCEK signature does not verify under ASK SEV-Milan"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
}

@test "snp fetch: an expired CRL is refused, not cached" {
	der_crl "$P/milan/crl_expired.pem" "$K/vcek/v1/Milan/crl"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the crl"*"the CRL has expired at the check time"* ]]
	[ ! -e "$C/amd/vcek/v1/Milan/crl.der" ]
}

@test "snp fetch: a CRL signed by another key is refused, not cached" {
	der_crl "$P/other/crl.pem" "$K/vcek/v1/Milan/crl"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the crl"*"the CRL signature does not verify under the ARK"* ]]
	[ ! -e "$C/amd/vcek/v1/Milan/crl.der" ]
}

@test "snp fetch: a chain whose ARK is not the pinned one is refused; nothing is cached" {
	run cgs-verify snp fetch --report "$T/milan.bin" --cache "$C" --kds "$KDS_URL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the cert_chain"*"the supplied ARK 'ARK-Milan' is not AMD's pinned ARK-Milan"* ]]
	[[ "$output" == *"blocked  vcek"*"no valid cert_chain"* ]]
	[ ! -e "$C/amd" ] || [ -z "$(find "$C/amd" -type f)" ]
}

@test "snp fetch: a chain of another ARK (trusted ARK given) is refused" {
	cp "$P/other/cert_chain.pem" "$K/vcek/v1/Milan/cert_chain"
	fetch
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the cert_chain"* ]]
	[ ! -e "$C/amd/vcek/v1/Milan/cert_chain.pem" ]
}

@test "snp fetch: a stale CRL in the cache is fetched again; a damaged VCEK too" {
	fetch
	[ "$status" -eq 0 ]
	der_crl "$P/milan/crl_expired.pem" "$C/amd/vcek/v1/Milan/crl.der"
	echo garbage >"$C/$VCEK_ENTRY"
	fetch --json -v
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	cmp "$C/amd/vcek/v1/Milan/crl.der" "$K/vcek/v1/Milan/crl"
	cmp "$C/$VCEK_ENTRY" "$K/vcek/v1/Milan/$MILAN_CHIP"
	[[ "$output" == *"crl: replaced the cached copy: the CRL has expired"* ]]
}

@test "snp fetch: a VLEK report: the VLEK cannot be fetched, the ASVK chain and CRL are" {
	"$MK" --out "$T/vlek.bin" --key "$P/milan/vlek.key" --tcb "$MILAN_TCB" --signing-key vlek
	run cgs-verify snp fetch --report "$T/vlek.bin" --cache "$C" --kds "$KDS_URL" \
		--trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"AMD serves VLEKs to the cloud provider only: the VLEK must come with the evidence"* ]]
	cmp "$C/amd/vlek/v1/Milan/cert_chain.pem" "$K/vlek/v1/Milan/cert_chain"
	[ -f "$C/amd/vlek/v1/Milan/crl.der" ]
	[ "$(grep -c /vcek/ "$KDS_LOG")" -eq 0 ]
}

@test "snp fetch: nothing listening: exit 1 with the connection failure" {
	kds_stop
	fetch --attempts 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed to fetch the cert_chain"*"connection to '127.0.0.1' failed"* ]]
}

@test "snp fetch: a host that cannot be resolved: exit 1 with the DNS failure, nothing cached" {
	# a 70-character label is longer than DNS allows (63), so the resolver refuses the
	# name without sending a query; .invalid never resolves anywhere (RFC 6761)
	local host
	host=$(printf 'a%.0s' $(seq 70)).invalid
	run --separate-stderr cgs-verify snp fetch --report "$T/milan.bin" --cache "$C" \
		--kds "http://$host/" --trusted-ark "$P/milan/ark.pem" --attempts 2
	[ "$status" -eq 1 ]
	[[ "$stderr" == "cgs-verify: failed to fetch the cert_chain from 'http://$host/vcek/v1/Milan/cert_chain': DNS: cannot resolve '$host' (gave up after 2 attempts)" ]]
	[[ "$output" == *"failed   cert_chain DNS: cannot resolve"* ]]
	[ -z "$(find "$C" -type f 2>/dev/null)" ]
}

@test "snp fetch: usage errors (64), missing report (66), unknown product (65)" {
	run cgs-verify snp fetch --cache "$C"
	[ "$status" -eq 64 ]
	[[ "$output" == *"missing --report FILE"* ]]
	run cgs-verify snp fetch --report "$T/milan.bin" --kds ftp://x
	[ "$status" -eq 64 ]
	run cgs-verify snp fetch --report "$T/milan.bin" --attempts 0
	[ "$status" -eq 64 ]
	run cgs-verify snp fetch --report "$T/nope.bin"
	[ "$status" -eq 66 ]
	"$MK" --out "$T/v2.bin" --version 2 --key "$P/milan/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
	run cgs-verify snp fetch --report "$T/v2.bin" --cache "$C" --kds "$KDS_URL"
	[ "$status" -eq 65 ]
	[[ "$output" == *"cannot tell the product"* ]]
	[ "$(kds_requests)" -eq 0 ]
}

@test "snp fetch: real AMD chain and VCEK from ../shared/vectors (pinned ARK, no --trusted-ark)" {
	require_vectors snp
	local v="$VECTORS/snp"
	mkdir -p "$K/vcek/v1/Milan"
	cp "$v/roots/gsg_ask_ark_milan.pem" "$K/vcek/v1/Milan/cert_chain"
	cp "$v/steward/milan_vcek_crl_2022.der" "$K/vcek/v1/Milan/crl"
	chip=$(cgs-verify snp show --json --report "$v/go-sev-guest/milan_v2_report.bin" --product milan |
		jq -r .report.chip_id)
	cp "$v/go-sev-guest/milan_vcek.der" "$K/vcek/v1/Milan/$chip"
	run cgs-verify snp fetch --report "$v/go-sev-guest/milan_v2_report.bin" --product milan \
		--cache "$C" --kds "$KDS_URL"
	# AMD's 2022 CRL expired in 2023: refused; the chain and the VCEK are real and current
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the crl"*"the CRL has expired"* ]]
	cmp "$C/amd/vcek/v1/Milan/cert_chain.pem" "$v/roots/gsg_ask_ark_milan.pem"
	cmp "$C/amd/vcek/v1/Milan/$chip/bl2-tee0-snp5-ucode68.der" "$v/go-sev-guest/milan_vcek.der"
}

@test "snp fetch: every option is in the man page, and completion offers them" {
	kds_stop
	opts=$(cgs-verify snp fetch --list-options | cut -f1 | grep -- '^--')
	[ -n "$opts" ]
	for o in $opts; do
		case $o in --help | --help-experimental | --version | --verbose | --quiet | --json | --print-schema | --list-options) continue ;; esac
		grep -qF -- "*$o*" "$TOP/man/cgs-verify-snp-fetch.1.scd" || { echo "undocumented: $o"; false; }
	done
	source "$TOP/completion/cgs"
	COMP_WORDS=(cgs-verify snp fetch --ca)
	COMP_CWORD=3
	COMP_LINE="cgs-verify snp fetch --ca" COMP_POINT=25
	_cgs_complete || true # errexit is off inside, as in an interactive shell
	[[ " ${COMPREPLY[*]} " == *" --cache "* ]]
	COMP_WORDS=(cgs-verify snp "")
	COMP_CWORD=2
	COMP_LINE="cgs-verify snp " COMP_POINT=15
	_cgs_complete || true
	[[ " ${COMPREPLY[*]} " == *" fetch "* ]]
}

@test "snp fetch: concurrent runs sharing one cache all succeed and leave it whole" {
	for i in 1 2 3 4; do
		cgs-verify snp fetch --report "$T/milan.bin" --cache "$C" --kds "$KDS_URL" \
			--trusted-ark "$P/milan/ark.pem" >"$T/out$i" 2>&1 &
	done
	for i in 1 2 3 4; do
		wait -n || { cat "$T"/out*; false; }
	done
	cmp "$C/$VCEK_ENTRY" "$K/vcek/v1/Milan/$MILAN_CHIP"
	cmp "$C/amd/vcek/v1/Milan/cert_chain.pem" "$K/vcek/v1/Milan/cert_chain"
	cmp "$C/amd/vcek/v1/Milan/crl.der" "$K/vcek/v1/Milan/crl"
	[ -z "$(find "$C" -name '*.tmp-*')" ]
}
