/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SCRIPT_RUN_H
#define ROSFW_SCRIPT_RUN_H

/*
 * The RouterOS scripting interpreter: a top-level statement that holds any
 * scripting (`:global`, `$var`, `[...]`, `(...)`, `:if` ...) runs here,
 * read again from its source text, instead of as a plain command. Menu
 * commands inside it still run through exec.c, with their values worked
 * out first, so they act on the model exactly as plain ones do.
 */

#include <stdbool.h>
#include <stddef.h>

struct ast_cmd;
struct cwd;
struct model;
struct script;

/* Whether the statement holds scripting anywhere (cheap: a plain export
 * line answers from its items' flags). */
bool script_wants(const struct ast_cmd *c);
void script_stmt(struct model *m, const struct ast_cmd *c, struct cwd *cwd);
/* A new file: its top-level :local variables start empty. */
void script_file_begin(struct model *m);
void script_free(struct script *s);

/* Budgets of one top-level statement: steps (statements and loop turns)
 * and bytes of values; ROSFW_SCRIPT_STEPS and ROSFW_SCRIPT_MEMORY (bytes)
 * change them (tests). The whole run (files and imports) has
 * SCRIPT_RUN_STEPS times a statement's steps: a file of many bounded
 * loops must end too. */
#define SCRIPT_MAX_STEPS 2000000UL
#define SCRIPT_RUN_STEPS 10UL
/* Making values is work too: each KiB made is a step, so building a
 * string or an array by copying it at each turn (quadratic) ends in about
 * the time 2,000,000 statements take. */
#define SCRIPT_STEP_BYTES 1024UL
#define SCRIPT_MAX_MEMORY (256UL << 20)
/* Nested blocks, expressions, substitutions and calls. */
#define SCRIPT_MAX_DEPTH 100

#endif
