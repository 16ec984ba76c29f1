#!/usr/bin/env bats
# cgs-measure --mode tdx on generated inputs: output forms, the options that
# change a value, streaming, and every refusal with its exit code and field.

load ../helpers/common

setup_file() {
	local g="$BUILD/tests/helpers/tdxgen" t=$BATS_FILE_TMPDIR
	"$g" fw "$t/fw.fd" --pk
	"$g" fw "$t/nopk.fd"
	"$g" fw "$t/notdx.fd" --no-tdx
	"$g" fw "$t/trunc.fd" --truncate
	"$g" fw "$t/overlap.fd" --overlap
	"$g" fw "$t/guid.fd" --bad-guid
	"$g" fw "$t/v2.fd" --version 2
	"$g" kernel "$t/vmlinuz" 0x20000
	"$g" acpi "$t/tables"
	head -c 100000 /dev/urandom > "$t/initrd"
	: > "$t/empty"
}

setup() {
	T=$BATS_FILE_TMPDIR
	BASE=(--mode tdx --ovmf "$T/fw.fd" --kernel "$T/vmlinuz" --acpi-tables "$T/tables")
}

hex96() { [[ $1 =~ ^[0-9a-f]{96}$ ]]; }

@test "text: one 'name: hex' line per register" {
	run -0 cgs-measure "${BASE[@]}" --append "console=ttyS0" --memory 2G
	[ "${#lines[@]}" = 5 ]
	for i in 0 1 2 3 4; do
		name=${lines[i]%%: *}
		[ "$name" = "$( ((i == 0)) && echo mrtd || echo rtmr$((i - 1)))" ]
		hex96 "${lines[i]#*: }"
	done
	[ "${lines[4]}" = "rtmr3: $(printf '0%.0s' {1..96})" ]
}

@test "json: the keys cgs-verify reads, every event, every input" {
	run -0 cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append "a b" --memory 3G --json
	[ "$(jq -r '[.schema_version, .tool, .mode, .digest_alg] | @tsv' <<<"$output")" = \
		"$(printf '1\tcgs-measure\ttdx\tsha384')" ]
	for k in mrtd rtmr0 rtmr1 rtmr2 rtmr3; do hex96 "$(jq -r ".$k" <<<"$output")"; done
	[ "$(jq '.events | length' <<<"$output")" = 20 ]
	[ "$(jq -r '.notes | length' <<<"$output")" = 0 ]
	[ "$(jq -r '.inputs | [.memory_bytes, .mrtd_order, .separator, .append, .initrd.size] | @tsv' \
		<<<"$output")" = "$(printf '3221225472\tinterleaved\trtmr1\ta b\t100000')" ]
	# replaying the events gives the registers
	run -0 jq -r '.events[] | "\(.rtmr) \(.digest) \(.rtmr_after)"' <<<"$output"
	local -a reg=(000 000 000 000) r
	reg=("$(printf '0%.0s' {1..96})" "$(printf '0%.0s' {1..96})" "$(printf '0%.0s' {1..96})" "")
	for line in "${lines[@]}"; do
		read -r i dg after <<<"$line"
		r=$( (printf '%s%s' "${reg[i]}" "$dg" | xxd -r -p) | openssl dgst -sha384 -r | cut -d' ' -f1)
		[ "$r" = "$after" ]
		reg[i]=$r
	done
}

@test "the initrd event is its SHA-384, streamed, as openssl computes it" {
	run -0 cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append x --json
	[ "$(jq -r '.events[] | select(.event == "EV_EVENT_TAG Linux initrd") | .digest' <<<"$output")" = \
		"$(openssl dgst -sha384 -r "$T/initrd" | cut -d' ' -f1)" ]
	# a pipe works too (the initrd is read once, before the kernel is patched)
	run -0 cgs-measure "${BASE[@]}" --initrd /dev/stdin --append x --json < "$T/initrd"
	[ "$(jq -r '.events[] | select(.event == "EV_EVENT_TAG Linux initrd") | .digest' <<<"$output")" = \
		"$(openssl dgst -sha384 -r "$T/initrd" | cut -d' ' -f1)" ]
}

@test "the command line event is UTF-16LE with ' initrd=initrd' and a NUL" {
	run -0 cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append "root=/dev/vda" --json
	want=$(printf 'root=/dev/vda initrd=initrd\0' | iconv -f ascii -t utf-16le | openssl dgst -sha384 -r | cut -d' ' -f1)
	[ "$(jq -r '.events[] | select(.rtmr == 2 and .type == "EV_EVENT_TAG") | .digest' <<<"$output" | head -n 1)" = "$want" ]
	run -0 cgs-measure "${BASE[@]}" --json
	[ "$(jq '[.events[] | select(.rtmr == 2)] | length' <<<"$output")" = 0 ]
	[ "$(jq -r .rtmr2 <<<"$output")" = "$(printf '0%.0s' {1..96})" ]
}

@test "each option changes exactly the registers it should" {
	local ref; ref=$(cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append x --memory 2G --json=short)
	get() { jq -r '[.mrtd, .rtmr0, .rtmr1, .rtmr2] | map(.[0:8]) | join(" ")' <<<"$1"; }
	diffs() { # which of mrtd rtmr0 rtmr1 rtmr2 differ from ref
		local a b n=(mrtd rtmr0 rtmr1 rtmr2) out=
		read -ra a <<<"$(get "$ref")"
		read -ra b <<<"$(get "$1")"
		for i in 0 1 2 3; do [ "${a[i]}" = "${b[i]}" ] || out+="${out:+ }${n[i]}"; done
		echo "$out"
	}
	[ "$(diffs "$(cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append x --memory 2G --mrtd-order two-pass --json)")" = mrtd ]
	[ "$(diffs "$(cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append x --memory 2G --separator rtmr0 --json)")" = "rtmr0 rtmr1" ]
	[ "$(diffs "$(cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append y --memory 2G --json)")" = rtmr2 ]
	# memory: the TD HOB (RTMR0) and, with an initrd, where QEMU puts it (RTMR1 kernel patch)
	[ "$(diffs "$(cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append x --memory 1G --json)")" = "rtmr0 rtmr1" ]
	[ "$(diffs "$(cgs-measure "${BASE[@]}" --initrd "$T/initrd" --append x --memory 2048 --json)")" = "" ]
	[ "$(diffs "$(cgs-measure "${BASE[@]/$T\/fw.fd/$T/nopk.fd}" --initrd "$T/initrd" --append x --memory 2G --json)")" = rtmr0 ]
}

@test "without --acpi-tables RTMR0 is left out and the output says why" {
	run -0 cgs-measure --mode tdx --ovmf "$T/fw.fd" --kernel "$T/vmlinuz"
	[[ ${lines[1]} == "rtmr0: not computed: needs --acpi-tables"* ]]
	hex96 "${lines[2]#rtmr1: }"
	run -0 cgs-measure --mode tdx --ovmf "$T/fw.fd" --kernel "$T/vmlinuz" --json
	[ "$(jq -r 'has("rtmr0")' <<<"$output")" = false ]
	[[ $(jq -r '.notes[0]' <<<"$output") == "rtmr0 not computed: needs --acpi-tables"* ]]
	[ "$(jq '[.events[] | select(has("digest") | not)] | length' <<<"$output")" = 3 ]
}

@test "without --kernel: MRTD only" {
	run -0 cgs-measure --mode tdx --ovmf "$T/fw.fd"
	hex96 "${lines[0]#mrtd: }"
	[[ ${lines[1]} == "rtmr0: not computed: needs --kernel"* ]]
	run -0 cgs-measure --mode tdx --ovmf "$T/fw.fd" --json
	[ "$(jq -c '[has("rtmr0"), has("rtmr3"), (.events | length), (.notes | length)]' <<<"$output")" = '[false,false,0,4]' ]
}

@test "malformed TDVF metadata: 65 naming the field, nothing on stdout" {
	for c in "notdx:tdx_metadata_offset" "trunc:number_of_section_entry" \
		"overlap:memory_address" "guid:tdvf_guid" "v2:version"; do
		run --separate-stderr cgs-measure --mode tdx --ovmf "$T/${c%%:*}.fd"
		[ "$status" = 65 ] || { echo "$c: status $status"; false; }
		[ -z "$output" ]
		[[ $stderr == "cgs-measure: failed to parse '$T/${c%%:*}.fd': "*"(field '${c#*:}')" ]] ||
			{ echo "$c: $stderr"; false; }
	done
	run -65 --separate-stderr cgs-measure --mode tdx --ovmf "$T/notdx.fd"
	[[ $stderr == *"cannot boot a TD"* ]]
}

@test "bad inputs: missing files 66, bad kernel or tables 65" {
	run -66 --separate-stderr cgs-measure --mode tdx --ovmf "$T/nope.fd"
	run -66 --separate-stderr cgs-measure "${BASE[@]/$T\/vmlinuz/$T/nope}"
	[[ $stderr == *"'$T/nope'"* ]]
	run -66 --separate-stderr cgs-measure "${BASE[@]}" --initrd "$T/nope"
	run -65 --separate-stderr cgs-measure "${BASE[@]/$T\/vmlinuz/$T/tables}"
	[[ $stderr == *"(field 'e_magic')"* || $stderr == *"(field 'setup_sects')"* ]]
	run -65 --separate-stderr cgs-measure "${BASE[@]/$T\/tables/$T/initrd}"
	run -65 --separate-stderr cgs-measure "${BASE[@]}" --initrd "$T/empty"
	[[ $stderr == *"empty initrd"* ]]
	run -66 --separate-stderr cgs-measure "${BASE[@]/$T\/vmlinuz/$T}"
}

@test "usage errors: 64" {
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --memory 2X
	[[ $stderr == *"invalid memory size '2X'"* ]]
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --memory 0
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --mrtd-order random
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --separator rtmr2
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --vcpus 4
	[[ $stderr == *"'--vcpus' is not used in mode 'tdx'"* ]]
	run -64 --separate-stderr cgs-measure --mode snp --vcpus 1 --vcpu-type EPYC --ovmf "$T/fw.fd" --memory 2G
	[[ $stderr == *"'--memory' needs '--mode tdx'"* ]]
	run -64 --separate-stderr cgs-measure --mode tdx --ovmf "$T/fw.fd" --initrd "$T/initrd"
	run -64 --separate-stderr cgs-measure --mode tdx --kernel "$T/vmlinuz"
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --memory 4M
	[[ $stderr == *"ends below the firmware's TD memory sections"* ]]
	run -64 --separate-stderr cgs-measure "${BASE[@]}" --memory 8M --initrd "$T/initrd"
}

@test "the option table lists the TDX options (help, completion)" {
	run -0 cgs-measure --list-options
	for o in --memory --acpi-tables --mrtd-order --separator --acpi-loader --acpi-rsdp; do
		grep -q -- "^$o	" <<<"$output"
	done
	run -0 cgs-measure --help
	[[ $output == *"--mode tdx"* ]]
}

@test "peak RSS stays flat for a 64 MiB initrd and a 32 MiB kernel" {
	case $BUILD in
	*build-san*) skip "sanitizer build: ASan's shadow memory makes RSS meaningless" ;;
	esac
	"$BUILD/tests/helpers/tdxgen" kernel "$BATS_TEST_TMPDIR/big-kernel" $((32 << 20))
	head -c $((64 << 20)) /dev/zero > "$BATS_TEST_TMPDIR/big-initrd"
	run -0 --separate-stderr "$BUILD/tests/helpers/maxrss" cgs-measure "${BASE[@]/$T\/vmlinuz/$BATS_TEST_TMPDIR/big-kernel}" \
		--initrd "$BATS_TEST_TMPDIR/big-initrd" --memory 2G
	kib=$(sed -n 's/^maxrss_kib=//p' <<<"$stderr")
	echo "# peak RSS $kib KiB" >&3
	[ -n "$kib" ] && [ "$kib" -lt $((24 * 1024)) ]
}

@test "ovmf-info shows the TDVF metadata and whether a TD can boot" {
	run -0 cgs-measure ovmf-info "$T/fw.fd"
	[[ $output == *"TDVF metadata: version 1, 6 sections at offset 0x3f000"* ]]
	[[ $output == *"TD_HOB"*"TDX: yes; MRTD and RTMR0..3 of a direct boot can be computed (Secure Boot keys enrolled)"* ]]
	run -0 cgs-measure ovmf-info --json "$T/nopk.fd"
	[ "$(jq -c '.tdx | [.td_boot, (.sections | length), .sections[0].type, .sections[0].measured,
		.sections[1].measured, .rtmrs_modelled, .secure_boot_keys]' <<<"$output")" = \
		'[true,6,"BFV",true,false,true,false]' ]
	run -0 cgs-measure ovmf-info "$T/notdx.fd"
	[[ $output == *"TDX: no (no TDVF metadata"* ]]
	run -0 cgs-measure ovmf-info --json "$T/overlap.fd"
	[ "$(jq -r .tdx.td_boot <<<"$output")" = false ]
	[[ $(jq -r .tdx.reason <<<"$output") == *"(field 'memory_address')" ]]
}

@test "--acpi-loader and --acpi-rsdp are measured as given, instead of the q35 derivation" {
	head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/loader"
	printf 'RSD PTR \0BOCHS \0\1\2\3\4' > "$BATS_TEST_TMPDIR/rsdp"
	run -0 cgs-measure "${BASE[@]}" --json
	local derived=$output
	run -0 cgs-measure "${BASE[@]}" --acpi-loader "$BATS_TEST_TMPDIR/loader" \
		--acpi-rsdp "$BATS_TEST_TMPDIR/rsdp" --json
	dg() { jq -r --arg e "$1" '.events[] | select(.event == $e) | .digest' <<<"$2"; }
	sha() { openssl dgst -sha384 -r "$1" | cut -d' ' -f1; }
	[ "$(dg "EV_PLATFORM_CONFIG_FLAGS etc/table-loader" "$output")" = "$(sha "$BATS_TEST_TMPDIR/loader")" ]
	[ "$(dg "EV_PLATFORM_CONFIG_FLAGS etc/acpi/rsdp" "$output")" = "$(sha "$BATS_TEST_TMPDIR/rsdp")" ]
	[ "$(dg "EV_PLATFORM_CONFIG_FLAGS etc/acpi/tables" "$output")" = \
		"$(dg "EV_PLATFORM_CONFIG_FLAGS etc/acpi/tables" "$derived")" ]
	[ "$(jq -r .rtmr0 <<<"$output")" != "$(jq -r .rtmr0 <<<"$derived")" ]
	[ "$(jq -r .inputs.acpi_loader <<<"$output")" = "$BATS_TEST_TMPDIR/loader" ]
	# with both given, a blob the q35 derivation cannot read is still measured
	run -65 --separate-stderr cgs-measure "${BASE[@]/$T\/tables/$T/initrd}"
	run -0 cgs-measure "${BASE[@]/$T\/tables/$T/initrd}" --acpi-loader "$BATS_TEST_TMPDIR/loader" \
		--acpi-rsdp "$BATS_TEST_TMPDIR/rsdp"
	run -64 --separate-stderr cgs-measure --mode tdx --ovmf "$T/fw.fd" --kernel "$T/vmlinuz" \
		--acpi-loader "$BATS_TEST_TMPDIR/loader"
	[[ $stderr == *"'--acpi-loader' needs --acpi-tables"* ]]
	run -66 --separate-stderr cgs-measure "${BASE[@]}" --acpi-rsdp "$BATS_TEST_TMPDIR/nope"
}

@test "an empty command line with an initrd: OVMF's LoadOptions, flagged as not covered by a vector" {
	run -0 --separate-stderr cgs-measure "${BASE[@]}" --initrd "$T/initrd" --json
	want=$(printf ' initrd=initrd\0' | iconv -f ascii -t utf-16le | openssl dgst -sha384 -r | cut -d' ' -f1)
	[ "$(jq -r '.events[] | select(.event == "EV_EVENT_TAG LOADED_IMAGE::LoadOptions") | .digest' <<<"$output")" = "$want" ]
	[[ $(jq -r '.notes[0]' <<<"$output") == "rtmr2: an empty command line with an initrd"* ]]
	[[ $stderr == *"warning: rtmr2: an empty command line"* ]]
}
