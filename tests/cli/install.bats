#!/usr/bin/env bats
# make install / uninstall honour PREFIX, DESTDIR and LIBDIR; the installed
# tools link libcgs.so.0 and carry no RPATH; cgs.pc points at the install.

load ../helpers/common

inst() { # DESTDIR PREFIX [make variables...]
	local d=$1 p=$2
	shift 2
	run -0 make -s -C "$TOP" install BUILD="${CGS_BUILD:-build}" SANITIZE="${CGS_SANITIZE:-}" PREFIX="$p" DESTDIR="$d" "$@"
}

@test "make install puts tools, man pages and completion under DESTDIR/PREFIX" {
	d=$BATS_TEST_TMPDIR/root
	inst "$d" /opt/cgs
	for f in bin/cgs-measure bin/cgs-mkimage bin/cgs-verify share/man/man7/cgs.7 \
		share/man/man1/cgs-verify.1 share/bash-completion/completions/cgs \
		share/bash-completion/completions/cgs-verify; do
		[ -e "$d/opt/cgs/$f" ] || { echo "missing $f"; false; }
	done
	LD_LIBRARY_PATH="$d/opt/cgs/lib" run -0 "$d/opt/cgs/bin/cgs-verify" --version
	run -0 make -s -C "$TOP" uninstall BUILD="${CGS_BUILD:-build}" SANITIZE="${CGS_SANITIZE:-}" PREFIX=/opt/cgs DESTDIR="$d"
	[ -z "$(find "$d" -type f)" ]
	[ -z "$(find "$d" -type l)" ]
}

@test "make install puts libcgs.so.0, libcgs.a, the public headers and cgs.pc under LIBDIR/INCLUDEDIR" {
	d=$BATS_TEST_TMPDIR/root
	inst "$d" /usr LIBDIR=/usr/lib/x86_64-linux-gnu
	l=$d/usr/lib/x86_64-linux-gnu
	[ -f "$l/libcgs.so.$(cat "$TOP/VERSION")" ] && [ -f "$l/libcgs.a" ]
	[ "$(readlink "$l/libcgs.so.0")" = "libcgs.so.$(cat "$TOP/VERSION")" ]
	[ "$(readlink "$l/libcgs.so")" = libcgs.so.0 ]
	run -0 readelf -d "$l/libcgs.so.0"
	assert_output --partial "Library soname: [libcgs.so.0]"
	for h in "$TOP"/include/cgs/*.h; do
		cmp "$h" "$d/usr/include/cgs/${h##*/}"
	done
	grep -qx 'libdir=/usr/lib/x86_64-linux-gnu' "$l/pkgconfig/cgs.pc"
	PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_PATH="$l/pkgconfig" run -0 pkg-config --cflags --libs cgs
	# (pkgconf adds the -I of the Requires.private packages; our headers need none of them)
	[[ " $output " == *" -I$d/usr/include "* && " $output " == *" -L$l -lcgs "* ]]
	run -0 make -s -C "$TOP" uninstall BUILD="${CGS_BUILD:-build}" SANITIZE="${CGS_SANITIZE:-}" PREFIX=/usr DESTDIR="$d" \
		LIBDIR=/usr/lib/x86_64-linux-gnu
	[ -z "$(find "$d" -type f -o -type l)" ]
}

@test "installed tools need libcgs.so.0, carry no RPATH/RUNPATH and load the installed library" {
	d=$BATS_TEST_TMPDIR/root
	inst "$d" /usr
	for t in measure mkimage verify; do
		run -0 readelf -d "$d/usr/bin/cgs-$t"
		assert_output --partial "Shared library: [libcgs.so.0]"
		refute_output --partial "RPATH"
		refute_output --partial "RUNPATH"
	done
	LD_LIBRARY_PATH="$d/usr/lib" run -0 ldd "$d/usr/bin/cgs-verify"
	assert_output --partial "libcgs.so.0 => $d/usr/lib/libcgs.so.0"
	# the build-tree tools find the build-tree library by their RUNPATH
	run -0 readelf -d "$BUILD/bin/cgs-verify"
	assert_output --partial "Library runpath: [$BUILD/lib]"
	run -0 env -u LD_LIBRARY_PATH ldd "$BUILD/bin/cgs-verify"
	assert_output --partial "libcgs.so.0 => $BUILD/lib/libcgs.so.0"
}
