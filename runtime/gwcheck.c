/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "gwcheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "routes.h"
#include "routing.h"
#include "xalloc.h"

/* RouterOS's rule: two pings unanswered in a row and the gateway is down. */
#define GW_MISSES_DOWN 2

/**
 * struct gwstate - one checked route, by the slot the kernel knows it by.
 * @r:      the route, its strings pointing into @dev and @table (the plan
 *          it came from goes with a reload).
 * @misses: pings unanswered in a row.
 * @down:   rosfwd took the route out.
 */
struct gwstate {
	struct route_ent r;
	char dev[IF_NAMESIZE], table[64];
	unsigned misses;
	bool down, seen, answered;
};

/**
 * struct linkstate - a route of the plan as rosfwd last saw it.
 * @oif:     its interface when the kernel last held it, 0: never seen.
 * @dropped: gone while that interface was down: the kernel's doing.
 */
struct linkstate {
	struct route_ent r;
	int oif;
	bool dropped, seen;
};

struct gwcheck {
	struct gwstate *v;
	size_t n, cap;
	struct linkstate *l;
	size_t nl, capl;
	int fd[2];		/* ICMP, ICMPv6 raw sockets; -1: not open */
	uint16_t id;
	bool nosock_said;
};

struct gwcheck *gwcheck_new(void)
{
	struct gwcheck *g = xcalloc(1, sizeof(*g));

	g->fd[0] = g->fd[1] = -1;
	g->id = (uint16_t)getpid();
	return g;
}

void gwcheck_free(struct gwcheck *g)
{
	if (!g)
		return;
	if (g->fd[0] >= 0)
		close(g->fd[0]);
	if (g->fd[1] >= 0)
		close(g->fd[1]);
	free(g->v);
	free(g->l);
	free(g);
}

static bool same_slot(const struct route_ent *a, const struct route_ent *b)
{
	return a->family == b->family && a->table == b->table && a->metric == b->metric && a->dst_len == b->dst_len &&
	       !memcmp(a->dst, b->dst, 16) && !memcmp(a->gw, b->gw, 16);
}

static struct gwstate *state_of(struct gwcheck *g, const struct route_ent *r)
{
	struct gwstate *s;
	size_t i;

	for (i = 0; i < g->n; i++)
		if (same_slot(&g->v[i].r, r))
			return &g->v[i];
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->v = xreallocarray(g->v, g->cap, sizeof(*g->v));
	}
	s = &g->v[g->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

static uint16_t inet_csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)(b[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void ping_send(struct gwcheck *g, const struct gwstate *s, uint16_t seq)
{
	uint8_t pkt[16] = { 0 };
	bool v6 = s->r.family == AF_INET6;

	pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	memcpy(pkt + 4, &(uint16_t){ htons(g->id) }, 2);
	memcpy(pkt + 6, &(uint16_t){ htons(seq) }, 2);
	if (v6) {
		/* the kernel sums ICMPv6; a link-local gateway needs its link */
		struct sockaddr_in6 to = { .sin6_family = AF_INET6 };

		memcpy(&to.sin6_addr, s->r.gw, 16);
		to.sin6_scope_id = s->dev[0] ? if_nametoindex(s->dev) : 0;
		sendto(g->fd[1], pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to));
	} else {
		struct sockaddr_in to = { .sin_family = AF_INET };
		uint16_t sum = inet_csum(pkt, sizeof(pkt));

		memcpy(pkt + 2, &sum, 2);
		memcpy(&to.sin_addr, s->r.gw, 4);
		sendto(g->fd[0], pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to));
	}
}

/* An echo reply of ours: the state it answers, or NULL. */
static struct gwstate *reply_of(struct gwcheck *g, int f, const uint8_t *b, ssize_t n, const void *from)
{
	size_t off = 0;
	uint16_t id, seq;

	if (!f) {
		if (n < 20)
			return NULL;
		off = (size_t)(b[0] & 0x0f) * 4;	/* raw IPv4 sockets read the IP header */
	}
	if (n < (ssize_t)(off + 8) || b[off] != (f ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY))
		return NULL;
	memcpy(&id, b + off + 4, 2);
	memcpy(&seq, b + off + 6, 2);
	id = ntohs(id);
	seq = ntohs(seq);
	if (id != g->id || seq >= g->n || memcmp(g->v[seq].r.gw, from, f ? 16 : 4))
		return NULL;
	return &g->v[seq];
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void answers_wait(struct gwcheck *g, int wait_ms)
{
	int64_t end = now_ms() + wait_ms;
	size_t left = 0, i;

	for (i = 0; i < g->n; i++)
		left += g->v[i].seen && !g->v[i].answered;
	while (left && now_ms() < end) {
		struct pollfd p[2] = { { g->fd[0], POLLIN, 0 }, { g->fd[1], POLLIN, 0 } };
		int f;

		if (poll(p, 2, (int)(end - now_ms())) <= 0)
			continue;
		for (f = 0; f < 2; f++) {
			uint8_t b[1500];
			struct sockaddr_in6 from6;
			struct sockaddr_in from4;
			struct sockaddr *from = f ? (struct sockaddr *)&from6 : (struct sockaddr *)&from4;
			socklen_t fl = f ? sizeof(from6) : sizeof(from4);
			ssize_t n;
			struct gwstate *s;

			if (!(p[f].revents & POLLIN))
				continue;
			n = recvfrom(g->fd[f], b, sizeof(b), MSG_DONTWAIT, from, &fl);
			s = reply_of(g, f, b, n, f ? (const void *)&from6.sin6_addr : (const void *)&from4.sin_addr);
			if (s && !s->answered && s->seen) {
				s->answered = true;
				left--;
			}
		}
	}
}

static void route_say(const struct gwstate *s, const char *what)
{
	char gw[INET6_ADDRSTRLEN];

	inet_ntop(s->r.family, s->r.gw, gw, sizeof(gw));
	fprintf(stderr, "rosfwd: check-gateway=ping: gateway %s of table %s (distance %u) %s\n", gw, s->table,
		s->r.metric, what);
}

void gwcheck_round(struct gwcheck *g, const struct route_plan *p, int wait_ms)
{
	size_t i, n;

	for (i = 0; i < g->n; i++)
		g->v[i].seen = g->v[i].answered = false;
	for (i = 0; p && i < p->nroutes; i++) {
		const struct route_ent *r = &p->routes[i];
		struct gwstate *s;
		int f = r->family == AF_INET6;

		if (!r->check_ping)
			continue;
		if (g->fd[f] < 0)
			g->fd[f] = socket(f ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, f ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
		if (g->fd[f] < 0) {
			if (!g->nosock_said)
				fprintf(stderr, "rosfwd: check-gateway=ping: no ICMP socket (%s): gateways are not checked\n",
					strerror(errno));
			g->nosock_said = true;
			continue;
		}
		s = state_of(g, r);
		s->r = *r;
		snprintf(s->dev, sizeof(s->dev), "%s", r->dev ? r->dev : "");
		snprintf(s->table, sizeof(s->table), "%s", r->table_name ? r->table_name : "?");
		s->r.dev = s->dev[0] ? s->dev : NULL;
		s->r.table_name = s->table;
		s->r.file = NULL;
		s->seen = true;
		ping_send(g, s, (uint16_t)(s - g->v));
	}
	answers_wait(g, wait_ms);
	for (i = n = 0; i < g->n; i++) {
		struct gwstate *s = &g->v[i];

		if (!s->seen)
			continue;	/* no longer in the configuration */
		if (s->answered) {
			s->misses = 0;
			if (s->down && routing_route_set(&s->r, true) == 0) {
				s->down = false;
				route_say(s, "answers again: its route is back");
			}
		} else if (++s->misses >= GW_MISSES_DOWN) {
			/* every round while down: an apply may have put it back */
			if (routing_route_set(&s->r, false) == 0 && !s->down)
				route_say(s, "does not answer: its route is out until it does");
			s->down = true;
		}
		g->v[n++] = *s;
	}
	g->n = n;
}

bool gwcheck_down(const struct route_ent *r, void *gw)
{
	const struct gwcheck *g = gw;
	size_t i;

	for (i = 0; g && i < g->n; i++)
		if (g->v[i].down && same_slot(&g->v[i].r, r))
			return true;
	return false;
}

static struct linkstate *link_of(struct gwcheck *g, const struct route_ent *r)
{
	struct linkstate *ls;
	size_t i;

	for (i = 0; i < g->nl; i++)
		if (same_slot(&g->l[i].r, r))
			return &g->l[i];
	if (g->nl == g->capl) {
		g->capl = g->capl ? g->capl * 2 : 8;
		g->l = xreallocarray(g->l, g->capl, sizeof(*g->l));
	}
	ls = &g->l[g->nl++];
	memset(ls, 0, sizeof(*ls));
	ls->r = *r;
	ls->r.dev = ls->r.table_name = ls->r.file = NULL;	/* the key only */
	return ls;
}

static void link_say(const struct route_ent *r, int oif, const char *what)
{
	char text[256], dev[IF_NAMESIZE];

	routes_route_text(r, r->dev, text, sizeof(text));
	if (oif && if_indextoname((unsigned)oif, dev))
		fprintf(stderr, "rosfwd: route %s (table %s): interface %s %s\n", text,
			r->table_name ? r->table_name : "?", dev, what);
	else
		fprintf(stderr, "rosfwd: route %s (table %s) %s\n", text, r->table_name ? r->table_name : "?", what);
}

size_t gwcheck_links(struct gwcheck *g, const struct route_plan *p)
{
	int *oif;
	size_t i, n, back = 0;

	if (!p || !p->nroutes) {
		g->nl = 0;
		return 0;
	}
	oif = xcalloc(p->nroutes, sizeof(*oif));
	routing_present(p, oif);
	for (i = 0; i < g->nl; i++)
		g->l[i].seen = false;
	for (i = 0; i < p->nroutes; i++) {
		struct linkstate *ls;

		if (oif[i] < 0)
			continue;
		ls = link_of(g, &p->routes[i]);
		ls->seen = true;
		if (oif[i] > 0) {
			ls->oif = oif[i];
			ls->dropped = false;
			continue;
		}
		/* never held: apply left it out (its gateway or interface
		 * was not there yet), to be made once the kernel takes it */
		if (!ls->oif) {
			if (!gwcheck_down(&p->routes[i], g) && routing_route_set(&p->routes[i], true) == 0) {
				link_say(&p->routes[i], 0, "made: the kernel takes it now");
				back++;
			}
			continue;
		}
		/* one an apply removed while its interface was up is not the
		 * kernel's doing, and stays out */
		if (!ls->dropped && !routing_link_up(ls->oif)) {
			ls->dropped = true;
			link_say(&p->routes[i], ls->oif, "went with it: put back when it is up");
		}
		if (ls->dropped && routing_link_up(ls->oif) && !gwcheck_down(&p->routes[i], g) &&
		    routing_route_set(&p->routes[i], true) == 0) {
			ls->dropped = false;
			link_say(&p->routes[i], ls->oif, "is up again: route put back");
			back++;
		}
	}
	for (i = n = 0; i < g->nl; i++)
		if (g->l[i].seen)
			g->l[n++] = g->l[i];
	g->nl = n;
	free(oif);
	return back;
}
