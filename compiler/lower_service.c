/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The router's own services (/ip service): a service's address= lets only
 * those prefixes connect to it, whatever the firewall accepts. On this
 * server that is a base chain of its own at the input hook, after the
 * firewall's filter input: a connection must pass both, as on RouterOS
 * ("firewall AND service address"), and neither chain's verdict can stand
 * in for the other's. Its rules are no RouterOS rule's: they carry no
 * number, so print stats and counters never see them.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lower_impl.h"
#include "value.h"

/* After filter input (0): the firewall's rules see every packet first,
 * their counters and address-list additions included, as on RouterOS,
 * where a service checks the address of what its firewall let in. */
#define SERVICE_CHAIN "service.input"
#define SERVICE_PRIO 10

/* The address restriction of an enabled service, or NULL. */
static const struct vaddrs *service_addrs(const struct mitem *it)
{
	return it->disabled ? NULL : mprop_addrs(mitem_prop(it, P_ADDRESS));
}

/* 0.0.0.0/0 or ::/0 in the list: every source of that family may connect. */
static bool family_open(const struct vaddrs *as, bool v6)
{
	uint32_t i;

	for (i = 0; i < as->n; i++)
		if (as->v[i].v6 == v6 && as->v[i].plen == 0)
			return true;
	return false;
}

bool lower_services_needed(const struct model *m, bool v6)
{
	size_t i;

	for (i = 0; i < model_count(m, MK_IP_SERVICE); i++) {
		const struct vaddrs *as = service_addrs(model_item(m, MK_IP_SERVICE, i));

		if (as && !family_open(as, v6))
			return true;
	}
	return false;
}

static int elem_cmp(const void *a, const void *b)
{
	const struct ir_elem *x = a, *y = b;
	int c = memcmp(x->lo.b, y->lo.b, x->lo.len);

	if (c)
		return c;
	c = memcmp(x->hi.b, y->hi.b, x->hi.len);
	return c ? c : (int)x->range - (int)y->range;
}

/*
 * The sources of this family that may connect: the prefixes as one
 * anonymous set (both back ends merge overlaps as nft does), one prefix
 * as a masked compare. False when one of them is the whole family: then
 * every source may, and the family needs no rule.
 */
static bool allowed_match(struct lctx *L, const struct vaddrs *as, struct ir_match *m, bool *any)
{
	uint8_t n = L->v6 ? 16 : 4;
	struct ir_elem *e = arena_alloc(L->ir->arena, as->n * sizeof(*e));
	size_t i, j, k = 0;

	if (family_open(as, L->v6))
		return false;
	for (i = 0; i < as->n; i++) {
		if (as->v[i].v6 != L->v6)
			continue;
		e[k].lo.len = e[k].hi.len = n;
		memcpy(e[k].lo.b, as->v[i].lo, n);
		memcpy(e[k].hi.b, as->v[i].hi, n);
		e[k].range = as->v[i].kind == VA_PREFIX && as->v[i].plen < n * 8;
		k++;
	}
	*any = k > 0;
	if (!k)
		return true;
	/* the same element twice would be refused as a duplicate */
	qsort(e, k, sizeof(*e), elem_cmp);
	for (i = j = 1; i < k; i++)
		if (elem_cmp(&e[i], &e[j - 1]))
			e[j++] = e[i];
	k = j;
	memset(m, 0, sizeof(*m));
	m->key = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	if (k > 1) {
		m->op = OP_NOTIN;
		m->elems = e;
		m->nelems = k;
		return true;
	}
	m->op = OP_NE;
	m->v = e[0].lo;
	if (e[0].range) {
		/* a prefix: lo and hi differ in its host bits alone */
		m->masked = true;
		m->mask.len = e[0].lo.len;
		for (i = 0; i < e[0].lo.len; i++)
			m->mask.b[i] = (uint8_t)~(e[0].lo.b[i] ^ e[0].hi.b[i]);
	}
	return true;
}

/*
 * One rule per restricted service and family: a connection to its port
 * (the first segment, SYN without ACK, so the server's own connections
 * out and their answers are never touched, with connection tracking on or
 * off) from a source outside address= is dropped. A list without prefixes
 * of this family lets none of its sources connect.
 */
void lower_services(struct lctx *L)
{
	size_t i;

	for (i = 0; i < model_count(L->m, MK_IP_SERVICE); i++) {
		const struct mitem *it = model_item(L->m, MK_IP_SERVICE, i);
		const struct vaddrs *as = service_addrs(it);
		const struct mprop *port = mitem_get(it, MK_IP_SERVICE, P_PORT);
		const char *name = mitem_value(it, MK_IP_SERVICE, P_NAME);
		struct ir_match allowed;
		struct ir_rule *r;
		struct ir_stmt *s;
		char comment[LOWER_COMMENT_MAX + 1], text[64];
		bool any;

		if (!as || !port || !name || !allowed_match(L, as, &allowed, &any))
			continue;
		snprintf(text, sizeof(text), "ip service %s", name);
		lower_text(comment, sizeof(comment), text, strlen(text), LOWER_COMMENT_MAX);
		r = ir_rule_add(L->ir, lower_base_chain(L, SERVICE_CHAIN, HOOK_INPUT, SERVICE_PRIO, "service"), -1, ir_strdup(L->ir, comment), &it->loc);
		s = ir_stmt_add(L->ir, r, S_MATCH);
		s->u.m.key = K_META_L4PROTO;
		s->u.m.op = OP_EQ;
		s->u.m.v = ir_data_be(6, 1);
		s = ir_stmt_add(L->ir, r, S_MATCH);
		s->u.m.key = K_TCP_DPORT;
		s->u.m.op = OP_EQ;
		s->u.m.v = ir_data_be(port->v.r.lo, 2);
		s = ir_stmt_add(L->ir, r, S_MATCH);
		s->u.m.key = K_TCP_FLAGS;
		s->u.m.op = OP_EQ;
		s->u.m.masked = true;
		s->u.m.mask = ir_data_be(0x12, 1);	/* syn | ack */
		s->u.m.v = ir_data_be(0x02, 1);		/* syn */
		if (any)
			ir_stmt_add(L->ir, r, S_MATCH)->u.m = allowed;
		ir_stmt_add(L->ir, r, S_VERDICT)->u.verdict.kind = V_DROP;
		/* As on RouterOS, but an admin who reaches this server over
		 * the other family is locked out of it: said, not silent. */
		if (!any) {
			const struct mprop *a = mitem_prop(it, P_ADDRESS);

			diag_warning(L->d, a ? &a->loc : &it->loc,
				     "ip service %s: address= holds no %s prefix, so no %s source may connect to tcp/%u (as on RouterOS); add one (%s) if this server is reached over %s",
				     name, L->v6 ? "IPv6" : "IPv4", L->v6 ? "IPv6" : "IPv4", (unsigned)port->v.r.lo,
				     L->v6 ? "::/0 for all" : "0.0.0.0/0 for all", L->v6 ? "IPv6" : "IPv4");
		}
	}
}

/* What rosfw makes of each property of /ip service, for `rosfw doc
 * translation`; a test keeps every property of the menu in it. */
static const struct {
	enum prop_id id;
	const char *status, *how;
} service_rows[] = {
	{ P_ADDRESS, "exact",
	  "chain service.input (hook input, priority filter + 10, after filter_input): meta l4proto tcp tcp dport PORT "
	  "tcp flags syn without ack, ip saddr not in PREFIXES: drop, per family; a family without prefixes: every "
	  "source dropped; 0.0.0.0/0 or ::/0: no rule" },
	{ P_AVAILABLE_FROM, "warning", "not applied (7.24, no manual text): what it keeps away reaches the port" },
	{ P_CERTIFICATE, "note", "the router's own TLS servers: nothing that reaches this box changes" },
	{ P_DISABLED, "note",
	  "yes: no rule; the port is left to the firewall's rules (on RouterOS nothing listened there; this server "
	  "answers only where one of its own services listens)" },
	{ P_MAX_SESSIONS, "note", "not applied: no limit on connections to the port" },
	{ P_NAME, "model", "selects one of the eight services (comma lists too); fixed: name= is refused" },
	{ P_PORT, "exact",
	  "the port address= restricts (default: telnet 23, ftp 21, www 80, ssh 22, www-ssl 443, api 8728, winbox 8291, "
	  "api-ssl 8729); rosfw moves none of this server's daemons (a note)" },
	{ P_TLS_VERSION, "note", "the router's own TLS servers: nothing that reaches this box changes" },
	{ P_VRF, "warning", "not applied: the port is reachable from every interface the firewall allows, not one VRF's" },
};

void lower_service_markdown(FILE *out)
{
	size_t i;

	fputs("\n## /ip service\n\n"
	      "The router's own services. `address=` is a firewall rule on RouterOS (only those prefixes connect, whatever\n"
	      "the firewall accepts): a chain of its own, so a connection must pass the firewall's input chain and the\n"
	      "service's check, and rosfw's rules there carry no RouterOS number. rosfw starts, stops and moves none of\n"
	      "this server's services: what RouterOS would do to them is said in one note (or a warning, where leaving it\n"
	      "out opens traffic) per command.\n\n"
	      "| property | status | on this server |\n| --- | --- | --- |\n",
	      out);
	for (i = 0; i < sizeof(service_rows) / sizeof(service_rows[0]); i++)
		fprintf(out, "| `%s` | %s | %s |\n", prop_def(service_rows[i].id)->name, service_rows[i].status,
			service_rows[i].how);
}
