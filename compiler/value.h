/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_VALUE_H
#define ROSFW_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "props.h"

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

/*
 * Check `v` (len bytes, not necessarily NUL-terminated, already unquoted)
 * against property `p` as menu `m` accepts it. A leading '!' is accepted
 * when p->flags has PF_NEG. Returns true when valid; otherwise fills *e.
 */
bool value_check(const struct prop_def *p, enum menu_kind m, const char *v,
		 size_t len, struct verr *e);

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

/* 0.0.0.0 (or ::): exports write it for "no address" (to-addresses of
 * masquerade). */
bool value_addr_unspecified(const char *v, size_t len, bool v6);

/* Unsigned decimal integer no greater than max (no sign, no blanks). */
bool value_parse_uint(const char *v, size_t len, uint64_t max, uint64_t *out);

/* "N" or "N-M" with N <= M <= max; a single N gives lo == hi. */
bool value_parse_range(const char *v, size_t len, uint64_t max, uint64_t *lo, uint64_t *hi);

/* ICMP (v6 false) or ICMPv6 type: a number 0-255 or a name as nft spells it
 * (echo-request, destination-unreachable, nd-neighbor-solicit ...). */
bool value_parse_icmp_type(const char *v, size_t len, bool v6, int *type);

/* MAC address "AA:BB:CC:DD:EE:FF" (either case). */
bool value_parse_mac(const char *v, size_t len, uint8_t mac[6]);


#endif
