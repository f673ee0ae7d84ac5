/*
 * probe: send TCP connections, UDP datagrams or ICMP messages from one network
 * namespace, listen for them in another, and print what became of each, one
 * line per packet or connection:
 *
 *   delivered SRC DST     the receiver got it (SRC and DST as the receiver saw
 *                         them, after any NAT) and the answer came back
 *   one-way SRC DST       the receiver got it, no answer came back
 *   rejected KIND from A (icmp T/C)   an ICMP error came back (KIND is the
 *                         RouterOS reject-with name) - or: rejected tcp-reset
 *   dropped               nothing came back before the timeout
 *   half-open             the sender's handshake completed, but the receiver
 *                         never accepted the connection (its last ACK was lost)
 *   answered-elsewhere    an answer came back, but our receiver saw nothing
 *
 * The harness of tests/behaviour/ runs it; it compiles with cc alone.
 *
 *   probe -f FROM_NS [-r RECV_NS -l LPORT] [-s SRC] [-p SPORT] [-n COUNT]
 *         [-w MS] [-T TYPE[:CODE]] [-F FLAGS] tcp|udp|icmp DST [DPORT]
 *
 * -H SECONDS keeps the TCP connections open after the outcome is printed: a
 * child process holds them for at most SECONDS, and the last line printed
 * is "held PID" (kill it to close them sooner).
 *
 * ftp and tftp test conntrack helpers: the secondary connection a helper
 * expects must come through the firewall as related.
 *   ftp   a control connection to DST:DPORT, the client announces a data
 *         port with PORT (active mode, IPv4), the server connects to what
 *         the PORT line says when it arrives (after any NAT rewrite);
 *   tftp  a read request to DST:DPORT, answered from another port of the
 *         server, as TFTP servers do.
 * "delivered SRC DST" then means the secondary connection made it (SRC
 * and DST are what the server saw of the first); "one-way SRC DST" that
 * the first one did and the secondary did not; "dropped" that not even the
 * first did. With -H, ftp announces one more port before holding the
 * control connection, so the helper's expectation stays to be seen.
 *
 * -F syn,ack (any of fin syn rst psh ack urg) sends lone TCP segments with
 * those flags from a raw socket instead of connecting: a SYN-ACK or an ACK
 * that belongs to no connection, which conntrack calls invalid (or picks up
 * as new). Such a segment is delivered when the receiver's raw socket sees
 * it; no answer is awaited.
 *
 * FROM_NS and RECV_NS are paths such as /run/netns/NAME. The process enters
 * the receiver's namespace to open its listening socket, then the sender's to
 * send: sockets keep the namespace they were made in, so one single-threaded
 * process sees both ends and needs no start-up handshake between the two.
 * ICMP errors are read from the socket error queue (IP_RECVERR), which gives
 * their type, code and sender; a TCP reset shows as ECONNREFUSED with no ICMP
 * error queued.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXN 64
#define TAG "rosfw-probe"

enum proto { P_TCP, P_UDP, P_ICMP, P_SEGMENT, P_FTP, P_TFTP };

/* What became of one packet (UDP, ICMP) or one connection (TCP). */
struct slot {
	int fd;		/* TCP: the connecting socket */
	int connected;	/* TCP: handshake completed */
	int seen;	/* the receiver got it */
	int replied;	/* the answer came back to the sender */
	int rejected;
	char seen_src[80], seen_dst[80];
	int seen_ttl, seen_tos;	/* UDP: TTL (hop limit) and TOS (traffic class) as received, or -1 */
	char why[160];
};

static struct slot slots[MAXN];
static int nslots;
static int fam;
static enum proto proto;
static unsigned nonce;
static uint16_t echo_ident;
static int icmp_type = -1, icmp_code;
static int seg_flags, seg_sport;
static uint32_t seg_seq;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("probe: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ns_enter(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		die("cannot enter network namespace %s: %s", path, strerror(errno));
	close(fd);
}

static void addr_parse(const char *text, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (strchr(text, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, text, &s6->sin6_addr) != 1)
			die("bad IPv6 address %s", text);
		*len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, text, &s4->sin_addr) != 1)
			die("bad IPv4 address %s", text);
		*len = sizeof *s4;
	}
}

/* "a.b.c.d:port", "[v6]:port", or the bare address when with_port is 0. */
static void addr_format(const void *sa, int with_port, char *out, size_t len)
{
	const struct sockaddr *s = sa;
	char a[INET6_ADDRSTRLEN] = "?";

	if (s->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = sa;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof a);
		if (with_port)
			snprintf(out, len, "%s:%u", a, ntohs(s4->sin_port));
		else
			snprintf(out, len, "%s", a);
	} else if (s->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof a);
		if (with_port)
			snprintf(out, len, "[%s]:%u", a, ntohs(s6->sin6_port));
		else
			snprintf(out, len, "%s", a);
	} else {
		snprintf(out, len, "?");
	}
}

static void raw_format(int family, const void *addr, char *out, size_t len)
{
	if (!inet_ntop(family, addr, out, len))
		snprintf(out, len, "?");
}

/* The RouterOS reject-with name of an ICMP error. */
static const char *icmp_name(int family, int type, int code)
{
	if (family == AF_INET && type == ICMP_DEST_UNREACH) {
		switch (code) {
		case 0: return "icmp-network-unreachable";
		case 1: return "icmp-host-unreachable";
		case 2: return "icmp-protocol-unreachable";
		case 3: return "icmp-port-unreachable";
		case 9: return "icmp-net-prohibited";
		case 10: return "icmp-host-prohibited";
		case 13: return "icmp-admin-prohibited";
		}
	}
	if (family == AF_INET6 && type == ICMP6_DST_UNREACH) {
		switch (code) {
		case 0: return "icmp-no-route";
		case 1: return "icmp-admin-prohibited";
		case 2: return "icmp-not-neighbour";
		case 3: return "icmp-address-unreachable";
		case 4: return "icmp-port-unreachable";
		}
	}
	return family == AF_INET ? "icmp-other" : "icmpv6-other";
}

static void reject_note(struct slot *s, int family, int type, int code, const char *from)
{
	if (s->rejected || s->replied)
		return;
	s->rejected = 1;
	snprintf(s->why, sizeof s->why, "rejected %s from %s (%s %d/%d)", icmp_name(family, type, code), from,
		 family == AF_INET ? "icmp" : "icmpv6", type, code);
}

/* Read one ICMP error from a socket's error queue. Returns 1 and fills
 * type/code/from (and the quoted payload) when there was one. */
static int errqueue_read(int fd, int *type, int *code, char *from, size_t fromlen, char *payload, size_t *plen)
{
	char cbuf[512];
	struct iovec iov = { payload, *plen };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	ssize_t n = recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);

	if (n < 0)
		return 0;
	*plen = (size_t)n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct sock_extended_err *ee;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		ee = (struct sock_extended_err *)CMSG_DATA(c);
		if (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		*type = ee->ee_type;
		*code = ee->ee_code;
		addr_format(SO_EE_OFFENDER(ee), 0, from, fromlen);
		return 1;
	}
	return 0;
}

/* The ToS byte (IPv6 traffic class) the sender's packets carry: -Q. */
static int send_tos = -1;

static void sock_recverr(int fd)
{
	int one = 1;

	if (fam == AF_INET)
		setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
	else
		setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
}

static void sock_tos(int fd)
{
	if (send_tos < 0)
		return;
	if (fam == AF_INET ? setsockopt(fd, SOL_IP, IP_TOS, &send_tos, sizeof send_tos)
			   : setsockopt(fd, SOL_IPV6, IPV6_TCLASS, &send_tos, sizeof send_tos))
		die("tos %d: %s", send_tos, strerror(errno));
}

static int listener_open(int lport)
{
	struct sockaddr_storage any;
	socklen_t len;
	int one = 1, fd;

	addr_parse(fam == AF_INET ? "0.0.0.0" : "::", lport, &any, &len);
	if (proto == P_ICMP || proto == P_SEGMENT) {
		fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK,
			    proto == P_SEGMENT ? IPPROTO_TCP : fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
		if (fd < 0)
			die("raw socket: %s", strerror(errno));
		if (fam == AF_INET6)
			setsockopt(fd, SOL_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
		return fd;
	}
	fd = socket(fam, (proto == P_TCP ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fam == AF_INET6)
		setsockopt(fd, SOL_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (proto == P_UDP) {
		if (fam == AF_INET) {
			setsockopt(fd, SOL_IP, IP_PKTINFO, &one, sizeof one);
			setsockopt(fd, SOL_IP, IP_RECVTTL, &one, sizeof one);
			setsockopt(fd, SOL_IP, IP_RECVTOS, &one, sizeof one);
		} else {
			setsockopt(fd, SOL_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
			setsockopt(fd, SOL_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
			setsockopt(fd, SOL_IPV6, IPV6_RECVTCLASS, &one, sizeof one);
		}
	}
	if (bind(fd, (struct sockaddr *)&any, len) < 0)
		die("listener bind to port %d: %s", lport, strerror(errno));
	if (proto == P_TCP && listen(fd, MAXN) < 0)
		die("listen: %s", strerror(errno));
	return fd;
}

/* The index a payload carries, or -1 when it is not one of ours. */
static int payload_index(const char *p, size_t n)
{
	char buf[64];
	unsigned got_nonce;
	int i;

	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	if (sscanf(buf, TAG " %u %d", &got_nonce, &i) != 2 || got_nonce != nonce || i < 0 || i >= nslots)
		return -1;
	return i;
}

static int payload_make(char *p, size_t len, int i)
{
	return snprintf(p, len, TAG " %u %d ", nonce, i);
}

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* ---- TCP ---------------------------------------------------------------- */

static void tcp_start(const struct sockaddr_storage *src, socklen_t srclen, int has_src, int sport,
		      const struct sockaddr_storage *dst, socklen_t dstlen)
{
	for (int i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];
		int one = 1;
		struct linger lg = { 1, 0 };

		s->fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (s->fd < 0)
			die("socket: %s", strerror(errno));
		sock_recverr(s->fd);
		sock_tos(s->fd);
		setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		/* Close with a reset: no TIME_WAIT, and conntrack forgets the
		 * connection, so one probe does not count against the next. */
		setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		if (has_src || sport) {
			struct sockaddr_storage b = *src;

			if (!has_src) {
				struct sockaddr_storage any;
				socklen_t l;

				addr_parse(fam == AF_INET ? "0.0.0.0" : "::", 0, &any, &l);
				b = any;
				srclen = l;
			}
			if (fam == AF_INET)
				((struct sockaddr_in *)&b)->sin_port = htons(sport ? sport + i : 0);
			else
				((struct sockaddr_in6 *)&b)->sin6_port = htons(sport ? sport + i : 0);
			if (bind(s->fd, (struct sockaddr *)&b, srclen) < 0)
				die("bind to the source address: %s", strerror(errno));
		}
		if (connect(s->fd, (const struct sockaddr *)dst, dstlen) < 0 && errno != EINPROGRESS) {
			int type, code;
			char from[80], pl[256];
			size_t pn = sizeof pl;

			if (errqueue_read(s->fd, &type, &code, from, sizeof from, pl, &pn))
				reject_note(s, fam, type, code, from);
			else
				snprintf(s->why, sizeof s->why, "error %s", strerror(errno)), s->rejected = 1;
		}
	}
}

static void tcp_client_event(struct slot *s)
{
	int err = 0, type, code;
	socklen_t el = sizeof err;
	char from[80], pl[256];
	size_t pn = sizeof pl;

	if (s->connected || s->rejected)
		return;
	getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (errqueue_read(s->fd, &type, &code, from, sizeof from, pl, &pn)) {
		reject_note(s, fam, type, code, from);
		return;
	}
	if (err == 0) {
		struct sockaddr_storage peer;
		socklen_t peerlen = sizeof peer;

		/* No error may only mean "still connecting". */
		if (getpeername(s->fd, (struct sockaddr *)&peer, &peerlen) == 0)
			s->connected = 1;
	} else if (err == ECONNREFUSED) {
		s->rejected = 1;
		snprintf(s->why, sizeof s->why, "rejected tcp-reset");
	} else if (err != EINPROGRESS && err != EALREADY) {
		s->rejected = 1;
		snprintf(s->why, sizeof s->why, "error %s", strerror(err));
	}
}

static int accepted;
static int accepted_fds[MAXN];

static void tcp_listener_event(int lfd)
{
	for (;;) {
		struct sockaddr_storage peer, local;
		socklen_t pl = sizeof peer, ll = sizeof local;
		int fd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK);

		if (fd < 0)
			return;
		getsockname(fd, (struct sockaddr *)&local, &ll);
		if (accepted < MAXN) {
			struct slot *s = &slots[accepted];

			addr_format(&peer, 1, s->seen_src, sizeof s->seen_src);
			addr_format(&local, 1, s->seen_dst, sizeof s->seen_dst);
			accepted_fds[accepted++] = fd;
		} else {
			close(fd);
		}
	}
}

/* ---- UDP ---------------------------------------------------------------- */

static int udp_fd;

static void udp_start(const struct sockaddr_storage *src, socklen_t srclen, int has_src, int sport,
		      const struct sockaddr_storage *dst, socklen_t dstlen)
{
	char p[128];

	udp_fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (udp_fd < 0)
		die("socket: %s", strerror(errno));
	sock_recverr(udp_fd);
	sock_tos(udp_fd);
	if (has_src || sport) {
		struct sockaddr_storage b = *src;

		if (!has_src)
			addr_parse(fam == AF_INET ? "0.0.0.0" : "::", 0, &b, &srclen);
		if (fam == AF_INET)
			((struct sockaddr_in *)&b)->sin_port = htons(sport);
		else
			((struct sockaddr_in6 *)&b)->sin6_port = htons(sport);
		if (bind(udp_fd, (struct sockaddr *)&b, srclen) < 0)
			die("bind to the source address: %s", strerror(errno));
	}
	if (connect(udp_fd, (const struct sockaddr *)dst, dstlen) < 0)
		die("connect: %s", strerror(errno));
	for (int i = 0; i < nslots; i++) {
		int n = payload_make(p, sizeof p, i);

		send(udp_fd, p, (size_t)n, 0); /* errors come back through the error queue */
	}
}

static void udp_client_event(void)
{
	char buf[512];
	int type, code;
	char from[80];

	for (;;) {
		size_t pn = sizeof buf;

		if (!errqueue_read(udp_fd, &type, &code, from, sizeof from, buf, &pn))
			break;
		int i = payload_index(buf, pn);

		if (i >= 0)
			reject_note(&slots[i], fam, type, code, from);
	}
	for (;;) {
		ssize_t n = recv(udp_fd, buf, sizeof buf, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			continue; /* a pending ICMP error reported as errno: read on */
		}
		int i = payload_index(buf, (size_t)n);

		if (i >= 0 && !slots[i].rejected)
			slots[i].replied = 1;
	}
}

/* The receiver answers from the address the datagram was sent to, so that
 * the router's conntrack can reverse any NAT on the way back. */
static void udp_listener_event(int lfd)
{
	for (;;) {
		char buf[512], cbuf[256];
		struct sockaddr_storage peer;
		struct iovec iov = { buf, sizeof buf };
		struct msghdr m = { .msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof cbuf };
		ssize_t n = recvmsg(lfd, &m, MSG_DONTWAIT);
		struct sockaddr_storage local;
		socklen_t ll = sizeof local;
		int i;

		if (n < 0)
			return;
		getsockname(lfd, (struct sockaddr *)&local, &ll);
		char rcbuf[256];
		struct msghdr r = { .msg_name = &peer, .msg_namelen = m.msg_namelen, .msg_iov = &iov, .msg_iovlen = 1 };

		int ttl = -1, tos = -1;

		memset(rcbuf, 0, sizeof rcbuf);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_TTL) {
				memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
			} else if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_TOS) {
				tos = *(const uint8_t *)CMSG_DATA(c);
			} else if (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
				memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
			} else if (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_TCLASS) {
				memcpy(&tos, CMSG_DATA(c), sizeof tos);
			} else if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;
				struct cmsghdr *rc;

				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				((struct sockaddr_in *)&local)->sin_addr = pi.ipi_addr;
				r.msg_control = rcbuf;
				r.msg_controllen = CMSG_SPACE(sizeof pi);
				rc = CMSG_FIRSTHDR(&r);
				rc->cmsg_level = SOL_IP;
				rc->cmsg_type = IP_PKTINFO;
				rc->cmsg_len = CMSG_LEN(sizeof pi);
				pi.ipi_spec_dst = pi.ipi_addr;
				pi.ipi_ifindex = 0;
				memcpy(CMSG_DATA(rc), &pi, sizeof pi);
			} else if (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;
				struct cmsghdr *rc;

				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				((struct sockaddr_in6 *)&local)->sin6_addr = pi.ipi6_addr;
				r.msg_control = rcbuf;
				r.msg_controllen = CMSG_SPACE(sizeof pi);
				rc = CMSG_FIRSTHDR(&r);
				rc->cmsg_level = SOL_IPV6;
				rc->cmsg_type = IPV6_PKTINFO;
				rc->cmsg_len = CMSG_LEN(sizeof pi);
				pi.ipi6_ifindex = 0;
				memcpy(CMSG_DATA(rc), &pi, sizeof pi);
			}
		}
		i = payload_index(buf, (size_t)n);
		if (i < 0)
			continue;
		if (!slots[i].seen) {
			slots[i].seen = 1;
			slots[i].seen_ttl = ttl;
			slots[i].seen_tos = tos;
			addr_format(&peer, 1, slots[i].seen_src, sizeof slots[i].seen_src);
			addr_format(&local, 1, slots[i].seen_dst, sizeof slots[i].seen_dst);
		}
		iov.iov_len = (size_t)n;
		sendmsg(lfd, &r, 0);
	}
}

/* ---- ICMP --------------------------------------------------------------- */

static int icmp_fd;

static int icmp_echo_type(void)
{
	return fam == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
}

static int icmp_expects_reply(void)
{
	return icmp_type == icmp_echo_type();
}

static void icmp_start(const struct sockaddr_storage *src, socklen_t srclen, int has_src,
		       const struct sockaddr_storage *dst, socklen_t dstlen)
{
	icmp_fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK, fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (icmp_fd < 0)
		die("raw socket: %s", strerror(errno));
	if (has_src && bind(icmp_fd, (const struct sockaddr *)src, srclen) < 0)
		die("bind to the source address: %s", strerror(errno));
	for (int i = 0; i < nslots; i++) {
		uint8_t pkt[128];
		int n = 8;

		memset(pkt, 0, sizeof pkt);
		pkt[0] = (uint8_t)icmp_type;
		pkt[1] = (uint8_t)icmp_code;
		pkt[4] = (uint8_t)(echo_ident >> 8);
		pkt[5] = (uint8_t)echo_ident;
		pkt[6] = (uint8_t)((i + 1) >> 8);
		pkt[7] = (uint8_t)(i + 1);
		n += payload_make((char *)pkt + 8, sizeof pkt - 8, i);
		if (fam == AF_INET) {
			uint16_t c = csum(pkt, (size_t)n);

			memcpy(pkt + 2, &c, 2);
		} /* the kernel fills in ICMPv6 checksums of raw sockets */
		sendto(icmp_fd, pkt, (size_t)n, 0, (const struct sockaddr *)dst, dstlen);
	}
}

/* Our echo (type, id) quoted inside an ICMP error: which slot it was. */
static int icmp_quoted_slot(const uint8_t *q, size_t qn)
{
	if (qn < 8 || q[0] != icmp_type || (uint16_t)(q[4] << 8 | q[5]) != echo_ident)
		return -1;
	int seq = q[6] << 8 | q[7];

	return seq >= 1 && seq <= nslots ? seq - 1 : -1;
}

static void icmp_client_event(void)
{
	for (;;) {
		uint8_t buf[1500];
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(icmp_fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		const uint8_t *h = buf;
		size_t hn = (size_t)(n > 0 ? n : 0);
		char fa[80];

		if (n < 0)
			return;
		addr_format(&from, 0, fa, sizeof fa);
		if (fam == AF_INET) {
			size_t ihl;

			if (hn < 20)
				continue;
			ihl = (size_t)(buf[0] & 15) * 4;
			if (hn < ihl + 8)
				continue;
			h += ihl;
			hn -= ihl;
			if (h[0] == ICMP_ECHOREPLY && icmp_type == ICMP_ECHO) {
				int i = icmp_quoted_slot((const uint8_t[]){ ICMP_ECHO, 0, 0, 0, h[4], h[5], h[6], h[7] }, 8);

				if (i >= 0 && !slots[i].rejected)
					slots[i].replied = 1;
			} else if (h[0] == ICMP_DEST_UNREACH || h[0] == ICMP_TIME_EXCEEDED || h[0] == ICMP_PARAMETERPROB) {
				const uint8_t *in = h + 8;
				size_t inn = hn - 8, iihl;

				if (inn < 20 || in[9] != IPPROTO_ICMP)
					continue;
				iihl = (size_t)(in[0] & 15) * 4;
				if (inn < iihl + 8)
					continue;
				int i = icmp_quoted_slot(in + iihl, inn - iihl);

				if (i >= 0)
					reject_note(&slots[i], AF_INET, h[0], h[1], fa);
			}
		} else {
			if (hn < 8)
				continue;
			if (h[0] == ICMP6_ECHO_REPLY && icmp_type == ICMP6_ECHO_REQUEST) {
				int i = icmp_quoted_slot((const uint8_t[]){ ICMP6_ECHO_REQUEST, 0, 0, 0, h[4], h[5], h[6], h[7] },
							 8);

				if (i >= 0 && !slots[i].rejected)
					slots[i].replied = 1;
			} else if (h[0] >= 1 && h[0] <= 4) {
				const uint8_t *in = h + 8;
				size_t inn = hn - 8;

				if (inn < 48 || in[6] != IPPROTO_ICMPV6)
					continue;
				int i = icmp_quoted_slot(in + 40, inn - 40);

				if (i >= 0)
					reject_note(&slots[i], AF_INET6, h[0], h[1], fa);
			}
		}
	}
}

static void icmp_listener_event(int lfd)
{
	for (;;) {
		uint8_t buf[1500];
		char cbuf[256];
		struct sockaddr_storage peer;
		struct iovec iov = { buf, sizeof buf };
		struct msghdr m = { .msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof cbuf };
		ssize_t n = recvmsg(lfd, &m, MSG_DONTWAIT);
		const uint8_t *h = buf;
		size_t hn = (size_t)(n > 0 ? n : 0);
		char src[80] = "?", dst[80] = "?";
		int i;

		if (n < 0)
			return;
		if (fam == AF_INET) {
			size_t ihl;

			if (hn < 20)
				continue;
			ihl = (size_t)(buf[0] & 15) * 4;
			if (hn < ihl + 8)
				continue;
			raw_format(AF_INET, buf + 12, src, sizeof src);
			raw_format(AF_INET, buf + 16, dst, sizeof dst);
			h += ihl;
			hn -= ihl;
		} else {
			addr_format(&peer, 0, src, sizeof src);
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
				if (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
					struct in6_pktinfo pi;

					memcpy(&pi, CMSG_DATA(c), sizeof pi);
					raw_format(AF_INET6, &pi.ipi6_addr, dst, sizeof dst);
				}
		}
		if (hn < 8 || h[0] != icmp_type)
			continue;
		i = payload_index((const char *)h + 8, hn - 8);
		if (i < 0 || slots[i].seen)
			continue;
		slots[i].seen = 1;
		snprintf(slots[i].seen_src, sizeof slots[i].seen_src, "%s", src);
		snprintf(slots[i].seen_dst, sizeof slots[i].seen_dst, "%s", dst);
	}
}

/* ---- lone TCP segments ------------------------------------------------------ */

static int seg_fd;

static int flags_parse(const char *text)
{
	static const char *const names[] = { "fin", "syn", "rst", "psh", "ack", "urg" };
	char buf[64], *save = NULL;
	int f = 0;

	snprintf(buf, sizeof buf, "%s", text);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < 6 && strcmp(t, names[i]); i++)
			;
		if (i == 6)
			die("unknown TCP flag %s", t);
		f |= 1 << i;
	}
	return f;
}

/* The address the kernel would send from: the IPv4 checksum covers it. */
static void source_pick(struct sockaddr_storage *src, socklen_t *srclen, const struct sockaddr_storage *dst,
			socklen_t dstlen)
{
	int fd = socket(fam, SOCK_DGRAM, 0);

	*srclen = sizeof *src;
	if (fd < 0 || connect(fd, (const struct sockaddr *)dst, dstlen) < 0 ||
	    getsockname(fd, (struct sockaddr *)src, srclen) < 0)
		die("no route to the destination: %s", strerror(errno));
	close(fd);
}

static void segment_start(struct sockaddr_storage *src, socklen_t srclen, int has_src, int sport,
			  const struct sockaddr_storage *dst, socklen_t dstlen)
{
	int off = 16;

	if (!has_src)
		source_pick(src, &srclen, dst, dstlen);
	seg_fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_TCP);
	if (seg_fd < 0)
		die("raw socket: %s", strerror(errno));
	sock_recverr(seg_fd);
	if (bind(seg_fd, (const struct sockaddr *)src, srclen) < 0)
		die("bind to the source address: %s", strerror(errno));
	if (fam == AF_INET6)
		setsockopt(seg_fd, SOL_IPV6, IPV6_CHECKSUM, &off, sizeof off);
	/* A raw IPv6 socket reads the port of the address it sends to as a
	 * protocol number. */
	struct sockaddr_storage to = *dst;

	if (fam == AF_INET6)
		((struct sockaddr_in6 *)&to)->sin6_port = 0;
	seg_sport = sport ? sport : 20000 + (int)(nonce % 30000);
	seg_seq = nonce;
	for (int i = 0; i < nslots; i++) {
		uint8_t t[20];
		uint32_t seq = seg_seq + (uint32_t)i;
		int dport = ntohs(fam == AF_INET ? ((const struct sockaddr_in *)dst)->sin_port
						 : ((const struct sockaddr_in6 *)dst)->sin6_port);

		memset(t, 0, sizeof t);
		t[0] = (uint8_t)(seg_sport >> 8);
		t[1] = (uint8_t)seg_sport;
		t[2] = (uint8_t)(dport >> 8);
		t[3] = (uint8_t)dport;
		t[4] = (uint8_t)(seq >> 24);
		t[5] = (uint8_t)(seq >> 16);
		t[6] = (uint8_t)(seq >> 8);
		t[7] = (uint8_t)seq;
		if (seg_flags & 16) /* an acknowledgement number for ACK */
			t[8] = 0x5e, t[9] = 0x11, t[10] = 0xab, t[11] = 0x1e;
		t[12] = 5 << 4;
		t[13] = (uint8_t)seg_flags;
		t[14] = 0xfa; /* window 64240 */
		t[15] = 0xf0;
		if (fam == AF_INET) {
			uint8_t ph[32];
			uint16_t c;

			memcpy(ph, &((struct sockaddr_in *)src)->sin_addr, 4);
			memcpy(ph + 4, &((const struct sockaddr_in *)dst)->sin_addr, 4);
			ph[8] = 0;
			ph[9] = IPPROTO_TCP;
			ph[10] = 0;
			ph[11] = sizeof t;
			memcpy(ph + 12, t, sizeof t);
			c = csum(ph, 12 + sizeof t);
			memcpy(t + 16, &c, 2);
		}
		sendto(seg_fd, t, sizeof t, 0, (const struct sockaddr *)&to, dstlen);
	}
}

static void segment_client_event(void)
{
	char from[80], pl[512];
	int type, code;

	for (;;) {
		size_t pn = sizeof pl;

		if (!errqueue_read(seg_fd, &type, &code, from, sizeof from, pl, &pn))
			break;
		/* The quoted segment: its sequence number tells which one. */
		if (pn >= 8) {
			uint32_t seq = (uint32_t)(uint8_t)pl[4] << 24 | (uint32_t)(uint8_t)pl[5] << 16 |
				       (uint32_t)(uint8_t)pl[6] << 8 | (uint8_t)pl[7];

			if (seq - seg_seq < (uint32_t)nslots)
				reject_note(&slots[seq - seg_seq], fam, type, code, from);
		}
	}
	for (;;) {
		uint8_t buf[1500];

		if (recv(seg_fd, buf, sizeof buf, MSG_DONTWAIT) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
	}
}

static void segment_listener_event(int lfd, int lport)
{
	for (;;) {
		uint8_t buf[1500];
		char cbuf[256];
		struct sockaddr_storage peer;
		struct iovec iov = { buf, sizeof buf };
		struct msghdr m = { .msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof cbuf };
		ssize_t n = recvmsg(lfd, &m, MSG_DONTWAIT);
		const uint8_t *t = buf;
		size_t tn = (size_t)(n > 0 ? n : 0);
		char src[80] = "?", dst[80] = "?";

		if (n < 0)
			return;
		if (fam == AF_INET) {
			size_t ihl;

			if (tn < 20)
				continue;
			ihl = (size_t)(buf[0] & 15) * 4;
			raw_format(AF_INET, buf + 12, src, sizeof src);
			raw_format(AF_INET, buf + 16, dst, sizeof dst);
			t += ihl;
			tn = tn > ihl ? tn - ihl : 0;
		} else {
			addr_format(&peer, 0, src, sizeof src);
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
				if (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
					struct in6_pktinfo pi;

					memcpy(&pi, CMSG_DATA(c), sizeof pi);
					raw_format(AF_INET6, &pi.ipi6_addr, dst, sizeof dst);
				}
		}
		if (tn < 20 || (t[2] << 8 | t[3]) != lport || t[13] != seg_flags)
			continue;
		uint32_t seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
		int sp = t[0] << 8 | t[1];

		if (seq - seg_seq >= (uint32_t)nslots)
			continue;
		struct slot *s = &slots[seq - seg_seq];

		if (s->seen)
			continue;
		s->seen = 1;
		if (fam == AF_INET) {
			snprintf(s->seen_src, sizeof s->seen_src, "%s:%d", src, sp);
			snprintf(s->seen_dst, sizeof s->seen_dst, "%s:%d", dst, lport);
		} else {
			snprintf(s->seen_src, sizeof s->seen_src, "[%s]:%d", src, sp);
			snprintf(s->seen_dst, sizeof s->seen_dst, "[%s]:%d", dst, lport);
		}
	}
}

/* ---- main --------------------------------------------------------------- */

static int slot_done(const struct slot *s)
{
	if (s->rejected)
		return 1;
	switch (proto) {
	case P_TCP:
		return s->connected && s->seen;
	case P_UDP:
		return s->replied && s->seen;
	case P_ICMP:
		return icmp_expects_reply() ? s->replied && s->seen : s->seen;
	case P_SEGMENT:
		return s->seen;
	default:
		return 0;	/* ftp and tftp run on their own */
	}
}

/* -H: a child keeps this process's sockets (connections) open for
 * `seconds`; the last line printed names it. */
static void hold_open(int seconds)
{
	pid_t child;

	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork: %s", strerror(errno));
	if (child == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Let the caller's $(...) finish: no inherited output. */
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		sleep((unsigned)seconds);
		_exit(0);
	}
	printf("held %d\n", (int)child);
}

/* ---- ftp and tftp: secondary connections through a helper ---------------- */

static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { fd, events, 0 };
	long long left;

	while ((left = deadline - now_ms()) > 0) {
		int r = poll(&p, 1, (int)left);

		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
	}
	return 0;
}

static int tcp_socket(const struct sockaddr_storage *bind_to, socklen_t len)
{
	int one = 1, fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind_to && bind(fd, (const struct sockaddr *)bind_to, len) < 0)
		die("bind: %s", strerror(errno));
	return fd;
}

/* connect() on a non-blocking socket, finished before the deadline. */
static int tcp_connect(int fd, const struct sockaddr_storage *to, socklen_t len, long long deadline)
{
	int err = 0;
	socklen_t el = sizeof err;

	if (connect(fd, (const struct sockaddr *)to, len) == 0)
		return 1;
	if (errno != EINPROGRESS || !wait_fd(fd, POLLOUT, deadline))
		return 0;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
	return err == 0;
}

static int tcp_accept(int lfd, long long deadline)
{
	if (!wait_fd(lfd, POLLIN, deadline))
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
}

/* The client's PORT line for the port `data` listens on. */
static void port_send(int ctl, int data)
{
	struct sockaddr_in me, dl;
	socklen_t l1 = sizeof me, l2 = sizeof dl;
	unsigned char *a = (unsigned char *)&me.sin_addr;
	unsigned port;
	char line[80];
	int n;

	getsockname(ctl, (struct sockaddr *)&me, &l1);
	getsockname(data, (struct sockaddr *)&dl, &l2);
	port = ntohs(dl.sin_port);
	n = snprintf(line, sizeof line, "PORT %u,%u,%u,%u,%u,%u\r\n", a[0], a[1], a[2], a[3], port >> 8, port & 255);
	if (write(ctl, line, (size_t)n) != n)
		die("PORT: %s", strerror(errno));
}

/* One line from a TCP socket, NUL-terminated; false without one. */
static int line_read(int fd, char *line, size_t size, long long deadline)
{
	size_t got = 0;
	ssize_t n;

	line[0] = '\0';
	while (got < size - 1 && !memchr(line, '\n', got) && wait_fd(fd, POLLIN, deadline)) {
		if ((n = read(fd, line + got, size - 1 - got)) <= 0)
			break;
		got += (size_t)n;
		line[got] = '\0';
	}
	return memchr(line, '\n', got) != NULL;
}

static int ftp_run(const char *from_ns, const char *recv_ns, const struct sockaddr_storage *src, socklen_t srclen,
		   int has_src, int sport, const struct sockaddr_storage *dst, socklen_t dstlen, int lport, int wait_ms,
		   int hold)
{
	struct sockaddr_storage any, back;
	socklen_t anylen, backlen;
	long long deadline = now_ms() + wait_ms;
	int lfd, back_fd, ctl, data, data2 = -1, srv, h[6];
	char line[128], seen_src[80], seen_dst[80];
	struct sockaddr_storage peer;
	socklen_t pl = sizeof peer;

	if (fam != AF_INET)
		die("ftp: IPv4 only (PORT)");
	/* Sockets keep the namespace they are made in. */
	ns_enter(recv_ns);
	lfd = listener_open(lport);
	back_fd = tcp_socket(NULL, 0);
	ns_enter(from_ns);
	addr_parse("0.0.0.0", 0, &any, &anylen);
	data = tcp_socket(has_src ? src : &any, has_src ? srclen : anylen);
	if (listen(data, 1) < 0)
		die("listen: %s", strerror(errno));
	((struct sockaddr_in *)src)->sin_port = htons((uint16_t)sport);
	ctl = tcp_socket(has_src || sport ? src : NULL, srclen);
	if (!tcp_connect(ctl, dst, dstlen, deadline) || (srv = tcp_accept(lfd, deadline)) < 0) {
		puts("dropped");
		return 0;
	}
	getpeername(srv, (struct sockaddr *)&peer, &pl);
	addr_format(&peer, 1, seen_src, sizeof seen_src);
	pl = sizeof peer;
	getsockname(srv, (struct sockaddr *)&peer, &pl);
	addr_format(&peer, 1, seen_dst, sizeof seen_dst);
	/* The helper reads only lines after a newline it has seen: the
	 * first line of a session never counts, as for real clients, which
	 * log in before they announce a port. */
	if (write(ctl, "USER anonymous\r\n", 16) != 16 || !line_read(srv, line, sizeof line, deadline))
		die("ftp: the server got no USER line");
	port_send(ctl, data);
	/* The server reads the PORT line as the helper left it. */
	line_read(srv, line, sizeof line, deadline);
	if (sscanf(line, "PORT %d,%d,%d,%d,%d,%d", &h[0], &h[1], &h[2], &h[3], &h[4], &h[5]) != 6)
		die("ftp: the server got no PORT line (\"%.40s\")", line);
	snprintf(line, sizeof line, "%d.%d.%d.%d", h[0], h[1], h[2], h[3]);
	addr_parse(line, h[4] * 256 + h[5], &back, &backlen);
	deadline = now_ms() + wait_ms;
	if (tcp_connect(back_fd, &back, backlen, deadline) && tcp_accept(data, deadline) >= 0)
		printf("delivered %s %s\n", seen_src, seen_dst);
	else
		printf("one-way %s %s\n", seen_src, seen_dst);
	if (hold > 0) {
		data2 = tcp_socket(&any, anylen);
		if (listen(data2, 1) < 0)
			die("listen: %s", strerror(errno));
		port_send(ctl, data2);
		usleep(100000);
		hold_open(hold);
	}
	return 0;
}

static int tftp_run(const char *from_ns, const char *recv_ns, const struct sockaddr_storage *src, socklen_t srclen,
		    int has_src, int sport, const struct sockaddr_storage *dst, socklen_t dstlen, int lport, int wait_ms)
{
	static const char rrq[] = "\0\1rosfw-probe\0octet";
	static const char dat[] = "\0\3\0\1rosfw";
	struct sockaddr_storage any, peer, me;
	socklen_t anylen;
	long long deadline = now_ms() + wait_ms;
	char buf[128], seen_src[80], seen_dst[80];
	int lfd, reply_fd, cfd;
	struct iovec iov = { buf, sizeof buf };
	char cbuf[256];
	struct msghdr mh = { &peer, sizeof peer, &iov, 1, cbuf, sizeof cbuf, 0 };
	struct cmsghdr *cm;

	ns_enter(recv_ns);
	lfd = listener_open(lport);
	reply_fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (reply_fd < 0)
		die("socket: %s", strerror(errno));
	ns_enter(from_ns);
	addr_parse(fam == AF_INET ? "0.0.0.0" : "::", sport, &any, &anylen);
	cfd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	((struct sockaddr_in *)src)->sin_port = htons((uint16_t)sport);
	if (cfd < 0 || bind(cfd, (const struct sockaddr *)(has_src ? src : &any), has_src ? srclen : anylen) < 0)
		die("udp: %s", strerror(errno));
	if (sendto(cfd, rrq, sizeof rrq, 0, (const struct sockaddr *)dst, dstlen) < 0)
		die("sendto: %s", strerror(errno));
	if (!wait_fd(lfd, POLLIN, deadline) || recvmsg(lfd, &mh, 0) < 0) {
		puts("dropped");
		return 0;
	}
	addr_format(&peer, 1, seen_src, sizeof seen_src);
	/* Where the request arrived: its destination after any NAT. */
	memcpy(&me, dst, dstlen);
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_PKTINFO)
			memcpy(&((struct sockaddr_in *)&me)->sin_addr,
			       &((struct in_pktinfo *)CMSG_DATA(cm))->ipi_addr, sizeof(struct in_addr));
	((struct sockaddr_in *)&me)->sin_port = htons((uint16_t)lport);
	addr_format(&me, 1, seen_dst, sizeof seen_dst);
	/* The answer comes from another port: only the helper makes it
	 * related. */
	if (sendto(reply_fd, dat, sizeof dat, 0, (struct sockaddr *)&peer, mh.msg_namelen) < 0)
		die("sendto: %s", strerror(errno));
	deadline = now_ms() + wait_ms;
	if (wait_fd(cfd, POLLIN, deadline) && recv(cfd, buf, sizeof buf, 0) > 0)
		printf("delivered %s %s\n", seen_src, seen_dst);
	else
		printf("one-way %s %s\n", seen_src, seen_dst);
	return 0;
}

static void usage(void)
{
	die("usage: probe -f FROM_NS [-r RECV_NS -l LPORT] [-s SRC] [-p SPORT] [-n COUNT] [-w MS] "
	    "[-T TYPE[:CODE]] [-F FLAGS] [-H SECONDS] [-Q TOS] tcp|udp|icmp|ftp|tftp DST [DPORT]");
}

int main(int argc, char **argv)
{
	const char *from_ns = NULL, *recv_ns = NULL, *src_text = NULL;
	int sport = 0, lport = -1, dport = 0, wait_ms = 1000, opt, lfd = -1, has_src, hold = 0;
	struct sockaddr_storage src, dst;
	socklen_t srclen = 0, dstlen;
	long long deadline;

	nslots = 1;
	while ((opt = getopt(argc, argv, "f:r:s:p:l:n:w:T:F:H:Q:")) != -1) {
		switch (opt) {
		case 'f': from_ns = optarg; break;
		case 'r': recv_ns = optarg; break;
		case 's': src_text = optarg; break;
		case 'p': sport = atoi(optarg); break;
		case 'l': lport = atoi(optarg); break;
		case 'n': nslots = atoi(optarg); break;
		case 'w': wait_ms = atoi(optarg); break;
		case 'F': seg_flags = flags_parse(optarg); break;
		case 'H': hold = atoi(optarg); break;
		case 'Q': send_tos = atoi(optarg); break;
		case 'T':
			if (sscanf(optarg, "%d:%d", &icmp_type, &icmp_code) < 1)
				usage();
			break;
		default: usage();
		}
	}
	if (!from_ns || argc - optind < 2 || nslots < 1 || nslots > MAXN)
		usage();
	if (!strcmp(argv[optind], "tcp"))
		proto = P_TCP;
	else if (!strcmp(argv[optind], "udp"))
		proto = P_UDP;
	else if (!strcmp(argv[optind], "icmp"))
		proto = P_ICMP;
	else if (!strcmp(argv[optind], "ftp"))
		proto = P_FTP;
	else if (!strcmp(argv[optind], "tftp"))
		proto = P_TFTP;
	else
		usage();
	if (seg_flags && proto == P_TCP)
		proto = P_SEGMENT;
	if (proto != P_ICMP) {
		if (argc - optind < 3)
			usage();
		dport = atoi(argv[optind + 2]);
	}
	addr_parse(argv[optind + 1], dport, &dst, &dstlen);
	fam = dst.ss_family;
	has_src = src_text != NULL;
	if (has_src) {
		addr_parse(src_text, 0, &src, &srclen);
		if (src.ss_family != fam)
			die("source and destination are of different families");
	} else {
		memset(&src, 0, sizeof src);
		src.ss_family = (sa_family_t)fam;
		srclen = fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	}
	if (icmp_type < 0)
		icmp_type = icmp_echo_type();
	if (lport < 0)
		lport = dport;
	{
		unsigned seed = (unsigned)getpid() ^ (unsigned)now_ms();
		int ufd = open("/dev/urandom", O_RDONLY);

		if (ufd >= 0) {
			if (read(ufd, &seed, sizeof seed) != sizeof seed)
				seed ^= (unsigned)time(NULL);
			close(ufd);
		}
		nonce = seed & 0x7fffffff;
		echo_ident = (uint16_t)(seed >> 7);
	}

	if (proto == P_FTP || proto == P_TFTP) {
		if (!recv_ns)
			die("ftp and tftp need a receiver (-r)");
		if (proto == P_FTP) {
			proto = P_TCP;	/* for listener_open */
			return ftp_run(from_ns, recv_ns, &src, srclen, has_src, sport, &dst, dstlen, lport, wait_ms, hold);
		}
		proto = P_UDP;
		return tftp_run(from_ns, recv_ns, &src, srclen, has_src, sport, &dst, dstlen, lport, wait_ms);
	}
	if (recv_ns) {
		ns_enter(recv_ns);
		lfd = listener_open(lport);
	}
	ns_enter(from_ns);
	switch (proto) {
	case P_TCP: tcp_start(&src, srclen, has_src, sport, &dst, dstlen); break;
	case P_UDP: udp_start(&src, srclen, has_src, sport, &dst, dstlen); break;
	case P_ICMP: icmp_start(&src, srclen, has_src, &dst, dstlen); break;
	case P_SEGMENT: segment_start(&src, srclen, has_src, sport, &dst, dstlen); break;
	default: break;
	}

	deadline = now_ms() + wait_ms;
	for (;;) {
		struct pollfd p[MAXN + 2];
		int np = 0, all = 1;
		long long left = deadline - now_ms();

		if (proto == P_TCP)
			for (int i = 0; i < nslots; i++)
				slots[i].seen = i < accepted;
		for (int i = 0; i < nslots; i++)
			all &= slot_done(&slots[i]);
		if (all || left <= 0)
			break;
		if (lfd >= 0)
			p[np++] = (struct pollfd){ lfd, POLLIN, 0 };
		if (proto == P_TCP) {
			for (int i = 0; i < nslots; i++)
				if (!slots[i].connected && !slots[i].rejected)
					p[np++] = (struct pollfd){ slots[i].fd, POLLOUT, 0 };
		} else {
			p[np++] = (struct pollfd){ proto == P_UDP ? udp_fd : proto == P_ICMP ? icmp_fd : seg_fd, POLLIN, 0 };
		}
		if (poll(p, (nfds_t)np, (int)left) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (lfd >= 0) {
			if (proto == P_TCP)
				tcp_listener_event(lfd);
			else if (proto == P_UDP)
				udp_listener_event(lfd);
			else if (proto == P_SEGMENT)
				segment_listener_event(lfd, lport);
			else
				icmp_listener_event(lfd);
		}
		if (proto == P_TCP) {
			for (int i = 0; i < nslots; i++)
				tcp_client_event(&slots[i]);
		} else if (proto == P_UDP) {
			udp_client_event();
		} else if (proto == P_SEGMENT) {
			segment_client_event();
		} else {
			icmp_client_event();
		}
	}

	/* A TCP connection is matched to an accept in order: with several, the
	 * receiver's view is reported for the first ones that connected. */
	int shown = 0;

	for (int i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];

		if (proto == P_TCP) {
			if (s->rejected) {
				puts(s->why);
			} else if (s->connected) {
				if (shown < accepted) {
					printf("delivered %s %s\n", slots[shown].seen_src, slots[shown].seen_dst);
					shown++;
				} else {
					puts("half-open");
				}
			} else {
				puts("dropped");
			}
			continue;
		}
		char extra[64] = "";

		/* DSCP is the TOS byte's upper six bits. */
		if (proto == P_UDP && s->seen && s->seen_ttl >= 0 && s->seen_tos >= 0)
			snprintf(extra, sizeof extra, " ttl=%d dscp=%d", s->seen_ttl, s->seen_tos >> 2);
		if (s->rejected)
			puts(s->why);
		else if (s->seen && (s->replied || proto == P_SEGMENT || (proto == P_ICMP && !icmp_expects_reply())))
			printf("delivered %s %s%s\n", s->seen_src, s->seen_dst, extra);
		else if (s->seen)
			printf("one-way %s %s%s\n", s->seen_src, s->seen_dst, extra);
		else if (s->replied)
			puts("answered-elsewhere");
		else
			puts("dropped");
	}
	if (hold > 0)
		hold_open(hold);
	return 0;
}
