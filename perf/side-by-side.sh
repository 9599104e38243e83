#!/usr/bin/env bash
# guardd and Suricata 7 on the same traffic, one core each, in one run (GUARD-SPEC 9,
# issue 12.1). Installs Suricata 7 from Debian's bookworm-backports if it is missing.
#
#   traffic   the demo's: gen-traffic --count COUNT --seed 1 --formats all (~1 KB frames)
#   Suricata  offline (-r PCAP --runmode single, Hyperscan MPM and SPM), the sample policy's
#             literal patterns (prohibited terms and literal markings, deduplicated without
#             case) as `drop` rules with `content` + `nocase`; its regexes cannot be given the
#             same meaning and are left out (counted below), which favours Suricata. Its time
#             is the engine's own "time elapsed" (packet processing after rule loading).
#   guardd    net_pcap (the same file, read once) -> net_null, one worker lcore, the sample
#             policy's ruleset; its time is first to last received burst (--stats-file)
#   testpmd   io forwarding net_pcap (infinite_rx, from memory) -> net_null, one forwarding
#             lcore: the I/O ceiling of a DPDK process on this machine. infinite_rx holds the
#             whole capture in mbufs, so it replays 20,000 frames of the same mix (seed 1)
# Each is run RUNS times (default 5); the table shows the median and min..max, then
# `ratio: X.XX` lines (guardd/Suricata, guardd/testpmd).
#
# Not measured here yet (issue 12): the bare Hyperscan scan floor (decision/scan ratio),
# latency percentiles, the cycle budget per stage.
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
	-h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
gen=$build/tools/gen-traffic/gen-traffic
[[ -x $guardd && -x $guardctl && -x $gen ]] || die "build first: $guardd, $guardctl, $gen"
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
"$gen" --out demo.pcap --expect demo.expect --count "$count" --seed 1 --formats all >gen.log 2>&1 ||
	die "gen-traffic failed: $(cat gen.log)"
"$gen" --out io.pcap --expect io.expect --count 20000 --seed 1 --formats all >gen-io.log 2>&1 ||
	die "gen-traffic failed: $(cat gen-io.log)"
"$guardctl" policy compile "$root/rules/sample-policy.yaml" -o sample.rules >compile.log 2>&1 ||
	die "the sample policy did not compile: $(cat compile.log)"

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

prefix=guard-sbs-$$
cleanup() { rm -rf /dev/hugepages/"$prefix"* /var/run/dpdk/"$prefix"*; }
trap cleanup EXIT

run_suricata() { # -> packets per second
	local d=suri-$1
	mkdir -p "$d"
	suricata -c suricata.yaml -r demo.pcap --runmode single -S guard.rules -l "$d" -k none >"$d/out.txt" 2>&1 ||
		die "suricata failed: $(tail -5 "$d/out.txt")"
	local s
	s=$(sed -n 's/.*time elapsed \([0-9.]*\)s.*/\1/p' "$d/suricata.log" | tail -1)
	[[ -n $s ]] || die "no 'time elapsed' in $d/suricata.log"
	grep -q "pcap: read 1 file, $count packets" "$d/suricata.log" || die "suricata did not read all $count packets"
	python3 -c "print($count / $s)"
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
done

python3 - "$n_rules" "$n_regex" "$count" <<'EOF'
import statistics, sys
n_rules, n_regex, count = sys.argv[1:4]
def load(f):
    return [float(x) for x in open(f)]
rows = {'Suricata 7 offline, runmode single': load('suricata.pps'),
        'guardd net_pcap -> net_null, 1 worker': load('guardd.pps'),
        'testpmd io, net_pcap (memory) -> net_null': load('testpmd.pps')}
print(f'traffic: {int(count):,} frames of the demo mix; Suricata: {n_rules} content rules '
      f'(nocase), {n_regex} regexes left out')
print('| engine | Mpps (median) | min..max | runs |')
print('|---|---:|---:|---:|')
for k, v in rows.items():
    print(f'| {k} | {statistics.median(v) / 1e6:.3f} | {min(v) / 1e6:.3f}..{max(v) / 1e6:.3f} | {len(v)} |')
med = {k: statistics.median(v) for k, v in rows.items()}
names = list(rows)
print(f'ratio: {med[names[1]] / med[names[0]]:.2f} (guardd/Suricata)')
print(f'ratio: {med[names[1]] / med[names[2]]:.2f} (guardd/testpmd)')
EOF
