#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Golden run of guardd: replay a gen-traffic pcap through two net_pcap ports and let
# check_golden compare out.pcap and the counters with gen-traffic's sidecar.
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

"$gen" --out in.pcap --expect in.expect --count 600 --seed 7

# An empty capture (global header only, Ethernet) for the low-side port's rx.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' \
	>empty.pcap

status=0
timeout 120 "$guardd" --no-pci --no-huge -m 512 --file-prefix "$prefix" \
	--vdev "net_pcap0,rx_pcap=in.pcap,tx_pcap=drop0.pcap" \
	--vdev "net_pcap1,rx_pcap=empty.pcap,tx_pcap=out.pcap" \
	-l 0,1 --log-level=lib.eal:warning \
	-- --policy "$policy" --idle-exit 2 --stats-file stats.txt >guardd.log 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	echo "golden: guardd exited with status $status; its output:" >&2
	cat guardd.log >&2
	exit 1
fi
cat guardd.log

"$check" in.pcap in.expect out.pcap stats.txt "$policy"
