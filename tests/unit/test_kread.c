/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel reader without a kernel: nlsock_run is replaced by a script
 * that checks each request (type, family, flags, the table and the name
 * it asks about) and answers with messages built here, as the kernel
 * would, or with an errno (-Wl,--wrap=nlsock_run: the reader is the one
 * librosfw-runtime.a holds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "kread.h"
#include "nlsock.h"

/* ---- a scripted kernel ---------------------------------------------------- */

#define MSGS_MAX 8

static struct {
	uint16_t type;			/* the request expected */
	int family;
	uint16_t flags;
	const char *name;		/* attribute 2 of the request, NULL: none */
	uint32_t obj_type;		/* NFTA_OBJ_TYPE asked for, 0: none */
	char *msgs[MSGS_MAX];		/* the answers */
	size_t n;
	int err;			/* or this errno */
	int calls;
} k;

static void kernel_reset(void)
{
	size_t i;

	for (i = 0; i < k.n; i++)
		free(k.msgs[i]);
	memset(&k, 0, sizeof(k));
}

static void kernel_expect(uint16_t type, int family, uint16_t flags, const char *name)
{
	kernel_reset();
	k.type = type;
	k.family = family;
	k.flags = flags;
	k.name = name;
}

/* A message of the kernel's answer, for the caller to fill. */
static struct nlmsghdr *kernel_msg(uint16_t type, int family)
{
	char *buf = calloc(1, NLSOCK_BUF);

	assert_true(k.n < MSGS_MAX);
	k.msgs[k.n++] = buf;
	return nftnl_nlmsg_build_hdr(buf, type, (uint16_t)family, NLM_F_MULTI, 0);
}

static int req_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) < 8)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

int __wrap_nlsock_run(struct nlsock *s, const struct nlmsghdr *req, mnl_cb_t cb, void *data);
int __wrap_nlsock_run(struct nlsock *s, const struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(req);
	const struct nlattr *tb[8] = { NULL };
	size_t i;

	(void)s;
	k.calls++;
	assert_int_equal(req->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | k.type);
	assert_int_equal(req->nlmsg_flags, NLM_F_REQUEST | k.flags);
	assert_int_equal(g->nfgen_family, k.family);
	assert_true(mnl_attr_parse(req, sizeof(*g), req_attr_cb, tb) >= 0);
	assert_non_null(tb[1]);
	assert_string_equal(mnl_attr_get_str(tb[1]), "rosfw");
	if (k.name) {
		assert_non_null(tb[2]);
		assert_string_equal(mnl_attr_get_str(tb[2]), k.name);
	} else if (k.type != NFT_MSG_GETOBJ) {
		assert_null(tb[2]);
	}
	if (k.obj_type) {
		assert_non_null(tb[NFTA_OBJ_TYPE]);
		assert_int_equal(be32toh(mnl_attr_get_u32(tb[NFTA_OBJ_TYPE])), k.obj_type);
	}
	if (k.err) {
		errno = k.err;
		return -1;
	}
	for (i = 0; i < k.n && cb; i++)
		cb((const struct nlmsghdr *)k.msgs[i], data);
	return 0;
}

/* ---- what the kernel sends ------------------------------------------------ */

static struct nlmsghdr *elems_msg(int family, const char *set)
{
	struct nlmsghdr *m = kernel_msg(NFT_MSG_NEWSETELEM, family);

	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_SET, set);
	return m;
}

/* One element into list `l` of `m`: key, flags, expiration, comment. */
static void elem_put(struct nlmsghdr *m, const uint8_t *key, size_t len, uint32_t flags, int64_t exp_ms,
		     const char *comment)
{
	struct nlattr *e = mnl_attr_nest_start(m, NFTA_LIST_ELEM), *kn;

	kn = mnl_attr_nest_start(m, NFTA_SET_ELEM_KEY);
	mnl_attr_put(m, NFTA_DATA_VALUE, len, key);
	mnl_attr_nest_end(m, kn);
	if (flags)
		mnl_attr_put_u32(m, NFTA_SET_ELEM_FLAGS, htobe32(flags));
	if (exp_ms >= 0) {
		mnl_attr_put_u64(m, NFTA_SET_ELEM_TIMEOUT, htobe64(3600000));
		mnl_attr_put_u64(m, NFTA_SET_ELEM_EXPIRATION, htobe64((uint64_t)exp_ms));
	}
	if (comment) {
		uint8_t ud[130];

		ud[0] = 0;	/* NFTNL_UDATA_SET_ELEM_COMMENT */
		ud[1] = (uint8_t)(strlen(comment) + 1);
		memcpy(ud + 2, comment, strlen(comment) + 1);
		mnl_attr_put(m, NFTA_SET_ELEM_USERDATA, 2 + strlen(comment) + 1, ud);
	}
	mnl_attr_nest_end(m, e);
}

/* ---- elements and ranges -------------------------------------------------- */

struct got {
	char text[8][96];
	size_t n;
};

static void range_seen(void *ctx, const struct kread_range *r)
{
	struct got *g = ctx;

	assert_true(g->n < 8);
	snprintf(g->text[g->n++], sizeof(g->text[0]), "%u.%u.%u.%u-%u.%u.%u.%u exp=%lld %.*s", r->lo[0], r->lo[1],
		 r->lo[2], r->lo[3], r->hi[0], r->hi[1], r->hi[2], r->hi[3],
		 r->start.has_exp ? (long long)r->start.exp_ms : -1LL, (int)r->start.comment_len,
		 r->start.comment ? r->start.comment : "");
}

/* An interval set dumps a range as its start and the address after it,
 * flagged as an end, in no order, over several messages; a range that
 * reaches the last address has no end. */
static void test_ranges_paired(void **state)
{
	static const uint8_t a[] = { 10, 0, 0, 0 }, a_end[] = { 10, 0, 1, 0 }, b[] = { 10, 0, 1, 0 },
			     b_end[] = { 10, 0, 1, 1 }, c[] = { 192, 0, 0, 0 }, d[] = { 1, 2, 3, 4 },
			     d_end[] = { 1, 2, 3, 5 };
	struct nlsock ns = { 0 };
	struct got g = { 0 };
	struct nlmsghdr *m;
	struct nlattr *l;

	(void)state;
	kernel_expect(NFT_MSG_GETSETELEM, NFPROTO_IPV4, NLM_F_DUMP, "ar_x");
	m = elems_msg(NFPROTO_IPV4, "ar_x");
	l = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem_put(m, b_end, 4, NFT_SET_ELEM_INTERVAL_END, -1, NULL);
	elem_put(m, c, 4, 0, -1, NULL);
	elem_put(m, a_end, 4, NFT_SET_ELEM_INTERVAL_END, -1, NULL);
	mnl_attr_nest_end(m, l);
	m = elems_msg(NFPROTO_IPV4, "ar_x");
	l = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem_put(m, b, 4, 0, 5000, "one address");
	elem_put(m, d_end, 4, NFT_SET_ELEM_INTERVAL_END, -1, NULL);
	elem_put(m, a, 4, 0, -1, "a /24");
	elem_put(m, d, 4, 0, 0, NULL);
	mnl_attr_nest_end(m, l);
	assert_int_equal(kread_ranges(&ns, NFPROTO_IPV4, "ar_x", 4, range_seen, &g), 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[0], "1.2.3.4-1.2.3.4 exp=0 ");
	assert_string_equal(g.text[1], "10.0.0.0-10.0.0.255 exp=-1 a /24");
	/* adjacent: the end of the one before at the same address */
	assert_string_equal(g.text[2], "10.0.1.0-10.0.1.0 exp=5000 one address");
	assert_string_equal(g.text[3], "192.0.0.0-255.255.255.255 exp=-1 ");
	kernel_reset();
}

static void elem_seen(void *ctx, const struct kread_elem *e)
{
	struct got *g = ctx;

	assert_true(g->n < 8);
	snprintf(g->text[g->n++], sizeof(g->text[0]), "len=%u end=%d timeout=%lld exp=%lld comment=%.*s",
		 e->key ? e->key_len : 0, e->end, e->has_timeout ? (long long)e->timeout_ms : -1LL,
		 e->has_exp ? (long long)e->exp_ms : -1LL, e->comment ? (int)e->comment_len : 1,
		 e->comment ? e->comment : "-");
	assert_non_null(e->nest);
}

static void test_elems_and_absence(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct nlsock ns = { 0 };
	struct got g = { 0 };
	struct nlmsghdr *m;
	struct nlattr *l;

	(void)state;
	kernel_expect(NFT_MSG_GETSETELEM, NFPROTO_IPV6, NLM_F_DUMP, "al_x");
	m = elems_msg(NFPROTO_IPV6, "al_x");
	l = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem_put(m, v6, 16, 0, 1234, "c");
	elem_put(m, v6, 16, 0, -1, NULL);
	mnl_attr_nest_end(m, l);
	/* another table's answer is not ours */
	m = kernel_msg(NFT_MSG_NEWSETELEM, NFPROTO_IPV6);
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_TABLE, "other");
	l = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem_put(m, v6, 16, 0, -1, NULL);
	mnl_attr_nest_end(m, l);
	assert_int_equal(kread_elems(&ns, NFPROTO_IPV6, "al_x", elem_seen, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "len=16 end=0 timeout=3600000 exp=1234 comment=c");
	assert_string_equal(g.text[1], "len=16 end=0 timeout=-1 exp=-1 comment=-");

	/* No such set, or no table: nothing, no error; anything else fails. */
	kernel_expect(NFT_MSG_GETSETELEM, NFPROTO_IPV4, NLM_F_DUMP, "al_gone");
	k.err = ENOENT;
	g.n = 0;
	assert_int_equal(kread_elems(&ns, NFPROTO_IPV4, "al_gone", elem_seen, &g), 0);
	assert_int_equal(g.n, 0);
	k.err = EPERM;
	assert_int_equal(kread_elems(&ns, NFPROTO_IPV4, "al_gone", elem_seen, &g), -1);
	assert_int_equal(errno, EPERM);
	kernel_reset();
}

/* ---- rules, objects, sets, tables ------------------------------------------ */

static struct nlmsghdr *rule_msg(const char *table, const char *comment)
{
	struct nlmsghdr *m = kernel_msg(NFT_MSG_NEWRULE, NFPROTO_IPV4);

	mnl_attr_put_strz(m, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(m, NFTA_RULE_CHAIN, "filter_input");
	if (comment) {
		uint8_t ud[130];

		ud[0] = 0;
		ud[1] = (uint8_t)(strlen(comment) + 1);
		memcpy(ud + 2, comment, strlen(comment) + 1);
		mnl_attr_put(m, NFTA_RULE_USERDATA, 2 + strlen(comment) + 1, ud);
	}
	return m;
}

static void expr_put(struct nlmsghdr *m, const char *name, const char *objref, uint64_t packets)
{
	struct nlattr *e = mnl_attr_nest_start(m, NFTA_LIST_ELEM), *d;

	mnl_attr_put_strz(m, NFTA_EXPR_NAME, name);
	d = mnl_attr_nest_start(m, NFTA_EXPR_DATA);
	if (objref) {
		mnl_attr_put_u32(m, NFTA_OBJREF_IMM_TYPE, htobe32(NFT_OBJECT_COUNTER));
		/* as nft and libnftnl send it: no NUL */
		mnl_attr_put(m, NFTA_OBJREF_IMM_NAME, strlen(objref), objref);
	} else {
		mnl_attr_put_u64(m, NFTA_COUNTER_PACKETS, htobe64(packets));
		mnl_attr_put_u64(m, NFTA_COUNTER_BYTES, htobe64(packets * 100));
	}
	mnl_attr_nest_end(m, d);
	mnl_attr_nest_end(m, e);
}

static void rule_seen(void *ctx, const struct kread_rule *r)
{
	struct got *g = ctx;

	assert_true(g->n < 8);
	snprintf(g->text[g->n++], sizeof(g->text[0]), "%.*s|%.*s|%d %llu %llu", r->comment ? (int)r->comment_len : 1,
		 r->comment ? r->comment : "-", r->counter ? (int)r->counter_len : 1, r->counter ? r->counter : "-",
		 r->own_counter,
		 (unsigned long long)r->packets, (unsigned long long)r->bytes);
}

static void test_rules_with_their_counters(void **state)
{
	struct nlsock ns = { 0 };
	struct got g = { 0 };
	struct nlmsghdr *m;
	struct nlattr *l;

	(void)state;
	kernel_expect(NFT_MSG_GETRULE, NFPROTO_IPV4, NLM_F_DUMP, "filter_input");
	m = rule_msg("rosfw", "#12 ssh");
	l = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);
	expr_put(m, "counter", NULL, 0);	/* not a counter object: read only if none comes first */
	mnl_attr_nest_end(m, l);
	m = rule_msg("rosfw", "#3");
	l = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);
	expr_put(m, "objref", "c_filter_00000000000000ab", 0);
	expr_put(m, "counter", NULL, 7);
	mnl_attr_nest_end(m, l);
	m = rule_msg("rosfw", NULL);
	m = rule_msg("other", "#4");
	assert_int_equal(kread_rules(&ns, NFPROTO_IPV4, "filter_input", rule_seen, &g), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[0], "#12 ssh|-|1 0 0");
	assert_string_equal(g.text[1], "#3|c_filter_00000000000000ab|0 0 0");
	assert_string_equal(g.text[2], "-|-|0 0 0");
	kernel_reset();
}

static void obj_seen(void *ctx, const struct kread_obj *o)
{
	struct got *g = ctx;

	snprintf(g->text[g->n++], sizeof(g->text[0]), "%.*s %u %llu %llu", (int)o->name_len, o->name, o->type,
		 (unsigned long long)o->packets, (unsigned long long)o->bytes);
}

static void test_counter_objects(void **state)
{
	struct nlsock ns = { 0 };
	struct got g = { 0 };
	struct nlmsghdr *m;
	struct nlattr *d;

	(void)state;
	kernel_expect(NFT_MSG_GETOBJ, NFPROTO_IPV4, NLM_F_DUMP, NULL);
	k.obj_type = NFT_OBJECT_COUNTER;
	m = kernel_msg(NFT_MSG_NEWOBJ, NFPROTO_IPV4);
	mnl_attr_put_strz(m, NFTA_OBJ_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_OBJ_NAME, "c_nat_1");
	mnl_attr_put_u32(m, NFTA_OBJ_TYPE, htobe32(NFT_OBJECT_COUNTER));
	d = mnl_attr_nest_start(m, NFTA_OBJ_DATA);
	mnl_attr_put_u64(m, NFTA_COUNTER_BYTES, htobe64(600));
	mnl_attr_put_u64(m, NFTA_COUNTER_PACKETS, htobe64(6));
	mnl_attr_nest_end(m, d);
	assert_int_equal(kread_objs(&ns, NFPROTO_IPV4, NFT_OBJECT_COUNTER, obj_seen, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "c_nat_1 1 6 600");

	kernel_expect(NFT_MSG_GETOBJ_RESET, NFPROTO_IPV6, NLM_F_ACK, "c_nat_1");
	k.obj_type = NFT_OBJECT_COUNTER;
	assert_int_equal(kread_counter_reset(&ns, NFPROTO_IPV6, "c_nat_1"), 0);
	assert_int_equal(k.calls, 1);
	kernel_reset();
}

static void test_set_get_and_table(void **state)
{
	struct nlsock ns = { 0 };
	struct kread_set s;
	struct nlmsghdr *m;

	(void)state;
	kernel_expect(NFT_MSG_GETSET, NFPROTO_IPV4, NLM_F_ACK, "ar_x");
	m = kernel_msg(NFT_MSG_NEWSET, NFPROTO_IPV4);
	mnl_attr_put_strz(m, NFTA_SET_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_SET_NAME, "ar_x");
	mnl_attr_put_u32(m, NFTA_SET_FLAGS, htobe32(NFT_SET_INTERVAL | NFT_SET_TIMEOUT));
	mnl_attr_put_u32(m, NFTA_SET_KEY_LEN, htobe32(4));
	assert_int_equal(kread_set_get(&ns, NFPROTO_IPV4, "ar_x", &s), 1);
	assert_int_equal(s.flags, NFT_SET_INTERVAL | NFT_SET_TIMEOUT);
	assert_int_equal(s.key_len, 4);
	k.err = ENOENT;
	assert_int_equal(kread_set_get(&ns, NFPROTO_IPV4, "ar_x", &s), 0);
	assert_int_equal(s.flags, 0);

	kernel_expect(NFT_MSG_GETTABLE, NFPROTO_IPV6, NLM_F_ACK, NULL);
	assert_int_equal(kread_table(&ns, NFPROTO_IPV6, NULL, NULL), 1);
	k.err = ENOENT;
	assert_int_equal(kread_table(&ns, NFPROTO_IPV6, NULL, NULL), 0);
	k.err = EPERM;
	assert_int_equal(kread_table(&ns, NFPROTO_IPV6, NULL, NULL), -1);

	/* A kernel without flowtables has none. */
	kernel_expect(NFT_MSG_GETFLOWTABLE, NFPROTO_IPV4, NLM_F_DUMP, NULL);
	k.err = EOPNOTSUPP;
	assert_int_equal(kread_flowtables(&ns, NFPROTO_IPV4, NULL, NULL), 0);
	kernel_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges_paired),
		cmocka_unit_test(test_elems_and_absence),
		cmocka_unit_test(test_rules_with_their_counters),
		cmocka_unit_test(test_counter_objects),
		cmocka_unit_test(test_set_get_and_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
