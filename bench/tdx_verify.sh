#!/bin/sh
# cgs-verify tdx: quotes verified per CPU second in one process with the
# collateral, the PCK chain and the QE report signature cached (a verifier
# object checking quotes of one platform), as a ratio to `openssl speed
# ecdsap256` verifies per CPU second. Each repeat re-parses the quote, derives
# the attestation key, checks its binding, verifies the quote signature
# (ECDSA P-256) and evaluates the TCB level and the policy.
. bench/lib.sh
set -eu
BIN=${BIN:-build/bin}
H=$(dirname "$BIN")/tests/helpers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh tests/helpers/tdx_pki.sh pki "$tmp"
sh tests/helpers/tdx_pki.sh pck "$tmp" "$tmp/pck" platform 00906ed50000 "5 5 2 2 3 1 0 3 0 0 0 0 0 0 0 0" 11
sh tests/helpers/tdx_pki.sh crl "$tmp" root
sh tests/helpers/tdx_pki.sh crl "$tmp" platform
"$H/tdx_mkquote" quote --out "$tmp/q.bin" --pck-key "$tmp/pck.key" --pck-chain "$tmp/pck_chain.pem"
comps() { jq -cn --arg s "$1" '$s | split(" ") | map({svn: tonumber})'; }
jq -cn --argjson s "$(comps '5 5 2 2 3 1 0 3 0 0 0 0 0 0 0 0')" \
	--argjson t "$(comps '3 0 5 0 0 0 0 0 0 0 0 0 0 0 0 0')" \
	--arg i "$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)" --arg n "$(date -u -d '+29 days' +%Y-%m-%dT%H:%M:%SZ)" '
	{id: "TDX", version: 3, issueDate: $i, nextUpdate: $n, fmspc: "00906ED50000", pceId: "0000",
	 tcbType: 0, tcbEvaluationDataNumber: 17,
	 tdxModule: {mrsigner: ("00" * 48), attributes: "0000000000000000", attributesMask: "FFFFFFFFFFFFFFFF"},
	 tcbLevels: [{tcb: {sgxtcbcomponents: $s, pcesvn: 11, tdxtcbcomponents: $t},
		      tcbDate: "2024-03-13T00:00:00Z", tcbStatus: "UpToDate"}]}' >"$tmp/tcb.body"
jq -cn --arg i "$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)" --arg n "$(date -u -d '+29 days' +%Y-%m-%dT%H:%M:%SZ)" '
	{id: "TD_QE", version: 2, issueDate: $i, nextUpdate: $n, tcbEvaluationDataNumber: 17,
	 miscselect: "00000000", miscselectMask: "FFFFFFFF", attributes: "11000000000000000000000000000000",
	 attributesMask: "FBFFFFFFFFFFFFFF0000000000000000", mrsigner: ("DC" * 32), isvprodid: 2,
	 tcbLevels: [{tcb: {isvsvn: 4}, tcbDate: "2024-03-13T00:00:00Z", tcbStatus: "UpToDate"}]}' >"$tmp/qe.body"
"$H/tdx_mkquote" sign --key "$tmp/tcbsign.key" --member tcbInfo --body "$tmp/tcb.body" --out "$tmp/tcb.json"
"$H/tdx_mkquote" sign --key "$tmp/tcbsign.key" --member enclaveIdentity --body "$tmp/qe.body" --out "$tmp/qe.json"
N=${TDX_BENCH_N:-3000}
"$BIN/cgs-verify" tdx -v --quote "$tmp/q.bin" --tcb-info "$tmp/tcb.json" --qe-identity "$tmp/qe.json" \
	--tcb-signing-chain "$tmp/tcb_chain.pem" --pck-crl "$tmp/platform_crl.der" \
	--root-crl "$tmp/root_crl.der" --trusted-root "$tmp/root.pem" --x-repeat "$N" \
	>"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; exit 1; }
ok=$(sed -n 's/.*--x-repeat: \([0-9]*\) of .*/\1/p' "$tmp/err")
[ "$ok" = "$N" ] || { echo "bench: only $ok of $N quotes verified" >&2; exit 1; }
per_s=$(sed -n 's/.* CPU: \([0-9]*\) quotes\/s/\1/p' "$tmp/err")
ossl=$(openssl speed -seconds 2 ecdsap256 2>/dev/null | awk '/nistp256/ { v = $NF } END { print v }')
echo "tdx verify: $per_s quotes/s per CPU second (one process, cached verifier, $N quotes)"
printf 'openssl speed ecdsap256: %.0f verifies/s\n' "$ossl"
echo "ratio (aim >= 0.5): $(ratio "$per_s" "$ossl")"
