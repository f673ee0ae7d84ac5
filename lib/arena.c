/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define ARENA_BLOCK (64 * 1024)

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
};

static struct block *block_new(size_t min)
{
	size_t size = min > ARENA_BLOCK ? min : ARENA_BLOCK;
	struct block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	a->head = block_new(0);
	return a;
}

void arena_free(struct arena *a)
{
	struct block *b, *n;

	if (!a)
		return;
	for (b = a->head; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct block *b = a->head;
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (need < size)
		xdie("arena: allocation size overflow");
	if (b->size - b->used < need) {
		b = block_new(need);
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += need;
	a->total += need;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void arena_reset(struct arena *a)
{
	struct block *b = a->head, *n;

	/* Keep the oldest block: it is the standard size and the one every
	 * statement of a flat script fits in. */
	while (b->next) {
		n = b->next;
		free(b);
		b = n;
	}
	a->head = b;
	b->used = 0;
	a->total = 0;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
