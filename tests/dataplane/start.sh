#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# guardd's start and exit as an operator meets them (issue 9):
#  1. a --vdev that fails to start (a missing pcap) stops guardd with a message naming the
#     device, not a policy port "that does not exist";
#  2. a clean exit (--idle-exit) and an exit through an error both leave no hugepage files
#     and no runtime directory behind (needs free hugepages; skipped without them);
#  3. (run before 2, which needs hugepages) a policy where a ruleset belongs, a corrupted,
#     a truncated and a missing image stop guardd with the status and message of
#     docs/operator.md: 2 and "IMAGE: why" for an image, "compile first" for --policy.
#   start.sh GUARDD GEN_TRAFFIC REPO_ROOT SCRATCH_DIR
set -eu

if [ $# -ne 4 ]; then
	echo "usage: $0 GUARDD GEN_TRAFFIC REPO_ROOT SCRATCH_DIR" >&2
	exit 2
fi
guardd=$(realpath "$1")
gen=$(realpath "$2")
policy=$(realpath "$3")/rules/sample-policy.yaml
dir=$(realpath -m "$4")
prefix=guard-start-$$
fail=0

leftovers() {
	n=$(find /dev/hugepages -maxdepth 1 -name "${prefix}*map_*" 2>/dev/null | wc -l)
	[ -d "/var/run/dpdk/$prefix" ] && n=$((n + 1))
	echo "$n"
}
cleanup() {
	rm -f /dev/hugepages/"${prefix}"*map_* 2>/dev/null || true
	rm -rf "/var/run/dpdk/$prefix"
}
trap cleanup EXIT
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# a pcap with no packet (the global header only), for a port that must receive nothing
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' \
	>empty50.pcap
"$(dirname "$policy")/../tools/lib/compile-ruleset.sh" "$guardd" "$policy" sample.rules || exit 1

# 1. a device that does not start is named as the cause
status=0
"$guardd" --no-pci --no-huge -m 256 --file-prefix "$prefix" -l 0,1 \
	--vdev net_pcap0,rx_pcap=missing.pcap --vdev net_null1,no-rx=1 \
	-- --ruleset sample.rules >missing.log 2>&1 || status=$?
if [ "$status" -eq 0 ] || ! grep -q "device net_pcap0 did not start (--vdev net_pcap0,rx_pcap=missing.pcap)" missing.log; then
	echo "FAIL: a missing pcap: status $status, and the device is not named:" >&2
	cat missing.log >&2
	fail=1
elif grep -q "does not exist" missing.log; then
	echo "FAIL: a missing pcap is blamed on the policy:" >&2
	cat missing.log >&2
	fail=1
else
	echo "ok: a missing pcap stops guardd naming net_pcap0 (status $status)"
fi
[ "$(leftovers)" -eq 0 ] || { echo "FAIL: the runtime directory is left after --no-huge" >&2; fail=1; }

# 3. images guardd refuses, with the EAL arguments of 1 (no hugepages needed)
"$gen" --out few.pcap --expect few.expect --count 20 >few.gen 2>&1 || { cat few.gen >&2; exit 1; }
size=$(stat -c %s sample.rules)
cp sample.rules flip.rules
# one byte in the middle, complemented
mid=$((size / 2))
old=$(od -An -tu1 -j "$mid" -N1 sample.rules | tr -d ' ')
# shellcheck disable=SC2059 # the format is the octal escape of the new byte
printf "\\$(printf %03o $((255 - old)))" | dd of=flip.rules bs=1 seek="$mid" conv=notrunc status=none
head -c $((size / 2)) sample.rules >trunc.rules
# refused NAME WANT_STATUS TEXT GUARDD_ARGS...: guardd exits with WANT_STATUS ("nonzero":
# anything but 0) within 60 s, its output holds TEXT, and nothing is left behind
refused() {
	name=$1
	want=$2
	text=$3
	shift 3
	status=0
	timeout 60 "$guardd" --no-pci --no-huge -m 256 --file-prefix "$prefix" -l 0,1 \
		--vdev net_pcap0,rx_pcap=few.pcap --vdev net_null1,no-rx=1 \
		-- "$@" >"$name.log" 2>&1 || status=$?
	if [ "$status" -eq 124 ]; then
		echo "FAIL: $name: guardd did not exit within 60 s" >&2
		fail=1
	elif [ "$status" -eq 0 ] || { [ "$want" != nonzero ] && [ "$status" -ne "$want" ]; }; then
		echo "FAIL: $name: exit status $status, want $want:" >&2
		cat "$name.log" >&2
		fail=1
	elif ! grep -qF -- "$text" "$name.log"; then
		echo "FAIL: $name: '$text' not in the output (status $status):" >&2
		cat "$name.log" >&2
		fail=1
	else
		echo "ok: $name: status $status, '$text'"
	fi
	[ "$(leftovers)" -eq 0 ] || { echo "FAIL: $name: the runtime directory is left" >&2; fail=1; }
}
refused policy nonzero "'guardctl policy compile $policy -o IMAGE', then --ruleset IMAGE" \
	--policy "$policy"
refused policy-as-ruleset 2 "$policy: not a ruleset image" --ruleset "$policy"
refused corrupted 2 "flip.rules: corrupted: its SHA-256 does not match the one in its header" \
	--ruleset flip.rules
refused truncated 2 "trunc.rules: truncated: $((size / 2)) bytes, the header says $size" \
	--ruleset trunc.rules
refused missing 2 "no-such.rules: cannot read the ruleset image: No such file or directory" \
	--ruleset no-such.rules

# 4. without a ruleset guardd runs and fails closed: every packet is counted '- no_policy'
# (received = dropped), nothing is sent
"$gen" --out few50.pcap --expect few50.expect --count 50 >/dev/null
status=0
timeout 60 "$guardd" --no-pci --no-huge -m 512 --file-prefix "$prefix" -l 0,1 \
	--vdev net_pcap0,rx_pcap=few50.pcap,tx_pcap=none-out0.pcap \
	--vdev net_pcap1,rx_pcap=empty50.pcap,tx_pcap=none-out1.pcap \
	-- --idle-exit 1 --stats-file none.stats >none.log 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	echo "FAIL: no-ruleset: guardd exited with $status:" >&2
	cat none.log >&2
	fail=1
elif ! grep -qx -- "- no_policy 50" none.stats || ! grep -qx "total tx 0" none.stats ||
	! grep -q "no --ruleset: every packet is dropped as no_policy" none.log; then
	echo "FAIL: no-ruleset: want '- no_policy 50', 'total tx 0' and a warning:" >&2
	cat none.stats none.log >&2
	fail=1
else
	echo "ok: no-ruleset: guardd starts, warns and drops all 50 packets as no_policy"
fi

# 2. no hugepage files or runtime directory after a clean exit or an error exit
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
if ! mountpoint -q /dev/hugepages || [ "$free" -lt 128 ]; then
	echo "skip: no free hugepages (hugetlbfs at /dev/hugepages, $free free): exit checks not run"
	exit "$fail"
fi
"$gen" --out in.pcap --expect in.expect --count 50 >/dev/null
status=0
timeout 60 "$guardd" --no-pci -m 256 --file-prefix "$prefix" -l 0,1 \
	--vdev net_pcap0,rx_pcap=in.pcap --vdev net_null1,no-rx=1 \
	-- --ruleset sample.rules --idle-exit 1 >clean.log 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	echo "FAIL: guardd on in.pcap exited with $status:" >&2
	cat clean.log >&2
	fail=1
elif [ "$(leftovers)" -ne 0 ]; then
	echo "FAIL: a clean exit left $(leftovers) hugepage files or the runtime directory" >&2
	fail=1
else
	echo "ok: a clean exit leaves no hugepage file and no runtime directory"
fi
status=0
"$guardd" --no-pci -m 256 --file-prefix "$prefix" -l 0,1 \
	--vdev net_pcap0,rx_pcap=missing.pcap -- --ruleset sample.rules >error.log 2>&1 || status=$?
if [ "$status" -eq 0 ] || [ "$(leftovers)" -ne 0 ]; then
	echo "FAIL: an error exit (status $status) left $(leftovers) files" >&2
	fail=1
else
	echo "ok: an error exit leaves no hugepage file and no runtime directory"
fi
exit "$fail"
