#!/usr/bin/env bash
# guardd end to end over net_memif, the demo's topology, against dpdk-testpmd in its place
# (GUARD-SPEC 9, issue 12.2). Every run is one tools/lib/memif-run.sh replay:
#
#   testpmd: net_pcap (the pcap, once) --io, retry--> memif A --> BOX --> memif B --> net_null
#
#   traffic   the demo's: gen-traffic --count COUNT --seed 1 --formats all (~1035-byte
#             frames), generated again before every guardd run: its events go stale
#             minutes after generation, and guardd's counts must equal the sidecar each run
#   guardd    BOX = guardd with the sample policy (guardctl policy compile), W worker lcores;
#             rate = total rx / total seconds of its --stats-file (first to last received
#             burst); the run counts only if every (channel, reason) equals the sidecar
#   testpmd   BOX = a second dpdk-testpmd, io forwarding with retry (memif-run.sh
#             --standin), W forwarding lcores; rate = what it receives per second, its
#             port counters read every 10 ms over DPDK telemetry (the steady rate between
#             the first and last reading taken while frames arrive). Every frame must come
#             back. This is the I/O ceiling of the topology: the source, memif copies and
#             scheduling, with nothing inspected
#   W > 1     W queue pairs on both memifs (memif has no RSS: the pcap is split
#             round-robin, one part per queue of testpmd's net_pcap, so queue q, i.e.
#             worker q, gets every W-th frame). The source stays one forwarding lcore
#   Gbit/s    L2 frame bytes (destination MAC to the end of the payload; no FCS, preamble
#             or inter-frame gap: on a wire add 24 bytes a frame) * 8 / the same seconds
# Cases run in rounds (guardd W=1, testpmd W=1, guardd W=2, testpmd W=2), RUNS rounds
# (default 5); the table shows medians and min..max, then `ratio:` lines: guardd/testpmd
# for each W, and W=2 over W=1 for each box.
#
# On a 2-vCPU machine W=2 cannot show scaling: testpmd's forwarding lcore and two workers
# poll on two CPUs (worker 1 on CPU 1, worker 2 on CPU 0 beside the source; the kernel
# time-slices them).
#
# A shared machine: before each run the script waits (up to --quiet SEC, default 30; 0:
# never) for a second in which other processes use under a quarter of a CPU, and each run
# counts how often the polling lcores were preempted (memif-run.sh: involuntary context
# switches; with a CPU per poller tens to a few hundred a run, with a shared CPU hundreds
# more). Both go to results.tsv and the table.
#
# --boxes "guardd guardd-direct" compares guardd with its priority egress (the default: class
# queues, worker 0 sends; every port at line rate in the sample policy) against guardd
# --egress-direct (each worker sends at once, no queues): the scheduler's cost (issue 14,
# docs/egress.md; perf/egress.sh runs it).
#
# Usage: perf/e2e.sh [BUILD_DIR] [--runs N] [--count N] [--workers "1 2"] [--quiet SEC]
#                    [--boxes "guardd testpmd guardd-direct"]
# Raw results: out/e2e/ (results.tsv, table.md; each run's memif-run.sh directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build runs=5 count=200000 workers_list="1 2" quiet=30 boxes="guardd testpmd"
while (($#)); do
	case $1 in
	--runs) runs=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	--workers) workers_list=${2:?}; shift 2 ;;
	--quiet) quiet=${2:?}; shift 2 ;;
	--boxes) boxes=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,/^# Raw results/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "e2e: unknown option '$1' (try --help)" >&2; exit 2 ;;
	*) build=$(realpath "$1"); shift ;;
	esac
done
for v in "$runs" "$count"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "e2e: --runs and --count want positive numbers" >&2; exit 2; }
done
[[ $quiet =~ ^[0-9]+$ ]] || { echo "e2e: --quiet wants seconds" >&2; exit 2; }
for b in $boxes; do
	case $b in
	guardd | guardd-direct | testpmd) ;;
	*) echo "e2e: --boxes wants guardd, guardd-direct or testpmd, got '$b'" >&2; exit 2 ;;
	esac
done
for w in $workers_list; do
	if [[ ! $w =~ ^[1-9][0-9]*$ ]] || ((w > 16)); then
		echo "e2e: --workers wants numbers 1..16" >&2
		exit 2
	fi
done
# shellcheck source=tools/lib/common.sh
source "$root/tools/lib/common.sh"
need_root
guardd=$build/dataplane/guardd guardctl=$build/control/guardctl
gen=$build/tools/gen-traffic/gen-traffic
[[ -x $guardd && -x $guardctl && -x $gen ]] || die "build first: $guardd, $guardctl, $gen"
setup_hugepages "$GUARD_HUGEPAGES" || die "hugepages could not be set up"
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found (apt-get install dpdk)"
command -v python3 >/dev/null || die "python3 not found"
max_w=1
for w in $workers_list; do ((w > max_w)) && max_w=$w; done
# testpmd takes 256 MiB per queue pair, guardd or the stand-in as much: 2 MiB pages
need=$((2 * 128 * max_w))
free=$(hugepages_free)
((free >= need)) || die "only $free free 2 MiB hugepages, $need needed (another DPDK process running?)"

out=$root/out/e2e
rm -rf "$out"
mkdir -p "$out"
cd "$out"
"$guardctl" policy compile "$root/rules/sample-policy.yaml" -o sample.rules >compile.log 2>&1 ||
	die "the sample policy did not compile: $(cat compile.log)"
printf 'case\tworkers\trun\tframes\tbytes\tseconds\tothers_cpu_pct\tpreempted_box\tpreempted_source\n' >results.tsv

# busy_pct: the CPU time used over the next second, in % of one CPU (between runs: others')
busy_pct() {
	local a b
	read -r _ a <<<"$(head -n 1 /proc/stat)"
	sleep 1
	read -r _ b <<<"$(head -n 1 /proc/stat)"
	# user nice system idle iowait irq softirq steal
	read -r -a a <<<"$a"
	read -r -a b <<<"$b"
	local busy=$((b[0] + b[1] + b[2] + b[5] + b[6] + b[7] - a[0] - a[1] - a[2] - a[5] - a[6] - a[7]))
	local idle=$((b[3] + b[4] - a[3] - a[4]))
	printf '%s\n' $((busy * 100 * ncpu / (busy + idle > 0 ? busy + idle : 1)))
}
ncpu=$(nproc)
# wait_quiet: until others use under 25 % of a CPU for a second, at most --quiet seconds
wait_quiet() {
	local t0=$SECONDS
	others=$(busy_pct)
	while ((others >= 25 && SECONDS - t0 < quiet)); do others=$(busy_pct); done
	((others < 25 || quiet == 0)) || log "others still use $others % of a CPU after $quiet s: running anyway"
}

# run_case BOX W R: one memif-run.sh replay; appends a line to results.tsv
run_case() {
	local box=$1 w=$2 r=$3 d=$1-w$2-r$3 args frames bytes sbytes secs pb ps
	if [[ $box == guardd* || ! -e traffic.pcap ]]; then
		# the same frames every time, with this minute's clock (the events go stale)
		"$gen" --out traffic.pcap --expect traffic.expect --count "$count" --seed 1 \
			--formats all >gen.log 2>&1 || die "gen-traffic failed: $(cat gen.log)"
	fi
	wait_quiet
	if [[ $box == guardd ]]; then
		args=(--guardd "$guardd" --ruleset sample.rules --expect traffic.expect)
	elif [[ $box == guardd-direct ]]; then
		args=(--guardd "$guardd" --ruleset sample.rules --expect traffic.expect
			--guardd-opt --egress-direct)
	else
		args=(--standin)
	fi
	if ! "$root/tools/lib/memif-run.sh" "${args[@]}" --pcap traffic.pcap --workdir "$d" \
		--workers "$w" --prefix e2e --idle-exit 2 --timeout $((120 + count / 5000)) \
		--label "perf/e2e: $box, $w worker(s), round $r, $count frames" >"$d.txt" 2>&1; then
		cat "$d.txt" >&2
		die "$box with $w worker(s), round $r failed; logs in $out/$d/"
	fi
	# the bytes testpmd's net_pcap read, i.e. what went onto memif A
	bytes=$(awk '/NIC statistics for port 0 / { on = 1 } on && /RX-bytes:/ { b = $NF; on = 0 }
		END { print b }' "$d/testpmd.log")
	[[ -n $bytes ]] || die "$d: no RX-bytes of net_pcap in $d/testpmd.log"
	if [[ $box == guardd* ]]; then
		read -r frames secs < <(awk '$1 == "total" && $2 == "rx" { rx = $3 }
			$1 == "total" && $2 == "seconds" { s = $3 } END { print rx, s }' "$d/guardd.stats")
	else
		# seconds: frames / the stand-in's steady rate (memif-run.sh)
		read -r frames sbytes secs < <(awk '{ v[$1] = $2 }
			END { print v["frames"], v["bytes"], v["seconds"] }' "$d/standin.rate")
		((sbytes == bytes)) || die "$d: the stand-in counted $sbytes bytes, net_pcap read $bytes"
	fi
	[[ -n $frames && -n $secs ]] || die "$d: no frame count or time"
	((frames == count)) || die "$d: $frames frames received, want $count"
	awk -v s="$secs" 'BEGIN { exit !(s > 0) }' || die "$d: the replay was too short to time (a larger --count)"
	read -r pb ps < <(awk '{ v[$1] = $2 } END { print v["box"], v["source"] }' "$d/preempted")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$box" "$w" "$r" "$frames" "$bytes" \
		"$secs" "$others" "$pb" "$ps" >>results.tsv
	log "$(grep -E 'rate, Mpps' "$d.txt" | sed 's/^ *//;s/  */ /g'); others $others %, preempted $pb/$ps"
}

log "traffic: gen-traffic --count $count --seed 1 --formats all, again before each guardd run"
for r in $(seq "$runs"); do
	log "round $r of $runs"
	for w in $workers_list; do
		for box in $boxes; do
			run_case "$box" "$w" "$r"
		done
	done
done
rm -f traffic.pcap # 200 MB; gen-traffic makes it again in seconds

python3 - "$count" "$(nproc)" <<'EOF' | tee table.md
import csv, statistics, sys
count, ncpu = int(sys.argv[1]), int(sys.argv[2])
rows, rate, runs_of = {}, {}, []
for r in csv.DictReader(open('results.tsv'), delimiter='\t'):
    s = float(r['seconds'])
    rate[r['case'], int(r['workers']), r['run']] = int(r['frames']) / s
    if r['run'] not in runs_of:
        runs_of.append(r['run'])
    rows.setdefault((r['case'], int(r['workers'])), []).append(
        (int(r['frames']) / s, int(r['bytes']) * 8 / s, int(r['preempted_box']),
         int(r['others_cpu_pct'])))
name = {'guardd': 'guardd, sample ruleset', 'testpmd': 'dpdk-testpmd io (stand-in)',
        'guardd-direct': 'guardd --egress-direct (no class queues)'}
print(f'traffic: {count:,} frames of the demo mix per run; net_memif, {ncpu} CPUs; '
      'Gbit/s = L2 frame bytes (no FCS, preamble, gap)')
print('| box between the memifs | workers | Mpps (median) | min..max | Gbit/s (median) | '
      'preempted (median) | runs |')
print('|---|---:|---:|---:|---:|---:|---:|')
med = {}
for (box, w), v in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0] != 'guardd', kv[0][0])):
    pps = [x[0] for x in v]
    med[box, w] = statistics.median(pps)
    print(f'| {name[box]} | {w} | {med[box, w] / 1e6:.3f} | {min(pps) / 1e6:.3f}..'
          f'{max(pps) / 1e6:.3f} | {statistics.median(x[1] for x in v) / 1e9:.2f} | '
          f'{statistics.median(x[2] for x in v):.0f} | {len(v)} |')
busy = sum(x[3] >= 25 for v in rows.values() for x in v)
if busy:
    print(f'note: {busy} runs started while other processes used 25 % of a CPU or more')
ws = sorted({w for _, w in rows})
for w in ws:
    if ('guardd', w) in med and ('testpmd', w) in med:
        tail = '' if w == 1 else f', {w} workers'
        print(f'ratio: {med["guardd", w] / med["testpmd", w]:.2f} (guardd/testpmd, memif{tail})')
    if ('guardd', w) in med and ('guardd-direct', w) in med:
        tail = '' if w == 1 else f', {w} workers'
        print(f'ratio: {med["guardd", w] / med["guardd-direct", w]:.3f} (guardd with priority '
              f'egress/guardd --egress-direct{tail})')
        # the two ran back to back in each round: the ratio within a round cancels most of
        # what the shared machine did to that round
        pair = [rate['guardd', w, r] / rate['guardd-direct', w, r] for r in runs_of
                if ('guardd', w, r) in rate and ('guardd-direct', w, r) in rate]
        if pair:
            print(f'paired ratio: {statistics.median(pair):.3f} median of {len(pair)} rounds '
                  f'({" ".join(f"{x:.3f}" for x in pair)}), guardd with priority '
                  f'egress/--egress-direct{tail}')
for box in ('guardd', 'testpmd'):
    for w in ws[1:]:
        if (box, 1) in med and (box, w) in med:
            print(f'ratio: {med[box, w] / med[box, 1]:.2f} ({box} {w} workers/1 worker)')
EOF
