/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Menu commands inside a script: their values worked out in the command's
 * menu, then run through exec.c as a plain command is; what only a script
 * asks ([find], get, print count-only, an address list's duplicates,
 * interfaces by name, /import) answered here.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "model_impl.h"
#include "script_impl.h"
#include "script_run.h"
#include "xalloc.h"

/* ---- menu commands -------------------------------------------------------- */

/* An id [/interface find] gave: the index of the interface record, or of
 * the interface map's router name (PORT_ID), marked. */
#define IFACE_ID 0x80000000u
#define PORT_ID 0x40000000u

static void id_append(const struct model *m, struct sbuf *b, const struct sval *v)
{
	const struct miface *f;
	const char *const *ports;
	size_t n = model_ifaces(m, &f), np = model_ports(m, &ports);
	uint32_t i = v->t == SV_ID ? v->u.id & ~(IFACE_ID | PORT_ID) : 0;

	if (v->t == SV_ID && (v->u.id & IFACE_ID) && i < n)
		sbuf_puts(b, f[i].name);
	else if (v->t == SV_ID && (v->u.id & PORT_ID) && i < np)
		sbuf_puts(b, ports[i]);
	else
		sv_append(b, v);
}

static bool is_item_id(const struct sval *v)
{
	return v->t == SV_ID && !(v->u.id & (IFACE_ID | PORT_ID));
}

/* A value as a menu's property takes it: an array is its elements joined
 * by ',' (ports, lists), item ids are "*1f" (*ids: only they, a selector),
 * an interface is its name. */
static char *prop_text(const struct model *m, const struct sval *v, size_t *len, bool *ids)
{
	struct sbuf b = { 0 };
	size_t i;

	*ids = is_item_id(v) || v->t == SV_ARRAY;
	if (v->t != SV_ARRAY) {
		id_append(m, &b, v);
	} else {
		for (i = 0; i < v->u.a->n; i++) {
			if (i)
				sbuf_put(&b, ",", 1);
			id_append(m, &b, &v->u.a->v[i].v);
			*ids &= is_item_id(&v->u.a->v[i].v);
		}
	}
	if (!b.p)
		sbuf_put(&b, "", 0);
	*len = b.len;
	return b.p;
}

/* `!keepalive`: a verbose export's unset property (lexer.l's rule). */
static bool word_is_unset(const char *t, size_t n)
{
	size_t i;

	if (n < 2 || t[0] != '!' || !(t[1] >= 'a' && t[1] <= 'z'))
		return false;
	for (i = 2; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '-'))
			return false;
	return true;
}

/* The command's items as the parser would have made them of the values. */
struct built {
	struct ast_cmd cmd;
	struct ast_item *items;
	char **texts;
	size_t ntexts;
	struct built **sub;	/* the commands of [find ...] kept as brackets */
	size_t nsub;
};

static void built_free(struct built *b)
{
	size_t i;

	for (i = 0; i < b->ntexts; i++)
		free(b->texts[i]);
	for (i = 0; i < b->nsub; i++) {
		built_free(b->sub[i]);
		free(b->sub[i]);
	}
	free(b->sub);
	free(b->texts);
	free(b->items);
}

static enum sst build(struct run *r, const struct arg *a, size_t n, struct built *b);

/* An interface menu's `set [ find default-name=ether1 ] name=wan`: exec.c
 * reads the rename from the bracket itself (the router's own port, which
 * no [find] here can return), so it stays a bracket, its values worked
 * out. */
static bool iface_bracket(struct run *r, const struct arg *a, struct ast_item *it, struct built *b, enum sst *st)
{
	struct cur c = a->v, in;
	struct arg ia[16];
	struct built *nb;
	size_t ni = 0;

	*st = SST_OK;
	if (a->name || a->v.p >= a->v.end || *a->v.p != '[' || r->cwd->foreign ||
	    menu_kind(r->cwd->node) != MK_INTERFACE || !cur_skip_group(&c) || c.p != a->v.end)
		return false;
	in = a->v;
	cur_adv(&in, 1);
	in.end = a->v.end - 1;
	while (ni < sizeof(ia) / sizeof(ia[0]) && script_arg_scan(r, &in, &ia[ni], st))
		ni++;
	if (*st != SST_OK)
		return true;
	nb = xcalloc(1, sizeof(*nb));
	b->sub = xreallocarray(b->sub, b->nsub + 1, sizeof(*b->sub));
	b->sub[b->nsub++] = nb;
	if (ni && (*st = build(r, ia, ni, nb)) != SST_OK)
		return true;
	it->kind = IT_BRACKET;
	it->text = "";
	it->sub = ni ? &nb->cmd : NULL;
	it->loc = it->vloc = a->loc;
	return true;
}

static enum sst build(struct run *r, const struct arg *a, size_t n, struct built *b)
{
	size_t i, k = 0;
	enum sst st;
	bool renames = arg_named(a, n, "name") != NULL;

	memset(b, 0, sizeof(*b));
	b->items = xcalloc(n + 1, sizeof(*b->items));
	b->texts = xcalloc(n, sizeof(*b->texts));
	for (i = 0; i < n; i++) {
		struct ast_item *it = &b->items[k];
		struct sval v;
		bool ids;
		bool quoted = a[i].v.p < a[i].v.end && *a[i].v.p == '"';

		if (renames && iface_bracket(r, &a[i], it, b, &st)) {
			if (st != SST_OK)
				return st;
			k++;
			continue;
		}
		if (i == 0 && a[i].v.p < a[i].v.end && *a[i].v.p == '/' && !a[i].name) {
			it->kind = IT_SLASH;
			it->text = "/";
			it->len = 1;
			it->loc = it->vloc = a[i].loc;
			it->loc.last_col = it->loc.col;
			k++;
			it = &b->items[k];
			if (a[i].v.end - a[i].v.p == 1)
				continue;
			{
				struct cur c = a[i].v;

				cur_adv(&c, 1);
				if ((st = script_eval(r, c, VM_TEXT, &v)) != SST_OK)
					return st;
			}
		} else if ((st = script_eval(r, a[i].v, VM_TEXT, &v)) != SST_OK) {
			return st;
		}
		b->texts[b->ntexts] = prop_text(r->m, &v, &it->len, &ids);
		it->text = b->texts[b->ntexts++];
		sv_free(&v);
		it->loc = a[i].loc;
		it->vloc = a[i].vloc;
		if (a[i].name) {
			it->kind = IT_PROP;
			it->name = a[i].name;
			it->name_len = a[i].nlen;
			it->flags = (a[i].neg ? VF_NE : 0) | (a[i].op == '~' ? VF_REGEX : 0);
		} else {
			it->kind = quoted ? IT_STRING : IT_WORD;
			if (!quoted && word_is_unset(it->text, it->len))
				it->flags |= VF_UNSET;
		}
		if (ids)
			it->flags |= VF_IDS;
		if (quoted)
			it->flags |= VF_QUOTED;
		k++;
	}
	for (i = 0; i + 1 < k; i++)
		b->items[i].next = &b->items[i + 1];
	b->cmd.items = k ? b->items : NULL;
	b->cmd.nitems = k;
	b->cmd.loc = a[0].loc;
	b->cmd.loc.last_line = a[n - 1].loc.last_line;
	b->cmd.loc.last_col = a[n - 1].loc.last_col;
	return SST_OK;
}

static const struct ast_item *item_prop(const struct ast_item *it, const char *name)
{
	for (; it; it = it->next)
		if (it->kind == IT_PROP && text_eq(it->name, it->name_len, name))
			return it;
	return NULL;
}

/* ---- address-list duplicates --------------------------------------------- */

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* list and address as RouterOS tells entries apart (1.2.3.4 is 1.2.3.4/32). */
static char *dup_key(const char *list, size_t ln, const char *addr, size_t an)
{
	char *k;

	if (an > 3 && !memcmp(addr + an - 3, "/32", 3) && !memchr(addr, ':', an))
		an -= 3;
	else if (an > 4 && !memcmp(addr + an - 4, "/128", 4))
		an -= 4;
	k = xmalloc(ln + an + 2);
	memcpy(k, list, ln);
	k[ln] = '\n';
	memcpy(k + ln + 1, addr, an);
	k[ln + an + 1] = '\0';
	return k;
}

static bool dup_has(struct dupidx *x, const char *k, bool add)
{
	size_t i;

	if (add && (x->n + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024, j;
		char **old = x->slot;

		x->slot = xcalloc(cap, sizeof(*x->slot));
		for (j = 0; j < x->cap; j++) {
			if (!old[j])
				continue;
			for (i = hash(old[j], strlen(old[j])) & (cap - 1); x->slot[i]; i = (i + 1) & (cap - 1))
				;
			x->slot[i] = old[j];
		}
		free(old);
		x->cap = cap;
	}
	if (!x->cap)
		return false;
	for (i = hash(k, strlen(k)) & (x->cap - 1); x->slot[i]; i = (i + 1) & (x->cap - 1))
		if (!strcmp(x->slot[i], k))
			return true;
	if (add) {
		x->slot[i] = xstrdup(k);
		x->n++;
	}
	return false;
}

void script_dup_clear(struct dupidx *x)
{
	size_t i;

	for (i = 0; i < x->cap; i++)
		free(x->slot[i]);
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

static struct dupidx *dup_index(struct run *r, enum menu_kind k)
{
	struct dupidx *x = &r->S->dup[k == MK_ADDRLIST6];
	size_t i;

	if (x->valid && x->count == model_count(r->m, k) && x->gen == r->m->gen[k])
		return x;
	script_dup_clear(x);
	for (i = 0; i < model_count(r->m, k); i++) {
		const struct mitem *it = model_item(r->m, k, i);
		const char *l = mitem_value(it, k, P_LIST), *a = mitem_value(it, k, P_ADDRESS);
		char *key;

		if (!l || !a)
			continue;
		key = dup_key(l, strlen(l), a, strlen(a));
		dup_has(x, key, true);
		free(key);
	}
	x->valid = true;
	x->count = model_count(r->m, k);
	x->gen = r->m->gen[k];
	return x;
}

/* ---- queries: find, get, print ------------------------------------------- */

static enum sst query_find(struct run *r, enum menu_kind k, const struct walk *w, struct sval *out)
{
	struct sel s = { 0 };
	size_t i;

	if (!exec_find(r->m, k, w->args, &s)) {
		sel_free(&s);
		return SST_ERR;
	}
	*out = sv_array();
	for (i = 0; i < s.n; i++) {
		struct sval id = { .t = SV_ID };

		id.u.id = model_item(r->m, k, s.v[i])->id;
		sa_push(out->u.a, id);
	}
	sel_free(&s);
	return SST_OK;
}

static struct sval prop_sval(const struct mitem *it, enum menu_kind k, const struct prop_def *def)
{
	const char *v = mitem_value(it, k, def->id);

	return v ? sv_str(v, strlen(v)) : sv_nothing();
}

static enum sst query_get(struct run *r, enum menu_kind k, const struct walk *w, const struct loc *loc,
			  struct sval *out)
{
	const struct ast_item *sel = NULL, *name = NULL, *it;
	struct sel s = { 0 };
	char buf[96];
	const struct prop_def *def;
	const struct mitem *item;

	for (it = w->args; it; it = it->next) {
		if (it->kind == IT_PROP && text_eq(it->name, it->name_len, "number"))
			sel = it;
		else if (it->kind == IT_PROP && text_eq(it->name, it->name_len, "value-name"))
			name = it;
		else if (!sel && !menu_kind_is_settings(k))
			sel = it;
		else if (!name)
			name = it;
	}
	if (!menu_kind_is_settings(k) && !sel)
		return script_err(r, loc, "get needs an item: an id from [find], a number or a name");
	if (menu_kind_is_settings(k))
		sel_add(&s, 0);
	else if (!exec_select(r->m, k, sel, &s)) {
		sel_free(&s);
		return SST_ERR;
	}
	if (!s.n) {
		sel_free(&s);
		return script_err(r, loc, "get: no such item");
	}
	item = model_item(r->m, k, s.v[0]);
	sel_free(&s);
	if (!name) {
		size_t i;

		/* every property, as key=value */
		*out = sv_array();
		for (i = 0; i < item->nprops; i++) {
			const struct prop_def *d = prop_def(item->props[i].id);

			sa_set(out->u.a, d->name, strlen(d->name), sv_str(item->props[i].value, mprop_len(&item->props[i])));
		}
		sa_set(out->u.a, "disabled", 8, sv_bool(item->disabled));
		return SST_OK;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)name->len, name->text);
	if (!strcmp(buf, "disabled")) {
		*out = sv_bool(item->disabled);
		return SST_OK;
	}
	if (!strcmp(buf, ".id")) {
		out->t = SV_ID;
		out->u.id = item->id;
		return SST_OK;
	}
	if (!(def = prop_lookup(k, buf)))
		return script_err(r, &name->loc, "get: %s has no property \"%s\"", menu_kind_path(k), buf);
	*out = prop_sval(item, k, def);
	return SST_OK;
}

static enum sst query_print(struct run *r, enum menu_kind k, const struct walk *w, struct sval *out)
{
	struct ast_item *args = NULL, **tail = &args, *copy;
	const struct ast_item *it;
	bool count = false, as_value = false;
	struct sel s = { 0 };
	enum sst st = SST_OK;
	size_t i, j, n = 0;

	for (it = w->args; it; it = it->next)
		n++;
	copy = xcalloc(n ? n : 1, sizeof(*copy));
	for (it = w->args, i = 0; it; it = it->next) {
		if (it->kind == IT_WORD && text_eq(it->text, it->len, "count-only")) {
			count = true;
		} else if (it->kind == IT_WORD && text_eq(it->text, it->len, "as-value")) {
			as_value = true;
		} else if (it->kind == IT_WORD && (text_eq(it->text, it->len, "terse") || text_eq(it->text, it->len, "detail"))) {
			continue;
		} else {
			copy[i] = *it;
			copy[i].next = NULL;
			*tail = &copy[i];
			tail = &copy[i].next;
			i++;
		}
	}
	if (!count && !as_value) {
		free(copy);
		return SST_OK;	/* print shows; nothing changes */
	}
	if (!exec_find(r->m, k, args, &s))
		st = SST_ERR;
	else if (count)
		*out = sv_num((int64_t)s.n);
	else {
		*out = sv_array();
		for (i = 0; i < s.n; i++) {
			const struct mitem *item = model_item(r->m, k, s.v[i]);
			struct sval e = sv_array(), id = { .t = SV_ID };

			id.u.id = item->id;
			sa_set(e.u.a, ".id", 3, id);
			for (j = 0; j < item->nprops; j++) {
				const struct prop_def *d = prop_def(item->props[j].id);

				sa_set(e.u.a, d->name, strlen(d->name),
				       sv_str(item->props[j].value, mprop_len(&item->props[j])));
			}
			sa_push(out->u.a, e);
		}
	}
	sel_free(&s);
	free(copy);
	return st;
}

/* ---- interfaces ------------------------------------------------------------ */

/* Whether record i still names an interface: no later record renamed it
 * or took its name. */
static bool iface_live(const struct miface *f, size_t n, size_t i)
{
	size_t j;

	for (j = i + 1; j < n; j++)
		if ((f[j].old_name && !strcmp(f[j].old_name, f[i].name)) || !strcmp(f[j].name, f[i].name))
			return false;
	return true;
}

/*
 * [/interface find], [/interface ethernet find default-name=ether1]: the
 * interfaces the configuration has made or renamed up to here; rosfw knows
 * no other (the router's own ports are the interface map's, at lowering).
 */
/* A router name of the interface map, in menu `path`: the map does not
 * say an interface's type, its name does (ether1, sfp1, wlan1 as RouterOS
 * names its ports). */
static bool port_in(const char *path, bool all, const char *port)
{
	static const struct {
		const char *menu, *prefix;
	} kinds[] = {
		{ "/interface ethernet", "ether" }, { "/interface ethernet", "sfp" },
		{ "/interface ethernet", "combo" }, { "/interface ethernet", "qsfp" },
		{ "/interface wireless", "wlan" },  { "/interface wifi", "wifi" },
	};
	size_t i;

	for (i = 0; !all && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(path, kinds[i].menu) && !strncmp(port, kinds[i].prefix, strlen(kinds[i].prefix)))
			return true;
	return all;
}

/* The configuration made or renamed it: its record answers. */
static bool port_shadowed(const struct miface *f, size_t n, const char *port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].name, port) || (f[i].old_name && !strcmp(f[i].old_name, port)))
			return true;
	return false;
}

static enum sst query_iface_find(struct run *r, const struct walk *w, struct sval *out)
{
	const struct miface *f;
	const char *const *ports;
	size_t n = model_ifaces(r->m, &f), np = model_ports(r->m, &ports), i;
	const struct ast_item *it, *name = NULL, *dflt = NULL, *re_item = NULL;
	char path[160];
	regex_t re;
	bool all;

	menu_path(w->at.node, path, sizeof(path));
	all = !strcmp(path, "/interface");
	for (it = w->args; it; it = it->next) {
		if (it->kind == IT_WORD && (text_eq(it->text, it->len, "where") || text_eq(it->text, it->len, "and")))
			continue;
		if (it->kind == IT_PROP && !(it->flags & VF_NE) && text_eq(it->name, it->name_len, "name") &&
		    (it->flags & VF_REGEX) && !re_item)
			re_item = it;
		else if (it->kind == IT_PROP && !(it->flags & (VF_NE | VF_REGEX)) && text_eq(it->name, it->name_len, "name"))
			name = it;
		else if (it->kind == IT_PROP && !(it->flags & (VF_NE | VF_REGEX)) &&
			 text_eq(it->name, it->name_len, "default-name"))
			dflt = it;
		else
			return script_fatal(r, &it->loc, "find in %s: rosfw knows interfaces by name (=, ~) and default-name= only; the rest needs the router",
					    path);
	}
	if (re_item) {
		char *p = xstrndup(re_item->text, re_item->len);
		int rc = regcomp(&re, p, REG_EXTENDED | REG_NOSUB);

		free(p);
		if (rc)
			return script_err(r, &re_item->vloc, "find: invalid regular expression");
	}
	*out = sv_array();
	for (i = 0; i < n; i++) {
		struct sval id = { .t = SV_ID };

		if ((!all && strcmp(f[i].menu, path)) || !iface_live(f, n, i))
			continue;
		if (name && !text_eq(name->text, name->len, f[i].name))
			continue;
		if (re_item && regexec(&re, f[i].name, 0, NULL, 0))
			continue;
		if (dflt && !(f[i].by_default_name && f[i].old_name && text_eq(dflt->text, dflt->len, f[i].old_name)))
			continue;
		id.u.id = IFACE_ID | (uint32_t)i;
		sa_push(out->u.a, id);
	}
	for (i = 0; i < np; i++) {
		struct sval id = { .t = SV_ID };

		if (!port_in(path, all, ports[i]) || port_shadowed(f, n, ports[i]))
			continue;
		if ((name && !text_eq(name->text, name->len, ports[i])) || (dflt && !text_eq(dflt->text, dflt->len, ports[i])))
			continue;
		if (re_item && regexec(&re, ports[i], 0, NULL, 0))
			continue;
		id.u.id = PORT_ID | (uint32_t)i;
		sa_push(out->u.a, id);
	}
	if (re_item)
		regfree(&re);
	/* "which ports has this router?" (the default configuration waits
	 * for them in a loop): only the router, or the map, can say */
	if (!name && !dflt && !re_item && !out->u.a->n && !all) {
		sv_free(out);
		return script_fatal(r, &w->verb_loc, "find in %s needs the router's hardware: neither the configuration nor the interface map names any of its interfaces",
				    path);
	}
	return SST_OK;
}

static enum sst query_iface_get(struct run *r, const struct walk *w, const struct loc *loc, struct sval *out)
{
	const struct miface *f;
	size_t n = model_ifaces(r->m, &f), i;
	const struct ast_item *sel = w->args, *prop = sel ? sel->next : NULL;

	if (!sel || !prop)
		return script_err(r, loc, "get needs an interface and a property");
	for (i = n; i-- > 0;)
		if (text_eq(sel->text, sel->len, f[i].name) && iface_live(f, n, i))
			break;
	if (i == (size_t)-1) {
		const char *const *ports;
		size_t np = model_ports(r->m, &ports), j;

		for (j = 0; j < np && !text_eq(sel->text, sel->len, ports[j]); j++)
			;
		if (j == np)
			return script_fatal(r, &sel->loc, "get: rosfw knows no interface \"%.*s\" (only those the configuration makes or renames, and the interface map's)",
					    (int)sel->len, sel->text);
		if (text_eq(prop->text, prop->len, "name") || text_eq(prop->text, prop->len, "default-name")) {
			*out = sv_str(ports[j], strlen(ports[j]));
			return SST_OK;
		}
		return script_fatal(r, &prop->loc, "get: rosfw knows an interface's name and default-name only; %.*s needs the router",
				    (int)prop->len, prop->text);
	}
	if (text_eq(prop->text, prop->len, "name"))
		*out = sv_str(f[i].name, strlen(f[i].name));
	else if (text_eq(prop->text, prop->len, "default-name") && f[i].by_default_name && f[i].old_name)
		*out = sv_str(f[i].old_name, strlen(f[i].old_name));
	else
		return script_fatal(r, &prop->loc, "get: rosfw knows an interface's name and default-name only; %.*s needs the router",
				    (int)prop->len, prop->text);
	return SST_OK;
}

/* ---- /import -------------------------------------------------------------- */

static enum sst run_import(struct run *r, const struct walk *w, const struct loc *loc)
{
	const struct ast_item *f = NULL, *it;
	const char *from = diag_source_name(r->m->d, loc->file), *slash = strrchr(from, '/');
	char *path;
	FILE *fp;
	struct sbuf b = { 0 };
	char chunk[65536];
	size_t n, i;
	uint32_t file;
	struct cwd saved = r->m->cwd;
	struct scope saved_file = r->S->file;
	struct stat sb;
	int fd;

	for (it = w->args; it; it = it->next)
		if (!f || (it->kind == IT_PROP && text_eq(it->name, it->name_len, "file-name")))
			f = it;
	if (!f || !f->len)
		return script_err(r, loc, "import needs a file name");
	/* FILE is read beside the importing file: the router reads it from
	 * its own disk, where the importing script sat too. */
	if (f->text[0] == '/' || !slash)
		path = xstrndup(f->text, f->len);
	else {
		path = xmalloc((size_t)(slash - from) + f->len + 2);
		snprintf(path, (size_t)(slash - from) + f->len + 2, "%.*s/%.*s", (int)(slash - from), from, (int)f->len,
			 f->text);
	}
	for (i = 0; i < r->S->nimported; i++) {
		if (!strcmp(r->S->imported[i], path)) {
			diag_warning(r->m->d, loc, "%s was imported before: rosfw runs each imported file once", path);
			free(path);
			return SST_OK;
		}
	}
	if (r->S->imports >= 16) {
		free(path);
		return script_fatal(r, loc, "imports nested too deep");
	}
	/* Only a file: a fifo or a device (/dev/zero) might never end, and
	 * opening a fifo must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode) || !(fp = fdopen(fd, "rb"))) {
		int e = fd < 0 ? errno : S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		enum sst st;

		if (fd >= 0)
			close(fd);
		st = script_err(r, loc, "import: %s: %s (rosfw reads FILE beside the importing file)", path,
				e == EINVAL ? "not a regular file" : strerror(e));
		free(path);
		return st;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sbuf_put(&b, chunk, n);
	fclose(fp);
	r->S->imported = xreallocarray(r->S->imported, r->S->nimported + 1, sizeof(*r->S->imported));
	r->S->imported[r->S->nimported++] = path;
	file = diag_add_source_copy(r->m->d, path, b.p ? b.p : "", b.len);
	sbuf_free(&b);
	{
		const char *buf;
		size_t len = 0;

		buf = diag_source_at(r->m->d, file, 1, 1, &len);
		memset(&r->S->file.vars, 0, sizeof(r->S->file.vars));
		r->S->imports++;
		model_run(r->m, file, buf ? buf : "", buf ? len : 0);
		r->S->imports--;
		script_vars_free(&r->S->file.vars);
		r->S->file = saved_file;
		r->m->cwd = saved;
	}
	return SST_OK;
}

/* ---- statements ----------------------------------------------------------- */

static bool path_is(const struct walk *w, const char *path)
{
	char p[160];

	if (w->at.foreign)
		snprintf(p, sizeof(p), "%s", w->at.path);
	else
		menu_path(w->at.node, p, sizeof(p));
	return !strncmp(p, path, strlen(path));
}

/* Refusals of what needs the router or the network. */
static bool needs_router(struct run *r, const struct walk *w, const struct loc *loc, enum sst *st)
{
	static const struct {
		const char *path, *why;
		bool asking;	/* refused only for what asks: get, find, print */
	} refused[] = {
		{ "/tool fetch", "it downloads from the network when the script runs; download the file and give it to rosfw", false },
		{ "/system script environment", "it reads the router's running scripts", false },
		{ "/system routerboard", "it asks the router's hardware", true },
		{ "/system resource", "it asks the router's hardware", true },
		{ "/system identity", "it asks the router", true },
		{ "/system clock", "it asks the router's clock", true },
	};
	size_t i;
	bool asking = w->verb && (w->verb_id == V_GET || w->verb_id == V_FIND || w->verb_id == V_PRINT);

	if (w->verb && w->verb_id == V_RUN && path_is(w, "/system script")) {
		*st = script_fatal(r, loc, "/system script run needs the router: it runs a script stored on the router (give that script to rosfw as a file of its own)");
		return true;
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (path_is(w, refused[i].path) && (!refused[i].asking || asking) && !(r->quiet && refused[i].asking)) {
			*st = script_fatal(r, loc, "%s needs the router: %s", refused[i].path, refused[i].why);
			return true;
		}
	}
	return false;
}

static bool plain_word(const struct arg *a)
{
	const char *p;

	for (p = a->v.p; p < a->v.end; p++)
		if (strchr("$[(\"{\\", *p))
			return false;
	return a->v.p < a->v.end;
}

/* The menu a command's values run in: `remove [find ...]` finds in the
 * command's menu, as on RouterOS. */
static struct cwd eval_cwd(struct run *r, const struct arg *a, size_t n)
{
	struct diag_mark mk = diag_mark(r->m->d);
	struct cwd at = *r->cwd;
	struct built pb;
	struct walk w;
	size_t np = 0;

	while (np < n && !a[np].name && plain_word(&a[np]))
		np++;
	if (!np || np == n)
		return at;
	if (build(r, a, np, &pb) == SST_OK && pb.cmd.items && exec_walk(r->m, &pb.cmd, r->cwd, &w))
		at = w.at;
	built_free(&pb);
	diag_rollback(r->m->d, &mk);
	return at;
}

enum sst script_menu_cmd(struct run *r, const struct arg *a, size_t n, struct sval *out)
{
	struct built b;
	struct walk w;
	enum sst st;
	enum menu_kind k;
	unsigned errors;
	const struct arg *block = NULL;
	char *dkey = NULL;
	struct dupidx *dx = NULL;

	if (n > 1 && !a[n - 1].name && a[n - 1].v.p < a[n - 1].v.end && *a[n - 1].v.p == '{') {
		block = &a[n - 1];
		n--;
	}
	{
		struct cwd ecwd = eval_cwd(r, a, n), *saved = r->cwd;
		bool quiet = r->quiet;

		r->cwd = &ecwd;
		r->quiet |= ecwd.foreign;
		st = build(r, a, n, &b);
		r->cwd = saved;
		r->quiet = quiet;
	}
	if (st != SST_OK) {
		built_free(&b);
		return st;
	}
	errors = diag_errors(r->m->d);
	if (!b.cmd.items || !exec_walk(r->m, &b.cmd, r->cwd, &w)) {
		built_free(&b);
		return b.cmd.items ? SST_ERR : SST_OK;
	}
	k = menu_kind(w.at.node);
	if (r->quiet && w.at.foreign) {
		/* inside a command rosfw passes over */
		built_free(&b);
		return SST_OK;
	}
	if (needs_router(r, &w, &a[0].loc, &st)) {
		built_free(&b);
		return st;
	}
	if (block) {
		/* /ip firewall filter { add ...; add ... } */
		struct run inner = *r;
		struct cwd at = w.at;
		struct cur c;
		struct scope sc = { .up = r->sc };
		struct sval v = sv_nothing();
		struct ast_cmd none = { .loc = a[0].loc };

		built_free(&b);
		if (w.verb || w.args)
			return script_err(r, &block->loc, "a block {...} after a command");
		if (w.at.foreign)
			exec_walked(r->m, &none, &w, &at);
		c = block->v;
		cur_adv(&c, 1);
		c.end = block->v.end - 1;
		inner.cwd = &at;
		inner.sc = &sc;
		if ((st = script_enter(r, &block->loc)) == SST_OK) {
			st = script_run_stmts(&inner, c, &v);
			script_leave(r);
		}
		if (st == SST_RET)
			r->ret = inner.ret;
		script_scope_end(&sc);
		sv_free(&v);
		return st;
	}
	if (w.verb && !w.at.foreign && k != MK_NONE && k != MK_INTERFACE &&
	    (w.verb_id == V_FIND || w.verb_id == V_GET || w.verb_id == V_PRINT)) {
		st = w.verb_id == V_FIND ? query_find(r, k, &w, out) :
		     w.verb_id == V_GET ? query_get(r, k, &w, &a[0].loc, out) : query_print(r, k, &w, out);
		if (st == SST_ERR && r->stack)
			script_stack_note(r, &a[0].loc);
		built_free(&b);
		return st;
	}
	if (w.verb && !w.at.foreign && k == MK_INTERFACE && (w.verb_id == V_FIND || w.verb_id == V_GET)) {
		st = w.verb_id == V_FIND ? query_iface_find(r, &w, out) : query_iface_get(r, &w, &a[0].loc, out);
		built_free(&b);
		return st;
	}
	if (w.verb && (w.verb_id == V_FIND || w.verb_id == V_GET) && r->quiet) {
		built_free(&b);
		return SST_OK;
	}
	if (w.verb && (w.verb_id == V_FIND || w.verb_id == V_GET)) {
		char p[160];

		if (w.at.foreign)
			snprintf(p, sizeof(p), "%s", w.at.path);
		else
			menu_path(w.at.node, p, sizeof(p));
		built_free(&b);
		return script_fatal(r, &w.verb_loc, "%s in %s needs the router: rosfw does not keep that menu's items",
				    menu_verb_name(w.verb_id), p);
	}
	if (w.verb && w.verb_id == V_IMPORT) {
		st = run_import(r, &w, &a[0].loc);
		built_free(&b);
		return st;
	}
	if (w.verb && w.verb_id == V_ADD && (k == MK_ADDRLIST4 || k == MK_ADDRLIST6) && !w.at.foreign) {
		const struct ast_item *l = item_prop(w.args, "list"), *ad = item_prop(w.args, "address");

		if (l && ad && ad->len && l->len) {
			dx = dup_index(r, k);
			dkey = dup_key(l->text, l->len, ad->text, ad->len);
			if (dup_has(dx, dkey, false)) {
				st = script_err(r, &b.cmd.loc, "failure: already have such entry (%.*s in address list %.*s)",
						(int)ad->len, ad->text, (int)l->len, l->text);
				free(dkey);
				built_free(&b);
				return st;
			}
		}
	}
	{
		size_t before = k != MK_NONE ? model_count(r->m, k) : 0;
		uint32_t next = r->m->next_id;

		exec_walked(r->m, &b.cmd, &w, r->cwd);
		if (diag_errors(r->m->d) > errors) {
			if (r->stack)
				script_stack_note(r, &a[0].loc);
			free(dkey);
			built_free(&b);
			return SST_ERR;
		}
		if (dkey) {
			dup_has(dx, dkey, true);
			dx->count = model_count(r->m, k);
		}
		if (w.verb && w.verb_id == V_ADD && k != MK_NONE && model_count(r->m, k) > before &&
		    r->m->next_id > next) {
			sv_free(out);
			out->t = SV_ID;
			out->u.id = r->m->next_id;
		}
	}
	free(dkey);
	built_free(&b);
	return SST_OK;
}
