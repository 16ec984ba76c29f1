# Shared by the s390 CLI suites (bats only): fixtures made once per file and
# small helpers. Load after ../helpers/common and ../helpers/s390_pki.

UV="$BUILD/tests/helpers/s390_uv"

setup_file() {
	export S="$BATS_FILE_TMPDIR"
	s390_make_pki "$S/pki"
	s390_make_inputs "$S/in"
	printf '11%.0s' $(seq 32) | xxd -r -p > "$S/hdr.key"
	(printf '21%.0s' $(seq 32); printf '22%.0s' $(seq 32)) | xxd -r -p > "$S/comp.key"
	printf '31%.0s' $(seq 32) | xxd -r -p > "$S/cck.key"
}

verify_args() {
	P="$S/pki"
	echo -C "$P/ibm.crt" -C "$P/inter_ca.crt" --crl "$P/ibm.crl" --crl "$P/inter_ca.crl" \
		--crl "$P/root_ca.crl" --root-ca "$P/root_ca.crt"
}

det_args() {
	echo --x-header-key "$S/hdr.key" --x-comp-key "$S/comp.key" --comm-key "$S/cck.key" \
		--x-cust-key "$S/pki/host_old.key" --x-header-iv 000102030405060708090a0b \
		--x-tweak kernel=a1a2a3a4a5a6 --x-tweak ramdisk=b1b2b3b4b5b6 \
		--x-tweak parmline=c1c2c3c4c5c6 --x-tweak stage3b=d1d2d3d4d5d6
}

build() { # extra args...
	cgs-mkimage s390-pv -i "$S/in/kernel" -r "$S/in/ramdisk" -p "$S/in/parmfile" \
		-k "$S/pki/host.crt" -k "$S/pki/host2.crt" $(verify_args) \
		--loader-dir "$S/in/loaders" "$@"
}

u64_at() { # file offset -> hex
	xxd -s "$2" -l 8 -p "$1"
}

str_at() { # file offset len -> bytes as text
	tail -c +$(($2 + 1)) "$1" | head -c "$3"
}
