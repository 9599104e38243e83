#!/usr/bin/env bash
# gen-objects' frames and faults through the reassembly table (reasm-pcap): a clean object
# comes back byte for byte, and each fault gets the reason it is meant to provoke.
# Arguments: GEN_OBJECTS REASM_PCAP SCRATCH_DIR GUARDCTL SAMPLE_POLICY
set -euo pipefail

gen=$1 reasm=$2 dir=$3 guardctl=$4 policy=$5
rm -rf "$dir"
mkdir -p "$dir"
n=0 failed=0

check() { # description, then a command whose success is the test
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=$((failed + 1))
	fi
}

# outcome lines of a pcap, sorted (interleaved objects complete in either order)
run() { "$reasm" "$@" | sort; }
crc() { python3 -c 'import sys, zlib; print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))' "$1"; }

head -c 10000 /dev/urandom >"$dir/a.pdf"
head -c 3001 /dev/urandom >"$dir/b.png"
a_crc=$(crc "$dir/a.pdf")
b_crc=$(crc "$dir/b.png")

"$gen" --out "$dir/clean.pcap" --file "$dir/a.pdf" --id 0x10 >/dev/null
check "clean: complete, same bytes" \
	test "$(run "$dir/clean.pcap")" = "complete 0x0000000000000010 10000 $a_crc"

"$gen" --out "$dir/rev.pcap" --file "$dir/a.pdf" --reverse --chunk 100 >/dev/null
check "reverse, 100 chunks: complete" \
	test "$(run "$dir/rev.pcap")" = "complete 0x0000000000000001 10000 $a_crc"

"$gen" --out "$dir/il.pcap" --file "$dir/a.pdf" --id 5 --interleave-with "$dir/b.png" >/dev/null
check "interleaved: both complete" test "$(run "$dir/il.pcap")" = \
	"complete 0x0000000000000005 10000 $a_crc
complete 0x0000000000000006 3001 $b_crc"

"$gen" --out "$dir/app.pcap" --file "$dir/a.pdf" --id 1 >/dev/null
"$gen" --out "$dir/app.pcap" --append --file "$dir/b.png" --id 2 >/dev/null
check "append: two objects in one pcap" test "$(run "$dir/app.pcap")" = \
	"complete 0x0000000000000001 10000 $a_crc
complete 0x0000000000000002 3001 $b_crc"

"$gen" --out "$dir/rep.pcap" --file "$dir/b.png" --id 100 --repeat 50 >/dev/null
check "repeat 50: 50 objects" test "$(run "$dir/rep.pcap" | grep -c "^complete .* 3001 $b_crc$")" = 50

"$gen" --out "$dir/drop.pcap" --file "$dir/a.pdf" --drop-chunk 2 --drop-chunk 7 >/dev/null
check "drop: obj_incomplete naming the missing chunks" grep -q \
	"^refused 0x0000000000000001 obj_incomplete .*: 2 of 10 chunks missing after .* ms: 2,7$" \
	<(run "$dir/drop.pcap")

"$gen" --out "$dir/dup.pcap" --file "$dir/a.pdf" --dup-chunk 4 >/dev/null
check "dup: obj_duplicate, the rest dropped" test "$(run "$dir/dup.pcap" | cut -d' ' -f1-3 | uniq -c | tr -s ' ')" = \
	" 5 dropped 0x0000000000000001 obj_duplicate
 1 refused 0x0000000000000001 obj_duplicate"

"$gen" --out "$dir/ovl.pcap" --file "$dir/a.pdf" --overlap 3 >/dev/null
check "overlap: obj_overlap" grep -q \
	"^refused 0x0000000000000001 obj_overlap chunk 3 of object 0x0000000000000001: bytes 3056..4079 overlap bytes 3056..3071 received before$" \
	<(run "$dir/ovl.pcap")

"$gen" --out "$dir/mis.pcap" --file "$dir/a.pdf" --mismatch 5 >/dev/null
check "mismatch: obj_mismatch" grep -q "^refused 0x0000000000000001 obj_mismatch chunk 5 .*label" \
	<(run "$dir/mis.pcap")

"$gen" --out "$dir/big.pcap" --file "$dir/a.pdf" --total-lie 20000 >/dev/null
check "total lie above: obj_incomplete (bytes in no chunk)" grep -q \
	"^refused 0x0000000000000001 obj_incomplete .*all 10 chunks arrived but cover 10000 of 20000 bytes: bytes 10000..19999 are in none$" \
	<(run "$dir/big.pcap")

"$gen" --out "$dir/small.pcap" --file "$dir/a.pdf" --total-lie 5000 >/dev/null
check "total lie below: the chunks past it are malformed" \
	test "$(run "$dir/small.pcap" | grep -c '^malformed object chunk')" -ge 5

check "oversize: obj_oversize, then dropped" test "$(run "$dir/clean.pcap" 9999 | cut -d' ' -f1,3 | uniq -c | tr -s ' ')" = \
	" 9 dropped obj_oversize
 1 refused obj_oversize"

check "--overlap 0 is refused" bash -c "! '$gen' --out '$dir/x.pcap' --file '$dir/a.pdf' --overlap 0 2>/dev/null"
check "a fault past the last chunk is refused" bash -c "! '$gen' --out '$dir/x.pcap' --file '$dir/a.pdf' --drop-chunk 10 2>/dev/null"

# the defaults are the sample deployment's object channel, by the guard's own classifier
frames=$("$guardctl" check --policy "$policy" --pcap "$dir/clean.pcap" --json | grep -c '"type":"frame"' || true)
on_channel=$("$guardctl" check --policy "$policy" --pcap "$dir/clean.pcap" --json |
	grep -c '"type":"frame".*"channel":"objects_out"' || true)
check "default addresses: all $frames frames on objects_out" test "$frames" -eq 10 -a "$on_channel" -eq 10

echo "1..$n"
[[ $failed -eq 0 ]]
