/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime edits of address lists. Which kernel set takes an entry follows
 * lower_list_sets: an add goes to ar_X, the list's small run-time interval
 * set, so the configuration's al_X (a million prefixes, maybe) is never
 * rebuilt; a remove looks in ar_X, then ad_X (what rules added), then al_X.
 * Tables applied before ar_X existed get the old placement: al_X, or ad_X
 * for timed single addresses. Only the set definitions are read (small
 * GETSET requests), never elements.
 */
#include "addrlist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <libnftnl/common.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addrlist_impl.h"
#include "exitcode.h"
#include "incr.h"
#include "kname.h"
#include "kread.h"
#include "lower.h"
#include "lower_impl.h"
#include "nlsock.h"
#include "value.h"
#include "xalloc.h"

/* Elements per NEWSETELEM message: the element list is one attribute,
 * whose length has 16 bits; 256 IPv6 entries with a timeout and a full
 * comment stay under it. */
#define ELEMS_PER_MSG 256

void addrlist_safe(char *out, size_t size, const char *in)
{
	size_t o = 0;

	for (; *in && o + 5 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = 0;
}

void addrlist_format(char *out, size_t size, const struct addrlist_entry *e)
{
	int af = e->len == 16 ? AF_INET6 : AF_INET, plen = e->len * 8, i;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	inet_ntop(af, e->lo, a, sizeof(a));
	if (!memcmp(e->lo, e->hi, e->len)) {
		snprintf(out, size, "%s", a);
		return;
	}
	/* A prefix: lo has zeros where hi has ones, from some bit on. */
	for (i = e->len * 8 - 1; i >= 0; i--) {
		int lo = e->lo[i / 8] >> (7 - i % 8) & 1, hi = e->hi[i / 8] >> (7 - i % 8) & 1;

		if (lo || !hi)
			break;
		plen = i;
	}
	if (!memcmp(e->lo, e->hi, (size_t)plen / 8) &&
	    (plen % 8 == 0 || (e->lo[plen / 8] ^ e->hi[plen / 8]) >> (8 - plen % 8) == 0)) {
		snprintf(out, size, "%s/%d", a, plen);
		return;
	}
	inet_ntop(af, e->hi, b, sizeof(b));
	snprintf(out, size, "%s-%s", a, b);
}

int addrlist_set_lookup(struct nlsock *ns, int family, const char *name, struct addrlist_set *si)
{
	struct kread_set ks;
	int ret = kread_set_get(ns, family, name, &ks);

	memset(si, 0, sizeof(*si));
	if (ret < 0)
		return -1;
	snprintf(si->name, sizeof(si->name), "%s", name);
	si->exists = ret > 0;
	si->flags = ks.flags;
	si->key_len = ks.key_len;
	return 0;
}

/* One element: a key, and for the start of a range (or a lone key) the
 * timeout and the user data nft reads back (comment, open end). */
static void elem_add(struct nftnl_set *s, const uint8_t *key, uint8_t len, const struct addrlist_entry *e,
		     bool end, bool open)
{
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();

	if (!el)
		xdie("out of memory");
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, len);
	if (end) {
		nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	} else {
		if (e->timeout_ms)
			nftnl_set_elem_set_u64(el, NFTNL_SET_ELEM_TIMEOUT, e->timeout_ms);
		if (e->comment || open) {
			struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

			if (!u)
				xdie("out of memory");
			if (e->comment) {
				char c[LOWER_COMMENT_MAX + 1];

				lower_text(c, sizeof(c), e->comment, strlen(e->comment), LOWER_COMMENT_MAX);
				nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, c);
			}
			if (open)
				nftnl_udata_put_u32(u, NFTNL_UDATA_SET_ELEM_FLAGS, NFTNL_SET_ELEM_F_INTERVAL_OPEN);
			nftnl_set_elem_set(el, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
			nftnl_udata_buf_free(u);
		}
	}
	nftnl_set_elem_add(s, el);
}

/*
 * An interval set holds a range as its start and the address after its
 * end, flagged as an end. A range up to the last address has no such end:
 * nft sends its start alone, marked open in the user data, and apply does
 * the same. The kernel cannot see that such a start overlaps the entries
 * after it (it takes 128.0.0.0/1 over 192.0.2.0/24 and then matches
 * neither whole), so an add splits it (`split`): the range up to the last
 * address but one, closed by an end at the last address, then the last
 * address as an open start of its own.
 */
static void entry_add(struct nftnl_set *s, const struct addrlist_entry *e, bool interval, bool split)
{
	uint8_t end[16];
	int i;

	if (!interval) {
		elem_add(s, e->lo, e->len, e, false, false);
		return;
	}
	memcpy(end, e->hi, e->len);
	for (i = e->len - 1; i >= 0; i--)
		if (++end[i])
			break;
	if (i >= 0) {
		elem_add(s, e->lo, e->len, e, false, false);
		elem_add(s, end, e->len, e, true, false);
		return;
	}
	if (split && memcmp(e->lo, e->hi, e->len)) {
		elem_add(s, e->lo, e->len, e, false, false);
		elem_add(s, e->hi, e->len, e, true, false);
	}
	elem_add(s, split ? e->hi : e->lo, e->len, e, false, true);
}

/* The kernel's answer to one batch: the error of its one message (or of
 * the batch as a whole) as a positive errno, 0 for its ACK; -1 with errno
 * when the socket failed. */
static int batch_answer(struct nlsock *ns, uint32_t seq_begin, uint32_t seq_msg)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(ns->nl, ns->buf, NLSOCK_BUF);
		const struct nlmsghdr *nlh;
		int left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;
			return -1;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)ns->buf; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
				continue;
			if (nlh->nlmsg_seq == seq_msg || (nlh->nlmsg_seq == seq_begin && err->error))
				return err->error < 0 ? -err->error : err->error;
		}
	}
}

int addrlist_send(struct nlsock *ns, int family, const char *set, bool interval, const struct addrlist_entry *e,
		  size_t n, bool add, bool excl, bool split, size_t *failed_at)
{
	/* A message of ELEMS_PER_MSG elements, framed by begin and end. */
	size_t size = 1024 + (size_t)ELEMS_PER_MSG * 2 * 256;
	char *buf = xmalloc(size);
	size_t i = 0;
	int ret = 0;
	/* The apply record's generation, while nothing else commits. Only
	 * when each batch either changes the set or is refused whole: the
	 * kernel moves the generation on for a commit that changed
	 * something, and a batch of entries all there already (an add
	 * without excl) changes nothing. Not for a removal from a list's own
	 * set: it may take a configured entry (by hand; or rosfwd's DNS
	 * answer that the configuration applied since, which rosfwd does not
	 * know until SIGHUP, also has), the record says those are all there,
	 * and an apply must bring them back. */
	uint32_t recorded = 0, held = 0, gen;

	if ((excl || !add) && (add || kname_set_kind(set) != KNAME_LIST))
		held = incr_genid_held(&recorded);
	gen = held;

	while (i < n && !ret) {
		struct mnl_nlmsg_batch *mb = mnl_nlmsg_batch_start(buf, size);
		struct nftnl_set *s = nftnl_set_alloc();
		uint32_t seq_begin = ++ns->seq, seq_msg = ++ns->seq;
		uint16_t flags = NLM_F_ACK | (add ? NLM_F_CREATE : 0) | (add && excl ? NLM_F_EXCL : 0);
		struct nlmsghdr *nlh;
		size_t first = i;

		if (!s || !mb)
			xdie("out of memory");
		nlh = nftnl_batch_begin(mnl_nlmsg_batch_current(mb), seq_begin);
		if (gen)
			mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(gen));
		mnl_nlmsg_batch_next(mb);
		nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(mb), add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
					    (uint16_t)family, flags, seq_msg);
		nftnl_set_set_str(s, NFTNL_SET_TABLE, KNAME_TABLE);
		nftnl_set_set_str(s, NFTNL_SET_NAME, set);
		for (; i < n && i - first < ELEMS_PER_MSG; i++)
			entry_add(s, &e[i], interval, split);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
		mnl_nlmsg_batch_next(mb);
		nftnl_batch_end(mnl_nlmsg_batch_current(mb), ++ns->seq);
		mnl_nlmsg_batch_next(mb);
		if (mnl_socket_sendto(ns->nl, mnl_nlmsg_batch_head(mb), mnl_nlmsg_batch_size(mb)) < 0)
			ret = -1;
		else
			ret = batch_answer(ns, seq_begin, seq_msg);
		mnl_nlmsg_batch_stop(mb);
		if (gen && ret == ERESTART) {
			/* Someone committed since: the same batch, unchecked,
			 * and the record is left behind. */
			held = gen = 0;
			i = first;
			ret = 0;
			continue;
		}
		/* Refused, the kernel took it back: the generation stays. Not
		 * answered: nobody knows. */
		if (gen && !ret)
			gen = incr_genid_next(gen);
		else if (ret < 0)
			held = gen = 0;
		if (ret && failed_at)
			*failed_at = first;
	}
	free(buf);
	/* Every batch committed at the generation the record held: the record
	 * holds the tables still, with these entries. */
	if (gen != held)
		incr_advance(recorded, gen);
	return ret;
}

/* ---- the command -------------------------------------------------------- */

static int al_usage(FILE *out, int code)
{
	fputs("usage: rosfw address-list add list=NAME address=ADDRESS [timeout=TIME] [comment=TEXT] [--ipv6]\n"
	      "       rosfw address-list remove list=NAME address=ADDRESS [--ipv6]\n"
	      "\n"
	      "One entry into or out of an applied address list, as RouterOS's\n"
	      "/ip firewall address-list add does; ADDRESS is an address, a prefix or a range\n"
	      "(an IPv6 one, or --ipv6, means /ipv6 firewall address-list). Adds go to the list's\n"
	      "run-time set, never to the configuration's: they survive a re-apply, and rosfwd keeps\n"
	      "them across reboots (untimed ones are static).\n"
	      "The kernel refuses (2) an entry that is in the run-time set already or overlaps one there, and\n"
	      "the removal of one that is not there.\n" EXIT_HELP,
	      out);
	return code;
}

struct al_args {
	bool add, v6;
	const char *list, *address, *timeout, *comment;
};

static int args_parse(int argc, char **argv, struct al_args *a)
{
	static const struct option lo[] = {
		{ "ipv6", no_argument, NULL, '6' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case '6':
			a->v6 = true;
			break;
		case 'h':
			al_usage(stdout, EXIT_OK);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	if (optind >= argc || (strcmp(argv[optind], "add") && strcmp(argv[optind], "remove"))) {
		fprintf(stderr, "rosfw: address-list: add or remove?\n");
		return -1;
	}
	a->add = !strcmp(argv[optind], "add");
	for (i = optind + 1; i < argc; i++) {
		static const char *const names[] = { "list", "address", "timeout", "comment" };
		const char **slot[] = { &a->list, &a->address, &a->timeout, &a->comment };
		const char *eq = strchr(argv[i], '=');
		char safe[128];
		size_t k;

		for (k = 0; eq && k < 4; k++)
			if ((size_t)(eq - argv[i]) == strlen(names[k]) && !strncmp(argv[i], names[k], strlen(names[k])))
				break;
		if (!eq || k == 4 || (!a->add && k >= 2)) {
			addrlist_safe(safe, sizeof(safe), argv[i]);
			fprintf(stderr, "rosfw: address-list %s takes %s, not \"%s\"\n", a->add ? "add" : "remove",
				a->add ? "list=, address=, timeout= and comment=" : "list= and address=", safe);
			return -1;
		}
		if (*slot[k]) {
			fprintf(stderr, "rosfw: address-list: %s= given twice\n", names[k]);
			return -1;
		}
		*slot[k] = eq + 1;
	}
	if (!a->list || !*a->list || !a->address) {
		fprintf(stderr, "rosfw: address-list %s needs list= and address=\n", a->add ? "add" : "remove");
		return -1;
	}
	return 0;
}

/* Everything but the kernel's say: the entry from the arguments. */
static int entry_from_args(const struct al_args *a, struct addrlist_entry *e, char *addr_safe, size_t size)
{
	struct value_addr va;
	bool v6 = a->v6 || strchr(a->address, ':');

	addrlist_safe(addr_safe, size, a->address);
	memset(e, 0, sizeof(*e));
	e->list = a->list;
	e->comment = a->comment;
	if (!value_parse_addr(a->address, strlen(a->address), v6, &va)) {
		fprintf(stderr, "rosfw: address-list: \"%s\" is not an IPv%c address, prefix or range%s\n", addr_safe,
			v6 ? '6' : '4', v6 ? "" : " (DNS names are resolved by rosfwd from the configuration)");
		return EXIT_IO;
	}
	e->len = v6 ? 16 : 4;
	memcpy(e->lo, va.lo, e->len);
	memcpy(e->hi, va.hi, e->len);
	if (a->timeout && !value_parse_time(a->timeout, strlen(a->timeout), &e->timeout_ms)) {
		char t[64];

		addrlist_safe(t, sizeof(t), a->timeout);
		fprintf(stderr, "rosfw: address-list: timeout \"%s\" is not a time (1h, 30m, 1d2h, 00:05:00)\n", t);
		return EXIT_IO;
	}
	return EXIT_OK;
}

/* The set an added entry goes to, as lower_list_sets lays the list out;
 * NULL after saying why it fits none. */
static const struct addrlist_set *add_target(const struct addrlist_entry *e, const struct addrlist_set *al,
					     const struct addrlist_set *ad, const char *list, const char *addr)
{
	bool range = memcmp(e->lo, e->hi, e->len) != 0;

	if (e->timeout_ms) {
		if (!range && ad->exists && (ad->flags & NFT_SET_TIMEOUT))
			return ad;
		if (al->exists && (al->flags & NFT_SET_TIMEOUT) && (!range || (al->flags & NFT_SET_INTERVAL)))
			return al;
		fprintf(stderr,
			"rosfw: address list \"%s\" takes no timed %s in the kernel: its configuration has none and no rule adds to it (add %s without timeout=, or give the list such an entry and apply)\n",
			list, range ? "prefixes or ranges" : "entries", addr);
		return NULL;
	}
	if (al->exists && (!range || (al->flags & NFT_SET_INTERVAL)))
		return al;
	fprintf(stderr,
		"rosfw: address list \"%s\" holds single addresses only in the kernel: its configuration has no prefix or range (put %s there and apply)\n",
		list, addr);
	return NULL;
}

static int kernel_error(int err, bool add, const char *list, const char *addr, const char *set)
{
	switch (err) {
	case EPERM:
	case EACCES:
		fputs("rosfw: changing the firewall needs CAP_NET_ADMIN: run rosfw as root\n", stderr);
		return EXIT_IO;
	case EEXIST:
		fprintf(stderr, "rosfw: address list \"%s\" already has %s or an entry overlapping it\n", list, addr);
		return EXIT_REFUSED;
	case ENOENT:
		if (add)
			fprintf(stderr, "rosfw: address list \"%s\" left the kernel (set %s is gone)\n", list, set);
		else
			fprintf(stderr, "rosfw: address list \"%s\" has no entry %s (only whole entries, as added, can be removed)\n",
				list, addr);
		return EXIT_REFUSED;
	case ENFILE:
	case ENOSPC:
		fprintf(stderr, "rosfw: address list \"%s\" is full (set %s)\n", list, set);
		return EXIT_REFUSED;
	default:
		fprintf(stderr, "rosfw: the kernel refused %s %s %s list \"%s\" (set %s): %s\n", add ? "adding" : "removing",
			addr, add ? "to" : "from", list, set, strerror(err));
		return EXIT_REFUSED;
	}
}

int addrlist_change(const struct addrlist_entry *e, bool add, bool quiet_exists)
{
	int family = e->len == 16 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	char name[KNAME_MAX], lsafe[128], asafe[128];
	struct addrlist_set al, ad, ar;
	const struct addrlist_set *cand[3];
	struct nlsock ns;
	size_t ncand = 0, i;
	int rc = EXIT_OK, err = 0;
	char buf[ADDRLIST_TEXT_MAX];

	addrlist_safe(lsafe, sizeof(lsafe), e->list);
	addrlist_format(buf, sizeof(buf), e);
	addrlist_safe(asafe, sizeof(asafe), buf);
	if (!nlsock_open(&ns)) {
		fprintf(stderr, "rosfw: netlink: %s\n", strerror(errno));
		return EXIT_IO;
	}
	kname_set(name, sizeof(name), KNAME_LIST, e->list);
	if (addrlist_set_lookup(&ns, family, name, &al) < 0)
		goto io;
	kname_set(name, sizeof(name), KNAME_LIST_DYN, e->list);
	if (addrlist_set_lookup(&ns, family, name, &ad) < 0)
		goto io;
	kname_set(name, sizeof(name), KNAME_LIST_RT, e->list);
	if (addrlist_set_lookup(&ns, family, name, &ar) < 0)
		goto io;
	if (!al.exists && !ad.exists && !ar.exists) {
		fprintf(stderr, "rosfw: no address list \"%s\" in the kernel (table %s rosfw): lists come from the applied configuration\n",
			lsafe, family == NFPROTO_IPV6 ? "ip6" : "ip");
		rc = EXIT_CONFIG;
		goto out;
	}
	if (add && ar.exists) {
		cand[ncand++] = &ar;
	} else if (add) {
		const struct addrlist_set *t = add_target(e, &al, &ad, lsafe, asafe);

		if (!t) {
			rc = EXIT_CONFIG;
			goto out;
		}
		cand[ncand++] = t;
	} else {
		/* Where run-time adds go first, then what rules added, then
		 * the configuration's own entries (an apply brings those back). */
		if (ar.exists)
			cand[ncand++] = &ar;
		if (ad.exists)
			cand[ncand++] = &ad;
		if (al.exists)
			cand[ncand++] = &al;
	}
	for (i = 0; i < ncand; i++) {
		const struct addrlist_set *t = cand[i];
		bool range = memcmp(e->lo, e->hi, e->len) != 0;

		if (t->key_len != e->len || (range && !(t->flags & NFT_SET_INTERVAL))) {
			err = ENOENT;
			continue;
		}
		err = addrlist_send(&ns, family, t->name, t->flags & NFT_SET_INTERVAL, e, 1, add, true, true, NULL);
		/* What apply put there has its open range whole. */
		if (err == ENOENT && !add && (t->flags & NFT_SET_INTERVAL))
			err = addrlist_send(&ns, family, t->name, true, e, 1, false, true, false, NULL);
		if (err < 0)
			goto io;
		if (err != ENOENT || add)
			break;
	}
	if (err && !(err == EEXIST && quiet_exists))
		rc = kernel_error(err, add, lsafe, asafe, cand[ncand - 1]->name);
	goto out;
io:
	if (errno == EPERM || errno == EACCES)
		rc = kernel_error(errno, add, lsafe, asafe, "");
	else {
		fprintf(stderr, "rosfw: netlink: %s\n", strerror(errno));
		rc = EXIT_IO;
	}
out:
	nlsock_close(&ns);
	return rc;
}

int cmd_address_list(int argc, char **argv)
{
	struct al_args a;
	struct addrlist_entry e;
	char asafe[128];
	int rc;

	if (args_parse(argc, argv, &a) < 0)
		return al_usage(stderr, EXIT_IO);
	rc = entry_from_args(&a, &e, asafe, sizeof(asafe));
	if (rc != EXIT_OK)
		return rc;
	return addrlist_change(&e, a.add, false);
}
