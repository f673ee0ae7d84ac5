/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_RECORD_H
#define ROSFW_RECORD_H

/*
 * What rosfw last applied, kept so that print and rosfwd's /metrics need
 * no FILE: apply writes the configuration it committed, as `rosfw dump`
 * prints it, to the record (record_path), whole or not at all, in a
 * directory only root may write. The kernel cannot hold it: a table's
 * user data is fixed when the table is made (a kept table keeps it, and
 * apply keeps tables for their counters) and nftables keeps 256 bytes of
 * it, while print needs disabled rules and static entries, which the
 * kernel never sees.
 *
 * A record, or a FILE, is matched to what the kernel holds by names, not
 * by a stamp: every RouterOS rule counts into a counter object named
 * after what it says (kname_counter), so the fingerprint of a table's
 * chain and counter names (record_fp) is the configuration's as far as
 * counters go, whoever loaded it (apply, or nft -f of compile's output);
 * print then checks rule by rule that kernel rule #N counts into the
 * object the configuration's rule N does.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag;
struct ifmap;
struct ir;
struct model;
struct nlsock;
struct source_set;

#define RECORD_DIR_DEFAULT "/var/lib/rosfw"
#define RECORD_MAGIC "# rosfw applied record 1\n"

/*
 * The record of this network namespace: $ROSFW_RECORD when set (empty:
 * none, apply records nothing); else /var/lib/rosfw/applied.rsc in the
 * namespace of PID 1, which outlives a reboot, and
 * /run/rosfw/applied.NETNS.rsc in any other (NETNS its inode number: such
 * a namespace does not outlive one). NULL when there is none.
 */
const char *record_path(void);
/* A file kept beside the record: record_path() and `suffix`, into buf[size];
 * NULL when there is no record or the name does not fit. */
const char *record_beside(char *buf, size_t size, const char *suffix);

/* A table's fingerprint: its chain and counter object names, in any
 * order (sorted here). A family without a table is 0 chains and 0 names. */
uint64_t record_fp(const char **chains, size_t nchains, const char **counters, size_t ncounters);
/* The fingerprints of what `ir` makes, ip and ip6. */
void record_fp_ir(const struct ir *ir, uint64_t fp[2]);
/* The kernel's, ip and ip6: 0, or -1 with errno. *tables: how many of the
 * two families have a rosfw table. */
int record_fp_kernel(struct nlsock *q, uint64_t fp[2], int *tables);

/* The record's text: header (magic, fingerprints, digest of the body)
 * and `body` (dump_model's text). 0, or -1 with errno from `out`. */
int record_format(FILE *out, const uint64_t fp[2], const struct ifmap *map, const char *body, size_t len);
/*
 * Check a record's text: 0 with its fingerprints in fp and the body's
 * offset in *body; -1 with `why` when it is not a record (another
 * file), of another version, or damaged (the body's digest differs).
 */
int record_parse(const char *buf, size_t len, uint64_t fp[2], size_t *body, char *why, size_t size);

/* After apply's commit: the record of `m` (lowered to `ir` with `map`, which
 * may be NULL; the record keeps it, as a rule on a name only the map makes
 * a Linux one is left out without it). A failure is a warning in `d`: the
 * firewall is applied, print then needs FILE. */
void record_save(const struct model *m, const struct ir *ir, const struct ifmap *map, struct diag *d);

/**
 * struct applied - a configuration as print reads it against the kernel.
 * @m:      the model; @ir: it lowered as apply lowers it (the counter
 *          object of each rule number, the mark numbers).
 * @fp:     @ir's fingerprints.
 * @origin: "the record PATH" or "FILE" for messages.
 */
struct applied {
	struct model *m;
	struct ir *ir;
	struct diag *d;
	struct source_set *ss;
	uint64_t fp[2];
	char *origin;
	bool from_record;
};

/* From FILE..., lowered through the interface map `ifo` names: NULL when
 * one cannot be read (said on stderr) or has errors (printed): *rc the
 * exit code. */
struct config_ifopts;
struct applied *applied_from_files(char **files, int n, const struct config_ifopts *ifo, int *rc);
/* From the record: NULL with `why` (*rc EXIT_CONFIG when there is none or
 * it is damaged or foreign, EXIT_IO when it cannot be read or trusted). */
struct applied *applied_from_record(int *rc, char *why, size_t size);
void applied_free(struct applied *a);

/* The counter object each rule 0..n-1 of facility `fac` counts into, NULL
 * where none (disabled, skipped); an array to free. `family`
 * NFPROTO_BRIDGE: the bridge menus' table. With `chains`, also an array
 * of the chain its counting kernel rules are in (NULL: more than one). */
const char **applied_counters(const struct applied *a, int family, const char *fac, size_t n, const char ***chains);

/*
 * Does the kernel hold `a`? 1 yes, 0 no (`why` says how it differs), -1
 * with errno when the kernel could not be read. *tables as record_fp_kernel.
 */
int applied_matches(const struct applied *a, struct nlsock *q, int *tables, char *why, size_t size);

/*
 * rosfwd's /metrics without CONFIG: the record as it is now, read again
 * only when its file changed (same thread only); NULL with `why`.
 */
const struct applied *applied_record_cached(char *why, size_t size);

#endif
