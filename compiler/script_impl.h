/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SCRIPT_IMPL_H
#define ROSFW_SCRIPT_IMPL_H

/* Shared by script_run.c (statements) and script_expr.c (expressions). */

#include "diag.h"
#include "script_value.h"

struct model;
struct cwd;

/* How a piece of script ended. ERR is what on-error catches; FATAL (a
 * budget, a refusal of what needs the router) stops the statement. */
enum sst { SST_OK, SST_ERR, SST_FATAL, SST_RET };

/**
 * struct cur - a position in script text and the text's end.
 * @file, @line, @col: where @p is, for diagnostics.
 */
struct cur {
	const char *p, *end;
	uint32_t file, line, col;
};

/* One construct being run, for the "in :foreach at ..." of an error. */
struct frame {
	const char *what;
	struct loc loc;
	const struct frame *up;
};

struct scope;

/**
 * struct run - what a piece of script runs in.
 * @sc:    innermost scope of local variables.
 * @cwd:   the current menu.
 * @stack: innermost construct (loop, call) around it.
 * @ret:   what :return gave.
 * @quiet: the values of a command rosfw passes over (a menu it does not
 *         model): they need not be right, so an undefined variable or a
 *         [find] of the router's own items says nothing.
 */
struct run {
	struct script *S;
	struct model *m;
	struct scope *sc;
	struct cwd *cwd;
	const struct frame *stack;
	struct sval ret;
	bool quiet;
};

void cur_adv(struct cur *c, size_t n);
struct loc cur_loc(const struct cur *c);
/* The span from a to where b is (exclusive). */
struct loc cur_span(const struct cur *a, const struct cur *b);
void cur_skip_ws(struct cur *c, bool newlines);
/* At an opening ( [ { or ", past its closing one; false when unclosed. */
bool cur_skip_group(struct cur *c);

/* An error at `loc` with the construct stack, SST_ERR. */
__attribute__((format(printf, 3, 4)))
enum sst script_err(struct run *r, const struct loc *loc, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
enum sst script_fatal(struct run *r, const struct loc *loc, const char *fmt, ...);
/* Entering a nested construct: SST_FATAL past SCRIPT_MAX_DEPTH. */
enum sst script_enter(struct run *r, const struct loc *loc);
void script_leave(struct run *r);

/* A variable's value (NULL when unset) for `$name`. */
struct sval *script_var(struct run *r, const char *name, size_t n);
/* `$name->key...`, `$"name"`, `$[cmd]`, `$(expr)` at c->p (the '$'). */
enum sst script_dollar(struct run *r, struct cur *c, struct sval *out);
/* A quoted string at c->p, its $ parts worked out. */
enum sst script_string(struct run *r, struct cur *c, struct sval *out);
/* The commands of [ ... ] (c: inside the brackets): the last one's value. */
enum sst script_subst(struct run *r, struct cur c, struct sval *out);
/* { a; b } or { k=v; ... } as a value (c: inside the braces). */
enum sst script_array_literal(struct run *r, struct cur c, struct sval *out);

/* The expression inside ( ) (c: inside the parentheses). */
enum sst script_expr(struct run *r, struct cur c, struct sval *out);

#endif
