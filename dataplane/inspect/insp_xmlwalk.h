/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The XML content walk every XML-carrying format shares (CoT <detail>, TAK xmlDetail,
 * labelled-XML Metadata and Data): it consumes the children of an element, makes every
 * name, attribute value, text node and comment a scan unit, bounds depth and element
 * count, and decodes a STANAG 4774 label where the format allows one.
 *
 *  - element and attribute names are INSP_UNIT_NAME, values and text INSP_UNIT_CONTENT,
 *    comments INSP_UNIT_COMMENT (once insp_xmlwalk_begin() hooked them), and everything
 *    inside a 4774 label INSP_UNIT_CARRIER;
 *  - a 4774 label is decoded only at depth w->label_depth (a direct child of the container
 *    element, or top level in a fragment); one anywhere else, or a second
 *    one, is a bad label, reported (like a broken label) through w->label_err after the
 *    walk so that a malformed document still reads as malformed.
 */
#ifndef INSP_XMLWALK_H
#define INSP_XMLWALK_H

#include "insp_msg.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

struct insp_xmlwalk {
	/* set by the caller */
	const char *fmt;       /**< message prefix: "cot", "tak", ... */
	const char *container; /**< for messages: "<detail>", "xmlDetail", ... */
	uint32_t base_offset;  /**< added to XML offsets (the XML's place in the payload) */
	uint32_t root_depth;   /**< depth of the element whose children are walked; 0 = all */
	uint32_t label_depth;  /**< absolute depth where a 4774 label may be; 0 = nowhere */
	uint32_t max_depth;    /**< children may nest this deep below root_depth */
	uint32_t max_elems;    /**< elements in all walks with this struct together */
	const char *misplaced; /**< bad-label text for a label not at label_depth, or NULL */
	/* results */
	uint32_t elems;
	uint32_t n_other;      /**< elements and text runs outside 4774 labels */
	const char *label_err; /**< first label problem, or NULL */
	uint32_t label_err_off;
};

/**
 * Validate @p buf as XML-profile UTF-8, start m->xml on it (a document, or a fragment when
 * @p fragment) and route comments to the scan. @return INSP_R_RELEASE or a malformed reason.
 */
enum insp_reason insp_xmlwalk_begin(struct insp_xmlwalk *w, struct insp_msg *m, const uint8_t *buf,
				    size_t len, int fragment);

/**
 * Add the names of the START event @p ev (element and attributes) as units of @p name_kind,
 * and its attribute values as units of @p value_kind unless that is INSP_UNIT_NAME; @p base
 * is the XML's offset in the payload (the units' source offsets).
 * @return 0, or -1 when the scan buffer is full.
 */
int insp_xmlwalk_tag_units(struct insp_msg *m, const struct insp_xml_event *ev, uint32_t name_kind,
			   uint32_t value_kind, uint32_t base);

/**
 * Walk the children of the element at w->root_depth (whose START was the last event) up
 * to and including its END; with root_depth 0, walk the whole fragment up to EOF.
 * A START at root_depth 0 may itself be a 4774 label if label_depth is 1.
 * @return INSP_R_RELEASE or INSP_R_MALFORMED_MESSAGE (m->detail set).
 */
enum insp_reason insp_xmlwalk_children(const struct insp_policy *p, struct insp_xmlwalk *w,
				       struct insp_xml_event *ev, struct insp_msg *m);

/** Fold a label problem the walk found into the result: INSP_R_BAD_LABEL or RELEASE. */
enum insp_reason insp_xmlwalk_label_result(const struct insp_xmlwalk *w, struct insp_msg *m);

#ifdef __cplusplus
}
#endif
#endif
