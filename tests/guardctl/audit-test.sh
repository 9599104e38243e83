#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The audit log from guardctl's side (docs/guardctl.md "audit"): one CASE per meson test.
#   audit-test.sh CASE GUARDCTL AUDIT_GEN REPO_ROOT SCRATCH_DIR
# AUDIT_GEN writes a valid chain with the library guard-control writes with (audit_gen.c):
# 50 records of each type, 200 lines. CASE is one of:
#   verify  the chain intact (text, --head, --json); then, each on a copy: a field of a
#           middle line modified, the last line modified (seen only with --head), a middle
#           line, three lines, the first line and the last line removed, a line duplicated,
#           two lines swapped, a line moved up, a middle line cut short, the file cut
#           mid-line, --after right and wrong: exit 1 and the right FILE:LINE and words
#   files   a rotated pair in order (intact) and in the wrong order, a missing or modified
#           line at the seam, --after with the first file's head; a CRLF line, a 100 KB
#           line, an empty file (with and without --head), a FIFO, a directory and a
#           missing file (exit 2 at once, never a hang); a 40,000-line log verified in
#           bounded memory; audit_gen --append after a cut write (au_chain_resume)
#   tail    -n 5 gives the last 5 seqs; the default is 20; --json is the last lines byte for
#           byte; an incomplete last line is not shown; hostile lines (unterminated string,
#           nesting 30,000 deep, NUL and ESC bytes, invalid UTF-8, a 100 KB line, lone
#           surrogates, duplicate keys) are rows that say why, never a crash, and no raw
#           control byte reaches the terminal; tail of a 100 GB sparse file returns at once
#   usage   usage errors exit 2 with a message; help; every option of `guardctl help
#           audit` is described in guardctl(8) and docs/guardctl.md
# Every command runs under `timeout` (a hang is a failure of its own); every check runs; the
# test fails at the end if any failed, listing them.
set -u

if [ $# -ne 5 ]; then
	echo "usage: $0 CASE GUARDCTL AUDIT_GEN REPO_ROOT SCRATCH_DIR" >&2
	exit 2
fi
case=$1
# meson passes paths relative to the build directory; the run happens in $dir.
gc=$(realpath "$2")
gen=$(realpath "$3")
root=$(realpath "$4")
dir=$(realpath -m "$5")/audit-$case
# seconds before a command counts as hung
TMO=20
failures=0
. "$(dirname "$0")/checks.sh"

rm -rf "$dir"
mkdir -p "$dir" || exit 1
cd "$dir" || exit 1

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# run NAME WANT_STATUS CMD...: run under timeout $TMO with stdout in NAME.out and stderr in
# NAME.err; NAME.ms is the wall time, NAME.rss the peak RSS in KiB (with /usr/bin/time)
run() {
	name=$1
	want=$2
	shift 2
	t0=$(now_ms)
	if [ -x /usr/bin/time ]; then
		timeout "$TMO" /usr/bin/time -q -f %M -o "$name.rss" "$@" >"$name.out" 2>"$name.err"
	else
		timeout "$TMO" "$@" >"$name.out" 2>"$name.err"
	fi
	got=$?
	echo $(($(now_ms) - t0)) >"$name.ms"
	if [ "$got" -eq 124 ]; then
		fail "$name: hung, killed after $TMO s ($*)"
		return 1
	fi
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit status $got, want $want ($*)"
		sed 's/^/    stdout: /' "$name.out" | head -5 >&2
		sed 's/^/    stderr: /' "$name.err" | head -20 >&2
		return 1
	fi
	ok "$name: exit $got"
	return 0
}

# timed NAME WANT_STATUS MAX_MS CMD...: run, and no slower than MAX_MS milliseconds
timed() {
	tname=$1
	twant=$2
	tmax=$3
	shift 3
	run "$tname" "$twant" "$@"
	ms=$(cat "$tname.ms")
	if [ "$ms" -gt "$tmax" ]; then
		fail "$tname: took $ms ms, more than $tmax ms"
	else
		ok "$tname: $ms ms (at most $tmax)"
	fi
}

# broken NAME FILE:LINE TEXT CMD...: exit 1, stdout is "FILE:LINE: ...TEXT..."
broken() {
	bname=$1
	bwhere=$2
	btext=$3
	shift 3
	run "$bname" 1 "$@" || return
	has "$bname: names $bwhere" "$bname.out" "$bwhere: "
	has "$bname: says '$btext'" "$bname.out" "$btext"
	if [ "$(wc -l <"$bname.out")" -ne 1 ]; then
		fail "$bname: one line expected on stdout"
	fi
}

# The head gen printed ("head HEX seq S cut C").
gen_head() {
	sed -n 's/^head \([0-9a-f]*\) .*/\1/p' "$1"
}

# SHA-256 of line N of FILE, newline excluded: the prev of line N+1.
line_hash() {
	sed -n "$2p" "$1" | tr -d '\n' | sha256sum | cut -d' ' -f1
}

make_chain() {
	"$gen" 50 chain.log >gen.out || { fail "audit_gen failed"; return 1; }
	head=$(gen_head gen.out)
	[ -n "$head" ] || { fail "audit_gen printed no head"; return 1; }
}

case_verify() {
	make_chain || return
	holds "chain has 200 lines" test "$(wc -l <chain.log)" -eq 200

	run intact 0 "$gc" audit verify chain.log
	is "intact: the summary line" intact.out \
		"chain.log: 200 records, seq 1..200, head $head: chain intact"
	run intact-head 0 "$gc" audit verify --head "$head" chain.log
	upper=$(echo "$head" | tr a-f A-F)
	run intact-head-upper 0 "$gc" audit verify --head "$upper" chain.log
	run intact-json 0 "$gc" audit verify --json --head "$head" chain.log
	py "intact-json: fields" '
import json, sys
j = json.load(open("intact-json.out"))
assert j["files"] == ["chain.log"] and j["intact"] is True, j
assert j["records"] == 200 and j["first_seq"] == 1 and j["last_seq"] == 200, j
assert j["head"] == sys.argv[1] and j["head_checked"] is True and j["start"] == "genesis", j
assert j["where"] is None and j["problem"] is None and j["error"] is None, j
assert j["exit_status"] == 0, j
' "$head"

	sed '100s/"time":"2026/"time":"2025/' chain.log >modified.log
	broken modified modified.log:100 "line 100 (seq 100) was modified: its hash does not match the prev of line 101" \
		"$gc" audit verify modified.log
	run modified-json 1 "$gc" audit verify --json modified.log
	py "modified-json: where, problem, no head" '
import json
j = json.load(open("modified-json.out"))
assert j["intact"] is False and j["where"] == "modified.log:100", j
assert "was modified" in j["problem"] and j["head"] is None and j["exit_status"] == 1, j
'

	# the last line modified: nothing after it to tell, but the published head does
	sed '200s/"event":"[a-z]*"/"event":"start"/' chain.log >last-modified.log
	holds "last-modified: the file differs" sh -c '! cmp -s chain.log last-modified.log'
	run last-modified-nohead 0 "$gc" audit verify last-modified.log
	broken last-modified last-modified.log:200 \
		"the chain ends at line 200 (seq 200) but the published head is $head: records after it were removed, or the last line was modified" \
		"$gc" audit verify --head "$head" last-modified.log

	sed '100d' chain.log >removed.log
	broken removed removed.log:100 "record seq 100 is missing before line 100 (removed)" \
		"$gc" audit verify removed.log
	sed '100,102d' chain.log >removed3.log
	broken removed3 removed3.log:100 "records seq 100..102 are missing before line 100 (removed)" \
		"$gc" audit verify removed3.log

	sed '1d' chain.log >first-removed.log
	broken first-removed first-removed.log:1 \
		"the chain starts at seq 2: earlier files are missing" \
		"$gc" audit verify first-removed.log
	run first-removed-any 0 "$gc" audit verify --any-start first-removed.log
	has "first-removed-any: from seq 2" first-removed-any.out "199 records, seq 2..200"
	run first-removed-after 0 "$gc" audit verify --after "$(line_hash chain.log 1)" \
		first-removed.log
	broken after-wrong chain.log:1 "line 1 (seq 1) does not follow the given hash" \
		"$gc" audit verify --after "$head" chain.log

	sed '$d' chain.log >last-removed.log
	run last-removed-nohead 0 "$gc" audit verify last-removed.log
	has "last-removed-nohead: 199 records" last-removed-nohead.out "199 records, seq 1..199"
	broken last-removed last-removed.log:199 \
		"the chain ends at line 199 (seq 199) but the published head is $head: records after it were removed" \
		"$gc" audit verify --head "$head" last-removed.log

	sed '50p' chain.log >duplicated.log
	broken duplicated duplicated.log:51 "line 51 (seq 50) is out of order or inserted (after seq 50)" \
		"$gc" audit verify duplicated.log

	awk 'NR == 100 { h = $0; next } NR == 101 { print; print h; next } { print }' \
		chain.log >swapped.log
	broken swapped swapped.log:100 \
		"line 100 (seq 101) is out of order: seq 100 comes after it, on line 101 (lines swapped or moved)" \
		"$gc" audit verify swapped.log
	# line 150 moved up to line 100
	awk 'NR == FNR { if (FNR == 150) h = $0; next } FNR == 100 { print h } FNR != 150 { print }' \
		chain.log chain.log >moved.log
	broken moved moved.log:100 "line 100 (seq 150) is out of order: seq 100 comes after it" \
		"$gc" audit verify moved.log
	# a line moved down: first seen as a gap
	awk 'NR == FNR { if (FNR == 100) h = $0; next } FNR != 100 { print } FNR == 150 { print h }' \
		chain.log chain.log >moved-down.log
	broken moved-down moved-down.log:100 "record seq 100 is missing before line 100" \
		"$gc" audit verify moved-down.log

	# line 120 cut to its first 50 bytes, its newline kept
	python3 -c '
import sys
lines = open("chain.log", "rb").read().split(b"\n")
lines[119] = lines[119][:50]
open("line-cut.log", "wb").write(b"\n".join(lines))
'
	broken line-cut line-cut.log:120 "line 120 is not an audit record (modified or truncated)" \
		"$gc" audit verify line-cut.log
	head -c -30 chain.log >cut.log
	broken cut cut.log:200 "line 200 is incomplete (the writer stopped mid-line)" \
		"$gc" audit verify cut.log
	head -c -1 chain.log >no-newline.log
	broken no-newline no-newline.log:200 "line 200 is incomplete" \
		"$gc" audit verify no-newline.log
}

case_files() {
	"$gen" --rotate-at 120 50 r1.log r2.log >gen.out || { fail "audit_gen --rotate-at"; return; }
	head=$(gen_head gen.out)
	holds "rotated: 120 + 80 lines" test "$(cat r1.log | wc -l)-$(cat r2.log | wc -l)" = "120-80"
	run rotated 0 "$gc" audit verify --head "$head" r1.log r2.log
	is "rotated: both files, 200 records" rotated.out \
		"r1.log, r2.log: 200 records, seq 1..200, head $head: chain intact"
	broken rotated-wrong-order r2.log:1 "the chain starts at seq 121: earlier files are missing" \
		"$gc" audit verify r2.log r1.log
	broken rotated-second-alone r2.log:1 "the chain starts at seq 121" \
		"$gc" audit verify r2.log
	run rotated-second-after 0 "$gc" audit verify --after "$(line_hash r1.log 120)" r2.log
	has "rotated-second-after: seq 121..200" rotated-second-after.out "80 records, seq 121..200"
	broken rotated-twice r1.log:1 "line 1 (seq 1) is out of order or inserted (after seq 120): the files are given in the wrong order, or twice" \
		"$gc" audit verify r1.log r1.log
	: >empty.log
	run rotated-empty-between 0 "$gc" audit verify r1.log empty.log r2.log
	sed '$d' r1.log >r1-short.log
	broken seam-removed r2.log:1 "record seq 120 is missing before line 1, after r1-short.log" \
		"$gc" audit verify r1-short.log r2.log
	sed '120s/"time":"2026/"time":"2027/' r1.log >r1-mod.log
	broken seam-modified r1-mod.log:120 "line 120 (seq 120) was modified: its hash does not match the prev of line 1 of r2.log" \
		"$gc" audit verify r1-mod.log r2.log

	"$gen" 50 chain.log >gen2.out || { fail "audit_gen"; return; }
	sed '10s/$/\r/' chain.log >crlf.log
	broken crlf crlf.log:10 "line 10 is not an audit record" "$gc" audit verify crlf.log
	sed 's/$/\r/' chain.log >crlf-all.log
	broken crlf-all crlf-all.log:1 "line 1 is not an audit record" "$gc" audit verify crlf-all.log

	python3 -c '
lines = open("chain.log", "rb").read().split(b"\n")
lines[49] = lines[49][:-1] + b",\"pad\":\"" + b"x" * 100000 + b"\"}"
open("long.log", "wb").write(b"\n".join(lines))
'
	broken long long.log:50 "line 50 is not an audit record (longer than 65536 bytes" \
		"$gc" audit verify long.log

	run empty 0 "$gc" audit verify empty.log
	is "empty: 0 records" empty.out "empty.log: 0 records: chain intact (empty)"
	broken empty-head empty.log "the chain is empty but the published head is $head" \
		"$gc" audit verify --head "$head" empty.log
	run empty-zero-head 0 "$gc" audit verify \
		--head 0000000000000000000000000000000000000000000000000000000000000000 empty.log

	mkfifo fifo.log || { fail "mkfifo"; return; }
	timed fifo 2 2000 "$gc" audit verify fifo.log
	has "fifo: says why" fifo.err \
		"guardctl: audit verify: fifo.log: not a regular file (a FIFO, socket or device): refusing to read it"
	timed fifo-after-good 2 2000 "$gc" audit verify chain.log fifo.log
	timed fifo-tail 2 2000 "$gc" audit tail fifo.log
	has "fifo-tail: says why" fifo-tail.err "fifo.log: not a regular file"
	mkdir dir.log
	run directory 2 "$gc" audit verify dir.log
	has "directory: says why" directory.err "dir.log: it is a directory, not an audit log"
	run directory-tail 2 "$gc" audit tail dir.log
	run missing 2 "$gc" audit verify no-such.log
	has "missing: says why" missing.err "no-such.log: cannot open it: No such file or directory"
	run missing-json 2 "$gc" audit verify --json no-such.log
	py "missing-json: error" '
import json
j = json.load(open("missing-json.out"))
assert j["intact"] is False and j["exit_status"] == 2 and "No such file" in j["error"], j
'

	# 40,000 lines (about 11 MB) streamed: memory does not grow with the file (compared with
	# the 200-line chain, so that a sanitizer build's own overhead does not count)
	"$gen" 10000 big.log >gen3.out || { fail "audit_gen 10000"; return; }
	run small 0 "$gc" audit verify chain.log
	timed big 0 10000 "$gc" audit verify --head "$(gen_head gen3.out)" big.log
	has "big: 40000 records" big.out "big.log: 40000 records, seq 1..40000"
	# (not under AddressSanitizer: its quarantine keeps freed blocks, so RSS follows the
	# number of allocations, not what is live; the plain build checks streaming)
	if ldd "$gc" 2>/dev/null | grep -q libasan; then
		echo "skip: big: peak RSS not compared (AddressSanitizer build)"
	elif [ -s big.rss ] && [ -s small.rss ]; then
		grow=$(($(cat big.rss) - $(cat small.rss)))
		half=$(($(wc -c <big.log) / 2048))
		holds "big: peak RSS grows by $grow KiB over a 200-line log, less than half the log ($half KiB)" \
			test "$grow" -lt "$half"
	fi

	# guard-control's restart: a write cut short is cut off, the chain goes on
	head -c -70 chain.log >resume.log
	"$gen" --append 5 resume.log >resume.out || fail "audit_gen --append"
	# line 200 loses its last 70 bytes: 199 complete lines, then 20 more records
	has "resume: cut the incomplete line" resume.out " seq 219 cut $(($(sed -n 200p chain.log | wc -c) - 70))"
	run resumed 0 "$gc" audit verify --head "$(gen_head resume.out)" resume.log
	has "resumed: 219 records" resumed.out "219 records, seq 1..219"
	printf 'garbage' >>resume.log
	run resume-refused 1 "$gen" --append 1 resume.log
	has "resume-refused: a foreign tail is not cut" resume-refused.err \
		"the 7 bytes after the last complete line are not the start of record seq 220"
}

case_tail() {
	make_chain || return
	run tail5 0 "$gc" audit tail -n 5 chain.log
	holds "tail5: header and 5 rows" test "$(wc -l <tail5.out)" -eq 6
	holds "tail5: seqs 196..200" test "$(awk 'NR > 1 { printf "%s ", $1 }' tail5.out)" = "196 197 198 199 200 "
	has "tail5: header" tail5.out "SEQ  TIME                      TYPE      CHANNEL  DECISION  REASON"
	has "tail5: a decision row" tail5.out \
		"197  2026-12-03T07:03:17.379Z  decision  cot-mn   drop      prohibited_content  1020  ANDROID-0197  content: term \"deep current\" in <remarks>\\x09tab \\xe2\\x80\\xa8"
	has "tail5: a command row" tail5.out "command   -        ok        -                   -     1000          policy load rules/s198.rules: generation 3"
	has "tail5: a control row" tail5.out "control   -        rotate    -                   -     -             guard 0.1.0"
	run tail-default 0 "$gc" audit tail chain.log
	holds "tail-default: 20 rows" test "$(wc -l <tail-default.out)" -eq 21
	run tail-all 0 "$gc" audit tail --lines 1000 chain.log
	holds "tail-all: 200 rows" test "$(wc -l <tail-all.out)" -eq 201
	run tail-json 0 "$gc" audit tail -n 3 --json chain.log
	tail -n 3 chain.log >want3
	holds "tail-json: the last 3 lines byte for byte" cmp -s tail-json.out want3
	run tail-json-default 0 "$gc" audit tail --json chain.log
	tail -n 20 chain.log >want20
	holds "tail-json-default: the last 20 lines" cmp -s tail-json-default.out want20

	# a record being written: not shown, and said so
	cp chain.log live.log
	printf '{"seq":201,"prev":"' >>live.log
	run tail-live 0 "$gc" audit tail -n 2 live.log
	holds "tail-live: seqs 199 and 200" test "$(awk 'NR > 1 { printf "%s ", $1 }' tail-live.out)" = "199 200 "
	has "tail-live: the incomplete line noted" tail-live.err \
		"live.log: the last 19 bytes are an incomplete line"
	run tail-live-json 0 "$gc" audit tail -n 2 --json live.log
	tail -n 2 chain.log >want2
	holds "tail-live-json: complete lines only" cmp -s tail-live-json.out want2

	# hostile lines: each must be a row that says why, never a crash or a raw control byte
	python3 -c '
rows = [
    b"{\"seq\":1,\"type\":\"abc",                                  # unterminated string
    b"{\"a\":" + b"[" * 30000 + b"]" * 30000 + b"}",                  # nesting 30,000 deep
    b"{\"type\":\"x\x00y\",\"detail\":\"nul\"}",                     # a NUL byte in a string
    b"{\"type\":\"esc\",\"detail\":\"\x1b[2J\x1b]0;owned\x07\"}",    # raw ESC: a control byte
    b"{\"type\":\"esc2\",\"detail\":\"\\u001b[31mred\\u0000z\"}",    # escaped ESC and NUL
    b"{\"type\":\"utf8\",\"detail\":\"\xff\xfe\xc0\xaf\"}",          # invalid UTF-8
    b"{\"type\":\"sur\",\"detail\":\"\\ud800 \\udc00 \\ud83d\\ude00\"}",
    b"{\"type\":\"dup\",\"type\":\"again\"}",                        # duplicate key
    b"{\"seq\":-,\"type\":\"num\"}",                                  # malformed number
    b"{\"detail\":\"" + b"A" * 100000 + b"\"}",                      # a 100 KB line
    b"[1,2,3]", b"\"str\"", b"", b"{}", b"{\"a\":1}}", b"{\"a\" 1}",
    b"{\"a\":[1,{\"b\":\"]\"}]" + b"}",                              # brackets in strings
    b"{\"a\":[}",                                                     # mismatched bracket
    b"{\"seq\":7,\"type\":\"decision\",\"rule\":1e3,\"uid\":\"\\u2028x\\u202e\"}",
]
open("hostile.log", "wb").write(b"\n".join(rows) + b"\n")
'
	run hostile 0 "$gc" audit tail -n 100 hostile.log
	holds "hostile: a row per line" test "$(wc -l <hostile.out)" -eq 20
	lacks "hostile: no raw ESC, BEL or NUL on the terminal" grep -q "$(printf '[\033\007]')" hostile.out
	holds "hostile: no NUL byte out" sh -c 'test "$(tr -d "\000" <hostile.out | wc -c)" -eq "$(wc -c <hostile.out)"'
	has "hostile: unterminated" hostile.out "(not an audit record: unterminated string at byte 20)"
	has "hostile: deep nesting" hostile.out "(not an audit record: values nested too deep (more than 32 levels) at byte 37)"
	has "hostile: NUL" hostile.out "(not an audit record: a control character in a string at byte 10)"
	has "hostile: raw ESC" hostile.out "(not an audit record: a control character in a string at byte 24)"
	has "hostile: escaped ESC shown escaped, NUL as U+FFFD" hostile.out "esc2  "
	has "hostile: escaped ESC shown escaped" hostile.out '\x1b[31mred�z'
	has "hostile: invalid UTF-8 escaped" hostile.out '\xff\xfe\xc0\xaf'
	has "hostile: lone surrogates U+FFFD, a pair decoded" hostile.out "� � 😀"
	has "hostile: duplicate key" hostile.out "(not an audit record: a key that appears twice"
	has "hostile: malformed number" hostile.out "(not an audit record: a malformed number at byte 8)"
	has "hostile: 100 KB line" hostile.out "(not an audit record: longer than 65536 bytes)"
	has "hostile: not an object" hostile.out "(not an audit record: not a JSON object at byte 0)"
	has "hostile: text after" hostile.out "(not an audit record: text after the object at byte 7)"
	has "hostile: brackets in strings skipped" hostile.out "(not an audit record: a bracket that closes nothing at byte 6)"
	has "hostile: a record among them" hostile.out "7    -     decision"
	has "hostile: invisible characters escaped" hostile.out '\xe2\x80\xa8x\xe2\x80\xae'
	run hostile-json 0 "$gc" audit tail -n 100 --json hostile.log
	holds "hostile-json: raw lines" cmp -s hostile-json.out hostile.log

	# not the whole file: tail of a 100 GB sparse file (NUL bytes, then a chain) is instant
	if truncate -s 100G sparse.log 2>/dev/null; then
		cat chain.log >>sparse.log
		timed sparse 0 3000 "$gc" audit tail -n 5 sparse.log
		holds "sparse: seqs 196..200" test "$(awk 'NR > 1 { printf "%s ", $1 }' sparse.out)" = "196 197 198 199 200 "
		rm -f sparse.log
	else
		echo "skip: no sparse 100 GB file here"
	fi
	: >empty.log
	run tail-empty 0 "$gc" audit tail empty.log
	holds "tail-empty: header only" test "$(wc -l <tail-empty.out)" -eq 1
}

case_usage() {
	: >e.log
	run no-sub 2 "$gc" audit
	has "no-sub: says so" no-sub.err "a subcommand is required (verify, tail)"
	has "no-sub: usage" no-sub.err "usage: guardctl audit verify"
	run unknown-sub 2 "$gc" audit frobnicate
	has "unknown-sub: names it" unknown-sub.err "unknown subcommand 'frobnicate'"
	run verify-no-file 2 "$gc" audit verify
	has "verify-no-file: says so" verify-no-file.err "at least one FILE expected"
	run verify-after-any 2 "$gc" audit verify --any-start \
		--after 0000000000000000000000000000000000000000000000000000000000000000 e.log
	has "verify-after-any: says so" verify-after-any.err "--after and --any-start do not go together"
	run verify-bad-head 2 "$gc" audit verify --head abc e.log
	has "verify-bad-head: says so" verify-bad-head.err "--head 'abc': want a SHA-256, 64 hex digits"
	run verify-bad-after 2 "$gc" audit verify --after \
		g000000000000000000000000000000000000000000000000000000000000000 e.log
	run verify-long-head 2 "$gc" audit verify --head \
		00000000000000000000000000000000000000000000000000000000000000000 e.log
	run verify-unknown 2 "$gc" audit verify --frobnicate e.log
	has "verify-unknown: names it" verify-unknown.err "unknown option '--frobnicate'"
	run verify-missing-arg 2 "$gc" audit verify e.log --head
	has "verify-missing-arg: names it" verify-missing-arg.err "'--head' needs an argument"
	run tail-no-file 2 "$gc" audit tail
	run tail-two-files 2 "$gc" audit tail e.log e.log
	has "tail-two-files: says so" tail-two-files.err "exactly one FILE expected, got 2"
	run tail-zero 2 "$gc" audit tail -n 0 e.log
	has "tail-zero: says so" tail-zero.err "-n '0': want a number of records, 1..1000000000"
	run tail-nan 2 "$gc" audit tail -n 5x e.log
	run tail-huge 2 "$gc" audit tail -n 99999999999999999999999 e.log
	run tail-negative 2 "$gc" audit tail -n -5 e.log

	run help 0 "$gc" --help
	has "help: lists audit" help.out "  audit    audit verify|tail FILE"
	run help-audit 0 "$gc" help audit
	has "help-audit: synopsis" help-audit.out "usage: guardctl audit verify [--after HEX | --any-start] [--head HEX] [--json]"
	run audit-help 0 "$gc" audit --help
	run verify-help 0 "$gc" audit verify --help
	run tail-help 0 "$gc" audit tail -h
	holds "the help texts agree" sh -c 'cmp -s help-audit.out audit-help.out && cmp -s help-audit.out verify-help.out && cmp -s help-audit.out tail-help.out'
	# every option of the help, in the man page (as roff writes it) and in docs/guardctl.md
	for opt in $(grep -o -- '--[a-z][a-z-]*' help-audit.out | sort -u); do
		roff=$(printf '%s' "$opt" | sed 's/-/\\-/g')
		has "guardctl(8) describes $opt" "$root/docs/man/guardctl.8" "$roff"
		has "docs/guardctl.md describes $opt" "$root/docs/guardctl.md" "$opt"
	done
}

case $case in
verify | files | tail | usage) "case_$case" ;;
*)
	echo "$0: unknown case '$case'" >&2
	exit 2
	;;
esac

if [ "$failures" -ne 0 ]; then
	echo "$case: $failures check(s) failed" >&2
	exit 1
fi
echo "$case: all checks passed"
