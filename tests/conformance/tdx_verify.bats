#!/usr/bin/env bats
# Replays ../shared/vectors/tdx-quote/MANIFEST.json: every case gets the verdict,
# TCB status and details the reference checker (ref/tdx_quote_ref.py) decided,
# and every rejected case fails first at the check that corresponds to the
# reference's error code. Expected values are read from the MANIFEST, never
# written here.

load ../helpers/common

setup() {
	require_vectors tdx-quote
	T="$VECTORS/tdx-quote"
	M="$T/MANIFEST.json"
}

# the checks of cgs-verify tdx that a reference error code may surface as
declare -gA CHECKS_FOR=(
	[chain]="pck-chain"
	[expired]="pck-validity root-crl pck-crl tcb-signing tcb-info-validity qe-identity-validity"
	[crl]="root-crl pck-crl"
	[revoked]="root-crl pck-crl tcb-signing"
	[collateral]="tcb-signing tcb-info-signature qe-identity-signature"
	[collateral-sig]="tcb-info-signature qe-identity-signature"
	[tcbinfo-mismatch]="fmspc"
	[tdx-module]="tdx-module tcb-level"
	[qe-report-sig]="qe-report-signature"
	[qe-binding]="qe-binding"
	[qe-identity]="qe-identity"
	[quote-sig]="quote-signature"
	[tcb-not-supported]="tcb-level"
	[revoked-tcb]="tcb-level"
)

# the policy check a reference policy violation is reported by
violation_check() {
	case "$1" in
	DEBUG) echo debug ;;
	"SEPT_VE_DISABLE clear") echo sept-ve ;;
	"tcb_status "*) echo tcb-status ;;
	"mismatch report_data") echo report-data ;;
	"mismatch "*) echo "${1#mismatch }" ;;
	*) echo "?$1" ;;
	esac
}

# copy a file and XOR one byte: xor_copy SRC DST OFFSET VALUE
xor_copy() {
	cp "$1" "$2" && chmod u+w "$2" # the vectors are read-only
	local b
	b=$(od -An -tu1 -j "$3" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\x%02x' $((b ^ $4)))" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}

# run case number $1 of the MANIFEST; sets $output/$status and $CASE (its JSON)
run_case() {
	CASE=$(jq -c ".cases[$1]" "$M")
	local q tcb qe args=() k
	q="$T/$(jq -r .quote <<<"$CASE")"
	tcb="$T/$(jq -r .tcb_info <<<"$CASE")"
	qe="$T/$(jq -r .qe_identity <<<"$CASE")"
	while read -r tgt off x; do
		[ -n "$tgt" ] || continue
		case $tgt in
		quote) xor_copy "$q" "$BATS_TEST_TMPDIR/q.$1" "$off" "$x" && q="$BATS_TEST_TMPDIR/q.$1" ;;
		tcb_info) xor_copy "$tcb" "$BATS_TEST_TMPDIR/t.$1" "$off" "$x" && tcb="$BATS_TEST_TMPDIR/t.$1" ;;
		qe_identity) xor_copy "$qe" "$BATS_TEST_TMPDIR/e.$1" "$off" "$x" && qe="$BATS_TEST_TMPDIR/e.$1" ;;
		esac
	done < <(jq -r '.mutate // [] | .[] | "\(.[0]) \(.[1]) \(.[2])"' <<<"$CASE")
	if [ "$(jq -r .root <<<"$CASE")" != roots/intel_sgx_root_ca.der ]; then
		args+=(--trusted-root "$T/$(jq -r .root <<<"$CASE")")
	fi
	[ "$(jq -r '.qe_chain // empty' <<<"$CASE")" ] && args+=(--qe-identity-chain "$T/$(jq -r .qe_chain <<<"$CASE")")
	for k in $(jq -r '.policy.accept_status // [] | .[] | select(. != "UpToDate")' <<<"$CASE"); do
		args+=(--allow-tcb-status "$k")
	done
	[ "$(jq -r '.policy.allow_debug // false' <<<"$CASE")" = true ] && args+=(--allow-debug)
	[ "$(jq -r '.policy.require_sept_ve_disable // true' <<<"$CASE")" = false ] && args+=(--allow-sept-ve)
	while read -r k v; do
		[ -n "$k" ] || continue
		case $k in
		xfam) args+=(--xfam "0x$(echo "$v" | fold -w2 | tac | tr -d '\n')") ;;
		report_data) args+=(--report-data "$v") ;;
		*) args+=("--$k" "$v") ;;
		esac
	done < <(jq -r '.policy.expect // {} | to_entries[] | "\(.key) \(.value)"' <<<"$CASE")
	run cgs-verify tdx --json --quote "$q" --tcb-info "$tcb" --qe-identity "$qe" \
		--tcb-signing-chain "$T/$(jq -r .tcb_chain <<<"$CASE")" \
		--pck-crl "$T/$(jq -r .pck_crl <<<"$CASE")" --root-crl "$T/$(jq -r .root_crl <<<"$CASE")" \
		--at "$(jq -r .at <<<"$CASE")" "${args[@]}"
}

# compare the run with the MANIFEST's expectation; prints what differs
check_case() {
	local name exp err want first got v pv=() c
	name=$(jq -r .name <<<"$CASE")
	exp=$(jq -r .expect.verdict <<<"$CASE")
	if [ "$exp" = invalid ]; then
		err=$(jq -r .expect.error <<<"$CASE")
		if [ "$err" = format ]; then
			[ "$status" -eq 65 ] || { echo "$name: exit $status, expected 65 (format)"; return 1; }
			return 0
		fi
		[ "$status" -eq 2 ] || { echo "$name: exit $status, expected 2"; return 1; }
		first=$(jq -r '[.checks[] | select(.result == "fail")][0].name' <<<"$output")
		[[ " ${CHECKS_FOR[$err]} " == *" $first "* ]] ||
			{ echo "$name: first failed check '$first', expected one of '${CHECKS_FOR[$err]}' ($err)"; return 1; }
		return 0
	fi
	# valid: every authenticity check passes; TCB details as the reference computed
	got=$(jq -r '[.checks[] | select(.name | IN("format","pck-chain","pck-validity","tcb-signing",
		"tcb-info-signature","tcb-info-validity","fmspc","qe-identity-signature",
		"qe-identity-validity","tdx-module","qe-report-signature","qe-binding","qe-identity",
		"quote-signature","tcb-level","root-crl","pck-crl")) | select(.result != "pass") | .name] | join(" ")' <<<"$output")
	[ -z "$got" ] || { echo "$name: not passed: $got"; return 1; }
	[ "$(jq -r .tcb_status <<<"$output")" = "$(jq -r .expect.tcb_status <<<"$CASE")" ] ||
		{ echo "$name: tcb_status $(jq -r .tcb_status <<<"$output")"; return 1; }
	for k in platform_tcb_status tdx_module_status qe_tcb_status fmspc tcb_eval_num; do
		[ "$(jq -r ".$k" <<<"$output")" = "$(jq -r ".expect.detail.$k" <<<"$CASE")" ] ||
			{ echo "$name: $k $(jq -r ".$k" <<<"$output")"; return 1; }
	done
	[ "$(jq -r .tcb_date <<<"$output")" = "$(jq -r .expect.detail.tcb_level_date <<<"$CASE")" ] ||
		{ echo "$name: tcb_date"; return 1; }
	[ "$(jq -c .advisory_ids <<<"$output")" = "$(jq -c .expect.detail.advisory_ids <<<"$CASE")" ] ||
		{ echo "$name: advisory_ids $(jq -c .advisory_ids <<<"$output")"; return 1; }
	while IFS= read -r v; do
		[ -n "$v" ] && pv+=("$(violation_check "$v")")
	done < <(jq -r '.expect.policy_violations[]' <<<"$CASE")
	c=$(failed)
	[ "$c" = "${pv[*]}" ] || { echo "$name: failed policy checks '$c', expected '${pv[*]}'"; return 1; }
	[ "$status" -eq "$([ ${#pv[@]} -eq 0 ] && echo 0 || echo 2)" ] || { echo "$name: exit $status"; return 1; }
}

replay() { # jq selector of case names
	local n i bad=0 seen=0
	n=$(jq '.cases | length' "$M")
	for ((i = 0; i < n; i++)); do
		jq -e ".cases[$i] | $1" "$M" >/dev/null || continue
		seen=$((seen + 1))
		run_case "$i"
		check_case || bad=$((bad + 1))
	done
	echo "$seen cases, $bad differ"
	[ "$seen" -gt 0 ] && [ "$bad" -eq 0 ]
}

@test "tdx vectors: the MANIFEST holds 32 cases" {
	[ "$(jq '.cases | length' "$M")" -eq 32 ]
}

@test "tdx vectors: the real quotes get the reference's verdict, TCB status and details" {
	replay '(.name | test("^(mut|policy)-") | not)'
}

@test "tdx vectors: every mutation is rejected by the check the reference names" {
	replay '.name | startswith("mut-")'
}

@test "tdx vectors: the policy cases report exactly the reference's violations" {
	replay '.name | startswith("policy-")'
}

@test "tdx vectors: the pinned root is the vectors' Intel SGX Root CA, by fingerprint" {
	[ "$(sha256sum <"$T/roots/intel_sgx_root_ca.der" | cut -c1-64)" = \
		44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3 ]
	C="$T/dcap-qvl/collateral-2025-06"
	run cgs-verify tdx --json --quote "$T/dcap-qvl/tdx_quote" --collateral "$C" \
		--trusted-root "$T/roots/intel_sgx_root_ca.der" --at 2025-06-20T00:00:00Z
	[ "$status" -eq 0 ]
	# the QVL sample root has the same subject and another key: refused
	run cgs-verify tdx --json --quote "$T/dcap-qvl/tdx_quote" --collateral "$C" \
		--trusted-root "$T/roots/NOT-intel-qvl-sample-root.pem" --at 2025-06-20T00:00:00Z
	[ "$status" -eq 2 ]
	[ "$(check_result pck-chain)" = fail ]
}

@test "tdx vectors: --collateral DIR takes the conventional names" {
	run cgs-verify tdx --json --quote "$T/dcap-qvl/tdx_quote" \
		--collateral "$T/dcap-qvl/collateral-2025-06" --at 2025-06-20T00:00:00Z
	[ "$status" -eq 0 ]
	[ "$(jq -r .tcb_status <<<"$output")" = UpToDate ]
	[ "$(jq -r .pck_ca <<<"$output")" = "Intel SGX PCK Platform CA" ]
}

@test "tdx vectors: show decodes v4 and v5 quotes as the MANIFEST does" {
	local n i q
	n=$(jq '.cases | length' "$M")
	for ((i = 0; i < n; i++)); do
		jq -e ".cases[$i] | (.mutate | not) and (.name | startswith(\"policy-\") | not)" "$M" >/dev/null || continue
		q="$T/$(jq -r ".cases[$i].quote" "$M")"
		run cgs-verify tdx show --json --quote "$q"
		[ "$status" -eq 0 ]
		for f in mrtd rtmr0 rtmr1 rtmr2 rtmr3 report_data mrseam tee_tcb_svn; do
			[ "$(jq -r ".quote.body.$f" <<<"$output")" = "$(jq -r ".cases[$i].decoded.$f" "$M")" ] ||
				{ echo "case $i: $f"; return 1; }
		done
		[ "$(jq -r .quote.version <<<"$output")" = "$(jq -r ".cases[$i].decoded.version" "$M")" ]
		[ "$(jq -r .quote.trailing_bytes <<<"$output")" = "$(jq -r ".cases[$i].decoded.trailing_bytes" "$M")" ]
	done
}
