/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RouterOS script grammar: statements of items, blocks in braces, commands
 * in brackets. Only the surface syntax lives here; menus, verbs and
 * properties are resolved by the model.
 */
%define api.pure full
%define api.prefix {rsc}
%define parse.error detailed
/* `word =value` versus `word=value` after a word, on '=' and '~', at the
 * start of a command and after other items: shifting (name=value) wins. */
%expect 4
%locations
%define api.location.type {struct loc}
%param {void *scanner}
%parse-param {struct lex_state *st}

%code requires {
#include "lexer_state.h"
}

%code provides {
int rsclex(RSCSTYPE *lval, RSCLTYPE *lloc, void *scanner);
}

%code {
#include <string.h>

#include "arena.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
	do {                                                            \
		if (N) {                                                \
			(Cur).file = YYRHSLOC(Rhs, 1).file;             \
			(Cur).line = YYRHSLOC(Rhs, 1).line;             \
			(Cur).col = YYRHSLOC(Rhs, 1).col;               \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;   \
			(Cur).last_col = YYRHSLOC(Rhs, N).last_col;     \
		} else {                                                \
			(Cur).file = YYRHSLOC(Rhs, 0).file;             \
			(Cur).line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line; \
			(Cur).col = (Cur).last_col = YYRHSLOC(Rhs, 0).last_col; \
		}                                                       \
	} while (0)

static void rscerror(const RSCLTYPE *loc, void *scanner, struct lex_state *st, const char *msg)
{
	(void)scanner;
	diag_error(st->diag, loc, "%s", msg);
	st->syntax_errors++;
}

static struct ast_cmd *cmd_new(struct lex_state *st, struct ast_item *first, const RSCLTYPE *loc)
{
	struct ast_cmd *c = arena_alloc(st->arena, sizeof(*c));

	c->loc = *loc;
	c->items = first;
	c->nitems = first ? 1 : 0;
	return c;
}

/* Items are appended in source order; the command keeps a tail pointer in
 * its last item's chain, so walk only from the known last item. */
static void cmd_append(struct ast_cmd *c, struct ast_item *last, struct ast_item *it)
{
	if (!c->items)
		c->items = it;
	else
		last->next = it;
	c->nitems++;
}

/* Append to the items of a command under construction (a {cmd, last} pair). */
#define ITEMS_APPEND(l, it, at)                                         \
	do {                                                            \
		struct ast_item *it_ = (it);                            \
		cmd_append((l).cmd, (l).last, it_);                     \
		(l).last = it_;                                         \
		(l).cmd->loc.last_line = (at)->last_line;               \
		(l).cmd->loc.last_col = (at)->last_col;                 \
	} while (0)

/* End of a top-level statement: its tree is no longer needed. True when
 * the error cap is reached and parsing should stop. */
static bool stmt_done(struct lex_state *st)
{
	/* Groups an error left open close with their statement. */
	st->depth = 0;
	arena_reset(st->arena);
	return diag_full(st->diag);
}

static struct ast_item *group_new(struct lex_state *st, enum item_kind k, const RSCLTYPE *loc)
{
	struct ast_item *it = arena_alloc(st->arena, sizeof(*it));

	it->kind = k;
	it->loc = *loc;
	it->vloc = *loc;
	it->text = "";
	return it;
}

static struct ast_item *prop_new(struct lex_state *st, struct ast_item *name, int op,
				 struct ast_item *val, struct ast_item *group, const RSCLTYPE *loc)
{
	/* The value's own item becomes the property: one item less to
	 * allocate and clear for every name=value of a large script. */
	struct ast_item *it = val ? val : arena_alloc(st->arena, sizeof(*it));
	size_t n = name->len;

	it->kind = IT_PROP;
	it->loc = *loc;
	it->name = name->text;
	it->flags = val ? val->flags & ~(VF_NE | VF_REGEX) : 0;
	/* `chain!=input` scans as the word "chain!" and '=' */
	if (op == '=' && n > 1 && name->text[n - 1] == '!') {
		n--;
		it->flags |= VF_NE;
	}
	if (op == '~')
		it->flags |= VF_REGEX;
	it->name_len = n;
	if (!val) {
		it->text = "";
		it->group = group;
		it->vloc = group->loc;
	}
	if (name->flags & VF_VAR)
		it->flags |= VF_VAR;
	return it;
}
}

%union {
	struct ast_item *item;
	struct ast_cmd *cmd;
	struct {
		struct ast_cmd *cmd;
		struct ast_item *last;
	} list;
}

%token T_EOL "end of line"
%token <item> T_WORD "word"
%token <item> T_STRING "quoted string"
%token <item> T_VALUE "value"
%token <item> T_SCRIPT "scripting command"
%token <item> T_PNAME_EQ "name="
%token <item> T_PNAME_RE "name~"
%token <item> T_PROP "name=value"
%token T_SLASH "'/'"

%type <item> item group
%type <list> items
%type <cmd> cmd cmd_opt stmts stmt block_body

%%

/* A top-level statement is folded into input directly, and the commonest
 * items (a word, name=value) into items: a million-line address list costs
 * five reductions a line instead of nine. cmd stays a reduction of its
 * own: on a bad token after a command the error says "expecting end of line". */
input
	: %empty
	| input T_EOL		{ if (stmt_done(st)) YYABORT; }
	| input cmd T_EOL	{
					/* The source as written while the statement
					 * runs: the script interpreter reads it again
					 * (flex would have a NUL after the newline). */
					rsc_restore_text(scanner);
					st->fn(st->ctx, $2);
					if (stmt_done(st))
						YYABORT;
				}
	| input error T_EOL	{ yyerrok; if (stmt_done(st)) YYABORT; }
	;

stmt
	: T_EOL			{ $$ = NULL; }
	| cmd T_EOL		{ $$ = $1; }
	| error T_EOL		{ $$ = NULL; yyerrok; }
	;

cmd
	: items			{ $$ = $1.cmd; }
	;

items
	: item			{ $$.cmd = cmd_new(st, $1, &@$); $$.last = $1; }
	| T_WORD		{ $$.cmd = cmd_new(st, $1, &@$); $$.last = $1; }
	| T_PNAME_EQ T_VALUE	{
					$$.last = prop_new(st, $1, '=', $2, NULL, &@$);
					$$.cmd = cmd_new(st, $$.last, &@$);
				}
	| T_PROP		{ $$.cmd = cmd_new(st, $1, &@$); $$.last = $1; }
	| items item		{ $$ = $1; ITEMS_APPEND($$, $2, &@2); }
	| items T_PROP		{ $$ = $1; ITEMS_APPEND($$, $2, &@2); }
	| items T_WORD		{ $$ = $1; ITEMS_APPEND($$, $2, &@2); }
	| items T_PNAME_EQ T_VALUE	{
					RSCLTYPE l = @2;

					l.last_line = @3.last_line;
					l.last_col = @3.last_col;
					$$ = $1;
					ITEMS_APPEND($$, prop_new(st, $2, '=', $3, NULL, &l), &l);
				}
	;

item
	: T_SLASH		{ $$ = group_new(st, IT_SLASH, &@$); $$->text = "/"; $$->len = 1; }
	| T_STRING		{ $$ = $1; }
	| T_SCRIPT		{ $$ = $1; }
	| T_PNAME_RE T_VALUE	{ $$ = prop_new(st, $1, '~', $2, NULL, &@$); }
	| T_PNAME_EQ group	{ $$ = prop_new(st, $1, '=', NULL, $2, &@$); }
	| T_WORD '=' T_VALUE	{ $$ = prop_new(st, $1, '=', $3, NULL, &@$); }
	| T_WORD '~' T_VALUE	{ $$ = prop_new(st, $1, '~', $3, NULL, &@$); }
	| T_WORD '=' group	{ $$ = prop_new(st, $1, '=', NULL, $3, &@$); }
	| '=' T_VALUE		{ $$ = $2; $$->kind = IT_OP; $$->name = "="; $$->name_len = 1; $$->loc = @$; }
	| '~' T_VALUE		{ $$ = $2; $$->kind = IT_OP; $$->name = "~"; $$->name_len = 1; $$->loc = @$; }
	| group			{ $$ = $1; }
	;

group
	: '[' deeper cmd_opt ']'	{ st->depth--; $$ = group_new(st, IT_BRACKET, &@$); $$->sub = $3; }
	| '(' deeper cmd_opt ')'	{ st->depth--; $$ = group_new(st, IT_PAREN, &@$); $$->sub = $3; }
	| '{' deeper block_body '}'	{ st->depth--; $$ = group_new(st, IT_BLOCK, &@$); $$->stmts = $3; }
	;

/* Right after an opening bracket, before the parser's stack grows by what
 * it holds: its location is the bracket's. */
deeper
	: %empty		{
					if (++st->depth > PARSE_MAX_DEPTH) {
						diag_error(st->diag, &@$,
							   "nesting too deep: more than %d levels of (), [] and {}; rosfw reads no further in this file",
							   PARSE_MAX_DEPTH);
						st->syntax_errors++;
						YYABORT;
					}
				}
	;

cmd_opt
	: %empty		{ $$ = NULL; }
	| cmd			{ $$ = $1; }
	;

/* Statements inside braces; the last one needs no end of line before '}'. */
block_body
	: stmts cmd_opt		{
					$$ = $1;
					if ($2) {
						struct ast_cmd **p = &$$;
						while (*p)
							p = &(*p)->next;
						*p = $2;
					}
				}
	;

stmts
	: %empty		{ $$ = NULL; }
	| stmts stmt		{
					$$ = $1;
					if ($2) {
						struct ast_cmd **p = &$$;
						while (*p)
							p = &(*p)->next;
						*p = $2;
					}
				}
	;

%%
