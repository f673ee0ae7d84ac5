/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netlink batch without a kernel: a small IR is built into a batch,
 * every message is parsed back with libnftnl (as the kernel's own
 * nf_tables_api reads the attributes) and compared with what the IR says:
 * the table, chains with their hooks, a named interval set and its
 * elements as start/end pairs, a rule's expressions as libnftnl prints them
 * (the text `nft --debug=netlink` shows for the same rule, pasted from nft
 * 1.0.6), the counter objects and the objref to them, and the in-place
 * batch over what the kernel holds (which deletes, which counters kept).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "emit_nl.h"
#include "ir.h"

/* ---- a small IR --------------------------------------------------------- */

static struct ir_data addr(const char *s)
{
	struct ir_data d = { .len = 4 };

	assert_int_equal(inet_pton(AF_INET, s, d.b), 1);
	return d;
}

static void set_range(struct ir *ir, struct ir_set *s, const char *lo, const char *hi)
{
	struct ir_elem e = { .lo = addr(lo), .hi = addr(hi ? hi : lo), .range = hi != NULL };

	ir_set_elem(ir, s, &e);
}

static struct ir_stmt *stmt(struct ir *ir, struct ir_rule *r, enum ir_stmt_kind kind)
{
	return ir_stmt_add(ir, r, kind);
}

/*
 * table ip rosfw {
 *	counter c_a { }
 *	counter c_b { }
 *	set al_blocked { type ipv4_addr; flags interval;
 *		elements = { 10.0.0.0/24, 172.16.0.1-172.16.0.9, 192.168.1.5 } }
 *	chain filter_input { type filter hook input priority 0; policy accept;
 *		tcp dport 22 ip saddr @al_blocked counter name "c_a" drop comment "#0 ssh"
 *		udp dport { 1000-2000, 53 } counter name "c_b" jump filter_custom }
 *	chain filter_custom { accept }
 * }
 */
static struct ir *small_ir(void)
{
	struct ir *ir = ir_new();
	struct ir_table *t = ir_table_get(ir, NFPROTO_IPV4);
	struct ir_chain *in = ir_chain_add(ir, t, "filter_input"), *cu = ir_chain_add(ir, t, "filter_custom");
	struct ir_set *s = ir_set_add(ir, t, "al_blocked", K_IP_SADDR);
	const char *c_a = ir_counter_add(ir, t, "c_a"), *c_b = ir_counter_add(ir, t, "c_b");
	struct ir_elem ports[2] = {
		{ .lo = ir_data_be(1000, 2), .hi = ir_data_be(2000, 2), .range = true },
		{ .lo = ir_data_be(53, 2) },
	};
	struct ir_rule *r;
	struct ir_stmt *x;

	in->hook = HOOK_INPUT;
	in->type = CHAIN_FILTER;
	s->flags = SETF_INTERVAL;
	set_range(ir, s, "10.0.0.0", "10.0.0.255");
	set_range(ir, s, "172.16.0.1", "172.16.0.9");
	set_range(ir, s, "192.168.1.5", NULL);

	r = ir_rule_add(ir, in, 0, "#0 ssh", NULL);
	x = stmt(ir, r, S_MATCH);
	x->u.m.key = K_TCP_DPORT;
	x->u.m.op = OP_EQ;
	x->u.m.v = ir_data_be(22, 2);
	x = stmt(ir, r, S_MATCH);
	x->u.m.key = K_IP_SADDR;
	x->u.m.op = OP_IN;
	x->u.m.set = "al_blocked";
	stmt(ir, r, S_COUNTER)->u.obj.name = c_a;
	stmt(ir, r, S_VERDICT)->u.verdict.kind = V_DROP;

	r = ir_rule_add(ir, in, 1, NULL, NULL);
	x = stmt(ir, r, S_MATCH);
	x->u.m.key = K_UDP_DPORT;
	x->u.m.op = OP_IN;
	x->u.m.elems = ir_elems_copy(ir, ports, 2);
	x->u.m.nelems = 2;
	stmt(ir, r, S_COUNTER)->u.obj.name = c_b;
	x = stmt(ir, r, S_VERDICT);
	x->u.verdict.kind = V_JUMP;
	x->u.verdict.chain = "filter_custom";

	r = ir_rule_add(ir, cu, 2, NULL, NULL);
	stmt(ir, r, S_VERDICT)->u.verdict.kind = V_ACCEPT;
	return ir;
}

/* ---- the batch, parsed back --------------------------------------------- */

/**
 * struct pmsg - one message of the batch.
 * @type:  NFT_MSG_*, or NFNL_MSG_BATCH_BEGIN/END.
 * @line:  what it holds, as libnftnl reads it back: "newchain ip
 *         filter_input hook 1 prio 0 type filter policy 1", "newrule ip
 *         filter_input [ meta load l4proto => reg 1 ] ...".
 */
struct pmsg {
	uint16_t type;
	uint32_t seq;
	const struct nlmsghdr *nlh;
	char line[1024];
};

struct parsed {
	struct emit_nl *b;
	struct iovec *iov;
	struct pmsg *m;
	size_t n;
};

static const char *fam(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

	return g->nfgen_family == NFPROTO_IPV4 ? "ip" : g->nfgen_family == NFPROTO_IPV6 ? "ip6" : g->nfgen_family == NFPROTO_BRIDGE ? "bridge" : "?";
}

static void line_table(struct pmsg *p, const char *verb)
{
	struct nftnl_table *t = nftnl_table_alloc();

	assert_int_equal(nftnl_table_nlmsg_parse(p->nlh, t), 0);
	snprintf(p->line, sizeof(p->line), "%s %s %s", verb, fam(p->nlh), nftnl_table_get_str(t, NFTNL_TABLE_NAME));
	nftnl_table_free(t);
}

static void line_chain(struct pmsg *p, const char *verb)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	int n;

	assert_int_equal(nftnl_chain_nlmsg_parse(p->nlh, c), 0);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), "rosfw");
	n = snprintf(p->line, sizeof(p->line), "%s %s %s", verb, fam(p->nlh), nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM))
		snprintf(p->line + n, sizeof(p->line) - (size_t)n, " hook %u prio %d type %s policy %u",
			 nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO),
			 nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY));
	nftnl_chain_free(c);
}

static void line_obj(struct pmsg *p, const char *verb)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	uint32_t type;
	int n;

	assert_int_equal(nftnl_obj_nlmsg_parse(p->nlh, o), 0);
	type = nftnl_obj_get_u32(o, NFTNL_OBJ_TYPE);
	n = snprintf(p->line, sizeof(p->line), "%s %s %s type %u", verb, fam(p->nlh), nftnl_obj_get_str(o, NFTNL_OBJ_NAME),
		     type);
	if (type == NFT_OBJECT_COUNTER && nftnl_obj_is_set(o, NFTNL_OBJ_CTR_PKTS))
		snprintf(p->line + n, sizeof(p->line) - (size_t)n, " packets %llu bytes %llu",
			 (unsigned long long)nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS),
			 (unsigned long long)nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_BYTES));
	nftnl_obj_free(o);
}

static void line_set(struct pmsg *p, const char *verb)
{
	struct nftnl_set *s = nftnl_set_alloc();
	int n;

	assert_int_equal(nftnl_set_nlmsg_parse(p->nlh, s), 0);
	n = snprintf(p->line, sizeof(p->line), "%s %s %s", verb, fam(p->nlh), nftnl_set_get_str(s, NFTNL_SET_NAME));
	if (nftnl_set_is_set(s, NFTNL_SET_ID))
		snprintf(p->line + n, sizeof(p->line) - (size_t)n, " id %u flags 0x%x key %u/%u",
			 nftnl_set_get_u32(s, NFTNL_SET_ID), nftnl_set_get_u32(s, NFTNL_SET_FLAGS),
			 nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE), nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN));
	nftnl_set_free(s);
}

static void line_flowtable(struct pmsg *p, const char *verb)
{
	struct nftnl_flowtable *f = nftnl_flowtable_alloc();

	assert_int_equal(nftnl_flowtable_nlmsg_parse(p->nlh, f), 0);
	snprintf(p->line, sizeof(p->line), "%s %s %s", verb, fam(p->nlh),
		 nftnl_flowtable_get_str(f, NFTNL_FLOWTABLE_NAME));
	nftnl_flowtable_free(f);
}

struct exprs {
	char *out;
	size_t size, len;
};

/* One expression as nftnl_rule_snprintf prints it, on one line. */
static int expr_put(struct nftnl_expr *e, void *data)
{
	struct exprs *x = data;
	char buf[512];

	nftnl_expr_snprintf(buf, sizeof(buf), e, NFTNL_OUTPUT_DEFAULT, 0);
	x->len += (size_t)snprintf(x->out + x->len, x->size - x->len, " [ %s %s]",
				   nftnl_expr_get_str(e, NFTNL_EXPR_NAME), buf);
	assert_true(x->len < x->size);
	return 0;
}

static void line_rule(struct pmsg *p, const char *verb)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct exprs x = { .out = p->line, .size = sizeof(p->line) };

	assert_int_equal(nftnl_rule_nlmsg_parse(p->nlh, r), 0);
	assert_string_equal(nftnl_rule_get_str(r, NFTNL_RULE_TABLE), "rosfw");
	x.len = (size_t)snprintf(p->line, sizeof(p->line), "%s %s", verb, fam(p->nlh));
	if (nftnl_rule_is_set(r, NFTNL_RULE_CHAIN))
		x.len += (size_t)snprintf(p->line + x.len, sizeof(p->line) - x.len, " %s",
					  nftnl_rule_get_str(r, NFTNL_RULE_CHAIN));
	nftnl_expr_foreach(r, expr_put, &x);
	nftnl_rule_free(r);
}

/*
 * A NEWSETELEM message's set and elements. libnftnl numbers the elements
 * it builds 1, 2, 3... as nft does (the kernel reads them whatever their
 * type), but its parser takes only NFTA_LIST_ELEM (1): a copy with the
 * types made so is parsed. Caller frees.
 */
static struct nftnl_set *elems_parse(const struct nlmsghdr *nlh)
{
	struct nlmsghdr *copy = malloc(nlh->nlmsg_len);
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlattr *a, *e;

	memcpy(copy, nlh, nlh->nlmsg_len);
	mnl_attr_for_each(a, copy, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
			mnl_attr_for_each_nested(e, a)
				e->nla_type = (uint16_t)((e->nla_type & ~NLA_TYPE_MASK) | NFTA_LIST_ELEM);
	assert_int_equal(nftnl_set_elems_nlmsg_parse(copy, s), 0);
	free(copy);
	return s;
}

static void line_elems(struct pmsg *p)
{
	struct nftnl_set *s = elems_parse(p->nlh);
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *e;
	size_t n = 0;

	it = nftnl_set_elems_iter_create(s);
	while ((e = nftnl_set_elems_iter_next(it)))
		n++;
	nftnl_set_elems_iter_destroy(it);
	snprintf(p->line, sizeof(p->line), "newsetelem %s %s %zu", fam(p->nlh), nftnl_set_get_str(s, NFTNL_SET_NAME), n);
	nftnl_set_free(s);
}

static void pmsg_read(struct pmsg *p)
{
	uint16_t type = p->nlh->nlmsg_type;

	p->seq = p->nlh->nlmsg_seq;
	if (type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END) {
		p->type = type;
		snprintf(p->line, sizeof(p->line), type == NFNL_MSG_BATCH_BEGIN ? "begin" : "end");
		return;
	}
	assert_int_equal(type >> 8, NFNL_SUBSYS_NFTABLES);
	p->type = type & 0xff;
	switch (p->type) {
	case NFT_MSG_NEWTABLE: line_table(p, "newtable"); break;
	case NFT_MSG_DELTABLE: line_table(p, "deltable"); break;
	case NFT_MSG_NEWCHAIN: line_chain(p, "newchain"); break;
	case NFT_MSG_DELCHAIN: line_chain(p, "delchain"); break;
	case NFT_MSG_NEWOBJ: line_obj(p, "newobj"); break;
	case NFT_MSG_DELOBJ: line_obj(p, "delobj"); break;
	case NFT_MSG_NEWSET: line_set(p, "newset"); break;
	case NFT_MSG_DELSET: line_set(p, "delset"); break;
	case NFT_MSG_NEWSETELEM: line_elems(p); break;
	case NFT_MSG_NEWRULE: line_rule(p, "newrule"); break;
	case NFT_MSG_DELRULE: line_rule(p, "delrule"); break;
	case NFT_MSG_DELFLOWTABLE: line_flowtable(p, "delflowtable"); break;
	default: fail_msg("message type %u", p->type);
	}
}

/* Every message of `b`, in order; the parse owns `b`. */
static struct parsed parse(struct emit_nl *b)
{
	struct parsed x = { .b = b };
	size_t niov, i, cap = 0;

	assert_non_null(b);
	niov = emit_nl_iovec_count(b);
	x.iov = calloc(niov, sizeof(*x.iov));
	emit_nl_iovec(b, x.iov, niov);
	for (i = 0; i < niov; i++) {
		const struct nlmsghdr *nlh = x.iov[i].iov_base;
		int len = (int)x.iov[i].iov_len;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (x.n == cap) {
				cap = cap ? cap * 2 : 64;
				x.m = realloc(x.m, cap * sizeof(*x.m));
			}
			x.m[x.n].nlh = nlh;
			pmsg_read(&x.m[x.n++]);
		}
		assert_int_equal(len, 0);
	}
	return x;
}

static void parsed_free(struct parsed *x)
{
	emit_nl_free(x->b);
	free(x->iov);
	free(x->m);
}

/* The message whose line starts with `prefix`, the `nth` such (from 0). */
static const struct pmsg *find(const struct parsed *x, const char *prefix, size_t nth)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (!strncmp(x->m[i].line, prefix, strlen(prefix)) && !nth--)
			return &x->m[i];
	fail_msg("no message %s", prefix);
	return NULL;
}

static size_t count(const struct parsed *x, const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < x->n; i++)
		n += !strncmp(x->m[i].line, prefix, strlen(prefix));
	return n;
}

/* ---- the tests ---------------------------------------------------------- */

/* What emit_text writes for each hook; the kernel's numbers. */
static const uint32_t nf_hook[] = {
	[HOOK_PREROUTING] = NF_INET_PRE_ROUTING, [HOOK_INPUT] = NF_INET_LOCAL_IN, [HOOK_FORWARD] = NF_INET_FORWARD,
	[HOOK_OUTPUT] = NF_INET_LOCAL_OUT, [HOOK_POSTROUTING] = NF_INET_POST_ROUTING,
};

/* A fresh apply: begin, both tables created and deleted (whether or not
 * they existed), then ip's table in nft's order (chains, objects, sets,
 * rules with their anonymous sets first), end; nothing for ip6. */
static void test_batch_order(void **state)
{
	static const char *const want[] = {
		"begin", "newtable ip rosfw", "deltable ip rosfw", "newtable ip rosfw", "newchain ip filter_input",
		"newchain ip filter_custom", "newobj ip c_a", "newobj ip c_b", "newset ip al_blocked",
		"newsetelem ip al_blocked", "newrule ip filter_input", "newset ip __set%d", "newsetelem ip __set%d",
		"newrule ip filter_input", "newrule ip filter_custom", "newtable ip6 rosfw", "deltable ip6 rosfw", "end",
	};
	struct ir *ir = small_ir();
	struct parsed x = parse(emit_nl_build(ir, 100, true));
	size_t i;

	(void)state;
	assert_int_equal(x.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < x.n; i++) {
		if (strncmp(x.m[i].line, want[i], strlen(want[i])))
			fail_msg("message %zu: %s, want %s", i, x.m[i].line, want[i]);
		assert_int_equal(x.m[i].seq, 100 + i);
	}
	/* All but begin and end map back to what made them. */
	assert_int_equal(emit_nl_messages(x.b), x.n - 2);
	assert_int_equal(emit_nl_begin_seq(x.b), 100);
	assert_int_equal(emit_nl_ack_seq(x.b), x.m[x.n - 2].seq);
	assert_true(x.m[x.n - 2].nlh->nlmsg_flags & NLM_F_ACK);
	for (i = 1; i < x.n - 2; i++)
		assert_false(x.m[i].nlh->nlmsg_flags & NLM_F_ACK);
	parsed_free(&x);

	/* --check: the same without the end, so the kernel aborts. */
	x = parse(emit_nl_build(ir, 100, false));
	assert_int_equal(x.n, sizeof(want) / sizeof(want[0]) - 1);
	assert_string_equal(x.m[x.n - 1].line, "deltable ip6 rosfw");
	parsed_free(&x);
	ir_free(ir);
}

static void test_chains_have_their_hooks(void **state)
{
	struct ir *ir = small_ir();
	const struct ir_table *t = ir->tables[0];
	struct parsed x = parse(emit_nl_build(ir, 1, true));
	size_t i;

	(void)state;
	assert_int_equal(count(&x, "newchain ip "), t->nchains);
	for (i = 0; i < t->nchains; i++) {
		const struct ir_chain *c = t->chains[i];
		const struct pmsg *p = find(&x, "newchain ip ", i);
		struct emit_nl_origin o;
		char want[200];

		if (c->hook == HOOK_NONE)
			snprintf(want, sizeof(want), "newchain ip %s", c->name);
		else
			snprintf(want, sizeof(want), "newchain ip %s hook %u prio %d type filter policy %u", c->name,
				 nf_hook[c->hook], c->prio, NF_ACCEPT);
		assert_string_equal(p->line, want);
		assert_true(emit_nl_origin(x.b, p->seq, 0, &o));
		assert_string_equal(o.chain, c->name);
		assert_int_equal(o.family, NFPROTO_IPV4);
	}
	parsed_free(&x);
	ir_free(ir);
}

/* The elements of the set `name`, all its NEWSETELEM messages, as
 * "KEYHEX" or "KEYHEX end" lines. */
static char *elements(const struct parsed *x, const char *name)
{
	char *buf = NULL, prefix[300];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	snprintf(prefix, sizeof(prefix), "newsetelem ip %s ", name);
	for (i = 0; i < x->n; i++) {
		struct nftnl_set *s;
		struct nftnl_set_elems_iter *it;
		struct nftnl_set_elem *e;

		if (strncmp(x->m[i].line, prefix, strlen(prefix)))
			continue;
		s = elems_parse(x->m[i].nlh);
		it = nftnl_set_elems_iter_create(s);
		while ((e = nftnl_set_elems_iter_next(it))) {
			uint32_t klen, j;
			const uint8_t *k = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &klen);

			for (j = 0; j < klen; j++)
				fprintf(f, "%02x", k[j]);
			if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS) &&
			    (nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) & NFT_SET_ELEM_INTERVAL_END))
				fputs(" end", f);
			fputc('\n', f);
		}
		nftnl_set_elems_iter_destroy(it);
		nftnl_set_free(s);
	}
	fclose(f);
	return buf;
}

static void hex(FILE *f, struct ir_data d, const char *what)
{
	int i;

	for (i = 0; i < d.len; i++)
		fprintf(f, "%02x", d.b[i]);
	fprintf(f, "%s\n", what);
}

/* An interval set is sent as nft sends it: each range as its start and
 * the end one past it, and an end at 0 first when the lowest range does
 * not start there. */
static void test_named_set_and_its_ranges(void **state)
{
	struct ir *ir = small_ir();
	const struct ir_set *s = ir_set_find(ir->tables[0], "al_blocked");
	struct parsed x = parse(emit_nl_build(ir, 1, true));
	char *got = elements(&x, "al_blocked"), *want = NULL, line[300];
	size_t len = 0, i;
	FILE *f = open_memstream(&want, &len);

	(void)state;
	snprintf(line, sizeof(line), "newset ip al_blocked id 1 flags 0x%x key 7/%u", NFT_SET_INTERVAL,
		 ir_key_info(s->key)->len);
	assert_string_equal(find(&x, "newset ip al_blocked", 0)->line, line);
	assert_int_equal(emit_nl_set_key_type(s, &(uint32_t){ 0 }), 7);	/* nft's ipv4_addr */
	hex(f, (struct ir_data){ .len = 4 }, " end");
	for (i = 0; i < s->n; i++) {
		struct ir_data end = s->elems[i].range ? s->elems[i].hi : s->elems[i].lo;
		int j;

		hex(f, s->elems[i].lo, "");
		for (j = end.len - 1; j >= 0 && !++end.b[j]; j--)
			;
		hex(f, end, " end");
	}
	fclose(f);
	assert_string_equal(got, want);
	assert_string_equal(want, "00000000 end\n0a000000\n0a000100 end\nac100001\nac10000a end\nc0a80105\nc0a80106 end\n");
	free(got);
	free(want);
	parsed_free(&x);
	ir_free(ir);
}

/* Whether element user data holds the configured mark (type, length,
 * value records). */
static bool has_mark(const uint8_t *u, uint32_t n)
{
	uint32_t i = 0;

	while (i + 2 <= n && i + 2u + u[i + 1] <= n) {
		if (u[i] == IR_ELEM_UDATA_CONFIGURED)
			return true;
		i += 2u + u[i + 1];
	}
	return false;
}

/* A set whose entries come and go holds the configuration's static entries
 * marked, so a re-apply and rosfwd carry over only the others: timed ones
 * (dynamic once added) and what a re-apply itself carried (kept). A set
 * whose entries do not come and go has nothing to tell apart. */
static void test_configured_entries_marked(void **state)
{
	struct ir *ir = small_ir();
	struct ir_table *t = ir->tables[0];
	struct ir_set *d = ir_set_add(ir, t, "al_mixed", K_IP_SADDR);
	struct ir_elem e[3] = {
		{ .lo = addr("10.1.1.1") },
		{ .lo = addr("10.1.1.2"), .timeout_ms = 3600000 },
		{ .lo = addr("10.1.1.3"), .kept = true },
	};
	struct parsed x;
	char *got = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&got, &len);

	(void)state;
	d->flags = SETF_DYNAMIC | SETF_TIMEOUT;
	for (i = 0; i < 3; i++)
		ir_set_elem(ir, d, &e[i]);
	x = parse(emit_nl_build(ir, 1, true));
	for (i = 0; i < x.n; i++) {
		struct nftnl_set *s;
		struct nftnl_set_elems_iter *it;
		struct nftnl_set_elem *el;

		if (strncmp(x.m[i].line, "newsetelem ip ", 14))
			continue;
		s = elems_parse(x.m[i].nlh);
		it = nftnl_set_elems_iter_create(s);
		while ((el = nftnl_set_elems_iter_next(it))) {
			uint32_t klen, ulen = 0;
			const uint8_t *k = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &klen);
			const uint8_t *u = nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_USERDATA) ?
						   nftnl_set_elem_get(el, NFTNL_SET_ELEM_USERDATA, &ulen) : NULL;

			if (u && has_mark(u, ulen))
				fprintf(f, "%s %u.%u.%u.%u\n", nftnl_set_get_str(s, NFTNL_SET_NAME), k[0], k[1], k[2],
					k[3]);
		}
		nftnl_set_elems_iter_destroy(it);
		nftnl_set_free(s);
	}
	fclose(f);
	assert_string_equal(got, "al_mixed 10.1.1.1\n");
	free(got);
	parsed_free(&x);
	ir_free(ir);
}

/* The rules as nft --debug=netlink prints the ones nft sends for the same
 * text (nft 1.0.6, the comment above small_ir): nft's protocol match
 * first, the lookup naming the set by the id its NEWSET carried, the
 * counter as an objref to the rule's counter object. */
static void test_rule_expressions(void **state)
{
	struct ir *ir = small_ir();
	const struct ir_table *t = ir->tables[0];
	struct parsed x = parse(emit_nl_build(ir, 1, true));
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e;
	struct emit_nl_origin o;
	const struct pmsg *p;
	const char *counter = NULL;
	size_t i;

	(void)state;
	assert_string_equal(find(&x, "newrule ip filter_input", 0)->line,
			    "newrule ip filter_input"
			    " [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x00000006 ]"
			    " [ payload load 2b @ transport header + 2 => reg 1 ] [ cmp eq reg 1 0x00001600 ]"
			    " [ payload load 4b @ network header + 12 => reg 1 ] [ lookup reg 1 set al_blocked ]"
			    " [ objref type 1 name c_a ] [ immediate reg 0 drop ]");
	assert_string_equal(find(&x, "newrule ip filter_input", 1)->line,
			    "newrule ip filter_input"
			    " [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x00000011 ]"
			    " [ payload load 2b @ transport header + 2 => reg 1 ] [ lookup reg 1 set __set%d ]"
			    " [ objref type 1 name c_b ] [ immediate reg 0 jump -> filter_custom ]");
	assert_string_equal(find(&x, "newrule ip filter_custom", 0)->line,
			    "newrule ip filter_custom [ immediate reg 0 accept ]");

	/* The anonymous set: interval, constant, the ports' ranges merged
	 * and sorted as nft's auto-merge leaves them. */
	assert_string_equal(find(&x, "newset ip __set%d", 0)->line, "newset ip __set%d id 2 flags 0x7 key 13/2");
	{
		char *got = elements(&x, "__set%d");

		assert_string_equal(got, "0000 end\n0035\n0036 end\n03e8\n07d1 end\n");
		free(got);
	}

	/* The first rule's lookup names the named set by its id, its objref
	 * the counter object its IR statement names; its origin the rule. */
	p = find(&x, "newrule ip filter_input", 0);
	assert_int_equal(nftnl_rule_nlmsg_parse(p->nlh, r), 0);
	it = nftnl_expr_iter_create(r);
	while ((e = nftnl_expr_iter_next(it))) {
		const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

		if (!strcmp(name, "lookup"))
			assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SET_ID), 1);
		if (!strcmp(name, "objref")) {
			assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE), NFT_OBJECT_COUNTER);
			counter = nftnl_expr_get_str(e, NFTNL_EXPR_OBJREF_IMM_NAME);
			for (i = 0; i < t->chains[0]->rules[0]->n; i++)
				if (t->chains[0]->rules[0]->stmts[i].kind == S_COUNTER)
					assert_string_equal(counter, t->chains[0]->rules[0]->stmts[i].u.obj.name);
		}
	}
	assert_non_null(counter);
	nftnl_expr_iter_destroy(it);
	nftnl_rule_free(r);
	assert_true(emit_nl_origin(x.b, p->seq, 0, &o));
	assert_ptr_equal(o.rule, t->chains[0]->rules[0]);
	assert_string_equal(o.chain, "filter_input");
	parsed_free(&x);
	ir_free(ir);
}

/* One counter object per name the IR holds, sent with explicit zeros as
 * nft sends `counter NAME { }`. */
static void test_counter_objects(void **state)
{
	struct ir *ir = small_ir();
	const struct ir_table *t = ir->tables[0];
	struct parsed x = parse(emit_nl_build(ir, 1, true));
	size_t i;

	(void)state;
	assert_int_equal(count(&x, "newobj "), t->ncounters);
	for (i = 0; i < t->ncounters; i++) {
		char want[300];

		snprintf(want, sizeof(want), "newobj ip %s type %u packets 0 bytes 0", t->counters[i], NFT_OBJECT_COUNTER);
		assert_string_equal(find(&x, "newobj ", i)->line, want);
	}
	parsed_free(&x);
	ir_free(ir);
}

/*
 * Over tables the kernel holds: ip's table is emptied in place, not
 * replaced. Its rules go (one DELRULE for the table), then its flowtable
 * and sets, the chains the IR does not define the same way, and the
 * objects but the counters the IR names again; a kept counter is not
 * made again. ip6, which the IR does not have, is replaced as before.
 */
static void test_in_place_over_have(void **state)
{
	static const char *const want[] = {
		"begin",
		"delrule ip",
		"delflowtable ip ft",
		"delset ip al_blocked",
		"delset ip al_old",
		"delchain ip filter_custom",
		"delchain ip filter_old",
		"delobj ip c_old type 1",
		"delobj ip ftp type 3",
		"newtable ip rosfw",
		"newchain ip filter_input hook 1 prio 0 type filter policy 1",
		"newchain ip filter_custom",
		"newobj ip c_b type 1 packets 0 bytes 0",
		"newset ip al_blocked",
		"newsetelem ip al_blocked",
		"newrule ip filter_input",
		"newset ip __set%d",
		"newsetelem ip __set%d",
		"newrule ip filter_input",
		"newrule ip filter_custom",
		"newtable ip6 rosfw",
		"deltable ip6 rosfw",
		"end",
	};
	/* filter_input as the IR has it; filter_custom a base chain in the
	 * kernel but a regular one in the IR; filter_old unknown to it. */
	struct emit_nl_chain chains[] = {
		{ "filter_input", "filter", NF_INET_LOCAL_IN, 0 },
		{ "filter_custom", "filter", NF_INET_FORWARD, 0 },
		{ "filter_old", NULL, 0, 0 },
	};
	const char *sets[] = { "al_blocked", "al_old" }, *fts[] = { "ft" };
	struct emit_nl_obj objs[] = {	/* sorted by name */
		{ "c_a", NFT_OBJECT_COUNTER },
		{ "c_old", NFT_OBJECT_COUNTER },
		{ "ftp", NFT_OBJECT_CT_HELPER },
	};
	struct emit_nl_have have[3] = {
		{ .table = true, .chains = chains, .nchains = 3, .sets = sets, .nsets = 2, .flowtables = fts,
		  .nflowtables = 1, .objs = objs, .nobjs = 3 },
		{ .table = false },
		{ .table = false },
	};
	struct ir *ir = small_ir();
	struct parsed x = parse(emit_nl_build_over(ir, have, 1, true, NULL));
	struct emit_nl_origin o;
	size_t i;

	(void)state;
	for (i = 0; i < x.n && i < sizeof(want) / sizeof(want[0]); i++)
		if (strncmp(x.m[i].line, want[i], strlen(want[i])))
			fail_msg("message %zu: %s, want %s", i, x.m[i].line, want[i]);
	assert_int_equal(x.n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(emit_nl_kept(x.b), 1);
	/* The rule still counts into the kept object. */
	assert_non_null(strstr(find(&x, "newrule ip filter_input", 0)->line, "[ objref type 1 name c_a ]"));
	assert_true(emit_nl_origin(x.b, find(&x, "delobj ip c_old", 0)->seq, 0, &o));
	assert_string_equal(o.what, "removing c_old from table ip rosfw");
	assert_true(emit_nl_origin(x.b, find(&x, "delrule ip", 0)->seq, 0, &o));
	assert_string_equal(o.what, "removing the rules from table ip rosfw");
	parsed_free(&x);

	/* With nothing in the kernel's table, every counter is made. */
	have[0].nobjs = 0;
	x = parse(emit_nl_build_over(ir, have, 1, true, NULL));
	assert_int_equal(count(&x, "newobj "), 2);
	assert_int_equal(count(&x, "delobj "), 0);
	assert_int_equal(emit_nl_kept(x.b), 0);
	parsed_free(&x);
	ir_free(ir);
}

/* rosfw flush: every table replaced with nothing. */
static void test_flush(void **state)
{
	static const char *const want[] = {
		"begin", "newtable ip rosfw", "deltable ip rosfw", "newtable ip6 rosfw", "deltable ip6 rosfw",
		"newtable bridge rosfw", "deltable bridge rosfw", "end",
	};
	struct parsed x = parse(emit_nl_build(NULL, 5, true));
	size_t i;

	(void)state;
	assert_int_equal(x.n, 8);
	for (i = 0; i < x.n; i++)
		assert_string_equal(x.m[i].line, want[i]);
	parsed_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_order),
		cmocka_unit_test(test_chains_have_their_hooks),
		cmocka_unit_test(test_named_set_and_its_ranges),
		cmocka_unit_test(test_configured_entries_marked),
		cmocka_unit_test(test_rule_expressions),
		cmocka_unit_test(test_counter_objects),
		cmocka_unit_test(test_in_place_over_have),
		cmocka_unit_test(test_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
