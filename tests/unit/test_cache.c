// SPDX-License-Identifier: MIT
/*
 * lib/core/cache: default location, entry names, atomic store and read, and
 * concurrent writers sharing one cache.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/core/cache.h"
#include "tap.h"

static char tmp[] = "/tmp/cgs-test-cache-XXXXXX";

static void test_default(void)
{
	struct cgs_cache c;
	struct cgs_diag d;
	char want[160];

	setenv("XDG_CACHE_HOME", "/xdg", 1);
	ok(cgs_cache_open(&c, NULL, 0, &d) == CGS_OK && !strcmp(c.dir, "/xdg/cgs"),
	   "XDG_CACHE_HOME/cgs");
	cgs_cache_close(&c);
	setenv("XDG_CACHE_HOME", "relative", 1); /* not absolute: ignored, as the spec says */
	setenv("HOME", tmp, 1);
	snprintf(want, sizeof(want), "%s/.cache/cgs", tmp);
	ok(cgs_cache_open(&c, NULL, 1, &d) == CGS_OK && !strcmp(c.dir, want),
	   "HOME/.cache/cgs otherwise");
	struct stat st;

	ok(stat(want, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
	   "created with mode 0700");
	cgs_cache_close(&c);
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	ok(cgs_cache_open(&c, NULL, 0, &d) == CGS_E_USAGE && strstr(d.text, "--cache DIR"),
	   "neither set: a usage error naming --cache");
}

static void test_names(const struct cgs_cache *c)
{
	static const char *const bad[] = {"",	       "/abs", "a//b",	 "../x", "a/../b",
					  "a/.hidden", "a/b/", "sp ace", "q?x",	 "amp&x"};
	struct cgs_diag d;
	char *p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(cgs_cache_path(c, bad[i], &p, &d) == CGS_E_INTERNAL, "name '%s' refused",
		   bad[i]);
	ok(cgs_cache_path(c, "amd/vcek/v1/Milan/ab12/bl3-tee0-snp8-ucode115.der", &p, &d) == CGS_OK,
	   "a KDS-style name is accepted");
	free(p);
}

static int count_entries(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (dp && (e = readdir(dp)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (dp)
		closedir(dp);
	return n;
}

static void test_store(const struct cgs_cache *c)
{
	struct cgs_diag d;
	uint8_t *b;
	size_t n;
	char dir[160];

	ok(cgs_cache_read(c, "amd/x/crl.der", 100, &b, &n, &d) == CGS_E_NOINPUT &&
	       strstr(d.text, "not in the cache"),
	   "a missing entry: CGS_E_NOINPUT");
	ok(cgs_cache_store(c, "amd/x/crl.der", "one", 3, &d) == CGS_OK, "store creates parents");
	ok(cgs_cache_read(c, "amd/x/crl.der", 100, &b, &n, &d) == CGS_OK && n == 3 &&
	       !memcmp(b, "one", 3),
	   "read back");
	free(b);
	ok(cgs_cache_store(c, "amd/x/crl.der", "second", 6, &d) == CGS_OK, "store replaces");
	ok(cgs_cache_read(c, "amd/x/crl.der", 100, &b, &n, &d) == CGS_OK && n == 6, "replaced");
	free(b);
	ok(cgs_cache_read(c, "amd/x/crl.der", 3, &b, &n, &d) == CGS_E_MALFORMED,
	   "an entry over the size limit is refused");
	snprintf(dir, sizeof(dir), "%s/amd/x", c->dir);
	is_int(count_entries(dir), 1, "no temporary file left beside the entry");
}

/* 8 processes store 50 times each into one entry: it is always one whole value */
static void test_concurrent(const struct cgs_cache *c)
{
	char big[2][65536];
	int bad = 0;

	memset(big[0], 'a', sizeof(big[0]));
	memset(big[1], 'b', sizeof(big[1]));
	for (int p = 0; p < 8; p++) {
		if (fork() == 0) {
			struct cgs_diag d;

			for (int i = 0; i < 50; i++)
				if (cgs_cache_store(c, "amd/race/vcek.der", big[p & 1],
						    sizeof(big[0]), &d))
					_exit(1);
			_exit(0);
		}
	}
	for (int i = 0; i < 50; i++) {
		struct cgs_diag d;
		uint8_t *b;
		size_t n;

		if (cgs_cache_read(c, "amd/race/vcek.der", 1 << 20, &b, &n, &d) == CGS_OK) {
			bad +=
			    n != sizeof(big[0]) || (memcmp(b, big[0], n) && memcmp(b, big[1], n));
			free(b);
		}
	}
	for (int p = 0; p < 8; p++) {
		int st;

		wait(&st);
		bad += !WIFEXITED(st) || WEXITSTATUS(st);
	}
	is_int(bad, 0, "concurrent writers and readers never see a partial entry");
}

int main(void)
{
	struct cgs_cache c;
	struct cgs_diag d;
	char cmd[160];

	if (!mkdtemp(tmp))
		return 99;
	test_default();
	snprintf(cmd, sizeof(cmd), "%s/c", tmp);
	ok(cgs_cache_open(&c, cmd, 1, &d) == CGS_OK, "--cache DIR is created");
	test_names(&c);
	test_store(&c);
	test_concurrent(&c);
	cgs_cache_close(&c);
	snprintf(cmd, sizeof(cmd), "%s/file", tmp);
	fclose(fopen(cmd, "w"));
	ok(cgs_cache_open(&c, cmd, 1, &d) != CGS_OK, "a file as the cache is refused");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	if (system(cmd))
		printf("# could not remove %s\n", tmp);
	return tap_done();
}
