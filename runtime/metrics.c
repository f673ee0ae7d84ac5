/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exitcode.h"
#include "http.h"
#include "print.h"
#include "xalloc.h"

/**
 * struct client - one connection: its request as read so far, then its
 * answer as sent so far.
 * @deadline: monotonic ms after which it is dropped, whatever its state.
 * @out:      the whole answer once the request is judged, NULL before.
 */
struct client {
	int fd;
	int64_t deadline;
	char in[HTTP_REQ_MAX];
	size_t got;
	char *out;
	size_t outlen, sent;
};

struct metrics {
	int lfd;
	struct client *c[METRICS_CLIENTS];
	size_t n;
};

struct metrics *metrics_listen(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, e;
	struct metrics *s;

	if (fd < 0)
		return NULL;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* The kernel's cap (somaxconn): a burst of scrapes waits to be
	 * accepted instead of being refused into SYN retries. */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, SOMAXCONN) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->lfd = fd;
	return s;
}

static void client_close(struct client *c)
{
	close(c->fd);
	free(c->out);
	free(c);
}

void metrics_free(struct metrics *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		client_close(s->c[i]);
	close(s->lfd);
	free(s);
}

size_t metrics_pollfds(const struct metrics *s, struct pollfd *p, int64_t *deadline)
{
	size_t i, n = 0;

	/* Full: new connections wait in the listen queue. */
	p[n++] = (struct pollfd){ .fd = s->n < METRICS_CLIENTS ? s->lfd : -1, .events = POLLIN };
	for (i = 0; i < s->n; i++) {
		p[n++] = (struct pollfd){ .fd = s->c[i]->fd, .events = s->c[i]->out ? POLLOUT : POLLIN };
		if (s->c[i]->deadline < *deadline)
			*deadline = s->c[i]->deadline;
	}
	return n;
}

/* The whole answer: status line, headers, and a body unless HEAD. */
static void answer(struct client *c, const char *status, const struct http_req *r, const char *type,
		   const char *body, size_t len)
{
	FILE *f = open_memstream(&c->out, &c->outlen);

	if (!f)
		xdie("out of memory");
	fprintf(f, "HTTP/1.%d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", r->minor, status, type, len);
	if (!strncmp(status, "405", 3))
		fputs("Allow: GET, HEAD\r\n", f);
	fputs("Connection: close\r\n\r\n", f);
	if (!r->head)
		fwrite(body, 1, len, f);
	if (fclose(f))
		xdie("out of memory");
}

static void judge(struct client *c, enum http_verdict v, const struct http_req *r, struct nlsock *q,
		  const struct applied *a)
{
	static const char text[] = "text/plain; charset=utf-8", unavailable[] = "503 Service Unavailable";
	char *body = NULL, why[512], msg[700];
	size_t len = 0;
	FILE *f;
	int rc;

	if (v != HTTP_METRICS) {
		int k = snprintf(msg, sizeof(msg), "%s%s\n", http_status(v),
				 v == HTTP_NOT_FOUND ? ": rosfwd serves only /metrics" : "");

		answer(c, http_status(v), r, text, msg, (size_t)k);
		return;
	}
	/* Without CONFIG, the rules are named by what rosfw last applied. */
	if (!a && !(a = applied_record_cached(why, sizeof(why)))) {
		int k = snprintf(msg, sizeof(msg), "rosfwd has no configuration to name the rules by: %s\n", why);

		answer(c, unavailable, r, text, msg, k < 0 ? 0 : (size_t)k >= sizeof(msg) ? sizeof(msg) - 1 : (size_t)k);
		return;
	}
	f = open_memstream(&body, &len);
	if (!f)
		xdie("out of memory");
	if ((rc = print_metrics(f, q, a)) == EXIT_OK) {
		if (fclose(f))
			xdie("out of memory");
		answer(c, http_status(v), r, "text/plain; version=0.0.4; charset=utf-8", body, len);
	} else {
		static const char ke[] = "the kernel's counters could not be read (see rosfwd's log)\n";
		static const char other[] = "the kernel holds another configuration than the one rosfwd names the rules by (see rosfwd's log)\n";

		fclose(f);
		if (rc == EXIT_CONFIG)
			answer(c, unavailable, r, text, other, sizeof(other) - 1);
		else
			answer(c, unavailable, r, text, ke, sizeof(ke) - 1);
	}
	free(body);
}

/* Read what came; judge the request once it is whole. False: drop the
 * connection (the client went away, or the socket failed). */
static bool client_read(struct client *c, struct nlsock *q, const struct applied *m)
{
	struct http_req r;
	enum http_verdict v;
	bool eof = false;

	for (;;) {
		ssize_t k = recv(c->fd, c->in + c->got, sizeof(c->in) - c->got, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (k < 0)
			return false;
		if (k == 0) {
			eof = true;
			break;
		}
		c->got += (size_t)k;
		if (c->got == sizeof(c->in))
			break;
	}
	v = http_request_check(c->in, c->got, eof, &r);
	if (v == HTTP_MORE)
		return !eof;
	judge(c, v, &r, q, m);
	return true;
}

/* Send what the socket takes. False: done, or the client went away. */
static bool client_write(struct client *c)
{
	while (c->sent < c->outlen) {
		ssize_t k = send(c->fd, c->out + c->sent, c->outlen - c->sent, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (k <= 0)
			return false;
		c->sent += (size_t)k;
	}
	return false;
}

static void accept_all(struct metrics *s, int64_t now)
{
	while (s->n < METRICS_CLIENTS) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct client *c;

		if (fd < 0 && errno == EINTR)
			continue;
		/* EAGAIN: none left; anything else (ECONNABORTED, EMFILE)
		 * is for the next round. */
		if (fd < 0)
			return;
		c = xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->deadline = now + METRICS_DEADLINE_MS;
		s->c[s->n++] = c;
	}
}

void metrics_serve(struct metrics *s, const struct pollfd *p, int64_t now, struct nlsock *q,
		   const struct applied *m)
{
	size_t i, kept = 0;

	for (i = 0; i < s->n; i++) {
		struct client *c = s->c[i];
		short ev = p[1 + i].revents;
		bool keep = now < c->deadline;

		if (keep && (ev & (POLLIN | POLLHUP | POLLERR)) && !c->out)
			keep = client_read(c, q, m);
		/* Answer at once: most answers fit the socket's buffer. */
		if (keep && c->out && (ev & (POLLOUT | POLLIN | POLLHUP | POLLERR)))
			keep = client_write(c);
		if (keep)
			s->c[kept++] = c;
		else
			client_close(c);
	}
	s->n = kept;
	if (p[0].revents & POLLIN)
		accept_all(s, now);
}
