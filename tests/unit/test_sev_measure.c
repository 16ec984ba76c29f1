// SPDX-License-Identifier: MIT
#include <string.h>

#include "lib/sev/sev_measure.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

static void names(void)
{
	uint32_t sig = 0;
	enum cgs_sev_mode m;
	enum cgs_sev_vmm v;
	size_t n = 0;

	is_int(cgs_sev_cpu_sig(14, 1, 2), 0xe12, "family 14 model 1 stepping 2 (spec)");
	ok(!cgs_sev_vcpu_type_sig("EPYC-Turin", &sig) && sig == 0x00b00f00, "EPYC-Turin");
	ok(!cgs_sev_vcpu_type_sig("EPYC-Genoa-v1", &sig) && sig == 0x00a10f10, "EPYC-Genoa-v1");
	ok(!cgs_sev_vcpu_type_sig("EPYC-Rome-v3", &sig) && sig == 0x00830f10, "EPYC-Rome-v3");
	ok(!cgs_sev_vcpu_type_sig("EPYC-IBPB", &sig) && sig == 0x00800f12, "EPYC-IBPB");
	ok(cgs_sev_vcpu_type_sig("EPYC-Milan-v3", &sig) == -1, "QEMU-only names rejected");
	while (cgs_sev_vcpu_type_name(n))
		n++;
	is_int((long long)n, 16, "16 vCPU types, as sev-snp-measure 0.0.13");
	ok(!cgs_sev_mode_parse("snp:ovmf-hash", &m) && m == CGS_SEV_MODE_SNP_OVMF_HASH, "mode");
	ok(cgs_sev_mode_parse("SNP", &m) == -1, "modes are case-sensitive");
	ok(cgs_sev_vmm_parse("qemu", &v) == -1 && !cgs_sev_vmm_parse("gce", &v),
	   "VMM names as the oracle");
}

static void engine(void)
{
	struct cgs_sev_measure_inputs in;
	struct cgs_sev_measure_result *r = calloc(1, sizeof(*r));
	uint8_t want[48];
	struct cgs_diag d;
	char ovmf[4096];

	if (!sv_input("bookworm_OVMF.fd")) {
		ok(1, "# SKIP ../shared/vectors not present");
		free(r);
		return;
	}
	snprintf(ovmf, sizeof(ovmf), "%s", sv_input("bookworm_OVMF.fd"));
	cgs_sev_measure_inputs_init(&in);
	in.vcpus = 1;
	in.vcpu_sig = 0x800f12;
	in.ovmf = ovmf;
	ok(cgs_sev_measure(&in, r, &d) == CGS_OK, "deb-snp-001 through the API");
	ok(sv_hex("deb-snp-001", "digest", want, 48) == 0, "vector");
	is_mem(r->digest, want, 48, "digest");
	ok(r->digest_len == 48 && r->n_vmsas == 1 && r->vmsas[0].count == 1 &&
		   r->snp_pages == 512 + 9 + 3 + 1 + 1 + 17 + 1, "intermediate counts");
	ok(sv_hex("deb-snp_ovmf-hash-001", "digest", want, 48) == 0 &&
		   !memcmp(r->ovmf_hash, want, 48), "OVMF hash = snp:ovmf-hash vector");
	in.mode = CGS_SEV_MODE_SEV;
	in.kernel = ovmf; /* any file: bookworm has no hashes table */
	ok(cgs_sev_measure(&in, r, &d) == CGS_E_UNSUPPORTED && r->err_file == ovmf &&
		   !strcmp(d.field, "SEV_HASH_TABLE_RV"), "kernel refused, firmware named");
	in.kernel = NULL;
	/* sevctl's VMSA files through the API (vector sevctl-launch-measure-004) */
	{
		char v0[4096], v1[4096], fw[4096];

		snprintf(v0, sizeof(v0), "%s", sv_input("vmsa0.bin"));
		snprintf(v1, sizeof(v1), "%s", sv_input("vmsa1.bin"));
		snprintf(fw, sizeof(fw), "%s",
			 sv_input("OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"));
		in.mode = CGS_SEV_MODE_SEV_ES;
		in.vcpus = 4;
		in.ovmf = fw;
		in.vmsa_files[0] = v0;
		in.vmsa_files[1] = v1;
		ok(cgs_sev_measure(&in, r, &d) == CGS_OK, "seves with VMSA files");
		ok(sv_hex("sevctl-launch-measure-004", "launch_digest", want, 32) == 0 &&
			   !memcmp(r->digest, want, 32), "sevctl's SEV-ES launch digest");
		in.vmsa_files[1] = fw; /* one page, but not a VMSA: accepted as bytes */
		in.vmsa_files[0] = ovmf; /* 2 MiB: not a page */
		ok(cgs_sev_measure(&in, r, &d) == CGS_E_MALFORMED && r->err_file == ovmf,
		   "a VMSA file that is not one page is refused");
		in.vmsa_files[0] = in.vmsa_files[1] = NULL;
		in.mode = CGS_SEV_MODE_SEV;
		in.vcpus = 1;
	}
	in.ovmf = "/nonexistent/OVMF.fd";
	ok(cgs_sev_measure(&in, r, &d) == CGS_E_NOINPUT && r->err_file == in.ovmf, "missing file");
	free(r);
}

int main(void)
{
	names();
	engine();
	return tap_done();
}
