/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ifmap.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct ifmap {
	struct ifmap_entry *v;
	size_t n, cap;
};

struct ifmap *ifmap_new(void)
{
	return xcalloc(1, sizeof(struct ifmap));
}

static void entry_clear(struct ifmap_entry *e)
{
	size_t i;

	for (i = 0; i < e->ntargets; i++)
		free((void *)e->targets[i]);
	free(e->targets);
	free((void *)e->key);
}

void ifmap_free(struct ifmap *map)
{
	size_t i;

	if (!map)
		return;
	for (i = 0; i < map->n; i++)
		entry_clear(&map->v[i]);
	free(map->v);
	free(map);
}

size_t ifmap_count(const struct ifmap *map)
{
	return map ? map->n : 0;
}

const struct ifmap_entry *ifmap_at(const struct ifmap *map, size_t i)
{
	return &map->v[i];
}

const struct ifmap_entry *ifmap_find(const struct ifmap *map, const char *name, size_t len)
{
	size_t i;

	for (i = 0; map && i < map->n; i++)
		if (strlen(map->v[i].key) == len && !memcmp(map->v[i].key, name, len))
			return &map->v[i];
	return NULL;
}

/*
 * What Linux takes as a name (dev_valid_name: under 16 bytes, not . or ..,
 * no '/', ':' or space) less what nft text or this file cannot carry
 * plainly: quotes, backslashes, the file's own separators, control bytes.
 */
const char *ifmap_target_invalid(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return "an empty interface name";
	if (n > 15)
		return "Linux interface names have at most 15 bytes";
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return "\".\" and \"..\" are not interface names";
	if (n == 1 && s[0] == '*')
		return "a wildcard needs a prefix (\"*\" alone would match every interface)";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f)
			return "an interface name here is printable ASCII without spaces";
		if (strchr("/:\"\\,#=", c))
			return "Linux interface names hold no / or :, and a map no \" \\ , # or =";
		if (c == '*' && i != n - 1)
			return "'*' is a wildcard only at the end of a name (nft matches prefixes)";
	}
	return NULL;
}

/* A span of the current line, 1-based columns. */
static struct loc span(uint32_t file, uint32_t line, size_t from, size_t to)
{
	struct loc l = { file, line, (uint32_t)from + 1, line, (uint32_t)(to > from ? to : from + 1) };

	return l;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* One line `key = a, b # comment`; false after an error. */
static bool line_parse(struct ifmap *map, struct diag *d, uint32_t file, uint32_t lno, const char *s, size_t n,
		       bool *had)
{
	struct ifmap_entry e = { 0 };
	size_t i = 0, k0, k1, cap = 0;
	char *key;
	bool ok = true;

	while (i < n && is_blank(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return true;
	k0 = i;
	if (s[i] == '"') {
		size_t o = 0;

		key = xmalloc(n);
		for (i++; i < n && s[i] != '"'; i++) {
			if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
				i++;
			key[o++] = s[i];
		}
		if (i == n) {
			struct loc l = span(file, lno, k0, n);

			diag_error(d, &l, "unterminated quoted name");
			free(key);
			return false;
		}
		key[o] = '\0';
		i++;
	} else {
		while (i < n && !is_blank(s[i]) && s[i] != '=' && s[i] != '#')
			i++;
		key = xstrndup(s + k0, i - k0);
	}
	k1 = i;
	if (!*key) {
		struct loc l = span(file, lno, k0, k1);

		diag_error(d, &l, "expected a router interface name");
		free(key);
		return false;
	}
	while (i < n && is_blank(s[i]))
		i++;
	if (i == n || s[i] != '=') {
		struct loc l = span(file, lno, i, i + 1);

		diag_error(d, &l, "expected '=' after the router interface name, then the Linux name(s)");
		free(key);
		return false;
	}
	i++;
	for (;;) {
		size_t t0, t1;
		const char *why;

		while (i < n && is_blank(s[i]))
			i++;
		t0 = i;
		while (i < n && !is_blank(s[i]) && s[i] != ',' && s[i] != '#')
			i++;
		t1 = i;
		if ((why = ifmap_target_invalid(s + t0, t1 - t0))) {
			struct loc l = span(file, lno, t0, t1);

			if (t0 == t1)
				diag_error(d, &l, "expected a Linux interface name");
			else
				diag_error(d, &l, "invalid Linux interface name \"%.*s\": %s", (int)(t1 - t0), s + t0, why);
			ok = false;
			break;
		}
		XGROW(e.targets, e.ntargets, cap);
		e.targets[e.ntargets++] = xstrndup(s + t0, t1 - t0);
		while (i < n && is_blank(s[i]))
			i++;
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		if (i < n && s[i] != '#') {
			struct loc l = span(file, lno, i, i + 1);

			diag_error(d, &l, "expected ',' and another Linux name, or the end of the line");
			ok = false;
		}
		break;
	}
	e.key = key;
	e.loc = span(file, lno, k0, k1);
	if (ok) {
		const struct ifmap_entry *old = ifmap_find(map, key, strlen(key));

		if (old && old->loc.file == file) {
			diag_error(d, &e.loc, "\"%s\" is mapped twice (first at line %u)", key, old->loc.line);
			ok = false;
		} else if (old) {
			size_t at = (size_t)(old - map->v);

			diag_note(d, &e.loc, "\"%s\" is mapped here again: this entry replaces the earlier one", key);
			entry_clear(&map->v[at]);
			map->v[at] = e;
			*had = true;
			return true;
		}
	}
	if (!ok) {
		e.key = key;
		entry_clear(&e);
		return false;
	}
	XGROW(map->v, map->n, map->cap);
	map->v[map->n++] = e;
	*had = true;
	return true;
}

bool ifmap_parse(struct ifmap *map, struct diag *d, uint32_t file, const char *buf, size_t len, bool one)
{
	size_t at = 0;
	uint32_t lno = 1;
	bool ok = true, had = false;

	while (at < len || (at == len && one && lno == 1)) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - buf) : len;

		if (one && nl) {
			struct loc l = span(file, lno, end - at, end - at + 1);

			diag_error(d, &l, "one ROUTER=LINUX[,LINUX...] entry per --interface");
			return false;
		}
		if (memchr(buf + at, '\0', end - at)) {
			struct loc l = span(file, lno, 0, 1);

			diag_error(d, &l, "a NUL byte in an interface map");
			ok = false;
		} else if (!line_parse(map, d, file, lno, buf + at, end - at, &had)) {
			ok = false;
		}
		at = end + 1;
		lno++;
		if (!nl)
			break;
	}
	if (one && ok && !had) {
		struct loc l = span(file, 1, 0, 1);

		diag_error(d, &l, "expected ROUTER=LINUX[,LINUX...]");
		ok = false;
	}
	return ok;
}
