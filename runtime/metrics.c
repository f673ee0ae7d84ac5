/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "print.h"

int metrics_listen(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, e;

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void answer(int fd, const char *status, const char *type, const char *body, size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
			 type, len);

	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

void metrics_serve(int lfd, struct nlsock *q, const struct model *m)
{
	/* A client that sends nothing must not hold the daemon's loop. */
	struct timeval tv = { .tv_sec = 2 };
	char req[2048];
	size_t got = 0;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (got < sizeof(req) - 1) {
		ssize_t r = recv(fd, req + got, sizeof(req) - 1 - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
		req[got] = 0;
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	req[got] = 0;
	if (strncmp(req, "GET /metrics ", 13) && strncmp(req, "GET /metrics?", 13)) {
		static const char nf[] = "only GET /metrics here\n";

		answer(fd, "404 Not Found", "text/plain", nf, sizeof(nf) - 1);
	} else if (!m) {
		static const char na[] = "rosfwd has no valid configuration to name the rules by\n";

		answer(fd, "503 Service Unavailable", "text/plain", na, sizeof(na) - 1);
	} else {
		char *body = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&body, &len);
		int rc = out ? print_metrics(out, q, m) : -1;

		if (out)
			fclose(out);
		if (rc == 0) {
			answer(fd, "200 OK", "text/plain; version=0.0.4", body, len);
		} else {
			static const char ke[] = "the kernel's counters could not be read (see rosfwd's log)\n";

			answer(fd, "503 Service Unavailable", "text/plain", ke, sizeof(ke) - 1);
		}
		free(body);
	}
	close(fd);
}
