/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw print connection: the kernel's connection table (through
 * libnetfilter_conntrack) in the columns and flags of RouterOS's
 * /ip firewall connection print.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "print.h"

struct conn_opts {
	bool count_only, json, v6;
	int proto;		/* where protocol=..., -1 for all */
};

struct conn_walk {
	const struct conn_opts *o;
	unsigned long n;
	bool first;
};

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_GRE: return "gre";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_DCCP: return "dccp";
	case IPPROTO_UDPLITE: return "udplite";
	case IPPROTO_ESP: return "ipsec-esp";
	}
	return NULL;
}

static bool proto_has_ports(uint8_t p)
{
	return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP || p == IPPROTO_DCCP || p == IPPROTO_UDPLITE;
}

/* "10.0.0.1:80" or "[fd00::1]:80": one end of a tuple as RouterOS writes it. */
static void endpoint(char *buf, size_t size, const struct nf_conntrack *ct, bool v6, enum nf_conntrack_attr a,
		     enum nf_conntrack_attr a6, enum nf_conntrack_attr port, uint8_t proto)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, nfct_get_attr(ct, v6 ? a6 : a), ip, sizeof(ip));
	if (proto_has_ports(proto))
		snprintf(buf, size, v6 ? "[%s]:%u" : "%s:%u", ip, ntohs(nfct_get_attr_u16(ct, port)));
	else
		snprintf(buf, size, "%s", ip);
}

static const char *tcp_state(uint8_t s)
{
	static const char *const names[] = {
		"none", "syn-sent", "syn-received", "established", "fin-wait", "close-wait",
		"last-ack", "time-wait", "close", "syn-sent2",
	};

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "";
}

/* RouterOS's flags: S seen-reply, A assured, C confirmed, D dying,
 * F fasttrack (offloaded), H hw-offload, s srcnat, d dstnat. */
static void conn_flags(char *f, uint32_t st)
{
	static const struct {
		uint32_t bit;
		char c;
	} map[] = {
		{ IPS_SEEN_REPLY, 'S' }, { IPS_ASSURED, 'A' },	    { IPS_CONFIRMED, 'C' }, { IPS_DYING, 'D' },
		{ IPS_OFFLOAD, 'F' },	 { IPS_HW_OFFLOAD, 'H' }, { IPS_SRC_NAT, 's' },   { IPS_DST_NAT, 'd' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (st & map[i].bit)
			f[n++] = map[i].c;
	f[n] = '\0';
}

static int conn_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct conn_walk *w = data;
	uint8_t proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	char src[64], dst[64], rsrc[64], rdst[64], flags[16], to[32], pbuf[8];
	const char *pname = proto_name(proto), *state = "";
	uint64_t ob = 0, rb = 0;
	uint32_t mark = 0;

	(void)type;
	if (w->o->proto >= 0 && proto != w->o->proto)
		return NFCT_CB_CONTINUE;
	w->n++;
	if (w->o->count_only)
		return NFCT_CB_CONTINUE;
	if (!pname) {
		snprintf(pbuf, sizeof(pbuf), "%u", proto);
		pname = pbuf;
	}
	endpoint(src, sizeof(src), ct, w->o->v6, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC, ATTR_ORIG_PORT_SRC, proto);
	endpoint(dst, sizeof(dst), ct, w->o->v6, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST, ATTR_ORIG_PORT_DST, proto);
	endpoint(rsrc, sizeof(rsrc), ct, w->o->v6, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC, ATTR_REPL_PORT_SRC, proto);
	endpoint(rdst, sizeof(rdst), ct, w->o->v6, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST, ATTR_REPL_PORT_DST, proto);
	conn_flags(flags, nfct_attr_is_set(ct, ATTR_STATUS) ? nfct_get_attr_u32(ct, ATTR_STATUS) : 0);
	if (proto == IPPROTO_TCP && nfct_attr_is_set(ct, ATTR_TCP_STATE))
		state = tcp_state(nfct_get_attr_u8(ct, ATTR_TCP_STATE));
	print_duration(to, sizeof(to), (uint64_t)nfct_get_attr_u32(ct, ATTR_TIMEOUT) * 1000);
	if (nfct_attr_is_set(ct, ATTR_MARK))
		mark = nfct_get_attr_u32(ct, ATTR_MARK);
	/* Byte counts exist only with net.netfilter.nf_conntrack_acct=1. */
	if (nfct_attr_is_set(ct, ATTR_ORIG_COUNTER_BYTES))
		ob = nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES);
	if (nfct_attr_is_set(ct, ATTR_REPL_COUNTER_BYTES))
		rb = nfct_get_attr_u64(ct, ATTR_REPL_COUNTER_BYTES);
	if (w->o->json) {
		printf("%s{\"flags\":", w->first ? "" : ",");
		json_write_string(stdout, flags, strlen(flags));
		printf(",\"protocol\":\"%s\",\"src-address\":\"%s\",\"dst-address\":\"%s\",\"reply-src-address\":\"%s\","
		       "\"reply-dst-address\":\"%s\",\"tcp-state\":\"%s\",\"timeout\":\"%s\",\"connection-mark\":%" PRIu32
		       ",\"orig-bytes\":%" PRIu64 ",\"repl-bytes\":%" PRIu64 "}",
		       pname, src, dst, rsrc, rdst, state, to, mark, ob, rb);
		w->first = false;
	} else {
		printf("%3lu %-5s %-8s %-24s %-24s %-24s %-24s %-12s %-10s 0x%08" PRIx32 " %" PRIu64 "/%" PRIu64 "\n",
		       w->n - 1, flags, pname, src, dst, rsrc, rdst, state, to, mark, ob, rb);
	}
	return NFCT_CB_CONTINUE;
}

static int conn_usage(FILE *out, int code)
{
	fputs("usage: rosfw print connection [count-only] [where protocol=NAME] [--ipv6] [--json]\n"
	      "the kernel's connection table as /ip firewall connection print shows it\n"
	      "Flags: S - seen-reply, A - assured, C - confirmed, D - dying, F - fasttrack,\n"
	      "       H - hw-offload, s - srcnat, d - dstnat\n",
	      out);
	return code;
}

int print_connection(int argc, char **argv)
{
	struct conn_opts o = { .proto = -1 };
	struct conn_walk w = { .o = &o, .first = true };
	struct nfct_handle *h;
	uint32_t family;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "count-only")) {
			o.count_only = true;
		} else if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--ipv6")) {
			o.v6 = true;
		} else if (!strcmp(argv[i], "where") && i + 1 < argc && !strncmp(argv[i + 1], "protocol=", 9)) {
			const char *p = argv[++i] + 9;

			o.proto = !strcmp(p, "tcp") ? IPPROTO_TCP : !strcmp(p, "udp") ? IPPROTO_UDP :
				  !strcmp(p, "icmp") ? IPPROTO_ICMP : !strcmp(p, "icmpv6") ? IPPROTO_ICMPV6 :
				  !strcmp(p, "gre") ? IPPROTO_GRE : atoi(p);
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return conn_usage(stdout, 0);
		} else {
			fprintf(stderr, "rosfw: print connection: unexpected \"%s\"\n", argv[i]);
			return conn_usage(stderr, 2);
		}
	}
	h = nfct_open(CONNTRACK, 0);
	if (!h) {
		fprintf(stderr, "rosfw: cannot read the connection table: %s%s\n", strerror(errno),
			errno == EPERM ? " (rosfw needs CAP_NET_ADMIN)" : "");
		return 3;
	}
	nfct_callback_register(h, NFCT_T_ALL, conn_cb, &w);
	if (!o.count_only && !o.json)
		printf("Flags: S - seen-reply, A - assured, C - confirmed, D - dying, F - fasttrack, H - hw-offload, "
		       "s - srcnat, d - dstnat\n  # FLAGS PROTOCOL SRC-ADDRESS              DST-ADDRESS              "
		       "REPLY-SRC-ADDRESS        REPLY-DST-ADDRESS        TCP-STATE    TIMEOUT    MARK       "
		       "ORIG/REPL-BYTES\n");
	if (o.json && !o.count_only)
		putchar('[');
	family = o.v6 ? AF_INET6 : AF_INET;
	rc = nfct_query(h, NFCT_Q_DUMP, &family);
	nfct_close(h);
	if (rc < 0) {
		fprintf(stderr, "rosfw: reading the connection table failed: %s\n", strerror(errno));
		return 3;
	}
	if (o.count_only)
		printf(o.json ? "{\"count\":%lu}\n" : "%lu\n", w.n);
	else if (o.json)
		puts("]");
	return 0;
}
