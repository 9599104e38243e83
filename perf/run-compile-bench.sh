#!/usr/bin/env bash
# Ruleset compile cost before and after, in one run (GUARD-SPEC 9, issue 10): the sample
# policy (guardctl) and the sample policy with N generated literal terms (perf/bench_compile),
# each measured with the "before" build and this build alternately, every run its own
# process so that its peak RSS (/usr/bin/time) belongs to that compile alone.
#
# Usage: perf/run-compile-bench.sh [BUILD_DIR] [--before REV] [--sizes "1000 10000"] [--runs R]
#   --before  the git revision to compare with (default 2c8274c, the last commit that
#             compiled policies inside libguard-inspect); built once into out/compile-before/
#   --sizes   term counts (default "1000 10000"; the "before" build needs about six minutes
#             and 3 GiB for 100000, so ask for it explicitly)
#   --runs    runs per size and side (default 3); the table shows the median and min..max
# Raw results: out/bench-compile/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
before_rev=2c8274c
sizes="1000 10000"
runs=3
while (($#)); do
	case $1 in
	--before) before_rev=${2:?--before needs a revision}; shift 2 ;;
	--sizes) sizes=${2:?--sizes needs a list}; shift 2 ;;
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run-compile-bench: unknown option '$1'" >&2; exit 2 ;;
	*) build=$(realpath "$1"); shift ;;
	esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run-compile-bench: --runs wants a positive number" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "run-compile-bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
after_bench=$build/perf/bench_compile after_gc=$build/control/guardctl
[[ -x $after_bench && -x $after_gc ]] || {
	echo "run-compile-bench: $after_bench or $after_gc not built (needs libbenchmark-dev)" >&2
	exit 1
}

# the "before" side: a worktree of REV built once (benchmarks and guardctl only)
bdir=$root/out/compile-before
if [[ ! -x $bdir/build/perf/bench_compile || "$(cat "$bdir/rev" 2>/dev/null)" != "$before_rev" ]]; then
	echo "building $before_rev into $bdir ..." >&2
	git -C "$root" worktree remove --force "$bdir/src" 2>/dev/null || rm -rf "$bdir/src"
	mkdir -p "$bdir"
	git -C "$root" worktree add --detach "$bdir/src" "$before_rev" >/dev/null
	rm -rf "$bdir/build"
	meson setup "$bdir/build" "$bdir/src" -Ddataplane=disabled >"$bdir/setup.log" 2>&1
	ninja -C "$bdir/build" perf/bench_compile control/guardctl >"$bdir/ninja.log" 2>&1
	echo "$before_rev" >"$bdir/rev"
fi
before_bench=$bdir/build/perf/bench_compile before_gc=$bdir/build/control/guardctl

out=$root/out/bench-compile
rm -rf "$out"
mkdir -p "$out"
policy=$root/rules/sample-policy.yaml
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"

# sample policy: before = policy check (load + compile), after = policy compile (to an image)
for ((r = 1; r <= runs; r++)); do
	echo "sample policy, run $r of $runs ..." >&2
	/usr/bin/time -f '%e %M' -o "$out/sample-before-$r.time" "$before_gc" policy check "$policy" >/dev/null
	/usr/bin/time -f '%e %M' -o "$out/sample-after-$r.time" \
		"$after_gc" policy compile "$policy" -o "$out/sample.rules" >/dev/null
done
read -ra size_list <<<"$sizes"
for n in "${size_list[@]}"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run-compile-bench: bad size '$n'" >&2; exit 2; }
	for ((r = 1; r <= runs; r++)); do
		for side in before after; do
			echo "terms $n, $side, run $r of $runs ..." >&2
			bench=$before_bench
			[[ $side == after ]] && bench=$after_bench
			GUARD_BENCH_POLICY=$policy /usr/bin/time -f '%e %M' -o "$out/terms-$n-$side-$r.time" \
				"$bench" --benchmark_filter="BM_compile/terms:$n/" --benchmark_format=json \
				--benchmark_min_time=0 >"$out/terms-$n-$side-$r.json" 2>/dev/null
		done
	done
done

python3 - "$out" "$runs" "${size_list[@]}" <<'PY'
import glob, json, statistics, sys
out, runs, sizes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def stat(v, digits=2):
    if not v:
        return "n/a"
    m = statistics.median(v)
    return f"{m:.{digits}f}" if min(v) == max(v) else f"{m:.{digits}f} ({min(v):.{digits}f}..{max(v):.{digits}f})"
def times(pat):
    wall, rss = [], []
    for p in sorted(glob.glob(pat)):
        w, m = open(p).read().split()[-2:]
        wall.append(float(w)); rss.append(int(m) / 1024.0)
    return wall, rss
def ratio(a, b):
    return f"{statistics.median(a) / statistics.median(b):.1f}x" if a and b else "n/a"
print()
print("| input | side | compile, wall s | peak RSS MiB | database MiB | speed-up |")
print("|---|---|---|---|---|---|")
bw, br = times(f"{out}/sample-before-*.time"); aw, ar = times(f"{out}/sample-after-*.time")
print(f"| sample policy | before | {stat(bw)} | {stat(br, 0)} | | |")
print(f"| sample policy | after | {stat(aw)} | {stat(ar, 0)} | | {ratio(bw, aw)} |")
for n in sizes:
    row = {}
    for side in ("before", "after"):
        load, db = [], []
        for p in sorted(glob.glob(f"{out}/terms-{n}-{side}-*.json")):
            try:
                b = json.load(open(p))["benchmarks"][0]
            except (ValueError, IndexError, KeyError):
                continue
            if b.get("error_occurred"):
                continue
            load.append(b["load_s"]); db.append(b["db_bytes"] / 1048576.0)
        wall, rss = times(f"{out}/terms-{n}-{side}-*.time")
        row[side] = (load, rss, db)
    for side in ("before", "after"):
        load, rss, db = row[side]
        sp = ratio(row["before"][0], row["after"][0]) if side == "after" else ""
        print(f"| {int(n):,} terms | {side} | {stat(load)} | {stat(rss, 0)} | {stat(db, 1)} | {sp} |")
PY
