// SPDX-License-Identifier: MIT
/*
 * --expected documents are validated, not sniffed (issue 10 items 2 and 12):
 * each refusal below is the only thing wrong with an otherwise valid
 * document, so a reader that skipped that one check would accept it.
 */
#include <string.h>

#include "lib/core/expected.h"
#include "lib/sev/sev_expected.h"
#include "lib/snp/snp_expected.h"
#include "tests/unit/tap.h"

#define M48 "\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f\""
#define M32 "\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\""
#define SNP_DOC(tool, alg, extra) \
	"{\"schema_version\": 1, \"tool\": \"" tool "\", \"mode\": \"snp\", \"digest_alg\": \"" alg \
	"\", \"measurement\": " M48 extra "}"
#define SEV_DOC(alg, extra) \
	"{\"schema_version\": 1, \"tool\": \"cgs-measure\", \"mode\": \"sev\", \"digest_alg\": \"" \
	alg "\", \"measurement\": " M32 extra "}"

/* parse: the error code; *field and *text get the diagnostic */
static enum cgs_err parse(const struct cgs_expected_schema *s, const char *text, struct cgs_diag *d)
{
	struct cgs_expected_set set;
	enum cgs_err e;

	memset(d, 0, sizeof(*d));
	e = cgs_expected_parse(text, strlen(text), s, &set, d);
	if (!e)
		cgs_expected_free(&set);
	return e;
}

static void refused(const struct cgs_expected_schema *s, const char *text, const char *field,
		    const char *says, const char *what)
{
	struct cgs_diag d;

	is_int(parse(s, text, &d), CGS_E_MALFORMED, what);
	ok(!strcmp(d.field, field) && strstr(d.text, says) != NULL,
	   "%s: names '%s' and says '%s' (got '%s': %s)", what, field, says, d.field, d.text);
}

int main(void)
{
	const struct cgs_expected_schema *snp = &snp_expected_schema, *sev = &sev_expected_schema;
	struct cgs_diag d;

	/* the controls: the same documents with the one defect removed are accepted */
	is_int(parse(snp, SNP_DOC("cgs-measure", "sha384", ", \"inputs\": {}"), &d), CGS_OK,
	       "control: a valid SNP document");
	is_int(parse(sev, SEV_DOC("sha256", ", \"intermediate\": {}"), &d), CGS_OK,
	       "control: a valid SEV document");
	refused(snp, SNP_DOC("sevctl", "sha384", ""), "tool", "is not cgs-measure",
		"a document of another tool");
	refused(snp, SNP_DOC("cgs-verify", "sha384", ""), "tool", "verdict",
		"a cgs-verify verdict, with the fields of a measurement");
	refused(snp, SNP_DOC("cgs-measure", "sha256", ""), "digest_alg", "sha384",
		"an SNP document with digest_alg sha256");
	refused(sev, SEV_DOC("sha384", ""), "digest_alg", "sha256",
		"a SEV document with digest_alg sha384");
	refused(snp, SNP_DOC("cgs-measure", "sha384", ", \"inputs\": []"), "inputs", "",
		"inputs as an array");
	refused(sev, SEV_DOC("sha256", ", \"intermediate\": \"x\""), "intermediate", "",
		"intermediate as a string");
	return tap_done();
}
