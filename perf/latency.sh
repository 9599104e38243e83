#!/usr/bin/env bash
# guardd's in-guard latency at 10, 50 and 90 % of its maximum rate (GUARD-SPEC 9, issue 12.3),
# over net_memif, with a paced replayer. Installs gnuplot-nox if it is missing.
#
#   traffic   the demo's: gen-traffic --count COUNT --seed 1 --formats all (~1 KB frames,
#             70 % released), the sample policy's ruleset
#   topology  build/perf/pace/pace (one lcore, core 0) -- memif A --> guardd port 0
#             (main lcore core 0, worker lcore core 1) -- memif B --> pace, which counts
#             what comes back. pace sends the pcap in a loop at a fixed rate (TSC pacing,
#             --burst frames at a time, default 1); dpdk-testpmd cannot pace. A send the
#             pacer could not make within --max-late-us (default 50) of its slot (the pacer
#             was not running: it shares core 0) is skipped rather than sent in a clump,
#             so the load stays smooth; the table shows how many.
#   max rate  first, pace sends as fast as memif takes frames for 3 s: guardd's maximum is
#             its rx rate in that run (total rx / total seconds of its --stats-file)
#   loads     then one paced run per load (default 10, 50 and 90 % of that maximum), each
#             MIN_SECONDS long (default 5) or longer, to send at least MIN_PACKETS frames
#             (default 150,000: about 100,000 released)
#   latency   guardd's own histogram (dataplane/dp_latency.h): per released frame, from the
#             rx burst that took it to the tx burst that sent it, TSC stamps; not included:
#             the time a frame waited in memif A's ring before that rx burst, and the
#             memif rings and the pacer's own polling on either side. Read from the
#             `total latency_...` lines of guardd's --stats-file. Beside it, pace's end-to-end
#             figure: send to receive of each released frame (matched by its payload), which
#             includes the memif rings, their queues and both processes' polling.
# Prints a table (load, offered and sent pps, p50/p99/p99.9/max in microseconds) and
# writes out/latency/latency.png: the complementary CDF of each paced run (fraction of
# released frames slower than x), log axes, from the `total latency_bucket` lines (dashed: the
# same from pace's end-to-end histogram).
#
# Usage: perf/latency.sh [BUILD_DIR] [--count N] [--loads "10 50 90"] [--burst B]
#          [--min-seconds S] [--min-packets N] [--max-pps N] [--max-late-us US]
#   --max-pps N   skip the maximum-rate run and take N as guardd's maximum
# Raw results in out/latency/: traffic, ruleset, per run NAME (max, load10, ...):
#   NAME.pace (the pacer's output), NAME.stats (guardd's stats file), NAME.guardd.log,
#   NAME.preempted (involuntary context switches of guardd's worker and of the pacer),
#   NAME.e2e (pace's end-to-end buckets), NAME.ccdf and NAME.e2e.ccdf (x us, fraction
#   slower), then results.tsv, table.md, latency.gp, latency.png.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build count=200000 loads="10 50 90" burst=1 min_seconds=5 min_packets=150000
max_pps='' max_late_us=50
while (($#)); do
	case $1 in
	--count) count=${2:?}; shift 2 ;;
	--loads) loads=${2:?}; shift 2 ;;
	--burst) burst=${2:?}; shift 2 ;;
	--min-seconds) min_seconds=${2:?}; shift 2 ;;
	--min-packets) min_packets=${2:?}; shift 2 ;;
	--max-pps) max_pps=${2:?}; shift 2 ;;
	--max-late-us) max_late_us=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "latency: unknown option '$1' (--help)" >&2; exit 2 ;;
	*) build=$(realpath "$1"); shift ;;
	esac
done
for v in "$count" "$burst" "$min_seconds" "$min_packets" ${max_pps:+"$max_pps"}; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "latency: --count, --burst, --min-seconds, --min-packets and --max-pps want positive whole numbers" >&2; exit 2; }
done
((burst <= 32)) || { echo "latency: --burst wants 1..32" >&2; exit 2; }
[[ $max_late_us =~ ^[0-9]+$ ]] || { echo "latency: --max-late-us wants a whole number (0: never skip)" >&2; exit 2; }
for l in $loads; do
	[[ $l =~ ^[1-9][0-9]*$ ]] && ((l <= 100)) || { echo "latency: --loads wants percentages 1..100, got '$l'" >&2; exit 2; }
done
[[ -n ${loads// /} ]] || { echo "latency: --loads is empty" >&2; exit 2; }
# shellcheck source=tools/lib/common.sh
source "$root/tools/lib/common.sh"
need_root
guardd=$build/dataplane/guardd guardctl=$build/control/guardctl
gen=$build/tools/gen-traffic/gen-traffic pace=$build/perf/pace/pace
[[ -x $guardd && -x $guardctl && -x $gen && -x $pace ]] ||
	die "build first (ninja -C ${build#"$root"/}): $guardd, $guardctl, $gen, $pace"
setup_hugepages "$GUARD_HUGEPAGES" || die "hugepages could not be set up"
ensure_packages gnuplot-nox
command -v gnuplot >/dev/null || die "gnuplot not found after installing gnuplot-nox"

out=$root/out/latency
rm -rf "$out"
mkdir -p "$out"
cd "$out"
log "traffic: $count frames (seed 1, all formats)"
demo_inputs "$gen" "$guardctl" "$root/rules/sample-policy.yaml" "$count"

# memif sockets must fit sun_path and devargs take no commas: a short private directory
rundir=$(mktemp -d /tmp/lat-XXXXXX)
prefix=lat-$$
pace_pid='' gd_pid=''
cleanup() {
	local pid
	for pid in $gd_pid $pace_pid; do
		kill -INT "$pid" 2>/dev/null || true
	done
	for pid in $gd_pid $pace_pid; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$rundir" /dev/hugepages/"$prefix"-* /var/run/dpdk/"$prefix"-*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

memif_opts="socket-abstract=no,bsize=9216" # as tools/lib/memif-run.sh: jumbo frames in one buffer
# This script's own wake-ups (sleep, sampling) stay on CPU 0 with the pacer, off guardd's
# worker CPU; DPDK pins its lcores itself.
if command -v taskset >/dev/null; then
	taskset -pc 0 $$ >/dev/null || log "warning: could not pin this script to CPU 0"
fi

# preempted PID [all]: involuntary context switches of PID's worker lcores (threads
# rte-worker-N or lcore-worker-N), or with "all" of all its threads: how often another
# thread took their CPU. Builtins only (a sample must not itself disturb the pollers much).
preempted() {
	local t c k v n=0
	for t in /proc/"$1"/task/*; do
		c=''
		{ read -r c <"$t/comm"; } 2>/dev/null || continue
		[[ ${2:-} == all || $c == lcore-worker-* || $c == rte-worker-* ]] || continue
		{ while read -r k v; do
			[[ $k == nonvoluntary_ctxt_switches: ]] && n=$((n + v))
		done <"$t/status"; } 2>/dev/null || true
	done
	printf '%s\n' "$n"
}

# run_one NAME PPS SECONDS: one replay; leaves NAME.pace, NAME.stats, NAME.guardd.log and
# NAME.preempted ("guardd_worker N" and "pace N": involuntary switches during the run)
run_one() {
	local name=$1 pps=$2 secs=$3 t rc gd_pre=0 pace_pre=0 v
	rm -f "$rundir"/*.sock
	# pace first: it is the memif server; it sends once both links are up and, at the end,
	# waits (--linger) until guardd has exited
	"$pace" -l 0 --no-pci --file-prefix "$prefix-pace" -m 256 --log-level=lib.eal:warning \
		--vdev "net_memif0,role=server,id=0,socket=$rundir/a.sock,$memif_opts" \
		--vdev "net_memif1,role=server,id=0,socket=$rundir/b.sock,$memif_opts" \
		-- --pcap demo.pcap --pps "$pps" --burst "$burst" --seconds "$secs" \
		--max-late-us "$max_late_us" --drain-ms 300 --link-wait 60 --linger 30 \
		--e2e-file "$name.e2e" \
		</dev/null >"$name.pace" 2>&1 &
	pace_pid=$!
	t=0
	until [[ -S $rundir/a.sock && -S $rundir/b.sock ]]; do
		kill -0 "$pace_pid" 2>/dev/null || die "pace did not start: $(tail -5 "$name.pace")"
		((t++ < 300)) || die "pace made no memif sockets within 30 s"
		sleep 0.1
	done
	"$guardd" -l 0,1 --no-pci --file-prefix "$prefix-gd" -m 256 --log-level=lib.eal:warning \
		--vdev "net_memif0,role=client,id=0,socket=$rundir/a.sock,$memif_opts" \
		--vdev "net_memif1,role=client,id=0,socket=$rundir/b.sock,$memif_opts" \
		-- --ruleset sample.rules --stats-file "$name.stats" --idle-exit 1 \
		</dev/null >"$name.guardd.log" 2>&1 &
	gd_pid=$!
	t=0
	while kill -0 "$gd_pid" 2>/dev/null; do
		((t++ < (secs + 90) * 10)) || die "guardd did not finish ($name) within $((secs + 90)) s"
		if ((t % 5 == 0)); then # the last reading before guardd exits
			v=$(preempted "$gd_pid") && ((v > 0)) && gd_pre=$v
			v=$(preempted "$pace_pid" all) && ((v > 0)) && pace_pre=$v
		fi
		sleep 0.1
	done
	printf 'guardd_worker %s\npace %s\n' "$gd_pre" "$pace_pre" >"$name.preempted"
	rc=0
	wait "$gd_pid" || rc=$?
	gd_pid=''
	((rc == 0)) || die "guardd exited with $rc ($name): $(tail -5 "$name.guardd.log")"
	rc=0
	wait "$pace_pid" || rc=$?
	pace_pid=''
	((rc == 0)) || die "pace exited with $rc ($name): $(tail -5 "$name.pace")"
	[[ -s $name.stats ]] || die "guardd wrote no stats file ($name)"
	rm -rf /dev/hugepages/"$prefix"-* /var/run/dpdk/"$prefix"-*
}

# field FILE KEY1 KEY2: the third word of the line "KEY1 KEY2 VALUE"
field() { awk -v a="$2" -v b="$3" '$1 == a && $2 == b { print $3; f = 1; exit } END { if (!f) exit 1 }' "$1"; }

# summarise NAME LABEL TARGET_PPS: one row of results.tsv; NAME.ccdf for the plot
summarise() {
	local name=$1 label=$2 target=$3 rx secs sent refused achieved back late late_us
	local count p50 p99 p999 max tx e50 e99 e999 emax unmatched gpre ppre
	rx=$(field "$name.stats" total rx) secs=$(field "$name.stats" total seconds)
	tx=$(field "$name.stats" total tx)
	count=$(field "$name.stats" total latency_count) || die "$name.stats has no latency lines"
	p50=$(field "$name.stats" total latency_p50_ns) p99=$(field "$name.stats" total latency_p99_ns)
	p999=$(field "$name.stats" total latency_p999_ns) max=$(field "$name.stats" total latency_max_ns)
	sent=$(field "$name.pace" pace sent) refused=$(field "$name.pace" pace refused)
	achieved=$(field "$name.pace" pace achieved_pps) back=$(field "$name.pace" pace received)
	late=$(field "$name.pace" pace skipped) late_us=$(field "$name.pace" pace max_late_us)
	e50=$(field "$name.pace" pace e2e_p50_ns) e99=$(field "$name.pace" pace e2e_p99_ns)
	e999=$(field "$name.pace" pace e2e_p999_ns) emax=$(field "$name.pace" pace e2e_max_ns)
	unmatched=$(field "$name.pace" pace e2e_unmatched)
	gpre=$(awk '$1 == "guardd_worker" { print $2 }' "$name.preempted")
	ppre=$(awk '$1 == "pace" { print $2 }' "$name.preempted")
	((unmatched == 0)) || log "warning: $name: $unmatched frames came back that pace cannot match to a send"
	((count == tx)) || log "warning: $name: total latency_count $count but total tx $tx"
	((back == tx)) || log "warning: $name: guardd sent $tx frames, pace received $back"
	((rx == sent)) || log "warning: $name: pace sent $sent frames, guardd received $rx"
	# CCDF: at each bucket's upper edge, the fraction of released frames slower than it
	awk -v n="$count" '$1 == "total" && $2 == "latency_bucket" {
			cum += $5; f = (n - cum) / n
			if (f > 0) printf "%.4f %.8g\n", $4 / 1000, f }' "$name.stats" >"$name.ccdf"
	# pace's own file: "latency count N" and "latency bucket LOW HIGH COUNT" lines
	awk '$1 == "latency" && $2 == "count" { n = $3 } $1 == "latency" && $2 == "bucket" {
			cum += $5; f = (n - cum) / n
			if (f > 0) printf "%.4f %.8g\n", $4 / 1000, f }' "$name.e2e" >"$name.e2e.ccdf"
	[[ -s $name.ccdf && -s $name.e2e.ccdf ]] || die "$name: no histogram to plot (empty $name.ccdf or $name.e2e.ccdf)"
	awk -v OFS='\t' -v l="$label" -v t="$target" -v a="$achieved" -v rx="$rx" -v s="$secs" \
		-v c="$count" -v p50="$p50" -v p99="$p99" -v p999="$p999" -v m="$max" \
		-v r="$refused" -v late="$late" -v lu="$late_us" -v nm="$name" -v e50="$e50" \
		-v e99="$e99" -v e999="$e999" -v emax="$emax" -v gp="$gpre" -v pp="$ppre" 'BEGIN {
		print nm, l, t, a, (s > 0 ? rx / s : 0), c, p50 / 1000, p99 / 1000, p999 / 1000,
			m / 1000, r, late, lu, e50 / 1000, e99 / 1000, e999 / 1000, emax / 1000, gp, pp }' >>results.tsv
}

printf 'name\tload\ttarget_pps\tachieved_pps\tguardd_rx_pps\treleased\tp50_us\tp99_us\tp999_us\tmax_us\trefused\tskipped\tmax_late_us\te2e_p50_us\te2e_p99_us\te2e_p999_us\te2e_max_us\tguardd_worker_preempted\tpace_preempted\n' >results.tsv
if [[ -z $max_pps ]]; then
	log "maximum rate: pace as fast as memif takes frames, 3 s"
	run_one max 0 3
	max_pps=$(awk '$1 == "total" && $2 == "rx" { rx = $3 } $1 == "total" && $2 == "seconds" { s = $3 }
		END { if (s > 0 && rx > 0) printf "%d", rx / s; else exit 1 }' max.stats) ||
		die "no rate in max.stats: $(grep '^total' max.stats)"
	summarise max "max (unpaced)" 0
	log "guardd's maximum: $max_pps pps"
fi
for l in $loads; do
	pps=$((max_pps * l / 100))
	((pps > 0)) || die "$l % of $max_pps pps is 0"
	secs=$(((min_packets + pps - 1) / pps))
	((secs >= min_seconds)) || secs=$min_seconds
	log "load $l %: $pps pps for $secs s (burst $burst)"
	run_one "load$l" "$pps" "$secs"
	summarise "load$l" "$l %" "$pps"
done

# ---- table ---------------------------------------------------------------------------------
{
	printf 'guardd maximum (memif, 1 worker, unpaced): %s pps; pacer burst %s, sends more than %s us late skipped\n\n' "$max_pps" "$burst" "$max_late_us"
	printf 'in guardd (its histogram: rx burst to tx burst), microseconds; end to end (pace: send to\n'
	printf 'receive, memif rings and their queues included) p50/p99/p99.9\n\n'
	printf '| load | offered pps | sent pps | guardd rx pps | released | p50 | p99 | p99.9 | max | end to end p50 / p99 / p99.9 | skipped, refused | preempted: worker, pacer |\n'
	printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
	awk -F'\t' 'NR > 1 { printf "| %s | %s | %.0f | %.0f | %d | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f / %.1f | %d, %d | %d, %d |\n",
		$2, ($3 == 0 ? "as fast as possible" : $3), $4, $5, $6, $7, $8, $9, $10, $14, $15, $16,
		$12, $11, $18, $19 }' results.tsv
} | tee table.md

# ---- plot ----------------------------------------------------------------------------------
plots=() c=1
for l in $loads; do
	t=$(awk -F'\t' -v n="load$l" '$1 == n { printf "%s %% (%s pps), in guardd: p50 %.1f, p99 %.1f, p99.9 %.1f us", $2 + 0, $3, $7, $8, $9 }' results.tsv)
	e=$(awk -F'\t' -v n="load$l" '$1 == n { printf "%s %% (%s pps), end to end: p50 %.1f, p99 %.1f, p99.9 %.1f us", $2 + 0, $3, $14, $15, $16 }' results.tsv)
	plots+=("'load$l.ccdf' using 1:2 with steps lw 2 lc $c title '$t'")
	plots+=("'load$l.e2e.ccdf' using 1:2 with steps lw 1 dt 2 lc $c title '$e'")
	c=$((c + 1))
done
{
	printf 'set terminal pngcairo size 1100,850 font ",10"\n'
	printf "set output 'latency.png'\n"
	printf 'set title "guardd latency of released frames: memif, 1 worker lcore, maximum %s pps\\nsolid: in guardd (rx burst to tx burst), dashed: end to end (pacer send to receive)" noenhanced\n' "$max_pps"
	printf "set xlabel 'latency x (microseconds)'\n"
	printf "set ylabel 'fraction of released frames slower than x'\n"
	printf 'set logscale xy\nset format y "10^{%%L}"\nset yrange [1e-6:1.5]\nset grid xtics ytics mxtics\n'
	printf 'set key outside below center vertical maxrows 6 box noenhanced\nset bmargin 12\nset rmargin 5\n'
	printf "set arrow from graph 0, first 0.01 to graph 1, first 0.01 nohead dt 3 lc rgb 'gray40'\n"
	printf "set arrow from graph 0, first 0.001 to graph 1, first 0.001 nohead dt 3 lc rgb 'gray40'\n"
	printf "set label 'p99' at graph 0.01, first 0.013 tc rgb 'gray40'\n"
	printf "set label 'p99.9' at graph 0.01, first 0.0013 tc rgb 'gray40'\n"
	printf 'plot '
	(IFS=','; printf '%s\n' "${plots[*]}")
} >latency.gp
gnuplot latency.gp 2>gnuplot.log || die "gnuplot failed: $(cat gnuplot.log)"
[[ -s latency.png ]] || die "gnuplot wrote no latency.png"
log "wrote $out/latency.png, raw data in $out/"
