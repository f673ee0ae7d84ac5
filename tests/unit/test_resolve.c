/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfwd's DNS answers without a server: the addresses of an answer are
 * those of the question's name and the names its CNAMEs lead to, the TTL
 * the least of the records used; records of other names are not taken; a
 * cut or garbled message is refused, never read past its end. And the
 * hosts file, as glibc reads it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "resolve.h"

struct msg {
	uint8_t b[1024];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct msg *m, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

static void put_name(struct msg *m, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		uint8_t len = (uint8_t)l;

		put(m, &len, 1);
		put(m, name, l);
		name += l + (dot ? 1 : 0);
	}
	put(m, "", 1);
}

/* A response to a query for `q` of `qtype`, with `an` answers to come. */
static void start(struct msg *m, const char *q, unsigned qtype, unsigned an)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, 0x8180);
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	put_name(m, q);
	put16(m, qtype);
	put16(m, 1);
}

/* owner NULL: a pointer to the question's name (offset 12) */
static void rr(struct msg *m, const char *owner, unsigned type, uint32_t ttl, const void *rdata, size_t rdlen)
{
	if (owner)
		put_name(m, owner);
	else
		put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put16(m, ttl >> 16);
	put16(m, ttl & 0xffff);
	put16(m, (unsigned)rdlen);
	put(m, rdata, rdlen);
}

static void rr_cname(struct msg *m, const char *owner, uint32_t ttl, const char *target)
{
	struct msg t = { .n = 0 };

	put_name(&t, target);
	rr(m, owner, 5, ttl, t.b, t.n);
}

static void test_a_records(void **st)
{
	struct msg m;
	struct resolve_answer a;

	(void)st;
	start(&m, "www.example.com", 1, 3);
	rr(&m, NULL, 1, 300, "\xc0\x00\x02\x01", 4);
	rr(&m, NULL, 1, 60, "\xc0\x00\x02\x02", 4);
	rr(&m, NULL, 1, 60, "\xc0\x00\x02\x02", 4);	/* a repeat: once */
	assert_int_equal(resolve_parse(m.b, m.n, AF_INET, &a), 0);
	assert_int_equal(a.n, 2);
	assert_memory_equal(a.addr[0], "\xc0\x00\x02\x01", 4);
	assert_memory_equal(a.addr[1], "\xc0\x00\x02\x02", 4);
	assert_true(a.has_ttl);
	assert_int_equal(a.ttl, 60);
}

static void test_cname_chain(void **st)
{
	struct msg m;
	struct resolve_answer a;

	(void)st;
	/* The chain's records out of order, and a record of a name no
	 * CNAME leads to. */
	start(&m, "www.example.com", 1, 5);
	rr(&m, "edge.cdn.example.net", 1, 600, "\xc6\x33\x64\x05", 4);
	rr(&m, "other.example.org", 1, 1, "\xc6\x33\x64\x63", 4);
	rr_cname(&m, "cdn.example.net", 120, "edge.cdn.example.net");
	rr_cname(&m, NULL, 30, "CDN.example.net.");
	rr(&m, "edge.cdn.example.net", 1, 600, "\xc6\x33\x64\x06", 4);
	assert_int_equal(resolve_parse(m.b, m.n, AF_INET, &a), 0);
	assert_int_equal(a.n, 2);
	assert_memory_equal(a.addr[0], "\xc6\x33\x64\x05", 4);
	assert_memory_equal(a.addr[1], "\xc6\x33\x64\x06", 4);
	assert_int_equal(a.ttl, 30);
}

static void test_aaaa_and_family(void **st)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
	struct msg m;
	struct resolve_answer a;

	(void)st;
	start(&m, "v6.example.com", 28, 2);
	rr(&m, NULL, 28, 3600, v6, 16);
	rr(&m, NULL, 1, 10, "\xc0\x00\x02\x01", 4);	/* not what was asked */
	assert_int_equal(resolve_parse(m.b, m.n, AF_INET6, &a), 0);
	assert_int_equal(a.n, 1);
	assert_memory_equal(a.addr[0], v6, 16);
	assert_int_equal(a.ttl, 3600);
	/* An A record of the wrong length is no address. */
	start(&m, "x.example.com", 1, 1);
	rr(&m, NULL, 1, 10, "\xc0\x00\x02", 3);
	assert_int_equal(resolve_parse(m.b, m.n, AF_INET, &a), -1);
	assert_false(a.has_ttl);
}

static void test_cut_and_garbled_refused(void **st)
{
	struct msg m;
	struct resolve_answer a;
	size_t cut;

	(void)st;
	start(&m, "www.example.com", 1, 2);
	rr_cname(&m, NULL, 30, "edge.example.net");
	rr(&m, "edge.example.net", 1, 600, "\xc6\x33\x64\x05", 4);
	for (cut = 0; cut < m.n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, m.b, cut);
		assert_int_equal(resolve_parse(copy, cut, AF_INET, &a), -1);
		free(copy);
	}
	/* A compression pointer to itself. */
	start(&m, "www.example.com", 1, 1);
	put16(&m, 0xc000 | (unsigned)m.n);
	put16(&m, 1);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 10);
	put16(&m, 4);
	put(&m, "\x01\x02\x03\x04", 4);
	assert_int_equal(resolve_parse(m.b, m.n, AF_INET, &a), -1);
}

static void test_hosts(void **st)
{
	static const char text[] = "# comment\n"
				   "127.0.0.1\tlocalhost\n"
				   "192.0.2.10 www.example.com www # the first\n"
				   "2001:db8::10 www.example.com\n"
				   "192.0.2.11   other WWW.example.com\n"
				   "bogus www.example.com\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct resolve_answer a;

	(void)st;
	assert_non_null(f);
	assert_int_equal(resolve_hosts(f, "www.example.com", AF_INET, &a), 2);
	assert_memory_equal(a.addr[0], "\xc0\x00\x02\x0a", 4);
	assert_memory_equal(a.addr[1], "\xc0\x00\x02\x0b", 4);
	assert_false(a.has_ttl);
	rewind(f);
	assert_int_equal(resolve_hosts(f, "www.example.com", AF_INET6, &a), 1);
	rewind(f);
	assert_int_equal(resolve_hosts(f, "example.com", AF_INET, &a), 0);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_records),
		cmocka_unit_test(test_cname_chain),
		cmocka_unit_test(test_aaaa_and_family),
		cmocka_unit_test(test_cut_and_garbled_refused),
		cmocka_unit_test(test_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
