// SPDX-License-Identifier: MIT
/*
 * LAUNCH_MEASURE: the sev-launch-measure vectors (sevctl's expectations and
 * virtee/sev's test) when ../shared/vectors is present, and the blob parser's
 * accept/reject paths always.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/cli.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/sev/sev_launch.h"
#include "tests/unit/tap.h"

static int get_params(struct json_object *o, const char *kbuild, const char *kdigest,
		      struct sev_launch_params *p)
{
	uint64_t maj, min, build, policy;
	const char *pol;

	if (cgs_json_get_u64(o, "api_major", &maj) || cgs_json_get_u64(o, "api_minor", &min) ||
	    cgs_json_get_u64(o, kbuild, &build) || cgs_json_get_hex(o, kdigest, p->digest, 32) ||
	    cgs_json_get_hex(o, "mnonce", p->mnonce, 16))
		return -1;
	if (cgs_json_get_str(o, "policy", &pol) == 0) {
		if (cgs_parse_u64(pol, &policy))
			return -1;
	} else if (cgs_json_get_u64(o, "policy", &policy)) {
		return -1;
	}
	p->api_major = (uint8_t)maj;
	p->api_minor = (uint8_t)min;
	p->build = (uint8_t)build;
	p->policy = (uint32_t)policy;
	return 0;
}

static void check_record(struct json_object *o)
{
	struct sev_launch_params p;
	struct sev_launch_blob blob;
	struct cgs_diag d;
	uint8_t tik[16], in[56], want_in[56], mac[32], want[32];
	const char *id = "?", *b64;
	int match = -1;

	cgs_json_get_str(o, "id", &id);
	if (!ok(get_params(o, "build_id", "launch_digest", &p) == 0 &&
		    cgs_json_get_hex(o, "tik_hex", tik, 16) == 0 &&
		    cgs_json_get_hex(o, "hmac_input_hex", want_in, 56) == 0 &&
		    cgs_json_get_hex(o, "measure_hex", want, 32) == 0 &&
		    cgs_json_get_str(o, "blob_base64", &b64) == 0,
		"%s: record readable", id))
		return;
	sev_launch_input(&p, in);
	is_mem(in, want_in, 56, "HMAC input matches the vector");
	ok(sev_launch_measure(tik, 16, &p, mac, &d) == CGS_OK, "%s: measure computed", id);
	is_mem(mac, want, 32, "MEASURE matches the vector");
	ok(sev_launch_blob_parse((const uint8_t *)b64, strlen(b64), &blob, &d) == CGS_OK,
	   "%s: base64 blob parses", id);
	is_mem(blob.mnonce, p.mnonce, 16, "blob carries the vector's MNONCE");
	memset(p.mnonce, 0, 16);
	ok(sev_launch_verify(tik, 16, &p, &blob, &match, NULL, &d) == CGS_OK && match == 1,
	   "%s: blob verifies", id);
	p.policy ^= 1;
	ok(sev_launch_verify(tik, 16, &p, &blob, &match, NULL, &d) == CGS_OK && match == 0,
	   "%s: another policy does not verify", id);
}

static void test_vectors(const char *vec)
{
	char path[4096], line[65536];
	FILE *f;
	int n = 0;
	struct json_object *o;
	struct sev_launch_params p;
	uint8_t tik[16], mac[32], want[32];
	struct cgs_diag d;

	snprintf(path, sizeof(path), "%s/sev/vectors.jsonl", vec);
	f = fopen(path, "r");
	if (!ok(f != NULL, "open %s", path))
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *mode;

		if (!strstr(line, "\"sev-launch-measure\""))
			continue;
		if (cgs_json_parse(line, strlen(line), &o, &d) != CGS_OK)
			continue;
		if (cgs_json_get_str(o, "mode", &mode) == 0 && !strcmp(mode, "sev-launch-measure")) {
			check_record(o);
			n++;
		}
		json_object_put(o);
	}
	fclose(f);
	is_int(n, 8, "all 8 sev-launch-measure records replayed");

	snprintf(path, sizeof(path), "%s/snp/legacy-sev/launch_measure_vector.json", vec);
	if (!ok(cgs_json_read_file(path, &o, &d) == CGS_OK, "virtee/sev vector readable"))
		return;
	ok(get_params(o, "build", "ld_digest", &p) == 0 && cgs_json_get_hex(o, "tik", tik, 16) == 0 &&
		   cgs_json_get_hex(o, "expected_measure", want, 32) == 0,
	   "virtee/sev vector fields");
	ok(sev_launch_measure(tik, 16, &p, mac, &d) == CGS_OK, "virtee/sev vector measured");
	is_mem(mac, want, 32, "virtee/sev MEASURE matches");
	json_object_put(o);
}

static void test_parse(void)
{
	struct sev_launch_blob b;
	struct cgs_diag d;
	uint8_t raw[48], out[48];
	char b64[80];
	struct sev_launch_params p = { 0 };
	uint8_t tik[17] = { 0 }, mac[32];

	for (int i = 0; i < 48; i++)
		raw[i] = (uint8_t)(i * 7 + 1);
	ok(sev_launch_blob_parse(raw, 48, &b, &d) == CGS_OK, "48 raw bytes parse");
	sev_launch_blob_serialize(&b, out);
	is_mem(out, raw, 48, "raw blob round trip");
	cgs_base64_encode(raw, 48, b64);
	strcat(b64, "\n");
	ok(sev_launch_blob_parse((uint8_t *)b64, strlen(b64), &b, &d) == CGS_OK,
	   "base64 with a newline parses");
	sev_launch_blob_serialize(&b, out);
	is_mem(out, raw, 48, "base64 blob round trip");
	ok(sev_launch_blob_parse(raw, 47, &b, &d) == CGS_E_MALFORMED, "47 raw bytes refused");
	cgs_base64_encode(raw, 47, b64);
	ok(sev_launch_blob_parse((uint8_t *)b64, strlen(b64), &b, &d) == CGS_E_MALFORMED &&
		   strstr(d.text, "decodes to 47 bytes"),
	   "base64 of 47 bytes refused: %s", d.text);
	ok(sev_launch_blob_parse((const uint8_t *)"abc*", 4, &b, &d) == CGS_E_MALFORMED,
	   "bad base64 alphabet refused");
	ok(sev_launch_blob_parse((const uint8_t *)"abcde", 5, &b, &d) == CGS_E_MALFORMED &&
		   strstr(d.text, "invalid base64"),
	   "bad base64 length refused");
	ok(sev_launch_measure(tik, 17, &p, mac, &d) == CGS_E_MALFORMED && !strcmp(d.field, "tik"),
	   "a 17-byte TIK is refused");
	ok(sev_launch_measure(tik, 15, &p, mac, &d) == CGS_E_MALFORMED, "a 15-byte TIK is refused");
}

int main(void)
{
	const char *vec = tap_vectors();

	test_parse();
	if (vec)
		test_vectors(vec);
	else
		printf("# ../shared/vectors not present: vector replay skipped\n");
	return tap_done();
}
