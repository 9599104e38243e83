/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The format-neutral view a format module produces from one message (GUARD-SPEC 5):
 * its label carriers, its validity time, its identity, and the text a consumer would read,
 * as scan units. The decision (insp_inspect.c) only ever looks at this view, so adding a
 * format never touches the decision.
 *
 * Scan units: each attribute value and each text node is one unit (also names, comments and
 * label carriers, docs/decisions.md), and so is each element's string value where it joins
 * two or more text nodes. A unit is copied into msg->scan as a reader perceives it
 * (insp_norm.h: the folded form, plus the skeleton form when it has non-ASCII letters and the
 * display order when a channel allows bidi overrides), each copy followed by '\n'. Strings
 * point into the message or the parser's arena.
 */
#ifndef INSP_MSG_H
#define INSP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "insp_label.h"
#include "insp_reason.h"
#include "insp_xml.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a scan unit comes from: all are scanned alike; the kind says where a match was. */
enum insp_unit_kind {
	INSP_UNIT_CONTENT =
		0,	   /**< what a consumer reads: attribute values, text (GUARD-SPEC 4.5) */
	INSP_UNIT_NAME,	   /**< element and attribute names */
	INSP_UNIT_CARRIER, /**< label carriers: the marking string, the 4774 label's text */
	INSP_UNIT_COMMENT, /**< comment text */
};

struct insp_unit {
	uint32_t off;  /**< in msg->scan */
	uint32_t len;  /**< without the '\n' separator */
	uint16_t kind; /**< enum insp_unit_kind */
	uint16_t form; /**< INSP_FORM_FOLDED or INSP_FORM_SKELETON (insp_norm.h) */
	uint32_t src;  /**< payload offset of what it was read from (for decisions' offset) */
};

/** Why insp_msg_add_unit_kind() refused a unit (m->unit_err). */
enum insp_unit_err {
	INSP_UNIT_ERR_NONE = 0,
	INSP_UNIT_ERR_FULL, /**< the scan buffer or unit table is full */
	INSP_UNIT_ERR_BIDI, /**< a bidi control on a channel that does not allow them */
};

struct insp_msg {
	/* working memory, lent by struct insp_scratch */
	struct insp_xml *xml;
	struct insp_xml_event ev; /**< one event buffer for the whole walk */
	uint8_t *arena;
	size_t arena_cap;
	uint8_t *scan;
	uint32_t scan_len;
	uint32_t scan_cap;
	struct insp_unit *units;
	uint32_t n_units;
	uint32_t units_cap;
	struct insp_str *pieces; /**< text nodes in document order, for string values */
	uint32_t n_pieces;
	uint32_t pieces_cap;
	uint32_t xml_base;    /**< payload offset of the XML being walked (insp_xmlwalk) */
	uint8_t allow_bidi;   /**< the channel allows bidi controls (display order scanned) */
	uint8_t unit_err;     /**< enum insp_unit_err of the last refused unit */
	uint32_t unit_err_cp; /**< the refused bidi control */

	/* what the format found */
	uint8_t has_marking; /**< a non-empty marking string */
	uint8_t has_4774;    /**< a STANAG 4774 label */
	uint8_t has_stale;
	uint8_t has_field_label; /**< fields repeating policy and classification (ADatP-3 MSGID) */
	struct insp_str marking;
	struct insp_str field_policy; /**< must equal the label's policy, if has_field_label */
	struct insp_str field_class;  /**< must equal the label's classification */
	struct insp_label label;      /**< the 4774 label, if has_4774 */
	int64_t stale_ms;
	struct insp_str uid;
	struct insp_str type; /**< category and priority key (CoT type) */
	int8_t qos_priority;  /**< CoT qos priority digit, -1 if none */

	/* why the format refused it: INSP_R_MALFORMED_MESSAGE or INSP_R_BAD_LABEL */
	uint32_t err_offset;
	char *detail; /**< caller's buffer */
	size_t detail_cap;
};

/**
 * Clear what a parse reports, before the next message: units, pieces, carriers, label,
 * identity, the detail buffer (@p detail, @p cap) and the channel's bidi setting.
 */
void insp_msg_reset(struct insp_msg *m, int allow_bidi, char *detail, size_t cap);

/**
 * Append the concatenation of @p n pieces as one scan unit of @p kind (enum
 * insp_unit_kind), in every form it needs (insp_norm.h).
 * @return 0, or -1 with m->unit_err set: the scan buffer or unit table is full, or a bidi
 *   control the channel does not allow (the format reports either as malformed through
 *   insp_msg_unit_fail(): fail closed).
 */
int insp_msg_add_pieces(struct insp_msg *m, const struct insp_str *pieces, uint32_t n,
			uint32_t kind, uint32_t src);

/** insp_msg_add_pieces() for one string; @p src is where it is in the payload. */
static inline int
insp_msg_add_unit_kind(struct insp_msg *m, struct insp_str s, uint32_t kind, uint32_t src)
{
	return insp_msg_add_pieces(m, &s, 1, kind, src);
}

/** insp_msg_add_unit_kind() for content (INSP_UNIT_CONTENT). */
static inline int
insp_msg_add_unit(struct insp_msg *m, struct insp_str s, uint32_t src)
{
	return insp_msg_add_unit_kind(m, s, INSP_UNIT_CONTENT, src);
}

/**
 * The malformed_message for a unit insp_msg_add_unit_kind() refused at input @p offset:
 * "<fmt>: too much text" or "<fmt>: bidirectional control U+202E not allowed on this channel".
 */
enum insp_reason insp_msg_unit_fail(struct insp_msg *m, const char *fmt, uint32_t offset);

/** Set m->detail ("fmt: ...") and m->err_offset; returns @p r for tail calls. */
enum insp_reason insp_msg_fail(struct insp_msg *m, enum insp_reason r, uint32_t offset,
			       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#ifdef __cplusplus
}
#endif
#endif
