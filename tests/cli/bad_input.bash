# SPDX-License-Identifier: MIT
# The bad-input matrix (issue 10 item 10): fixtures and the row runner behind
# the bats files that tests/cli/bad_input_gen makes from tests/cli/bad_input.tsv.
# Loaded by each generated file, which sets CGS_TOP first.

load "$CGS_TOP/tests/helpers/common"
TOP=$CGS_TOP
BUILD="$TOP/${CGS_BUILD:-build}"
PATH="$BUILD/bin:$PATH"
export TOP BUILD PATH

# A named FIFO waits this long for a writer before it is refused (66)
export CGS_FIFO_WAIT_MS=100
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

# ---- fixtures: one folder per group, readable by nobody (the "unreadable" rows) ----

fix_measure() {
	local d=$FX/measure
	mkdir -p "$d" && cd "$d"
	"$BUILD/tests/helpers/sevgen" ovmf fw.fd --size 0x4000 --hashes 0x805c00
	printf 'synthetic kernel image\n' > vmlinuz
	head -c 5000 /dev/urandom > initrd
	openssl ecparam -name secp384r1 -genkey -noout -out id.pem
	openssl ecparam -name secp384r1 -genkey -noout -out author.pem
	cgs-measure --mode sev --ovmf fw.fd --json > expected.json
}

fix_snp() {
	local d=$FX/snp pki="$TOP/tests/helpers/snp_pki.sh"
	local spls="bl=3 tee=0 snp=8 ucode=219" chip
	chip=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
	mkdir -p "$d"
	"$pki" roots "$d" Milan
	"$pki" vek "$d" vcek "$d/vcek" Milan-B0 0 "$spls" "$chip"
	"$pki" crl "$d"
	"$BUILD/tests/helpers/snp_mkreport" --out "$d/report.bin" --key "$d/vcek.key" \
		--tcb bl=3,tee=0,snp=8,ucode=219 --chip-id "$chip"
}

fix_sev() {
	local d=$FX/sev tik dig nonce mac
	mkdir -p "$d/c"
	"$BUILD/tests/helpers/sev_mkchain" "$d/c" --attestation "$(openssl rand -hex 32)" \
		"$(openssl rand -hex 16)" 0x5
	# a LAUNCH_MEASURE blob (API 1.55 build 21, policy 0x1) made with the openssl CLI
	tik=$(openssl rand -hex 16) dig=$(openssl rand -hex 32) nonce=$(openssl rand -hex 16)
	printf '%s' "$tik" | xxd -r -p > "$d/tik.bin"
	mac=$(printf '04013715%s%s%s' 01000000 "$dig" "$nonce" | xxd -r -p |
		openssl mac -digest SHA256 -macopt "hexkey:$tik" HMAC | tr 'A-F' 'a-f')
	printf '%s%s' "$mac" "$nonce" | xxd -r -p | base64 -w0 > "$d/blob.b64"
	printf '{"schema_version": 1, "tool": "cgs-measure", "mode": "sev", "digest_alg": "sha256", "measurement": "%s", "inputs": {}, "intermediate": {}}\n' \
		"$dig" > "$d/expected.json"
}

fix_s390() {
	local d=$FX/s390 uv="$BUILD/tests/helpers/s390_uv_attest"
	mkdir -p "$d"
	# shellcheck source=tests/helpers/s390_pki.bash
	source "$TOP/tests/helpers/s390_pki.bash"
	s390_make_pki "$d/pki"
	s390_make_inputs "$d/in"
	cd "$d"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out host.key 2>/dev/null
	openssl req -new -x509 -key host.key -subj /CN=host -days 2 -out host.crt 2>/dev/null
	"$uv" mkhdr hdr.bin host.crt
	cgs-verify s390 create-request -q -k host.crt --no-verify -o req.bin -a arpk.bin
	"$uv" perform req.bin hdr.bin host.key ffffffffffffffffffffffffffffffff - resp.bin
	cgs-mkimage s390-pv -q -i in/kernel -r in/ramdisk -p in/parmfile -k host.crt --no-verify \
		--loader-dir in/loaders -o se.img
}

fix_pef() {
	local d=$FX/pef
	mkdir -p "$d/root" && cd "$d"
	openssl genrsa -traditional -out owner.key 2048 2>/dev/null
	openssl rsa -in owner.key -pubout -out owner.pub 2>/dev/null
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out tpm.key 2>/dev/null
	openssl pkey -in tpm.key -pubout -out tpm.pub
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out r2.key 2>/dev/null
	openssl pkey -in r2.key -pubout -out r2.pub
	"$BUILD/tests/helpers/mk_ppc64_elf" vmlinux
	printf '#!/bin/sh\n' > root/init
	(cd root && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) | gzip -n > initrd.img
	printf 'guest info\n' > info.json
	cat > blob.yml <<-EOF
	- origin:
	    pubkey: "$d/owner.pub"
	    seckey: "$d/owner.key"
	- recipient:
	    pubkey: "$d/tpm.pub"
	- digest:
	    args: "root=/dev/vda svm=on"
	    initramfs: "$d/initrd.img"
	    kernel: "$d/vmlinux"
	- file:
	    name: "info"
	    path: "$d/info.json"
	EOF
	cgs-mkimage pef -q --config blob.yml -o esm.img
	cgs-mkimage pef -q --config blob.yml --attach-to none -o esm.dtb
}

fix_tdx() {
	local d=$FX/tdx g="$BUILD/tests/helpers/tdxgen"
	mkdir -p "$d" && cd "$d"
	"$g" fw fw.fd --pk
	"$g" kernel vmlinuz 0x20000
	"$g" acpi tables
	head -c 5000 /dev/urandom > initrd
	# cgs-verify tdx: a generated Intel-style PKI, collateral and quote (tests/helpers/tdx.bash)
	BATS_FILE_TMPDIR=$d BATS_TEST_TMPDIR=$d
	# shellcheck source=tests/helpers/tdx.bash
	. "$TOP/tests/helpers/tdx.bash"
	tdx_pki_setup
	mk_default_collateral
	mkq "$d/quote.bin"
}

# bad_input_setup GROUP...: the fixtures of the groups a generated file uses
bad_input_setup() {
	FX=$(mktemp -d /tmp/cgs-bad-input-XXXXXX)
	export FX
	for g in "$@"; do
		"fix_$g" > "$FX/$g.log" 2>&1 || { cat "$FX/$g.log" >&2; return 1; }
	done
	chmod -R a+rX "$FX"
}

bad_input_teardown() {
	[ -n "${FX:-}" ] && rm -rf "$FX"
}

# ---- the row runner ----

# the bad copy of $1 for kind $2, at $3
make_bad() {
	local src=$1 kind=$2 p=$3 n
	n=$(stat -c %s "$src" 2>/dev/null || echo 0)
	case $kind in
	empty) : > "$p" ;;
	trunc1) head -c 1 "$src" > "$p" ;;
	trunc2) head -c $((n / 2)) "$src" > "$p" ;;
	trunc3) head -c $((n > 17 ? n - 16 : n - 1)) "$src" > "$p" ;; # into the last structure (a PEM END line too)
	flip)
		cp "$src" "$p"
		local b
		b=$(od -An -tu1 -j $((n / 2)) -N1 "$p" | tr -d ' ')
		# shellcheck disable=SC2059
		printf "\\$(printf %03o $((b ^ 0xff)))" |
			dd of="$p" bs=1 seek=$((n / 2)) conv=notrunc status=none ;;
	dir) mkdir "$p" ;;
	fifo) mkfifo "$p" ;;
	sparse) truncate -s 4G "$p" ;;
	unreadable) cp "$src" "$p" && chmod 000 "$p" ;;
	esac
}

# the state of the row's folder: every path, type, size, mode, mtime, and the
# content hash of the small files (not of the 4 GiB sparse one)
snapshot() {
	find "$1" -printf '%p %y %s %m\n' | sort
	find "$1" ! -type d -printf '%p %T@\n' | sort
	find "$1" -type f -readable -size -1M -exec md5sum {} + 2>/dev/null | sort
}

# codes_match CODE "65|2": is CODE one of the listed ones?
codes_match() {
	[[ "|$2|" == *"|$1|"* ]]
}

# row TYPE KIND EXPECT SRC CMD...   (CMD has one "@" word: where the file goes;
#   "%T%" in a word is the row's own folder, where other outputs go)
#   KIND base: the command as is (the fixtures are good: it must succeed)
#   TYPE in: an input option; out: an output option; stdout: the result on stdout
row() {
	local type=$1 kind=$2 expect=$3 src=$4 T p as=() force=() w args=() errs
	shift 4
	T=$(mktemp -d "$FX/row-XXXXXX")
	chmod 777 "$T"
	cd "$T"
	p="$T/f"
	case $type:$kind in
	in:zero) p=/dev/zero ;;
	in:missing) p="$T/missing" ;;
	in:unreadable) make_bad "$src" unreadable "$p"; [ "$(id -u)" = 0 ] && as=("${NOBODY[@]}") ;;
	in:*) make_bad "$src" "$kind" "$p" ;;
	out:rodir) mkdir "$T/ro" && chmod 555 "$T/ro"; p="$T/ro/out"
		[ "$(id -u)" = 0 ] && as=("${NOBODY[@]}") ;;
	out:full) p=/dev/full ;;
	out:exists) echo old > "$p" ;;
	out:fifo) mkfifo "$p"; force=(--force) ;;
	out:device)
		if [ "$(id -u)" = 0 ]; then mknod "$p" c 1 3; else ln -s /dev/null "$p"; fi
		force=(--force) ;;
	out:symlink) echo victim > "$T/victim" && ln -s "$T/victim" "$p" ;;
	esac
	[ "$kind" = base ] && { p=$src; [ "$type" = out ] && p="$T/f"; }
	for w in "$@"; do
		[ "$w" = @ ] && w=$p
		args+=("${w//%T%/$T}")
	done
	local before after
	before=$(snapshot "$T")
	if [ "$type" = stdout ]; then
		run --separate-stderr timeout 30 sh -c '"$@" > /dev/full' sh "${args[@]}"
	else
		run --separate-stderr timeout 30 "${as[@]}" "${args[@]}" "${force[@]}"
	fi
	echo "exit $status (want $expect)"
	echo "stdout: $output"
	echo "stderr: $stderr"
	codes_match "$status" "$expect"
	[ "$status" = 0 ] && return 0 # content the tool may accept: it did, without hanging
	# one error line (a warning the options ask for, e.g. --no-verify, may come first)
	errs=$(printf '%s\n' "$stderr" | grep -v '^cgs-[a-z]*: warning: ' | grep . || true)
	[ "$(printf '%s' "$errs" | grep -c .)" -le 1 ]
	if [ "$status" != 2 ]; then
		[ -z "$output" ]
		[[ $errs == cgs-*:* ]]
	fi
	after=$(snapshot "$T")
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); false; }
	case $kind in
	fifo) [ "$type" = in ] || [ -p "$p" ] ;;
	device) [ -c "$p" ] || [ -L "$p" ] ;;
	esac
	[ -c /dev/full ] && [ -c /dev/zero ] && [ -L /dev/stdout ]
	rm -rf "$T"
}
