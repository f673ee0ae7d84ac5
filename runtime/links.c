/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "links.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct link *k = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		k->bridge = !strcmp(mnl_attr_get_str(a), "bridge");
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct link *k = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		/* A name the kernel sends is NUL-terminated and at most 15
		 * bytes; anything else is not a name to compare with. */
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0 &&
		    strlen(mnl_attr_get_str(a)) < sizeof(k->name))
			strcpy(k->name, mnl_attr_get_str(a));
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			k->master = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) >= 0)
			mnl_attr_parse_nested(a, linkinfo_cb, k);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct links *l = data;
	const struct ifinfomsg *ifm;
	struct link k = { 0 };

	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_OK;
	ifm = mnl_nlmsg_get_payload(nlh);
	k.index = ifm->ifi_index;
	if (mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, &k) < 0 || !k.name[0])
		return MNL_CB_OK;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = k;
	return MNL_CB_OK;
}

int links_parse(struct links *l, const void *buf, size_t len, unsigned seq, unsigned portid)
{
	return mnl_cb_run(buf, len, seq, portid, link_cb, l);
}

int links_read(struct links *l)
{
	char *buf = xmalloc(MNL_SOCKET_BUFFER_SIZE);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned seq = (unsigned)time(NULL), portid;
	int rc = MNL_CB_OK, err = 0;
	ssize_t n;

	l->n = 0;
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = errno;
		goto out;
	}
	while (rc == MNL_CB_OK) {
		n = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			break;
		}
		rc = links_parse(l, buf, (size_t)n, seq, portid);
		if (rc == MNL_CB_ERROR)
			err = errno ? errno : EIO;
	}
out:
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return err;
}

void links_free(struct links *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct link *links_find(const struct links *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

const struct link *links_by_index(const struct links *l, int index)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].index == index)
			return &l->v[i];
	return NULL;
}

bool links_prefix(const struct links *l, const char *prefix, size_t n)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strncmp(l->v[i].name, prefix, n))
			return true;
	return false;
}
