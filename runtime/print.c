/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw print stats | print address-list | reset-counters: read what the
 * kernel changes (rule counters, dynamic set elements) over netlink and
 * lay it out against the rule and entry lists of the configuration FILE.
 *
 * Reading (kread.h): one chain dump of the family (cheap), then one rule
 * dump per rosfw chain of the facility, never a table-wide rule dump: the
 * kernel restarts its walk for every message of a dump, so a dump costs
 * O(n^2 / message size) in the chain it walks (DESIGN.md, "Performance
 * facts"); then the counter objects the rules name, in one dump.
 */
#include "print.h"
#include "record.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "dynstate.h"
#include "exitcode.h"
#include "kname.h"
#include "kread.h"
#include "lower.h"
#include "lower_impl.h"
#include "menu.h"
#include "config.h"
#include "model.h"
#include "nlsock.h"
#include "props.h"
#include "source.h"
#include "value.h"
#include "xalloc.h"

struct popts {
	bool json, prom, v6;
	const char *facs[6];
	size_t nfacs;
	const char *list;	/* where list=NAME */
	const char *state;	/* rosfwd's state file, for creation times */
	struct config_ifopts ifo;	/* checked as compile checks them; numbering does not need them */
};

static int print_usage(FILE *out, int code)
{
	fputs("usage: rosfw print stats [filter|nat|mangle|raw|all|bridge-filter|bridge-nat] [--ipv6] [--json|--prometheus]\n"
	      "                          [FILE...]\n"
	      "       rosfw print address-list [where list=NAME] [--ipv6] [--json] [--state FILE] [FILE...]\n"
	      "       rosfw print connection [count-only] [where COND...] [--ipv6] [--json]\n"
	      "       rosfw reset-counters [filter|nat|mangle|raw|all|bridge-filter|bridge-nat] [--ipv6]\n"
	      "\n"
	      "FILE... is the configuration that was applied: it gives the rule and entry lists\n"
	      "(numbers, disabled rules, comments, static entries); the kernel gives counters and\n"
	      "dynamic entries. Without FILE, what rosfw apply recorded it applied is read (see\n"
	      "README, \"print without the file\"). A FILE (or record) whose rules are not the\n"
	      "kernel's is refused (exit 1): counters are never shown under the wrong rules.\n"
	      "Default facility: filter; bridge-filter and bridge-nat are /interface bridge filter and\n"
	      "nat (table bridge rosfw, one for both IP versions). Creation times of dynamic entries come\n"
	      "from rosfwd's state file (--state, default " DYN_STATE_DEFAULT ") when there is one.\n"
	      "--interface, --interface-map and --unsupported are taken as apply takes them (and\n"
	      "checked), so one set of options serves every command; a rule apply left out shows I.\n"
	      EXIT_HELP,
	      out);
	return code;
}

/* ---- chains and rules --------------------------------------------------- */

struct names {
	char **v;
	size_t n;
	const char *fac;	/* keep only the chains of this facility */
};

static void names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

static void chain_add(void *ctx, const struct kread_chain *c)
{
	struct names *ns = ctx;

	if (!kname_chain_of(c->name, ns->fac))
		return;
	ns->v = xreallocarray(ns->v, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(c->name);
}

/**
 * struct counts - counters summed per RouterOS rule number. A kernel rule
 * is its RouterOS rule's by the counter object it counts into (kname.h:
 * kernel comments carry no numbers), as the configuration names it.
 * @extra: kernel rules counting into objects the configuration does not name.
 * @differ: kernel rules that are not their rule's: another comment, another
 *	chain, or out of the configuration's order in their chain.
 */
struct counts {
	uint64_t *bytes, *packets;
	bool *seen;
	char **cname;		/* the counter object each rule's kernel rules count into */
	size_t n;
	size_t extra;
	char **expect;		/* the comment each rule's kernel rules carry (NULL: none) */
	const char **ctr;	/* the counter object they count into (NULL: no kernel rule) */
	const char **chain;	/* the chain they are in (NULL: more than one) */
	size_t *byname;		/* rule numbers with a counter, sorted by ctr */
	size_t nbyname;
	size_t differ;		/* kernel rules that are not their rule's */
	long first_differ;
	const char *in;		/* the chain being read */
	long last;		/* its last rule's number, -1 at its start */
	char **maps;		/* the counter maps of merged runs (merge.h) the rules look up */
	size_t nmaps;
};

/* The comment rosfw gives the kernel rules of a rule; NULL: none. */
static char *expected_comment(const struct mprop *cm)
{
	char comment[KNAME_COMMENT_MAX + 1];

	return kname_rule_comment(comment, cm ? cm->value : NULL, cm ? mprop_len(cm) : 0) ? xstrdup(comment) : NULL;
}

static int byname_cmp(const void *a, const void *b, void *ctx)
{
	const char *const *names = ctx;

	return strcmp(names[*(const size_t *)a], names[*(const size_t *)b]);
}

static void byname_make(struct counts *c)
{
	size_t i;

	c->byname = xcalloc(c->n + 1, sizeof(*c->byname));
	for (i = 0; i < c->n; i++)
		if (c->ctr[i])
			c->byname[c->nbyname++] = i;
	qsort_r(c->byname, c->nbyname, sizeof(*c->byname), byname_cmp, (void *)c->ctr);
}

/* The rule whose counter object is name[0..len); -1 when none is. */
static long byname_find(const struct counts *c, const char *name, size_t len)
{
	size_t lo = 0, hi = c->nbyname;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, num = c->byname[mid];
		const char *x = c->ctr[num];
		int k = strncmp(x, name, len);

		if (!k && x[len])
			k = 1;
		if (!k)
			return (long)num;
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void differ(struct counts *c, long num)
{
	if (!c->differ++)
		c->first_differ = num;
}

static void rule_count(void *ctx, const struct kread_rule *r)
{
	struct counts *c = ctx;
	const char *want;
	long num;

	/* A merged run: its rules are the map's elements (map_elem). */
	if (r->counter_map) {
		c->maps = xreallocarray(c->maps, c->nmaps + 1, sizeof(*c->maps));
		c->maps[c->nmaps++] = xstrndup(r->counter_map, r->counter_map_len);
	}
	/* Rules that count nothing (a rule's state-only preludes, rosfw's
	 * helpers) are no RouterOS rule's row. */
	if (!r->counter) {
		if (r->own_counter)
			c->extra++;
		return;
	}
	num = byname_find(c, r->counter, r->counter_len);
	if (num < 0) {
		c->extra++;
		return;
	}
	c->seen[num] = true;
	/* The counter names what the rule says, not its comment, its chain
	 * or its place: those are checked against the configuration. */
	want = c->expect[num];
	if ((want ? !r->comment || strlen(want) != r->comment_len || memcmp(want, r->comment, r->comment_len)
		  : r->comment && r->comment_len) ||
	    (c->chain[num] && strcmp(c->chain[num], c->in)) || num < c->last)
		differ(c, num);
	c->last = num;
	/* The rule's counter object, shared by all its kernel rules: its
	 * figures are read once, with the objects. */
	if (!c->cname[num])
		c->cname[num] = xstrndup(r->counter, r->counter_len);
	/* A counter of its own as well (a table an older rosfw applied). */
	if (r->own_counter) {
		c->bytes[num] += r->bytes;
		c->packets[num] += r->packets;
	}
}

/* An element of a merged run's map: the rule whose counter object it
 * names is in the kernel, counting there. Names the configuration does
 * not give are another configuration's (record_fp would have said). */
static void map_elem(void *ctx, const struct kread_elem *e)
{
	struct counts *c = ctx;
	long num;

	if (!e->obj)
		return;
	num = byname_find(c, e->obj, e->obj_len);
	if (num < 0) {
		differ(c, -1);
		return;
	}
	c->seen[num] = true;
	if (!c->cname[num])
		c->cname[num] = xstrndup(e->obj, e->obj_len);
}

static int read_maps(struct nlsock *q, int family, struct counts *c)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < c->nmaps && !ret; i++)
		ret = kread_elems(q, family, c->maps[i], map_elem, c);
	return ret;
}

/* Rule numbers by their counter object's name. */
struct cindex {
	struct counts *c;
	size_t *num;		/* rule numbers, sorted by c->cname */
	size_t n;
};

static int cindex_cmp(const void *a, const void *b, void *ctx)
{
	char *const *names = ctx;

	return strcmp(names[*(const size_t *)a], names[*(const size_t *)b]);
}

static void counter_add(void *ctx, const struct kread_obj *o)
{
	struct cindex *ix = ctx;
	char name[256];
	size_t lo = 0, hi = ix->n;

	if (o->name_len >= sizeof(name))
		return;
	memcpy(name, o->name, o->name_len);
	name[o->name_len] = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, num = ix->num[mid];
		int k = strcmp(ix->c->cname[num], name);

		if (!k) {
			ix->c->packets[num] += o->packets;
			ix->c->bytes[num] += o->bytes;
			break;
		}
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
}

/* The figures of the counter objects the rules named, in one dump. */
static int read_counter_objs(struct nlsock *q, int family, struct counts *c)
{
	struct cindex ix = { .c = c, .num = xcalloc(c->n + 1, sizeof(size_t)) };
	size_t i;
	int ret = 0;

	for (i = 0; i < c->n; i++)
		if (c->cname[i])
			ix.num[ix.n++] = i;
	if (ix.n) {
		qsort_r(ix.num, ix.n, sizeof(*ix.num), cindex_cmp, c->cname);
		ret = kread_objs(q, family, NFT_OBJECT_COUNTER, counter_add, &ix);
	}
	free(ix.num);
	return ret;
}

/* The rosfw chains of a facility ("filter_..."): every chain of the
 * family is listed once, then each of ours is dumped by itself. */
static int read_counts(struct nlsock *q, int family, const char *fac, struct counts *c)
{
	struct names ns = { .fac = fac };
	size_t i;

	if (kread_chains(q, family, chain_add, &ns) < 0)
		return -1;
	for (i = 0; i < ns.n; i++) {
		c->in = ns.v[i];
		c->last = -1;
		if (kread_rules(q, family, ns.v[i], rule_count, c) < 0) {
			names_free(&ns);
			return -1;
		}
	}
	names_free(&ns);
	if (read_maps(q, family, c) < 0)
		return -1;
	return read_counter_objs(q, family, c);
}

/* ---- configuration ------------------------------------------------------ */

static enum menu_kind fac_kind(const char *fac, bool v6)
{
	static const char *const f[] = { "filter", "nat", "mangle", "raw" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(f[i], fac))
			return (enum menu_kind)((v6 ? MK_FILTER6 : MK_FILTER4) + i);
	if (!strcmp(fac, "bridge-filter"))
		return MK_BRIDGE_FILTER;
	if (!strcmp(fac, "bridge-nat"))
		return MK_BRIDGE_NAT;
	return MK_NONE;
}

/* The bridge menus' rules are in table bridge rosfw, for both IP
 * versions. */
static bool fac_bridge(const char *fac)
{
	return !strncmp(fac, "bridge-", 7);
}

static int fac_family(const char *fac, bool v6)
{
	return fac_bridge(fac) ? NFPROTO_BRIDGE : v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

static const char *fac_family_name(const char *fac, bool v6)
{
	return fac_bridge(fac) ? "bridge" : v6 ? "ip6" : "ip";
}

static bool is_fac(const char *s)
{
	return !strcmp(s, "filter") || !strcmp(s, "nat") || !strcmp(s, "mangle") || !strcmp(s, "raw") ||
	       !strcmp(s, "all") || !strcmp(s, "bridge-filter") || !strcmp(s, "bridge-nat");
}

static void kernel_error(const char *what)
{
	if (errno == EPERM || errno == EACCES)
		fprintf(stderr, "rosfw: reading the firewall needs CAP_NET_ADMIN: run rosfw as root\n");
	else
		fprintf(stderr, "rosfw: %s: %s\n", what, strerror(errno));
}

/* After a configuration was found not to be the kernel's: what to do. */
static void mismatch_say(const struct applied *a)
{
	if (a->from_record)
		fprintf(stderr,
			"rosfw: the kernel holds another firewall than %s of rosfw's last apply: it was changed since by other means (nft -f, a --confirm rollback, another rosfw); nothing printed: give the FILE... that is applied\n",
			a->origin);
	else
		fprintf(stderr,
			"rosfw: %s is not the configuration the kernel holds: nothing printed, counters are never shown under the wrong rules; give the FILE... that was applied, or none to read rosfw's record of its last apply\n",
			a->origin);
}

/* Options after the subcommand: [facility...] [where list=X] FILE... */
static int popts_parse(int argc, char **argv, struct popts *o, bool stats, bool files)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "state", required_argument, NULL, 's' },
		{ "interface", required_argument, NULL, 'I' },
		{ "interface-map", required_argument, NULL, 'M' },
		{ "unsupported", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum unsupported_policy pol;
	int c, i;

	o->state = DYN_STATE_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h6", lo, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'p':
			if (!stats)
				return -1;
			o->prom = true;
			break;
		case '6': o->v6 = true; break;
		case 's':
			if (stats)
				return -1;
			o->state = optarg;
			break;
		case 'I':
			if (!files)
				return -1;
			config_opt_interface(&o->ifo, optarg);
			break;
		case 'M':
			if (!files || !config_opt_interface_map(&o->ifo, optarg))
				return -1;
			break;
		case 'u':
			/* What apply left out has no rule in the kernel either
			 * way: print shows it as RouterOS shows an invalid one. */
			if (!files || !config_opt_unsupported(optarg, &pol))
				return -1;
			break;
		case 'h': print_usage(stdout, 0); exit(EXIT_OK);
		default: return -1;
		}
	}
	if (o->json && o->prom) {
		fprintf(stderr, "rosfw: --json or --prometheus, not both\n");
		return -1;
	}
	i = optind;
	if (stats) {
		for (; i < argc && is_fac(argv[i]); i++) {
			static const char *const ip[] = { "filter", "nat", "mangle", "raw" };
			size_t j, k;

			for (j = 0; j < 4; j++) {
				const char *f = !strcmp(argv[i], "all") ? ip[j] : j ? NULL : argv[i];

				for (k = 0; f && k < o->nfacs; k++)
					if (!strcmp(o->facs[k], f))
						f = NULL;
				if (f && o->nfacs < 6)
					o->facs[o->nfacs++] = f;
			}
		}
		if (!o->nfacs)
			o->facs[o->nfacs++] = "filter";
		/* A menu mistyped reads as a FILE: say what it is not. */
		if (i < argc && !strpbrk(argv[i], "/.") && access(argv[i], F_OK) < 0) {
			fprintf(stderr,
				"rosfw: print stats: \"%s\" is neither a menu (filter, nat, mangle, raw, bridge-filter, bridge-nat, all) nor a file\n",
				argv[i]);
			return -1;
		}
	} else if (i < argc && !strcmp(argv[i], "where")) {
		if (i + 1 >= argc || strncmp(argv[i + 1], "list=", 5)) {
			fprintf(stderr, "rosfw: print address-list: where takes list=NAME\n");
			return -1;
		}
		o->list = argv[i + 1] + 5;
		i += 2;
	} else if (i < argc && !strncmp(argv[i], "where list=", 11)) {
		o->list = argv[i] + 11;
		i++;
	}
	if (!files && i < argc) {
		fprintf(stderr, "rosfw: unexpected \"%s\"\n", argv[i]);
		return -1;
	}
	return i;
}

/* ---- print stats -------------------------------------------------------- */

struct fac_rows {
	const char *fac;
	struct print_stat_row *rows;
	size_t n;
};

/* The rows of one facility: the configuration's rules, the kernel's
 * counters summed per rule number. */
static int stats_facility(struct nlsock *q, const struct applied *a, const struct popts *o, const char *fac,
			  bool have_table, struct fac_rows *out)
{
	const struct model *m = a->m;
	enum menu_kind k = fac_kind(fac, o->v6);
	size_t n = model_count(m, k), i, live = 0, missing = 0;
	struct counts c = { 0 };
	const char *family = fac_family_name(fac, o->v6);
	/* The facility of its chains and counters (c_brnat_...). */
	const char *kfac = menu_kind_facility(k);
	int rc = EXIT_OK, nfproto = fac_family(fac, o->v6);

	out->fac = fac;
	out->rows = NULL;
	out->n = 0;
	c.n = n;
	c.bytes = xcalloc(n + 1, sizeof(*c.bytes));
	c.packets = xcalloc(n + 1, sizeof(*c.packets));
	c.seen = xcalloc(n + 1, sizeof(*c.seen));
	c.cname = xcalloc(n + 1, sizeof(*c.cname));
	c.expect = xcalloc(n + 1, sizeof(*c.expect));
	c.ctr = applied_counters(a, nfproto, kfac, n, &c.chain);
	byname_make(&c);
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);

		live += !it->disabled;
		if (!it->disabled)
			c.expect[i] = expected_comment(mitem_prop(it, P_COMMENT));
	}
	if (live && !have_table) {
		fprintf(stderr, "rosfw: no table %s rosfw in the kernel: apply the configuration first (rosfw apply)\n",
			family);
		rc = EXIT_IO;
		goto out;
	}
	if (have_table && read_counts(q, nfproto, kfac, &c) < 0) {
		kernel_error("reading rules");
		rc = EXIT_IO;
		goto out;
	}
	/* A rule the configuration gives a kernel rule that the kernel
	 * lacks was deleted behind rosfw's back. */
	for (i = 0; have_table && i < n; i++)
		if (c.ctr[i] && !c.seen[i])
			missing++;
	/* Counters under the wrong rules would be worse than none. */
	if (c.extra || c.differ || missing) {
		if (c.extra)
			fprintf(stderr,
				"rosfw: %zu kernel rule(s) of %s %s count into counter objects %s does not name\n",
				c.extra, family, fac, a->origin);
		if (c.differ)
			fprintf(stderr,
				"rosfw: %zu kernel rule(s) of %s %s are not the rule of %s whose counter they count into (first: rule %ld: another comment, another chain, or out of order)\n",
				c.differ, family, fac, a->origin, c.first_differ);
		if (missing)
			fprintf(stderr, "rosfw: %zu rule(s) of %s have no kernel rule in %s %s\n", missing, a->origin,
				family, fac);
		mismatch_say(a);
		rc = EXIT_CONFIG;
		goto out;
	}
	out->rows = xcalloc(n + 1, sizeof(*out->rows));
	out->n = n;
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);
		const struct mprop *cm = mitem_prop(it, P_COMMENT);
		struct print_stat_row *r = &out->rows[i];

		r->num = (long)i;
		r->flag = it->disabled ? 'X' : !c.seen[i] ? 'I' : ' ';
		r->chain = mitem_value(it, k, P_CHAIN);
		r->action = mitem_value(it, k, P_ACTION);
		r->comment = cm ? cm->value : NULL;
		r->counter = c.ctr[i];
		r->bytes = c.bytes[i];
		r->packets = c.packets[i];
	}
out:
	for (i = 0; i < n; i++) {
		free(c.expect[i]);
		free(c.cname[i]);
	}
	for (i = 0; i < c.nmaps; i++)
		free(c.maps[i]);
	free(c.maps);
	free(c.cname);
	free(c.expect);
	free(c.ctr);
	free(c.chain);
	free(c.byname);
	free(c.bytes);
	free(c.packets);
	free(c.seen);
	return rc;
}

static void flowtable_seen(void *ctx, const struct kread_flowtable *f)
{
	(void)f;
	*(bool *)ctx = true;
}

/*
 * RouterOS's dynamic "special dummy rule to show fasttrack counters", first
 * in filter, while FastTrack runs: here while the kernel holds rosfw's
 * flowtable (a kernel without flowtables never does: the fasttrack rule's
 * own row counts what the next rule carries then). Its counters are the
 * offloaded connections'.
 */
static int fasttrack_row(struct nlsock *q, const struct popts *o, struct fac_rows *f)
{
	bool found = false;
	struct print_stat_row *rows;
	int family = o->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;

	if (kread_flowtables(q, family, flowtable_seen, &found) < 0)
		return -1;
	if (!found)
		return 0;
	rows = xcalloc(f->n + 1, sizeof(*rows));
	if (print_offloaded(o->v6, &rows[0].packets, &rows[0].bytes) < 0) {
		free(rows);
		return -1;
	}
	rows[0].num = -1;
	rows[0].flag = 'D';
	rows[0].chain = "forward";
	rows[0].action = "passthrough";
	rows[0].comment = "special dummy rule to show fasttrack counters";
	memcpy(rows + 1, f->rows, f->n * sizeof(*rows));
	free(f->rows);
	f->rows = rows;
	f->n++;
	return 0;
}

static int print_stats(struct nlsock *q, const struct applied *m, const struct popts *o)
{
	int have = kread_table(q, o->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, NULL, NULL), rc = EXIT_OK;
	int have_br = 0;
	struct fac_rows f[6] = { { 0 } };
	size_t i;

	for (i = 0; i < o->nfacs && have_br >= 0; i++)
		if (fac_bridge(o->facs[i]))
			have_br = kread_table(q, NFPROTO_BRIDGE, NULL, NULL);
	if (have < 0 || have_br < 0) {
		kernel_error("reading tables");
		return EXIT_IO;
	}
	/* Read everything first: nothing is printed when a read fails. */
	for (i = 0; i < o->nfacs && rc == EXIT_OK; i++) {
		rc = stats_facility(q, m, o, o->facs[i], (fac_bridge(o->facs[i]) ? have_br : have) > 0, &f[i]);
		if (rc == EXIT_OK && have > 0 && !strcmp(o->facs[i], "filter") && fasttrack_row(q, o, &f[i]) < 0) {
			kernel_error("reading the flowtable and the connection table");
			rc = EXIT_IO;
		}
	}
	if (rc == EXIT_OK && o->json) {
		fputc('[', stdout);
		for (i = 0; i < o->nfacs; i++)
			print_stats_json(stdout, fac_family_name(f[i].fac, o->v6), f[i].fac, f[i].rows, f[i].n, i == 0);
		fputs("\n]\n", stdout);
	} else if (rc == EXIT_OK && o->prom) {
		/* Prometheus wants every sample of a metric together. */
		print_prom_header(stdout, "packets");
		for (i = 0; i < o->nfacs; i++)
			print_stats_prom(stdout, "packets", fac_family_name(f[i].fac, o->v6), f[i].fac, f[i].rows, f[i].n);
		print_prom_header(stdout, "bytes");
		for (i = 0; i < o->nfacs; i++)
			print_stats_prom(stdout, "bytes", fac_family_name(f[i].fac, o->v6), f[i].fac, f[i].rows, f[i].n);
	} else if (rc == EXIT_OK) {
		for (i = 0; i < o->nfacs; i++) {
			if (o->nfacs > 1 && fac_bridge(f[i].fac))
				printf("%s/interface bridge %s\n", i ? "\n" : "", f[i].fac + 7);
			else if (o->nfacs > 1)
				printf("%s/%s firewall %s\n", i ? "\n" : "", o->v6 ? "ipv6" : "ip", f[i].fac);
			print_stats_text(stdout, f[i].rows, f[i].n);
		}
	}
	for (i = 0; i < o->nfacs; i++)
		free(f[i].rows);
	return rc;
}

int print_metrics(FILE *out, struct nlsock *q, const struct applied *m)
{
	static const char *const facs[4] = { "filter", "nat", "mangle", "raw" };
	static const char *const brfacs[2] = { "bridge-filter", "bridge-nat" };
	struct fac_rows f[2][4] = { { { 0 } } }, br[2] = { { 0 } };
	int v6, rc = EXIT_OK, tables;
	size_t j, nbr = 0;
	char why[512];

	switch (applied_matches(m, q, &tables, why, sizeof(why))) {
	case -1:
		kernel_error("reading tables");
		return EXIT_IO;
	case 0:
		if (tables) {
			fprintf(stderr, "rosfw: %s\n", why);
			mismatch_say(m);
			return EXIT_CONFIG;
		}
	}

	/* Both families, every facility, read before anything is written:
	 * a scrape gets all the figures or an error. */
	for (v6 = 0; v6 < 2 && rc == EXIT_OK; v6++) {
		struct popts o = { .v6 = v6 };
		int have = kread_table(q, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, NULL, NULL);

		if (have < 0) {
			kernel_error("reading tables");
			rc = EXIT_IO;
		}
		for (j = 0; j < 4 && rc == EXIT_OK; j++)
			rc = stats_facility(q, m, &o, facs[j], have > 0, &f[v6][j]);
	}
	/* The bridge menus, when the configuration has rules there. */
	if (rc == EXIT_OK && model_count(m->m, MK_BRIDGE_FILTER) + model_count(m->m, MK_BRIDGE_NAT)) {
		struct popts o = { 0 };
		int have = kread_table(q, NFPROTO_BRIDGE, NULL, NULL);

		if (have < 0) {
			kernel_error("reading tables");
			rc = EXIT_IO;
		}
		for (; nbr < 2 && rc == EXIT_OK; nbr++)
			rc = stats_facility(q, m, &o, brfacs[nbr], have > 0, &br[nbr]);
	}
	if (rc == EXIT_OK) {
		print_prom_header(out, "packets");
		for (v6 = 0; v6 < 2; v6++)
			for (j = 0; j < 4; j++)
				print_stats_prom(out, "packets", v6 ? "ip6" : "ip", facs[j], f[v6][j].rows, f[v6][j].n);
		for (j = 0; j < nbr; j++)
			print_stats_prom(out, "packets", "bridge", brfacs[j], br[j].rows, br[j].n);
		print_prom_header(out, "bytes");
		for (v6 = 0; v6 < 2; v6++)
			for (j = 0; j < 4; j++)
				print_stats_prom(out, "bytes", v6 ? "ip6" : "ip", facs[j], f[v6][j].rows, f[v6][j].n);
		for (j = 0; j < nbr; j++)
			print_stats_prom(out, "bytes", "bridge", brfacs[j], br[j].rows, br[j].n);
	}
	for (v6 = 0; v6 < 2; v6++)
		for (j = 0; j < 4; j++)
			free(f[v6][j].rows);
	for (j = 0; j < 2; j++)
		free(br[j].rows);
	return rc;
}

/* ---- print address-list ------------------------------------------------- */

struct dset {
	char *name;
	uint32_t flags;
};

struct dsets {
	struct dset *v;
	size_t n;
};

static void set_add(void *ctx, const struct kread_set *ks)
{
	struct dsets *s = ctx;

	/* Sets rules add to, or whose entries time out (an interval set
	 * takes timeouts when the configuration has timed prefixes). */
	if (!kname_is_addrlist(ks->name) || !(ks->flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL)))
		return;
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n].name = xstrdup(ks->name);
	s->v[s->n].flags = ks->flags;
	s->n++;
}

/* An entry of the configuration: a single address, to tell a static
 * entry from a dynamic one the kernel holds in the same set; or a timed
 * prefix or range (by its first address), for its comment. */
struct skey {
	const char *list;
	uint8_t addr[16];
	const struct mitem *it;
	bool timed;
};

/* The keys by list and address, open addressing over indexes + 1: one
 * probe per kernel element, where a sort and binary search compared list
 * names at every step. */
struct skeys {
	struct skey *v;
	size_t n;
	uint32_t *slot;
	size_t mask;
};

static uint64_t skey_hash(uint64_t list_hash, const uint8_t *addr)
{
	uint64_t h = list_hash;
	int i;

	for (i = 0; i < 16; i++) {
		h ^= addr[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

static uint64_t list_hash(const char *list)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *list; list++) {
		h ^= (unsigned char)*list;
		h *= 0x100000001b3ull;
	}
	return h;
}

static void skeys_index(struct skeys *k)
{
	size_t cap = 16, i;

	while (cap < k->n * 2)
		cap *= 2;
	k->slot = xcalloc(cap, sizeof(*k->slot));
	k->mask = cap - 1;
	for (i = 0; i < k->n; i++) {
		size_t j = skey_hash(list_hash(k->v[i].list), k->v[i].addr) & k->mask;

		while (k->slot[j])
			j = (j + 1) & k->mask;
		k->slot[j] = (uint32_t)(i + 1);
	}
}

/* The first key of `list` (hashed: lh) at `addr`; NULL when none. */
static const struct skey *skeys_find(const struct skeys *k, const char *list, uint64_t lh, const uint8_t *addr)
{
	size_t j;

	if (!k->n)
		return NULL;
	for (j = skey_hash(lh, addr) & k->mask; k->slot[j]; j = (j + 1) & k->mask) {
		const struct skey *x = &k->v[k->slot[j] - 1];

		if (!memcmp(x->addr, addr, 16) && !strcmp(x->list, list))
			return x;
	}
	return NULL;
}

static void skeys_free(struct skeys *k)
{
	free(k->v);
	free(k->slot);
}

struct elems {
	const char *list;
	uint64_t list_hash;
	const struct skeys *keys, *rkeys;
	struct print_al_row *rows;
	char **strs;	/* owned strings of rows */
	size_t n, cap, nstrs, capstrs;
	char *block;	/* text_of's current block, `left` bytes free */
	size_t left;
	bool v6, interval;
	bool runtime;			/* an ar_ set: untimed entries are static */
	const char *set;		/* the kernel set being read */
	const struct dyn_state *saved;	/* rosfwd's, for creation times; NULL: none */
};

static struct print_al_row *row_new(struct elems *e)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->rows = xreallocarray(e->rows, e->cap, sizeof(*e->rows));
	}
	memset(&e->rows[e->n], 0, sizeof(e->rows[0]));
	return &e->rows[e->n++];
}

static char *own(struct elems *e, char *s)
{
	if (e->nstrs == e->capstrs) {
		e->capstrs = e->capstrs ? e->capstrs * 2 : 64;
		e->strs = xreallocarray(e->strs, e->capstrs, sizeof(*e->strs));
	}
	e->strs[e->nstrs++] = s;
	return s;
}

/* A copy of s[0..n) for a row, from 64 KB blocks: two allocations per
 * row were a tenth of the rows' cost. */
static const char *text_of(struct elems *e, const char *s, size_t n)
{
	char *p;

	if (e->left < n + 1) {
		e->left = n + 1 > 65536 ? n + 1 : 65536;
		e->block = own(e, xmalloc(e->left));
	}
	p = e->block;
	memcpy(p, s, n);
	p[n] = 0;
	e->block += n + 1;
	e->left -= n + 1;
	return p;
}

/* An address as inet_ntop writes it; IPv4 by hand: glibc formats it with
 * sprintf, which cost more than the rest of a row. */
static void addr_text(char *out, size_t size, const uint8_t *a, bool v6)
{
	char *p = out;
	int i;

	if (v6 || size < INET_ADDRSTRLEN) {
		inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, (socklen_t)size);
		return;
	}
	for (i = 0; i < 4; i++) {
		if (a[i] >= 100)
			*p++ = (char)('0' + a[i] / 100);
		if (a[i] >= 10)
			*p++ = (char)('0' + a[i] / 10 % 10);
		*p++ = (char)('0' + a[i] % 10);
		*p++ = i < 3 ? '.' : 0;
	}
}

/* [lo, hi] as a prefix when it is one, else as a range lo-hi. */
static void interval_text(char *out, size_t size, const uint8_t *lo, const uint8_t *hi, bool v6)
{
	size_t n = v6 ? 16 : 4, bits = n * 8, plen = bits, i;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	/* The longest run of trailing bits that are 0 in lo and 1 in hi. */
	for (i = bits; i > 0; i--) {
		size_t bit = i - 1;
		int l = (lo[bit / 8] >> (7 - bit % 8)) & 1, h = (hi[bit / 8] >> (7 - bit % 8)) & 1;

		if (l != 0 || h != 1)
			break;
		plen = bit;
	}
	for (i = 0; i < plen; i++)
		if (((lo[i / 8] ^ hi[i / 8]) >> (7 - i % 8)) & 1)
			break;
	addr_text(a, sizeof(a), lo, v6);
	if (i == plen && plen == bits) {
		snprintf(out, size, "%s", a);
	} else if (i == plen) {
		snprintf(out, size, "%s/%zu", a, plen);
	} else {
		addr_text(b, sizeof(b), hi, v6);
		snprintf(out, size, "%s-%s", a, b);
	}
}

/* When rosfwd first saw this entry, as RouterOS v7 prints it; NULL when
 * it has not seen it. */
static const char *creation_text(struct elems *e, const void *key, size_t len)
{
	struct dyn_entry want = { .family = e->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, .len = (uint8_t)len };
	const struct dyn_entry *hit;
	char buf[64];
	struct tm tm;
	time_t t;

	memcpy(want.key, key, len);
	want.set = dyn_set_id(e->set);
	hit = dyn_state_find(e->saved, &want, SIZE_MAX);
	if (!hit)
		return NULL;
	t = (time_t)(hit->created / 1000);
	if (!localtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
		return NULL;
	return text_of(e, buf, strlen(buf));
}

static const char *comment_of(struct elems *e, const struct kread_elem *x)
{
	return x->comment ? text_of(e, x->comment, x->comment_len) : NULL;
}

static void interval_row(void *ctx, const struct kread_range *rg)
{
	struct elems *e = ctx;
	const struct kread_elem *start = &rg->start;
	size_t n = e->v6 ? 16 : 4;
	char text[2 * INET6_ADDRSTRLEN + 2];
	uint8_t lo[16] = { 0 };
	const struct skey *rk;
	struct print_al_row *r;

	memcpy(lo, rg->lo, n);
	rk = skeys_find(e->rkeys, e->list, e->list_hash, lo);
	/* Untimed in the configuration's set: a static entry, printed from
	 * the configuration, unless the configuration timed it and the kernel
	 * did not take the timeout: then it is shown, with none. */
	if (!start->has_exp && !rk && !e->runtime)
		return;
	interval_text(text, sizeof(text), rg->lo, rg->hi, e->v6);
	r = row_new(e);
	/* An untimed run-time entry is static, as RouterOS makes an entry
	 * added without timeout=. */
	r->flag = e->runtime && !start->has_exp ? ' ' : 'D';
	r->list = e->list;
	r->address = text_of(e, text, strlen(text));
	r->has_timeout = start->has_exp;
	r->timeout_ms = start->exp_ms;
	r->comment = comment_of(e, start);
	if (rk && !r->comment) {
		const struct mprop *cm = mitem_prop(rk->it, P_COMMENT);

		r->comment = cm ? cm->value : NULL;
	}
	if (e->saved)
		r->creation = creation_text(e, rg->lo, n);
}

static void elem_row(void *ctx, const struct kread_elem *x)
{
	struct elems *e = ctx;
	uint8_t key[16] = { 0 };
	const struct skey *st;
	char buf[INET6_ADDRSTRLEN];
	struct print_al_row *r;

	if (!x->key || x->key_len != (e->v6 ? 16u : 4u))
		return;
	memcpy(key, x->key, x->key_len);
	st = skeys_find(e->keys, e->list, e->list_hash, key);
	/* An untimed element the configuration lists is a static entry,
	 * printed from the configuration. */
	if (st && !st->timed && !x->has_exp)
		return;
	addr_text(buf, sizeof(buf), x->key, e->v6);
	r = row_new(e);
	r->flag = 'D';
	r->list = e->list;
	r->address = text_of(e, buf, strlen(buf));
	r->comment = comment_of(e, x);
	if (st && !r->comment) {
		const struct mprop *cm = mitem_prop(st->it, P_COMMENT);

		r->comment = cm ? cm->value : NULL;
	}
	if (x->has_timeout && x->timeout_ms == LOWER_STATIC_TIMEOUT_MS) {
		/* none-static: static, for good */
		r->flag = ' ';
	} else if (x->has_exp) {
		r->has_timeout = true;
		r->timeout_ms = x->exp_ms;
	}
	if (e->saved)
		r->creation = creation_text(e, x->key, x->key_len);
}

/* One set's dump, on a socket of its own: the rows it gives, apart. */
struct set_job {
	struct elems e;
	const char *set;
	int family, err;
};

struct jobs {
	struct set_job *v;
	size_t n;
	atomic_size_t next;
};

static void job_run(struct set_job *j)
{
	struct nlsock q;

	if (!nlsock_open(&q)) {
		j->err = errno;
		return;
	}
	if (j->e.interval ? kread_ranges(&q, j->family, j->set, j->e.v6 ? 16 : 4, interval_row, &j->e) < 0
			  : kread_elems(&q, j->family, j->set, elem_row, &j->e) < 0)
		j->err = errno;
	nlsock_close(&q);
}

static void *worker(void *arg)
{
	struct jobs *js = arg;
	size_t i;

	while ((i = atomic_fetch_add(&js->next, 1)) < js->n)
		job_run(&js->v[i]);
	return NULL;
}

/*
 * The elements of every set of the lists asked for, into e's rows in the
 * sets' order. A set's dump costs the kernel O(n^2 / message) (it walks
 * the set again for every message), and sets are dumped on several cores
 * at once: a list's entries spread over several sets (a dynamic set holds
 * 65535) then cost the slowest set's time, not their sum.
 */
static int sets_read(struct elems *e, const struct dsets *sets, int family, const struct popts *o)
{
	struct jobs js = { .v = xcalloc(sets->n ? sets->n : 1, sizeof(*js.v)) };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t th[4];
	size_t i, nth = 0, k;
	int err = 0;

	for (i = 0; i < sets->n; i++) {
		struct set_job *j = &js.v[js.n];
		char list[300];

		kname_set_list(list, sizeof(list), sets->v[i].name);
		if (o->list && strcmp(o->list, list))
			continue;
		/* What every set shares; the rows and texts are the job's. */
		j->e = (struct elems){ .v6 = e->v6, .keys = e->keys, .rkeys = e->rkeys, .saved = e->saved };
		j->e.list = own(&j->e, xstrdup(list));
		j->e.list_hash = list_hash(j->e.list);
		j->e.set = j->set = sets->v[i].name;
		j->e.interval = sets->v[i].flags & NFT_SET_INTERVAL;
		j->e.runtime = kname_set_kind(sets->v[i].name) == KNAME_LIST_RT;
		j->family = family;
		/* Interned before the threads start: creation_text only looks. */
		dyn_set_id(j->set);
		js.n++;
	}
	while (nth < sizeof(th) / sizeof(th[0]) && nth + 1 < js.n && (long)nth + 1 < cpus &&
	       !pthread_create(&th[nth], NULL, worker, &js))
		nth++;
	worker(&js);
	for (k = 0; k < nth; k++)
		pthread_join(th[k], NULL);
	for (i = 0; i < js.n; i++) {
		struct elems *je = &js.v[i].e;

		if (js.v[i].err && !err)
			err = js.v[i].err;
		for (k = 0; k < je->n; k++)
			*row_new(e) = je->rows[k];
		for (k = 0; k < je->nstrs; k++)
			own(e, je->strs[k]);
		free(je->rows);
		free(je->strs);
	}
	free(js.v);
	errno = err;
	return err ? -1 : 0;
}

static int print_addrlist(struct nlsock *q, const struct applied *a, const struct popts *o)
{
	const struct model *m = a->m;
	enum menu_kind k = o->v6 ? MK_ADDRLIST6 : MK_ADDRLIST4;
	int family = o->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	size_t n = model_count(m, k), i;
	struct skeys keys = { .v = xcalloc(n + 1, sizeof(struct skey)) };
	struct skeys rkeys = { .v = xcalloc(n + 1, sizeof(struct skey)) };
	struct elems e = { 0 };
	struct dsets sets = { 0 };
	struct dyn_state saved;
	char why[256];
	int have, rc = EXIT_OK, st;
	long num = 0;

	e.v6 = o->v6;
	/* rosfwd need not run: without its file there are no creation times. */
	st = dyn_state_load(&saved, o->state, why, sizeof(why));
	if (st == 0)
		e.saved = &saved;
	else if (st == -2)
		fprintf(stderr, "rosfw: warning: %s: corrupt (%s): no creation times\n", o->state, why);
	else if (st == -1)
		fprintf(stderr, "rosfw: warning: %s: %s: no creation times\n", o->state, strerror(errno));
	/* Static entries (and disabled ones) from the configuration; an
	 * enabled entry with timeout= is dynamic on RouterOS and is shown
	 * from the kernel with the time it has left. */
	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);
		const struct mprop *addr = NULL, *cm = NULL, *to = NULL;
		const char *list = NULL;
		bool timed;
		struct value_addr va;
		struct print_al_row *r;
		size_t j;

		/* One pass over the item's properties, not a search for each. */
		for (j = 0; j < it->nprops; j++) {
			const struct mprop *p = &it->props[j];

			if (p->id == P_LIST)
				list = p->value;
			else if (p->id == P_ADDRESS)
				addr = p;
			else if (p->id == P_COMMENT)
				cm = p;
			else if (p->id == P_TIMEOUT)
				to = p;
		}
		timed = to != NULL;
		if (!list || !addr || (o->list && strcmp(o->list, list)))
			continue;
		if (!it->disabled && mprop_addr(addr, &va) && va.kind == VA_ADDR) {
			keys.v[keys.n].list = list;
			memcpy(keys.v[keys.n].addr, va.lo, 16);
			keys.v[keys.n].it = it;
			keys.v[keys.n].timed = timed;
			keys.n++;
		} else if (!it->disabled && timed && mprop_addr(addr, &va)) {
			rkeys.v[rkeys.n].list = list;
			memcpy(rkeys.v[rkeys.n].addr, va.lo, 16);
			rkeys.v[rkeys.n].it = it;
			rkeys.n++;
		}
		if (timed && !it->disabled)
			continue;
		r = row_new(&e);
		r->flag = it->disabled ? 'X' : ' ';
		r->list = list;
		r->address = addr->value;
		r->comment = cm ? cm->value : NULL;
		if (timed) {
			r->has_timeout = true;
			r->timeout_ms = to->v.u;
		}
	}
	skeys_index(&keys);
	skeys_index(&rkeys);
	e.keys = &keys;
	e.rkeys = &rkeys;
	have = kread_table(q, family, NULL, NULL);
	if (have < 0) {
		kernel_error("reading tables");
		rc = EXIT_IO;
		goto out;
	}
	if (have && kread_sets(q, family, set_add, &sets) < 0) {
		kernel_error("reading sets");
		rc = EXIT_IO;
		goto out;
	}
	if (sets_read(&e, &sets, family, o) < 0) {
		kernel_error("reading set elements");
		rc = EXIT_IO;
		goto out;
	}
	for (i = 0; i < e.n; i++)
		e.rows[i].num = num++;
	if (o->json)
		print_al_json(stdout, o->v6 ? "ip6" : "ip", e.rows, e.n);
	else
		print_al_text(stdout, e.rows, e.n);
out:
	for (i = 0; i < sets.n; i++)
		free(sets.v[i].name);
	free(sets.v);
	for (i = 0; i < e.nstrs; i++)
		free(e.strs[i]);
	free(e.strs);
	free(e.rows);
	skeys_free(&keys);
	skeys_free(&rkeys);
	dyn_state_free(&saved);
	return rc;
}

/* ---- commands ----------------------------------------------------------- */

/*
 * Is `a` what the kernel holds? EXIT_OK to go on; else said, and the exit
 * code. A FILE read against a kernel without rosfw's tables goes on (print
 * stats says "apply first" when it has rules); the record does not: after
 * a reboot it is the only one who thinks something is applied.
 */
static int applied_check(struct nlsock *q, const struct applied *a)
{
	char why[512];
	int tables;

	switch (applied_matches(a, q, &tables, why, sizeof(why))) {
	case -1:
		kernel_error("reading tables");
		return EXIT_IO;
	case 1:
		return EXIT_OK;
	}
	if (!tables && a->from_record) {
		fprintf(stderr,
			"rosfw: nothing is applied: the kernel has no rosfw table (after a reboot, until rosfw apply or rosfwd runs); %s is of the last apply before\n",
			a->origin);
		return EXIT_IO;
	}
	if (!tables)
		return EXIT_OK;
	fprintf(stderr, "rosfw: %s\n", why);
	mismatch_say(a);
	return EXIT_CONFIG;
}

int cmd_print(int argc, char **argv)
{
	struct popts o = { 0 };
	bool stats;
	int first, rc;
	struct applied *a = NULL;
	struct nlsock q;
	char why[600];

	if (argc < 2)
		return print_usage(stderr, EXIT_IO);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return print_usage(stdout, EXIT_OK);
	if (!strcmp(argv[1], "connection"))
		return print_connection(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stats"))
		stats = true;
	else if (!strcmp(argv[1], "address-list"))
		stats = false;
	else {
		fprintf(stderr, "rosfw: print stats, print address-list or print connection, not \"%s\"\n", argv[1]);
		return print_usage(stderr, EXIT_IO);
	}
	first = popts_parse(argc - 1, argv + 1, &o, stats, true);
	if (first < 0)
		return print_usage(stderr, EXIT_IO);
	first += 1;
	/* A FILE is read first, as every command reads one; without FILE the
	 * capability comes first: the record's directory is root's. */
	if (first < argc && !(a = applied_from_files(argv + first, argc - first, &o.ifo, &rc)))
		goto out;
	if (!nlsock_open(&q)) {
		kernel_error("netlink");
		applied_free(a);
		rc = EXIT_IO;
		goto out;
	}
	if (kread_table(&q, NFPROTO_IPV4, NULL, NULL) < 0) {
		kernel_error("reading tables");
		nlsock_close(&q);
		applied_free(a);
		rc = EXIT_IO;
		goto out;
	}
	if (first >= argc && !(a = applied_from_record(&rc, why, sizeof(why))))
		fprintf(stderr, "rosfw: %s; give the FILE... that was applied\n", why);
	if (a && (rc = applied_check(&q, a)) == EXIT_OK)
		rc = stats ? print_stats(&q, a, &o) : print_addrlist(&q, a, &o);
	nlsock_close(&q);
	applied_free(a);
out:
	config_ifopts_free(&o.ifo);
	return rc;
}

/* The counter objects of the facilities asked for: "c_FACILITY_...". */
struct resets {
	const char *facs[6];	/* as the kernel names them (brnat) */
	size_t nfacs;
	char **names;
	size_t n;
};

static void reset_list(void *ctx, const struct kread_obj *o)
{
	struct resets *r = ctx;
	size_t i;

	for (i = 0; i < r->nfacs; i++) {
		if (kname_counter_of(o->name, o->name_len, r->facs[i])) {
			r->names = xreallocarray(r->names, r->n + 1, sizeof(*r->names));
			r->names[r->n++] = xstrndup(o->name, o->name_len);
			break;
		}
	}
}

/* The counters of the facilities of one table (`bridge`: the bridge
 * menus', else the IP menus' of o->v6's family). */
static int reset_table(struct nlsock *q, const struct popts *o, bool bridge)
{
	struct resets r = { 0 };
	int family = bridge ? NFPROTO_BRIDGE : o->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, rc = EXIT_OK, have;
	size_t i;

	for (i = 0; i < o->nfacs; i++)
		if (fac_bridge(o->facs[i]) == bridge)
			r.facs[r.nfacs++] = bridge ? menu_kind_facility(fac_kind(o->facs[i], false)) : o->facs[i];
	if (!r.nfacs)
		return EXIT_OK;
	have = kread_table(q, family, NULL, NULL);
	if (have < 0) {
		kernel_error("reading tables");
		rc = EXIT_IO;
	}
	if (have > 0 && kread_objs(q, family, NFT_OBJECT_COUNTER, reset_list, &r) < 0) {
		kernel_error("reading counters");
		rc = EXIT_IO;
	}
	for (i = 0; i < r.n && rc == EXIT_OK; i++) {
		/* ENOENT: an apply removed it meanwhile, nothing to zero. */
		if (kread_counter_reset(q, family, r.names[i]) < 0 && errno != ENOENT) {
			kernel_error("resetting counters");
			rc = EXIT_IO;
		}
	}
	for (i = 0; i < r.n; i++)
		free(r.names[i]);
	free(r.names);
	return rc;
}

/*
 * Each RouterOS rule counts into a counter object of its own (named after
 * its facility and content), which a reset zeroes where it is: the rules
 * are not touched. Objects are reset one by one, the kernel answering each
 * request in turn.
 */
int cmd_reset_counters(int argc, char **argv)
{
	struct popts o = { 0 };
	struct nlsock q;
	int rc;

	if (popts_parse(argc, argv, &o, true, false) < 0 || o.json || o.prom)
		return print_usage(stderr, EXIT_IO);
	if (!nlsock_open(&q)) {
		kernel_error("netlink");
		return EXIT_IO;
	}
	rc = reset_table(&q, &o, false);
	if (rc == EXIT_OK)
		rc = reset_table(&q, &o, true);
	nlsock_close(&q);
	return rc;
}
