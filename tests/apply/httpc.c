/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clients rosfwd's /metrics must survive, for tests/apply/rosfwdload.sh:
 *   httpc PORT send TEXT            one request (C escapes: \r \n \0 \xHH),
 *                                   the whole answer on stdout
 *   httpc PORT trickle MS TEXT      the same, one byte every MS ms
 *   httpc PORT idle N SECONDS       N connections that send nothing
 *   httpc PORT burst N              N scrapes at once; prints how many got
 *                                   200 and the slowest answer's ms
 * Exit 0 when every connection was answered (idle: when held), else 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int dial(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		exit(1);
	}
	return fd;
}

static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'r': out[n++] = '\r'; s++; break;
		case 'n': out[n++] = '\n'; s++; break;
		case '0': out[n++] = 0; s++; break;
		case 'x': out[n++] = (char)strtol((char[]){ s[1], s[2], 0 }, NULL, 16); s += 3; break;
		default: out[n++] = *s++; break;
		}
	}
	return n;
}

static int answer(int fd)
{
	char b[65536];
	ssize_t k;
	size_t total = 0;

	while ((k = read(fd, b, sizeof(b))) > 0) {
		fwrite(b, 1, (size_t)k, stdout);
		total += (size_t)k;
	}
	close(fd);
	return total ? 0 : 1;
}

static int burst(int n)
{
	struct pollfd *p = calloc((size_t)n, sizeof(*p));
	char *got = calloc((size_t)n, 16);
	long long t0 = now_ms(), slowest = 0;
	static const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	int i, left = n, ok = 0;

	for (i = 0; i < n; i++) {
		p[i].fd = dial();
		p[i].events = POLLIN;
		if (write(p[i].fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
			return 1;
	}
	while (left && now_ms() - t0 < 60000) {
		if (poll(p, (nfds_t)n, 1000) < 0)
			return 1;
		for (i = 0; i < n; i++) {
			char b[4096];
			ssize_t k;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			k = read(p[i].fd, b, sizeof(b));
			if (k > 0 && !got[i * 16]) {
				memcpy(got + i * 16, b, k < 15 ? (size_t)k : 15);
			} else if (k <= 0) {
				if (!strncmp(got + i * 16, "HTTP/1.0 200", 12))
					ok++;
				close(p[i].fd);
				p[i].fd = -1;
				left--;
				if (now_ms() - t0 > slowest)
					slowest = now_ms() - t0;
			}
		}
	}
	printf("%d of %d answered 200, the last after %lld ms\n", ok, n, slowest);
	return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	char buf[65536];

	if (argc < 4)
		return 2;
	port = atoi(argv[1]);
	if (!strcmp(argv[2], "send")) {
		int fd = dial();
		size_t n = unescape(argv[3], buf);

		if (write(fd, buf, n) != (ssize_t)n)
			return 1;
		return answer(fd);
	}
	if (!strcmp(argv[2], "trickle") && argc == 5) {
		int fd = dial(), ms = atoi(argv[3]);
		size_t n = unescape(argv[4], buf), i;
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		for (i = 0; i < n; i++) {
			/* The server may answer and close before the end. */
			if (send(fd, buf + i, 1, MSG_NOSIGNAL) != 1)
				break;
			nanosleep(&ts, NULL);
		}
		return answer(fd);
	}
	if (!strcmp(argv[2], "idle") && argc == 5) {
		int i, n = atoi(argv[3]);

		for (i = 0; i < n; i++)
			dial();
		sleep((unsigned)atoi(argv[4]));
		return 0;
	}
	if (!strcmp(argv[2], "burst"))
		return burst(atoi(argv[3]));
	return 2;
}
