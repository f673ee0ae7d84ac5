/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw address-list add|remove without a kernel: the set lookups
 * (kread_set_get) answer from sets listed here, the batch the command
 * sends (mnl_socket_sendto) is kept and parsed back with libnftnl, and the
 * kernel's answer (mnl_socket_recvfrom) is an ACK or the errno the test
 * scripts (WRAP_test_addrlist in the Makefile). What is checked: the
 * arguments, which set an entry goes to, the element's key, end, timeout
 * and comment, and the exit codes and messages.
 */
#include "helpers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <unistd.h>

#include "addrlist.h"
#include "exitcode.h"
#include "kread.h"
#include "nlsock.h"

/* ---- a kernel of set definitions -------------------------------------------- */

#define SENT_MAX 8

static struct {
	struct ksetdef {
		int family;
		const char *name;
		uint32_t flags, key_len;
	} sets[8];
	size_t nsets;
	int lookup_errno;		/* kread_set_get fails with it */
	char lookups[256];		/* "ip al_x ip ad_x ..." */
	int answers[SENT_MAX];		/* the errno for each batch, 0: ACK */
	char *sent[SENT_MAX];		/* each batch as sent */
	size_t sent_len[SENT_MAX], nsent, nanswered;
	uint32_t msg_seq;		/* the last batch's NEWSETELEM/DELSETELEM */
	int opened, closed;
} k;

static void kernel_reset(void)
{
	size_t i;

	for (i = 0; i < k.nsent; i++)
		free(k.sent[i]);
	memset(&k, 0, sizeof(k));
}

static void kset(int family, const char *name, uint32_t flags)
{
	assert_true(k.nsets < 8);
	k.sets[k.nsets++] = (struct ksetdef){ family, name, flags, family == NFPROTO_IPV6 ? 16 : 4 };
}

/* The layout lower_list_sets gives a list with prefixes that rules add to. */
static void list_now(int family, const char *list)
{
	static char names[16][64];
	static size_t n;
	const char *pfx[] = { "al_", "ad_", "ar_" };
	const uint32_t flags[] = { NFT_SET_INTERVAL, NFT_SET_TIMEOUT | NFT_SET_EVAL, NFT_SET_INTERVAL | NFT_SET_TIMEOUT };
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(names[n % 16], sizeof(names[0]), "%s%s", pfx[i], list);
		kset(family, names[n++ % 16], flags[i]);
	}
}

bool __wrap_nlsock_open(struct nlsock *s);
void __wrap_nlsock_close(struct nlsock *s);
int __wrap_kread_set_get(struct nlsock *ns, int family, const char *name, struct kread_set *s);
ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len);
ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t size);

bool __wrap_nlsock_open(struct nlsock *s)
{
	memset(s, 0, sizeof(*s));
	s->buf = malloc(NLSOCK_BUF);
	s->seq = 1000;
	k.opened++;
	return true;
}

void __wrap_nlsock_close(struct nlsock *s)
{
	if (s->buf)
		k.closed++;
	free(s->buf);
	s->buf = NULL;
}

int __wrap_kread_set_get(struct nlsock *ns, int family, const char *name, struct kread_set *s)
{
	size_t i, n = strlen(k.lookups);

	(void)ns;
	snprintf(k.lookups + n, sizeof(k.lookups) - n, "%s%s %s", n ? " " : "", family == NFPROTO_IPV6 ? "ip6" : "ip",
		 name);
	memset(s, 0, sizeof(*s));
	if (k.lookup_errno) {
		errno = k.lookup_errno;
		return -1;
	}
	for (i = 0; i < k.nsets; i++)
		if (k.sets[i].family == family && !strcmp(k.sets[i].name, name)) {
			s->flags = k.sets[i].flags;
			s->key_len = k.sets[i].key_len;
			s->key_type = family == NFPROTO_IPV6 ? 8 : 7;
			return 1;
		}
	return 0;
}

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	(void)nl;
	assert_true(k.nsent < SENT_MAX);
	k.sent[k.nsent] = malloc(len);
	memcpy(k.sent[k.nsent], buf, len);
	k.sent_len[k.nsent++] = len;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type >> 8 == NFNL_SUBSYS_NFTABLES)
			k.msg_seq = nlh->nlmsg_seq;
	return (ssize_t)len;
}

/* The kernel's answer to the last batch: its message's ACK or error. */
ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t size)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	(void)nl;
	assert_true(size >= 256);
	assert_true(k.nanswered < k.nsent);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = k.msg_seq;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -k.answers[k.nanswered++];
	return (ssize_t)nlh->nlmsg_len;
}

/* ---- the batch, read back ----------------------------------------------------- */

/**
 * struct batch - one batch as the kernel would read it.
 * @line: "newsetelem ip ar_x create,excl" for its one message.
 * @elems: each element, "KEY[ end][ open][ t=MS][ \"COMMENT\"]", joined by ", ".
 */
struct batch {
	char line[128];
	char elems[1024];
};

static void elem_text(FILE *f, struct nftnl_set_elem *e)
{
	uint32_t len = 0;
	const uint8_t *key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
	char a[INET6_ADDRSTRLEN];

	assert_true(len == 4 || len == 16);
	inet_ntop(len == 16 ? AF_INET6 : AF_INET, key, a, sizeof(a));
	fputs(a, f);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS) &&
	    (nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) & NFT_SET_ELEM_INTERVAL_END))
		fputs(" end", f);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_USERDATA)) {
		const uint8_t *u = nftnl_set_elem_get(e, NFTNL_SET_ELEM_USERDATA, &len);
		uint32_t off = 0;

		/* TLV records: type, length, value */
		while (off + 2 <= len) {
			uint8_t type = u[off], l = u[off + 1];

			assert_true(off + 2 + l <= len);
			if (type == NFTNL_UDATA_SET_ELEM_FLAGS) {
				uint32_t fl;

				assert_int_equal(l, 4);
				memcpy(&fl, u + off + 2, 4);
				if (fl & NFTNL_SET_ELEM_F_INTERVAL_OPEN)
					fputs(" open", f);
			}
			off += 2u + l;
		}
		assert_int_equal(off, len);
	}
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_TIMEOUT))
		fprintf(f, " t=%llu", (unsigned long long)nftnl_set_elem_get_u64(e, NFTNL_SET_ELEM_TIMEOUT));
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_USERDATA)) {
		const uint8_t *u = nftnl_set_elem_get(e, NFTNL_SET_ELEM_USERDATA, &len);
		uint32_t off = 0;

		for (; off + 2 <= len; off += 2u + u[off + 1])
			if (u[off] == NFTNL_UDATA_SET_ELEM_COMMENT) {
				/* a NUL-terminated string, as nft writes it */
				assert_int_equal(u[off + 2 + u[off + 1] - 1], 0);
				fprintf(f, " \"%s\"", (const char *)u + off + 2);
			}
	}
}

/* Batch `i` as sent: begin, one message, end, with increasing sequence
 * numbers, and its elements through libnftnl. */
static struct batch batch_read(size_t i)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)k.sent[i], *msg = NULL;
	int left = (int)k.sent_len[i], n = 0;
	struct batch b;
	struct nlmsghdr *copy;
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *e;
	const struct nfgenmsg *g;
	struct nlattr *a, *el;
	uint32_t seq = 0;
	FILE *f;

	assert_true(i < k.nsent);
	memset(&b, 0, sizeof(b));
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left), n++) {
		if (n)
			assert_true(nlh->nlmsg_seq > seq);
		seq = nlh->nlmsg_seq;
		if (n == 0)
			assert_int_equal(nlh->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
		else if (n == 1)
			msg = nlh;
		else
			assert_int_equal(nlh->nlmsg_type, NFNL_MSG_BATCH_END);
	}
	assert_int_equal(left, 0);
	assert_int_equal(n, 3);
	assert_true(msg->nlmsg_flags & NLM_F_ACK);
	g = mnl_nlmsg_get_payload(msg);
	snprintf(b.line, sizeof(b.line), "%s %s", (msg->nlmsg_type & 0xff) == NFT_MSG_NEWSETELEM ? "newsetelem" :
						  (msg->nlmsg_type & 0xff) == NFT_MSG_DELSETELEM ? "delsetelem" : "?",
		 g->nfgen_family == NFPROTO_IPV6 ? "ip6" : g->nfgen_family == NFPROTO_IPV4 ? "ip" : "?");
	/* libnftnl reads elements that are not flagged nested */
	copy = malloc(msg->nlmsg_len);
	memcpy(copy, msg, msg->nlmsg_len);
	mnl_attr_for_each(a, copy, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
			mnl_attr_for_each_nested(el, a)
				el->nla_type = (uint16_t)((el->nla_type & ~NLA_TYPE_MASK) | NFTA_LIST_ELEM);
	assert_int_equal(nftnl_set_elems_nlmsg_parse(copy, s), 0);
	free(copy);
	assert_string_equal(nftnl_set_get_str(s, NFTNL_SET_TABLE), "rosfw");
	n = (int)strlen(b.line);
	snprintf(b.line + n, sizeof(b.line) - (size_t)n, " %s%s%s", nftnl_set_get_str(s, NFTNL_SET_NAME),
		 msg->nlmsg_flags & NLM_F_CREATE ? " create" : "", msg->nlmsg_flags & NLM_F_EXCL ? " excl" : "");
	f = fmemopen(b.elems, sizeof(b.elems) - 1, "w");
	assert_non_null(f);
	it = nftnl_set_elems_iter_create(s);
	for (n = 0; (e = nftnl_set_elems_iter_next(it)); n++) {
		if (n)
			fputs(", ", f);
		elem_text(f, e);
	}
	nftnl_set_elems_iter_destroy(it);
	fclose(f);
	nftnl_set_free(s);
	return b;
}

#define assert_batch(i, want_line, want_elems)                            \
	do {                                                              \
		struct batch b_ = batch_read(i);                          \
		assert_string_equal(b_.line, (want_line));                \
		assert_string_equal(b_.elems, (want_elems));              \
	} while (0)

/* ---- running the command ------------------------------------------------------ */

static char err_text[2048];

/* rosfw address-list ARGS...; what it said on stderr in err_text. */
static int run(const char *first, ...)
{
	char *argv[16] = { (char *)"address-list" };
	int argc = 1, rc, saved, fd;
	FILE *tmp = tmpfile();
	const char *a;
	va_list ap;
	ssize_t n;

	assert_non_null(tmp);
	va_start(ap, first);
	for (a = first; a; a = va_arg(ap, const char *)) {
		assert_true(argc < 15);
		argv[argc++] = (char *)a;
	}
	va_end(ap);
	argv[argc] = NULL;
	fflush(stderr);
	saved = dup(2);
	fd = fileno(tmp);
	dup2(fd, 2);
	rc = cmd_address_list(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, err_text, sizeof(err_text) - 1, 0);
	err_text[n > 0 ? n : 0] = 0;
	fclose(tmp);
	assert_int_equal(k.opened, k.closed);
	return rc;
}

#define assert_said(sub)                                                                   \
	do {                                                                               \
		if (!strstr(err_text, (sub)))                                              \
			fail_msg("stderr lacks \"%s\"; it says:\n%s", (sub), err_text);    \
	} while (0)

/* ---- adds ---------------------------------------------------------------------- */

/* An add goes to the run-time set (ar_X), never to the configuration's,
 * as one interval: the address and the end after it. */
static void test_add_goes_to_runtime_set(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	assert_int_equal(run("add", "list=blk", "address=192.0.2.1", "timeout=1h", "comment=from ssh", NULL), EXIT_OK);
	assert_string_equal(k.lookups, "ip al_blk ip ad_blk ip ar_blk");
	assert_int_equal(k.nsent, 1);
	assert_batch(0, "newsetelem ip ar_blk create excl",
		     "192.0.2.1 t=3600000 \"from ssh\", 192.0.2.2 end");
	assert_string_equal(err_text, "");
}

/* A prefix as its first address and the one after it; a comment as
 * both back ends carry it ('"' and control bytes cannot be in it). */
static void test_add_prefix_and_comment(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	assert_int_equal(run("add", "address=10.1.2.0/23", "comment=say \"hi\"\tnow", "list=blk", NULL), EXIT_OK);
	assert_batch(0, "newsetelem ip ar_blk create excl", "10.1.2.0 \"say 'hi' now\", 10.1.4.0 end");
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	assert_int_equal(run("add", "list=blk", "address=10.0.0.5-10.0.0.9", NULL), EXIT_OK);
	assert_batch(0, "newsetelem ip ar_blk create excl", "10.0.0.5, 10.0.0.10 end");
}

/* A range up to the last address has no end to send: split so the
 * kernel sees what it overlaps, the last address an open start. */
static void test_add_range_to_the_end(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	assert_int_equal(run("add", "list=blk", "address=255.255.255.0/24", NULL), EXIT_OK);
	assert_batch(0, "newsetelem ip ar_blk create excl",
		     "255.255.255.0, 255.255.255.255 end, 255.255.255.255 open");
}

/* An IPv6 address is an IPv6 list: table ip6, keys of 16 bytes. */
static void test_add_ipv6(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV6, "v6");
	list_now(NFPROTO_IPV4, "v6");
	assert_int_equal(run("add", "list=v6", "address=2001:db8::/64", "timeout=1d2h", NULL), EXIT_OK);
	assert_string_equal(k.lookups, "ip6 al_v6 ip6 ad_v6 ip6 ar_v6");
	assert_batch(0, "newsetelem ip6 ar_v6 create excl", "2001:db8:: t=93600000, 2001:db8:0:1:: end");
	kernel_reset();
	list_now(NFPROTO_IPV6, "v6");
	assert_int_equal(run("--ipv6", "add", "list=v6", "address=2001:db8::7", NULL), EXIT_OK);
	assert_batch(0, "newsetelem ip6 ar_v6 create excl", "2001:db8::7, 2001:db8::8 end");
	/* --ipv6 with an IPv4 address: not an IPv6 address, nothing asked */
	kernel_reset();
	list_now(NFPROTO_IPV6, "v6");
	assert_int_equal(run("--ipv6", "add", "list=v6", "address=192.0.2.1", NULL), EXIT_IO);
	assert_said("\"192.0.2.1\" is not an IPv6 address");
	assert_int_equal(k.nsent, 0);
}

/* Tables applied before ar_X existed: the old placement, and what does
 * not fit it is refused before anything is sent. */
static void test_add_old_layout(void **state)
{
	(void)state;
	kernel_reset();
	kset(NFPROTO_IPV4, "al_old", NFT_SET_INTERVAL);
	kset(NFPROTO_IPV4, "ad_old", NFT_SET_TIMEOUT | NFT_SET_EVAL);
	assert_int_equal(run("add", "list=old", "address=192.0.2.1", "timeout=5m", NULL), EXIT_OK);
	assert_batch(0, "newsetelem ip ad_old create excl", "192.0.2.1 t=300000");
	kernel_reset();
	kset(NFPROTO_IPV4, "al_old", NFT_SET_INTERVAL);
	kset(NFPROTO_IPV4, "ad_old", NFT_SET_TIMEOUT | NFT_SET_EVAL);
	assert_int_equal(run("add", "list=old", "address=192.0.2.0/24", "timeout=5m", NULL), EXIT_CONFIG);
	assert_said("address list \"old\" takes no timed prefixes or ranges in the kernel");
	assert_int_equal(k.nsent, 0);
	kernel_reset();
	kset(NFPROTO_IPV4, "al_one", 0);
	assert_int_equal(run("add", "list=one", "address=192.0.2.0/24", NULL), EXIT_CONFIG);
	assert_said("holds single addresses only");
	assert_int_equal(k.nsent, 0);
	assert_int_equal(run("add", "list=one", "address=192.0.2.9", NULL), EXIT_OK);
	assert_batch(0, "newsetelem ip al_one create excl", "192.0.2.9");
}

/* No such list: said, exit 1, nothing sent. */
static void test_no_such_list(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	assert_int_equal(run("add", "list=nope", "address=192.0.2.1", NULL), EXIT_CONFIG);
	assert_said("no address list \"nope\" in the kernel (table ip rosfw)");
	assert_int_equal(k.nsent, 0);
	/* the IPv4 list is no IPv6 list */
	assert_int_equal(run("remove", "list=blk", "address=2001:db8::1", NULL), EXIT_CONFIG);
	assert_said("(table ip6 rosfw)");
	assert_int_equal(k.nsent, 0);
}

/* What the kernel refuses is exit 2, said in RouterOS's terms. */
static void test_kernel_refusals(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	k.answers[0] = EEXIST;
	assert_int_equal(run("add", "list=blk", "address=192.0.2.1", NULL), EXIT_REFUSED);
	assert_said("address list \"blk\" already has 192.0.2.1 or an entry overlapping it");
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	k.answers[0] = ENOSPC;
	assert_int_equal(run("add", "list=blk", "address=192.0.2.1", NULL), EXIT_REFUSED);
	assert_said("is full (set ar_blk)");
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	k.answers[0] = EPERM;
	assert_int_equal(run("add", "list=blk", "address=192.0.2.1", NULL), EXIT_IO);
	assert_said("needs CAP_NET_ADMIN");
	kernel_reset();
	k.lookup_errno = EPERM;
	assert_int_equal(run("add", "list=blk", "address=192.0.2.1", NULL), EXIT_IO);
	assert_said("needs CAP_NET_ADMIN");
	assert_int_equal(k.nsent, 0);
}

/* ---- removes ------------------------------------------------------------------ */

/* A remove looks in ar_X (split as added, then whole as apply put it),
 * then ad_X, then al_X, and stops where the kernel took it. */
static void test_remove_looks_in_each_set(void **state)
{
	(void)state;
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	k.answers[0] = ENOENT;
	k.answers[1] = ENOENT;
	k.answers[2] = 0;
	assert_int_equal(run("remove", "list=blk", "address=192.0.2.1", NULL), EXIT_OK);
	assert_int_equal(k.nsent, 3);
	assert_batch(0, "delsetelem ip ar_blk", "192.0.2.1, 192.0.2.2 end");
	assert_batch(1, "delsetelem ip ar_blk", "192.0.2.1, 192.0.2.2 end");
	assert_batch(2, "delsetelem ip ad_blk", "192.0.2.1");
	/* nowhere: the last set's refusal */
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	k.answers[0] = k.answers[1] = k.answers[2] = k.answers[3] = k.answers[4] = ENOENT;
	assert_int_equal(run("remove", "list=blk", "address=192.0.2.0/24", NULL), EXIT_REFUSED);
	assert_said("address list \"blk\" has no entry 192.0.2.0/24");
	/* ad_blk holds no prefix: not asked */
	assert_int_equal(k.nsent, 4);
	assert_batch(3, "delsetelem ip al_blk", "192.0.2.0, 192.0.3.0 end");
	/* an open range apply put there whole, after the split one missed */
	kernel_reset();
	list_now(NFPROTO_IPV4, "blk");
	k.answers[0] = ENOENT;
	assert_int_equal(run("remove", "list=blk", "address=255.0.0.0/8", NULL), EXIT_OK);
	assert_batch(0, "delsetelem ip ar_blk", "255.0.0.0, 255.255.255.255 end, 255.255.255.255 open");
	assert_batch(1, "delsetelem ip ar_blk", "255.0.0.0 open");
}

/* ---- arguments ---------------------------------------------------------------- */

static void test_arguments_refused(void **state)
{
	static const struct {
		const char *args[5];
		const char *says;
	} bad[] = {
		{ { "add", "list=blk", NULL }, "needs list= and address=" },
		{ { "add", "address=192.0.2.1", NULL }, "needs list= and address=" },
		{ { "add", "list=", "address=192.0.2.1", NULL }, "needs list= and address=" },
		{ { "add", "list=blk", "list=x", "address=192.0.2.1", NULL }, "list= given twice" },
		{ { "add", "list=blk", "address=192.0.2.1", "disabled=yes", NULL }, "not \"disabled=yes\"" },
		{ { "add", "list=blk", "address", NULL }, "not \"address\"" },
		{ { "remove", "list=blk", "address=192.0.2.1", "timeout=1h", NULL }, "takes list= and address=, not" },
		{ { "remove", "list=blk", "address=192.0.2.1", "comment=x", NULL }, "takes list= and address=, not" },
		{ { "list=blk", "address=192.0.2.1", NULL }, "add or remove?" },
		{ { "print", NULL }, "add or remove?" },
		{ { "add", "list=blk", "address=192.0.2.300", NULL }, "\"192.0.2.300\" is not an IPv4 address" },
		{ { "add", "list=blk", "address=example.com", NULL }, "DNS names are resolved by rosfwd" },
		{ { "add", "list=blk", "address=192.0.2.1", "timeout=soon", NULL }, "timeout \"soon\" is not a time" },
		/* what the user typed, never raw control bytes, in a message */
		{ { "add", "list=blk", "address=\x1b[2J", NULL }, "\"\\x1b[2J\" is not" },
		{ { "add", "list=blk", "bad\n=1", NULL }, "not \"bad\\x0a=1\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;

		kernel_reset();
		list_now(NFPROTO_IPV4, "blk");
		rc = run(bad[i].args[0], bad[i].args[1], bad[i].args[2], bad[i].args[3], bad[i].args[4]);
		if (rc != EXIT_IO || !strstr(err_text, bad[i].says))
			fail_msg("case %zu: exit %d, stderr:\n%s(wanted exit 3 and \"%s\")", i, rc, err_text, bad[i].says);
		assert_int_equal(k.nsent, 0);
	}
}

/* The forms RouterOS takes for a time, and the entry kept as given. */
static void test_timeouts(void **state)
{
	static const struct {
		const char *t;
		uint64_t ms;
	} ok[] = { { "timeout=30s", 30000 }, { "timeout=1w", 604800000 }, { "timeout=00:05:00", 300000 },
		   { "timeout=1d2h3m4s", 93784000 } };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char want[64];

		kernel_reset();
		list_now(NFPROTO_IPV4, "blk");
		assert_int_equal(run("add", "list=blk", "address=192.0.2.1", ok[i].t, NULL), EXIT_OK);
		snprintf(want, sizeof(want), "192.0.2.1 t=%llu, 192.0.2.2 end", (unsigned long long)ok[i].ms);
		assert_batch(0, "newsetelem ip ar_blk create excl", want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_goes_to_runtime_set),
		cmocka_unit_test(test_add_prefix_and_comment),
		cmocka_unit_test(test_add_range_to_the_end),
		cmocka_unit_test(test_add_ipv6),
		cmocka_unit_test(test_add_old_layout),
		cmocka_unit_test(test_no_such_list),
		cmocka_unit_test(test_kernel_refusals),
		cmocka_unit_test(test_remove_looks_in_each_set),
		cmocka_unit_test(test_arguments_refused),
		cmocka_unit_test(test_timeouts),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	kernel_reset();
	return rc;
}
