# demo: cgs-verify snp fetch: AMD KDS collateral fetched once into a cache, then verified offline
# The "KDS" is tests/helpers/kds_server.py on 127.0.0.1 serving a TEST PKI made here (never
# AMD's servers): the test ARK is trusted with --trusted-ark.
set -eu
H=$(dirname "$BIN")/tests/helpers
d="$WORK/snp-fetch"
kds="$d/kds/vcek/v1/Milan"
mkdir -p "$kds"
chip=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
tests/helpers/snp_pki.sh roots "$d" Milan
tests/helpers/snp_pki.sh vek "$d" vcek "$d/vcek" Milan-B0 0 "bl=4 tee=0 snp=22 ucode=213" "$chip"
tests/helpers/snp_pki.sh crl "$d"
cp "$d/cert_chain.pem" "$kds/cert_chain"
openssl crl -in "$d/crl.pem" -outform DER -out "$kds/crl"
openssl x509 -in "$d/vcek.pem" -outform DER -out "$kds/$chip"
"$H/snp_mkreport" --out "$d/report.bin" --key "$d/vcek.key" --version 3 \
	--tcb bl=4,tee=0,snp=22,ucode=213 --chip-id "$chip"

python3 tests/helpers/kds_server.py --root "$d/kds" --port-file "$d/port" --log "$d/requests.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
i=0
while [ ! -s "$d/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export CGS_KDS_URL="http://127.0.0.1:$(cat "$d/port")"
echo "a local test KDS serves the test chain at $CGS_KDS_URL"
echo "\$ cgs-verify snp fetch --report report.bin --cache cache --trusted-ark ark.pem"
"$BIN/cgs-verify" snp fetch --report "$d/report.bin" --cache "$d/cache" --trusted-ark "$d/ark.pem" |
	sed "s|$d/||"
echo "again: everything is reused from the cache, no request ($(wc -l <"$d/requests.log") so far):"
"$BIN/cgs-verify" snp fetch --report "$d/report.bin" --cache "$d/cache" --trusted-ark "$d/ark.pem" |
	sed "s|$d/||"
echo "requests after the second run: $(wc -l <"$d/requests.log")"
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT
echo "the server is gone; verify offline from the cache:"
echo "\$ cgs-verify snp --report report.bin --cache cache --trusted-ark ark.pem"
"$BIN/cgs-verify" snp --report "$d/report.bin" --cache "$d/cache" --trusted-ark "$d/ark.pem" |
	grep -v '^skip'
