/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_LOWER_IMPL_H
#define ROSFW_LOWER_IMPL_H

/* Shared by lower.c (structure: chains, sets, marks, rule assembly) and
 * lower_rules.c (one function per property and action, named by the rows
 * of props.def). */

#include "ifname.h"
#include "lower.h"
#include "lower_fns.h"
#include "model.h"

#define LOWER_MAX_STMTS 48
#define LOWER_MAX_ALTS 4
#define LOWER_MAX_GROUPS 3
#define LOWER_MAX_PRELUDES 6
/* nftables keeps at most 128 bytes of rule comment (NUL included). */
#define LOWER_COMMENT_MAX KNAME_COMMENT_MAX
/* The kernel keeps 127 bytes of log prefix, but nft 1.0.9 (Ubuntu 24.04's)
 * refuses a prefix of 127 ("log prefix is too long": it counts the NUL,
 * evaluate.c stmt_evaluate_log_prefix; 1.0.6 and 1.1 take it). */
#define LOWER_LOG_PREFIX_MAX 126

struct list_plan;

/**
 * struct lctx - lowering state.
 * @pre:  matches every kernel rule of the current RouterOS rule starts with.
 * @alts: "either" conditions (port=, a list split over several sets): one
 *        kernel rule per combination, one alternative of each group, each
 *        excluding the alternatives before it in its group.
 * @post: statements after the counter: log, the action.
 * @refused: the rule uses something rosfw cannot express.
 * @never:   the rule can never match on Linux (an interface name Linux
 *           cannot have): its chain is made, the rule is not.
 */
struct lctx {
	const struct model *m;
	struct diag *d;
	const struct lower_opts *o;
	struct ifnames *ifn;		/* what interface names stand for here */
	struct ir *ir;
	struct ir_table *t;
	int family;
	bool v6;
	enum menu_kind k;
	const char *fac;
	struct list_plan *plans;
	size_t nplans, capplans;
	char **noted;
	size_t nnoted;

	const struct mitem *it;
	long id;
	struct ir_stmt pre[LOWER_MAX_STMTS], post[LOWER_MAX_STMTS], scratch;
	size_t npre, npost;
	struct ir_match alts[LOWER_MAX_GROUPS][LOWER_MAX_ALTS];
	size_t nalts[LOWER_MAX_GROUPS], ngroups;
	/* Kernel rules before each of the rule's own (psd's jump to its
	 * helper chain, the per-connection classifier's classifying rule):
	 * their matches but the pre[i] marked own[i] and the stateful ones,
	 * then these. */
	struct ir_stmt prelude[LOWER_MAX_PRELUDES][8];
	size_t nprelude[LOWER_MAX_PRELUDES], npreludes;
	bool own[LOWER_MAX_STMTS];
	/* Sets and chains of the rule's own state (psd, connection-rate):
	 * dropped again when the rule is left out. */
	struct ir_set *owned_sets[8];
	struct ir_chain *owned_chain;
	size_t nowned_sets;
	int owned_label;		/* the ct label bit the rule took, or -1 */
	uint64_t ct_labels[2];		/* label bits the table's classifiers took */
	bool failed, refused, never;
	bool tracking_off;		/* enabled=no, or auto with nothing that needs it */
	size_t fasttrack_rules;		/* of this family: the flowtable is needed */
	size_t inspect_rules;		/* of this family: the helper's queue is needed */
	unsigned inspect_kinds;		/* 1 << enum ir_inspect_kind of those rules */
	struct ir_chain *last_chain;	/* chain_get's last answer, in L->t */
	struct rule_ident *idents;	/* the table's rule identities so far: open addressing */
	size_t nidents, capidents;
	char cname[48];			/* the current rule's counter object */
	const struct loc *brloc;	/* the first bridge port matcher, or NULL */
	int ethertype;			/* bridge filter: the rule's mac-protocol, or -1 */
};

/* The rule's action, through its row (after log=yes). */
void lower_action(struct lctx *L);

struct ir_stmt *lower_pre(struct lctx *L);
/* A statement of the current prelude rule (lower_prelude_new starts one). */
bool lower_prelude_new(struct lctx *L);
struct ir_stmt *lower_prelude(struct lctx *L);
/* A set of the rule's own state (named after the rule), made here. */
struct ir_set *lower_rule_set(struct lctx *L, const char *name, enum ir_key key);
struct ir_stmt *lower_post(struct lctx *L, enum ir_stmt_kind kind);
bool lower_or(struct lctx *L, const struct ir_match *alts, size_t n, const struct mprop *p);
void lower_refuse(struct lctx *L, const struct loc *loc, const char *what, const char *why);
uint32_t lower_mark(struct lctx *L, const char *kind, const char *name);
/* lower_ident into buf (LOWER_IDENT_MAX bytes), an error if it does not fit. */
const char *lower_kernel_name(struct lctx *L, char *buf, const char *prefix, const char *name);
/* The kernel chain of RouterOS chain `ros` in the current facility. */
const char *lower_chain_name(struct lctx *L, char *buf, const char *ros);
/* A list's kernel sets (NULL: none): the configuration's entries, what
 * rules add, and what changes at run time in an interval list. */
struct list_sets {
	const char *stat, *dyn, *rt;
};
void lower_list_sets(struct lctx *L, const char *list, struct list_sets *ls);
const char *lower_iflist_set(struct lctx *L, const char *list);
/* in-interface= and the like on `key` (iifname, meta ibrname, ...). */
void lower_ifname(struct lctx *L, const struct mprop *p, enum ir_key key);
/* in-interface-list= and the like on `key`. */
void lower_iflist_match(struct lctx *L, const struct mprop *p, enum ir_key key);
/* A MAC address (or the bridge filter's MAC/MASK) on `key`. */
void lower_mac(struct lctx *L, const struct mprop *p, enum ir_key key);
/* compiler/lower_bridge.c: /interface bridge filter into table bridge
 * rosfw; the matchers the rule's others depend on, first. */
void lower_bridge_filter(struct lctx *L);
void lower_bridge_rule_first(struct lctx *L);
/* dst-nat/src-nat of /interface bridge nat (true: done here). */
bool lower_bridge_nat(struct lctx *L, bool dst);
/* The rules of one menu, in L's table (lower.c). */
void lower_facility(struct lctx *L, enum menu_kind k);
/* The interfaces (router names) of a list, with includes and excludes;
 * the array is the caller's to free. */
const char **lower_iflist_members(struct lctx *L, const char *list, size_t *n);
/* compiler/lower_bridge.c: where the configuration first matches a bridge
 * port (then ir->bridge is made before anything else), or NULL. */
const struct loc *lower_bridge_used(const struct model *m);
bool lower_ifname_ok(const char *s, size_t n);
/* Why no Linux interface can have this name (dev_valid_name), or NULL. */
const char *lower_ifname_unlinux(const char *s, size_t n);
/* "--interface 'NAME=NAME'" for the hint, quoted as the map wants. */
const char *lower_ifmap_hint(char *buf, size_t size, const char *s, size_t n);
/* What leaving the current rule out does to traffic, after its action. */
const char *lower_skip_effect(const struct lctx *L);
/* A Linux name from ifnames_get as a set element: a whole name (16 bytes,
 * NUL-padded, cut at 15), or for a prefix ("ppp*") the range of every name
 * that starts with it, as nft's interval sets hold a wildcard. */
void lower_ifname_elem(const char *s, struct ir_elem *e);
/* Names as elements into out[0..n), without duplicates and the names a
 * prefix among them covers (an interval set refuses overlaps), in their
 * order, sorted when a prefix is among them (*interval: lowering leaves
 * interval sets sorted). Returns how many. */
size_t lower_ifname_elems(const char *const *v, size_t n, struct ir_elem *out, bool *interval);
bool lower_once(struct lctx *L, const char *key);
/* Numbers and ranges as one match (value, range or set). */
void lower_numbers(struct lctx *L, enum ir_key key, const struct vrange *v, size_t n, bool neg, struct ir_match *out);
/* compiler/lower_ct.c: what rests on connection tracking. */
void lower_helpers(struct lctx *L);
void lower_tracking(struct lctx *L);
void lower_sysctls(struct lctx *L);
void lower_flowtable(struct lctx *L);
/* compiler/lower_inspect.c: the chains that queue to the inspection helper. */
void lower_inspect_chains(struct lctx *L);
/* Base chain `name` of the table being lowered (filter type), made on
 * first use. */
struct ir_chain *lower_base_chain(struct lctx *L, const char *name, enum ir_hook hook, int prio, const char *facility);
/* compiler/routes.c: policy routing into L->ir->routing. */
void lower_routes(struct lctx *L);
/* compiler/lower_service.c: the address= restrictions of /ip service. */
bool lower_services_needed(const struct model *m, bool v6);
void lower_services(struct lctx *L);
/* The kernel helpers a connection-type matches; NULL when Linux has none. */
const char *const *lower_ct_helper_names(enum conn_type type);

#endif
