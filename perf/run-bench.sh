#!/usr/bin/env bash
# Per-message cost of the inspection library (Google Benchmark), on gen-traffic's mix of
# all five formats (the per-format benchmarks need every format in the pcap).
# Usage: perf/run-bench.sh [BUILD_DIR] [extra benchmark args...]
# Prints the median of 5 repetitions and min..max (the machine is shared and noisy).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
out=$root/out/bench
mkdir -p "$out"
"$build/tools/gen-traffic/gen-traffic" --out "$out/traffic.pcap" --expect "$out/traffic.expect" \
	--count 20000 --seed 11 --formats all >/dev/null
GUARD_BENCH_POLICY=$root/rules/sample-policy.yaml GUARD_BENCH_PCAP=$out/traffic.pcap \
	"$build/perf/bench_inspect" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
	--benchmark_min_time=0.5 "$@"
