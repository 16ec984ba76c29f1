#!/usr/bin/env bats
# cgs-verify snp --cache / --fetch (offline verification from the collateral cache, and
# fetching what is missing or stale first, from tests/helpers/kds_server.py on 127.0.0.1),
# the layouts of trustee's and snpguest's caches, the go-sev-guest policy options and
# --policy-file.

load ../helpers/common
load ../helpers/kds_server
load ../helpers/snp_kds

setup_file() {
	snp_milan_kds "$BATS_FILE_TMPDIR/pki" "$BATS_FILE_TMPDIR/kds"
	local p="$BATS_FILE_TMPDIR/pki"
	for k in id id2 author; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out "$p/$k.key" 2>/dev/null
		openssl pkey -in "$p/$k.key" -pubout -out "$p/$k.pub" 2>/dev/null
		openssl req -new -x509 -key "$p/$k.key" -subj "/CN=$k" -days 2 -out "$p/$k.crt" 2>/dev/null
		cgs-measure id-block --measurement "$(printf '5a%.0s' $(seq 48))" --id-key "$p/$k.key" \
			--json | jq -r .id_key_digest >"$p/$k.digest"
	done
}

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	MK="$BUILD/tests/helpers/snp_mkreport"
	T="$BATS_TEST_TMPDIR"
	C="$T/cache"
	K="$BATS_FILE_TMPDIR/kds"
	"$MK" --out "$T/r.bin" --key "$P/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
}

teardown() {
	kds_stop
}

# vfy [options]: verify r.bin against the test ARK (JSON in $output)
vfy() {
	run cgs-verify snp --json --report "$T/r.bin" --trusted-ark "$P/ark.pem" "$@"
}

@test "snp --cache: verifies offline from what snp fetch cached (no server running)" {
	kds_start "$K"
	run -0 cgs-verify snp fetch --report "$T/r.bin" --cache "$C" --kds "$KDS_URL" --trusted-ark "$P/ark.pem"
	kds_stop
	vfy --cache "$C"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_result vek)" = pass ]
	[ "$(check_result crl)" = pass ]
	[ "$(check_result chip-id)" = pass ]
}

@test "snp --cache: an empty cache is not verified (2) and makes no request, creates nothing" {
	kds_start "$K"
	vfy --cache "$C"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
	[ "$(check_result crl)" = fail ]
	[ "$(kds_requests)" -eq 0 ]
	[ ! -e "$C" ]
}

@test "snp --cache --fetch: fetches what is missing, then verifies; later runs make no request" {
	kds_start "$K"
	vfy --cache "$C" --fetch --kds "$KDS_URL"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(kds_requests)" -eq 3 ]
	[ -f "$C/$VCEK_ENTRY" ]
	CGS_KDS_URL=$KDS_URL vfy --cache "$C" --fetch
	[ "$status" -eq 0 ]
	[ "$(kds_requests)" -eq 3 ]
}

@test "snp --cache: a stale CRL fails the crl check offline; --fetch replaces it" {
	kds_start "$K"
	vfy --cache "$C" --fetch --kds "$KDS_URL"
	[ "$status" -eq 0 ]
	der_crl "$P/crl_expired.pem" "$C/amd/vcek/v1/Milan/crl.der"
	vfy --cache "$C"
	[ "$status" -eq 2 ]
	[ "$(failed)" = crl ]
	[[ "$(jq -r '.checks[] | select(.name == "crl") | .reason' <<<"$output")" == *"expired"* ]]
	vfy --cache "$C" --fetch --kds "$KDS_URL"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	cmp "$C/amd/vcek/v1/Milan/crl.der" "$K/vcek/v1/Milan/crl"
}

@test "snp --fetch: a failed download is exit 1 naming the item; nothing wrong is cached" {
	kds_start "$K"
	echo "/vcek/v1/Milan/crl status 404" >"$KDS_FAULTS"
	run cgs-verify snp --report "$T/r.bin" --trusted-ark "$P/ark.pem" --cache "$C" --fetch --kds "$KDS_URL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cgs-verify: failed to fetch the collateral into '$C': HTTP 404 Not Found from '127.0.0.1' (field 'crl')"* ]]
	[ ! -e "$C/amd/vcek/v1/Milan/crl.der" ]
	echo "/vcek/v1/Milan/$MILAN_CHIP html" >"$KDS_FAULTS"
	rm -rf "$C"
	run cgs-verify snp --report "$T/r.bin" --trusted-ark "$P/ark.pem" --cache "$C" --fetch --kds "$KDS_URL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a DER VCEK certificate: the server sent HTML (field 'vcek')"* ]]
	[ ! -e "$C/$VCEK_ENTRY" ]
}

@test "snp --cache: trustee's offline VCEK store (TCB-named and flat) is read as is" {
	local s="$T/kds-store"
	mkdir -p "$s/vcek/$MILAN_CHIP"
	cp "$K/vcek/v1/Milan/$MILAN_CHIP" "$s/vcek/$MILAN_CHIP/bl03_tee00_snp08_ucode219_vcek.der"
	vfy --cache "$s" --cert-chain "$P/cert_chain.pem" --crl "$P/crl.pem"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	mv "$s/vcek/$MILAN_CHIP/bl03_tee00_snp08_ucode219_vcek.der" "$s/vcek/$MILAN_CHIP/vcek.der"
	vfy --cache "$s" --cert-chain "$P/cert_chain.pem" --crl "$P/crl.pem"
	[ "$status" -eq 0 ]
	rm "$s/vcek/$MILAN_CHIP/vcek.der"
	vfy --cache "$s" --cert-chain "$P/cert_chain.pem" --crl "$P/crl.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
}

@test "snp --cache: snpguest's certificate directory (ark, ask, vcek, crl) is read as is" {
	local g="$T/certs"
	mkdir -p "$g"
	openssl x509 -in "$P/ark.pem" -outform DER -out "$g/ark.der"
	cp "$P/ask.pem" "$g/ask.pem"
	cp "$P/vcek.pem" "$g/vcek.pem"
	der_crl "$P/crl.pem" "$g/crl.der"
	vfy --cache "$g"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "snp: --chip-id, --report-id, --report-id-ma compare exactly" {
	"$MK" --out "$T/r.bin" --key "$P/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
	rid=$(xxd -s 0x140 -l 32 -p "$T/r.bin" | tr -d '\n')
	rma=$(xxd -s 0x160 -l 32 -p "$T/r.bin" | tr -d '\n')
	vfy --cert-chain "$P/cert_chain.pem" --vcek "$P/vcek.pem" --crl "$P/crl.pem" \
		--chip-id "$MILAN_CHIP" --report-id "$rid" --report-id-ma "$rma"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_result expected-chip-id)" = pass ]
	[ "$(check_result report-id)" = pass ]
	[ "$(check_result report-id-ma)" = pass ]
	vfy --cert-chain "$P/cert_chain.pem" --vcek "$P/vcek.pem" --crl "$P/crl.pem" \
		--chip-id "$(printf '00%.0s' $(seq 64))" --report-id "$(printf '11%.0s' $(seq 32))"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "expected-chip-id report-id" ]
	vfy --cert-chain "$P/cert_chain.pem" --vcek "$P/vcek.pem" --crl "$P/crl.pem" --report-id 1234
	[ "$status" -eq 64 ]
}

# mkid ID_DIGEST [AUTHOR_DIGEST]: a report launched with an ID block (and an author key)
mkid() {
	local a=()
	[ -z "${2:-}" ] || a=(--author-key-digest "$2" --key-info 0x1)
	"$MK" --out "$T/id.bin" --key "$P/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP" \
		--id-key-digest "$1" "${a[@]}"
}

vid() { # options: verify id.bin with the full chain
	run cgs-verify snp --json --report "$T/id.bin" --trusted-ark "$P/ark.pem" \
		--cert-chain "$P/cert_chain.pem" --vcek "$P/vcek.pem" --crl "$P/crl.pem" "$@"
}

@test "snp: --trusted-id-key as a digest, a private key, a public key or a certificate" {
	mkid "$(cat "$P/id.digest")"
	for k in "$(cat "$P/id.digest")" "$P/id.key" "$P/id.pub" "$P/id.crt"; do
		vid --trusted-id-key "$P/id2.key" --trusted-id-key "$k" --require-id-block
		[ "$status" -eq 0 ] || { echo "$k: $output"; false; }
		[ "$(check_result id-key)" = pass ]
	done
	vid --trusted-id-key "$P/id2.key"
	[ "$status" -eq 2 ]
	[ "$(failed)" = id-key ]
	vid
	[ "$(check_result id-key)" = skip ]
	[ "$(check_result author-key)" = skip ]
}

@test "snp: --require-id-block, --require-author-key and trusted author keys" {
	"$MK" --out "$T/id.bin" --key "$P/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
	vid --trusted-id-key "$P/id.key"
	[ "$status" -eq 0 ] # no ID block, none required
	vid --trusted-id-key "$P/id.key" --require-id-block
	[ "$status" -eq 2 ]
	[[ "$(jq -r '.checks[] | select(.name == "id-key") | .reason' <<<"$output")" == *"without an ID block"* ]]
	mkid "$(cat "$P/id2.digest")" "$(cat "$P/author.digest")"
	vid --trusted-author-key "$P/author.crt" --require-author-key
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_result id-key)" = pass ]
	[ "$(check_result author-key)" = pass ]
	vid --trusted-author-key "$P/id.key" --require-author-key
	[ "$status" -eq 2 ]
	[ "$(failed)" = "id-key author-key" ]
	mkid "$(cat "$P/id2.digest")"
	vid --trusted-author-key "$P/author.crt" --trusted-id-key "$P/id2.pub" --require-author-key
	[ "$status" -eq 2 ]
	[ "$(failed)" = author-key ]
	run cgs-verify snp --report "$T/id.bin" --require-author-key --trusted-id-key "$P/id.key"
	[ "$status" -eq 64 ]
	[[ "$output" == *"--require-author-key needs --trusted-author-key"* ]]
	run cgs-verify snp --report "$T/id.bin" --require-id-block
	[ "$status" -eq 64 ]
	run cgs-verify snp --report "$T/id.bin" --trusted-id-key "$T/nonexistent.pem"
	[ "$status" -eq 66 ]
	echo junk >"$T/junk.pem"
	run cgs-verify snp --report "$T/id.bin" --trusted-id-key "$T/junk.pem"
	[ "$status" -eq 65 ]
	[[ "$output" == *"neither a SHA-384 digest (hex) nor a P-384 key file"* ]]
}

@test "snp --policy-file: YAML or JSON carries every option; later options override" {
	mkid "$(cat "$P/id.digest")"
	cat >"$T/p.yaml" <<YAML
# the owner's policy, in review
trusted-ark: $P/ark.pem
cert-chain: $P/cert_chain.pem
vcek: $P/vcek.pem
crl: [$P/crl.pem]
vmpl: 0
chip-id: $MILAN_CHIP
trusted-id-key:
  - $P/id2.pub
  - $(cat "$P/id.digest")
require-id-block: true
allow-debug: false
YAML
	run cgs-verify snp --json --report "$T/id.bin" --policy-file "$T/p.yaml"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_result id-key)" = pass ]
	[ "$(check_result expected-chip-id)" = pass ]
	printf '{"trusted-ark": "%s", "cache": "%s", "vmpl": 1}\n' "$P/ark.pem" "$T/none" >"$T/p.json"
	run cgs-verify snp --json --report "$T/id.bin" --cert-chain "$P/cert_chain.pem" \
		--vcek "$P/vcek.pem" --crl "$P/crl.pem" --policy-file "$T/p.json"
	[ "$status" -eq 2 ]
	[ "$(failed)" = vmpl ]
	run cgs-verify snp --json --report "$T/id.bin" --cert-chain "$P/cert_chain.pem" \
		--vcek "$P/vcek.pem" --crl "$P/crl.pem" --policy-file "$T/p.json" --vmpl 0
	[ "$status" -eq 0 ]
}

@test "snp --policy-file: unknown keys and bad values are malformed input (65)" {
	echo "vmpl: 0" >"$T/ok.yaml"
	for bad in "vmpel: 0" "report: r.bin" "policy-file: x.yaml" "vmpl: 9" "allow-debug: yes" \
		"vmpl: [0, 1" "x-repeat: 3"; do
		echo "$bad" >"$T/bad.yaml"
		run cgs-verify snp --report "$T/r.bin" --policy-file "$T/bad.yaml"
		[ "$status" -eq 65 ] || { echo "'$bad': $status $output"; false; }
		[[ "$output" == *"failed to apply the policy file '$T/bad.yaml'"* ]]
	done
	echo "vmpel: 0" >"$T/bad.yaml"
	run cgs-verify snp --report "$T/r.bin" --policy-file "$T/bad.yaml"
	[[ "$output" == *"unknown key 'vmpel' (field 'vmpel')"* ]]
	run cgs-verify snp --report "$T/r.bin" --policy-file "$T/missing.yaml"
	[ "$status" -eq 66 ]
}

@test "snp: real AMD evidence verified from a cache filled by snp fetch (pinned ARK)" {
	require_vectors snp
	local v="$VECTORS/snp" rep="$VECTORS/snp/go-sev-guest/milan_v2_report.bin"
	mkdir -p "$T/kds/vcek/v1/Milan"
	cp "$v/roots/gsg_ask_ark_milan.pem" "$T/kds/vcek/v1/Milan/cert_chain"
	chip=$(cgs-verify snp show --json --report "$rep" --product milan | jq -r .report.chip_id)
	cp "$v/go-sev-guest/milan_vcek.der" "$T/kds/vcek/v1/Milan/$chip"
	kds_start "$T/kds"
	# no CRL is served (AMD's only public ones expired in 2023): fetch says so, the rest lands
	run cgs-verify snp fetch --report "$rep" --product milan --cache "$C" --kds "$KDS_URL" --attempts 1
	[ "$status" -eq 1 ]
	kds_stop
	# (go-sev-guest's sample guest runs with DEBUG set)
	run cgs-verify snp --json --report "$rep" --product milan --cache "$C" --allow-debug \
		--crl "$v/steward/milan_vcek_crl_2022.der" --at 2023-01-01T00:00:00Z
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_result ark)" = pass ]
	[ "$(check_result signature)" = pass ]
	[ "$(check_result crl)" = pass ]
}
