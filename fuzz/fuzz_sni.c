/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: any bytes as a connection's first client bytes. The
 * parser must not read past them, and every prefix of an input that
 * decides must have said "more" or decided the same (a longer capture
 * never changes an answer already given). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostglob.h"
#include "tls_sni.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char host[SNI_HOST_MAX + 1], h2[SNI_HOST_MAX + 1];
	uint8_t *copy = malloc(size ? size : 1);	/* exact size: ASan sees any overread */
	enum sni_result r, r2;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	r = tls_sni_parse(copy, size, host);
	if (r == SNI_FOUND) {
		if (strlen(host) > SNI_HOST_MAX || !hostglob_match("*", host) || !hostglob_match(host, host))
			abort();
	}
	if (size > 1 && r != SNI_MORE) {
		r2 = tls_sni_parse(copy, size - 1, h2);
		if (r2 != SNI_MORE && (r2 != r || (r == SNI_FOUND && strcmp(host, h2))))
			abort();
	}
	free(copy);
	return 0;
}
