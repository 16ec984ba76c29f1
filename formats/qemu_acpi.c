// SPDX-License-Identifier: MIT
#include "formats/qemu_acpi.h"

#include <string.h>

#include "lib/core/endian.h"

#define ACPI_HDR 36
#define CMD_SIZE 128
#define CMD_ALLOCATE 1
#define CMD_ADD_POINTER 2
#define CMD_ADD_CHECKSUM 3
#define ZONE_HIGH 1
#define ZONE_FSEG 2
#define FACP_MIN 148 /* X_DSDT at 140, 8 bytes */

static const char TABLES[] = "etc/acpi/tables";
static const char RSDP[] = "etc/acpi/rsdp";

static enum cgs_err check_table(const struct qemu_acpi_table *t, struct cgs_diag *d)
{
	if (!strcmp(t->sig, "FACP") && t->length < FACP_MIN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "length", t->offset + 4,
				    "FACP of %u bytes is too short for its DSDT pointers",
				    t->length);
	if (!strcmp(t->sig, "RSDT") && (t->length - ACPI_HDR) % 4)
		return cgs_diag_set(d, CGS_E_MALFORMED, "length", t->offset + 4,
				    "RSDT length %u is not a header plus 4-byte entries",
				    t->length);
	return CGS_OK;
}

enum cgs_err qemu_acpi_split(const uint8_t *blob, size_t len, struct qemu_acpi *ret,
			     struct cgs_diag *d)
{
	struct qemu_acpi a;
	size_t o = 0;

	memset(&a, 0, sizeof(a));
	a.rsdt = -1;
	while (o + 8 <= len && cgs_le32(blob + o) != 0) {
		struct qemu_acpi_table *t = &a.t[a.n];
		uint32_t l = cgs_le32(blob + o + 4);
		enum cgs_err err;

		if (a.n == QEMU_ACPI_MAX_TABLES)
			return cgs_diag_set(d, CGS_E_MALFORMED, "signature", o,
					    "more than %d ACPI tables", QEMU_ACPI_MAX_TABLES);
		memcpy(t->sig, blob + o, 4);
		t->offset = (uint32_t)o;
		t->length = l;
		if ((l < ACPI_HDR && strcmp(t->sig, "FACS")) || l < 8 || l > len - o)
			return cgs_diag_set(d, CGS_E_MALFORMED, "length", o + 4,
					    "ACPI table '%.4s' of length %u does not fit the blob",
					    t->sig, l);
		err = check_table(t, d);
		if (err)
			return err;
		if (a.rsdt < 0 && !strcmp(t->sig, "RSDT"))
			a.rsdt = (int)a.n;
		a.n++;
		o += l;
	}
	if (a.rsdt < 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "RSDT", CGS_DIAG_NO_OFFSET,
				    "no RSDT in the ACPI tables blob");
	*ret = a;
	return CGS_OK;
}

void qemu_acpi_rsdp(const struct qemu_acpi *a, uint8_t out[QEMU_ACPI_RSDP_SIZE])
{
	memset(out, 0, QEMU_ACPI_RSDP_SIZE);
	memcpy(out, "RSD PTR ", 8);
	memcpy(out + 9, "BOCHS ", 6);
	cgs_put_le32(out + 16, a->t[a->rsdt].offset);
}

struct loader {
	uint8_t *out;
	size_t n;
};

static uint8_t *cmd(struct loader *l, uint32_t type, const char *file)
{
	uint8_t *c = l->out + l->n * CMD_SIZE;

	if ((l->n + 1) * CMD_SIZE > QEMU_ACPI_LOADER_SIZE)
		return NULL;
	l->n++;
	cgs_put_le32(c, type);
	memcpy(c + 4, file, strlen(file));
	return c;
}

static int allocate(struct loader *l, const char *file, uint32_t align, uint8_t zone)
{
	uint8_t *c = cmd(l, CMD_ALLOCATE, file);

	if (!c)
		return -1;
	cgs_put_le32(c + 60, align);
	c[64] = zone;
	return 0;
}

static int pointer(struct loader *l, const char *dst, const char *src, uint32_t off, uint8_t size)
{
	uint8_t *c = cmd(l, CMD_ADD_POINTER, dst);

	if (!c)
		return -1;
	memcpy(c + 60, src, strlen(src));
	cgs_put_le32(c + 116, off);
	c[120] = size;
	return 0;
}

static int checksum(struct loader *l, const char *file, uint32_t at, uint32_t start, uint32_t len)
{
	uint8_t *c = cmd(l, CMD_ADD_CHECKSUM, file);

	if (!c)
		return -1;
	cgs_put_le32(c + 60, at);
	cgs_put_le32(c + 64, start);
	cgs_put_le32(c + 68, len);
	return 0;
}

/* The commands for one table: its pointers, then its checksum (FACS has none). */
static int table_cmds(struct loader *l, const struct qemu_acpi_table *t)
{
	int rc = 0;

	if (!strcmp(t->sig, "FACP"))
		rc = pointer(l, TABLES, TABLES, t->offset + 36, 4) ||
		     pointer(l, TABLES, TABLES, t->offset + 40, 4) ||
		     pointer(l, TABLES, TABLES, t->offset + 140, 8);
	if (!strcmp(t->sig, "RSDT"))
		for (uint32_t e = ACPI_HDR; !rc && e < t->length; e += 4)
			rc = pointer(l, TABLES, TABLES, t->offset + e, 4);
	if (!rc && strcmp(t->sig, "FACS"))
		rc = checksum(l, TABLES, t->offset + 9, t->offset, t->length);
	return rc;
}

enum cgs_err qemu_acpi_loader(const struct qemu_acpi *a, uint8_t out[QEMU_ACPI_LOADER_SIZE],
			      struct cgs_diag *d)
{
	struct loader l = {out, 0};
	int rc;

	memset(out, 0, QEMU_ACPI_LOADER_SIZE);
	rc = allocate(&l, RSDP, 16, ZONE_FSEG) || allocate(&l, TABLES, 64, ZONE_HIGH);
	for (size_t i = 0; !rc && i < a->n; i++)
		rc = table_cmds(&l, &a->t[i]);
	rc =
	    rc || pointer(&l, RSDP, TABLES, 16, 4) || checksum(&l, RSDP, 8, 0, QEMU_ACPI_RSDP_SIZE);
	if (rc)
		return cgs_diag_set(d, CGS_E_MALFORMED, "signature", CGS_DIAG_NO_OFFSET,
				    "the ACPI tables need more than %d linker commands",
				    QEMU_ACPI_LOADER_SIZE / CMD_SIZE);
	return CGS_OK;
}
