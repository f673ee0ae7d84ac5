/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfwd's state file without a kernel: a save loads back as it was, and
 * every truncation and every changed byte of a saved file is refused
 * (never half trusted); the hash index finds what was added, once.
 * The runtime is not part of librosfw.a, so its files are compiled in.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "nlsock.c"
#include "dynstate.c"
#include "kread.c"

static char dir[] = "/tmp/test_dynstate.XXXXXX";

static void path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void sample(struct dyn_state *s, size_t n)
{
	size_t i;

	dyn_state_init(s);
	snprintf(s->boot_id, sizeof(s->boot_id), "0f3c-boot");
	for (i = 0; i < n; i++) {
		struct dyn_entry e = { .family = i % 3 ? NFPROTO_IPV4 : NFPROTO_IPV6, .created = 1700000000000 + (int64_t)i };

		e.len = e.family == NFPROTO_IPV6 ? 16 : 4;
		e.set = dyn_set_id(i % 2 ? "ad_a" : "al_b.20c");
		e.key[0] = e.family == NFPROTO_IPV6 ? 0x20 : 10;
		e.key[e.len - 1] = (uint8_t)i;
		e.key[e.len - 2] = (uint8_t)(i >> 8);
		e.expires = i % 5 ? 1800000000000 + (int64_t)i * 1000 : 0;
		memcpy(e.hi, e.key, e.len);
		if (i % 7 == 0) {
			/* a run-time range, static when untimed */
			e.set = dyn_set_id("ar_r");
			e.hi[e.len - 1] |= 0x0f;
			e.lasting = !e.expires;
		} else if (i % 11 == 0) {
			e.lasting = true;	/* none-static */
			e.expires = 0;
		}
		dyn_state_add(s, &e);
	}
	dyn_state_seal(s);
}

static char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "r");
	char *b = malloc(1 << 20);

	assert_non_null(f);
	*n = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static void spill(const char *p, const char *b, size_t n)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

static void test_round_trip(void **st)
{
	static const uint8_t v4a[16] = { 192, 0, 2, 10 }, v4b[16] = { 192, 0, 2, 11 },
			     v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
	struct dyn_state a, b;
	char p[256], why[256];
	size_t i;

	(void)st;
	sample(&a, 300);
	dyn_state_add_answer(&a, NFPROTO_IPV4, dyn_set_id("al_web"), v4a, "a.example.com");
	dyn_state_add_answer(&a, NFPROTO_IPV6, dyn_set_id("al_web"), v6a, "a.example.com");
	/* not a name the file can hold: left out, the file still whole */
	dyn_state_add_answer(&a, NFPROTO_IPV4, dyn_set_id("al_web"), v4b, "bad name");
	path(p, sizeof(p), "rt");
	assert_int_equal(dyn_state_save(&a, p), 0);
	assert_int_equal(dyn_state_load(&b, p, why, sizeof(why)), 0);
	assert_int_equal(b.n, a.n);
	assert_string_equal(b.boot_id, "0f3c-boot");
	assert_true(b.saved > 0);
	for (i = 0; i < a.n; i++) {
		const struct dyn_entry *x = dyn_state_find(&b, &a.e[i], SIZE_MAX);

		assert_non_null(x);
		assert_int_equal(x->expires, a.e[i].expires);
		assert_int_equal(x->created, a.e[i].created);
		assert_int_equal(x->len, a.e[i].len);
		assert_int_equal(x->lasting, a.e[i].lasting);
		assert_memory_equal(x->hi, a.e[i].hi, x->len);
	}
	assert_int_equal(b.nans, 2);
	assert_string_equal(b.ans[0].name, "a.example.com");
	assert_memory_equal(b.ans[0].addr, "\xc0\x00\x02\x0a", 4);
	assert_int_equal(b.ans[1].family, NFPROTO_IPV6);
	a.nans--;	/* what was saved */
	free(a.ans[a.nans].name);
	assert_false(dyn_answers_differ(&a, &b));
	b.ans[1].addr[15] ^= 1;
	assert_true(dyn_answers_differ(&a, &b));
	assert_true(dyn_state_has_set(&b, dyn_set_id("al_b.20c")));
	assert_false(dyn_state_has_set(&b, dyn_set_id("ad_other")));
	/* The temporary file (.rt.XXXXXXXXXXXX) is gone once the name
	 * holds the new one. */
	{
		DIR *dd = opendir(dir);
		struct dirent *e;

		assert_non_null(dd);
		while ((e = readdir(dd)))
			assert_false(!strncmp(e->d_name, ".rt.", 4) || !strcmp(e->d_name, "rt.tmp"));
		closedir(dd);
	}
	dyn_state_free(&a);
	dyn_state_free(&b);
}

static void test_missing(void **st)
{
	struct dyn_state b;
	char p[256], why[256];

	(void)st;
	path(p, sizeof(p), "none");
	assert_int_equal(dyn_state_load(&b, p, why, sizeof(why)), 1);
	assert_int_equal(b.n, 0);
}

static void test_every_cut_refused(void **st)
{
	struct dyn_state a, b;
	char p[256], q[256], why[256];
	size_t n, cut;
	char *buf;

	(void)st;
	sample(&a, 20);
	path(p, sizeof(p), "whole");
	path(q, sizeof(q), "cut");
	assert_int_equal(dyn_state_save(&a, p), 0);
	buf = slurp(p, &n);
	for (cut = 0; cut < n; cut++) {
		spill(q, buf, cut);
		assert_int_equal(dyn_state_load(&b, q, why, sizeof(why)), -2);
		assert_int_equal(b.n, 0);
	}
	free(buf);
	dyn_state_free(&a);
}

static void test_every_change_refused(void **st)
{
	struct dyn_state a, b;
	char p[256], q[256], why[256];
	size_t n, i;
	char *buf;

	(void)st;
	sample(&a, 20);
	path(p, sizeof(p), "whole2");
	path(q, sizeof(q), "changed");
	assert_int_equal(dyn_state_save(&a, p), 0);
	buf = slurp(p, &n);
	for (i = 0; i < n; i++) {
		char was = buf[i];

		/* A digit for a digit keeps every line well formed: only the
		 * checksum can tell. */
		buf[i] = (char)(was >= '0' && was <= '8' ? was + 1 : was == '9' ? '0' : was ^ 0x20);
		spill(q, buf, n);
		assert_int_equal(dyn_state_load(&b, q, why, sizeof(why)), -2);
		buf[i] = was;
	}
	free(buf);
	dyn_state_free(&a);
}

/* A range only in a run-time set, and never backwards: a file that says
 * otherwise was not written by rosfwd and is refused whole. */
static void test_bad_ranges_refused(void **st)
{
	static const char *const sets[] = { "ad_a", "ar_r" };
	struct dyn_state a, b;
	char p[256], why[256];
	size_t i;

	(void)st;
	for (i = 0; i < 2; i++) {
		struct dyn_entry e = { .family = NFPROTO_IPV4, .len = 4, .created = 1700000000000 };

		dyn_state_init(&a);
		e.set = dyn_set_id(sets[i]);
		memcpy(e.key, "\x0a\x00\x00\x10", 4);
		memcpy(e.hi, i ? "\x0a\x00\x00\x01" : "\x0a\x00\x00\x20", 4);
		dyn_state_add(&a, &e);
		dyn_state_seal(&a);
		path(p, sizeof(p), "range");
		assert_int_equal(dyn_state_save(&a, p), 0);
		assert_int_equal(dyn_state_load(&b, p, why, sizeof(why)), -2);
		assert_non_null(strstr(why, "not an entry"));
		dyn_state_free(&a);
	}
}

static void test_duplicates_once(void **st)
{
	struct dyn_state s;
	struct dyn_entry e = { .family = NFPROTO_IPV4, .len = 4, .key = { 10, 0, 0, 1 } };
	size_t i;

	(void)st;
	dyn_state_init(&s);
	e.set = dyn_set_id("ad_x");
	for (i = 0; i < 3; i++) {
		e.created = (int64_t)i;
		dyn_state_add(&s, &e);
	}
	e.set = dyn_set_id("ad_y");
	dyn_state_add(&s, &e);
	dyn_state_seal(&s);
	assert_int_equal(s.n, 2);
	e.set = dyn_set_id("ad_x");
	assert_int_equal(dyn_state_find(&s, &e, 1)->created, 0);
	e.key[3] = 2;
	assert_null(dyn_state_find(&s, &e, 0));
	dyn_state_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_every_cut_refused),
		cmocka_unit_test(test_every_change_refused),
		cmocka_unit_test(test_bad_ranges_refused),
		cmocka_unit_test(test_duplicates_once),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			rc = rc ? rc : 1;
	}
	return rc;
}
