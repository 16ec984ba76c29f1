// SPDX-License-Identifier: MIT
/* TDVF metadata: parse through the footer table, validation, the Debian images. */
#include <string.h>

#include "formats/tdvf_metadata.h"
#include "lib/tdx/tdx_info.h"
#include "tests/helpers/tdx_synth.h"
#include "tests/unit/tap.h"

static uint8_t img[SYNTH_FW_SIZE];

static enum cgs_err parse(const struct synth_fw *o, struct tdvf_metadata *m, struct cgs_diag *d)
{
	struct ovmf_footer f;

	cgs_diag_clear(d);
	if (synth_firmware(img, o) || ovmf_footer_parse(img, sizeof(img), &f, NULL))
		return CGS_E_INTERNAL;
	return tdvf_metadata_find(img, sizeof(img), &f, m, d);
}

static void synthetic(void)
{
	struct synth_fw o = { 0 };
	struct tdvf_metadata m;
	struct cgs_diag d;

	ok(parse(&o, &m, &d) == CGS_OK, "synthetic image parses");
	is_int((long long)m.count, 6, "six sections");
	is_int((long long)m.offset, SYNTH_FW_SIZE - SYNTH_META_END, "descriptor offset = len - X");
	is_int(m.length, 16 + 6 * 32, "descriptor length");
	is_int(m.s[0].type, TDVF_BFV, "BFV first");
	is_int(m.s[0].attributes, TDVF_ATTR_MR_EXTEND, "BFV is extended");
	is_int((long long)m.s[1].gpa, 0x100000000ll - SYNTH_FW_SIZE, "CFV at 4 GiB - size");
	ok(tdvf_metadata_section(&m, TDVF_TD_HOB)->gpa == 0x809000, "TD_HOB found by type");
	is_str(tdvf_section_type_name(TDVF_TEMP_MEM), "TEMP_MEM", "type name");
	ok(tdvf_section_type_name(9) == NULL, "type 9 unknown");
}

static void check_bad(const struct synth_fw *o, enum cgs_err want, const char *field,
		      const char *what)
{
	struct tdvf_metadata m;
	struct cgs_diag d;
	enum cgs_err err = parse(o, &m, &d);

	ok(err == want && !strcmp(d.field, field), "%s: %s (field '%s')", what,
	   err == want ? "rejected" : "NOT rejected as expected", d.field);
}

static void malformed(void)
{
	struct synth_fw o;

	memset(&o, 0, sizeof(o));
	o.truncate = 1;
	check_bad(&o, CGS_E_MALFORMED, "number_of_section_entry", "truncated section table");
	memset(&o, 0, sizeof(o));
	o.overlap = 1;
	check_bad(&o, CGS_E_MALFORMED, "memory_address", "overlapping sections");
	memset(&o, 0, sizeof(o));
	o.bad_guid = 1;
	check_bad(&o, CGS_E_MALFORMED, "tdvf_guid", "wrong GUID before the descriptor");
	memset(&o, 0, sizeof(o));
	o.unaligned = 1;
	check_bad(&o, CGS_E_MALFORMED, "memory_address", "unaligned section");
	memset(&o, 0, sizeof(o));
	o.version = 2;
	check_bad(&o, CGS_E_UNSUPPORTED, "version", "version 2");
	memset(&o, 0, sizeof(o));
	o.no_tdx = 1;
	check_bad(&o, CGS_E_MALFORMED, "tdx_metadata_offset", "no TDX footer entry");
	/* offsets pointing outside the image, a bad signature, a section past the end */
	{
		struct tdvf_metadata m;
		struct cgs_diag d;
		uint8_t *desc = img + SYNTH_FW_SIZE - SYNTH_META_END;

		memset(&o, 0, sizeof(o));
		synth_firmware(img, &o);
		ok(tdvf_metadata_parse(img, sizeof(img), SYNTH_FW_SIZE + 1, &m, &d) ==
			   CGS_E_MALFORMED && !strcmp(d.field, "tdx_metadata_offset"),
		   "offset past the start of the image");
		cgs_put_le32(desc + 16 + 32 + 4, SYNTH_FW_SIZE); /* CFV raw size */
		ok(tdvf_metadata_parse(img, sizeof(img), SYNTH_META_END, &m, &d) ==
			   CGS_E_MALFORMED, "section larger than its memory or image (%s)", d.field);
		desc[0] = 'X';
		ok(tdvf_metadata_parse(img, sizeof(img), SYNTH_META_END, &m, &d) ==
			   CGS_E_MALFORMED && !strcmp(d.field, "signature"), "bad signature");
	}
}

static void inspect(void)
{
	static struct tdx_fw_info i;
	struct synth_fw o = { 0 };
	struct ovmf_footer f;

	o.with_pk = 1;
	synth_firmware(img, &o);
	ovmf_footer_parse(img, sizeof(img), &f, NULL);
	tdx_fw_inspect(img, sizeof(img), &f, &i);
	ok(i.td_boot && i.has_entry && i.rtmrs_modelled && i.pk_enrolled,
	   "inspect: a TD boots, RTMRs modelled, PK enrolled");
	o.with_pk = 0;
	synth_firmware(img, &o);
	tdx_fw_inspect(img, sizeof(img), &f, &i);
	ok(i.td_boot && i.rtmrs_modelled && !i.pk_enrolled, "inspect: no PK");
	img[0x48] ^= 1; /* no variable store */
	tdx_fw_inspect(img, sizeof(img), &f, &i);
	ok(i.td_boot && !i.rtmrs_modelled && !strcmp(i.rtmr_why.field, "varstore_guid"),
	   "inspect: no variable store: MRTD only");
	o.overlap = 1;
	synth_firmware(img, &o);
	tdx_fw_inspect(img, sizeof(img), &f, &i);
	ok(!i.td_boot && i.has_entry && !strcmp(i.why.field, "memory_address"),
	   "inspect: overlapping sections: no TD, reason kept");
}

static void debian(void)
{
	static const struct {
		const char *file;
		size_t count;
		uint64_t first_temp;
	} imgs[] = { { "tdx/firmware/sid_OVMF.inteltdx.ms.fd", 6, 0x810000 },
		     { "tdx/firmware/sid_OVMF.fd", 7, 0x814000 },
		     { "sev/inputs/trixie_OVMF.fd", 6, 0x811000 },
		     { "sev/inputs/bookworm_OVMF.fd", 6, 0x810000 } };
	const char *v = tap_vectors();
	char path[512];

	if (!v) {
		ok(1, "# SKIP ../shared/vectors not present: Debian images not parsed");
		return;
	}
	for (size_t i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		struct ovmf_footer f;
		struct tdvf_metadata m;
		size_t len = 0;
		uint8_t *fw;

		snprintf(path, sizeof(path), "%s/%s", v, imgs[i].file);
		fw = tap_slurp(path, &len);
		ok(fw && !ovmf_footer_parse(fw, len, &f, NULL) &&
			   !tdvf_metadata_find(fw, len, &f, &m, NULL) && m.count == imgs[i].count &&
			   m.s[2].gpa == imgs[i].first_temp && m.s[0].gpa == 0x100000000ull - len +
			   m.s[0].data_offset, "%s: %zu sections, first TEMP_MEM 0x%llx", imgs[i].file,
		   imgs[i].count, (unsigned long long)imgs[i].first_temp);
		free(fw);
	}
}

int main(void)
{
	synthetic();
	malformed();
	inspect();
	debian();
	return tap_done();
}
