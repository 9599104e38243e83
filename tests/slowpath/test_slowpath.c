/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The slow path's object inspection (control/slowpath: sp_type, sp_pdf, sp_image,
 * sp_object) with the sample policy on channel objects_out: every file of the corpus that
 * tests/slowpath/make-corpus.py writes gets its expected outcome, reason and rule; the
 * PDF findings name the key and the object; the CDR images are re-read (libvips, and their
 * marker/chunk structure byte by byte) to show that EXIF/GPS, XMP, ICC, comments, text
 * chunks and appended payloads are gone. Then the channel's allowlist, `release: direct`
 * and max_object are changed in the loaded policy to reach type_not_allowed, direct
 * release (and the review a PDF link forces even then) and obj_oversize. Objects labelled
 * with a STANAG 4774 label go through sp_object with a label-4774 envelope.
 *
 * Usage: test_slowpath SAMPLE_POLICY CORPUS_DIR
 * Time is fixed: now = 2026-11-22T10:00:00Z.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "insp_chunk.h"
#include "insp_inspect.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "sp_image.h"
#include "sp_object.h"
#include "sp_pdf.h"
#include "sp_type.h"
#include "test.h"

#define T_NOW_MS INT64_C(1795341600000)
#define U_NATO	 "NATO UNCLASSIFIED//REL TO NATO"

static struct insp_policy *pol;
static struct insp_scratch *scr;
static struct sp_ctx *ctx;
static const char *corpus;
static uint32_t ch_obj;
static struct sp_outcome out;
static uint8_t label_4774; /* decide(): the label is a 4774 label (label-4774 envelope) */

/* tests/data/labels/nmbs.label.xml with its lines joined, at classification CLASS. */
#define L4774(CLASS)                                                                    \
	"<s4774:originatorConfidentialityLabel "                                        \
	"xmlns:s4774=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\">"        \
	"<s4774:ConfidentialityInformation><s4774:PolicyIdentifier>NATO</"              \
	"s4774:PolicyIdentifier><s4774:Classification>" CLASS "</s4774:Classification>" \
	"<s4774:Category Type=\"PERMISSIVE\" TagName=\"Releasable To\">"                \
	"<s4774:GenericValue>NATO</s4774:GenericValue></s4774:Category>"                \
	"</s4774:ConfidentialityInformation>"                                           \
	"<s4774:CreationDateTime>2026-06-26T12:47:51Z</s4774:CreationDateTime>"         \
	"</s4774:originatorConfidentialityLabel>"

static char *
corpus_file(const char *name, size_t *len)
{
	char path[4096];
	char *b;

	snprintf(path, sizeof(path), "%s/%s", corpus, name);
	b = test_read_file(path, len);
	if (b == NULL) {
		printf("# cannot read %s\n", path);
		*len = 0;
	}
	return b;
}

/* Decide file @p name declared as @p type with label @p label; out holds the outcome. */
static int
decide(const char *name, unsigned type, const char *label)
{
	size_t len;
	char *data = corpus_file(name, &len);
	struct sp_object o = {
		.data = (const uint8_t *)data,
		.len = len,
		.declared_type = (uint8_t)type,
		.label = label,
		.label_len = strlen(label),
		.label_4774 = label_4774,
		.id = 0x0123456789abcdefull,
		.channel = ch_obj,
	};
	int rc;

	sp_outcome_free(&out);
	rc = sp_object_inspect(ctx, pol, scr, &o, T_NOW_MS, &out);
	free(data);
	return rc;
}

/*
 * Expect an outcome: kind, reason, rule (0: none), and a substring of the findings and one
 * of the detail (NULL: not checked).
 */
static void
expect(const char *name, unsigned type, const char *label, enum sp_kind kind,
       enum insp_reason reason, uint32_t rule, const char *finding, const char *detail)
{
	int rc = decide(name, type, label);
	int ok = rc == 0 && out.kind == kind && out.reason == reason;

	CHECK(ok, "%s: %s %s", name, sp_kind_name(kind), insp_reason_name(reason));
	if (!ok)
		printf("#   got rc %d %s %s (%s) findings %s\n", rc, sp_kind_name(out.kind),
		       insp_reason_name(out.reason), out.detail,
		       out.findings ? out.findings : "(null)");
	CHECK(out.rule_id == rule, "%s: rule %u (got %u)", name, rule, out.rule_id);
	CHECK(out.findings != NULL && out.findings[0] == '[' &&
		      out.findings[strlen(out.findings) - 1] == ']',
	      "%s: findings are a JSON array", name);
	if (finding != NULL) {
		CHECK(out.findings != NULL && strstr(out.findings, finding) != NULL,
		      "%s: findings hold %s", name, finding);
		if (out.findings == NULL || strstr(out.findings, finding) == NULL)
			printf("#   findings: %s\n", out.findings ? out.findings : "(null)");
	}
	if (detail != NULL) {
		CHECK(strstr(out.detail, detail) != NULL, "%s: detail has '%s'", name, detail);
		if (strstr(out.detail, detail) == NULL)
			printf("#   detail: %s\n", out.detail);
	}
	if (kind == SP_REFUSE)
		CHECK(out.content == NULL && out.text == NULL && out.detail[0] != '\0',
		      "%s: refused: no content, no text, a detail", name);
	else
		CHECK(out.content != NULL && out.content_len > 0 && out.text != NULL,
		      "%s: %s: content and text", name, sp_kind_name(kind));
}

static void
test_pdf(void)
{
	expect("pdf-clean.pdf", INSP_OBJ_PDF, U_NATO, SP_REVIEW, INSP_R_RELEASE, 0, "[]",
	       "policy: release: review");
	CHECK(out.text != NULL &&
		      strstr(out.text, "Quarterly logistics summary for the coalition staff.") &&
		      strstr(out.text, "\nSecond page: weather is clear."),
	      "pdf-clean: poppler text, pages joined by LF");
	CHECK(out.level == INSP_LEVEL_UNCLASSIFIED, "pdf-clean: level UNCLASSIFIED");
	CHECK_STR(out.mime, "application/pdf", "pdf-clean: real type");
	{
		size_t len;
		char *orig = corpus_file("pdf-clean.pdf", &len);

		CHECK(orig && out.content_len == len && memcmp(out.content, orig, len) == 0,
		      "pdf-clean: the content is the original PDF");
		free(orig);
	}
	expect("pdf-js-openaction.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       "{\"kind\":\"active_content\",\"what\":\"/OpenAction\",\"where\":\"object 1 0\"}",
	       "/OpenAction");
	CHECK(strstr(out.findings, "\"what\":\"/JavaScript\",\"where\":\"object 6 0\"") &&
		      strstr(out.findings, "\"what\":\"/JS\",\"where\":\"object 6 0\""),
	      "pdf-js-openaction: /JavaScript and /JS in object 6 0");
	expect("pdf-launch.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       "\"what\":\"/Launch\",\"where\":\"object 6 0\"", "/Launch");
	expect("pdf-embedded.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       "\"what\":\"/EmbeddedFiles\",\"where\":\"object 1 0\"", NULL);
	CHECK(strstr(out.findings, "\"what\":\"/EmbeddedFile\",\"where\":\"object 7 0\""),
	      "pdf-embedded: the embedded file stream 7 0");
	expect("pdf-xfa.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       "\"what\":\"/XFA\",\"where\":\"object 1 0\"", "/XFA");
	/* /J#61vaScript and /J#53 are /JavaScript and /JS once qpdf has read them */
	expect("pdf-obfuscated.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       "\"what\":\"/JavaScript\",\"where\":\"object 7 0\"", "active content /J");
	CHECK(strstr(out.findings, "\"what\":\"/JS\",\"where\":\"object 7 0\"") != NULL,
	      "pdf-obfuscated: /J#53 is /JS");
	/* the same action compressed in an object stream: no "JavaScript" in the raw bytes */
	{
		size_t len;
		char *raw = corpus_file("pdf-objstm.pdf", &len);

		CHECK(raw && memmem(raw, len, "/ObjStm", 7) &&
			      !memmem(raw, len, "JavaScript", 10) && !memmem(raw, len, "J#61", 4),
		      "pdf-objstm: an object stream, the name not visible in the bytes");
		free(raw);
	}
	expect("pdf-objstm.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       "\"what\":\"/JavaScript\",\"where\":\"object 7 0\"", "object 7 0");
	CHECK(strstr(out.findings, "\"what\":\"/JS\",\"where\":\"object 7 0\"") != NULL,
	      "pdf-objstm: /JS too");
	expect("pdf-many.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       ",{\"kind\":\"truncated\",\"active_content\":80,\"links\":0}]", "(80 in all)");
	/* a link: held for a reviewer, with its target */
	expect("pdf-uri.pdf", INSP_OBJ_PDF, U_NATO, SP_REVIEW, INSP_R_REVIEW, 0,
	       "{\"kind\":\"link\",\"what\":\"/URI\",\"where\":\"object 6 0\","
	       "\"uri\":\"https://example.org/report?id=42\"}",
	       "link");
	/* the policy's terms and markings in the extracted text */
	expect("pdf-term.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_PROHIBITED_CONTENT, 1001,
	       "\"kind\":\"term\",\"reason\":\"prohibited_content\",\"rule\":1001", "1001");
	CHECK(out.text == NULL, "pdf-term: no text kept");
	expect("pdf-review.pdf", INSP_OBJ_PDF, U_NATO, SP_REVIEW, INSP_R_REVIEW, 3007,
	       "\"kind\":\"term\",\"reason\":\"review\",\"rule\":3007", "3007");
	CHECK(out.text && out.text_offset < out.text_len &&
		      strncmp(out.text + out.text_offset, "next of kin", 11) == 0,
	      "pdf-review: text_offset %u points at the term", out.text_offset);
	expect("pdf-marking.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_MARKING_INCONSISTENT,
	       2003, "\"kind\":\"marking\",\"reason\":\"marking_inconsistent\",\"rule\":2003",
	       NULL);
	expect("pdf-marking.pdf", INSP_OBJ_PDF, "NATO SECRET//REL TO NATO", SP_REVIEW,
	       INSP_R_RELEASE, 0, "[]", NULL);
	CHECK(out.level == INSP_LEVEL_SECRET, "pdf-marking under a SECRET label: level SECRET");
	/* broken, encrypted, polyglot */
	expect("pdf-truncated.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "pdf: ");
	expect("pdf-garbage.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "pdf: ");
	expect("pdf-badxref.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "qpdf");
	expect("pdf-trailing.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "after the last %%EOF");
	expect("pdf-encrypted.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "pdf: ");
	expect("pdf-encrypted-nopw.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0,
	       "[]", "encrypted");
}

/* JPEG markers before the scan: no APPn but APP0 (JFIF), no COM; the file ends at EOI. */
static int
jpeg_clean_structure(const uint8_t *b, size_t n, char *why, size_t cap)
{
	size_t i = 2;

	if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return snprintf(why, cap, "no SOI"), 0;
	if (b[n - 2] != 0xFF || b[n - 1] != 0xD9)
		return snprintf(why, cap, "does not end with EOI"), 0;
	while (i + 4 <= n) {
		uint8_t m = b[i + 1];
		size_t seg;

		if (b[i] != 0xFF)
			return snprintf(why, cap, "no marker at %zu", i), 0;
		if (m == 0xDA) /* SOS: entropy-coded data follows until EOI */
			return 1;
		if ((m >= 0xE1 && m <= 0xEF) || m == 0xFE)
			return snprintf(why, cap, "marker 0x%02x at %zu", m, i), 0;
		seg = ((size_t)b[i + 2] << 8) | b[i + 3];
		i += 2 + seg;
	}
	return snprintf(why, cap, "no SOS"), 0;
}

/* PNG chunks: only IHDR, PLTE, IDAT, IEND and pHYs; the file ends at IEND's CRC. */
static int
png_clean_structure(const uint8_t *b, size_t n, char *why, size_t cap)
{
	size_t i = 8;

	while (i + 12 <= n) {
		uint32_t len = (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 |
			       (uint32_t)b[i + 2] << 8 | b[i + 3];
		const char *t = (const char *)b + i + 4;

		if (memcmp(t, "IHDR", 4) && memcmp(t, "PLTE", 4) && memcmp(t, "IDAT", 4) &&
		    memcmp(t, "IEND", 4) && memcmp(t, "pHYs", 4))
			return snprintf(why, cap, "chunk %.4s", t), 0;
		if (memcmp(t, "IEND", 4) == 0)
			return i + 12 == n ? 1 : (snprintf(why, cap, "bytes after IEND"), 0);
		i += 12 + (size_t)len;
	}
	return snprintf(why, cap, "no IEND"), 0;
}

/* Metadata fields vips finds in an image (buffer); "" if none. */
static void
vips_meta(const uint8_t *b, size_t n, char *got, size_t cap, int *w, int *h)
{
	VipsImage *im = vips_image_new_from_buffer(b, n, "", NULL);
	size_t k = 0;

	got[0] = '\0';
	*w = *h = -1;
	if (im == NULL) {
		snprintf(got, cap, "(vips cannot read it: %s)", vips_error_buffer());
		vips_error_clear();
		return;
	}
	*w = vips_image_get_width(im);
	*h = vips_image_get_height(im);
	gchar **f = vips_image_get_fields(im);
	for (int i = 0; f[i] != NULL; i++)
		if (strstr(f[i], "exif") || strstr(f[i], "xmp") || strstr(f[i], "icc") ||
		    strstr(f[i], "comment") || strstr(f[i], "iptc") || strstr(f[i], "gps"))
			k += (size_t)snprintf(got + k, k < cap ? cap - k : 0, "%s ", f[i]);
	g_strfreev(f);
	g_object_unref(im);
}

static void
expect_cdr(const char *name, unsigned type, const char *must_be_gone, const char *orig_meta)
{
	size_t len;
	char *orig = corpus_file(name, &len);
	char meta[512], why[128] = "";
	int w0, h0, w, h, ok;

	expect(name, type, U_NATO, SP_REVIEW, INSP_R_RELEASE, 0, "[]", "policy: release: review");
	if (out.content == NULL || orig == NULL) {
		free(orig);
		return;
	}
	CHECK(out.text_len == 0, "%s: an image has no text", name);
	CHECK(strcmp(out.mime, type == INSP_OBJ_JPEG ? "image/jpeg" : "image/png") == 0,
	      "%s: real type %s", name, out.mime);
	vips_meta((const uint8_t *)orig, len, meta, sizeof(meta), &w0, &h0);
	if (orig_meta != NULL)
		CHECK(strstr(meta, orig_meta) != NULL, "%s: the original has %s (%s)", name,
		      orig_meta, meta);
	vips_meta(out.content, out.content_len, meta, sizeof(meta), &w, &h);
	CHECK(meta[0] == '\0', "%s: the CDR output has no EXIF/XMP/ICC/comment (%s)", name, meta);
	CHECK(w == w0 && h == h0 && w > 0, "%s: same size %dx%d", name, w, h);
	ok = type == INSP_OBJ_JPEG ? jpeg_clean_structure(out.content, out.content_len, why, 128)
				   : png_clean_structure(out.content, out.content_len, why, 128);
	CHECK(ok, "%s: output structure clean (%s)", name, why);
	if (must_be_gone != NULL)
		CHECK(!memmem(out.content, out.content_len, must_be_gone, strlen(must_be_gone)),
		      "%s: '%s' is gone", name, must_be_gone);
	free(orig);
}

static void
test_images(void)
{
	expect_cdr("jpeg-clean.jpg", INSP_OBJ_JPEG, NULL, NULL);
	/* the whole comment: three bytes like "31U" occur in compressed pixels by chance */
	expect_cdr("jpeg-gps.jpg", INSP_OBJ_JPEG, "cache at grid 31U", "exif-data");
	{
		size_t len;
		char *orig = corpus_file("jpeg-gps.jpg", &len);
		char meta[512];
		int w, h;

		vips_meta((const uint8_t *)orig, len, meta, sizeof(meta), &w, &h);
		CHECK(strstr(meta, "xmp-data") && strstr(meta, "icc-profile-data") &&
			      strstr(meta, "exif-ifd3-GPSLatitude") && orig &&
			      memmem(orig, len, "cache at grid 31U", 17),
		      "jpeg-gps: the original has GPS, XMP, ICC and the comment");
		free(orig);
	}
	{
		char meta[512];
		int w, h;

		expect("jpeg-rotated.jpg", INSP_OBJ_JPEG, U_NATO, SP_REVIEW, INSP_R_RELEASE, 0,
		       "[]", NULL);
		vips_meta(out.content, out.content_len, meta, sizeof(meta), &w, &h);
		CHECK(w == 240 && h == 320 && meta[0] == '\0',
		      "jpeg-rotated: orientation 6 applied to the pixels (%dx%d), no tag left", w,
		      h);
	}
	expect_cdr("jpeg-polyglot-zip.jpg", INSP_OBJ_JPEG, "PK\x03\x04", NULL);
	expect_cdr("jpeg-polyglot-pdf.jpg", INSP_OBJ_JPEG, "%PDF", NULL);
	expect_cdr("png-clean.png", INSP_OBJ_PNG, NULL, NULL);
	expect_cdr("png-text.png", INSP_OBJ_PNG, "grid 31U", NULL);
	{
		size_t len;
		char *orig = corpus_file("png-text.png", &len);

		CHECK(orig && memmem(orig, len, "tEXtComment", 11) &&
			      memmem(orig, len, "grid 31U", 8),
		      "png-text: the original has the tEXt chunk");
		free(orig);
	}
	expect_cdr("png-polyglot-zip.png", INSP_OBJ_PNG, "PK\x03\x04", NULL);
	expect("png-bomb.png", INSP_OBJ_PNG, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "100000 x 100000 pixels, above the bound");
	expect("jpeg-truncated.jpg", INSP_OBJ_JPEG, U_NATO, SP_REFUSE, INSP_R_BAD_OBJECT, 0, "[]",
	       "image: ");
	/* declared one thing, another by content */
	expect("spoof-pdf-as-jpeg.jpg", INSP_OBJ_JPEG, U_NATO, SP_REFUSE, INSP_R_TYPE_MISMATCH, 0,
	       "[]", "declared image/jpeg, content is application/pdf");
	expect("jpeg-clean.jpg", INSP_OBJ_PNG, U_NATO, SP_REFUSE, INSP_R_TYPE_MISMATCH, 0, "[]",
	       "declared image/png, content is image/jpeg");
	expect("zip-as-pdf.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_TYPE_MISMATCH, 0, "[]",
	       "application/zip");
}

static void
test_text(void)
{
	expect("text-clean.txt", INSP_OBJ_TEXT, U_NATO, SP_REVIEW, INSP_R_RELEASE, 0, "[]",
	       "policy: release: review");
	CHECK(out.text_len == out.content_len && memcmp(out.text, out.content, out.text_len) == 0,
	      "text-clean: text and content are the bytes");
	expect("text-term.txt", INSP_OBJ_TEXT, U_NATO, SP_REFUSE, INSP_R_PROHIBITED_CONTENT, 1002,
	       "\"rule\":1002,\"offset\":18,\"text\":\"blue sentinel\"", "1002");
	expect("text-review.txt", INSP_OBJ_TEXT, U_NATO, SP_REVIEW, INSP_R_REVIEW, 3007,
	       "\"offset\":16", NULL);
	expect("text-badutf8.txt", INSP_OBJ_TEXT, U_NATO, SP_REFUSE, INSP_R_TYPE_MISMATCH, 0, "[]",
	       "byte 0xff at offset 29");
	expect("text-latin1.txt", INSP_OBJ_TEXT, U_NATO, SP_REFUSE, INSP_R_TYPE_MISMATCH, 0, "[]",
	       "not UTF-8");
	expect("text-escape.txt", INSP_OBJ_TEXT, U_NATO, SP_REFUSE, INSP_R_TYPE_MISMATCH, 0, "[]",
	       "byte 0x1b");
	/* label problems are insp_inspect()'s, on the envelope */
	expect("text-clean.txt", INSP_OBJ_TEXT, "NATO COSMIC TOP SECRET//REL TO NATO", SP_REFUSE,
	       INSP_R_OVER_CLASSIFIED, 0, "[]", NULL);
	expect("text-clean.txt", INSP_OBJ_TEXT, "NATO SECRET//REL TO USA", SP_REFUSE,
	       INSP_R_NOT_RELEASABLE, 0, "[]", NULL);
	expect("text-clean.txt", INSP_OBJ_TEXT, "NATO SECRET\ntype: text/plain", SP_REFUSE,
	       INSP_R_BAD_LABEL, 0, "[]", "label byte 0x0a");
	expect("text-clean.txt", INSP_OBJ_TEXT, "SECRETISH", SP_REFUSE, INSP_R_BAD_LABEL, 0, "[]",
	       NULL);
}

/* Objects whose chunks carried a STANAG 4774 label: the envelope's label-4774 line. */
static void
test_label_4774(void)
{
	struct insp_channel *ch = &pol->channels[ch_obj];
	struct insp_channel saved = *ch;

	label_4774 = 1;
	expect("text-clean.txt", INSP_OBJ_TEXT, L4774("UNCLASSIFIED"), SP_REVIEW, INSP_R_RELEASE, 0,
	       "[]", "policy: release: review");
	CHECK(out.level == INSP_LEVEL_UNCLASSIFIED, "4774 label: level UNCLASSIFIED (%u)",
	      out.level);
	expect("pdf-clean.pdf", INSP_OBJ_PDF, L4774("RESTRICTED"), SP_REVIEW, INSP_R_RELEASE, 0,
	       "[]", NULL);
	CHECK(out.level == INSP_LEVEL_RESTRICTED, "4774 label: level RESTRICTED (%u)", out.level);
	expect("text-term.txt", INSP_OBJ_TEXT, L4774("UNCLASSIFIED"), SP_REFUSE,
	       INSP_R_PROHIBITED_CONTENT, 1002, NULL, "1002");
	expect("text-clean.txt", INSP_OBJ_TEXT, L4774("COSMIC TOP SECRET"), SP_REFUSE,
	       INSP_R_OVER_CLASSIFIED, 0, "[]", NULL);
	expect("text-clean.txt", INSP_OBJ_TEXT, "<s4774:originatorConfidentialityLabel", SP_REFUSE,
	       INSP_R_BAD_LABEL, 0, "[]", "label-4774");
	expect("text-clean.txt", INSP_OBJ_TEXT, "<label>NATO UNCLASSIFIED</label>", SP_REFUSE,
	       INSP_R_BAD_LABEL, 0, "[]", "not one STANAG 4774 label");
	expect("text-clean.txt", INSP_OBJ_TEXT, "<a>\r\ntype: text/plain</a>", SP_REFUSE,
	       INSP_R_BAD_LABEL, 0, "[]", "label byte 0x0d");
	ch->object_release = INSP_OBJ_RELEASE_DIRECT;
	expect("text-clean.txt", INSP_OBJ_TEXT, L4774("UNCLASSIFIED"), SP_RELEASE, INSP_R_RELEASE,
	       0, "[]", "");
	*ch = saved;
	/* the same XML as a marking string is no marking */
	label_4774 = 0;
	expect("text-clean.txt", INSP_OBJ_TEXT, L4774("UNCLASSIFIED"), SP_REFUSE, INSP_R_BAD_LABEL,
	       0, "[]", NULL);
}

/* The channel's object keys, changed in the loaded policy and put back. */
static void
test_channel_policy(void)
{
	struct insp_channel *ch = &pol->channels[ch_obj];
	struct insp_channel saved = *ch;

	ch->object_types = 1u << INSP_OBJ_PDF;
	expect("png-clean.png", INSP_OBJ_PNG, U_NATO, SP_REFUSE, INSP_R_TYPE_NOT_ALLOWED, 0, "[]",
	       "declared image/png is not allowed");
	/* not allowed wins over a spoofed type: libmagic is not even asked */
	expect("spoof-pdf-as-jpeg.jpg", INSP_OBJ_JPEG, U_NATO, SP_REFUSE, INSP_R_TYPE_NOT_ALLOWED,
	       0, "[]", NULL);
	CHECK(out.mime[0] == '\0', "type_not_allowed: libmagic not asked");
	expect("pdf-clean.pdf", INSP_OBJ_PDF, U_NATO, SP_REVIEW, INSP_R_RELEASE, 0, "[]", NULL);
	*ch = saved;

	ch->object_release = INSP_OBJ_RELEASE_DIRECT;
	expect("pdf-clean.pdf", INSP_OBJ_PDF, U_NATO, SP_RELEASE, INSP_R_RELEASE, 0, "[]", "");
	CHECK(out.detail[0] == '\0', "direct release: no detail");
	expect("jpeg-gps.jpg", INSP_OBJ_JPEG, U_NATO, SP_RELEASE, INSP_R_RELEASE, 0, "[]", NULL);
	expect("text-clean.txt", INSP_OBJ_TEXT, U_NATO, SP_RELEASE, INSP_R_RELEASE, 0, "[]", NULL);
	/* a link is a person's decision, whatever the channel says */
	expect("pdf-uri.pdf", INSP_OBJ_PDF, U_NATO, SP_REVIEW, INSP_R_REVIEW, 0,
	       "\"kind\":\"link\"", NULL);
	expect("text-review.txt", INSP_OBJ_TEXT, U_NATO, SP_REVIEW, INSP_R_REVIEW, 3007, NULL,
	       NULL);
	expect("pdf-js-openaction.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_ACTIVE_CONTENT, 0,
	       NULL, NULL);
	*ch = saved;

	ch->object_max = 100;
	expect("pdf-clean.pdf", INSP_OBJ_PDF, U_NATO, SP_REFUSE, INSP_R_OBJ_OVERSIZE, 0, "[]",
	       "max_object 100");
	*ch = saved;
}

/* sp_pdf and sp_type on their own: bounds and the text rule. */
static void
test_modules(void)
{
	struct sp_pdf_limits lim;
	struct sp_pdf_report *s = calloc(1, sizeof(*s));
	char detail[INSP_DETAIL_MAX], mime[SP_MIME_MAX];
	char *text = NULL;
	size_t len, tl, bad;
	char *pdf = corpus_file("pdf-clean.pdf", &len);
	struct sp_type *t;

	CHECK(sp_pdf_scan((const uint8_t *)pdf, len, NULL, s) == INSP_R_RELEASE && s->pages == 2 &&
		      s->n_objects >= 7,
	      "sp_pdf_scan: clean, 2 pages, %u objects", s->n_objects);
	lim = (struct sp_pdf_limits){.max_objects = 3};
	CHECK(sp_pdf_scan((const uint8_t *)pdf, len, &lim, s) == INSP_R_BAD_OBJECT &&
		      strstr(s->detail, "above 3 objects"),
	      "sp_pdf_scan: object bound (%s)", s->detail);
	lim = (struct sp_pdf_limits){.max_depth = 1};
	CHECK(sp_pdf_scan((const uint8_t *)pdf, len, &lim, s) == INSP_R_BAD_OBJECT &&
		      strstr(s->detail, "nests deeper than 1"),
	      "sp_pdf_scan: depth bound (%s)", s->detail);
	lim = (struct sp_pdf_limits){.max_pages = 1};
	CHECK(sp_pdf_text((const uint8_t *)pdf, len, &lim, -1, &text, &tl, detail,
			  sizeof(detail)) == INSP_R_BAD_OBJECT &&
		      strstr(detail, "2 pages, above the bound of 1"),
	      "sp_pdf_text: page bound (%s)", detail);
	lim = (struct sp_pdf_limits){.max_text = 20};
	CHECK(sp_pdf_text((const uint8_t *)pdf, len, &lim, -1, &text, &tl, detail,
			  sizeof(detail)) == INSP_R_BAD_OBJECT &&
		      strstr(detail, "text above the bound of 20 bytes"),
	      "sp_pdf_text: text bound (%s)", detail);
	CHECK(sp_pdf_text((const uint8_t *)pdf, len, NULL, 3, &text, &tl, detail, sizeof(detail)) ==
			      INSP_R_BAD_OBJECT &&
		      strstr(detail, "qpdf counts 3 pages, poppler 2"),
	      "sp_pdf_text: page counts must agree (%s)", detail);
	CHECK(text == NULL, "sp_pdf_text: no text on refusal");
	free(pdf);
	free(s);

	t = sp_type_create(detail, sizeof(detail));
	CHECK(t != NULL, "sp_type_create");
	CHECK(sp_type_text_ok((const uint8_t *)"ok \xC3\xA9\t\n", 7, &bad) == 0,
	      "text rule: UTF-8, TAB, LF");
	CHECK(sp_type_text_ok((const uint8_t *)"a\xC2\x9B"
					       "b",
			      4, &bad) != 0 &&
		      bad == 1,
	      "text rule: C1 CSI refused");
	CHECK(sp_type_text_ok((const uint8_t *)"a\xC0\xAF", 3, &bad) != 0, "text rule: overlong");
	CHECK(sp_type_detect(t, (const uint8_t *)"plain\n", 6, mime) == INSP_OBJ_TEXT &&
		      strcmp(mime, "text/plain") == 0,
	      "sp_type_detect: text/plain");
	CHECK(sp_type_detect(t, (const uint8_t *)"\x00\x01\x02\x03", 4, mime) == INSP_OBJ_NONE,
	      "sp_type_detect: binary is none (%s)", mime);
	sp_type_free(t);
}

/*
 * Damaged files (one byte changed, deterministic positions) through the PDF and image
 * code: no crash (the ASan build runs this too), and every answer one of the documented.
 */
static void
test_mutations(void)
{
	static const char *const pdfs[] = {"pdf-objstm.pdf", "pdf-clean.pdf", "pdf-uri.pdf"};
	struct sp_pdf_report *s = calloc(1, sizeof(*s));
	char detail[INSP_DETAIL_MAX];
	struct sp_image_info info;
	int bad = 0, n = 0;

	for (size_t f = 0; f < sizeof(pdfs) / sizeof(pdfs[0]); f++) {
		size_t len;
		char *orig = corpus_file(pdfs[f], &len);

		for (unsigned i = 0; orig != NULL && i < 200; i++, n++) {
			uint8_t *m = malloc(len);
			char *text = NULL;
			size_t tl;
			enum insp_reason r;

			memcpy(m, orig, len);
			m[(i * 7919u) % len] ^= (uint8_t)(1u + i * 37u);
			r = sp_pdf_scan(m, len, NULL, s);
			if (r == INSP_R_RELEASE)
				r = sp_pdf_text(m, len, NULL, s->pages, &text, &tl, detail,
						sizeof(detail));
			bad += r != INSP_R_RELEASE && r != INSP_R_ACTIVE_CONTENT &&
			       r != INSP_R_BAD_OBJECT;
			free(text);
			free(m);
		}
		free(orig);
	}
	for (unsigned t = INSP_OBJ_JPEG; t <= INSP_OBJ_PNG; t++) {
		size_t len;
		char *orig =
			corpus_file(t == INSP_OBJ_JPEG ? "jpeg-clean.jpg" : "png-clean.png", &len);

		for (unsigned i = 0; orig != NULL && i < 60; i++, n++) {
			uint8_t *m = malloc(len), *o = NULL;
			size_t ol;
			enum insp_reason r;

			memcpy(m, orig, len);
			/* the headers and the first part of the data, where a change matters most
			 */
			m[(i * 131u) % (len < 4096 ? len : 4096)] ^= (uint8_t)(1u + i * 37u);
			r = sp_image_cdr(t, m, len, 0, &o, &ol, &info, detail, sizeof(detail));
			bad += r != INSP_R_RELEASE && r != INSP_R_BAD_OBJECT;
			bad += (r == INSP_R_RELEASE) != (o != NULL);
			free(o);
			free(m);
		}
		free(orig);
	}
	CHECK(bad == 0 && n == 720, "%d damaged PDFs and images: only documented answers", n);
	free(s);
}

int
main(int argc, char **argv)
{
	struct insp_err err;
	char why[256];

	if (argc != 3) {
		fprintf(stderr, "usage: %s SAMPLE_POLICY CORPUS_DIR\n", argv[0]);
		return 2;
	}
	corpus = argv[2];
	pol = pc_policy_load_file(argv[1], &err);
	if (pol == NULL) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	ch_obj = UINT32_MAX;
	for (uint32_t i = 0; i < pol->n_channels; i++)
		if (strcmp(pol->channels[i].name, "objects_out") == 0)
			ch_obj = i;
	if (ch_obj == UINT32_MAX) {
		printf("Bail out! no channel objects_out in %s\n", argv[1]);
		return 1;
	}
	if (sp_image_init(argv[0], why, sizeof(why)) != 0 ||
	    (ctx = sp_ctx_create(NULL, why, sizeof(why))) == NULL) {
		printf("Bail out! %s\n", why);
		return 1;
	}
	scr = insp_scratch_create(pol, sp_scratch_size(pol, NULL));
	if (scr == NULL) {
		printf("Bail out! insp_scratch_create\n");
		return 1;
	}
	CHECK(pol->channels[ch_obj].object_release == INSP_OBJ_RELEASE_REVIEW &&
		      pol->channels[ch_obj].object_types ==
			      ((1u << INSP_OBJ_TEXT) | (1u << INSP_OBJ_PDF) |
			       (1u << INSP_OBJ_JPEG) | (1u << INSP_OBJ_PNG)),
	      "objects_out: all four types, release: review");
	test_pdf();
	test_images();
	test_text();
	test_label_4774();
	test_channel_policy();
	test_modules();
	test_mutations();
	sp_outcome_free(&out);
	insp_scratch_free(scr);
	sp_ctx_free(ctx);
	pc_policy_free(pol);
	sp_image_shutdown();
	return test_done();
}
