/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply's state carry-over without a kernel: the kernel reader (kread_*,
 * nlsock_open/close; WRAP_test_state in the Makefile) answers from tables
 * built here, and the new configuration is a real script lowered to the
 * IR. What a re-apply keeps: dynamic entries with the time they have
 * left, none-static ones with their mark, comments; what it drops: the
 * configuration's own entries, entries already gone, entries the new
 * configuration writes itself or overlaps, lists that no longer exist or
 * changed their kind; and what it reports the tables hold.
 */
#include "helpers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "kread.h"
#include "lower.h"
#include "nlsock.h"
#include "state.h"

/* ---- a kernel made of structs ----------------------------------------------- */

#define KSETS_MAX 8
#define KELEMS_MAX 8

/* nft's numbers for the key types (nftables' datatype.h) */
#define TYPE_IPADDR 7
#define TYPE_IP6ADDR 8

struct kset {
	const char *name;
	uint32_t flags, key_type, key_len;
	struct kread_elem e[KELEMS_MAX];	/* a hash set's elements */
	size_t ne;
	struct kread_range r[KELEMS_MAX];	/* an interval set's ranges */
	uint8_t lo[KELEMS_MAX][16], hi[KELEMS_MAX][16];
	size_t nr;
	int elem_reads;				/* kread_elems/kread_ranges calls */
};

static struct kfam {
	bool table;
	const char *chains[4];
	const char *types[4];			/* NULL: a regular chain */
	const char *objs[4];
	const char *flowtables[2];
	struct kset sets[KSETS_MAX];
	size_t nsets;
} kf[2];

static struct {
	bool open_fails;
	const char *fail;	/* the kread_ function that fails, with fail_errno */
	int fail_errno;
	int opened, closed;
} kk;

static struct kfam *fam(int family)
{
	assert_true(family == NFPROTO_IPV4 || family == NFPROTO_IPV6);
	return &kf[family == NFPROTO_IPV6];
}

static bool fails(const char *fn)
{
	if (kk.fail && !strcmp(kk.fail, fn)) {
		errno = kk.fail_errno;
		return true;
	}
	return false;
}

bool __wrap_nlsock_open(struct nlsock *s);
void __wrap_nlsock_close(struct nlsock *s);
int __wrap_kread_table(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_table *), void *ctx);
int __wrap_kread_chains(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_chain *), void *ctx);
int __wrap_kread_objs(struct nlsock *ns, int family, uint32_t type, void (*fn)(void *, const struct kread_obj *),
		      void *ctx);
int __wrap_kread_flowtables(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_flowtable *),
			    void *ctx);
int __wrap_kread_sets(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_set *), void *ctx);
int __wrap_kread_elems(struct nlsock *ns, int family, const char *set, void (*fn)(void *, const struct kread_elem *),
		       void *ctx);
int __wrap_kread_ranges(struct nlsock *ns, int family, const char *set, uint32_t key_len,
			void (*fn)(void *, const struct kread_range *), void *ctx);

bool __wrap_nlsock_open(struct nlsock *s)
{
	memset(s, 0, sizeof(*s));
	if (kk.open_fails) {
		errno = EPERM;
		return false;
	}
	kk.opened++;
	s->buf = (char *)"open";	/* what close looks at */
	return true;
}

void __wrap_nlsock_close(struct nlsock *s)
{
	if (s->buf)
		kk.closed++;
	s->buf = NULL;
}

int __wrap_kread_table(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_table *), void *ctx)
{
	struct kread_table t = { .handle = 1 };

	(void)ns;
	if (fails("kread_table"))
		return -1;
	/* no table bridge rosfw in this kernel */
	if (family == NFPROTO_BRIDGE || !fam(family)->table)
		return 0;
	if (fn)
		fn(ctx, &t);
	return 1;
}

int __wrap_kread_chains(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_chain *), void *ctx)
{
	struct kfam *f = fam(family);
	size_t i;

	(void)ns;
	if (fails("kread_chains"))
		return -1;
	for (i = 0; i < 4 && f->chains[i]; i++) {
		struct kread_chain c = { .name = f->chains[i], .type = f->types[i] };

		if (c.type) {
			c.hooknum = NF_INET_LOCAL_IN;
			c.prio = -150;
		}
		fn(ctx, &c);
	}
	return 0;
}

int __wrap_kread_objs(struct nlsock *ns, int family, uint32_t type, void (*fn)(void *, const struct kread_obj *),
		      void *ctx)
{
	struct kfam *f = fam(family);
	size_t i;

	(void)ns;
	assert_int_equal(type, 0);	/* every type: a helper is an object too */
	if (fails("kread_objs"))
		return -1;
	for (i = 0; i < 4 && f->objs[i]; i++) {
		struct kread_obj o = { .name = f->objs[i], .name_len = strlen(f->objs[i]),
				       .type = strncmp(f->objs[i], "c_", 2) ? NFT_OBJECT_CT_HELPER : NFT_OBJECT_COUNTER };

		fn(ctx, &o);
	}
	return 0;
}

int __wrap_kread_flowtables(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_flowtable *),
			    void *ctx)
{
	struct kfam *f = fam(family);
	size_t i;

	(void)ns;
	if (fails("kread_flowtables"))
		return -1;
	for (i = 0; i < 2 && f->flowtables[i]; i++) {
		struct kread_flowtable ft = { .name = f->flowtables[i] };

		fn(ctx, &ft);
	}
	return 0;
}

int __wrap_kread_sets(struct nlsock *ns, int family, void (*fn)(void *, const struct kread_set *), void *ctx)
{
	struct kfam *f = fam(family);
	size_t i;

	(void)ns;
	if (fails("kread_sets"))
		return -1;
	for (i = 0; i < f->nsets; i++) {
		struct kread_set s = { .name = f->sets[i].name, .flags = f->sets[i].flags,
				       .key_type = f->sets[i].key_type, .key_len = f->sets[i].key_len };

		fn(ctx, &s);
	}
	return 0;
}

static struct kset *kset_find(int family, const char *name)
{
	struct kfam *f = fam(family);
	size_t i;

	for (i = 0; i < f->nsets; i++)
		if (!strcmp(f->sets[i].name, name))
			return &f->sets[i];
	fail_msg("state read set %s, which the kernel does not have", name);
	return NULL;
}

int __wrap_kread_elems(struct nlsock *ns, int family, const char *set, void (*fn)(void *, const struct kread_elem *),
		       void *ctx)
{
	struct kset *s = kset_find(family, set);
	size_t i;

	(void)ns;
	if (fails("kread_elems"))
		return -1;
	assert_false(s->flags & NFT_SET_INTERVAL);	/* an interval set is read by ranges */
	s->elem_reads++;
	for (i = 0; i < s->ne; i++)
		fn(ctx, &s->e[i]);
	return 0;
}

int __wrap_kread_ranges(struct nlsock *ns, int family, const char *set, uint32_t key_len,
			void (*fn)(void *, const struct kread_range *), void *ctx)
{
	struct kset *s = kset_find(family, set);
	size_t i;

	(void)ns;
	assert_true(s->flags & NFT_SET_INTERVAL);
	assert_int_equal(key_len, s->key_len);
	s->elem_reads++;
	for (i = 0; i < s->nr; i++)
		fn(ctx, &s->r[i]);
	return 0;
}

static void kernel_reset(void)
{
	memset(kf, 0, sizeof(kf));
	memset(&kk, 0, sizeof(kk));
}

static struct kset *kset_add(int family, const char *name, uint32_t flags, bool v6)
{
	struct kfam *f = fam(family);
	struct kset *s;

	assert_true(f->nsets < KSETS_MAX);
	s = &f->sets[f->nsets++];
	s->name = name;
	s->flags = flags;
	s->key_type = v6 ? TYPE_IP6ADDR : TYPE_IPADDR;
	s->key_len = v6 ? 16 : 4;
	return s;
}

static void addr(uint8_t *out, const char *text)
{
	assert_int_equal(inet_pton(strchr(text, ':') ? AF_INET6 : AF_INET, text, out), 1);
}

/* An element of a hash set: exp_ms < 0 for one without a timeout. */
static struct kread_elem *kelem(struct kset *s, const char *a, uint64_t timeout_ms, int64_t exp_ms,
				const char *comment, bool configured)
{
	static uint8_t keys[64][16];
	static size_t nkeys;
	struct kread_elem *e;

	assert_true(s->ne < KELEMS_MAX);
	e = &s->e[s->ne++];
	memset(e, 0, sizeof(*e));
	e->key = keys[nkeys % 64];
	addr(keys[nkeys++ % 64], a);
	e->key_len = s->key_len;
	if (exp_ms >= 0) {
		e->has_timeout = e->has_exp = true;
		e->timeout_ms = timeout_ms;
		e->exp_ms = (uint64_t)exp_ms;
	}
	e->comment = comment;
	e->comment_len = comment ? strlen(comment) : 0;
	e->configured = configured;
	return e;
}

/* A range of an interval set, lo and hi its first and last address. */
static void krange(struct kset *s, const char *lo, const char *hi, int64_t exp_ms, const char *comment,
		   bool configured)
{
	struct kread_range *r;

	assert_true(s->nr < KELEMS_MAX);
	addr(s->lo[s->nr], lo);
	addr(s->hi[s->nr], hi);
	r = &s->r[s->nr];
	memset(r, 0, sizeof(*r));
	r->lo = s->lo[s->nr];
	r->hi = s->hi[s->nr];
	if (exp_ms >= 0) {
		r->start.has_timeout = r->start.has_exp = true;
		r->start.timeout_ms = 86400000;
		r->start.exp_ms = (uint64_t)exp_ms;
	}
	r->start.comment = comment;
	r->start.comment_len = comment ? strlen(comment) : 0;
	r->start.configured = configured;
	s->nr++;
}

/* ---- the new configuration -------------------------------------------------- */

struct conf {
	struct run r;
	struct ir *ir;
};

static struct conf conf_lower(const char *src)
{
	struct conf c;
	struct lower_opts o = { 0 };

	c.r = run_script(src);
	assert_no_errors(c.r.d);
	c.ir = lower_model(c.r.m, c.r.d, &o);
	assert_non_null(c.ir);
	return c;
}

static void conf_free(struct conf *c)
{
	ir_free(c->ir);
	run_free(&c->r);
}

static struct ir_set *ir_set(const struct conf *c, int f, const char *name)
{
	struct ir_set *s;

	assert_non_null(c->ir->tables[f]);
	s = ir_set_find(c->ir->tables[f], name);
	if (!s)
		fail_msg("the IR has no set %s", name);
	return s;
}

/* The set's entries, in order, as "ADDR[-ADDR][ t=MS][ kept][ \"COMMENT\"]"
 * joined by ", ". Caller frees. */
static char *elems_text(const struct ir_set *s)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	for (i = 0; i < s->n; i++) {
		const struct ir_elem *e = &s->elems[i];
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
		int af = e->lo.len == 16 ? AF_INET6 : AF_INET;

		inet_ntop(af, e->lo.b, a, sizeof(a));
		fprintf(f, "%s%s", i ? ", " : "", a);
		if (e->range) {
			inet_ntop(af, e->hi.b, b, sizeof(b));
			fprintf(f, "-%s", b);
		}
		if (e->timeout_ms)
			fprintf(f, " t=%llu", (unsigned long long)e->timeout_ms);
		if (e->kept)
			fputs(" kept", f);
		if (e->comment)
			fprintf(f, " \"%s\"", e->comment);
	}
	fclose(f);
	return buf;
}

static void elems_expect(const struct ir_set *s, const char *expected, const char *file, int line)
{
	char *got = elems_text(s);

	if (strcmp(got, expected)) {
		print_error("set %s:\nexpected: %s\ngot:      %s\n", s->name, expected, got);
		free(got);
		_fail(file, line);
	}
	free(got);
}

#define assert_elems(s, expected) elems_expect((s), (expected), __FILE__, __LINE__)

static const char conf_v4[] =
	"/ip firewall address-list\n"
	"add list=blk address=10.0.0.0/8\n"
	"add list=blk address=172.16.0.0/12 timeout=1d\n"
	"add list=scan address=198.51.100.1\n"
	"/ip firewall filter\n"
	"add chain=input src-address-list=blk action=drop\n"
	"add chain=input src-address-list=scan action=drop\n"
	"add chain=input protocol=tcp dst-port=22 action=add-src-to-address-list address-list=scan address-list-timeout=1h\n"
	"add chain=input action=add-dst-to-address-list address-list=blk address-list-timeout=1h\n";

/* ---- what a re-apply keeps -------------------------------------------------- */

/* A hash set whose entries rules add (al_scan: addresses only): the
 * dynamic ones come over with what they had left, the rest do not. */
static void test_dynamic_entries_kept_with_time_left(void **state)
{
	struct conf c = conf_lower(conf_v4);
	struct kset *s;
	struct state *st;

	(void)state;
	kernel_reset();
	kf[0].table = true;
	s = kset_add(NFPROTO_IPV4, "al_scan", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
	kelem(s, "203.0.113.5", 3600000, 1500, "ssh", false);			/* a rule added it */
	kelem(s, "203.0.113.6", 3600000, 0, NULL, false);			/* gone by now */
	kelem(s, "203.0.113.7", 0, -1, NULL, true);				/* the old configuration's */
	kelem(s, "203.0.113.8", LOWER_STATIC_TIMEOUT_MS, 999, NULL, false);	/* none-static */
	kelem(s, "198.51.100.1", 0, -1, NULL, false);				/* the new configuration has it */
	kelem(s, "203.0.113.9", 0, -1, NULL, false);				/* address-list add, untimed */
	st = state_read();
	assert_non_null(st);
	assert_int_equal(s->elem_reads, 1);
	assert_int_equal(state_keep_elems(st, c.ir), 3);
	assert_elems(ir_set(&c, 0, "al_scan"), "198.51.100.1, 203.0.113.5 t=1500 kept \"ssh\", "
					       "203.0.113.8 t=2592000000000 kept, 203.0.113.9 kept");
	state_free(st);
	assert_int_equal(kk.opened, 1);
	assert_int_equal(kk.closed, 1);
	conf_free(&c);
}

/* An interval set (ar_blk): ranges come over whole, but not one that
 * meets an entry the new configuration has there (the kernel would
 * refuse the whole batch for it), nor the configuration's own. */
static void test_ranges_kept_unless_overlapping(void **state)
{
	struct conf c = conf_lower(conf_v4);
	struct kset *s;
	struct state *st;

	(void)state;
	kernel_reset();
	kf[0].table = true;
	s = kset_add(NFPROTO_IPV4, "ar_blk", NFT_SET_INTERVAL | NFT_SET_TIMEOUT, false);
	krange(s, "192.168.0.0", "192.168.255.255", -1, "by hand", false);	/* untimed /16 */
	krange(s, "100.64.0.0", "100.127.255.255", 5000, NULL, false);		/* timed /10 */
	krange(s, "172.16.5.0", "172.16.5.255", -1, NULL, false);		/* inside 172.16.0.0/12 */
	krange(s, "172.31.255.255", "172.32.0.10", -1, NULL, false);		/* meets its end */
	krange(s, "172.15.255.0", "172.16.0.0", -1, NULL, false);		/* meets its start */
	krange(s, "8.8.8.8", "8.8.8.8", 700, NULL, false);			/* a single address */
	krange(s, "1.0.0.0", "1.255.255.255", -1, NULL, true);			/* the old configuration's */
	krange(s, "2.0.0.0", "2.0.0.255", 0, NULL, false);			/* gone */
	st = state_read();
	assert_non_null(st);
	assert_int_equal(state_keep_elems(st, c.ir), 3);
	assert_elems(ir_set(&c, 0, "ar_blk"), "172.16.0.0-172.31.255.255 t=86400000, 8.8.8.8 t=700 kept, "
					      "100.64.0.0-100.127.255.255 t=5000 kept, "
					      "192.168.0.0-192.168.255.255 kept \"by hand\"");
	state_free(st);
	conf_free(&c);
}

/* Only the sets of lists that are still lists of the same kind take
 * entries: a list gone, a list now of prefixes where it held addresses,
 * a set of another key type, a set that is no address list. */
static void test_only_matching_lists_take_entries(void **state)
{
	static const char conf[] =
		"/ip firewall address-list\n"
		"add list=blk address=10.0.0.0/8\n"
		"/ip firewall filter\n"
		"add chain=input src-address-list=blk action=drop\n"
		"add chain=input action=add-src-to-address-list address-list=blk address-list-timeout=1h\n"
		"add chain=input action=add-src-to-address-list address-list=scan address-list-timeout=1h\n";
	struct conf c = conf_lower(conf);
	struct kset *gone, *was_hash, *v6key, *ad, *scan, *other;
	struct state *st;

	(void)state;
	kernel_reset();
	kf[0].table = true;
	gone = kset_add(NFPROTO_IPV4, "al_gone", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
	kelem(gone, "203.0.113.1", 3600000, 100, NULL, false);
	/* al_blk was a hash set of timed addresses; it is an interval set of
	 * the configuration's prefixes now, without timeouts */
	was_hash = kset_add(NFPROTO_IPV4, "al_blk", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
	kelem(was_hash, "203.0.113.2", 3600000, 100, NULL, false);
	ad = kset_add(NFPROTO_IPV4, "ad_blk", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
	kelem(ad, "203.0.113.3", 3600000, 100, NULL, false);
	v6key = kset_add(NFPROTO_IPV4, "al_scan", NFT_SET_TIMEOUT | NFT_SET_EVAL, true);
	kelem(v6key, "2001:db8::1", 3600000, 100, NULL, false);
	scan = kset_add(NFPROTO_IPV4, "ar_scan", NFT_SET_INTERVAL | NFT_SET_TIMEOUT, false);
	krange(scan, "192.0.2.0", "192.0.2.255", 100, NULL, false);
	/* rosfw's sets that are no lists, and an anonymous one: not read */
	other = kset_add(NFPROTO_IPV4, "dl_limit", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
	kset_add(NFPROTO_IPV4, "__set0", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT, false);
	st = state_read();
	assert_non_null(st);
	assert_int_equal(other->elem_reads, 0);
	assert_int_equal(state_keep_elems(st, c.ir), 2);
	assert_elems(ir_set(&c, 0, "al_blk"), "10.0.0.0-10.255.255.255");
	assert_elems(ir_set(&c, 0, "ad_blk"), "203.0.113.3 t=100 kept");
	assert_elems(ir_set(&c, 0, "al_scan"), "");
	assert_elems(ir_set(&c, 0, "ar_scan"), "192.0.2.0-192.0.2.255 t=100 kept");
	/* every named set is in what the tables hold, the anonymous one not */
	assert_int_equal(state_have(st)[0].nsets, 6);
	state_free(st);
	conf_free(&c);
}

/* A set full of what the old one held grows to fit: the kernel refuses
 * a whole batch whose entries pass a set's size. */
static void test_set_grows_to_hold_the_old_entries(void **state)
{
	struct conf c = conf_lower(conf_v4);
	struct ir_set *s;
	struct kset *k;
	struct state *st;

	(void)state;
	kernel_reset();
	kf[0].table = true;
	k = kset_add(NFPROTO_IPV4, "ad_blk", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
	kelem(k, "203.0.113.1", 3600000, 100, NULL, false);
	kelem(k, "203.0.113.2", 3600000, 100, NULL, false);
	kelem(k, "203.0.113.3", 3600000, 100, NULL, false);
	s = ir_set(&c, 0, "ad_blk");
	assert_int_equal(s->size, LOWER_SET_ROOM);
	s->size = 2;	/* as if the configuration left room for two */
	st = state_read();
	assert_non_null(st);
	assert_int_equal(state_keep_elems(st, c.ir), 3);
	assert_int_equal(s->size, 3);
	state_free(st);
	conf_free(&c);
}

/* IPv6 lists are read from table ip6 and go into its sets. */
static void test_ipv6(void **state)
{
	static const char conf[] =
		"/ipv6 firewall address-list\n"
		"add list=v6 address=2001:db8::/32\n"
		"/ipv6 firewall filter\n"
		"add chain=input src-address-list=v6 action=drop\n"
		"add chain=input action=add-src-to-address-list address-list=v6 address-list-timeout=1h\n";
	struct conf c = conf_lower(conf);
	struct kset *s;
	struct state *st;

	(void)state;
	kernel_reset();
	kf[1].table = true;
	s = kset_add(NFPROTO_IPV6, "ad_v6", NFT_SET_TIMEOUT | NFT_SET_EVAL, true);
	kelem(s, "2001:db8:1::1", 3600000, 42, "six", false);
	kelem(s, "2001:db8:1::2", 0, -1, NULL, true);
	s = kset_add(NFPROTO_IPV6, "ar_v6", NFT_SET_INTERVAL | NFT_SET_TIMEOUT, true);
	krange(s, "2001:db9::", "2001:db9::ffff", -1, NULL, false);
	st = state_read();
	assert_non_null(st);
	assert_false(state_have(st)[0].table);
	assert_true(state_have(st)[1].table);
	assert_int_equal(state_keep_elems(st, c.ir), 2);
	assert_elems(ir_set(&c, 1, "ad_v6"), "2001:db8:1::1 t=42 kept \"six\"");
	assert_elems(ir_set(&c, 1, "ar_v6"), "2001:db9::-2001:db9::ffff kept");
	state_free(st);
	conf_free(&c);
}

/* ---- what the tables hold ---------------------------------------------------- */

static void test_have(void **state)
{
	const struct emit_nl_have *h;
	struct state *st;

	(void)state;
	kernel_reset();
	kf[0].table = true;
	kf[0].chains[0] = "filter_input";
	kf[0].types[0] = "filter";
	kf[0].chains[1] = "filter_mine";
	kf[0].objs[0] = "c_filter_b";
	kf[0].objs[1] = "ftp";
	kf[0].objs[2] = "c_filter_a";
	kf[0].flowtables[0] = "ft";
	kset_add(NFPROTO_IPV4, "al_x", 0, false);
	/* no ip6 table: nothing read there but the table */
	kf[1].chains[0] = "never";
	kset_add(NFPROTO_IPV6, "al_never", 0, true);
	st = state_read();
	assert_non_null(st);
	h = state_have(st);
	assert_true(h[0].table);
	assert_int_equal(h[0].nchains, 2);
	assert_string_equal(h[0].chains[0].name, "filter_input");
	assert_string_equal(h[0].chains[0].type, "filter");
	assert_int_equal(h[0].chains[0].hooknum, NF_INET_LOCAL_IN);
	assert_int_equal(h[0].chains[0].prio, -150);
	assert_string_equal(h[0].chains[1].name, "filter_mine");
	assert_null(h[0].chains[1].type);
	/* sorted by name: emit_nl_build_over searches them */
	assert_int_equal(h[0].nobjs, 3);
	assert_string_equal(h[0].objs[0].name, "c_filter_a");
	assert_string_equal(h[0].objs[1].name, "c_filter_b");
	assert_string_equal(h[0].objs[2].name, "ftp");
	assert_int_equal(h[0].objs[2].type, NFT_OBJECT_CT_HELPER);
	assert_int_equal(h[0].nflowtables, 1);
	assert_string_equal(h[0].flowtables[0], "ft");
	assert_int_equal(h[0].nsets, 1);
	assert_string_equal(h[0].sets[0], "al_x");
	assert_false(h[1].table);
	assert_int_equal(h[1].nchains + h[1].nsets + h[1].nobjs, 0);
	state_free(st);
}

/* Nothing read is nothing kept: no table, no entries. */
static void test_no_tables(void **state)
{
	struct conf c = conf_lower(conf_v4);
	struct state *st;

	(void)state;
	kernel_reset();
	st = state_read();
	assert_non_null(st);
	assert_false(state_have(st)[0].table);
	assert_int_equal(state_keep_elems(st, c.ir), 0);
	assert_elems(ir_set(&c, 0, "al_scan"), "198.51.100.1");
	state_free(st);
	conf_free(&c);
}

/* Any read that fails fails the whole: NULL with its errno, the socket
 * closed, nothing half-read handed on. */
static void test_read_errors(void **state)
{
	static const char *const fns[] = { "kread_table", "kread_chains", "kread_objs", "kread_flowtables",
					   "kread_sets", "kread_elems" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct kset *s;

		kernel_reset();
		kf[0].table = true;
		s = kset_add(NFPROTO_IPV4, "al_scan", NFT_SET_TIMEOUT | NFT_SET_EVAL, false);
		kelem(s, "203.0.113.5", 3600000, 1500, NULL, false);
		kk.fail = fns[i];
		kk.fail_errno = EPERM;
		errno = 0;
		if (state_read())
			fail_msg("state_read succeeded though %s failed", fns[i]);
		assert_int_equal(errno, EPERM);
		assert_int_equal(kk.opened, kk.closed);
	}
	kernel_reset();
	kk.open_fails = true;
	assert_null(state_read());
	assert_int_equal(errno, EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dynamic_entries_kept_with_time_left),
		cmocka_unit_test(test_ranges_kept_unless_overlapping),
		cmocka_unit_test(test_only_matching_lists_take_entries),
		cmocka_unit_test(test_set_grows_to_hold_the_old_entries),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_have),
		cmocka_unit_test(test_no_tables),
		cmocka_unit_test(test_read_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
