# An IBM-Z-style test PKI made with the openssl CLI (no shared vectors needed):
# root CA -> intermediate CA -> "IBM Z Host Key Signing Service" signing key ->
# host-key documents (secp521r1 ECDH keys), with a CRL at every level.
# Usage: s390_make_pki DIR   (creates DIR/{root_ca,inter_ca,ibm}.{crt,key,crl}, host*.crt/.key)
# With S390_PKI_CDP=URL set, every issued certificate names its issuer's CRL as a CRL
# distribution point: URL/root.crl, URL/inter.crl or URL/ibm.crl.

IBM_CORP="International Business Machines Corporation"
IBM_SUBJ="/C=US/O=$IBM_CORP/CN=$IBM_CORP/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key Signing Service"

_s390_ca_conf() { # dir
	local cdp=
	[ -z "${S390_PKI_CDP:-}" ] || cdp="crlDistributionPoints = URI:$S390_PKI_CDP/$(basename "$1").crl"
	mkdir -p "$1/db"
	: > "$1/db/index.txt"
	echo 1000 > "$1/db/serial"
	echo 01 > "$1/db/crlnumber"
	cat > "$1/ca.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
dir = $1
database = \$dir/db/index.txt
serial = \$dir/db/serial
crlnumber = \$dir/db/crlnumber
new_certs_dir = \$dir/db
certificate = \$dir/ca.crt
private_key = \$dir/ca.key
default_md = sha512
default_days = 3650
default_crl_days = 3650
policy = any
unique_subject = no
copy_extensions = none
[ any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$cdp
[ signing_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$cdp
[ hkd_ext ]
keyUsage = critical, keyAgreement
authorityKeyIdentifier = keyid:always
$cdp
[ crl_ext ]
authorityKeyIdentifier = keyid:always
CNF
}

# _s390_issue CA_DIR SUBJ KEY OUT EXT [extra openssl ca args]
_s390_issue() {
	local ca=$1 subj=$2 key=$3 out=$4 ext=$5
	shift 5
	openssl req -new -key "$key" -subj "$subj" -out "$out.csr" 2>/dev/null
	openssl ca -batch -notext -config "$ca/ca.cnf" -extensions "$ext" -in "$out.csr" \
		-out "$out" "$@" 2>/dev/null
}

_s390_crl() { # CA_DIR OUT
	openssl ca -batch -config "$1/ca.cnf" -gencrl -crlexts crl_ext -out "$2" 2>/dev/null
}

s390_make_pki() {
	local d=$1
	mkdir -p "$d/root" "$d/inter" "$d/ibm"
	for ca in root inter ibm; do
		_s390_ca_conf "$d/$ca"
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/$ca/ca.key" 2>/dev/null
	done
	openssl req -new -x509 -key "$d/root/ca.key" -days 3650 -sha512 -out "$d/root/ca.crt" \
		-subj "/C=US/O=$IBM_CORP/CN=$IBM_CORP/ST=New York/L=Armonk/OU=IBM Z Test Root CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" 2>/dev/null
	_s390_issue "$d/root" "/C=US/O=$IBM_CORP/CN=$IBM_CORP/ST=New York/L=Armonk/OU=IBM Z Intermediate CA" \
		"$d/inter/ca.key" "$d/inter/ca.crt" ca_ext
	_s390_issue "$d/inter" "$IBM_SUBJ" "$d/ibm/ca.key" "$d/ibm/ca.crt" signing_ext
	for h in host host2 host_rev; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$d/$h.key" 2>/dev/null
		_s390_issue "$d/ibm" "/C=US/O=$IBM_CORP/CN=$h/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key" \
			"$d/$h.key" "$d/$h.crt" hkd_ext
	done
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$d/host_old.key" 2>/dev/null
	_s390_issue "$d/ibm" "/C=US/O=$IBM_CORP/CN=old/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key" \
		"$d/host_old.key" "$d/host_expired.crt" hkd_ext -startdate 20200101000000Z \
		-enddate 20210101000000Z
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$d/host_p256.key" 2>/dev/null
	_s390_issue "$d/ibm" "/C=US/O=$IBM_CORP/CN=p256/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key" \
		"$d/host_p256.key" "$d/host_p256.crt" hkd_ext
	openssl ca -batch -config "$d/ibm/ca.cnf" -revoke "$d/host_rev.crt" 2>/dev/null
	_s390_crl "$d/root" "$d/root_ca.crl"
	_s390_crl "$d/inter" "$d/inter_ca.crl"
	_s390_crl "$d/ibm" "$d/ibm.crl"
	cp "$d/root/ca.crt" "$d/root_ca.crt"
	cp "$d/inter/ca.crt" "$d/inter_ca.crt"
	cp "$d/ibm/ca.crt" "$d/ibm.crt"
	# a look-alike signing key from another root, and a host key it issued
	mkdir -p "$d/fake"
	_s390_ca_conf "$d/fake"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/fake/ca.key" 2>/dev/null
	openssl req -new -x509 -key "$d/fake/ca.key" -days 3650 -sha512 -out "$d/fake/ca.crt" \
		-subj "$IBM_SUBJ" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -out "$d/fake_host.key" 2>/dev/null
	_s390_issue "$d/fake" "/C=US/O=$IBM_CORP/CN=fake/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key" \
		"$d/fake_host.key" "$d/fake_host.crt" hkd_ext
}

# Synthetic inputs: a raw-kernel-shaped file (S390EP at 0x10008, command-line
# limit at 0x10430), a ramdisk, a parmfile and loader templates of the sizes
# of real loaders (stage3a 9912 B, stage3b_reloc 5860 B). Nothing here boots.
# Usage: s390_make_inputs DIR [KERNEL_BYTES] [CMDLINE_MAX]
s390_make_inputs() {
	local d=$1 ksize=${2:-200000} cmax=${3:-4096}
	mkdir -p "$d/loaders"
	head -c "$ksize" /dev/urandom > "$d/kernel"
	printf 'S390EP' | dd of="$d/kernel" bs=1 seek=$((0x10008)) conv=notrunc 2>/dev/null
	printf '%016x' "$cmax" | xxd -r -p | dd of="$d/kernel" bs=1 seek=$((0x10430)) conv=notrunc 2>/dev/null
	head -c 12345 /dev/urandom > "$d/ramdisk"
	printf 'root=/dev/vda1 console=ttysclp0 quiet\n' > "$d/parmfile"
	head -c 9912 /dev/urandom > "$d/loaders/stage3a.bin"
	head -c 5860 /dev/urandom > "$d/loaders/stage3b_reloc.bin"
}
