/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw-inspect: decides tls-host, layer7-protocol and content for the
 * rules rosfw compiled, from the packets the kernel queues to it.
 *
 * Design (README: Payload inspection). Each distinct matcher is a bit of
 * the connection's ct label, bit 127 "decided"; connection-mark keeps all
 * of ct mark. rosfw's base chains inspect.prerouting and inspect.output
 * (priority -160: after conntrack, before rosfw's mangle) send packets of
 * tracked connections without bit 127 to queue 19 with bypass, so traffic
 * never stops when this helper is absent; the rule itself is `ct label N`
 * in the kernel. Here each packet is fed to its connection's state
 * (helpers/inspect.c: RouterOS's windows, 10 packets or 2 KB of both
 * directions, the ClientHello reassembled within them), and the verdict
 * accepts it with the bits found so far set on its connection (NFQA_CT
 * with CTA_LABELS and its mask): the packet goes on to rosfw's chains,
 * which see the label at once. Once bit 127 is set the kernel stops
 * queueing the connection.
 *
 * Linux's timing against RouterOS: packets pass unmatched until what
 * decides has been seen (the SYN, the packets before a layer7 pattern
 * completes), as on RouterOS, whose matcher decides on the same packets;
 * the packet that completes a match is itself matched. What this helper
 * cannot keep (more than --max-flows connections at once, a ClientHello
 * past 8 KB) is decided "no match": the open side for a drop rule, chosen
 * because the alternative, holding packets, stops traffic a helper that
 * falls behind cannot let through.
 *
 * The matchers come from the file `rosfw apply` writes (reread when it
 * changes, and on SIGHUP); without it every connection is decided at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "flows.h"
#include "inspect.h"
#include "pkt.h"

#define QUEUE_DEFAULT 19
#define MAX_FLOWS_DEFAULT 2048
/* enum ip_conntrack_info: IP_CT_IS_REPLY and above are replies. */
#define CT_IS_REPLY 3

struct helper {
	struct mnl_socket *nl;
	uint32_t portid;
	uint16_t queue;
	const char *conf_path;
	struct timespec conf_mtime;
	bool conf_present;
	struct iconf conf;
	struct flows *flows;
	unsigned long max_flows;
	unsigned long packets, full;
	char buf[0xffff + 8192];	/* one packet whole, and its attributes */
};

static volatile sig_atomic_t reload_asked, stop_asked;

static void on_hup(int sig)
{
	(void)sig;
	reload_asked = 1;
}

static void on_term(int sig)
{
	(void)sig;
	stop_asked = 1;
}

static uint64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* Reread the matchers when their file changed (or on SIGHUP): the
 * flows go, their bits may mean other things now. A file it cannot read
 * keeps the matchers it had. */
static void conf_check(struct helper *h, bool force)
{
	struct stat st;
	struct iconf c;
	char err[256];
	FILE *f;

	if (stat(h->conf_path, &st)) {
		if (h->conf_present) {
			syslog(LOG_NOTICE, "%s is gone: nothing to inspect, every connection is decided at once",
			       h->conf_path);
			iconf_free(&h->conf);
			flows_clear(h->flows);
		}
		h->conf_present = false;
		return;
	}
	if (!force && h->conf_present && st.st_mtim.tv_sec == h->conf_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == h->conf_mtime.tv_nsec)
		return;
	f = fopen(h->conf_path, "r");
	if (!f) {
		syslog(LOG_ERR, "%s: %s", h->conf_path, strerror(errno));
		return;
	}
	if (iconf_read(&c, f, err, sizeof(err))) {
		syslog(LOG_ERR, "%s: %s; keeping the matchers read before", h->conf_path, err);
		fclose(f);
		return;
	}
	fclose(f);
	iconf_free(&h->conf);
	h->conf = c;
	h->conf_present = true;
	h->conf_mtime = st.st_mtim;
	flows_clear(h->flows);
	syslog(LOG_INFO, "%zu matchers from %s", c.n, h->conf_path);
}

static int send_msg(struct helper *h, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(h->nl, nlh, nlh->nlmsg_len) < 0) {
		syslog(LOG_ERR, "netlink send: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Accept, setting the label bits found (their mask: only ours change). */
static int verdict(struct helper *h, uint32_t id, const uint8_t *label)
{
	char buf[8192];
	struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_VERDICT, h->queue);
	static const uint8_t zero[INSPECT_LABEL_BYTES];

	nfq_nlmsg_verdict_put(nlh, (int)id, NF_ACCEPT);
	if (label && memcmp(label, zero, sizeof(zero))) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, NFQA_CT);

		mnl_attr_put(nlh, CTA_LABELS, INSPECT_LABEL_BYTES, label);
		mnl_attr_put(nlh, CTA_LABELS_MASK, INSPECT_LABEL_BYTES, label);
		mnl_attr_nest_end(nlh, nest);
	}
	return send_msg(h, nlh);
}

static uint32_t ct_id(const struct nlattr *ct, bool *ok)
{
	struct nlattr *a;

	*ok = false;
	if (!ct)
		return 0;
	mnl_attr_for_each_nested(a, ct) {
		if (mnl_attr_get_type(a) == CTA_ID && mnl_attr_get_payload_len(a) == 4) {
			*ok = true;
			return ntohl(mnl_attr_get_u32(a));
		}
	}
	return 0;
}

static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct helper *h = data;
	struct nlattr *attr[NFQA_MAX + 1] = { 0 };
	struct nfqnl_msg_packet_hdr *ph;
	struct ipkt p = { 0 };
	struct iflow *f;
	uint32_t id, cid;
	bool have_id;
	static uint8_t done_only[INSPECT_LABEL_BYTES];

	done_only[INSPECT_DONE_BIT / 8] = 1u << (INSPECT_DONE_BIT % 8);
	if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR])
		return MNL_CB_OK;
	ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	id = ntohl(ph->packet_id);
	h->packets++;
	cid = ct_id(attr[NFQA_CT], &have_id);
	/* No connection (the kernel queues only tracked ones) or nothing to
	 * look for: decided, nothing matched. */
	if (!have_id || !h->conf_present || !h->conf.n)
		return verdict(h, id, have_id ? done_only : NULL) ? MNL_CB_ERROR : MNL_CB_OK;
	f = flows_get(h->flows, cid, now_s());
	if (!f) {
		if (!h->full++ || h->full % 10000 == 0)
			syslog(LOG_WARNING, "more than %lu connections being inspected: new ones decided unmatched (%lu so far)",
			       h->max_flows, h->full);
		return verdict(h, id, done_only) ? MNL_CB_ERROR : MNL_CB_OK;
	}
	p.reply = attr[NFQA_CT_INFO] && ntohl(mnl_attr_get_u32(attr[NFQA_CT_INFO])) >= CT_IS_REPLY;
	if (attr[NFQA_PAYLOAD] &&
	    pkt_parse(mnl_attr_get_payload(attr[NFQA_PAYLOAD]), mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]), &p))
		iflow_feed(&h->conf, f, &p);
	else if (!f->done && f->pkts < 255)
		f->pkts++;	/* nothing readable: it still counts toward the window */
	return verdict(h, id, f->label) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int queue_bind(struct helper *h)
{
	char buf[8192];
	struct nlmsghdr *nlh;

	nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, h->queue);
	nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, NFQNL_CFG_CMD_BIND);
	if (send_msg(h, nlh))
		return -1;
	nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, h->queue);
	nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
	/* The connection and its direction with each packet; and when the
	 * queue is full the kernel accepts rather than drops (fail open, as
	 * bypass does when nobody listens). */
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN));
	nfq_nlmsg_cfg_put_qmaxlen(nlh, 4096);
	return send_msg(h, nlh);
}

static int usage(FILE *out, int code)
{
	fprintf(out, "usage: rosfw-inspect [--queue N] [--config FILE] [--max-flows N]\n"
		     "Decides tls-host, layer7-protocol and content for rosfw's rules from the packets\n"
		     "queued to it (queue %d), with the matchers rosfw apply writes (%s here;\n"
		     "ROSFW_INSPECT_CONF or --config: another). Logs to syslog (stderr too in a terminal).\n",
		QUEUE_DEFAULT, inspect_conf_path() ? inspect_conf_path() : "none");
	return code;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "queue", required_argument, NULL, 'q' },
		{ "config", required_argument, NULL, 'c' },
		{ "max-flows", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct helper *h = calloc(1, sizeof(*h));
	unsigned long max_flows = MAX_FLOWS_DEFAULT, q = QUEUE_DEFAULT;
	struct sigaction sa = { 0 };
	int c, rc = 0;

	if (!h)
		return 1;
	h->conf_path = inspect_conf_path();
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'q':
			q = strtoul(optarg, &end, 10);
			if (*end || q > 65535)
				return usage(stderr, 2);
			break;
		case 'c':
			h->conf_path = optarg;
			break;
		case 'n':
			max_flows = strtoul(optarg, &end, 10);
			if (*end || !max_flows || max_flows > 1000000)
				return usage(stderr, 2);
			break;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	if (!h->conf_path) {
		fprintf(stderr, "rosfw-inspect: ROSFW_INSPECT_CONF is empty: give the matchers' file with --config\n");
		return 2;
	}
	h->queue = (uint16_t)q;
	h->max_flows = max_flows;
	openlog("rosfw-inspect", LOG_PID | (isatty(2) ? LOG_PERROR : 0), LOG_DAEMON);
	h->flows = flows_new(max_flows);
	h->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!h->flows || !h->nl || mnl_socket_bind(h->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		syslog(LOG_ERR, "netlink: %s", strerror(errno));
		return 1;
	}
	h->portid = mnl_socket_get_portid(h->nl);
	/* ENOBUFS (the kernel dropped messages for us) is not fatal: those
	 * packets went on as the queue's fail-open lets them. */
	c = 1;
	mnl_socket_setsockopt(h->nl, NETLINK_NO_ENOBUFS, &c, sizeof(c));
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	conf_check(h, true);
	if (queue_bind(h)) {
		syslog(LOG_ERR, "cannot listen on queue %u", h->queue);
		return 1;
	}
	syslog(LOG_INFO, "listening on queue %u", h->queue);
	while (!stop_asked) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(h->nl), .events = POLLIN };
		ssize_t n;

		conf_check(h, reload_asked);
		reload_asked = 0;
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = mnl_socket_recvfrom(h->nl, h->buf, sizeof(h->buf));
		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			syslog(LOG_ERR, "netlink receive: %s", strerror(errno));
			rc = 1;
			break;
		}
		if (mnl_cb_run(h->buf, (size_t)n, 0, h->portid, packet_cb, h) < 0) {
			syslog(LOG_ERR, "queue: %s", strerror(errno));
			rc = 1;
			break;
		}
	}
	syslog(LOG_INFO, "%lu packets inspected; stopping", h->packets);
	mnl_socket_close(h->nl);
	flows_free(h->flows);
	iconf_free(&h->conf);
	free(h);
	return rc;
}
