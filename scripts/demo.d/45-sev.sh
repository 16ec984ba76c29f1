# demo: legacy SEV: check a LAUNCH_MEASURE blob and a SEV platform certificate chain
set -eu
helpers="${BIN%/bin}/tests/helpers"
d="$WORK/sev"
mkdir -p "$d"

# The expected launch digest: for a plain SEV guest without kernel hashes it is
# the SHA-256 of the firmware file (cgs-measure --mode sev prints the same).
fw=/usr/share/ovmf/OVMF.fd
if [ -r "$fw" ]; then
	digest=$(sha256sum < "$fw" | cut -d' ' -f1)
	echo "expected launch digest (SHA-256 of $fw): $digest"
else
	digest=$(openssl rand -hex 32)
	echo "expected launch digest (random, no OVMF installed): $digest"
fi

# Play the platform: a TIK, a nonce and MEASURE = HMAC-SHA256(TIK, 0x04 || 1 || 55 ||
# 21 || policy 0x1 || digest || nonce), computed with the OpenSSL CLI.
openssl rand 16 > "$d/tik.bin"
nonce=$(openssl rand -hex 16)
mac=$(printf '04013715''01000000%s%s' "$digest" "$nonce" | xxd -r -p |
	openssl mac -digest SHA256 -macopt hexkey:"$(xxd -p "$d/tik.bin")" HMAC)
blob=$(printf '%s%s' "$mac" "$nonce" | xxd -r -p | base64 -w0)
echo "LAUNCH_MEASURE blob: $blob"
"$BIN/cgs-verify" sev --measurement "$blob" --tik "$d/tik.bin" --api-major 1 \
	--api-minor 55 --build 21 --policy 0x1 --expected-digest "$digest"
echo "with another policy (0x3):"
"$BIN/cgs-verify" sev --measurement "$blob" --tik "$d/tik.bin" --api-major 1 \
	--api-minor 55 --build 21 --policy 0x3 --expected-digest "$digest" || echo "(exit $?)"

# A whole SEV-format chain with fresh keys (test helper), trusted explicitly.
"$helpers/sev_mkchain" "$d" --attestation "$digest" "$nonce" 0x1
set -- --ask "$d/ask.cert" --cek "$d/cek.cert" --oca "$d/oca.cert" --pek "$d/pek.cert" \
	--pdh "$d/pdh.cert" --attestation "$d/attestation.bin"
"$BIN/cgs-verify" sev-chain --trusted-ark "$d/ark.cert" "$@" | tail -n 1
echo "the same chain against the pinned AMD ARKs:"
"$BIN/cgs-verify" sev-chain --ark "$d/ark.cert" "$@" --json=short |
	jq -c '{verified, first_check: .checks[0]}' || true
