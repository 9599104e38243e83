#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Ruleset images from guardctl's side (docs/guardctl.md, docs/policy.md "The ruleset image",
# "Limits"): one CASE per meson test.
#   image-test.sh CASE GUARDCTL GEN_TRAFFIC REPO_ROOT SCRATCH_DIR
# CASE is one of:
#   compile  the sample policy compiled: the image named, its SHA-256 printed (sha256sum of
#            the file, not the header's integrity hash), the same bytes on a second compile,
#            --json agreeing with the text
#   show     policy show: the three inputs with the SHA-256 of each file, --patterns lists
#            the sample's rules, --json agrees; a policy given to show is refused
#   check    check --policy IMAGE decides a gen-traffic pcap exactly as --policy POLICY, and
#            without compiling (policy check IMAGE: "compile: none"); both runs timed
#   refuse   a truncated image, one flipped byte, a trailing byte, an empty file, a
#            directory and a FIFO (as policy, term file, image, message and pcap): exit 2
#            at once with a message naming the file; a policy named .rules is still a
#            policy; hostile images (an egress link edited, the SHA-256 recomputed) refused
#            with the reason
#   hostile  nesting 200,000 levels deep, a policy over 4 MiB, term files over the size and
#            pattern limits: refused fast, naming the limit; a regex that keeps Hyperscan
#            busy cut off at --compile-timeout; a Hyperscan allocation failure (prlimit
#            --as) reported without blaming a term
# Every command runs under `timeout` (a hang is a failure of its own); every check runs; the
# test fails at the end if any failed, listing them. Peak RSS is printed where /usr/bin/time
# is installed.
set -u

if [ $# -ne 5 ]; then
	echo "usage: $0 CASE GUARDCTL GEN_TRAFFIC REPO_ROOT SCRATCH_DIR" >&2
	exit 2
fi
case=$1
# meson passes paths relative to the build directory; the run happens in $dir.
gc=$(realpath "$2")
gen=$(realpath "$3")
root=$(realpath "$4")
dir=$(realpath -m "$5")/image-$case
policy=$root/rules/sample-policy.yaml
terms1=$root/rules/terms/codewords.txt
terms2=$root/rules/terms/review.txt
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
	rss=$(cat "$tname.rss" 2>/dev/null || echo "?")
	if [ "$ms" -gt "$tmax" ]; then
		fail "$tname: took $ms ms, more than $tmax ms"
	else
		ok "$tname: $ms ms (at most $tmax), peak RSS ${rss} KiB"
	fi
}

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# The image's SHA-256 as rs_image.h defines it: of all its bytes, with the 32-byte
# image_sha256 field (offset 32 of the header) zeroed.
image_sha() {
	python3 -c '
import hashlib, sys
b = bytearray(open(sys.argv[1], "rb").read())
b[32:64] = bytes(32)
print(hashlib.sha256(b).hexdigest())
' "$1"
}

compile_sample() {
	run compile-sample 0 "$gc" policy compile "$policy" -o sample.rules ||
		{ fail "cannot compile the sample policy"; return 1; }
}

case_compile() {
	run compile 0 "$gc" policy compile "$policy" -o a.rules || return
	has "compile: names policy and image" compile.out "compiled $policy -> a.rules"
	has "compile: pattern counts" compile.out "patterns: "
	hex=$(sed -n 's/^image: *\([0-9]*\) bytes, sha256 \([0-9a-f]*\)$/\2/p' compile.out)
	bytes=$(sed -n 's/^image: *\([0-9]*\) bytes, sha256 \([0-9a-f]*\)$/\1/p' compile.out)
	if echo "$hex" | grep -qE '^[0-9a-f]{64}$'; then
		ok "compile: 64-hex sha256 $hex"
	else
		fail "compile: no 'image: N bytes, sha256 <64 hex>' line"
		cat compile.out >&2
	fi
	holds "compile: size $bytes is the file's ($(stat -c %s a.rules))" \
		[ "$bytes" = "$(stat -c %s a.rules)" ]
	# the printed SHA-256 is the file's, as sha256sum computes it; the header's own hash
	# (integrity, taken with its field zeroed) is a different value
	if [ "$hex" = "$(sha a.rules)" ]; then
		ok "compile: sha256 equals sha256sum of the file"
	else
		fail "compile: sha256 $hex, sha256sum says $(sha a.rules)"
	fi
	if [ "$hex" != "$(image_sha a.rules)" ]; then
		ok "compile: the header hash is another value"
	else
		fail "compile: the file hash equals the header hash"
	fi
	if [ "$(find . -maxdepth 1 -name 'a.rules.tmp.*' | wc -l)" -eq 0 ]; then
		ok "compile: no temporary file left"
	else
		fail "compile: a temporary file is left: $(ls a.rules.tmp.*)"
	fi

	# the same inputs give the same bytes
	run compile-again 0 "$gc" policy compile "$policy" -o b.rules
	if cmp a.rules b.rules >/dev/null; then
		ok "compile-again: byte-identical"
	else
		fail "compile-again: a.rules and b.rules differ: $(cmp a.rules b.rules)"
	fi
	# replacing an image in place is atomic and gives the same bytes again
	run compile-over 0 "$gc" policy compile "$policy" -o b.rules
	holds "compile-over: byte-identical" cmp -s a.rules b.rules

	run compile-json 0 "$gc" policy compile "$policy" -o c.rules --json
	holds "compile-json: byte-identical image" cmp -s a.rules c.rules
	py "compile-json: one object agreeing with the text and the file" '
import json, os, re, sys
text = open("compile-json.out").read()
assert text.count("\n") == 1 and text.endswith("\n"), text
j = json.loads(text)
t = open("compile.out").read()
assert j["policy"] == sys.argv[1] and j["image"] == "c.rules", j
assert re.fullmatch(r"[0-9a-f]{64}", j["sha256"]) and j["sha256"] == sys.argv[2], j["sha256"]
assert j["bytes"] == os.path.getsize("c.rules"), j["bytes"]
m = re.search(r"^patterns: (\d+) literal, (\d+) regex; databases (\d+) bytes$", t, re.M)
assert m, t
assert [j["literal_patterns"], j["regex_patterns"], j["database_bytes"]] == \
    [int(x) for x in m.groups()], (j, m.groups())
assert j["literal_patterns"] > 300 and j["portable"] is False
assert j["parse_seconds"] >= 0 and j["hyperscan_seconds"] > 0
' "$policy" "$hex"

	# --portable: another image, which says so, and still runs here
	run compile-portable 0 "$gc" policy compile "$policy" -o p.rules --portable
	has "compile-portable: says so" compile-portable.out ", portable"
	lacks "compile-portable: another image than the native one" cmp -s a.rules p.rules
	run portable-check 0 "$gc" policy check p.rules
	has "portable-check: valid" portable-check.out "(valid)"

	# errors: no -o, a policy error, an output directory that does not exist
	run compile-no-output 2 "$gc" policy compile "$policy"
	has "compile-no-output: says -o" compile-no-output.err "-o IMAGE is required"
	run compile-bad 2 "$gc" policy compile "$root/tests/data/policy/bad/group-cycle.yaml" \
		-o bad.rules
	has "compile-bad: file:line:column" compile-bad.err "group-cycle.yaml:8:7: group cycle"
	lacks "compile-bad: no image written" test -e bad.rules
	run compile-no-dir 2 "$gc" policy compile "$policy" -o no-such-dir/x.rules
	has "compile-no-dir: names the path" compile-no-dir.err "no-such-dir/x.rules"
}

case_show() {
	compile_sample || return
	run show 0 "$gc" policy show sample.rules || return
	has "show: names the image" show.out "image:           sample.rules"
	has "show: three inputs" show.out "inputs:          3"
	for f in "$policy" "$terms1" "$terms2"; do
		h=$(sha "$f")
		n=$(stat -c %s "$f")
		if grep -qE "^  $h +$n  $f\$" show.out; then
			ok "show: input $(basename "$f") with its sha256 and size"
		else
			fail "show: no line '  $h  $n  $f'"
			sed -n '/^inputs:/,/^sections:/p' show.out >&2
		fi
	done
	has "show: image sha256" show.out "sha256:          $(sha sample.rules)"
	has "show: summary follows" show.out "policy:          sample.rules (valid)"
	has "show: Hyperscan target" show.out "hyperscan:       "
	hasnt "show: no pattern list without --patterns" show.out "EXPRESSION"

	# --patterns: the rules of the sample, inline and from its term files
	run show-patterns 0 "$gc" policy show sample.rules --patterns
	for row in "1002        term     folded    drop    literal  blue sentinel" \
		"1001        term     folded    drop    literal  operation nightfall"; do
		has "show-patterns: '$row'" show-patterns.out "$row"
	done
	# codewords.txt has first_id 5001: the term on line N is rule 5000 + N
	first=$(grep -n -m1 -vE '^[[:space:]]*(#|$)' "$terms1")
	id=$((5000 + ${first%%:*}))
	has "show-patterns: term file rule $id" show-patterns.out \
		"$id        term     folded    drop    literal  ${first#*:}"
	holds "show-patterns: review rules 300x from review.txt" \
		grep -qE "^300[0-9] +term +[a-z]+ +review " show-patterns.out

	run show-json 0 "$gc" policy show sample.rules --json --patterns
	py "show-json: inputs, hashes, patterns" '
import hashlib, json, os, sys
j = json.load(open("show-json.out"))
files = sys.argv[1:4]
ins = j["inputs"]
assert [i["path"] for i in ins] == files, ins
for i in ins:
    data = open(i["path"], "rb").read()
    assert i["sha256"] == hashlib.sha256(data).hexdigest(), i
    assert i["bytes"] == len(data), i
assert j["image"] == "sample.rules" and j["sha256"] == sys.argv[4], j["sha256"]
assert j["bytes"] == os.path.getsize("sample.rules") and j["format_version"] >= 1
assert j["channels"] == 9 and j["patterns"] == len(j["pattern_list"]) > 300, j["patterns"]
rules = {p["rule"]: p for p in j["pattern_list"]}
assert rules[1002]["expression"] == "blue sentinel" and rules[1002]["kind"] == "term"
assert rules[1002]["literal"] is True
assert rules[int(sys.argv[5])]["expression"] == sys.argv[6], rules.get(int(sys.argv[5]))
assert any(p["kind"] == "marking" for p in j["pattern_list"])
' "$policy" "$terms1" "$terms2" "$(sha sample.rules)" "$id" "${first#*:}"

	# a policy is not an image: refused, saying what to do
	run show-policy 2 "$gc" policy show "$policy"
	has "show-policy: says it is a policy" show-policy.err \
		"'$policy' is not a ruleset image (a policy? compile it first"
	lacks "show-policy: no output on stdout" test -s show-policy.out
	run show-missing 2 "$gc" policy show no-such.rules
	has "show-missing: names it" show-missing.err "no-such.rules"
	run show-usage 2 "$gc" policy show
	run show-two 2 "$gc" policy show sample.rules sample.rules
}

case_check() {
	compile_sample || return
	"$gen" --out x.pcap --expect x.expect --count 300 --formats all >gen.out ||
		{ fail "gen-traffic failed"; return; }

	run check-image 0 "$gc" check --policy sample.rules --pcap x.pcap --now pcap --expect x.expect
	run check-policy 0 "$gc" check --policy "$policy" --pcap x.pcap --now pcap \
		--expect x.expect
	has "check-image: no mismatch" check-image.out "mismatches with x.expect: 0"
	has "check-image: frame count" check-image.out "300 frames:"
	if cmp -s check-image.out check-policy.out; then
		ok "check: image and policy give the same output"
	else
		fail "check: image and policy outputs differ"
		diff check-policy.out check-image.out | head -20 >&2
	fi
	holds "check: same stderr" cmp -s check-image.err check-policy.err
	echo "timing: check --policy IMAGE $(cat check-image.ms) ms (peak RSS" \
		"$(cat check-image.rss 2>/dev/null || echo ?) KiB), --policy POLICY" \
		"$(cat check-policy.ms) ms (peak RSS $(cat check-policy.rss 2>/dev/null || echo ?) KiB)"

	run check-image-json 0 "$gc" check --policy sample.rules --pcap x.pcap --now pcap \
		--expect x.expect --json
	run check-policy-json 0 "$gc" check --policy "$policy" --pcap x.pcap --now pcap \
		--expect x.expect --json
	holds "check-json: the same records" cmp -s check-image-json.out check-policy-json.out

	# messages too
	cot=$root/tests/data/cot
	run msgs-image 1 "$gc" check --policy sample.rules --channel cot-mn --now 1795341600 \
		"$cot"/pass/*.xml "$cot"/drop/*.xml
	run msgs-policy 1 "$gc" check --policy "$policy" --channel cot-mn --now 1795341600 \
		"$cot"/pass/*.xml "$cot"/drop/*.xml
	holds "msgs: image and policy agree" cmp -s msgs-image.out msgs-policy.out

	# the image run does not compile
	run check-info 0 "$gc" policy check sample.rules
	has "check-info: valid" check-info.out "policy:          sample.rules (valid)"
	has "check-info: no compile" check-info.out "compile:         none"
	has "check-info: image sha256" check-info.out "sha256 $(sha sample.rules)"
	run check-info-policy 0 "$gc" policy check "$policy"
	hasnt "check-info-policy: a policy is compiled" check-info-policy.out "compile:         none"
	run check-info-json 0 "$gc" policy check sample.rules --json
	py "check-info-json: from_image, no compile time" '
import json
j = json.load(open("check-info-json.out"))
assert j["compile"]["from_image"] is True, j["compile"]
assert j["compile"]["hyperscan_seconds"] == 0 and j["compile"]["parse_seconds"] == 0, j
'
	# an image starts at once: allow it far less than a compile takes
	img_ms=$(cat check-image.ms)
	pol_ms=$(cat check-policy.ms)
	if [ "$img_ms" -le 2000 ]; then
		ok "check-image: $img_ms ms (the policy run took $pol_ms ms)"
	else
		fail "check-image: $img_ms ms, an image should load in well under 2 s"
	fi
}

case_refuse() {
	compile_sample || return
	size=$(stat -c %s sample.rules)
	head -c $((size / 2)) sample.rules >trunc.rules
	head -c 500 sample.rules >short.rules
	cp sample.rules flip.rules
	# one byte in the middle: the complement of what is there
	mid=$((size / 2))
	old=$(od -An -tu1 -j "$mid" -N1 sample.rules | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the octal escape of the new byte
	printf "\\$(printf %03o $((255 - old)))" |
		dd of=flip.rules bs=1 seek="$mid" conv=notrunc status=none
	if [ "$(cmp sample.rules flip.rules | wc -l)" -eq 1 ] &&
		[ "$(cmp -l sample.rules flip.rules | wc -l)" -eq 1 ]; then
		ok "flip: exactly one byte differs"
	else
		fail "flip: the copy does not differ in exactly one byte"
	fi
	cp sample.rules trail.rules
	printf '\n' >>trail.rules
	: >empty.rules
	mkdir dir.rules
	mkfifo fifo.rules

	# image refusals: policy check, policy show and check --policy, exit 2, IMAGE: why
	for c in "trunc:truncated: $((size / 2)) bytes, the header says $size" \
		"short:truncated: 500 bytes, shorter than the 1024-byte header" \
		"flip:corrupted: its SHA-256 does not match the one in its header" \
		"trail:trailing bytes: $((size + 1)) bytes, the header says $size"; do
		f=${c%%:*}
		msg="$f.rules: ${c#*:}"
		timed "$f-check" 2 2000 "$gc" policy check "$f.rules"
		is "$f-check: message" "$f-check.err" "$msg"
		lacks "$f-check: no output on stdout" test -s "$f-check.out"
		timed "$f-show" 2 2000 "$gc" policy show "$f.rules"
		is "$f-show: message" "$f-show.err" "$msg"
		timed "$f-use" 2 2000 "$gc" check --policy "$f.rules" --channel cot-mn \
			"$root/tests/data/cot/pass/geochat.xml"
		is "$f-use: message" "$f-use.err" "$msg"
		run "$f-json" 2 "$gc" policy check --json "$f.rules"
		py "$f-json: error object" '
import json, sys
j = json.load(open(sys.argv[1] + "-json.out"))
assert j["valid"] is False and j["error"] == sys.argv[2], j
' "$f" "$msg"
	done

	# a hostile image: the sample's egress link edited and the SHA-256 recomputed (who can
	# write images can hash them): the structural checks refuse it, saying what is wrong
	for e in "queue0:egress link 0 (port 1): queue of class 3 holds 0 packets (1..4096)" \
		"rate:egress link 0 (port 1): rate, burst or frame overhead out of range" \
		"port:egress link 0 names port 9, which no channel sends on" \
		"count:section 'egress_links' holds 2 records of 32 bytes in 32 bytes (this guard's records are 32 bytes)"; do
		f=${e%%:*}
		python3 - sample.rules "link-$f.rules" "$f" <<'EOF' || fail "link-$f: cannot edit the image"
import hashlib, struct, sys
img = bytearray(open(sys.argv[1], "rb").read())
SECT, EGRESS = 224, 17  # offsetof(struct rs_image_header, sect); RS_SEC_EGRESS_LINKS
ref = SECT + 24 * EGRESS
off, size, count, elem = struct.unpack_from("<QQII", img, ref)
assert (size, count, elem) == (32, 1, 32), (size, count, elem)
port, over, burst, rate = struct.unpack_from("<HHIQ", img, off)
assert port == 1, port
what = sys.argv[3]
if what == "queue0":
    struct.pack_into("<I", img, off + 16 + 4 * 3, 0)   # queue_max[routine]
elif what == "rate":
    struct.pack_into("<Q", img, off + 8, 99999)         # below 100 kbit/s
elif what == "port":
    struct.pack_into("<H", img, off, 9)
elif what == "count":
    struct.pack_into("<I", img, ref + 16, 2)            # the section's record count
img[32:64] = bytes(32)                                  # image_sha256, zeroed to hash
img[32:64] = hashlib.sha256(img).digest()
open(sys.argv[2], "wb").write(img)
EOF
		timed "link-$f" 2 2000 "$gc" policy check "link-$f.rules"
		is "link-$f: refused with the reason" "link-$f.err" "link-$f.rules: ${e#*:}"
		timed "link-$f-use" 2 2000 "$gc" check --policy "link-$f.rules" --channel cot-mn \
			"$root/tests/data/cot/pass/geochat.xml"
		is "link-$f-use: refused with the reason" "link-$f-use.err" "link-$f.rules: ${e#*:}"
	done

	# a YAML policy named .rules is a policy: told apart by content, not name
	mkdir -p asrules
	cp "$policy" asrules/sample.rules
	cp -r "$root/rules/terms" asrules/terms
	run yaml-rules 0 "$gc" policy check asrules/sample.rules
	has "yaml-rules: valid" yaml-rules.out "policy:          asrules/sample.rules (valid)"
	hasnt "yaml-rules: compiled, not loaded" yaml-rules.out "compile:         none"
	run yaml-rules-use 0 "$gc" check --policy asrules/sample.rules --channel cot-mn \
		--now 1795341600 "$root/tests/data/cot/pass/geochat.xml"
	run yaml-rules-compile 0 "$gc" policy compile asrules/sample.rules -o asrules.img
	run yaml-rules-show 2 "$gc" policy show asrules/sample.rules
	has "yaml-rules-show: a policy" yaml-rules-show.err "is not a ruleset image"

	# an empty file and a directory
	timed empty 2 2000 "$gc" policy check empty.rules
	has "empty: says empty" empty.err "empty.rules:1:1: the policy is empty"
	timed empty-show 2 2000 "$gc" policy show empty.rules
	has "empty-show: names it" empty-show.err "'empty.rules' is not a ruleset image"
	timed dir 2 2000 "$gc" policy check dir.rules
	is "dir: message" dir.err "dir.rules: cannot read the policy: a directory, not a file"
	timed dir-show 2 2000 "$gc" policy show dir.rules
	has "dir-show: names it" dir-show.err "dir.rules: "
	has "dir-show: a directory" dir-show.err "directory"

	# a FIFO anywhere a file is read: refused at once, never waited on
	nrf="not a regular file"
	timed fifo-policy 2 2000 "$gc" policy check fifo.rules
	has "fifo-policy: $nrf" fifo-policy.err "fifo.rules: cannot read the policy: $nrf"
	timed fifo-compile 2 2000 "$gc" policy compile fifo.rules -o fifo-out.rules
	has "fifo-compile: $nrf" fifo-compile.err "fifo.rules: cannot read the policy: $nrf"
	timed fifo-image 2 2000 "$gc" policy show fifo.rules
	has "fifo-image: names it" fifo-image.err "fifo.rules: "
	has "fifo-image: $nrf" fifo-image.err "$nrf"
	timed fifo-use 2 2000 "$gc" check --policy fifo.rules --channel cot-mn \
		"$root/tests/data/cot/pass/geochat.xml"
	has "fifo-use: $nrf" fifo-use.err "fifo.rules: cannot read the policy: $nrf"

	mkdir -p fifoterm/terms
	mkfifo fifoterm/terms/fifo.txt
	cp "$terms1" fifoterm/terms/
	sed 's#path: terms/review.txt#path: terms/fifo.txt#' "$policy" >fifoterm/policy.yaml
	line=$(grep -n 'path: terms/fifo.txt' fifoterm/policy.yaml | cut -d: -f1)
	timed fifo-term 2 2000 "$gc" policy check fifoterm/policy.yaml
	has "fifo-term: file:line:column, term file, $nrf" fifo-term.err \
		"fifoterm/policy.yaml:$line:12: cannot read term file 'fifoterm/terms/fifo.txt': $nrf"
	timed fifo-term-compile 2 2000 "$gc" policy compile fifoterm/policy.yaml -o ft.rules
	has "fifo-term-compile: $nrf" fifo-term-compile.err "$nrf"

	timed fifo-message 2 2000 "$gc" check --policy sample.rules --channel cot-mn \
		--now 1795341600 "$root/tests/data/cot/pass/geochat.xml" fifo.rules
	has "fifo-message: $nrf" fifo-message.err "cannot read message 'fifo.rules': $nrf"
	has "fifo-message: the other decided" fifo-message.out "geochat.xml"
	timed dir-message 2 2000 "$gc" check --policy sample.rules --channel cot-mn dir.rules
	has "dir-message: a directory" dir-message.err "cannot read message 'dir.rules': it is a directory"

	timed fifo-pcap 2 2000 "$gc" check --policy sample.rules --pcap fifo.rules --now pcap
	has "fifo-pcap: $nrf" fifo-pcap.err "cannot open pcap 'fifo.rules': $nrf"
	timed dir-pcap 2 2000 "$gc" check --policy sample.rules --pcap dir.rules --now pcap
	has "dir-pcap: names it" dir-pcap.err "cannot open pcap 'dir.rules'"
}

case_hostile() {
	lim="nesting deeper than 32 levels (a policy needs at most five)"
	# 200,000 levels of flow sequences, of flow mappings, and 2,000 of block mappings
	python3 -c "print('a: ' + '[' * 200000 + ']' * 200000)" >deep-seq.yaml
	python3 -c "print('{a: ' * 200000 + '1' + '}' * 200000)" >deep-map.yaml
	python3 -c "print(''.join(' ' * i + 'k:\n' for i in range(2000)), end='')" >deep-block.yaml
	timed deep-seq 2 2000 "$gc" policy check deep-seq.yaml
	is "deep-seq: file:line:column and the limit" deep-seq.err "deep-seq.yaml:1:35: $lim"
	timed deep-map 2 2000 "$gc" policy check deep-map.yaml
	is "deep-map: file:line:column and the limit" deep-map.err "deep-map.yaml:1:129: $lim"
	timed deep-block 2 2000 "$gc" policy check deep-block.yaml
	is "deep-block: file:line:column and the limit" deep-block.err "deep-block.yaml:33:33: $lim"
	timed deep-compile 2 2000 "$gc" policy compile deep-seq.yaml -o deep.rules
	is "deep-compile: the same" deep-compile.err "deep-seq.yaml:1:35: $lim"
	timed deep-use 2 2000 "$gc" check --policy deep-map.yaml --channel cot-mn x.xml
	is "deep-use: the same" deep-use.err "deep-map.yaml:1:129: $lim"

	# a policy over 4 MiB is refused by its size, before it is read: 8 GiB of hole is as
	# quick as one byte over
	max=$((4 * 1024 * 1024))
	truncate -s 8G huge.yaml
	timed huge 2 1000 "$gc" policy check huge.yaml
	is "huge: the limit" huge.err \
		"huge.yaml: cannot read the policy: 8589934592 bytes, larger than the limit of $max bytes"
	python3 -c "import sys; sys.stdout.write('#' + 'x' * ($max - 1) + '\n')" >over.yaml
	timed over 2 1000 "$gc" policy check over.yaml
	is "over: the limit" over.err \
		"over.yaml: cannot read the policy: $((max + 1)) bytes, larger than the limit of $max bytes"
	python3 -c "import sys; sys.stdout.write('#' + 'x' * ($max - 2) + '\n')" >at.yaml
	timed at-limit 2 2000 "$gc" policy check at.yaml
	hasnt "at-limit: 4 MiB exactly is read" at-limit.err "larger than the limit"
	has "at-limit: (an empty policy)" at-limit.err "the policy is empty"

	# term files: one over 32 MiB (a hole), one with 1,000,000 terms (over the pattern limit)
	mkdir -p t/terms
	cat >t/head.yaml <<'EOF'
version: 1
nations: [USA, GBR]
classifications: {NATO: {SECRET: SECRET, CONFIDENTIAL: CONFIDENTIAL}}
destinations:
  D: {members: [USA, GBR], max_classification: CONFIDENTIAL}
channels:
  - name: c
    direction: high_to_low
    format: cot
    destination: D
    ingress: {port: 0, address: 239.9.9.9, udp_port: 7777}
    egress: {port: 1, source_address: 203.0.113.10, address: 239.10.9.9, udp_port: 7777,
             next_hop_mac: "01:00:5e:0a:09:09"}
prohibited_term_files:
EOF
	for f in big million small; do
		{ cat t/head.yaml; echo "  - {path: terms/$f.txt, first_id: 1}"; } >t/$f.yaml
	done
	truncate -s 33M t/terms/big.txt
	timed term-big 2 1000 "$gc" policy check t/big.yaml
	is "term-big: the limit" term-big.err \
		"t/big.yaml:15:12: cannot read term file 't/terms/big.txt': 34603008 bytes, larger than the limit of 33554432 bytes"
	python3 -c "
import sys
sys.stdout.write(''.join('term%06d\n' % i for i in range(1, 1000001)))" >t/terms/million.txt
	timed term-million 2 5000 "$gc" policy compile t/million.yaml -o million.rules
	has "term-million: names the limit" term-million.err \
		"t/million.yaml:15:5: too many prohibited terms and markings: 1000000 with this term file (at most "
	lacks "term-million: no image written" test -e million.rules
	# a few thousand of the same terms compile (and the image then loads without compiling)
	head -n 2000 t/terms/million.txt >t/terms/small.txt
	timed term-small 0 20000 "$gc" policy compile t/small.yaml -o small.rules
	has "term-small: 2000 literals" term-small.out "patterns: 2000 literal, 0 regex"

	# a regex that keeps Hyperscan busy for most of a minute is cut off at the time bound
	printf '(x(ab|cd){255}|e){255}f\n' >t/terms/slow.txt
	{ cat t/head.yaml; echo "  - {path: terms/slow.txt, first_id: 1, regex: true}"; } >t/slow.yaml
	timed slow-regex 2 6000 "$gc" policy compile t/slow.yaml -o slow.rules --compile-timeout 2
	has "slow-regex: names the bound" slow-regex.err \
		"t/slow.yaml: Hyperscan could not compile the 1 patterns: Hyperscan did not finish within 2 s"
	lacks "slow-regex: no image written" test -e slow.rules
	run bad-timeout 2 "$gc" policy compile t/slow.yaml -o slow.rules --compile-timeout 0
	has "bad-timeout: names the range" bad-timeout.err "want 1..86400 seconds"

	# Hyperscan out of memory (address space limit): the set is named, not a term. Look
	# for a limit high enough for the process to start and parse, too low for Hyperscan.
	# AddressSanitizer reserves terabytes of address space at start, so under it no limit
	# lets the process start: that build skips this part (the plain build runs it).
	if ldd "$gc" 2>/dev/null | grep -q libasan; then
		echo "skip: oom: guardctl is built with AddressSanitizer (prlimit --as cannot apply)"
		return 0
	fi
	found=0
	m=16
	while [ "$m" -le 96 ]; do
		timeout "$TMO" prlimit --as=$((m * 1024 * 1024)) "$gc" policy compile "$policy" \
			-o oom.rules >oom.out 2>oom.err
		st=$?
		case $st in
		0) break ;; # enough memory: stop looking
		2)
			if grep -q "Hyperscan could not compile" oom.err; then
				found=$m
				break
			fi
			;;
		127) ;; # the dynamic loader could not map a library: too low to start
		124)
			fail "oom: hung at --as=${m} MiB"
			break
			;;
		*)
			fail "oom: exit status $st at --as=${m} MiB (a crash?)"
			sed 's/^/    stderr: /' oom.err | head -5 >&2
			break
			;;
		esac
		m=$((m + 1))
	done
	if [ "$found" -eq 0 ]; then
		fail "oom: no address-space limit in 16..96 MiB made Hyperscan fail (last: $m MiB, status $st)"
	else
		ok "oom: Hyperscan fails under --as=${found} MiB"
		has "oom: Hyperscan could not compile the patterns" oom.err \
			"Hyperscan could not compile the "
		has "oom: out of memory" oom.err "allocate memory"
		hasnt "oom: no literal blamed" oom.err "literal rejected"
		hasnt "oom: no regex blamed" oom.err "regex rejected"
		hasnt "oom: no phrase quoted" oom.err "phrase '"
		holds "oom: one line ($(wc -l <oom.err))" [ "$(wc -l <oom.err)" -eq 1 ]
		lacks "oom: no image written" test -e oom.rules
		echo "note: $(cat oom.err)"
	fi
}

case $case in
compile | show | check | refuse | hostile) "case_$case" ;;
*)
	echo "$0: unknown case '$case'" >&2
	exit 2
	;;
esac

if [ "$failures" -ne 0 ]; then
	echo "image-$case: $failures check(s) failed" >&2
	exit 1
fi
echo "image-$case: all checks passed"
