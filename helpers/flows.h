/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_FLOWS_H
#define ROSFW_FLOWS_H

#include <stddef.h>
#include <stdint.h>

#include "inspect.h"

/* How long a connection the helper has seen nothing of is kept (the
 * kernel's rule queues every packet until it is decided, so a live one
 * is seen far more often), and a decided one (for packets the queue
 * still held when its label was set). */
#define FLOWS_IDLE_S 120
#define FLOWS_DONE_S 10

struct flows;

/* A table of at most `max` connections (each sizeof(struct iflow)). */
struct flows *flows_new(size_t max);
void flows_free(struct flows *t);
/* Connection `id`'s state, made if new; NULL when the table is full of
 * live connections (the caller decides such a one "no match"). `now` in
 * seconds: entries idle past their time go first. */
struct iflow *flows_get(struct flows *t, uint32_t id, uint64_t now);
/* Forget everything (the matchers changed: the bits mean other things). */
void flows_clear(struct flows *t);
size_t flows_count(const struct flows *t);

#endif
