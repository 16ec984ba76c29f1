// SPDX-License-Identifier: MIT
/*
 * Verify an AMD SEV-SNP attestation report with a policy, using only the
 * public libcgs API (build: cc snp_verify.c $(pkg-config --cflags --libs cgs)).
 *
 *   snp_verify REPORT VCEK CERT_CHAIN ARK [CRL] [NAME=VALUE]...
 *
 * VCEK is the chip's certificate, CERT_CHAIN the ASK and ARK, ARK the root to
 * trust (a test PKI's; without it the library trusts AMD's pinned roots), CRL
 * the ARK's revocation list ("-" for none). NAME=VALUE set the policy, named
 * as the options of cgs-verify snp: vmpl=0, min-tcb=bl=3,snp=8, report-data=HEX,
 * policy-max=0x30000, ... Prints every check; exits 0 when the report is
 * verified, 2 when it is not, or the suite's exit code on an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cgs/snp.h>

static unsigned char *read_all(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	for (;;) {
		if (len == cap) {
			unsigned char *p = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!p || cap > (1u << 20))
				break;
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	*ret_len = len;
	return buf;
}

/* "name=value" (or "name" for the flags) into the policy; the strings stay in argv */
static int set_policy(struct cgs_snp_policy *p, char *arg, struct cgs_diag *d)
{
	char *eq = strchr(arg, '=');

	if (eq)
		*eq = '\0';
	return cgs_snp_policy_set(p, arg, eq ? eq + 1 : NULL, d);
}

int main(int argc, char **argv)
{
	struct cgs_snp_inputs in;
	struct cgs_snp_policy policy;
	struct cgs_snp_result res;
	struct cgs_diag d;
	char msg[512];
	const char *vcek, *chain, *crl;
	unsigned char *report;
	size_t len = 0;
	int i, rc;

	if (argc < 5) {
		fprintf(stderr, "usage: %s REPORT VCEK CERT_CHAIN ARK [CRL] [NAME=VALUE]...\n",
			argv[0]);
		return 64;
	}
	report = read_all(argv[1], &len);
	if (!report) {
		fprintf(stderr, "%s: cannot read '%s'\n", argv[0], argv[1]);
		return 66;
	}
	memset(&in, 0, sizeof(in));
	memset(&policy, 0, sizeof(policy));
	memset(&res, 0, sizeof(res));
	vcek = argv[2];
	chain = argv[3];
	crl = argc > 5 && !strchr(argv[5], '=') ? argv[5] : NULL;
	in.report = report;
	in.report_len = len;
	in.vcek = &vcek;
	in.n_vcek = 1;
	in.cert_chain = &chain;
	in.n_cert_chain = 1;
	in.trusted_ark = argv[4];
	if (crl && strcmp(crl, "-")) {
		in.crl = &crl;
		in.n_crl = 1;
	}
	policy.at = (int64_t)time(NULL);
	for (i = crl ? 6 : 5; i < argc; i++) {
		if (set_policy(&policy, argv[i], &d) != CGS_OK) {
			fprintf(stderr, "%s: %s\n", argv[0], cgs_diag_format(&d, msg, sizeof(msg)));
			free(report);
			return cgs_err_exit(d.err);
		}
	}
	if (cgs_snp_verify(&in, &policy, &res, &d) != CGS_OK) {
		fprintf(stderr, "%s: failed to %s '%s': %s\n", argv[0],
			res.err_action ? res.err_action : "verify",
			res.err_path ? res.err_path : argv[1], cgs_diag_format(&d, msg, sizeof(msg)));
		rc = cgs_err_exit(d.err);
	} else {
		for (size_t k = 0; k < res.verdict.n; k++) {
			const struct cgs_check *c = &res.verdict.checks[k];

			printf("%-4s  %-20s %s\n", cgs_check_result_str(c->result), c->name, c->reason);
		}
		printf("%s\n", res.verified ? "VERIFIED" : "NOT VERIFIED");
		rc = res.verified ? 0 : 2;
	}
	cgs_snp_result_free(&res);
	free(report);
	return rc;
}
