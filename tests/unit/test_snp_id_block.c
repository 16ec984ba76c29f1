// SPDX-License-Identifier: MIT
#include <string.h>

#include "formats/snp_id_block.h"
#include "lib/core/endian.h"
#include "lib/snp/snp_id_key.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

static void layout(void)
{
	struct snp_id_block b, back;
	uint8_t out[SNP_ID_BLOCK_LEN], pub[SNP_PUBKEY_LEN], sig[SNP_SIG_LEN], auth[SNP_ID_AUTH_LEN];
	uint8_t x[48], y[48];
	struct snp_id_auth_view v;
	struct cgs_diag d;

	memset(&b, 0, sizeof(b));
	memset(b.ld, 0xab, 48);
	b.version = 1;
	b.guest_svn = 7;
	b.policy = SNP_ID_BLOCK_DEFAULT_POLICY;
	snp_id_block_serialize(&b, out);
	is_int(cgs_le32(out + 0x50), 1, "VERSION at 0x50");
	is_int(cgs_le32(out + 0x54), 7, "GUEST_SVN at 0x54");
	is_int((long long)cgs_le64(out + 0x58), 0x30000, "POLICY at 0x58");
	ok(snp_id_block_parse(out, sizeof(out), &back, NULL) == CGS_OK && back.guest_svn == 7,
	   "parse back");
	out[0x50] = 2;
	ok(snp_id_block_parse(out, sizeof(out), &back, &d) == CGS_E_UNSUPPORTED, "version 2");
	for (int i = 0; i < 48; i++)
		x[i] = (uint8_t)i, y[i] = (uint8_t)(0x80 + i);
	ok(snp_pubkey_build(x, 48, y, 48, pub, NULL) == CGS_OK, "public key structure");
	ok(cgs_le32(pub) == 2 && pub[4] == 47 && pub[4 + 47] == 0 && pub[4 + 48] == 0 &&
		   pub[4 + 72] == 0x80 + 47, "curve 2, coordinates little-endian, zero-extended");
	ok(snp_sig_build(x, 48, y, 48, sig, NULL) == CGS_OK && sig[0] == 47 && sig[72] == 0x80 + 47,
	   "signature R then S at 72");
	snp_id_auth_build(sig, pub, sig, pub, auth);
	ok(cgs_le32(auth) == 1 && cgs_le32(auth + 4) == 1 && auth[0x40] == 47 &&
		   cgs_le32(auth + 0x240) == 2 && cgs_le32(auth + 0x880) == 2, "ID auth offsets");
	ok(snp_id_auth_parse(auth, sizeof(auth), &v, NULL) == CGS_OK && v.author_key,
	   "ID auth parses");
	snp_id_auth_build(sig, pub, NULL, NULL, auth);
	ok(cgs_le32(auth + 4) == 0 && snp_id_auth_parse(auth, sizeof(auth), &v, NULL) == CGS_OK &&
		   !v.author_key, "without author key");
}

static void vectors(void)
{
	struct snp_id_block b;
	uint8_t out[SNP_ID_BLOCK_LEN], want[SNP_ID_BLOCK_LEN], pub[SNP_PUBKEY_LEN];
	struct snp_id_key k;
	const char *p;

	memset(&b, 0, sizeof(b));
	b.version = 1;
	b.policy = SNP_ID_BLOCK_DEFAULT_POLICY;
	if (sv_hex("idblock-001", "measurement_hex", b.ld, 48)) {
		ok(1, "# SKIP ../shared/vectors not present");
		return;
	}
	snp_id_block_serialize(&b, out);
	ok(sv_hex("idblock-001", "id_block_hex", want, sizeof(want)) == 0, "vector id block");
	is_mem(out, want, sizeof(out), "ID block byte-exact with snp-create-id-block");
	p = sv_input("id_key_test.pem");
	ok(snp_id_key_load(p, &k, NULL) == CGS_OK, "load the oracle's id key");
	ok(sv_hex("idblock-001", "id_key_public_1028_hex", pub, sizeof(pub)) == 0, "vector key");
	is_mem(k.pub, pub, sizeof(pub), "public-key structure byte-exact");
	snp_id_key_free(&k);
}

int main(void)
{
	layout();
	vectors();
	return tap_done();
}
