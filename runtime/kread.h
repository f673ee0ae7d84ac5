/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_KREAD_H
#define ROSFW_KREAD_H

/*
 * The one reader of rosfw's tables (KNAME_TABLE, each family): it builds
 * the get and dump requests and parses the kernel's answers into the
 * small structs below, one callback each. Rules are read chain by chain
 * and elements set by set, never table-wide: the kernel restarts a dump's
 * walk for every message (DESIGN.md). Pointers in a struct lead into the
 * kernel's message (`nlh`, for whoever copies or compares it whole) and
 * last as long as the callback. Every function returns 0, or -1 with
 * errno; a table, chain or set that is not there reads as empty, and so
 * do flowtables on a kernel without them.
 */

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlsock.h"

/** struct kread_table - @handle changes when the table is made anew. */
struct kread_table {
	const struct nlmsghdr *nlh;
	const void *udata;	/* NULL when it has none */
	size_t udata_len;
	uint64_t handle;
};

/* 1 when the family's table exists (fn, if not NULL, sees it), 0 when not. */
int kread_table(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_table *t), void *ctx);

/** struct kread_chain - @type NULL for a regular chain, else its hook's. */
struct kread_chain {
	const struct nlmsghdr *nlh;
	const char *name, *type;
	uint32_t hooknum;
	int32_t prio;
};

int kread_chains(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_chain *c), void *ctx);

/**
 * struct kread_rule - a rule of rosfw's.
 * @comment: its comment (kname_rule_comment), @comment_len bytes; NULL.
 * @counter: the counter object it counts into, @counter_len bytes; NULL.
 * @own_counter: it has a counter of its own (tables of an older rosfw),
 *               @packets and @bytes its figures.
 * @counter_map: the counter map it counts into (a merged run, merge.h),
 *               @counter_map_len bytes; NULL.
 */
struct kread_rule {
	const struct nlmsghdr *nlh;
	const char *comment, *counter, *counter_map;
	size_t comment_len, counter_len, counter_map_len;
	bool own_counter;
	uint64_t packets, bytes;
};

int kread_rules(struct nlsock *ns, int family, const char *chain, void (*fn)(void *ctx, const struct kread_rule *r),
		void *ctx);

/** struct kread_obj - @type NFT_OBJECT_*; a counter's figures. */
struct kread_obj {
	const struct nlmsghdr *nlh;
	const char *name;
	size_t name_len;
	uint32_t type;
	uint64_t packets, bytes;
};

/* The objects of `type`, every type for 0 (NFT_OBJECT_UNSPEC). */
int kread_objs(struct nlsock *ns, int family, uint32_t type, void (*fn)(void *ctx, const struct kread_obj *o),
	       void *ctx);
/* Zero counter object `name` where it is; ENOENT when it is gone. */
int kread_counter_reset(struct nlsock *ns, int family, const char *name);

struct kread_flowtable {
	const struct nlmsghdr *nlh;
	const char *name;
};

int kread_flowtables(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_flowtable *f),
		     void *ctx);

/** struct kread_set - @flags NFT_SET_*; @key_type as nft numbers types. */
struct kread_set {
	const struct nlmsghdr *nlh;
	const char *name;
	uint32_t flags, key_type, key_len;
};

int kread_sets(struct nlsock *ns, int family, void (*fn)(void *ctx, const struct kread_set *s), void *ctx);
/* One set by its name, not a dump: 1 when it exists (*s then holds its
 * flags and key, s->nlh and s->name NULL), 0 when not. */
int kread_set_get(struct nlsock *ns, int family, const char *name, struct kread_set *s);

/**
 * struct kread_elem - one element of a set's dump.
 * @nest:    the element whole.
 * @key:     its key's bytes, @key_len of them; NULL when it has no value.
 * @end:     it ends a range of an interval set (the first address after it).
 * @timeout_ms, @exp_ms: its timeout and the time it has left, where
 *           @has_timeout and @has_exp.
 * @comment: the comment in its user data, @comment_len bytes; NULL.
 * @obj:     the object an object map's element names, @obj_len bytes; NULL.
 * @configured: its user data marks it the configuration's own static entry
 *           (IR_ELEM_UDATA_CONFIGURED): not one that rules, `rosfw
 *           address-list add` or rosfwd put there, so neither a re-apply
 *           nor rosfwd carries it over.
 */
struct kread_elem {
	const struct nlattr *nest;
	const uint8_t *key;
	uint32_t key_len;
	bool end, has_timeout, has_exp, configured;
	uint64_t timeout_ms, exp_ms;
	const char *comment, *obj;
	size_t comment_len, obj_len;
};

int kread_elems(struct nlsock *ns, int family, const char *set, void (*fn)(void *ctx, const struct kread_elem *e),
		void *ctx);

/* Whether an element (a NFTA_LIST_ELEM nest, the kernel's or a
 * request's) carries the configured mark: kread_elem's @configured. */
bool kread_elem_configured(const struct nlattr *nest);

/**
 * struct kread_range - a range of an interval set, its two elements
 * paired (they come in no order one may count on).
 * @lo, @hi: its first and last address (the end element's less one, or
 *           the largest address when none follows: nft sends no end for
 *           a range that reaches it).
 * @start:   its start element, but for @nest and @key.
 */
struct kread_range {
	const uint8_t *lo, *hi;
	struct kread_elem start;
};

/* The ranges of interval set `set`, whose keys are `key_len` (at most 16)
 * bytes, in address order once the whole set is read. */
int kread_ranges(struct nlsock *ns, int family, const char *set, uint32_t key_len,
		 void (*fn)(void *ctx, const struct kread_range *r), void *ctx);

#endif
