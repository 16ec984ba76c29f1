/* SPDX-License-Identifier: MIT */
/*
 * The pvattest exchange format (version 0x100): labelled binary blobs passed
 * between the machine that creates an attestation request, the guest that
 * performs it and the machine that verifies the response. Layout (big-endian):
 *
 *   0  8  magic "pvattest"
 *   8  4  version 0x100
 *  12  4  total size
 *  16  8  reserved (zero)
 *  24 40  five (size u32, offset u32) entries: ARCB, measurement, additional
 *         data, user data, config UID
 *  64 ..  the blobs, in that order
 *
 * An entry with size 0 is absent. size > 0 with offset 0 is an "expected size"
 * (requests: the measurement and additional-data sizes the guest must provide
 * room for). Otherwise offset >= 0x40 and the blob lies inside the file.
 * This parser also requires the blobs to follow each other in entry order
 * without gaps, up to the declared size, which is how pvattest writes them.
 */
#ifndef CGS_FORMATS_S390_EXCHANGE_H
#define CGS_FORMATS_S390_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define S390_EXCH_MAGIC "pvattest"
#define S390_EXCH_VERSION_1 0x100u
#define S390_EXCH_HDR_SIZE 0x40u

#define S390_EXCH_ARCB_MAX (1u << 20)
#define S390_EXCH_MEAS_MAX (32u << 10)
#define S390_EXCH_ADD_MAX (32u << 10)
#define S390_EXCH_USER_MAX 256u
#define S390_EXCH_CUID_SIZE 16u

enum s390_exch_item {
	S390_EXCH_ARCB,
	S390_EXCH_MEAS,
	S390_EXCH_ADD,
	S390_EXCH_USER,
	S390_EXCH_CUID,
	S390_EXCH_NITEMS,
};

struct s390_exch_entry {
	uint32_t size;   /* 0 = absent */
	uint32_t offset; /* 0 with size > 0 = expected size only */
	const uint8_t *data; /* the blob inside the parsed buffer, or NULL */
};

struct s390_exchange {
	uint32_t version;
	uint32_t size; /* total size */
	struct s390_exch_entry e[S390_EXCH_NITEMS];
};

/* Field name of an entry ("arcb", "measurement", "additional data", "user data", "config uid"). */
const char *s390_exch_item_name(enum s390_exch_item i);

/*
 * Parse and validate an exchange file of exactly len bytes: magic, version,
 * reserved zero, declared size = len, every entry within its size limit (CUID
 * exactly 16 bytes), blobs in order without gaps or overlap. Does not look
 * inside the ARCB.
 */
enum cgs_err s390_exchange_parse(const uint8_t *buf, size_t len, struct s390_exchange *ret,
				 struct cgs_diag *d);

/*
 * Serialise: for each item, data != NULL with size > 0 stores the blob; data ==
 * NULL with size > 0 writes an expected size; size 0 is absent. The version is
 * 0x100; offsets and the total size are computed. out must hold
 * s390_exchange_size(x) bytes.
 */
size_t s390_exchange_size(const struct s390_exchange *x);
enum cgs_err s390_exchange_serialize(const struct s390_exchange *x, uint8_t *out, size_t cap,
				     size_t *ret_len, struct cgs_diag *d);

#endif
