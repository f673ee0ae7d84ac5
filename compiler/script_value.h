/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SCRIPT_VALUE_H
#define ROSFW_SCRIPT_VALUE_H

/*
 * The values of RouterOS's scripting language. A value owns what it holds:
 * copying a variable copies its array, as RouterOS arrays are values, not
 * references. Every byte held is counted (script_mem_used) so the
 * interpreter can stop a script that would exhaust rosfw.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sv_type {
	SV_NOTHING,	/* an unset variable, a command that returns nothing */
	SV_NIL,
	SV_STR,
	SV_NUM,
	SV_BOOL,
	SV_IP,
	SV_IPPREFIX,
	SV_IP6,
	SV_IP6PREFIX,
	SV_TIME,	/* nanoseconds */
	SV_ARRAY,
	SV_ID,		/* an item's id (struct mitem), "*1f" */
	SV_CODE,	/* a do={...} body or what :parse made */
};

struct sarray;

/**
 * struct scode - script text a value holds: a function body or :parse's
 * result. @text points into a source the diag keeps (the file, or a copy
 * :parse registered), so it outlives the statement that wrote it; the
 * interpreter reads it again at each call (@file, @line, @col: where it
 * starts, for the locations of what it says).
 */
struct scode {
	const char *text;
	size_t len;
	uint32_t file, line, col;
};

struct sval {
	enum sv_type t;
	union {
		int64_t n;		/* num, time */
		bool b;
		struct {
			uint8_t a[16];	/* ip: the first 4 */
			uint8_t plen;
		} ip;
		struct {
			char *p;	/* NUL-terminated, may hold NULs */
			size_t len;
		} s;
		struct sarray *a;
		uint32_t id;
		struct scode *code;
	} u;
};

struct sentry {
	char *key;		/* NULL in a list */
	struct sval v;
};

/**
 * struct sarray - a list, a key=value array, or both.
 * @nlist: how many elements have no key.
 * @mixed: one was added after a keyed one. Until then the list is v[0,
 *         nlist) and the keys, in order, v[nlist, n): found by bisection,
 *         so a script filling a map of 100k keys is not quadratic.
 */
struct sarray {
	struct sentry *v;
	size_t n, cap;
	size_t nlist;
	bool mixed;
};

/* A growing string. */
struct sbuf {
	char *p;
	size_t len, cap;
};

void sbuf_put(struct sbuf *b, const char *s, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_free(struct sbuf *b);

struct sval sv_nothing(void);
struct sval sv_num(int64_t n);
struct sval sv_bool(bool b);
struct sval sv_str(const char *s, size_t n);
/* The string b holds, taken over (b is left empty). */
struct sval sv_str_take(struct sbuf *b);
struct sval sv_array(void);
struct sval sv_code(const struct scode *c);
struct sval sv_copy(const struct sval *v);
void sv_free(struct sval *v);

/* What RouterOS makes of an unquoted word: num, ip, ip-prefix, ip6,
 * ip6-prefix, time, bool (true/false), else str. */
struct sval sv_guess(const char *s, size_t n);

/* The text form RouterOS prints (`:put`, a property's value); arrays join
 * their elements with ';'. */
void sv_append(struct sbuf *b, const struct sval *v);
/* The same as a new NUL-terminated string the caller frees. */
char *sv_text(const struct sval *v, size_t *len);

/* RouterOS's type names, as :typeof says them. */
const char *sv_typeof(const struct sval *v);

/* Conversions; SV_NIL when it cannot be done (RouterOS gives nil too). */
struct sval sv_to_num(const struct sval *v);
struct sval sv_to_ip(const struct sval *v);
struct sval sv_to_ip6(const struct sval *v);
struct sval sv_to_time(const struct sval *v);
struct sval sv_to_bool(const struct sval *v);
struct sval sv_to_array(const struct sval *v);
struct sval sv_to_str(const struct sval *v);

/* Truth of a condition: bool, or a str/num that says true; false for
 * nothing. */
bool sv_truth(const struct sval *v);
/* `=`: same type and value; a str is compared by text with any value; an
 * empty array, nothing and "" are equal (what `[find] = ""` asks). */
bool sv_equal(const struct sval *a, const struct sval *b);

void sa_push(struct sarray *a, struct sval v);	/* takes v */
/* Element `key` (set: takes v, replacing or inserting in key order). */
struct sval *sa_get(struct sarray *a, const char *key, size_t n);
void sa_set(struct sarray *a, const char *key, size_t n, struct sval v);
/* The i-th element without a key ($a->0 of {b=2;1}), or NULL. */
struct sval *sa_index(struct sarray *a, size_t i);

/* Bytes held by all values now; bytes of values made since the start. */
size_t script_mem_used(void);
size_t script_mem_made(void);
/* What the interpreter holds beside values (variables, their index). */
void script_mem_hold(size_t n);
void script_mem_release(size_t n);
/* The interpreter's budget: a conversion stops making elements past it
 * (the interpreter then stops the script); 0 is none. */
void script_mem_set_limit(size_t max);
/* Whether a conversion stopped there since the last call. */
bool script_mem_stopped(void);

#endif
