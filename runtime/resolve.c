/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "resolve.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* The names an answer may lead through: the question and its CNAMEs. */
#define CHAIN_MAX 16

struct chain {
	char name[CHAIN_MAX][NS_MAXDNAME];
	size_t n;
};

static void name_copy(char *out, const char *in)
{
	size_t n = strlen(in);

	if (n && in[n - 1] == '.')
		n--;
	memcpy(out, in, n);
	out[n] = 0;
}

static bool in_chain(const struct chain *c, const char *name)
{
	char n[NS_MAXDNAME];
	size_t i;

	name_copy(n, name);
	for (i = 0; i < c->n; i++)
		if (!strcasecmp(c->name[i], n))
			return true;
	return false;
}

static void add_addr(struct resolve_answer *a, const uint8_t *p, size_t len)
{
	uint8_t x[16] = { 0 };
	size_t i;

	memcpy(x, p, len);
	for (i = 0; i < a->n; i++)
		if (!memcmp(a->addr[i], x, 16))
			return;
	if (a->n < RESOLVE_MAX)
		memcpy(a->addr[a->n++], x, 16);
}

static void ttl_min(struct resolve_answer *a, uint32_t ttl)
{
	if (!a->has_ttl || ttl < a->ttl)
		a->ttl = ttl;
	a->has_ttl = true;
}

/* Follow CNAMEs out of the chain until none adds a name: records may
 * come in any order. */
static int chain_grow(ns_msg *h, const uint8_t *msg, size_t len, struct chain *c, struct resolve_answer *a)
{
	int count = ns_msg_count(*h, ns_s_an), i;
	bool grew = true;

	while (grew && c->n < CHAIN_MAX) {
		grew = false;
		for (i = 0; i < count && c->n < CHAIN_MAX; i++) {
			char target[NS_MAXDNAME];
			ns_rr rr;

			if (ns_parserr(h, ns_s_an, i, &rr) < 0)
				return -1;
			if (ns_rr_type(rr) != ns_t_cname || ns_rr_class(rr) != ns_c_in || !in_chain(c, ns_rr_name(rr)))
				continue;
			if (ns_name_uncompress(msg, msg + len, ns_rr_rdata(rr), target, sizeof(target)) < 0)
				return -1;
			if (in_chain(c, target))
				continue;
			name_copy(c->name[c->n++], target);
			ttl_min(a, ns_rr_ttl(rr));
			grew = true;
		}
	}
	return 0;
}

int resolve_parse(const uint8_t *msg, size_t len, int af, struct resolve_answer *a)
{
	uint16_t type = af == AF_INET6 ? ns_t_aaaa : ns_t_a;
	size_t alen = af == AF_INET6 ? 16 : 4;
	struct chain c;
	ns_msg h;
	ns_rr rr;
	int count, i;

	memset(a, 0, sizeof(*a));
	if (ns_initparse(msg, (int)len, &h) < 0 || ns_msg_count(h, ns_s_qd) < 1 || ns_parserr(&h, ns_s_qd, 0, &rr) < 0)
		return -1;
	c.n = 1;
	name_copy(c.name[0], ns_rr_name(rr));
	if (chain_grow(&h, msg, len, &c, a) < 0)
		return -1;
	count = ns_msg_count(h, ns_s_an);
	for (i = 0; i < count; i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) < 0)
			return -1;
		if (ns_rr_type(rr) != type || ns_rr_class(rr) != ns_c_in || ns_rr_rdlen(rr) != alen ||
		    !in_chain(&c, ns_rr_name(rr)))
			continue;
		add_addr(a, ns_rr_rdata(rr), alen);
		ttl_min(a, ns_rr_ttl(rr));
	}
	if (!a->n) {
		a->has_ttl = false;
		return -1;
	}
	return 0;
}

size_t resolve_hosts(FILE *f, const char *name, int af, struct resolve_answer *a)
{
	char line[1024];

	memset(a, 0, sizeof(*a));
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *addr, *tok;
		uint8_t x[16];

		line[strcspn(line, "#\n")] = 0;
		addr = strtok_r(line, " \t", &save);
		if (!addr || inet_pton(af, addr, x) != 1)
			continue;
		while ((tok = strtok_r(NULL, " \t", &save)))
			if (!strcasecmp(tok, name)) {
				add_addr(a, x, af == AF_INET6 ? 16 : 4);
				break;
			}
	}
	return a->n;
}

static const char *herror_text(int e)
{
	switch (e) {
	case HOST_NOT_FOUND:
		return "no such name";
	case NO_DATA:
		return "no address of that family";
	case TRY_AGAIN:
		return "no answer (server failure or timeout)";
	default:
		return "the DNS server refused the query";
	}
}

const char *resolve_name(const char *name, int af, struct resolve_answer *a)
{
	static uint8_t msg[65536];
	struct __res_state rs;
	FILE *f = fopen("/etc/hosts", "re");
	const char *why = NULL;
	int n;

	if (f) {
		size_t found = resolve_hosts(f, name, af, a);

		fclose(f);
		if (found)
			return NULL;
	}
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) < 0)
		return "cannot read the resolver's configuration";
	n = res_nsearch(&rs, name, ns_c_in, af == AF_INET6 ? ns_t_aaaa : ns_t_a, msg, sizeof(msg));
	if (n < 0)
		why = herror_text(rs.res_h_errno);
	else if (resolve_parse(msg, (size_t)n > sizeof(msg) ? sizeof(msg) : (size_t)n, af, a) < 0)
		why = "an answer without addresses";
	res_nclose(&rs);
	return why;
}
