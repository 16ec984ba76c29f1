#!/usr/bin/env bats
# cgs-mkimage s390-pv / s390-info / s390-extract-header: refusals. Host-key
# documents that fail verification, missing and malformed inputs, bad keys,
# existing outputs: exit code and message asserted, nothing left behind.

load ../helpers/common
load ../helpers/s390_pki
load ../helpers/s390_cli

@test "host-key documents that fail verification: exit 2 with the reason, no output" {
	O="$BATS_TEST_TMPDIR"
	for c in "host_rev:certificate revoked" "host_expired:validity period is not valid" \
		 "fake_host:no IBM Z signing key that issued this host-key document found"; do
		run -2 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$S/pki/host.crt" \
			-k "$S/pki/${c%%:*}.crt" $(verify_args) --loader-dir "$S/in/loaders" -o "$O/x.img"
		[[ $stderr == *"'$S/pki/${c%%:*}.crt': ${c#*:}"* ]] || { echo "$stderr"; false; }
	done
	P="$S/pki"
	run -2 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$P/host.crt" -C "$P/ibm.crt" \
		-C "$P/inter_ca.crt" --crl "$P/ibm.crl" --crl "$P/inter_ca.crl" --root-ca "$P/root_ca.crt" \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"IBM Z Intermediate CA"*"': unable to get certificate CRL"* ]]
	run -2 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$P/host.crt" -C "$P/ibm.crt" \
		-C "$P/inter_ca.crt" --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl" --root-ca "$P/root_ca.crt" \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"IBM Z signing key: no CRL found"* ]]
	run -2 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$P/host.crt" -C "$P/fake/ca.crt" \
		-C "$P/inter_ca.crt" --crl "$P/ibm.crl" --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl" \
		--root-ca "$P/root_ca.crt" --loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"failed to verify certificate"* ]]
	[ ! -e "$O/x.img" ]
	assert_no_leftovers "$O" 'x.img*'
}

@test "bad input: missing files 66, ELF kernel and long command line 65, nothing written" {
	O="$BATS_TEST_TMPDIR"
	run -66 --separate-stderr cgs-mkimage s390-pv -i "$O/nope" -k "$S/pki/host.crt" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"'$O/nope'"* ]]
	run -66 cgs-mkimage s390-pv -i "$S/in/kernel" -k "$O/nope.crt" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	run -66 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$S/pki/host.crt" --no-verify \
		--loader-dir "$O/no-loaders" -o "$O/x.img"
	[[ $stderr == *"stage3a.bin"* ]]
	(printf '\177ELF'; head -c 70000 /dev/zero) > "$O/vmlinux"
	run -65 --separate-stderr cgs-mkimage s390-pv -i "$O/vmlinux" -k "$S/pki/host.crt" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"ELF file"* ]]
	head -c 1000 /dev/zero > "$O/tiny"
	run -65 --separate-stderr cgs-mkimage s390-pv -i "$O/tiny" -k "$S/pki/host.crt" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"not a raw s390x kernel image"* ]]
	s390_make_inputs "$O/legacy" 70000 0
	head -c 896 /dev/zero | tr '\0' 'a' > "$O/long"
	run -65 --separate-stderr cgs-mkimage s390-pv -i "$O/legacy/kernel" -p "$O/long" \
		-k "$S/pki/host.crt" --no-verify --loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"897 bytes with its NUL, the kernel accepts at most 896"* ]]
	run -0 --separate-stderr cgs-mkimage s390-pv -i "$O/legacy/kernel" -p "$O/long" \
		-k "$S/pki/host.crt" --no-verify --no-component-check --loader-dir "$S/in/loaders" -o "$O/y.img"
	[ ! -e "$O/x.img" ]
	assert_no_leftovers "$O" 'x.img*'
}

@test "bad keys: wrong curve and too many host keys 65, wrong key sizes 65" {
	O="$BATS_TEST_TMPDIR"
	run -65 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$S/pki/host_p256.crt" \
		--no-verify --loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"not on curve secp521r1"* ]]
	ks=()
	for i in $(seq 96); do ks+=(-k "$S/pki/host.crt"); done
	run -65 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" "${ks[@]}" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"too many host-key documents: 96"* ]]
	run -0 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" "${ks[@]:2}" --no-verify \
		--loader-dir "$S/in/loaders" -o "$O/95.img" --json
	[ "$(jq -r .header.size <<<"$output")" -eq 8160 ]
	run -65 --separate-stderr build --x-header-key "$S/comp.key" -o "$O/x.img"
	[[ $stderr == *"needs exactly 32 bytes"* ]]
	head -c 64 /dev/zero > "$O/same"
	run -65 --separate-stderr build --x-comp-key "$O/same" -o "$O/x.img"
	[[ $stderr == *"halves"* ]]
	run -65 --separate-stderr build --x-cust-key "$S/pki/host_p256.key" -o "$O/x.img"
	[[ $stderr == *"secp521r1"* ]]
	run -64 build --x-tweak initrd=010203040506 -o "$O/x.img"
	run -64 build --x-header-iv 0011 -o "$O/x.img"
	[ ! -e "$O/x.img" ]
	assert_no_leftovers "$O" 'x.img*'
}

@test "an existing output is kept unless --force (or --overwrite)" {
	O="$BATS_TEST_TMPDIR"
	echo keep > "$O/se.img"
	run -1 --separate-stderr build -o "$O/se.img"
	[[ $stderr == *"--force"* ]]
	[ "$(cat "$O/se.img")" = keep ]
	run -0 build -o "$O/se.img" --overwrite
	[ "$(str_at "$O/se.img" $((0x14000)) 8)" = IBMSecEx ]
}

@test "without --loader-dir the standard folders are searched and the error explains" {
	[ ! -e /usr/share/s390-tools/pvimg/stage3a.bin ] || skip "loaders installed on this host"
	[ ! -e /usr/share/s390-tools/genprotimg/stage3a.bin ] || skip "loaders installed on this host"
	run -66 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$S/pki/host.crt" --no-verify \
		-o "$BATS_TEST_TMPDIR/x.img"
	[[ $stderr == *"/usr/share/s390-tools/pvimg"* ]]
	[[ $stderr == *"dpkg -x"* ]]
	[[ $stderr == *"--loader-dir"* ]]
}

@test "an existing --save-hdr-key target stops the build before anything is written" {
	O="$BATS_TEST_TMPDIR"
	echo old > "$O/k"
	run -1 --separate-stderr build --save-hdr-key "$O/k" -o "$O/se.img"
	[[ $stderr == *"file exists"* ]]
	[ ! -e "$O/se.img" ]
	[ "$(cat "$O/k")" = old ]
}

@test "s390-info on bad input: missing 66, truncated or altered header 65" {
	O="$BATS_TEST_TMPDIR"
	run -66 --separate-stderr cgs-mkimage s390-info "$O/nope"
	run -0 build -o "$O/se.img"
	head -c $((0x14100)) "$O/se.img" > "$O/cut.img"
	run -65 --separate-stderr cgs-mkimage s390-info "$O/cut.img"
	[[ $stderr == *"failed to parse '$O/cut.img': truncated"* ]]
	cp "$O/se.img" "$O/v2.img"
	printf '\002' | dd of="$O/v2.img" bs=1 seek=$((0x1400a)) conv=notrunc 2>/dev/null
	run -65 --separate-stderr cgs-mkimage s390-info "$O/v2.img"
	[[ $stderr == *"unsupported header version 0x200"* ]]
	cp "$O/se.img" "$O/meta.img"
	printf '\001' | dd of="$O/meta.img" bs=1 seek=$((0xc00e)) conv=notrunc 2>/dev/null
	run -65 --separate-stderr cgs-mkimage s390-info "$O/meta.img"
	[[ $stderr == *"metadata block points at"* ]]
}

# --- issue 10 item 12: a test that fails for the right reason. The forged document
# --- names the IBM signing key as issuer and carries its key identifier, so only the
# --- signature check under the signing key's public key can reject it.
@test "s390 survivors: a host-key document with the signing key's name and key id, signed by another key, is refused" {
	O="$BATS_TEST_TMPDIR" P="$S/pki" F="$BATS_TEST_TMPDIR/forger"
	local ski subj
	ski=$(openssl x509 -in "$P/ibm.crt" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')
	subj=$(openssl x509 -in "$P/ibm.crt" -noout -subject -nameopt compat | sed 's/^subject=//')
	[ -n "$ski" ] && [ -n "$subj" ]
	_s390_ca_conf "$F"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$F/ca.key" 2>/dev/null
	openssl req -new -x509 -key "$F/ca.key" -days 3650 -sha512 -out "$F/ca.crt" -subj "$subj" \
		-addext "subjectKeyIdentifier=$ski" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$O/forged.key" 2>/dev/null
	_s390_issue "$F" "/C=US/O=$IBM_CORP/CN=forged/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key" \
		"$O/forged.key" "$O/forged.crt" hkd_ext
	# same issuer name and authority key id as a genuine document
	[ "$(openssl x509 -in "$O/forged.crt" -noout -issuer)" = \
		"$(openssl x509 -in "$P/host.crt" -noout -issuer)" ]
	[ "$(openssl x509 -in "$O/forged.crt" -noout -ext authorityKeyIdentifier | tail -n +2)" = \
		"$(openssl x509 -in "$P/host.crt" -noout -ext authorityKeyIdentifier | tail -n +2)" ]
	run -2 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$P/host.crt" \
		-k "$O/forged.crt" $(verify_args) --loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"'$O/forged.crt': no IBM Z signing key that issued this host-key document found"* ]] ||
		{ echo "$stderr"; false; }
	[ ! -e "$O/x.img" ]
	assert_no_leftovers "$O" 'x.img*'
}

# --- issue 10 item 12: a forced I/O failure. A file size limit (SIGXFSZ ignored) makes the
# --- image write fail part-way; the writer must not rename the partial temporary file.
@test "s390 survivors: a write error part-way (file size limit) leaves no image and no temporary file" {
	O="$BATS_TEST_TMPDIR"
	run -1 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh \
		cgs-mkimage s390-pv -i "$S/in/kernel" -r "$S/in/ramdisk" -k "$S/pki/host.crt" \
		$(verify_args) --loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"write error"* ]] || { echo "$stderr"; false; }
	[ -z "$output" ]
	[ ! -e "$O/x.img" ]
	assert_no_leftovers "$O" 'x.img*'
	# an existing image replaced with --force survives the failed write unchanged
	echo old >"$O/x.img"
	run -1 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh \
		cgs-mkimage s390-pv -i "$S/in/kernel" -r "$S/in/ramdisk" -k "$S/pki/host.crt" \
		$(verify_args) --loader-dir "$S/in/loaders" -o "$O/x.img" --force
	[ "$(cat "$O/x.img")" = old ]
	[ -z "$(find "$O" -maxdepth 1 -name 'x.img.tmp*')" ]
}

# --- issue 10 item 12: the converse. Signed by the IBM signing key itself, with its key
# --- id, but naming another issuer: only the issuer-name comparison can reject it.
@test "s390 survivors: a host-key document signed by the signing key under another issuer name is refused" {
	O="$BATS_TEST_TMPDIR" P="$S/pki" F="$BATS_TEST_TMPDIR/renamed"
	_s390_ca_conf "$F"
	cp "$P/ibm/ca.key" "$F/ca.key"
	openssl req -new -x509 -key "$F/ca.key" -days 3650 -sha512 -out "$F/ca.crt" \
		-subj "/C=US/O=Example Corp/CN=Example Corp/OU=Another Signing Service" \
		-addext "subjectKeyIdentifier=hash" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$O/renamed.key" 2>/dev/null
	_s390_issue "$F" "/C=US/O=$IBM_CORP/CN=renamed/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key" \
		"$O/renamed.key" "$O/renamed.crt" hkd_ext
	# signed with the IBM signing key (ibm/ca.key), so its key id is the genuine one too
	[ "$(openssl x509 -in "$O/renamed.crt" -noout -ext authorityKeyIdentifier | tail -n +2)" = \
		"$(openssl x509 -in "$P/host.crt" -noout -ext authorityKeyIdentifier | tail -n +2)" ]
	run -2 --separate-stderr cgs-mkimage s390-pv -i "$S/in/kernel" -k "$P/host.crt" \
		-k "$O/renamed.crt" $(verify_args) --loader-dir "$S/in/loaders" -o "$O/x.img"
	[[ $stderr == *"'$O/renamed.crt': no IBM Z signing key that issued this host-key document found"* ]] ||
		{ echo "$stderr"; false; }
	[ ! -e "$O/x.img" ]
}
