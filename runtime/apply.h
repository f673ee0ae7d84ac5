/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_APPLY_H
#define ROSFW_APPLY_H

/*
 * rosfw apply FILE...: compile as `rosfw compile` does and send the result
 * to the kernel as one netlink transaction. rosfw flush: remove rosfw's
 * tables. Exit codes: exitcode.h (0 also for a --check the kernel takes).
 */

int cmd_apply(int argc, char **argv);
int cmd_flush(int argc, char **argv);

#endif
