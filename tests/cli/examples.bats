#!/usr/bin/env bats
# examples/: installed into a temporary DESTDIR, the two programs are built with
# nothing but `pkg-config --cflags --libs cgs` (PKG_CONFIG_SYSROOT_DIR pointing at
# the DESTDIR), run against the installed libcgs.so.0, and agree with the tools.

load ../helpers/common

MILAN_CHIP=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
SECTIONS=(--section 0x800000:0x2000:1 --section 0x802000:0x1000:3
	--section 0x803000:0x1000:2 --section 0x804000:0x1000:4
	--section 0x806000:0x1000:1 --section 0x805000:0x1000:0x10)

setup_file() {
	local d=$BATS_FILE_TMPDIR root=$BATS_FILE_TMPDIR/root
	make -s -C "$TOP" install BUILD="${CGS_BUILD:-build}" SANITIZE="${CGS_SANITIZE:-}" PREFIX=/usr DESTDIR="$root" >&2
	export PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_PATH=$root/usr/lib/pkgconfig
	export LD_LIBRARY_PATH=$root/usr/lib
	# (a SANITIZE=1 library needs its sanitizer runtime in the program too)
	local san=()
	[ -n "${CGS_SANITIZE:-}" ] && san=(-fsanitize=address,undefined)
	for e in snp_verify snp_digest; do
		# shellcheck disable=SC2046
		cc -std=c11 -Wall -Wextra -Werror "${san[@]}" -o "$d/$e" "$TOP/examples/$e.c" \
			$(pkg-config --cflags --libs cgs) >&2
	done
	# a test AMD-style PKI and a report it signs; synthetic SNP firmware
	local p=$d/pki
	"$TOP/tests/helpers/snp_pki.sh" roots "$p" Milan
	"$TOP/tests/helpers/snp_pki.sh" vek "$p" vcek "$p/vcek" Milan-B0 0 \
		"bl=3 tee=0 snp=8 ucode=219" "$MILAN_CHIP"
	"$TOP/tests/helpers/snp_pki.sh" crl "$p"
	"$BUILD/tests/helpers/snp_mkreport" --out "$d/report.bin" --key "$p/vcek.key" \
		--tcb bl=3,tee=0,snp=8,ucode=219 --chip-id "$MILAN_CHIP"
	cd "$d"
	"$BUILD/tests/helpers/sevgen" ovmf fw.fd --size 0x4000 --hashes 0x805c00 "${SECTIONS[@]}"
	head -c 3000 /dev/urandom > vmlinuz
	head -c 5000 /dev/urandom > initrd
}

setup() {
	D=$BATS_FILE_TMPDIR
	P=$D/pki
	export PKG_CONFIG_SYSROOT_DIR=$D/root PKG_CONFIG_PATH=$D/root/usr/lib/pkgconfig
	export LD_LIBRARY_PATH=$D/root/usr/lib
}

@test "the examples link the installed libcgs.so.0, found by pkg-config alone" {
	run -0 pkg-config --cflags --libs cgs
	[[ $output == *"-I$D/root/usr/include"* && $output == *"-L$D/root/usr/lib -lcgs"* ]]
	for e in snp_verify snp_digest; do
		run -0 ldd "$D/$e"
		assert_output --partial "libcgs.so.0 => $D/root/usr/lib/libcgs.so.0"
	done
}

@test "snp_verify: the report verifies, with the same checks and results as cgs-verify snp" {
	run -0 --separate-stderr "$D/snp_verify" "$D/report.bin" "$P/vcek.pem" "$P/cert_chain.pem" \
		"$P/ark.pem" "$P/crl.pem" vmpl=0 min-tcb=bl=3,snp=8
	assert_line VERIFIED
	mine=$(grep -v VERIFIED <<<"$output" | awk '{print $2 "=" $1}')
	run -0 cgs-verify snp --json --report "$D/report.bin" --vcek "$P/vcek.pem" \
		--cert-chain "$P/cert_chain.pem" --trusted-ark "$P/ark.pem" --crl "$P/crl.pem" \
		--vmpl 0 --min-tcb bl=3,snp=8
	tools=$(jq -r '.checks[] | "\(.name)=\(.result)"' <<<"$output")
	[ "$mine" = "$tools" ]
	[[ $mine == *"vmpl=pass"* ]]
}

@test "snp_verify: a policy the report does not meet is NOT VERIFIED (2), a bad one a usage error (64)" {
	run -2 "$D/snp_verify" "$D/report.bin" "$P/vcek.pem" "$P/cert_chain.pem" "$P/ark.pem" - \
		report-data="$(printf 'ab%.0s' $(seq 64))"
	assert_line --regexp '^fail +report-data '
	assert_line "NOT VERIFIED"
	run -64 "$D/snp_verify" "$D/report.bin" "$P/vcek.pem" "$P/cert_chain.pem" "$P/ark.pem" - \
		min-tcb=bogus=1
	run -65 "$D/snp_verify" "$D/vmlinuz" "$P/vcek.pem" "$P/cert_chain.pem" "$P/ark.pem" -
}

@test "snp_digest: the measurement and the intermediate values of cgs-measure --json" {
	cd "$D"
	run -0 "$D/snp_digest" fw.fd 2 EPYC-v4 vmlinuz initrd "console=ttyS0"
	mine=$output
	run -0 cgs-measure --mode snp --vcpus 2 --vcpu-type EPYC-v4 --ovmf fw.fd --kernel vmlinuz \
		--initrd initrd --append "console=ttyS0" --json
	json=$output
	val() { awk -v k="$1" '$1 == k { print $2 }' <<<"$mine"; }
	[ "$(val measurement)" = "$(jq -r .measurement <<<"$json")" ]
	[ "$(val ovmf_hash)" = "$(jq -r .intermediate.ovmf_hash <<<"$json")" ]
	[ "$(val kernel_sha256)" = "$(jq -r .inputs.kernel.sha256 <<<"$json")" ]
	[ "$(val initrd_sha256)" = "$(jq -r .inputs.initrd.sha256 <<<"$json")" ]
	[ "$(val cmdline_sha256)" = "$(jq -r .intermediate.cmdline_sha256 <<<"$json")" ]
	[ "$(val vmsa_bsp_x1)" = "$(jq -r '.intermediate.vmsas[0].digest' <<<"$json")" ]
	[ "$(val vmsa_ap_x1)" = "$(jq -r '.intermediate.vmsas[1].digest' <<<"$json")" ]
	run -66 "$D/snp_digest" nosuch.fd 1 EPYC-v4
}
