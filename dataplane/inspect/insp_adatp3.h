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
 *  - UTF-8 (no control characters but the line ends); lines end in LF or CR LF; a last
 *    line without a line end is accepted; no empty lines;
 *  - line 1 is the envelope unless it is already a set (SETID, '/', ..., "//"): then there
 *    is no envelope and the message is unlabelled (has_marking = 0);
 *  - every further line is one set: SETID [A-Z0-9]{1,10}, '/', fields separated by '/',
 *    ending in "//" and containing no "//" before that end; a field is '-' when empty and
 *    never literally empty;
 *  - exactly one MSGID set, with at least 10 fields: 1 message type, 2 standard,
 *    3 version, 4 originator, 5 serial, 6 month, 7-8 qualifier, 9 policy,
 *    10 classification. Fields 9 and 10 are the view's field label: the decision requires
 *    them to equal the envelope's policy and classification (label_conflict).
 *
 * View: marking = the envelope line (carrier); type = MSGID field 1 (the key of category
 * hints and priorities); uid = MSGID fields 4 and 5 as written ("ORIGINATOR/SERIAL");
 * no validity time. Every SETID and every field of every set is a content unit.
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
