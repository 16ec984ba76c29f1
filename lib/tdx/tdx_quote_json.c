// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_quote_json.h"

#include <string.h>

#include <openssl/x509.h>

#include "keys/intel_sgx.h"
#include "lib/core/json.h"

static struct json_object *attrs_json(uint64_t a)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_bool(o, "debug", !!(a & TDX_ATTR_DEBUG));
	cgs_json_add_bool(o, "sept_ve_disable", !!(a & TDX_ATTR_SEPT_VE_DISABLE));
	cgs_json_add_bool(o, "pks", !!(a & TDX_ATTR_PKS));
	cgs_json_add_bool(o, "kl", !!(a & TDX_ATTR_KL));
	cgs_json_add_bool(o, "perfmon", !!(a & TDX_ATTR_PERFMON));
	return o;
}

static struct json_object *body_json(const struct tdx_quote *q)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	for (size_t i = 0; i < tdx_n_body_fields; i++) {
		const struct tdx_body_field *f = &tdx_body_fields[i];

		if (f->td15 && q->body_type != TDX_BODY_TD15)
			continue;
		if (!strcmp(f->name, "td_attributes")) {
			cgs_json_add_u64hex(o, "td_attributes", q->td_attributes);
			cgs_json_add(o, "td_attributes_decoded", attrs_json(q->td_attributes));
		} else if (!strcmp(f->name, "xfam")) {
			cgs_json_add_u64hex(o, "xfam", q->xfam);
		} else {
			cgs_json_add_hex(o, f->name, tdx_body_field_ptr(&q->body, f), f->size);
		}
	}
	return o;
}

static struct json_object *qe_json(const struct tdx_quote *q)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_hex(o, "cpusvn", q->qe.cpusvn, 16);
	cgs_json_add_u64hex(o, "miscselect", q->qe.miscselect);
	cgs_json_add_hex(o, "attributes", q->qe.attributes, 16);
	cgs_json_add_hex(o, "mrenclave", q->qe.mrenclave, 32);
	cgs_json_add_hex(o, "mrsigner", q->qe.mrsigner, 32);
	cgs_json_add_int(o, "isvprodid", q->qe.isvprodid);
	cgs_json_add_int(o, "isvsvn", q->qe.isvsvn);
	cgs_json_add_hex(o, "report_data", q->qe.report_data, 64);
	cgs_json_add_int(o, "auth_data_len", q->qe_auth_len);
	return o;
}

static struct json_object *pck_json(const struct tdx_quote *q)
{
	struct json_object *o = json_object_new_object(), *subj = json_object_new_array(), *tcb;
	struct intel_pck_ext e;
	STACK_OF(X509) *sk = NULL;
	char cn[128];

	if (!o || !subj || intel_pem_certs(q->pck_chain, q->pck_chain_len, &sk, NULL)) {
		json_object_put(subj);
		if (o)
			cgs_json_add_str(o, "error", "the PCK chain does not decode");
		return o;
	}
	for (int i = 0; i < sk_X509_num(sk); i++) {
		intel_cert_cn(sk_X509_value(sk, i), cn, sizeof(cn));
		json_object_array_add(subj, json_object_new_string(cn));
	}
	cgs_json_add(o, "chain", subj);
	if (!intel_pck_ext_get(sk_X509_value(sk, 0), &e, NULL)) {
		cgs_json_add_hex(o, "fmspc", e.fmspc, 6);
		cgs_json_add_hex(o, "pce_id", e.pce_id, 2);
		cgs_json_add_int(o, "sgx_type", e.sgx_type);
		cgs_json_add_int(o, "pcesvn", e.pcesvn);
		cgs_json_add_hex(o, "cpusvn", e.cpusvn, 16);
		if ((tcb = json_object_new_array())) {
			for (int i = 0; i < 16; i++)
				json_object_array_add(tcb, json_object_new_int(e.sgx_comp[i]));
			cgs_json_add(o, "sgx_tcb_components", tcb);
		}
	}
	sk_X509_pop_free(sk, X509_free);
	return o;
}

struct json_object *tdx_quote_json(const struct tdx_quote *q)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_int(o, "version", q->version);
	cgs_json_add_str(o, "body_type", tdx_body_type_name(q->body_type));
	cgs_json_add_u64hex(o, "tee_type", q->tee_type);
	cgs_json_add_int(o, "att_key_type", q->att_key_type);
	cgs_json_add_hex(o, "qe_vendor_id", q->qe_vendor_id, 16);
	cgs_json_add_hex(o, "user_data", q->user_data, 20);
	cgs_json_add(o, "body", body_json(q));
	cgs_json_add_hex(o, "attestation_key", q->attest_key, 64);
	cgs_json_add(o, "qe_report", qe_json(q));
	cgs_json_add(o, "pck", pck_json(q));
	cgs_json_add_int(o, "signature_data_len", q->sig_data_len);
	cgs_json_add_int(o, "trailing_bytes", (int64_t)q->trailing);
	return o;
}
