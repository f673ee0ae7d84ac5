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
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "exitcode.h"
#include "ir.h"
#include "nlsock.h"
#include "print.h"
#include "record.h"
#include "value.h"

/* The fields `where` can test, as print shows them. */
enum conn_field {
	CF_PROTOCOL, CF_SRC, CF_DST, CF_REPLY_SRC, CF_REPLY_DST, CF_TCP_STATE, CF_MARK,
	CF_ASSURED, CF_SEEN_REPLY, CF_SRCNAT, CF_DSTNAT, CF_FASTTRACK, CF__COUNT
};

static const char *const field_names[CF__COUNT] = {
	"protocol", "src-address", "dst-address", "reply-src-address", "reply-dst-address", "tcp-state",
	"connection-mark", "assured", "seen-reply", "srcnat", "dstnat", "fasttrack",
};

/* One condition: FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX (RouterOS's
 * where syntax; several are all required, as with "and"). A protocol or a
 * connection mark given by name or number is compared as a number (@num,
 * @by_num), so protocol=esp finds what prints as ipsec-esp. */
struct conn_cond {
	enum conn_field f;
	bool neg, re, by_num;
	bool none;		/* a mark name the configuration does not have */
	uint32_t num;
	const char *value;
	regex_t rx;
};

/* Connection mark names, from the record of the last apply: lowering
 * numbers them (a hash of the name, moved on by one on a collision among
 * the configuration's names), so only the configuration can name them. */
struct conn_marks {
	const struct ir_mark *v;
	size_t n;
	struct applied *a;
	bool ok;		/* the record is the kernel's: its names hold */
	char why[600];		/* why there are none */
};

#define CONN_MAX_CONDS 16

struct conn_opts {
	bool count_only, json, v6;
	struct conn_cond conds[CONN_MAX_CONDS];
	size_t nconds;
	struct conn_marks marks;
};

static const char *mark_name(const struct conn_marks *mk, uint32_t v)
{
	size_t i;

	if (!v)
		return "no-mark";
	for (i = 0; i < mk->n; i++)
		if (mk->v[i].value == v && !strcmp(mk->v[i].kind, "connection"))
			return mk->v[i].name;
	return NULL;
}

static bool mark_number(const struct conn_marks *mk, const char *name, uint32_t *v)
{
	size_t i;

	for (i = 0; i < mk->n; i++)
		if (!strcmp(mk->v[i].kind, "connection") && !strcmp(mk->v[i].name, name)) {
			*v = mk->v[i].value;
			return true;
		}
	return false;
}

/* The names, when the record is what the kernel holds; else none (marks
 * print as numbers) and `why`. */
static void marks_load(struct conn_marks *mk)
{
	struct nlsock q;
	int rc, tables;

	if (!(mk->a = applied_from_record(&rc, mk->why, sizeof(mk->why))))
		return;
	if (!nlsock_open(&q)) {
		snprintf(mk->why, sizeof(mk->why), "netlink: %s", strerror(errno));
	} else {
		if (applied_matches(mk->a, &q, &tables, mk->why, sizeof(mk->why)) == 1) {
			mk->ok = true;
			mk->v = mk->a->ir->marks;
			mk->n = mk->a->ir->nmarks;
		} else if (!tables) {
			snprintf(mk->why, sizeof(mk->why), "nothing is applied (no rosfw table)");
		}
		nlsock_close(&q);
	}
	if (!mk->ok) {
		applied_free(mk->a);
		mk->a = NULL;
	}
}

struct conn_walk {
	const struct conn_opts *o;
	unsigned long n;
	bool first;
	bool headed;	/* the header (or JSON's "[") is out */
};

/* The header goes out with the first row, or after a dump that had none:
 * a dump the kernel refuses prints nothing but its error. */
static void conn_head(struct conn_walk *w)
{
	if (w->headed || w->o->count_only)
		return;
	w->headed = true;
	if (w->o->json)
		putchar('[');
	else
		printf("Flags: S - seen-reply, A - assured, C - confirmed, D - dying, F - fasttrack, H - hw-offload, "
		       "s - srcnat, d - dstnat\n  # FLAGS PROTOCOL   SRC-ADDRESS              DST-ADDRESS              "
		       "REPLY-SRC-ADDRESS        REPLY-DST-ADDRESS        TCP-STATE    TIMEOUT    MARK       "
		       "ORIG/REPL-BYTES\n");
}

/* RouterOS's name for it (the firewall's protocol= names). */
static const char *proto_name(uint8_t p)
{
	return value_protocol_name(p);
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

/* Does the connection, its fields as printed (protocol and mark also as
 * numbers), meet every condition? */
static bool conn_match(const struct conn_opts *o, const char *const *text, uint8_t proto, uint32_t mark)
{
	size_t i;

	for (i = 0; i < o->nconds; i++) {
		const struct conn_cond *c = &o->conds[i];
		bool hit = c->re ? !regexec(&c->rx, text[c->f], 0, NULL, 0) :
			   c->none ? false :
			   c->by_num ? c->num == (c->f == CF_PROTOCOL ? proto : mark) : !strcmp(text[c->f], c->value);

		if (hit == c->neg)
			return false;
	}
	return true;
}

static int conn_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct conn_walk *w = data;
	uint8_t proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	char src[64], dst[64], rsrc[64], rdst[64], flags[16], to[32], pbuf[8], mtext[16];
	const char *pname = proto_name(proto), *state = "", *mname;
	uint64_t ob = 0, rb = 0;
	uint32_t mark = 0, status;

	(void)type;
	if (!pname) {
		snprintf(pbuf, sizeof(pbuf), "%u", proto);
		pname = pbuf;
	}
	endpoint(src, sizeof(src), ct, w->o->v6, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC, ATTR_ORIG_PORT_SRC, proto);
	endpoint(dst, sizeof(dst), ct, w->o->v6, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST, ATTR_ORIG_PORT_DST, proto);
	endpoint(rsrc, sizeof(rsrc), ct, w->o->v6, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC, ATTR_REPL_PORT_SRC, proto);
	endpoint(rdst, sizeof(rdst), ct, w->o->v6, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST, ATTR_REPL_PORT_DST, proto);
	status = nfct_attr_is_set(ct, ATTR_STATUS) ? nfct_get_attr_u32(ct, ATTR_STATUS) : 0;
	conn_flags(flags, status);
	if (proto == IPPROTO_TCP && nfct_attr_is_set(ct, ATTR_TCP_STATE))
		state = tcp_state(nfct_get_attr_u8(ct, ATTR_TCP_STATE));
	if (nfct_attr_is_set(ct, ATTR_MARK))
		mark = nfct_get_attr_u32(ct, ATTR_MARK);
	/* By name, as RouterOS prints it; a number the configuration does
	 * not name (or without the record) as a number. */
	mname = mark_name(&w->o->marks, mark);
	snprintf(mtext, sizeof(mtext), "0x%08" PRIx32, mark);
	{
		const char *text[CF__COUNT] = {
			[CF_PROTOCOL] = pname, [CF_SRC] = src, [CF_DST] = dst, [CF_REPLY_SRC] = rsrc,
			[CF_REPLY_DST] = rdst, [CF_TCP_STATE] = state, [CF_MARK] = mname ? mname : mtext,
			[CF_ASSURED] = status & IPS_ASSURED ? "yes" : "no",
			[CF_SEEN_REPLY] = status & IPS_SEEN_REPLY ? "yes" : "no",
			[CF_SRCNAT] = status & IPS_SRC_NAT ? "yes" : "no",
			[CF_DSTNAT] = status & IPS_DST_NAT ? "yes" : "no",
			[CF_FASTTRACK] = status & IPS_OFFLOAD ? "yes" : "no",
		};

		if (!conn_match(w->o, text, proto, mark))
			return NFCT_CB_CONTINUE;
	}
	w->n++;
	if (w->o->count_only)
		return NFCT_CB_CONTINUE;
	print_duration(to, sizeof(to), (uint64_t)nfct_get_attr_u32(ct, ATTR_TIMEOUT) * 1000);
	/* Byte counts exist only with net.netfilter.nf_conntrack_acct=1. */
	if (nfct_attr_is_set(ct, ATTR_ORIG_COUNTER_BYTES))
		ob = nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES);
	if (nfct_attr_is_set(ct, ATTR_REPL_COUNTER_BYTES))
		rb = nfct_get_attr_u64(ct, ATTR_REPL_COUNTER_BYTES);
	conn_head(w);
	if (w->o->json) {
		printf("%s{\"flags\":", w->first ? "" : ",");
		json_write_string(stdout, flags, strlen(flags));
		printf(",\"protocol\":\"%s\",\"src-address\":\"%s\",\"dst-address\":\"%s\",\"reply-src-address\":\"%s\","
		       "\"reply-dst-address\":\"%s\",\"tcp-state\":\"%s\",\"timeout\":\"%s\",\"connection-mark\":%" PRIu32
		       ",\"connection-mark-name\":",
		       pname, src, dst, rsrc, rdst, state, to, mark);
		if (mname)
			json_write_string(stdout, mname, strlen(mname));
		else
			fputs("null", stdout);
		printf(",\"orig-bytes\":%" PRIu64 ",\"repl-bytes\":%" PRIu64 "}", ob, rb);
		w->first = false;
	} else {
		printf("%3lu %-5s %-10s %-24s %-24s %-24s %-24s %-12s %-10s %-10s %" PRIu64 "/%" PRIu64 "\n",
		       w->n - 1, flags, pname, src, dst, rsrc, rdst, state, to, !mark ? "" : mname ? mname : mtext,
		       ob, rb);
	}
	return NFCT_CB_CONTINUE;
}

static int conn_usage(FILE *out, int code)
{
	fputs("usage: rosfw print connection [count-only] [where COND [and] COND...] [--ipv6] [--json]\n"
	      "the kernel's connection table as /ip firewall connection print shows it\n"
	      "COND: FIELD=VALUE, FIELD!=VALUE or FIELD~REGEX (extended regex, anywhere in the field) on\n"
	      "  protocol, src-address, dst-address, reply-src-address, reply-dst-address (ADDR:PORT as\n"
	      "  printed), tcp-state (state), connection-mark (a name, no-mark, or a number), assured,\n"
	      "  seen-reply, srcnat, dstnat, fasttrack (yes or no); every condition must hold.\n"
	      "  protocol= takes RouterOS's names (gre, ipsec-esp or esp, ...) or numbers.\n"
	      "Connection marks are shown by name when rosfw's record of its last apply is what the\n"
	      "kernel holds (names are numbered when the configuration is lowered)\n"
	      "Flags: S - seen-reply, A - assured, C - confirmed, D - dying, F - fasttrack,\n"
	      "       H - hw-offload, s - srcnat, d - dstnat\n" EXIT_HELP,
	      out);
	return code;
}

/* "dst-address~192.168.88.100" into a condition; false after saying why. */
static bool cond_parse(const char *arg, struct conn_cond *c)
{
	size_t n = strcspn(arg, "=!~");
	const char *op = arg + n;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CF__COUNT; i++)
		if (strlen(field_names[i]) == n && !strncmp(arg, field_names[i], n))
			break;
	/* RouterOS's own examples write state= for the TCP state. */
	if (i == CF__COUNT && n == 5 && !strncmp(arg, "state", 5))
		i = CF_TCP_STATE;
	if (i == CF__COUNT || !*op || (op[0] == '!' && op[1] != '=')) {
		fprintf(stderr, "rosfw: print connection: cannot read the condition \"%s\"\n", arg);
		return false;
	}
	c->f = (enum conn_field)i;
	c->neg = op[0] == '!';
	c->re = op[0] == '~';
	c->value = op + (c->neg ? 2 : 1);
	if (!c->re && c->f == CF_PROTOCOL) {
		int p;

		if (!value_parse_protocol(c->value, strlen(c->value), &p) || p < 0 || p > 255) {
			fprintf(stderr, "rosfw: print connection: unknown protocol \"%s\" (a name as in /ip firewall filter protocol=, or a number)\n",
				c->value);
			return false;
		}
		c->by_num = true;
		c->num = (uint32_t)p;
	} else if (!c->re && c->f == CF_MARK) {
		char *end;
		unsigned long v;

		/* Names are resolved once the record is read (marks_resolve). */
		errno = 0;
		v = strtoul(c->value, &end, 0);
		if (!strcmp(c->value, "no-mark")) {
			c->by_num = true;
			c->num = 0;
		} else if (*c->value && !*end && !errno && v <= UINT32_MAX && (c->value[0] >= '0' && c->value[0] <= '9')) {
			c->by_num = true;
			c->num = (uint32_t)v;
		}
	}
	if (c->re) {
		int err = regcomp(&c->rx, c->value, REG_EXTENDED | REG_NOSUB);

		if (err) {
			char why[128];

			regerror(err, &c->rx, why, sizeof(why));
			fprintf(stderr, "rosfw: print connection: %s: %s\n", c->value, why);
			return false;
		}
	}
	return true;
}

/* connection-mark=NAME: its number, from the record's names; false after
 * saying why there is none to go by. A name the configuration does not
 * have is no connection's mark. */
static bool marks_resolve(struct conn_opts *o)
{
	size_t i;

	for (i = 0; i < o->nconds; i++) {
		struct conn_cond *c = &o->conds[i];

		if (c->f != CF_MARK || c->re || c->by_num)
			continue;
		if (!o->marks.ok) {
			fprintf(stderr,
				"rosfw: print connection: connection-mark=%s: mark names come from rosfw's record of its last apply, and there is none to go by: %s\n",
				c->value, o->marks.why);
			return false;
		}
		if (mark_number(&o->marks, c->value, &c->num)) {
			c->by_num = true;
		} else {
			fprintf(stderr, "rosfw: warning: no connection mark \"%s\" in the applied configuration: no connection has it\n",
				c->value);
			c->none = true;
		}
	}
	return true;
}

static void conds_free(struct conn_opts *o)
{
	size_t i;

	for (i = 0; i < o->nconds; i++)
		if (o->conds[i].re)
			regfree(&o->conds[i].rx);
}

int print_connection(int argc, char **argv)
{
	struct conn_opts o = { 0 };
	struct conn_walk w = { .o = &o, .first = true };
	struct nfct_handle *h;
	uint32_t family;
	bool where = false;
	int i, rc, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "count-only")) {
			o.count_only = true;
		} else if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--ipv6")) {
			o.v6 = true;
		} else if (!strcmp(argv[i], "where")) {
			where = true;
		} else if (where && !strcmp(argv[i], "and")) {
			continue;
		} else if (where && argv[i][0] != '-') {
			if (o.nconds == CONN_MAX_CONDS || !cond_parse(argv[i], &o.conds[o.nconds])) {
				conds_free(&o);
				return conn_usage(stderr, EXIT_IO);
			}
			o.nconds++;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return conn_usage(stdout, EXIT_OK);
		} else {
			fprintf(stderr, "rosfw: print connection: unexpected \"%s\"\n", argv[i]);
			conds_free(&o);
			return conn_usage(stderr, EXIT_IO);
		}
	}
	h = nfct_open(CONNTRACK, 0);
	if (!h) {
		err = errno;
		conds_free(&o);
		if (err == EPERM || err == EACCES)
			fputs("rosfw: reading the connection table needs CAP_NET_ADMIN: run rosfw as root\n", stderr);
		else
			fprintf(stderr, "rosfw: cannot read the connection table: %s\n", strerror(err));
		return EXIT_IO;
	}
	marks_load(&o.marks);
	if (!marks_resolve(&o)) {
		nfct_close(h);
		conds_free(&o);
		applied_free(o.marks.a);
		return EXIT_CONFIG;
	}
	nfct_callback_register(h, NFCT_T_ALL, conn_cb, &w);
	family = o.v6 ? AF_INET6 : AF_INET;
	rc = nfct_query(h, NFCT_Q_DUMP, &family);
	err = errno;
	nfct_close(h);
	conds_free(&o);
	applied_free(o.marks.a);
	if (rc < 0) {
		if (err == EPERM || err == EACCES)
			fputs("rosfw: reading the connection table needs CAP_NET_ADMIN: run rosfw as root\n", stderr);
		else
			fprintf(stderr, "rosfw: reading the connection table failed: %s\n", strerror(err));
		return EXIT_IO;
	}
	conn_head(&w);
	if (o.count_only)
		printf(o.json ? "{\"count\":%lu}\n" : "%lu\n", w.n);
	else if (o.json)
		puts("]");
	return EXIT_OK;
}

struct offload_sum {
	uint64_t packets, bytes;
};

static int offload_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct offload_sum *sum = data;
	static const enum nf_conntrack_attr p[] = { ATTR_ORIG_COUNTER_PACKETS, ATTR_REPL_COUNTER_PACKETS };
	static const enum nf_conntrack_attr b[] = { ATTR_ORIG_COUNTER_BYTES, ATTR_REPL_COUNTER_BYTES };
	size_t i;

	(void)type;
	if (!nfct_attr_is_set(ct, ATTR_STATUS) || !(nfct_get_attr_u32(ct, ATTR_STATUS) & IPS_OFFLOAD))
		return NFCT_CB_CONTINUE;
	/* The flowtable's counter flag keeps these up to date while the
	 * packets go past the rules. */
	for (i = 0; i < 2; i++) {
		if (nfct_attr_is_set(ct, p[i]))
			sum->packets += nfct_get_attr_u64(ct, p[i]);
		if (nfct_attr_is_set(ct, b[i]))
			sum->bytes += nfct_get_attr_u64(ct, b[i]);
	}
	return NFCT_CB_CONTINUE;
}

int print_offloaded(bool v6, uint64_t *packets, uint64_t *bytes)
{
	struct offload_sum sum = { 0, 0 };
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	uint32_t family = v6 ? AF_INET6 : AF_INET;
	int rc;

	if (!h)
		return -1;
	nfct_callback_register(h, NFCT_T_ALL, offload_cb, &sum);
	rc = nfct_query(h, NFCT_Q_DUMP, &family);
	nfct_close(h);
	*packets = sum.packets;
	*bytes = sum.bytes;
	return rc < 0 ? -1 : 0;
}
