/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_STMTIDX_H
#define ROSFW_STMTIDX_H

/*
 * The top-level statements of a flat .rsc file, found without the parser:
 * what the edit path (README: A small change) needs to tell that an edit
 * of a 50k-rule file touched only a few plain `add` lines of one IP rule
 * menu, without reading the other 50k. It is deliberately narrower than
 * the grammar: whatever it is not sure of (scripting, `;`, groups, `$`,
 * an escape outside quotes, a one-line `/menu add`, a relative menu path)
 * makes the file not flat or the statement STMT_OTHER, and the edit path
 * then leaves the file to the full path, which reads it with the parser.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum stmt_kind {
	STMT_BLANK,	/* empty or a # comment: makes nothing */
	STMT_MENU,	/* an absolute menu path alone (`/ip firewall filter`) */
	STMT_ADD,	/* `add name=value...` in an IP rule menu, no place-before or copy-from */
	STMT_OTHER,	/* anything else: set, remove, an add elsewhere, ... */
};

/* The menu a statement runs in. The eight IP rule menus, whose rules are
 * numbered per menu (print's #N, the kernel comment's). */
enum stmt_menu {
	MENU_UNKNOWN,	/* before any menu line, or after a path this reader does not follow */
	MENU_IP_FILTER, MENU_IP_NAT, MENU_IP_MANGLE, MENU_IP_RAW,
	MENU_IP6_FILTER, MENU_IP6_NAT, MENU_IP6_MANGLE, MENU_IP6_RAW,
	MENU_ELSEWHERE,	/* a known absolute path that is no rule menu */
};

#define STMT_NMENUS 10

/**
 * struct stmt - one top-level statement.
 * @start, @len: its bytes, its line end included: the statements of a
 *               file tile it.
 * @line:  its first line (1-based).
 * @kind, @menu: enum stmt_kind, enum stmt_menu (for STMT_MENU the one it
 *               selects).
 * @rule, @nrules: its kernel rules, in the order of the record of handles
 *               (applied.rsc.nl, chain by chain), when known.
 */
struct stmt {
	uint32_t start, len, line;
	uint8_t kind, menu, pad[2];
	uint32_t rule, nrules;
};

/**
 * struct stmt_index - a file's statements.
 * @flat:     no scripting nor anything else this reader does not follow:
 *            only then do @v and @menu_end mean anything.
 * @menu_end: the menu in effect after the last statement.
 * @open:     the last statement has no line end of its own (the end of
 *            the bytes came first, or after a continuation).
 */
struct stmt_index {
	struct stmt *v;
	size_t n;
	bool flat, open;
	uint8_t menu_end;
};

/* The statements of `buf`, its first line numbered `line`, running from
 * menu `menu` (MENU_UNKNOWN at a file's start). x->flat false: not read
 * further (x->v may hold the statements before). */
void stmt_index_build(const char *buf, size_t len, uint32_t line, uint8_t menu, struct stmt_index *x);
void stmt_index_free(struct stmt_index *x);

/**
 * struct stmt_region - what an edit changed, in whole statements.
 * @a, @b:    the old statements [a, b) it replaces (a == b: an insertion).
 * @off:      where they start, in the old file and the new (same bytes before).
 * @old_len, @new_len: their bytes in the old file, and the new bytes in
 *            their place (same bytes after).
 * @lines:    the new region's lines minus the old's.
 * @neu:      the new region's statements (byte offsets in the new file,
 *            lines in the new file, menu carried from before).
 */
struct stmt_region {
	size_t a, b, off, old_len, new_len;
	long lines;
	struct stmt_index neu;
};

/*
 * The edit from `old` (indexed by `x`, flat) to `neu`: the common head and
 * tail, the difference widened to whole statements of `x`. 0; -1 when the
 * new bytes in its place are not whole flat statements (the full path
 * decides what they are). Identical files: a == b, no new statements.
 */
int stmt_region_find(const struct stmt_index *x, const char *old, size_t old_len, const char *neu, size_t new_len,
		     struct stmt_region *r);
void stmt_region_free(struct stmt_region *r);

/*
 * Whether the edit path may apply the region: every statement it removes
 * and adds a plain `add` (or a blank or comment line) of one and the same
 * IP rule menu. `renumber`: whether later rules of that menu may change
 * number (the edit path: yes, kernel comments carry no numbers; false
 * refuses an edit that adds or removes rules before the menu's last).
 * NULL when it may, else why not, for ROSFW_TIMING.
 */
const char *stmt_region_refusal(const struct stmt_index *x, const struct stmt_region *r, bool renumber);

/* The end of the property value starting at `s` (before `end`): its first
 * blank or continuation outside quotes. */
const char *stmt_value_end(const char *s, const char *end);
/* The last statement of `x` that starts at or before `line`; x->n: none. */
size_t stmt_of_line(const struct stmt_index *x, uint32_t line);

/* The new file's index: `x` with the region's statements in place of
 * [a, b), those after shifted by the byte and line differences (their
 * @rule fields copied as they are: the caller renumbers them). */
void stmt_index_splice(const struct stmt_index *x, const struct stmt_region *r, struct stmt_index *out);

#endif
