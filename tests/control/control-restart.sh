#!/usr/bin/env bash
# guard-control coming and going while guardd runs (GUARD-SPEC 2 and 8): guardd decides an
# endless replay of generated traffic (net_pcap infinite_rx -> net_null) with the sample
# ruleset, guard-control attached. Checks, in order:
#   1. `guardctl status --json` names guardd's and guard-control's pids and both ports;
#   2. SIGTERM to guard-control: it exits 0 after a "stop" control record; guardd logs
#      "audit path down", keeps running and keeps deciding (telemetry /guard/stats: received,
#      released and dropped still grow) and shows no control process (/guard/ruleset);
#   3. a restarted guard-control attaches again (status: new pid, attached twice) and
#      continues the chain: the log so far verifies (`guardctl audit verify`) with two
#      "start" records and the first run's "stop" between them;
#   4. SIGINT to guardd while another writer holds the review queue's lock for 8 s (so
#      guard-control's review intake is stuck and its shutdown slow): guardd exits 0 without
#      "did not let go" (guard-control let go of its memory at once), guard-control exits by
#      itself with status 3, its log says "guardd (pid N) is stopping"; the whole audit log
#      verifies and ends with guard-control's "stop" control record.
# A failed check of 2 does not stop 3 and 4 (the failures are listed at the end).
#
# Usage: control-restart.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
# shellcheck disable=SC2119 # start_control takes guard-control options, none here
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"

command -v python3 >/dev/null ||
	fail "python3 not found: install the Debian package 'python3' (in GUARD_PACKAGES, tools/lib/common.sh)"
command -v dpdk-telemetry.py >/dev/null ||
	fail "dpdk-telemetry.py not found: install the Debian package 'dpdk' (in GUARD_PACKAGES, tools/lib/common.sh)"

FAILED=()
# later MSG: a failed check that does not stop the others (the test fails at the end)
later() {
	printf 'FAIL: %s\n' "$1" >&2
	FAILED+=("$1")
}
# json FILE EXPR: print EXPR of the JSON object in FILE (as d)
json() { python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# tstat NAME...: the named counters of guardd's /guard/stats telemetry, on one line
tstat() {
	local out
	out=$(telemetry /guard/stats) || fail "dpdk-telemetry.py -f $PREFIX did not answer /guard/stats"
	python3 -c 'import json,sys; d = json.loads(sys.argv[1])["/guard/stats"]; print(*(d[k] for k in sys.argv[2:]))' \
		"$out" "$@" || fail "/guard/stats: not the counters expected: $out"
}
# verify_snapshot NAME: verify the audit log as it is now, up to its last complete line
verify_snapshot() {
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d[:d.rfind(b"\n") + 1])' \
		"$AUDIT" "$1.jsonl"
	"$GUARDCTL" audit verify "$1.jsonl" >"$1.verify" 2>&1
}

sample_traffic 5

start_guardd --vdev "net_pcap0,$PCAP_ARGS" \
	--vdev "net_null1,no-rx=1" -- --ruleset "$SCRATCH/sample.rules"
start_control
wait_for "guardd to see guard-control" 5 grep -q "attached: audit path up" guardd.log

# ---- 1. status names both processes ----------------------------------------------------------
guardctl status --json --socket "$SOCK" >status1.json || fail "status --json failed"
[[ $(json status1.json 'd["control"]["pid"]') == "$GC_PID" ]] ||
	fail "status --json: control pid $(json status1.json 'd["control"]["pid"]'), guard-control is $GC_PID"
[[ $(json status1.json 'd["guardd"]["pid"]') == "$GD_PID" ]] ||
	fail "status --json: guardd pid $(json status1.json 'd["guardd"]["pid"]'), guardd is $GD_PID"
ports=$(json status1.json '" ".join(p["name"] for p in d["ports"])')
[[ $ports == "net_pcap0 net_null1" ]] ||
	fail "status --json lists the ports '$ports', want 'net_pcap0 net_null1' (guard-control attached to both)"
first_pid=$GC_PID
ok "status --json: guardd pid $GD_PID, control pid $GC_PID (attached $(json status1.json 'd["control"]["attaches"]') time), ports $ports"

# ---- 2. guard-control stopped: guardd goes on --------------------------------------------------
stop_control # SIGTERM; fails unless it exits 0
tail -n 1 "$AUDIT" | grep -q '"type":"control",.*"event":"stop"' ||
	fail "guard-control's last record on SIGTERM is not a control stop: $(tail -n 1 "$AUDIT")"
wait_for "guardd to log 'audit path down'" 5 grep -q "audit path down" guardd.log
kill -0 "$GD_PID" 2>/dev/null || fail "guardd died when guard-control stopped"
ok "SIGTERM: guard-control exited 0 after its stop record; guardd: $(grep -o "guard-control's heartbeat stopped: audit path down" guardd.log)"

pid=$(telemetry /guard/ruleset | python3 -c 'import json,sys; print(json.load(sys.stdin)["/guard/ruleset"]["control_pid"])') ||
	fail "/guard/ruleset did not answer"
((pid == 0)) || later "/guard/ruleset says control_pid $pid after guard-control stopped, want 0"
read -r rx1 rel1 drop1 < <(tstat received released dropped)
sleep 1
read -r rx2 rel2 drop2 < <(tstat received released dropped)
if ((rx2 > rx1 && rel2 > rel1 && drop2 > drop1)); then
	ok "guardd keeps deciding without guard-control: in 1 s $((rx2 - rx1)) received, $((rel2 - rel1)) released, $((drop2 - drop1)) dropped"
else
	why=$(grep -E "link down|stopp|error" guardd.log | tail -n 3 | tr '\n' ';' || true)
	later "guardd stopped deciding when guard-control stopped: in 1 s received $rx1 -> $rx2, released $rel1 -> $rel2, dropped $drop1 -> $drop2 (guardd.log: ${why:-nothing})"
fi

# ---- 3. restart: the chain goes on --------------------------------------------------------------
start_control
attached_twice() { (($(grep -c "attached: audit path up" guardd.log) >= 2)); }
wait_for "guardd to see guard-control again" 5 attached_twice
guardctl status --json --socket "$SOCK" >status2.json || fail "status --json failed after the restart"
[[ $(json status2.json 'd["control"]["pid"]') == "$GC_PID" && $GC_PID != "$first_pid" ]] ||
	fail "after the restart status --json says control pid $(json status2.json 'd["control"]["pid"]'), guard-control is $GC_PID"
[[ $(json status2.json 'd["control"]["attaches"]') == 2 ]] ||
	fail "after the restart status --json says attached $(json status2.json 'd["control"]["attaches"]') times, want 2"
sleep 1.5 # a summary or two in the new run
verify_snapshot restart || fail "the audit log does not verify across the restart: $(cat restart.verify)"
starts=$(grep -c '"type":"control",.*"event":"start"' restart.jsonl || true)
((starts == 2)) || fail "want 2 start records across the restart, found $starts"
grep -E '"event":"(start|stop)"' restart.jsonl | sed 's/.*"event":"\([a-z]*\)".*/\1/' | tr '\n' ' ' >events.txt
[[ $(cat events.txt) == "start stop start " ]] ||
	fail "control records across the restart: $(cat events.txt), want start stop start"
ok "restart: guard-control pid $GC_PID attached (2nd time), the chain continues: $(head -n 1 restart.verify | sed 's/^[^:]*: //')"

# ---- 4. guardd stops: guard-control follows -------------------------------------------------------
# Another writer holds the review queue's lock, so guard-control's review intake (the sample
# policy holds messages for review) is stuck behind it and guard-control's shutdown is slow.
# A stopping guardd waits 5 s at most and then frees its rings: guard-control must let go of
# them first and finish the slow part from its own memory (no "did not let go", no crash).
python3 - "$STATE/review.db" "$SCRATCH/locked" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(8)
db.execute("COMMIT")
PY
LOCKER=$!
wait_for "another writer to lock the review queue" 10 test -e "$SCRATCH/locked"
sleep 1.5 # the intake's backlog fills behind the lock
gd_pid=$GD_PID
t0=$(date +%s%N)
kill -INT "$GD_PID"
# exited: gone, or a zombie until it is waited for
control_exited() {
	local st
	st=$(awk '{ print $3 }' "/proc/$GC_PID/stat" 2>/dev/null) || return 0
	[[ -z $st || $st == Z ]]
}
wait_for "guard-control to exit after guardd's SIGINT" 30 control_exited
wait "$LOCKER" || fail "the process locking the review queue failed"
ms=$((($(date +%s%N) - t0) / 1000000))
status=0
wait "$GC_PID" || status=$?
GC_PID=''
((status == 3)) || fail "guard-control exited with $status when guardd stopped, want 3"
status=0
wait "$GD_PID" || status=$?
GD_PID=''
((status == 0)) || fail "guardd exited with $status on SIGINT"
grep -q "guardd (pid $gd_pid) is stopping" "control-$CONTROL_RUNS.log" ||
	fail "guard-control's log does not say 'guardd (pid $gd_pid) is stopping': $(tail -n 3 "control-$CONTROL_RUNS.log")"
! grep -q "did not let go" guardd.log || fail "guardd had to stop without guard-control: $(grep "did not let go" guardd.log)"
ok "SIGINT to guardd: guard-control exited with status 3 after ${ms} ms; $(grep -o "guardd (pid $gd_pid) is stopping" "control-$CONTROL_RUNS.log")"

guardctl audit verify "$AUDIT" >final.verify 2>&1 || fail "the audit log does not verify at the end: $(cat final.verify)"
tail -n 1 "$AUDIT" | grep -q '"type":"control",.*"event":"stop"' ||
	fail "the audit log does not end with a control stop record: $(tail -n 1 "$AUDIT")"
ok "the audit log verifies and ends with guard-control's stop record: $(head -n 1 final.verify | sed 's/^[^:]*: //')"

if ((${#FAILED[@]} != 0)); then
	fail "${#FAILED[@]} check(s) failed: $(printf '%s | ' "${FAILED[@]}")"
fi
