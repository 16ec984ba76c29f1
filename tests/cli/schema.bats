#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The JSON Schemas (schema/): valid, printed by --print-schema on every verb
# with --json, self-contained when printed, and enforced on every --json output
# of the test suite (tests/helpers/json-wrap, wired in by common.bash).

load ../helpers/common

CHECK="$TOP/tests/helpers/json-check"

# every "tool verb [sub-verb]" that prints JSON, one per line
json_verbs() {
	local t v s subs
	for t in cgs-measure cgs-mkimage cgs-verify; do
		for v in $("$t" --list-verbs); do
			subs=$("$t" "$v" --list-verbs 2>/dev/null) || subs=
			for s in ${subs:-""}; do
				"$t" "$v" $s --list-options 2>/dev/null | grep -q '^--print-schema' &&
					echo "$t $v${s:+ $s}"
			done
		done
	done
}

# a synthetic SNP report and its `snp show` document
snp_show_doc() {
	openssl ecparam -name secp384r1 -genkey -noout -out "$BATS_TEST_TMPDIR/k.pem" 2>/dev/null
	"$BUILD/tests/helpers/snp_mkreport" --out "$BATS_TEST_TMPDIR/r.bin" --key "$BATS_TEST_TMPDIR/k.pem"
	"$CGS_REAL_BIN/cgs-verify" snp show --report "$BATS_TEST_TMPDIR/r.bin" --json \
		> "$BATS_TEST_TMPDIR/doc.json"
}

@test "schema: every schema/*.schema.json is a valid 2020-12 schema with the right \$id" {
	run -0 "$CHECK" --check-schemas
	for f in "$TOP"/schema/*.schema.json; do
		n=${f##*/}
		[ "$(jq -r '."$schema"' "$f")" = https://json-schema.org/draft/2020-12/schema ]
		[ "$(jq -r '."$id"' "$f")" = "https://cgs.invalid/schema/1/$n" ] ||
			{ echo "$n: wrong \$id"; false; }
	done
}

@test "schema: every verb with --json prints its own schema with --print-schema" {
	local n=0 line name
	while read -r line; do
		name=$(tr ' ' - <<<"$line")
		# a default sub-verb ("snp verify") is its verb's command: "verb": "snp"
		if [ "$(wc -w <<<"$line")" -eq 3 ] && [ "$($line --help)" = "$(${line% *} --help)" ]; then
			name=$(tr ' ' - <<<"${line% *}")
		fi
		# the digest verb is the default of cgs-measure
		[ "$line" = "cgs-measure digest" ] && line=cgs-measure
		run -0 $line --print-schema
		[ "$(jq -r '."$id"' <<<"$output")" = "https://cgs.invalid/schema/1/$name.schema.json" ] ||
			{ echo "$line: $(head -c 300 <<<"$output")"; false; }
		cmp -s <(jq -S 'del(."$defs")' <<<"$output") \
			<(jq -S 'del(."$defs")' "$TOP/schema/$name.schema.json") ||
			{ echo "$line --print-schema differs from schema/$name.schema.json"; false; }
		n=$((n + 1))
	done < <(json_verbs)
	[ "$n" -ge 15 ]
}

@test "schema: the printed schema is self-contained (the common shapes embedded)" {
	snp_show_doc
	cgs-verify snp show --print-schema > "$BATS_TEST_TMPDIR/s.json"
	mkdir "$BATS_TEST_TMPDIR/none"
	# no schema files to fall back on: the bundle alone validates the document
	CGS_SCHEMA_DIR="$BATS_TEST_TMPDIR/none" run -0 "$CHECK" --schema "$BATS_TEST_TMPDIR/s.json" \
		"$BATS_TEST_TMPDIR/doc.json"
	# and still rejects a broken one
	jq '.report.measurement = "xyz"' "$BATS_TEST_TMPDIR/doc.json" > "$BATS_TEST_TMPDIR/bad.json"
	CGS_SCHEMA_DIR="$BATS_TEST_TMPDIR/none" run -1 "$CHECK" --schema "$BATS_TEST_TMPDIR/s.json" \
		"$BATS_TEST_TMPDIR/bad.json"
	[[ $output == *"/report/measurement"* ]]
}

@test "schema: json-check rejects documents that break the contract" {
	snp_show_doc
	d=$BATS_TEST_TMPDIR
	run -0 "$CHECK" "$d/doc.json"
	jq 'del(.verb)' "$d/doc.json" > "$d/1.json"
	run -1 "$CHECK" "$d/1.json"
	[[ $output == *'no "tool" and "verb"'* ]]
	jq '.verb = "snp nothing"' "$d/doc.json" > "$d/2.json"
	run -1 "$CHECK" "$d/2.json"
	[[ $output == *"no schema cgs-verify-snp-nothing.schema.json"* ]]
	jq '{tool, schema_version} + .' "$d/doc.json" > "$d/3.json"
	run -1 "$CHECK" "$d/3.json"
	[[ $output == *"does not begin with schema_version, tool, verb"* ]]
	jq '.report.vmpl = "0"' "$d/doc.json" > "$d/4.json"
	run -1 "$CHECK" "$d/4.json"
	[[ $output == *"/report/vmpl"* ]]
}

@test "schema: the test wrapper fails a run whose JSON output breaks its schema" {
	d=$BATS_TEST_TMPDIR/fake
	mkdir -p "$d"
	# a stand-in tool that prints a bad verdict
	cat >"$d/cgs-verify" <<'SH'
#!/bin/sh
echo '{"schema_version": 1, "tool": "cgs-verify", "verb": "snp", "verified": "no"}'
echo 'a warning' >&2
exit 2
SH
	chmod +x "$d/cgs-verify"
	ln -s "$TOP/tests/helpers/json-wrap" "$BATS_TEST_TMPDIR/cgs-verify"
	CGS_REAL_BIN=$d run --separate-stderr "$BATS_TEST_TMPDIR/cgs-verify" snp --json
	[ "$status" -eq 70 ]
	[[ $stderr == "a warning"*"does not match its schema"*"verified"* ]]
	# stdout is passed on as the tool wrote it, the exit status too when valid
	[ "$output" = '{"schema_version": 1, "tool": "cgs-verify", "verb": "snp", "verified": "no"}' ]
	# a valid document passes, with the tool's own exit status
	snp_show_doc
	printf '#!/bin/sh\ncat %s\nexit 2\n' "$BATS_TEST_TMPDIR/doc.json" >"$d/cgs-verify"
	CGS_REAL_BIN=$d run -2 "$BATS_TEST_TMPDIR/cgs-verify" snp show --json
	cmp <(printf '%s\n' "$output") "$BATS_TEST_TMPDIR/doc.json"
	# a stdout that is not a pipe or a file is the tool's own (not checked)
	printf '#!/bin/sh\necho "{}"\n' >"$d/cgs-verify"
	CGS_REAL_BIN=$d run -0 sh -c '"$0" snp --json >/dev/null' "$BATS_TEST_TMPDIR/cgs-verify"
	CGS_REAL_BIN=$d run -70 "$BATS_TEST_TMPDIR/cgs-verify" snp --json
	# the real tools are wrapped in this suite
	[ "$(command -v cgs-verify)" = "$BATS_RUN_TMPDIR/json-wrap/cgs-verify" ]
	"$CGS_REAL_BIN/cgs-verify" snp show --report "$BATS_TEST_TMPDIR/r.bin" --json=short \
		> "$BATS_TEST_TMPDIR/real.json"
	cgs-verify snp show --report "$BATS_TEST_TMPDIR/r.bin" --json=short > "$BATS_TEST_TMPDIR/out.json"
	cmp "$BATS_TEST_TMPDIR/real.json" "$BATS_TEST_TMPDIR/out.json"
}

@test "schema: every verdict has the verdict shape and documents its evidence" {
	for f in "$TOP"/schema/cgs-verify-*.schema.json; do
		grep -q '"\$ref": "common.schema.json#/\$defs/header"' "$f" ||
			{ echo "${f##*/} lacks the header"; false; }
	done
	for v in snp sev sev-chain pef s390-verify tdx; do
		grep -q '"\$ref": "common.schema.json#/\$defs/verdict"' "$TOP/schema/cgs-verify-$v.schema.json" ||
			{ echo "cgs-verify-$v lacks the verdict shape"; false; }
	done
}
