/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DYNSTATE_H
#define ROSFW_DYNSTATE_H

/*
 * Dynamic address-list entries as rosfwd keeps them: read from the
 * kernel's dynamic sets (al_* and ad_* sets with timeouts or rules adding
 * to them) and saved in a state file. Times are absolute (Unix
 * milliseconds), so the file changes only when entries come, go or get a
 * new timeout, and an entry restored later gets what it had left.
 *
 * The file is text, one entry a line, closed by a line holding the count
 * and a checksum of everything before it: a truncated or altered file is
 * refused whole, never half trusted.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlsock.h"

/* Where rosfwd keeps the file and print looks for it. */
#define DYN_STATE_DEFAULT "/var/lib/rosfw/state"

/**
 * struct dyn_entry - one entry of a dynamic set.
 * @family:  NFPROTO_IPV4 or NFPROTO_IPV6; @len 4 or 16.
 * @set:     index into dyn_state.sets.
 * @expires: Unix ms when the entry times out; 0 for an entry without one.
 * @created: Unix ms when rosfwd first saw it (or the one restored had).
 */
struct dyn_entry {
	uint8_t family, len;
	uint32_t set;
	uint8_t key[16];
	int64_t expires, created;
};

struct dyn_state {
	char **sets;		/* kernel set names, each once */
	size_t nsets;
	struct dyn_entry *e;	/* sorted by dyn_entry_cmp once sealed */
	size_t n, cap;
	char boot_id[40];	/* the boot the entries were read in */
	int64_t saved;		/* Unix ms of the save, 0 for a kernel read */
};

void dyn_state_init(struct dyn_state *s);
void dyn_state_free(struct dyn_state *s);
size_t dyn_state_set(struct dyn_state *s, const char *name);
void dyn_state_add(struct dyn_state *s, const struct dyn_entry *e);
/* Sorted by family, set name, key; later duplicates dropped. */
void dyn_state_seal(struct dyn_state *s);
/* The entry of `s` equal in family, set name and key to `e` of `o`. */
const struct dyn_entry *dyn_state_find(const struct dyn_state *s, const struct dyn_state *o,
				       const struct dyn_entry *e);

/* The kernel's dynamic sets of both rosfw tables now, sealed: 0, or -1
 * with errno. `now` is the Unix ms the expiry times count from. */
int dyn_state_read_kernel(struct nlsock *ns, struct dyn_state *s, int64_t now);

/* Atomically (a temporary file beside it, fsync, rename): 0 or -1 with
 * errno. */
int dyn_state_save(const struct dyn_state *s, const char *path);
/* 0 loaded; 1 no file; -1 with errno for I/O; -2 corrupt or truncated,
 * `why` says how (and `s` is empty). */
int dyn_state_load(struct dyn_state *s, const char *path, char *why, size_t whysize);

/* This boot's id (/proc/sys/kernel/random/boot_id), "" when unknown. */
void dyn_boot_id(char *out, size_t size);
int64_t dyn_now_ms(void);

#endif
