#!/usr/bin/env bats
# The option-table driver and verb dispatch, shared by the three tools.

load ../helpers/common

@test "each tool prints its verbs with --help and exits 0" {
	for t in cgs-measure cgs-mkimage cgs-verify; do
		run -0 "$t" --help
		assert_output --partial "Usage: $t"
	done
	run -0 cgs-verify --help
	assert_output --partial "snp"
}

@test "--version prints the suite version" {
	run -0 cgs-verify --version
	assert_output "cgs-verify $(cat "$TOP/VERSION")"
}

@test "an unknown verb is a usage error (64) with the help hint" {
	run -64 --separate-stderr cgs-verify frobnicate
	assert_output ""
	[[ $stderr == *"cgs-verify: unknown verb 'frobnicate'"* ]]
	[[ $stderr == *"Try 'cgs-verify --help' for more information."* ]]
}

@test "a missing verb is a usage error (64)" {
	run -64 cgs-mkimage
	assert_output --partial "missing verb"
}

@test "--list-verbs lists every verb, one per line" {
	run -0 cgs-mkimage --list-verbs
	assert_line "s390-pv"
	assert_line "pef"
}

@test "every verb answers --help and --list-options" {
	for t in cgs-measure cgs-mkimage cgs-verify; do
		for v in $("$t" --list-verbs); do
			run -0 "$t" "$v" --help
			# the default verb (cgs-measure digest) is the tool's own command line
			if [ "$output" = "$("$t" --help)" ]; then
				assert_output --partial "Usage: $t "
			else
				assert_output --partial "Usage: $t $v"
			fi
			run -0 "$t" "$v" --list-options
			assert_line --regexp '^--help'
		done
	done
}

@test "an unknown option of a verb is a usage error naming the verb" {
	for t in cgs-measure cgs-mkimage cgs-verify; do
		for v in $("$t" --list-verbs); do
			run -64 --separate-stderr "$t" "$v" --no-such-option
			[[ $stderr == *"unrecognized option '--no-such-option'"* ]]
			[[ $stderr == *"Try '$t $v --help'"* ]] ||
				{ [ "$("$t" "$v" --help)" = "$("$t" --help)" ] && [[ $stderr == *"Try '$t --help'"* ]]; }
		done
	done
}

@test "a verb that takes options only refuses an operand (64, naming it)" {
	local cmd
	while read -r -a cmd; do
		run -64 --separate-stderr "${cmd[@]}" stray-operand
		[[ $stderr == "${cmd[0]}: unexpected argument 'stray-operand'"* ]] ||
			{ echo "${cmd[*]}: $stderr"; false; }
	done <<'LIST'
cgs-measure --mode sev
cgs-measure id-block
cgs-mkimage s390-pv
cgs-mkimage pef
cgs-mkimage pef-keygen
cgs-verify snp --report r.bin
cgs-verify snp show
cgs-verify snp fetch
cgs-verify sev
cgs-verify s390 create-request
cgs-verify s390 verify
cgs-verify pef
cgs-verify tdx --quote q.bin
cgs-verify tdx fetch
LIST
}
