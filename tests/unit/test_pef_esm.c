// SPDX-License-Identifier: MIT
/* formats/pef_esm: the ESM blob device tree, on self-made trees and the reference blob. */
#include "formats/pef_esm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/hex.h"
#include "tests/unit/tap.h"

static uint8_t symkey[3][256], ct[600];

static void fill_model(struct pef_esm *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < 3; i++) {
		memset(symkey[i], 0x10 + i, sizeof(symkey[i]));
		m->lockboxes[i].symkey.data = symkey[i];
		m->lockboxes[i].symkey.len = 256;
		memset(m->lockboxes[i].fingerprint, 0xa0 + i, PEF_ESM_FP_LEN);
	}
	strcpy(m->lockboxes[0].name, "origin-lockbox");
	m->lockboxes[0].comment = "owner";
	strcpy(m->lockboxes[1].name, "lockbox-1");
	m->lockboxes[1].comment = "tpm";
	strcpy(m->lockboxes[2].name, "lockbox-2");
	m->lockboxes[2].comment = "";
	m->n_lockboxes = 3;
	for (size_t i = 0; i < sizeof(ct); i++)
		ct[i] = (uint8_t)(i * 7);
	m->has_digests = 1;
	strcpy(m->digests.name, "digests-fdt");
	m->digests.comment = "";
	memset(m->digests.iv, 1, 16);
	memset(m->digests.mac, 2, 16);
	m->digests.ciphertext.data = ct;
	m->digests.ciphertext.len = 509;
	strcpy(m->files[0].name, "file-1");
	m->files[0].comment = "some json";
	m->files[0].ciphertext.data = ct;
	m->files[0].ciphertext.len = 246;
	strcpy(m->files[1].name, "crypttab");
	m->files[1].comment = "";
	m->files[1].ciphertext.data = ct;
	m->files[1].ciphertext.len = 0;
	m->n_files = 2;
}

static void write_seed(const char *name, const uint8_t *data, size_t len)
{
	char path[256];
	FILE *f;

	if (!getenv("CGS_WRITE_SEEDS"))
		return; /* the committed seeds were made this way */
	snprintf(path, sizeof(path), "tests/fuzz/corpus/pef_esm/%s", name);
	f = fopen(path, "rb");
	if (f) {
		fclose(f);
		return;
	}
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void test_round_trip(void)
{
	struct pef_esm *m = calloc(1, sizeof(*m)), *p = calloc(1, sizeof(*p));
	struct cgs_buf b = CGS_BUF_INIT, b2 = CGS_BUF_INIT;
	struct cgs_diag d;

	fill_model(m);
	is_int(pef_esm_serialize(m, &b, &d), CGS_OK, "serialise a self-made model");
	ok(pef_esm_sniff(b.data, b.len), "the result sniffs as an ESM blob");
	is_int(pef_esm_parse(b.data, b.len, p, &d), CGS_OK, "parse it back");
	is_int((long long)p->n_lockboxes, 3, "three lockboxes");
	is_str(p->lockboxes[1].name, "lockbox-1", "creation order kept");
	is_str(p->lockboxes[0].comment, "owner", "comment kept");
	is_mem(p->lockboxes[2].symkey.data, symkey[2], 256, "symkey kept");
	is_int((long long)p->n_files, 2, "two attachments");
	is_str(p->files[1].name, "crypttab", "attachment order kept");
	is_int((long long)p->files[1].ciphertext.len, 0, "empty attachment kept");
	is_int((long long)p->digests.ciphertext.len, 509, "digests length kept");
	is_int(pef_esm_serialize(p, &b2, &d), CGS_OK, "serialise the parsed model");
	ok(b.len == b2.len && !memcmp(b.data, b2.data, b.len), "byte-identical round trip");
	write_seed("self-made.dtb", b.data, b.len);

	/* mutations the writer must refuse */
	fill_model(m);
	strcpy(m->files[0].name, "1bad");
	is_int(pef_esm_serialize(m, &b2, &d), CGS_E_MALFORMED, "attachment name starting with a digit");
	fill_model(m);
	m->files[0].comment = "two\nlines";
	is_int(pef_esm_serialize(m, &b2, &d), CGS_E_MALFORMED, "comment with LF refused");
	fill_model(m);
	m->lockboxes[1].symkey.len = 512;
	is_int(pef_esm_serialize(m, &b2, &d), CGS_E_MALFORMED, "lockbox-1 must be 256 bytes");
	fill_model(m);
	m->lockboxes[0].name[0] = 'X';
	is_int(pef_esm_serialize(m, &b2, &d), CGS_E_MALFORMED, "origin lockbox required");
	fill_model(m);
	m->digests.ciphertext.len = 4097;
	is_int(pef_esm_serialize(m, &b2, &d), CGS_E_MALFORMED, "digests over 4096 refused");
	free(m);
	free(p);
	cgs_buf_free(&b, 0);
	cgs_buf_free(&b2, 0);
}

static void test_malformed(void)
{
	struct pef_esm *m = calloc(1, sizeof(*m)), *p = calloc(1, sizeof(*p));
	struct cgs_buf b = CGS_BUF_INIT;
	struct cgs_diag d;
	uint8_t *x;

	fill_model(m);
	pef_esm_serialize(m, &b, &d);
	x = malloc(b.len);
	memcpy(x, b.data, b.len);
	is_int(pef_esm_parse(x, b.len - 1, p, &d), CGS_E_MALFORMED, "truncated blob");
	x[0] = 0;
	is_int(pef_esm_parse(x, b.len, p, &d), CGS_E_MALFORMED, "bad magic");
	ok(strstr(d.text, "magic") != NULL, "message names the magic");
	memcpy(x, b.data, b.len);
	/* "ibm,esm" -> "ibm,esx" */
	for (size_t i = 0; i + 7 < b.len; i++)
		if (!memcmp(x + i, "ibm,esm", 8)) {
			x[i + 6] = 'x';
			break;
		}
	is_int(pef_esm_parse(x, b.len, p, &d), CGS_E_MALFORMED, "wrong compatible");
	ok(strstr(d.text, "not an ESM blob") != NULL, "says not an ESM blob");
	ok(!pef_esm_sniff(x, b.len), "sniff refuses it");
	memcpy(x, b.data, b.len);
	for (size_t i = 0; i + 9 < b.len; i++)
		if (!memcmp(x + i, "lockbox-1", 10)) {
			x[i + 8] = '7';
			break;
		}
	is_int(pef_esm_parse(x, b.len, p, &d), CGS_OK, "lockbox-7 instead of lockbox-1 parses");
	ok(pef_esm_find_lockbox(p, "lockbox-1") < 0, "and has no lockbox-1");
	write_seed("no-lockbox-1.dtb", x, b.len);
	free(x);
	free(m);
	free(p);
	cgs_buf_free(&b, 0);
}

static void test_digests(void)
{
	struct pef_esm_digests dg, back;
	struct cgs_buf b = CGS_BUF_INIT;
	struct cgs_diag d;

	memset(&dg, 0x5a, sizeof(dg));
	dg.kernel_size = 0x1028;
	is_int(pef_esm_digests_serialize(&dg, &b, &d), CGS_OK, "digests tree built");
	is_int((long long)b.len, 509, "digests tree is 509 bytes (as the reference)");
	is_int(pef_esm_digests_parse(b.data, b.len, &back, &d), CGS_OK, "digests tree parsed");
	is_int(back.kernel_size, 0x1028, "kernel-size kept");
	is_mem(back.bootargs, dg.bootargs, 64, "bootargs kept");
	write_seed("digests.dtb", b.data, b.len);
	cgs_buf_free(&b, 0);
}

static void test_names(void)
{
	struct pef_esm m;
	char n[32];

	ok(pef_esm_file_name_valid("crypttab"), "crypttab is a valid name");
	ok(pef_esm_file_name_valid("a,b._+-9"), "punctuation allowed");
	ok(!pef_esm_file_name_valid("a/b"), "slash refused");
	ok(!pef_esm_file_name_valid(""), "empty refused");
	ok(pef_esm_file_name_valid("abcdefghijklmnopqrstuvwxyz01234"), "31 chars allowed");
	ok(!pef_esm_file_name_valid("abcdefghijklmnopqrstuvwxyz012345"), "32 chars refused");
	memset(&m, 0, sizeof(m));
	strcpy(m.lockboxes[0].name, "origin-lockbox");
	strcpy(m.lockboxes[1].name, "lockbox-3");
	m.n_lockboxes = 2;
	pef_esm_next_lockbox_name(&m, n);
	is_str(n, "lockbox-1", "next lockbox is the lowest free one (lockbox-1 revoked)");
	strcpy(m.lockboxes[2].name, "lockbox-1");
	m.n_lockboxes = 3;
	pef_esm_next_lockbox_name(&m, n);
	is_str(n, "lockbox-2", "then the gap between 1 and 3");
	strcpy(m.lockboxes[3].name, "lockbox-2");
	m.n_lockboxes = 4;
	pef_esm_next_lockbox_name(&m, n);
	is_str(n, "lockbox-4", "then max+1 when there is no gap");
}

/* What svm-tool can write is read, even where the builder is stricter. */
static void test_reader_rules(void)
{
	static uint8_t big[65535];
	struct pef_esm *m = calloc(1, sizeof(*m));
	struct cgs_diag d;

	if (!m)
		return;
	fill_model(m);
	m->files[0].ciphertext.data = big;
	m->files[0].ciphertext.len = sizeof(big);
	m->lockboxes[0].comment = "a comment\nwith a line feed";
	m->lockboxes[1].symkey.len = 128; /* an RSA-1024 "TPM" key */
	is_int(pef_esm_check_read(m, &d), CGS_OK, "reader: 65535-byte attachment, LF comment, "
	       "128-byte lockbox-1 accepted");
	is_int(pef_esm_validate(m, &d), CGS_E_MALFORMED, "writer: the same blob is refused");
	strcpy(m->files[1].name, "file-1");
	ok(pef_esm_check_read(m, &d) == CGS_E_MALFORMED && strstr(d.text, "duplicate"),
	   "reader: a duplicate attachment is still refused");
	fill_model(m);
	strcpy(m->lockboxes[2].name, "lockbox-1");
	ok(pef_esm_check_read(m, &d) == CGS_E_MALFORMED && strstr(d.text, "duplicate"),
	   "reader: a duplicate lockbox is still refused");
	fill_model(m);
	strcpy(m->lockboxes[0].name, "lockbox-9");
	ok(pef_esm_check_read(m, &d) == CGS_E_MALFORMED, "reader: no origin lockbox is refused");
	free(m);
}

static void fdt_hex(const char *name, const uint8_t *p, const char *want_hex, size_t len)
{
	uint8_t want[64];

	cgs_hex_decode(want_hex, want, len, NULL, 1);
	is_mem(p, want, len, name);
}

static void test_reference(void)
{
	const char *v = tap_vectors();
	char path[512];
	uint8_t *blob, *plain;
	size_t len, plen;
	struct pef_esm *m = calloc(1, sizeof(*m));
	struct pef_esm_digests dg;
	struct cgs_buf b = CGS_BUF_INIT;
	struct cgs_diag d;
	int i;

	snprintf(path, sizeof(path), "%s/pef/generated/esmb.dtb", v ? v : "/nonexistent");
	blob = v ? tap_slurp(path, &len) : NULL;
	if (!blob) {
		ok(1, "# SKIP ../shared/vectors/pef not present: reference blob not checked");
		free(m);
		return;
	}
	is_int(pef_esm_parse(blob, len, m, &d), CGS_OK, "reference blob parses");
	is_int((long long)len, 2865, "reference blob is 2865 bytes");
	is_int((long long)m->n_lockboxes, 3, "three lockboxes");
	is_str(m->lockboxes[0].name, "origin-lockbox", "origin created first");
	is_str(m->lockboxes[1].name, "lockbox-1", "then lockbox-1");
	is_str(m->lockboxes[2].name, "lockbox-2", "then lockbox-2");
	is_str(m->lockboxes[0].comment, "svm-tools test owner key", "origin comment");
	is_str(m->lockboxes[1].comment, "emulated TPM (test only)", "lockbox-1 comment");
	is_str(m->lockboxes[2].comment, "svm-tools test TPM key", "lockbox-2 comment");
	for (i = 0; i < 3; i++)
		is_int((long long)m->lockboxes[i].symkey.len, 256, "symkey is 256 bytes");
	fdt_hex("origin fingerprint", m->lockboxes[0].fingerprint,
		"98f69f9ea3090c6053755808725539228dccfd011368c827c1799da8052b792d", 32);
	fdt_hex("lockbox-1 fingerprint", m->lockboxes[1].fingerprint,
		"55284d5fd022c12473c1169037b4e2dae9970e1b004aa12365a4f13edeaeaf69", 32);
	fdt_hex("lockbox-2 fingerprint", m->lockboxes[2].fingerprint,
		"789118261d683ee768926bdf370a0ecf08a9b45ac8dd84ce092e5550e6d97e2c", 32);
	ok(m->has_digests, "digests present");
	is_int((long long)m->digests.ciphertext.len, 509, "digests ciphertext 509 bytes");
	is_str(m->digests.comment, "", "digests comment empty");
	fdt_hex("digests iv", m->digests.iv, "fcacdf643ae38f6ae612d7073d8bb372", 16);
	fdt_hex("digests mac", m->digests.mac, "7a804ddb2c2b3fe64430f536e778c5eb", 16);
	is_int((long long)m->n_files, 2, "two attachments");
	is_str(m->files[0].name, "file-1", "file-1 first");
	is_str(m->files[0].comment, "guest info json", "file-1 comment");
	is_int((long long)m->files[0].ciphertext.len, 246, "file-1 246 bytes");
	is_str(m->files[1].name, "crypttab", "crypttab second");
	is_str(m->files[1].comment, "", "crypttab comment empty");
	is_int((long long)m->files[1].ciphertext.len, 29, "crypttab 29 bytes");
	is_int(pef_esm_serialize(m, &b, &d), CGS_OK, "re-serialise the reference model");
	ok(b.len == len && !memcmp(b.data, blob, len),
	   "re-serialised blob is byte-identical to svm-tool's");
	snprintf(path, sizeof(path), "%s/pef/generated/digests-fdt.plain.dtb", v);
	plain = tap_slurp(path, &plen);
	is_int(plain ? (int)pef_esm_digests_parse(plain, plen, &dg, &d) : -1, CGS_OK,
	       "reference digests tree parses");
	is_int(dg.kernel_size, 4136, "kernel-size 4136");
	fdt_hex("digest rtas", dg.rtas, "189698638580422ea58a0968ecce2436daeb2c91a339c14b0ab2bc623c1649fe274074a4a92679dc61e5528d68778ba3c82f1b1f7e9a5958238b80497fc37f48", 64);
	fdt_hex("digest kernel", dg.kernel, "20d71ad4d870b91ce632b1c6a844cd236afb85cca18107e0b90138fcd408ed62afec273776a2de41c403df837870a2d6236a9ae3f0e91daaaeee097156772724", 64);
	fdt_hex("digest initrd", dg.initrd, "a781e7f9338a06a2aef1414f5a8e52a2ccadfc39b20b928b4af1b52a9cb2290cf1e20ae991f7ae88bf3b4edf58916f1c431980796ccddc70368c9279277faa40", 64);
	fdt_hex("digest bootargs", dg.bootargs, "3a2706fb20400d4e5bce091d09028004fdf1c0ea5b47e3b54d4361b2c2bf27bca7f10eb9f74224267bd515fb5378ffe893b7bc659b8ef8c66672203f4818ff39", 64);
	b.len = 0;
	is_int(pef_esm_digests_serialize(&dg, &b, &d), CGS_OK, "digests tree re-serialised");
	ok(plain && b.len == plen && !memcmp(b.data, plain, plen),
	   "digests tree byte-identical to the reference");
	free(plain);
	free(blob);
	free(m);
	cgs_buf_free(&b, 0);
}

int main(void)
{
	test_round_trip();
	test_malformed();
	test_digests();
	test_names();
	test_reader_rules();
	test_reference();
	return tap_done();
}
