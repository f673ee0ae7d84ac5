/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CONFIRM_H
#define ROSFW_CONFIRM_H

/*
 * rosfw apply --confirm SECONDS: the current rosfw tables (snapshot.h) and
 * connection tracking settings are saved in /run/rosfw, one file per
 * network namespace and apply. A detached process (double fork, setsid,
 * no fd open but that file) sleeps SECONDS and then, if the file is still
 * there, replaces rosfw's tables with it in one transaction and writes the
 * settings back. `rosfw confirm` deletes the namespace's pending file:
 * that, and only that, is the confirmation (a marker, no signal), so it
 * works whatever became of the applying process or its terminal. `rosfw
 * rollback` restores it at once. A rollback whose process is gone is said
 * plainly, never run or dropped unasked (confirm.c says why).
 */

#include <stdbool.h>

struct diag;

/* May apply --confirm save and arm? Not while a rollback of this
 * namespace is pending, under way, or left by a process that is gone:
 * false after an error in `d` that says which and what to do. */
bool confirm_may_arm(struct diag *d);

/* May a plain apply or flush (`cmd`) go on? Not while a rollback of this
 * namespace waits for its deadline or is under way: it would put its
 * tables back over what they send, undoing it without a word. False after
 * an error in `d` that names `rosfw confirm` and `rosfw rollback`. A
 * rollback whose process is gone undoes nothing: confirm_tell warns. */
bool confirm_may_apply(struct diag *d, const char *cmd);

/* After an apply or flush: a warning in `d` for each rollback of this
 * namespace that will undo it, or that nobody will run. */
void confirm_tell(struct diag *d);

/* Save the current tables, the rollback due in `seconds`; 0, or -1 with
 * errno. */
int confirm_save(unsigned seconds);

/* Start the detached process that rolls back after `seconds`; 0 or -1. */
int confirm_arm(unsigned seconds);

/* Forget the saved tables (the apply failed: nothing to roll back). */
void confirm_drop(void);

int cmd_confirm(int argc, char **argv);
int cmd_rollback(int argc, char **argv);

#endif
