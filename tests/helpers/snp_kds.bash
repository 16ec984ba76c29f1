# A KDS tree from the test AMD PKI (tests/helpers/snp_pki.sh), for the collateral tests.
# Load after common.bash.

MILAN_CHIP=$(for i in $(seq 160 223); do printf '%02x' "$i"; done)
MILAN_SPLS="bl=3 tee=0 snp=8 ucode=219 4=0 5=0 6=0 7=0"
MILAN_TCB=bl=3,tee=0,snp=8,ucode=219
VCEK_ENTRY=amd/vcek/v1/Milan/$MILAN_CHIP/bl3-tee0-snp8-ucode219.der

der_crl() { openssl crl -in "$1" -outform DER -out "$2"; }

# kds_tree PKI_DIR ROOT LINE: ROOT/{vcek,vlek}/v1/LINE/{cert_chain,crl} as KDS serves them
kds_tree() {
	mkdir -p "$2/vcek/v1/$3" "$2/vlek/v1/$3"
	cp "$1/cert_chain.pem" "$2/vcek/v1/$3/cert_chain"
	cp "$1/vlek_chain.pem" "$2/vlek/v1/$3/cert_chain"
	der_crl "$1/crl.pem" "$2/vcek/v1/$3/crl"
	cp "$2/vcek/v1/$3/crl" "$2/vlek/v1/$3/crl"
}

# snp_milan_kds PKI_DIR KDS_ROOT: a Milan test PKI with a VCEK for MILAN_CHIP, a CRL, an
# expired CRL (PKI_DIR/crl_expired.pem) and their KDS tree
snp_milan_kds() {
	local p=$1 k=$2 pki="$TOP/tests/helpers/snp_pki.sh"
	"$pki" roots "$p" Milan
	"$pki" vek "$p" vcek "$p/vcek" Milan-B0 0 "$MILAN_SPLS" "$MILAN_CHIP"
	"$pki" crl "$p"
	openssl ca -config "$p/ca.cnf" -keyfile "$p/ark.key" -cert "$p/ark.pem" \
		-gencrl -crl_lastupdate 20200101000000Z -crl_nextupdate 20210101000000Z -md sha384 \
		-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -out "$p/crl_expired.pem" 2>/dev/null
	kds_tree "$p" "$k" Milan
	openssl x509 -in "$p/vcek.pem" -outform DER -out "$k/vcek/v1/Milan/$MILAN_CHIP"
}
