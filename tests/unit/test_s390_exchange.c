// SPDX-License-Identifier: MIT
/*
 * The pvattest exchange format: the upstream known answers (s390-tools
 * rust/pvattest exchange tests) rebuilt byte for byte when the shared vectors
 * are present; parsing rules and malformed inputs on self-made files always.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/s390_exchange.h"
#include "lib/core/endian.h"
#include "lib/core/hex.h"
#include "tests/unit/tap.h"

static uint8_t arcb[16], meas[64], add[32], cuid[16], user[256], user13[256];

static void fill(void)
{
	/* the parameters of the upstream exchange tests (vectors extracted/kat.json) */
	memset(arcb, 0x11, sizeof(arcb));
	memset(meas, 0x12, sizeof(meas));
	memset(add, 0x13, sizeof(add));
	memset(cuid, 0x14, sizeof(cuid));
	memset(user, 0x15, sizeof(user));
	memset(user13, 0x13, sizeof(user13));
}

static size_t build(struct s390_exchange *x, uint8_t *out, size_t cap)
{
	size_t n = 0;
	struct cgs_diag d;

	if (s390_exchange_serialize(x, out, cap, &n, &d))
		return 0;
	return n;
}

static void set(struct s390_exchange *x, int i, const uint8_t *data, uint32_t size)
{
	x->e[i].data = data;
	x->e[i].size = size;
}

static struct s390_exchange req(int with_add)
{
	struct s390_exchange x;

	memset(&x, 0, sizeof(x));
	set(&x, S390_EXCH_ARCB, arcb, sizeof(arcb));
	set(&x, S390_EXCH_MEAS, NULL, 64);
	if (with_add)
		set(&x, S390_EXCH_ADD, NULL, 32);
	return x;
}

static struct s390_exchange resp(int with_add, int with_user)
{
	struct s390_exchange x;

	memset(&x, 0, sizeof(x));
	set(&x, S390_EXCH_ARCB, arcb, sizeof(arcb));
	set(&x, S390_EXCH_MEAS, meas, sizeof(meas));
	if (with_add)
		set(&x, S390_EXCH_ADD, add, sizeof(add));
	if (with_user)
		set(&x, S390_EXCH_USER, user, sizeof(user));
	set(&x, S390_EXCH_CUID, cuid, sizeof(cuid));
	return x;
}

static void kat(const char *vec, const char *file, struct s390_exchange x)
{
	char path[512];
	uint8_t out[1024], *want;
	size_t n = build(&x, out, sizeof(out)), wn = 0;
	struct s390_exchange p;
	struct cgs_diag d;

	snprintf(path, sizeof(path), "%s/s390/%s", vec, file);
	want = tap_slurp(path, &wn);
	if (!ok(want != NULL, "read %s", file))
		return;
	ok(n == wn && !memcmp(out, want, n), "%s rebuilt byte for byte", file);
	ok(s390_exchange_parse(want, wn, &p, &d) == CGS_OK, "%s parses", file);
	for (int i = 0; i < S390_EXCH_NITEMS; i++) {
		if (x.e[i].size != p.e[i].size || !x.e[i].data != !p.e[i].data ||
		    (x.e[i].data && memcmp(x.e[i].data, p.e[i].data, x.e[i].size))) {
			ok(0, "%s: entry %s round-trips", file, s390_exch_item_name(i));
			free(want);
			return;
		}
	}
	ok(1, "%s: every entry round-trips", file);
	free(want);
}

static void test_kats(void)
{
	const char *v = tap_vectors();
	struct s390_exchange x = req(0);

	if (!v) {
		printf("# ../shared/vectors not present: upstream exchange known answers skipped\n");
		return;
	}
	kat(v, "upstream/pvattest/exchange/full_req.bin", req(1));
	kat(v, "upstream/pvattest/exchange/add_req.bin", req(1));
	kat(v, "upstream/pvattest/exchange/min_req.bin", req(0));
	kat(v, "upstream/pvattest/exchange/full_resp.bin", resp(1, 1));
	kat(v, "upstream/pvattest/exchange/full.bin", resp(1, 1));
	kat(v, "upstream/pvattest/exchange/add_resp.bin", resp(1, 0));
	kat(v, "upstream/pvattest/exchange/min_resp.bin", resp(0, 0));
	kat(v, "upstream/pvattest/exchange/user_resp.bin", resp(0, 1));
	/* the pv crate's copy uses 0x13 bytes for the user data too */
	x = resp(1, 1);
	set(&x, S390_EXCH_USER, user13, sizeof(user13));
	kat(v, "upstream/pv/exp/exchange.bin", x);
	x = req(0);
	/* the legacy request layout that also carries user data */
	set(&x, S390_EXCH_USER, user, sizeof(user));
	kat(v, "upstream/pvattest/exchange/user_req.bin", x);
}

static void expect_err(const uint8_t *b, size_t n, enum cgs_err want, const char *field,
		       const char *what)
{
	struct s390_exchange p;
	struct cgs_diag d;
	enum cgs_err e;

	cgs_diag_clear(&d);
	e = s390_exchange_parse(b, n, &p, &d);
	if (!ok(e == want && !strcmp(d.field, field), "%s: rejected (field '%s')", what, field))
		printf("#   got err %d field '%s' text '%s'\n", e, d.field, d.text);
}

static void test_layout(void)
{
	uint8_t b[1024], m[1024];
	struct s390_exchange x = resp(1, 1), p;
	size_t n = build(&x, b, sizeof(b));
	struct cgs_diag d;

	/* layout computed by hand: header 0x40, then 16 + 64 + 32 + 256 + 16 bytes */
	ok(n == 0x40 + 16 + 64 + 32 + 256 + 16, "response size");
	ok(!memcmp(b, "pvattest", 8) && cgs_be32(b + 8) == 0x100 && cgs_be32(b + 12) == n,
	   "magic, version, size");
	ok(cgs_be32(b + 24) == 16 && cgs_be32(b + 28) == 0x40 && cgs_be32(b + 32) == 64 &&
		   cgs_be32(b + 36) == 0x50 && cgs_be32(b + 40) == 32 && cgs_be32(b + 44) == 0x90 &&
		   cgs_be32(b + 48) == 256 && cgs_be32(b + 52) == 0xb0 && cgs_be32(b + 56) == 16 &&
		   cgs_be32(b + 60) == 0x1b0,
	   "entries in order without gaps");
	ok(s390_exchange_parse(b, n, &p, &d) == CGS_OK && p.e[S390_EXCH_CUID].data == b + 0x1b0,
	   "parse finds the config UID");

	expect_err(b, 0x3f, CGS_E_MALFORMED, "exchange header", "truncated header");
	expect_err(b, n - 1, CGS_E_MALFORMED, "size", "truncated file");
	memcpy(m, b, n);
	m[n] = 0;
	expect_err(m, n + 1, CGS_E_MALFORMED, "size", "trailing byte");
	memcpy(m, b, n);
	m[0] = 'P';
	expect_err(m, n, CGS_E_MALFORMED, "magic", "wrong magic");
	memcpy(m, b, n);
	m[10] = 2;
	expect_err(m, n, CGS_E_UNSUPPORTED, "version", "version 0x200");
	memcpy(m, b, n);
	m[20] = 1;
	expect_err(m, n, CGS_E_MALFORMED, "reserved", "reserved not zero");
	memcpy(m, b, n);
	cgs_put_be32(m + 48, 257);
	expect_err(m, n, CGS_E_MALFORMED, "user data", "user data of 257 bytes");
	memcpy(m, b, n);
	cgs_put_be32(m + 56, 15);
	expect_err(m, n, CGS_E_MALFORMED, "config uid", "config UID of 15 bytes");
	memcpy(m, b, n);
	cgs_put_be32(m + 36, 0x20);
	expect_err(m, n, CGS_E_MALFORMED, "measurement", "offset inside the header");
	memcpy(m, b, n);
	cgs_put_be32(m + 60, 0x1a0);
	expect_err(m, n, CGS_E_MALFORMED, "config uid", "overlapping blobs");
	memcpy(m, b, n);
	cgs_put_be32(m + 56, 16);
	cgs_put_be32(m + 40, 0xffffffffu);
	expect_err(m, n, CGS_E_MALFORMED, "additional data", "huge size");
	x = resp(0, 0);
	n = build(&x, m, sizeof(m));
	cgs_put_be32(m + 44, 1);
	expect_err(m, n, CGS_E_MALFORMED, "additional data", "offset of an absent entry");
	x = resp(1, 1);
	n = build(&x, b, sizeof(b));
	memcpy(m, b, n);
	cgs_put_be32(m + 12, (uint32_t)n - 16);
	expect_err(m, n - 16, CGS_E_MALFORMED, "config uid", "blob past the declared end");
}

static void test_request(void)
{
	uint8_t b[256];
	struct s390_exchange x = req(1), p;
	size_t n = build(&x, b, sizeof(b));
	struct cgs_diag d;

	ok(n == 0x50, "request: header + ARCB only");
	ok(cgs_be32(b + 32) == 64 && cgs_be32(b + 36) == 0 && cgs_be32(b + 40) == 32 &&
		   cgs_be32(b + 44) == 0,
	   "request: expected sizes without offsets");
	ok(s390_exchange_parse(b, n, &p, &d) == CGS_OK && p.e[S390_EXCH_MEAS].size == 64 &&
		   !p.e[S390_EXCH_MEAS].data && p.e[S390_EXCH_ARCB].data == b + 0x40,
	   "request parses: expected measurement size, ARCB data");
	x.e[S390_EXCH_USER].size = 300;
	x.e[S390_EXCH_USER].data = user;
	ok(s390_exchange_serialize(&x, b, sizeof(b), &n, &d) == CGS_E_USAGE &&
		   !strcmp(d.field, "user data"),
	   "serialise refuses 300 bytes of user data");
}

int main(void)
{
	fill();
	test_kats();
	test_layout();
	test_request();
	return tap_done();
}
