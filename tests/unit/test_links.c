/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The links reader without a kernel: RTM_NEWLINK answers built here as
 * the kernel sends them (a name, a master, link info with a kind) are
 * parsed into names, bridges and bridge ports; what is not a link, or a
 * name that is not one, is passed over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "links.h"

static char buf[8192];
static size_t used;

/* One RTM_NEWLINK message at the end of buf. */
static struct nlmsghdr *msg_link(int index, const char *name, int master, const char *kind)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 7;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = index;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	if (kind) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);

		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		mnl_attr_nest_end(nlh, nest);
	}
	used += nlh->nlmsg_len;
	return nlh;
}

static void msg_done(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 7;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	used += nlh->nlmsg_len;
}

static void test_parse(void **state)
{
	struct links l = { 0 };
	const struct link *k;

	(void)state;
	used = 0;
	memset(buf, 0, sizeof(buf));
	msg_link(1, "lo", 0, NULL);
	msg_link(2, "enp1s0", 0, "veth");
	msg_link(3, "br0", 0, "bridge");
	msg_link(4, "enp2s0", 3, NULL);
	msg_link(5, NULL, 0, NULL);		/* no name: not a link to compare with */
	assert_int_equal(links_parse(&l, buf, used, 7, 0), MNL_CB_OK);
	used = 0;
	msg_link(6, "ppp0", 0, "ppp");
	msg_done();
	assert_int_equal(links_parse(&l, buf, used, 7, 0), MNL_CB_STOP);

	assert_int_equal(l.n, 5);
	assert_non_null(k = links_find(&l, "br0"));
	assert_true(k->bridge);
	assert_int_equal(k->index, 3);
	assert_non_null(k = links_find(&l, "enp2s0"));
	assert_false(k->bridge);
	assert_int_equal(k->master, 3);
	assert_string_equal(links_by_index(&l, k->master)->name, "br0");
	assert_false(links_find(&l, "enp1s0")->bridge);
	assert_non_null(links_find(&l, "ppp0"));
	assert_null(links_find(&l, "enp"));
	assert_true(links_prefix(&l, "enp", 3));
	assert_true(links_prefix(&l, "ppp", 3));
	assert_false(links_prefix(&l, "wg", 2));
	links_free(&l);
}

/* A name attribute without its NUL, or longer than Linux allows, names
 * no interface. */
static void test_bad_name(void **state)
{
	struct links l = { 0 };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	(void)state;
	used = 0;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = 9;
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");	/* no NUL */
	used = nlh->nlmsg_len;
	msg_link(10, "a-name-of-16-byt", 0, NULL);
	msg_link(11, "eth1", 0, NULL);
	assert_int_equal(links_parse(&l, buf, used, 0, 0), MNL_CB_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "eth1");
	links_free(&l);
}

/* The machine this runs on has a loopback: the real reader finds it. */
static void test_read(void **state)
{
	struct links l = { 0 };

	(void)state;
	assert_int_equal(links_read(&l), 0);
	assert_non_null(links_find(&l, "lo"));
	links_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_bad_name),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
