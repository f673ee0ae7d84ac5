/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DIAG_H
#define ROSFW_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * struct loc - a span of source text.
 * @file: index returned by diag_add_source(); 0 means "no location".
 * @line, @col: first byte, 1-based (columns count bytes).
 * @last_line, @last_col: last byte of the span, inclusive.
 */
struct loc {
	uint32_t file;
	uint32_t line, col;
	uint32_t last_line, last_col;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_msg {
	enum diag_level level;
	struct loc loc;
	char *text;
	unsigned seq;
};

/*
 * Diagnostics are queued and printed once, sorted by position, so the order
 * of the passes that found them does not show in the output.
 */
struct diag;

struct diag *diag_new(unsigned max_errors);
void diag_free(struct diag *d);

/* Register a source; `buf` must outlive `d`. Returns the file index for locs. */
uint32_t diag_add_source(struct diag *d, const char *name, const char *buf, size_t len);
const char *diag_source_name(const struct diag *d, uint32_t file);
/* The same for text made at run time (a script's :parse): d keeps a copy. */
uint32_t diag_add_source_copy(struct diag *d, const char *name, const char *buf, size_t len);
/* The source text from line:col of `file` on (*left bytes to its end), or
 * NULL: the script interpreter reads statements from where they were written. */
const char *diag_source_at(struct diag *d, uint32_t file, uint32_t line, uint32_t col, size_t *left);

__attribute__((format(printf, 4, 5)))
void diag_report(struct diag *d, enum diag_level lvl, const struct loc *loc, const char *fmt, ...);
void diag_vreport(struct diag *d, enum diag_level lvl, const struct loc *loc, const char *fmt, va_list ap);

#define diag_error(d, loc, ...) diag_report(d, DIAG_ERROR, loc, __VA_ARGS__)
#define diag_warning(d, loc, ...) diag_report(d, DIAG_WARNING, loc, __VA_ARGS__)
#define diag_note(d, loc, ...) diag_report(d, DIAG_NOTE, loc, __VA_ARGS__)

unsigned diag_errors(const struct diag *d);
unsigned diag_warnings(const struct diag *d);
/* True once max_errors errors were reported: callers stop early. */
bool diag_full(const struct diag *d);

/* What was reported up to now; diag_rollback takes back everything after
 * it (a script's on-error handles the failure the messages told of). */
struct diag_mark {
	size_t nmsg;
	unsigned errors, warnings;
};
struct diag_mark diag_mark(const struct diag *d);
void diag_rollback(struct diag *d, const struct diag_mark *k);
/* The text of the error reported last, or "". */
const char *diag_last_text(const struct diag *d);

size_t diag_count(const struct diag *d);
const struct diag_msg *diag_at(const struct diag *d, size_t i);	/* sorted */

/* file:line:col: level: message, then the source line and a caret line. */
void diag_print(struct diag *d, FILE *out);
/* One JSON array of {level, file, line, col, message}. */
void diag_print_json(struct diag *d, FILE *out);

/* "rosfw: [WHAT: ]NAME: strerror(err)" on stderr, NAME escaped as file
 * names are in diag_print: a file that could not be read or written. */
void diag_file_error(const char *what, const char *name, int err);

/* Write `s` as a JSON string literal. */
void json_write_string(FILE *out, const char *s, size_t len);

#endif
