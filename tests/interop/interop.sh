#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Interop suite (tests/interop/README.md): real TAK client code (@tak-ps/node-cot) builds
# CoT XML and TAK protobuf (mesh and stream framing) messages, a real UDP socket in one network namespace sends
# them through guardd (DPDK net_af_packet on veth pairs) to a real UDP socket in another
# namespace, and tak-client.mjs checks guardd's counters, which messages arrived, and that
# each arrival parses in node-cot with the uid, type, point and label that were sent.
#
#   gi-snd-PID                    gi-grd-PID (guardd)                      gi-rcv-PID
#   snd0 10.77.1.1  <--veth-->  grd0 = port 0 (high) | port 1 = grd1  <--veth-->  rcv0 10.77.2.2
#   02:67:69:00:01:01           02:67:69:00:01:02      02:67:69:00:02:01         02:67:69:00:02:02
#
# Usage: interop.sh GUARDD NPM_DIR REPO_ROOT SCRATCH_DIR
#   NPM_DIR: npm prefix holding node_modules/@tak-ps/node-cot (tools/test installs it there:
#   ensure_node_cot in tools/lib/common.sh). The environment variable GUARD_NPM_DIR, if
#   set, replaces it.
# Exit: 0 pass, 1 fail, 77 skip (only when hugepages cannot be had, like the other DPDK
# tests). A missing node or node-cot is a failure, not a skip.
set -euo pipefail

(($# == 4)) || { echo "usage: $0 GUARDD NPM_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 1; }
guardd=$(realpath "$1") npm_dir=$(realpath -m "${GUARD_NPM_DIR:-$2}") root=$(realpath "$3") scratch=$(realpath -m "$4")
here=$root/tests/interop
policy=$here/interop-policy.yaml
client=$here/tak-client.mjs

# shellcheck source=tools/lib/common.sh
source "$root/tools/lib/common.sh"

if ! setup_hugepages "$GUARD_HUGEPAGES"; then
	echo "SKIP: 2 MiB hugepages could not be reserved or mounted (needs root)" >&2
	exit 77
fi
need_root
free=$(hugepages_free)
((free >= 128)) || die "only $free free 2 MiB hugepages; guardd needs 128 (another DPDK process running?)"
[[ -x $guardd ]] || die "guardd '$guardd' is not an executable"
command -v node >/dev/null || die "node (Node.js) not found: apt-get install nodejs npm, or run tools/test"
[[ -f $npm_dir/node_modules/@tak-ps/node-cot/package.json ]] ||
	die "@tak-ps/node-cot is not installed in $npm_dir: run tools/test (ensure_node_cot in tools/lib/common.sh)"
for c in ip ethtool timeout; do command -v "$c" >/dev/null || die "$c not found (iproute2, ethtool, coreutils)"; done

id=$$
ns_snd=gi-snd-$id ns_grd=gi-grd-$id ns_rcv=gi-rcv-$id
prefix=guard-interop-$id
gd_pid='' rx_pid=''
cleanup() {
	local pid
	for pid in $gd_pid $rx_pid; do kill -INT "$pid" 2>/dev/null || true; done
	for pid in $gd_pid $rx_pid; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	# Deleting a namespace deletes the veth ends in it, and with them their peers.
	for ns in "$ns_snd" "$ns_grd" "$ns_rcv"; do ip netns delete "$ns" 2>/dev/null || true; done
	rm -rf /dev/hugepages/"$prefix"* /var/run/dpdk/"$prefix"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch"
"$root/tools/lib/compile-ruleset.sh" "$guardd" "$policy" interop.rules || exit 1

# ---- messages (built before the clock matters: they are valid for 10 minutes) ----------
node "$client" build --npm "$npm_dir" --out msgs.json --tak

# ---- topology: three namespaces, two veth pairs, fixed MACs (the policy names them) -----
ip netns add "$ns_snd"
ip netns add "$ns_grd"
ip netns add "$ns_rcv"
for ns in "$ns_snd" "$ns_grd" "$ns_rcv"; do
	# No IPv6: router solicitations and MLD reports would only be noise on the guard's ports.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
done
ip -n "$ns_snd" link add snd0 type veth peer name grd0 netns "$ns_grd"
ip -n "$ns_grd" link add grd1 type veth peer name rcv0 netns "$ns_rcv"
ip -n "$ns_snd" link set snd0 address 02:67:69:00:01:01
ip -n "$ns_grd" link set grd0 address 02:67:69:00:01:02
ip -n "$ns_grd" link set grd1 address 02:67:69:00:02:01
ip -n "$ns_rcv" link set rcv0 address 02:67:69:00:02:02
ip -n "$ns_snd" addr add 10.77.1.1/24 dev snd0
ip -n "$ns_rcv" addr add 10.77.2.2/24 dev rcv0
for l in "$ns_snd snd0" "$ns_grd grd0" "$ns_grd grd1" "$ns_rcv rcv0"; do
	# shellcheck disable=SC2086 # two words on purpose
	set -- $l
	ip -n "$1" link set "$2" up
done
# The guard answers no ARP: the sender knows its next hop (the guard's high-side address).
ip -n "$ns_snd" neigh replace 10.77.1.2 lladdr 02:67:69:00:01:02 dev snd0 nud permanent
# veths leave the UDP checksum to an offload that never happens on the wire; the guard
# would (rightly) drop such datagrams as l2l4_bad_checksum.
ip netns exec "$ns_snd" ethtool -K snd0 tx off >/dev/null

# ---- receiver (low side) ------------------------------------------------------------------
ip netns exec "$ns_rcv" node "$client" receive --bind 10.77.2.2 --ports 6969,6970,6971 \
	--out recv.jsonl --ready rx.ready >receiver.log 2>&1 &
rx_pid=$!

# ---- guardd: port 0 = grd0 (high side), port 1 = grd1; worker on core 1, main on core 0 --
ip netns exec "$ns_grd" "$guardd" -l 0,1 --no-pci --in-memory --file-prefix "$prefix" -m 256 \
	--vdev "net_af_packet0,iface=grd0" --vdev "net_af_packet1,iface=grd1" \
	--log-level=lib.eal:warning \
	-- --ruleset interop.rules --stats-file guardd.stats </dev/null >guardd.log 2>&1 &
gd_pid=$!

for _ in $(seq 150); do
	[[ -f rx.ready ]] && grep -q ' channels, ' guardd.log && break
	kill -0 "$gd_pid" 2>/dev/null || { cat guardd.log >&2; die "guardd exited during start-up (log above)"; }
	kill -0 "$rx_pid" 2>/dev/null || { cat receiver.log >&2; die "the receiver exited (log above)"; }
	sleep 0.1
done
[[ -f rx.ready ]] || { cat receiver.log >&2; die "the receiver did not bind its sockets in 15 s"; }
grep -q ' channels, ' guardd.log || { cat guardd.log >&2; die "guardd did not start in 15 s"; }
sleep 0.5 # the workers are launched right after that line

# ---- send, then wait for the released messages (and a little more for strays) ------------
ip netns exec "$ns_snd" node "$client" send --msgs msgs.json --to 10.77.1.2 --from 10.77.1.1
want=$(node -e 'const m=JSON.parse(require("fs").readFileSync("msgs.json","utf8")).msgs;
	console.log(m.filter((x)=>x.expect==="release").length)')
for _ in $(seq 100); do
	(($(wc -l <recv.jsonl) >= want)) && break
	sleep 0.1
done
sleep 1

kill -INT "$gd_pid"
status=0
timeout 20 tail --pid="$gd_pid" -f /dev/null || true
wait "$gd_pid" || status=$?
gd_pid=''
kill -TERM "$rx_pid" 2>/dev/null || true
wait "$rx_pid" 2>/dev/null || true
rx_pid=''
if ((status != 0)); then
	cat guardd.log >&2
	die "guardd exited with status $status (log above)"
fi
[[ -f guardd.stats ]] || { cat guardd.log >&2; die "guardd wrote no --stats-file"; }
sed -n '/channel .*reason/,$p' guardd.log

# ---- verdict --------------------------------------------------------------------------------
node "$client" verify --npm "$npm_dir" --msgs msgs.json --recv recv.jsonl --stats guardd.stats
