#!/usr/bin/env bash
# End-to-end test: dpdk-testpmd replays a generated pcap into guardd over net_memif and
# receives the released frames back on a second memif (tools/lib/memif-run.sh, the same
# topology as tools/demo). Passes when guardd's counters equal the generator's sidecar per
# (channel, reason), testpmd dropped nothing, and testpmd received back exactly the
# released count.
#
# Usage: memif.sh GUARDD GEN_TRAFFIC REPO_ROOT SCRATCH_DIR [COUNT]
# Exit: 0 pass, 1 fail, 77 skip (only when hugepages cannot be set up, e.g. not root).
set -euo pipefail

(($# >= 4)) || { echo "usage: $0 GUARDD GEN_TRAFFIC REPO_ROOT SCRATCH_DIR [COUNT]" >&2; exit 1; }
guardd=$1 gen=$2 root=$3 scratch=$4 count=${5:-3000}

# shellcheck source=tools/lib/common.sh
source "$root/tools/lib/common.sh"

if ! setup_hugepages "$GUARD_HUGEPAGES"; then
	echo "SKIP: 2 MiB hugepages could not be reserved or mounted (needs root)" >&2
	exit 77
fi
free=$(hugepages_free)
((free >= 256)) || die "only $free free 2 MiB hugepages; testpmd and guardd need 256 (another DPDK process running?)"

[[ -x $guardd ]] || die "guardd '$guardd' is not an executable"
[[ -x $gen ]] || die "gen-traffic '$gen' is not an executable"

rm -rf "$scratch"
mkdir -p "$scratch"
if ! "$gen" --out "$scratch/traffic.pcap" --expect "$scratch/traffic.expect" \
	--count "$count" --seed 7 --formats all >"$scratch/gen-traffic.log" 2>&1; then
	cat "$scratch/gen-traffic.log" >&2
	die "gen-traffic failed; log: $scratch/gen-traffic.log"
fi

"$root/tools/lib/compile-ruleset.sh" "$guardd" "$root/rules/sample-policy.yaml" "$scratch/sample.rules" ||
	exit 1
exec "$root/tools/lib/memif-run.sh" --guardd "$guardd" --ruleset "$scratch/sample.rules" \
	--pcap "$scratch/traffic.pcap" --expect "$scratch/traffic.expect" --workdir "$scratch" \
	--idle-exit 1 --timeout 120 --label "e2e memif: $count frames, seed 7"
