/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The matching forms of a scan unit (insp_norm.h, insp_fold.h, insp_skel.h): what a reader
 * perceives, class by class, and the literal forms the policy compiles.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "insp_fold.h"
#include "insp_norm.h"
#include "insp_skel.h"
#include "test.h"

static struct insp_norm_info info;
static long last_rc;

/* One unit of NUL-terminated pieces (NULL-terminated list) in @p flags; "" on error. */
static const char *
form_of(uint32_t flags, const char *const *pieces)
{
	static char out[1024];
	struct insp_str s[8];
	uint32_t n = 0;

	for (; pieces[n] != NULL && n < 8; n++)
		s[n] = (struct insp_str){(const uint8_t *)pieces[n], (uint32_t)strlen(pieces[n])};
	last_rc = insp_norm_text(s, n, flags, (uint8_t *)out, sizeof(out) - 1, &info);
	out[last_rc < 0 ? 0 : last_rc] = '\0';
	return out;
}

#define FOLDED(...)   form_of(0, (const char *const[]){__VA_ARGS__, NULL})
#define SKELETON(...) form_of(INSP_NORM_SKELETON, (const char *const[]){__VA_ARGS__, NULL})
#define VISUAL(...) \
	form_of(INSP_NORM_ALLOW_BIDI | INSP_NORM_VISUAL, (const char *const[]){__VA_ARGS__, NULL})

static void
test_ascii(void)
{
	CHECK_STR(FOLDED("Operation NIGHTFALL, 12:00Z\tok"), "Operation NIGHTFALL, 12:00Z\tok",
		  "ASCII is copied as it is (case kept: the caseless flag covers it)");
	CHECK(!info.non_ascii, "ASCII needs no skeleton form");
	CHECK_STR(FOLDED("blue\x7fsentinel"), "bluesentinel", "DEL is deleted");
	CHECK_STR(SKELETON("Blue SENTINEL 1"), "blue sentinel 1",
		  "skeleton form of ASCII: lower case only (no rn/m, 1/l folding)");
	CHECK_STR(FOLDED("blue ", "sentinel"), "blue sentinel", "pieces are joined");
}

static void
test_spaces_and_invisibles(void)
{
	CHECK_STR(FOLDED("blue\xc2\xa0sentinel"), "blue sentinel", "NBSP is a space");
	CHECK_STR(FOLDED("blue\xe3\x80\x80sentinel"), "blue sentinel", "ideographic space");
	CHECK_STR(FOLDED("blue\xe3\x85\xa4sentinel"), "blue sentinel", "U+3164 Hangul filler");
	CHECK_STR(FOLDED("blue\xef\xbe\xa0sentinel"), "blue sentinel", "U+FFA0 halfwidth filler");
	CHECK_STR(FOLDED("blue\xe1\x85\x9fsentinel"), "blue sentinel", "U+115F choseong filler");
	CHECK_STR(FOLDED("blue\xe1\x85\xa0sentinel"), "blue sentinel", "U+1160 jungseong filler");
	CHECK_STR(FOLDED("blue\xe2\xa0\x80sentinel"), "blue sentinel", "U+2800 braille blank");
	CHECK_STR(FOLDED("blue\xc2\x85sentinel"), "blue sentinel", "NEL is a line end");
	CHECK_STR(FOLDED("sen\xe2\x80\x8btinel"), "sentinel", "zero-width space deleted");
	CHECK_STR(FOLDED("sen\xc2\xadtinel"), "sentinel", "soft hyphen deleted");
	CHECK_STR(FOLDED("sen\xef\xbf\xb9ti\xef\xbf\xbanel\xef\xbf\xbb"), "sentinel",
		  "interlinear annotation characters (U+FFF9-FFFB) deleted");
	CHECK_STR(FOLDED("sen\xf0\x93\x90\xb0tinel"), "sentinel",
		  "Egyptian hieroglyph format control (U+13430) deleted");
	CHECK_STR(FOLDED("sen\xf3\xa0\x80\x81tinel"), "sentinel", "tag character deleted");
	CHECK_STR(FOLDED("sen\xc2\x80tinel"), "sentinel", "C1 control deleted");
	CHECK_STR(FOLDED("sen\xef\xb8\x8ftinel"), "sentinel", "variation selector deleted");
	CHECK_STR(FOLDED("sen\xcd\x8ftinel"), "sentinel", "combining grapheme joiner deleted");
	CHECK_STR(FOLDED("sen\xd8\x9ctinel"), "sentinel", "Arabic letter mark deleted");
}

static void
test_marks_compat_case(void)
{
	CHECK_STR(FOLDED("sen\xcc\xb2tinel"), "sentinel", "U+0332 combining low line removed");
	CHECK_STR(FOLDED("s\xcc\x81\xcc\x88\xcc\xa3\xe2\x83\x9d"
			 "entinel"),
		  "sentinel", "several marks, enclosing circle (Me) too");
	CHECK_STR(FOLDED("TR\xc3\x88S SECRET"), "TRES SECRET",
		  "precomposed accent: decomposed, mark removed");
	CHECK(!info.non_ascii, "accented Latin folds to ASCII: no skeleton form needed");
	FOLDED("\xd0\x92LUE");
	CHECK(info.non_ascii, "Cyrillic stays non-ASCII: a skeleton form too");
	CHECK_STR(FOLDED("\xef\xbc\xa2\xef\xbc\xac\xef\xbc\xb5\xef\xbc\xa5"), "BLUE",
		  "fullwidth letters: ASCII, case kept");
	CHECK_STR(FOLDED("\xef\xbd\x8b"
			 "eymat"),
		  "keymat", "fullwidth k");
	CHECK_STR(FOLDED("\xe2\x84\xaa"
			 "eymat"),
		  "Keymat", "Kelvin sign is K");
	CHECK_STR(FOLDED("\xef\xac\x85"), "st", "ligature U+FB05 is st");
	CHECK_STR(FOLDED("\xef\xac\x81re"), "fire", "ligature fi");
	CHECK_STR(FOLDED("GLA\xe1\xba\x9e"), "GLAss", "capital sharp s is ss (full case folding)");
	CHECK_STR(FOLDED("SENT\xc4\xb0NEL"), "SENTINEL", "capital I with dot: I");
	CHECK_STR(FOLDED("\xce\xa3\xcf\x83"), "\xcf\x83\xcf\x83", "Greek sigma folded");
	CHECK_STR(FOLDED("\xe2\x91\xb4"), "(1)", "parenthesised digit (compatibility)");
	CHECK_STR(FOLDED("\xf0\x9d\x90\x81\xf0\x9d\x90\x8b"), "BL", "mathematical bold letters");
	CHECK_STR(FOLDED("M\xc3\xbcnchen \xc5\x81\xc3\xb3\x64\xc5\xba"), "Munchen \xc5\x82odz",
		  "accented names: accents go, letters stay");
}

static void
test_skeleton(void)
{
	/* Cyrillic В, Е, Ѕ, Т, І, Н in place of Latin letters */
	CHECK_STR(SKELETON("\xd0\x92LU\xd0\x95 \xd0\x85\xd0\x95N\xd0\xa2\xd0\x86N\xd0\x95L"),
		  "blue sentinel", "Cyrillic capitals read as Latin");
	CHECK_STR(SKELETON("blu\xd0\xb5 s\xd0\xb5ntin\xd0\xb5l"), "blue sentinel",
		  "Cyrillic small ie");
	CHECK_STR(SKELETON("\xce\xa4\xce\x91\xce\x9d\xce\x9a"), "tank", "Greek capitals");
	CHECK_STR(SKELETON("\xce\xbf\xcf\x81"), "op", "Greek omicron and rho");
	CHECK_STR(SKELETON("\xef\xbc\xa2LUE"), "blue", "fullwidth: folded, then lower case");
	CHECK_STR(SKELETON("sent\xc3\xafnel"), "sentinel", "accent removed");
	CHECK_STR(SKELETON("\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2"), "k\xd0\xb8i\xd0\xb2",
		  "Cyrillic without a Latin look-alike stays Cyrillic (folded)");
	uint32_t out[INSP_FOLD_MAX];

	CHECK(insp_skel_cp(0x041C, out) == 1 && out[0] == 'm', "Cyrillic capital EM is m");
	CHECK(insp_skel_cp(0x0406, out) == 1 && out[0] == 'i',
	      "Cyrillic capital I is i (ICU's I/l prototype, read as I)");
	CHECK(insp_skel_cp('Q', out) == 1 && out[0] == 'q', "ASCII: lower case");
}

static void
test_bidi(void)
{
	FOLDED("blue \xe2\x80\xae"
	       "sentinel");
	CHECK(last_rc == INSP_NORM_BIDI && info.bidi_cp == 0x202E, "RLO refused by default");
	FOLDED("a\xe2\x81\xa6"
	       "b");
	CHECK(last_rc == INSP_NORM_BIDI && info.bidi_cp == 0x2066, "LRI refused by default");
	FOLDED("a\xe2\x80\x8f"
	       "b");
	CHECK(last_rc == 2, "RLM is a mark, not an override: deleted, not refused");
	CHECK_STR(form_of(INSP_NORM_ALLOW_BIDI, (const char *const[]){"a\xe2\x80\xae"
								      "bc\xe2\x80\xac",
								      NULL}),
		  "abc", "allowed: deleted in the folded form");
	CHECK(info.rtl_override, "allowed: the override is reported");
	CHECK_STR(VISUAL("\xe2\x80\xaelenitnes eulb\xe2\x80\xac ok"), "blue sentinel ok",
		  "display order: the override span reversed");
	CHECK_STR(VISUAL("x \xe2\x80\xae\xc3\xa9"
			 "ba"),
		  "x abe",
		  "display order: an open override runs to the end; folded characters reversed");
	CHECK_STR(VISUAL("\xe2\x80\xae"
			 "ab\xe2\x80\xaa"
			 "cd\xe2\x80\xac"
			 "ef\xe2\x80\xac"),
		  "fedcba", "nested embedding inside the override: one span");
}

static void
test_bounds_and_literals(void)
{
	char lit[64];
	struct insp_str s = {(const uint8_t *)"\xef\xb7\xba", 3}; /* U+FDFA: 18 code points */
	uint8_t small[16];

	CHECK(insp_norm_text(&s, 1, 0, small, sizeof(small), &info) == INSP_NORM_FULL,
	      "expansion beyond the output: refused, never truncated");
	CHECK(insp_norm_text(&s, 1, 0, (uint8_t *)lit, sizeof(lit), &info) > 3,
	      "U+FDFA expands (compatibility decomposition)");
	CHECK(insp_norm_literal("Stra\xc3\x9f"
				"e",
				0, lit, sizeof(lit)) == 7 &&
		      strcmp(lit, "Strasse") == 0,
	      "literal folded like text");
	CHECK(insp_norm_literal("Stra\xc3\x9f"
				"e",
				INSP_NORM_SKELETON, lit, sizeof(lit)) == 7 &&
		      strcmp(lit, "strasse") == 0,
	      "literal skeleton");
	CHECK(insp_norm_literal("a\xe2\x80\xae"
				"b",
				0, lit, sizeof(lit)) == -1,
	      "literal with a bidi control refused");
	CHECK(insp_norm_literal("blue sentinel", 0, lit, 5) == -1, "literal too long: refused");
}

int
main(void)
{
	test_ascii();
	test_spaces_and_invisibles();
	test_marks_compat_case();
	test_skeleton();
	test_bidi();
	test_bounds_and_literals();
	return test_done();
}
