/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Script values: making, copying, printing and converting them as RouterOS
 * does (reference: the scripting manual's "Data types" and "Commands").
 */
#include "script_value.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* What the values alive now hold; the interpreter compares it with its
 * budget after each statement. */
static size_t mem_used;
/* What values have been made, ever: copying a 1 MB string 1000 times
 * holds 1 MB but costs a gigabyte of work, which the budget counts. */
static size_t mem_made;

size_t script_mem_used(void)
{
	return mem_used;
}

size_t script_mem_made(void)
{
	return mem_made;
}

/* Held, not made: making a variable costs its statement's step. */
void script_mem_hold(size_t n)
{
	mem_used += n;
}

void script_mem_release(size_t n)
{
	mem_used -= n;
}

/* Past it, :toarray stops splitting: a 100 MB string of commas would make
 * forty times that in elements before the interpreter's next check. */
static size_t mem_limit;
static bool mem_stopped;

void script_mem_set_limit(size_t max)
{
	mem_limit = max;
	mem_stopped = false;
}

bool script_mem_stopped(void)
{
	bool r = mem_stopped;

	mem_stopped = false;
	return r;
}

void sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

struct sval sv_nothing(void)
{
	struct sval v = { .t = SV_NOTHING };

	return v;
}

struct sval sv_num(int64_t n)
{
	struct sval v = { .t = SV_NUM, .u.n = n };

	return v;
}

struct sval sv_bool(bool b)
{
	struct sval v = { .t = SV_BOOL, .u.b = b };

	return v;
}

struct sval sv_str(const char *s, size_t n)
{
	struct sval v = { .t = SV_STR };

	v.u.s.p = xmalloc(n + 1);
	memcpy(v.u.s.p, s, n);
	v.u.s.p[n] = '\0';
	v.u.s.len = n;
	mem_used += n + 1;
	mem_made += n + 1;
	return v;
}

struct sval sv_str_take(struct sbuf *b)
{
	struct sval v = { .t = SV_STR };

	if (!b->p)
		sbuf_put(b, "", 0);
	v.u.s.p = b->p;
	v.u.s.len = b->len;
	mem_used += b->len + 1;
	mem_made += b->len + 1;
	b->p = NULL;
	b->len = b->cap = 0;
	return v;
}

struct sval sv_array(void)
{
	struct sval v = { .t = SV_ARRAY };

	v.u.a = xcalloc(1, sizeof(*v.u.a));
	mem_used += sizeof(*v.u.a);
	return v;
}

struct sval sv_code(const struct scode *c)
{
	struct sval v = { .t = SV_CODE };

	v.u.code = xmalloc(sizeof(*c));
	*v.u.code = *c;
	mem_used += sizeof(*c);
	return v;
}

static void sa_grow(struct sarray *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 4;

		mem_used += (cap - a->cap) * sizeof(*a->v);
		mem_made += (cap - a->cap) * sizeof(*a->v);
		a->cap = cap;
		a->v = xreallocarray(a->v, cap, sizeof(*a->v));
	}
}

static char *key_dup(const char *k, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, k, n);
	p[n] = '\0';
	mem_used += n + 1;
	mem_made += n + 1;
	return p;
}

struct sval sv_copy(const struct sval *v)
{
	struct sval r = *v;
	size_t i;

	switch (v->t) {
	case SV_STR:
		return sv_str(v->u.s.p, v->u.s.len);
	case SV_CODE:
		return sv_code(v->u.code);
	case SV_ARRAY:
		r = sv_array();
		for (i = 0; i < v->u.a->n; i++) {
			const struct sentry *e = &v->u.a->v[i];

			sa_grow(r.u.a);
			r.u.a->v[r.u.a->n].key = e->key ? key_dup(e->key, strlen(e->key)) : NULL;
			r.u.a->v[r.u.a->n++].v = sv_copy(&e->v);
		}
		r.u.a->nlist = v->u.a->nlist;
		r.u.a->mixed = v->u.a->mixed;
		return r;
	default:
		return r;
	}
}

void sv_free(struct sval *v)
{
	size_t i;

	switch (v->t) {
	case SV_STR:
		mem_used -= v->u.s.len + 1;
		free(v->u.s.p);
		break;
	case SV_CODE:
		mem_used -= sizeof(*v->u.code);
		free(v->u.code);
		break;
	case SV_ARRAY:
		for (i = 0; i < v->u.a->n; i++) {
			if (v->u.a->v[i].key) {
				mem_used -= strlen(v->u.a->v[i].key) + 1;
				free(v->u.a->v[i].key);
			}
			sv_free(&v->u.a->v[i].v);
		}
		mem_used -= v->u.a->cap * sizeof(*v->u.a->v) + sizeof(*v->u.a);
		free(v->u.a->v);
		free(v->u.a);
		break;
	default:
		break;
	}
	v->t = SV_NOTHING;
}

void sa_push(struct sarray *a, struct sval v)
{
	sa_grow(a);
	if (a->n > a->nlist)
		a->mixed = true;
	a->nlist++;
	a->v[a->n].key = NULL;
	a->v[a->n++].v = v;
}

/* A key is a C string: a str with a NUL in it keys by what comes before
 * (stored whole, it could never be found again). */
static size_t key_len(const char *k, size_t n)
{
	const char *z = memchr(k, '\0', n);

	return z ? (size_t)(z - k) : n;
}

/* strcmp's order, for a key of n bytes. */
static int key_cmp(const char *ek, const char *k, size_t n)
{
	size_t el = strlen(ek);
	int c = memcmp(ek, k, el < n ? el : n);

	return c ? c : (el > n) - (el < n);
}

/* Where key is, or would go: the first keyed element not below it. */
static size_t key_at(const struct sarray *a, const char *key, size_t n)
{
	size_t lo, hi;

	if (a->mixed) {
		for (lo = 0; lo < a->n; lo++)
			if (a->v[lo].key && key_cmp(a->v[lo].key, key, n) >= 0)
				return lo;
		return a->n;
	}
	for (lo = a->nlist, hi = a->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(a->v[mid].key, key, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct sval *sa_get(struct sarray *a, const char *key, size_t n)
{
	size_t at;

	n = key_len(key, n);
	at = key_at(a, key, n);

	if (at < a->n && a->v[at].key && !key_cmp(a->v[at].key, key, n))
		return &a->v[at].v;
	return NULL;
}

struct sval *sa_index(struct sarray *a, size_t i)
{
	size_t k;

	if (i >= a->nlist)
		return NULL;
	if (!a->mixed)
		return &a->v[i].v;
	for (k = 0; k < a->n; k++)
		if (!a->v[k].key && !i--)
			return &a->v[k].v;
	return NULL;
}

/* RouterOS keeps a key=value array in key order. */
void sa_set(struct sarray *a, const char *key, size_t n, struct sval v)
{
	size_t at;

	n = key_len(key, n);
	at = key_at(a, key, n);

	if (at < a->n && a->v[at].key && !key_cmp(a->v[at].key, key, n)) {
		sv_free(&a->v[at].v);
		a->v[at].v = v;
		return;
	}
	sa_grow(a);
	memmove(&a->v[at + 1], &a->v[at], (a->n - at) * sizeof(*a->v));
	a->v[at].key = key_dup(key, n);
	a->v[at].v = v;
	a->n++;
}

/* ---- reading words ---------------------------------------------------- */

static bool parse_int(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t r = 0;

	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i + 2 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		for (i += 2; i < n; i++) {
			int c = s[i], d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;

			if (d < 0 || r > (UINT64_MAX >> 4))
				return false;
			r = r * 16 + (uint64_t)d;
		}
		*out = (int64_t)(neg ? 0 - r : r);
		return true;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || r > (uint64_t)INT64_MAX / 10)
			return false;
		r = r * 10 + (uint64_t)(s[i] - '0');
	}
	if (r > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? -(int64_t)r : (int64_t)r;
	return true;
}

static bool parse_addr(const char *s, size_t n, int af, struct sval *v)
{
	char buf[64];
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	int64_t plen = -1;

	if (an >= sizeof(buf))
		return false;
	memcpy(buf, s, an);
	buf[an] = '\0';
	memset(v, 0, sizeof(*v));
	if (inet_pton(af, buf, v->u.ip.a) != 1)
		return false;
	if (slash && (!parse_int(slash + 1, n - an - 1, &plen) || plen < 0 || plen > (af == AF_INET ? 32 : 128) ||
		      slash[1] == '-' || slash[1] == '+'))
		return false;
	v->t = af == AF_INET ? (slash ? SV_IPPREFIX : SV_IP) : (slash ? SV_IP6PREFIX : SV_IP6);
	v->u.ip.plen = (uint8_t)(slash ? plen : af == AF_INET ? 32 : 128);
	return true;
}

/* 1w2d3h4m5s, 500ms, 1d02:03:04, 00:00:10.5: RouterOS's time forms. */
static bool parse_time(const char *s, size_t n, int64_t *ns)
{
	static const struct {
		const char *unit;
		int64_t ns;
	} units[] = {
		{ "ms", 1000000LL }, { "us", 1000LL }, { "ns", 1LL }, { "w", 604800000000000LL },
		{ "d", 86400000000000LL }, { "h", 3600000000000LL }, { "m", 60000000000LL }, { "s", 1000000000LL },
	};
	size_t i = 0, u;
	int64_t total = 0;
	bool any = false, neg = false;

	if (n && s[0] == '-') {
		neg = true;
		i = 1;
	}
	while (i < n) {
		size_t d = i;
		int64_t v = 0;

		while (d < n && s[d] >= '0' && s[d] <= '9') {
			if (v > 1000000000000LL)
				return false;
			v = v * 10 + (s[d++] - '0');
		}
		if (d == i)
			return false;
		if (d < n && s[d] == ':') {
			/* hh:mm:ss[.frac] ends the text */
			int64_t mm = 0, ss = 0, frac = 0, scale = 100000000LL;
			size_t e = d + 1;

			if (e + 2 > n || n - e < 5 || s[e + 2] != ':')
				return false;
			mm = (s[e] - '0') * 10 + (s[e + 1] - '0');
			ss = (s[e + 3] - '0') * 10 + (s[e + 4] - '0');
			if (!(s[e] >= '0' && s[e] <= '5' && s[e + 1] >= '0' && s[e + 1] <= '9' && s[e + 3] >= '0' &&
			      s[e + 3] <= '5' && s[e + 4] >= '0' && s[e + 4] <= '9'))
				return false;
			e += 5;
			if (e < n && s[e] == '.') {
				for (e++; e < n && s[e] >= '0' && s[e] <= '9'; e++, scale /= 10)
					frac += (s[e] - '0') * scale;
			}
			if (e != n)
				return false;
			/* past int64's nanoseconds it is no time (a word) */
			if (__builtin_mul_overflow(v, 3600000000000LL, &v) || __builtin_add_overflow(total, v, &total) ||
			    __builtin_add_overflow(total, mm * 60000000000LL + ss * 1000000000LL + frac, &total))
				return false;
			*ns = neg ? -total : total;
			return true;
		}
		for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			size_t ul = strlen(units[u].unit);

			if (d + ul <= n && !memcmp(s + d, units[u].unit, ul))
				break;
		}
		if (u == sizeof(units) / sizeof(units[0])) {
			/* a bare number at the end counts seconds (`:totime 90`) */
			if (d != n)
				return false;
			if (__builtin_mul_overflow(v, 1000000000LL, &v) || __builtin_add_overflow(total, v, &total))
				return false;
			any = true;
			break;
		}
		if (__builtin_mul_overflow(v, units[u].ns, &v) || __builtin_add_overflow(total, v, &total))
			return false;
		any = true;
		i = d + strlen(units[u].unit);
	}
	if (!any)
		return false;
	*ns = neg ? -total : total;
	return true;
}

struct sval sv_guess(const char *s, size_t n)
{
	struct sval v;
	int64_t x;

	if (!n)
		return sv_str(s, n);
	if (((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && n > 1)) && parse_int(s, n, &x))
		return sv_num(x);
	if (memchr(s, '.', n) && !memchr(s, ':', n) && parse_addr(s, n, AF_INET, &v))
		return v;
	if (memchr(s, ':', n) && parse_addr(s, n, AF_INET6, &v))
		return v;
	if ((s[0] >= '0' && s[0] <= '9') && parse_time(s, n, &x)) {
		v.t = SV_TIME;
		v.u.n = x;
		return v;
	}
	if (n == 4 && !memcmp(s, "true", 4))
		return sv_bool(true);
	if (n == 5 && !memcmp(s, "false", 5))
		return sv_bool(false);
	return sv_str(s, n);
}

/* ---- printing --------------------------------------------------------- */

static void time_append(struct sbuf *b, int64_t ns)
{
	char t[96];
	uint64_t mag = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;	/* INT64_MIN too */
	int64_t s, frac;
	size_t o = 0;

	if (ns < 0)
		sbuf_put(b, "-", 1);
	s = (int64_t)(mag / 1000000000ULL);
	frac = (int64_t)(mag % 1000000000ULL);
	if (s >= 604800)
		o += (size_t)snprintf(t + o, sizeof(t) - o, "%lldw", (long long)(s / 604800));
	if (s % 604800 >= 86400)
		o += (size_t)snprintf(t + o, sizeof(t) - o, "%lldd", (long long)(s % 604800 / 86400));
	o += (size_t)snprintf(t + o, sizeof(t) - o, "%02lld:%02lld:%02lld", (long long)(s % 86400 / 3600),
			      (long long)(s % 3600 / 60), (long long)(s % 60));
	if (frac) {
		o += (size_t)snprintf(t + o, sizeof(t) - o, ".%09lld", (long long)frac);
		while (t[o - 1] == '0')
			t[--o] = '\0';
	}
	sbuf_put(b, t, o);
}

void sv_append(struct sbuf *b, const struct sval *v)
{
	char t[INET6_ADDRSTRLEN + 8];
	size_t i;

	switch (v->t) {
	case SV_NOTHING:
	case SV_NIL:
		sbuf_put(b, "", 0);
		break;
	case SV_STR:
		sbuf_put(b, v->u.s.p, v->u.s.len);
		break;
	case SV_NUM:
		snprintf(t, sizeof(t), "%lld", (long long)v->u.n);
		sbuf_puts(b, t);
		break;
	case SV_BOOL:
		sbuf_puts(b, v->u.b ? "true" : "false");
		break;
	case SV_IP:
	case SV_IPPREFIX:
	case SV_IP6:
	case SV_IP6PREFIX:
		inet_ntop(v->t <= SV_IPPREFIX ? AF_INET : AF_INET6, v->u.ip.a, t, sizeof(t));
		sbuf_puts(b, t);
		if (v->t == SV_IPPREFIX || v->t == SV_IP6PREFIX) {
			snprintf(t, sizeof(t), "/%u", v->u.ip.plen);
			sbuf_puts(b, t);
		}
		break;
	case SV_TIME:
		time_append(b, v->u.n);
		break;
	case SV_ARRAY:
		for (i = 0; i < v->u.a->n; i++) {
			if (i)
				sbuf_put(b, ";", 1);
			if (v->u.a->v[i].key) {
				sbuf_puts(b, v->u.a->v[i].key);
				sbuf_put(b, "=", 1);
			}
			sv_append(b, &v->u.a->v[i].v);
		}
		break;
	case SV_ID:
		snprintf(t, sizeof(t), "*%x", v->u.id);
		sbuf_puts(b, t);
		break;
	case SV_CODE:
		sbuf_put(b, v->u.code->text, v->u.code->len);
		break;
	}
	if (!b->p)
		sbuf_put(b, "", 0);
}

char *sv_text(const struct sval *v, size_t *len)
{
	struct sbuf b = { 0 };

	sv_append(&b, v);
	if (len)
		*len = b.len;
	return b.p;
}

const char *sv_typeof(const struct sval *v)
{
	static const char *const names[] = {
		[SV_NOTHING] = "nothing", [SV_NIL] = "nil", [SV_STR] = "str", [SV_NUM] = "num",
		[SV_BOOL] = "bool", [SV_IP] = "ip", [SV_IPPREFIX] = "ip-prefix", [SV_IP6] = "ip6",
		[SV_IP6PREFIX] = "ip6-prefix", [SV_TIME] = "time", [SV_ARRAY] = "array", [SV_ID] = "id",
		[SV_CODE] = "code",
	};

	return names[v->t];
}

/* ---- conversions ------------------------------------------------------ */

static struct sval nil(void)
{
	struct sval v = { .t = SV_NIL };

	return v;
}

struct sval sv_to_str(const struct sval *v)
{
	struct sbuf b = { 0 };

	sv_append(&b, v);
	return sv_str_take(&b);
}

struct sval sv_to_num(const struct sval *v)
{
	int64_t x;

	switch (v->t) {
	case SV_NUM:
		return *v;
	case SV_BOOL:
		return sv_num(v->u.b);
	case SV_TIME:
		return sv_num(v->u.n / 1000000000LL);
	case SV_IP:
		return sv_num((int64_t)(((uint32_t)v->u.ip.a[0] << 24) | ((uint32_t)v->u.ip.a[1] << 16) |
					((uint32_t)v->u.ip.a[2] << 8) | v->u.ip.a[3]));
	case SV_STR:
		return parse_int(v->u.s.p, v->u.s.len, &x) ? sv_num(x) : nil();
	default:
		return nil();
	}
}

static struct sval to_addr(const struct sval *v, int af)
{
	struct sval r;

	if ((af == AF_INET && (v->t == SV_IP || v->t == SV_IPPREFIX)) ||
	    (af == AF_INET6 && (v->t == SV_IP6 || v->t == SV_IP6PREFIX)))
		return *v;
	if (af == AF_INET && v->t == SV_NUM && v->u.n >= 0 && v->u.n <= 0xffffffffLL) {
		memset(&r, 0, sizeof(r));
		r.t = SV_IP;
		r.u.ip.a[0] = (uint8_t)(v->u.n >> 24);
		r.u.ip.a[1] = (uint8_t)(v->u.n >> 16);
		r.u.ip.a[2] = (uint8_t)(v->u.n >> 8);
		r.u.ip.a[3] = (uint8_t)v->u.n;
		r.u.ip.plen = 32;
		return r;
	}
	if (v->t == SV_STR && parse_addr(v->u.s.p, v->u.s.len, af, &r))
		return r;
	return nil();
}

struct sval sv_to_ip(const struct sval *v)
{
	return to_addr(v, AF_INET);
}

struct sval sv_to_ip6(const struct sval *v)
{
	return to_addr(v, AF_INET6);
}

struct sval sv_to_time(const struct sval *v)
{
	struct sval r = { .t = SV_TIME };

	if (v->t == SV_TIME)
		return *v;
	if (v->t == SV_NUM) {
		/* seconds past int64's nanoseconds are no time */
		if (__builtin_mul_overflow(v->u.n, 1000000000LL, &r.u.n))
			return nil();
		return r;
	}
	if (v->t == SV_STR && parse_time(v->u.s.p, v->u.s.len, &r.u.n))
		return r;
	return nil();
}

struct sval sv_to_bool(const struct sval *v)
{
	if (v->t == SV_BOOL)
		return *v;
	if (v->t == SV_NUM)
		return sv_bool(v->u.n != 0);
	if (v->t == SV_STR) {
		if (!strcmp(v->u.s.p, "true") || !strcmp(v->u.s.p, "yes"))
			return sv_bool(true);
		if (!strcmp(v->u.s.p, "false") || !strcmp(v->u.s.p, "no"))
			return sv_bool(false);
	}
	return nil();
}

/* A str splits at ',' (RouterOS's :toarray); other values make a list of one. */
struct sval sv_to_array(const struct sval *v)
{
	struct sval r;
	const char *s, *e, *end;

	if (v->t == SV_ARRAY)
		return sv_copy(v);
	r = sv_array();
	if (v->t == SV_NOTHING || v->t == SV_NIL)
		return r;
	if (v->t != SV_STR) {
		sa_push(r.u.a, sv_copy(v));
		return r;
	}
	if (!v->u.s.len)
		return r;
	for (s = v->u.s.p, end = s + v->u.s.len; s <= end; s = e + 1) {
		e = memchr(s, ',', (size_t)(end - s));
		if (!e)
			e = end;
		sa_push(r.u.a, sv_guess(s, (size_t)(e - s)));
		if (e == end)
			break;
		if (mem_limit && mem_used > mem_limit) {
			mem_stopped = true;
			break;
		}
	}
	return r;
}

bool sv_truth(const struct sval *v)
{
	struct sval b = sv_to_bool(v);

	if (b.t == SV_BOOL)
		return b.u.b;
	return v->t == SV_STR ? v->u.s.len > 0 : v->t == SV_ARRAY ? v->u.a->n > 0 : v->t != SV_NOTHING && v->t != SV_NIL;
}

static bool is_empty(const struct sval *v)
{
	return v->t == SV_NOTHING || v->t == SV_NIL || (v->t == SV_STR && !v->u.s.len) ||
	       (v->t == SV_ARRAY && !v->u.a->n);
}

bool sv_equal(const struct sval *a, const struct sval *b)
{
	size_t i;

	if (is_empty(a) || is_empty(b))
		return is_empty(a) && is_empty(b);
	if (a->t == SV_STR || b->t == SV_STR || a->t != b->t) {
		size_t la, lb;
		char *x = sv_text(a, &la), *y = sv_text(b, &lb);
		bool r = la == lb && !memcmp(x, y, la);

		free(x);
		free(y);
		return r;
	}
	switch (a->t) {
	case SV_NUM:
	case SV_TIME:
		return a->u.n == b->u.n;
	case SV_BOOL:
		return a->u.b == b->u.b;
	case SV_IP:
	case SV_IPPREFIX:
	case SV_IP6:
	case SV_IP6PREFIX:
		return a->u.ip.plen == b->u.ip.plen && !memcmp(a->u.ip.a, b->u.ip.a, 16);
	case SV_ID:
		return a->u.id == b->u.id;
	case SV_ARRAY:
		if (a->u.a->n != b->u.a->n)
			return false;
		for (i = 0; i < a->u.a->n; i++) {
			const char *ka = a->u.a->v[i].key, *kb = b->u.a->v[i].key;

			/* {a=1} is not {b=1} */
			if (!ka != !kb || (ka && strcmp(ka, kb)) || !sv_equal(&a->u.a->v[i].v, &b->u.a->v[i].v))
				return false;
		}
		return true;
	default:
		return false;
	}
}
