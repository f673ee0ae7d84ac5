/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dnsd ZONE LOG: a DNS server for tests, on 127.0.0.1:53 (UDP) of the
 * network namespace it runs in. ZONE is read again for every query, so a
 * test changes the answers by rewriting it; a line is
 *   NAME A|AAAA|CNAME VALUE TTL    a record
 *   NAME SERVFAIL                  the server fails for NAME
 * and any other name does not exist (NXDOMAIN). Each query appends
 * "NAME TYPE" to LOG, so a test can count lookups. CNAMEs are followed
 * within the zone, as a recursive server's answer would hold them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct rec {
	char name[256], type[16], value[256];
	unsigned ttl;
};

static size_t zone_read(const char *path, struct rec *r, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[600];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		memset(&r[n], 0, sizeof(r[n]));
		if (sscanf(line, "%255s %15s %255s %u", r[n].name, r[n].type, r[n].value, &r[n].ttl) >= 2)
			n++;
	}
	fclose(f);
	return n;
}

/* A name in wire form at p: its length, 0 when it does not fit. */
static size_t name_put(uint8_t *p, size_t room, const char *name)
{
	size_t n = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);

		if (l == 0 || l > 63 || n + l + 2 > room)
			return 0;
		p[n++] = (uint8_t)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

/* The question's name as text; the offset after it, 0 when malformed. */
static size_t name_get(const uint8_t *m, size_t len, size_t off, char *out)
{
	size_t o = 0;

	while (off < len && m[off]) {
		size_t l = m[off++];

		if (l > 63 || off + l > len || o + l + 2 > 256)
			return 0;
		if (o)
			out[o++] = '.';
		memcpy(out + o, m + off, l);
		o += l;
		off += l;
	}
	out[o] = 0;
	return off < len ? off + 1 : 0;
}

static size_t rr_put(uint8_t *p, size_t room, const struct rec *r, uint16_t type)
{
	size_t n = name_put(p, room, r->name), rd;
	uint8_t data[256];

	if (!n || n + 10 > room)
		return 0;
	if (type == 5)
		rd = name_put(data, sizeof(data), r->value);
	else
		rd = inet_pton(type == 28 ? AF_INET6 : AF_INET, r->value, data) == 1 ? (type == 28 ? 16 : 4) : 0;
	if (!rd || n + 10 + rd > room)
		return 0;
	p[n] = (uint8_t)(type >> 8), p[n + 1] = (uint8_t)type;
	p[n + 2] = 0, p[n + 3] = 1;
	p[n + 4] = (uint8_t)(r->ttl >> 24), p[n + 5] = (uint8_t)(r->ttl >> 16);
	p[n + 6] = (uint8_t)(r->ttl >> 8), p[n + 7] = (uint8_t)r->ttl;
	p[n + 8] = (uint8_t)(rd >> 8), p[n + 9] = (uint8_t)rd;
	memcpy(p + n + 10, data, rd);
	return n + 10 + rd;
}

static size_t answer(const struct rec *z, size_t nz, const char *qname, uint16_t qtype, uint8_t *out, size_t off,
		     size_t room, unsigned *count, int *rcode)
{
	char name[256];
	size_t i, hops;
	int known = 0;

	snprintf(name, sizeof(name), "%s", qname);
	for (hops = 0; hops < 8; hops++) {
		const struct rec *cname = NULL;

		for (i = 0; i < nz; i++) {
			if (strcasecmp(z[i].name, name))
				continue;
			known = 1;
			if (!strcmp(z[i].type, "SERVFAIL")) {
				*rcode = 2;
				return off;
			}
			if (!strcmp(z[i].type, "CNAME"))
				cname = &z[i];
			else if ((qtype == 1 && !strcmp(z[i].type, "A")) || (qtype == 28 && !strcmp(z[i].type, "AAAA"))) {
				size_t w = rr_put(out + off, room - off, &z[i], qtype);

				off += w;
				*count += w != 0;
			}
		}
		if (!cname)
			break;
		off += rr_put(out + off, room - off, cname, 5);
		(*count)++;
		snprintf(name, sizeof(name), "%s", cname->value);
	}
	*rcode = known ? 0 : 3;
	return off;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(53) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	static struct rec z[256];

	if (argc != 3 || s < 0)
		return 2;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("dnsd: bind");
		return 1;
	}
	for (;;) {
		uint8_t q[512], out[1500];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		char qname[256];
		size_t end, off, nz;
		unsigned count = 0;
		uint16_t qtype;
		int rcode = 0;
		FILE *log;

		if (n < 12 || !(end = name_get(q, (size_t)n, 12, qname)) || end + 4 > (size_t)n)
			continue;
		qtype = (uint16_t)(q[end] << 8 | q[end + 1]);
		log = fopen(argv[2], "a");
		if (log) {
			fprintf(log, "%s %u\n", qname, qtype);
			fclose(log);
		}
		nz = zone_read(argv[1], z, sizeof(z) / sizeof(z[0]));
		memcpy(out, q, end + 4);
		off = answer(z, nz, qname, qtype, out, end + 4, sizeof(out), &count, &rcode);
		out[2] = 0x81;	/* a response, recursion desired */
		out[3] = (uint8_t)(0x80 | rcode);	/* recursion available */
		out[4] = 0, out[5] = 1;
		out[6] = (uint8_t)(count >> 8), out[7] = (uint8_t)count;
		memset(out + 8, 0, 4);
		if (rcode)
			off = end + 4, out[6] = out[7] = 0;
		sendto(s, out, off, 0, (struct sockaddr *)&from, fl);
	}
}
