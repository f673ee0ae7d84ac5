/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CONFIG_H
#define ROSFW_CONFIG_H

#include <stdbool.h>

#include "diag.h"
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

/* The values of the options every configuration-reading command takes;
 * false after saying on stderr what was expected. */
bool config_opt_max_errors(const char *arg, unsigned *out);
bool config_opt_unsupported(const char *arg, enum unsupported_policy *out);
/* --fasttrack=flowtable|fallback, and auto where `probe` is given (set
 * when the kernel is to decide). */
bool config_opt_fasttrack(const char *arg, enum fasttrack_mode *out, bool *probe);
bool config_opt_flowtable_devices(const char *arg);

#endif
