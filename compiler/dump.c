/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dump.h"

#include <stdlib.h>
#include <string.h>

#include "menu.h"

/* Bytes a bare value may hold and still scan back as the same value. */
static bool bare_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._:/!,@+*%^=-", c) != NULL;
}

void dump_value(FILE *out, const char *v, size_t len)
{
	size_t i;
	bool bare = len > 0;

	for (i = 0; bare && i < len; i++)
		bare = v[i] && bare_char((unsigned char)v[i]);
	if (bare) {
		fwrite(v, 1, len, out);
		return;
	}
	fputc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		switch (c) {
		case '"':
		case '\\':
		case '$':
		case '?':
			/* `?` asks the RouterOS console for help; exports escape it. */
			fprintf(out, "\\%c", c);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\%02X", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static void props_dump(FILE *out, const struct mitem *it, enum prop_id skip, enum menu_kind k,
		       const char *builtin_name)
{
	size_t i;
	/* A built-in item's disabled= is printed by its caller, against its default. */
	bool disabled_done = !it->disabled || builtin_name;

	for (i = 0; i < it->nprops; i++) {
		const struct mprop *p = &it->props[i];

		if (p->id == skip)
			continue;
		if (builtin_name) {
			const char *d = model_builtin_value(k, builtin_name, p->id);

			if (d && strlen(d) == mprop_len(p) && !memcmp(d, p->value, mprop_len(p)))
				continue;
		}
		/* ids are in name order */
		if (!disabled_done && p->id > P_DISABLED) {
			fputs(" disabled=yes", out);
			disabled_done = true;
		}
		fprintf(out, " %s=", prop_def(p->id)->name);
		dump_value(out, p->value, mprop_len(p));
	}
	if (!disabled_done)
		fputs(" disabled=yes", out);
}

static void list_dump(const struct model *m, enum menu_kind k, FILE *out)
{
	size_t i, n = model_count(m, k);
	bool header = false;

	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);

		if (it->builtin)
			continue;
		if (!header) {
			fprintf(out, "%s\n", menu_kind_path(k));
			header = true;
		}
		fputs("add", out);
		props_dump(out, it, P__COUNT, k, NULL);
		fputc('\n', out);
	}
}

/* Built-in items print only what the script changed. */
static void builtins_dump(const struct model *m, enum menu_kind k, FILE *out)
{
	size_t i, n = model_count(m, k);
	bool header = false;

	for (i = 0; i < n; i++) {
		const struct mitem *it = model_item(m, k, i);
		const char *name = mitem_value(it, k, P_NAME);
		const char *dis = model_builtin_value(k, name ? name : "", P_DISABLED);
		bool changed = it->disabled != (dis && !strcmp(dis, "yes"));
		size_t j;

		if (!it->builtin)
			continue;
		for (j = 0; j < it->nprops && !changed; j++) {
			const struct mprop *p = &it->props[j];
			const char *d = model_builtin_value(k, name ? name : "", p->id);

			changed = p->id != P_NAME &&
				  !(d && strlen(d) == mprop_len(p) && !memcmp(d, p->value, mprop_len(p)));
		}
		if (!changed)
			continue;
		if (!header) {
			fprintf(out, "%s\n", menu_kind_path(k));
			header = true;
		}
		fputs("set", out);
		if (name && *name) {
			fputc(' ', out);
			dump_value(out, name, strlen(name));
		}
		if (it->disabled != (dis && !strcmp(dis, "yes")))
			fprintf(out, " disabled=%s", it->disabled ? "yes" : "no");
		props_dump(out, it, P_NAME, k, name ? name : "");
		fputc('\n', out);
	}
}

static int iface_cmp(const void *a, const void *b)
{
	const struct miface *x = *(const struct miface *const *)a, *y = *(const struct miface *const *)b;
	int c = strcmp(x->menu, y->menu);

	if (c)
		return c;
	return x->loc.file != y->loc.file ? (x->loc.file < y->loc.file ? -1 : 1)
	       : x->loc.line != y->loc.line ? (x->loc.line < y->loc.line ? -1 : 1)
	       : x < y ? -1 : x > y;
}

static void ifaces_dump(const struct model *m, FILE *out)
{
	const struct miface *f;
	size_t n = model_ifaces(m, &f), i;
	const struct miface **v = malloc((n ? n : 1) * sizeof(*v));
	const char *menu = NULL;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		v[i] = &f[i];
	qsort(v, n, sizeof(*v), iface_cmp);
	for (i = 0; i < n; i++) {
		if (!menu || strcmp(menu, v[i]->menu)) {
			menu = v[i]->menu;
			fprintf(out, "%s\n", menu);
		}
		if (v[i]->old_name && v[i]->by_default_name) {
			fputs("set [ find default-name=", out);
			dump_value(out, v[i]->old_name, strlen(v[i]->old_name));
			fputs(" ] name=", out);
		} else if (v[i]->old_name) {
			fputs("set ", out);
			dump_value(out, v[i]->old_name, strlen(v[i]->old_name));
			fputs(" name=", out);
		} else {
			fputs("add name=", out);
		}
		dump_value(out, v[i]->name, strlen(v[i]->name));
		fputc('\n', out);
	}
	free(v);
}

void dump_model(const struct model *m, FILE *out)
{
	static const enum menu_kind order[] = {
		MK_IFLIST, MK_IFLIST_MEMBER, MK_CONNTRACK, MK_LAYER7, MK_ADDRLIST4,
		MK_FILTER4, MK_NAT4, MK_MANGLE4, MK_RAW4, MK_SERVICE_PORT,
		MK_ADDRLIST6, MK_FILTER6, MK_NAT6, MK_MANGLE6, MK_RAW6, MK_IP_SERVICE,
		MK_ROUTING_TABLE, MK_ROUTE4, MK_ROUTE_RULE4, MK_ROUTING_RULE, MK_ROUTE6, MK_BRIDGE_FILTER, MK_BRIDGE_NAT,
	};
	size_t i;

	fputs("# rosfw dump: the firewall configuration the script leaves behind\n", out);
	ifaces_dump(m, out);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (order[i] == MK_SERVICE_PORT || order[i] == MK_CONNTRACK || order[i] == MK_IP_SERVICE)
			builtins_dump(m, order[i], out);
		else
			list_dump(m, order[i], out);
	}
}
