/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_INSPECTCONF_H
#define ROSFW_INSPECTCONF_H

#include <stdbool.h>

#include "diag.h"
#include "ir.h"
#include "lower.h"

/* The queue lowering sends to (compiler/lower_inspect.c). */
#define INSPECT_QUEUE_NUM 19

/* The IR's matchers in helpers/inspect.h's format, one `BIT KIND HEX` a
 * line, into inspect_conf_path(), replacing the file at once (the helper
 * rereads it); none: the file goes. 0, or -1 with a warning. */
int inspect_conf_write(const struct ir *ir, struct diag *d);

/* The matchers of the file apply wrote last, into o->inspect_prev (none
 * without a file it can read), so re-applied values keep their label
 * bits; inspect_prev_free releases them. */
void inspect_prev_read(struct lower_opts *o);
void inspect_prev_free(struct lower_opts *o);

/*
 * Apply's warning when the IR queues to the helper and no process of this
 * network namespace listens on its queue (/proc/net/netfilter/
 * nfnetlink_queue): what the inspecting rules then do to traffic.
 */
void inspect_helper_check(const struct ir *ir, struct diag *d);

#endif
