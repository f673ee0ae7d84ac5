/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EMIT_TEXT_H
#define ROSFW_EMIT_TEXT_H

#include <stdio.h>

#include "ir.h"

/* The IR as one nft script; `source` names the input in its header. */
void emit_text(const struct ir *ir, FILE *out, const char *source);

#endif
