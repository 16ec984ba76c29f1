// SPDX-License-Identifier: MIT
/*
 * cgs_s390_image_build (include/cgs/s390.h) on generated inputs: a host key
 * made here, synthetic loaders and kernel. The image's PLD, ALD, TLD and NEP
 * are recomputed independently from the file (one SHA-512 pass per digest,
 * page order), so a pipeline that hashes out of order or misses a chunk
 * fails; the host key opens the header and its XTS key decrypts the kernel
 * back; a failing input leaves no image and names the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cgs/s390.h>

#include "formats/s390_pv_hdr.h"
#include "lib/s390/s390_attest.h"
#include "lib/core/endian.h"
#include "lib/s390/s390_pv_crypto.h"
#include "tests/unit/tap.h"

static char dir[] = "/tmp/cgs-test-s390-XXXXXX";
static char path[8][512];
enum { P_KERNEL, P_RAMDISK, P_PARM, P_HOST, P_OUT, P_S3A, P_S3B, P_MISSING };

static void put_file(const char *p, const uint8_t *data, size_t n)
{
	FILE *f = fopen(p, "wb");

	if (f) {
		fwrite(data, 1, n, f);
		fclose(f);
	}
}

static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *b = malloc(n);

	for (size_t i = 0; b && i < n; i++)
		b[i] = (uint8_t)((i * 2654435761u + seed) >> 13);
	return b;
}

static EVP_PKEY *make_inputs(void)
{
	static const char *const names[8] = {
	    "kernel", "ramdisk",     "parmfile",	  "host.crt",
	    "se.img", "stage3a.bin", "stage3b_reloc.bin", "nope"};
	size_t kn = 0x10430 + 8 + 3 * 4096 + 100, rn = 5 * 1024 * 1024 + 17;
	uint8_t *k = pattern(kn, 1), *r = pattern(rn, 2), *s3a = pattern(9912, 3);
	uint8_t *s3b = pattern(5860, 4);
	EVP_PKEY *host = EVP_EC_gen("secp521r1");
	X509 *x = X509_new();
	FILE *f;

	for (int i = 0; i < 8; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir, names[i]);
	memcpy(k + 0x10008, "S390EP", 6);
	cgs_put_be64(k + 0x10430, 4096);
	put_file(path[P_KERNEL], k, kn);
	put_file(path[P_RAMDISK], r, rn);
	put_file(path[P_PARM], (const uint8_t *)"root=/dev/vda\n", 14);
	put_file(path[P_S3A], s3a, 9912);
	put_file(path[P_S3B], s3b, 5860);
	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"test host", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, host);
	X509_sign(x, host, EVP_sha512());
	f = fopen(path[P_HOST], "w");
	if (f) {
		PEM_write_X509(f, x);
		fclose(f);
	}
	X509_free(x);
	free(k);
	free(r);
	free(s3a);
	free(s3b);
	return host;
}

/* SHA-512 of what the header says, recomputed from the image file. */
static int recompute(const uint8_t *img, size_t n, const struct cgs_s390_image_out *o,
		     uint8_t pld[64], uint8_t ald[64], uint8_t tld[64], uint64_t *nep)
{
	EVP_MD_CTX *c[3] = {EVP_MD_CTX_new(), EVP_MD_CTX_new(), EVP_MD_CTX_new()};
	unsigned len;

	*nep = 0;
	for (int i = 0; i < 3; i++)
		EVP_DigestInit_ex(c[i], EVP_sha512(), NULL);
	for (size_t i = 0; i < o->n_components; i++) {
		const struct cgs_s390_image_component *m = &o->components[i];
		uint8_t tweak[16], a[8];

		memcpy(tweak, m->tweak, 16);
		if (m->addr + m->stored_size > n)
			return 0;
		for (uint64_t off = 0; off < m->stored_size; off += 4096) {
			cgs_put_be64(a, m->addr + off);
			EVP_DigestUpdate(c[0], img + m->addr + off, 4096);
			EVP_DigestUpdate(c[1], a, 8);
			EVP_DigestUpdate(c[2], tweak, 16);
			s390_pv_tweak_add(tweak, 4096);
			(*nep)++;
		}
	}
	EVP_DigestFinal_ex(c[0], pld, &len);
	EVP_DigestFinal_ex(c[1], ald, &len);
	EVP_DigestFinal_ex(c[2], tld, &len);
	for (int i = 0; i < 3; i++)
		EVP_MD_CTX_free(c[i]);
	return 1;
}

/* An association request for the image just built opens with its protection key. */
static void check_secret(const char *const *hkds)
{
	static const uint8_t prot[32] = {1, 2, 3}, secret[32] = {9, 8, 7};
	char pk[560], sec[560];
	struct cgs_s390_secret_in in;
	struct cgs_s390_secret_out o;
	struct s390_asrcb a;
	uint8_t *req = NULL, *plain = NULL;
	size_t n = 0, pn = 0;
	struct cgs_diag d;

	snprintf(pk, sizeof(pk), "%s/prot.key", dir);
	snprintf(sec, sizeof(sec), "%s/assoc.sec", dir);
	put_file(pk, prot, 32);
	put_file(sec, secret, 32);
	memset(&in, 0, sizeof(in));
	in.hostkeys.documents = hkds;
	in.hostkeys.n_documents = 1;
	in.hostkeys.no_verify = 1;
	in.header = path[P_OUT];
	in.output = path[P_MISSING];
	in.kind = CGS_S390_SECRET_ASSOCIATION;
	in.name = "disk";
	in.input_secret = sec;
	in.x_prot_key = pk;
	is_int(cgs_s390_secret_build(&in, &o, &d), CGS_OK, "an association request builds");
	ok(!strcmp(o.type_name, "association") && o.has_id && o.n_hostkeys == 1,
	   "association secret named, for one host key");
	req = tap_slurp(path[P_MISSING], &n);
	ok(req && n == o.size &&
	       s390_attest_secret_open(req, n, prot, &a, &plain, &pn, &d) == CGS_OK && pn >= 32 &&
	       !memcmp(plain, secret, 32),
	   "the request opens with its protection key and carries the secret");
	free(req);
	free(plain);
	unlink(path[P_MISSING]);
	in.header = path[P_S3A];
	ok(cgs_s390_secret_build(&in, &o, &d) == CGS_E_MALFORMED && o.input == in.header &&
	       access(path[P_MISSING], F_OK) != 0,
	   "no SE header in the file: refused, nothing written");
	unlink(pk);
	unlink(sec);
}

/* An attestation request opens with the protection key written beside it. */
static void check_request(const char *const *hkds)
{
	struct cgs_s390_request_in in;
	struct cgs_s390_request_out o;
	struct s390_exchange x;
	struct s390_arcb a;
	struct s390_arcb_plain pl;
	char arpk[560];
	uint8_t *req = NULL, *key = NULL;
	size_t n = 0, kn = 0;
	struct cgs_diag d;

	snprintf(arpk, sizeof(arpk), "%s/arpk", dir);
	memset(&in, 0, sizeof(in));
	in.hostkeys.documents = hkds;
	in.hostkeys.n_documents = 1;
	in.hostkeys.no_verify = 1;
	in.output = path[P_MISSING];
	in.arpk = arpk;
	in.paf = CGS_S390_PAF_NONCE | CGS_S390_PAF_PHKH_IMG;
	in.have_nonce = 1;
	memset(in.nonce, 0x5a, 16);
	is_int(cgs_s390_request_build(&in, &o, &d), CGS_OK, "request: builds");
	req = tap_slurp(path[P_MISSING], &n);
	key = tap_slurp(arpk, &kn);
	ok(req && key && kn == 32 && s390_exchange_parse(req, n, &x, &d) == CGS_OK &&
	       s390_attest_open_arcb(x.e[S390_EXCH_ARCB].data, x.e[S390_EXCH_ARCB].size, key, &a,
				     &pl, &d) == CGS_OK &&
	       pl.has_nonce && pl.nonce[15] == 0x5a && a.paf == in.paf,
	   "request: the ARCB opens with the written ARPK, with the nonce and flags asked for");
	free(req);
	free(key);
	unlink(path[P_MISSING]);
	unlink(arpk);
	in.arpk = "/nonexistent-dir/arpk";
	ok(cgs_s390_request_build(&in, &o, &d) != CGS_OK && access(path[P_MISSING], F_OK) != 0,
	   "request: an ARPK that cannot be written leaves no request either");
}

/* cgs_s390_image_info finds what the builder reported. */
static void check_info(const struct cgs_s390_image_out *o)
{
	struct cgs_s390_image_info *r = malloc(sizeof(*r));
	char key[560];
	struct cgs_diag d;
	int same = 1;

	if (!r)
		return;
	is_int(cgs_s390_image_info(path[P_OUT], NULL, r, &d), CGS_OK, "info: the image reads");
	ok(r->layout && !strcmp(r->layout, "pvimg") && r->header_offset == o->header_addr &&
	       r->header_len == o->header_len && !memcmp(r->header, o->header, o->header_len),
	   "info: pvimg layout, the header where the builder put it");
	same = r->has_ipib && r->n_components == o->n_components && !r->decrypted;
	for (size_t i = 0; same && i < r->n_components; i++)
		same = !strcmp(r->components[i].name, o->components[i].name) &&
		       r->components[i].addr == o->components[i].addr &&
		       r->components[i].stored_size == o->components[i].stored_size;
	ok(same, "info: the IPLB lists the components as built");
	snprintf(key, sizeof(key), "%s/wrong.key", dir);
	put_file(key, (const uint8_t *)"0123456789abcdef0123456789abcdef", 32);
	ok(cgs_s390_image_info(path[P_OUT], key, r, &d) == CGS_E_VERIFY && !r->decrypted &&
	       r->input && !strcmp(r->input, key),
	   "info: a wrong header key does not open the header");
	unlink(key);
	free(r);
}

static void check_image(EVP_PKEY *host, const struct cgs_s390_image_out *o)
{
	size_t n = 0;
	uint8_t *img = tap_slurp(path[P_OUT], &n), pld[64], ald[64], tld[64], pk[32];
	uint8_t *plain = malloc(4096);
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	struct s390_pv_hdr_secret sec;
	struct s390_pv_comp pc;
	struct cgs_diag d;
	uint64_t nep = 0;

	if (!ok(img && h && plain && n == o->image_size, "image written, %zu bytes", n))
		goto out;
	ok(!memcmp(img + o->header_addr, o->header, o->header_len), "the header is in the file");
	ok(s390_pv_hdr_parse(o->header, o->header_len, h, &d) == CGS_OK, "the header parses");
	ok(recompute(img, n, o, pld, ald, tld, &nep), "components inside the image");
	is_int((long long)h->nep, (long long)nep, "NEP counts every component page");
	is_mem(h->pld, pld, 64, "PLD equals SHA-512 of the stored pages in image order");
	is_mem(h->ald, ald, 64, "ALD equals SHA-512 of the page addresses");
	is_mem(h->tld, tld, 64, "TLD equals SHA-512 of the page tweaks");
	ok(s390_pv_hdr_open_with_host(h, host, pk, &sec, &d) == CGS_OK,
	   "the host key opens the header");
	ok(!strcmp(o->components[0].name, "kernel") &&
	       s390_pv_comp_init(&pc, sec.xts_key, S390_PV_MODE_DECRYPT, o->components[0].tweak,
				 o->components[0].addr, NULL, &d) == CGS_OK &&
	       s390_pv_comp_pages(&pc, img + o->components[0].addr, plain, 1, &d) == CGS_OK,
	   "the sealed XTS key decrypts the first kernel page");
	s390_pv_comp_free(&pc);
	{
		uint8_t *k = pattern(4096, 1);

		ok(k && !memcmp(plain, k, 4096), "back to the kernel's first page");
		free(k);
	}
out:
	free(img);
	free(plain);
	free(h);
}

int main(void)
{
	const char *hkds[1];
	struct cgs_s390_image_in in;
	struct cgs_s390_image_out *o = malloc(sizeof(*o));
	struct cgs_diag d;
	EVP_PKEY *host;

	if (!o || !mkdtemp(dir)) {
		tap_skip_all("cannot make a temporary folder");
		return 0;
	}
	host = make_inputs();
	hkds[0] = path[P_HOST];
	memset(&in, 0, sizeof(in));
	in.kernel = path[P_KERNEL];
	in.ramdisk = path[P_RAMDISK];
	in.parmfile = path[P_PARM];
	in.output = path[P_OUT];
	in.loader_dir = dir;
	in.hostkeys.documents = hkds;
	in.hostkeys.n_documents = 1;
	in.hostkeys.no_verify = 1;
	in.pcf = S390_PV_PCF_DEFAULT;
	is_int(cgs_s390_image_build(&in, o, &d), CGS_OK, "an image builds");
	ok(o->n_components == 4 && !strcmp(o->components[1].name, "ramdisk") &&
	       !strcmp(o->components[3].name, "stage3b") && o->n_hostkeys == 1 &&
	       !o->hostkeys_verified,
	   "pvimg order: kernel, ramdisk, parmline, stage3b; one unverified host key");
	check_image(host, o);
	check_info(o);
	check_secret(hkds);
	check_request(hkds);

	unlink(path[P_OUT]);
	in.ramdisk = path[P_MISSING];
	ok(cgs_s390_image_build(&in, o, &d) == CGS_E_NOINPUT && o->input == in.ramdisk &&
	       access(path[P_OUT], F_OK) != 0,
	   "a missing ramdisk: no image, the ramdisk named");
	in.ramdisk = path[P_RAMDISK];
	in.kernel = path[P_S3A];
	ok(cgs_s390_image_build(&in, o, &d) == CGS_E_MALFORMED && o->step &&
	       !strcmp(o->step, "check kernel") && access(path[P_OUT], F_OK) != 0,
	   "not a raw kernel: refused before anything is written");
	in.kernel = path[P_KERNEL];
	in.save_hdr_key = "/nonexistent-dir/hdr.key";
	ok(cgs_s390_image_build(&in, o, &d) != CGS_OK && o->input == in.save_hdr_key &&
	       access(path[P_OUT], F_OK) != 0,
	   "a key that cannot be saved: no image either (all or none)");
	for (int i = 0; i < 7; i++)
		unlink(path[i]);
	rmdir(dir);
	EVP_PKEY_free(host);
	free(o);
	return tap_done();
}
