# demo: legacy SEV: check a LAUNCH_MEASURE blob and a SEV platform certificate chain
set -eu
helpers="${BIN%/bin}/tests/helpers"
d="$WORK/sev"
mkdir -p "$d"

# The owner's expectation: cgs-measure's JSON for a plain SEV guest on this firmware
# (Debian's OVMF.fd, or a small synthetic image from the test helper).
fw=/usr/share/ovmf/OVMF.fd
if [ ! -r "$fw" ]; then
	fw="$d/fw.fd"
	"$helpers/sevgen" ovmf "$fw" --size 0x4000
fi
"$BIN/cgs-measure" --mode sev --ovmf "$fw" --json > "$d/expected.json"
digest=$(jq -r .measurement "$d/expected.json")
echo "expected launch digest of $fw: $digest"

# Play the platform: a TIK, a nonce and MEASURE = HMAC-SHA256(TIK, 0x04 || 1 || 55 ||
# 21 || policy 0x1 || digest || nonce), computed with the OpenSSL CLI.
openssl rand 16 > "$d/tik.bin"
nonce=$(openssl rand -hex 16)
mac=$(printf '04013715''01000000%s%s' "$digest" "$nonce" | xxd -r -p |
	openssl mac -digest SHA256 -macopt hexkey:"$(xxd -p "$d/tik.bin")" HMAC)
blob=$(printf '%s%s' "$mac" "$nonce" | xxd -r -p | base64 -w0)
echo "LAUNCH_MEASURE blob: $blob"
set -- --measurement "$blob" --tik "$d/tik.bin" --api-major 1 --api-minor 55 --build 21
"$BIN/cgs-verify" sev "$@" --policy 0x1 --expected "$d/expected.json" | tail -n 1
echo "with another policy (0x3):"
"$BIN/cgs-verify" sev "$@" --policy 0x3 --expected "$d/expected.json" | tail -n 1 || true
echo "measuring the inputs again, from a firmware file with one byte changed:"
cp "$fw" "$d/patched.fd"
printf '\377' | dd of="$d/patched.fd" bs=1 seek=16 conv=notrunc status=none
"$BIN/cgs-verify" sev "$@" --policy 0x1 --expected "$d/expected.json" --ovmf "$d/patched.fd" |
	grep expected-inputs || true

# A whole SEV-format chain with fresh keys (test helper), trusted explicitly.
"$helpers/sev_mkchain" "$d" --attestation "$digest" "$nonce" 0x1
set -- --ask "$d/ask.cert" --cek "$d/cek.cert" --oca "$d/oca.cert" --pek "$d/pek.cert" \
	--pdh "$d/pdh.cert" --attestation "$d/attestation.bin"
"$BIN/cgs-verify" sev-chain --trusted-ark "$d/ark.cert" "$@" --expected "$d/expected.json" |
	tail -n 1
echo "the same chain against the pinned AMD ARKs:"
"$BIN/cgs-verify" sev-chain --ark "$d/ark.cert" "$@" | head -n 1 || true
