/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>

struct model *config_load(char **files, int n, struct diag *d, struct source_set *ss, const char **failed)
{
	struct model *m = model_new(d);
	int i;

	for (i = 0; i < n; i++) {
		const struct source *s = source_read(ss, files[i]);

		if (!s) {
			int e = errno;

			*failed = files[i];
			model_free(m);
			errno = e;
			return NULL;
		}
		model_run_padded(m, diag_add_source(d, s->name, s->buf, s->len), s->buf, s->len);
		if (diag_full(d))
			break;
	}
	if (!diag_full(d))
		model_finish(m);
	return m;
}
