/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The record of what apply committed (record.h): where it is, its text,
 * writing it whole, reading it back, and matching a configuration to the
 * kernel by the names its rules count into.
 */
#include "record.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "dump.h"
#include "exitcode.h"
#include "ifmap.h"
#include "kname.h"
#include "kread.h"
#include "lower.h"
#include "model.h"
#include "netns.h"
#include "safefile.h"
#include "source.h"
#include "text.h"
#include "trust.h"
#include "xalloc.h"

#define RUN_DIR "/run/rosfw"

/* ---- where ------------------------------------------------------------- */

const char *record_path(void)
{
	static char path[PATH_MAX];

	return netns_path(path, sizeof(path), "ROSFW_RECORD", RECORD_DIR_DEFAULT "/applied.rsc", RUN_DIR "/applied.",
			  ".rsc");
}

/* ---- fingerprints ------------------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint64_t fp_names(uint64_t h, const char **v, size_t n, char kind)
{
	const char **s = xcalloc(n + 1, sizeof(*s));
	size_t i;

	if (n) {	/* memcpy and qsort of NULL, 0 are undefined */
		memcpy(s, v, n * sizeof(*s));
		qsort(s, n, sizeof(*s), name_cmp);
	}
	for (i = 0; i < n; i++) {
		h = text_fnv64(h, &kind, 1);
		h = text_fnv64(h, s[i], strlen(s[i]) + 1);
	}
	free(s);
	return h;
}

uint64_t record_fp(const char **chains, size_t nchains, const char **counters, size_t ncounters)
{
	return fp_names(fp_names(TEXT_FNV64, chains, nchains, 'c'), counters, ncounters, 'o');
}

void record_fp_ir(const struct ir *ir, uint64_t fp[2])
{
	int f;

	for (f = 0; f < 2; f++) {
		const struct ir_table *t = ir ? ir->tables[f] : NULL;
		const char **chains = xcalloc(t ? t->nchains + 1 : 1, sizeof(*chains));
		size_t i;

		for (i = 0; t && i < t->nchains; i++)
			chains[i] = t->chains[i]->name;
		fp[f] = record_fp(chains, t ? t->nchains : 0, t ? t->counters : NULL, t ? t->ncounters : 0);
		free(chains);
	}
}

struct knames {
	char **v;
	size_t n;
};

static void knames_add(struct knames *k, const char *s, size_t len)
{
	k->v = xreallocarray(k->v, k->n + 1, sizeof(*k->v));
	k->v[k->n++] = xstrndup(s, len);
}

static void knames_free(struct knames *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
}

static void chain_name(void *ctx, const struct kread_chain *c)
{
	knames_add(ctx, c->name, strlen(c->name));
}

static void counter_name(void *ctx, const struct kread_obj *o)
{
	knames_add(ctx, o->name, o->name_len);
}

int record_fp_kernel(struct nlsock *q, uint64_t fp[2], int *tables)
{
	int f;

	*tables = 0;
	for (f = 0; f < 2; f++) {
		int family = f ? NFPROTO_IPV6 : NFPROTO_IPV4, have = kread_table(q, family, NULL, NULL);
		struct knames c = { 0 }, o = { 0 };
		int err = 0;

		if (have < 0)
			return -1;
		*tables += have > 0;
		if (have > 0 && (kread_chains(q, family, chain_name, &c) < 0 ||
				 kread_objs(q, family, NFT_OBJECT_COUNTER, counter_name, &o) < 0))
			err = errno;
		fp[f] = record_fp((const char **)c.v, c.n, (const char **)o.v, o.n);
		knames_free(&c);
		knames_free(&o);
		if (err) {
			errno = err;
			return -1;
		}
	}
	return 0;
}

const char *record_beside(char *buf, size_t size, const char *suffix)
{
	const char *rec = record_path();

	if (!rec || snprintf(buf, size, "%s%s", rec, suffix) >= (int)size)
		return NULL;
	return buf;
}

/* ---- the text ------------------------------------------------------------ */

#define MAP_LINE "# map "

/* The map's entries as a map file writes them, each on a line of its own
 * after MAP_LINE. A name no map line can carry stays out: print then
 * lowers its rules as apply would without it. */
static void map_format(FILE *out, const struct ifmap *map)
{
	size_t i, j;

	for (i = 0; map && i < ifmap_count(map); i++) {
		const struct ifmap_entry *e = ifmap_at(map, i);
		const char *k;

		if (strpbrk(e->key, "\n\r"))
			continue;
		fputs(MAP_LINE "\"", out);
		for (k = e->key; *k; k++) {
			if (*k == '"' || *k == '\\')
				fputc('\\', out);
			fputc(*k, out);
		}
		fputs("\" =", out);
		for (j = 0; j < e->ntargets; j++)
			fprintf(out, "%s %s", j ? "," : "", e->targets[j]);
		fputc('\n', out);
	}
}

int record_format(FILE *out, const uint64_t fp[2], const struct ifmap *map, const char *body, size_t len)
{
	fputs(RECORD_MAGIC, out);
	fputs("# What rosfw apply committed last, as rosfw dump prints it: rosfw print reads it when no\n"
	      "# FILE is given. Written by apply; do not edit (the digest below catches a change).\n", out);
	fprintf(out, "# fingerprint ip %016" PRIx64 " ip6 %016" PRIx64 "\n", fp[0], fp[1]);
	/* The interface map apply lowered with. */
	map_format(out, map);
	fprintf(out, "# digest %016" PRIx64 " %zu\n", text_fnv64(TEXT_FNV64, body, len), len);
	fwrite(body, 1, len, out);
	return ferror(out) ? -1 : 0;
}

/* The line at *pos (without its newline), *pos moved past it; NULL at the
 * end of the text or for a line without a newline. */
static const char *line_next(const char *buf, size_t len, size_t *pos, size_t *n)
{
	const char *s = buf + *pos, *nl;

	if (*pos >= len || !(nl = memchr(s, '\n', len - *pos)))
		return NULL;
	*n = (size_t)(nl - s);
	*pos += *n + 1;
	return s;
}

int record_parse(const char *buf, size_t len, uint64_t fp[2], size_t *body, char *why, size_t size)
{
	size_t pos = 0, n, blen = 0;
	const char *l;
	uint64_t digest = 0;
	bool have_fp = false, have_digest = false;
	char tmp[128];

	if (len < strlen(RECORD_MAGIC) || memcmp(buf, RECORD_MAGIC, strlen(RECORD_MAGIC))) {
		if (len > 22 && !memcmp(buf, "# rosfw applied record", 22))
			snprintf(why, size, "a record of another version of rosfw");
		else
			snprintf(why, size, "not a record of rosfw apply");
		return -1;
	}
	pos = strlen(RECORD_MAGIC);
	/* Header lines, up to the digest, which comes last. */
	while (!have_digest && (l = line_next(buf, len, &pos, &n))) {
		unsigned long long a, b;
		size_t bl;

		if (!n || l[0] != '#')
			break;
		if (n >= sizeof(tmp))
			continue;	/* a map line (applied_from_record) */
		memcpy(tmp, l, n);
		tmp[n] = 0;
		if (sscanf(tmp, "# fingerprint ip %16llx ip6 %16llx", &a, &b) == 2) {
			fp[0] = a, fp[1] = b;
			have_fp = true;
		} else if (sscanf(tmp, "# digest %16llx %zu", &a, &bl) == 2) {
			digest = a;
			blen = bl;
			have_digest = true;
		}
	}
	if (!have_fp || !have_digest) {
		snprintf(why, size, "damaged: its header is incomplete");
		return -1;
	}
	if (len - pos != blen) {
		snprintf(why, size, "damaged: %zu bytes where it says %zu", len - pos, blen);
		return -1;
	}
	if (text_fnv64(TEXT_FNV64, buf + pos, blen) != digest) {
		snprintf(why, size, "damaged: its digest does not match its text");
		return -1;
	}
	*body = pos;
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

void record_save(const struct model *m, const struct ir *ir, const struct ifmap *map, struct diag *d)
{
	const char *path = record_path();
	char why[512], *body = NULL;
	size_t len = 0;
	uint64_t fp[2];
	struct safefile *sf;
	FILE *mem;

	if (!path)
		return;
	/* The record tells print (and rosfwd) what the kernel's rules are:
	 * whoever could write it could put other rules' names on the
	 * counters, so its directory is root's alone, as rosfwd's state. */
	if (trust_make_dir(path) < 0) {
		diag_warning(d, NULL, "%s: %s: rosfw print needs the FILE until an apply can record it", path,
			     strerror(errno));
		return;
	}
	if (trust_private(path, why, sizeof(why)) < 0) {
		diag_warning(d, NULL, "not recording what was applied: %s; rosfw print needs the FILE", why);
		return;
	}
	if (!(mem = open_memstream(&body, &len)))
		xdie("out of memory");
	dump_model(m, mem);
	if (fclose(mem))
		xdie("out of memory");
	record_fp_ir(ir, fp);
	if (!(sf = safefile_open(path, 0600))) {
		diag_warning(d, NULL, "%s: %s: rosfw print needs the FILE until an apply can record it", path,
			     strerror(errno));
	} else {
		record_format(safefile_stream(sf), fp, map, body, len);
		if (safefile_commit(sf) < 0)
			diag_warning(d, NULL, "%s: %s: rosfw print needs the FILE until an apply can record it", path,
				     strerror(errno));
	}
	free(body);
}

/* ---- reading -------------------------------------------------------------- */

/* The record's map lines (before its body at `body`) into *map (NULL:
 * none); false when they do not read back. */
static bool map_read(struct applied *a, const char *buf, size_t body, struct ifmap **map)
{
	char *text = xmalloc(body + 1);
	size_t pos = 0, n = 0;
	bool ok = true;

	*map = NULL;
	while (pos < body) {
		const char *l = buf + pos, *nl = memchr(l, '\n', body - pos);
		size_t len = nl ? (size_t)(nl - l) : body - pos;

		if (len > strlen(MAP_LINE) && !memcmp(l, MAP_LINE, strlen(MAP_LINE))) {
			memcpy(text + n, l + strlen(MAP_LINE), len - strlen(MAP_LINE));
			n += len - strlen(MAP_LINE);
			text[n++] = '\n';
		}
		pos += len + 1;
	}
	if (n) {
		*map = ifmap_new();
		ok = ifmap_parse(*map, a->d, diag_add_source_copy(a->d, "the record's interface map", text, n), text, n,
				 false);
		if (!ok) {
			ifmap_free(*map);
			*map = NULL;
		}
	}
	free(text);
	return ok;
}

/* Lowered as apply lowers it: what nftables cannot express was skipped
 * (an apply with errors commits nothing), so nothing here is an error. */
static bool applied_lower(struct applied *a, const struct ifmap *map)
{
	struct diag *quiet = diag_new(1000000);
	struct lower_opts lo = { .unsupported = UNSUPPORTED_SKIP_RULE, .ifmap = map };

	a->ir = lower_model(a->m, quiet, &lo);
	diag_free(quiet);
	if (!a->ir)
		a->ir = ir_new();
	record_fp_ir(a->ir, a->fp);
	return true;
}

struct applied *applied_from_files(char **files, int n, const struct config_ifopts *ifo, int *rc)
{
	struct applied *a = xcalloc(1, sizeof(*a));
	struct lower_opts lo = { 0 };
	size_t len = 0;
	int i;

	a->ss = source_set_new();
	a->d = diag_new(50);
	/* The map apply took: its mistakes are this command's too. */
	if (!config_ifmap(ifo, a->d, a->ss, false, &lo) ||
	    !(a->m = config_read_map(files, n, a->d, a->ss, false, lo.ifmap))) {
		ifmap_free((struct ifmap *)lo.ifmap);
		*rc = EXIT_IO;
		applied_free(a);
		return NULL;
	}
	if (diag_errors(a->d)) {
		diag_print(a->d, stderr);
		ifmap_free((struct ifmap *)lo.ifmap);
		*rc = EXIT_CONFIG;
		applied_free(a);
		return NULL;
	}
	for (i = 0; i < n; i++)
		len += strlen(files[i]) + 1;
	a->origin = xcalloc(len + 1, 1);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(a->origin, " ");
		strcat(a->origin, files[i]);
	}
	applied_lower(a, lo.ifmap);
	ifmap_free((struct ifmap *)lo.ifmap);
	return a;
}

struct applied *applied_from_record(int *rc, char *why, size_t size)
{
	const char *path = record_path();
	struct applied *a;
	const struct source *s;
	char trust[512];
	uint64_t fp[2];
	size_t body;
	uint32_t file;
	struct ifmap *map;

	if (!path) {
		snprintf(why, size, "ROSFW_RECORD is empty: nothing is recorded");
		*rc = EXIT_CONFIG;
		return NULL;
	}
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		snprintf(why, size, "no record of an apply (%s): nothing was applied here by rosfw", path);
		*rc = EXIT_CONFIG;
		return NULL;
	}
	if (trust_private(path, trust, sizeof(trust)) < 0) {
		snprintf(why, size, "refusing the record: %s", trust);
		*rc = EXIT_IO;
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->ss = source_set_new();
	a->d = diag_new(50);
	a->from_record = true;
	if (!(s = source_read(a->ss, path))) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		*rc = EXIT_IO;
		applied_free(a);
		return NULL;
	}
	if (record_parse(s->buf, s->len, fp, &body, trust, sizeof(trust)) < 0) {
		snprintf(why, size, "%s: %s", path, trust);
		*rc = EXIT_CONFIG;
		applied_free(a);
		return NULL;
	}
	/* The header is comments: the whole file runs, so lines are the
	 * file's own in any message. */
	a->m = model_new(a->d);
	file = diag_add_source(a->d, s->name, s->buf, s->len);
	model_run_padded(a->m, file, s->buf, s->len);
	model_finish(a->m);
	if (diag_errors(a->d)) {
		snprintf(why, size, "%s: the recorded configuration does not read back (another rosfw's?)", path);
		*rc = EXIT_CONFIG;
		applied_free(a);
		return NULL;
	}
	a->origin = xmalloc(strlen(path) + 12);
	sprintf(a->origin, "the record %s", path);
	/* Rules are known by what they say (lower.c, rule_ident), but a rule
	 * on a name no Linux interface can have is left out unless the map
	 * names it one: lowered with the map apply took. */
	if (!map_read(a, s->buf, body, &map)) {
		snprintf(why, size, "%s: its interface map does not read back (another rosfw's?)", path);
		*rc = EXIT_CONFIG;
		applied_free(a);
		return NULL;
	}
	applied_lower(a, map);
	ifmap_free(map);
	/* What this rosfw makes of the text must be what the applying one
	 * made of it: else counter names differ and nothing would match. */
	if (a->fp[0] != fp[0] || a->fp[1] != fp[1]) {
		snprintf(why, size, "%s: recorded by another version of rosfw (its rules lower to other names)", path);
		*rc = EXIT_CONFIG;
		applied_free(a);
		return NULL;
	}
	return a;
}

void applied_free(struct applied *a)
{
	if (!a)
		return;
	ir_free(a->ir);
	model_free(a->m);
	diag_free(a->d);
	source_set_free(a->ss);
	free(a->origin);
	free(a);
}

const char **applied_counters(const struct applied *a, int family, const char *fac, size_t n, const char ***chains)
{
	const struct ir_table *t = !a->ir ? NULL : family == NFPROTO_BRIDGE ? a->ir->bridge : a->ir->tables[family == NFPROTO_IPV6];
	const char **v = xcalloc(n + 1, sizeof(*v)), **ch = xcalloc(n + 1, sizeof(*ch));
	bool *mixed = xcalloc(n + 1, sizeof(*mixed));
	size_t i, j, k;

	for (i = 0; t && i < t->nchains; i++) {
		const struct ir_chain *c = t->chains[i];

		if (!c->facility || strcmp(c->facility, fac))
			continue;
		for (j = 0; j < c->n; j++) {
			const struct ir_rule *r = c->rules[j];

			if (r->id < 0 || (size_t)r->id >= n)
				continue;
			for (k = 0; k < r->n; k++) {
				if (r->stmts[k].kind != S_COUNTER || !r->stmts[k].u.obj.name)
					continue;
				if (!v[r->id]) {
					v[r->id] = r->stmts[k].u.obj.name;
					ch[r->id] = c->name;
				} else if (strcmp(ch[r->id] ? ch[r->id] : "", c->name)) {
					mixed[r->id] = true;
				}
			}
		}
	}
	for (i = 0; i < n; i++)
		if (mixed[i])
			ch[i] = NULL;
	free(mixed);
	if (chains)
		*chains = ch;
	else
		free(ch);
	return v;
}

int applied_matches(const struct applied *a, struct nlsock *q, int *tables, char *why, size_t size)
{
	uint64_t fp[2];
	int f;

	if (record_fp_kernel(q, fp, tables) < 0)
		return -1;
	for (f = 0; f < 2; f++) {
		if (fp[f] != a->fp[f]) {
			snprintf(why, size, "table %s rosfw in the kernel has other chains or rules than %s",
				 f ? "ip6" : "ip", a->origin);
			return 0;
		}
	}
	return 1;
}

/* ---- rosfwd ------------------------------------------------------------- */

const struct applied *applied_record_cached(char *why, size_t size)
{
	static struct applied *cached;
	static struct stat seen;
	static char said[512];
	const char *path = record_path();
	struct stat st;
	int rc;

	if (!path || stat(path, &st) < 0) {
		applied_free(cached);
		cached = NULL;
		memset(&seen, 0, sizeof(seen));
		snprintf(why, size, "no record of an apply (%s)", path ? path : "ROSFW_RECORD is empty");
		return NULL;
	}
	/* safefile replaces the file whole: a new apply is a new inode. */
	if (st.st_ino == seen.st_ino && st.st_dev == seen.st_dev && st.st_mtim.tv_sec == seen.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == seen.st_mtim.tv_nsec && st.st_size == seen.st_size) {
		if (!cached)
			snprintf(why, size, "%s", said);
		return cached;
	}
	applied_free(cached);
	seen = st;
	cached = applied_from_record(&rc, said, sizeof(said));
	if (!cached)
		snprintf(why, size, "%s", said);
	return cached;
}
