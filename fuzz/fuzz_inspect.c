/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the helper's decision over any packet sequence. The
 * input is packets of `flags len_hi len_lo bytes...` (flags 0xf_: an
 * IP packet for helpers/pkt.c, else a transport payload); the matchers are
 * fixed (a tls-host glob, a corpus layer7 pattern, a content string).
 * Nothing may crash or read outside the packets; once decided, a
 * connection's label never changes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct iconf conf;
static int loaded;

static void conf_load(void)
{
	static const char text[] = "0 tls-host 2a2e626c6f636b65642e6578616d706c65\n"
				   "1 layer7 5e6765742e2a2878787829\n"
				   "2 layer7 415c78303124\n"
				   "3 content 426974546f7272656e74\n";
	char err[128];
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	if (!f || iconf_read(&conf, f, err, sizeof(err)))
		abort();
	fclose(f);
	loaded = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iflow *f = calloc(1, sizeof(*f));
	uint8_t label[INSPECT_LABEL_BYTES];
	size_t off = 0;
	uint32_t seq = 0;

	if (!f)
		return 0;
	if (!loaded)
		conf_load();
	while (off + 3 <= size) {
		uint8_t fl = data[off];
		size_t n = (size_t)data[off + 1] << 8 | data[off + 2];
		uint8_t *pkt;
		struct ipkt p;
		bool was_done = f->done;

		off += 3;
		if (n > size - off)
			n = size - off;
		pkt = malloc(n ? n : 1);
		if (!pkt)
			break;
		memcpy(pkt, data + off, n);
		off += n;
		p = (struct ipkt){ .reply = fl & 1, .tcp = !(fl & 2), .syn = fl & 4, .data = pkt, .len = n };
		p.seq = (fl & 8) ? seq - (fl >> 4) : seq;	/* retransmissions and gaps */
		/* Some packets whole, from the IP header on, as the queue gives them. */
		if ((fl & 0xf0) == 0xf0 && !pkt_parse(pkt, n, &p)) {
			free(pkt);
			continue;
		}
		if (!p.reply)
			seq += (uint32_t)n + (fl & 4 ? 1 : 0);
		memcpy(label, f->label, sizeof(label));
		iflow_feed(&conf, f, &p);
		if (was_done && memcmp(label, f->label, sizeof(label)))
			abort();
		free(pkt);
	}
	free(f);
	return 0;
}
