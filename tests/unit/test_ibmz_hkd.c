// SPDX-License-Identifier: MIT
/*
 * Unit tests: keys/ibmz_hkd replays the host-key-document verification matrix
 * of the C tools (vectors/s390/oracle/hkd_verify_matrix.json): the genprotimg
 * outcome with default flags, the pvattest (libpv) outcome with CRLs read from
 * the root file, and the reason text. The CLI tests cover a generated PKI.
 */
#include "tests/unit/tap.h"

#include "keys/ibmz_hkd.h"
#include "lib/core/json.h"

#define MAXA 16

struct args {
	char *k[MAXA], *c[MAXA], *crl[MAXA], *root;
	size_t nk, nc, ncrl;
};

static char *cert_path(const char *v, const char *name)
{
	char *p = malloc(strlen(v) + strlen(name) + 32);

	sprintf(p, "%s/s390/upstream/pv/cert/%s", v, name);
	return p;
}

static void parse_args(const char *v, struct json_object *arr, struct args *a)
{
	size_t n = json_object_array_length(arr);

	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < n; i++) {
		const char *o = json_object_get_string(json_object_array_get_idx(arr, i));
		const char *val = i + 1 < n ?
			json_object_get_string(json_object_array_get_idx(arr, i + 1)) : NULL;

		if (!strcmp(o, "--offline"))
			continue;
		i++;
		if (!strcmp(o, "-k") && a->nk < MAXA)
			a->k[a->nk++] = cert_path(v, val);
		else if (!strcmp(o, "-C") && a->nc < MAXA)
			a->c[a->nc++] = cert_path(v, val);
		else if (!strcmp(o, "--crl") && a->ncrl < MAXA)
			a->crl[a->ncrl++] = cert_path(v, val);
		else if (!strcmp(o, "--root-ca"))
			a->root = cert_path(v, val);
	}
}

static void free_args(struct args *a)
{
	for (size_t i = 0; i < a->nk; i++)
		free(a->k[i]);
	for (size_t i = 0; i < a->nc; i++)
		free(a->c[i]);
	for (size_t i = 0; i < a->ncrl; i++)
		free(a->crl[i]);
	free(a->root);
}

/* Returns 0 when every HKD verifies; fills d otherwise. */
static int run_case(const struct args *a, unsigned flags, struct cgs_diag *d)
{
	struct ibmz_hkd_opts o = { (const char *const *)a->c, a->nc,
				   (const char *const *)a->crl, a->ncrl, a->root, flags, 0 };
	struct ibmz_hkd_ctx *c = NULL;
	enum cgs_err err = ibmz_hkd_ctx_new(&o, &c, d);

	for (size_t i = 0; i < a->nk && !err; i++) {
		X509 *x = NULL;
		EVP_PKEY *k = NULL;

		err = ibmz_hkd_load(a->k[i], &x, &k, d);
		if (!err)
			err = ibmz_hkd_verify(c, x, d);
		if (err) {
			const char *base = strrchr(a->k[i], '/') + 1;
			char t[sizeof(d->text)];

			snprintf(t, sizeof(t), "'%s': %.200s", base, d->text);
			memcpy(d->text, t, sizeof(t));
		}
		X509_free(x);
		EVP_PKEY_free(k);
	}
	ibmz_hkd_ctx_free(c);
	return err;
}

int main(void)
{
	const char *v = tap_vectors();
	struct json_object *m, *cases;
	struct cgs_diag d;
	char path[512];
	int n = 0;

	if (!v)
		tap_skip_all("../shared/vectors not present: HKD matrix replay skipped "
			     "(tests/cli/s390_pv.bats covers a generated PKI)");
	snprintf(path, sizeof(path), "%s/s390/oracle/hkd_verify_matrix.json", v);
	if (!ok(cgs_json_read_file(path, &m, &d) == CGS_OK, "read the matrix"))
		return tap_done();
	cases = json_object_object_get(m, "cases");
	json_object_object_foreach(cases, name, c) {
		struct args a;
		const char *msg = json_object_get_string(json_object_object_get(c, "genprotimg_msg"));
		int want_g = json_object_get_int(json_object_object_get(c, "genprotimg_v2_35_rc"));
		int want_p = json_object_get_int(json_object_object_get(c, "pvattest_v2_32_rc"));
		int got;

		parse_args(v, json_object_object_get(c, "args"), &a);
		cgs_diag_clear(&d);
		got = run_case(&a, 0, &d);
		ok((got == 0) == (want_g == 0), "%s: genprotimg outcome %s", name,
		   want_g ? "reject" : "accept");
		if (want_g) {
			ok(got == CGS_E_VERIFY && strstr(msg, d.text) != NULL,
			   "%s: reason matches", name);
			if (!strstr(msg, d.text))
				printf("#   got:  %s\n#   want: %s\n", d.text, msg);
		}
		got = run_case(&a, IBMZ_HKD_CRLS_FROM_ROOT, &d);
		ok((got == 0) == (want_p == 0), "%s: pvattest (libpv) outcome %s", name,
		   want_p ? "reject" : "accept");
		free_args(&a);
		n++;
	}
	is_int(n, 31, "31 cases replayed");
	json_object_put(m);
	return tap_done();
}
