/* SPDX-License-Identifier: MIT */
/*
 * The TD HOB list QEMU writes into a TD's TD_HOB section before launch (the
 * first thing TDVF measures into RTMR0): a PHIT HOB, then one resource
 * descriptor HOB per guest memory range, then the end-of-list HOB. Ranges:
 * the firmware's TD_HOB and TEMP_MEM sections as accepted system memory, the
 * gaps between them and the rest of RAM as unaccepted memory (q35 layout:
 * RAM below 4 GiB up to 2 GiB or 2.75 GiB, the rest from 4 GiB).
 */
#ifndef CGS_FORMATS_TD_HOB_H
#define CGS_FORMATS_TD_HOB_H

#include <stddef.h>
#include <stdint.h>

#include "formats/tdvf_metadata.h"
#include "lib/core/err.h"

#define TD_HOB_PHIT_SIZE 56
#define TD_HOB_RESOURCE_SIZE 48
#define TD_HOB_END_SIZE 8
#define TD_HOB_MAX_RANGES (2 * TDVF_MAX_SECTIONS + 2)

#define TD_HOB_SYSTEM_MEMORY 0 /* EFI_RESOURCE_SYSTEM_MEMORY: accepted */
#define TD_HOB_UNACCEPTED 7    /* EFI_RESOURCE_MEMORY_UNACCEPTED */

struct td_hob_range {
	uint64_t start;
	uint64_t length;
	uint32_t type;
};

struct td_hob {
	uint64_t below_4g; /* RAM below 4 GiB, from 0 */
	uint64_t above_4g; /* RAM from 4 GiB */
	uint64_t hob_gpa;  /* the TD_HOB section's address */
	size_t n;
	struct td_hob_range r[TD_HOB_MAX_RANGES];
};

/* QEMU q35's split of memory bytes into RAM below and above 4 GiB. */
void td_hob_split_memory(uint64_t memory, uint64_t *ret_below, uint64_t *ret_above);

/*
 * The ranges for a TD of memory bytes. CGS_E_UNSUPPORTED (field 'type') for a
 * firmware with a memory section this model does not know how QEMU reports
 * (PERM_MEM, PAYLOAD, ...) or without a TD_HOB section; CGS_E_USAGE when the
 * memory ends below the firmware's TD_HOB/TEMP_MEM sections.
 */
enum cgs_err td_hob_layout(const struct tdvf_metadata *m, uint64_t memory, struct td_hob *ret,
			   struct cgs_diag *d);

/* Bytes TDVF measures: PHIT + resource descriptors, without the end-of-list HOB. */
size_t td_hob_measured_size(const struct td_hob *h);

/* Write the measured bytes (td_hob_measured_size of them) to out. */
void td_hob_serialize(const struct td_hob *h, uint8_t *out);

#endif
