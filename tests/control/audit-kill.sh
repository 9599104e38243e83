#!/usr/bin/env bash
# The audit path under failure (issue 11.3 and 11.7): guardd decides an endless replay with
# a policy that wants a record per release, guard-control writes the log; then
#   1. kill -9 of guard-control: every record it had reported flushed (status: head seq and
#      hash, flushed count) is in the file, byte for byte;
#   2. while it is down, guardd keeps deciding but releases nothing unlogged: releases are
#      dropped as audit_unavailable, drops are counted audit_lost, received keeps growing;
#   3. a torn last line (a write cut short) is cut off by the restarted guard-control, which
#      resumes the chain: the whole log verifies, and releases flow again;
#   4. a log whose tail is not a record is refused: guard-control does not start and leaves
#      the file as it was.
#
# Usage: audit-kill.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"

"$BUILD/tools/gen-traffic/gen-traffic" --out traffic.pcap --expect traffic.expect \
	--count 500 --seed 11 --formats all >gen.log 2>&1 || { cat gen.log >&2; fail "gen-traffic"; }
sed 's/^  releases: summary$/  releases: record/' "$ROOT/rules/sample-policy.yaml" >record.yaml
for f in "$ROOT"/rules/*; do [[ -e $(basename "$f") ]] || ln -s "$f" .; done
guardctl policy compile record.yaml -o record.rules >compile.log || fail "compile: $(cat compile.log)"

start_guardd --vdev "net_pcap0,rx_pcap=$SCRATCH/traffic.pcap,infinite_rx=1" \
	--vdev "net_null1,no-rx=1" -- --ruleset record.rules --stats-file "$SCRATCH/guardd.stats"
start_control
sleep 2

# stat NAME: one counter of guardd's /guard/stats telemetry
stat() { telemetry /guard/stats | python3 -c "import json,sys; print(json.load(sys.stdin)['/guard/stats']['$1'])"; }

# ---- 1. kill -9 under load -----------------------------------------------------------------
guardctl status --json --socket "$SOCK" >status.json
read -r head_seq head flushed < <(python3 -c 'import json; a = json.load(open("status.json"))["audit"]; print(a["head_seq"], a["head"], a["flushed"])')
kill_control
((head_seq > 1000)) || fail "only $head_seq records flushed under load before the kill"
# the log may have rotated (256 MiB): every file of the chain, oldest first
logs() {
	local rotated=()
	shopt -s nullglob
	rotated=("$AUDIT".*) # names end in a UTC time: the glob's order is the chain's
	shopt -u nullglob
	printf '%s\n' "${rotated[@]}" "$AUDIT"
}
line=$(logs | xargs grep -h "^{\"seq\":$head_seq," || true)
got=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
[[ $got == "$head" ]] || fail "record $head_seq (reported flushed, head $head) is not in the log as it was (hash $got)"
lines=$(logs | xargs cat | wc -l)
((lines >= flushed)) || fail "$flushed records reported flushed, the log has $lines lines"
ok "kill -9 under load: the $flushed records reported flushed are on disk (record $head_seq hashes to the reported head)"

# ---- 2. guardd while the audit path is down ------------------------------------------------
sleep 1 # past DP_CONTROL_TIMEOUT_MS
rel1=$(stat released) un1=$(stat audit_unavailable) lost1=$(stat audit_lost) rx1=$(stat received)
sleep 1
rel2=$(stat released) un2=$(stat audit_unavailable) lost2=$(stat audit_lost) rx2=$(stat received)
((rx2 > rx1)) || fail "guardd stopped receiving while guard-control was down ($rx1 -> $rx2)"
((rel2 == rel1)) || fail "guardd released $((rel2 - rel1)) messages while no audit record could be made"
((un2 > un1)) || fail "releases were not dropped as audit_unavailable ($un1 -> $un2)"
((lost2 > lost1)) || fail "drops while the audit path is down are not counted audit_lost ($lost1 -> $lost2)"
grep -q "audit path down" guardd.log || fail "guardd did not log that the audit path went down"
ok "audit path down: $((rx2 - rx1)) received, none released, $((un2 - un1)) audit_unavailable, $((lost2 - lost1)) records lost (counted)"

# ---- 3. a torn last line, then restart ----------------------------------------------------
# kill -9 can itself cut a large write short (a fatal signal ends it part way): then the
# file already ends in a torn line; otherwise make one, as a writer stopped mid-line would
if [[ -n $(tail -c 1 "$AUDIT") ]]; then
	echo "(the kill left a torn last line of $(tail -n 1 "$AUDIT" | wc -c) bytes)"
else
	last=$(tail -n 1 "$AUDIT")
	seq=$(sed -n 's/^{"seq":\([0-9]*\),.*/\1/p' <<<"$last")
	prev=$(printf '%s' "$last" | sha256sum | cut -d' ' -f1)
	printf '{"seq":%d,"prev":"%s","type":"deci' $((seq + 1)) "$prev" >>"$AUDIT"
fi
start_control
grep -q "cut .* bytes of an incomplete last line" "$SCRATCH/control-$CONTROL_RUNS.log" ||
	fail "the restarted guard-control did not cut the torn line"
rel3=$(stat released)
sleep 1.5
rel4=$(stat released)
((rel4 > rel3)) || fail "releases did not resume after guard-control came back ($rel3 -> $rel4)"
stop_control
mapfile -t files < <(logs)
guardctl audit verify "${files[@]}" >verify.txt || fail "the log does not verify after the restart: $(cat verify.txt)"
starts=$(logs | xargs cat | grep -c '"type":"control",[^}]*"event":"start"')
((starts == 2)) || fail "want 2 start records (two guard-control runs), found $starts"
ok "restart: torn line cut, chain resumed across ${#files[@]} file(s), releases resumed"

# ---- 4. a tail that is not a record: refused, file untouched --------------------------------
printf 'this is not a record\n' >>"$AUDIT"
before=$(sha256sum <"$AUDIT")
status=0
"$GUARD_CONTROL" --proc-type=secondary --file-prefix "$PREFIX" -l 0 --no-pci \
	--log-level=lib.eal:warning -- --audit-log "$AUDIT" --socket "$SOCK" --state-dir "$STATE" \
	>refused.log 2>&1 || status=$?
((status != 0)) || fail "guard-control started on a log whose last line is not a record"
grep -q "cannot continue the audit chain" refused.log || fail "no clear message: $(cat refused.log)"
[[ $(sha256sum <"$AUDIT") == "$before" ]] || fail "guard-control changed a log it refused"
ok "a log ending in a non-record is refused (status $status) and left as it was"
stop_guardd
