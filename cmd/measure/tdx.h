/* SPDX-License-Identifier: MIT */
/*
 * cgs-measure --mode tdx: the TDX options (declared once here, listed in the
 * default verb's option table) and the rendering of MRTD/RTMR0..3.
 */
#ifndef CGS_CMD_MEASURE_TDX_H
#define CGS_CMD_MEASURE_TDX_H

#include <cgs/tdx.h>

#include "lib/core/cli.h"

enum {
	OPT_TDX_FIRST = CGS_KEY_FIRST + 0x100,
	OPT_TDX_MEMORY = OPT_TDX_FIRST,
	OPT_TDX_ACPI_TABLES,
	OPT_TDX_MRTD_ORDER,
	OPT_TDX_SEPARATOR,
	OPT_TDX_ACPI_LOADER,
	OPT_TDX_ACPI_RSDP,
	OPT_TDX_END,
};

/* Entries for the default verb's option table. */
/* clang-format off */
#define TDX_CLI_OPTIONS \
	{ "memory", OPT_TDX_MEMORY, CGS_REQ_ARG, "SIZE", \
	  "tdx: guest RAM in QEMU -m syntax (MiB, or K/M/G/T suffix; default 128M)", 0 }, \
	{ "acpi-tables", OPT_TDX_ACPI_TABLES, CGS_REQ_ARG, "FILE", \
	  "tdx: QEMU's etc/acpi/tables blob (RTMR0 is not computed without it)", 0 }, \
	{ "mrtd-order", OPT_TDX_MRTD_ORDER, CGS_REQ_ARG, "interleaved|two-pass", \
	  "tdx: VMM page order for MRTD (default interleaved: KVM + QEMU >= 9)", 0 }, \
	{ "separator", OPT_TDX_SEPARATOR, CGS_REQ_ARG, "rtmr1|rtmr0", \
	  "tdx: register of the ReadyToBoot separator (default rtmr1: current edk2)", 0 }, \
	{ "acpi-loader", OPT_TDX_ACPI_LOADER, CGS_REQ_ARG, "FILE", \
	  "tdx: QEMU's etc/table-loader as read in a guest (default: derived, q35)", 0 }, \
	{ "acpi-rsdp", OPT_TDX_ACPI_RSDP, CGS_REQ_ARG, "FILE", \
	  "tdx: QEMU's etc/acpi/rsdp as read in a guest (default: derived, q35)", 0 }
/* clang-format on */

struct tdx_cli {
	int on;			 /* --mode tdx */
	const char *first_given; /* the first TDX option seen, for "needs --mode tdx" */
	struct cgs_tdx_measure_inputs in;
};

void tdx_cli_init(struct tdx_cli *t);

/* Handle a TDX option: 0 or an exit code; -1 if key is not a TDX option. */
int tdx_cli_option(struct tdx_cli *t, int key, const char *arg);

/* Measure and print (text or --json); returns the exit code. */
int tdx_cli_run(struct tdx_cli *t);

/* cgs-measure ovmf-info: the TDX section as text lines (its JSON: lib/tdx/tdx_info.h). */
struct tdx_fw_info;
void tdx_info_print(const struct tdx_fw_info *i);

#endif
