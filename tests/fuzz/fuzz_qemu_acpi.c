// SPDX-License-Identifier: MIT
/* libFuzzer harness: an etc/acpi/tables blob and the rsdp/table-loader files derived from it. */
#include <stddef.h>
#include <stdint.h>

#include "formats/qemu_acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qemu_acpi a;
	uint8_t loader[QEMU_ACPI_LOADER_SIZE], rsdp[QEMU_ACPI_RSDP_SIZE];

	if (qemu_acpi_split(data, size, &a, NULL) != CGS_OK)
		return 0;
	for (size_t i = 0; i < a.n; i++)
		if ((uint64_t)a.t[i].offset + a.t[i].length > size)
			__builtin_trap();
	if (a.rsdt < 0 || (size_t)a.rsdt >= a.n)
		__builtin_trap();
	qemu_acpi_rsdp(&a, rsdp);
	qemu_acpi_loader(&a, loader, NULL);
	return 0;
}
