/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_HTTP_H
#define ROSFW_HTTP_H

/*
 * The little HTTP/1.x rosfwd's /metrics needs: one request per
 * connection, read whole before it is answered, judged as RFC 9112 asks of
 * a careful server (a request line of three parts, a version it speaks,
 * header lines that are lines, Host on HTTP/1.1, no NUL or bare CR). No
 * kernel, no sockets: what the server does with the verdict is metrics.c's.
 */

#include <stdbool.h>
#include <stddef.h>

/* The most a request may take, request line and headers. */
#define HTTP_REQ_MAX 8192

enum http_verdict {
	HTTP_MORE,		/* not whole yet: read on */
	HTTP_METRICS,		/* GET or HEAD of /metrics: 200 */
	HTTP_NOT_FOUND,		/* 404 */
	HTTP_BAD,		/* 400 */
	HTTP_METHOD,		/* 405: not GET or HEAD */
	HTTP_URI_TOO_LONG,	/* 414: no request line within HTTP_REQ_MAX */
	HTTP_TOO_LARGE,		/* 431: headers past HTTP_REQ_MAX */
	HTTP_VERSION,		/* 505: not HTTP/1.x */
};

/**
 * struct http_req - what the answer depends on besides the verdict.
 * @head:  HEAD: the answer has no body.
 * @minor: the HTTP/1 minor version to answer with (0 or 1).
 */
struct http_req {
	bool head;
	int minor;
};

/* The verdict on the `n` bytes a client sent so far; `eof`: it will send
 * no more. A bad request line is judged as soon as it ends (an HTTP/0.9
 * client never sends the empty line that closes the headers). */
enum http_verdict http_request_check(const char *buf, size_t n, bool eof, struct http_req *r);

/* The status line ("404 Not Found") of a verdict other than HTTP_MORE. */
const char *http_status(enum http_verdict v);

#endif
