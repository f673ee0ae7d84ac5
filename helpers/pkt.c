/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "pkt.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool l4_parse(uint8_t proto, const uint8_t *b, size_t n, struct ipkt *p)
{
	size_t off;

	if (proto == 6) {
		if (n < 20 || (off = (size_t)(b[12] >> 4) * 4) < 20 || off > n)
			return false;
		p->tcp = true;
		p->syn = b[13] & 0x02;
		p->seq = be32(b + 4);
	} else if (proto == 17 || proto == 136) {	/* udp, udplite */
		if (n < 8)
			return false;
		off = 8;
	} else {
		off = 0;	/* ICMP and the rest: layer7 reads them whole */
	}
	p->data = b + off;
	p->len = n - off;
	return true;
}

bool pkt_parse(const uint8_t *b, size_t n, struct ipkt *p)
{
	size_t hl, tot;
	bool reply = p->reply;

	memset(p, 0, sizeof(*p));
	p->reply = reply;
	if (n < 1)
		return false;
	if (b[0] >> 4 == 4) {
		if (n < 20 || (hl = (size_t)(b[0] & 15) * 4) < 20 || hl > n)
			return false;
		tot = (size_t)b[2] << 8 | b[3];
		if (tot < hl || tot > n)
			return false;
		if ((b[6] & 0x1f) | b[7])
			return false;	/* not the first fragment */
		return l4_parse(b[9], b + hl, tot - hl, p);
	}
	if (b[0] >> 4 == 6) {
		if (n < 40)
			return false;
		tot = 40 + ((size_t)b[4] << 8 | b[5]);
		if (tot > n)
			return false;
		return l4_parse(b[6], b + 40, tot - 40, p);
	}
	return false;
}
