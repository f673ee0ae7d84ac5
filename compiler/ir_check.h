/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_IR_CHECK_H
#define ROSFW_IR_CHECK_H

#include "ir.h"

/*
 * The first statement of `ir` that the back ends cannot carry, as "what"
 * ("a lookup in a set the table does not declare"), and in *rule the rule
 * that holds it; NULL when every statement can be sent. Lowering makes no
 * such statement; this is what keeps one from reaching the kernel.
 */
const char *ir_check(const struct ir *ir, const struct ir_rule **rule);

#endif
