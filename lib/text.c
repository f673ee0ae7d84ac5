/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "text.h"

#include <string.h>

/* Names longer than this are never typos of one another worth reporting. */
#define TEXT_MAX 64

size_t text_distance(const char *a, size_t alen, const char *b, size_t blen, size_t cap)
{
	size_t row[3][TEXT_MAX + 1];
	size_t i, j, best;
	size_t *prev2, *prev, *cur;

	if (alen > TEXT_MAX || blen > TEXT_MAX)
		return cap + 1;
	if ((alen > blen ? alen - blen : blen - alen) > cap)
		return cap + 1;
	for (j = 0; j <= blen; j++)
		row[1][j] = j;
	prev2 = row[0];
	prev = row[1];
	cur = row[2];
	for (i = 1; i <= alen; i++) {
		size_t *t;

		cur[0] = i;
		best = cur[0];
		for (j = 1; j <= blen; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen] > cap ? cap + 1 : prev[blen];
}

size_t text_typo_cap(size_t len)
{
	return len / 3 > 2 ? len / 3 : 2;
}
