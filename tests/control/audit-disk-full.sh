#!/usr/bin/env bash
# The audit log's disk fills up (issue 11.3, fail closed): guard-control writes its log on a
# 2 MiB tmpfs while guardd decides an endless replay with a record per release. Passes when:
#   - guard-control says the write failed and counts write errors, and withholds its
#     heartbeat: guardd stops releasing (released does not move; audit_unavailable grows)
#     while it keeps receiving;
#   - once there is room again (the tmpfs grown), guard-control says it writes again and
#     releases resume;
#   - the log verifies from its first line to its last: nothing was lost or torn in between.
#
# Usage: audit-disk-full.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no hugepages, or no tmpfs could be mounted).
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"

# the small disk: a tmpfs of its own, outside lib.sh's run directory
disk=$(mktemp -d /tmp/guard-disk.XXXXXX)
if ! mount -t tmpfs -o size=2m guard-audit-test "$disk" 2>/dev/null; then
	rmdir "$disk"
	echo "SKIP: cannot mount a tmpfs (needs root)" >&2
	exit 77
fi
# processes first (guard-control holds the log open), then the tmpfs
unmount_disk() {
	umount "$disk" 2>/dev/null || umount -l "$disk" 2>/dev/null || true
	rmdir "$disk" 2>/dev/null || true
}
trap '_cleanup || true; unmount_disk' EXIT
AUDIT=$disk/audit.jsonl

"$BUILD/tools/gen-traffic/gen-traffic" --out "$RUN/traffic.pcap" --expect traffic.expect \
	--count 300 --seed 17 --formats all >gen.log 2>&1 || { cat gen.log >&2; fail "gen-traffic"; }
sed 's/^  releases: summary$/  releases: record/' "$ROOT/rules/sample-policy.yaml" >record.yaml
for f in "$ROOT"/rules/*; do [[ -e $(basename "$f") ]] || ln -s "$f" .; done
guardctl policy compile record.yaml -o record.rules >/dev/null || fail "compile"

start_guardd --vdev "net_pcap0,rx_pcap=$RUN/traffic.pcap,infinite_rx=1" --vdev "net_null1,no-rx=1" \
	-- --ruleset record.rules
start_control
stat() { telemetry /guard/stats | python3 -c "import json,sys; print(json.load(sys.stdin)['/guard/stats']['$1'])"; }
write_errors() { guardctl status --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["audit"]["write_errors"])'; }

# ---- full ----------------------------------------------------------------------------------
wait_for "guard-control to report a full disk" 30 grep -q "write failed: No space left on device" \
	"$SCRATCH/control-1.log"
sleep 1 # past the heartbeat timeout
((${ws:=$(write_errors)} > 0)) || fail "status shows no write errors"
rel1=$(stat released) un1=$(stat audit_unavailable) rx1=$(stat received)
sleep 1
rel2=$(stat released) un2=$(stat audit_unavailable) rx2=$(stat received)
((rx2 > rx1)) || fail "guardd stopped receiving ($rx1 -> $rx2)"
((rel2 == rel1)) || fail "guardd released $((rel2 - rel1)) messages while the audit log could not be written"
((un2 > un1)) || fail "releases were not dropped as audit_unavailable ($un1 -> $un2)"
ok "disk full: guard-control counted $ws write errors; guardd received $((rx2 - rx1)) and released none ($((un2 - un1)) audit_unavailable)"

# ---- room again -----------------------------------------------------------------------------
# (the log grows by about 100 MB/s under this load: room for the rest of the test)
mount -o remount,size=2g "$disk" || fail "cannot grow the tmpfs"
wait_for "guard-control to write again" 30 grep -q "writing again" "$SCRATCH/control-1.log"
rel3=$(stat released)
sleep 1
rel4=$(stat released)
((rel4 > rel3)) || fail "releases did not resume once the log could be written ($rel3 -> $rel4)"
ok "room again: guard-control writes again, $((rel4 - rel3)) released in a second"

stop_control
guardctl audit verify "$AUDIT" >verify.txt || fail "the log does not verify after the full disk: $(cat verify.txt)"
ok "the log verifies from first to last line: $(cut -d: -f2 verify.txt | cut -d, -f1 | sed 's/^ //')"
stop_guardd
