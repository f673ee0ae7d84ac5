/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR's own check, apart from the back ends as nftables keeps evaluate
 * apart from netlink_linearize: every object a statement names is declared
 * by its table, every key is known, and read or written in a way the
 * kernel's expressions can (payload, meta, ct, exthdr). emit_nl builds a
 * batch only of an IR that passes, so it never meets a statement it would
 * have to guess at.
 */
#include "ir_check.h"

#include <string.h>

static bool key_payload(enum ir_key k)
{
	enum ir_src src = ir_key_info(k)->src;

	return src == SRC_NETWORK || src == SRC_TRANSPORT || src == SRC_LINK;
}

static const char *match_check(const struct ir_table *t, const struct ir_match *m)
{
	if (ir_key_info(m->key)->src == SRC_NONE)
		return "a match on an unknown key";
	if (m->op == OP_FLAGS)
		return "a flags match";
	if (m->masked && ir_key_subbyte(m->key))
		return "a masked match on a field narrower than a byte";
	if ((m->op == OP_IN || m->op == OP_NOTIN) && m->set && !ir_set_find(t, m->set))
		return "a lookup in a set the table does not declare";
	if ((m->op == OP_IN || m->op == OP_NOTIN) && !m->set && !m->nelems)
		return "a match on an empty list";
	if (m->nhkeys > 1 && m->key != K_JHASH && (!m->set || m->nhkeys > 3 || m->key != m->hkeys[0]))
		return "a concatenated lookup outside a named set";
	if (m->key == K_JHASH && (m->nhkeys < 1 || m->nhkeys > 4))
		return "a jhash without keys";
	return NULL;
}

/* `KEY set VALUE`: IPv4 and IPv6 header fields (whole, the kernel fixes
 * the checksum), meta and ct keys, and the TCP MSS option. */
static const char *field_check(const struct ir_stmt *s)
{
	enum ir_key k = s->u.field.key;
	enum ir_src src = ir_key_info(k)->src;

	if (key_payload(k) && src != SRC_NETWORK)
		return "setting a transport or link-layer header field";
	if (key_payload(k) && s->u.field.masked)
		return "a masked header field write";
	if (src == SRC_IPOPT)
		return "setting an IPv4 option";
	if (k == K_TCPOPT_MSS && s->u.field.from && s->u.field.from != K_RT_MTU)
		return "tcp option maxseg size set from this key";
	if (!key_payload(k) && src != SRC_META && src != SRC_CT && src != SRC_TCPOPT)
		return "setting this key";
	return NULL;
}

static const char *stmt_check(const struct ir_table *t, const struct ir_stmt *s)
{
	size_t i;

	switch (s->kind) {
	case S_FLOW_ADD:
		if (!t->flowtable || strcmp(t->flowtable->name, s->u.obj.name))
			return "flow add to a flowtable the table does not declare";
		return NULL;
	case S_CT_HELPER_SET:
		for (i = 0; i < t->nhelpers; i++)
			if (!strcmp(t->helpers[i].name, s->u.obj.name))
				return NULL;
		return "ct helper set of a helper the table does not declare";
	case S_COUNTER: {
		const struct ir_set *m = s->u.obj.map ? ir_set_find(t, s->u.obj.map) : NULL;

		if (s->u.obj.map && (!m || !(m->flags & SETF_OBJMAP) || m->key != s->u.obj.key))
			return "a counter map the table does not declare, or of another key";
		return NULL;
	}
	case S_MATCH:
		return match_check(t, &s->u.m);
	case S_SET_ADD:
	case S_SET_UPDATE:
	case S_CT_COUNT:
		if (!s->u.set.set || !ir_set_find(t, s->u.set.set))
			return "a dynamic set statement on a set the table does not declare";
		if (s->u.set.nkeys < 1 || s->u.set.nkeys > 3)
			return "a dynamic set statement without keys";
		return NULL;
	case S_SET_FIELD:
		return field_check(s);
	case S_NAT:
		if (s->u.nat.prefix && (!s->u.nat.elems || !s->u.nat.nelems))
			return "a prefix NAT without its prefix";
		/* emit_text writes "masquerade to ADDR", which nft refuses */
		if ((s->u.nat.kind == NAT_MASQ || s->u.nat.kind == NAT_REDIRECT) && s->u.nat.has_addr)
			return "masquerade or redirect to an address";
		return NULL;
	default:
		return NULL;
	}
}

const char *ir_check(const struct ir *ir, const struct ir_rule **rule)
{
	int f;
	size_t i, j, k;

	for (f = 0; f < 2; f++) {
		const struct ir_table *t = ir->tables[f];

		for (i = 0; t && i < t->nchains; i++) {
			for (j = 0; j < t->chains[i]->n; j++) {
				const struct ir_rule *r = t->chains[i]->rules[j];

				for (k = 0; k < r->n; k++) {
					const char *why = stmt_check(t, &r->stmts[k]);

					if (why) {
						if (rule)
							*rule = r;
						return why;
					}
				}
			}
		}
	}
	return NULL;
}
