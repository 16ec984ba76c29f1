// SPDX-License-Identifier: MIT
/*
 * Add-secret request control blocks: the nine upstream pvsecret known answers
 * parse into the values their names encode and their authenticated part is
 * rebuilt byte for byte (vectors present); layout, secret-type rules and
 * malformed inputs on self-made requests always.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/s390_asrcb.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "tests/unit/tap.h"

struct kat {
	const char *name;
	uint16_t type;
	int cuid_set;
	uint64_t flags;
	uint8_t nks;
};

static const struct kat kats[] = {
	{ "null_none_default_cuid_one", S390_SECRET_NULL, 1, 0, 1 },
	{ "null_none_default_ncuid_one", S390_SECRET_NULL, 0, 0, 1 },
	{ "null_none_dump_cuid_one", S390_SECRET_NULL, 1, S390_ASRCB_FLAG_DISABLE_DUMP, 1 },
	{ "null_none_default_cuid_seven", S390_SECRET_NULL, 1, 0, 7 },
	{ "null_simple_default_cuid_one", S390_SECRET_NULL, 1, 0, 1 },
	{ "null_derived_default_cuid_one", S390_SECRET_NULL, 1, 0, 1 },
	{ "assoc_none_default_cuid_one", S390_SECRET_ASSOCIATION, 1, 0, 1 },
	{ "assoc_simple_default_cuid_one", S390_SECRET_ASSOCIATION, 1, 0, 1 },
	{ "assoc_derived_default_cuid_one", S390_SECRET_ASSOCIATION, 1, 0, 1 },
};

static void check_kat(const char *vec, const struct kat *k, const uint8_t assoc_id[32])
{
	char path[512];
	uint8_t *buf, aad[8192], cuid[16], tags[208];
	size_t n = 0, an = 0;
	struct s390_asrcb a;
	struct cgs_diag d;

	snprintf(path, sizeof(path), "%s/s390/upstream/pv/exp/asrcb/%s", vec, k->name);
	buf = tap_slurp(path, &n);
	if (!ok(buf != NULL, "read %s", k->name))
		return;
	if (!ok(s390_asrcb_parse(buf, n, &a, &d) == CGS_OK, "%s parses", k->name)) {
		printf("#   %s (%s)\n", d.text, d.field);
		free(buf);
		return;
	}
	/* values from kat.json "add_secret_requests" */
	memset(cuid, k->cuid_set ? 0x42 : 0, sizeof(cuid));
	memset(tags, 1, 64);
	memset(tags + 64, 2, 64);
	memset(tags + 128, 3, 64);
	memset(tags + 192, 4, 16);
	ok(a.secret_type == k->type && a.hdr.nks == k->nks && a.flags == k->flags &&
		   a.user_type == 0 && !memcmp(a.cuid, cuid, 16) && !memcmp(a.tags, tags, 208),
	   "%s: type, slots, flags, CUID, tags", k->name);
	if (k->type == S390_SECRET_ASSOCIATION)
		ok(a.secret_len == 32 && !memcmp(a.secret_id, assoc_id, 32),
		   "%s: association ID = SHA-256 of the name", k->name);
	ok(s390_asrcb_serialize_aad(&a, aad, sizeof(aad), &an, &d) == CGS_OK &&
		   an == s390_uvreq_aad_len(&a.hdr) && !memcmp(aad, buf, an),
	   "%s: authenticated part rebuilt byte for byte", k->name);
	free(buf);
}

static void test_kats(void)
{
	const char *v = tap_vectors();
	const char *name = "add_secret_request";
	uint8_t id[64];
	size_t idn;
	struct cgs_diag d;

	if (!v) {
		printf("# ../shared/vectors not present: upstream add-secret known answers skipped\n");
		return;
	}
	cgs_digest("SHA256", name, strlen(name), id, &idn, &d);
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++)
		check_kat(v, &kats[i], id);
}

static size_t make(uint8_t *out, uint16_t type, uint32_t slen, uint8_t nks)
{
	static uint8_t slots[80 * 8];
	struct s390_asrcb a;
	struct cgs_diag d;
	size_t n = 0, total;

	memset(&a, 0, sizeof(a));
	a.hdr.version = S390_UVREQ_VERSION_1;
	a.hdr.nks = nks;
	a.user_type = S390_ASRCB_UD_UNSIGNED;
	a.flags = S390_ASRCB_FLAG_DISABLE_DUMP;
	memset(a.tags, 0x77, sizeof(a.tags));
	memset(a.user_data, 'u', 5);
	memset(a.cust_pub, 0xc1, sizeof(a.cust_pub));
	memset(a.secret_id, 0x1d, sizeof(a.secret_id));
	memset(slots, 0x5a, sizeof(slots));
	a.slots = slots;
	a.secret_type = type;
	a.secret_len = slen;
	if (s390_asrcb_serialize_aad(&a, out, 8192, &n, &d))
		return 0;
	total = s390_asrcb_len(nks, type, slen);
	memset(out + n, 0xee, total - n);
	return total;
}

static void expect_err(const uint8_t *b, size_t n, enum cgs_err want, const char *field,
		       const char *what)
{
	struct s390_asrcb a;
	struct cgs_diag d;
	enum cgs_err e;

	cgs_diag_clear(&d);
	e = s390_asrcb_parse(b, n, &a, &d);
	if (!ok(e == want && !strcmp(d.field, field), "%s: rejected (field '%s')", what, field))
		printf("#   got err %d field '%s' text '%s'\n", e, d.field, d.text);
}

static void test_layout(void)
{
	static uint8_t b[8192], m[8192];
	size_t n = make(b, S390_SECRET_AES256, 32, 2);
	struct s390_asrcb a;
	struct cgs_diag d;

	/* by hand: 1208 + 2 * 80 + 48 secret header + 32 + 32 + 16 */
	ok(n == 1496 && cgs_be32(b + 12) == 1496 && cgs_be32(b + 44) == 64,
	   "AES-256 secret, two slots: 1496 bytes, 64 encrypted");
	ok(!memcmp(b, "asrcbM\0\1", 8) && cgs_be64(b + 48) == 1ull << 63 && b[56] == 0x77 &&
		   b[0x218] == 'u' && b[1048] == 0xc1 && cgs_be16(b + 1368 + 2) == 6 &&
		   cgs_be32(b + 1368 + 4) == 32 && b[1368 + 16] == 0x1d,
	   "magic with user-data type, flags, tags, user data, key, secret header");
	ok(s390_asrcb_parse(b, n, &a, &d) == CGS_OK && a.secret_type == 6 && a.user_type == 1,
	   "round trip");
	n = make(b, S390_SECRET_NULL, 0, 1);
	ok(n == 1208 + 80 + 16 + 32 + 16 && s390_asrcb_parse(b, n, &a, &d) == CGS_OK,
	   "meta request: 16-byte secret header, extension secret only");
	ok(s390_asrcb_secret_len_ok(S390_SECRET_PLAINTEXT, 16) &&
		   s390_asrcb_secret_len_ok(S390_SECRET_PLAINTEXT, 8192) &&
		   !s390_asrcb_secret_len_ok(S390_SECRET_PLAINTEXT, 8208) &&
		   !s390_asrcb_secret_len_ok(S390_SECRET_PLAINTEXT, 20) &&
		   s390_asrcb_secret_len_ok(S390_SECRET_EC_P521, 80) &&
		   s390_asrcb_secret_len_ok(S390_SECRET_HMAC_SHA512, 128) &&
		   !s390_asrcb_secret_len_ok(S390_SECRET_AES192, 32) &&
		   !s390_asrcb_secret_len_ok(0x20, 32),
	   "secret lengths per type");
	ok(make(m, S390_SECRET_AES128, 17, 1) == 0, "serialise refuses a 17-byte AES-128 key");

	n = make(b, S390_SECRET_ASSOCIATION, 32, 1);
	expect_err(b, 40, CGS_E_MALFORMED, "request header", "truncated header");
	expect_err(b, n - 1, CGS_E_MALFORMED, "request length", "one byte short");
	memcpy(m, b, n);
	m[0] = 'A';
	expect_err(m, n, CGS_E_MALFORMED, "magic", "wrong magic");
	memcpy(m, b, n);
	m[7] = 9;
	expect_err(m, n, CGS_E_UNSUPPORTED, "user-data type", "user-data type 9");
	memcpy(m, b, n);
	m[11] = 1;
	expect_err(m, n, CGS_E_UNSUPPORTED, "version", "version 0x101");
	memcpy(m, b, n);
	m[1288 + 3] = 0x30;
	expect_err(m, n, CGS_E_UNSUPPORTED, "secret type", "unknown secret type");
	memcpy(m, b, n);
	m[1288 + 3] = 1;
	expect_err(m, n, CGS_E_MALFORMED, "encrypted size", "null type with a 48-byte header");
	memcpy(m, b, n);
	m[1288 + 7] = 31;
	expect_err(m, n, CGS_E_MALFORMED, "secret length", "association of 31 bytes");
	memcpy(m, b, n);
	m[1288 + 9] = 1;
	expect_err(m, n, CGS_E_MALFORMED, "secret header", "reserved secret-header bytes");
	memcpy(m, b, n);
	m[39] = 9;
	expect_err(m, n, CGS_E_MALFORMED, "secret header", "more slots than room");
}

int main(void)
{
	test_kats();
	test_layout();
	return tap_done();
}
