/* SPDX-License-Identifier: MIT */
/*
 * Intel's signed TDX collateral documents, as the PCS serves them
 * (specs/tdx-verify.md section 3):
 *   TCB Info v3     {"tcbInfo": {...}, "signature": "<128 hex>"}
 *   QE Identity v2  {"enclaveIdentity": {...}, "signature": "<128 hex>"}
 * The signature covers the exact bytes of the inner object as they appear in
 * the document, so the reader returns that span and decodes the inner object
 * from the span itself (what is interpreted is what is signed). The readers
 * use json-c and nothing else: no I/O, no OpenSSL, fuzzable on a byte array.
 * Checking the signature, the window and the values is lib/tdx's job.
 */
#ifndef CGS_FORMATS_TDX_COLLATERAL_H
#define CGS_FORMATS_TDX_COLLATERAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/core/err.h"

/* TCB statuses as Intel spells them; the last three only result from evaluation. */
enum tdx_tcb_status {
	TDX_TCB_UP_TO_DATE = 0,
	TDX_TCB_SW_HARDENING_NEEDED,
	TDX_TCB_CONFIGURATION_NEEDED,
	TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
	TDX_TCB_OUT_OF_DATE,
	TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
	TDX_TCB_REVOKED,
	TDX_TCB_RELAUNCH_ADVISED,
	TDX_TCB_RELAUNCH_ADVISED_CONFIGURATION_NEEDED,
	TDX_TCB_NOT_SUPPORTED,
	TDX_TCB_N_STATUS,
};

/* "UpToDate", ..., "TDRelaunchAdvised", "TCBNotSupported" */
const char *tdx_tcb_status_name(enum tdx_tcb_status s);
/* Parse a status name (exact spelling); -1 if unknown. */
int tdx_tcb_status_parse(const char *s, enum tdx_tcb_status *ret);

#define TDX_MAX_ADVISORIES 64
#define TDX_MAX_LEVELS 128
#define TDX_MAX_MODULES 16

struct tdx_status_info {
	enum tdx_tcb_status status;
	char date[32]; /* tcbDate as written */
	size_t n_advisories;
	char advisories[TDX_MAX_ADVISORIES][24];
};

struct tdx_tcb_level {
	uint8_t sgx[16]; /* sgxtcbcomponents[i].svn */
	uint16_t pcesvn;
	uint8_t tdx[16]; /* tdxtcbcomponents[i].svn */
	struct tdx_status_info st;
};

struct tdx_module_level {
	uint8_t isvsvn;
	struct tdx_status_info st;
};

struct tdx_module_identity {
	char id[16]; /* "TDX_01"; "" for the plain tdxModule */
	uint8_t mrsigner[48];
	uint8_t attributes[8];
	uint8_t attributes_mask[8];
	size_t n_levels;
	struct tdx_module_level levels[TDX_MAX_LEVELS / 8];
};

/* The signed span and the signature of a collateral document. */
struct tdx_signed_doc {
	size_t body_off; /* offset of the inner object in the document */
	size_t body_len;
	uint8_t signature[64]; /* r || s */
};

struct tdx_tcb_info {
	struct tdx_signed_doc sig;
	char id[16];
	int version;
	char issue_date[32], next_update[32];
	time_t issue, next;
	uint8_t fmspc[6];
	uint8_t pce_id[2];
	int tcb_type;
	int64_t eval_num;
	struct tdx_module_identity module; /* tdxModule */
	size_t n_modules;
	struct tdx_module_identity modules[TDX_MAX_MODULES]; /* tdxModuleIdentities */
	size_t n_levels;
	struct tdx_tcb_level levels[TDX_MAX_LEVELS]; /* in document order */
};

struct tdx_qe_level {
	uint16_t isvsvn;
	struct tdx_status_info st;
};

struct tdx_qe_identity {
	struct tdx_signed_doc sig;
	char id[16];
	int version;
	char issue_date[32], next_update[32];
	time_t issue, next;
	int64_t eval_num;
	uint32_t miscselect, miscselect_mask;
	uint8_t attributes[16], attributes_mask[16];
	uint8_t mrsigner[32];
	uint16_t isvprodid;
	size_t n_levels;
	struct tdx_qe_level levels[TDX_MAX_LEVELS / 4];
};

/*
 * Locate the signed object and the signature of a document whose top-level
 * object has member `key` ("tcbInfo", "enclaveIdentity") and "signature".
 * CGS_E_MALFORMED if the document is not such JSON.
 */
enum cgs_err tdx_signed_doc_parse(const uint8_t *buf, size_t len, const char *key,
				  struct tdx_signed_doc *ret, struct cgs_diag *d);

/*
 * Read a TCB Info / QE Identity document (whole PCS response body). The
 * struct is large: allocate it. Unknown statuses, missing members, bad hex
 * and out-of-range numbers are CGS_E_MALFORMED with the member named; the id
 * and version are returned, not checked.
 */
enum cgs_err tdx_tcb_info_parse(const uint8_t *buf, size_t len, struct tdx_tcb_info *ret,
				struct cgs_diag *d);
enum cgs_err tdx_qe_identity_parse(const uint8_t *buf, size_t len, struct tdx_qe_identity *ret,
				   struct cgs_diag *d);

/* The module identity with id "TDX_%02X" of major, or NULL. */
const struct tdx_module_identity *tdx_tcb_info_module(const struct tdx_tcb_info *t, unsigned major);

#endif
