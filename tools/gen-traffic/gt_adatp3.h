/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * ADatP-3 formatted text writer, APP-11 style (GUARD-SPEC 5.4,
 * dataplane/inspect/insp_adatp3.h): an envelope line holding the marking string, then one
 * set a line (SETID/field/.../field//). The message types are those a brigade or battalion
 * HQ sends: SITREP, OPREP-3 and INTREP. MSGID fields 9 and 10 repeat the envelope's policy
 * and classification. Free text (GENTEXT) comes from the caller, as plain UTF-8 without
 * '/', tabs or line ends.
 */
#ifndef GT_ADATP3_H
#define GT_ADATP3_H

#include <stdbool.h>

#include "gt_buf.h"

#define GT_ADATP3_MAX_TEXT 16

enum gt_adatp3_kind {
	GT_ADATP3_SITREP,
	GT_ADATP3_OPREP3,
	GT_ADATP3_INTREP, /**< data category intelligence */
};

/** Deliberate breakage for malformed_message frames (GT_ADATP3_MAL_NONE: well-formed). */
enum gt_adatp3_malform {
	GT_ADATP3_MAL_NONE,
	GT_ADATP3_MAL_NO_END,	   /**< a set without its closing "//" */
	GT_ADATP3_MAL_EMPTY_LINE,  /**< an empty line between two sets */
	GT_ADATP3_MAL_TWO_MSGID,   /**< the MSGID set twice */
	GT_ADATP3_MAL_SHORT_MSGID, /**< MSGID with 8 fields (no policy, classification) */
	GT_ADATP3_MAL_SETID,	   /**< a lower-case SETID */
	GT_ADATP3_MAL_TAB,	   /**< a tab (control character) inside a field */
	GT_ADATP3_MAL_BAD_UTF8,	   /**< an invalid UTF-8 byte in a field */
	GT_ADATP3_MAL_EMPTY_FIELD, /**< an empty field ("//" inside a set) */
	GT_ADATP3_MAL_NO_MSGID,	   /**< no MSGID set at all */
	GT_ADATP3_MAL_COUNT,
};

struct gt_adatp3 {
	enum gt_adatp3_kind kind;
	bool crlf;		    /**< CR LF line ends (else LF) */
	bool final_eol;		    /**< a line end after the last set */
	const char *envelope;	    /**< the marking line; NULL: no envelope (first line a set) */
	const char *operation;	    /**< OPER/EXER name */
	bool exercise;		    /**< EXER instead of OPER */
	const char *originator;	    /**< MSGID field 4 */
	unsigned serial;	    /**< MSGID field 5 */
	const char *month;	    /**< MSGID field 6, e.g. "NOV" */
	const char *policy;	    /**< MSGID field 9 */
	const char *classification; /**< MSGID field 10 */
	const char *ref_originator; /**< REF set: the order referred to */
	const char *dtg;	    /**< report DTG, e.g. "221000ZNOV2026" */
	const char *dtg_ref;	    /**< DTG of the order the REF set names */
	const char *dtg_end;	    /**< PERID end DTG */
	const char *position;	    /**< MGRS grid */
	const char *event;	    /**< OPREP-3 EVENT description */
	/** GENTEXT sets: heading and plain text */
	const char *heading[GT_ADATP3_MAX_TEXT];
	const char *text[GT_ADATP3_MAX_TEXT];
	unsigned n_text;
	enum gt_adatp3_malform malform;
};

/** MSGID field 1 of @p k ("OPREP-3"). */
const char *gt_adatp3_type(enum gt_adatp3_kind k);

/** Append the message to @p b. @return 0, or -1 if @p b overflowed. */
int gt_adatp3_build(const struct gt_adatp3 *a, struct gt_buf *b);

#endif
