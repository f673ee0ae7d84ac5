/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_EXITCODE_H
#define ROSFW_EXITCODE_H

/*
 * The exit codes of every rosfw command and of rosfwd. README.md ("Exit
 * codes") says the same, and every --help prints EXIT_HELP.
 */
enum exit_code {
	EXIT_OK = 0,		/* done */
	EXIT_CONFIG = 1,	/* errors in the configuration, or nothing to act on: nothing changed */
	EXIT_REFUSED = 2,	/* the kernel refused: nothing changed */
	EXIT_IO = 3,		/* usage, I/O, or the kernel could not be asked or read */
	EXIT_CHANGES = 4,	/* apply --diff: there are changes (0: none), as diff and
				 * terraform plan -detailed-exitcode tell them */
};

#define EXIT_HELP                                                                                              \
	"exit: 0 done; 1 errors in the configuration (nothing sent or written), or nothing to act on\n"      \
	"      (address-list: no such list; confirm, rollback: nothing pending; print: the FILE, or the\n"   \
	"      record of the last apply, is not what the kernel holds, or there is no record); 2 the\n"     \
	"      kernel refused (nothing changed); 3 usage, I/O, or the kernel could not be read (no\n"       \
	"      CAP_NET_ADMIN; print: no rosfw table, nothing applied; apply, flush: a --confirm\n"        \
	"      rollback pending); 4 apply --diff: there are changes (0: none)\n"

#endif
