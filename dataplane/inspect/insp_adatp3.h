/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * ADatP-3 formatted text, APP-11 style (GUARD-SPEC 5.4):
 *
 *   NATO SECRET//REL TO USA, GBR, FVEY          <- envelope: a marking string (4.5)
 *   EXER/IRON VEIL 26//                          <- sets: SETID/field/.../field//
 *   MSGID/SITREP/NATO/1/ABC/001/NOV/-/-/NATO/SECRET//
 *   ...
 *
 *  - UTF-8 (strict: no overlong forms, surrogates, U+FFFE/U+FFFF) with no control
 *    character (C0, DEL, C1; TAB and a CR not followed by LF included) but the line ends;
 *    lines end in LF or CR LF; a last line without a line end is accepted; no empty lines;
 *  - line 1 is the envelope unless it begins like a set (1-10 of A-Z 0-9, then '/'): then
 *    it is parsed as a set, there is no envelope and the message is unlabelled
 *    (has_marking = 0). The envelope's syntax is the decision's (bad_label), not the
 *    parser's;
 *  - every further line is one set: SETID [A-Z0-9]{1,10}, '/', fields separated by '/',
 *    ending in "//" and containing no "//" before that end, at least one field; a field
 *    is '-' when empty and so never literally empty;
 *  - exactly one MSGID set, with at least 10 fields: 1 message type, 2 standard,
 *    3 version, 4 originator, 5 serial, 6 month, 7-8 qualifier, 9 policy,
 *    10 classification. The message type is upper-case words and digits joined by single
 *    spaces or hyphens ("OPREP-3 PINNACLE"): it keys the category hints, so no variant
 *    spelling may dodge them. Fields 9 and 10 are the view's field label: the decision
 *    requires them to equal the envelope's policy and classification (label_conflict).
 *
 * Details are "adatp3: line N: what" with m->err_offset at the offending byte.
 *
 * View: marking = the envelope line (carrier); type = MSGID field 1 (the key of category
 * hints and priorities); uid = MSGID fields 4 and 5 as written ("ORIGINATOR/SERIAL");
 * no validity time. Every SETID and every field of every set (a '-' too) is a content
 * unit; the envelope line is a carrier unit.
 */
#ifndef INSP_ADATP3_H
#define INSP_ADATP3_H

#include <stddef.h>
#include <stdint.h>

#include "insp_msg.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

enum insp_reason insp_adatp3_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
				   struct insp_msg *m);

#ifdef __cplusplus
}
#endif
#endif
