#!/usr/bin/env bash
# Priority egress on a 500 kbit/s link (issue 14, GUARD-SPEC 7, docs/egress.md).
#
#   pace (memif client) --memif--> guardd port 0; guardd port 1 = net_pcap tx into $RUN/o
#
# The sample policy with port 1 shaped to 500 kbit/s (frame overhead 24 bytes, routine queue
# 32 packets). pace offers for 12 s about 5x the link in routine CoT map spots (1042-byte
# frames) with a flash alert after every 25th and an immediate hostile track after every
# 50th. guard-control is attached. Checks:
#   1. the output rate over 10 s (from 1 s after the first frame left), from the capture's
#      timestamps, counting each frame plus the 24 bytes of overhead, is within 2 % of
#      500 kbit/s;
#   2. every flash alert left exactly once (its uid in the capture), each with DSCP 46 (EF),
#      immediate 34 (AF41), routine 8 (CS1): the class's DSCP, whatever the channel's;
#   3. guardd counted no flash or immediate drop; its largest flash queueing delay is below
#      one routine frame's time on the wire (17.06 ms) plus the bound docs/egress.md states
#      (20 ms: the wait itself is at most the flash frame's own 15.9 ms of tokens; the 20 ms
#      are for the worker being preempted on a shared 2-vCPU machine). Judged when other
#      processes took less than 25 % of a CPU during the run (measured from /proc); on a
#      busier machine only a gross failure (200 ms: a routine backlog) fails;
#   4. routine is what was dropped: queue_full drops of routine in the egress counters, the
#      same number as the channel's queue_full cell, no other class dropped, and every
#      received message is accounted for (released + queue_full + tx_failed = received);
#   5. `guardctl stats --json` (guard-control) and telemetry /guard/egress show the same
#      per-class figures as the stats file (sent, queue_full);
#   6. a hot reload to the sample policy (port 1 at line rate) applies to the packets already
#      queued: the routine backlog leaves at once, none is left for the stop (tx_failed 0).
# A plot of the queueing delay per class is written to $SCRATCH/delay.svg (docs/egress.md).
# Usage: shaping.sh BUILD_DIR REPO_ROOT SCRATCH_DIR. Exit: 0 pass, 1 fail, 77 skip.
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"
EG_PY=$ROOT/tests/egress/egress.py
PACE=$BUILD/perf/pace/pace
[[ -x $PACE ]] || die "pace must be built in $BUILD"
command -v dpdk-telemetry.py >/dev/null ||
	fail "dpdk-telemetry.py not found: install the Debian package 'dpdk' (in GUARD_PACKAGES, tools/lib/common.sh)"

RATE=500000 OVERHEAD=24 ROUTINE_BYTES=1042
# the sample policy without its egress block, then a 500 kbit/s link on port 1 (its term
# files are relative to it)
cp -r "$ROOT/rules/terms" .
awk '/^egress:/ { skip = 1; next } skip && /^[^ #-]/ { skip = 0 } !skip' \
	"$ROOT/rules/sample-policy.yaml" >policy.yaml
cat >>policy.yaml <<'EOF'

egress:
  - port: 1
    rate: 500kbit
    frame_overhead: 24
    queues: {flash: 16, immediate: 16, priority: 32, routine: 32}
EOF
guardctl policy compile policy.yaml -o shaped.rules >compile.log 2>&1 ||
	fail "the shaped policy does not compile: $(cat compile.log)"

# 12 s of offered load: 5 x 500 kbit/s of 1066-byte (with overhead) routine frames
N_ROUTINE=3520 PPS=305
python3 "$EG_PY" traffic "$RUN/t.pcap" --routine $N_ROUTINE --flash-every 25 \
	--immediate-every 50 >traffic.json || fail "cannot write the traffic"
N_FRAMES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["frames"])' traffic.json)
N_FLASH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["flash"])' traffic.json)
N_IMM=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["immediate"])' traffic.json)

# cpu_mark: the machine's busy CPU time and that of this test's processes (guardd, pace and
# guard-control poll or run by design), in clock ticks, and the time: two marks give the
# share of a CPU that other processes took meanwhile (a delay bound is judged only when they
# left the test its two CPUs)
cpu_mark() {
	python3 - "$GD_PID" "${PACE_PID:-0}" "$GC_PID" <<'PY'
import os, sys, time
ours = 0
for pid in sys.argv[1:]:
    for tid in (os.listdir("/proc/%s/task" % pid) if os.path.isdir("/proc/%s" % pid) else []):
        try:
            f = open("/proc/%s/task/%s/stat" % (pid, tid)).read().rsplit(")", 1)[1].split()
            ours += int(f[11]) + int(f[12])
        except OSError:
            pass
c = [int(x) for x in open("/proc/stat").readline().split()[1:]]
busy = c[0] + c[1] + c[2] + c[5] + c[6] + c[7]
print(busy, ours, time.monotonic())
PY
}
MEMIF_OPTS="socket-abstract=no,bsize=9216"
python3 -c 'import sys,struct; open(sys.argv[1],"wb").write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' "$RUN/e"
start_guardd --vdev "net_memif0,role=server,id=0,socket=$RUN/a.sock,$MEMIF_OPTS" \
	--vdev "net_pcap1,rx_pcap=$RUN/e,tx_pcap=$RUN/o" -- --ruleset shaped.rules \
	--stats-file guardd.stats
grep -q "egress port 1: shaped to 500000 bit/s" guardd.log ||
	fail "guardd did not shape port 1: $(grep "egress port" guardd.log || echo 'no egress line')"
start_control
wait_for "guard-control to attach" 30 grep -q "attached: audit path up" guardd.log

stdbuf -oL "$PACE" -l 0 --no-pci --file-prefix "$PREFIX-pace" -m 256 --log-level=lib.eal:warning \
	--vdev "net_memif0,role=client,id=0,socket=$RUN/a.sock,$MEMIF_OPTS" \
	--vdev "net_pcap0,rx_pcap=$RUN/e,tx_pcap=/dev/null" -- --pcap "$RUN/t.pcap" --pps $PPS \
	--count "$N_FRAMES" --drain-ms 100 --link-wait 60 --linger 600 </dev/null >pace.log 2>&1 &
PACE_PID=$!
EXTRA_PIDS=$PACE_PID
cpu_mark >cpu0.txt
wait_for "pace to send $N_FRAMES frames" 60 grep -q '^pace sent ' pace.log
cpu_mark >cpu1.txt
grep -q "^pace sent $N_FRAMES\$" pace.log || fail "pace did not send all $N_FRAMES frames: $(cat pace.log)"
refused=$(awk '$1 == "pace" && $2 == "refused" { print $3 }' pace.log)
((${refused:-0} == 0)) || fail "guardd's memif refused $refused frames: the offered load did not all arrive"

# 5. the live figures, while guardd still runs: guard-control and telemetry
guardctl stats --json --socket "$SOCK" >stats.json || fail "guardctl stats --json failed"
telemetry /guard/egress >egress-telemetry.json || fail "telemetry /guard/egress did not answer"

# 6. a reload to the sample policy (port 1 at line rate) applies to what is queued: the
# routine backlog leaves at once instead of being cut off by the stop (tx_failed 0)
guardctl policy load "$ROOT/rules/sample-policy.yaml" --socket "$SOCK" >reload.log 2>&1 ||
	fail "guardctl policy load of the sample policy failed: $(cat reload.log)"
wait_for "guardd to run port 1 at line rate" 10 grep -q "egress port 1: line rate" guardd.log
sleep 0.5
stop_control
stop_guardd
kill -INT "$PACE_PID" 2>/dev/null || true
wait "$PACE_PID" 2>/dev/null || true
EXTRA_PIDS=''

python3 "$EG_PY" wire "$RUN/o" --overhead $OVERHEAD --skip 1 --window 10 >wire.json ||
	fail "cannot read the egress capture"
python3 "$EG_PY" plot guardd.stats delay.svg --port 1 \
	--title "Queueing delay per class: 500 kbit/s link offered 5x in routine" ||
	fail "cannot plot the queueing delay"
w() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' wire.json "$1"; }
eg() { awk -v c="$1" -v f="$2" '$1 == "total" && $2 == "egress" && $3 == 1 && $4 == c && $5 == f { print $6; x = 1 } END { if (!x) print 0 }' guardd.stats; }
cell() { awk -v ch="$1" -v r="$2" '$1 == ch && $2 == r { print $3; x = 1 } END { if (!x) print 0 }' guardd.stats; }
total() { awk -v k="$1" '$1 == "total" && $2 == k { print $3 }' guardd.stats; }

# 1. rate
[[ $(w 'd["window_covered"]') == True ]] ||
	fail "the capture spans $(w 'round(d["last"] - d["first"], 2)') s: less than the 11 s measured"
rate=$(w 'round(d["rate_bps"])')
python3 -c "import sys; r=float(sys.argv[1]); sys.exit(0 if abs(r - $RATE) <= 0.02 * $RATE else 1)" "$rate" ||
	fail "output rate over 10 s: $rate bit/s, want $RATE +- 2 %"
ok "output rate over 10 s from the capture's timestamps: $rate bit/s ($(python3 -c "print('%+.2f' % ((float('$rate') - $RATE) / $RATE * 100))") % of $RATE; $(w 'd["window_frames"]') frames, overhead $OVERHEAD bytes each)"

# 2. every flash left once, DSCP per class
[[ $(w 'len(d["flash_uids"])') == "$N_FLASH" ]] ||
	fail "$(w 'len(d["flash_uids"])') of $N_FLASH flash alerts left"
[[ $(w 'len(d["duplicate_uids"])') == 0 ]] || fail "messages left twice: $(w 'd["duplicate_uids"][:5]')"
[[ $(w 'd["class_by_uid_ok"]') == True ]] || fail "a frame left with another class's DSCP: $(w 'd["per_dscp"]')"
[[ $(w 'd["per_class"].get("immediate", 0)') == "$N_IMM" ]] ||
	fail "$(w 'd["per_class"].get("immediate", 0)') of $N_IMM immediate tracks left"
ok "all $N_FLASH flash alerts (DSCP 46) and $N_IMM immediate tracks (34) left once; routine frames carry 8: $(w 'd["per_dscp"]')"

# 3. flash counters and delay bound
for c in flash immediate; do
	(($(eg $c queue_full) == 0)) || fail "guardd dropped $(eg $c queue_full) $c packets (queue_full)"
	(($(eg $c tx_failed) == 0)) || fail "guardd failed to send $(eg $c tx_failed) $c packets"
done
(($(eg flash sent) == N_FLASH)) || fail "guardd sent $(eg flash sent) flash packets, want $N_FLASH"
wire_ns=$(((ROUTINE_BYTES + OVERHEAD) * 8 * 1000000000 / RATE))
bound_ns=20000000
fmax=$(eg flash delay_max_ns)
others=$(python3 -c 'import os, sys
a, b = (open(f).read().split() for f in sys.argv[1:3])
hz = os.sysconf("SC_CLK_TCK")
print(round(((int(b[0]) - int(a[0])) - (int(b[1]) - int(a[1]))) / hz / (float(b[2]) - float(a[2])) * 100))' cpu0.txt cpu1.txt)
if ((others >= 25)); then
	# another workload took CPU time from guardd's worker: its preemptions are not ours to
	# bound; only a gross failure of priority (a flash wait of a routine backlog) is caught
	((fmax < 200000000)) || fail "largest flash queueing delay $((fmax / 1000)) us on a busy machine"
	judged="not judged: other processes used $others % of a CPU during the run"
else
	((fmax < wire_ns + bound_ns)) ||
		fail "largest flash queueing delay $((fmax / 1000)) us, want < $((wire_ns / 1000)) us (one routine frame) + $((bound_ns / 1000)) us (other processes used $others % of a CPU)"
	judged="< $((wire_ns / 1000)) us (one routine frame on the wire) + $((bound_ns / 1000)) us; other processes used $others % of a CPU"
fi
ok "flash queueing delay: p50 $(($(eg flash delay_p50_ns) / 1000)) us, p99 $(($(eg flash delay_p99_ns) / 1000)) us, max $((fmax / 1000)) us ($judged); routine p50 $(($(eg routine delay_p50_ns) / 1000000)) ms"

# 4. routine is what was dropped, and counted
rdrop=$(eg routine queue_full)
((rdrop > N_ROUTINE / 2)) || fail "only $rdrop routine packets were dropped for a 5x overload"
(($(cell cot-mn queue_full) == rdrop)) ||
	fail "cot-mn queue_full cell $(cell cot-mn queue_full), routine class dropped $rdrop"
(($(eg priority queue_full) == 0)) || fail "priority dropped $(eg priority queue_full)"
rx=$(total rx) rel=$(cell cot-mn release) txf=$(cell cot-mn tx_failed)
((rx == N_FRAMES && rel + rdrop + txf == rx)) ||
	fail "received $rx (sent $N_FRAMES), released $rel + queue_full $rdrop + tx_failed $txf"
(($(eg routine depth_hwm) <= 32)) || fail "routine queue reached $(eg routine depth_hwm) packets, bound 32"
((txf == 0 && $(eg routine tx_failed) == 0)) ||
	fail "$txf packets were still queued at the stop: the reload to line rate did not drain the routine queue"
ok "routine shed: $rdrop queue_full (cell and class agree), $(eg routine sent) sent, depth high-water mark $(eg routine depth_hwm) of 32; $rx received = $rel released + $rdrop; after the reload to line rate nothing was left queued (tx_failed 0)"

# 5. the same figures live
python3 - stats.json egress-telemetry.json guardd.stats <<'PY' || fail "guardctl stats / telemetry disagree with the stats file (see above)"
import json, sys
stats = json.load(open(sys.argv[1]))
tel = json.load(open(sys.argv[2]))["/guard/egress"]
final = {}
for line in open(sys.argv[3]):
    w = line.split()
    if len(w) == 6 and w[:2] == ["total", "egress"] and w[2] == "1":
        final.setdefault(w[3], {})[w[4]] = int(w[5])
live = {e["class"]: e for e in stats["egress"] if e["port"] == 1}
for c in ("flash", "immediate", "routine"):
    g, t, f = live.get(c), tel.get("1/" + c), final.get(c)
    if g is None or t is None or f is None:
        sys.exit("class %s missing: guardctl %s telemetry %s file %s" % (c, g, t, f))
    # taken before the stop: at most the final figures, and the same on both live paths
    if not (g["sent"] <= f["sent"] and t["sent"] <= f["sent"] and g["queue_full"] <= f["queue_full"]):
        sys.exit("class %s: live sent %d/%d queue_full %d, final %s" % (c, g["sent"], t["sent"], g["queue_full"], f))
    if c == "flash" and g["sent"] < f["sent"] - 2:
        sys.exit("flash: guardctl says %d sent, the final count is %d" % (g["sent"], f["sent"]))
print("ok: guardctl stats --json and /guard/egress: %s" % ", ".join(
    "%s sent %d queue_full %d" % (c, live[c]["sent"], live[c]["queue_full"]) for c in ("flash", "immediate", "routine")))
PY
