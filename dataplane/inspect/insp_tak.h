/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * TAK Protocol version 1 (GUARD-SPEC 5.2): a TakMessage protobuf in mesh framing
 * (0xBF, varint version = 1, 0xBF) or stream framing (0xBF, varint length = the rest of
 * the datagram), decoded by a strict hand-written wire reader (docs/decisions.md, "TAK").
 *
 *  TakMessage { takControl = 1 (TakControl), cotEvent = 2 (CotEvent, required) }
 *  TakControl { minProtoVersion = 1, maxProtoVersion = 2 (uint32), contactUid = 3 }
 *  CotEvent   { type = 1, access = 2, qos = 3, opex = 4, uid = 5 (strings),
 *               sendTime = 6, startTime = 7, staleTime = 8 (uint64, ms since epoch),
 *               how = 9, lat = 10, lon = 11, hae = 12, ce = 13, le = 14 (double),
 *               detail = 15 (Detail) }
 *  Detail     { xmlDetail = 1 (XML elements), contact = 2, group = 3,
 *               precisionLocation = 4, status = 5, takv = 6, track = 7 }
 *  Contact {endpoint = 1, callsign = 2}; Group {name = 1, role = 2};
 *  PrecisionLocation {geopointsrc = 1, altsrc = 2}; Status {battery = 1 (uint32)};
 *  Takv {device = 1, platform = 2, os = 3, version = 4}; Track {speed = 1, course = 2}.
 *
 * Refused (malformed): other magic or version, truncated varints or varints over 10 bytes
 * (or over 64 bits), lengths past the end of the datagram or of the enclosing message,
 * wire types 3, 4, 6, 7, field number 0, a known field with the wrong wire type, a field
 * given twice (strict: protobuf would keep the last scalar and merge submessages, so a
 * consumer could read something other than what was checked), an unknown field (the guard
 * cannot vouch for bytes it does not understand), no cotEvent, a CotEvent without type,
 * uid, how or staleTime (proto3 leaves unset fields out), type/how/qos violating the CoT
 * grammars (insp_cotgrammar.h), an empty uid, staleTime 0 (absent) or above INT64_MAX,
 * non-finite doubles, lat outside [-90, 90], lon outside [-180, 180], ce or le below 0,
 * uint32 fields above UINT32_MAX, an xmlDetail that is not a sequence of well-formed
 * elements within the policy's XML bounds (cot_max_depth, cot_max_elems).
 * Strings follow the XML character rule (insp_utf8_validate_xml: valid UTF-8, no overlong
 * forms or surrogates, no controls other than TAB, LF, CR, no U+FFFE/U+FFFF): TAK servers
 * and clients convert events between protobuf and CoT XML, and a string that cannot be XML
 * text would not survive that. A padded varint (e.g. 81 00 for 1) is accepted as protobuf
 * allows: it is a number and hides no text. Fields may come in any order.
 *
 * View: uid, type (the key of category hints and priorities), qos priority, stale
 * (staleTime), the access marking (carrier; empty counts as absent), a 4774 label as a
 * top-level element of xmlDetail (carrier; one anywhere else is a bad label). Every other
 * string field is a content unit, in wire order, and xmlDetail is walked as XML
 * (insp_xmlwalk.h). Numbers are not scan units. Details read "tak: ..." and name the
 * payload offset, which is also m->err_offset.
 */
#ifndef INSP_TAK_H
#define INSP_TAK_H

#include <stddef.h>
#include <stdint.h>

#include "insp_msg.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Mesh framing: 0xBF 0x01 0xBF TakMessage. */
enum insp_reason insp_tak_mesh_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
				     struct insp_msg *m);

/** Stream framing: 0xBF varint(n) TakMessage, n the exact rest of the payload. */
enum insp_reason insp_tak_stream_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
				       struct insp_msg *m);

#ifdef __cplusplus
}
#endif
#endif
