/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The server name of a TLS ClientHello (RFC 8446 4.1.2, RFC 6066 3), read
 * from hostile bytes: every length is checked against what is there, and
 * a hello that claims more than SNI_STREAM_MAX is refused rather than
 * waited for, so the caller's buffer bounds what one connection costs.
 */
#include <stdbool.h>
#include <string.h>

#include "tls_sni.h"

#define REC_HANDSHAKE 22
#define HS_CLIENT_HELLO 1
#define EXT_SERVER_NAME 0
#define NAME_HOST 0

/* A cursor over the whole handshake message: running past its end is
 * a malformed hello, never a wait for more. */
struct cur {
	const uint8_t *p;
	size_t left;
};

static bool take(struct cur *c, size_t n, const uint8_t **out)
{
	if (c->left < n)
		return false;
	if (out)
		*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

static bool u8(struct cur *c, size_t *v)
{
	const uint8_t *p;

	if (!take(c, 1, &p))
		return false;
	*v = p[0];
	return true;
}

static bool u16(struct cur *c, size_t *v)
{
	const uint8_t *p;

	if (!take(c, 2, &p))
		return false;
	*v = (size_t)p[0] << 8 | p[1];
	return true;
}

/* A sub-cursor of a length-prefixed vector. */
static bool vec(struct cur *c, size_t lenbytes, struct cur *sub)
{
	size_t len;

	if (!(lenbytes == 1 ? u8(c, &len) : u16(c, &len)))
		return false;
	sub->p = c->p;
	sub->left = len;
	return take(c, len, NULL);
}

/* A host name as DNS has it: letters, digits, '-', '_', '.'. Anything
 * else (a NUL, a '*', a byte over 0x7f) would let a client pick which
 * tls-host pattern it matches, so the hello counts as malformed. */
static bool host_copy(const uint8_t *s, size_t n, char *host)
{
	size_t i;

	if (!n || n > SNI_HOST_MAX)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t ch = s[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (uint8_t)(ch - 'A' + 'a');
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return false;
		host[i] = (char)ch;
	}
	host[n] = '\0';
	return true;
}

static enum sni_result hello_parse(const uint8_t *m, size_t n, char *host)
{
	struct cur c = { m, n }, v, exts, ext, names, name;
	size_t type;

	if (!take(&c, 2 + 32, NULL) || !vec(&c, 1, &v) || !vec(&c, 2, &v) || !vec(&c, 1, &v))
		return SNI_NOT_TLS;	/* version, random, session id, suites, compression */
	if (!c.left)
		return SNI_NONE;	/* no extensions at all (TLS 1.0 clients may) */
	if (!vec(&c, 2, &exts))
		return SNI_NOT_TLS;
	while (exts.left) {
		if (!u16(&exts, &type) || !vec(&exts, 2, &ext))
			return SNI_NOT_TLS;
		if (type != EXT_SERVER_NAME)
			continue;
		if (!vec(&ext, 2, &names))
			return SNI_NOT_TLS;
		while (names.left) {
			if (!u8(&names, &type) || !vec(&names, 2, &name))
				return SNI_NOT_TLS;
			if (type == NAME_HOST)
				return host_copy(name.p, name.left, host) ? SNI_FOUND : SNI_NOT_TLS;
		}
		return SNI_NONE;
	}
	return SNI_NONE;
}

enum sni_result tls_sni_parse(const uint8_t *b, size_t n, char *host)
{
	/* The handshake message gathered from the records' bodies: a hello
	 * may be split over records (RFC 8446 5.1), each at most 2^14. */
	uint8_t msg[SNI_STREAM_MAX];
	size_t mlen = 0, need = 0, off = 0;

	while (off < n) {
		size_t rlen;

		if (b[off] != REC_HANDSHAKE)
			return SNI_NOT_TLS;
		if (n - off < 5)
			return SNI_MORE;
		if (b[off + 1] != 3 || b[off + 2] > 4)
			return SNI_NOT_TLS;
		rlen = (size_t)b[off + 3] << 8 | b[off + 4];
		if (!rlen || rlen > 16384)
			return SNI_NOT_TLS;
		off += 5;
		if (rlen > n - off)
			rlen = n - off;	/* a record cut by the end of what we have */
		if (rlen > sizeof(msg) - mlen)
			return SNI_NOT_TLS;	/* larger than we keep: refused, see the header */
		memcpy(msg + mlen, b + off, rlen);
		mlen += rlen;
		off += rlen;
		if (!need && mlen >= 4) {
			if (msg[0] != HS_CLIENT_HELLO)
				return SNI_NOT_TLS;
			need = 4 + ((size_t)msg[1] << 16 | (size_t)msg[2] << 8 | msg[3]);
			if (need > sizeof(msg))
				return SNI_NOT_TLS;
		}
		if (need && mlen >= need)
			return hello_parse(msg + 4, need - 4, host);
	}
	return SNI_MORE;
}
