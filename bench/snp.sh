#!/bin/sh
# cgs-verify snp: reports verified per second in one process with the chain
# verified once (cached), as a ratio to `openssl speed ecdsap384` verifies/s.
# Each repeat re-parses the 1184 bytes and checks the ECDSA P-384 signature
# over the raw bytes. Both rates are per CPU second (openssl speed's default
# measure), so a busy machine does not skew the ratio.
. bench/lib.sh
set -eu
BIN=${BIN:-build/bin}
H=$(dirname "$BIN")/tests/helpers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

chip=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
tests/helpers/snp_pki.sh roots "$tmp" Milan
tests/helpers/snp_pki.sh vek "$tmp" vcek "$tmp/vcek" Milan-B0 0 "bl=3 tee=0 snp=8 ucode=219" "$chip"
"$H/snp_mkreport" --out "$tmp/r.bin" --key "$tmp/vcek.key" --tcb bl=3,tee=0,snp=8,ucode=219 \
	--chip-id "$chip"
tests/helpers/snp_pki.sh crl "$tmp"
N=${SNP_BENCH_N:-3000}
"$BIN/cgs-verify" snp -v --report "$tmp/r.bin" --vcek "$tmp/vcek.pem" \
	--cert-chain "$tmp/cert_chain.pem" --crl "$tmp/crl.pem" --trusted-ark "$tmp/ark.pem" --x-repeat "$N" \
	>"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; exit 1; }
ok=$(sed -n 's/.*--x-repeat: \([0-9]*\) of .*/\1/p' "$tmp/err")
[ "$ok" = "$N" ] || { echo "bench: only $ok of $N reports verified" >&2; exit 1; }
per_s=$(sed -n 's/.* CPU: \([0-9]*\) reports\/s/\1/p' "$tmp/err")
ossl=$(openssl speed -seconds 2 ecdsap384 2>/dev/null | awk '/nistp384/ { v = $NF } END { print v }')
echo "snp verify: $per_s reports/s per CPU second (one process, cached chain, $N reports)"
printf 'openssl speed ecdsap384: %.0f verifies/s\n' "$ossl"
echo "ratio (aim >= 0.7): $(ratio "$per_s" "$ossl")"
