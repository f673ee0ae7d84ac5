/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RouterOS scripting interpreter: statements, variables, control flow
 * and command substitution, run from the script's own text.
 *
 * The parser hands exec.c one top-level statement and frees its tree once
 * it has run; a function body stored in a variable must outlive that. So
 * the interpreter works on source text, as RouterOS's own does: it reads a
 * statement again from the source the diag keeps (every file stays in
 * memory while diagnostics may quote it), a function value keeps the span
 * of its body (struct scode) and reads it again at each call, and what
 * :parse makes is registered as a source of its own. Locations then come
 * for free: every error inside a do={} body or a :parse'd string points
 * where that text was written.
 */
#include "script_run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "model_impl.h"
#include "script_impl.h"
#include "text.h"
#include "xalloc.h"

struct var {
	struct var *next;
	struct sval v;
	size_t nlen;
	char name[];
};

struct scope {
	struct var *vars;
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
	struct var *globals;
	struct scope file;
	unsigned long steps, max_steps;
	size_t max_mem;
	unsigned depth;
	struct dupidx dup[2];
	uint64_t *warned;	/* locations of undefined variables said */
	size_t nwarned, capwarned;
	char **imported;
	size_t nimported;
	unsigned imports;	/* /import nesting */
};

/* ---- text --------------------------------------------------------------- */

void cur_adv(struct cur *c, size_t n)
{
	for (; n && c->p < c->end; n--, c->p++) {
		if (*c->p == '\n') {
			c->line++;
			c->col = 1;
		} else {
			c->col++;
		}
	}
}

struct loc cur_loc(const struct cur *c)
{
	struct loc l = { c->file, c->line, c->col, c->line, c->col };

	return l;
}

struct loc cur_span(const struct cur *a, const struct cur *b)
{
	struct loc l = { a->file, a->line, a->col, b->line, b->col > 1 ? b->col - 1 : 1 };

	if (l.last_line == l.line && l.last_col < l.col)
		l.last_col = l.col;
	return l;
}

/* Blanks and line continuations; newlines too when asked. */
void cur_skip_ws(struct cur *c, bool newlines)
{
	while (c->p < c->end) {
		char ch = *c->p;

		if (ch == ' ' || ch == '\t' || ch == '\r' || (newlines && ch == '\n')) {
			cur_adv(c, 1);
		} else if (ch == '\\' && c->end - c->p >= 2 && (c->p[1] == '\n' || (c->p[1] == '\r' && c->end - c->p >= 3 && c->p[2] == '\n'))) {
			cur_adv(c, c->p[1] == '\n' ? 2 : 3);
		} else {
			break;
		}
	}
}

bool cur_skip_group(struct cur *c)
{
	char stack[PARSE_MAX_DEPTH + 8];
	size_t d = 0;

	if (*c->p == '"') {
		for (cur_adv(c, 1); c->p < c->end; cur_adv(c, 1)) {
			if (*c->p == '\\')
				cur_adv(c, 1);
			else if (*c->p == '"') {
				cur_adv(c, 1);
				return true;
			}
		}
		return false;
	}
	while (c->p < c->end) {
		char ch = *c->p;

		if (ch == '(' || ch == '[' || ch == '{') {
			if (d == sizeof(stack))
				return false;
			stack[d++] = ch == '(' ? ')' : ch == '[' ? ']' : '}';
		} else if (ch == ')' || ch == ']' || ch == '}') {
			if (!d || stack[d - 1] != ch)
				return false;
			if (!--d) {
				cur_adv(c, 1);
				return true;
			}
		} else if (ch == '"') {
			if (!cur_skip_group(c))
				return false;
			continue;
		} else if (ch == '\\') {
			cur_adv(c, 1);
		}
		cur_adv(c, 1);
	}
	return false;
}

/* ---- errors ------------------------------------------------------------- */

static void stack_append(struct run *r, struct sbuf *b)
{
	const struct frame *f;
	char t[64];
	size_t depth = 0, shown = 0;

	for (f = r->stack; f; f = f->up)
		depth++;
	for (f = r->stack; f; f = f->up, shown++) {
		/* a recursion says its innermost and outermost calls */
		if (shown == 4 && depth > 6) {
			snprintf(t, sizeof(t), ", %zu more", depth - 5);
			sbuf_puts(b, t);
			while (f->up)
				f = f->up;
		}
		sbuf_puts(b, f == r->stack ? " (in " : ", in ");
		sbuf_puts(b, f->what);
		sbuf_puts(b, " at ");
		sbuf_puts(b, diag_source_name(r->m->d, f->loc.file));
		snprintf(t, sizeof(t), ":%u:%u", (unsigned)f->loc.line, (unsigned)f->loc.col);
		sbuf_puts(b, t);
		if (!f->up)
			sbuf_puts(b, ")");
	}
}

static enum sst report(struct run *r, const struct loc *loc, enum sst st, const char *fmt, va_list ap)
{
	struct sbuf b = { 0 };
	char *msg = NULL;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	msg = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	sbuf_puts(&b, msg);
	stack_append(r, &b);
	diag_error(r->m->d, loc, "%s", b.p);
	free(msg);
	sbuf_free(&b);
	return st;
}

enum sst script_err(struct run *r, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;
	enum sst st;

	va_start(ap, fmt);
	st = report(r, loc, SST_ERR, fmt, ap);
	va_end(ap);
	return st;
}

enum sst script_fatal(struct run *r, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;
	enum sst st;

	va_start(ap, fmt);
	st = report(r, loc, SST_FATAL, fmt, ap);
	va_end(ap);
	return st;
}

/* After an error exec.c said: where in the script it happened. */
static void stack_note(struct run *r, const struct loc *loc)
{
	struct sbuf b = { 0 };

	if (!r->stack)
		return;
	stack_append(r, &b);
	/* " (in ...)" without its parentheses */
	b.p[b.len - 1] = '\0';
	diag_note(r->m->d, loc, "this command failed %s", b.p + 2);
	sbuf_free(&b);
}

enum sst script_enter(struct run *r, const struct loc *loc)
{
	if (++r->S->depth > SCRIPT_MAX_DEPTH) {
		r->S->depth--;
		return script_fatal(r, loc, "script nested too deep: more than %d levels of blocks, calls and substitutions",
				    SCRIPT_MAX_DEPTH);
	}
	return SST_OK;
}

void script_leave(struct run *r)
{
	r->S->depth--;
}

/* One step of the budget: a statement run, or a loop's turn. */
static enum sst step(struct run *r, const struct loc *loc)
{
	struct script *S = r->S;

	if (++S->steps > S->max_steps)
		return script_fatal(r, loc, "the script ran more than %lu steps (statements and loop turns) in one top-level statement: stopped (a loop that never ends?)",
				    S->max_steps);
	if (S->max_mem && script_mem_used() > S->max_mem)
		return script_fatal(r, loc, "the script's values hold more than %zu bytes: stopped", S->max_mem);
	return SST_OK;
}

/* ---- variables ---------------------------------------------------------- */

static struct var *var_find(struct var *v, const char *name, size_t n)
{
	for (; v; v = v->next)
		if (v->nlen == n && !memcmp(v->name, name, n))
			return v;
	return NULL;
}

static struct var *var_new(struct var **list, const char *name, size_t n)
{
	struct var *v = xcalloc(1, sizeof(*v) + n + 1);

	memcpy(v->name, name, n);
	v->nlen = n;
	v->next = *list;
	*list = v;
	return v;
}

static void vars_free(struct var *v)
{
	while (v) {
		struct var *next = v->next;

		sv_free(&v->v);
		free(v);
		v = next;
	}
}

static struct var *lookup(struct run *r, const char *name, size_t n)
{
	struct scope *s;
	struct var *v;

	for (s = r->sc; s; s = s->up)
		if ((v = var_find(s->vars, name, n)))
			return v;
	return var_find(r->S->globals, name, n);
}

struct sval *script_var(struct run *r, const char *name, size_t n)
{
	struct var *v = lookup(r, name, n);

	return v ? &v->v : NULL;
}

static void set_var(struct var **list, const char *name, size_t n, struct sval v)
{
	struct var *x = var_find(*list, name, n);

	if (!x)
		x = var_new(list, name, n);
	sv_free(&x->v);
	x->v = v;
}

/* Once per place: a loop reading an undefined variable says it once. */
static bool first_warning(struct script *S, const struct loc *l)
{
	uint64_t key = ((uint64_t)l->file << 48) ^ ((uint64_t)l->line << 16) ^ l->col;
	size_t i;

	for (i = 0; i < S->nwarned; i++)
		if (S->warned[i] == key)
			return false;
	if (S->nwarned == S->capwarned) {
		S->capwarned = S->capwarned ? S->capwarned * 2 : 16;
		S->warned = xreallocarray(S->warned, S->capwarned, sizeof(*S->warned));
	}
	S->warned[S->nwarned++] = key;
	return true;
}

static bool is_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- values ------------------------------------------------------------- */

enum vmode {
	VM_TEXT,	/* a menu command's argument: words stay as written */
	VM_TYPED,	/* a scripting command's: a lone word is typed (sv_guess) */
	VM_CODE,	/* do=, else=, on-error=: a lone {...} is code */
};

static enum sst eval(struct run *r, struct cur v, enum vmode mode, struct sval *out);

static int hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* One RouterOS escape at c->p (the backslash) into b. */
static void escape(struct cur *c, struct sbuf *b)
{
	static const char from[] = "\"\\nrt$?_abfv";
	static const char to[] = "\"\\\n\r\t$? \a\b\f\v";
	const char *f;

	if (c->end - c->p >= 3 && is_hex(c->p[1]) && is_hex(c->p[2])) {
		char ch = (char)(hexval(c->p[1]) * 16 + hexval(c->p[2]));

		sbuf_put(b, &ch, 1);
		cur_adv(c, 3);
		return;
	}
	if (c->end - c->p >= 2 && (c->p[1] == '\n' || c->p[1] == '\r')) {
		/* a line continuation inside a value */
		cur_adv(c, 1);
		if (*c->p == '\r')
			cur_adv(c, 1);
		cur_adv(c, 1);
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
			cur_adv(c, 1);
		return;
	}
	if (c->end - c->p >= 2 && c->p[1] && (f = strchr(from, c->p[1]))) {
		sbuf_put(b, &to[f - from], 1);
		cur_adv(c, 2);
		return;
	}
	if (c->end - c->p >= 2) {
		sbuf_put(b, c->p + 1, 1);
		cur_adv(c, 2);
		return;
	}
	cur_adv(c, 1);
}

static bool starts_dollar(const struct cur *c)
{
	return c->end - c->p >= 2 && c->p[0] == '$' &&
	       (is_name(c->p[1]) || c->p[1] == '"' || c->p[1] == '[' || c->p[1] == '(');
}

enum sst script_string(struct run *r, struct cur *c, struct sval *out)
{
	struct sbuf b = { 0 };
	struct loc l = cur_loc(c);
	enum sst st;

	cur_adv(c, 1);
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\') {
			escape(c, &b);
		} else if (starts_dollar(c)) {
			struct sval v;

			if ((st = script_dollar(r, c, &v)) != SST_OK) {
				sbuf_free(&b);
				return st;
			}
			sv_append(&b, &v);
			sv_free(&v);
		} else {
			const char *s = c->p;

			while (c->p < c->end && *c->p != '"' && *c->p != '\\' && !starts_dollar(c))
				cur_adv(c, 1);
			sbuf_put(&b, s, (size_t)(c->p - s));
		}
	}
	if (c->p >= c->end) {
		sbuf_free(&b);
		return script_err(r, &l, "missing closing quote");
	}
	cur_adv(c, 1);
	*out = sv_str_take(&b);
	return SST_OK;
}

/* The inside of the group at c->p; c moves past it. */
static bool group_inside(struct run *r, struct cur *c, struct cur *in, enum sst *st)
{
	struct cur start = *c;
	struct loc l = cur_loc(c);

	if (!cur_skip_group(c)) {
		*st = script_err(r, &l, "missing closing bracket");
		return false;
	}
	*in = start;
	cur_adv(in, 1);
	in->end = c->p - 1;
	*st = SST_OK;
	return true;
}

static enum sst run_group(struct run *r, struct cur *c, struct sval *out)
{
	char open = *c->p;
	struct loc l = cur_loc(c);
	struct cur in;
	enum sst st;

	if (!group_inside(r, c, &in, &st))
		return st;
	if ((st = script_enter(r, &l)) != SST_OK)
		return st;
	st = open == '(' ? script_expr(r, in, out) : open == '[' ? script_subst(r, in, out)
							    : script_array_literal(r, in, out);
	script_leave(r);
	return st;
}

/* $a->"key"->0: an element, or nothing. */
static struct sval element(const struct sval *a, const struct sval *key)
{
	char *k;
	size_t kn;
	struct sval *e;
	int64_t i;
	char *end;

	if (a->t != SV_ARRAY)
		return sv_nothing();
	k = sv_text(key, &kn);
	i = strtoll(k, &end, 10);
	if (kn && !*end && i >= 0 && (size_t)i < a->u.a->n && !a->u.a->v[i].key) {
		free(k);
		return sv_copy(&a->u.a->v[i].v);
	}
	e = sa_get(a->u.a, k, kn);
	free(k);
	return e ? sv_copy(e) : sv_nothing();
}

enum sst script_dollar(struct run *r, struct cur *c, struct sval *out)
{
	struct cur start = *c;
	struct sval name_v = sv_nothing();
	const char *name;
	size_t n;
	enum sst st;
	struct sval *v;

	*out = sv_nothing();
	cur_adv(c, 1);
	if (c->p < c->end && (*c->p == '[' || *c->p == '(')) {
		if ((st = run_group(r, c, out)) != SST_OK)
			return st;
	} else {
		if (c->p < c->end && *c->p == '"') {
			if ((st = script_string(r, c, &name_v)) != SST_OK)
				return st;
			name = name_v.u.s.p;
			n = name_v.u.s.len;
		} else {
			name = c->p;
			while (c->p < c->end && is_name(*c->p))
				cur_adv(c, 1);
			n = (size_t)(c->p - name);
		}
		v = script_var(r, name, n);
		if (v) {
			*out = sv_copy(v);
		} else {
			struct loc l = cur_span(&start, c);

			if (!r->quiet && first_warning(r->S, &l))
				diag_warning(r->m->d, &l, "undefined variable $%.*s: it is nothing here (a global another file sets?)",
					     (int)n, name);
		}
		sv_free(&name_v);
	}
	while (c->end - c->p >= 2 && c->p[0] == '-' && c->p[1] == '>') {
		struct sval key, e;

		cur_adv(c, 2);
		if (c->p < c->end && *c->p == '$') {
			st = script_dollar(r, c, &key);
		} else if (c->p < c->end && *c->p == '"') {
			st = script_string(r, c, &key);
		} else {
			const char *s = c->p;

			while (c->p < c->end && (is_name(*c->p) || *c->p == '.' ||
						 (*c->p == '-' && !(c->end - c->p >= 2 && c->p[1] == '>'))))
				cur_adv(c, 1);
			key = sv_str(s, (size_t)(c->p - s));
			st = SST_OK;
		}
		if (st != SST_OK) {
			sv_free(out);
			return st;
		}
		e = element(out, &key);
		sv_free(&key);
		sv_free(out);
		*out = e;
	}
	return SST_OK;
}

/* A value as written after name= or alone: pieces (words, "strings",
 * $variables, [commands], (expressions), {arrays}) glued together. One
 * piece keeps its type; several make a str. */
static enum sst eval(struct run *r, struct cur v, enum vmode mode, struct sval *out)
{
	struct sbuf b = { 0 };
	struct sval one = sv_nothing();
	size_t pieces = 0;
	bool bare = false;
	enum sst st = SST_OK;

	*out = sv_nothing();
	while (v.p < v.end && st == SST_OK) {
		struct sval piece = sv_nothing();
		bool is_bare = false;

		if (*v.p == '"') {
			st = script_string(r, &v, &piece);
		} else if (starts_dollar(&v)) {
			st = script_dollar(r, &v, &piece);
		} else if (*v.p == '[' || *v.p == '(') {
			st = run_group(r, &v, &piece);
		} else if (*v.p == '{') {
			struct cur in;

			if (group_inside(r, &v, &in, &st)) {
				if (mode == VM_CODE) {
					struct scode code = { in.p, (size_t)(in.end - in.p), in.file, in.line, in.col };

					piece = sv_code(&code);
				} else if (mode == VM_TEXT) {
					/* source={...}: the text itself */
					piece = sv_str(in.p, (size_t)(in.end - in.p));
				} else {
					struct loc l = cur_loc(&in);

					if ((st = script_enter(r, &l)) == SST_OK) {
						st = script_array_literal(r, in, &piece);
						script_leave(r);
					}
				}
			}
		} else {
			struct sbuf w = { 0 };

			while (v.p < v.end && *v.p != '"' && *v.p != '[' && *v.p != '(' && *v.p != '{' &&
			       !starts_dollar(&v)) {
				if (*v.p == '\\')
					escape(&v, &w);
				else {
					sbuf_put(&w, v.p, 1);
					cur_adv(&v, 1);
				}
			}
			piece = sv_str_take(&w);
			is_bare = true;
		}
		if (st != SST_OK) {
			sv_free(&piece);
			break;
		}
		if (!pieces++) {
			one = piece;
			bare = is_bare;
			continue;
		}
		if (pieces == 2)
			sv_append(&b, &one);
		sv_append(&b, &piece);
		sv_free(&piece);
	}
	if (st != SST_OK) {
		sv_free(&one);
		sbuf_free(&b);
		return st;
	}
	if (pieces > 1) {
		sv_free(&one);
		*out = sv_str_take(&b);
	} else if (pieces == 1 && bare && mode != VM_TEXT) {
		*out = sv_guess(one.u.s.p, one.u.s.len);
		sv_free(&one);
	} else {
		*out = one;
	}
	return SST_OK;
}

/* ---- statements --------------------------------------------------------- */

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

static bool is_name_ch(char c)
{
	return is_name(c) || c == '-' || c == '.' || c == '!';
}

static bool ends_arg(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == ')' || c == ']' || c == '}';
}

/* The next argument at c (blanks skipped before); false at the end of
 * the statement. */
static bool arg_scan(struct run *r, struct cur *c, struct arg *a, enum sst *st)
{
	struct cur start;
	const char *q;

	*st = SST_OK;
	cur_skip_ws(c, false);
	if (c->p >= c->end || *c->p == '\n' || *c->p == ';')
		return false;
	memset(a, 0, sizeof(*a));
	start = *c;
	for (q = c->p; q < c->end && is_name_ch(*q); q++)
		;
	if (q > c->p && q < c->end && (*q == '=' || *q == '~') && c->p[0] != '!') {
		a->name = c->p;
		a->nlen = (size_t)(q - c->p);
		a->op = *q;
		if (a->nlen > 1 && a->name[a->nlen - 1] == '!' && *q == '=') {
			a->nlen--;
			a->neg = true;
		}
		cur_adv(c, (size_t)(q - c->p) + 1);
	}
	a->v = *c;
	while (c->p < c->end && !ends_arg(*c->p)) {
		if (*c->p == '"' || *c->p == '(' || *c->p == '[' || *c->p == '{') {
			struct loc l = cur_loc(c);

			if (!cur_skip_group(c)) {
				*st = script_err(r, &l, "missing closing bracket or quote");
				return false;
			}
		} else if (*c->p == '\\' && c->end - c->p >= 2) {
			/* a line continuation goes on with the value after the
			 * next line's indent, as the scanner reads it */
			bool cont = c->p[1] == '\n' || (c->p[1] == '\r' && c->end - c->p >= 3 && c->p[2] == '\n');

			cur_adv(c, c->p[1] == '\r' && cont ? 3 : 2);
			while (cont && c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
				cur_adv(c, 1);
		} else if (*c->p == '$' && c->end - c->p >= 2 && (c->p[1] == '"' || c->p[1] == '[' || c->p[1] == '(')) {
			cur_adv(c, 1);
		} else {
			cur_adv(c, 1);
		}
	}
	if (c->p < c->end && (*c->p == ')' || *c->p == ']' || *c->p == '}') && c->p == start.p) {
		struct loc l = cur_loc(c);

		*st = script_err(r, &l, "unexpected \"%c\"", *c->p);
		return false;
	}
	a->v.end = c->p;
	a->loc = cur_span(&start, c);
	a->vloc = cur_span(&a->v, c);
	if (a->v.p == a->v.end)
		a->vloc.last_col = a->vloc.col;
	return true;
}

static bool arg_is(const struct arg *a, const char *name)
{
	return a->name && text_eq(a->name, a->nlen, name);
}

static const struct arg *arg_named(const struct arg *a, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (arg_is(&a[i], name))
			return &a[i];
	return NULL;
}

/* The i-th positional argument after the command word, or NULL. */
static const struct arg *arg_pos(const struct arg *a, size_t n, size_t i)
{
	size_t k;

	for (k = 1; k < n; k++)
		if (!a[k].name && !i--)
			return &a[k];
	return NULL;
}

static enum sst run_stmts(struct run *r, struct cur c, struct sval *last);
static enum sst run_code(struct run *r, const struct scode *code, const char *what, const struct loc *at,
			 const struct arg *args, size_t nargs, struct sval *out);

/* A block's body in a scope of its own (loops give it theirs). */
static enum sst run_body(struct run *r, const struct sval *code, struct scope *sc, struct sval *out)
{
	struct run inner = *r;
	struct cur c = { code->u.code->text, code->u.code->text + code->u.code->len, code->u.code->file,
			 code->u.code->line, code->u.code->col };
	struct loc l = cur_loc(&c);
	enum sst st;

	inner.sc = sc;
	if ((st = script_enter(r, &l)) != SST_OK)
		return st;
	st = run_stmts(&inner, c, out);
	script_leave(r);
	if (st == SST_RET) {
		r->ret = inner.ret;
	}
	return st;
}

static enum sst need_code(struct run *r, const struct arg *cmd, const struct arg *a, const char *name,
			  struct sval *code)
{
	enum sst st;

	if (!a)
		return script_err(r, &cmd->loc, "%.*s needs %s={...}", (int)(cmd->v.end - cmd->v.p), cmd->v.p, name);
	if ((st = eval(r, a->v, VM_CODE, code)) != SST_OK)
		return st;
	if (code->t != SV_CODE) {
		sv_free(code);
		return script_err(r, &a->vloc, "%s= needs a block {...}", name);
	}
	return SST_OK;
}

static enum sst arg_value(struct run *r, const struct arg *a, struct sval *out)
{
	if (!a) {
		*out = sv_nothing();
		return SST_OK;
	}
	return eval(r, a->v, VM_TYPED, out);
}

/* Frees a scope made for a body. */
static void scope_end(struct scope *s)
{
	vars_free(s->vars);
	s->vars = NULL;
}

/* ---- scripting commands -------------------------------------------------- */

struct ctx {
	struct run *r;
	const struct arg *a;	/* a[0] is the command word */
	size_t n;
	const char *name;	/* without ':' */
	struct sval *out;
};

static enum sst cmd_var(struct ctx *x, int kind)
{
	const struct arg *na = arg_pos(x->a, x->n, 0), *va = arg_pos(x->a, x->n, 1), *doa = arg_named(x->a, x->n, "do");
	struct run *r = x->r;
	struct sval v = sv_nothing(), name;
	enum sst st;
	bool given = va || doa;
	char *nm;
	size_t nn;

	if (!na)
		return script_err(r, &x->a[0].loc, ":%s needs a variable name", x->name);
	if ((st = eval(r, na->v, VM_TEXT, &name)) != SST_OK)
		return st;
	nm = sv_text(&name, &nn);
	sv_free(&name);
	if (doa)
		st = eval(r, doa->v, VM_CODE, &v);
	else if (va)
		st = eval(r, va->v, VM_TYPED, &v);
	if (st != SST_OK) {
		free(nm);
		return st;
	}
	if (kind == 'g') {
		struct var *g = var_find(r->S->globals, nm, nn);

		if (!g)
			g = var_new(&r->S->globals, nm, nn);
		if (given) {
			sv_free(&g->v);
			g->v = v;
		}
	} else if (kind == 'l') {
		set_var(&r->sc->vars, nm, nn, v);
	} else {
		struct var *e = lookup(r, nm, nn);

		if (!e) {
			diag_warning(r->m->d, &na->loc, ":set of $%s, which no :local or :global made: set as a local", nm);
			set_var(&r->sc->vars, nm, nn, v);
		} else {
			sv_free(&e->v);
			e->v = v;
		}
	}
	free(nm);
	return SST_OK;
}

/* :set ($a->"k") v: an element of an array variable. */
static enum sst cmd_set(struct ctx *x)
{
	const struct arg *na = arg_pos(x->a, x->n, 0);
	struct cur c;
	const char *name;
	size_t n;
	struct var *var;
	struct sval key, v;
	enum sst st;

	if (!na || na->v.p >= na->v.end || *na->v.p != '(')
		return cmd_var(x, 's');
	c = na->v;
	cur_adv(&c, 1);
	cur_skip_ws(&c, true);
	if (c.p >= c.end || *c.p != '$')
		return script_err(x->r, &na->loc, ":set needs a variable name or ($array->key)");
	cur_adv(&c, 1);
	name = c.p;
	while (c.p < c.end && is_name(*c.p))
		cur_adv(&c, 1);
	n = (size_t)(c.p - name);
	if (c.end - c.p < 2 || c.p[0] != '-' || c.p[1] != '>')
		return script_err(x->r, &na->loc, ":set needs a variable name or ($array->key)");
	cur_adv(&c, 2);
	if (*c.p == '"' || *c.p == '$') {
		st = *c.p == '"' ? script_string(x->r, &c, &key) : script_dollar(x->r, &c, &key);
		if (st != SST_OK)
			return st;
	} else {
		const char *s = c.p;

		while (c.p < c.end && (is_name(*c.p) || *c.p == '-' || *c.p == '.'))
			cur_adv(&c, 1);
		key = sv_str(s, (size_t)(c.p - s));
	}
	if ((st = arg_value(x->r, arg_pos(x->a, x->n, 1), &v)) != SST_OK) {
		sv_free(&key);
		return st;
	}
	var = lookup(x->r, name, n);
	if (!var)
		var = var_new(&x->r->sc->vars, name, n);
	if (var->v.t != SV_ARRAY) {
		sv_free(&var->v);
		var->v = sv_array();
	}
	{
		char *k;
		size_t kn;
		char *end;
		long long i;

		k = sv_text(&key, &kn);
		i = strtoll(k, &end, 10);
		if (kn && !*end && i >= 0 && (size_t)i < var->v.u.a->n && !var->v.u.a->v[i].key) {
			sv_free(&var->v.u.a->v[i].v);
			var->v.u.a->v[i].v = v;
		} else if (kn && !*end && i >= 0 && (size_t)i == var->v.u.a->n) {
			sa_push(var->v.u.a, v);
		} else {
			sa_set(var->v.u.a, k, kn, v);
		}
		free(k);
	}
	sv_free(&key);
	return SST_OK;
}

static enum sst cmd_if(struct ctx *x)
{
	const struct arg *cond = arg_pos(x->a, x->n, 0), *doa = arg_named(x->a, x->n, "do"),
			 *elsea = arg_named(x->a, x->n, "else");
	struct run *r = x->r;
	struct sval c, code;
	enum sst st;
	bool t;

	if (!cond)
		cond = arg_named(x->a, x->n, "condition");
	if (!cond)
		return script_err(r, &x->a[0].loc, ":if needs a condition (...)");
	if ((st = eval(r, cond->v, VM_TYPED, &c)) != SST_OK)
		return st;
	t = sv_truth(&c);
	sv_free(&c);
	if (!t && !elsea)
		return SST_OK;
	if ((st = need_code(r, &x->a[0], t ? doa : elsea, t ? "do" : "else", &code)) != SST_OK)
		return st;
	{
		struct scope sc = { NULL, r->sc };

		st = run_body(r, &code, &sc, x->out);
		scope_end(&sc);
	}
	sv_free(&code);
	return st;
}

/* One turn of a loop: the body with its loop variables, in a frame. */
static enum sst turn(struct run *r, const struct sval *code, struct scope *sc, const struct loc *at)
{
	struct sval v = sv_nothing();
	enum sst st;

	if ((st = step(r, at)) != SST_OK)
		return st;
	st = run_body(r, code, sc, &v);
	sv_free(&v);
	return st;
}

static enum sst cmd_foreach(struct ctx *x)
{
	const struct arg *na = arg_pos(x->a, x->n, 0), *ina = arg_named(x->a, x->n, "in"),
			 *doa = arg_named(x->a, x->n, "do");
	struct run *r = x->r, inner = *r;
	struct frame f = { ":foreach", x->a[0].loc, r->stack };
	struct sval list, code, arr;
	const char *k = NULL, *v, *comma;
	size_t kn = 0, vn, i;
	enum sst st;

	if (!na || !ina)
		return script_err(r, &x->a[0].loc, ":foreach needs a variable name and in=");
	v = na->v.p;
	vn = (size_t)(na->v.end - na->v.p);
	if ((comma = memchr(v, ',', vn))) {
		k = v;
		kn = (size_t)(comma - v);
		vn -= kn + 1;
		v = comma + 1;
	}
	if ((st = need_code(r, &x->a[0], doa, "do", &code)) != SST_OK)
		return st;
	if ((st = eval(r, ina->v, VM_TYPED, &list)) != SST_OK) {
		sv_free(&code);
		return st;
	}
	arr = list.t == SV_ARRAY ? list : sv_to_array(&list);
	if (list.t != SV_ARRAY)
		sv_free(&list);
	inner.stack = &f;
	for (i = 0; i < arr.u.a->n && st == SST_OK; i++) {
		struct scope sc = { NULL, r->sc };
		const struct sentry *e = &arr.u.a->v[i];

		if (k)
			set_var(&sc.vars, k, kn, e->key ? sv_str(e->key, strlen(e->key)) : sv_num((int64_t)i));
		set_var(&sc.vars, v, vn, sv_copy(&e->v));
		st = turn(&inner, &code, &sc, &x->a[0].loc);
		scope_end(&sc);
	}
	if (st == SST_RET)
		r->ret = inner.ret;
	sv_free(&arr);
	sv_free(&code);
	return st;
}

static enum sst num_arg(struct run *r, const struct arg *a, int64_t dflt, int64_t *out)
{
	struct sval v, n;
	enum sst st;

	if (!a) {
		*out = dflt;
		return SST_OK;
	}
	if ((st = eval(r, a->v, VM_TYPED, &v)) != SST_OK)
		return st;
	n = sv_to_num(&v);
	sv_free(&v);
	if (n.t != SV_NUM)
		return script_err(r, &a->vloc, "%.*s= needs a number", (int)a->nlen, a->name);
	*out = n.u.n;
	return SST_OK;
}

static enum sst cmd_for(struct ctx *x)
{
	const struct arg *na = arg_pos(x->a, x->n, 0), *doa = arg_named(x->a, x->n, "do");
	struct run *r = x->r, inner = *r;
	struct frame f = { ":for", x->a[0].loc, r->stack };
	int64_t from, to, stepv, i;
	struct sval code;
	enum sst st;

	if (!na)
		return script_err(r, &x->a[0].loc, ":for needs a variable name");
	if ((st = num_arg(r, arg_named(x->a, x->n, "from"), 0, &from)) != SST_OK ||
	    (st = num_arg(r, arg_named(x->a, x->n, "to"), 0, &to)) != SST_OK ||
	    (st = num_arg(r, arg_named(x->a, x->n, "step"), from <= to ? 1 : -1, &stepv)) != SST_OK)
		return st;
	if (!stepv || (stepv > 0 && from > to) || (stepv < 0 && from < to))
		return SST_OK;
	if ((st = need_code(r, &x->a[0], doa, "do", &code)) != SST_OK)
		return st;
	inner.stack = &f;
	for (i = from; st == SST_OK && (stepv > 0 ? i <= to : i >= to); i += stepv) {
		struct scope sc = { NULL, r->sc };

		set_var(&sc.vars, na->v.p, (size_t)(na->v.end - na->v.p), sv_num(i));
		st = turn(&inner, &code, &sc, &x->a[0].loc);
		scope_end(&sc);
	}
	if (st == SST_RET)
		r->ret = inner.ret;
	sv_free(&code);
	return st;
}

static enum sst truth_of(struct run *r, const struct arg *a, bool *t)
{
	struct sval v;
	enum sst st = eval(r, a->v, VM_TYPED, &v);

	*t = st == SST_OK && sv_truth(&v);
	sv_free(&v);
	return st;
}

static enum sst cmd_while(struct ctx *x)
{
	const struct arg *cond = arg_pos(x->a, x->n, 0), *doa = arg_named(x->a, x->n, "do");
	struct run *r = x->r, inner = *r;
	struct frame f = { ":while", x->a[0].loc, r->stack };
	struct sval code;
	enum sst st;
	bool t;

	if (!cond)
		return script_err(r, &x->a[0].loc, ":while needs a condition (...)");
	if ((st = need_code(r, &x->a[0], doa, "do", &code)) != SST_OK)
		return st;
	inner.stack = &f;
	while ((st = truth_of(&inner, cond, &t)) == SST_OK && t) {
		struct scope sc = { NULL, r->sc };

		st = turn(&inner, &code, &sc, &x->a[0].loc);
		scope_end(&sc);
		if (st != SST_OK)
			break;
	}
	if (st == SST_RET)
		r->ret = inner.ret;
	sv_free(&code);
	return st;
}

/* The body under a catch: what fails in it is taken back and handled. */
static enum sst run_caught(struct run *r, const struct sval *code, bool *failed, char **msg)
{
	struct diag_mark mark = diag_mark(r->m->d);
	struct scope sc = { NULL, r->sc };
	struct sval v = sv_nothing();
	enum sst st;

	r->m->catching++;
	st = run_body(r, code, &sc, &v);
	r->m->catching--;
	scope_end(&sc);
	sv_free(&v);
	*failed = st == SST_ERR;
	if (*failed) {
		if (msg)
			*msg = xstrdup(diag_last_text(r->m->d));
		diag_rollback(r->m->d, &mark);
		st = SST_OK;
	}
	return st;
}

static enum sst cmd_do(struct ctx *x)
{
	const struct arg *body = arg_pos(x->a, x->n, 0), *onerr = arg_named(x->a, x->n, "on-error"),
			 *wh = arg_named(x->a, x->n, "while");
	struct run *r = x->r, inner = *r;
	struct frame f = { ":do", x->a[0].loc, r->stack };
	struct sval code, handler;
	enum sst st;
	bool t, failed;

	if (!body)
		body = arg_named(x->a, x->n, "do");
	if (!body)
		return script_err(r, &x->a[0].loc, ":do needs a block {...}");
	if ((st = eval(r, body->v, VM_CODE, &code)) != SST_OK)
		return st;
	if (code.t != SV_CODE) {
		sv_free(&code);
		return script_err(r, &body->vloc, ":do needs a block {...}");
	}
	if (onerr) {
		if ((st = need_code(r, &x->a[0], onerr, "on-error", &handler)) == SST_OK) {
			st = run_caught(r, &code, &failed, NULL);
			if (st == SST_OK && failed) {
				struct scope sc = { NULL, r->sc };

				st = run_body(r, &handler, &sc, x->out);
				scope_end(&sc);
			}
			sv_free(&handler);
		}
	} else if (wh) {
		inner.stack = &f;
		do {
			struct scope sc = { NULL, r->sc };

			st = turn(&inner, &code, &sc, &x->a[0].loc);
			scope_end(&sc);
		} while (st == SST_OK && (st = truth_of(&inner, wh, &t)) == SST_OK && t);
		if (st == SST_RET)
			r->ret = inner.ret;
	} else {
		struct scope sc = { NULL, r->sc };

		st = run_body(r, &code, &sc, x->out);
		scope_end(&sc);
	}
	sv_free(&code);
	return st;
}

/* :onerror e in={...} do={...}: true when the body failed, with its
 * message in $e for do=. */
static enum sst cmd_onerror(struct ctx *x)
{
	const struct arg *na = arg_pos(x->a, x->n, 0), *ina = arg_named(x->a, x->n, "in"),
			 *doa = arg_named(x->a, x->n, "do");
	struct run *r = x->r;
	struct sval code, handler = sv_nothing();
	char *msg = NULL;
	enum sst st;
	bool failed;

	if (!na || !ina)
		return script_err(r, &x->a[0].loc, ":onerror needs a variable name and in={...}");
	if ((st = need_code(r, &x->a[0], ina, "in", &code)) != SST_OK)
		return st;
	if (doa && (st = need_code(r, &x->a[0], doa, "do", &handler)) != SST_OK) {
		sv_free(&code);
		return st;
	}
	st = run_caught(r, &code, &failed, &msg);
	if (st == SST_OK && failed && doa) {
		struct scope sc = { NULL, r->sc };
		struct sval v = sv_nothing();

		set_var(&sc.vars, na->v.p, (size_t)(na->v.end - na->v.p), sv_str(msg, strlen(msg)));
		st = run_body(r, &handler, &sc, &v);
		sv_free(&v);
		scope_end(&sc);
	}
	if (st == SST_OK) {
		sv_free(x->out);
		*x->out = sv_bool(failed);
	}
	free(msg);
	sv_free(&code);
	sv_free(&handler);
	return st;
}

static enum sst cmd_error(struct ctx *x)
{
	struct sval v;
	enum sst st = arg_value(x->r, arg_pos(x->a, x->n, 0), &v);
	char *t;

	if (st != SST_OK)
		return st;
	t = sv_text(&v, NULL);
	st = script_err(x->r, &x->a[0].loc, "%s", t);
	free(t);
	sv_free(&v);
	return st;
}

static enum sst cmd_return(struct ctx *x)
{
	struct sval v;
	enum sst st = arg_value(x->r, arg_pos(x->a, x->n, 0), &v);

	if (st != SST_OK)
		return st;
	sv_free(&x->r->ret);
	x->r->ret = v;
	return SST_RET;
}

/* :put and :log say what the script would print or log, as notes. */
static enum sst cmd_put(struct ctx *x)
{
	bool log = !strcmp(x->name, "log");
	const struct arg *a = log && arg_named(x->a, x->n, "message") ? arg_named(x->a, x->n, "message") :
			      arg_pos(x->a, x->n, log ? 1 : 0);
	const struct arg *lvl = log ? arg_pos(x->a, x->n, 0) : NULL;
	struct sval v;
	enum sst st = arg_value(x->r, a, &v);
	char *t;

	if (st != SST_OK)
		return st;
	t = sv_text(&v, NULL);
	if (log)
		diag_note(x->r->m->d, &x->a[0].loc, ":log %.*s: %s", lvl ? (int)(lvl->v.end - lvl->v.p) : 0,
			  lvl ? lvl->v.p : "", t);
	else
		diag_note(x->r->m->d, &x->a[0].loc, ":put: %s", t);
	free(t);
	sv_free(&v);
	return SST_OK;
}

static enum sst cmd_nop(struct ctx *x)
{
	if (first_warning(x->r->S, &x->a[0].loc))
		diag_note(x->r->m->d, &x->a[0].loc, ":%s has no effect here: rosfw runs the script at once, without waiting or sound",
		  x->name);
	return SST_OK;
}

static enum sst cmd_refuse(struct ctx *x)
{
	static const struct {
		const char *name, *why;
	} why[] = {
		{ "execute", "it starts another script in the background on the router" },
		{ "resolve", "it asks the router's DNS server: an answer looked up now would be frozen into the firewall; write the address, or an address-list entry with the name (rosfw keeps it resolved)" },
		{ "rndnum", "its value differs on every run" },
		{ "rndstr", "its value differs on every run" },
	};
	size_t i;

	for (i = 0; i < sizeof(why) / sizeof(why[0]); i++)
		if (!strcmp(why[i].name, x->name))
			return script_fatal(x->r, &x->a[0].loc, ":%s needs the router: %s", x->name, why[i].why);
	return script_fatal(x->r, &x->a[0].loc, ":%s is a RouterOS scripting command rosfw does not run", x->name);
}

/* :typeof :len :pick :find :to* :nothing: functions of values. */
static enum sst cmd_func(struct ctx *x)
{
	struct run *r = x->r;
	struct sval a, b = sv_nothing(), c = sv_nothing(), res = sv_nothing();
	const char *f = x->name;
	enum sst st;

	if ((st = arg_value(r, arg_pos(x->a, x->n, 0), &a)) != SST_OK)
		return st;
	if ((st = arg_value(r, arg_pos(x->a, x->n, 1), &b)) != SST_OK ||
	    (st = arg_value(r, arg_pos(x->a, x->n, 2), &c)) != SST_OK)
		goto out;
	if (!strcmp(f, "typeof")) {
		res = sv_str(sv_typeof(&a), strlen(sv_typeof(&a)));
	} else if (!strcmp(f, "len")) {
		size_t n;
		char *t;

		if (a.t == SV_ARRAY) {
			res = sv_num((int64_t)a.u.a->n);
		} else {
			t = sv_text(&a, &n);
			res = sv_num((int64_t)n);
			free(t);
		}
	} else if (!strcmp(f, "pick")) {
		struct sval s = sv_to_num(&b), e = sv_to_num(&c);
		int64_t from = s.t == SV_NUM ? s.u.n : 0, len;

		if (a.t == SV_ARRAY) {
			int64_t to = e.t == SV_NUM ? e.u.n : from + 1, i;

			len = (int64_t)a.u.a->n;
			if (from < 0)
				from = 0;
			if (to > len)
				to = len;
			if (c.t == SV_NOTHING && from < len) {
				res = sv_copy(&a.u.a->v[from].v);
			} else {
				res = sv_array();
				for (i = from; i < to; i++)
					sa_push(res.u.a, sv_copy(&a.u.a->v[i].v));
			}
		} else {
			size_t n;
			char *t = sv_text(&a, &n);
			int64_t to = e.t == SV_NUM ? e.u.n : from + 1;

			len = (int64_t)n;
			if (from < 0)
				from = 0;
			if (to > len)
				to = len;
			res = from < to ? sv_str(t + from, (size_t)(to - from)) : sv_str("", 0);
			free(t);
		}
	} else if (!strcmp(f, "find")) {
		struct sval s = sv_to_num(&c);
		int64_t from = s.t == SV_NUM ? s.u.n + 1 : 0, i;

		if (a.t == SV_ARRAY) {
			for (i = from < 0 ? 0 : from; i < (int64_t)a.u.a->n; i++) {
				if (sv_equal(&a.u.a->v[i].v, &b)) {
					res = sv_num(i);
					break;
				}
			}
		} else {
			size_t hn, nn;
			char *h = sv_text(&a, &hn), *nd = sv_text(&b, &nn);

			for (i = from < 0 ? 0 : from; i + (int64_t)nn <= (int64_t)hn; i++) {
				if (!memcmp(h + i, nd, nn)) {
					res = sv_num(i);
					break;
				}
			}
			free(h);
			free(nd);
		}
	} else if (!strcmp(f, "tostr")) {
		res = sv_to_str(&a);
	} else if (!strcmp(f, "tonum")) {
		res = sv_to_num(&a);
	} else if (!strcmp(f, "toip")) {
		res = sv_to_ip(&a);
	} else if (!strcmp(f, "toip6")) {
		res = sv_to_ip6(&a);
	} else if (!strcmp(f, "totime")) {
		res = sv_to_time(&a);
	} else if (!strcmp(f, "tobool")) {
		res = sv_to_bool(&a);
	} else if (!strcmp(f, "toarray")) {
		res = sv_to_array(&a);
	} else if (!strcmp(f, "nothing")) {
		res = sv_nothing();
	}
	sv_free(x->out);
	*x->out = res;
out:
	sv_free(&a);
	sv_free(&b);
	sv_free(&c);
	return st;
}

/* :parse "text": code of its own, a source diagnostics can quote. */
static enum sst cmd_parse(struct ctx *x)
{
	struct sval v;
	enum sst st = arg_value(x->r, arg_pos(x->a, x->n, 0), &v);
	struct scode code;
	char name[256], *t;
	size_t n;
	const char *buf;

	if (st != SST_OK)
		return st;
	t = sv_text(&v, &n);
	sv_free(&v);
	snprintf(name, sizeof(name), "%s:%u:%u (:parse)", diag_source_name(x->r->m->d, x->a[0].loc.file),
		 (unsigned)x->a[0].loc.line, (unsigned)x->a[0].loc.col);
	code.file = diag_add_source_copy(x->r->m->d, name, t, n);
	free(t);
	buf = diag_source_at(x->r->m->d, code.file, 1, 1, &n);
	code.text = buf ? buf : "";
	code.len = buf ? n : 0;
	code.line = code.col = 1;
	sv_free(x->out);
	*x->out = sv_code(&code);
	return SST_OK;
}

static enum sst cmd_time(struct ctx *x)
{
	struct sval code, v = sv_nothing(), t = { .t = SV_TIME };
	struct scope sc = { NULL, x->r->sc };
	enum sst st = need_code(x->r, &x->a[0], arg_pos(x->a, x->n, 0), "a block", &code);

	if (st != SST_OK)
		return st;
	st = run_body(x->r, &code, &sc, &v);
	scope_end(&sc);
	sv_free(&v);
	sv_free(&code);
	sv_free(x->out);
	*x->out = t;
	return st;
}

static const struct {
	const char *name;
	enum sst (*run)(struct ctx *x);
	int arg;
} script_cmds[] = {
	{ "beep", cmd_nop, 0 },	      { "delay", cmd_nop, 0 },	    { "do", cmd_do, 0 },
	{ "environment", cmd_refuse, 0 }, { "error", cmd_error, 0 }, { "execute", cmd_refuse, 0 },
	{ "find", cmd_func, 0 },      { "for", cmd_for, 0 },	    { "foreach", cmd_foreach, 0 },
	{ "global", NULL, 'g' },      { "if", cmd_if, 0 },	    { "jobname", cmd_refuse, 0 },
	{ "len", cmd_func, 0 },	      { "local", NULL, 'l' },	    { "log", cmd_put, 0 },
	{ "nothing", cmd_func, 0 },   { "onerror", cmd_onerror, 0 }, { "parse", cmd_parse, 0 },
	{ "pick", cmd_func, 0 },      { "put", cmd_put, 0 },	    { "resolve", cmd_refuse, 0 },
	{ "retry", cmd_refuse, 0 },   { "return", cmd_return, 0 },  { "rndnum", cmd_refuse, 0 },
	{ "rndstr", cmd_refuse, 0 },  { "set", cmd_set, 0 },	    { "terminal", cmd_refuse, 0 },
	{ "time", cmd_time, 0 },      { "toarray", cmd_func, 0 },   { "tobool", cmd_func, 0 },
	{ "toip", cmd_func, 0 },      { "toip6", cmd_func, 0 },	    { "tonum", cmd_func, 0 },
	{ "tostr", cmd_func, 0 },     { "totime", cmd_func, 0 },    { "typeof", cmd_func, 0 },
	{ "while", cmd_while, 0 },
};

static enum sst script_cmd(struct run *r, const struct arg *a, size_t n, const char *name, size_t nn,
			   struct sval *out)
{
	char buf[32];
	size_t i;
	struct ctx x = { r, a, n, buf, out };

	if (nn >= sizeof(buf))
		nn = sizeof(buf) - 1;
	memcpy(buf, name, nn);
	buf[nn] = '\0';
	for (i = 0; i < sizeof(script_cmds) / sizeof(script_cmds[0]); i++) {
		if (strcmp(script_cmds[i].name, buf))
			continue;
		if (!script_cmds[i].run)
			return cmd_var(&x, script_cmds[i].arg);
		return script_cmds[i].run(&x);
	}
	return script_err(r, &a[0].loc, "unknown scripting command :%s", buf);
}

/* ---- menu commands -------------------------------------------------------- */

/* A value as a menu's property takes it: an array is its elements joined
 * by ',' (ports, lists), ids are "*1f". */
/* An id [/interface find] gave: the interface record's index, marked. */
#define IFACE_ID 0x80000000u

static void id_append(const struct model *m, struct sbuf *b, const struct sval *v)
{
	const struct miface *f;
	size_t n = model_ifaces(m, &f);

	if (v->t == SV_ID && (v->u.id & IFACE_ID) && (v->u.id & ~IFACE_ID) < n)
		sbuf_puts(b, f[v->u.id & ~IFACE_ID].name);
	else
		sv_append(b, v);
}

static bool is_item_id(const struct sval *v)
{
	return v->t == SV_ID && !(v->u.id & IFACE_ID);
}

static char *prop_text(const struct model *m, const struct sval *v, size_t *len, bool *ids)
{
	struct sbuf b = { 0 };
	size_t i;

	*ids = is_item_id(v) || v->t == SV_ARRAY;
	if (v->t != SV_ARRAY) {
		id_append(m, &b, v);
	} else {
		for (i = 0; i < v->u.a->n; i++) {
			if (i)
				sbuf_put(&b, ",", 1);
			id_append(m, &b, &v->u.a->v[i].v);
			*ids &= is_item_id(&v->u.a->v[i].v);
		}
	}
	if (!b.p)
		sbuf_put(&b, "", 0);
	*len = b.len;
	return b.p;
}

/* `!keepalive`: a verbose export's unset property (lexer.l's rule). */
static bool word_is_unset(const char *t, size_t n)
{
	size_t i;

	if (n < 2 || t[0] != '!' || !(t[1] >= 'a' && t[1] <= 'z'))
		return false;
	for (i = 2; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '-'))
			return false;
	return true;
}

/* The command's items as the parser would have made them of the values. */
struct built {
	struct ast_cmd cmd;
	struct ast_item *items;
	char **texts;
	size_t ntexts;
};

static void built_free(struct built *b)
{
	size_t i;

	for (i = 0; i < b->ntexts; i++)
		free(b->texts[i]);
	free(b->texts);
	free(b->items);
}

static enum sst build(struct run *r, const struct arg *a, size_t n, struct built *b)
{
	size_t i, k = 0;
	enum sst st;

	memset(b, 0, sizeof(*b));
	b->items = xcalloc(n + 1, sizeof(*b->items));
	b->texts = xcalloc(n, sizeof(*b->texts));
	for (i = 0; i < n; i++) {
		struct ast_item *it = &b->items[k];
		struct sval v;
		bool ids;
		bool quoted = a[i].v.p < a[i].v.end && *a[i].v.p == '"';

		if (i == 0 && a[i].v.p < a[i].v.end && *a[i].v.p == '/' && !a[i].name) {
			it->kind = IT_SLASH;
			it->text = "/";
			it->len = 1;
			it->loc = it->vloc = a[i].loc;
			it->loc.last_col = it->loc.col;
			k++;
			it = &b->items[k];
			if (a[i].v.end - a[i].v.p == 1)
				continue;
			{
				struct cur c = a[i].v;

				cur_adv(&c, 1);
				if ((st = eval(r, c, VM_TEXT, &v)) != SST_OK)
					return st;
			}
		} else if ((st = eval(r, a[i].v, VM_TEXT, &v)) != SST_OK) {
			return st;
		}
		b->texts[b->ntexts] = prop_text(r->m, &v, &it->len, &ids);
		it->text = b->texts[b->ntexts++];
		sv_free(&v);
		it->loc = a[i].loc;
		it->vloc = a[i].vloc;
		if (a[i].name) {
			it->kind = IT_PROP;
			it->name = a[i].name;
			it->name_len = a[i].nlen;
			it->flags = (a[i].neg ? VF_NE : 0) | (a[i].op == '~' ? VF_REGEX : 0);
		} else {
			it->kind = quoted ? IT_STRING : IT_WORD;
			if (!quoted && word_is_unset(it->text, it->len))
				it->flags |= VF_UNSET;
		}
		if (ids)
			it->flags |= VF_IDS;
		if (quoted)
			it->flags |= VF_QUOTED;
		k++;
	}
	for (i = 0; i + 1 < k; i++)
		b->items[i].next = &b->items[i + 1];
	b->cmd.items = k ? b->items : NULL;
	b->cmd.nitems = k;
	b->cmd.loc = a[0].loc;
	b->cmd.loc.last_line = a[n - 1].loc.last_line;
	b->cmd.loc.last_col = a[n - 1].loc.last_col;
	return SST_OK;
}

static const struct ast_item *item_prop(const struct ast_item *it, const char *name)
{
	for (; it; it = it->next)
		if (it->kind == IT_PROP && text_eq(it->name, it->name_len, name))
			return it;
	return NULL;
}

/* ---- address-list duplicates --------------------------------------------- */

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* list and address as RouterOS tells entries apart (1.2.3.4 is 1.2.3.4/32). */
static char *dup_key(const char *list, size_t ln, const char *addr, size_t an)
{
	char *k;

	if (an > 3 && !memcmp(addr + an - 3, "/32", 3) && !memchr(addr, ':', an))
		an -= 3;
	else if (an > 4 && !memcmp(addr + an - 4, "/128", 4))
		an -= 4;
	k = xmalloc(ln + an + 2);
	memcpy(k, list, ln);
	k[ln] = '\n';
	memcpy(k + ln + 1, addr, an);
	k[ln + an + 1] = '\0';
	return k;
}

static bool dup_has(struct dupidx *x, const char *k, bool add)
{
	size_t i;

	if (add && (x->n + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024, j;
		char **old = x->slot;

		x->slot = xcalloc(cap, sizeof(*x->slot));
		for (j = 0; j < x->cap; j++) {
			if (!old[j])
				continue;
			for (i = hash(old[j], strlen(old[j])) & (cap - 1); x->slot[i]; i = (i + 1) & (cap - 1))
				;
			x->slot[i] = old[j];
		}
		free(old);
		x->cap = cap;
	}
	if (!x->cap)
		return false;
	for (i = hash(k, strlen(k)) & (x->cap - 1); x->slot[i]; i = (i + 1) & (x->cap - 1))
		if (!strcmp(x->slot[i], k))
			return true;
	if (add) {
		x->slot[i] = xstrdup(k);
		x->n++;
	}
	return false;
}

static void dup_clear(struct dupidx *x)
{
	size_t i;

	for (i = 0; i < x->cap; i++)
		free(x->slot[i]);
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

static struct dupidx *dup_index(struct run *r, enum menu_kind k)
{
	struct dupidx *x = &r->S->dup[k == MK_ADDRLIST6];
	size_t i;

	if (x->valid && x->count == model_count(r->m, k) && x->gen == r->m->gen[k])
		return x;
	dup_clear(x);
	for (i = 0; i < model_count(r->m, k); i++) {
		const struct mitem *it = model_item(r->m, k, i);
		const char *l = mitem_value(it, k, P_LIST), *a = mitem_value(it, k, P_ADDRESS);
		char *key;

		if (!l || !a)
			continue;
		key = dup_key(l, strlen(l), a, strlen(a));
		dup_has(x, key, true);
		free(key);
	}
	x->valid = true;
	x->count = model_count(r->m, k);
	x->gen = r->m->gen[k];
	return x;
}

/* ---- queries: find, get, print ------------------------------------------- */

static enum sst query_find(struct run *r, enum menu_kind k, const struct walk *w, struct sval *out)
{
	struct sel s = { 0 };
	size_t i;

	if (!exec_find(r->m, k, w->args, &s)) {
		sel_free(&s);
		return SST_ERR;
	}
	*out = sv_array();
	for (i = 0; i < s.n; i++) {
		struct sval id = { .t = SV_ID };

		id.u.id = model_item(r->m, k, s.v[i])->id;
		sa_push(out->u.a, id);
	}
	sel_free(&s);
	return SST_OK;
}

static struct sval prop_sval(const struct mitem *it, enum menu_kind k, const struct prop_def *def)
{
	const char *v = mitem_value(it, k, def->id);

	return v ? sv_str(v, strlen(v)) : sv_nothing();
}

static enum sst query_get(struct run *r, enum menu_kind k, const struct walk *w, const struct loc *loc,
			  struct sval *out)
{
	const struct ast_item *sel = NULL, *name = NULL, *it;
	struct sel s = { 0 };
	char buf[96];
	const struct prop_def *def;
	const struct mitem *item;

	for (it = w->args; it; it = it->next) {
		if (it->kind == IT_PROP && text_eq(it->name, it->name_len, "number"))
			sel = it;
		else if (it->kind == IT_PROP && text_eq(it->name, it->name_len, "value-name"))
			name = it;
		else if (!sel && !menu_kind_is_settings(k))
			sel = it;
		else if (!name)
			name = it;
	}
	if (!menu_kind_is_settings(k) && !sel)
		return script_err(r, loc, "get needs an item: an id from [find], a number or a name");
	if (menu_kind_is_settings(k))
		sel_add(&s, 0);
	else if (!exec_select(r->m, k, sel, &s)) {
		sel_free(&s);
		return SST_ERR;
	}
	if (!s.n) {
		sel_free(&s);
		return script_err(r, loc, "get: no such item");
	}
	item = model_item(r->m, k, s.v[0]);
	sel_free(&s);
	if (!name) {
		size_t i;

		/* every property, as key=value */
		*out = sv_array();
		for (i = 0; i < item->nprops; i++) {
			const struct prop_def *d = prop_def(item->props[i].id);

			sa_set(out->u.a, d->name, strlen(d->name), sv_str(item->props[i].value, mprop_len(&item->props[i])));
		}
		sa_set(out->u.a, "disabled", 8, sv_bool(item->disabled));
		return SST_OK;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)name->len, name->text);
	if (!strcmp(buf, "disabled")) {
		*out = sv_bool(item->disabled);
		return SST_OK;
	}
	if (!strcmp(buf, ".id")) {
		out->t = SV_ID;
		out->u.id = item->id;
		return SST_OK;
	}
	if (!(def = prop_lookup(k, buf)))
		return script_err(r, &name->loc, "get: %s has no property \"%s\"", menu_kind_path(k), buf);
	*out = prop_sval(item, k, def);
	return SST_OK;
}

static enum sst query_print(struct run *r, enum menu_kind k, const struct walk *w, struct sval *out)
{
	struct ast_item *args = NULL, **tail = &args, *copy;
	const struct ast_item *it;
	bool count = false, as_value = false;
	struct sel s = { 0 };
	enum sst st = SST_OK;
	size_t i, j, n = 0;

	for (it = w->args; it; it = it->next)
		n++;
	copy = xcalloc(n ? n : 1, sizeof(*copy));
	for (it = w->args, i = 0; it; it = it->next) {
		if (it->kind == IT_WORD && text_eq(it->text, it->len, "count-only")) {
			count = true;
		} else if (it->kind == IT_WORD && text_eq(it->text, it->len, "as-value")) {
			as_value = true;
		} else if (it->kind == IT_WORD && (text_eq(it->text, it->len, "terse") || text_eq(it->text, it->len, "detail"))) {
			continue;
		} else {
			copy[i] = *it;
			copy[i].next = NULL;
			*tail = &copy[i];
			tail = &copy[i].next;
			i++;
		}
	}
	if (!count && !as_value) {
		free(copy);
		return SST_OK;	/* print shows; nothing changes */
	}
	if (!exec_find(r->m, k, args, &s))
		st = SST_ERR;
	else if (count)
		*out = sv_num((int64_t)s.n);
	else {
		*out = sv_array();
		for (i = 0; i < s.n; i++) {
			const struct mitem *item = model_item(r->m, k, s.v[i]);
			struct sval e = sv_array(), id = { .t = SV_ID };

			id.u.id = item->id;
			sa_set(e.u.a, ".id", 3, id);
			for (j = 0; j < item->nprops; j++) {
				const struct prop_def *d = prop_def(item->props[j].id);

				sa_set(e.u.a, d->name, strlen(d->name),
				       sv_str(item->props[j].value, mprop_len(&item->props[j])));
			}
			sa_push(out->u.a, e);
		}
	}
	sel_free(&s);
	free(copy);
	return st;
}

/* ---- interfaces ------------------------------------------------------------ */

/* Whether record i still names an interface: no later record renamed it
 * or took its name. */
static bool iface_live(const struct miface *f, size_t n, size_t i)
{
	size_t j;

	for (j = i + 1; j < n; j++)
		if ((f[j].old_name && !strcmp(f[j].old_name, f[i].name)) || !strcmp(f[j].name, f[i].name))
			return false;
	return true;
}

/*
 * [/interface find], [/interface ethernet find default-name=ether1]: the
 * interfaces the configuration has made or renamed up to here; rosfw knows
 * no other (the router's own ports are the interface map's, at lowering).
 */
static enum sst query_iface_find(struct run *r, const struct walk *w, struct sval *out)
{
	const struct miface *f;
	size_t n = model_ifaces(r->m, &f), i;
	const struct ast_item *it, *name = NULL, *dflt = NULL;
	char path[160];
	bool all;

	menu_path(w->at.node, path, sizeof(path));
	all = !strcmp(path, "/interface");
	for (it = w->args; it; it = it->next) {
		if (it->kind == IT_WORD && (text_eq(it->text, it->len, "where") || text_eq(it->text, it->len, "and")))
			continue;
		if (it->kind == IT_PROP && !(it->flags & (VF_NE | VF_REGEX)) && text_eq(it->name, it->name_len, "name"))
			name = it;
		else if (it->kind == IT_PROP && !(it->flags & (VF_NE | VF_REGEX)) &&
			 text_eq(it->name, it->name_len, "default-name"))
			dflt = it;
		else
			return script_fatal(r, &it->loc, "find in %s: rosfw knows interfaces by name= and default-name= only; the rest needs the router",
					    path);
	}
	*out = sv_array();
	for (i = 0; i < n; i++) {
		struct sval id = { .t = SV_ID };

		if ((!all && strcmp(f[i].menu, path)) || !iface_live(f, n, i))
			continue;
		if (name && !text_eq(name->text, name->len, f[i].name))
			continue;
		if (dflt && !(f[i].by_default_name && f[i].old_name && text_eq(dflt->text, dflt->len, f[i].old_name)))
			continue;
		id.u.id = IFACE_ID | (uint32_t)i;
		sa_push(out->u.a, id);
	}
	/* "which ports has this router?" (the default configuration waits
	 * for them in a loop): only the router can say */
	if (!name && !dflt && !out->u.a->n && !all) {
		sv_free(out);
		return script_fatal(r, &w->verb_loc, "find in %s needs the router's hardware: the configuration names none of its interfaces, and rosfw knows no others",
				    path);
	}
	return SST_OK;
}

static enum sst query_iface_get(struct run *r, const struct walk *w, const struct loc *loc, struct sval *out)
{
	const struct miface *f;
	size_t n = model_ifaces(r->m, &f), i;
	const struct ast_item *sel = w->args, *prop = sel ? sel->next : NULL;

	if (!sel || !prop)
		return script_err(r, loc, "get needs an interface and a property");
	for (i = n; i-- > 0;)
		if (text_eq(sel->text, sel->len, f[i].name) && iface_live(f, n, i))
			break;
	if (i == (size_t)-1)
		return script_fatal(r, &sel->loc, "get: rosfw knows no interface \"%.*s\" (only those the configuration makes or renames)",
				    (int)sel->len, sel->text);
	if (text_eq(prop->text, prop->len, "name"))
		*out = sv_str(f[i].name, strlen(f[i].name));
	else if (text_eq(prop->text, prop->len, "default-name") && f[i].by_default_name && f[i].old_name)
		*out = sv_str(f[i].old_name, strlen(f[i].old_name));
	else
		return script_fatal(r, &prop->loc, "get: rosfw knows an interface's name and default-name only; %.*s needs the router",
				    (int)prop->len, prop->text);
	return SST_OK;
}

/* ---- /import -------------------------------------------------------------- */

static enum sst run_import(struct run *r, const struct walk *w, const struct loc *loc)
{
	const struct ast_item *f = NULL, *it;
	const char *from = diag_source_name(r->m->d, loc->file), *slash = strrchr(from, '/');
	char *path;
	FILE *fp;
	struct sbuf b = { 0 };
	char chunk[65536];
	size_t n, i;
	uint32_t file;
	struct cwd saved = r->m->cwd;
	struct scope saved_file = r->S->file;

	for (it = w->args; it; it = it->next)
		if (!f || (it->kind == IT_PROP && text_eq(it->name, it->name_len, "file-name")))
			f = it;
	if (!f || !f->len)
		return script_err(r, loc, "import needs a file name");
	/* FILE is read beside the importing file: the router reads it from
	 * its own disk, where the importing script sat too. */
	if (f->text[0] == '/' || !slash)
		path = xstrndup(f->text, f->len);
	else {
		path = xmalloc((size_t)(slash - from) + f->len + 2);
		snprintf(path, (size_t)(slash - from) + f->len + 2, "%.*s/%.*s", (int)(slash - from), from, (int)f->len,
			 f->text);
	}
	for (i = 0; i < r->S->nimported; i++) {
		if (!strcmp(r->S->imported[i], path)) {
			diag_warning(r->m->d, loc, "%s was imported before: rosfw runs each imported file once", path);
			free(path);
			return SST_OK;
		}
	}
	if (r->S->imports >= 16) {
		free(path);
		return script_fatal(r, loc, "imports nested too deep");
	}
	if (!(fp = fopen(path, "rb"))) {
		enum sst st = script_err(r, loc, "import: %s: %s (rosfw reads FILE beside the importing file)", path,
					 strerror(errno));

		free(path);
		return st;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sbuf_put(&b, chunk, n);
	fclose(fp);
	r->S->imported = xreallocarray(r->S->imported, r->S->nimported + 1, sizeof(*r->S->imported));
	r->S->imported[r->S->nimported++] = path;
	file = diag_add_source_copy(r->m->d, path, b.p ? b.p : "", b.len);
	sbuf_free(&b);
	{
		const char *buf;
		size_t len = 0;

		buf = diag_source_at(r->m->d, file, 1, 1, &len);
		r->S->file.vars = NULL;
		r->S->imports++;
		model_run(r->m, file, buf ? buf : "", buf ? len : 0);
		r->S->imports--;
		vars_free(r->S->file.vars);
		r->S->file = saved_file;
		r->m->cwd = saved;
	}
	return SST_OK;
}

/* ---- statements ----------------------------------------------------------- */

static bool path_is(const struct walk *w, const char *path)
{
	char p[160];

	if (w->at.foreign)
		snprintf(p, sizeof(p), "%s", w->at.path);
	else
		menu_path(w->at.node, p, sizeof(p));
	return !strncmp(p, path, strlen(path));
}

/* Refusals of what needs the router or the network. */
static bool needs_router(struct run *r, const struct walk *w, const struct loc *loc, enum sst *st)
{
	static const struct {
		const char *path, *why;
		bool asking;	/* refused only for what asks: get, find, print */
	} refused[] = {
		{ "/tool fetch", "it downloads from the network when the script runs; download the file and give it to rosfw", false },
		{ "/system script run", "it runs a script stored on the router", false },
		{ "/system script environment", "it reads the router's running scripts", false },
		{ "/interface wireless", "it asks the router's wireless hardware", true },
		{ "/system routerboard", "it asks the router's hardware", true },
		{ "/system resource", "it asks the router's hardware", true },
		{ "/system identity", "it asks the router", true },
		{ "/system clock", "it asks the router's clock", true },
	};
	size_t i;
	bool asking = w->verb && (w->verb_id == V_GET || w->verb_id == V_FIND || w->verb_id == V_PRINT);

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (path_is(w, refused[i].path) && (!refused[i].asking || asking) && !(r->quiet && refused[i].asking)) {
			*st = script_fatal(r, loc, "%s needs the router: %s", refused[i].path, refused[i].why);
			return true;
		}
	}
	return false;
}

static bool plain_word(const struct arg *a)
{
	const char *p;

	for (p = a->v.p; p < a->v.end; p++)
		if (strchr("$[(\"{\\", *p))
			return false;
	return a->v.p < a->v.end;
}

/* The menu a command's values run in: `remove [find ...]` finds in the
 * command's menu, as on RouterOS. */
static struct cwd eval_cwd(struct run *r, const struct arg *a, size_t n)
{
	struct diag_mark mk = diag_mark(r->m->d);
	struct cwd at = *r->cwd;
	struct built pb;
	struct walk w;
	size_t np = 0;

	while (np < n && !a[np].name && plain_word(&a[np]))
		np++;
	if (!np || np == n)
		return at;
	if (build(r, a, np, &pb) == SST_OK && pb.cmd.items && exec_walk(r->m, &pb.cmd, r->cwd, &w))
		at = w.at;
	built_free(&pb);
	diag_rollback(r->m->d, &mk);
	return at;
}

static enum sst menu_cmd(struct run *r, const struct arg *a, size_t n, struct sval *out)
{
	struct built b;
	struct walk w;
	enum sst st;
	enum menu_kind k;
	unsigned errors;
	const struct arg *block = NULL;
	char *dkey = NULL;
	struct dupidx *dx = NULL;

	if (n > 1 && !a[n - 1].name && a[n - 1].v.p < a[n - 1].v.end && *a[n - 1].v.p == '{') {
		block = &a[n - 1];
		n--;
	}
	{
		struct cwd ecwd = eval_cwd(r, a, n), *saved = r->cwd;
		bool quiet = r->quiet;

		r->cwd = &ecwd;
		r->quiet |= ecwd.foreign;
		st = build(r, a, n, &b);
		r->cwd = saved;
		r->quiet = quiet;
	}
	if (st != SST_OK) {
		built_free(&b);
		return st;
	}
	errors = diag_errors(r->m->d);
	if (!b.cmd.items || !exec_walk(r->m, &b.cmd, r->cwd, &w)) {
		built_free(&b);
		return b.cmd.items ? SST_ERR : SST_OK;
	}
	k = menu_kind(w.at.node);
	if (r->quiet && w.at.foreign) {
		/* inside a command rosfw passes over */
		built_free(&b);
		return SST_OK;
	}
	if (needs_router(r, &w, &a[0].loc, &st)) {
		built_free(&b);
		return st;
	}
	if (block) {
		/* /ip firewall filter { add ...; add ... } */
		struct run inner = *r;
		struct cwd at = w.at;
		struct cur c;
		struct scope sc = { NULL, r->sc };
		struct sval v = sv_nothing();
		struct ast_cmd none = { .loc = a[0].loc };

		built_free(&b);
		if (w.verb || w.args)
			return script_err(r, &block->loc, "a block {...} after a command");
		if (w.at.foreign)
			exec_walked(r->m, &none, &w, &at);
		c = block->v;
		cur_adv(&c, 1);
		c.end = block->v.end - 1;
		inner.cwd = &at;
		inner.sc = &sc;
		if ((st = script_enter(r, &block->loc)) == SST_OK) {
			st = run_stmts(&inner, c, &v);
			script_leave(r);
		}
		if (st == SST_RET)
			r->ret = inner.ret;
		scope_end(&sc);
		sv_free(&v);
		return st;
	}
	if (w.verb && !w.at.foreign && k != MK_NONE && k != MK_INTERFACE &&
	    (w.verb_id == V_FIND || w.verb_id == V_GET || w.verb_id == V_PRINT)) {
		st = w.verb_id == V_FIND ? query_find(r, k, &w, out) :
		     w.verb_id == V_GET ? query_get(r, k, &w, &a[0].loc, out) : query_print(r, k, &w, out);
		if (st == SST_ERR && r->stack)
			stack_note(r, &a[0].loc);
		built_free(&b);
		return st;
	}
	if (w.verb && !w.at.foreign && k == MK_INTERFACE && (w.verb_id == V_FIND || w.verb_id == V_GET)) {
		st = w.verb_id == V_FIND ? query_iface_find(r, &w, out) : query_iface_get(r, &w, &a[0].loc, out);
		built_free(&b);
		return st;
	}
	if (w.verb && (w.verb_id == V_FIND || w.verb_id == V_GET) && r->quiet) {
		built_free(&b);
		return SST_OK;
	}
	if (w.verb && (w.verb_id == V_FIND || w.verb_id == V_GET)) {
		char p[160];

		if (w.at.foreign)
			snprintf(p, sizeof(p), "%s", w.at.path);
		else
			menu_path(w.at.node, p, sizeof(p));
		built_free(&b);
		return script_fatal(r, &w.verb_loc, "%s in %s needs the router: rosfw does not keep that menu's items",
				    menu_verb_name(w.verb_id), p);
	}
	if (w.verb && w.verb_id == V_IMPORT) {
		st = run_import(r, &w, &a[0].loc);
		built_free(&b);
		return st;
	}
	if (w.verb && w.verb_id == V_ADD && (k == MK_ADDRLIST4 || k == MK_ADDRLIST6) && !w.at.foreign) {
		const struct ast_item *l = item_prop(w.args, "list"), *ad = item_prop(w.args, "address");

		if (l && ad && ad->len && l->len) {
			dx = dup_index(r, k);
			dkey = dup_key(l->text, l->len, ad->text, ad->len);
			if (dup_has(dx, dkey, false)) {
				st = script_err(r, &b.cmd.loc, "failure: already have such entry (%.*s in address list %.*s)",
						(int)ad->len, ad->text, (int)l->len, l->text);
				free(dkey);
				built_free(&b);
				return st;
			}
		}
	}
	{
		size_t before = k != MK_NONE ? model_count(r->m, k) : 0;
		uint32_t next = r->m->next_id;

		exec_walked(r->m, &b.cmd, &w, r->cwd);
		if (diag_errors(r->m->d) > errors) {
			if (r->stack)
				stack_note(r, &a[0].loc);
			free(dkey);
			built_free(&b);
			return SST_ERR;
		}
		if (dkey) {
			dup_has(dx, dkey, true);
			dx->count = model_count(r->m, k);
		}
		if (w.verb && w.verb_id == V_ADD && k != MK_NONE && model_count(r->m, k) > before &&
		    r->m->next_id > next) {
			sv_free(out);
			out->t = SV_ID;
			out->u.id = r->m->next_id;
		}
	}
	free(dkey);
	built_free(&b);
	return SST_OK;
}

/* $f a=1 b: a call, with $1, $2 ... and the named arguments. */
static enum sst run_code(struct run *r, const struct scode *code, const char *what, const struct loc *at,
			 const struct arg *args, size_t nargs, struct sval *out)
{
	struct scope sc = { NULL, NULL };
	struct frame f = { what, *at, r->stack };
	struct run inner = *r;
	struct cwd cwd = *r->cwd;
	struct cur c = { code->text, code->text + code->len, code->file, code->line, code->col };
	size_t i, pos = 1;
	enum sst st = SST_OK;

	for (i = 0; i < nargs && st == SST_OK; i++) {
		struct sval v;
		char num[24];

		if ((st = eval(r, args[i].v, VM_TYPED, &v)) != SST_OK)
			break;
		if (args[i].name) {
			set_var(&sc.vars, args[i].name, args[i].nlen, v);
		} else {
			snprintf(num, sizeof(num), "%zu", pos++);
			set_var(&sc.vars, num, strlen(num), v);
		}
	}
	if (st == SST_OK) {
		inner.sc = &sc;
		inner.stack = &f;
		inner.cwd = &cwd;
		inner.ret = sv_nothing();
		if ((st = script_enter(r, at)) == SST_OK) {
			st = run_stmts(&inner, c, out);
			script_leave(r);
		}
		if (st == SST_RET) {
			sv_free(out);
			*out = inner.ret;
			st = SST_OK;
		}
	}
	scope_end(&sc);
	return st;
}

/* `do {...}`, `else {...}`: RouterOS takes the block without '='. */
static size_t fold_blocks(struct arg *a, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (i + 1 < n && !a[i].name && !a[i + 1].name && a[i + 1].v.p < a[i + 1].v.end && *a[i + 1].v.p == '{' &&
		    (text_eq(a[i].v.p, (size_t)(a[i].v.end - a[i].v.p), "do") ||
		     text_eq(a[i].v.p, (size_t)(a[i].v.end - a[i].v.p), "else") ||
		     text_eq(a[i].v.p, (size_t)(a[i].v.end - a[i].v.p), "on-error")) && i > 0) {
			struct arg word = a[i];

			a[k] = a[i + 1];
			a[k].name = word.v.p;
			a[k].nlen = (size_t)(word.v.end - word.v.p);
			a[k].op = '=';
			a[k].loc.line = word.loc.line;
			a[k].loc.col = word.loc.col;
			k++;
			i++;
			continue;
		}
		a[k++] = a[i];
	}
	return k;
}

static enum sst run_stmt(struct run *r, struct cur *c, struct sval *out)
{
	struct arg a[MAX_ARGS];
	size_t n = 0;
	enum sst st;
	struct loc at = cur_loc(c);
	const struct arg *first;
	const char *w;
	size_t wn;

	*out = sv_nothing();
	if ((st = step(r, &at)) != SST_OK)
		return st;
	while (arg_scan(r, c, &a[n], &st)) {
		if (++n == MAX_ARGS) {
			return script_err(r, &a[n - 1].loc, "too many arguments in one command (at most %d)", MAX_ARGS - 1);
		}
	}
	if (st != SST_OK || !n)
		return st;
	n = fold_blocks(a, n);
	first = &a[0];
	w = first->v.p;
	wn = (size_t)(first->v.end - first->v.p);
	if (first->name)
		return menu_cmd(r, a, n, out);
	if (wn && *w == '{' && n == 1) {
		struct sval code;
		struct scope sc = { NULL, r->sc };

		if ((st = eval(r, first->v, VM_CODE, &code)) != SST_OK)
			return st;
		st = run_body(r, &code, &sc, out);
		scope_end(&sc);
		sv_free(&code);
		return st;
	}
	if (wn > 1 && *w == ':')
		return script_cmd(r, a, n, w + 1, wn - 1, out);
	if (wn && (*w == '$' || *w == '[' || *w == '(')) {
		struct sval v;
		char what[64];

		if ((st = eval(r, first->v, VM_TYPED, &v)) != SST_OK)
			return st;
		if (v.t == SV_CODE) {
			snprintf(what, sizeof(what), "%.*s", (int)(wn < 60 ? wn : 60), w);
			st = run_code(r, v.u.code, what, &first->loc, a + 1, n - 1, out);
			sv_free(&v);
			return st;
		}
		if (n > 1) {
			sv_free(&v);
			return script_err(r, &first->loc, "%.*s is not a function (it holds %s)", (int)wn, w, sv_typeof(&v));
		}
		*out = v;
		return SST_OK;
	}
	if (wn && *w != '/' && !memchr(w, '/', wn) && exec_word_is_script(r->cwd, w, wn))
		return script_cmd(r, a, n, w, wn, out);
	if (wn > 1 && *w == '/' && !memchr(w + 1, '/', wn - 1)) {
		/* `/do {...}`: the root's do */
		static const struct cwd root_probe;
		struct cwd root = root_probe;

		root.node = menu_root();
		if (exec_word_is_script(&root, w + 1, wn - 1))
			return script_cmd(r, a, n, w + 1, wn - 1, out);
	}
	return menu_cmd(r, a, n, out);
}

static enum sst run_stmts(struct run *r, struct cur c, struct sval *last)
{
	enum sst st = SST_OK;

	*last = sv_nothing();
	for (;;) {
		struct sval v;

		cur_skip_ws(&c, true);
		while (c.p < c.end && *c.p == ';') {
			cur_adv(&c, 1);
			cur_skip_ws(&c, true);
		}
		if (c.p >= c.end)
			return SST_OK;
		if (*c.p == '#') {
			while (c.p < c.end && *c.p != '\n')
				cur_adv(&c, 1);
			continue;
		}
		st = run_stmt(r, &c, &v);
		sv_free(last);
		*last = v;
		if (st != SST_OK)
			return st;
		if (c.p < c.end && *c.p != '\n' && *c.p != ';') {
			struct loc l = cur_loc(&c);

			return script_err(r, &l, "unexpected \"%c\"", *c.p);
		}
	}
}

enum sst script_subst(struct run *r, struct cur c, struct sval *out)
{
	return run_stmts(r, c, out);
}

enum sst script_array_literal(struct run *r, struct cur c, struct sval *out)
{
	enum sst st = SST_OK;

	*out = sv_array();
	for (;;) {
		struct arg a;
		struct sval v;

		cur_skip_ws(&c, true);
		while (c.p < c.end && *c.p == ';') {
			cur_adv(&c, 1);
			cur_skip_ws(&c, true);
		}
		if (c.p >= c.end)
			return SST_OK;
		if (!arg_scan(r, &c, &a, &st)) {
			if (st == SST_OK) {
				struct loc l = cur_loc(&c);

				st = script_err(r, &l, "unexpected \"%c\" in an array", *c.p);
			}
			break;
		}
		if ((st = eval(r, a.v, VM_TYPED, &v)) != SST_OK)
			break;
		if (a.name)
			sa_set(out->u.a, a.name, a.nlen, v);
		else
			sa_push(out->u.a, v);
	}
	sv_free(out);
	return st;
}

/* ---- the hooks exec.c calls ------------------------------------------------ */

static struct script *script_get(struct model *m)
{
	struct script *S = m->script;
	const char *e;

	if (S)
		return S;
	S = m->script = xcalloc(1, sizeof(*S));
	S->max_steps = SCRIPT_MAX_STEPS;
	S->max_mem = SCRIPT_MAX_MEMORY;
	if ((e = getenv("ROSFW_SCRIPT_STEPS")) && strtoul(e, NULL, 10))
		S->max_steps = strtoul(e, NULL, 10);
	if ((e = getenv("ROSFW_SCRIPT_MEMORY")) && strtoul(e, NULL, 10))
		S->max_mem = strtoul(e, NULL, 10);
	return S;
}

void script_file_begin(struct model *m)
{
	if (m->script && !m->script->imports) {
		vars_free(m->script->file.vars);
		m->script->file.vars = NULL;
	}
}

void script_free(struct script *S)
{
	size_t i;

	if (!S)
		return;
	vars_free(S->globals);
	vars_free(S->file.vars);
	dup_clear(&S->dup[0]);
	dup_clear(&S->dup[1]);
	for (i = 0; i < S->nimported; i++)
		free(S->imported[i]);
	free(S->imported);
	free(S->warned);
	free(S);
}

static bool words_script(const struct ast_cmd *c, const struct cwd *cwd);

static bool items_script(const struct ast_item *it)
{
	for (; it; it = it->next) {
		const struct ast_item *g = it->kind == IT_PROP ? it->group : it;

		if (it->kind == IT_SCRIPT || (it->flags & VF_VAR))
			return true;
		if (!g)
			continue;
		if (g->kind == IT_PAREN || (g->kind == IT_BLOCK && it->kind == IT_PROP))
			return true;
		if (g->kind == IT_BLOCK) {
			const struct ast_cmd *s;
			static const struct cwd root;

			for (s = g->stmts; s; s = s->next)
				if (words_script(s, &root))
					return true;
		}
		if (g->kind == IT_BRACKET) {
			/* [find ...] and [/path find ...] without scripting
			 * inside: the plain selector exec.c knows */
			const struct ast_item *w = g->sub ? g->sub->items : NULL;

			while (w && (w->kind == IT_SLASH ||
				     (w->kind == IT_WORD && !(w->len && w->len <= 4 && !memcmp(w->text, "find", w->len)))))
				w = w->next;
			if (!w || w->kind != IT_WORD || items_script(w->next))
				return true;
		}
	}
	return false;
}

static bool words_script(const struct ast_cmd *c, const struct cwd *cwd)
{
	const struct ast_item *it = c->items, *first;
	struct cwd root = { 0 };

	if (!it)
		return false;
	root.node = menu_root();
	if (!cwd->node)
		cwd = &root;
	first = it->kind == IT_SLASH ? it->next : it;
	if (first && first->kind == IT_WORD && first->len && !memchr(first->text, '/', first->len) &&
	    exec_word_is_script(it->kind == IT_SLASH ? &root : cwd, first->text, first->len))
		return true;
	for (; it; it = it->next)
		if (it->kind == IT_WORD && (text_eq(it->text, it->len, "import") || text_eq(it->text, it->len, "fetch") ||
					    (it->len > 7 && !memcmp(it->text + it->len - 7, "/import", 7))))
			return true;
	return items_script(c->items);
}

bool script_wants(const struct ast_cmd *c)
{
	static const struct cwd none;

	return words_script(c, &none);
}

void script_stmt(struct model *m, const struct ast_cmd *c, struct cwd *cwd)
{
	struct script *S = script_get(m);
	struct run r = { .S = S, .m = m, .sc = &S->file, .cwd = cwd };
	const char *p, *e;
	size_t left, left2;
	struct sval v = sv_nothing();
	struct cur cur;

	p = diag_source_at(m->d, c->loc.file, c->loc.line, c->loc.col, &left);
	e = diag_source_at(m->d, c->loc.file, c->loc.last_line, c->loc.last_col, &left2);
	if (!p || !e || e < p) {
		diag_error(m->d, &c->loc, "internal: the statement's text is not at hand");
		return;
	}
	cur.p = p;
	cur.end = e + (left2 ? 1 : 0);
	cur.file = c->loc.file;
	cur.line = c->loc.line;
	cur.col = c->loc.col;
	S->steps = 0;
	S->depth = 0;
	r.ret = sv_nothing();
	run_stmts(&r, cur, &v);
	sv_free(&v);
	sv_free(&r.ret);
}
