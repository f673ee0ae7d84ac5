/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setdump FAMILY SET...: dump the elements of sets of table rosfw and
 * count them, nothing else: the floor any reader of those sets stands
 * on (same 32 KB receive buffer as rosfw's dump socket). Prints the count
 * and the milliseconds the dumps took (timed inside, as rosfwd --verbose
 * times its polls, so process start counts for neither).
 */
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int elems_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *x;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
			mnl_attr_for_each_nested(x, a)
				++*(size_t *)data;
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	static char buf[32768];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	size_t count = 0;
	uint32_t seq = (uint32_t)time(NULL), portid;
	struct timespec t0, t1;
	int i;

	if (argc < 3 || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "usage: setdump ip|ip6 SET... (as root)\n");
		return 2;
	}
	portid = mnl_socket_get_portid(nl);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 2; i < argc; i++) {
		char req[512];
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
		struct nfgenmsg *g;
		int ret;

		nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++seq;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->nfgen_family = strcmp(argv[1], "ip6") ? NFPROTO_IPV4 : NFPROTO_IPV6;
		g->version = NFNETLINK_V0;
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, "rosfw");
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, argv[i]);
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
			return 3;
		do {
			ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

			if (n < 0)
				return 3;
			ret = mnl_cb_run(buf, (size_t)n, seq, portid, elems_cb, &count);
		} while (ret > MNL_CB_STOP);
		if (ret < 0) {
			perror(argv[i]);
			return 3;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%zu %.1f\n", count,
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	mnl_socket_close(nl);
	return 0;
}
