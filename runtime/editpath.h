/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EDITPATH_H
#define ROSFW_EDITPATH_H

/*
 * The edit path: an edit of a few plain rule lines of a large flat file,
 * applied without reading the rest of it. From the edit record
 * (editrec.h) of the last apply of the same FILE and the record of
 * handles (incr.h): the region the edit changed (stmtidx.h), compiled
 * with the real compiler in a reduced script (the file's menu lines and
 * every statement outside the IP rule menus, the changed statements, and
 * the rules around them in their chains, each at its own line), rule
 * numbers put right; then a transaction that deletes the old statements'
 * kernel rules by handle and adds the new ones after the rule before them,
 * at the recorded generation; then the three records spliced.
 *
 * It is taken only when it can be sure: whatever it cannot check (a
 * property beyond the plain ones, a chain made or emptied, a counter name
 * shared, a merged run, a diagnostic, a rule of the old region or around
 * it that the reduced compile does not make exactly as the record says)
 * sends the apply down the full path, which stays the reference.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct emit_nl;
struct ir;
struct lower_opts;

struct editpath;

/**
 * struct editpath_in - what apply gives the edit path.
 * @file, @buf, @len: FILE and its bytes (a source of @d).
 * @opts:  editrec_opts of this apply.
 * @merge: merged runs are on (a change that would make one: full path).
 * @lower: the lowering options (the interface map).
 */
struct editpath_in {
	const char *file;
	const char *buf;
	size_t len;
	uint64_t opts;
	bool merge;
	const struct lower_opts *lower;
};

/*
 * The plan, or NULL with `why` (for ROSFW_TIMING) for the full path.
 * Nothing is sent. The reduced compiles have diagnostics of their own: any
 * at all means the full path, which says them.
 */
struct editpath *editpath_plan(const struct editpath_in *in, const char **why);
/* The reduced compile's IR of the new statements (the interface check). */
const struct ir *editpath_ir(const struct editpath *e);
/* The recorded generation the batch must go at. */
uint32_t editpath_genid(const struct editpath *e);
/* Whether the rules it deletes and adds after are where the record says
 * (GETRULE, as incr_ops_there). */
bool editpath_there(const struct editpath *e);
/* The batch: counters added, rules deleted and added, counters deleted.
 * New rule i's NEWRULE is sequence number editpath_seq(e, i) (its echo
 * says its handle). */
struct emit_nl *editpath_batch(struct editpath *e, uint32_t seq);
size_t editpath_nadded(const struct editpath *e);
uint32_t editpath_seq(const struct editpath *e, size_t i);
/* Rules kept, deleted, added (for --json and timing). */
void editpath_counts(const struct editpath *e, size_t *kept, size_t *deleted, size_t *added);
/*
 * After the commit (or, not `committed`, when the kernel needed none: only
 * disabled rules or blank lines changed): new rule i got handle
 * handles[i] (0: unknown). The
 * record of handles, the edit record and the apply record spliced and
 * written; any that cannot be is removed (the next apply is full). 0, or
 * -1 when the apply record could not be kept (print needs FILE: said in d).
 */
int editpath_record(struct editpath *e, const uint64_t *handles, bool committed, struct diag *d);
/* Counter objects it adds or deletes. */
size_t editpath_objects(const struct editpath *e);
void editpath_free(struct editpath *e);

#endif
