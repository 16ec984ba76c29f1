#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Man pages: a page or a link for every verb name, reproducible dates, the version.

load ../helpers/common

@test "man: every verb and sub-verb has a page or a link (man cgs-verify-sev-chain)" {
	local t v s name missing=
	for t in cgs-measure cgs-mkimage cgs-verify; do
		for v in $("$t" --list-verbs); do
			for s in "" $("$t" "$v" --list-verbs 2>/dev/null); do
				name=$t-$v${s:+-$s}
				[ -f "$TOP/man/$name.1.scd" ] && continue
				grep -q "^$name\.1 " "$TOP/man/links" || missing+=" $name"
			done
		done
	done
	[ -z "$missing" ] || { echo "no page or link:$missing"; false; }
	# each name once (two lines for one name make 'make install' fail)
	dups=$(awk '!/^#/ && NF { print $1 }' "$TOP/man/links" | sort | uniq -d)
	[ -z "$dups" ] || { echo "named twice in man/links: $dups"; false; }
	# every link points at a page that exists
	while read -r name target; do
		[[ $name == \#* || -z $name ]] && continue
		[ -f "$TOP/man/${target%.*}.${target##*.}.scd" ] || { echo "$name -> $target: no page"; false; }
		[ "$(cat "$BUILD/man/$name")" = ".so man${target##*.}/$target" ]
	done < "$TOP/man/links"
}

@test "man: pages are dated by SOURCE_DATE_EPOCH and name the version" {
	b=$BATS_TEST_TMPDIR/b
	run -0 make -s -C "$TOP" man BUILD="$b" SOURCE_DATE_EPOCH=1700000000
	th=$(grep '^\.TH' "$b/man/cgs-verify.1")
	[ "$th" = ".TH \"cgs-verify\" \"1\" \"2023-11-14\" \"cgs $(cat "$TOP/VERSION")\" \"cgs manual\"" ]
	[ -f "$b/man/cgs-verify-sev-chain.1" ]
}

@test "man: without SOURCE_DATE_EPOCH the date is the last commit's, never 1970" {
	for f in "$BUILD"/man/*.[17]; do
		grep -q '^\.so ' "$f" && continue
		! grep -q '^\.TH .*"1970-01-01"' "$f" || { echo "$f dated 1970"; false; }
	done
	if git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 && [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
		b=$BATS_TEST_TMPDIR/b
		run -0 make -s -C "$TOP" man BUILD="$b"
		want=$(date -u -d "@$(git -C "$TOP" log -1 --format=%ct)" +%F)
		grep -q "^\.TH \"cgs\" \"7\" \"$want\"" "$b/man/cgs.7"
	fi
}
