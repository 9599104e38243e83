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
 * The binding elements are in the 4778 namespace (any prefix); anything else in them
 * (another element, a second container or binding, non-whitespace text, attributes other
 * than namespace declarations) is malformed. The payload's schema is not known: all its
 * names, attribute values and text are scanned, within the policy's XML bounds. A label
 * anywhere but directly in <Metadata>, or none there, is a bad label / unlabelled.
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
