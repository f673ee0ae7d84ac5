/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /ip service commands in the model: what RouterOS refuses, and what a
 * command does on the router that rosfw does not do on this server, said
 * once at the command. address= is applied (lower_service.c); the rest
 * belongs to the services themselves, which rosfw neither starts, stops
 * nor moves: the server's own daemons listen where their own
 * configuration says.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_impl.h"
#include "value.h"

struct msg {
	char text[1024];
	size_t len;
	bool warn;	/* something opens traffic: a warning, not a note */
};

__attribute__((format(printf, 2, 3))) static void msg_add(struct msg *g, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (g->len >= sizeof(g->text) - 1)
		return;
	if (g->len)
		g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "; ");
	if (g->len >= sizeof(g->text) - 1)
		return;
	va_start(ap, fmt);
	w = vsnprintf(g->text + g->len, sizeof(g->text) - g->len, fmt, ap);
	va_end(ap);
	if (w > 0)
		g->len += (size_t)w;
	if (g->len > sizeof(g->text) - 1)
		g->len = sizeof(g->text) - 1;
}

static bool has(const enum prop_id *ids, size_t n, enum prop_id id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static unsigned service_port(const struct mitem *it)
{
	const struct mprop *p = mitem_get(it, MK_IP_SERVICE, P_PORT);

	return p ? p->v.r.lo : 0;
}

static const char *service_name(const struct mitem *it)
{
	const char *n = mitem_value(it, MK_IP_SERVICE, P_NAME);

	return n ? n : "?";
}

const char *service_prop_refused(enum prop_id id, const struct pvalue *pv)
{
	if (id == P_NAME)
		return "the services of /ip service have fixed names: name= cannot change them";
	/* the row's type takes the rule menus' lists, ranges and '!' */
	if (id == P_PORT && (pv->neg || (pv->form & VFORM_LIST) || pv->v.r.lo != pv->v.r.hi || !pv->v.r.lo))
		return "invalid port: a service listens on one port 1-65535";
	return NULL;
}

/* "tcp/23 (telnet), tcp/21 (ftp)" of the selected items that `pick` keeps. */
static size_t services_list(const struct model *m, const struct sel *s, bool (*pick)(const struct mitem *),
			    char *buf, size_t size)
{
	size_t i, n = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n; i++) {
		const struct mitem *it = model_item(m, MK_IP_SERVICE, s->v[i]);
		int w;

		if (!pick(it) || len >= size)
			continue;
		w = snprintf(buf + len, size - len, "%stcp/%u (%s)", n ? ", " : "", service_port(it),
			     service_name(it));
		if (w > 0)
			len += (size_t)w;
		n++;
	}
	return n;
}

static bool is_disabled(const struct mitem *it)
{
	return it->disabled;
}

static bool is_restricted_off(const struct mitem *it)
{
	return it->disabled && mprop_addrs(mitem_prop(it, P_ADDRESS));
}

void service_command(struct model *m, const struct sel *s, const enum prop_id *ids, size_t nids,
		     bool switched, const struct loc *cmd)
{
	struct msg g = { .len = 0 };
	char list[512];
	size_t i, n;

	if (switched && (n = services_list(m, s, is_disabled, list, sizeof(list))))
		msg_add(&g, "on RouterOS nothing listens on %s now; rosfw leaves %s to the firewall's rules: this server answers there only if one of its own services listens",
			list, n > 1 ? "those ports" : "that port");
	else if (has(ids, nids, P_ADDRESS) && (n = services_list(m, s, is_restricted_off, list, sizeof(list))))
		msg_add(&g, "address= restricts nothing while the service is disabled: rosfw leaves %s to the firewall's rules",
			list);
	for (i = 0; has(ids, nids, P_PORT) && i < s->n; i++) {
		const struct mitem *it = model_item(m, MK_IP_SERVICE, s->v[i]);
		const char *d = model_builtin_value(MK_IP_SERVICE, service_name(it), P_PORT);
		const struct mprop *p = mitem_prop(it, P_PORT);

		if (!d || !p || !strcmp(d, p->value))
			continue;
		msg_add(&g, "%s moves to tcp/%u on RouterOS; rosfw moves no service of this server: %s's address= applies to tcp/%u, and tcp/%s is left to the firewall's rules",
			service_name(it), service_port(it), service_name(it), service_port(it), d);
	}
	if (has(ids, nids, P_CERTIFICATE) || has(ids, nids, P_TLS_VERSION))
		msg_add(&g, "%s configure%s the router's own TLS servers and change%s nothing that reaches this box: this server's services keep their own",
			has(ids, nids, P_CERTIFICATE) && has(ids, nids, P_TLS_VERSION) ? "certificate= and tls-version=" :
			has(ids, nids, P_CERTIFICATE) ? "certificate=" : "tls-version=",
			has(ids, nids, P_CERTIFICATE) && has(ids, nids, P_TLS_VERSION) ? "" : "s",
			has(ids, nids, P_CERTIFICATE) && has(ids, nids, P_TLS_VERSION) ? "" : "s");
	if (has(ids, nids, P_MAX_SESSIONS))
		msg_add(&g, "max-sessions= is not applied: RouterOS refuses sessions past it, rosfw limits no connections to the service's port");
	for (i = 0; has(ids, nids, P_VRF) && i < s->n; i++) {
		const struct mitem *it = model_item(m, MK_IP_SERVICE, s->v[i]);
		const struct mprop *v = mitem_prop(it, P_VRF);

		if (!v || !mprop_len(v) || !strcmp(v->value, "main"))
			continue;
		msg_add(&g, "vrf=%s is not applied: on RouterOS %s answers only connections that arrive in that VRF; rosfw does not restrict tcp/%u by VRF, which opens it to every interface the firewall allows",
			v->value, service_name(it), service_port(it));
		g.warn = true;
		break;
	}
	if (has(ids, nids, P_AVAILABLE_FROM)) {
		msg_add(&g, "available-from= is not applied (RouterOS 7.24's, which rosfw cannot translate yet): what it keeps away from the service on RouterOS reaches its port here, which may open it");
		g.warn = true;
	}
	if (!g.len)
		return;
	if (g.warn)
		diag_warning(m->d, cmd, "%s", g.text);
	else
		diag_note(m->d, cmd, "%s", g.text);
}
