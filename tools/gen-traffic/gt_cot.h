/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Cursor-on-Target XML builder: one TAK-style <event> (GUARD-SPEC 5.1) from a plain
 * description. The description is filled by the scenario code (what to send); this module
 * only knows how each client (ATAK, WinTAK, iTAK) writes each kind of event, and how to break
 * the XML on purpose for malformed_message frames.
 */
#ifndef GT_COT_H
#define GT_COT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gt_buf.h"

enum gt_cot_kind {
	GT_KIND_PLI,	 /**< a-f-G-U-C: a handset's own position */
	GT_KIND_VEHICLE, /**< a-f-G-E-V-C: vehicle-mounted client */
	GT_KIND_HOSTILE, /**< a-h-G-U-C-I marker dropped by a user */
	GT_KIND_UNKNOWN, /**< a-u-G marker */
	GT_KIND_AIR,	 /**< a-f-A-M-F-Q: friendly UAV track */
	GT_KIND_SPOT,	 /**< b-m-p-s-m: spot map point */
	GT_KIND_CHAT,	 /**< b-t-f: GeoChat message */
	GT_KIND_ALERT,	 /**< b-a-o-tbl: a handset's 911 emergency alert */
	GT_KIND_COUNT,
};

enum gt_client {
	GT_CLIENT_ATAK,
	GT_CLIENT_WINTAK,
	GT_CLIENT_ITAK,
};

/** Deliberate breakage for malformed_message frames (GT_MAL_NONE: well-formed). */
enum gt_malform {
	GT_MAL_NONE,
	GT_MAL_NO_STALE,    /**< <event> without the required stale attribute */
	GT_MAL_LAT_RANGE,   /**< lat="91.5" */
	GT_MAL_DOCTYPE,	    /**< a DOCTYPE with an internal subset before <event> */
	GT_MAL_SECOND_ROOT, /**< a second element after </event> */
	GT_MAL_UNCLOSED,    /**< </event> missing */
	GT_MAL_BAD_TYPE,    /**< type with characters outside the CoT type grammar */
	GT_MAL_TWO_POINTS,  /**< two <point> elements */
	GT_MAL_DUP_ATTR,    /**< the how attribute twice */
	GT_MAL_COUNT,
};

#define GT_TIME_LEN 40

struct gt_cot {
	enum gt_cot_kind kind;
	enum gt_client client;
	bool single_quotes; /**< attribute quote character ' instead of " */
	bool xml_decl;	    /**< start with <?xml version=... encoding='UTF-8' standalone=...?> */
	bool detail_first;  /**< <detail> before <point> (allowed, rarely seen) */
	bool lean;	    /**< minimal <detail> (contact, track): small frames */
	const char *uid;
	const char *type;
	const char *how;
	char time[GT_TIME_LEN];
	char start[GT_TIME_LEN];
	char stale[GT_TIME_LEN];
	const char *access; /**< marking string, "" for access="", NULL for no attribute */
	const char *qos;    /**< NULL: absent */
	const char *opex;   /**< NULL: absent */
	double lat, lon, hae, ce, le;
	const char *callsign;	     /**< contact callsign of this event (plain text) */
	const char *sender_uid;	     /**< the reporting client's uid (link, chat) */
	const char *sender_callsign; /**< the reporting client's callsign */
	const char *group;	     /**< __group name (team colour) */
	const char *role;	     /**< __group role */
	const char *device;	     /**< takv device */
	const char *os;		     /**< takv os */
	const char *version;	     /**< takv version */
	const char *platform;	     /**< takv platform */
	const char *msg_id;	     /**< GeoChat message id */
	unsigned battery;
	double course, speed;
	/** Pre-rendered 4774 label elements, placed as direct children of <detail>. */
	const char *labels[2];
	unsigned n_labels;
	bool labels_last; /**< labels after the other detail children instead of first */
	/** <remarks> content, already XML-encoded (inserted verbatim). */
	const char *remarks_xml;
	enum gt_malform malform;
};

/**
 * Format @p ms (milliseconds since the epoch, UTC) as an xs:dateTime.
 * @param style  0: 2026-11-22T10:00:00.123Z, 1: 2026-11-22T10:00:00Z,
 *               2: local time at @p offset_min minutes east of UTC with a +hh:mm suffix
 * @return 0, or -1 if @p out is too small or the time cannot be represented
 */
int gt_cot_time(char *out, size_t n, int64_t ms, int style, int offset_min);

/** Append the event to @p b. @return 0, or -1 if @p b overflowed. */
int gt_cot_build(const struct gt_cot *c, struct gt_buf *b);

/**
 * Append what a TAK client puts in a TAK protobuf Detail's xmlDetail for this event: the
 * <detail> children that have no typed protobuf field (labels, uid, link, __chat, remarks,
 * color, usericon, emergency, ...); contact, __group, precisionlocation, status, takv and
 * track travel as typed fields instead. Nothing is appended when nothing is left.
 * @return 0, or -1 if @p b overflowed.
 */
int gt_cot_xml_detail(const struct gt_cot *c, struct gt_buf *b);

#endif
