#!/usr/bin/env bats
# cgs-verify snp on self-made evidence: a test AMD-style PKI built with the
# openssl CLI (tests/helpers/snp_pki.sh) and reports of every version and TCB
# layout signed by tests/helpers/snp_mkreport. Every pass and fail path.

load ../helpers/common

MILAN_CHIP=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
TURIN_CHIP=a0a1a2a3a4a5a6a7
MILAN_SPLS="bl=3 tee=0 snp=8 ucode=219 4=0 5=0 6=0 7=0"
MILAN_TCB=bl=3,tee=0,snp=8,ucode=219
TURIN_SPLS="fmc=1 bl=4 tee=2 snp=3 ucode=71 5=0 6=0 7=0"
TURIN_TCB=fmc=1,bl=4,tee=2,snp=3,ucode=71

setup_file() {
	local p="$BATS_FILE_TMPDIR/pki" pki="$TOP/tests/helpers/snp_pki.sh"
	"$pki" roots "$p/milan" Milan
	"$pki" roots "$p/genoa" Genoa
	"$pki" roots "$p/turin" Turin
	"$pki" vek "$p/milan" vcek "$p/milan/vcek" Milan-B0 0 "$MILAN_SPLS" "$MILAN_CHIP"
	"$pki" vek "$p/milan" vlek "$p/milan/vlek" Milan 0 "$MILAN_SPLS" "CN=csp.example"
	"$pki" vek "$p/genoa" vcek "$p/genoa/vcek" Genoa 0 "$MILAN_SPLS" "$MILAN_CHIP"
	"$pki" vek "$p/turin" vcek "$p/turin/vcek" Turin 1 "$TURIN_SPLS" "$TURIN_CHIP"
	# a VCEK whose SPLs do not match the reports (snp=9)
	"$pki" vek "$p/milan" vcek "$p/milan/vcek_tcb" Milan-B0 0 "bl=3 tee=0 snp=9 ucode=219" "$MILAN_CHIP"
	"$pki" crl "$p/milan"
	cp "$p/milan/crl.pem" "$p/milan/crl_clean.pem"
	"$pki" crl "$p/milan" "$p/milan/ask.pem"
	cp "$p/milan/crl.pem" "$p/milan/crl_revoked.pem"
}

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	MK="$BUILD/tests/helpers/snp_mkreport"
	T="$BATS_TEST_TMPDIR"
}

# mk OUT [snp_mkreport options]: a Milan VCEK-signed v3 report unless told otherwise
mk() {
	local out=$1
	shift
	"$MK" --out "$out" --key "$P/milan/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP" "$@"
}

# vfy REPORT [options]: verify against the Milan test PKI (JSON into $output)
# with the Milan test ARK's clean CRL unless the caller gives its own --crl
vfy() {
	local r=$1 crl=(--crl "$P/milan/crl_clean.pem")
	shift
	[[ " $* " == *" --crl "* ]] && crl=()
	run cgs-verify snp --json --report "$r" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem" "${crl[@]}" "$@"
	_res
}

@test "snp: the helper's signature verifies with openssl dgst (independent check)" {
	mk "$T/r.bin" --sig-der "$T/sig.der"
	openssl x509 -in "$P/milan/vcek.pem" -pubkey -noout >"$T/pub.pem"
	head -c 672 "$T/r.bin" | openssl dgst -sha384 -verify "$T/pub.pem" -signature "$T/sig.der"
	[ "$(stat -c %s "$T/r.bin")" -eq 1184 ]
}

@test "snp: Milan v2, v3 and v5 VCEK reports verify (v2 via --product or the VCEK)" {
	for v in 2 3 5; do
		mk "$T/r$v.bin" --version "$v"
		vfy "$T/r$v.bin"
		[ "$status" -eq 0 ] || { echo "v$v: $output"; false; }
		[ "$(jq -r .verified <<<"$output")" = true ]
		[ "$(jq -r .report.version <<<"$output")" = "$v" ]
	done
	vfy "$T/r2.bin" --product milan
	[ "$status" -eq 0 ]
	[ "$(jq -r .report.cpuid <<<"$output")" = null ]
	[ "$(jq -r .report.launch_mit_vector <<<"$output")" = null ]
	vfy "$T/r5.bin"
	[ "$(jq -r .report.launch_mit_vector <<<"$output")" = 0x0 ]
}

@test "snp: the JSON document follows the cgs-verify contract" {
	mk "$T/r.bin"
	vfy "$T/r.bin"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'keys_unsorted[0:7]' <<<"$output")" = \
		'["schema_version","tool","verb","verified","evidence","checks","report"]' ]
	[ "$(jq -r .tool <<<"$output")" = cgs-verify ]
	[ "$(jq -r .evidence <<<"$output")" = snp ]
	[ "$(jq -c '.checks[0] | keys_unsorted' <<<"$output")" = '["name","result","expected","actual","reason"]' ]
	[ "$(jq -r '[.checks[].result] | unique | join(",")' <<<"$output")" = pass,skip ]
	[ "$(jq -r .report.measurement <<<"$output")" = "$(xxd -p -s 0x90 -l 48 "$T/r.bin" | tr -d '\n')" ]
}

@test "snp: text output lists every check and the verdict" {
	mk "$T/r.bin"
	run -0 cgs-verify snp --skip crl --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	assert_line --regexp '^pass +signature'
	assert_line --regexp '^skip +crl'
	assert_line verified
}

@test "snp: Genoa v3 and Turin v3/v5 reports (Turin TCB layout, 8-byte hwID) verify" {
	"$MK" --out "$T/g.bin" --product genoa --key "$P/genoa/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
	run cgs-verify snp --skip crl --json --report "$T/g.bin" --vcek "$P/genoa/vcek.pem" \
		--cert-chain "$P/genoa/cert_chain.pem" --trusted-ark "$P/genoa/ark.pem"
	[ "$status" -eq 0 ]
	for v in 3 5; do
		"$MK" --out "$T/t.bin" --version $v --product turin --key "$P/turin/vcek.key" \
			--tcb "$TURIN_TCB" --chip-id "$TURIN_CHIP"
		run cgs-verify snp --skip crl --json --report "$T/t.bin" --vcek "$P/turin/vcek.pem" \
			--cert-chain "$P/turin/cert_chain.pem" --trusted-ark "$P/turin/ark.pem"
		[ "$status" -eq 0 ] || { echo "$output"; false; }
		[ "$(jq -c '.report.reported_tcb | [.fmc, .bl, .tee, .snp, .ucode]' <<<"$output")" = "[1,4,2,3,71]" ]
		[ "$(jq -r .report.reported_tcb.raw <<<"$output")" = 0x4700000003020401 ]
	done
	# the same Turin bytes read in the Milan layout do not match the VCEK
	"$MK" --out "$T/t2.bin" --version 2 --product turin --key "$P/turin/vcek.key" \
		--tcb "$TURIN_TCB" --chip-id "$TURIN_CHIP"
	run cgs-verify snp --skip crl --json --report "$T/t2.bin" --product milan --vcek "$P/turin/vcek.pem" \
		--cert-chain "$P/turin/cert_chain.pem" --trusted-ark "$P/turin/ark.pem"
	[ "$status" -eq 2 ]
	run cgs-verify snp --skip crl --json --report "$T/t2.bin" --product turin --vcek "$P/turin/vcek.pem" \
		--cert-chain "$P/turin/cert_chain.pem" --trusted-ark "$P/turin/ark.pem"
	[ "$status" -eq 0 ]
}

@test "snp: a VLEK-signed report verifies with the ASVK chain; cspID shown" {
	"$MK" --out "$T/l.bin" --key "$P/milan/vlek.key" --signing-key vlek --tcb "$MILAN_TCB" \
		--chip-id 00
	run cgs-verify snp --skip crl --json --report "$T/l.bin" --vlek "$P/milan/vlek.pem" \
		--cert-chain "$P/milan/vlek_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 0 ]
	[ "$(jq -r .vek.csp_id <<<"$output")" = CN=csp.example ]
	# KEY_INFO chooses the chain: the VCEK and ASK are no substitute
	run cgs-verify snp --skip crl --json --report "$T/l.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek)" = fail ]
	# and a VLEK does not pass for a VCEK-signed report
	mk "$T/r.bin" --key "$P/milan/vlek.key"
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --vcek "$P/milan/vlek.pem" \
		--cert-chain "$P/milan/vlek_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result ask)" = fail ]
}

@test "snp: a VCEK whose subject is not AMD's fails 'vek'" {
	SNP_PKI_SUBJ="/OU=Engineering/C=US/L=Santa Clara/ST=CA/O=Not AMD" \
		"$TOP/tests/helpers/snp_pki.sh" vek "$P/milan" vcek "$T/odd" Milan-B0 0 "$MILAN_SPLS" "$MILAN_CHIP"
	mk "$T/r.bin" --key "$T/odd.key"
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --vcek "$T/odd.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = vek ]
	[[ $(jq -r '.checks[] | select(.name == "vek") | .reason' <<<"$output") == *"subject is not AMD's"* ]]
}

@test "snp: a test ARK is not an AMD root: without --trusted-ark the pin fails" {
	mk "$T/r.bin"
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/milan/cert_chain.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "ark ask vek validity" ]
	[[ $(jq -r '.checks[] | select(.name == "ark") | .reason' <<<"$output") == *"not AMD's pinned ARK-Milan"* ]]
}

@test "snp: bad signature, unsigned report and bad signature tail fail 'signature'" {
	mk "$T/r.bin"
	printf '\x01' | dd of="$T/r.bin" bs=1 seek=$((0x50)) conv=notrunc 2>/dev/null
	vfy "$T/r.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = signature ]
	mk "$T/r.bin" --signing-key none --no-sign
	vfy "$T/r.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = "signing-key signature" ]
	mk "$T/r.bin"
	printf '\x01' | dd of="$T/r.bin" bs=1 seek=$((0x400)) conv=notrunc 2>/dev/null
	vfy "$T/r.bin"
	[ "$(failed)" = signature ]
	mk "$T/r.bin" --key "$P/genoa/vcek.key"
	vfy "$T/r.bin"
	[ "$(failed)" = signature ]
}

@test "snp: a wrong chain (another product's ARK/ASK) fails" {
	mk "$T/r.bin"
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/genoa/cert_chain.pem" --trusted-ark "$P/genoa/ark.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result ark)" = fail ]
	# right names, wrong keys: Milan ARK trusted, ASK from elsewhere
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/turin/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$(check_result ask)" = fail ]
}

@test "snp: CRL: revoked ASK fails 'crl', a clean CRL passes, a CRL of another ARK fails" {
	mk "$T/r.bin"
	vfy "$T/r.bin" --crl "$P/milan/crl_revoked.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = crl ]
	vfy "$T/r.bin" --crl "$P/milan/crl_clean.pem"
	[ "$status" -eq 0 ]
	[ "$(check_result crl)" = pass ]
	openssl crl -in "$P/milan/crl_clean.pem" -outform DER -out "$T/crl.der"
	vfy "$T/r.bin" --crl "$T/crl.der"
	[ "$status" -eq 0 ]
	"$TOP/tests/helpers/snp_pki.sh" crl "$P/genoa"
	vfy "$T/r.bin" --crl "$P/genoa/crl.pem"
	[ "$(failed)" = crl ]
	# the CRL expires after 30 days
	vfy "$T/r.bin" --crl "$P/milan/crl_clean.pem" --at "$(date -u -d '+40 days' +%Y-%m-%dT%H:%M:%SZ)"
	[ "$(failed)" = crl ]
}

@test "snp: fail closed: without a CRL the 'crl' check fails unless skipped by name" {
	mk "$T/r.bin"
	run cgs-verify snp --json --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = crl ]
	[[ $(jq -r '.checks[] | select(.name == "crl") | .reason' <<<"$output") == *"--skip crl"* ]]
	run -0 cgs-verify snp --json --skip crl --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$(check_result crl)" = skip ]
}

@test "snp: validity at --at: expired and not yet valid fail 'validity'" {
	mk "$T/r.bin"
	# (the test CRL is valid for 30 days only, so revocation is skipped by name here)
	vfy "$T/r.bin" --at 2200-01-01T00:00:00Z --skip crl
	[ "$status" -eq 2 ]
	[ "$(failed)" = validity ]
	vfy "$T/r.bin" --at 2001-01-01T00:00:00+02:00 --skip crl
	[ "$(failed)" = validity ]
	vfy "$T/r.bin" --at "$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%S.5Z)"
	[ "$status" -eq 0 ]
}

@test "snp: debug policy fails 'debug' unless --allow-debug" {
	mk "$T/r.bin" --policy 0xb0000
	vfy "$T/r.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = debug ]
	vfy "$T/r.bin" --allow-debug
	[ "$status" -eq 0 ]
}

@test "snp: VMPL must be 0 unless --vmpl says otherwise" {
	mk "$T/r.bin" --vmpl 2
	vfy "$T/r.bin"
	[ "$(failed)" = vmpl ]
	vfy "$T/r.bin" --vmpl 2
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --vmpl 1
	[ "$(failed)" = vmpl ]
}

@test "snp: TCB: VCEK SPL mismatch fails 'vek-tcb'; REPORTED above CURRENT fails 'tcb-order'" {
	mk "$T/r.bin"
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --vcek "$P/milan/vcek_tcb.pem" \
		--cert-chain "$P/milan/cert_chain.pem" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 2 ]
	[ "$(check_result vek-tcb)" = fail ]
	mk "$T/r.bin" --current-tcb bl=3,tee=0,snp=7,ucode=219 --committed-tcb bl=3,tee=0,snp=7,ucode=219
	vfy "$T/r.bin"
	[ "$(failed)" = tcb-order ]
	# late microcode: CURRENT above COMMITTED is fine, unless --require-committed
	mk "$T/r.bin" --current-tcb bl=3,tee=0,snp=8,ucode=220
	vfy "$T/r.bin"
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --require-committed
	[ "$(failed)" = tcb-order ]
}

@test "snp: CHIP_ID must equal the VCEK hwID; masked CHIP_ID fails and cannot be skipped" {
	mk "$T/r.bin" --chip-id "ff${MILAN_CHIP:2}"
	vfy "$T/r.bin"
	[ "$(failed)" = chip-id ]
	mk "$T/r.bin" --chip-id 00
	vfy "$T/r.bin"
	[ "$(failed)" = chip-id ]
	# chip-id binds the VCEK to the chip: an authenticity check (issue 10), never skippable
	vfy "$T/r.bin" --skip chip-id
	[ "$status" -eq 64 ]
}

@test "snp: --skip refuses every authenticity check (64, says why) and unknown names" {
	mk "$T/r.bin"
	for c in signing-key product ark ask vek validity vek-extensions vek-product vek-tcb \
		chip-id signature hcl-report-data; do
		run -64 --separate-stderr cgs-verify snp --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
			--skip "crl,$c"
		[[ $stderr == *"check '$c' establishes that the evidence is genuine and cannot be skipped"* ]]
		assert_output ""
	done
	run -64 --separate-stderr cgs-verify snp --report "$T/r.bin" --skip nosuch
	[[ $stderr == *"unknown check 'nosuch'"*"crl"* ]]
}

# every policy check of the verifier (as its man page lists them)
SNP_POLICY_CHECKS=crl,tcb-order,debug,vmpl,measurement,policy,guest-svn,report-data,host-data,family-id,image-id,id-key-digest,author-key-digest,min-tcb,min-launch-tcb,min-firmware,mit-vector,platform-info

@test "snp: forged, unsigned and chain-less reports stay NOT VERIFIED with every policy check skipped" {
	local m=$(printf '33%.0s' $(seq 48))
	mk "$T/r.bin" --measurement "$m"
	vfy "$T/r.bin" --skip "$SNP_POLICY_CHECKS"
	[ "$status" -eq 0 ]
	# tampered after signing (MEASUREMENT's first byte)
	cp "$T/r.bin" "$T/t.bin"
	printf '\xff' | dd of="$T/t.bin" bs=1 seek=$((0x90)) conv=notrunc status=none
	vfy "$T/t.bin" --skip "$SNP_POLICY_CHECKS"
	[ "$status" -eq 2 ] && [ "$(failed)" = signature ]
	# unsigned (KEY_INFO says none)
	mk "$T/u.bin" --signing-key none --no-sign
	vfy "$T/u.bin" --skip "$SNP_POLICY_CHECKS"
	[ "$status" -eq 2 ]
	[ "$(check_result signing-key)" = fail ] && [ "$(check_result signature)" = fail ]
	# no certificates at all
	run -2 cgs-verify snp --report "$T/r.bin" --skip "$SNP_POLICY_CHECKS"
	assert_line "NOT VERIFIED"
}

@test "snp: measurement from --expected-measurement, --expected (cgs-measure JSON, array)" {
	local m=010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748
	mk "$T/r.bin" --measurement "$m"
	vfy "$T/r.bin" --expected-measurement "$m"
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --expected-measurement "ff${m:2}"
	[ "$(failed)" = measurement ]
	vfy "$T/r.bin" --expected-measurement "ff${m:2}" --expected-measurement "$m"
	[ "$status" -eq 0 ]
	jq -n --arg m "$m" '{schema_version: 1, tool: "cgs-measure", mode: "snp", digest_alg: "sha384",
		measurement: $m, inputs: {ovmf: "x"}, intermediate: {}}' >"$T/e.json"
	vfy "$T/r.bin" --expected "$T/e.json"
	[ "$status" -eq 0 ]
	jq -n --arg m "$m" '[{schema_version: 1, tool: "cgs-measure", mode: "snp", digest_alg: "sha384", measurement: ("aa" * 48)},
		{schema_version: 1, tool: "cgs-measure", mode: "snp:svsm", digest_alg: "sha384", measurement: $m}]' >"$T/a.json"
	vfy "$T/r.bin" --expected "$T/a.json"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.checks[] | select(.name == "measurement") | .expected' <<<"$output")" = "one of 2 measurements" ]
	jq -n '[{schema_version: 1, tool: "cgs-measure", mode: "snp", digest_alg: "sha384", measurement: ("aa" * 48)}]' >"$T/b.json"
	vfy "$T/r.bin" --expected "$T/b.json"
	[ "$(failed)" = measurement ]
}

@test "snp: --expected refuses SEV documents and malformed JSON (65), missing files (66)" {
	mk "$T/r.bin"
	jq -n '{schema_version: 1, tool: "cgs-measure", mode: "sev", digest_alg: "sha256", measurement: ("aa" * 32)}' >"$T/s.json"
	run -65 --separate-stderr cgs-verify snp --report "$T/r.bin" --expected "$T/s.json"
	[[ $stderr == *"failed to parse '$T/s.json'"*"not an SNP measurement"* ]]
	assert_output ""
	echo '{"measurement": ' >"$T/bad.json"
	run -65 cgs-verify snp --report "$T/r.bin" --expected "$T/bad.json"
	run -66 cgs-verify snp --report "$T/r.bin" --expected "$T/none.json"
	run -66 --separate-stderr cgs-verify snp --report "$T/none.bin"
	[[ $stderr == *"'$T/none.bin'"* ]]
	run -66 cgs-verify snp --report "$T/r.bin" --vcek "$T/none.pem"
	echo garbage >"$T/g.pem"
	run -65 --separate-stderr cgs-verify snp --report "$T/r.bin" --vcek "$T/g.pem"
	[[ $stderr == *"failed to load '$T/g.pem'"* ]]
}

# malformed --expected rows: jq filter over a valid document | text the one-line message must hold
SNP_EXPECTED_BAD=(
	'del(.schema_version)|no "schema_version"'
	'.schema_version = 2|schema_version 2 is not supported'
	'.schema_version = "1"|"schema_version" is not an integer'
	'del(.tool)|no "tool"'
	'.tool = "sev-snp-measure"|tool '"'"'sev-snp-measure'"'"' is not cgs-measure'
	'.tool = "cgs-verify"|a cgs-verify verdict is not an expected-values document'
	'.tool = 1|"tool" is not a string'
	'.mode = "snpx"|mode '"'"'snpx'"'"' is not an SNP measurement'
	'.mode = "sn"|mode '"'"'sn'"'"' is not an SNP measurement'
	'.mode = "SNP"|mode '"'"'SNP'"'"' is not an SNP measurement'
	'.mode = ["snp"]|"mode" is not a string'
	'.mode = null|"mode" is not a string'
	'del(.mode)|no "id_block"'
	'.digest_alg = "sha256"|"digest_alg" is '"'"'sha256'"'"', expected '"'"'sha384'"'"''
	'del(.digest_alg)|no "digest_alg"'
	'.measurement = ("aa" * 47)|"measurement" is not a SHA-384 digest'
	'.measurement = [1]|"measurement" is not a SHA-384 digest'
	'del(.measurement)|no "measurement"'
	'.id_key_digest = []|"id_key_digest" is not a SHA-384 digest'
	'.author_key_digest = null|(field '"'"'author_key_digest'"'"')'
	'.family_id = 5|"family_id" is not 16 bytes of hex'
	'.image_id = ("00" * 17)|"image_id" is not 16 bytes of hex'
	'.guest_svn = "x"|"guest_svn" is not an integer of 32 bits'
	'.guest_svn = -1|"guest_svn" is not an integer of 32 bits'
	'.guest_svn = 4294967296|"guest_svn" is not an integer of 32 bits'
	'.policy = true|"policy" is not an integer'
	'.inputs = "x"|"inputs" is not a JSON object'
	'.intermediate = []|"intermediate" is not a JSON object'
	'.id_block = 1|"id_block" is not a base64 string'
	'[., (.mode = "tdx")]|document 1: mode '"'"'tdx'"'"''
	'[]|empty array'
	'"snp"|expected a JSON object'
)

@test "snp: --expected documents are validated: every malformed row is 65 naming the field" {
	local m row filter want
	m=$(printf '33%.0s' $(seq 48))
	mk "$T/r.bin" --measurement "$m"
	jq -n --arg m "$m" '{schema_version: 1, tool: "cgs-measure", mode: "snp", digest_alg: "sha384",
		measurement: $m, inputs: {}, intermediate: {}}' >"$T/good.json"
	vfy "$T/r.bin" --expected "$T/good.json"
	[ "$status" -eq 0 ]
	for row in "${SNP_EXPECTED_BAD[@]}"; do
		filter=${row%%|*} want=${row#*|}
		jq "$filter" "$T/good.json" >"$T/bad.json"
		run -65 --separate-stderr cgs-verify snp --report "$T/r.bin" --expected "$T/bad.json"
		[[ $stderr == "cgs-verify: failed to parse '$T/bad.json': "*"$want"* ]] ||
			{ echo "row '$filter': $stderr"; false; }
		assert_output ""
		[ "$(wc -l <<<"$stderr")" -eq 1 ]
	done
	# keys this reader does not read are ignored (schema version 1, cgs(7))
	jq '.added_by_a_newer_cgs_measure = [1, {"x": null}]' "$T/good.json" >"$T/new.json"
	vfy "$T/r.bin" --expected "$T/new.json"
	[ "$status" -eq 0 ]
	# a cgs-verify verdict fed back as expected values
	cgs-verify snp --json --report "$T/r.bin" --skip crl >"$T/verdict.json" || true
	run -65 --separate-stderr cgs-verify snp --report "$T/r.bin" --expected "$T/verdict.json"
	[[ $stderr == *"a cgs-verify verdict is not an expected-values document"* ]]
}

@test "snp: --expected id-block fields (cgs-measure id-block --json) are checked" {
	local fam=00112233445566778899aabbccddeeff img=ffeeddccbbaa99887766554433221100
	local idk author m
	idk=$(printf '11%.0s' $(seq 48)); author=$(printf '22%.0s' $(seq 48)); m=$(printf '33%.0s' $(seq 48))
	mk "$T/r.bin" --measurement "$m" --family-id $fam --image-id $img --id-key-digest "$idk" \
		--author-key-digest "$author" --guest-svn 7 --policy 0x30000
	jq -n --arg m "$m" --arg f $fam --arg i $img --arg k "$idk" --arg a "$author" \
		'{schema_version: 1, tool: "cgs-measure", measurement: $m, id_block: "AA==", id_auth: "AA==",
		id_key_digest: $k, author_key_digest: $a, family_id: $f, image_id: $i, guest_svn: 7,
		policy: "0x30000"}' >"$T/id.json"
	vfy "$T/r.bin" --expected "$T/id.json"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	for c in family-id image-id id-key-digest author-key-digest guest-svn policy; do
		[ "$(check_result $c)" = pass ]
	done
	jq '.guest_svn = 8 | .family_id = ("00" * 16)' "$T/id.json" >"$T/id2.json"
	vfy "$T/r.bin" --expected "$T/id2.json"
	[ "$(failed)" = "guest-svn family-id" ]
	# an expected author key with AUTHOR_KEY_EN clear fails
	mk "$T/r2.bin" --measurement "$m" --family-id $fam --image-id $img --id-key-digest "$idk" \
		--guest-svn 7
	vfy "$T/r2.bin" --expected "$T/id.json"
	[ "$(check_result author-key-digest)" = fail ]
}

@test "snp: exact-value options: report/host data, family/image id, key digests" {
	local rd=cafe hd idk
	hd=$(printf 'ab%.0s' $(seq 32)); idk=$(printf '44%.0s' $(seq 48))
	mk "$T/r.bin" --report-data $rd --host-data "$hd" --family-id 01 --image-id 02 --id-key-digest "$idk"
	vfy "$T/r.bin" --report-data $rd --host-data "$hd" --family-id "01$(printf '0%.0s' $(seq 30))" \
		--image-id "02$(printf '0%.0s' $(seq 30))" --id-key-digest "$idk"
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --report-data beef --host-data "ac${hd:2}" --id-key-digest "45${idk:2}"
	[ "$(failed)" = "report-data host-data id-key-digest" ]
	run -64 cgs-verify snp --report "$T/r.bin" --host-data abcd
	run -64 cgs-verify snp --report "$T/r.bin" --family-id xyz
}

@test "snp: minimum TCB (pairs and hex), launch TCB, firmware, guest SVN" {
	mk "$T/r.bin" --launch-tcb bl=2,tee=0,snp=7,ucode=200 --guest-svn 5 --firmware 1.55.29
	vfy "$T/r.bin" --min-tcb bl=3,snp=8 --min-launch-tcb snp=7 --min-firmware 1.55 --min-guest-svn 5
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --min-tcb 0xdb08000000000003 --min-launch-tcb 0xc807000000000002
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --min-tcb boot_loader=3,microcode=220
	[ "$(failed)" = min-tcb ]
	vfy "$T/r.bin" --min-tcb fmc=1
	[ "$(failed)" = min-tcb ]
	vfy "$T/r.bin" --min-launch-tcb snp=8 --min-firmware 1.55.30 --min-guest-svn 6
	[ "$(failed)" = "guest-svn min-launch-tcb min-firmware" ]
	run -64 cgs-verify snp --report "$T/r.bin" --min-tcb bl=300
	run -64 cgs-verify snp --report "$T/r.bin" --min-tcb frob=1
	run -64 cgs-verify snp --report "$T/r.bin" --min-firmware 1
	run -64 cgs-verify snp --report "$T/r.bin" --at yesterday
}

@test "snp: --platform-require/--platform-forbid and --min-mit-vector" {
	mk "$T/r.bin" --version 5 --platform-info 0x25 --mit-vector 0x6
	vfy "$T/r.bin" --platform-require 0x24 --platform-forbid 0x2 --min-mit-vector 0x2
	[ "$status" -eq 0 ]
	[ "$(check_result mit-vector)" = pass ]
	vfy "$T/r.bin" --platform-require 0x10
	[ "$(failed)" = platform-info ]
	vfy "$T/r.bin" --platform-forbid 0x1
	[ "$(failed)" = platform-info ]
	vfy "$T/r.bin" --min-mit-vector 0x9
	[ "$(failed)" = mit-vector ]
	mk "$T/r3.bin" --version 3
	vfy "$T/r3.bin" --min-mit-vector 0x1
	[ "$(failed)" = mit-vector ]
}

@test "snp: --policy-max and --policy-require" {
	mk "$T/r.bin" --policy 0x130105
	vfy "$T/r.bin" --policy-max 0x130105 --policy-require 0x100000
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --policy-max 0x30000
	[ "$(failed)" = policy ]
	vfy "$T/r.bin" --policy-max 0x130106
	[ "$(failed)" = policy ]
	vfy "$T/r.bin" --policy-require 0x400000
	[ "$(failed)" = policy ]
}

@test "snp: truncated, oversized, reserved bytes, bad policy: malformed (65) with field and offset" {
	mk "$T/r.bin"
	head -c 1000 "$T/r.bin" >"$T/short.bin"
	run -65 --separate-stderr cgs-verify snp --report "$T/short.bin"
	[[ $stderr == *"failed to parse '$T/short.bin': truncated: 1000 bytes"*"at offset 0x3e8"* ]]
	assert_output ""
	cat "$T/r.bin" "$T/r.bin" >"$T/long.bin"
	run -65 cgs-verify snp --report "$T/long.bin"
	cp "$T/r.bin" "$T/res.bin"
	printf '\x01' | dd of="$T/res.bin" bs=1 seek=$((0x4c)) conv=notrunc 2>/dev/null
	run -65 --separate-stderr cgs-verify snp --report "$T/res.bin"
	[[ $stderr == *"reserved byte is 0x01, must be zero at offset 0x4c (field 'reserved_0x4c')"* ]]
	mk "$T/p.bin" --policy 0x10000
	run -65 --separate-stderr cgs-verify snp --report "$T/p.bin"
	[[ $stderr == *"policy bit 17"* ]]
	mk "$T/k.bin" --key-info 0x8
	run -65 --separate-stderr cgs-verify snp --report "$T/k.bin"
	[[ $stderr == *"reserved signing key selector 2"* ]]
	run -65 cgs-verify snp --report /dev/null
}

@test "snp: unknown versions are refused (65) unless allowed by name" {
	for v in 1 4 6; do
		mk "$T/r$v.bin" --version $v
		run -65 --separate-stderr cgs-verify snp --report "$T/r$v.bin"
		[[ $stderr == *"unsupported report version $v"* ]]
	done
	vfy "$T/r4.bin" --allow-version 4
	[ "$status" -eq 0 ]
	vfy "$T/r6.bin" --allow-version 6
	[ "$status" -eq 0 ]
	run -64 cgs-verify snp --report "$T/r4.bin" --allow-version 1
}

@test "snp: --certs DIR and --cert-table (extended report) supply the chain" {
	mk "$T/r.bin"
	mkdir "$T/d"
	cp "$P/milan/vcek.pem" "$T/d/vcek.pem"
	cp "$P/milan/cert_chain.pem" "$T/d/cert_chain"
	cp "$P/milan/crl_clean.pem" "$T/d/crl.pem"
	echo ignored >"$T/d/README"
	run cgs-verify snp --json --report "$T/r.bin" --certs "$T/d" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 0 ]
	[ "$(check_result crl)" = pass ]
	# GHCB table: VCEK and ASK entries, RFC 4122 GUID bytes, then the DER blobs
	openssl x509 -in "$P/milan/vcek.pem" -outform DER -out "$T/vcek.der"
	openssl x509 -in "$P/milan/ask.pem" -outform DER -out "$T/ask.der"
	local a b
	a=$(stat -c %s "$T/vcek.der"); b=$(stat -c %s "$T/ask.der")
	{
		printf '63da758de6644564adc5f4b93be8accd'; printf '%08x%08x' 72 "$a" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\4\3\2\1\8\7\6\5/'
		printf '4ab7b379bbac4fe4a02f05aef327c782'; printf '%08x%08x' $((72 + a)) "$b" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\4\3\2\1\8\7\6\5/'
		printf '%048d' 0
	} | xxd -r -p >"$T/table.bin"
	cat "$T/vcek.der" "$T/ask.der" >>"$T/table.bin"
	run cgs-verify snp --skip crl --json --report "$T/r.bin" --cert-table "$T/table.bin" --trusted-ark "$P/milan/ark.pem"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run -0 cgs-verify snp show --report "$T/r.bin" --cert-table "$T/table.bin" --json
	[ "$(jq -r '.cert_table[0] | "\(.guid) \(.kind) \(.offset) \(.subject_cn)"' <<<"$output")" = \
		"63da758d-e664-4564-adc5-f4b93be8accd vcek 72 SEV-VCEK" ]
	[ "$(jq -r '.cert_table[1] | "\(.guid) \(.kind) \(.length) \(.subject_cn)"' <<<"$output")" = \
		"4ab7b379-bbac-4fe4-a02f-05aef327c782 ask $b SEV-Milan" ]
	run -0 cgs-verify snp show --report "$T/r.bin" --cert-table "$T/table.bin"
	assert_line --regexp '^cert_table\[1\] +4ab7b379-bbac-4fe4-a02f-05aef327c782 ask offset [0-9]+ length [0-9]+ SEV-Milan$'
	head -c 100 "$T/table.bin" >"$T/cut.bin"
	run -65 --separate-stderr cgs-verify snp --report "$T/r.bin" --cert-table "$T/cut.bin"
	[[ $stderr == *"failed to load '$T/cut.bin'"* ]]
}

@test "snp: --skip turns a named check into skip; unknown options are usage errors" {
	mk "$T/r.bin" --vmpl 1
	vfy "$T/r.bin" --skip vmpl,debug
	[ "$status" -eq 0 ]
	[ "$(check_result vmpl)" = skip ]
	run -64 cgs-verify snp --report "$T/r.bin" --product venice
	run -64 cgs-verify snp
	run -64 cgs-verify snp --report "$T/r.bin" extra
}

@test "snp: an Azure HCL report wraps the report and binds its runtime claims" {
	local claims='{"keys":[],"vm-configuration":{"tpm-enabled":true}}'
	printf '%s' "$claims" >"$T/claims.json"
	mk "$T/r.bin" --report-data "$(sha256sum "$T/claims.json" | cut -c1-64)"
	le32() { printf '%08x' "$1" | sed -E 's/(..)(..)(..)(..)/\4\3\2\1/'; }
	hcl() { # report claims-file out
		local n
		n=$(stat -c %s "$2")
		{
			printf 'HCLA'
			echo "$(le32 1)$(le32 $((0x4d4 + n)))$(le32 2)" | xxd -r -p
			head -c 16 /dev/zero
			cat "$1"
			echo "$(le32 $((20 + n)))$(le32 1)$(le32 2)$(le32 1)$(le32 "$n")" | xxd -r -p
			cat "$2"
			head -c 100 /dev/zero
		} >"$3"
	}
	hcl "$T/r.bin" "$T/claims.json" "$T/hcl.bin"
	vfy "$T/hcl.bin"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_result hcl-report-data)" = pass ]
	printf '%s' "${claims/true/false}" >"$T/claims2.json"
	hcl "$T/r.bin" "$T/claims2.json" "$T/hcl2.bin"
	vfy "$T/hcl2.bin"
	[ "$(failed)" = hcl-report-data ]
	# a bare report has no such check
	vfy "$T/r.bin"
	[ -z "$(check_result hcl-report-data)" ]
	printf 'HCLA\002' >"$T/bad.bin"
	run -65 cgs-verify snp --report "$T/bad.bin"
}

@test "snp show: every field decoded (text and JSON), absent v5 fields are null" {
	mk "$T/r.bin" --version 2 --platform-info 0x1ff --guest-svn 9
	run -0 cgs-verify snp show --report "$T/r.bin" --json
	[ "$(jq -r .report.guest_svn <<<"$output")" = 9 ]
	[ "$(jq -r .report.platform_info_unknown_bits <<<"$output")" = 0x140 ]
	[ "$(jq -r .report.current_mit_vector <<<"$output")" = null ]
	[ "$(jq -r .report.reported_tcb.raw <<<"$output")" = 0xdb08000000000003 ]
	[ "$(jq -r .report.reported_tcb.bl <<<"$output")" = null ]
	run -0 cgs-verify snp show --report "$T/r.bin" --product milan --json
	[ "$(jq -r .report.reported_tcb.ucode <<<"$output")" = 219 ]
	run -0 cgs-verify snp show --report "$T/r.bin"
	assert_line --regexp '^guest_svn +9$'
	assert_line --regexp '^current_mit_vector +\(absent\)$'
	# unknown PLATFORM_INFO bits are reported, not fatal
	mk "$T/r.bin" --platform-info 0x1ff
	vfy "$T/r.bin"
	[ "$status" -eq 0 ]
	[[ $(jq -r '.checks[] | select(.name == "platform-info") | .reason' <<<"$output") == *"0x140"* ]]
}

@test "snp kds-url: Milan long hwID and Turin short hwID with fmcSPL" {
	mk "$T/r.bin"
	run -0 cgs-verify snp kds-url --report "$T/r.bin"
	assert_line "vcek: https://kdsintf.amd.com/vcek/v1/Milan/$MILAN_CHIP?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=219"
	assert_line "crl: https://kdsintf.amd.com/vcek/v1/Milan/crl"
	"$MK" --out "$T/t.bin" --product turin --key "$P/turin/vcek.key" --tcb "$TURIN_TCB" --chip-id "$TURIN_CHIP"
	run -0 cgs-verify snp kds-url --report "$T/t.bin" --json
	[ "$(jq -r .vcek_url <<<"$output")" = \
		"https://kdsintf.amd.com/vcek/v1/Turin/$TURIN_CHIP?fmcSPL=1&blSPL=4&teeSPL=2&snpSPL=3&ucodeSPL=71" ]
	mk "$T/m.bin" --chip-id 00
	run -65 cgs-verify snp kds-url --report "$T/m.bin"
	mk "$T/v2.bin" --version 2
	run -65 cgs-verify snp kds-url --report "$T/v2.bin"
	run -0 cgs-verify snp kds-url --report "$T/v2.bin" --product genoa
	assert_line --partial "/vcek/v1/Genoa/"
}

# --- tests that fail for the right reason (issue 10 item 12): each one changes only the
# --- property under test, so a verifier that skipped that one check would pass it.

# a second Milan PKI: the same names as $P/milan (ARK-Milan, SEV-Milan), other keys
mk_lookalike() {
	local pki="$TOP/tests/helpers/snp_pki.sh"
	"$pki" roots "$T/m2" Milan
	"$pki" vek "$T/m2" vcek "$T/m2/vcek" Milan-B0 0 "$MILAN_SPLS" "$MILAN_CHIP"
}

@test "snp survivors: an ASK with the ARK's issuer name but another key fails 'ask'" {
	mk_lookalike
	# everything below the ARK is consistent (the look-alike ASK signed the VCEK that
	# signed the report): only the ASK-signed-by-ARK signature can reject it
	"$MK" --out "$T/r.bin" --key "$T/m2/vcek.key" --tcb "$MILAN_TCB" --chip-id "$MILAN_CHIP"
	[ "$(openssl x509 -in "$T/m2/ask.pem" -noout -issuer)" = \
		"$(openssl x509 -in "$P/milan/ask.pem" -noout -issuer)" ]
	run cgs-verify snp --json --skip crl --report "$T/r.bin" --vcek "$T/m2/vcek.pem" \
		--cert-chain "$T/m2/ask.pem" --trusted-ark "$P/milan/ark.pem"
	_res
	[ "$status" -eq 2 ]
	# (the VCEK and validity checks then fail for want of a valid ASK)
	[ "$(failed)" = "ask vek validity" ]
	[[ $(jq -r '.checks[] | select(.name == "ask") | .reason' <<<"$output") == *signature* ]]
	# the same evidence with its own ARK trusted passes: the ASK signature was the reason
	run -0 cgs-verify snp --json --skip crl --report "$T/r.bin" --vcek "$T/m2/vcek.pem" \
		--cert-chain "$T/m2/ask.pem" --trusted-ark "$T/m2/ark.pem"
}

@test "snp survivors: a CRL with the ARK's name signed by another key fails 'crl'" {
	mk_lookalike
	"$TOP/tests/helpers/snp_pki.sh" crl "$T/m2"
	[ "$(openssl crl -in "$T/m2/crl.pem" -noout -issuer)" = \
		"$(openssl crl -in "$P/milan/crl_clean.pem" -noout -issuer)" ]
	mk "$T/r.bin"
	vfy "$T/r.bin" --crl "$T/m2/crl.pem"
	[ "$status" -eq 2 ]
	[ "$(failed)" = crl ]
	[[ $(jq -r '.checks[] | select(.name == "crl") | .reason' <<<"$output") == *signature* ]]
}

@test "snp survivors: CHIP_ID differing from the hwID in the last byte only fails 'chip-id'" {
	mk "$T/r.bin" --chip-id "${MILAN_CHIP:0:126}00"
	vfy "$T/r.bin"
	[ "$status" -eq 2 ]
	[ "$(failed)" = chip-id ]
	"$MK" --out "$T/t.bin" --product turin --key "$P/turin/vcek.key" --tcb "$TURIN_TCB" \
		--chip-id "${TURIN_CHIP:0:14}00"
	run cgs-verify snp --json --skip crl --report "$T/t.bin" --vcek "$P/turin/vcek.pem" \
		--cert-chain "$P/turin/cert_chain.pem" --trusted-ark "$P/turin/ark.pem"
	_res
	[ "$status" -eq 2 ]
	[ "$(failed)" = chip-id ]
}

@test "snp survivors: a measurement differing in the last byte only fails 'measurement'" {
	local m=010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748
	mk "$T/r.bin" --measurement "$m"
	vfy "$T/r.bin" --expected-measurement "${m:0:94}00"
	[ "$status" -eq 2 ]
	[ "$(failed)" = measurement ]
	vfy "$T/r.bin" --expected-measurement "${m:0:94}48"
	[ "$status" -eq 0 ]
}

@test "snp survivors: --at exactly at the validity edges (notBefore valid, notAfter expired)" {
	local nb=0 na=0 t c
	mk "$T/r.bin"
	# the chain is valid from the latest notBefore to the earliest notAfter
	for c in "$P/milan/ark.pem" "$P/milan/ask.pem" "$P/milan/vcek.pem"; do
		t=$(date -u -d "$(openssl x509 -in "$c" -noout -startdate | cut -d= -f2)" +%s)
		[ "$t" -gt "$nb" ] && nb=$t
		t=$(date -u -d "$(openssl x509 -in "$c" -noout -enddate | cut -d= -f2)" +%s)
		[ "$na" -eq 0 ] || [ "$t" -lt "$na" ] && na=$t
	done
	at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
	# (the test CRL is valid for 30 days from now, so revocation is skipped by name)
	vfy "$T/r.bin" --skip crl --at "$(at $((nb - 1)))"
	[ "$status" -eq 2 ]
	[ "$(failed)" = validity ]
	vfy "$T/r.bin" --skip crl --at "$(at "$nb")"
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --skip crl --at "$(at $((na - 1)))"
	[ "$status" -eq 0 ]
	vfy "$T/r.bin" --skip crl --at "$(at "$na")"
	[ "$status" -eq 2 ]
	[ "$(failed)" = validity ]
}

@test "snp survivors: an ASK signed by the ARK's key under another issuer name fails 'ask'" {
	local subj="/OU=Engineering/C=US/L=Santa Clara/ST=CA/O=Advanced Micro Devices"
	local pss=(-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48)
	# a root with the Milan ARK's key but another name issues a copy of the Milan ASK
	openssl req -x509 -key "$P/milan/ark.key" -out "$T/other.pem" -subj "$subj/CN=ARK-Other" \
		-days 9000 "${pss[@]}" 2>/dev/null
	openssl x509 -req -in "$P/milan/ask.csr" -CA "$T/other.pem" -CAkey "$P/milan/ark.key" \
		-set_serial 0x10001 -days 9000 "${pss[@]}" -extfile "$P/milan/ask.ext" -extensions e \
		-out "$T/ask.pem" 2>/dev/null
	openssl verify -partial_chain -CAfile "$T/other.pem" "$T/ask.pem" # the signature is good
	mk "$T/r.bin"
	run cgs-verify snp --json --skip crl --report "$T/r.bin" --vcek "$P/milan/vcek.pem" \
		--cert-chain "$T/ask.pem" --trusted-ark "$P/milan/ark.pem"
	_res
	[ "$status" -eq 2 ]
	[ "$(failed)" = "ask vek validity" ]
}

@test "snp survivors: each exact-value field differing in its last byte only fails that check" {
	local -A val=([report-data]=$(printf '5a%.0s' $(seq 64)) [host-data]=$(printf 'ab%.0s' $(seq 32))
		[family-id]=$(printf '01%.0s' $(seq 16)) [image-id]=$(printf '02%.0s' $(seq 16))
		[id-key-digest]=$(printf '44%.0s' $(seq 48)) [author-key-digest]=$(printf '55%.0s' $(seq 48)))
	local args=() k v
	for k in "${!val[@]}"; do args+=("--$k" "${val[$k]}"); done
	mk "$T/r.bin" "${args[@]}"
	vfy "$T/r.bin" "${args[@]}"
	[ "$status" -eq 0 ]
	for k in "${!val[@]}"; do
		v=${val[$k]}
		vfy "$T/r.bin" "--$k" "${v:0:${#v}-2}00"
		[ "$status" -eq 2 ] || { echo "$k: status $status"; false; }
		[ "$(failed)" = "$k" ] || { echo "$k: failed '$(failed)'"; false; }
	done
}
