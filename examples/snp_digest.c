// SPDX-License-Identifier: MIT
/*
 * Compute the launch digest of an AMD SEV-SNP guest and print the intermediate
 * values, using only the public libcgs API (build: cc snp_digest.c
 * $(pkg-config --cflags --libs cgs)).
 *
 *   snp_digest OVMF VCPUS VCPU_TYPE [KERNEL INITRD APPEND]
 *
 * VCPU_TYPE is a QEMU vCPU model (EPYC-v4, EPYC-Milan, ...). Prints the inputs'
 * SHA-256, the firmware's page chain, the kernel-hashes table, the VMSA digests
 * and the measurement, one "name value" line each; exits with the suite's
 * exit code on an error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cgs/sev.h>

static void hex(const char *name, const unsigned char *p, size_t n)
{
	printf("%-22s ", name);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static void file(const char *name, const struct cgs_sev_measure_file *f)
{
	if (f->present)
		hex(name, f->sha256, sizeof(f->sha256));
}

int main(int argc, char **argv)
{
	struct cgs_sev_measure_inputs in;
	struct cgs_sev_measure_result *r;
	struct cgs_diag d;
	char msg[512], name[32];
	int rc = 0;

	if (argc != 4 && argc != 7) {
		fprintf(stderr, "usage: %s OVMF VCPUS VCPU_TYPE [KERNEL INITRD APPEND]\n", argv[0]);
		return 64;
	}
	cgs_sev_measure_inputs_init(&in);
	in.mode = CGS_SEV_MODE_SNP;
	in.ovmf = argv[1];
	in.vcpus = (uint32_t)strtoul(argv[2], NULL, 10);
	if (cgs_sev_vcpu_type_sig(argv[3], &in.vcpu_sig) != 0) {
		fprintf(stderr, "%s: unknown vCPU type '%s'\n", argv[0], argv[3]);
		return 64;
	}
	if (argc == 7) {
		in.kernel = argv[4];
		in.initrd = argv[5];
		in.append = argv[6];
	}
	r = calloc(1, sizeof(*r)); /* holds two VMSA pages: not for the stack */
	if (!r)
		return 1;
	if (cgs_sev_measure(&in, r, &d) != CGS_OK) {
		fprintf(stderr, "%s: failed to measure '%s': %s\n", argv[0],
			r->err_file ? r->err_file : argv[1], cgs_diag_format(&d, msg, sizeof(msg)));
		rc = cgs_err_exit(d.err);
		goto out;
	}
	printf("%-22s %s\n", "mode", cgs_sev_mode_name(r->mode));
	file("ovmf_sha256", &r->ovmf);
	file("kernel_sha256", &r->kernel);
	file("initrd_sha256", &r->initrd);
	if (r->has_cmdline)
		hex("cmdline_sha256", r->cmdline_sha256, sizeof(r->cmdline_sha256));
	if (r->has_ovmf_hash)
		hex("ovmf_hash", r->ovmf_hash, sizeof(r->ovmf_hash));
	if (r->has_hashes_table)
		hex("hashes_table", r->hashes_table, sizeof(r->hashes_table));
	printf("%-22s %llu\n", "snp_pages", (unsigned long long)r->snp_pages);
	for (size_t i = 0; i < r->n_vmsas; i++) {
		snprintf(name, sizeof(name), "vmsa_%s_x%u", r->vmsas[i].role,
			 (unsigned)r->vmsas[i].count);
		hex(name, r->vmsas[i].digest, sizeof(r->vmsas[i].digest));
	}
	hex("measurement", r->digest, r->digest_len);
out:
	free(r);
	return rc;
}
