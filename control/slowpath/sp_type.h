/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The real type of an object, by content (libmagic), and the type check of the slow path:
 * the declared type (chunk header) must be on the channel's allowlist and must be what
 * libmagic finds. A sender cannot choose the inspection an object gets by lying about its
 * type: a PDF declared as a JPEG is type_mismatch, never "an image that failed to decode".
 *
 * libmagic looks at the first 64 KiB of the buffer (its compiled-in database, no
 * decompression, no looking inside archives): a polyglot (a JPEG with a ZIP after its
 * end) is the type of its start, and the per-type inspection that follows (CDR for
 * images, the PDF's trailing data check) removes or refuses the rest.
 *
 * text/plain is stricter than libmagic, which says text/plain for any ASCII, UTF-8 or
 * ISO-8859 text: here the whole buffer must be UTF-8 that insp_utf8_validate_xml()
 * accepts (no control character but TAB, LF, CR; no U+FFFE/U+FFFF) and hold no C1
 * control (U+0080..U+009F: U+009B is a terminal's CSI). Anything else is type
 * INSP_OBJ_NONE, so text declared text/plain that is not is type_mismatch.
 *
 * One struct sp_type per thread (a magic_t is not thread-safe); no globals.
 */
#ifndef SP_TYPE_H
#define SP_TYPE_H

#include <stddef.h>
#include <stdint.h>

#include "insp_chunk.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SP_MIME_MAX 64 /**< a MIME type string, NUL included (longer ones are cut) */

struct sp_type;

/**
 * Open libmagic (MAGIC_MIME_TYPE | MAGIC_ERROR, default database).
 * @return NULL with "why" in @p err (cap bytes) if libmagic cannot be opened or loaded
 */
struct sp_type *sp_type_create(char *err, size_t cap);

void sp_type_free(struct sp_type *t);

/**
 * Real type of buf[0..len): the enum insp_obj_type it maps to, INSP_OBJ_NONE if none of the
 * four. @p mime (SP_MIME_MAX bytes) receives what libmagic said ("application/zip"), with
 * text/plain that fails the UTF-8 rule above written "text/plain (not UTF-8 text)".
 * @return the type, or -1 if libmagic failed (mime then holds its error)
 */
int sp_type_detect(struct sp_type *t, const uint8_t *buf, size_t len, char mime[SP_MIME_MAX]);

/**
 * Is buf[0..len) text under the rule above? @return 0 yes, else -1 with *bad_offset at the
 * first offending byte.
 */
int sp_type_text_ok(const uint8_t *buf, size_t len, size_t *bad_offset);

/**
 * The type check: @p declared (the header's type byte) on @p allowed (bit 1 << type, the
 * channel's object_types), then declared == real.
 *   INSP_R_TYPE_NOT_ALLOWED  the declared type is not on the allowlist (libmagic not asked)
 *   INSP_R_TYPE_MISMATCH     libmagic's type differs, or it failed (fail closed)
 *   INSP_R_RELEASE           declared == real and allowed
 * @param real    receives the real type (INSP_OBJ_NONE if not asked or unknown)
 * @param mime    receives libmagic's MIME type ("" if not asked)
 * @param detail  "type: ..." on refusal, "" otherwise (INSP_DETAIL_MAX is enough)
 */
enum insp_reason sp_type_check(struct sp_type *t, const uint8_t *buf, size_t len, unsigned declared,
			       uint8_t allowed, int *real, char mime[SP_MIME_MAX], char *detail,
			       size_t cap);

#ifdef __cplusplus
}
#endif
#endif
