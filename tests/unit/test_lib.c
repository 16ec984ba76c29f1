// SPDX-License-Identifier: MIT
/* Unit tests of the lib/ helpers: hex, base64, GUIDs, numbers, diagnostics, I/O, JSON, digests. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/core/buf.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/err.h"
#include "lib/core/exit.h"
#include "lib/core/guid.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "tests/unit/tap.h"

static void test_hex(void)
{
	uint8_t b[4] = { 0xde, 0xad, 0x00, 0x0f }, out[4];
	char s[9];
	size_t n;

	cgs_hex_encode(b, 4, s);
	is_str(s, "dead000f", "hex encode is lowercase");
	ok(cgs_hex_decode("0xDEAD000F", out, 4, &n, 1) == CGS_OK && n == 4 && !memcmp(out, b, 4),
	   "hex decode accepts 0x and upper case");
	ok(cgs_hex_decode("dead00", out, 4, &n, 1) == CGS_E_USAGE, "exact length enforced");
	ok(cgs_hex_decode("dead0", out, 4, &n, 0) == CGS_E_USAGE, "odd length refused");
	ok(cgs_hex_decode("zz", out, 4, &n, 0) == CGS_E_USAGE, "non-hex refused");
}

static void test_base64(void)
{
	char s[16];
	uint8_t *out;
	size_t n;

	cgs_base64_encode((const uint8_t *)"abcd", 4, s);
	is_str(s, "YWJjZA==", "base64 encode with padding");
	ok(cgs_base64_decode("YWJj\nZA==", 9, &out, &n) == CGS_OK && n == 4 && !memcmp(out, "abcd", 4),
	   "base64 decode skips white space and drops padding");
	free(out);
	ok(cgs_base64_decode("YWJjZA=", 7, &out, &n) == CGS_E_MALFORMED, "bad length refused");
	ok(cgs_base64_decode("YW*jZA==", 8, &out, &n) == CGS_E_MALFORMED, "bad alphabet refused");
}

static void test_guid(void)
{
	/* SEV hash table GUID as it appears in OVMF: 9438d606-4f22-4cc9-b479-a793d411fd21 */
	static const uint8_t bin[16] = { 0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
					 0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21 };
	uint8_t g[16];
	char s[37];

	ok(cgs_guid_parse_efi("9438d606-4f22-4cc9-b479-a793d411fd21", g) == CGS_OK, "guid parses");
	is_mem(g, bin, 16, "guid in EFI mixed-endian order");
	cgs_guid_format_efi(bin, s);
	is_str(s, "9438d606-4f22-4cc9-b479-a793d411fd21", "guid formats back");
	ok(cgs_guid_parse_efi("9438d606-4f22-4cc9-b479-a793d411fd2", g) == CGS_E_MALFORMED,
	   "short guid refused");
}

static void test_numbers(void)
{
	uint64_t v;

	ok(cgs_parse_u64("0x800f12", &v) == 0 && v == 0x800f12, "hex integer");
	ok(cgs_parse_u64("0b101", &v) == 0 && v == 5, "binary integer");
	ok(cgs_parse_u64("0o17", &v) == 0 && v == 15, "octal integer");
	ok(cgs_parse_u64("42", &v) == 0 && v == 42, "decimal integer");
	ok(cgs_parse_u64("-1", &v) != 0, "negative refused");
	ok(cgs_parse_u64("12abc", &v) != 0, "trailing junk refused");
	ok(cgs_parse_u64("0x", &v) != 0, "empty hex refused");
	ok(cgs_parse_u64("18446744073709551616", &v) != 0, "overflow refused");
}

static void test_endian(void)
{
	uint8_t b[8];

	cgs_put_le32(b, 0x11223344);
	ok(b[0] == 0x44 && cgs_le32(b) == 0x11223344, "le32 round trip");
	cgs_put_be64(b, 0x0102030405060708ull);
	ok(b[0] == 1 && cgs_be64(b) == 0x0102030405060708ull, "be64 round trip");
}

static void test_diag(void)
{
	struct cgs_diag d;
	char msg[512];

	cgs_diag_clear(&d);
	ok(cgs_diag_set(&d, CGS_E_MALFORMED, "signature", 0x2a0, "truncated") == CGS_E_MALFORMED,
	   "diag_set returns its code");
	is_str(cgs_diag_format(&d, msg, sizeof(msg)), "truncated at offset 0x2a0 (field 'signature')",
	       "diagnostic text");
	is_int(cgs_err_exit(CGS_E_MALFORMED), CGS_EXIT_DATAERR, "malformed -> 65");
	is_int(cgs_err_exit(CGS_E_NOINPUT), CGS_EXIT_NOINPUT, "no input -> 66");
	is_int(cgs_err_exit(CGS_E_VERIFY), CGS_EXIT_NOT_VERIFIED, "verify -> 2");
	is_int(cgs_err_exit(CGS_E_USAGE), CGS_EXIT_USAGE, "usage -> 64");
	is_int(cgs_err_exit(CGS_E_CRYPTO), CGS_EXIT_FAILURE, "crypto -> 1");
}

static int count_entries(const char *dir)
{
	char cmd[512];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static void test_io(void)
{
	char dir[] = "/tmp/cgs-test-io-XXXXXX", path[600];
	struct cgs_diag d;
	struct cgs_out o;
	uint8_t *data;
	size_t len;
	struct stat st;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/out.bin", dir);
	ok(cgs_write_file(path, "hello", 5, CGS_OUT_SECRET, &d) == CGS_OK, "atomic write");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "secret written 0600");
	ok(cgs_write_file(path, "x", 1, 0, &d) == CGS_E_EXISTS, "refuses to overwrite");
	ok(cgs_write_file(path, "bye", 3, CGS_OUT_FORCE, &d) == CGS_OK, "force overwrites");
	ok(cgs_read_file(path, 16, &data, &len, &d) == CGS_OK && len == 3 && !memcmp(data, "bye", 3),
	   "read back");
	free(data);
	ok(cgs_read_file(path, 2, &data, &len, &d) == CGS_E_MALFORMED, "size limit enforced");
	snprintf(path, sizeof(path), "%s/partial.bin", dir);
	ok(cgs_out_open(&o, path, 0, &d) == CGS_OK, "open output");
	cgs_out_write(&o, "abc", 3, &d);
	cgs_out_abort(&o);
	ok(access(path, F_OK) != 0, "aborted output leaves no target");
	is_int(count_entries(dir), 1, "aborted output leaves no temporary file");
	ok(cgs_read_file("/nonexistent/x", 16, &data, &len, &d) == CGS_E_NOINPUT,
	   "missing file is NOINPUT");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		ok(0, "cleanup");
}

static void test_json(void)
{
	struct json_object *doc = cgs_json_doc("cgs-test"), *in;
	struct cgs_diag d;
	uint64_t v;
	uint8_t h[2] = { 0xab, 0xcd };

	cgs_json_add_hex(doc, "digest", h, 2);
	cgs_json_add_u64hex(doc, "policy", 0x30000);
	is_str(cgs_json_string(doc, CGS_JSON_SHORT),
	       "{\"schema_version\":1,\"tool\":\"cgs-test\",\"digest\":\"abcd\",\"policy\":\"0x30000\"}",
	       "json document order and encodings");
	json_object_put(doc);
	ok(cgs_json_parse("{\"a\": \"0x10\"}", 13, &in, &d) == CGS_OK, "json parses");
	ok(cgs_json_get_u64(in, "a", &v) == 0 && v == 16, "u64 from hex string");
	json_object_put(in);
	ok(cgs_json_parse("{\"a\":\n 1,}", 10, &in, &d) == CGS_E_MALFORMED, "bad json refused");
	ok(strstr(d.text, "line 2") != NULL, "json error names the line");
	ok(cgs_json_parse("{} x", 4, &in, &d) == CGS_E_MALFORMED, "trailing data refused");
}

static void test_digest(void)
{
	static const uint8_t abc256[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
		0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
		0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad
	};
	char path[] = "/tmp/cgs-test-dg-XXXXXX";
	uint8_t out[CGS_MAX_MD];
	size_t n;
	uint64_t size;
	int fd = mkstemp(path);

	ok(cgs_digest("SHA256", "abc", 3, out, &n, NULL) == CGS_OK && n == 32, "sha256 one-shot");
	is_mem(out, abc256, 32, "sha256('abc')");
	if (fd >= 0 && write(fd, "abc", 3) == 3)
		close(fd);
	ok(cgs_digest_file("SHA256", path, out, &n, &size, NULL) == CGS_OK && size == 3,
	   "sha256 of a file");
	is_mem(out, abc256, 32, "streamed digest equals one-shot");
	unlink(path);
	ok(cgs_ct_equal("abc", "abc", 3) && !cgs_ct_equal("abc", "abd", 3), "constant-time compare");
}

static void test_buf(void)
{
	struct cgs_buf b = CGS_BUF_INIT;

	cgs_buf_append(&b, "abc", 3);
	cgs_buf_pad(&b, 16);
	cgs_buf_append(&b, NULL, 2);
	ok(b.len == 18 && b.data[3] == 0 && b.data[0] == 'a', "buffer append and pad");
	cgs_buf_free(&b, 1);
}

int main(void)
{
	test_hex();
	test_base64();
	test_guid();
	test_numbers();
	test_endian();
	test_diag();
	test_io();
	test_json();
	test_digest();
	test_buf();
	return tap_done();
}
