/* SPDX-License-Identifier: MIT */
/*
 * The SEV-ES/SNP VMSA page (VMCB save area, 4096 bytes) with the fields a
 * launch VMSA sets, and the initial register profiles of the VMMs QEMU, ec2
 * and gce (and the SVSM's 32-bit entry state).
 */
#ifndef CGS_FORMATS_VMSA_H
#define CGS_FORMATS_VMSA_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define VMSA_PAGE_SIZE 4096
#define VMSA_BSP_EIP 0xfffffff0u

struct vmsa_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmsa_state {
	struct vmsa_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint64_t efer, cr4, cr0, dr7, dr6, rflags, rip, g_pat, rdx, sev_features, xcr0;
	uint32_t mxcsr;
	uint16_t x87_fcw;
};

enum vmsa_vmm {
	VMSA_VMM_QEMU,
	VMSA_VMM_EC2,        /* sev-snp-measure >= 0.0.13: RDX 0x600 */
	VMSA_VMM_EC2_LEGACY, /* sev-snp-measure <= 0.0.12, virtee/sev crate: RDX 0 */
	VMSA_VMM_GCE,
};

/*
 * The reset state of a vCPU: eip is VMSA_BSP_EIP for the BSP or the SEV-ES
 * reset block address for the APs; sig is the vCPU signature (RDX for QEMU).
 */
void vmsa_init_reset(struct vmsa_state *s, enum vmsa_vmm vmm, uint32_t eip, uint32_t sig,
		     uint64_t sev_features);

/* The COCONUT-SVSM entry state (flat 32-bit protected mode at rip). */
void vmsa_init_svsm(struct vmsa_state *s, uint64_t rip, uint32_t sig);

void vmsa_serialize(const struct vmsa_state *s, uint8_t page[VMSA_PAGE_SIZE]);

/*
 * Decode a page: CGS_E_MALFORMED if it is shorter than a page or a byte outside
 * the fields above is non-zero (field "reserved", with the offset).
 */
enum cgs_err vmsa_parse(const uint8_t *page, size_t len, struct vmsa_state *ret,
			struct cgs_diag *d);

#endif
