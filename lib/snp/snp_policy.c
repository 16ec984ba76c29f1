// SPDX-License-Identifier: MIT
/*
 * cgs_snp_policy_set(): one policy value from its option name and text, so a
 * tool, a configuration file or a binding fills a struct cgs_snp_policy the
 * same way (and with the same messages) as cgs-verify snp.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cgs/snp.h>

#include "formats/snp_report.h"
#include "lib/core/cli.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/core/rfc3339.h"
#include "lib/snp/snp_id_key.h"

static int parse_fw(const char *s, unsigned v[3])
{
	int n = 0;

	v[2] = 0;
	if (sscanf(s, "%3u.%3u%n", &v[0], &v[1], &n) != 2)
		return -1;
	if (s[n] == '.' && sscanf(s + n + 1, "%3u%n", &v[2], &n) == 1)
		return v[0] > 255 || v[1] > 255 || v[2] > 255 || s[strlen(s) - 1] == '.' ? -1 : 0;
	return s[n] || v[0] > 255 || v[1] > 255 ? -1 : 0;
}

enum kind { K_HEX, K_HEXPAD, K_U64, K_FLAG, K_TCB, K_FW, K_AT, K_PRODUCT, K_VERSION, K_KEY };

struct key {
	const char *name;
	enum kind kind;
	size_t off;     /* of the value in struct cgs_snp_policy */
	ptrdiff_t has;  /* of its "has_" flag, or -1 */
	uint64_t max;   /* K_U64; K_HEX: bytes */
};

#define OFF(f) offsetof(struct cgs_snp_policy, f)

static const struct key keys[] = {
	{ "product", K_PRODUCT, OFF(product), -1, 0 },
	{ "at", K_AT, OFF(at), -1, 0 },
	{ "report-data", K_HEXPAD, OFF(report_data), -1, 64 },
	{ "host-data", K_HEX, OFF(host_data), -1, 32 },
	{ "family-id", K_HEX, OFF(family_id), -1, 16 },
	{ "image-id", K_HEX, OFF(image_id), -1, 16 },
	{ "id-key-digest", K_HEX, OFF(id_key_digest), -1, 48 },
	{ "author-key-digest", K_HEX, OFF(author_key_digest), -1, 48 },
	{ "min-tcb", K_TCB, OFF(min_tcb), -1, 0 },
	{ "min-launch-tcb", K_TCB, OFF(min_launch_tcb), -1, 0 },
	{ "min-firmware", K_FW, OFF(min_firmware), OFF(has_min_firmware), 0 },
	{ "min-guest-svn", K_U64, OFF(min_guest_svn), OFF(has_min_guest_svn), UINT32_MAX },
	{ "vmpl", K_U64, OFF(vmpl), OFF(has_vmpl), 3 },
	{ "policy-max", K_U64, OFF(policy_max), OFF(has_policy_max), UINT64_MAX },
	{ "policy-require", K_U64, OFF(policy_require), OFF(has_policy_require), UINT64_MAX },
	{ "platform-require", K_U64, OFF(platform_require), -1, UINT64_MAX },
	{ "platform-forbid", K_U64, OFF(platform_forbid), -1, UINT64_MAX },
	{ "min-mit-vector", K_U64, OFF(min_mit_vector), OFF(has_min_mit_vector), UINT64_MAX },
	{ "allow-debug", K_FLAG, OFF(allow_debug), -1, 0 },
	{ "require-committed", K_FLAG, OFF(require_committed), -1, 0 },
	{ "allow-version", K_VERSION, OFF(allow_versions), -1, 63 },
	{ "chip-id", K_HEX, OFF(chip_id), -1, 64 },
	{ "report-id", K_HEX, OFF(report_id), -1, 32 },
	{ "report-id-ma", K_HEX, OFF(report_id_ma), -1, 32 },
	{ "trusted-id-key", K_KEY, OFF(trusted_id_keys), OFF(n_trusted_id_keys), 0 },
	{ "trusted-author-key", K_KEY, OFF(trusted_author_keys), OFF(n_trusted_author_keys), 0 },
	{ "require-id-block", K_FLAG, OFF(require_id_block), -1, 0 },
	{ "require-author-key", K_FLAG, OFF(require_author_key), -1, 0 },
};

static enum cgs_err bad(struct cgs_diag *d, const char *name, const char *what)
{
	return cgs_diag_set(d, CGS_E_USAGE, name, CGS_DIAG_NO_OFFSET, "--%s: %s", name, what);
}

static enum cgs_err set_hex(const struct key *k, void *at, const char *value, struct cgs_diag *d)
{
	struct cgs_snp_bytes *b = at;
	char what[48];

	memset(b->v, 0, sizeof(b->v));
	if (cgs_hex_decode(value, b->v, k->max, NULL, k->kind == K_HEX)) {
		snprintf(what, sizeof(what), "expected %s%llu bytes of hex",
			 k->kind == K_HEX ? "" : "up to ", (unsigned long long)k->max);
		return bad(d, k->name, what);
	}
	b->set = 1;
	return CGS_OK;
}

static enum cgs_err set_u64(const struct key *k, void *at, const char *value, struct cgs_diag *d)
{
	uint64_t v;
	char what[64];

	if (cgs_parse_u64(value, &v) || v > k->max) {
		snprintf(what, sizeof(what), "invalid value '%.16s' (expected an integer up to %llu)",
			 value, (unsigned long long)k->max);
		return bad(d, k->name, what);
	}
	if (k->kind == K_VERSION) {
		if (v < 2)
			return bad(d, k->name, "versions below 2 have no known layout");
		*(uint64_t *)at |= 1ull << v;
	} else {
		*(uint64_t *)at = v;
	}
	return CGS_OK;
}

/* a trusted key: 48 bytes of hex, or a key file (lib/snp/snp_id_key); appended to the list */
static enum cgs_err set_trusted(const struct key *k, uint8_t (*list)[48], size_t *n,
				const char *value, struct cgs_diag *d)
{
	enum cgs_err e;

	if (*n == CGS_SNP_MAX_TRUSTED_KEYS)
		return bad(d, k->name, "too many keys (at most 16)");
	if (!cgs_hex_decode(value, list[*n], 48, NULL, 1)) {
		(*n)++;
		return CGS_OK;
	}
	if ((e = snp_id_key_digest_file(value, list[*n], d))) {
		char what[sizeof(d->text)];

		snprintf(what, sizeof(what), "'%.48s' is neither a SHA-384 digest (hex) nor a P-384 "
			 "key file: %.160s", value, d->text);
		cgs_diag_set(d, e, k->name, CGS_DIAG_NO_OFFSET, "--%s: %s", k->name, what);
		return e;
	}
	(*n)++;
	return CGS_OK;
}

static enum cgs_err set_key(const struct key *k, void *at, const char *value, struct cgs_diag *d)
{
	switch (k->kind) {
	case K_HEX:
	case K_HEXPAD:
		return set_hex(k, at, value, d);
	case K_U64:
	case K_VERSION:
		return set_u64(k, at, value, d);
	case K_FLAG:
		*(int *)at = 1;
		return CGS_OK;
	case K_TCB:
		if (cgs_snp_tcb_spec_check(value, d))
			return bad(d, k->name, d->text);
		*(const char **)at = value;
		return CGS_OK;
	case K_FW:
		return parse_fw(value, at) ? bad(d, k->name, "expected MAJOR.MINOR[.BUILD]") : CGS_OK;
	case K_AT:
		return cgs_time_parse(value, at) ? bad(d, k->name, "not an RFC 3339 time") : CGS_OK;
	case K_PRODUCT:
		if (!snp_product_by_name(value))
			return bad(d, k->name, "unknown product (milan, genoa, bergamo, siena, turin)");
		*(const char **)at = value;
		return CGS_OK;
	case K_KEY:
		return CGS_OK; /* set_trusted, by the caller */
	}
	return bad(d, k->name, "internal error");
}

enum cgs_err cgs_snp_policy_set(struct cgs_snp_policy *p, const char *name, const char *value,
				struct cgs_diag *d)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		enum cgs_err e;

		if (strcmp(k->name, name))
			continue;
		if (!value && k->kind != K_FLAG)
			return bad(d, name, "needs a value");
		if (k->kind == K_KEY)
			return set_trusted(k, (uint8_t(*)[48])((char *)p + k->off),
					   (size_t *)((char *)p + k->has), value, d);
		e = set_key(k, (char *)p + k->off, value, d);
		if (!e && k->has >= 0)
			*(int *)((char *)p + k->has) = 1;
		return e;
	}
	return cgs_diag_set(d, CGS_E_USAGE, name, CGS_DIAG_NO_OFFSET, "unknown policy key '%s'",
			    name);
}
