#!/usr/bin/env bats
# The docs stay in sync with the code: every option of every verb is in its
# man page, every exit code is in cgs(7), and completion offers the options.

load ../helpers/common

COMMON='--help --help-experimental --version --verbose --quiet --json --print-schema --list-options'

# A verb's page: man/<tool>-<verb>.1.scd, else the same with the verb's last
# "-part" dropped (sev-chain -> cgs-verify-sev), and so on, else man/<tool>.1.scd.
man_page_for() { # tool verb
	local v=$2
	while [ -n "$v" ]; do
		if [ -f "$TOP/man/$1-$v.1.scd" ]; then
			echo "$TOP/man/$1-$v.1.scd"
			return
		fi
		case $v in
		*-*) v=${v%-*} ;;
		*) v= ;;
		esac
	done
	echo "$TOP/man/$1.1.scd"
}

@test "every option of every verb is documented in its man page" {
	local missing=
	for t in cgs-measure cgs-mkimage cgs-verify; do
		[ -f "$TOP/man/$t.1.scd" ] || missing+=" man/$t.1.scd"
		for v in $("$t" --list-verbs); do
			"$t" "$v" --list-options >/dev/null 2>&1 || { missing+=" $t $v (--list-options fails)"; continue; }
			page=$(man_page_for "$t" "$v")
			for o in $("$t" "$v" --list-options | cut -f1 | grep -- '^--'); do
				[[ " $COMMON " == *" $o "* ]] && continue
				grep -qF -- "*$o*" "$page" || missing+=" $t $v $o"
			done
		done
	done
	[ -z "$missing" ] || { echo "undocumented:$missing"; false; }
}

@test "the common options are documented in cgs(7)" {
	for o in $COMMON; do
		[ "$o" = --list-options ] && continue
		grep -qF -- "*$o" "$TOP/man/cgs.7.scd" || { echo "cgs.7 lacks $o"; false; }
	done
}

@test "every exit code of lib/core/exit.h is documented in cgs(7)" {
	codes=$(sed -n 's/.*CGS_EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' "$TOP/lib/core/exit.h")
	[ -n "$codes" ]
	for c in $codes; do
		grep -qx "\*$c\*" "$TOP/man/cgs.7.scd" || { echo "exit code $c undocumented"; false; }
	done
}

@test "every man page builds with scdoc" {
	for f in "$TOP"/man/*.scd; do
		scdoc < "$f" > /dev/null || { echo "scdoc failed on $f"; false; }
	done
}

@test "bash completion offers verbs and the options of a verb" {
	source "$TOP/completion/cgs"
	COMP_WORDS=(cgs-verify "")
	COMP_CWORD=1
	COMP_LINE="cgs-verify "
	COMP_POINT=${#COMP_LINE}
	_cgs_complete
	[[ " ${COMPREPLY[*]} " == *" snp "* ]]
	COMP_WORDS=(cgs-measure --mo)
	COMP_CWORD=1
	COMP_LINE="cgs-measure --mo"
	COMP_POINT=${#COMP_LINE}
	_cgs_complete
	if cgs-measure --list-options >/dev/null 2>&1; then
		[[ " ${COMPREPLY[*]} " == *" --mode "* ]]
	fi
}
