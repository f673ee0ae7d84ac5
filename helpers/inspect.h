/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_INSPECT_H
#define ROSFW_INSPECT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tls_sni.h"

/* Connection label bits, shared with the compiler (compiler/lower_inspect.c):
 * bit INSPECT_DONE_BIT says the helper has decided the connection; bit i
 * (i < INSPECT_MAX_MATCHERS) that matcher i matched. */
#define INSPECT_DONE_BIT 127
#define INSPECT_MAX_MATCHERS 127
#define INSPECT_LABEL_BYTES 16
/* What RouterOS collects for layer7 (and rosfw for content too). */
#define L7_MAX_PACKETS 10
#define L7_MAX_BYTES 2048

enum imatch_kind { IM_TLS_HOST, IM_LAYER7, IM_CONTENT };

struct imatcher {
	enum imatch_kind kind;
	unsigned bit;
	uint8_t *value;		/* pattern, regexp or content bytes, NUL-terminated */
	size_t len;
	regex_t re;		/* IM_LAYER7 */
};

struct iconf {
	struct imatcher *m;
	size_t n;
};

/*
 * The matchers `rosfw apply` writes for the helper, one a line:
 * `BIT KIND HEX` (KIND tls-host, layer7 or content, HEX the value's bytes
 * in hex, so no value can break the line). 0, or -1 with "line N: why" in
 * err and nothing kept.
 */
int iconf_read(struct iconf *c, FILE *f, char *err, size_t errsz);
void iconf_free(struct iconf *c);

/*
 * Where apply leaves the matchers and the helper reads them: ROSFW_INSPECT_CONF
 * (set and empty: nowhere, NULL; the test suites' setting), else
 * /run/rosfw/inspect.conf for the system's network namespace and
 * /run/rosfw/inspect.INODE.conf for any other (a container's, a test's),
 * as apply's record of what it applied is kept (runtime/record.c).
 */
const char *inspect_conf_path(void);

/* What the helper keeps of one connection: at most sizeof(struct iflow). */
struct iflow {
	uint32_t id;
	uint64_t seen;			/* caller's clock, for expiry */
	uint8_t pkts;
	bool done, seq_known, sni_final;
	uint32_t next_seq;		/* the client's next byte */
	uint16_t l7len, clen;
	uint8_t label[INSPECT_LABEL_BYTES];
	uint8_t l7[L7_MAX_BYTES];	/* both directions, in arrival order */
	uint8_t client[SNI_STREAM_MAX];	/* the client's first bytes, reassembled */
};

/* One packet of the connection. */
struct ipkt {
	bool reply;		/* from the server (conntrack's reply direction) */
	bool tcp, syn;
	uint32_t seq;		/* tcp: the first payload byte's sequence number */
	const uint8_t *data;	/* transport payload */
	size_t len;
};

/*
 * Feed one packet to the connection's state. Afterwards f->label holds
 * every bit to set (matched matchers, and INSPECT_DONE_BIT once every
 * matcher has its answer: the kernel stops sending the connection).
 */
void iflow_feed(const struct iconf *c, struct iflow *f, const struct ipkt *p);

static inline bool label_has(const uint8_t *label, unsigned bit)
{
	return label[bit / 8] & (1u << (bit % 8));
}

#endif
