/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "changes.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "text.h"
#include "xalloc.h"

/* nft's datatype numbers, as sets carry them. */
enum { KEY_IPADDR = 7, KEY_IP6ADDR = 8, KEY_SERVICE = 13, KEY_IFNAME = 41 };

struct change *changes_add(struct changes *c, enum change_op op, const char *kind, const char *family,
			   const char *name)
{
	struct change *ch;

	XGROW(c->v, c->n, c->cap);
	ch = &c->v[c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->op = op;
	ch->kind = kind;
	ch->family = family;
	ch->name = name ? xstrdup(name) : NULL;
	ch->num = ch->was = -1;
	return ch;
}

static void strv_add(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

void change_removed(struct change *ch, const char *s)
{
	strv_add(&ch->removed, &ch->nremoved, s);
}

void change_added(struct change *ch, const char *s)
{
	strv_add(&ch->added, &ch->nadded, s);
}

void changes_free(struct changes *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		struct change *ch = &c->v[i];

		for (j = 0; j < ch->nremoved; j++)
			free(ch->removed[j]);
		for (j = 0; j < ch->nadded; j++)
			free(ch->added[j]);
		free(ch->removed);
		free(ch->added);
		free(ch->name);
		free(ch->comment);
		free(ch->note);
		free(ch->file);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* ---- order -------------------------------------------------------------- */

/* Objects, then rules, then renumbering, then settings. */
static int kind_rank(const char *kind)
{
	static const char *const order[] = { "chain", "ct helper", "flowtable", "set", "rule", "numbers", "sysctl" };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(kind, order[i]))
			return (int)i;
	return (int)i;
}

/* RouterOS numbers rules per facility: filter, nat, mangle, raw, as
 * `print stats all` lists them; chains rosfw adds come after. */
static int facility_rank(const char *chain)
{
	static const char *const order[] = { "filter_", "nat_", "mangle_", "raw_" };
	size_t i;

	for (i = 0; chain && i < sizeof(order) / sizeof(order[0]); i++)
		if (!strncmp(chain, order[i], strlen(order[i])))
			return (int)i;
	return 4;
}

static int str_or_empty_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int change_cmp(const void *pa, const void *pb)
{
	const struct change *a = pa, *b = pb;
	int c = kind_rank(a->kind) - kind_rank(b->kind);

	if (c)
		return c;
	if ((c = str_or_empty_cmp(a->family, b->family)))
		return c;
	if (!strcmp(a->kind, "rule")) {
		long an = a->num >= 0 ? a->num : a->was, bn = b->num >= 0 ? b->num : b->was;

		if ((c = facility_rank(a->name) - facility_rank(b->name)))
			return c;
		/* numbered rules first, by number */
		if ((an < 0) != (bn < 0))
			return an < 0 ? 1 : -1;
		if (an != bn)
			return an < bn ? -1 : 1;
		if ((c = str_or_empty_cmp(a->name, b->name)))
			return c;
		if ((c = str_or_empty_cmp(a->comment, b->comment)))
			return c;
		return (int)a->op - (int)b->op;
	}
	return str_or_empty_cmp(a->name, b->name);
}

/* ---- printing ----------------------------------------------------------- */

static const char op_char[] = { '+', '-', '~', '>' };
static const char *const op_word[] = { "add", "remove", "change", "move" };

/* What to call a rule: its chain, number and comment. */
static void rule_print(const struct change *ch, FILE *out)
{
	fprintf(out, " %s", ch->name ? ch->name : "?");
	if (ch->num >= 0)
		fprintf(out, " #%ld", ch->num);
	else if (ch->was >= 0)
		fprintf(out, " #%ld", ch->was);
	if (ch->comment) {
		fputs(" \"", out);
		text_print_safe(out, ch->comment, strlen(ch->comment));
		fputc('"', out);
	}
}

void changes_print(struct changes *c, FILE *out)
{
	size_t i, j;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), change_cmp);
	for (i = 0; i < c->n; i++) {
		const struct change *ch = &c->v[i];

		fprintf(out, "%c %s", op_char[ch->op], ch->kind);
		if (ch->family)
			fprintf(out, " %s", ch->family);
		if (!strcmp(ch->kind, "rule"))
			rule_print(ch, out);
		else if (ch->name)
			fprintf(out, " %s", ch->name);
		if (ch->was >= 0 && (ch->op == CH_MOVE || (ch->num >= 0 && ch->was != ch->num)))
			fprintf(out, " (was #%ld)", ch->was);
		if (ch->file) {
			fputs(" at ", out);
			text_print_safe(out, ch->file, strlen(ch->file));
			fprintf(out, ":%u", ch->line);
		}
		if (ch->note) {
			/* a setting's old and new value follow its name */
			fputs(strcmp(ch->kind, "sysctl") ? ": " : " ", out);
			text_print_safe(out, ch->note, strlen(ch->note));
		}
		fputc('\n', out);
		for (j = 0; j < ch->nremoved; j++) {
			fputs("    - ", out);
			text_print_safe(out, ch->removed[j], strlen(ch->removed[j]));
			fputc('\n', out);
		}
		for (j = 0; j < ch->nadded; j++) {
			fputs("    + ", out);
			text_print_safe(out, ch->added[j], strlen(ch->added[j]));
			fputc('\n', out);
		}
	}
}

static void json_str(FILE *out, const char *s)
{
	json_write_string(out, s, strlen(s));
}

static void json_strv(FILE *out, const char *key, char *const *v, size_t n)
{
	size_t i;

	fprintf(out, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_str(out, v[i]);
	}
	fputc(']', out);
}

void changes_json(struct changes *c, FILE *out)
{
	size_t i;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), change_cmp);
	fputc('[', out);
	for (i = 0; i < c->n; i++) {
		const struct change *ch = &c->v[i];

		fprintf(out, "%s{\"op\":\"%s\",\"kind\":", i ? "," : "", op_word[ch->op]);
		json_str(out, ch->kind);
		if (ch->family) {
			fputs(",\"family\":", out);
			json_str(out, ch->family);
		}
		if (ch->name) {
			fputs(!strcmp(ch->kind, "rule") ? ",\"chain\":" : ",\"name\":", out);
			json_str(out, ch->name);
		}
		if (ch->num >= 0)
			fprintf(out, ",\"number\":%ld", ch->num);
		if (ch->was >= 0)
			fprintf(out, ",\"was\":%ld", ch->was);
		if (ch->comment) {
			fputs(",\"comment\":", out);
			json_str(out, ch->comment);
		}
		if (ch->note) {
			fputs(",\"note\":", out);
			json_str(out, ch->note);
		}
		if (ch->file) {
			fputs(",\"file\":", out);
			json_str(out, ch->file);
			fprintf(out, ",\"line\":%u", ch->line);
		}
		if (ch->nremoved || ch->nadded) {
			json_strv(out, "removed", ch->removed, ch->nremoved);
			json_strv(out, "added", ch->added, ch->nadded);
		}
		fputc('}', out);
	}
	fputc(']', out);
}

/* ---- set elements as nft shows them ------------------------------------- */

/**
 * struct pel - one element as diff.c's text gives it.
 * @key, @len: the key's bytes.
 * @end: it ends an interval (NFT_SET_ELEM_INTERVAL_END).
 * @obj: the object an object map's element names (a merged run's
 *       counter, merge.h), "" for none.
 */
struct pel {
	uint8_t key[64];
	size_t len;
	bool end;
	char obj[64];
};

static int hexval(char c)
{
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= '0' && c <= '9' ? c - '0' : -1;
}

/* " 1: 1=HEX ... 3:FLAGS ... 9:NAME": the key, the end flag, the object. */
static bool pel_parse(const char *t, struct pel *p)
{
	const char *k = strstr(t, " 1: 1="), *f = strstr(t, " 3:"), *o = strstr(t, " 9:");
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	if (!k)
		return false;
	for (k += 6; hexval(k[0]) >= 0 && hexval(k[1]) >= 0; k += 2) {
		if (p->len == sizeof(p->key))
			return false;
		p->key[p->len++] = (uint8_t)(hexval(k[0]) << 4 | hexval(k[1]));
	}
	if (f && strlen(f) >= 11)
		p->end = hexval(f[10]) > 0 && (hexval(f[10]) & 1);
	for (o = o ? o + 3 : ""; hexval(o[0]) >= 0 && hexval(o[1]) >= 0 && n + 1 < sizeof(p->obj); o += 2)
		p->obj[n++] = (char)(hexval(o[0]) << 4 | hexval(o[1]));
	return p->len > 0;
}

static int pel_cmp(const void *a, const void *b)
{
	const struct pel *x = a, *y = b;

	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->key, y->key, x->len);
	/* A map's ranges may touch: the end of one is the next one's start. */
	return c ? c : (int)y->end - (int)x->end;
}

/* An object map's element as nft lists it: KEY : "OBJECT". */
static void pel_obj(char *buf, size_t size, const struct pel *p)
{
	size_t n = strlen(buf);

	if (p->obj[0] && n < size)
		snprintf(buf + n, size - n, " : \"%s\"", p->obj);
}

/* Type 0: not known (anonymous sets); 16 bytes are then a name when
 * they read as one. */
static bool key_is_name(const uint8_t *k, size_t len)
{
	size_t i;

	for (i = 0; i < len && k[i] >= 0x20 && k[i] < 0x7f; i++)
		;
	for (; i < len && !k[i]; i++)
		;
	return i == len && k[0];
}

static void key_text(char *buf, size_t size, const uint8_t *k, size_t len, unsigned type)
{
	size_t i, n;

	if (!type && len == 16)
		type = key_is_name(k, len) ? KEY_IFNAME : KEY_IP6ADDR;

	if (len == 4 && type != KEY_IFNAME) {
		inet_ntop(AF_INET, k, buf, (socklen_t)size);
	} else if (len == 16 && type == KEY_IP6ADDR) {
		inet_ntop(AF_INET6, k, buf, (socklen_t)size);
	} else if (len == 2 && type != KEY_IFNAME) {
		snprintf(buf, size, "%u", (unsigned)(k[0] << 8 | k[1]));
	} else if (type == KEY_IFNAME) {
		for (n = 0; n < len && k[n]; n++)
			;
		snprintf(buf, size, "\"%.*s\"", (int)n, (const char *)k);
	} else {
		for (i = 0, n = 0; i < len && n + 3 < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%02x", k[i]);
	}
}

/* [lo, hi] as a prefix when it is one, else a range. */
static void range_text(char *buf, size_t size, const uint8_t *lo, const uint8_t *hi, size_t len, unsigned type)
{
	char a[INET6_ADDRSTRLEN + 40], b[INET6_ADDRSTRLEN + 40];
	size_t bits = len * 8, plen;

	key_text(a, sizeof(a), lo, len, type);
	if (!memcmp(lo, hi, len)) {
		snprintf(buf, size, "%s", a);
		return;
	}
	if (type != KEY_SERVICE && type != KEY_IFNAME && (len == 4 || len == 16)) {
		/* the longest common prefix, then all zeros below it in lo
		 * and all ones in hi */
		for (plen = 0; plen < bits; plen++) {
			uint8_t m = (uint8_t)(0x80 >> (plen % 8));

			if ((lo[plen / 8] & m) != (hi[plen / 8] & m))
				break;
		}
		{
			size_t i;
			bool ok = true;

			for (i = plen; i < bits && ok; i++) {
				uint8_t m = (uint8_t)(0x80 >> (i % 8));

				ok = !(lo[i / 8] & m) && (hi[i / 8] & m);
			}
			if (ok) {
				snprintf(buf, size, "%s/%zu", a, plen);
				return;
			}
		}
	}
	key_text(b, sizeof(b), hi, len, type);
	snprintf(buf, size, "%s-%s", a, b);
}

static int cstr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **changes_elements(char *const *els, size_t nels, unsigned key_type, bool interval, size_t *n)
{
	struct pel *p = xcalloc(nels ? nels : 1, sizeof(*p));
	char **out = NULL, buf[256];
	size_t i, k = 0;
	bool ok = true;

	*n = 0;
	for (i = 0; i < nels && ok; i++)
		ok = pel_parse(els[i], &p[i]);
	if (!ok) {
		/* not what rosfw sends: shown as read */
		for (i = 0; i < nels; i++)
			strv_add(&out, n, els[i]);
		free(p);
		return out;
	}
	if (!interval) {
		for (i = 0; i < nels; i++) {
			key_text(buf, sizeof(buf), p[i].key, p[i].len, key_type);
			pel_obj(buf, sizeof(buf), &p[i]);
			strv_add(&out, n, buf);
		}
	} else {
		if (nels > 1)
			qsort(p, nels, sizeof(*p), pel_cmp);
		for (i = 0; i < nels; i = k) {
			uint8_t hi[64];
			size_t j;

			k = i + 1;
			if (p[i].end)
				continue;	/* the end of nothing: what precedes the first range */
			if (k < nels && p[k].end && p[k].len == p[i].len) {
				/* an end is the first key past the range */
				memcpy(hi, p[k].key, p[k].len);
				for (j = p[k].len; j-- > 0;)
					if (hi[j]--)
						break;
				k++;
			} else {
				memset(hi, 0xff, p[i].len);	/* open to the last key */
			}
			range_text(buf, sizeof(buf), p[i].key, hi, p[i].len, key_type);
			pel_obj(buf, sizeof(buf), &p[i]);
			strv_add(&out, n, buf);
		}
	}
	free(p);
	if (*n > 1)
		qsort(out, *n, sizeof(*out), cstr_cmp);
	return out;
}
