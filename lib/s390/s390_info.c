// SPDX-License-Identifier: MIT
/* cgs_s390_image_info: the SE header, the IPLB and the protected part of an image. */
#include <stdlib.h>
#include <string.h>

#include <cgs/s390.h>

#include "formats/s390_ipib.h"
#include "formats/s390_pv_hdr.h"
#include "lib/core/crypto.h"
#include "lib/core/io.h"
#include "lib/s390/s390_pv_crypto.h"
#include "lib/s390/s390_pv_image.h"

const char *cgs_s390_component_name(uint16_t kind)
{
	switch (kind) {
	case 0:
	case 40:
		return "kernel";
	case 1:
	case 60:
		return "parmline";
	case 2:
	case 50:
		return "ramdisk";
	case 3:
	case 70:
		return "stage3b";
	default:
		return "unknown";
	}
}

static void find_ipib(const uint8_t *buf, size_t len, struct cgs_s390_image_info *r)
{
	struct s390_pv_meta m;
	struct s390_ipib ib;
	uint64_t off;

	if (r->header_offset == 0)
		return;
	if (!s390_pv_meta_parse(buf, len, &m, NULL)) {
		r->layout = "pvimg";
		off = m.ipib_off;
	} else {
		r->layout = "genprotimg";
		off = r->header_offset - S390_PV_PAGE;
	}
	if (off >= len || s390_ipib_parse(buf + off, len - off, &ib, NULL))
		return;
	r->has_ipib = 1;
	r->ipib_offset = off;
	r->ipib_length = ib.total_len;
	r->pv_version = ib.pv_version;
	r->ipib_header_addr = ib.hdr_addr;
	r->ipib_header_size = ib.hdr_size;
	r->n_components = ib.ncomps < CGS_S390_N_ROLES ? ib.ncomps : CGS_S390_N_ROLES;
	for (size_t i = 0; i < r->n_components; i++) {
		struct cgs_s390_info_component *c = &r->components[i];

		c->name = cgs_s390_component_name((uint16_t)(ib.comps[i].tweak_prefix >> 48));
		c->tweak_prefix = ib.comps[i].tweak_prefix;
		c->addr = ib.comps[i].addr;
		c->stored_size = ib.comps[i].len;
	}
}

static enum cgs_err open_hdr(const char *hdr_key, const struct s390_pv_hdr *h,
			     struct cgs_s390_image_info *r, struct cgs_diag *d)
{
	struct s390_pv_hdr_secret s;
	uint8_t *key;
	size_t len;
	enum cgs_err e = cgs_read_file(hdr_key, 4096, &key, &len, d);

	r->input = hdr_key;
	r->step = "read key";
	if (e)
		return e;
	if (len != 32) {
		cgs_free_secret(key, len);
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "a header key has 32 bytes, not %zu", len);
	}
	r->step = "decrypt the header with";
	e = s390_pv_hdr_open(h, key, &s, d);
	cgs_free_secret(key, len);
	if (e)
		return e;
	r->decrypted = 1;
	r->psw_mask = s.psw_mask;
	r->psw_addr = s.psw_addr;
	r->scf = s.scf;
	r->noi = s.noi;
	memcpy(r->cck, s.cck, 32);
	memcpy(r->image_key, s.xts_key, 64);
	cgs_wipe(&s, sizeof(s));
	r->step = r->input = NULL;
	return CGS_OK;
}

enum cgs_err cgs_s390_image_info(const char *path, const char *hdr_key,
				 struct cgs_s390_image_info *r, struct cgs_diag *d)
{
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	uint8_t *buf = NULL;
	size_t len = 0;
	enum cgs_err e;

	memset(r, 0, sizeof(*r));
	if (!h)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	e = s390_pv_image_read_head(path, &buf, &len, &r->header_offset, d);
	if (!e)
		e = s390_pv_hdr_parse(buf + r->header_offset, len - r->header_offset, h, d);
	if (e) {
		r->step = e == CGS_E_NOINPUT ? "read" : "parse";
		r->input = path;
	} else if (h->size > sizeof(r->header)) {
		e = cgs_diag_set(d, CGS_E_MALFORMED, NULL, r->header_offset, "header too large");
	} else {
		memcpy(r->header, buf + r->header_offset, h->size);
		r->header_len = h->size;
		find_ipib(buf, len, r);
		if (hdr_key)
			e = open_hdr(hdr_key, h, r, d);
	}
	free(buf);
	free(h);
	return e;
}
