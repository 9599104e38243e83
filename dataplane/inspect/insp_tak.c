/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "insp_cotgrammar.h"
#include "insp_tak.h"
#include "insp_utf8.h"
#include "insp_xmlwalk.h"

#define MALFORMED INSP_R_MALFORMED_MESSAGE
#define TAK_MAGIC 0xBF

enum wire { W_VARINT = 0, W_I64 = 1, W_LEN = 2, W_I32 = 5 };

/* How a field's value is checked and where it goes in the view. */
enum kind {
	K_STR,	    /* content unit */
	K_U32,	    /* number, range checked */
	K_U64,	    /* number */
	K_DBL,	    /* finite double */
	K_MSG,	    /* submessage */
	K_XML,	    /* xmlDetail */
	K_TYPE,	    /* CotEvent.type: key, content unit */
	K_ACCESS,   /* CotEvent.access: marking carrier */
	K_QOS,	    /* CotEvent.qos: priority digit, content unit */
	K_UID,	    /* CotEvent.uid: identity, content unit */
	K_HOW,	    /* CotEvent.how: content unit */
	K_STALE,    /* CotEvent.staleTime: validity */
	K_LAT,	    /* [-90, 90] */
	K_LON,	    /* [-180, 180] */
	K_NONNEG,   /* ce, le: finite and >= 0 */
	K_COTEVENT, /* TakMessage.cotEvent: the message proper */
};

struct msgdef;

struct field {
	const char *name;
	uint8_t wire;
	uint8_t kind;
	const struct msgdef *sub;
};

/* Field numbers are 1..n_fields in every TAK v1 message: the table is indexed by them. */
struct msgdef {
	const char *name;
	uint32_t n_fields;
	const struct field *f;
};

#define MSGDEF(var, label, ...)                                                               \
	static const struct field var##_fields[] = {__VA_ARGS__};                             \
	static const struct msgdef var = {label, sizeof(var##_fields) / sizeof(struct field), \
					  var##_fields}

MSGDEF(contact_def, "Contact", {"endpoint", W_LEN, K_STR, NULL}, {"callsign", W_LEN, K_STR, NULL});
MSGDEF(group_def, "Group", {"name", W_LEN, K_STR, NULL}, {"role", W_LEN, K_STR, NULL});
MSGDEF(precloc_def, "PrecisionLocation", {"geopointsrc", W_LEN, K_STR, NULL},
       {"altsrc", W_LEN, K_STR, NULL});
MSGDEF(status_def, "Status", {"battery", W_VARINT, K_U32, NULL});
MSGDEF(takv_def, "Takv", {"device", W_LEN, K_STR, NULL}, {"platform", W_LEN, K_STR, NULL},
       {"os", W_LEN, K_STR, NULL}, {"version", W_LEN, K_STR, NULL});
MSGDEF(track_def, "Track", {"speed", W_I64, K_DBL, NULL}, {"course", W_I64, K_DBL, NULL});
MSGDEF(detail_def, "Detail", {"xmlDetail", W_LEN, K_XML, NULL},
       {"contact", W_LEN, K_MSG, &contact_def}, {"group", W_LEN, K_MSG, &group_def},
       {"precisionLocation", W_LEN, K_MSG, &precloc_def}, {"status", W_LEN, K_MSG, &status_def},
       {"takv", W_LEN, K_MSG, &takv_def}, {"track", W_LEN, K_MSG, &track_def});
MSGDEF(event_def, "CotEvent", {"type", W_LEN, K_TYPE, NULL}, {"access", W_LEN, K_ACCESS, NULL},
       {"qos", W_LEN, K_QOS, NULL}, {"opex", W_LEN, K_STR, NULL}, {"uid", W_LEN, K_UID, NULL},
       {"sendTime", W_VARINT, K_U64, NULL}, {"startTime", W_VARINT, K_U64, NULL},
       {"staleTime", W_VARINT, K_STALE, NULL}, {"how", W_LEN, K_HOW, NULL},
       {"lat", W_I64, K_LAT, NULL}, {"lon", W_I64, K_LON, NULL}, {"hae", W_I64, K_DBL, NULL},
       {"ce", W_I64, K_NONNEG, NULL}, {"le", W_I64, K_NONNEG, NULL},
       {"detail", W_LEN, K_MSG, &detail_def});
MSGDEF(control_def, "TakControl", {"minProtoVersion", W_VARINT, K_U32, NULL},
       {"maxProtoVersion", W_VARINT, K_U32, NULL}, {"contactUid", W_LEN, K_STR, NULL});
MSGDEF(takmsg_def, "TakMessage", {"takControl", W_LEN, K_MSG, &control_def},
       {"cotEvent", W_LEN, K_COTEVENT, &event_def});

struct tak {
	const struct insp_policy *p;
	struct insp_msg *m;
	const uint8_t *buf;
	uint32_t len; /* the whole payload: offsets are payload offsets */
	struct insp_xmlwalk w;
};

/*
 * A varint at *pos, within [.., end): at most 10 bytes, and the tenth may only carry
 * the 64th bit. 0 on success; on failure m->detail is set and -1 returned.
 */
static int
read_varint(struct tak *t, uint32_t *pos, uint32_t end, uint64_t *out)
{
	uint32_t start = *pos;
	uint64_t v = 0;

	for (unsigned i = 0; i < 10; i++) {
		uint8_t b;

		if (start + i >= end) {
			insp_msg_fail(t->m, MALFORMED, start, "tak: truncated varint at offset %u",
				      start);
			return -1;
		}
		b = t->buf[start + i];
		if (i == 9 && b > 1) {
			insp_msg_fail(t->m, MALFORMED, start, "tak: varint %s at offset %u",
				      b & 0x80 ? "longer than 10 bytes" : "over 64 bits", start);
			return -1;
		}
		v |= (uint64_t)(b & 0x7F) << (7 * i);
		if (!(b & 0x80)) {
			*pos = start + i + 1;
			*out = v;
			return 0;
		}
	}
	return -1; /* not reached: the tenth byte ends or fails above */
}

/*
 * The field at @p off needs @p need bytes that its enclosing message does not have: say
 * whether the datagram itself is short (cut) or only the enclosing message (a lying length).
 */
static enum insp_reason
past_end(struct tak *t, const struct msgdef *d, const struct field *f, uint32_t off, uint64_t need)
{
	if (need > t->len - off)
		return insp_msg_fail(t->m, MALFORMED, off,
				     "tak: %s.%s at offset %u runs past the end of the datagram",
				     d->name, f->name, off);
	return insp_msg_fail(t->m, MALFORMED, off,
			     "tak: %s.%s at offset %u runs past the end of the enclosing %s",
			     d->name, f->name, off, d->name);
}

static double
le_double(const uint8_t *p)
{
	uint64_t u = 0;
	double d;

	for (int i = 7; i >= 0; i--)
		u = u << 8 | p[i];
	memcpy(&d, &u, sizeof(d));
	return d;
}

static enum insp_reason parse_message(struct tak *t, const struct msgdef *d, uint32_t pos,
				      uint32_t end);

static enum insp_reason
too_much_text(struct tak *t, uint32_t off)
{
	return insp_msg_unit_fail(t->m, "tak", off);
}

/*
 * A string field. Strings obey the XML character rule (valid UTF-8, no controls other
 * than TAB, LF, CR, no U+FFFE/U+FFFF): TAK servers and clients turn protobuf events
 * into CoT XML and back, and a string that cannot be XML text would not survive that.
 */
static enum insp_reason
parse_string(struct tak *t, const struct msgdef *d, const struct field *f, uint32_t off,
	     struct insp_str s)
{
	struct insp_msg *m = t->m;
	uint32_t kind = INSP_UNIT_CONTENT;
	const char *why = NULL;
	size_t bad;

	if (insp_utf8_validate_xml(s.p, s.len, &bad) < 0)
		return insp_msg_fail(m, MALFORMED, off + (uint32_t)bad,
				     "tak: invalid UTF-8 or control character in %s.%s at offset "
				     "%u",
				     d->name, f->name, off + (uint32_t)bad);
	switch (f->kind) {
	case K_TYPE:
		if (!insp_cot_valid_type(s))
			why = "violates the CoT type grammar";
		m->type = s;
		break;
	case K_HOW:
		if (!insp_cot_valid_how(s))
			why = "violates the CoT how grammar";
		break;
	case K_UID:
		if (s.len == 0)
			why = "is empty";
		m->uid = s;
		break;
	case K_QOS:
		/* proto3 leaves an unset string out; an empty one means the same */
		if (s.len > 0 && !insp_cot_valid_qos(s))
			why = "violates the CoT qos grammar";
		m->qos_priority = s.len > 0 && why == NULL ? (int8_t)(s.p[0] - '0') : -1;
		break;
	case K_ACCESS:
		/* empty counts as absent (GUARD-SPEC 4.5) */
		m->marking = s;
		m->has_marking = s.len > 0;
		kind = INSP_UNIT_CARRIER;
		break;
	default:
		break;
	}
	if (why != NULL)
		return insp_msg_fail(m, MALFORMED, off, "tak: %s.%s at offset %u %s", d->name,
				     f->name, off, why);
	if (insp_msg_add_unit_kind(m, s, kind, off) < 0)
		return too_much_text(t, off);
	return INSP_R_RELEASE;
}

/* xmlDetail: XML elements, walked like CoT <detail> with a 4774 label at top level. */
static enum insp_reason
parse_xml_detail(struct tak *t, uint32_t off, uint32_t n)
{
	enum insp_reason r;

	t->w.base_offset = off;
	r = insp_xmlwalk_begin(&t->w, t->m, t->buf + off, n, 1);
	if (r != INSP_R_RELEASE)
		return r;
	return insp_xmlwalk_children(t->p, &t->w, &t->m->ev, t->m);
}

static enum insp_reason
check_double(struct tak *t, const struct msgdef *d, const struct field *f, uint32_t off)
{
	double v = le_double(t->buf + off);
	int ok = isfinite(v);

	if (f->kind == K_LAT)
		ok = ok && v >= -90 && v <= 90;
	else if (f->kind == K_LON)
		ok = ok && v >= -180 && v <= 180;
	else if (f->kind == K_NONNEG)
		ok = ok && v >= 0;
	if (!ok)
		return insp_msg_fail(t->m, MALFORMED, off,
				     "tak: %s.%s at offset %u not finite or out of range", d->name,
				     f->name, off);
	return INSP_R_RELEASE;
}

static enum insp_reason
check_varint(struct tak *t, const struct msgdef *d, const struct field *f, uint32_t off, uint64_t v)
{
	struct insp_msg *m = t->m;

	if (f->kind == K_U32 && v > UINT32_MAX)
		return insp_msg_fail(m, MALFORMED, off,
				     "tak: %s.%s at offset %u out of range for uint32", d->name,
				     f->name, off);
	if (f->kind == K_STALE) {
		/* 0 is proto3's "not set": an event without validity (GUARD-SPEC 4.5) */
		if (v == 0 || v > INT64_MAX)
			return insp_msg_fail(m, MALFORMED, off,
					     "tak: CotEvent.staleTime at offset %u is %s", off,
					     v == 0 ? "0 (absent)" : "out of range");
		m->stale_ms = (int64_t)v;
		m->has_stale = 1;
	}
	return INSP_R_RELEASE;
}

/* One message of type @p d occupying exactly [pos, end). */
static enum insp_reason
parse_message(struct tak *t, const struct msgdef *d, uint32_t pos, uint32_t end)
{
	struct insp_msg *m = t->m;
	uint32_t seen = 0, start = pos;
	enum insp_reason r;

	while (pos < end) {
		uint32_t tag_off = pos, val_off;
		const struct field *f;
		uint64_t tag, v = 0;
		uint32_t wire;

		if (read_varint(t, &pos, end, &tag) < 0)
			return MALFORMED;
		wire = (uint32_t)(tag & 7);
		tag >>= 3;
		if (tag == 0)
			return insp_msg_fail(m, MALFORMED, tag_off,
					     "tak: field number 0 in %s at offset %u", d->name,
					     tag_off);
		if (wire != W_VARINT && wire != W_I64 && wire != W_LEN && wire != W_I32)
			return insp_msg_fail(m, MALFORMED, tag_off,
					     "tak: wire type %u (field %llu of %s) at offset %u",
					     wire, (unsigned long long)tag, d->name, tag_off);
		/* the guard cannot vouch for bytes it does not understand */
		if (tag > d->n_fields)
			return insp_msg_fail(m, MALFORMED, tag_off,
					     "tak: unknown field %llu in %s at offset %u",
					     (unsigned long long)tag, d->name, tag_off);
		f = &d->f[tag - 1];
		if (wire != f->wire)
			return insp_msg_fail(m, MALFORMED, tag_off,
					     "tak: %s.%s has wire type %u, not %u, at offset %u",
					     d->name, f->name, wire, f->wire, tag_off);
		/*
		 * protobuf would keep the last of two scalars and merge two submessages: a
		 * consumer could then read something other than what was checked
		 */
		if (seen & (1u << tag))
			return insp_msg_fail(m, MALFORMED, tag_off,
					     "tak: %s.%s given twice at offset %u", d->name,
					     f->name, tag_off);
		seen |= 1u << tag;

		val_off = pos;
		switch (wire) {
		case W_VARINT:
			if (read_varint(t, &pos, end, &v) < 0)
				return MALFORMED;
			r = check_varint(t, d, f, val_off, v);
			break;
		case W_I64:
			if (end - pos < 8)
				return past_end(t, d, f, val_off, 8);
			pos += 8;
			r = check_double(t, d, f, val_off);
			break;
		default: /* W_LEN; no TAK v1 field is a fixed32 */
			if (read_varint(t, &pos, end, &v) < 0)
				return MALFORMED;
			val_off = pos;
			if (v > end - pos)
				return past_end(t, d, f, tag_off, v + (pos - tag_off));
			pos += (uint32_t)v;
			if (f->kind == K_MSG || f->kind == K_COTEVENT)
				r = parse_message(t, f->sub, val_off, pos);
			else if (f->kind == K_XML)
				r = parse_xml_detail(t, val_off, (uint32_t)v);
			else
				r = parse_string(t, d, f, val_off,
						 (struct insp_str){t->buf + val_off, (uint32_t)v});
			break;
		}
		if (r != INSP_R_RELEASE)
			return r;
	}

	/* proto3 leaves unset fields out: required ones are checked here */
	if (d == &takmsg_def && !(seen & (1u << 2)))
		return insp_msg_fail(m, MALFORMED, start, "tak: TakMessage without cotEvent");
	if (d == &event_def) {
		static const uint8_t required[] = {1, 5, 8, 9}; /* type, uid, staleTime, how */

		for (unsigned i = 0; i < sizeof(required); i++)
			if (!(seen & (1u << required[i])))
				return insp_msg_fail(m, MALFORMED, start,
						     "tak: CotEvent at offset %u without %s", start,
						     d->f[required[i] - 1].name);
	}
	return INSP_R_RELEASE;
}

static enum insp_reason
parse_tak_message(struct tak *t, uint32_t pos)
{
	enum insp_reason r = parse_message(t, &takmsg_def, pos, t->len);

	if (r != INSP_R_RELEASE)
		return r;
	/* a bad or misplaced 4774 label, reported only once the message is known well formed */
	return insp_xmlwalk_label_result(&t->w, t->m);
}

static void
tak_init(struct tak *t, const struct insp_policy *p, const uint8_t *buf, uint32_t len,
	 struct insp_msg *m)
{
	memset(t, 0, sizeof(*t));
	t->p = p;
	t->m = m;
	t->buf = buf;
	t->len = len;
	t->w.fmt = "tak";
	t->w.container = "xmlDetail";
	t->w.root_depth = 0;
	t->w.label_depth = 1;
	t->w.max_depth = p->cot_max_depth;
	t->w.max_elems = p->cot_max_elems;
	t->w.misplaced = "4774 label not a top-level element of xmlDetail";
}

/* Both framings: the size limit, the working state and the leading magic; pos after it. */
static enum insp_reason
framing_start(struct tak *t, const struct insp_policy *p, const uint8_t *buf, size_t len,
	      struct insp_msg *m, uint32_t *pos)
{
	if (len > UINT32_MAX)
		return insp_msg_fail(m, MALFORMED, 0, "tak: message too large");
	tak_init(t, p, buf, (uint32_t)len, m);
	if (len == 0 || buf[0] != TAK_MAGIC)
		return insp_msg_fail(m, MALFORMED, 0, "tak: no 0xbf magic at offset 0");
	*pos = 1;
	return INSP_R_RELEASE;
}

enum insp_reason
insp_tak_mesh_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	struct tak t;
	uint32_t pos;
	uint64_t version;
	enum insp_reason r = framing_start(&t, p, buf, len, m, &pos);

	if (r != INSP_R_RELEASE)
		return r;
	if (read_varint(&t, &pos, (uint32_t)len, &version) < 0)
		return MALFORMED;
	if (version != 1)
		return insp_msg_fail(m, MALFORMED, 1,
				     "tak: mesh protocol version %llu, only 1 is accepted",
				     (unsigned long long)version);
	if (pos >= len || buf[pos] != TAK_MAGIC)
		return insp_msg_fail(m, MALFORMED, pos, "tak: no 0xbf magic at offset %u", pos);
	return parse_tak_message(&t, pos + 1);
}

enum insp_reason
insp_tak_stream_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
		      struct insp_msg *m)
{
	struct tak t;
	uint32_t pos;
	uint64_t n;
	enum insp_reason r = framing_start(&t, p, buf, len, m, &pos);

	if (r != INSP_R_RELEASE)
		return r;
	if (read_varint(&t, &pos, (uint32_t)len, &n) < 0)
		return MALFORMED;
	/* one message per datagram: nothing may hide before or after it */
	if (n != len - pos)
		return insp_msg_fail(m, MALFORMED, 1, "tak: stream length %llu but %u bytes follow",
				     (unsigned long long)n, (uint32_t)len - pos);
	return parse_tak_message(&t, pos);
}
