// SPDX-License-Identifier: MIT
/*
 * The public verify calls of include/cgs/s390.h and include/cgs/pef.h, on the
 * shared vectors: the C pvattest oracle response against the C genprotimg
 * header, and the svm-tool reference blob against its kernel, initrd and
 * command line. Checks the verdict objects (names, classes, results, order)
 * and the decoded evidence. Skipped visibly without ../shared/vectors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>
#include <cgs/s390.h>

#include "tests/unit/tap.h"

static const char *vec;

static const char *vpath(const char *rel)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", vec, rel);
	return p[i];
}

static int result_is(const struct cgs_verdict *v, const char *name, enum cgs_check_result r)
{
	const struct cgs_check *c = cgs_verdict_find(v, name);

	return c && c->result == r;
}

static void test_s390(void)
{
	struct cgs_s390_verify_in in = {
	    vpath("s390/oracle/pvattest-c/a1_phkh_flags/response.bin"),
	    vpath("s390/oracle/genprotimg-c/c1_basic/sehdr.bin"),
	    vpath("s390/oracle/pvattest-c/a1_phkh_flags/arpk.bin"),
	    NULL,
	    0,
	    0,
	    0,
	};
	struct cgs_s390_verify_out out;
	struct cgs_verdict v;
	struct cgs_diag d;
	enum cgs_err e;

	cgs_verdict_init(&v);
	e = cgs_s390_verify(&in, &out, &v, &d);
	ok(e == CGS_OK && cgs_verdict_verified(&v) && out.failure.err == CGS_OK,
	   "s390: the oracle response verifies");
	is_int((long long)v.n, (long long)cgs_s390_verify_n_checks, "s390: every check listed");
	for (size_t i = 0; i < v.n && i < cgs_s390_verify_n_checks; i++)
		ok(!strcmp(v.checks[i].name, cgs_s390_verify_checks[i].name) &&
		       v.checks[i].cls == cgs_s390_verify_checks[i].cls,
		   "s390: check %zu is %s with its class", i, cgs_s390_verify_checks[i].name);
	ok(result_is(&v, "measurement", CGS_CHECK_PASS) && cgs_verdict_verified(&v),
	   "s390: measurement pass, verified");
	ok(strlen(cgs_verdict_find(&v, "measurement")->expected) == 128,
	   "s390: the measurement check carries the expected value");
	ok(out.additional && out.attestation_flags, "s390: additional data decoded");
	cgs_s390_verify_out_free(&out);
	cgs_verdict_free(&v);

	in.response = vpath("s390/oracle/pvattest-c/a1_phkh_flags/response_tampered_cuid.bin");
	e = cgs_s390_verify(&in, &out, &v, &d);
	ok(e == CGS_OK && result_is(&v, "measurement", CGS_CHECK_FAIL) &&
	       result_is(&v, "image_phkh", CGS_CHECK_SKIP) && !cgs_verdict_verified(&v) &&
	       out.failure.err == CGS_E_VERIFY && !strcmp(out.failure.field, "measurement"),
	   "s390: a tampered CUID fails the measurement, the policy checks are skipped");
	cgs_s390_verify_out_free(&out);
	cgs_verdict_free(&v);

	in.arpk = vpath("s390/oracle/pvattest-c/a1_phkh_flags/nonexistent");
	e = cgs_s390_verify(&in, &out, &v, &d);
	ok(e == CGS_E_NOINPUT && v.n == 0 && out.step && !strcmp(out.step, "read") &&
	       out.input == in.arpk,
	   "s390: a missing ARPK is a missing input, named, with no verdict");
}

static void test_pef(void)
{
	struct cgs_pef_verify_in in = {
	    vpath("pef/generated/esmb-initrd.img"),
	    vpath("pef/generated/tpm-emul-privkey.pem"),
	    NULL,
	    vpath("pef/generated/tiny-vmlinux"),
	    NULL,
	    "init=/bin/sh svm=1",
	    NULL,
	};
	struct cgs_pef_verify_out out;
	struct cgs_verdict v;
	struct cgs_diag d;
	enum cgs_err e;

	cgs_verdict_init(&v);
	e = cgs_pef_verify(&in, &out, &v, &d);
	ok(e == CGS_OK && cgs_verdict_verified(&v), "pef: the reference blob verifies");
	ok(v.n == 9 && !strcmp(v.checks[0].name, "lockbox-1") &&
	       !strcmp(v.checks[7].name, "file:file-1") &&
	       !strcmp(v.checks[8].name, "file:crypttab"),
	   "pef: lockbox-1, the six main checks, then the attachments");
	ok(v.checks[0].cls == CGS_CHECK_AUTHENTICITY && v.checks[6].cls == CGS_CHECK_POLICY,
	   "pef: the lockbox is authenticity, bootargs policy");
	ok(out.initrd == in.blob && !strcmp(out.blob_kind, "initrd") && out.initrd_skipped == 4096,
	   "pef: the initramfs is the initrd, its ESM cpio skipped");
	cgs_verdict_free(&v);

	in.cmdline = "init=/bin/sh svm=on";
	e = cgs_pef_verify(&in, &out, &v, &d);
	ok(e == CGS_OK && !cgs_verdict_verified(&v) && result_is(&v, "bootargs", CGS_CHECK_FAIL) &&
	       result_is(&v, "kernel", CGS_CHECK_PASS) && !strcmp(out.failure.field, "bootargs"),
	   "pef: another command line fails bootargs only");
	cgs_verdict_free(&v);

	in.cmdline = "init=/bin/sh svm=1";
	in.tpm_key = vpath("pef/svm-tools-tests/owner-rsaprivkey");
	e = cgs_pef_verify(&in, &out, &v, &d);
	ok(e == CGS_OK && !cgs_verdict_verified(&v) && result_is(&v, "lockbox-1", CGS_CHECK_FAIL) &&
	       result_is(&v, "digests", CGS_CHECK_SKIP) && v.n == 7,
	   "pef: a key that does not open lockbox-1 fails it and skips the rest");
	cgs_verdict_free(&v);

	in.blob = vpath("pef/generated/esmb.dtb");
	e = cgs_pef_verify(&in, &out, &v, &d);
	ok(e == CGS_E_USAGE && v.n == 0, "pef: a bare blob needs an initrd");
}

int main(void)
{
	vec = tap_vectors();
	if (!vec) {
		tap_skip_all("../shared/vectors not present: library verify calls not replayed");
		return 0;
	}
	test_s390();
	test_pef();
	return tap_done();
}
