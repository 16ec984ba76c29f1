# demo: cgs-measure: the launch digest of an SEV-SNP guest
# Measures an SNP guest (4 EPYC-Milan vCPUs) booting a kernel directly, writes the
# JSON later steps verify against to $WORK/expected.json, and shows the firmware.
set -eu
sevgen="$BIN/../tests/helpers/sevgen"

# Debian's OVMF.fd (package ovmf) has no kernel hashes: measure it without a kernel
if [ -f /usr/share/ovmf/OVMF.fd ]; then
	printf 'OVMF.fd (Debian), 4 vCPUs:   '
	"$BIN/cgs-measure" --mode snp --vcpus 4 --vcpu-type EPYC-Milan --ovmf /usr/share/ovmf/OVMF.fd
fi

# a generated AmdSevX64-like firmware (kernel hashes at 0x810c00) for a direct boot
"$sevgen" ovmf "$WORK/OVMF.amdsev.fd" --size 0x200000 --hashes 0x810c00 \
	--section 0x800000:0x9000:1 --section 0x80a000:0x3000:1 --section 0x80d000:0x1000:2 \
	--section 0x80e000:0x1000:3 --section 0x80f000:0x1000:4 --section 0x811000:0x1f000:1 \
	--section 0x810000:0x1000:0x10
head -c 1048576 /dev/zero | tr '\0' 'k' > "$WORK/vmlinuz"
printf 'demo initrd\n' > "$WORK/initrd.img"
"$BIN/cgs-measure" ovmf-info "$WORK/OVMF.amdsev.fd" | grep -E '^(mapped|supports)'
set -- --mode snp --vcpus 4 --vcpu-type EPYC-Milan --ovmf "$WORK/OVMF.amdsev.fd" \
	--kernel "$WORK/vmlinuz" --initrd "$WORK/initrd.img" --append "console=ttyS0 ro"
printf 'direct boot, 4 vCPUs:        '
"$BIN/cgs-measure" "$@"
"$BIN/cgs-measure" "$@" --json > "$WORK/expected.json"
echo "wrote $WORK/expected.json (measurement, inputs, intermediate values)"
