/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CHANGES_H
#define ROSFW_CHANGES_H

/*
 * What apply --diff found, one record per chain, set, object, RouterOS rule
 * or setting, printed as text or JSON. The records are sorted when
 * printed: objects by kind and name, rules by family, facility and
 * RouterOS number, settings last.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum change_op { CH_ADD, CH_REMOVE, CH_CHANGE, CH_MOVE };

/**
 * struct change - one thing --diff would change.
 * @op, @kind: what happens to what ("chain", "set", "ct helper",
 *	"flowtable", "rule", "sysctl", "numbers").
 * @family: "ip" or "ip6" (NULL for a setting).
 * @name: the chain of a rule, else the thing's name.
 * @comment: a rule's comment (without its number), or NULL.
 * @num, @was: a rule's RouterOS number now and before (-1: none).
 * @note: what changed besides: "definition", a comment's old text, a
 *	setting's old and new value.
 * @removed, @added: what went and came inside it: a set's elements, a
 *	rule's nftables expressions.
 * @file, @line: where a rule added, changed or moved is in the
 *	configuration (NULL: not known, as for a removed one).
 */
struct change {
	enum change_op op;
	const char *kind;
	const char *family;
	char *name, *comment, *note, *file;
	unsigned line;
	long num, was;
	char **removed, **added;
	size_t nremoved, nadded;
};

struct changes {
	struct change *v;
	size_t n, cap;
};

/* A new record (zeroed, numbers -1) of `kind`, `family` (static strings);
 * `name` copied. */
struct change *changes_add(struct changes *c, enum change_op op, const char *kind, const char *family,
			   const char *name);
void change_removed(struct change *ch, const char *s);
void change_added(struct change *ch, const char *s);
void changes_free(struct changes *c);

/* Sorted as above, then "+ added, - removed, ~ changed, > moved" lines
 * with what changed inside each indented under it. */
void changes_print(struct changes *c, FILE *out);
/* The same as a JSON array. */
void changes_json(struct changes *c, FILE *out);

/* A set's elements as --diff reads them (diff.c's element text) shown as
 * nft shows them: addresses, prefixes, ranges, ports, interface names.
 * `interval`: start and end elements are paired into ranges. A new
 * sorted array of *n strings. */
char **changes_elements(char *const *els, size_t nels, unsigned key_type, bool interval, size_t *n);

#endif
