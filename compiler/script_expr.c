/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Expressions in ( ): RouterOS's operators over script values.
 *
 * Precedence, tightest first (the manual lists the operators, not their
 * order; this is the order real scripts' parentheses assume, C's but with
 * the bit operators above comparison, since `($ip & $mask) = $net` is how
 * scripts write it): unary ! ~ -, then * / %, + - ., << >>, &, ^, |,
 * comparison (< > <= >= = != in ~), && and, || or, and last `,` which
 * makes arrays. Binary operators group left to right.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "script_impl.h"

struct ex {
	struct run *r;
	struct cur c;
	bool skip;	/* the right side of a decided && or ||: read, not run */
};

enum op {
	OP_NONE, OP_COMMA, OP_OR, OP_AND, OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE, OP_IN, OP_RE,
	OP_BOR, OP_XOR, OP_BAND, OP_SHL, OP_SHR, OP_ADD, OP_SUB, OP_CAT, OP_MUL, OP_DIV, OP_MOD,
};

static const struct {
	const char *text;
	enum op op;
	int prec;
} ops[] = {
	/* longer spellings first */
	{ "&&", OP_AND, 2 }, { "||", OP_OR, 1 }, { "<<", OP_SHL, 7 }, { ">>", OP_SHR, 7 },
	{ "<=", OP_LE, 3 }, { ">=", OP_GE, 3 }, { "!=", OP_NE, 3 }, { "<", OP_LT, 3 },
	{ ">", OP_GT, 3 }, { "=", OP_EQ, 3 }, { "~", OP_RE, 3 }, { "+", OP_ADD, 8 },
	{ "-", OP_SUB, 8 }, { ".", OP_CAT, 8 }, { "*", OP_MUL, 9 }, { "/", OP_DIV, 9 },
	{ "%", OP_MOD, 9 }, { "&", OP_BAND, 6 }, { "^", OP_XOR, 5 }, { "|", OP_BOR, 4 },
	{ ",", OP_COMMA, 0 },
};

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool word_at(const struct cur *c, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(c->end - c->p) >= n && !memcmp(c->p, w, n) &&
	       ((size_t)(c->end - c->p) == n || !is_word(c->p[n]));
}

static enum op op_peek(struct ex *e, int *prec, size_t *len)
{
	size_t i, left;

	cur_skip_ws(&e->c, true);
	left = (size_t)(e->c.end - e->c.p);
	if (!left)
		return OP_NONE;
	if (word_at(&e->c, "in")) {
		*prec = 3, *len = 2;
		return OP_IN;
	}
	if (word_at(&e->c, "and")) {
		*prec = 2, *len = 3;
		return OP_AND;
	}
	if (word_at(&e->c, "or")) {
		*prec = 1, *len = 2;
		return OP_OR;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].text);

		if (left >= n && !memcmp(e->c.p, ops[i].text, n)) {
			*prec = ops[i].prec;
			*len = n;
			return ops[i].op;
		}
	}
	return OP_NONE;
}

/* A str operand of arithmetic or comparison is read as the word it spells
 * ("5" from [get] is 5). */
static struct sval operand(const struct sval *v)
{
	return v->t == SV_STR ? sv_guess(v->u.s.p, v->u.s.len) : sv_copy(v);
}

static bool is_addr(const struct sval *v)
{
	return v->t >= SV_IP && v->t <= SV_IP6PREFIX;
}

static bool is_v4(const struct sval *v)
{
	return v->t == SV_IP || v->t == SV_IPPREFIX;
}

/* RouterOS's num is a 64-bit integer that wraps; C's signed overflow is
 * undefined, so the arithmetic is done unsigned. */
static int64_t wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wrap_sub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t wrap_mul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* Division by -1 is negation: INT64_MIN / -1 traps on x86. */
static int64_t wrap_div(int64_t a, int64_t b, bool mod)
{
	if (b == -1)
		return mod ? 0 : wrap_sub(0, a);
	return mod ? a % b : a / b;
}

/* ip +/- num: the address moved by n, in its family. */
static struct sval addr_add(const struct sval *a, int64_t n)
{
	struct sval r = *a;
	int i = is_v4(a) ? 3 : 15, carry;
	int64_t k = n;

	/* byte by byte from the low end, two's complement for negatives */
	for (; i >= 0; i--) {
		int64_t b = r.u.ip.a[i] + (k & 0xff);

		carry = (int)(b >> 8);
		r.u.ip.a[i] = (uint8_t)b;
		k = (k >> 8) + carry;
	}
	return r;
}

static int64_t addr_diff(const struct sval *a, const struct sval *b)
{
	uint64_t r = 0;
	int i, n = is_v4(a) ? 4 : 16;

	for (i = n < 8 ? 0 : n - 8; i < n; i++)
		r = r * 256 + a->u.ip.a[i] - b->u.ip.a[i];
	return (int64_t)r;
}

static bool in_prefix(const struct sval *a, const struct sval *p)
{
	unsigned bits = p->u.ip.plen, i;

	if (is_v4(a) != is_v4(p) || (a->t == SV_IPPREFIX || a->t == SV_IP6PREFIX ? a->u.ip.plen < bits : false))
		return false;
	for (i = 0; i < bits; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;

		if (((a->u.ip.a[byte] >> bit) & 1) != ((p->u.ip.a[byte] >> bit) & 1))
			return false;
	}
	return true;
}

static int cmp_vals(const struct sval *a, const struct sval *b, bool *ok)
{
	*ok = true;
	if ((a->t == SV_NUM || a->t == SV_TIME) && a->t == b->t)
		return a->u.n < b->u.n ? -1 : a->u.n > b->u.n;
	if (is_addr(a) && is_addr(b) && is_v4(a) == is_v4(b)) {
		int c = memcmp(a->u.ip.a, b->u.ip.a, 16);

		return c ? c : (a->u.ip.plen > b->u.ip.plen) - (a->u.ip.plen < b->u.ip.plen);
	}
	if (a->t == SV_STR && b->t == SV_STR) {
		int c = strcmp(a->u.s.p, b->u.s.p);

		return (c > 0) - (c < 0);
	}
	*ok = false;
	return 0;
}

static const char *op_name(enum op op)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return ops[i].text;
	return op == OP_IN ? "in" : "?";
}

static enum sst apply(struct ex *e, enum op op, struct sval *a, struct sval *b, const struct loc *loc,
		      struct sval *out)
{
	struct sval x, y;
	enum sst st = SST_OK;
	bool ok;
	int c;

	*out = sv_nothing();
	switch (op) {
	case OP_EQ:
	case OP_NE:
		*out = sv_bool(sv_equal(a, b) == (op == OP_EQ));
		return SST_OK;
	case OP_CAT: {
		struct sbuf s = { 0 };

		sv_append(&s, a);
		sv_append(&s, b);
		*out = sv_str_take(&s);
		return SST_OK;
	}
	case OP_COMMA:
		*out = a->t == SV_ARRAY ? sv_copy(a) : sv_to_array(a);
		if (b->t == SV_ARRAY) {
			size_t i;

			for (i = 0; i < b->u.a->n; i++)
				sa_push(out->u.a, sv_copy(&b->u.a->v[i].v));
		} else if (b->t != SV_NOTHING) {
			sa_push(out->u.a, sv_copy(b));
		}
		return SST_OK;
	case OP_RE: {
		regex_t re;
		char *s = sv_text(a, NULL), *p = sv_text(b, NULL);

		if (regcomp(&re, p, REG_EXTENDED | REG_NOSUB)) {
			st = script_err(e->r, loc, "invalid regular expression \"%s\"", p);
		} else {
			*out = sv_bool(!regexec(&re, s, 0, NULL, 0));
			regfree(&re);
		}
		free(s);
		free(p);
		return st;
	}
	default:
		break;
	}
	x = operand(a);
	y = operand(b);
	switch (op) {
	case OP_LT:
	case OP_GT:
	case OP_LE:
	case OP_GE:
		c = cmp_vals(&x, &y, &ok);
		if (!ok)
			st = script_err(e->r, loc, "cannot compare %s with %s", sv_typeof(&x), sv_typeof(&y));
		else
			*out = sv_bool(op == OP_LT ? c < 0 : op == OP_GT ? c > 0 : op == OP_LE ? c <= 0 : c >= 0);
		break;
	case OP_IN:
		if (is_addr(&x) && (y.t == SV_IPPREFIX || y.t == SV_IP6PREFIX || is_addr(&y))) {
			*out = sv_bool(in_prefix(&x, &y));
		} else if (b->t == SV_ARRAY) {
			size_t i;

			*out = sv_bool(false);
			for (i = 0; i < b->u.a->n && !out->u.b; i++)
				out->u.b = sv_equal(a, &b->u.a->v[i].v);
		} else {
			st = script_err(e->r, loc, "in needs an address and a prefix (or an array), not %s and %s",
					sv_typeof(&x), sv_typeof(&y));
		}
		break;
	case OP_ADD:
	case OP_SUB:
		if (x.t == SV_NUM && y.t == SV_NUM) {
			*out = sv_num(op == OP_ADD ? wrap_add(x.u.n, y.u.n) : wrap_sub(x.u.n, y.u.n));
		} else if (x.t == SV_TIME && (y.t == SV_TIME || y.t == SV_NUM)) {
			int64_t d = y.t == SV_NUM ? wrap_mul(y.u.n, 1000000000LL) : y.u.n;

			*out = x;
			out->u.n = op == OP_ADD ? wrap_add(x.u.n, d) : wrap_sub(x.u.n, d);
		} else if (is_addr(&x) && y.t == SV_NUM)
			*out = addr_add(&x, op == OP_ADD ? y.u.n : wrap_sub(0, y.u.n));
		else if (op == OP_ADD && x.t == SV_NUM && is_addr(&y))
			*out = addr_add(&y, x.u.n);
		else if (op == OP_SUB && is_addr(&x) && is_addr(&y) && is_v4(&x) == is_v4(&y))
			*out = sv_num(addr_diff(&x, &y));
		else
			st = script_err(e->r, loc, "cannot %s %s and %s", op == OP_ADD ? "add" : "subtract",
					sv_typeof(&x), sv_typeof(&y));
		break;
	case OP_MUL:
	case OP_DIV:
	case OP_MOD:
		if ((op != OP_MUL && y.t == SV_NUM && y.u.n == 0)) {
			st = script_err(e->r, loc, "division by zero");
		} else if (x.t == SV_NUM && y.t == SV_NUM) {
			*out = sv_num(op == OP_MUL ? wrap_mul(x.u.n, y.u.n) : wrap_div(x.u.n, y.u.n, op == OP_MOD));
		} else if (x.t == SV_TIME && y.t == SV_NUM && op != OP_MOD) {
			*out = x;
			out->u.n = op == OP_MUL ? wrap_mul(x.u.n, y.u.n) : wrap_div(x.u.n, y.u.n, false);
		} else if (x.t == SV_NUM && y.t == SV_TIME && op == OP_MUL) {
			*out = y;
			out->u.n = wrap_mul(x.u.n, y.u.n);
		} else {
			st = script_err(e->r, loc, "cannot use %s on %s and %s", op_name(op), sv_typeof(&x), sv_typeof(&y));
		}
		break;
	case OP_BAND:
	case OP_BOR:
	case OP_XOR:
	case OP_SHL:
	case OP_SHR:
		if (x.t == SV_NUM && y.t == SV_NUM) {
			uint64_t u = (uint64_t)x.u.n, v = (uint64_t)y.u.n;

			*out = sv_num((int64_t)(op == OP_BAND ? u & v : op == OP_BOR ? u | v : op == OP_XOR ? u ^ v :
						op == OP_SHL ? (v < 64 ? u << v : 0) : (v < 64 ? u >> v : 0)));
		} else if (is_addr(&x) && is_addr(&y) && is_v4(&x) == is_v4(&y) && op != OP_SHL && op != OP_SHR) {
			int i;

			*out = x;
			out->t = is_v4(&x) ? SV_IP : SV_IP6;
			for (i = 0; i < 16; i++)
				out->u.ip.a[i] = op == OP_BAND ? x.u.ip.a[i] & y.u.ip.a[i] :
						 op == OP_BOR ? x.u.ip.a[i] | y.u.ip.a[i] : x.u.ip.a[i] ^ y.u.ip.a[i];
			out->u.ip.plen = is_v4(&x) ? 32 : 128;
		} else {
			st = script_err(e->r, loc, "cannot use %s on %s and %s", op_name(op), sv_typeof(&x), sv_typeof(&y));
		}
		break;
	default:
		st = script_err(e->r, loc, "unknown operator");
		break;
	}
	sv_free(&x);
	sv_free(&y);
	return st;
}

static enum sst binary(struct ex *e, int minprec, struct sval *out);

/* Skips a $ reference without running it (the dead side of && ||). A key
 * after -> is one $var, as script_key reads it: no recursion per key. */
static void skip_dollar(struct cur *c)
{
	cur_adv(c, 1);
	if (c->p < c->end && (*c->p == '"' || *c->p == '[' || *c->p == '(')) {
		cur_skip_group(c);
	} else {
		while (c->p < c->end && is_word(*c->p))
			cur_adv(c, 1);
	}
	while (c->end - c->p >= 2 && c->p[0] == '-' && c->p[1] == '>') {
		cur_adv(c, 2);
		if (c->p < c->end && (*c->p == '"' || (*c->p == '$' && c->end - c->p >= 2 && c->p[1] == '"'))) {
			if (*c->p == '$')
				cur_adv(c, 1);
			cur_skip_group(c);
		} else if (c->p < c->end && *c->p == '$' && c->end - c->p >= 2 && (c->p[1] == '[' || c->p[1] == '(')) {
			cur_adv(c, 1);
			cur_skip_group(c);
		} else {
			if (c->p < c->end && *c->p == '$')
				cur_adv(c, 1);
			while (c->p < c->end && (is_word(*c->p) || *c->p == '.' ||
						 (*c->p == '-' && !(c->end - c->p >= 2 && c->p[1] == '>'))))
				cur_adv(c, 1);
		}
	}
}

static enum sst primary(struct ex *e, struct sval *out)
{
	struct cur *c = &e->c, start;
	enum sst st;

	*out = sv_nothing();
	cur_skip_ws(c, true);
	start = *c;
	if (c->p >= c->end) {
		struct loc l = cur_loc(c);

		return script_err(e->r, &l, "expected a value in the expression");
	}
	if (*c->p == '(' || *c->p == '[' || *c->p == '{') {
		char open = *c->p;
		struct cur in;
		struct loc l = cur_loc(c);

		if (!cur_skip_group(c))
			return script_err(e->r, &l, "missing closing bracket");
		if (e->skip)
			return SST_OK;
		in = start;
		cur_adv(&in, 1);
		in.end = c->p - 1;
		if ((st = script_enter(e->r, &l)) != SST_OK)
			return st;
		st = open == '(' ? script_expr(e->r, in, out) : open == '[' ? script_subst(e->r, in, out)
									    : script_array_literal(e->r, in, out);
		script_leave(e->r);
		return st;
	}
	if (*c->p == '"') {
		if (e->skip) {
			cur_skip_group(c);
			return SST_OK;
		}
		return script_string(e->r, c, out);
	}
	if (*c->p == '$') {
		if (e->skip) {
			skip_dollar(c);
			return SST_OK;
		}
		return script_dollar(e->r, c, out);
	}
	if (is_word(*c->p) || *c->p == ':') {
		bool digit = *c->p >= '0' && *c->p <= '9';

		while (c->p < c->end &&
		       (is_word(*c->p) || *c->p == ':' || *c->p == '.' || *c->p == '/' || (!digit && *c->p == '-')))
			cur_adv(c, 1);
		/* a trailing '.' is the concatenation after the word */
		while (c->p > start.p + 1 && c->p[-1] == '.') {
			c->p--;
			c->col--;
		}
		if (!e->skip)
			*out = sv_guess(start.p, (size_t)(c->p - start.p));
		return SST_OK;
	}
	{
		struct loc l = cur_loc(c);

		return script_err(e->r, &l, "unexpected \"%c\" in the expression", *c->p);
	}
}

static enum sst unary(struct ex *e, struct sval *out)
{
	struct cur *c = &e->c;
	struct loc l;
	struct sval v, x;
	enum sst st;
	char op;

	cur_skip_ws(c, true);
	if (c->p >= c->end || (*c->p != '!' && *c->p != '-' && *c->p != '~'))
		return primary(e, out);
	op = *c->p;
	l = cur_loc(c);
	cur_adv(c, 1);
	/* !!!!...x recurses once per operator: bounded as nesting is */
	if ((st = script_enter(e->r, &l)) != SST_OK)
		return st;
	st = unary(e, &v);
	script_leave(e->r);
	if (st != SST_OK)
		return st;
	*out = sv_nothing();
	if (e->skip) {
		sv_free(&v);
		return SST_OK;
	}
	x = operand(&v);
	sv_free(&v);
	if (op == '!') {
		*out = sv_bool(!sv_truth(&x));
	} else if (op == '-' && (x.t == SV_NUM || x.t == SV_TIME)) {
		*out = x;
		out->u.n = wrap_sub(0, x.u.n);
	} else if (op == '~' && x.t == SV_NUM) {
		*out = sv_num(~x.u.n);
	} else if (op == '~' && is_addr(&x)) {
		int i;

		*out = x;
		for (i = 0; i < 16; i++)
			out->u.ip.a[i] = (uint8_t)~x.u.ip.a[i];
	} else {
		st = script_err(e->r, &l, "cannot use %c on %s", op, sv_typeof(&x));
	}
	sv_free(&x);
	return st;
}

static enum sst binary(struct ex *e, int minprec, struct sval *out)
{
	enum sst st;
	struct sval rhs, res;

	if ((st = unary(e, out)) != SST_OK)
		return st;
	for (;;) {
		int prec = 0;
		size_t len = 0;
		struct loc l;
		enum op op = op_peek(e, &prec, &len);
		bool skip_rhs;

		if (op == OP_NONE || prec < minprec)
			return SST_OK;
		l = cur_loc(&e->c);
		cur_adv(&e->c, len);
		/* && and || decide on the left when they can; the right is
		 * still read, not run */
		skip_rhs = e->skip;
		if (op == OP_AND || op == OP_OR) {
			bool t = sv_truth(out);

			if ((op == OP_AND && !t) || (op == OP_OR && t)) {
				e->skip = true;
				st = binary(e, prec + 1, &rhs);
				e->skip = skip_rhs;
				sv_free(&rhs);
				sv_free(out);
				*out = sv_bool(op == OP_OR);
				if (st != SST_OK)
					return st;
				continue;
			}
		}
		if ((st = binary(e, prec + 1, &rhs)) != SST_OK) {
			sv_free(out);
			return st;
		}
		if (e->skip) {
			sv_free(&rhs);
			continue;
		}
		if (op == OP_AND || op == OP_OR) {
			res = sv_bool(sv_truth(&rhs));
			st = SST_OK;
		} else if (op == OP_COMMA && out->t == SV_ARRAY) {
			/* (1,2,3,...) grows the list it has made so far in
			 * place: a copy per comma was quadratic */
			if (rhs.t == SV_ARRAY) {
				size_t i;

				for (i = 0; i < rhs.u.a->n; i++)
					sa_push(out->u.a, sv_copy(&rhs.u.a->v[i].v));
			} else if (rhs.t != SV_NOTHING) {
				sa_push(out->u.a, rhs);
				rhs = sv_nothing();
			}
			sv_free(&rhs);
			if ((st = script_mem_check(e->r, &l, 0)) != SST_OK)
				return st;
			continue;
		} else {
			st = apply(e, op, out, &rhs, &l, &res);
		}
		sv_free(out);
		sv_free(&rhs);
		*out = res;
		if (st == SST_OK)
			st = script_mem_check(e->r, &l, 0);
		if (st != SST_OK)
			return st;
	}
}

enum sst script_expr(struct run *r, struct cur c, struct sval *out)
{
	struct ex e = { .r = r, .c = c };
	enum sst st;

	*out = sv_nothing();
	cur_skip_ws(&e.c, true);
	if (e.c.p >= e.c.end)
		return SST_OK;	/* () is nothing */
	if ((st = binary(&e, 0, out)) != SST_OK)
		return st;
	cur_skip_ws(&e.c, true);
	if (e.c.p < e.c.end) {
		struct loc l = cur_loc(&e.c);

		sv_free(out);
		return script_err(r, &l, "unexpected \"%c\" in the expression", *e.c.p);
	}
	return SST_OK;
}
