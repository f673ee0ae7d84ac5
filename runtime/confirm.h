/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CONFIRM_H
#define ROSFW_CONFIRM_H

/*
 * rosfw apply --confirm SECONDS: the current rosfw tables are saved as the
 * netlink requests that recreate them (counters, dynamic entries with
 * their time left, the flowtable), after a header with the connection
 * tracking settings as they are, in /run/rosfw/rollback.NETNS.PID, where NETNS is the
 * network namespace's inode number (namespaces do not share a rollback)
 * and PID the applying process's (a rollback takes only its own file). A
 * detached process (double fork, setsid, no open fds) sleeps SECONDS and
 * then, if the file is still there, replaces rosfw's tables with it in one
 * transaction and writes the settings back. `rosfw confirm` deletes the namespace's pending file: that,
 * and only that, is the confirmation (a marker, no signal), so it works
 * whatever became of the applying process or its terminal.
 */

#include <stdbool.h>

/* A rollback is armed and not confirmed yet (in this network namespace). */
bool confirm_pending(void);

/* Save the current tables; 0, or -1 with errno. */
int confirm_save(void);

/* Start the detached process that rolls back after `seconds`; 0 or -1. */
int confirm_arm(unsigned seconds);

/* Forget the saved tables (the apply failed: nothing to roll back). */
void confirm_drop(void);

int cmd_confirm(int argc, char **argv);

#endif
