/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stddef.h>

#include "hostglob.h"

static bool same(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* The classic one-star backtrack: on a mismatch only the last `*` is
 * widened, which is enough for `*` (every earlier star's choice can be
 * kept) and bounds the work by |pat| * |host|. */
bool hostglob_match(const char *pat, const char *host)
{
	const char *star = NULL, *resume = NULL;

	while (*host) {
		if (*pat == '*') {
			star = ++pat;
			resume = host;
		} else if (*pat && (*pat == '?' || same(*pat, *host))) {
			pat++;
			host++;
		} else if (star) {
			pat = star;
			host = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}
