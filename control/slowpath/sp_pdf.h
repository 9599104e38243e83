/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * PDF inspection: structure and active content with qpdf (its C API, qpdf/qpdf-c.h), the
 * text a reader sees with poppler-glib. Both read the object's bytes in memory (no
 * temporary files); nothing is followed outside the file.
 *
 * sp_pdf_scan() refuses, as bad_object:
 *  - what qpdf cannot read, with xref reconstruction turned off: a PDF that would need
 *    repair is refused, because a repaired file is whatever each reader's repair makes of
 *    it (the reviewer, poppler and the low-side viewer could each see a different
 *    document); any qpdf warning, while reading or walking, is treated the same way;
 *  - encryption of any kind, also with an empty user password: we cannot vouch for what we
 *    read through someone else's keys, and the object would leave encrypted;
 *  - bytes after the last %%EOF other than whitespace (a file appended to a PDF: polyglot);
 *  - more objects than the bound, nesting deeper than the bound.
 * It then walks EVERY object of the file, not only what the catalog reaches: each object
 * number below the trailer's /Size (and above it up to the highest "N G obj" in the
 * bytes) at generation 0, every "N G obj" with another generation found in the bytes, and
 * the trailer. Objects inside object streams are read through qpdf, so they are walked
 * like the others. Within an object every dictionary key and every name value is looked
 * at, in nested dictionaries and arrays and in stream dictionaries (not stream data: a
 * content stream's names are font and resource names, never actions). Names arrive
 * decoded by qpdf (/J#61vaScript is /JavaScript).
 *
 * Active content (refused: active_content), as a key or as a name value:
 *   /JavaScript /JS           scripts (actions, the document's JavaScript name tree)
 *   /Launch                   run a program or open a file
 *   /OpenAction /AA           actions run on opening, on page or field events: any, even a
 *                             harmless /GoTo, since a guard cannot tell them apart cheaply
 *   /EmbeddedFiles /EmbeddedFile /FileAttachment   files inside the file
 *   /XFA                      XML forms (scriptable)
 *   /RichMedia /Sound /Movie /Rendition            media players (Rendition can carry JS)
 *   /SubmitForm /ImportData   form data out to, or in from, a URL or a file
 *   /GoToR /GoToE             jump into another (remote, embedded) file
 * Links (not refused, reported for a reviewer): a /URI key (a URI action's target, or the
 * catalog's URI base). A link does not act by itself, but sending one into the other
 * domain is a decision a person should see: sp_object holds such a PDF for review even on
 * a channel with `release: direct`.
 *
 * Not active content here: /GoTo (within the file), /Named (next page, ...), /Hide,
 * /SetOCGState, /Thread, /Trans, and AcroForm fields without actions.
 */
#ifndef SP_PDF_H
#define SP_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "insp_inspect.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SP_PDF_FINDINGS_MAX 32	       /**< findings kept per PDF (all are counted) */
#define SP_PDF_NAME_MAX	    16	       /**< longest name reported, "/" and NUL included */
#define SP_PDF_URI_MAX	    160	       /**< URI bytes kept for the reviewer (cut, NUL included) */
#define SP_PDF_MAX_TEXT	    (4u << 20) /**< default bound on the extracted text, bytes */

/** Bounds of the PDF inspection; zero fields take the default. */
struct sp_pdf_limits {
	uint32_t max_objects; /**< object numbers walked, default 1000000 */
	uint32_t max_depth;   /**< nesting of arrays/dictionaries in one object, default 64 */
	uint32_t max_pages;   /**< pages, default 2000 */
	uint32_t max_text;    /**< extracted text bytes, default SP_PDF_MAX_TEXT */
};

enum sp_pdf_kind {
	SP_PDF_ACTIVE = 0, /**< active content: refused */
	SP_PDF_LINK,	   /**< a link (/URI): held for review */
};

/** One finding: a name in an object. */
struct sp_pdf_finding {
	uint8_t kind;		    /**< enum sp_pdf_kind */
	char what[SP_PDF_NAME_MAX]; /**< the name as qpdf decoded it, "/JavaScript" */
	int obj, gen;		    /**< object number and generation; 0 0 is the trailer */
	char uri[SP_PDF_URI_MAX];   /**< a link's URI string as written (cut), else "" */
};

/** What sp_pdf_scan() found (a report). */
struct sp_pdf_report {
	enum insp_reason reason;      /**< RELEASE, ACTIVE_CONTENT or BAD_OBJECT */
	char detail[INSP_DETAIL_MAX]; /**< "pdf: ..." unless RELEASE */
	uint32_t n_objects;	      /**< objects walked */
	int pages;		      /**< pages as qpdf counts them (-1 if not reached) */
	uint32_t n_active;	      /**< active content findings (not only those kept) */
	uint32_t n_links;	      /**< link findings */
	uint32_t n_findings;	      /**< kept, in file order: <= SP_PDF_FINDINGS_MAX */
	struct sp_pdf_finding findings[SP_PDF_FINDINGS_MAX];
};

/**
 * Structure and active content (the rules above). @p buf must stay valid during the call
 * (qpdf reads it in place). A finding is reported once per (name, object).
 * @return s->reason
 */
enum insp_reason sp_pdf_scan(const uint8_t *buf, size_t len, const struct sp_pdf_limits *lim,
			     struct sp_pdf_report *s);

/**
 * The text of every page with poppler-glib (poppler_page_get_text), pages joined with
 * '\n'. Made fit for the inspection envelope (insp_obj.h): invalid UTF-8 becomes U+FFFD,
 * control characters other than TAB, LF, CR, the C1 controls and U+FFFE/U+FFFF become a
 * space (a word boundary, as the control was).
 * @param expect_pages  qpdf's page count (sp_pdf_scan), or -1: poppler must agree, else the
 *   two readers see different documents (bad_object)
 * @param text  receives a malloc()ed, NUL-terminated string (free it), *text_len its length
 * @return INSP_R_RELEASE, or INSP_R_BAD_OBJECT with "pdf: ..." in @p detail (poppler
 *   cannot open it, more pages or text than the bounds, page counts differ)
 */
enum insp_reason sp_pdf_text(const uint8_t *buf, size_t len, const struct sp_pdf_limits *lim,
			     int expect_pages, char **text, size_t *text_len, char *detail,
			     size_t cap);

#ifdef __cplusplus
}
#endif
#endif
