/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_DUMP_H
#define ROSFW_DUMP_H

#include <stdio.h>

#include "model.h"

/* The model as a normalized RouterOS export: menus in a fixed order, items
 * in order, properties sorted; reading it back gives the same model. */
void dump_model(const struct model *m, FILE *out);

/* A value as RouterOS script text: bare where it can be, quoted and escaped
 * otherwise. */
void dump_value(FILE *out, const char *v, size_t len);

#endif
