# demo: cgs-verify snp: verify a signed SEV-SNP report against a (test) AMD chain
# Uses a TEST PKI made here with openssl (ARK-Milan -> SEV-Milan -> SEV-VCEK, not AMD's
# keys): it verifies only because the test ARK is given with --trusted-ark. Real
# evidence is checked against AMD's pinned ARKs instead.
set -eu
H=$(dirname "$BIN")/tests/helpers
d="$WORK/snp"
mkdir -p "$d"
chip=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
tests/helpers/snp_pki.sh roots "$d" Milan
tests/helpers/snp_pki.sh vek "$d" vcek "$d/vcek" Milan-B0 0 "bl=4 tee=0 snp=22 ucode=213" "$chip"
tests/helpers/snp_pki.sh crl "$d"
echo "made a TEST AMD-style PKI in $d (ARK-Milan, SEV-Milan ASK, P-384 VCEK with AMD's extensions, CRL)"

if [ -f "$WORK/expected.json" ] && grep -q '"digest_alg": *"sha384"' "$WORK/expected.json"; then
	exp="$WORK/expected.json"
	echo "expected launch digest: from the cgs-measure step ($exp)"
else
	exp="$d/expected.json"
	printf '{"schema_version": 1, "tool": "cgs-measure", "mode": "snp", "digest_alg": "sha384", "measurement": "%s", "inputs": {}, "intermediate": {}}\n' \
		"$(printf '5a%.0s' $(seq 48))" >"$exp"
	echo "expected launch digest: a fixed sample ($exp)"
fi
meas=$(sed -n 's/.*"measurement": *"\([0-9a-f]*\)".*/\1/p' "$exp" | head -n 1)

"$H/snp_mkreport" --out "$d/report.bin" --key "$d/vcek.key" --version 3 \
	--tcb bl=4,tee=0,snp=22,ucode=213 --chip-id "$chip" --measurement "$meas"
echo "signed a v3 Milan report with that measurement: $d/report.bin"
echo "\$ cgs-verify snp --report report.bin --vcek vcek.pem --cert-chain cert_chain.pem --crl crl.pem --trusted-ark ark.pem --expected expected.json --min-tcb bl=4,snp=22"
"$BIN/cgs-verify" snp --report "$d/report.bin" --vcek "$d/vcek.pem" --cert-chain "$d/cert_chain.pem" \
	--crl "$d/crl.pem" --trusted-ark "$d/ark.pem" --expected "$exp" --min-tcb bl=4,snp=22 \
	>"$d/verify.out"
grep -v '^skip' "$d/verify.out"

echo "a debug-enabled guest (policy 0xb0000) with the same chain is refused:"
"$H/snp_mkreport" --out "$d/debug.bin" --key "$d/vcek.key" --tcb bl=4,tee=0,snp=22,ucode=213 \
	--chip-id "$chip" --measurement "$meas" --policy 0xb0000
rc=0
"$BIN/cgs-verify" snp --report "$d/debug.bin" --vcek "$d/vcek.pem" --cert-chain "$d/cert_chain.pem" \
	--crl "$d/crl.pem" --trusted-ark "$d/ark.pem" --expected "$exp" >"$d/debug.out" || rc=$?
grep -E '^fail|VERIFIED' "$d/debug.out"
echo "exit status $rc (2 = not verified)"
echo "without --trusted-ark the test root is not AMD's pinned ARK-Milan:"
"$BIN/cgs-verify" snp --report "$d/report.bin" --vcek "$d/vcek.pem" --cert-chain "$d/cert_chain.pem" |
	grep -E '^fail +ark' || true
echo "where a verifier would fetch the real VCEK and chain:"
"$BIN/cgs-verify" snp kds-url --report "$d/report.bin"
