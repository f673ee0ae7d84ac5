/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs a parsed script against the model the way RouterOS would run it from
 * an empty firewall: menu paths, verbs, selectors and properties.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "model_impl.h"
#include "script_run.h"
#include "text.h"
#include "value.h"
#include "xalloc.h"

static void cmd_run(struct model *m, const struct ast_cmd *c, struct cwd *cwd);

static bool is_firewall_node(const struct menu_node *n)
{
	const struct menu_node *p;

	for (p = n; p; p = menu_parent(p)) {
		char path[64];

		menu_path(p, path, sizeof(path));
		if (!strcmp(path, "/ip firewall") || !strcmp(path, "/ipv6 firewall"))
			return true;
	}
	return false;
}

/* Menus whose children rosfw knows completely: an unknown word below them
 * is a typo, not a menu rosfw passes over. */
static bool node_is_closed(const struct menu_node *n)
{
	enum menu_kind k = menu_kind(n);

	return is_firewall_node(n) || k == MK_IFLIST || k == MK_IFLIST_MEMBER || k == MK_IP_SERVICE;
}

/*
 * Menus rosfw passes over whose items are firewall rules all the same: a
 * note would let a pipeline pass a file whose filtering is not there.
 * Counted at each add and said once at the end, as a warning.
 */
static const struct {
	const char *path;
	const char *noun;	/* one item, and its plural with an 's' */
	const char *what;	/* what not applying them does to traffic */
} untranslated_menus[MODEL_UNTRANSLATED] = {
	{ "/ip hotspot", "hotspot server",
	  "the hotspot's dynamic chains (pre-hotspot, hs-unauth, hs-auth, ...) are not made: clients reach the network without logging in (opens)" },
	{ "/ip hotspot walled-garden", "rule", "they are exceptions to a hotspot login that rosfw does not apply either" },
	{ "/ip hotspot walled-garden ip", "rule", "they are exceptions to a hotspot login that rosfw does not apply either" },
};

static int untranslated_menu(const struct cwd *at)
{
	int i;

	for (i = 0; at->foreign && i < MODEL_UNTRANSLATED; i++)
		if (!strcmp(at->path, untranslated_menus[i].path))
			return i;
	return -1;
}

static void untranslated_count(struct model *m, const struct walk *w, const struct loc *loc)
{
	int i = untranslated_menu(&w->at);
	const struct ast_item *a;
	struct untranslated *u;

	if (i < 0 || w->verb_id != V_ADD)
		return;
	u = &m->untranslated[i];
	if (!u->n++)
		u->first = *loc;
	for (a = w->args; a; a = a->next)
		if (a->kind == IT_PROP && text_eq(a->name, a->name_len, "disabled") && text_eq(a->text, a->len, "yes"))
			u->disabled++;
}

void model_untranslated_report(struct model *m)
{
	int i;

	for (i = 0; i < MODEL_UNTRANSLATED; i++) {
		const struct untranslated *u = &m->untranslated[i];
		char dis[48] = "";

		if (!u->n)
			continue;
		if (u->disabled)
			snprintf(dis, sizeof(dis), " (%zu of them disabled)", u->disabled);
		diag_warning(m->d, &u->first, "%s holds %zu %s%s%s that rosfw does not translate; not applied: %s",
			     untranslated_menus[i].path, u->n, untranslated_menus[i].noun, u->n == 1 ? "" : "s", dis,
			     untranslated_menus[i].what);
	}
}

static void note_foreign(struct model *m, const struct cwd *at, const struct loc *loc)
{
	if (untranslated_menu(at) >= 0)
		return;	/* said as a warning at the end, with the count */
	if (!model_noted(m, at->path))
		diag_note(m->d, loc, "%s is not part of the firewall; rosfw passes it over", at->path);
}

/*
 * `/interface bridge settings set use-ip-firewall=yes` sends the packets a
 * RouterOS bridge forwards between its ports through the IP firewall.
 * Linux does that only with br_netfilter, which rosfw does not load (its
 * IP tables would then see bridged frames too, in ways RouterOS's rules
 * were not written for): the setting is passed over, which opens.
 */
static void bridge_ip_firewall(struct model *m, const struct walk *w)
{
	const struct ast_item *a;

	if (strcmp(w->at.path, "/interface bridge settings") || w->verb_id != V_SET)
		return;
	for (a = w->args; a; a = a->next) {
		if (a->kind != IT_PROP || !text_eq(a->text, a->len, "yes"))
			continue;
		if (text_eq(a->name, a->name_len, "use-ip-firewall") ||
		    text_eq(a->name, a->name_len, "use-ip-firewall-for-vlan") ||
		    text_eq(a->name, a->name_len, "use-ip-firewall-for-pppoe"))
			diag_warning(m->d, &a->loc,
				     "%.*s=yes is not applied: on Linux the packets a bridge forwards between its ports pass no IP firewall rule (no br_netfilter), so what the IP rules in forward, prerouting and postrouting drop between bridge ports passes (opens); /interface bridge filter rules do see them",
				     (int)a->name_len, a->name);
	}
}

static bool walk_seg(struct model *m, struct walk *w, const char *s, size_t n, const struct loc *loc)
{
	const struct menu_node *ch;
	struct cwd *at = &w->at;
	char path[128];

	if (n == 2 && !memcmp(s, "..", 2)) {
		if (at->foreign) {
			char *sp = strrchr(at->path, ' ');

			if (sp && sp > at->path)
				*sp = '\0';
			else
				at->foreign = false;
			return true;
		}
		if (menu_parent(at->node))
			at->node = menu_parent(at->node);
		return true;
	}
	if (!at->foreign && (ch = menu_child(at->node, s, n))) {
		at->node = ch;
		return true;
	}
	/* Abbreviations only where rosfw knows every child of the menu. */
	if (!at->foreign && node_is_closed(at->node) && (ch = menu_child_prefix(at->node, s, n))) {
		at->node = ch;
		return true;
	}
	if (at->foreign) {
		size_t l = strlen(at->path);

		snprintf(at->path + l, sizeof(at->path) - l, " %.*s", (int)n, s);
		return true;
	}
	menu_path(at->node, path, sizeof(path));
	if (!menu_parent(at->node)) {
		const char *closest;

		if (!menu_is_root_name(s, n, &closest)) {
			if (closest)
				diag_error(m->d, loc, "unknown menu or command \"%.*s\"; did you mean \"/%s\"?", (int)n, s, closest);
			else
				diag_error(m->d, loc, "\"%.*s\" is not a RouterOS menu or command", (int)n, s);
			w->failed = true;
			return false;
		}
	}
	if (node_is_closed(at->node)) {
		diag_error(m->d, loc, "unknown menu or command \"%.*s\" in %s", (int)n, s, path);
		w->failed = true;
		return false;
	}
	/* firewall is the only child of /ip and /ipv6 that starts with 'f', so
	 * RouterOS reads any prefix of it as firewall; a misspelling would
	 * otherwise pass over a whole firewall as a foreign menu. */
	if ((!strcmp(path, "/ip") || !strcmp(path, "/ipv6")) && n >= 2 && n < 8 &&
	    !memcmp(s, "firewall", n)) {
		at->node = menu_child(at->node, "firewall", 8);
		return true;
	}
	if ((!strcmp(path, "/ip") || !strcmp(path, "/ipv6")) &&
	    text_distance(s, n, "firewall", 8, 2) <= 2) {
		diag_error(m->d, loc, "unknown menu \"%.*s\" in %s; did you mean \"firewall\"?", (int)n, s, path);
		w->failed = true;
		return false;
	}
	at->foreign = true;
	snprintf(at->path, sizeof(at->path), "%s%s%.*s", path, strcmp(path, "/") ? " " : "", (int)n, s);
	return true;
}

/* The verb a path word spells, if it is one: RouterOS takes unambiguous
 * abbreviations (`rem` for remove) as well as whole names. */
static enum verb seg_verb(const struct cwd *at, const char *s, size_t n)
{
	if (!at->foreign && menu_child(at->node, s, n))
		return V_NONE;
	/* One letter is too little to tell a verb from a menu rosfw does not know. */
	if (n < 2 && !menu_is_verb(s, n))
		return V_NONE;
	return menu_verb_prefix(s, n);
}

/* Split leading words into menu path and verb; v7 writes the path with '/'
 * (`/ip/firewall/filter/add`), v6 with spaces. */
static void walk_path(struct model *m, struct walk *w, const struct ast_item *it)
{
	for (; it && it->kind == IT_WORD && !(it->flags & VF_VAR); it = it->next) {
		const char *s = it->text, *end = it->text + it->len;
		enum verb verb;

		while (s < end) {
			const char *e = memchr(s, '/', (size_t)(end - s));
			size_t n = e ? (size_t)(e - s) : (size_t)(end - s);
			struct loc l = it->loc;

			if (it->flags & VF_EXACT) {
				l.col = it->loc.col + (uint32_t)(s - it->text);
				l.last_col = l.col + (uint32_t)(n ? n - 1 : 0);
			}
			if (n && (verb = seg_verb(&w->at, s, n)) != V_NONE) {
				if (e) {
					diag_error(m->d, &l, "\"%.*s\" is a command, not a menu", (int)n, s);
					w->failed = true;
					return;
				}
				w->verb_id = verb;
				w->verb = menu_verb_name(verb);
				w->verb_len = strlen(w->verb);
				w->verb_loc = l;
				w->args = it->next;
				return;
			}
			if (n && !walk_seg(m, w, s, n, &l))
				return;
			s += n + 1;
		}
	}
	w->args = it;
}

static bool verb_is(const struct walk *w, enum verb v)
{
	return w->verb && w->verb_id == v;
}

/* name as written: RouterOS takes both `:put` and `put`. */
static void script_refuse(struct model *m, const char *name, size_t len, const struct loc *loc)
{
	static const char *const harmless[] = { "log", "put", "delay", "beep" };
	size_t i, c = len && name[0] == ':';

	for (i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++) {
		if (text_eq(name + c, len - c, harmless[i])) {
			diag_warning(m->d, loc, "scripting command %.*s has no effect on the firewall; ignored",
				     (int)len, name);
			return;
		}
	}
	diag_error(m->d, loc,
		   "RouterOS scripting is not supported: %.*s (rosfw reads a configuration, it does not run scripts)",
		   (int)len, name);
}

/*
 * RouterOS runs its scripting commands without the ':' too (`do { } on-error={ }`,
 * `if (...) do={ }`, `global x`), and setup scripts write them so. Read as a
 * menu, such a command would be passed over with everything inside it, so the
 * word is scripting wherever no menu or command of the current menu has that
 * name. The second list are root commands only: below the root they may be a
 * menu's own command (`/log error`).
 */
static bool word_is_script(const struct cwd *at, const char *s, size_t n)
{
	static const char *const anywhere[] = {
		"delay", "do", "for", "foreach", "global", "if", "local", "put", "while",
	};
	static const char *const at_root[] = {
		"beep", "error", "execute", "len", "nothing", "parse", "pick", "resolve", "return", "time",
	};
	bool root = !at->foreign && !menu_parent(at->node);
	size_t i;

	if (!at->foreign && (menu_child(at->node, s, n) || menu_is_verb(s, n)))
		return false;
	for (i = 0; i < sizeof(anywhere) / sizeof(anywhere[0]); i++)
		if (text_eq(s, n, anywhere[i]))
			return true;
	for (i = 0; root && i < sizeof(at_root) / sizeof(at_root[0]); i++)
		if (text_eq(s, n, at_root[i]))
			return true;
	return false;
}

bool exec_word_is_script(const struct cwd *at, const char *s, size_t n)
{
	return word_is_script(at, s, n);
}

/* Where in the source a part of a value is, for the caret. */
static struct loc value_loc(const struct ast_item *it, size_t off, size_t len)
{
	struct loc l = it->vloc;

	if ((it->flags & VF_EXACT) && it->vloc.line == it->vloc.last_line) {
		uint32_t base = it->vloc.col + ((it->flags & VF_QUOTED) ? 1 : 0);

		l.col = base + (uint32_t)off;
		l.last_col = l.col + (uint32_t)(len ? len - 1 : 0);
		l.last_line = l.line;
	}
	return l;
}

/* Values must be text: `$var`, `[...]` and `(...)` are scripting. */
static bool value_is_text(struct model *m, const struct ast_item *p)
{
	if (p->group) {
		diag_error(m->d, &p->group->loc,
			   "%s as a value is RouterOS scripting, not supported: write the value itself",
			   p->group->kind == IT_BRACKET ? "command substitution [...]" :
			   p->group->kind == IT_PAREN ? "an expression (...)" : "a block {...}");
		return false;
	}
	if (p->flags & VF_VAR) {
		const char *d = memchr(p->text, '$', p->len);
		size_t off = d ? (size_t)(d - p->text) : 0;
		struct loc l = value_loc(p, off, 1);

		diag_error(m->d, &l, "$variables are RouterOS scripting, not supported: write the value itself (or \\$ for a literal $)");
		return false;
	}
	return true;
}

static const struct prop_def *prop_resolve(struct model *m, enum menu_kind k, const struct ast_item *p)
{
	char name[96];
	const struct prop_def *def;
	const char *hint;

	if (p->name_len >= sizeof(name)) {
		diag_error(m->d, &p->loc, "unknown property \"%.40s...\" for %s", p->name, menu_kind_path(k));
		return NULL;
	}
	def = prop_lookup_n(k, p->name, p->name_len);
	if (def)
		return def;
	memcpy(name, p->name, p->name_len);
	name[p->name_len] = '\0';
	hint = prop_suggest(k, name);
	{
		struct loc l = p->loc;

		l.last_line = l.line;
		l.last_col = l.col + (uint32_t)p->name_len - 1;
		if (hint)
			diag_error(m->d, &l, "unknown property \"%s\" for %s; did you mean \"%s\"?", name,
				   menu_kind_path(k), hint);
		else
			diag_error(m->d, &l, "unknown property \"%s\" for %s", name, menu_kind_path(k));
	}
	return NULL;
}

/* ---- selectors ---------------------------------------------------------- */

struct cond {
	const char *name;
	size_t name_len;
	const struct prop_def *def;	/* NULL for the flags (disabled, dynamic ...) */
	const char *value;
	size_t value_len;
	bool neg, flag, regex;
	regex_t re;
};

static bool flag_value(const struct mitem *it, const char *name, size_t n, const char **v)
{
	if (text_eq(name, n, "disabled"))
		*v = it->disabled ? "yes" : "no";
	else if (text_eq(name, n, "dynamic") || text_eq(name, n, "invalid"))
		*v = "no";
	else if (text_eq(name, n, "builtin") || text_eq(name, n, "default"))
		*v = it->builtin ? "yes" : "no";
	else
		return false;
	return true;
}

static bool yes(const char *v)
{
	return !strcmp(v, "yes") || !strcmp(v, "true");
}

static bool cond_match(enum menu_kind k, const struct cond *c, const struct mitem *it)
{
	const char *v = NULL;
	bool r;

	if (!flag_value(it, c->name, c->name_len, &v))
		v = c->def ? mitem_value(it, k, c->def->id) : NULL;
	if (c->flag) {
		r = v && yes(v);
	} else if (c->regex) {
		r = v && !regexec(&c->re, v, 0, NULL, 0);
	} else if (flag_value(it, c->name, c->name_len, &v)) {
		r = (yes(v) == (text_eq(c->value, c->value_len, "yes") || text_eq(c->value, c->value_len, "true")));
	} else {
		r = v ? text_eq(c->value, c->value_len, v) : c->value_len == 0;
	}
	return c->neg ? !r : r;
}

/* The condition's property, or a flag; an error when it is neither. */
static bool cond_known(struct model *m, enum menu_kind k, struct cond *c, const struct loc *loc)
{
	const char *v, *name = c->name;
	size_t n = c->name_len;
	char buf[96];
	static const struct mitem probe;

	if (flag_value(&probe, name, n, &v))
		return true;
	if (n >= sizeof(buf) || !memcpy(buf, name, n))
		return false;
	buf[n] = '\0';
	if ((c->def = prop_lookup(k, buf)))
		return true;
	diag_error(m->d, loc, "find: %s has no property \"%s\"", menu_kind_path(k), buf);
	return false;
}

/* [find], [find where a=b c~"re" !disabled], [find comment="x"], [find dynamic] */
static bool find_eval(struct model *m, enum menu_kind k, const struct ast_item *args, struct sel *out)
{
	struct cond conds[16];
	size_t nc = 0, i, j;
	bool ok = true;
	const struct ast_item *a;

	for (a = args; a && ok; a = a->next) {
		struct cond *c = &conds[nc];

		memset(c, 0, sizeof(*c));
		if (a->kind == IT_WORD && (text_eq(a->text, a->len, "where") || text_eq(a->text, a->len, "and")))
			continue;
		if (nc == sizeof(conds) / sizeof(conds[0])) {
			diag_error(m->d, &a->loc, "find: too many conditions (at most 16)");
			ok = false;
			break;
		}
		if (a->kind == IT_WORD && !(a->flags & VF_VAR) &&
		    !text_eq(a->text, a->len, "or") && !text_eq(a->text, a->len, "not")) {
			c->neg = a->text[0] == '!';
			c->flag = true;
			c->name = a->text + c->neg;
			c->name_len = a->len - c->neg;
			ok = cond_known(m, k, c, &a->loc);
			nc += ok;
			continue;
		}
		if (a->flags & VF_VAR) {
			diag_error(m->d, &a->loc, "$variables are RouterOS scripting, not supported");
			ok = false;
			break;
		}
		if (a->kind == IT_PROP && !a->group) {
			c->name = a->name;
			c->name_len = a->name_len;
			c->value = a->text;
			c->value_len = a->len;
			c->neg = a->flags & VF_NE;
			c->regex = a->flags & VF_REGEX;
			if (!cond_known(m, k, c, &a->loc)) {
				ok = false;
				break;
			}
			if (c->regex) {
				char *re = strndup(a->text, a->len);
				int rc = re ? regcomp(&c->re, re, REG_EXTENDED | REG_NOSUB) : REG_ESPACE;

				free(re);
				if (rc) {
					diag_error(m->d, &a->vloc, "find: invalid regular expression");
					ok = false;
					break;
				}
			}
			nc++;
			continue;
		}
		diag_error(m->d, &a->loc,
			   "find: only conditions joined by \"and\" are supported (prop=value, prop~regex, prop!=value, flag, !flag)");
		ok = false;
	}
	if (ok) {
		for (i = 0; i < model_count(m, k); i++) {
			const struct mitem *it = model_item(m, k, i);

			for (j = 0; j < nc && cond_match(k, &conds[j], it); j++)
				;
			if (j == nc)
				sel_add(out, i);
		}
	}
	for (j = 0; j < nc; j++)
		if (conds[j].regex)
			regfree(&conds[j].re);
	return ok;
}

bool exec_find(struct model *m, enum menu_kind k, const struct ast_item *args, struct sel *out)
{
	return find_eval(m, k, args, out);
}

static bool sel_bracket(struct model *m, enum menu_kind k, const struct ast_item *g, struct sel *out)
{
	struct walk w = { 0 };
	const struct ast_cmd *sub = g->sub;
	const struct ast_item *it;

	if (!sub || !sub->items) {
		diag_error(m->d, &g->loc, "expected [find ...]");
		return false;
	}
	it = sub->items;
	w.at.node = menu_root();
	w.at.foreign = false;
	/* Without a path, find runs in the menu of the command around it. */
	if (it->kind == IT_SLASH) {
		walk_path(m, &w, it->next);
		if (w.failed)
			return false;
		if (w.at.foreign || menu_kind(w.at.node) != k) {
			diag_error(m->d, &g->loc, "find must search the menu of the command (%s)", menu_kind_path(k));
			return false;
		}
	} else {
		w.verb = it->kind == IT_WORD ? it->text : NULL;
		w.verb_len = it->len;
		w.args = it->next;
	}
	if (!w.verb || !text_eq(w.verb, w.verb_len, "find")) {
		diag_error(m->d, &g->loc, "only [find ...] can select items; other commands in brackets are RouterOS scripting");
		return false;
	}
	return find_eval(m, k, w.args, out);
}

static bool parse_index(const char *s, size_t n, size_t *v)
{
	size_t i, r = 0;

	if (!n || n > 9)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		r = r * 10 + (size_t)(s[i] - '0');
	}
	*v = r;
	return true;
}

static bool sel_numbers(struct model *m, enum menu_kind k, const struct ast_item *it, struct sel *out)
{
	const char *s = it->text, *end = it->text + it->len;
	size_t count = model_count(m, k);

	while (s <= end) {
		const char *e = memchr(s, ',', (size_t)(end - s));
		size_t n = e ? (size_t)(e - s) : (size_t)(end - s);
		const char *dash = memchr(s, '-', n);
		size_t a, b;
		struct loc l = value_loc(it, (size_t)(s - it->text), n);

		if (!(dash ? parse_index(s, (size_t)(dash - s), &a) &&
				     parse_index(dash + 1, n - (size_t)(dash - s) - 1, &b)
			   : parse_index(s, n, &a))) {
			diag_error(m->d, &l, "expected an item number, a list of numbers or [find ...], got \"%.*s\"",
				   (int)n, s);
			return false;
		}
		if (!dash)
			b = a;
		if (a > b || b >= count) {
			diag_error(m->d, &l, "no item number %zu in %s: it has %zu item%s at this point of the script",
				   b >= count ? b : a, menu_kind_path(k), count, count == 1 ? "" : "s");
			return false;
		}
		for (; a <= b; a++)
			sel_add(out, a);
		if (!e)
			break;
		s = e + 1;
	}
	return true;
}

static bool sel_name_n(struct model *m, enum menu_kind k, const char *name, size_t len, struct sel *out)
{
	size_t i;

	for (i = 0; i < model_count(m, k); i++) {
		const char *v = mitem_value(model_item(m, k, i), k, P_NAME);

		if (v && text_eq(name, len, v)) {
			sel_add(out, i);
			return true;
		}
	}
	return false;
}

/* A name, or a comma list of them (`disable telnet,ftp`), as RouterOS
 * takes them wherever it takes item numbers. */
static bool sel_name(struct model *m, enum menu_kind k, const struct ast_item *it, struct sel *out)
{
	const char *s = it->text, *end = it->text + it->len, *e;

	if (sel_name_n(m, k, it->text, it->len, out))
		return true;
	for (; memchr(it->text, ',', it->len) && s <= end; s = e + 1) {
		e = memchr(s, ',', (size_t)(end - s));
		if (!e)
			e = end;
		if (!sel_name_n(m, k, s, (size_t)(e - s), out)) {
			struct loc l = value_loc(it, (size_t)(s - it->text), (size_t)(e - s));

			diag_error(m->d, &l, "no item named \"%.*s\" in %s", (int)(e - s), s, menu_kind_path(k));
			return false;
		}
		if (e == end)
			return true;
	}
	diag_error(m->d, &it->loc, "no item named \"%.*s\" in %s", (int)it->len, it->text, menu_kind_path(k));
	return false;
}

static int id_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* `:foreach i in=[find] do={ set $i ... }` names one item at a time, in
 * the menu's order: where the last one was found, or the next, is tried
 * before the pass over the menu (which made such a loop quadratic: 40,000
 * entries took 5.7 s). The hint is checked against the item's id, so a
 * stale one only costs the pass. */
static bool ids_hint(struct model *m, enum menu_kind k, uint32_t id, struct sel *out)
{
	static _Thread_local size_t hint[MK__COUNT];	/* no lock: one per thread */
	size_t i, n = model_count(m, k);

	for (i = hint[k]; i < n && i <= hint[k] + 1; i++) {
		if (model_item(m, k, i)->id == id) {
			hint[k] = i;
			sel_add(out, i);
			return true;
		}
	}
	for (i = 0; i < n; i++) {
		if (model_item(m, k, i)->id == id) {
			hint[k] = i;
			sel_add(out, i);
			return true;
		}
	}
	return false;
}

/* The ids a script's [find] gave ("*1f,*20"): the items as they are now,
 * in one pass over the menu (`remove $ids` of a 100k-entry list). */
static bool sel_ids(struct model *m, enum menu_kind k, const struct ast_item *it, struct sel *out)
{
	const char *s = it->text, *end = it->text + it->len;
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0, found = 0, i;

	while (s < end) {
		char *e;

		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		ids[n++] = (uint32_t)strtoul(s + 1, &e, 16);
		if (e == s + 1)
			break;	/* not an id ("*" alone): no item has it */
		s = e + (e < end && *e == ',');
	}
	if (n == 1 && ids_hint(m, k, ids[0], out)) {
		free(ids);
		return true;
	}
	if (n)
		qsort(ids, n, sizeof(*ids), id_cmp);
	for (i = 0; n && i < model_count(m, k); i++) {
		uint32_t id = model_item(m, k, i)->id;

		if (bsearch(&id, ids, n, sizeof(*ids), id_cmp)) {
			sel_add(out, i);
			found++;
		}
	}
	for (i = 1; i < n; i++)
		found += ids[i] == ids[i - 1];
	free(ids);
	if (found < n) {
		diag_error(m->d, &it->loc, "no such item in %s (it was removed, or the id is another menu's)",
			   menu_kind_path(k));
		return false;
	}
	return true;
}

/* One selector: numbers, a name (named menus), or [find ...]. */
static bool sel_resolve(struct model *m, enum menu_kind k, const struct ast_item *it, struct sel *out)
{
	bool ok;

	if (it->kind == IT_PROP && it->group)
		it = it->group;
	if (it->flags & VF_IDS)
		ok = sel_ids(m, k, it, out);
	else if (it->kind == IT_BRACKET)
		ok = sel_bracket(m, k, it, out);
	else if ((it->kind == IT_WORD || it->kind == IT_PROP || it->kind == IT_STRING) && it->len &&
		 it->text[0] == '*') {
		diag_error(m->d, &it->loc, "internal item IDs (%.*s) depend on the router they came from; select with numbers or [find ...]",
			   (int)it->len, it->text);
		ok = false;
	} else if ((it->kind == IT_WORD || it->kind == IT_PROP) && it->len && it->text[0] >= '0' &&
		   it->text[0] <= '9')
		ok = sel_numbers(m, k, it, out);
	else if ((it->kind == IT_WORD || it->kind == IT_STRING || it->kind == IT_PROP) && menu_kind_is_named(k))
		ok = sel_name(m, k, it, out);
	else {
		diag_error(m->d, &it->loc, "expected item numbers or [find ...]");
		ok = false;
	}
	sel_normalize(out);
	return ok;
}

bool exec_select(struct model *m, enum menu_kind k, const struct ast_item *it, struct sel *out)
{
	return sel_resolve(m, k, it, out);
}

/* ---- verbs -------------------------------------------------------------- */

/* The arguments of a verb, sorted into the selector and the properties. */
struct args {
	const struct ast_item *sel;	/* positional selector or numbers= */
	const struct ast_item *dest;	/* move: second positional or destination= */
	const struct ast_item *props[128];
	size_t nprops;
	const struct ast_item *words[16];	/* unset: property names */
	size_t nwords;
	const struct ast_item *unset[128];	/* add, set: !name, unset in a verbose export */
	size_t nunset;
	const struct ast_item *stray;	/* interface menus: the first argument passed over */
};

/* Exports write some yes/no properties as a bare word: `/routing table add
 * name=x fib`, `/ip route add blackhole ...`. */
static bool flag_word(enum menu_kind k, const struct ast_item *it)
{
	if (k == MK_ROUTING_TABLE)
		return text_eq(it->text, it->len, "fib");
	if (k == MK_ROUTE4 || k == MK_ROUTE6)
		return text_eq(it->text, it->len, "blackhole");
	return false;
}

/* The word as the property it stands for, word=yes. */
static const struct ast_item *flag_prop(struct model *m, const struct ast_item *it)
{
	struct ast_item *p = arena_alloc(m->arena, sizeof(*p));

	*p = *it;
	p->kind = IT_PROP;
	p->next = NULL;
	p->name = it->text;
	p->name_len = it->len;
	p->text = "yes";
	p->len = 3;
	p->flags = VF_EXACT;
	return p;
}

static bool args_split(struct model *m, const struct walk *w, struct args *a)
{
	const struct ast_item *it;

	/* The arrays are filled up to their counts; clearing them would cost
	 * more than the rest of a short command. */
	a->sel = a->dest = a->stray = NULL;
	a->nprops = a->nwords = a->nunset = 0;
	for (it = w->args; it; it = it->next) {
		if (it->kind == IT_PROP && text_eq(it->name, it->name_len, "numbers") && !(it->flags & (VF_NE | VF_REGEX))) {
			a->sel = it;
		} else if (it->kind == IT_PROP && text_eq(it->name, it->name_len, "destination") && verb_is(w, V_MOVE)) {
			a->dest = it;
		} else if (it->kind == IT_PROP) {
			if (a->nprops == sizeof(a->props) / sizeof(a->props[0])) {
				diag_error(m->d, &it->loc, "too many properties in one command");
				return false;
			}
			a->props[a->nprops++] = it;
		} else if ((it->flags & VF_UNSET) && (verb_is(w, V_ADD) || verb_is(w, V_SET))) {
			if (a->nunset == sizeof(a->unset) / sizeof(a->unset[0])) {
				diag_error(m->d, &it->loc, "too many properties in one command");
				return false;
			}
			a->unset[a->nunset++] = it;
		} else if (it->kind == IT_SCRIPT) {
			script_refuse(m, it->text, it->len, &it->loc);
			return false;
		} else if (it->kind == IT_PAREN || (it->flags & VF_VAR)) {
			diag_error(m->d, &it->loc, "%s is RouterOS scripting, not supported",
				   it->kind == IT_PAREN ? "an expression (...)" : "a $variable");
			return false;
		} else if (it->kind == IT_WORD && verb_is(w, V_ADD) && flag_word(menu_kind(w->at.node), it) &&
			   a->nprops < sizeof(a->props) / sizeof(a->props[0])) {
			a->props[a->nprops++] = flag_prop(m, it);
		} else if (!a->sel && (it->kind == IT_BRACKET || it->kind == IT_WORD || it->kind == IT_STRING) &&
			   !verb_is(w, V_ADD)) {
			a->sel = it;
		} else if (verb_is(w, V_MOVE) && !a->dest && it->kind != IT_BLOCK) {
			a->dest = it;
		} else if (verb_is(w, V_UNSET) && it->kind == IT_WORD && a->nwords < 16) {
			a->words[a->nwords++] = it;
		} else if (menu_kind(w->at.node) == MK_INTERFACE) {
			/* rosfw reads only the names there: whatever else a
			 * command of an interface menu holds is passed over
			 * (verb_run: unless it sets a name) */
			if (!a->stray)
				a->stray = it;
		} else {
			diag_error(m->d, &it->loc, "unexpected %s after %.*s",
				   it->kind == IT_BLOCK ? "block" : "argument", (int)w->verb_len, w->verb);
			return false;
		}
	}
	return true;
}

/* Set each property of a command on an item; false if any was refused. */
/* The last of the command's properties after the i-th that has its name,
 * or NULL: RouterOS uses only that one. */
static const struct ast_item *prop_last(const struct args *a, size_t i)
{
	const struct ast_item *p = a->props[i], *last = NULL;
	size_t j;

	for (j = i + 1; j < a->nprops; j++)
		if (a->props[j]->name_len == p->name_len && !memcmp(a->props[j]->name, p->name, p->name_len))
			last = a->props[j];
	return last;
}

/* A hand edit that gives a property twice is usually a mistake: say, at
 * the one dropped, which one counts (its value when short and printable,
 * always where it is). */
static void prop_overridden(struct model *m, const struct prop_def *def, const struct ast_item *p,
			    const struct ast_item *last)
{
	bool show = last->len <= 40;
	size_t k;

	for (k = 0; show && k < last->len; k++)
		show = isprint((unsigned char)last->text[k]);
	if (show)
		diag_warning(m->d, &p->loc,
			     "%s is given more than once; the last one counts: %s=%.*s at line %u, column %u, "
			     "and this one is not used", def->name, def->name, (int)last->len, last->text,
			     (unsigned)last->loc.line, (unsigned)last->loc.col);
	else
		diag_warning(m->d, &p->loc,
			     "%s is given more than once; the last one counts: the one at line %u, column %u, "
			     "and this one is not used", def->name, (unsigned)last->loc.line, (unsigned)last->loc.col);
}

static bool props_apply(struct model *m, enum menu_kind k, struct mitem **itp, const struct args *a,
			const char *verb)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < a->nprops; i++) {
		const struct ast_item *p = a->props[i], *last;
		const struct prop_def *def;
		struct pvalue pv;
		struct verr e;

		if (p->flags & (VF_NE | VF_REGEX)) {
			diag_error(m->d, &p->loc, "expected name=value");
			ok = false;
			continue;
		}
		if (!(def = prop_resolve(m, k, p))) {
			ok = false;
			continue;
		}
		if ((def->flags & PF_ADD_ONLY) && strcmp(verb, "add")) {
			diag_error(m->d, &p->loc, "%s can only be given to add", def->name);
			ok = false;
			continue;
		}
		if (def->flags & PF_ADD_ONLY)
			continue;	/* place-before, copy-from: handled by add */
		if ((last = prop_last(a, i))) {
			prop_overridden(m, def, p, last);
			continue;
		}
		/* tested here first: value_is_text() is only for the refusals */
		if ((p->group || (p->flags & VF_VAR)) && !value_is_text(m, p)) {
			ok = false;
			continue;
		}
		e.off = e.len = 0;
		e.msg[0] = '\0';
		if (!value_parse(def, k, p->text, p->len, &pv, m->arena, &e)) {
			struct loc l = value_loc(p, e.off, e.len);

			diag_error(m->d, &l, "invalid %s: %s", def->name, e.msg);
			ok = false;
			continue;
		}
		if (k == MK_IP_SERVICE && service_prop_refused(def->id, &pv)) {
			diag_error(m->d, def->id == P_NAME ? &p->loc : &p->vloc, "%s", service_prop_refused(def->id, &pv));
			ok = false;
			continue;
		}
		if (def->id == P_DISABLED) {
			(*itp)->disabled = pv.v.u;
			continue;
		}
		*itp = item_set(m, *itp, def, p->text, p->len, &pv, &p->vloc);
	}
	return ok;
}

/* `add ... !to-ports`: the property is unset, which on add is the same as
 * not naming it; set takes it away, as `unset` would. A name the menu does
 * not have is the error an unknown name=value is. */
static bool unset_apply(struct model *m, enum menu_kind k, struct mitem *it, const struct args *a, bool on_set)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < a->nunset; i++) {
		struct ast_item q = *a->unset[i];
		const struct prop_def *def;

		q.name = q.text + 1;
		q.name_len = q.len - 1;
		q.loc.col++;
		if (!(def = prop_resolve(m, k, &q))) {
			ok = false;
			continue;
		}
		if (!on_set || (def->flags & PF_ADD_ONLY))
			continue;
		if (def->id == P_DISABLED)
			it->disabled = false;
		else
			item_unset(it, def->id);
	}
	return ok;
}

static const struct ast_item *arg_prop_n(const struct args *a, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < a->nprops; i++)
		if (a->props[i]->name_len == n && !memcmp(a->props[i]->name, name, n))
			return a->props[i];
	return NULL;
}

/* The property named by a string literal, or NULL. */
#define arg_prop(a, lit) arg_prop_n((a), (lit), sizeof(lit) - 1)

/* place-before and copy-from name one existing item. */
static bool sel_one(struct model *m, enum menu_kind k, const struct ast_item *p, size_t *at)
{
	struct sel s = { 0 };
	bool ok;

	if (p->group) {
		ok = sel_resolve(m, k, p->group, &s);
	} else if (!value_is_text(m, p)) {
		ok = false;
	} else {
		ok = sel_resolve(m, k, p, &s);
	}
	if (ok && s.n == 0) {
		diag_error(m->d, &p->vloc, "%.*s selects no item", (int)p->name_len, p->name);
		ok = false;
	}
	if (ok)
		*at = s.v[0];
	sel_free(&s);
	return ok;
}

static void iface_from(struct model *m, const struct walk *w, const struct args *a, const struct loc *loc)
{
	const struct ast_item *name = arg_prop(a, "name");
	const struct ast_item *old = NULL;
	bool by_default = false;
	char path[128], *n, *o;

	if (!name)
		return;
	/* name=$v read as the literal "$v" would leave every rule on the
	 * interface matching nothing: scripting, refused as elsewhere. */
	if (!value_is_text(m, name) || memchr(name->text, '\0', name->len))
		return;
	/* `set [ find default-name=ether1 ] name=wan` renames a port. */
	if (a->sel) {
		const struct ast_item *s = a->sel->kind == IT_PROP && a->sel->group ? a->sel->group : a->sel;
		const struct ast_item *c;

		if (s->kind == IT_BRACKET && s->sub) {
			for (c = s->sub->items; c; c = c->next) {
				if (c->kind == IT_PROP &&
				    (text_eq(c->name, c->name_len, "default-name") || text_eq(c->name, c->name_len, "name"))) {
					if (!value_is_text(m, c))
						return;
					by_default = text_eq(c->name, c->name_len, "default-name");
					old = c;
				}
			}
		} else if (s->kind == IT_WORD || s->kind == IT_STRING) {
			old = s;
		}
		if (!old)
			return;
		/* `set *2 name=lan1`: the id of the router's own port list. */
		if (old->kind == IT_WORD && old->len > 1 && old->text[0] == '*') {
			diag_warning(m->d, &old->loc,
				     "%.*s is the router's internal id of an interface; rosfw cannot tell which port it is: \"%.*s\" is read as an interface of its own, and its rules match the server interface the interface map gives that name (write `set [ find default-name=etherN ] name=%.*s` to say which port)",
				     (int)old->len, old->text, (int)name->len, name->text, (int)name->len, name->text);
			old = NULL;
		}
	}
	/* Whole names, however long: a cut one would name another interface. */
	n = xstrndup(name->text, name->len);
	o = old ? xstrndup(old->text, old->len) : NULL;
	menu_path(w->at.node, path, sizeof(path));
	iface_record(m, path, n, o, by_default, loc);
	free(n);
	free(o);
}

/* A live router keeps a member whose interface or list was removed, and
 * exports it without interface= or list=, or with the id of the deleted
 * object (`interface=*9`): it puts no interface in any list, so skipping it
 * changes nothing. A member with neither is no export's: an error. */
static bool member_is_dead(struct model *m, const struct mitem *it, const struct loc *loc)
{
	const struct mprop *f = mitem_prop(it, P_INTERFACE), *l = mitem_prop(it, P_LIST);
	const struct mprop *gone = f && name_is_deleted_id(f->value, mprop_len(f)) ? f :
				   l && name_is_deleted_id(l->value, mprop_len(l)) ? l : NULL;

	if (!f && !l)
		return false;
	if (!f)
		diag_warning(m->d, loc, "member of interface list \"%.*s\" without interface= (RouterOS leaves one when its interface is removed): it puts no interface in the list; skipped",
			     (int)mprop_len(l), l->value);
	else if (!l)
		diag_warning(m->d, loc, "interface list member \"%.*s\" without list= (RouterOS leaves one when its list is removed): it puts the interface in no list; skipped",
			     (int)mprop_len(f), f->value);
	else if (gone)
		diag_warning(m->d, &gone->loc, "interface list member %s=%.*s: the router had deleted this object (RouterOS exports it as %.*s): the member puts no interface in a list; skipped",
			     prop_def(gone->id)->name, (int)mprop_len(gone), gone->value, (int)mprop_len(gone), gone->value);
	return !f || !l || gone;
}

static void verb_add(struct model *m, enum menu_kind k, const struct args *a, const struct ast_cmd *c)
{
	const struct ast_item *pb = arg_prop(a, "place-before");
	const struct ast_item *cf = arg_prop(a, "copy-from");
	struct mitem *it;
	size_t at = model_count(m, k), from, i;
	unsigned errors = diag_errors(m->d);
	bool ok;

	if (menu_kind_is_settings(k)) {
		diag_error(m->d, &c->loc, "%s holds settings: change them with set, not add", menu_kind_path(k));
		return;
	}
	if (k == MK_IP_SERVICE) {
		diag_error(m->d, &c->loc, "/ip service holds the router's own services: set them by name, nothing can be added");
		return;
	}
	if (a->sel) {
		diag_error(m->d, &a->sel->loc, "add takes only name=value properties");
		return;
	}
	it = item_new(m, (uint16_t)(a->nprops ? a->nprops : 1));
	it->loc = c->loc;
	if (cf && sel_one(m, k, cf, &from)) {
		const struct mitem *src = model_item(m, k, from);

		for (i = 0; i < src->nprops; i++) {
			struct pvalue pv = mprop_pvalue(&src->props[i]);

			it = item_set(m, it, prop_def(src->props[i].id), src->props[i].value, mprop_len(&src->props[i]), &pv,
				      &src->props[i].loc);
		}
		it->disabled = src->disabled;
	}
	ok = props_apply(m, k, &it, a, "add");
	ok &= unset_apply(m, k, it, a, false);
	if (pb && !sel_one(m, k, pb, &at))
		ok = false;
	if (k == MK_ADDRLIST4 || k == MK_ADDRLIST6) {
		/* RouterOS refuses an entry without an address; scripts that add
		 * one only to "create" the list lose nothing when it is skipped. */
		if (ok && !mitem_prop(it, P_ADDRESS) && mitem_prop(it, P_LIST)) {
			diag_warning(m->d, &c->loc, "address-list entry without address= is refused by RouterOS; skipped");
			return;
		}
	}
	if (k == MK_IFLIST_MEMBER && ok && member_is_dead(m, it, &c->loc))
		return;
	if (k == MK_IFLIST || k == MK_LAYER7) {
		const char *name = mitem_value(it, k, P_NAME);

		for (i = 0; name && i < model_count(m, k); i++) {
			const char *other = mitem_value(model_item(m, k, i), k, P_NAME);

			if (other && !strcmp(other, name)) {
				diag_error(m->d, &c->loc, "%s already has an item named \"%s\"", menu_kind_path(k), name);
				ok = false;
				break;
			}
		}
	}
	if (ok)
		item_check(m, k, it, &c->loc);
	/* Kept for the numbering of later errors; but a failure a script's
	 * on-error catches leaves nothing behind, as on RouterOS. */
	if (m->catching && diag_errors(m->d) > errors)
		return;
	list_insert(m, k, it, at);
}

/* What the command set, for service_command's one note. */
static void service_run(struct model *m, const struct walk *w, const struct args *a, const struct sel *s,
			const struct loc *loc)
{
	enum prop_id ids[sizeof(a->props) / sizeof(a->props[0])];
	bool switched = verb_is(w, V_DISABLE) || verb_is(w, V_ENABLE);
	size_t i, n = 0;

	for (i = 0; verb_is(w, V_SET) && i < a->nprops; i++) {
		const struct prop_def *def = prop_lookup_n(MK_IP_SERVICE, a->props[i]->name, a->props[i]->name_len);

		if (def) {
			ids[n++] = def->id;
			switched |= def->id == P_DISABLED;
		}
	}
	service_command(m, s, ids, n, switched, loc);
}

static void verb_set(struct model *m, enum menu_kind k, const struct walk *w, const struct args *a,
		     const struct ast_cmd *c)
{
	struct sel s = { 0 };
	size_t i;

	if (menu_kind_is_settings(k)) {
		if (a->sel) {
			diag_error(m->d, &a->sel->loc, "%s holds settings: set takes no item numbers", menu_kind_path(k));
			return;
		}
		sel_add(&s, 0);
	} else if (!a->sel) {
		diag_error(m->d, &w->verb_loc, "%.*s needs item numbers, a name or [find ...]", (int)w->verb_len, w->verb);
		return;
	} else if (!sel_resolve(m, k, a->sel, &s)) {
		sel_free(&s);
		return;
	}
	m->gen[k]++;
	for (i = 0; i < s.n; i++) {
		struct mitem **slot = &m->lists[k].v[s.v[i]], *it = *slot, *before = NULL;
		unsigned errors = diag_errors(m->d);
		bool ok = true;

		/* A set that fails under a script's on-error leaves the item
		 * as it was, as on RouterOS: keep a copy to put back. */
		if (m->catching) {
			size_t size = sizeof(*it) + it->cap * sizeof(it->props[0]);

			before = memcpy(arena_alloc(m->arena, size), it, size);
		}
		/* A built-in item was never added: what the script last did to
		 * it is where its diagnostics point. */
		if (it->builtin)
			it->loc = c->loc;

		if (verb_is(w, V_SET) || verb_is(w, V_COMMENT)) {
			if (verb_is(w, V_COMMENT) && (a->nprops != 1 || !arg_prop(a, "comment"))) {
				diag_error(m->d, &c->loc, "comment takes item numbers and comment=\"...\"");
				break;
			}
			ok = props_apply(m, k, slot, a, "set");
			it = *slot;
			ok &= unset_apply(m, k, it, a, true);
		} else if (verb_is(w, V_DISABLE) || verb_is(w, V_ENABLE)) {
			it->disabled = verb_is(w, V_DISABLE);
		} else if (verb_is(w, V_UNSET)) {
			const struct ast_item *vn = arg_prop(a, "value-name");
			size_t j;

			for (j = 0; j < a->nwords + (vn ? 1 : 0); j++) {
				const struct ast_item *n = j < a->nwords ? a->words[j] : vn;
				const struct prop_def *def;
				char name[96];

				snprintf(name, sizeof(name), "%.*s", (int)n->len, n->text);
				if (!(def = prop_lookup(k, name))) {
					diag_error(m->d, &n->loc, "unknown property \"%s\" for %s", name, menu_kind_path(k));
					ok = false;
				} else {
					item_unset(it, def->id);
				}
			}
		}
		if (ok && !verb_is(w, V_DISABLE) && !verb_is(w, V_ENABLE))
			item_check(m, k, it, &c->loc);
		if (before && diag_errors(m->d) > errors) {
			*slot = before;
			break;
		}
		if (!ok)
			break;
	}
	if (i == s.n && k == MK_IP_SERVICE)
		service_run(m, w, a, &s, &c->loc);
	sel_free(&s);
}

static void verb_remove(struct model *m, enum menu_kind k, const struct walk *w, const struct args *a)
{
	struct sel s = { 0 };
	size_t i;

	if (!a->sel) {
		diag_error(m->d, &w->verb_loc, "remove needs item numbers or [find ...]");
		return;
	}
	if (menu_kind_is_settings(k) || !sel_resolve(m, k, a->sel, &s)) {
		if (menu_kind_is_settings(k))
			diag_error(m->d, &w->verb_loc, "%s holds settings; nothing to remove", menu_kind_path(k));
		sel_free(&s);
		return;
	}
	for (i = 0; i < s.n; i++) {
		if (model_item(m, k, s.v[i])->builtin) {
			diag_error(m->d, &a->sel->loc, "built-in items of %s cannot be removed", menu_kind_path(k));
			sel_free(&s);
			return;
		}
	}
	list_remove(m, k, &s);
	sel_free(&s);
}

static void verb_move(struct model *m, enum menu_kind k, const struct walk *w, const struct args *a)
{
	struct sel s = { 0 }, d = { 0 };

	if (!a->sel) {
		diag_error(m->d, &w->verb_loc, "move needs item numbers or [find ...]");
		return;
	}
	if (sel_resolve(m, k, a->sel, &s) && (!a->dest || sel_resolve(m, k, a->dest, &d))) {
		if (a->dest && d.n == 0)
			diag_error(m->d, &a->dest->loc, "move destination selects no item");
		else if (s.n)
			list_move(m, k, &s, d.n ? d.v[0] : 0, !a->dest);
	}
	sel_free(&s);
	sel_free(&d);
}

static void verb_run(struct model *m, const struct walk *w, const struct ast_cmd *c)
{
	enum menu_kind k = menu_kind(w->at.node);
	struct args a;

	if (verb_is(w, V_PRINT) || verb_is(w, V_EXPORT) || verb_is(w, V_FIND) || verb_is(w, V_GET) ||
	    verb_is(w, V_EDIT) || verb_is(w, V_MONITOR) || verb_is(w, V_RESET_COUNTERS) ||
	    verb_is(w, V_RESET_COUNTERS_ALL) || verb_is(w, V_RESET))
		return;	/* they read state or counters; the configuration stays */
	if (k == MK_NONE) {
		char path[128];

		menu_path(w->at.node, path, sizeof(path));
		if (!strcmp(path, "/ip firewall calea")) {
			/* CALEA rules copy packets to a collector; they pass or
			 * stop nothing */
			if (!model_noted(m, path))
				diag_note(m->d, &c->loc, "%s only copies packets for lawful interception; rosfw passes it over (no traffic is opened or closed)",
					  path);
			return;
		}
		if (!strcmp(path, "/ip firewall connection") || !strcmp(path, "/ipv6 firewall connection")) {
			diag_note(m->d, &w->verb_loc, "%.*s on the connection table acts at run time; it changes no configuration",
				  (int)w->verb_len, w->verb);
			return;
		}
		if (verb_is(w, V_IMPORT))
			diag_error(m->d, &w->verb_loc, "import runs another script: give that file to rosfw as well (rosfw check a.rsc b.rsc)");
		else
			diag_error(m->d, &w->verb_loc, "%.*s needs a menu with items: %s has none", (int)w->verb_len, w->verb, path);
		return;
	}
	if (!args_split(m, w, &a))
		return;
	if (k == MK_INTERFACE) {
		/* `name= ether1-WAN`: a hand edit RouterOS refuses, and the
		 * name rosfw would read is not the one meant. */
		if (a.stray && arg_prop(&a, "name")) {
			diag_error(m->d, &a.stray->loc, "unexpected argument after %.*s", (int)w->verb_len, w->verb);
			return;
		}
		/* Only the names matter to the firewall. */
		if (verb_is(w, V_ADD) || verb_is(w, V_SET))
			iface_from(m, w, &a, &c->loc);
		return;
	}
	if (verb_is(w, V_ADD))
		verb_add(m, k, &a, c);
	else if (verb_is(w, V_SET) || verb_is(w, V_DISABLE) || verb_is(w, V_ENABLE) || verb_is(w, V_UNSET) ||
		 verb_is(w, V_COMMENT))
		verb_set(m, k, w, &a, c);
	else if (verb_is(w, V_REMOVE))
		verb_remove(m, k, w, &a);
	else if (verb_is(w, V_MOVE))
		verb_move(m, k, w, &a);
	else
		diag_error(m->d, &w->verb_loc, "%s has no command \"%.*s\"", menu_kind_path(k), (int)w->verb_len, w->verb);
}

static void block_run(struct model *m, const struct ast_cmd *stmts, const struct cwd *at)
{
	struct cwd local = *at;
	const struct ast_cmd *c;

	for (c = stmts; c && !diag_full(m->d); c = c->next)
		cmd_run(m, c, &local);
}

bool exec_walk(struct model *m, const struct ast_cmd *c, const struct cwd *cwd, struct walk *w)
{
	const struct ast_item *it = c->items;

	memset(w, 0, sizeof(*w));
	w->at = *cwd;
	if (it->kind == IT_SLASH) {
		if (it->next && it->next->kind == IT_WORD && it->next->text[0] == '/' &&
		    it->next->loc.col == it->loc.col + 1) {
			struct loc l = it->loc;

			l.last_col = l.col + 1;
			diag_error(m->d, &l, "\"//\" is not a comment in RouterOS scripts: comments start with #");
			return false;
		}
		w->at.node = menu_root();
		w->at.foreign = false;
		it = it->next;
	} else if (it->kind != IT_WORD) {
		diag_error(m->d, &it->loc, "expected a menu path or a command");
		return false;
	}
	walk_path(m, w, it);
	return !w->failed;
}

void exec_walked(struct model *m, const struct ast_cmd *c, const struct walk *w, struct cwd *cwd)
{
	if (!w->verb) {
		if (!w->args) {
			/* A path alone changes the current menu; a path before a
			 * command does not. */
			*cwd = w->at;
			if (w->at.foreign)
				note_foreign(m, &w->at, &c->loc);
			return;
		}
		if (w->args->kind == IT_BLOCK) {
			if (w->at.foreign)
				note_foreign(m, &w->at, &c->loc);
			else
				block_run(m, w->args->stmts, &w->at);
			if (w->args->next)
				diag_error(m->d, &w->args->next->loc, "unexpected text after the block");
			return;
		}
		if (w->at.foreign) {
			note_foreign(m, &w->at, &c->loc);
			return;
		}
		if (w->args->kind == IT_WORD && (w->args->flags & VF_VAR)) {
			diag_error(m->d, &w->args->loc, "$variables are RouterOS scripting, not supported");
		} else {
			char path[128];

			menu_path(w->at.node, path, sizeof(path));
			diag_error(m->d, &w->args->loc, "expected a command (add, set, remove, ...) after %s", path);
		}
		return;
	}
	if (w->at.foreign) {
		note_foreign(m, &w->at, &c->loc);
		untranslated_count(m, w, &c->loc);
		bridge_ip_firewall(m, w);
	} else {
		verb_run(m, w, c);
	}
}

static void cmd_run(struct model *m, const struct ast_cmd *c, struct cwd *cwd)
{
	const struct ast_item *it = c->items;
	struct walk w;

	if (!it)
		return;
	if (it->kind == IT_SCRIPT) {
		script_refuse(m, it->text, it->len, &it->loc);
		return;
	}
	{
		/* Only the first word can be scripting; `/do` is the root's. */
		const struct cwd root_cwd = { .node = menu_root() };
		const struct ast_item *first = it->kind == IT_SLASH ? it->next : it;
		const struct cwd *in = it->kind == IT_SLASH ? &root_cwd : cwd;

		if (first && first->kind == IT_WORD && !(first->flags & VF_VAR) && first->len &&
		    !memchr(first->text, '/', first->len) && word_is_script(in, first->text, first->len)) {
			script_refuse(m, first->text, first->len, &first->loc);
			return;
		}
	}
	if (it->kind == IT_BLOCK && !it->next) {
		block_run(m, it->stmts, cwd);
		return;
	}
	if (exec_walk(m, c, cwd, &w))
		exec_walked(m, c, &w, cwd);
}

void exec_cmd(struct model *m, const struct ast_cmd *c, struct cwd *cwd)
{
	cmd_run(m, c, cwd);
}

static void stmt_run(void *ctx, const struct ast_cmd *c)
{
	struct model *m = ctx;

	/* A statement with scripting anywhere in it runs whole in the
	 * interpreter; a plain one (nearly every line of an export) never
	 * pays for it. */
	if (script_wants(c))
		script_stmt(m, c, &m->cwd);
	else
		cmd_run(m, c, &m->cwd);
}

void model_run(struct model *m, uint32_t file, const char *buf, size_t len)
{
	m->cwd.node = menu_root();
	m->cwd.foreign = false;
	script_file_begin(m);
	parse_buffer(m->d, file, buf, len, stmt_run, m);
}

void model_run_padded(struct model *m, uint32_t file, char *buf, size_t len)
{
	m->cwd.node = menu_root();
	m->cwd.foreign = false;
	script_file_begin(m);
	parse_buffer_padded(m->d, file, buf, len, stmt_run, m);
}
