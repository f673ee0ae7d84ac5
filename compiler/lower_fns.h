/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_LOWER_FNS_H
#define ROSFW_LOWER_FNS_H

/* The lowering functions the rows of props.def name, declared from the
 * rows themselves: props.c takes their addresses, lower_rules.c defines
 * them. */

#include "props.h"

#define LOWERS(f) void f(struct lctx *L, const struct mprop *p);
#define ACTS(f) void f(struct lctx *L);
#define NONE
#define PROP(id, fn, ...) fn
#define ACTION(id, fn, ...) fn
#include "props.def"
#undef PROP
#undef ACTION
#undef LOWERS
#undef ACTS
#undef NONE

#endif
