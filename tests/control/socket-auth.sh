#!/usr/bin/env bash
# Who may use guard-control's socket (GUARD-SPEC 8; control/daemon/gd_server.h): guardd with
# the sample ruleset on an endless replay, guard-control attached. Checks, in order:
#   1. no --group: the socket is mode 0660 root:root; root's `guardctl status` works; user
#      nobody cannot even connect (the file mode refuses: "cannot reach guard-control",
#      nothing audited); with the file opened to others (chmod o+rw), guard-control's own
#      SO_PEERCRED check refuses: exit 2, "not allowed", an audit record with uid 65534 and
#      result "refused";
#   2. --group nogroup: the socket is root:nogroup; nobody (primary group nogroup, and with
#      nogroup only as a supplementary group) gets status, audited with uid 65534, result
#      "ok"; a guard-control started with --group no-such-group refuses to start with a
#      clear message and leaves the running one alone;
#   3. policy load reads the policy as the operator: root loads a copy only root can read
#      (generation 2); nobody's load of a mode-0600 root-owned copy fails (exit 1, "cannot
#      read"/"Permission denied") and the generation stays 2;
#   4. malformed requests (raw bytes on the socket: no NUL terminator, nothing at all, more
#      than 8 KiB, too many arguments, a client that never finishes its request) each get an
#      error answer (EXIT 2 and why), guard-control stays up and status still works;
#   5. the audit log verifies after guard-control stops.
#
# Usage: socket-auth.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"

command -v python3 >/dev/null ||
	fail "python3 not found: install the Debian package 'python3' (in GUARD_PACKAGES, tools/lib/common.sh)"
command -v setpriv >/dev/null || fail "setpriv not found: install the Debian package 'util-linux'"
[[ $(id -un 65534 2>/dev/null) == nobody && $(getent group nogroup | cut -d: -f3) == 65534 ]] ||
	fail "this test runs commands as user nobody (uid 65534) and group nogroup (gid 65534)"

# a command prefix: run as uid nobody, gid nogroup, no supplementary groups
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
# run NAME CMD...: run CMD with stdout in NAME.out, stderr in NAME.err; STATUS is its exit status
run() {
	local name=$1
	shift
	STATUS=0
	timeout 30 "$@" >"$name.out" 2>"$name.err" || STATUS=$?
	((STATUS != 124)) || fail "$name: hung, killed after 30 s ($*)"
}
# audit_count PATTERN: records of the audit log matching the extended regex PATTERN
audit_count() { grep -cE "$1" "$AUDIT" || true; }
generation() {
	guardctl policy show --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'
}

sample_traffic 3

start_guardd --vdev "net_pcap0,$PCAP_ARGS" \
	--vdev "net_null1,no-rx=1" -- --ruleset "$SCRATCH/sample.rules"
start_control
# mktemp made the socket's directory 0700: open it, so that only the socket file's mode and
# guard-control itself stand between nobody and the socket
chmod 0755 "$RUN"

# ---- 1. root only ----------------------------------------------------------------------------
mode=$(stat -c '%a %U:%G' "$SOCK")
[[ $mode == "660 root:root" ]] || fail "without --group the socket is '$mode', want '660 root:root'"
run root-status "$GUARDCTL" status --socket "$SOCK"
((STATUS == 0)) || fail "root's status exited $STATUS: $(cat root-status.err)"
grep -q "generation 1" root-status.out || fail "root's status does not say generation 1: $(cat root-status.out)"
ok "no --group: socket 660 root:root; root's status works (generation 1)"

refused_before=$(audit_count '"uid":65534,.*"result":"refused"')
run nobody-mode "${NOBODY[@]}" "$GUARDCTL" status --socket "$SOCK"
((STATUS == 2)) || fail "nobody's status on a 0660 root:root socket exited $STATUS, want 2: $(cat nobody-mode.err)"
if ! grep -q "cannot reach guard-control" nobody-mode.err || ! grep -q "Permission denied" nobody-mode.err; then
	fail "nobody's refused connect does not say 'cannot reach guard-control ... Permission denied': $(cat nobody-mode.err)"
fi
[[ ! -s nobody-mode.out ]] || fail "nobody's refused status printed on stdout: $(cat nobody-mode.out)"
ok "nobody cannot connect to the 0660 root:root socket: exit 2, $(grep -o 'Permission denied' nobody-mode.err)"

chmod o+rw "$SOCK"
run nobody-peercred "${NOBODY[@]}" "$GUARDCTL" status --socket "$SOCK"
((STATUS == 2)) || fail "nobody on a reachable socket: exit $STATUS, want 2 (refused by guard-control): $(cat nobody-peercred.out nobody-peercred.err)"
grep -q "not allowed" nobody-peercred.err || fail "the refusal does not say 'not allowed': $(cat nobody-peercred.err)"
grep -q "uid 65534" nobody-peercred.err || fail "the refusal does not name uid 65534: $(cat nobody-peercred.err)"
! grep -q "generation" nobody-peercred.out nobody-peercred.err || fail "a refused peer was shown the status"
refused=$(audit_count '"type":"command",.*"uid":65534,.*"result":"refused"')
((refused == refused_before + 1)) ||
	fail "want one audit record with uid 65534 and result refused (the connect refused by the file mode is not one), found $((refused - refused_before)): $(tail -n 3 "$AUDIT")"
grep -q "refused uid 65534" "$SCRATCH/control-$CONTROL_RUNS.log" || fail "guard-control did not log the refusal"
ok "socket opened to others: guard-control refuses nobody itself (SO_PEERCRED): exit 2, 'not allowed', audited uid 65534 refused"

# ---- 2. --group nogroup ----------------------------------------------------------------------
stop_control
start_control --group nogroup
mode=$(stat -c '%a %U:%G' "$SOCK")
[[ $mode == "660 root:nogroup" ]] || fail "with --group nogroup the socket is '$mode', want '660 root:nogroup'"
ok_before=$(audit_count '"uid":65534,.*"command":"status","result":"ok"')
run group-status "${NOBODY[@]}" "$GUARDCTL" status --socket "$SOCK"
((STATUS == 0)) || fail "nobody (gid nogroup) with --group nogroup: status exited $STATUS: $(cat group-status.err)"
grep -q "generation 1" group-status.out || fail "nobody's status does not say generation 1: $(cat group-status.out)"
run group-supp setpriv --reuid=nobody --regid=daemon --groups=nogroup -- "$GUARDCTL" status --socket "$SOCK"
((STATUS == 0)) || fail "nobody with nogroup as a supplementary group only: status exited $STATUS: $(cat group-supp.err)"
oks=$(audit_count '"type":"command",.*"uid":65534,.*"command":"status","result":"ok"')
((oks == ok_before + 2)) || fail "want 2 audit records of nobody's status with result ok, found $((oks - ok_before)): $(tail -n 3 "$AUDIT")"
ok "--group nogroup: socket 660 root:nogroup; nobody gets status (primary and supplementary group), audited uid 65534 ok"

status=0
"$GUARD_CONTROL" --proc-type=secondary --file-prefix "$PREFIX" -l 0 --no-pci \
	--log-level=lib.eal:warning -- --audit-log "$SCRATCH/nosuch-audit.jsonl" --socket "$RUN/nosuch.sock" \
	--state-dir "$STATE" --group no-such-group </dev/null >nosuch.log 2>&1 || status=$?
((status != 0)) || fail "guard-control started with --group no-such-group"
grep -q "operator group 'no-such-group' does not exist" nosuch.log ||
	fail "no clear message for --group no-such-group: $(cat nosuch.log)"
[[ ! -e $RUN/nosuch.sock ]] || fail "the refused guard-control left a socket"
kill -0 "$GC_PID" || fail "the running guard-control died"
run after-nosuch "$GUARDCTL" status --socket "$SOCK"
((STATUS == 0)) || fail "status after the refused start exited $STATUS: $(cat after-nosuch.err)"
ok "--group no-such-group: guard-control refuses to start (status $status): $(grep -o "operator group 'no-such-group' does not exist" nosuch.log)"

# ---- 3. policy load as the operator ----------------------------------------------------------
# the sample policy names term files next to it: a directory of links, with copies of the policy
mkdir policy
for f in "$ROOT"/rules/*; do ln -s "$f" policy/; done
rm policy/sample-policy.yaml
install -m 0600 -o root -g root "$ROOT/rules/sample-policy.yaml" policy/root-only.yaml
run root-load "$GUARDCTL" policy load "$SCRATCH/policy/root-only.yaml" --socket "$SOCK"
((STATUS == 0)) || fail "root's policy load of a root-only file exited $STATUS: $(cat root-load.out root-load.err)"
grep -q "^generation 2 runs on every worker" root-load.out || fail "root's load did not make generation 2: $(cat root-load.out)"
gen=$(generation)
((gen == 2)) || fail "policy show says generation $gen after root's load, want 2"
ok "root loads a policy only root can read: generation 2"

run nobody-load "${NOBODY[@]}" "$GUARDCTL" policy load "$SCRATCH/policy/root-only.yaml" --socket "$SOCK"
((STATUS == 1)) || fail "nobody's load of a 0600 root-owned policy exited $STATUS, want 1: $(cat nobody-load.out nobody-load.err)"
grep -qiE "cannot read|permission denied" nobody-load.err ||
	fail "nobody's load does not say 'cannot read' or 'Permission denied': $(cat nobody-load.err)"
gen=$(generation)
((gen == 2)) || fail "generation $gen after nobody's refused load, want 2 (unchanged)"
audit_count '"uid":65534,.*"command":"policy load [^"]*root-only.yaml","result":"error"' | grep -qx 1 ||
	fail "nobody's failed load is not in the audit log as an error: $(tail -n 2 "$AUDIT")"
ok "nobody's load of a root-only policy fails (exit 1: $(head -c 120 nobody-load.err | tr '\n' ' ')), generation stays 2"

# ---- 4. malformed requests -------------------------------------------------------------------
cat >raw.py <<'EOF'
"""raw.py SOCKET CASE: send CASE's bytes as one request, print the answer."""
import socket, sys, time

path, case = sys.argv[1], sys.argv[2]
payload = {
    "no-nul": b"status",
    "empty": b"",
    "long-args": b"x\0" * 5000,  # 10000 bytes, each argument NUL-terminated
    "long-raw": b"A" * 9000,
    "many-args": b"status\0" + b"x\0" * 40,
    "unfinished": b"status\0",
}[case]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(path)
try:
    s.sendall(payload)
except OSError:
    pass  # guard-control may answer and close before reading everything
if case != "unfinished":  # that one never says it is done: the server must give up
    s.shutdown(socket.SHUT_WR)
t0 = time.monotonic()
data = b""
while True:
    try:
        b = s.recv(4096)
    except ConnectionResetError:
        break
    if not b:
        break
    data += b
sys.stdout.write(data.decode("utf-8", "replace"))
sys.stderr.write("%.1f\n" % (time.monotonic() - t0))
EOF
for c in no-nul:"malformed request" empty:"malformed request" long-args:"request too long" \
	long-raw:"request too long" many-args:"too many arguments" \
	unfinished:"did not arrive in time"; do
	name=${c%%:*} want=${c#*:}
	run "raw-$name" python3 raw.py "$SOCK" "$name"
	((STATUS == 0)) || fail "raw request '$name': the client failed: $(cat "raw-$name.err")"
	head -n 1 "raw-$name.out" | grep -qx "EXIT 2" ||
		fail "raw request '$name': want the answer 'EXIT 2', got: $(head -c 300 "raw-$name.out")"
	grep -q "$want" "raw-$name.out" || fail "raw request '$name': the answer does not say '$want': $(cat "raw-$name.out")"
	kill -0 "$GC_PID" 2>/dev/null || fail "guard-control died on the raw request '$name'"
done
secs=$(tail -n 1 raw-unfinished.err)
ok "malformed requests answered EXIT 2 with why (no NUL, empty, 10000 and 9000 bytes, 41 arguments, unfinished after ${secs} s); guard-control stays up"
run after-raw "$GUARDCTL" status --socket "$SOCK"
((STATUS == 0)) || fail "status after the malformed requests exited $STATUS: $(cat after-raw.err)"
grep -q "generation 2" after-raw.out || fail "status after the malformed requests: $(cat after-raw.out)"
ok "status still works after the malformed requests"

# ---- 5. the audit log ------------------------------------------------------------------------
stop_control
guardctl audit verify "$AUDIT" >verify.txt 2>&1 || fail "the audit log does not verify: $(cat verify.txt)"
ok "the audit log verifies: $(head -n 1 verify.txt)"
stop_guardd
