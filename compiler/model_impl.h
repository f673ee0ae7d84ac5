/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_MODEL_IMPL_H
#define ROSFW_MODEL_IMPL_H

/* Internals shared by model.c, exec.c and check.c. */

#include "menu.h"
#include "model.h"

struct arena;

struct mlist {
	struct mitem **v;
	size_t n, cap;
};

/* Item numbers, as `print` would show them at this point of the script. */
struct sel {
	size_t *v;
	size_t n, cap;
};

/**
 * struct cwd - the current menu of a script or block.
 * @node:    deepest menu of the known tree on the path.
 * @foreign: the path went below @node into menus rosfw does not model;
 *           @path spells it for the note.
 */
struct cwd {
	const struct menu_node *node;
	bool foreign;
	char path[160];
};

struct intern {
	const char **v;
	size_t n, cap;
	const char *last;	/* the value stored last */
	size_t last_len;
};

/* Rules of one menu rosfw does not translate (exec.c's table). */
struct untranslated {
	size_t n, disabled;
	struct loc first;
};

#define MODEL_UNTRANSLATED 3

struct script;

/**
 * struct model - the configuration a script leaves, as it runs.
 * @next_id:  the id the next item gets (struct mitem).
 * @catching: > 0 while a script's on-error would catch a failure: a
 *            command that fails leaves the model as it was.
 * @gen:      counts removals, moves and sets per menu, so what a script
 *            keeps about a menu (its address-list index) knows it is stale.
 * @script:   the interpreter's state (script_run.c), NULL until a
 *            statement needs it.
 */
struct model {
	struct diag *d;
	uint32_t next_id;
	unsigned catching;
	unsigned long gen[MK__COUNT];
	struct script *script;
	struct arena *arena;
	struct mlist lists[MK__COUNT];
	struct cwd cwd;
	struct miface *ifaces;
	size_t nifaces, capifaces;
	char **ports;
	size_t nports;
	char **noted;
	size_t nnoted;
	struct intern intern;
	struct untranslated untranslated[MODEL_UNTRANSLATED];
};

struct mitem *item_new(struct model *m, uint16_t cap);
/* Set property `def` of `it` to the text v (len bytes) that value_parse
 * made pv of. The item moves when it has no room for a new property: use
 * the item returned, and put it where the old one was. */
struct mitem *item_set(struct model *m, struct mitem *it, const struct prop_def *def, const char *v,
		       size_t len, const struct pvalue *pv, const struct loc *loc);
bool item_unset(struct mitem *it, enum prop_id id);
/* The text of a value, kept as long as the model; `nul`: it holds NUL bytes. */
const char *value_store(struct model *m, const struct prop_def *def, const char *v, size_t len, bool nul);
void intern_free(struct model *m);

void list_insert(struct model *m, enum menu_kind k, struct mitem *it, size_t at);
void list_remove(struct model *m, enum menu_kind k, const struct sel *sel);
void list_move(struct model *m, enum menu_kind k, const struct sel *sel, size_t dest, bool to_end);

void sel_add(struct sel *s, size_t i);
void sel_normalize(struct sel *s);
void sel_free(struct sel *s);

void iface_record(struct model *m, const char *menu, const char *name, const char *old_name,
		  bool by_default, const struct loc *loc);

/* True when `key` was noted before; records it otherwise. */
bool model_noted(struct model *m, const char *key);
/* At the end: one warning for each menu whose rules are firewall rules
 * rosfw does not translate yet, with how many it holds. */
void model_untranslated_report(struct model *m);

/* What one /ip service command (set, enable, disable) does on RouterOS that
 * rosfw does not do here, in one note at `cmd`, and what RouterOS refuses
 * (service.c). `ids`: the properties it set; `switched`: it enabled or
 * disabled. */
void service_command(struct model *m, const struct sel *s, const enum prop_id *ids, size_t nids,
		     bool switched, const struct loc *cmd);

/* Why RouterOS refuses this value of a service's property, or NULL. */
const char *service_prop_refused(enum prop_id id, const struct pvalue *pv);

/* The outcome of walking the leading words of a command (exec.c). */
struct walk {
	struct cwd at;
	const char *verb;	/* NULL when the command is a bare path */
	enum verb verb_id;
	size_t verb_len;
	struct loc verb_loc;
	const struct ast_item *args;
	bool failed;
};

struct ast_cmd;
struct ast_item;

/* exec.c, for the script interpreter: a plain command run as a plain
 * file's would be; its path and verb alone (false: an error was said);
 * the rest of it once walked; a [find] of menu k; the items a selector
 * (numbers, a name, ids) names; whether a word is one of RouterOS's
 * scripting commands where it stands. */
void exec_cmd(struct model *m, const struct ast_cmd *c, struct cwd *cwd);
bool exec_walk(struct model *m, const struct ast_cmd *c, const struct cwd *cwd, struct walk *w);
void exec_walked(struct model *m, const struct ast_cmd *c, const struct walk *w, struct cwd *cwd);
bool exec_find(struct model *m, enum menu_kind k, const struct ast_item *args, struct sel *out);
bool exec_select(struct model *m, enum menu_kind k, const struct ast_item *it, struct sel *out);
bool exec_word_is_script(const struct cwd *at, const char *s, size_t n);

/* Cross-checks of one item after add or set (check.c). */
void item_check(struct model *m, enum menu_kind k, const struct mitem *it, const struct loc *cmd);
/* `*1`: how RouterOS exports a reference to an object the router had
 * deleted (its internal id). */
bool name_is_deleted_id(const char *s, size_t n);

#endif
