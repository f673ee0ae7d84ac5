/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "routing.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "changes.h"
#include "exitcode.h"
#include "routes.h"
#include "xalloc.h"

/* A route with its interface as the kernel knows it. */
struct kroute {
	struct route_ent e;
	int oif;		/* 0: the kernel's choice (plan), or none */
	char dev[IF_NAMESIZE];
};

struct klist {
	struct kroute *routes;
	size_t nroutes, caproutes;
	struct route_rule *rules;
	size_t nrules, caprules;
};

struct rt {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char *buf;
	char msg[160];		/* the kernel's words for the last refusal (extended ACK), or "" */
};

static int ack_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NLMSGERR_ATTR_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

/* One request with an ACK: 0 or the kernel's errno. */
static int rt_talk(struct rt *t, struct nlmsghdr *nlh)
{
	ssize_t n;
	int rc;

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++t->seq;
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	do
		n = mnl_socket_recvfrom(t->nl, t->buf, MNL_SOCKET_BUFFER_SIZE);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? errno : EIO;
	/* the ACK, or the error with what the kernel says of it */
	t->msg[0] = '\0';
	nlh = (struct nlmsghdr *)t->buf;
	if (mnl_nlmsg_ok(nlh, (int)n) && nlh->nlmsg_type == NLMSG_ERROR &&
	    nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct nlmsgerr))) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
		unsigned hlen = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			hlen += mnl_nlmsg_get_payload_len(&e->msg);
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && mnl_attr_parse(nlh, hlen, ack_attr_cb, tb) >= 0 &&
		    tb[NLMSGERR_ATTR_MSG])
			snprintf(t->msg, sizeof(t->msg), "%.*s", (int)mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_MSG]),
				 (const char *)mnl_attr_get_payload(tb[NLMSGERR_ATTR_MSG]));
	}
	rc = mnl_cb_run(t->buf, (size_t)n, t->seq, t->portid, NULL, NULL);
	return rc < 0 ? errno : 0;
}

static int rt_dump(struct rt *t, uint16_t type, int family, mnl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(t->buf);
	struct rtmsg *rtm;
	ssize_t n;
	int rc = MNL_CB_OK;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++t->seq;
	/* struct fib_rule_hdr and struct rtmsg both start with the family */
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	while (rc > MNL_CB_STOP) {
		n = mnl_socket_recvfrom(t->nl, t->buf, MNL_SOCKET_BUFFER_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		rc = mnl_cb_run(t->buf, (size_t)n, t->seq, t->portid, cb, data);
	}
	return rc < 0 ? errno : 0;
}

/* ---- rules ---------------------------------------------------------------- */

static int rule_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= FRA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void addr_copy(uint8_t *to, const struct nlattr *a)
{
	size_t n = mnl_attr_get_payload_len(a);

	memcpy(to, mnl_attr_get_payload(a), n > 16 ? 16 : n);
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct klist *k = data;
	const struct fib_rule_hdr *h = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[FRA_MAX + 1] = { 0 };
	struct route_rule r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWRULE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*h) ||
	    mnl_attr_parse(nlh, sizeof(*h), rule_attr_cb, tb) < 0)
		return MNL_CB_OK;
	if (!tb[FRA_PROTOCOL] || mnl_attr_get_u8(tb[FRA_PROTOCOL]) != ROUTES_PROTO || !tb[FRA_PRIORITY])
		return MNL_CB_OK;
	r.prio = mnl_attr_get_u32(tb[FRA_PRIORITY]);
	if (r.prio < ROUTES_PRIO_FIRST || r.prio > ROUTES_PRIO_LAST)
		return MNL_CB_OK;
	r.family = h->family;
	if (h->action == FR_ACT_TO_TBL)
		r.action = RA_LOOKUP;
	else if (h->action == FR_ACT_BLACKHOLE)
		r.action = RA_BLACKHOLE;
	else if (h->action == FR_ACT_UNREACHABLE)
		r.action = RA_UNREACHABLE;
	else
		r.action = (enum rule_action)-1;	/* not one rosfw makes: goes */
	r.table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : h->table;
	if (tb[FRA_FWMARK]) {
		r.has_mark = true;
		r.mark = mnl_attr_get_u32(tb[FRA_FWMARK]);
	}
	if ((r.has_src = tb[FRA_SRC] != NULL)) {
		addr_copy(r.src, tb[FRA_SRC]);
		r.src_len = h->src_len;
	}
	if ((r.has_dst = tb[FRA_DST] != NULL)) {
		addr_copy(r.dst, tb[FRA_DST]);
		r.dst_len = h->dst_len;
	}
	if (tb[FRA_IIFNAME])
		r.iif = xstrdup(mnl_attr_get_str(tb[FRA_IIFNAME]));
	if (k->nrules == k->caprules) {
		k->caprules = k->caprules ? k->caprules * 2 : 8;
		k->rules = xreallocarray(k->rules, k->caprules, sizeof(*k->rules));
	}
	k->rules[k->nrules++] = r;
	return MNL_CB_OK;
}

static struct nlmsghdr *rule_put(char *buf, uint16_t type, uint16_t flags, const struct route_rule *r)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *h;
	size_t alen = r->family == AF_INET6 ? 16 : 4;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->family = (uint8_t)r->family;
	h->action = r->action == RA_BLACKHOLE ? FR_ACT_BLACKHOLE : r->action == RA_UNREACHABLE ? FR_ACT_UNREACHABLE
											: FR_ACT_TO_TBL;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->prio);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, ROUTES_PROTO);
	if (r->action == RA_LOOKUP) {
		h->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	}
	if (r->has_mark) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, r->mark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, ROUTES_MARK_MASK);
	}
	if (r->has_src) {
		h->src_len = r->src_len;
		mnl_attr_put(nlh, FRA_SRC, alen, r->src);
	}
	if (r->has_dst) {
		h->dst_len = r->dst_len;
		mnl_attr_put(nlh, FRA_DST, alen, r->dst);
	}
	if (r->iif)
		mnl_attr_put_strz(nlh, FRA_IIFNAME, r->iif);
	return nlh;
}

static bool prefix_eq(bool ha, const uint8_t *a, uint8_t al, bool hb, const uint8_t *b, uint8_t bl, int family)
{
	return ha == hb && (!ha || (al == bl && !memcmp(a, b, family == AF_INET6 ? 16 : 4)));
}

static bool rule_eq(const struct route_rule *a, const struct route_rule *b)
{
	return a->family == b->family && a->prio == b->prio && a->action == b->action &&
	       (a->action != RA_LOOKUP || a->table == b->table) && a->has_mark == b->has_mark &&
	       (!a->has_mark || a->mark == b->mark) &&
	       prefix_eq(a->has_src, a->src, a->src_len, b->has_src, b->src, b->src_len, a->family) &&
	       prefix_eq(a->has_dst, a->dst, a->dst_len, b->has_dst, b->dst, b->dst_len, a->family) &&
	       !a->iif == !b->iif && (!a->iif || !strcmp(a->iif, b->iif));
}

/* ---- routes --------------------------------------------------------------- */

static int route_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= RTA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct klist *k = data;
	const struct rtmsg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct kroute r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*m) ||
	    m->rtm_protocol != ROUTES_PROTO || mnl_attr_parse(nlh, sizeof(*m), route_attr_cb, tb) < 0)
		return MNL_CB_OK;
	r.e.table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : m->rtm_table;
	if (r.e.table < ROUTES_TABLE_BASE || r.e.table > ROUTES_TABLE_LAST)
		return MNL_CB_OK;
	r.e.family = m->rtm_family;
	r.e.dst_len = m->rtm_dst_len;
	if (tb[RTA_DST])
		addr_copy(r.e.dst, tb[RTA_DST]);
	r.e.metric = tb[RTA_PRIORITY] ? mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	r.e.type = m->rtm_type == RTN_BLACKHOLE	    ? RT_BLACKHOLE
		   : m->rtm_type == RTN_PROHIBIT    ? RT_PROHIBIT
		   : m->rtm_type == RTN_UNREACHABLE ? RT_UNREACHABLE
						    : RT_UNICAST;
	if ((r.e.has_gw = tb[RTA_GATEWAY] != NULL))
		addr_copy(r.e.gw, tb[RTA_GATEWAY]);
	r.oif = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	if (k->nroutes == k->caproutes) {
		k->caproutes = k->caproutes ? k->caproutes * 2 : 8;
		k->routes = xreallocarray(k->routes, k->caproutes, sizeof(*k->routes));
	}
	k->routes[k->nroutes++] = r;
	return MNL_CB_OK;
}

static struct nlmsghdr *route_put(char *buf, uint16_t type, uint16_t flags, const struct kroute *k)
{
	static const uint8_t types[] = { RTN_UNICAST, RTN_BLACKHOLE, RTN_PROHIBIT, RTN_UNREACHABLE };
	const struct route_ent *r = &k->e;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *m;
	size_t alen = r->family == AF_INET6 ? 16 : 4;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->rtm_family = (unsigned char)r->family;
	m->rtm_dst_len = r->dst_len;
	m->rtm_table = RT_TABLE_UNSPEC;
	m->rtm_protocol = ROUTES_PROTO;
	m->rtm_type = types[r->type];
	/* as ip route: a route to an interface alone is on that link */
	m->rtm_scope = r->type == RT_UNICAST && !r->has_gw ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	if (r->dst_len)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst);
	if (r->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->gw);
	if (k->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)k->oif);
	return nlh;
}

/* The same route slot: the kernel replaces one in place. */
static bool route_key_eq(const struct route_ent *a, const struct route_ent *b)
{
	return a->family == b->family && a->table == b->table && a->metric == b->metric && a->dst_len == b->dst_len &&
	       !memcmp(a->dst, b->dst, a->family == AF_INET6 ? 16 : 4);
}

/* `want` as the plan says it: an interface the plan leaves to the kernel
 * matches whichever it chose. */
static bool route_eq(const struct kroute *want, const struct kroute *have)
{
	return route_key_eq(&want->e, &have->e) && want->e.type == have->e.type && want->e.has_gw == have->e.has_gw &&
	       (!want->e.has_gw || !memcmp(want->e.gw, have->e.gw, want->e.family == AF_INET6 ? 16 : 4)) &&
	       (!want->oif || want->oif == have->oif);
}

/* ---- apply ---------------------------------------------------------------- */

/* What was done, to undo it when a later change is refused. */
enum op_kind { OP_ADD_ROUTE, OP_REPLACE_ROUTE, OP_DEL_ROUTE, OP_ADD_RULE, OP_DEL_RULE };

struct op {
	enum op_kind kind;
	const struct kroute *route, *old;	/* old: what a replace replaced */
	const struct route_rule *rule;
};

struct oplog {
	struct op *v;
	size_t n, cap;
};

static void op_log(struct oplog *l, enum op_kind kind, const struct kroute *route, const struct kroute *old,
		   const struct route_rule *rule)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = (struct op){ kind, route, old, rule };
}

/* Undo in reverse order; false when the kernel refused some of it. */
static bool undo(struct rt *t, const struct oplog *l)
{
	bool ok = true;
	size_t i = l->n;

	while (i--) {
		const struct op *o = &l->v[i];
		struct nlmsghdr *nlh;

		switch (o->kind) {
		case OP_ADD_ROUTE:
			nlh = route_put(t->buf, RTM_DELROUTE, 0, o->route);
			break;
		case OP_REPLACE_ROUTE:
			nlh = route_put(t->buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, o->old);
			break;
		case OP_DEL_ROUTE:
			nlh = route_put(t->buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, o->route);
			break;
		case OP_ADD_RULE:
			nlh = rule_put(t->buf, RTM_DELRULE, 0, o->rule);
			break;
		default:
			nlh = rule_put(t->buf, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, o->rule);
			break;
		}
		ok &= rt_talk(t, nlh) == 0;
	}
	return ok;
}

static bool rt_open(struct rt *t, struct diag *d)
{
	memset(t, 0, sizeof(*t));
	t->buf = xmalloc(MNL_SOCKET_BUFFER_SIZE);
	t->seq = (uint32_t)time(NULL);
	if (!(t->nl = mnl_socket_open(NETLINK_ROUTE)) || mnl_socket_bind(t->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		diag_error(d, NULL, "policy routing: rtnetlink: %s", strerror(errno));
		return false;
	}
	t->portid = mnl_socket_get_portid(t->nl);
	{
		int one = 1, fd = mnl_socket_get_fd(t->nl);

		/* the kernel's reason for a refusal, without the message echoed */
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	}
	return true;
}

static void rt_close(struct rt *t)
{
	if (t->nl)
		mnl_socket_close(t->nl);
	free(t->buf);
}

static int klist_read(struct rt *t, struct klist *k, struct diag *d)
{
	int err = rt_dump(t, RTM_GETRULE, AF_UNSPEC, rule_cb, k);

	if (!err)
		err = rt_dump(t, RTM_GETROUTE, AF_INET, route_cb, k);
	if (!err)
		err = rt_dump(t, RTM_GETROUTE, AF_INET6, route_cb, k);
	if (err)
		diag_error(d, NULL, "policy routing: reading rosfw's rules and routes: %s", strerror(err));
	return err;
}

static void klist_free(struct klist *k)
{
	size_t i;

	for (i = 0; i < k->nrules; i++)
		free((char *)k->rules[i].iif);
	free(k->rules);
	free(k->routes);
}

/* The kernel's refusal at the configuration's line, and what is left. */
static int refused(struct rt *t, struct diag *d, const struct oplog *l, const struct loc *at, const char *what,
		   int err)
{
	char why[200];
	bool back;

	snprintf(why, sizeof(why), "%s%s%s", strerror(err), t->msg[0] ? ", " : "", t->msg);
	back = undo(t, l);
	diag_error(d, at, "policy routing: the kernel refused %s: %s; %s", what, why,
		   back ? "rosfw's previous rules and routes are kept (the firewall itself was applied)"
			: "putting rosfw's previous rules and routes back failed too: run apply again, or rosfw flush");
	return EXIT_REFUSED;
}

/* An IPv4 sysctl of interface `dev` ("all" too), or -1. */
static int conf_get(const char *dev, const char *name)
{
	char path[96];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", dev, name);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * Strict reverse-path filtering undoes a dual WAN: the answers to a
 * connection a routing mark sent out of wan2 come back on wan2 unmarked,
 * the main table routes their source out of wan1, and rp_filter=1 drops
 * them. The kernel takes the larger of "all" and the interface's value.
 */
static void rp_filter_check(const struct klist *k, struct diag *d)
{
	int all = conf_get("all", "rp_filter");
	size_t i, j;

	for (i = 0; i < k->nroutes; i++) {
		char name[IF_NAMESIZE];
		int v;

		if (k->routes[i].e.family != AF_INET || !k->routes[i].oif)
			continue;
		for (j = 0; j < i && k->routes[j].oif != k->routes[i].oif; j++)
			;
		if (j < i || !if_indextoname((unsigned)k->routes[i].oif, name))
			continue;
		v = conf_get(name, "rp_filter");
		if ((v > all ? v : all) == 1)
			diag_warning(d, NULL,
				     "net.ipv4.conf.%s.rp_filter is strict (1, or \"all\" is): answers that come back on %s to connections a routing mark sent out of it are dropped whenever the main table routes their source elsewhere; set it to 2 (loose) for policy routing",
				     name, name);
	}
}

/*
 * Fail-over by distance on Linux: a route whose interface loses its
 * carrier (a cable, the modem off) stays in use unless the interface has
 * ignore_routes_with_linkdown; only an interface taken down loses its
 * routes. Said for each interface of a route that a higher distance backs.
 */
static void linkdown_check(const struct klist *k, struct diag *d)
{
	int all = conf_get("all", "ignore_routes_with_linkdown");
	int *said = xcalloc(k->nroutes + 1, sizeof(int));
	size_t i, j, nsaid = 0;

	for (i = 0; i < k->nroutes; i++) {
		const struct kroute *r = &k->routes[i];
		char name[IF_NAMESIZE];
		bool backed = false;

		if (r->e.family != AF_INET || !r->oif)
			continue;
		for (j = 0; j < k->nroutes; j++) {
			const struct kroute *q = &k->routes[j];

			backed |= q->e.family == AF_INET && q->e.table == r->e.table && q->e.dst_len == r->e.dst_len &&
				  !memcmp(q->e.dst, r->e.dst, 4) && q->e.metric > r->e.metric && q->oif != r->oif;
		}
		for (j = 0; j < nsaid && said[j] != r->oif; j++)
			;
		if (!backed || j < nsaid || !if_indextoname((unsigned)r->oif, name) || all > 0 ||
		    conf_get(name, "ignore_routes_with_linkdown") > 0)
			continue;
		said[nsaid++] = r->oif;
		diag_warning(d, NULL,
			     "a route through %s has a fall-back of higher distance, but when %s loses its carrier (cable, modem) Linux goes on routing through it: set net.ipv4.conf.%s.ignore_routes_with_linkdown=1 for the fall-back to take over then too (taking %s down fails over either way)",
			     name, name, name, name);
	}
	free(said);
}

bool routing_link_up(int oif)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up = false;

	if (fd < 0)
		return false;
	if (if_indextoname((unsigned)oif, ifr.ifr_name))
		up = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
	close(fd);
	return up;
}

/* --diff: whether the kernel would take `k`'s gateway now, which it does
 * when the gateway is on a connected network (its route has no gateway of
 * its own), as an apply would find out. */
static bool gw_onlink(struct rt *t, const struct kroute *k)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(t->buf);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	bool v6 = k->e.family == AF_INET6;
	struct rtmsg *m;
	ssize_t n;

	if (!k->e.has_gw || k->e.type != RT_UNICAST)
		return true;
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++t->seq;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->rtm_family = (unsigned char)k->e.family;
	m->rtm_dst_len = v6 ? 128 : 32;
	mnl_attr_put(nlh, RTA_DST, v6 ? 16 : 4, k->e.gw);
	if (k->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)k->oif);
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return true;	/* not known: as if it were */
	do
		n = mnl_socket_recvfrom(t->nl, t->buf, MNL_SOCKET_BUFFER_SIZE);
	while (n < 0 && errno == EINTR);
	nlh = (struct nlmsghdr *)t->buf;
	if (n <= 0 || !mnl_nlmsg_ok(nlh, (int)n) || nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return false;
	m = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*m), route_attr_cb, tb) < 0)
		return true;
	return !tb[RTA_GATEWAY] && !tb[RTA_VIA] && m->rtm_type != RTN_UNREACHABLE && m->rtm_type != RTN_BLACKHOLE &&
	       m->rtm_type != RTN_PROHIBIT;
}

/* --diff: the change a message would make, recorded instead of sent. */
static void diff_route(struct changes *c, enum change_op op, const struct kroute *k, const struct kroute *old)
{
	char text[256], dev[IF_NAMESIZE];
	const char *dn = k->e.dev;
	struct change *ch;

	if (!dn && k->oif)
		dn = if_indextoname((unsigned)k->oif, dev);
	routes_route_text(&k->e, dn, text, sizeof(text));
	ch = changes_add(c, op, "route", k->e.family == AF_INET6 ? "ip6" : "ip", text);
	if (k->e.file) {
		ch->file = xstrdup(k->e.file);
		ch->line = k->e.loc.line;
	}
	if (old) {
		dn = old->oif ? if_indextoname((unsigned)old->oif, dev) : NULL;
		routes_route_text(&old->e, dn, text, sizeof(text));
		change_removed(ch, text);
		routes_route_text(&k->e, k->e.dev, text, sizeof(text));
		change_added(ch, text);
	}
}

static void diff_rule(struct changes *c, enum change_op op, const struct route_rule *r)
{
	char text[256];
	struct change *ch;

	routes_rule_text(r, text, sizeof(text));
	ch = changes_add(c, op, "ip rule", r->family == AF_INET6 ? "ip6" : "ip", text);
	if (r->file) {
		ch->file = xstrdup(r->file);
		ch->line = r->loc.line;
	}
}

/* Apply, or with `dry` record what applying would change. */
static int routing_sync(const struct route_plan *p, struct diag *d, bool *changed, struct changes *dry)
{
	struct rt t;
	struct klist have = { 0 };
	struct kroute *want = NULL;
	bool *kept_route = NULL, *kept_rule = NULL;
	struct oplog log = { 0 };
	size_t nwant = 0, i, j;
	int rc = EXIT_OK, err;

	*changed = false;
	if (!rt_open(&t, d) || klist_read(&t, &have, d)) {
		rt_close(&t);
		klist_free(&have);
		return EXIT_IO;
	}
	kept_route = xcalloc(have.nroutes + 1, sizeof(bool));
	kept_rule = xcalloc(have.nrules + 1, sizeof(bool));
	want = xcalloc((p ? p->nroutes : 0) + 1, sizeof(*want));
	for (i = 0; p && i < p->nroutes; i++) {
		struct kroute *k = &want[nwant];

		k->e = p->routes[i];
		if (k->e.dev && !(k->oif = (int)if_nametoindex(k->e.dev))) {
			diag_warning(d, &k->e.loc,
				     "interface \"%s\" does not exist here: this route of table %s is left out (its packets go on to the next table, main at last)",
				     k->e.dev, k->e.table_name);
			continue;
		}
		nwant++;
	}
	/* Routes first, so no rule ever points at a table still empty. */
	for (i = 0; i < nwant; i++) {
		const struct kroute *old = NULL;

		for (j = 0; j < have.nroutes; j++)
			if (!kept_route[j] && route_key_eq(&want[i].e, &have.routes[j].e)) {
				old = &have.routes[j];
				kept_route[j] = true;
				break;
			}
		if (old && route_eq(&want[i], old))
			continue;
		if (dry && ((want[i].oif && !routing_link_up(want[i].oif)) || !gw_onlink(&t, &want[i]))) {
			diag_warning(d, &want[i].e.loc, "this route of table %s: %s, so apply would leave it out",
				     want[i].e.table_name,
				     want[i].oif && !routing_link_up(want[i].oif) ? "its interface is down"
										  : "its gateway is not on a connected network here");
			if (old)
				kept_route[j] = false;
			continue;
		}
		if (dry) {
			diff_route(dry, old ? CH_CHANGE : CH_ADD, &want[i], old);
			continue;
		}
		err = rt_talk(&t, route_put(t.buf, RTM_NEWROUTE, NLM_F_CREATE | (old ? NLM_F_REPLACE : NLM_F_EXCL),
					    &want[i]));
		if (err == ENETUNREACH || err == EHOSTUNREACH || err == ENETDOWN) {
			/* RouterOS shows such a route inactive and routes
			 * by the others: the same here, said. */
			diag_warning(d, &want[i].e.loc,
				     "this route of table %s is left out: %s (%s); the next apply that can make it does, and rosfwd makes it as soon as it can",
				     want[i].e.table_name,
				     err == ENETDOWN ? "its interface is down" : "its gateway is not on a connected network here",
				     strerror(err));
			if (old)
				kept_route[j] = false;
			continue;
		}
		if (err) {
			rc = refused(&t, d, &log, &want[i].e.loc, "a route", err);
			goto out;
		}
		op_log(&log, old ? OP_REPLACE_ROUTE : OP_ADD_ROUTE, &want[i], old, NULL);
	}
	for (i = 0; p && i < p->nrules; i++) {
		for (j = 0; j < have.nrules; j++)
			if (!kept_rule[j] && rule_eq(&p->rules[i], &have.rules[j]))
				break;
		if (j < have.nrules) {
			kept_rule[j] = true;
			continue;
		}
		if (dry) {
			diff_rule(dry, CH_ADD, &p->rules[i]);
			continue;
		}
		err = rt_talk(&t, rule_put(t.buf, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, &p->rules[i]));
		if (err) {
			rc = refused(&t, d, &log, &p->rules[i].loc, "an ip rule", err);
			goto out;
		}
		op_log(&log, OP_ADD_RULE, NULL, NULL, &p->rules[i]);
	}
	for (j = 0; j < have.nrules; j++) {
		if (kept_rule[j])
			continue;
		if (dry) {
			diff_rule(dry, CH_REMOVE, &have.rules[j]);
			continue;
		}
		if ((err = rt_talk(&t, rule_put(t.buf, RTM_DELRULE, 0, &have.rules[j]))) && err != ENOENT) {
			rc = refused(&t, d, &log, NULL, "removing an old ip rule of rosfw's", err);
			goto out;
		}
		op_log(&log, OP_DEL_RULE, NULL, NULL, &have.rules[j]);
	}
	for (j = 0; j < have.nroutes; j++) {
		if (kept_route[j])
			continue;
		if (dry) {
			diff_route(dry, CH_REMOVE, &have.routes[j], NULL);
			continue;
		}
		if ((err = rt_talk(&t, route_put(t.buf, RTM_DELROUTE, 0, &have.routes[j]))) && err != ESRCH) {
			rc = refused(&t, d, &log, NULL, "removing an old route of rosfw's", err);
			goto out;
		}
		op_log(&log, OP_DEL_ROUTE, &have.routes[j], NULL, NULL);
	}
	*changed = log.n > 0;
	if (p && p->nroutes && !dry) {
		struct klist now = { 0 };

		if (!klist_read(&t, &now, d)) {
			rp_filter_check(&now, d);
			linkdown_check(&now, d);
		}
		klist_free(&now);
	}
out:
	free(log.v);
	free(want);
	free(kept_route);
	free(kept_rule);
	klist_free(&have);
	rt_close(&t);
	return rc;
}

int routing_apply(const struct route_plan *p, struct diag *d, bool *changed)
{
	return routing_sync(p, d, changed, NULL);
}

int routing_diff(const struct route_plan *p, struct changes *c, struct diag *d)
{
	bool changed;

	return routing_sync(p, d, &changed, c);
}

int routing_flush(struct diag *d, bool *changed)
{
	return routing_sync(NULL, d, changed, NULL);
}

int routing_route_set(const struct route_ent *r, bool present)
{
	struct rt t;
	struct kroute k = { .e = *r };
	struct diag *quiet = diag_new(1);
	int err;

	if (r->dev && !(k.oif = (int)if_nametoindex(r->dev))) {
		diag_free(quiet);
		return ENODEV;
	}
	if (!rt_open(&t, quiet)) {
		rt_close(&t);
		diag_free(quiet);
		return errno ? errno : EIO;
	}
	err = rt_talk(&t, present ? route_put(t.buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &k)
				  : route_put(t.buf, RTM_DELROUTE, 0, &k));
	if (!present && err == ESRCH)
		err = 0;
	rt_close(&t);
	diag_free(quiet);
	return err;
}

void routing_present(const struct route_plan *p, int *oif)
{
	struct rt t;
	struct klist have = { 0 };
	struct diag *quiet = diag_new(1);
	size_t i, j;

	for (i = 0; p && i < p->nroutes; i++)
		oif[i] = -1;
	if (!p || !p->nroutes)
		goto out;
	if (rt_open(&t, quiet) && !klist_read(&t, &have, quiet))
		for (i = 0; i < p->nroutes; i++) {
			struct kroute k = { .e = p->routes[i] };

			if (k.e.dev && !(k.oif = (int)if_nametoindex(k.e.dev)))
				continue;
			for (j = 0; j < have.nroutes && !route_eq(&k, &have.routes[j]); j++)
				;
			oif[i] = j < have.nroutes ? have.routes[j].oif : 0;
		}
	rt_close(&t);
out:
	klist_free(&have);
	diag_free(quiet);
}
