// SPDX-License-Identifier: MIT
#include "formats/tdx_quote.h"

#include <string.h>

#include "lib/core/endian.h"

const uint8_t tdx_intel_qe_vendor_id[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
					    0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

const struct tdx_body_field tdx_body_fields[] = {
    {"tee_tcb_svn", 0, 16, 0},	    {"mrseam", 16, 48, 0},	  {"mrsignerseam", 64, 48, 0},
    {"seam_attributes", 112, 8, 0}, {"td_attributes", 120, 8, 0}, {"xfam", 128, 8, 0},
    {"mrtd", 136, 48, 0},	    {"mrconfigid", 184, 48, 0},	  {"mrowner", 232, 48, 0},
    {"mrownerconfig", 280, 48, 0},  {"rtmr0", 328, 48, 0},	  {"rtmr1", 376, 48, 0},
    {"rtmr2", 424, 48, 0},	    {"rtmr3", 472, 48, 0},	  {"report_data", 520, 64, 0},
    {"tee_tcb_svn2", 584, 16, 1},   {"mrservicetd", 600, 48, 1},
};
const size_t tdx_n_body_fields = sizeof(tdx_body_fields) / sizeof(tdx_body_fields[0]);

const struct tdx_body_field *tdx_body_field_find(const char *name)
{
	for (size_t i = 0; i < tdx_n_body_fields; i++)
		if (!strcmp(tdx_body_fields[i].name, name))
			return &tdx_body_fields[i];
	return NULL;
}

/*
 * struct tdx_td_body lays the fields out in wire order with no padding (all
 * members are byte arrays), so a field's offset in the body is its offset in
 * the struct.
 */
_Static_assert(sizeof(struct tdx_td_body) == TDX_TD15_SIZE, "tdx_td_body layout");

const uint8_t *tdx_body_field_ptr(const struct tdx_td_body *b, const struct tdx_body_field *f)
{
	return (const uint8_t *)b + f->off;
}

const char *tdx_body_type_name(uint16_t type)
{
	return type == TDX_BODY_TD10 ? "TD10" : type == TDX_BODY_TD15 ? "TD15" : "?";
}

static enum cgs_err truncated(struct cgs_diag *d, const char *field, size_t off)
{
	return cgs_diag_set(d, CGS_E_MALFORMED, field, off, "truncated");
}

static enum cgs_err parse_header(const uint8_t *b, size_t len, struct tdx_quote *q,
				 struct cgs_diag *d)
{
	if (len < TDX_QUOTE_HEADER_SIZE)
		return truncated(d, "header", 0);
	q->version = cgs_le16(b);
	q->att_key_type = cgs_le16(b + 2);
	q->tee_type = cgs_le32(b + 4);
	memcpy(q->qe_vendor_id, b + 12, 16);
	memcpy(q->user_data, b + 28, 20);
	if (q->version != 4 && q->version != 5)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 0,
				    "quote version %u (only 4 and 5 are TDX quotes)", q->version);
	if (q->att_key_type != TDX_ATT_KEY_ECDSA_P256)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "att_key_type", 2,
				    "attestation key type %u (only 2, ECDSA P-256)",
				    q->att_key_type);
	if (q->tee_type != TDX_TEE_TYPE_TDX)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "tee_type", 4,
				    "TEE type 0x%x (not TDX, 0x81)", q->tee_type);
	if (memcmp(q->qe_vendor_id, tdx_intel_qe_vendor_id, 16))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "qe_vendor_id", 12,
				    "QE vendor ID is not Intel's");
	return CGS_OK;
}

static enum cgs_err parse_body_desc(const uint8_t *b, size_t len, struct tdx_quote *q,
				    struct cgs_diag *d)
{
	if (q->version == 4) {
		q->body_type = TDX_BODY_TD10;
		q->body_size = TDX_TD10_SIZE;
		q->body_off = TDX_QUOTE_HEADER_SIZE;
		return CGS_OK;
	}
	if (len < TDX_QUOTE_HEADER_SIZE + 6)
		return truncated(d, "body_type", TDX_QUOTE_HEADER_SIZE);
	q->body_type = cgs_le16(b + 48);
	q->body_size = cgs_le32(b + 50);
	q->body_off = 54;
	if (q->body_type != TDX_BODY_TD10 && q->body_type != TDX_BODY_TD15)
		return cgs_diag_set(
		    d, q->body_type == TDX_BODY_SGX ? CGS_E_UNSUPPORTED : CGS_E_MALFORMED,
		    "body_type", 48, "body type %u (a TDX quote carries 2 TD10 or 3 TD15)",
		    q->body_type);
	if (q->body_size != (q->body_type == TDX_BODY_TD15 ? TDX_TD15_SIZE : TDX_TD10_SIZE))
		return cgs_diag_set(d, CGS_E_MALFORMED, "body_size", 50,
				    "body type %u with size %u (expected %u)", q->body_type,
				    q->body_size,
				    q->body_type == TDX_BODY_TD15 ? TDX_TD15_SIZE : TDX_TD10_SIZE);
	return CGS_OK;
}

static void parse_qe_report(const uint8_t *r, struct tdx_qe_report *qe)
{
	memcpy(qe->cpusvn, r, 16);
	qe->miscselect = cgs_le32(r + 16);
	memcpy(qe->attributes, r + 48, 16);
	memcpy(qe->mrenclave, r + 64, 32);
	memcpy(qe->mrsigner, r + 128, 32);
	qe->isvprodid = cgs_le16(r + 256);
	qe->isvsvn = cgs_le16(r + 258);
	memcpy(qe->report_data, r + 320, 64);
}

/* The type-6 payload: QE report, its signature, auth data, inner type 5. */
static enum cgs_err parse_qe_cert(const uint8_t *b, size_t off, size_t end, struct tdx_quote *q,
				  struct cgs_diag *d)
{
	size_t p = off;

	if (end - p < TDX_QE_REPORT_SIZE + 64 + 2)
		return truncated(d, "qe_report", p);
	q->qe_report_raw = b + p;
	q->qe_report_off = p;
	parse_qe_report(b + p, &q->qe);
	p += TDX_QE_REPORT_SIZE;
	memcpy(q->qe_report_sig, b + p, 64);
	p += 64;
	q->qe_auth_len = cgs_le16(b + p);
	p += 2;
	if (end - p < (size_t)q->qe_auth_len + 6)
		return truncated(d, "qe_auth_data", p - 2);
	q->qe_auth = b + p;
	p += q->qe_auth_len;
	q->pck_cert_type = cgs_le16(b + p);
	q->pck_chain_len = cgs_le32(b + p + 2);
	if (q->pck_cert_type != TDX_CERT_PCK_CHAIN)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "pck_cert_type", p,
				    "inner certification data type %u (only 5, the PCK chain)",
				    q->pck_cert_type);
	p += 6;
	if (q->pck_chain_len != end - p)
		return cgs_diag_set(d, CGS_E_MALFORMED, "pck_cert_size", p - 4,
				    "PCK chain size %u does not end the certification data (%zu "
				    "bytes left)",
				    q->pck_chain_len, end - p);
	q->pck_chain = b + p;
	q->pck_chain_off = p;
	return CGS_OK;
}

static enum cgs_err parse_sig_data(const uint8_t *b, size_t len, struct tdx_quote *q,
				   struct cgs_diag *d)
{
	size_t s = q->signed_len, end;

	if (len - s < 4)
		return truncated(d, "sig_data_len", s);
	q->sig_data_len = cgs_le32(b + s);
	s += 4;
	if (q->sig_data_len > len - s)
		return cgs_diag_set(d, CGS_E_MALFORMED, "sig_data_len", s - 4,
				    "signature data length %u overruns the quote (%zu bytes left)",
				    q->sig_data_len, len - s);
	end = s + q->sig_data_len;
	q->trailing = len - end;
	if (q->sig_data_len < 134)
		return truncated(d, "sig_data", s);
	memcpy(q->quote_sig, b + s, 64);
	memcpy(q->attest_key, b + s + 64, 64);
	q->cert_type = cgs_le16(b + s + 128);
	q->cert_size = cgs_le32(b + s + 130);
	if (q->cert_type != TDX_CERT_QE_REPORT)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "cert_type", s + 128,
				    "certification data type %u (only 6, QE report)", q->cert_type);
	if (q->cert_size != end - (s + 134))
		return cgs_diag_set(d, CGS_E_MALFORMED, "cert_size", s + 130,
				    "certification data size %u does not end the signature data "
				    "(%zu bytes left)",
				    q->cert_size, end - (s + 134));
	return parse_qe_cert(b, s + 134, end, q, d);
}

enum cgs_err tdx_quote_parse(const uint8_t *buf, size_t len, struct tdx_quote *ret,
			     struct cgs_diag *d)
{
	struct tdx_quote q;
	enum cgs_err e;

	memset(&q, 0, sizeof(q));
	e = parse_header(buf, len, &q, d);
	if (!e)
		e = parse_body_desc(buf, len, &q, d);
	if (e)
		return e;
	if (len - q.body_off < q.body_size)
		return truncated(d, "body", q.body_off);
	memcpy(&q.body, buf + q.body_off, q.body_size);
	q.td_attributes = cgs_le64(q.body.td_attributes);
	q.xfam = cgs_le64(q.body.xfam);
	q.signed_data = buf;
	q.signed_len = q.body_off + q.body_size;
	e = parse_sig_data(buf, len, &q, d);
	if (e)
		return e;
	*ret = q;
	return CGS_OK;
}
