#!/usr/bin/env bash
# The slow path's cost and throughput (issue 13): does an object flood slow the fast path,
# and how many MB/s does guard-slowpath inspect per type.
#
#   fast path   the demo's traffic (gen-traffic --count 20000 --seed 1 --formats all) sent
#               over memif by perf/pace as fast as guardd takes it, for SECONDS (default 5),
#               into guardd (one worker, core 1) with guard-control and guard-slowpath
#               attached (both on core 0, with the pacer), first alone, then interleaved
#               frame for frame with an object flood on the objects_out channel (JPEGs,
#               PNGs and PDFs of tests/slowpath/make-corpus.py, 1 KiB chunks). The fast path's
#               rate is the messages guardd decided on its message channels per second of
#               its run (--stats-file: cells of every channel but objects_out, over `total
#               seconds`).
#   per type    perf/bench_slowpath (Google Benchmark): guard-slowpath's whole decision on
#               one object (type check, PDF scan and text, image CDR, envelope, the fast
#               path's label and content checks) in MB/s of object, per type.
# Prints both tables and a `ratio:` line (fast path with the flood / without).
#
# Usage: perf/objects.sh [BUILD_DIR] [--seconds S] [--runs N]   (root: hugepages, DPDK)
#   the two runs alternate N times (default 3); the table gives medians
# Raw results in out/objects/: alone.stats, flood.stats (guardd), flood.slowpath.stats,
# bench.txt, and each run's logs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build seconds=5 runs=3
while (($#)); do
	case $1 in
	--seconds) seconds=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "objects: unknown option '$1' (--help)" >&2; exit 2 ;;
	*) BUILD=$(realpath "$1"); shift ;;
	esac
done
[[ $seconds =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] ||
	{ echo "objects: --seconds and --runs want positive whole numbers" >&2; exit 2; }
SCRATCH=$ROOT/out/objects
# the objects suite's topology: guardd, guard-control, guard-slowpath and pace
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
# shellcheck source=tests/objects/lib.sh
source "$ROOT/tests/objects/lib.sh"
[[ -x $BUILD/perf/bench_slowpath ]] || die "build perf/bench_slowpath first (Google Benchmark)"
cd "$SCRATCH"

sample_traffic 1 20000 # $PCAP: the demo's traffic; sample.rules
corpus "$SCRATCH/c"
rm -f flood.pcap
"$GEN_OBJECTS" --out flood.pcap --append --file c/jpeg-clean.jpg --id 1 --repeat 100 >gen.log
"$GEN_OBJECTS" --out flood.pcap --append --file c/png-clean.png --id 1001 --repeat 20 >>gen.log
"$GEN_OBJECTS" --out flood.pcap --append --file c/pdf-clean.pdf --id 2001 --repeat 200 >>gen.log
objects_py interleave "$PCAP" flood.pcap mixed.pcap >/dev/null

# run NAME PCAP: guardd with both secondaries, pace sending PCAP in a loop for $seconds
run() {
	start_objects_guardd --idle-exit 1
	start_control
	start_slowpath
	n=$(objects_py count "$2")
	stdbuf -oL "$PACE" -l 0 --no-pci --file-prefix "$PREFIX-pace" -m 256 \
		--log-level=lib.eal:warning \
		--vdev "net_memif0,role=client,id=0,socket=$RUN/a.sock,$MEMIF_OPTS" \
		--vdev "net_pcap0,rx_pcap=$RUN/e,tx_pcap=/dev/null" -- --pcap "$2" --pps 0 --burst 32 \
		--seconds "$seconds" --drain-ms 100 --link-wait 60 </dev/null >"$1.pace" 2>&1 &
	PACE_PID=$!
	EXTRA_PIDS="$SP_PID $PACE_PID"
	wait "$PACE_PID" || true # it leaves once sent; guardd's link goes down, idle-exit ends it
	PACE_PID=''
	wait_for "guardd to finish ($1)" 60 bash -c "! kill -0 $GD_PID"
	wait "$GD_PID" || true
	GD_PID=''
	wait "$GC_PID" 2>/dev/null || true
	GC_PID=''
	wait "$SP_PID" 2>/dev/null || true
	SP_PID=''
	cp guardd.stats "$1.stats"
	if [[ -f $SP_STATS ]]; then mv "$SP_STATS" "$1.slowpath.stats"; fi
	rm -f "$RUN/a.sock"
}
# rate STATS: fast-path messages decided per second, chunks handed over per second
rate() {
	awk '$1 == "total" && $2 == "seconds" { s = $3 }
	     $1 != "total" && $1 != "#" && $1 != "objects_out" { m += $3 }
	     $1 == "objects_out" { c += $3 }
	     END { if (s > 0) printf "%.0f %.0f %.3f\n", m / s, c / s, s; else print "0 0 0" }' "$1"
}

# alternate the two runs (the machine is shared: drift hits both alike); medians
for i in $(seq "$runs"); do
	run "alone$i" "$PCAP"
	run "flood$i" mixed.pcap
	rate "alone$i.stats" >>alone.rates
	rate "flood$i.stats" >>flood.rates
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
a_msg=$(awk '{ print $1 }' alone.rates | median)
f_msg=$(awk '{ print $1 }' flood.rates | median)
f_chunks=$(awk '{ print $2 }' flood.rates | median)
busy=$(cat flood*.stats | awk '$1 == "objects_out" && ($2 == "slowpath_busy" || $2 == "slowpath_down") { n += $3 } END { print n + 0 }')
objs=$(cat flood*.slowpath.stats 2>/dev/null | awk '$1 == "total" && $2 == "objects" { n += $3 } END { print n + 0 }')

GUARD_BENCH_POLICY=$ROOT/rules/sample-policy.yaml "$BUILD/perf/bench_slowpath" \
	--benchmark_filter='^object/' --benchmark_repetitions=3 \
	--benchmark_report_aggregates_only=true >bench.txt 2>bench.err ||
	die "bench_slowpath failed: $(tail -5 bench.err)"

printf '\n%-34s %14s %14s\n' "median of $runs runs of ${seconds} s" "messages/s" "chunks/s"
printf '%-34s %14s %14s\n' "fast path alone" "$a_msg" 0
printf '%-34s %14s %14s\n' "fast path + object flood" "$f_msg" "$f_chunks"
printf 'per run (messages/s): alone %s; with the flood %s\n' \
	"$(awk '{ printf "%s ", $1 }' alone.rates)" "$(awk '{ printf "%s ", $1 }' flood.rates)"
printf 'flood: %s objects decided by guard-slowpath; %s chunks dropped (slowpath_busy/down)\n' \
	"$objs" "$busy"
printf '\nobject throughput per type, whole slow-path decision (bench_slowpath, median of 3):\n'
awk '/^object\/.*_median/ { for (i = 1; i <= NF; i++) if ($i ~ /^bytes_per_second=/) {
	v = $i; sub(/^bytes_per_second=/, "", v); sub(/\/s$/, "", v); m = 1
	if (v ~ /k$/) m = 1e3; else if (v ~ /M$/) m = 1e6; else if (v ~ /G$/) m = 1e9
	sub(/[kMG]$/, "", v); split($1, n, "/"); printf "  %-6s %8.1f MB/s\n", n[2], v * m / 1e6 } }' bench.txt
awk -v a="$a_msg" -v f="$f_msg" 'BEGIN { if (a > 0) printf "\nratio: fast path with flood / alone = %.3f\n", f / a }'
