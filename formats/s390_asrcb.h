/* SPDX-License-Identifier: MIT */
/*
 * IBM Z Secure Execution add-secret request control block (ASRCB) version 1,
 * as pvsecret creates it. Layout (big-endian), after the generic request
 * header (formats/s390_uvreq.h; magic "asrcbM" + u16 user-data type):
 *
 *    48   8  add-secret flags (MSB0 bit 0: disable dumping afterwards)
 *    56 208  SE header tags: PLD || ALD || TLD || header GCM tag
 *   264  16  config UID (zero: any instance of the image)
 *   280 256  reserved
 *   536 512  user data (message and optional signature; zero if none)
 *  1048 160  customer public key coordinates
 *  1208 80n  key slots wrapping the request protection key
 *    ..  ..  secret header: u16 0, u16 type, u32 secret length, u64 0, and for
 *            listable secrets and the CCK update a 32-byte ID (zero for CCK)
 *    ..  ..  encrypted: secret || extension secret (32)
 *    ..  16  GCM tag
 */
#ifndef CGS_FORMATS_S390_ASRCB_H
#define CGS_FORMATS_S390_ASRCB_H

#include <stddef.h>
#include <stdint.h>

#include "formats/s390_uvreq.h"
#include "lib/core/err.h"

#define S390_ASRCB_MAGIC "asrcbM"
#define S390_ASRCB_TAGS_SIZE 208u
#define S390_ASRCB_CUID_SIZE 16u
#define S390_ASRCB_USER_DATA_OFF 0x218u
#define S390_ASRCB_USER_DATA_SIZE 512u
#define S390_ASRCB_FIXED 1208u /* bytes before the key slots */
#define S390_ASRCB_EXT_SECRET_SIZE 32u
#define S390_ASRCB_SECRET_ID_SIZE 32u
#define S390_ASRCB_PLAIN_MAX 8190u /* plaintext retrievable secret payload */

#define S390_ASRCB_FLAG_DISABLE_DUMP (1ull << 63) /* MSB0 bit 0 */

/* user-data types (the u16 after the magic) */
enum s390_asrcb_user_type {
	S390_ASRCB_UD_NONE = 0,
	S390_ASRCB_UD_UNSIGNED = 1,
	S390_ASRCB_UD_ECDSA_P521 = 2,
	S390_ASRCB_UD_RSA2048 = 3,
	S390_ASRCB_UD_RSA3072 = 4,
};

/* secret types */
enum s390_secret_type {
	S390_SECRET_NULL = 1, /* "meta": no secret, flags/extension secret only */
	S390_SECRET_ASSOCIATION = 2,
	S390_SECRET_PLAINTEXT = 3,
	S390_SECRET_AES128 = 4,
	S390_SECRET_AES192 = 5,
	S390_SECRET_AES256 = 6,
	S390_SECRET_AES128_XTS = 7,
	S390_SECRET_AES256_XTS = 8,
	S390_SECRET_HMAC_SHA256 = 9,
	S390_SECRET_HMAC_SHA512 = 10,
	S390_SECRET_EC_P256 = 0x11,
	S390_SECRET_EC_P384 = 0x12,
	S390_SECRET_EC_P521 = 0x13,
	S390_SECRET_EC_ED25519 = 0x14,
	S390_SECRET_EC_ED448 = 0x15,
	S390_SECRET_UPDATE_CCK = 0x16,
};

struct s390_asrcb {
	struct s390_uvreq_hdr hdr;
	uint16_t user_type;
	uint64_t flags;
	uint8_t tags[S390_ASRCB_TAGS_SIZE];
	uint8_t cuid[S390_ASRCB_CUID_SIZE];
	uint8_t user_data[S390_ASRCB_USER_DATA_SIZE];
	uint8_t cust_pub[S390_UVREQ_COORD_SIZE];
	const uint8_t *slots; /* hdr.nks * 80 bytes */
	uint16_t secret_type;
	uint32_t secret_len; /* length of the (encoded) secret in the encrypted area */
	uint8_t secret_id[S390_ASRCB_SECRET_ID_SIZE];
};

/* Name of a secret type ("association", "AES-256-KEY", ...) or NULL if unknown. */
const char *s390_secret_type_name(uint16_t type);

/* Secret-header size for a type: 16 (null) or 48; 0 if the type is unknown. */
size_t s390_asrcb_secret_hdr_size(uint16_t type);

/*
 * Is len a valid encoded secret length for the type? (association 32, AES
 * 16/24/32, plaintext 2 + payload padded to 16, ...)
 */
int s390_asrcb_secret_len_ok(uint16_t type, uint32_t len);

/* Length of the authenticated part and of the whole request. */
size_t s390_asrcb_aad_len(size_t nks, uint16_t secret_type);
size_t s390_asrcb_len(size_t nks, uint16_t secret_type, uint32_t secret_len);

/*
 * Parse and validate an ASRCB of exactly len bytes: magic, user-data type,
 * version 0x100, lengths, key slots, secret header (type, length, reserved).
 */
enum cgs_err s390_asrcb_parse(const uint8_t *buf, size_t len, struct s390_asrcb *ret,
			      struct cgs_diag *d);

/*
 * Write the authenticated part into out (cap >= s390_asrcb_aad_len()). The
 * version and IV come from a->hdr; lengths are computed from nks, the secret
 * type and length. *ret_len = bytes written.
 */
enum cgs_err s390_asrcb_serialize_aad(const struct s390_asrcb *a, uint8_t *out, size_t cap,
				      size_t *ret_len, struct cgs_diag *d);

#endif
