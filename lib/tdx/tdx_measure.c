// SPDX-License-Identifier: MIT
/* cgs_tdx_measure: MRTD from the firmware, then the RTMR event log of a direct boot. */
#include <cgs/tdx.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "formats/ovmf_footer.h"
#include "formats/tdvf_metadata.h"
#include "lib/core/crypto.h"
#include "lib/core/io.h"
#include "lib/tdx/tdx_events.h"
#include "lib/tdx/tdx_mrtd.h"

#define MAX_FIRMWARE (64u << 20)
#define MAX_MEMORY (1ull << 50)
#define QEMU_RAM_ALIGN 8192

void cgs_tdx_measure_inputs_init(struct cgs_tdx_measure_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->memory = CGS_TDX_DEFAULT_MEMORY;
	in->mrtd_order = CGS_TDX_MRTD_INTERLEAVED;
	in->separator = CGS_TDX_SEPARATOR_RTMR1;
}

const char *cgs_tdx_mrtd_order_name(enum cgs_tdx_mrtd_order o)
{
	return o == CGS_TDX_MRTD_TWO_PASS ? "two-pass" : "interleaved";
}

enum cgs_err cgs_tdx_mrtd_order_parse(const char *s, enum cgs_tdx_mrtd_order *ret)
{
	if (!strcmp(s, "interleaved"))
		*ret = CGS_TDX_MRTD_INTERLEAVED;
	else if (!strcmp(s, "two-pass"))
		*ret = CGS_TDX_MRTD_TWO_PASS;
	else
		return CGS_E_USAGE;
	return CGS_OK;
}

const char *cgs_tdx_separator_name(enum cgs_tdx_separator s)
{
	return s == CGS_TDX_SEPARATOR_RTMR0 ? "rtmr0" : "rtmr1";
}

enum cgs_err cgs_tdx_separator_parse(const char *s, enum cgs_tdx_separator *ret)
{
	if (!strcmp(s, "rtmr1"))
		*ret = CGS_TDX_SEPARATOR_RTMR1;
	else if (!strcmp(s, "rtmr0"))
		*ret = CGS_TDX_SEPARATOR_RTMR0;
	else
		return CGS_E_USAGE;
	return CGS_OK;
}

enum cgs_err cgs_tdx_parse_memory(const char *text, uint64_t *ret, struct cgs_diag *d)
{
	uint64_t v = 0, mul = 1ull << 20;
	const char *p = text;

	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			break;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p != text && p[0] && !p[1]) {
		const char *units = "KMGT", *u = strchr(units, toupper((unsigned char)*p));

		mul = u ? 1ull << (10 * (u - units + 1)) : 0;
		p++;
	}
	if (p == text || *p || !mul || v == 0 || v > MAX_MEMORY / mul)
		return cgs_diag_set(d, CGS_E_USAGE, "memory", CGS_DIAG_NO_OFFSET,
				    "invalid memory size '%s' (QEMU -m syntax: a number of MiB, or "
				    "with a K, M, G or T suffix; at most 1 PiB)",
				    text);
	v *= mul;
	*ret = (v + QEMU_RAM_ALIGN - 1) & ~(uint64_t)(QEMU_RAM_ALIGN - 1);
	return CGS_OK;
}

static enum cgs_err load_firmware(const char *path, uint8_t **img, size_t *len,
				  struct tdvf_metadata *meta, struct cgs_diag *d)
{
	struct ovmf_footer *footer = malloc(sizeof(*footer));
	enum cgs_err err;

	if (!footer)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	err = cgs_read_file(path, MAX_FIRMWARE, img, len, d);
	if (!err)
		err = ovmf_footer_parse(*img, *len, footer, d);
	if (!err)
		err = tdvf_metadata_find(*img, *len, footer, meta, d);
	free(footer);
	return err;
}

/* The initrd is hashed first (streamed, so it may be a pipe): its size edits the kernel. */
static enum cgs_err hash_initrd(const struct cgs_tdx_measure_inputs *in,
				struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	uint8_t dg[CGS_MAX_MD];
	enum cgs_err err;

	r->err_file = in->initrd;
	err = cgs_digest_file("SHA384", in->initrd, dg, NULL, &r->initrd_size, d);
	memcpy(r->initrd_sha384, dg, CGS_TDX_DIGEST_LEN);
	if (!err && r->initrd_size == 0)
		err = cgs_diag_set(d, CGS_E_UNSUPPORTED, "initrd", CGS_DIAG_NO_OFFSET,
				   "an empty initrd is not modelled (give none instead)");
	return err;
}

enum cgs_err cgs_tdx_measure(const struct cgs_tdx_measure_inputs *in,
			     struct cgs_tdx_measurement *ret, struct cgs_diag *d)
{
	struct tdvf_metadata *meta = malloc(sizeof(*meta));
	struct tdx_firmware fw = {NULL, 0, meta};
	struct tdx_mrtd_counts counts = {0, 0};
	uint8_t *img = NULL;
	enum cgs_err err;

	memset(ret, 0, sizeof(*ret));
	ret->memory = in->memory;
	ret->err_file = in->ovmf;
	if (!meta)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	err = load_firmware(in->ovmf, &img, &fw.len, meta, d);
	fw.img = img;
	if (!err) {
		ret->ovmf_size = fw.len;
		ret->tdvf_sections = meta->count;
		err = tdx_mrtd(img, fw.len, meta, in->mrtd_order, ret->mrtd, &counts, d);
	}
	if (!err) {
		ret->mrtd_pages_added = counts.pages_added;
		ret->mrtd_chunks_extended = counts.chunks_extended;
	}
	if (!err && in->kernel && in->initrd)
		err = hash_initrd(in, ret, d);
	if (!err && in->kernel) {
		ret->err_file = in->ovmf;
		err = tdx_events(in, &fw, ret, d);
	}
	free(img);
	free(meta);
	return err;
}
