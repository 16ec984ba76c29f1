/* SPDX-License-Identifier: MIT */
/*
 * AMD SEV certificate formats (SEV API, Appendix B), all little-endian:
 *
 * Platform certificates (CEK, OCA, PEK, PDH), 0x824 bytes:
 *   0x000 u32 version (1)          0x004 u8 api major, u8 api minor, u16 reserved
 *   0x008 u32 public-key usage     0x00c u32 public-key algorithm
 *   0x010 public key (0x404): EC: u32 curve, Qx (72), Qy (72), reserved (0x370)
 *                             RSA: u32 modulus bits, exponent (512), modulus (512)
 *   0x414 signature 1: u32 usage, u32 algorithm, 0x200 bytes
 *   0x61c signature 2: the same; an empty slot has usage 0x1000, algorithm 0
 *   The signatures cover bytes 0x000..0x413. ECDSA r and s are 72-byte LE integers.
 *
 * CA certificates (ARK, ASK): a 0x40-byte header
 *   0x00 u32 version (1), 0x04 key id (16), 0x14 certifying id (16),
 *   0x24 u32 key usage (0 ARK, 0x13 ASK), 0x28 reserved (16),
 *   0x38 u32 public-exponent bits, 0x3c u32 modulus bits (2048 or 4096)
 * followed by the exponent, the modulus and the RSA-PSS signature (modulus-sized),
 * each little-endian. The signature covers everything before it.
 */
#ifndef CGS_FORMATS_SEV_CERT_H
#define CGS_FORMATS_SEV_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SEV_CERT_SIZE 0x824
#define SEV_CERT_SIGNED_LEN 0x414
#define SEV_CERT_PUBKEY_SIZE 0x404
#define SEV_CERT_SIG_SIZE 0x200
#define SEV_CERT_EC_COORD 72     /* bytes of Qx, Qy, r, s fields */
#define SEV_CERT_RSA_MAX 512     /* bytes of the RSA exponent/modulus fields */
#define SEV_CA_HEADER_SIZE 0x40

enum sev_usage {
	SEV_USAGE_ARK = 0x0,
	SEV_USAGE_ASK = 0x13,
	SEV_USAGE_NONE = 0x1000, /* empty signature slot */
	SEV_USAGE_OCA = 0x1001,
	SEV_USAGE_PEK = 0x1002,
	SEV_USAGE_PDH = 0x1003,
	SEV_USAGE_CEK = 0x1004,
};

enum sev_algo {
	SEV_ALGO_NONE = 0x0,
	SEV_ALGO_RSA_SHA256 = 0x1,
	SEV_ALGO_ECDSA_SHA256 = 0x2,
	SEV_ALGO_ECDH_SHA256 = 0x3,
	SEV_ALGO_RSA_SHA384 = 0x101,
	SEV_ALGO_ECDSA_SHA384 = 0x102,
	SEV_ALGO_ECDH_SHA384 = 0x103,
};

enum sev_curve {
	SEV_CURVE_P256 = 1,
	SEV_CURVE_P384 = 2,
};

struct sev_cert_sig {
	uint32_t usage;
	uint32_t algo;
	uint8_t sig[SEV_CERT_SIG_SIZE]; /* ECDSA: r (72 LE), s (72 LE), zeros; RSA: LE */
};

struct sev_cert {
	uint32_t version;
	uint8_t api_major;
	uint8_t api_minor;
	uint32_t usage;
	uint32_t algo;
	/* public key, by algorithm family */
	uint32_t curve;                    /* EC */
	uint8_t qx[SEV_CERT_EC_COORD];     /* EC, LE */
	uint8_t qy[SEV_CERT_EC_COORD];     /* EC, LE */
	uint32_t modulus_bits;             /* RSA */
	uint8_t pubexp[SEV_CERT_RSA_MAX];  /* RSA, LE */
	uint8_t modulus[SEV_CERT_RSA_MAX]; /* RSA, LE */
	struct sev_cert_sig sigs[2];
};

struct sev_ca_cert {
	uint32_t version;
	uint8_t key_id[16];
	uint8_t certifying_id[16];
	uint32_t usage;
	uint32_t pubexp_bits;
	uint32_t modulus_bits;
	const uint8_t *pubexp;    /* LE, pubexp_bits / 8 bytes, into the parsed buffer */
	const uint8_t *modulus;   /* LE, modulus_bits / 8 bytes */
	const uint8_t *signature; /* LE, modulus_bits / 8 bytes */
	size_t signed_len;        /* header + exponent + modulus */
	size_t size;              /* whole certificate */
};

/* Names for messages and JSON ("PEK", "ECDSA-SHA256", "P-384"); NULL if unknown. */
const char *sev_usage_name(uint32_t usage);
const char *sev_algo_name(uint32_t algo);
const char *sev_curve_name(uint32_t curve);
int sev_algo_is_rsa(uint32_t algo);
int sev_algo_is_ec(uint32_t algo);
/* Coordinate size in bytes of a curve (32, 48), or 0. */
size_t sev_curve_bytes(uint32_t curve);

/*
 * Parse and validate a platform certificate: exactly 0x824 bytes, version 1,
 * a known usage and algorithm, a supported curve or RSA size, reserved bytes
 * and unused high bytes zero, each signature slot empty (all zero) or of known
 * usage and algorithm. CGS_E_MALFORMED / CGS_E_UNSUPPORTED with field and offset.
 */
enum cgs_err sev_cert_parse(const uint8_t *data, size_t len, struct sev_cert *ret,
			    struct cgs_diag *d);
/* Write the 0x824 bytes of a certificate (out must hold SEV_CERT_SIZE). */
void sev_cert_serialize(const struct sev_cert *c, uint8_t *out);
/* Validate a certificate's fields (what sev_cert_parse checks after decoding). */
enum cgs_err sev_cert_validate(const struct sev_cert *c, struct cgs_diag *d);

/*
 * Parse and validate an ARK/ASK in the CA format: version 1, usage ARK or ASK,
 * reserved zero, modulus 2048 or 4096 bits, exponent 8..modulus bits in whole
 * bytes, and exactly header + exponent + modulus + signature bytes. The
 * pointers in ret point into data.
 */
enum cgs_err sev_ca_cert_parse(const uint8_t *data, size_t len, struct sev_ca_cert *ret,
			       struct cgs_diag *d);
/* Bytes of the serialised form (header + exponent + 2 * modulus). */
size_t sev_ca_cert_size(const struct sev_ca_cert *c);
/* Write a CA certificate (out must hold sev_ca_cert_size(c) bytes). */
void sev_ca_cert_serialize(const struct sev_ca_cert *c, uint8_t *out);

#endif
