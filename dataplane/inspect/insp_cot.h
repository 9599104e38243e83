/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Cursor-on-Target XML (CoT 2.0, MITRE Event-PUBLIC.xsd), strict (GUARD-SPEC 5.1):
 *
 *  - root `event` in no namespace; required attributes version, uid, type, time, start,
 *    stale, how with their grammars; optional access (marking string), qos, opex;
 *    no other attributes (namespace declarations aside);
 *  - exactly one empty `<point lat lon hae ce le>` (all required, ranges checked) and at
 *    most one `<detail>`, in either order; no other element and no text in `<event>`;
 *  - `<detail>` holds anything within the policy's depth and element bounds; a STANAG
 *    4774 label may be one of its direct children (only there).
 *
 * Grammars: type `\w+(-\w+)*(;[^;]*)?`, how `\w(-\w)*`, qos `\d-\w-\w` (\w = [A-Za-z0-9_]),
 * version a decimal, times per insp_time.h, lat in [-90, 90], lon in [-180, 180],
 * hae finite, ce and le finite and >= 0.
 */
#ifndef INSP_COT_H
#define INSP_COT_H

#include <stddef.h>
#include <stdint.h>

#include "insp_msg.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Parse one CoT event into @p m (whose working memory the caller has set up).
 * @return INSP_R_RELEASE (parsed), INSP_R_MALFORMED_MESSAGE or INSP_R_BAD_LABEL, with
 *   m->detail and m->err_offset set on failure. A malformed document is reported as such
 *   even when a bad label was seen first: parsing precedes labels in the decision order.
 */
enum insp_reason insp_cot_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
				struct insp_msg *m);

#ifdef __cplusplus
}
#endif
#endif
