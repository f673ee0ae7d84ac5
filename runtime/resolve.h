/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_RESOLVE_H
#define ROSFW_RESOLVE_H

/*
 * A name's addresses and how long they may be kept, which getaddrinfo
 * does not say. /etc/hosts first, as glibc's usual "files dns" order has
 * it (no TTL there); then the system's DNS servers from resolv.conf
 * through glibc's libresolv (retries, TCP on truncation, search domains),
 * whose answer gives the TTL: the least over the records used, CNAMEs
 * included.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RESOLVE_MAX 64

/**
 * struct resolve_answer - the addresses of one name, one family.
 * @addr:    16 bytes each, an IPv4 address in the first 4.
 * @ttl:     seconds the answer may be kept, when @has_ttl (DNS).
 */
struct resolve_answer {
	uint8_t addr[RESOLVE_MAX][16];
	size_t n;
	uint32_t ttl;
	bool has_ttl;
};

/* `name`'s addresses of family `af` (AF_INET or AF_INET6): NULL, or why
 * there are none (a static text: no such name, no answer, ...). */
const char *resolve_name(const char *name, int af, struct resolve_answer *a);

/* The addresses of a DNS answer to a query for A (AF_INET) or AAAA
 * records: those whose owner is the question's name or a name its CNAMEs
 * lead to. 0, or -1 for a malformed message or one that names no
 * address. */
int resolve_parse(const uint8_t *msg, size_t len, int af, struct resolve_answer *a);

/* The addresses a hosts(5) file gives `name`: how many. */
size_t resolve_hosts(FILE *f, const char *name, int af, struct resolve_answer *a);

#endif
