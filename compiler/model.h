/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_MODEL_H
#define ROSFW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "props.h"
#include "value.h"

/**
 * struct mprop - one property of a model item, as the script last set it.
 * @value: text after unquoting, NUL-terminated: what dump prints and
 *         diagnostics quote. mprop_len() is its length.
 * @v, @form, @neg: what the text means, parsed once when the model read it
 *         (struct pvalue, value.h); everything after the model reads this.
 * @nul:   the text holds NUL bytes (written \00): its length is kept in the
 *         four bytes before it. Other texts end at their NUL, which keeps
 *         the struct at 40 bytes (a million-entry list is two million).
 * @id:    which property (prop_def(@id): name, type).
 * @loc:   where the value was written, for later diagnostics.
 */
struct mprop {
	const char *value;
	union pval v;
	uint16_t id;
	uint8_t form;
	bool neg : 1, nul : 1;
	struct loc loc;
};

/* The length of a property's text. */
static inline size_t mprop_len(const struct mprop *p)
{
	uint32_t n;

	if (!p->nul)
		return strlen(p->value);
	memcpy(&n, p->value - sizeof(n), sizeof(n));
	return n;
}

/**
 * struct mitem - one item of a menu: a rule, an address-list entry, ...
 * @props:    sorted by id, which is name order: the order an export prints
 *            them in.
 * @disabled: disabled=yes; kept apart because every menu has it.
 * @builtin:  exists before the script runs (service ports, the interface
 *            lists all/none/static/dynamic); cannot be removed.
 * @loc:      the command that created it.
 * @id:       stays the item's while it lives (item numbers shift): what a
 *            script's [find] returns and set/remove take back.
 *
 * The properties follow the item in one allocation: a million-entry address
 * list is a million items of two properties each.
 */
struct mitem {
	uint16_t nprops, cap;
	bool disabled;
	bool builtin;
	uint32_t id;
	struct loc loc;
	struct mprop props[];
};

/* An interface name the export defines or renames. */
struct miface {
	const char *menu;	/* "/interface bridge" */
	const char *name;
	const char *old_name;	/* renamed from, or NULL */
	bool by_default_name;	/* selected with [find default-name=old_name] */
	struct loc loc;
};

struct model;

struct model *model_new(struct diag *d);
void model_free(struct model *m);

/* Run a script into the model, from where earlier files left it. */
void model_run(struct model *m, uint32_t file, const char *buf, size_t len);
/* The same without a copy of the input; buf as parse_buffer_padded() wants. */
void model_run_padded(struct model *m, uint32_t file, char *buf, size_t len);
/* Checks that need the whole configuration (references between menus). */
void model_finish(struct model *m);

size_t model_count(const struct model *m, enum menu_kind k);
const struct mitem *model_item(const struct model *m, enum menu_kind k, size_t i);
size_t model_ifaces(const struct model *m, const struct miface **out);
/* The router's own interfaces the interface map names (its keys): before a
 * script runs, so that [/interface find] knows them as the router would. */
void model_set_ports(struct model *m, const char *const *names, size_t n);
size_t model_ports(const struct model *m, const char *const **out);

/* The value a built-in item (service port) has before any script runs. */
const char *model_builtin_value(enum menu_kind k, const char *item, enum prop_id prop);

/* Property `id` of `it`, or NULL when unset. */
const struct mprop *mitem_prop(const struct mitem *it, enum prop_id id);
/* The same, or the menu's default (parsed, without location) when unset;
 * NULL when there is neither. */
const struct mprop *mitem_get(const struct mitem *it, enum menu_kind k, enum prop_id id);
/* Its text, the menu's default when unset, or NULL. */
const char *mitem_value(const struct mitem *it, enum menu_kind k, enum prop_id id);
/* The action of a rule: its action= or the default, accept. */
enum action_id mitem_action(const struct mitem *it, enum menu_kind k);

/* Parsed values (value.h) of an mprop, read by type. */
static inline struct pvalue mprop_pvalue(const struct mprop *p)
{
	struct pvalue pv = { p->v, p->form, p->neg };

	return pv;
}

/* The name a VT_NAME holds: its text after the '!'. */
static inline const char *mprop_name(const struct mprop *p)
{
	return p->value + p->neg;
}

/* VT_ADDR, VT_ADDR_OR_DNS: false for a DNS name. */
bool mprop_addr(const struct mprop *p, struct value_addr *a);
/* VT_PORTS, and the one range of the other range types. */
const struct vrange *mprop_ranges(const struct mprop *p, size_t *n);
/* /ip service address=: its addresses and prefixes; NULL when it has none. */
const struct vaddrs *mprop_addrs(const struct mprop *p);
/* VT_NAME_LIST: the elements; vname offsets are into p->value. */
const struct vname *mprop_names(const struct mprop *p, size_t *n);

#endif
