#!/usr/bin/env bash
# Links that go away (issue 11.6): guardd's two memif ports are clients of a dpdk-testpmd
# that replays traffic without end; the testpmd is killed (-9) and started again KILLS
# times (default 20) while traffic flows. Passes when guardd never dies, logs every link
# going down and coming back, restarts its memif ports to reconnect, and traffic flows
# again after each restart (guardd's received count grows); guardd then stops cleanly
# and its counters still add up (received = every counter cell).
#
# Usage: link-peer.sh BUILD_DIR REPO_ROOT SCRATCH_DIR [KILLS]
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
set -euo pipefail
(($# >= 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR [KILLS]" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3 KILLS=${4:-20}
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found (apt-get install dpdk)"
cd "$SCRATCH"
"$BUILD/tools/gen-traffic/gen-traffic" --out traffic.pcap --expect traffic.expect \
	--count 500 --seed 3 --formats all >gen.log 2>&1 || { cat gen.log >&2; fail "gen-traffic"; }
"$ROOT/tools/lib/compile-ruleset.sh" "$GUARDD" "$ROOT/rules/sample-policy.yaml" sample.rules >/dev/null ||
	fail "compile"

memif_opts="socket-abstract=no,bsize=9216"
tp_pid=''
# testpmd (not interactive) waits for a line on stdin before it quits: give it a FIFO that
# this script holds open and never writes to
mkfifo "$RUN/tp.in"
exec {tp_in}<>"$RUN/tp.in"
# the peer: testpmd as memif server, forwarding at once
start_peer() {
	rm -f "$RUN/a.sock" "$RUN/b.sock" # a killed server leaves its sockets behind
	dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --in-memory \
		--file-prefix "$PREFIX-tp" -m 256 \
		--vdev "net_pcap0,rx_pcap=$SCRATCH/traffic.pcap,infinite_rx=1" \
		--vdev "net_memif0,role=server,id=0,socket=$RUN/a.sock,$memif_opts" \
		--vdev "net_memif1,role=server,id=0,socket=$RUN/b.sock,$memif_opts" \
		--vdev "net_null0,no-rx=1" -- --total-num-mbufs=8192 --mbuf-size=9344 --nb-cores=1 \
		--forward-mode=io --auto-start --stats-period 0 <"$RUN/tp.in" >>testpmd.log 2>&1 &
	tp_pid=$!
	EXTRA_PIDS=$tp_pid
	wait_for "the peer's memif sockets" 30 test -S "$RUN/b.sock"
}
kill_peer() {
	kill -KILL "$tp_pid" 2>/dev/null || true
	wait "$tp_pid" 2>/dev/null || true
}
# links STATE: both memif ports are STATE (up or down), per guardd's /guard/ports
links() {
	telemetry /guard/ports | python3 -c "import json,sys
p = json.load(sys.stdin)['/guard/ports']
sys.exit(0 if [p[k]['link'] for k in ('net_memif0', 'net_memif1')] == ['$1'] * 2 else 1)"
}
received() { telemetry /guard/stats | python3 -c "import json,sys; print(json.load(sys.stdin)['/guard/stats']['received'])"; }
grows() {
	local a b
	a=$(received)
	sleep 0.3
	b=$(received)
	((b > a))
}

start_peer
start_guardd --vdev "net_memif0,role=client,id=0,socket=$RUN/a.sock,$memif_opts" \
	--vdev "net_memif1,role=client,id=0,socket=$RUN/b.sock,$memif_opts" \
	-- --ruleset sample.rules --stats-file "$SCRATCH/guardd.stats"
wait_for "traffic through guardd" 30 grows
for i in $(seq "$KILLS"); do
	kill_peer
	kill -0 "$GD_PID" 2>/dev/null || fail "guardd died when its peer was killed (round $i)"
	wait_for "guardd to see both links go down (round $i)" 10 links down
	start_peer
	wait_for "both links up again (round $i)" 20 links up
	wait_for "traffic to flow again after the peer came back (round $i)" 20 grows
	kill -0 "$GD_PID" 2>/dev/null || fail "guardd died after its peer came back (round $i)"
done
ok "$KILLS peer kills under traffic: guardd lived, and traffic flowed again each time"
downs=$(grep -c 'link down' guardd.log) ups=$(grep -c 'link up' guardd.log)
restarts=$(grep -c 'restarted to reconnect' guardd.log)
((downs >= KILLS && ups >= 2 * KILLS)) || fail "only $downs link-down and $ups link-up lines logged for $KILLS kills"
((restarts >= KILLS)) || fail "only $restarts memif restarts logged for $KILLS kills"
ok "logged: $downs link-down, $ups link-up, $restarts reconnecting restarts"
kill_peer
stop_guardd
rx=$(awk '$1 == "total" && $2 == "rx" { print $3 }' guardd.stats)
cells=$(awk '$1 != "total" && $1 !~ /^#/ { s += $3 } END { print s + 0 }' guardd.stats)
faults=$(awk '$1 == "total" && $2 == "peer_faults" { print $3 }' guardd.stats)
((rx == cells)) || fail "guardd received $rx frames but its counter cells hold $cells"
ok "counters add up after the kills: $rx received, all counted; $faults faults contained in the driver"
