/* SPDX-License-Identifier: MIT */
/*
 * The certificate table of an SEV-SNP extended report (GHCB spec,
 * SNP_GET_EXT_REPORT): 24-byte entries {GUID, u32 offset, u32 length}
 * ended by an all-zero entry, then the blobs. GUIDs are stored in RFC 4122
 * byte order (not EFI's mixed-endian form).
 */
#ifndef CGS_FORMATS_SNP_CERTTABLE_H
#define CGS_FORMATS_SNP_CERTTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SNP_CERTTABLE_ENTRY_SIZE 24
#define SNP_CERTTABLE_MAX 64

enum snp_cert_kind {
	SNP_CERT_UNKNOWN = 0,
	SNP_CERT_ARK,
	SNP_CERT_ASK, /* also carries the ASVK (no GUID of its own) */
	SNP_CERT_VCEK,
	SNP_CERT_VLEK,
	SNP_CERT_CRL,
	SNP_CERT_EXTRA_PLATFORM_INFO,
};

struct snp_cert_entry {
	uint8_t guid[16]; /* RFC 4122 byte order */
	enum snp_cert_kind kind;
	uint32_t offset;
	uint32_t length;
};

struct snp_certtable {
	size_t n;
	struct snp_cert_entry e[SNP_CERTTABLE_MAX];
};

/*
 * Parse a table: terminator inside the buffer, every blob after the table
 * (terminator included) and inside the buffer, no duplicate GUIDs. Unknown
 * GUIDs are kept with kind SNP_CERT_UNKNOWN. An empty buffer is an empty table.
 */
enum cgs_err snp_certtable_parse(const uint8_t *buf, size_t len, struct snp_certtable *ret,
				 struct cgs_diag *d);

/*
 * Build a table from n (guid, blob) pairs into out (capacity cap); *ret_len gets
 * the size. CGS_E_USAGE if it does not fit.
 */
enum cgs_err snp_certtable_build(const uint8_t (*guids)[16], const uint8_t *const *blobs,
				 const size_t *lens, size_t n, uint8_t *out, size_t cap,
				 size_t *ret_len);

/* The RFC-order GUID of a kind (NULL for SNP_CERT_UNKNOWN). */
const uint8_t *snp_cert_kind_guid(enum snp_cert_kind kind);
/* "ark", "ask", "vcek", "vlek", "crl", "extra_platform_info", "unknown" */
const char *snp_cert_kind_name(enum snp_cert_kind kind);

#endif
