#!/bin/sh
# SPDX-License-Identifier: MIT
# Test-only Intel-style DCAP PKI made with the openssl CLI (never trust it); all
# ECDSA P-256 / SHA-256 like Intel's:
#   tdx_pki.sh pki DIR      root.pem ("Intel SGX Root CA" subject, a test key),
#                           platform.pem / processor.pem (PCK Platform / Processor CA),
#                           tcbsign.pem (TCB Signing), DIR/tcb_chain.pem = tcbsign + root
#   tdx_pki.sh pck DIR OUT CA FMSPC "SVN1 ... SVN16" PCESVN
#                           a PCK certificate (CA = platform|processor) with the Intel SGX
#                           extension; OUT.pem, OUT.key, OUT_chain.pem = PCK + CA + root
#   tdx_pki.sh crl DIR CA [CERT_TO_REVOKE]
#                           DIR/CA_crl.der signed by CA (root|platform|processor), 30 days
set -eu
O="/O=Intel Corporation/L=Santa Clara/ST=CA/C=US"
EXT=1.2.840.113741.1.13.1

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca_ext() { printf '[e]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$1"; }

issue() { # dir name cn issuer serial ext-file ext-section
	key "$1/$2.key"
	openssl req -new -key "$1/$2.key" -subj "/CN=$3$O" -out "$1/$2.csr" 2>/dev/null
	openssl x509 -req -in "$1/$2.csr" -CA "$1/$4.pem" -CAkey "$1/$4.key" -set_serial "$5" \
		-days 3650 -sha256 -extfile "$6" -extensions "$7" -out "$1/$2.pem" 2>/dev/null
}

pki() {
	d=$1
	mkdir -p "$d"
	key "$d/root.key"
	openssl req -x509 -key "$d/root.key" -subj "/CN=Intel SGX Root CA$O" -days 7300 -sha256 \
		-set_serial 0x1000 -addext "basicConstraints=critical,CA:TRUE,pathlen:1" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" -out "$d/root.pem" 2>/dev/null
	ca_ext "$d/ca.ext"
	issue "$d" platform "Intel SGX PCK Platform CA" root 0x2001 "$d/ca.ext" e
	issue "$d" processor "Intel SGX PCK Processor CA" root 0x2002 "$d/ca.ext" e
	printf '[e]\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >"$d/leaf.ext"
	issue "$d" tcbsign "Intel SGX TCB Signing" root 0x3001 "$d/leaf.ext" e
	cat "$d/tcbsign.pem" "$d/root.pem" >"$d/tcb_chain.pem"
}

pck() { # dir out ca fmspc svns pcesvn
	d=$1 out=$2 ca=$3 fmspc=$4 svns=$5 pcesvn=$6
	{
		echo "[e]"
		echo "keyUsage=critical,digitalSignature,nonRepudiation"
		echo "$EXT = ASN1:SEQUENCE:sgx"
		echo "[sgx]"
		echo "a1 = SEQUENCE:ppid"
		echo "a2 = SEQUENCE:tcbw"
		echo "a3 = SEQUENCE:pceid"
		echo "a4 = SEQUENCE:fmspc"
		echo "a5 = SEQUENCE:sgxtype"
		echo "[ppid]"
		echo "o = OID:$EXT.1"
		echo "v = FORMAT:HEX,OCTETSTRING:00112233445566778899aabbccddeeff"
		echo "[pceid]"
		echo "o = OID:$EXT.3"
		echo "v = FORMAT:HEX,OCTETSTRING:0000"
		echo "[fmspc]"
		echo "o = OID:$EXT.4"
		echo "v = FORMAT:HEX,OCTETSTRING:$fmspc"
		echo "[sgxtype]"
		echo "o = OID:$EXT.5"
		echo "v = ENUMERATED:0"
		echo "[tcbw]"
		echo "o = OID:$EXT.2"
		echo "v = SEQUENCE:tcb"
		echo "[tcb]"
		i=1
		for s in $svns; do echo "c$i = SEQUENCE:c$i"; i=$((i + 1)); done
		echo "c17 = SEQUENCE:c17"
		echo "c18 = SEQUENCE:c18"
		i=1 cpusvn=
		for s in $svns; do
			printf '[c%d]\no = OID:%s.2.%d\nv = INTEGER:%d\n' "$i" "$EXT" "$i" "$s"
			cpusvn="$cpusvn$(printf %02x "$s")"
			i=$((i + 1))
		done
		printf '[c17]\no = OID:%s.2.17\nv = INTEGER:%d\n' "$EXT" "$pcesvn"
		printf '[c18]\no = OID:%s.2.18\nv = FORMAT:HEX,OCTETSTRING:%s\n' "$EXT" "$cpusvn"
	} >"$out.ext"
	serial=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
	key "$out.key"
	openssl req -new -key "$out.key" -subj "/CN=Intel SGX PCK Certificate$O" -out "$out.csr" 2>/dev/null
	openssl x509 -req -in "$out.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" -set_serial "0x$serial" \
		-days 3650 -sha256 -extfile "$out.ext" -extensions e -out "$out.pem" 2>/dev/null
	cat "$out.pem" "$d/$ca.pem" "$d/root.pem" >"${out}_chain.pem"
}

crl() { # dir ca [cert to revoke]
	d=$1 ca=$2 db="$1/$2.db"
	mkdir -p "$db"
	: >"$db/index.txt"
	echo 01 >"$db/crlnumber"
	printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n' \
		"$db" "$db" >"$db/ca.cnf"
	if [ -n "${3:-}" ]; then
		openssl ca -config "$db/ca.cnf" -keyfile "$d/$ca.key" -cert "$d/$ca.pem" -revoke "$3" 2>/dev/null
	fi
	openssl ca -config "$db/ca.cnf" -keyfile "$d/$ca.key" -cert "$d/$ca.pem" -gencrl \
		-out "$db/crl.pem" 2>/dev/null
	openssl crl -in "$db/crl.pem" -outform DER -out "$d/${ca}_crl.der"
}

cmd=$1
shift
"$cmd" "$@"
