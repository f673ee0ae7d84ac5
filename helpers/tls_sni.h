/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_TLS_SNI_H
#define ROSFW_TLS_SNI_H

#include <stddef.h>
#include <stdint.h>

/* The most of a connection's first client bytes kept to find the
 * ClientHello: a hello with post-quantum key shares is about 1.8 KB. */
#define SNI_STREAM_MAX 8192
/* DNS's own limit; a longer server name is no host name. */
#define SNI_HOST_MAX 253

enum sni_result {
	SNI_FOUND,	/* host holds the server name, lower case */
	SNI_MORE,	/* a ClientHello so far: more bytes are needed */
	SNI_NONE,	/* a ClientHello without a server name */
	SNI_NOT_TLS,	/* not a TLS ClientHello, or a malformed one */
};

/*
 * The server name of the ClientHello at the start of `b` (the client's
 * first `n` bytes of a TCP connection, in order). The hello may be split
 * over several TLS records and `b` may end anywhere: SNI_MORE then says a
 * longer prefix may decide. `host` takes SNI_HOST_MAX + 1 bytes.
 */
enum sni_result tls_sni_parse(const uint8_t *b, size_t n, char *host);

#endif
