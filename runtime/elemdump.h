/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_ELEMDUMP_H
#define ROSFW_ELEMDUMP_H

/*
 * What a dump of set elements gives back, read the same way by print,
 * apply's re-apply and rosfwd. An interval set dumps each range as two
 * elements, its start and its end (the first address after it, flagged),
 * in no order one may count on; a comment is a record in an element's
 * user data.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct iv_elem - one element of an interval set as a dump gives it.
 * @end:    the first address after a range, not the start of one.
 * @exp_ms: the time it has left, when @has_exp.
 * @comment: its comment, or NULL; owned by whoever read it.
 * @configured: the configuration wrote it (elem_configured).
 */
struct iv_elem {
	uint8_t key[16];
	bool end, has_exp, configured;
	uint64_t exp_ms;
	const char *comment;
};

/* A zeroed element appended to *v (n of cap used), for a dump's callback
 * to fill. */
struct iv_elem *iv_new(struct iv_elem **v, size_t *n, size_t *cap);

/* Sort v[0..n) and call fn for each range: its start element and its
 * last address (the end's address less one, or the largest address when
 * no end follows: nft sends no end for a range that reaches it). */
void iv_pair(struct iv_elem *v, size_t n, uint8_t len,
	     void (*fn)(void *ctx, const struct iv_elem *start, const uint8_t *hi), void *ctx);

/* The comment in an element's user data (type, length, value records;
 * NFTNL_UDATA_SET_ELEM_COMMENT is type 0): its bytes, *n of them without
 * the NUL nft writes, or NULL when it has none. */
const char *elem_comment(const uint8_t *udata, size_t len, size_t *n);

/* Whether an element's user data marks it the configuration's own
 * (IR_ELEM_UDATA_CONFIGURED): not an entry a rule, rosfw address-list add
 * or rosfwd put there, so neither a re-apply nor rosfwd carries it over. */
bool elem_configured(const uint8_t *udata, size_t len);

#endif
