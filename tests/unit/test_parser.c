/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The grammar: menu paths, commands, selectors, properties, groups and
 * scripting statements as items of commands, and recovery after an error.
 */
#include "helpers.h"

/* ---- menu paths --------------------------------------------------------- */

static void test_path_with_spaces(void **state)
{
	(void)state;
	assert_parse("/ip firewall filter\n", "SLASH W(ip) W(firewall) W(filter)\n");
}

static void test_path_with_slashes(void **state)
{
	(void)state;
	assert_parse("/ip/firewall/filter\n", "SLASH W(ip/firewall/filter)\n");
	assert_parse("/ip/firewall/filter/add chain=x\n", "SLASH W(ip/firewall/filter/add) P(chain=\"x\")\n");
}

static void test_root_path_alone(void **state)
{
	(void)state;
	assert_parse("/\n", "SLASH\n");
}

static void test_command_on_path_line(void **state)
{
	(void)state;
	assert_parse("/ip firewall filter add chain=input action=drop\n",
		     "SLASH W(ip) W(firewall) W(filter) W(add) P(chain=\"input\") P(action=\"drop\")\n");
}

static void test_relative_command(void **state)
{
	struct snaps *s = snap_str("/ip firewall\nfilter add chain=x\nadd chain=y\n.. nat\n");

	(void)state;
	assert_int_equal(s->n, 4);
	assert_int_equal(snap_item(s, 1, 0)->kind, IT_WORD);
	assert_string_equal(snap_item(s, 1, 0)->text, "filter");
	assert_int_equal(snap_item(s, 2, 0)->kind, IT_WORD);
	assert_string_equal(snap_item(s, 2, 0)->text, "add");
	assert_string_equal(snap_item(s, 3, 0)->text, "..");
	snaps_free(s);
}

static void test_slash_only_at_command_start(void **state)
{
	(void)state;
	/* A '/' inside a value or after the first word is text. */
	assert_parse("add src-address=10.0.0.0/8 x /y\n", "W(add) P(src-address=\"10.0.0.0/8\") W(x) W(/y)\n");
}

/* ---- blocks ------------------------------------------------------------- */

static void test_block_on_one_line(void **state)
{
	(void)state;
	assert_parse("/ip firewall { filter add chain=x }\n",
		     "SLASH W(ip) W(firewall) {W(filter) W(add) P(chain=\"x\")}\n");
}

static void test_block_on_several_lines(void **state)
{
	struct parsed p = parse_str("/ip firewall {\n  filter add chain=x\n\n  nat add chain=y\n}\nadd chain=z\n");

	(void)state;
	assert_int_equal(diag_count(p.d), 0);
	assert_string_equal(p.out, "SLASH W(ip) W(firewall) {W(filter) W(add) P(chain=\"x\"); W(nat) W(add) P(chain=\"y\")}\n"
				   "W(add) P(chain=\"z\")\n");
	assert_int_equal(p.nstmts, 2);
	assert_int_equal(p.lines[0], 1);
	assert_int_equal(p.lines[1], 6);
	parsed_free(&p);
}

static void test_block_statements_split_by_semicolons(void **state)
{
	(void)state;
	assert_parse("{ add a=1; add b=2 }\n", "{W(add) P(a=\"1\"); W(add) P(b=\"2\")}\n");
}

static void test_empty_block(void **state)
{
	(void)state;
	assert_parse("/ip firewall filter {}\n", "SLASH W(ip) W(firewall) W(filter) {}\n");
}

static void test_block_loc_spans_its_lines(void **state)
{
	struct snaps *s = snap_str("/ip firewall {\n filter add chain=x\n}\n");
	const struct item_snap *b;

	(void)state;
	b = snap_item(s, 0, 3);
	assert_int_equal(b->kind, IT_BLOCK);
	assert_loc(&b->loc, 1, 14, 3, 1);
	assert_loc(&s->s[0].loc, 1, 1, 3, 1);
	snaps_free(s);
}

/* ---- selectors ---------------------------------------------------------- */

static void test_find_without_conditions(void **state)
{
	(void)state;
	assert_parse("set [find] disabled=yes\n", "W(set) [W(find)] P(disabled=\"yes\")\n");
	assert_parse("set [ find ] disabled=yes\n", "W(set) [W(find)] P(disabled=\"yes\")\n");
}

static void test_find_where(void **state)
{
	(void)state;
	assert_parse("remove [find where chain=input action=drop]\n",
		     "W(remove) [W(find) W(where) P(chain=\"input\") P(action=\"drop\")]\n");
}

static void test_find_quoted_value(void **state)
{
	(void)state;
	assert_parse("set [find comment=\"x y\"] action=drop\n",
		     "W(set) [W(find) P(comment=\"x y\")] P(action=\"drop\")\n");
}

static void test_find_with_path(void **state)
{
	(void)state;
	assert_parse("remove [/ip firewall filter find]\n", "W(remove) [SLASH W(ip) W(firewall) W(filter) W(find)]\n");
}

static void test_find_flags(void **state)
{
	(void)state;
	assert_parse("set [find disabled !dynamic] comment=x\n",
		     "W(set) [W(find) W(disabled) W(!dynamic)] P(comment=\"x\")\n");
}

static void test_numbers_prop_with_find(void **state)
{
	struct snaps *s = snap_str("set numbers=[find chain=x] action=drop\n");
	const struct item_snap *n;

	(void)state;
	assert_int_equal(diag_count(s->d), 0);
	n = snap_item(s, 0, 1);
	assert_int_equal(n->kind, IT_PROP);
	assert_string_equal(n->name, "numbers");
	assert_true(n->has_group);
	assert_int_equal(n->group_kind, IT_BRACKET);
	/* The value's location is the group's. */
	assert_loc(&n->vloc, 1, 13, 1, 26);
	snaps_free(s);
	assert_parse("set numbers=[find chain=x] action=drop\n",
		     "W(set) P(numbers=[W(find) P(chain=\"x\")]) P(action=\"drop\")\n");
}

static void test_numbers_list(void **state)
{
	(void)state;
	assert_parse("set 0,2,4-6 disabled=yes\n", "W(set) W(0,2,4-6) P(disabled=\"yes\")\n");
	assert_parse("set numbers=0,2 disabled=yes\n", "W(set) P(numbers=\"0,2\") P(disabled=\"yes\")\n");
}

/* ---- properties --------------------------------------------------------- */

static void test_prop_not_equal(void **state)
{
	struct snaps *s = snap_str("set [find] chain!=input\n");

	(void)state;
	assert_string_equal(snap_item(s, 0, 2)->name, "chain");
	assert_true(snap_item(s, 0, 2)->flags & VF_NE);
	assert_false(snap_item(s, 0, 2)->flags & VF_REGEX);
	assert_string_equal(snap_item(s, 0, 2)->text, "input");
	snaps_free(s);
	assert_parse("remove [find chain!=input]\n", "W(remove) [W(find) P(chain!=\"input\")]\n");
}

static void test_prop_regex(void **state)
{
	struct snaps *s = snap_str("set [find] comment~\"^a.*b$\"\n");

	(void)state;
	assert_string_equal(snap_item(s, 0, 2)->name, "comment");
	assert_true(snap_item(s, 0, 2)->flags & VF_REGEX);
	assert_false(snap_item(s, 0, 2)->flags & VF_NE);
	assert_string_equal(snap_item(s, 0, 2)->text, "^a.*b$");
	snaps_free(s);
	assert_parse("remove [find comment~\"^x\\\\.\"]\n", "W(remove) [W(find) P(comment~\"^x\\\\.\")]\n");
}

static void test_empty_value_bare(void **state)
{
	struct snaps *s = snap_str("add comment= chain=x\n");

	(void)state;
	assert_int_equal(snap_item(s, 0, 1)->kind, IT_PROP);
	assert_int_equal(snap_item(s, 0, 1)->len, 0);
	assert_false(snap_item(s, 0, 1)->flags & VF_QUOTED);
	assert_string_equal(snap_item(s, 0, 2)->text, "x");
	snaps_free(s);
	assert_parse("add comment= chain=x\n", "W(add) P(comment=\"\") P(chain=\"x\")\n");
	assert_parse("add comment=\n", "W(add) P(comment=\"\")\n");
	assert_parse("add comment=", "W(add) P(comment=\"\")\n");
}

static void test_empty_value_quoted(void **state)
{
	struct snaps *s = snap_str("add comment=\"\" chain=x\n");

	(void)state;
	assert_int_equal(snap_item(s, 0, 1)->len, 0);
	assert_true(snap_item(s, 0, 1)->flags & VF_QUOTED);
	snaps_free(s);
	assert_parse("add comment=\"\" chain=x\n", "W(add) P(comment=\"\") P(chain=\"x\")\n");
}

static void test_flag_without_value(void **state)
{
	(void)state;
	assert_parse("print detail without-paging\n", "W(print) W(detail) W(without-paging)\n");
}

/* Verbose exports write an unset property as !name; the word says so, and
 * only a property name after '!' makes one (find's !disabled is the same
 * word: the model reads it by where it stands). */
static void test_unset_marker(void **state)
{
	struct snaps *s = snap_str("add !keepalive name=x !to-ports2 !a-b !Up !1 ! !$x !a.b\n");

	(void)state;
	assert_int_equal(s->n, 1);
	assert_int_equal(snap_item(s, 0, 1)->kind, IT_WORD);
	assert_string_equal(snap_item(s, 0, 1)->text, "!keepalive");
	assert_true(snap_item(s, 0, 1)->flags & VF_UNSET);
	assert_false(snap_item(s, 0, 2)->flags & VF_UNSET);
	assert_true(snap_item(s, 0, 3)->flags & VF_UNSET);
	assert_true(snap_item(s, 0, 4)->flags & VF_UNSET);
	assert_false(snap_item(s, 0, 5)->flags & VF_UNSET);
	assert_false(snap_item(s, 0, 6)->flags & VF_UNSET);
	assert_false(snap_item(s, 0, 7)->flags & VF_UNSET);
	assert_false(snap_item(s, 0, 8)->flags & VF_UNSET);
	assert_false(snap_item(s, 0, 9)->flags & VF_UNSET);
	snaps_free(s);
}

static void test_comma_list(void **state)
{
	(void)state;
	assert_parse("add dst-port=80,443,8080 connection-state=established,related\n",
		     "W(add) P(dst-port=\"80,443,8080\") P(connection-state=\"established,related\")\n");
}

static void test_ranges(void **state)
{
	(void)state;
	assert_parse("add dst-port=1000-2000 src-address=10.0.0.1-10.0.0.9\n",
		     "W(add) P(dst-port=\"1000-2000\") P(src-address=\"10.0.0.1-10.0.0.9\")\n");
}

static void test_negation_kept_in_value(void **state)
{
	(void)state;
	assert_parse("add src-address=!10.0.0.0/8 in-interface-list=!LAN tcp-flags=syn,!ack\n",
		     "W(add) P(src-address=\"!10.0.0.0/8\") P(in-interface-list=\"!LAN\") P(tcp-flags=\"syn,!ack\")\n");
}

static void test_equals_inside_value_is_text(void **state)
{
	(void)state;
	assert_parse("add comment=a=b\n", "W(add) P(comment=\"a=b\")\n");
}

/* ---- scripting ---------------------------------------------------------- */

static void test_script_if_is_one_statement(void **state)
{
	struct snaps *s = snap_str(":if ($a = 1) do={ /ip firewall filter add chain=x }\nadd chain=y\n");

	(void)state;
	assert_int_equal(diag_count(s->d), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(snap_item(s, 0, 0)->kind, IT_SCRIPT);
	assert_string_equal(snap_item(s, 0, 0)->text, ":if");
	assert_int_equal(snap_item(s, 0, 1)->kind, IT_PAREN);
	assert_int_equal(snap_item(s, 1, 0)->kind, IT_WORD);
	snaps_free(s);
}

static void test_script_if_else_on_several_lines(void **state)
{
	struct snaps *s = snap_str(":if ($a = 1) do={\n  /ip firewall filter add chain=x\n} else={\n  :put no\n}\nadd chain=y\n");

	(void)state;
	assert_int_equal(diag_count(s->d), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(snap_item(s, 0, 0)->kind, IT_SCRIPT);
	assert_loc(&s->s[0].loc, 1, 1, 5, 1);
	assert_int_equal(s->s[1].loc.line, 6);
	snaps_free(s);
}

static void test_script_foreach_is_one_statement(void **state)
{
	struct parsed p = parse_str(":foreach i in=[/ip firewall filter find] do={\n  :put $i\n}\n");

	(void)state;
	assert_int_equal(diag_count(p.d), 0);
	assert_int_equal(p.nstmts, 1);
	assert_string_equal(p.out, "SCRIPT(:foreach) W(i) P(in=[SLASH W(ip) W(firewall) W(filter) W(find)]) "
				   "P(do={SCRIPT(:put) W($i)})\n");
	parsed_free(&p);
}

static void test_script_global(void **state)
{
	(void)state;
	assert_parse(":global x 5\n", "SCRIPT(:global) W(x) W(5)\n");
	assert_parse(":log info \"hi there\"\n", "SCRIPT(:log) W(info) S(\"hi there\")\n");
}

static void test_colon_word_later_in_command_is_a_word(void **state)
{
	struct snaps *s = snap_str("add x :y\n");

	(void)state;
	assert_int_equal(snap_item(s, 0, 2)->kind, IT_WORD);
	snaps_free(s);
}

static void test_expression_in_parens(void **state)
{
	(void)state;
	assert_parse(":put (1 + 2)\n", "SCRIPT(:put) (W(1) W(+) W(2))\n");
}

/* ---- error recovery ----------------------------------------------------- */

static void test_error_then_next_command_delivered(void **state)
{
	/*                          123456789012345 */
	struct parsed p = parse_str("add chain=x ]\nadd chain=y\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 13, "syntax error");
	assert_string_equal(p.out, "W(add) P(chain=\"y\")\n");
	assert_int_equal(p.lines[0], 2);
	parsed_free(&p);
}

static void test_unclosed_paren_then_next_command_delivered(void **state)
{
	struct parsed p = parse_str("add chain=(x\nadd chain=y\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 13, "expecting ')'");
	assert_string_equal(p.out, "W(add) P(chain=\"y\")\n");
	parsed_free(&p);
}

static void test_unclosed_bracket_then_next_command_delivered(void **state)
{
	struct parsed p = parse_str("set [find\nadd chain=y\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 10, "expecting ']'");
	assert_string_equal(p.out, "W(add) P(chain=\"y\")\n");
	parsed_free(&p);
}

static void test_stray_closing_brace(void **state)
{
	struct parsed p = parse_str("}\nadd chain=y\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_diag(p.d, DIAG_ERROR, 1, 1, "syntax error");
	assert_string_equal(p.out, "W(add) P(chain=\"y\")\n");
	parsed_free(&p);
}

static void test_unclosed_block_at_end_of_input_is_error(void **state)
{
	struct parsed p = parse_str("/ip firewall {\n filter add chain=x\n");

	(void)state;
	assert_int_equal(p.errors, 1);
	assert_true(diag_count_level(p.d, DIAG_ERROR) == 1);
	assert_int_equal(p.nstmts, 0);
	parsed_free(&p);
}

static void test_several_errors_each_reported_once(void **state)
{
	struct parsed p = parse_str("add ]\nadd chain=a\nadd )\nadd chain=b\n");

	(void)state;
	assert_int_equal(p.errors, 2);
	assert_diag(p.d, DIAG_ERROR, 1, 5, "syntax error");
	assert_int_equal(diag_at(p.d, 1)->loc.line, 3);
	assert_string_equal(p.out, "W(add) P(chain=\"a\")\nW(add) P(chain=\"b\")\n");
	parsed_free(&p);
}

/* Deeper nesting than PARSE_MAX_DEPTH is one located error at the bracket
 * that passes it (not bison's "memory exhausted" somewhere else), the
 * parse of the file stops there, and the source line it shows is intact. */
static void nested(char *buf, const char *head, const char *open, const char *close, size_t n)
{
	size_t i;

	strcpy(buf, head);
	for (i = 0; i < n; i++)
		strcat(buf, open);
	for (i = 0; i < n; i++)
		strcat(buf, close);
	strcat(buf, "\nadd ]\n");
}

static void test_nesting_too_deep_is_located(void **state)
{
	static const char *const forms[][3] = {
		{ "add comment=", "(", ")" },
		{ ":if ", "{", "}" },
		{ "remove ", "[find ", "]" },
		{ "add comment=", "a x=(", ")" },
	};
	enum { N = PARSE_MAX_DEPTH + 1 };
	char *buf = malloc(N * 8 + 64), *shown = NULL;
	size_t i, len = 0;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t step = strlen(forms[i][1]);
		struct parsed p;
		const struct diag_msg *m;
		FILE *f;

		/* As deep as allowed: no message (the line after has one). */
		nested(buf, forms[i][0], forms[i][1], forms[i][2], PARSE_MAX_DEPTH);
		p = parse_str(buf);
		assert_int_equal(p.errors, 1);
		assert_diag(p.d, DIAG_ERROR, 2, 5, "syntax error");
		parsed_free(&p);

		nested(buf, forms[i][0], forms[i][1], forms[i][2], N);
		p = parse_str(buf);
		assert_int_equal(p.errors, 1);
		m = assert_diag(p.d, DIAG_ERROR, 1, 0, "nesting too deep: more than 1000 levels");
		/* At the opening bracket of level 1001. */
		assert_int_equal(m->loc.col, strlen(forms[i][0]) + PARSE_MAX_DEPTH * step + strcspn(forms[i][1], "([{") + 1);
		assert_null(diag_find(p.d, "memory exhausted"));
		f = open_memstream(&shown, &len);
		assert_non_null(f);
		diag_print(p.d, f);
		fclose(f);
		assert_null(strchr(shown, '?'));
		free(shown);
		shown = NULL;
		parsed_free(&p);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_too_deep_is_located),
		cmocka_unit_test(test_path_with_spaces),
		cmocka_unit_test(test_path_with_slashes),
		cmocka_unit_test(test_root_path_alone),
		cmocka_unit_test(test_command_on_path_line),
		cmocka_unit_test(test_relative_command),
		cmocka_unit_test(test_slash_only_at_command_start),
		cmocka_unit_test(test_block_on_one_line),
		cmocka_unit_test(test_block_on_several_lines),
		cmocka_unit_test(test_block_statements_split_by_semicolons),
		cmocka_unit_test(test_empty_block),
		cmocka_unit_test(test_block_loc_spans_its_lines),
		cmocka_unit_test(test_find_without_conditions),
		cmocka_unit_test(test_find_where),
		cmocka_unit_test(test_find_quoted_value),
		cmocka_unit_test(test_find_with_path),
		cmocka_unit_test(test_find_flags),
		cmocka_unit_test(test_numbers_prop_with_find),
		cmocka_unit_test(test_numbers_list),
		cmocka_unit_test(test_prop_not_equal),
		cmocka_unit_test(test_prop_regex),
		cmocka_unit_test(test_empty_value_bare),
		cmocka_unit_test(test_empty_value_quoted),
		cmocka_unit_test(test_flag_without_value),
		cmocka_unit_test(test_unset_marker),
		cmocka_unit_test(test_comma_list),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_negation_kept_in_value),
		cmocka_unit_test(test_equals_inside_value_is_text),
		cmocka_unit_test(test_script_if_is_one_statement),
		cmocka_unit_test(test_script_if_else_on_several_lines),
		cmocka_unit_test(test_script_foreach_is_one_statement),
		cmocka_unit_test(test_script_global),
		cmocka_unit_test(test_colon_word_later_in_command_is_a_word),
		cmocka_unit_test(test_expression_in_parens),
		cmocka_unit_test(test_error_then_next_command_delivered),
		cmocka_unit_test(test_unclosed_paren_then_next_command_delivered),
		cmocka_unit_test(test_unclosed_bracket_then_next_command_delivered),
		cmocka_unit_test(test_stray_closing_brace),
		cmocka_unit_test(test_unclosed_block_at_end_of_input_is_error),
		cmocka_unit_test(test_several_errors_each_reported_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
