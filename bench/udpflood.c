/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * udpflood: the data-plane benchmark's traffic. COUNT UDP datagrams from a
 * socket in one network namespace, through whatever routes them, to a
 * socket in another, sent with sendmmsg in batches; a thread in the
 * receiver's namespace counts what arrives. Over veth the receiving side's
 * processing (the router's forwarding, its netfilter hooks) runs in the
 * sender's softirq, so the sending rate is the path's rate.
 *
 *   udpflood SENDER_NS RECEIVER_NS DST_IPV4 PORT COUNT
 *
 * prints one line: "sent N received M seconds S pps P" (P: received per
 * second of sending). Flows: 64 source ports, so conntrack holds a few
 * entries, as a LAN host's traffic would.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FLOWS 64

static atomic_long received;
static atomic_int stop;

static void die(const char *what)
{
	fprintf(stderr, "udpflood: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void enter(const char *ns)
{
	int fd = open(ns, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		die(ns);
	close(fd);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[BATCH][64];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct timespec tmo = { 0, 50 * 1000 * 1000 };

	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (!atomic_load(&stop)) {
		int n = recvmmsg(fd, m, BATCH, MSG_WAITFORONE, &tmo);

		if (n > 0)
			atomic_fetch_add(&received, n);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET }, any = { .sin_family = AF_INET };
	int rfd, sfd[FLOWS], rcvbuf = 64 << 20, one = 1;
	long count, sent = 0, last = -1;
	struct mmsghdr m[BATCH];
	struct iovec iov = { .iov_base = "rosfw data-plane bench", .iov_len = 18 };
	struct timeval tv = { 1, 0 };
	pthread_t th;
	double t0, t1;

	if (argc != 6 || inet_pton(AF_INET, argv[3], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: udpflood SENDER_NS RECEIVER_NS DST_IPV4 PORT COUNT\n");
		return 2;
	}
	dst.sin_port = htons((uint16_t)atoi(argv[4]));
	count = atol(argv[5]);

	enter(argv[2]);
	rfd = socket(AF_INET, SOCK_DGRAM, 0);
	any.sin_port = dst.sin_port;
	if (rfd < 0 || setsockopt(rfd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 ||
	    setsockopt(rfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(rfd, (struct sockaddr *)&any, sizeof(any)) < 0)
		die("receiver socket");
	setsockopt(rfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (pthread_create(&th, NULL, drain, &rfd))
		die("thread");

	enter(argv[1]);
	for (int f = 0; f < FLOWS; f++) {
		sfd[f] = socket(AF_INET, SOCK_DGRAM, 0);
		if (sfd[f] < 0 || connect(sfd[f], (struct sockaddr *)&dst, sizeof(dst)) < 0)
			die("sender socket");
	}
	memset(m, 0, sizeof(m));
	for (int i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now();
	for (int f = 0; sent < count; f = (f + 1) % FLOWS) {
		int want = count - sent < BATCH ? (int)(count - sent) : BATCH;
		int n = sendmmsg(sfd[f], m, (unsigned)want, 0);

		if (n < 0) {
			/* a full queue somewhere on the way: go on */
			if (errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED)
				continue;
			die("sendmmsg");
		}
		sent += n;
	}
	t1 = now();
	/* What is still on its way arrives within a moment. */
	while (atomic_load(&received) != last) {
		last = atomic_load(&received);
		usleep(200 * 1000);
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("sent %ld received %ld seconds %.3f pps %.0f\n", sent, (long)atomic_load(&received), t1 - t0,
	       (double)atomic_load(&received) / (t1 - t0));
	return 0;
}
