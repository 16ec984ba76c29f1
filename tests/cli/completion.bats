#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Bash completion (completion/cgs), driven the way bash drives it: COMP_LINE,
# COMP_POINT, and COMP_WORDS split at blanks and at COMP_WORDBREAKS' '=' and ':'.

load ../helpers/common

setup() {
	source "$TOP/completion/cgs"
	cd "$BATS_TEST_TMPDIR"
	mkdir -p certs.d cache.d
	touch report.bin report.txt certs.pem
}

# complete LINE: fills COMPREPLY and $got (" a b c ")
complete_line() {
	local split
	COMP_LINE=$1
	COMP_POINT=${#1}
	split=$(sed 's/\([=:]\)/ \1 /g' <<<"$1")
	read -r -a COMP_WORDS <<<"$split"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_cgs_complete || return 1 # (errexit is off inside, as in an interactive shell)
	got=" ${COMPREPLY[*]} "
}

# offered WORD...: every word is among the completions
offered() {
	for w; do
		[[ $got == *" $w "* ]] || { echo "'$w' not offered by '$COMP_LINE':$got"; return 1; }
	done
}

# exactly WORD...: the completions are these words (any order)
exactly() {
	offered "$@"
	[ "${#COMPREPLY[@]}" -eq "$#" ] || { echo "'$COMP_LINE' offers more:$got"; return 1; }
}

@test "completion: the verbs of each tool" {
	complete_line "cgs-verify "
	offered snp sev sev-chain s390 pef
	complete_line "cgs-mkimage "
	offered s390-pv s390-info s390-secret pef pef-info
	complete_line "cgs-measure "
	offered digest ovmf-info id-block
	complete_line "cgs-verify s3"
	exactly s390
}

@test "completion: sub-verbs (snp show, snp kds-url, s390 create-request)" {
	complete_line "cgs-verify snp "
	offered verify show kds-url
	complete_line "cgs-verify snp kd"
	exactly kds-url
	complete_line "cgs-verify s390 "
	exactly create-request verify
	complete_line "cgs-verify s390 cr"
	exactly create-request
	# no sub-verb after an option, nor for a verb without sub-verbs
	complete_line "cgs-verify snp --report report.bin sh"
	[[ $got != *" show "* ]]
	complete_line "cgs-verify sev "
	[[ $got != *" verify "* ]]
}

@test "completion: the options of a (sub-)verb" {
	complete_line "cgs-verify snp --rep"
	offered --report --report-data
	complete_line "cgs-verify snp show --"
	offered --report --product --json --print-schema --help
	[[ $got != *" --expected "* ]] # a verify option, not a show one
	complete_line "cgs-verify s390 verify --"
	offered --input --hdr --arpk
	complete_line "cgs-measure --mo"
	exactly --mode
}

@test "completion: --list-options, --x-... and aliases are never offered" {
	local t v s
	for t in cgs-measure cgs-mkimage cgs-verify; do
		for v in "" $("$t" --list-verbs); do
			for s in "" $("$t" $v --list-verbs 2>/dev/null); do
				complete_line "$t ${v:+$v }${s:+$s }--"
				[ "${#COMPREPLY[@]}" -gt 0 ] || { echo "nothing for '$COMP_LINE'"; return 1; }
				[[ $got != *" --list-options "* && $got != *" --x-"* ]] ||
					{ echo "'$COMP_LINE' offers internal options:$got"; return 1; }
			done
		done
	done
	complete_line "cgs-mkimage s390-pv --x-"
	[ "${#COMPREPLY[@]}" -eq 0 ]
	complete_line "cgs-verify snp --list"
	[ "${#COMPREPLY[@]}" -eq 0 ]
}

@test "completion: enumerated values (--mode, --vcpu-type, --product, --vmm-type, --output-format)" {
	complete_line "cgs-measure --mode "
	offered sev seves snp snp:ovmf-hash snp:svsm tdx
	complete_line "cgs-measure --mode=sn"
	exactly snp snp:ovmf-hash snp:svsm
	# bash splits "snp:o" at ':': the reply completes only the part after it
	complete_line "cgs-measure --mode snp:o"
	exactly ovmf-hash
	complete_line "cgs-measure --vcpu-type EPYC-Mil"
	exactly EPYC-Milan EPYC-Milan-v1 EPYC-Milan-v2
	complete_line "cgs-measure --vmm-type "
	exactly QEMU ec2 gce
	complete_line "cgs-measure --output-format "
	exactly hex base64
	complete_line "cgs-verify snp --product "
	offered milan genoa turin
	complete_line "cgs-verify snp show --product g"
	exactly genoa
	complete_line "cgs-verify sev --mode s"
	exactly sev seves snp snp:ovmf-hash snp:svsm
	# --json's argument is optional: only in the --json=ARG form
	complete_line "cgs-verify snp --json="
	exactly pretty short
	complete_line "cgs-verify snp --json report."
	exactly report.bin report.txt
}

@test "completion: every offered value is accepted by the tool" {
	local v
	complete_line "cgs-measure --vcpu-type "
	[ "${#COMPREPLY[@]}" -gt 5 ]
	for v in "${COMPREPLY[@]}"; do
		run cgs-measure --mode snp --vcpu-type "$v" --vcpus 1 --ovmf /nonexistent
		[ "$status" -eq 66 ] || { echo "--vcpu-type $v: $output"; return 1; }
	done
	complete_line "cgs-verify snp --product "
	for v in "${COMPREPLY[@]}"; do
		run cgs-verify snp --product "$v" --report /nonexistent
		[ "$status" -eq 66 ] || { echo "--product $v: $output"; return 1; }
	done
}

@test "completion: file and directory arguments" {
	complete_line "cgs-verify snp --report rep"
	exactly report.bin report.txt
	complete_line "cgs-verify snp --report=rep"
	exactly report.bin report.txt
	complete_line "cgs-verify snp --certs c"
	exactly certs.d cache.d
	complete_line "cgs-mkimage s390-info rep"
	exactly report.bin report.txt
	# an option without an argument is followed by anything: files here
	complete_line "cgs-verify snp --report report.bin --json cer"
	offered certs.pem certs.d
	# an argument that is not a file completes nothing
	complete_line "cgs-verify snp --report-data "
	[ "${#COMPREPLY[@]}" -eq 0 ]
}
