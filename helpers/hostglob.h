/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_HOSTGLOB_H
#define ROSFW_HOSTGLOB_H

#include <stdbool.h>

/*
 * RouterOS's tls-host pattern against a server name: `*` any run of
 * characters (dots too: `*.example.com` takes a.b.example.com, and not
 * example.com itself), `?` one character, case ignored. Linear in the
 * lengths' product at worst, never exponential.
 */
bool hostglob_match(const char *pat, const char *host);

#endif
