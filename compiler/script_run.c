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

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "model_impl.h"
#include "script_impl.h"
#include "text.h"
#include "xalloc.h"





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
	bool cmd_start = true;

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
		bool was_start = cmd_start;

		/* '#' where a command could start is a comment to the end of
		 * its line, as the scanner reads it: a quote, bracket or brace
		 * in it is no part of the group */
		if (cmd_start && ch == '#' && d) {
			while (c->p < c->end && *c->p != '\n')
				cur_adv(c, 1);
			continue;
		}
		cmd_start = ch == '{' || ch == '[' || ch == ';' || ch == '\n' ||
			    (was_start && (ch == ' ' || ch == '\t' || ch == '\r'));
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
			/* a line continuation goes on as it was */
			if (c->end - c->p >= 2 && (c->p[1] == '\n' || c->p[1] == '\r'))
				cmd_start = was_start;
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
void script_stack_note(struct run *r, const struct loc *loc)
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
static enum sst charge(struct run *r, const struct loc *loc, unsigned long n)
{
	struct script *S = r->S;
	size_t made = (script_mem_made() - S->made_charged) / SCRIPT_STEP_BYTES;

	S->made_charged += made * SCRIPT_STEP_BYTES;
	S->steps += made + n;
	S->run_steps += made + n;
	if (S->steps > S->max_steps)
		return script_fatal(r, loc, "the script ran more than %lu steps (statements, loop turns and KiB of values made) in one top-level statement: stopped (a loop that never ends?)",
				    S->max_steps);
	if (S->run_steps > S->max_steps * SCRIPT_RUN_STEPS) {
		S->spent = true;
		return script_fatal(r, loc, "the script ran more than %lu steps (statements, loop turns and KiB of values made) in all: stopped; no later statement that needs the interpreter runs",
				    S->max_steps * SCRIPT_RUN_STEPS);
	}
	return script_mem_check(r, loc, 0);
}

enum sst script_step(struct run *r, const struct loc *loc)
{
	return charge(r, loc, 1);
}

enum sst script_mem_check(struct run *r, const struct loc *loc, size_t extra)
{
	if (script_mem_stopped() || (r->S->max_mem && script_mem_used() + extra > r->S->max_mem))
		return script_fatal(r, loc, "the script's values hold more than %zu bytes: stopped", r->S->max_mem);
	return SST_OK;
}

/* ---- variables ---------------------------------------------------------- */

static size_t name_hash(const char *name, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*name++) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

/* The slot of `name` in the index: its var, or the empty slot it would
 * take. */
static struct var **var_slot(const struct vars *s, const char *name, size_t n)
{
	size_t i = name_hash(name, n) & (s->cap - 1);

	while (s->tab[i] && !(s->tab[i]->nlen == n && !memcmp(s->tab[i]->name, name, n)))
		i = (i + 1) & (s->cap - 1);
	return &s->tab[i];
}

struct var *script_var_find(const struct vars *s, const char *name, size_t n)
{
	struct var *v;

	if (s->tab)
		return *var_slot(s, name, n);
	for (v = s->head; v; v = v->next)
		if (v->nlen == n && !memcmp(v->name, name, n))
			return v;
	return NULL;
}

#define VARS_LIST_MAX 8

struct var *script_var_new(struct vars *s, const char *name, size_t n)
{
	struct var *v = xcalloc(1, sizeof(*v) + n + 1);

	/* a loop making a global per turn must meet the memory budget */
	script_mem_hold(sizeof(*v) + n + 1);
	memcpy(v->name, name, n);
	v->nlen = n;
	v->next = s->head;
	s->head = v;
	s->n++;
	if (s->n > VARS_LIST_MAX && 2 * s->n > s->cap) {
		struct var *x;

		free(s->tab);
		script_mem_release(s->cap * sizeof(*s->tab));
		s->cap = s->cap ? 2 * s->cap : 4 * VARS_LIST_MAX;
		s->tab = xcalloc(s->cap, sizeof(*s->tab));
		script_mem_hold(s->cap * sizeof(*s->tab));
		/* newest first: a name made twice keeps its newest */
		for (x = s->head; x; x = x->next)
			if (!*var_slot(s, x->name, x->nlen))
				*var_slot(s, x->name, x->nlen) = x;
	} else if (s->tab) {
		*var_slot(s, name, n) = v;
	}
	return v;
}

void script_vars_free(struct vars *s)
{
	struct var *v = s->head;

	while (v) {
		struct var *next = v->next;

		sv_free(&v->v);
		script_mem_release(sizeof(*v) + v->nlen + 1);
		free(v);
		v = next;
	}
	script_mem_release(s->cap * sizeof(*s->tab));
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

struct var *script_lookup(struct run *r, const char *name, size_t n)
{
	struct scope *s;
	struct var *v;

	for (s = r->sc; s; s = s->up)
		if ((v = script_var_find(&s->vars, name, n)))
			return v;
	return script_var_find(&r->S->globals, name, n);
}

struct sval *script_var(struct run *r, const char *name, size_t n)
{
	struct var *v = script_lookup(r, name, n);

	return v ? &v->v : NULL;
}

void script_set_var(struct vars *s, const char *name, size_t n, struct sval v)
{
	struct var *x = script_var_find(s, name, n);

	if (!x)
		x = script_var_new(s, name, n);
	sv_free(&x->v);
	x->v = v;
}

static size_t place_slot(const struct loc *w, size_t cap, const struct loc *l)
{
	uint64_t x = ((uint64_t)l->file * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)l->line * 0xbf58476d1ce4e5b9ULL) ^
		     ((uint64_t)l->col * 0x94d049bb133111ebULL);
	size_t h = (size_t)(x ^ (x >> 29));

	/* line 0 is no place: an empty slot */
	for (h &= cap - 1; w[h].line && (w[h].file != l->file || w[h].line != l->line || w[h].col != l->col);
	     h = (h + 1) & (cap - 1))
		;
	return h;
}

/* Once per place: a loop reading an undefined variable says it once. A
 * hash table, since a file of 100,000 lines each reading one has as many
 * places (a list searched from the start took 2 s). */
bool script_first_warning(struct script *S, const struct loc *l)
{
	struct loc key = { l->file, l->line ? l->line : 1, l->col, 0, 0 };
	size_t i, h;

	if (S->capwarned && S->warned[place_slot(S->warned, S->capwarned, &key)].line)
		return false;
	if (2 * (S->nwarned + 1) > S->capwarned) {
		size_t cap = S->capwarned ? 2 * S->capwarned : 64;
		struct loc *w = xcalloc(cap, sizeof(*w));

		for (i = 0; i < S->capwarned; i++)
			if (S->warned[i].line)
				w[place_slot(w, cap, &S->warned[i])] = S->warned[i];
		free(S->warned);
		S->warned = w;
		S->capwarned = cap;
	}
	h = place_slot(S->warned, S->capwarned, &key);
	S->warned[h] = key;
	S->nwarned++;
	return true;
}

bool script_is_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- values ------------------------------------------------------------- */


enum sst script_eval(struct run *r, struct cur v, enum vmode mode, struct sval *out);

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
	       (script_is_name(c->p[1]) || c->p[1] == '"' || c->p[1] == '[' || c->p[1] == '(');
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
			/* "$s$s$s...": the string grows past the budget
			 * before any step */
			if ((st = script_mem_check(r, &l, b.len)) != SST_OK) {
				sbuf_free(&b);
				return st;
			}
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

/* $a->"key"->0: the element (lent, not copied), or NULL. */
static const struct sval *element(const struct sval *a, const struct sval *key)
{
	char *k;
	size_t kn;
	const struct sval *e;
	int64_t i;
	char *end;

	if (!a || a->t != SV_ARRAY)
		return NULL;
	k = sv_text(key, &kn);
	i = strtoll(k, &end, 10);
	if (kn && !*end && i >= 0 && (size_t)i < a->u.a->nlist) {
		free(k);
		return sa_index(a->u.a, (size_t)i);
	}
	e = sa_get(a->u.a, k, kn);
	free(k);
	return e;
}

/* $name, $"name", $[cmd] or $(expr) at c->p (the '$'), without a -> after
 * it: a variable's value is lent (*ref, NULL when unset), a computed one
 * is put in *own and lent from there. */
static enum sst dollar_base(struct run *r, struct cur *c, const struct sval **ref, struct sval *own)
{
	struct cur start = *c;
	struct sval name_v = sv_nothing();
	const char *name;
	size_t n;
	enum sst st;

	*own = sv_nothing();
	*ref = NULL;
	cur_adv(c, 1);
	if (c->p < c->end && (*c->p == '[' || *c->p == '(')) {
		if ((st = run_group(r, c, own)) != SST_OK)
			return st;
		*ref = own;
		return SST_OK;
	}
	if (c->p < c->end && *c->p == '"') {
		if ((st = script_string(r, c, &name_v)) != SST_OK)
			return st;
		name = name_v.u.s.p;
		n = name_v.u.s.len;
	} else {
		name = c->p;
		while (c->p < c->end && script_is_name(*c->p))
			cur_adv(c, 1);
		n = (size_t)(c->p - name);
	}
	*ref = script_var(r, name, n);
	if (!*ref) {
		struct loc l = cur_span(&start, c);

		if (!r->quiet && script_first_warning(r->S, &l))
			diag_warning(r->m->d, &l, "undefined variable $%.*s: it is nothing here (a global another file sets?)",
				     (int)n, name);
	}
	sv_free(&name_v);
	return SST_OK;
}

/* One key after "->": $var (without a chain of its own: $a->$k->"x" is
 * ($a->$k)->"x"), "string" or a word. */
enum sst script_key(struct run *r, struct cur *c, struct sval *key)
{
	if (c->p < c->end && *c->p == '$') {
		const struct sval *ref;
		struct sval own;
		enum sst st = dollar_base(r, c, &ref, &own);

		if (st == SST_OK)
			*key = ref == &own ? own : ref ? sv_copy(ref) : sv_nothing();
		else
			sv_free(&own);
		return st;
	}
	if (c->p < c->end && *c->p == '"')
		return script_string(r, c, key);
	{
		const char *s = c->p;

		while (c->p < c->end &&
		       (script_is_name(*c->p) || *c->p == '.' || (*c->p == '-' && !(c->end - c->p >= 2 && c->p[1] == '>'))))
			cur_adv(c, 1);
		*key = sv_str(s, (size_t)(c->p - s));
	}
	return SST_OK;
}

/* Only the element a chain ends at is copied: $a->$i in a loop over a
 * big array must not copy the array at each turn. */
enum sst script_dollar(struct run *r, struct cur *c, struct sval *out)
{
	const struct sval *cur;
	struct sval own;
	enum sst st;

	*out = sv_nothing();
	if ((st = dollar_base(r, c, &cur, &own)) != SST_OK)
		return st;
	while (c->end - c->p >= 2 && c->p[0] == '-' && c->p[1] == '>') {
		struct sval key;

		cur_adv(c, 2);
		if (c->p < c->end && cur != &own && !(*c->p == '$' && c->end - c->p >= 2 && script_is_name(c->p[1])) &&
		    (*c->p == '$' || *c->p == '"')) {
			/* a key that runs commands could change the variable
			 * cur lends from: hold a copy of the element first */
			struct sval t = cur ? sv_copy(cur) : sv_nothing();

			sv_free(&own);
			own = t;
			cur = &own;
		}
		if ((st = script_key(r, c, &key)) != SST_OK) {
			sv_free(&own);
			return st;
		}
		cur = element(cur, &key);
		sv_free(&key);
	}
	*out = cur == &own ? own : cur ? sv_copy(cur) : sv_nothing();
	if (cur != &own)
		sv_free(&own);
	return SST_OK;
}

/* A value as written after name= or alone: pieces (words, "strings",
 * $variables, [commands], (expressions), {arrays}) glued together. One
 * piece keeps its type; several make a str. */
enum sst script_eval(struct run *r, struct cur v, enum vmode mode, struct sval *out)
{
	struct sbuf b = { 0 };
	struct sval one = sv_nothing();
	size_t pieces = 0;
	bool bare = false;
	enum sst st = SST_OK;
	struct loc at = cur_loc(&v);

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
		if (st == SST_OK)
			st = script_mem_check(r, &at, b.len);
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
		/* `in=ether1,ether2`: an unquoted list is an array */
		*out = memchr(one.u.s.p, ',', one.u.s.len) ? sv_to_array(&one) : sv_guess(one.u.s.p, one.u.s.len);
		sv_free(&one);
	} else {
		*out = one;
	}
	return SST_OK;
}

/* ---- statements --------------------------------------------------------- */


static bool is_name_ch(char c)
{
	return script_is_name(c) || c == '-' || c == '.' || c == '!';
}

static bool ends_arg(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == ')' || c == ']' || c == '}';
}

/* The next argument at c (blanks skipped before); false at the end of
 * the statement. */
bool script_arg_scan(struct run *r, struct cur *c, struct arg *a, enum sst *st)
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




/* A block's body in a scope of its own (loops give it theirs). */
enum sst script_run_body(struct run *r, const struct sval *code, struct scope *sc, struct sval *out)
{
	struct run inner = *r;
	struct cur c = { code->u.code->text, code->u.code->text + code->u.code->len, code->u.code->file,
			 code->u.code->line, code->u.code->col };
	struct loc l = cur_loc(&c);
	enum sst st;

	inner.sc = sc;
	if ((st = script_enter(r, &l)) != SST_OK)
		return st;
	st = script_run_stmts(&inner, c, out);
	script_leave(r);
	if (st == SST_RET) {
		r->ret = inner.ret;
	}
	return st;
}

/* Frees a scope made for a body. */
void script_scope_end(struct scope *s)
{
	script_vars_free(&s->vars);
}

/* $f a=1 b: a call, with $1, $2 ... and the named arguments. */
enum sst script_run_code(struct run *r, const struct scode *code, const char *what, const struct loc *at,
			 const struct arg *args, size_t nargs, struct sval *out)
{
	struct scope sc = { .up = NULL };
	struct frame f = { what, *at, r->stack };
	struct run inner = *r;
	struct cwd cwd = *r->cwd;
	struct cur c = { code->text, code->text + code->len, code->file, code->line, code->col };
	size_t i, pos = 1;
	enum sst st = SST_OK;

	for (i = 0; i < nargs && st == SST_OK; i++) {
		struct sval v;
		char num[24];

		if ((st = script_eval(r, args[i].v, VM_TYPED, &v)) != SST_OK)
			break;
		if (args[i].name) {
			script_set_var(&sc.vars, args[i].name, args[i].nlen, v);
		} else {
			snprintf(num, sizeof(num), "%zu", pos++);
			script_set_var(&sc.vars, num, strlen(num), v);
		}
	}
	if (st == SST_OK) {
		inner.sc = &sc;
		inner.stack = &f;
		inner.cwd = &cwd;
		inner.ret = sv_nothing();
		if ((st = script_enter(r, at)) == SST_OK) {
			st = script_run_stmts(&inner, c, out);
			script_leave(r);
		}
		if (st == SST_RET) {
			sv_free(out);
			*out = inner.ret;
			st = SST_OK;
		}
	}
	script_scope_end(&sc);
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
	if ((st = script_step(r, &at)) != SST_OK)
		return st;
	while (script_arg_scan(r, c, &a[n], &st)) {
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
		return script_menu_cmd(r, a, n, out);
	if (wn && *w == '{' && n == 1) {
		struct sval code;
		struct scope sc = { .up = r->sc };

		if ((st = script_eval(r, first->v, VM_CODE, &code)) != SST_OK)
			return st;
		if (code.t != SV_CODE) {
			/* {...}text is one word, no block */
			sv_free(&code);
			return script_err(r, &first->loc, "unexpected text after a block {...}");
		}
		st = script_run_body(r, &code, &sc, out);
		script_scope_end(&sc);
		sv_free(&code);
		return st;
	}
	if (wn > 1 && *w == ':')
		return script_cmd(r, a, n, w + 1, wn - 1, out);
	if (wn && (*w == '$' || *w == '[' || *w == '(')) {
		struct sval v;
		char what[64];

		if ((st = script_eval(r, first->v, VM_TYPED, &v)) != SST_OK)
			return st;
		if (v.t == SV_CODE) {
			snprintf(what, sizeof(what), "%.*s", (int)(wn < 60 ? wn : 60), w);
			st = script_run_code(r, v.u.code, what, &first->loc, a + 1, n - 1, out);
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
	return script_menu_cmd(r, a, n, out);
}

/* To the next statement or array element: past blanks, newlines, `;`
 * and comment lines (a multi-line array may hold them too); false at the
 * end. */
static bool cur_next_item(struct cur *c)
{
	for (;;) {
		cur_skip_ws(c, true);
		while (c->p < c->end && *c->p == ';') {
			cur_adv(c, 1);
			cur_skip_ws(c, true);
		}
		if (c->p >= c->end)
			return false;
		if (*c->p != '#')
			return true;
		while (c->p < c->end && *c->p != '\n')
			cur_adv(c, 1);
	}
}

enum sst script_run_stmts(struct run *r, struct cur c, struct sval *last)
{
	enum sst st = SST_OK;

	*last = sv_nothing();
	while (cur_next_item(&c)) {
		struct sval v;

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
	return SST_OK;
}

enum sst script_subst(struct run *r, struct cur c, struct sval *out)
{
	return script_run_stmts(r, c, out);
}

enum sst script_array_literal(struct run *r, struct cur c, struct sval *out)
{
	enum sst st = SST_OK;

	*out = sv_array();
	while (cur_next_item(&c)) {
		struct arg a;
		struct sval v;

		if (!script_arg_scan(r, &c, &a, &st)) {
			if (st == SST_OK) {
				struct loc l = cur_loc(&c);

				st = script_err(r, &l, "unexpected \"%c\" in an array", *c.p);
			}
			goto fail;
		}
		if ((st = script_eval(r, a.v, VM_TYPED, &v)) != SST_OK)
			goto fail;
		if (a.name)
			sa_set(out->u.a, a.name, a.nlen, v);
		else
			sa_push(out->u.a, v);
	}
	return SST_OK;
fail:
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
	script_mem_set_limit(S->max_mem);
	return S;
}

void script_file_begin(struct model *m)
{
	if (m->script && !m->script->imports) {
		script_vars_free(&m->script->file.vars);
	}
}

void script_free(struct script *S)
{
	size_t i;

	if (!S)
		return;
	script_vars_free(&S->globals);
	script_vars_free(&S->file.vars);
	script_dup_clear(&S->dup[0]);
	script_dup_clear(&S->dup[1]);
	for (i = 0; i < S->nimported; i++)
		free(S->imported[i]);
	free(S->imported);
	free(S->warned);
	free(S);
}

static bool words_script(const struct ast_cmd *c, const struct cwd *cwd);

/* A first look, cheap for the million lines of an export: could the word
 * be one of the scripting commands RouterOS runs without ':'? (exec.c's
 * word_is_script then asks the menu.) */
static bool maybe_script_word(const char *s, size_t n)
{
	static const char *const words[] = {
		"beep", "delay", "do", "error", "execute", "for", "foreach", "global", "if", "len",
		"local", "nothing", "parse", "pick", "put", "resolve", "return", "time", "while",
	};
	size_t i;

	if (n < 2 || n > 7 || !memchr("bdefgilnprtw", s[0], 12))
		return false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (text_eq(s, n, words[i]))
			return true;
	return false;
}

/* Commands only the interpreter runs or refuses: /import, /tool fetch,
 * /system script run. */
static bool word_wants(const struct ast_item *it)
{
	switch (it->len) {
	case 3:
		return !memcmp(it->text, "run", 3);
	case 5:
		return !memcmp(it->text, "fetch", 5);
	case 6:
		return !memcmp(it->text, "import", 6);
	default:
		return it->len > 7 && !memcmp(it->text + it->len - 7, "/import", 7);
	}
}

static bool items_script(const struct ast_item *it)
{
	for (; it; it = it->next) {
		const struct ast_item *g = it->kind == IT_PROP ? it->group : it;

		if (it->kind == IT_SCRIPT || (it->flags & VF_VAR) || (it->kind == IT_WORD && word_wants(it)))
			return true;
		if (!g || g->kind == IT_WORD || g->kind == IT_STRING)
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

	if (!it)
		return false;
	first = it->kind == IT_SLASH ? it->next : it;
	if (first && first->kind == IT_WORD && maybe_script_word(first->text, first->len)) {
		struct cwd root = { 0 };

		root.node = menu_root();
		if (exec_word_is_script(it->kind == IT_SLASH || !cwd->node ? &root : cwd, first->text, first->len))
			return true;
	}
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

	if (S->spent) {
		if (!S->spent_said)
			diag_error(m->d, &c->loc, "not run: the script's steps for the whole run are spent (see above)");
		S->spent_said = true;
		return;
	}
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
	S->made_charged = script_mem_made();
	r.ret = sv_nothing();
	/* what the values made after the last step costs too (one long
	 * expression) */
	if (script_run_stmts(&r, cur, &v) != SST_FATAL)
		charge(&r, &c->loc, 0);
	sv_free(&v);
	sv_free(&r.ret);
}
