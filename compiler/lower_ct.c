/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What rests on connection tracking: service ports as ct helper objects
 * and the rules that assign them, connection tracking on or off, its
 * timeouts as the namespace's sysctls, and the FastTrack flowtable.
 */
#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lower_impl.h"
#include "text.h"
#include "value.h"
#include "xalloc.h"

/* ---- service ports ------------------------------------------------------ */

/*
 * RouterOS's service ports and the Linux helpers behind them. RouterOS is
 * Linux: its helpers are these same kernel modules. h323 is two (Q.931
 * call signalling, RAS), with fixed ports as RouterOS has them; pptp brings
 * its GRE data in through the helper's expectations.
 */
static const struct helper_map {
	const char *ros;
	const char *obj;	/* the ct helper object's name */
	const char *type;	/* the kernel helper */
	uint8_t proto;
	uint16_t fixed;		/* the port whatever the service port's ports=, or 0 */
	bool v4only;		/* Linux's helper registers for IPv4 alone */
} helper_maps[] = {
	{ "ftp", "ftp", "ftp", 6, 0, false },
	{ "tftp", "tftp", "tftp", 17, 0, false },
	{ "irc", "irc", "irc", 6, 0, true },
	{ "h323", "h323-q931", "Q.931", 6, 1720, false },
	{ "h323", "h323-ras", "RAS", 17, 1719, false },
	{ "sip", "sip", "sip", 17, 0, false },
	{ "pptp", "pptp", "pptp", 6, 1723, true },
};

/* The kernel helper names a connection-type matches (ct helper compares
 * the helper's own name); NULL for types Linux has no helper for. */
const char *const *lower_ct_helper_names(enum conn_type type)
{
	static const char *const ftp[] = { "ftp", NULL }, *const tftp[] = { "tftp", NULL },
				 *const irc[] = { "irc", NULL }, *const sip[] = { "sip", NULL },
				 *const pptp[] = { "pptp", NULL },
				 /* H.245 comes from Q.931's expectations, with the helper. */
				 *const h323[] = { "Q.931", "RAS", "H.245", NULL };
	static const char *const *const map[] = {
		[CTYPE_FTP] = ftp, [CTYPE_TFTP] = tftp, [CTYPE_IRC] = irc, [CTYPE_SIP] = sip, [CTYPE_PPTP] = pptp,
		[CTYPE_H323] = h323,
	};

	return (size_t)type < sizeof(map) / sizeof(map[0]) ? map[type] : NULL;
}

struct ir_chain *lower_base_chain(struct lctx *L, const char *name, enum ir_hook hook, int prio, const char *facility)
{
	struct ir_chain *c = ir_chain_find(L->t, name);

	if (c)
		return c;
	c = ir_chain_add(L->ir, L->t, name);
	c->hook = hook;
	c->type = CHAIN_FILTER;
	c->prio = prio;
	c->facility = facility;
	return c;
}

static void helper_rule(struct lctx *L, struct ir_chain *c, const struct helper_map *h, const struct vrange *ports,
			size_t nports, const char *comment)
{
	struct ir_rule *r = ir_rule_add(L->ir, c, -1, comment, NULL);
	struct ir_stmt *s = ir_stmt_add(L->ir, r, S_MATCH);

	s->u.m.key = K_META_L4PROTO;
	s->u.m.op = OP_EQ;
	s->u.m.v = ir_data_be(h->proto, 1);
	s = ir_stmt_add(L->ir, r, S_MATCH);
	lower_numbers(L, h->proto == 6 ? K_TCP_DPORT : K_UDP_DPORT, ports, nports, false, &s->u.m);
	s = ir_stmt_add(L->ir, r, S_CT_HELPER_SET);
	s->u.obj.name = ir_strdup(L->ir, h->obj);
}

/* The kernel only ever gives a helper to a connection it has not confirmed
 * yet (its first packet): every other packet, of every connection, passes
 * this one compare instead of a rule per service port. */
static void helper_entry(struct lctx *L, struct ir_chain *from, const char *to)
{
	struct ir_rule *r = ir_rule_add(L->ir, from, -1, "service-port", NULL);
	struct ir_stmt *s = ir_stmt_add(L->ir, r, S_MATCH);

	s->u.m.key = K_CT_STATUS;
	s->u.m.op = OP_EQ;
	s->u.m.masked = true;
	s->u.m.mask = ir_data_host(0x8, 4);	/* IPS_CONFIRMED */
	s->u.m.v = ir_data_host(0, 4);
	s = ir_stmt_add(L->ir, r, S_VERDICT);
	s->u.verdict.kind = V_JUMP;
	s->u.verdict.chain = to;
}

/*
 * Linux assigns no helper by itself: every enabled service port becomes a
 * ct helper object and a rule that gives it to new connections to its
 * ports, locally made ones included. The chains run after conntrack and
 * after dstnat (priority filter), so a forwarded port meets the helper of
 * the port it was forwarded to.
 */
void lower_helpers(struct lctx *L)
{
	size_t i, j;
	struct ir_chain *pre = NULL, *out = NULL, *assign = NULL;

	if (L->tracking_off)
		return;
	for (i = 0; i < model_count(L->m, MK_SERVICE_PORT); i++) {
		const struct mitem *it = model_item(L->m, MK_SERVICE_PORT, i);
		const char *name = mitem_value(it, MK_SERVICE_PORT, P_NAME);
		const struct mprop *ports = mitem_prop(it, P_PORTS);
		bool known = false;
		char key[64];

		if (!name)
			continue;
		for (j = 0; j < sizeof(helper_maps) / sizeof(helper_maps[0]); j++) {
			const struct helper_map *h = &helper_maps[j];
			struct vrange fixed = { h->fixed, h->fixed };
			const struct vrange *p = &fixed;
			size_t np = 1;
			char comment[64];

			if (strcmp(h->ros, name))
				continue;
			known = true;
			if (!h->fixed)
				p = ports && mprop_len(ports) ? mprop_ranges(ports, &np) : NULL;
			if (it->disabled || !p || (h->v4only && L->v6))
				continue;
			if (!pre) {
				assign = ir_chain_add(L->ir, L->t, "helper.assign");
				assign->facility = "conntrack";
				pre = lower_base_chain(L, "helper.prerouting", HOOK_PREROUTING, 0, "conntrack");
				out = lower_base_chain(L, "helper.output", HOOK_OUTPUT, 0, "conntrack");
				helper_entry(L, pre, assign->name);
				helper_entry(L, out, assign->name);
			}
			ir_helper_add(L->ir, L->t, h->obj, h->type, h->proto);
			snprintf(comment, sizeof(comment), "service-port %s", name);
			helper_rule(L, assign, h, p, np, ir_strdup(L->ir, comment));
		}
		if (known)
			continue;
		/* Said once, whichever family's table comes first. */
		snprintf(key, sizeof(key), "service-port %s", name);
		if (!strcmp(name, "udplite") || !strcmp(name, "dccp") || !strcmp(name, "sctp")) {
			/* Protocol trackers, built into Linux's conntrack and
			 * always on: what RouterOS's switch turns off has no
			 * equivalent here. */
			if (it->disabled && lower_once(L, key))
				diag_warning(L->d, &it->loc,
					     "service-port %s: Linux always tracks %s connections itself (a protocol tracker, not a helper); disabled=yes has no effect",
					     name, name);
		} else if (!it->disabled && lower_once(L, key)) {
			diag_warning(L->d, &it->loc,
				     "service-port %s: Linux has no %s helper; its secondary connections are new, not related",
				     name, name);
		}
	}
}

/* The options of the SIP helper are the kernel module's, for every
 * namespace at once; nftables cannot set them. */
static void sip_options(struct lctx *L)
{
	size_t i;

	for (i = 0; i < model_count(L->m, MK_SERVICE_PORT); i++) {
		const struct mitem *it = model_item(L->m, MK_SERVICE_PORT, i);
		const struct mprop *dm = mitem_prop(it, P_SIP_DIRECT_MEDIA);
		const struct mprop *to = mitem_prop(it, P_SIP_TIMEOUT);

		if (dm && !dm->v.u)
			diag_warning(L->d, &dm->loc,
				     "sip-direct-media=no cannot be set per firewall: Linux's SIP helper keeps its module parameter sip_direct_media (1, as yes)");
		if (to && mprop_len(to) && to->v.u != 3600000)
			diag_warning(L->d, &to->loc,
				     "sip-timeout cannot be set per firewall: Linux's SIP helper keeps its module parameter sip_timeout (1h)");
	}
}

/* ---- connection tracking on or off --------------------------------------- */

/* Properties and actions that read or write connection tracking. */
static bool rule_uses_conntrack(const struct mitem *it, enum menu_kind k)
{
	static const enum prop_id props[] = {
		P_CONNECTION_BYTES, P_CONNECTION_LIMIT, P_CONNECTION_MARK, P_CONNECTION_NAT_STATE,
		P_CONNECTION_RATE, P_CONNECTION_STATE, P_CONNECTION_TYPE,
		P_TLS_HOST, P_LAYER7_PROTOCOL, P_CONTENT,	/* kept on the connection's label */
	};
	enum action_id a = mitem_action(it, k);
	size_t i;

	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (mitem_prop(it, props[i]))
			return true;
	return a == A_MARK_CONNECTION || a == A_FASTTRACK_CONNECTION;
}

static bool config_uses_conntrack(const struct model *m)
{
	static const enum menu_kind ks[] = { MK_FILTER4, MK_MANGLE4, MK_FILTER6, MK_MANGLE6 };
	size_t i, j;

	for (i = 0; i < model_count(m, MK_NAT4); i++)
		if (!model_item(m, MK_NAT4, i)->disabled)
			return true;
	for (i = 0; i < model_count(m, MK_NAT6); i++)
		if (!model_item(m, MK_NAT6, i)->disabled)
			return true;
	for (j = 0; j < sizeof(ks) / sizeof(ks[0]); j++)
		for (i = 0; i < model_count(m, ks[j]); i++) {
			const struct mitem *it = model_item(m, ks[j], i);

			if (!it->disabled && rule_uses_conntrack(it, ks[j]))
				return true;
		}
	return false;
}

/*
 * enabled=no: nothing is tracked. A notrack after raw (whose rules still
 * run first, as on RouterOS) and before conntrack, in chains of its own so
 * no accept in raw can skip it. enabled=auto is off while no rule uses
 * connection state and no NAT rule exists (reference 004).
 */
void lower_tracking(struct lctx *L)
{
	static const struct {
		const char *name;
		enum ir_hook hook;
	} hooks[] = { { "notrack.prerouting", HOOK_PREROUTING }, { "notrack.output", HOOK_OUTPUT } };
	const struct mitem *ct = model_item(L->m, MK_CONNTRACK, 0);
	const struct mprop *en = ct ? mitem_get(ct, MK_CONNTRACK, P_ENABLED) : NULL;
	const struct mprop *p = ct ? mitem_prop(ct, P_ENABLED) : NULL;
	size_t i;

	L->tracking_off = en && (en->v.u == CTRACK_NO || (en->v.u == CTRACK_AUTO && !config_uses_conntrack(L->m)));
	if (!L->tracking_off)
		return;
	if (en->v.u == CTRACK_NO && config_uses_conntrack(L->m) && lower_once(L, "tracking off"))
		diag_warning(L->d, p ? &p->loc : NULL,
			     "connection tracking is off (enabled=no): rules that use connection state, connection marks or NAT never act, as on RouterOS");
	for (i = 0; i < 2; i++) {
		struct ir_chain *c = lower_base_chain(L, hooks[i].name, hooks[i].hook, -299, "conntrack");
		struct ir_rule *r = ir_rule_add(L->ir, c, -1, "connection tracking enabled=no", NULL);

		ir_stmt_add(L->ir, r, S_NOTRACK);
	}
}

/* ---- tracking settings: sysctls of the namespace ------------------------- */

enum ct_conv { CV_SECONDS, CV_COUNT, CV_YESNO, CV_ALWAYS_ON };

/* Append only: a row's index names its sysctl in what apply keeps of the
 * values it found (runtime/ctsysctl.c), across rosfw versions. */
static const struct ct_setting {
	enum prop_id ros;
	const char *sysctl;
	enum ct_conv conv;
} ct_settings[] = {
	{ P_MAX_CONNECTIONS, "nf_conntrack_max", CV_COUNT },
	{ P_TCP_SYN_SENT_TIMEOUT, "nf_conntrack_tcp_timeout_syn_sent", CV_SECONDS },
	{ P_TCP_SYN_RECEIVED_TIMEOUT, "nf_conntrack_tcp_timeout_syn_recv", CV_SECONDS },
	{ P_TCP_ESTABLISHED_TIMEOUT, "nf_conntrack_tcp_timeout_established", CV_SECONDS },
	{ P_TCP_FIN_WAIT_TIMEOUT, "nf_conntrack_tcp_timeout_fin_wait", CV_SECONDS },
	{ P_TCP_CLOSE_WAIT_TIMEOUT, "nf_conntrack_tcp_timeout_close_wait", CV_SECONDS },
	{ P_TCP_LAST_ACK_TIMEOUT, "nf_conntrack_tcp_timeout_last_ack", CV_SECONDS },
	{ P_TCP_TIME_WAIT_TIMEOUT, "nf_conntrack_tcp_timeout_time_wait", CV_SECONDS },
	{ P_TCP_CLOSE_TIMEOUT, "nf_conntrack_tcp_timeout_close", CV_SECONDS },
	{ P_TCP_UNACKED_TIMEOUT, "nf_conntrack_tcp_timeout_unacknowledged", CV_SECONDS },
	{ P_TCP_MAX_RETRANS_TIMEOUT, "nf_conntrack_tcp_timeout_max_retrans", CV_SECONDS },
	{ P_UDP_TIMEOUT, "nf_conntrack_udp_timeout", CV_SECONDS },
	{ P_UDP_STREAM_TIMEOUT, "nf_conntrack_udp_timeout_stream", CV_SECONDS },
	{ P_ICMP_TIMEOUT, "nf_conntrack_icmp_timeout", CV_SECONDS },
	{ P_ICMP_TIMEOUT, "nf_conntrack_icmpv6_timeout", CV_SECONDS },
	{ P_GENERIC_TIMEOUT, "nf_conntrack_generic_timeout", CV_SECONDS },
	{ P_LOOSE_TCP_TRACKING, "nf_conntrack_tcp_loose", CV_YESNO },
	{ P_LIBERAL_TCP_TRACKING, "nf_conntrack_tcp_be_liberal", CV_YESNO },
	/* No setting of RouterOS's: it counts every connection's bytes
	 * (print connection shows them, FastTrack's row sums them). */
	{ P__COUNT, "nf_conntrack_acct", CV_ALWAYS_ON },
};

const char *lower_ct_sysctl_name(size_t i)
{
	return i < sizeof(ct_settings) / sizeof(ct_settings[0]) ? ct_settings[i].sysctl : NULL;
}

/*
 * The router's tracking settings, its defaults included: a Linux kernel's
 * own defaults differ (5 days established, 2 minutes syn-sent), and the
 * firewall should keep connections as long as the router did.
 */
void lower_sysctls(struct lctx *L)
{
	const struct mitem *ct = model_item(L->m, MK_CONNTRACK, 0);
	size_t i;

	if (!ct)
		return;
	for (i = 0; i < sizeof(ct_settings) / sizeof(ct_settings[0]); i++) {
		const struct ct_setting *cs = &ct_settings[i];
		const struct mprop *p;
		uint64_t n;
		struct ir_sysctl *s;
		char text[96];

		if (cs->conv == CV_ALWAYS_ON) {
			s = ir_sysctl_add(L->ir, cs->sysctl, 1);
			s->ros = "connection bytes counted, as RouterOS does";
			continue;
		}
		p = mitem_get(ct, MK_CONNTRACK, cs->ros);
		/* max-entries is the older name of max-connections. */
		if (!mitem_prop(ct, cs->ros) && cs->ros == P_MAX_CONNECTIONS && mitem_prop(ct, P_MAX_ENTRIES))
			p = mitem_prop(ct, P_MAX_ENTRIES);
		if (!p || !mprop_len(p))
			continue;
		n = p->v.u;
		/* The kernel keeps whole seconds; 0 would expire at once. */
		if (cs->conv == CV_SECONDS)
			n = n / 1000 ? n / 1000 : 1;
		s = ir_sysctl_add(L->ir, cs->sysctl, n);
		snprintf(text, sizeof(text), "%s=%s", prop_def(cs->ros)->name, p->value);
		s->ros = ir_strdup(L->ir, text);
		s->loc = p->loc;
	}
	sip_options(L);
}

/* ---- FastTrack ----------------------------------------------------------- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct names {
	const char **v;
	size_t n, cap;
};

static void name_add(struct names *ns, const char *s, size_t len)
{
	if (!len || len > 15 || !lower_ifname_ok(s, len) || memchr(s, '+', len) || memchr(s, ',', len))
		return;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof(*ns->v));
	}
	ns->v[ns->n++] = xstrndup(s, len);
}

/* The Linux names a property's interface stands for (after its '!');
 * prefixes name no device and are left out. */
static void name_of(struct lctx *L, struct names *ns, const struct mprop *p)
{
	const char *const *v;
	size_t n, i;
	bool mapped;

	if (!p)
		return;
	n = ifnames_get(L->ifn, mprop_name(p), mprop_len(p) - p->neg, &p->loc, &v, &mapped);
	for (i = 0; i < n; i++)
		name_add(ns, v[i], strlen(v[i]));
}

/* A comma list: the command line's --flowtable-devices, or an interface
 * name an export defines. */
static void names_of(struct names *ns, const char *v)
{
	const char *e;

	if (!v)
		return;
	if (*v == '!')
		v++;
	while ((e = strchr(v, ','))) {
		name_add(ns, v, (size_t)(e - v));
		v = e + 1;
	}
	name_add(ns, v, strlen(v));
}

/*
 * The devices whose traffic FastTrack may offload: every interface the
 * configuration names (in rules, in interface lists, in the interfaces an
 * export defines), or the ones --flowtable-devices gives. Which of them
 * exist is known only where the ruleset is loaded: apply checks.
 */
static void flowtable_devices(struct lctx *L, struct ir_flowtable *ft)
{
	static const enum prop_id props[] = { P_IN_INTERFACE, P_OUT_INTERFACE };
	static const enum menu_kind k4[] = { MK_FILTER4, MK_MANGLE4, MK_NAT4, MK_RAW4 };
	static const enum menu_kind k6[] = { MK_FILTER6, MK_MANGLE6, MK_NAT6, MK_RAW6 };
	struct names ns = { 0 };
	const struct miface *ifs;
	size_t i, j, k, n;

	if (L->o->flowtable_devices) {
		names_of(&ns, L->o->flowtable_devices);
	} else {
		for (k = 0; k < 4; k++) {
			enum menu_kind mk = L->v6 ? k6[k] : k4[k];

			for (i = 0; i < model_count(L->m, mk); i++)
				for (j = 0; j < 2; j++)
					name_of(L, &ns, mitem_prop(model_item(L->m, mk, i), props[j]));
		}
		for (i = 0; i < model_count(L->m, MK_IFLIST_MEMBER); i++)
			name_of(L, &ns, mitem_prop(model_item(L->m, MK_IFLIST_MEMBER, i), P_INTERFACE));
		n = model_ifaces(L->m, &ifs);
		for (i = 0; i < n; i++) {
			const char *const *v;
			bool mapped;
			size_t nv = ifnames_get(L->ifn, ifs[i].name, strlen(ifs[i].name), &ifs[i].loc, &v, &mapped);

			for (j = 0; j < nv; j++)
				name_add(&ns, v[j], strlen(v[j]));
		}
	}
	if (ns.n)
		qsort(ns.v, ns.n, sizeof(*ns.v), str_cmp);
	ft->devs = arena_alloc(L->ir->arena, (ns.n ? ns.n : 1) * sizeof(*ft->devs));
	for (i = 0; i < ns.n; i++) {
		if ((!i || strcmp(ns.v[i], ns.v[i - 1])) && strcmp(ns.v[i], "all") && strcmp(ns.v[i], "none"))
			ft->devs[ft->ndevs++] = ir_strdup(L->ir, ns.v[i]);
	}
	for (i = 0; i < ns.n; i++)
		free((void *)ns.v[i]);
	free(ns.v);
}

/* Called once a family's filter rules are lowered: the flowtable their
 * fasttrack rules add to. */
void lower_flowtable(struct lctx *L)
{
	struct ir_flowtable *ft;
	enum menu_kind k = L->v6 ? MK_FILTER6 : MK_FILTER4;
	size_t i;

	if (!L->fasttrack_rules)
		return;
	ft = arena_alloc(L->ir->arena, sizeof(*ft));
	memset(ft, 0, sizeof(*ft));
	ft->name = "fasttrack";
	ft->prio = 0;
	ft->counter = true;
	for (i = 0; i < model_count(L->m, k); i++) {
		const struct mitem *it = model_item(L->m, k, i);
		const struct mprop *hw = mitem_prop(it, P_HW_OFFLOAD);

		if (!it->disabled && mitem_action(it, k) == A_FASTTRACK_CONNECTION && hw && hw->v.u)
			ft->offload = true;
	}
	flowtable_devices(L, ft);
	L->t->flowtable = ft;
}
