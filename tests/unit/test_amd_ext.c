// SPDX-License-Identifier: MIT
/*
 * keys/amd_chain: the AMD VEK extensions read with OpenSSL's ASN.1 API, and
 * keys/cert_load: the one certificate/CRL loader. Certificates are made here
 * in memory with hand-chosen extension bytes (good, non-minimal, wrong type,
 * trailing bytes, duplicated).
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "keys/amd_chain.h"
#include "keys/cert_load.h"
#include "tests/unit/tap.h"

static void add_ext(X509 *x, const char *oid, const uint8_t *der, size_t n)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	ASN1_OCTET_STRING_set(v, der, (int)n);
	e = X509_EXTENSION_create_by_OBJ(NULL, o, 0, v);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(v);
	ASN1_OBJECT_free(o);
}

/* a VEK-like certificate with one extension under 1.3.6.1.4.1.3704.1.<sub> */
static enum cgs_err info_of(const char *sub, const uint8_t *der, size_t n, int twice,
			    struct amd_vek_info *v, char *field)
{
	char oid[64];
	struct cgs_diag d = { 0 };
	X509 *x = X509_new();
	enum cgs_err e;

	snprintf(oid, sizeof(oid), "1.3.6.1.4.1.3704.1.%s", sub);
	add_ext(x, oid, der, n);
	if (twice)
		add_ext(x, oid, der, n);
	e = amd_vek_info_get(x, v, &d);
	if (field)
		snprintf(field, 64, "%s", d.field);
	X509_free(x);
	return e;
}

static void test_ext(void)
{
	static const uint8_t int1[] = { 0x02, 0x01, 0x01 }, int200[] = { 0x02, 0x02, 0x00, 0xc8 },
			     padded[] = { 0x02, 0x02, 0x00, 0x01 }, int300[] = { 0x02, 0x02, 0x01, 0x2c },
			     neg[] = { 0x02, 0x01, 0xff }, trail[] = { 0x02, 0x01, 0x01, 0x00 },
			     ia5[] = { 0x16, 0x08, 'M', 'i', 'l', 'a', 'n', '-', 'B', '0' },
			     utf8[] = { 0x0c, 0x05, 'M', 'i', 'l', 'a', 'n' },
			     ctl[] = { 0x16, 0x02, 'M', 0x01 };
	uint8_t hw[66] = { 0x04, 64 };
	struct amd_vek_info v;
	char field[64];

	for (int i = 0; i < 64; i++)
		hw[2 + i] = (uint8_t)(0xa0 + i);
	ok(!info_of("1", int1, sizeof(int1), 0, &v, NULL) && v.struct_version == 1,
	   "structVersion INTEGER 1");
	ok(!info_of("3.3", int200, sizeof(int200), 0, &v, NULL) && v.spl[3] == 200,
	   "SPL snp INTEGER 200 (02 02 00 c8)");
	is_int(info_of("3.3", padded, sizeof(padded), 0, &v, field), CGS_E_MALFORMED,
	       "a non-minimal INTEGER is refused");
	is_str(field, "spl", "named 'spl'");
	is_int(info_of("3.1", int300, sizeof(int300), 0, &v, NULL), CGS_E_MALFORMED,
	       "an SPL of 300 is refused");
	is_int(info_of("3.1", neg, sizeof(neg), 0, &v, NULL), CGS_E_MALFORMED,
	       "a negative SPL is refused");
	is_int(info_of("1", trail, sizeof(trail), 0, &v, field), CGS_E_MALFORMED,
	       "a trailing byte after the INTEGER is refused");
	is_str(field, "structVersion", "named 'structVersion'");
	ok(!info_of("2", ia5, sizeof(ia5), 0, &v, NULL) && v.has_product_name &&
	       !strcmp(v.product_name, "Milan-B0"),
	   "productName IA5String");
	is_int(info_of("2", utf8, sizeof(utf8), 0, &v, NULL), CGS_E_MALFORMED,
	       "productName as UTF8String is refused");
	is_int(info_of("5", ctl, sizeof(ctl), 0, &v, NULL), CGS_E_MALFORMED,
	       "a control character in cspID is refused");
	ok(!info_of("4", hw + 2, 64, 0, &v, NULL) && v.hwid_len == 64 && v.hwid[63] == 0xdf,
	   "hwID as 64 raw bytes");
	ok(!info_of("4", hw, sizeof(hw), 0, &v, NULL) && v.hwid_len == 64 && v.hwid[0] == 0xa0,
	   "hwID in an OCTET STRING");
	is_int(info_of("4", hw + 2, 63, 0, &v, NULL), CGS_E_MALFORMED, "a 63-byte hwID");
	is_int(info_of("2", ia5, sizeof(ia5), 1, &v, field), CGS_E_MALFORMED,
	       "a duplicated extension is refused");
	ok(!info_of("6", ctl, sizeof(ctl), 0, &v, NULL) && v.struct_version == -1,
	   "an unknown AMD sub-arc is ignored");
}

static void test_loader(void)
{
	X509 *x = X509_new();
	unsigned char *der = NULL;
	int n;
	STACK_OF(X509) *xs = sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	struct cgs_diag d = { 0 };
	uint8_t pki[4096];
	size_t plen;

	X509_set_version(x, 2);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"SEV-VCEK", -1, -1, 0);
	{
		EVP_PKEY *k = EVP_EC_gen("P-256");

		X509_gmtime_adj(X509_getm_notBefore(x), 0);
		X509_gmtime_adj(X509_getm_notAfter(x), 3600);
		X509_set_pubkey(x, k);
		X509_sign(x, k, EVP_sha256());
		EVP_PKEY_free(k);
	}
	n = i2d_X509(x, &der);
	if (!ok(n > 0 && 2 * n + 4 <= (int)sizeof(pki), "make a DER certificate"))
		return;
	/* a PkiPath of the same certificate twice: 30 82 LL LL cert cert */
	plen = 4 + 2 * (size_t)n;
	pki[0] = 0x30, pki[1] = 0x82, pki[2] = (uint8_t)((2 * n) >> 8), pki[3] = (uint8_t)(2 * n);
	memcpy(pki + 4, der, (size_t)n);
	memcpy(pki + 4 + n, der, (size_t)n);
	is_int(cgs_certs_load_mem(der, (size_t)n, xs, crls, &d), CGS_OK, "one DER certificate");
	is_int(cgs_certs_load_mem(pki, plen, xs, crls, &d), CGS_OK, "a PkiPath of two");
	is_int(sk_X509_num(xs), 3, "three certificates in all");
	is_int(cgs_certs_load_mem(pki, plen - 1, xs, crls, &d), CGS_E_MALFORMED,
	       "a truncated PkiPath");
	is_int(sk_X509_num(xs), 3, "and nothing was appended");
	is_int(cgs_certs_load_mem(der, (size_t)n, NULL, crls, &d), CGS_E_MALFORMED,
	       "a certificate where only CRLs are accepted");
	is_int(cgs_certs_load_mem(der, 0, xs, crls, &d), CGS_E_MALFORMED, "an empty file");
	sk_X509_pop_free(xs, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	OPENSSL_free(der);
	X509_free(x);
}

int main(void)
{
	test_ext();
	test_loader();
	return tap_done();
}
