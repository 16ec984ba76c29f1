// SPDX-License-Identifier: MIT
/*
 * lib/core/net against tests/helpers/kds_server.py on 127.0.0.1 (never the
 * internet): success, each failure kind with its message, retries with backoff
 * and Retry-After, the Retry-After cap, the body limit, redirects and TLS.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/core/net.h"
#include "tap.h"

static char tmp[] = "/tmp/cgs-test-net-XXXXXX";

struct server {
	pid_t pid;
	char url[64];
	char faults[128];
};

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		exit(99);
}

static int start(struct server *s, const char *name, const char *cert, const char *key)
{
	char root[128], port[128], buf[16] = "";
	FILE *f;

	snprintf(root, sizeof(root), "%s/root", tmp);
	snprintf(port, sizeof(port), "%s/%s.port", tmp, name);
	snprintf(s->faults, sizeof(s->faults), "%s/%s.faults", tmp, name);
	put(s->faults, "");
	s->pid = fork();
	if (s->pid == 0) {
		if (cert)
			execlp("python3", "python3", "tests/helpers/kds_server.py", "--root", root,
			       "--port-file", port, "--faults", s->faults, "--tls", cert, key,
			       (char *)NULL);
		else
			execlp("python3", "python3", "tests/helpers/kds_server.py", "--root", root,
			       "--port-file", port, "--faults", s->faults, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && access(port, F_OK); i++)
		usleep(25000);
	if (!(f = fopen(port, "r")) || !fgets(buf, sizeof(buf), f))
		return -1;
	fclose(f);
	snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%d", cert ? "https" : "http", atoi(buf));
	return 0;
}

static void stop(struct server *s)
{
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
}

static struct cgs_net_opts quick(void)
{
	struct cgs_net_opts o;

	cgs_net_opts_default(&o);
	o.backoff_ms = 100;
	o.attempts = 3;
	o.timeout_ms = 5000;
	return o;
}

static enum cgs_err get(const struct server *s, const char *path, const struct cgs_net_opts *o,
			struct cgs_net_stats *st, struct cgs_diag *d, char **ret_body)
{
	char url[256];
	uint8_t *b = NULL;
	size_t n;
	enum cgs_err e;

	snprintf(url, sizeof(url), "%s%s", s->url, path);
	cgs_diag_clear(d);
	e = cgs_net_get(url, o, &b, &n, st, d);
	if (ret_body)
		*ret_body = (char *)b;
	else
		free(b);
	return e;
}

static int has(const struct cgs_diag *d, const char *want)
{
	if (strstr(d->text, want))
		return 1;
	printf("#   message: %s\n#   wanted: %s\n", d->text, want);
	return 0;
}

static void test_plain(struct server *s)
{
	struct cgs_net_opts o = quick();
	struct cgs_net_stats st;
	struct cgs_diag d;
	char *body = NULL;

	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, &body) == CGS_OK && body &&
	       !strcmp(body, "chain\n"),
	   "200: the body is returned");
	is_int(st.attempts, 1, "200: one attempt");
	free(body);
	ok(get(s, "/nope", &o, &st, &d, NULL) == CGS_E_NETWORK && has(&d, "HTTP 404 Not Found"),
	   "404: HTTP status named");
	is_int(st.attempts, 1, "404 is not retried");
	put(s->faults, "/vcek fail 1 500\n");
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_OK, "500 then 200: ok");
	is_int(st.attempts, 2, "500 then 200: two attempts");
	is_int(st.waited_ms, 100, "500 then 200: the first backoff");
	put(s->faults, "/vcek fail 9 500\n");
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "HTTP 500 Internal Server Error") && has(&d, "gave up after 3 attempts"),
	   "500 always: gives up after the attempts");
	is_int(st.waited_ms, 300, "backoff doubles (100 + 200 ms)");
}

static void test_retry_after(struct server *s)
{
	struct cgs_net_opts o = quick();
	struct cgs_net_stats st;
	struct cgs_diag d;
	struct timespec t0, t1;

	put(s->faults, "/vcek fail 1 429 1\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_OK,
	   "429 with Retry-After 1, then 200: ok");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	is_int(st.waited_ms, 1000, "Retry-After (1 s) replaces the shorter backoff");
	ok(t1.tv_sec - t0.tv_sec >= 1, "and it really waited");
	put(s->faults, "/vcek fail 1 503 2\n");
	o.retry_after_cap_s = 1;
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "HTTP 503 Service Unavailable") &&
	       has(&d, "retry after 2 s, more than "
		       "the 1 s cap"),
	   "503 with a Retry-After over the cap: stops at once");
	is_int(st.attempts, 1, "over the cap: one attempt");
}

static void test_faults(struct server *s)
{
	struct cgs_net_opts o = quick();
	struct cgs_net_stats st;
	struct cgs_diag d;

	put(s->faults, "/vcek stall 3\n");
	o.timeout_ms = 400;
	o.attempts = 1;
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "timeout: no complete answer from '127.0.0.1' within 400 ms"),
	   "stalled answer: timeout");
	o = quick();
	put(s->faults, "/vcek truncate\n");
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "truncated answer") && has(&d, "gave up after 3 attempts"),
	   "truncated body: refused after the attempts");
	put(s->faults, "");
	o.max_body = 4;
	ok(get(s, "/vcek/v1/Milan/cert_chain", &o, &st, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "larger than 4 bytes"),
	   "body over the limit: refused");
	o = quick();
	put(s->faults, "/old redirect /vcek/v1/Milan/cert_chain\n");
	ok(get(s, "/old", &o, &st, &d, NULL) == CGS_OK, "http -> http redirect followed");
	put(s->faults, "");
	ok(cgs_net_get("ftp://127.0.0.1/x", &o, NULL, NULL, NULL, &d) == CGS_E_USAGE &&
	       has(&d, "not an http:// or https:// URL"),
	   "ftp:// refused");
}

static void test_refused(void)
{
	struct cgs_net_opts o = quick();
	struct cgs_diag d;
	struct server s = {0, "http://127.0.0.1:1", ""};

	o.attempts = 2;
	ok(get(&s, "/x", &o, NULL, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "connection to '127.0.0.1' failed"),
	   "nothing listening: connection failure");
}

static void test_tls(const struct server *plain)
{
	char cert[128], key[128], cmd[512];
	struct cgs_net_opts o = quick();
	struct cgs_diag d;
	struct server s;

	snprintf(cert, sizeof(cert), "%s/tls.crt", tmp);
	snprintf(key, sizeof(key), "%s/tls.key", tmp);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout %s -out %s -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
		 "-days 2 2>/dev/null",
		 key, cert);
	if (system(cmd) || start(&s, "tls", cert, key)) {
		ok(0, "TLS test server starts");
		return;
	}
	unsetenv("CGS_CA_BUNDLE");
	ok(get(&s, "/vcek/v1/Milan/cert_chain", &o, NULL, &d, NULL) == CGS_E_NETWORK &&
	       has(&d, "TLS: cannot establish a trusted connection to '127.0.0.1'"),
	   "untrusted server certificate: TLS failure");
	setenv("CGS_CA_BUNDLE", cert, 1);
	ok(get(&s, "/vcek/v1/Milan/cert_chain", &o, NULL, &d, NULL) == CGS_OK,
	   "trusted through CGS_CA_BUNDLE: ok");
	snprintf(cmd, sizeof(cmd), "/old redirect %s/vcek/v1/Milan/cert_chain\n", plain->url);
	put(s.faults, cmd);
	ok(get(&s, "/old", &o, NULL, &d, NULL) == CGS_E_NETWORK && has(&d, "off HTTPS"),
	   "https -> http redirect refused");
	unsetenv("CGS_CA_BUNDLE");
	stop(&s);
}

int main(void)
{
	char path[128];
	struct server s;

	if (system("python3 -c 1 2>/dev/null"))
		tap_skip_all("python3 not installed (scripts/bootstrap installs it)");
	if (!mkdtemp(tmp))
		return 99;
	snprintf(path, sizeof(path), "mkdir -p %s/root/vcek/v1/Milan", tmp);
	if (system(path))
		return 99;
	snprintf(path, sizeof(path), "%s/root/vcek/v1/Milan/cert_chain", tmp);
	put(path, "chain\n");
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	if (start(&s, "plain", NULL, NULL))
		tap_skip_all("the test server did not start");
	test_plain(&s);
	test_retry_after(&s);
	test_faults(&s);
	test_refused();
	test_tls(&s);
	stop(&s);
	snprintf(path, sizeof(path), "rm -rf %s", tmp);
	if (system(path))
		printf("# could not remove %s\n", tmp);
	return tap_done();
}
