/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What apply tells the inspection helper: which label bit stands for
 * which tls-host, layer7-protocol or content value. A file rather than a
 * message: the helper may start after apply (systemd, a crash and a
 * restart) and must find the same bits the kernel's rules test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspect.h"
#include "inspectconf.h"
#include "safefile.h"


static const char *const kinds[] = {
	[INSPECT_TLS_HOST] = "tls-host", [INSPECT_LAYER7] = "layer7", [INSPECT_CONTENT] = "content",
};

int inspect_conf_write(const struct ir *ir, struct diag *d)
{
	const char *path = inspect_conf_path();
	struct safefile *sf;
	FILE *f;
	size_t i, j;

	if (!path)
		return 0;
	if (!ir->ninspects) {
		if (unlink(path) && errno != ENOENT)
			diag_warning(d, NULL, "removing %s: %s", path, strerror(errno));
		return 0;
	}
	if (!strncmp(path, "/run/rosfw/", 11))
		(void)mkdir("/run/rosfw", 0755);
	sf = safefile_open(path, 0644);
	if (!sf) {
		diag_warning(d, NULL, "writing %s for rosfw-inspect: %s; the inspecting rules match nothing until it exists",
			     path, strerror(errno));
		return -1;
	}
	f = safefile_stream(sf);
	fputs("# rosfw-inspect's matchers, written by rosfw apply: BIT KIND HEX\n", f);
	for (i = 0; i < ir->ninspects; i++) {
		const struct ir_inspect *x = &ir->inspects[i];

		fprintf(f, "%u %s ", x->bit, kinds[x->kind]);
		for (j = 0; j < x->len; j++)
			fprintf(f, "%02x", (unsigned char)x->value[j]);
		fputc('\n', f);
	}
	if (safefile_commit(sf)) {
		diag_warning(d, NULL, "writing %s for rosfw-inspect: %s; the inspecting rules match nothing until it exists",
			     path, strerror(errno));
		return -1;
	}
	return 0;
}

void inspect_prev_read(struct lower_opts *o)
{
	static const enum ir_inspect_kind kind_of[] = {
		[IM_TLS_HOST] = INSPECT_TLS_HOST, [IM_LAYER7] = INSPECT_LAYER7, [IM_CONTENT] = INSPECT_CONTENT,
	};
	const char *path = inspect_conf_path();
	struct ir_inspect *v;
	struct iconf c;
	char err[256];
	FILE *f = path ? fopen(path, "r") : NULL;
	size_t i;

	o->inspect_prev = NULL;
	o->ninspect_prev = 0;
	if (!f)
		return;
	if (iconf_read(&c, f, err, sizeof(err))) {
		fclose(f);
		return;		/* numbered afresh: what the helper itself would refuse too */
	}
	fclose(f);
	v = calloc(c.n ? c.n : 1, sizeof(*v));
	for (i = 0; v && i < c.n; i++) {
		char *s = malloc(c.m[i].len + 1);

		if (!s)
			break;
		memcpy(s, c.m[i].value, c.m[i].len + 1);
		v[i].kind = kind_of[c.m[i].kind];
		v[i].value = s;
		v[i].len = c.m[i].len;
		v[i].bit = c.m[i].bit;
	}
	o->inspect_prev = v;
	o->ninspect_prev = v ? i : 0;
	iconf_free(&c);
}

void inspect_prev_free(struct lower_opts *o)
{
	size_t i;

	for (i = 0; i < o->ninspect_prev; i++)
		free((char *)o->inspect_prev[i].value);
	free((struct ir_inspect *)o->inspect_prev);
	o->inspect_prev = NULL;
	o->ninspect_prev = 0;
}

static bool queue_bound(unsigned num)
{
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");
	unsigned q;
	char line[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%u", &q) == 1 && q == num;
	fclose(f);
	return found;
}

static bool ir_queues(const struct ir *ir)
{
	int f;
	size_t i, j, k;

	for (f = 0; f < 2; f++)
		for (i = 0; ir->tables[f] && i < ir->tables[f]->nchains; i++)
			for (j = 0; j < ir->tables[f]->chains[i]->n; j++)
				for (k = 0; k < ir->tables[f]->chains[i]->rules[j]->n; k++)
					if (ir->tables[f]->chains[i]->rules[j]->stmts[k].kind == S_QUEUE)
						return true;
	return false;
}

void inspect_helper_check(const struct ir *ir, struct diag *d)
{
	if (!ir->ninspects)
		return;
	if (!ir_queues(ir)) {
		diag_warning(d, NULL,
			     "no queue to rosfw-inspect (--inspect=no-queue, or a kernel without nft_queue): every tls-host, layer7-protocol and content rule matches nothing (a drop rule lets that traffic through, an accept rule does not accept it)");
		return;
	}
	if (!queue_bound(INSPECT_QUEUE_NUM))
		diag_warning(d, NULL,
			     "rosfw-inspect is not running here (nothing listens on queue %u): until it does, packets pass the queue unmatched (bypass), so every tls-host, layer7-protocol and content rule matches nothing (a drop rule lets that traffic through, an accept rule does not accept it)",
			     INSPECT_QUEUE_NUM);
}
