#!/usr/bin/env bash
# guardd and Suricata 7 on the same traffic, one core each, in one run (GUARD-SPEC 9,
# issue 12.1). Installs Suricata 7 from Debian's bookworm-backports if it is missing.
#
#   traffic   the demo's: gen-traffic --count COUNT --seed 1 --formats all (~1 KB frames)
#   Suricata  offline (-r PCAP --runmode single, Hyperscan MPM and SPM), the sample policy's
#             literal patterns (prohibited terms and literal markings, deduplicated without
#             case) as `drop` rules with `content` + `nocase`; its regexes cannot be given the
#             same meaning and are left out (counted below), which favours Suricata. Its time
#             is its CPU time (user + system, all its threads) minus the CPU time of the same
#             command on a one-packet capture (start-up: rule loading, Hyperscan compile);
#             the engine's own "time elapsed" is kept beside it in suricata-cpu.txt.
#   guardd    net_pcap (the same file, read once) -> net_null, one worker lcore, the sample
#             policy's ruleset; its time is first to last received burst (--stats-file)
#   testpmd   io forwarding net_pcap (infinite_rx, from memory) -> net_null, one forwarding
#             lcore: the I/O ceiling of a DPDK process on this machine. infinite_rx holds the
#             whole capture in mbufs, so it replays 20,000 frames of the same mix (seed 1)
#   scan floor  build/perf/bench_inspect on the same pcap's first 400 frames (in cache, as a
#             frame guardd has just received): `scan/raw-all` is the L2-L4 classification plus
#             a bare Hyperscan block scan of every payload with the ruleset's own databases,
#             `inspect/all` the classification plus the whole decision; decision/scan is
#             their ratio (Google Benchmark, median of 5 repetitions per run)
# Each is run RUNS times (default 5); the table shows the median and min..max, then
# `ratio: X.XX` lines (guardd/Suricata, decision/scan, guardd/testpmd). The stage-by-stage
# budget is perf/cycle-budget.sh, latency perf/latency.sh, the memif topology perf/e2e.sh.
#
# Usage: perf/side-by-side.sh [BUILD_DIR] [--runs N] [--count N]
# Raw results: out/side-by-side/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build runs=5 count=200000
while (($#)); do
	case $1 in
	--runs) runs=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "side-by-side: unknown option '$1'" >&2; exit 2 ;;
	*) build=$(realpath "$1"); shift ;;
	esac
done
for v in "$runs" "$count"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "side-by-side: --runs and --count want positive numbers" >&2; exit 2; }
done
# shellcheck source=tools/lib/common.sh
source "$root/tools/lib/common.sh"
need_root
guardd=$build/dataplane/guardd guardctl=$build/control/guardctl
gen=$build/tools/gen-traffic/gen-traffic bench=$build/perf/bench_inspect
[[ -x $guardd && -x $guardctl && -x $gen && -x $bench ]] ||
	die "build first: $guardd, $guardctl, $gen, $bench (Google Benchmark: libbenchmark-dev)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
setup_hugepages "$GUARD_HUGEPAGES" || die "hugepages could not be set up"
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found (apt-get install dpdk)"

# ---- Suricata 7 from bookworm-backports ---------------------------------------------------
if ! suricata -V 2>/dev/null | grep -q 'version 7\.'; then
	log "installing Suricata 7 from bookworm-backports"
	src=/etc/apt/sources.list.d/bookworm-backports.sources
	if [[ ! -e $src ]]; then
		printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$src"
	fi
	apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports suricata ||
		die "could not install suricata from bookworm-backports"
fi
suricata -V | grep -q 'version 7\.' || die "suricata 7 is not what 'suricata -V' reports"

out=$root/out/side-by-side
rm -rf "$out"
mkdir -p "$out"
cd "$out"
log "traffic: $count frames (seed 1, all formats)"
demo_inputs "$gen" "$guardctl" "$root/rules/sample-policy.yaml" "$count"
"$gen" --out io.pcap --expect io.expect --count 20000 --seed 1 --formats all >gen-io.log 2>&1 ||
	die "gen-traffic failed: $(cat gen-io.log)"

# ---- the policy's literals as Suricata rules ---------------------------------------------------
"$guardctl" policy show sample.rules --patterns --json >patterns.json
python3 - <<'EOF' >rules.txt
import json
d = json.load(open('patterns.json'))
seen, rules, regexes = set(), [], 0
for p in d['pattern_list']:
    if not p['literal']:
        regexes += 1
        continue
    e = p['expression']
    if e.lower() in seen:  # a literal's skeleton form is a second pattern of the same rule
        continue
    seen.add(e.lower())
    c = ''.join(ch if 0x20 <= ord(ch) < 0x7f and ch not in ';"\\|'
                else ''.join('|%02X|' % b for b in ch.encode()) for ch in e)
    rules.append('drop udp any any -> any any (msg:"guard rule %d"; content:"%s"; nocase; '
                 'sid:%d; rev:1;)' % (p['rule'], c, len(rules) + 1))
open('guard.rules', 'w').write('\n'.join(rules) + '\n')
print(len(rules), regexes)
EOF
read -r n_rules n_regex <rules.txt
cat >suricata.yaml <<'EOF'
%YAML 1.1
---
default-log-dir: .
mpm-algo: hs
spm-algo: hs
outputs:
  - fast:
      enabled: no
  - eve-log:
      enabled: no
  - stats:
      enabled: no
logging:
  default-log-level: notice
  outputs:
    - console:
        enabled: no
    - file:
        enabled: yes
        level: info
        filename: suricata.log
EOF

# a capture of the first frame alone: Suricata's start-up cost
python3 - <<'EOF'
import struct
d = open('demo.pcap', 'rb').read()
n = struct.unpack('<I', d[24 + 8:24 + 12])[0]
open('one.pcap', 'wb').write(d[:24 + 16 + n])
EOF

prefix=guard-sbs-$$
cleanup() { rm -rf /dev/hugepages/"$prefix"* /var/run/dpdk/"$prefix"*; }
trap cleanup EXIT

suricata_cpu() { # PCAP DIR -> CPU seconds (user + system) of one offline run
	mkdir -p "$2"
	/usr/bin/time -f '%U %S' -o "$2/cpu.txt" suricata -c suricata.yaml -r "$1" --runmode single \
		-S guard.rules -l "$2" -k none >"$2/out.txt" 2>&1 || die "suricata failed: $(tail -5 "$2/out.txt")"
	awk '{ print $1 + $2 }' "$2/cpu.txt"
}
run_suricata() { # -> packets per second of CPU time after start-up
	local d=suri-$1 full start s
	start=$(suricata_cpu one.pcap "$d-startup")
	full=$(suricata_cpu demo.pcap "$d")
	grep -q "pcap: read 1 file, $count packets" "$d/suricata.log" || die "suricata did not read all $count packets"
	s=$(sed -n 's/.*time elapsed \([0-9.]*\)s.*/\1/p' "$d/suricata.log" | tail -1)
	echo "$full $start ${s:-?}" >>suricata-cpu.txt # CPU, start-up CPU, engine's time elapsed
	python3 -c "import sys; d = $full - $start; sys.exit('suricata: no CPU time after start-up') if d <= 0 else print($count / d)"
}
run_scan_floor() { # -> "decision_ns scan_ns" per frame, medians of 5 repetitions
	GUARD_BENCH_POLICY=$root/rules/sample-policy.yaml GUARD_BENCH_PCAP=$out/demo.pcap GUARD_BENCH_FRAMES=400 \
		"$bench" --benchmark_filter='^(inspect/all|scan/raw-all)$' --benchmark_repetitions=5 \
		--benchmark_min_time=0.3 --benchmark_format=csv >"bench-$1.csv" 2>"bench-$1.log" ||
		die "bench_inspect failed: $(tail -3 "bench-$1.log")"
	awk -F, '$1 == "\"inspect/all_median\"" { d = $4 } $1 == "\"scan/raw-all_median\"" { s = $4 }
		END { if (d == "" || s == "") exit 1; print d, s }' "bench-$1.csv" || die "no medians in bench-$1.csv"
}
run_guardd() { # -> packets per second
	local st=guardd-$1.stats
	"$guardd" -l 0,1 --no-pci --file-prefix "$prefix" -m 512 --log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$out/demo.pcap" --vdev "net_null1,no-rx=1" \
		-- --ruleset sample.rules --idle-exit 1 --stats-file "$st" \
		>"guardd-$1.log" 2>&1 || die "guardd failed: $(tail -5 "guardd-$1.log")"
	awk '$1 == "total" && $2 == "rx" { rx = $3 } $1 == "total" && $2 == "seconds" { s = $3 }
		END { if (rx != '"$count"' || s <= 0) exit 1; printf "%.1f\n", rx / s }' "$st" ||
		die "guardd did not receive all $count frames: $(grep total "$st")"
}
run_testpmd() { # -> packets per second (io forward; the last of its 2-second rates)
	local l=testpmd-$1.log
	# forwarding starts at once and a rate is printed every 2 s until SIGINT, after 9 s
	timeout -s INT 9 dpdk-testpmd -l 0,1 --main-lcore 0 --no-pci --file-prefix "$prefix-tp" \
		-m 1024 --vdev "net_pcap0,rx_pcap=$out/io.pcap,infinite_rx=1" \
		--vdev "net_null0,no-rx=1" -- --total-num-mbufs=32768 --mbuf-size=4224 --nb-cores=1 \
		--forward-mode=io --stats-period 2 </dev/null >"$l" 2>&1 || true
	rm -rf /dev/hugepages/"$prefix"-tp* /var/run/dpdk/"$prefix"-tp
	awk '/NIC statistics for port/ { port = $6 } port == 0 && /Rx-pps:/ { v = $2 }
		END { if (v == "" || v == 0) exit 1; print v }' "$l" || die "no Rx-pps of port 0 in $l"
}

for r in $(seq "$runs"); do
	log "run $r of $runs"
	run_suricata "$r" >>suricata.pps
	run_guardd "$r" >>guardd.pps
	run_testpmd "$r" >>testpmd.pps
	run_scan_floor "$r" >>floor.ns
done

python3 - "$n_rules" "$n_regex" "$count" <<'EOF'
import statistics, sys
n_rules, n_regex, count = sys.argv[1:4]
def load(f):
    return [float(x) for x in open(f)]
floor = [l.split() for l in open('floor.ns')]
rows = {'Suricata 7 offline, runmode single (CPU time after start-up)': load('suricata.pps'),
        'guardd net_pcap -> net_null, 1 worker': load('guardd.pps'),
        'testpmd io, net_pcap (memory) -> net_null': load('testpmd.pps'),
        'library: classify + decision, every frame (bench inspect/all)':
            [1e9 / float(d) for d, _ in floor],
        'library: classify + bare Hyperscan scan, every frame (bench scan/raw-all)':
            [1e9 / float(s) for _, s in floor]}
print(f'traffic: {int(count):,} frames of the demo mix; Suricata: {n_rules} content rules '
      f'(nocase), {n_regex} regexes left out')
print('| engine | Mpps (median) | min..max | runs |')
print('|---|---:|---:|---:|')
for k, v in rows.items():
    print(f'| {k} | {statistics.median(v) / 1e6:.3f} | {min(v) / 1e6:.3f}..{max(v) / 1e6:.3f} | {len(v)} |')
med = {k: statistics.median(v) for k, v in rows.items()}
names = list(rows)
print(f'ratio: {med[names[1]] / med[names[0]]:.2f} (guardd/Suricata)')
print(f'ratio: {med[names[4]] / med[names[3]]:.2f} (decision/scan)')
print(f'ratio: {med[names[1]] / med[names[2]]:.2f} (guardd/testpmd)')
with open('summary.txt', 'w') as f:
    for k, v in med.items():
        f.write(f'{1e9 / v:.1f} ns per frame: {k}\n')
EOF
