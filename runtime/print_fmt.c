/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The layouts of rosfw print: RouterOS's columns, JSON and the Prometheus
 * text exposition. Pure functions of rows, so unit tests feed them made-up
 * data (tests/unit/test_print.c includes this file).
 *
 * Columns are as wide as the RouterOS manual prints them (CHAIN 19, ACTION
 * 24, BYTES 16); a longer value widens its column for every row rather than
 * being cut, so the columns stay aligned. Rows carry no trailing blanks.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "print.h"

/* Decimal digits of v into the end of b[32]: where they start. Rows are
 * printed by the hundred thousand, and printf's format parsing was a
 * tenth of print address-list's time. */
static char *digits(char b[32], uint64_t v)
{
	char *p = b + 31;

	*p = 0;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

void print_duration(char *buf, size_t size, uint64_t ms)
{
	static const struct {
		uint64_t s;
		char u;
	} units[] = { { 604800, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	uint64_t s = ms / 1000;
	size_t i, w = 0;

	if (!size)
		return;
	buf[0] = 0;
	if (!s) {
		snprintf(buf, size, "0s");
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t q = s / units[i].s;
		char b[32], *d;
		size_t k;

		if (!q)
			continue;
		s -= q * units[i].s;
		d = digits(b, q);
		k = strlen(d);
		if (w + k + 2 > size)
			return;
		memcpy(buf + w, d, k);
		buf[w + k] = units[i].u;
		buf[w + k + 1] = 0;
		w += k + 1;
	}
}

static size_t num_width(const long *nums, size_t n)
{
	size_t i, w = 2;

	for (i = 0; i < n; i++) {
		char b[32];
		uint64_t v = nums[i] < 0 ? -(uint64_t)nums[i] : (uint64_t)nums[i];
		size_t l = strlen(digits(b, v)) + (nums[i] < 0);

		if (l > w)
			w = l;
	}
	return w;
}

static void blanks(FILE *out, size_t n)
{
	static const char sp[] = "                                                                ";

	while (n) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		fwrite(sp, 1, k, out);
		n -= k;
	}
}

static size_t maxw(size_t w, const char *s)
{
	size_t l = s ? strlen(s) + 1 : 0;

	return l > w ? l : w;
}

/* `s` then blanks up to `w`; the last column gets no blanks. */
static void cell(FILE *out, const char *s, size_t w, bool last)
{
	size_t l = strlen(s);

	fwrite(s, 1, l, out);
	if (!last && l < w)
		blanks(out, w - l);
}

/* The number and flag columns, or blanks as wide for a row's second line. */
/* A row's number and flag; num < 0: a dynamic row, which the
 * configuration's numbering does not count. */
static void lead(FILE *out, size_t nw, long num, char flag, bool blank)
{
	char b[32], *d = num < 0 ? b + 31 : digits(b, (uint64_t)num), tail[3] = { ' ', flag ? flag : ' ', ' ' };
	size_t l = blank || num < 0 ? 0 : strlen(d);

	blanks(out, nw > l ? nw - l : 0);
	fwrite(d, 1, l, out);
	if (blank)
		tail[1] = ' ';
	fwrite(tail, 1, 3, out);
}

/* The ";;; comment" line RouterOS prints above a commented row. */
static bool comment_line(FILE *out, size_t nw, long num, char flag, const char *comment)
{
	if (!comment || !*comment)
		return false;
	lead(out, nw, num, flag, false);
	fprintf(out, ";;; %s\n", comment);
	return true;
}

void print_stats_text(FILE *out, const struct print_stat_row *r, size_t n)
{
	size_t i, nw, cw = 19, aw = 24, bw = 16;
	long *nums = calloc(n ? n : 1, sizeof(*nums));
	char b[32];

	for (i = 0; i < n; i++) {
		nums[i] = r[i].num;
		cw = maxw(cw, r[i].chain);
		aw = maxw(aw, r[i].action);
		snprintf(b, sizeof(b), "%" PRIu64, r[i].bytes);
		bw = maxw(bw, b);
	}
	nw = num_width(nums, n);
	free(nums);
	fputs("Flags: X - disabled, I - invalid, D - dynamic\n", out);
	fprintf(out, "%*s   ", (int)nw, "#");
	cell(out, "CHAIN", cw, false);
	cell(out, "ACTION", aw, false);
	cell(out, "BYTES", bw, false);
	cell(out, "PACKETS", 0, true);
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		bool c = comment_line(out, nw, r[i].num, r[i].flag, r[i].comment);

		lead(out, nw, r[i].num, r[i].flag, c);
		cell(out, r[i].chain ? r[i].chain : "", cw, false);
		cell(out, r[i].action ? r[i].action : "", aw, false);
		snprintf(b, sizeof(b), "%" PRIu64, r[i].bytes);
		cell(out, b, bw, false);
		fprintf(out, "%" PRIu64 "\n", r[i].packets);
	}
}

static void jstr(FILE *out, const char *s)
{
	if (s)
		json_write_string(out, s, strlen(s));
	else
		fputs("null", out);
}

static void flag_str(char *b, char flag)
{
	b[0] = flag && flag != ' ' ? flag : 0;
	b[1] = 0;
}

void print_stats_json(FILE *out, const char *family, const char *facility, const struct print_stat_row *r,
		      size_t n, bool first)
{
	size_t i;
	char f[2];

	for (i = 0; i < n; i++) {
		if (!first || i)
			fputc(',', out);
		flag_str(f, r[i].flag);
		fputs("\n{\"family\":", out);
		jstr(out, family);
		fputs(",\"facility\":", out);
		jstr(out, facility);
		if (r[i].num < 0)
			fputs(",\"number\":null,\"flags\":", out);
		else
			fprintf(out, ",\"number\":%ld,\"flags\":", r[i].num);
		jstr(out, f);
		fprintf(out, ",\"disabled\":%s,\"invalid\":%s,\"dynamic\":%s,\"chain\":", r[i].flag == 'X' ? "true" : "false",
			r[i].flag == 'I' ? "true" : "false", r[i].flag == 'D' ? "true" : "false");
		jstr(out, r[i].chain);
		fputs(",\"action\":", out);
		jstr(out, r[i].action);
		fputs(",\"comment\":", out);
		jstr(out, r[i].comment);
		fputs(",\"counter\":", out);
		jstr(out, r[i].counter);
		fprintf(out, ",\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64 "}", r[i].bytes, r[i].packets);
	}
}

void print_prom_label(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void print_prom_header(FILE *out, const char *metric)
{
	fprintf(out, "# HELP rosfw_rule_%s_total %s matched by a RouterOS firewall rule (all its kernel rules summed).\n",
		metric, !strcmp(metric, "bytes") ? "Bytes" : "Packets");
	fprintf(out, "# TYPE rosfw_rule_%s_total counter\n", metric);
}

void print_stats_prom(FILE *out, const char *metric, const char *family, const char *facility,
		      const struct print_stat_row *r, size_t n)
{
	size_t i;
	bool bytes = !strcmp(metric, "bytes");

	for (i = 0; i < n; i++) {
		char num[32];

		/* A disabled rule has no counter to export. */
		if (r[i].flag == 'X')
			continue;
		if (r[i].num < 0)
			num[0] = '\0';
		else
			snprintf(num, sizeof(num), "%ld", r[i].num);
		fprintf(out, "rosfw_rule_%s_total{family=", metric);
		print_prom_label(out, family);
		fputs(",facility=", out);
		print_prom_label(out, facility);
		fputs(",number=", out);
		print_prom_label(out, num);
		fputs(",chain=", out);
		print_prom_label(out, r[i].chain);
		fputs(",action=", out);
		print_prom_label(out, r[i].action);
		fputs(",comment=", out);
		print_prom_label(out, r[i].comment);
		fprintf(out, "} %" PRIu64 "\n", bytes ? r[i].bytes : r[i].packets);
	}
}

/* One row of text, written with one fwrite: stdio's per-call work was a
 * fifth of print address-list's time at 100k rows. */
struct line {
	char b[1024];
	size_t n;
	FILE *out;
};

static void line_put(struct line *l, const char *s, size_t n)
{
	if (l->n + n > sizeof(l->b)) {
		fwrite(l->b, 1, l->n, l->out);
		l->n = 0;
		if (n > sizeof(l->b)) {
			fwrite(s, 1, n, l->out);
			return;
		}
	}
	memcpy(l->b + l->n, s, n);
	l->n += n;
}

static void line_cell(struct line *l, const char *s, size_t w, bool last)
{
	static const char sp[] = "                                ";
	size_t n = strlen(s);

	line_put(l, s, n);
	for (; !last && n < w; n += sizeof(sp) - 1)
		line_put(l, sp, w - n < sizeof(sp) - 1 ? w - n : sizeof(sp) - 1);
}

static void line_lead(struct line *l, size_t nw, long num, char flag, bool blank)
{
	char b[32] = "", *d = num < 0 || blank ? b + 31 : digits(b, (uint64_t)num);
	char tail[3] = { ' ', blank ? ' ' : flag ? flag : ' ', ' ' };

	line_cell(l, "", nw > strlen(d) ? nw - strlen(d) : 0, false);
	line_put(l, d, strlen(d));
	line_put(l, tail, 3);
}

static void line_end(struct line *l)
{
	line_put(l, "\n", 1);
	fwrite(l->b, 1, l->n, l->out);
	l->n = 0;
}

void print_al_text(FILE *out, const struct print_al_row *r, size_t n)
{
	size_t i, nw, lw = 21, adw = 19, cw = 21;
	long *nums = calloc(n ? n : 1, sizeof(*nums));
	struct line l = { .out = out };

	for (i = 0; i < n; i++) {
		nums[i] = r[i].num;
		lw = maxw(lw, r[i].list);
		adw = maxw(adw, r[i].address);
		cw = maxw(cw, r[i].creation);
	}
	nw = num_width(nums, n);
	free(nums);
	fputs("Flags: X - disabled, D - dynamic\n", out);
	fprintf(out, "%*s   ", (int)nw, "#");
	cell(out, "LIST", lw, false);
	cell(out, "ADDRESS", adw, false);
	cell(out, "CREATION-TIME", cw, false);
	cell(out, "TIMEOUT", 0, true);
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		bool c = r[i].comment && *r[i].comment;
		char t[64] = "";

		if (c) {
			line_lead(&l, nw, r[i].num, r[i].flag, false);
			line_put(&l, ";;; ", 4);
			line_cell(&l, r[i].comment, 0, true);
			line_end(&l);
		}
		line_lead(&l, nw, r[i].num, r[i].flag, c);
		if (r[i].has_timeout)
			print_duration(t, sizeof(t), r[i].timeout_ms);
		line_cell(&l, r[i].list ? r[i].list : "", lw, false);
		if (!*t && !r[i].creation) {
			line_cell(&l, r[i].address ? r[i].address : "", adw, true);
		} else {
			line_cell(&l, r[i].address ? r[i].address : "", adw, false);
			line_cell(&l, r[i].creation ? r[i].creation : "", cw, !*t);
			line_cell(&l, t, 0, true);
		}
		line_end(&l);
	}
}

void print_al_json(FILE *out, const char *family, const struct print_al_row *r, size_t n)
{
	size_t i;
	char f[2], t[64];

	fputc('[', out);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		flag_str(f, r[i].flag);
		fputs("\n{\"family\":", out);
		jstr(out, family);
		if (r[i].num < 0)
			fputs(",\"number\":null,\"flags\":", out);
		else
			fprintf(out, ",\"number\":%ld,\"flags\":", r[i].num);
		jstr(out, f);
		fprintf(out, ",\"disabled\":%s,\"dynamic\":%s,\"list\":", r[i].flag == 'X' ? "true" : "false",
			r[i].flag == 'D' ? "true" : "false");
		jstr(out, r[i].list);
		fputs(",\"address\":", out);
		jstr(out, r[i].address);
		fputs(",\"creation-time\":", out);
		jstr(out, r[i].creation);
		fputs(",\"timeout\":", out);
		if (r[i].has_timeout) {
			print_duration(t, sizeof(t), r[i].timeout_ms);
			jstr(out, t);
			fprintf(out, ",\"timeout-ms\":%" PRIu64, r[i].timeout_ms);
		} else {
			fputs("null,\"timeout-ms\":null", out);
		}
		fputs(",\"comment\":", out);
		jstr(out, r[i].comment);
		fputc('}', out);
	}
	fputs("\n]\n", out);
}
