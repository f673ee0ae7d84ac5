/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_METRICS_H
#define ROSFW_METRICS_H

/*
 * rosfwd's Prometheus endpoint: GET /metrics on 127.0.0.1 only (the
 * figures name rules and comments; nothing off the box should read them
 * unasked), answered with print stats --prometheus of the applied
 * configuration. One request per connection. Sockets never block: a client
 * that trickles its request or never reads its answer holds only its own
 * connection, and only until its deadline, never the daemon's loop.
 */

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "nlsock.h"
#include "record.h"

/* Connections served at once; more wait in the listen queue. */
#define METRICS_CLIENTS 64
/* A connection's whole life, request and answer, in ms. */
#define METRICS_DEADLINE_MS 10000

struct metrics;

/* Listening on 127.0.0.1:port, or NULL with errno. */
struct metrics *metrics_listen(unsigned port);
void metrics_free(struct metrics *s);

/* The descriptors to poll, into p[0..n) (room for METRICS_CLIENTS + 1),
 * and the earliest deadline (monotonic ms) into *deadline, if sooner. */
size_t metrics_pollfds(const struct metrics *s, struct pollfd *p, int64_t *deadline);

/* Serve what poll found on the descriptors metrics_pollfds gave (`p`, in
 * the same order and number, no other call between) and drop connections
 * past their deadline; `now` in monotonic ms. Answers come from the
 * kernel through `q`, the rules named by `a` (NULL: by the record of
 * the last apply; without one, 503). */
void metrics_serve(struct metrics *s, const struct pollfd *p, int64_t now, struct nlsock *q,
		   const struct applied *a);

#endif
