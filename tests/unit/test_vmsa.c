// SPDX-License-Identifier: MIT
#include <string.h>

#include "formats/vmsa.h"
#include "lib/core/endian.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

int main(void)
{
	struct vmsa_state s, back;
	uint8_t page[VMSA_PAGE_SIZE], *want;
	struct cgs_diag d;
	size_t len;

	vmsa_init_reset(&s, VMSA_VMM_QEMU, 0x80b004, 0x00a00f11, 0x1);
	vmsa_serialize(&s, page);
	is_int(cgs_le64(page + 0x18), 0x800000, "AP CS.base = EIP & 0xffff0000");
	is_int(cgs_le64(page + 0x178), 0xb004, "AP RIP = EIP & 0xffff");
	is_int(cgs_le16(page + 0x12), 0x9b, "CS attrib 0x9b");
	is_int((long long)cgs_le64(page + 0x268), 0x0007040600070406ll, "G_PAT");
	is_int(cgs_le64(page + 0x310), 0xa00f11, "RDX = vCPU signature");
	is_int(cgs_le32(page + 0x408), 0x1f80, "MXCSR (KVM_SEV_INIT2)");
	is_int(cgs_le16(page + 0x410), 0x37f, "x87 FCW");
	ok(vmsa_parse(page, sizeof(page), &back, NULL) == CGS_OK && back.rip == 0xb004 &&
		   back.sev_features == 1, "parse back");
	page[0x800] = 1;
	ok(vmsa_parse(page, sizeof(page), &back, &d) == CGS_E_MALFORMED && d.offset == 0x800,
	   "unexpected non-zero byte located");
	ok(vmsa_parse(page, 100, &back, &d) == CGS_E_MALFORMED, "short page");
	vmsa_init_reset(&s, VMSA_VMM_EC2, VMSA_BSP_EIP, 0xa00f11, 1);
	ok(s.cs.attrib == 0x9a && s.ss.attrib == 0x92 && s.tr.attrib == 0x83 && s.rdx == 0x600 &&
		   s.mxcsr == 0, "ec2 BSP");
	vmsa_init_reset(&s, VMSA_VMM_EC2, 0x80b004, 0, 1);
	ok(s.cs.attrib == 0x9b, "ec2 AP keeps CS attrib 0x9b");
	vmsa_init_reset(&s, VMSA_VMM_GCE, VMSA_BSP_EIP, 0xa00f11, 1);
	ok(s.g_pat == 0x00070106 && s.rdx == 0x600 && s.x87_fcw == 0, "gce");
	vmsa_init_svsm(&s, 0xffe00040, 0);
	ok(s.cs.attrib == 0xc9b && s.cs.limit == 0xffffffff && s.cr0 == 0x11 &&
		   s.mxcsr == 0x1f80 && s.x87_fcw == 0 && s.sev_features == 1, "svsm entry state");

	/* sevctl's vmsa0.bin (EPYC-Milan, SEV-ES, pre-INIT2): ours minus MXCSR/FCW */
	want = sv_slurp("vmsa0.bin", &len);
	if (!want) {
		ok(1, "# SKIP ../shared/vectors not present");
		return tap_done();
	}
	vmsa_init_reset(&s, VMSA_VMM_QEMU, VMSA_BSP_EIP, 0x00a00f11, 0);
	s.mxcsr = 0;
	s.x87_fcw = 0;
	vmsa_serialize(&s, page);
	ok(len == VMSA_PAGE_SIZE && !memcmp(page, want, VMSA_PAGE_SIZE),
	   "BSP page equals sevctl's vmsa0.bin");
	free(want);
	want = sv_slurp("vmsa1.bin", &len);
	vmsa_init_reset(&s, VMSA_VMM_QEMU, 0x80b004, 0x00a00f11, 0);
	s.mxcsr = 0;
	s.x87_fcw = 0;
	vmsa_serialize(&s, page);
	ok(want && len == VMSA_PAGE_SIZE && !memcmp(page, want, VMSA_PAGE_SIZE),
	   "AP page equals sevctl's vmsa1.bin");
	ok(want && vmsa_parse(want, len, &back, NULL) == CGS_OK && back.cs.base == 0x800000,
	   "sevctl's AP page parses");
	free(want);
	return tap_done();
}
