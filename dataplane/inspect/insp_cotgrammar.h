/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The CoT attribute grammars (MITRE Event-PUBLIC.xsd, GUARD-SPEC 5.1), shared by the CoT XML
 * and TAK protobuf modules so that an event type or how is judged the same in both
 * encodings. \w is ASCII [A-Za-z0-9_].
 */
#ifndef INSP_COTGRAMMAR_H
#define INSP_COTGRAMMAR_H

#include "insp_xml.h"

#ifdef __cplusplus
extern "C" {
#endif

/** type: `\w+(-\w+)*(;[^;]*)?` */
int insp_cot_valid_type(struct insp_str s);

/** how: `\w(-\w)*` */
int insp_cot_valid_how(struct insp_str s);

/** qos: `\d-\w-\w` (priority digit, overtaking, assurance) */
int insp_cot_valid_qos(struct insp_str s);

#ifdef __cplusplus
}
#endif
#endif
