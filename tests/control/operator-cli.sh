#!/usr/bin/env bash
# The operator's online commands against a running guard (issue 11.2, 11.3, 11.4): guardd on
# an endless replay, guard-control attached with a small --rotate-bytes.
#   - status --json has every part (guardd, ruleset, audit, control, workers, ports, rates);
#   - stats --json: the counter cells add up to what was received (at that moment, within
#     what is in flight); stats --watch 1 --count 2 prints twice and stops;
#   - policy load of a policy with an error: exit 1, the compiler's FILE:LINE:COLUMN
#     message, the generation does not move, nothing is kept in the state directory;
#   - policy load of an image guardd refuses (a channel on a port it does not have): exit 1,
#     guardd's message naming the channel and the port, generation unchanged, the refusal
#     counted (reloads_refused), the image not kept;
#   - policy load of the sample policy: the next generation, `policy show` names the kept
#     image, whose SHA-256 is what `guardctl policy show IMAGE` and sha256sum say; every
#     command is in the audit log with uid 0;
#   - rotation: the log was rotated at least once, the chain verifies across all the files
#     in order, and `audit tail` reads the current file.
#
# Usage: operator-cli.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"

"$BUILD/tools/gen-traffic/gen-traffic" --out "$RUN/traffic.pcap" --expect traffic.expect \
	--count 300 --seed 21 --formats all >gen.log 2>&1 || { cat gen.log >&2; fail "gen-traffic"; }
for f in "$ROOT"/rules/*; do [[ -e $(basename "$f") ]] || ln -s "$f" .; done
cp "$ROOT/rules/sample-policy.yaml" sample.yaml
guardctl policy compile sample.yaml -o sample.rules >/dev/null || fail "compile the sample policy"
# a policy error on line 3, column 1
printf 'version: 1\nnations: [USA]\nbogus_key: 1\n' >bad.yaml
# an image whose first channel takes its traffic on port 7 (guardd has two ports)
sed '0,/ingress: {port: 0,/s//ingress: {port: 7,/' sample.yaml >port7.yaml
grep -q 'ingress: {port: 7,' port7.yaml || fail "could not move a channel to port 7"
guardctl policy compile port7.yaml -o port7.rules >/dev/null || fail "compile port7.yaml"

start_guardd --vdev "net_pcap0,rx_pcap=$RUN/traffic.pcap,infinite_rx=1" --vdev "net_null1,no-rx=1" \
	-- --ruleset sample.rules
start_control --rotate-bytes 262144
sleep 1.5

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# ---- status --json and stats ------------------------------------------------------------
guardctl status --json --socket "$SOCK" >status.json || fail "status --json"
python3 - status.json <<'EOF' || fail "status --json lacks a part: $(cat status.json)"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ('guardd', 'ruleset', 'audit', 'control', 'workers', 'ports', 'rates'):
    assert k in d, k
assert d['ruleset']['generation'] == 1 and d['ruleset']['channels'] == 9
assert [p['name'] for p in d['ports']] == ['net_pcap0', 'net_null1'], d['ports']
assert all(p['link'] == 'up' for p in d['ports'])
assert d['workers'][0]['generation'] == 1 and d['workers'][0]['rx'] > 0
assert d['rates']['rx_pps'] > 0, d['rates']
EOF
ok "status --json: guardd, ruleset (generation 1), audit, control, worker, both ports up, rates"
guardctl stats --json --socket "$SOCK" >stats.json || fail "stats --json"
python3 - stats.json <<'EOF' || fail "stats --json does not add up: $(head -c 600 stats.json)"
import json, sys
d = json.load(open(sys.argv[1]))
cells = sum(c['packets'] for c in d['counters'])
assert d['received'] >= cells and d['received'] - cells <= 64, (d['received'], cells)
assert d['released'] == sum(c['packets'] for c in d['counters'] if c['reason'] == 'release')
assert d['lcores'][0]['rx'] > 0
EOF
ok "stats --json: counter cells add up to what was received"
guardctl stats --watch 1 --count 2 --socket "$SOCK" >watch.txt || fail "stats --watch"
n=$(grep -c '^channel  *reason  *packets' watch.txt)
((n == 2)) || fail "stats --watch 1 --count 2 printed $n tables: $(cat watch.txt)"
ok "stats --watch 1 --count 2 printed twice and stopped"

# ---- a policy with an error ----------------------------------------------------------------
before=$(ls "$STATE")
status=0
guardctl policy load bad.yaml --socket "$SOCK" >bad.out 2>&1 || status=$?
((status == 1)) || fail "policy load of a bad policy: exit $status, want 1: $(cat bad.out)"
grep -q "bad.yaml:3:1: unknown key 'bogus_key'" bad.out || fail "no FILE:LINE:COLUMN message: $(cat bad.out)"
gen=$(guardctl status --json --socket "$SOCK" | json 'd["ruleset"]["generation"]')
((gen == 1)) || fail "a refused policy moved the generation to $gen"
[[ $(ls "$STATE") == "$before" ]] || fail "a refused policy left files in the state directory"
ok "a policy with an error: exit 1, '$(head -c 60 bad.out)...', generation still 1"

# ---- an image guardd refuses -------------------------------------------------------------
status=0
guardctl policy load port7.rules --socket "$SOCK" >port7.out 2>&1 || status=$?
((status == 1)) || fail "policy load of an image for port 7: exit $status, want 1: $(cat port7.out)"
grep -q "ingress port 7 does not exist" port7.out || fail "guardd's refusal not shown: $(cat port7.out)"
read -r gen refused < <(guardctl status --json --socket "$SOCK" | json 'd["ruleset"]["generation"], d["ruleset"]["reloads_refused"]' | tr -d '(),')
((gen == 1 && refused == 1)) || fail "after guardd refused an image: generation $gen, refused $refused (want 1, 1)"
[[ $(ls "$STATE") == "$before" ]] || fail "a refused image was kept in the state directory"
ok "an image guardd refuses: exit 1, '$(grep -o "channel '[^']*': ingress port 7 does not exist" port7.out)', counted, not kept"

# ---- a good load -----------------------------------------------------------------------------
guardctl policy load sample.yaml --socket "$SOCK" >good.out 2>&1 || fail "policy load sample.yaml: $(cat good.out)"
grep -q '^generation 2 runs on every worker' good.out || fail "want generation 2: $(cat good.out)"
image=$(guardctl policy show --json --socket "$SOCK" | json 'd["path"]')
sha=$(guardctl policy show --json --socket "$SOCK" | json 'd["sha256"]')
[[ -f $image ]] || fail "policy show names $image, which is not there"
[[ $(sha256sum <"$image" | cut -d' ' -f1) == "$sha" ]] || fail "policy show's sha256 is not the image's"
# whole output to a file first: grep -q would stop reading early and, with pipefail, a
# summary longer than one stdio buffer would fail on SIGPIPE
guardctl policy show "$image" >show-kept.out && grep -q "^channels: *9$" show-kept.out ||
	fail "guardctl policy show IMAGE cannot read the kept image"
[[ $(readlink "$STATE/current.rules") == "$(basename "$image")" ]] || fail "current.rules does not point at the running image"
ok "policy load: generation 2, kept as $(basename "$image"), sha256 matches, current.rules points at it"

# ---- audit: commands, rotation --------------------------------------------------------------
sleep 1.5 # at least one summary, and past --rotate-bytes
stop_control
for c in 'status' 'stats' 'policy load /' 'policy show'; do
	grep -q "\"type\":\"command\",[^}]*\"uid\":0,[^}]*\"command\":\"$c" "$AUDIT" "$AUDIT".* ||
		fail "no audit record of '$c' by uid 0"
done
grep -q '"command":"policy load [^"]*bad.yaml","result":"error","detail":"[^"]*bad.yaml:3:1' "$AUDIT" "$AUDIT".* ||
	fail "the refused load is not audited with its message"
shopt -s nullglob
logs=("$AUDIT".*) # rotated files, named by their UTC time: the glob's order is the chain's
shopt -u nullglob
((${#logs[@]} >= 1)) || fail "the log never rotated (--rotate-bytes 262144)"
grep -q '"event":"rotate"' "$AUDIT" || fail "the current file does not start with a rotate record"
guardctl audit verify "${logs[@]}" "$AUDIT" >verify.txt || fail "the chain does not verify across the rotated files: $(cat verify.txt)"
guardctl audit tail -n 3 "$AUDIT" | grep -q 'stop' || fail "audit tail does not show the stop record"
ok "every command audited with uid 0; ${#logs[@]} rotation(s), the chain verifies across $((${#logs[@]} + 1)) files"
stop_guardd
