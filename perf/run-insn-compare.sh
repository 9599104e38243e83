#!/usr/bin/env bash
# Before/after cost per message in instructions, which unlike time does not depend on what
# else the shared machine is doing: each build's bench_inspect runs `inspect/<format>`
# under callgrind, one pass over the format's released messages (GUARD_BENCH_ONE_PASS; a
# build whose bench_inspect predates it runs a time-bound number of messages, in message
# order, so its figure is for a prefix of the set), counting only inside the benchmark
# loop, and the table gives, per
# format, the instructions of one whole decision (insp_inspect) and of the format's parse
# alone (its insp_formats[] parse function), per call, inclusive. Same pcap as
# perf/run-bench-compare.sh (gen-traffic --count 20000 --seed 11 --formats all).
#
# Usage: perf/run-insn-compare.sh BEFORE_BUILD BEFORE_POLICY AFTER_BUILD AFTER_POLICY
# Needs valgrind. About a minute per format and build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
(($# == 4)) || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
command -v valgrind >/dev/null || { echo "run-insn-compare: valgrind not installed" >&2; exit 1; }
out=$root/out/insn-compare
mkdir -p "$out"
"$3/tools/gen-traffic/gen-traffic" --out "$out/traffic.pcap" --expect "$out/traffic.expect" \
	--count 20000 --seed 11 --formats all >/dev/null

# per_call FILE FUNC: inclusive instructions per call of FUNC (callgrind output)
per_call() {
	local id
	# a function is named once, where it first appears (as fn= or as a callee, cfn=)
	id=$(grep -m1 -oP "^c?fn=\(\K[0-9]+(?=\) $2\$)" "$1" || true)
	[[ -n $id ]] || { echo "-"; return; }
	awk -v key="cfn=($id)" '
	index($0, key) == 1 { want = 1; next }
	want && /^calls=/ { split($1, a, "="); calls += a[2]; getline; incl += $2; want = 0; next }
	END { if (calls) printf "%.0f", incl / calls; else printf "-" }' "$1"
}

declare -A parse_fn=([cot]=insp_cot_parse [tak-mesh]=insp_tak_mesh_parse
	[tak-stream]=insp_tak_stream_parse [labelled-xml]=insp_lxml_parse [adatp3]=insp_adatp3_parse)
printf '%-14s %14s %14s %7s %14s %14s %7s\n' format "parse before" "parse after" ratio \
	"decide before" "decide after" ratio
for fmt in cot tak-mesh tak-stream labelled-xml adatp3; do
	declare -A v=()
	for side in before after; do
		if [[ $side == before ]]; then b=$1 pol=$2; else b=$3 pol=$4; fi
		f=$out/$side-$fmt.cg
		GUARD_BENCH_POLICY=$pol GUARD_BENCH_PCAP=$out/traffic.pcap GUARD_BENCH_ONE_PASS=1 \
			valgrind --tool=callgrind --callgrind-out-file="$f" \
			'--toggle-collect=*round_robin*' "$b/perf/bench_inspect" \
			--benchmark_filter="^inspect/$fmt(/|\$)" >/dev/null 2>&1
		v[$side-parse]=$(per_call "$f" "${parse_fn[$fmt]}")
		v[$side-decide]=$(per_call "$f" insp_inspect)
	done
	ratio() { [[ $1 != - && $2 != - ]] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b / a}' || echo -; }
	printf '%-14s %14s %14s %7s %14s %14s %7s\n' "$fmt" "${v[before-parse]}" "${v[after-parse]}" \
		"$(ratio "${v[before-parse]}" "${v[after-parse]}")" "${v[before-decide]}" \
		"${v[after-decide]}" "$(ratio "${v[before-decide]}" "${v[after-decide]}")"
done
echo "(instructions per message, inclusive, callgrind; parse = the format module alone)"
