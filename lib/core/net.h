/* SPDX-License-Identifier: MIT */
/*
 * HTTP(S) downloads with libcurl: the system CA store (or the PEM bundle named
 * by $CGS_CA_BUNDLE), proxies from the environment (http_proxy, https_proxy,
 * no_proxy), connect and per-attempt timeouts, a bounded number of attempts with exponential
 * backoff, Retry-After on 429/503 honoured up to a cap, a maximum body size, and redirects followed
 * only to HTTPS when the request was HTTPS. Every failure is CGS_E_NETWORK
 * with one message saying which kind (DNS, connect, TLS, HTTP status,
 * timeout, truncated, too large, redirect). Never prints.
 */
#ifndef CGS_LIB_CORE_NET_H
#define CGS_LIB_CORE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

struct cgs_net_opts {
	long connect_timeout_ms; /* TCP + TLS handshake, per attempt */
	long timeout_ms;	 /* whole transfer, per attempt */
	unsigned attempts;	 /* at least 1 */
	long backoff_ms;	 /* wait before the 2nd attempt; doubles after each */
	long retry_after_cap_s;	 /* a longer Retry-After ends the attempts */
	size_t max_body;	 /* larger responses are refused */
};

/* 10 s connect, 60 s per attempt, 4 attempts, 1 s first backoff, 120 s cap, 1 MiB. */
void cgs_net_opts_default(struct cgs_net_opts *o);

/* What one download did (for -v and tests). */
struct cgs_net_stats {
	unsigned attempts; /* made */
	long status;	   /* last HTTP status, 0 if none */
	long waited_ms;	   /* total time slept between attempts */
};

/*
 * GET url into a new buffer (NUL-terminated, not counted in *ret_len). Only
 * http:// and https:// URLs. A 2xx answer is success; 429, 500, 502, 503,
 * 504, timeouts and connection failures are retried; anything else ends at
 * once. stats may be NULL.
 */
enum cgs_err cgs_net_get(const char *url, const struct cgs_net_opts *o, uint8_t **ret_body,
			 size_t *ret_len, struct cgs_net_stats *stats, struct cgs_diag *d);

/*
 * The same, also returning the value of one response header (a new string,
 * NULL when the answer has none): Intel's PCS sends the issuer chain of what
 * it serves in a header (TCB-Info-Issuer-Chain, ...).
 */
enum cgs_err cgs_net_get_header(const char *url, const struct cgs_net_opts *o, const char *header,
				uint8_t **ret_body, size_t *ret_len, char **ret_header,
				struct cgs_net_stats *stats, struct cgs_diag *d);

#endif
