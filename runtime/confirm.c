/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rollback for apply --confirm. The saved file is a run of NEWTABLE,
 * NEWCHAIN, NEWOBJ, NEWSET, NEWSETELEM and NEWRULE requests made from the kernel's
 * own dumps (handles dropped, rules appended in dump order, elements
 * timing out after what they had left); restoring wraps them in one batch
 * that first empties rosfw's tables, as apply does.
 */
#include "confirm.h"

#include <endian.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ctsysctl.h"
#include "lower.h"
#include "nlsock.h"
#include "safefile.h"
#include "xalloc.h"

#define RUN_DIR "/run/rosfw"

struct out {
	char *b;
	size_t n, cap;
};

/* Room for one more request in the saved run. */
static struct nlmsghdr *out_msg(struct out *o, uint16_t type, int family, uint16_t flags)
{
	if (o->n + NLSOCK_BUF * 2 > o->cap) {
		while (o->n + NLSOCK_BUF * 2 > o->cap)
			o->cap = o->cap ? o->cap * 2 : NLSOCK_BUF * 8;
		o->b = xrealloc(o->b, o->cap);
	}
	return nftnl_nlmsg_build_hdr(o->b + o->n, type, (uint16_t)family, flags, 0);
}

static void out_end(struct out *o, struct nlmsghdr *nlh)
{
	o->n += MNL_ALIGN(nlh->nlmsg_len);
}

/* This apply's rollback: its pid, so a rollback only ever takes its own
 * file (one left behind by a failed apply cannot take a later one's). */
static char rollback_id[24] = "0";

static unsigned long netns_id(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) < 0 ? 0 : (unsigned long)st.st_ino;
}

static void rollback_path(char *buf, size_t size, const char *suffix)
{
	snprintf(buf, size, RUN_DIR "/rollback.%lu.%s%s", netns_id(), rollback_id, suffix);
}

/* Every pending rollback of this namespace (done with `unlink`: removed);
 * how many there were, or -1 with errno when one could not be removed. */
static int pending_each(bool unlink_them)
{
	char prefix[64];
	size_t plen;
	struct dirent *e;
	DIR *dir = opendir(RUN_DIR);
	int n = 0, err = 0;

	if (!dir)
		return 0;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "rollback.%lu.", netns_id());
	while ((e = readdir(dir))) {
		char path[512];

		if (strncmp(e->d_name, prefix, plen) || strchr(e->d_name + plen, '.'))
			continue;	/* another namespace's, or one being written or rolled back */
		snprintf(path, sizeof(path), RUN_DIR "/%s", e->d_name);
		if (unlink_them && unlink(path) < 0 && errno != ENOENT) {
			err = errno;
			continue;
		}
		n++;
	}
	closedir(dir);
	errno = err;
	return err ? -1 : n;
}

/* An attribute as it came, into the request being built. */
static void attr_copy(struct nlmsghdr *m, const struct nlattr *a)
{
	memcpy((char *)m + m->nlmsg_len, a, MNL_ALIGN(a->nla_len));
	m->nlmsg_len += MNL_ALIGN(a->nla_len);
}

/* ---- dumps -------------------------------------------------------------- */

struct dumper {
	struct nlsock ns;
	struct out *out;
	int family;
	char **chains;
	size_t nchains;
	char **sets;
	size_t nsets;
};

static int dump_run(struct dumper *d, struct nlmsghdr *req, mnl_cb_t cb)
{
	int ret = nlsock_run(&d->ns, req, cb, d);

	/* ENOENT: no rosfw table in this family */
	return ret < 0 && errno == ENOENT ? 0 : ret;
}

static struct nlmsghdr *req_start(struct dumper *d, uint16_t type)
{
	static char req[4096];

	return nftnl_nlmsg_build_hdr(req, type, (uint16_t)d->family, NLM_F_DUMP, ++d->ns.seq);
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nftnl_table *t = nftnl_table_alloc();

	if (!t)
		xdie("out of memory");
	if (nftnl_table_nlmsg_parse(nlh, t) == 0 && !strcmp(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "rosfw")) {
		struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWTABLE, d->family, NLM_F_CREATE);

		nftnl_table_unset(t, NFTNL_TABLE_HANDLE);
		nftnl_table_unset(t, NFTNL_TABLE_USE);
		nftnl_table_nlmsg_build_payload(m, t);
		out_end(d->out, m);
	}
	nftnl_table_free(t);
	return MNL_CB_OK;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c)
		xdie("out of memory");
	if (nftnl_chain_nlmsg_parse(nlh, c) == 0 && !strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), "rosfw")) {
		struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWCHAIN, d->family, NLM_F_CREATE);

		d->chains = xreallocarray(d->chains, d->nchains + 1, sizeof(*d->chains));
		d->chains[d->nchains++] = xstrdup(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
		nftnl_chain_unset(c, NFTNL_CHAIN_HANDLE);
		nftnl_chain_unset(c, NFTNL_CHAIN_USE);
		nftnl_chain_nlmsg_build_payload(m, c);
		out_end(d->out, m);
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

/* A set's definition as the kernel dumped it, attribute for attribute,
 * but its handle and what only a dump carries (a newer kernel's backend
 * type and element count, refused in a request). */
static void set_copy(struct nlmsghdr *m, const struct nlmsghdr *nlh, uint32_t id)
{
	const struct nlattr *a;

	/* The kernel wants an id in every NEWSET, though rules name ours. */
	mnl_attr_put_u32(m, NFTA_SET_ID, htobe32(id));
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_HANDLE || mnl_attr_get_type(a) > NFTA_SET_EXPRESSIONS)
			continue;
		attr_copy(m, a);
	}
}

static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		xdie("out of memory");
	if (nftnl_set_nlmsg_parse(nlh, s) == 0) {
		struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWSET, d->family, NLM_F_CREATE);

		d->sets = xreallocarray(d->sets, d->nsets + 1, sizeof(*d->sets));
		d->sets[d->nsets++] = xstrdup(nftnl_set_get_str(s, NFTNL_SET_NAME));
		set_copy(m, nlh, (uint32_t)d->nsets);
		out_end(d->out, m);
	}
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* Stateful objects (ct helpers, ...) as dumped, minus handle and use
 * count; rules that name them come later in the batch. */
static int obj_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWOBJ, d->family, NLM_F_CREATE);
	const struct nlattr *a;
	bool ours = false;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == NFTA_OBJ_TABLE)
			ours = !strcmp(mnl_attr_get_str(a), "rosfw");
		if (type != NFTA_OBJ_TABLE && type != NFTA_OBJ_NAME && type != NFTA_OBJ_TYPE && type != NFTA_OBJ_DATA &&
		    type != NFTA_OBJ_USERDATA)
			continue;
		attr_copy(m, a);
	}
	if (ours)
		out_end(d->out, m);
	return MNL_CB_OK;
}

static int elem_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		xdie("out of memory");
	if (nftnl_set_elems_nlmsg_parse(nlh, s) == 0) {
		struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
		struct nftnl_set_elem *e;
		struct nlmsghdr *m;
		size_t n = 0;

		/* What an entry had left becomes its timeout. */
		while (it && (e = nftnl_set_elems_iter_next(it)) && ++n) {
			if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_EXPIRATION)) {
				uint64_t left = nftnl_set_elem_get_u64(e, NFTNL_SET_ELEM_EXPIRATION);

				nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, left ? left : 1);
				nftnl_set_elem_unset(e, NFTNL_SET_ELEM_EXPIRATION);
			}
		}
		nftnl_set_elems_iter_destroy(it);
		if (!n) {
			/* a dump's last message may hold none: the kernel
			 * refuses a NEWSETELEM without elements */
			nftnl_set_free(s);
			return MNL_CB_OK;
		}
		m = out_msg(d->out, NFT_MSG_NEWSETELEM, d->family, NLM_F_CREATE);
		nftnl_set_elems_nlmsg_build_payload(m, s);
		out_end(d->out, m);
	}
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* One expression as dumped, but what the kernel dumps and then refuses:
 * the flags (0) of an exthdr that writes (tcp option maxseg size set). */
static void expr_copy(struct nlmsghdr *m, const struct nlattr *el)
{
	const struct nlattr *a, *x, *name = NULL, *data = NULL;
	struct nlattr *nest, *dnest;
	bool write = false;

	mnl_attr_for_each_nested(a, el) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (!name || !data || strcmp(mnl_attr_get_str(name), "exthdr")) {
		attr_copy(m, el);
		return;
	}
	mnl_attr_for_each_nested(x, data)
		write |= mnl_attr_get_type(x) == NFTA_EXTHDR_SREG;
	nest = mnl_attr_nest_start(m, NFTA_LIST_ELEM);
	attr_copy(m, name);
	dnest = mnl_attr_nest_start(m, NFTA_EXPR_DATA);
	mnl_attr_for_each_nested(x, data)
		if (!write || mnl_attr_get_type(x) != NFTA_EXTHDR_FLAGS)
			attr_copy(m, x);
	mnl_attr_nest_end(m, dnest);
	mnl_attr_nest_end(m, nest);
}

/* A rule as dumped, attribute for attribute (libnftnl's rebuild of some
 * expressions is not what the kernel took), without its handle: appended
 * in dump order. */
static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWRULE, d->family, NLM_F_CREATE | NLM_F_APPEND);
	const struct nlattr *a, *el;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == NFTA_RULE_EXPRESSIONS) {
			struct nlattr *list = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);

			mnl_attr_for_each_nested(el, a)
				expr_copy(m, el);
			mnl_attr_nest_end(m, list);
		} else if (type == NFTA_RULE_TABLE || type == NFTA_RULE_CHAIN || type == NFTA_RULE_COMPAT ||
			   type == NFTA_RULE_USERDATA) {
			attr_copy(m, a);
		}
	}
	out_end(d->out, m);
	return MNL_CB_OK;
}

/* One family's rosfw table: table, chains, objects, sets, elements, rules
 * chain by chain (one table-wide rule dump is quadratic, DESIGN.md). */
static int flowtable_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumper *d = data;
	struct nlmsghdr *m = out_msg(d->out, NFT_MSG_NEWFLOWTABLE, d->family, NLM_F_CREATE);
	const struct nlattr *a;
	bool ours = false;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == NFTA_FLOWTABLE_TABLE)
			ours = !strcmp(mnl_attr_get_str(a), "rosfw");
		if (type == NFTA_FLOWTABLE_TABLE || type == NFTA_FLOWTABLE_NAME || type == NFTA_FLOWTABLE_HOOK ||
		    type == NFTA_FLOWTABLE_FLAGS)
			attr_copy(m, a);
	}
	if (ours)
		out_end(d->out, m);
	return MNL_CB_OK;
}

static int family_save(struct dumper *d)
{
	struct nlmsghdr *nlh;
	size_t n0 = d->out->n, i;
	int ret;

	ret = dump_run(d, req_start(d, NFT_MSG_GETTABLE), table_cb);
	if (ret < 0 || d->out->n == n0)
		return ret;
	{
		struct nftnl_chain *c = nftnl_chain_alloc();

		nlh = req_start(d, NFT_MSG_GETCHAIN);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, "rosfw");
		nftnl_chain_nlmsg_build_payload(nlh, c);
		nftnl_chain_free(c);
		ret = dump_run(d, nlh, chain_cb);
	}
	if (ret == 0) {
		nlh = req_start(d, NFT_MSG_GETOBJ);
		mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, "rosfw");
		ret = dump_run(d, nlh, obj_cb);
	}
	if (ret == 0) {
		struct nftnl_set *s = nftnl_set_alloc();

		nlh = req_start(d, NFT_MSG_GETSET);
		nftnl_set_set_str(s, NFTNL_SET_TABLE, "rosfw");
		nftnl_set_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
		ret = dump_run(d, nlh, set_cb);
	}
	for (i = 0; i < d->nsets && ret == 0; i++) {
		struct nftnl_set *s = nftnl_set_alloc();

		nlh = req_start(d, NFT_MSG_GETSETELEM);
		nftnl_set_set_str(s, NFTNL_SET_TABLE, "rosfw");
		nftnl_set_set_str(s, NFTNL_SET_NAME, d->sets[i]);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
		ret = dump_run(d, nlh, elem_cb);
	}
	if (ret == 0) {
		/* The flowtable before the rules that add to it; a kernel
		 * without flowtables has none to list. */
		nlh = req_start(d, NFT_MSG_GETFLOWTABLE);
		mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_TABLE, "rosfw");
		if ((ret = dump_run(d, nlh, flowtable_cb)) < 0 && errno == EOPNOTSUPP)
			ret = 0;
	}
	for (i = 0; i < d->nchains && ret == 0; i++) {
		struct nftnl_rule *r = nftnl_rule_alloc();

		nlh = req_start(d, NFT_MSG_GETRULE);
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "rosfw");
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, d->chains[i]);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		nftnl_rule_free(r);
		ret = dump_run(d, nlh, rule_cb);
	}
	return ret;
}

static void dumper_reset(struct dumper *d)
{
	size_t i;

	for (i = 0; i < d->nchains; i++)
		free(d->chains[i]);
	for (i = 0; i < d->nsets; i++)
		free(d->sets[i]);
	free(d->chains);
	free(d->sets);
	d->chains = d->sets = NULL;
	d->nchains = d->nsets = 0;
}

/* The connection tracking settings as they are now, which the rollback
 * writes back after the tables: "rosfw-sysctl N\n" and N "name value"
 * lines, ahead of the netlink requests. */
static void sysctls_save(FILE *f)
{
	char lines[CT_SAVED_MAX][96];
	const char *name;
	uint64_t v;
	size_t i, n = 0;

	for (i = 0; (name = lower_ct_sysctl_name(i)) && n < CT_SAVED_MAX; i++)
		if (ct_sysctl_get(name, &v))
			snprintf(lines[n++], sizeof(lines[0]), "%s %llu\n", name, (unsigned long long)v);
	fprintf(f, "rosfw-sysctl %zu\n", n);
	for (i = 0; i < n; i++)
		fputs(lines[i], f);
}

/* The header sysctls_save wrote: the settings written back, and where
 * the requests start. */
static size_t sysctls_restore(const char *buf, size_t len, bool write)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned long n, i;
	char name[80];
	unsigned long long v;

	if (len < 13 || memcmp(buf, "rosfw-sysctl ", 13))
		return 0;
	n = strtoul(buf + 13, NULL, 10);
	for (i = 0; i <= n && p < end; i++) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			return len;
		if (i && write && sscanf(p, "%79s %llu", name, &v) == 2)
			ct_sysctl_set(name, v);
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

static int file_write(const struct out *o)
{
	char path[256];
	struct safefile *sf;
	FILE *f;

	if (mkdir(RUN_DIR, 0700) < 0 && errno != EEXIST)
		return -1;
	rollback_path(path, sizeof(path), "");
	/* Written whole, then renamed: the rollback never reads half. */
	if (!(sf = safefile_open(path, 0600)))
		return -1;
	f = safefile_stream(sf);
	sysctls_save(f);
	if (o->n)
		fwrite(o->b, 1, o->n, f);
	return safefile_commit(sf);
}

int confirm_save(void)
{
	snprintf(rollback_id, sizeof(rollback_id), "%ld", (long)getpid());
	struct dumper d = { 0 };
	struct out o = { 0 };
	int f, ret = 0, err;

	d.out = &o;
	if (!nlsock_open(&d.ns))
		ret = -1;
	for (f = 0; f < 2 && ret == 0; f++) {
		d.family = f ? NFPROTO_IPV6 : NFPROTO_IPV4;
		ret = family_save(&d);
		dumper_reset(&d);
	}
	if (ret == 0)
		ret = file_write(&o);
	err = errno;
	nlsock_close(&d.ns);
	free(o.b);
	errno = err;
	return ret;
}

/* ---- restoring ---------------------------------------------------------- */

static void table_empty(struct out *o, int family)
{
	struct nlmsghdr *m;
	int type;

	/* Create-then-delete empties the table whether or not it exists. */
	for (type = 0; type < 2; type++) {
		m = out_msg(o, type ? NFT_MSG_DELTABLE : NFT_MSG_NEWTABLE, family, type ? 0 : NLM_F_CREATE);
		mnl_attr_put_strz(m, NFTA_TABLE_NAME, "rosfw");
		out_end(o, m);
	}
}

/* The saved requests in one transaction; 0 when the kernel took it. */
static int rollback_send(const char *buf, size_t len)
{
	struct out o = { 0 };
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *nlh;
	size_t i;
	int ret = -1, left;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	out_msg(&o, 0, 0, 0);
	nftnl_batch_begin(o.b, 0);
	o.n += MNL_ALIGN(((struct nlmsghdr *)o.b)->nlmsg_len);
	table_empty(&o, NFPROTO_IPV4);
	table_empty(&o, NFPROTO_IPV6);
	while (o.n + len + NLSOCK_BUF > o.cap) {
		o.cap *= 2;
		o.b = xrealloc(o.b, o.cap);
	}
	memcpy(o.b + o.n, buf, len);
	o.n += len;
	out_msg(&o, 0, 0, 0);
	nftnl_batch_end(o.b + o.n, 0);
	o.n += MNL_ALIGN(((struct nlmsghdr *)(o.b + o.n))->nlmsg_len);
	left = (int)o.n;
	for (nlh = (struct nlmsghdr *)o.b, i = 0; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left), i++)
		nlh->nlmsg_seq = seq + (uint32_t)i;
	{
		int size = (int)o.n + (1 << 20);

		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	}
	if (mnl_socket_sendto(nl, o.b, o.n) < 0)
		goto out;
	ret = 0;
	/* No ACKs asked for: the kernel only answers an error. */
	for (;;) {
		struct pollfd p = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
		char rbuf[8192];
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			break;
		n = recv(p.fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n <= 0)
			break;
		left = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    ((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error)
				ret = -1;
	}
out:
	if (nl)
		mnl_socket_close(nl);
	free(o.b);
	return ret;
}

/* At the deadline: take the file (a rename, so a `rosfw confirm` racing
 * with us either wins whole or loses whole) and restore it. */
static int rollback_run(void)
{
	char path[256], taken[256], *buf = NULL;
	size_t len = 0, cap = 0;
	int ret;
	FILE *f;

	rollback_path(path, sizeof(path), "");
	rollback_path(taken, sizeof(taken), ".rolling");
	if (rename(path, taken) < 0)
		return 0;	/* confirmed */
	f = fopen(taken, "r");
	if (!f)
		return -1;
	for (;;) {
		size_t n;

		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	{
		size_t skip = sysctls_restore(buf, len, false);

		ret = rollback_send(buf + skip, len - skip);
		/* The settings too, once the tables they belong with are back. */
		if (ret == 0)
			sysctls_restore(buf, len, true);
	}
	free(buf);
	unlink(taken);
	return ret;
}

/*
 * The rollback process: away from our session, terminal and process group
 * (setsid between two forks, so it is no session leader and can never get
 * a terminal back), no fd held open, so a pipeline reading our output is
 * not kept waiting. The applying process may die any time after the fork.
 */
int confirm_arm(unsigned seconds)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid > 0)
		return waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) ? -1 : 0;
	if (setsid() < 0)
		_exit(1);
	signal(SIGHUP, SIG_IGN);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	{
		int fd, max = (int)sysconf(_SC_OPEN_MAX);
		struct timespec ts = { .tv_sec = seconds };

		for (fd = 0; fd < (max > 0 ? max : 1024); fd++)
			close(fd);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir("/") < 0)
			_exit(1);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		/* Nobody is left to tell but the system log. */
		if (rollback_run() < 0) {
			syslog(LOG_ERR, "rosfw: the --confirm rollback failed: rosfw's tables are as applied");
			_exit(1);
		}
		syslog(LOG_NOTICE, "rosfw: not confirmed in %u s: the previous tables are back", seconds);
		_exit(0);
	}
}

bool confirm_pending(void)
{
	return pending_each(false) > 0;
}

void confirm_drop(void)
{
	char path[256];

	rollback_path(path, sizeof(path), "");
	unlink(path);
}

int cmd_confirm(int argc, char **argv)
{
	int n;

	(void)argv;
	if (argc > 1) {
		fputs("usage: rosfw confirm\n"
		      "keeps the ruleset of the last rosfw apply --confirm: its rollback will not happen\n",
		      argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) ? stdout : stderr);
		return argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) ? 0 : 3;
	}
	n = pending_each(true);
	if (n < 0) {
		fprintf(stderr, "rosfw: " RUN_DIR ": %s\n", strerror(errno));
		return 3;
	}
	if (!n) {
		fputs("rosfw: nothing to confirm (no rollback pending, or it already ran)\n", stderr);
		return 1;
	}
	return 0;
}
