/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CONFIG_H
#define ROSFW_CONFIG_H

#include <stdbool.h>

#include "diag.h"
#include "ifmap.h"
#include "lower.h"
#include "model.h"
#include "source.h"

/*
 * Read files[0..n) into one model, in order: the one way every command
 * that takes a configuration (check, dump, compile, apply, print, rosfwd)
 * reads it. What the configuration gets wrong goes to `d`. A file that
 * cannot be read ends the read: NULL, errno set, after saying which file
 * and why, as an error in `d` when `into_d` (apply --json, whose one
 * result carries every diagnostic), else in one line on stderr; either way
 * the name is escaped as diagnostics escape it.
 */
struct model *config_read(char **files, int n, struct diag *d, struct source_set *ss, bool into_d);
/* The same, the router's interfaces the map names known to the scripts
 * (map: config_ifmap's, or NULL). */
struct model *config_read_map(char **files, int n, struct diag *d, struct source_set *ss, bool into_d,
			      const struct ifmap *map);

/* The values of the options every configuration-reading command takes;
 * false after saying on stderr what was expected. */
bool config_opt_max_errors(const char *arg, unsigned *out);
/* --max-warnings N into *out; -1 (no limit) is the caller's default. */
bool config_opt_max_warnings(const char *arg, long *out);
/* More than max warnings in d (max >= 0): an error that says so, so that
 * nothing is written or applied, and true. */
bool config_warnings_over(struct diag *d, long max);
bool config_opt_unsupported(const char *arg, enum unsupported_policy *out);
/* --fasttrack=flowtable|fallback, and auto where `probe` is given (set
 * when the kernel is to decide). */
bool config_opt_fasttrack(const char *arg, enum fasttrack_mode *out, bool *probe);
/* --merge=yes|no (merge.h); false with a message for anything else. */
bool config_opt_merge(const char *arg, bool *out);
/* --inspect=queue|no-queue (lower.h's enum inspect_mode). */
bool config_opt_inspect(const char *arg, enum inspect_mode *out);
bool config_opt_flowtable_devices(const char *arg);

/* The interface map a command was given: --interface-map FILE (NULL: the
 * default file when it exists; "none": no file) and --interface entries,
 * in order. */
#define CONFIG_IFMAP_DEFAULT "/etc/rosfw/interfaces"
struct config_ifopts {
	const char *file;
	char **entries;
	size_t n;
};
/* Take one --interface (ROUTER=LINUX,...) or --interface-map argument. */
void config_opt_interface(struct config_ifopts *o, const char *arg);
bool config_opt_interface_map(struct config_ifopts *o, const char *arg);
void config_ifopts_free(struct config_ifopts *o);
/*
 * The map those options give into lo->ifmap (ifmap_free it): the file
 * first, then the --interface entries, which replace its entries for the
 * same names. Mistakes in them are errors in `d` at file:line:col (an
 * --interface is the source "--interface"). false, errno set, when the
 * file cannot be read: said as config_read says it.
 */
bool config_ifmap(const struct config_ifopts *o, struct diag *d, struct source_set *ss, bool into_d,
		  struct lower_opts *lo);

#endif
