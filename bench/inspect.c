/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helper's decision cost per new connection, without the queue: a TCP
 * handshake and a ClientHello (or an HTTP request) fed to a fresh
 * connection state against the matchers of tests/golden/inspect.rsc, as
 * many as fit in a second. What the queue's round trip adds (two netlink
 * messages a packet) is the VM test's to show; a decided connection costs
 * nothing here, the kernel never sends it.
 * Run: bench/inspect.sh (builds it against build/librosfw-inspect.a).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inspect.h"

static size_t hello(uint8_t *out, const char *host)
{
	uint8_t m[512];
	size_t n = 0, hl = strlen(host), ext_at;

	m[n++] = 1;
	n += 3;
	m[n++] = 3, m[n++] = 3;
	memset(m + n, 0x5a, 32), n += 32;
	m[n++] = 0;
	m[n++] = 0, m[n++] = 2, m[n++] = 0x13, m[n++] = 0x01;
	m[n++] = 1, m[n++] = 0;
	ext_at = n;
	n += 2;
	m[n++] = 0, m[n++] = 0;
	m[n++] = (uint8_t)((hl + 5) >> 8), m[n++] = (uint8_t)(hl + 5);
	m[n++] = (uint8_t)((hl + 3) >> 8), m[n++] = (uint8_t)(hl + 3);
	m[n++] = 0;
	m[n++] = (uint8_t)(hl >> 8), m[n++] = (uint8_t)hl;
	memcpy(m + n, host, hl), n += hl;
	m[ext_at] = (uint8_t)((n - ext_at - 2) >> 8), m[ext_at + 1] = (uint8_t)(n - ext_at - 2);
	m[1] = 0, m[2] = (uint8_t)((n - 4) >> 8), m[3] = (uint8_t)(n - 4);
	out[0] = 22, out[1] = 3, out[2] = 1, out[3] = (uint8_t)(n >> 8), out[4] = (uint8_t)n;
	memcpy(out + 5, m, n);
	return n + 5;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(const struct iconf *c, const char *what, const uint8_t *data, size_t len)
{
	struct iflow *f = malloc(sizeof(*f));
	unsigned long n = 0;
	double t0 = now(), t;

	do {
		struct ipkt syn = { .tcp = true, .syn = true, .seq = 100 };
		struct ipkt synack = { .reply = true, .tcp = true, .syn = true, .seq = 500 };
		struct ipkt d = { .tcp = true, .seq = 101, .data = data, .len = len };

		memset(f, 0, offsetof(struct iflow, l7));
		iflow_feed(c, f, &syn);
		iflow_feed(c, f, &synack);
		iflow_feed(c, f, &d);
		n++;
	} while ((t = now() - t0) < 1.0);
	printf("%-44s %10.0f new connections/s (label bits 0x%02x)\n", what, n / t, f->label[0]);
	free(f);
}

int main(void)
{
	/* tests/golden/inspect.rsc's six matchers */
	static const char text[] = "0 tls-host 2a2e796f75747562652e636f6d\n"
				   "1 tls-host 2a2e626c6f636b65642e6578616d706c65\n"
				   "2 tls-host 2a2e616c6c6f7765642e6578616d706c65\n"
				   "3 layer7 5e2e2b28796f7574756265292e2a24\n"
				   "4 layer7 415c78303124\n"
				   "5 content 426974546f7272656e74\n";
	static const char http[] = "GET /watch?v=x HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: bench\r\n\r\n";
	struct iconf c;
	char err[128];
	uint8_t buf[600];
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	if (!f || iconf_read(&c, f, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	fclose(f);
	run(&c, "TLS ClientHello, SNI www.blocked.example", buf, hello(buf, "www.blocked.example"));
	run(&c, "TLS ClientHello, SNI www.allowed.example", buf, hello(buf, "www.allowed.example"));
	run(&c, "HTTP request (layer7 and content searched)", (const uint8_t *)http, sizeof(http) - 1);
	iconf_free(&c);
	return 0;
}
