/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SCRIPT_IMPL_H
#define ROSFW_SCRIPT_IMPL_H

/* Shared by script_run.c (statements) and script_expr.c (expressions). */

#include "diag.h"
#include "script_value.h"
#include "text.h"

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
/* One key after "->" at c->p: $var, "string" or a word. */
enum sst script_key(struct run *r, struct cur *c, struct sval *key);
/* A quoted string at c->p, its $ parts worked out. */
enum sst script_string(struct run *r, struct cur *c, struct sval *out);
/* The commands of [ ... ] (c: inside the brackets): the last one's value. */
enum sst script_subst(struct run *r, struct cur c, struct sval *out);
/* { a; b } or { k=v; ... } as a value (c: inside the braces). */
enum sst script_array_literal(struct run *r, struct cur c, struct sval *out);

/* The expression inside ( ) (c: inside the parentheses). */
enum sst script_expr(struct run *r, struct cur c, struct sval *out);

/* ---- between script_run.c, script_cmds.c and script_menu.c ---- */

struct var {
	struct var *next;
	struct sval v;
	size_t nlen;
	char name[];
};

/**
 * struct vars - the variables of one scope, or the globals: a list, newest
 * first, and past a few of them a hash index (a file of 100,000 :global
 * lines searched the list each time: 24 s).
 */
struct vars {
	struct var *head;
	struct var **tab;
	size_t n, cap;
};

struct scope {
	struct vars vars;
	struct scope *up;	/* NULL at a function's or the file's top */
};

/* An address list's entries, to refuse the duplicate RouterOS refuses. */
struct dupidx {
	char **slot;
	size_t cap, n;
	size_t count;		/* model_count when it was last in step */
	unsigned long gen;	/* m->gen when it was last in step */
	bool valid;
};

struct script {
	struct vars globals;
	struct scope file;
	unsigned long steps, max_steps;
	unsigned long run_steps;	/* all statements' */
	size_t made_charged;		/* script_mem_made() the steps count */
	size_t parsed;			/* bytes :parse kept as sources */
	uint32_t parse_file;		/* the last :parse's source, and where */
	struct loc parse_at;
	size_t put_bytes;		/* of :put and :log notes */
	bool spent, spent_said;		/* the run's budget is gone */
	size_t max_mem;
	unsigned depth;
	struct dupidx dup[2];
	struct loc *warned;	/* places said once: an open hash table */
	size_t nwarned, capwarned;
	char **imported;
	size_t nimported;
	unsigned imports;	/* /import nesting */
};

enum vmode {
	VM_TEXT,	/* a menu command's argument: words stay as written */
	VM_TYPED,	/* a scripting command's: a lone word is typed (sv_guess) */
	VM_CODE,	/* do=, else=, on-error=: a lone {...} is code */
};

#define MAX_ARGS 64

/**
 * struct arg - one argument of a statement as written.
 * @name, @nlen: for name=value (name~value, name!=value), else NULL.
 * @v: the value's text; @loc the whole argument, @vloc the value.
 */
struct arg {
	const char *name;
	size_t nlen;
	char op;
	bool neg;
	struct cur v;
	struct loc loc, vloc;
};


static inline bool arg_is(const struct arg *a, const char *name)
{
	return a->name && text_eq(a->name, a->nlen, name);
}

static inline const struct arg *arg_named(const struct arg *a, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (arg_is(&a[i], name))
			return &a[i];
	return NULL;
}

/* The i-th positional argument after the command word, or NULL. */
static inline const struct arg *arg_pos(const struct arg *a, size_t n, size_t i)
{
	size_t k;

	for (k = 1; k < n; k++)
		if (!a[k].name && !i--)
			return &a[k];
	return NULL;
}

/* script_run.c: a value as written (pieces glued together); statements
 * up to c's end (the last one's value); a body in scope sc (loops give
 * theirs); a call of code with its arguments; one step of the budget. */
enum sst script_eval(struct run *r, struct cur v, enum vmode mode, struct sval *out);
enum sst script_run_stmts(struct run *r, struct cur c, struct sval *last);
enum sst script_run_body(struct run *r, const struct sval *code, struct scope *sc, struct sval *out);
enum sst script_run_code(struct run *r, const struct scode *code, const char *what, const struct loc *at,
			 const struct arg *args, size_t nargs, struct sval *out);
enum sst script_step(struct run *r, const struct loc *loc);
/* The memory budget inside a statement (with `extra` bytes being built):
 * an expression can multiply what its values hold before the next step. */
enum sst script_mem_check(struct run *r, const struct loc *loc, size_t extra);
/* The next argument of a statement at c; false at its end (or an error). */
bool script_arg_scan(struct run *r, struct cur *c, struct arg *a, enum sst *st);
/* After an error exec.c said: the constructs it happened in, as a note. */
void script_stack_note(struct run *r, const struct loc *loc);
/* Once per place (file:line:col): true the first time. */
bool script_first_warning(struct script *S, const struct loc *l);
bool script_is_name(char c);
void script_scope_end(struct scope *s);

struct var *script_var_find(const struct vars *s, const char *name, size_t n);
struct var *script_var_new(struct vars *s, const char *name, size_t n);
/* Frees them all; s is left empty. */
void script_vars_free(struct vars *s);
struct var *script_lookup(struct run *r, const char *name, size_t n);
void script_set_var(struct vars *s, const char *name, size_t n, struct sval v);

/* script_cmds.c: a scripting command (:if, :foreach, :put ...), name
 * without its ':'. */
enum sst script_cmd(struct run *r, const struct arg *a, size_t n, const char *name, size_t nn, struct sval *out);

/* script_menu.c: a menu command (/ip firewall filter add ...), its values
 * worked out in its menu; its value (an id for add, [find]'s ids ...). */
enum sst script_menu_cmd(struct run *r, const struct arg *a, size_t n, struct sval *out);
void script_dup_clear(struct dupidx *x);

#endif
