// SPDX-License-Identifier: MIT
/*
 * cgs-measure --mode tdx: MRTD and RTMR0..3 of a QEMU direct-boot TD, one
 * "name: hex" line per register, or --json with every event and input.
 */
#include "cmd/measure/tdx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/tdx/tdx_info.h"

#define HEX_LEN (2 * CGS_TDX_DIGEST_LEN + 1)

void tdx_cli_init(struct tdx_cli *t)
{
	memset(t, 0, sizeof(*t));
	cgs_tdx_measure_inputs_init(&t->in);
}

int tdx_cli_option(struct tdx_cli *t, int key, const char *arg)
{
	static const char *const names[] = {"--memory",	  "--acpi-tables", "--mrtd-order",
					    "--separator", "--acpi-loader", "--acpi-rsdp"};
	struct cgs_diag d;
	char msg[400];

	if (key < OPT_TDX_FIRST || key >= OPT_TDX_END)
		return -1;
	if (!t->first_given)
		t->first_given = names[key - OPT_TDX_FIRST];
	switch (key) {
	case OPT_TDX_MEMORY:
		if (cgs_tdx_parse_memory(arg, &t->in.memory, &d))
			return cgs_log_usage("%s", cgs_diag_format(&d, msg, sizeof(msg)));
		return 0;
	case OPT_TDX_ACPI_TABLES:
		t->in.acpi_tables = arg;
		return 0;
	case OPT_TDX_ACPI_LOADER:
		t->in.acpi_loader = arg;
		return 0;
	case OPT_TDX_ACPI_RSDP:
		t->in.acpi_rsdp = arg;
		return 0;
	case OPT_TDX_MRTD_ORDER:
		if (cgs_tdx_mrtd_order_parse(arg, &t->in.mrtd_order))
			return cgs_log_usage("invalid value '%s' for '--mrtd-order' (expected "
					     "interleaved or two-pass)",
					     arg);
		return 0;
	default:
		if (cgs_tdx_separator_parse(arg, &t->in.separator))
			return cgs_log_usage("invalid value '%s' for '--separator' (expected rtmr1 "
					     "or rtmr0)",
					     arg);
		return 0;
	}
}

/* Why a register is not computed, or NULL. */
static const char *unknown_reason(const struct tdx_cli *t, const struct cgs_tdx_measurement *r,
				  unsigned i)
{
	if (!t->in.kernel)
		return "not computed: needs --kernel (only direct boot is modelled)";
	if (!r->rtmr_known[i])
		return "not computed: needs --acpi-tables (QEMU's etc/acpi/tables blob)";
	return NULL;
}

static int print_text(const struct tdx_cli *t, const struct cgs_tdx_measurement *r)
{
	char h[HEX_LEN];

	cgs_hex_encode(r->mrtd, CGS_TDX_DIGEST_LEN, h);
	printf("mrtd: %s\n", h);
	for (unsigned i = 0; i < CGS_TDX_RTMRS; i++) {
		const char *why = unknown_reason(t, r, i);

		cgs_hex_encode(r->rtmr[i], CGS_TDX_DIGEST_LEN, h);
		printf("rtmr%u: %s\n", i, why ? why : h);
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

static struct json_object *file_json(const char *path, uint64_t size)
{
	struct json_object *j;

	if (!path)
		return NULL;
	j = json_object_new_object();
	if (j &&
	    (cgs_json_add_str(j, "path", path) || cgs_json_add_int(j, "size", (int64_t)size))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static struct json_object *inputs_json(const struct tdx_cli *t, const struct cgs_tdx_measurement *r)
{
	const struct cgs_tdx_measure_inputs *in = &t->in;
	struct json_object *j = json_object_new_object();

	if (j && (cgs_json_add(j, "ovmf", file_json(in->ovmf, r->ovmf_size)) ||
		  cgs_json_add(j, "kernel", file_json(in->kernel, r->kernel_size)) ||
		  cgs_json_add(j, "initrd", file_json(in->initrd, r->initrd_size)) ||
		  cgs_json_add_str(j, "append", in->append) ||
		  cgs_json_add_int(j, "memory_bytes", (int64_t)in->memory) ||
		  cgs_json_add(j, "acpi_tables", file_json(in->acpi_tables, r->acpi_tables_size)) ||
		  cgs_json_add_str(j, "acpi_loader", in->acpi_loader) ||
		  cgs_json_add_str(j, "acpi_rsdp", in->acpi_rsdp) ||
		  cgs_json_add_str(j, "mrtd_order", cgs_tdx_mrtd_order_name(in->mrtd_order)) ||
		  cgs_json_add_str(j, "separator", cgs_tdx_separator_name(in->separator)))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static struct json_object *patch_json(const struct cgs_tdx_measurement *r)
{
	const struct cgs_tdx_kernel_patch *p = &r->kernel_patch;
	struct json_object *j;

	if (!r->has_kernel_patch)
		return NULL;
	j = json_object_new_object();
	if (j && (cgs_json_add_u64hex(j, "protocol", p->protocol) ||
		  cgs_json_add_u64hex(j, "type_of_loader", p->type_of_loader) ||
		  cgs_json_add_u64hex(j, "loadflags", p->loadflags) ||
		  cgs_json_add_u64hex(j, "heap_end_ptr", p->heap_end_ptr) ||
		  cgs_json_add_u64hex(j, "cmd_line_ptr", p->cmd_line_ptr) ||
		  cgs_json_add_u64hex(j, "ramdisk_image", p->ramdisk_image) ||
		  cgs_json_add_u64hex(j, "ramdisk_size", p->ramdisk_size))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static struct json_object *intermediate_json(const struct cgs_tdx_measurement *r)
{
	struct json_object *j = json_object_new_object();
	int k = r->has_kernel_patch;

	if (j && (cgs_json_add_int(j, "tdvf_sections", (int64_t)r->tdvf_sections) ||
		  cgs_json_add_int(j, "mrtd_pages_added", (int64_t)r->mrtd_pages_added) ||
		  cgs_json_add_int(j, "mrtd_chunks_extended", (int64_t)r->mrtd_chunks_extended) ||
		  (k ? cgs_json_add_u64hex(j, "ram_below_4g", r->below_4g)
		     : cgs_json_add(j, "ram_below_4g", NULL)) ||
		  (k ? cgs_json_add_u64hex(j, "ram_above_4g", r->above_4g)
		     : cgs_json_add(j, "ram_above_4g", NULL)) ||
		  cgs_json_add(j, "kernel_setup_patch", patch_json(r)) ||
		  (k ? cgs_json_add_int(j, "kernel_authenticode_bytes",
					(int64_t)r->kernel_authenticode_bytes)
		     : cgs_json_add(j, "kernel_authenticode_bytes", NULL)))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

/* A digest, or no key at all when it is not computed (an --expected reader refuses null). */
static int add_digest(struct json_object *j, const char *key, int known, const uint8_t *v)
{
	return known ? cgs_json_add_hex(j, key, v, CGS_TDX_DIGEST_LEN) : 0;
}

static struct json_object *events_json(const struct cgs_tdx_measurement *r)
{
	struct json_object *a = json_object_new_array();
	int known[CGS_TDX_RTMRS] = {1, 1, 1, 1};

	for (size_t i = 0; a && i < r->n_events; i++) {
		const struct cgs_tdx_event *e = &r->ev[i];
		struct json_object *o = json_object_new_object();

		known[e->rtmr] = known[e->rtmr] && e->known;
		if (!o || cgs_json_add_int(o, "rtmr", e->rtmr) ||
		    cgs_json_add_str(o, "event", e->event) ||
		    cgs_json_add_str(o, "type", e->type) ||
		    cgs_json_add_str(o, "hashed", e->hashed) ||
		    cgs_json_add_int(o, "size", (int64_t)e->size) ||
		    add_digest(o, "digest", e->known, e->digest) ||
		    add_digest(o, "rtmr_after", known[e->rtmr], e->rtmr_after) ||
		    json_object_array_add(a, o)) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

/* A convention the vectors do not cover (none: NULL). */
static const char *unverified(const struct tdx_cli *t)
{
	if (t->in.kernel && t->in.initrd && (!t->in.append || !*t->in.append))
		return "rtmr2: an empty command line with an initrd is measured as OVMF's source "
		       "builds it (LoadOptions \" initrd=initrd\"); no vector covers this case";
	return NULL;
}

static struct json_object *notes_json(const struct tdx_cli *t, const struct cgs_tdx_measurement *r)
{
	struct json_object *a = json_object_new_array();
	char line[160];

	if (a && unverified(t) && json_object_array_add(a, json_object_new_string(unverified(t)))) {
		json_object_put(a);
		return NULL;
	}
	for (unsigned i = 0; a && i < CGS_TDX_RTMRS; i++) {
		const char *why = unknown_reason(t, r, i);

		if (!why)
			continue;
		snprintf(line, sizeof(line), "rtmr%u %s", i, why);
		if (json_object_array_add(a, json_object_new_string(line))) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static int print_json(const struct tdx_cli *t, const struct cgs_tdx_measurement *r)
{
	struct json_object *doc = cgs_json_doc("cgs-measure");
	char key[8];
	int rc;

	rc = !doc || cgs_json_add_str(doc, "mode", "tdx") ||
	     cgs_json_add_str(doc, "digest_alg", "sha384") ||
	     cgs_json_add_hex(doc, "mrtd", r->mrtd, CGS_TDX_DIGEST_LEN);
	for (unsigned i = 0; !rc && i < CGS_TDX_RTMRS; i++) {
		snprintf(key, sizeof(key), "rtmr%u", i);
		rc = add_digest(doc, key, !unknown_reason(t, r, i), r->rtmr[i]);
	}
	rc = rc || cgs_json_add(doc, "notes", notes_json(t, r)) ||
	     cgs_json_add(doc, "inputs", inputs_json(t, r)) ||
	     cgs_json_add(doc, "intermediate", intermediate_json(r)) ||
	     cgs_json_add(doc, "events", events_json(r));
	if (!rc)
		rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

/* -v: every event on stderr */
static void log_events(const struct cgs_tdx_measurement *r)
{
	char h[HEX_LEN];

	cgs_log_verbose("TDVF: %zu sections, %llu pages added, %llu chunks extended",
			r->tdvf_sections, (unsigned long long)r->mrtd_pages_added,
			(unsigned long long)r->mrtd_chunks_extended);
	for (size_t i = 0; i < r->n_events; i++) {
		const struct cgs_tdx_event *e = &r->ev[i];

		cgs_hex_encode(e->digest, CGS_TDX_DIGEST_LEN, h);
		cgs_log_verbose("RTMR%u %s: %s (%s)", e->rtmr, e->event, e->known ? h : "unknown",
				e->hashed);
	}
}

static int check_opts(const struct tdx_cli *t)
{
	if (!t->in.ovmf)
		return cgs_log_usage("missing --ovmf PATH");
	if (!t->in.kernel && (t->in.initrd || t->in.append || t->in.acpi_tables))
		return cgs_log_usage("'%s' needs --kernel in mode 'tdx' (direct boot)",
				     t->in.initrd   ? "--initrd"
				     : t->in.append ? "--append"
						    : "--acpi-tables");
	if ((t->in.acpi_loader || t->in.acpi_rsdp) && !t->in.acpi_tables)
		return cgs_log_usage("'%s' needs --acpi-tables",
				     t->in.acpi_loader ? "--acpi-loader" : "--acpi-rsdp");
	return 0;
}

int tdx_cli_run(struct tdx_cli *t)
{
	struct cgs_tdx_measurement *r;
	struct cgs_diag d;
	int rc = check_opts(t);

	if (rc)
		return rc;
	r = malloc(sizeof(*r));
	if (!r) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	cgs_diag_clear(&d);
	if (cgs_tdx_measure(&t->in, r, &d)) {
		char msg[512];

		if (d.err == CGS_E_USAGE)
			rc = cgs_log_usage("%s", cgs_diag_format(&d, msg, sizeof(msg)));
		else
			rc = cgs_log_diag(&d,
					  d.err == CGS_E_NOINPUT ? "read"
					  : d.err == CGS_E_MALFORMED || d.err == CGS_E_UNSUPPORTED
					      ? "parse"
					      : "measure",
					  r->err_file);
	} else {
		if (unverified(t))
			cgs_log_warn("%s", unverified(t));
		log_events(r);
		if (cgs_opts.json ? print_json(t, r) : print_text(t, r)) {
			cgs_log_error("cannot write to standard output");
			rc = CGS_EXIT_FAILURE;
		}
	}
	free(r);
	return rc;
}

static const char *attr_words(uint32_t a)
{
	static const char *const w[] = {"", "MR.EXTEND", "PAGE.AUG", "MR.EXTEND|PAGE.AUG"};

	return w[a & 3];
}

void tdx_info_print(const struct tdx_fw_info *i)
{
	char msg[400];

	if (!i->td_boot) {
		printf("TDX: no (%s)\n", cgs_diag_format(&i->why, msg, sizeof(msg)));
		if (i->has_entry && !strcmp(i->why.field, "raw_data_size"))
			printf("hint: TDVF sections past the end of the file: a CODE-only image? A "
			       "TD boots from one combined image (-bios OVMF.fd)\n");
		return;
	}
	printf("TDVF metadata: version %u, %zu sections at offset 0x%llx\n", i->meta.version,
	       i->meta.count, (unsigned long long)i->meta.offset);
	for (size_t k = 0; k < i->meta.count; k++) {
		const struct tdvf_section *s = &i->meta.s[k];

		printf("  0x%08llx +0x%-8llx %-9s image 0x%x+0x%x attributes 0x%x%s%s%s\n",
		       (unsigned long long)s->gpa, (unsigned long long)s->mem_size,
		       tdvf_section_type_name(s->type), s->data_offset, s->raw_size, s->attributes,
		       s->attributes ? " (" : "", attr_words(s->attributes),
		       s->attributes ? ")" : "");
	}
	if (i->rtmrs_modelled)
		printf("TDX: yes; MRTD and RTMR0..3 of a direct boot can be computed (Secure Boot "
		       "keys %s)\n",
		       i->pk_enrolled ? "enrolled" : "not enrolled");
	else
		printf("TDX: yes; MRTD only, RTMRs not modelled (%s)\n",
		       cgs_diag_format(&i->rtmr_why, msg, sizeof(msg)));
}
