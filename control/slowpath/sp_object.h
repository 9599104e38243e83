/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The slow path's decision on one reassembled object (docs/slowpath.md):
 *
 *   channel and size -> label bytes -> type (sp_type.h: allowlist, declared == libmagic)
 *   -> by type:  text  its bytes are the text (sp_type.h's text rule already held)
 *                pdf   structure and active content (sp_pdf_scan), then the text (poppler)
 *                jpeg/png  CDR (sp_image_cdr); no text
 *   -> the inspection envelope (insp_obj.h) of label, real type, id and text
 *   -> insp_inspect() on the object channel: label, releasability, sharing, markings, terms
 *   -> outcome
 *
 * The first failing step decides, as in the fast path. Outcome:
 *   REFUSE   a step refused (reason: type_not_allowed, type_mismatch, active_content,
 *            bad_object, obj_oversize, or whatever insp_inspect() refused for but review);
 *            no content or text is kept
 *   REVIEW   insp_inspect() said review (a review term): reason review, its rule; or the
 *            object is clean but the channel says `release: review` (reason release,
 *            detail "policy: release: review"); or the PDF holds links (/URI), which a
 *            person must see whatever the channel says (reason review, detail "pdf: ...")
 *   RELEASE  clean, no links, and the channel says `release: direct`
 * REVIEW and RELEASE carry the content that would leave (the CDR image, the original PDF
 * or text bytes) and the text (what a reviewer reads).
 *
 * Findings (malloc()ed JSON text, always an array, "[]" if none), one object per finding:
 *   {"kind":"term","reason":"prohibited_content","rule":1001,"offset":0,"text":"operation
 * nightfall"} kind term (prohibited or review terms) or marking; reason the insp_reason name; rule
 *       the policy's id; offset where in the text (see sp_outcome.text_offset); text the
 *       pattern as the policy writes it (a phrase or a regex)
 *   {"kind":"active_content","what":"/JavaScript","where":"object 7 0"}
 *   {"kind":"link","what":"/URI","where":"object 9 0","uri":"https://example.org/"}
 *   {"kind":"truncated","active_content":40,"links":0}   more findings than were kept
 * where is "object N G" or "trailer". Strings are JSON-escaped (control characters \u00XX).
 *
 * Threads: one struct sp_ctx per thread (libmagic state and the envelope buffer), and an
 * insp_scratch per thread made with sp_scratch_size(); sp_image_init() once per process.
 */
#ifndef SP_OBJECT_H
#define SP_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "insp_chunk.h"
#include "insp_inspect.h"
#include "insp_policy.h"
#include "sp_pdf.h"
#include "sp_type.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Envelope bytes before the text: "GOBX 1\n", the label line (a marking of up to 255 bytes
 * or "label-4774: " and up to INSP_CHUNK_LABEL_MAX bytes of XML), type, id lines, blank line.
 */
#define SP_ENVELOPE_HEADER_MAX (INSP_CHUNK_LABEL_MAX + 256u)

/** Bounds of the inspection by type; zero fields take each module's default. */
struct sp_limits {
	uint64_t max_pixels;	  /**< images: width * height (default SP_IMAGE_MAX_PIXELS) */
	struct sp_pdf_limits pdf; /**< PDF: objects, depth, pages, text bytes */
};

/** One reassembled object (sp_reasm's output). */
struct sp_object {
	const uint8_t *data; /**< the object's bytes */
	size_t len;
	uint8_t declared_type; /**< chunk header's type byte (enum insp_obj_type) */
	const char *label;     /**< the label (not NUL-terminated): a marking string, or */
	size_t label_len;      /**< the XML of a STANAG 4774 label (label_4774 1) */
	uint8_t label_4774;    /**< 1: the envelope carries it as "label-4774: <XML>" */
	uint64_t id;	       /**< object id */
	uint32_t channel;      /**< policy channel index (a `format: object` channel) */
};

enum sp_kind {
	SP_REFUSE = 0,
	SP_REVIEW,
	SP_RELEASE,
};

/** "refuse", "review", "release". */
const char *sp_kind_name(enum sp_kind k);

struct sp_outcome {
	enum sp_kind kind;
	enum insp_reason reason;      /**< why (see above); release for a policy-held review */
	char detail[INSP_DETAIL_MAX]; /**< "" only for RELEASE */
	char *findings;		      /**< JSON array (malloc()ed, never NULL after a decision) */
	char *text;		      /**< REVIEW/RELEASE: text a reader sees (NUL-terminated) */
	size_t text_len;
	uint8_t *content; /**< REVIEW/RELEASE: the bytes that leave (malloc()ed) */
	size_t content_len;
	char mime[SP_MIME_MAX]; /**< real type by libmagic ("" if not asked) */
	uint8_t real_type;	/**< enum insp_obj_type (NONE if not one of the four) */
	uint8_t level;		/**< the label's NATO level (insp_result.level) */
	uint32_t rule_id;	/**< term/marking rule that decided, else 0 */
	/**
	 * Where in the text the decisive term or marking is: insp_inspect()'s offset minus the
	 * envelope header. The envelope's text is one scan unit, so this is where the text
	 * starts (0) unless the match could be located in it: a literal phrase is looked up
	 * in the text (ASCII caseless, any whitespace run between its words, the word
	 * boundaries of the pattern) and its first occurrence given. A match the scan found
	 * only after normalisation (folded accents, look-alike letters) or by a regex stays 0.
	 */
	uint32_t text_offset;
};

struct sp_ctx;

/** A thread's context: libmagic and working buffers. NULL with "why" in @p err. */
struct sp_ctx *sp_ctx_create(const struct sp_limits *lim, char *err, size_t cap);

void sp_ctx_free(struct sp_ctx *c);

/**
 * max_msg for insp_scratch_create() so that every envelope fits: the largest object_max of
 * @p p's object channels (a text object is its own text) or the PDF text bound, whichever
 * is larger, plus SP_ENVELOPE_HEADER_MAX.
 */
uint32_t sp_scratch_size(const struct insp_policy *p, const struct sp_limits *lim);

/**
 * Decide @p o (the pipeline above) with policy @p p, its scratch @p s, at @p now_ms.
 * @p out is overwritten (call sp_outcome_free() on it afterwards, whatever happened).
 * @return 0, or -1 if memory ran out: @p out is then REFUSE, bad_object, "slowpath: out of
 *   memory" (fail closed; the caller may count it apart)
 */
int sp_object_inspect(struct sp_ctx *c, const struct insp_policy *p, struct insp_scratch *s,
		      const struct sp_object *o, int64_t now_ms, struct sp_outcome *out);

/** Free what an outcome holds (findings, text, content) and zero those fields. */
void sp_outcome_free(struct sp_outcome *out);

#ifdef __cplusplus
}
#endif
#endif
