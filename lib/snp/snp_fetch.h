/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP collateral from AMD KDS through the cache: the VCEK of a report's
 * chip at its REPORTED_TCB (Turin: the 8-byte hwID and fmcSPL), the ASK/ARK
 * (or ASVK/ARK) cert_chain and the ARK's CRL. Each download is validated
 * before it enters the cache: the chain's ARK is the pinned one (or the
 * caller's trusted ARK) and signs the ASK/ASVK; the VCEK parses, chains to
 * that ASK, and its hwID and SPLs are the report's; the CRL is issued and
 * signed by that ARK and current. Certificates are immutable once cached; a
 * CRL past its nextUpdate is stale and fetched again. A VLEK (or the VCEK of
 * a report with a masked CHIP_ID) cannot be fetched: it is marked unavailable
 * and the rest is fetched.
 *
 * Cache layout (relative to the cache directory; P is the KDS product line):
 *   amd/vcek/v1/P/cert_chain.pem        ASK then ARK, as KDS serves it
 *   amd/vcek/v1/P/crl.der               the ARK's CRL of ASKs
 *   amd/vcek/v1/P/HWID/TCB.der          a VCEK; HWID as in the KDS URL, TCB as
 *                                       "bl3-tee0-snp8-ucode115" ("fmc0-..." on Turin)
 *   amd/vlek/v1/P/cert_chain.pem        ASVK then ARK
 *   amd/vlek/v1/P/crl.der               the ARK's CRL of ASVKs
 */
#ifndef CGS_LIB_SNP_SNP_FETCH_H
#define CGS_LIB_SNP_SNP_FETCH_H

#include <time.h>

#include "formats/snp_report.h"
#include "keys/amd_chain.h"
#include "lib/core/cache.h"
#include "lib/core/net.h"

#define SNP_KDS_URL "https://kdsintf.amd.com"

enum snp_item { SNP_ITEM_CHAIN = 0, SNP_ITEM_VEK, SNP_ITEM_CRL, SNP_ITEM_N };

enum snp_item_state {
	SNP_STATE_MISSING = 0, /* not in the cache (offline) */
	SNP_STATE_REUSED,      /* valid in the cache */
	SNP_STATE_FETCHED,     /* downloaded, validated, stored */
	SNP_STATE_STALE,       /* in the cache but stale or invalid (offline) */
	SNP_STATE_REFUSED,     /* downloaded but failed validation: not stored */
	SNP_STATE_FAILED,      /* the download failed */
	SNP_STATE_UNAVAILABLE, /* cannot be fetched (VLEK, masked CHIP_ID) */
	SNP_STATE_BLOCKED,     /* cannot be validated: no valid chain */
};

/* "missing", "reused", "fetched", "stale", "refused", "failed", "unavailable", "blocked" */
const char *snp_item_state_name(enum snp_item_state s);

struct snp_fetch_entry {
	const char *name; /* "cert_chain", "vcek", "vlek", "crl" */
	enum snp_item_state state;
	char rel[320];	  /* cache entry ("" when unavailable) */
	char url[640];	  /* KDS URL ("" when unavailable) */
	char reason[400]; /* why, for every state but reused/fetched */
	enum cgs_err err; /* for refused/failed: the error (CGS_E_NETWORK, ...) */
};

struct snp_fetch {
	struct snp_fetch_entry item[SNP_ITEM_N];
	int vlek; /* the report is VLEK-signed */
};

struct snp_fetch_opts {
	const char *kds;		/* base URL, NULL for SNP_KDS_URL */
	const char *trusted_ark;	/* a file: the anchor instead of AMD's pinned ARK */
	const struct cgs_net_opts *net; /* NULL for the defaults */
	time_t now;			/* CRL freshness */
	int offline;			/* look at the cache only */
};

/*
 * Look up (and unless offline, fetch) the collateral of report r of product p.
 * Returns CGS_OK when every item is reused, fetched or unavailable; otherwise
 * the error of the first item that failed or was refused (CGS_E_NETWORK for
 * both; the item's reason says why), or CGS_E_MISSING-like states when offline
 * (then CGS_OK: the verifier reports what is missing). ret is always filled.
 */
enum cgs_err snp_fetch_collateral(const struct cgs_cache *c, const struct snp_report *r,
				  const struct snp_product *p, const struct snp_fetch_opts *o,
				  struct snp_fetch *ret, struct cgs_diag *d);

/*
 * Add the cached items of f (as snp_fetch_collateral left them: reused,
 * fetched or stale; the verifier checks them all again) to certs. What the
 * cgs layout lacks is also looked up in the layouts of other tools, so a
 * cache directory of theirs can be used as is:
 *   trustee's offline VCEK store: vcek/HWID/bl02_tee00_snp06_ucode21_vcek.der
 *     (Turin: ..._ucode71_fmc01_vcek.der), else vcek/HWID/vcek.der;
 *   snpguest's certificate directory: ark, ask (asvk), vcek (vlek) and crl,
 *     each .pem or .der.
 */
enum cgs_err snp_fetch_load(const struct cgs_cache *c, const struct snp_fetch *f,
			    const struct snp_report *r, const struct snp_product *p,
			    struct amd_certs *certs, struct cgs_diag *d);

/* The collateral a verifier takes from a cache (cgs-verify snp --cache, --fetch). */
struct snp_collateral_opts {
	const char *cache;		/* the cache directory (NULL: the default) */
	int fetch;			/* download what is missing or stale first */
	const char *kds;		/* KDS base URL (NULL: SNP_KDS_URL) */
	const char *trusted_ark;	/* validation anchor for downloads (NULL: pinned) */
	const struct cgs_net_opts *net; /* NULL: the defaults */
};

/*
 * Load the collateral of report r (product p, NULL if unknown: then only the
 * other tools' layouts are looked at) from the cache into certs; with fetch,
 * download and validate what is missing or stale first. Errors: those of
 * snp_fetch_collateral (a failed or refused download: CGS_E_NETWORK, the
 * item's name in d->field) and of loading a cached file; *ret_where is the
 * cache directory (o->cache, NULL for the default).
 */
enum cgs_err snp_collateral_load(const struct snp_collateral_opts *o, const struct snp_report *r,
				 const struct snp_product *p, struct amd_certs *certs,
				 const char **ret_where, struct cgs_diag *d);

#endif
