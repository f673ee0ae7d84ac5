/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "keeper.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "addrlist_impl.h"
#include "apply.h"
#include "config.h"
#include "diag.h"
#include "dynstate.h"
#include "gwcheck.h"
#include "exitcode.h"
#include "kname.h"
#include "kread.h"
#include "lower.h"
#include "nlsock.h"
#include "record.h"
#include "routes.h"
#include "routing.h"
#include "safefile.h"
#include "source.h"
#include "trust.h"
#include "xalloc.h"

/* An expiry that moved less than this is the same (the kernel's time
 * left is read a few ms apart); more means a rule refreshed the entry. */
#define EXPIRY_SLACK_MS 1000

struct rosfwd_cfg {
	struct applied *a;	/* lowered too: /metrics checks the kernel's rules against it */
	atomic_int refs;
};

const struct model *rosfwd_cfg_model(const struct rosfwd_cfg *c)
{
	return c ? c->a->m : NULL;
}

const struct applied *rosfwd_cfg_applied(const struct rosfwd_cfg *c)
{
	return c ? c->a : NULL;
}

struct rosfwd_cfg *rosfwd_cfg_get(struct rosfwd_cfg *c)
{
	if (c)
		atomic_fetch_add(&c->refs, 1);
	return c;
}

void rosfwd_cfg_put(struct rosfwd_cfg *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	applied_free(c->a);
	free(c);
}

struct keeper {
	struct keeper_opts o;
	struct rosfwd_cfg *cfg;		/* the last that loaded without errors */
	struct dns *dns;		/* its DNS-name entries, NULL: none */
	struct nlsock ns;
	struct dyn_state known;		/* as last read (creation times) */
	struct dyn_state saved;		/* as last written */
	bool have_saved;
	int read_errno;			/* the last read's failure, said once */
	int64_t read_ms, read_at;	/* how long the last read took, when it ended */
	uint64_t handle[2];		/* rosfw's tables (ip, ip6) as last seen, 0: none */
	bool gone_said, reapply_said;
	int lock;			/* held on .STATE.lock for the daemon's life */
	struct gwcheck *gw;		/* check-gateway=ping of the configuration's routes */
};

/*
 * A warning that must stand out in the journal: under systemd, whose
 * stderr stream is JOURNAL_STREAM, a "<4>" prefix gives the line
 * warning priority (sd-daemon(3)); on a terminal it is plain.
 */
static void warn_loud(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn_loud(const char *fmt, ...)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long dev, ino;
	struct stat st;
	va_list ap;

	if (js && sscanf(js, "%lu:%lu", &dev, &ino) == 2 && fstat(2, &st) == 0 && st.st_dev == (dev_t)dev &&
	    st.st_ino == (ino_t)ino)
		fputs("<4>", stderr);
	fputs("rosfwd: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The configuration's files as they are now; NULL (said why) when one
 * cannot be read or has errors. */
static struct rosfwd_cfg *cfg_load(const struct keeper_opts *o)
{
	struct rosfwd_cfg *c;
	struct applied *a;
	int rc;

	if (!o->nfiles)
		return NULL;
	/* A file that cannot be read, or errors, were said on stderr. */
	if (!(a = applied_from_files(o->files, o->nfiles, &o->ifo, &rc))) {
		if (rc == EXIT_CONFIG)
			fprintf(stderr, "rosfwd: the configuration has errors (above)\n");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	atomic_init(&c->refs, 1);
	c->a = a;
	return c;
}

/* A damaged state file goes aside, under a name no earlier damaged file
 * has: the first one found is the one worth reading. */
static void move_aside(const char *path, const char *why)
{
	char aside[PATH_MAX];
	int i;

	for (i = 0; i < 100; i++) {
		if (i)
			snprintf(aside, sizeof(aside), "%s.corrupt.%d", path, i);
		else
			snprintf(aside, sizeof(aside), "%s.corrupt", path);
		if (renameat2(AT_FDCWD, path, AT_FDCWD, aside, RENAME_NOREPLACE) == 0) {
			fprintf(stderr, "rosfwd: %s: corrupt (%s): moved to %s, starting without saved entries\n", path,
				why, aside);
			return;
		}
		if (errno != EEXIST)
			break;
	}
	fprintf(stderr, "rosfwd: %s: corrupt (%s), and moving it aside failed: %s; starting without saved entries\n",
		path, why, strerror(errno));
}

/* The saved state; false when the file exists but cannot be read, as
 * the first save would then destroy it. A damaged file is moved aside and
 * the daemon starts without it. */
static bool state_load(struct keeper *k)
{
	char why[256];
	int rc = dyn_state_load(&k->saved, k->o.state, why, sizeof(why));

	if (rc == 0) {
		k->have_saved = true;
		fprintf(stderr, "rosfwd: %s: %zu saved entries\n", k->o.state, k->saved.n);
	} else if (rc == -1) {
		fprintf(stderr, "rosfwd: %s: cannot be read (%s); not starting, as the first save would replace it: make it readable, or move it away to start without it\n",
			k->o.state, strerror(errno));
		return false;
	} else if (rc == -2) {
		move_aside(k->o.state, why);
	}
	return true;
}

/* The state file's lock, .NAME.lock beside it (in a directory only we
 * write: trust_private), held until the process ends. */
static bool state_lock(struct keeper *k)
{
	const char *slash = strrchr(k->o.state, '/');
	char path[PATH_MAX];

	if (slash)
		snprintf(path, sizeof(path), "%.*s/.%s.lock", (int)(slash - k->o.state), k->o.state, slash + 1);
	else
		snprintf(path, sizeof(path), ".%s.lock", k->o.state);
	k->lock = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (k->lock < 0) {
		fprintf(stderr, "rosfwd: %s: %s\n", path, strerror(errno));
		return false;
	}
	if (flock(k->lock, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "rosfwd: %s: %s\n", k->o.state,
			errno == EWOULDBLOCK ? "another rosfwd keeps this state file" : strerror(errno));
		return false;
	}
	return true;
}

struct keeper *keeper_new(const struct keeper_opts *o)
{
	struct keeper *k = xcalloc(1, sizeof(*k));
	char why[512];
	int n;

	k->o = *o;
	k->lock = -1;
	/* Capability first: without it nothing here can work, and whatever
	 * else is wrong is said after it. */
	if (nlsock_admin_check() < 0 && (errno == EPERM || errno == EACCES)) {
		fprintf(stderr, "rosfwd: reading the firewall needs CAP_NET_ADMIN: run rosfwd as root\n");
		goto fail;
	}
	if (trust_make_dir(o->state) < 0) {
		fprintf(stderr, "rosfwd: %s: %s\n", o->state, strerror(errno));
		goto fail;
	}
	if (trust_private(o->state, why, sizeof(why)) < 0) {
		fprintf(stderr, "rosfwd: refusing the state file %s: %s\n", o->state, why);
		goto fail;
	}
	/* Two daemons saving over each other's file would lose entries. */
	if (!state_lock(k))
		goto fail;
	/* The directory is ours alone (above): what a killed save left
	 * there is ours to remove. */
	n = safefile_sweep(o->state);
	if (n > 0)
		fprintf(stderr, "rosfwd: removed %d temporary file%s a killed save left beside %s\n", n,
			n == 1 ? "" : "s", o->state);
	if (!nlsock_open(&k->ns)) {
		fprintf(stderr, "rosfwd: netlink: %s\n", strerror(errno));
		goto fail;
	}
	dyn_state_init(&k->known);
	if (!state_load(k)) {
		nlsock_close(&k->ns);
		goto fail;
	}
	k->cfg = cfg_load(o);
	if (o->nfiles && !k->cfg) {
		fprintf(stderr, "rosfwd: not starting without a configuration that loads\n");
		dyn_state_free(&k->saved);
		nlsock_close(&k->ns);
		goto fail;
	}
	k->dns = k->cfg ? dns_new(k->cfg->a->m) : NULL;
	return k;
fail:
	if (k->lock >= 0)
		close(k->lock);
	free(k);
	return NULL;
}

void keeper_free(struct keeper *k)
{
	if (!k)
		return;
	dyn_state_free(&k->known);
	dyn_state_free(&k->saved);
	dns_free(k->dns);
	gwcheck_free(k->gw);
	rosfwd_cfg_put(k->cfg);
	nlsock_close(&k->ns);
	if (k->lock >= 0)
		close(k->lock);
	free(k);
}

struct rosfwd_cfg *keeper_cfg(struct keeper *k)
{
	return rosfwd_cfg_get(k->cfg);
}

/*
 * Saved entries the kernel does not hold, back into the sets they came
 * from, timing out when they would have. Entries of lists that are gone
 * stay gone (as a re-apply drops them); untimed entries do not outlive
 * the boot they were made in, unless they are static (lasting).
 */
static size_t restore(struct keeper *d, const struct dyn_state *k, int64_t now)
{
	const struct dyn_state *sv = &d->saved;
	bool same_boot = sv->boot_id[0] && !strcmp(sv->boot_id, k->boot_id);
	size_t i = 0, total = 0;

	while (i < sv->n) {
		const struct dyn_entry *first = &sv->e[i];
		struct addrlist_entry *batch = xcalloc(sv->n - i, sizeof(*batch));
		size_t nb = 0, failed = 0;
		bool set_there = false;
		bool runtime = kname_set_kind(dyn_set_name(first->set)) == KNAME_LIST_RT;
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

/* The kernel's dynamic sets into *k: 0, or -1 (errno kept) after saying
 * why, once for as long as the same failure lasts. */
static int read_kernel(struct keeper *d, struct dyn_state *k, int64_t now)
{
	int64_t t0 = mono_ms();
	int e;

	dyn_state_init(k);
	if (dyn_state_read_kernel(&d->ns, k, now) == 0) {
		if (d->read_errno)
			fprintf(stderr, "rosfwd: the dynamic sets can be read again\n");
		d->read_errno = 0;
		d->read_at = mono_ms();
		d->read_ms = d->read_at - t0;
		return 0;
	}
	e = errno;
	dyn_state_free(k);
	if (e != d->read_errno)
		fprintf(stderr, "rosfwd: reading the dynamic sets: %s%s\n", strerror(e),
			e == EPERM || e == EACCES ? " (rosfwd needs CAP_NET_ADMIN)" : "");
	d->read_errno = e;
	errno = e;
	return -1;
}

/*
 * One poll: the kernel's dynamic entries, each with the creation time it
 * had (or now), saved when they differ from the file. `restore_first`:
 * put back what the kernel lost before reading. `kern` NULL: read now;
 * else what was read (taken over). 0; -1 when the kernel could not be
 * read; -2 when the file could not be written (said why).
 */
static int sync_once(struct keeper *d, bool restore_first, bool force_save, struct dyn_state *kern)
{
	struct dyn_state k;
	int64_t now = dyn_now_ms(), t0 = mono_ms();
	size_t i;
	bool saved = false;

	if (kern)
		k = *kern;
	else if (read_kernel(d, &k, now) < 0)
		return -1;
	if (restore_first && d->have_saved && restore(d, &k, now)) {
		dyn_state_free(&k);
		if (read_kernel(d, &k, now) < 0)
			return -1;
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
		if (dyn_state_save(&d->known, d->o.state) < 0) {
			fprintf(stderr, "rosfwd: saving %s: %s\n", d->o.state, strerror(errno));
			return -2;
		}
		dyn_state_copy(&d->saved, &d->known);
		d->have_saved = true;
		saved = true;
	}
	if (d->o.verbose)
		fprintf(stderr, "rosfwd: poll: %zu entries, read in %lld ms, %lld ms in all%s\n", d->known.n,
			(long long)d->read_ms, (long long)(mono_ms() - t0), saved ? ", saved" : "");
	return 0;
}

static void handle_of(void *ctx, const struct kread_table *t)
{
	*(uint64_t *)ctx = t->handle;
}

/* The handles of rosfw's tables now (0: no such table): a table made anew
 * (a flush, then an apply) has a new one. -1 when the kernel did not say. */
static int tables_now(struct keeper *k, uint64_t h[2])
{
	static const int families[2] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	int f;

	for (f = 0; f < 2; f++) {
		h[f] = 0;
		if (kread_table(&k->ns, families[f], handle_of, &h[f]) < 0)
			return -1;
	}
	return 0;
}

int keeper_start(struct keeper *k)
{
	int rc;

	if (tables_now(k, k->handle) < 0)
		memset(k->handle, 0, sizeof(k->handle));
	if (k->have_saved)
		dns_load(k->dns, &k->saved);
	/* Names first: their answers are then known, and not taken for
	 * dynamic entries to save. */
	keeper_dns(k, true);
	rc = sync_once(k, true, false, NULL);
	return rc ? 1 : 0;
}

static int keeper_apply(struct keeper *k, const char *why);

/*
 * A poll. While a table whose entries the file holds is gone (a flush),
 * nothing is saved: the file keeps them. A table made anew since the last
 * poll (flush and apply, with rosfwd running) gets them back, as on start.
 */
int keeper_poll(struct keeper *k, int64_t *ms)
{
	int64_t t0 = mono_ms();
	uint64_t h[2];
	bool gone = false, remade = false;
	int rc, f;

	if (tables_now(k, h) == 0) {
		for (f = 0; f < 2; f++) {
			gone |= k->handle[f] && !h[f];
			remade |= k->handle[f] && h[f] && h[f] != k->handle[f];
		}
		if (gone && !k->gone_said)
			warn_loud("rosfw's tables are gone from the kernel (rosfw flush, nft flush ruleset, a nftables.service reload or restart?): the configuration's firewall is not in force; %s keeps their entries until they are back%s",
				  k->o.state,
				  k->o.reapply_on_loss && k->o.nfiles ? "; applying the configuration again"
								      : " (rosfwd --reapply-on-loss would apply the configuration again)");
		if (gone && k->o.reapply_on_loss && k->o.nfiles) {
			k->gone_said = true;
			if (keeper_apply(k, "tables lost") == 0 && tables_now(k, h) == 0) {
				/* remade by us: their saved entries go back below,
				 * the names' answers now */
				remade = true;
				gone = false;
				keeper_dns(k, true);
			}
		}
		if (gone) {
			k->gone_said = true;
			*ms = mono_ms() - t0;
			return 0;
		}
		if (k->gone_said)
			fprintf(stderr, "rosfwd: rosfw's tables are back\n");
		if (remade)
			fprintf(stderr, "rosfwd: rosfw's tables were made anew: putting back the saved entries they lack\n");
		memcpy(k->handle, h, sizeof(h));
		k->gone_said = false;
	}
	rc = sync_once(k, remade, false, NULL);
	*ms = mono_ms() - t0;
	/* Not counted in the poll's time: answers are awaited up to 500 ms. */
	if (k->cfg && rosfwd_cfg_applied(k->cfg) && rosfwd_cfg_applied(k->cfg)->ir) {
		const struct route_plan *plan = rosfwd_cfg_applied(k->cfg)->ir->routing;

		if (!k->gw)
			k->gw = gwcheck_new();
		gwcheck_round(k->gw, plan, 500);
		/* An interface that came back up does not bring back the
		 * routes the kernel dropped when it went down. */
		gwcheck_links(k->gw, plan);
	}
	return rc;
}

int64_t keeper_dns(struct keeper *k, bool all)
{
	return dns_refresh(k->dns, &k->ns, &k->o.dns, mono_ms(), all);
}

/* rosfw apply CONFIG..., with rosfwd's --unsupported; its exit code. A
 * failure after a lost table is said each time, but once until it works. */
static int keeper_apply(struct keeper *k, const char *why)
{
	char **argv = xcalloc((size_t)k->o.nfiles + (size_t)k->o.napply_args + 4, sizeof(*argv)), opt[64];
	int i, n = 0, rc;

	argv[n++] = (char *)"apply";
	/* A daemon's apply must not fail for an interface that is down or
	 * not made yet (ppp, a bridge networkd makes later): the old ruleset
	 * would stay. The missing ones are logged as warnings. */
	argv[n++] = (char *)"--missing-interfaces=warn";
	if (k->o.unsupported) {
		snprintf(opt, sizeof(opt), "--unsupported=%s", k->o.unsupported);
		argv[n++] = opt;
	}
	for (i = 0; i < k->o.napply_args; i++)
		argv[n++] = k->o.apply_args[i];
	for (i = 0; i < k->o.nfiles; i++)
		argv[n++] = k->o.files[i];
	rc = cmd_apply(n, argv);
	free(argv);
	if (rc && strcmp(why, "SIGHUP") && k->reapply_said)
		return rc;
	k->reapply_said = rc != 0;
	if (rc && strcmp(why, "SIGHUP"))
		warn_loud("%s: apply failed (exit %d): rosfw's tables are still gone; trying again at each poll", why, rc);
	else
		fprintf(stderr, "rosfwd: %s: apply %s (exit %d)\n", why, rc ? "failed" : "done", rc);
	return rc;
}

void keeper_reload(struct keeper *k)
{
	struct rosfwd_cfg *c;

	if (!k->o.nfiles) {
		fprintf(stderr, "rosfwd: SIGHUP: no configuration given, nothing to apply\n");
		return;
	}
	keeper_apply(k, "SIGHUP");
	c = cfg_load(&k->o);
	if (!c) {
		fprintf(stderr, "rosfwd: /metrics and the DNS names keep the configuration they had\n");
	} else {
		/* The apply rebuilt the static sets without the names'
		 * answers: every name is looked up again below. */
		struct dns *nd = dns_new(c->a->m);

		dns_handover(nd, k->dns, &k->ns);
		dns_free(k->dns);
		k->dns = nd;
		rosfwd_cfg_put(k->cfg);
		k->cfg = c;
	}
	keeper_dns(k, true);
	sync_once(k, false, false, NULL);
}

int keeper_stop(struct keeper *k, int64_t read_max_ms, int64_t asked)
{
	int rc;

	if (k->read_at && (k->read_ms > read_max_ms || k->read_at >= asked)) {
		/* A read that ended after the stop was asked is as good as a
		 * new one; and where a read takes minutes, one more would hold
		 * the stop as long. */
		struct dyn_state last;

		if (k->read_ms > read_max_ms)
			fprintf(stderr, "rosfwd: a read takes %lld s: saving what the last poll read\n",
				(long long)(k->read_ms / 1000));
		dyn_state_init(&last);
		dyn_state_copy(&last, &k->known);
		rc = sync_once(k, false, true, &last);
	} else {
		rc = sync_once(k, false, true, NULL);
	}
	if (rc == 0) {
		fprintf(stderr, "rosfwd: saved %zu entr%s, exiting\n", k->known.n, k->known.n == 1 ? "y" : "ies");
		return 0;
	}
	fprintf(stderr, "rosfwd: exiting without saving: %s keeps what it held\n", k->o.state);
	return EXIT_IO;
}
