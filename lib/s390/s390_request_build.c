// SPDX-License-Identifier: MIT
/* cgs_s390_request_build: an attestation request as pvattest create makes it. */
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "keys/s390_hostkeys.h"
#include "lib/core/crypto.h"
#include "lib/core/io.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_keyfile.h"
#include "lib/s390/s390_pv_crypto.h"

_Static_assert(CGS_S390_PAF_NONCE == S390_PAF_NONCE && CGS_S390_PAF_PHKH_IMG == S390_PAF_PHKH_IMG &&
		   CGS_S390_PAF_PHKH_ATT == S390_PAF_PHKH_ATT &&
		   CGS_S390_PAF_SECRET_STORE_HASH == S390_PAF_SECRET_STORE_HASH &&
		   CGS_S390_PAF_FIRMWARE_STATE == S390_PAF_FIRMWARE_STATE,
	       "public and format flag values agree");

static enum cgs_err fail(struct cgs_s390_request_out *o, const char *step, const char *input,
			 enum cgs_err e)
{
	o->step = step;
	o->input = input;
	return e;
}

/* Fill every secret: from the injected values, else from the DRBG. */
static enum cgs_err secrets(const struct cgs_s390_request_in *in, struct s390_attest_secrets *s,
			    EVP_PKEY **cust, struct cgs_s390_request_out *o, struct cgs_diag *d)
{
	uint8_t *b = NULL;
	size_t n = 0;
	enum cgs_err e;

	if ((e = cgs_random(s, sizeof(*s), d)))
		return fail(o, "draw random values", NULL, e);
	if (in->x_arpk &&
	    (e = s390_keyfile_read(in->x_arpk, s->arpk, 32, "a request protection key", d)))
		return fail(o, "read", in->x_arpk, e);
	if (in->x_meas_key &&
	    (e = s390_keyfile_read(in->x_meas_key, s->meas_key, 64, "a measurement key", d)))
		return fail(o, "read", in->x_meas_key, e);
	if (in->have_iv)
		memcpy(s->iv, in->iv, sizeof(s->iv));
	if (in->have_nonce)
		memcpy(s->nonce, in->nonce, sizeof(s->nonce));
	if (!in->x_cust_key) {
		e = s390_pv_ec_generate(cust, d);
		return e ? fail(o, "generate the customer key", NULL, e) : CGS_OK;
	}
	e = cgs_read_file(in->x_cust_key, 1 << 16, &b, &n, d);
	if (!e)
		e = s390_pv_ec_priv_load(b, n, cust, d);
	if (b)
		cgs_free_secret(b, n);
	return e ? fail(o, "load the customer key", in->x_cust_key, e) : CGS_OK;
}

static enum cgs_err load_hosts(const struct cgs_s390_hostkeys *hk, struct s390_hostkeys *ret,
			       struct cgs_s390_request_out *o, struct cgs_diag *d)
{
	const char *path = NULL, *step = NULL;
	enum cgs_err e =
	    s390_hostkeys_load_public(hk, IBMZ_HKD_CRLS_FROM_ROOT, ret, &path, &step, d);

	return e ? fail(o, step, path, e) : CGS_OK;
}

enum cgs_err cgs_s390_request_build(const struct cgs_s390_request_in *in,
				    struct cgs_s390_request_out *o, struct cgs_diag *d)
{
	struct s390_hostkeys hk = {NULL, 0};
	struct s390_attest_secrets s;
	EVP_PKEY *cust = NULL;
	uint8_t *arcb = NULL, *req = NULL;
	size_t an = 0, rn = 0, failed = 0;
	unsigned fl = in->force ? CGS_OUT_FORCE : 0;
	enum cgs_err e;

	memset(o, 0, sizeof(*o));
	e = load_hosts(&in->hostkeys, &hk, o, d);
	if (!e)
		e = secrets(in, &s, &cust, o, d);
	if (!e && ((e = s390_attest_build_arcb(cust, hk.keys, hk.n, in->paf, &s, &arcb, &an, d)) ||
		   (e = s390_attest_request_file(arcb, an, &req, &rn, d))))
		fail(o, "build the attestation request", NULL, e);
	if (!e) {
		struct cgs_out_buf bufs[2] = {{in->arpk, s.arpk, 32, fl | CGS_OUT_SECRET},
					      {in->output, req, rn, fl}};

		if ((e = cgs_write_files(bufs, 2, &failed, d)))
			fail(o, "write", bufs[failed].path, e);
	}
	o->n_hostkeys = hk.n;
	cgs_wipe(&s, sizeof(s));
	free(arcb);
	free(req);
	EVP_PKEY_free(cust);
	s390_hostkeys_free(&hk);
	return e;
}
