// SPDX-License-Identifier: BSD-3-Clause
//
// Per-message cost of the inspection library on realistic traffic: the frames of a pcap
// written by tools/gen-traffic (same mix as the demo), against rules/sample-policy.yaml.
//   GUARD_BENCH_POLICY  policy file   (default: rules/sample-policy.yaml)
//   GUARD_BENCH_PCAP    traffic pcap  (required; perf/run-bench.sh makes one)
// Benchmarks:
//   classify     L2-L4 checks + channel lookup + checksum, every frame
//   inspect/all  classify + full decision, every frame (the guardd per-packet work
//                minus DPDK I/O and re-origination)
//   inspect/released  the decision alone on messages that are released (the full path:
//                parse, label, policy, one Hyperscan scan, validity)
//   parse/<format>    the format module's parse alone (insp_parse), on the released
//                messages of that format
//   inspect/<format>  the whole decision on the released messages of that format
//   GUARD_BENCH_FRAMES    if set: only the first N frames of the pcap (e.g. 300, whose ~250 KB
//                stay in the L2 cache as a packet just received does, instead of the pcap's
//                ~15 MB that each message reads from memory)
//   GUARD_BENCH_ONE_PASS  if set: each per-format benchmark is one pass over its messages
//   parse/released    the format module's parse alone on every released message
//   scan/raw-released the scan floor: a bare Hyperscan block scan (hs_scan of the literal
//                database, then of the regex database, a callback that only counts) of each
//                released message's payload bytes as they arrived, same databases
//   scan/raw-all      classify + the same bare scan of every frame's payload (compare with
//                inspect/all)
//   scan/text-released the same bare scan of the scan text the parse built for each
//                released message (its units joined by '\n': what the content step gives
//                Hyperscan; the confirmation of literal phrases around their anchor words is
//                not in it)
//   norm/<text>       one 400-byte scan unit into its folded form (insp_norm.h), for text
//                that is all ASCII (most traffic), Western European with accents, Cyrillic
//                (which also gets a skeleton form in a message), and its skeleton form
// Per-format figures need a pcap with every format (gen-traffic --formats all); a format
// without messages in the pcap is reported as skipped.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <hs/hs.h>
#include <pcap/pcap.h>

extern "C" {
#include "insp_inspect.h"
#include "insp_match.h"
#include "insp_net.h"
#include "insp_norm.h"
#include "pc_policy.h"
}

namespace
{

using Message = std::pair<uint32_t, std::string>; // channel, payload

struct Corpus {
	insp_policy *policy = nullptr;
	insp_scratch *scratch = nullptr;
	std::vector<std::string> frames;
	std::vector<Message> released;
	std::vector<Message> by_format[INSP_FORMAT_COUNT]; // the released ones
	std::vector<std::string> scan_text;		   // per released message
	hs_scratch_t *hs = nullptr;			   // for the bare scans
	int64_t now_ms = 0;
	std::string error;
};

Corpus &
corpus()
{
	static Corpus c;
	static bool loaded = false;

	if (loaded)
		return c;
	loaded = true;
	const char *pol = std::getenv("GUARD_BENCH_POLICY");
	const char *pcap = std::getenv("GUARD_BENCH_PCAP");
	if (pol == nullptr)
		pol = "rules/sample-policy.yaml";
	if (pcap == nullptr) {
		c.error = "set GUARD_BENCH_PCAP to a pcap from tools/gen-traffic";
		return c;
	}
	insp_err err;
	c.policy = pc_policy_load_file(pol, &err);
	if (c.policy == nullptr) {
		c.error = err.msg;
		return c;
	}
	c.scratch = insp_scratch_create(c.policy, 65536);
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(pcap, ebuf);
	if (p == nullptr) {
		c.error = std::string("pcap: ") + ebuf;
		return c;
	}
	pcap_pkthdr *h;
	const u_char *d;
	while (pcap_next_ex(p, &h, &d) == 1) {
		c.frames.emplace_back(reinterpret_cast<const char *>(d), h->caplen);
		if (c.now_ms == 0)
			c.now_ms = int64_t(h->ts.tv_sec) * 1000; // gen-traffic starts at its --now
	}
	pcap_close(p);
	if (const char *n = std::getenv("GUARD_BENCH_FRAMES");
	    n != nullptr && atol(n) > 0 && size_t(atol(n)) < c.frames.size())
		c.frames.resize(size_t(atol(n)));
	for (const hs_database_t *db : {c.policy->matcher.lit_db, c.policy->matcher.regex_db})
		if (db != nullptr && hs_alloc_scratch(db, &c.hs) != HS_SUCCESS) {
			c.error = "hs_alloc_scratch failed";
			return c;
		}
	for (const std::string &f : c.frames) {
		insp_flow flow;
		insp_result res;
		auto *b = reinterpret_cast<const uint8_t *>(f.data());
		if (insp_net_classify(c.policy, 0, b, f.size(), 0, &flow) != INSP_R_RELEASE)
			continue;
		if (insp_inspect(c.policy, c.scratch, flow.channel, b + flow.payload_offset,
				 flow.payload_len, c.now_ms, &res) != INSP_R_RELEASE)
			continue;
		c.released.emplace_back(flow.channel,
					f.substr(flow.payload_offset, flow.payload_len));
		size_t n;
		const uint8_t *t = insp_scratch_scan_text(c.scratch, &n);
		c.scan_text.emplace_back(reinterpret_cast<const char *>(t), n);
		c.by_format[c.policy->channels[flow.channel].format].push_back(c.released.back());
	}
	return c;
}

const std::string &
bytes_of(const std::string &frame)
{
	return frame;
}

const std::string &
bytes_of(const Message &m)
{
	return m.second;
}

const uint8_t *
data_of(const std::string &s)
{
	return reinterpret_cast<const uint8_t *>(s.data());
}

// Run @p step on @p items round robin, counting items and bytes; skip with @p none when
// there is nothing to run (or the corpus failed to load).
template <typename Item, typename Step>
void
round_robin(benchmark::State &state, const std::vector<Item> &items, const char *none, Step step)
{
	const Corpus &c = corpus();
	if (!c.error.empty() || items.empty()) {
		state.SkipWithError(c.error.empty() ? none : c.error.c_str());
		return;
	}
	size_t i = 0, bytes = 0;
	for (auto _ : state) {
		const Item &it = items[i++ % items.size()];
		step(it);
		bytes += bytes_of(it).size();
	}
	state.SetItemsProcessed(state.iterations());
	state.SetBytesProcessed(int64_t(bytes));
}

void
BM_classify(benchmark::State &state)
{
	Corpus &c = corpus();
	round_robin(state, c.frames, "no frames", [&c](const std::string &f) {
		insp_flow flow;
		benchmark::DoNotOptimize(
			insp_net_classify(c.policy, 0, data_of(f), f.size(), 0, &flow));
	});
}

void
BM_inspect_all(benchmark::State &state)
{
	Corpus &c = corpus();
	round_robin(state, c.frames, "no frames", [&c](const std::string &f) {
		insp_flow flow;
		insp_result res;
		if (insp_net_classify(c.policy, 0, data_of(f), f.size(), 0, &flow) ==
		    INSP_R_RELEASE)
			insp_inspect(c.policy, c.scratch, flow.channel,
				     data_of(f) + flow.payload_offset, flow.payload_len, c.now_ms,
				     &res);
		benchmark::DoNotOptimize(flow);
	});
}

// The whole decision on each message of @p msgs.
void
inspect_messages(benchmark::State &state, const std::vector<Message> &msgs, const char *none)
{
	Corpus &c = corpus();
	round_robin(state, msgs, none, [&c](const Message &m) {
		insp_result res;
		benchmark::DoNotOptimize(insp_inspect(c.policy, c.scratch, m.first,
						      data_of(m.second), m.second.size(), c.now_ms,
						      &res));
	});
}

void
BM_inspect_released(benchmark::State &state)
{
	inspect_messages(state, corpus().released, "no released messages");
}

void
BM_parse_released(benchmark::State &state)
{
	Corpus &c = corpus();
	round_robin(state, c.released, "no released messages", [&c](const Message &m) {
		insp_result res;
		benchmark::DoNotOptimize(insp_parse(c.policy, c.scratch, m.first, data_of(m.second),
						    m.second.size(), &res));
	});
}

int
count_match(unsigned int, unsigned long long, unsigned long long, unsigned int, void *ctx)
{
	++*static_cast<uint64_t *>(ctx);
	return 0;
}

// The scan floor: Hyperscan alone over @p len bytes, both databases, nothing confirmed.
uint64_t
bare_scan(Corpus &c, const uint8_t *p, size_t len)
{
	uint64_t n = 0;
	for (const hs_database_t *db : {c.policy->matcher.lit_db, c.policy->matcher.regex_db})
		if (db != nullptr)
			hs_scan(db, reinterpret_cast<const char *>(p), unsigned(len), 0, c.hs,
				count_match, &n);
	return n;
}

void
BM_scan_raw_released(benchmark::State &state)
{
	Corpus &c = corpus();
	round_robin(state, c.released, "no released messages", [&c](const Message &m) {
		benchmark::DoNotOptimize(bare_scan(c, data_of(m.second), m.second.size()));
	});
}

void
BM_scan_raw_all(benchmark::State &state)
{
	Corpus &c = corpus();
	round_robin(state, c.frames, "no frames", [&c](const std::string &f) {
		insp_flow flow;
		if (insp_net_classify(c.policy, 0, data_of(f), f.size(), 0, &flow) ==
		    INSP_R_RELEASE)
			benchmark::DoNotOptimize(
				bare_scan(c, data_of(f) + flow.payload_offset, flow.payload_len));
		benchmark::DoNotOptimize(flow);
	});
}

void
BM_scan_text_released(benchmark::State &state)
{
	Corpus &c = corpus();
	size_t i = 0;
	round_robin(state, c.released, "no released messages", [&c, &i](const Message &) {
		const std::string &t = c.scan_text[i++ % c.scan_text.size()];
		benchmark::DoNotOptimize(bare_scan(c, data_of(t), t.size()));
	});
}

// Format @p f: its parse alone, or the whole decision (@p whole).
void
BM_format(benchmark::State &state, size_t f, bool whole)
{
	Corpus &c = corpus();
	const char *none = "no released message of this format in the pcap";

	if (whole) {
		inspect_messages(state, c.by_format[f], none);
		return;
	}
	round_robin(state, c.by_format[f], none, [&c](const Message &m) {
		insp_result res;
		benchmark::DoNotOptimize(insp_parse(c.policy, c.scratch, m.first, data_of(m.second),
						    m.second.size(), &res));
	});
}

// One benchmark per format and step, named after the format ("parse/tak-mesh"). With
// GUARD_BENCH_ONE_PASS set, each runs exactly one pass over its messages, so that counting
// instructions (perf/run-insn-compare.sh) sees every message once, in every build alike.
int
register_format_benchmarks()
{
	const bool one_pass = std::getenv("GUARD_BENCH_ONE_PASS") != nullptr;

	for (int f = 0; f < INSP_FORMAT_COUNT; f++)
		for (int whole = 0; whole < 2; whole++) {
			auto *b = benchmark::RegisterBenchmark(
				(std::string(whole ? "inspect/" : "parse/") + insp_formats[f].name)
					.c_str(),
				BM_format, size_t(f), whole != 0);
			if (one_pass && !corpus().by_format[f].empty())
				b->Iterations(int64_t(corpus().by_format[f].size()));
		}
	return 0;
}

const int format_benchmarks_registered = register_format_benchmarks();

// inspect/released and parse/released, once over every released message with
// GUARD_BENCH_ONE_PASS (perf/cycle-budget.sh counts instructions per stage in them).
int
register_released_benchmarks()
{
	const bool one_pass = std::getenv("GUARD_BENCH_ONE_PASS") != nullptr;
	auto *i = benchmark::RegisterBenchmark("inspect/released", BM_inspect_released);
	auto *p = benchmark::RegisterBenchmark("parse/released", BM_parse_released);

	if (one_pass && !corpus().released.empty()) {
		i->Iterations(int64_t(corpus().released.size()));
		p->Iterations(int64_t(corpus().released.size()));
		std::fprintf(stderr, "one pass: %zu released messages\n", corpus().released.size());
	}
	return 0;
}

const int released_benchmarks_registered = register_released_benchmarks();

// A 400-byte unit made of @p phrase repeated.
std::string
unit_of(const char *phrase)
{
	std::string s;

	while (s.size() < 400)
		s += phrase;
	s.resize(400);
	while (!s.empty() && (uint8_t(s.back()) & 0xC0) == 0x80) // no cut character
		s.pop_back();
	if (!s.empty() && uint8_t(s.back()) >= 0xC0)
		s.pop_back();
	return s;
}

void
BM_norm(benchmark::State &state, const char *phrase, uint32_t flags)
{
	const std::string text = unit_of(phrase);
	insp_str in = {reinterpret_cast<const uint8_t *>(text.data()), uint32_t(text.size())};
	std::vector<uint8_t> out(text.size() * 16);
	insp_norm_info info;

	for (auto _ : state)
		benchmark::DoNotOptimize(
			insp_norm_text(&in, 1, flags, out.data(), out.size(), &info));
	state.SetItemsProcessed(state.iterations());
	state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}

const char ascii_text[] = "Patrol VIPER 2-1 reports two vehicles moving north on MSR TAMPA. ";
const char latin_text[] = "Le détachement a franchi la rivière près de Łódź à 06h30, zéro pertes. ";
const char cyrillic_text[] = "Колонна из трёх машин движется на север по шоссе, 06:30. ";

BENCHMARK_CAPTURE(BM_norm, ascii, ascii_text, 0u)->Name("norm/ascii");
BENCHMARK_CAPTURE(BM_norm, latin, latin_text, 0u)->Name("norm/latin");
BENCHMARK_CAPTURE(BM_norm, cyrillic, cyrillic_text, 0u)->Name("norm/cyrillic");
BENCHMARK_CAPTURE(BM_norm, cyrillic_skeleton, cyrillic_text, INSP_NORM_SKELETON)
	->Name("norm/cyrillic-skeleton");

} // namespace

BENCHMARK(BM_classify);
BENCHMARK(BM_inspect_all)->Name("inspect/all");
BENCHMARK(BM_scan_raw_released)->Name("scan/raw-released");
BENCHMARK(BM_scan_raw_all)->Name("scan/raw-all");
BENCHMARK(BM_scan_text_released)->Name("scan/text-released");
BENCHMARK_MAIN();
