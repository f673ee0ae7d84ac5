/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_PRINT_H
#define ROSFW_PRINT_H

/*
 * rosfw print stats | print address-list: the kernel's counters and
 * dynamic address-list entries, laid out as RouterOS prints them, or as
 * JSON, or (stats) as a Prometheus text exposition. The configuration
 * FILE, or without it the record of the last apply (record.h), gives the
 * rule and entry lists (numbers, disabled rules, comments); the kernel
 * gives only what it changes: counters and dynamic entries. One whose
 * rules are not the kernel's is refused (EXIT_CONFIG).
 *
 * Exit codes: exitcode.h; the kernel could not be read (no CAP_NET_ADMIN,
 * no rosfw table) is EXIT_IO.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int cmd_print(int argc, char **argv);
/* print connection (connection.c): argv[0] is "connection". */
int print_connection(int argc, char **argv);

/* What FastTrack carried: the counters of the connections the flowtable
 * holds now (offloaded), both directions; 0, or -1 with errno. */
int print_offloaded(bool v6, uint64_t *packets, uint64_t *bytes);
int cmd_reset_counters(int argc, char **argv);

struct applied;
struct nlsock;
/* rosfwd's /metrics: print stats --prometheus of both families and every
 * facility of the applied configuration `a` (record.h), all or nothing; an
 * exit code as above, EXIT_CONFIG when the kernel holds another. */
int print_metrics(FILE *out, struct nlsock *q, const struct applied *a);

/* ---- layout (print_fmt.c: no kernel, no model) --------------------------- */

/**
 * struct print_stat_row - one RouterOS rule.
 * @num:  as print numbers it; -1 for a dynamic row (FastTrack's counters),
 *        which the configuration's numbering does not count.
 * @flag: ' ', 'X' disabled, 'I' invalid (enabled in the configuration but
 *        it makes no kernel rule: apply left it out), 'D' dynamic.
 * @counter: the counter object its kernel rules count into (the kernel
 *        rule's tie to it: kernel comments carry no numbers); NULL: none.
 */
struct print_stat_row {
	long num;
	char flag;
	const char *chain, *action, *comment;	/* comment may be NULL */
	uint64_t bytes, packets;
	const char *counter;
};

/* family "ip" or "ip6"; facility "filter", "nat", "mangle", "raw". */
void print_stats_text(FILE *out, const struct print_stat_row *r, size_t n);
void print_stats_json(FILE *out, const char *family, const char *facility, const struct print_stat_row *r,
		      size_t n, bool first);
/* The sample lines of one metric ("packets" or "bytes"); the caller prints
 * the HELP and TYPE lines once per metric (print_prom_header). */
void print_prom_header(FILE *out, const char *metric);
void print_stats_prom(FILE *out, const char *metric, const char *family, const char *facility,
		      const struct print_stat_row *r, size_t n);
/* A Prometheus label value: \ " and newline escaped. */
void print_prom_label(FILE *out, const char *s);

/**
 * struct print_al_row - one address-list entry.
 * @flag:     ' ', 'X' disabled, 'D' dynamic.
 * @creation: creation time text, or NULL when not known (dynamic entries
 *            until rosfwd records them).
 * @timeout_ms: time left; @has_timeout false when the entry never expires.
 */
struct print_al_row {
	long num;
	char flag;
	const char *list, *address, *creation, *comment;
	bool has_timeout;
	uint64_t timeout_ms;
};

void print_al_text(FILE *out, const struct print_al_row *r, size_t n);
void print_al_json(FILE *out, const char *family, const struct print_al_row *r, size_t n);

/* A duration as RouterOS prints it: 1w2d3h4m5s, 59m58s, 0s (whole seconds). */
void print_duration(char *buf, size_t size, uint64_t ms);

#endif
