# Shared by the cgs-verify tdx suites: a generated Intel-style PKI, PCK
# certificates, signed TCB Info / QE Identity and quotes (tests/helpers/tdx_pki.sh,
# build/tests/helpers/tdx_mkquote). Load after ../helpers/common.

MKQ="$BUILD/tests/helpers/tdx_mkquote"
PKI_SH="$TOP/tests/helpers/tdx_pki.sh"
# the platform: FMSPC, SGX TCB components (as the PCK carries them), PCESVN
FMSPC=00906ed50000
SGX_SVNS="5 5 2 2 3 1 0 3 0 0 0 0 0 0 0 0"
PCESVN=11

# once per file: PKI, a Platform-CA PCK and a Processor-CA PCK, CRLs
tdx_pki_setup() {
	P="$BATS_FILE_TMPDIR/pki"
	[ -f "$P/done" ] && return 0
	sh "$PKI_SH" pki "$P"
	sh "$PKI_SH" pck "$P" "$P/pck" platform "$FMSPC" "$SGX_SVNS" "$PCESVN"
	sh "$PKI_SH" pck "$P" "$P/ppck" processor "$FMSPC" "$SGX_SVNS" "$PCESVN"
	sh "$PKI_SH" pck "$P" "$P/rpck" platform "$FMSPC" "$SGX_SVNS" "$PCESVN"
	sh "$PKI_SH" crl "$P" root
	sh "$PKI_SH" crl "$P" processor
	sh "$PKI_SH" crl "$P" platform "$P/rpck.pem" # revokes rpck only
	touch "$P/done"
}

iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

# a TCB level: level "SGX SVNS" PCESVN "TDX SVNS" STATUS [ADVISORY,...]
level() {
	local adv=${5:-}
	jq -cn --arg s "$1" --argjson p "$2" --arg t "$3" --arg st "$4" --arg adv "$adv" '
		{tcb: {sgxtcbcomponents: ($s | split(" ") | map({svn: tonumber})),
		       pcesvn: $p,
		       tdxtcbcomponents: ($t | split(" ") | map({svn: tonumber}))},
		 tcbDate: "2024-03-13T00:00:00Z", tcbStatus: $st}
		+ (if $adv == "" then {} else {advisoryIDs: ($adv | split(","))} end)'
}

# a module identity: module_id ID "ISVSVN:STATUS ..."
module_id() {
	jq -cn --arg id "$1" --arg l "$2" '{id: $id, mrsigner: ("00" * 48), attributes: "0000000000000000",
		attributesMask: "FFFFFFFFFFFFFFFF",
		tcbLevels: ($l | split(" ") | map(split(":") | {tcb: {isvsvn: (.[0] | tonumber)},
			tcbDate: "2024-03-13T00:00:00Z", tcbStatus: .[1]}))}'
}

# signed TCB Info: mk_tcbinfo OUT LEVELS_JSON_ARRAY [MODULES_JSON_ARRAY] [FMSPC]
mk_tcbinfo() {
	jq -cn --argjson lv "$2" --argjson mods "${3:-[]}" --arg fmspc "${4:-$FMSPC}" \
		--arg i "$(iso '-1 day')" --arg n "$(iso '+29 days')" '
		{id: "TDX", version: 3, issueDate: $i, nextUpdate: $n, fmspc: ($fmspc | ascii_upcase),
		 pceId: "0000", tcbType: 0, tcbEvaluationDataNumber: 17,
		 tdxModule: {mrsigner: ("00" * 48), attributes: "0000000000000000",
			     attributesMask: "FFFFFFFFFFFFFFFF"},
		 tdxModuleIdentities: $mods, tcbLevels: $lv}' >"$1.body"
	"$MKQ" sign --key "$P/tcbsign.key" --member tcbInfo --body "$1.body" --out "$1"
}

# signed QE Identity: mk_qeid OUT ["ISVSVN:STATUS ..."]
mk_qeid() {
	jq -cn --arg l "${2:-4:UpToDate 2:OutOfDate}" --arg i "$(iso '-1 day')" --arg n "$(iso '+29 days')" '
		{id: "TD_QE", version: 2, issueDate: $i, nextUpdate: $n, tcbEvaluationDataNumber: 17,
		 miscselect: "00000000", miscselectMask: "FFFFFFFF",
		 attributes: "11000000000000000000000000000000",
		 attributesMask: "FBFFFFFFFFFFFFFF0000000000000000", mrsigner: ("DC" * 32), isvprodid: 2,
		 tcbLevels: ($l | split(" ") | map(split(":") | {tcb: {isvsvn: (.[0] | tonumber)},
			tcbDate: "2024-03-13T00:00:00Z", tcbStatus: .[1]}))}' >"$1.body"
	"$MKQ" sign --key "$P/tcbsign.key" --member enclaveIdentity --body "$1.body" --out "$1"
}

# the TDX components of a level: byte 0 module SVN, 1 major, 2 microcode
TDX_SVNS="3 0 5 0 0 0 0 0 0 0 0 0 0 0 0 0"

# default collateral: one UpToDate level the platform meets, an older OutOfDate one
mk_default_collateral() {
	mk_tcbinfo "$BATS_TEST_TMPDIR/tcb.json" "[$(level "$SGX_SVNS" "$PCESVN" "$TDX_SVNS" UpToDate),
		$(level "4 4 2 2 3 1 0 3 0 0 0 0 0 0 0 0" 10 "$TDX_SVNS" OutOfDate INTEL-SA-00960)]"
	mk_qeid "$BATS_TEST_TMPDIR/qe.json"
}

# run cgs-verify tdx on a quote with the generated PKI: tdx_run QUOTE [OPTION]...
tdx_run() {
	local q=$1
	shift
	run cgs-verify tdx --json --quote "$q" --tcb-info "${TCB:-$BATS_TEST_TMPDIR/tcb.json}" \
		--qe-identity "${QEID:-$BATS_TEST_TMPDIR/qe.json}" --tcb-signing-chain "$P/tcb_chain.pem" \
		--pck-crl "${PCKCRL:-$P/platform_crl.der}" --root-crl "$P/root_crl.der" \
		--trusted-root "$P/root.pem" "$@"
}

# a quote from the Platform-CA PCK: mkq OUT [tdx_mkquote option]...
mkq() {
	local out=$1
	shift
	"$MKQ" quote --out "$out" --pck-key "$P/pck.key" --pck-chain "$P/pck_chain.pem" "$@"
}
