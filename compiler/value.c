/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text parsers RouterOS values are made of: numbers, ranges, times,
 * addresses, protocols, ICMP types, MAC addresses. The value types
 * (vtype.c) are built from them; the runtime uses some for what a user
 * types on the command line.
 *
 * Values arrive with a length and no terminating NUL. Nothing here reads
 * past that length or allocates; the only copies are small bounded stack
 * buffers (IPv6 text for inet_pton).
 */
#include "value.h"

#include <arpa/inet.h>
#include <string.h>

#include "text.h"

#define DAY_MS (24ull * 3600 * 1000)

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

/* Index of ch in s[0..n), or n. */
static size_t find(const char *s, size_t n, char ch)
{
	const char *q = n ? memchr(s, ch, n) : NULL;

	return q ? (size_t)(q - s) : n;
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

/* A count with an optional k/M/G multiplier (limit, connection-rate). */
bool value_parse_scaled(const char *s, size_t n, uint64_t max, uint64_t *out)
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

static void put_be32(uint8_t out[16], uint32_t x)
{
	memset(out, 0, 16);
	out[0] = (uint8_t)(x >> 24);
	out[1] = (uint8_t)(x >> 16);
	out[2] = (uint8_t)(x >> 8);
	out[3] = (uint8_t)x;
}

static bool ip_parse(const char *s, size_t n, bool v6, uint8_t out[16])
{
	uint32_t a;

	if (v6)
		return value_parse_ip6(s, n, out);
	if (!value_parse_ip4(s, n, &a))
		return false;
	put_be32(out, a);
	return true;
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

enum value_addr_err value_addr_parse(const char *s, size_t n, bool v6, struct value_addr *a, size_t *mask_off)
{
	size_t slash, dash;
	int bits = v6 ? 128 : 32, i;

	if (!v6 && addr4_fast(s, n, a, mask_off))
		return VAE_OK;
	slash = find(s, n, '/');
	dash = find(s, n, '-');
	memset(a, 0, sizeof(*a));
	a->v6 = v6;
	a->plen = bits;
	*mask_off = slash + 1;
	if (slash < n && dash < n)
		return VAE_SYNTAX;
	if (dash < n) {
		if (!ip_parse(s, dash, v6, a->lo) ||
		    !ip_parse(s + dash + 1, n - dash - 1, v6, a->hi))
			return VAE_SYNTAX;
		a->kind = VA_RANGE;
		return memcmp(a->lo, a->hi, 16) > 0 ? VAE_ORDER : VAE_OK;
	}
	if (!ip_parse(s, slash, v6, a->lo))
		return VAE_SYNTAX;
	memcpy(a->hi, a->lo, 16);
	a->kind = VA_ADDR;
	if (slash == n)
		return VAE_OK;

	if (all_digits(s + slash + 1, n - slash - 1)) {
		uint64_t pl;

		if (!value_parse_uint(s + slash + 1, n - slash - 1, (uint64_t)bits, &pl))
			return VAE_PLEN;
		a->plen = (int)pl;
	} else {
		uint32_t mask;

		/* 10.0.0.0/255.0.0.0: RouterOS takes a dotted netmask too,
		 * as long as its ones are contiguous */
		if (v6 || !value_parse_ip4(s + slash + 1, n - slash - 1, &mask))
			return VAE_SYNTAX;
		if (mask & (~mask >> 1))
			return VAE_MASK;
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
	return VAE_OK;
}

bool value_parse_addr(const char *v, size_t len, bool v6, struct value_addr *a)
{
	struct value_addr tmp;
	size_t mo;

	if (!v)
		return false;
	return value_addr_parse(v, len, v6, a ? a : &tmp, &mo) == VAE_OK;
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
bool value_dns_name(const char *s, size_t n, bool *placeholder)
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

/* A name for a number, in a table that ends with a NULL name. */
struct named_num {
	const char *name;
	int num;
};

/* A number 0-255 or one of the table's names. */
static bool number_or_name(const char *v, size_t len, const struct named_num *t, int *out)
{
	uint64_t n;
	size_t i;

	if (!v)
		return false;
	if (value_parse_uint(v, len, 255, &n)) {
		if (out)
			*out = (int)n;
		return true;
	}
	for (i = 0; t[i].name; i++) {
		if (text_eq(v, len, t[i].name)) {
			if (out)
				*out = t[i].num;
			return true;
		}
	}
	return false;
}

static const struct named_num protocols[] = {
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
	{ NULL, 0 }
};

bool value_parse_protocol(const char *v, size_t len, int *proto)
{
	return number_or_name(v, len, protocols, proto);
}

const char *value_protocol_name(int proto)
{
	/* Where a number has several names, the one RouterOS prints. */
	static const struct named_num ros[] = {
		{ "ipv6-encap", 41 }, { "ipsec-esp", 50 }, { "ipsec-ah", 51 }, { "udp-lite", 136 }, { NULL, 0 }
	};
	size_t i;

	for (i = 0; ros[i].name; i++)
		if (ros[i].num == proto)
			return ros[i].name;
	for (i = 1; protocols[i].name; i++)
		if (protocols[i].num == proto)
			return protocols[i].name;
	return NULL;
}

bool value_proto_has_ports(int proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

static const struct named_num icmp4_names[] = {
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
	return number_or_name(v, len, v6 ? icmp6_names : icmp4_names, type);
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
