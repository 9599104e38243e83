#!/usr/bin/env bash
# One replay of a pcap through guardd over net_memif, driven by dpdk-testpmd; used by
# tools/demo, tests/e2e/memif.sh and perf/e2e.sh so that all run exactly the same topology.
#
#   dpdk-testpmd (main lcore on core 1, forwarding lcore on core 0)     guardd
#     port 0 net_pcap0  rx_pcap=PCAP (each frame once) --io+retry--> port 1 memif server A == A client: guardd port 0 (high side in)
#     port 3 net_null0 (or net_pcap tx_pcap=RELEASED)  <--io-------  port 2 memif server B == B client: guardd port 1 (low side out)
#
# testpmd runs in interactive mode, fed through a FIFO, so that forwarding starts only
# once guardd's memif links are up; 'set fwd io retry' and 'set burst tx delay 1 retry
# 1000000' make a full memif ring wait instead of dropping; --no-flush-rx keeps testpmd
# from reading (and discarding) the whole pcap at 'start'. guardd is given --idle-exit
# and quits when the replay is over; the counters are then compared.
#
# Every frame must fit one memif buffer and one testpmd mbuf: DPDK 22.11's memif copy
# path never clears a descriptor's NEXT flag once set, so after the first frame that
# spans two buffers, later frames in that slot get glued to their successors and vanish
# (measured: 35 of 3000 lost with 2 KiB buffers). Hence bsize=9216 on all four memif
# ends and testpmd --mbuf-size=9344 (9216 + headroom), enough for 9000-byte jumbo frames.
#
# With --workers N (N > 1) every memif end has N queue pairs, guardd N worker lcores (the
# stand-in N forwarding lcores), and testpmd reads the pcap split round-robin into N files,
# one per net_pcap rx queue: io forwarding keeps a queue's frames on the same queue index,
# so queue q of memif A, i.e. guardd's worker q, carries every N-th frame. memif has no
# RSS: a frame arrives on the queue its sender put it on, and a memif server refuses a
# client with more queues than its own ("Invalid ring index"; the link never comes up),
# so both sides must be given N.
#
# Usage: memif-run.sh --guardd BIN --ruleset IMAGE --pcap FILE --expect FILE --workdir DIR
#          [--idle-exit SEC] [--timeout SEC] [--released-pcap FILE] [--label TEXT]
#          [--workers N] [--lcores MAP] [--prefix NAME] [--guardd-opt OPT]...
#          (--workers N: N worker lcores and N queues per memif, above; --lcores MAP: EAL
#          --lcores of guardd or the stand-in instead of the default (-l 0,1 for one
#          worker; for N: main lcore on CPU 0, worker lcore i on CPU i mod the number of
#          CPUs); --prefix NAME: DPDK file prefixes and the socket directory start with
#          NAME (default guard); --guardd-opt OPT: one more guardd option, e.g.
#          --egress-direct for perf/egress.sh)
#          [--control GUARD_CONTROL --guardctl GUARDCTL [--reload POLICY]]
#          (guard-control attached to guardd, audit log DIR/audit.jsonl; --reload loads POLICY
#          once while the traffic flows: it must decide as the ruleset does, so that the
#          counts still equal the sidecar; the audit chain is verified at the end)
#        memif-run.sh --standin --pcap FILE --workdir DIR [...]
#          (a second dpdk-testpmd forwarding A to B stands in for guardd: checks the
#          testpmd side of the topology alone; every frame must come back. Its rate, what
#          it received per second, is sampled through its telemetry socket every 10 ms:
#          DIR/standin.rate)
# Exit: 0 all counts agree, 1 otherwise (the reason and the log to read are printed).
# Output in DIR: summary.txt, testpmd.log, guardd.log, guardd.stats (standin.rate).
set -euo pipefail

prog=${0##*/}
die() {
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit 1
}
usage() {
	sed -n '/^# Usage:/,/^# Output/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

guardd='' ruleset='' pcap='' expect='' workdir='' idle_exit=2 timeout=600 released='' standin=0
control='' guardctl='' reload='' workers=1 mid_lcores='' prefix_base=guard
guardd_opts=()
label="memif replay"
while (($#)); do
	case $1 in
	--guardd) guardd=${2:?}; shift 2 ;;
	--ruleset) ruleset=${2:?}; shift 2 ;;
	--pcap) pcap=${2:?}; shift 2 ;;
	--expect) expect=${2:?}; shift 2 ;;
	--workdir) workdir=${2:?}; shift 2 ;;
	--idle-exit) idle_exit=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--released-pcap) released=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	--standin) standin=1; shift ;;
	--guardd-opt) guardd_opts+=("${2:?}"); shift 2 ;;
	--control) control=${2:?}; shift 2 ;;
	--guardctl) guardctl=${2:?}; shift 2 ;;
	--reload) reload=${2:?}; shift 2 ;;
	--workers) workers=${2:?}; shift 2 ;;
	--lcores) mid_lcores=${2:?}; shift 2 ;;
	--prefix) prefix_base=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) printf '%s: unknown argument %s\n' "$prog" "$1" >&2; usage ;;
	esac
done
[[ -n $pcap && -n $workdir ]] || usage
[[ -r $pcap ]] || die "pcap $pcap not readable"
if ((!standin)); then
	[[ -n $guardd && -n $ruleset && -n $expect ]] || usage
	[[ -x $guardd ]] || die "guardd $guardd is not an executable (build it first)"
	[[ -r $ruleset ]] || die "ruleset image $ruleset not readable (guardctl policy compile)"
	[[ -r $expect ]] || die "sidecar $expect not readable"
fi
if [[ -n $control ]]; then
	[[ -x $control && -x $guardctl ]] || die "--control and --guardctl want the built guard-control and guardctl"
	[[ -z $reload || -r $reload ]] || die "--reload $reload: not readable"
	[[ -z $reload ]] || reload=$(realpath "$reload")
fi
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found (apt-get install dpdk)"
command -v stdbuf >/dev/null || die "stdbuf not found (coreutils)"
[[ $idle_exit =~ ^[1-9][0-9]*$ ]] || die "--idle-exit wants whole seconds >= 1"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout wants whole seconds >= 1"
if [[ ! $workers =~ ^[1-9][0-9]*$ ]] || ((workers > 16)); then
	die "--workers wants 1..16 (guardd's limit)"
fi
[[ $prefix_base =~ ^[A-Za-z0-9_-]{1,16}$ ]] || die "--prefix wants 1..16 of [A-Za-z0-9_-]"
((workers == 1)) || [[ -z $released ]] ||
	die "--released-pcap needs --workers 1 (net_pcap would want one tx_pcap per queue)"
if ((workers > 1 || standin)); then
	command -v python3 >/dev/null || die "python3 not found (splits the pcap per queue, samples the stand-in's rate)"
fi

mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
pcap=$(realpath "$pcap")
[[ -n $released ]] && released=$(realpath -m "$released")
tp_log=$workdir/testpmd.log
gd_log=$workdir/guardd.log
gd_stats=$workdir/guardd.stats
summary=$workdir/summary.txt
rm -f "$tp_log" "$gd_log" "$gd_stats" "$summary"

# Devargs are comma-separated and memif socket paths must fit sun_path: keep the sockets
# and the control FIFO in a short private directory.
rundir=$(mktemp -d "/tmp/$prefix_base-memif.XXXXXX")
prefix=$prefix_base-$$-${RANDOM}
tp_prefix=$prefix-tp
gd_prefix=$prefix-gd
fifo=$rundir/testpmd.in
sock_a=$rundir/a.sock
sock_b=$rundir/b.sock
mkfifo "$fifo"

tp_pid='' gd_pid='' tp_fd='' gc_pid='' rate_pid='' src_stopped=0
gc_log=$workdir/guard-control.log
audit=$workdir/audit.jsonl
rm -f "$gc_log" "$audit" "$workdir/reload.txt" "$workdir/standin.rate"*
cleanup() {
	local pid
	for pid in $rate_pid $gd_pid $tp_pid $gc_pid; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -INT "$pid" 2>/dev/null || true
		fi
	done
	for pid in $rate_pid $gd_pid $tp_pid $gc_pid; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ -n $tp_fd ]]; then exec {tp_fd}>&- 2>/dev/null || true; fi
	rm -rf "$rundir"
	rm -rf /dev/hugepages/"$tp_prefix"* /dev/hugepages/"$gd_prefix"* \
		/var/run/dpdk/"$tp_prefix" /var/run/dpdk/"$gd_prefix"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap '' PIPE # a testpmd that died must give an error message, not kill this script

fail() {
	printf '%s: FAILED: %s\n' "$prog" "$1" >&2
	shift
	local f
	for f in "$@"; do
		if [[ -s $f ]]; then
			printf '  --- last lines of %s ---\n' "$f" >&2
			tail -n 15 "$f" | sed 's/^/  /' >&2
		fi
	done
	exit 1
}

# ---- testpmd: the traffic source and sink, run interactively through the FIFO --------
memif_opts="socket-abstract=no,bsize=9216" # bsize: see the header
sink=(--vdev "net_null0,no-rx=1")
[[ -n $released ]] && sink=(--vdev "net_pcap1,tx_pcap=$released")
source_pcap="rx_pcap=$pcap"
tp_queues=() tp_mem=256 nb_mbufs=8192
if ((workers > 1)); then
	# One pcap per queue, frame i to part i mod N (the header's "--workers N").
	python3 - "$pcap" "$rundir" "$workers" <<'EOF' || fail "could not split $pcap into $workers parts"
import struct, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, 'rb') as f:
    hdr = f.read(24)
    magic = hdr[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        order = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        order = '>'
    else:
        sys.exit('not a pcap file (pcapng is not supported): %s' % src)
    parts = [open('%s/part%d.pcap' % (out, q), 'wb') for q in range(n)]
    for p in parts:
        p.write(hdr)
    i = 0
    while True:
        rec = f.read(16)
        if len(rec) < 16:
            break
        incl = struct.unpack(order + 'IIII', rec)[2]
        parts[i % n].write(rec + f.read(incl))
        i += 1
    for p in parts:
        p.close()
EOF
	source_pcap=''
	for ((q = 0; q < workers; q++)); do
		source_pcap+="${source_pcap:+,}rx_pcap=$rundir/part$q.pcap"
	done
	tp_queues=(--rxq="$workers" --txq="$workers")
	tp_mem=$((256 * workers)) nb_mbufs=$((8192 * workers))
fi
# stdbuf: testpmd writes its answers with stdio; unbuffered so they can be read at once.
stdbuf -o0 -e0 dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --in-memory \
	--file-prefix "$tp_prefix" -m "$tp_mem" \
	--vdev "net_pcap0,$source_pcap" \
	--vdev "net_memif0,role=server,id=0,socket=$sock_a,$memif_opts" \
	--vdev "net_memif1,role=server,id=0,socket=$sock_b,$memif_opts" \
	"${sink[@]}" \
	-- -i --total-num-mbufs="$nb_mbufs" --mbuf-size=9344 --nb-cores=1 --no-flush-rx \
	"${tp_queues[@]}" <"$fifo" >"$tp_log" 2>&1 &
tp_pid=$!
exec {tp_fd}>"$fifo"

prompts() { grep -o 'testpmd> ' "$tp_log" 2>/dev/null | wc -l; }

# tp_cmd CMD: send one command and wait for testpmd's next prompt (its answer is done).
tp_cmd() {
	local before t=0
	before=$(prompts)
	printf '%s\n' "$1" 2>/dev/null 1>&"$tp_fd" ||
		fail "dpdk-testpmd is gone (could not send it '$1')" "$tp_log"
	while (($(prompts) <= before)); do
		kill -0 "$tp_pid" 2>/dev/null || fail "dpdk-testpmd exited during '$1'" "$tp_log"
		((t++ < 1200)) || fail "dpdk-testpmd did not answer '$1' within 60 s" "$tp_log"
		sleep 0.05
	done
}

# tp_output CMD: the text testpmd printed in answer to its most recent CMD.
tp_output() {
	awk -v cmd="testpmd> $1" 'index($0, cmd) == 1 { buf = ""; on = 1; next }
		on && /testpmd> / { on = 0 } on { buf = buf $0 "\n" } END { printf "%s", buf }' "$tp_log"
}

t=0
until grep -q 'testpmd> ' "$tp_log" 2>/dev/null; do
	kill -0 "$tp_pid" 2>/dev/null || fail "dpdk-testpmd did not start" "$tp_log"
	((t++ < 600)) || fail "dpdk-testpmd gave no prompt within 30 s" "$tp_log"
	sleep 0.05
done
[[ -S $sock_a && -S $sock_b ]] || fail "testpmd made no memif sockets in $rundir" "$tp_log"
tp_cmd 'set fwd io retry'
tp_cmd 'set burst tx delay 1 retry 1000000'

# ---- the guard (or a testpmd standing in for it) -----------------------------------------
memif_clients=(--vdev "net_memif0,role=client,id=0,socket=$sock_a,$memif_opts"
	--vdev "net_memif1,role=client,id=0,socket=$sock_b,$memif_opts")
# testpmd polls on core 0 and idles its main lcore on core 1; guardd's main lcore goes on
# core 0 and its worker lcore on core 1: one polling thread per core. With N workers,
# worker lcore i goes on CPU i mod (number of CPUs): a core of its own when there are
# N + 1 CPUs (testpmd's forwarding lcore keeps CPU 0); with fewer, some share a CPU with
# testpmd's forwarding lcore or another worker and the kernel time-slices them (on 2
# CPUs that measured better than letting the workers float over both).
if [[ -n $mid_lcores ]]; then
	mid_eal=(--lcores "$mid_lcores")
elif ((workers == 1)); then
	mid_eal=(-l "0,1")
else
	ncpu=$(nproc)
	map=0@0
	for ((w = 1; w <= workers; w++)); do map+=",$w@$((w % ncpu))"; done
	mid_eal=(--lcores "$map")
fi
if ((standin)); then
	printf 'set fwd io retry\nset burst tx delay 1 retry 1000000\n' >"$rundir/standin.cmds"
	# --rxq/--txq N and N forwarding lcores: testpmd gives forwarding lcore q the streams of
	# queue q of both ports, as guardd gives worker q rx queue q of every port.
	sq=()
	((workers > 1)) && sq=(--rxq="$workers" --txq="$workers")
	dpdk-testpmd "${mid_eal[@]}" --no-pci --in-memory --file-prefix "$gd_prefix" -m "$tp_mem" \
		"${memif_clients[@]}" \
		-- --total-num-mbufs="$nb_mbufs" --mbuf-size=9344 --nb-cores="$workers" "${sq[@]}" \
		--cmdline-file="$rundir/standin.cmds" \
		--stats-period=3600 </dev/null >"$gd_log" 2>&1 &
else
	"$guardd" "${mid_eal[@]}" --no-pci --file-prefix "$gd_prefix" -m 256 \
		"${memif_clients[@]}" \
		-- --ruleset "$ruleset" --stats-file "$gd_stats" --idle-exit "$idle_exit" \
		"${guardd_opts[@]}" </dev/null >"$gd_log" 2>&1 &
fi
gd_pid=$!
gd_name=guardd
((standin)) && gd_name="stand-in testpmd"

# Wait for both memif links (testpmd ports 1 and 2) to come up.
t=0
while :; do
	kill -0 "$gd_pid" 2>/dev/null || fail "$gd_name exited before its memif links came up" "$gd_log"
	tp_cmd 'show port summary all'
	if tp_output 'show port summary all' |
		awk '$1 == 1 || $1 == 2 { if ($5 == "up") up++ } END { exit up != 2 }'; then
		break
	fi
	((t++ < 300)) || fail "memif links not up within 30 s" "$gd_log" "$tp_log"
	sleep 0.1
done

# ---- guard-control, if asked for ---------------------------------------------------------------
if [[ -n $control ]]; then
	"$control" --proc-type=secondary --file-prefix "$gd_prefix" -l 0 --no-pci \
		--log-level=lib.eal:warning -- --audit-log "$audit" --socket "$rundir/control.sock" \
		--state-dir "$rundir" </dev/null >"$gc_log" 2>&1 &
	gc_pid=$!
	t=0
	until "$guardctl" status --socket "$rundir/control.sock" >/dev/null 2>&1; do
		kill -0 "$gc_pid" 2>/dev/null || fail "guard-control did not start" "$gc_log"
		((t++ < 300)) || fail "guard-control did not answer within 30 s" "$gc_log"
		sleep 0.1
	done
fi

# ---- the stand-in's rate, sampled through its telemetry socket -------------------------------
# testpmd keeps no time stamps of its own: a sampler reads the stand-in's port 0 counters
# (/ethdev/stats,0) every 10 ms. The rate is the steady one between the first and the last
# sample taken while frames were arriving (count above 0 and below the final one; each
# sample is stamped at the middle of its request, which takes well under a millisecond):
# no edge uncertainty, and few wake-ups (each one preempts a polling lcore: sampling every
# millisecond measurably slowed the forwarding it measures). With fewer than five such
# samples (a short replay) first and last frame are placed between the samples around
# them instead; a replay within one sampling interval is not timed (rate n/a). The
# sampler ends once the count has not moved for --idle-exit seconds and writes
# DIR/standin.rate: frames, bytes (L2 frame bytes as the PMD counts them), pps, seconds
# (frames / pps, comparable with guardd's first to last received), how; and its samples
# up to the last frame to DIR/standin.rate.samples.
if ((standin)); then
	cat >"$rundir/rate.py" <<'EOF'
import json, socket, sys, time
path, idle, limit, out, ready = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
end = time.monotonic() + 30
while True:
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(path)
        break
    except OSError:
        if time.monotonic() > end:
            sys.exit('no telemetry socket %s' % path)
        time.sleep(0.05)
s.recv(4096)  # the greeting


def sample():
    t0 = time.monotonic_ns()
    s.send(b'/ethdev/stats,0')
    st = json.loads(s.recv(1 << 16))['/ethdev/stats']
    t1 = time.monotonic_ns()
    return (t0 + t1) / 2e9, st['ipackets'], st['ibytes'], (t1 - t0) / 1e9


samples = [sample()]
open(ready, 'w').close()
deadline = time.monotonic() + limit
changed = None
while True:
    time.sleep(0.01)
    cur = sample()
    if cur[1] != samples[-1][1]:
        changed = time.monotonic()
    samples.append(cur)
    if changed is not None and time.monotonic() - changed >= idle:
        break
    if time.monotonic() > deadline:
        sys.exit('the stand-in received nothing, or still received, after %.0f s' % limit)
frames, nbytes = samples[-1][1], samples[-1][2]
i = next(k for k, x in enumerate(samples) if x[1] > 0)
j = next(k for k, x in enumerate(samples) if x[1] == frames)
if i == 0:
    sys.exit('frames arrived before the first sample')
inside = samples[i:j]  # 0 < count < frames
# the end points: the outermost of these samples whose request was quick (< 1 ms), if any
quick = [x for x in inside if x[3] < 1e-3]
ends = quick if len(quick) >= 2 and quick[-1][0] - quick[0][0] > 0.5 * (inside[-1][0] - inside[0][0]) else inside
if len(inside) >= 5 and ends[-1][0] > ends[0][0] and ends[-1][1] > ends[0][1]:
    a, b = ends[0], ends[-1]
    pps = (b[1] - a[1]) / (b[0] - a[0])
    how = 'steady rate over %.3f s of %.3f, end samples within %.2f ms' % (
        b[0] - a[0], inside[-1][0] - inside[0][0], max(a[3], b[3]) * 1e3)
elif j > i:
    first = (samples[i - 1][0] + samples[i][0]) / 2
    last = (samples[j - 1][0] + samples[j][0]) / 2
    pps = frames / (last - first)
    how = 'first to last frame, each within %.1f ms' % (
        max(samples[i][0] - samples[i - 1][0], samples[j][0] - samples[j - 1][0]) * 1e3 / 2)
else:
    pps = 0
    how = 'not timed: every frame arrived between two samples %.1f ms apart' % (
        (samples[i][0] - samples[i - 1][0]) * 1e3)
with open(out, 'w') as f:
    f.write('frames %d\nbytes %d\npps %.1f\nseconds %.6f\nhow %s\n'
            % (frames, nbytes, pps, frames / pps if pps else 0, how))
with open(out + '.samples', 'w') as f:
    f.write('# seconds since the first sample, frames received, bytes received, request time\n')
    f.writelines('%.6f %d %d %.6f\n' % (t - samples[0][0], n, b, r) for t, n, b, r in samples[:j + 1])
EOF
	python3 "$rundir/rate.py" "/var/run/dpdk/$gd_prefix/dpdk_telemetry.v2" "$idle_exit" \
		"$timeout" "$workdir/standin.rate" "$rundir/rate.ready" \
		>"$workdir/standin.rate.log" 2>&1 &
	rate_pid=$!
	t=0
	until [[ -e $rundir/rate.ready ]]; do
		kill -0 "$rate_pid" 2>/dev/null || fail "the stand-in's rate sampler did not start" \
			"$workdir/standin.rate.log"
		((t++ < 600)) || fail "the stand-in's rate sampler had no sample within 30 s" \
			"$workdir/standin.rate.log"
		sleep 0.05
	done
fi

# preempted PID: how often PID's polling lcores (DPDK threads rte-worker-N) were switched
# out involuntarily, i.e. another thread ran on their CPU: a quiet machine gives a polling
# thread of its own CPU few, one it shares hundreds a second. Reads /proc with builtins.
preempted() {
	local t c k v n=0
	for t in /proc/"$1"/task/*; do
		c=''
		{ read -r c <"$t/comm"; } 2>/dev/null || continue
		[[ $c == lcore-worker-* || $c == rte-worker-* ]] || continue
		{ while read -r k v; do
			[[ $k == nonvoluntary_ctxt_switches: ]] && n=$((n + v))
		done <"$t/status"; } 2>/dev/null || true
	done
	printf '%s\n' "$n"
}
pre_box0=$(preempted "$gd_pid") pre_src0=$(preempted "$tp_pid")
pre_box=$pre_box0 pre_src=$pre_src0

# ---- replay --------------------------------------------------------------------------------
start_ns=$(date +%s%N)
tp_cmd 'start'
if [[ -n $reload ]]; then
	# while the traffic flows: compile and swap in a policy that decides as the running one
	"$guardctl" policy load "$reload" --socket "$rundir/control.sock" >"$workdir/reload.txt" 2>&1 ||
		fail "guardctl policy load $reload failed: $(cat "$workdir/reload.txt")" "$gc_log"
fi
deadline=$((SECONDS + timeout))
if ((standin)); then
	# The sampler ends once the stand-in's count has stood still for --idle-exit seconds;
	# testpmd is not asked for its counters before (they are read below, traffic over).
	while kill -0 "$rate_pid" 2>/dev/null; do
		((SECONDS < deadline)) || fail "replay not finished within $timeout s" "$tp_log"
		sleep 0.1
	done
	rate_rc=0
	wait "$rate_pid" || rate_rc=$?
	rate_pid=
	if ((rate_rc != 0)) || [[ ! -s $workdir/standin.rate ]]; then
		fail "the stand-in's rate sampler failed" "$workdir/standin.rate.log" "$gd_log"
	fi
	pre_box=$(preempted "$gd_pid") pre_src=$(preempted "$tp_pid")
	# The stand-in never exits by itself: wait until testpmd's counters stop moving.
	last='' still=0
	while :; do
		tp_cmd 'show port stats all'
		now=$(tp_output 'show port stats all' | awk '/RX-packets:/ { printf "%s ", $2 }')
		if [[ $now == "$last" && $now != "0 0 0 0 " ]]; then
			((++still >= idle_exit * 2)) && break
		else
			still=0 last=$now
		fi
		((SECONDS < deadline)) || fail "replay not finished within $timeout s" "$tp_log"
		sleep 0.5
	done
	# Stop forwarding first (testpmd crashes when a memif peer goes away under its
	# forwarding lcore), then the stand-in while its memif peer is still there (it crashes
	# on the way out otherwise), then forget it: its exit status says nothing.
	tp_cmd 'stop'
	kill -INT "$gd_pid" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$gd_pid" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$gd_pid" 2>/dev/null || true
	wait "$gd_pid" 2>/dev/null || true
	gd_pid=
else
	# testpmd crashes (SIGSEGV, now and then) when a memif peer goes away under its
	# forwarding lcore, as guardd does when it exits. So testpmd's forwarding is stopped
	# before that: once it has read every frame of the sidecar and received back every
	# release (the frames still in guardd's rx ring need nothing from testpmd), or, should
	# the counts never get there, once nothing has moved for half a second (guardd then
	# leaves --idle-exit seconds after its last frame). Its counters are read every half
	# second, each read a few hundred microseconds of testpmd's idle main lcore.
	e_total=$(awk '!/^#/ && NF { n++ } END { print n + 0 }' "$expect")
	e_rel=$(awk '!/^#/ && NF && $3 == "release" { n++ } END { print n + 0 }' "$expect")
	src_stopped=0 polls=0 last=''
	while kill -0 "$gd_pid" 2>/dev/null; do
		kill -0 "$tp_pid" 2>/dev/null || fail "dpdk-testpmd died during the replay" "$tp_log"
		((SECONDS < deadline)) ||
			fail "guardd did not finish (--idle-exit $idle_exit) within $timeout s" "$gd_log"
		((++polls % 10 == 0)) && { pre_box=$(preempted "$gd_pid") pre_src=$(preempted "$tp_pid"); }
		if ((!src_stopped && polls % 10 == 0)); then
			tp_cmd 'show port stats all'
			# RX and TX packets of ports 0..3: pcap read, to A, from B, to the sink
			now=$(tp_output 'show port stats all' | awk '/NIC statistics for port/ { p = $6 }
				/RX-packets:/ { rx[p] = $2 } /TX-packets:/ { tx[p] = $2 }
				END { print rx[0] + 0, tx[1] + 0, rx[2] + 0, tx[3] + 0 }')
			read -r n_in _ _ n_back <<<"$now"
			if { ((n_in == e_total && n_back == e_rel)); } ||
				[[ $now == "$last" && $n_in != 0 ]]; then
				tp_cmd 'stop'
				src_stopped=1
			fi
			last=$now
		fi
		sleep 0.05
	done
	gd_rc=0
	wait "$gd_pid" || gd_rc=$?
	gd_pid=
	((gd_rc == 0)) || fail "guardd exited with status $gd_rc" "$gd_log"
	if [[ -n $gc_pid ]]; then
		# guard-control writes the last records and leaves with guardd (status 3)
		gc_rc=0
		wait "$gc_pid" || gc_rc=$?
		gc_pid=
		((gc_rc == 3)) || fail "guard-control exited with $gc_rc, want 3 (guardd stopped)" "$gc_log"
	fi
fi
wall_ms=$((($(date +%s%N) - start_ns) / 1000000))
((standin || src_stopped)) || tp_cmd 'stop'
fwd=$(tp_output 'stop')
tp_cmd 'show port stats all'
nic=$(tp_output 'show port stats all')
printf 'quit\n' 2>/dev/null 1>&"$tp_fd" || true
exec {tp_fd}>&-
tp_fd=
for _ in $(seq 100); do kill -0 "$tp_pid" 2>/dev/null || break; sleep 0.05; done

# Forward statistics per port: "RX-packets: n RX-dropped: n ..." / "TX-packets: n TX-dropped: n"
fwd_stat() { # PORT FIELD(rx|tx|txdrop)
	awk -v p="$1" -v f="$2" '
		/Forward statistics for port/ { on = ($0 ~ "port " p " ") }
		/Accumulated/ { on = 0 }
		on && /RX-packets:/ && f == "rx" { print $2; exit }
		on && /TX-packets:/ && f == "tx" { print $2; exit }
		on && /TX-packets:/ && f == "txdrop" { print $4; exit }' <<<"$fwd"
}
nic_stat() { # PORT FIELD(RX-packets|TX-errors|RX-missed...)
	awk -v p="$1" -v f="$2:" '
		/NIC statistics for port/ { on = ($0 ~ "port " p " ") }
		on { for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }' <<<"$nic"
}
# testpmd's per-port RX/TX-packets come from the PMDs' counters, and a memif port's
# counters read 0 once its peer has gone (as guardd has by now). So count the frames at
# the ends that stay: read from the pcap (port 0), and handed to the sink (port 3), which
# forwards, with retry, every frame that came back on memif B. TX-dropped is testpmd's
# own count of frames it gave up on after all retries.
sent_in=$(fwd_stat 0 rx)           # frames testpmd read from the pcap
to_guard_drop=$(fwd_stat 1 txdrop) # ... and could not put on memif A
back=$(fwd_stat 3 tx)              # frames that came back on memif B, handed to the sink
sink_drop=$(fwd_stat 3 txdrop)
pcap_nic_rx=$(nic_stat 0 RX-packets)
[[ -n $sent_in && -n $to_guard_drop && -n $back && -n $pcap_nic_rx ]] ||
	fail "could not read testpmd's forward statistics" "$tp_log"

problems=()
((to_guard_drop == 0)) || problems+=("testpmd dropped $to_guard_drop frames on memif A (TX-dropped)")
((${sink_drop:-0} == 0)) || problems+=("testpmd dropped $sink_drop frames at the sink")
((pcap_nic_rx == sent_in)) ||
	problems+=("net_pcap read $pcap_nic_rx frames but only $sent_in were forwarded (flushed?)")

{
	printf '%s\n' "$label"
	if ((standin)); then
		printf '  %-36s %12s\n' "frames replayed by testpmd" "$sent_in" \
			"frames received back by testpmd" "$back"
		printf '  %-36s %12s\n' "testpmd TX-dropped (memif A)" "$to_guard_drop"
		((back == sent_in)) || problems+=("stand-in: $sent_in frames sent but $back came back")
		read -r s_frames s_bytes s_secs < <(awk '{ v[$1] = $2 }
			END { print v["frames"], v["bytes"], v["seconds"] }' "$workdir/standin.rate")
		s_how=$(sed -n 's/^how //p' "$workdir/standin.rate")
		((s_frames == sent_in)) ||
			problems+=("the stand-in's telemetry counted $s_frames frames received, testpmd sent $sent_in")
		awk -v n="$s_frames" -v b="$s_bytes" -v s="$s_secs" -v how="$s_how" 'BEGIN {
			if (s <= 0) { printf "  %-36s %12s  (%s)\n", "stand-in rate, Mpps", "n/a", how; exit }
			printf "  %-36s %12.3f  (%s)\n", "stand-in rate, Mpps", n / s / 1e6, how
			printf "  %-36s %12.3f  (L2 frame bytes, no FCS)\n", "stand-in rate, Gbit/s", b * 8 / s / 1e9 }'
	else
		[[ -s $gd_stats ]] || fail "guardd wrote no stats file $gd_stats" "$gd_log"
		# Compare guardd's counters with the generator's sidecar, per (channel, reason).
		cmp_out=$(awk '
			FNR == 1 { file++ }
			/^#/ || NF == 0 { next }
			file == 1 { exp_n[$2 " " $3]++; exp_total++; next }
			$1 == "total" { tot[$2] = $3; next }
			NF == 3 { got[$1 " " $2] += $3 }
			END {
				for (k in exp_n) keys[k] = 1
				for (k in got) keys[k] = 1
				for (k in keys) {
					split(k, a, " "); r = a[2]
					er[r] += exp_n[k]; gr[r] += got[k]; reasons[r] = 1
					if (exp_n[k] + 0 != got[k] + 0)
						printf "MISMATCH channel %s reason %s: guardd %d, expected %d\n",
							a[1], r, got[k], exp_n[k]
				}
				printf "TOTAL rx %d tx %d seconds %s expected %d\n",
					tot["rx"], tot["tx"], tot["seconds"], exp_total
				for (r in reasons) printf "REASON %s %d %d\n", r, gr[r], er[r]
			}' "$expect" "$gd_stats")
		read -r _ _ g_rx _ g_tx _ g_secs _ e_total < <(grep '^TOTAL' <<<"$cmp_out")
		g_rel=$(awk '$1 == "REASON" && $2 == "release" { print $3 }' <<<"$cmp_out")
		e_rel=$(awk '$1 == "REASON" && $2 == "release" { print $4 }' <<<"$cmp_out")
		g_held=$(awk '$1 == "REASON" && $2 == "review" { print $3 }' <<<"$cmp_out")
		e_held=$(awk '$1 == "REASON" && $2 == "review" { print $4 }' <<<"$cmp_out")
		g_rel=${g_rel:-0} e_rel=${e_rel:-0} g_held=${g_held:-0} e_held=${e_held:-0}
		# one outcome everywhere (guardctl too): released, dropped, or held for review
		printf '  %-36s %12s %12s\n' "" "guardd" "expected"
		printf '  %-36s %12s %12s\n' "received" "$g_rx" "$e_total"
		printf '  %-36s %12s %12s\n' "released" "$g_rel" "$e_rel"
		printf '  %-36s %12s %12s\n' "dropped" "$((g_rx - g_rel - g_held))" \
			"$((e_total - e_rel - e_held))"
		awk '$1 == "REASON" && $2 != "release" && $2 != "review" {
			printf "    %-34s %12s %12s\n", $2, $3, $4 }' <<<"$cmp_out" | sort
		printf '  %-36s %12s %12s\n' "held for review" "$g_held" "$e_held"
		printf '  %-36s %12s\n' "frames replayed by testpmd" "$sent_in"
		printf '  %-36s %12s\n' "testpmd TX-dropped (memif A)" "$to_guard_drop"
		printf '  %-36s %12s %12s\n' "received back by testpmd" "$back" "$e_rel"
		# priority egress (docs/egress.md): what each traffic class sent on the low side
		awk '$1 == "total" && $2 == "egress" && ($5 == "sent" || $5 == "queue_full") {
				v[$3 " " $4 " " $5] = $6; k[$3 " " $4] = 1 }
			END { for (x in k) { split(x, a, " ")
				printf "  %-36s %12s  (queue_full %d)\n", "sent on port " a[1] ", " a[2],
					v[x " sent"] + 0, v[x " queue_full"] + 0 } }' "$gd_stats" | sort
		eg_sent=$(awk '$1 == "total" && $2 == "egress" && $5 == "sent" { s += $6 } END { print s + 0 }' "$gd_stats")
		((eg_sent == g_tx)) || problems+=("guardd's egress classes sent $eg_sent frames, its total tx is $g_tx")
		mpps=$(awk -v n="$g_rx" -v s="$g_secs" 'BEGIN { if (s > 0) printf "%.3f", n / s / 1e6; else print "n/a" }')
		g_secs=$(awk -v s="$g_secs" 'BEGIN { printf "%.3f", s }')
		printf '  %-36s %12s  (%s frames in %s s, guardd stats)\n' "guardd rate, Mpps" "$mpps" "$g_rx" "$g_secs"
		while read -r line; do problems+=("$line"); done < <(grep '^MISMATCH' <<<"$cmp_out" || true)
		((g_rx == e_total)) || problems+=("guardd received $g_rx frames, the sidecar lists $e_total")
		((sent_in == e_total)) || problems+=("testpmd replayed $sent_in frames, the sidecar lists $e_total")
		((g_tx == g_rel)) || problems+=("guardd sent $g_tx frames but counted $g_rel released")
		((back == g_rel)) || problems+=("guardd released $g_rel frames but testpmd received $back back")
	fi
	if ((workers > 1)); then
		((standin)) && what="forwarding lcores" || what="worker lcores"
		printf '  %-36s %12s  (%s)\n' "$what, queues per memif" "$workers" "${mid_eal[*]}"
		# testpmd's per-stream statistics: what it put on each queue of memif A
		per_q=$(awk '/Forward Stats for RX Port= *0\/Queue= *[0-9]+ -> TX Port= *1\// { on = 1; next }
			on && /TX-packets:/ { printf "%s ", $4; on = 0 }' <<<"$fwd")
		printf '  %-36s %12s\n' "frames per queue of memif A" "${per_q% }"
	fi
	if [[ -n $control ]]; then
		if [[ -s $workdir/reload.txt ]]; then
			printf '  reload during the replay (guardctl policy load %s):\n' "${reload##*/}"
			sed 's/^/    /' "$workdir/reload.txt"
		fi
		if verify=$("$guardctl" audit verify "$audit" 2>&1); then
			printf '  audit log: %s\n' "${verify#"$workdir/"}"
		else
			problems+=("the audit log does not verify: $verify")
		fi
	fi
	printf '  %-36s %12s  (%s; testpmd source: %s)\n' "polling lcores preempted" \
		"$((pre_box - pre_box0))" "$gd_name" "$((pre_src - pre_src0))"
	printf 'box %s\nsource %s\n' "$((pre_box - pre_box0))" "$((pre_src - pre_src0))" \
		>"$workdir/preempted"
	printf '  %-36s %12s\n' "wall time of the replay, s" \
		"$(awk -v ms="$wall_ms" 'BEGIN { printf "%.2f", ms / 1000 }')"
	if ((${#problems[@]} == 0)); then
		if ((standin)); then
			echo "RESULT: PASS (every frame came back through the stand-in, none dropped)"
		else
			echo "RESULT: PASS (released, dropped and held counts equal the generator's sidecar)"
		fi
	else
		echo "RESULT: FAIL"
		printf '  - %s\n' "${problems[@]}"
		printf '  logs: %s %s %s\n' "$tp_log" "$gd_log" "$gd_stats"
	fi
} | tee "$summary"
grep -q '^RESULT: PASS' "$summary"
