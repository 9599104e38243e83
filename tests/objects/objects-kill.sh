#!/usr/bin/env bash
# The slow path and the review queue under kill -9 (issue 13):
#   1. held objects and their findings survive kill -9 of guard-slowpath and guard-control
#      (the queue file passes SQLite's integrity check and shows them unchanged);
#   2. guard-slowpath killed in the middle of a flood of objects: guardd drops what arrives
#      meanwhile as slowpath_down (fail closed, never waits), a new guard-slowpath decides
#      new objects;
#   3. guard-control killed between an approval and the sending (its records already on
#      guardd's ring, guardd held still): the restarted release pump resumes and the item
#      leaves exactly once;
#   4. guardd killed while an item is sending: the item becomes interrupted, is said so in
#      the audit log, and is not sent again by the next guardd;
#   5. the queue at its bound (a policy with queue_max_items 3): a new object is refused as
#      review_queue_full and audited, and nothing already queued is evicted.
#
#   usage: objects-kill.sh BUILD_DIR ROOT SCRATCH_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd) ROOT=$(cd "$2" && pwd) SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
# shellcheck source=tests/objects/lib.sh
source "$ROOT/tests/objects/lib.sh"
cd "$SCRATCH"

sample_traffic 1 10
corpus "$SCRATCH/c"
C=$SCRATCH/c
gen() { "$GEN_OBJECTS" --out "$1" --append --file "$C/$2" --id "$3" "${@:4}" >>gen.log 2>&1 ||
	fail "gen-objects $2: $(tail -3 gen.log)"; }
gen held.pcap pdf-clean.pdf 101
gen held.pcap text-clean.txt 102
gen held.pcap jpeg-gps.jpg 103
gen held.pcap text-review.txt 104
gen flood.pcap text-clean.txt 1000 --repeat 400 --chunk 8
gen after.pcap text-clean.txt 5000

integrity() {
	python3 - "$REVIEW_DB" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
r = db.execute("PRAGMA integrity_check").fetchone()[0]
sys.exit(0 if r == "ok" else f"integrity_check: {r}")
PYEOF
}
# item ID: the review item of object id ID
item() {
	guardctl review list --state all --json --socket "$SOCK" | python3 -c 'import json,sys
want = "%016x" % int(sys.argv[1])
ids = [i["id"] for i in json.load(sys.stdin)["items"] if i["source_id"] == want]
print(ids[0] if len(ids) == 1 else "")' "$1"
}
# stop_pace: the lingering replayer leaves (guardd's memif link goes down and comes back)
stop_pace() {
	kill -TERM "$PACE_PID" 2>/dev/null || true
	wait "$PACE_PID" 2>/dev/null || true
	PACE_PID=''
}

# ---- 1. held objects survive kill -9 ------------------------------------------------------
start_objects_guardd
start_control --group nogroup
start_slowpath
start_pace held.pcap 2000
wait_pace
wait_for "4 objects decided" 60 slowpath_decided 4
wait_for "4 items pending" 30 bash -c "[[ \$('$GUARDCTL' review list --json --socket '$SOCK' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"count\"])') == 4 ]]"
guardctl review show "$(item 104)" --json --socket "$SOCK" >before.json
kill -KILL "$SP_PID"
wait "$SP_PID" 2>/dev/null || true
SP_PID=''
kill_control
integrity || fail "the review queue is damaged after kill -9"
start_control --group nogroup
start_slowpath
guardctl review show "$(item 104)" --json --socket "$SOCK" >after.json
cmp -s before.json after.json || fail "item of object 104 changed across kill -9: $(diff before.json after.json)"
grep -q '"findings":\[{"kind":"term"' after.json || fail "the findings are gone: $(cat after.json)"
ok "4 held objects with their findings survive kill -9 of guard-slowpath and guard-control"

# ---- 2. guard-slowpath killed in a flood ------------------------------------------------
stop_pace
start_pace flood.pcap 20000
sleep 0.3
kill -KILL "$SP_PID"
wait "$SP_PID" 2>/dev/null || true
SP_PID=''
wait_pace
stop_pace
start_slowpath
start_pace after.pcap 1000
wait_pace
wait_for "the object sent after the restart to be held" 30 bash -c "[[ -n \$('$GUARDCTL' review list --json --socket '$SOCK' | grep -o '\"source_id\":\"0000000000001388\"') ]]"
down=$(guardctl stats --json --socket "$SOCK" | python3 -c 'import json,sys
d = json.load(sys.stdin)
print(sum(c["packets"] for c in d["counters"] if c["channel"] == "objects_out" and c["reason"] == "slowpath_down"))')
((down > 0)) || fail "no chunk was dropped as slowpath_down while guard-slowpath was dead"
integrity || fail "the review queue is damaged after kill -9 in a flood"
ok "guard-slowpath killed mid-flood: $down chunks dropped as slowpath_down; the next one decides new objects"

# ---- 3. guard-control killed between approval and sending ---------------------------------
kill -STOP "$GD_PID"
as_reviewer 1001 "$GUARDCTL" review approve "$(item 101)" --socket "$SOCK" >a101.out 2>&1 ||
	fail "approval: $(cat a101.out)"
wait_for "item $(item 101) to be sending" 10 bash -c "'$GUARDCTL' review show $(item 101) --json --socket '$SOCK' | grep -q '\"state\":\"sending\"'"
kill_control
kill -CONT "$GD_PID"
start_control --group nogroup
wait_for "item $(item 101) to be released" 30 bash -c "'$GUARDCTL' review show $(item 101) --json --socket '$SOCK' | grep -q '\"state\":\"released\"'"
guardctl review show "$(item 101)" --json --socket "$SOCK" >i101.json
# exactly once: guardd sent as many datagrams of approved items as the item has records
want=$(python3 -c 'import json; print(json.load(open("i101.json"))["rec_count"])')
sent=$(guardctl stats --json --socket "$SOCK" | python3 -c 'import json,sys
d = json.load(sys.stdin)
print(sum(c["packets"] for c in d["counters"] if c["channel"] == "objects_out" and c["reason"] == "released_reviewed"))')
((sent == want)) || fail "guardd sent $sent datagrams of approved items, item $(item 101) has $want"
ok "guard-control killed between approval and sending: the restarted pump finished it; $sent datagrams, exactly once"

# ---- 4. guardd killed while an item is sending --------------------------------------------
kill -STOP "$GD_PID"
as_reviewer 1001 "$GUARDCTL" review approve "$(item 102)" --socket "$SOCK" >a102.out 2>&1 ||
	fail "approval: $(cat a102.out)"
i102=$(item 102)
wait_for "item $i102 to be sending" 10 bash -c "'$GUARDCTL' review show $i102 --json --socket '$SOCK' | grep -q '\"state\":\"sending\"'"
kill -KILL "$GD_PID"
kill -CONT "$GD_PID" 2>/dev/null || true
wait "$GD_PID" 2>/dev/null || true
GD_PID=''
wait "$GC_PID" 2>/dev/null || true
GC_PID=''
wait "$SP_PID" 2>/dev/null || true
SP_PID=''
stop_pace
rm -rf /dev/hugepages/"$PREFIX"* /var/run/dpdk/"$PREFIX"
rm -f "$SOCK" "$RUN/a.sock" # left by the killed guardd
start_objects_guardd
start_control --group nogroup
wait_for "item $i102 to be interrupted" 30 bash -c "'$GUARDCTL' review show $i102 --json --socket '$SOCK' | grep -q '\"state\":\"interrupted\"'"
guardctl review show "$i102" --socket "$SOCK" >i102.txt
grep -q '^release     guardd restarted' i102.txt || fail "the interruption does not say why: $(cat i102.txt)"
grep -q '"event":"review_interrupted"' "$AUDIT" || fail "no review_interrupted audit record"

# ---- 5. the queue at its bound: a new object is refused, nothing queued is evicted --------
cp -r "$ROOT/rules" rules-full
sed -i 's/^  queue_max_items: .*/  queue_max_items: 3/' rules-full/sample-policy.yaml
grep -q '^  queue_max_items: 3$' rules-full/sample-policy.yaml || fail "could not bound the queue"
guardctl policy load rules-full/sample-policy.yaml --socket "$SOCK" >load.out 2>&1 ||
	fail "policy load: $(cat load.out)"
before=$(guardctl review list --state all --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
start_slowpath
start_pace after.pcap 1000
wait_pace
wait_for "the object to be refused" 30 bash -c "grep -q '^objects_out review_queue_full 1\$' '$SP_STATS'"
after=$(guardctl review list --state all --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
((after == before)) || fail "the queue held $before items and now $after: something was queued or evicted"
grep -q '"reason":"review_queue_full".*not queued: review queue full' "$AUDIT" ||
	fail "no review_queue_full record saying why"
ok "queue at queue_max_items 3 ($before items in it): the new object refused as review_queue_full, audited; nothing evicted"
stop_slowpath
stop_pace
sleep 1
stop_control
stop_guardd
objects_py released "$OUT_PCAP" out2 >released2.json
python3 -c 'import json,sys; d = json.load(open("released2.json")); n = len(d["objects"]) + len(d["messages"]); sys.exit("the next guardd sent %d items" % n if n else 0)' ||
	fail "an interrupted item was sent again"
"$GUARDCTL" audit verify "$AUDIT" >verify.out 2>&1 || fail "audit verify: $(cat verify.out)"
ok "guardd killed while item $i102 was sending: interrupted, audited, not sent again; the chain verifies"
