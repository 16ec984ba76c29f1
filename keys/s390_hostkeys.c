// SPDX-License-Identifier: MIT
#include "keys/s390_hostkeys.h"

#include <stdlib.h>

#include "keys/crl_dp.h"

static enum cgs_err load_one(const char *path, struct ibmz_hkd_ctx *ctx, EVP_PKEY **ret,
			     struct cgs_diag *d)
{
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	enum cgs_err e = ibmz_hkd_load(path, &x, &k, d);

	if (!e && ctx)
		e = ibmz_hkd_verify(ctx, x, d);
	X509_free(x);
	if (e) {
		EVP_PKEY_free(k);
		return e;
	}
	*ret = k;
	return CGS_OK;
}

enum cgs_err s390_hostkeys_load(const char *const *paths, size_t n,
				const struct ibmz_hkd_opts *verify, struct s390_hostkeys *ret,
				size_t *ret_failed, struct cgs_diag *d)
{
	struct ibmz_hkd_ctx *ctx = NULL;
	struct s390_hostkeys h = { NULL, 0 };
	enum cgs_err e = CGS_OK;

	*ret_failed = n;
	if (verify) {
		e = ibmz_hkd_ctx_new(verify, &ctx, d);
		if (e)
			return e;
	}
	h.keys = calloc(n ? n : 1, sizeof(*h.keys));
	if (!h.keys)
		e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	for (size_t i = 0; i < n && !e; i++) {
		e = load_one(paths[i], ctx, &h.keys[i], d);
		if (e)
			*ret_failed = i;
		else
			h.n++;
	}
	ibmz_hkd_ctx_free(ctx);
	if (e) {
		s390_hostkeys_free(&h);
		return e;
	}
	*ret = h;
	return CGS_OK;
}

void s390_hostkeys_free(struct s390_hostkeys *h)
{
	for (size_t i = 0; h->keys && i < h->n; i++)
		EVP_PKEY_free(h->keys[i]);
	free(h->keys);
	h->keys = NULL;
	h->n = 0;
}

void s390_hostkey_args_view(const struct s390_hostkey_args *a, struct cgs_s390_hostkeys *ret)
{
	ret->documents = a->hkds;
	ret->n_documents = a->n_hkds;
	ret->certs = a->certs;
	ret->n_certs = a->n_certs;
	ret->crls = a->crls;
	ret->n_crls = a->n_crls;
	ret->root_ca = a->root_ca;
	ret->no_verify = a->no_verify;
	ret->offline = a->offline;
	ret->cache = a->cache;
}

enum cgs_err s390_hostkeys_fetch_crls(const struct cgs_s390_hostkeys *hk, struct crl_dp_result *r,
				      struct cgs_diag *d)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	struct crl_dp_opts o = { NULL, NULL, hk->offline, 0 };
	struct cgs_cache c = { NULL };
	struct cgs_diag ignored;
	enum cgs_err e;

	if (!certs)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	/* unreadable files are reported by the verification that follows */
	for (size_t i = 0; i < hk->n_certs; i++)
		ibmz_load_certs(hk->certs[i], certs, &ignored);
	for (size_t i = 0; i < hk->n_documents; i++)
		ibmz_load_certs(hk->documents[i], certs, &ignored);
	if (cgs_cache_open(&c, hk->cache, 0, &ignored) == CGS_OK)
		o.cache = &c;
	e = crl_dp_fetch(certs, &o, r, d);
	cgs_cache_close(&c);
	sk_X509_pop_free(certs, X509_free);
	return e;
}

enum cgs_err s390_hostkeys_load_public(const struct cgs_s390_hostkeys *hk, unsigned flags,
				       struct s390_hostkeys *ret, const char **ret_path,
				       const char **ret_step, struct cgs_diag *d)
{
	struct ibmz_hkd_opts o = { hk->certs, hk->n_certs, hk->crls, hk->n_crls, hk->root_ca,
				   flags, 0 };
	struct crl_dp_result fetched = { NULL, 0, 0, 0 };
	size_t failed = hk->n_documents;
	enum cgs_err e = CGS_OK;

	*ret_path = NULL;
	*ret_step = "set up host-key verification";
	if (!hk->no_verify && !hk->n_crls) {
		if ((e = s390_hostkeys_fetch_crls(hk, &fetched, d))) {
			*ret_step = "fetch the CRLs of the host-key documents";
			return e;
		}
		o.crls = (const char *const *)fetched.paths;
		o.n_crls = fetched.n;
	}
	e = s390_hostkeys_load(hk->documents, hk->n_documents, hk->no_verify ? NULL : &o, ret,
			       &failed, d);
	if (e && failed < hk->n_documents) {
		*ret_path = hk->documents[failed];
		*ret_step = "verify the host-key document";
	}
	crl_dp_result_free(&fetched);
	return e;
}

int s390_hostkey_option(struct s390_hostkey_args *a, int key, const char *arg)
{
	switch (key) {
	case 'k':
		return cgs_arg_push(a->hkds, &a->n_hkds, S390_HOSTKEYS_MAX, "--host-key-document", arg);
	case 'C':
		return cgs_arg_push(a->certs, &a->n_certs, S390_HOSTKEYS_MAX_FILES, "--cert", arg);
	case S390_HK_OPT_CRL:
		return cgs_arg_push(a->crls, &a->n_crls, S390_HOSTKEYS_MAX_FILES, "--crl", arg);
	case S390_HK_OPT_ROOT_CA:
		a->root_ca = arg;
		return 0;
	case S390_HK_OPT_NO_VERIFY:
		a->no_verify = 1;
		return 0;
	case S390_HK_OPT_OFFLINE:
		a->offline = 1;
		return 0;
	case S390_HK_OPT_CACHE:
		a->cache = arg;
		return 0;
	default:
		return -1;
	}
}
