# demo: IBM Z Secure Execution attestation: request -> test Ultravisor -> verify
# Generated inputs only: a host key pair (openssl), an SE header made by the test
# Ultravisor (tests/helpers/s390_uv_attest), which also answers the request.
set -eu
uv="$BIN/../tests/helpers/s390_uv_attest"
d="$WORK/s390-attest"
mkdir -p "$d"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$d/host.key" 2>/dev/null
openssl req -new -x509 -key "$d/host.key" -subj /CN=demo-host -days 1 -out "$d/host.crt" 2>/dev/null
"$uv" mkhdr "$d/sehdr.bin" "$d/host.crt"
echo "SE header for one host key: $(stat -c %s "$d/sehdr.bin") bytes"

"$BIN/cgs-verify" s390 create-request -q -k "$d/host.crt" --no-verify \
	--add-data phkh-img,phkh-att -o "$d/request.bin" -a "$d/arpk.bin" 2>/dev/null
echo "attestation request: $(stat -c %s "$d/request.bin") bytes, ARPK mode $(stat -c %a "$d/arpk.bin")"

printf 'nonce from the relying party' > "$d/user"
"$uv" perform "$d/request.bin" "$d/sehdr.bin" "$d/host.key" \
	00112233445566778899aabbccddeeff "$d/user" "$d/response.bin"
echo "the test Ultravisor answered: $(stat -c %s "$d/response.bin") bytes"

"$BIN/cgs-verify" s390 verify -q -i "$d/response.bin" --hdr "$d/sehdr.bin" -a "$d/arpk.bin" |
	sed 's/^/  /'
printf '\001' | dd of="$d/response.bin" bs=1 seek=$(($(stat -c %s "$d/response.bin") - 1)) \
	conv=notrunc 2>/dev/null
if "$BIN/cgs-verify" s390 verify -q -i "$d/response.bin" --hdr "$d/sehdr.bin" \
	-a "$d/arpk.bin" >/dev/null 2>&1; then
	echo "tampered response accepted?!" >&2
	exit 1
fi
echo "a response with a modified config UID: NOT VERIFIED (exit 2)"

"$BIN/cgs-mkimage" s390-secret -q -k "$d/host.crt" --no-verify --hdr "$d/sehdr.bin" \
	-o "$d/assoc.req" --output-secret "$d/assoc.secret" association demo-adapter 2>/dev/null |
	sed 's/^/  /'
echo "add-secret request: $(stat -c %s "$d/assoc.req") bytes"
