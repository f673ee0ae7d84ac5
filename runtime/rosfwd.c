/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfwd: keeps the dynamic address-list entries of rosfw's tables on
 * disk, so the entries RouterOS would keep survive a daemon restart, a
 * flush and re-apply, and (timed ones) a reboot, with the time they have
 * left; remembers when each entry first appeared; re-applies the
 * configuration on SIGHUP. It polls: the kernel sends no events for
 * elements that rules add from the packet path.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "addrlist_impl.h"
#include "apply.h"
#include "config.h"
#include "diag.h"
#include "dns.h"
#include "dynstate.h"
#include "lower.h"
#include "metrics.h"
#include "model.h"
#include "nlsock.h"
#include "source.h"
#include "xalloc.h"

/* An expiry that moved less than this is the same (the kernel's time
 * left is read a few ms apart); more means a rule refreshed the entry. */
#define EXPIRY_SLACK_MS 1000

struct daemon {
	const char *state;
	unsigned interval;
	bool once, verbose;
	unsigned metrics_port;		/* 0: no /metrics */
	char **files;
	int nfiles;
	struct model *model;		/* the configuration, for /metrics and DNS names */
	struct source_set *ss;
	struct diag *dg;
	struct dns *dns;		/* its DNS-name entries, NULL: none */
	struct dns_opts dns_opts;
	struct nlsock ns;
	struct dyn_state known;		/* as last read (creation times) */
	struct dyn_state saved;		/* as last written */
	bool have_saved;
};

static int usage(FILE *out, int code)
{
	fputs("usage: rosfwd [--state FILE] [--interval SECONDS] [--metrics-port PORT] [--dns-refresh SECONDS]\n"
	      "              [--dns-floor SECONDS] [--dns-cap SECONDS] [--once] [--verbose] [CONFIG...]\n"
	      "\n"
	      "Keeps the dynamic address-list entries of rosfw's tables in FILE (default " DYN_STATE_DEFAULT "):\n"
	      "on start it puts back saved entries the kernel lost (a flush, a re-apply without rosfw,\n"
	      "a reboot) with the time they have left, then reads the dynamic sets every SECONDS\n"
	      "(default 10) and saves when entries came, went or got a new timeout.\n"
	      "  SIGHUP   rosfw apply CONFIG... in this process, then read the sets\n"
	      "  SIGTERM  read the sets, save, exit\n"
	      "  --metrics-port PORT  serve GET /metrics on 127.0.0.1:PORT: rosfw print stats --prometheus\n"
	      "           of CONFIG (both families, every facility)\n"
	      "  --dns-refresh SECONDS  look names /etc/hosts answers up again this often (default 300);\n"
	      "           DNS answers are looked up again when their TTL runs out. Both are clamped to\n"
	      "           [--dns-floor, --dns-cap] (default 30, 3600).\n"
	      "           A failed lookup keeps the last answer and is retried after the floor, doubling to the cap\n"
	      "  --once   start, read and save once, exit (for scripts and tests)\n"
	      "  --verbose  one line per poll: entries, milliseconds taken, saved or not\n"
	      "A corrupt or truncated state file is reported, renamed FILE.corrupt and not used.\n"
	      "Entries without a timeout (none-dynamic, none-static) come back after a restart but not\n"
	      "after a reboot: the kernel does not tell the two apart.\n",
	      out);
	return code;
}

static int opts_parse(int argc, char **argv, struct daemon *d)
{
	static const struct option lo[] = {
		{ "state", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "once", no_argument, NULL, '1' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "metrics-port", required_argument, NULL, 'm' },
		{ "dns-refresh", required_argument, NULL, 'r' },
		{ "dns-floor", required_argument, NULL, 'f' },
		{ "dns-cap", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	d->state = DYN_STATE_DEFAULT;
	d->interval = 10;
	d->dns_opts = (struct dns_opts){ .refresh = 300, .floor = 30, .cap = 3600 };
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!*optarg) {
				fprintf(stderr, "rosfwd: --state needs a file name\n");
				return -1;
			}
			d->state = optarg;
			break;
		case 'i':
		case 'r':
		case 'f':
		case 'c': {
			static const char *const names[] = { "interval", "dns-refresh", "dns-floor", "dns-cap" };
			unsigned *slot[] = { &d->interval, &d->dns_opts.refresh, &d->dns_opts.floor, &d->dns_opts.cap };
			int k = c == 'i' ? 0 : c == 'r' ? 1 : c == 'f' ? 2 : 3;
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || v > 86400) {
				fprintf(stderr, "rosfwd: --%s needs a number of seconds from 1 to 86400\n", names[k]);
				return -1;
			}
			*slot[k] = (unsigned)v;
			break;
		}
		case '1':
			d->once = true;
			break;
		case 'v':
			d->verbose = true;
			break;
		case 'm': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || v > 65535) {
				fprintf(stderr, "rosfwd: --metrics-port needs a port from 1 to 65535\n");
				return -1;
			}
			d->metrics_port = (unsigned)v;
			break;
		}
		case 'h':
			usage(stdout, 0);
			exit(0);
		default:
			return -1;
		}
	}
	if (d->dns_opts.floor > d->dns_opts.cap) {
		fprintf(stderr, "rosfwd: --dns-floor above --dns-cap\n");
		return -1;
	}
	d->files = argv + optind;
	d->nfiles = argc - optind;
	return 0;
}

/* The saved state, unless it is damaged: then it is moved aside, said so,
 * and the daemon starts without it. */
static void state_load(struct daemon *d)
{
	char why[256], aside[PATH_MAX];
	int rc = dyn_state_load(&d->saved, d->state, why, sizeof(why));

	if (rc == 0) {
		d->have_saved = true;
		fprintf(stderr, "rosfwd: %s: %zu saved entries\n", d->state, d->saved.n);
		return;
	}
	if (rc == 1)
		return;
	if (rc == -1) {
		fprintf(stderr, "rosfwd: %s: %s; starting without saved entries\n", d->state, strerror(errno));
		return;
	}
	snprintf(aside, sizeof(aside), "%s.corrupt", d->state);
	if (rename(d->state, aside) < 0)
		fprintf(stderr, "rosfwd: %s: corrupt (%s), and moving it aside failed: %s; starting without saved entries\n",
			d->state, why, strerror(errno));
	else
		fprintf(stderr, "rosfwd: %s: corrupt (%s): moved to %s, starting without saved entries\n", d->state,
			why, aside);
}

/*
 * Saved entries the kernel does not hold, back into the sets they came
 * from, timing out when they would have. Entries of lists that are gone
 * stay gone (as a re-apply drops them); untimed entries do not outlive
 * the boot they were made in, unless they are static (lasting).
 */
static size_t restore(struct daemon *d, const struct dyn_state *k, int64_t now)
{
	const struct dyn_state *sv = &d->saved;
	bool same_boot = sv->boot_id[0] && !strcmp(sv->boot_id, k->boot_id);
	size_t i = 0, total = 0;

	while (i < sv->n) {
		const struct dyn_entry *first = &sv->e[i];
		struct addrlist_entry *batch = xcalloc(sv->n - i, sizeof(*batch));
		size_t nb = 0, failed = 0;
		bool set_there = false;
		bool runtime = !strncmp(dyn_set_name(first->set), "ar_", 3);
		int err;

		set_there = dyn_state_has_set(k, first->set);
		for (; i < sv->n && sv->e[i].family == first->family && sv->e[i].set == first->set; i++) {
			const struct dyn_entry *e = &sv->e[i];

			if (!set_there || (e->expires && e->expires <= now + EXPIRY_SLACK_MS) ||
			    (!e->expires && !e->lasting && !same_boot) || dyn_state_find(k, e, i))
				continue;
			batch[nb].list = dyn_set_name(e->set);
			batch[nb].len = e->len;
			memcpy(batch[nb].lo, e->key, e->len);
			memcpy(batch[nb].hi, e->hi, e->len);
			batch[nb].timeout_ms = e->expires ? (uint64_t)(e->expires - now) : 0;
			/* A hash set marks none-static by its timeout. */
			if (e->lasting && !runtime)
				batch[nb].timeout_ms = LOWER_STATIC_TIMEOUT_MS;
			nb++;
		}
		err = nb ? addrlist_send(&d->ns, first->family, dyn_set_name(first->set), runtime, batch, nb, true, false,
					 false, &failed)
			 : 0;
		if (err)
			fprintf(stderr, "rosfwd: putting back entries of set %s: %s (%zu of %zu put back)\n",
				dyn_set_name(first->set), strerror(err < 0 ? errno : err), failed, nb);
		else
			total += nb;
		free(batch);
	}
	if (total)
		fprintf(stderr, "rosfwd: put back %zu saved entries\n", total);
	return total;
}

static bool differs(const struct dyn_state *a, const struct dyn_state *b)
{
	size_t i;

	if (a->n != b->n || strcmp(a->boot_id, b->boot_id))
		return true;
	for (i = 0; i < a->n; i++) {
		const struct dyn_entry *x = &a->e[i], *y = dyn_state_find(b, x, i);
		int64_t dt;

		if (!y)
			return true;
		dt = x->expires - y->expires;
		if (!x->expires != !y->expires || dt > EXPIRY_SLACK_MS || dt < -EXPIRY_SLACK_MS ||
		    x->lasting != y->lasting || memcmp(x->hi, y->hi, x->len))
			return true;
	}
	return false;
}

/*
 * One poll: the kernel's dynamic entries, each with the creation time it
 * had (or now), saved when they differ from the file. `restore_first`:
 * put back what the kernel lost before reading.
 */
static int sync_once(struct daemon *d, bool restore_first, bool force_save)
{
	struct dyn_state k;
	int64_t now = dyn_now_ms();
	size_t i;
	bool saved = false;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	dyn_state_init(&k);
	if (dyn_state_read_kernel(&d->ns, &k, now) < 0) {
		fprintf(stderr, "rosfwd: reading the dynamic sets: %s\n", strerror(errno));
		dyn_state_free(&k);
		return -1;
	}
	if (restore_first && d->have_saved && restore(d, &k, now)) {
		dyn_state_free(&k);
		dyn_state_init(&k);
		if (dyn_state_read_kernel(&d->ns, &k, now) < 0) {
			fprintf(stderr, "rosfwd: reading the dynamic sets: %s\n", strerror(errno));
			dyn_state_free(&k);
			return -1;
		}
	}
	if (d->dns) {
		size_t o = 0;

		/* Answers of DNS names are looked up again on start, never
		 * restored: a saved one could be stale by then. */
		for (i = 0; i < k.n; i++)
			if (!dns_owns(d->dns, k.e[i].family, k.e[i].set, k.e[i].key))
				k.e[o++] = k.e[i];
		if (o != k.n) {
			k.n = o;
			dyn_state_seal(&k);
		}
	}
	for (i = 0; i < k.n; i++) {
		const struct dyn_entry *old = dyn_state_find(&d->known, &k.e[i], i);

		if (!old && d->have_saved)
			old = dyn_state_find(&d->saved, &k.e[i], i);
		if (old)
			k.e[i].created = old->created;
	}
	dns_save(d->dns, &k);
	dyn_state_free(&d->known);
	d->known = k;
	if (force_save || !d->have_saved || differs(&d->known, &d->saved) || dyn_answers_differ(&d->known, &d->saved)) {
		if (dyn_state_save(&d->known, d->state) < 0) {
			fprintf(stderr, "rosfwd: saving %s: %s\n", d->state, strerror(errno));
			return -1;
		}
		dyn_state_copy(&d->saved, &d->known);
		d->have_saved = true;
		saved = true;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (d->verbose)
		fprintf(stderr, "rosfwd: poll: %zu entries, %.1f ms%s\n", d->known.n,
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
			saved ? ", saved" : "");
	return 0;
}

/* The configuration /metrics names the rules by, and its DNS names; kept
 * from the last load that had no errors. */
static void config_reload(struct daemon *d)
{
	struct source_set *ss;
	struct diag *dg;
	struct model *m;
	const char *failed = NULL;

	if (!d->nfiles)
		return;
	ss = source_set_new();
	dg = diag_new(50);
	m = config_load(d->files, d->nfiles, dg, ss, &failed);
	if (!m || diag_errors(dg)) {
		if (!m)
			fprintf(stderr, "rosfwd: %s: %s; /metrics keeps the configuration it had\n", failed,
				strerror(errno));
		else
			fprintf(stderr, "rosfwd: the configuration has errors; /metrics keeps the one it had\n");
		model_free(m);
		diag_free(dg);
		source_set_free(ss);
		return;
	}
	/* Every name is looked up again after this (SIGHUP): the apply
	 * rebuilt the static sets without their answers. */
	{
		struct dns *nd = dns_new(m);

		dns_handover(nd, d->dns, &d->ns);
		dns_free(d->dns);
		d->dns = nd;
	}
	model_free(d->model);
	diag_free(d->dg);
	source_set_free(d->ss);
	d->model = m;
	d->dg = dg;
	d->ss = ss;
}

static void reapply(struct daemon *d)
{
	char **argv;
	int i, rc;

	if (!d->nfiles) {
		fprintf(stderr, "rosfwd: SIGHUP: no configuration given, nothing to apply\n");
		return;
	}
	argv = xcalloc((size_t)d->nfiles + 2, sizeof(*argv));
	argv[0] = (char *)"apply";
	for (i = 0; i < d->nfiles; i++)
		argv[i + 1] = d->files[i];
	rc = cmd_apply(d->nfiles + 1, argv);
	fprintf(stderr, "rosfwd: SIGHUP: apply %s (exit %d)\n", rc ? "failed" : "done", rc);
	free(argv);
	config_reload(d);
}

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int state_dir(const char *path)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon d = { 0 };
	sigset_t mask;
	int sfd, lfd = -1, rc = 0;
	int64_t next, dns_next;

	if (opts_parse(argc, argv, &d) < 0)
		return usage(stderr, 2);
	if (state_dir(d.state) < 0) {
		fprintf(stderr, "rosfwd: %s: %s\n", d.state, strerror(errno));
		return 3;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	/* Signals wait in the descriptor until the loop reads them: a
	 * SIGTERM during a save never cuts the save short. */
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || !nlsock_open(&d.ns)) {
		fprintf(stderr, "rosfwd: %s\n", strerror(errno));
		return 3;
	}
	if (d.metrics_port && !d.once && (lfd = metrics_listen(d.metrics_port)) < 0) {
		fprintf(stderr, "rosfwd: 127.0.0.1:%u: %s\n", d.metrics_port, strerror(errno));
		return 3;
	}
	dyn_state_init(&d.known);
	config_reload(&d);
	state_load(&d);
	if (d.have_saved)
		dns_load(d.dns, &d.saved);
	/* Names first: their answers are then known, and not taken for
	 * dynamic entries to save. */
	dns_next = mono_ms() + dns_refresh(d.dns, &d.ns, &d.dns_opts, mono_ms(), true);
	if (sync_once(&d, true, false) < 0 && d.once)
		rc = 3;
	next = mono_ms() + (int64_t)d.interval * 1000;
	while (!d.once) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN }, { .fd = lfd, .events = POLLIN } };
		struct signalfd_siginfo si;
		int64_t wait = (dns_next < next ? dns_next : next) - mono_ms();
		int n = poll(p, lfd >= 0 ? 2 : 1, wait > 0 ? (int)wait : 0);

		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "rosfwd: poll: %s\n", strerror(errno));
			rc = 3;
			break;
		}
		if (n > 0 && (p[1].revents & POLLIN))
			metrics_serve(lfd, &d.ns, d.model);
		if (mono_ms() >= dns_next)
			dns_next = mono_ms() + dns_refresh(d.dns, &d.ns, &d.dns_opts, mono_ms(), false);
		if (mono_ms() >= next) {
			sync_once(&d, false, false);
			next = mono_ms() + (int64_t)d.interval * 1000;
		}
		if (n <= 0 || !(p[0].revents & POLLIN) || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			reapply(&d);
			dns_next = mono_ms() + dns_refresh(d.dns, &d.ns, &d.dns_opts, mono_ms(), true);
			sync_once(&d, false, false);
		} else {
			rc = sync_once(&d, false, true) < 0 ? 3 : 0;
			fprintf(stderr, "rosfwd: saved %zu entries, exiting\n", d.known.n);
			break;
		}
	}
	dyn_state_free(&d.known);
	dyn_state_free(&d.saved);
	dns_free(d.dns);
	model_free(d.model);
	diag_free(d.dg);
	source_set_free(d.ss);
	nlsock_close(&d.ns);
	close(sfd);
	if (lfd >= 0)
		close(lfd);
	return rc;
}
