/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * psd=WeightThreshold,DelayThreshold,LowPortWeight,HighPortWeight: port
 * scan detection, as RouterOS (and xt_psd, which it follows) counts it. A
 * TCP or UDP packet from a source to a destination port the source has not
 * used lately adds the port's weight (low: below 1024) to the source's sum;
 * the sum is forgotten when no new port comes within the delay; once it
 * reaches the threshold, packets to new ports match. TCP segments with ACK
 * or RST to a new port are answers of outgoing connections, not probes.
 *
 * nftables has no sum, so the weights are counted in a token bucket: a
 * per-source element of a dynamic set (timeout the delay, refreshed by
 * each new port) holding a limit whose bucket has threshold - 1 tokens and
 * refills at 1/day, nothing within a scan. A new port of weight w takes w
 * tokens, one rule each (weights divided by their greatest common
 * divisor); the token that is not there is the threshold reached.
 *
 *   rule's matches, meta l4proto { tcp, udp }     jump psd_F_N
 *   rule's matches, ip saddr . th dport @psdh_F_N [tcp flags & (ack|rst) == 0] counter ACTION
 *
 *   chain psd_F_N:
 *     ip saddr . th dport @psdp_F_N update @psdp_F_N { ip saddr . th dport } return
 *     tcp flags & (ack|rst) != 0 return
 *     update @psdp_F_N { ip saddr . th dport }
 *     th dport < 1024 update @psdw_F_N { ip saddr limit rate over 1/day burst T-1 packets }
 *                     update @psdh_F_N { ip saddr . th dport }                      (w times)
 *     th dport >= 1024 ...                                                           (w times)
 *
 * The helper chain only keeps state; the rule's own kernel rule acts, so
 * return, jump and the rest keep their meaning. Where one port's weight
 * reaches the threshold, the hit also needs the source in @psds_F_N,
 * which the chain's last rule fills: a first new port never matches.
 */
#include <netinet/in.h>
#include <string.h>

#include "arena.h"
#include "kname.h"
#include "lower_impl.h"
#include "value.h"

/* More rules than this in one helper chain: the weights' ratio is refused. */
#define PSD_MAX_UNITS 32
/* The bucket holds tokens of 1/day in nanoseconds, 8.64e13 each, in 64 bits. */
#define PSD_MAX_THRESHOLD 100000

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static struct ir_set *psd_set(struct lctx *L, const char *kind, const struct vpsd *d, bool port)
{
	enum ir_key saddr = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	char name[64], prefix[8];
	struct ir_set *s;

	snprintf(prefix, sizeof(prefix), "psd%s", kind);
	kname_rule_state(name, sizeof(name), prefix, L->cname);
	s = lower_rule_set(L, name, saddr);
	s->flags = SETF_DYNAMIC | SETF_TIMEOUT;
	s->timeout_ms = d->delay_ms;
	s->size = LOWER_SET_ROOM;
	s->keys[0] = saddr;
	s->nkeys = 1;
	if (port)
		s->keys[s->nkeys++] = K_TH_DPORT;
	return s;
}

static void key_src_port(struct lctx *L, enum ir_key *keys, uint8_t *n)
{
	keys[0] = L->v6 ? K_IP6_SADDR : K_IP_SADDR;
	keys[1] = K_TH_DPORT;
	*n = 2;
}

static void match_in(struct lctx *L, struct ir_match *m, const struct ir_set *s, enum ir_op op)
{
	memset(m, 0, sizeof(*m));
	key_src_port(L, m->hkeys, &m->nhkeys);
	m->key = m->hkeys[0];
	m->op = op;
	m->set = s->name;
}

static void stmt_update(struct ir_stmt *st, const struct ir_set *s)
{
	st->kind = S_SET_UPDATE;
	st->u.set.set = s->name;
	memcpy(st->u.set.keys, s->keys, sizeof(st->u.set.keys));
	st->u.set.nkeys = s->nkeys;
}

/* tcp flags & (ack|rst) ==|!= 0 */
static void match_ack_rst(struct ir_match *m, enum ir_op op)
{
	memset(m, 0, sizeof(*m));
	m->key = K_TCP_FLAGS;
	m->op = op;
	m->masked = true;
	m->mask = ir_data_be(0x14, 1);
	m->v = ir_data_be(0, 1);
}

static struct ir_rule *helper_rule(struct lctx *L, struct ir_chain *c, const char *comment)
{
	struct ir_rule *r = ir_rule_add(L->ir, c, L->id, comment, &L->it->loc);

	r->state_only = true;
	return r;
}

/* `units` rules taking one token each from the source's bucket, the
 * ports below (low) or from 1024 on. */
static void weight_rules(struct lctx *L, struct ir_chain *c, const char *comment, bool low, uint32_t units,
			 uint32_t threshold, const struct ir_set *w, const struct ir_set *h, const struct ir_set *seen_src)
{
	uint32_t i;

	for (i = 0; i < units; i++) {
		struct ir_rule *r = helper_rule(L, c, comment);
		struct ir_stmt *st = ir_stmt_add(L->ir, r, S_MATCH);

		st->u.m.key = K_TH_DPORT;
		st->u.m.op = low ? OP_LT : OP_GE;
		st->u.m.v = ir_data_be(1024, 2);
		if (threshold > 1) {
			st = ir_stmt_add(L->ir, r, S_SET_UPDATE);
			stmt_update(st, w);
			st->u.set.rate = 1;
			st->u.set.unit_s = 86400;
			st->u.set.burst = threshold - 1;
			st->u.set.count = 1;	/* over */
		}
		if (seen_src) {
			st = ir_stmt_add(L->ir, r, S_MATCH);
			st->u.m.key = seen_src->key;
			st->u.m.op = OP_IN;
			st->u.m.set = seen_src->name;
		}
		stmt_update(ir_stmt_add(L->ir, r, S_SET_UPDATE), h);
	}
}

void lower_psd(struct lctx *L, const struct mprop *p)
{
	const struct vpsd *d = p->v.p;
	const struct mprop *proto = mitem_prop(L->it, P_PROTOCOL);
	int pr = proto && mprop_len(proto) && !proto->neg ? (int)proto->v.u : -1;
	char chain[64], comment[KNAME_COMMENT_MAX + 1];
	const struct mprop *cm = mitem_prop(L->it, P_COMMENT);
	const char *text;
	uint32_t g, lo, hi, threshold;
	struct ir_set *seen, *weight, *hit, *first = NULL;
	struct ir_chain *c;
	struct ir_rule *r;
	struct ir_stmt *st;
	size_t own_lo, i;

	if (p->neg) {
		lower_refuse(L, &p->loc, "psd=!", "a rule for what is not a port scan: put the scan rule before it");
		return;
	}
	if (pr >= 0 && pr != IPPROTO_TCP && pr != IPPROTO_UDP) {
		lower_refuse(L, &p->loc, "psd with a protocol other than tcp or udp",
			     "psd counts TCP and UDP ports only, so the rule never matches: remove it");
		return;
	}
	if (!d->lo_weight && !d->hi_weight) {
		lower_refuse(L, &p->loc, "psd with both port weights 0", "no port adds weight, so the rule never matches: remove it");
		return;
	}
	g = gcd(d->lo_weight, d->hi_weight);
	lo = g ? d->lo_weight / g : 0;
	hi = g ? d->hi_weight / g : 0;
	threshold = g ? (uint32_t)(((uint64_t)d->weight + g - 1) / g) : 0;
	if (lo + hi > PSD_MAX_UNITS || (uint64_t)d->lo_weight + d->hi_weight > UINT32_MAX) {
		lower_refuse(L, &p->loc, "psd with these port weights",
			     "their ratio needs more than 32 kernel rules per new port (weights such as 3,1 or 2,1 do)");
		return;
	}
	if (threshold > PSD_MAX_THRESHOLD) {
		lower_refuse(L, &p->loc, "psd with this weight threshold",
			     "more than 100000 times the port weights' common divisor does not fit the kernel's limit");
		return;
	}
	text = NULL;
	if (kname_rule_comment(comment, cm ? cm->value : NULL, cm ? mprop_len(cm) : 0))
		text = ir_strdup(L->ir, comment);
	seen = psd_set(L, "p", d, true);
	weight = psd_set(L, "w", d, false);
	hit = psd_set(L, "h", d, true);

	/* The rule's own kernel rule: a port this source reached past the
	 * threshold, by a probe (for TCP: not an ACK or RST). */
	own_lo = L->npre;
	if (pr < 0) {
		struct ir_elem *e = arena_alloc(L->ir->arena, 2 * sizeof(*e));

		memset(e, 0, 2 * sizeof(*e));
		e[0].lo = e[0].hi = ir_data_be(IPPROTO_TCP, 1);
		e[1].lo = e[1].hi = ir_data_be(IPPROTO_UDP, 1);
		st = lower_pre(L);
		st->u.m.key = K_META_L4PROTO;
		st->u.m.op = OP_IN;
		st->u.m.elems = e;
		st->u.m.nelems = 2;
	}
	match_in(L, &lower_pre(L)->u.m, hit, OP_IN);
	if (pr == IPPROTO_TCP)
		match_ack_rst(&lower_pre(L)->u.m, OP_EQ);
	for (i = own_lo; i < L->npre; i++)
		L->own[i] = true;

	/* Before it, the jump that keeps the state. */
	kname_rule_state(chain, sizeof(chain), "psd", L->cname);
	c = L->owned_chain = ir_chain_add(L->ir, L->t, chain);
	if (!lower_prelude_new(L))
		return;
	if (pr < 0)
		*lower_prelude(L) = L->pre[own_lo];
	st = lower_prelude(L);
	st->kind = S_VERDICT;
	st->u.verdict.kind = V_JUMP;
	st->u.verdict.chain = c->name;

	/* A port seen lately: seen for longer, no weight. Refreshed by every
	 * packet, so a port in use (20 connections to 443) counts once. */
	r = helper_rule(L, c, text);
	match_in(L, &ir_stmt_add(L->ir, r, S_MATCH)->u.m, seen, OP_IN);
	stmt_update(ir_stmt_add(L->ir, r, S_SET_UPDATE), seen);
	ir_stmt_add(L->ir, r, S_VERDICT)->u.verdict.kind = V_RETURN;
	if (pr != IPPROTO_UDP) {
		r = helper_rule(L, c, text);
		/* nft writes the dependency; the netlink batch must too */
		ir_stmt_add(L->ir, r, S_MATCH)->u.m = (struct ir_match){
			.key = K_META_L4PROTO, .op = OP_EQ, .v = ir_data_be(IPPROTO_TCP, 1) };
		match_ack_rst(&ir_stmt_add(L->ir, r, S_MATCH)->u.m, OP_NE);
		ir_stmt_add(L->ir, r, S_VERDICT)->u.verdict.kind = V_RETURN;
	}
	r = helper_rule(L, c, text);
	stmt_update(ir_stmt_add(L->ir, r, S_SET_UPDATE), seen);
	/* xt_psd never matches a source's first new port, whatever it
	 * weighs: where one port can reach the threshold, the hit also
	 * needs the source seen before (@psds_F_N, kept as @psdw_F_N). */
	if (lo >= threshold || hi >= threshold)
		first = psd_set(L, "s", d, false);
	weight_rules(L, c, text, true, lo, threshold, weight, hit, first);
	weight_rules(L, c, text, false, hi, threshold, weight, hit, first);
	if (first) {
		r = helper_rule(L, c, text);
		stmt_update(ir_stmt_add(L->ir, r, S_SET_UPDATE), first);
	}
}
