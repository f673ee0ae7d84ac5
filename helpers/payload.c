/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * POSIX regex from libc rather than PCRE2: l7-filter's patterns are
 * POSIX-style (Henry Spencer's regex in the kernel module), they run on at
 * most 2 KB once per connection, and glibc's matcher is a DFA-backed
 * engine without PCRE's backtracking blow-ups on hostile data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payload.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* glibc compiles bounded repetition by copying: nested bounds multiply
 * (three levels of {1,100} take seconds and gigabytes). Their product is
 * held under a limit no l7-filter pattern comes near. */
#define L7_REPEAT_MAX 10000

static bool repeats_ok(const char *p)
{
	unsigned long prod = 1;

	for (; *p; p++) {
		unsigned long lo = 0, hi;
		char *end;

		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p != '{' || p[1] < '0' || p[1] > '9')
			continue;
		lo = strtoul(p + 1, &end, 10);
		hi = lo;
		if (*end == ',')
			hi = end[1] >= '0' && end[1] <= '9' ? strtoul(end + 1, &end, 10) : lo;
		if (hi > L7_REPEAT_MAX || (hi && (prod *= hi) > L7_REPEAT_MAX))
			return false;
	}
	return true;
}

int l7_compile(regex_t *re, const char *pat, char *err, size_t errsz)
{
	size_t n = strlen(pat), o = 0, i;
	char *ere = malloc(2 * n + 1);
	int rc;

	if (!ere) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (!repeats_ok(pat)) {
		free(ere);
		snprintf(err, errsz, "its {m,n} bounds multiply past %d", L7_REPEAT_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		int hi, lo, byte;

		if (pat[i] == '\\' && pat[i + 1] == 'x' && (hi = hexval(pat[i + 2])) >= 0 &&
		    (lo = hexval(pat[i + 3])) >= 0) {
			byte = hi << 4 | lo;
			i += 3;
			if (!byte) {
				free(ere);
				snprintf(err, errsz, "\\x00 never matches (NUL bytes are taken out of the data)");
				return -1;
			}
			if (strchr(".[]()*+?{}|^$\\", byte))
				ere[o++] = '\\';
			ere[o++] = (char)byte;
			continue;
		}
		ere[o++] = pat[i];
	}
	ere[o] = '\0';
	rc = regcomp(re, ere, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	free(ere);
	if (rc) {
		regerror(rc, re, err, errsz);
		return -1;
	}
	return 0;
}

bool l7_match(const regex_t *re, const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	size_t i, o = 0;
	bool hit;

	if (!s)
		return false;
	for (i = 0; i < n; i++)
		if (data[i])
			s[o++] = (char)data[i];
	s[o] = '\0';
	hit = regexec(re, s, 0, NULL, 0) == 0;
	free(s);
	return hit;
}

bool content_match(const uint8_t *payload, size_t n, const uint8_t *needle, size_t nlen)
{
	return nlen && n >= nlen && memmem(payload, n, needle, nlen) != NULL;
}
