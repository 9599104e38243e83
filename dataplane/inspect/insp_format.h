/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The format table (GUARD-SPEC 5): every message format the guard inspects is one row of
 * INSP_FORMATS below and one module (insp_<name>.c/.h) whose parse function turns a
 * payload into the format-neutral view of insp_msg.h: label carriers, the key that
 * category hints and priorities match (its "type"), validity, uid and scan units.
 *
 * Adding a format touches this table, the module's own files, its tests and its fuzzer,
 * nothing else: the policy loader, guardctl and the decision take their format names and
 * parsers from here. docs/formats.md says how, step by step.
 *
 * A parse function's contract (the same for every row):
 *  - it reads only buf[0..len) and the working memory lent in @p m; no I/O, no allocation;
 *  - it returns INSP_R_RELEASE when the message is well formed (the decision goes on), or
 *    INSP_R_MALFORMED_MESSAGE / INSP_R_BAD_LABEL with m->detail ("<format>: what") and
 *    m->err_offset set: a malformed message is malformed even if a bad label came first;
 *  - every byte that crosses and a consumer could read is a scan unit (insp_msg.h); label
 *    carriers are units of kind INSP_UNIT_CARRIER.
 */
#ifndef INSP_FORMAT_H
#define INSP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

struct insp_policy;
struct insp_msg;

/*
 * X(ID, policy name, parse function, what its "type" key is (docs, guardctl))
 * The order is the enum's order; a policy names formats, never numbers.
 */
#define INSP_FORMATS(X)                                                                  \
	X(COT, "cot", insp_cot_parse, "CoT event type")                                  \
	X(TAK_MESH, "tak-mesh", insp_tak_mesh_parse, "CotEvent type")                    \
	X(TAK_STREAM, "tak-stream", insp_tak_stream_parse, "CotEvent type")              \
	X(LABELLED_XML, "labelled-xml", insp_lxml_parse, "payload element's local name") \
	X(ADATP3, "adatp3", insp_adatp3_parse, "MSGID message type (field 1)")           \
	X(OBJECT, "object", insp_obj_parse, "the object's MIME type")

/** Message formats a channel may carry. */
enum insp_format {
#define INSP_FORMAT_ENUM(id, name, parse, key) INSP_FORMAT_##id,
	INSP_FORMATS(INSP_FORMAT_ENUM)
#undef INSP_FORMAT_ENUM
		INSP_FORMAT_COUNT,
};

typedef enum insp_reason (*insp_format_parse_fn)(const struct insp_policy *p, const uint8_t *buf,
						 size_t len, struct insp_msg *m);

struct insp_format_ops {
	const char *name;	    /**< as written in the policy ("cot") */
	insp_format_parse_fn parse; /**< see the contract above */
	const char *type_key;	    /**< what category hints and priorities match */
};

/** The table, indexed by enum insp_format. */
extern const struct insp_format_ops insp_formats[INSP_FORMAT_COUNT];

/** Format name as written in the policy ("cot") or NULL. */
const char *insp_format_name(enum insp_format f);

#ifdef __cplusplus
}
#endif
#endif
