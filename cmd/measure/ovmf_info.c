// SPDX-License-Identifier: MIT
/*
 * cgs-measure ovmf-info FILE: what a firmware image offers for SEV, SEV-ES and
 * SNP launches — its GUIDed footer table, SEV metadata sections, reset vector
 * and the features the measurement depends on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/measure/tdx.h"
#include "cmd/measure/verbs.h"
#include "formats/ovmf_footer.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/exit.h"
#include "lib/core/guid.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/sev/sev_measure.h"
#include "lib/tdx/tdx_info.h"

#define MAX_IMAGE (256u << 20)

static const struct cgs_option options[] = {
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct {
	const char *guid, *name;
} known[] = {
	{ "96b582de-1fb2-45f7-baea-a366c55a082d", "OVMF_TABLE_FOOTER" },
	{ "00f771de-1a7e-4fcb-890e-68c77e2fb44e", "SEV_ES_RESET_BLOCK" },
	{ "dc886566-984a-4798-a75e-5585a7bf67cc", "OVMF_SEV_METADATA" },
	{ "7255371f-3a3b-4b04-927b-1da6efa8d454", "SEV_HASH_TABLE_RV" },
	{ "4c2eb361-7d9b-4cc3-8081-127c90d3d294", "SEV_SECRET" },
	{ "e47a6535-984a-4798-865e-4685a7bf8ec2", "TDX_METADATA_OFFSET" },
	{ "784fa70e-3176-4677-8a20-04b68699e374", "IGVM_PARAMETER_AREAS" },
	{ "a789a612-0597-4c4b-a49f-cbb1fe9d1ddd", "SVSM_INFO" },
};

static const char *guid_name(const char *text)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].guid, text))
			return known[i].name;
	return "unknown";
}

struct image {
	const char *path;
	uint8_t *data;
	size_t len;
	uint8_t sha256[32];
	struct ovmf_footer footer;
	struct sev_ovmf_info info;
	struct tdx_fw_info tdx;
};

static const char *kernel_hashes_hint(const struct sev_ovmf_info *i)
{
	if (i->kernel_hashes_sev && (i->kernel_hashes_snp || !i->has_metadata))
		return NULL;
	if (i->has_svsm_info)
		return NULL;
	return "kernel hashes are not supported: --kernel/--initrd/--append cannot be measured "
	       "with this firmware (an OvmfPkgX64 build?); direct-boot measurement needs an "
	       "AmdSevX64 build, e.g. Debian's ovmf-amdsev (OVMF.amdsev.fd)";
}

static void print_text(const struct image *im)
{
	const struct sev_ovmf_info *i = &im->info;
	char g[CGS_GUID_STR_LEN + 1], hex[65];
	const char *hint = kernel_hashes_hint(i);

	cgs_hex_encode(im->sha256, 32, hex);
	printf("file: %s (%zu bytes, sha256 %s)\n", im->path, im->len, hex);
	printf("mapped at: 0x%llx-0xffffffff\n", (unsigned long long)((1ull << 32) - im->len));
	cgs_hex_encode(im->data + im->len - 16, 16, hex);
	printf("reset vector (0xfffffff0): %s\n", hex);
	printf("footer table: %zu entries, %u bytes at offset 0x%llx\n", im->footer.count,
	       im->footer.table_len, (unsigned long long)im->footer.table_offset);
	for (size_t k = 0; k < im->footer.count; k++) {
		const struct ovmf_footer_entry *e = &im->footer.e[k];

		cgs_guid_format_efi(e->guid, g);
		printf("  %s %-22s %u bytes", g, guid_name(g), e->len);
		for (uint32_t w = 0; w + 4 <= e->len && w < 16; w += 4)
			printf(" 0x%x", cgs_le32(im->data + e->offset + w));
		printf("\n");
	}
	if (i->has_metadata) {
		printf("SEV metadata: version %u, %zu sections at offset 0x%llx\n", i->meta.version,
		       i->meta.count, (unsigned long long)i->meta.offset);
		for (size_t k = 0; k < i->meta.count; k++)
			printf("  0x%08x +0x%-6x %s\n", i->meta.s[k].gpa, i->meta.s[k].size,
			       sev_section_type_name(i->meta.s[k].type));
	} else {
		printf("SEV metadata: none\n");
	}
	if (i->has_reset_block)
		printf("AP reset EIP: 0x%x\n", i->ap_eip);
	printf("supports: SEV yes, SEV-ES %s, SNP %s, kernel hashes %s, SVSM %s\n",
	       i->sev_es ? "yes" : "no", i->snp ? "yes" : "no",
	       i->kernel_hashes_sev && (i->kernel_hashes_snp || !i->has_metadata) ? "yes" : "no",
	       i->has_svsm_info ? "SVSM binary" : i->svsm_caa ? "yes (SVSM_CAA)" : "no");
	if (hint)
		printf("hint: %s\n", hint);
	tdx_info_print(&im->tdx);
}

static struct json_object *pair_or_null(int have, uint32_t gpa, uint32_t size)
{
	struct json_object *j;

	if (!have)
		return NULL;
	j = json_object_new_object();
	if (j && (cgs_json_add_u64hex(j, "gpa", gpa) || cgs_json_add_int(j, "size", size))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static struct json_object *footer_json(const struct image *im)
{
	struct json_object *a = json_object_new_array();

	for (size_t k = 0; a && k < im->footer.count; k++) {
		const struct ovmf_footer_entry *e = &im->footer.e[k];
		struct json_object *o = json_object_new_object();
		char g[CGS_GUID_STR_LEN + 1];

		cgs_guid_format_efi(e->guid, g);
		if (!o || cgs_json_add_str(o, "guid", g) || cgs_json_add_str(o, "name", guid_name(g)) ||
		    cgs_json_add_u64hex(o, "offset", e->offset) ||
		    cgs_json_add_int(o, "length", e->len) ||
		    cgs_json_add_hex(o, "payload", im->data + e->offset, e->len) ||
		    json_object_array_add(a, o)) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static struct json_object *metadata_json(const struct sev_ovmf_info *i)
{
	struct json_object *m, *a;

	if (!i->has_metadata)
		return NULL;
	m = json_object_new_object();
	a = json_object_new_array();
	if (!m || !a || cgs_json_add_u64hex(m, "offset", i->meta.offset) ||
	    cgs_json_add_int(m, "version", i->meta.version)) {
		json_object_put(m);
		json_object_put(a);
		return NULL;
	}
	for (size_t k = 0; k < i->meta.count; k++) {
		struct json_object *s = json_object_new_object();

		if (!s || cgs_json_add_u64hex(s, "gpa", i->meta.s[k].gpa) ||
		    cgs_json_add_int(s, "size", i->meta.s[k].size) ||
		    cgs_json_add_str(s, "type", sev_section_type_name(i->meta.s[k].type)) ||
		    json_object_array_add(a, s))
			json_object_put(s);
	}
	cgs_json_add(m, "sections", a);
	return m;
}

static struct json_object *supports_json(const struct sev_ovmf_info *i)
{
	struct json_object *j = json_object_new_object();

	if (j && (cgs_json_add_bool(j, "sev", 1) || cgs_json_add_bool(j, "sev_es", i->sev_es) ||
		  cgs_json_add_bool(j, "snp", i->snp) ||
		  cgs_json_add_bool(j, "kernel_hashes_sev", i->kernel_hashes_sev) ||
		  cgs_json_add_bool(j, "kernel_hashes_snp", i->kernel_hashes_snp) ||
		  cgs_json_add_bool(j, "svsm_caa", i->svsm_caa) ||
		  cgs_json_add_bool(j, "svsm_binary", i->has_svsm_info))) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

static int print_json(const struct image *im)
{
	const struct sev_ovmf_info *i = &im->info;
	struct json_object *doc = cgs_json_doc("cgs-measure"), *file = json_object_new_object();
	struct json_object *rv = json_object_new_object();
	int rc;

	rc = !doc || !file || !rv || cgs_json_add_str(file, "path", im->path) ||
	     cgs_json_add_int(file, "size", (int64_t)im->len) ||
	     cgs_json_add_hex(file, "sha256", im->sha256, 32) ||
	     cgs_json_add_u64hex(rv, "gpa", 0xfffffff0u) ||
	     cgs_json_add_hex(rv, "bytes", im->data + im->len - 16, 16);
	if (rc) {
		json_object_put(file);
		json_object_put(rv);
		json_object_put(doc);
		return -1;
	}
	rc = cgs_json_add(doc, "file", file) ||
	     cgs_json_add_u64hex(doc, "gpa", (1ull << 32) - im->len) ||
	     cgs_json_add(doc, "reset_vector", rv) ||
	     cgs_json_add(doc, "footer_table", footer_json(im)) ||
	     cgs_json_add(doc, "sev_metadata", metadata_json(i)) ||
	     (i->has_reset_block ? cgs_json_add_u64hex(doc, "ap_reset_eip", i->ap_eip)
				 : cgs_json_add(doc, "ap_reset_eip", NULL)) ||
	     cgs_json_add(doc, "hashes_table",
			  pair_or_null(i->has_hash_table_entry, i->hash_table_gpa,
				       i->hash_table_size)) ||
	     cgs_json_add(doc, "secret", pair_or_null(i->has_secret, i->secret_gpa, i->secret_size)) ||
	     (i->has_svsm_info ? cgs_json_add_u64hex(doc, "svsm_info_offset", i->svsm_info_offset)
			       : cgs_json_add(doc, "svsm_info_offset", NULL)) ||
	     cgs_json_add(doc, "supports", supports_json(i)) ||
	     cgs_json_add_str(doc, "hint", kernel_hashes_hint(i)) ||
	     cgs_json_add(doc, "tdx", tdx_info_json(&im->tdx));
	if (!rc)
		rc = cgs_json_print(doc, cgs_opts.json);
	json_object_put(doc);
	return rc;
}

static int load(struct image *im, struct cgs_diag *d)
{
	if (cgs_read_file(im->path, MAX_IMAGE, &im->data, &im->len, d))
		return cgs_log_diag(d, "read", im->path);
	if (im->len == 0 || im->len % 4096) {
		cgs_diag_set(d, CGS_E_MALFORMED, "size", im->len,
			     "firmware size %zu is not a non-zero multiple of 4096", im->len);
		return cgs_log_diag(d, "parse", im->path);
	}
	if (cgs_digest("SHA256", im->data, im->len, im->sha256, NULL, d))
		return cgs_log_diag(d, "hash", im->path);
	if (ovmf_footer_parse(im->data, im->len, &im->footer, d) ||
	    sev_ovmf_inspect(im->data, im->len, &im->info, d))
		return cgs_log_diag(d, "parse", im->path);
	tdx_fw_inspect(im->data, im->len, &im->footer, &im->tdx);
	return 0;
}

int verb_ovmf_info(int argc, char **argv)
{
	struct cgs_command cmd = {
		"cgs-measure ovmf-info",
		"FILE [OPTION]...",
		"Show an OVMF (or SVSM) image's footer table, SEV metadata, reset vector, "
		"SEV/SNP support and TDVF metadata (TDX).",
		options,
		CGS_COMMON_JSON,
		NULL,
		NULL,
		NULL,
	};
	struct image *im;
	struct cgs_diag d;
	int rc, optind_;

	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ >= argc)
		return cgs_log_usage("missing FILE");
	if (optind_ + 1 < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_ + 1]);
	im = calloc(1, sizeof(*im));
	if (!im) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	cgs_diag_clear(&d);
	im->path = argv[optind_];
	rc = load(im, &d);
	if (!rc) {
		if (cgs_opts.json)
			rc = print_json(im) ? CGS_EXIT_FAILURE : 0;
		else
			print_text(im);
		if (!rc && fflush(stdout) != 0)
			rc = CGS_EXIT_FAILURE;
		if (rc)
			cgs_log_error("cannot write to standard output");
	}
	free(im->data);
	free(im);
	return rc;
}
