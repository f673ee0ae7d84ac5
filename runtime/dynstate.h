/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DYNSTATE_H
#define ROSFW_DYNSTATE_H

/*
 * Dynamic address-list entries as rosfwd keeps them: read from the
 * kernel's dynamic sets (al_* and ad_* hash sets with timeouts or rules
 * adding to them, and every ar_* run-time interval set) and saved in a
 * state file. Times are absolute (Unix
 * milliseconds), so the file changes only when entries come, go or get a
 * new timeout, and an entry restored later gets what it had left.
 *
 * The file is text, one entry a line ("e FAMILY SET ADDRESS[-LAST]
 * EXPIRES CREATED", EXPIRES -1 for a lasting entry, a range only in an
 * ar_ set; "n FAMILY SET ADDRESS NAME" for a DNS answer), closed by a line
 * holding the count of both and a checksum of everything before it: a
 * truncated or altered file is refused whole, never half trusted.
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
 * @set:     the set's name as dyn_set_id gives it.
 * @key, @hi: the first and last address (equal but for a run-time range).
 * @expires: Unix ms when the entry times out; 0 for an entry without one.
 * @lasting: static, kept across reboots: an untimed run-time entry, or a
 *           rule's none-static one (LOWER_STATIC_TIMEOUT_MS, not @expires).
 *           Other untimed entries (none-dynamic) end with the boot.
 * @created: Unix ms when rosfwd first saw it (or the one restored had).
 */
struct dyn_entry {
	uint8_t family, len;
	bool lasting;
	uint32_t set;
	uint8_t key[16], hi[16];
	int64_t expires, created;
};

/**
 * struct dyn_answer - an address a list's DNS name last answered, saved so
 * that a restarted rosfwd knows what to take away when the name's answer
 * has changed meanwhile (the kernel's set cannot tell it from the rest).
 */
struct dyn_answer {
	uint8_t family;
	uint32_t set;
	uint8_t addr[16];
	char *name;
};

/**
 * struct dyn_state - entries in the order read, and a hash index over them
 * (no sort: a poll costs a dump and a pass, nothing n log n).
 * @sets:   the kernel's dynamic sets (ids), entries or not, for a kernel
 *          read; the sets named in the file for a load.
 */
struct dyn_state {
	struct dyn_entry *e;
	size_t n, cap;
	uint32_t *idx;		/* open addressing: entry index + 1, 0 empty */
	size_t idxcap;
	uint32_t *sets;
	size_t nsets;
	struct dyn_answer *ans;
	size_t nans;
	char boot_id[40];	/* the boot the entries were read in */
	int64_t saved;		/* Unix ms of the save, 0 for a kernel read */
};

/* Set names interned for the process: equal names, equal ids. */
uint32_t dyn_set_id(const char *name);
const char *dyn_set_name(uint32_t id);

void dyn_state_init(struct dyn_state *s);
void dyn_state_free(struct dyn_state *s);
void dyn_state_add(struct dyn_state *s, const struct dyn_entry *e);
void dyn_state_add_answer(struct dyn_state *s, uint8_t family, uint32_t set, const uint8_t *addr, const char *name);
/* Whether a and b hold different DNS answers. */
bool dyn_answers_differ(const struct dyn_state *a, const struct dyn_state *b);
/* Index the entries; a later duplicate (family, set, key) is dropped. */
void dyn_state_seal(struct dyn_state *s);
/* The entry of sealed `s` equal to `e` in family, set and key. `hint`:
 * where it likely is; a hash set dumps in the same order poll after poll,
 * so the entry at the same place is tried before the index. */
const struct dyn_entry *dyn_state_find(const struct dyn_state *s, const struct dyn_entry *e, size_t hint);
bool dyn_state_has_set(const struct dyn_state *s, uint32_t set);
/* A copy of `src`, sealed. */
void dyn_state_copy(struct dyn_state *dst, const struct dyn_state *src);

/* The kernel's dynamic sets of both rosfw tables now, sealed: 0, or -1
 * with errno. `now` is the Unix ms the expiry times count from. */
int dyn_state_read_kernel(struct nlsock *ns, struct dyn_state *s, int64_t now);

/* Atomically, through safefile (an exclusive temporary file beside it,
 * fsync, rename): 0 or -1 with errno. */
int dyn_state_save(const struct dyn_state *s, const char *path);
/* 0 loaded; 1 no file; -1 with errno for I/O; -2 corrupt or truncated,
 * `why` says how (and `s` is empty). */
int dyn_state_load(struct dyn_state *s, const char *path, char *why, size_t whysize);

/* This boot's id (/proc/sys/kernel/random/boot_id), "" when unknown. */
void dyn_boot_id(char *out, size_t size);
int64_t dyn_now_ms(void);

#endif
