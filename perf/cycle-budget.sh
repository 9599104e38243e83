#!/usr/bin/env bash
# Where the time of one released message goes, stage by stage (issue 12.4), for one build
# or for two side by side (before/after a change).
#
#   instructions  callgrind over one pass of `inspect/released` (every released message of
#                 gen-traffic --count 20000 --seed 11 --formats all, the sample policy):
#                 the inclusive cost of each step of insp_inspect() per message. They do not
#                 depend on what else the shared machine runs, so they compare builds exactly.
#   time          Google Benchmark on the same messages, the first FRAMES frames of the pcap
#                 (default 400, ~400 KB: in cache, as a packet guardd has just received is),
#                 medians of 6 runs, both builds alternately: the whole decision, the
#                 L2-L4 classification, and the bare Hyperscan scan of each payload (the
#                 floor); a stage's time is its share of the instructions times the decision's
#                 time (an estimate: Hyperscan retires more work per instruction than a parser).
#   stages        classify      L2-L4 checks, channel lookup, checksum (BM_classify, per frame)
#                 parse         the format module: UTF-8 check, tokenizer, grammar, label
#                               carriers (insp_parse minus the next two rows)
#                 validate      UTF-8 validation of the text (insp_utf8_validate_xml)
#                 normalise     scan units: fold, skeleton, copy into the scan text
#                               (insp_msg_add_pieces)
#                 label         label decode, classification, releasability (check_label)
#                 sharing       data categories against ISAs (check_sharing)
#                 scan          Hyperscan over the scan text (hs_scan, its callbacks excluded)
#                 confirm       literal phrases confirmed around their anchor word, and the
#                               filter that skips harmless ones (on_literal)
#                 priority      the release's traffic class (traffic_class)
#                 policy rest   validity, result defaults, the step calls (the remainder)
#   I/O and re-origination are not in the library: perf/side-by-side.sh measures testpmd's
#   I/O ceiling and guardd's whole per-packet time on the demo traffic.
#
# Usage: perf/cycle-budget.sh [BUILD_DIR] [--before BUILD_DIR] [--frames N]
# Needs valgrind. About two minutes per build. Raw results: out/cycle-budget/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
after=$root/build before="" frames=400
while (($#)); do
	case $1 in
	--before) before=$(realpath "${2:?}"); shift 2 ;;
	--frames) frames=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "cycle-budget: unknown option '$1'" >&2; exit 2 ;;
	*) after=$(realpath "$1"); shift ;;
	esac
done
[[ $frames =~ ^[1-9][0-9]*$ ]] || { echo "cycle-budget: --frames wants a positive number" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "cycle-budget: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
builds=()
[[ -n $before ]] && builds+=("$before")
builds+=("$after")
for b in "${builds[@]}"; do
	[[ -x $b/perf/bench_inspect ]] || { echo "cycle-budget: $b/perf/bench_inspect not built" >&2; exit 1; }
done
out=$root/out/cycle-budget
rm -rf "$out"
mkdir -p "$out"
"$after/tools/gen-traffic/gen-traffic" --out "$out/traffic.pcap" --expect "$out/traffic.expect" \
	--count 20000 --seed 11 --formats all >/dev/null
export GUARD_BENCH_POLICY=$root/rules/sample-policy.yaml GUARD_BENCH_PCAP=$out/traffic.pcap

i=0
for b in "${builds[@]}"; do
	i=$((i + 1))
	echo "cycle-budget: instructions, build $i ($b)" >&2
	GUARD_BENCH_ONE_PASS=1 valgrind --tool=callgrind --callgrind-out-file="$out/cg.$i" \
		'--toggle-collect=*BM_inspect_released*' "$b/perf/bench_inspect" \
		--benchmark_filter='^inspect/released' >"$out/cg.$i.log" 2>&1 ||
		{ echo "cycle-budget: callgrind run failed, see $out/cg.$i.log" >&2; exit 1; }
	callgrind_annotate --inclusive=yes --threshold=100 "$out/cg.$i" >"$out/cg.$i.txt" 2>/dev/null
	grep -oP 'one pass: \K[0-9]+' "$out/cg.$i.log" >"$out/messages.$i" ||
		{ echo "cycle-budget: $b's bench_inspect has no one-pass inspect/released" >&2; exit 1; }
done
# alternately, in turns that start with each build in turn (a build that always ran first
# would pay for the machine waking up)
for round in 1 2 3 4 5 6; do
	order=$(seq "${#builds[@]}")
	((round % 2 == 0)) && order=$(seq "${#builds[@]}" -1 1)
	for i in $order; do
		b=${builds[$((i - 1))]}
		echo "cycle-budget: time, round $round of 6, build $i" >&2
		GUARD_BENCH_FRAMES=$frames "$b/perf/bench_inspect" --benchmark_min_time=0.3 \
			--benchmark_filter='^(BM_classify|inspect/released|scan/raw-released)$' \
			--benchmark_format=csv 2>/dev/null | grep -E '^"' >>"$out/time.$i.csv"
	done
done

python3 - "$out" "${#builds[@]}" "$frames" <<'EOF'
import collections, re, statistics, sys
out, n, frames = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def inclusive(i):
    cost = collections.defaultdict(int)
    for line in open(f'{out}/cg.{i}.txt'):
        m = re.match(r'\s*([0-9,]+) \([ 0-9.]+%\)\s+(\S+)', line)
        if not m or ':' not in m.group(2):
            continue
        fn = re.sub(r'(\.(isra|constprop|part|cold)\.[0-9]+)+$', '', m.group(2).rsplit(':', 1)[1])
        cost[fn] = max(cost[fn], int(m.group(1).replace(',', '')))
    msgs = int(open(f'{out}/messages.{i}').read())
    c = lambda f: cost.get(f, 0) / msgs
    total, parse = c('insp_inspect'), c('parse_step')
    hs, confirm = c('avx2_hs_scan') or c('hs_scan'), c('on_literal')
    norm, valid = c('insp_msg_add_pieces'), c('insp_utf8_validate_xml')
    label, share, content = c('check_label'), c('check_sharing'), c('check_content')
    stages = collections.OrderedDict([
        ('parse', parse - norm - valid), ('validate', valid), ('normalise', norm),
        ('label', label), ('sharing', share), ('scan', hs - confirm), ('confirm', confirm),
        ('priority', c('traffic_class'))])
    stages['policy rest'] = total - sum(stages.values())
    if parse == 0 or label == 0 or content == 0:
        sys.exit(f'cycle-budget: build {i}: the decision steps are not separate functions '
                 '(STAGE in insp_inspect.c); the budget needs them')
    return total, stages

def times(i):
    t = collections.defaultdict(list)
    for line in open(f'{out}/time.{i}.csv'):
        f = line.split(',')
        t[f[0].strip('"')].append(float(f[3]))  # cpu_time, ns
    return {k: statistics.median(v) for k, v in t.items()}

res = [(inclusive(i), times(i)) for i in range(1, n + 1)]
cols = ['before', 'after'] if n == 2 else ['this build']
print(f'released messages of gen-traffic --count 20000 --seed 11 --formats all; time on the '
      f'first {frames} frames (in cache), medians of 6 runs')
hdr = '| stage | ' + ' | '.join(f'instructions {c} | ns {c} | share {c}' for c in cols) + ' |'
print(hdr)
print('|---' * (1 + 3 * n) + '|')
print('| classify (per frame) | ' + ' | '.join(f'- | {t["BM_classify"]:.0f} | -' for _, t in res) + ' |')
for stage in res[0][0][1]:
    row = []
    for (total, st), t in res:
        ns = t['inspect/released'] * st[stage] / total
        row.append(f'{st[stage]:,.0f} | {ns:.0f} | {100 * st[stage] / total:.1f} %')
    print(f'| {stage} | ' + ' | '.join(row) + ' |')
print('| **decision, whole** | ' + ' | '.join(
    f'**{total:,.0f}** | **{t["inspect/released"]:.0f}** | 100 %' for (total, _), t in res) + ' |')
print('| bare Hyperscan scan of the payload (floor) | ' + ' | '.join(
    f'- | {t["scan/raw-released"]:.0f} | -' for _, t in res) + ' |')
for c, ((total, _), t) in zip(cols, res):
    print(f'ratio: {t["inspect/released"] / t["scan/raw-released"]:.2f} (decision/scan, {c})')
if n == 2:
    print(f'ratio: {res[1][0][0] / res[0][0][0]:.3f} (instructions after/before)')
    print(f'ratio: {res[1][1]["inspect/released"] / res[0][1]["inspect/released"]:.3f} '
          '(decision time after/before)')
EOF
