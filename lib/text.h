/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_TEXT_H
#define ROSFW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), capped: returns cap + 1 as soon as it must exceed cap. */
size_t text_distance(const char *a, size_t alen, const char *b, size_t blen, size_t cap);

/* The largest distance at which `len`-byte names still count as a typo of
 * one another: used for every "did you mean". */
size_t text_typo_cap(size_t len);

/* Inline so that comparing with a literal costs a length test and a
 * memcmp: the model does it for every property of every command. */
static inline bool text_eq(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && !memcmp(a, b, alen);
}

#endif
