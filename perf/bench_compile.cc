// SPDX-License-Identifier: BSD-3-Clause
//
// Ruleset compile cost (GUARD-SPEC 9): how long a policy with N prohibited terms takes to
// compile into a ruleset image (YAML + validation + Hyperscan compile of the regex and
// literal databases + image writing) and how big its Hyperscan databases are.
//
// The policy is the sample deployment (GUARD-SPEC 10) with its term lists replaced: the
// text of GUARD_BENCH_POLICY (default rules/sample-policy.yaml) without its
// 'prohibited_terms' and 'prohibited_term_files' sections (its markings stay), plus N
// inline literal terms of 1 to 3 words from a fixed-seed generator, so every run compiles
// the same expressions. Compiled from memory with pc_compile() (no term files, so no
// reader): what pc_compile_file() (guardctl) does once it has read the file. The image is
// written but not opened.
//
// Counters (per compile, averaged over the iterations):
//   compile_s    Hyperscan compile of both databases (struct pc_image.hs_seconds)
//   load_s       the whole pc_compile(), wall time: parse, checks, folding, Hyperscan,
//                image writing
//   db_bytes     both databases (pc_image.regex_db_bytes + literal_db_bytes)
//   patterns     expressions compiled, literals and regexes (N terms + the markings, a
//                literal whose skeleton form differs counting twice)
//   image_bytes  size of the ruleset image (pc_image.len)
// Peak memory is a process-wide figure: perf/run-compile-bench.sh runs each N in its own
// process and reads the peak RSS from /usr/bin/time.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <vector>

extern "C" {
#include "pc_policy.h"
}

namespace
{

std::string
read_file(const char *path)
{
	std::string s;
	FILE *f = std::fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (f == nullptr)
		return s;
	while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
		s.append(buf, n);
	std::fclose(f);
	return s;
}

// The policy text without the top-level sections that hold terms. A top-level key is a
// line that starts with a letter; a section runs to the next one.
std::string
strip_terms(const std::string &text)
{
	std::string out;
	bool skip = false;
	size_t pos = 0;

	while (pos < text.size()) {
		size_t eol = text.find('\n', pos);
		size_t end = eol == std::string::npos ? text.size() : eol + 1;
		std::string line = text.substr(pos, end - pos);
		char c0 = line.empty() ? '\0' : line[0];

		if ((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z'))
			skip = line.rfind("prohibited_terms:", 0) == 0 ||
			       line.rfind("prohibited_term_files:", 0) == 0;
		if (!skip)
			out += line;
		pos = end;
	}
	if (!out.empty() && out.back() != '\n')
		out += '\n';
	return out;
}

// splitmix64: a fixed stream, the same phrases on every machine.
struct Rng {
	uint64_t s;
	uint64_t
	next()
	{
		uint64_t z = (s += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		return z ^ (z >> 31);
	}
	uint32_t
	below(uint32_t n)
	{
		return uint32_t(next() % n);
	}
};

// Ordinary words that appear in project and operation names.
const char *const common[] = {
	"operation", "project", "exercise", "program", "task",	   "force",   "group",	"cell",
	"unit",	     "source",	"asset",    "network", "channel",  "report",  "vector", "corridor",
	"harbour",   "ridge",	"valley",   "river",   "bridge",   "station", "relay",	"archive",
	"ledger",    "cipher",	"signal",   "beacon",  "lantern",  "anchor",  "shield", "spear",
	"arrow",     "hammer",	"anvil",    "falcon",  "raven",	   "heron",   "osprey", "condor",
	"lynx",	     "otter",	"silent",   "hidden",  "northern", "eastern", "deep",	"distant",
	"frozen",    "iron",	"silver",   "golden",  "crimson",  "amber",   "black",	"pale",
	"broken",    "quiet",	"swift",    "last",    "first",	   "seventh", "outer",
};
const uint32_t n_common = uint32_t(sizeof(common) / sizeof(common[0]));

// Words of the kind term lists hold: the ordinary ones above, then codeword-like made-up
// words built from syllables.
std::vector<std::string>
word_pool()
{
	static const char *const onset[] = {"b",  "d",	"f",  "g",  "k",  "l",	"m",  "n",
					    "p",  "r",	"s",  "t",  "v",  "z",	"br", "dr",
					    "gr", "kr", "st", "tr", "th", "sk", "vr", "kh"};
	static const char *const vowel[] = {"a", "e", "i", "o", "u", "ae", "ai", "ei", "or", "ar"};
	static const char *const coda[] = {"", "n", "r", "l", "s", "th", "nd", "rk", "x", "ck"};
	std::vector<std::string> pool(std::begin(common), std::end(common));
	std::unordered_set<std::string> seen(pool.begin(), pool.end());
	Rng r{0x4774};

	while (pool.size() < 20000) {
		std::string w;
		unsigned syl = 2 + r.below(2);

		for (unsigned i = 0; i < syl; i++) {
			w += onset[r.below(sizeof(onset) / sizeof(onset[0]))];
			w += vowel[r.below(sizeof(vowel) / sizeof(vowel[0]))];
		}
		w += coda[r.below(sizeof(coda) / sizeof(coda[0]))];
		if (seen.insert(w).second)
			pool.push_back(w);
	}
	return pool;
}

// N distinct phrases of 1 to 3 words (10 % one, 60 % two, 30 % three), as YAML lines.
std::string
terms_yaml(size_t n)
{
	static const std::vector<std::string> pool = word_pool();
	std::unordered_set<std::string> seen;
	std::string out = "prohibited_terms:\n";
	Rng r{0x5eed0000ull + n};
	uint32_t id = 100001;

	seen.reserve(n * 2);
	while (seen.size() < n) {
		unsigned x = r.below(10), words = x == 0 ? 1 : x < 7 ? 2 : 3;
		std::string ph;

		for (unsigned i = 0; i < words; i++) {
			if (i > 0)
				ph += ' ';
			// ordinary words mostly lead ("operation kelvar"), made-up ones follow
			ph += pool[i == 0 && r.below(3) == 0 ? r.below(n_common)
							     : r.below(uint32_t(pool.size()))];
		}
		if (!seen.insert(ph).second)
			continue;
		out += "  - {id: " + std::to_string(id++) + ", literal: \"" + ph + "\"}\n";
	}
	return out;
}

const std::string &
header()
{
	static std::string h;
	static bool done = false;

	if (!done) {
		const char *pol = std::getenv("GUARD_BENCH_POLICY");

		h = strip_terms(read_file(pol != nullptr ? pol : "rules/sample-policy.yaml"));
		done = true;
	}
	return h;
}

void
BM_compile(benchmark::State &state)
{
	const size_t n = size_t(state.range(0));
	const std::string &head = header();
	if (head.empty()) {
		state.SkipWithError("cannot read the policy (set GUARD_BENCH_POLICY)");
		return;
	}
	const std::string text = head + terms_yaml(n);
	double compile_s = 0, load_s = 0;
	size_t db = 0, image = 0;
	uint32_t patterns = 0;

	for (auto _ : state) {
		insp_err err;
		pc_image img;
		auto t0 = std::chrono::steady_clock::now();
		int rc = pc_compile(text.data(), text.size(), "bench-compile.yaml", nullptr,
				    nullptr, &img, &err);
		auto t1 = std::chrono::steady_clock::now();

		if (rc != 0) {
			state.SkipWithError(err.msg);
			return;
		}
		load_s += std::chrono::duration<double>(t1 - t0).count();
		compile_s += img.hs_seconds;
		db = img.regex_db_bytes + img.literal_db_bytes;
		patterns = img.n_literals + img.n_regexes;
		image = img.len;
		benchmark::DoNotOptimize(img.bytes);
		pc_image_free(&img);
	}
	const double it = double(state.iterations());
	state.counters["compile_s"] = compile_s / it;
	state.counters["load_s"] = load_s / it;
	state.counters["db_bytes"] = benchmark::Counter(double(db), benchmark::Counter::kDefaults,
							benchmark::Counter::kIs1024);
	state.counters["patterns"] = double(patterns);
	state.counters["image_bytes"] = benchmark::Counter(
		double(image), benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
	state.counters["yaml_bytes"] = benchmark::Counter(
		double(text.size()), benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
	state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(n));
}

} // namespace

BENCHMARK(BM_compile)
	->ArgName("terms")
	->Arg(1000)
	->Iterations(3)
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK(BM_compile)
	->ArgName("terms")
	->Arg(10000)
	->Iterations(1)
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK(BM_compile)
	->ArgName("terms")
	->Arg(100000)
	->Iterations(1)
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK_MAIN();
