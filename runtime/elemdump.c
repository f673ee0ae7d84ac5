/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "elemdump.h"

#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "xalloc.h"

static int iv_cmp(const void *a, const void *b)
{
	const struct iv_elem *x = a, *y = b;
	int c = memcmp(x->key, y->key, 16);

	/* An end before a start at the same address: adjacent ranges. */
	return c ? c : (int)y->end - (int)x->end;
}

struct iv_elem *iv_new(struct iv_elem **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

void iv_pair(struct iv_elem *v, size_t n, uint8_t len,
	     void (*fn)(void *ctx, const struct iv_elem *start, const uint8_t *hi), void *ctx)
{
	size_t i;
	int k;

	if (!n)
		return;
	qsort(v, n, sizeof(*v), iv_cmp);
	for (i = 0; i < n; i++) {
		uint8_t hi[16] = { 0 };

		if (v[i].end)
			continue;
		if (i + 1 < n && v[i + 1].end) {
			memcpy(hi, v[i + 1].key, len);
			for (k = (int)len - 1; k >= 0 && hi[k]-- == 0; k--)
				;
		} else {
			memset(hi, 0xff, len);
		}
		fn(ctx, &v[i], hi);
	}
}

const char *elem_comment(const uint8_t *u, size_t len, size_t *n)
{
	size_t i = 0;

	while (i + 2 <= len && i + 2u + u[i + 1] <= len) {
		if (u[i] == 0 && u[i + 1]) {
			*n = strnlen((const char *)u + i + 2, u[i + 1]);
			return (const char *)u + i + 2;
		}
		i += 2u + u[i + 1];
	}
	return NULL;
}

bool elem_configured(const uint8_t *u, size_t len)
{
	size_t i = 0;

	while (i + 2 <= len && i + 2u + u[i + 1] <= len) {
		if (u[i] == IR_ELEM_UDATA_CONFIGURED)
			return true;
		i += 2u + u[i + 1];
	}
	return false;
}
