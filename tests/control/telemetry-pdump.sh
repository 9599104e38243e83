#!/usr/bin/env bash
# guardd's observation interfaces without guard-control: DPDK telemetry and pdump. guardd
# decides an endless replay of generated traffic (net_pcap infinite_rx -> net_null) with the
# sample ruleset; then, through dpdk-telemetry.py -f PREFIX:
#   /guard/stats     JSON; "received" grows between two answers; within one answer received
#                    = released + dropped + held_for_review up to the packets in flight
#                    (counters are read while the worker runs: the decision counters are
#                    read before "received", so received >= the sum, by at most a burst or
#                    two);
#   /guard/ruleset   generation 1, 9 channels, the path it was started with, the SHA-256 of
#                    the image file, no control process attached;
#   /                lists /guard/stats, /guard/channels and /guard/ruleset;
# then dpdk-dumpcap (a DPDK secondary, through guardd's rte_pdump_init) captures 50 packets
# of net_pcap0 to a pcapng file: it holds at least 50 Enhanced Packet Blocks (dumpcap stops
# after the burst that reaches 50: at most 50 + 31), each one a frame of the replayed pcap,
# byte for byte; and last
#   /guard/channels  an entry per sample channel (its name as given, or with '_' for '-'
#                    where telemetry cannot carry '-'), each with a "release" count.
# /guard/channels comes last so that a failure there hides none of the other results.
#
# Usage: telemetry-pdump.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
set -euo pipefail
(($# == 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
cd "$SCRATCH"

# need CMD PACKAGE: a tool the test cannot do without (never a silent skip)
need() {
	command -v "$1" >/dev/null ||
		fail "$1 not found: install the Debian package '$2' (in GUARD_PACKAGES, tools/lib/common.sh)"
}
need python3 python3
need dpdk-telemetry.py dpdk
need dpdk-dumpcap dpdk

sample_traffic 1
# the channel names of the sample policy (the list under 'channels:')
mapfile -t CHANNELS < <(awk '/^[a-z_]+:/ { on = ($1 == "channels:") } on && /^  - name: / { print $3 }' \
	"$ROOT/rules/sample-policy.yaml")
((${#CHANNELS[@]} == 9)) || fail "want the 9 channels of the sample policy, read ${#CHANNELS[@]}: ${CHANNELS[*]}"
# those the replayed traffic releases on: all but the object channel (objects_out gets no
# traffic from gen-traffic: its datagrams are object chunks for the slow path)
mapfile -t FAST < <(awk '/^[a-z_]+:/ { on = ($1 == "channels:") }
	on && /^  - name: / { name = $3 } on && /^    format: / && $2 != "object" { print name }' \
	"$ROOT/rules/sample-policy.yaml")
((${#FAST[@]} == 8)) || fail "want 8 fast-path channels in the sample policy, read ${#FAST[@]}: ${FAST[*]}"

start_guardd --vdev "net_pcap0,$PCAP_ARGS" \
	--vdev "net_null1,no-rx=1" -- --ruleset "$SCRATCH/sample.rules"
if grep -q "pdump unavailable" guardd.log; then
	fail "guardd could not initialise pdump: $(grep "pdump unavailable" guardd.log)"
fi

# tel CMD NAME: guardd's answer to telemetry command CMD as JSON (also kept in NAME.json)
tel() {
	local out
	out=$(telemetry "$1") || fail "dpdk-telemetry.py -f $PREFIX did not answer '$1': $out"
	printf '%s\n' "$out" >"$2.raw"
	python3 -c '
import json, sys
cmd, raw = sys.argv[1], sys.argv[2]
try:
    d = json.loads(open(raw).read())
except ValueError as e:
    sys.exit("not JSON (%s): %.300s" % (e, open(raw).read()))
if not isinstance(d, dict) or cmd not in d:
    sys.exit("no %s member in %.300s" % (cmd, json.dumps(d)))
print(json.dumps(d[cmd]))' "$1" "$2.raw" >"$2.json" 2>"$2.err" || fail "telemetry $1: $(cat "$2.err")"
}

# ---- /guard/stats ----------------------------------------------------------------------------
# check_stats FILE...: exit 0 if each answer holds the counters with received >= released +
# dropped + held_for_review, the first two show received growing, and in the last one the
# difference (in flight) is 0..64; 3 if only that bound failed (the reader may have been
# preempted between the counters and "received": asked again; a packet never counted would
# stay missing in every later answer, the counters are totals), 1 otherwise.
cat >check_stats.py <<'EOF'
import json, sys
answers = [json.load(open(f)) for f in sys.argv[1:]]
need = ("received", "released", "dropped", "held_for_review", "audit_records", "audit_lost",
        "release", "review", "no_policy")
for i, s in enumerate(answers, 1):
    miss = [k for k in need if not isinstance(s.get(k), int)]
    if miss:
        sys.exit("answer %d lacks (or has non-integer) %s: %s" % (i, ", ".join(miss), json.dumps(s)))
    done = s["released"] + s["dropped"] + s["held_for_review"]
    if s["received"] < done:
        sys.exit("answer %d: received %d < released + dropped + held_for_review = %d + %d + %d = %d"
                 % (i, s["received"], s["released"], s["dropped"], s["held_for_review"], done))
    if s["release"] != s["released"] or s["review"] != s["held_for_review"]:
        sys.exit("answer %d: per-reason release/review %d/%d differ from released/held %d/%d"
                 % (i, s["release"], s["review"], s["released"], s["held_for_review"]))
    if s["released"] == 0 or s["dropped"] == 0 or s["no_policy"] != 0:
        sys.exit("answer %d: want releases, drops and no no_policy with the sample ruleset: %s"
                 % (i, json.dumps(s)))
a, b = answers[0], answers[1]
if not b["received"] > a["received"] > 0:
    sys.exit("received does not grow: %d, then %d half a second later" % (a["received"], b["received"]))
flight = [s["received"] - s["released"] - s["dropped"] - s["held_for_review"] for s in answers]
if flight[-1] > 64:
    print("in flight per answer: %s (want <= 64: a burst being decided, one more received)"
          % flight)
    sys.exit(3)
print("received %d -> %d in 0.5 s; in flight %s" % (a["received"], b["received"],
      " and ".join(map(str, flight))))
EOF
sleep 0.5
tel /guard/stats stats1
sleep 0.5
tel /guard/stats stats2
answers=(stats1.json stats2.json)
for again in 1 2 3 4 5; do
	status=0
	out=$(python3 check_stats.py "${answers[@]}" 2>&1) || status=$?
	((status == 3 && again < 5)) || break
	echo "(asked /guard/stats again: $out)"
	tel /guard/stats "stats$((again + 2))"
	answers+=("stats$((again + 2)).json")
done
((status == 0)) || fail "/guard/stats: $out"
ok "/guard/stats: $out; received = released + dropped + held_for_review up to those in flight"

# ---- /guard/ruleset --------------------------------------------------------------------------
tel /guard/ruleset ruleset
sha=$(sha256sum "$SCRATCH/sample.rules" | cut -d' ' -f1)
out=$(python3 - ruleset.json "$sha" "$SCRATCH/sample.rules" <<'EOF' 2>&1
import json, sys
r, sha, path = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
want = {"generation": 1, "channels": 9, "sha256": sha, "path": path, "control_pid": 0}
bad = ["%s is %r, want %r" % (k, r.get(k), v) for k, v in want.items() if r.get(k) != v]
if bad:
    sys.exit("; ".join(bad) + ": " + json.dumps(r))
print("generation %d, %d channels, %d patterns, sha256 %s" % (r["generation"], r["channels"],
      r.get("patterns", -1), r["sha256"][:16]))
EOF
) || fail "/guard/ruleset: $out"
ok "/guard/ruleset: $out… (the image's), no control process"

# ---- / ---------------------------------------------------------------------------------------
tel / root
out=$(python3 -c '
import json, sys
cmds = json.load(open("root.json"))
miss = [c for c in ("/guard/stats", "/guard/channels", "/guard/ruleset") if c not in cmds]
if miss:
    sys.exit("missing %s in %s" % (", ".join(miss), json.dumps(cmds)))
print("%d commands" % len(cmds))' 2>&1) || fail "/: $out"
ok "/ lists /guard/stats, /guard/channels and /guard/ruleset ($out)"

# ---- pdump -----------------------------------------------------------------------------------
# dumpcap stops when a burst brings it to the count: the file holds 50..50+31 packets
status=0
timeout 30 dpdk-dumpcap --file-prefix="$PREFIX" -i net_pcap0 -c 50 -n \
	-w "$SCRATCH/capture.pcapng" >dumpcap.log 2>&1 || status=$?
((status != 124)) || fail "dpdk-dumpcap did not capture 50 packets within 30 s: $(tail -n 5 dumpcap.log)"
((status == 0)) || fail "dpdk-dumpcap exited with $status: $(tail -n 5 dumpcap.log)"
[[ -s capture.pcapng ]] || fail "dpdk-dumpcap wrote no capture.pcapng: $(tail -n 5 dumpcap.log)"
out=$(python3 - capture.pcapng "$PCAP" <<'EOF' 2>&1
import struct, sys
cap, ref = (open(f, "rb").read() for f in sys.argv[1:3])
# the replayed frames (classic pcap, either byte order)
magic = ref[:4]
e = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
frames, off = set(), 24
while off + 16 <= len(ref):
    incl = struct.unpack_from(e + "I", ref, off + 8)[0]
    frames.add(ref[off + 16:off + 16 + incl])
    off += 16 + incl
# pcapng: blocks of type, total length, body, total length; EPB = type 6
off, e, n, foreign, shb = 0, "<", 0, 0, False
while off < len(cap):
    if off + 12 > len(cap):
        sys.exit("pcapng cut short at byte %d" % off)
    if cap[off:off + 4] == b"\x0a\x0d\x0d\x0a":
        shb = True
        e = "<" if cap[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
    btype, blen = struct.unpack_from(e + "II", cap, off)
    if not shb:
        sys.exit("not a pcapng file (first block type 0x%08x)" % btype)
    if blen < 12 or blen % 4 or off + blen > len(cap):
        sys.exit("bad block length %d at byte %d" % (blen, off))
    if struct.unpack_from(e + "I", cap, off + blen - 4)[0] != blen:
        sys.exit("block at byte %d: trailing length differs" % off)
    if btype == 6:
        caplen, origlen = struct.unpack_from(e + "II", cap, off + 20)
        data = cap[off + 28:off + 28 + caplen]
        n += 1
        if not (data in frames or (caplen < origlen and any(f.startswith(data) for f in frames))):
            foreign += 1
    off += blen
if foreign:
    sys.exit("%d of %d captured packets are not frames of the replayed pcap" % (foreign, n))
print(n)
EOF
) || fail "capture.pcapng: $out"
count=$out
if command -v capinfos >/dev/null; then
	other=$(capinfos -M -c capture.pcapng | awk -F: '/Number of packets/ { gsub(/ /, "", $2); print $2 }')
	[[ $other == "$count" ]] || fail "capinfos counts $other packets, the pcapng parser $count"
elif command -v tshark >/dev/null; then
	other=$(tshark -n -r capture.pcapng -T fields -e frame.number | wc -l)
	[[ $other == "$count" ]] || fail "tshark counts $other packets, the pcapng parser $count"
fi
((count >= 50 && count <= 81)) || fail "capture.pcapng holds $count packets, want 50 (dumpcap -c 50: at most 81)"
ok "pdump: dpdk-dumpcap -c 50 captured $count packets of net_pcap0, each a replayed frame byte for byte"

# ---- /guard/channels -------------------------------------------------------------------------
tel /guard/channels channels
out=$(python3 - channels.json "${FAST[@]}" <<'EOF' 2>&1
import json, sys
got, want = json.load(open(sys.argv[1])), sys.argv[2:]
if not isinstance(got, dict):
    sys.exit("not an object: %s" % json.dumps(got))
# telemetry (DPDK 22.11) takes only [A-Za-z0-9_/] in names: '-' may be given as '_'
by_name = {k.replace("_", "-"): v for k, v in got.items()}
by_name.update(got)
bad = []
for ch in want:
    v = by_name.get(ch)
    if not isinstance(v, dict) or not isinstance(v.get("release"), int) or v["release"] <= 0:
        bad.append(ch)
if bad:
    sys.exit("no entry with a \"release\" count for %s (fast-path sample channels, all "
             "released in the replay): answer %s%s" % (", ".join(bad), json.dumps(got)[:400], "" if got else
             " (DPDK 22.11 telemetry refuses names outside [A-Za-z0-9_/]; '-' must be mapped)"))
print(", ".join("%s %d" % (ch, by_name[ch]["release"]) for ch in want[:3]))
EOF
) || fail "/guard/channels: $out"
ok "/guard/channels: every fast-path sample channel with its release count ($out, …)"

stop_guardd
