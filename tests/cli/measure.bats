#!/usr/bin/env bats
# cgs-measure on synthetic firmware built by the tests (and Debian's OVMF.fd when
# installed): digests re-computed independently with openssl, VMM orderings, and
# every malformed-input case with its exit code and message.

load ../helpers/common
load ../helpers/sev

# 4-page firmware with every section type and kernel hashes at 0x805c00
SECTIONS=(--section 0x800000:0x2000:1 --section 0x802000:0x1000:3
	--section 0x803000:0x1000:2 --section 0x804000:0x1000:4
	--section 0x806000:0x1000:1 --section 0x805000:0x1000:0x10)

setup_file() {
	# fw.fd and the chain after its pages, computed once with openssl
	cd "$BATS_FILE_TMPDIR"
	"$SEVGEN" ovmf fw.fd --size 0x4000 --hashes 0x805c00 "${SECTIONS[@]}"
	chain_reset
	chain_file $((0x100000000 - 0x4000)) fw.fd
	export FW_LD=$LD
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$BATS_FILE_TMPDIR/fw.fd" fw.fd
	printf 'synthetic kernel image\n' > vmlinuz
	head -c 5000 /dev/urandom > initrd
}

# expected SNP digest of fw.fd: snp_expect VMM KERNEL? (VMSA pages from --dump-vmsa)
snp_expect() { # vmm with-kernel vcpus
	local vmm=$1 kernel=$2 n=$3 i unm=3
	[ "$vmm" = gce ] && unm=4
	LD=$FW_LD
	chain_blank $unm $((0x800000)) $((0x2000))
	[ "$vmm" = ec2 ] || chain_update 6 $((0x802000)) $ZERO48
	chain_update 5 $((0x803000)) $ZERO48
	chain_blank 3 $((0x804000)) 4096
	chain_blank $unm $((0x806000)) 4096
	if [ -n "$kernel" ]; then
		{ head -c $((0xc00)) /dev/zero; hashes_table vmlinuz initrd "ro quiet" | xxd -r -p
		  head -c $((4096 - 0xc00 - 176)) /dev/zero; } > khpage
		chain_update 1 $((0x805000)) "$(sha384_hex < khpage)"
	else
		chain_blank 3 $((0x805000)) 4096
	fi
	[ "$vmm" = ec2 ] && chain_update 6 $((0x802000)) $ZERO48
	local bsp ap
	bsp=$(sha384_hex < vmsa0.bin)
	[ "$n" -gt 1 ] && ap=$(sha384_hex < vmsa1.bin)
	for ((i = 0; i < n; i++)); do
		chain_update 2 $((0xfffffffff000)) "$([ "$i" = 0 ] && echo "$bsp" || echo "$ap")"
	done
	echo "$LD"
}

@test "snp on synthetic firmware: QEMU, ec2 and gce orderings, with and without kernel hashes" {
	for case in QEMU:yes ec2: gce:yes; do
		vmm=${case%:*} k=${case#*:}
		args=(--mode snp --vcpus 3 --vcpu-type EPYC-Milan --vmm-type "$vmm"
			--ovmf fw.fd --dump-vmsa)
		[ -n "$k" ] && args+=(--kernel vmlinuz --initrd initrd --append "ro quiet")
		rm -f vmsa*.bin
		run -0 cgs-measure "${args[@]}"
		[ "$output" = "$(snp_expect "$vmm" "$k" 3)" ] || {
			echo "mismatch for $vmm kernel=$k"; false; }
	done
	# BSP and APs differ, the APs are identical
	cmp -s vmsa1.bin vmsa2.bin
	! cmp -s vmsa0.bin vmsa1.bin
}

@test "snp:ovmf-hash is the chain over the firmware pages; --snp-ovmf-hash resumes it" {
	LD=$FW_LD
	run -0 cgs-measure --mode snp:ovmf-hash --ovmf fw.fd
	[ "$output" = "$LD" ]
	full=$(cgs-measure --mode snp --vcpus 2 --vcpu-sig 0xa00f11 --ovmf fw.fd)
	run -0 cgs-measure --mode snp --vcpus 2 --vcpu-sig 0xa00f11 --ovmf fw.fd --snp-ovmf-hash "$LD"
	[ "$output" = "$full" ]
	# the family/model/stepping form of the same signature
	run -0 cgs-measure --mode snp --vcpus 2 --vcpu-family 25 --vcpu-model 1 --vcpu-stepping 1 \
		--ovmf fw.fd
	[ "$output" = "$full" ]
}

@test "sev: SHA-256 of the firmware, then the kernel-hashes table" {
	run -0 cgs-measure --mode sev --ovmf fw.fd
	[ "$output" = "$(sha256_hex < fw.fd)" ]
	run -0 cgs-measure --mode sev --ovmf fw.fd --kernel vmlinuz --initrd initrd --append "ro quiet"
	[ "$output" = "$({ cat fw.fd; hashes_table vmlinuz initrd "ro quiet" | xxd -r -p; } | sha256_hex)" ]
	# no --initrd: the hash of nothing; no --append: the NUL byte only
	run -0 cgs-measure --mode sev --ovmf fw.fd --kernel vmlinuz
	[ "$output" = "$({ cat fw.fd; hashes_table vmlinuz "" "" | xxd -r -p; } | sha256_hex)" ]
	run -0 cgs-measure --mode sev --ovmf fw.fd --kernel vmlinuz --json
	[ "$(jq -r .digest_alg <<<"$output")" = sha256 ]
	[ "$(jq -r .intermediate.hashes_table <<<"$output")" = "$(hashes_table vmlinuz "" "")" ]
	[ "$(jq -r .inputs.kernel.sha256 <<<"$output")" = "$(sha256_hex < vmlinuz)" ]
}

@test "seves: firmware, table, then the BSP and AP VMSA pages" {
	run -0 cgs-measure --mode seves --vcpus 3 --vcpu-type EPYC --ovmf fw.fd --kernel vmlinuz \
		--dump-vmsa
	[ "$output" = "$({ cat fw.fd; hashes_table vmlinuz "" "" | xxd -r -p; cat vmsa0.bin vmsa1.bin \
		vmsa2.bin; } | sha256_hex)" ]
	# SEV-ES VMSAs carry SEV_FEATURES 0 whatever --guest-features says
	[ "$(xxd -p -s $((0x3b0)) -l 8 vmsa0.bin)" = 0000000000000000 ]
}

@test "the VMSA pages carry the register values of the spec" {
	run -0 cgs-measure --mode snp --vcpus 2 --vcpu-type EPYC-Milan --guest-features 0x21 \
		--ovmf fw.fd --dump-vmsa
	field() { xxd -p -s $(($2)) -l "$3" "$1"; }
	[ "$(field vmsa0.bin 0x10 16)" = 00f09b00ffff00000000ffff00000000 ] # CS of the BSP
	[ "$(field vmsa1.bin 0x10 16)" = 00f09b00ffff00000000800000000000 ] # AP: base 0x800000
	[ "$(field vmsa1.bin 0x178 8)" = 04b0000000000000 ]                 # AP RIP 0xb004
	[ "$(field vmsa0.bin 0x310 8)" = 110fa00000000000 ]                 # RDX = signature
	[ "$(field vmsa0.bin 0x3b0 8)" = 2100000000000000 ]                 # SEV_FEATURES
	[ "$(field vmsa0.bin 0x408 4)" = 801f0000 ]                         # MXCSR
	[ "$(field vmsa0.bin 0x410 2)" = 7f03 ]                             # x87 FCW
	run -0 cgs-measure --mode snp --vcpus 1 --vmm-type gce --ovmf fw.fd --dump-vmsa
	[ "$(field vmsa0.bin 0x268 8)" = 0601070000000000 ]                 # G_PAT on gce
	[ "$(field vmsa0.bin 0x310 8)" = 0006000000000000 ]                 # RDX 0x600
	run -0 cgs-measure --mode snp --vcpus 1 --vmm-type ec2 --ec2-legacy --ovmf fw.fd --dump-vmsa
	[ "$(field vmsa0.bin 0x310 8)" = 0000000000000000 ]
	[ "$(field vmsa0.bin 0x12 2)" = 9a00 ]                              # BSP CS attrib
}

@test "snp:svsm on a synthetic SVSM binary" {
	"$SEVGEN" ovmf svsm.bin --size 0x3000 --svsm-info 0x40 --section 0x9000:0x2000:1 \
		--section 0xb000:0x1000:2 --section 0xc000:0x1000:3 --fill 0x11
	head -c 8192 /dev/zero > vars.fd
	run -0 cgs-measure --mode snp:svsm --vcpus 2 --vcpu-sig 0 --ovmf fw.fd --svsm svsm.bin \
		--vars-file vars.fd --dump-vmsa
	local got=$output svsm_gpa=$((0x100000000 - 0x4000 - 8192 - 0x3000))
	chain_reset
	chain_file $((0x100000000 - 0x4000)) fw.fd
	chain_file $svsm_gpa svsm.bin
	chain_blank 3 $((0x9000)) $((0x2000))
	chain_update 5 $((0xb000)) $ZERO48
	chain_update 6 $((0xc000)) $ZERO48
	chain_update 2 $((0xfffffffff000)) "$(sha384_hex < vmsa0.bin)"
	chain_update 2 $((0xfffffffff000)) "$(sha384_hex < vmsa1.bin)"
	[ "$got" = "$LD" ]
	[ "$(xxd -p -s $((0x178)) -l 8 vmsa0.bin)" = "$(le_hex $((svsm_gpa + 0x40)) 8)" ]
	run -0 cgs-measure --mode snp:svsm --vcpus 2 --vcpu-sig 0 --ovmf fw.fd --svsm svsm.bin \
		--vars-size 8192
	[ "$output" = "$got" ]
}

@test "Debian's OVMF.fd: sev digest is its SHA-256, snp resumes from its OVMF hash" {
	[ -f /usr/share/ovmf/OVMF.fd ] || skip "/usr/share/ovmf/OVMF.fd (Debian ovmf) not installed"
	local f=/usr/share/ovmf/OVMF.fd
	run -0 cgs-measure --mode sev --ovmf "$f"
	[ "$output" = "$(sha256_hex < "$f")" ]
	h=$(cgs-measure --mode snp:ovmf-hash --ovmf "$f")
	full=$(cgs-measure --mode snp --vcpus 4 --vcpu-type EPYC-v4 --ovmf "$f")
	run -0 cgs-measure --mode snp --vcpus 4 --vcpu-type EPYC-v4 --ovmf "$f" --snp-ovmf-hash "$h"
	[ "$output" = "$full" ]
	run -65 --separate-stderr cgs-measure --mode snp --vcpus 1 --vcpu-type EPYC --ovmf "$f" \
		--kernel vmlinuz
	[[ $stderr == *"'$f'"*"SNP_KERNEL_HASHES"*"ovmf-amdsev"* ]]
	run -0 cgs-measure ovmf-info "$f"
	assert_line --partial "SEV-ES yes, SNP yes, kernel hashes no"
	assert_line --partial "hint: kernel hashes are not supported"
}

# malformed input: exit code, message naming file and field, nothing on stdout
bad() { # code file-in-message field-or-text args...
	local code=$1 file=$2 what=$3
	shift 3
	run "-$code" --separate-stderr cgs-measure "$@"
	[ -z "$output" ] || { echo "stdout: $output"; false; }
	[[ $stderr == *"'$file'"* ]] || { echo "stderr: $stderr"; false; }
	[[ $stderr == *"$what"* ]] || { echo "stderr: $stderr"; false; }
}

@test "missing files exit 66 naming the file" {
	bad 66 nope.fd "failed to read" --mode snp --vcpus 1 --vcpu-type EPYC --ovmf nope.fd
	bad 66 nokernel "failed to read" --mode sev --ovmf fw.fd --kernel nokernel
	bad 66 noinitrd "failed to read" --mode snp --vcpus 1 --vcpu-type EPYC --ovmf fw.fd \
		--kernel vmlinuz --initrd noinitrd
	bad 66 nosvsm "failed to read" --mode snp:svsm --vcpus 1 --vcpu-type EPYC --ovmf fw.fd \
		--svsm nosvsm --vars-size 0
	bad 66 novars "failed to read" --mode snp:svsm --vcpus 1 --vcpu-type EPYC --ovmf fw.fd \
		--svsm fw.fd --vars-file novars
	run -66 cgs-measure ovmf-info nope.fd
	run -66 --separate-stderr cgs-measure id-block --measurement $ZERO48 \
		--id-key nokey.pem
	[[ $stderr == *"'nokey.pem'"* ]]
}

@test "malformed firmware exits 65 naming the file and the field" {
	local snp=(--mode snp --vcpus 1 --vcpu-type EPYC-v4)
	"$SEVGEN" ovmf nofooter.fd --no-footer
	bad 65 nofooter.fd "field 'footer_guid'" "${snp[@]}" --ovmf nofooter.fd
	bad 65 nofooter.fd "no GUIDed footer table" --mode sev --ovmf nofooter.fd
	"$SEVGEN" ovmf trunc.fd --meta-offset 0x20 "${SECTIONS[@]}"
	bad 65 trunc.fd "field 'descriptors'" "${snp[@]}" --ovmf trunc.fd
	"$SEVGEN" ovmf type.fd --section 0x800000:0x1000:7
	bad 65 type.fd "unknown SEV metadata section type 0x7" "${snp[@]}" --ovmf type.fd
	bad 65 type.fd "field 'type'" "${snp[@]}" --ovmf type.fd
	"$SEVGEN" ovmf sig.fd --meta-sig XSEV --section 0x800000:0x1000:1
	bad 65 sig.fd "field 'signature'" "${snp[@]}" --ovmf sig.fd
	"$SEVGEN" ovmf ver.fd --meta-version 2 --section 0x800000:0x1000:1
	bad 65 ver.fd "field 'version'" "${snp[@]}" --ovmf ver.fd
	"$SEVGEN" ovmf odd.fd --size 5000
	bad 65 odd.fd "field 'size'" "${snp[@]}" --ovmf odd.fd
	bad 65 odd.fd "not a non-zero multiple of 4096" --mode sev --ovmf odd.fd
	"$SEVGEN" ovmf noreset.fd --reset 0 --section 0x800000:0x1000:1
	bad 65 noreset.fd "SEV_ES_RESET_BLOCK" "${snp[@]}" --ovmf noreset.fd
	bad 65 noreset.fd "SEV_ES_RESET_BLOCK" --mode seves --vcpus 1 --vcpu-type EPYC \
		--ovmf noreset.fd
	run -65 cgs-measure ovmf-info trunc.fd
}

@test "a kernel for firmware without kernel hashes, an SVSM without its info: 65" {
	"$SEVGEN" ovmf plain.fd --section 0x800000:0x1000:1 --section 0x801000:0x1000:3
	bad 65 plain.fd "doesn't support kernel/initrd/cmdline measurement" --mode sev \
		--ovmf plain.fd --kernel vmlinuz
	bad 65 plain.fd "field 'SEV_HASH_TABLE_RV'" --mode seves --vcpus 1 --vcpu-type EPYC \
		--ovmf plain.fd --kernel vmlinuz
	bad 65 plain.fd "doesn't include SNP_KERNEL_HASHES section" --mode snp --vcpus 1 \
		--vcpu-type EPYC --ovmf plain.fd --kernel vmlinuz --initrd initrd
	bad 65 plain.fd "field 'SVSM_INFO'" --mode snp:svsm --vcpus 1 --vcpu-type EPYC \
		--ovmf fw.fd --svsm plain.fd --vars-size 0
	run -0 cgs-measure ovmf-info plain.fd
	assert_line --partial "hint: kernel hashes are not supported"
}

# usage errors: exit 64, the help hint, nothing on stdout
usage() { # text args...
	local what=$1
	shift
	run -64 --separate-stderr cgs-measure "$@"
	[ -z "$output" ]
	[[ $stderr == *"$what"* ]] || { echo "stderr: $stderr"; false; }
	[[ $stderr == *"Try 'cgs-measure --help'"* ]]
}

@test "malformed numbers and unknown names are usage errors (64)" {
	local base=(--mode snp --ovmf fw.fd)
	usage "'--vcpus'" "${base[@]}" --vcpus four --vcpu-type EPYC
	usage "'--vcpus'" "${base[@]}" --vcpus -1 --vcpu-type EPYC
	usage "up to 4096" "${base[@]}" --vcpus 4097 --vcpu-type EPYC
	usage "'--vcpu-sig'" "${base[@]}" --vcpus 1 --vcpu-sig 0xZZ
	usage "'--vcpu-family'" "${base[@]}" --vcpus 1 --vcpu-family 25x --vcpu-model 1 \
		--vcpu-stepping 1
	usage "'--guest-features'" "${base[@]}" --vcpus 1 --vcpu-type EPYC --guest-features 1.5
	usage "'--vars-size'" --mode snp:svsm --ovmf fw.fd --vcpus 1 --vcpu-type EPYC \
		--svsm fw.fd --vars-size -4096
	usage "'--snp-ovmf-hash'" "${base[@]}" --vcpus 1 --vcpu-type EPYC --snp-ovmf-hash abcd
	usage "unknown vCPU type 'EPYC-Milan-v3'" "${base[@]}" --vcpus 1 --vcpu-type EPYC-Milan-v3
	usage "unknown vCPU type 'epyc'" "${base[@]}" --vcpus 1 --vcpu-type epyc
	usage "unknown VMM type 'qemu'" "${base[@]}" --vcpus 1 --vcpu-type EPYC --vmm-type qemu
	usage "invalid mode 'sev-snp'" --mode sev-snp --ovmf fw.fd
	usage "'--output-format'" "${base[@]}" --vcpus 1 --vcpu-type EPYC --output-format raw
}

@test "missing and conflicting options are usage errors (64)" {
	usage "missing --mode" --ovmf fw.fd
	usage "missing --ovmf" --mode sev
	usage "missing --vcpus N in guest mode 'snp'" --mode snp --ovmf fw.fd --vcpu-type EPYC
	usage "missing --vcpu-type or --vcpu-sig or --vcpu-family in guest mode 'seves'" \
		--mode seves --ovmf fw.fd --vcpus 2
	usage "--kernel required when using --initrd" --mode sev --ovmf fw.fd --initrd initrd
	usage "--kernel required when using --append" --mode sev --ovmf fw.fd --append x
	usage "go together" --mode snp --ovmf fw.fd --vcpus 1 --vcpu-family 25
	usage "'--snp-ovmf-hash' needs '--mode snp'" --mode seves --ovmf fw.fd --vcpus 1 \
		--vcpu-type EPYC --snp-ovmf-hash $ZERO48
	usage "need '--mode snp:svsm'" --mode snp --ovmf fw.fd --vcpus 1 --vcpu-type EPYC \
		--svsm fw.fd
	usage "conflict" --mode snp:svsm --ovmf fw.fd --vcpus 1 --vcpu-type EPYC --svsm fw.fd \
		--vars-size 0 --vars-file fw.fd
	usage "missing --vars-size or --vars-file" --mode snp:svsm --ovmf fw.fd --vcpus 1 \
		--vcpu-type EPYC --svsm fw.fd
	usage "only supported with --vmm-type QEMU" --mode snp:svsm --ovmf fw.fd --vcpus 1 \
		--vmm-type ec2 --svsm fw.fd --vars-size 0
	usage "'--ec2-legacy' needs '--vmm-type ec2'" --mode snp --ovmf fw.fd --vcpus 1 \
		--vcpu-type EPYC --ec2-legacy
	usage "unexpected argument 'extra'" --mode sev --ovmf fw.fd extra
}

@test "ec2 and gce need no vCPU type; sev ignores the vCPU options" {
	run -0 cgs-measure --mode snp --vcpus 2 --vmm-type ec2 --ovmf fw.fd
	run -0 cgs-measure --mode snp --vcpus 2 --vmm-type gce --ovmf fw.fd
	a=$(cgs-measure --mode sev --ovmf fw.fd)
	run -0 cgs-measure --mode sev --ovmf fw.fd --vcpus 8 --vcpu-type EPYC-Genoa
	[ "$output" = "$a" ]
	# snp:ovmf-hash ignores the other options, as the oracle
	run -0 --separate-stderr cgs-measure --mode snp:ovmf-hash --ovmf fw.fd --output-format base64 -v
	[ ${#output} -eq 96 ]
}

@test "--vcpus 0 measures no VMSA; --dump-vmsa writes one page per vCPU" {
	run -0 cgs-measure --mode snp --vcpus 0 --vcpu-type EPYC --ovmf fw.fd --json
	[ "$(jq -r '.intermediate.vmsas | length' <<<"$output")" = 0 ]
	run -0 cgs-measure --mode snp --vcpus 4 --vcpu-type EPYC --ovmf fw.fd --dump-vmsa
	for i in 0 1 2 3; do [ "$(stat -c %s vmsa$i.bin)" = 4096 ]; done
	[ ! -e vmsa4.bin ]
	# nothing is written when the measurement fails
	mkdir fail && cd fail
	run -66 cgs-measure --mode snp --vcpus 2 --vcpu-type EPYC --ovmf ../fw.fd --kernel none \
		--dump-vmsa
	[ -z "$(ls)" ]
}

@test "--json: the contract's keys in order, inputs and intermediate values" {
	run -0 cgs-measure --mode snp --vcpus 3 --vcpu-type EPYC-Genoa --ovmf fw.fd \
		--kernel vmlinuz --initrd initrd --append "ro quiet" --json=short
	j=$output
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r 'keys_unsorted | join(",")' <<<"$j")" = \
		"schema_version,tool,verb,mode,digest_alg,measurement,inputs,intermediate" ]
	[ "$(jq -r .measurement <<<"$j")" = \
		"$(cgs-measure --mode snp --vcpus 3 --vcpu-type EPYC-Genoa --ovmf fw.fd --kernel vmlinuz \
			--initrd initrd --append 'ro quiet')" ]
	[ "$(jq -r .inputs.ovmf.sha256 <<<"$j")" = "$(sha256_hex < fw.fd)" ]
	[ "$(jq -r .inputs.initrd.sha256 <<<"$j")" = "$(sha256_hex < initrd)" ]
	[ "$(jq -r .inputs.initrd.size <<<"$j")" = 5000 ]
	[ "$(jq -r .inputs.append <<<"$j")" = "ro quiet" ]
	[ "$(jq -r .inputs.vcpu_sig <<<"$j")" = 0xa10f10 ]
	[ "$(jq -r .intermediate.cmdline_sha256 <<<"$j")" = "$(printf 'ro quiet\0' | sha256_hex)" ]
	[ "$(jq -r .intermediate.hashes_table <<<"$j")" = "$(hashes_table vmlinuz initrd 'ro quiet')" ]
	[ "$(jq -r .intermediate.hashes_table_gpa <<<"$j")" = 0x805c00 ]
	[ "$(jq -r .intermediate.ovmf_hash <<<"$j")" = "$(cgs-measure --mode snp:ovmf-hash --ovmf fw.fd)" ]
	[ "$(jq -r '.intermediate.vmsas | map(.role + ":" + (.count|tostring)) | join(",")' <<<"$j")" = \
		"bsp:1,ap:2" ]
	[ "$(jq -r .intermediate.snp_page_updates <<<"$j")" = $((4 + 2 + 1 + 1 + 1 + 1 + 1 + 3)) ]
}

@test "ovmf-info --json describes the synthetic firmware" {
	run -0 cgs-measure ovmf-info fw.fd --json
	j=$output
	[ "$(jq -r .tool <<<"$j")" = cgs-measure ]
	[ "$(jq -r .file.sha256 <<<"$j")" = "$(sha256_hex < fw.fd)" ]
	[ "$(jq -r .gpa <<<"$j")" = 0xffffc000 ]
	[ "$(jq -r .ap_reset_eip <<<"$j")" = 0x80b004 ]
	[ "$(jq -r .hashes_table.gpa <<<"$j")" = 0x805c00 ]
	[ "$(jq -r '.sev_metadata.sections | map(.type) | join(",")' <<<"$j")" = \
		"SNP_SEC_MEM,CPUID,SNP_SECRETS,SVSM_CAA,SNP_SEC_MEM,SNP_KERNEL_HASHES" ]
	[ "$(jq -r '.supports | [.sev_es, .snp, .kernel_hashes_snp, .svsm_caa] | join(",")' \
		<<<"$j")" = "true,true,true,true" ]
	[ "$(jq -r .hint <<<"$j")" = null ]
	[ "$(jq -r .reset_vector.bytes <<<"$j")" = "$(tail -c 16 fw.fd | xxd -p)" ]
	run -64 cgs-measure ovmf-info
}
