/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tls-host, layer7-protocol and content: matches nftables cannot make,
 * decided by the inspection helper (helpers/rosfw-inspect.c) and kept on
 * the connection. Each distinct matcher is a bit of the connection's
 * label (ct mark keeps its 32 bits for connection-mark); bit 127 says the
 * helper has decided. The rule matches the bit in the kernel; base chains
 * of their own queue the packets of undecided connections to the helper,
 * with bypass, so traffic never waits for a helper that is not there.
 */
#include <stdio.h>
#include <string.h>

#include "lower_impl.h"
#include "payload.h"

/* The queue the helper listens on: rosfw-inspect's default. */
#define INSPECT_QUEUE 19
/* After conntrack (-200), so the packet has its connection and label,
 * and before rosfw's mangle (-150), the first chain that may test it. */
#define INSPECT_PRIO (-160)

static void label_match(struct lctx *L, unsigned bit, bool set)
{
	struct ir_stmt *s = lower_pre(L);

	if (!s)
		return;
	s->kind = S_MATCH;
	s->u.m.key = K_CT_LABEL;
	/* ct label & BIT != 0, or == 0: nft's `ct label N` and `ct label ! N` */
	s->u.m.op = set ? OP_NE : OP_EQ;
	s->u.m.masked = true;
	s->u.m.mask = ir_data_label_bit(bit);
	s->u.m.v = (struct ir_data){ .len = 16 };
}

static void inspect_match(struct lctx *L, const struct mprop *p, enum ir_inspect_kind kind, const char *value,
			  size_t len, const char *name)
{
	int bit;

	if (L->k == MK_RAW4 || L->k == MK_RAW6) {
		lower_refuse(L, &p->loc, prop_def(p->id)->name,
			     "raw runs before connection tracking, and the inspection helper's verdict is kept on the connection");
		return;
	}
	bit = ir_inspect_bit(L->ir, kind, value, len, name);
	if (bit < 0) {
		lower_refuse(L, &p->loc, prop_def(p->id)->name,
			     "more than 127 distinct tls-host, layer7-protocol and content values: the connection label has no bit left");
		return;
	}
	/* Negated, the rule waits for the decision too: an undecided
	 * connection matches neither form. */
	if (p->neg)
		label_match(L, IR_INSPECT_DONE_BIT, true);
	label_match(L, (unsigned)bit, !p->neg);
	L->inspect_rules++;
	L->inspect_kinds |= 1u << kind;
}

void lower_tls_host(struct lctx *L, const struct mprop *p)
{
	inspect_match(L, p, INSPECT_TLS_HOST, p->value + p->neg, mprop_len(p) - p->neg, NULL);
}

void lower_content(struct lctx *L, const struct mprop *p)
{
	inspect_match(L, p, INSPECT_CONTENT, p->value + p->neg, mprop_len(p) - p->neg, NULL);
}

/* The regexp of the protocol the rule names (model_finish has checked
 * that it exists; the last one of that name wins, as a set would). */
void lower_layer7_protocol(struct lctx *L, const struct mprop *p)
{
	const char *name = mprop_name(p), *re = NULL;
	const struct mprop *rp = NULL;
	char err[160], why[256];
	regex_t rx;
	size_t i;

	for (i = 0; i < model_count(L->m, MK_LAYER7); i++) {
		const struct mitem *it = model_item(L->m, MK_LAYER7, i);
		const char *n = mitem_value(it, MK_LAYER7, P_NAME);

		if (n && !strcmp(n, name) && (rp = mitem_prop(it, P_REGEXP)))
			re = rp->value;
	}
	if (!re || !*re) {
		lower_refuse(L, &p->loc, "layer7-protocol", "the protocol has no regexp");
		return;
	}
	/* The helper compiles it the same way; what it cannot take is
	 * said here, at the rule, not in its log. */
	if (l7_compile(&rx, re, err, sizeof(err))) {
		snprintf(why, sizeof(why), "its regexp (line %u) is not a POSIX extended regex rosfw-inspect takes: %s",
			 (unsigned)rp->loc.line, err);
		lower_refuse(L, &p->loc, "layer7-protocol", why);
		return;
	}
	regfree(&rx);
	inspect_match(L, p, INSPECT_LAYER7, re, strlen(re), name);
}

/* Called once a family's rules are lowered: what sends its undecided
 * connections to the helper. Untracked packets have no label (the load
 * breaks the rule): they are never queued. */
void lower_inspect_chains(struct lctx *L)
{
	static const struct {
		const char *name;
		enum ir_hook hook;
	} hooks[] = { { "inspect.prerouting", HOOK_PREROUTING }, { "inspect.output", HOOK_OUTPUT } };
	size_t i;

	if (!L->inspect_rules)
		return;
	for (i = 0; i < 2; i++) {
		struct ir_chain *c = lower_base_chain(L, hooks[i].name, hooks[i].hook, INSPECT_PRIO, "inspect");
		struct ir_rule *r;
		struct ir_stmt *s;

		if (i == 0) {
			/* The kernel gives connections a label only while a
			 * rule that sets one is loaded (nf_connlabels_get);
			 * the helper's verdict cannot add it later. This one
			 * never acts: an untracked packet has no connection. */
			r = ir_rule_add(L->ir, c, -1, "connections get labels", NULL);
			s = ir_stmt_add(L->ir, r, S_MATCH);
			s->u.m.key = K_CT_STATE;
			s->u.m.op = OP_NE;
			s->u.m.masked = true;
			s->u.m.mask = ir_data_host(64, 4);	/* untracked */
			s->u.m.v = ir_data_host(0, 4);
			s = ir_stmt_add(L->ir, r, S_SET_FIELD);
			s->u.field.key = K_CT_LABEL;
			s->u.field.v = ir_data_label_bit(IR_INSPECT_DONE_BIT);
		}
		r = ir_rule_add(L->ir, c, -1, "to rosfw-inspect until it decides", NULL);
		/* tls-host alone reads TCP only: nothing else need leave
		 * the kernel. */
		if (L->inspect_kinds == 1u << INSPECT_TLS_HOST) {
			s = ir_stmt_add(L->ir, r, S_MATCH);
			s->u.m.key = K_META_L4PROTO;
			s->u.m.op = OP_EQ;
			s->u.m.v = ir_data_be(6, 1);
		}
		s = ir_stmt_add(L->ir, r, S_MATCH);

		s->u.m.key = K_CT_LABEL;
		s->u.m.op = OP_EQ;
		s->u.m.masked = true;
		s->u.m.mask = ir_data_label_bit(IR_INSPECT_DONE_BIT);
		s->u.m.v = (struct ir_data){ .len = 16 };
		if (L->o->inspect == INSPECT_NO_QUEUE)
			continue;
		s = ir_stmt_add(L->ir, r, S_QUEUE);
		s->u.queue.num = INSPECT_QUEUE;
		s->u.queue.bypass = true;
	}
}
