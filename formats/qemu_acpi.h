/* SPDX-License-Identifier: MIT */
/*
 * QEMU's ACPI fw_cfg files as OVMF reads (and TDVF measures) them, derived
 * from the etc/acpi/tables blob: the tables lie back to back (a zero
 * signature ends them); etc/acpi/rsdp is a 20-byte ACPI 1.0 RSDP pointing at
 * the RSDT; etc/table-loader is a 4096-byte list of 128-byte BIOS linker
 * commands (ALLOCATE, ADD_POINTER, ADD_CHECKSUM) in the order QEMU's q35
 * model emits them.
 */
#ifndef CGS_FORMATS_QEMU_ACPI_H
#define CGS_FORMATS_QEMU_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define QEMU_ACPI_RSDP_SIZE 20
#define QEMU_ACPI_LOADER_SIZE 4096
#define QEMU_ACPI_MAX_TABLES 64

struct qemu_acpi_table {
	char sig[5];
	uint32_t offset;
	uint32_t length;
};

struct qemu_acpi {
	size_t n;
	struct qemu_acpi_table t[QEMU_ACPI_MAX_TABLES];
	int rsdt; /* index of the first RSDT, or -1 */
};

/*
 * Split a tables blob. CGS_E_MALFORMED naming the field for a table shorter
 * than its header or running past the blob ('length'), FACP/RSDT too short for
 * their pointers, too many tables, or no RSDT ('RSDT').
 */
enum cgs_err qemu_acpi_split(const uint8_t *blob, size_t len, struct qemu_acpi *ret,
			     struct cgs_diag *d);

/* The etc/acpi/rsdp file: "RSD PTR ", checksum 0, "BOCHS ", revision 0, RSDT offset. */
void qemu_acpi_rsdp(const struct qemu_acpi *a, uint8_t out[QEMU_ACPI_RSDP_SIZE]);

/* The etc/table-loader file. CGS_E_MALFORMED if the commands exceed 4096 bytes. */
enum cgs_err qemu_acpi_loader(const struct qemu_acpi *a, uint8_t out[QEMU_ACPI_LOADER_SIZE],
			      struct cgs_diag *d);

#endif
