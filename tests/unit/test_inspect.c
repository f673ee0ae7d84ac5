/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * helpers/: the ClientHello's server name from hostile bytes, tls-host
 * globs, layer7 regexps and content, and the per-connection decision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flows.h"
#include "hostglob.h"
#include "inspect.h"
#include "payload.h"
#include "pkt.h"
#include "tls_sni.h"

/* A ClientHello with `host` as its server name (NULL: no SNI extension),
 * `pad` bytes of padding extension, in records of at most `rec` bytes. */
static size_t hello(uint8_t *out, size_t cap, const char *host, size_t pad, size_t rec)
{
	static uint8_t m[70000];
	size_t n = 0, ext_at, o = 0, off, hl = host ? strlen(host) : 0;

	m[n++] = 1;
	n += 3;				/* length, below */
	m[n++] = 3, m[n++] = 3;		/* legacy version */
	memset(m + n, 0xab, 32), n += 32;
	m[n++] = 0;			/* session id */
	m[n++] = 0, m[n++] = 2, m[n++] = 0x13, m[n++] = 0x01;
	m[n++] = 1, m[n++] = 0;		/* compression: null */
	ext_at = n;
	n += 2;
	if (host) {
		m[n++] = 0, m[n++] = 0;			/* server_name */
		m[n++] = (uint8_t)((hl + 5) >> 8), m[n++] = (uint8_t)(hl + 5);
		m[n++] = (uint8_t)((hl + 3) >> 8), m[n++] = (uint8_t)(hl + 3);
		m[n++] = 0;				/* host_name */
		m[n++] = (uint8_t)(hl >> 8), m[n++] = (uint8_t)hl;
		memcpy(m + n, host, hl), n += hl;
	}
	if (pad) {
		m[n++] = 0, m[n++] = 21;
		m[n++] = (uint8_t)(pad >> 8), m[n++] = (uint8_t)pad;
		memset(m + n, 0, pad), n += pad;
	}
	m[ext_at] = (uint8_t)((n - ext_at - 2) >> 8), m[ext_at + 1] = (uint8_t)(n - ext_at - 2);
	m[1] = (uint8_t)((n - 4) >> 16), m[2] = (uint8_t)((n - 4) >> 8), m[3] = (uint8_t)(n - 4);
	for (off = 0; off < n; off += rec) {
		size_t r = n - off < rec ? n - off : rec;

		assert_true(o + 5 + r <= cap);
		out[o++] = 22, out[o++] = 3, out[o++] = 1;
		out[o++] = (uint8_t)(r >> 8), out[o++] = (uint8_t)r;
		memcpy(out + o, m + off, r), o += r;
	}
	return o;
}

static uint8_t buf[80000];

static void test_sni_plain(void **st)
{
	char host[SNI_HOST_MAX + 1];
	size_t n = hello(buf, sizeof(buf), "WWW.Blocked.Example", 0, 16384);

	(void)st;
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_FOUND);
	assert_string_equal(host, "www.blocked.example");
	n = hello(buf, sizeof(buf), NULL, 0, 16384);
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_NONE);
}

/* Every prefix of a hello is "more", never a wrong answer; the records
 * may split the handshake message anywhere. */
static void test_sni_truncated_and_split(void **st)
{
	char host[SNI_HOST_MAX + 1];
	size_t rec, cut, n;

	(void)st;
	for (rec = 1; rec <= 97; rec += 3) {
		n = hello(buf, sizeof(buf), "www.allowed.example", 300, rec);
		for (cut = 0; cut < n; cut++)
			assert_int_equal(tls_sni_parse(buf, cut, host), SNI_MORE);
		assert_int_equal(tls_sni_parse(buf, n, host), SNI_FOUND);
		assert_string_equal(host, "www.allowed.example");
	}
}

static void test_sni_hostile(void **st)
{
	char host[SNI_HOST_MAX + 1], big[400];
	size_t n;

	(void)st;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = hello(buf, sizeof(buf), big, 0, 16384);
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_NOT_TLS);	/* past 253 */
	big[SNI_HOST_MAX] = '\0';
	n = hello(buf, sizeof(buf), big, 0, 16384);
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_FOUND);
	n = hello(buf, sizeof(buf), "a*.example", 0, 16384);
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_NOT_TLS);	/* no globs from clients */
	n = hello(buf, sizeof(buf), "x", SNI_STREAM_MAX, 16384);
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_NOT_TLS);	/* more than we keep */
	assert_int_equal(tls_sni_parse((const uint8_t *)"GET / HTTP/1.1\r\n", 16, host), SNI_NOT_TLS);
	assert_int_equal(tls_sni_parse((const uint8_t *)"\x16\x03\x01\x00\x00", 5, host), SNI_NOT_TLS);
	/* a record claiming a message far longer than it ends with */
	n = hello(buf, sizeof(buf), "www.allowed.example", 0, 16384);
	buf[6] = 0xff;
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_NOT_TLS);
	/* an extension vector longer than the message */
	n = hello(buf, sizeof(buf), "www.allowed.example", 0, 16384);
	buf[5 + 4 + 2 + 32 + 1 + 4 + 2] = 0x7f;
	assert_int_equal(tls_sni_parse(buf, n, host), SNI_NOT_TLS);
}

static void test_hostglob(void **st)
{
	(void)st;
	assert_true(hostglob_match("*.youtube.com", "www.youtube.com"));
	assert_true(hostglob_match("*.youtube.com", "a.b.youtube.com"));
	assert_false(hostglob_match("*.youtube.com", "youtube.com"));
	assert_false(hostglob_match("*.youtube.com", "www.youtube.com.evil"));
	assert_true(hostglob_match("*youtube*", "m.youtube.com"));
	assert_true(hostglob_match("WWW.Example.COM", "www.example.com"));
	assert_true(hostglob_match("www.ex?mple.com", "www.example.com"));
	assert_false(hostglob_match("www.example.com", "www.example.co"));
	assert_true(hostglob_match("*", "anything"));
	assert_true(hostglob_match("a*b*c*d*e*f", "aXbXcXdXeXf"));
	assert_false(hostglob_match("a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static void test_layer7(void **st)
{
	regex_t re;
	char err[128];

	(void)st;
	assert_int_equal(l7_compile(&re, "^get /.*youtube", err, sizeof(err)), 0);
	assert_true(l7_match(&re, (const uint8_t *)"GET /watch HTTP/1.1\r\nHost: www.YouTube.com", 42));
	assert_false(l7_match(&re, (const uint8_t *)"POST / youtube", 14));
	regfree(&re);
	/* the corpus's ECH pattern: \x01 is a byte, $ the end of the data */
	assert_int_equal(l7_compile(&re, "A\\x01$", err, sizeof(err)), 0);
	assert_true(l7_match(&re, (const uint8_t *)"xxA\x01", 4));
	assert_false(l7_match(&re, (const uint8_t *)"xxA\x01y", 5));
	regfree(&re);
	/* NULs are taken out of the data, as l7-filter does */
	assert_int_equal(l7_compile(&re, "bittorrent protocol", err, sizeof(err)), 0);
	assert_true(l7_match(&re, (const uint8_t *)"\x13" "BitTorrent\0 protocol", 21));
	regfree(&re);
	/* \x2e is a literal dot, not "any character" */
	assert_int_equal(l7_compile(&re, "a\\x2eb", err, sizeof(err)), 0);
	assert_false(l7_match(&re, (const uint8_t *)"axb", 3));
	assert_true(l7_match(&re, (const uint8_t *)"a.b", 3));
	regfree(&re);
	assert_int_equal(l7_compile(&re, "a\\x00", err, sizeof(err)), -1);
	/* nested bounds glibc would spend seconds on */
	assert_int_equal(l7_compile(&re, "((a{1,100}){1,100}){1,100}", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "multiply"));
	assert_int_equal(l7_compile(&re, "(a{1,100}){2}x{3,}", err, sizeof(err)), 0);
	regfree(&re);
	assert_int_equal(l7_compile(&re, "a(b", err, sizeof(err)), -1);
}

static void test_content(void **st)
{
	(void)st;
	assert_true(content_match((const uint8_t *)"xx BitTorrent yy", 16, (const uint8_t *)"BitTorrent", 10));
	assert_false(content_match((const uint8_t *)"xx bittorrent yy", 16, (const uint8_t *)"BitTorrent", 10));
	assert_false(content_match((const uint8_t *)"", 0, (const uint8_t *)"a", 1));
}

static struct iconf conf_of(const char *text)
{
	struct iconf c;
	char err[128];
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	if (iconf_read(&c, f, err, sizeof(err)))
		fail_msg("%s", err);
	fclose(f);
	return c;
}

/* 0: tls-host *.blocked.example; 1: layer7 "^get"; 2: content "BitTorrent" */
#define CONF "0 tls-host 2a2e626c6f636b65642e6578616d706c65\n1 layer7 5e676574\n2 content 426974546f7272656e74\n"

static struct iflow *flow_new(void)
{
	return calloc(1, sizeof(struct iflow));
}

static void feed(const struct iconf *c, struct iflow *f, bool reply, bool syn, uint32_t seq, const void *d, size_t n)
{
	struct ipkt p = { .reply = reply, .tcp = true, .syn = syn, .seq = seq, .data = d, .len = n };

	iflow_feed(c, f, &p);
}

static void test_decide_tls(void **st)
{
	struct iconf c = conf_of(CONF);
	struct iflow *f = flow_new();
	size_t n = hello(buf, sizeof(buf), "www.blocked.example", 0, 16384);

	(void)st;
	feed(&c, f, false, true, 999, NULL, 0);			/* SYN */
	feed(&c, f, true, true, 5000, NULL, 0);			/* SYN-ACK */
	assert_false(label_has(f->label, INSPECT_DONE_BIT));
	/* the hello in two segments, the second first: nothing until both */
	feed(&c, f, false, false, 1000 + 30, buf + 30, n - 30);
	assert_false(label_has(f->label, 0));
	feed(&c, f, false, false, 1000, buf, 30);
	assert_false(label_has(f->label, 0));			/* the later one was not kept */
	feed(&c, f, false, false, 1000 + 30, buf + 30, n - 30);	/* retransmitted */
	assert_true(label_has(f->label, 0));
	assert_false(label_has(f->label, 1));
	assert_false(label_has(f->label, INSPECT_DONE_BIT));	/* layer7 and content still look */
	free(f);

	f = flow_new();
	n = hello(buf, sizeof(buf), "www.allowed.example", 0, 16384);
	feed(&c, f, false, true, 999, NULL, 0);
	feed(&c, f, false, false, 1000, buf, n);
	assert_false(label_has(f->label, 0));
	iconf_free(&c);
	free(f);
}

static void test_decide_window(void **st)
{
	struct iconf c = conf_of(CONF);
	struct iflow *f = flow_new();
	int i;

	(void)st;
	feed(&c, f, false, true, 1, NULL, 0);
	feed(&c, f, false, false, 2, "GET / HTTP/1.0\r\n", 16);
	assert_true(label_has(f->label, 1));
	for (i = 0; i < L7_MAX_PACKETS - 3; i++)
		feed(&c, f, true, false, 0, "data", 4);
	assert_false(label_has(f->label, INSPECT_DONE_BIT));
	feed(&c, f, true, false, 0, "data", 4);			/* the tenth packet */
	assert_true(label_has(f->label, INSPECT_DONE_BIT));
	assert_false(label_has(f->label, 0));
	assert_false(label_has(f->label, 2));
	feed(&c, f, true, false, 0, "BitTorrent", 10);		/* decided: not looked at */
	assert_false(label_has(f->label, 2));
	free(f);

	/* content in a reply packet; a non-TLS stream decides tls-host at once */
	f = flow_new();
	feed(&c, f, false, false, 7, "HELLO", 5);
	feed(&c, f, true, false, 0, "..BitTorrent..", 14);
	assert_true(label_has(f->label, 2));
	free(f);

	/* 2 KB ends the window too */
	f = flow_new();
	feed(&c, f, false, false, 7, "HELLO", 5);
	memset(buf, 'z', 3000);
	feed(&c, f, true, false, 0, buf, 3000);
	assert_true(label_has(f->label, INSPECT_DONE_BIT));
	free(f);
	iconf_free(&c);
}

static void test_conf_refused(void **st)
{
	struct iconf c;
	char err[128];
	const char *bad[] = { "0 tls-host 2a2\n", "0 http 41\n", "127 content 41\n", "0 layer7 2800\n",
			      "0 layer7 28\n", "x content 41\n" };
	size_t i;

	(void)st;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		FILE *f = fmemopen((void *)bad[i], strlen(bad[i]), "r");

		assert_int_equal(iconf_read(&c, f, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "line 1"));
		fclose(f);
	}
}

/* At most `max` connections; idle ones make room, decided ones sooner;
 * removal keeps every other entry reachable. */
static void test_flows(void **st)
{
	struct flows *t = flows_new(4);
	struct iflow *f;
	uint32_t id;

	(void)st;
	for (id = 1; id <= 4; id++)
		assert_non_null(flows_get(t, id * 8, 0));	/* same home slot */
	assert_null(flows_get(t, 99, 1));			/* full, nothing idle */
	assert_ptr_equal(flows_get(t, 16, 1), flows_get(t, 16, 1));
	f = flows_get(t, 24, FLOWS_DONE_S);
	f->done = true;
	assert_null(flows_get(t, 99, FLOWS_DONE_S + 1));	/* done 24 seen at DONE_S: not yet */
	f = flows_get(t, 99, 2 * FLOWS_DONE_S + 1);		/* now it is past its time */
	assert_non_null(f);
	assert_int_equal(flows_count(t), 4);
	assert_int_equal(flows_get(t, 8, 2 * FLOWS_DONE_S + 1)->id, 8);
	assert_int_equal(flows_get(t, 32, 2 * FLOWS_DONE_S + 1)->id, 32);
	assert_int_equal(flows_count(t), 4);			/* found, not made again */
	f = flows_get(t, 1000, FLOWS_IDLE_S + 2 * FLOWS_DONE_S + 5);	/* all idle: room */
	assert_non_null(f);
	assert_int_equal(flows_count(t), 1);
	flows_clear(t);
	assert_int_equal(flows_count(t), 0);
	flows_free(t);
}

static void test_pkt(void **st)
{
	uint8_t b[80] = { 0x45, 0, 0, 60, 0, 0, 0x40, 0, 64, 6 };
	struct ipkt p = { .reply = true };

	(void)st;
	b[20 + 4] = 0x01, b[20 + 7] = 0x02;	/* seq 0x01000002 */
	b[20 + 12] = 5 << 4;
	b[20 + 13] = 0x02;			/* SYN */
	memcpy(b + 40, "0123456789abcdefghij", 20);
	assert_true(pkt_parse(b, sizeof(b), &p));
	assert_true(p.reply && p.tcp && p.syn);
	assert_int_equal(p.seq, 0x01000002);
	assert_int_equal(p.len, 20);
	assert_memory_equal(p.data, "0123", 4);
	b[20 + 12] = 15 << 4;			/* options past the packet */
	assert_false(pkt_parse(b, sizeof(b), &p));
	b[20 + 12] = 5 << 4;
	b[3] = 90;				/* longer than what came */
	assert_false(pkt_parse(b, sizeof(b), &p));
	b[3] = 60;
	b[7] = 1;				/* a later fragment */
	assert_false(pkt_parse(b, sizeof(b), &p));
	b[7] = 0;
	b[9] = 17;				/* udp: 8 bytes of header */
	assert_true(pkt_parse(b, sizeof(b), &p));
	assert_false(p.tcp);
	assert_int_equal(p.len, 32);
	assert_false(pkt_parse(b, 10, &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sni_plain),
		cmocka_unit_test(test_sni_truncated_and_split),
		cmocka_unit_test(test_sni_hostile),
		cmocka_unit_test(test_hostglob),
		cmocka_unit_test(test_layer7),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_decide_tls),
		cmocka_unit_test(test_decide_window),
		cmocka_unit_test(test_conf_refused),
		cmocka_unit_test(test_flows),
		cmocka_unit_test(test_pkt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
