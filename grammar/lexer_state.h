/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_LEXER_STATE_H
#define ROSFW_LEXER_STATE_H

/* Shared by the scanner and the parser only. */

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

/**
 * struct lex_state - scanner state carried in yyextra.
 * @line, @col: position of the next byte.
 * @at_cmd_start: the next token begins a command, where '/', ':word' and
 *                '#' have their special meaning.
 * @acc: value or string being assembled across quotes, escapes and
 *       line continuations; @acc_loc is where it started.
 * @str_return: start condition to go back to after a quoted string.
 * @pending_eol: a command was left open at end of input; one EOL is owed.
 * @depth: groups ( [ { open in the current top-level statement (the parser
 *         counts them; see PARSE_MAX_DEPTH).
 */
struct lex_state {
	struct diag *diag;
	struct arena *arena;
	uint32_t file;
	uint32_t line, col;
	bool at_cmd_start;
	char *acc;
	size_t acc_len, acc_cap;
	struct loc acc_loc;
	unsigned acc_flags;
	int str_return;
	bool pending_eol;
	unsigned depth;
	unsigned syntax_errors;
	ast_stmt_fn fn;
	void *ctx;
};

/* After a parse: the byte flex replaced by a NUL goes back (lexer.l). */
void rsc_restore_text(void *scanner);

#endif
