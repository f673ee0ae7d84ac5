/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define ARENA_BLOCK (64 * 1024)
/* Blocks double up to this size: a million-entry model takes a few dozen
 * allocations, not thousands. (Transparent huge pages were tried: with
 * this kernel's defrag policy they cost more system time than they saved.) */
#define ARENA_BLOCK_MAX ((size_t)8 << 20)

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
	size_t next_size;
};

static struct block *block_new(size_t min, size_t want)
{
	size_t size = min > want ? min : want;
	struct block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

static void block_free(struct block *b)
{
	free(b);
}

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	a->head = block_new(0, ARENA_BLOCK);
	a->next_size = ARENA_BLOCK * 2;
	return a;
}

void arena_free(struct arena *a)
{
	struct block *b, *n;

	if (!a)
		return;
	for (b = a->head; b; b = n) {
		n = b->next;
		block_free(b);
	}
	free(a);
}

/* Uninitialised: for bytes the caller writes in full. Structures get 8-byte
 * alignment (nothing the program keeps needs more) and strings none: a
 * million-entry model is mostly small items and short strings, and 16-byte
 * rounding cost it 13 bytes an entry. */
static inline void *arena_alloc_raw(struct arena *a, size_t size, size_t align)
{
	struct block *b = a->head;
	size_t at = (b->used + align - 1) & ~(align - 1);
	void *p;

	if (size > SIZE_MAX - 16)
		xdie("arena: allocation size overflow");
	if (at > b->size || b->size - at < size) {
		b = block_new(size, a->next_size);
		if (a->next_size < ARENA_BLOCK_MAX)
			a->next_size *= 2;
		b->next = a->head;
		a->head = b;
		at = 0;
	}
	p = b->data + at;
	b->used = at + size;
	a->total += size;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	return memset(arena_alloc_raw(a, size, 8), 0, size);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc_raw(a, len + 1, 1);

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
		block_free(b);
		b = n;
	}
	a->head = b;
	b->used = 0;
	a->total = 0;
	a->next_size = ARENA_BLOCK * 2;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
