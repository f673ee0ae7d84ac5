/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "props.h"
#include "value.h"

static struct verr e;

static bool check_in(enum menu_kind m, const char *name, const char *v)
{
	const struct prop_def *p = prop_lookup(m, name);

	if (!p)
		fail_msg("no property %s in menu %d", name, m);
	return value_check(p, m, v, strlen(v), &e);
}

#define OK(m, n, v)                                                              \
	do {                                                                     \
		if (!check_in(m, n, v))                                          \
			fail_msg("%s=\"%s\" refused: %s", n, v, e.msg);          \
	} while (0)

#define BAD(m, n, v)                                                             \
	do {                                                                     \
		if (check_in(m, n, v))                                           \
			fail_msg("%s=\"%s\" accepted", n, v);                    \
		assert_true(e.msg[0] != '\0');                                   \
	} while (0)

/* Refused, with the error pointing at v[o..o+l). */
#define BAD_AT(m, n, v, o, l)                                                    \
	do {                                                                     \
		BAD(m, n, v);                                                    \
		if (e.off != (size_t)(o) || e.len != (size_t)(l))                \
			fail_msg("%s=\"%s\": error at %zu+%zu, want %d+%d: %s", n, v, \
				 e.off, e.len, (int)(o), (int)(l), e.msg);      \
	} while (0)

#define F4 MK_FILTER4
#define N4 MK_NAT4
#define M4 MK_MANGLE4
#define R4 MK_RAW4
#define F6 MK_FILTER6
#define M6 MK_MANGLE6
#define R6 MK_RAW6

static void test_string(void **state)
{
	(void)state;
	OK(F4, "comment", "anything at all, \"quoted\" & \x01 control");
	OK(F4, "comment", "");
	/* no PF_NEG: a leading '!' is part of the text */
	OK(F4, "log-prefix", "!text");
	OK(F4, "place-before", "[find action=drop chain=input]");
	OK(F4, "place-before", "0");
	OK(F4, "tls-host", "*.youtube.com");
	OK(F4, "tls-host", "!*.youtube.com");
	BAD_AT(F4, "tls-host", "!", 0, 1);
}

static void test_name(void **state)
{
	(void)state;
	OK(F4, "chain", "input");
	OK(F4, "chain", "VPN Access");
	OK(F4, "chain", "!odd-but-literal");
	OK(F4, "in-interface", "!ether1");
	OK(F4, "in-interface-list", "!LAN");
	OK(M4, "new-packet-mark", "IPSEC PCKT");
	OK(MK_IFLIST_MEMBER, "interface", "main infrastructure");
	BAD_AT(F4, "in-interface", "!!ether1", 1, 1);
	BAD_AT(F4, "in-interface", "!", 0, 1);
	/* one list only; the second element is what is wrong */
	BAD_AT(F4, "src-address-list", "Stage_2,!secured", 8, 8);
	BAD_AT(F4, "chain", "in\tput", 2, 1);
	assert_non_null(strstr(e.msg, "control character"));
}

static void test_name_list(void **state)
{
	(void)state;
	OK(MK_IFLIST, "include", "list-2ghz-caps-private,list-5ghz-caps-private");
	OK(MK_IFLIST, "exclude", "WAN");
	BAD_AT(MK_IFLIST, "include", "a,,b", 2, 1);
	BAD_AT(MK_IFLIST, "include", "a,", 1, 1);
	BAD_AT(MK_IFLIST, "include", ",a", 0, 1);
	BAD_AT(MK_IFLIST, "include", "a,b\nc", 3, 1);
}

static void test_yesno(void **state)
{
	(void)state;
	OK(F4, "disabled", "yes");
	OK(F4, "disabled", "no");
	OK(F4, "log", "true");
	OK(M4, "passthrough", "false");
	BAD_AT(F4, "disabled", "Yes", 0, 3);
	BAD(F4, "disabled", "1");
	BAD(F4, "disabled", "!yes");
	assert_non_null(strstr(e.msg, "negated"));
	/* a property with a default needs a value */
	BAD_AT(F4, "disabled", "", 0, 0);
	assert_non_null(strstr(e.msg, "default no"));
}

static void test_enum(void **state)
{
	(void)state;
	OK(F4, "connection-type", "sip");
	OK(F4, "connection-type", "!ftp");
	OK(F4, "reject-with", "icmp-host-unreachable");
	OK(F4, "reject-with", "tcp-reset");
	OK(R4, "ipv4-options", "strict-source-routing");
	OK(MK_CONNTRACK, "enabled", "auto");
	BAD_AT(F4, "connection-type", "sipp", 0, 4);
	assert_non_null(strstr(e.msg, "expected one of ftp, gre, h323"));
	BAD(F4, "action", "fasttrack");
	assert_non_null(strstr(e.msg, "got \"fasttrack\""));
	/* the optional ones unset with an empty value, action cannot */
	OK(F4, "connection-type", "");
	BAD(F4, "action", "");
}

static void test_enum_list(void **state)
{
	(void)state;
	OK(F4, "connection-state", "established,related,untracked");
	OK(F4, "connection-state", "invalid");
	OK(F4, "connection-state", "!invalid");
	OK(F4, "connection-state", "");
	OK(F4, "connection-nat-state", "!dstnat");
	OK(F4, "connection-nat-state", "srcnat,dstnat");
	OK(F4, "hotspot", "!auth,from-client");
	OK(F6, "headers", "hop,frag");
	BAD_AT(F4, "connection-state", "established,foo", 12, 3);
	BAD_AT(F4, "connection-state", "established,,new", 12, 1);
	BAD_AT(F4, "connection-state", "established,", 11, 1);
	/* negation is for the whole list, not an element */
	BAD_AT(F4, "connection-state", "established,!new", 12, 4);
	BAD_AT(F4, "hotspot", "auth,!", 5, 1);
}

static void test_uint(void **state)
{
	(void)state;
	OK(F4, "random", "1");
	OK(F4, "random", "99");
	BAD_AT(F4, "random", "0", 0, 1);
	assert_string_equal(e.msg, "expected an integer 1-99, got \"0\"");
	BAD(F4, "random", "100");
	BAD(F4, "random", "-1");
	BAD(F4, "random", "+5");
	BAD(F4, "random", " 5");
	BAD(F4, "random", "99999999999999999999999999");
	OK(M4, "sniff-target-port", "37008");
	BAD(M4, "sniff-target-port", "65536");
	OK(MK_CONNTRACK, "max-connections", "500000");
}

static void test_uint_range(void **state)
{
	(void)state;
	OK(M4, "packet-size", "0-123");
	OK(M4, "packet-size", "64");
	OK(M4, "packet-size", "!0-500");
	BAD_AT(M4, "packet-size", "500-0", 0, 5);
	assert_non_null(strstr(e.msg, "starts after it ends"));
	BAD(M4, "packet-size", "0-70000");
	BAD(M4, "packet-size", "1-");
	BAD(M4, "packet-size", "-1");
	OK(N4, "to-ports", "8291");
	OK(N4, "to-ports", "65000-65050");
	BAD_AT(N4, "to-ports", "XXXX", 0, 4);
	assert_string_equal(e.msg, "expected a port or port range 0-65535, got \"XXXX\"");
	BAD(N4, "to-ports", "80,443");
}

static void test_addr4(void **state)
{
	(void)state;
	OK(F4, "src-address", "192.168.1.0/24");
	OK(F4, "src-address", "10.0.0.1");
	OK(F4, "src-address", "1.1.1.1/24"); /* RouterOS makes it 1.1.1.0/24 */
	OK(F4, "src-address", "0.0.0.0/0");
	OK(F4, "src-address", "255.255.255.255/32");
	OK(F4, "src-address", "172.22.23.2-172.22.23.254");
	OK(F4, "src-address", "10.0.0.1-10.0.0.1");
	OK(F4, "src-address", "10.0.0.0/255.0.0.0");
	OK(F4, "dst-address", "!254.255.255.255");
	OK(N4, "to-addresses", "192.168.90.40");
	OK(N4, "to-addresses", "10.0.0.1-10.0.0.9");
	BAD_AT(F4, "dst-address", "172.16.1.X", 0, 10);
	assert_string_equal(e.msg,
			    "expected an IPv4 address, prefix or range, got \"172.16.1.X\"");
	BAD_AT(F4, "dst-address", "!172.16.1.X", 1, 10);
	BAD_AT(F4, "dst-address", "10.0.0.0/33", 9, 2);
	BAD_AT(F4, "dst-address", "10.0.0.0/255.0.255.0", 9, 11);
	assert_non_null(strstr(e.msg, "not contiguous"));
	BAD_AT(F4, "dst-address", "10.0.0.9-10.0.0.1", 0, 17);
	BAD(F4, "dst-address", "256.1.1.1");
	BAD(F4, "dst-address", "1.2.3");
	BAD(F4, "dst-address", "1.2.3.4.5");
	BAD(F4, "dst-address", "1.2.3.4/");
	BAD(F4, "dst-address", "1.2.3.4/24-1.2.3.5");
	BAD(F4, "dst-address", "1.2.3.4 ");
	BAD(F4, "dst-address", "fe80::1");
	BAD(N4, "to-addresses", "10.0.0.1,10.0.0.2");
}

static void test_addr6(void **state)
{
	(void)state;
	OK(F6, "src-address", "fe80::/10");
	OK(R6, "src-address", "::/128");
	OK(R6, "dst-address", "ff02::1:ff00:0/104");
	OK(F6, "dst-address", "2001:db8::1-2001:db8::ff");
	OK(F6, "dst-address", "!::1");
	OK(F6, "dst-address", "::ffff:1.2.3.4");
	BAD_AT(F6, "dst-address", "2001:db8::/129", 11, 3);
	BAD(F6, "dst-address", "10.0.0.1");
	BAD(F6, "dst-address", "fe80::1%eth0");
	BAD(F6, "dst-address", "2001:db8::ff-2001:db8::1");
	BAD(F6, "dst-address", "2001:db8::/255.255.0.0");
	BAD(F6, "dst-address",
	    "2001:0db8:0000:0000:0000:0000:0000:0001:2001:0db8:0000:0000:0000:0000:0000:0001");
}

static void test_addr_or_dns(void **state)
{
	(void)state;
	OK(MK_ADDRLIST4, "address", "rutracker.org");
	OK(MK_ADDRLIST4, "address", "grafana.home");
	OK(MK_ADDRLIST4, "address", "2ip.ru");
	OK(MK_ADDRLIST4, "address", "_dmarc.example.com.");
	OK(MK_ADDRLIST4, "address", "8.8.8.8");
	OK(MK_ADDRLIST4, "address", "100.64.0.0/10");
	OK(MK_ADDRLIST4, "address", "10.0.0.1-10.0.0.5");
	OK(MK_ADDRLIST4, "address", "");
	OK(MK_ADDRLIST6, "address", "2001:db8::/32");
	OK(MK_ADDRLIST6, "address", "ipv6.google.com");
	BAD_AT(MK_ADDRLIST4, "address", "172.16.1.X", 0, 10);
	assert_non_null(strstr(e.msg, "placeholder"));
	BAD(MK_ADDRLIST4, "address", "X.X.X.X");
	BAD(MK_ADDRLIST4, "address", "172.16.X.X/24");
	BAD(MK_ADDRLIST4, "address", "-bad.example");
	BAD(MK_ADDRLIST4, "address", "bad-.example");
	BAD(MK_ADDRLIST4, "address", "exa mple.com");
	BAD(MK_ADDRLIST4, "address", "foo..bar");
	BAD(MK_ADDRLIST4, "address", "123.456");
	BAD(MK_ADDRLIST4, "address", "example.123");
	BAD(MK_ADDRLIST4, "address",
	    "a234567890123456789012345678901234567890123456789012345678901234.example");
	OK(MK_ADDRLIST4, "address",
	   "a23456789012345678901234567890123456789012345678901234567890123.example");
	BAD_AT(MK_ADDRLIST4, "address", "10.0.0.0/40", 9, 2);
	BAD(MK_ADDRLIST6, "address", "2001:db8::/200");
}

static void test_ports(void **state)
{
	(void)state;
	OK(F4, "dst-port", "80");
	OK(F4, "dst-port", "0");
	OK(F4, "dst-port", "65535");
	OK(F4, "dst-port", "1-1024");
	OK(F4, "dst-port", "80,443,8000-8080");
	OK(F4, "dst-port", "!137-139,445");
	OK(MK_SERVICE_PORT, "ports", "5060,5061");
	BAD_AT(F4, "dst-port", "70000", 0, 5);
	assert_string_equal(e.msg, "expected a port or port range 0-65535, got \"70000\"");
	BAD_AT(F4, "dst-port", "80,70000", 3, 5);
	BAD_AT(F4, "dst-port", "!80,99999", 4, 5);
	BAD_AT(F4, "dst-port", "80,443,1024-80", 7, 7);
	assert_non_null(strstr(e.msg, "starts after it ends"));
	BAD_AT(F4, "dst-port", "80,,443", 3, 1);
	BAD_AT(F4, "dst-port", "80,", 2, 1);
	BAD_AT(F4, "dst-port", "http", 0, 4);
	BAD_AT(F4, "dst-port", "80, 443", 3, 4);
	BAD(F4, "dst-port", "XXXXX");
}

static void test_protocol(void **state)
{
	(void)state;
	OK(F4, "protocol", "tcp");
	OK(F4, "protocol", "udp");
	OK(F4, "protocol", "icmp");
	OK(F6, "protocol", "icmpv6");
	OK(F4, "protocol", "ipsec-esp");
	OK(F4, "protocol", "ipsec-ah");
	OK(F4, "protocol", "gre");
	OK(F4, "protocol", "ospf");
	OK(F4, "protocol", "udp-lite");
	OK(F4, "protocol", "udplite");
	OK(F4, "protocol", "139");
	OK(F4, "protocol", "0");
	OK(F4, "protocol", "255");
	OK(F4, "protocol", "!igmp");
	BAD_AT(F4, "protocol", "256", 0, 3);
	BAD(F4, "protocol", "tcpp");
	BAD(F4, "protocol", "TCP");
	BAD_AT(F4, "protocol", "!tcp,udp", 1, 7);
}

static void test_time(void **state)
{
	(void)state;
	OK(F4, "address-list-timeout", "1w3d");
	OK(F4, "address-list-timeout", "4w2d");
	OK(F4, "address-list-timeout", "00:05:00");
	OK(F4, "address-list-timeout", "1d00:00:00");
	OK(F4, "address-list-timeout", "1d 00:00:10");
	OK(F4, "address-list-timeout", "100ms");
	OK(F4, "address-list-timeout", "3");
	OK(F4, "address-list-timeout", "15h01m");
	OK(F4, "address-list-timeout", "none-dynamic");
	OK(F4, "address-list-timeout", "none-static");
	BAD_AT(F4, "address-list-timeout", "1h30", 0, 4);
	BAD(F4, "address-list-timeout", "1m1h");
	BAD(F4, "address-list-timeout", "1h1h");
	BAD(F4, "address-list-timeout", "1x");
	BAD(F4, "address-list-timeout", "none");
	BAD(F4, "address-list-timeout", "00:60:00");
	BAD(F4, "address-list-timeout", "1h00:00:00");
	BAD(F4, "address-list-timeout", "00:00");
	BAD(F4, "address-list-timeout", "1d  00:00:10");
	BAD(F4, "address-list-timeout", "1d 5h");
	BAD(F4, "address-list-timeout", "1d ");
	BAD(F4, "address-list-timeout", "");
	OK(MK_CONNTRACK, "tcp-established-timeout", "1d");
	OK(MK_CONNTRACK, "udp-timeout", "10s");
	BAD(MK_CONNTRACK, "udp-timeout", "none-dynamic");
	OK(MK_ADDRLIST4, "timeout", "24h");
	OK(MK_SERVICE_PORT, "sip-timeout", "1h");
}

static void test_parse_time(void **state)
{
	uint64_t ms = 0;

	(void)state;
	assert_true(value_parse_time("1w2d3h4m5s", 10, &ms));
	assert_true(ms == ((9ull * 24 + 3) * 3600 + 4 * 60 + 5) * 1000);
	assert_true(value_parse_time("100ms", 5, &ms));
	assert_true(ms == 100);
	assert_true(value_parse_time("30", 2, &ms));
	assert_true(ms == 30000);
	assert_true(value_parse_time("00:05:00", 8, &ms));
	assert_true(ms == 300000);
	assert_true(value_parse_time("1d 00:00:10", 11, &ms));
	assert_true(ms == 86410000);
	assert_true(value_parse_time("1d00:00:10", 10, &ms));
	assert_true(ms == 86410000);
	assert_true(value_parse_time("1s500ms", 7, &ms));
	assert_true(ms == 1500);
	/* only the first len bytes count */
	assert_true(value_parse_time("10sXYZ", 3, &ms));
	assert_true(ms == 10000);
	assert_false(value_parse_time("", 0, &ms));
	assert_false(value_parse_time(NULL, 0, &ms));
	assert_false(value_parse_time("99999999999999999999w", 21, &ms));
	assert_false(value_parse_time("3000000000000w", 14, &ms));
	assert_false(value_parse_time("99999999999999999999", 20, &ms));
}

static void test_rate(void **state)
{
	(void)state;
	OK(F4, "limit", "50/1s,5:packet");
	OK(F4, "limit", "1M/1s,1M:bit");
	OK(F4, "limit", "50,5:packet");
	OK(F4, "limit", "2/1m,5");
	OK(F4, "limit", "10/1s");
	OK(F4, "limit", "1/5s,3:packet");
	OK(F4, "limit", "30/1m,0");
	OK(F4, "limit", "1,5");
	OK(F4, "limit", "!10/1s:packet");
	BAD_AT(F4, "limit", "50/1s,5:byte", 8, 4);
	BAD_AT(F4, "limit", "0/1s", 0, 1);
	BAD_AT(F4, "limit", "50/0s,5", 3, 2);
	BAD_AT(F4, "limit", "50/1x,5", 3, 2);
	BAD_AT(F4, "limit", "50,5,6", 3, 3);
	BAD_AT(F4, "limit", "50,x:packet", 3, 1);
	BAD(F4, "limit", "abc");
	BAD(F4, "limit", "50/1s,5:");
}

static void test_dst_limit(void **state)
{
	(void)state;
	OK(F4, "dst-limit", "1/1m,9,dst-address/1m");
	OK(F4, "dst-limit", "32,32,src-and-dst-addresses/10s");
	OK(F4, "dst-limit", "15,15,src-address/10s");
	OK(F4, "dst-limit", "10,5,addresses-and-dst-port");
	OK(F4, "dst-limit", "10/1s,5,dst-address-and-port/1m");
	OK(F4, "dst-limit", "10,5,dst-address,1m"); /* 2.9 */
	BAD(F4, "dst-limit", "10,5");
	BAD_AT(F4, "dst-limit", "10,5,foo", 5, 3);
	BAD_AT(F4, "dst-limit", "10,5,src-address/1q", 17, 2);
	BAD_AT(F4, "dst-limit", "x,5,src-address", 0, 1);
	BAD_AT(F4, "dst-limit", "10,x,src-address", 3, 1);
	BAD(F4, "dst-limit", "10,5,src-address/1m,1m");
	BAD(F4, "dst-limit", "10,5,src-address,1m,2");
}

static void test_conn_limit(void **state)
{
	(void)state;
	OK(F4, "connection-limit", "100,32");
	OK(F4, "connection-limit", "3,24");
	OK(F4, "connection-limit", "!100,32");
	OK(F6, "connection-limit", "100,64");
	BAD_AT(F4, "connection-limit", "100,33", 4, 2);
	BAD_AT(F6, "connection-limit", "100,129", 4, 3);
	BAD(F4, "connection-limit", "100");
	BAD(F4, "connection-limit", "100,32,1");
	BAD_AT(F4, "connection-limit", "x,32", 0, 1);
}

static void test_conn_bytes(void **state)
{
	(void)state;
	OK(F4, "connection-bytes", "2000000-0");
	OK(F4, "connection-bytes", "0-500000");
	OK(F4, "connection-bytes", "!0-500000");
	BAD_AT(F4, "connection-bytes", "500-100", 0, 7);
	BAD(F4, "connection-bytes", "100");
	BAD(F4, "connection-bytes", "a-b");
	BAD(F4, "connection-bytes", "99999999999999999999999-0");
}

static void test_conn_rate(void **state)
{
	(void)state;
	OK(F4, "connection-rate", "0-100k");
	OK(F4, "connection-rate", "10k-1M");
	OK(F4, "connection-rate", "1M-4G");
	OK(F4, "connection-rate", "100k");
	BAD(F4, "connection-rate", "1M-10k");
	BAD(F4, "connection-rate", "0-5G");
	BAD(F4, "connection-rate", "x");
	BAD(F4, "connection-rate", "k");
}

static void test_nth(void **state)
{
	(void)state;
	OK(F4, "nth", "2,1");
	OK(F4, "nth", "10,10");
	OK(F4, "nth", "3,0,1"); /* 2.9: every,counter,packet */
	BAD_AT(F4, "nth", "2,3", 2, 1);
	BAD_AT(F4, "nth", "0,0", 0, 1);
	BAD_AT(F4, "nth", "2,0", 2, 1);
	BAD_AT(F4, "nth", "3,16,1", 2, 2);
	BAD(F4, "nth", "2");
	BAD(F4, "nth", "1,1,1,1");
}

static void test_pcc(void **state)
{
	(void)state;
	OK(M4, "per-connection-classifier", "both-addresses:2/0");
	OK(M4, "per-connection-classifier", "src-address:3/1");
	OK(M4, "per-connection-classifier", "both-addresses-and-ports:2/1");
	OK(M4, "per-connection-classifier", "dst-port:4/3");
	OK(M4, "per-connection-classifier", "!src-address-and-port:2/0");
	BAD_AT(M4, "per-connection-classifier", "both-addresses-and-ports:2/2", 27, 1);
	assert_non_null(strstr(e.msg, "less than the denominator 2"));
	BAD_AT(M4, "per-connection-classifier", "foo:2/0", 0, 3);
	BAD_AT(M4, "per-connection-classifier", "src-address:0/0", 12, 1);
	BAD(M4, "per-connection-classifier", "src-address");
	BAD(M4, "per-connection-classifier", "src-address:2");
	BAD_AT(M4, "per-connection-classifier", "src-address:2/x", 14, 1);
}

static void test_time_spec(void **state)
{
	(void)state;
	OK(F4, "time", "8h-17h,mon,tue,wed,thu,fri");
	OK(F4, "time", "00:00:00-1d00:00:00,sun");
	OK(F4, "time", "15h01m-16h,mon,tue,wed,thu,fri");
	OK(F4, "time", "22h-6h,sat");
	OK(F4, "time", "8h-17h");
	BAD_AT(F4, "time", "8h-17h,funday", 7, 6);
	BAD_AT(F4, "time", "8h,mon", 0, 2);
	BAD_AT(F4, "time", "8h-2d", 3, 2);
	BAD_AT(F4, "time", "8h-17x", 3, 3);
	BAD_AT(F4, "time", "8h-17h,mon,", 10, 1);
	OK(F4, "time", "!8h-17h");
	BAD_AT(F4, "time", "!!8h-17h", 1, 1);
}

static void test_tcp_flags(void **state)
{
	(void)state;
	OK(F4, "tcp-flags", "syn");
	OK(F4, "tcp-flags", "fin,!syn,!rst,!psh,!ack,!urg");
	OK(F4, "tcp-flags", "!fin,!syn");
	OK(F4, "tcp-flags", "ece,cwr");
	OK(F4, "tcp-flags", "");
	BAD_AT(F4, "tcp-flags", "syn,!syn", 4, 4);
	BAD_AT(F4, "tcp-flags", "!syn,syn", 5, 3);
	BAD_AT(F4, "tcp-flags", "syn,foo", 4, 3);
	BAD_AT(F4, "tcp-flags", "syn,!", 4, 1);
	BAD_AT(F4, "tcp-flags", "!", 0, 1);
	BAD_AT(F4, "tcp-flags", "syn,!!ack", 5, 4);
}

static void test_icmp_options(void **state)
{
	(void)state;
	OK(F4, "icmp-options", "8:0");
	OK(F4, "icmp-options", "3");
	OK(F4, "icmp-options", "0:0-255");
	OK(F4, "icmp-options", "3:0-1");
	OK(F4, "icmp-options", "!8:0");
	OK(F4, "icmp-options", "echo-request");
	OK(F4, "icmp-options", "destination-unreachable:4");
	OK(R6, "icmp-options", "135:0-255");
	OK(R6, "icmp-options", "nd-neighbor-solicit:0");
	BAD(F4, "icmp-options", "nd-neighbor-solicit");
	BAD_AT(F4, "icmp-options", "256:0", 0, 3);
	BAD_AT(F4, "icmp-options", "8:256", 2, 3);
	BAD_AT(F4, "icmp-options", "8:5-1", 2, 3);
	BAD_AT(F4, "icmp-options", "8:", 1, 1);
	BAD(F4, "icmp-options", "8:0:0");
}

static void test_mac(void **state)
{
	(void)state;
	OK(F4, "src-mac-address", "AA:BB:CC:DD:EE:FF");
	OK(F4, "src-mac-address", "88:e9:fe:88:ab:fe");
	OK(F4, "src-mac-address", "!AA:BB:CC:DD:EE:FF");
	BAD_AT(F4, "src-mac-address", "AA:BB:CC:DD:EE", 0, 14);
	BAD(F4, "src-mac-address", "AA-BB-CC-DD-EE-FF");
	BAD(F4, "src-mac-address", "GG:BB:CC:DD:EE:FF");
	BAD(F4, "src-mac-address", "AA:BB:CC:DD:EE:FF:00");
}

static void test_ipsec_policy(void **state)
{
	(void)state;
	OK(F4, "ipsec-policy", "in,ipsec");
	OK(F4, "ipsec-policy", "out,none");
	OK(F6, "ipsec-policy", "out,ipsec");
	BAD(F4, "ipsec-policy", "in");
	BAD_AT(F4, "ipsec-policy", "up,ipsec", 0, 2);
	BAD_AT(F4, "ipsec-policy", "in,foo", 3, 3);
	BAD_AT(F4, "ipsec-policy", "!in,ipsec", 0, 1);
	BAD(F4, "ipsec-policy", "in,ipsec,none");
}

static void test_addr_type(void **state)
{
	(void)state;
	OK(F4, "dst-address-type", "local");
	OK(F4, "dst-address-type", "!local");
	OK(F4, "src-address-type", "unicast");
	OK(F4, "dst-address-type", "blackhole");
	OK(N4, "dst-address-type", ""); /* what exports write to unset it */
	BAD_AT(F4, "dst-address-type", "!foo", 1, 3);
	BAD(F4, "dst-address-type", "local,broadcast");
}

static void test_tcp_mss(void **state)
{
	(void)state;
	OK(M4, "tcp-mss", "1361-65535");
	OK(M4, "tcp-mss", "1400");
	OK(M4, "tcp-mss", "!0-500");
	BAD_AT(M4, "tcp-mss", "70000", 0, 5);
	assert_string_equal(e.msg, "expected an MSS or MSS range 0-65535, got \"70000\"");
	BAD(M4, "tcp-mss", "600-500");
}

static void test_dscp_priority(void **state)
{
	(void)state;
	OK(M4, "dscp", "46");
	OK(M4, "dscp", "0");
	OK(M4, "dscp", "!63");
	BAD_AT(M4, "dscp", "64", 0, 2);
	OK(M4, "new-dscp", "40");
	BAD(M4, "new-dscp", "!40");
	OK(F4, "ingress-priority", "5");
	OK(F4, "priority", "63");
	BAD(F4, "priority", "64");
	BAD(F4, "priority", "high");
}

static void test_action_value(void **state)
{
	(void)state;
	OK(M4, "new-mss", "1360");
	OK(M4, "new-mss", "88");
	OK(M4, "new-mss", "clamp-to-pmtu");
	BAD(M4, "new-mss", "70000");
	BAD(M4, "new-mss", "set:1360");
	OK(M4, "new-ttl", "set:255");
	OK(M4, "new-ttl", "increment:1");
	OK(M4, "new-ttl", "decrement:1");
	OK(M4, "new-ttl", "decrement");
	BAD_AT(M4, "new-ttl", "64", 0, 2);
	BAD_AT(M4, "new-ttl", "set:256", 4, 3);
	BAD(M4, "new-ttl", "set:");
	BAD(M4, "new-ttl", "multiply:2");
	OK(M6, "new-hop-limit", "set:64");
	OK(M4, "new-priority", "7");
	OK(M4, "new-priority", "from-dscp");
	OK(M4, "new-priority", "from-dscp-high-3-bits");
	BAD(M4, "new-priority", "64");
	BAD_AT(M4, "new-priority", "from-foo", 0, 8);
}

static void test_text_types(void **state)
{
	(void)state;
	OK(F4, "content", "530 Login incorrect");
	OK(F4, "content", "!.youtube.");
	OK(MK_LAYER7, "regexp", "^.+(youtube.com).*$ ");
	OK(MK_LAYER7, "regexp", "A\\x01$");
	OK(MK_LAYER7, "regexp", "!literal");
}

static void test_psd(void **state)
{
	(void)state;
	OK(F4, "psd", "21,3s,3,1");
	OK(F4, "psd", "40,3s,2,1");
	BAD(F4, "psd", "21,3s,3");
	BAD_AT(F4, "psd", "21,0s,3,1", 3, 2);
	BAD_AT(F4, "psd", "x,3s,3,1", 0, 1);
	BAD_AT(F4, "psd", "21,3s,3,y", 8, 1);
}

static void test_ttl(void **state)
{
	(void)state;
	OK(M4, "ttl", "equal:63");
	OK(M4, "ttl", "greater-than:10");
	OK(M4, "ttl", "not-equal:64");
	OK(M4, "ttl", "less-than:10");
	OK(M4, "ttl", "64");
	OK(M4, "ttl", "1-64");
	OK(F6, "hop-limit", "equal:1");
	BAD_AT(M4, "ttl", "equals:63", 0, 6);
	BAD_AT(M4, "ttl", "equal:256", 6, 3);
	BAD(M4, "ttl", "equal:");
	BAD(M4, "ttl", "!equal:1");
}

static void test_negation(void **state)
{
	(void)state;
	BAD_AT(F4, "random", "!5", 0, 1);
	assert_string_equal(e.msg, "random cannot be negated with '!'");
	BAD_AT(F4, "src-address", "!", 0, 1);
	BAD_AT(F4, "src-address", "!!10.0.0.1", 1, 1);
	OK(F4, "src-address", "!10.0.0.1");
}

/* value_check reads len bytes and no further. */
static void test_bounded(void **state)
{
	const struct prop_def *p;

	(void)state;
	p = prop_lookup(F4, "dst-port");
	assert_true(value_check(p, F4, "80,443GARBAGE", 6, &e));
	assert_false(value_check(p, F4, "80,443GARBAGE", 7, &e));
	assert_int_equal(e.off, 3);
	assert_int_equal(e.len, 4);
	p = prop_lookup(F4, "src-address");
	assert_true(value_check(p, F4, "10.0.0.1XYZ", 8, &e));
	p = prop_lookup(F6, "src-address");
	assert_true(value_check(p, F6, "fe80::1zzz", 7, &e));
	p = prop_lookup(F4, "connection-state");
	assert_true(value_check(p, F4, NULL, 0, &e));
	/* no verr wanted */
	assert_false(value_check(p, F4, "foo", 3, NULL));
	assert_false(value_check(NULL, F4, "foo", 3, &e));
}

/* 64 KB values: long lists pass, long elements fail without overflow and
 * with a short message. */
static void test_huge(void **state)
{
	size_t n = 65536, i;
	char *v = malloc(n);
	const struct prop_def *p;

	(void)state;
	assert_non_null(v);
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(v + i, "80,", 3);
	p = prop_lookup(F4, "dst-port");
	assert_true(value_check(p, F4, v, i - 1, &e));
	assert_false(value_check(p, F4, v, i, &e));
	assert_int_equal(e.off, i - 1);
	assert_int_equal(e.len, 1);

	memset(v, '1', n);
	assert_false(value_check(p, F4, v, n, &e));
	assert_int_equal(e.off, 0);
	assert_int_equal(e.len, n);
	assert_non_null(strstr(e.msg, "...\""));
	assert_true(strlen(e.msg) < sizeof(e.msg) - 1);

	p = prop_lookup(F4, "src-address");
	assert_false(value_check(p, F4, v, n, &e));
	assert_int_equal(e.len, n);
	p = prop_lookup(F6, "src-address");
	memset(v, ':', n);
	assert_false(value_check(p, F6, v, n, &e));
	p = prop_lookup(MK_ADDRLIST4, "address");
	memset(v, 'a', n);
	assert_false(value_check(p, MK_ADDRLIST4, v, n, &e));
	p = prop_lookup(F4, "comment");
	assert_true(value_check(p, F4, v, n, &e));
	p = prop_lookup(F4, "chain");
	assert_true(value_check(p, F4, v, n, &e));
	p = prop_lookup(F4, "address-list-timeout");
	memset(v, '9', n);
	assert_false(value_check(p, F4, v, n, &e));
	/* a long multi-byte text is cut on a character boundary */
	for (i = 0; i + 2 <= n; i += 2)
		memcpy(v + i, "\xc3\xa9", 2);
	p = prop_lookup(F4, "protocol");
	assert_false(value_check(p, F4, v, n, &e));
	assert_non_null(strstr(e.msg, "\xc3\xa9...\""));
	free(v);
}

/* Every type has a checker, and garbage gets a real message. */
static void test_every_type(void **state)
{
	static const char *const en[] = { "a", "b:", NULL };
	int t;

	(void)state;
	for (t = 0; t < VT__COUNT; t++) {
		struct prop_def p = { .name = "x", .menus = MB_RULES, .type = (enum vtype)t,
				      .max = 10, .enums = en };

		value_check(&p, F4, "\x01?", 2, &e);
		if (strstr(e.msg, "internal"))
			fail_msg("type %d has no checker", t);
		value_check(&p, F6, ",", 1, &e);
		value_check(&p, F4, "!", 1, &e);
	}
}

static void test_parse_helpers(void **state)
{
	uint32_t a4;
	uint8_t a6[16], mac[6];
	struct value_addr a;
	uint64_t x;
	int n;

	(void)state;
	assert_true(value_parse_ip4("192.168.1.1", 11, &a4));
	assert_true(a4 == 0xc0a80101u);
	assert_false(value_parse_ip4("192.168.1.1 ", 12, &a4));
	assert_false(value_parse_ip4("1.2.3.1234", 10, &a4));
	assert_true(value_parse_ip6("::1", 3, a6));
	assert_int_equal(a6[15], 1);
	assert_int_equal(a6[0], 0);

	assert_true(value_parse_addr("10.1.2.3/8", 10, false, &a));
	assert_int_equal(a.kind, VA_PREFIX);
	assert_int_equal(a.plen, 8);
	assert_memory_equal(a.lo, "\x0a\x00\x00\x00", 4);
	assert_memory_equal(a.hi, "\x0a\xff\xff\xff", 4);
	assert_true(value_parse_addr("10.0.0.0/255.255.0.0", 20, false, &a));
	assert_int_equal(a.plen, 16);
	assert_true(value_parse_addr("1.2.3.4-1.2.3.9", 15, false, &a));
	assert_int_equal(a.kind, VA_RANGE);
	assert_int_equal(a.hi[3], 9);
	assert_true(value_parse_addr("1.2.3.4", 7, false, &a));
	assert_int_equal(a.kind, VA_ADDR);
	assert_int_equal(a.plen, 32);
	assert_true(value_parse_addr("2001:db8::/32", 13, true, &a));
	assert_true(a.v6);
	assert_int_equal(a.plen, 32);
	assert_memory_equal(a.hi, "\x20\x01\x0d\xb8\xff\xff", 6);
	assert_int_equal(a.hi[15], 0xff);
	assert_true(value_parse_addr("::/0", 4, true, &a));
	assert_int_equal(a.hi[0], 0xff);
	assert_false(value_parse_addr("2001:db8::/32", 13, false, &a));

	assert_true(value_parse_uint("65535", 5, 65535, &x));
	assert_false(value_parse_uint("65536", 5, 65535, &x));
	assert_false(value_parse_uint("3", 1, 2, &x));
	assert_true(value_parse_uint("0", 1, 0, &x));
	assert_false(value_parse_uint("18446744073709551616", 20, UINT64_MAX, &x));
	assert_true(value_parse_uint("18446744073709551615", 20, UINT64_MAX, &x));
	assert_true(x == UINT64_MAX);

	assert_true(value_parse_protocol("tcp", 3, &n));
	assert_int_equal(n, 6);
	assert_true(value_parse_protocol("icmpv6", 6, &n));
	assert_int_equal(n, 58);
	assert_true(value_parse_protocol("ipsec-esp", 9, &n));
	assert_int_equal(n, 50);
	assert_true(value_parse_protocol("udplite", 7, &n));
	assert_int_equal(n, 136);
	assert_true(value_parse_protocol("47", 2, &n));
	assert_int_equal(n, 47);
	assert_false(value_parse_protocol("tc", 2, &n));
	assert_true(value_proto_has_ports(6));
	assert_true(value_proto_has_ports(17));
	assert_true(value_proto_has_ports(33));
	assert_true(value_proto_has_ports(132));
	assert_true(value_proto_has_ports(136));
	assert_false(value_proto_has_ports(1));
	assert_false(value_proto_has_ports(47));

	assert_true(value_parse_icmp_type("echo-request", 12, false, &n));
	assert_int_equal(n, 8);
	assert_true(value_parse_icmp_type("echo-request", 12, true, &n));
	assert_int_equal(n, 128);
	assert_false(value_parse_icmp_type("packet-too-big", 14, false, &n));

	assert_true(value_parse_mac("88:e9:fe:88:ab:FE", 17, mac));
	assert_memory_equal(mac, "\x88\xe9\xfe\x88\xab\xfe", 6);
}


/* ---- parse once, print back ------------------------------------------------ */

/* Two parsed values of one property are the same value. */
static bool pv_same(const struct prop_def *p, const struct pvalue *a, const char *at, const struct pvalue *b,
		    const char *bt)
{
	if (a->form != b->form || a->neg != b->neg)
		return false;
	switch (p->type) {
	case VT_RATE:
		return !memcmp(a->v.p, b->v.p, sizeof(struct vrate));
	case VT_DST_LIMIT:
		return !memcmp(a->v.p, b->v.p, sizeof(struct vdst_limit));
	case VT_CONN_BYTES:
		return !memcmp(a->v.p, b->v.p, sizeof(struct vconn_bytes));
	case VT_PSD: {
		const struct vpsd *x = a->v.p, *y = b->v.p;

		return x->weight == y->weight && x->delay_ms == y->delay_ms && x->lo_weight == y->lo_weight &&
		       x->hi_weight == y->hi_weight;
	}
	case VT_MAC:
		if (a->form & VFORM_MAC_MASK)
			return !memcmp(a->v.p, b->v.p, 12);
		break;
	case VT_PORTS:
		if (a->form & VFORM_LIST) {
			const struct vranges *x = a->v.p, *y = b->v.p;

			return x->n == y->n && !memcmp(x->v, y->v, x->n * sizeof(x->v[0]));
		}
		break;
	case VT_NAME_LIST: {
		const struct vnames *x = a->v.p, *y = b->v.p;
		uint32_t i;

		if (x->n != y->n)
			return false;
		for (i = 0; i < x->n; i++)
			if (x->v[i].len != y->v[i].len || memcmp(at + x->v[i].off, bt + y->v[i].off, x->v[i].len))
				return false;
		return true;
	}
	case VT_ADDR:
	case VT_ADDR_OR_DNS:
		if (a->form & VFORM_ADDRS) {
			const struct vaddrs *x = a->v.p, *y = b->v.p;

			return x->n == y->n && !memcmp(x->v, y->v, x->n * sizeof(x->v[0]));
		}
		if (a->form & VFORM_V6)
			return !memcmp(a->v.p, b->v.p, sizeof(struct value_addr));
		break;
	default:
		break;
	}
	return !memcmp(&a->v, &b->v, sizeof(a->v));
}

/*
 * The parsed value holds all the text says: printed back as RouterOS text
 * it parses to the same value, for every value type. Where the printed form
 * is RouterOS's canonical one, it is given.
 */
static void test_parse_print_round_trip(void **state)
{
	static const struct {
		enum menu_kind m;
		const char *prop, *text, *printed;	/* printed NULL: the text itself */
	} cases[] = {
		{ F4, "comment", "any text, \"quoted\"", NULL },
		{ F4, "chain", "VPN Access", NULL },
		{ F4, "in-interface", "!ether1", NULL },
		{ MK_IFLIST, "include", "LAN,WAN", NULL },
		{ F4, "log", "true", "yes" },
		{ F4, "connection-type", "sip", NULL },
		{ F4, "connection-state", "related,established", "established,related" },
		{ F4, "hotspot", "auth,!from-client", NULL },
		{ N4, "action", "masquerade", NULL },
		{ F4, "random", "50", NULL },
		{ F4, "packet-size", "100-200", NULL },
		{ F4, "src-address", "1.1.1.1/24", "1.1.1.0/24" },
		{ F4, "src-address", "!10.0.0.1-10.0.0.9", NULL },
		{ F4, "dst-address", "10.0.0.0/255.255.0.0", "10.0.0.0/16" },
		{ F6, "src-address", "2001:db8::1/64", "2001:db8::/64" },
		{ MK_ADDRLIST4, "address", "example.com", NULL },
		{ MK_ADDRLIST4, "address", "1.2.3.4", NULL },
		{ MK_ADDRLIST6, "address", "2001:db8::-2001:db8::ff", NULL },
		{ MK_IP_SERVICE, "address", "10.1.2.3/8,2001:DB8::1/64,192.0.2.7", "10.0.0.0/8,2001:db8::/64,192.0.2.7" },
		{ F4, "dst-port", "80", NULL },
		{ F4, "dst-port", "!80,443,1000-2000", NULL },
		{ F4, "protocol", "tcp", "6" },
		{ MK_CONNTRACK, "udp-timeout", "90m", "1h30m" },
		{ MK_CONNTRACK, "tcp-established-timeout", "1d 00:00:10", "1d10s" },
		{ F4, "address-list-timeout", "none-static", NULL },
		{ F4, "address-list-timeout", "00:05:00", "5m" },
		{ F4, "limit", "1M/1s,1M:bit", "1000000/1s,1000000:bit" },
		{ F4, "limit", "50,5:packet", "50/1s,5:packet" },
		{ F4, "dst-limit", "10/1m,5,src-address/1m", NULL },
		{ F4, "dst-limit", "5,5,dst-port,2m", "5/1s,5,dst-port/2m" },
		{ F4, "connection-limit", "100,24", NULL },
		{ F4, "connection-bytes", "1000000-0", NULL },
		{ F4, "connection-rate", "0-100k", "0-100000" },
		{ F4, "nth", "2,1", NULL },
		{ F4, "nth", "5,3,1", "5,0,1" },
		{ F4, "per-connection-classifier", "both-addresses:2/0", NULL },
		{ F4, "time", "8h-17h,tue,mon", "8h-17h,mon,tue" },
		{ F4, "tcp-flags", "syn,!ack", NULL },
		{ F4, "icmp-options", "echo-request:0", "8:0" },
		{ F6, "icmp-options", "1:0-4", NULL },
		{ F4, "src-mac-address", "aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF" },
		{ MK_BRIDGE_FILTER, "dst-mac-address", "01:00:5e:00:00:00/ff:ff:ff:80:00:00",
		  "01:00:5E:00:00:00/FF:FF:FF:80:00:00" },
		{ MK_BRIDGE_FILTER, "mac-protocol", "ipv6", NULL },
		{ MK_BRIDGE_FILTER, "mac-protocol", "!0x88CC", "!0x88cc" },
		{ MK_BRIDGE_FILTER, "mac-protocol", "2048", "0x0800" },
		{ F4, "ipsec-policy", "out,none", NULL },
		{ F4, "src-address-type", "!broadcast", NULL },
		{ F4, "tcp-mss", "1000-1500", NULL },
		{ F4, "dscp", "46", NULL },
		{ F4, "priority", "!3", NULL },
		{ M4, "new-ttl", "set:64", NULL },
		{ M4, "new-ttl", "decrement", NULL },
		{ M4, "new-mss", "clamp-to-pmtu", NULL },
		{ M4, "new-mss", "1400", NULL },
		{ F4, "content", "!abc", NULL },
		{ MK_LAYER7, "regexp", "^.+(x|y)$", NULL },
		{ F4, "psd", "21,3s,3,1", NULL },
		{ F4, "ttl", "greater-than:10", NULL },
		{ F6, "hop-limit", "1-10", NULL },
		{ F4, "tos", "!16", NULL },
		{ F4, "tos", "min-delay", NULL },
		{ M4, "new-dscp", "from-priority", NULL },
		{ F6, "dst-address-type", "anycast", NULL },
		{ F4, "time", "!8h-17h,mon", NULL },
	};
	bool typed[VT__COUNT] = { 0 };
	struct arena *ar = arena_new();
	size_t i;
	int t;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct prop_def *p = prop_lookup(cases[i].m, cases[i].prop);
		const char *want = cases[i].printed ? cases[i].printed : cases[i].text;
		struct pvalue a, b;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(p);
		assert_non_null(f);
		if (!value_parse(p, cases[i].m, cases[i].text, strlen(cases[i].text), &a, ar, &e))
			fail_msg("%s=%s: %s", cases[i].prop, cases[i].text, e.msg);
		pvalue_print(f, p, cases[i].m, &a, cases[i].text, strlen(cases[i].text));
		fclose(f);
		if (strcmp(buf, want))
			fail_msg("%s=%s printed as \"%s\", not \"%s\"", cases[i].prop, cases[i].text, buf, want);
		if (!value_parse(p, cases[i].m, buf, len, &b, ar, &e))
			fail_msg("%s=%s printed as \"%s\", which does not parse: %s", cases[i].prop, cases[i].text, buf,
				 e.msg);
		if (!pv_same(p, &a, cases[i].text, &b, buf))
			fail_msg("%s=%s printed as \"%s\", which parses to another value", cases[i].prop, cases[i].text,
				 buf);
		typed[p->type] = true;
		free(buf);
	}
	for (t = 0; t < VT__COUNT; t++)
		if (!typed[t])
			fail_msg("value type %d has no round-trip case", t);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_name_list),
		cmocka_unit_test(test_yesno),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_enum_list),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_uint_range),
		cmocka_unit_test(test_addr4),
		cmocka_unit_test(test_addr6),
		cmocka_unit_test(test_addr_or_dns),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_protocol),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_dst_limit),
		cmocka_unit_test(test_conn_limit),
		cmocka_unit_test(test_conn_bytes),
		cmocka_unit_test(test_conn_rate),
		cmocka_unit_test(test_nth),
		cmocka_unit_test(test_pcc),
		cmocka_unit_test(test_time_spec),
		cmocka_unit_test(test_tcp_flags),
		cmocka_unit_test(test_icmp_options),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_ipsec_policy),
		cmocka_unit_test(test_addr_type),
		cmocka_unit_test(test_tcp_mss),
		cmocka_unit_test(test_dscp_priority),
		cmocka_unit_test(test_action_value),
		cmocka_unit_test(test_text_types),
		cmocka_unit_test(test_psd),
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_negation),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_parse_helpers),
		cmocka_unit_test(test_parse_print_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
