/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nlsock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libnftnl/common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

bool nlsock_open(struct nlsock *s)
{
	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		if (s->nl)
			mnl_socket_close(s->nl);
		s->nl = NULL;
		errno = e;
		return false;
	}
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = (uint32_t)time(NULL);
	s->buf = xmalloc(NLSOCK_BUF);
	return true;
}

void nlsock_close(struct nlsock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

int nlsock_run(struct nlsock *s, const struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	int ret;

	if (mnl_socket_sendto(s->nl, req, req->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t n = mnl_socket_recvfrom(s->nl, s->buf, NLSOCK_BUF);

		if (n < 0)
			return -1;
		ret = mnl_cb_run(s->buf, (size_t)n, req->nlmsg_seq, s->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

static int genid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == NFTA_GEN_ID && mnl_attr_get_payload_len(a) == 4)
			*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

int nlsock_genid(uint32_t *genid)
{
	struct nlsock s;
	char req[64];
	struct nlmsghdr *nlh;
	uint32_t g = 0;
	int ret, err;

	if (!nlsock_open(&s))
		return -1;
	nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK, ++s.seq);
	ret = nlsock_run(&s, nlh, genid_cb, &g);
	err = errno;
	nlsock_close(&s);
	errno = err;
	if (genid)
		*genid = g;
	return ret < 0 ? -1 : 0;
}

int nlsock_admin_check(void)
{
	return nlsock_genid(NULL);
}
