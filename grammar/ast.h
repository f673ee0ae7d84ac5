/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_AST_H
#define ROSFW_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct arena;

/*
 * The parser knows RouterOS's surface syntax only: a command is a sequence of
 * items. Which leading words are a menu path and which is the verb is decided
 * later by the model, which knows the menu tree.
 */
enum item_kind {
	IT_SLASH,	/* '/' at the start of a command: the path is absolute */
	IT_WORD,	/* bare word: path element, verb, flag, number */
	IT_STRING,	/* quoted string standing alone */
	IT_SCRIPT,	/* ':word' scripting command (:if, :global, :log ...) */
	IT_PROP,	/* name=value, name~value, name!=value */
	IT_BRACKET,	/* [ command ] */
	IT_PAREN,	/* ( expression ) */
	IT_BLOCK,	/* { statements } */
	IT_OP,		/* a bare '=' or '~' inside an expression */
};

/* Flags of a value or word. */
#define VF_QUOTED  0x01	/* some part was quoted */
#define VF_VAR     0x02	/* holds an unescaped $variable */
#define VF_EXACT   0x04	/* decoded bytes equal the source bytes (one line, no escapes) */
#define VF_NE      0x08	/* written name!=value */
#define VF_REGEX   0x10	/* written name~value */
#define VF_UNSET   0x20	/* a word !name: verbose exports write it for an unset property */
#define VF_IDS     0x40	/* made by the interpreter: item ids ("*1f,*20") a [find] returned */

struct ast_cmd;

/**
 * struct ast_item - one item of a command.
 * @text, @len: word, string or value text, decoded (may hold NUL bytes from \00).
 * @name, @name_len: for IT_PROP, the property name.
 *   Words, names and plain values point into the scanned buffer: they are not
 *   NUL-terminated, so always go by the length.
 * @loc: the whole item; @vloc: the value of an IT_PROP (its first quote included).
 * @sub: for IT_BRACKET and IT_PAREN, the inner command; for IT_PROP whose
 *       value is a group ([...], (...), {...}), the group item is in @group.
 * @stmts: for IT_BLOCK, the statements inside.
 */
struct ast_item {
	enum item_kind kind;
	unsigned flags;
	struct loc loc, vloc;
	const char *text;
	size_t len;
	const char *name;
	size_t name_len;
	struct ast_cmd *sub;
	struct ast_item *group;
	struct ast_cmd *stmts;
	struct ast_item *next;
};

/**
 * struct ast_cmd - one command (or statement inside a block).
 * @items: in source order.
 * @next: next statement of the same block.
 */
struct ast_cmd {
	struct loc loc;
	struct ast_item *items;
	size_t nitems;
	struct ast_cmd *next;
};

/* Groups nest at most this deep: far beyond any real script, and far below
 * where the parser's stack (10000 states, up to 5 a level) or the
 * recursion of later stages over the tree could run out. Deeper is an
 * error at the bracket that passes it, and parsing of that file stops. */
#define PARSE_MAX_DEPTH 1000

/* Called with each top-level statement; the tree is freed after it returns. */
typedef void (*ast_stmt_fn)(void *ctx, const struct ast_cmd *cmd);

/*
 * Parse `buf` (registered as source `file` in `d`), calling `fn` with each
 * top-level statement in order. Syntax errors go to `d`; parsing recovers at
 * the end of the command. Returns the number of syntax errors.
 */
unsigned parse_buffer(struct diag *d, uint32_t file, const char *buf, size_t len,
		      ast_stmt_fn fn, void *ctx);

/* The same without copying the input: buf[len] and buf[len + 1] must be NUL
 * and writable for the scanner (struct source buffers are). */
#define PARSE_PADDING 2
unsigned parse_buffer_padded(struct diag *d, uint32_t file, char *buf, size_t len,
			     ast_stmt_fn fn, void *ctx);

/* Debug form of a command, one line: used by tests and `rosfw parse`. */
void ast_cmd_print(const struct ast_cmd *c, FILE *out);

#endif
