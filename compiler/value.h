/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_VALUE_H
#define ROSFW_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "props.h"

struct arena;

/**
 * struct verr - why a value was refused.
 * @msg: one sentence, no trailing period, e.g. "port 70000 is out of range 0-65535".
 * @off: byte offset of the offending part inside the value text.
 * @len: its length in bytes (at least 1 when the value is not empty).
 */
struct verr {
	char msg[192];
	size_t off, len;
};

/* ---- parsed values --------------------------------------------------------
 *
 * What a value's text means, made once when the model reads it (vtype.c,
 * one parser per enum vtype) and kept beside the text in the item; lowering
 * and the checks read this, never the text. Small values sit in union pval
 * itself, larger ones in the model's arena (pval.p). @form says which shape
 * a type's value took, @neg that the text began with the '!' PF_NEG allows.
 */

/* An inclusive range of numbers; one number is lo == hi. */
struct vrange {
	uint32_t lo, hi;
};

/* A comma list of numbers and ranges (VT_PORTS of more than one element). */
struct vranges {
	uint32_t n;
	struct vrange v[];
};

/* One element of VT_NAME_LIST: len bytes at off in the value's text. */
struct vname {
	uint32_t off, len;
};

struct vnames {
	uint32_t n;
	struct vname v[];
};

/* VT_RATE (limit=) and the rate of VT_DST_LIMIT: count per period, a burst,
 * counted in packets or (bits) in bits. k, M and G are multiplied out. */
struct vrate {
	uint64_t count, period_ms, burst;
	bool bits;
};

/* What a dst-limit counts by, per mode. */
#define VDL_SADDR 1
#define VDL_DADDR 2
#define VDL_DPORT 4

struct vdst_limit {
	struct vrate rate;
	uint64_t expire_ms;	/* 60000 when none is given */
	uint8_t keys;		/* VDL_* */
};

struct value_addr;

/* /ip service address=: IPv4 and IPv6 addresses and prefixes, as written. */
struct vaddrs {
	uint32_t n;
	struct value_addr *v;
};

/* VT_CONN_BYTES: lo-hi, hi 0 for no upper bound. */
struct vconn_bytes {
	uint64_t lo, hi;
};

/* VT_PSD: psd=weight,delay,low-port-weight,high-port-weight */
struct vpsd {
	uint32_t weight, lo_weight, hi_weight;
	uint64_t delay_ms;
};

union pval {
	uint64_t u;		/* VT_UINT, VT_YESNO (1 yes), VT_ENUM (index into the menu's
				 * names), VT_ENUM_LIST (bit per index; bits 32+ for '!'),
				 * VT_ACTION (enum action_id), VT_PROTOCOL, VT_TIME and
				 * VT_TIMEOUT (ms), VT_ADDR_TYPE (enum vaddr_type),
				 * VT_IPSEC_POLICY (VIP_*) */
	struct vrange r;	/* VT_UINT_RANGE, VT_TCP_MSS, VT_DSCP, VT_PRIORITY, one port,
				 * VT_CONN_LIMIT (count, netmask), VT_CONN_RATE, VT_NTH
				 * (every, packet as written), VT_PCC (mod, remainder),
				 * VT_TIME_SPEC (from, to in ms), VT_TCP_FLAGS (mask, set),
				 * VT_TTL, VT_ACTION_VALUE (number, index of the word) */
	struct {
		uint8_t lo[4], hi[4];
	} ip4;			/* an IPv4 address, prefix or range */
	struct {
		uint8_t type, code_lo, code_hi;
	} icmp;			/* VT_ICMP_OPTIONS */
	uint8_t mac[6];		/* VT_MAC */
	const void *p;		/* an IPv6 struct value_addr, struct vranges, struct vnames,
				 * struct vrate, struct vdst_limit, struct vconn_bytes,
				 * struct vaddrs, struct vpsd */
};

/* Forms: VT_ADDR and VT_ADDR_OR_DNS keep the address kind (VA_*) in the low
 * bits; VT_PORTS has one range in the union or a list; the others below. */
#define VFORM_V6 0x04		/* the address is an IPv6 value_addr at pval.p */
#define VFORM_DNS 0x08		/* VT_ADDR_OR_DNS: a DNS name; the text is it */
#define VFORM_ADDRS 0x10	/* VT_ADDR_OR_DNS in /ip service: struct vaddrs at pval.p */
#define VFORM_LIST 0x01		/* VT_PORTS: struct vranges at pval.p */
#define VFORM_CODE 0x01		/* VT_ICMP_OPTIONS: a code range follows the type */
#define VFORM_V29 0x01		/* VT_NTH: 2.9's every,counter,packet */
#define VFORM_MAC_MASK 0x01	/* VT_MAC: address and mask, 12 bytes at pval.p */

/* VT_ETHER_PROTO: pval.u is an EtherType, or VETHER_NAME + the index of
 * one of RouterOS's names (vtype.c). */
#define VETHER_NAME 0x10000u
/* The EtherType of name index i, or -1 where rosfw does not know it. */
int value_ether_type(size_t i);

/* VT_TIMEOUT */
enum { VTO_TIME, VTO_NONE_DYNAMIC, VTO_NONE_STATIC };
/* VT_TTL: the comparison; a number or range written alone is VTTL_RANGE. */
enum { VTTL_RANGE, VTTL_EQ, VTTL_NE, VTTL_GT, VTTL_LT };
/* VT_ACTION_VALUE: a number alone, an operation with a number (set:64), or
 * a word (clamp-to-pmtu); r.hi is the index of the operation or word. */
enum { VAV_NUMBER, VAV_OP, VAV_WORD };
/* VT_IPSEC_POLICY */
#define VIP_IN 1
#define VIP_IPSEC 2
/* VT_PCC: the form holds the fields hashed */
#define VPCC_SADDR 1
#define VPCC_DADDR 2
#define VPCC_SPORT 4
#define VPCC_DPORT 8
/* VT_TIME_SPEC: the form holds the days, bit 0 Sunday; all seven when none
 * is given. */

/* VT_ADDR_TYPE, in the order RouterOS lists them. */
enum vaddr_type {
	VAT_UNICAST, VAT_LOCAL, VAT_BROADCAST, VAT_MULTICAST, VAT_BLACKHOLE, VAT_PROHIBIT, VAT_UNREACHABLE,
	VAT_ANYCAST,	/* v7, IPv6 */
};

/* What the parser made of a value. */
struct pvalue {
	union pval v;
	uint8_t form;
	bool neg;
};

/*
 * Parse `v` (len bytes, not necessarily NUL-terminated, already unquoted)
 * as property `p` of menu `m`. A leading '!' is accepted when p->flags has
 * PF_NEG. True when valid, with *out filled (out may be NULL; values that
 * do not fit in union pval go to `arena`, which must then be given);
 * otherwise false with *e filled.
 */
bool value_parse(const struct prop_def *p, enum menu_kind m, const char *v, size_t len, struct pvalue *out,
		 struct arena *arena, struct verr *e);

/* value_parse without keeping the value. */
bool value_check(const struct prop_def *p, enum menu_kind m, const char *v, size_t len, struct verr *e);

/* The value as RouterOS would write it: a parsed value printed parses back
 * to the same value. `text` is the value's own text, which the types that
 * are text (VT_STRING, VT_NAME ...) print. */
void pvalue_print(FILE *out, const struct prop_def *p, enum menu_kind m, const struct pvalue *pv, const char *text,
		 size_t len);

/* ---- the text parsers the types are made of ------------------------------- */

/* RouterOS time ("1d2h3m4s", "1w", "00:05:00", "1d 00:00:10", "100ms", "30")
 * in milliseconds. Bare numbers are seconds. */
/*
 * The longest timeout the kernel takes for a set or a set entry (address
 * list timeout=, address-list-timeout=, dst-limit's expire): it keeps them
 * in nanoseconds on the way to jiffies, and refuses with ERANGE from
 * U64_MAX / 1000000 ms on (nf_msecs_to_jiffies64), 30500w3d23h34m33s708ms.
 * RouterOS's own longest timeout, 35w3d13:13:56, is far below.
 */
#define VALUE_SET_TIMEOUT_MAX_MS (UINT64_MAX / 1000000 - 1)

bool value_parse_time(const char *v, size_t len, uint64_t *ms);

/* Protocol name (tcp, udp, icmp, icmpv6, gre, ...) or number to number. */
bool value_parse_protocol(const char *v, size_t len, int *proto);
/* The name RouterOS prints for protocol number `proto`; NULL for one it has
 * no name for (and for 0). */
const char *value_protocol_name(int proto);

/* True when protocol number `proto` carries ports (tcp, udp, udplite, dccp, sctp). */
bool value_proto_has_ports(int proto);

/* IPv4 "a.b.c.d" to host order; IPv6 text to 16 bytes. */
bool value_parse_ip4(const char *v, size_t len, uint32_t *addr);
bool value_parse_ip6(const char *v, size_t len, uint8_t addr[16]);

/**
 * struct value_addr - an address, prefix or range as RouterOS writes it.
 * @v6:   IPv6 when true; IPv4 addresses use the first 4 bytes of @lo, @hi.
 * @kind: a single address, a prefix (a.b.c.d/n, a.b.c.d/255.255.0.0) or a
 *        range (a-b).
 * @plen: prefix length; the full length (32 or 128) for an address or range.
 * @lo, @hi: first and last address covered, network byte order. For a
 *        prefix whose host bits are set (RouterOS turns 1.1.1.1/24 into
 *        1.1.1.0/24) @lo is the network address.
 */
struct value_addr {
	bool v6;
	enum { VA_ADDR, VA_PREFIX, VA_RANGE } kind;
	int plen;
	uint8_t lo[16], hi[16];
};

/* IPv4 (v6 false) or IPv6 address, prefix or range. */
bool value_parse_addr(const char *v, size_t len, bool v6, struct value_addr *a);

/* Why an address did not parse: for VAE_PLEN and VAE_MASK the netmask after
 * the '/' (at *mask_off) is at fault, otherwise the whole text. */
enum value_addr_err { VAE_OK, VAE_SYNTAX, VAE_PLEN, VAE_MASK, VAE_ORDER };
enum value_addr_err value_addr_parse(const char *s, size_t n, bool v6, struct value_addr *a, size_t *mask_off);

/* Unsigned decimal integer no greater than max (no sign, no blanks). */
bool value_parse_uint(const char *v, size_t len, uint64_t max, uint64_t *out);

/* A count with an optional k/K, M or G multiplier, no greater than max. */
bool value_parse_scaled(const char *s, size_t n, uint64_t max, uint64_t *out);

/* A host name (RFC 1123, '_' allowed, with a letter in it, so a mistyped
 * address is not taken for one); *placeholder when it looks like an
 * address with placeholders (172.16.1.X). */
bool value_dns_name(const char *s, size_t n, bool *placeholder);

/* ICMP (v6 false) or ICMPv6 type: a number 0-255 or a name as nft spells it
 * (echo-request, destination-unreachable, nd-neighbor-solicit ...). */
bool value_parse_icmp_type(const char *v, size_t len, bool v6, int *type);

/* MAC address "AA:BB:CC:DD:EE:FF" (either case). */
bool value_parse_mac(const char *v, size_t len, uint8_t mac[6]);

#endif
