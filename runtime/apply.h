/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_APPLY_H
#define ROSFW_APPLY_H

/*
 * rosfw apply FILE...: compile as `rosfw compile` does and send the result
 * to the kernel as one netlink transaction. rosfw flush: remove rosfw's
 * tables. Exit codes: 0 applied (or flushed, or checked with --check), 1
 * errors in the configuration (nothing sent), 2 the kernel refused
 * (nothing changed), 3 usage or I/O, including a missing CAP_NET_ADMIN.
 */

int cmd_apply(int argc, char **argv);
int cmd_flush(int argc, char **argv);

#endif
