#!/usr/bin/env bats
# Replays ../shared/vectors/s390: rebuilds the C genprotimg oracle images and
# the pvimg-layout model images byte for byte from their recorded secrets,
# checks the upstream header known answers through s390-info, and replays the
# host-key-document verification matrix through the command line.

load ../helpers/common

S390=
setup() {
	require_vectors s390
	S390="$VECTORS/s390"
	IN="$S390/oracle/genprotimg-c/inputs"
}

hexfile() { # hex out
	printf '%s' "$1" | xxd -r -p > "$2"
}

@test "every C genprotimg oracle image is rebuilt byte for byte (--x-layout genprotimg)" {
	local n=0
	for dir in "$S390"/oracle/genprotimg-c/*/; do
		[ -f "$dir/case.json" ] || continue
		c=$(basename "$dir")
		j="$dir/case.json"
		hexfile "$(jq -r .secrets.header_protection_key "$j")" "$BATS_TEST_TMPDIR/$c.hk"
		hexfile "$(jq -r .secrets.xts_key "$j")" "$BATS_TEST_TMPDIR/$c.xk"
		hexfile "$(jq -r .secrets.cck "$j")" "$BATS_TEST_TMPDIR/$c.cck"
		# the recorded argv minus program, output and the key files we pass ourselves
		mapfile -t argv < <(jq -r '.argv[1:] | . as $a | [range(0; length) |
			select($a[.] != "-o" and $a[.] != "<case>/se.img" and
			       ($a[.] | test("^--(x-header-key|x-comp-key|comm-key)$") | not) and
			       (. == 0 or ($a[. - 1] | test("^--(x-header-key|x-comp-key|comm-key)$") | not)))
			| $a[.]] | .[]' "$j")
		tw=()
		for i in 0 1 2 3; do
			r=$(jq -r ".secrets.tweak_random_6B[\"$i\"] // empty" "$j")
			name=(kernel parmline ramdisk stage3b)
			[ -n "$r" ] && tw+=(--x-tweak "${name[$i]}=$r")
		done
		(cd "$IN" && cgs-mkimage s390-pv "${argv[@]}" --x-layout genprotimg --loader-dir . \
			--x-header-key "$BATS_TEST_TMPDIR/$c.hk" --x-comp-key "$BATS_TEST_TMPDIR/$c.xk" \
			--comm-key "$BATS_TEST_TMPDIR/$c.cck" --x-cust-key cust_priv.bin \
			--x-header-iv "$(jq -r .secrets.gcm_iv "$j")" "${tw[@]}" \
			-o "$BATS_TEST_TMPDIR/$c.img" 2>"$BATS_TEST_TMPDIR/$c.err") ||
			{ cat "$BATS_TEST_TMPDIR/$c.err"; false; }
		cmp "$BATS_TEST_TMPDIR/$c.img" "$dir/se.img" || { echo "$c differs"; false; }
		cgs-mkimage s390-extract-header "$BATS_TEST_TMPDIR/$c.img" -o "$BATS_TEST_TMPDIR/$c.hdr"
		cmp "$BATS_TEST_TMPDIR/$c.hdr" "$dir/sehdr.bin"
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "both pvimg-layout model images are rebuilt byte for byte (default layout, pvimg names)" {
	for c in p1_basic p2_two_hosts_flags; do
		j="$S390/model/pvimg/$c/case.json"
		draw() { jq -r ".rng_model.draws[] | select(.what == \"$1\") | .hex" "$j"; }
		mapfile -t argv < <(jq -r '.equivalent_argv[2:] | . as $a | [range(0; length) |
			select($a[.] != "-o" and $a[.] != "<case>/se.img") | $a[.]] | .[]' "$j")
		(cd "$IN" && cgs-mkimage s390-pv "${argv[@]}" --x-cust-key cust_priv.bin \
			--x-header-iv "$(draw gcm_iv)" --x-tweak "kernel=$(draw tweak_kernel)" \
			--x-tweak "ramdisk=$(draw tweak_ramdisk)" --x-tweak "parmline=$(draw tweak_cmdline)" \
			--x-tweak "stage3b=$(draw tweak_stage3b)" -o "$BATS_TEST_TMPDIR/$c.img" 2>/dev/null)
		cmp "$BATS_TEST_TMPDIR/$c.img" "$S390/model/pvimg/$c/se.img"
		cgs-mkimage s390-extract-header "$BATS_TEST_TMPDIR/$c.img" -o "$BATS_TEST_TMPDIR/$c.hdr"
		cmp "$BATS_TEST_TMPDIR/$c.hdr" "$S390/model/pvimg/$c/sehdr.bin"
	done
}

@test "s390-info shows the tags of the upstream real header (brcb.rs known answer)" {
	run -0 cgs-mkimage s390-info --json "$S390/upstream/pv/exp/secure_guest.hdr"
	for t in pld ald tld tag; do
		want=$(jq -r ".secure_guest_hdr.expected_tags.$t" "$S390/extracted/kat.json")
		[ "$(jq -r ".header.$t" <<<"$output")" = "$want" ]
	done
	[ "$(jq -r .layout <<<"$output")" = null ]
}

@test "s390-info decrypts the C oracle header with the recorded header key" {
	j="$S390/oracle/genprotimg-c/c1_basic/case.json"
	run -0 cgs-mkimage s390-info --json --hdr-key "$IN/hdr_key.bin" --show-secrets \
		"$S390/oracle/genprotimg-c/c1_basic/se.img"
	[ "$(jq -r .decrypted.image_key <<<"$output")" = "$(jq -r .secrets.xts_key "$j")" ]
	[ "$(jq -r .decrypted.cck <<<"$output")" = "$(jq -r .secrets.cck "$j")" ]
	[ "$(jq -r .decrypted.psw_addr <<<"$output")" = "$(jq -r .header_psw.addr "$j")" ]
	[ "$(jq -r .header.pld <<<"$output")" = "$(jq -r .se_header.pld "$j")" ]
	[ "$(jq -r .layout <<<"$output")" = genprotimg ]
	[ "$(jq -r '.ipib.components | length' <<<"$output")" = 4 ]
}

@test "the host-key-document verification matrix is reproduced through the command line" {
	m="$S390/oracle/hkd_verify_matrix.json"
	local n=0
	# one line per case: name, expected rc, reason, then the arguments (tab-separated)
	while IFS=$'\t' read -r -a row; do
		c=${row[0]} want=${row[1]} reason=${row[2]}
		args=("${row[@]:3}")
		cd "$S390/upstream/pv/cert"
		run --separate-stderr cgs-mkimage s390-pv "${args[@]}" -i "$IN/kernel.bin" \
			-r "$IN/ramdisk.bin" --loader-dir "$IN" -o "$BATS_TEST_TMPDIR/$c.img"
		cd - >/dev/null
		if [ "$want" = 0 ]; then
			[ "$status" -eq 0 ] || { echo "$c: $stderr"; false; }
			[ -f "$BATS_TEST_TMPDIR/$c.img" ]
		else
			[ "$status" -eq 2 ] || { echo "$c: status $status: $stderr"; false; }
			[ ! -e "$BATS_TEST_TMPDIR/$c.img" ]
			[[ $stderr == *"$reason"* ]] || { echo "$c: '$stderr' lacks '$reason'"; false; }
		fi
		n=$((n + 1))
	done < <(jq -r '.cases | to_entries[] | [.key, (.value.genprotimg_v2_35_rc | tostring),
		(.value.genprotimg_msg | sub(".*: "; "") | if . == "" then "-" else . end), .value.args[]] | @tsv' "$m")
	[ "$n" -eq 31 ]
}

@test "pvimg unit-test known answers: flag words, 95-slot limit, short PSW, metadata block" {
	k="$S390/extracted/pvimg_kat.json"
	common=(-i "$IN/kernel.bin" -k "$IN/host.crt" --no-verify --loader-dir "$IN")
	run -0 --separate-stderr cgs-mkimage s390-pv "${common[@]}" --enable-dump --enable-cck-update \
		-o "$BATS_TEST_TMPDIR/f.img" --json
	want=$(jq -r .control_flags.create_enable_dump_and_enable_cck_update.pcf "$k")
	[ "$(jq -r .header.pcf <<<"$output")" = "0x${want#0x00000000}" ]
	want=$(jq -r .control_flags.create_enable_dump_and_enable_cck_update.scf "$k")
	[ "$(jq -r .scf <<<"$output")" = "$want" ]
	ks=()
	for i in $(seq 95); do ks+=(-k "$IN/host.crt"); done
	run -0 --separate-stderr cgs-mkimage s390-pv -i "$IN/kernel.bin" "${ks[@]}" --no-verify \
		--loader-dir "$IN" -o "$BATS_TEST_TMPDIR/95.img" --json
	[ "$(jq -r .header.size <<<"$output")" = "$(jq -r .max_key_slots.slots_95_header_size "$k")" ]
	run -65 cgs-mkimage s390-pv -i "$IN/kernel.bin" "${ks[@]}" -k "$IN/host.crt" --no-verify \
		--loader-dir "$IN" -o "$BATS_TEST_TMPDIR/96.img"
	[ "$(xxd -l 8 -p "$BATS_TEST_TMPDIR/f.img")" = "$(jq -r .short_psw.ok.short_psw "$k" | sed 's/^0x//')" ]
	# the metadata block of the model image, as the Rust se_img_metadata_v1 test lays it out
	m=$(jq -r .image_metadata.bytes "$k")
	[ "$(xxd -s 0xc000 -l 8 -p "$BATS_TEST_TMPDIR/f.img")" = "${m:0:16}" ]
	[ "$(xxd -s 0xc010 -l 4 -p "$BATS_TEST_TMPDIR/f.img")" = "${m:32:8}" ]
}
