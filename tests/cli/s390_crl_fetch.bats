#!/usr/bin/env bats
# s390 host-key verification without --crl: the CRLs come from the CRL distribution
# points of the host-key documents and the -C certificates, through the cache, from
# tests/helpers/kds_server.py on 127.0.0.1 (a generated IBM-Z-style PKI whose
# certificates name the test server; never the internet). --offline forbids the download.

load ../helpers/common
load ../helpers/kds_server
load ../helpers/s390_pki

setup_file() {
	local srv="$BATS_FILE_TMPDIR/srv" p="$BATS_FILE_TMPDIR/pki"
	mkdir -p "$srv/crl"
	kds_start "$srv"
	S390_PKI_CDP=$KDS_URL/crl s390_make_pki "$p"
	s390_make_inputs "$BATS_FILE_TMPDIR/in"
	cp "$p/root_ca.crl" "$srv/crl/root.crl"
	cp "$p/inter_ca.crl" "$srv/crl/inter.crl"
	cp "$p/ibm.crl" "$srv/crl/ibm.crl"
	# a CRL with the signing key's exact name, signed by another key
	mkdir -p "$p/other"
	_s390_ca_conf "$p/other"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$p/other/ca.key" 2>/dev/null
	openssl req -new -x509 -key "$p/other/ca.key" -days 30 -out "$p/other/ca.crt" -subj \
		"/C=US/ST=New York/L=Poughkeepsie/O=$IBM_CORP/OU=IBM Z Host Key Signing Service/CN=$IBM_CORP" 2>/dev/null
	openssl ca -batch -config "$p/other/ca.cnf" -gencrl -out "$p/fake.crl" 2>/dev/null
	# an expired CRL of the signing key
	openssl ca -batch -config "$p/ibm/ca.cnf" -gencrl -crl_lastupdate 20200101000000Z \
		-crl_nextupdate 20210101000000Z -out "$p/ibm_expired.crl" 2>/dev/null
}

teardown_file() {
	kds_stop
}

setup() {
	P="$BATS_FILE_TMPDIR/pki"
	SRV="$BATS_FILE_TMPDIR/srv"
	T="$BATS_TEST_TMPDIR"
	C="$T/cache"
	: >"$KDS_FAULTS"
	: >"$KDS_LOG"
	cp "$P/ibm.crl" "$SRV/crl/ibm.crl"
}

# creq HOST [options]: an attestation request for one host key, CRLs not given
creq() {
	local h=$1
	shift
	run cgs-verify s390 create-request -k "$P/$h.crt" -C "$P/ibm.crt" -C "$P/inter_ca.crt" \
		--root-ca "$P/root_ca.crt" --cache "$C" -o "$T/req" -a "$T/arpk" "$@"
}

ncrls() { find "$C" -path '*/crl/*.crl' -type f 2>/dev/null | wc -l; }

@test "s390 CRLs: fetched from the distribution points into the cache, then reused" {
	creq host
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -f "$T/req" ]
	[ "$(ncrls)" -eq 3 ]
	grep -qx "GET /crl/ibm.crl" "$KDS_LOG"
	grep -qx "GET /crl/inter.crl" "$KDS_LOG"
	grep -qx "GET /crl/root.crl" "$KDS_LOG"
	# the entry is named by the SHA-256 of the URL
	h=$(printf '%s' "$KDS_URL/crl/ibm.crl" | sha256sum | cut -d' ' -f1)
	cmp "$C/crl/$h.crl" "$P/ibm.crl"
	n=$(kds_requests)
	rm -f "$T/req" "$T/arpk"
	creq host
	[ "$status" -eq 0 ]
	[ "$(kds_requests)" -eq "$n" ]
}

@test "s390 CRLs: --offline uses the cache only; a missing CRL is an error with a hint" {
	creq host --offline
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not in the cache and --offline forbids downloading it from '$KDS_URL/crl/"*"(give it with --crl FILE)"* ]]
	[ "$(kds_requests)" -eq 0 ]
	[ ! -e "$T/req" ]
	creq host
	[ "$status" -eq 0 ]
	rm -f "$T/req" "$T/arpk"
	: >"$KDS_LOG"
	creq host --offline
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(kds_requests)" -eq 0 ]
}

@test "s390 CRLs: a host key revoked by the fetched CRL is refused" {
	creq host_rev
	[ "$status" -eq 2 ]
	[[ "$output" == *"failed to verify the host-key document '$P/host_rev.crt'"*"revoked"* ]]
	[ ! -e "$T/req" ]
}

@test "s390 CRLs: a download failure is exit 1; nothing is cached for it" {
	echo "/crl/ibm.crl status 404" >"$KDS_FAULTS"
	creq host
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot download the CRL '$KDS_URL/crl/ibm.crl': HTTP 404 Not Found from '127.0.0.1'"* ]]
	[ ! -e "$T/req" ]
	h=$(printf '%s' "$KDS_URL/crl/ibm.crl" | sha256sum | cut -d' ' -f1)
	[ ! -e "$C/crl/$h.crl" ]
}

@test "s390 CRLs: HTML, a CRL of another key and an expired CRL are refused, not cached" {
	h=$(printf '%s' "$KDS_URL/crl/ibm.crl" | sha256sum | cut -d' ' -f1)
	echo "/crl/ibm.crl html" >"$KDS_FAULTS"
	creq host
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused the CRL from '$KDS_URL/crl/ibm.crl': not a CRL (DER or PEM) (not cached)"* ]]
	[ ! -e "$C/crl/$h.crl" ]
	: >"$KDS_FAULTS"
	cp "$P/fake.crl" "$SRV/crl/ibm.crl"
	creq host
	[ "$status" -eq 1 ]
	[[ "$output" == *"the CRL signature does not verify under the issuer's key (not cached)"* ]]
	[ ! -e "$C/crl/$h.crl" ]
	cp "$P/ibm_expired.crl" "$SRV/crl/ibm.crl"
	creq host
	[ "$status" -eq 1 ]
	[[ "$output" == *"the CRL has expired (nextUpdate passed) (not cached)"* ]]
	[ ! -e "$C/crl/$h.crl" ]
}

@test "s390 CRLs: a stale cached CRL is fetched again (and refused offline)" {
	creq host
	[ "$status" -eq 0 ]
	rm -f "$T/req" "$T/arpk"
	h=$(printf '%s' "$KDS_URL/crl/ibm.crl" | sha256sum | cut -d' ' -f1)
	cp "$P/ibm_expired.crl" "$C/crl/$h.crl"
	creq host --offline
	[ "$status" -eq 2 ]
	[[ "$output" == *"is stale in the cache and --offline forbids downloading it"* ]]
	creq host
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	cmp "$C/crl/$h.crl" "$P/ibm.crl"
}

@test "s390 CRLs: --crl given: nothing is downloaded; --no-verify: nothing either" {
	creq host --crl "$P/ibm.crl" --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	rm -f "$T/req" "$T/arpk"
	creq host --no-verify
	[ "$status" -eq 0 ]
	[ "$(kds_requests)" -eq 0 ]
	[ "$(ncrls)" -eq 0 ]
}

@test "s390 CRLs: cgs-mkimage s390-secret fetches them the same way" {
	"$BUILD/tests/helpers/s390_uv_attest" mkhdr "$T/hdr.bin" "$P/host.crt"
	sec=(cgs-mkimage s390-secret -k "$P/host.crt" -C "$P/ibm.crt" -C "$P/inter_ca.crt"
		--root-ca "$P/root_ca.crt" --cache "$C" --hdr "$T/hdr.bin" -o "$T/o")
	run "${sec[@]}" --offline meta
	[ "$status" -eq 2 ]
	[[ "$output" == *"--offline forbids downloading"* ]]
	[ "$(kds_requests)" -eq 0 ]
	[ ! -e "$T/o" ]
	run "${sec[@]}" meta
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -s "$T/o" ]
	[ "$(ncrls)" -eq 3 ]
}

@test "s390 CRLs: cgs-mkimage s390-pv fetches them too, and reuses them offline" {
	local in="$BATS_FILE_TMPDIR/in"
	pv=(cgs-mkimage s390-pv -i "$in/kernel" -k "$P/host.crt" -C "$P/ibm.crt" -C "$P/inter_ca.crt"
		--root-ca "$P/root_ca.crt" --cache "$C" --loader-dir "$in/loaders")
	run "${pv[@]}" --offline -o "$T/a.img"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--offline forbids downloading"* ]]
	[ ! -e "$T/a.img" ]
	run "${pv[@]}" -o "$T/a.img"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"(verified)"* ]]
	[ "$(ncrls)" -eq 3 ]
	: >"$KDS_LOG"
	run "${pv[@]}" --offline -o "$T/b.img"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(kds_requests)" -eq 0 ]
}
