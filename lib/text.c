/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Names longer than this are never typos of one another worth reporting. */
#define TEXT_MAX 64

size_t text_distance(const char *a, size_t alen, const char *b, size_t blen, size_t cap)
{
	size_t row[3][TEXT_MAX + 1];
	size_t i, j, best;
	size_t *prev2, *prev, *cur;

	if (alen > TEXT_MAX || blen > TEXT_MAX)
		return cap + 1;
	if ((alen > blen ? alen - blen : blen - alen) > cap)
		return cap + 1;
	for (j = 0; j <= blen; j++)
		row[1][j] = j;
	prev2 = row[0];
	prev = row[1];
	cur = row[2];
	for (i = 1; i <= alen; i++) {
		size_t *t;

		cur[0] = i;
		best = cur[0];
		for (j = 1; j <= blen; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen] > cap ? cap + 1 : prev[blen];
}

size_t text_typo_cap(size_t len)
{
	return len / 3 > 2 ? len / 3 : 2;
}

size_t text_utf8_len(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (u[0] < 0x80)
		return 1;
	if (u[0] < 0xc2 || u[0] > 0xf4)
		return 0;
	n = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	/* The second byte's range is narrower after these leads: no
	 * overlong forms, no surrogates, nothing past U+10FFFF. */
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (len < n || u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

size_t text_char_safe(const char *s, size_t len, char esc[TEXT_ESC_MAX])
{
	unsigned char c = (unsigned char)s[0];
	size_t n = text_utf8_len(s, len);

	esc[0] = '\0';
	if (n == 1 && ((c >= 0x20 && c != 0x7f) || c == '\t'))
		return 1;
	if (n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0) {
		snprintf(esc, TEXT_ESC_MAX, "\\x%02x\\x%02x", c, (unsigned char)s[1]);
		return 2;
	}
	if (n > 1)
		return n;
	snprintf(esc, TEXT_ESC_MAX, "\\x%02x", c);
	return 1;
}

void text_print_safe(FILE *out, const char *s, size_t len)
{
	char esc[TEXT_ESC_MAX];
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = text_char_safe(s + i, len - i, esc);
		if (esc[0])
			fputs(esc, out);
		else
			fwrite(s + i, 1, n, out);
	}
}

uint64_t text_fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ull;
	return h;
}

uint64_t text_hash_words(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t w;

	for (; n >= 8; c += 8, n -= 8) {
		memcpy(&w, c, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 32;
	}
	w = (uint64_t)n << 56;
	memcpy(&w, c, n);
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}
