/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfwd's request judge: what a careful HTTP/1.x server answers, for
 * every request a scraper, a browser, a fuzzer or a slow attacker sends;
 * and every cut of a good request is "read on", never an answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

static enum http_verdict judge(const char *s, bool eof, struct http_req *r)
{
	return http_request_check(s, strlen(s), eof, r);
}

static void test_metrics(void **st)
{
	struct http_req r;

	(void)st;
	assert_int_equal(judge("GET /metrics HTTP/1.0\r\n\r\n", false, &r), HTTP_METRICS);
	assert_false(r.head);
	assert_int_equal(r.minor, 0);
	assert_int_equal(judge("GET /metrics HTTP/1.1\r\nHost: localhost:9464\r\nAccept: */*\r\n\r\n", false, &r),
			 HTTP_METRICS);
	assert_int_equal(r.minor, 1);
	assert_int_equal(judge("HEAD /metrics HTTP/1.1\r\nhost: x\r\n\r\n", false, &r), HTTP_METRICS);
	assert_true(r.head);
	assert_int_equal(judge("GET /metrics?name[]=x HTTP/1.0\r\n\r\n", false, &r), HTTP_METRICS);
	/* LF alone ends lines too; an empty line before the request is
	 * passed over. */
	assert_int_equal(judge("\r\nGET /metrics HTTP/1.0\n\n", false, &r), HTTP_METRICS);
	/* A later 1.x is answered as 1.1. */
	assert_int_equal(judge("GET /metrics HTTP/1.7\r\nHost: a\r\n\r\n", false, &r), HTTP_METRICS);
	assert_int_equal(r.minor, 1);
}

static void test_refused(void **st)
{
	struct http_req r;

	(void)st;
	assert_int_equal(judge("GET /other HTTP/1.0\r\n\r\n", false, &r), HTTP_NOT_FOUND);
	assert_int_equal(judge("GET /metricsx HTTP/1.0\r\n\r\n", false, &r), HTTP_NOT_FOUND);
	assert_int_equal(judge("POST /metrics HTTP/1.0\r\nContent-Length: 0\r\n\r\n", false, &r), HTTP_METHOD);
	assert_int_equal(judge("get /metrics HTTP/1.0\r\n\r\n", false, &r), HTTP_METHOD);
	/* HTTP/0.9 has no status line to answer with: judged as soon as its
	 * only line ends, as its client sends nothing more. */
	assert_int_equal(judge("GET /metrics\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /metrics HTTP/9.9\r\n", false, &r), HTTP_VERSION);
	assert_int_equal(judge("GET /metrics HTTP/2.0\r\n\r\n", false, &r), HTTP_VERSION);
	assert_int_equal(judge("GET /metrics HTTP/1\r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /metrics HTTP/1.0 \r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET  /metrics HTTP/1.0\r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /met\x01rics HTTP/1.0\r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /metrics HTTP/1.0\rX\r\n\r\n", false, &r), HTTP_BAD);
	/* HTTP/1.1 needs one Host. */
	assert_int_equal(judge("GET /metrics HTTP/1.1\r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", false, &r), HTTP_BAD);
	/* Header lines are name: value; folding is gone. */
	assert_int_equal(judge("GET /metrics HTTP/1.0\r\nnocolon\r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /metrics HTTP/1.0\r\nA: b\r\n c\r\n\r\n", false, &r), HTTP_BAD);
	assert_int_equal(judge("GET /metrics HTTP/1.0\r\nBad name: b\r\n\r\n", false, &r), HTTP_BAD);
	/* The client hung up before the end. */
	assert_int_equal(judge("GET /metrics HTTP/1.0\r\n", true, &r), HTTP_BAD);
	assert_int_equal(judge("", true, &r), HTTP_BAD);
}

static void test_nul(void **st)
{
	static const char req[] = "GET /metrics\0 HTTP/1.0\r\n\r\n";
	struct http_req r;

	(void)st;
	assert_int_equal(http_request_check(req, sizeof(req) - 1, false, &r), HTTP_BAD);
	/* Judged at once, not after the line ends. */
	assert_int_equal(http_request_check("G\0", 2, false, &r), HTTP_BAD);
}

static void test_sizes(void **st)
{
	char *big = malloc(HTTP_REQ_MAX + 1);
	struct http_req r;
	size_t n;

	(void)st;
	memset(big, 'a', HTTP_REQ_MAX);
	memcpy(big, "GET /", 5);
	assert_int_equal(http_request_check(big, HTTP_REQ_MAX, false, &r), HTTP_URI_TOO_LONG);
	n = (size_t)snprintf(big, HTTP_REQ_MAX, "GET /metrics HTTP/1.0\r\nX: ");
	memset(big + n, 'b', HTTP_REQ_MAX - n);
	assert_int_equal(http_request_check(big, HTTP_REQ_MAX, false, &r), HTTP_TOO_LARGE);
	free(big);
}

/* A request trickled in byte by byte is "read on" until its last byte. */
static void test_every_cut(void **st)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: x\r\n\r\n";
	struct http_req r;
	size_t n;

	(void)st;
	for (n = 0; n < sizeof(req) - 1; n++)
		assert_int_equal(http_request_check(req, n, false, &r), HTTP_MORE);
	assert_int_equal(http_request_check(req, n, false, &r), HTTP_METRICS);
}

static void test_status(void **st)
{
	(void)st;
	assert_string_equal(http_status(HTTP_METRICS), "200 OK");
	assert_string_equal(http_status(HTTP_BAD), "400 Bad Request");
	assert_string_equal(http_status(HTTP_METHOD), "405 Method Not Allowed");
	assert_string_equal(http_status(HTTP_VERSION), "505 HTTP Version Not Supported");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
