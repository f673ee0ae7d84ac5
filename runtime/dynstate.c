/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dynstate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kname.h"
#include "kread.h"
#include "lower.h"
#include "safefile.h"
#include "text.h"
#include "xalloc.h"

#define MAGIC "rosfwd-state 1\n"

int64_t dyn_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void dyn_boot_id(char *out, size_t size)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	out[0] = 0;
	if (!f)
		return;
	if (fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = 0;
	fclose(f);
}

static char **names;
static size_t nnames;

uint32_t dyn_set_id(const char *name)
{
	size_t i;

	/* A handful of lists: a linear search is enough. */
	for (i = 0; i < nnames; i++)
		if (!strcmp(names[i], name))
			return (uint32_t)i;
	names = xreallocarray(names, nnames + 1, sizeof(*names));
	names[nnames] = xstrdup(name);
	return (uint32_t)nnames++;
}

const char *dyn_set_name(uint32_t id)
{
	return id < nnames ? names[id] : "";
}

void dyn_state_init(struct dyn_state *s)
{
	memset(s, 0, sizeof(*s));
}

void dyn_state_free(struct dyn_state *s)
{
	size_t i;

	for (i = 0; i < s->nans; i++)
		free(s->ans[i].name);
	free(s->ans);
	free(s->e);
	free(s->idx);
	free(s->sets);
	memset(s, 0, sizeof(*s));
}

void dyn_state_add(struct dyn_state *s, const struct dyn_entry *e)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->e = xreallocarray(s->e, s->cap, sizeof(*s->e));
	}
	s->e[s->n++] = *e;
}

void dyn_state_add_answer(struct dyn_state *s, uint8_t family, uint32_t set, const uint8_t *addr, const char *name)
{
	struct dyn_answer *a;

	s->ans = xreallocarray(s->ans, s->nans + 1, sizeof(*s->ans));
	a = &s->ans[s->nans++];
	a->family = family;
	a->set = set;
	memcpy(a->addr, addr, 16);
	a->name = xstrdup(name);
}

/* Answers are few (names times their addresses): a plain search. */
static bool has_answer(const struct dyn_state *s, const struct dyn_answer *x)
{
	size_t i;

	for (i = 0; i < s->nans; i++)
		if (s->ans[i].family == x->family && s->ans[i].set == x->set && !memcmp(s->ans[i].addr, x->addr, 16) &&
		    !strcmp(s->ans[i].name, x->name))
			return true;
	return false;
}

bool dyn_answers_differ(const struct dyn_state *a, const struct dyn_state *b)
{
	size_t i;

	if (a->nans != b->nans)
		return true;
	for (i = 0; i < a->nans; i++)
		if (!has_answer(b, &a->ans[i]))
			return true;
	return false;
}

static void state_add_set(struct dyn_state *s, uint32_t set)
{
	if (dyn_state_has_set(s, set))
		return;
	s->sets = xreallocarray(s->sets, s->nsets + 1, sizeof(*s->sets));
	s->sets[s->nsets++] = set;
}

bool dyn_state_has_set(const struct dyn_state *s, uint32_t set)
{
	size_t i;

	for (i = 0; i < s->nsets; i++)
		if (s->sets[i] == set)
			return true;
	return false;
}

static uint64_t entry_hash(const struct dyn_entry *e)
{
	uint64_t a, b, h;

	memcpy(&a, e->key, 8);
	memcpy(&b, e->key + 8, 8);
	h = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)e->set << 8 | e->family)) * 0xff51afd7ed558ccdull;
	return h ^ h >> 29;
}

static bool entry_eq(const struct dyn_entry *x, const struct dyn_entry *y)
{
	return x->family == y->family && x->set == y->set && !memcmp(x->key, y->key, 16);
}

void dyn_state_seal(struct dyn_state *s)
{
	size_t i, o = 0, mask;

	free(s->idx);
	for (s->idxcap = 64; s->idxcap < s->n * 2; s->idxcap *= 2)
		;
	s->idx = xcalloc(s->idxcap, sizeof(*s->idx));
	mask = s->idxcap - 1;
	for (i = 0; i < s->n; i++) {
		size_t h = (size_t)entry_hash(&s->e[i]) & mask;
		bool dup = false;

		for (; s->idx[h]; h = (h + 1) & mask)
			if ((dup = entry_eq(&s->e[s->idx[h] - 1], &s->e[i])))
				break;
		if (dup)
			continue;
		s->e[o] = s->e[i];
		s->idx[h] = (uint32_t)++o;
	}
	s->n = o;
}

const struct dyn_entry *dyn_state_find(const struct dyn_state *s, const struct dyn_entry *e, size_t hint)
{
	size_t h, mask;

	if (hint < s->n && entry_eq(&s->e[hint], e))
		return &s->e[hint];
	if (!s->idx)
		return NULL;
	mask = s->idxcap - 1;
	for (h = (size_t)entry_hash(e) & mask; s->idx[h]; h = (h + 1) & mask)
		if (entry_eq(&s->e[s->idx[h] - 1], e))
			return &s->e[s->idx[h] - 1];
	return NULL;
}

void dyn_state_copy(struct dyn_state *dst, const struct dyn_state *src)
{
	size_t i;

	dyn_state_free(dst);
	dst->e = xcalloc(src->n ? src->n : 1, sizeof(*dst->e));
	if (src->n)
		memcpy(dst->e, src->e, src->n * sizeof(*src->e));
	dst->n = dst->cap = src->n;
	if (src->nsets) {
		dst->sets = xcalloc(src->nsets, sizeof(*dst->sets));
		memcpy(dst->sets, src->sets, src->nsets * sizeof(*src->sets));
		dst->nsets = src->nsets;
	}
	for (i = 0; i < src->nans; i++)
		dyn_state_add_answer(dst, src->ans[i].family, src->ans[i].set, src->ans[i].addr, src->ans[i].name);
	memcpy(dst->boot_id, src->boot_id, sizeof(dst->boot_id));
	dst->saved = src->saved;
	dyn_state_seal(dst);
}

/* ---- the kernel --------------------------------------------------------- */

/* Hash sets rules add to or whose entries time out: what comes and goes;
 * and the run-time interval sets, all of whose entries come and go. */
static bool dynamic_set(const char *name, uint32_t flags)
{
	if (flags & NFT_SET_ANONYMOUS)
		return false;
	if (kname_set_kind(name) == KNAME_LIST_RT)
		return flags & NFT_SET_INTERVAL;
	return kname_is_addrlist(name) && (flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL)) && !(flags & NFT_SET_INTERVAL);
}

struct sets_ctx {
	char (*names)[256];
	size_t n;
};

static void set_add(void *ctx, const struct kread_set *s)
{
	struct sets_ctx *c = ctx;

	if (strlen(s->name) >= 256 || !dynamic_set(s->name, s->flags))
		return;
	c->names = xreallocarray(c->names, c->n + 1, sizeof(*c->names));
	snprintf(c->names[c->n++], 256, "%s", s->name);
}

struct elems_ctx {
	struct dyn_state *s;
	uint8_t family, len;
	uint32_t set;
	int64_t now;
};

/* A run-time range: untimed, it is static and lasts. */
static void range_add(void *ctx, const struct kread_range *r)
{
	struct elems_ctx *c = ctx;
	struct dyn_entry e = { .family = c->family, .len = c->len, .set = c->set, .created = c->now };

	if ((r->start.has_exp && !r->start.exp_ms) || r->start.configured)
		return;		/* going now, or the configuration's own */
	memcpy(e.key, r->lo, c->len);
	memcpy(e.hi, r->hi, c->len);
	e.lasting = !r->start.has_exp;
	e.expires = r->start.has_exp ? c->now + (int64_t)r->start.exp_ms : 0;
	dyn_state_add(c->s, &e);
}

static void elem_add(void *ctx, const struct kread_elem *x)
{
	struct elems_ctx *c = ctx;
	struct dyn_entry e = { .family = c->family, .len = c->len, .set = c->set, .created = c->now };

	/* The configuration's own: an apply writes them, not rosfwd. */
	if (!x->key || x->key_len != c->len || x->configured)
		return;
	memcpy(e.key, x->key, c->len);
	memcpy(e.hi, e.key, c->len);
	if (x->has_timeout && x->timeout_ms == LOWER_STATIC_TIMEOUT_MS) {
		e.lasting = true;	/* none-static: the time left is not its own */
	} else if (x->has_exp) {
		if (!x->exp_ms)
			return;		/* going now */
		e.expires = c->now + (int64_t)x->exp_ms;
	}
	dyn_state_add(c->s, &e);
}

int dyn_state_read_kernel(struct nlsock *ns, struct dyn_state *s, int64_t now)
{
	static const uint8_t families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	size_t f, i;

	dyn_boot_id(s->boot_id, sizeof(s->boot_id));
	for (f = 0; f < 2; f++) {
		struct sets_ctx sc = { 0 };

		/* No table: nothing dynamic. */
		if (kread_sets(ns, families[f], set_add, &sc) < 0) {
			free(sc.names);
			return -1;
		}
		for (i = 0; i < sc.n; i++) {
			struct elems_ctx ec = { .s = s, .family = families[f], .len = families[f] == NFPROTO_IPV6 ? 16 : 4,
						.now = now };
			int ret;

			ec.set = dyn_set_id(sc.names[i]);
			state_add_set(s, ec.set);
			ret = kname_set_kind(sc.names[i]) == KNAME_LIST_RT
				      ? kread_ranges(ns, families[f], sc.names[i], ec.len, range_add, &ec)
				      : kread_elems(ns, families[f], sc.names[i], elem_add, &ec);
			if (ret < 0) {
				free(sc.names);
				return -1;
			}
		}
		free(sc.names);
	}
	dyn_state_seal(s);
	return 0;
}

/* ---- the file ----------------------------------------------------------- */

/* FNV-1a: enough to tell a torn or edited file from a whole one. */
static uint64_t hash(const char *p, size_t n)
{
	return text_fnv64(TEXT_FNV64, p, n);
}

struct obuf {
	char *p;
	size_t n, cap;
};

static void ob_printf(struct obuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ob_printf(struct obuf *b, const char *fmt, ...)
{
	va_list ap;
	int w;

	for (;;) {
		va_start(ap, fmt);
		w = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (w >= 0 && (size_t)w < b->cap - b->n)
			break;
		b->cap = b->cap * 2 + (size_t)w + 64;
		b->p = xrealloc(b->p, b->cap);
	}
	b->n += (size_t)w;
}

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) >= 256)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-' || *s == '.'))
			return false;
	return true;
}

int dyn_state_save(const struct dyn_state *s, const char *path)
{
	struct obuf b = { .cap = 4096 + s->n * 64 };
	struct safefile *sf;
	size_t i, lines;
	int ret = -1, e;

	b.p = xmalloc(b.cap);
	lines = s->n;
	ob_printf(&b, MAGIC "boot %s\nsaved %lld\n", s->boot_id[0] ? s->boot_id : "-", (long long)dyn_now_ms());
	for (i = 0; i < s->n; i++) {
		const struct dyn_entry *x = &s->e[i];
		char a[2 * INET6_ADDRSTRLEN + 1];
		size_t w;

		inet_ntop(x->len == 16 ? AF_INET6 : AF_INET, x->key, a, sizeof(a));
		if (memcmp(x->key, x->hi, x->len)) {
			w = strlen(a);
			a[w] = '-';
			inet_ntop(x->len == 16 ? AF_INET6 : AF_INET, x->hi, a + w + 1, (socklen_t)(sizeof(a) - w - 1));
		}
		/* -1: lasting */
		ob_printf(&b, "e %d %s %s %lld %lld\n", x->len == 16 ? 6 : 4, dyn_set_name(x->set), a,
			  x->lasting ? -1LL : (long long)x->expires, (long long)x->created);
	}
	for (i = 0; i < s->nans; i++) {
		const struct dyn_answer *x = &s->ans[i];
		char a[INET6_ADDRSTRLEN];

		/* A name the file cannot hold is looked up afresh instead. */
		if (!name_ok(x->name))
			continue;
		inet_ntop(x->family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, x->addr, a, sizeof(a));
		ob_printf(&b, "n %d %s %s %s\n", x->family == NFPROTO_IPV6 ? 6 : 4, dyn_set_name(x->set), a, x->name);
		lines++;
	}
	ob_printf(&b, "end %zu %016llx\n", lines, (unsigned long long)hash(b.p, b.n));
	/* The state directory may be one others can write: the file is
	 * replaced whole, never written through a link planted there. */
	sf = safefile_open(path, 0600);
	if (sf) {
		fwrite(b.p, 1, b.n, safefile_stream(sf));
		ret = safefile_commit(sf);
	}
	e = errno;
	free(b.p);
	errno = e;
	return sf ? ret : -1;
}

static int corrupt(struct dyn_state *s, char *why, size_t size, unsigned line, const char *what)
{
	if (line)
		snprintf(why, size, "line %u: %s", line, what);
	else
		snprintf(why, size, "%s", what);
	dyn_state_free(s);
	return -2;
}

int dyn_state_load(struct dyn_state *s, const char *path, char *why, size_t whysize)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *p, *last, *nl;
	size_t cap = 0, n = 0, count = 0, want;
	unsigned long long h;
	unsigned line = 0;
	char extra, hex[17];
	int rc = 0;

	dyn_state_init(s);
	if (!f)
		return errno == ENOENT ? 1 : -1;
	for (;;) {
		size_t r;

		if (cap - n < 65536) {
			cap = cap * 2 + 65536;
			buf = xrealloc(buf, cap + 1);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		errno = e;
		return -1;
	}
	fclose(f);
	buf[n] = 0;
	if (n < sizeof(MAGIC) - 1 || memcmp(buf, MAGIC, sizeof(MAGIC) - 1)) {
		rc = corrupt(s, why, whysize, 1, "not a rosfwd state file (version 1)");
		goto out;
	}
	/* The closing line first: it vouches for everything before it. */
	if (buf[n - 1] != '\n' || memchr(buf, 0, n)) {
		rc = corrupt(s, why, whysize, 0, "truncated (no closing line)");
		goto out;
	}
	buf[n - 1] = 0;
	last = strrchr(buf, '\n');
	/* The checksum exactly as written: 16 lowercase hex digits. */
	if (!last || sscanf(++last, "end %zu %16[0-9a-f]%c", &want, hex, &extra) != 2 || strlen(hex) != 16) {
		rc = corrupt(s, why, whysize, 0, "truncated (no closing line)");
		goto out;
	}
	h = strtoull(hex, NULL, 16);
	if (h != hash(buf, (size_t)(last - buf))) {
		rc = corrupt(s, why, whysize, 0, "checksum mismatch: the file was altered or torn");
		goto out;
	}
	last[-1] = 0;
	for (p = buf; p; p = nl ? nl + 1 : NULL) {
		char fam[4], set[256], addr[128], name[256], *dash;
		long long a, b;
		struct dyn_entry e = { 0 };

		line++;
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (line == 1)
			continue;
		if (!strncmp(p, "boot ", 5)) {
			snprintf(s->boot_id, sizeof(s->boot_id), "%s", strcmp(p + 5, "-") ? p + 5 : "");
		} else if (sscanf(p, "saved %lld%c", &a, &extra) == 1) {
			s->saved = a;
		} else if (sscanf(p, "e %3s %255s %127s %lld %lld%c", fam, set, addr, &a, &b, &extra) == 5) {
			e.family = strcmp(fam, "6") ? NFPROTO_IPV4 : NFPROTO_IPV6;
			e.len = e.family == NFPROTO_IPV6 ? 16 : 4;
			dash = strchr(addr, '-');
			if (dash)
				*dash++ = 0;
			if ((strcmp(fam, "4") && strcmp(fam, "6")) || !name_ok(set) ||
			    !kname_is_addrlist(set) || inet_pton(e.len == 16 ? AF_INET6 : AF_INET, addr, e.key) != 1 ||
			    (dash && (kname_set_kind(set) != KNAME_LIST_RT ||
				      inet_pton(e.len == 16 ? AF_INET6 : AF_INET, dash, e.hi) != 1 ||
				      memcmp(e.key, e.hi, e.len) > 0)) ||
			    a < -1 || b < 0) {
				rc = corrupt(s, why, whysize, line, "not an entry");
				goto out;
			}
			if (!dash)
				memcpy(e.hi, e.key, e.len);
			e.lasting = a == -1;
			e.expires = a < 0 ? 0 : a;
			e.created = b;
			e.set = dyn_set_id(set);
			state_add_set(s, e.set);
			dyn_state_add(s, &e);
			count++;
		} else if (sscanf(p, "n %3s %255s %63s %255s%c", fam, set, addr, name, &extra) == 4) {
			uint8_t x[16] = { 0 };
			uint8_t af = strcmp(fam, "6") ? NFPROTO_IPV4 : NFPROTO_IPV6;

			if ((strcmp(fam, "4") && strcmp(fam, "6")) || !name_ok(set) || !name_ok(name) ||
			    !kname_is_addrlist(set) || inet_pton(af == NFPROTO_IPV6 ? AF_INET6 : AF_INET, addr, x) != 1) {
				rc = corrupt(s, why, whysize, line, "not a DNS answer");
				goto out;
			}
			dyn_state_add_answer(s, af, dyn_set_id(set), x, name);
			count++;
		} else {
			rc = corrupt(s, why, whysize, line, "unknown line");
			goto out;
		}
	}
	if (count != want || !s->saved)
		rc = corrupt(s, why, whysize, line + 1, "the count of entries or the save time is wrong");
	else
		dyn_state_seal(s);
out:
	free(buf);
	return rc;
}
