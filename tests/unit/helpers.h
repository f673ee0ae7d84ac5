/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the unit tests: parse a string into printed statements or item
 * snapshots, run a script into a fresh model, look diagnostics up. Every
 * helper is static inline so each test driver stays one file.
 */
#ifndef ROSFW_TEST_HELPERS_H
#define ROSFW_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ast.h"
#include "diag.h"
#include "dump.h"
#include "model.h"

#define HELPER static inline __attribute__((unused))

/* ---- diagnostics -------------------------------------------------------- */

HELPER const char *level_str(enum diag_level l)
{
	return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

/* Every queued message, one per line as "line:col-last_col: level: text";
 * for failure output and whole-list comparisons. Caller frees. */
HELPER char *diag_text(const struct diag *d)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	for (i = 0; i < diag_count(d); i++) {
		const struct diag_msg *m = diag_at(d, i);

		fprintf(f, "%u:%u-%u:%u: %s: %s\n", m->loc.line, m->loc.col, m->loc.last_line, m->loc.last_col,
			level_str(m->level), m->text);
	}
	fclose(f);
	return buf;
}

/* The first message (in position order) whose text holds `sub`, or NULL. */
HELPER const struct diag_msg *diag_find(const struct diag *d, const char *sub)
{
	size_t i;

	for (i = 0; i < diag_count(d); i++)
		if (strstr(diag_at(d, i)->text, sub))
			return diag_at(d, i);
	return NULL;
}

HELPER size_t diag_count_level(const struct diag *d, enum diag_level l)
{
	size_t i, n = 0;

	for (i = 0; i < diag_count(d); i++)
		n += diag_at(d, i)->level == l;
	return n;
}

HELPER void diag_fail(const struct diag *d, const char *why, const char *file, int line)
{
	char *all = diag_text(d);

	print_error("%s\nmessages:\n%s", why, all && *all ? all : "(none)\n");
	free(all);
	_fail(file, line);
}

/* A message holding `sub` exists, with that level, at line:col (0 = any). */
HELPER const struct diag_msg *diag_expect(const struct diag *d, enum diag_level lvl, unsigned line,
					  unsigned col, const char *sub, const char *file, int fline)
{
	const struct diag_msg *m = diag_find(d, sub);
	char why[512];

	if (!m) {
		snprintf(why, sizeof(why), "no message contains \"%s\"", sub);
		diag_fail(d, why, file, fline);
		return NULL;
	}
	if (m->level != lvl || (line && m->loc.line != line) || (col && m->loc.col != col)) {
		snprintf(why, sizeof(why), "\"%s\": expected %s at %u:%u, got %s at %u:%u", sub, level_str(lvl),
			 line, col, level_str(m->level), m->loc.line, m->loc.col);
		diag_fail(d, why, file, fline);
	}
	return m;
}

#define assert_diag(d, lvl, line, col, sub) diag_expect((d), (lvl), (line), (col), (sub), __FILE__, __LINE__)

HELPER void diag_expect_none(const struct diag *d, enum diag_level lvl, const char *file, int line)
{
	if (diag_count_level(d, lvl)) {
		char why[64];

		snprintf(why, sizeof(why), "expected no %s", level_str(lvl));
		diag_fail(d, why, file, line);
	}
}

#define assert_no_errors(d) diag_expect_none((d), DIAG_ERROR, __FILE__, __LINE__)
#define assert_no_warnings(d) diag_expect_none((d), DIAG_WARNING, __FILE__, __LINE__)

HELPER void diag_expect_count(const struct diag *d, size_t n, const char *file, int line)
{
	if (diag_count(d) != n) {
		char why[64];

		snprintf(why, sizeof(why), "expected %zu message(s), got %zu", n, diag_count(d));
		diag_fail(d, why, file, line);
	}
}

#define assert_diag_count(d, n) diag_expect_count((d), (n), __FILE__, __LINE__)

/* ---- parsing ------------------------------------------------------------ */

#define PARSE_MAX_STMTS 32

/**
 * struct parsed - a parse of one buffer.
 * @out:    ast_cmd_print of each top-level statement, each followed by '\n'.
 * @nstmts: statements delivered; @lines[i] the first line of each.
 * @errors: parse_buffer's count of syntax errors.
 */
struct parsed {
	struct diag *d;
	char *out;
	size_t out_len;
	size_t nstmts;
	unsigned lines[PARSE_MAX_STMTS];
	unsigned errors;
	FILE *f;
};

HELPER void parsed_print_cb(void *ctx, const struct ast_cmd *c)
{
	struct parsed *p = ctx;
	char *one = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&one, &len);

	/* The tree is gone once the callback returns: print it now. */
	assert_non_null(f);
	ast_cmd_print(c, f);
	fclose(f);
	fwrite(one, 1, len, p->f);
	fputc('\n', p->f);
	free(one);
	if (p->nstmts < PARSE_MAX_STMTS)
		p->lines[p->nstmts] = c->loc.line;
	p->nstmts++;
}

/* Parse `len` bytes of `src` (which must outlive the result). */
HELPER struct parsed parse_n(const char *src, size_t len)
{
	struct parsed p;

	memset(&p, 0, sizeof(p));
	p.d = diag_new(100);
	p.f = open_memstream(&p.out, &p.out_len);
	assert_non_null(p.f);
	p.errors = parse_buffer(p.d, diag_add_source(p.d, "test.rsc", src, len), src, len, parsed_print_cb, &p);
	fclose(p.f);
	p.f = NULL;
	return p;
}

HELPER struct parsed parse_str(const char *src)
{
	return parse_n(src, strlen(src));
}

HELPER void parsed_free(struct parsed *p)
{
	free(p->out);
	diag_free(p->d);
	memset(p, 0, sizeof(*p));
}

/* `src` parses without a message into exactly `expected`. */
HELPER void parse_expect(const char *src, size_t len, const char *expected, const char *file, int line)
{
	struct parsed p = parse_n(src, len);

	if (diag_count(p.d))
		diag_fail(p.d, "unexpected message", file, line);
	if (strcmp(p.out, expected)) {
		print_error("input:    \"%s\"\nexpected: \"%s\"\nactual:   \"%s\"\n", src, expected, p.out);
		parsed_free(&p);
		_fail(file, line);
	}
	parsed_free(&p);
}

#define assert_parse(src, expected) parse_expect((src), sizeof(src) - 1, (expected), __FILE__, __LINE__)

/* Copies of the items of top-level statements, for flags and locations. */
#define SNAP_TEXT 128
#define SNAP_ITEMS 24

struct item_snap {
	enum item_kind kind;
	unsigned flags;
	struct loc loc, vloc;
	char text[SNAP_TEXT];	/* may hold NUL bytes; NUL-terminated at len */
	size_t len;
	char name[64];
	bool has_group;
	enum item_kind group_kind;
	struct loc group_loc;
};

struct stmt_snap {
	struct loc loc;
	size_t nitems;
	struct item_snap items[SNAP_ITEMS];
};

struct snaps {
	struct diag *d;
	size_t n;
	struct stmt_snap s[PARSE_MAX_STMTS];
};

HELPER void snaps_cb(void *ctx, const struct ast_cmd *c)
{
	struct snaps *s = ctx;
	struct stmt_snap *st;
	const struct ast_item *it;

	if (s->n == PARSE_MAX_STMTS)
		return;
	st = &s->s[s->n++];
	st->loc = c->loc;
	for (it = c->items; it && st->nitems < SNAP_ITEMS; it = it->next) {
		struct item_snap *x = &st->items[st->nitems++];
		size_t n = it->len < SNAP_TEXT - 1 ? it->len : SNAP_TEXT - 1;

		x->kind = it->kind;
		x->flags = it->flags;
		x->loc = it->loc;
		x->vloc = it->vloc;
		memcpy(x->text, it->text, n);
		x->text[n] = '\0';
		x->len = it->len;
		if (it->name)
			snprintf(x->name, sizeof(x->name), "%.*s", (int)it->name_len, it->name);
		if (it->group) {
			x->has_group = true;
			x->group_kind = it->group->kind;
			x->group_loc = it->group->loc;
		}
	}
}

/* Caller frees with snaps_free. */
HELPER struct snaps *snap_n(const char *src, size_t len)
{
	struct snaps *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->d = diag_new(100);
	parse_buffer(s->d, diag_add_source(s->d, "test.rsc", src, len), src, len, snaps_cb, s);
	return s;
}

HELPER struct snaps *snap_str(const char *src)
{
	return snap_n(src, strlen(src));
}

HELPER void snaps_free(struct snaps *s)
{
	diag_free(s->d);
	free(s);
}

/* Item `i` of statement `st`, failing the test when there is none. */
HELPER const struct item_snap *snap_item(const struct snaps *s, size_t st, size_t i)
{
	assert_true(st < s->n);
	assert_true(i < s->s[st].nitems);
	return &s->s[st].items[i];
}

HELPER void loc_expect(const struct loc *l, unsigned line, unsigned col, unsigned last_line, unsigned last_col,
		       const char *file, int fline)
{
	if (l->line != line || l->col != col || l->last_line != last_line || l->last_col != last_col) {
		print_error("location: expected %u:%u-%u:%u, got %u:%u-%u:%u\n", line, col, last_line, last_col,
			    l->line, l->col, l->last_line, l->last_col);
		_fail(file, fline);
	}
}

#define assert_loc(l, line, col, last_line, last_col) \
	loc_expect((l), (line), (col), (last_line), (last_col), __FILE__, __LINE__)

/* ---- model -------------------------------------------------------------- */

/**
 * struct run - one script run into a fresh model, as `rosfw check` does:
 * model_run, then model_finish unless the error cap stopped it.
 */
struct run {
	struct diag *d;
	struct model *m;
	uint32_t file;
};

HELPER struct run run_script_cap(const char *src, size_t len, unsigned max_errors)
{
	struct run r;

	r.d = diag_new(max_errors);
	r.m = model_new(r.d);
	r.file = diag_add_source(r.d, "test.rsc", src, len);
	model_run(r.m, r.file, src, len);
	if (!diag_full(r.d))
		model_finish(r.m);
	return r;
}

/* `src` must outlive the run (string literals do). */
HELPER struct run run_script(const char *src)
{
	return run_script_cap(src, strlen(src), 100);
}

HELPER void run_free(struct run *r)
{
	model_free(r->m);
	diag_free(r->d);
	memset(r, 0, sizeof(*r));
}

/* Property `prop` of every item of menu `k`, space-separated, "-" where
 * unset: "a b c" for the chains of three rules. Caller frees. */
HELPER char *model_column(const struct model *m, enum menu_kind k, const char *prop)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_non_null(prop_lookup(k, prop));
	for (i = 0; i < model_count(m, k); i++) {
		const struct mprop *p = mitem_prop(model_item(m, k, i), prop_lookup(k, prop)->id);

		if (i)
			fputc(' ', f);
		if (p)
			fwrite(p->value, 1, mprop_len(p), f);
		else
			fputc('-', f);
	}
	fclose(f);
	return buf;
}

HELPER void column_expect(const struct model *m, enum menu_kind k, const char *prop, const char *expected,
			  const char *file, int line)
{
	char *got = model_column(m, k, prop);

	if (strcmp(got, expected)) {
		print_error("%s of each item: expected \"%s\", got \"%s\"\n", prop, expected, got);
		free(got);
		_fail(file, line);
	}
	free(got);
}

#define assert_column(m, k, prop, expected) column_expect((m), (k), (prop), (expected), __FILE__, __LINE__)

/* The value `prop` of item `i` as the script set it, or NULL. */
HELPER const char *item_prop(const struct model *m, enum menu_kind k, size_t i, const char *prop)
{
	const struct mitem *it = model_item(m, k, i);
	const struct mprop *p;

	assert_non_null(it);
	assert_non_null(prop_lookup(k, prop));
	p = mitem_prop(it, prop_lookup(k, prop)->id);
	return p ? p->value : NULL;
}

/* The item of menu `k` named `name`, or NULL. */
HELPER const struct mitem *item_named(const struct model *m, enum menu_kind k, const char *name)
{
	size_t i;

	for (i = 0; i < model_count(m, k); i++) {
		const char *v = mitem_value(model_item(m, k, i), k, P_NAME);

		if (v && !strcmp(v, name))
			return model_item(m, k, i);
	}
	return NULL;
}

/* dump_model into a string. Caller frees. */
HELPER char *dump_str(const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dump_model(m, f);
	fclose(f);
	return buf;
}

#endif
