/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_TEXT_H
#define ROSFW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), capped: returns cap + 1 as soon as it must exceed cap. */
size_t text_distance(const char *a, size_t alen, const char *b, size_t blen, size_t cap);

/* The largest distance at which `len`-byte names still count as a typo of
 * one another: used for every "did you mean". */
size_t text_typo_cap(size_t len);

/* Inline so that comparing with a literal costs a length test and a
 * memcmp: the model does it for every property of every command. */
static inline bool text_eq(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && !memcmp(a, b, alen);
}

/* The length of the valid UTF-8 sequence that starts `s` (len > 0): 1 to
 * 4, or 0 for none (a stray or cut continuation byte, an overlong form, a
 * surrogate, past U+10FFFF). */
size_t text_utf8_len(const char *s, size_t len);

/* The longest escape text_char_safe writes, NUL included. */
#define TEXT_ESC_MAX 9

/*
 * One character of `s` (len > 0) as a terminal can be shown it: the bytes
 * it takes, and in `esc` what to print instead, "" to print them as they
 * are. Control bytes but tab, DEL, the C1 controls (U+0080-U+009F, which
 * terminals obey as escape sequences too) and bytes that are not UTF-8
 * become \xHH each: a file name or a value cannot move the cursor, clear
 * the screen or retitle the window.
 */
size_t text_char_safe(const char *s, size_t len, char esc[TEXT_ESC_MAX]);

/* `s` as text_char_safe shows it. */
void text_print_safe(FILE *out, const char *s, size_t len);

/* FNV-1a, 64 bits, continued from `h` (TEXT_FNV64 to start): stable
 * across runs and machines, for names and checksums rosfw writes down. */
#define TEXT_FNV64 0xcbf29ce484222325ull
uint64_t text_fnv64(uint64_t h, const void *p, size_t n);
/* A hash of p[0..n) eight bytes a step, from `h`: for megabytes (a
 * record's digest, a million set elements' fingerprints), where FNV's
 * multiply a byte costs more than reading them. Damage, not an
 * adversary: every caller's file is root's alone. */
uint64_t text_hash_words(uint64_t h, const void *p, size_t n);

#endif
