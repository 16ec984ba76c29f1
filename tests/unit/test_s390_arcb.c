// SPDX-License-Identifier: MIT
/*
 * ARCB v1 and the generic UV request header: the upstream arcb.bin and the
 * C pvattest oracle requests parse and their authenticated part is rebuilt
 * byte for byte (vectors present); layout and malformed inputs on self-made
 * requests always.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/s390_arcb.h"
#include "formats/s390_uvreq.h"
#include "lib/core/endian.h"
#include "tests/unit/tap.h"

static void check_file(const char *vec, const char *file, size_t skip, uint64_t paf)
{
	char path[512];
	uint8_t *buf, aad[4096];
	size_t n = 0, an = 0;
	struct s390_arcb a;
	struct cgs_diag d;

	snprintf(path, sizeof(path), "%s/s390/%s", vec, file);
	buf = tap_slurp(path, &n);
	if (!ok(buf && n > skip, "read %s", file))
		return;
	if (!ok(s390_arcb_parse(buf + skip, n - skip, &a, &d) == CGS_OK, "%s parses", file)) {
		printf("#   %s (%s)\n", d.text, d.field);
		free(buf);
		return;
	}
	ok(a.paf == paf && a.mai == 1 && a.hdr.nks == 1 && a.hdr.len == 400 && a.hdr.sea == 80,
	   "%s: PAF, MAI, one slot, 400 bytes, 80 encrypted", file);
	ok(s390_arcb_serialize_aad(&a, aad, sizeof(aad), &an, &d) == CGS_OK && an == 304 &&
		   !memcmp(aad, buf + skip, an),
	   "%s: authenticated part rebuilt byte for byte", file);
	free(buf);
}

static void test_kats(void)
{
	const char *v = tap_vectors();
	uint8_t *b;
	size_t n;
	char path[512];
	struct s390_arcb a;
	struct cgs_diag d;

	if (!v) {
		printf("# ../shared/vectors not present: upstream ARCB known answers skipped\n");
		return;
	}
	check_file(v, "upstream/pv/exp/arcb.bin", 0, 0x7000000000000000ull);
	check_file(v, "oracle/pvattest-c/a1_phkh_flags/request.bin", 0x40, 0x7000000000000000ull);
	check_file(v, "oracle/pvattest-c/a2_minimal/request.bin", 0x40, 0x4000000000000000ull);
	snprintf(path, sizeof(path), "%s/s390/upstream/pv/exp/arcb.bin", v);
	b = tap_slurp(path, &n);
	if (b) {
		uint8_t iv[12], zero32[32] = { 0 };

		memset(iv, 0x55, sizeof(iv));
		ok(s390_arcb_parse(b, n, &a, &d) == CGS_OK && !memcmp(a.hdr.iv, iv, 12),
		   "arcb.bin: IV 0x55... (kat.json)");
		ok(s390_uvreq_find_slot(a.slots, a.hdr.nks, b + 224) == 0 &&
			   s390_uvreq_find_slot(a.slots, a.hdr.nks, zero32) == -1,
		   "slot lookup by PHKH");
		free(b);
	}
}

static size_t make(uint8_t *out, uint64_t paf, uint8_t nks)
{
	static uint8_t slots[80 * 4];
	struct s390_arcb a;
	struct cgs_diag d;
	size_t n = 0, total;

	memset(&a, 0, sizeof(a));
	a.hdr.version = S390_UVREQ_VERSION_1;
	a.hdr.nks = nks;
	memset(a.hdr.iv, 0xa5, 12);
	a.paf = paf;
	a.mai = 1;
	memset(a.cust_pub, 0xc1, sizeof(a.cust_pub));
	for (size_t i = 0; i < sizeof(slots); i++)
		slots[i] = (uint8_t)i;
	a.slots = slots;
	if (s390_arcb_serialize_aad(&a, out, 4096, &n, &d))
		return 0;
	total = s390_arcb_len(nks, paf);
	memset(out + n, 0xee, total - n); /* stand-in ciphertext and tag */
	return total;
}

static void expect_err(const uint8_t *b, size_t n, enum cgs_err want, const char *field,
		       const char *what)
{
	struct s390_arcb a;
	struct cgs_diag d;
	enum cgs_err e;

	cgs_diag_clear(&d);
	e = s390_arcb_parse(b, n, &a, &d);
	if (!ok(e == want && !strcmp(d.field, field), "%s: rejected (field '%s')", what, field))
		printf("#   got err %d field '%s' text '%s'\n", e, d.field, d.text);
}

static void test_layout(void)
{
	uint8_t b[4096], m[4096];
	size_t n = make(b, S390_PAF_NONCE | S390_PAF_PHKH_IMG, 2);
	struct s390_arcb a;
	struct cgs_diag d;

	/* by hand: 224 + 2 * 80 slots + 64 key + 16 nonce + 16 tag */
	ok(n == 480 && cgs_be32(b + 12) == 480 && cgs_be32(b + 44) == 80 && b[39] == 2,
	   "length 480, encrypted 80, two slots");
	ok(cgs_be32(b + 8) == 0x100 && cgs_be64(b + 48) == 0x6000000000000000ull &&
		   cgs_be32(b + 56) == 1 && b[64] == 0xc1 && b[224] == 0,
	   "version, PAF, MAI, public key and slots in place");
	ok(s390_arcb_parse(b, n, &a, &d) == CGS_OK && a.slots == b + 224, "round trip");
	ok(s390_arcb_additional_size(S390_PAF_PHKH_IMG | S390_PAF_PHKH_ATT) == 64 &&
		   s390_arcb_additional_size(S390_PAF_SECRET_STORE_HASH | S390_PAF_FIRMWARE_STATE) ==
			   384 &&
		   s390_arcb_additional_size(S390_PAF_NONCE) == 0,
	   "additional-data sizes 32 + 32, 64 + 320, none");
	n = make(b, 0, 1);
	ok(n == 384 && s390_arcb_parse(b, n, &a, &d) == CGS_OK && a.hdr.sea == 64,
	   "without a nonce: 384 bytes, 64 encrypted");

	n = make(b, S390_PAF_NONCE, 1);
	expect_err(b, 47, CGS_E_MALFORMED, "request header", "truncated header");
	expect_err(b, n - 1, CGS_E_MALFORMED, "request length", "one byte short");
	memcpy(m, b, n);
	m[3] = 1;
	expect_err(m, n, CGS_E_MALFORMED, "magic", "non-zero magic");
	memcpy(m, b, n);
	m[10] = 2;
	expect_err(m, n, CGS_E_UNSUPPORTED, "version", "version 0x200");
	memcpy(m, b, n);
	m[39] = 0;
	expect_err(m, n, CGS_E_MALFORMED, "key slots", "no key slot");
	memcpy(m, b, n);
	m[39] = 2;
	expect_err(m, n, CGS_E_MALFORMED, "key slots", "slot count does not add up");
	memcpy(m, b, n);
	m[59] = 2;
	expect_err(m, n, CGS_E_UNSUPPORTED, "measurement algorithm", "MAI 2");
	memcpy(m, b, n);
	m[55] = 4;
	expect_err(m, n, CGS_E_UNSUPPORTED, "attestation flags", "unknown PAF bit");
	memcpy(m, b, n);
	m[48] = 0;
	expect_err(m, n, CGS_E_MALFORMED, "encrypted size", "nonce flag cleared");
	memcpy(m, b, n);
	cgs_put_be32(m + 44, 0xfffffff0u);
	expect_err(m, n, CGS_E_MALFORMED, "encrypted size", "huge encrypted size");
	memcpy(m, b, n);
	cgs_put_be32(m + 12, 0x7fffffffu);
	expect_err(m, n, CGS_E_MALFORMED, "request length", "huge length");
}

int main(void)
{
	test_kats();
	test_layout();
	return tap_done();
}
