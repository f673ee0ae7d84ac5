/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_SAFEFILE_H
#define ROSFW_SAFEFILE_H

/*
 * Writing a file that others read (a deploy step loads it, rosfwd restores
 * from it) in a directory that others may be able to write. A regular file,
 * or one that does not exist yet, is written to a temporary file in its
 * directory, created exclusively under an unpredictable name (so a link
 * planted there is never followed), fsynced and renamed over it, then the
 * directory is fsynced: readers see the old file or the new one, whole,
 * and any failure leaves the old one as it was.
 *
 * A symbolic link stays a link: the file it leads to is replaced. A link
 * in a sticky world-writable directory (/tmp) is followed only when it
 * belongs to the caller or to the directory's owner, as the kernel's
 * fs.protected_symlinks would have it whether that is on or not.
 *
 * What is not a regular file (a device, a fifo) and the process's own
 * standard output or error (/dev/stdout, /dev/fd/1) are written in place:
 * there is nothing to rename, and replacing a device node with a file
 * would break the system.
 */

#include <stdio.h>
#include <sys/types.h>

struct safefile;

/* Start writing `path`; a file it creates gets `mode` less the umask.
 * NULL with errno. */
struct safefile *safefile_open(const char *path, mode_t mode);

/* For a file that a reboot makes void anyway (a cache tied to the boot):
 * renamed into place whole, not synced. A crash then leaves the old file
 * or the new one, or, as the filesystem may order it, an empty one: its
 * reader must check what it reads (a digest, a size), not trust it. */
void safefile_nosync(struct safefile *sf);

FILE *safefile_stream(const struct safefile *sf);

/* Everything written is on disk and in the file's place: 0, or -1 with
 * errno (the first write error, if one was met) and the old file as it
 * was. Frees `sf` either way. */
int safefile_commit(struct safefile *sf);

/* Nothing is written: the temporary file goes, the old file stays. */
void safefile_abort(struct safefile *sf);

/* Remove the temporary files of `path` that writers killed before their
 * commit left in its directory (one a crash: a daemon restarted in a loop
 * would fill the disk). Only for a directory nobody else writes, where no
 * other writer of `path` runs: their number, or -1 with errno. */
int safefile_sweep(const char *path);

#endif
