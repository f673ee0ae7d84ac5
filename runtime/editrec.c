/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The edit record (editrec.h): a header, FILE's name, its bytes, its
 * statements, and a digest of all of it, in the machine's own byte order
 * (it never leaves the machine, and a record of another rosfw build is
 * void anyway).
 */
#include "editrec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "emit_nl.h"
#include "ir.h"
#include "record.h"
#include "safefile.h"
#include "text.h"
#include "trust.h"
#include "xalloc.h"

#define EDITREC_MAGIC "rosfw edit 1\n"

struct editrec_head {
	char magic[16];
	uint64_t build, opts;
	uint32_t genid, merged;
	uint64_t path_len, src_len, nstmts, chains_len[2];
	uint8_t flat, open, menu_end, pad[5];
};

const char *editrec_path(void)
{
	static char path[PATH_MAX + 8];

	return record_beside(path, sizeof(path), ".edit");
}

uint64_t editrec_build_id(void)
{
	struct stat st;
	uint64_t v[5];

	if (stat("/proc/self/exe", &st) < 0)
		return 0;
	v[0] = (uint64_t)st.st_dev;
	v[1] = (uint64_t)st.st_ino;
	v[2] = (uint64_t)st.st_size;
	v[3] = (uint64_t)st.st_mtim.tv_sec;
	v[4] = (uint64_t)st.st_mtim.tv_nsec;
	return text_fnv64(TEXT_FNV64, v, sizeof(v));
}

uint64_t editrec_opts(int first, char **argv, const struct diag *d, uint32_t file)
{
	/* What the compile reads from the environment (apply.c, script_run.c). */
	static const char *const env[] = { "ROSFW_MISSING_INTERFACES", "ROSFW_SCRIPT_STEPS", "ROSFW_SCRIPT_MEMORY" };
	uint64_t h = TEXT_FNV64;
	uint32_t id;
	size_t i;
	int k;

	/* --json says how the result is told, not what is applied */
	for (k = 1; k < first; k++)
		if (strcmp(argv[k], "--json"))
			h = text_fnv64(h, argv[k], strlen(argv[k]) + 1);
	for (i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		const char *v = getenv(env[i]);

		h = text_fnv64(h, v ? v : "", v ? strlen(v) + 1 : 0);
		h = text_fnv64(h, "|", 1);
	}
	/* The interface map and --interface's entries are sources of `d`. */
	for (id = 1; *diag_source_name(d, id); id++) {
		const char *name = diag_source_name(d, id), *p;
		size_t left = 0;

		if (id == file)
			continue;
		h = text_fnv64(h, name, strlen(name) + 1);
		p = diag_source_at((struct diag *)d, id, 1, 1, &left);
		h = text_fnv64(h, p ? p : "", p ? left : 0);
		h = text_fnv64(h, &left, sizeof(left));
	}
	return h;
}

static bool rule_merged(const struct ir_rule *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->stmts[i].kind == S_COUNTER && r->stmts[i].u.obj.map)
			return true;
	return false;
}

void editrec_map_rules(struct editrec *e, const struct emit_nl_scan *s, uint32_t file)
{
	size_t k;

	for (k = 0; k < e->x.n; k++)
		e->x.v[k].rule = e->x.v[k].nrules = 0;
	e->merged = 0;
	for (k = 0; k < s->nrules; k++) {
		const struct ir_rule *r = s->rules[k].rule;
		struct stmt *st;
		size_t i;

		if (!r || r->loc.file != file || (i = stmt_of_line(&e->x, r->loc.line)) == e->x.n)
			continue;
		e->merged += rule_merged(r);
		st = &e->x.v[i];
		if (!st->nrules)
			st->rule = (uint32_t)k;
		else if (st->rule != UINT32_MAX && st->rule + st->nrules != k)
			st->rule = UINT32_MAX;	/* rules of its own apart: not one run */
		st->nrules++;
	}
}

void editrec_chains(struct editrec *e, const struct ir *ir)
{
	int f;

	for (f = 0; f < 2; f++) {
		const struct ir_table *t = ir->tables[f];
		size_t i, n = 0;

		free(e->chains[f]);
		e->chains[f] = NULL;
		e->chains_len[f] = 0;
		for (i = 0; t && i < t->nchains; i++)
			n += strlen(t->chains[i]->name) + 1;
		e->chains[f] = xmalloc(n + 1);
		for (i = 0; t && i < t->nchains; i++) {
			size_t k = strlen(t->chains[i]->name) + 1;

			memcpy(e->chains[f] + e->chains_len[f], t->chains[i]->name, k);
			e->chains_len[f] += k;
		}
	}
}

void editrec_remove(void)
{
	const char *path = editrec_path();

	if (path)
		unlink(path);
}

void editrec_free(struct editrec *e)
{
	free(e->path);
	free(e->src);
	free(e->chains[0]);
	free(e->chains[1]);
	stmt_index_free(&e->x);
	memset(e, 0, sizeof(*e));
}

int editrec_write(const struct editrec *e)
{
	const char *path = editrec_path();
	struct editrec_head h = { .magic = EDITREC_MAGIC };
	struct safefile *sf;
	char why[512];
	uint64_t sum;
	FILE *out;
	size_t plen = strlen(e->path);

	if (!path)
		return -1;
	if (trust_make_dir(path) < 0 || trust_private(path, why, sizeof(why)) < 0 ||
	    !(sf = safefile_open(path, 0600))) {
		unlink(path);
		return -1;
	}
	safefile_nosync(sf);	/* void with the record of handles it names, after a reboot */
	h.build = e->build;
	h.opts = e->opts;
	h.genid = e->genid;
	h.merged = e->merged;
	h.path_len = plen;
	h.src_len = e->len;
	h.nstmts = e->x.n;
	h.chains_len[0] = e->chains_len[0];
	h.chains_len[1] = e->chains_len[1];
	h.flat = e->x.flat;
	h.open = e->x.open;
	h.menu_end = e->x.menu_end;
	/* the pieces as one run of bytes, as the reader sums them */
	{
		size_t total = sizeof(h) + plen + e->len + e->x.n * sizeof(*e->x.v) + e->chains_len[0] + e->chains_len[1];
		char *all = xmalloc(total + 1), *q = all;

		memcpy(q, &h, sizeof(h));
		q += sizeof(h);
		memcpy(q, e->path, plen);
		q += plen;
		memcpy(q, e->src, e->len);
		q += e->len;
		if (e->x.n)
			memcpy(q, e->x.v, e->x.n * sizeof(*e->x.v));
		q += e->x.n * sizeof(*e->x.v);
		if (e->chains_len[0])
			memcpy(q, e->chains[0], e->chains_len[0]);
		q += e->chains_len[0];
		if (e->chains_len[1])
			memcpy(q, e->chains[1], e->chains_len[1]);
		sum = text_hash_words(TEXT_FNV64, all, total);
		out = safefile_stream(sf);
		fwrite(all, 1, total, out);
		fwrite(&sum, sizeof(sum), 1, out);
		free(all);
	}
	if (safefile_commit(sf) < 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

int editrec_read(struct editrec *e)
{
	const char *path = editrec_path();
	struct editrec_head h;
	char why[512], *buf = NULL;
	struct stat st;
	size_t need;
	uint64_t sum;
	int fd;

	memset(e, 0, sizeof(*e));
	if (!path || trust_private(path, why, sizeof(why)) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(h) + sizeof(sum))
		goto bad;
	buf = xmalloc((size_t)st.st_size);
	for (need = 0; need < (size_t)st.st_size;) {
		ssize_t k = read(fd, buf + need, (size_t)st.st_size - need);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			goto bad;
		need += (size_t)k;
	}
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, EDITREC_MAGIC, sizeof(EDITREC_MAGIC)) || h.path_len > PATH_MAX ||
	    h.src_len > (size_t)st.st_size || h.nstmts > (size_t)st.st_size / sizeof(struct stmt) ||
	    h.chains_len[0] > (size_t)st.st_size || h.chains_len[1] > (size_t)st.st_size)
		goto bad;
	need = sizeof(h) + h.path_len + h.src_len + h.nstmts * sizeof(struct stmt) + h.chains_len[0] + h.chains_len[1];
	if (need + sizeof(sum) != (size_t)st.st_size)
		goto bad;
	memcpy(&sum, buf + need, sizeof(sum));
	if (sum != text_hash_words(TEXT_FNV64, buf, need))
		goto bad;
	e->build = h.build;
	e->opts = h.opts;
	e->genid = h.genid;
	e->merged = h.merged;
	e->path = xstrndup(buf + sizeof(h), h.path_len);
	e->len = h.src_len;
	e->src = xmalloc(h.src_len + 1);
	memcpy(e->src, buf + sizeof(h) + h.path_len, h.src_len);
	e->x.n = h.nstmts;
	e->x.v = xcalloc(h.nstmts + 1, sizeof(struct stmt));
	memcpy(e->x.v, buf + sizeof(h) + h.path_len + h.src_len, h.nstmts * sizeof(struct stmt));
	{
		const char *c = buf + sizeof(h) + h.path_len + h.src_len + h.nstmts * sizeof(struct stmt);
		int f;

		for (f = 0; f < 2; f++) {
			e->chains_len[f] = h.chains_len[f];
			e->chains[f] = xmalloc(h.chains_len[f] + 1);
			memcpy(e->chains[f], c, h.chains_len[f]);
			c += h.chains_len[f];
		}
	}
	e->x.flat = h.flat;
	e->x.open = h.open;
	e->x.menu_end = h.menu_end;
	free(buf);
	close(fd);
	return 0;
bad:
	free(buf);
	close(fd);
	return -1;
}
