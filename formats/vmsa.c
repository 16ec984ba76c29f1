// SPDX-License-Identifier: MIT
#include "formats/vmsa.h"

#include <stddef.h>
#include <string.h>

#include "lib/core/endian.h"

/* field offsets in the save area */
enum {
	OFF_SEGS = 0x000, /* es cs ss ds fs gs gdtr ldtr idtr tr, 16 bytes each */
	OFF_EFER = 0x0d0,
	OFF_CR4 = 0x148,
	OFF_CR0 = 0x158,
	OFF_DR7 = 0x160,
	OFF_DR6 = 0x168,
	OFF_RFLAGS = 0x170,
	OFF_RIP = 0x178,
	OFF_G_PAT = 0x268,
	OFF_RDX = 0x310,
	OFF_SEV_FEATURES = 0x3b0,
	OFF_XCR0 = 0x3e8,
	OFF_MXCSR = 0x408,
	OFF_X87_FCW = 0x410,
};

#define PAT_DEFAULT 0x0007040600070406ull

static struct vmsa_seg seg(uint16_t sel, uint16_t attrib, uint32_t limit, uint64_t base)
{
	struct vmsa_seg s = { sel, attrib, limit, base };

	return s;
}

static void init_common(struct vmsa_state *s)
{
	memset(s, 0, sizeof(*s));
	s->es = s->ds = s->fs = s->gs = seg(0, 0x93, 0xffff, 0);
	s->gdtr = s->idtr = seg(0, 0, 0xffff, 0);
	s->ldtr = seg(0, 0x82, 0xffff, 0);
	s->efer = 0x1000;
	s->cr4 = 0x40;
	s->cr0 = 0x10;
	s->dr7 = 0x400;
	s->dr6 = 0xffff0ff0;
	s->rflags = 0x2;
	s->xcr0 = 0x1;
	s->g_pat = PAT_DEFAULT;
}

void vmsa_init_reset(struct vmsa_state *s, enum vmsa_vmm vmm, uint32_t eip, uint32_t sig,
		     uint64_t sev_features)
{
	int ec2 = vmm == VMSA_VMM_EC2 || vmm == VMSA_VMM_EC2_LEGACY;

	init_common(s);
	s->cs = seg(0xf000, 0x9b, 0xffff, eip & 0xffff0000u);
	s->ss = seg(0, 0x93, 0xffff, 0);
	s->tr = seg(0, 0x8b, 0xffff, 0);
	s->rip = eip & 0xffff;
	s->sev_features = sev_features;
	switch (vmm) {
	case VMSA_VMM_QEMU:
		s->rdx = sig;
		s->mxcsr = 0x1f80;
		s->x87_fcw = 0x37f;
		break;
	case VMSA_VMM_GCE:
		s->rdx = 0x600;
		s->g_pat = 0x00070106;
		break;
	default:
		s->rdx = vmm == VMSA_VMM_EC2 ? 0x600 : 0;
		break;
	}
	if (ec2) {
		if (eip == VMSA_BSP_EIP)
			s->cs.attrib = 0x9a;
		s->ss.attrib = 0x92;
		s->tr.attrib = 0x83;
	}
}

void vmsa_init_svsm(struct vmsa_state *s, uint64_t rip, uint32_t sig)
{
	init_common(s);
	s->es = s->ss = s->ds = s->fs = seg(0x10, 0xc93, 0xffffffff, 0);
	s->cs = seg(0x08, 0xc9b, 0xffffffff, 0);
	s->tr = seg(0, 0x8b, 0xffff, 0);
	s->cr0 = 0x11;
	s->rip = rip;
	s->rdx = sig;
	s->sev_features = 0x1;
	s->mxcsr = 0x1f80;
	s->x87_fcw = 0; /* upstream quirk: the SVSM VMSA keeps FCW 0 */
}

static const struct vmsa_seg *segs_const(const struct vmsa_state *s, int i)
{
	const struct vmsa_seg *t[] = { &s->es,   &s->cs,   &s->ss,   &s->ds,   &s->fs,
				       &s->gs,   &s->gdtr, &s->ldtr, &s->idtr, &s->tr };
	return t[i];
}

static struct vmsa_seg *segs_mut(struct vmsa_state *s, int i)
{
	struct vmsa_seg *t[] = { &s->es, &s->cs,   &s->ss,   &s->ds,   &s->fs,
				 &s->gs, &s->gdtr, &s->ldtr, &s->idtr, &s->tr };
	return t[i];
}

static const struct {
	size_t off;
	size_t field; /* offsetof in struct vmsa_state */
} u64_fields[] = {
	{ OFF_EFER, offsetof(struct vmsa_state, efer) },
	{ OFF_CR4, offsetof(struct vmsa_state, cr4) },
	{ OFF_CR0, offsetof(struct vmsa_state, cr0) },
	{ OFF_DR7, offsetof(struct vmsa_state, dr7) },
	{ OFF_DR6, offsetof(struct vmsa_state, dr6) },
	{ OFF_RFLAGS, offsetof(struct vmsa_state, rflags) },
	{ OFF_RIP, offsetof(struct vmsa_state, rip) },
	{ OFF_G_PAT, offsetof(struct vmsa_state, g_pat) },
	{ OFF_RDX, offsetof(struct vmsa_state, rdx) },
	{ OFF_SEV_FEATURES, offsetof(struct vmsa_state, sev_features) },
	{ OFF_XCR0, offsetof(struct vmsa_state, xcr0) },
};

#define N_U64 (sizeof(u64_fields) / sizeof(u64_fields[0]))

void vmsa_serialize(const struct vmsa_state *s, uint8_t page[VMSA_PAGE_SIZE])
{
	memset(page, 0, VMSA_PAGE_SIZE);
	for (int i = 0; i < 10; i++) {
		const struct vmsa_seg *g = segs_const(s, i);
		uint8_t *p = page + OFF_SEGS + 16 * i;

		cgs_put_le16(p, g->selector);
		cgs_put_le16(p + 2, g->attrib);
		cgs_put_le32(p + 4, g->limit);
		cgs_put_le64(p + 8, g->base);
	}
	for (size_t i = 0; i < N_U64; i++) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)s + u64_fields[i].field, sizeof(v));
		cgs_put_le64(page + u64_fields[i].off, v);
	}
	cgs_put_le32(page + OFF_MXCSR, s->mxcsr);
	cgs_put_le16(page + OFF_X87_FCW, s->x87_fcw);
}

enum cgs_err vmsa_parse(const uint8_t *page, size_t len, struct vmsa_state *ret,
			struct cgs_diag *d)
{
	struct vmsa_state s;
	uint8_t again[VMSA_PAGE_SIZE];

	if (len < VMSA_PAGE_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "vmsa", len,
				    "VMSA truncated (%zu of %d bytes)", len, VMSA_PAGE_SIZE);
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 10; i++) {
		struct vmsa_seg *g = segs_mut(&s, i);
		const uint8_t *p = page + OFF_SEGS + 16 * i;

		g->selector = cgs_le16(p);
		g->attrib = cgs_le16(p + 2);
		g->limit = cgs_le32(p + 4);
		g->base = cgs_le64(p + 8);
	}
	for (size_t i = 0; i < N_U64; i++) {
		uint64_t v = cgs_le64(page + u64_fields[i].off);

		memcpy((uint8_t *)&s + u64_fields[i].field, &v, sizeof(v));
	}
	s.mxcsr = cgs_le32(page + OFF_MXCSR);
	s.x87_fcw = cgs_le16(page + OFF_X87_FCW);
	/* every byte not covered by a known field must be zero */
	vmsa_serialize(&s, again);
	for (size_t i = 0; i < VMSA_PAGE_SIZE; i++)
		if (again[i] != page[i])
			return cgs_diag_set(d, CGS_E_MALFORMED, "reserved", i,
					    "VMSA byte not modelled by a launch VMSA is non-zero");
	*ret = s;
	return CGS_OK;
}
