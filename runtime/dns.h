/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DNS_H
#define ROSFW_DNS_H

/*
 * DNS-name address-list entries (address=example.com), resolved by rosfwd
 * (resolve.h: /etc/hosts, then DNS) and kept in the list's static set:
 * what a name resolves to is added, what it no longer resolves to is
 * removed (unless the configuration or another name of the list has it).
 * A DNS answer is looked up again when its TTL runs out, an /etc/hosts one
 * every `refresh` seconds, both clamped to [floor, cap]. A failed lookup
 * (no such name, no address, no answer) keeps the last good answer, as a
 * name that briefly fails to resolve must not open or close the firewall;
 * it is logged and retried after `floor` seconds, doubling up to `cap`.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "dynstate.h"
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

/* The names' last answers into `s`, for the state file. */
void dns_save(const struct dns *d, struct dyn_state *s);
/* The answers a saved state holds for names `d` has, as their last
 * answers: the first lookup after a restart then takes away what a name
 * no longer answers, and a failed one keeps them (and puts them back,
 * should the set have been rebuilt). */
void dns_load(struct dns *d, const struct dyn_state *s);

#endif
