#!/usr/bin/env bats
# Replays every cgs-measure record of ../shared/vectors/sev/vectors.jsonl (launch
# digests of sev-snp-measure 0.0.13 and the virtee/sev crate, expected errors, ID
# blocks). The sev-launch-measure records belong to cgs-verify and are skipped.

load ../helpers/common

setup_file() {
	[ -d "$VECTORS/sev" ] || return 0
	# the 64 MiB initrd of recipe B, generated once into a cache under the build
	local cache="$BUILD/cache/sev"
	mkdir -p "$cache"
	if [ ! -f "$cache/initrd-large.bin" ]; then
		"$BUILD/tests/helpers/sevgen" large-initrd "$cache/initrd-large.bin.tmp"
		mv "$cache/initrd-large.bin.tmp" "$cache/initrd-large.bin"
	fi
	local want
	want=$(jq -r 'select(.initrd.name == "initrd-large.bin") | .initrd.sha256' \
		"$VECTORS/sev/vectors.jsonl" | head -n 1)
	[ "$(sha256sum < "$cache/initrd-large.bin" | cut -d' ' -f1)" = "$want" ]
	# a folder with every input under the name the records use
	export SEVDIR="$BATS_FILE_TMPDIR/inputs"
	mkdir -p "$SEVDIR"
	ln -sf "$VECTORS"/sev/inputs/* "$SEVDIR/"
	ln -sf "$cache/initrd-large.bin" "$SEVDIR/initrd-large.bin"
}

setup() {
	require_vectors sev
	cd "$SEVDIR"
}

# Replay the records of one mode that carry oracle arguments; print failures.
replay_mode() { # mode
	local mode=$1 n=0 bad= id digest err args out rc
	while IFS=$'\t' read -r id digest err args; do
		n=$((n + 1))
		eval "set -- $args"
		out=$(cgs-measure "$@" 2>"$BATS_TEST_TMPDIR/err") && rc=0 || rc=$?
		if [ "$digest" != null ]; then
			[ "$rc" = 0 ] && [ "$out" = "$digest" ] || bad+=" $id(rc=$rc:$out)"
			continue
		fi
		# expected error: exit 65, the oracle's message (without "Error: "), stdout empty
		err=${err#Error: }
		if [ "$rc" != 65 ] || [ -n "$out" ] ||
			! grep -qiF -- "$err" "$BATS_TEST_TMPDIR/err"; then
			bad+=" $id(rc=$rc:$(cat "$BATS_TEST_TMPDIR/err"))"
		fi
	done < <(jq -r --arg m "$mode" 'select(.mode == $m and .cli_args != null) |
		[.id, (.digest // "null"), (.expected_error // "null"), (.cli_args | @sh)] | @tsv' \
		"$VECTORS/sev/vectors.jsonl")
	echo "# $mode: $n records replayed" >&3
	[ "$n" -gt 0 ]
	[ -z "$bad" ] || { echo "mismatch:$bad"; return 1; }
}

@test "every record is either replayed here or belongs to sev-launch-measure" {
	run -0 jq -r '.mode' "$VECTORS/sev/vectors.jsonl"
	local total=${#lines[@]} others
	[ "$total" -eq 93 ]
	others=$(printf '%s\n' "${lines[@]}" |
		grep -cvE '^(sev|seves|snp|snp:ovmf-hash|snp:svsm|snp-create-id-block|sev-launch-measure)$' || true)
	[ "$others" -eq 0 ]
}

@test "snp records: digests and expected errors" {
	replay_mode snp
}

@test "snp:ovmf-hash records" {
	replay_mode snp:ovmf-hash
}

@test "snp:svsm records" {
	replay_mode snp:svsm
}

@test "sev records: digests and expected errors (incl. the 64 MiB initrd)" {
	replay_mode sev
}

@test "seves records" {
	replay_mode seves
}

@test "legacy ec2 records (RDX 0) with --ec2-legacy" {
	local n=0 bad= id digest args
	while IFS=$'\t' read -r id digest args; do
		n=$((n + 1))
		eval "set -- $args"
		out=$(cgs-measure --mode snp --vmm-type ec2 --ec2-legacy "$@") || true
		[ "$out" = "$digest" ] || bad+=" $id"
	done < <(jq -r 'select(.cli_args == null and (.vmm_type // "" | startswith("ec2 (legacy"))) |
		[.id, .digest, ([ "--vcpus", (.vcpus|tostring), "--vcpu-type", .vcpu_type,
		  "--guest-features", .guest_features, "--ovmf", .ovmf.name ] +
		  (if .kernel then ["--kernel", .kernel.name] else [] end) +
		  (if .initrd then ["--initrd", .initrd.name] else [] end) +
		  (if .append != null then ["--append", .append] else [] end) | @sh)] | @tsv' \
		"$VECTORS/sev/vectors.jsonl")
	[ "$n" -eq 2 ]
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "--vmsa-fpu legacy gives the SEV-ES launch digest of sevctl's VMSA files (sevctl-launch-measure-004)" {
	local want
	want=$(jq -r 'select(.id == "sevctl-launch-measure-004") | .launch_digest' \
		"$VECTORS/sev/vectors.jsonl")
	[ "$(jq -r 'select(.id == "sevctl-launch-measure-004") | .inputs.num_cpus' \
		"$VECTORS/sev/vectors.jsonl")" = 4 ]
	cd "$BATS_TEST_TMPDIR"
	run -0 cgs-measure --mode seves --vcpus 4 --vcpu-type EPYC-Milan --vmsa-fpu legacy \
		--ovmf "$SEVDIR/OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9" --dump-vmsa
	[ "$output" = "$want" ]
	cmp vmsa0.bin "$VECTORS/sev/inputs/vmsa0.bin"
	cmp vmsa1.bin "$VECTORS/sev/inputs/vmsa1.bin"
}

@test "--output-format base64, -v and --json agree with the vector digests" {
	local n=0 bad= id digest args b64
	while IFS=$'\t' read -r id digest args; do
		n=$((n + 1))
		eval "set -- $args"
		b64=$(printf '%s' "$digest" | xxd -r -p | base64 -w0)
		[ "$(cgs-measure "$@" --output-format base64)" = "$b64" ] || bad+=" $id:b64"
		[ "$(cgs-measure "$@" --json | jq -r .measurement)" = "$digest" ] || bad+=" $id:json"
		[[ "$(cgs-measure "$@" -v 2>/dev/null)" == "Calculated "*" guest measurement: $digest" ]] ||
			bad+=" $id:verbose"
	done < <(jq -r 'select(.cli_args != null and .digest != null and
		(.mode == "snp" or .mode == "sev" or .mode == "seves" or .mode == "snp:svsm") and
		(.cli_args | index("initrd-large.bin") | not)) |
		[.id, .digest, (.cli_args | @sh)] | @tsv' "$VECTORS/sev/vectors.jsonl" | awk 'NR % 7 == 1')
	[ "$n" -ge 8 ]
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "--json inputs and intermediate values match the vectors' input digests" {
	run -0 cgs-measure --mode snp --vcpus 1 --vcpu-type EPYC-v4 --ovmf sid_OVMF.amdsev.fd \
		--kernel vmlinuz-6.1.0-50-cloud-amd64 --initrd initrd-small.cpio.gz \
		--append "console=ttyS0 loglevel=7" --json
	local j=$output rec
	rec=$(jq -c 'select(.id == "deb-snp-014")' "$VECTORS/sev/vectors.jsonl")
	[ "$(jq -r .schema_version <<<"$j")" = 1 ]
	[ "$(jq -r .tool <<<"$j")" = cgs-measure ]
	[ "$(jq -r .mode <<<"$j")" = snp ]
	[ "$(jq -r .digest_alg <<<"$j")" = sha384 ]
	[ "$(jq -r 'keys_unsorted | join(",")' <<<"$j")" = \
		"schema_version,tool,verb,mode,digest_alg,measurement,inputs,intermediate" ]
	[ "$(jq -r .measurement <<<"$j")" = "$(jq -r .digest <<<"$rec")" ]
	[ "$(jq -r .inputs.ovmf.sha256 <<<"$j")" = "$(jq -r .ovmf.sha256 <<<"$rec")" ]
	[ "$(jq -r .inputs.kernel.sha256 <<<"$j")" = "$(jq -r .kernel.sha256 <<<"$rec")" ]
	[ "$(jq -r .inputs.initrd.sha256 <<<"$j")" = "$(jq -r .initrd.sha256 <<<"$rec")" ]
	[ "$(jq -r .intermediate.cmdline_sha256 <<<"$j")" = \
		"$(printf 'console=ttyS0 loglevel=7\0' | openssl dgst -sha256 -r | cut -c1-64)" ]
	# the OVMF hash is what --mode snp:ovmf-hash prints (vector deb-snp_ovmf-hash-004)
	[ "$(jq -r .intermediate.ovmf_hash <<<"$j")" = \
		"$(jq -r 'select(.id == "deb-snp_ovmf-hash-004") | .digest' "$VECTORS/sev/vectors.jsonl")" ]
	[ "$(jq -r '.intermediate.vmsas | length' <<<"$j")" = 1 ]
	[ "$(jq -r '.intermediate.hashes_table | length' <<<"$j")" = 352 ]
}

# Verify an SNP signature structure (R, S little-endian, 72 bytes each) at an
# offset of a file with the openssl CLI: verify_snp_sig FILE OFFSET PUBPEM DATAFILE
verify_snp_sig() {
	local r s
	r=$(xxd -p -s "$2" -l 72 "$1" | tr -d '\n' | fold -w2 | tac | tr -d '\n')
	s=$(xxd -p -s $(($2 + 72)) -l 72 "$1" | tr -d '\n' | fold -w2 | tac | tr -d '\n')
	printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$r" "$s" \
		> "$BATS_TEST_TMPDIR/sig.cnf"
	openssl asn1parse -genconf "$BATS_TEST_TMPDIR/sig.cnf" -out "$BATS_TEST_TMPDIR/sig.der" \
		-noout >/dev/null
	openssl dgst -sha384 -verify "$3" -signature "$BATS_TEST_TMPDIR/sig.der" "$4" >/dev/null
}

@test "id-block records: ID block byte-exact, key digests, signatures verify" {
	local n=0 bad= id
	while IFS=$'\t' read -r id mb64 blk idk ak idd ad; do
		n=$((n + 1))
		run -0 cgs-measure id-block --measurement "$mb64" --id-key "$idk" --author-key "$ak" --json
		j=$output
		[ "$(jq -r .id_block <<<"$j")" = "$blk" ] || bad+=" $id:block"
		[ "$(jq -r .id_key_digest <<<"$j" | xxd -r -p | base64 -w0)" = "$idd" ] || bad+=" $id:idkey"
		[ "$(jq -r .author_key_digest <<<"$j" | xxd -r -p | base64 -w0)" = "$ad" ] ||
			bad+=" $id:authorkey"
		# the oracle's own option names and text output
		run -0 cgs-measure id-block --measurement "$mb64" --idkey "$idk" --authorkey "$ak"
		[[ ${lines[0]} == "id-block=$blk,id-auth="* ]] || bad+=" $id:text"
		[ "${lines[1]}" = "id_key_hash: $idd" ] || bad+=" $id:text-idkey"
		[ "${lines[2]}" = "author_key: $ad" ] || bad+=" $id:text-author"
		# id-auth (once: the keys are the same in every record): the public keys as
		# the vectors have them, the signatures verified by openssl
		[ "$n" = 1 ] || continue
		local t=$BATS_TEST_TMPDIR
		jq -r .id_auth <<<"$j" | base64 -d > "$t/auth.bin"
		jq -r .id_block <<<"$j" | base64 -d > "$t/block.bin"
		openssl pkey -in "$idk" -pubout -out "$t/id.pub"
		openssl pkey -in "$ak" -pubout -out "$t/author.pub"
		[ "$(xxd -p -s $((0x240)) -l 1028 "$t/auth.bin" | tr -d '\n')" = \
			"$(jq -r --arg i "$id" 'select(.id == $i) | .id_key_public_1028_hex' \
				"$VECTORS/sev/vectors.jsonl")" ] || bad+=" $id:idpub"
		[ "$(xxd -p -s $((0x880)) -l 1028 "$t/auth.bin" | tr -d '\n')" = \
			"$(jq -r --arg i "$id" 'select(.id == $i) | .author_key_public_1028_hex' \
				"$VECTORS/sev/vectors.jsonl")" ] || bad+=" $id:authorpub"
		head -c $((0x240 + 1028)) "$t/auth.bin" | tail -c 1028 > "$t/idpub.bin"
		verify_snp_sig "$t/auth.bin" $((0x40)) "$t/id.pub" "$t/block.bin" || bad+=" $id:blocksig"
		verify_snp_sig "$t/auth.bin" $((0x680)) "$t/author.pub" "$t/idpub.bin" ||
			bad+=" $id:keysig"
		[ "$(xxd -p -l 8 "$t/auth.bin")" = 0100000001000000 ] || bad+=" $id:algo"
	done < <(jq -r 'select(.mode == "snp-create-id-block") | [.id, .measurement_base64,
		.id_block_base64, .idkey.name, .authorkey.name, .id_key_digest_base64,
		.author_key_digest_base64] | @tsv' "$VECTORS/sev/vectors.jsonl")
	[ "$n" -eq 3 ]
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}
