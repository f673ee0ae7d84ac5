/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_ADDRLIST_IMPL_H
#define ROSFW_ADDRLIST_IMPL_H

/* What rosfw address-list and rosfwd share below the command. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addrlist.h"
#include "nlsock.h"

/**
 * struct addrlist_set - a list's kernel set as GETSET describes it.
 * @exists: false when the kernel has no such set (the other fields 0).
 * @flags:  NFT_SET_* (interval, timeout, eval).
 */
struct addrlist_set {
	bool exists;
	char name[256];
	uint32_t flags, key_len;
};

/* Set `name` of table rosfw in `family`: 0 (si->exists false when it is
 * not there), or -1 with errno. */
int addrlist_set_lookup(struct nlsock *ns, int family, const char *name, struct addrlist_set *si);

/*
 * e[0..n) into (add) or out of set `set`, ELEMS_PER_MSG entries per batch
 * of one message: 0, the kernel's errno for the first refused batch
 * (*failed_at its first entry), or -1 with errno when the socket failed.
 * `excl`: an entry already there is refused (EEXIST), as RouterOS refuses
 * a second equal entry; without it the one there stays as it is.
 * `split`: a range up to the last address as two entries, the way an
 * add sends it so the kernel sees overlaps (addrlist.c); apply sends it
 * whole. Sent at the apply record's generation where that keeps the
 * record good (incr_advance).
 */
int addrlist_send(struct nlsock *ns, int family, const char *set, bool interval, const struct addrlist_entry *e,
		  size_t n, bool add, bool excl, bool split, size_t *failed_at);

/* An entry as RouterOS writes it: address, prefix or range. */
#define ADDRLIST_TEXT_MAX 96
void addrlist_format(char *out, size_t size, const struct addrlist_entry *e);

/* `in` for a message: control bytes, '"' and '\\' as \xNN. */
void addrlist_safe(char *out, size_t size, const char *in);

#endif
