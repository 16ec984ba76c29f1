/* SPDX-License-Identifier: MIT */
/*
 * libcgs, Intel TDX: the launch measurements of a QEMU direct-boot TD with
 * OVMF/TDVF, computed before boot. MRTD from the firmware's TDVF metadata
 * (the pages the VMM adds and extends), RTMR0..2 from the events TDVF, OVMF
 * and the Linux EFI stub extend (TD HOB, CFV, Secure Boot variables, ACPI
 * fw_cfg files, boot variables, the kernel's Authenticode digest, the command
 * line and the initrd); RTMR3 stays zero. Every event is reported so that a
 * mismatch can be traced to one input.
 */
#ifndef CGS_TDX_H
#define CGS_TDX_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CGS_TDX_DIGEST_LEN 48 /* SHA-384 */
#define CGS_TDX_RTMRS 4
#define CGS_TDX_MAX_EVENTS 32
#define CGS_TDX_DEFAULT_MEMORY (128ull << 20) /* QEMU's default -m */

/* The order in which the VMM adds and extends firmware pages (MRTD). */
enum cgs_tdx_mrtd_order {
	CGS_TDX_MRTD_INTERLEAVED = 0, /* per page: PAGE.ADD then its EXTENDs (KVM, QEMU >= 9) */
	CGS_TDX_MRTD_TWO_PASS,	      /* per section: all PAGE.ADDs, then all EXTENDs (QEMU 8) */
};

/* Where the firmware puts the ReadyToBoot separator. */
enum cgs_tdx_separator {
	CGS_TDX_SEPARATOR_RTMR1 = 0, /* current edk2 (TdTcg2Dxe) */
	CGS_TDX_SEPARATOR_RTMR0,     /* edk2 up to stable202408 */
};

struct cgs_tdx_measure_inputs {
	const char *ovmf;	 /* firmware image as given to -bios (required) */
	const char *kernel;	 /* -kernel, or NULL: MRTD only */
	const char *initrd;	 /* -initrd, or NULL */
	const char *append;	 /* -append, or NULL */
	const char *acpi_tables; /* QEMU's etc/acpi/tables blob, or NULL: RTMR0 unknown */
	const char *acpi_loader; /* QEMU's etc/table-loader, or NULL: derived (q35) */
	const char *acpi_rsdp;   /* QEMU's etc/acpi/rsdp, or NULL: derived (q35) */
	uint64_t memory;	 /* guest RAM in bytes (-m) */
	enum cgs_tdx_mrtd_order mrtd_order;
	enum cgs_tdx_separator separator;
};

/* One extend of an RTMR. */
struct cgs_tdx_event {
	unsigned rtmr;	  /* 0..3 */
	char event[64];	  /* "EV_EFI_VARIABLE_DRIVER_CONFIG PK": type and what */
	char type[40];	  /* "EV_EFI_VARIABLE_DRIVER_CONFIG" */
	char hashed[160]; /* what the digest covers, in words */
	uint64_t size;	  /* bytes hashed */
	int known;	  /* 0: an input is missing (the digest is not computed) */
	uint8_t digest[CGS_TDX_DIGEST_LEN];
	uint8_t rtmr_after[CGS_TDX_DIGEST_LEN]; /* the register after this extend, if known */
};

/* QEMU's edits of the kernel's setup header (what the firmware measures). */
struct cgs_tdx_kernel_patch {
	uint16_t protocol;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t heap_end_ptr;
	uint32_t cmd_line_ptr;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
};

struct cgs_tdx_measurement {
	uint8_t mrtd[CGS_TDX_DIGEST_LEN];
	uint8_t rtmr[CGS_TDX_RTMRS][CGS_TDX_DIGEST_LEN];
	int rtmr_known[CGS_TDX_RTMRS];
	size_t n_events;
	struct cgs_tdx_event ev[CGS_TDX_MAX_EVENTS];
	/* inputs as measured */
	uint64_t memory, below_4g, above_4g;
	uint64_t ovmf_size, kernel_size, initrd_size, acpi_tables_size;
	uint8_t initrd_sha384[CGS_TDX_DIGEST_LEN]; /* with an initrd: its digest (RTMR2 event) */
	size_t tdvf_sections;
	uint64_t mrtd_pages_added, mrtd_chunks_extended;
	int has_kernel_patch;
	struct cgs_tdx_kernel_patch kernel_patch;
	uint64_t kernel_authenticode_bytes;
	const char *err_file; /* on failure: the input the diagnostic is about */
};

/* Defaults: 128 MiB, interleaved MRTD order, separator in RTMR1, no files. */
CGS_EXPORT void cgs_tdx_measure_inputs_init(struct cgs_tdx_measure_inputs *in);

/*
 * Compute MRTD and, with a kernel, RTMR0..3 and every event. Files are
 * streamed (the kernel and initrd are never held whole in memory).
 * CGS_E_NOINPUT for a missing file, CGS_E_MALFORMED/UNSUPPORTED for a firmware
 * without (or with malformed) TDVF metadata, a kernel that is not PE/COFF or a
 * bad ACPI tables blob, CGS_E_USAGE for inputs QEMU would refuse together
 * (an initrd too large for the memory); ret->err_file names the input.
 */
CGS_EXPORT enum cgs_err cgs_tdx_measure(const struct cgs_tdx_measure_inputs *in,
					struct cgs_tdx_measurement *ret, struct cgs_diag *d);

/*
 * QEMU -m syntax: a number of MiB, or a number with a K, M, G or T suffix (any
 * case; binary multiples). Rounded up to 8 KiB as QEMU does. CGS_E_USAGE on
 * bad text, zero or more than 1 PiB.
 */
CGS_EXPORT enum cgs_err cgs_tdx_parse_memory(const char *text, uint64_t *ret, struct cgs_diag *d);

/* "interleaved"/"two-pass" and "rtmr1"/"rtmr0", and back (CGS_E_USAGE). */
CGS_EXPORT const char *cgs_tdx_mrtd_order_name(enum cgs_tdx_mrtd_order o);
CGS_EXPORT enum cgs_err cgs_tdx_mrtd_order_parse(const char *s, enum cgs_tdx_mrtd_order *ret);
CGS_EXPORT const char *cgs_tdx_separator_name(enum cgs_tdx_separator s);
CGS_EXPORT enum cgs_err cgs_tdx_separator_parse(const char *s, enum cgs_tdx_separator *ret);

#ifdef __cplusplus
}
#endif

#endif
