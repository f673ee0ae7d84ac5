/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/diag as a terminal and a JSON reader see it: file names, messages
 * and source lines with control bytes (ESC, BEL, C1, bytes that are not
 * UTF-8) print escaped, the caret still under its text; JSON stays JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "text.h"

static char *printed(struct diag *d, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		diag_print_json(d, f);
	else
		diag_print(d, f);
	fclose(f);
	return buf;
}

/* Nothing a terminal would obey: only newlines end lines, every other
 * byte is printable UTF-8 or a tab. */
static void assert_terminal_safe(const char *out)
{
	size_t i, n, len = strlen(out);
	char esc[TEXT_ESC_MAX];

	for (i = 0; i < len; i += n) {
		if (out[i] == '\n') {
			n = 1;
			continue;
		}
		n = text_char_safe(out + i, len - i, esc);
		if (esc[0])
			fail_msg("raw byte 0x%02x at %zu in:\n%s", (unsigned char)out[i], i, out);
	}
}

/* The source line and caret line of the first message of `out`; the span
 * the caret marks, as printed above it. */
static void caret_span(const char *out, char *span, size_t size)
{
	const char *src = strchr(out, '\n') + 1, *car = strchr(src, '\n') + 1;
	const char *a = strchr(car, '^'), *b = a;

	while (b[1] == '~')
		b++;
	assert_true((size_t)(b - a + 1) < size);
	memcpy(span, src + (a - car), (size_t)(b - a + 1));
	span[b - a + 1] = '\0';
}

static const char line[] = "add comment=\"a\x1b[31mb\a\xc2\x9b\xff\" src-address=\"1.2.3.4\x1b[2J\" x=1\n";

static struct diag *sample(const char *name)
{
	struct diag *d = diag_new(10);
	uint32_t f = diag_add_source(d, name, line, sizeof(line) - 1);
	const char *v = strstr(line, "\"1.2") + 1;
	uint32_t col = (uint32_t)(v - line) + 1;
	struct loc l = { f, 1, col, 1, col + 10 };

	diag_error(d, &l, "invalid src-address: got \"%.11s\"", v);
	return d;
}

static void test_escaped(void **st)
{
	struct diag *d = sample("evil\x1b]0;title\a\n.rsc");
	char *out = printed(d, false), span[64];

	(void)st;
	assert_terminal_safe(out);
	assert_non_null(strstr(out, "evil\\x1b]0;title\\x07\\x0a.rsc:1:"));
	assert_non_null(strstr(out, "got \"1.2.3.4\\x1b[2J\""));
	assert_non_null(strstr(out, "comment=\"a\\x1b[31mb\\x07\\xc2\\x9b\\xff\""));
	/* The caret marks the value, escapes and all, not a shifted text. */
	caret_span(out, span, sizeof(span));
	assert_string_equal(span, "1.2.3.4\\x1b[2J");
	free(out);
	diag_free(d);
}

/* A line longer than the window shows a window of it, the caret still
 * under the span, escapes before it included. */
static void test_window(void **st)
{
	char src[400], span[64], *out;
	struct diag *d = diag_new(10);
	uint32_t f;
	struct loc l;
	size_t i;

	(void)st;
	for (i = 0; i < 300; i++)
		src[i] = i % 7 ? 'a' : '\x1b';
	memcpy(src + 200, "TARGET", 6);
	src[300] = '\n';
	f = diag_add_source(d, "w.rsc", src, 301);
	l = (struct loc){ f, 1, 201, 1, 206 };
	diag_error(d, &l, "here");
	out = printed(d, false);
	assert_terminal_safe(out);
	caret_span(out, span, sizeof(span));
	assert_string_equal(span, "TARGET");
	free(out);
	diag_free(d);
}

static void test_caret_at_end_and_tab(void **st)
{
	static const char src[] = "\tadd\x1b x=\n";
	struct diag *d = diag_new(10);
	uint32_t f = diag_add_source(d, "t.rsc", src, sizeof(src) - 1);
	struct loc l = { f, 1, 9, 1, 9 };	/* past the last byte */
	char *out;

	(void)st;
	diag_error(d, &l, "unexpected end of line");
	out = printed(d, false);
	assert_string_equal(strchr(out, '\n') + 1, "  \tadd\\x1b x=\n  \t          ^\n");
	free(out);
	diag_free(d);
}

static void test_json(void **st)
{
	struct diag *d = sample("evil\x1b\xff.rsc");
	char *out = printed(d, true);

	(void)st;
	assert_terminal_safe(out);
	assert_non_null(strstr(out, "\"file\":\"evil\\u001b\\ufffd.rsc\""));
	assert_non_null(strstr(out, "got \\\"1.2.3.4\\u001b[2J\\\""));
	free(out);
	diag_free(d);
	d = diag_new(10);
	diag_error(d, NULL, "c1 \xc2\x9b, euro \xe2\x82\xac, cut \xe2\x82");
	out = printed(d, true);
	assert_non_null(strstr(out, "\"message\":\"c1 \\u009b, euro \xe2\x82\xac, cut \\ufffd\\ufffd\""));
	free(out);
	diag_free(d);
}

/* What a script's on-error takes back is gone, counts included; what was
 * said before stays. */
static void test_mark_rollback(void **st)
{
	static const char src[] = "a\nb\nc\n";
	struct diag *d = diag_new(10);
	uint32_t f = diag_add_source(d, "x.rsc", src, sizeof(src) - 1);
	struct loc l1 = { f, 1, 1, 1, 1 }, l3 = { f, 3, 1, 3, 1 };
	struct diag_mark k;

	(void)st;
	diag_warning(d, &l3, "kept");
	k = diag_mark(d);
	diag_error(d, &l1, "taken back");
	diag_warning(d, &l1, "taken back too");
	assert_string_equal(diag_last_text(d), "taken back");
	assert_int_equal(diag_errors(d), 1);
	assert_non_null(diag_at(d, 0));	/* sorted in between */
	diag_rollback(d, &k);
	assert_int_equal(diag_count(d), 1);
	assert_int_equal(diag_errors(d), 0);
	assert_int_equal(diag_warnings(d), 1);
	assert_string_equal(diag_at(d, 0)->text, "kept");
	assert_string_equal(diag_last_text(d), "");
	diag_free(d);
}

/* The same words at the same place are said once (a script's loop turns
 * a warning into thousands otherwise); another place, another level or
 * other words are another message; what a rollback took back can be said
 * again. */
static void test_said_once(void **st)
{
	static const char src[] = "a\nb\n";
	struct diag *d = diag_new(10);
	uint32_t f = diag_add_source(d, "x.rsc", src, sizeof(src) - 1);
	struct loc l1 = { f, 1, 1, 1, 1 }, l2 = { f, 2, 1, 2, 1 };
	struct diag_mark k;
	int i;

	(void)st;
	for (i = 0; i < 1000; i++)
		diag_warning(d, &l1, "w");
	assert_int_equal(diag_count(d), 1);
	assert_int_equal(diag_warnings(d), 1);
	diag_warning(d, &l2, "w");
	diag_warning(d, &l1, "w2");
	diag_error(d, &l1, "w");
	assert_int_equal(diag_count(d), 4);
	k = diag_mark(d);
	diag_note(d, &l2, "n");
	diag_rollback(d, &k);
	diag_note(d, &l2, "n");
	assert_int_equal(diag_count(d), 5);
	diag_free(d);
}

/* The interpreter reads a statement again from where it was written, and
 * :parse's text is the diag's own copy. */
static void test_source_at(void **st)
{
	static const char src[] = "line one\nline two\n";
	struct diag *d = diag_new(10);
	uint32_t f = diag_add_source(d, "x.rsc", src, sizeof(src) - 1), g;
	size_t left = 0;
	const char *p = diag_source_at(d, f, 2, 6, &left);

	(void)st;
	assert_ptr_equal(p, src + 14);
	assert_int_equal(left, 4);
	assert_null(diag_source_at(d, f, 9, 1, &left));
	g = diag_add_source_copy(d, "parsed", "x", 1);
	p = diag_source_at(d, g, 1, 1, &left);
	assert_non_null(p);
	assert_true(p != (const char *)"x" && !strcmp(p, "x"));
	diag_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_caret_at_end_and_tab),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_mark_rollback),
		cmocka_unit_test(test_said_once),
		cmocka_unit_test(test_source_at),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
