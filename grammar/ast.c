/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ast.h"

#include <stdlib.h>

#include "arena.h"
#include "lexer_state.h"
#include "parser.h"

#define YYSTYPE RSCSTYPE
#define YYLTYPE RSCLTYPE
#include "lexer.h"

static unsigned parse_run(struct diag *d, uint32_t file, const char *buf, size_t len,
			  char *padded, ast_stmt_fn fn, void *ctx)
{
	struct lex_state st = {
		.diag = d,
		.file = file,
		.line = 1,
		.col = 1,
		.at_cmd_start = true,
		.fn = fn,
		.ctx = ctx,
	};
	yyscan_t scanner;
	YY_BUFFER_STATE b;
	size_t skip = 0;

	/* A UTF-8 byte order mark is not part of the first command. */
	if (len >= 3 && (unsigned char)buf[0] == 0xef && (unsigned char)buf[1] == 0xbb &&
	    (unsigned char)buf[2] == 0xbf) {
		skip = 3;
		st.col = 4;
	}
	st.arena = arena_new();
	rsclex_init_extra(&st, &scanner);
	if (padded)
		b = rsc_scan_buffer(padded + skip, len - skip + PARSE_PADDING, scanner);
	else
		b = rsc_scan_bytes(buf + skip, (int)(len - skip), scanner);
	rscparse(scanner, &st);
	rsc_restore_text(scanner);
	rsc_delete_buffer(b, scanner);
	rsclex_destroy(scanner);
	arena_free(st.arena);
	free(st.acc);
	return st.syntax_errors;
}

unsigned parse_buffer(struct diag *d, uint32_t file, const char *buf, size_t len,
		      ast_stmt_fn fn, void *ctx)
{
	return parse_run(d, file, buf, len, NULL, fn, ctx);
}

unsigned parse_buffer_padded(struct diag *d, uint32_t file, char *buf, size_t len,
			     ast_stmt_fn fn, void *ctx)
{
	return parse_run(d, file, buf, len, buf, fn, ctx);
}

static void text_print(const char *s, size_t n, FILE *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\%02X", c);
		else
			fputc(c, out);
	}
}

static void item_print(const struct ast_item *it, FILE *out);

static void stmts_print(const struct ast_cmd *c, FILE *out)
{
	for (; c; c = c->next) {
		ast_cmd_print(c, out);
		if (c->next)
			fputs("; ", out);
	}
}

static void item_print(const struct ast_item *it, FILE *out)
{
	switch (it->kind) {
	case IT_SLASH:
		fputs("SLASH", out);
		break;
	case IT_WORD:
	case IT_SCRIPT:
		fprintf(out, "%s(", it->kind == IT_WORD ? "W" : "SCRIPT");
		text_print(it->text, it->len, out);
		fputc(')', out);
		break;
	case IT_STRING:
		fputs("S(\"", out);
		text_print(it->text, it->len, out);
		fputs("\")", out);
		break;
	case IT_OP:
		fprintf(out, "OP(%s \"", it->name);
		text_print(it->text, it->len, out);
		fputs("\")", out);
		break;
	case IT_PROP:
		fputs("P(", out);
		text_print(it->name, it->name_len, out);
		fputs(it->flags & VF_NE ? "!=" : it->flags & VF_REGEX ? "~" : "=", out);
		if (it->group) {
			item_print(it->group, out);
		} else {
			fputc('"', out);
			text_print(it->text, it->len, out);
			fputc('"', out);
		}
		fputc(')', out);
		break;
	case IT_BRACKET:
	case IT_PAREN:
		fputs(it->kind == IT_BRACKET ? "[" : "(", out);
		if (it->sub)
			ast_cmd_print(it->sub, out);
		fputs(it->kind == IT_BRACKET ? "]" : ")", out);
		break;
	case IT_BLOCK:
		fputs("{", out);
		stmts_print(it->stmts, out);
		fputs("}", out);
		break;
	}
}

void ast_cmd_print(const struct ast_cmd *c, FILE *out)
{
	const struct ast_item *it;

	for (it = c->items; it; it = it->next) {
		item_print(it, out);
		if (it->next)
			fputc(' ', out);
	}
}
