/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* Scripts beyond this are not configurations; refuse rather than swap. */
#define SOURCE_MAX ((size_t)1 << 31)

struct source_set {
	struct source **v;
	size_t n;
};

struct source_set *source_set_new(void)
{
	return xcalloc(1, sizeof(struct source_set));
}

void source_set_free(struct source_set *ss)
{
	size_t i;

	if (!ss)
		return;
	for (i = 0; i < ss->n; i++) {
		free(ss->v[i]->name);
		free(ss->v[i]->buf);
		free(ss->v[i]);
	}
	free(ss->v);
	free(ss);
}

const struct source *source_read(struct source_set *ss, const char *path)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	size_t len = 0, cap = 64 * 1024;
	struct stat st;
	char *buf;
	struct source *s;

	if (fd < 0)
		return NULL;
	/* A regular file is read into one buffer of its size; the padding
	 * lets the scanner work in place. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size < SOURCE_MAX)
		cap = (size_t)st.st_size + SOURCE_PADDING;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (cap >= SOURCE_MAX) {
				free(buf);
				if (fd != STDIN_FILENO)
					close(fd);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (cap - len < SOURCE_PADDING)
		buf = xrealloc(buf, len + SOURCE_PADDING);
	memset(buf + len, 0, SOURCE_PADDING);
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(strcmp(path, "-") ? path : "<stdin>");
	s->buf = buf;
	s->len = len;
	ss->v = xreallocarray(ss->v, ss->n + 1, sizeof(*ss->v));
	ss->v[ss->n++] = s;
	return s;
}
