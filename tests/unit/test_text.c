/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/text: UTF-8 as it is, and what a terminal may be shown of a string
 * (no control byte, no C1 control, no byte that is not UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static size_t u8(const char *s)
{
	return text_utf8_len(s, strlen(s));
}

static void test_utf8_len(void **st)
{
	(void)st;
	assert_int_equal(u8("a"), 1);
	assert_int_equal(u8("\x1b"), 1);
	assert_int_equal(u8("\xc3\xa9"), 2);		/* é */
	assert_int_equal(u8("\xe2\x82\xac"), 3);	/* € */
	assert_int_equal(u8("\xf0\x9f\x98\x80"), 4);	/* 😀 */
	assert_int_equal(u8("\x80"), 0);		/* a stray continuation */
	assert_int_equal(u8("\xc0\xaf"), 0);		/* overlong '/' */
	assert_int_equal(u8("\xe0\x80\xaf"), 0);	/* overlong */
	assert_int_equal(u8("\xed\xa0\x80"), 0);	/* a surrogate */
	assert_int_equal(u8("\xf4\x90\x80\x80"), 0);	/* past U+10FFFF */
	assert_int_equal(u8("\xff"), 0);
	assert_int_equal(text_utf8_len("\xe2\x82\xac", 2), 0);	/* cut short */
	assert_int_equal(u8("\xe2\x28\xac"), 0);
}

static char *safe(const char *s, size_t len)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	text_print_safe(f, s, len);
	fclose(f);
	return buf;
}

#define SAFE(lit) safe(lit, sizeof(lit) - 1)

static void test_print_safe(void **st)
{
	(void)st;
	assert_string_equal(SAFE("plain text, tab\tkept"), "plain text, tab\tkept");
	assert_string_equal(SAFE("\x1b[2J\a"), "\\x1b[2J\\x07");
	assert_string_equal(SAFE("new\nline\r"), "new\\x0aline\\x0d");
	assert_string_equal(SAFE("del\x7f nul\0!"), "del\\x7f nul\\x00!");
	/* C1 CSI (U+009B) in UTF-8, and raw: terminals obey both. */
	assert_string_equal(SAFE("\xc2\x9b" "31m \x9b" "31m"), "\\xc2\\x9b31m \\x9b31m");
	assert_string_equal(SAFE("caf\xc3\xa9 \xe2\x82\xac \xc2\xa0"), "caf\xc3\xa9 \xe2\x82\xac \xc2\xa0");
	assert_string_equal(SAFE("cut \xe2\x82"), "cut \\xe2\\x82");
}

static void test_char_safe(void **st)
{
	char esc[TEXT_ESC_MAX];

	(void)st;
	assert_int_equal(text_char_safe("\xe2\x82\xac!", 4, esc), 3);
	assert_string_equal(esc, "");
	assert_int_equal(text_char_safe("\x1b", 1, esc), 1);
	assert_string_equal(esc, "\\x1b");
	assert_int_equal(text_char_safe("\xc2\x85", 2, esc), 2);
	assert_string_equal(esc, "\\xc2\\x85");
	assert_int_equal(strlen(esc) + 1, TEXT_ESC_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_print_safe),
		cmocka_unit_test(test_char_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
