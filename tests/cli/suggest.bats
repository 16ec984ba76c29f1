#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The CLI driver helps after a typo: "did you mean" for unknown verbs and
# options, the candidates of an ambiguous abbreviation, and --help without a
# repeated paragraph.

load ../helpers/common

@test "suggest: a misspelt option gets the closest option names" {
	run -64 cgs-verify snp --reprot r.bin
	[ "${lines[0]}" = "cgs-verify: unrecognized option '--reprot'; did you mean '--report'?" ]
	[ "${lines[1]}" = "Try 'cgs-verify snp --help' for more information." ]
	[ "${#lines[@]}" -eq 2 ]
	run -64 cgs-verify snp --reprot=r.bin
	[[ ${lines[0]} == *"did you mean '--report'?" ]]
	run -64 cgs-measure --mdoe snp
	[[ ${lines[0]} == *"unrecognized option '--mdoe'; did you mean '--mode'?" ]]
	run -64 cgs-mkimage s390-pv --imgae x
	[[ ${lines[0]} == *"did you mean '--image'?" ]]
	run -64 cgs-verify snp show --prodcut milan
	[[ ${lines[0]} == *"did you mean '--product'?" ]]
}

@test "suggest: nothing is suggested for a word unlike any option, nor a hidden option" {
	run -64 cgs-verify snp --zzzzzzzz
	[ "${lines[0]}" = "cgs-verify: unrecognized option '--zzzzzzzz'" ]
	run -64 cgs-verify snp --lsit-options
	[[ ${lines[0]} != *"list-options"*"?"* ]]
	[[ ${lines[0]} != *"did you mean"* ]]
}

@test "suggest: an ambiguous abbreviation lists the candidates" {
	run -64 cgs-verify snp --repor r.bin
	[ "${lines[0]}" = "cgs-verify: option '--repor' is ambiguous; possibilities: '--report', '--report-data', '--report-id', '--report-id-ma'" ]
	[ "${lines[1]}" = "Try 'cgs-verify snp --help' for more information." ]
	run -64 cgs-verify snp --report-d=00
	[[ ${lines[0]} != *ambiguous* ]] # unique: accepted as --report-data
	# a unique abbreviation is still accepted
	run -66 cgs-measure --mode snp --vcpus 1 --vcpu-type EPYC --ovm /nonexistent/OVMF.fd
}

@test "suggest: a misspelt verb or sub-verb gets the closest verb" {
	run -64 cgs-verify snpp
	[ "${lines[0]}" = "cgs-verify: unknown verb 'snpp'; did you mean 'snp'?" ]
	run -64 cgs-mkimage s390pv
	[[ ${lines[0]} == *"unknown verb 's390pv'; did you mean 's390-pv'?" ]]
	run -64 cgs-verify s390 verfy
	[[ ${lines[0]} == *"did you mean 'verify'?" ]]
	run -64 cgs-verify snp shwo
	[[ ${lines[0]} == *"did you mean 'show'?" ]]
	run -64 cgs-verify qwertyuiop
	[ "${lines[0]}" = "cgs-verify: unknown verb 'qwertyuiop'" ]
	# equally close candidates are all named
	run -64 cgs-mkimage pef-inf
	[[ ${lines[0]} == *"did you mean 'pef-info'?" ]]
}

@test "help: every tool, verb and sub-verb prints the exit-status paragraph once" {
	local t v s n
	for t in cgs-measure cgs-mkimage cgs-verify; do
		for v in "" $("$t" --list-verbs); do
			for s in "" $("$t" $v --list-verbs 2>/dev/null); do
				n=$("$t" $v $s --help | grep -c '^Exit status')
				[ "$n" -eq 1 ] || { echo "$t $v $s --help: $n exit-status paragraphs"; return 1; }
			done
		done
	done
}
