/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

_Noreturn void xdie(const char *msg)
{
	fprintf(stderr, "rosfw: fatal: %s\n", msg);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xdie("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xdie("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		xdie("out of memory");
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		xdie("allocation size overflow");
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static size_t big_round(size_t n)
{
	return (n + XBIG_MIN - 1) & ~(XBIG_MIN - 1);
}

void *xalloc_big(size_t n)
{
	size_t len = big_round(n);
	/* Over-map by 2 MB and trim, so the region starts on a huge page. */
	char *p = mmap(NULL, len + XBIG_MIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		xdie("out of memory");
	a = (char *)(((uintptr_t)p + XBIG_MIN - 1) & ~(uintptr_t)(XBIG_MIN - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + len, (size_t)(p + XBIG_MIN - a));
#ifdef MADV_HUGEPAGE
	madvise(a, len, MADV_HUGEPAGE);
#endif
	return a;
}

void *xrealloc_big(void *p, size_t old, size_t n)
{
	void *q;

	if (p && big_round(old) >= n)
		return p;
	q = xalloc_big(n);
	if (p) {
		memcpy(q, p, old < n ? old : n);
		xfree_big(p, old);
	}
	return q;
}

void xfree_big(void *p, size_t n)
{
	if (p)
		munmap(p, big_round(n));
}
