/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The decision: what each matcher says of a connection from the packets
 * the kernel sends until it is decided. RouterOS's windows are kept:
 * layer7 sees the first 10 packets or 2 KB of both directions; content
 * (a per-packet match on RouterOS) is looked for in each packet of the
 * same window and, once found, holds for the whole connection, since the
 * kernel rule can only test the connection's label; tls-host reads the
 * ClientHello, also when it is split over segments (RouterOS then never
 * matches), within the same 10 packets.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hostglob.h"
#include "inspect.h"
#include "netns.h"
#include "payload.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int kind_of(const char *s, enum imatch_kind *k)
{
	if (!strcmp(s, "tls-host"))
		*k = IM_TLS_HOST;
	else if (!strcmp(s, "layer7"))
		*k = IM_LAYER7;
	else if (!strcmp(s, "content"))
		*k = IM_CONTENT;
	else
		return -1;
	return 0;
}

static int line_read(struct imatcher *m, char *line, char *err, size_t errsz)
{
	char kind[16], *hex;
	unsigned bit;
	size_t i, n;
	int used;

	if (sscanf(line, "%u %15s %n", &bit, kind, &used) != 2 || kind_of(kind, &m->kind)) {
		snprintf(err, errsz, "not BIT KIND HEX");
		return -1;
	}
	if (bit >= INSPECT_MAX_MATCHERS) {
		snprintf(err, errsz, "bit %u past %u", bit, INSPECT_MAX_MATCHERS - 1);
		return -1;
	}
	m->bit = bit;
	hex = line + used;
	n = strcspn(hex, " \t\r\n");
	if (!n || n % 2) {
		snprintf(err, errsz, "value is no hex string");
		return -1;
	}
	m->len = n / 2;
	m->value = malloc(m->len + 1);
	if (!m->value) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (i = 0; i < m->len; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0 || (m->kind != IM_CONTENT && !(hi | lo))) {
			free(m->value);
			snprintf(err, errsz, "value is no hex string");
			return -1;
		}
		m->value[i] = (uint8_t)(hi << 4 | lo);
	}
	m->value[m->len] = '\0';
	if (m->kind == IM_LAYER7 && l7_compile(&m->re, (const char *)m->value, err, errsz)) {
		free(m->value);
		return -1;
	}
	return 0;
}

int iconf_read(struct iconf *c, FILE *f, char *err, size_t errsz)
{
	char line[8192], why[256];
	unsigned lineno = 0;

	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f)) {
		struct imatcher *m;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errsz, "line %u: longer than %zu bytes", lineno, sizeof(line) - 1);
			goto fail;
		}
		m = realloc(c->m, (c->n + 1) * sizeof(*m));
		if (!m) {
			snprintf(err, errsz, "out of memory");
			goto fail;
		}
		c->m = m;
		memset(&m[c->n], 0, sizeof(*m));
		if (line_read(&m[c->n], line, why, sizeof(why))) {
			snprintf(err, errsz, "line %u: %s", lineno, why);
			goto fail;
		}
		c->n++;
	}
	return 0;
fail:
	iconf_free(c);
	return -1;
}

void iconf_free(struct iconf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->m[i].kind == IM_LAYER7)
			regfree(&c->m[i].re);
		free(c->m[i].value);
	}
	free(c->m);
	memset(c, 0, sizeof(*c));
}

const char *inspect_conf_path(void)
{
	static char path[PATH_MAX];

	return netns_path(path, sizeof(path), "ROSFW_INSPECT_CONF", "/run/rosfw/inspect.conf", "/run/rosfw/inspect.",
			  ".conf");
}

static void label_set(uint8_t *label, unsigned bit)
{
	label[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* The client's bytes in sequence order: a segment that starts past the
 * next expected byte (one lost or reordered before it) is not kept, a
 * retransmission adds only what is new. */
static void client_add(struct iflow *f, const struct ipkt *p)
{
	const uint8_t *d = p->data;
	size_t n = p->len, room = sizeof(f->client) - f->clen;
	uint32_t skip;

	if (!f->seq_known) {
		f->seq_known = true;
		f->next_seq = p->seq;
	}
	skip = f->next_seq - p->seq;	/* mod 2^32: a later segment gives a huge skip */
	if (skip >= n)
		return;
	d += skip;
	n -= skip;
	if (n > room)
		n = room;
	memcpy(f->client + f->clen, d, n);
	f->clen = (uint16_t)(f->clen + n);
	f->next_seq += (uint32_t)n;
}

void iflow_feed(const struct iconf *c, struct iflow *f, const struct ipkt *p)
{
	bool window_over, all_final = true, sni_checked = false;
	enum sni_result sr = SNI_MORE;
	char host[SNI_HOST_MAX + 1];
	size_t i, n;

	if (f->done)
		return;
	if (f->pkts < 255)
		f->pkts++;
	if (p->tcp && p->syn && !p->reply) {
		f->seq_known = true;
		f->next_seq = p->seq + 1;
	}
	n = p->len;
	if (n > sizeof(f->l7) - f->l7len)
		n = sizeof(f->l7) - f->l7len;
	if (n)
		memcpy(f->l7 + f->l7len, p->data, n);
	f->l7len = (uint16_t)(f->l7len + n);
	if (p->tcp && !p->reply && p->len && !f->sni_final)
		client_add(f, p);
	window_over = f->pkts >= L7_MAX_PACKETS || f->l7len >= L7_MAX_BYTES;

	for (i = 0; i < c->n; i++) {
		const struct imatcher *m = &c->m[i];

		if (label_has(f->label, m->bit))
			continue;
		switch (m->kind) {
		case IM_TLS_HOST:
			if (!f->sni_final && p->tcp && f->clen && !sni_checked) {
				sr = tls_sni_parse(f->client, f->clen, host);
				sni_checked = true;
				if (sr == SNI_MORE && f->clen == sizeof(f->client))
					sr = SNI_NOT_TLS;
			}
			if (sr == SNI_FOUND && hostglob_match((const char *)m->value, host))
				label_set(f->label, m->bit);
			else if (p->tcp && sr == SNI_MORE && !f->sni_final && !window_over)
				all_final = false;
			break;
		case IM_LAYER7:
			if (p->len && l7_match(&m->re, f->l7, f->l7len))
				label_set(f->label, m->bit);
			else if (!window_over)
				all_final = false;
			break;
		case IM_CONTENT:
			if (content_match(p->data, p->len, m->value, m->len))
				label_set(f->label, m->bit);
			else if (!window_over)
				all_final = false;
			break;
		}
	}
	if (sni_checked && sr != SNI_MORE)
		f->sni_final = true;
	if (all_final) {
		f->done = true;
		label_set(f->label, INSPECT_DONE_BIT);
	}
}
