#!/usr/bin/env bash
# Ruleset compile cost (GUARD-SPEC 9): load the sample policy with N generated literal terms
# (build/perf/bench_compile) and print, per N, the time to load and compile, the Hyperscan
# database size and the peak memory of the process.
#
# Usage: perf/run-compile-bench.sh [BUILD_DIR] [--sizes "1000 10000"] [--runs R]
#   --sizes  term counts to measure (default "1000 10000"; 100000 takes about six minutes
#            and 3 GiB per run, see docs/performance.md, so ask for it explicitly)
#   --runs   separate runs per size (default 3); the table shows the median and min..max
# Each run is its own process, so its peak RSS (from /usr/bin/time, if installed) belongs to
# that size alone. Raw results: out/bench-compile/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
sizes="1000 10000"
runs=3
while (($#)); do
	case $1 in
	--sizes) sizes=${2:?--sizes needs a list}; shift 2 ;;
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	-h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run-compile-bench: unknown option '$1'" >&2; exit 2 ;;
	*) build=$1; shift ;;
	esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run-compile-bench: --runs wants a positive number" >&2; exit 2; }
bench=$build/perf/bench_compile
[[ -x $bench ]] || { echo "run-compile-bench: $bench not built (needs libbenchmark-dev and a C++ compiler)" >&2; exit 1; }
out=$root/out/bench-compile
mkdir -p "$out"
timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f '%M')

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
read -ra size_list <<<"$sizes"
for n in "${size_list[@]}"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run-compile-bench: bad size '$n'" >&2; exit 2; }
	for ((r = 1; r <= runs; r++)); do
		echo "terms $n, run $r of $runs ..." >&2
		GUARD_BENCH_POLICY=$root/rules/sample-policy.yaml "${timer[@]}" "$bench" \
			--benchmark_filter="BM_compile/terms:$n/" --benchmark_format=json \
			>"$out/terms-$n-run-$r.json" 2>"$out/terms-$n-run-$r.rss"
	done
done

python3 - "$out" "${size_list[@]}" <<'EOF'
import glob, json, statistics, sys
out, sizes = sys.argv[1], sys.argv[2:]
def med(v):
    return statistics.median(v), min(v), max(v)
def fmt(v, scale=1.0, unit="", digits=2):
    m, lo, hi = med([x * scale for x in v])
    if lo == hi:
        return f"{m:.{digits}f}{unit}"
    return f"{m:.{digits}f}{unit} ({lo:.{digits}f}..{hi:.{digits}f})"
print()
print("| terms | patterns | runs | load, wall s | Hyperscan compile, wall s | process CPU s | database MiB | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
for n in sizes:
    load, comp, cpu, db, rss, pats = [], [], [], [], [], 0
    for path in sorted(glob.glob(f"{out}/terms-{n}-run-*.json")):
        with open(path) as f:
            b = json.load(f)["benchmarks"][0]
        if b.get("error_occurred"):
            print(f"| {n} | error: {b.get('error_message')} |")
            continue
        load.append(b["load_s"]); comp.append(b["compile_s"])
        cpu.append(b["cpu_time"] / 1000.0)  # ms per iteration
        db.append(b["db_bytes"]); pats = int(b["patterns"])
        try:
            with open(path[:-5] + ".rss") as f:
                rss.append(int(f.read().split()[-1]) / 1024.0)
        except (OSError, ValueError, IndexError):
            pass
    if not load:
        continue
    print(f"| {int(n):,} | {pats:,} | {len(load)} | {fmt(load)} | {fmt(comp)} | {fmt(cpu)} | "
          f"{fmt(db, 1 / 1048576.0, '', 1)} | {fmt(rss, 1.0, '', 0) if rss else 'n/a'} |")
EOF
