/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_LOWER_H
#define ROSFW_LOWER_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "ifmap.h"
#include "ir.h"
#include "kname.h"
#include "model.h"

/* What to do with a rule that uses a property or action nftables cannot
 * express. */
enum unsupported_policy {
	UNSUPPORTED_ERROR,	/* the default: an error at the property */
	UNSUPPORTED_SKIP_RULE,	/* drop the rule, warn whether that opens or closes traffic */
};

/* What fasttrack-connection becomes. */
enum fasttrack_mode {
	FASTTRACK_FLOWTABLE,	/* the default: a flowtable and flow add */
	FASTTRACK_FALLBACK,	/* counted only; the next rule carries the traffic */
};

/* tls-host, layer7-protocol, content (lower_inspect.c): undecided
 * connections queued to the helper, or (a kernel without nft_queue, the
 * golden loads) the same ruleset without the queue statement. */
enum inspect_mode { INSPECT_QUEUE, INSPECT_NO_QUEUE };

struct lower_opts {
	enum unsupported_policy unsupported;
	enum fasttrack_mode fasttrack;
	const char *flowtable_devices;	/* comma list instead of the config's interfaces */
	const struct ifmap *ifmap;	/* router interface -> this server's, or NULL */
	enum inspect_mode inspect;
	/* apply: the matchers the running ruleset numbered (its file), so a
	 * value keeps its label bit across re-applies; compile: none. */
	const struct ir_inspect *inspect_prev;
	size_t ninspect_prev;
};

/*
 * Lower a finished model into the IR. Errors (refused properties, jumps to
 * chains that do not exist, jump loops) go to `d`; the IR is returned only
 * when there were none.
 */
struct ir *lower_model(const struct model *m, struct diag *d, const struct lower_opts *o);

/* The conntrack sysctls (under net.netfilter) lowering may set, by a
 * stable index; NULL past the last. */
const char *lower_ct_sysctl_name(size_t i);

/* The translation table as Markdown: every property and action of the rule
 * menus, exact, approximate (how) or refused (why). docs/translation.md is
 * this text; a test keeps them equal. */
void lower_table_markdown(FILE *out);
/* The same for /ip service (compiler/lower_service.c), which it ends with. */
void lower_service_markdown(FILE *out);

/* Buffers for kernel names: kname.h makes them. */
#define LOWER_IDENT_MAX KNAME_MAX

/* What a name property of menu `k` names in the kernel: "set" or "chain",
 * with the longest prefix lowering puts before it in *prefix; NULL for
 * names that become no kernel object's name (marks, interfaces). */
const char *lower_name_kind(enum menu_kind k, enum prop_id prop, const char **prefix);

/* A comment or log prefix as both back ends carry it: no '"', no control
 * bytes, at most `max` bytes, cut on a UTF-8 boundary. */
void lower_text(char *out, size_t size, const char *in, size_t len, size_t max);

/*
 * The timeout a none-static entry carries in a set whose entries time
 * out: the kernel has no flag to tell it from none-dynamic, and this is
 * longer than any RouterOS timeout (35w3d13:13:56 at most), so rosfwd
 * keeps it across reboots and print shows it static, without timeout.
 * 30000 days: whole milliseconds at every HZ, so it reads back the same.
 */
#define LOWER_STATIC_TIMEOUT_MS (30000ull * 86400 * 1000)

/*
 * Room for entries rules add from the packet path, beyond the ones the
 * configuration puts in a set: the kernel adds none past a set's size
 * (and refuses a batch whose entries do not fit, ENFILE), so a list's
 * dynamic set holds its configured entries and this many more, nft's own
 * default size for a dynamic set. RouterOS has no such limit.
 */
#define LOWER_SET_ROOM 65535

#endif
