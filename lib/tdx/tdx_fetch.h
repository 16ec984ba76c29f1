/* SPDX-License-Identifier: MIT */
/*
 * TDX collateral from Intel's PCS through the cache: TCB Info for the quote's
 * FMSPC and the TD QE Identity (each with the issuer chain PCS sends in a
 * header), the CRL of the quote's PCK CA and the root CA CRL. Nothing enters
 * the cache unchecked: every candidate set is run through the verifier itself
 * (cgs_tdx_verify_quote) and an item is kept only when its checks pass (a CRL
 * that lists the quote's PCK is still Intel's CRL and is kept). Valid cached
 * items are reused without a request; stale or invalid ones are fetched again.
 *
 * Cache layout (relative to the cache directory):
 *   intel/tdx/v4/tcb/FMSPC.json          TCB Info response body
 *   intel/tdx/v4/tcb/FMSPC.chain.pem     its TCB-Info-Issuer-Chain
 *   intel/tdx/v4/qe_identity.json        QE Identity response body
 *   intel/tdx/v4/qe_identity.chain.pem   its SGX-Enclave-Identity-Issuer-Chain
 *   intel/sgx/v4/pckcrl/CA.der           CA = platform or processor
 *   intel/sgx/root_ca_crl.der
 */
#ifndef CGS_LIB_TDX_TDX_FETCH_H
#define CGS_LIB_TDX_TDX_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/tdx_verify.h>

#include "lib/core/cache.h"
#include "lib/core/net.h"

#define TDX_PCS_URL "https://api.trustedservices.intel.com"
#define TDX_ROOT_CRL_URL "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der"

enum tdx_item {
	TDX_ITEM_TCB_INFO = 0,
	TDX_ITEM_QE_IDENTITY,
	TDX_ITEM_PCK_CRL,
	TDX_ITEM_ROOT_CRL,
	TDX_ITEM_N
};

enum tdx_item_state {
	TDX_STATE_MISSING = 0, /* not cached, and --offline */
	TDX_STATE_REUSED,      /* valid in the cache */
	TDX_STATE_FETCHED,     /* downloaded, validated, stored */
	TDX_STATE_REFUSED,     /* downloaded but failed validation: not stored */
	TDX_STATE_FAILED,      /* the download failed */
};

const char *tdx_item_state_name(enum tdx_item_state s);

struct tdx_fetch_item {
	const char *name; /* "tcb_info", "qe_identity", "pck_crl", "root_crl" */
	enum tdx_item_state state;
	char rel[160];
	char url[400];
	char reason[400];
	uint8_t *data, *chain; /* the body and the issuer chain (TCB Info, QE Identity) */
	size_t len, chain_len;
};

struct tdx_fetch {
	struct tdx_fetch_item item[TDX_ITEM_N];
	char fmspc[13];
	char ca[16]; /* "platform" or "processor" */
};

struct tdx_fetch_opts {
	const char *pcs_url;	  /* NULL: TDX_PCS_URL */
	const char *root_crl_url; /* NULL: TDX_ROOT_CRL_URL */
	const uint8_t *trusted_root;
	size_t trusted_root_len;
	int offline;
	int64_t at;
	struct cgs_net_opts net;
};

/*
 * Make the collateral of a quote available in the cache. Returns CGS_OK when
 * every item ended reused or fetched; CGS_E_NETWORK / CGS_E_VERIFY when some
 * did not (each item says why); CGS_E_MALFORMED when the quote does not parse.
 */
enum cgs_err tdx_fetch_run(const uint8_t *quote, size_t len, const struct tdx_fetch_opts *o,
			   const struct cgs_cache *cache, struct tdx_fetch *ret,
			   struct cgs_diag *d);
void tdx_fetch_free(struct tdx_fetch *f);

#endif
