#!/usr/bin/env bash
# Control-plane figures (GUARD-SPEC 9, issue 11), measured on this machine in one run:
#   1. hot reload under load: tests/control/reload-under-load.sh with RELOADS reloads
#      (testpmd -> memif -> guardd -> memif -> testpmd): swap time (publish -> every worker on
#      the new generation, from the workers' own TSC stamps), grace period, packets lost;
#   2. audit throughput: guardd on an endless net_pcap replay -> net_null with one worker,
#      guard-control attached, for SECONDS s: records/s written, fdatasync'ed and counted
#      flushed; once with a record per message (releases: record), once with drops and
#      reviews only (releases: summary); and whether the writer kept up (records lost,
#      releases dropped as audit_unavailable);
#   3. reload time of a policy file as an operator sees it (guardctl policy load: compile in
#      guard-control's child, keep the image, swap): the sample policy and the sample policy
#      with 10,000 generated literal terms, RUNS times each, median.
#
# Usage: perf/run-control-bench.sh [BUILD_DIR] [--reloads N] [--seconds S] [--runs R]
# Raw results: out/bench-control/. Prints a markdown table for docs/performance.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build reloads=100 seconds=10 runs=3
while (($#)); do
	case $1 in
	--reloads) reloads=${2:?}; shift 2 ;;
	--seconds) seconds=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run-control-bench: unknown option '$1'" >&2; exit 2 ;;
	*) build=$(realpath "$1"); shift ;;
	esac
done
for v in "$reloads" "$seconds" "$runs"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "run-control-bench: counts must be positive numbers" >&2; exit 2; }
done
out=$root/out/bench-control
rm -rf "$out"
mkdir -p "$out"

# ---- 1. reloads under load ----------------------------------------------------------------
echo "reload under load: $reloads reloads ..." >&2
"$root/tests/control/reload-under-load.sh" "$build" "$root" "$out/reload" "$reloads" >"$out/reload.txt" 2>&1 || {
	cat "$out/reload.txt" >&2
	echo "run-control-bench: the reload-under-load run failed" >&2
	exit 1
}

# ---- 2 and 3 share one guardd + guard-control (tests/control/lib.sh) -------------------------
BUILD=$build ROOT=$root SCRATCH=$out/run
# shellcheck source=tests/control/lib.sh
source "$root/tests/control/lib.sh"
cd "$SCRATCH"
"$build/tools/gen-traffic/gen-traffic" --out traffic.pcap --expect traffic.expect --count 2000 \
	--seed 1 --formats all >gen.log 2>&1 || fail "gen-traffic failed"
for f in "$root"/rules/*; do [[ -e $(basename "$f") ]] || ln -s "$f" .; done
sed 's/^  releases: summary$/  releases: record/' "$root/rules/sample-policy.yaml" >record.yaml
cp "$root/rules/sample-policy.yaml" summary.yaml
# the sample policy plus 10,000 generated two-word literal terms in a term file of their own
python3 - <<'EOF'
import random
random.seed(10000)
letters = 'abcdefghijklmnopqrstuvwxyz'
seen = set()
with open('terms10k.txt', 'w') as f:
    while len(seen) < 10000:
        w = ''.join(random.choice(letters) for _ in range(7)) + ' ' + \
            ''.join(random.choice(letters) for _ in range(6))
        if w not in seen:
            seen.add(w)
            f.write(w + '\n')
src = open('summary.yaml').read()
anchor = 'prohibited_term_files:\n'
assert anchor in src
open('terms10k.yaml', 'w').write(src.replace(
    anchor, anchor + '  - {path: terms10k.txt, first_id: 100001, action: drop}\n', 1))
EOF
guardctl policy compile record.yaml -o record.rules >/dev/null || fail "compile record.yaml"
guardctl policy compile summary.yaml -o summary.rules >/dev/null || fail "compile summary.yaml"

start_guardd --vdev "net_pcap0,rx_pcap=$SCRATCH/traffic.pcap,infinite_rx=1" --vdev "net_null1,no-rx=1" \
	-- --ruleset record.rules
start_control

status_field() { guardctl status --json --socket "$SOCK" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
tstat() { telemetry /guard/stats | python3 -c "import json,sys; print(json.load(sys.stdin)['/guard/stats']['$1'])"; }

# audit_run NAME: SECONDS of load with the running ruleset; one table row
audit_run() {
	local f0 f1 r0 r1 l0 l1 u0 u1 t0 t1
	sleep 2
	f0=$(status_field 'd["audit"]["flushed"]') r0=$(tstat received) l0=$(tstat audit_lost) u0=$(tstat audit_unavailable)
	t0=$(date +%s%N)
	sleep "$seconds"
	f1=$(status_field 'd["audit"]["flushed"]') r1=$(tstat received) l1=$(tstat audit_lost) u1=$(tstat audit_unavailable)
	t1=$(date +%s%N)
	python3 -c "
s = ($t1 - $t0) / 1e9
print(f'| $1 | {($r1 - $r0) / s:,.0f} | {($f1 - $f0) / s:,.0f} | {($l1 - $l0) / s:,.0f} | {($u1 - $u0) / s:,.0f} |')"
}
{
	echo "| audit load | messages/s | records/s flushed | records lost/s | releases dropped (audit_unavailable)/s |"
	echo "|---|---:|---:|---:|---:|"
	echo "audit throughput: a record per message ..." >&2
	audit_run "a record per message (releases: record)"
	guardctl policy load "$SCRATCH/summary.rules" --socket "$SOCK" >/dev/null || fail "load summary.rules"
	echo "audit throughput: drops and reviews only ..." >&2
	audit_run "drops and reviews only (releases: summary)"
} >"$out/audit.md"

# ---- 3. reload time of policy files (compile + keep + swap) ---------------------------------
{
	echo "| policy | compile (s) | load (ms) | swap (us) | guardctl policy load, wall (s) |"
	echo "|---|---:|---:|---:|---:|"
	for p in summary terms10k; do
		echo "reload time: $p.yaml, $runs runs ..." >&2
		: >"$out/load-$p.txt"
		for _ in $(seq "$runs"); do
			t0=$(date +%s%N)
			o=$(guardctl policy load "$SCRATCH/$p.yaml" --socket "$SOCK") || fail "load $p.yaml: $o"
			t1=$(date +%s%N)
			printf '%s wall_ns %s\n' "$(head -1 <<<"$o")" $((t1 - t0)) >>"$out/load-$p.txt"
		done
		python3 - "$out/load-$p.txt" "$p" <<'EOF'
import re, statistics, sys
rows = [re.search(r'compiled in ([\d.]+) s, loaded in ([\d.]+) ms, swapped in (\d+) us.*wall_ns (\d+)', l).groups()
        for l in open(sys.argv[1])]
med = lambda i: statistics.median(float(r[i]) for r in rows)
name = {'summary': 'sample policy (372 literal terms + markings)',
        'terms10k': 'sample policy + 10,000 literal terms'}[sys.argv[2]]
print(f'| {name} | {med(0):.3f} | {med(1):.1f} | {med(2):.0f} | {med(3) / 1e9:.3f} |')
EOF
	done
} >"$out/reload-time.md"
stop_guardd

echo
echo "## hot reload under load ($reloads reloads, testpmd -> memif -> guardd -> memif -> testpmd)"
grep -E '^(ok: no packet lost|swap|grace|reload as)' "$out/reload.txt"
echo
cat "$out/audit.md"
echo
cat "$out/reload-time.md"
echo
echo "machine: $(nproc) cores, $(awk '/model name/ { $1 = $2 = $3 = ""; print; exit }' /proc/cpuinfo | sed 's/^ *//')"
