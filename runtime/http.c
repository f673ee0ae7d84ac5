/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "http.h"

#include <string.h>
#include <strings.h>

/* RFC 9110's tchar: what a method or a header name is made of. */
static bool tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool token(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tchar((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* The line at p, of *len bytes without its CR LF (a CR may only end it),
 * and where the next begins. False when no LF ends it in [p, end) yet;
 * *bad when it holds a bare CR. */
static bool line_at(const char *p, const char *end, size_t *len, const char **next, bool *bad)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));

	*bad = false;
	if (!lf)
		return false;
	*next = lf + 1;
	*len = (size_t)(lf - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	*bad = memchr(p, '\r', *len) != NULL;
	return true;
}

/*
 * METHOD SP TARGET SP HTTP/D.D: the version into r->minor; HTTP_MORE when
 * the line is well made and of a version rosfwd speaks.
 */
static enum http_verdict request_line(const char *s, size_t n, const char **method, size_t *mlen,
				      const char **target, size_t *tlen, struct http_req *r)
{
	const char *sp1 = memchr(s, ' ', n), *sp2, *v;
	size_t i;

	if (!sp1)
		return HTTP_BAD;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - s));
	/* Two parts: HTTP/0.9, which has no status line to answer with. */
	if (!sp2)
		return HTTP_BAD;
	*method = s;
	*mlen = (size_t)(sp1 - s);
	*target = sp1 + 1;
	*tlen = (size_t)(sp2 - sp1 - 1);
	v = sp2 + 1;
	if (!token(*method, *mlen) || !*tlen)
		return HTTP_BAD;
	for (i = 0; i < *tlen; i++)
		if ((unsigned char)(*target)[i] <= ' ' || (*target)[i] == 0x7f)
			return HTTP_BAD;
	if ((size_t)(s + n - v) != 8 || memcmp(v, "HTTP/", 5) || v[5] < '0' || v[5] > '9' || v[6] != '.' ||
	    v[7] < '0' || v[7] > '9')
		return HTTP_BAD;
	if (v[5] != '1')
		return HTTP_VERSION;
	/* A later 1.x is answered as 1.1, the newest this server speaks. */
	r->minor = v[7] == '0' ? 0 : 1;
	return HTTP_MORE;
}

enum http_verdict http_request_check(const char *buf, size_t n, bool eof, struct http_req *r)
{
	const char *p = buf, *end = buf + n, *next, *method, *target;
	size_t len, mlen, tlen;
	unsigned hosts = 0;
	bool bad;
	enum http_verdict v;

	r->head = false;
	r->minor = 1;
	if (memchr(buf, 0, n))
		return HTTP_BAD;
	/* RFC 9112 2.2: an empty line before the request line is ignored. */
	while (p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')))
		p += *p == '\r' ? 2 : 1;
	if (!line_at(p, end, &len, &next, &bad))
		return n >= HTTP_REQ_MAX ? HTTP_URI_TOO_LONG : eof ? HTTP_BAD : HTTP_MORE;
	if (bad)
		return HTTP_BAD;
	v = request_line(p, len, &method, &mlen, &target, &tlen, r);
	if (v != HTTP_MORE)
		return v;
	for (p = next;; p = next) {
		const char *colon;

		if (!line_at(p, end, &len, &next, &bad))
			return n >= HTTP_REQ_MAX ? HTTP_TOO_LARGE : eof ? HTTP_BAD : HTTP_MORE;
		if (bad)
			return HTTP_BAD;
		if (!len)
			break;
		/* A folded line (one starting with a space or a tab) is gone
		 * from HTTP/1.1: its name is no token, and it is refused. */
		colon = memchr(p, ':', len);
		if (!colon || !token(p, (size_t)(colon - p)))
			return HTTP_BAD;
		if (colon - p == 4 && !strncasecmp(p, "host", 4))
			hosts++;
	}
	if (r->minor && hosts != 1)
		return HTTP_BAD;
	if (mlen == 4 && !memcmp(method, "HEAD", 4))
		r->head = true;
	else if (mlen != 3 || memcmp(method, "GET", 3))
		return HTTP_METHOD;
	if ((tlen == 8 || (tlen > 8 && target[8] == '?')) && !memcmp(target, "/metrics", 8))
		return HTTP_METRICS;
	return HTTP_NOT_FOUND;
}

const char *http_status(enum http_verdict v)
{
	switch (v) {
	case HTTP_METRICS: return "200 OK";
	case HTTP_NOT_FOUND: return "404 Not Found";
	case HTTP_METHOD: return "405 Method Not Allowed";
	case HTTP_URI_TOO_LONG: return "414 URI Too Long";
	case HTTP_TOO_LARGE: return "431 Request Header Fields Too Large";
	case HTTP_VERSION: return "505 HTTP Version Not Supported";
	case HTTP_BAD:
	case HTTP_MORE:
		break;
	}
	return "400 Bad Request";
}
