/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ctsysctl.h"
#include "changes.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kread.h"
#include "lower.h"
#include "nlsock.h"

#define SYSCTL_DIR "/proc/sys/net/netfilter/"
/* Past nft's own table user data types (a comment is 0). */
#define UDATA_BASE 0x40

/* A name with a '/' is under /proc/sys/net (forwarding), else under
 * net/netfilter (the connection tracking settings lowering names). */
static void sysctl_path(char *buf, size_t size, const char *name)
{
	if (strchr(name, '/'))
		snprintf(buf, size, "/proc/sys/net/%s", name);
	else
		snprintf(buf, size, SYSCTL_DIR "%s", name);
}

const char *ct_sysctl_label(const char *name, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "net.%s%s", strchr(name, '/') ? "" : "netfilter.", name);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '/')
			buf[i] = '.';
	return buf;
}

const char *ct_saved_name(size_t i)
{
	if (i == CT_SAVED_FWD4)
		return CT_SYSCTL_FWD4;
	if (i == CT_SAVED_FWD6)
		return CT_SYSCTL_FWD6;
	return i < CT_SAVED_FWD4 ? lower_ct_sysctl_name(i) : NULL;
}

bool ct_sysctl_get(const char *name, uint64_t *v)
{
	char path[128], buf[32];
	int fd;
	ssize_t n;

	sysctl_path(path, sizeof(path), name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return true;
}

int ct_sysctl_set(const char *name, uint64_t v)
{
	char path[128], buf[32];
	int fd, len, err = 0;

	sysctl_path(path, sizeof(path), name);
	if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
		return errno;
	len = snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)v);
	if (write(fd, buf, (size_t)len) != len)
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/* ---- kept in rosfw's tables ---------------------------------------------- */

static int udata_cb(const struct nftnl_udata *attr, void *data)
{
	struct ct_saved *s = data;
	unsigned type = nftnl_udata_type(attr);
	uint64_t v;

	if (type < UDATA_BASE || type >= UDATA_BASE + CT_SAVED_MAX || nftnl_udata_len(attr) != sizeof(v))
		return 0;
	memcpy(&v, nftnl_udata_get(attr), sizeof(v));
	s->have[type - UDATA_BASE] = true;
	s->v[type - UDATA_BASE] = v;
	return 0;
}

static void table_read(void *ctx, const struct kread_table *t)
{
	if (t->udata)
		nftnl_udata_parse(t->udata, (uint32_t)t->udata_len, udata_cb, ctx);
}

bool ct_saved_read(struct ct_saved *s)
{
	static const int families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	struct nlsock ns;
	size_t f, i;
	bool any = false;

	memset(s, 0, sizeof(*s));
	if (!nlsock_open(&ns))
		return false;
	for (f = 0; f < 2 && !any; f++) {
		kread_table(&ns, families[f], table_read, s);
		for (i = 0; i < CT_SAVED_MAX; i++)
			any |= s->have[i];
	}
	nlsock_close(&ns);
	return any;
}

void ct_saved_prepare(struct ct_saved *s, struct ir *ir)
{
	struct nftnl_udata_buf *u;
	const char *name;
	size_t i;

	/* Every setting rosfw may write, whether this configuration does or
	 * not: a kept table keeps the user data it was made with, so a later
	 * configuration's settings must be in it already. */
	for (i = 0; i < CT_SAVED_MAX; i++)
		if ((name = ct_saved_name(i)) && !s->have[i])
			s->have[i] = ct_sysctl_get(name, &s->v[i]);
	if (!(u = nftnl_udata_buf_alloc(sizeof(s->udata))))
		return;
	for (i = 0; i < CT_SAVED_MAX; i++)
		if (s->have[i])
			nftnl_udata_put(u, (uint8_t)(UDATA_BASE + i), sizeof(s->v[i]), &s->v[i]);
	s->udata_len = nftnl_udata_buf_len(u);
	memcpy(s->udata, nftnl_udata_buf_data(u), s->udata_len);
	nftnl_udata_buf_free(u);
	ir->table_udata = s->udata;
	ir->table_udata_len = s->udata_len;
}

/* ---- writing ------------------------------------------------------------- */

static void set_one(struct diag *d, const struct loc *loc, const char *name, uint64_t v, const char *why)
{
	uint64_t old = 0;
	bool known = ct_sysctl_get(name, &old);
	char label[128];
	int err;

	if (known && old == v)
		return;
	if ((err = ct_sysctl_set(name, v))) {
		if (err == EACCES || err == EPERM || err == EROFS)
			diag_note(d, loc,
				     "%s: %s is shared by every namespace and only the first may set it: kept at %llu",
				     why, ct_sysctl_label(name, label, sizeof(label)), (unsigned long long)old);
		else
			diag_warning(d, loc, "%s: %s: %s", why, ct_sysctl_label(name, label, sizeof(label)),
				     strerror(err));
		return;
	}
	diag_note(d, loc, "%s: %s %llu -> %llu", why, ct_sysctl_label(name, label, sizeof(label)),
		  (unsigned long long)old, (unsigned long long)v);
}

void ct_sysctls_write(const struct ir *ir, struct diag *d)
{
	size_t i;

	for (i = 0; i < ir->nsysctls; i++) {
		const struct ir_sysctl *s = &ir->sysctls[i];

		set_one(d, s->loc.line ? &s->loc : NULL, s->name, s->value, s->ros);
	}
}

void ct_sysctls_restore(const struct ct_saved *s, struct diag *d)
{
	size_t i;

	for (i = 0; i < CT_SAVED_MAX; i++)
		if (s->have[i] && ct_saved_name(i))
			set_one(d, NULL, ct_saved_name(i), s->v[i], "put back");
}

size_t ct_sysctls_diff(const struct ir *ir, struct changes *c)
{
	size_t i, n = 0;

	for (i = 0; i < ir->nsysctls; i++) {
		const struct ir_sysctl *s = &ir->sysctls[i];
		char path[128];
		uint64_t now;

		/* What apply could not change either is no change. */
		sysctl_path(path, sizeof(path), s->name);
		if (access(path, W_OK) == 0 && ct_sysctl_get(s->name, &now) && now != s->value) {
			char name[160], note[160];

			ct_sysctl_label(s->name, name, sizeof(name));
			snprintf(note, sizeof(note), "%llu -> %llu (%s)", (unsigned long long)now,
				 (unsigned long long)s->value, s->ros);
			changes_add(c, CH_CHANGE, "sysctl", NULL, name)->note = xstrdup(note);
			n++;
		}
	}
	return n;
}
