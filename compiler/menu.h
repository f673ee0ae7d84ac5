/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_MENU_H
#define ROSFW_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "props.h"

/*
 * The RouterOS menu tree as far as rosfw needs it: the firewall menus it
 * models, and enough of the rest to tell a menu path from the verb after it.
 */
struct menu_node;

const struct menu_node *menu_root(void);
const struct menu_node *menu_child(const struct menu_node *n, const char *name, size_t len);
/* RouterOS accepts any unambiguous prefix of a menu name (`/ip fire filt`). */
const struct menu_node *menu_child_prefix(const struct menu_node *n, const char *name, size_t len);
const struct menu_node *menu_parent(const struct menu_node *n);
enum menu_kind menu_kind(const struct menu_node *n);
/* "/ip firewall filter" */
void menu_path(const struct menu_node *n, char *buf, size_t size);

/* The canonical path of a firewall menu, e.g. "/ipv6 firewall raw". */
const char *menu_kind_path(enum menu_kind k);
/* "filter", "nat", "mangle", "raw" for rule menus, else NULL. */
const char *menu_kind_facility(enum menu_kind k);
bool menu_kind_is_rules(enum menu_kind k);
/* /interface bridge filter and nat: rules of table bridge rosfw. */
bool menu_kind_is_bridge(enum menu_kind k);
bool menu_kind_is_v6(enum menu_kind k);
/* A settings menu has one unnamed item changed with `set` (connection tracking). */
bool menu_kind_is_settings(enum menu_kind k);
/* Items of these menus are selected by name= as well as by number. */
bool menu_kind_is_named(enum menu_kind k);

/* RouterOS command verbs that end a menu path, in the order of their names. */
enum verb {
	V_NONE = -1,
	V_ADD, V_COMMENT, V_DISABLE, V_EDIT, V_ENABLE, V_EXPORT, V_FIND, V_GET, V_IMPORT,
	V_MONITOR, V_MOVE, V_PRINT, V_REMOVE, V_RESET, V_RESET_COUNTERS, V_RESET_COUNTERS_ALL,
	V_RUN, V_SET, V_UNSET,
	V__COUNT
};

bool menu_is_verb(const char *w, size_t len);
/* A top-level RouterOS menu or root command; otherwise *closest is the
 * nearest one by spelling, or NULL. */
bool menu_is_root_name(const char *w, size_t len, const char **closest);
/* The verb `w` spells or abbreviates (`rem` is remove); V_NONE when none
 * or ambiguous. */
enum verb menu_verb_prefix(const char *w, size_t len);
const char *menu_verb_name(enum verb v);

#endif
