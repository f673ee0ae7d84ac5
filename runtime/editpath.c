/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The edit path (editpath.h). The plan is made in full before anything
 * is sent: the region, two reduced compiles (the old statements and the
 * new, each with the same context and neighbours), every check, the
 * batch's operations, and the apply record's new text. A reduced compile
 * is trusted only as far as it reproduces the record: the old region's
 * rules and the neighbours' must come out with the fingerprints (message
 * and comment) the record of handles holds at their places, and the old
 * region's dump lines must be the apply record's.
 */
#include "editpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "diag.h"
#include "dump.h"
#include "editrec.h"
#include "emit_nl.h"
#include "ifmap.h"
#include "incr.h"
#include "ir.h"
#include "ir_check.h"
#include "kname.h"
#include "lower.h"
#include "menu.h"
#include "merge.h"
#include "model.h"
#include "nlsock.h"
#include "record.h"
#include "safefile.h"
#include "stmtidx.h"
#include "text.h"
#include "trust.h"
#include "xalloc.h"

/* Rules on each side of the region in each chain of its facility that the
 * reduced compiles carry: enough for any merged run the edit could make
 * (merge.h: MERGE_MIN_RUN long) to show. */
#define NEIGHBOURS MERGE_MIN_RUN
/* NUL bytes after a script the scanner reads in place (ast.h). */
#define REDUCED_PADDING 2

/* One reduced compile. */
struct reduced {
	struct diag *d;
	struct model *m;
	struct ir *ir;
	struct emit_nl *b;
	struct emit_nl_scan s;
	bool scanned;
	uint32_t file;
	char *buf;
	size_t len;
	/* per included add of the menu, in order: its statement and number */
	size_t *stmt;
	long *num;
	size_t nadds;
};

struct eadd {
	size_t rule;		/* in the new compile's scan */
	size_t chain;		/* record chain */
	size_t stmt;		/* the new index's statement */
};

struct editpath {
	struct editrec old;
	struct incr_rec rec;
	const struct ifmap *map;	/* apply's, for the apply record */
	struct stmt_region reg;
	struct stmt_index nx;
	const char *buf;
	size_t len;
	uint64_t opts;
	int family;
	enum menu_kind mk;
	uint8_t menu;
	const char *fac;
	/* the record of handles' rules in one sequence */
	size_t nglob;
	uint32_t *gchain, *gpos, *owner;
	size_t *cfirst;
	long *anchor;		/* per record chain: its last rule before the region, -1 none */
	struct reduced o, n;
	/* the plan */
	size_t *del;		/* global record rules deleted */
	size_t ndel;
	struct eadd *add;
	size_t nadd;
	uint32_t *seqs;
	char **cadd, **cdel;
	size_t ncadd, ncdel;
	/* the apply record, spliced */
	char *body;
	size_t body_len;
	uint64_t fp[2];
};

/* ---- a statement's properties ------------------------------------------- */

/* The properties whose rules are kernel rules and a counter and nothing
 * else: no set, chain, mark table, helper or state of their own. */
static const char *const plain_props[] = {
	"action", "chain", "comment", "connection-nat-state", "connection-state", "disabled", "dscp",
	"dst-address", "dst-address-type", "dst-port", "hop-limit", "icmp-options", "in-interface", "log",
	"log-prefix", "out-interface", "packet-size", "port", "protocol", "reject-with", "src-address",
	"src-address-type", "src-port", "tcp-flags", "to-addresses", "to-ports", "ttl",
};
static const char *const plain_actions[] = {
	"accept", "drop", "reject", "passthrough", "return", "log", "masquerade", "dst-nat", "src-nat", "redirect",
};

static bool in_list(const char *const *v, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i]) == len && !memcmp(v[i], s, len))
			return true;
	return false;
}

/* Whether the add's every property is a plain one (stmtidx has said it is
 * name=value items only). */
static bool stmt_plain(const char *p, size_t len)
{
	const char *s = p, *end = p + len;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	s += 3;
	while (s < end) {
		const char *name, *v;
		size_t vlen;

		while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\\'))
			s++;
		if (s == end)
			break;
		name = s;
		while (s < end && *s != '=')
			s++;
		if (s == end || !in_list(plain_props, sizeof(plain_props) / sizeof(plain_props[0]), name,
					 (size_t)(s - name)))
			return false;
		v = ++s;
		s = stmt_value_end(s, end);
		vlen = (size_t)(s - v);
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (s - name > 7 && !memcmp(name, "action=", 7) &&
		    !in_list(plain_actions, sizeof(plain_actions) / sizeof(plain_actions[0]), v, vlen))
			return false;
		/* untracked needs raw's notrack rule (lower_ct.c) */
		for (size_t i = 0; i + 9 <= vlen; i++)
			if (!memcmp(v + i, "untracked", 9))
				return false;
	}
	return true;
}

/* ---- the reduced compiles ----------------------------------------------- */

static size_t stmt_lines(const struct stmt_index *x, const char *src, size_t i)
{
	const char *p = src + x->v[i].start, *end = p + x->v[i].len;
	size_t k = 0;

	if (i + 1 < x->n)
		return x->v[i + 1].line - x->v[i].line;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/*
 * The script of the statements `inc` marks, each at its own line (the
 * others leave their line ends): diagnostics and loc say FILE's lines.
 * `num[i]`: statement i's number in its menu (adds of the menu).
 */
static bool reduced_compile(struct editpath *e, struct reduced *r, const struct stmt_index *x, const char *src,
			    const bool *inc, const long *num, const struct editpath_in *in)
{
	size_t i, cap = 0, k;
	struct diag_mark mark;

	for (i = 0; i < x->n; i++)
		cap += inc[i] ? x->v[i].len : stmt_lines(x, src, i);
	r->buf = xmalloc(cap + REDUCED_PADDING);
	for (i = 0; i < x->n; i++) {
		if (inc[i]) {
			memcpy(r->buf + r->len, src + x->v[i].start, x->v[i].len);
			r->len += x->v[i].len;
			if (x->v[i].kind == STMT_ADD && x->v[i].menu == e->menu) {
				r->stmt = xreallocarray(r->stmt, r->nadds + 1, sizeof(*r->stmt));
				r->num = xreallocarray(r->num, r->nadds + 1, sizeof(*r->num));
				r->stmt[r->nadds] = i;
				r->num[r->nadds++] = num[i];
			}
		} else {
			for (k = stmt_lines(x, src, i); k; k--)
				r->buf[r->len++] = '\n';
		}
	}
	memset(r->buf + r->len, 0, REDUCED_PADDING);
	r->d = diag_new(50);
	mark = diag_mark(r->d);
	r->m = model_new(r->d);
	for (k = 0; in->lower->ifmap && k < ifmap_count(in->lower->ifmap); k++) {
		const char *key = ifmap_at(in->lower->ifmap, k)->key;

		model_set_ports(r->m, &key, 1);
	}
	r->file = diag_add_source_copy(r->d, in->file, r->buf, r->len);
	model_run_padded(r->m, r->file, r->buf, r->len);
	model_finish(r->m);
	if (diag_count(r->d) != mark.nmsg || model_count(r->m, e->mk) != r->nadds)
		return false;
	for (k = 0; k < r->nadds; k++)
		if (model_item(r->m, e->mk, k)->loc.line != x->v[r->stmt[k]].line)
			return false;
	r->ir = lower_model(r->m, r->d, in->lower);
	if (!r->ir || diag_count(r->d) != mark.nmsg)
		return false;
	return true;
}

/*
 * The reduced model numbers its rules from 0: each rule of the menu gets
 * the number and the comment its statement has in the whole file (the
 * comment's text is cut to fit after the number, as lowering cuts it).
 */
static bool reduced_renumber(struct editpath *e, struct reduced *r, const struct stmt_index *x)
{
	const struct ir_table *t = r->ir->tables[e->family];
	size_t c, i;

	if (!t)
		return true;
	for (c = 0; c < t->nchains; c++) {
		const struct ir_chain *ch = t->chains[c];

		if (!kname_chain_of(ch->name, e->fac))
			continue;
		for (i = 0; i < ch->n; i++) {
			struct ir_rule *ru = ch->rules[i];
			char comment[KNAME_COMMENT_MAX + 1];
			const struct mprop *cm;
			size_t st;

			if (ru->loc.file != r->file)
				continue;
			st = stmt_of_line(x, ru->loc.line);
			if (st == x->n || x->v[st].kind != STMT_ADD || x->v[st].menu != e->menu)
				continue;	/* the context's */
			if (ru->id < 0 || (size_t)ru->id >= r->nadds ||
			    model_item(r->m, e->mk, (size_t)ru->id)->loc.line != ru->loc.line)
				return false;	/* not a rule of the menu's items */
			cm = mitem_prop(model_item(r->m, e->mk, (size_t)ru->id), P_COMMENT);
			ru->id = r->num[ru->id];
			ru->comment = kname_rule_comment(comment, cm ? cm->value : NULL, cm ? mprop_len(cm) : 0) ?
					      ir_strdup(r->ir, comment) : NULL;
		}
	}
	return true;
}

static bool reduced_finish(struct editpath *e, struct reduced *r, const struct stmt_index *x,
			   const struct editpath_in *in)
{
	const struct ir_rule *bad = NULL;

	if (!reduced_renumber(e, r, x) || ir_check(r->ir, &bad) || r->ir->bridge)
		return false;
	if (in->merge && merge_runs(r->ir, MERGE_MIN_RUN))
		return false;	/* the edit makes a merged run: the full path merges it */
	r->b = emit_nl_build(r->ir, 1, false);
	if (!r->b)
		return false;
	emit_nl_scan(r->b, &r->s);
	r->scanned = true;
	return true;
}

static void reduced_free(struct reduced *r)
{
	if (r->scanned)
		emit_nl_scan_free(&r->s);
	emit_nl_free(r->b);
	ir_free(r->ir);
	model_free(r->m);
	diag_free(r->d);
	free(r->buf);
	free(r->stmt);
	free(r->num);
	memset(r, 0, sizeof(*r));
}

/* ---- the record's rules ------------------------------------------------- */

static const char *rule_counter(const struct ir_rule *r)
{
	size_t i;

	for (i = 0; r && i < r->n; i++)
		if (r->stmts[i].kind == S_COUNTER)
			return r->stmts[i].u.obj.map ? NULL : r->stmts[i].u.obj.name;
	return NULL;
}

static long rec_chain(const struct editpath *e, int family, const char *name)
{
	size_t i;

	for (i = 0; i < e->rec.nchains; i++)
		if (e->rec.chains[i].family == family && !strcmp(e->rec.chains[i].name, name))
			return (long)i;
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool rec_has_counter(const struct editpath *e, const char *name)
{
	return e->rec.ncounters[e->family] && bsearch(&name, e->rec.counters[e->family], e->rec.ncounters[e->family],
						      sizeof(char *), name_cmp);
}

/*
 * The rules a reduced compile made for statements of the old file (`map`:
 * its statement -> the old index's; SIZE_MAX for a new statement) are the
 * record's at the places the old index says, fingerprint and comment. New
 * statements' rules go to *news.
 */
static bool reduced_matches(struct editpath *e, struct reduced *r, const struct stmt_index *x, bool is_new,
			    size_t **news, size_t *nnews)
{
	size_t *seen = xcalloc(e->old.x.n + 1, sizeof(*seen)), k;
	bool ok = true;

	for (k = 0; ok && k < r->s.nrules; k++) {
		const struct emit_nl_rulefp *f = &r->s.rules[k];
		const struct ir_rule *ru = f->rule;
		size_t st, os, g;
		long c;

		if (!ru || ru->loc.file != r->file)
			continue;
		st = stmt_of_line(x, ru->loc.line);
		if (st == x->n || x->v[st].kind != STMT_ADD || x->v[st].menu != e->menu)
			continue;	/* the context's: the same in both, not touched */
		if (is_new && st >= e->reg.a && st < e->reg.a + e->reg.neu.n) {
			*news = xreallocarray(*news, *nnews + 1, sizeof(**news));
			(*news)[(*nnews)++] = k;
			continue;
		}
		os = !is_new || st < e->reg.a ? st : st - e->reg.neu.n + (e->reg.b - e->reg.a);
		if (e->old.x.v[os].rule == UINT32_MAX || seen[os] >= e->old.x.v[os].nrules) {
			ok = false;
			break;
		}
		g = e->old.x.v[os].rule + seen[os]++;
		c = (long)e->gchain[g];
		ok = g < e->nglob && f->family == e->rec.chains[c].family && !strcmp(f->chain, e->rec.chains[c].name) &&
		     f->fp == e->rec.chains[c].v[e->gpos[g]].fp && f->text == e->rec.chains[c].v[e->gpos[g]].text;
	}
	/* and every rule the record has for them */
	for (k = 0; ok && k < r->nadds; k++) {
		size_t st = r->stmt[k], os;

		if (is_new && st >= e->reg.a && st < e->reg.a + e->reg.neu.n)
			continue;
		os = !is_new || st < e->reg.a ? st : st - e->reg.neu.n + (e->reg.b - e->reg.a);
		ok = seen[os] == e->old.x.v[os].nrules;
	}
	free(seen);
	return ok;
}

/* ---- the apply record --------------------------------------------------- */

static char *file_slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		n += (size_t)k;
	}
	close(fd);
	*len = n;
	return buf;
}

/* The dump lines (newline included) of menu `mk`'s items [from, from + n)
 * in `text`: [*at, *at + *len); n 0: where item `from` would be. */
static bool dump_lines(const char *text, size_t tlen, enum menu_kind mk, size_t from, size_t n, size_t *at,
		       size_t *len)
{
	const char *path = menu_kind_path(mk), *p = text, *end = text + tlen;
	size_t plen = strlen(path), i;

	/* its header, a line of its own */
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return false;
		if ((size_t)(nl - p) == plen && !memcmp(p, path, plen)) {
			p = nl + 1;
			break;
		}
		p = nl + 1;
	}
	for (i = 0;; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (i == from) {
			*at = (size_t)(p - text);
			*len = 0;
			if (!n)
				return true;
		}
		if (!nl || (size_t)(end - p) < 4 || memcmp(p, "add ", 4))
			return false;	/* the section ended before */
		if (n && i + 1 == from + n) {
			*len = (size_t)(nl + 1 - text) - *at;
			return true;
		}
		p = nl + 1;
	}
}

/* A reduced compile's dump lines of its adds [from, from + n). */
static char *reduced_dump(struct reduced *r, enum menu_kind mk, size_t from, size_t n, size_t *len)
{
	char *text = NULL, *out;
	size_t tlen = 0, at = 0;
	FILE *mem = open_memstream(&text, &tlen);

	if (!mem)
		xdie("out of memory");
	dump_model(r->m, mem);
	if (fclose(mem))
		xdie("out of memory");
	if (!dump_lines(text, tlen, mk, from, n, &at, len)) {
		free(text);
		return NULL;
	}
	if (!n)
		*len = 0;
	out = xmalloc(*len + 1);
	memcpy(out, text + at, *len);
	free(text);
	return out;
}

static uint64_t chains_fp(const struct editpath *e, int f, char **counters, size_t ncounters)
{
	const char **v = NULL;
	size_t n = 0, i = 0;
	uint64_t fp;

	while (i < e->old.chains_len[f]) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = e->old.chains[f] + i;
		i += strlen(e->old.chains[f] + i) + 1;
	}
	fp = record_fp(v, n, (const char **)counters, ncounters);
	free(v);
	return fp;
}

/* ---- the plan ----------------------------------------------------------- */

static const struct {
	uint8_t menu;
	enum menu_kind mk;
	int family;
	const char *fac;
} menus[] = {
	{ MENU_IP_FILTER, MK_FILTER4, 0, "filter" }, { MENU_IP_NAT, MK_NAT4, 0, "nat" },
	{ MENU_IP_MANGLE, MK_MANGLE4, 0, "mangle" }, { MENU_IP_RAW, MK_RAW4, 0, "raw" },
	{ MENU_IP6_FILTER, MK_FILTER6, 1, "filter" }, { MENU_IP6_NAT, MK_NAT6, 1, "nat" },
	{ MENU_IP6_MANGLE, MK_MANGLE6, 1, "mangle" }, { MENU_IP6_RAW, MK_RAW6, 1, "raw" },
};

#define FAIL(w)               \
	do {                  \
		*why = (w);   \
		goto fail;    \
	} while (0)

struct editpath *editpath_plan(const struct editpath_in *in, const char **why)
{
	struct editpath *e = xcalloc(1, sizeof(*e));
	const struct stmt_index *x;
	bool *inc_o = NULL, *inc_n = NULL;
	long *num_o = NULL, *num_n = NULL, cnt;
	size_t i, j, k, c, *news = NULL, nnews = 0, base = 0, nregion = 0, nold_adds = 0, seen_new = 0;
	char *rec_text = NULL, **oc = NULL, **nc = NULL;
	size_t rec_len = 0, noc = 0, nnc = 0;
	uint32_t gen;

	e->buf = in->buf;
	e->map = in->lower ? in->lower->ifmap : NULL;
	e->len = in->len;
	e->opts = in->opts;
	if (editrec_read(&e->old) < 0)
		FAIL("no edit record");
	x = &e->old.x;
	if (strcmp(e->old.path, in->file) || e->old.build != editrec_build_id() || e->old.opts != in->opts)
		FAIL("another file, build or options");
	if (!x->flat || e->old.merged)
		FAIL("the last apply was not flat, or merged runs");
	/* The record of handles the edit record was written with (entries
	 * rosfw added since may have moved its generation on). */
	if (incr_read(&e->rec) < 0 || e->rec.written != e->old.genid)
		FAIL("no record of handles for this edit record");
	if (incr_genid(&gen) < 0 || gen != e->rec.genid)
		FAIL("the ruleset changed since the last apply");
	if (!incr_tables_there(&e->rec))
		FAIL("a table the record names is gone");
	/* Rule numbers are the count of adds before: nothing else may touch
	 * a rule menu, nor run where this reader cannot tell the menu. */
	for (i = 0; i < x->n; i++)
		if (x->v[i].kind == STMT_OTHER && x->v[i].menu != MENU_ELSEWHERE)
			FAIL("a statement other than add in a rule menu");
	if (stmt_region_find(x, e->old.src, e->old.len, in->buf, in->len, &e->reg) < 0)
		FAIL("the changed bytes are not whole flat statements");
	/* Kernel comments carry no rule numbers: a rule added or removed
	 * above others leaves them alone. */
	if ((*why = stmt_region_refusal(x, &e->reg, true)))
		goto fail;
	for (i = e->reg.a; i < e->reg.b; i++)
		if (x->v[i].kind == STMT_ADD)
			e->menu = x->v[i].menu;
	for (i = 0; i < e->reg.neu.n; i++)
		if (e->reg.neu.v[i].kind == STMT_ADD)
			e->menu = e->reg.neu.v[i].menu;
	if (!e->menu)
		FAIL("no rule changed");
	for (i = 0; i < sizeof(menus) / sizeof(menus[0]); i++)
		if (menus[i].menu == e->menu) {
			e->mk = menus[i].mk;
			e->family = menus[i].family;
			e->fac = menus[i].fac;
		}
	for (i = e->reg.a; i < e->reg.b; i++)
		if (x->v[i].kind == STMT_ADD &&
		    (!stmt_plain(e->old.src + x->v[i].start, x->v[i].len) || x->v[i].rule == UINT32_MAX))
			FAIL("an old rule beyond the plain properties");
	for (i = 0; i < e->reg.neu.n; i++)
		if (e->reg.neu.v[i].kind == STMT_ADD &&
		    !stmt_plain(in->buf + e->reg.neu.v[i].start, e->reg.neu.v[i].len))
			FAIL("a new rule beyond the plain properties");
	stmt_index_splice(x, &e->reg, &e->nx);

	/* The record of handles as one sequence, and whose each rule is. */
	for (c = 0; c < e->rec.nchains; c++)
		e->nglob += e->rec.chains[c].n;
	e->gchain = xcalloc(e->nglob + 1, sizeof(*e->gchain));
	e->gpos = xcalloc(e->nglob + 1, sizeof(*e->gpos));
	e->owner = xcalloc(e->nglob + 1, sizeof(*e->owner));
	e->cfirst = xcalloc(e->rec.nchains + 1, sizeof(*e->cfirst));
	e->anchor = xcalloc(e->rec.nchains + 1, sizeof(*e->anchor));
	for (c = 0, k = 0; c < e->rec.nchains; c++) {
		e->cfirst[c] = k;
		for (j = 0; j < e->rec.chains[c].n; j++, k++) {
			e->gchain[k] = (uint32_t)c;
			e->gpos[k] = (uint32_t)j;
			e->owner[k] = UINT32_MAX;
		}
	}
	for (i = 0; i < x->n; i++) {
		if (x->v[i].rule == UINT32_MAX || !x->v[i].nrules)
			continue;
		if ((size_t)x->v[i].rule + x->v[i].nrules > e->nglob)
			FAIL("the edit record's rules are not the record of handles'");
		for (k = x->v[i].rule; k < (size_t)x->v[i].rule + x->v[i].nrules; k++)
			e->owner[k] = (uint32_t)i;
	}

	/* Numbers, and which statements each compile reads: the menu lines
	 * and everything outside the rule menus (the context), the region,
	 * and NEIGHBOURS rules each side of it in each chain of its facility. */
	inc_o = xcalloc(x->n + 1, sizeof(*inc_o));
	inc_n = xcalloc(e->nx.n + 1, sizeof(*inc_n));
	num_o = xcalloc(x->n + 1, sizeof(*num_o));
	num_n = xcalloc(e->nx.n + 1, sizeof(*num_n));
	for (i = 0, cnt = 0; i < x->n; i++) {
		num_o[i] = cnt;
		if (i == e->reg.a)
			base = (size_t)cnt;
		cnt += x->v[i].kind == STMT_ADD && x->v[i].menu == e->menu;
		inc_o[i] = x->v[i].kind == STMT_MENU || (x->v[i].kind == STMT_OTHER && x->v[i].menu == MENU_ELSEWHERE) ||
			   (x->v[i].kind == STMT_ADD && x->v[i].menu == MENU_ELSEWHERE) ||
			   (i >= e->reg.a && i < e->reg.b && x->v[i].kind == STMT_ADD);
	}
	if (e->reg.a == x->n)
		base = (size_t)cnt;
	for (i = e->reg.a; i < e->reg.b; i++)
		nold_adds += x->v[i].kind == STMT_ADD;
	for (i = 0; i < e->reg.neu.n; i++)
		nregion += e->reg.neu.v[i].kind == STMT_ADD;
	for (c = 0; c < e->rec.nchains; c++) {
		const struct incr_chain *ch = &e->rec.chains[c];
		size_t before = 0, after = 0;
		uint32_t prev;
		long last = -1;

		e->anchor[c] = -1;
		if (ch->family != e->family || !kname_chain_of(ch->name, e->fac))
			continue;
		for (j = 0; j < ch->n; j++) {
			uint32_t o = e->owner[e->cfirst[c] + j];

			if (o == UINT32_MAX)
				FAIL("a rule of the facility no statement made");
			if (o < e->reg.a)
				last = (long)j;
		}
		e->anchor[c] = last;
		/* statements, not kernel rules: a rule of two kernel rules
		 * (an address list's al_ and ar_) counts once */
		for (j = (size_t)(last + 1), prev = UINT32_MAX; j-- > 0 && before < NEIGHBOURS;) {
			uint32_t o = e->owner[e->cfirst[c] + j];

			before += o != prev;
			prev = o;
			inc_o[o] = true;
		}
		for (j = (size_t)(last + 1), prev = UINT32_MAX; j < ch->n && after < NEIGHBOURS; j++) {
			uint32_t o = e->owner[e->cfirst[c] + j];

			if (o >= e->reg.b) {
				after += o != prev;
				prev = o;
				inc_o[o] = true;
			}
		}
	}
	for (i = 0; i < e->nx.n; i++) {
		size_t os;

		if (i >= e->reg.a && i < e->reg.a + e->reg.neu.n) {
			inc_n[i] = e->nx.v[i].kind == STMT_ADD;
			num_n[i] = (long)(base + seen_new);
			seen_new += e->nx.v[i].kind == STMT_ADD;
			continue;
		}
		os = i < e->reg.a ? i : i - e->reg.neu.n + (e->reg.b - e->reg.a);
		inc_n[i] = inc_o[os];
		/* after the region, numbers move by the adds it gained (none
		 * while stmt_region_refusal keeps them: see its renumber) */
		num_n[i] = num_o[os] + (i < e->reg.a ? 0 : (long)nregion - (long)nold_adds);
	}
	if (!reduced_compile(e, &e->o, x, e->old.src, inc_o, num_o, in) || !reduced_finish(e, &e->o, x, in))
		FAIL("the old statements' reduced compile did not go cleanly");
	if (!reduced_compile(e, &e->n, &e->nx, in->buf, inc_n, num_n, in) || !reduced_finish(e, &e->n, &e->nx, in))
		FAIL("the new statements' reduced compile did not go cleanly (the full path says why)");
	if (!reduced_matches(e, &e->o, x, false, &news, &nnews) || nnews)
		FAIL("the old statements' reduced compile differs from the record");
	if (!reduced_matches(e, &e->n, &e->nx, true, &news, &nnews))
		FAIL("the neighbours' reduced compile differs from the record");

	/* Deletes: the old region's rules; adds: the new region's, after the
	 * last rule of a statement before the region in their chain. */
	for (i = e->reg.a; i < e->reg.b; i++)
		for (k = 0; x->v[i].kind == STMT_ADD && k < x->v[i].nrules; k++) {
			e->del = xreallocarray(e->del, e->ndel + 1, sizeof(*e->del));
			e->del[e->ndel++] = x->v[i].rule + k;
		}
	for (k = 0; k < nnews; k++) {
		const struct emit_nl_rulefp *f = &e->n.s.rules[news[k]];
		long ci = rec_chain(e, f->family, f->chain);

		if (ci < 0)
			FAIL("a new rule in a chain that has none (a chain made)");
		e->add = xreallocarray(e->add, e->nadd + 1, sizeof(*e->add));
		e->add[e->nadd++] = (struct eadd){ news[k], (size_t)ci, stmt_of_line(&e->nx, f->rule->loc.line) };
	}
	for (c = 0; c < e->rec.nchains; c++) {
		long n = (long)e->rec.chains[c].n;

		for (k = 0; k < e->ndel; k++)
			n -= e->gchain[e->del[k]] == c;
		for (k = 0; k < e->nadd; k++)
			n += e->add[k].chain == c;
		if (n <= 0)
			FAIL("the edit empties a chain");
	}
	/* Counter objects: each rule's is named for what it says, _N for
	 * the Nth twin: a name the record has elsewhere, or a twin of a
	 * deleted one, would be another name in the full compile. */
	for (i = 0; i < e->o.s.nrules; i++) {
		const struct ir_rule *ru = e->o.s.rules[i].rule;
		size_t st = ru && ru->loc.file == e->o.file ? stmt_of_line(x, ru->loc.line) : x->n;
		const char *cn = rule_counter(ru);

		if (st >= e->reg.a && st < e->reg.b && cn) {
			oc = xreallocarray(oc, noc + 1, sizeof(*oc));
			oc[noc++] = (char *)cn;
		}
	}
	for (k = 0; k < e->nadd; k++) {
		const char *cn = rule_counter(e->n.s.rules[e->add[k].rule].rule);

		if (!cn)
			FAIL("a new rule without a counter of its own");
		nc = xreallocarray(nc, nnc + 1, sizeof(*nc));
		nc[nnc++] = (char *)cn;
	}
	for (k = 0; k < nnc; k++) {
		char twin[KNAME_COUNTER_MAX + 8];
		bool old = false;

		for (j = 0; j < noc; j++)
			old |= !strcmp(nc[k], oc[j]);
		for (j = 0; j < k; j++)
			if (!strcmp(nc[k], nc[j]))
				FAIL("two new rules say the same");
		snprintf(twin, sizeof(twin), "%s_2", nc[k]);
		if (rec_has_counter(e, twin) || (!old && rec_has_counter(e, nc[k])))
			FAIL("a new rule's counter name is another rule's");
		if (!old) {
			e->cadd = xreallocarray(e->cadd, e->ncadd + 1, sizeof(*e->cadd));
			e->cadd[e->ncadd++] = xstrdup(nc[k]);
		}
	}
	for (j = 0; j < noc; j++) {
		char twin[KNAME_COUNTER_MAX + 8];
		bool kept = false;

		for (k = 0; k < nnc; k++)
			kept |= !strcmp(nc[k], oc[j]);
		snprintf(twin, sizeof(twin), "%s_2", oc[j]);
		if (rec_has_counter(e, twin) || !rec_has_counter(e, oc[j]))
			FAIL("an old rule's counter has a twin");
		if (!kept) {
			e->cdel = xreallocarray(e->cdel, e->ncdel + 1, sizeof(*e->cdel));
			e->cdel[e->ncdel++] = xstrdup(oc[j]);
		}
	}

	/* The apply record: its fingerprints must be what the records say,
	 * and its lines for the old region the old compile's dump of them. */
	{
		const char *path = record_path();
		char trust[512];
		size_t body = 0, at = 0, len = 0, olen = 0, nlen = 0, from_o, from_n;
		uint64_t fp[2];
		char *ol = NULL, *nl = NULL;

		size_t nold = 0;

		/* where the region's adds are (or would be) among each compile's */
		for (k = 0, from_o = 0; k < e->o.nadds; k++) {
			from_o += e->o.stmt[k] < e->reg.a;
			nold += e->o.stmt[k] >= e->reg.a && e->o.stmt[k] < e->reg.b;
		}
		for (k = 0, from_n = 0; k < e->n.nadds; k++)
			from_n += e->n.stmt[k] < e->reg.a;
		if (!path || trust_private(path, trust, sizeof(trust)) < 0 || !(rec_text = file_slurp(path, &rec_len)) ||
		    record_parse(rec_text, rec_len, fp, &body, trust, sizeof(trust)) < 0)
			FAIL("no apply record to splice");
		if (fp[e->family] != chains_fp(e, e->family, e->rec.counters[e->family], e->rec.ncounters[e->family]))
			FAIL("the apply record is not the record of handles'");
		if (!dump_lines(rec_text + body, rec_len - body, e->mk, base, nold, &at, &len) ||
		    !(ol = reduced_dump(&e->o, e->mk, from_o, nold, &olen)) ||
		    !(nl = reduced_dump(&e->n, e->mk, from_n, nregion, &nlen)) || olen != len ||
		    memcmp(ol, rec_text + body + at, len)) {
			free(ol);
			free(nl);
			FAIL("the apply record's lines are not the old statements'");
		}
		e->body_len = rec_len - body - len + nlen;
		e->body = xmalloc(e->body_len + 1);
		memcpy(e->body, rec_text + body, at);
		memcpy(e->body + at, nl, nlen);
		memcpy(e->body + at + nlen, rec_text + body + at + len, rec_len - body - at - len);
		e->fp[0] = fp[0];
		e->fp[1] = fp[1];
		free(ol);
		free(nl);
	}
	e->seqs = xcalloc(e->nadd + 1, sizeof(*e->seqs));
	*why = NULL;
fail:
	free(rec_text);
	free(oc);
	free(nc);
	free(news);
	free(inc_o);
	free(inc_n);
	free(num_o);
	free(num_n);
	if (*why) {
		editpath_free(e);
		return NULL;
	}
	return e;
}

const struct ir *editpath_ir(const struct editpath *e)
{
	return e->n.ir;
}

uint32_t editpath_genid(const struct editpath *e)
{
	return e->rec.genid;
}

static const struct incr_rule *glob_rule(const struct editpath *e, size_t g)
{
	return &e->rec.chains[e->gchain[g]].v[e->gpos[g]];
}

bool editpath_there(const struct editpath *e)
{
	struct nlsock ns;
	bool ok = true;
	size_t k;

	if (!nlsock_open(&ns))
		return false;
	for (k = 0; ok && k < e->ndel; k++)
		ok = incr_rule_is(&ns, e->family, e->rec.chains[e->gchain[e->del[k]]].name, glob_rule(e, e->del[k])->handle,
				  glob_rule(e, e->del[k])->text);
	for (k = 0; ok && k < e->nadd; k++) {
		long a = e->anchor[e->add[k].chain];
		const struct incr_rule *r = a < 0 ? NULL : &e->rec.chains[e->add[k].chain].v[a];

		if (r)
			ok = incr_rule_is(&ns, e->family, e->rec.chains[e->add[k].chain].name, r->handle, r->text);
	}
	nlsock_close(&ns);
	return ok;
}

struct emit_nl *editpath_batch(struct editpath *e, uint32_t seq)
{
	struct emit_nl *b = emit_nl_incr_new(seq);
	int family = e->family ? NFPROTO_IPV6 : NFPROTO_IPV4;
	size_t k;

	for (k = 0; k < e->ncadd; k++)
		emit_nl_incr_counter(b, family, e->cadd[k], true);
	for (k = 0; k < e->ndel; k++)
		emit_nl_incr_delrule(b, family, e->rec.chains[e->gchain[e->del[k]]].name, glob_rule(e, e->del[k])->handle);
	/* each chain's new rules last first, each after the same kept rule */
	for (k = e->nadd; k-- > 0;) {
		long a = e->anchor[e->add[k].chain];

		e->seqs[k] = emit_nl_incr_rule(b, e->n.b, &e->n.s, e->add[k].rule,
					       a < 0 ? 0 : e->rec.chains[e->add[k].chain].v[a].handle, 0);
	}
	for (k = 0; k < e->ncdel; k++)
		emit_nl_incr_counter(b, family, e->cdel[k], false);
	emit_nl_incr_end(b);
	return b;
}

size_t editpath_nadded(const struct editpath *e)
{
	return e->nadd;
}

uint32_t editpath_seq(const struct editpath *e, size_t i)
{
	return e->seqs[i];
}

void editpath_counts(const struct editpath *e, size_t *kept, size_t *deleted, size_t *added)
{
	*kept = e->nglob - e->ndel;
	*deleted = e->ndel;
	*added = e->nadd;
}

/* ---- after the commit --------------------------------------------------- */

size_t editpath_objects(const struct editpath *e)
{
	return e->ncadd + e->ncdel;
}

int editpath_record(struct editpath *e, const uint64_t *handles, bool committed, struct diag *d)
{
	struct incr_chain *chains = xcalloc(e->rec.nchains + 1, sizeof(*chains));
	size_t *old2new, *new_of_add, n = 0;
	bool known = true, *gone = xcalloc(e->nglob + 1, sizeof(*gone));
	const char *path = record_path();
	size_t c, j, k, i;
	int rc = 0;

	for (k = 0; k < e->nadd; k++)
		known &= handles[k] != 0;
	for (k = 0; k < e->ndel; k++)
		gone[e->del[k]] = true;
	old2new = xcalloc(e->nglob + 1, sizeof(*old2new));
	new_of_add = xcalloc(e->nadd + 1, sizeof(*new_of_add));
	for (c = 0; c < e->rec.nchains; c++) {
		const struct incr_chain *ch = &e->rec.chains[c];
		struct incr_chain *to = &chains[c];

		to->family = ch->family;
		to->name = ch->name;
		to->v = xcalloc(ch->n + e->nadd + 1, sizeof(*to->v));
		for (j = 0; j <= ch->n; j++) {
			if ((long)j == e->anchor[c] + 1)
				for (k = 0; k < e->nadd; k++)
					if (e->add[k].chain == c) {
						const struct emit_nl_rulefp *f = &e->n.s.rules[e->add[k].rule];

						to->v[to->n++] = (struct incr_rule){ f->fp, f->text, handles[k] };
						new_of_add[k] = n++;
					}
			if (j == ch->n)
				break;
			if (gone[e->cfirst[c] + j])
				continue;
			to->v[to->n++] = ch->v[j];
			old2new[e->cfirst[c] + j] = n++;
		}
	}
	for (c = 0; c < e->rec.nchains; c++) {
		free(e->rec.chains[c].v);
		e->rec.chains[c].v = chains[c].v;
		e->rec.chains[c].n = chains[c].n;
	}
	free(chains);
	/* counters */
	{
		int f = e->family;
		char **v = xcalloc(e->rec.ncounters[f] + e->ncadd + 1, sizeof(*v));
		size_t m = 0;

		for (k = 0; k < e->rec.ncounters[f]; k++) {
			bool del = false;

			for (j = 0; j < e->ncdel; j++)
				del |= !strcmp(e->rec.counters[f][k], e->cdel[j]);
			if (del)
				free(e->rec.counters[f][k]);
			else
				v[m++] = e->rec.counters[f][k];
		}
		for (k = 0; k < e->ncadd; k++)
			v[m++] = xstrdup(e->cadd[k]);
		qsort(v, m, sizeof(*v), name_cmp);
		free(e->rec.counters[f]);
		e->rec.counters[f] = v;
		e->rec.ncounters[f] = m;
	}
	if (!committed) {
		/* nothing changed in the kernel: the record of handles is right */
	} else if (known) {
		e->rec.genid = incr_genid_next(e->rec.genid);
		incr_write(&e->rec, d);
	} else {
		incr_remove();
		editrec_remove();
	}

	/* The apply record: print reads it. */
	e->fp[e->family] = chains_fp(e, e->family, e->rec.counters[e->family], e->rec.ncounters[e->family]);
	{
		struct safefile *sf = path ? safefile_open(path, 0600) : NULL;

		if (!sf || record_format(safefile_stream(sf), e->fp, e->map, e->body, e->body_len) < 0 ||
		    safefile_commit(sf) < 0) {
			if (sf)
				safefile_abort(sf);
			if (path)
				unlink(path);
			diag_warning(d, NULL, "%s: %s: rosfw print needs the FILE until an apply can record it",
				     path ? path : "record", strerror(errno));
			rc = -1;
		}
	}

	/* The edit record: the new bytes, their statements and rules. */
	if (known) {
		struct stmt_index *x = &e->nx;

		for (i = 0; i < x->n; i++) {
			struct stmt *st = &x->v[i];

			if (i >= e->reg.a && i < e->reg.a + e->reg.neu.n) {
				st->rule = 0;
				st->nrules = 0;
				for (k = 0; k < e->nadd; k++)
					if (e->add[k].stmt == i) {
						if (!st->nrules)
							st->rule = (uint32_t)new_of_add[k];
						else if (st->rule != UINT32_MAX && st->rule + st->nrules != new_of_add[k])
							st->rule = UINT32_MAX;
						st->nrules++;
					}
			} else if (st->nrules && st->rule != UINT32_MAX) {
				st->rule = (uint32_t)old2new[st->rule];
			}
		}
		free(e->old.src);
		e->old.src = xmalloc(e->len + 1);
		memcpy(e->old.src, e->buf, e->len);
		e->old.len = e->len;
		stmt_index_free(&e->old.x);
		e->old.x = e->nx;
		memset(&e->nx, 0, sizeof(e->nx));
		/* the generation the record of handles was written at (not
		 * one entry commits took it to since) */
		e->old.genid = committed ? e->rec.genid : e->rec.written;
		if (editrec_write(&e->old) < 0)
			editrec_remove();
	}
	free(old2new);
	free(new_of_add);
	free(gone);
	return rc;
}

void editpath_free(struct editpath *e)
{
	size_t k;

	if (!e)
		return;
	editrec_free(&e->old);
	incr_rec_free(&e->rec);
	stmt_region_free(&e->reg);
	stmt_index_free(&e->nx);
	free(e->gchain);
	free(e->gpos);
	free(e->owner);
	free(e->cfirst);
	free(e->anchor);
	reduced_free(&e->o);
	reduced_free(&e->n);
	free(e->del);
	free(e->add);
	free(e->seqs);
	for (k = 0; k < e->ncadd; k++)
		free(e->cadd[k]);
	for (k = 0; k < e->ncdel; k++)
		free(e->cdel[k]);
	free(e->cadd);
	free(e->cdel);
	free(e->body);
	free(e);
}
