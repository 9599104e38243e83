/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The policy model's decision steps beyond labels, on a small inline policy whose every
 * line is here to be read next to the assertions: per-nation release ceilings
 * (over_classified), data categories and the ISA matrix (no_sharing_agreement) with CoT
 * type-prefix hints and 4774 Data Category values, review terms and their precedence
 * below drop terms, term scopes by channel, and the priority table (traffic class).
 */
#include <stdio.h>
#include <string.h>

#include "insp_inspect.h"
#include "pc_policy.h"
#include "test.h"

static const char policy_text[] =
	"version: 1\n"
	"nations: [USA, GBR, POL, CAN]\n"
	"groups: {ALL: [USA, GBR, POL, CAN]}\n"
	"classifications:\n"
	"  NATO: {UNCLASSIFIED: UNCLASSIFIED, RESTRICTED: RESTRICTED, CONFIDENTIAL: "
	"CONFIDENTIAL, SECRET: SECRET}\n"
	"release_ceilings: {POL: CONFIDENTIAL}\n"
	"destinations:\n"
	"  WIDE: {members: [USA, GBR, POL], max_classification: SECRET}\n"
	"  NARROW: {members: [USA, GBR], max_classification: SECRET}\n"
	"data_categories: [tracks, chat, intelligence]\n"
	"sharing_agreements:\n"
	"  tracks: [ALL]\n"
	"  chat: [ALL]\n"
	"  intelligence: [USA, GBR]\n"
	"category_hints:\n"
	"  cot: {a-: tracks, b-t-f: chat, a-h-G-I: intelligence}\n"
	"channels:\n"
	"  - {name: wide, direction: high_to_low, format: cot, destination: WIDE, category: "
	"tracks,\n"
	"     ingress: {port: 0, address: 239.1.1.1, udp_port: 6969},\n"
	"     egress: {port: 1, source_address: 10.0.0.1, address: 239.2.2.1, udp_port: 6969, "
	"next_hop_mac: '01:00:5e:02:02:01'}}\n"
	"  - {name: narrow, direction: high_to_low, format: cot, destination: NARROW, category: "
	"chat,\n"
	"     ingress: {port: 0, address: 239.1.1.2, udp_port: 6969},\n"
	"     egress: {port: 1, source_address: 10.0.0.1, address: 239.2.2.2, udp_port: 6969, "
	"next_hop_mac: '01:00:5e:02:02:02'}}\n"
	"prohibited_terms:\n"
	"  - {id: 10, literal: 'red dawn'}\n"
	"  - {id: 20, literal: 'casualty list', action: review}\n"
	"  - {id: 30, literal: 'narrow only', channels: [narrow]}\n"
	"priorities:\n"
	"  - {cot_type_prefix: b-a-o, class: flash}\n"
	"  - {cot_type_prefix: a-h, class: immediate}\n"
	"  - {channel: narrow, qos_priority: 1, class: priority}\n";

#define NOW_MS 1795341600000LL /* 2026-11-22T10:00:00Z */

static char doc[4096];

/* A valid event on its way: type, access, extra attributes and detail content vary. */
static const char *
event(const char *type, const char *access, const char *qos, const char *detail)
{
	snprintf(doc, sizeof(doc),
		 "<event version='2.0' uid='T-1' type='%s' time='2026-11-22T10:00:00Z' "
		 "start='2026-11-22T10:00:00Z' stale='2026-11-22T10:10:00Z' how='m-g' "
		 "access='%s'%s%s%s><point lat='1' lon='2' hae='3' ce='4' le='5'/>"
		 "<detail>%s</detail></event>",
		 type, access, qos ? " qos='" : "", qos ? qos : "", qos ? "'" : "", detail);
	return doc;
}

static const char *
label_with_category(const char *category)
{
	static char d[1024];

	snprintf(d, sizeof(d),
		 "<originatorConfidentialityLabel "
		 "xmlns='urn:nato:stanag:4774:confidentialitymetadatalabel:1:0'>"
		 "<ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier>"
		 "<Classification>RESTRICTED</Classification>"
		 "<Category TagName='Releasable To' Type='PERMISSIVE'><GenericValue>ALL"
		 "</GenericValue></Category>"
		 "<Category TagName='Data Category' Type='INFORMATIVE'><GenericValue>%s"
		 "</GenericValue></Category></ConfidentialityInformation>"
		 "<CreationDateTime>2026-11-22T10:00:00Z</CreationDateTime>"
		 "</originatorConfidentialityLabel>",
		 category);
	return d;
}

static enum insp_reason
decide_on(const struct insp_policy *p, struct insp_scratch *s, uint32_t ch, const char *msg,
	  struct insp_result *res)
{
	return insp_inspect(p, s, ch, (const uint8_t *)msg, strlen(msg), NOW_MS, res);
}

#define EXPECT(p, s, ch, msg, want, what)                                                  \
	do {                                                                               \
		struct insp_result r_;                                                     \
		enum insp_reason got_ = decide_on(p, s, ch, msg, &r_);                     \
		CHECK(got_ == (want), "%s: %s (got %s: %s)", what, insp_reason_name(want), \
		      insp_reason_name(got_), r_.detail);                                  \
	} while (0)

int
main(void)
{
	struct insp_err err;
	struct insp_policy *p =
		pc_policy_load(policy_text, sizeof(policy_text) - 1, "model.yaml", &err);
	struct insp_scratch *s;
	struct insp_result res;

	CHECK(p != NULL, "inline model policy loads (%s)", p ? "ok" : err.msg);
	if (p == NULL)
		return test_done();
	s = insp_scratch_create(p, 8192);
	CHECK(s != NULL, "scratch");
	if (s == NULL)
		return test_done();

	const char *rel_all = "NATO RESTRICTED//REL TO ALL";

	/* ceilings: POL (member of WIDE) may receive at most CONFIDENTIAL */
	EXPECT(p, s, 0, event("a-f-G", "NATO CONFIDENTIAL//REL TO ALL", NULL, ""), INSP_R_RELEASE,
	       "CONFIDENTIAL to WIDE (POL ceiling CONFIDENTIAL)");
	EXPECT(p, s, 0, event("a-f-G", "NATO SECRET//REL TO ALL", NULL, ""), INSP_R_OVER_CLASSIFIED,
	       "SECRET to WIDE exceeds POL's ceiling");
	decide_on(p, s, 0, event("a-f-G", "NATO SECRET//REL TO ALL", NULL, ""), &res);
	CHECK(strstr(res.detail, "POL") != NULL, "the detail names the capped nation (%s)",
	      res.detail);
	EXPECT(p, s, 1, event("a-f-G", "NATO SECRET//REL TO ALL", NULL, ""), INSP_R_RELEASE,
	       "SECRET to NARROW (no POL) is within every ceiling");

	/* ISA: category from the channel default, refined by the longest type prefix */
	EXPECT(p, s, 0, event("a-f-G-U-C", rel_all, NULL, ""), INSP_R_RELEASE,
	       "a- hint -> tracks, shared with all");
	EXPECT(p, s, 0, event("a-h-G-I-P", rel_all, NULL, ""), INSP_R_NO_SHARING_AGREEMENT,
	       "longest hint a-h-G-I -> intelligence, not shared with POL");
	decide_on(p, s, 0, event("a-h-G-I-P", rel_all, NULL, ""), &res);
	CHECK(strstr(res.detail, "intelligence") && strstr(res.detail, "POL"),
	      "detail names category and nation (%s)", res.detail);
	EXPECT(p, s, 1, event("a-h-G-I-P", rel_all, NULL, ""), INSP_R_RELEASE,
	       "intelligence to NARROW (USA, GBR) is shared");
	EXPECT(p, s, 0, event("b-m-p-s-m", rel_all, NULL, ""), INSP_R_RELEASE,
	       "no hint: the channel default (tracks)");

	/* ISA: 4774 INFORMATIVE Data Category values add categories */
	EXPECT(p, s, 0, event("a-f-G", "", NULL, label_with_category("intelligence")),
	       INSP_R_NO_SHARING_AGREEMENT, "4774 Data Category intelligence to WIDE");
	EXPECT(p, s, 1, event("a-f-G", "", NULL, label_with_category("intelligence")),
	       INSP_R_RELEASE, "4774 Data Category intelligence to NARROW");
	EXPECT(p, s, 1, event("a-f-G", "", NULL, label_with_category("weather")),
	       INSP_R_NO_SHARING_AGREEMENT, "a Data Category the policy does not know: nobody");

	/* review terms: held, not released; a drop term wins over a review term */
	EXPECT(p, s, 0, event("a-f-G", rel_all, NULL, "<remarks>casualty list attached</remarks>"),
	       INSP_R_REVIEW, "review term");
	decide_on(p, s, 0, event("a-f-G", rel_all, NULL, "<remarks>casualty list</remarks>"), &res);
	CHECK(res.rule_id == 20, "review reports its rule id (got %u)", res.rule_id);
	EXPECT(p, s, 0,
	       event("a-f-G", rel_all, NULL, "<remarks>casualty list</remarks><x a='red dawn'/>"),
	       INSP_R_PROHIBITED_CONTENT, "drop term and review term: prohibited_content wins");

	/* scope: term 30 applies to channel 'narrow' only */
	EXPECT(p, s, 1, event("a-f-G", rel_all, NULL, "<remarks>narrow only</remarks>"),
	       INSP_R_PROHIBITED_CONTENT, "scoped term on its channel");
	EXPECT(p, s, 0, event("a-f-G", rel_all, NULL, "<remarks>narrow only</remarks>"),
	       INSP_R_RELEASE, "scoped term elsewhere: not applied");

	/* ISA precedes content: a not-shared category with a prohibited term */
	EXPECT(p, s, 0, event("a-h-G-I-P", rel_all, NULL, "<remarks>red dawn</remarks>"),
	       INSP_R_NO_SHARING_AGREEMENT, "order: no_sharing_agreement before prohibited");

	/* priorities: first matching row, default routine */
	struct {
		uint32_t ch;
		const char *type, *qos;
		unsigned want;
	} prio[] = {
		{0, "b-a-o-tbl", NULL, 0}, {0, "a-h-G", NULL, 1},    {1, "a-f-G", "1-r-c", 2},
		{0, "a-f-G", "1-r-c", 3},  {1, "a-f-G", "2-r-c", 3}, {0, "a-f-G", NULL, 3},
	};
	for (size_t i = 0; i < sizeof(prio) / sizeof(prio[0]); i++) {
		enum insp_reason r = decide_on(p, s, prio[i].ch,
					       event(prio[i].type, rel_all, prio[i].qos, ""), &res);

		CHECK(r == INSP_R_RELEASE && res.tclass == prio[i].want,
		      "priority of %s qos %s on channel %u: class %u (got %s, class %u)",
		      prio[i].type, prio[i].qos ? prio[i].qos : "-", prio[i].ch, prio[i].want,
		      insp_reason_name(r), res.tclass);
	}
	CHECK(p->class_dscp[0] == 46 && p->class_dscp[3] == 8, "default DSCP EF .. CS1");

	insp_scratch_free(s);
	pc_policy_free(p);
	return test_done();
}
