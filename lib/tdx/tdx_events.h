/* SPDX-License-Identifier: MIT */
/*
 * The RTMR event log of a QEMU direct-boot TD, in extend order: what TDVF
 * (SEC and DXE), OVMF's boot manager and the Linux EFI stub measure, each
 * event's digest, and the registers replayed from them.
 */
#ifndef CGS_LIB_TDX_TDX_EVENTS_H
#define CGS_LIB_TDX_TDX_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/tdx.h>

#include "formats/tdvf_metadata.h"
#include "lib/core/err.h"

/* The firmware image and its parsed metadata. */
struct tdx_firmware {
	const uint8_t *img;
	size_t len;
	const struct tdvf_metadata *meta;
};

/* Append every event for a kernel boot to r (r->memory etc. set), then replay the RTMRs. */
enum cgs_err tdx_events(const struct cgs_tdx_measure_inputs *in, const struct tdx_firmware *fw,
			struct cgs_tdx_measurement *r, struct cgs_diag *d);

/* The RTMR0 events of the firmware alone (TD HOB, CFV, Secure Boot variables, separator). */
enum cgs_err tdx_events_firmware(const struct tdx_firmware *fw, struct cgs_tdx_measurement *r,
				 struct cgs_diag *d);

/* Replay: RTMR := SHA384(RTMR || digest) per event; an unknown digest makes its register unknown.
 */
enum cgs_err tdx_events_replay(struct cgs_tdx_measurement *r, struct cgs_diag *d);

#endif
