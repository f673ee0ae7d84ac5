/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kname.h"

#include <stdio.h>
#include <string.h>

#include "lower.h"

static bool ident_keeps(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

size_t kname_ident_len(const char *prefix, const char *name, size_t len)
{
	size_t n = strlen(prefix), i;

	for (i = 0; i < len; i++)
		n += ident_keeps((unsigned char)name[i]) ? 1 : 3;
	return n;
}

bool kname_ident(char *out, size_t size, const char *prefix, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	const unsigned char *p;

	if (!size)
		return false;
	if (kname_ident_len(prefix, name, strlen(name)) >= size) {
		out[0] = '\0';
		return false;
	}
	for (p = (const unsigned char *)prefix; *p; p++)
		out[o++] = (char)*p;
	for (p = (const unsigned char *)name; *p; p++) {
		if (ident_keeps(*p)) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '.';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
	return true;
}

/* All three bytes long: check.c measures a list's names once for all. */
static const char *const set_prefixes[] = { "al_", "ad_", "ar_", "il_" };

const char *kname_set_prefix(enum kname_set k)
{
	return k < KNAME_NONE ? set_prefixes[k] : "";
}

bool kname_set(char *out, size_t size, enum kname_set k, const char *list)
{
	return kname_ident(out, size, kname_set_prefix(k), list);
}

enum kname_set kname_set_kind(const char *set)
{
	int k;

	for (k = 0; k < KNAME_NONE; k++)
		if (!strncmp(set, set_prefixes[k], 3))
			return (enum kname_set)k;
	return KNAME_NONE;
}

bool kname_is_addrlist(const char *set)
{
	enum kname_set k = kname_set_kind(set);

	return k == KNAME_LIST || k == KNAME_LIST_DYN || k == KNAME_LIST_RT;
}

void kname_set_list(char *out, size_t size, const char *set)
{
	const char *in = kname_set_kind(set) == KNAME_NONE ? set : set + 3;
	size_t w = 0;

	if (!size)
		return;
	for (; *in && w + 1 < size; in++) {
		unsigned v;

		if (*in == '.' && in[1] && in[2] && sscanf(in + 1, "%2x", &v) == 1) {
			out[w++] = (char)v;
			in += 2;
		} else {
			out[w++] = *in;
		}
	}
	out[w] = 0;
}

static const char *const chain_prefixes[][2] = {
	{ "filter", "filter_" }, { "mangle", "mangle_" }, { "nat", "nat_" }, { "raw", "raw_" },
	{ "brnat", "nat_" },	/* table bridge rosfw's */
};

const char *kname_chain_prefix(const char *facility)
{
	size_t i;

	for (i = 0; i < sizeof(chain_prefixes) / sizeof(chain_prefixes[0]); i++)
		if (!strcmp(chain_prefixes[i][0], facility))
			return chain_prefixes[i][1];
	return "";
}

bool kname_chain_of(const char *chain, const char *facility)
{
	const char *p = kname_chain_prefix(facility);

	return *p && !strncmp(chain, p, strlen(p));
}

void kname_counter(char out[KNAME_COUNTER_MAX], const char *facility, uint64_t h, unsigned n)
{
	int w = snprintf(out, KNAME_COUNTER_MAX, "c_%s_%016llx", facility, (unsigned long long)h);

	if (n > 1 && w > 0 && w < KNAME_COUNTER_MAX)
		snprintf(out + w, KNAME_COUNTER_MAX - (size_t)w, "_%u", n);
}

void kname_counter_map(char out[KNAME_COUNTER_MAX], const char *counter)
{
	snprintf(out, KNAME_COUNTER_MAX, "cm_%s", counter + 2);
}

void kname_rule_state(char *out, size_t size, const char *prefix, const char *counter)
{
	snprintf(out, size, "%s%s", prefix, counter + 1);
}

bool kname_counter_of(const char *name, size_t len, const char *facility)
{
	char prefix[32];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "c_%s_", facility);

	return len > plen && !strncmp(name, prefix, plen);
}

bool kname_rule_comment(char out[KNAME_COMMENT_MAX + 1], const char *comment, size_t len)
{
	out[0] = '\0';
	if (!comment)
		return false;
	lower_text(out, KNAME_COMMENT_MAX + 1, comment, len, KNAME_COMMENT_MAX);
	return out[0] != '\0';
}
