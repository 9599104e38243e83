#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# guardctl's tests (docs/guardctl.md, docs/testing.md "guardctl"): one CASE per meson test.
#   guardctl-test.sh CASE GUARDCTL GEN_TRAFFIC REPO_ROOT SCRATCH_DIR
# CASE is one of:
#   golden    gen-traffic pcap + sidecar decided with --now pcap --expect: no mismatch;
#             a corrupted, a short and a malformed sidecar; a later --now; the same
#             golden check with --formats all (TAK, labelled XML, ADatP-3 too)
#   policy    policy check on the sample, on a policy written here with known counts, and
#             on every broken policy of tests/data/policy/bad (exact file:line:column)
#   messages  check on tests/data/cot/{pass,drop}: exit status, and each reason equal to
#             the one in the file's name, in the table and in --json
#   json      --json of both commands parsed back; escaping of hostile uids and file names
#   usage     usage errors exit 2 with a message; help exits 0
#   classes   the traffic class of each release (CLASS column, "class" and "tclass" in
#             --json) for messages of every format: the sample's priority table and one
#             written here (format and channel scoping, first match wins), and --pcap
# Every check runs; the test fails at the end if any failed, listing them.
set -u

if [ $# -ne 5 ]; then
	echo "usage: $0 CASE GUARDCTL GEN_TRAFFIC REPO_ROOT SCRATCH_DIR" >&2
	exit 2
fi
case=$1
# meson passes paths relative to the build directory; the run happens in $dir.
gc=$(realpath "$2")
gen=$(realpath "$3")
root=$(realpath "$4")
dir=$(realpath -m "$5")/$case
policy=$root/rules/sample-policy.yaml
# The samples in tests/data/cot are valid at 2026-11-22T10:00:00Z (docs/testing.md).
NOW=1795341600
failures=0
. "$(dirname "$0")/checks.sh"

rm -rf "$dir"
mkdir -p "$dir" || exit 1
cd "$dir" || exit 1

# run NAME WANT_STATUS CMD...: run with stdout in NAME.out and stderr in NAME.err
run() {
	name=$1
	want=$2
	shift 2
	"$@" >"$name.out" 2>"$name.err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit status $got, want $want ($*)"
		sed 's/^/    stderr: /' "$name.err" | head -20 >&2
		return 1
	fi
	ok "$name: exit $got"
	return 0
}

case_golden() {
	"$gen" --out in.pcap --expect in.expect --count 600 --seed 7 --now "$NOW" >gen.out ||
		{ fail "gen-traffic failed"; return; }

	run golden 0 "$gc" check --policy "$policy" --pcap in.pcap --now pcap --expect in.expect
	has "golden: no mismatch" golden.out "mismatches with in.expect: 0"
	has "golden: frame count" golden.out "600 frames:"
	run golden-json 0 "$gc" check --policy "$policy" --pcap in.pcap --now pcap \
		--expect in.expect --json
	py "golden-json: 600 frames, all match, totals equal" '
import json, sys
recs = [json.loads(l) for l in open("golden-json.out")]
frames = [r for r in recs if r["type"] == "frame"]
totals = [r for r in recs if r["type"] == "total"]
summary = [r for r in recs if r["type"] == "summary"]
assert len(frames) == 600, len(frames)
assert [f["index"] for f in frames] == list(range(600))
bad = [f for f in frames if not f["match"]]
assert not bad, bad[:3]
assert all(t["got"] == t["want"] for t in totals), totals
assert sum(t["got"] for t in totals) == 600
assert len(summary) == 1 and summary[0]["mismatches"] == 0 and summary[0]["exit_status"] == 0
assert not [r for r in recs if r["type"] == "mismatch"]
'
	# without --expect: the mix has drops, so not everything is released
	run golden-no-expect 1 "$gc" check --policy "$policy" --pcap in.pcap --now pcap --quiet

	# corrupt the record of frame 42: another reason than the one it has
	line=$(grep -m1 '^42 ' in.expect)
	reason=$(echo "$line" | cut -d' ' -f3)
	if [ "$reason" = release ]; then new=stale; else new=release; fi
	awk -v n="$new" '$1 == "42" { $3 = n } { print }' in.expect >bad.expect
	run corrupt 1 "$gc" check --policy "$policy" --pcap in.pcap --now pcap --expect bad.expect \
		--quiet
	has "corrupt: one mismatch" corrupt.out "mismatches with bad.expect: 1"
	if grep -qE "^  42 +[^ ]+ +$reason +[^ ]+ +$new\$" corrupt.out; then
		ok "corrupt: mismatch names frame 42 (got $reason, want $new)"
	else
		fail "corrupt: no mismatch line for frame 42 (got $reason, want $new)"
		cat corrupt.out >&2
	fi
	run corrupt-json 1 "$gc" check --policy "$policy" --pcap in.pcap --now pcap \
		--expect bad.expect --json --quiet
	py "corrupt-json: exactly frame 42" '
import json, sys
recs = [json.loads(l) for l in open("corrupt-json.out")]
mm = [r for r in recs if r["type"] == "mismatch"]
assert len(mm) == 1 and mm[0]["index"] == 42, mm
assert mm[0]["got"]["reason"] == sys.argv[1] and mm[0]["want"]["reason"] == sys.argv[2], mm
assert recs[-1]["type"] == "summary" and recs[-1]["mismatches"] == 1
' "$reason" "$new"

	# a sidecar that stops early: the frames after it are mismatches with "(no line)"
	head -n 101 in.expect >short.expect
	run short 1 "$gc" check --policy "$policy" --pcap in.pcap --now pcap --expect short.expect \
		--quiet
	has "short: no line" short.out "(no line)"

	# a malformed sidecar is an input error, reported at its line
	sed '11s/ / x /' in.expect >malformed.expect
	run malformed 2 "$gc" check --policy "$policy" --pcap in.pcap --now pcap \
		--expect malformed.expect --quiet
	has "malformed: file:line" malformed.err "malformed.expect:11:"

	# judged a day later by the wall clock, released events are stale: --now matters
	run later 1 "$gc" check --policy "$policy" --pcap in.pcap --now $((NOW + 86400)) \
		--expect in.expect --quiet
	has "later: stale instead of release" later.out "stale"

	# every format (CoT, TAK mesh and stream, labelled XML, ADatP-3), every reason each
	# can produce: the same golden check
	"$gen" --out all.pcap --expect all.expect --count 2000 --seed 7 --now "$NOW" \
		--formats all --drop-share 0.5 >gen-all.out ||
		{ fail "gen-traffic --formats all failed"; return; }
	run golden-all 0 "$gc" check --policy "$policy" --pcap all.pcap --now pcap \
		--expect all.expect
	has "golden-all: no mismatch" golden-all.out "mismatches with all.expect: 0"
	has "golden-all: frame count" golden-all.out "2000 frames:"
	for ch in tak-mn tak-mn-stream lxml-mn adatp3-mn; do
		has "golden-all: $ch decided" golden-all.out " $ch "
	done
}

case_policy() {
	run sample 0 "$gc" policy check "$policy"
	has "sample: valid" sample.out "(valid)"
	for ch in $(sed -n 's/^  - name: *\([a-z0-9_-]*\).*/\1/p' "$policy"); do
		has "sample: channel $ch" sample.out "$ch"
	done
	if grep -qE '^terms: +[0-9]+ \(drop [0-9]+, review [0-9]+\)$' sample.out; then
		ok "sample: term counts"
	else
		fail "sample: no 'terms: N (drop D, review R)' line"
	fi
	run sample-json 0 "$gc" policy check --json "$policy"
	py "sample-json: counts agree with the text" '
import json, re
j = json.load(open("sample-json.out"))
t = open("sample.out").read()
m = re.search(r"^terms: +(\d+) \(drop (\d+), review (\d+)\)$", t, re.M)
assert m and [int(x) for x in m.groups()] == [j["terms"]["count"], j["terms"]["drop"],
                                              j["terms"]["review"]], (m and m.groups(), j["terms"])
assert j["terms"]["count"] == j["terms"]["drop"] + j["terms"]["review"] > 0
# every term and marking is a pattern; literals whose look-alike skeleton differs add one
assert j["patterns"]["count"] >= j["terms"]["count"] + j["markings"]
assert j["patterns"]["count"] == j["patterns"]["literal"] + j["patterns"]["regex"]
assert j["patterns"]["database_bytes"] > 0 and len(j["image"]["sha256"]) == 64
'

	# a policy with known counts, and a term file read relative to the policy
	mkdir -p own/terms
	cat >own/terms/more.txt <<'EOF'
# one phrase per line: ids first_id + line - 1
glass falcon
deep current
EOF
	cat >own/policy.yaml <<'EOF'
version: 1
nations: [USA, GBR, FRA]
groups:
  TWO: [USA, GBR]
classifications: {NATO: {SECRET: SECRET, CONFIDENTIAL: CONFIDENTIAL}}
destinations:
  PAIR: {members: [TWO], max_classification: CONFIDENTIAL}
channels:
  - name: own-chan
    direction: high_to_low
    format: cot
    destination: PAIR
    ingress: {port: 0, address: 239.9.9.9, udp_port: 7777}
    egress: {port: 1, source_address: 203.0.113.10, address: 239.10.9.9, udp_port: 7777,
             next_hop_mac: "01:00:5e:0a:09:09"}
prohibited_terms:
  - {id: 1, literal: "blue sentinel"}
  - {id: 2, literal: "red meridian", action: review}
prohibited_term_files:
  - {path: terms/more.txt, first_id: 100}
markings:
  - {id: 9000, literal: "NOFORN", releasable_to: [USA]}
EOF
	run own 0 "$gc" policy check own/policy.yaml
	has "own: terms" own.out "terms:           4 (drop 3, review 1)"
	has "own: markings" own.out "markings:        1"
	has "own: channel" own.out "own-chan"
	has "own: destination" own.out "PAIR"
	has "own: patterns" own.out "patterns:        5 literal, 0 regex"
	run own-json 0 "$gc" policy check own/policy.yaml --json
	py "own-json: summary" '
import json
j = json.load(open("own-json.out"))
assert j["valid"] is True and j["file"] == "own/policy.yaml"
assert j["nations"] == {"count": 3, "list": ["USA", "GBR", "FRA"]}, j["nations"]
assert j["groups"] == [{"code": "TWO", "members": ["USA", "GBR"]}], j["groups"]
d = j["destinations"]
assert len(d) == 1 and d[0]["name"] == "PAIR" and d[0]["members"] == ["USA", "GBR"]
assert d[0]["max_classification"] == "CONFIDENTIAL"
c = j["channels"]
assert len(c) == 1 and c[0]["name"] == "own-chan" and c[0]["destination"] == "PAIR"
assert c[0]["direction"] == "high_to_low" and c[0]["format"] == "cot"
assert c[0]["ingress"] == {"port": 0, "address": "239.9.9.9", "udp_port": 7777}, c[0]
assert c[0]["egress"]["address"] == "239.10.9.9" and c[0]["egress"]["port"] == 1
assert j["terms"] == {"count": 4, "drop": 3, "review": 1}, j["terms"]
assert j["markings"] == 1 and j["patterns"]["count"] == 5 and j["patterns"]["literal"] == 5
'

	# every broken policy: exit 2 and exactly the message its first line announces
	# ("# expect: FILE:LINE:COLUMN: ..."), run from its directory so FILE is as written.
	# Files that test the library without a term-file reader are skipped: guardctl has one.
	n=0
	for f in "$root"/tests/data/policy/bad/*.yaml; do
		base=$(basename "$f")
		want=$(sed -n '1s/^# expect: //p' "$f")
		case $want in
		*"need a reader"*) continue ;;
		esac
		n=$((n + 1))
		got=$(cd "$root/tests/data/policy/bad" && "$gc" policy check "$base" 2>&1 >/dev/null)
		st=$?
		if [ "$st" -ne 2 ]; then
			fail "bad $base: exit status $st, want 2"
		elif [ -n "$want" ] && [ "$got" != "$want" ]; then
			fail "bad $base: stderr '$got', want '$want'"
		elif ! echo "$got" | grep -qE "^$base:[0-9]+:[0-9]+: "; then
			fail "bad $base: stderr '$got' is not FILE:LINE:COLUMN: message"
		fi
	done
	[ "$n" -gt 0 ] || fail "no broken policies found in tests/data/policy/bad"
	ok "bad: $n broken policies checked"

	run bad-json 2 "$gc" policy check --json "$root/tests/data/policy/bad/group-cycle.yaml"
	has "bad-json: stderr" bad-json.err "group-cycle.yaml:8:7: group cycle: A -> B -> C -> A"
	py "bad-json: error object" '
import json
j = json.load(open("bad-json.out"))
assert j["valid"] is False and j["line"] == 8 and j["column"] == 7, j
assert j["error"].endswith("group-cycle.yaml:8:7: group cycle: A -> B -> C -> A"), j
'
	run missing 2 "$gc" policy check "$dir/no-such-policy.yaml"
	has "missing: says which file" missing.err "no-such-policy.yaml"
}

case_messages() {
	pass=$root/tests/data/cot/pass
	drop=$root/tests/data/cot/drop
	run pass 0 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" "$pass"/*.xml
	n=$(ls "$pass"/*.xml | wc -l)
	has "pass: all released" pass.out "$n messages: $n released, 0 dropped, 0 held for review"

	run drop 1 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" "$drop"/*.xml
	# table: FILE DECISION REASON ...; each reason is the file name's prefix
	bad=$(awk 'NR > 1 && $1 ~ /\.xml$/ {
		n = split($1, p, "/"); want = p[n]; sub(/__.*/, "", want)
		if ($3 != want) print $1 ": " $3 " != " want; rows++ }
		END { if (rows == 0) print "no rows" }' drop.out)
	if [ -z "$bad" ]; then ok "drop: reasons in the table"; else fail "drop: $bad"; fi

	run drop-json 1 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" --json \
		"$drop"/*.xml
	py "drop-json: reasons and decisions" '
import json, os, sys
recs = [json.loads(l) for l in open("drop-json.out")]
msgs = [r for r in recs if r["type"] == "message"]
files = sorted(os.listdir(sys.argv[1]))
assert len(msgs) == len([f for f in files if f.endswith(".xml")]) > 0
for m in msgs:
    want = os.path.basename(m["file"]).split("__")[0]
    assert m["reason"] == want, (m["file"], m["reason"], want)
    assert m["decision"] == ("REVIEW" if want == "review" else "DROP"), m
    assert m["channel"] == "cot-mn" and m["detail"], m
    assert m["tclass"] is None and m["class"] is None
    if want in ("prohibited_content", "marking_inconsistent", "review"):
        assert isinstance(m["rule_id"], int) and m["rule_id"] > 0, m
s = recs[-1]
assert s["type"] == "summary" and s["messages"] == len(msgs) and s["released"] == 0, s
assert s["exit_status"] == 1
' "$drop"

	# one dropped message among released ones is enough for status 1
	run mixed 1 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" "$pass"/*.xml \
		"$drop"/stale__two-minutes.xml
	# the same file, judged before it went stale, is released
	run clock 0 "$gc" check --policy "$policy" --channel cot-mn --now $((NOW - 3600)) \
		"$drop"/stale__two-minutes.xml

	# a file larger than the channel's max_size is what the wire would make of it
	python3 -c 'import sys; sys.stdout.write("<" * 2000)' >big.xml
	run oversize 1 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" big.xml
	has "oversize: reason" oversize.out "l2l4_oversize"

	# an unreadable file is an input error (2), reported, and the others are still decided
	run unreadable 2 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" \
		"$pass"/geochat.xml no-such-file.xml
	has "unreadable: names the file" unreadable.err "no-such-file.xml"
	has "unreadable: others decided" unreadable.out "geochat.xml"
}

case_json() {
	# hostile uid: quote, backslash, tab, newline (as references), non-ASCII, U+2028
	python3 - "$root/tests/data/cot/pass/wintak-pli.xml" <<'EOF' || fail "json: writing esc.xml"
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
uid = "q&quot;b\\s&#9;t&#10;n \u00e9\u2028x&lt;"
out, n = re.subn(r"uid='[^']*'", lambda m: "uid='" + uid + "'", src, count=1)
assert n == 1
open("esc.xml", "w", encoding="utf-8").write(out)
EOF
	# a file name with a quote, a backslash, a tab, a newline and a byte that is not UTF-8
	weird=$(printf 'we"ird\\\tna\nme\377.xml')
	cp esc.xml "$weird" || fail "json: cannot create the weird file name"
	run esc 0 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" --json esc.xml \
		"$weird"
	py "esc: valid JSON Lines, uid and file exact" '
import json
lines = open("esc.out", "rb").read().split(b"\n")
assert lines[-1] == b"", "output must end with a newline"
recs = [json.loads(l) for l in lines[:-1]]
want_uid = "q\"b\\s\tt\nn \u00e9\u2028x<"
assert recs[0]["uid"] == want_uid, repr(recs[0]["uid"])
assert recs[0]["file"] == "esc.xml" and recs[0]["decision"] == "RELEASE", recs[0]
assert recs[1]["file"] == "we\"ird\\\tna\nme\ufffd.xml", repr(recs[1]["file"])
assert set(recs[0]) == {"type", "file", "channel", "decision", "reason", "rule_id", "uid",
                        "offset", "detail", "level", "tclass", "class",
                        "label_normalised"}, set(recs[0])
assert recs[0]["reason"] == "release" and recs[0]["rule_id"] is None
assert recs[0]["detail"] is None and isinstance(recs[0]["tclass"], int)
assert recs[0]["class"] == ["flash", "immediate", "priority", "routine"][recs[0]["tclass"]]
assert recs[2] == {"type": "summary", "messages": 2, "released": 2, "dropped": 0,
                   "review": 0, "unreadable": 0, "exit_status": 0}, recs[2]
'
	# the table shows the same uid escaped: no raw tab, newline or U+2028 in the output
	run esc-text 0 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" esc.xml \
		"$weird"
	py "esc-text: escaped" '
out = open("esc-text.out", "rb").read()
lines = out.split(b"\n")
assert len(lines) == 5 and lines[-1] == b"", lines  # header, 2 rows, summary
assert b"\t" not in out and "\u2028".encode() not in out, out
assert b"q\"b\\\\s\\x09t\\x0an" in lines[1], lines[1]
assert b"na\\x0ame\\xff.xml" in lines[2], lines[2]
'

	# pcap mode: every line an object with a type; frames carry the decision fields
	"$gen" --out small.pcap --expect small.expect --count 200 --seed 3 --now "$NOW" \
		>gen.out || fail "gen-traffic failed"
	run pcap-json 0 "$gc" check --policy "$policy" --pcap small.pcap --now pcap \
		--expect small.expect --json
	py "pcap-json: records" '
import json
recs = [json.loads(l) for l in open("pcap-json.out")]
types = {r["type"] for r in recs}
assert types == {"frame", "total", "summary"}, types
f = [r for r in recs if r["type"] == "frame"]
assert len(f) == 200
need = {"index", "channel", "decision", "reason", "rule_id", "uid", "offset", "detail",
        "payload_len", "level", "tclass", "class", "label_normalised", "expected", "match"}
for r in f:
    assert need <= set(r), set(r) ^ need
    assert r["decision"] in ("RELEASE", "DROP", "REVIEW")
    assert (r["decision"] == "RELEASE") == (r["reason"] == "release")
    assert r["channel"] is None or r["channel"].startswith("cot-"), r
    assert r["match"] is True
assert any(r["channel"] is None for r in f) and any(r["reason"] == "release" for r in f)
'
	# policy check --json is one object
	run policy-json 0 "$gc" policy check --json "$policy"
	py "policy-json: one object" '
import json
text = open("policy-json.out").read()
assert text.count("\n") == 1 and text.endswith("\n")
j = json.loads(text)
for k in ("file", "valid", "nations", "groups", "destinations", "channels",
          "data_categories", "terms", "markings", "patterns", "compile", "image"):
    assert k in j, k
for c in j["channels"]:
    assert {"name", "direction", "format", "destination", "ingress", "egress"} <= set(c)
'
}

case_usage() {
	run no-command 2 "$gc"
	has "no-command: usage" no-command.err "usage: guardctl"
	run unknown-command 2 "$gc" frobnicate
	has "unknown-command: names it" unknown-command.err "unknown command 'frobnicate'"
	run unknown-global-option 2 "$gc" --frobnicate
	run unknown-option 2 "$gc" check --frobnicate
	has "unknown-option: names it" unknown-option.err "unknown option '--frobnicate'"
	has "unknown-option: usage" unknown-option.err "usage: guardctl check"
	run missing-argument 2 "$gc" check --policy
	has "missing-argument: names it" missing-argument.err "'--policy' needs an argument"
	run no-policy 2 "$gc" check --channel cot-mn x.xml
	run no-input 2 "$gc" check --policy "$policy"
	run no-files 2 "$gc" check --policy "$policy" --channel cot-mn
	run channel-and-pcap 2 "$gc" check --policy "$policy" --channel cot-mn --pcap x.pcap
	run files-and-pcap 2 "$gc" check --policy "$policy" --pcap x.pcap y.xml
	run expect-no-pcap 2 "$gc" check --policy "$policy" --channel cot-mn --expect e x.xml
	run port-no-pcap 2 "$gc" check --policy "$policy" --channel cot-mn --port 1 x.xml
	run now-pcap-no-pcap 2 "$gc" check --policy "$policy" --channel cot-mn --now pcap x.xml
	run bad-now 2 "$gc" check --policy "$policy" --channel cot-mn --now 12x x.xml
	run negative-now 2 "$gc" check --policy "$policy" --channel cot-mn --now -5 x.xml
	run bad-port 2 "$gc" check --policy "$policy" --pcap x.pcap --port 65536
	run unknown-channel 2 "$gc" check --policy "$policy" --channel cot-xx x.xml
	has "unknown-channel: what, where, which exist" unknown-channel.err \
		"channel 'cot-xx' not in policy $policy (channels: cot-mn, "
	run no-such-pcap 2 "$gc" check --policy "$policy" --pcap no-such.pcap
	has "no-such-pcap: names it" no-such-pcap.err "no-such.pcap"
	printf 'not a pcap' >junk.pcap
	run junk-pcap 2 "$gc" check --policy "$policy" --pcap junk.pcap
	run policy-no-sub 2 "$gc" policy
	run policy-unknown-sub 2 "$gc" policy frobnicate
	run policy-no-file 2 "$gc" policy check
	run policy-two-files 2 "$gc" policy check "$policy" "$policy"
	run policy-unknown-option 2 "$gc" policy check --frobnicate "$policy"
	run help-unknown 2 "$gc" help frobnicate

	run help 0 "$gc" --help
	has "help: lists check" help.out "check"
	has "help: lists policy" help.out "policy"
	run help-check 0 "$gc" help check
	has "help-check: synopsis" help-check.out "usage: guardctl check"
	run help-policy 0 "$gc" help policy
	has "help-policy: synopsis" help-policy.out "usage: guardctl policy check"
	run check-help 0 "$gc" check --help
	run policy-check-help 0 "$gc" policy check --help
	run version 0 "$gc" --version
}

# class_of OUT FILE: the CLASS cell (4th column) of FILE's row in a check table
class_of() {
	awk -v f="$2" 'NR > 1 && $1 == f { print $4 }' "$1"
}

# classes NAME OUT FILE=CLASS...: each FILE's row of table OUT shows CLASS
classes() {
	name=$1
	out=$2
	shift 2
	for pair in "$@"; do
		f=${pair%%=*}
		want=${pair#*=}
		got=$(class_of "$out" "$f")
		if [ "$got" = "$want" ]; then
			ok "$name: $f: class $want"
		else
			fail "$name: $f: class '$got', want '$want'"
			sed 's/^/    /' "$out" >&2
		fi
	done
}

# json_classes NAME OUT FILE=CLASS...: the same in check --json ("class", "tclass")
json_classes() {
	name=$1
	out=$2
	shift 2
	py "$name: --json class and tclass" '
import json, sys
names = ["flash", "immediate", "priority", "routine"]
want = dict(a.split("=", 1) for a in sys.argv[2:])
recs = {r["file"]: r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "message"}
assert set(recs) == set(want), (sorted(recs), sorted(want))
for f, c in want.items():
    r = recs[f]
    if c == "-":
        assert r["decision"] != "RELEASE" and r["class"] is None and r["tclass"] is None, r
    else:
        assert r["decision"] == "RELEASE" and r["class"] == c, (f, r)
        assert names[r["tclass"]] == c, (f, r)
' "$out" "$@"
}

case_classes() {
	data=$root/tests/data
	# TAK samples are hex text: the datagram's bytes, as the channel receives them
	for f in wintak-pli.mesh wintak-pli.stream; do
		python3 - "$data/tak/$f.hex" "$f.bin" <<'EOF' || fail "classes: $f.bin"
import sys
t = "".join(l.split("#")[0] for l in open(sys.argv[1]))
open(sys.argv[2], "wb").write(bytes.fromhex(t))
EOF
	done
	# CoT: the sample PLI (a-f: priority), an emergency and a hostile track made from it
	cp "$data/cot/pass/wintak-pli.xml" pli.xml
	sed "s/type='a-f-G-U-C'/type='b-a-o-tbl'/" pli.xml >emergency.xml
	sed "s/type='a-f-G-U-C'/type='a-h-G'/" pli.xml >hostile.xml
	cp "$data/cot/drop/stale__two-minutes.xml" stale.xml
	cp "$data/lxml/friendly_force_report.lxml" ffr.lxml
	cp "$data/lxml/casualty_report.lxml" casrep.lxml
	for f in oprep3 sitrep intrep medevac_no_final_newline; do
		cp "$data/adatp3/$f.adatp3" .
	done

	# the sample's priority table (rules/README.md)
	run cot 1 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" pli.xml \
		emergency.xml hostile.xml stale.xml
	has "cot: CLASS column" cot.out "CLASS"
	classes cot cot.out pli.xml=priority emergency.xml=flash hostile.xml=immediate \
		stale.xml=-
	run cot-json 1 "$gc" check --policy "$policy" --channel cot-mn --now "$NOW" --json \
		pli.xml emergency.xml hostile.xml stale.xml
	json_classes cot-json cot-json.out pli.xml=priority emergency.xml=flash \
		hostile.xml=immediate stale.xml=-
	run cot-nato 0 "$gc" check --policy "$policy" --channel cot-nato --now "$NOW" pli.xml
	classes cot-nato cot-nato.out pli.xml=routine
	run tak-mesh 0 "$gc" check --policy "$policy" --channel tak-mn --now "$NOW" \
		wintak-pli.mesh.bin
	classes tak-mesh tak-mesh.out wintak-pli.mesh.bin=priority
	run tak-stream 0 "$gc" check --policy "$policy" --channel tak-mn-stream --now "$NOW" \
		wintak-pli.stream.bin
	classes tak-stream tak-stream.out wintak-pli.stream.bin=priority
	run lxml 0 "$gc" check --policy "$policy" --channel lxml-mn --now "$NOW" ffr.lxml \
		casrep.lxml
	classes lxml lxml.out ffr.lxml=priority casrep.lxml=immediate
	run adatp3 1 "$gc" check --policy "$policy" --channel adatp3-mn --now "$NOW" \
		oprep3.adatp3 sitrep.adatp3 intrep.adatp3 medevac_no_final_newline.adatp3
	classes adatp3 adatp3.out oprep3.adatp3=flash sitrep.adatp3=routine intrep.adatp3=- \
		medevac_no_final_newline.adatp3=immediate
	run adatp3-json 1 "$gc" check --policy "$policy" --channel adatp3-mn --now "$NOW" --json \
		oprep3.adatp3 sitrep.adatp3 intrep.adatp3 medevac_no_final_newline.adatp3
	json_classes adatp3-json adatp3-json.out oprep3.adatp3=flash sitrep.adatp3=routine \
		intrep.adatp3=- medevac_no_final_newline.adatp3=immediate

	# a table of this test's own: each format's key, rows of other formats with a prefix
	# that would match if formats were ignored, a row scoped to one channel, no match routine
	awk '/^priorities:/ { skip = 1; next } skip && /^[a-z_]+:/ { skip = 0 } !skip' \
		"$policy" >own.yaml
	cat >>own.yaml <<'EOF'
priorities:
  - {format: [labelled-xml, adatp3], type_prefix: "a-f", class: flash}
  - {format: tak-stream, type_prefix: "a-f-G-U-C", class: flash}
  - {channel: tak-mn, format: tak-mesh, type_prefix: "a-f", class: immediate}
  - {format: cot, type_prefix: "Friendly", class: flash}
  - {format: labelled-xml, type_prefix: "FriendlyForceReport", class: immediate}
  - {format: adatp3, type_prefix: "SITREP", class: priority}
  - {format: adatp3, type_prefix: "OPREP-3", class: routine}
  - {format: adatp3, type_prefix: "OPREP-3 PINNACLE", class: flash}
EOF
	# term files are relative to the policy: link the sample's
	ln -sf "$root/rules/terms" terms
	run own-policy 0 "$gc" policy check own.yaml
	has "own-policy: 8 rows" own-policy.out "priorities:      8"
	run own-cot 0 "$gc" check --policy own.yaml --channel cot-mn --now "$NOW" pli.xml
	classes own-cot own-cot.out pli.xml=routine
	run own-mesh 0 "$gc" check --policy own.yaml --channel tak-mn --now "$NOW" \
		wintak-pli.mesh.bin
	classes own-mesh own-mesh.out wintak-pli.mesh.bin=immediate
	run own-stream 0 "$gc" check --policy own.yaml --channel tak-mn-stream --now "$NOW" \
		wintak-pli.stream.bin
	classes own-stream own-stream.out wintak-pli.stream.bin=flash
	run own-lxml 0 "$gc" check --policy own.yaml --channel lxml-mn --now "$NOW" ffr.lxml \
		casrep.lxml
	classes own-lxml own-lxml.out ffr.lxml=immediate casrep.lxml=routine
	run own-adatp3 0 "$gc" check --policy own.yaml --channel adatp3-mn --now "$NOW" \
		oprep3.adatp3 sitrep.adatp3
	# OPREP-3 comes before OPREP-3 PINNACLE here: the first row that matches wins
	classes own-adatp3 own-adatp3.out oprep3.adatp3=routine sitrep.adatp3=priority

	# pcap mode: the CLASS column agrees with --json on every frame of every format
	"$gen" --out all.pcap --expect all.expect --count 400 --seed 11 --now "$NOW" \
		--formats all >gen-all.out || { fail "gen-traffic --formats all failed"; return; }
	run pcap 1 "$gc" check --policy "$policy" --pcap all.pcap --now pcap
	has "pcap: CLASS column" pcap.out "CLASS"
	run pcap-json 1 "$gc" check --policy "$policy" --pcap all.pcap --now pcap --json
	py "pcap: table and --json agree on each frame's class" '
import json
names = ["flash", "immediate", "priority", "routine"]
frames = [r for r in map(json.loads, open("pcap-json.out")) if r["type"] == "frame"]
rows = [l.split() for l in open("pcap.out").read().splitlines()[1:len(frames) + 1]]
assert len(rows) == len(frames) == 400, (len(rows), len(frames))
seen = set()
for row, f in zip(rows, frames):
    assert int(row[0]) == f["index"], (row, f)
    if f["decision"] == "RELEASE":
        assert row[4] == f["class"] == names[f["tclass"]], (row, f)
        seen.add((f["channel"], f["class"]))
    else:
        assert row[4] == "-" and f["class"] is None and f["tclass"] is None, (row, f)
chans = {c for c, _ in seen}
for c in ("cot-mn", "tak-mn", "tak-mn-stream", "lxml-mn", "adatp3-mn"):
    assert c in chans, (c, sorted(seen))
print(sorted(seen))
'
}

case $case in
golden | policy | messages | json | usage | classes) "case_$case" ;;
*)
	echo "$0: unknown case '$case'" >&2
	exit 2
	;;
esac

if [ "$failures" -ne 0 ]; then
	echo "$case: $failures check(s) failed" >&2
	exit 1
fi
echo "$case: all checks passed"
