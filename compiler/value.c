/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Value checkers for RouterOS properties: one function per enum vtype,
 * reached through the checkers[] dispatch table at the bottom.
 *
 * Values arrive unquoted, with a length and no terminating NUL, and may be up
 * to 64 KB long. Nothing here reads past that length or allocates; the only
 * copies are small bounded stack buffers (IPv6 text for inet_pton, quoted
 * excerpts for messages), and an element too long for one is an error rather
 * than a silent truncation.
 */
#include "value.h"

#include "text.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The value being checked; checkers get (off, len) of the part they look at
 * so every error can point into the original text. */
struct vctx {
	const struct prop_def *p;
	enum menu_kind m;
	const char *v;
	size_t vlen;
	struct verr *e;
};

typedef bool (*check_fn)(const struct vctx *c, size_t off, size_t len);

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
	return m == MK_FILTER6 || m == MK_NAT6 || m == MK_MANGLE6 || m == MK_RAW6 ||
	       m == MK_ADDRLIST6;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

/* s[0..n) equals the NUL-terminated word w. */
static bool eq(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
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
		if (eq(s, n, en[i]))
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

bool value_parse_uint(const char *v, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!v || len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (!is_digit(v[i]))
			return false;
		d = (unsigned)(v[i] - '0');
		/* A constant bound keeps the division out of the loop: this
		 * runs for every octet of every address. */
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		if (x > max)
			return false;
	}
	if (out)
		*out = x;
	return true;
}

bool value_parse_range(const char *v, size_t len, uint64_t max, uint64_t *lo, uint64_t *hi)
{
	size_t dash;
	uint64_t a, b;

	if (!v)
		return false;
	dash = find(v, len, '-');
	if (!value_parse_uint(v, dash, max, &a))
		return false;
	b = a;
	if (dash < len && !value_parse_uint(v + dash + 1, len - dash - 1, max, &b))
		return false;
	if (a > b)
		return false;
	if (lo)
		*lo = a;
	if (hi)
		*hi = b;
	return true;
}

/* A count with an optional k/M/G multiplier (limit, connection-rate). */
static bool parse_scaled(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t mul = 1, x;

	if (n > 1) {
		switch (s[n - 1]) {
		case 'k':
		case 'K':
			mul = 1000;
			break;
		case 'M':
			mul = 1000000;
			break;
		case 'G':
			mul = 1000000000;
			break;
		default:
			break;
		}
	}
	if (mul != 1)
		n--;
	if (!value_parse_uint(s, n, UINT64_MAX, &x) || x > max / mul)
		return false;
	*out = x * mul;
	return true;
}

/* ------------------------------------------------------------------ time */

/* Units in the order RouterOS writes them; each may appear once, biggest
 * first, as in 1w2d3h4m5s or 1d00:00:10. */
enum { R_END, R_MS, R_S, R_M, R_H, R_D, R_W, R_START };

/* *total += num * mul, false on overflow. */
static bool add_scaled(uint64_t *total, uint64_t num, uint64_t mul)
{
	if (num > (UINT64_MAX - *total) / mul)
		return false;
	*total += num * mul;
	return true;
}

bool value_parse_time(const char *v, size_t len, uint64_t *ms)
{
	uint64_t total = 0;
	size_t i = 0;
	int last = R_START;
	bool clock_next = false;

	if (!v || len == 0)
		return false;
	if (all_digits(v, len)) {
		uint64_t s;

		/* RouterOS reads a bare number as seconds. */
		if (!value_parse_uint(v, len, UINT64_MAX / 1000, &s))
			return false;
		if (ms)
			*ms = s * 1000;
		return true;
	}
	while (i < len) {
		uint64_t num, mul;
		size_t start = i;
		int rank;

		if (v[i] == ' ') {
			/* "1d 00:00:10": a blank only between days and a clock */
			if (last != R_D && last != R_W)
				return false;
			i++;
			start = i;
			clock_next = true;
		}
		while (i < len && is_digit(v[i]))
			i++;
		if (i == start || !value_parse_uint(v + start, i - start, UINT64_MAX, &num))
			return false;
		if (i < len && v[i] == ':') {
			uint64_t mm, ss;

			/* hh:mm:ss takes the place of h, m and s */
			if (last <= R_H || i + 6 != len || v[i + 3] != ':' ||
			    !value_parse_uint(v + i + 1, 2, 59, &mm) ||
			    !value_parse_uint(v + i + 4, 2, 59, &ss))
				return false;
			if (!add_scaled(&total, num, 3600000) || !add_scaled(&total, mm, 60000) ||
			    !add_scaled(&total, ss, 1000))
				return false;
			last = R_END;
			break;
		}
		if (clock_next)
			return false;
		if (i + 1 < len && v[i] == 'm' && v[i + 1] == 's') {
			rank = R_MS;
			mul = 1;
			i += 2;
		} else if (i < len) {
			switch (v[i]) {
			case 'w': rank = R_W; mul = 7 * DAY_MS; break;
			case 'd': rank = R_D; mul = DAY_MS; break;
			case 'h': rank = R_H; mul = 3600000; break;
			case 'm': rank = R_M; mul = 60000; break;
			case 's': rank = R_S; mul = 1000; break;
			default: return false;
			}
			i++;
		} else {
			return false; /* a trailing number without unit: "1h30" */
		}
		if (rank >= last || !add_scaled(&total, num, mul))
			return false;
		last = rank;
	}
	if (ms)
		*ms = total;
	return true;
}

/* ------------------------------------------------------------- addresses */

bool value_parse_ip4(const char *v, size_t len, uint32_t *addr)
{
	uint32_t a = 0, oct = 0;
	size_t i, digits = 0;
	int dots = 0;

	/* One pass, no helpers: a million-entry blocklist parses every
	 * address here at least twice. */
	if (!v)
		return false;
	for (i = 0; i < len; i++) {
		char c = v[i];

		if (c >= '0' && c <= '9') {
			if (++digits > 3)
				return false;
			oct = oct * 10 + (uint32_t)(c - '0');
		} else if (c == '.' && digits && dots < 3) {
			if (oct > 255)
				return false;
			a = a << 8 | oct;
			oct = 0;
			digits = 0;
			dots++;
		} else {
			return false;
		}
	}
	if (dots != 3 || !digits || oct > 255)
		return false;
	if (addr)
		*addr = a << 8 | oct;
	return true;
}

bool value_parse_ip6(const char *v, size_t len, uint8_t addr[16])
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t tmp[16];

	/* the longest form is ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255 */
	if (!v || len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, tmp) != 1)
		return false;
	if (addr)
		memcpy(addr, tmp, 16);
	return true;
}

static void ip4_bytes(uint32_t a, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = (uint8_t)(a >> 24);
	out[1] = (uint8_t)(a >> 16);
	out[2] = (uint8_t)(a >> 8);
	out[3] = (uint8_t)a;
}

static bool ip_parse(const char *s, size_t n, bool v6, uint8_t out[16])
{
	uint32_t a;

	if (v6)
		return value_parse_ip6(s, n, out);
	if (!value_parse_ip4(s, n, &a))
		return false;
	ip4_bytes(a, out);
	return true;
}

/* Why an address did not parse. For AE_PLEN and AE_MASK the netmask after
 * the '/' is at fault, otherwise the whole text. */
enum addr_err { AE_OK, AE_SYNTAX, AE_PLEN, AE_MASK, AE_ORDER };

static void put_be32(uint8_t out[16], uint32_t x)
{
	memset(out, 0, 16);
	out[0] = (uint8_t)(x >> 24);
	out[1] = (uint8_t)(x >> 16);
	out[2] = (uint8_t)(x >> 8);
	out[3] = (uint8_t)x;
}

/* a.b.c.d and a.b.c.d/n, the forms a blocklist is made of, in one pass.
 * False leaves everything else (ranges, netmasks, leading zeros in n,
 * mistakes) to the general parser, which gives the same result. */
static bool addr4_fast(const char *s, size_t n, struct value_addr *a, size_t *mask_off)
{
	const char *p = s, *end = s + n;
	uint32_t addr = 0, plen = 32, mask;
	int k;

	for (k = 0; k < 4; k++) {
		uint32_t oct;

		if (k && (p == end || *p++ != '.'))
			return false;
		if (p == end || !is_digit(*p))
			return false;
		oct = (uint32_t)(*p++ - '0');
		if (p < end && is_digit(*p)) {
			oct = oct * 10 + (uint32_t)(*p++ - '0');
			if (p < end && is_digit(*p))
				oct = oct * 10 + (uint32_t)(*p++ - '0');
		}
		if (oct > 255)
			return false;
		addr = addr << 8 | oct;
	}
	*mask_off = (size_t)(p - s) + 1;
	a->v6 = false;
	if (p < end) {
		size_t r = (size_t)(end - p) - 1;

		if (*p != '/' || r < 1 || r > 2 || !is_digit(p[1]) || (r == 2 && !is_digit(p[2])))
			return false;
		plen = (uint32_t)(p[1] - '0');
		if (r == 2) {
			if (plen == 0)
				return false;
			plen = plen * 10 + (uint32_t)(p[2] - '0');
		}
		if (plen > 32)
			return false;
	}
	mask = plen ? ~0u << (32 - plen) : 0;
	a->kind = p < end ? VA_PREFIX : VA_ADDR;
	a->plen = (int)plen;
	put_be32(a->lo, addr & mask);
	put_be32(a->hi, (addr & mask) | ~mask);
	return true;
}

static enum addr_err addr_parse(const char *s, size_t n, bool v6, struct value_addr *a,
				size_t *mask_off)
{
	size_t slash, dash;
	int bits = v6 ? 128 : 32, i;

	if (!v6 && addr4_fast(s, n, a, mask_off))
		return AE_OK;
	slash = find(s, n, '/');
	dash = find(s, n, '-');
	memset(a, 0, sizeof(*a));
	a->v6 = v6;
	a->plen = bits;
	*mask_off = slash + 1;
	if (slash < n && dash < n)
		return AE_SYNTAX;
	if (dash < n) {
		if (!ip_parse(s, dash, v6, a->lo) ||
		    !ip_parse(s + dash + 1, n - dash - 1, v6, a->hi))
			return AE_SYNTAX;
		a->kind = VA_RANGE;
		return memcmp(a->lo, a->hi, 16) > 0 ? AE_ORDER : AE_OK;
	}
	if (!ip_parse(s, slash, v6, a->lo))
		return AE_SYNTAX;
	memcpy(a->hi, a->lo, 16);
	a->kind = VA_ADDR;
	if (slash == n)
		return AE_OK;

	if (all_digits(s + slash + 1, n - slash - 1)) {
		uint64_t pl;

		if (!value_parse_uint(s + slash + 1, n - slash - 1, (uint64_t)bits, &pl))
			return AE_PLEN;
		a->plen = (int)pl;
	} else {
		uint32_t mask;

		/* 10.0.0.0/255.0.0.0: RouterOS takes a dotted netmask too,
		 * as long as its ones are contiguous */
		if (v6 || !value_parse_ip4(s + slash + 1, n - slash - 1, &mask))
			return AE_SYNTAX;
		if (mask & (~mask >> 1))
			return AE_MASK;
		a->plen = 0;
		while (mask & 0x80000000u) {
			a->plen++;
			mask <<= 1;
		}
	}
	a->kind = VA_PREFIX;
	for (i = 0; i < bits / 8; i++) {
		int keep = a->plen - i * 8;
		uint8_t m = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));

		a->lo[i] &= m;
		a->hi[i] = a->lo[i] | (uint8_t)~m;
	}
	return AE_OK;
}

bool value_parse_addr(const char *v, size_t len, bool v6, struct value_addr *a)
{
	struct value_addr tmp;
	size_t mo;

	if (!v)
		return false;
	return addr_parse(v, len, v6, a ? a : &tmp, &mo) == AE_OK;
}

bool value_addr_unspecified(const char *v, size_t len, bool v6)
{
	static const uint8_t zero[16];
	struct value_addr a;

	return value_parse_addr(v, len, v6, &a) && a.kind == VA_ADDR && !memcmp(a.lo, zero, v6 ? 16 : 4);
}

static const char *addr_what(bool v6, bool dns)
{
	if (dns)
		return v6 ? "an IPv6 address, prefix, range or DNS name" :
			    "an IPv4 address, prefix, range or DNS name";
	return v6 ? "an IPv6 address, prefix or range" : "an IPv4 address, prefix or range";
}

static bool addr_elem(const struct vctx *c, size_t off, size_t len, bool dns)
{
	bool v6 = menu_v6(c->m);
	struct value_addr a;
	size_t mo;
	char q[QUOTE_MAX + 8];

	switch (addr_parse(c->v + off, len, v6, &a, &mo)) {
	case AE_OK:
		return true;
	case AE_PLEN:
		return fail(c, off + mo, len - mo, "expected a prefix length 0-%d, got \"%s\"",
			    v6 ? 128 : 32, quote(q, sizeof(q), c->v + off + mo, len - mo));
	case AE_MASK:
		return fail(c, off + mo, len - mo, "netmask \"%s\" is not contiguous",
			    quote(q, sizeof(q), c->v + off + mo, len - mo));
	case AE_ORDER:
		return fail(c, off, len, "address range \"%s\" starts after it ends",
			    quote(q, sizeof(q), c->v + off, len));
	case AE_SYNTAX:
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

/* ------------------------------------------------------ checkers: basic */

static bool check_string(const struct vctx *c, size_t off, size_t len)
{
	(void)c;
	(void)off;
	(void)len;
	return true;
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

static bool check_name(const struct vctx *c, size_t off, size_t len)
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

static bool name_list_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	(void)idx;
	(void)arg;
	if ((c->p->flags & PF_LIST_NEG) && c->v[off] == '!') {
		off++;
		len--;
		if (!len)
			return fail(c, off - 1, 1, "expected a name after '!'");
	}
	return name_elem(c, off, len);
}

static bool check_name_list(const struct vctx *c, size_t off, size_t len)
{
	return list_each(c, off, len, name_list_elem, NULL);
}

static bool check_yesno(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;

	/* exports write yes/no; the console also takes true/false */
	if (eq(s, len, "yes") || eq(s, len, "no") || eq(s, len, "true") || eq(s, len, "false"))
		return true;
	return expected(c, off, len, "yes or no");
}

static bool enum_elem(const struct vctx *c, size_t off, size_t len)
{
	const char *const *en = prop_enums(c->p, c->m);

	if (enum_index(en, c->v + off, len) >= 0)
		return true;
	return enum_expected(c, off, len, "one of ", en);
}

static bool check_enum(const struct vctx *c, size_t off, size_t len)
{
	return enum_elem(c, off, len);
}

/* One of the actions of the menu's rows. */
static bool check_action(const struct vctx *c, size_t off, size_t len)
{
	if (action_lookup_n(c->m, c->v + off, len))
		return true;
	return enum_expected(c, off, len, "one of ", action_names(c->m));
}

static bool enum_list_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	(void)idx;
	(void)arg;
	if ((c->p->flags & PF_LIST_NEG) && c->v[off] == '!') {
		off++;
		len--;
		if (!len)
			return fail(c, off - 1, 1, "expected a value after '!'");
	}
	return enum_elem(c, off, len);
}

static bool check_enum_list(const struct vctx *c, size_t off, size_t len)
{
	return list_each(c, off, len, enum_list_elem, NULL);
}

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

static bool check_uint(const struct vctx *c, size_t off, size_t len)
{
	return uint_in(c, off, len, p_min(c->p), p_max(c->p, UINT32_MAX), "an integer", NULL);
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
		     const char *what)
{
	const char *s = c->v + off;
	size_t dash = find(s, len, '-');
	uint64_t a, b;
	char q[QUOTE_MAX + 8];

	if (!value_parse_uint(s, dash, hi, &a) || a < lo)
		return range_expected(c, off, len, lo, hi, what);
	if (dash == len)
		return true;
	if (!value_parse_uint(s + dash + 1, len - dash - 1, hi, &b) || b < lo)
		return range_expected(c, off, len, lo, hi, what);
	if (a > b)
		return fail(c, off, len, "range \"%s\" starts after it ends",
			    quote(q, sizeof(q), s, len));
	return true;
}

static bool check_uint_range(const struct vctx *c, size_t off, size_t len)
{
	size_t n = strlen(c->p->name);
	bool port = n >= 5 && !strcmp(c->p->name + n - 5, "ports"); /* to-ports */

	return range_in(c, off, len, p_min(c->p), p_max(c->p, 65535), port ? "a port" : "a number");
}

/* ------------------------------------------------- checkers: addresses */

static bool check_addr(const struct vctx *c, size_t off, size_t len)
{
	return addr_elem(c, off, len, false);
}

static bool digits_only_tail(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && s[i - 1] != '.')
		i--;
	return all_digits(s + i, n - i);
}

/* Host name rules of RFC 1123 plus '_' (seen in real lists); a name must
 * contain a letter so that a mistyped address is not taken for a name. */
static bool dns_name_ok(const char *s, size_t n, bool *placeholder)
{
	size_t i, label = 0, labels = 0, numeric = 0, xs = 0;
	bool letter = false, digits_only = true, x_only = true;

	*placeholder = false;
	if (n && s[n - 1] == '.')
		n--; /* a fully qualified name may end in a dot */
	if (n == 0 || n > 253)
		return false;
	for (i = 0; i <= n; i++) {
		char ch = i < n ? s[i] : '.';

		if (ch == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
				return false;
			labels++;
			if (digits_only)
				numeric++;
			else if (x_only)
				xs++;
			label = 0;
			digits_only = true;
			x_only = true;
			continue;
		}
		if (is_alpha(ch) || ch == '_') {
			letter = true;
			digits_only = false;
			if (ch != 'x' && ch != 'X')
				x_only = false;
		} else if (ch == '-') {
			digits_only = false;
			x_only = false;
		} else if (is_digit(ch)) {
			x_only = false;
		} else {
			return false;
		}
		label++;
	}
	/* 172.16.1.X or X.X.X.X: an address with placeholders left in */
	if (labels == 4 && numeric + xs == 4) {
		*placeholder = true;
		return false;
	}
	/* RFC 3696: a top-level label is never all digits */
	return letter && !digits_only_tail(s, n);
}

static bool check_addr_or_dns(const struct vctx *c, size_t off, size_t len)
{
	bool v6 = menu_v6(c->m), placeholder;
	struct value_addr a;
	size_t mo, i;
	bool addr_like = true;
	char q[QUOTE_MAX + 8];

	if (addr_parse(c->v + off, len, v6, &a, &mo) == AE_OK)
		return true;
	if (dns_name_ok(c->v + off, len, &placeholder))
		return true;
	if (placeholder)
		return fail(c, off, len,
			    "expected %s, got \"%s\", which looks like an address with a placeholder",
			    addr_what(v6, true), quote(q, sizeof(q), c->v + off, len));
	/* text made of address characters gets the address diagnosis */
	for (i = 0; i < len; i++) {
		char ch = c->v[off + i];

		if (!(is_digit(ch) || ch == '.' || ch == '/' || ch == '-' || ch == ':' ||
		      (v6 && ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))))
			addr_like = false;
	}
	if (addr_like)
		return addr_elem(c, off, len, true);
	return expected(c, off, len, addr_what(v6, true));
}

/* ---------------------------------------------- checkers: ports, protocol */

static bool port_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	(void)idx;
	(void)arg;
	return range_in(c, off, len, 0, 65535, "a port");
}

static bool check_ports(const struct vctx *c, size_t off, size_t len)
{
	return list_each(c, off, len, port_elem, NULL);
}

static const struct {
	const char *name;
	int num;
} protocols[] = {
	{ "ip", 0 },		{ "icmp", 1 },		{ "igmp", 2 },
	{ "ggp", 3 },		{ "ip-encap", 4 },	{ "ipencap", 4 },
	{ "st", 5 },		{ "tcp", 6 },		{ "egp", 8 },
	{ "pup", 12 },		{ "udp", 17 },		{ "hmp", 20 },
	{ "xns-idp", 22 },	{ "rdp", 27 },		{ "iso-tp4", 29 },
	{ "dccp", 33 },		{ "xtp", 36 },		{ "ddp", 37 },
	{ "idpr-cmtp", 38 },
	{ "idrp-cmtp", 38 },	/* the 2.9 manual's spelling of idpr-cmtp */
	{ "ipv6", 41 },
	{ "ipv6-encap", 41 },	/* RouterOS's name for 41 */
	{ "ipv6-route", 43 },	{ "ipv6-frag", 44 },	{ "idrp", 45 },
	{ "rsvp", 46 },		{ "gre", 47 },		{ "esp", 50 },
	{ "ipsec-esp", 50 },	{ "ah", 51 },		{ "ipsec-ah", 51 },
	{ "icmpv6", 58 },	{ "ipv6-icmp", 58 },	{ "ipv6-nonxt", 59 },
	{ "ipv6-opts", 60 },	{ "rspf", 73 },		{ "vmtp", 81 },
	{ "ospf", 89 },		{ "ipip", 94 },		{ "etherip", 97 },
	{ "encap", 98 },	{ "pim", 103 },		{ "vrrp", 112 },
	{ "l2tp", 115 },	{ "sctp", 132 },	{ "udp-lite", 136 },
	{ "udplite", 136 },
};

bool value_parse_protocol(const char *v, size_t len, int *proto)
{
	uint64_t n;
	size_t i;

	if (!v)
		return false;
	if (value_parse_uint(v, len, 255, &n)) {
		if (proto)
			*proto = (int)n;
		return true;
	}
	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (eq(v, len, protocols[i].name)) {
			if (proto)
				*proto = protocols[i].num;
			return true;
		}
	return false;
}

bool value_proto_has_ports(int proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

static bool check_protocol(const struct vctx *c, size_t off, size_t len)
{
	if (value_parse_protocol(c->v + off, len, NULL))
		return true;
	return expected(c, off, len, "a protocol name (tcp, udp, icmp, ...) or number 0-255");
}

/* --------------------------------------------------- checkers: time based */

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

static bool check_time(const struct vctx *c, size_t off, size_t len)
{
	uint64_t ms;

	if (!time_in(c, off, len, &ms))
		return false;
	/* A set entry's timeout= carries the kernel's limit. */
	return !c->p->max || set_timeout_fits(c, off, len, ms);
}

static bool check_timeout(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	uint64_t ms;

	if (eq(s, len, "none-dynamic") || eq(s, len, "none-static"))
		return true;
	if (value_parse_time(s, len, &ms))
		return !c->p->max || set_timeout_fits(c, off, len, ms);
	return expected(c, off, len, "a time such as 1h or 1d00:00:00, none-dynamic or none-static");
}

/* A time that must be more than zero (rate periods). */
static bool period_in(const struct vctx *c, size_t off, size_t len)
{
	uint64_t ms;

	if (!time_in(c, off, len, &ms))
		return false;
	if (ms == 0)
		return fail(c, off, len, "expected a time greater than zero, got \"0\"");
	return true;
}

/* limit: count[/time][,burst][:packet|bit]
 * v7 writes 50/1s,5:packet and 1M/1s,1M:bit; v6 wrote 50,5:packet,
 * 2/1m,5 and 10/1s. */
static bool check_rate(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t colon = find(s, len, ':'), head = colon, comma, slash;
	uint64_t x;

	if (colon < len) {
		if (!eq(s + colon + 1, len - colon - 1, "packet") &&
		    !eq(s + colon + 1, len - colon - 1, "bit"))
			return expected(c, off + colon + 1, len - colon - 1,
					"a limit mode packet or bit");
	}
	comma = find(s, head, ',');
	slash = find(s, comma, '/');
	if (!parse_scaled(s, slash, UINT32_MAX * 1000ull, &x) || x == 0)
		return expected(c, off, slash,
				"a limit count 1-4294967295 (k, M, G suffixes allowed) as in 50/1s,5:packet");
	if (slash < comma && !period_in(c, off + slash + 1, comma - slash - 1))
		return false;
	if (comma < head) {
		size_t bo = comma + 1, bl = head - comma - 1;

		if (find(s + bo, bl, ',') < bl)
			return fail(c, off + bo, bl,
				    "expected count[/time],burst[:mode], got more than one burst");
		if (!parse_scaled(s + bo, bl, UINT32_MAX * 1000ull, &x))
			return expected(c, off + bo, bl, "a burst count (k, M, G suffixes allowed)");
	}
	return true;
}

static const char *const dst_limit_modes[] = {
	"addresses-and-dst-port", "dst-address", "dst-address-and-port", "src-address",
	"src-and-dst-addresses",
	/* the v7 manual's spelling; the console and exports use ...-addresses */
	"src-and-dst-address",
	/* 2.9 */
	"dst-port",
	NULL
};

/* dst-limit: count[/time],burst,mode[/expire]; 2.9 put expire after a comma */
static bool check_dst_limit(const struct vctx *c, size_t off, size_t len)
{
	size_t po[4], pl[4], n = split(c, off, len, ',', po, pl, 4);
	const char *s;
	size_t slash;
	uint64_t x;

	if (n < 3 || n > 4)
		return fail(c, off, len,
			    "expected count[/time],burst,mode[/expire] such as 10/1m,5,src-address/1m, got %zu comma-separated parts",
			    n);
	s = c->v + po[0];
	slash = find(s, pl[0], '/');
	if (!value_parse_uint(s, slash, UINT32_MAX, &x) || x == 0)
		return expected(c, po[0], slash, "a packet count 1-4294967295");
	if (slash < pl[0] && !period_in(c, po[0] + slash + 1, pl[0] - slash - 1))
		return false;
	if (!value_parse_uint(c->v + po[1], pl[1], UINT32_MAX, &x))
		return expected(c, po[1], pl[1], "a burst count 0-4294967295");
	s = c->v + po[2];
	slash = find(s, pl[2], '/');
	if (enum_index(dst_limit_modes, s, slash) < 0)
		return enum_expected(c, po[2], slash, "a dst-limit mode, one of ",
				     dst_limit_modes);
	/* The expire time is the timeout of the set rosfw keeps the counts in. */
	if (slash < pl[2] && (!time_in(c, po[2] + slash + 1, pl[2] - slash - 1, &x) ||
			      !set_timeout_fits(c, po[2] + slash + 1, pl[2] - slash - 1, x)))
		return false;
	if (n == 4) {
		if (slash < pl[2])
			return fail(c, po[3], pl[3], "expected one expire time, got a second one");
		if (!time_in(c, po[3], pl[3], &x) || !set_timeout_fits(c, po[3], pl[3], x))
			return false;
	}
	return true;
}

/* connection-limit: count,netmask */
static bool check_conn_limit(const struct vctx *c, size_t off, size_t len)
{
	size_t po[2], pl[2], n = split(c, off, len, ',', po, pl, 2);

	if (n != 2)
		return expected(c, off, len, "count,netmask such as 100,32");
	if (!uint_in(c, po[0], pl[0], 0, UINT32_MAX, "a connection count", NULL))
		return false;
	return uint_in(c, po[1], pl[1], 0, menu_v6(c->m) ? 128 : 32, "a netmask length", NULL);
}

/* connection-bytes: N-M, where M = 0 means no upper bound */
static bool check_conn_bytes(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t dash = find(s, len, '-');
	uint64_t a, b;
	char q[QUOTE_MAX + 8];

	if (dash == len || !value_parse_uint(s, dash, UINT64_MAX, &a) ||
	    !value_parse_uint(s + dash + 1, len - dash - 1, UINT64_MAX, &b))
		return expected(c, off, len, "a byte range N-M such as 1000000-0 (0 = no limit)");
	if (b != 0 && a > b)
		return fail(c, off, len, "byte range \"%s\" starts after it ends",
			    quote(q, sizeof(q), s, len));
	return true;
}

/* connection-rate: N-M bits per second with k/M/G suffixes; a single N is
 * taken as well since the manual types it as one integer */
static bool check_conn_rate(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t dash = find(s, len, '-');
	uint64_t a, b;
	char q[QUOTE_MAX + 8];
	const char *what = "a rate range N-M 0-4294967295 (k, M, G suffixes allowed) such as 0-100k";

	if (!parse_scaled(s, dash, UINT32_MAX, &a))
		return expected(c, off, len, what);
	if (dash == len)
		return true;
	if (!parse_scaled(s + dash + 1, len - dash - 1, UINT32_MAX, &b))
		return expected(c, off, len, what);
	if (a > b)
		return fail(c, off, len, "rate range \"%s\" starts after it ends",
			    quote(q, sizeof(q), s, len));
	return true;
}

/* nth: every,packet (v3 and later: packet 1..every); 2.9 wrote
 * every,counter,packet with counter 0-15 and packet 0..every */
static bool check_nth(const struct vctx *c, size_t off, size_t len)
{
	size_t po[3], pl[3], n = split(c, off, len, ',', po, pl, 3);
	uint64_t every, packet;

	if (n == 2) {
		if (!uint_in(c, po[0], pl[0], 1, UINT32_MAX, "an nth interval", &every))
			return false;
		return uint_in(c, po[1], pl[1], 1, every, "a packet number", &packet);
	}
	if (n == 3) {
		if (!uint_in(c, po[0], pl[0], 0, UINT32_MAX, "an nth interval", &every) ||
		    !uint_in(c, po[1], pl[1], 0, 15, "a counter", NULL))
			return false;
		return uint_in(c, po[2], pl[2], 0, every, "a packet number", &packet);
	}
	return expected(c, off, len, "every,packet such as 2,1");
}

static const char *const pcc_fields[] = {
	"both-addresses", "both-addresses-and-ports", "both-ports", "dst-address",
	"dst-address-and-port", "dst-port", "src-address", "src-address-and-port", "src-port",
	NULL
};

/* per-connection-classifier: fields:denominator/remainder, remainder < denominator */
static bool check_pcc(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t colon = find(s, len, ':'), slash;
	uint64_t den, rem;

	if (enum_index(pcc_fields, s, colon) < 0)
		return enum_expected(c, off, colon, "a classifier, one of ", pcc_fields);
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
	return true;
}

static const char *const weekdays[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

static bool day_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	uint64_t *ms = arg;
	size_t dash;

	if (idx > 0) {
		if (enum_index(weekdays, c->v + off, len) >= 0)
			return true;
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
	return true;
}

/* time: start-end[,day,...] */
static bool check_time_spec(const struct vctx *c, size_t off, size_t len)
{
	uint64_t ms[2];

	return list_each(c, off, len, day_elem, ms);
}

static const char *const tcp_flag_names[] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", NULL
};

static bool tcp_flag_elem(const struct vctx *c, size_t off, size_t len, size_t idx, void *arg)
{
	unsigned *seen = arg; /* bits 0-7 required, 8-15 excluded */
	bool neg = c->v[off] == '!';
	int f;

	(void)idx;
	if (neg) {
		off++;
		len--;
		if (!len)
			return fail(c, off - 1, 1, "expected a tcp flag after '!'");
	}
	f = enum_index(tcp_flag_names, c->v + off, len);
	if (f < 0)
		return expected(c, off, len, "a tcp flag fin, syn, rst, psh, ack, urg, ece or cwr");
	if (*seen & (1u << (neg ? f : f + 8)))
		return fail(c, off - neg, len + neg,
			    "tcp flag %s is both required and excluded", tcp_flag_names[f]);
	*seen |= 1u << (neg ? f + 8 : f);
	return true;
}

static bool check_tcp_flags(const struct vctx *c, size_t off, size_t len)
{
	unsigned seen = 0;

	return list_each(c, off, len, tcp_flag_elem, &seen);
}

/* ------------------------------------------------------ checkers: others */

static const struct {
	const char *name;
	int type;
} icmp4_names[] = {
	{ "echo-reply", 0 }, { "destination-unreachable", 3 }, { "source-quench", 4 },
	{ "redirect", 5 }, { "echo-request", 8 }, { "router-advertisement", 9 },
	{ "router-solicitation", 10 }, { "time-exceeded", 11 }, { "parameter-problem", 12 },
	{ "timestamp-request", 13 }, { "timestamp-reply", 14 }, { "info-request", 15 },
	{ "info-reply", 16 }, { "address-mask-request", 17 }, { "address-mask-reply", 18 },
	{ NULL, 0 }
}, icmp6_names[] = {
	{ "destination-unreachable", 1 }, { "packet-too-big", 2 }, { "time-exceeded", 3 },
	{ "parameter-problem", 4 }, { "echo-request", 128 }, { "echo-reply", 129 },
	{ "mld-listener-query", 130 }, { "mld-listener-report", 131 },
	{ "mld-listener-done", 132 }, { "mld-listener-reduction", 132 },
	{ "nd-router-solicit", 133 }, { "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 }, { "nd-neighbor-advert", 136 }, { "nd-redirect", 137 },
	{ "router-renumbering", 138 }, { "ind-neighbor-solicit", 141 },
	{ "ind-neighbor-advert", 142 }, { "mld2-listener-report", 143 },
	{ NULL, 0 }
};

bool value_parse_icmp_type(const char *v, size_t len, bool v6, int *type)
{
	uint64_t n;
	int i;

	if (!v)
		return false;
	if (value_parse_uint(v, len, 255, &n)) {
		if (type)
			*type = (int)n;
		return true;
	}
	for (i = 0; v6 ? icmp6_names[i].name != NULL : icmp4_names[i].name != NULL; i++) {
		const char *nm = v6 ? icmp6_names[i].name : icmp4_names[i].name;

		if (eq(v, len, nm)) {
			if (type)
				*type = v6 ? icmp6_names[i].type : icmp4_names[i].type;
			return true;
		}
	}
	return false;
}

/* icmp-options: type[:code[-code]] such as 8:0, 3 or 3:0-255; RouterOS
 * itself writes numbers, names are the ones nft prints */
static bool check_icmp_options(const struct vctx *c, size_t off, size_t len)
{
	const char *s = c->v + off;
	size_t colon = find(s, len, ':');
	bool v6 = menu_v6(c->m);

	if (!value_parse_icmp_type(s, colon, v6, NULL))
		return expected(c, off, colon, v6 ? "an ICMPv6 type 0-255 or name" :
						   "an ICMP type 0-255 or name");
	if (colon == len)
		return true;
	return range_in(c, off + colon + 1, len - colon - 1, 0, 255, "a code");
}

static int hex_val(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool value_parse_mac(const char *v, size_t len, uint8_t mac[6])
{
	uint8_t tmp[6];
	int i;

	if (!v || len != 17)
		return false;
	for (i = 0; i < 6; i++) {
		int hi = hex_val(v[i * 3]), lo = hex_val(v[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && v[i * 3 + 2] != ':'))
			return false;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	if (mac)
		memcpy(mac, tmp, 6);
	return true;
}

static bool check_mac(const struct vctx *c, size_t off, size_t len)
{
	if (value_parse_mac(c->v + off, len, NULL))
		return true;
	return expected(c, off, len, "a MAC address AA:BB:CC:DD:EE:FF");
}

/* ipsec-policy: direction,policy */
static bool check_ipsec_policy(const struct vctx *c, size_t off, size_t len)
{
	size_t po[2], pl[2], n = split(c, off, len, ',', po, pl, 2);

	if (n != 2)
		return expected(c, off, len, "direction,policy such as in,ipsec or out,none");
	if (!eq(c->v + po[0], pl[0], "in") && !eq(c->v + po[0], pl[0], "out"))
		return expected(c, po[0], pl[0], "a direction in or out");
	if (!eq(c->v + po[1], pl[1], "ipsec") && !eq(c->v + po[1], pl[1], "none"))
		return expected(c, po[1], pl[1], "a policy ipsec or none");
	return true;
}

static const char *const addr_types[] = {
	"unicast", "local", "broadcast", "multicast", "blackhole", "prohibit", "unreachable", NULL
};

static bool check_addr_type(const struct vctx *c, size_t off, size_t len)
{
	if (enum_index(addr_types, c->v + off, len) >= 0)
		return true;
	return expected(c, off, len,
			"an address type unicast, local, broadcast, multicast, blackhole, prohibit or unreachable");
}

static bool check_tcp_mss(const struct vctx *c, size_t off, size_t len)
{
	return range_in(c, off, len, 0, 65535, "an MSS");
}

static bool check_dscp(const struct vctx *c, size_t off, size_t len)
{
	return uint_in(c, off, len, 0, 63, "a DSCP value", NULL);
}

static bool check_priority(const struct vctx *c, size_t off, size_t len)
{
	return uint_in(c, off, len, 0, 63, "a priority", NULL);
}

/*
 * new-mss, new-ttl, new-hop-limit, new-priority. prop_def.enums lists the
 * keywords; an entry ending in ':' is an operation taking a number in
 * [min, max] (set:64). A plain number is accepted only when no such
 * operation exists, since RouterOS wants new-ttl=set:64, not new-ttl=64.
 */
static bool check_action_value(const struct vctx *c, size_t off, size_t len)
{
	const char *const *en = c->p->enums;
	const char *s = c->v + off;
	uint64_t lo = p_min(c->p), hi = p_max(c->p, 65535), x;
	char what[170];
	size_t used = 0, n;
	bool has_op = false;
	int i;

	for (i = 0; en && en[i]; i++) {
		n = strlen(en[i]);
		if (n && en[i][n - 1] == ':') {
			has_op = true;
			if (len > n && !memcmp(s, en[i], n))
				return uint_in(c, off + n, len - n, lo, hi, "a number", NULL);
		} else if (eq(s, len, en[i])) {
			return true;
		}
	}
	if (!has_op && value_parse_uint(s, len, hi, &x) && x >= lo)
		return true;

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

/* psd: weight-threshold,delay-threshold,low-port-weight,high-port-weight */
static bool check_psd(const struct vctx *c, size_t off, size_t len)
{
	size_t po[4], pl[4], n = split(c, off, len, ',', po, pl, 4);

	if (n != 4)
		return expected(c, off, len,
				"weight,delay,low-port-weight,high-port-weight such as 21,3s,3,1");
	return uint_in(c, po[0], pl[0], 1, UINT32_MAX, "a weight threshold", NULL) &&
	       period_in(c, po[1], pl[1]) &&
	       uint_in(c, po[2], pl[2], 0, UINT32_MAX, "a low port weight", NULL) &&
	       uint_in(c, po[3], pl[3], 0, UINT32_MAX, "a high port weight", NULL);
}

/* ttl, hop-limit: v7 writes equal:64, greater-than:10 ...; v6 a number or
 * range */
static bool check_ttl(const struct vctx *c, size_t off, size_t len)
{
	static const char *const ops[] = { "equal", "not-equal", "greater-than", "less-than", NULL };
	const char *s = c->v + off;
	size_t colon = find(s, len, ':');

	if (colon == len)
		return range_in(c, off, len, 0, 255, "a value");
	if (enum_index(ops, s, colon) < 0)
		return expected(c, off, colon,
				"a comparison equal, not-equal, greater-than or less-than");
	return uint_in(c, off + colon + 1, len - colon - 1, 0, 255, "a value", NULL);
}

/* -------------------------------------------------------------- dispatch */

static const check_fn checkers[VT__COUNT] = {
	[VT_STRING] = check_string,
	[VT_NAME] = check_name,
	[VT_NAME_LIST] = check_name_list,
	[VT_YESNO] = check_yesno,
	[VT_ENUM] = check_enum,
	[VT_ENUM_LIST] = check_enum_list,
	[VT_ACTION] = check_action,
	[VT_UINT] = check_uint,
	[VT_UINT_RANGE] = check_uint_range,
	[VT_ADDR] = check_addr,
	[VT_ADDR_OR_DNS] = check_addr_or_dns,
	[VT_PORTS] = check_ports,
	[VT_PROTOCOL] = check_protocol,
	[VT_TIME] = check_time,
	[VT_TIMEOUT] = check_timeout,
	[VT_RATE] = check_rate,
	[VT_DST_LIMIT] = check_dst_limit,
	[VT_CONN_LIMIT] = check_conn_limit,
	[VT_CONN_BYTES] = check_conn_bytes,
	[VT_CONN_RATE] = check_conn_rate,
	[VT_NTH] = check_nth,
	[VT_PCC] = check_pcc,
	[VT_TIME_SPEC] = check_time_spec,
	[VT_TCP_FLAGS] = check_tcp_flags,
	[VT_ICMP_OPTIONS] = check_icmp_options,
	[VT_MAC] = check_mac,
	[VT_IPSEC_POLICY] = check_ipsec_policy,
	[VT_ADDR_TYPE] = check_addr_type,
	[VT_TCP_MSS] = check_tcp_mss,
	[VT_DSCP] = check_dscp,
	[VT_PRIORITY] = check_priority,
	[VT_ACTION_VALUE] = check_action_value,
	[VT_HEX_STRING] = check_string,
	[VT_REGEX] = check_string,
	[VT_PSD] = check_psd,
	[VT_TTL] = check_ttl,
};

/* Types whose text is free, so a leading '!' without PF_NEG is a literal
 * character (log-prefix=!text, chain=!x). */
static bool bang_is_literal(enum vtype t)
{
	return t == VT_STRING || t == VT_NAME || t == VT_NAME_LIST || t == VT_REGEX ||
	       t == VT_HEX_STRING;
}

bool value_check(const struct prop_def *p, enum menu_kind m, const char *v, size_t len,
		 struct verr *e)
{
	struct verr dummy;
	struct vctx c = { p, m, v, len, e ? e : &dummy };
	size_t off = 0;

	c.e->msg[0] = '\0';
	c.e->off = 0;
	c.e->len = 0;
	if (!p || (unsigned)p->type >= VT__COUNT || !checkers[p->type])
		return fail(&c, 0, len, "internal error: no checker for this property");
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
			if (len == 1)
				return fail(&c, 0, 1, "expected a value after '!'");
			if (v[1] == '!')
				return fail(&c, 1, 1, "expected one '!', got two");
		} else if (!bang_is_literal(p->type) && !(p->flags & PF_LIST_NEG)) {
			return fail(&c, 0, 1, "%s cannot be negated with '!'", p->name);
		}
	}
	return checkers[p->type](&c, off, len - off);
}
