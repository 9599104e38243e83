#!/usr/bin/env bash
# docs/reasons.md must be exactly what tools/reasons-doc prints from the code.
set -euo pipefail
gen=$1 doc=$2
if ! diff -u "$doc" <("$gen"); then
	echo "docs/reasons.md is out of date: run $gen > docs/reasons.md" >&2
	exit 1
fi
echo "docs/reasons.md matches the reason list"
