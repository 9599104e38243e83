#!/usr/bin/env bash
# The priority egress scheduler's cost at line rate (issue 14, docs/egress.md): guardd with
# its class queues (worker 0 sends; the sample policy's ports are unshaped) against guardd
# --egress-direct (each worker sends a released packet at once), side by side in rounds,
# in perf/e2e.sh's memif topology and traffic. Prints perf/e2e.sh's table and
#   ratio: R (guardd with priority egress/guardd --egress-direct)
# Usage: perf/egress.sh [BUILD_DIR] [--runs N] [--count N] [--quiet SEC]  (root)
# Raw results: out/e2e/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/perf/e2e.sh" "$@" --workers 1 --boxes "guardd guardd-direct"
