#!/usr/bin/env bats
# make install / uninstall honour PREFIX and DESTDIR.

load ../helpers/common

@test "make install puts tools, man pages and completion under DESTDIR/PREFIX" {
	d=$BATS_TEST_TMPDIR/root
	run -0 make -s -C "$TOP" install BUILD="${CGS_BUILD:-build}" PREFIX=/opt/cgs DESTDIR="$d"
	for f in bin/cgs-measure bin/cgs-mkimage bin/cgs-verify share/man/man7/cgs.7 \
		share/man/man1/cgs-verify.1 share/bash-completion/completions/cgs \
		share/bash-completion/completions/cgs-verify; do
		[ -e "$d/opt/cgs/$f" ] || { echo "missing $f"; false; }
	done
	run -0 "$d/opt/cgs/bin/cgs-verify" --version
	run -0 make -s -C "$TOP" uninstall BUILD="${CGS_BUILD:-build}" PREFIX=/opt/cgs DESTDIR="$d"
	[ -z "$(find "$d" -type f)" ]
}
