/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Golden label vectors (tests/data/labels, issue 8): STANAG 4774 labels as real producers
 * write them, each carried in the three places a label may be (CoT <detail>, TAK xmlDetail,
 * labelled-XML <Metadata>) and decided with the sample policy, strict and lenient. The
 * expected decision of every form is in tests/data/labels/EXPECTED.
 *
 * The carrier files are built here from FORM.label.xml and must equal the committed
 * FORM.cot.xml, FORM.tak-mesh.hex and FORM.lxml byte for byte, so the golden files cannot
 * drift from their labels; GUARD_WRITE_LABEL_GOLDEN=1 writes them instead (after a label
 * changed or a form was added; review the diff).
 *
 * Usage: test_label_golden SAMPLE_POLICY LABELS_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_msg.h"
#include "test_pb.h"

#define CARRIER_MAX 8192

enum carrier { C_COT, C_TAK, C_LXML, C_COUNT };

static const struct {
	const char *ext;     /* FORM<ext> */
	const char *channel; /* in the sample policy */
} carriers[C_COUNT] = {
	[C_COT] = {".cot.xml", "cot-mn"},
	[C_TAK] = {".tak-mesh.hex", "tak-mn"},
	[C_LXML] = {".lxml", "lxml-mn"},
};

static struct insp_policy *lenient;
static struct insp_scratch *lenient_scr;
static int write_mode;

/* CoT: the label the first child of <detail>, no access attribute (it is the only carrier). */
static size_t
build_cot(const char *form, const char *label, char *out, size_t cap)
{
	int n = snprintf(out, cap,
			 "<event version=\"2.0\" uid=\"LABEL-%s\" type=\"a-f-G-U-C\" how=\"m-g\" "
			 "time=\"2026-11-22T09:59:50Z\" start=\"2026-11-22T09:59:50Z\" "
			 "stale=\"2026-11-22T10:05:00Z\">\n"
			 "  <point lat=\"50.8503\" lon=\"4.3517\" hae=\"56.2\" ce=\"9.9\" "
			 "le=\"9999999.0\"/>\n"
			 "  <detail>\n%s\n    <contact callsign=\"VIPER 2-1\"/>\n  </detail>\n"
			 "</event>\n",
			 form, label);

	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* Labelled XML: a prefixed binding (no default namespace for the label to inherit). */
static size_t
build_lxml(const char *label, char *out, size_t cap)
{
	int n = snprintf(
		out, cap,
		"<mb:BindingInformation xmlns:mb=\"urn:nato:stanag:4778:bindinginformation:1:0\">\n"
		"  <mb:MetadataBindingContainer>\n    <mb:MetadataBinding>\n      <mb:Metadata>\n"
		"%s\n      </mb:Metadata>\n      <mb:Data>\n"
		"        <FriendlyForceReport xmlns=\"urn:example:mn:friendlyforce:1\" "
		"reportId=\"FFR-0042\">\n"
		"          <Unit callsign=\"VIPER 2-1\"><Status>in position, grid 31U ES 1234 "
		"5678</Status></Unit>\n"
		"        </FriendlyForceReport>\n      </mb:Data>\n    </mb:MetadataBinding>\n"
		"  </mb:MetadataBindingContainer>\n</mb:BindingInformation>\n",
		label);

	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* TAK mesh: a PLI whose xmlDetail starts with the label; no access field. */
static size_t
build_tak(const char *form, const char *label, uint8_t *out, size_t cap)
{
	static struct pb ev, dt, tm, xml;
	char uid[96];

	ev.n = dt.n = tm.n = xml.n = 0;
	snprintf(uid, sizeof(uid), "LABEL-%s", form);
	put(&xml, label, strlen(label));
	put(&xml, "<contact callsign=\"VIPER 2-1\"/>", 31);
	pstr(&ev, 1, "a-f-G-U-C");
	pstr(&ev, 5, uid);
	pu(&ev, 6, T_NOW_MS - 10000);
	pu(&ev, 7, T_NOW_MS - 10000);
	pu(&ev, 8, T_NOW_MS + 300000);
	pstr(&ev, 9, "m-g");
	pd(&ev, 10, 50.8503);
	pd(&ev, 11, 4.3517);
	pd(&ev, 12, 56.2);
	pd(&ev, 13, 9.9);
	pd(&ev, 14, 9999999.0);
	pbytes(&dt, 1, xml.b, xml.n);
	pmsg(&ev, 15, &dt);
	pmsg(&tm, 2, &ev);
	if (tm.n + 3 > cap)
		return 0;
	memcpy(out, "\xbf\x01\xbf", 3);
	memcpy(out + 3, tm.b, tm.n);
	return tm.n + 3;
}

/* The hex file of a TAK payload: a header line, 32 bytes a line. */
static size_t
to_hex(const char *form, const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t o = (size_t)snprintf(out, cap, "# label form %s in xmlDetail (mesh)\n", form);

	for (size_t i = 0; i < n && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x%s", b[i],
				      i + 1 == n || i % 32 == 31 ? "\n" : " ");
	return o;
}

/* Hex text (comment lines skipped) back to bytes. */
static size_t
from_hex(const char *text, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (*text) {
		if (*text == '#') {
			text = strchr(text, '\n');
			if (text == NULL)
				break;
			continue;
		}
		if (sscanf(text, "%2x", &v) == 1 && n < cap && text[1] != '\0' &&
		    strchr("0123456789abcdef", text[0]) && strchr("0123456789abcdef", text[1])) {
			out[n++] = (uint8_t)v;
			text += 2;
			continue;
		}
		text++;
	}
	return n;
}

/* The committed file equals @p want (or is written, in write mode). */
static void
golden_file(const char *path, const char *want, size_t n)
{
	size_t len = 0;
	char *have;

	if (write_mode) {
		FILE *f = fopen(path, "w");

		CHECK(f != NULL && fwrite(want, 1, n, f) == n && fclose(f) == 0, "wrote %s", path);
		return;
	}
	have = test_read_file(path, &len);
	CHECK(have != NULL && len == n && memcmp(have, want, n) == 0,
	      "%s is the carrier built from its label (GUARD_WRITE_LABEL_GOLDEN=1 rewrites it)",
	      path);
	free(have);
}

/* "a | b | c" field @p k, trimmed, into @p out. */
static int
field(const char *line, int k, char *out, size_t cap)
{
	const char *p = line, *end;

	for (int i = 0; i < k; i++) {
		p = strchr(p, '|');
		if (p == NULL)
			return -1;
		p++;
	}
	end = strchr(p, '|');
	if (end == NULL)
		end = p + strlen(p);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	if ((size_t)(end - p) >= cap)
		return -1;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return 0;
}

static void
decide(const char *what, struct insp_policy *p, struct insp_scratch *s, const char *channel,
       const uint8_t *msg, size_t len, const char *want_reason, const char *want_detail)
{
	int ch = test_channel(p, channel);
	enum insp_reason r;

	memset(&res, 0x5A, sizeof(res));
	r = insp_inspect(p, s, (uint32_t)ch, msg, len, T_NOW_MS, &res);
	CHECK(ch >= 0 && strcmp(insp_reason_name(r), want_reason) == 0, "%s: %s (got %s: %s)", what,
	      want_reason, insp_reason_name(r), res.detail);
	if (strcmp(want_detail, "-") == 0)
		CHECK(res.detail[0] == '\0', "%s: no detail (got '%s')", what, res.detail);
	else
		CHECK(strstr(res.detail, want_detail) != NULL, "%s: detail has '%s' (got '%s')",
		      what, want_detail, res.detail);
	CHECK(res.label_normalised == (strstr(res.detail, "label normalised (lenient)") != NULL) &&
		      (p == lenient || !res.label_normalised),
	      "%s: label_normalised %d, and the detail says so", what, res.label_normalised);
}

static void
one_form(const char *dir, const char *line)
{
	char form[64], sreason[48], sdetail[160], lreason[48], ldetail[160], path[4096];
	static char label[4096], text[CARRIER_MAX * 4];
	static uint8_t bytes[CARRIER_MAX];
	size_t len = 0, n;
	char *raw;

	if (field(line, 0, form, sizeof(form)) < 0 ||
	    field(line, 1, sreason, sizeof(sreason)) < 0 ||
	    field(line, 2, sdetail, sizeof(sdetail)) < 0 ||
	    field(line, 3, lreason, sizeof(lreason)) < 0 ||
	    field(line, 4, ldetail, sizeof(ldetail)) < 0) {
		CHECK(0, "EXPECTED line has five '|' fields: %s", line);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.label.xml", dir, form);
	raw = test_read_file(path, &len);
	CHECK(raw != NULL && len > 0 && len < sizeof(label), "read %s", path);
	if (raw == NULL || len == 0 || len >= sizeof(label)) {
		free(raw);
		return;
	}
	memcpy(label, raw, len);
	while (len > 0 && label[len - 1] == '\n')
		len--;
	label[len] = '\0';
	free(raw);

	for (int c = 0; c < C_COUNT; c++) {
		char what[160];
		const uint8_t *msg = (const uint8_t *)text;

		snprintf(path, sizeof(path), "%s/%s%s", dir, form, carriers[c].ext);
		if (c == C_COT) {
			n = build_cot(form, label, text, sizeof(text));
			golden_file(path, text, n);
		} else if (c == C_LXML) {
			n = build_lxml(label, text, sizeof(text));
			golden_file(path, text, n);
		} else {
			n = build_tak(form, label, bytes, sizeof(bytes));
			golden_file(path, text, to_hex(form, bytes, n, text, sizeof(text)));
			/* decide what the committed file holds, as any other tool would read it */
			raw = test_read_file(path, &len);
			n = raw != NULL ? from_hex(raw, bytes, sizeof(bytes)) : 0;
			free(raw);
			msg = bytes;
		}
		CHECK(n > 0, "%s%s built", form, carriers[c].ext);
		snprintf(what, sizeof(what), "%s%s strict", form, carriers[c].ext);
		decide(what, pol, scr, carriers[c].channel, msg, n, sreason, sdetail);
		snprintf(what, sizeof(what), "%s%s lenient", form, carriers[c].ext);
		decide(what, lenient, lenient_scr, carriers[c].channel, msg, n, lreason, ldetail);
	}
}

int
main(int argc, char **argv)
{
	char path[4096], *expected, *line, *save = NULL;
	size_t len = 0;
	unsigned forms = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: test_label_golden SAMPLE_POLICY LABELS_DIR\n");
		return 2;
	}
	write_mode = getenv("GUARD_WRITE_LABEL_GOLDEN") != NULL;
	pol = test_load_policy(argv[1]);
	lenient = test_load_policy(argv[1]);
	if (pol == NULL || lenient == NULL)
		return test_done();
	CHECK(pol->strict_labels == 1, "the sample policy is strict");
	lenient->strict_labels = 0; /* the same policy with labels: strictness: lenient */
	scr = test_scratch(pol);
	lenient_scr = test_scratch(lenient);
	snprintf(path, sizeof(path), "%s/EXPECTED", argv[2]);
	expected = test_read_file(path, &len);
	CHECK(expected != NULL, "read %s", path);
	for (line = expected ? strtok_r(expected, "\n", &save) : NULL; line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		one_form(argv[2], line);
		forms++;
	}
	CHECK(forms >= 15, "%u label forms (at least 15)", forms);
	free(expected);
	insp_scratch_free(scr);
	insp_scratch_free(lenient_scr);
	pc_policy_free(pol);
	pc_policy_free(lenient);
	return test_done();
}
