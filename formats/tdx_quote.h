/* SPDX-License-Identifier: MIT */
/*
 * Intel TDX DCAP quotes, versions 4 and 5 (specs/tdx-verify.md section 1):
 * the 48-byte header, the TD report body (TD10, 584 bytes; v5 also TD15, 648
 * bytes, behind a type/size descriptor), the signature data (quote signature,
 * attestation key, certification data type 6), the QE report with its
 * signature and authentication data, and the inner certification data
 * (type 5, the PEM PCK chain). All integers are little-endian. Bytes after
 * the signature data are counted (trailing) and otherwise ignored.
 */
#ifndef CGS_FORMATS_TDX_QUOTE_H
#define CGS_FORMATS_TDX_QUOTE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define TDX_QUOTE_HEADER_SIZE 48
#define TDX_TEE_TYPE_TDX 0x81u
#define TDX_ATT_KEY_ECDSA_P256 2
#define TDX_BODY_SGX 1
#define TDX_BODY_TD10 2
#define TDX_BODY_TD15 3
#define TDX_TD10_SIZE 584
#define TDX_TD15_SIZE 648
#define TDX_QE_REPORT_SIZE 384
#define TDX_CERT_PCK_CHAIN 5
#define TDX_CERT_QE_REPORT 6

/* TDATTRIBUTES bits (u64) */
#define TDX_ATTR_DEBUG (1ull << 0)
#define TDX_ATTR_SEPT_VE_DISABLE (1ull << 28)
#define TDX_ATTR_PKS (1ull << 30)
#define TDX_ATTR_KL (1ull << 31)
#define TDX_ATTR_PERFMON (1ull << 63)

extern const uint8_t tdx_intel_qe_vendor_id[16];

/* The TD report body; the TD15 fields are zero in a TD10 body. */
struct tdx_td_body {
	uint8_t tee_tcb_svn[16];
	uint8_t mrseam[48];
	uint8_t mrsignerseam[48];
	uint8_t seam_attributes[8];
	uint8_t td_attributes[8];
	uint8_t xfam[8];
	uint8_t mrtd[48];
	uint8_t mrconfigid[48];
	uint8_t mrowner[48];
	uint8_t mrownerconfig[48];
	uint8_t rtmr[4][48];
	uint8_t report_data[64];
	uint8_t tee_tcb_svn2[16]; /* TD15 */
	uint8_t mrservicetd[48];  /* TD15 */
};

/* A byte field of the TD report body, by name (for show, --json and expected values). */
struct tdx_body_field {
	const char *name; /* "mrtd", "rtmr0", ... as cgs-measure --mode tdx spells them */
	size_t off;	  /* offset in the body */
	size_t size;
	int td15; /* only in TD15 bodies */
};
extern const struct tdx_body_field tdx_body_fields[];
extern const size_t tdx_n_body_fields;
/* The field named name, or NULL. */
const struct tdx_body_field *tdx_body_field_find(const char *name);
/* Pointer to the bytes of field f inside a parsed body. */
const uint8_t *tdx_body_field_ptr(const struct tdx_td_body *b, const struct tdx_body_field *f);

/* The QE report: an SGX REPORT body. */
struct tdx_qe_report {
	uint8_t cpusvn[16];
	uint32_t miscselect;
	uint8_t attributes[16];
	uint8_t mrenclave[32];
	uint8_t mrsigner[32];
	uint16_t isvprodid;
	uint16_t isvsvn;
	uint8_t report_data[64];
};

/*
 * A parsed quote. The pointers point into the caller's buffer, which must
 * outlive the struct; offsets are from the start of the quote.
 */
struct tdx_quote {
	uint16_t version;
	uint16_t att_key_type;
	uint32_t tee_type;
	uint8_t qe_vendor_id[16];
	uint8_t user_data[20];
	uint16_t body_type; /* TDX_BODY_TD10 or TDX_BODY_TD15 (v4: always TD10) */
	uint32_t body_size;
	size_t body_off;
	struct tdx_td_body body;
	uint64_t td_attributes; /* the u64 values of the body's flag words */
	uint64_t xfam;
	const uint8_t *signed_data; /* header (+ v5 descriptor) + body */
	size_t signed_len;
	uint32_t sig_data_len;
	uint8_t quote_sig[64];	/* r || s, big-endian */
	uint8_t attest_key[64]; /* x || y */
	uint16_t cert_type;	/* 6 */
	uint32_t cert_size;
	const uint8_t *qe_report_raw; /* 384 bytes, the data the QE report signature covers */
	size_t qe_report_off;
	struct tdx_qe_report qe;
	uint8_t qe_report_sig[64];
	uint16_t qe_auth_len;
	const uint8_t *qe_auth;
	uint16_t pck_cert_type; /* 5 */
	uint32_t pck_chain_len;
	const uint8_t *pck_chain; /* PEM text, possibly NUL-terminated */
	size_t pck_chain_off;
	size_t trailing; /* bytes after the signature data (outside every signature) */
};

/*
 * Parse a quote. CGS_E_UNSUPPORTED for a version other than 4/5, another TEE
 * or attestation key type, another QE vendor or certification data type;
 * CGS_E_MALFORMED (field and offset in the diagnostic) for sizes that
 * overrun or disagree.
 */
enum cgs_err tdx_quote_parse(const uint8_t *buf, size_t len, struct tdx_quote *ret,
			     struct cgs_diag *d);

/* "TD10", "TD15" or "?" */
const char *tdx_body_type_name(uint16_t type);

#endif
