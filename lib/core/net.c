// SPDX-License-Identifier: MIT
/* HTTP(S) downloads with libcurl: timeouts, bounded retries, clear failure messages. */
#include "lib/core/net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#ifndef CGS_VERSION
#define CGS_VERSION "0"
#endif

void cgs_net_opts_default(struct cgs_net_opts *o)
{
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 60000;
	o->attempts = 4;
	o->backoff_ms = 1000;
	o->retry_after_cap_s = 120;
	o->max_body = 1u << 20;
}

struct body {
	uint8_t *p;
	size_t n, cap, max;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	struct body *b = ctx;
	size_t len = size * nmemb;

	if (len > b->max - b->n) {
		b->too_big = 1;
		return 0;
	}
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 8192;
		uint8_t *p;

		while (cap < b->n + len + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, ptr, len);
	b->n += len;
	return len;
}

enum outcome { NET_OK, NET_RETRY, NET_FAIL };

struct attempt {
	const char *url, *host;
	const struct cgs_net_opts *o;
	struct body body;
	long status;
	long retry_after_s; /* -1 if none */
};

static const char *reason_phrase(long status)
{
	static const struct {
		long code;
		const char *text;
	} t[] = {{400, "Bad Request"},	       {401, "Unauthorized"},	       {403, "Forbidden"},
		 {404, "Not Found"},	       {408, "Request Timeout"},       {410, "Gone"},
		 {429, "Too Many Requests"},   {500, "Internal Server Error"}, {502, "Bad Gateway"},
		 {503, "Service Unavailable"}, {504, "Gateway Timeout"}};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == status)
			return t[i].text;
	return "";
}

static enum outcome on_curl_error(struct attempt *a, CURLcode rc, const char *errbuf,
				  struct cgs_diag *d)
{
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "DNS: cannot resolve %s'%s'",
			     rc == CURLE_COULDNT_RESOLVE_PROXY ? "the proxy " : "", a->host);
		return NET_RETRY;
	case CURLE_OPERATION_TIMEDOUT:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "timeout: no complete answer from '%s' within %ld ms", a->host,
			     a->o->timeout_ms);
		return NET_RETRY;
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "connection to '%s' failed: %s", a->host, detail);
		return NET_RETRY;
	case CURLE_PARTIAL_FILE:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "truncated answer from '%s': the connection closed after %zu bytes",
			     a->host, a->body.n);
		return NET_RETRY;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "TLS: cannot establish a trusted connection to '%s': %s", a->host,
			     detail);
		return NET_FAIL;
	case CURLE_FILESIZE_EXCEEDED:
		a->body.too_big = 1;
		/* fall through */
	case CURLE_WRITE_ERROR:
		if (a->body.too_big) {
			cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
				     "the answer from '%s' is larger than %zu bytes", a->host,
				     a->o->max_body);
			return NET_FAIL;
		}
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "refused a redirect from '%s' off HTTPS (or to an unsupported "
			     "scheme): %s",
			     a->host, detail);
		return NET_FAIL;
	case CURLE_TOO_MANY_REDIRECTS:
		cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET,
			     "too many redirects from '%s'", a->host);
		return NET_FAIL;
	default:
		break;
	}
	cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET, "download from '%s' failed: %s",
		     a->host, detail);
	return NET_FAIL;
}

static enum outcome on_status(struct attempt *a, CURL *h, struct cgs_diag *d)
{
	curl_off_t ra = -1;

	if (a->status >= 200 && a->status < 300)
		return NET_OK;
	cgs_diag_set(d, CGS_E_NETWORK, NULL, CGS_DIAG_NO_OFFSET, "HTTP %ld%s%s from '%s'",
		     a->status, reason_phrase(a->status)[0] ? " " : "", reason_phrase(a->status),
		     a->host);
	if (a->status == 429 || a->status == 503) {
		if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			a->retry_after_s = (long)(ra > 86400 * 365 ? 86400 * 365 : ra);
		return NET_RETRY;
	}
	if (a->status == 408 || a->status == 500 || a->status == 502 || a->status == 504)
		return NET_RETRY;
	return NET_FAIL;
}

static void set_options(CURL *h, struct attempt *a, char *errbuf)
{
	int https = !strncmp(a->url, "https://", 8);

	curl_easy_setopt(h, CURLOPT_URL, a->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* never follow a redirect off HTTPS */
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, a->o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, a->o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cgs/" CGS_VERSION);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)a->o->max_body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &a->body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	/* the system CA store unless the user names a bundle (as curl's CURL_CA_BUNDLE) */
	if (getenv("CGS_CA_BUNDLE") && getenv("CGS_CA_BUNDLE")[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, getenv("CGS_CA_BUNDLE"));
}

static enum outcome attempt_once(CURL *h, struct attempt *a, struct cgs_diag *d)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;

	curl_easy_reset(h);
	a->body.n = 0;
	a->body.too_big = 0;
	a->status = 0;
	a->retry_after_s = -1;
	set_options(h, a, errbuf);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	if (rc != CURLE_OK)
		return on_curl_error(a, rc, errbuf, d);
	return on_status(a, h, d);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* the host of an http(s) URL into host; CGS_E_USAGE for anything else */
static enum cgs_err url_host(const char *url, char *host, size_t len, struct cgs_diag *d)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL;
	enum cgs_err e = CGS_OK;

	if (!u)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    (strcmp(scheme, "https") && strcmp(scheme, "http")))
		e = cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				 "'%s' is not an http:// or https:// URL", url);
	else
		snprintf(host, len, "%s", h);
	curl_free(scheme);
	curl_free(h);
	curl_url_cleanup(u);
	return e;
}

static enum cgs_err run_attempts(CURL *h, struct attempt *a, struct cgs_net_stats *st,
				 struct cgs_diag *d)
{
	long backoff = a->o->backoff_ms;
	unsigned n = a->o->attempts ? a->o->attempts : 1;

	for (unsigned i = 1;; i++) {
		enum outcome oc = attempt_once(h, a, d);
		long wait = backoff;

		st->attempts = i;
		st->status = a->status;
		if (oc == NET_OK)
			return CGS_OK;
		if (oc == NET_FAIL)
			return CGS_E_NETWORK;
		if (a->retry_after_s > a->o->retry_after_cap_s) {
			size_t l = strlen(d->text);

			snprintf(d->text + l, sizeof(d->text) - l,
				 ": the server asks to retry after %ld s, more than the %ld s cap",
				 a->retry_after_s, a->o->retry_after_cap_s);
			return CGS_E_NETWORK;
		}
		if (i >= n)
			break;
		if (a->retry_after_s >= 0 && a->retry_after_s * 1000 > wait)
			wait = a->retry_after_s * 1000;
		sleep_ms(wait);
		st->waited_ms += wait;
		backoff *= 2;
	}
	if (n > 1) {
		size_t l = strlen(d->text);

		snprintf(d->text + l, sizeof(d->text) - l, " (gave up after %u attempts)", n);
	}
	return CGS_E_NETWORK;
}

/* the value of response header name of the last transfer (NULL if absent or out of memory) */
static char *last_header(CURL *h, const char *name)
{
	struct curl_header *hd = NULL;

	if (!name || curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd)
		return NULL;
	return strdup(hd->value);
}

enum cgs_err cgs_net_get_header(const char *url, const struct cgs_net_opts *o, const char *header,
				uint8_t **ret_body, size_t *ret_len, char **ret_header,
				struct cgs_net_stats *stats, struct cgs_diag *d)
{
	struct cgs_net_stats st = {0, 0, 0};
	struct attempt a;
	char host[256], *hv = NULL;
	enum cgs_err e;
	CURL *h;

	if ((e = url_host(url, host, sizeof(host), d)))
		return e;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h = curl_easy_init()))
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET,
				    "cannot initialise libcurl");
	memset(&a, 0, sizeof(a));
	a.url = url;
	a.host = host;
	a.o = o;
	a.body.max = o->max_body;
	e = run_attempts(h, &a, &st, d);
	if (!e)
		hv = last_header(h, header);
	curl_easy_cleanup(h);
	if (stats)
		*stats = st;
	if (e) {
		free(a.body.p);
		return e;
	}
	if (!a.body.p && !(a.body.p = malloc(1))) { /* an empty answer */
		free(hv);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	a.body.p[a.body.n] = '\0';
	*ret_body = a.body.p;
	*ret_len = a.body.n;
	if (ret_header)
		*ret_header = hv;
	else
		free(hv);
	return CGS_OK;
}

enum cgs_err cgs_net_get(const char *url, const struct cgs_net_opts *o, uint8_t **ret_body,
			 size_t *ret_len, struct cgs_net_stats *stats, struct cgs_diag *d)
{
	return cgs_net_get_header(url, o, NULL, ret_body, ret_len, NULL, stats, d);
}
