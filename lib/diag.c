/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* A source line longer than this is shown as a window around the caret. */
#define DIAG_LINE_WINDOW 120

struct source {
	char *name;
	const char *buf;
	size_t len;
	size_t *line_off;	/* start offset of each line, built on first use */
	size_t nlines;
	bool owned;		/* buf is the diag's own copy */
};

/* A message already said, by its hash: index into msg (checked against
 * the message itself, so entries a rollback or a sort left stale only
 * cost a compare). */
struct seen {
	uint64_t hash;
	size_t idx;
};

struct diag {
	struct source *src;	/* src[0] is unused: file 0 means no location */
	size_t nsrc;
	struct diag_msg *msg;
	size_t nmsg, cap;
	struct seen *seen;	/* open addressing, a power of two long */
	size_t nseen, capseen;
	unsigned errors, warnings, max_errors;
	bool sorted;
};

struct diag *diag_new(unsigned max_errors)
{
	struct diag *d = xcalloc(1, sizeof(*d));

	d->src = xcalloc(1, sizeof(*d->src));
	d->nsrc = 1;
	d->max_errors = max_errors ? max_errors : 1;
	return d;
}

void diag_free(struct diag *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nsrc; i++) {
		free(d->src[i].name);
		free(d->src[i].line_off);
		if (d->src[i].owned)
			free((char *)d->src[i].buf);
	}
	for (i = 0; i < d->nmsg; i++)
		free(d->msg[i].text);
	free(d->src);
	free(d->msg);
	free(d->seen);
	free(d);
}

uint32_t diag_add_source(struct diag *d, const char *name, const char *buf, size_t len)
{
	struct source *s;

	d->src = xreallocarray(d->src, d->nsrc + 1, sizeof(*d->src));
	s = &d->src[d->nsrc];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->buf = buf;
	s->len = len;
	s->line_off = NULL;
	return (uint32_t)d->nsrc++;
}

uint32_t diag_add_source_copy(struct diag *d, const char *name, const char *buf, size_t len)
{
	char *copy = xmalloc(len + 1);
	uint32_t f;

	memcpy(copy, buf, len);
	copy[len] = '\0';
	f = diag_add_source(d, name, copy, len);
	d->src[f].owned = true;
	return f;
}

const char *diag_source_name(const struct diag *d, uint32_t file)
{
	return file && file < d->nsrc ? d->src[file].name : "";
}

static uint64_t msg_hash(const struct diag_msg *m)
{
	uint32_t key[4] = { (uint32_t)m->level, m->loc.file, m->loc.line, m->loc.col };

	return text_fnv64(text_fnv64(TEXT_FNV64, key, sizeof(key)), m->text, strlen(m->text));
}

static bool msg_same(const struct diag_msg *a, const struct diag_msg *b)
{
	return a->level == b->level && a->loc.file == b->loc.file && a->loc.line == b->loc.line &&
	       a->loc.col == b->loc.col && !strcmp(a->text, b->text);
}

static void seen_put(struct diag *d, uint64_t h, size_t idx)
{
	size_t i;

	if (2 * (d->nseen + 1) > d->capseen) {
		struct seen *old = d->seen;
		size_t cap = d->capseen, j;

		d->capseen = cap ? cap * 2 : 64;
		d->seen = xcalloc(d->capseen, sizeof(*d->seen));
		d->nseen = 0;
		for (j = 0; j < cap; j++)
			if (old[j].hash)
				seen_put(d, old[j].hash, old[j].idx);
		free(old);
	}
	for (i = h & (d->capseen - 1); d->seen[i].hash; i = (i + 1) & (d->capseen - 1))
		;
	d->seen[i].hash = h;
	d->seen[i].idx = idx;
	d->nseen++;
}

/* Is m said already (the same level, place and words)? A script's loop
 * says a warning once, not once a turn. */
static bool seen_before(const struct diag *d, const struct diag_msg *m, uint64_t h)
{
	size_t i;

	for (i = d->capseen ? h & (d->capseen - 1) : 0; d->capseen && d->seen[i].hash; i = (i + 1) & (d->capseen - 1))
		if (d->seen[i].hash == h && d->seen[i].idx < d->nmsg && msg_same(&d->msg[d->seen[i].idx], m))
			return true;
	return false;
}

void diag_vreport(struct diag *d, enum diag_level lvl, const struct loc *loc, const char *fmt, va_list ap)
{
	struct diag_msg *m;
	va_list aq;
	uint64_t h;
	int n;

	if (lvl == DIAG_ERROR && d->errors >= d->max_errors) {
		d->errors++;
		return;
	}
	if (d->nmsg == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->msg = xreallocarray(d->msg, d->cap, sizeof(*d->msg));
	}
	m = &d->msg[d->nmsg];
	memset(m, 0, sizeof(*m));
	m->level = lvl;
	if (loc)
		m->loc = *loc;
	m->seq = (unsigned)d->nmsg;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	m->text = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(m->text, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	h = msg_hash(m) | 1;	/* 0 marks a free slot */
	if (seen_before(d, m, h)) {
		free(m->text);
		return;
	}
	seen_put(d, h, d->nmsg);
	d->nmsg++;
	d->sorted = false;
	if (lvl == DIAG_ERROR)
		d->errors++;
	else if (lvl == DIAG_WARNING)
		d->warnings++;
}

void diag_report(struct diag *d, enum diag_level lvl, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(d, lvl, loc, fmt, ap);
	va_end(ap);
}

unsigned diag_errors(const struct diag *d)
{
	return d->errors;
}

unsigned diag_warnings(const struct diag *d)
{
	return d->warnings;
}

bool diag_full(const struct diag *d)
{
	return d->errors >= d->max_errors;
}

struct diag_mark diag_mark(const struct diag *d)
{
	struct diag_mark k = { d->nmsg, d->errors, d->warnings };

	return k;
}

void diag_rollback(struct diag *d, const struct diag_mark *k)
{
	size_t i, n = 0;

	for (i = 0; i < d->nmsg; i++) {
		if (d->msg[i].seq < k->nmsg)
			d->msg[n++] = d->msg[i];
		else
			free(d->msg[i].text);
	}
	d->nmsg = n;
	d->errors = k->errors;
	d->warnings = k->warnings;
}

const char *diag_last_text(const struct diag *d)
{
	size_t i;
	const struct diag_msg *best = NULL;

	for (i = 0; i < d->nmsg; i++)
		if (d->msg[i].level == DIAG_ERROR && (!best || d->msg[i].seq > best->seq))
			best = &d->msg[i];
	return best ? best->text : "";
}

static int msg_cmp(const void *a, const void *b)
{
	const struct diag_msg *x = a, *y = b;

	if (x->loc.file != y->loc.file)
		return x->loc.file < y->loc.file ? -1 : 1;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void diag_sort(struct diag *d)
{
	if (!d->sorted && d->nmsg)
		qsort(d->msg, d->nmsg, sizeof(*d->msg), msg_cmp);
	d->sorted = true;
}

size_t diag_count(const struct diag *d)
{
	return d->nmsg;
}

const struct diag_msg *diag_at(const struct diag *d, size_t i)
{
	diag_sort((struct diag *)d);
	return i < d->nmsg ? &d->msg[i] : NULL;
}

static void source_index(struct source *s)
{
	size_t i, n = 1, k = 0;

	if (s->line_off)
		return;
	for (i = 0; i < s->len; i++)
		if (s->buf[i] == '\n')
			n++;
	s->line_off = xcalloc(n, sizeof(size_t));
	s->line_off[k++] = 0;
	for (i = 0; i < s->len; i++)
		if (s->buf[i] == '\n')
			s->line_off[k++] = i + 1;
	s->nlines = n;
}

const char *diag_source_at(struct diag *d, uint32_t file, uint32_t line, uint32_t col, size_t *left)
{
	struct source *s;
	size_t off;

	if (!file || file >= d->nsrc)
		return NULL;
	s = &d->src[file];
	source_index(s);
	if (!line || line > s->nlines || !col)
		return NULL;
	off = s->line_off[line - 1] + col - 1;
	if (off > s->len)
		return NULL;
	*left = s->len - off;
	return s->buf + off;
}

/* The text of line `line` without its line ending. */
static const char *source_line(struct source *s, uint32_t line, size_t *len)
{
	size_t a, b;

	source_index(s);
	if (line == 0 || line > s->nlines)
		return NULL;
	a = s->line_off[line - 1];
	b = a;
	while (b < s->len && s->buf[b] != '\n' && s->buf[b] != '\r')
		b++;
	*len = b - a;
	return s->buf + a;
}

static void print_caret(FILE *out, const char *text, size_t len, const struct loc *loc)
{
	size_t col = loc->col ? loc->col - 1 : 0;
	size_t last = loc->last_line == loc->line && loc->last_col >= loc->col ? loc->last_col - 1 : len ? len - 1 : 0;
	size_t from = 0, to = len, i, n, w;
	char esc[TEXT_ESC_MAX];
	bool caret = false;

	if (col > len)
		col = len;
	if (last < col)
		last = col;
	if (len > DIAG_LINE_WINDOW) {
		from = col > DIAG_LINE_WINDOW / 3 ? col - DIAG_LINE_WINDOW / 3 : 0;
		to = from + DIAG_LINE_WINDOW < len ? from + DIAG_LINE_WINDOW : len;
	}
	if (last >= to)
		last = to ? to - 1 : 0;
	/* Control bytes would move the terminal's cursor (or worse): they
	 * are shown escaped, and the caret line gives each character the
	 * columns it took above. */
	fputs(from ? "  ..." : "  ", out);
	text_print_safe(out, text + from, to - from);
	fputs(to < len ? "...\n" : "\n", out);
	fputs(from ? "     " : "  ", out);
	for (i = from; i < to && i <= last; i += n) {
		n = text_char_safe(text + i, to - i, esc);
		/* One column per character (UTF-8 continuation bytes take
		 * none), as many as its escape has, a tab for a tab. */
		w = esc[0] ? strlen(esc) : 1;
		if (i + n <= col) {
			if (!esc[0] && text[i] == '\t')
				fputc('\t', out);
			else
				fprintf(out, "%*s", (int)w, "");
			continue;
		}
		fputc(caret ? '~' : '^', out);
		caret = true;
		while (--w)
			fputc('~', out);
	}
	if (!caret)
		fputc('^', out);
	fputc('\n', out);
}

static const char *level_name(enum diag_level l)
{
	return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

static void diag_print_to(struct diag *d, FILE *out)
{
	size_t i, len;
	const char *text;

	diag_sort(d);
	for (i = 0; i < d->nmsg; i++) {
		const struct diag_msg *m = &d->msg[i];
		struct source *s = m->loc.file && m->loc.file < d->nsrc ? &d->src[m->loc.file] : NULL;

		/* A file name, a value quoted in the message: bytes the user
		 * chose, escaped as the source line is. */
		if (s) {
			text_print_safe(out, s->name, strlen(s->name));
			fprintf(out, ":%u:%u: %s: ", m->loc.line, m->loc.col, level_name(m->level));
		} else {
			fprintf(out, "rosfw: %s: ", level_name(m->level));
		}
		text_print_safe(out, m->text, strlen(m->text));
		fputc('\n', out);
		if (s && m->level != DIAG_NOTE && (text = source_line(s, m->loc.line, &len)))
			print_caret(out, text, len, &m->loc);
	}
	/* Reaching the cap stops the run, so more errors may follow unseen. */
	if (d->errors >= d->max_errors)
		fprintf(out, "rosfw: error: stopped after %u errors; there may be more (--max-errors raises the limit)\n",
			d->max_errors);
}

/* Built in memory and written at once: stderr is unbuffered, and a caret
 * line is many small writes. */
void diag_print(struct diag *d, FILE *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		diag_print_to(d, out);
		return;
	}
	diag_print_to(d, m);
	if (fclose(m) == 0)
		fwrite(buf, 1, len, out);
	free(buf);
}

void diag_file_error(const char *what, const char *name, int err)
{
	fprintf(stderr, "rosfw: %s%s", what ? what : "", what ? ": " : "");
	text_print_safe(stderr, name, strlen(name));
	fprintf(stderr, ": %s\n", strerror(err));
}

void json_write_string(FILE *out, const char *s, size_t len)
{
	size_t i, n;

	fputc('"', out);
	for (i = 0; i < len; i += n) {
		unsigned char c = (unsigned char)s[i];

		n = text_utf8_len(s + i, len - i);
		/* JSON is UTF-8: a byte that is not becomes U+FFFD; the C1
		 * controls are escaped as the C0 ones are. */
		if (!n) {
			fputs("\\ufffd", out);
			n = 1;
		} else if (n == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			fprintf(out, "\\u%04x", (unsigned char)s[i + 1]);
		} else if (n > 1) {
			fwrite(s + i, 1, n, out);
		} else if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c == '\r') {
			fputs("\\r", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else {
			fputc(c, out);
		}
	}
	fputc('"', out);
}

void diag_print_json(struct diag *d, FILE *out)
{
	size_t i;

	diag_sort(d);
	fputc('[', out);
	for (i = 0; i < d->nmsg; i++) {
		const struct diag_msg *m = &d->msg[i];
		const char *name = diag_source_name(d, m->loc.file);

		fprintf(out, "%s{\"level\":\"%s\",\"file\":", i ? "," : "", level_name(m->level));
		json_write_string(out, name, strlen(name));
		fprintf(out, ",\"line\":%u,\"col\":%u,\"message\":", m->loc.line, m->loc.col);
		json_write_string(out, m->text, strlen(m->text));
		fputc('}', out);
	}
	fputc(']', out);
}
