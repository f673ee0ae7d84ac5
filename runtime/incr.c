/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The record of what apply's last commit left in the kernel, and the
 * plan that turns it into what a new batch would make (incr.h). Rules are
 * paired chain by chain as a longest common subsequence of their
 * fingerprints (the common head and tail first: a small change leaves a
 * small middle); a rule paired with one whose comment alone differs is
 * replaced in place, keeping its handle (rosfw's own batches no longer
 * make that case: a comment is part of the counter object's name, so a
 * new comment is a new rule). Kernel comments carry no rule numbers
 * (kname.h), so an insertion or removal leaves the rules around it alone.
 */
#include "incr.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "ir.h"
#include "kname.h"
#include "lcs.h"
#include "nlsock.h"
#include "record.h"
#include "safefile.h"
#include "text.h"
#include "trust.h"
#include "xalloc.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define INCR_MAGIC "# rosfw incremental record 3"
#define SETS_MAGIC "ROSFWST1"

/* A changed middle longer than this (old x new rules) is a full apply:
 * pairing it would cost more than the full path saves. */
#define LCS_CELLS (4u << 20)
/* The kernel finds a rule by handle (delete, replace, add after) walking
 * its chain from the head (nft_rule_lookup): a plan whose messages would
 * walk more rules than this in all is a full apply, which costs the same
 * whatever changed. 25k rules of a 50k chain rewritten in place (when
 * kernel comments carried rule numbers) took the kernel a minute. */
#define WALK_MAX (16u << 20)

const char *incr_path(void)
{
	static char path[PATH_MAX + 8];

	return record_beside(path, sizeof(path), ".nl");
}

const char *incr_sets_path(void)
{
	static char path[PATH_MAX + 16];

	return record_beside(path, sizeof(path), ".nl.sets");
}

/* This boot and this network namespace: a generation number means
 * nothing in another. */
static void incr_here(char boot[40], uint64_t *netns)
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, boot, 39);
	socklen_t len = sizeof(*netns);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
	boot[n > 0 ? n : 0] = 0;
	boot[strcspn(boot, "\n")] = 0;
	*netns = 0;
	if (s >= 0) {
		if (getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, netns, &len) < 0)
			*netns = 0;
		close(s);
	}
}

/* ---- the generation --------------------------------------------------------- */

int incr_genid(uint32_t *genid)
{
	*genid = 0;
	return nlsock_genid(genid) < 0 || !*genid ? -1 : 0;
}

/* The counter object an objref expression names directly, or NULL. */
static const struct nlattr *objref_counter(const struct nlattr *elem)
{
	const struct nlattr *a, *d, *name = NULL;
	bool objref = false, counter = false;

	mnl_attr_for_each_nested(a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			objref = !strcmp(mnl_attr_get_str(a), "objref");
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			mnl_attr_for_each_nested(d, a) {
				if (mnl_attr_get_type(d) == NFTA_OBJREF_IMM_TYPE)
					counter = ntohl(mnl_attr_get_u32(d)) == NFT_OBJECT_COUNTER;
				else if (mnl_attr_get_type(d) == NFTA_OBJREF_IMM_NAME)
					name = d;
			}
	}
	return objref && counter ? name : NULL;
}

/* What a rule's text fingerprint is made of (emit_nl_text_counter): the
 * NFTA_RULE_USERDATA attribute hashed whole, from the same FNV start, and
 * the counter object the rule names. */
static int text_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *e, *counter = NULL;
	uint64_t udata = TEXT_FNV64;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_RULE_USERDATA)
			udata = text_fnv64(TEXT_FNV64, a, a->nla_len);
		else if (mnl_attr_get_type(a) == NFTA_RULE_EXPRESSIONS)
			mnl_attr_for_each_nested(e, a)
				if (!counter)
					counter = objref_counter(e);
	}
	*(uint64_t *)data = emit_nl_text_counter(udata, counter ? mnl_attr_get_str(counter) : NULL,
						 counter ? strnlen(mnl_attr_get_str(counter), mnl_attr_get_payload_len(counter)) : 0);
	return MNL_CB_OK;
}

bool incr_rule_is(struct nlsock *s, int family, const char *chain, uint64_t handle, uint64_t text)
{
	char req[512];
	struct nlmsghdr *nlh;
	uint64_t have = TEXT_FNV64;

	if (strlen(chain) > 256)
		return false;
	nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETRULE, (uint16_t)incr_proto(family), NLM_F_ACK,
				    ++s->seq);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, KNAME_TABLE);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	return nlsock_run(s, nlh, text_cb, &have) == 0 && have == text;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	*(bool *)data = true;
	return MNL_CB_OK;
}

bool incr_tables_there(const struct incr_rec *r)
{
	bool need[INCR_FAMILIES] = { false }, ok = true;
	struct nlsock ns;
	size_t i;
	int f;

	for (i = 0; i < r->nchains; i++)
		need[r->chains[i].family] = true;
	for (f = 0; f < INCR_FAMILIES; f++)
		need[f] |= r->ncounters[f] > 0;
	if (!nlsock_open(&ns))
		return false;
	for (f = 0; ok && f < INCR_FAMILIES; f++) {
		char req[256];
		struct nlmsghdr *nlh;
		bool seen = false;

		if (!need[f])
			continue;
		nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETTABLE, (uint16_t)incr_proto(f), NLM_F_ACK, ++ns.seq);
		mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, KNAME_TABLE);
		ok = nlsock_run(&ns, nlh, table_cb, &seen) == 0 && seen;
	}
	nlsock_close(&ns);
	return ok;
}

int incr_proto(int f)
{
	return f == 2 ? NFPROTO_BRIDGE : f == 1 ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

const struct ir_table *incr_table(const struct ir *ir, int f)
{
	return f == 2 ? ir->bridge : ir->tables[f];
}

/* The kernel skips 0 (nf_tables_commit): it means "no check". */
uint32_t incr_genid_next(uint32_t genid)
{
	return genid + 1 ? genid + 1 : 1;
}

/* ---- the record ------------------------------------------------------------- */

void incr_rec_free(struct incr_rec *r)
{
	size_t i;
	int f;

	for (f = 0; f < INCR_FAMILIES; f++) {
		for (i = 0; i < r->ncounters[f]; i++)
			free(r->counters[f][i]);
		free(r->counters[f]);
	}
	for (i = 0; i < r->nchains; i++) {
		free(r->chains[i].name);
		free(r->chains[i].v);
	}
	free(r->chains);
	free(r->sets);
	free(r->setbuf);
	memset(r, 0, sizeof(*r));
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void incr_rec_make(struct incr_rec *r, const struct ir *ir, const struct emit_nl_scan *s,
		   const struct emit_nl_sets *sets, const uint64_t *handles, uint32_t genid)
{
	size_t i, j;
	int f;

	memset(r, 0, sizeof(*r));
	incr_here(r->boot, &r->netns);
	r->genid = genid;
	memcpy(r->rest, s->rest, sizeof(r->rest));
	r->nsets = sets ? sets->n : 0;
	r->sets = xcalloc(r->nsets + 1, sizeof(*r->sets));
	for (i = 0; i < r->nsets; i++) {
		const struct emit_nl_setfp *x = &sets->v[i];

		r->sets[i] = (struct incr_set){ x->family, x->name, x->def, x->klen, x->stride, x->n, x->fp, x->del };
	}
	for (f = 0; f < INCR_FAMILIES; f++) {
		const struct ir_table *t = incr_table(ir, f);

		if (!t || !t->ncounters)
			continue;
		r->counters[f] = xcalloc(t->ncounters, sizeof(char *));
		for (i = 0; i < t->ncounters; i++)
			r->counters[f][i] = xstrdup(t->counters[i]);
		r->ncounters[f] = t->ncounters;
		qsort(r->counters[f], t->ncounters, sizeof(char *), name_cmp);
	}
	for (i = 0; i < s->nrules; i = j) {
		struct incr_chain *c;

		for (j = i; j < s->nrules && s->rules[j].family == s->rules[i].family &&
			    !strcmp(s->rules[j].chain, s->rules[i].chain); j++)
			;
		r->chains = xreallocarray(r->chains, r->nchains + 1, sizeof(*r->chains));
		c = &r->chains[r->nchains++];
		c->family = s->rules[i].family;
		c->name = xstrdup(s->rules[i].chain);
		c->n = j - i;
		c->v = xcalloc(c->n, sizeof(*c->v));
		for (size_t k = i; k < j; k++)
			c->v[k - i] = (struct incr_rule){ s->rules[k].fp, s->rules[k].text, handles[k] };
	}
}

/*
 * Where incr_advance says how far entry commits took the record: a line
 * "RECORDED NOW" beside it. Rewriting the record itself would cost an
 * add to a 50k-rule configuration's list tens of milliseconds. Not synced:
 * a generation means nothing after a reboot, and a write lost before one
 * only makes the next apply a full one.
 */
static const char *adv_path(void)
{
	static char path[PATH_MAX + 8];

	return record_beside(path, sizeof(path), ".nl.gen");
}

void incr_remove(void)
{
	const char *path = incr_path();

	if (path)
		unlink(path);
	if ((path = adv_path()))
		unlink(path);
	if ((path = incr_sets_path()))
		unlink(path);
}

/* ---- the sets' side file ----------------------------------------------------- */

/*
 * Binary, in this machine's byte order (it is read back only here): the
 * magic, the token, the number of sets; per set its family, name length
 * (with the NUL, padded to 8), definition, units, key length, stride,
 * name, the units' sorted fingerprints and their delete bytes (padded to
 * 8). 1M IPv4 prefixes: 17 MB, read with one read, not parsed.
 */
struct sets_head {
	char magic[8];
	uint64_t token, nsets;
};

struct set_head {
	uint32_t family, namelen;
	uint64_t def, n;
	uint32_t klen, stride;
};

#define PAD8(x) (((x) + 7) & ~(size_t)7)

static const char zeros[8];

static int sets_write(const struct incr_rec *r, uint64_t token, struct diag *d)
{
	const char *path = incr_sets_path();
	struct sets_head h = { { 0 }, token, r->nsets };
	struct safefile *sf;
	size_t i;
	FILE *out;

	memcpy(h.magic, SETS_MAGIC, sizeof(h.magic));
	if (!path || !(sf = safefile_open(path, 0600))) {
		diag_warning(d, NULL, "%s: %s: the next apply reloads everything", path ? path : "record",
			     strerror(errno));
		return -1;
	}
	safefile_nosync(sf);	/* the record it goes with dies with the boot */
	out = safefile_stream(sf);
	fwrite(&h, sizeof(h), 1, out);
	for (i = 0; i < r->nsets; i++) {
		const struct incr_set *x = &r->sets[i];
		size_t nl = strlen(x->name) + 1, dl = x->n * x->stride;
		struct set_head sh = { (uint32_t)x->family, (uint32_t)PAD8(nl), x->def, x->n, x->klen, x->stride };

		fwrite(&sh, sizeof(sh), 1, out);
		fwrite(x->name, 1, nl, out);
		fwrite(zeros, 1, PAD8(nl) - nl, out);
		if (x->n) {
			fwrite(x->fp, sizeof(*x->fp), x->n, out);
			fwrite(x->del, 1, dl, out);
		}
		fwrite(zeros, 1, PAD8(dl) - dl, out);
	}
	if (safefile_commit(sf) < 0) {
		diag_warning(d, NULL, "%s: %s: the next apply reloads everything", path, strerror(errno));
		return -1;
	}
	return 0;
}

static char *file_read(const char *path, size_t *len);

/* The side file whose token is `token`, with `nsets` sets. */
static int sets_read(struct incr_rec *r, uint64_t token, size_t nsets)
{
	const char *path = incr_sets_path();
	char why[512], *buf, *p, *end;
	struct sets_head h;
	size_t len, i;

	if (!path || trust_private(path, why, sizeof(why)) < 0 || !(buf = file_read(path, &len)))
		return -1;
	r->setbuf = buf;
	end = buf + len;
	if (len < sizeof(h))
		return -1;
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, SETS_MAGIC, sizeof(h.magic)) || h.token != token || h.nsets != nsets)
		return -1;
	r->sets = xcalloc(nsets + 1, sizeof(*r->sets));
	p = buf + sizeof(h);
	for (i = 0; i < nsets; i++) {
		struct incr_set *x = &r->sets[i];
		struct set_head sh;
		size_t need;

		if ((size_t)(end - p) < sizeof(sh))
			return -1;
		memcpy(&sh, p, sizeof(sh));
		p += sizeof(sh);
		if (sh.family > 2 || !sh.namelen || sh.namelen % 8 || sh.namelen > (size_t)(end - p) ||
		    (sh.stride != 1 + sh.klen && sh.stride != 1 + 2 * sh.klen) || sh.klen > 64 ||
		    sh.n > (size_t)(end - p) / 8)
			return -1;
		x->name = p;
		if (!memchr(p, 0, sh.namelen))
			return -1;
		p += sh.namelen;
		need = (size_t)sh.n * 8 + PAD8((size_t)sh.n * sh.stride);
		if (need > (size_t)(end - p))
			return -1;
		x->family = (int)sh.family;
		x->def = sh.def;
		x->klen = sh.klen;
		x->stride = sh.stride;
		x->n = sh.n;
		x->fp = (const uint64_t *)(void *)p;
		x->del = (const uint8_t *)p + sh.n * 8;
		p += need;
	}
	r->nsets = nsets;
	return p == end ? 0 : -1;
}

void incr_write(const struct incr_rec *r, struct diag *d)
{
	const char *path = incr_path(), *adv;
	struct safefile *sf;
	char why[512];
	uint64_t token;
	size_t i, j;
	FILE *out;
	int f;

	if (!path)
		return;
	if (trust_make_dir(path) < 0 || trust_private(path, why, sizeof(why)) < 0) {
		unlink(path);
		return;		/* record_save has said why */
	}
	/* the side file first: a record is never read with another's */
	if (getrandom(&token, sizeof(token), 0) != sizeof(token) || sets_write(r, token, d) < 0) {
		incr_remove();
		return;
	}
	if (!(sf = safefile_open(path, 0600))) {
		diag_warning(d, NULL, "%s: %s: the next apply reloads everything", path, strerror(errno));
		incr_remove();
		return;
	}
	/* A generation means nothing after a reboot (the boot id says so):
	 * nothing to sync for, and a torn file does not end in "end". */
	safefile_nosync(sf);
	out = safefile_stream(sf);
	fprintf(out, "%s\nboot %s\nnetns %llu\ngenid %u\nrest %016llx %016llx %016llx\nsets %016llx %zu\n",
		INCR_MAGIC, r->boot, (unsigned long long)r->netns, r->genid, (unsigned long long)r->rest[0],
		(unsigned long long)r->rest[1], (unsigned long long)r->rest[2], (unsigned long long)token, r->nsets);
	for (f = 0; f < INCR_FAMILIES; f++) {
		fprintf(out, "counters %d %zu\n", f, r->ncounters[f]);
		for (i = 0; i < r->ncounters[f]; i++)
			fprintf(out, "%s\n", r->counters[f][i]);
	}
	for (i = 0; i < r->nchains; i++) {
		const struct incr_chain *c = &r->chains[i];

		fprintf(out, "chain %d %zu %s\n", c->family, c->n, c->name);
		for (j = 0; j < c->n; j++)
			fprintf(out, "%016llx %016llx %llu\n", (unsigned long long)c->v[j].fp,
				(unsigned long long)c->v[j].text, (unsigned long long)c->v[j].handle);
	}
	fputs("end\n", out);
	/* The generation is this commit's now. */
	if ((adv = adv_path()))
		unlink(adv);
	if (safefile_commit(sf) < 0) {
		diag_warning(d, NULL, "%s: %s: the next apply reloads everything", path, strerror(errno));
		incr_remove();
	}
}

/* The next line of [*p, end), NUL-terminated in place; NULL at the end. */
static char *line_next(char **p, char *end)
{
	char *s = *p, *nl;

	if (s >= end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		return NULL;	/* a record always ends in "end\n" */
	*nl = 0;
	*p = nl + 1;
	return s;
}

static char *file_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 1 << 16, n = 0;
	struct stat st;
	char *buf;

	if (fd < 0)
		return NULL;
	/* its size and one more: the sets' side file is read in one go */
	if (fstat(fd, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 2)
		cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t k;

		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
		k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			close(fd);
			if (k < 0) {
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
		n += (size_t)k;
	}
}

/* The head of a record at *p: its magic, boot, namespace and generation;
 * -1 when it is not one, or another boot's or namespace's. */
static int rec_head(struct incr_rec *r, char **p, char *end)
{
	char boot[40], *l;
	unsigned long long a;
	uint64_t netns;

	if (!(l = line_next(p, end)) || strcmp(l, INCR_MAGIC))
		return -1;
	if (!(l = line_next(p, end)) || sscanf(l, "boot %39s", r->boot) != 1)
		return -1;
	if (!(l = line_next(p, end)) || sscanf(l, "netns %llu", &a) != 1)
		return -1;
	r->netns = a;
	if (!(l = line_next(p, end)) || sscanf(l, "genid %u", &r->genid) != 1)
		return -1;
	incr_here(boot, &netns);
	return strcmp(boot, r->boot) || netns != r->netns ? -1 : 0;
}

static int rec_parse(struct incr_rec *r, char *p, char *end)
{
	char *l;
	unsigned long long a, b, c;
	size_t i, n;
	int f, fam, off;

	memset(r, 0, sizeof(*r));
	if (rec_head(r, &p, end) < 0)
		return -1;
	if (!(l = line_next(&p, end)) || sscanf(l, "rest %llx %llx %llx", &a, &b, &c) != 3)
		return -1;
	r->rest[0] = a;
	r->rest[1] = b;
	r->rest[2] = c;
	if (!(l = line_next(&p, end)) || sscanf(l, "sets %llx %zu", &a, &n) != 2)
		return -1;
	if (sets_read(r, a, n) < 0)
		return -1;
	for (f = 0; f < INCR_FAMILIES; f++) {
		if (!(l = line_next(&p, end)) || sscanf(l, "counters %d %zu", &fam, &n) != 2 || fam != f ||
		    n > (size_t)(end - p))
			return -1;
		r->counters[f] = xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++) {
			if (!(l = line_next(&p, end)))
				return -1;
			r->counters[f][r->ncounters[f]++] = xstrdup(l);
		}
	}
	while ((l = line_next(&p, end)) && strcmp(l, "end")) {
		struct incr_chain *ch;

		if (sscanf(l, "chain %d %zu %n", &fam, &n, &off) != 2 || fam < 0 || fam >= INCR_FAMILIES || !l[off] ||
		    n > (size_t)(end - p))
			return -1;
		r->chains = xreallocarray(r->chains, r->nchains + 1, sizeof(*r->chains));
		ch = &r->chains[r->nchains++];
		memset(ch, 0, sizeof(*ch));
		ch->family = fam;
		ch->name = xstrdup(l + off);
		ch->v = xcalloc(n + 1, sizeof(*ch->v));
		for (i = 0; i < n; i++) {
			char *e;

			if (!(l = line_next(&p, end)))
				return -1;
			a = strtoull(l, &e, 16);
			b = strtoull(e, &e, 16);
			c = strtoull(e, &e, 10);
			if (*e || !c)
				return -1;
			ch->v[ch->n++] = (struct incr_rule){ a, b, c };
		}
	}
	return l ? 0 : -1;
}

/* The generation entry commits took the record at `recorded` to. */
static uint32_t adv_genid(uint32_t recorded)
{
	const char *path = adv_path();
	unsigned from, to;
	char buf[64];
	ssize_t n;
	int fd;

	if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return recorded;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return recorded;
	buf[n] = 0;
	return sscanf(buf, "%u %u", &from, &to) == 2 && from == recorded && to ? to : recorded;
}

uint32_t incr_genid_held(uint32_t *recorded)
{
	const char *path = incr_path();
	char why[512], head[256], *p;
	struct incr_rec r;
	uint32_t now;
	ssize_t n;
	int fd;

	*recorded = 0;
	if (!path || trust_private(path, why, sizeof(why)) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	head[n] = 0;
	p = head;
	memset(&r, 0, sizeof(r));
	if (rec_head(&r, &p, head + n) < 0 || incr_genid(&now) < 0 || now != adv_genid(r.genid))
		return 0;
	*recorded = r.genid;
	return now;
}

void incr_advance(uint32_t recorded, uint32_t to)
{
	const char *path = adv_path();
	char tmp[PATH_MAX + 16], line[32];
	int fd, len;

	if (!path || !recorded || snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return;
	len = snprintf(line, sizeof(line), "%u %u\n", recorded, to);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)len) != len || close(fd) < 0 || rename(tmp, path) < 0)
		unlink(tmp);
}

int incr_read(struct incr_rec *r)
{
	const char *path = incr_path();
	char why[512], *buf;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!path || trust_private(path, why, sizeof(why)) < 0 || !(buf = file_read(path, &len)))
		return -1;
	rc = rec_parse(r, buf, buf + len);
	free(buf);
	if (!rc) {
		r->written = r->genid;
		r->genid = adv_genid(r->genid);
	}
	if (rc < 0)
		incr_rec_free(r);
	return rc;
}

/* ---- the plan --------------------------------------------------------------- */

static void op_add(struct incr_plan *p, enum incr_kind kind, int family, const char *chain, uint64_t handle,
		   uint64_t text, size_t rule)
{
	if (!(p->nops & (p->nops + 1)) || !p->ops)
		p->ops = xreallocarray(p->ops, (p->nops + 1) * 2, sizeof(*p->ops));
	p->ops[p->nops++] = (struct incr_op){ kind, family, chain, handle, text, rule };
}

struct fps {
	const struct incr_rule *old;
	const struct emit_nl_rulefp *nw;
};

static bool fp_eq(size_t i, size_t j, const void *ctx)
{
	const struct fps *f = ctx;

	return f->old[i].fp == f->nw[j].fp;
}

/*
 * Pair old[0..no) with the scan's rules new0..new0+nn-1: pair[i] is the
 * new index of old rule i, or SIZE_MAX. False when the changed middle is
 * too long.
 */
static bool chain_pair(const struct incr_rule *old, size_t no, const struct emit_nl_rulefp *nw, size_t nn,
		       size_t *pair)
{
	size_t head = 0, tail = 0, mo, mn, i, j, k, len;
	struct fps f;
	char *script;

	for (i = 0; i < no; i++)
		pair[i] = SIZE_MAX;
	while (head < no && head < nn && old[head].fp == nw[head].fp) {
		pair[head] = head;
		head++;
	}
	while (tail < no - head && tail < nn - head && old[no - 1 - tail].fp == nw[nn - 1 - tail].fp) {
		pair[no - 1 - tail] = nn - 1 - tail;
		tail++;
	}
	mo = no - head - tail;
	mn = nn - head - tail;
	if (!mo || !mn)
		return true;
	f.old = old + head;
	f.nw = nw + head;
	script = lcs_script(mo, mn, fp_eq, &f, LCS_CELLS, &len);
	if (!script)
		return false;
	for (k = i = j = 0; k < len; k++) {
		if (script[k] == '=')
			pair[head + i++] = head + j++;
		else if (script[k] == '-')
			i++;
		else
			j++;
	}
	free(script);
	return true;
}

/* One chain: old rules `c` (NULL: none), new ones s->rules[i0..i0+nn). */
static bool chain_plan(struct incr_plan *p, const struct incr_chain *c, const struct emit_nl_scan *s, size_t i0,
		       size_t nn, int family, const char *name)
{
	size_t no = c ? c->n : 0, i, j, *pair = xcalloc(no + 1, sizeof(*pair));
	uint64_t *kept = xcalloc(nn + 1, sizeof(*kept)), *ktext = xcalloc(nn + 1, sizeof(*ktext));
	uint64_t after = 0, atext = 0;
	size_t ops0 = p->nops;

	if (!chain_pair(c ? c->v : NULL, no, s->rules + i0, nn, pair)) {
		free(pair);
		free(kept);
		free(ktext);
		return false;
	}
	for (i = 0; i < no; i++) {
		if (pair[i] == SIZE_MAX) {
			op_add(p, INCR_DEL, family, name, c->v[i].handle, c->v[i].text, 0);
		} else {
			kept[pair[i]] = c->v[i].handle;
			ktext[pair[i]] = c->v[i].text;
		}
	}
	for (j = 0; j < nn;) {
		if (kept[j]) {
			p->handles[i0 + j] = kept[j];
			after = kept[j];
			atext = ktext[j];
			j++;
			continue;
		}
		/* a run of new rules: each after the same kept rule, last
		 * first, so they end in order */
		for (i = j; i < nn && !kept[i]; i++)
			;
		for (size_t k = i; k-- > j;)
			op_add(p, INCR_ADD, family, name, after, atext, i0 + k);
		j = i;
	}
	for (i = 0; i < no; i++)
		if (pair[i] != SIZE_MAX && c->v[i].text != s->rules[i0 + pair[i]].text)
			op_add(p, INCR_REPLACE, family, name, c->v[i].handle, c->v[i].text, i0 + pair[i]);
	free(pair);
	free(kept);
	free(ktext);
	p->walk += (p->nops - ops0) * (no > nn ? no : nn);
	return p->walk <= WALK_MAX;
}

static const struct incr_chain *rec_chain(const struct incr_rec *r, int family, const char *name, bool *seen)
{
	size_t i;

	for (i = 0; i < r->nchains; i++)
		if (r->chains[i].family == family && !strcmp(r->chains[i].name, name)) {
			seen[i] = true;
			return &r->chains[i];
		}
	return NULL;
}

/* Counters: sorted new names against the record's. */
static void counters_plan(struct incr_plan *p, const struct incr_rec *r, const struct ir_table *t, int f)
{
	size_t n = t ? t->ncounters : 0, i = 0, j = 0;
	const char **v = xcalloc(n + 1, sizeof(*v));

	if (n) {
		memcpy(v, t->counters, n * sizeof(*v));
		qsort(v, n, sizeof(*v), name_cmp);
	}
	p->add[f] = xcalloc(n + 1, sizeof(char *));
	p->del[f] = xcalloc(r->ncounters[f] + 1, sizeof(char *));
	while (i < n || j < r->ncounters[f]) {
		int c = i == n ? 1 : j == r->ncounters[f] ? -1 : strcmp(v[i], r->counters[f][j]);

		if (c < 0) {
			p->add[f][p->nadd[f]++] = v[i++];
		} else if (c > 0) {
			p->del[f][p->ndel[f]++] = r->counters[f][j++];
		} else {
			p->kept++;
			i++;
			j++;
		}
	}
	free(v);
}

bool incr_plan_make(const struct incr_rec *r, const struct ir *ir, const struct emit_nl_scan *s, struct incr_plan *p)
{
	bool *seen = xcalloc(r->nchains + 1, sizeof(*seen)), ok = true;
	size_t i, j;
	int f;

	memset(p, 0, sizeof(*p));
	p->handles = xcalloc(s->nrules + 1, sizeof(*p->handles));
	if (memcmp(r->rest, s->rest, sizeof(r->rest))) {
		free(seen);
		return false;
	}
	for (f = 0; f < INCR_FAMILIES; f++)
		counters_plan(p, r, incr_table(ir, f), f);
	for (i = 0; ok && i < s->nrules; i = j) {
		const struct emit_nl_rulefp *x = &s->rules[i];

		for (j = i; j < s->nrules && s->rules[j].family == x->family && !strcmp(s->rules[j].chain, x->chain); j++)
			;
		ok = chain_plan(p, rec_chain(r, x->family, x->chain, seen), s, i, j - i, x->family, x->chain);
	}
	/* chains whose rules all went */
	for (i = 0; ok && i < r->nchains; i++)
		if (!seen[i])
			ok = chain_plan(p, &r->chains[i], s, 0, 0, r->chains[i].family, r->chains[i].name);
	free(seen);
	return ok;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

bool incr_too_many(const struct incr_rec *r, const struct ir *ir)
{
	size_t walk = 0, i, j, k;
	int f;

	for (f = 0; f < INCR_FAMILIES; f++) {
		const struct ir_table *t = incr_table(ir, f);

		for (i = 0; t && i < t->nchains; i++) {
			const struct ir_chain *c = t->chains[i];
			const struct incr_chain *old = NULL;
			uint64_t *texts;
			size_t miss = 0;

			for (k = 0; k < r->nchains && !old; k++)
				if (r->chains[k].family == f && !strcmp(r->chains[k].name, c->name))
					old = &r->chains[k];
			if (!old || !c->n)
				continue;
			texts = xcalloc(old->n, sizeof(*texts));
			for (k = 0; k < old->n; k++)
				texts[k] = old->v[k].text;
			qsort(texts, old->n, sizeof(*texts), u64_cmp);
			for (j = 0; j < c->n; j++) {
				uint64_t x = emit_nl_rule_text(c->rules[j]);

				miss += !bsearch(&x, texts, old->n, sizeof(*texts), u64_cmp);
			}
			free(texts);
			walk += miss * (old->n > c->n ? old->n : c->n);
		}
	}
	return walk > WALK_MAX;
}

static const struct incr_set *rec_set(const struct incr_rec *r, int family, const char *name, bool *seen)
{
	size_t i;

	for (i = 0; i < r->nsets; i++)
		if (r->sets[i].family == family && !strcmp(r->sets[i].name, name)) {
			seen[i] = true;
			return &r->sets[i];
		}
	return NULL;
}

/* One set: the sorted fingerprints merged, those of one side only
 * deleted or added. */
static bool set_plan(struct incr_plan *p, const struct emit_nl_setfp *x, const struct incr_set *o)
{
	struct incr_setop op = { x, o, NULL, NULL, 0, 0 };
	size_t i = 0, j = 0;

	while (i < o->n || j < x->n) {
		if (j == x->n || (i < o->n && o->fp[i] < x->fp[j])) {
			const uint8_t *d = o->del + i++ * o->stride;

			if (*d & EMIT_NL_DEL_TIMED)
				goto full;
			if (!(op.ndel & (op.ndel + 1)))
				op.del = xreallocarray(op.del, (op.ndel + 1) * 2, sizeof(*op.del));
			op.del[op.ndel++] = d;
		} else if (i == o->n || x->fp[j] < o->fp[i]) {
			if (!(op.nadd & (op.nadd + 1)))
				op.add = xreallocarray(op.add, (op.nadd + 1) * 2, sizeof(*op.add));
			op.add[op.nadd++] = j++;
		} else {
			i++;
			j++;
		}
	}
	if (!op.nadd && !op.ndel)
		return true;
	p->sets = xreallocarray(p->sets, p->nsets + 1, sizeof(*p->sets));
	p->sets[p->nsets++] = op;
	p->nelems += op.nadd + op.ndel;
	return true;
full:
	free(op.add);
	free(op.del);
	return false;
}

bool incr_sets_plan(const struct incr_rec *r, const struct emit_nl_sets *s, struct incr_plan *p)
{
	bool *seen = xcalloc(r->nsets + 1, sizeof(*seen)), ok = s->n == r->nsets;
	size_t i;

	for (i = 0; ok && i < s->n; i++) {
		const struct emit_nl_setfp *x = &s->v[i];
		const struct incr_set *o = rec_set(r, x->family, x->name, seen);

		ok = o && o->def == x->def && o->klen == x->klen && o->stride == x->stride && set_plan(p, x, o);
	}
	for (i = 0; ok && i < r->nsets; i++)
		ok = seen[i];
	free(seen);
	return ok;
}

void incr_plan_free(struct incr_plan *p)
{
	size_t i;
	int f;

	for (i = 0; i < p->nsets; i++) {
		free(p->sets[i].add);
		free(p->sets[i].del);
	}
	free(p->sets);
	free(p->ops);
	for (f = 0; f < INCR_FAMILIES; f++) {
		free(p->add[f]);
		free(p->del[f]);
	}
	free(p->handles);
	memset(p, 0, sizeof(*p));
}
