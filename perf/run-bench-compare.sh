#!/usr/bin/env bash
# Before/after per-message cost, side by side in one run: two builds of bench_inspect (each
# with its own policy, or the same one) alternate on the same gen-traffic pcap (all formats,
# 20,000 frames, seed 11) for R rounds; the table gives each benchmark's median ns/message
# and min..max per build, and the ratio of the medians (after/before). The machine is shared
# and noisy: rounds alternate so that a slow spell hurts both sides alike.
#
# Usage: perf/run-bench-compare.sh BEFORE_BUILD BEFORE_POLICY AFTER_BUILD AFTER_POLICY [ROUNDS]
#   e.g. git worktree add /tmp/before <commit> && meson setup /tmp/before/build ... &&
#        perf/run-bench-compare.sh /tmp/before/build /tmp/before/rules/sample-policy.yaml \
#            build rules/sample-policy.yaml 5
# Benchmarks one build lacks (e.g. norm/* before they existed) show only the other's figure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
(($# == 4 || $# == 5)) || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
before=$1 before_pol=$2 after=$3 after_pol=$4 rounds=${5:-5}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run-bench-compare: ROUNDS must be a positive number" >&2; exit 2; }
for b in "$before" "$after"; do
	[[ -x $b/perf/bench_inspect ]] || { echo "run-bench-compare: $b/perf/bench_inspect not built" >&2; exit 1; }
done
out=$root/out/bench-compare
mkdir -p "$out"
rm -f "$out"/*.csv
"$after/tools/gen-traffic/gen-traffic" --out "$out/traffic.pcap" --expect "$out/traffic.expect" \
	--count 20000 --seed 11 --formats all >/dev/null
for ((r = 1; r <= rounds; r++)); do
	for side in before after; do
		if [[ $side == before ]]; then b=$before pol=$before_pol; else b=$after pol=$after_pol; fi
		GUARD_BENCH_POLICY=$pol GUARD_BENCH_PCAP=$out/traffic.pcap \
			"$b/perf/bench_inspect" --benchmark_min_time=0.3 --benchmark_format=csv \
			2>/dev/null >"$out/$side-$r.csv"
	done
done
# csv: name,iterations,real_time,cpu_time,time_unit,...
awk -F, -v rounds="$rounds" '
function median(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
FNR == 1 { side = FILENAME ~ /\/before-/ ? "before" : "after" }
$1 ~ /^"/ && $5 ~ /ns/ {
	name = $1; gsub(/"/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
	k = name SUBSEP side
	cnt[k]++; v[k, cnt[k]] = $4
}
END {
	printf "%-26s %22s %22s %7s\n", "benchmark (ns/message)", "before median (min..max)", "after median (min..max)", "ratio"
	for (i = 1; i <= n; i++) {
		name = order[i]; line = sprintf("%-26s", name)
		for (s = 0; s < 2; s++) {
			side = s ? "after" : "before"; k = name SUBSEP side; m[side] = 0
			if (cnt[k] == 0) { line = line sprintf(" %22s", "-"); continue }
			delete a; lo = 1e18; hi = 0
			for (j = 1; j <= cnt[k]; j++) { a[j] = v[k, j]; if (a[j] < lo) lo = a[j]; if (a[j] > hi) hi = a[j] }
			m[side] = median(a, cnt[k])
			line = line sprintf(" %8.0f (%5.0f..%-5.0f)", m[side], lo, hi)
		}
		line = line (m["before"] > 0 && m["after"] > 0 ? sprintf(" %7.2f", m["after"] / m["before"]) : sprintf(" %7s", "-"))
		print line
	}
	printf "(%d rounds each, alternating; medians)\n", rounds
}' "$out"/before-*.csv "$out"/after-*.csv
