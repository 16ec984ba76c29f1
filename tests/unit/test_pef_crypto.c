// SPDX-License-Identifier: MIT
/*
 * lib/pef_crypto, lib/elf_flat, lib/cpio: self-contained round trips, and the
 * reference vectors of ../shared/vectors/pef (svm-tool output) when present.
 */
#include "lib/pef/pef_crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pef/cpio.h"
#include "lib/pef/elf_flat.h"
#include "lib/core/hex.h"
#include "tests/unit/tap.h"

static char vdir[512];

static uint8_t *vec(const char *name, size_t *len)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", vdir, name);
	return tap_slurp(p, len);
}

static const char *vpath(const char *name)
{
	static char p[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", vdir, name);
	return p[k];
}

static void hex_is(const uint8_t *got, const char *want_hex, size_t len, const char *name)
{
	uint8_t want[128];

	cgs_hex_decode(want_hex, want, len, NULL, 1);
	is_mem(got, want, len, name);
}

static void test_self(void)
{
	uint8_t key[32], iv[16], mac[16], pt[100], ct[100], back[100], mk[32];
	struct cgs_buf w = CGS_BUF_INIT, c = CGS_BUF_INIT;
	struct cpio_esm_scan s;
	struct cgs_diag d;
	EVP_PKEY *pk = NULL;

	memset(key, 7, 32);
	memset(iv, 9, 16);
	memset(pt, 'x', sizeof(pt));
	is_int(pef_seal(key, iv, pt, sizeof(pt), ct, mac, &d), CGS_OK, "GCM seal");
	is_int(pef_open(key, iv, ct, sizeof(ct), mac, back, &d), CGS_OK, "GCM open");
	is_mem(back, pt, sizeof(pt), "GCM round trip");
	ct[5] ^= 1;
	is_int(pef_open(key, iv, ct, sizeof(ct), mac, back, &d), CGS_E_VERIFY,
	       "GCM refuses altered ciphertext");
	ct[5] ^= 1;
	mac[0] ^= 0x80;
	is_int(pef_open(key, iv, ct, sizeof(ct), mac, back, &d), CGS_E_VERIFY,
	       "GCM refuses an altered tag");
	is_int(pef_key_generate(2048, &pk, &d), CGS_OK, "RSA-2048 generated");
	is_int(pef_lockbox_wrap(pk, key, &w, &d), CGS_OK, "OAEP wrap");
	is_int((long long)w.len, 256, "lockbox is 256 bytes");
	is_int(pef_lockbox_unwrap(pk, w.data, w.len, mk, &d), CGS_OK, "OAEP unwrap");
	is_mem(mk, key, 32, "master key recovered");
	w.data[10] ^= 1;
	is_int(pef_lockbox_unwrap(pk, w.data, w.len, mk, &d), CGS_E_VERIFY,
	       "altered lockbox refused");
	EVP_PKEY_free(pk);
	is_int(cpio_esm_build("b.dtb", pt, 41, &c, &d), CGS_OK, "cpio built");
	is_int((long long)(c.len % 512), 0, "cpio padded to 512");
	is_int(cpio_esm_scan(c.data, c.len, &s, &d), CGS_E_MALFORMED,
	       "data without FDT magic is refused");
	pt[0] = 0xd0, pt[1] = 0x0d, pt[2] = 0xfe, pt[3] = 0xed;
	pt[4] = 0, pt[5] = 0, pt[6] = 0, pt[7] = 41;
	c.len = 0;
	cpio_esm_build("b.dtb", pt, 41, &c, &d);
	is_int(cpio_esm_scan(c.data, c.len, &s, &d), CGS_OK, "cpio scanned");
	is_int((long long)s.blob_len, 41, "blob length found");
	is_mem(c.data + s.blob_off, pt, 41, "blob found");
	is_int((long long)s.initrd_off, (long long)c.len, "initrd starts after the archive");
	is_int(cpio_esm_scan(c.data, 300, &s, &d), CGS_E_MALFORMED, "truncated archive refused");
	cgs_buf_free(&w, 0);
	cgs_buf_free(&c, 0);
}

static void test_keys_and_lockboxes(const struct pef_esm *m, uint8_t mk[32])
{
	struct pef_key owner = { 0 }, tpm = { 0 }, pub = { 0 };
	struct cgs_diag d;
	uint8_t k2[32];
	int idx = -1;
	const char *x = "5a1a6d1ffda2aba8a7cccc0685b0de41c49380676b0c9fa91571905a266998b1";

	is_int(pef_key_load_private(vpath("../svm-tools-tests/owner-rsaprivkey"), NULL, 2048, 4096,
				    &owner, &d), CGS_OK, "owner PKCS#1 private key loads");
	is_int(pef_key_load_private(vpath("tpm-emul-privkey.pem"), NULL, 2048, 2048, &tpm, &d),
	       CGS_OK, "emulated TPM PKCS#8 private key loads");
	hex_is(owner.fingerprint, "98f69f9ea3090c6053755808725539228dccfd011368c827c1799da8052b792d",
	       32, "owner fingerprint re-derived from the private key (canonical SPKI PEM)");
	hex_is(tpm.fingerprint, "55284d5fd022c12473c1169037b4e2dae9970e1b004aa12365a4f13edeaeaf69",
	       32, "TPM fingerprint re-derived from the private key");
	is_int(pef_key_load_public(vpath("../svm-tools-tests/tpm-rsapubkey.pem"), 2048, 4096, &pub,
				   &d), CGS_OK, "svm-tools TPM public key loads");
	hex_is(pub.fingerprint, "789118261d683ee768926bdf370a0ecf08a9b45ac8dd84ce092e5550e6d97e2c",
	       32, "lockbox-2 fingerprint = SHA-256 of the file");
	is_int(pef_open_lockbox(m, "lockbox-1", tpm.pkey, mk, &d), CGS_OK,
	       "lockbox-1 opens with the emulated TPM key");
	hex_is(mk, x, 32, "master key from lockbox-1");
	is_int(pef_open_lockbox(m, "origin-lockbox", owner.pkey, k2, &d), CGS_OK,
	       "origin lockbox opens with the owner key");
	hex_is(k2, x, 32, "master key from the origin lockbox");
	is_int(pef_open_lockbox(m, "lockbox-2", owner.pkey, k2, &d), CGS_E_VERIFY,
	       "lockbox-2 does not open with the owner key");
	is_int(pef_open_lockbox(m, "lockbox-1", owner.pkey, k2, &d), CGS_E_VERIFY,
	       "lockbox-1 does not open with the owner key");
	is_int(pef_open_any_lockbox(m, &owner, k2, &idx, &d), CGS_OK, "owner lockbox by fingerprint");
	is_int(idx, 0, "found the origin lockbox");
	pef_key_free(&owner);
	pef_key_free(&tpm);
	pef_key_free(&pub);
}

static void test_sealed(const struct pef_esm *m, const uint8_t mk[32])
{
	struct pef_esm_digests dg, mine;
	struct cgs_buf b = CGS_BUF_INIT;
	uint8_t out[600], mac[16];
	struct cgs_diag d;
	size_t plen, l1, l2;
	uint8_t *plain = vec("digests-fdt.plain.dtb", &plen);
	uint8_t *f1 = vec("../svm-tools-tests/file-1.json", &l1), *f2 = vec("crypttab.txt", &l2);
	uint64_t skipped = 0;
	struct pef_boot boot = { vpath("tiny-vmlinux"), vpath("tiny-initrd.img"),
				 "init=/bin/sh svm=1" };

	is_int(pef_open_digests(m, mk, &dg, &d), CGS_OK, "digests open and parse");
	is_int(pef_open(mk, m->digests.iv, m->digests.ciphertext.data, plen, m->digests.mac, out,
			&d), CGS_OK, "digests tree decrypts");
	ok(plain && m->digests.ciphertext.len == plen && !memcmp(out, plain, plen),
	   "decrypted digests equal digests-fdt.plain.dtb");
	is_int(pef_open(mk, m->files[0].iv, m->files[0].ciphertext.data, l1, m->files[0].mac, out,
			&d), CGS_OK, "file-1 decrypts");
	ok(f1 && l1 == m->files[0].ciphertext.len && !memcmp(out, f1, l1), "file-1 = file-1.json");
	is_int(pef_open(mk, m->files[1].iv, m->files[1].ciphertext.data, l2, m->files[1].mac, out,
			&d), CGS_OK, "crypttab decrypts");
	ok(f2 && l2 == m->files[1].ciphertext.len && !memcmp(out, f2, l2), "crypttab = crypttab.txt");
	is_int(pef_boot_digests(&boot, 1, &mine, NULL, &d), CGS_OK, "boot digests computed");
	is_mem(&mine, &dg, sizeof(dg), "our digests equal the reference's (rtas, kernel, size, "
	       "initrd, bootargs)");
	boot.initrd = vpath("esmb-initrd.img");
	is_int(pef_boot_digests(&boot, 1, &mine, &skipped, &d), CGS_OK, "digests of esmb-initrd");
	is_int((long long)skipped, 4096, "ESM cpio (4096 bytes) skipped like the Ultravisor");
	is_mem(mine.initrd, dg.initrd, 64, "initrd digest after the ESM cpio");
	/* same plaintext, key and IV: the sealed digests reproduce byte for byte */
	is_int(pef_esm_digests_serialize(&mine, &b, &d), CGS_OK, "digests tree built");
	is_int(pef_seal(mk, m->digests.iv, b.data, b.len, out, mac, &d), CGS_OK, "digests sealed");
	ok(b.len == m->digests.ciphertext.len && !memcmp(out, m->digests.ciphertext.data, b.len),
	   "our sealed digests ciphertext equals the reference");
	is_mem(mac, m->digests.mac, 16, "our GCM tag equals the reference");
	cgs_buf_free(&b, 0);
	free(plain);
	free(f1);
	free(f2);
}

static void test_flat_and_cpio(void)
{
	struct cgs_diag d;
	uint8_t dg[64], *img, *bin, *blob, *sec;
	size_t n, bl, il, sl;
	uint64_t size = 0;
	struct cpio_esm_scan s;
	struct cgs_buf c = CGS_BUF_INIT;

	bin = vec("tiny.bin", &n);
	is_int(elf_flat_digest(vpath("tiny-vmlinux"), "SHA512", dg, &size, &d), CGS_OK,
	       "flat image of tiny-vmlinux");
	is_int((long long)size, 4136, "flat image is 4136 bytes (objcopy -O binary -S)");
	hex_is(dg, "20d71ad4d870b91ce632b1c6a844cd236afb85cca18107e0b90138fcd408ed62afec273776a2de41c403df837870a2d6236a9ae3f0e91daaaeee097156772724",
	       64, "flat image SHA-512 = sha512(tiny.bin)");
	is_int(elf_flat_digest(vpath("tiny.o"), "SHA512", dg, &size, &d), CGS_E_UNSUPPORTED,
	       "an object file is refused");
	is_int(elf_flat_digest(vpath("tiny.bin"), "SHA512", dg, &size, &d), CGS_E_MALFORMED,
	       "a non-ELF file is refused");
	img = vec("esmb-initrd.img", &il);
	blob = vec("esmb.dtb", &bl);
	is_int(img ? (int)cpio_esm_scan(img, il, &s, &d) : -1, CGS_OK, "reference esmb-initrd scans");
	is_int((long long)s.blob_off, 604, "blob at offset 604");
	is_int((long long)s.blob_len, 2865, "blob of 2865 bytes");
	is_int((long long)s.initrd_off, 4096, "original initrd at 4096");
	is_str(s.name, "opt/ibm/pef/esmb.dtb", "entry name");
	is_int(cpio_esm_build("esmb.dtb", blob, bl, &c, &d), CGS_OK, "our cpio built");
	is_int((long long)c.len, 4096, "our cpio is 4096 bytes too");
	is_int(cpio_esm_scan(c.data, c.len, &s, &d), CGS_OK, "our cpio scans");
	is_int((long long)s.blob_off, 604, "our blob at offset 604 too");
	ok(!memcmp(c.data + 604, img + 604, 4096 - 604), "blob, trailer and padding equal");
	is_int(elf_section_read(vpath("tiny-with-esm.o"), ELF_ESM_SECTION, &sec, &sl, &d), CGS_OK,
	       "section read from tiny-with-esm.o");
	ok(sl == bl && !memcmp(sec, blob, bl), "section holds esmb.dtb");
	free(sec);
	free(bin);
	free(img);
	free(blob);
	cgs_buf_free(&c, 0);
}

int main(void)
{
	const char *v = tap_vectors();
	struct pef_esm *m = calloc(1, sizeof(*m));
	uint8_t *blob = NULL, mk[32];
	size_t len;
	struct cgs_diag d;

	test_self();
	if (v) {
		snprintf(vdir, sizeof(vdir), "%s/pef/generated", v);
		blob = vec("esmb.dtb", &len);
	}
	if (!blob) {
		ok(1, "# SKIP ../shared/vectors/pef not present: reference replay skipped");
		free(m);
		return tap_done();
	}
	is_int(pef_esm_parse(blob, len, m, &d), CGS_OK, "reference blob parses");
	test_keys_and_lockboxes(m, mk);
	test_sealed(m, mk);
	test_flat_and_cpio();
	free(blob);
	free(m);
	return tap_done();
}
