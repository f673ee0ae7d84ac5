/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_NLSOCK_H
#define ROSFW_NLSOCK_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A netfilter netlink socket for reading the kernel's tables: kread.h's
 * dumps and gets go through it. The receive buffer is 32 KB: a dump
 * restarts its walk for every message, and 32 KB messages make dumps 3-4x
 * faster than libmnl's 8 KB (DESIGN.md).
 */
#define NLSOCK_BUF (32u << 10)

struct nlsock {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char *buf;
};

/* false with errno set, and nothing to close. */
bool nlsock_open(struct nlsock *s);
void nlsock_close(struct nlsock *s);
/* Send `req`, run `cb` on every answer until the kernel is done: 0, or -1
 * with errno (ENOENT when the table or object does not exist). */
int nlsock_run(struct nlsock *s, const struct nlmsghdr *req, mnl_cb_t cb, void *data);

/*
 * May this process change the firewall of its network namespace? The
 * kernel answers a harmless request (the ruleset's generation) only with
 * CAP_NET_ADMIN there. 0, or -1 with errno (EPERM without it).
 */
int nlsock_admin_check(void);
/* The ruleset's generation (NFT_MSG_GETGEN) into *genid when not NULL:
 * 0, or -1 with errno. */
int nlsock_genid(uint32_t *genid);

#endif
