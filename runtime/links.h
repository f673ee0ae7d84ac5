/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_LINKS_H
#define ROSFW_LINKS_H

/*
 * The network interfaces of this namespace, as rtnetlink lists them
 * (RTM_GETLINK): what `apply` and `check --here` hold the configuration's
 * interface names against. Reading them needs no capability.
 */

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

/**
 * struct link - one interface.
 * @master: the ifindex of the bridge (or bond) it is a port of, 0: none.
 * @bridge: it is a bridge (IFLA_INFO_KIND "bridge").
 */
struct link {
	char name[IF_NAMESIZE];
	int index, master;
	bool bridge;
};

struct links {
	struct link *v;
	size_t n, cap;
};

/* Every link of this namespace into `l` (emptied first): 0, or an errno. */
int links_read(struct links *l);

/* The links of one buffer of RTM_NEWLINK answers into `l` (appended): libmnl's
 * MNL_CB_OK (more to come), MNL_CB_STOP (NLMSG_DONE) or MNL_CB_ERROR.
 * seq and portid 0 check neither. */
int links_parse(struct links *l, const void *buf, size_t len, unsigned seq, unsigned portid);

void links_free(struct links *l);

/* The link named `name`, or NULL. */
const struct link *links_find(const struct links *l, const char *name);
const struct link *links_by_index(const struct links *l, int index);

/* Some link's name starts with these n bytes (an nft wildcard "ppp*"). */
bool links_prefix(const struct links *l, const char *prefix, size_t n);

#endif
