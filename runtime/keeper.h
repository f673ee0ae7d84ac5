/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_KEEPER_H
#define ROSFW_KEEPER_H

/*
 * What rosfwd keeps: the dynamic address-list entries of rosfw's tables in
 * the state file, the answers of the configuration's DNS names in their
 * sets, and the configuration itself (re-applied on SIGHUP). Every call
 * may take long (a dump of a million entries takes minutes, a DNS lookup
 * seconds), so rosfwd runs them on a thread of their own; a keeper is used
 * by one thread at a time.
 */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "dns.h"
#include "model.h"

/* A configuration as loaded, shared by the keeper's DNS names and the
 * /metrics server, freed with its last reference. */
struct rosfwd_cfg;
const struct model *rosfwd_cfg_model(const struct rosfwd_cfg *c);
/* The same, lowered (record.h): what /metrics names the rules by. */
struct applied;
const struct applied *rosfwd_cfg_applied(const struct rosfwd_cfg *c);
struct rosfwd_cfg *rosfwd_cfg_get(struct rosfwd_cfg *c);
void rosfwd_cfg_put(struct rosfwd_cfg *c);

struct keeper_opts {
	const char *state;
	char **files;
	int nfiles;
	bool verbose;
	const char *unsupported;	/* apply's --unsupported=, NULL: its default */
	bool reapply_on_loss;		/* tables gone: apply CONFIG again */
	struct dns_opts dns;
	char **apply_args;	/* options SIGHUP's apply takes before the files (--interface...) */
	int napply_args;
	struct config_ifopts ifo;	/* the same, checked with the configuration */
};

struct keeper;

/* The capability checked, the state file locked (one daemon a file),
 * trusted and read, the configuration loaded; nothing else yet. NULL after
 * saying why on stderr: no CAP_NET_ADMIN, a state file that cannot be
 * trusted or read (starting would overwrite it) or that another rosfwd
 * keeps, a configuration that does not load. */
struct keeper *keeper_new(const struct keeper_opts *o);
void keeper_free(struct keeper *k);

/* Put back what the kernel lost, resolve every name, read and save: 0
 * done, 1 the read or the save failed (said why). */
int keeper_start(struct keeper *k);
/* Read the dynamic sets and save when they changed; how long it took in
 * *ms. A table made anew since (flush, apply) gets the saved entries it
 * lacks back; while one is gone, nothing is saved, and that it is gone is
 * a warning (the firewall is not in force), after which, with
 * reapply_on_loss, CONFIG is applied again. -1 when the kernel could not
 * be read (said once until it can). */
int keeper_poll(struct keeper *k, int64_t *ms);
/* Look up the names that are due; the ms until the next is. */
int64_t keeper_dns(struct keeper *k, bool all);
/* SIGHUP: apply the configuration again, load it, look every name up. */
void keeper_reload(struct keeper *k);
/* SIGTERM: a last read, unless one ended since the stop was `asked`
 * (monotonic ms) or reads take longer than `read_max_ms`; and a save. 0, or
 * EXIT_IO when nothing could be saved (said why). */
int keeper_stop(struct keeper *k, int64_t read_max_ms, int64_t asked);

/* The configuration the keeper holds now (a new reference; NULL when no
 * version of it loaded without errors). */
struct rosfwd_cfg *keeper_cfg(struct keeper *k);

#endif
