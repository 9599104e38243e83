/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The object chunk datagram (docs/slowpath.md): the UDP payload on a channel with
 * `format: object`. An object (a PDF, an image, a text) crosses as a sequence of chunks,
 * each one datagram with a big-endian header in one of two versions.
 *
 * Version 1 (32 fixed bytes; the label is a marking string):
 *
 *     off len field
 *     0   4   magic "GOBJ"
 *     4   1   version = 1
 *     5   1   declared type: 1 text/plain, 2 application/pdf, 3 image/jpeg, 4 image/png
 *             (bit 7 must be 0 in version 1)
 *     6   1   label length L (1..255): the label as a marking string, printable ASCII
 *     7   1   originator length O (0..64): who sent it on the high side, [A-Za-z0-9._@-]
 *     8   8   object id (non-zero)
 *     16  4   chunk index (0 .. count-1)
 *     20  4   chunk count (1 .. 2^20)
 *     24  4   total length of the object in bytes (1 .. 2^31)
 *     28  4   offset of this chunk's data in the object
 *     32  L   label
 *     32+L O  originator
 *     32+L+O  data: the rest of the datagram, at least 1 byte
 *
 * Version 2 (34 fixed bytes; a marking string or a STANAG 4774 label, up to 4096 bytes):
 *
 *     off len field
 *     0   4   magic "GOBJ"
 *     4   1   version = 2
 *     5   1   bit 7 (0x80): the label is a STANAG 4774 confidentiality label as XML,
 *             else a marking string; bits 0-6: the declared type 1..4 as in version 1
 *     6   2   label length L (1..4096)
 *     8   1   originator length O (0..64), [A-Za-z0-9._@-]
 *     9   1   reserved, must be 0
 *     10  8   object id (non-zero)
 *     18  4   chunk index (0 .. count-1)
 *     22  4   chunk count (1 .. 2^20)
 *     26  4   total length of the object in bytes (1 .. 2^31)
 *     30  4   offset of this chunk's data in the object
 *     34  L   label
 *     34+L O  originator
 *     34+L+O  data: the rest of the datagram, at least 1 byte
 *
 * Label bytes: a marking string is printable ASCII (0x20..0x7e); a 4774 label is the XML
 * of one originatorConfidentialityLabel on one line: valid UTF-8 with no control
 * character (no NUL, TAB, CR, LF, DEL, U+0080..U+009F). The header parse checks bytes only;
 * that the XML is a 4774 label is checked when the object is decided (insp_obj.h).
 *
 * Pure library: no I/O, no allocation, no globals. Whether the chunks of one object agree
 * with each other (type, label, originator, count, total) is the reassembler's business.
 */
#ifndef INSP_CHUNK_H
#define INSP_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Declared (and real) object types; the numbers are the header's type byte. */
enum insp_obj_type {
	INSP_OBJ_NONE = 0,
	INSP_OBJ_TEXT = 1, /**< text/plain */
	INSP_OBJ_PDF,	   /**< application/pdf */
	INSP_OBJ_JPEG,	   /**< image/jpeg */
	INSP_OBJ_PNG,	   /**< image/png */
	INSP_OBJ_TYPE_COUNT
};

#define INSP_CHUNK_MAGIC	  "GOBJ"
#define INSP_CHUNK_VERSION	  1u	/**< marking strings up to 255 bytes */
#define INSP_CHUNK_VERSION2	  2u	/**< 16-bit label length, 4774 labels */
#define INSP_CHUNK_FIXED	  32u	/**< v1 header bytes before the label */
#define INSP_CHUNK_FIXED2	  34u	/**< v2 header bytes before the label */
#define INSP_CHUNK_LABEL_MAX_V1	  255u	/**< label length bound in version 1 */
#define INSP_CHUNK_LABEL_MAX	  4096u /**< label length bound (version 2) */
#define INSP_CHUNK_TYPE_4774	  0x80u /**< v2 type byte: the label is 4774 XML */
#define INSP_CHUNK_ORIGINATOR_MAX 64u	/**< originator length bound */
/**
 * Largest datagram of a released object (guard-control's release pump re-chunks to it): the
 * channel's max_size may allow jumbo datagrams, but the low side's links are not known to;
 * 1400 bytes of UDP payload fit a 1500-byte MTU behind IPv6 and a VLAN tag, so no released
 * chunk depends on IP fragmentation.
 */
#define INSP_CHUNK_RELEASE_DATAGRAM 1400u
#define INSP_CHUNK_COUNT_MAX	    (1u << 20)	 /**< chunks per object */
#define INSP_CHUNK_TOTAL_MAX	    (1ull << 31) /**< bytes per object */

/** MIME type of an object type ("application/pdf"), or NULL outside 1..4. */
const char *insp_obj_type_mime(unsigned t);

/** Object type (enum insp_obj_type) for a MIME type of @p n bytes, or -1 if unknown. */
int insp_obj_type_from_mime(const char *s, size_t n);

/** One parsed chunk; the pointers point into the datagram given to insp_chunk_parse(). */
struct insp_chunk {
	uint64_t object_id;
	uint32_t index, count, total_len, offset, data_len;
	uint8_t type;	    /**< enum insp_obj_type (the type byte's bits 0-6) */
	uint8_t label_4774; /**< 1: the label is a STANAG 4774 label (XML), 0: a marking */
	/**
	 * Parse: the header's version (1 or 2). Write: 0 picks version 1 for a marking of at
	 * most 255 bytes and version 2 otherwise; 1 or 2 asks for that version.
	 */
	uint8_t version;
	uint8_t originator_len;
	uint16_t label_len; /**< 1..255 in version 1, 1..INSP_CHUNK_LABEL_MAX in version 2 */
	const uint8_t *label, *originator, *data;
};

/**
 * Are the @p len label bytes at @p label allowed for a marking (@p is_4774 0: printable
 * ASCII) or a 4774 label (1: UTF-8 without control characters)?
 * @return 0, or -1 with *bad (may be NULL) at the first offending byte
 */
int insp_chunk_label_check(const uint8_t *label, size_t len, int is_4774, size_t *bad);

/** Fixed header bytes of the version insp_chunk_write() would write for @p c (32 or 34). */
size_t insp_chunk_fixed_len(const struct insp_chunk *c);

/**
 * Parse and check one chunk datagram (every rule of the header above).
 * @param detail  receives "object chunk: what is wrong" on refusal (may be NULL if @p cap is 0)
 * @return INSP_R_RELEASE with @p c filled, or INSP_R_MALFORMED_MESSAGE with @p detail set
 */
enum insp_reason insp_chunk_parse(const uint8_t *buf, size_t len, struct insp_chunk *c,
				  char *detail, size_t cap);

/**
 * Write header + label + originator + data of @p c (c->label_len, c->originator_len and
 * c->data_len bytes from its pointers) into @p out, in version c->version (0: version 1 if
 * the label is a marking of at most 255 bytes, else version 2).
 * @return bytes written (insp_chunk_fixed_len() + label_len + originator_len + data_len),
 *   or 0 if they do not fit in @p cap or the fields break a rule insp_chunk_parse() checks
 *   (a 4774 label or a label above 255 bytes in version 1 included)
 */
size_t insp_chunk_write(uint8_t *out, size_t cap, const struct insp_chunk *c);

#ifdef __cplusplus
}
#endif
#endif
