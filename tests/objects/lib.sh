#!/usr/bin/env bash
# Shared by the objects suite (sourced after tests/control/lib.sh): the slow-path topology.
#
#   pace (paced pcap replayer, memif client) --memif--> guardd port 0 (high side)
#   guardd port 1 (low side) = net_pcap, tx into $RUN/o (what left: read with objects.py)
#   guard-control (audit, review queue, release pump) and guard-slowpath attached to guardd
#
# guardd runs first (the memif server) and waits; pace (the client) sends only once its
# memif link is up, after guard-control and guard-slowpath are attached (start_pace), so no
# chunk meets slowpath_down.
# Provides: corpus DIR, start_objects_guardd, start_slowpath [OPTS], stop_slowpath,
#           kill_slowpath, start_pace PCAP [PPS], wait_pace, objects_py ARGS...,
#           as_reviewer UID CMD..., slowpath_stat CHANNEL REASON, slowpath_total NAME,
#           review_state ID, SP_PID, PACE_PID, OUT_PCAP, REVIEW_DB, SP_STATS.

PACE=$BUILD/perf/pace/pace
GUARD_SLOWPATH=$BUILD/control/slowpathd/guard-slowpath
GEN_OBJECTS=$BUILD/tools/gen-objects/gen-objects
OBJECTS_PY=$ROOT/tests/objects/objects.py
[[ -x $PACE && -x $GUARD_SLOWPATH && -x $GEN_OBJECTS ]] ||
	die "pace, guard-slowpath and gen-objects must be built in $BUILD"
command -v setpriv >/dev/null || fail "setpriv not found: install the Debian package 'util-linux'"

# reviewers of the sample policy are uids 1001-1003; they reach the socket through the
# operator group nogroup, and need to get through the private run directory
chmod 755 "$RUN"
OUT_PCAP=$RUN/o
REVIEW_DB=$STATE/review.db
SP_STATS=$SCRATCH/slowpath.stats
SP_PID='' PACE_PID=''
MEMIF_OPTS="socket-abstract=no,bsize=9216"
EXTRA_PIDS=''

# corpus DIR: the test objects (tests/slowpath/make-corpus.py) in DIR
corpus() {
	python3 "$ROOT/tests/slowpath/make-corpus.py" "$1" >"$SCRATCH/corpus.log" 2>&1 ||
		{ cat "$SCRATCH/corpus.log" >&2; fail "make-corpus.py"; }
}

start_objects_guardd() {
	local pcap_args="rx_pcap=$RUN/e,tx_pcap=$OUT_PCAP"
	((${#pcap_args} <= 63)) || fail "net_pcap1's arguments '$pcap_args' are longer than 63 bytes"
	python3 "$OBJECTS_PY" empty-pcap "$RUN/e" || fail "cannot write an empty pcap"
	start_guardd --vdev "net_memif0,role=server,id=0,socket=$RUN/a.sock,$MEMIF_OPTS" \
		--vdev "net_pcap1,$pcap_args" -- --ruleset "$SCRATCH/sample.rules" \
		--stats-file "$SCRATCH/guardd.stats" "$@"
}

SLOWPATH_RUNS=0
start_slowpath() {
	SLOWPATH_RUNS=$((SLOWPATH_RUNS + 1))
	"$GUARD_SLOWPATH" --proc-type=secondary --file-prefix "$PREFIX" -l 0 --no-pci \
		--log-level=lib.eal:warning -- --review-db "$REVIEW_DB" --stats-file "$SP_STATS" \
		"$@" </dev/null >"$SCRATCH/slowpath-$SLOWPATH_RUNS.log" 2>&1 &
	SP_PID=$!
	EXTRA_PIDS="$SP_PID ${PACE_PID:-}"
	wait_for "guard-slowpath to attach" 30 grep -q "attached to guardd" \
		"$SCRATCH/slowpath-$SLOWPATH_RUNS.log"
}

stop_slowpath() {
	kill -TERM "$SP_PID"
	wait "$SP_PID" || fail "guard-slowpath exited with $? on SIGTERM"
	SP_PID=''
}

kill_slowpath() {
	kill -KILL "$SP_PID"
	wait "$SP_PID" 2>/dev/null || true
	SP_PID=''
}

# start_pace PCAP [PPS]: send every frame of PCAP once over memif into guardd port 0
start_pace() {
	local n
	n=$(python3 "$OBJECTS_PY" count "$1") || fail "cannot count the frames of $1"
	# emptied here, not by the background job's redirection: wait_pace must not read the
	# previous pace's "pace sent" line before the new one has started
	: >"$SCRATCH/pace.log"
	# its second port (it counts what comes back there) is an empty capture: nothing returns
	stdbuf -oL "$PACE" -l 0 --no-pci --file-prefix "$PREFIX-pace" -m 256 \
		--log-level=lib.eal:warning \
		--vdev "net_memif0,role=client,id=0,socket=$RUN/a.sock,$MEMIF_OPTS" \
		--vdev "net_pcap0,rx_pcap=$RUN/e,tx_pcap=/dev/null" -- --pcap "$1" --pps "${2:-5000}" --count "$n" --drain-ms 100 \
		--link-wait 60 --linger 600 </dev/null >"$SCRATCH/pace.log" 2>&1 &
	PACE_PID=$!
	EXTRA_PIDS="${SP_PID:-} $PACE_PID"
	PACE_FRAMES=$n
}

# wait_pace: pace has sent everything (it then lingers until guardd leaves)
wait_pace() {
	wait_for "pace to send $PACE_FRAMES frames" 120 grep -q '^pace sent ' "$SCRATCH/pace.log"
	grep -q "^pace sent $PACE_FRAMES\$" "$SCRATCH/pace.log" ||
		fail "pace did not send all $PACE_FRAMES frames: $(cat "$SCRATCH/pace.log")"
}

objects_py() { python3 "$OBJECTS_PY" "$@"; }

# as_reviewer UID CMD...: run CMD as that uid, group nogroup (the socket's operator group)
as_reviewer() {
	local uid=$1
	shift
	setpriv --reuid="$uid" --regid=nogroup --clear-groups -- "$@"
}

# slowpath_stat CHANNEL REASON: a cell of guard-slowpath's stats file (0 if absent)
slowpath_stat() {
	awk -v c="$1" -v r="$2" '$1 == c && $2 == r { n = $3 } END { print n + 0 }' "$SP_STATS" 2>/dev/null || echo 0
}

# slowpath_decided N: guard-slowpath's stats say at least N objects were decided
slowpath_decided() { (($(slowpath_total objects) >= $1)); }

slowpath_total() {
	awk -v k="$1" '$1 == "total" && $2 == k { n = $3 } END { print n + 0 }' "$SP_STATS" 2>/dev/null || echo 0
}

# review_state ID: the item's state as guard-control shows it
review_state() {
	guardctl review show "$1" --json --socket "$SOCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'
}

# wait_state ID STATE SECONDS: until item ID is in STATE; on a timeout, show the item
wait_state() {
	local t=0
	until [[ $(review_state "$1" 2>/dev/null) == "$2" ]]; do
		if ((t++ >= $3 * 10)); then
			guardctl review show "$1" --socket "$SOCK" >&2 || true
			fail "timed out after $3 s waiting for item $1 to be $2"
		fi
		sleep 0.1
	done
}
