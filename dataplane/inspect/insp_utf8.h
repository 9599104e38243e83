/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Strict UTF-8 for XML text: rejects overlong forms, surrogates, code points above
 * U+10FFFF, truncated sequences, and code points that are not XML 1.0 Chars (controls
 * other than TAB, LF, CR; U+FFFE, U+FFFF). Every XML-carrying format validates its whole
 * buffer with this before parsing, so later stages may assume valid UTF-8 (Hyperscan's
 * UTF-8 mode requires it).
 */
#ifndef INSP_UTF8_H
#define INSP_UTF8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @return 0 if @p buf is valid, else -1 with *bad_offset at the first offending byte.
 */
int insp_utf8_validate_xml(const uint8_t *buf, size_t len, size_t *bad_offset);

/**
 * Text a person reads: insp_utf8_validate_xml() and no C1 control (U+0080..U+009F: XML
 * Chars, but terminal escapes such as CSI). The slow path's text objects and the review
 * queue's texts are held to it.
 * @return 0 if @p buf is such text, else -1 with *bad_offset at the first offending byte.
 */
int insp_utf8_validate_text(const uint8_t *buf, size_t len, size_t *bad_offset);

/** Is @p cp an XML 1.0 Char? */
int insp_utf8_is_xml_char(uint32_t cp);

/**
 * Decode the character at @p s (@p left bytes remain) of text already validated as UTF-8.
 * *n gets its length. A lead byte that does not start a complete sequence (impossible after
 * validation) decodes as itself, one byte, so a caller never reads past @p left.
 */
static inline uint32_t
insp_utf8_decode(const uint8_t *s, size_t left, size_t *n)
{
	uint8_t c = s[0];
	uint32_t cp;

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	*n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c < 0xC2 || *n > left) {
		*n = 1;
		return c;
	}
	cp = c & (*n == 2 ? 0x1Fu : *n == 3 ? 0x0Fu : 0x07u);
	for (size_t k = 1; k < *n; k++)
		cp = (cp << 6) | (s[k] & 0x3Fu);
	return cp;
}

/** Encode @p cp (a valid scalar value) at @p out; returns bytes written (1-4). */
int insp_utf8_encode(uint32_t cp, uint8_t *out);

#ifdef __cplusplus
}
#endif
#endif
