#!/usr/bin/env bash
# Shared by the control suite's scripts (sourced): start guardd on hugepages and
# guard-control attached to it, each in the background with its log in the scratch
# directory, and clean everything up at exit (processes, sockets, runtime directories).
#
# Caller sets before sourcing: BUILD (meson build dir), ROOT (repo root), SCRATCH (dir).
# Provides: start_guardd ARGS... (EAL vdevs and guardd options after '--'),
#           start_control [OPTIONS...], stop_control, kill_control, stop_guardd,
#           guardctl ARGS..., telemetry CMD, wait_for DESC SECONDS COMMAND...,
#           sample_traffic SEED [COUNT],
#           fail MSG, ok MSG, GD_PID, GC_PID, PREFIX, SOCK, AUDIT, STATE.
set -euo pipefail

# shellcheck source=tools/lib/common.sh
source "$ROOT/tools/lib/common.sh"

if ! setup_hugepages "$GUARD_HUGEPAGES" >/dev/null 2>&1; then
	echo "SKIP: 2 MiB hugepages could not be reserved or mounted (needs root)" >&2
	exit 77
fi

GUARDD=$BUILD/dataplane/guardd
GUARD_CONTROL=$BUILD/control/daemon/guard-control
GUARDCTL=$BUILD/control/guardctl
[[ -x $GUARDD && -x $GUARD_CONTROL && -x $GUARDCTL ]] ||
	die "guardd, guard-control and guardctl must be built in $BUILD"

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
# socket paths must fit sun_path: keep them in a short private directory
RUN=$(mktemp -d /tmp/guard-ctl.XXXXXX)
PREFIX=guard-ctl-$$-$RANDOM
SOCK=$RUN/control.sock
AUDIT=$SCRATCH/audit.jsonl
STATE=$RUN/state
mkdir -p "$STATE"
GD_PID='' GC_PID=''

_cleanup() {
	local pid
	for pid in $GC_PID $GD_PID ${EXTRA_PIDS:-}; do
		kill -INT "$pid" 2>/dev/null || true
	done
	for pid in $GC_PID $GD_PID ${EXTRA_PIDS:-}; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$RUN" /dev/hugepages/"$PREFIX"* /var/run/dpdk/"$PREFIX"*
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	printf 'FAIL: %s\n' "$1" >&2
	local f
	for f in "$SCRATCH"/guardd.log "$SCRATCH"/control*.log; do
		[[ -s $f ]] && { printf '  --- last lines of %s ---\n' "$f" >&2; tail -n 15 "$f" | sed 's/^/  /' >&2; }
	done
	exit 1
}
ok() { printf 'ok: %s\n' "$1"; }

# wait_for DESC SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds.
wait_for() {
	local desc=$1 secs=$2 t=0
	shift 2
	until "$@" >/dev/null 2>&1; do
		((t++ < secs * 10)) || fail "timed out after $secs s waiting for $desc"
		sleep 0.1
	done
}

# start_guardd [EAL args...] -- [guardd args...]: main lcore 0, one worker on lcore 1.
start_guardd() {
	"$GUARDD" -l 0,1 --no-pci --file-prefix "$PREFIX" -m 512 --log-level=lib.eal:warning \
		"$@" </dev/null >"$SCRATCH/guardd.log" 2>&1 &
	GD_PID=$!
	wait_for "guardd's runtime directory" 30 test -S "/var/run/dpdk/$PREFIX/mp_socket"
	wait_for "guardd to start its workers" 30 grep -q "workers, .* ports" "$SCRATCH/guardd.log"
}

CONTROL_RUNS=0
# start_control [guard-control options...]: attached to guardd; log control-N.log.
start_control() {
	CONTROL_RUNS=$((CONTROL_RUNS + 1))
	"$GUARD_CONTROL" --proc-type=secondary --file-prefix "$PREFIX" -l 0 --no-pci \
		--log-level=lib.eal:warning -- --audit-log "$AUDIT" --socket "$SOCK" \
		--state-dir "$STATE" "$@" </dev/null >"$SCRATCH/control-$CONTROL_RUNS.log" 2>&1 &
	GC_PID=$!
	wait_for "guard-control's socket" 30 test -S "$SOCK"
	wait_for "guard-control to answer" 30 "$GUARDCTL" status --socket "$SOCK"
}

stop_control() {
	kill -TERM "$GC_PID"
	wait "$GC_PID" || fail "guard-control exited with $? on SIGTERM"
	GC_PID=''
}

kill_control() {
	kill -KILL "$GC_PID"
	wait "$GC_PID" 2>/dev/null || true
	GC_PID=''
	rm -f "$SOCK"
}

stop_guardd() {
	kill -INT "$GD_PID"
	wait "$GD_PID" || fail "guardd exited with $? on SIGINT"
	GD_PID=''
}

guardctl() { "$GUARDCTL" "$@"; }

# sample_traffic SEED: COUNT (default 200) generated frames in $PCAP, an endless-replay
# net_pcap argument in $PCAP_ARGS, and the sample ruleset in $SCRATCH/sample.rules. The
# capture lives in the short private directory: DPDK 22.11 hands a vdev's arguments to
# secondary processes (guard-control, dpdk-dumpcap) in 63 bytes, cutting longer ones short.
sample_traffic() {
	PCAP=$RUN/traffic.pcap
	PCAP_ARGS="rx_pcap=$PCAP,infinite_rx=1"
	((${#PCAP_ARGS} <= 63)) || fail "net_pcap0's arguments '$PCAP_ARGS' are longer than 63 bytes"
	"$BUILD/tools/gen-traffic/gen-traffic" --out "$PCAP" --expect "$SCRATCH/traffic.expect" \
		--count "${2:-200}" --seed "$1" --formats all >"$SCRATCH/gen.log" 2>&1 ||
		{ cat "$SCRATCH/gen.log" >&2; fail "gen-traffic"; }
	"$ROOT/tools/lib/compile-ruleset.sh" "$GUARDD" "$ROOT/rules/sample-policy.yaml" \
		"$SCRATCH/sample.rules" || fail "the sample policy does not compile"
}

# telemetry CMD: guardd's answer to a telemetry command, as dpdk-telemetry.py prints it.
telemetry() {
	printf '%s\n' "$1" | dpdk-telemetry.py -f "$PREFIX" 2>/dev/null
}
