#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Compile a policy into the ruleset image guardd runs, as an operator would, with the
# guardctl built beside GUARDD (or $GUARDCTL). The test scripts that start guardd use it.
#   compile-ruleset.sh GUARDD POLICY IMAGE
# Exit 0, or 1 with the compiler's message on stderr (its output is in IMAGE.log).
[ $# -eq 3 ] || { echo "usage: $0 GUARDD POLICY IMAGE" >&2; exit 2; }
guardctl=${GUARDCTL:-$(dirname "$1")/../control/guardctl}
if ! "$guardctl" policy compile "$2" -o "$3" >"$3.log" 2>&1; then
	echo "$0: $2 did not compile:" >&2
	cat "$3.log" >&2
	exit 1
fi
