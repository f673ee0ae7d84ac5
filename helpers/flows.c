/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connections being inspected, by conntrack id: open addressing
 * with linear probing over twice `max` slots, so a lookup stays short
 * however full; removal by backward shift, no tombstones. A hostile
 * peer opening connections fast fills it at most to `max`: memory is
 * bounded by that, and what does not fit is decided at once.
 */
#include <stdlib.h>
#include <string.h>

#include "flows.h"

struct flows {
	struct iflow **slot;
	size_t nslots, n, max;
};

struct flows *flows_new(size_t max)
{
	struct flows *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->max = max ? max : 1;
	t->nslots = 2 * t->max;
	t->slot = calloc(t->nslots, sizeof(*t->slot));
	if (!t->slot) {
		free(t);
		return NULL;
	}
	return t;
}

static size_t home(const struct flows *t, uint32_t id)
{
	return (size_t)((id * 2654435761u) % t->nslots);
}

static void slot_remove(struct flows *t, size_t i)
{
	size_t j = i, k;

	free(t->slot[i]);
	t->slot[i] = NULL;
	t->n--;
	/* Shift back the entries of the run after i that probing from
	 * their home would no longer reach. */
	for (;;) {
		j = (j + 1) % t->nslots;
		if (!t->slot[j])
			return;
		k = home(t, t->slot[j]->id);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->slot[i] = t->slot[j];
			t->slot[j] = NULL;
			i = j;
		}
	}
}

static bool expired(const struct iflow *f, uint64_t now)
{
	return now - f->seen > (f->done ? FLOWS_DONE_S : FLOWS_IDLE_S);
}

static void expire(struct flows *t, uint64_t now)
{
	size_t i = 0;

	while (i < t->nslots) {
		if (t->slot[i] && expired(t->slot[i], now))
			slot_remove(t, i);	/* may shift a later entry into i */
		else
			i++;
	}
}

struct iflow *flows_get(struct flows *t, uint32_t id, uint64_t now)
{
	size_t i = home(t, id);
	struct iflow *f;

	while (t->slot[i]) {
		if (t->slot[i]->id == id) {
			t->slot[i]->seen = now;
			return t->slot[i];
		}
		i = (i + 1) % t->nslots;
	}
	if (t->n >= t->max) {
		expire(t, now);
		if (t->n >= t->max)
			return NULL;
		for (i = home(t, id); t->slot[i]; i = (i + 1) % t->nslots)
			;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->id = id;
	f->seen = now;
	t->slot[i] = f;
	t->n++;
	return f;
}

void flows_clear(struct flows *t)
{
	size_t i;

	for (i = 0; i < t->nslots; i++) {
		free(t->slot[i]);
		t->slot[i] = NULL;
	}
	t->n = 0;
}

size_t flows_count(const struct flows *t)
{
	return t->n;
}

void flows_free(struct flows *t)
{
	if (!t)
		return;
	flows_clear(t);
	free(t->slot);
	free(t);
}
