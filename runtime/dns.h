/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DNS_H
#define ROSFW_DNS_H

/*
 * DNS-name address-list entries (address=example.com), resolved by rosfwd
 * with getaddrinfo and kept in the list's static set: what a name resolves
 * to is added, what it no longer resolves to is removed (unless the
 * configuration or another name of the list has it). getaddrinfo gives no
 * TTL, so names are refreshed every `refresh` seconds, clamped to
 * [floor, cap]; a failed lookup keeps the last good answer, is logged,
 * and is retried after `floor` seconds, doubling up to `cap`.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "nlsock.h"

struct dns_opts {
	unsigned refresh, floor, cap;	/* seconds */
};

struct dns;

/* The names of `m`'s enabled address-list entries; NULL when none. */
struct dns *dns_new(const struct model *m);
void dns_free(struct dns *d);
/* Resolve the names that are due (all with `all`) and bring the sets in
 * line; `now` in monotonic ms. The ms until the next name is due (at
 * most a day; `d` NULL: no names). */
int64_t dns_refresh(struct dns *d, struct nlsock *ns, const struct dns_opts *o, int64_t now, bool all);

/* After a reload: names both configurations have keep their answers in
 * `to`; the answers of names only `from` had leave the sets. */
void dns_handover(struct dns *to, struct dns *from, struct nlsock *ns);
/* An address a name answered, in that list's set (dyn_set_id): rosfwd
 * looks it up again on start rather than saving it. */
bool dns_owns(const struct dns *d, uint8_t family, uint32_t set_id, const uint8_t *key);

#endif
