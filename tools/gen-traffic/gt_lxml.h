/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Labelled XML writer (GUARD-SPEC 5.3, dataplane/inspect/insp_lxml.h): a STANAG
 * 4778-style BindingInformation whose Metadata holds the pre-rendered 4774 label and whose
 * Data holds one report: a friendly force report (NFFI-like position of a unit), a casualty
 * report, or an intelligence summary. The payload element's name is what the policy's
 * labelled-xml category hints match (FriendlyForce tracks, Casualty reports, Intelligence
 * intelligence).
 */
#ifndef GT_LXML_H
#define GT_LXML_H

#include <stdbool.h>

#include "gt_buf.h"

enum gt_lxml_kind {
	GT_LXML_FRIENDLY_FORCE, /**< FriendlyForceReport */
	GT_LXML_CASUALTY,	/**< CasualtyReport */
	GT_LXML_INTSUM,		/**< IntelligenceSummary (data category intelligence) */
};

/** Deliberate breakage for malformed_message frames (GT_LXML_MAL_NONE: well-formed). */
enum gt_lxml_malform {
	GT_LXML_MAL_NONE,
	GT_LXML_MAL_DOCTYPE,	  /**< a DOCTYPE with an internal subset */
	GT_LXML_MAL_UNCLOSED,	  /**< </BindingInformation> missing */
	GT_LXML_MAL_TWO_PAYLOADS, /**< a second element after the payload in Data */
	GT_LXML_MAL_EXTRA,	  /**< an extra element in MetadataBinding */
	GT_LXML_MAL_TEXT,	  /**< text directly in MetadataBindingContainer */
	GT_LXML_MAL_NO_NS,	  /**< binding elements in no namespace */
	GT_LXML_MAL_COUNT,
};

struct gt_lxml {
	enum gt_lxml_kind kind;
	bool xml_decl;	       /**< start with <?xml version="1.0" encoding="UTF-8"?> */
	bool indent;	       /**< pretty-printed (newlines and blanks between elements) */
	const char *prefix;    /**< 4778 namespace prefix, NULL: default namespace */
	const char *labels[2]; /**< pre-rendered 4774 label elements for <Metadata> */
	unsigned n_labels;
	/* the report */
	const char *report_id;
	const char *dtg;     /**< xs:dateTime of the report */
	const char *unit;    /**< reporting or reported unit's name (plain text) */
	const char *unit_id; /**< its identifier */
	const char *symbol;  /**< APP-6 symbol code */
	double lat, lon, alt;
	double course, speed;
	unsigned count;		 /**< strength, casualties, or sightings */
	const char *priority;	 /**< casualty evacuation priority */
	const char *remarks_xml; /**< <Remarks> content, already XML-encoded */
	enum gt_lxml_malform malform;
};

/** The payload element's name for @p k ("FriendlyForceReport"). */
const char *gt_lxml_payload_name(enum gt_lxml_kind k);

/** Append the document to @p b. @return 0, or -1 if @p b overflowed. */
int gt_lxml_build(const struct gt_lxml *x, struct gt_buf *b);

#endif
