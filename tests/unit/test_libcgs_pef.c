// SPDX-License-Identifier: MIT
/*
 * The PEF calls of include/cgs/pef.h, one after the other as a user would:
 * keygen (both files or neither), build (lockboxes in order, a recipient named
 * twice refused, nothing written), verify with the TPM key, revoke lockbox-1
 * and authorize again (it comes back as lockbox-1 and verifies), info. The
 * kernel and initrd are the small ones of ../shared/vectors (skipped
 * visibly without them); the keys are made here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cgs/pef.h>

#include "tests/unit/tap.h"

static char dir[] = "/tmp/cgs-test-pef-XXXXXX";
static const char *vec;

static const char *tmp(const char *name)
{
	static char p[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static const char *vpath(const char *name)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/pef/generated/%s", vec, name);
	return p[i];
}

static void keys(void)
{
	static const char *const names[3] = {"owner", "tpm", "r3"};
	const char *failed = NULL;
	struct cgs_diag d;
	struct stat st;
	int good = 1;

	for (int i = 0; i < 3; i++) {
		char priv[64], pub[64];

		snprintf(priv, sizeof(priv), "%s.key", names[i]);
		snprintf(pub, sizeof(pub), "%s.pub", names[i]);
		good &= cgs_pef_keygen(tmp(priv), tmp(pub), NULL, 2048, 0, &failed, &d) == CGS_OK;
	}
	ok(good && !stat(tmp("owner.key"), &st) && (st.st_mode & 077) == 0,
	   "keygen: three key pairs, the private keys mode 0600");
	ok(cgs_pef_keygen(tmp("x.key"), "/nonexistent-dir/x.pub", NULL, 2048, 0, &failed, &d) !=
		   CGS_OK &&
	       access(tmp("x.key"), F_OK) != 0,
	   "keygen: a public key that cannot be written leaves no private key");
}

static void build(void)
{
	struct cgs_pef_recipient r[2] = {{tmp("tpm.pub"), "tpm"}, {tmp("r3.pub"), "r3"}};
	struct cgs_pef_build_in in = {
	    .owner_key = tmp("owner.key"),
	    .recipients = r,
	    .n_recipients = 2,
	    .kernel = vpath("tiny-vmlinux"),
	    .initrd = vpath("tiny-initrd.img"),
	    .cmdline = "init=/bin/sh",
	    .attach_to = CGS_PEF_ATTACH_NONE,
	    .output = tmp("blob.dtb"),
	};
	struct cgs_pef_build_out out;
	struct cgs_diag d;

	is_int(cgs_pef_build(&in, &out, &d), CGS_OK, "build: a blob for two recipients");
	ok(out.blob.n_lockboxes == 3 && !strcmp(out.blob.lockboxes[0].name, "origin-lockbox") &&
	       !strcmp(out.blob.lockboxes[1].name, "lockbox-1") &&
	       !strcmp(out.blob.lockboxes[2].name, "lockbox-2") && out.blob.has_digests,
	   "build: origin, lockbox-1 (the TPM), lockbox-2, sealed digests");
	ok(out.warnings & CGS_PEF_WARN_NO_SVM, "build: the missing svm=on is reported");
	cgs_pef_blob_info_free(&out.blob);
	r[1].pubkey = tmp("tpm.pub");
	in.output = tmp("dup.dtb");
	ok(cgs_pef_build(&in, &out, &d) == CGS_E_MALFORMED && strstr(d.text, "named twice") &&
	       access(tmp("dup.dtb"), F_OK) != 0,
	   "build: a recipient named twice is refused, nothing written");
}

static enum cgs_err verify(const char *key)
{
	struct cgs_pef_verify_in in = {
	    tmp("blob.dtb"), key, NULL, vpath("tiny-vmlinux"), vpath("tiny-initrd.img"),
	    "init=/bin/sh",  NULL};
	struct cgs_pef_verify_out out;
	struct cgs_verdict v;
	struct cgs_diag d;
	enum cgs_err e;

	cgs_verdict_init(&v);
	e = cgs_pef_verify(&in, &out, &v, &d);
	if (!e && !cgs_verdict_verified(&v))
		e = CGS_E_VERIFY;
	cgs_verdict_free(&v);
	return e;
}

static void edit(void)
{
	struct cgs_pef_edit_in in = {
	    tmp("blob.dtb"), tmp("r.dtb"), 0, tmp("owner.key"), NULL, NULL, NULL, "lockbox-1"};
	struct cgs_pef_edit_out out;
	struct cgs_pef_blob_info info;
	struct cgs_diag d;

	is_int(verify(tmp("tpm.key")), CGS_OK, "verify: the TPM key opens lockbox-1");
	ok(cgs_pef_revoke(&in, &out, &d) == CGS_OK && !strcmp(out.lockbox, "lockbox-1") &&
	       (out.warnings & CGS_PEF_WARN_NO_LOCKBOX_1),
	   "revoke: lockbox-1 goes, with the warning");
	in = (struct cgs_pef_edit_in){tmp("r.dtb"), tmp("a.dtb"),   0,	     tmp("r3.key"),
				      NULL,	    tmp("tpm.pub"), "again", NULL};
	ok(cgs_pef_authorize(&in, &out, &d) == CGS_E_MALFORMED && access(tmp("a.dtb"), F_OK),
	   "authorize: a key that is not the owner's is refused");
	in.owner_key = tmp("owner.key");
	ok(cgs_pef_authorize(&in, &out, &d) == CGS_OK && !strcmp(out.lockbox, "lockbox-1"),
	   "authorize: the new lockbox is lockbox-1 again");
	rename(tmp("a.dtb"), tmp("blob.dtb"));
	is_int(verify(tmp("tpm.key")), CGS_OK, "verify: the blob boots again");
	ok(cgs_pef_info(tmp("blob.dtb"), &info, &d) == CGS_OK && info.has_lockbox_1 &&
	       info.n_lockboxes == 3 && !strcmp(info.lockboxes[2].name, "lockbox-1") &&
	       !strcmp(info.lockboxes[2].comment, "again") && !strcmp(info.kind, "blob"),
	   "info: three lockboxes, lockbox-1 last with its comment");
	cgs_pef_blob_info_free(&info);
}

int main(void)
{
	static const char *const files[] = {"owner.key", "owner.pub", "tpm.key",  "tpm.pub",
					    "r3.key",	 "r3.pub",    "blob.dtb", "r.dtb"};

	vec = tap_vectors();
	if (!vec) {
		tap_skip_all(
		    "../shared/vectors not present: the PEF library calls need its kernel");
		return 0;
	}
	if (!mkdtemp(dir)) {
		tap_skip_all("cannot make a temporary folder");
		return 0;
	}
	keys();
	build();
	edit();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(tmp(files[i]));
	rmdir(dir);
	return tap_done();
}
