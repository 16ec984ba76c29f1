# demo: IBM Z Secure Execution image (test PKI, synthetic loaders; does NOT boot)
# Makes an IBM-Z-style test PKI with openssl, a tiny kernel-shaped file and
# initrd, and loader templates of realistic sizes, builds a verified Secure
# Execution image and shows it with s390-info. The loaders here are random
# bytes, not s390x code: the image has the real format but does not boot.
set -eu
. tests/helpers/s390_pki.bash
d="$WORK/s390"
s390_make_pki "$d/pki"
s390_make_inputs "$d/in" 100000
p="$d/pki"
"$BIN/cgs-mkimage" s390-pv -i "$d/in/kernel" -r "$d/in/ramdisk" -p "$d/in/parmfile" \
	-k "$p/host.crt" -k "$p/host2.crt" -C "$p/ibm.crt" -C "$p/inter_ca.crt" \
	--crl "$p/ibm.crl" --crl "$p/inter_ca.crl" --crl "$p/root_ca.crl" --root-ca "$p/root_ca.crt" \
	--loader-dir "$d/in/loaders" --save-hdr-key "$d/hdr.key" -o "$d/se.img" --json > "$d/se.json"
echo "built se.img ($(wc -c < "$d/se.img") bytes) for 2 verified host keys; the header tags:"
sed -n 's/.*"tags": "\([0-9a-f]\{32\}\).*/  \1.../p' "$d/se.json"
"$BIN/cgs-mkimage" s390-info --hdr-key "$d/hdr.key" "$d/se.img" | sed 's/^/  /'
if "$BIN/cgs-mkimage" s390-pv -i "$d/in/kernel" -k "$p/host_rev.crt" -C "$p/ibm.crt" \
	-C "$p/inter_ca.crt" --crl "$p/ibm.crl" --crl "$p/inter_ca.crl" --crl "$p/root_ca.crl" \
	--root-ca "$p/root_ca.crt" --loader-dir "$d/in/loaders" -o "$d/bad.img" 2> "$d/err"; then
	echo "unexpected: a revoked host key was accepted"
	exit 1
fi
echo "a revoked host-key document is refused: $(cat "$d/err")"
echo "note: synthetic loaders, so this image does not boot; real ones come from s390-tools"
