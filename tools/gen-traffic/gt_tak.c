/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "gt_scenario.h" /* GT_MSG_MAX */
#include "gt_tak.h"

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_SGROUP = 3 };

static void
varint(struct gt_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	gt_buf_put(b, tmp, n);
}

static void
key(struct gt_buf *b, unsigned field, unsigned wt)
{
	varint(b, (uint64_t)field << 3 | wt);
}

static void
bytes(struct gt_buf *b, unsigned field, const void *p, size_t n)
{
	key(b, field, WT_LEN);
	varint(b, n);
	gt_buf_put(b, p, n);
}

/* proto3: an absent string is not written */
static void
str(struct gt_buf *b, unsigned field, const char *s)
{
	if (s != NULL && *s != '\0')
		bytes(b, field, s, strlen(s));
}

static void
u64(struct gt_buf *b, unsigned field, uint64_t v)
{
	if (v == 0)
		return;
	key(b, field, WT_VARINT);
	varint(b, v);
}

static void
dbl(struct gt_buf *b, unsigned field, double d)
{
	uint64_t bits;
	uint8_t le[8];

	memcpy(&bits, &d, sizeof(bits));
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(bits >> (8 * i));
	key(b, field, WT_I64);
	gt_buf_put(b, le, sizeof(le));
}

/* A submessage built in @p sub: its bytes, if any (proto3 leaves empty ones out). */
static void
sub(struct gt_buf *b, unsigned field, const struct gt_buf *sb)
{
	if (sb->overflow)
		b->overflow = true;
	else if (sb->len > 0)
		bytes(b, field, sb->data, sb->len);
}

static void
detail(const struct gt_tak *t, struct gt_buf *b)
{
	uint8_t tmp[512];
	struct gt_buf s;

	if (t->malform == GT_TAK_MAL_XML_DETAIL) {
		/* an element the client meant to close is left open */
		char broken[GT_MSG_MAX];
		size_t n = t->xml_detail != NULL ? strlen(t->xml_detail) : 0;

		if (n + 16 > sizeof(broken)) {
			b->overflow = true;
			return;
		}
		memcpy(broken, t->xml_detail != NULL ? t->xml_detail : "", n);
		memcpy(broken + n, "<remarks>", 9);
		bytes(b, 1, broken, n + 9);
	} else {
		str(b, 1, t->xml_detail);
	}
	if (t->callsign != NULL) {
		gt_buf_init(&s, tmp, sizeof(tmp));
		str(&s, 1, t->endpoint);
		if (t->malform == GT_TAK_MAL_BAD_UTF8) {
			char bad[128];
			size_t n = strlen(t->callsign);

			if (n + 3 > sizeof(bad)) {
				b->overflow = true;
				return;
			}
			memcpy(bad, t->callsign, n);
			memcpy(bad + n, "\xc3\x28", 2); /* a lead byte without its continuation */
			bytes(&s, 2, bad, n + 2);
		} else {
			str(&s, 2, t->callsign);
		}
		sub(b, 2, &s);
	}
	if (t->group != NULL) {
		gt_buf_init(&s, tmp, sizeof(tmp));
		str(&s, 1, t->group);
		str(&s, 2, t->role);
		sub(b, 3, &s);
	}
	if (t->geopointsrc != NULL || t->altsrc != NULL) {
		gt_buf_init(&s, tmp, sizeof(tmp));
		str(&s, 1, t->geopointsrc);
		str(&s, 2, t->altsrc);
		sub(b, 4, &s);
	}
	if (t->has_status) {
		gt_buf_init(&s, tmp, sizeof(tmp));
		u64(&s, 1, t->battery);
		sub(b, 5, &s);
	}
	if (t->device != NULL) {
		gt_buf_init(&s, tmp, sizeof(tmp));
		str(&s, 1, t->device);
		str(&s, 2, t->platform);
		str(&s, 3, t->os);
		str(&s, 4, t->version);
		sub(b, 6, &s);
	}
	if (t->has_track) {
		gt_buf_init(&s, tmp, sizeof(tmp));
		dbl(&s, 1, t->speed);
		dbl(&s, 2, t->course);
		sub(b, 7, &s);
	}
}

static void
cot_event(const struct gt_tak *t, struct gt_buf *b)
{
	uint8_t tmp[GT_MSG_MAX];
	struct gt_buf d;

	str(b, 1, t->malform == GT_TAK_MAL_BAD_TYPE ? "a-f-G U-C" : t->type);
	str(b, 2, t->access);
	str(b, 3, t->qos);
	str(b, 4, t->opex);
	str(b, 5, t->uid);
	if (t->malform == GT_TAK_MAL_DUP_FIELD)
		str(b, 5, t->uid);
	if (t->malform == GT_TAK_MAL_LONG_VARINT) {
		/* eleven bytes for a value: ten continuation bytes, then a terminator */
		static const uint8_t eleven[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
						   0x80, 0x80, 0x80, 0x80, 0x00};

		key(b, 6, WT_VARINT);
		gt_buf_put(b, eleven, sizeof(eleven));
	} else {
		u64(b, 6, t->send_ms);
	}
	u64(b, 7, t->start_ms);
	if (t->malform != GT_TAK_MAL_STALE_ZERO)
		u64(b, 8, t->stale_ms);
	str(b, 9, t->how);
	dbl(b, 10, t->malform == GT_TAK_MAL_LAT ? 91.5 : t->lat);
	dbl(b, 11, t->lon);
	dbl(b, 12, t->hae);
	dbl(b, 13, t->ce);
	dbl(b, 14, t->le);
	if (t->malform == GT_TAK_MAL_UNKNOWN_FIELD) {
		key(b, 16, WT_VARINT);
		varint(b, 1);
	}
	if (t->malform == GT_TAK_MAL_WIRE_TYPE)
		key(b, 16, WT_SGROUP);
	gt_buf_init(&d, tmp, sizeof(tmp));
	detail(t, &d);
	if (d.overflow) {
		b->overflow = true;
		return;
	}
	if (t->malform == GT_TAK_MAL_LEN_PAST) {
		/* the length claims 40 bytes more than the CotEvent (and datagram) holds */
		key(b, 15, WT_LEN);
		varint(b, d.len + 40);
		gt_buf_put(b, d.data, d.len);
	} else {
		sub(b, 15, &d);
	}
}

int
gt_tak_build(const struct gt_tak *t, struct gt_buf *b)
{
	uint8_t tm[GT_MSG_MAX];
	uint8_t ev[GT_MSG_MAX];
	uint8_t ctl[512];
	struct gt_buf m;
	struct gt_buf e;
	struct gt_buf c;

	gt_buf_init(&m, tm, sizeof(tm));
	if (t->tak_control || t->malform == GT_TAK_MAL_NO_COT) {
		gt_buf_init(&c, ctl, sizeof(ctl));
		u64(&c, 1, 1); /* minProtoVersion */
		u64(&c, 2, 1); /* maxProtoVersion */
		str(&c, 3, t->uid);
		sub(&m, 1, &c);
	}
	if (t->malform != GT_TAK_MAL_NO_COT) {
		gt_buf_init(&e, ev, sizeof(ev));
		cot_event(t, &e);
		sub(&m, 2, &e);
	}
	if (m.overflow)
		return -1;
	gt_buf_put(b, t->malform == GT_TAK_MAL_MAGIC ? "\xbe" : "\xbf", 1);
	if (t->stream) {
		varint(b, m.len + (t->malform == GT_TAK_MAL_FRAMING ? 7 : 0));
	} else {
		gt_buf_put(b, t->malform == GT_TAK_MAL_FRAMING ? "\x02" : "\x01", 1);
		gt_buf_put(b, "\xbf", 1);
	}
	gt_buf_put(b, m.data, m.len);
	return b->overflow ? -1 : 0;
}
