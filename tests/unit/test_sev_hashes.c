// SPDX-License-Identifier: MIT
#include <string.h>

#include "formats/sev_hashes.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

int main(void)
{
	struct sev_hashes h, back;
	uint8_t t[SEV_HASHES_PADDED_LEN], ld[32], want[32];
	struct cgs_diag d;
	size_t len;
	uint8_t *fw;

	/* empty kernel, empty initrd, empty command line ("\0") */
	cgs_digest("SHA256", "", 0, h.kernel, NULL, NULL);
	cgs_digest("SHA256", "", 0, h.initrd, NULL, NULL);
	cgs_digest("SHA256", "", 1, h.cmdline, NULL, NULL);
	sev_hashes_build(&h, t);
	/* the layout of the spec: header GUID, length 0xa8, cmdline, initrd, kernel, padding */
	is_mem(t, "\x06\xd6\x38\x94\x22\x4f\xc9\x4c\xb4\x79\xa7\x93\xd4\x11\xfd\x21", 16,
	       "header GUID 9438d606-...");
	is_int(cgs_le16(t + 16), 0xa8, "length 168");
	is_mem(t + 0x12, "\xd8\x2d\xd0\x97", 4, "cmdline entry first");
	is_int(cgs_le16(t + 0x22), 50, "entry length 50");
	is_mem(t + 0x24, h.cmdline, 32, "cmdline hash");
	is_mem(t + 0x44, "\x31\xf7\xba\x44", 4, "then initrd");
	is_mem(t + 0x76, "\x37\x94\xe7\x4d", 4, "then kernel");
	is_mem(t + 0xa8, "\0\0\0\0\0\0\0\0", 8, "zero padding to 176");
	ok(sev_hashes_parse(t, sizeof(t), &back, NULL) == CGS_OK &&
		   !memcmp(&back, &h, sizeof(h)), "parse back");
	t[0x44] ^= 1;
	ok(sev_hashes_parse(t, sizeof(t), &back, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "initrd"), "bad initrd GUID named");
	ok(sev_hashes_parse(t, 100, &back, &d) == CGS_E_MALFORMED, "truncated table");
	t[0x44] ^= 1;
	/* vector fixture-sev-011: SHA-256(firmware || table(empty kernel, no initrd, no append)) */
	fw = sv_slurp("ovmf_AmdSev_suffix.bin", &len);
	if (!fw) {
		ok(1, "# SKIP ../shared/vectors not present");
		return tap_done();
	}
	{
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		EVP_DigestInit_ex(c, EVP_sha256(), NULL);
		EVP_DigestUpdate(c, fw, len);
		EVP_DigestUpdate(c, t, sizeof(t));
		EVP_DigestFinal_ex(c, ld, NULL);
		EVP_MD_CTX_free(c);
	}
	ok(sv_hex("fixture-sev-011", "digest", want, 32) == 0, "vector fixture-sev-011");
	is_mem(ld, want, 32, "SEV digest with the table matches sev-snp-measure");
	free(fw);
	return tap_done();
}
