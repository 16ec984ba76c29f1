/* SPDX-License-Identifier: MIT */
/*
 * The IPL parameter block for protected virtualization (block type 5) that a
 * Secure Execution image hands to the Ultravisor: header address and size and
 * one (tweak prefix, address, stored length) entry per encrypted component.
 * Both the C genprotimg form (length word 4096, PV version 0) and the pvimg
 * form (length 136 + 24n, PV version 1) are handled. Big-endian.
 */
#ifndef CGS_FORMATS_S390_IPIB_H
#define CGS_FORMATS_S390_IPIB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define S390_IPIB_FIXED 136u
#define S390_IPIB_ENTRY 24u
#define S390_IPIB_MAX_COMPS 4u
#define S390_IPIB_TYPE_PV 5u

struct s390_ipib_comp {
	uint64_t tweak_prefix; /* first 8 bytes of the component's start tweak */
	uint64_t addr;
	uint64_t len; /* stored length, a multiple of 4096 */
};

struct s390_ipib {
	uint32_t total_len; /* length word at offset 0 */
	uint8_t pv_version; /* byte 111: 0 (C) or 1 (pvimg) */
	uint64_t hdr_addr;
	uint64_t hdr_size;
	uint32_t ncomps;
	struct s390_ipib_comp comps[S390_IPIB_MAX_COMPS];
};

/* Bytes the serialised block occupies: 136 + 24 * ncomps. */
size_t s390_ipib_len(uint32_t ncomps);

/*
 * Serialise (136 + 24n bytes; the caller pads if it wants a page). total_len
 * and pv_version are written as given.
 */
enum cgs_err s390_ipib_serialize(const struct s390_ipib *ib, uint8_t *out, size_t cap,
				 size_t *ret_len, struct cgs_diag *d);

/*
 * Parse and validate: block type 5, version 1, lengths consistent, 1..4
 * components, page-aligned addresses and lengths, strictly increasing tweak
 * prefixes (the checks QEMU applies).
 */
enum cgs_err s390_ipib_parse(const uint8_t *buf, size_t len, struct s390_ipib *ret,
			     struct cgs_diag *d);

#endif
