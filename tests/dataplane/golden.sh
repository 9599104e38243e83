#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Golden runs of guardd: replay gen-traffic pcaps (CoT only, then --formats all) through
# two net_pcap ports and let check_golden compare the output and the counters with
# gen-traffic's sidecar.
#   golden.sh GUARDD GEN_TRAFFIC CHECK_GOLDEN REPO_ROOT SCRATCH_DIR
# Port 0 (high side) replays in.pcap; port 1 (low side) receives nothing and writes what
# guardd releases to out.pcap. --no-pci and --no-huge: never touches the machine's NICs
# and needs no hugepages.
set -eu

if [ $# -ne 5 ]; then
	echo "usage: $0 GUARDD GEN_TRAFFIC CHECK_GOLDEN REPO_ROOT SCRATCH_DIR" >&2
	exit 2
fi
# meson passes paths relative to the build directory; the run happens in $dir.
guardd=$(realpath "$1")
gen=$(realpath "$2")
check=$(realpath "$3")
root=$(realpath "$4")
dir=$(realpath -m "$5")
prefix=guard-golden-$$
policy=$root/rules/sample-policy.yaml

cleanup() {
	rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"
}
trap cleanup EXIT

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# guardd runs compiled rulesets: compile the sample policy as an operator would
"$root/tools/lib/compile-ruleset.sh" "$guardd" "$policy" sample.rules || exit 1

# An empty capture (global header only, Ethernet) for the low-side port's rx.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' \
	>empty.pcap

# golden NAME GEN_ARGS...: generate NAME.pcap/NAME.expect, replay it through guardd and
# compare everything (released payloads and headers, every channel/reason counter).
golden() {
	name=$1
	shift
	"$gen" --out "$name.pcap" --expect "$name.expect" "$@"
	rm -f "$name-out.pcap" "$name-drop0.pcap" "$name-stats.txt"
	status=0
	timeout 120 "$guardd" --no-pci --no-huge -m 512 --file-prefix "$prefix" \
		--vdev "net_pcap0,rx_pcap=$name.pcap,tx_pcap=$name-drop0.pcap" \
		--vdev "net_pcap1,rx_pcap=empty.pcap,tx_pcap=$name-out.pcap" \
		-l 0,1 --log-level=lib.eal:warning \
		-- --ruleset sample.rules --idle-exit 2 --stats-file "$name-stats.txt" \
		>"$name-guardd.log" 2>&1 || status=$?
	if [ "$status" -ne 0 ]; then
		echo "golden ($name): guardd exited with status $status; its output:" >&2
		cat "$name-guardd.log" >&2
		exit 1
	fi
	cat "$name-guardd.log"
	echo "golden ($name): check_golden"
	"$check" "$name.pcap" "$name.expect" "$name-out.pcap" "$name-stats.txt" "$policy"
	outcomes "$name"
	cleanup
}

# outcomes NAME: guardd's summary line gives the three outcomes as guardctl does (issue 9):
# released, dropped, and held for review (reason review), each as the sidecar counts them.
outcomes() {
	want=$(awk '!/^#/ { n++; if ($3 == "release") r++; else if ($3 == "review") h++; else d++ }
		END { printf "received %d  released %d  dropped %d  held for review %d", n, r, d, h }' \
		"$1.expect")
	got=$(grep -o 'received [0-9]*  released [0-9]*  dropped [0-9]*  held for review [0-9]*' \
		"$1-guardd.log" | tail -n 1)
	if [ "$got" != "$want" ]; then
		echo "golden ($1): guardd's outcomes '$got', the sidecar's '$want'" >&2
		exit 1
	fi
	echo "golden ($1): outcomes as the sidecar: $got"
}

# CoT only (the default mix), then every format: CoT, TAK mesh and stream, labelled XML
# and ADatP-3 on their channels, each with every reason it can produce.
golden in --count 600 --seed 7
golden all --count 2000 --seed 7 --formats all --drop-share 0.5
