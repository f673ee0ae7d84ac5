/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_METRICS_H
#define ROSFW_METRICS_H

/*
 * rosfwd's Prometheus endpoint: GET /metrics on 127.0.0.1 only (the
 * figures name rules and comments; nothing off the box should read them
 * unasked), answered with print stats --prometheus of the applied
 * configuration. One request per connection, HTTP/1.0, served in turn.
 */

#include "model.h"
#include "nlsock.h"

/* A listening socket on 127.0.0.1:port, or -1 with errno. */
int metrics_listen(unsigned port);
/* Accept one connection on `lfd` and answer it; `m` NULL: 503. */
void metrics_serve(int lfd, struct nlsock *q, const struct model *m);

#endif
