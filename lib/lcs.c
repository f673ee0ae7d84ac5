/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The edit script of a longest common subsequence (lcs.h): the classic
 * table of the longest common suffixes, then one walk from the heads. */
#include "lcs.h"

#include <stdlib.h>

#include "xalloc.h"

char *lcs_script(size_t na, size_t nb, lcs_eq_fn eq, const void *ctx, size_t max_cells, size_t *len)
{
	size_t i, j, w = nb + 1, n = 0;
	unsigned *t;
	char *s;

	if (nb && na + 1 > max_cells / w)
		return NULL;
	t = xcalloc((na + 1) * w, sizeof(*t));
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			t[i * w + j] = eq(i, j, ctx) ? t[(i + 1) * w + j + 1] + 1
				: t[(i + 1) * w + j] > t[i * w + j + 1] ? t[(i + 1) * w + j] : t[i * w + j + 1];
	s = xmalloc(na + nb + 1);
	for (i = 0, j = 0; i < na || j < nb;) {
		if (i < na && j < nb && eq(i, j, ctx)) {
			s[n++] = '=';
			i++;
			j++;
		} else if (j == nb || (i < na && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			s[n++] = '-';
			i++;
		} else {
			s[n++] = '+';
			j++;
		}
	}
	s[n] = 0;
	free(t);
	*len = n;
	return s;
}
