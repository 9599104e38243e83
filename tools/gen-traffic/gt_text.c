/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gt_text.h"

/*
 * Vocabulary rule: no word of any prohibited phrase or marking may appear here (no
 * "source", "cover", "safe", "key", "plan", "secret", "restricted", colours, ...), so no
 * two sentences can ever join into a match. --policy-check verifies the output.
 */
static const char *const places[] = {
	"Suwałki", "Kaunas",	  "Tartu", "Rīga",   "Daugavpils", "Augustów",
	"Ełk",	   "Marijampolė", "Valga", "Pärnu",  "Šiauliai",   "Białystok",
	"Võru",	   "Jelgava",	  "Narva", "Alytus", "Cēsis",	   "Panevėžys",
};

static const char *const routes[] = {"E67", "A4", "MSR AMBER", "ASR COPPER", "ROUTE 12", "E77"};
static const char *const directions[] = {"north", "south",	"east",
					 "west",  "north-east", "south-west"};
static const char *const phase_lines[] = {"ONYX", "GRANITE", "BASALT", "QUARTZ"};

static void
sep(struct gt_buf *b)
{
	if (b->len > 0)
		gt_buf_puts(b, " ");
}

static void say(struct gt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append printf text, XML-escaped. */
static void
say(struct gt_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->overflow = true;
		return;
	}
	gt_buf_put_xml(b, tmp);
}

void
gt_text_sentence(struct gt_rng *r, struct gt_buf *b)
{
	const char *p = GT_PICK(r, places);
	const char *d = GT_PICK(r, directions);
	const char *rt = GT_PICK(r, routes);

	sep(b);
	switch (gt_rng_below(r, 24)) {
	case 0:
		say(b, "Patrol returned to %s, no contact.", p);
		break;
	case 1:
		say(b, "Checkpoint %u established on %s.", gt_rng_range(r, 1, 40), rt);
		break;
	case 2:
		say(b, "Convoy of %u vehicles moving %s towards %s.", gt_rng_range(r, 3, 30), d, p);
		break;
	case 3:
		say(b, "Road blocked by debris %u m %s of %s.", gt_rng_range(r, 100, 2000), d, p);
		break;
	case 4:
		say(b, "Bridge at %s passable for light vehicles only.", p);
		break;
	case 5:
		say(b, "Observation post %u manned, visibility %u km.", gt_rng_range(r, 1, 12),
		    gt_rng_range(r, 1, 20));
		break;
	case 6:
		say(b, "Resupply request: water %u l, batteries %u, fuel & rations.",
		    gt_rng_range(r, 20, 400), gt_rng_range(r, 4, 60));
		break;
	case 7:
		say(b, "Civilians gathering near the market square in %s.", p);
		break;
	case 8:
		say(b, "Power outage reported in %s since %02u:%02u local.", p, gt_rng_below(r, 24),
		    gt_rng_below(r, 60));
		break;
	case 9:
		say(b, "Casualty collection point moved to grid 34UDC %05u %05u.",
		    gt_rng_below(r, 100000), gt_rng_below(r, 100000));
		break;
	case 10:
		say(b, "Fuel point %u open until %02u:%02u.", gt_rng_range(r, 1, 9),
		    gt_rng_below(r, 24), gt_rng_below(r, 60));
		break;
	case 11:
		say(b, "Helicopter landing zone near %s marked with panels.", p);
		break;
	case 12:
		say(b, "Minefield warning sign observed at km %u on %s.", gt_rng_range(r, 1, 180),
		    rt);
		break;
	case 13:
		say(b, "Weather: wind %u kt from %03u, cloud base %u ft.", gt_rng_range(r, 0, 35),
		    gt_rng_below(r, 360), gt_rng_range(r, 5, 60) * 100);
		break;
	case 14:
		say(b, "Ferry crossing at %s closed until further notice.", p);
		break;
	case 15:
		say(b, "Radio check complete, all stations loud and clear.");
		break;
	case 16:
		say(b, "Team holding at phase line %s.", GT_PICK(r, phase_lines));
		break;
	case 17:
		say(b, "Local police report a traffic accident near %s.", p);
		break;
	case 18:
		say(b, "Comms relay on hill %u back online.", gt_rng_range(r, 100, 400));
		break;
	case 19:
		say(b, "Medevac requested, %u walking wounded, landing site marked.",
		    gt_rng_range(r, 1, 6));
		break;
	case 20:
		say(b, "Small drone sighted by residents %s of %s.", d, p);
		break;
	case 21:
		say(b, "Rail line %s – %s blocked by a freight train.", p, GT_PICK(r, places));
		break;
	case 22:
		say(b, "Column of about %u displaced people heading %s on %s.",
		    gt_rng_range(r, 20, 900), d, rt);
		break;
	default:
		say(b, "Water point at %s tested, potable.", p);
		break;
	}
}

void
gt_text_chat(struct gt_rng *r, struct gt_buf *b)
{
	const char *p = GT_PICK(r, places);

	sep(b);
	switch (gt_rng_below(r, 10)) {
	case 0:
		say(b, "Roger.");
		break;
	case 1:
		say(b, "Moving to %s now.", p);
		break;
	case 2:
		say(b, "ETA %u min.", gt_rng_range(r, 2, 90));
		break;
	case 3:
		say(b, "Holding at checkpoint %u.", gt_rng_range(r, 1, 40));
		break;
	case 4:
		say(b, "Need water & batteries at OP %u.", gt_rng_range(r, 1, 12));
		break;
	case 5:
		say(b, "Copy all, out.");
		break;
	case 6:
		say(b, "Eyes on two vehicles heading %s.", GT_PICK(r, directions));
		break;
	case 7:
		say(b, "Request sitrep from the team at %s.", p);
		break;
	case 8:
		say(b, "Comms check, how copy?");
		break;
	default:
		say(b, "LZ %u is cold.", gt_rng_range(r, 1, 9));
		break;
	}
}

static char
upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void
gt_text_phrase(struct gt_rng *r, const char *phrase, enum gt_obf how, struct gt_buf *b)
{
	size_t n = strlen(phrase);
	size_t target = 0;
	unsigned style = 0; /* per word: 0 UPPER, 1 Title, 2 lower, 3 rAnDoM */
	bool word_start = true;

	if (how == GT_OBF_DEC_REF || how == GT_OBF_HEX_REF) {
		/* a letter that is neither the first nor the last of the phrase */
		do {
			target = gt_rng_range(r, 1, (uint32_t)(n > 2 ? n - 2 : 0));
		} while (n > 2 && !is_letter(phrase[target]));
	} else if (how == GT_OBF_SOFT_HYPHEN || how == GT_OBF_ZWSP) {
		/* between two letters of the first word that has at least 4 */
		size_t ws = 0;

		for (size_t i = 0; i <= n; i++) {
			if (i == n || phrase[i] == ' ') {
				if (i - ws >= 4) {
					target = ws + (i - ws) / 2;
					break;
				}
				ws = i + 1;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		char c = phrase[i];

		if (c == ' ') {
			if (how == GT_OBF_CASE_SPACE) {
				static const char *const gaps[] = {"   ", "  ", "\t", " \n ", "\n"};

				gt_buf_puts(b, GT_PICK(r, gaps));
			} else {
				gt_buf_puts(b, " ");
			}
			word_start = true;
			continue;
		}
		if (how == GT_OBF_CASE_SPACE) {
			if (word_start)
				style = gt_rng_below(r, 4);
			if (style == 0 || (style == 1 && word_start) ||
			    (style == 3 && gt_rng_chance(r, 50)))
				c = upper(c);
			else
				c = lower(c);
		}
		word_start = false;
		if (i == target && target > 0 && how == GT_OBF_DEC_REF) {
			gt_buf_printf(b, "&#%u;", (unsigned)(unsigned char)c);
			continue;
		}
		if (i == target && target > 0 && how == GT_OBF_HEX_REF) {
			gt_buf_printf(b, "&#x%x;", (unsigned)(unsigned char)c);
			continue;
		}
		if (i == target && target > 0 && how == GT_OBF_SOFT_HYPHEN)
			gt_buf_puts(b, "\xc2\xad");
		if (i == target && target > 0 && how == GT_OBF_ZWSP)
			gt_buf_puts(b, "\xe2\x80\x8b");
		{
			char s[2] = {c, '\0'};

			gt_buf_put_xml(b, s);
		}
	}
}

void
gt_text_wrap(struct gt_rng *r, const char *phrase_xml, struct gt_buf *b)
{
	static const char *const pre[] = {
		"Update: ",
		"Per the briefing, ",
		"Reminder, ",
		"Note for all teams: ",
		"Correction to last report, ",
	};
	static const char *const post[] = {
		" applies to this report.",
		" is noted for the next shift.",
		" was mentioned at the checkpoint.",
		" remains in effect.",
	};

	sep(b);
	gt_buf_puts(b, GT_PICK(r, pre));
	gt_buf_puts(b, phrase_xml);
	gt_buf_puts(b, GT_PICK(r, post));
}
