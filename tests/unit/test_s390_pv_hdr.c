// SPDX-License-Identifier: MIT
/* Unit tests: formats/s390_pv_hdr and formats/s390_ipib. */
#include "tests/unit/tap.h"

#include "formats/s390_ipib.h"
#include "formats/s390_pv_hdr.h"
#include "lib/core/hex.h"

static struct s390_pv_hdr h1, h2;

static void test_synthetic(void)
{
	static uint8_t buf[S390_PV_HDR_MAX_SIZE], buf2[S390_PV_HDR_MAX_SIZE];
	struct s390_pv_hdr_secret s = { .psw_mask = S390_PV_PSW_MASK_64, .psw_addr = 0x2a000,
					.scf = S390_PV_SCF_CCK_EXT_SECRET }, s2;
	uint8_t enc[128], tags[208];
	struct cgs_diag d;
	size_t len;

	is_int(s390_pv_hdr_size(1), 640, "header size for one slot is 640");
	is_int(s390_pv_hdr_size(2), 720, "header size for two slots is 720");
	is_int(s390_pv_hdr_size(95), 8160, "95 slots make 8160 bytes");
	is_int(s390_pv_hdr_size(96), 0, "96 slots do not fit");
	is_int(s390_pv_hdr_init(&h1, 96, &d), CGS_E_UNSUPPORTED, "init refuses 96 slots");
	is_int(s390_pv_hdr_init(&h1, 2, &d), CGS_OK, "init for two slots");
	h1.nep = 23;
	h1.pcf = S390_PV_PCF_DEFAULT;
	memset(h1.iv, 0x11, sizeof(h1.iv));
	memset(h1.slots[1].phkh, 0x22, 32);
	memset(h1.pld, 0x33, 64);
	memset(h1.tag, 0x44, 16);
	memset(h1.enc, 0x55, 128);
	is_int(s390_pv_hdr_serialize(&h1, buf, sizeof(buf), &len, &d), CGS_OK, "serialise");
	is_int(len, 720, "serialised length");
	ok(!memcmp(buf, "IBMSecEx\0\0\1\0\0\0\2\xd0", 16), "magic, version and size bytes");
	ok(buf[63] == 0xe0 && buf[55] == 23 && buf[39] == 2 && buf[47] == 0x80,
	   "pcf, nep, nks, sea big-endian");
	ok(buf[416 + 80] == 0x22 && buf[720 - 16 - 128] == 0x55 && buf[719] == 0x44,
	   "slot, encrypted part and tag placement");
	is_int(s390_pv_hdr_parse(buf, len, &h2, &d), CGS_OK, "parse back");
	ok(!memcmp(&h1, &h2, sizeof(h1)), "parse(serialise(h)) == h");
	is_int(s390_pv_hdr_serialize(&h2, buf2, sizeof(buf2), &len, &d), CGS_OK, "serialise again");
	ok(!memcmp(buf, buf2, len), "byte-identical round trip");
	s390_pv_hdr_tags(&h2, tags);
	ok(tags[0] == 0x33 && tags[207] == 0x44 && tags[64] == 0, "tags = PLD || ALD || TLD || tag");

	is_int(s390_pv_hdr_parse(buf, 500, &h2, &d), CGS_E_MALFORMED, "truncated header refused");
	is_str(d.field, "header", "truncation names the field");
	buf[11] = 3;
	is_int(s390_pv_hdr_parse(buf, len, &h2, &d), CGS_E_UNSUPPORTED, "version 0x300 refused");
	buf[11] = 0;
	buf[13] = 9;
	is_int(s390_pv_hdr_parse(buf, len, &h2, &d), CGS_E_MALFORMED, "wrong size word refused");
	buf[13] = 2;
	buf[0] = 'X';
	is_int(s390_pv_hdr_parse(buf, len, &h2, &d), CGS_E_MALFORMED, "bad magic refused");
	is_str(d.field, "magic", "bad magic names the field");
	buf[0] = 'I';
	buf[39] = 0;
	is_int(s390_pv_hdr_parse(buf, len, &h2, &d), CGS_E_MALFORMED, "zero key slots refused");

	memset(s.cck, 0xc1, 32);
	memset(s.xts_key, 0x7e, 64);
	s390_pv_hdr_secret_encode(&s, enc);
	ok(enc[96 + 3] == 1 && enc[96 + 4] == 0x80 && enc[104 + 5] == 0x02 && enc[104 + 6] == 0xa0 &&
	   enc[112] == 0x40, "encrypted part: PSW and SCF big-endian");
	s390_pv_hdr_secret_decode(enc, &s2);
	ok(!memcmp(s.cck, s2.cck, 32) && !memcmp(s.xts_key, s2.xts_key, 64) &&
	   s.psw_mask == s2.psw_mask && s.psw_addr == s2.psw_addr && s.scf == s2.scf &&
	   s.noi == s2.noi, "encrypted part round trip");
}

static void test_psw_meta(void)
{
	uint8_t meta[S390_PV_META_SIZE], want[S390_PV_META_SIZE];
	struct s390_pv_meta m = { 0x14000, 1, 0x16000 };
	struct cgs_diag d;
	uint64_t psw;
	size_t n;

	/* values of the Rust unit tests, quoted in spec section 9.9 */
	is_int(s390_pv_short_psw(0x180000000ull, 0x11000, &psw, &d), CGS_OK, "short PSW ok");
	is_int((long long)psw, 0x0008000180011000ll, "short PSW value");
	is_int(s390_pv_short_psw(0x0008000000000000ull, 0x11000, &psw, &d), CGS_E_UNSUPPORTED,
	       "mask with bit 12 refused");
	is_int(s390_pv_short_psw(0x0008000180011000ull, 0x11000, &psw, &d), CGS_E_UNSUPPORTED,
	       "mask with low bits refused");
	is_int(s390_pv_short_psw(0x180000000ull, 0x80000000ull, &psw, &d), CGS_E_UNSUPPORTED,
	       "address above 31 bits refused");
	s390_pv_meta_serialize(&m, meta);
	cgs_hex_decode("5365496d674c6e780000000000014000000000010000000000016000", want,
		       sizeof(want), &n, 1);
	is_mem(meta, want, sizeof(want), "metadata block bytes (Rust se_img_metadata_v1)");
}

static void test_find(void)
{
	size_t len = 0x20000, size;
	uint8_t *img = calloc(1, len), hdr[640];
	struct s390_pv_meta m = { 0x15000, 1, 0x19000 };
	struct cgs_diag d;
	uint64_t off;

	s390_pv_hdr_init(&h1, 1, &d);
	s390_pv_hdr_serialize(&h1, hdr, sizeof(hdr), &size, &d);
	is_int(s390_pv_hdr_find(img, len, &off, &size, &d), CGS_E_MALFORMED, "no header found");
	memcpy(img + 0x14000, hdr, 640);
	is_int(s390_pv_hdr_find(img, len, &off, &size, &d), CGS_OK, "C layout: found by scan");
	is_int((long long)off, 0x14000, "at 0x14000");
	s390_pv_meta_serialize(&m, img + S390_PV_META_OFFSET);
	is_int(s390_pv_hdr_find(img, len, &off, &size, &d), CGS_E_MALFORMED,
	       "metadata pointing at nothing: no fallback scan");
	memcpy(img + 0x15000, hdr, 640);
	is_int(s390_pv_hdr_find(img, len, &off, &size, &d), CGS_OK, "found by metadata");
	is_int((long long)off, 0x15000, "at the metadata offset");
	is_int(s390_pv_hdr_find(hdr, 640, &off, &size, &d), CGS_OK, "extracted header at 0");
	is_int((long long)size, 640, "its size");
	free(img);
}

static void test_ipib(void)
{
	struct s390_ipib ib = { .total_len = 232, .pv_version = 1, .hdr_addr = 0x14000,
				.hdr_size = 0x280, .ncomps = 4 }, ib2;
	uint8_t buf[256];
	struct cgs_diag d;
	size_t len;

	for (int i = 0; i < 4; i++) {
		ib.comps[i].tweak_prefix = (uint64_t)(40 + 10 * i) << 48 | 0x123456;
		ib.comps[i].addr = 0x15000 + 0x10000ull * i;
		ib.comps[i].len = 0x2000;
	}
	is_int(s390_ipib_serialize(&ib, buf, sizeof(buf), &len, &d), CGS_OK, "IPIB serialise");
	is_int(len, 232, "IPIB length 136 + 24n");
	ok(buf[3] == 0xe8 && buf[7] == 1 && buf[11] == 0xe0 && buf[12] == 5 && buf[111] == 1 &&
	   buf[119] == 4 && buf[136 + 1] == 0x28, "IPIB bytes as in spec 9.6");
	is_int(s390_ipib_parse(buf, len, &ib2, &d), CGS_OK, "IPIB parse");
	ok(!memcmp(&ib, &ib2, sizeof(ib)), "IPIB round trip");
	buf[136 + 24 + 1] = 0x10;
	is_int(s390_ipib_parse(buf, len, &ib2, &d), CGS_E_MALFORMED, "decreasing tweaks refused");
	is_int(s390_ipib_parse(buf, 140, &ib2, &d), CGS_E_MALFORMED, "truncated IPIB refused");
}

static void test_vectors(void)
{
	const char *v = tap_vectors();
	const char *files[] = { "s390/oracle/genprotimg-c/c1_basic/sehdr.bin",
				"s390/upstream/pv/exp/secure_guest.hdr",
				"s390/model/pvimg/p2_two_hosts_flags/sehdr.bin" };
	char path[512];

	if (!v) {
		ok(1, "# SKIP ../shared/vectors not present");
		return;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		static uint8_t out[S390_PV_HDR_MAX_SIZE];
		struct cgs_diag d;
		size_t len = 0, olen = 0;
		uint8_t *buf;

		snprintf(path, sizeof(path), "%s/%s", v, files[i]);
		buf = tap_slurp(path, &len);
		if (!ok(buf != NULL, "read %s", files[i]))
			continue;
		is_int(s390_pv_hdr_parse(buf, len, &h1, &d), CGS_OK, "parse vector header");
		is_int(s390_pv_hdr_serialize(&h1, out, sizeof(out), &olen, &d), CGS_OK, "serialise");
		ok(olen == len && !memcmp(out, buf, len), "vector header round trip is byte-exact");
		free(buf);
	}
}

int main(void)
{
	test_synthetic();
	test_psw_meta();
	test_find();
	test_ipib();
	test_vectors();
	return tap_done();
}
