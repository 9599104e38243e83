#!/usr/bin/env bash
# One short libFuzzer run (suite fuzz-short): fuzz for SECONDS starting from the committed
# seed corpus, writing new inputs only to WORKDIR (the source tree is never modified).
# Fails on any crash, leak, sanitizer report or timeout; the reproducer is left in WORKDIR
# (copy it into tests/fuzz/corpus/<target>/ once fixed: the replay suite keeps it).
# Prints the executions run, for docs/testing.md and the closing notes.
#
# Usage: run-short.sh FUZZER SECONDS WORKDIR CORPUS_DIR
set -euo pipefail
(($# == 4)) || { echo "usage: $0 FUZZER SECONDS WORKDIR CORPUS_DIR" >&2; exit 2; }
fuzzer=$1 seconds=$2 work=$3 corpus=$4
[[ -x $fuzzer ]] || { echo "run-short: '$fuzzer' is not an executable" >&2; exit 2; }
[[ -d $corpus ]] || { echo "run-short: no seed corpus '$corpus'" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work/new" "$work/artifacts"
log=$work/fuzz.log
rc=0
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -max_len=8192 -timeout=10 \
	-rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" "$work/new" "$corpus" >"$log" 2>&1 || rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
echo "$(basename "$fuzzer"): ${execs:-?} executions in ${seconds} s, exit $rc"
if ((rc != 0)); then
	tail -n 40 "$log"
	ls -l "$work/artifacts"
	exit 1
fi
