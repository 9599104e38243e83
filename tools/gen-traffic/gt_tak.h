/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * TAK Protocol version 1 writer (GUARD-SPEC 5.2, dataplane/inspect/insp_tak.h): a
 * hand-written protobuf encoder for TakMessage{takControl = 1, cotEvent = 2} in mesh
 * (0xBF 0x01 0xBF) or stream (0xBF varint length) framing, as ATAK, WinTAK and iTAK send
 * it. Fields are written in field-number order and empty ones are left out (proto3), so a
 * well-formed message has no unknown, repeated or misplaced field. The description is
 * filled by the scenario code; this module only encodes it, and breaks it on purpose for
 * malformed_message frames.
 */
#ifndef GT_TAK_H
#define GT_TAK_H

#include <stdbool.h>
#include <stdint.h>

#include "gt_buf.h"

/** Deliberate breakage for malformed_message frames (GT_TAK_MAL_NONE: well-formed). */
enum gt_tak_malform {
	GT_TAK_MAL_NONE,
	GT_TAK_MAL_MAGIC,	  /**< first byte 0xBE instead of 0xBF */
	GT_TAK_MAL_FRAMING,	  /**< mesh: protocol version 2; stream: length past the end */
	GT_TAK_MAL_NO_COT,	  /**< a TakMessage with takControl only */
	GT_TAK_MAL_STALE_ZERO,	  /**< staleTime left out (0: absent) */
	GT_TAK_MAL_LAT,		  /**< lat 91.5 */
	GT_TAK_MAL_WIRE_TYPE,	  /**< a field of wire type 3 (start group) in CotEvent */
	GT_TAK_MAL_LEN_PAST,	  /**< detail length past the end of the CotEvent */
	GT_TAK_MAL_BAD_UTF8,	  /**< contact callsign with an invalid UTF-8 sequence */
	GT_TAK_MAL_BAD_TYPE,	  /**< type outside the CoT type grammar */
	GT_TAK_MAL_XML_DETAIL,	  /**< xmlDetail with an unclosed element */
	GT_TAK_MAL_DUP_FIELD,	  /**< uid given twice */
	GT_TAK_MAL_UNKNOWN_FIELD, /**< CotEvent field 16 (unknown) */
	GT_TAK_MAL_LONG_VARINT,	  /**< sendTime as an 11-byte varint */
	GT_TAK_MAL_COUNT,
};

struct gt_tak {
	bool stream;	  /**< stream framing (else mesh) */
	bool tak_control; /**< a TakControl{1, 1, contactUid} before cotEvent */
	const char *type;
	const char *access; /**< marking string, NULL: absent */
	const char *qos;    /**< NULL: absent */
	const char *opex;   /**< NULL: absent */
	const char *uid;
	uint64_t send_ms, start_ms, stale_ms;
	const char *how;
	double lat, lon, hae, ce, le;
	/* Detail */
	const char *xml_detail; /**< XML elements (already encoded), NULL: absent */
	const char *endpoint;	/**< contact endpoint, NULL: absent */
	const char *callsign;	/**< contact callsign, NULL: no contact */
	const char *group;	/**< group name, NULL: no group */
	const char *role;
	const char *geopointsrc; /**< precisionLocation, NULL: absent */
	const char *altsrc;
	bool has_status;
	unsigned battery;
	const char *device; /**< takv, NULL: no takv */
	const char *platform;
	const char *os;
	const char *version;
	bool has_track;
	double speed, course;
	enum gt_tak_malform malform;
};

/** Append the framed message to @p b. @return 0, or -1 if it did not fit. */
int gt_tak_build(const struct gt_tak *t, struct gt_buf *b);

#endif
