#!/usr/bin/env bash
# Hot reload under load (issue 11.2): dpdk-testpmd pushes generated traffic through guardd
# over net_memif without pause (net_pcap infinite_rx, io forwarding with retry) while
# guard-control reloads the policy RELOADS times (default 100), alternating two rulesets
# that decide some messages differently (B adds a prohibited term). Passes when:
#   - no packet is lost: every frame testpmd put on memif A was received by guardd, every
#     frame guardd received is in exactly one counter cell (received = released + dropped +
#     held), and every release came back to testpmd on memif B;
#   - every reload returned with every worker on the new generation, generations 2..N+1;
#   - no message was judged by a mix of generations: every audit record of a "marker"
#     (a payload A and B decide differently) carries its own generation's decision, and each
#     lcore's records never go back a generation (check_generations.py).
# Prints the swap time (publish -> every worker on the new generation) max and p99, the
# reload time as guardctl sees it, and the counts.
#
# Usage: reload-under-load.sh BUILD_DIR REPO_ROOT SCRATCH_DIR [RELOADS]
# Exit: 0 pass, 1 fail, 77 skip (no hugepages).
set -euo pipefail
(($# >= 3)) || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR [RELOADS]" >&2; exit 1; }
BUILD=$(realpath "$1") ROOT=$(realpath "$2") SCRATCH=$3 RELOADS=${4:-100}
# shellcheck source=tests/control/lib.sh
source "$ROOT/tests/control/lib.sh"
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found (apt-get install dpdk)"
cd "$SCRATCH"

# ---- traffic and the two rulesets ------------------------------------------------------
"$BUILD/tools/gen-traffic/gen-traffic" --out traffic.pcap --expect traffic.expect \
	--count 2000 --seed 7 --formats all >gen.log 2>&1 || { cat gen.log >&2; fail "gen-traffic"; }
# A: the sample policy with a record per release (so every marker decision is in the log)
sed 's/^  releases: summary$/  releases: record/' "$ROOT/rules/sample-policy.yaml" >A.yaml
grep -q '^  releases: record$' A.yaml || fail "could not switch the sample policy to releases: record"
# B: A, plus a prohibited term found in some callsigns of the generated traffic
awk '{ print } /^prohibited_terms:$/ { print "  - {id: 9901, literal: \"storm\"}" }' A.yaml >B.yaml
grep -q 'id: 9901' B.yaml || fail "could not add the marker term to B"
# rule files: the term files the sample policy names are relative to it
for f in "$ROOT"/rules/*; do [[ -e $(basename "$f") ]] || ln -s "$f" .; done
guardctl policy compile A.yaml -o A.rules >compile-A.log || fail "compile A: $(cat compile-A.log)"
guardctl policy compile B.yaml -o B.rules >compile-B.log || fail "compile B: $(cat compile-B.log)"
# what each policy decides for each frame, offline, for the generation check
guardctl check --policy A.rules --pcap traffic.pcap --json >A.decisions || true
guardctl check --policy B.rules --pcap traffic.pcap --json >B.decisions || true
[[ -s A.decisions && -s B.decisions ]] || fail "guardctl check gave no decisions"

# ---- testpmd: source (pcap, endless) -> memif A -> guardd -> memif B -> sink -------------
fifo=$RUN/testpmd.in
mkfifo "$fifo"
memif_opts="socket-abstract=no,bsize=9216" # one frame per buffer (tools/lib/memif-run.sh)
stdbuf -o0 -e0 dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --in-memory \
	--file-prefix "$PREFIX-tp" -m 256 \
	--vdev "net_pcap0,rx_pcap=$SCRATCH/traffic.pcap,infinite_rx=1" \
	--vdev "net_memif0,role=server,id=0,socket=$RUN/a.sock,$memif_opts" \
	--vdev "net_memif1,role=server,id=0,socket=$RUN/b.sock,$memif_opts" \
	--vdev "net_null0,no-rx=1" \
	-- -i --total-num-mbufs=16384 --mbuf-size=9344 --nb-cores=1 --no-flush-rx \
	<"$fifo" >testpmd.log 2>&1 &
tp_pid=$!
EXTRA_PIDS=$tp_pid
exec {tp_fd}>"$fifo"
prompts() { grep -o 'testpmd> ' testpmd.log 2>/dev/null | wc -l; }
tp_cmd() {
	local before t=0
	before=$(prompts)
	printf '%s\n' "$1" >&"$tp_fd" || fail "dpdk-testpmd is gone (sending '$1')"
	while (($(prompts) <= before)); do
		kill -0 "$tp_pid" 2>/dev/null || fail "dpdk-testpmd exited during '$1'"
		((t++ < 600)) || fail "dpdk-testpmd did not answer '$1' within 60 s"
		sleep 0.05
	done
}
tp_output() {
	awk -v cmd="testpmd> $1" 'index($0, cmd) == 1 { buf = ""; on = 1; next }
		on && /testpmd> / { on = 0 } on { buf = buf $0 "\n" } END { printf "%s", buf }' testpmd.log
}
wait_for "testpmd's prompt" 60 grep -q 'testpmd> ' testpmd.log
tp_cmd 'set fwd io retry'
tp_cmd 'set burst tx delay 1 retry 1000000'

start_guardd --vdev "net_memif0,role=client,id=0,socket=$RUN/a.sock,$memif_opts" \
	--vdev "net_memif1,role=client,id=0,socket=$RUN/b.sock,$memif_opts" \
	-- --ruleset A.rules --stats-file "$SCRATCH/guardd.stats"
start_control
links_up() {
	tp_cmd 'show port summary all'
	tp_output 'show port summary all' | awk '$1 == 1 || $1 == 2 { if ($5 == "up") up++ } END { exit up != 2 }'
}
wait_for "both memif links" 30 links_up
tp_cmd 'start'
sleep 1

# ---- the reloads -----------------------------------------------------------------------
: >swaps.txt
: >reload-ms.txt
: >grace.txt
for i in $(seq "$RELOADS"); do
	img=B.rules
	((i % 2 == 0)) && img=A.rules
	t0=$(date +%s%N)
	out=$(guardctl policy load "$SCRATCH/$img" --socket "$SOCK" 2>&1) ||
		fail "reload $i ($img) failed: $out"
	echo $((($(date +%s%N) - t0) / 1000000)) >>reload-ms.txt
	want=$((i + 1))
	[[ $out == "generation $want runs on every worker"* ]] ||
		fail "reload $i: want 'generation $want runs on every worker', got: $out"
	sed -n 's/.*swapped in \([0-9]*\) us.*/\1/p' <<<"$out" >>swaps.txt
	sed -n 's/.*old one freed after \([0-9]*\) us.*/\1/p' <<<"$out" >>grace.txt
	kill -0 "$tp_pid" 2>/dev/null || fail "dpdk-testpmd died during reload $i"
done
ok "$RELOADS reloads, each returned with every worker on the new generation"
gen_now=$(guardctl status --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ruleset"]["generation"])')
[[ $gen_now == $((RELOADS + 1)) ]] || fail "status says generation $gen_now, want $((RELOADS + 1))"
sleep 0.5

# ---- stop the source, drain, count ------------------------------------------------------
tp_cmd 'stop'
gd_rx() { guardctl stats --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["received"])'; }
last=-1
for _ in $(seq 100); do
	now=$(gd_rx)
	[[ $now == "$last" ]] && break
	last=$now
	sleep 0.2
done
# what guardd released after 'stop' waits in memif B: forward ports 2 and 3 only to drain it
tp_cmd 'set portlist 2,3'
tp_cmd 'start'
sleep 1
tp_cmd 'stop'
tp_cmd 'show port stats all'
nic=$(tp_output 'show port stats all')
nic_stat() { # PORT FIELD
	awk -v p="$1" -v f="$2:" '/NIC statistics for port/ { on = ($0 ~ "port " p " ") }
		on { for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }' <<<"$nic"
}
to_guard=$(nic_stat 1 TX-packets)
to_guard_err=$(nic_stat 1 TX-errors)
back=$(nic_stat 2 RX-packets)
[[ -n $to_guard && -n $back ]] || fail "could not read testpmd's port statistics"
stop_guardd
wait "$GC_PID" 2>/dev/null || true # guard-control leaves with guardd (status 3)
GC_PID=''

rx=$(awk '$1 == "total" && $2 == "rx" { print $3 }' guardd.stats)
tx=$(awk '$1 == "total" && $2 == "tx" { print $3 }' guardd.stats)
cells=$(awk '$1 != "total" && $1 !~ /^#/ { s += $3 } END { print s + 0 }' guardd.stats)
unavail=$(awk '$2 == "audit_unavailable" { s += $3 } END { print s + 0 }' guardd.stats)
port0_rx=$(sed -n 's/^port 0: rx \([0-9]*\) .*/\1/p' guardd.log)
printf 'testpmd -> guardd %s (TX-errors %s); guardd ethdev rx %s, counted rx %s, in counter cells %s; released %s, back at testpmd %s; audit_unavailable %s\n' \
	"$to_guard" "$to_guard_err" "$port0_rx" "$rx" "$cells" "$tx" "$back" "$unavail"
((to_guard > 0)) || fail "no traffic reached guardd"
((to_guard_err == 0)) || fail "testpmd could not put $to_guard_err frames on memif A"
((port0_rx == to_guard)) || fail "testpmd sent $to_guard frames, guardd's port received $port0_rx"
((rx == port0_rx)) || fail "guardd's port received $port0_rx frames, its counters say $rx"
((cells == rx)) || fail "guardd received $rx frames but its counter cells hold $cells"
((back == tx)) || fail "guardd released $tx frames, testpmd received $back back"
ok "no packet lost: $rx received = $tx released + $((cells - tx)) dropped or held; all $tx came back"

# the log may have rotated (256 MiB): the chain runs through the files, oldest first
shopt -s nullglob
logs=("$AUDIT".*) # rotated files, named by their UTC time: the glob's order is the chain's
shopt -u nullglob
logs+=("$AUDIT")
"$GUARDCTL" audit verify "${logs[@]}" || fail "the audit chain does not verify"
python3 "$ROOT/tests/control/check_generations.py" traffic.pcap A.decisions B.decisions "${logs[@]}" ||
	fail "decisions do not follow their generations"
ok "every marker decision matches its generation's policy"

sort -n swaps.txt | awk '{ v[NR] = $1 } END {
	p99 = v[int(NR * 0.99 + 0.999)]; if (p99 == "") p99 = v[NR]
	printf "swap (publish -> every worker on it) over %d reloads: median %d us, p99 %d us, max %d us\n",
		NR, v[int((NR + 1) / 2)], p99, v[NR] }'
sort -n grace.txt | awk '{ v[NR] = $1 } END {
	printf "grace period (publish -> old generation freed): median %d us, max %d us\n", v[int((NR + 1) / 2)], v[NR] }'
sort -n reload-ms.txt | awk '{ v[NR] = $1 } END {
	printf "reload as guardctl sees it (image): median %d ms, max %d ms\n", v[int((NR + 1) / 2)], v[NR] }'
