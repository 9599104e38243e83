/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Labelled XML with a STANAG 4778-style binding (GUARD-SPEC 5.3):
 *
 *   <BindingInformation xmlns="urn:nato:stanag:4778:bindinginformation:1:0">
 *     <MetadataBindingContainer>
 *       <MetadataBinding>
 *         <Metadata> exactly one 4774 originatorConfidentialityLabel </Metadata>
 *         <Data> exactly one payload element, any namespace </Data>
 *       </MetadataBinding>
 *     </MetadataBindingContainer>
 *   </BindingInformation>
 *
 * The binding elements are in the 4778 namespace (any prefix), in exactly this shape;
 * anything else in them (another element, a second container, binding, <Metadata> or
 * <Data>, <Data> before <Metadata>, non-whitespace text, attributes other than namespace
 * declarations) is malformed, and so is an element in place of a binding element even if
 * it is a 4774 label. Comments may appear anywhere (they are scanned).
 *
 * <Metadata> holds labels only: any other element or text there is malformed. One label,
 * its direct child, is the message's label; none is unlabelled (the decision says so);
 * two are a bad label. <Data> holds exactly one payload element, any namespace, whose
 * schema is not known: all its names, attribute values and text are scanned. A label
 * anywhere inside <Data> (the payload itself included) is a bad label, never content.
 * Bounds: the policy's cot max_detail_depth is the depth allowed below <Metadata> and
 * below <Data> (the payload element is depth 1), max_detail_elements the elements below
 * both together.
 *
 * Scan units: binding element and attribute names are INSP_UNIT_NAME, their namespace
 * declarations' values content (as in CoT); the label is carrier units; the payload as
 * in CoT <detail>.
 *
 * View: the 4774 label (carrier); type = the payload element's local name (the key of
 * category hints and priorities); no uid; no validity time (GUARD-SPEC 4.5).
 */
#ifndef INSP_LXML_H
#define INSP_LXML_H

#include <stddef.h>
#include <stdint.h>

#include "insp_msg.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INSP_4778_NS "urn:nato:stanag:4778:bindinginformation:1:0"

enum insp_reason insp_lxml_parse(const struct insp_policy *p, const uint8_t *buf, size_t len,
				 struct insp_msg *m);

#ifdef __cplusplus
}
#endif
#endif
