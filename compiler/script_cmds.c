/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RouterOS's scripting commands: :global :local :set, :if :foreach :for
 * :while :do :onerror :error :return, :put :log, the functions of values
 * (:len :pick :typeof :to*), :parse, and the refusals of what needs the
 * router.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "model_impl.h"
#include "script_impl.h"
#include "script_run.h"
#include "xalloc.h"

static enum sst need_code(struct run *r, const struct arg *cmd, const struct arg *a, const char *name,
			  struct sval *code)
{
	enum sst st;

	if (!a)
		return script_err(r, &cmd->loc, "%.*s needs %s={...}", (int)(cmd->v.end - cmd->v.p), cmd->v.p, name);
	if ((st = script_eval(r, a->v, VM_CODE, code)) != SST_OK)
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
	return script_eval(r, a->v, VM_TYPED, out);
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
	if ((st = script_eval(r, na->v, VM_TEXT, &name)) != SST_OK)
		return st;
	nm = sv_text(&name, &nn);
	sv_free(&name);
	if (doa)
		st = script_eval(r, doa->v, VM_CODE, &v);
	else if (va)
		st = script_eval(r, va->v, VM_TYPED, &v);
	if (st != SST_OK) {
		free(nm);
		return st;
	}
	if (kind == 'g') {
		struct var *g = script_var_find(&r->S->globals, nm, nn);

		if (!g)
			g = script_var_new(&r->S->globals, nm, nn);
		if (given) {
			sv_free(&g->v);
			g->v = v;
		}
	} else if (kind == 'l') {
		script_set_var(&r->sc->vars, nm, nn, v);
	} else {
		struct var *e = script_lookup(r, nm, nn);

		if (!e) {
			diag_warning(r->m->d, &na->loc, ":set of $%s, which no :local or :global made: set as a local", nm);
			script_set_var(&r->sc->vars, nm, nn, v);
		} else {
			sv_free(&e->v);
			e->v = v;
		}
	}
	free(nm);
	return SST_OK;
}

/* The element `key` of a, made (nothing) when a lacks it: a number up to
 * the list's length is a list position, anything else a key. */
static struct sval *element_slot(struct sarray *a, const struct sval *key)
{
	char *k, *end;
	size_t kn;
	long long i;
	struct sval *e;

	k = sv_text(key, &kn);
	i = strtoll(k, &end, 10);
	if (kn && !*end && i >= 0 && (size_t)i < a->nlist) {
		e = sa_index(a, (size_t)i);
	} else if (kn && !*end && i >= 0 && (size_t)i == a->nlist) {
		sa_push(a, sv_nothing());
		e = sa_index(a, a->nlist - 1);
	} else {
		if (!(e = sa_get(a, k, kn))) {
			sa_set(a, k, kn, sv_nothing());
			e = sa_get(a, k, kn);
		}
	}
	free(k);
	return e;
}

#define SET_MAX_KEYS 16

/* :set ($a->"k"->"j") v: an element of an array variable, at any depth
 * (an element on the way that is no array becomes one, as RouterOS
 * does). */
static enum sst cmd_set(struct ctx *x)
{
	const struct arg *na = arg_pos(x->a, x->n, 0);
	struct sval keys[SET_MAX_KEYS], v, *e;
	size_t n, nkeys = 0, i;
	struct var *var;
	const char *name;
	enum sst st = SST_OK;
	struct cur c;

	if (!na || na->v.p >= na->v.end || *na->v.p != '(')
		return cmd_var(x, 's');
	c = na->v;
	cur_adv(&c, 1);
	cur_skip_ws(&c, true);
	if (c.p >= c.end || *c.p != '$')
		return script_err(x->r, &na->loc, ":set needs a variable name or ($array->key)");
	cur_adv(&c, 1);
	name = c.p;
	while (c.p < c.end && script_is_name(*c.p))
		cur_adv(&c, 1);
	n = (size_t)(c.p - name);
	if (c.end - c.p < 2 || c.p[0] != '-' || c.p[1] != '>')
		return script_err(x->r, &na->loc, ":set needs a variable name or ($array->key)");
	/* every key first: one that runs a command may change the variable */
	while (st == SST_OK && c.end - c.p >= 2 && c.p[0] == '-' && c.p[1] == '>') {
		if (nkeys == SET_MAX_KEYS) {
			st = script_err(x->r, &na->loc, ":set of an element more than %d keys deep", SET_MAX_KEYS);
			break;
		}
		cur_adv(&c, 2);
		st = script_key(x->r, &c, &keys[nkeys]);
		if (st == SST_OK)
			nkeys++;
	}
	cur_skip_ws(&c, true);
	if (st == SST_OK && c.p + 1 != c.end) {
		struct loc l = cur_loc(&c);

		st = script_err(x->r, &l, "unexpected \"%c\" in :set ($array->key)", *c.p);
	}
	if (st == SST_OK)
		st = arg_value(x->r, arg_pos(x->a, x->n, 1), &v);
	if (st == SST_OK) {
		var = script_lookup(x->r, name, n);
		if (!var)
			var = script_var_new(&x->r->sc->vars, name, n);
		e = &var->v;
		for (i = 0; i < nkeys; i++) {
			if (e->t != SV_ARRAY) {
				sv_free(e);
				*e = sv_array();
			}
			e = element_slot(e->u.a, &keys[i]);
		}
		sv_free(e);
		*e = v;
	}
	for (i = 0; i < nkeys; i++)
		sv_free(&keys[i]);
	return st;
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
	if ((st = script_eval(r, cond->v, VM_TYPED, &c)) != SST_OK)
		return st;
	t = sv_truth(&c);
	sv_free(&c);
	if (!t && !elsea)
		return SST_OK;
	if ((st = need_code(r, &x->a[0], t ? doa : elsea, t ? "do" : "else", &code)) != SST_OK)
		return st;
	{
		struct scope sc = { .up = r->sc };

		st = script_run_body(r, &code, &sc, x->out);
		script_scope_end(&sc);
	}
	sv_free(&code);
	return st;
}

/* One turn of a loop: the body with its loop variables, in a frame. */
static enum sst turn(struct run *r, const struct sval *code, struct scope *sc, const struct loc *at)
{
	struct sval v = sv_nothing();
	enum sst st;

	if ((st = script_step(r, at)) != SST_OK)
		return st;
	st = script_run_body(r, code, sc, &v);
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
	size_t kn = 0, vn, i, pos = 0;
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
	if ((st = script_eval(r, ina->v, VM_TYPED, &list)) != SST_OK) {
		sv_free(&code);
		return st;
	}
	/* a value that is not an array is one turn (a quoted "a,b" too) */
	if (list.t == SV_ARRAY) {
		arr = list;
	} else {
		arr = sv_array();
		if (list.t != SV_NOTHING)
			sa_push(arr.u.a, list);
	}
	inner.stack = &f;
	for (i = 0; i < arr.u.a->n && st == SST_OK; i++) {
		struct scope sc = { .up = r->sc };
		const struct sentry *e = &arr.u.a->v[i];

		/* an element without a key is numbered among those alone,
		 * as $a->0 reads it */
		if (k)
			script_set_var(&sc.vars, k, kn, e->key ? sv_str(e->key, strlen(e->key)) : sv_num((int64_t)pos));
		pos += !e->key;
		script_set_var(&sc.vars, v, vn, sv_copy(&e->v));
		st = turn(&inner, &code, &sc, &x->a[0].loc);
		script_scope_end(&sc);
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
	if ((st = script_eval(r, a->v, VM_TYPED, &v)) != SST_OK)
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
		struct scope sc = { .up = r->sc };

		script_set_var(&sc.vars, na->v.p, (size_t)(na->v.end - na->v.p), sv_num(i));
		st = turn(&inner, &code, &sc, &x->a[0].loc);
		script_scope_end(&sc);
		/* the next i would pass int64's end (and wrap to its other end,
		 * still within `to`): the loop is over */
		if (stepv > 0 ? i > INT64_MAX - stepv : i < INT64_MIN - stepv)
			break;
	}
	if (st == SST_RET)
		r->ret = inner.ret;
	sv_free(&code);
	return st;
}

static enum sst truth_of(struct run *r, const struct arg *a, bool *t)
{
	struct sval v;
	enum sst st = script_eval(r, a->v, VM_TYPED, &v);

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
		struct scope sc = { .up = r->sc };

		st = turn(&inner, &code, &sc, &x->a[0].loc);
		script_scope_end(&sc);
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
	struct scope sc = { .up = r->sc };
	struct sval v = sv_nothing();
	enum sst st;

	r->m->catching++;
	st = script_run_body(r, code, &sc, &v);
	r->m->catching--;
	script_scope_end(&sc);
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
	if ((st = script_eval(r, body->v, VM_CODE, &code)) != SST_OK)
		return st;
	if (code.t != SV_CODE) {
		sv_free(&code);
		return script_err(r, &body->vloc, ":do needs a block {...}");
	}
	if (onerr) {
		if ((st = need_code(r, &x->a[0], onerr, "on-error", &handler)) == SST_OK) {
			st = run_caught(r, &code, &failed, NULL);
			if (st == SST_OK && failed) {
				struct scope sc = { .up = r->sc };

				st = script_run_body(r, &handler, &sc, x->out);
				script_scope_end(&sc);
			}
			sv_free(&handler);
		}
	} else if (wh) {
		inner.stack = &f;
		do {
			struct scope sc = { .up = r->sc };

			st = turn(&inner, &code, &sc, &x->a[0].loc);
			script_scope_end(&sc);
		} while (st == SST_OK && (st = truth_of(&inner, wh, &t)) == SST_OK && t);
		if (st == SST_RET)
			r->ret = inner.ret;
	} else {
		struct scope sc = { .up = r->sc };

		st = script_run_body(r, &code, &sc, x->out);
		script_scope_end(&sc);
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
		struct scope sc = { .up = r->sc };
		struct sval v = sv_nothing();

		script_set_var(&sc.vars, na->v.p, (size_t)(na->v.end - na->v.p), sv_str(msg, strlen(msg)));
		st = script_run_body(r, &handler, &sc, &v);
		sv_free(&v);
		script_scope_end(&sc);
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

/* :put and :log say what the script would print or log, as notes. Notes
 * are kept to the end of the run: each keeps 4 KiB of its value, and all
 * together 16 MiB, or a loop putting a big value holds a copy per turn. */
#define PUT_MAX 4096
#define PUT_TOTAL (16UL << 20)

static enum sst cmd_put(struct ctx *x)
{
	bool log = !strcmp(x->name, "log");
	const struct arg *a = log && arg_named(x->a, x->n, "message") ? arg_named(x->a, x->n, "message") :
			      arg_pos(x->a, x->n, log ? 1 : 0);
	const struct arg *lvl = log ? arg_pos(x->a, x->n, 0) : NULL;
	struct script *S = x->r->S;
	struct sval v;
	enum sst st = arg_value(x->r, a, &v);
	char more[48] = "";
	size_t len;
	char *t;

	if (st != SST_OK)
		return st;
	if (S->put_bytes > PUT_TOTAL) {
		sv_free(&v);
		return SST_OK;
	}
	t = sv_text(&v, &len);
	if (len > PUT_MAX) {
		snprintf(more, sizeof(more), "... (%zu bytes)", len);
		len = PUT_MAX;
	}
	S->put_bytes += len;
	if (S->put_bytes > PUT_TOTAL)
		diag_note(x->r->m->d, &x->a[0].loc, "the script's :put and :log said more than %lu MiB: the rest is not shown",
			  PUT_TOTAL >> 20);
	else if (log)
		diag_note(x->r->m->d, &x->a[0].loc, ":log %.*s: %.*s%s", lvl ? (int)(lvl->v.end - lvl->v.p) : 0,
			  lvl ? lvl->v.p : "", (int)len, t, more);
	else
		diag_note(x->r->m->d, &x->a[0].loc, ":put: %.*s%s", (int)len, t, more);
	free(t);
	sv_free(&v);
	return SST_OK;
}

static enum sst cmd_nop(struct ctx *x)
{
	if (script_first_warning(x->r->S, &x->a[0].loc))
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

		if (from == INT64_MAX)
			from--;	/* from + 1 below: past any text anyway */
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
		/* RouterOS looks after the start it is given */
		int64_t from = s.t == SV_NUM && s.u.n < INT64_MAX ? s.u.n + 1 : s.t == SV_NUM ? INT64_MAX : 0, i;

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

			/* memmem is linear: a naive search of a 1 MB needle in a
			 * 100 MB text is 10^14 compares */
			if (from < 0)
				from = 0;
			if ((uint64_t)from <= hn && nn <= hn - (size_t)from) {
				const char *at = memmem(h + from, hn - (size_t)from, nd, nn);

				if (at)
					res = sv_num((int64_t)(at - h));
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
	struct script *S = x->r->S;
	const struct loc *at = &x->a[0].loc;
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
	/* A loop parsing the same text at the same place gets the source the
	 * last turn made. */
	if (S->parse_file && S->parse_at.file == at->file && S->parse_at.line == at->line &&
	    S->parse_at.col == at->col) {
		size_t ln = 0;
		const char *old = diag_source_at(x->r->m->d, S->parse_file, 1, 1, &ln);

		if (ln == n && (!n || (old && !memcmp(old, t, n)))) {
			code.file = S->parse_file;
			free(t);
			goto made;
		}
	}
	/* the text lives as long as the diagnostics (with its name): it
	 * counts against the memory budget for the whole run, or :parse in a
	 * loop keeps a copy per turn */
	S->parsed += n + 1 + sizeof(name);
	if (S->max_mem && S->parsed > S->max_mem) {
		free(t);
		return script_fatal(x->r, at, "the text :parse keeps holds more than %zu bytes: stopped", S->max_mem);
	}
	snprintf(name, sizeof(name), "%s:%u:%u (:parse)", diag_source_name(x->r->m->d, at->file), (unsigned)at->line,
		 (unsigned)at->col);
	code.file = diag_add_source_copy(x->r->m->d, name, t, n);
	free(t);
	S->parse_file = code.file;
	S->parse_at = *at;
made:
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
	struct scope sc = { .up = x->r->sc };
	enum sst st = need_code(x->r, &x->a[0], arg_pos(x->a, x->n, 0), "a block", &code);

	if (st != SST_OK)
		return st;
	st = script_run_body(x->r, &code, &sc, &v);
	script_scope_end(&sc);
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

enum sst script_cmd(struct run *r, const struct arg *a, size_t n, const char *name, size_t nn,
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
