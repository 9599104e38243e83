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
// Per-format figures need a pcap with every format (gen-traffic --formats all); a format
// without messages in the pcap is reported as skipped.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <pcap/pcap.h>

extern "C" {
#include "insp_inspect.h"
#include "insp_net.h"
#include "policy_file.h"
}

namespace
{

struct Corpus {
	insp_policy *policy = nullptr;
	insp_scratch *scratch = nullptr;
	std::vector<std::string> frames;
	std::vector<std::pair<uint32_t, std::string>> released; // channel, payload
	std::vector<std::pair<uint32_t, std::string>> by_format[INSP_FORMAT_COUNT];
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
	c.policy = policy_file_load(pol, &err);
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
		c.by_format[c.policy->channels[flow.channel].format].push_back(c.released.back());
	}
	return c;
}

void
BM_classify(benchmark::State &state)
{
	Corpus &c = corpus();
	if (!c.error.empty() || c.frames.empty()) {
		state.SkipWithError(c.error.empty() ? "no frames" : c.error.c_str());
		return;
	}
	size_t i = 0, bytes = 0;
	for (auto _ : state) {
		const std::string &f = c.frames[i++ % c.frames.size()];
		insp_flow flow;
		benchmark::DoNotOptimize(
			insp_net_classify(c.policy, 0, reinterpret_cast<const uint8_t *>(f.data()),
					  f.size(), 0, &flow));
		bytes += f.size();
	}
	state.SetItemsProcessed(state.iterations());
	state.SetBytesProcessed(int64_t(bytes));
}

void
BM_inspect_all(benchmark::State &state)
{
	Corpus &c = corpus();
	if (!c.error.empty() || c.frames.empty()) {
		state.SkipWithError(c.error.empty() ? "no frames" : c.error.c_str());
		return;
	}
	size_t i = 0, bytes = 0;
	for (auto _ : state) {
		const std::string &f = c.frames[i++ % c.frames.size()];
		auto *b = reinterpret_cast<const uint8_t *>(f.data());
		insp_flow flow;
		insp_result res;
		if (insp_net_classify(c.policy, 0, b, f.size(), 0, &flow) == INSP_R_RELEASE)
			insp_inspect(c.policy, c.scratch, flow.channel, b + flow.payload_offset,
				     flow.payload_len, c.now_ms, &res);
		benchmark::DoNotOptimize(flow);
		bytes += f.size();
	}
	state.SetItemsProcessed(state.iterations());
	state.SetBytesProcessed(int64_t(bytes));
}

void
BM_inspect_released(benchmark::State &state)
{
	Corpus &c = corpus();
	if (!c.error.empty() || c.released.empty()) {
		state.SkipWithError(c.error.empty() ? "no released messages" : c.error.c_str());
		return;
	}
	size_t i = 0, bytes = 0;
	for (auto _ : state) {
		const auto &m = c.released[i++ % c.released.size()];
		insp_result res;
		benchmark::DoNotOptimize(
			insp_inspect(c.policy, c.scratch, m.first,
				     reinterpret_cast<const uint8_t *>(m.second.data()),
				     m.second.size(), c.now_ms, &res));
		bytes += m.second.size();
	}
	state.SetItemsProcessed(state.iterations());
	state.SetBytesProcessed(int64_t(bytes));
}

// Format @p f: its parse alone, or the whole decision (@p whole).
void
BM_format(benchmark::State &state, size_t f, bool whole)
{
	Corpus &c = corpus();

	if (!c.error.empty()) {
		state.SkipWithError(c.error.c_str());
		return;
	}
	const auto &msgs = c.by_format[f];
	if (msgs.empty()) {
		state.SkipWithError("no released message of this format in the pcap");
		return;
	}
	size_t i = 0, bytes = 0;
	for (auto _ : state) {
		const auto &m = msgs[i++ % msgs.size()];
		auto *b = reinterpret_cast<const uint8_t *>(m.second.data());
		insp_result res;
		benchmark::DoNotOptimize(
			whole ? insp_inspect(c.policy, c.scratch, m.first, b, m.second.size(),
					     c.now_ms, &res)
			      : insp_parse(c.policy, c.scratch, m.first, b, m.second.size(), &res));
		bytes += m.second.size();
	}
	state.SetItemsProcessed(state.iterations());
	state.SetBytesProcessed(int64_t(bytes));
}

// One benchmark per format and step, named after the format ("parse/tak-mesh").
int
register_format_benchmarks()
{
	for (int f = 0; f < INSP_FORMAT_COUNT; f++)
		for (int whole = 0; whole < 2; whole++)
			benchmark::RegisterBenchmark(
				(std::string(whole ? "inspect/" : "parse/") + insp_formats[f].name)
					.c_str(),
				BM_format, size_t(f), whole != 0);
	return 0;
}

const int format_benchmarks_registered = register_format_benchmarks();

} // namespace

BENCHMARK(BM_classify);
BENCHMARK(BM_inspect_all)->Name("inspect/all");
BENCHMARK(BM_inspect_released)->Name("inspect/released");
BENCHMARK_MAIN();
