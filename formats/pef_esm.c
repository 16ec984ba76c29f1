// SPDX-License-Identifier: MIT
#include "formats/pef_esm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "lib/core/endian.h"

#define GCM_ALGORITHM "AES256-GCM"
#define FP_ALGORITHM "SHA256"
#define DIGEST_ALGORITHM "SHA512"
#define DIGESTS_SCRATCH 8192

struct pctx {
	const uint8_t *tree; /* the tree being read (may be an aligned copy) */
	uint64_t base;       /* its offset in the outer blob, for diagnostics */
	struct cgs_diag *d;
};

static uint64_t off_of(const struct pctx *c, const void *p)
{
	if (!p)
		return CGS_DIAG_NO_OFFSET;
	return c->base + (uint64_t)((uintptr_t)p - (uintptr_t)c->tree);
}

static enum cgs_err bad(const struct pctx *c, const char *field, const void *at, const char *what)
{
	return cgs_diag_set(c->d, CGS_E_MALFORMED, field, off_of(c, at), "%s", what);
}

/*
 * The structure block walked tag by tag with forward progress, before libfdt's
 * own walkers see it: libfdt 1.6.1's fdt_next_tag adds a property length of
 * 0xfffffff4 to an int offset and steps backwards, so fdt_check_full loops
 * forever on such a tree (found by fuzz_pef_esm). Version 16 and later only
 * (libfdt 1.6.1 also dereferences a NULL name in older trees). 0 if sane.
 */
static int fdt_walk_sane(const uint8_t *fdt, size_t len)
{
	uint64_t off, end;

	if (fdt_check_header(fdt) != 0 || fdt_version(fdt) < 16 || fdt_totalsize(fdt) > len)
		return -1;
	off = fdt_off_dt_struct(fdt);
	end = off + fdt_size_dt_struct(fdt);
	if (end > fdt_totalsize(fdt))
		return -1;
	while (off + 4 <= end) {
		uint32_t tag = cgs_be32(fdt + off), plen;
		const uint8_t *nul;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = memchr(fdt + off, 0, (size_t)(end - off));
			if (!nul)
				return -1;
			off = ((uint64_t)(nul - fdt) + 1 + 3) & ~(uint64_t)3;
			break;
		case FDT_PROP:
			if (end - off < 8)
				return -1;
			plen = cgs_be32(fdt + off);
			if (plen > end - off - 8)
				return -1;
			off = (off + 8 + plen + 3) & ~(uint64_t)3;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -1;
		}
	}
	return -1;
}

static enum cgs_err check_tree(const struct pctx *c, const uint8_t *fdt, size_t len,
			       const char *what)
{
	int rc;

	if ((uintptr_t)fdt & 7)
		return cgs_diag_set(c->d, CGS_E_INTERNAL, what, CGS_DIAG_NO_OFFSET,
				    "device tree buffer not 8-byte aligned");
	if (len < 40 || fdt_magic(fdt) != FDT_MAGIC)
		return bad(c, what, fdt, "not a flattened device tree (bad magic)");
	if (len > INT32_MAX || fdt_totalsize(fdt) != len)
		return bad(c, what, fdt + 4, "device tree size does not match its length");
	if (fdt_version(fdt) < 16)
		return bad(c, what, fdt + 20, "unsupported device tree version (before 16)");
	if (fdt_walk_sane(fdt, len))
		return bad(c, what, fdt, "invalid device tree: bad structure block");
	rc = fdt_check_full(fdt, len);
	if (rc)
		return cgs_diag_set(c->d, CGS_E_MALFORMED, what, off_of(c, fdt),
				    "invalid device tree: %s (%d)", fdt_strerror(rc), rc);
	return CGS_OK;
}

static int is_string(const char *s, int len)
{
	return len >= 1 && s[len - 1] == '\0' && strlen(s) == (size_t)len - 1;
}

/* A property value; fixed > 0 demands that exact length. */
static enum cgs_err get_prop(const struct pctx *c, const void *fdt, int node, const char *path,
			     const char *name, int fixed, struct pef_esm_bytes *ret)
{
	char field[64];
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	snprintf(field, sizeof(field), "%s/%s", path, name);
	if (!p)
		return bad(c, field, NULL, "missing property");
	if (fixed > 0 && len != fixed) {
		char msg[64];

		snprintf(msg, sizeof(msg), "length %d, expected %d", len, fixed);
		return bad(c, field, p, msg);
	}
	ret->data = p;
	ret->len = (size_t)len;
	return CGS_OK;
}

static enum cgs_err get_str(const struct pctx *c, const void *fdt, int node, const char *path,
			    const char *name, const char *want, const char **ret)
{
	struct pef_esm_bytes b = { NULL, 0 };
	char field[64];
	enum cgs_err err = get_prop(c, fdt, node, path, name, 0, &b);

	if (err)
		return err;
	snprintf(field, sizeof(field), "%s/%s", path, name);
	if (!is_string((const char *)b.data, (int)b.len))
		return bad(c, field, b.data, "not a NUL-terminated string");
	if (want && strcmp((const char *)b.data, want))
		return bad(c, field, b.data, "unexpected value");
	if (ret)
		*ret = (const char *)b.data;
	return CGS_OK;
}

/* Every property of node must be one of the names listed. */
static enum cgs_err only_props(const struct pctx *c, const void *fdt, int node, const char *path,
			       const char *const *names)
{
	int p;

	fdt_for_each_property_offset(p, fdt, node) {
		const char *name = NULL;
		const void *v = fdt_getprop_by_offset(fdt, p, &name, NULL);
		size_t i;

		if (!v || !name)
			return bad(c, path, NULL, "unreadable property");
		for (i = 0; names[i] && strcmp(names[i], name); i++)
			;
		if (!names[i]) {
			char field[64];

			snprintf(field, sizeof(field), "%s/%s", path, name);
			return bad(c, field, v, "unknown property");
		}
	}
	return CGS_OK;
}

/* Collect the subnode offsets of node in creation order (reverse of the tree's). */
static enum cgs_err subnodes(const struct pctx *c, const void *fdt, int node, const char *path,
			     int *offs, size_t max, size_t *ret_n)
{
	size_t n = 0;
	int s;

	fdt_for_each_subnode(s, fdt, node) {
		if (n == max)
			return bad(c, path, NULL, "too many nodes");
		offs[n++] = s;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int t = offs[i];

		offs[i] = offs[n - 1 - i];
		offs[n - 1 - i] = t;
	}
	*ret_n = n;
	return CGS_OK;
}

static int lockbox_name_valid(const char *name)
{
	const char *p;

	if (!strcmp(name, PEF_ESM_ORIGIN))
		return 1;
	if (strncmp(name, "lockbox-", 8))
		return 0;
	p = name + 8;
	if (*p < '1' || *p > '9' || strlen(p) > 6)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

int pef_esm_file_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n < 1 || n > PEF_ESM_NAME_MAX)
		return 0;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr(",._+-", ch)))
			return 0;
	}
	return 1;
}

static enum cgs_err node_name(const struct pctx *c, const void *fdt, int node, const char *path,
			      char out[PEF_ESM_NAME_MAX + 1])
{
	int len;
	const char *name = fdt_get_name(fdt, node, &len);

	if (!name || len < 1 || len > PEF_ESM_NAME_MAX)
		return bad(c, path, name, "node name missing or longer than 31 characters");
	memcpy(out, name, (size_t)len);
	out[len] = '\0';
	return CGS_OK;
}

static enum cgs_err parse_lockbox(const struct pctx *c, const void *fdt, int node,
				  struct pef_esm_lockbox *lb)
{
	static const char *const props[] = { "untrusted-comment", "encrypted-symkey", NULL };
	static const char *const fprops[] = { "algorithm", "hash", NULL };
	char path[96], fpath[128];
	struct pef_esm_bytes b = { NULL, 0 };
	enum cgs_err err;
	int fp, s, n = 0;

	err = node_name(c, fdt, node, "/lockboxes", lb->name);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/lockboxes/%s", lb->name);
	if (!lockbox_name_valid(lb->name))
		return bad(c, path, NULL, "unknown node (expected origin-lockbox or lockbox-N)");
	err = only_props(c, fdt, node, path, props);
	if (!err)
		err = get_str(c, fdt, node, path, "untrusted-comment", NULL, &lb->comment);
	if (!err)
		err = get_prop(c, fdt, node, path, "encrypted-symkey", 0, &lb->symkey);
	if (err)
		return err;
	if (lb->symkey.len < PEF_ESM_SYMKEY_MIN || lb->symkey.len > PEF_ESM_SYMKEY_MAX)
		return bad(c, "encrypted-symkey", lb->symkey.data, "implausible length");
	fdt_for_each_subnode(s, fdt, node)
		n++;
	fp = fdt_subnode_offset(fdt, node, "pubkey-fingerprint");
	snprintf(fpath, sizeof(fpath), "%s/pubkey-fingerprint", path);
	if (fp < 0 || n != 1)
		return bad(c, fpath, NULL, "missing (or other subnodes present)");
	if (fdt_first_subnode(fdt, fp) >= 0)
		return bad(c, fpath, NULL, "unexpected subnode");
	err = only_props(c, fdt, fp, fpath, fprops);
	if (!err)
		err = get_str(c, fdt, fp, fpath, "algorithm", FP_ALGORITHM, NULL);
	if (!err)
		err = get_prop(c, fdt, fp, fpath, "hash", PEF_ESM_FP_LEN, &b);
	if (!err)
		memcpy(lb->fingerprint, b.data, PEF_ESM_FP_LEN);
	return err;
}

static enum cgs_err parse_lockboxes(const struct pctx *c, const void *fdt, struct pef_esm *m)
{
	int node = fdt_path_offset(fdt, "/lockboxes");
	int offs[PEF_ESM_MAX_LOCKBOXES];
	enum cgs_err err;
	size_t n;

	if (node < 0)
		return bad(c, "/lockboxes", NULL, "missing node");
	if (fdt_first_property_offset(fdt, node) >= 0)
		return bad(c, "/lockboxes", NULL, "unexpected property");
	err = subnodes(c, fdt, node, "/lockboxes", offs, PEF_ESM_MAX_LOCKBOXES, &n);
	for (size_t i = 0; !err && i < n; i++)
		err = parse_lockbox(c, fdt, offs[i], &m->lockboxes[i]);
	if (!err)
		m->n_lockboxes = n;
	return err;
}

static enum cgs_err parse_sealed(const struct pctx *c, const void *fdt, int node,
				 const char *path, struct pef_esm_sealed *s)
{
	static const char *const props[] = { "algorithm", "untrusted-comment", "ciphertext",
					     "iv", "mac", NULL };
	struct pef_esm_bytes b = { NULL, 0 };
	enum cgs_err err = only_props(c, fdt, node, path, props);

	if (!err && fdt_first_subnode(fdt, node) >= 0)
		err = bad(c, path, NULL, "unexpected subnode");
	if (!err)
		err = get_str(c, fdt, node, path, "algorithm", GCM_ALGORITHM, NULL);
	if (!err)
		err = get_str(c, fdt, node, path, "untrusted-comment", NULL, &s->comment);
	if (!err)
		err = get_prop(c, fdt, node, path, "iv", PEF_ESM_IV_LEN, &b);
	if (!err) {
		memcpy(s->iv, b.data, PEF_ESM_IV_LEN);
		err = get_prop(c, fdt, node, path, "mac", PEF_ESM_MAC_LEN, &b);
	}
	if (!err) {
		memcpy(s->mac, b.data, PEF_ESM_MAC_LEN);
		err = get_prop(c, fdt, node, path, "ciphertext", 0, &s->ciphertext);
	}
	return err;
}

static enum cgs_err parse_digest(const struct pctx *c, const void *fdt, struct pef_esm *m)
{
	int node = fdt_path_offset(fdt, "/digest"), s, n = 0;
	enum cgs_err err;

	if (node < 0)
		return bad(c, "/digest", NULL, "missing node");
	if (fdt_first_property_offset(fdt, node) >= 0)
		return bad(c, "/digest", NULL, "unexpected property");
	fdt_for_each_subnode(s, fdt, node)
		n++;
	s = fdt_subnode_offset(fdt, node, "digests-fdt");
	if (n > 1 || (n == 1 && s < 0))
		return bad(c, "/digest", NULL, "unexpected subnode");
	if (s < 0)
		return CGS_OK; /* a blob without digests (create only) */
	snprintf(m->digests.name, sizeof(m->digests.name), "digests-fdt");
	err = parse_sealed(c, fdt, s, "/digest/digests-fdt", &m->digests);
	if (!err)
		m->has_digests = 1;
	return err;
}

static enum cgs_err parse_files_fdt(const struct pctx *c, const uint8_t *ff, size_t len,
				    struct pef_esm *m)
{
	int offs[PEF_ESM_MAX_FILES], node;
	enum cgs_err err = check_tree(c, ff, len, "/file/files-fdt");
	size_t n;

	if (err)
		return err;
	err = get_str(c, ff, 0, "/file/files-fdt:", "compatible", PEF_ESM_FILES_COMPATIBLE,
		      NULL);
	if (err)
		return err;
	node = fdt_path_offset(ff, "/files");
	if (node < 0)
		return bad(c, "/file/files-fdt:/files", ff, "missing node");
	err = subnodes(c, ff, node, "/file/files-fdt:/files", offs, PEF_ESM_MAX_FILES, &n);
	for (size_t i = 0; !err && i < n; i++) {
		struct pef_esm_sealed *f = &m->files[i];
		char path[96];

		err = node_name(c, ff, offs[i], "/file/files-fdt:/files", f->name);
		if (err)
			break;
		snprintf(path, sizeof(path), "files-fdt:/files/%s", f->name);
		err = parse_sealed(c, ff, offs[i], path, f);
	}
	if (!err)
		m->n_files = n;
	return err;
}

/* libfdt needs 8-byte alignment: read a copy, then point the views back into the blob. */
static enum cgs_err parse_files_copy(const struct pctx *c, struct pef_esm_bytes b,
				     struct pef_esm *m)
{
	uint8_t *copy = malloc(b.len ? b.len : 1);
	struct pctx cc = { NULL, off_of(c, b.data), c->d };
	enum cgs_err err;

	if (!copy)
		return cgs_diag_set(c->d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(copy, b.data, b.len);
	cc.tree = copy;
	err = parse_files_fdt(&cc, copy, b.len, m);
	for (size_t i = 0; !err && i < m->n_files; i++) {
		struct pef_esm_sealed *f = &m->files[i];

		f->comment = (const char *)b.data + ((uintptr_t)f->comment - (uintptr_t)copy);
		f->ciphertext.data = b.data + ((uintptr_t)f->ciphertext.data - (uintptr_t)copy);
	}
	free(copy);
	return err;
}

static enum cgs_err parse_file(const struct pctx *c, const void *fdt, struct pef_esm *m)
{
	static const char *const props[] = { "files-fdt", NULL };
	int node = fdt_path_offset(fdt, "/file");
	struct pef_esm_bytes b = { NULL, 0 };
	enum cgs_err err;

	if (node < 0)
		return bad(c, "/file", NULL, "missing node");
	if (fdt_first_subnode(fdt, node) >= 0)
		return bad(c, "/file", NULL, "unexpected subnode");
	err = only_props(c, fdt, node, "/file", props);
	if (err || !fdt_getprop(fdt, node, "files-fdt", NULL))
		return err;
	err = get_prop(c, fdt, node, "/file", "files-fdt", 0, &b);
	if (err)
		return err;
	/* the 64 KiB limit is the writer's: svm-tool writes larger trees and readers take them */
	m->has_files_fdt = 1;
	m->files_fdt_len = b.len;
	return parse_files_copy(c, b, m);
}

static enum cgs_err parse_root(const struct pctx *c, const void *fdt)
{
	static const char *const props[] = { "compatible", NULL };
	static const char *const nodes[] = { "lockboxes", "digest", "file", NULL };
	enum cgs_err err = only_props(c, fdt, 0, "", props);
	int s;

	if (err)
		return err;
	fdt_for_each_subnode(s, fdt, 0) {
		const char *name = fdt_get_name(fdt, s, NULL);
		size_t i;

		for (i = 0; name && nodes[i] && strcmp(nodes[i], name); i++)
			;
		if (!name || !nodes[i])
			return bad(c, "/", name, "unknown node in the root");
	}
	return CGS_OK;
}

int pef_esm_sniff(const uint8_t *data, size_t len)
{
	const char *compat;
	int clen;

	if (((uintptr_t)data & 7) || len < 40 || len > INT32_MAX || fdt_magic(data) != FDT_MAGIC ||
	    fdt_totalsize(data) > len || fdt_walk_sane(data, len) || fdt_check_full(data, len))
		return 0;
	compat = fdt_getprop(data, 0, "compatible", &clen);
	return compat && clen == (int)sizeof(PEF_ESM_COMPATIBLE) &&
	       !memcmp(compat, PEF_ESM_COMPATIBLE, sizeof(PEF_ESM_COMPATIBLE));
}

enum cgs_err pef_esm_parse(const uint8_t *blob, size_t len, struct pef_esm *ret,
			   struct cgs_diag *d)
{
	struct pctx c = { blob, 0, d };
	struct pef_esm *m = calloc(1, sizeof(*m));
	enum cgs_err err;

	if (!m)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	err = check_tree(&c, blob, len, "header");
	if (!err) {
		const char *compat;
		int clen;

		compat = fdt_getprop(blob, 0, "compatible", &clen);
		if (!compat || !is_string(compat, clen) || strcmp(compat, PEF_ESM_COMPATIBLE))
			err = bad(&c, "/compatible", compat,
				  "not an ESM blob (root is not compatible \"ibm,esm\")");
	}
	if (!err)
		err = parse_root(&c, blob);
	if (!err)
		err = parse_lockboxes(&c, blob, m);
	if (!err)
		err = parse_digest(&c, blob, m);
	if (!err)
		err = parse_file(&c, blob, m);
	if (!err)
		err = pef_esm_check_read(m, d);
	if (!err)
		*ret = *m;
	free(m);
	return err;
}

static enum cgs_err vbad(struct cgs_diag *d, const char *field, const char *what)
{
	return cgs_diag_set(d, CGS_E_MALFORMED, field, CGS_DIAG_NO_OFFSET, "%s", what);
}

static enum cgs_err check_comment(const char *comment, const char *field, struct cgs_diag *d)
{
	if (comment && strlen(comment) > PEF_ESM_COMMENT_MAX)
		return vbad(d, field, "comment longer than 1024 bytes");
	if (comment && strchr(comment, '\n'))
		return vbad(d, field, "comment contains a line feed");
	return CGS_OK;
}

static enum cgs_err validate_lockboxes(const struct pef_esm *m, struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;

	if (m->n_lockboxes > PEF_ESM_MAX_LOCKBOXES)
		return vbad(d, "/lockboxes", "too many lockboxes");
	if (pef_esm_find_lockbox(m, PEF_ESM_ORIGIN) < 0)
		return vbad(d, "/lockboxes/origin-lockbox", "missing node");
	for (size_t i = 0; !err && i < m->n_lockboxes; i++) {
		const struct pef_esm_lockbox *lb = &m->lockboxes[i];

		if (!lockbox_name_valid(lb->name))
			return vbad(d, lb->name, "invalid lockbox name");
		if (pef_esm_find_lockbox(m, lb->name) != (int)i)
			return vbad(d, lb->name, "duplicate lockbox");
		if (lb->symkey.len < PEF_ESM_SYMKEY_MIN || lb->symkey.len > PEF_ESM_SYMKEY_MAX)
			return vbad(d, lb->name, "encrypted-symkey has an implausible length");
		if (!strcmp(lb->name, PEF_ESM_UV_LOCKBOX) &&
		    lb->symkey.len != PEF_ESM_UV_SYMKEY_LEN)
			return vbad(d, lb->name, "encrypted-symkey of lockbox-1 must be 256 bytes "
				    "(the TPM's RSA-2048 key)");
		err = check_comment(lb->comment, lb->name, d);
	}
	return err;
}

enum cgs_err pef_esm_check_read(const struct pef_esm *m, struct cgs_diag *d)
{
	if (pef_esm_find_lockbox(m, PEF_ESM_ORIGIN) < 0)
		return vbad(d, "/lockboxes/origin-lockbox", "missing node");
	for (size_t i = 0; i < m->n_lockboxes; i++) {
		const struct pef_esm_lockbox *lb = &m->lockboxes[i];

		if (!lockbox_name_valid(lb->name))
			return vbad(d, lb->name, "invalid lockbox name");
		if (pef_esm_find_lockbox(m, lb->name) != (int)i)
			return vbad(d, lb->name, "duplicate lockbox");
		if (!lb->symkey.len)
			return vbad(d, lb->name, "empty encrypted-symkey");
	}
	for (size_t i = 0; i < m->n_files; i++) {
		const struct pef_esm_sealed *f = &m->files[i];

		if (!pef_esm_file_name_valid(f->name))
			return vbad(d, f->name, "invalid attachment name (a letter, then up to "
				    "30 of 0-9 A-Z a-z , . _ + -)");
		if (pef_esm_find_file(m, f->name) != (int)i)
			return vbad(d, f->name, "duplicate attachment");
	}
	return CGS_OK;
}

enum cgs_err pef_esm_validate(const struct pef_esm *m, struct cgs_diag *d)
{
	enum cgs_err err = validate_lockboxes(m, d);

	if (err)
		return err;
	if (m->has_digests) {
		if (m->digests.ciphertext.len > PEF_ESM_DIGESTS_MAX)
			return vbad(d, "/digest/digests-fdt/ciphertext",
				    "digests tree larger than the Ultravisor's 4096 bytes");
		err = check_comment(m->digests.comment, "/digest/digests-fdt", d);
	}
	if (m->n_files > PEF_ESM_MAX_FILES)
		return vbad(d, "files", "too many attachments");
	for (size_t i = 0; !err && i < m->n_files; i++) {
		const struct pef_esm_sealed *f = &m->files[i];

		if (!pef_esm_file_name_valid(f->name))
			return vbad(d, f->name, "invalid attachment name (a letter, then up to "
				    "30 of 0-9 A-Z a-z , . _ + -)");
		if (pef_esm_find_file(m, f->name) != (int)i)
			return vbad(d, f->name, "duplicate attachment");
		if (f->ciphertext.len > PEF_ESM_FILE_MAX)
			return vbad(d, f->name, "attachment larger than the Ultravisor's "
				    "65535 bytes");
		err = check_comment(f->comment, f->name, d);
	}
	return err;
}

int pef_esm_find_lockbox(const struct pef_esm *m, const char *name)
{
	for (size_t i = 0; i < m->n_lockboxes; i++)
		if (!strcmp(m->lockboxes[i].name, name))
			return (int)i;
	return -1;
}

int pef_esm_find_file(const struct pef_esm *m, const char *name)
{
	for (size_t i = 0; i < m->n_files; i++)
		if (!strcmp(m->files[i].name, name))
			return (int)i;
	return -1;
}

void pef_esm_next_lockbox_name(const struct pef_esm *m, char out[PEF_ESM_NAME_MAX + 1])
{
	/* the lowest free number: after lockbox-1 is revoked, the next one is lockbox-1 again */
	for (unsigned long n = 1;; n++) {
		snprintf(out, PEF_ESM_NAME_MAX + 1, "lockbox-%lu", n);
		if (pef_esm_find_lockbox(m, out) < 0)
			return;
	}
}

/* ---- writing ---- */

struct wtree {
	uint8_t *buf;
	int rc; /* first libfdt error */
};

static int w_node(struct wtree *t, const char *parent, const char *name)
{
	int p = fdt_path_offset(t->buf, parent), n = -FDT_ERR_NOTFOUND;

	if (!t->rc && p < 0)
		t->rc = p;
	if (!t->rc) {
		n = fdt_add_subnode(t->buf, p, name);
		if (n < 0)
			t->rc = n;
	}
	return n;
}

static void w_prop(struct wtree *t, int node, const char *name, const void *val, size_t len)
{
	int rc;

	if (t->rc)
		return;
	rc = fdt_setprop(t->buf, node, name, val, (int)len);
	if (rc)
		t->rc = rc;
}

static void w_str(struct wtree *t, int node, const char *name, const char *s)
{
	s = s ? s : "";
	w_prop(t, node, name, s, strlen(s) + 1);
}

static void w_sealed(struct wtree *t, int node, const struct pef_esm_sealed *s)
{
	w_str(t, node, "algorithm", GCM_ALGORITHM);
	w_str(t, node, "untrusted-comment", s->comment);
	w_prop(t, node, "ciphertext", s->ciphertext.data, s->ciphertext.len);
	w_prop(t, node, "iv", s->iv, PEF_ESM_IV_LEN);
	w_prop(t, node, "mac", s->mac, PEF_ESM_MAC_LEN);
}

static enum cgs_err w_open(struct wtree *t, size_t cap, struct cgs_diag *d)
{
	t->rc = 0;
	t->buf = calloc(1, cap);
	if (!t->buf)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	t->rc = fdt_create_empty_tree(t->buf, (int)cap);
	return CGS_OK;
}

static enum cgs_err w_finish(struct wtree *t, struct cgs_buf *out, size_t max, const char *what,
			     struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;

	if (!t->rc)
		t->rc = fdt_pack(t->buf);
	if (t->rc)
		err = cgs_diag_set(d, CGS_E_INTERNAL, what, CGS_DIAG_NO_OFFSET,
				   "building the device tree failed: %s", fdt_strerror(t->rc));
	else if (fdt_totalsize(t->buf) > max)
		err = cgs_diag_set(d, CGS_E_MALFORMED, what, CGS_DIAG_NO_OFFSET,
				   "%u bytes, over the Ultravisor's limit of %zu",
				   fdt_totalsize(t->buf), max);
	else
		err = cgs_buf_append(out, t->buf, fdt_totalsize(t->buf));
	free(t->buf);
	t->buf = NULL;
	return err;
}

static size_t sealed_room(const struct pef_esm_sealed *s)
{
	return 256 + s->ciphertext.len + (s->comment ? strlen(s->comment) : 0);
}

static enum cgs_err build_files(const struct pef_esm *m, struct cgs_buf *out,
				struct cgs_diag *d)
{
	struct wtree t;
	size_t cap = 1024;
	enum cgs_err err;

	for (size_t i = 0; i < m->n_files; i++)
		cap += sealed_room(&m->files[i]);
	err = w_open(&t, cap, d);
	if (err)
		return err;
	w_str(&t, 0, "compatible", PEF_ESM_FILES_COMPATIBLE);
	w_node(&t, "/", "files");
	for (size_t i = 0; i < m->n_files; i++) {
		int n = w_node(&t, "/files", m->files[i].name);

		w_sealed(&t, n, &m->files[i]);
	}
	return w_finish(&t, out, PEF_ESM_FILES_FDT_MAX, "/file/files-fdt", d);
}

static void build_lockboxes(struct wtree *t, const struct pef_esm *m)
{
	for (size_t i = 0; i < m->n_lockboxes; i++) {
		const struct pef_esm_lockbox *lb = &m->lockboxes[i];
		int n = w_node(t, "/lockboxes", lb->name), fp;

		w_str(t, n, "untrusted-comment", lb->comment);
		w_prop(t, n, "encrypted-symkey", lb->symkey.data, lb->symkey.len);
		if (t->rc)
			return;
		fp = fdt_add_subnode(t->buf, n, "pubkey-fingerprint");
		if (fp < 0) {
			t->rc = fp;
			return;
		}
		w_str(t, fp, "algorithm", FP_ALGORITHM);
		w_prop(t, fp, "hash", lb->fingerprint, PEF_ESM_FP_LEN);
	}
}

enum cgs_err pef_esm_serialize(const struct pef_esm *m, struct cgs_buf *out,
			       struct cgs_diag *d)
{
	struct cgs_buf files = CGS_BUF_INIT;
	struct wtree t;
	size_t cap = 4096;
	enum cgs_err err = pef_esm_validate(m, d);

	if (!err && (m->n_files || m->has_files_fdt))
		err = build_files(m, &files, d);
	if (err)
		return err;
	for (size_t i = 0; i < m->n_lockboxes; i++)
		cap += 512 + m->lockboxes[i].symkey.len + strlen(m->lockboxes[i].comment ?
								  m->lockboxes[i].comment : "");
	cap += (m->has_digests ? sealed_room(&m->digests) : 0) + files.len;
	err = w_open(&t, cap, d);
	if (err) {
		cgs_buf_free(&files, 0);
		return err;
	}
	w_str(&t, 0, "compatible", PEF_ESM_COMPATIBLE);
	w_node(&t, "/", "file");
	w_node(&t, "/", "digest");
	w_node(&t, "/", "lockboxes");
	build_lockboxes(&t, m);
	if (m->has_digests)
		w_sealed(&t, w_node(&t, "/digest", "digests-fdt"), &m->digests);
	if (files.len)
		w_prop(&t, fdt_path_offset(t.buf, "/file"), "files-fdt", files.data, files.len);
	cgs_buf_free(&files, 0);
	return w_finish(&t, out, PEF_ESM_BLOB_MAX, "blob", d);
}

enum cgs_err pef_esm_digests_serialize(const struct pef_esm_digests *dg, struct cgs_buf *out,
				       struct cgs_diag *d)
{
	struct wtree t;
	enum cgs_err err = w_open(&t, DIGESTS_SCRATCH, d);
	int n;

	if (err)
		return err;
	w_str(&t, 0, "compatible", PEF_ESM_COMPATIBLE);
	n = w_node(&t, "/", "digests");
	w_str(&t, n, "algorithm", DIGEST_ALGORITHM);
	w_prop(&t, n, "rtas", dg->rtas, PEF_ESM_DIGEST_LEN);
	w_prop(&t, n, "kernel", dg->kernel, PEF_ESM_DIGEST_LEN);
	if (!t.rc)
		t.rc = fdt_setprop_u32(t.buf, n, "kernel-size", dg->kernel_size);
	w_prop(&t, n, "initrd", dg->initrd, PEF_ESM_DIGEST_LEN);
	w_prop(&t, n, "bootargs", dg->bootargs, PEF_ESM_DIGEST_LEN);
	return w_finish(&t, out, PEF_ESM_DIGESTS_MAX, "digests-fdt", d);
}

enum cgs_err pef_esm_digests_parse(const uint8_t *data, size_t len, struct pef_esm_digests *ret,
				   struct cgs_diag *d)
{
	struct pctx c = { data, 0, d };
	struct pef_esm_digests dg;
	struct pef_esm_bytes b = { NULL, 0 };
	static const char *const names[] = { "rtas", "kernel", "initrd", "bootargs" };
	uint8_t *dst[] = { dg.rtas, dg.kernel, dg.initrd, dg.bootargs };
	enum cgs_err err = check_tree(&c, data, len, "digests-fdt");
	int node;

	if (!err && len > PEF_ESM_DIGESTS_MAX)
		err = bad(&c, "digests-fdt", data, "larger than the Ultravisor's 4096 bytes");
	if (!err)
		err = get_str(&c, data, 0, "", "compatible", PEF_ESM_COMPATIBLE, NULL);
	if (err)
		return err;
	node = fdt_path_offset(data, "/digests");
	if (node < 0)
		return bad(&c, "/digests", NULL, "missing node");
	err = get_str(&c, data, node, "/digests", "algorithm", DIGEST_ALGORITHM, NULL);
	for (size_t i = 0; !err && i < 4; i++) {
		err = get_prop(&c, data, node, "/digests", names[i], PEF_ESM_DIGEST_LEN, &b);
		if (!err)
			memcpy(dst[i], b.data, PEF_ESM_DIGEST_LEN);
	}
	if (!err)
		err = get_prop(&c, data, node, "/digests", "kernel-size", 4, &b);
	if (err)
		return err;
	dg.kernel_size = fdt32_ld((const fdt32_t *)b.data);
	*ret = dg;
	return CGS_OK;
}
