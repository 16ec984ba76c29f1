// SPDX-License-Identifier: MIT
/*
 * cgs_s390_verify: check a pvattest attestation response against the SE
 * header of the image and the request protection key, and record every check
 * in a verdict (include/cgs/s390.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "formats/s390_asrcb.h"
#include "lib/core/crypto.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_keyfile.h"
#include "lib/s390/s390_pv_image.h"

const struct cgs_check_def cgs_s390_verify_checks[] = {
    {"request_decryption", CGS_CHECK_AUTHENTICITY,
     "the request in the response opens with the request protection key"},
    {"additional_data_size", CGS_CHECK_AUTHENTICITY,
     "the additional data has the size the request asked for"},
    {"measurement", CGS_CHECK_AUTHENTICITY,
     "the HMAC-SHA512 measurement over the SE header tags and the response data"},
    {"image_phkh", CGS_CHECK_POLICY, "the image host-key hash is in a key slot of the SE header"},
    {"attestation_phkh", CGS_CHECK_POLICY,
     "the attestation host-key hash is in a key slot of the request"},
    {"secret_store_hash", CGS_CHECK_POLICY,
     "the secret-store hash is the one of the given add-secret requests"},
};
const size_t cgs_s390_verify_n_checks =
    sizeof(cgs_s390_verify_checks) / sizeof(cgs_s390_verify_checks[0]);

enum { C_DECRYPT, C_ADD_SIZE, C_MEAS, C_IMG, C_ATT, C_STORE };

struct vstate {
	uint8_t *resp;
	size_t resp_len;
	struct s390_exchange x;
	struct s390_pv_hdr hdr;
	uint8_t arpk[32];
	int has_store;
	uint8_t store[64];
	struct s390_attest_verdict av;
};

static enum cgs_err fail_at(struct cgs_s390_verify_out *out, const char *step, const char *input,
			    enum cgs_err e)
{
	out->step = step;
	out->input = input;
	return e;
}

/* The secret-store hash the given add-secret requests (and lock state) must give. */
static enum cgs_err expected_store(const struct cgs_s390_verify_in *in, struct vstate *s,
				   struct cgs_s390_verify_out *out, struct cgs_diag *d)
{
	uint8_t(*tags)[16] = calloc(in->n_secrets ? in->n_secrets : 1, 16);
	enum cgs_err e = CGS_OK;

	if (!tags)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	for (size_t i = 0; i < in->n_secrets && !e; i++) {
		uint8_t *b = NULL;
		size_t n = 0;
		struct s390_asrcb a;

		if ((e = cgs_read_file(in->secrets[i], S390_UVREQ_MAX_LEN, &b, &n, d)))
			fail_at(out, "read", in->secrets[i], e);
		else if ((e = s390_asrcb_parse(b, n, &a, d)))
			fail_at(out, "parse", in->secrets[i], e);
		else
			memcpy(tags[i], b + n - S390_UVREQ_TAG_SIZE, 16);
		free(b);
	}
	if (!e && (e = s390_attest_secret_store_hash((const uint8_t(*)[16])tags, in->n_secrets,
						     in->locked, s->store, d)))
		fail_at(out, "hash the secret store", NULL, e);
	s->has_store = !e;
	free(tags);
	return e;
}

static enum cgs_err read_inputs(const struct cgs_s390_verify_in *in, struct vstate *s,
				struct cgs_s390_verify_out *out, struct cgs_diag *d)
{
	enum cgs_err e;

	if ((e = cgs_read_file(in->response, 2u << 20, &s->resp, &s->resp_len, d)))
		return fail_at(out, "read", in->response, e);
	if ((e = s390_exchange_parse(s->resp, s->resp_len, &s->x, d)))
		return fail_at(out, "parse", in->response, e);
	if ((e = s390_pv_image_read_hdr(in->header, &s->hdr, &out->header_offset, d)))
		return fail_at(out, "read the SE header from", in->header, e);
	if ((e = s390_keyfile_read(in->arpk, s->arpk, 32, "a request protection key", d)))
		return fail_at(out, "read", in->arpk, e);
	if (in->check_store)
		return expected_store(in, s, out, d);
	return CGS_OK;
}

static const uint8_t *add_part(const struct s390_attest_verdict *v, uint64_t flag)
{
	const struct s390_arcb_add_part *p;
	size_t n, off = 0;

	p = s390_arcb_add_parts(&n);
	for (size_t i = 0; i < n; i++) {
		if (!(v->arcb.paf & p[i].flag))
			continue;
		if (p[i].flag == flag)
			return v->add + off;
		off += p[i].size;
	}
	return NULL;
}

static enum cgs_check_result res(enum s390_check c)
{
	return c == S390_CHECK_PASS   ? CGS_CHECK_PASS
	       : c == S390_CHECK_FAIL ? CGS_CHECK_FAIL
				      : CGS_CHECK_SKIP;
}

static void add(struct cgs_verdict *v, int i, enum s390_check r, const char *want, const char *got,
		const char *why)
{
	const struct cgs_check_def *c = &cgs_s390_verify_checks[i];

	if (r == S390_CHECK_SKIP)
		cgs_verdict_add(v, c->name, c->cls, CGS_CHECK_SKIP, NULL, NULL, NULL);
	else
		cgs_verdict_add(v, c->name, c->cls, res(r), want, got,
				r == S390_CHECK_FAIL ? "%s" : NULL, why);
}

/* The checks on the additional data: host keys the Ultravisor used, secret store. */
static void extra_checks(const struct vstate *s, enum s390_check pc[3])
{
	const struct s390_attest_verdict *v = &s->av;
	const uint8_t *img = add_part(v, S390_PAF_PHKH_IMG);
	const uint8_t *att = add_part(v, S390_PAF_PHKH_ATT);
	const uint8_t *got = add_part(v, S390_PAF_SECRET_STORE_HASH);

	pc[0] = pc[1] = pc[2] = S390_CHECK_SKIP;
	if (v->measurement != S390_CHECK_PASS)
		return;
	if (img)
		pc[0] = s390_attest_hdr_has_phkh(&s->hdr, img) ? S390_CHECK_PASS : S390_CHECK_FAIL;
	if (att)
		pc[1] = s390_uvreq_find_slot(v->arcb.slots, v->arcb.hdr.nks, att) >= 0
			    ? S390_CHECK_PASS
			    : S390_CHECK_FAIL;
	if (s->has_store)
		pc[2] = got && cgs_ct_equal(got, s->store, 64) ? S390_CHECK_PASS : S390_CHECK_FAIL;
}

static const char *const extra_why[3] = {
    "the image host-key hash is not in a key slot of the SE header",
    "the attestation host-key hash is not in a key slot of the request",
    "the secret-store hash differs from the given add-secret requests (or was not "
    "requested)",
};

/* Record the checks; the first failure as CGS_E_VERIFY in d. */
static enum cgs_err record(const struct vstate *s, enum cgs_err e, struct cgs_verdict *v,
			   struct cgs_diag *d)
{
	const struct s390_attest_verdict *av = &s->av;
	static const char *const fields[3] = {"image phkh", "attestation phkh",
					      "secret store hash"};
	char want[2 * 64 + 1], got[2 * 64 + 1], wn[24], gn[24], why[sizeof(d->text)];
	enum s390_check pc[3];

	cgs_hex_encode(av->computed, 64, want);
	cgs_hex_encode(av->measured, 64, got);
	snprintf(wn, sizeof(wn), "%zu", s390_arcb_additional_size(av->arcb.paf));
	snprintf(gn, sizeof(gn), "%zu", av->add_len);
	snprintf(why, sizeof(why), "%s", e ? d->text : "");
	add(v, C_DECRYPT, av->decrypt, NULL, NULL, why);
	add(v, C_ADD_SIZE, av->add_size, wn, gn, why);
	add(v, C_MEAS, av->measurement, want, got, why);
	extra_checks(s, pc);
	for (int i = 0; i < 3; i++) {
		add(v, C_IMG + i, pc[i], NULL, NULL, extra_why[i]);
		if (!e && pc[i] == S390_CHECK_FAIL)
			e = cgs_diag_set(
			    d, CGS_E_VERIFY, fields[i], CGS_DIAG_NO_OFFSET, "%s",
			    i < 2 ? extra_why[i]
			    : add_part(av, S390_PAF_SECRET_STORE_HASH)
				? "the secret-store hash differs from the given add-secret "
				  "requests"
				: "the response has no secret-store hash (create the request "
				  "with --add-data secret-store-hash)");
	}
	if (v->oom && !e)
		e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	return e;
}

static enum cgs_err copy_out(const struct vstate *s, struct cgs_s390_verify_out *out,
			     struct cgs_diag *d)
{
	const struct s390_attest_verdict *av = &s->av;

	memcpy(out->config_uid, av->cuid, 16);
	memcpy(out->measurement, av->measured, 64);
	out->attestation_flags = av->arcb.paf;
	out->header_size = s->hdr.size;
	memcpy(out->header_tag, s->hdr.tag, 16);
	if (av->user) {
		out->user_data = malloc(av->user_len ? av->user_len : 1);
		if (!out->user_data)
			return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
					    "out of memory");
		memcpy(out->user_data, av->user, av->user_len);
		out->user_data_len = av->user_len;
	}
	if (av->add_len && av->add_size == S390_CHECK_PASS) {
		out->additional = malloc(av->add_len);
		if (!out->additional)
			return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
					    "out of memory");
		memcpy(out->additional, av->add, av->add_len);
		out->additional_len = av->add_len;
	}
	return CGS_OK;
}

enum cgs_err cgs_s390_verify(const struct cgs_s390_verify_in *in, struct cgs_s390_verify_out *out,
			     struct cgs_verdict *v, struct cgs_diag *d)
{
	struct vstate *s = calloc(1, sizeof(*s));
	uint8_t tags[S390_PV_HDR_TAGS_SIZE];
	enum cgs_err e;

	memset(out, 0, sizeof(*out));
	if (!s)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	e = read_inputs(in, s, out, d);
	if (!e) {
		s390_pv_hdr_tags(&s->hdr, tags);
		e = s390_attest_verify(&s->x, tags, s->arpk, &s->av, d);
		if (e && e != CGS_E_VERIFY)
			fail_at(out, "verify", in->response, e);
	}
	if (!e || e == CGS_E_VERIFY) {
		e = record(s, e, v, d);
		if (e == CGS_OK || e == CGS_E_VERIFY) {
			enum cgs_err c = copy_out(s, out, d);

			e = c ? c : e;
		}
	}
	if (e == CGS_E_VERIFY) { /* a verdict: not an error of the call */
		out->failure = *d;
		cgs_diag_clear(d);
		e = CGS_OK;
	} else if (e) {
		cgs_verdict_free(v);
		cgs_s390_verify_out_free(out);
	}
	free(s->resp);
	cgs_wipe(s, sizeof(*s));
	free(s);
	return e;
}

void cgs_s390_verify_out_free(struct cgs_s390_verify_out *out)
{
	free(out->user_data);
	free(out->additional);
	out->user_data = out->additional = NULL;
	out->user_data_len = out->additional_len = 0;
}
