/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_INCR_H
#define ROSFW_INCR_H

/*
 * A small change applied as a small transaction. Reading 50k rules back
 * from the kernel costs far more than the change, so apply keeps, beside
 * the apply record, what its last commit left in the kernel: per chain
 * the rules' fingerprints (emit_nl_scan) and kernel handles, the counter
 * objects, the fingerprint of everything else, the named sets element by
 * element (emit_nl_sets_scan, in a binary side file), and the ruleset's
 * generation after that commit, for the ip, ip6 and bridge tables. The next apply compares its whole batch
 * with that and sends only the difference, with the recorded generation
 * in the batch's begin message: if anything committed since (nft, another
 * apply, a rollback, rosfwd adding an entry), the kernel refuses the
 * batch whole (ERESTART) and apply takes the full path. A stale record
 * can never apply half a change, nor delete the wrong rule.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emit_nl.h"

struct diag;
struct ir;

/* rosfw's tables the record knows: ip, ip6 and bridge, by index. */
#define INCR_FAMILIES 3
/* NFPROTO_* of index f, and the IR's table there (NULL: none). */
int incr_proto(int f);
const struct ir_table *incr_table(const struct ir *ir, int f);

struct incr_rule {
	uint64_t fp, text, handle;
};

struct incr_chain {
	int family;		/* 0 ip, 1 ip6, 2 bridge */
	char *name;
	struct incr_rule *v;
	size_t n;
};

/**
 * struct incr_set - a named set as the last commit left it: its
 * definition's fingerprint and its elements' (emit_nl_setfp), in the side
 * file beside the record (incr_sets_path), read whole.
 */
struct incr_set {
	int family;
	const char *name;
	uint64_t def;
	uint32_t klen, stride;
	size_t n;
	const uint64_t *fp;
	const uint8_t *del;
};

/**
 * struct incr_rec - what the last commit left in rosfw's tables.
 * @boot, @netns: this boot and network namespace (the genid restarts).
 * @genid:    the ruleset's generation just after that commit.
 * @rest:     emit_nl_scan's fingerprint of all but rules, counters and sets.
 * @sets:     the named sets, element by element (the side file's, or
 *            for a record made, emit_nl_sets' arrays).
 * @counters: counter object names per family, sorted (strcmp).
 * @chains:   the rules of each chain that has any, in order.
 */
struct incr_rec {
	char boot[40];
	uint64_t netns;
	uint32_t genid;
	uint32_t written;	/* the generation it was written at (genid: later, incr_advance) */
	uint64_t rest[INCR_FAMILIES];
	struct incr_set *sets;
	size_t nsets;
	void *setbuf;
	char **counters[INCR_FAMILIES];
	size_t ncounters[INCR_FAMILIES];
	struct incr_chain *chains;
	size_t nchains;
};

/* Beside the apply record (record_path() with ".nl"); NULL: none. */
const char *incr_path(void);
/* The sets' side file (".nl.sets"): binary, written before the record,
 * which names it by a random token: a record and a side file of two
 * different applies never pair. */
const char *incr_sets_path(void);
/* 0, or -1: none, damaged, or another boot's or namespace's. */
int incr_read(struct incr_rec *r);
/* Whole or not at all; a failure is a warning (the next apply is full). */
void incr_write(const struct incr_rec *r, struct diag *d);
void incr_remove(void);
void incr_rec_free(struct incr_rec *r);

/* Whether rule `handle` of `chain` (family index) is there with the
 * comment whose fingerprint is `text` (one GETRULE): a handle the record
 * got wrong must not delete another rule. */
struct nlsock;
bool incr_rule_is(struct nlsock *s, int family, const char *chain, uint64_t handle, uint64_t text);

/* Whether every table the record has rules or counters in is there (one
 * GETTABLE each): the generation says nobody committed since, this says it
 * again for the worst case, tables flushed away, should the count ever be
 * wrong. */
bool incr_tables_there(const struct incr_rec *r);

/* The ruleset's generation now (NFT_MSG_GETGEN): 0, or -1 with errno. */
int incr_genid(uint32_t *genid);
/* The generation a commit started at `genid` ends at. */
uint32_t incr_genid_next(uint32_t genid);

/*
 * Entries rosfw itself adds or removes (rosfwd's DNS names and restores,
 * `rosfw address-list`) change no rule, chain or configured element the
 * record knows, yet each commit moves the generation on, and every
 * deployment with DNS names in its lists would then apply in full. Such a
 * commit is sent at the generation incr_genid_held returns (0: no record,
 * or the kernel moved on without it; *recorded: the record's own), so the
 * kernel refuses it should anyone commit in between; incr_advance then
 * says the record holds at generation `to`. A record left behind is only
 * stale: the next apply takes the full path.
 */
uint32_t incr_genid_held(uint32_t *recorded);
void incr_advance(uint32_t recorded, uint32_t to);

/* The record of `s` (a scan of `ir`'s whole batch, its named sets `sets`)
 * committed at generation `genid` (the one after), rule i having handle
 * handles[i]. */
void incr_rec_make(struct incr_rec *r, const struct ir *ir, const struct emit_nl_scan *s,
		   const struct emit_nl_sets *sets, const uint64_t *handles, uint32_t genid);

enum incr_kind { INCR_DEL, INCR_ADD, INCR_REPLACE };

/**
 * struct incr_op - one rule message of the small batch.
 * @handle: the rule deleted or replaced; for an add, the rule it goes
 *          after (0: first in its chain).
 * @text:   the recorded comment fingerprint of the rule at @handle.
 * @rule:   the scan's rule added or put in place.
 */
struct incr_op {
	enum incr_kind kind;
	int family;
	const char *chain;
	uint64_t handle, text;
	size_t rule;
};

/**
 * struct incr_plan - the difference, as the small batch says it.
 * @ops:      deletes, replaces and adds in batch order, chain by chain
 *            (a run of adds last first, each after the same kept rule).
 * @add, @del: counter objects to make (before the rules) and delete
 *            (after them), per family.
 * @handles:  per scan rule its handle where kept or replaced, 0 where
 *            added (the kernel's echo says it).
 * @kept:     counter objects kept.
 * @walk:     the rules the kernel walks to find the rules by handle.
 * @sets:     per named set whose elements changed: the units of the new
 *            set to add, the delete bytes of the old ones to delete
 *            (incr_sets_plan); @nelems their number in all.
 */
struct incr_plan {
	struct incr_op *ops;
	size_t nops;
	struct incr_setop {
		const struct emit_nl_setfp *set;
		const struct incr_set *old;
		size_t *add;
		const uint8_t **del;
		size_t nadd, ndel;
	} *sets;
	size_t nsets, nelems;
	const char **add[INCR_FAMILIES], **del[INCR_FAMILIES];
	size_t nadd[INCR_FAMILIES], ndel[INCR_FAMILIES];
	uint64_t *handles;
	size_t kept, walk;
};

/* False when only a full apply can say the change: anything but rules and
 * counters differs, a chain's changed middle is too long to pair, or the
 * kernel would walk too many rules finding them by handle (many rules
 * changed in a long chain). */
bool incr_plan_make(const struct incr_rec *r, const struct ir *ir, const struct emit_nl_scan *s,
		    struct incr_plan *p);
void incr_plan_free(struct incr_plan *p);

/* The named sets' part of the plan, after incr_plan_make: false when a set
 * came, went or has another definition, or an element with a timeout
 * would come or go (it lives out its time: the full path keeps it). */
bool incr_sets_plan(const struct incr_rec *r, const struct emit_nl_sets *s, struct incr_plan *p);

/* Before any batch is built: whether the rules of `ir` whose comments the
 * record does not have in their chain (new rules, or rules whose comment
 * changed; comments are not unique, so this counts fewer) are already too
 * many for a small transaction (as incr_plan_make counts). False: maybe
 * not. */
bool incr_too_many(const struct incr_rec *r, const struct ir *ir);

#endif
