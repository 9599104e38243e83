#!/usr/bin/env bash
# The slow path end to end (issue 13): real PDFs, JPEGs and PNGs, type-spoofed and polyglot
# files and broken chunk sequences go through guardd and guard-slowpath; every outcome is
# checked, then the review flow with the sample policy's reviewers (alice 1001, bob 1002,
# carol 1003, reached through SO_PEERCRED) and the release: each approved item leaves the
# low side exactly once, re-chunked with fresh headers, images without their metadata.
#
#   usage: objects-flow.sh BUILD_DIR ROOT SCRATCH_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd) ROOT=$(cd "$2" && pwd) SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
# shellcheck source=tests/objects/lib.sh
source "$ROOT/tests/objects/lib.sh"
cd "$SCRATCH"

sample_traffic 1 10 # compiles the sample ruleset
corpus "$SCRATCH/c"
C=$SCRATCH/c

# ---- the objects: id, file, options, and what must become of it --------------------------
P=$SCRATCH/objects.pcap
rm -f "$P"
declare -A WANT # id -> reason in guard-slowpath's counters (review: held; others refused)
add() {
	local id=$1 file=$2 want=$3
	shift 3
	"$GEN_OBJECTS" --out "$P" --append --file "$C/$file" --id "$id" "$@" \
		>>gen-objects.log 2>&1 || fail "gen-objects --id $id $file: $(tail -3 gen-objects.log)"
	WANT[$id]=$want
}
add 1 pdf-clean.pdf review --originator dave
add 2 pdf-js-openaction.pdf active_content
add 3 pdf-launch.pdf active_content
add 4 pdf-embedded.pdf active_content
add 5 pdf-xfa.pdf active_content
add 6 pdf-obfuscated.pdf active_content
add 7 pdf-objstm.pdf active_content
add 8 pdf-term.pdf prohibited_content
add 9 pdf-marking.pdf marking_inconsistent
add 10 pdf-truncated.pdf bad_object
add 11 jpeg-gps.jpg review --originator carol --chunk 700
add 12 spoof-pdf-as-jpeg.jpg type_mismatch --type jpeg
add 13 jpeg-polyglot-pdf.jpg review --reverse
add 14 png-text.png review --label "NATO SECRET//REL TO NATO"
add 15 png-bomb.png bad_object
add 16 text-term.txt prohibited_content
add 17 text-badutf8.txt type_mismatch # libmagic: not text
add 18 zip-as-pdf.pdf type_mismatch
add 19 pdf-clean.pdf obj_incomplete --drop-chunk 0 --chunk 256
add 20 pdf-clean.pdf obj_duplicate --dup-chunk 1 --chunk 256
add 21 pdf-clean.pdf obj_overlap --overlap 2 --chunk 256
add 22 pdf-clean.pdf obj_mismatch --mismatch 1 --chunk 256
add 23 text-clean.txt obj_oversize --total-lie $((5 << 20)) # above max_object, 4 MiB
add 24 text-clean.txt review --interleave-with "$C/jpeg-clean.jpg" --chunk 20
WANT[25]=review # the interleaved JPEG (id 24 + 1)
add 26 text-review.txt review
# a STANAG 4774 label (tests/data/labels/nmbs.label.xml: NATO UNCLASSIFIED, Releasable To
# NATO) instead of a marking: version 2 chunks with the type byte's 4774 bit
add 27 pdf-clean.pdf review --label-4774 "$ROOT/tests/data/labels/nmbs.label.xml" --chunk 600
EXPECT_OBJECTS=${#WANT[@]}
# and fast-path messages that the policy holds for review (review terms): the same queue
"$BUILD/tools/gen-traffic/gen-traffic" --out fast.pcap --expect fast.expect --count 400 \
	--seed 7 --formats all >gen-fast.log 2>&1 || fail "gen-traffic: $(tail -3 gen-fast.log)"
"$GUARDCTL" check --policy "$ROOT/rules/sample-policy.yaml" --pcap fast.pcap --json >fast.json || true
mapfile -t REVIEW_FRAMES < <(python3 -c 'import json,sys
for l in open("fast.json"):
    d = json.loads(l)
    if d.get("type") == "frame" and d["reason"] == "review": print(d["index"])')
N_MSG=${#REVIEW_FRAMES[@]}
((N_MSG > 0)) || fail "gen-traffic --seed 7 made no message the sample policy holds for review"
objects_py append fast.pcap "$P" "${REVIEW_FRAMES[@]}"

# ---- guardd, guard-control, guard-slowpath; then pace sends the objects ------------------
start_objects_guardd
start_control --group nogroup
start_slowpath --timeout-ms 3000
start_pace "$P" 4000
wait_pace
wait_for "guard-slowpath to decide $EXPECT_OBJECTS objects" 60 slowpath_decided "$EXPECT_OBJECTS"
sleep 1.5 # a second look: the stats file is rewritten every second, nothing more may come
n=$(slowpath_total objects)
((n == EXPECT_OBJECTS)) || fail "guard-slowpath decided $n objects, want $EXPECT_OBJECTS: $(cat "$SP_STATS")"
declare -A GOT=()
for id in "${!WANT[@]}"; do GOT[${WANT[$id]}]=$((${GOT[${WANT[$id]}]:-0} + 1)); done
for reason in "${!GOT[@]}"; do
	have=$(slowpath_stat objects_out "$reason")
	((have == GOT[$reason])) ||
		fail "objects_out $reason: $have objects, want ${GOT[$reason]} ($(grep -v '^total' "$SP_STATS" | tr '\n' ';'))"
done
# guard-control shows guard-slowpath's counters: the same cells as its stats file
guardctl stats --json --socket "$SOCK" >stats.json || fail "stats --json"
python3 - "$SP_STATS" <<'PYEOF' || fail "guardctl stats --json does not show guard-slowpath's counters: $(head -c 800 stats.json)"
import json, sys
sp = json.load(open("stats.json"))["slowpath"]
cells = {(l.split()[0], l.split()[1]): int(l.split()[2]) for l in open(sys.argv[1])
         if l.split() and l.split()[0] not in ("#", "total")}
got = {(c["channel"], c["reason"]): c["objects"] for c in sp["counters"]}
assert got == cells, (got, cells)
assert sp["objects"] == sum(cells.values()), sp
PYEOF
ok "guard-slowpath decided $EXPECT_OBJECTS objects:$(grep -v '^[#t]' "$SP_STATS" | awk '{printf " %s %s", $2, $3}')"

# ---- the review queue ------------------------------------------------------------------
guardctl review list --json --socket "$SOCK" >pending.json || fail "review list --json"
# item NUMBER of object id ID (source_id is the id in 16 hex digits)
item() {
	python3 -c 'import json,sys
d = json.load(open("pending.json"))
want = "%016x" % int(sys.argv[1])
ids = [i["id"] for i in d["items"] if i["source_id"] == want]
print(ids[0] if len(ids) == 1 else "")' "$1"
}
for id in "${!WANT[@]}"; do
	[[ ${WANT[$id]} == review ]] || continue
	[[ -n $(item "$id") ]] || fail "object $id is not pending in the review queue: $(cat pending.json)"
done
n_pending=$(python3 -c 'import json; print(json.load(open("pending.json"))["count"])')
((n_pending == GOT[review] + N_MSG)) ||
	fail "review list shows $n_pending pending items, want ${GOT[review]} objects and $N_MSG messages"
MSG_ITEM=$(python3 -c 'import json; print([i["id"] for i in json.load(open("pending.json"))["items"] if i["kind"] == "message"][0])')
ok "review list: the ${GOT[review]} held objects and $N_MSG held messages are pending, nothing else"

# show: the review term in the extracted text is marked; findings and label are there
guardctl review show "$(item 26)" --socket "$SOCK" >show26.txt || fail "review show"
grep -q '^label       NATO UNCLASSIFIED//REL TO NATO$' show26.txt || fail "show: no label line: $(cat show26.txt)"
grep -q '^reason      review term ' show26.txt || fail "show: the reason is not a review term: $(cat show26.txt)"
grep -q '\[\[' show26.txt || fail "show: no match marked in the text: $(cat show26.txt)"
grep -q '^real type   text/plain$' show26.txt || fail "show: real type: $(cat show26.txt)"
ok "review show: label, reason, types and the match marked in the text"
guardctl review show "$(item 27)" --json --socket "$SOCK" >show27.json || fail "review show 27"
python3 - "$ROOT/tests/data/labels/nmbs.label.xml" <<'PYEOF' || fail "the 4774-labelled object's item"
import json, re, sys
it = json.load(open("show27.json"))
want = re.sub(r"[\r\n]+[ \t]*", "", open(sys.argv[1]).read())
if it["label"] != want:
    sys.exit(f"item label {it['label']!r}, want the joined 4774 label {want!r}")
if it["level"] != "UNCLASSIFIED":
    sys.exit(f"item level {it['level']!r}, want UNCLASSIFIED (from the 4774 label)")
PYEOF
ok "review show: the 4774-labelled object holds its label XML and the level it gives"

# ---- who may act ----------------------------------------------------------------------
set +e
as_reviewer 1234 "$GUARDCTL" review approve "$(item 1)" --socket "$SOCK" >stranger.out 2>&1
rc=$?
set -e
((rc == 1)) && grep -q 'uid 1234 is not a reviewer' stranger.out ||
	fail "a uid that is no reviewer: exit $rc, $(cat stranger.out)"
set +e
as_reviewer 1003 "$GUARDCTL" review approve "$(item 11)" --socket "$SOCK" >self.out 2>&1
rc=$?
set -e
((rc == 1)) || fail "carol approved what carol sent (exit $rc): $(cat self.out)"
ok "refused: a uid that is not a reviewer; carol approving her own object ($(head -c 120 self.out))"

as_reviewer 1001 "$GUARDCTL" review approve "$(item 14)" --comment "first look" --socket "$SOCK" \
	>a14.out 2>&1 || fail "alice's first approval of the SECRET item: $(cat a14.out)"
grep -q 'needs another reviewer' a14.out || fail "a SECRET item approved by one reviewer: $(cat a14.out)"
set +e
as_reviewer 1001 "$GUARDCTL" review approve "$(item 14)" --socket "$SOCK" >a14b.out 2>&1
rc=$?
set -e
((rc == 1)) || fail "alice approved the SECRET item twice (exit $rc): $(cat a14b.out)"
[[ $(review_state "$(item 14)") == pending ]] || fail "the SECRET item is not pending after one reviewer"
as_reviewer 1002 "$GUARDCTL" review approve "$(item 14)" --socket "$SOCK" >b14.out 2>&1 ||
	fail "bob's approval: $(cat b14.out)"
grep -q 'approved by bob (2 of 2)' b14.out || fail "bob's approval did not complete it: $(cat b14.out)"
ok "two-person rule: SECRET needs alice and bob; alice twice is refused"

for id in 1 11 13 26 27; do
	as_reviewer 1001 "$GUARDCTL" review approve "$(item "$id")" --socket "$SOCK" >"a$id.out" 2>&1 ||
		fail "alice's approval of object $id: $(cat "a$id.out")"
done
as_reviewer 1002 "$GUARDCTL" review reject "$(item 24)" --comment "not needed" --socket "$SOCK" \
	>r24.out 2>&1 || fail "bob's reject: $(cat r24.out)"
set +e
as_reviewer 1001 "$GUARDCTL" review approve "$(item 24)" --socket "$SOCK" >a24.out 2>&1
rc=$?
set -e
((rc == 1)) || fail "a rejected item was approved (exit $rc): $(cat a24.out)"
ok "approved 1, 11, 13, 26, 27 (alice); rejected 24 (bob), whose approval is then refused"

as_reviewer 1003 "$GUARDCTL" review approve "$MSG_ITEM" --socket "$SOCK" >am.out 2>&1 ||
	fail "carol's approval of message item $MSG_ITEM: $(cat am.out)"
RELEASED=(1 11 13 14 26 27)

wait_state "$MSG_ITEM" released 30
for id in "${RELEASED[@]}"; do
	wait_state "$(item "$id")" released 30
done
[[ $(review_state "$(item 25)") == pending ]] || fail "item of object 25 is not pending"
[[ $(review_state "$(item 24)") == rejected ]] || fail "item of object 24 is not rejected"
ok "every approved item released; the rejected one and the undecided one stay"

# export: as the reviewer, files never overwritten
mkdir -m 777 exp
as_reviewer 1001 "$GUARDCTL" review export "$(item 11)" exp --socket "$SOCK" >exp.out 2>&1 ||
	fail "export: $(cat exp.out)"
set +e
as_reviewer 1001 "$GUARDCTL" review export "$(item 11)" exp --socket "$SOCK" >exp2.out 2>&1
rc=$?
set -e
((rc != 0)) && grep -q 'never overwrites' exp2.out || fail "a second export overwrote (exit $rc): $(cat exp2.out)"
objects_py jpeg-clean "exp/$(item 11).jpg" || fail "the exported CDR image still has metadata"
ok "export wrote $(item 11).jpg and $(item 11).json; a second export is refused"

# ---- a channel that releases clean objects directly (hot reload) -----------------------
cp -r "$ROOT/rules" rules-direct
sed -i 's/^      release: review/      release: direct/' rules-direct/sample-policy.yaml
grep -q '^      release: direct' rules-direct/sample-policy.yaml || fail "could not make the direct policy"
guardctl policy load rules-direct/sample-policy.yaml --socket "$SOCK" >load.out 2>&1 ||
	fail "policy load: $(cat load.out)"
"$GEN_OBJECTS" --out direct.pcap --file "$C/text-clean.txt" --id 40 >>gen-objects.log 2>&1
"$GEN_OBJECTS" --out direct.pcap --append --file "$C/text-review.txt" --id 41 >>gen-objects.log 2>&1
kill -TERM "$PACE_PID" && wait "$PACE_PID" 2>/dev/null || true
start_pace direct.pcap 1000
wait_pace
wait_for "the two objects on the direct channel" 30 slowpath_decided $((EXPECT_OBJECTS + 2))
guardctl review list --state all --json --socket "$SOCK" >all.json
D40=$(python3 -c 'import json; print([i["id"] for i in json.load(open("all.json"))["items"] if i["source_id"] == "%016x" % 40][0])')
D41=$(python3 -c 'import json; print([i["id"] for i in json.load(open("all.json"))["items"] if i["source_id"] == "%016x" % 41][0])')
wait_state "$D40" released 30
[[ $(review_state "$D41") == pending ]] || fail "an object with a review term left a direct channel"
guardctl review show "$D40" --socket "$SOCK" | grep -q 'approve policy:release-direct' ||
	fail "the direct release is not recorded as the policy's approval"
RELEASED+=(40)
ok "release: direct (hot reloaded): the clean object left unreviewed, recorded as the policy's approval; the one with a review term waits"

# ---- what left the low side -------------------------------------------------------------
guardctl review show "$MSG_ITEM" --json --socket "$SOCK" >item-msg.json
for id in "${RELEASED[@]}"; do
	[[ $id == 40 ]] && { guardctl review show "$D40" --json --socket "$SOCK" >item-40.json; continue; }
	guardctl review show "$(item "$id")" --json --socket "$SOCK" >"item-$id.json"
done
stop_slowpath
stop_control
stop_guardd
cp "$OUT_PCAP" out.pcap
objects_py released out.pcap out >released.json || fail "cannot read $OUT_PCAP"
python3 - "${RELEASED[@]}" <<'PYEOF' || fail "the released objects are not what was approved"
import json, sys
rel = json.load(open("released.json"))
objs = rel["objects"]
msg = json.load(open("item-msg.json"))
if rel["messages"] != [msg["sha256"]]:
    sys.exit(f"messages that left: {rel['messages']}, want exactly the approved one {msg['sha256']}")
if len(objs) != len(sys.argv) - 1:
    sys.exit(f"{len(objs)} objects left the low side, want {len(sys.argv) - 1}: {sorted(objs)}")
for oid in sys.argv[1:]:
    it = json.load(open(f"item-{oid}.json"))
    o = objs.get(str(it["rec_first"]))
    if o is None:
        sys.exit(f"object {oid} (item {it['id']}): nothing left with id {it['rec_first']}")
    if not o["complete"] or o["dups"] or o["chunks"] != it["rec_count"]:
        sys.exit(f"object {oid}: {o['chunks']} chunks ({o['dups']} duplicates), want {it['rec_count']} exactly once")
    if o["sha256"] != it["sha256"]:
        sys.exit(f"object {oid}: sent {o['sha256']}, approved {it['sha256']}")
    if o["label"] != it["label"] or o["originator"] != it["originator"]:
        sys.exit(f"object {oid}: headers say {o['label']!r}/{o['originator']!r}")
    if o["label_4774"] != it["label"].startswith("<") or o["version"] != (2 if o["label_4774"] else 1):
        sys.exit(f"object {oid}: header version {o['version']}, 4774 bit {o['label_4774']} for label {it['label'][:40]!r}")
    if oid == "27" and not (o["label_4774"] and o["label"].startswith("<s4774:originatorConfidentialityLabel")):
        sys.exit(f"object 27 left without its 4774 label: {o['label'][:60]!r}")
    print(f"object {oid}: item {it['id']} left as id {it['rec_first']}, {o['chunks']} chunks, {o['total']} bytes")
PYEOF
for id in 11 13; do
	oid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rec_first"])' "item-$id.json")
	objects_py jpeg-clean "out/$oid.bin" || fail "released JPEG of object $id keeps metadata or trailing bytes"
done
oid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rec_first"])' item-14.json)
objects_py png-clean "out/$oid.bin" || fail "released PNG keeps metadata"
ok "${#RELEASED[@]} approved objects and 1 message left exactly once, each complete, as approved; images without metadata"

released_rev=$(awk '$2 == "released_reviewed" { n += $3 } END { print n + 0 }' guardd.stats)
to_sp=$(awk '$1 == "objects_out" && $2 == "to_slowpath" { print $3 }' guardd.stats)
want=$(($(objects_py count "$P") - N_MSG + $(objects_py count direct.pcap)))
((to_sp == want)) || fail "guardd handed $to_sp chunks to the slow path, pace sent $want"
! grep -Eq '^objects_out (slowpath_busy|slowpath_down) ' guardd.stats || fail "guardd dropped chunks: $(grep slowpath_ guardd.stats)"
((released_rev == $(python3 -c 'import json; d = json.load(open("released.json")); print(sum(o["chunks"] for o in d["objects"].values()) + len(d["messages"]))'))) ||
	fail "guardd counted $released_rev released_reviewed datagrams"
ok "guardd: $to_sp chunks to the slow path (none dropped), $released_rev datagrams of approved items sent"

"$GUARDCTL" audit verify "$AUDIT" >verify.out 2>&1 || fail "audit verify: $(cat verify.out)"
n=$(grep -c '"event":"review_released"' "$AUDIT")
((n == ${#RELEASED[@]} + 1)) || fail "$n review_released records, want ${#RELEASED[@]} objects and 1 message"
grep -q '"by":"slowpath".*"reason":"active_content"' "$AUDIT" || fail "no slow-path record of active content"
grep -q '"uid":1002,.*"command":"review approve' "$AUDIT" || fail "bob's approval is not a command record"
ok "audit chain verifies: slow-path outcomes, reviewers' commands and $n releases recorded"
