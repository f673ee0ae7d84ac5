/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The value types of RouterOS properties: for each enum vtype one parser,
 * which checks the text and makes the parsed value (struct pvalue) the
 * model keeps, and one printer, which writes a parsed value back as
 * RouterOS text; the vtypes[] table at the bottom holds both.
 *
 * Values arrive unquoted, with a length and no terminating NUL, and may be
 * up to 64 KB long. Nothing here reads past that length; the only copies
 * are small bounded stack buffers (quoted excerpts for messages), and an
 * element too long for one is an error rather than a silent truncation.
 * What does not fit in union pval goes to the model's arena.
 */
#include "value.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "text.h"

/* The value being parsed; parsers get (off, len) of the part they look at
 * so every error can point into the original text. @out is never NULL;
 * without @arena nothing beyond it is kept (a check only). */
struct vctx {
	const struct prop_def *p;
	enum menu_kind m;
	const char *v;
	size_t vlen;
	struct verr *e;
	struct pvalue *out;
	struct arena *arena;
};

typedef bool (*parse_fn)(const struct vctx *c, size_t off, size_t len);

/* A parsed value to print, with the text it was parsed from (after any
 * '!', which pvalue_print writes). */
struct vprint {
	const struct prop_def *p;
	enum menu_kind m;
	const struct pvalue *pv;
	const char *text;
	size_t len;
};

typedef void (*print_fn)(FILE *out, const struct vprint *pr);

#define QUOTE_MAX 40
#define DAY_MS (24ull * 3600 * 1000)

/* ---------------------------------------------------------------- errors */

/* An excerpt of s for a message: long text is cut (on a UTF-8 boundary)
 * and marked with "...". Control bytes stay for the printer to escape
 * (diag_print: \x1b, JSON: \u001b), but NUL, which would end the message:
 * it becomes '?'. */
static const char *quote(char *buf, size_t size, const char *s, size_t n)
{
	size_t i, k = n > QUOTE_MAX ? QUOTE_MAX : n;

	if (k >= size - 4)
		k = size - 4;
	if (k < n)
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	for (i = 0; i < k; i++) {
		unsigned char ch = (unsigned char)s[i];

		buf[i] = ch ? (char)ch : '?';
	}
	if (k < n) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static bool fail(const struct vctx *c, size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool fail(const struct vctx *c, size_t off, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->e->msg, sizeof(c->e->msg), fmt, ap);
	va_end(ap);
	if (c->vlen) {
		if (off >= c->vlen) {
			off = c->vlen - 1;
			len = 1;
		}
		if (len == 0)
			len = 1;
		if (len > c->vlen - off)
			len = c->vlen - off;
	} else {
		off = 0;
		len = 0;
	}
	c->e->off = off;
	c->e->len = len;
	return false;
}

/* The common message: what was expected and the offending text. */
static bool expected(const struct vctx *c, size_t off, size_t len, const char *what)
{
	char q[QUOTE_MAX + 8];

	return fail(c, off, len, "expected %s, got \"%s\"", what,
		    quote(q, sizeof(q), c->v + off, len));
}

/* ---------------------------------------------------------------- helpers */

static bool menu_v6(enum menu_kind m)
{
	return m > MK_NONE && m < MK__COUNT && (MB(m) & MB_V6);
}

/* Index of ch in s[0..n), or n. */
static size_t find(const char *s, size_t n, char ch)
{
	const char *q = n ? memchr(s, ch, n) : NULL;

	return q ? (size_t)(q - s) : n;
}

static int enum_index(const char *const *en, const char *s, size_t n)
{
	int i;

	for (i = 0; en && en[i]; i++)
		if (text_eq(s, n, en[i]))
			return i;
	return -1;
}

/* "a, b, c or d" into buf; NULL when that does not fit. */
static const char *enum_join(char *buf, size_t size, const char *const *en)
{
	size_t used = 0, n = 0;
	int i;

	buf[0] = '\0';
	while (en && en[n])
		n++;
	for (i = 0; en && en[i]; i++) {
		const char *sep = i == 0 ? "" : ((size_t)i == n - 1 ? " or " : ", ");
		int w = snprintf(buf + used, size - used, "%s%s", sep, en[i]);

		if (w < 0 || (size_t)w >= size - used)
			return NULL;
		used += (size_t)w;
	}
	return buf;
}

/* "expected one of a, b or c" or, for a list too long for a message, the
 * closest value: "expected one of the 20 values of action (closest:
 * mark-routing)". */
static bool enum_expected(const struct vctx *c, size_t off, size_t len, const char *prefix,
			  const char *const *en)
{
	char what[170], buf[140];
	const char *best = NULL;
	size_t n, d, best_d = (size_t)-1;

	if (enum_join(buf, sizeof(buf), en)) {
		snprintf(what, sizeof(what), "%s%s", prefix, buf);
		return expected(c, off, len, what);
	}
	for (n = 0; en[n]; n++) {
		d = text_distance(c->v + off, len, en[n], strlen(en[n]), text_typo_cap(len));
		if (d < best_d) {
			best_d = d;
			best = en[n];
		}
	}
	if (best && best_d <= text_typo_cap(len))
		snprintf(what, sizeof(what), "%sthe %zu values of %s (closest: %s)", prefix, n,
			 c->p->name, best);
	else
		snprintf(what, sizeof(what), "%sthe %zu values of %s (%s, %s, ...)", prefix, n,
			 c->p->name, en[0], en[1]);
	return expected(c, off, len, what);
}

static const char *addr_what(bool v6, bool dns)
{
	if (dns)
		return v6 ? "an IPv6 address, prefix, range or DNS name" :
			    "an IPv4 address, prefix, range or DNS name";
	return v6 ? "an IPv6 address, prefix or range" : "an IPv4 address, prefix or range";
}

/* Keep a parsed address: an IPv4 one in the value itself, an IPv6 one in
 * the arena. */
static void addr_keep(const struct vctx *c, const struct value_addr *a)
{
	struct pvalue *o = c->out;

	o->form = (uint8_t)a->kind;
	if (!a->v6) {
		memcpy(o->v.ip4.lo, a->lo, 4);
		memcpy(o->v.ip4.hi, a->hi, 4);
		return;
	}
	o->form |= VFORM_V6;
	if (c->arena) {
		struct value_addr *k = arena_alloc(c->arena, sizeof(*k));

		*k = *a;
		o->v.p = k;
	}
}

static bool addr_elem(const struct vctx *c, size_t off, size_t len, bool dns)
{
	/* v7's /routing rule holds IPv4 and IPv6 rules alike; the bridge
	 * menus have properties of their own for IPv6 addresses */
	bool v6 = menu_v6(c->m) || (c->m == MK_ROUTING_RULE && memchr(c->v + off, ':', len)) ||
		  c->p->id == P_SRC_ADDRESS6 || c->p->id == P_DST_ADDRESS6;
	struct value_addr a;
	size_t mo;
	char q[QUOTE_MAX + 8];

	switch (value_addr_parse(c->v + off, len, v6, &a, &mo)) {
	case VAE_OK:
		addr_keep(c, &a);
		return true;
	case VAE_PLEN:
		return fail(c, off + mo, len - mo, "expected a prefix length 0-%d, got \"%s\"",
			    v6 ? 128 : 32, quote(q, sizeof(q), c->v + off + mo, len - mo));
	case VAE_MASK:
		return fail(c, off + mo, len - mo, "netmask \"%s\" is not contiguous",
			    quote(q, sizeof(q), c->v + off + mo, len - mo));
	case VAE_ORDER:
		return fail(c, off, len, "address range \"%s\" starts after it ends",
			    quote(q, sizeof(q), c->v + off, len));
	case VAE_SYNTAX:
		break;
	}
	/* Report the whole element: with a typo in one half of a range the
	 * user still needs to see which element it was. */
	return expected(c, off, len, addr_what(v6, dns));
}

/* ------------------------------------------------------------------ lists */

typedef bool (*elem_fn)(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg);

/* Calls fn for each comma-separated element of v[off..off+len). */
static bool list_each(const struct vctx *c, size_t off, size_t len, elem_fn fn, void *arg)
{
	size_t i = off, end = off + len, idx = 0;

	for (;;) {
		size_t e = i + find(c->v + i, end - i, ',');

		if (e == i)
			return fail(c, e < end ? e : i - 1, 1, "empty element in a comma list");
		if (!fn(c, i, e - i, idx++, arg))
			return false;
		if (e == end)
			return true;
		i = e + 1;
	}
}

/* Counts the comma-separated parts of v[off..off+len) and stores at most
 * max of their (offset, length) pairs. */
static size_t split(const struct vctx *c, size_t off, size_t len, char sep,
		    size_t *po, size_t *pl, size_t max)
{
	size_t i = off, end = off + len, n = 0;

	for (;;) {
		size_t e = i + find(c->v + i, end - i, sep);

		if (n < max) {
			po[n] = i;
			pl[n] = e - i;
		}
		n++;
		if (e == end)
			return n;
		i = e + 1;
	}
}

/* --------------------------------------------------------------- printing */

static void print_range(FILE *out, const struct vrange *r)
{
	fprintf(out, "%u", r->lo);
	if (r->hi != r->lo)
		fprintf(out, "-%u", r->hi);
}

/* Milliseconds as RouterOS writes a time: 1w2d3h4m5s, 100ms, 0s. */
static void print_time(FILE *out, uint64_t ms)
{
	static const struct {
		uint64_t ms;
		const char *unit;
	} units[] = {
		{ 7 * DAY_MS, "w" }, { DAY_MS, "d" }, { 3600000, "h" }, { 60000, "m" }, { 1000, "s" }, { 1, "ms" },
	};
	size_t i;

	if (!ms) {
		fputs("0s", out);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms >= units[i].ms) {
			fprintf(out, "%llu%s", (unsigned long long)(ms / units[i].ms), units[i].unit);
			ms %= units[i].ms;
		}
	}
}

/* ------------------------------------------------------ text and names */

static bool parse_text(const struct vctx *c, size_t off, size_t len)
{
	(void)c;
	(void)off;
	(void)len;
	return true;
}

static void print_text(FILE *out, const struct vprint *pr)
{
	fwrite(pr->text, 1, pr->len, out);
}

static bool name_elem(const struct vctx *c, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)c->v[off + i];

		if (ch < 0x20 || ch == 0x7f)
			return fail(c, off + i, 1, "expected a name, got a control character (0x%02x)",
				    ch);
	}
	return true;
}

/* The name is the text after the '!': nothing to keep but the form. */
static bool parse_name(const struct vctx *c, size_t off, size_t len)
{
	size_t comma = find(c->v + off, len, ',');
	char q[QUOTE_MAX + 8];

	/* RouterOS takes one name here; "a,!b" is not a list of lists (the
	 * whole text would be one literal name that no list ever has). */
	if (comma < len)
		return fail(c, off + comma + 1, len - comma - 1,
			    "expected one name, %s takes no comma list; \"%s\" follows a comma",
			    c->p->name,
			    quote(q, sizeof(q), c->v + off + comma + 1, len - comma - 1));
	return name_elem(c, off, len);
}

/* The elements of a comma list, each (offset, length) in the text. */
static struct vnames *names_alloc(const struct vctx *c, size_t off, size_t len)
{
	size_t n = 1, i;
	struct vnames *ns;

	if (!c->arena)
		return NULL;
	for (i = 0; i < len; i++)
		n += c->v[off + i] == ',';
	ns = arena_alloc(c->arena, sizeof(*ns) + n * sizeof(ns->v[0]));
	c->out->v.p = ns;
	return ns;
}

static bool name_list_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	struct vnames *ns = arg;

	if (ns) {
		ns->v[idx].off = (uint32_t)off;
		ns->v[idx].len = (uint32_t)len;
		ns->n = (uint32_t)idx + 1;
	}
	if ((c->p->flags & PF_LIST_NEG) && c->v[off] == '!') {
		off++;
		len--;
		if (!len)
			return fail(c, off - 1, 1, "expected a name after '!'");
	}
	return name_elem(c, off, len);
}

static bool parse_name_list(const struct vctx *c, size_t off, size_t len)
{
	return list_each(c, off, len, name_list_elem, names_alloc(c, off, len));
}

/* ------------------------------------------------------- yes/no, enums */

static bool parse_yesno(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;

	/* exports write yes/no; the console also takes true/false */
	c->out->v.u = text_eq(s, len, "yes") || text_eq(s, len, "true");
	if (c->out->v.u || text_eq(s, len, "no") || text_eq(s, len, "false"))
		return true;
	return expected(c, off, len, "yes or no");
}

static void print_yesno(FILE *out, const struct vprint *pr)
{
	fputs(pr->pv->v.u ? "yes" : "no", out);
}

static bool enum_elem(const struct vctx *c, size_t off, size_t len, int *idx)
{
	const char *const *en = prop_enums(c->p, c->m);

	if ((*idx = enum_index(en, c->v + off, len)) >= 0)
		return true;
	return enum_expected(c, off, len, "one of ", en);
}

static bool parse_enum(const struct vctx *c, size_t off, size_t len)
{
	int i;

	if (!enum_elem(c, off, len, &i))
		return false;
	c->out->v.u = (uint64_t)i;
	return true;
}

static void print_enum(FILE *out, const struct vprint *pr)
{
	fputs(prop_enums(pr->p, pr->m)[pr->pv->v.u], out);
}

/* One of the actions of the menu's rows. */
static bool parse_action(const struct vctx *c, size_t off, size_t len)
{
	const struct action_def *a = action_lookup_n(c->m, c->v + off, len);

	if (!a)
		return enum_expected(c, off, len, "one of ", action_names(c->m));
	c->out->v.u = a->id;
	return true;
}

static void print_action(FILE *out, const struct vprint *pr)
{
	fputs(action_def((enum action_id)pr->pv->v.u)->name, out);
}

static bool enum_list_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	bool neg = false;
	int i;

	(void)idx;
	(void)arg;
	if ((c->p->flags & PF_LIST_NEG) && c->v[off] == '!') {
		off++;
		len--;
		neg = true;
		if (!len)
			return fail(c, off - 1, 1, "expected a value after '!'");
	}
	if (!enum_elem(c, off, len, &i))
		return false;
	c->out->v.u |= 1ull << (i + (neg ? 32 : 0));
	return true;
}

static bool parse_enum_list(const struct vctx *c, size_t off, size_t len)
{
	c->out->v.u = 0;
	return list_each(c, off, len, enum_list_elem, NULL);
}

static void print_enum_list(FILE *out, const struct vprint *pr)
{
	const char *const *en = prop_enums(pr->p, pr->m);
	const char *sep = "";
	int i;

	for (i = 0; en[i]; i++) {
		if (pr->pv->v.u & (1ull << i)) {
			fprintf(out, "%s%s", sep, en[i]);
			sep = ",";
		}
		if (pr->pv->v.u & (1ull << (i + 32))) {
			fprintf(out, "%s!%s", sep, en[i]);
			sep = ",";
		}
	}
}

/* --------------------------------------------------------------- numbers */

/* An integer within [lo, hi] with the message RouterOS users expect. */
static bool uint_in(const struct vctx *c, size_t off, size_t len, uint64_t lo, uint64_t hi,
		    const char *what, uint64_t *out)
{
	uint64_t x;
	char w[96];

	if (value_parse_uint(c->v + off, len, hi, &x) && x >= lo) {
		if (out)
			*out = x;
		return true;
	}
	snprintf(w, sizeof(w), "%s %llu-%llu", what, (unsigned long long)lo,
		 (unsigned long long)hi);
	return expected(c, off, len, w);
}

static uint64_t p_min(const struct prop_def *p)
{
	return p->min > 0 ? (uint64_t)p->min : 0;
}

static uint64_t p_max(const struct prop_def *p, uint64_t dflt)
{
	return p->max > 0 ? (uint64_t)p->max : dflt;
}

static bool parse_uint(const struct vctx *c, size_t off, size_t len)
{
	return uint_in(c, off, len, p_min(c->p), p_max(c->p, UINT32_MAX), "an integer", &c->out->v.u);
}

static void print_uint(FILE *out, const struct vprint *pr)
{
	fprintf(out, "%llu", (unsigned long long)pr->pv->v.u);
}

/* One number kept as a range of one, for the types lowering reads as a
 * list (dscp, priority). */
static bool uint_one(const struct vctx *c, size_t off, size_t len, uint64_t hi, const char *what)
{
	uint64_t x;

	if (!uint_in(c, off, len, 0, hi, what, &x))
		return false;
	c->out->v.r.lo = c->out->v.r.hi = (uint32_t)x;
	return true;
}

/* N or N-M within [lo, hi]; what names one number ("a port"). */
/* "a port or port range 0-65535": only for the error, never made when
 * the value is good (every port of every rule comes through here). */
static bool range_expected(const struct vctx *c, size_t off, size_t len, uint64_t lo, uint64_t hi,
			   const char *what)
{
	char w[96];

	snprintf(w, sizeof(w), "%s or %s range %llu-%llu", what, strchr(what, ' ') + 1,
		 (unsigned long long)lo, (unsigned long long)hi);
	return expected(c, off, len, w);
}

static bool range_in(const struct vctx *c, size_t off, size_t len, uint64_t lo, uint64_t hi,
		     const char *what, struct vrange *r)
{
	const char *s = c->v + off;
	size_t dash = find(s, len, '-');
	uint64_t a, b;
	char q[QUOTE_MAX + 8];

	if (!value_parse_uint(s, dash, hi, &a) || a < lo)
		return range_expected(c, off, len, lo, hi, what);
	b = a;
	if (dash < len && (!value_parse_uint(s + dash + 1, len - dash - 1, hi, &b) || b < lo))
		return range_expected(c, off, len, lo, hi, what);
	if (a > b)
		return fail(c, off, len, "range \"%s\" starts after it ends",
			    quote(q, sizeof(q), s, len));
	r->lo = (uint32_t)a;
	r->hi = (uint32_t)b;
	return true;
}

static bool parse_uint_range(const struct vctx *c, size_t off, size_t len)
{
	size_t n = strlen(c->p->name);
	bool port = n >= 5 && !strcmp(c->p->name + n - 5, "ports"); /* to-ports */

	return range_in(c, off, len, p_min(c->p), p_max(c->p, 65535), port ? "a port" : "a number", &c->out->v.r);
}

static void print_one_range(FILE *out, const struct vprint *pr)
{
	print_range(out, &pr->pv->v.r);
}

static bool parse_tcp_mss(const struct vctx *c, size_t off, size_t len)
{
	return range_in(c, off, len, 0, 65535, "an MSS", &c->out->v.r);
}

static bool parse_dscp(const struct vctx *c, size_t off, size_t len)
{
	return uint_one(c, off, len, 63, "a DSCP value");
}

/* v7's ToS byte, 0-255, or a name 2.9 gave its ToS bits (form 1: the
 * name's index) */
static bool parse_tos(const struct vctx *c, size_t off, size_t len)
{
	const char *const *en = prop_enums(c->p, c->m);
	int i = enum_index(en, c->v + off, len);
	uint64_t x;

	if (i >= 0) {
		c->out->form = 1;
		c->out->v.u = (uint64_t)i;
		return true;
	}
	if (len && c->v[off] >= '0' && c->v[off] <= '9')
		return uint_in(c, off, len, 0, 255, "a ToS value", &x) && (c->out->v.u = x, true);
	return enum_expected(c, off, len, "a ToS value 0-255 or one of ", en);
}

static void print_tos(FILE *out, const struct vprint *pr)
{
	if (pr->pv->form)
		fputs(prop_enums(pr->p, pr->m)[pr->pv->v.u], out);
	else
		fprintf(out, "%llu", (unsigned long long)pr->pv->v.u);
}

static bool parse_priority(const struct vctx *c, size_t off, size_t len)
{
	return uint_one(c, off, len, 63, "a priority");
}

/* --------------------------------------------------------------- addresses */

static bool parse_addr(const struct vctx *c, size_t off, size_t len)
{
	return addr_elem(c, off, len, false);
}

static void print_addr(FILE *out, const struct vprint *pr)
{
	const struct pvalue *pv = pr->pv;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const struct value_addr *va = pv->form & VFORM_V6 ? pv->v.p : NULL;
	int af = va ? AF_INET6 : AF_INET;
	int kind = pv->form & 3, plen = 0, i;

	inet_ntop(af, va ? va->lo : pv->v.ip4.lo, a, sizeof(a));
	inet_ntop(af, va ? va->hi : pv->v.ip4.hi, b, sizeof(b));
	if (kind == VA_RANGE) {
		fprintf(out, "%s-%s", a, b);
		return;
	}
	fputs(a, out);
	if (kind != VA_PREFIX)
		return;
	if (va) {
		plen = va->plen;
	} else {
		/* the bits lo and hi share */
		for (i = 0; i < 4; i++)
			plen += __builtin_popcount((uint8_t)~(pv->v.ip4.lo[i] ^ pv->v.ip4.hi[i]));
	}
	fprintf(out, "/%d", plen);
}

/* One element of a service's address=: RouterOS takes an IPv4 or IPv6
 * address or prefix, in any mix, and no range. */
static bool service_addr_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	struct vaddrs *as = arg;
	struct value_addr a;
	size_t mo;
	char q[QUOTE_MAX + 8];
	bool v6 = memchr(c->v + off, ':', len) != NULL, placeholder;
	const char *slash;

	memset(&a, 0, sizeof(a));	/* kept whole: no stray bytes past an IPv4 address */
	switch (value_addr_parse(c->v + off, len, v6, &a, &mo)) {
	case VAE_OK:
		if (a.kind == VA_RANGE)
			break;
		if (as)
			as->v[idx] = a;
		return true;
	case VAE_PLEN:
		return fail(c, off + mo, len - mo, "expected a prefix length 0-%d, got \"%s\"", v6 ? 128 : 32,
			    quote(q, sizeof(q), c->v + off + mo, len - mo));
	case VAE_MASK:
		return fail(c, off + mo, len - mo, "netmask \"%s\" is not contiguous",
			    quote(q, sizeof(q), c->v + off + mo, len - mo));
	default:
		break;
	}
	/* templates write X.X.X.X/32 for the owner to fill in */
	slash = memchr(c->v + off, '/', len);
	if (!value_dns_name(c->v + off, slash ? (size_t)(slash - (c->v + off)) : len, &placeholder) && placeholder)
		return fail(c, off, len,
			    "expected an IPv4 or IPv6 address or prefix, got \"%s\", which looks like an address with a placeholder",
			    quote(q, sizeof(q), c->v + off, len));
	return expected(c, off, len, "an IPv4 or IPv6 address or prefix");
}

static bool parse_service_addrs(const struct vctx *c, size_t off, size_t len)
{
	struct vaddrs *as = NULL;
	size_t n = 1, i;

	for (i = 0; i < len; i++)
		n += c->v[off + i] == ',';
	c->out->form = VFORM_ADDRS;
	if (c->arena) {
		as = arena_alloc(c->arena, sizeof(*as));
		as->v = arena_alloc(c->arena, n * sizeof(as->v[0]));
		as->n = (uint32_t)n;
	}
	if (!list_each(c, off, len, service_addr_elem, as))
		return false;
	c->out->v.p = as;
	return true;
}

static void print_service_addrs(FILE *out, const struct vprint *pr)
{
	const struct vaddrs *as = pr->pv->v.p;
	char a[INET6_ADDRSTRLEN];
	uint32_t i;

	for (i = 0; i < as->n; i++) {
		inet_ntop(as->v[i].v6 ? AF_INET6 : AF_INET, as->v[i].lo, a, sizeof(a));
		fprintf(out, "%s%s", i ? "," : "", a);
		if (as->v[i].kind == VA_PREFIX)
			fprintf(out, "/%d", as->v[i].plen);
	}
}

static bool parse_addr_or_dns(const struct vctx *c, size_t off, size_t len)
{
	bool v6 = menu_v6(c->m), placeholder;
	struct value_addr a;
	size_t mo, i;
	bool addr_like = true;
	char q[QUOTE_MAX + 8];

	/* One row per property name: a service's address= is this row too. */
	if (c->m == MK_IP_SERVICE)
		return parse_service_addrs(c, off, len);
	if (value_addr_parse(c->v + off, len, v6, &a, &mo) == VAE_OK) {
		addr_keep(c, &a);
		return true;
	}
	if (value_dns_name(c->v + off, len, &placeholder)) {
		c->out->form = VFORM_DNS;
		return true;
	}
	if (placeholder)
		return fail(c, off, len,
			    "expected %s, got \"%s\", which looks like an address with a placeholder",
			    addr_what(v6, true), quote(q, sizeof(q), c->v + off, len));
	/* text made of address characters gets the address diagnosis */
	for (i = 0; i < len; i++) {
		char ch = c->v[off + i];

		if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '/' || ch == '-' || ch == ':' ||
		      (v6 && ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))))
			addr_like = false;
	}
	if (addr_like)
		return addr_elem(c, off, len, true);
	return expected(c, off, len, addr_what(v6, true));
}

static void print_addr_or_dns(FILE *out, const struct vprint *pr)
{
	if (pr->pv->form & VFORM_ADDRS)
		print_service_addrs(out, pr);
	else if (pr->pv->form & VFORM_DNS)
		print_text(out, pr);
	else
		print_addr(out, pr);
}

/* --------------------------------------------------------- ports, protocol */

static bool port_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	struct vranges *rs = arg;
	struct vrange r;

	if (!range_in(c, off, len, 0, 65535, "a port", &r))
		return false;
	if (idx == 0)
		c->out->v.r = r;
	if (rs) {
		rs->v[idx] = r;
		rs->n = (uint32_t)idx + 1;
	}
	return true;
}

/* One port or range in the value itself; a list in the arena. */
static bool parse_ports(const struct vctx *c, size_t off, size_t len)
{
	struct vranges *rs = NULL;
	size_t n = 1, i;

	for (i = 0; i < len; i++)
		n += c->v[off + i] == ',';
	if (n > 1) {
		c->out->form = VFORM_LIST;
		if (c->arena)
			rs = arena_alloc(c->arena, sizeof(*rs) + n * sizeof(rs->v[0]));
	}
	if (!list_each(c, off, len, port_elem, rs))
		return false;
	if (n > 1)
		c->out->v.p = rs;
	return true;
}

static void print_ports(FILE *out, const struct vprint *pr)
{
	const struct vranges *rs = pr->pv->v.p;
	uint32_t i;

	if (!(pr->pv->form & VFORM_LIST)) {
		print_range(out, &pr->pv->v.r);
		return;
	}
	for (i = 0; i < rs->n; i++) {
		if (i)
			fputc(',', out);
		print_range(out, &rs->v[i]);
	}
}

static bool parse_protocol(const struct vctx *c, size_t off, size_t len)
{
	int proto;

	if (value_parse_protocol(c->v + off, len, &proto)) {
		c->out->v.u = (uint64_t)proto;
		return true;
	}
	return expected(c, off, len, "a protocol name (tcp, udp, icmp, ...) or number 0-255");
}

/* --------------------------------------------------------------- time based */

#define TIME_WHAT "a time such as 30s, 1h30m, 1d, 00:05:00 or 1d00:00:10"

static bool time_in(const struct vctx *c, size_t off, size_t len, uint64_t *ms)
{
	if (value_parse_time(c->v + off, len, ms))
		return true;
	return expected(c, off, len, TIME_WHAT);
}

/* A timeout the kernel keeps on a set or its entries (VALUE_SET_TIMEOUT_MAX_MS). */
static bool set_timeout_fits(const struct vctx *c, size_t off, size_t len, uint64_t ms)
{
	char q[QUOTE_MAX + 8];

	if (ms <= VALUE_SET_TIMEOUT_MAX_MS)
		return true;
	return fail(c, off, len,
		    "%s is longer than the kernel keeps a set entry: at most 30500w3d23h34m33s (2^64 nanoseconds); it would refuse the ruleset",
		    quote(q, sizeof(q), c->v + off, len));
}

static bool parse_time(const struct vctx *c, size_t off, size_t len)
{
	uint64_t ms;

	if (!time_in(c, off, len, &ms))
		return false;
	c->out->v.u = ms;
	/* A set entry's timeout= carries the kernel's limit. */
	return !c->p->max || set_timeout_fits(c, off, len, ms);
}

static void print_time_value(FILE *out, const struct vprint *pr)
{
	print_time(out, pr->pv->v.u);
}

static bool parse_timeout(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	uint64_t ms;

	if (text_eq(s, len, "none-dynamic") || text_eq(s, len, "none-static")) {
		c->out->form = text_eq(s, len, "none-static") ? VTO_NONE_STATIC : VTO_NONE_DYNAMIC;
		return true;
	}
	if (value_parse_time(s, len, &ms)) {
		c->out->form = VTO_TIME;
		c->out->v.u = ms;
		return !c->p->max || set_timeout_fits(c, off, len, ms);
	}
	return expected(c, off, len, "a time such as 1h or 1d00:00:00, none-dynamic or none-static");
}

static void print_timeout(FILE *out, const struct vprint *pr)
{
	if (pr->pv->form == VTO_TIME)
		print_time(out, pr->pv->v.u);
	else
		fputs(pr->pv->form == VTO_NONE_STATIC ? "none-static" : "none-dynamic", out);
}

/* A time that must be more than zero (rate periods). */
static bool period_in(const struct vctx *c, size_t off, size_t len, uint64_t *ms)
{
	if (!time_in(c, off, len, ms))
		return false;
	if (*ms == 0)
		return fail(c, off, len, "expected a time greater than zero, got \"0\"");
	return true;
}

static void *keep(const struct vctx *c, void *v, size_t size)
{
	void *k;

	if (!c->arena)
		return NULL;
	k = arena_alloc(c->arena, size);
	memcpy(k, v, size);
	c->out->v.p = k;
	return k;
}

/* limit: count[/time][,burst][:packet|bit]
 * v7 writes 50/1s,5:packet and 1M/1s,1M:bit; v6 wrote 50,5:packet,
 * 2/1m,5 and 10/1s. */
static bool parse_rate(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t colon = find(s, len, ':'), head = colon, comma, slash;
	struct vrate r = { .period_ms = 1000 };

	if (colon < len) {
		r.bits = text_eq(s + colon + 1, len - colon - 1, "bit");
		if (!r.bits && !text_eq(s + colon + 1, len - colon - 1, "packet"))
			return expected(c, off + colon + 1, len - colon - 1,
					"a limit mode packet or bit");
	}
	comma = find(s, head, ',');
	slash = find(s, comma, '/');
	if (!value_parse_scaled(s, slash, UINT32_MAX * 1000ull, &r.count) || r.count == 0)
		return expected(c, off, slash,
				"a limit count 1-4294967295 (k, M, G suffixes allowed) as in 50/1s,5:packet");
	if (slash < comma && !period_in(c, off + slash + 1, comma - slash - 1, &r.period_ms))
		return false;
	if (comma < head) {
		size_t bo = comma + 1, bl = head - comma - 1;

		if (find(s + bo, bl, ',') < bl)
			return fail(c, off + bo, bl,
				    "expected count[/time],burst[:mode], got more than one burst");
		if (!value_parse_scaled(s + bo, bl, UINT32_MAX * 1000ull, &r.burst))
			return expected(c, off + bo, bl, "a burst count (k, M, G suffixes allowed)");
	}
	keep(c, &r, sizeof(r));
	return true;
}

static void rate_print(FILE *out, const struct vrate *r)
{
	fprintf(out, "%llu/", (unsigned long long)r->count);
	print_time(out, r->period_ms);
	fprintf(out, ",%llu", (unsigned long long)r->burst);
}

static void print_rate(FILE *out, const struct vprint *pr)
{
	const struct vrate *r = pr->pv->v.p;

	rate_print(out, r);
	fputs(r->bits ? ":bit" : ":packet", out);
}

/* The keys each mode counts by. */
static const struct {
	const char *mode;
	uint8_t keys;
} dst_limit_modes[] = {
	{ "addresses-and-dst-port", VDL_SADDR | VDL_DADDR | VDL_DPORT },
	{ "dst-address", VDL_DADDR },
	{ "dst-address-and-port", VDL_DADDR | VDL_DPORT },
	{ "src-address", VDL_SADDR },
	{ "src-and-dst-addresses", VDL_SADDR | VDL_DADDR },
	/* the v7 manual's spelling; the console and exports use ...-addresses */
	{ "src-and-dst-address", VDL_SADDR | VDL_DADDR },
	/* 2.9 */
	{ "dst-port", VDL_DPORT },
};

#define NMODES (sizeof(dst_limit_modes) / sizeof(dst_limit_modes[0]))

/* dst-limit: count[/time],burst,mode[/expire]; 2.9 put expire after a comma */
static bool parse_dst_limit(const struct vctx *c, size_t off, size_t len)
{
	size_t po[4], pl[4], n = split(c, off, len, ',', po, pl, 4), i;
	struct vdst_limit d = { .rate.period_ms = 1000, .expire_ms = 60000 };
	const char *names[NMODES + 1];
	const char *s;
	size_t slash;

	if (n < 3 || n > 4)
		return fail(c, off, len,
			    "expected count[/time],burst,mode[/expire] such as 10/1m,5,src-address/1m, got %zu comma-separated parts",
			    n);
	s = c->v + po[0];
	slash = find(s, pl[0], '/');
	if (!value_parse_uint(s, slash, UINT32_MAX, &d.rate.count) || d.rate.count == 0)
		return expected(c, po[0], slash, "a packet count 1-4294967295");
	if (slash < pl[0] && !period_in(c, po[0] + slash + 1, pl[0] - slash - 1, &d.rate.period_ms))
		return false;
	if (!value_parse_uint(c->v + po[1], pl[1], UINT32_MAX, &d.rate.burst))
		return expected(c, po[1], pl[1], "a burst count 0-4294967295");
	s = c->v + po[2];
	slash = find(s, pl[2], '/');
	for (i = 0; i < NMODES; i++)
		names[i] = dst_limit_modes[i].mode;
	names[NMODES] = NULL;
	for (i = 0; i < NMODES && !text_eq(s, slash, names[i]); i++)
		;
	if (i == NMODES)
		return enum_expected(c, po[2], slash, "a dst-limit mode, one of ", names);
	d.keys = dst_limit_modes[i].keys;
	/* The expire time is the timeout of the set rosfw keeps the counts in. */
	if (slash < pl[2] && (!time_in(c, po[2] + slash + 1, pl[2] - slash - 1, &d.expire_ms) ||
			      !set_timeout_fits(c, po[2] + slash + 1, pl[2] - slash - 1, d.expire_ms)))
		return false;
	if (n == 4) {
		if (slash < pl[2])
			return fail(c, po[3], pl[3], "expected one expire time, got a second one");
		if (!time_in(c, po[3], pl[3], &d.expire_ms) || !set_timeout_fits(c, po[3], pl[3], d.expire_ms))
			return false;
	}
	keep(c, &d, sizeof(d));
	return true;
}

static void print_dst_limit(FILE *out, const struct vprint *pr)
{
	const struct vdst_limit *d = pr->pv->v.p;
	size_t i;

	rate_print(out, &d->rate);
	for (i = 0; i < NMODES && dst_limit_modes[i].keys != d->keys; i++)
		;
	fprintf(out, ",%s/", dst_limit_modes[i].mode);
	print_time(out, d->expire_ms);
}

/* connection-limit: count,netmask */
static bool parse_conn_limit(const struct vctx *c, size_t off, size_t len)
{
	size_t po[2], pl[2], n = split(c, off, len, ',', po, pl, 2);
	uint64_t count, bits;

	if (n != 2)
		return expected(c, off, len, "count,netmask such as 100,32");
	if (!uint_in(c, po[0], pl[0], 0, UINT32_MAX, "a connection count", &count) ||
	    !uint_in(c, po[1], pl[1], 0, menu_v6(c->m) ? 128 : 32, "a netmask length", &bits))
		return false;
	c->out->v.r.lo = (uint32_t)count;
	c->out->v.r.hi = (uint32_t)bits;
	return true;
}

static void print_conn_limit(FILE *out, const struct vprint *pr)
{
	fprintf(out, "%u,%u", pr->pv->v.r.lo, pr->pv->v.r.hi);
}

/* connection-bytes: N-M, where M = 0 means no upper bound */
static bool parse_conn_bytes(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t dash = find(s, len, '-');
	struct vconn_bytes b;
	char q[QUOTE_MAX + 8];

	if (dash == len || !value_parse_uint(s, dash, UINT64_MAX, &b.lo) ||
	    !value_parse_uint(s + dash + 1, len - dash - 1, UINT64_MAX, &b.hi))
		return expected(c, off, len, "a byte range N-M such as 1000000-0 (0 = no limit)");
	if (b.hi != 0 && b.lo > b.hi)
		return fail(c, off, len, "byte range \"%s\" starts after it ends",
			    quote(q, sizeof(q), s, len));
	keep(c, &b, sizeof(b));
	return true;
}

static void print_conn_bytes(FILE *out, const struct vprint *pr)
{
	const struct vconn_bytes *b = pr->pv->v.p;

	fprintf(out, "%llu-%llu", (unsigned long long)b->lo, (unsigned long long)b->hi);
}

/* connection-rate: N-M bits per second with k/M/G suffixes; a single N is
 * taken as well since the manual types it as one integer */
static bool parse_conn_rate(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t dash = find(s, len, '-');
	uint64_t a, b;
	char q[QUOTE_MAX + 8];
	const char *what = "a rate range N-M 0-4294967295 (k, M, G suffixes allowed) such as 0-100k";

	if (!value_parse_scaled(s, dash, UINT32_MAX, &a))
		return expected(c, off, len, what);
	b = a;
	if (dash < len && !value_parse_scaled(s + dash + 1, len - dash - 1, UINT32_MAX, &b))
		return expected(c, off, len, what);
	if (a > b)
		return fail(c, off, len, "rate range \"%s\" starts after it ends",
			    quote(q, sizeof(q), s, len));
	c->out->v.r.lo = (uint32_t)a;
	c->out->v.r.hi = (uint32_t)b;
	return true;
}

/* nth: every,packet (v3 and later: packet 1..every); 2.9 wrote
 * every,counter,packet with counter 0-15 and packet 0..every */
static bool parse_nth(const struct vctx *c, size_t off, size_t len)
{
	size_t po[3], pl[3], n = split(c, off, len, ',', po, pl, 3);
	uint64_t every, packet;

	if (n == 2) {
		if (!uint_in(c, po[0], pl[0], 1, UINT32_MAX, "an nth interval", &every) ||
		    !uint_in(c, po[1], pl[1], 1, every, "a packet number", &packet))
			return false;
	} else if (n == 3) {
		if (!uint_in(c, po[0], pl[0], 0, UINT32_MAX, "an nth interval", &every) ||
		    !uint_in(c, po[1], pl[1], 0, 15, "a counter", NULL) ||
		    !uint_in(c, po[2], pl[2], 0, every, "a packet number", &packet))
			return false;
		c->out->form = VFORM_V29;
	} else {
		return expected(c, off, len, "every,packet such as 2,1");
	}
	c->out->v.r.lo = (uint32_t)every;
	c->out->v.r.hi = (uint32_t)packet;
	return true;
}

static void print_nth(FILE *out, const struct vprint *pr)
{
	/* 2.9's counter is not kept: rosfw keeps one per rule */
	fprintf(out, pr->pv->form & VFORM_V29 ? "%u,0,%u" : "%u,%u", pr->pv->v.r.lo, pr->pv->v.r.hi);
}

static const struct {
	const char *name;
	uint8_t fields;
} pcc_fields[] = {
	{ "both-addresses", VPCC_SADDR | VPCC_DADDR },
	{ "both-addresses-and-ports", VPCC_SADDR | VPCC_DADDR | VPCC_SPORT | VPCC_DPORT },
	{ "both-ports", VPCC_SPORT | VPCC_DPORT },
	{ "dst-address", VPCC_DADDR },
	{ "dst-address-and-port", VPCC_DADDR | VPCC_DPORT },
	{ "dst-port", VPCC_DPORT },
	{ "src-address", VPCC_SADDR },
	{ "src-address-and-port", VPCC_SADDR | VPCC_SPORT },
	{ "src-port", VPCC_SPORT },
};

#define NPCC (sizeof(pcc_fields) / sizeof(pcc_fields[0]))

/* per-connection-classifier: fields:denominator/remainder, remainder < denominator */
static bool parse_pcc(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off, *names[NPCC + 1];
	size_t colon = find(s, len, ':'), slash, i;
	uint64_t den, rem;

	for (i = 0; i < NPCC; i++)
		names[i] = pcc_fields[i].name;
	names[NPCC] = NULL;
	for (i = 0; i < NPCC && !text_eq(s, colon, names[i]); i++)
		;
	if (i == NPCC)
		return enum_expected(c, off, colon, "a classifier, one of ", names);
	c->out->form = pcc_fields[i].fields;
	if (colon == len)
		return fail(c, off, len, "expected fields:denominator/remainder such as both-addresses:2/0, got no \":\"");
	slash = colon + 1 + find(s + colon + 1, len - colon - 1, '/');
	if (!uint_in(c, off + colon + 1, slash - colon - 1, 1, UINT32_MAX, "a denominator", &den))
		return false;
	if (slash == len)
		return fail(c, off + colon + 1, len - colon - 1,
			    "expected denominator/remainder such as 2/0, got no \"/\"");
	if (!value_parse_uint(s + slash + 1, len - slash - 1, UINT32_MAX, &rem))
		return expected(c, off + slash + 1, len - slash - 1, "a remainder");
	if (rem >= den)
		return fail(c, off + slash + 1, len - slash - 1,
			    "expected a remainder 0-%llu (less than the denominator %llu), got %llu",
			    (unsigned long long)(den - 1), (unsigned long long)den,
			    (unsigned long long)rem);
	c->out->v.r.lo = (uint32_t)den;
	c->out->v.r.hi = (uint32_t)rem;
	return true;
}

static void print_pcc(FILE *out, const struct vprint *pr)
{
	size_t i;

	for (i = 0; i < NPCC && pcc_fields[i].fields != pr->pv->form; i++)
		;
	fprintf(out, "%s:%u/%u", pcc_fields[i].name, pr->pv->v.r.lo, pr->pv->v.r.hi);
}

static const char *const weekdays[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

static bool day_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	uint64_t ms[2];
	size_t dash;
	int d;

	(void)arg;
	if (idx > 0) {
		if ((d = enum_index(weekdays, c->v + off, len)) >= 0) {
			c->out->form |= (uint8_t)(1u << d);
			return true;
		}
		return expected(c, off, len, "a day sun, mon, tue, wed, thu, fri or sat");
	}
	dash = find(c->v + off, len, '-');
	if (dash == len)
		return expected(c, off, len, "a time range start-end such as 8h-17h");
	if (!time_in(c, off, dash, &ms[0]) || !time_in(c, off + dash + 1, len - dash - 1, &ms[1]))
		return false;
	if (ms[0] > DAY_MS)
		return fail(c, off, dash, "expected a time of day 0s-1d, got more than a day");
	if (ms[1] > DAY_MS)
		return fail(c, off + dash + 1, len - dash - 1,
			    "expected a time of day 0s-1d, got more than a day");
	/* a start after the end (22h-6h) spans midnight, as in xt_time */
	c->out->v.r.lo = (uint32_t)ms[0];
	c->out->v.r.hi = (uint32_t)ms[1];
	return true;
}

/* time: start-end[,day,...] */
static bool parse_time_spec(const struct vctx *c, size_t off, size_t len)
{
	return list_each(c, off, len, day_elem, NULL);
}

static void print_time_spec(FILE *out, const struct vprint *pr)
{
	int d;

	print_time(out, pr->pv->v.r.lo);
	fputc('-', out);
	print_time(out, pr->pv->v.r.hi);
	for (d = 0; d < 7; d++)
		if (pr->pv->form & (1u << d))
			fprintf(out, ",%s", weekdays[d]);
}

static const char *const tcp_flag_names[] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", NULL
};

static bool tcp_flag_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	struct vrange *r = &c->out->v.r;	/* lo: flags tested, hi: those that must be set */
	bool neg = c->v[off] == '!';
	int f;

	(void)idx;
	(void)arg;
	if (neg) {
		off++;
		len--;
		if (!len)
			return fail(c, off - 1, 1, "expected a tcp flag after '!'");
	}
	f = enum_index(tcp_flag_names, c->v + off, len);
	if (f < 0)
		return expected(c, off, len, "a tcp flag fin, syn, rst, psh, ack, urg, ece or cwr");
	if ((r->lo & (1u << f)) && ((r->hi >> f) & 1) == neg)
		return fail(c, off - neg, len + neg,
			    "tcp flag %s is both required and excluded", tcp_flag_names[f]);
	r->lo |= 1u << f;
	if (!neg)
		r->hi |= 1u << f;
	return true;
}

static bool parse_tcp_flags(const struct vctx *c, size_t off, size_t len)
{
	c->out->v.r.lo = c->out->v.r.hi = 0;
	return list_each(c, off, len, tcp_flag_elem, NULL);
}

static void print_tcp_flags(FILE *out, const struct vprint *pr)
{
	const char *sep = "";
	int f;

	for (f = 0; tcp_flag_names[f]; f++) {
		if (!(pr->pv->v.r.lo & (1u << f)))
			continue;
		fprintf(out, "%s%s%s", sep, pr->pv->v.r.hi & (1u << f) ? "" : "!", tcp_flag_names[f]);
		sep = ",";
	}
}

/* ------------------------------------------------------------------ others */

/* icmp-options: type[:code[-code]] such as 8:0, 3 or 3:0-255; RouterOS
 * itself writes numbers, names are the ones nft prints */
static bool parse_icmp_options(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t colon = find(s, len, ':');
	bool v6 = menu_v6(c->m);
	struct vrange code;
	int type;

	if (!value_parse_icmp_type(s, colon, v6, &type))
		return expected(c, off, colon, v6 ? "an ICMPv6 type 0-255 or name" :
						   "an ICMP type 0-255 or name");
	c->out->v.icmp.type = (uint8_t)type;
	if (colon == len)
		return true;
	if (!range_in(c, off + colon + 1, len - colon - 1, 0, 255, "a code", &code))
		return false;
	c->out->form = VFORM_CODE;
	c->out->v.icmp.code_lo = (uint8_t)code.lo;
	c->out->v.icmp.code_hi = (uint8_t)code.hi;
	return true;
}

static void print_icmp_options(FILE *out, const struct vprint *pr)
{
	fprintf(out, "%u", pr->pv->v.icmp.type);
	if (!(pr->pv->form & VFORM_CODE))
		return;
	fprintf(out, ":%u", pr->pv->v.icmp.code_lo);
	if (pr->pv->v.icmp.code_hi != pr->pv->v.icmp.code_lo)
		fprintf(out, "-%u", pr->pv->v.icmp.code_hi);
}

static bool parse_mac(const struct vctx *c, size_t off, size_t len)
{
	uint8_t *mm;

	if (value_parse_mac(c->v + off, len, c->out->v.mac))
		return true;
	/* The bridge filter's MAC/MASK. */
	if (c->m == MK_BRIDGE_FILTER && len == 35 && c->v[off + 17] == '/') {
		mm = arena_alloc(c->arena, 12);
		if (value_parse_mac(c->v + off, 17, mm) && value_parse_mac(c->v + off + 18, 17, mm + 6)) {
			c->out->v.p = mm;
			c->out->form = VFORM_MAC_MASK;
			return true;
		}
	}
	return expected(c, off, len, c->m == MK_BRIDGE_FILTER ? "a MAC address AA:BB:CC:DD:EE:FF[/MASK]" :
							       "a MAC address AA:BB:CC:DD:EE:FF");
}

static void print_mac(FILE *out, const struct vprint *pr)
{
	const uint8_t *m = pr->pv->form & VFORM_MAC_MASK ? pr->pv->v.p : pr->pv->v.mac;

	fprintf(out, "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
	if (pr->pv->form & VFORM_MAC_MASK)
		fprintf(out, "/%02X:%02X:%02X:%02X:%02X:%02X", m[6], m[7], m[8], m[9], m[10], m[11]);
}

/* RouterOS's mac-protocol names (7.24's completion), sorted, with the
 * EtherType where it is a standard one; -1: not an EtherType (length,
 * 802.2 are frame formats) or MikroTik's own, which rosfw does not know. */
static const struct {
	const char *name;
	int type;
} ether_names[] = {
	{ "802.2", -1 },	 { "arp", 0x0806 },	 { "capsman", -1 },	      { "dot1x", 0x888e },
	{ "homeplug-av", 0x88e1 }, { "ip", 0x0800 },	 { "ipv6", 0x86dd },	      { "ipx", 0x8137 },
	{ "lacp", 0x8809 },	 { "length", -1 },	 { "lldp", 0x88cc },	      { "loop-protect", -1 },
	{ "macsec", 0x88e5 },	 { "mpls-multicast", 0x8848 }, { "mpls-unicast", 0x8847 }, { "mvrp", 0x88f5 },
	{ "packing-compr", -1 }, { "packing-simple", -1 }, { "pppoe", 0x8864 },	      { "pppoe-discovery", 0x8863 },
	{ "rarp", 0x8035 },	 { "romon", -1 },	 { "service-vlan", 0x88a8 }, { "vlan", 0x8100 },
};
#define NETHER (sizeof(ether_names) / sizeof(ether_names[0]))
int value_ether_type(size_t i)
{
	return i < NETHER ? ether_names[i].type : -1;
}

static bool parse_ether_proto(const struct vctx *c, size_t off, size_t len)
{
	char buf[16], *end;
	unsigned long v;
	size_t i;

	for (i = 0; i < NETHER; i++)
		if (text_eq(c->v + off, len, ether_names[i].name)) {
			c->out->v.u = VETHER_NAME + i;
			return true;
		}
	if (len && len < sizeof(buf)) {
		memcpy(buf, c->v + off, len);
		buf[len] = 0;
		v = strtoul(buf, &end, 0);
		if (!*end && buf[0] >= '0' && buf[0] <= '9' && v <= 0xffff) {
			c->out->v.u = v;
			return true;
		}
	}
	return expected(c, off, len, "a protocol name (ip, ipv6, arp, vlan, ...) or an EtherType number such as 0x88cc");
}

static void print_ether_proto(FILE *out, const struct vprint *pr)
{
	uint64_t u = pr->pv->v.u;

	if (u >= VETHER_NAME && u - VETHER_NAME < NETHER)
		fputs(ether_names[u - VETHER_NAME].name, out);
	else
		fprintf(out, "0x%04llx", (unsigned long long)u);
}

/* ipsec-policy: direction,policy */
static bool parse_ipsec_policy(const struct vctx *c, size_t off, size_t len)
{
	size_t po[2], pl[2], n = split(c, off, len, ',', po, pl, 2);

	if (n != 2)
		return expected(c, off, len, "direction,policy such as in,ipsec or out,none");
	if (!text_eq(c->v + po[0], pl[0], "in") && !text_eq(c->v + po[0], pl[0], "out"))
		return expected(c, po[0], pl[0], "a direction in or out");
	if (!text_eq(c->v + po[1], pl[1], "ipsec") && !text_eq(c->v + po[1], pl[1], "none"))
		return expected(c, po[1], pl[1], "a policy ipsec or none");
	c->out->v.u = (text_eq(c->v + po[0], pl[0], "in") ? VIP_IN : 0) |
		      (text_eq(c->v + po[1], pl[1], "ipsec") ? VIP_IPSEC : 0);
	return true;
}

static void print_ipsec_policy(FILE *out, const struct vprint *pr)
{
	fprintf(out, "%s,%s", pr->pv->v.u & VIP_IN ? "in" : "out", pr->pv->v.u & VIP_IPSEC ? "ipsec" : "none");
}

/* In enum vaddr_type's order. */
static const char *const addr_types[] = {
	"unicast", "local", "broadcast", "multicast", "blackhole", "prohibit", "unreachable", "anycast", NULL
};

static bool parse_addr_type(const struct vctx *c, size_t off, size_t len)
{
	int t = enum_index(addr_types, c->v + off, len);

	if (t >= 0) {
		c->out->v.u = (uint64_t)t;
		return true;
	}
	return expected(c, off, len,
			"an address type unicast, local, broadcast, multicast, blackhole, prohibit, unreachable or anycast");
}

static void print_addr_type(FILE *out, const struct vprint *pr)
{
	fputs(addr_types[pr->pv->v.u], out);
}

/*
 * new-mss, new-ttl, new-hop-limit, new-priority. prop_def.enums lists the
 * keywords; an entry ending in ':' is an operation taking a number in
 * [min, max] (set:64). A plain number is accepted only when no such
 * operation exists, since RouterOS wants new-ttl=set:64, not new-ttl=64.
 */
static bool parse_action_value(const struct vctx *c, size_t off, size_t len)
{
	const char *const *en = c->p->enums;
	const char *s = c->v + off;
	uint64_t lo = p_min(c->p), hi = p_max(c->p, 65535), x;
	struct vrange *r = &c->out->v.r;
	char what[170];
	size_t used = 0, n;
	bool has_op = false;
	int i;

	for (i = 0; en && en[i]; i++) {
		n = strlen(en[i]);
		r->hi = (uint32_t)i;
		if (n && en[i][n - 1] == ':') {
			has_op = true;
			c->out->form = VAV_OP;
			if (len > n && !memcmp(s, en[i], n)) {
				if (!uint_in(c, off + n, len - n, lo, hi, "a number", &x))
					return false;
				r->lo = (uint32_t)x;
				return true;
			}
		} else if (text_eq(s, len, en[i])) {
			c->out->form = VAV_WORD;
			return true;
		}
	}
	c->out->form = VAV_NUMBER;
	if (!has_op && value_parse_uint(s, len, hi, &x) && x >= lo) {
		r->lo = (uint32_t)x;
		r->hi = 0;
		return true;
	}

	/* "set:N, increment:N, decrement:N, increment or decrement (N 0-255)" */
	what[0] = '\0';
	if (!has_op)
		used += (size_t)snprintf(what, sizeof(what), "N");
	for (i = 0; en && en[i] && used < sizeof(what); i++) {
		n = strlen(en[i]);
		used += (size_t)snprintf(what + used, sizeof(what) - used, "%s%s%s",
					 used ? (en[i + 1] ? ", " : " or ") : "", en[i],
					 n && en[i][n - 1] == ':' ? "N" : "");
	}
	if (used < sizeof(what))
		snprintf(what + used, sizeof(what) - used, " (N %llu-%llu)",
			 (unsigned long long)lo, (unsigned long long)hi);
	return expected(c, off, len, what);
}

static void print_action_value(FILE *out, const struct vprint *pr)
{
	const struct vrange *r = &pr->pv->v.r;

	if (pr->pv->form == VAV_WORD)
		fputs(pr->p->enums[r->hi], out);
	else if (pr->pv->form == VAV_OP)
		fprintf(out, "%s%u", pr->p->enums[r->hi], r->lo);
	else
		fprintf(out, "%u", r->lo);
}

/* psd: weight-threshold,delay-threshold,low-port-weight,high-port-weight;
 * refused, so only checked */
static bool parse_psd(const struct vctx *c, size_t off, size_t len)
{
	size_t po[4], pl[4], n = split(c, off, len, ',', po, pl, 4);
	struct vpsd d;
	uint64_t w, lo, hi;

	memset(&d, 0, sizeof(d));
	if (n != 4)
		return expected(c, off, len,
				"weight,delay,low-port-weight,high-port-weight such as 21,3s,3,1");
	if (!uint_in(c, po[0], pl[0], 1, UINT32_MAX, "a weight threshold", &w) ||
	    !period_in(c, po[1], pl[1], &d.delay_ms) ||
	    !set_timeout_fits(c, po[1], pl[1], d.delay_ms) ||
	    !uint_in(c, po[2], pl[2], 0, UINT32_MAX, "a low port weight", &lo) ||
	    !uint_in(c, po[3], pl[3], 0, UINT32_MAX, "a high port weight", &hi))
		return false;
	d.weight = (uint32_t)w;
	d.lo_weight = (uint32_t)lo;
	d.hi_weight = (uint32_t)hi;
	keep(c, &d, sizeof(d));
	return true;
}

static void print_psd(FILE *out, const struct vprint *pr)
{
	const struct vpsd *d = pr->pv->v.p;

	fprintf(out, "%u,", d->weight);
	print_time(out, d->delay_ms);
	fprintf(out, ",%u,%u", d->lo_weight, d->hi_weight);
}

/* ttl, hop-limit: v7 writes equal:64, greater-than:10 ...; v6 a number or
 * range */
static const char *const ttl_ops[] = { "equal", "not-equal", "greater-than", "less-than", NULL };

static bool parse_ttl(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t colon = find(s, len, ':');
	uint64_t n;
	int op;

	if (colon == len) {
		c->out->form = VTTL_RANGE;
		return range_in(c, off, len, 0, 255, "a value", &c->out->v.r);
	}
	if ((op = enum_index(ttl_ops, s, colon)) < 0)
		return expected(c, off, colon,
				"a comparison equal, not-equal, greater-than or less-than");
	if (!uint_in(c, off + colon + 1, len - colon - 1, 0, 255, "a value", &n))
		return false;
	c->out->form = (uint8_t)(VTTL_EQ + op);
	c->out->v.r.lo = c->out->v.r.hi = (uint32_t)n;
	return true;
}

static void print_ttl(FILE *out, const struct vprint *pr)
{
	if (pr->pv->form != VTTL_RANGE)
		fprintf(out, "%s:", ttl_ops[pr->pv->form - VTTL_EQ]);
	print_range(out, &pr->pv->v.r);
}

/* ---------------------------------------------------------------- the table */

static const struct {
	parse_fn parse;
	print_fn print;
} vtypes[VT__COUNT] = {
#define VTYPE(id, parse, print) [VT_##id] = { parse, print },
#include "vtypes.def"
#undef VTYPE
};

/* Types whose text is free, so a leading '!' without PF_NEG is a literal
 * character (log-prefix=!text, chain=!x). */
static bool bang_is_literal(enum vtype t)
{
	return t == VT_STRING || t == VT_NAME || t == VT_NAME_LIST || t == VT_REGEX ||
	       t == VT_HEX_STRING;
}

bool value_parse(const struct prop_def *p, enum menu_kind m, const char *v, size_t len, struct pvalue *out,
		 struct arena *arena, struct verr *e)
{
	struct verr dummy;
	struct pvalue scratch;
	struct vctx c = { p, m, v, len, e ? e : &dummy, out ? out : &scratch, out ? arena : NULL };
	size_t off = 0;

	memset(c.out, 0, sizeof(*c.out));
	c.e->msg[0] = '\0';
	c.e->off = 0;
	c.e->len = 0;
	if (!p || (unsigned)p->type >= VT__COUNT || !vtypes[p->type].parse)
		return fail(&c, 0, len, "internal error: no parser for this property");
	if (len && !v)
		return fail(&c, 0, 0, "internal error: no value text");
	/* An empty value unsets an optional property (exports write
	 * dst-address-type=""); one with a default needs a real value. */
	if (len == 0) {
		if (!prop_default(p, m))
			return true;
		return fail(&c, 0, 0, "expected a value for %s (default %s), got an empty value",
			    p->name, prop_default(p, m));
	}
	if (v[0] == '!') {
		if (p->flags & PF_NEG) {
			off = 1;
			c.out->neg = true;
			if (len == 1)
				return fail(&c, 0, 1, "expected a value after '!'");
			if (v[1] == '!')
				return fail(&c, 1, 1, "expected one '!', got two");
		} else if (!bang_is_literal(p->type) && !(p->flags & PF_LIST_NEG)) {
			return fail(&c, 0, 1, "%s cannot be negated with '!'", p->name);
		}
	}
	return vtypes[p->type].parse(&c, off, len - off);
}

bool value_check(const struct prop_def *p, enum menu_kind m, const char *v, size_t len, struct verr *e)
{
	return value_parse(p, m, v, len, NULL, NULL, e);
}

void pvalue_print(FILE *out, const struct prop_def *p, enum menu_kind m, const struct pvalue *pv, const char *text,
		 size_t len)
{
	struct vprint pr = { p, m, pv, text, len };

	if (pv->neg) {
		fputc('!', out);
		pr.text++;
		pr.len--;
	}
	if (len)
		vtypes[p->type].print(out, &pr);
}
