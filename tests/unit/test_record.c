/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record: what apply records it committed, read back by print and rosfwd;
 * a damaged, foreign or unsafe record is refused, never half-used. */
#include "helpers.h"

#include <linux/netfilter.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcode.h"
#include "ir.h"
#include "lower.h"
#include "record.h"

static const char script[] = "/ip firewall address-list\n"
			     "add list=trusted address=10.0.0.1 comment=\"static one\"\n"
			     "add list=trusted address=10.0.0.2 disabled=yes\n"
			     "/ip firewall filter\n"
			     "add chain=input action=accept protocol=tcp dst-port=22 comment=\"ssh\"\n"
			     "add chain=input action=drop disabled=yes\n"
			     "add chain=forward action=jump jump-target=mine\n"
			     "add chain=mine action=accept connection-mark=voice\n"
			     "/ip firewall mangle\n"
			     "add chain=prerouting action=mark-connection new-connection-mark=voice\n";

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/rosfw-record-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/applied.rsc", dir);
	setenv("ROSFW_RECORD", path, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static char *file_text(size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void file_write(const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fwrite(buf, 1, len, f);
	fclose(f);
	chmod(path, 0600);
}

static void save(struct ir **out, struct run *r)
{
	struct lower_opts lo = { 0 };
	struct diag *d = diag_new(10);

	*r = run_script(script);
	assert_int_equal(diag_errors(r->d), 0);
	*out = lower_model(r->m, r->d, &lo);
	assert_non_null(*out);
	record_save(r->m, *out, NULL, d);
	assert_int_equal(diag_count(d), 0);
	diag_free(d);
}

/* What apply records reads back as the same configuration: the same dump,
 * the same fingerprints, the same counter per rule and the mark names. */
static void test_round_trip(void **state)
{
	struct run r;
	struct ir *ir;
	struct applied *a;
	uint64_t fp[2];
	char why[600], *d1, *d2;
	const char **ctr, **chains;
	int rc = -1;
	size_t i;
	bool voice = false;

	(void)state;
	save(&ir, &r);
	a = applied_from_record(&rc, why, sizeof(why));
	assert_non_null(a);
	assert_true(a->from_record);
	d1 = dump_str(r.m);
	d2 = dump_str(a->m);
	assert_string_equal(d1, d2);
	record_fp_ir(ir, fp);
	assert_true(fp[0] == a->fp[0] && fp[1] == a->fp[1]);
	ctr = applied_counters(a, NFPROTO_IPV4, "filter", 4, &chains);
	assert_non_null(ctr[0]);
	assert_null(ctr[1]);	/* disabled: no kernel rule */
	assert_null(chains[1]);
	assert_non_null(ctr[2]);
	assert_string_not_equal(ctr[0], ctr[2]);
	assert_non_null(chains[0]);
	assert_string_equal(chains[0], "filter_input");
	free(ctr);
	free(chains);
	for (i = 0; i < a->ir->nmarks; i++)
		voice |= !strcmp(a->ir->marks[i].name, "voice") && a->ir->marks[i].value == ir->marks[i].value;
	assert_true(voice);
	free(d1);
	free(d2);
	applied_free(a);
	ir_free(ir);
	run_free(&r);
}

/* A fingerprint is of the names, in any order; another name changes it. */
static void test_fingerprint(void **state)
{
	const char *c1[] = { "filter_input", "filter_mine" }, *c2[] = { "filter_mine", "filter_input" };
	const char *o1[] = { "c_filter_1", "c_filter_2" }, *o2[] = { "c_filter_2", "c_filter_1" };
	const char *o3[] = { "c_filter_1", "c_filter_3" };

	(void)state;
	assert_true(record_fp(c1, 2, o1, 2) == record_fp(c2, 2, o2, 2));
	assert_true(record_fp(c1, 2, o1, 2) != record_fp(c1, 2, o3, 2));
	/* A chain is not a counter of the same name. */
	assert_true(record_fp(c1, 2, NULL, 0) != record_fp(NULL, 0, c1, 2));
	assert_true(record_fp(NULL, 0, NULL, 0) == record_fp(NULL, 0, NULL, 0));
}

static void expect_refused(int want_rc, const char *want_why)
{
	char why[600];
	int rc = -1;
	struct applied *a = applied_from_record(&rc, why, sizeof(why));

	if (a)
		fail_msg("a refused record was taken");
	assert_int_equal(rc, want_rc);
	if (!strstr(why, want_why))
		fail_msg("why: %s (wanted %s)", why, want_why);
}

/* One byte changed, a cut, another file, another version: refused. */
static void test_damaged_and_foreign(void **state)
{
	struct run r;
	struct ir *ir;
	char *buf;
	size_t len;

	(void)state;
	save(&ir, &r);
	buf = file_text(&len);
	/* The comment "ssh" becomes "ssx": still a script, not what was applied. */
	{
		char *p = strstr(buf, "ssh");

		assert_non_null(p);
		p[2] = 'x';
		file_write(buf, len);
		expect_refused(EXIT_CONFIG, "digest does not match");
		p[2] = 'h';
	}
	file_write(buf, len - 10);
	expect_refused(EXIT_CONFIG, "damaged");
	file_write(script, strlen(script));
	expect_refused(EXIT_CONFIG, "not a record");
	{
		char *v2 = strdup(buf);

		v2[strlen("# rosfw applied record ")] = '9';
		file_write(v2, len);
		expect_refused(EXIT_CONFIG, "another version");
		free(v2);
	}
	/* Fingerprints that this rosfw does not get from the text. */
	{
		char *p = strstr(buf, "# fingerprint ip ") + strlen("# fingerprint ip "), was = *p;

		*p = was == '0' ? '1' : '0';
		file_write(buf, len);
		expect_refused(EXIT_CONFIG, "another version of rosfw");
		/* Whole again: taken. */
		*p = was;
		file_write(buf, len);
	}
	{
		char why[600];
		int rc;
		struct applied *a = applied_from_record(&rc, why, sizeof(why));

		assert_non_null(a);
		applied_free(a);
	}
	free(buf);
	ir_free(ir);
	run_free(&r);
}

/* A record others could write would let them rename the counters. */
static void test_unsafe_refused(void **state)
{
	struct run r;
	struct ir *ir;

	(void)state;
	save(&ir, &r);
	chmod(path, 0666);
	expect_refused(EXIT_IO, "writable by others");
	chmod(path, 0600);
	unlink(path);
	expect_refused(EXIT_CONFIG, "no record");
	setenv("ROSFW_RECORD", "", 1);
	expect_refused(EXIT_CONFIG, "ROSFW_RECORD is empty");
	setenv("ROSFW_RECORD", path, 1);
	ir_free(ir);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test_setup_teardown(test_damaged_and_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
