/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EMIT_TEXT_H
#define ROSFW_EMIT_TEXT_H

#include <stdio.h>

#include "ir.h"

/* The IR as one nft script; `source` names the input in its header. */
void emit_text(const struct ir *ir, FILE *out, const char *source);
/* One statement as the script writes it (merge.c compares rules by it). */
void emit_text_stmt(FILE *out, const struct ir_table *t, const struct ir_stmt *s);

#endif
