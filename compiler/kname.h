/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_KNAME_H
#define ROSFW_KNAME_H

/*
 * rosfw's names in the kernel, made here and only here: lowering makes
 * them, the runtime finds its sets, chains and counters by them. A
 * RouterOS name becomes a prefix and the name with [A-Za-z0-9_-] kept
 * and every other byte written .HH, so distinct names stay distinct and
 * nothing can break out of the identifier. The kernel keeps 255 bytes of
 * a set's or chain's name (NFT_NAME_MAXLEN, 256 with the NUL): a name
 * that does not fit is an error at check, never cut.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `table ip rosfw`, `table ip6 rosfw`: the only tables rosfw touches. */
#define KNAME_TABLE "rosfw"
#define KNAME_MAX 256

/* The sets a list becomes (lower.c, lower_list_sets says who fills which). */
enum kname_set {
	KNAME_LIST,	/* al_X: the configuration's entries */
	KNAME_LIST_DYN,	/* ad_X: what rules add beside an interval al_X */
	KNAME_LIST_RT,	/* ar_X: rosfw address-list add, timed prefixes */
	KNAME_IFLIST,	/* il_X: an interface list */
	KNAME_NONE,	/* not a set of rosfw's lists */
};

/* Bytes kname_ident writes for name[0..len) after `prefix`, without the NUL. */
size_t kname_ident_len(const char *prefix, const char *name, size_t len);
/* False, with `out` empty, when the identifier needs `size` bytes or more. */
bool kname_ident(char *out, size_t size, const char *prefix, const char *name);

const char *kname_set_prefix(enum kname_set k);
/* The set of kind `k` of list `list`; false as kname_ident. */
bool kname_set(char *out, size_t size, enum kname_set k, const char *list);
/* What a set's name says it is; KNAME_NONE for a name no list gives. */
enum kname_set kname_set_kind(const char *set);
/* An address list's set (al_, ad_, ar_). */
bool kname_is_addrlist(const char *set);
/* The RouterOS list a set belongs to (the inverse of kname_set). */
void kname_set_list(char *out, size_t size, const char *set);

/* "F_": custom chain X of facility F is F_X, the built-in ones too
 * (filter_input); "" for an unknown facility. */
const char *kname_chain_prefix(const char *facility);
/* Whether a chain's kernel name is one of facility F's. */
bool kname_chain_of(const char *chain, const char *facility);

/* The counter object of a RouterOS rule of facility F: c_F_HASH, and
 * _N for the Nth rule (N > 1) with the same identity `h`. */
#define KNAME_COUNTER_MAX 48
void kname_counter(char out[KNAME_COUNTER_MAX], const char *facility, uint64_t h, unsigned n);
bool kname_counter_of(const char *name, size_t len, const char *facility);
/* The counter map of a merged run of rules (merge.h): cm_ and its first
 * rule's counter name without c_, so it is the same at every apply. */
void kname_counter_map(char out[KNAME_COUNTER_MAX], const char *counter);
/* What rule `counter` (kname_counter) keeps state in: `prefix` and the
 * counter's facility and hash ("dl" -> dl_filter_HASH). Named by what the
 * rule says, as its counter is, not by its number: a rule inserted above
 * leaves its rate buckets, connection counts and scan scores alone. */
void kname_rule_state(char *out, size_t size, const char *prefix, const char *counter);

/*
 * The comment of every kernel rule of a RouterOS rule: its comment as
 * lower_text makes it (nftables keeps 127 bytes); false, "", when it has
 * none. No rule number: a rule's number is its place, so an insertion
 * would rewrite every kernel rule under it. Its counter object
 * (kname_counter) is what ties a kernel rule to its RouterOS rule.
 */
#define KNAME_COMMENT_MAX 127
bool kname_rule_comment(char out[KNAME_COMMENT_MAX + 1], const char *comment, size_t len);

#endif
