/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfwd: keeps the dynamic address-list entries of rosfw's tables on
 * disk, so the entries RouterOS would keep survive a daemon restart, a
 * flush and re-apply, and (timed ones) a reboot, with the time they have
 * left; remembers when each entry first appeared; re-applies the
 * configuration on SIGHUP; serves /metrics. It polls: the kernel sends no
 * events for elements that rules add from the packet path.
 *
 * Two threads. This one waits for signals, timers and /metrics clients,
 * and never for anything else; the keeper's thread does what may take
 * long, one job at a time (a poll of a million entries takes minutes, a
 * DNS lookup seconds, an apply of 50k rules one), so a scrape, a signal
 * or the next poll is never held by a client or by a slow job.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "dynstate.h"
#include "version.h"
#include "exitcode.h"
#include "keeper.h"
#include "metrics.h"
#include "nlsock.h"
#include "xalloc.h"

/* SIGTERM reads the sets one last time unless a read takes longer than
 * this; then it saves what the last poll read (systemd's stop timeout is
 * 90 s by default). */
#define STOP_READ_MAX_MS 10000

enum job { JOB_START = 1, JOB_STOP = 2, JOB_RELOAD = 4, JOB_DNS = 8, JOB_POLL = 16 };

/**
 * struct daemon - the options, and what the two threads share.
 * @mu:      guards @want, @busy and the results below it.
 * @want:    jobs asked for (enum job bits), run most urgent first.
 * @busy:    the job running, 0 when the keeper's thread waits.
 * @done:    a pipe: one byte when a job ends, to wake this thread's poll.
 * @dns_next: monotonic ms when a name is due, from the last DNS job.
 * @stop_asked: monotonic ms of the SIGTERM.
 * @poll_ms: how long the last poll took, -1 after a failed one, -2 when
 *           no poll ended since this thread last looked.
 * @rc:      the exit code once the keeper's thread has ended (the stop job
 *           is done).
 */
struct daemon {
	unsigned interval;
	bool once;
	unsigned metrics_port;		/* 0: no /metrics */
	struct keeper_opts ko;
	struct keeper *k;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned want, busy;
	int done[2];
	int64_t dns_next, poll_ms, stop_asked;
	int rc;
	bool ended, cfg_changed;
};

static int usage(FILE *out, int code)
{
	fputs("usage: rosfwd [--state FILE] [--interval SECONDS] [--metrics-port PORT] [--dns-refresh SECONDS]\n"
	      "              [--dns-floor SECONDS] [--dns-cap SECONDS] [--unsupported=error|skip-rule]\n"
	      "              [--interface ROUTER=LINUX[,LINUX...]]... [--interface-map FILE|none]\n"
	      "              [--reapply-on-loss] [--once] [--verbose] [--version] [CONFIG...]\n"
	      "\n"
	      "Keeps the dynamic address-list entries of rosfw's tables in FILE (default " DYN_STATE_DEFAULT "):\n"
	      "on start it puts back saved entries the kernel lost (a flush, a re-apply without rosfw,\n"
	      "a reboot) with the time they have left, then reads the dynamic sets every SECONDS\n"
	      "(default 10 after the last read ended: reads never overlap) and saves when entries came,\n"
	      "went or got a new timeout.\n"
	      "  SIGHUP   rosfw apply CONFIG... in this process, then read the sets\n"
	      "  --unsupported=error|skip-rule  as rosfw apply takes it, for every apply rosfwd makes\n"
	      "  --reapply-on-loss  when rosfw's tables vanish (nft flush ruleset, a nftables.service\n"
	      "           reload), apply CONFIG again at the next poll; without it rosfwd only warns.\n"
	      "           Stop rosfwd before a rosfw flush that is meant to last\n"
	      "  SIGTERM  read the sets (unless a read takes over 10 s: then what the last one read), save,\n"
	      "           exit; a second SIGTERM exits at once\n"
	      "  --metrics-port PORT  serve GET /metrics on 127.0.0.1:PORT: rosfw print stats --prometheus\n"
	      "           of CONFIG, without CONFIG of what rosfw apply recorded (both families, every\n"
	      "           facility); 503 when the kernel holds another; HEAD too; 64 clients at once, each\n"
	      "           given 10 s for its request and answer\n"
	      "  --dns-refresh SECONDS  look names /etc/hosts answers up again this often (default 300);\n"
	      "           DNS answers are looked up again when their TTL runs out. Both are clamped to\n"
	      "           [--dns-floor, --dns-cap] (default 30, 3600).\n"
	      "           A failed lookup keeps the last answer and is retried after the floor, doubling to the cap\n"
	      "  --once   start, read and save once, exit (for scripts and tests)\n"
	      "  --verbose  one line per poll: entries, milliseconds taken, saved or not\n"
	      "  --interface, --interface-map  given to SIGHUP's apply, as rosfw apply takes them\n"
	      "           (default map " CONFIG_IFMAP_DEFAULT " when it exists); checked at start\n"
	      "FILE and its directory must be writable by root (or this user) alone, FILE not a link:\n"
	      "rosfwd puts what it says into the firewall. A FILE it cannot read stops the start (the first\n"
	      "save would replace it); a corrupt or truncated one is reported, renamed FILE.corrupt (then\n"
	      "FILE.corrupt.1, ...) and not used.\n"
	      "Entries without a timeout (none-dynamic, none-static) come back after a restart but not\n"
	      "after a reboot: the kernel does not tell the two apart.\n"
	      "Stopped by SIGTERM, rosfwd exits 0; 3 also when FILE is unsafe or unreadable, or the port\n"
	      "cannot be opened.\n" EXIT_HELP,
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
		{ "interface", required_argument, NULL, 'I' },
		{ "interface-map", required_argument, NULL, 'M' },
		{ "unsupported", required_argument, NULL, 'u' },
		{ "reapply-on-loss", no_argument, NULL, 'R' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	d->ko.state = DYN_STATE_DEFAULT;
	d->interval = 10;
	d->ko.dns = (struct dns_opts){ .refresh = 300, .floor = 30, .cap = 3600 };
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!*optarg) {
				fprintf(stderr, "rosfwd: --state needs a file name\n");
				return -1;
			}
			d->ko.state = optarg;
			break;
		case 'i':
		case 'r':
		case 'f':
		case 'c': {
			static const char *const names[] = { "interval", "dns-refresh", "dns-floor", "dns-cap" };
			unsigned *slot[] = { &d->interval, &d->ko.dns.refresh, &d->ko.dns.floor, &d->ko.dns.cap };
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
			d->ko.verbose = true;
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
		case 'I':
		case 'M': {
			/* SIGHUP's apply takes them as they were given. */
			size_t n = strlen(optarg) + 20;
			char *a = xmalloc(n);

			snprintf(a, n, "--%s=%s", c == 'I' ? "interface" : "interface-map", optarg);
			if (c == 'I')
				config_opt_interface(&d->ko.ifo, optarg);
			else if (!config_opt_interface_map(&d->ko.ifo, optarg))
				return -1;
			d->ko.apply_args = xreallocarray(d->ko.apply_args, (size_t)d->ko.napply_args + 1,
							 sizeof(*d->ko.apply_args));
			d->ko.apply_args[d->ko.napply_args++] = a;
			break;
		}
		case 'u': {
			enum unsupported_policy pol;

			if (!config_opt_unsupported(optarg, &pol))
				return -1;
			d->ko.unsupported = optarg;
			break;
		}
		case 'R':
			d->ko.reapply_on_loss = true;
			break;
		case 'V':
			puts("rosfwd " ROSFW_VERSION);
			exit(EXIT_OK);
		case 'h':
			usage(stdout, EXIT_OK);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	if (d->ko.dns.floor > d->ko.dns.cap) {
		fprintf(stderr, "rosfwd: --dns-floor above --dns-cap\n");
		return -1;
	}
	d->ko.files = argv + optind;
	d->ko.nfiles = argc - optind;
	if (d->ko.reapply_on_loss && !d->ko.nfiles) {
		fprintf(stderr, "rosfwd: --reapply-on-loss needs the CONFIG to apply\n");
		return -1;
	}
	return 0;
}


static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The most urgent job asked for: stopping first, polls last. */
static unsigned job_next(unsigned want)
{
	return want & -want;
}

static void *keeper_thread(void *arg)
{
	struct daemon *d = arg;
	bool end = false;

	while (!end) {
		int64_t next = -1, ms = -1;
		unsigned job;
		int rc = 0;

		pthread_mutex_lock(&d->mu);
		while (!d->want)
			pthread_cond_wait(&d->cv, &d->mu);
		job = job_next(d->want);
		d->want &= ~job;
		d->busy = job;
		pthread_mutex_unlock(&d->mu);
		switch (job) {
		case JOB_START:
			rc = keeper_start(d->k);
			next = keeper_dns(d->k, false);
			break;
		case JOB_STOP:
			rc = keeper_stop(d->k, STOP_READ_MAX_MS, d->stop_asked);
			break;
		case JOB_RELOAD:
			keeper_reload(d->k);
			next = keeper_dns(d->k, false);
			break;
		case JOB_DNS:
			next = keeper_dns(d->k, false);
			break;
		case JOB_POLL:
			if (keeper_poll(d->k, &ms) < 0)
				ms = -1;
			break;
		}
		pthread_mutex_lock(&d->mu);
		d->busy = 0;
		if (next >= 0)
			d->dns_next = mono_ms() + next;
		if (job == JOB_POLL || job == JOB_START)
			d->poll_ms = ms;
		if (job == JOB_RELOAD)
			d->cfg_changed = true;
		end = job == JOB_STOP;
		if (end) {
			d->ended = true;
			d->rc = rc;
		}
		pthread_mutex_unlock(&d->mu);
		if (write(d->done[1], "", 1) < 0) {
			/* The pipe holds a byte already: this thread's poll
			 * wakes for it either way. */
		}
	}
	return NULL;
}

static void ask(struct daemon *d, unsigned job)
{
	pthread_mutex_lock(&d->mu);
	if (job == JOB_STOP)
		d->stop_asked = mono_ms();
	d->want |= job;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

/* --once: the start job in this thread, nothing after it. */
static int run_once(struct daemon *d)
{
	return keeper_start(d->k) ? EXIT_IO : EXIT_OK;
}

/**
 * struct loop - this thread's view.
 * @next_poll: monotonic ms of the next poll, INT64_MAX while one runs or
 *             waits (the next is timed from its end: polls never overlap).
 * @slow_said: a poll longer than the interval was reported.
 */
struct loop {
	int sfd;
	struct metrics *srv;
	struct nlsock q;		/* /metrics' reads, apart from the keeper's */
	struct rosfwd_cfg *cfg;		/* what /metrics names the rules by */
	int64_t next_poll, dns_next;
	bool stopping, slow_said;
};

/* What the keeper's thread finished: new timers, a new configuration, the
 * end. False: it has ended (d->rc says how). */
static bool collect(struct daemon *d, struct loop *l)
{
	char b[64];
	int64_t now = mono_ms(), poll_ms = -2;
	bool cfg, end;

	while (read(d->done[0], b, sizeof(b)) == (ssize_t)sizeof(b))
		;
	pthread_mutex_lock(&d->mu);
	l->dns_next = d->dns_next;
	if (d->poll_ms != -2) {
		poll_ms = d->poll_ms;
		d->poll_ms = -2;
	}
	cfg = d->cfg_changed;
	d->cfg_changed = false;
	end = d->ended;
	pthread_mutex_unlock(&d->mu);
	if (end)
		return false;
	if (cfg) {
		rosfwd_cfg_put(l->cfg);
		l->cfg = keeper_cfg(d->k);
	}
	if (poll_ms != -2) {
		l->next_poll = now + (int64_t)d->interval * 1000;
		if (poll_ms > (int64_t)d->interval * 1000 && !l->slow_said) {
			fprintf(stderr, "rosfwd: a poll took %.1f s, longer than --interval %u s: polls now run back to back, each starting %u s after the last ended\n",
				(double)poll_ms / 1000, d->interval, d->interval);
			l->slow_said = true;
		}
	}
	return true;
}

/* A signal: SIGHUP re-applies, SIGTERM or SIGINT stops (a second one
 * stops at once, without the last save). False: leave the loop now. */
static bool on_signal(struct daemon *d, struct loop *l)
{
	struct signalfd_siginfo si;

	if (read(l->sfd, &si, sizeof(si)) != sizeof(si))
		return true;
	if (si.ssi_signo == SIGHUP) {
		ask(d, JOB_RELOAD);
		return true;
	}
	if (l->stopping) {
		fprintf(stderr, "rosfwd: signal %u again: exiting without waiting for the save\n", si.ssi_signo);
		return false;
	}
	l->stopping = true;
	ask(d, JOB_STOP);
	return true;
}

static int run(struct daemon *d, int sfd)
{
	struct loop l = { .sfd = sfd, .next_poll = INT64_MAX, .dns_next = INT64_MAX };
	struct pollfd p[METRICS_CLIENTS + 3];
	bool ended;
	pthread_t th;
	int err, rc = EXIT_IO;

	if (!nlsock_open(&l.q)) {
		fprintf(stderr, "rosfwd: netlink: %s\n", strerror(errno));
		return EXIT_IO;
	}
	if (d->metrics_port && !(l.srv = metrics_listen(d->metrics_port))) {
		fprintf(stderr, "rosfwd: 127.0.0.1:%u: %s\n", d->metrics_port, strerror(errno));
		nlsock_close(&l.q);
		return EXIT_IO;
	}
	l.cfg = keeper_cfg(d->k);
	d->poll_ms = -2;
	d->want = JOB_START;
	if ((err = pthread_create(&th, NULL, keeper_thread, d))) {
		fprintf(stderr, "rosfwd: thread: %s\n", strerror(err));
		metrics_free(l.srv);
		nlsock_close(&l.q);
		rosfwd_cfg_put(l.cfg);
		return EXIT_IO;
	}
	for (;;) {
		int64_t now = mono_ms(), deadline = l.next_poll < l.dns_next ? l.next_poll : l.dns_next, wait;
		size_t n = 2;
		int k;

		p[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = d->done[0], .events = POLLIN };
		if (l.srv)
			n += metrics_pollfds(l.srv, p + 2, &deadline);
		wait = deadline - now;
		k = poll(p, (nfds_t)n, wait <= 0 ? 0 : wait > 86400000 ? 86400000 : (int)wait);
		if (k < 0 && errno != EINTR) {
			fprintf(stderr, "rosfwd: poll: %s\n", strerror(errno));
			break;
		}
		now = mono_ms();
		if (k > 0 && (p[1].revents & POLLIN) && !collect(d, &l)) {
			rc = d->rc;
			break;
		}
		if (l.srv)
			metrics_serve(l.srv, p + 2, now, &l.q, rosfwd_cfg_applied(l.cfg));
		if (now >= l.next_poll && !l.stopping) {
			l.next_poll = INT64_MAX;
			ask(d, JOB_POLL);
		}
		if (now >= l.dns_next && !l.stopping) {
			l.dns_next = INT64_MAX;
			ask(d, JOB_DNS);
		}
		if (k > 0 && (p[0].revents & POLLIN) && !on_signal(d, &l)) {
			rc = EXIT_OK;
			break;
		}
	}
	pthread_mutex_lock(&d->mu);
	ended = d->ended;
	pthread_mutex_unlock(&d->mu);
	/* A thread still busy (a second signal, a failed poll()) must not
	 * hold the exit: it ends with the process. */
	if (ended)
		pthread_join(th, NULL);
	else
		pthread_detach(th);
	metrics_free(l.srv);
	nlsock_close(&l.q);
	rosfwd_cfg_put(l.cfg);
	return rc;
}

/* What opts_parse took; the keeper holds a copy of the pointers, so only
 * once it is gone. */
static void opts_free(struct daemon *d)
{
	int i;

	for (i = 0; i < d->ko.napply_args; i++)
		free(d->ko.apply_args[i]);
	free(d->ko.apply_args);
	config_ifopts_free(&d->ko.ifo);
}

int main(int argc, char **argv)
{
	struct daemon d = { .rc = 0 };
	sigset_t mask;
	int sfd, rc;

	if (opts_parse(argc, argv, &d) < 0) {
		opts_free(&d);
		return usage(stderr, EXIT_IO);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	/* Signals wait in the descriptor until the loop reads them, in
	 * both threads (the keeper's inherits the mask): a SIGTERM during a
	 * save never cuts the save short. */
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || pipe2(d.done, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "rosfwd: %s\n", strerror(errno));
		opts_free(&d);
		return EXIT_IO;
	}
	d.k = keeper_new(&d.ko);
	if (!d.k) {
		opts_free(&d);
		return EXIT_IO;
	}
	pthread_mutex_init(&d.mu, NULL);
	pthread_cond_init(&d.cv, NULL);
	rc = d.once ? run_once(&d) : run(&d, sfd);
	if (d.once || d.ended) {
		keeper_free(d.k);
		opts_free(&d);
	}
	close(sfd);
	return rc;
}
