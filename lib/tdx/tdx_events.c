// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/efi_varstore.h"
#include "formats/qemu_acpi.h"
#include "formats/td_hob.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/io.h"
#include "lib/tdx/tdx_kernel.h"

#define MAX_ACPI_TABLES (64u << 20)

static const uint8_t separator[4] = {0, 0, 0, 0};
static const char calling_efi_app[] = "Calling EFI Application from Boot Option";
static const char exit_bs[] = "Exit Boot Services Invocation";
static const char exit_bs_ok[] = "Exit Boot Services Returned with Success";

/* Record an event: its digest from data (or the given digest), or unknown if both are NULL. */
static enum cgs_err add_event(struct cgs_tdx_measurement *r, unsigned rtmr, const char *type,
			      const char *what, const void *data, uint64_t len,
			      const uint8_t *digest, struct cgs_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
static enum cgs_err add_event(struct cgs_tdx_measurement *r, unsigned rtmr, const char *type,
			      const char *what, const void *data, uint64_t len,
			      const uint8_t *digest, struct cgs_diag *d, const char *fmt, ...)
{
	struct cgs_tdx_event *e;
	va_list ap;

	if (r->n_events == CGS_TDX_MAX_EVENTS)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "more than %d events", CGS_TDX_MAX_EVENTS);
	e = &r->ev[r->n_events];
	memset(e, 0, sizeof(*e));
	e->rtmr = rtmr;
	snprintf(e->type, sizeof(e->type), "%s", type);
	snprintf(e->event, sizeof(e->event), "%s%s%s", type, what ? " " : "", what ? what : "");
	va_start(ap, fmt);
	vsnprintf(e->hashed, sizeof(e->hashed), fmt, ap);
	va_end(ap);
	e->size = len;
	if (digest) {
		memcpy(e->digest, digest, CGS_TDX_DIGEST_LEN);
		e->known = 1;
	} else if (data) {
		if (cgs_digest("SHA384", data, (size_t)len, e->digest, NULL, d))
			return CGS_E_CRYPTO;
		e->known = 1;
	}
	r->n_events++;
	return CGS_OK;
}

static enum cgs_err td_hob_event(const struct tdx_firmware *fw, struct cgs_tdx_measurement *r,
				 struct cgs_diag *d)
{
	uint8_t buf[TD_HOB_PHIT_SIZE + TD_HOB_MAX_RANGES * TD_HOB_RESOURCE_SIZE];
	struct td_hob h;
	enum cgs_err err = td_hob_layout(fw->meta, r->memory, &h, d);

	if (err)
		return err;
	r->below_4g = h.below_4g;
	r->above_4g = h.above_4g;
	td_hob_serialize(&h, buf);
	return add_event(r, 0, "EV_EFI_HANDOFF_TABLES2", "TD HOB", buf, td_hob_measured_size(&h),
			 NULL, d,
			 "TD HOB QEMU builds at 0x%llx: PHIT + %zu resource descriptors "
			 "(RAM 0x%llx below 4 GiB, 0x%llx above)",
			 (unsigned long long)h.hob_gpa, h.n, (unsigned long long)h.below_4g,
			 (unsigned long long)h.above_4g);
}

/* UEFI_VARIABLE_DATA: GUID, u64 name length (chars), u64 data length, UTF-16LE name, data. */
static enum cgs_err var_event(struct cgs_tdx_measurement *r, const uint8_t guid[16],
			      const char *name, const uint8_t *data, size_t len, struct cgs_diag *d)
{
	size_t nl = strlen(name), total = 32 + 2 * nl + len;
	uint8_t *b = malloc(total);
	enum cgs_err err;

	if (!b)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(b, guid, 16);
	cgs_put_le64(b + 16, nl);
	cgs_put_le64(b + 24, len);
	for (size_t i = 0; i < nl; i++)
		cgs_put_le16(b + 32 + 2 * i, (uint8_t)name[i]);
	if (len)
		memcpy(b + 32 + 2 * nl, data, len);
	err = add_event(r, 0, "EV_EFI_VARIABLE_DRIVER_CONFIG", name, b, total, NULL, d,
			"UEFI_VARIABLE_DATA of %s (%zu data byte%s)", name, len,
			len == 1 ? "" : len ? "s" : "s: absent");
	free(b);
	return err;
}

static enum cgs_err get_var(const struct efi_varstore *vs, const uint8_t guid[16], const char *name,
			    const uint8_t **data, size_t *len, int *found, struct cgs_diag *d)
{
	*data = NULL;
	*len = 0;
	return efi_varstore_get(vs, guid, name, data, len, found, d);
}

static enum cgs_err secure_boot_events(const uint8_t *cfv, size_t cfv_len,
				       struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	static const struct {
		const uint8_t *guid;
		const char *name;
	} vars[] = {{efi_guid_global_variable, "PK"},
		    {efi_guid_global_variable, "KEK"},
		    {efi_guid_image_security_db, "db"},
		    {efi_guid_image_security_db, "dbx"}};
	static const uint8_t on = 1;
	struct efi_varstore vs;
	const uint8_t *data;
	size_t len;
	int pk, sbe;
	enum cgs_err err = efi_varstore_find(cfv, cfv_len, &vs, d);

	if (!err)
		err = get_var(&vs, efi_guid_global_variable, "PK", &data, &len, &pk, d);
	if (!err)
		err = get_var(&vs, efi_guid_secure_boot_enable, "SecureBootEnable", &data, &len,
			      &sbe, d);
	if (err)
		return err;
	/* SecureBoot is 1 when a PK is enrolled and SecureBootEnable is absent or 1 */
	pk = pk && (!sbe || (len >= 1 && data[0] == 1));
	err = var_event(r, efi_guid_global_variable, "SecureBoot", &on, pk ? 1 : 0, d);
	for (size_t i = 0; !err && i < sizeof(vars) / sizeof(vars[0]); i++) {
		int found;

		err = get_var(&vs, vars[i].guid, vars[i].name, &data, &len, &found, d);
		if (!err)
			err = var_event(r, vars[i].guid, vars[i].name, data, len, d);
	}
	return err;
}

enum cgs_err tdx_events_firmware(const struct tdx_firmware *fw, struct cgs_tdx_measurement *r,
				 struct cgs_diag *d)
{
	const struct tdvf_section *cfv = tdvf_metadata_section(fw->meta, TDVF_CFV);
	enum cgs_err err = td_hob_event(fw, r, d);

	if (err)
		return err;
	if (!cfv)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "type", fw->meta->offset,
				    "TDVF metadata has no CFV section (no variable store to "
				    "measure)");
	err = add_event(r, 0, "EV_EFI_PLATFORM_FIRMWARE_BLOB2", "CFV", fw->img + cfv->data_offset,
			cfv->raw_size, NULL, d, "CFV section: image bytes 0x%x..0x%llx",
			cfv->data_offset, (unsigned long long)cfv->data_offset + cfv->raw_size);
	if (!err)
		err = secure_boot_events(fw->img + cfv->data_offset, cfv->raw_size, r, d);
	if (!err)
		err = add_event(r, 0, "EV_SEPARATOR", NULL, separator, 4, NULL, d,
				"separator 00000000 (end of pre-boot configuration)");
	return err;
}

/* An ACPI fw_cfg file taken as it is (a real QEMU's, read in a guest). */
static enum cgs_err fw_cfg_file_event(struct cgs_tdx_measurement *r, const char *name,
				      const char *path, struct cgs_diag *d)
{
	uint8_t *data;
	size_t len;
	enum cgs_err err;

	r->err_file = path;
	err = cgs_read_file(path, MAX_ACPI_TABLES, &data, &len, d);
	if (err)
		return err;
	err = add_event(r, 0, "EV_PLATFORM_CONFIG_FLAGS", name, data, len, NULL, d,
			"fw_cfg %s: the file given (%zu bytes)", name, len);
	free(data);
	return err;
}

/* etc/table-loader and etc/acpi/rsdp: given as files, or derived from the tables blob. */
static enum cgs_err loader_rsdp_events(const struct cgs_tdx_measure_inputs *in,
				       const uint8_t *blob, size_t len,
				       struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	struct qemu_acpi a;
	uint8_t loader[QEMU_ACPI_LOADER_SIZE], rsdp[QEMU_ACPI_RSDP_SIZE];
	enum cgs_err err = CGS_OK;

	if (!in->acpi_loader || !in->acpi_rsdp)
		err = qemu_acpi_split(blob, len, &a, d);
	if (!err && !in->acpi_loader)
		err = qemu_acpi_loader(&a, loader, d);
	if (err)
		return err;
	if (in->acpi_loader)
		err = fw_cfg_file_event(r, "etc/table-loader", in->acpi_loader, d);
	else
		err = add_event(r, 0, "EV_PLATFORM_CONFIG_FLAGS", "etc/table-loader", loader,
				sizeof(loader), NULL, d,
				"fw_cfg etc/table-loader: q35 linker commands for the %zu tables "
				"of --acpi-tables",
				a.n);
	if (err)
		return err;
	if (in->acpi_rsdp)
		return fw_cfg_file_event(r, "etc/acpi/rsdp", in->acpi_rsdp, d);
	qemu_acpi_rsdp(&a, rsdp);
	return add_event(r, 0, "EV_PLATFORM_CONFIG_FLAGS", "etc/acpi/rsdp", rsdp, sizeof(rsdp),
			 NULL, d, "fw_cfg etc/acpi/rsdp: q35 RSDP pointing at the RSDT at 0x%x",
			 a.t[a.rsdt].offset);
}

static enum cgs_err acpi_events(const struct cgs_tdx_measure_inputs *in,
				struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	static const char *const files[] = {"etc/table-loader", "etc/acpi/rsdp", "etc/acpi/tables"};
	uint8_t *blob;
	size_t len;
	enum cgs_err err;

	if (!in->acpi_tables) {
		for (size_t i = 0; i < 3; i++) {
			err =
			    add_event(r, 0, "EV_PLATFORM_CONFIG_FLAGS", files[i], NULL, 0, NULL, d,
				      "fw_cfg %s: not computed (needs --acpi-tables)", files[i]);
			if (err)
				return err;
		}
		return CGS_OK;
	}
	r->err_file = in->acpi_tables;
	err = cgs_read_file(in->acpi_tables, MAX_ACPI_TABLES, &blob, &len, d);
	if (err)
		return err;
	r->acpi_tables_size = len;
	err = loader_rsdp_events(in, blob, len, r, d);
	if (!err)
		err = add_event(r, 0, "EV_PLATFORM_CONFIG_FLAGS", "etc/acpi/tables", blob, len,
				NULL, d, "fw_cfg etc/acpi/tables: the --acpi-tables file");
	free(blob);
	return err;
}

static enum cgs_err kernel_event(const struct cgs_tdx_measure_inputs *in,
				 struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	struct bzimage_load load = {in->append ? strlen(in->append) : 0, in->initrd != NULL,
				    r->initrd_size, r->below_4g};
	struct tdx_kernel_result k;
	struct cgs_tdx_kernel_patch *p = &r->kernel_patch;
	enum cgs_err err;

	r->err_file = in->kernel;
	err = tdx_kernel_digest(in->kernel, &load, &k, d);
	if (err)
		return err;
	r->kernel_size = k.size;
	r->kernel_authenticode_bytes = k.hashed;
	r->has_kernel_patch = 1;
	p->protocol = k.patch.protocol;
	p->type_of_loader = k.patch.type_of_loader;
	p->loadflags = k.patch.loadflags;
	p->heap_end_ptr = k.patch.heap_end_ptr;
	p->cmd_line_ptr = k.patch.cmd_line_ptr;
	p->ramdisk_image = k.patch.ramdisk_image;
	p->ramdisk_size = k.patch.ramdisk_size;
	return add_event(r, 1, "EV_EFI_BOOT_SERVICES_APPLICATION", "kernel", NULL, k.hashed,
			 k.digest, d,
			 "PE/COFF Authenticode SHA-384 of the kernel after QEMU's setup header "
			 "edits (%llu of %llu bytes)",
			 (unsigned long long)k.hashed, (unsigned long long)k.size);
}

/* OVMF's Boot0000: the UiApp load option (attributes, path length, "UiApp", FV path). */
static size_t uiapp_option(uint8_t *b)
{
	static const char ui_app[] = "UiApp";
	static const uint8_t fv_node[4] = {4, 7, 0x14, 0}, file_node[4] = {4, 6, 0x14, 0};
	static const uint8_t fv_guid[16] = {0xc9, 0xbd, 0xb8, 0x7c, 0xeb, 0xf8, 0x34, 0x4f,
					    0xaa, 0xea, 0x3e, 0xe4, 0xaf, 0x65, 0x16, 0xa1};
	static const uint8_t app_guid[16] = {0x21, 0xaa, 0x2c, 0x46, 0x14, 0x76, 0x03, 0x45,
					     0x83, 0x6e, 0x8a, 0xb6, 0xf4, 0x66, 0x23, 0x31};
	static const uint8_t end_node[4] = {0x7f, 0xff, 4, 0};
	size_t o = 6;

	cgs_put_le32(b, 0x109); /* LOAD_OPTION_ACTIVE | LOAD_OPTION_CATEGORY_APP */
	cgs_put_le16(b + 4, 2 * (4 + 16) + 4);
	for (size_t i = 0; i < sizeof(ui_app); i++, o += 2)
		cgs_put_le16(b + o, (uint8_t)ui_app[i]);
	memcpy(b + o, fv_node, 4);
	memcpy(b + o + 4, fv_guid, 16);
	memcpy(b + o + 20, file_node, 4);
	memcpy(b + o + 24, app_guid, 16);
	memcpy(b + o + 40, end_node, 4);
	return o + 44;
}

static enum cgs_err boot_var_events(struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	static const uint8_t boot_order[2] = {0, 0};
	uint8_t opt[64];
	size_t n = uiapp_option(opt);
	enum cgs_err err;

	err = add_event(r, 0, "EV_EFI_VARIABLE_BOOT", "BootOrder", boot_order, 2, NULL, d,
			"BootOrder data: 0000");
	if (!err)
		err = add_event(r, 0, "EV_EFI_VARIABLE_BOOT", "Boot0000", opt, n, NULL, d,
				"Boot0000 data: OVMF's UiApp load option (%zu bytes)", n);
	return err;
}

/*
 * LoadOptions as OVMF builds them from fw_cfg: the command line, " initrd=initrd"
 * with an initrd, each byte widened to UTF-16, NUL-terminated; none if both are empty.
 */
static enum cgs_err cmdline_event(const struct cgs_tdx_measure_inputs *in,
				  struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	static const char suffix[] = " initrd=initrd";
	const char *cmd = in->append ? in->append : "";
	size_t cl = strlen(cmd), sl = in->initrd ? strlen(suffix) : 0, n = cl + sl + 1;
	uint8_t *b;
	enum cgs_err err;

	if (cl + sl == 0)
		return CGS_OK;
	b = malloc(2 * n);
	if (!b)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	for (size_t i = 0; i < n; i++)
		cgs_put_le16(b + 2 * i, i < cl	      ? (uint8_t)cmd[i]
					: i < cl + sl ? (uint8_t)suffix[i - cl]
						      : 0);
	err = add_event(r, 2, "EV_EVENT_TAG", "LOADED_IMAGE::LoadOptions", b, 2 * n, NULL, d,
			"UTF-16LE of the command line%s and a NUL (%zu bytes)",
			in->initrd ? " + \" initrd=initrd\"" : "", 2 * n);
	free(b);
	return err;
}

static enum cgs_err initrd_event(struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	return add_event(r, 2, "EV_EVENT_TAG", "Linux initrd", NULL, r->initrd_size,
			 r->initrd_sha384, d, "SHA-384 of the initrd file (%llu bytes)",
			 (unsigned long long)r->initrd_size);
}

static enum cgs_err action(struct cgs_tdx_measurement *r, unsigned rtmr, const char *text,
			   struct cgs_diag *d)
{
	return add_event(r, rtmr, "EV_EFI_ACTION", NULL, text, strlen(text), NULL, d, "\"%s\"",
			 text);
}

enum cgs_err tdx_events(const struct cgs_tdx_measure_inputs *in, const struct tdx_firmware *fw,
			struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	unsigned sep = in->separator == CGS_TDX_SEPARATOR_RTMR0 ? 0 : 1;
	enum cgs_err err = tdx_events_firmware(fw, r, d);

	if (!err)
		err = acpi_events(in, r, d);
	if (!err)
		err = kernel_event(in, r, d);
	if (!err)
		err = boot_var_events(r, d);
	if (!err)
		err = action(r, 1, calling_efi_app, d);
	if (!err)
		err = add_event(r, sep, "EV_SEPARATOR", NULL, separator, 4, NULL, d,
				"separator 00000000 (ReadyToBoot, RTMR%u)", sep);
	if (!err)
		err = cmdline_event(in, r, d);
	if (!err && in->initrd)
		err = initrd_event(r, d);
	if (!err)
		err = action(r, 1, exit_bs, d);
	if (!err)
		err = action(r, 1, exit_bs_ok, d);
	return err ? err : tdx_events_replay(r, d);
}

enum cgs_err tdx_events_replay(struct cgs_tdx_measurement *r, struct cgs_diag *d)
{
	uint8_t buf[2 * CGS_TDX_DIGEST_LEN];

	memset(r->rtmr, 0, sizeof(r->rtmr));
	for (unsigned i = 0; i < CGS_TDX_RTMRS; i++)
		r->rtmr_known[i] = 1;
	for (size_t i = 0; i < r->n_events; i++) {
		struct cgs_tdx_event *e = &r->ev[i];

		if (!e->known)
			r->rtmr_known[e->rtmr] = 0;
		if (!r->rtmr_known[e->rtmr])
			continue;
		memcpy(buf, r->rtmr[e->rtmr], CGS_TDX_DIGEST_LEN);
		memcpy(buf + CGS_TDX_DIGEST_LEN, e->digest, CGS_TDX_DIGEST_LEN);
		if (cgs_digest("SHA384", buf, sizeof(buf), r->rtmr[e->rtmr], NULL, d))
			return CGS_E_CRYPTO;
		memcpy(e->rtmr_after, r->rtmr[e->rtmr], CGS_TDX_DIGEST_LEN);
	}
	for (unsigned i = 0; i < CGS_TDX_RTMRS; i++)
		if (!r->rtmr_known[i])
			memset(r->rtmr[i], 0, CGS_TDX_DIGEST_LEN);
	return CGS_OK;
}
