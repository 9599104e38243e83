#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# guardd's latency histogram (dataplane/dp_latency.h, issue 12.3), end to end on net_pcap:
#  1. gen-traffic's mix through two pcap ports: the stats file's `total latency_count` is the
#     number of frames released (total tx, and the sidecar's release count), `drop_count`
#     every other frame received; 0 < p50 <= p99 <= p99.9 <= max for both; the `latency
#     bucket` lines are ordered, disjoint, and their counts add up to `total latency_count`, and
#     the percentiles fall inside the buckets' range; guardd's report prints the line;
#  2. telemetry: while guardd still runs (after the replay, before SIGINT), /guard/latency
#     gives exactly the stats file's numbers (nothing arrives in between);
#  3. without a ruleset every frame is dropped: `total latency_count 0` and zero percentiles,
#     `drop_count` = frames received, no bucket lines.
# --no-pci and --no-huge: no NIC, no hugepages.
#   latency.sh GUARDD GEN_TRAFFIC REPO_ROOT SCRATCH_DIR
set -euo pipefail

if (($# != 4)); then
	echo "usage: $0 GUARDD GEN_TRAFFIC REPO_ROOT SCRATCH_DIR" >&2
	exit 2
fi
guardd=$(realpath "$1")
gen=$(realpath "$2")
root=$(realpath "$3")
dir=$(realpath -m "$4")
prefix=guard-lat-$$
gd_pid=''
fail=0

cleanup() {
	if [[ -n $gd_pid ]]; then
		kill -KILL "$gd_pid" 2>/dev/null || true
		wait "$gd_pid" 2>/dev/null || true
	fi
	rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"
}
trap cleanup EXIT
bad() {
	echo "FAIL: $*" >&2
	fail=1
}
ok() { echo "ok: $*"; }

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$root/tools/lib/compile-ruleset.sh" "$guardd" "$root/rules/sample-policy.yaml" sample.rules
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' \
	>empty.pcap
"$gen" --out in.pcap --expect in.expect --count 3000 --seed 5 --formats all >gen.log 2>&1 ||
	{ cat gen.log >&2; exit 1; }
frames=$(awk '!/^#/ && NF { n++ } END { print n + 0 }' in.expect)
releases=$(awk '!/^#/ && $3 == "release" { n++ } END { print n + 0 }' in.expect)

# value FILE KEY: the number of the stats file line "latency KEY N" (exit 1 if missing)
value() { awk -v k="latency_$2" '$1 == "total" && $2 == k { print $3; f = 1; exit } END { if (!f) exit 1 }' "$1"; }
total() { awk -v k="$2" '$1 == "total" && $2 == k { print $3; f = 1; exit } END { if (!f) exit 1 }' "$1"; }

# ---- 1 and 2: the mix, telemetry while guardd runs, then the stats file ---------------------
"$guardd" --no-pci --no-huge -m 512 --file-prefix "$prefix" -l 0,1 --log-level=lib.eal:warning \
	--vdev "net_pcap0,rx_pcap=in.pcap,tx_pcap=drop0.pcap" \
	--vdev "net_pcap1,rx_pcap=empty.pcap,tx_pcap=out.pcap" \
	-- --ruleset sample.rules --stats-file run.stats >run.log 2>&1 &
gd_pid=$!
telemetry() { printf '%s\n' "$1" | timeout 20 dpdk-telemetry.py -f "$prefix" 2>/dev/null; }
received=0
for _ in $(seq 600); do
	kill -0 "$gd_pid" 2>/dev/null || break
	received=$(telemetry /guard/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["/guard/stats"]["received"])' 2>/dev/null || echo 0)
	((received == frames)) && break
	sleep 0.1
done
((received == frames)) || { cat run.log >&2; echo "FAIL: guardd received $received of $frames frames (telemetry)" >&2; exit 1; }
sleep 0.3 # the last burst's tx flush and records: the worker is idle by now
telemetry /guard/latency >tel.json || bad "no answer to /guard/latency"
kill -INT "$gd_pid"
status=0
wait "$gd_pid" || status=$?
gd_pid=''
((status == 0)) || { cat run.log >&2; echo "FAIL: guardd exited with $status" >&2; exit 1; }
[[ -s run.stats ]] || { cat run.log >&2; echo "FAIL: no stats file" >&2; exit 1; }

rx=$(total run.stats rx)
tx=$(total run.stats tx)
count=$(value run.stats count) || bad "no 'total latency_count' line"
drops=$(value run.stats drop_count) || bad "no 'total latency_drop_count' line"
if ((rx == frames && tx == releases && count == tx)); then
	ok "total latency_count $count = total tx = the sidecar's $releases releases"
else
	bad "total latency_count ${count:-?}, total tx $tx, total rx $rx; sidecar: $releases releases of $frames"
fi
if ((drops + count == rx)); then
	ok "total latency_drop_count $drops + count $count = total rx $rx (each frame in one histogram)"
else
	bad "total latency_drop_count ${drops:-?} + count ${count:-?} != total rx $rx"
fi
for pre in '' drop_; do
	p50=$(value run.stats "${pre}p50_ns") p99=$(value run.stats "${pre}p99_ns")
	p999=$(value run.stats "${pre}p999_ns") max=$(value run.stats "${pre}max_ns")
	if ((0 < p50 && p50 <= p99 && p99 <= p999 && p999 <= max && max < 60000000000)); then
		ok "${pre:-release_}percentiles: 0 < p50 $p50 <= p99 $p99 <= p99.9 $p999 <= max $max ns"
	else
		bad "${pre:-release_}percentiles not ordered or not > 0: p50 $p50 p99 $p99 p99.9 $p999 max $max"
	fi
done
# the bucket lines: ordered, disjoint, adding up to count, holding the percentiles
if out=$(awk -v count="$count" -v p50="$(value run.stats p50_ns)" -v max="$(value run.stats max_ns)" '
	$1 == "total" && $2 == "latency_bucket" {
		if (NF != 5 || $3 + 0 >= $4 + 0 || $5 + 0 <= 0) { print "bad line: " $0; err = 1 }
		if (n && $3 + 0 < hi) { print "overlaps the previous: " $0; err = 1 }
		if (!n) lo = $3 + 0
		hi = $4 + 0; sum += $5; n++
	}
	END {
		if (sum != count) { print "buckets add up to " sum ", count is " count; err = 1 }
		if (p50 + 1 < lo || p50 > hi + 1) { print "p50 " p50 " outside [" lo ", " hi ")"; err = 1 }
		if (max + 1 < lo || max > hi * 1.04 + 1) { print "max " max " outside [" lo ", " hi "]"; err = 1 }
		printf "%d buckets from %s to %s ns", n, lo, hi
		exit err }' run.stats); then
	ok "bucket lines: $out, ordered and disjoint, counts add up to $count"
else
	bad "bucket lines: $out"
fi
if grep -q "^latency rx to tx, us: p50 .* ($count packets sent)" run.log; then
	ok "guardd's report prints the latency line"
else
	bad "no 'latency rx to tx' line with $count packets in guardd's output"
fi
if out=$(python3 - tel.json run.stats <<'EOF'
import json, sys
tel = json.load(open(sys.argv[1]))["/guard/latency"]
stats = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) == 3 and f[0] == "total" and f[1].startswith("latency_"):
        stats[f[1][len("latency_"):]] = int(f[2])
keys = [p + k for p in ("", "drop_") for k in ("count", "p50_ns", "p99_ns", "p999_ns", "max_ns")]
diff = [k for k in keys if tel.get(k) != stats.get(k)]
if diff or len(stats) != len(keys):
    print("differ: " + ", ".join("%s telemetry %s, file %s" % (k, tel.get(k), stats.get(k)) for k in diff))
    sys.exit(1)
print("%d keys, count %d, p99_ns %d" % (len(keys), tel["count"], tel["p99_ns"]))
EOF
); then
	ok "/guard/latency equals the stats file: $out"
else
	bad "/guard/latency vs the stats file: $out (answer: $(head -c 400 tel.json))"
fi

# ---- 3. no ruleset: nothing released ---------------------------------------------------------
status=0
timeout 60 "$guardd" --no-pci --no-huge -m 512 --file-prefix "$prefix" -l 0,1 \
	--log-level=lib.eal:warning --vdev "net_pcap0,rx_pcap=in.pcap,tx_pcap=none0.pcap" \
	--vdev "net_pcap1,rx_pcap=empty.pcap,tx_pcap=none1.pcap" \
	-- --idle-exit 1 --stats-file none.stats >none.log 2>&1 || status=$?
if ((status != 0)); then
	bad "no ruleset: guardd exited with $status"
	cat none.log >&2
elif [[ $(value none.stats count) == 0 && $(value none.stats p50_ns) == 0 &&
	$(value none.stats max_ns) == 0 && $(value none.stats drop_count) == "$frames" ]] &&
	! grep -q '^total latency_bucket' none.stats; then
	ok "no ruleset: total latency_count 0, percentiles 0, drop_count $frames, no bucket lines"
else
	bad "no ruleset: want count 0, p50/max 0, drop_count $frames and no buckets: $(grep '^latency' none.stats | head -12 | tr '\n' ';')"
fi
exit "$fail"
