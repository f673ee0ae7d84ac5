/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_XALLOC_H
#define ROSFW_XALLOC_H

#include <stddef.h>

/* Allocation that cannot fail: running out of memory ends the program with a
 * message, so callers never carry half-built state. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void xdie(const char *msg);

/* Room for one more element in array p, n used of cap (doubling, from 16). */
#define XGROW(p, n, cap)                                                  \
	do {                                                              \
		if ((n) == (cap)) {                                       \
			(cap) = (cap) ? (cap) * 2 : 16;                   \
			(p) = xreallocarray((p), (cap), sizeof(*(p)));    \
		}                                                         \
	} while (0)

#endif
