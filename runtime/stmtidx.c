/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Top-level statements of a flat .rsc file and the region an edit changed
 * (stmtidx.h). A statement ends at a line end outside quotes that no
 * backslash continues, as the scanner (grammar/lexer.l) ends a command;
 * everything the scanner would read as more than that (`;`, groups, `$`,
 * `:` commands, escapes outside quotes) is left to the parser: not flat.
 */
#include "stmtidx.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const struct {
	const char *path;
	uint8_t menu;
} rule_menus[] = {
	{ "/ip/firewall/filter", MENU_IP_FILTER },	{ "/ip/firewall/nat", MENU_IP_NAT },
	{ "/ip/firewall/mangle", MENU_IP_MANGLE },	{ "/ip/firewall/raw", MENU_IP_RAW },
	{ "/ipv6/firewall/filter", MENU_IP6_FILTER },	{ "/ipv6/firewall/nat", MENU_IP6_NAT },
	{ "/ipv6/firewall/mangle", MENU_IP6_MANGLE },	{ "/ipv6/firewall/raw", MENU_IP6_RAW },
};

/* A word of a statement: its bytes, and whether any was quoted. */
struct word {
	const char *p;
	size_t n;
	bool quoted, eq;	/* eq: an unquoted '=' in it */
};

#define MAX_WORDS 8	/* a menu path, a verb: the rest only needs a look */

/* Bytes that need a look outside quotes (1) and inside (2); the rest
 * of a 50k-rule file goes by at a table lookup a byte. */
static unsigned char byte_class[256];

static void classes_init(void)
{
	static const char out[] = "$\"\\;[]{}()\n \t\r=";
	static const char in[] = "$\"\\\n";
	size_t i;

	if (byte_class['$'])
		return;
	byte_class[0] = 3;
	for (i = 0; i < sizeof(out) - 1; i++)
		byte_class[(unsigned char)out[i]] |= 1;
	for (i = 0; i < sizeof(in) - 1; i++)
		byte_class[(unsigned char)in[i]] |= 2;
}

static void word_end(struct word *w, size_t n, bool *in_word, const char *s)
{
	if (*in_word && n <= MAX_WORDS)
		w[n - 1].n = (size_t)(s - w[n - 1].p);
	*in_word = false;
}

/*
 * One statement from `p` (not past `end`): its length with its line end,
 * its lines, its first words; *open when it ran into `end` before a line
 * end of its own. false: not flat.
 */
static bool stmt_scan(const char *p, const char *end, size_t *len, uint32_t *lines, struct word *w, size_t *nw,
		      bool *open)
{
	const char *s = p;
	bool quoted = false, in_word = false;
	size_t n = 0;

	*lines = 0;
	*open = false;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && *s == '#') {
		/* A comment runs to its line end, a backslash there included. */
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		if (memchr(s, 0, (size_t)((nl ? nl : end) - s)))
			return false;
		*len = (size_t)((nl ? nl + 1 : end) - p);
		*lines = nl ? 1 : 0;
		*open = !nl;
		*nw = 0;
		return true;
	}
	if (s < end && *s == ':')
		return false;	/* scripting */
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (quoted) {
			if (!(byte_class[c] & 2))
				continue;
			if (c == 0 || c == '$')
				return false;
			if (c == '\\') {
				if (++s == end)
					return false;
				if (*s == '\n')
					++*lines;
			} else if (c == '"') {
				quoted = false;
			} else {
				++*lines;	/* a line end inside quotes is the string's */
			}
			continue;
		}
		if (!(byte_class[c] & 1)) {
			if (!in_word) {
				in_word = true;
				if (n < MAX_WORDS)
					w[n] = (struct word){ s, 0, false, false };
				n++;
			}
			continue;
		}
		if (c == 0 || c == '$' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}' || c == '(' ||
		    c == ')')
			return false;
		if (c == '\\') {
			/* Only a continuation: any other escape outside
			 * quotes is the scanner's to read. */
			word_end(w, n, &in_word, s);
			if (s + 1 < end && s[1] == '\n')
				s++;
			else if (s + 2 < end && s[1] == '\r' && s[2] == '\n')
				s += 2;
			else
				return false;
			++*lines;
			continue;
		}
		if (c == '\n') {
			word_end(w, n, &in_word, s);
			*len = (size_t)(s + 1 - p);
			++*lines;
			*nw = n;
			return true;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			word_end(w, n, &in_word, s);
			continue;
		}
		/* '"' or '=': part of a word */
		if (!in_word) {
			in_word = true;
			if (n < MAX_WORDS)
				w[n] = (struct word){ s, 0, false, false };
			n++;
		}
		if (n <= MAX_WORDS) {
			w[n - 1].quoted |= c == '"';
			w[n - 1].eq |= c == '=';
		}
		quoted = c == '"';
	}
	if (quoted)
		return false;
	word_end(w, n, &in_word, s);
	*len = (size_t)(end - p);
	*nw = n;
	*open = true;
	return true;
}

/* The menu an absolute path names: `/ip firewall filter` and
 * `/ip/firewall/filter` alike. */
static uint8_t menu_of(const struct word *w, size_t nw)
{
	char path[128];
	size_t n = 0, i, j;

	for (i = 0; i < nw; i++) {
		if (w[i].quoted || w[i].eq)
			return MENU_UNKNOWN;
		for (j = 0; j < w[i].n; j++) {
			char c = w[i].p[j];

			if (n + 2 >= sizeof(path))
				return MENU_ELSEWHERE;
			if (c == '/' || (j == 0 && i > 0)) {
				if (!n || path[n - 1] != '/')
					path[n++] = '/';
				if (c == '/')
					continue;
			}
			path[n++] = c;
		}
	}
	while (n > 1 && path[n - 1] == '/')
		n--;
	path[n] = 0;
	if (strstr(path, ".."))
		return MENU_UNKNOWN;
	for (i = 0; i < sizeof(rule_menus) / sizeof(rule_menus[0]); i++)
		if (!strcmp(path, rule_menus[i].path))
			return rule_menus[i].menu;
	return MENU_ELSEWHERE;
}

static bool word_is(const struct word *w, const char *s)
{
	return !w->quoted && w->n == strlen(s) && !memcmp(w->p, s, w->n);
}

/* Whether the statement's every word after `add` is name=value with a
 * name RouterOS's properties have, none of them the ones that make an
 * add more than an append (place-before, copy-from). */
static bool add_plain(const char *p, size_t len)
{
	const char *s = p, *end = p + len;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	s += 3;		/* add */
	while (s < end) {
		const char *name;

		while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\\'))
			s++;
		if (s == end)
			return true;
		name = s;
		while (s < end && ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			s++;
		if (s == name || s == end || *s != '=')
			return false;
		if ((s - name == 12 && !memcmp(name, "place-before", 12)) ||
		    (s - name == 9 && !memcmp(name, "copy-from", 9)))
			return false;
		s = stmt_value_end(s + 1, end);
	}
	return true;
}

const char *stmt_value_end(const char *s, const char *end)
{
	bool quoted = false;

	for (; s < end; s++) {
		if (quoted) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				quoted = false;
		} else if (*s == '"') {
			quoted = true;
		} else if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\\') {
			break;
		}
	}
	return s < end ? s : end;
}

size_t stmt_of_line(const struct stmt_index *x, uint32_t line)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->v[mid].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : x->n;
}

void stmt_index_build(const char *buf, size_t len, uint32_t line, uint8_t menu, struct stmt_index *x)
{
	const char *p = buf, *end = buf + len;
	size_t cap = 0;

	classes_init();
	memset(x, 0, sizeof(*x));
	x->flat = true;
	while (p < end) {
		struct word w[MAX_WORDS];
		size_t n, nw;
		uint32_t lines;
		struct stmt *st;

		if (!stmt_scan(p, end, &n, &lines, w, &nw, &x->open)) {
			x->flat = false;
			return;
		}
		if (x->n == cap)
			x->v = xreallocarray(x->v, cap = cap ? cap * 2 : 1024, sizeof(*x->v));
		st = &x->v[x->n++];
		memset(st, 0, sizeof(*st));
		st->start = (uint32_t)(p - buf);
		st->len = (uint32_t)n;
		st->line = line;
		if (nw > MAX_WORDS)
			nw = MAX_WORDS;
		for (size_t i = 0; i < nw; i++)
			if (word_is(&w[i], "import") || (w[i].n >= 7 && !memcmp(w[i].p + w[i].n - 7, "/import", 7))) {
				x->flat = false;	/* another file's statements */
				return;
			}
		if (!nw) {
			st->kind = STMT_BLANK;
		} else if (w[0].p[0] == '/') {
			bool bare = true;

			for (size_t i = 0; i < nw; i++)
				bare &= !w[i].quoted && !w[i].eq;
			/* `/ip firewall filter add ...` on one line: the parser
			 * splits path and verb; this reader does not. */
			menu = bare ? menu_of(w, nw) : MENU_UNKNOWN;
			st->kind = bare ? STMT_MENU : STMT_OTHER;
		} else if (word_is(&w[0], "add") && menu >= MENU_IP_FILTER && menu <= MENU_IP6_RAW &&
			   add_plain(p, n)) {
			st->kind = STMT_ADD;
		} else {
			bool bare = true;

			for (size_t i = 0; i < nw; i++)
				bare &= !w[i].quoted && !w[i].eq;
			/* Words alone may be a relative menu path. */
			if (bare)
				menu = MENU_UNKNOWN;
			st->kind = STMT_OTHER;
		}
		st->menu = menu;
		line += lines;
		p += n;
	}
	x->menu_end = menu;
}

void stmt_index_free(struct stmt_index *x)
{
	free(x->v);
	memset(x, 0, sizeof(*x));
}

void stmt_region_free(struct stmt_region *r)
{
	stmt_index_free(&r->neu);
}

/* The statement of `x` holding byte `at` (x->n past the last). */
static size_t stmt_at(const struct stmt_index *x, size_t at)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((size_t)x->v[mid].start + x->v[mid].len <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long lines_in(const char *p, size_t n)
{
	const char *end = p + n;
	long k = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

int stmt_region_find(const struct stmt_index *x, const char *old, size_t old_len, const char *neu, size_t new_len,
		     struct stmt_region *r)
{
	size_t min = old_len < new_len ? old_len : new_len, head = 0, tail = 0, end;
	uint32_t line;

	memset(r, 0, sizeof(*r));
	if (!x->flat)
		return -1;
	while (head < min && old[head] == neu[head])
		head++;
	while (tail < min - head && old[old_len - 1 - tail] == neu[new_len - 1 - tail])
		tail++;
	/* The first statement the edit touches, and the one after the last:
	 * a byte of the head may be the first of a statement the edit put
	 * before an equal one, so the region starts at a statement's start
	 * at or before it. A last statement without its line end is touched
	 * by what is appended to it. */
	r->a = stmt_at(x, head);
	if (r->a == x->n && x->n && old_len && old[old_len - 1] != '\n' && head < new_len)
		r->a = x->n - 1;
	r->off = r->a < x->n ? x->v[r->a].start : old_len;
	end = old_len - tail;
	r->b = end > r->off ? stmt_at(x, end - 1) + 1 : r->a;
	end = r->b > r->a ? (size_t)x->v[r->b - 1].start + x->v[r->b - 1].len : r->off;
	r->old_len = end - r->off;
	if (new_len < old_len - end || new_len - (old_len - end) < r->off)
		return -1;
	r->new_len = new_len - (old_len - end) - r->off;
	line = r->a < x->n ? x->v[r->a].line :
	       x->n ? x->v[x->n - 1].line + (uint32_t)lines_in(old + x->v[x->n - 1].start, x->v[x->n - 1].len) : 1;
	stmt_index_build(neu + r->off, r->new_len, line, r->a ? x->v[r->a - 1].menu : MENU_UNKNOWN, &r->neu);
	if (!r->neu.flat)
		return -1;
	/* Whole statements: the last new one ends where the tail starts,
	 * at a line end of its own (not a continuation's), unless the tail
	 * is empty (the file's end). */
	if (r->neu.open && end < old_len)
		return -1;
	for (size_t i = 0; i < r->neu.n; i++)
		r->neu.v[i].start += (uint32_t)r->off;
	r->lines = lines_in(neu + r->off, r->new_len) - lines_in(old + r->off, r->old_len);
	return 0;
}

/* Why the statements [v, v + n) are not all plain adds of menu `*menu`
 * (set from the first add when MENU_UNKNOWN); NULL if they are. */
static const char *only_adds(const struct stmt *v, size_t n, uint8_t *menu, size_t *adds)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == STMT_BLANK)
			continue;
		if (v[i].kind != STMT_ADD)
			return v[i].kind == STMT_MENU ? "a menu line changed" : "a statement other than a plain add changed";
		if (*menu == MENU_UNKNOWN)
			*menu = v[i].menu;
		if (v[i].menu != *menu)
			return "adds of more than one menu changed";
		++*adds;
	}
	return NULL;
}

const char *stmt_region_refusal(const struct stmt_index *x, const struct stmt_region *r, bool renumber)
{
	uint8_t menu = MENU_UNKNOWN;
	size_t was = 0, is = 0;
	const char *why;

	if (!x->flat || !r->neu.flat)
		return "not a flat file (scripting, ';', groups, /import)";
	if (r->a == r->b && !r->neu.n)
		return NULL;
	if ((why = only_adds(x->v + r->a, r->b - r->a, &menu, &was)) ||
	    (why = only_adds(r->neu.v, r->neu.n, &menu, &is)))
		return why;
	/* an add or removal after the menu's last rule renumbers none */
	for (size_t i = r->b; !renumber && was != is && i < x->n; i++)
		if (x->v[i].kind == STMT_ADD && x->v[i].menu == menu)
			return "rules added or removed renumber the later ones";
	return NULL;
}

void stmt_index_splice(const struct stmt_index *x, const struct stmt_region *r, struct stmt_index *out)
{
	size_t after = x->n - r->b, i;
	long bytes = (long)r->new_len - (long)r->old_len;

	out->flat = x->flat && r->neu.flat;
	out->open = after ? x->open : r->neu.n ? r->neu.open : r->a && x->open;
	out->n = r->a + r->neu.n + after;
	out->v = xcalloc(out->n + 1, sizeof(*out->v));
	/* An empty side may have no array at all (memcpy wants one). */
	if (r->a)
		memcpy(out->v, x->v, r->a * sizeof(*x->v));
	if (r->neu.n)
		memcpy(out->v + r->a, r->neu.v, r->neu.n * sizeof(*x->v));
	if (after)
		memcpy(out->v + r->a + r->neu.n, x->v + r->b, after * sizeof(*x->v));
	for (i = r->a + r->neu.n; i < out->n; i++) {
		out->v[i].start = (uint32_t)((long)out->v[i].start + bytes);
		out->v[i].line = (uint32_t)((long)out->v[i].line + r->lines);
	}
	/* Only adds changed (stmt_region_refusal): no menu moved. */
	out->menu_end = x->menu_end;
}
