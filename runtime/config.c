/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

struct model *config_read(char **files, int n, struct diag *d, struct source_set *ss, bool into_d)
{
	return config_read_map(files, n, d, ss, into_d, NULL);
}

struct model *config_read_map(char **files, int n, struct diag *d, struct source_set *ss, bool into_d,
			      const struct ifmap *map)
{
	struct model *m = model_new(d);
	size_t k;
	int i;

	for (k = 0; map && k < ifmap_count(map); k++) {
		const char *key = ifmap_at(map, k)->key;

		model_set_ports(m, &key, 1);
	}

	for (i = 0; i < n; i++) {
		const struct source *s = source_read(ss, files[i]);

		if (!s) {
			int e = errno;

			if (into_d)
				diag_error(d, NULL, "%s: %s", files[i], strerror(e));
			else
				diag_file_error(NULL, files[i], e);
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

bool config_opt_max_errors(const char *arg, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*end || !v || v > 100000) {
		fprintf(stderr, "rosfw: --max-errors needs a number from 1 to 100000\n");
		return false;
	}
	*out = (unsigned)v;
	return true;
}

bool config_opt_max_warnings(const char *arg, long *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || arg[0] == '-' || v > 1000000) {
		fprintf(stderr, "rosfw: --max-warnings needs a number from 0 to 1000000\n");
		return false;
	}
	*out = (long)v;
	return true;
}

bool config_warnings_over(struct diag *d, long max)
{
	size_t i, n = 0;

	if (max < 0)
		return false;
	for (i = 0; i < diag_count(d); i++)
		n += diag_at(d, i)->level == DIAG_WARNING;
	if (n <= (size_t)max)
		return false;
	/* A pipeline's gate: a warning says something is not applied as the
	 * router would (a rule left out, a menu passed over). */
	diag_error(d, NULL, "%zu warning%s, more than --max-warnings %ld allows", n, n == 1 ? "" : "s", max);
	return true;
}

bool config_opt_unsupported(const char *arg, enum unsupported_policy *out)
{
	if (!strcmp(arg, "error"))
		*out = UNSUPPORTED_ERROR;
	else if (!strcmp(arg, "skip-rule"))
		*out = UNSUPPORTED_SKIP_RULE;
	else {
		fprintf(stderr, "rosfw: --unsupported takes error or skip-rule\n");
		return false;
	}
	return true;
}

bool config_opt_fasttrack(const char *arg, enum fasttrack_mode *out, bool *probe)
{
	if (probe)
		*probe = false;
	if (!strcmp(arg, "flowtable"))
		*out = FASTTRACK_FLOWTABLE;
	else if (!strcmp(arg, "fallback"))
		*out = FASTTRACK_FALLBACK;
	else if (probe && !strcmp(arg, "auto"))
		*out = FASTTRACK_FLOWTABLE, *probe = true;
	else {
		fprintf(stderr, "rosfw: --fasttrack takes %sflowtable or fallback\n", probe ? "auto, " : "");
		return false;
	}
	return true;
}

bool config_opt_merge(const char *arg, bool *out)
{
	if (strcmp(arg, "yes") && strcmp(arg, "no")) {
		fprintf(stderr, "rosfw: --merge takes yes or no\n");
		return false;
	}
	*out = !strcmp(arg, "yes");
	return true;
}

bool config_opt_inspect(const char *arg, enum inspect_mode *out)
{
	if (!strcmp(arg, "queue"))
		*out = INSPECT_QUEUE;
	else if (!strcmp(arg, "no-queue"))
		*out = INSPECT_NO_QUEUE;
	else {
		fprintf(stderr, "rosfw: --inspect takes queue or no-queue\n");
		return false;
	}
	return true;
}

bool config_opt_flowtable_devices(const char *arg)
{
	const char *p = arg;

	for (;;) {
		size_t n = strcspn(p, ","), i;
		bool ok = n && n < 16;

		for (i = 0; ok && i < n; i++)
			ok = (unsigned char)p[i] > 0x20 && p[i] != '"' && p[i] != '*' && p[i] != '+' && p[i] != 0x7f &&
			     p[i] != '/';
		if (!ok) {
			fprintf(stderr, "rosfw: --flowtable-devices takes interface names (1 to 15 bytes) separated by commas\n");
			return false;
		}
		if (!p[n])
			return true;
		p += n + 1;
	}
}

void config_opt_interface(struct config_ifopts *o, const char *arg)
{
	o->entries = xreallocarray(o->entries, o->n + 1, sizeof(*o->entries));
	o->entries[o->n++] = (char *)arg;
}

bool config_opt_interface_map(struct config_ifopts *o, const char *arg)
{
	if (!*arg) {
		fprintf(stderr, "rosfw: --interface-map takes a file, or none\n");
		return false;
	}
	o->file = arg;
	return true;
}

void config_ifopts_free(struct config_ifopts *o)
{
	free(o->entries);
	o->entries = NULL;
	o->n = 0;
}

bool config_ifmap(const struct config_ifopts *o, struct diag *d, struct source_set *ss, bool into_d,
		  struct lower_opts *lo)
{
	const char *path = o->file;
	struct ifmap *map = ifmap_new();
	size_t i;

	/* The default is read only when it is there: a server without one
	 * keeps the router's names. */
	if (!path && access(CONFIG_IFMAP_DEFAULT, F_OK) == 0)
		path = CONFIG_IFMAP_DEFAULT;
	if (path && strcmp(path, "none")) {
		const struct source *s = source_read(ss, path);

		if (!s) {
			int e = errno;

			if (into_d)
				diag_error(d, NULL, "%s: %s", path, strerror(e));
			else
				diag_file_error(NULL, path, e);
			ifmap_free(map);
			errno = e;
			return false;
		}
		ifmap_parse(map, d, diag_add_source(d, s->name, s->buf, s->len), s->buf, s->len, false);
	}
	for (i = 0; i < o->n; i++)
		ifmap_parse(map, d, diag_add_source(d, "--interface", o->entries[i], strlen(o->entries[i])),
			    o->entries[i], strlen(o->entries[i]), true);
	lo->ifmap = map;
	return true;
}
