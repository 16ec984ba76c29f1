// SPDX-License-Identifier: MIT
/* lib/core/optfile: YAML and JSON option files applied through a command's on_option. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/core/optfile.h"
#include "tap.h"

enum { K_VMPL = 256, K_DEBUG, K_KEY, K_REPORT, K_X };

static const struct cgs_option opts[] = {
    {"report", 'r', CGS_REQ_ARG, "FILE", "report", 0},
    {"vmpl", K_VMPL, CGS_REQ_ARG, "N", "vmpl", 0},
    {"allow-debug", K_DEBUG, CGS_NO_ARG, NULL, "debug", 0},
    {"trusted-id-key", K_KEY, CGS_REQ_ARG, "KEY", "keys", 0},
    {"x-secret", K_X, CGS_REQ_ARG, "N", "experimental", CGS_OPT_EXPERIMENTAL},
    {NULL, 0, 0, NULL, NULL, 0},
};

static char calls[512];

static int on_option(void *ctx, int key, const char *arg)
{
	size_t n = strlen(calls);

	(void)ctx;
	if (key == K_VMPL && arg && !strcmp(arg, "9"))
		return 64; /* the handler refuses a value */
	snprintf(calls + n, sizeof(calls) - n, "%d=%s;", key, arg ? arg : "-");
	return 0;
}

static const struct cgs_command cmd = {"t", "", "", opts, 0, NULL, on_option, NULL};
static const char *const refused[] = {"report", NULL};
static char path[] = "/tmp/cgs-test-optfile-XXXXXX";

static enum cgs_err apply(const char *text, struct cgs_diag *d)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		exit(99);
	calls[0] = '\0';
	cgs_diag_clear(d);
	return cgs_optfile_apply(&cmd, path, refused, d);
}

static void fails(const char *text, const char *field, const char *msg)
{
	struct cgs_diag d;
	enum cgs_err e = apply(text, &d);

	ok(e == CGS_E_MALFORMED && strstr(d.text, msg) && !strcmp(d.field, field), "refused: %s",
	   msg);
	if (e != CGS_E_MALFORMED || !strstr(d.text, msg))
		printf("#   got %d '%s' field '%s'\n", e, d.text, d.field);
}

int main(void)
{
	struct cgs_diag d;
	int fd = mkstemp(path);

	if (fd < 0)
		return 99;
	close(fd);
	ok(apply("# a policy\nvmpl: 0\nallow-debug: true\ntrusted-id-key: [a.pem, b.pem]\n", &d) ==
	       CGS_OK,
	   "YAML applies");
	is_str(calls, "256=0;257=-;258=a.pem;258=b.pem;", "YAML: in file order, lists repeated");
	ok(apply("{\"vmpl\": 1, \"allow-debug\": false, \"trusted-id-key\": \"c.pem\"}", &d) ==
	       CGS_OK,
	   "JSON applies");
	is_str(calls, "256=1;258=c.pem;", "JSON: false flags are not given");
	ok(apply("trusted-id-key:\n  - x\n  - y\n", &d) == CGS_OK && !strcmp(calls, "258=x;258=y;"),
	   "block lists");
	fails("vmpl: 0\nnope: 1\n", "nope", "unknown key 'nope'");
	fails("report: r.bin\n", "report", "unknown key 'report'");
	fails("x-secret: 1\n", "x-secret", "unknown key 'x-secret'");
	fails("vmpl: 0\nvmpl: 1\n", "vmpl", "key 'vmpl' given twice");
	fails("allow-debug: yes\n", "allow-debug", "must be true or false");
	fails("allow-debug: \"true\"\n", "allow-debug", "must be true or false");
	fails("allow-debug: [true]\n", "allow-debug", "must be true or false");
	fails("vmpl: {a: 1}\n", "vmpl", "must be a scalar or a list of scalars");
	fails("trusted-id-key: [[a]]\n", "trusted-id-key", "must be a scalar");
	fails("vmpl: 9\n", "vmpl", "bad value for 'vmpl'");
	fails("- vmpl\n", "", "not a mapping");
	fails("", "", "not a mapping");
	fails("{vmpl: [\n", "", "not YAML or JSON");
	ok(cgs_optfile_apply(&cmd, "/nonexistent/p.yaml", NULL, &d) == CGS_E_NOINPUT,
	   "a missing file: CGS_E_NOINPUT");
	unlink(path);
	return tap_done();
}
