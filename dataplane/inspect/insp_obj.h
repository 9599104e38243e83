/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The `object` format: the inspection envelope of one reassembled object (docs/slowpath.md).
 * A channel with `format: object` carries object chunks (insp_chunk.h) that guardd hands
 * to the slow path unparsed; the slow path reassembles an object, checks and decodes it by
 * type, and then decides it with insp_inspect() on that channel, given this envelope:
 *
 *   GOBX 1\n
 *   label: <marking string>\n            or   label-4774: <STANAG 4774 label XML>\n
 *   type: <mime>\n
 *   id: <object id, 16 lowercase hex digits>\n
 *   \n
 *   <text: UTF-8 (may be empty): what a reader of the object sees>
 *
 *  - the header lines are exact: that order, single spaces, LF line ends (a CR is a
 *    character of the line, and so refused);
 *  - label: printable ASCII (0x20..0x7e), at most 255 bytes; an empty label is no label
 *    (unlabelled). Its grammar and meaning are the decision's, as for CoT's access string
 *    (bad_label, over_classified, ...);
 *  - label-4774 (instead of label): a STANAG 4774 confidentiality label as XML on one line
 *    (an object whose chunks carry a 4774 label, insp_chunk.h), at most
 *    INSP_CHUNK_LABEL_MAX bytes of UTF-8 without control characters (else malformed). It
 *    must be exactly one label element (an XML declaration and comments aside) and is
 *    decoded as every format decodes an embedded 4774 label (insp_label.h, with the
 *    policy's strict or lenient rules) into the message's 4774 label, its parts carrier
 *    units; the decision then treats it as it treats a CoT or labelled-XML label. Broken
 *    XML, another root element or anything besides the label is bad_label
 *    ("object: label-4774: ..." or "label: ...");
 *  - type: text/plain, application/pdf, image/jpeg or image/png (insp_chunk.h);
 *  - id: 16 lowercase hex digits, not all zero;
 *  - text: everything after the blank line, valid UTF-8 with no control character but
 *    TAB, LF and CR (the rule of insp_utf8_validate_xml(): join pages with LF, not FF);
 *    bidi controls as the channel allows (like every format).
 *
 * Details are "object: what" with m->err_offset at the offending byte.
 *
 * View: marking = the label (a carrier unit), or the 4774 label; type = the MIME type (the key of
 * category hints of format `object`; no priority row classes objects, they leave as routine);
 * uid = the id's 16 hex digits; no validity time. The whole text is ONE content unit (src = its
 * offset in the envelope), so a phrase wrapped over a line break matches as it does within a
 * line.
 */
#ifndef INSP_OBJ_H
#define INSP_OBJ_H

#include <stddef.h>
#include <stdint.h>

#include "insp_msg.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_OBJ_MAGIC_LINE "GOBX 1\n"
#define INSP_OBJ_LABEL_MAX  255u

enum insp_reason insp_obj_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
				struct insp_msg *m);

#ifdef __cplusplus
}
#endif
#endif
