/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply --confirm's snapshot without a kernel. snapshot_take reads
 * through the kernel reader, replaced (WRAP_test_snapshot in the
 * Makefile) by dumps built here as the kernel sends them; what it saves is
 * read back message by message. snapshot_restore's socket is replaced
 * too: its batch is kept and checked, and the kernel's answer is what the
 * test writes to the other end of a socket pair.
 */
#include "helpers.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kread.h"
#include "nlsock.h"
#include "snapshot.h"

/* ---- the kernel's dumps --------------------------------------------------------- */

#define MSGS_MAX 32

static struct {
	bool table[2];
	size_t nelems;		/* extra elements of ad_y, for the split */
	const char *fail;	/* the kread_ function that fails, with EPERM */
	char *msgs[MSGS_MAX];	/* what the callbacks were handed, kept for the test */
	size_t nmsgs;
	int opened, closed;
	char reads[512];	/* "table/ip chains/ip ..." */
} k;

static void kernel_reset(void)
{
	size_t i;

	for (i = 0; i < k.nmsgs; i++)
		free(k.msgs[i]);
	memset(&k, 0, sizeof(k));
}

static void read_note(const char *what, int family)
{
	size_t n = strlen(k.reads);

	snprintf(k.reads + n, sizeof(k.reads) - n, "%s%s/%s", n ? " " : "", what,
		 family == NFPROTO_IPV6 ? "ip6" : family == NFPROTO_BRIDGE ? "bridge" : "ip");
}

static bool fails(const char *fn)
{
	if (k.fail && !strcmp(k.fail, fn)) {
		errno = EPERM;
		return true;
	}
	return false;
}

static struct nlmsghdr *kmsg(uint16_t type, int family)
{
	char *buf = calloc(1, 256 << 10);

	assert_true(k.nmsgs < MSGS_MAX);
	k.msgs[k.nmsgs++] = buf;
	return nftnl_nlmsg_build_hdr(buf, type, (uint16_t)family, NLM_F_MULTI, 0);
}

bool __wrap_nlsock_open(struct nlsock *s);
void __wrap_nlsock_close(struct nlsock *s);
int __wrap_kread_table(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_table *), void *ctx);
int __wrap_kread_chains(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_chain *), void *ctx);
int __wrap_kread_objs(struct nlsock *ns, int family, uint32_t type, void (*fn)(void *, const struct kread_obj *),
		      void *ctx);
int __wrap_kread_sets(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_set *), void *ctx);
int __wrap_kread_elems(struct nlsock *ns, int family, const char *set, void (*fn)(void *, const struct kread_elem *),
		       void *ctx);
int __wrap_kread_flowtables(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_flowtable *),
			    void *ctx);
int __wrap_kread_rules(struct nlsock *ns, int family, const char *chain, void (*fn)(void *, const struct kread_rule *),
		       void *ctx);

bool __wrap_nlsock_open(struct nlsock *s)
{
	memset(s, 0, sizeof(*s));
	s->buf = (char *)"open";
	k.opened++;
	return true;
}

void __wrap_nlsock_close(struct nlsock *s)
{
	if (s->buf)
		k.closed++;
	s->buf = NULL;
}

int __wrap_kread_table(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_table *), void *ctx)
{
	struct nlmsghdr *m;
	struct kread_table t = { .handle = 7 };

	(void)ns;
	read_note("table", family);
	if (fails("kread_table"))
		return -1;
	if (family == NFPROTO_BRIDGE || !k.table[family == NFPROTO_IPV6])
		return 0;
	m = kmsg(NFT_MSG_NEWTABLE, family);
	mnl_attr_put_strz(m, NFTA_TABLE_NAME, "rosfw");
	mnl_attr_put_u32(m, NFTA_TABLE_FLAGS, 0);
	mnl_attr_put_u32(m, NFTA_TABLE_USE, htobe32(3));
	mnl_attr_put_u64(m, NFTA_TABLE_HANDLE, htobe64(7));
	mnl_attr_put(m, NFTA_TABLE_USERDATA, 3, "ct1");
	t.nlh = m;
	fn(ctx, &t);
	return 1;
}

static struct nlmsghdr *chain_msg(int family, const char *name, bool base, uint64_t handle)
{
	struct nlmsghdr *m = kmsg(NFT_MSG_NEWCHAIN, family);

	mnl_attr_put_strz(m, NFTA_CHAIN_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_CHAIN_NAME, name);
	mnl_attr_put_u64(m, NFTA_CHAIN_HANDLE, htobe64(handle));
	mnl_attr_put_u32(m, NFTA_CHAIN_USE, htobe32(1));
	if (base) {
		struct nlattr *h = mnl_attr_nest_start(m, NFTA_CHAIN_HOOK);

		mnl_attr_put_u32(m, NFTA_HOOK_HOOKNUM, htobe32(NF_INET_LOCAL_IN));
		mnl_attr_put_u32(m, NFTA_HOOK_PRIORITY, htobe32(0));
		mnl_attr_nest_end(m, h);
		mnl_attr_put_u32(m, NFTA_CHAIN_POLICY, htobe32(NF_ACCEPT));
		mnl_attr_put_strz(m, NFTA_CHAIN_TYPE, "filter");
	}
	return m;
}

int __wrap_kread_chains(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_chain *), void *ctx)
{
	struct kread_chain a = { .name = "filter_input", .type = "filter", .hooknum = NF_INET_LOCAL_IN },
			   b = { .name = "filter_mine" };

	(void)ns;
	read_note("chains", family);
	if (fails("kread_chains"))
		return -1;
	a.nlh = chain_msg(family, a.name, true, 1);
	fn(ctx, &a);
	b.nlh = chain_msg(family, b.name, false, 2);
	fn(ctx, &b);
	return 0;
}

int __wrap_kread_objs(struct nlsock *ns, int family, uint32_t type, void (*fn)(void *, const struct kread_obj *),
		      void *ctx)
{
	struct nlmsghdr *m = kmsg(NFT_MSG_NEWOBJ, family);
	struct kread_obj o = { .name = "c_filter_ab", .name_len = 11, .type = NFT_OBJECT_COUNTER, .packets = 5 };
	struct nlattr *d;

	(void)ns;
	assert_int_equal(type, 0);
	read_note("objs", family);
	if (fails("kread_objs"))
		return -1;
	mnl_attr_put_strz(m, NFTA_OBJ_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_OBJ_NAME, "c_filter_ab");
	mnl_attr_put_u32(m, NFTA_OBJ_TYPE, htobe32(NFT_OBJECT_COUNTER));
	d = mnl_attr_nest_start(m, NFTA_OBJ_DATA);
	mnl_attr_put_u64(m, NFTA_COUNTER_BYTES, htobe64(300));
	mnl_attr_put_u64(m, NFTA_COUNTER_PACKETS, htobe64(5));
	mnl_attr_nest_end(m, d);
	mnl_attr_put_u32(m, NFTA_OBJ_USE, htobe32(2));
	mnl_attr_put_u64(m, NFTA_OBJ_HANDLE, htobe64(9));
	mnl_attr_put(m, NFTA_OBJ_USERDATA, 2, "ud");
	o.nlh = m;
	fn(ctx, &o);
	return 0;
}

static struct nlmsghdr *set_msg(int family, const char *name, uint32_t flags)
{
	struct nlmsghdr *m = kmsg(NFT_MSG_NEWSET, family);

	mnl_attr_put_strz(m, NFTA_SET_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_SET_NAME, name);
	mnl_attr_put_u32(m, NFTA_SET_FLAGS, htobe32(flags));
	mnl_attr_put_u32(m, NFTA_SET_KEY_TYPE, htobe32(7));
	mnl_attr_put_u32(m, NFTA_SET_KEY_LEN, htobe32(4));
	mnl_attr_put_u64(m, NFTA_SET_HANDLE, htobe64(4));
	mnl_attr_put(m, NFTA_SET_USERDATA, 4, "blk\0");
	/* what a newer kernel dumps and refuses in a request (its backend
	 * type, its element count) */
	mnl_attr_put_u32(m, NFTA_SET_EXPRESSIONS + 1, htobe32(1));
	mnl_attr_put_u32(m, NFTA_SET_EXPRESSIONS + 2, htobe32(3));
	return m;
}

int __wrap_kread_sets(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_set *), void *ctx)
{
	struct kread_set a = { .name = "al_x", .flags = NFT_SET_INTERVAL | NFT_SET_TIMEOUT },
			 b = { .name = "ad_y", .flags = NFT_SET_TIMEOUT | NFT_SET_EVAL };

	(void)ns;
	read_note("sets", family);
	if (fails("kread_sets"))
		return -1;
	a.nlh = set_msg(family, a.name, a.flags);
	fn(ctx, &a);
	b.nlh = set_msg(family, b.name, b.flags);
	fn(ctx, &b);
	return 0;
}

/* One element of the dump `m`, told to fn as kread would. exp_ms < 0:
 * no timeout. */
static void elem_give(struct nlmsghdr *m, const char *addr, uint32_t flags, int64_t exp_ms,
		      void (*fn)(void *, const struct kread_elem *), void *ctx)
{
	struct nlattr *list = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	struct nlattr *e = mnl_attr_nest_start(m, NFTA_LIST_ELEM), *kn;
	struct kread_elem ke = { 0 };
	uint8_t key[4];

	assert_int_equal(inet_pton(AF_INET, addr, key), 1);
	kn = mnl_attr_nest_start(m, NFTA_SET_ELEM_KEY);
	mnl_attr_put(m, NFTA_DATA_VALUE, 4, key);
	mnl_attr_nest_end(m, kn);
	if (flags)
		mnl_attr_put_u32(m, NFTA_SET_ELEM_FLAGS, htobe32(flags));
	if (exp_ms >= 0) {
		mnl_attr_put_u64(m, NFTA_SET_ELEM_TIMEOUT, htobe64(3600000));
		mnl_attr_put_u64(m, NFTA_SET_ELEM_EXPIRATION, htobe64((uint64_t)exp_ms));
		mnl_attr_put_u64(m, NFTA_SET_ELEM_PAD, 0);
		ke.has_timeout = ke.has_exp = true;
		ke.timeout_ms = 3600000;
		ke.exp_ms = (uint64_t)exp_ms;
	}
	mnl_attr_put(m, NFTA_SET_ELEM_USERDATA, 3, "\x00\x01\x00");
	mnl_attr_nest_end(m, e);
	mnl_attr_nest_end(m, list);
	ke.nest = e;
	ke.key = key;
	ke.key_len = 4;
	ke.end = flags & NFT_SET_ELEM_INTERVAL_END;
	fn(ctx, &ke);
}

int __wrap_kread_elems(struct nlsock *ns, int family, const char *set, void (*fn)(void *, const struct kread_elem *),
		       void *ctx)
{
	struct nlmsghdr *m = kmsg(NFT_MSG_NEWSETELEM, family);
	size_t i;

	(void)ns;
	read_note(set, family);
	if (fails("kread_elems"))
		return -1;
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_SET, set);
	if (!strcmp(set, "al_x")) {
		elem_give(m, "10.0.0.0", 0, -1, fn, ctx);
		elem_give(m, "10.1.0.0", NFT_SET_ELEM_INTERVAL_END, -1, fn, ctx);
		elem_give(m, "192.0.2.0", 0, 1234, fn, ctx);
		elem_give(m, "192.0.3.0", NFT_SET_ELEM_INTERVAL_END, -1, fn, ctx);
		elem_give(m, "198.51.100.0", 0, 0, fn, ctx);	/* expires this very moment */
		return 0;
	}
	for (i = 0; i < k.nelems; i++) {
		char a[16];

		snprintf(a, sizeof(a), "10.%zu.%zu.%zu", i >> 16 & 255, i >> 8 & 255, i & 255);
		/* a fresh message now and then, as the kernel's dump has */
		if (i % 1000 == 999) {
			m = kmsg(NFT_MSG_NEWSETELEM, family);
			mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_TABLE, "rosfw");
			mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_SET, set);
		}
		elem_give(m, a, 0, 600000, fn, ctx);
	}
	return 0;
}

int __wrap_kread_flowtables(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_flowtable *),
			    void *ctx)
{
	struct nlmsghdr *m = kmsg(NFT_MSG_NEWFLOWTABLE, family);
	struct kread_flowtable f = { .name = "ft" };
	struct nlattr *h;

	(void)ns;
	read_note("flowtables", family);
	if (fails("kread_flowtables"))
		return -1;
	mnl_attr_put_strz(m, NFTA_FLOWTABLE_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_FLOWTABLE_NAME, "ft");
	h = mnl_attr_nest_start(m, NFTA_FLOWTABLE_HOOK);
	mnl_attr_put_u32(m, NFTA_FLOWTABLE_HOOK_NUM, htobe32(NF_NETDEV_INGRESS));
	mnl_attr_put_u32(m, NFTA_FLOWTABLE_HOOK_PRIORITY, htobe32(0));
	mnl_attr_nest_end(m, h);
	mnl_attr_put_u32(m, NFTA_FLOWTABLE_USE, htobe32(1));
	mnl_attr_put_u64(m, NFTA_FLOWTABLE_HANDLE, htobe64(12));
	mnl_attr_put_u32(m, NFTA_FLOWTABLE_FLAGS, htobe32(0));
	f.nlh = m;
	fn(ctx, &f);
	return 0;
}

static void expr_put(struct nlmsghdr *m, const char *name, void (*data)(struct nlmsghdr *))
{
	struct nlattr *e = mnl_attr_nest_start(m, NFTA_LIST_ELEM), *d;

	mnl_attr_put_strz(m, NFTA_EXPR_NAME, name);
	d = mnl_attr_nest_start(m, NFTA_EXPR_DATA);
	data(m);
	mnl_attr_nest_end(m, d);
	mnl_attr_nest_end(m, e);
}

static void objref_data(struct nlmsghdr *m)
{
	mnl_attr_put_u32(m, NFTA_OBJREF_IMM_TYPE, htobe32(NFT_OBJECT_COUNTER));
	mnl_attr_put_strz(m, NFTA_OBJREF_IMM_NAME, "c_filter_ab");
}

/* tcp option maxseg size set: the kernel dumps its flags (0) and
 * refuses them in a request */
static void exthdr_write_data(struct nlmsghdr *m)
{
	mnl_attr_put_u32(m, NFTA_EXTHDR_SREG, htobe32(NFT_REG32_00));
	mnl_attr_put_u8(m, NFTA_EXTHDR_TYPE, 2);
	mnl_attr_put_u32(m, NFTA_EXTHDR_OFFSET, htobe32(2));
	mnl_attr_put_u32(m, NFTA_EXTHDR_LEN, htobe32(2));
	mnl_attr_put_u32(m, NFTA_EXTHDR_FLAGS, htobe32(0));
	mnl_attr_put_u32(m, NFTA_EXTHDR_OP, htobe32(NFT_EXTHDR_OP_TCPOPT));
}

/* a reading exthdr keeps its flags (present: 1) */
static void exthdr_read_data(struct nlmsghdr *m)
{
	mnl_attr_put_u32(m, NFTA_EXTHDR_DREG, htobe32(NFT_REG32_00));
	mnl_attr_put_u8(m, NFTA_EXTHDR_TYPE, 2);
	mnl_attr_put_u32(m, NFTA_EXTHDR_OFFSET, htobe32(0));
	mnl_attr_put_u32(m, NFTA_EXTHDR_LEN, htobe32(1));
	mnl_attr_put_u32(m, NFTA_EXTHDR_FLAGS, htobe32(NFT_EXTHDR_F_PRESENT));
	mnl_attr_put_u32(m, NFTA_EXTHDR_OP, htobe32(NFT_EXTHDR_OP_TCPOPT));
}

/* add @cl_filter_0 { ip saddr ct count over 100 }: every dynset dumps a
 * timeout, 0 when it has none, which a set without timeouts refuses */
static void dynset_data(struct nlmsghdr *m, uint64_t timeout_ms)
{
	mnl_attr_put_u32(m, NFTA_DYNSET_SREG_KEY, htobe32(NFT_REG_1));
	mnl_attr_put_u32(m, NFTA_DYNSET_OP, htobe32(NFT_DYNSET_OP_ADD));
	mnl_attr_put_strz(m, NFTA_DYNSET_SET_NAME, "cl_filter_0");
	mnl_attr_put_u64(m, NFTA_DYNSET_TIMEOUT, htobe64(timeout_ms));
	mnl_attr_put_u32(m, NFTA_DYNSET_FLAGS, htobe32(0));
}

static void dynset_untimed_data(struct nlmsghdr *m)
{
	dynset_data(m, 0);
}

/* add @al_hl { ip saddr timeout 1h }: kept */
static void dynset_timed_data(struct nlmsghdr *m)
{
	dynset_data(m, 3600000);
}

/* The dynsets' timeouts in a rule's expressions, as "0 3600000 -": one
 * word each, "-" for none. */
static void dynset_timeouts(const struct nlattr *exprs, char *out, size_t size)
{
	const struct nlattr *e, *x, *d;
	size_t o = 0;

	out[0] = 0;
	mnl_attr_for_each_nested(e, exprs) {
		bool dynset = false;
		uint64_t t = UINT64_MAX;

		mnl_attr_for_each_nested(x, e) {
			if (mnl_attr_get_type(x) == NFTA_EXPR_NAME)
				dynset = !strcmp(mnl_attr_get_str(x), "dynset");
			if (mnl_attr_get_type(x) == NFTA_EXPR_DATA)
				mnl_attr_for_each_nested(d, x)
					if (mnl_attr_get_type(d) == NFTA_DYNSET_TIMEOUT)
						t = be64toh(mnl_attr_get_u64(d));
		}
		if (!dynset)
			continue;
		if (t == UINT64_MAX)
			o += (size_t)snprintf(out + o, size - o, "%s-", o ? " " : "");
		else
			o += (size_t)snprintf(out + o, size - o, "%s%llu", o ? " " : "", (unsigned long long)t);
	}
}

int __wrap_kread_rules(struct nlsock *ns, int family, const char *chain, void (*fn)(void *, const struct kread_rule *),
		       void *ctx)
{
	struct kread_rule r = { 0 };
	struct nlmsghdr *m;
	struct nlattr *l;
	int i;

	(void)ns;
	read_note(chain, family);
	if (fails("kread_rules"))
		return -1;
	if (strcmp(chain, "filter_input"))
		return 0;
	for (i = 0; i < 3; i++) {
		m = kmsg(NFT_MSG_NEWRULE, family);
		mnl_attr_put_strz(m, NFTA_RULE_TABLE, "rosfw");
		mnl_attr_put_strz(m, NFTA_RULE_CHAIN, chain);
		mnl_attr_put_u64(m, NFTA_RULE_HANDLE, htobe64(20 + (uint64_t)i));
		mnl_attr_put_u64(m, NFTA_RULE_POSITION, htobe64(19 + (uint64_t)i));
		l = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);
		if (i == 0) {
			expr_put(m, "objref", objref_data);
		} else if (i == 2) {
			expr_put(m, "dynset", dynset_untimed_data);
			expr_put(m, "dynset", dynset_timed_data);
		} else {
			expr_put(m, "exthdr", exthdr_read_data);
			expr_put(m, "exthdr", exthdr_write_data);
		}
		mnl_attr_nest_end(m, l);
		mnl_attr_put(m, NFTA_RULE_USERDATA, 5, i ? "\x00\x03#1\x00" : "\x00\x03#0\x00");
		r.nlh = m;
		fn(ctx, &r);
	}
	return 0;
}

/* ---- the snapshot, read back ------------------------------------------------------ */

static const char *msg_name(uint16_t type)
{
	switch (type & 0xff) {
	case NFT_MSG_NEWTABLE: return "newtable";
	case NFT_MSG_DELTABLE: return "deltable";
	case NFT_MSG_NEWCHAIN: return "newchain";
	case NFT_MSG_NEWOBJ: return "newobj";
	case NFT_MSG_NEWSET: return "newset";
	case NFT_MSG_NEWSETELEM: return "newsetelem";
	case NFT_MSG_NEWFLOWTABLE: return "newflowtable";
	case NFT_MSG_NEWRULE: return "newrule";
	}
	return "?";
}

/* Each attribute type of a message, as "t1,t2,...", for what was kept. */
static void attrs_text(FILE *f, const struct nlmsghdr *m)
{
	const struct nlattr *a;
	bool first = true;

	mnl_attr_for_each(a, m, sizeof(struct nfgenmsg)) {
		fprintf(f, "%s%u", first ? "" : ",", mnl_attr_get_type(a));
		first = false;
	}
}

/* An element nest: "KEY[ end][ t=MS]" and the types of what it holds. */
static void elem_text(FILE *f, const struct nlattr *e)
{
	const struct nlattr *a, *d;

	mnl_attr_for_each_nested(a, e) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_SET_ELEM_KEY:
			mnl_attr_for_each_nested(d, a) {
				char s[INET_ADDRSTRLEN];

				inet_ntop(AF_INET, mnl_attr_get_payload(d), s, sizeof(s));
				fputs(s, f);
			}
			break;
		case NFTA_SET_ELEM_FLAGS:
			if (be32toh(mnl_attr_get_u32(a)) & NFT_SET_ELEM_INTERVAL_END)
				fputs(" end", f);
			break;
		case NFTA_SET_ELEM_TIMEOUT:
			fprintf(f, " t=%llu", (unsigned long long)be64toh(mnl_attr_get_u64(a)));
			break;
		case NFTA_SET_ELEM_USERDATA:
			fputs(" ud", f);
			break;
		default:
			fprintf(f, " attr%u", mnl_attr_get_type(a));
		}
	}
}

/* The snapshot as lines: "newchain ip flags=create attrs=1,3,..." and
 * for elements one line each. */
static char *snapshot_text(const struct snapshot *s, size_t *nelems, size_t *nmsgs)
{
	const struct nlmsghdr *m = (const struct nlmsghdr *)s->b;
	int left = (int)s->n;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*nelems = *nmsgs = 0;
	for (; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
		const struct nfgenmsg *g = mnl_nlmsg_get_payload(m);
		const struct nlattr *a, *e;

		assert_int_equal(m->nlmsg_type >> 8, NFNL_SUBSYS_NFTABLES);
		assert_true(m->nlmsg_len <= NLSOCK_BUF);
		(*nmsgs)++;
		fprintf(f, "%s %s%s%s", msg_name(m->nlmsg_type), g->nfgen_family == NFPROTO_IPV6 ? "ip6" : "ip",
			m->nlmsg_flags & NLM_F_CREATE ? " create" : "", m->nlmsg_flags & NLM_F_APPEND ? " append" : "");
		if ((m->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM) {
			fputs(" ", f);
			attrs_text(f, m);
			fputs("\n", f);
			continue;
		}
		fputs("\n", f);
		mnl_attr_for_each(a, m, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
				mnl_attr_for_each_nested(e, a) {
					if (*nelems < 8) {
						fputs("  ", f);
						elem_text(f, e);
						fputs("\n", f);
					}
					(*nelems)++;
				}
	}
	assert_int_equal(left, 0);
	fclose(f);
	return buf;
}

static void test_take_saves_what_recreates_the_tables(void **state)
{
	static const char expected[] =
		/* table: name, flags, user data; no handle or use count */
		"newtable ip create 1,2,6\n"
		/* chains: table, name, hook, policy, type; no handle or use */
		"newchain ip create 1,3,4,5,7\n"
		"newchain ip create 1,3\n"
		/* the counter: table, name, type, data, user data */
		"newobj ip create 1,2,3,4,8\n"
		/* sets: a fresh id first, then as dumped but for handle and
		 * what comes after NFTA_SET_EXPRESSIONS */
		"newset ip create 10,1,2,3,4,5,13\n"
		"newset ip create 10,1,2,3,4,5,13\n"
		/* elements after every set; none for an empty one */
		"newsetelem ip create\n"
		"  10.0.0.0 ud\n"
		"  10.1.0.0 end ud\n"
		"  192.0.2.0 ud t=1234\n"
		"  192.0.3.0 end ud\n"
		"  198.51.100.0 ud t=1\n"
		"newflowtable ip create 1,2,3,7\n"
		/* rules: table, chain, expressions, user data; no handle or
		 * position, appended in dump order */
		"newrule ip create append 1,2,4,7\n"
		"newrule ip create append 1,2,4,7\n"
		"newrule ip create append 1,2,4,7\n";
	struct snapshot s;
	size_t nelems, nmsgs;
	char *text;

	(void)state;
	kernel_reset();
	k.table[0] = true;
	assert_int_equal(snapshot_take(&s), 0);
	assert_int_equal(k.opened, 1);
	assert_int_equal(k.closed, 1);
	/* no ip6 or bridge table: nothing read there after the table */
	assert_string_equal(k.reads, "table/ip chains/ip objs/ip sets/ip al_x/ip ad_y/ip flowtables/ip filter_input/ip "
				     "filter_mine/ip table/ip6 table/bridge");
	text = snapshot_text(&s, &nelems, &nmsgs);
	assert_string_equal(text, expected);
	free(text);
	snapshot_free(&s);
	assert_null(s.b);
}

/* The second rule's write exthdr lost its flags, the reading one kept
 * them; the objref is as dumped; the third rule's dynset without a
 * timeout lost its timeout of 0, the one with a timeout kept it. */
static void test_take_rule_expressions(void **state)
{
	struct snapshot s;
	const struct nlmsghdr *m;
	const struct nlattr *a, *e, *x, *d;
	int left, rule = 0, exthdr = 0;

	(void)state;
	kernel_reset();
	k.table[0] = true;
	assert_int_equal(snapshot_take(&s), 0);
	left = (int)s.n;
	for (m = (const struct nlmsghdr *)s.b; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
		if ((m->nlmsg_type & 0xff) != NFT_MSG_NEWRULE)
			continue;
		rule++;
		mnl_attr_for_each(a, m, sizeof(struct nfgenmsg)) {
			if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
				continue;
			mnl_attr_for_each_nested(e, a) {
				const char *name = NULL;
				bool sreg = false, flags = false;

				mnl_attr_for_each_nested(x, e) {
					if (mnl_attr_get_type(x) == NFTA_EXPR_NAME)
						name = mnl_attr_get_str(x);
					if (mnl_attr_get_type(x) == NFTA_EXPR_DATA)
						mnl_attr_for_each_nested(d, x) {
							sreg |= mnl_attr_get_type(d) == NFTA_EXTHDR_SREG;
							flags |= mnl_attr_get_type(d) == NFTA_EXTHDR_FLAGS;
						}
				}
				assert_non_null(name);
				if (rule == 3) {
					char t[64];

					assert_string_equal(name, "dynset");
					dynset_timeouts(a, t, sizeof(t));
					assert_string_equal(t, "- 3600000");
				} else if (rule == 1) {
					assert_string_equal(name, "objref");
				} else {
					assert_string_equal(name, "exthdr");
					exthdr++;
					assert_true(sreg ? !flags : flags);
				}
			}
		}
	}
	assert_int_equal(rule, 3);
	assert_int_equal(exthdr, 2);
	snapshot_free(&s);
}

/* A set of many elements goes in several NEWSETELEM messages, none over
 * NLSOCK_BUF (an element list is one attribute of 16-bit length), every
 * element once, each with what it had left as its timeout. */
static void test_take_splits_large_sets(void **state)
{
	struct snapshot s;
	size_t nelems, nmsgs;
	char *text;

	(void)state;
	kernel_reset();
	k.table[1] = true;
	k.nelems = 5000;
	assert_int_equal(snapshot_take(&s), 0);
	text = snapshot_text(&s, &nelems, &nmsgs);
	assert_int_equal(nelems, 5 + 5000);
	assert_true(nmsgs > 10 + 1);	/* 10 other messages, ad_y's in more than one */
	assert_non_null(strstr(text, "newtable ip6 create"));
	assert_null(strstr(text, "newtable ip create"));
	free(text);
	snapshot_free(&s);
}

/* Any read that fails fails the whole, nothing kept. */
static void test_take_errors(void **state)
{
	static const char *const fns[] = { "kread_table", "kread_chains", "kread_objs", "kread_sets",
					   "kread_elems", "kread_flowtables", "kread_rules" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct snapshot s;

		kernel_reset();
		k.table[0] = true;
		k.fail = fns[i];
		errno = 0;
		if (snapshot_take(&s) != -1)
			fail_msg("snapshot_take succeeded though %s failed", fns[i]);
		assert_int_equal(errno, EPERM);
		assert_null(s.b);
		assert_int_equal(s.n, 0);
		assert_int_equal(k.opened, k.closed);
	}
}

/* ---- restoring ---------------------------------------------------------------------- */

static struct {
	int sock[2];		/* [0]: rosfw's end */
	bool open_fails;
	char *sent;
	size_t sent_len;
	int refuse;		/* the errno the kernel answers with, 0: none */
	int closed;
} r;

struct mnl_socket *__wrap_mnl_socket_open(int bus);
int __wrap_mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid);
int __wrap_mnl_socket_get_fd(const struct mnl_socket *nl);
ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len);
int __wrap_mnl_socket_close(struct mnl_socket *nl);

struct mnl_socket *__wrap_mnl_socket_open(int bus)
{
	assert_int_equal(bus, NETLINK_NETFILTER);
	if (r.open_fails) {
		errno = EPERM;
		return NULL;
	}
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, r.sock), 0);
	return (struct mnl_socket *)&r;
}

int __wrap_mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)nl;
	(void)groups;
	(void)pid;
	return 0;
}

int __wrap_mnl_socket_get_fd(const struct mnl_socket *nl)
{
	assert_ptr_equal(nl, &r);
	return r.sock[0];
}

/* The batch kept; the kernel's answer on the other end, then the end
 * closed, so the reader sees all there is at once. */
ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len)
{
	assert_ptr_equal(nl, &r);
	r.sent = malloc(len);
	memcpy(r.sent, buf, len);
	r.sent_len = len;
	if (r.refuse) {
		char ans[256] = { 0 };
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(ans);
		struct nlmsgerr *err;

		nlh->nlmsg_type = NLMSG_ERROR;
		err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
		err->error = -r.refuse;
		assert_int_equal(write(r.sock[1], ans, nlh->nlmsg_len), (ssize_t)nlh->nlmsg_len);
	}
	close(r.sock[1]);
	return (ssize_t)len;
}

int __wrap_mnl_socket_close(struct mnl_socket *nl)
{
	assert_ptr_equal(nl, &r);
	close(r.sock[0]);
	r.closed++;
	return 0;
}

static void restore_reset(void)
{
	free(r.sent);
	memset(&r, 0, sizeof(r));
}

/* The restore batch: begin; for each family the table created and
 * deleted, which empties it whether or not it exists; the saved requests
 * verbatim; end; sequence numbers one apart. */
static void test_restore_batch(void **state)
{
	struct snapshot s;
	const struct nlmsghdr *m;
	char lines[512] = "";
	int left, n = 0;
	uint32_t seq = 0;
	size_t off = 0;

	(void)state;
	kernel_reset();
	k.table[0] = true;
	assert_int_equal(snapshot_take(&s), 0);
	restore_reset();
	assert_int_equal(snapshot_restore(s.b, s.n), 0);
	assert_int_equal(r.closed, 1);
	left = (int)r.sent_len;
	for (m = (const struct nlmsghdr *)r.sent; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left), n++) {
		const struct nfgenmsg *g = mnl_nlmsg_get_payload(m);
		size_t l = strlen(lines);

		if (n)
			assert_int_equal(m->nlmsg_seq, seq + 1);
		seq = m->nlmsg_seq;
		if (m->nlmsg_type == NFNL_MSG_BATCH_BEGIN || m->nlmsg_type == NFNL_MSG_BATCH_END) {
			snprintf(lines + l, sizeof(lines) - l, "%s\n", m->nlmsg_type == NFNL_MSG_BATCH_BEGIN ? "begin" : "end");
			continue;
		}
		if (n <= 6) {
			snprintf(lines + l, sizeof(lines) - l, "%s %s %s\n", msg_name(m->nlmsg_type),
				 g->nfgen_family == NFPROTO_IPV6 ? "ip6" : g->nfgen_family == NFPROTO_BRIDGE ? "bridge" : "ip",
				 mnl_attr_get_str(mnl_nlmsg_get_payload_offset(m, sizeof(*g))));
			off = (size_t)((const char *)mnl_nlmsg_next(m, &(int){ left }) - r.sent);
			continue;
		}
		if (n == 7) {
			/* the snapshot, byte for byte but for the sequence numbers */
			struct nlmsghdr *copy;
			const struct nlmsghdr *p;
			int cl = (int)s.n;

			assert_true(r.sent_len >= off + s.n);
			copy = malloc(s.n);
			memcpy(copy, r.sent + off, s.n);
			for (p = copy; mnl_nlmsg_ok(p, cl); p = mnl_nlmsg_next(p, &cl))
				((struct nlmsghdr *)p)->nlmsg_seq = 0;
			assert_memory_equal(copy, s.b, s.n);
			free(copy);
			snprintf(lines + l, sizeof(lines) - l, "(snapshot)\n");
		}
	}
	assert_int_equal(left, 0);
	assert_string_equal(lines, "begin\nnewtable ip rosfw\ndeltable ip rosfw\nnewtable ip6 rosfw\ndeltable ip6 rosfw\n"
				   "newtable bridge rosfw\ndeltable bridge rosfw\n(snapshot)\nend\n");
	assert_int_equal(n, 7 + 11 + 1);
	snapshot_free(&s);
	restore_reset();
}

/* A rule saved by a rosfw that kept a dynset's timeout of 0 (which the
 * kernel refuses for a set without timeouts) is sent without it: such a
 * file restores too. */
static void test_restore_drops_what_the_kernel_refuses(void **state)
{
	char buf[1024], t[64];
	struct nlmsghdr *m = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, NFPROTO_IPV4, NLM_F_CREATE | NLM_F_APPEND, 0);
	const struct nlmsghdr *p;
	const struct nlattr *a;
	struct nlattr *l;
	int left, rules = 0;

	(void)state;
	mnl_attr_put_strz(m, NFTA_RULE_TABLE, "rosfw");
	mnl_attr_put_strz(m, NFTA_RULE_CHAIN, "filter_input");
	l = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);
	expr_put(m, "dynset", dynset_untimed_data);
	expr_put(m, "objref", objref_data);
	expr_put(m, "dynset", dynset_timed_data);
	mnl_attr_nest_end(m, l);
	restore_reset();
	assert_int_equal(snapshot_restore(buf, m->nlmsg_len), 0);
	left = (int)r.sent_len;
	for (p = (const struct nlmsghdr *)r.sent; mnl_nlmsg_ok(p, left); p = mnl_nlmsg_next(p, &left)) {
		if ((p->nlmsg_type & 0xff) != NFT_MSG_NEWRULE || p->nlmsg_type >> 8 != NFNL_SUBSYS_NFTABLES)
			continue;
		rules++;
		mnl_attr_for_each(a, p, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_RULE_EXPRESSIONS)
				dynset_timeouts(a, t, sizeof(t));
		assert_string_equal(t, "- 3600000");
		assert_non_null(memmem(p, p->nlmsg_len, "c_filter_ab", 11));
	}
	assert_int_equal(rules, 1);
	restore_reset();
}

/* The kernel's refusal is its errno (> 0); no socket is -errno. */
static void test_restore_errors(void **state)
{
	static const char req[] = "";

	(void)state;
	restore_reset();
	r.refuse = EINVAL;
	assert_int_equal(snapshot_restore(req, 0), EINVAL);
	assert_int_equal(r.closed, 1);
	restore_reset();
	r.open_fails = true;
	assert_int_equal(snapshot_restore(req, 0), -EPERM);
	restore_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_saves_what_recreates_the_tables),
		cmocka_unit_test(test_take_rule_expressions),
		cmocka_unit_test(test_restore_drops_what_the_kernel_refuses),
		cmocka_unit_test(test_take_splits_large_sets),
		cmocka_unit_test(test_take_errors),
		cmocka_unit_test(test_restore_batch),
		cmocka_unit_test(test_restore_errors),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	kernel_reset();
	return rc;
}
