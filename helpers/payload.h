/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_PAYLOAD_H
#define ROSFW_PAYLOAD_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A RouterOS layer7-protocol regexp as POSIX extended regex: l7-filter's
 * dialect, which RouterOS keeps: `\xHH` is the byte HH, and case is
 * ignored. 0 or -1 with the reason in err (a pattern RouterOS would take
 * but regcomp does not, or `\x00`, which can never match: l7-filter takes
 * the NULs out of the data).
 */
int l7_compile(regex_t *re, const char *pattern, char *err, size_t errsz);

/* Whether the collected data (both directions, in the order they came)
 * match; NUL bytes are taken out first, as l7-filter does. */
bool l7_match(const regex_t *re, const uint8_t *data, size_t n);

/* content=: the bytes anywhere in one packet's payload, case kept. */
bool content_match(const uint8_t *payload, size_t n, const uint8_t *needle, size_t nlen);

#endif
