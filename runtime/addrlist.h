/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_ADDRLIST_H
#define ROSFW_ADDRLIST_H

#include <stdbool.h>
#include <stdint.h>

/*
 * rosfw address-list add|remove list=X address=Y [timeout=T] [comment=C]:
 * one entry into or out of the kernel set the compiler's layout gives it
 * (ar_X, the list's small run-time set, for every add), as one netlink
 * batch holding only that entry. The set is never read back, so the cost
 * does not grow with the list (nft add element reads a whole interval set
 * first). Exit codes (exitcode.h): EXIT_CONFIG when the entry does not fit
 * the list as applied (no such list; in tables applied before ar_X
 * existed, also a prefix for a list of single addresses or a timeout for
 * a list without timed entries); EXIT_REFUSED when the kernel refused
 * (already there or overlapping, not there to remove).
 */
int cmd_address_list(int argc, char **argv);

/**
 * struct addrlist_entry - one entry to add or remove.
 * @list:       the RouterOS list name.
 * @lo, @hi:    first and last address (network order); @len 4 or 16.
 * @timeout_ms: 0 for none.
 * @comment:    NULL for none.
 */
struct addrlist_entry {
	const char *list;
	uint8_t lo[16], hi[16];
	uint8_t len;
	uint64_t timeout_ms;
	const char *comment;
};

/* Add (or remove) `e` as rosfw address-list does; the exit code above,
 * after saying on stderr what went wrong. rosfwd re-adds saved entries
 * through it; with `quiet_exists` an entry already there is success. */
int addrlist_change(const struct addrlist_entry *e, bool add, bool quiet_exists);

#endif
