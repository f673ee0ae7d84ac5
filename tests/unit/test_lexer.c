/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanner, seen through parse_buffer: RouterOS escapes, line
 * continuations, comments, separators, line endings, $variables and the
 * locations every token carries.
 */
#include "helpers.h"

/* `add comment="<inner>"` gives a value that ast_cmd_print shows as `printed`
 * (it escapes '"' and '\' and shows control bytes as \HH). */
#define assert_quoted(inner, printed) \
	assert_parse("add comment=\"" inner "\"\n", "W(add) P(comment=\"" printed "\")\n")

/* ---- escapes in quoted strings ------------------------------------------ */

static void test_escape_dquote(void **state)
{
	(void)state;
	assert_quoted("a\\\"b", "a\\\"b");
}

static void test_escape_backslash(void **state)
{
	(void)state;
	assert_quoted("a\\\\b", "a\\\\b");
}

static void test_escape_newline(void **state)
{
	(void)state;
	assert_quoted("x\\ny", "x\\0Ay");
}

static void test_escape_carriage_return(void **state)
{
	(void)state;
	assert_quoted("x\\ry", "x\\0Dy");
}

static void test_escape_tab(void **state)
{
	(void)state;
	assert_quoted("x\\ty", "x\\09y");
}

static void test_escape_dollar(void **state)
{
	(void)state;
	assert_quoted("x\\$y", "x$y");
}

static void test_escape_question_mark(void **state)
{
	(void)state;
	assert_quoted("x\\?y", "x?y");
}

static void test_escape_underscore_is_space(void **state)
{
	(void)state;
	assert_quoted("x\\_y", "x y");
}

static void test_escape_bel(void **state)
{
	(void)state;
	assert_quoted("x\\ay", "x\\07y");
}

static void test_escape_backspace(void **state)
{
	(void)state;
	assert_quoted("x\\by", "x\\08y");
}

static void test_escape_form_feed(void **state)
{
	(void)state;
	assert_quoted("x\\fy", "x\\0Cy");
}

static void test_escape_vertical_tab(void **state)
{
	(void)state;
	assert_quoted("x\\vy", "x\\0By");
}

static void test_escape_hex_bytes(void **state)
{
	(void)state;
	assert_quoted("\\48\\49", "HI");
	/* RouterOS exports write non-ASCII text as hex bytes: é is C3 A9. */
	assert_quoted("\\C3\\A9", "\xc3\xa9");
}

/* The scripting manual: "\xx - hex value. Hex number should use capital
 * letters." So \a, \b and \f followed by a lowercase hex digit are still
 * BEL, backspace and form feed. */
static void test_escape_hex_needs_capitals(void **state)
{
	(void)state;
	assert_quoted("\\ab", "\\07b");
	assert_quoted("\\be", "\\08e");
	assert_quoted("\\fa", "\\0Ca");
}

static void test_escape_hex_00_is_nul_inside_value(void **state)
{
	static const char src[] = "add comment=\"a\\00b\"\n";
	struct snaps *s = snap_str(src);
	const struct item_snap *v;

	(void)state;
	assert_int_equal(diag_count(s->d), 0);
	v = snap_item(s, 0, 1);
	assert_int_equal(v->kind, IT_PROP);
	assert_int_equal(v->len, 3);
	assert_memory_equal(v->text, "a\0b", 3);
	snaps_free(s);
	assert_parse("add comment=\"a\\00b\"\n", "W(add) P(comment=\"a\\00b\")\n");
}

static void test_escape_in_bare_value(void **state)
{
	(void)state;
	assert_parse("add comment=a\\_b\\$c\\\"d\n", "W(add) P(comment=\"a b$c\\\"d\")\n");
}

static void test_unknown_escape_in_quoted_string_is_error_at_backslash(void **state)
{
	/*                    1234567890123456 */
	struct parsed p = parse_str("add comment=\"ab\\qc\"\n");
	const struct diag_msg *m;

	(void)state;
	assert_int_equal(p.errors, 1);
	m = assert_diag(p.d, DIAG_ERROR, 1, 16, "unknown escape sequence '\\q'");
	assert_int_equal(m->loc.last_line, 1);
	assert_int_equal(m->loc.last_col, 17);
	parsed_free(&p);
}

static void test_unknown_escape_in_bare_value_is_error_at_backslash(void **state)
{
	struct parsed p = parse_str("add comment=ab\\qc\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 15, "unknown escape sequence");
	parsed_free(&p);
}

/* ---- line continuation -------------------------------------------------- */

static void test_continuation_between_items(void **state)
{
	(void)state;
	assert_parse("add chain=x \\\n    log=yes\n", "W(add) P(chain=\"x\") P(log=\"yes\")\n");
}

static void test_continuation_inside_value(void **state)
{
	(void)state;
	assert_parse("add log=\\\n    yes\n", "W(add) P(log=\"yes\")\n");
}

static void test_continuation_inside_quoted_string_drops_indentation(void **state)
{
	(void)state;
	assert_parse("add comment=\"abc\\\n    def\"\n", "W(add) P(comment=\"abcdef\")\n");
}

static void test_continuation_with_tabs_drops_indentation(void **state)
{
	(void)state;
	assert_parse("add comment=\"abc\\\n\t \tdef\"\n", "W(add) P(comment=\"abcdef\")\n");
}

static void test_continuation_escaped_space_at_wrap_point(void **state)
{
	(void)state;
	assert_parse("add comment=\"abc\\_\\\n    def\"\n", "W(add) P(comment=\"abc def\")\n");
}

static void test_continuation_crlf(void **state)
{
	(void)state;
	assert_parse("add comment=\"abc\\\r\n    def\" \\\r\n    log=yes\r\n",
		     "W(add) P(comment=\"abcdef\") P(log=\"yes\")\n");
}

/* A backslash followed by spaces is not a continuation in RouterOS. rosfw
 * says so once and reads on as if it were one, so a stray space gives one
 * error, not one more for the orphaned next line. */
static void test_backslash_spaces_newline_between_items_is_error(void **state)
{
	struct parsed p = parse_str("add chain=x \\  \n    log=yes\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 13, "not a line continuation");
	assert_string_equal(p.out, "W(add) P(chain=\"x\") P(log=\"yes\")\n");
	parsed_free(&p);
}

static void test_backslash_spaces_newline_in_quoted_string_is_error(void **state)
{
	struct parsed p = parse_str("add comment=\"abc\\ \n    def\"\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 17, "not a line continuation");
	assert_string_equal(p.out, "W(add) P(comment=\"abcdef\")\n");
	parsed_free(&p);
}

static void test_backslash_spaces_newline_in_value_is_error(void **state)
{
	struct parsed p = parse_str("add log=\\ \n    yes\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 9, "not a line continuation");
	assert_string_equal(p.out, "W(add) P(log=\"yes\")\n");
	parsed_free(&p);
}

/* The manual: "A backslash does not continue a comment." */
static void test_backslash_does_not_continue_comment(void **state)
{
	(void)state;
	assert_parse("# a comment \\\nadd a=1\n", "W(add) P(a=\"1\")\n");
}

/* ---- comments and separators -------------------------------------------- */

static void test_comment_at_line_start(void **state)
{
	struct parsed p = parse_str("# first\nadd a=1\n#second\n");

	(void)state;
	assert_int_equal(diag_count(p.d), 0);
	assert_string_equal(p.out, "W(add) P(a=\"1\")\n");
	assert_int_equal(p.nstmts, 1);
	assert_int_equal(p.lines[0], 2);
	parsed_free(&p);
}

static void test_comment_after_indentation(void **state)
{
	(void)state;
	assert_parse("    # spaces\n\t# tab\nadd a=1\n", "W(add) P(a=\"1\")\n");
}

static void test_comment_after_semicolon(void **state)
{
	(void)state;
	assert_parse("add a=1; # why\n", "W(add) P(a=\"1\")\n");
}

static void test_hash_inside_value_is_text(void **state)
{
	(void)state;
	assert_parse("add comment=a#b chain=#x\n", "W(add) P(comment=\"a#b\") P(chain=\"#x\")\n");
}

static void test_hash_inside_quoted_string_is_text(void **state)
{
	(void)state;
	assert_parse("add comment=\"# not a comment\"\n", "W(add) P(comment=\"# not a comment\")\n");
}

static void test_semicolon_separates_commands(void **state)
{
	struct parsed p = parse_str("add a=1; add b=2;add c=3\n");

	(void)state;
	assert_int_equal(diag_count(p.d), 0);
	assert_string_equal(p.out, "W(add) P(a=\"1\")\nW(add) P(b=\"2\")\nW(add) P(c=\"3\")\n");
	assert_int_equal(p.nstmts, 3);
	assert_int_equal(p.lines[2], 1);
	parsed_free(&p);
}

static void test_semicolon_inside_quoted_string_is_text(void **state)
{
	(void)state;
	assert_parse("add comment=\"a;b\"\n", "W(add) P(comment=\"a;b\")\n");
}

static void test_empty_lines_and_blank_lines_give_nothing(void **state)
{
	(void)state;
	assert_parse("\n   \n\t\n;\n", "");
}

/* ---- line endings and encodings ----------------------------------------- */

static void test_crlf_line_endings(void **state)
{
	struct parsed p = parse_str("add a=1\r\nadd b=\"x\"\r\n");

	(void)state;
	assert_int_equal(diag_count(p.d), 0);
	assert_string_equal(p.out, "W(add) P(a=\"1\")\nW(add) P(b=\"x\")\n");
	assert_int_equal(p.lines[1], 2);
	parsed_free(&p);
}

static void test_mixed_lf_and_crlf(void **state)
{
	struct parsed p = parse_str("add a=1\nadd b=2\r\nadd c=3\n/ip firewall filter\r\n");

	(void)state;
	assert_int_equal(diag_count(p.d), 0);
	assert_string_equal(p.out, "W(add) P(a=\"1\")\nW(add) P(b=\"2\")\nW(add) P(c=\"3\")\n"
				   "SLASH W(ip) W(firewall) W(filter)\n");
	assert_int_equal(p.lines[3], 4);
	parsed_free(&p);
}

static void test_no_final_newline_after_value(void **state)
{
	(void)state;
	assert_parse("add a=1\nadd b=2", "W(add) P(a=\"1\")\nW(add) P(b=\"2\")\n");
}

static void test_no_final_newline_after_word(void **state)
{
	(void)state;
	assert_parse("/ip firewall filter", "SLASH W(ip) W(firewall) W(filter)\n");
}

static void test_no_final_newline_after_quoted_string(void **state)
{
	(void)state;
	assert_parse("add comment=\"x y\"", "W(add) P(comment=\"x y\")\n");
}

static void test_no_final_newline_after_comment(void **state)
{
	(void)state;
	assert_parse("add a=1\n# last", "W(add) P(a=\"1\")\n");
}

static void test_utf8_in_strings_kept_as_bytes(void **state)
{
	(void)state;
	assert_parse("add comment=\"h\xc3\xa9llo \xe6\x97\xa5\" name=\xc3\xa9t\xc3\xa9\n",
		     "W(add) P(comment=\"h\xc3\xa9llo \xe6\x97\xa5\") P(name=\"\xc3\xa9t\xc3\xa9\")\n");
}

static void test_utf8_bom_is_not_part_of_first_command(void **state)
{
	(void)state;
	assert_parse("\xef\xbb\xbf/ip firewall filter\nadd a=1\n", "SLASH W(ip) W(firewall) W(filter)\nW(add) P(a=\"1\")\n");
	assert_parse("\xef\xbb\xbf# comment\nadd a=1\n", "W(add) P(a=\"1\")\n");
}

static void test_utf8_bom_columns_count_its_bytes(void **state)
{
	struct snaps *s = snap_str("\xef\xbb\xbf" "add a=1\n");

	(void)state;
	/* Columns count bytes; the BOM takes the first three. */
	assert_loc(&snap_item(s, 0, 0)->loc, 1, 4, 1, 6);
	snaps_free(s);
}

/* ---- $variables --------------------------------------------------------- */

static void test_var_bare_value(void **state)
{
	struct snaps *s = snap_str("add chain=$x src-address=10.0.0.1\n");

	(void)state;
	assert_true(snap_item(s, 0, 1)->flags & VF_VAR);
	assert_string_equal(snap_item(s, 0, 1)->text, "$x");
	assert_false(snap_item(s, 0, 2)->flags & VF_VAR);
	snaps_free(s);
}

static void test_var_bare_word(void **state)
{
	struct snaps *s = snap_str("set $n disabled=yes\n");

	(void)state;
	assert_int_equal(snap_item(s, 0, 1)->kind, IT_WORD);
	assert_true(snap_item(s, 0, 1)->flags & VF_VAR);
	assert_false(snap_item(s, 0, 0)->flags & VF_VAR);
	snaps_free(s);
}

static void test_var_in_quoted_string(void **state)
{
	struct snaps *s = snap_str("add comment=\"host $name up\" log-prefix=\"$(x)\"\n");

	(void)state;
	assert_true(snap_item(s, 0, 1)->flags & VF_VAR);
	assert_true(snap_item(s, 0, 1)->flags & VF_QUOTED);
	assert_string_equal(snap_item(s, 0, 1)->text, "host $name up");
	assert_true(snap_item(s, 0, 2)->flags & VF_VAR);
	snaps_free(s);
}

static void test_escaped_dollar_is_not_a_variable(void **state)
{
	struct snaps *s = snap_str("add comment=\"cost \\$x\" log-prefix=\\$y regexp=\"^a.*\\$\"\n");

	(void)state;
	assert_int_equal(diag_count(s->d), 0);
	assert_false(snap_item(s, 0, 1)->flags & VF_VAR);
	assert_string_equal(snap_item(s, 0, 1)->text, "cost $x");
	assert_false(snap_item(s, 0, 2)->flags & VF_VAR);
	assert_string_equal(snap_item(s, 0, 2)->text, "$y");
	assert_false(snap_item(s, 0, 3)->flags & VF_VAR);
	assert_string_equal(snap_item(s, 0, 3)->text, "^a.*$");
	snaps_free(s);
}

static void test_dollar_without_name_is_not_a_variable(void **state)
{
	struct snaps *s = snap_str("add comment=\"5 $\" log-prefix=a$\n");

	(void)state;
	assert_false(snap_item(s, 0, 1)->flags & VF_VAR);
	assert_false(snap_item(s, 0, 2)->flags & VF_VAR);
	assert_string_equal(snap_item(s, 0, 2)->text, "a$");
	snaps_free(s);
}

/* ---- quotes ------------------------------------------------------------- */

static void test_missing_closing_quote_is_error_and_next_line_parses(void **state)
{
	struct parsed p = parse_str("add comment=\"abc\nadd chain=x\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 13, "missing closing quote");
	assert_int_equal(p.nstmts, 2);
	assert_int_equal(p.lines[1], 2);
	assert_non_null(strstr(p.out, "W(add) P(chain=\"x\")\n"));
	parsed_free(&p);
}

static void test_missing_closing_quote_of_standalone_string(void **state)
{
	struct parsed p = parse_str(":put \"abc\n:put x\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 6, "missing closing quote");
	assert_string_equal(p.out, "SCRIPT(:put) S(\"abc\")\nSCRIPT(:put) W(x)\n");
	parsed_free(&p);
}

static void test_missing_closing_quote_at_end_of_input(void **state)
{
	struct parsed p = parse_str("add comment=\"abc");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 13, "missing closing quote");
	parsed_free(&p);
}

static void test_quoted_parts_glue_with_bare_parts(void **state)
{
	(void)state;
	assert_parse("add comment=a\"b c\"d\n", "W(add) P(comment=\"ab cd\")\n");
}

/* ---- flags and locations ------------------------------------------------ */

static void test_exact_flag_only_for_plain_one_line_values(void **state)
{
	struct snaps *s = snap_str("add a=x b=\"y z\" c=\"t\\_u\" d=\\\n  v\n");

	(void)state;
	assert_true(snap_item(s, 0, 1)->flags & VF_EXACT);
	assert_true(snap_item(s, 0, 2)->flags & VF_EXACT);
	assert_true(snap_item(s, 0, 2)->flags & VF_QUOTED);
	assert_false(snap_item(s, 0, 3)->flags & VF_EXACT);
	assert_false(snap_item(s, 0, 4)->flags & VF_EXACT);
	assert_false(snap_item(s, 0, 1)->flags & VF_QUOTED);
	snaps_free(s);
}

static void test_loc_of_path_words(void **state)
{
	struct snaps *s = snap_str("/ip firewall filter\n");

	(void)state;
	assert_int_equal(snap_item(s, 0, 0)->kind, IT_SLASH);
	assert_loc(&snap_item(s, 0, 0)->loc, 1, 1, 1, 1);
	assert_loc(&snap_item(s, 0, 1)->loc, 1, 2, 1, 3);
	assert_loc(&snap_item(s, 0, 2)->loc, 1, 5, 1, 12);
	assert_loc(&snap_item(s, 0, 3)->loc, 1, 14, 1, 19);
	assert_loc(&s->s[0].loc, 1, 1, 1, 19);
	snaps_free(s);
}

static void test_loc_of_props_and_values(void **state)
{
	/*                          1234567890123456789012345678901 */
	struct snaps *s = snap_str("add chain=input comment=\"ab c\"\n");
	const struct item_snap *chain, *comment;

	(void)state;
	chain = snap_item(s, 0, 1);
	comment = snap_item(s, 0, 2);
	assert_string_equal(chain->name, "chain");
	assert_loc(&chain->loc, 1, 5, 1, 15);
	assert_loc(&chain->vloc, 1, 11, 1, 15);
	/* A quoted value's location starts at its opening quote. */
	assert_loc(&comment->loc, 1, 17, 1, 30);
	assert_loc(&comment->vloc, 1, 25, 1, 30);
	snaps_free(s);
}

static void test_loc_of_empty_value_is_right_after_equals(void **state)
{
	/*                          123456789012 */
	struct snaps *s = snap_str("add comment= x=1\n");

	(void)state;
	assert_int_equal(snap_item(s, 0, 1)->len, 0);
	assert_int_equal(snap_item(s, 0, 1)->vloc.line, 1);
	assert_int_equal(snap_item(s, 0, 1)->vloc.col, 13);
	assert_loc(&snap_item(s, 0, 2)->loc, 1, 14, 1, 16);
	snaps_free(s);
}

static void test_loc_after_continuation_line(void **state)
{
	struct snaps *s = snap_str("add chain=x \\\n    log=yes action=drop\nadd b=2\n");

	(void)state;
	assert_int_equal(s->n, 2);
	assert_loc(&snap_item(s, 0, 2)->loc, 2, 5, 2, 11);
	assert_loc(&snap_item(s, 0, 3)->loc, 2, 13, 2, 23);
	assert_loc(&snap_item(s, 0, 3)->vloc, 2, 20, 2, 23);
	assert_loc(&s->s[0].loc, 1, 1, 2, 23);
	assert_loc(&snap_item(s, 1, 0)->loc, 3, 1, 3, 3);
	snaps_free(s);
}

static void test_loc_of_value_spanning_lines(void **state)
{
	struct snaps *s = snap_str("add comment=\"abc\\\n    def\" x=1\n");

	(void)state;
	assert_string_equal(snap_item(s, 0, 1)->text, "abcdef");
	assert_loc(&snap_item(s, 0, 1)->vloc, 1, 13, 2, 8);
	assert_loc(&snap_item(s, 0, 2)->loc, 2, 10, 2, 12);
	snaps_free(s);
}

static void test_loc_after_crlf(void **state)
{
	struct snaps *s = snap_str("add a=1\r\n  add b=2\r\n");

	(void)state;
	assert_loc(&snap_item(s, 1, 0)->loc, 2, 3, 2, 5);
	assert_loc(&snap_item(s, 1, 1)->vloc, 2, 9, 2, 9);
	snaps_free(s);
}

static void test_loc_columns_count_bytes(void **state)
{
	/* "é" is two bytes: x= starts at byte 18. */
	struct snaps *s = snap_str("add comment=\"\xc3\xa9\" x=1\n");

	(void)state;
	assert_loc(&snap_item(s, 0, 1)->vloc, 1, 13, 1, 16);
	assert_loc(&snap_item(s, 0, 2)->loc, 1, 18, 1, 20);
	snaps_free(s);
}

static void test_loc_after_semicolon(void **state)
{
	struct snaps *s = snap_str("add a=1;  add b=2\n");

	(void)state;
	assert_loc(&snap_item(s, 1, 0)->loc, 1, 11, 1, 13);
	assert_loc(&s->s[1].loc, 1, 11, 1, 17);
	snaps_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_dquote),
		cmocka_unit_test(test_escape_backslash),
		cmocka_unit_test(test_escape_newline),
		cmocka_unit_test(test_escape_carriage_return),
		cmocka_unit_test(test_escape_tab),
		cmocka_unit_test(test_escape_dollar),
		cmocka_unit_test(test_escape_question_mark),
		cmocka_unit_test(test_escape_underscore_is_space),
		cmocka_unit_test(test_escape_bel),
		cmocka_unit_test(test_escape_backspace),
		cmocka_unit_test(test_escape_form_feed),
		cmocka_unit_test(test_escape_vertical_tab),
		cmocka_unit_test(test_escape_hex_bytes),
		cmocka_unit_test(test_escape_hex_needs_capitals),
		cmocka_unit_test(test_escape_hex_00_is_nul_inside_value),
		cmocka_unit_test(test_escape_in_bare_value),
		cmocka_unit_test(test_unknown_escape_in_quoted_string_is_error_at_backslash),
		cmocka_unit_test(test_unknown_escape_in_bare_value_is_error_at_backslash),
		cmocka_unit_test(test_continuation_between_items),
		cmocka_unit_test(test_continuation_inside_value),
		cmocka_unit_test(test_continuation_inside_quoted_string_drops_indentation),
		cmocka_unit_test(test_continuation_with_tabs_drops_indentation),
		cmocka_unit_test(test_continuation_escaped_space_at_wrap_point),
		cmocka_unit_test(test_continuation_crlf),
		cmocka_unit_test(test_backslash_spaces_newline_between_items_is_error),
		cmocka_unit_test(test_backslash_spaces_newline_in_quoted_string_is_error),
		cmocka_unit_test(test_backslash_spaces_newline_in_value_is_error),
		cmocka_unit_test(test_backslash_does_not_continue_comment),
		cmocka_unit_test(test_comment_at_line_start),
		cmocka_unit_test(test_comment_after_indentation),
		cmocka_unit_test(test_comment_after_semicolon),
		cmocka_unit_test(test_hash_inside_value_is_text),
		cmocka_unit_test(test_hash_inside_quoted_string_is_text),
		cmocka_unit_test(test_semicolon_separates_commands),
		cmocka_unit_test(test_semicolon_inside_quoted_string_is_text),
		cmocka_unit_test(test_empty_lines_and_blank_lines_give_nothing),
		cmocka_unit_test(test_crlf_line_endings),
		cmocka_unit_test(test_mixed_lf_and_crlf),
		cmocka_unit_test(test_no_final_newline_after_value),
		cmocka_unit_test(test_no_final_newline_after_word),
		cmocka_unit_test(test_no_final_newline_after_quoted_string),
		cmocka_unit_test(test_no_final_newline_after_comment),
		cmocka_unit_test(test_utf8_in_strings_kept_as_bytes),
		cmocka_unit_test(test_utf8_bom_is_not_part_of_first_command),
		cmocka_unit_test(test_utf8_bom_columns_count_its_bytes),
		cmocka_unit_test(test_var_bare_value),
		cmocka_unit_test(test_var_bare_word),
		cmocka_unit_test(test_var_in_quoted_string),
		cmocka_unit_test(test_escaped_dollar_is_not_a_variable),
		cmocka_unit_test(test_dollar_without_name_is_not_a_variable),
		cmocka_unit_test(test_missing_closing_quote_is_error_and_next_line_parses),
		cmocka_unit_test(test_missing_closing_quote_of_standalone_string),
		cmocka_unit_test(test_missing_closing_quote_at_end_of_input),
		cmocka_unit_test(test_quoted_parts_glue_with_bare_parts),
		cmocka_unit_test(test_exact_flag_only_for_plain_one_line_values),
		cmocka_unit_test(test_loc_of_path_words),
		cmocka_unit_test(test_loc_of_props_and_values),
		cmocka_unit_test(test_loc_of_empty_value_is_right_after_equals),
		cmocka_unit_test(test_loc_after_continuation_line),
		cmocka_unit_test(test_loc_of_value_spanning_lines),
		cmocka_unit_test(test_loc_after_crlf),
		cmocka_unit_test(test_loc_columns_count_bytes),
		cmocka_unit_test(test_loc_after_semicolon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
