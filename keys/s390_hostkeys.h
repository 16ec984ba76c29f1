/* SPDX-License-Identifier: MIT */
/*
 * The host keys of an attestation or add-secret request: load the host-key
 * documents given with -k and, unless the user opted out (--no-verify),
 * verify each of them with keys/ibmz_hkd (signing-key chain and CRLs). When no
 * --crl is given, the CRLs are fetched from the CRL distribution points of the
 * documents and the -C certificates through the collateral cache (keys/crl_dp),
 * as genprotimg and pvattest do; --offline forbids the download.
 */
#ifndef CGS_KEYS_S390_HOSTKEYS_H
#define CGS_KEYS_S390_HOSTKEYS_H

#include <stddef.h>

#include <openssl/evp.h>

#include <cgs/s390.h>

#include "keys/crl_dp.h"
#include "keys/ibmz_hkd.h"
#include "lib/core/cli.h"
#include "lib/core/err.h"

struct s390_hostkeys {
	EVP_PKEY **keys; /* n public keys, in -k order */
	size_t n;
};

/*
 * Load n host-key documents; with verify != NULL verify each one. On failure
 * *ret_failed is the index of the document at fault (or n when the
 * verification context failed: certificates, CRLs, root).
 */
enum cgs_err s390_hostkeys_load(const char *const *paths, size_t n,
				const struct ibmz_hkd_opts *verify, struct s390_hostkeys *ret,
				size_t *ret_failed, struct cgs_diag *d);
void s390_hostkeys_free(struct s390_hostkeys *h);

/* The host-key options shared by the request-building verbs (-k, -C, --crl, --root-ca, ...). */
#define S390_HOSTKEYS_MAX 255
#define S390_HOSTKEYS_MAX_FILES 64
struct s390_hostkey_args {
	const char *hkds[S390_HOSTKEYS_MAX];
	size_t n_hkds;
	const char *certs[S390_HOSTKEYS_MAX_FILES];
	size_t n_certs;
	const char *crls[S390_HOSTKEYS_MAX_FILES];
	size_t n_crls;
	const char *root_ca;
	const char *cache; /* --cache DIR, NULL for the default */
	int no_verify;
	int offline;
};

/* Option keys of the shared host-key options, above every verb's own keys. */
enum {
	S390_HK_OPT_CRL = 0x8000,
	S390_HK_OPT_ROOT_CA,
	S390_HK_OPT_NO_VERIFY,
	S390_HK_OPT_OFFLINE,
	S390_HK_OPT_CACHE,
};

/*
 * The option-table entries every verb that encrypts for host keys shares:
 * -k, -C, --crl, --root-ca, --no-verify, --offline (genprotimg/pvattest names), --cache.
 * what completes "host-key document of a machine ...".
 */
#define S390_HOSTKEY_OPTIONS(what)                                                              \
	{ "host-key-document", 'k', CGS_REQ_ARG, "FILE",                                       \
	  "host-key document of a machine " what " (repeatable)", 0 },                          \
	{ "cert", 'C', CGS_REQ_ARG, "FILE",                                                     \
	  "IBM Z signing-key or intermediate CA certificate (repeatable)", 0 },                 \
	{ "crl", S390_HK_OPT_CRL, CGS_REQ_ARG, "FILE",                                          \
	  "certificate revocation list (repeatable)", 0 },                                      \
	{ "root-ca", S390_HK_OPT_ROOT_CA, CGS_REQ_ARG, "FILE",                                  \
	  "trusted root CA (default: the system trust store)", 0 },                             \
	{ "no-verify", S390_HK_OPT_NO_VERIFY, CGS_NO_ARG, NULL,                                 \
	  "do not verify the host-key documents (insecure; warns)", 0 },                        \
	{ "offline", S390_HK_OPT_OFFLINE, CGS_NO_ARG, NULL,                                     \
	  "never download CRLs: use --crl files or the cache only", 0 },                        \
	{ "cache", S390_HK_OPT_CACHE, CGS_REQ_ARG, "DIR",                                       \
	  "the cache of downloaded CRLs (default $XDG_CACHE_HOME/cgs)", 0 }

/*
 * Store one of the shared host-key options in args. Returns -1 when key is
 * not one of them, else 0 or the exit code of a usage error (already reported).
 */
int s390_hostkey_option(struct s390_hostkey_args *args, int key, const char *arg);

/* The public description of args (its pointers point into args). */
void s390_hostkey_args_view(const struct s390_hostkey_args *args, struct cgs_s390_hostkeys *ret);

/*
 * The CRLs named by the CRL distribution points of the documents and
 * certificates of hk: from the cache (hk->cache or the default), else
 * downloaded unless hk->offline (keys/crl_dp). Files that cannot be read
 * are skipped here (the verification reports them).
 */
enum cgs_err s390_hostkeys_fetch_crls(const struct cgs_s390_hostkeys *hk,
				      struct crl_dp_result *ret, struct cgs_diag *d);

/*
 * Load (and unless no_verify, verify) the documents of hk with the
 * verification flags (IBMZ_HKD_...); without CRL files the CRLs come from
 * s390_hostkeys_fetch_crls. On failure *ret_path names the file at fault
 * (NULL: the certificates/CRLs/root) and *ret_step what failed.
 */
enum cgs_err s390_hostkeys_load_public(const struct cgs_s390_hostkeys *hk, unsigned flags,
				       struct s390_hostkeys *ret, const char **ret_path,
				       const char **ret_step, struct cgs_diag *d);

#endif
