# Independent re-computations for the cgs-measure tests, with the openssl, xxd
# and coreutils commands only (no cgs code): EFI GUIDs, the kernel-hashes table,
# and the SNP PAGE_INFO chain. Load with `load ../helpers/sev`.

SEVGEN="$BUILD/tests/helpers/sevgen"

# EFI (mixed-endian) byte order of a GUID, as hex
guid_hex() {
	local g=${1//-/}
	echo "${g:6:2}${g:4:2}${g:2:2}${g:0:2}${g:10:2}${g:8:2}${g:14:2}${g:12:2}${g:16:16}"
}

le_hex() { # value bytes (pure bash: these run once per page)
	local h out= i
	printf -v h "%0$(($2 * 2))x" "$1"
	for ((i = ${#h} - 2; i >= 0; i -= 2)); do out+=${h:i:2}; done
	echo "$out"
}

sha256_hex() { local h; h=$(openssl dgst -sha256 -r "$@"); echo "${h:0:64}"; }
sha384_hex() { local h; h=$(openssl dgst -sha384 -r "$@"); echo "${h:0:96}"; }

ZERO48=000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000

# the 176-byte kernel-hashes table as hex: hashes_table KERNEL INITRD|"" CMDLINE
hashes_table() {
	local k i c
	k=$(sha256_hex < "$1")
	if [ -n "$2" ]; then i=$(sha256_hex < "$2"); else i=$(printf '' | sha256_hex); fi
	c=$(printf '%s\0' "$3" | sha256_hex)
	echo "$(guid_hex 9438d606-4f22-4cc9-b479-a793d411fd21)a800$(guid_hex \
		97d02dd8-bd20-4c94-aa78-e7714d36ab2a)3200$c$(guid_hex \
		44baf731-3a2f-4bd7-9af1-41e29169781d)3200$i$(guid_hex \
		4de79437-abd2-427f-b835-d5b172d2045b)3200${k}0000000000000000"
}

# The SNP chain: LD holds the running digest (hex).
chain_reset() { LD=$ZERO48; }
chain_update() { # type gpa contents-hex
	local pi g gle= i
	printf -v g '%016x' "$2"
	for ((i = 14; i >= 0; i -= 2)); do gle+=${g:i:2}; done
	printf -v pi '%s%s7000%02x0000000000%s' "$LD" "$3" "$1" "$gle"
	pi=$(xxd -r -p <<<"$pi" | openssl dgst -sha384 -r)
	LD=${pi:0:96}
}
chain_blank() { # type gpa size: one update per page, zero contents
	local off
	for ((off = 0; off < $3; off += 4096)); do
		chain_update "$1" $(($2 + off)) $ZERO48
	done
}
chain_file() { # gpa file: NORMAL pages
	local n i
	n=$(($(stat -c %s "$2") / 4096))
	for ((i = 0; i < n; i++)); do
		chain_update 1 $(($1 + i * 4096)) \
			"$(dd if="$2" bs=4096 skip=$i count=1 status=none | sha384_hex)"
	done
}
