#!/bin/sh
# Test-only AMD-style SEV-SNP PKI made with the openssl CLI (never trust it):
#   snp_pki.sh roots DIR LINE          ARK-LINE, SEV-LINE (ASK), SEV-VLEK-LINE (ASVK),
#                                      RSA keys, RSASSA-PSS SHA-384 (salt 48) like AMD's;
#                                      DIR/cert_chain.pem = ASK+ARK, DIR/vlek_chain.pem = ASVK+ARK
#   snp_pki.sh vek DIR vcek|vlek OUT PRODUCT_NAME STRUCT_VERSION SPLS ID [DAYS]
#                                      P-384 VCEK/VLEK with AMD's extensions; SPLS is
#                                      "bl=3 tee=0 snp=8 ucode=115 [fmc=0]", ID the hwID in
#                                      hex (VCEK) or the cspID text (VLEK); OUT.pem, OUT.key
#   snp_pki.sh crl DIR [CERT_TO_REVOKE] DIR/crl.pem signed by the ARK
set -eu
SUBJ=${SNP_PKI_SUBJ:-"/OU=Engineering/C=US/L=Santa Clara/ST=CA/O=Advanced Micro Devices"}
PSS="-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48"

issue_ca() { # dir name cn serial
	printf '[e]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' \
		>"$1/$2.ext"
	openssl req -new -newkey rsa:2048 -nodes -keyout "$1/$2.key" -subj "$SUBJ/CN=$3" \
		-out "$1/$2.csr" 2>/dev/null
	# shellcheck disable=SC2086
	openssl x509 -req -in "$1/$2.csr" -CA "$1/ark.pem" -CAkey "$1/ark.key" -set_serial "$4" \
		-days 9000 $PSS -extfile "$1/$2.ext" -extensions e -out "$1/$2.pem" 2>/dev/null
}

roots() { # dir line
	mkdir -p "$1"
	# shellcheck disable=SC2086
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ark.key" -out "$1/ark.pem" \
		-subj "$SUBJ/CN=ARK-$2" -days 9000 -set_serial 0x10000 $PSS \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	issue_ca "$1" ask "SEV-$2" 0x10001
	issue_ca "$1" asvk "SEV-VLEK-$2" 0x10101
	cat "$1/ask.pem" "$1/ark.pem" >"$1/cert_chain.pem"
	cat "$1/asvk.pem" "$1/ark.pem" >"$1/vlek_chain.pem"
}

vek() { # dir kind out product_name struct_version spls id [days]
	dir=$1 kind=$2 out=$3 ext="$3.ext"
	{
		echo "[amd]"
		echo "1.3.6.1.4.1.3704.1.1 = ASN1:INTEGER:$5"
		echo "1.3.6.1.4.1.3704.1.2 = ASN1:IA5STRING:$4"
		for kv in $6; do
			case ${kv%%=*} in
			bl) n=1 ;; tee) n=2 ;; snp) n=3 ;; ucode) n=8 ;; fmc) n=9 ;; *) n=${kv%%=*} ;;
			esac
			echo "1.3.6.1.4.1.3704.1.3.$n = ASN1:INTEGER:${kv#*=}"
		done
		if [ "$kind" = vcek ]; then
			echo "1.3.6.1.4.1.3704.1.4 = DER:$7"
		else
			echo "1.3.6.1.4.1.3704.1.5 = ASN1:IA5STRING:$7"
		fi
	} >"$ext"
	cn=SEV-VCEK ca=ask
	[ "$kind" = vlek ] && cn=SEV-VLEK ca=asvk
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:secp384r1 -nodes -keyout "$out.key" \
		-subj "$SUBJ/CN=$cn" -out "$out.csr" 2>/dev/null
	# shellcheck disable=SC2086
	openssl x509 -req -in "$out.csr" -CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" -set_serial 0 \
		-days "${8:-2555}" $PSS -extfile "$ext" -extensions amd -out "$out.pem" 2>/dev/null
}

crl() { # dir [cert to revoke]
	dir=$1
	rm -f "$dir/index.txt" && touch "$dir/index.txt" && echo 01 >"$dir/crlnumber"
	printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=sha384\ndefault_crl_days=30\n' \
		"$dir" "$dir" >"$dir/ca.cnf"
	if [ -n "${2:-}" ]; then
		openssl ca -config "$dir/ca.cnf" -keyfile "$dir/ark.key" -cert "$dir/ark.pem" \
			-revoke "$2" 2>/dev/null
	fi
	# shellcheck disable=SC2086
	openssl ca -config "$dir/ca.cnf" -keyfile "$dir/ark.key" -cert "$dir/ark.pem" -gencrl \
		-md sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 \
		-out "$dir/crl.pem" 2>/dev/null
}

cmd=$1
shift
case $cmd in
roots | vek | crl) "$cmd" "$@" ;;
*) echo "usage: snp_pki.sh roots|vek|crl ..." >&2; exit 64 ;;
esac
