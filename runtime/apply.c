/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw apply and rosfw flush: the IR as one netlink batch, sent in one
 * sendmsg, every message asking for an ACK and every ACK read back. The
 * kernel applies the batch whole or not at all; an error it reports is
 * mapped from the message's sequence number (and the extended ACK's byte
 * offset) to the RouterOS rule, and printed at that rule's line.
 */
#include "apply.h"
#include "confirm.h"
#include "ctsysctl.h"
#include "editpath.h"
#include "editrec.h"
#include "incr.h"
#include "record.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "changes.h"
#include "diff.h"
#include "emit_nl.h"
#include "forwarding.h"
#include "ifcheck.h"
#include "links.h"
#include "ir_check.h"
#include "exitcode.h"
#include "kread.h"
#include "lower.h"
#include "merge.h"
#include "config.h"
#include "nlsock.h"
#include "model.h"
#include "nlsock.h"
#include "routing.h"
#include "inspectconf.h"
#include "source.h"
#include "state.h"
#include "xalloc.h"

/* No CAP_NET_ADMIN (to read, or to change the firewall): EXIT_IO, said in
 * one line of its own (noperm_report). Never returned by cmd_apply. */
enum { APPLY_NOPERM_READ = -2, APPLY_NOPERM_CHANGE = -1 };
/* apply_incr: a small transaction cannot say the change (never returned
 * by cmd_apply). */
enum { APPLY_FULL = -3 };

#define MAX_ERRORS_DEFAULT 50

struct apply_opts {
	bool check, json, diff;
	bool probe;				/* --fasttrack=auto: the kernel decides */
	bool inspect_given;			/* --inspect: insist, do not ask the kernel */
	unsigned confirm;			/* --confirm SECONDS, 0: none */
	time_t due;				/* when its rollback runs, once armed */
	struct changes *changes;		/* --diff --json: what it found */
	size_t kept_rules, kept_entries;	/* state carried over from the old tables */
	unsigned max_errors;
	long max_warnings;			/* -1: no limit */
	struct lower_opts lower;
	bool merge;				/* merge_runs, after the checks (--merge=no: off) */
	struct ifcheck_opts ifc;		/* --missing-interfaces, --allow-missing */
	bool forwarding;			/* --forwarding=on */
	struct config_ifopts ifo;
	bool incremental;			/* applied as a small transaction */
	struct editrec *edit;			/* the edit record to keep (editrec.h), or NULL */
	uint32_t edit_file;			/* FILE's source id */
	bool edit_mapped;			/* its statements know their kernel rules */
	bool edit_path;				/* applied by the edit path */
};

static int apply_usage(FILE *out, int code)
{
	fputs("usage: rosfw apply [--check | --diff] [--confirm SECONDS] [--unsupported=error|skip-rule] [--json]\n"
	      "                   [--fasttrack=auto|flowtable|fallback] [--flowtable-devices=IF,...] [--inspect=queue|no-queue]\n"
	      "                   [--merge=yes|no]\n"
	      "                   [--missing-interfaces=error|warn] [--allow-missing=IF,...] [--forwarding=on|keep]\n"
	      "                   [--interface ROUTER=LINUX[,LINUX...]]... [--interface-map FILE|none]\n"
	      "                   [--max-errors N] [--max-warnings N] FILE...\n"
	      "       rosfw flush [--check] [--json]\n"
	      "\n"
	      "apply compiles FILE... as rosfw compile does and replaces rosfw's tables (table ip rosfw,\n"
	      "table ip6 rosfw) in one kernel transaction; flush removes them. Other tables are not touched.\n"
	      "  --check   the kernel checks the whole batch and commits nothing\n"
	      "  --max-warnings N  more than N warnings is an error (exit 1), nothing applied;\n"
	      "            0 makes every warning fatal\n"
	      "  --diff    print what would change against rosfw's tables now, change nothing: + added,\n"
	      "            - removed, ~ changed (which elements, which expressions), > moved: chains,\n"
	      "            sets, objects, RouterOS rules by number; exit 0 for no change, 4 for changes;\n"
	      "            with --json one result object whose \"changes\" lists them\n"
	      "  --confirm SECONDS  put the previous tables back after SECONDS unless `rosfw confirm` runs;\n"
	      "            a detached process does it, whatever becomes of this one or its terminal;\n"
	      "            `rosfw rollback` does it at once. While it is pending, apply and flush are\n"
	      "            refused (exit 3): the rollback would undo them\n"
	      "  --fasttrack=auto  FastTrack as a flowtable where the kernel has them, else counted only\n"
	      "            (flowtable: insist; fallback: never); --flowtable-devices: offload these\n"
	      "            interfaces instead of the ones the configuration names\n"
	      "  --merge=no  every rule its own kernel rule (the default, yes: runs of 4 or more rules\n"
	      "            that differ in one address or port are one counting lookup)\n"
	      "  --inspect=no-queue  tls-host, layer7-protocol, content rules without the queue to\n"
	      "            rosfw-inspect (a kernel without nft_queue): they never match\n"
	      "  --missing-interfaces=error  an interface the rules match on that this machine does not\n"
	      "            have is an error: the list names each rule and which way it fails, nothing is\n"
	      "            applied (the default; ROSFW_MISSING_INTERFACES=warn changes the default);\n"
	      "            warn: applied anyway, the same list as warnings (--diff always warns)\n"
	      "  --allow-missing=IF,...  interfaces that appear later (ppp0, ppp*): a note, not an error;\n"
	      "            rules match by name, so they act once the interface exists\n"
	      "  --forwarding=on  forward or NAT rules and net.ipv4.ip_forward (net.ipv6.conf.all.forwarding)\n"
	      "            at 0: set it to 1 after the commit (keep, the default: only warn)\n"
	      "  --interface, --interface-map  what the router's interfaces are on this server, as for\n"
	      "            rosfw compile (default map " CONFIG_IFMAP_DEFAULT " when it exists)\n"
	      "apply also writes the connection tracking settings (/proc/sys/net/netfilter) after the\n"
	      "commit; flush puts back the values they had before rosfw first changed them (forwarding too).\n"
	      EXIT_HELP,
	      out);
	return code;
}

static int apply_opts_parse(int argc, char **argv, struct apply_opts *o, bool files)
{
	static const struct option lo[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "confirm", required_argument, NULL, 'C' },
		{ "diff", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "max-warnings", required_argument, NULL, 'W' },
		{ "unsupported", required_argument, NULL, 'u' },
		{ "fasttrack", required_argument, NULL, 'f' },
		{ "flowtable-devices", required_argument, NULL, 'D' },
		{ "inspect", required_argument, NULL, 'Q' },
		{ "missing-interfaces", required_argument, NULL, 'X' },
		{ "allow-missing", required_argument, NULL, 'A' },
		{ "forwarding", required_argument, NULL, 'F' },
		{ "interface", required_argument, NULL, 'I' },
		{ "interface-map", required_argument, NULL, 'M' },
		{ "merge", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("ROSFW_MISSING_INTERFACES");
	int c;

	o->max_errors = MAX_ERRORS_DEFAULT;
	o->max_warnings = -1;
	o->probe = true;
	o->merge = true;
	/* A pipeline (or a test suite) may set the default once; an
	 * unknown value is refused as the option's would be. */
	if (env && *env && !ifcheck_opt_policy(env, &o->ifc.policy))
		return -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->check = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'd':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --diff\n");
				return -1;
			}
			o->diff = true;
			break;
		case 'C': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (!files || *end || !v || v > 86400) {
				fprintf(stderr, "rosfw: --confirm needs a number of seconds from 1 to 86400 (apply only)\n");
				return -1;
			}
			o->confirm = (unsigned)v;
			break;
		}
		case 'm':
			if (!config_opt_max_errors(optarg, &o->max_errors))
				return -1;
			break;
		case 'W':
			if (!config_opt_max_warnings(optarg, &o->max_warnings))
				return -1;
			break;
		case 'u':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --unsupported\n");
				return -1;
			}
			if (!config_opt_unsupported(optarg, &o->lower.unsupported))
				return -1;
			break;
		case 'G':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --merge\n");
				return -1;
			}
			if (!config_opt_merge(optarg, &o->merge))
				return -1;
			break;
		case 'f':
		case 'D':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --fasttrack or --flowtable-devices\n");
				return -1;
			}
			if (c == 'f' && !config_opt_fasttrack(optarg, &o->lower.fasttrack, &o->probe))
				return -1;
			if (c == 'D' && !config_opt_flowtable_devices(optarg))
				return -1;
			if (c == 'D')
				o->lower.flowtable_devices = optarg;
			break;
		case 'Q':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --inspect\n");
				return -1;
			}
			if (!config_opt_inspect(optarg, &o->lower.inspect))
				return -1;
			o->inspect_given = true;
			break;
		case 'X':
		case 'A':
		case 'F':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --missing-interfaces, --allow-missing or --forwarding\n");
				return -1;
			}
			if (c == 'X' && !ifcheck_opt_policy(optarg, &o->ifc.policy))
				return -1;
			if (c == 'A' && !ifcheck_opt_allow(optarg))
				return -1;
			if (c == 'A')
				o->ifc.allow = optarg;
			if (c == 'F' && strcmp(optarg, "on") && strcmp(optarg, "keep")) {
				fprintf(stderr, "rosfw: --forwarding takes on or keep\n");
				return -1;
			}
			if (c == 'F')
				o->forwarding = !strcmp(optarg, "on");
			break;
		case 'I':
		case 'M':
			if (!files) {
				fprintf(stderr, "rosfw: flush takes no --interface or --interface-map\n");
				return -1;
			}
			if (c == 'I')
				config_opt_interface(&o->ifo, optarg);
			else if (!config_opt_interface_map(&o->ifo, optarg))
				return -1;
			break;
		case 'h':
			apply_usage(stdout, 0);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	if (o->diff && (o->check || o->confirm)) {
		fprintf(stderr, "rosfw: --diff changes nothing and takes no --check or --confirm\n");
		return -1;
	}
	if (files && optind >= argc) {
		fprintf(stderr, "rosfw: no input file\n");
		return -1;
	}
	if (!files && optind < argc) {
		fprintf(stderr, "rosfw: flush takes no files\n");
		return -1;
	}
	return optind;
}

/* ---- talking to the kernel ---------------------------------------------- */

struct kerr {
	uint32_t seq, offset;
	int err;
	char msg[160];
};

/**
 * struct talk - the kernel's answer to one batch.
 * @acks:    answers (errors, the last message's ACK) for the batch's messages.
 * @done:    the last message's answer came: nothing more will.
 * @errs:    the errors, and any for the batch as a whole.
 * @lost:    the socket dropped answers (its buffer overflowed).
 * @genid:   sent in the batch's begin (0: none): the kernel refuses the
 *           batch (ERESTART) unless the ruleset is still that generation.
 * @echo:    the handles of the rules sent with NLM_F_ECHO, by sequence.
 */
struct talk {
	size_t acks;
	bool done;
	struct kerr *errs;
	size_t nerrs;
	bool lost;
	int sys_errno;		/* sendmsg or recv failed */
	uint32_t genid;
	struct echo {
		uint32_t seq;
		uint64_t handle;
	} *echo;
	size_t necho;
};

static int ack_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= NLMSGERR_ATTR_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void talk_ack(struct talk *t, const struct nlmsghdr *nlh, uint32_t seq0, uint32_t last)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	struct kerr *k;
	unsigned hlen = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return;
	if (nlh->nlmsg_seq != seq0)
		t->acks++;
	if (nlh->nlmsg_seq == last)
		t->done = true;
	if (!e->error)
		return;
	t->errs = xreallocarray(t->errs, t->nerrs + 1, sizeof(*t->errs));
	k = &t->errs[t->nerrs++];
	memset(k, 0, sizeof(*k));
	k->seq = nlh->nlmsg_seq;
	k->err = e->error < 0 ? -e->error : e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += mnl_nlmsg_get_payload_len(&e->msg);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && mnl_attr_parse(nlh, hlen, ack_attr_cb, tb) >= 0) {
		if (tb[NLMSGERR_ATTR_OFFS] && mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_OFFS]) == 4)
			k->offset = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (tb[NLMSGERR_ATTR_MSG])
			snprintf(k->msg, sizeof(k->msg), "%.*s", (int)mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_MSG]),
				 (const char *)mnl_attr_get_payload(tb[NLMSGERR_ATTR_MSG]));
	}
}

static int echo_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NFTA_RULE_HANDLE && mnl_attr_get_payload_len(a) == 8)
		*(uint64_t *)data = be64toh(mnl_attr_get_u64(a));
	return MNL_CB_OK;
}

static void talk_echo(struct talk *t, const struct nlmsghdr *nlh)
{
	uint64_t h = 0;

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), echo_attr_cb, &h) < 0 || !h)
		return;
	t->echo = xreallocarray(t->echo, t->necho + 1, sizeof(*t->echo));
	t->echo[t->necho++] = (struct echo){ nlh->nlmsg_seq, h };
}

static bool talk_batch_failed(const struct talk *t, uint32_t seq0)
{
	size_t i;

	for (i = 0; i < t->nerrs; i++)
		if (t->errs[i].seq == seq0)
			return true;
	return false;
}

/*
 * One sendmsg for the whole batch, then every answer. nfnetlink handles a
 * batch inside sendmsg(), so by the time it returns every ACK is queued on
 * the socket; the receive buffer is sized for one per message (as nft
 * sizes it) so none is dropped.
 */
static void talk_gen(struct emit_nl *b, struct talk *t, uint32_t genid)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	size_t niov, i, total = 0, expect = emit_nl_messages(b);
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = { 0 };
	struct iovec *iov;
	int fd, one = 1, rcv;
	char *buf, begin[64];

	memset(t, 0, sizeof(*t));
	t->genid = genid;
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		t->sys_errno = errno;
		if (nl)
			mnl_socket_close(nl);
		return;
	}
	fd = mnl_socket_get_fd(nl);
	/* Errors name the attribute at fault; no need to echo whole messages. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	niov = emit_nl_iovec_count(b);
	iov = xcalloc(niov + 1, sizeof(*iov));
	emit_nl_iovec(b, iov + 1, niov);
	if (genid) {
		/* The begin again, with the generation: nft's check that the
		 * ruleset it read is the one it changes. */
		struct nlmsghdr *nlh = nftnl_batch_begin(begin, emit_nl_begin_seq(b));
		const struct nlmsghdr *was = iov[1].iov_base;

		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
		iov[0] = (struct iovec){ begin, nlh->nlmsg_len };
		iov[1].iov_base = (char *)iov[1].iov_base + was->nlmsg_len;
		iov[1].iov_len -= was->nlmsg_len;
		niov++;
	} else {
		memmove(iov, iov + 1, niov * sizeof(*iov));
	}
	for (i = 0; i < niov; i++)
		total += iov[i].iov_len;
	{
		int snd = total > (size_t)INT32_MAX / 2 ? INT32_MAX / 2 : (int)total;

		setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd));
	}
	rcv = expect > (size_t)(INT32_MAX / 2048) ? INT32_MAX : (int)(expect * 1024 + (256 << 10));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	msg.msg_name = &kernel;
	msg.msg_namelen = sizeof(kernel);
	msg.msg_iov = iov;
	msg.msg_iovlen = niov;
	if (sendmsg(fd, &msg, 0) < 0) {
		t->sys_errno = errno;
		free(iov);
		mnl_socket_close(nl);
		return;
	}
	free(iov);
	buf = xmalloc(MNL_SOCKET_BUFFER_SIZE * 4);
	for (;;) {
		ssize_t n = recv(fd, buf, MNL_SOCKET_BUFFER_SIZE * 4, MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		int left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			t->lost = true;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			/* Everything is queued when sendmsg returns; wait a
			 * little in case it is not, then stop. An error for
			 * the batch as a whole is all the kernel says. */
			if (t->done || t->lost || talk_batch_failed(t, emit_nl_begin_seq(b)) ||
			    poll(&p, 1, 1000) <= 0)
				break;
			continue;
		}
		if (n <= 0) {
			t->sys_errno = n < 0 ? errno : EIO;
			break;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (nlh->nlmsg_type == NLMSG_ERROR)
				talk_ack(t, nlh, emit_nl_begin_seq(b), emit_nl_ack_seq(b));
			else if (nlh->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE))
				talk_echo(t, nlh);
	}
	free(buf);
	mnl_socket_close(nl);
}

static void talk(struct emit_nl *b, struct talk *t)
{
	talk_gen(b, t, 0);
}

/* ---- reporting ---------------------------------------------------------- */

static const char *stmt_name(const struct ir_stmt *s, char *buf, size_t size)
{
	static const char *const nat[] = { "snat", "dnat", "masquerade", "redirect" };
	static const char *const verdicts[] = { "accept", "drop", "jump", "goto", "return", "continue" };

	switch (s->kind) {
	case S_MATCH:
		snprintf(buf, size, "the match on %s", ir_key_info(s->u.m.key)->nft);
		break;
	case S_COUNTER: snprintf(buf, size, "counter"); break;
	case S_VERDICT: snprintf(buf, size, "%s", verdicts[s->u.verdict.kind]); break;
	case S_LOG: snprintf(buf, size, "log"); break;
	case S_REJECT: snprintf(buf, size, "reject"); break;
	case S_LIMIT: snprintf(buf, size, "limit"); break;
	case S_SET_ADD: snprintf(buf, size, "add @%s", s->u.set.set); break;
	case S_SET_UPDATE: snprintf(buf, size, "update @%s", s->u.set.set); break;
	case S_CT_COUNT: snprintf(buf, size, "ct count on @%s", s->u.set.set); break;
	case S_NAT: snprintf(buf, size, "%s", nat[s->u.nat.kind]); break;
	case S_SET_FIELD: snprintf(buf, size, "%s set", ir_key_info(s->u.field.key)->nft); break;
	case S_NOTRACK: snprintf(buf, size, "notrack"); break;
	case S_FLOW_ADD: snprintf(buf, size, "flow add"); break;
	case S_CT_HELPER_SET: snprintf(buf, size, "ct helper set"); break;
	case S_QUEUE: snprintf(buf, size, "queue"); break;
	}
	return buf;
}

/*
 * Returns true when the error was the missing capability. `echo`: an
 * earlier message already failed the same way; once the kernel finds a
 * table invalid it refuses every later rule of it, so such errors are
 * given as notes that point back to the first.
 */
static bool report_kernel(struct diag *d, struct emit_nl *b, const struct ir *ir, const struct kerr *k, bool echo,
			  char *said, size_t said_size)
{
	struct emit_nl_origin o;
	const struct ir_rule *blame;
	char at[256] = "", stmt[128], extra[200] = "", why[400];
	enum diag_level lvl = echo ? DIAG_NOTE : DIAG_ERROR;
	const char *also = ", likely only because of the error given for another rule: after a refusal the kernel re-checks the whole table";

	if (k->msg[0])
		snprintf(extra, sizeof(extra), " (%s)", k->msg);
	if (k->seq == emit_nl_begin_seq(b)) {
		if (k->err == EPERM)
			return true;
		diag_report(d, lvl, NULL, "the kernel refused the transaction: %s%s%s", strerror(k->err), extra,
			    echo ? also : "");
		return false;
	}
	if (!emit_nl_origin(b, k->seq, k->offset, &o)) {
		diag_error(d, NULL, "the kernel refused a message rosfw did not send (sequence %u): %s", k->seq,
			   strerror(k->err));
		return false;
	}
	/* What it means for the configuration, at the rule it concerns. */
	if (!echo && emit_nl_explain(ir, &o, k->err, why, sizeof(why), &blame)) {
		/* A set's entries span several messages: one line says it. */
		if (!strcmp(why, said))
			return false;
		snprintf(said, said_size, "%s", why);
		if (blame && blame->loc.file)
			diag_error(d, &blame->loc, "the kernel refused this rule: %s (%s%s)", why, strerror(k->err), extra);
		else
			diag_error(d, NULL, "the kernel refused %s: %s (%s%s)", o.what, why, strerror(k->err), extra);
		return false;
	}
	if (o.rule && o.stmt >= 0 && (size_t)o.stmt < o.rule->n)
		snprintf(at, sizeof(at), ", at %s (nftables expression %s)",
			 stmt_name(&o.rule->stmts[o.stmt], stmt, sizeof(stmt)), o.expr ? o.expr : "?");
	else if (o.rule && o.expr)
		snprintf(at, sizeof(at), ", at a protocol match nft adds (nftables expression %s)", o.expr);
	if (o.rule && !o.rule->loc.file && o.rule->n == 1 && o.rule->stmts[0].kind == S_VERDICT &&
	    o.rule->stmts[0].u.verdict.chain)
		/* A jump rosfw adds: the kernel checks the chain it reaches
		 * against the hook it is reached from. */
		snprintf(at, sizeof(at), ", the jump to %s: a rule there uses something this hook does not allow",
			 o.rule->stmts[0].u.verdict.chain);
	if (echo && o.rule && o.rule->loc.file)
		diag_note(d, &o.rule->loc, "the kernel refused this rule too (%s%s: %s%s)%s", o.what, at,
			  strerror(k->err), extra, also);
	else if (echo)
		diag_note(d, NULL, "the kernel refused %s too%s: %s%s%s", o.what, at, strerror(k->err), extra, also);
	else if (o.rule && o.rule->loc.file)
		diag_error(d, &o.rule->loc, "the kernel refused this rule (%s%s): %s%s", o.what, at,
			   strerror(k->err), extra);
	else
		diag_error(d, NULL, "the kernel refused %s%s: %s%s", o.what, at, strerror(k->err), extra);
	return false;
}

static void result_print(struct diag *d, const struct apply_opts *o, int rc, bool changed)
{
	if (o->json) {
		bool ok = rc == EXIT_OK || (o->diff && rc == EXIT_CHANGES);

		printf("{\"ok\":%s,\"changed\":%s,\"check\":%s,\"exit\":%d,\"kept_rules\":%zu,\"kept_entries\":%zu,",
		       ok ? "true" : "false", changed ? "true" : "false", o->check ? "true" : "false", rc, o->kept_rules,
		       o->kept_entries);
		if (o->incremental)
			fputs("\"incremental\":true,", stdout);
		if (o->edit_path)
			fputs("\"edit\":true,", stdout);
		if (o->due) {
			char at[32];

			strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&o->due));
			printf("\"rollback_at\":\"%s\",", at);
		}
		if (o->diff) {
			fputs("\"diff\":true,\"changes\":", stdout);
			if (o->changes)
				changes_json(o->changes, stdout);
			else
				fputs("[]", stdout);
			fputc(',', stdout);
		}
		fputs("\"diagnostics\":", stdout);
		diag_print_json(d, stdout);
		fputs("}\n", stdout);
	} else {
		diag_print(d, stderr);
	}
}

/**
 * struct sent - a full apply's batch for the incremental record (incr.h).
 * @genid: the generation to send it at (0: none); 0 after when another
 *         commit came between (the batch went again without it).
 * @echo:  the kernel's echoes of the rules sent with NLM_F_ECHO.
 */
struct sent {
	uint32_t genid;
	struct echo *echo;
	size_t necho;
};

/* Send the batch and say what happened; the exit code. */
static int send_batch(struct emit_nl *b, const struct ir *ir, struct diag *d, const struct apply_opts *o,
		      bool *changed, struct sent *g)
{
	struct talk t;
	size_t i;
	bool noperm = false;
	char said[400] = "";

	*changed = false;
	talk_gen(b, &t, g ? g->genid : 0);
	if (g && g->genid && talk_batch_failed(&t, emit_nl_begin_seq(b)) && t.nerrs == 1 && t.errs[0].err == ERESTART) {
		/* Something committed since the generation was read: the
		 * batch empties the tables whatever they hold, so it goes
		 * again, and no record says what it left. */
		free(t.errs);
		free(t.echo);
		g->genid = 0;
		talk_gen(b, &t, 0);
	}
	if (g) {
		g->echo = t.echo;
		g->necho = t.necho;
	} else {
		free(t.echo);
	}
	if (t.sys_errno == EPERM || t.sys_errno == EACCES) {
		free(t.errs);
		goto noperm;
	}
	if (t.sys_errno) {
		diag_error(d, NULL, "netlink: %s", strerror(t.sys_errno));
		free(t.errs);
		return EXIT_IO;
	}
	for (i = 0; i < t.nerrs; i++)
		noperm |= report_kernel(d, b, ir, &t.errs[i],
					i && t.errs[i].err == t.errs[0].err && !t.errs[i].offset, said, sizeof(said));
	if (noperm) {
		free(t.errs);
		goto noperm;
	}
	if (t.nerrs) {
		free(t.errs);
		return EXIT_REFUSED;
	}
	free(t.errs);
	if (t.lost || !t.done) {
		diag_error(d, NULL, "the kernel's answer was incomplete (no answer to the last of %zu messages%s): the outcome is unknown",
			   emit_nl_messages(b), t.lost ? ", the socket dropped some" : "");
		return EXIT_IO;
	}
	*changed = !o->check;
	return EXIT_OK;
noperm:
	return APPLY_NOPERM_CHANGE;
}

/*
 * One line (with --json, the result's one diagnostic), whatever else the
 * configuration gave: the warnings of a configuration that was never sent
 * would only bury it. The exit code.
 */
static int noperm_report(const struct apply_opts *o, int why)
{
	const char *msg = why == APPLY_NOPERM_READ ? "reading the firewall needs CAP_NET_ADMIN: run rosfw as root" :
						     "changing the firewall needs CAP_NET_ADMIN: run rosfw as root";

	if (o->json) {
		struct diag *d = diag_new(1);

		diag_error(d, NULL, "%s", msg);
		result_print(d, o, EXIT_IO, false);
		diag_free(d);
	} else {
		fprintf(stderr, "rosfw: %s\n", msg);
	}
	return EXIT_IO;
}

/*
 * The kernel's current rosfw tables, whose dynamic entries and counters
 * the new ones keep. Without CAP_NET_ADMIN there is nothing to read and
 * the batch will say so in its one line.
 */
static int apply_state_read(struct state **st, struct diag *d)
{
	*st = state_read();
	if (*st || errno == EPERM || errno == EACCES)
		return EXIT_OK;
	diag_error(d, NULL, "reading rosfw's current tables: %s", strerror(errno));
	return EXIT_IO;
}

/*
 * --confirm: the tables as they are now go to /run/rosfw, and the process
 * that puts them back is started before the new ones are sent, so the
 * rollback is armed whatever happens to us from here on.
 */
static int apply_confirm_arm(struct apply_opts *o, struct diag *d)
{
	if (!confirm_may_arm(d))
		return EXIT_IO;
	if (confirm_save(o->confirm) < 0) {
		diag_error(d, NULL, "saving the current tables for --confirm: %s", strerror(errno));
		return EXIT_IO;
	}
	o->due = time(NULL) + (time_t)o->confirm;	/* as confirm_arm counts it */
	if (confirm_arm(o->confirm) < 0) {
		confirm_drop();
		o->due = 0;
		diag_error(d, NULL, "starting the --confirm rollback: %s", strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

/* ---- FastTrack: what the kernel and this machine's devices take --------- */

static void fasttrack_fallback(struct ir_table *t, struct diag *d, const char *why)
{
	const struct ir_rule *r = ir_flowtable_user(t);

	diag_warning(d, r ? &r->loc : NULL,
		     "%s: fasttrack-connection is counted but not offloaded; the following rule carries the traffic, as on a router without FastTrack",
		     why);
	ir_flowtable_drop(t);
}

/* The kernel's verdict on the flowtable alone: 0 taken, else its errno
 * (0 too when it could not be asked: the real batch will say why). */
static int flowtable_probe(const struct ir_table *t)
{
	struct emit_nl *b = emit_nl_flowtable_probe(t->family, t->flowtable, (uint32_t)time(NULL));
	struct talk k;
	int err = 0;
	size_t i;

	talk(b, &k);
	for (i = 0; i < k.nerrs; i++)
		if (k.errs[i].seq == emit_nl_begin_seq(b) + 2)
			err = k.errs[i].err;
	free(k.errs);
	emit_nl_free(b);
	return err;
}

/*
 * Devices the flowtable names that this machine does not have are left
 * out and reported; with none left, or a kernel without flowtables, the
 * fasttrack rules only count. A refused hardware offload falls back to
 * software offload.
 */
static void fasttrack_fit(struct ir *ir, struct diag *d, bool probe)
{
	int f;

	for (f = 0; f < 2; f++) {
		struct ir_table *t = ir->tables[f];
		struct ir_flowtable *ft = t ? t->flowtable : NULL;
		char missing[512] = "";
		size_t i, n = 0, len = 0;
		int err;

		if (!ft)
			continue;
		for (i = 0; i < ft->ndevs; i++) {
			if (if_nametoindex(ft->devs[i])) {
				ft->devs[n++] = ft->devs[i];
			} else if (len + strlen(ft->devs[i]) + 3 < sizeof(missing)) {
				len += (size_t)snprintf(missing + len, sizeof(missing) - len, "%s%s", len ? ", " : "",
							ft->devs[i]);
			}
		}
		if (!n) {
			char why[600];

			snprintf(why, sizeof(why), "no interface FastTrack could offload exists here (%s)",
				 ft->ndevs ? missing : "the configuration names none");
			fasttrack_fallback(t, d, why);
			continue;
		}
		if (n < ft->ndevs) {
			const struct ir_rule *r = ir_flowtable_user(t);

			diag_warning(d, r ? &r->loc : NULL,
				     "FastTrack: no interface %s here: its traffic is not offloaded (--flowtable-devices names others)",
				     missing);
		}
		ft->ndevs = n;
		if (!probe)
			continue;
		err = flowtable_probe(t);
		if (err == EOPNOTSUPP && ft->offload) {
			const struct ir_rule *r = ir_flowtable_user(t);

			diag_warning(d, r ? &r->loc : NULL,
				     "hw-offload=yes: these interfaces cannot offload to hardware; FastTrack offloads in software");
			ft->offload = false;
			err = flowtable_probe(t);
		}
		if (err == ENOENT || err == EOPNOTSUPP)
			fasttrack_fallback(t, d, "this kernel has no flowtables (nf_flow_table)");
	}
}

/* ---- tls-host, layer7-protocol, content: the queue to rosfw-inspect ----- */

/* Whether the kernel takes a queue statement (nft_queue): true too when
 * it could not be asked (the real batch will say why). */
static bool queue_probe(int family)
{
	struct emit_nl *b = emit_nl_queue_probe(family, (uint32_t)time(NULL));
	struct talk k;
	int err = 0;
	size_t i;

	talk(b, &k);
	for (i = 0; i < k.nerrs; i++)
		if (k.errs[i].seq == emit_nl_begin_seq(b) + 3)
			err = k.errs[i].err;
	free(k.errs);
	emit_nl_free(b);
	return err != ENOENT && err != EOPNOTSUPP;
}

/* A kernel without nft_queue refuses the whole ruleset for the queue
 * rules alone: they go, with a warning, as FastTrack falls back when the
 * kernel has no flowtables (unless --inspect=queue insists). */
static bool inspect_fit(struct ir *ir, struct diag *d, bool insist)
{
	bool dropped = false;
	int f;
	size_t i, j, k, n;

	if (insist || !ir->ninspects)
		return false;
	for (f = 0; f < 2; f++) {
		struct ir_table *t = ir->tables[f];
		bool queues = false;

		for (i = 0; t && i < t->nchains; i++)
			for (j = 0; j < t->chains[i]->n; j++)
				for (k = 0; k < t->chains[i]->rules[j]->n; k++)
					queues = queues || t->chains[i]->rules[j]->stmts[k].kind == S_QUEUE;
		if (!queues || queue_probe(t->family))
			continue;
		for (i = 0; i < t->nchains; i++)
			for (j = 0; j < t->chains[i]->n; j++) {
				struct ir_rule *r = t->chains[i]->rules[j];

				for (k = n = 0; k < r->n; k++)
					if (r->stmts[k].kind != S_QUEUE)
						r->stmts[n++] = r->stmts[k];
				r->n = n;
			}
		if (!dropped)
			diag_warning(d, NULL,
				     "this kernel has no nft_queue: the tls-host, layer7-protocol and content rules are loaded without the queue to rosfw-inspect and match nothing (a drop rule lets that traffic through, an accept rule does not accept it)");
		dropped = true;
	}
	return dropped;
}

/* The RouterOS rules of the last apply by table and counter object. */
struct numbered {
	int v6;
	const char *counter;
	long num;
};

struct numbers {
	struct numbered *v;
	size_t n;
	struct applied *a;
};

static int numbered_cmp(const void *x, const void *y)
{
	const struct numbered *a = x, *b = y;

	return a->v6 != b->v6 ? a->v6 - b->v6 : strcmp(a->counter, b->counter);
}

static long number_of(void *ctx, int family, const char *counter)
{
	const struct numbers *ns = ctx;
	struct numbered k = { family == NFPROTO_IPV6, counter, 0 }, *f;

	if (family != NFPROTO_IPV4 && family != NFPROTO_IPV6)
		return -1;	/* the record of the bridge table is not kept */
	f = bsearch(&k, ns->v, ns->n, sizeof(*ns->v), numbered_cmp);
	return f ? f->num : -1;
}

/*
 * --diff names a removed or moved rule by its number before, which the
 * kernel does not hold (kname.h): the record of the last apply has it,
 * when nothing was committed since (the generation it recorded). Reading
 * it costs a parse and lowering of the last configuration: --diff only.
 */
static void numbers_before(struct diff *old)
{
	struct numbers ns = { 0 };
	struct incr_rec r;
	uint32_t gen;
	char why[600];
	int rc, f;
	size_t i, j, k;

	if (incr_read(&r) < 0)
		return;
	if (incr_genid(&gen) < 0 || gen != r.genid) {
		incr_rec_free(&r);
		return;
	}
	incr_rec_free(&r);
	ns.a = applied_from_record(&rc, why, sizeof(why));
	if (!ns.a)
		return;
	for (f = 0; f < 2; f++) {
		const struct ir_table *t = ns.a->ir->tables[f];

		for (i = 0; t && i < t->nchains; i++)
			for (j = 0; j < t->chains[i]->n; j++) {
				const struct ir_rule *rule = t->chains[i]->rules[j];

				for (k = 0; rule->id >= 0 && k < rule->n; k++)
					if (rule->stmts[k].kind == S_COUNTER && rule->stmts[k].u.obj.name) {
						ns.v = xreallocarray(ns.v, ns.n + 1, sizeof(*ns.v));
						ns.v[ns.n++] = (struct numbered){ f, rule->stmts[k].u.obj.name, rule->id };
						break;
					}
			}
	}
	if (ns.n)
		qsort(ns.v, ns.n, sizeof(*ns.v), numbered_cmp);
	diff_number(old, number_of, &ns);
	free(ns.v);
	applied_free(ns.a);
}

/* What the batch would change, into *c; EXIT_OK, or < 0 / EXIT_IO when the
 * kernel's tables could not be read. */
static int changes_find(const struct ir *ir, const struct apply_opts *o, struct diag *d, struct changes *c)
{
	struct diff *old = diff_read();
	struct emit_nl *b;

	if (!old && (errno == EPERM || errno == EACCES))
		return APPLY_NOPERM_READ;	/* reading rosfw's tables needs it too */
	if (!old) {
		diag_error(d, NULL, "reading rosfw's current tables: %s", strerror(errno));
		return EXIT_IO;
	}
	if (o->diff)
		numbers_before(old);
	/* The whole batch, as onto no tables: what apply sends over
	 * existing ones leaves out what it keeps. */
	b = emit_nl_build(ir, (uint32_t)time(NULL), false);
	if (!b) {
		diff_free(old);
		return EXIT_CONFIG;
	}
	diff_changes(old, b, d, c);
	if (ir->tables[0] || ir->tables[1])
		ct_sysctls_diff(ir, c);
	if (o->forwarding)
		forwarding_diff(ir, c);
	emit_nl_free(b);
	diff_free(old);
	return EXIT_OK;
}

/*
 * What this machine lacks for the configuration: interfaces its rules
 * match on (an error under --missing-interfaces=error, apply's default:
 * an apply that locks the LAN out or opens the WAN must not happen
 * unasked), and forwarding its forward and NAT rules need.
 */
static int apply_box_check(const struct ir *ir, const struct apply_opts *o, struct diag *d)
{
	struct links have = { 0 };
	struct ifcheck_opts ifc = o->ifc;
	int err = links_read(&have);
	size_t missing;

	if (err) {
		diag_error(d, NULL, "reading this machine's interfaces (rtnetlink): %s", strerror(err));
		links_free(&have);
		return EXIT_IO;
	}
	if (o->diff)
		ifc.policy = IFCHECK_WARN;	/* --diff changes nothing */
	missing = ifcheck_run(ir, &have, &ifc, d);
	links_free(&have);
	if (!o->forwarding)
		forwarding_check(ir, true, d);
	if (missing && ifc.policy == IFCHECK_ERROR) {
		/* Without the capability nothing would be applied anyway:
		 * that is said in its one line, as for every command. */
		if (nlsock_admin_check() < 0 && (errno == EPERM || errno == EACCES))
			return APPLY_NOPERM_CHANGE;
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* --forwarding=on, after the commit; flush can put the old value back only
 * where the tables recorded it (tables made by this version). */
static void apply_forwarding(const struct ir *ir, struct diag *d)
{
	static const size_t slot[2] = { CT_SAVED_FWD4, CT_SAVED_FWD6 };
	struct ct_saved kept;
	bool any = false;
	int f;

	for (f = 0; f < 2; f++) {
		uint64_t v;

		any |= forwarding_user(ir, f) && ct_sysctl_get(ct_saved_name(slot[f]), &v) && !v;
	}
	if (!any) {
		diag_note(d, NULL, "--forwarding=on: forwarding is on already where the rules need it");
		return;
	}
	forwarding_set(ir, d);
	ct_saved_read(&kept);
	for (f = 0; f < 2; f++) {
		char label[64];

		if (forwarding_user(ir, f) && !kept.have[slot[f]])
			diag_note(d, NULL,
				  "rosfw flush will not put %s back to 0: rosfw's tables were made by an earlier rosfw, which did not record it",
				  ct_sysctl_label(ct_saved_name(slot[f]), label, sizeof(label)));
	}
}

/* --diff: the batch is built as for apply, compared, never sent. 0 for no
 * change, EXIT_CHANGES for some (as diff(1) and terraform plan
 * -detailed-exitcode: a pipeline branches on it). */
static int apply_diff(const struct ir *ir, struct diag *d, struct apply_opts *o, bool *changed)
{
	int rc;

	o->changes = xcalloc(1, sizeof(*o->changes));
	rc = changes_find(ir, o, d, o->changes);
	if (rc == EXIT_OK)
		rc = routing_diff(ir->routing, o->changes, d);
	if (rc != EXIT_OK)
		return rc;
	*changed = o->changes->n > 0;
	if (!o->json) {
		if (o->changes->n)
			changes_print(o->changes, stdout);
		else
			fputs("no changes\n", stdout);
	}
	return o->changes->n ? EXIT_CHANGES : EXIT_OK;
}

/* ---- a small change as a small transaction (incr.h) ------------------------ */

/* ROSFW_TIMING=1: milliseconds since the start of each phase on stderr,
 * for bench/incr.sh (the kernel's transaction apart from the command). */
static void timing(const char *what, ...) __attribute__((format(printf, 1, 2)));
static void timing(const char *what, ...)
{
	static struct timespec t0;
	struct timespec now;
	va_list ap;

	if (!getenv("ROSFW_TIMING"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!t0.tv_sec && !t0.tv_nsec)
		t0 = now;
	fprintf(stderr, "rosfw: timing: %.3f ms ",
		(double)(now.tv_sec - t0.tv_sec) * 1e3 + (double)(now.tv_nsec - t0.tv_nsec) / 1e6);
	va_start(ap, what);
	vfprintf(stderr, what, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The record's index of a message's family (incr.h). */
static int msg_family(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

	return g->nfgen_family == NFPROTO_IPV6 ? 1 : g->nfgen_family == NFPROTO_BRIDGE ? 2 : 0;
}

static void last_rule(struct nlmsghdr *nlh, void *ctx)
{
	struct nlmsghdr **last = ctx;

	if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE)
		last[msg_family(nlh)] = nlh;
}

/* A full apply's batch: the kernel echoes the last rule of each table,
 * whose handle says every other's (handles): one echo, not 50k. It goes
 * at the generation read now, so the one after it is known. */
static void full_echo_mark(struct emit_nl *b, struct sent *g)
{
	struct nlmsghdr *last[INCR_FAMILIES] = { NULL };
	int f;

	if (incr_genid(&g->genid) < 0)
		g->genid = 0;
	emit_nl_each(b, last_rule, last);
	for (f = 0; f < INCR_FAMILIES; f++)
		if (last[f])
			last[f]->nlmsg_flags |= NLM_F_ECHO;
}

/* Per family, from its first rule on: rules (1) and anonymous sets (0),
 * the two that take the table's next handle there. */
struct handle_walk {
	struct hw_msg {
		uint8_t rule;
		uint32_t seq;
	} *v[INCR_FAMILIES];
	size_t n[INCR_FAMILIES];
};

static void handle_msg(struct nlmsghdr *nlh, void *ctx)
{
	struct handle_walk *w = ctx;
	uint8_t type = nlh->nlmsg_type & 0xff;
	int f = msg_family(nlh);

	if (type != NFT_MSG_NEWRULE && (type != NFT_MSG_NEWSET || !w->n[f]))
		return;
	if (!(w->n[f] & (w->n[f] + 1)) || !w->v[f])
		w->v[f] = xreallocarray(w->v[f], (w->n[f] + 1) * 2, sizeof(*w->v[f]));
	w->v[f][w->n[f]++] = (struct hw_msg){ type == NFT_MSG_NEWRULE, nlh->nlmsg_seq };
}

/* The edit record's statements learn their rules from the scan the record
 * of handles was made of, at its generation. */
static void edit_map(struct apply_opts *o, const struct ir *ir, const struct emit_nl_scan *s, uint32_t genid)
{
	if (!o->edit)
		return;
	editrec_map_rules(o->edit, s, o->edit_file);
	editrec_chains(o->edit, ir);
	o->edit->genid = genid;
	o->edit_mapped = true;
}

/*
 * After a full apply: every rule's handle from the last one's echo. The
 * kernel gives each new rule and set of a table the table's next handle
 * (nf_tables_alloc_handle), so counting back from the last rule over the
 * rules and anonymous sets before it gives each rule's. Written as the
 * record the next apply starts from; a table whose echo did not come
 * leaves no record.
 */
static void full_record(struct emit_nl *b, const struct ir *ir, const struct emit_nl_sets *sets, struct sent *g,
			struct apply_opts *o, struct diag *d)
{
	struct handle_walk w = { { NULL }, { 0 } };
	struct emit_nl_scan scan, *s = &scan;
	uint64_t *handles;
	size_t i, k = 0;
	bool ok = g->genid != 0;
	int f;

	/* The batch's rules are the whole batch's (emit_nl_scan leaves out
	 * what only a batch over the old tables has, and the named sets). */
	emit_nl_scan(b, s);
	handles = xcalloc(s->nrules + 1, sizeof(*handles));
	emit_nl_each(b, handle_msg, &w);
	for (f = 0; ok && f < INCR_FAMILIES; f++) {
		size_t nr = 0, j;
		uint64_t h = 0;

		for (j = 0; j < w.n[f]; j++)
			nr += w.v[f][j].rule;
		for (j = 0; j < g->necho && w.n[f]; j++)
			if (g->echo[j].seq == w.v[f][w.n[f] - 1].seq)
				h = g->echo[j].handle;
		if (nr && (!h || h < w.n[f])) {
			ok = false;
			break;
		}
		/* the scan's rules of this family, in the same order */
		for (j = k; j < s->nrules && s->rules[j].family == f; j++)
			;
		if (j - k != nr) {
			ok = false;
			break;
		}
		for (i = w.n[f]; i-- > 0; h--)
			if (w.v[f][i].rule)
				handles[k + --nr] = h;
		k = j;
	}
	/* The first and the last rule of each table where the echo says:
	 * a count gone wrong shows there. */
	if (ok && s->nrules) {
		struct nlsock ns;
		size_t c[2 * INCR_FAMILIES] = { 0, s->nrules - 1 }, n = 2;

		for (i = 0; i + 1 < s->nrules; i++)
			if (s->rules[i].family != s->rules[i + 1].family) {
				c[n++] = i;
				c[n++] = i + 1;
			}
		if ((ok = nlsock_open(&ns))) {
			for (i = 0; ok && i < n; i++)
				ok = incr_rule_is(&ns, s->rules[c[i]].family, s->rules[c[i]].chain, handles[c[i]],
						  s->rules[c[i]].text);
			nlsock_close(&ns);
		}
		if (!ok)
			timing("no record: a rule is not where its handle says");
	}
	if (ok && k == s->nrules) {
		struct incr_rec r;

		incr_rec_make(&r, ir, s, sets, handles, incr_genid_next(g->genid));
		incr_write(&r, d);
		incr_rec_free(&r);
		edit_map(o, ir, s, incr_genid_next(g->genid));
	} else {
		incr_remove();
	}
	emit_nl_scan_free(s);
	for (f = 0; f < INCR_FAMILIES; f++)
		free(w.v[f]);
	free(handles);
	free(g->echo);
	g->echo = NULL;
}

/*
 * The rules the plan deletes, replaces or adds after are where the record
 * says, with the comments it says (a GETRULE each, at most 64 of them
 * spread over the plan): a handle got wrong must not delete another rule.
 */
static bool incr_ops_there(const struct incr_plan *p)
{
	size_t step = p->nops > 64 ? p->nops / 64 : 1, i;
	struct nlsock ns;
	bool ok = true;

	if (!p->nops)
		return true;
	if (!nlsock_open(&ns))
		return false;
	for (i = 0; ok && i < p->nops; i += step)
		if (p->ops[i].handle)
			ok = incr_rule_is(&ns, p->ops[i].family, p->ops[i].chain, p->ops[i].handle, p->ops[i].text);
	nlsock_close(&ns);
	return ok;
}

/*
 * The change as a small transaction, when the record of the last commit
 * says what the kernel holds: EXIT_OK committed (or nothing to change),
 * APPLY_FULL for the full path (nothing was changed), or an exit code.
 * The batch goes at the recorded generation: if anything committed since,
 * the kernel refuses it whole. Any refusal means the full path, which
 * says what is wrong at the rule's line.
 */
static int apply_incr(const struct ir *ir, const struct emit_nl_sets *sets, struct apply_opts *o, struct diag *d,
		      bool *changed)
{
	struct incr_rec r, nr;
	struct incr_plan p;
	struct emit_nl *inc, *b0;
	struct emit_nl_scan scan, *s = &scan;
	struct talk t;
	uint32_t gen, *seqs;
	size_t i, j;
	int f, rc = APPLY_FULL;

	if (incr_read(&r) < 0) {
		timing("full path: no record of the last commit");
		return APPLY_FULL;
	}
	if (incr_genid(&gen) < 0 || gen != r.genid) {
		timing("full path: the ruleset changed since the last apply");
		incr_rec_free(&r);
		return APPLY_FULL;
	}
	if (!incr_tables_there(&r)) {
		timing("full path: a table the record names is gone");
		incr_remove();
		incr_rec_free(&r);
		return APPLY_FULL;
	}
	if (incr_too_many(&r, ir)) {
		timing("full path: too many rules new or changed");
		incr_rec_free(&r);
		return APPLY_FULL;
	}
	/* The whole batch: its rules' fingerprints say what changed, and
	 * the rules added are copied from it. */
	b0 = emit_nl_build_rules(ir, (uint32_t)time(NULL));
	if (!b0) {
		incr_rec_free(&r);
		return APPLY_FULL;
	}
	timing("whole batch built");
	emit_nl_scan(b0, s);
	timing("whole batch scanned");
	if (!incr_plan_make(&r, ir, s, &p)) {
		timing("full path: more than rules changed, or too many");
		incr_plan_free(&p);
		goto out;
	}
	if (!incr_sets_plan(&r, sets, &p)) {
		timing("full path: a set came, went or was redefined, or an entry with a timeout went");
		goto out_plan;
	}
	timing("planned");
	if (!confirm_may_apply(d, "apply")) {
		rc = EXIT_IO;
		goto out_plan;
	}
	if (!incr_ops_there(&p)) {
		timing("full path: a rule the record names is not where it says");
		incr_remove();
		goto out_plan;
	}
	o->kept_rules = p.kept;
	for (f = 0, j = 0; f < INCR_FAMILIES; f++)
		j += p.nadd[f] + p.ndel[f];
	if (!p.nops && !j && !p.nsets) {
		edit_map(o, ir, s, r.written);
		*changed = false;
		o->incremental = true;
		rc = EXIT_OK;
		goto out_plan;
	}
	inc = emit_nl_incr_new((uint32_t)time(NULL));
	seqs = xcalloc(p.nops + 1, sizeof(*seqs));
	for (f = 0; f < INCR_FAMILIES; f++)
		for (i = 0; i < p.nadd[f]; i++)
			emit_nl_incr_counter(inc, incr_proto(f), p.add[f][i], true);
	/* Elements after the counter objects they name, deletions first (a
	 * range whose end moved is deleted and added again), before the
	 * counter objects they named go. */
	for (i = 0; i < p.nsets; i++) {
		const struct incr_setop *so = &p.sets[i];

		emit_nl_incr_delelems(inc, so->old->family, so->old->name, so->old->klen, so->del, so->ndel);
		emit_nl_incr_addelems(inc, so->set, so->add, so->nadd);
	}
	for (i = 0; i < p.nops; i++) {
		const struct incr_op *op = &p.ops[i];
		int family = incr_proto(op->family);

		if (op->kind == INCR_DEL)
			emit_nl_incr_delrule(inc, family, op->chain, op->handle);
		else if (op->kind == INCR_ADD)
			seqs[i] = emit_nl_incr_rule(inc, b0, s, op->rule, op->handle, 0);
		else
			emit_nl_incr_rule(inc, b0, s, op->rule, 0, op->handle);
	}
	for (f = 0; f < INCR_FAMILIES; f++)
		for (i = 0; i < p.ndel[f]; i++)
			emit_nl_incr_counter(inc, incr_proto(f), p.del[f][i], false);
	emit_nl_incr_end(inc);
	timing("small batch built: %zu rule messages, %zu counters", p.nops, p.nadd[0] + p.nadd[1] + p.ndel[0] + p.ndel[1]);
	talk_gen(inc, &t, r.genid);
	timing("small transaction sent and answered");
	if (!t.sys_errno && !t.nerrs && !t.lost && t.done) {
		bool known = true;

		for (i = 0; i < p.nops; i++) {
			if (p.ops[i].kind != INCR_ADD)
				continue;
			for (j = 0; j < t.necho && t.echo[j].seq != seqs[i]; j++)
				;
			if (j == t.necho)
				known = false;
			else
				p.handles[p.ops[i].rule] = t.echo[j].handle;
		}
		if (known) {
			incr_rec_make(&nr, ir, s, sets, p.handles, incr_genid_next(r.genid));
			incr_write(&nr, d);
			incr_rec_free(&nr);
			timing("record of handles and sets written");
			edit_map(o, ir, s, incr_genid_next(r.genid));
		} else {
			incr_remove();
		}
		*changed = true;
		o->incremental = true;
		rc = EXIT_OK;
	}
	free(t.errs);
	free(t.echo);
	free(seqs);
	emit_nl_free(inc);
out_plan:
	incr_plan_free(&p);
out:
	emit_nl_scan_free(s);
	emit_nl_free(b0);
	incr_rec_free(&r);
	return rc;
}

/*
 * The edit record of this apply, to be written once it committed (the
 * edit path's; editrec.h): only for one regular FILE that is flat, not
 * under --confirm (its rollback would leave the record wrong). Otherwise
 * an older one is removed: it would speak of another file.
 */
static void edit_prepare(struct apply_opts *o, const char *file, int first, char **argv, struct diag *d)
{
	struct stat st;
	struct editrec *e;
	const char *src = NULL;
	size_t len = 0;
	uint32_t id;

	if (!file || o->confirm || o->diff || !strcmp(file, "-") || stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		editrec_remove();
		return;
	}
	for (id = 1; *diag_source_name(d, id); id++)
		if (!strcmp(diag_source_name(d, id), file))
			break;
	if (*diag_source_name(d, id))
		src = diag_source_at(d, id, 1, 1, &len);
	if (!src || len > UINT32_MAX) {
		editrec_remove();
		return;
	}
	e = xcalloc(1, sizeof(*e));
	stmt_index_build(src, len, 1, MENU_UNKNOWN, &e->x);
	if (!e->x.flat) {
		timing("no edit record: not a flat file");
		editrec_free(e);
		free(e);
		editrec_remove();
		return;
	}
	e->build = editrec_build_id();
	e->opts = editrec_opts(first, argv, d, id);
	e->path = xstrdup(file);
	e->src = xmalloc(len + 1);
	memcpy(e->src, src, len);
	e->len = len;
	o->edit = e;
	o->edit_file = id;
	timing("statements indexed");
}

/*
 * The edit path (editpath.h): EXIT_OK committed, APPLY_FULL for the full
 * path (nothing was changed), or an exit code. Taken for one regular FILE
 * when the last apply of that path left an edit record; never under
 * --check, --diff, --confirm or --forwarding=on. A rule-only edit leaves
 * what the rest of the configuration makes outside the ruleset (connection
 * tracking settings, policy routing, the inspection helper's file) as the
 * last apply wrote it.
 */
static int apply_edit(struct apply_opts *o, int argc, char **argv, int first, struct diag *d, struct source_set *ss,
		      bool *changed)
{
	const char *file = argc - first == 1 ? argv[first] : NULL, *why = NULL, *rec = editrec_path();
	struct editpath_in in;
	const struct source *src;
	struct editpath *e;
	struct diag_mark mark;
	struct emit_nl *b;
	struct stat st;
	struct talk t;
	uint64_t *handles;
	size_t n, i, j, kept, del, add;
	int rc = APPLY_FULL;

	if (!file || o->check || o->diff || o->confirm || o->forwarding || !incr_path() || !rec ||
	    !strcmp(file, "-") || stat(file, &st) < 0 || !S_ISREG(st.st_mode))
		return APPLY_FULL;
	if (access(rec, F_OK) < 0) {
		timing("full path: no edit record (the last apply warned, or was not of one flat FILE)");
		return APPLY_FULL;
	}
	timing("edit path: start");
	if (!(src = source_read(ss, file)))
		return APPLY_FULL;	/* the full path says why */
	in = (struct editpath_in){ file, src->buf, src->len, editrec_opts(first, argv, d, 0), o->merge, &o->lower };
	if (!(e = editpath_plan(&in, &why))) {
		timing("full path: %s", why);
		return APPLY_FULL;
	}
	timing("edit path: planned (reduced compiles, checks, apply record spliced)");
	/* What this machine lacks for the new rules is said by the full
	 * path, with the rest of its diagnostics. */
	mark = diag_mark(d);
	if (apply_box_check(editpath_ir(e), o, d) != EXIT_OK || diag_count(d) != mark.nmsg) {
		diag_rollback(d, &mark);
		timing("full path: the interface check of the new rules said something");
		goto out;
	}
	if (!confirm_may_apply(d, "apply")) {
		rc = EXIT_IO;
		goto out;
	}
	if (!editpath_there(e)) {
		timing("full path: a rule the record names is not where it says");
		incr_remove();
		editrec_remove();
		goto out;
	}
	editpath_counts(e, &kept, &del, &add);
	if (!del && !add && !editpath_objects(e)) {
		/* a disabled rule's line, a comment line: no kernel object
		 * changes, the records do */
		editpath_record(e, NULL, false, d);
		o->kept_rules = kept;
		o->incremental = true;
		o->edit_path = true;
		timing("edit path: nothing to send; records written");
		rc = EXIT_OK;
		goto out;
	}
	b = editpath_batch(e, (uint32_t)time(NULL));
	timing("edit path: batch built");
	talk_gen(b, &t, editpath_genid(e));
	timing("edit path: transaction sent and answered");
	if (!t.sys_errno && !t.nerrs && !t.lost && t.done) {
		n = editpath_nadded(e);
		handles = xcalloc(n + 1, sizeof(*handles));
		for (i = 0; i < n; i++)
			for (j = 0; j < t.necho; j++)
				if (t.echo[j].seq == editpath_seq(e, i))
					handles[i] = t.echo[j].handle;
		editpath_record(e, handles, true, d);
		free(handles);
		o->kept_rules = kept;
		o->incremental = true;
		o->edit_path = true;
		*changed = true;
		if (!o->confirm)
			confirm_tell(d);
		timing("edit path: records written (%zu rules deleted, %zu added, %zu kept)", del, add, kept);
		rc = EXIT_OK;
	} else {
		timing("full path: the kernel refused the edit's transaction (%s%s%.200s)",
		       t.nerrs ? strerror(t.errs[0].err) : t.sys_errno ? strerror(t.sys_errno) : "no answer",
		       t.nerrs && t.errs[0].msg[0] ? ": " : "", t.nerrs ? t.errs[0].msg : "");
	}
	free(t.errs);
	free(t.echo);
	emit_nl_free(b);
out:
	editpath_free(e);
	return rc;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_opts o = { 0 };
	int first = apply_opts_parse(argc, argv, &o, true), rc;
	struct source_set *ss;
	struct diag *d;
	struct model *m = NULL;
	struct ir *ir = NULL;
	struct emit_nl *b = NULL;
	struct state *st = NULL;
	struct ct_saved saved;
	bool changed = false, has_tables = false, would_change = true, recording;
	struct emit_nl_sets sets = { 0 };
	struct sent sent = { 0 };

	if (first < 0)
		return apply_usage(stderr, EXIT_IO);
	timing("start");
	ss = source_set_new();
	d = diag_new(o.max_errors);
	/* A file that cannot be read: the one line every command gives, or
	 * with --json the result's one diagnostic. */
	if (!config_ifmap(&o.ifo, d, ss, o.json, &o.lower)) {
		rc = EXIT_IO;
		goto report;
	}
	/* An edit of a few rule lines of the file last applied: without
	 * reading the rest (editpath.h). */
	rc = apply_edit(&o, argc, argv, first, d, ss, &changed);
	if (rc != APPLY_FULL)
		goto report;
	m = config_read_map(argv + first, argc - first, d, ss, o.json, o.lower.ifmap);
	if (!m) {
		rc = EXIT_IO;
		goto report;
	}
	/* Refuse what compile refuses, before anything is sent. The values
	 * tls-host, layer7-protocol and content rules had keep their label
	 * bits: connections decided before carry them. */
	inspect_prev_read(&o.lower);
	if (!diag_errors(d))
		ir = lower_model(m, d, &o.lower);
	if (!ir) {
		rc = EXIT_CONFIG;
		goto report;
	}
	{
		const struct ir_rule *r = NULL;
		const char *why = ir_check(ir, &r);

		if (why) {
			diag_error(d, r ? &r->loc : NULL, "not supported by the netlink back end yet: %s", why);
			rc = EXIT_CONFIG;
			goto report;
		}
	}
	fasttrack_fit(ir, d, o.probe);
	if (!inspect_fit(ir, d, o.inspect_given))
		inspect_helper_check(ir, d);
	rc = apply_box_check(ir, &o, d);
	if (rc != EXIT_OK)
		goto report;
	if (config_warnings_over(d, o.max_warnings)) {
		rc = EXIT_CONFIG;
		goto report;
	}
	/* After the checks, which name every rule that lacks an interface:
	 * a merged run is one kernel rule for all of its rules. */
	if (o.merge)
		merge_runs(ir, MERGE_MIN_RUN);
	if (o.diff) {
		rc = apply_diff(ir, d, &o, &changed);
		goto report;
	}
	has_tables = ir->tables[0] || ir->tables[1];
	/* Against the record of the last commit, what changed is known
	 * without reading the kernel's tables (incr.h); the named sets are
	 * fingerprinted before dynamic entries join them. */
	recording = !o.check && incr_path();
	if (recording) {
		timing("parsed and lowered");
		edit_prepare(&o, argc - first == 1 ? argv[first] : NULL, first, argv, d);
		emit_nl_sets_scan(ir, &sets);
		timing("named sets fingerprinted");
	}
	if (recording && !o.confirm) {
		rc = apply_incr(ir, &sets, &o, d, &changed);
		if (rc == EXIT_OK)
			goto committed;
		if (rc != APPLY_FULL)
			goto report;
	}
	/* The full batch holds the elements again. */
	emit_nl_sets_drop_batch(&sets);
	/* --check commits nothing, so there is no state to carry over. */
	rc = o.check ? EXIT_OK : apply_state_read(&st, d);
	if (rc != EXIT_OK)
		goto report;
	/* The pending rollback would put its tables back over these: a
	 * deploy that another one silently undoes is refused (st: we may
	 * change the firewall at all, else the capability is what to say). */
	if (st && !o.confirm && !confirm_may_apply(d, "apply")) {
		rc = EXIT_IO;
		goto report;
	}
	if (st)
		o.kept_entries = state_keep_elems(st, ir);
	if (!o.check && has_tables) {
		ct_saved_read(&saved);
		ct_saved_prepare(&saved, ir);
	}
	b = emit_nl_build_over(ir, st ? state_have(st) : NULL, (uint32_t)time(NULL), !o.check, NULL);
	if (b)
		o.kept_rules = emit_nl_kept(b);
	/* --json says whether anything changed: what --diff would say, read
	 * before the batch goes (a read of rosfw's tables as --diff's). */
	if (b && o.json && !o.check && st) {
		struct changes c = { 0 };

		rc = changes_find(ir, &o, d, &c);
		would_change = c.n > 0;
		changes_free(&c);
		if (rc != EXIT_OK)
			goto report;
	}
	if (b && o.confirm && !o.check && st) {
		struct changes routed = { 0 };

		/* The rollback puts tables back, not rtnetlink's objects. */
		if (routing_diff(ir->routing, &routed, d) == EXIT_OK && routed.n)
			diag_warning(d, NULL,
				     "--confirm: the rollback puts back the firewall only; the %zu change%s of policy routing (ip rules, routes) this apply makes stay%s (README: Policy routing)",
				     routed.n, routed.n == 1 ? "" : "s", routed.n == 1 ? "s" : "");
		changes_free(&routed);
		rc = apply_confirm_arm(&o, d);
		if (rc != EXIT_OK)
			goto report;
	}
	if (b && recording)
		full_echo_mark(b, &sent);
	timing("full batch built");
	rc = b ? send_batch(b, ir, d, &o, &changed, recording ? &sent : NULL) : EXIT_CONFIG;
	timing("full transaction sent and answered");
	if (recording && rc == EXIT_OK && !o.check)
		full_record(b, ir, &sets, &sent, &o, d);
	changed = changed && would_change;
	if (o.confirm && !o.check && st && rc != EXIT_OK) {
		confirm_drop();		/* nothing changed: nothing to put back */
		o.due = 0;
	} else if (o.confirm && !o.check && st) {
		char at[64];

		strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S %Z", localtime(&o.due));
		diag_note(d, NULL,
			  "applied; the previous tables come back at %s (in %u s) unless `rosfw confirm` runs before then; `rosfw rollback` puts them back now",
			  at, o.confirm);
	}
committed:
	if (rc == EXIT_OK && !o.check) {
		/* Where to keep what they were, the tables, must exist. */
		if (has_tables)
			ct_sysctls_write(ir, d);
		else if (ir->nsysctls)
			diag_note(d, NULL, "no firewall in the configuration: connection tracking settings left as they are");
		/* After the commit: the helper rereads it and must find the
		 * bits the rules now in the kernel test. */
		inspect_conf_write(ir, d);
		if (o.forwarding && has_tables)
			apply_forwarding(ir, d);
		/* A pending rollback will undo this apply; a stale one waits
		 * for the user (--confirm refused both before sending). */
		if (!o.confirm)
			confirm_tell(d);
		/* What print and rosfwd read when given no FILE. */
		record_save(m, ir, o.lower.ifmap, d);
	}
	/* rtnetlink has no transaction to share with nftables': the
	 * routing goes once the firewall is in (routing.h). */
	if (rc == EXIT_OK && !o.check) {
		bool routed = false;

		rc = routing_apply(ir->routing, d, &routed);
		changed |= routed;
	}
	if (o.edit) {
		timing("post-commit steps done");
		/* An apply that warned goes the full path next time, which
		 * says its warnings again. */
		if (rc == EXIT_OK && o.edit_mapped && !diag_warnings(d) && !diag_errors(d)) {
			if (editrec_write(o.edit) < 0)
				timing("no edit record: it could not be written");
		} else {
			editrec_remove();
		}
		timing("edit record written");
	}
report:
	timing("committed and recorded");
	if (rc < 0)
		rc = noperm_report(&o, rc);
	else
		result_print(d, &o, rc, changed);
	if (o.changes) {
		changes_free(o.changes);
		free(o.changes);
	}
	if (o.edit) {
		editrec_free(o.edit);
		free(o.edit);
	}
	state_free(st);
	emit_nl_free(b);
	emit_nl_sets_free(&sets);
	free(sent.echo);
	ir_free(ir);
	inspect_prev_free(&o.lower);
	model_free(m);
	ifmap_free((struct ifmap *)o.lower.ifmap);
	config_ifopts_free(&o.ifo);
	diag_free(d);
	source_set_free(ss);
	return rc;
}

/* Whether flush has anything to remove: any rosfw table. Not known
 * (no capability, netlink): true, the batch says the rest. */
static bool flush_has_tables(void)
{
	struct nlsock ns;
	int f, have = 0;

	if (!nlsock_open(&ns))
		return true;
	for (f = 0; f < 3 && have == 0; f++)
		have = kread_table(&ns, f == 2 ? NFPROTO_BRIDGE : f ? NFPROTO_IPV6 : NFPROTO_IPV4, NULL, NULL);
	nlsock_close(&ns);
	return have != 0;
}

int cmd_flush(int argc, char **argv)
{
	struct apply_opts o = { 0 };
	struct diag *d;
	struct emit_nl *b;
	struct ct_saved saved;
	bool changed = false, kept, had = false;
	int rc;

	if (apply_opts_parse(argc, argv, &o, false) < 0)
		return apply_usage(stderr, EXIT_IO);
	d = diag_new(o.max_errors);
	/* The capability first (it is what to say without it); then a
	 * pending rollback, which would put the tables back. */
	if (!o.check && nlsock_admin_check() == 0 && !confirm_may_apply(d, "flush")) {
		result_print(d, &o, EXIT_IO, false);
		diag_free(d);
		return EXIT_IO;
	}
	had = !o.check && flush_has_tables();
	kept = !o.check && ct_saved_read(&saved);
	b = emit_nl_build(NULL, (uint32_t)time(NULL), !o.check);
	rc = send_batch(b, NULL, d, &o, &changed, NULL);
	changed = changed && had;
	if (rc == EXIT_OK && !o.check) {
		bool routed = false;

		rc = routing_flush(d, &routed);
		changed |= routed;
	}
	if (rc == EXIT_OK && kept)
		ct_sysctls_restore(&saved, d);
	if (rc == EXIT_OK && !o.check)
		confirm_tell(d);
	if (rc < 0)
		rc = noperm_report(&o, rc);
	else
		result_print(d, &o, rc, changed);
	emit_nl_free(b);
	diag_free(d);
	return rc;
}
