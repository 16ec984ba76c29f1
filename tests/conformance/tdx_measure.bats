#!/usr/bin/env bats
# Replays the 12 cases of ../shared/vectors/tdx/vectors.jsonl through
# cgs-measure --mode tdx: MRTD in both page orders, RTMR0..3 with both
# separator conventions, and every event digest of expected_events.

load ../helpers/common

setup() {
	require_vectors tdx
	TDX="$VECTORS/tdx"
}

# The cgs-measure arguments of one case (by id), one per line.
case_args() { # id
	jq -r --arg id "$1" 'select(.id == $id) |
		"--ovmf", (.firmware.file), "--kernel", (.kernel.file),
		"--memory", "\(.qemu.memory_bytes / 1048576 | floor)",
		"--acpi-tables", (.acpi_tables.file),
		(if .initrd then ("--initrd", .initrd.file) else empty end),
		(if .cmdline != null then ("--append", .cmdline) else empty end)' \
		"$TDX/vectors.jsonl"
}

# Run cgs-measure --mode tdx on a case with extra options; JSON in $output.
measure_case() { # id [option]...
	local id=$1 args
	shift
	mapfile -t args < <(case_args "$id")
	(cd "$TDX" && cgs-measure --mode tdx "${args[@]}" "$@" --json=short)
}

case_ids() { jq -r .id "$TDX/vectors.jsonl"; }

@test "the vectors hold 12 cases whose memory sizes are whole MiB" {
	run -0 jq -s 'length' "$TDX/vectors.jsonl"
	[ "$output" = 12 ]
	run -0 jq -r 'select(.qemu.memory_bytes % 1048576 != 0) | .id' "$TDX/vectors.jsonl"
	[ -z "$output" ]
}

@test "every case: MRTD, RTMR0..3 and every event digest (interleaved, separator in RTMR1)" {
	local id bad= n=0 got want
	for id in $(case_ids); do
		got=$(measure_case "$id" | jq -c '[.mrtd, .rtmr0, .rtmr1, .rtmr2, .rtmr3,
			[.events[] | [.rtmr, .event, .digest]]]') || { bad+=" $id(failed)"; continue; }
		want=$(jq -c --arg id "$id" 'select(.id == $id) | [.expected.mrtd, .expected.rtmr0,
			.expected.rtmr1, .expected.rtmr2, .expected.rtmr3,
			[.expected_events[] | [.rtmr, .event, .digest]]]' "$TDX/vectors.jsonl")
		[ "$got" = "$want" ] || bad+=" $id"
		n=$((n + 1))
	done
	echo "# $n cases replayed" >&3
	[ "$n" = 12 ]
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "every case: MRTD in the two-pass order (QEMU 8)" {
	local id bad= got want
	for id in $(case_ids); do
		got=$(measure_case "$id" --mrtd-order two-pass | jq -r .mrtd)
		want=$(jq -r --arg id "$id" 'select(.id == $id) | .variants.mrtd_two_pass_qemu8' \
			"$TDX/vectors.jsonl")
		[ "$got" = "$want" ] || bad+=" $id"
	done
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "every case: RTMR0..3 with the ReadyToBoot separator in RTMR0 (older edk2)" {
	local id bad= got want
	for id in $(case_ids); do
		got=$(measure_case "$id" --separator rtmr0 | jq -c '[.rtmr0, .rtmr1, .rtmr2, .rtmr3]')
		want=$(jq -c --arg id "$id" 'select(.id == $id) |
			.variants.rtmr_old_edk2_separator_in_rtmr0' "$TDX/vectors.jsonl")
		[ "$got" = "$want" ] || bad+=" $id"
	done
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "every case: the oracles' own values (Fraunhofer MRTD both orders, RTMR1; quex RTMRs)" {
	local id bad= got want
	for id in $(case_ids); do
		got=$(measure_case "$id" | jq -c '[.mrtd, .rtmr1]')
		want=$(jq -c --arg id "$id" 'select(.id == $id) | .oracles.fraunhofer_calculate_tdx_mrs |
			[.["mrtd_qemu_9.2.0"], .rtmr1]' "$TDX/vectors.jsonl")
		[ "$got" = "$want" ] || bad+=" $id(fraunhofer)"
		got=$(measure_case "$id" --separator rtmr0 --mrtd-order two-pass |
			jq -c '[.mrtd, .rtmr0, .rtmr1, .rtmr2, .rtmr3]')
		want=$(jq -c --arg id "$id" 'select(.id == $id) | .oracles.quex_td_report_web |
			[.mrtd] + .rtmr' "$TDX/vectors.jsonl")
		[ "$got" = "$want" ] || bad+=" $id(quex)"
	done
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "every case: QEMU's setup header edits as the vectors list them" {
	local id bad= got want
	for id in $(case_ids); do
		got=$(measure_case "$id" | jq -c '.intermediate.kernel_setup_patch |
			[.type_of_loader, .heap_end_ptr, .cmd_line_ptr, .ramdisk_image, .ramdisk_size]')
		want=$(jq -c --arg id "$id" 'select(.id == $id) | .kernel_setup_patch |
			[.type_of_loader_0x210, .heap_end_ptr_0x224, .cmd_line_ptr_0x228,
			 .ramdisk_image_0x218, .ramdisk_size_0x21c]' "$TDX/vectors.jsonl")
		[ "$got" = "$want" ] || bad+=" $id"
	done
	[ -z "$bad" ] || { echo "mismatch:$bad"; false; }
}

@test "the worked example: text output of tdx-01" {
	local args
	mapfile -t args < <(case_args tdx-01)
	cd "$TDX"
	run -0 cgs-measure --mode tdx "${args[@]}"
	[ "${#lines[@]}" = 5 ]
	[ "${lines[0]}" = "mrtd: $(jq -r 'select(.id == "tdx-01") | .expected.mrtd' vectors.jsonl)" ]
	[ "${lines[1]}" = "rtmr0: $(jq -r 'select(.id == "tdx-01") | .expected.rtmr0' vectors.jsonl)" ]
	[ "${lines[4]}" = "rtmr3: $(printf '0%.0s' {1..96})" ]
}

@test "without --acpi-tables RTMR0 is not computed, the others are unchanged" {
	local args
	mapfile -t args < <(case_args tdx-02 | sed '/^--acpi-tables$/,+1d')
	cd "$TDX"
	run -0 cgs-measure --mode tdx "${args[@]}" --json=short
	[ "$(jq -r 'has("rtmr0")' <<<"$output")" = false ]
	[ "$(jq -r '.notes[0]' <<<"$output")" != null ]
	[ "$(jq -r .rtmr1 <<<"$output")" = "$(jq -r 'select(.id == "tdx-02") | .expected.rtmr1' vectors.jsonl)" ]
	[ "$(jq -r .rtmr2 <<<"$output")" = "$(jq -r 'select(.id == "tdx-02") | .expected.rtmr2' vectors.jsonl)" ]
	run -0 cgs-measure --mode tdx "${args[@]}"
	[[ ${lines[1]} == "rtmr0: not computed: needs --acpi-tables"* ]]
}
