/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_CONFIG_H
#define ROSFW_CONFIG_H

#include <stdbool.h>

#include "diag.h"
#include "lower.h"
#include "model.h"
#include "source.h"

/*
 * Read files[0..n) into one model, in order, as every command that takes a
 * configuration does. On an I/O error returns NULL with errno set and
 * *failed naming the file; configuration errors go to `d`.
 */
struct model *config_load(char **files, int n, struct diag *d, struct source_set *ss, const char **failed);

/* The values of the options every configuration-reading command takes;
 * false after saying on stderr what was expected. */
bool config_opt_max_errors(const char *arg, unsigned *out);
bool config_opt_unsupported(const char *arg, enum unsupported_policy *out);
/* --fasttrack=flowtable|fallback, and auto where `probe` is given (set
 * when the kernel is to decide). */
bool config_opt_fasttrack(const char *arg, enum fasttrack_mode *out, bool *probe);
bool config_opt_flowtable_devices(const char *arg);

#endif
