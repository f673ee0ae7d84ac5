/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EDITREC_H
#define ROSFW_EDITREC_H

/*
 * The edit record: what the edit path (README: A small change) needs to
 * apply an edit of a large flat file without reading the rest of it. After
 * an apply of one regular FILE that committed cleanly (no warning: the
 * full path must say them again) and left a record of handles
 * (applied.rsc.nl, incr.h), apply keeps beside it the exact bytes it
 * compiled, their statements (stmtidx.h) with the kernel rules each made
 * (positions in the record of handles), what else the compile read (the
 * options, the interface map, the environment) and which rosfw read it.
 * Binary, one file, written whole or not at all; any doubt about it (another
 * build, other options, another generation of the record of handles) means
 * the full path.
 *
 * The edit path (editpath.h) reads it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stmtidx.h"

struct diag;
struct emit_nl_scan;

/**
 * struct editrec - the edit record.
 * @build:  which rosfw wrote it (editrec_build_id).
 * @opts:   the digest of what the compile read besides FILE (editrec_opts).
 * @genid:  the generation of the record of handles it goes with.
 * @merged: kernel rules that are merged runs (merge.h): their statements
 *          share them.
 * @chains: per family (ip, ip6) the names of every chain of rosfw's table,
 *          each with its NUL (print's record fingerprint counts them).
 * @path:   FILE, as apply was given it.
 * @src, @len: its bytes, as compiled.
 * @x:      their statements, @rule/@nrules their rules in the record of
 *          handles (UINT32_MAX: not one run of rules).
 */
struct editrec {
	uint64_t build, opts;
	uint32_t genid, merged;
	char *chains[2];
	size_t chains_len[2];
	char *path;
	char *src;
	size_t len;
	struct stmt_index x;
};

/* Beside the apply record (record_path() with ".edit"); NULL: none. */
const char *editrec_path(void);
/* This rosfw's executable (device, inode, size, time): another build
 * may lower the same statements otherwise. */
uint64_t editrec_build_id(void);
/* The options (argv[1..first-1]), the environment the compile reads, and
 * the sources `d` holds but `file` (the interface map, --interface). */
uint64_t editrec_opts(int first, char **argv, const struct diag *d, uint32_t file);
/* Each statement's kernel rules: the rules of the scan `s` (in the record
 * of handles' order) whose RouterOS rule was written in source `file`. */
void editrec_map_rules(struct editrec *e, const struct emit_nl_scan *s, uint32_t file);
/* The chains of `ir`'s tables into @chains. */
struct ir;
void editrec_chains(struct editrec *e, const struct ir *ir);

/* Whole or not at all; a failure removes it (the next apply is full). */
int editrec_write(const struct editrec *e);
/* 0, or -1: none, damaged, or of another version. */
int editrec_read(struct editrec *e);
void editrec_remove(void);
void editrec_free(struct editrec *e);

#endif
