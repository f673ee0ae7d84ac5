/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_LCS_H
#define ROSFW_LCS_H

/*
 * The longest common subsequence of two sequences, as an edit script:
 * what --diff shows of a changed rule (its expressions, line by line) and
 * how apply pairs a chain's old and new rules (runtime/incr.c).
 */

#include <stdbool.h>
#include <stddef.h>

/* eq(i, j, ctx): whether a[i] and b[j] are the same. */
typedef bool (*lcs_eq_fn)(size_t i, size_t j, const void *ctx);

/*
 * The script turning a[0..na) into b[0..nb), in order: '=' the two go on
 * together, '-' a[i] goes, '+' b[j] comes; *len its length. Equal heads
 * are always kept, and of two ways to go on, the one that removes first.
 * NULL when (na + 1) * (nb + 1) exceeds max_cells (the table's size).
 */
char *lcs_script(size_t na, size_t nb, lcs_eq_fn eq, const void *ctx, size_t max_cells, size_t *len);

#endif
