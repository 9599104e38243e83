#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Checks shared by the guardctl test scripts (guardctl-test.sh, image-test.sh), sourced by
# them: each prints "ok: NAME" or "FAIL: ..." and counts failures in $failures, so that every
# check runs and the script fails at the end if any did.

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

ok() {
	echo "ok: $*"
}

# has NAME FILE TEXT: FILE contains the fixed string TEXT
has() {
	if grep -qF -- "$3" "$2"; then
		ok "$1"
	else
		fail "$1: '$3' not in $2"
		head -20 "$2" | sed 's/^/    /' >&2
	fi
}

# hasnt NAME FILE TEXT: FILE does not contain the fixed string TEXT
hasnt() {
	if grep -qF -- "$3" "$2"; then
		fail "$1: '$3' in $2"
		head -20 "$2" | sed 's/^/    /' >&2
	else
		ok "$1"
	fi
}

# is NAME FILE TEXT: FILE is exactly the one line TEXT
is() {
	if [ "$(cat "$2")" = "$3" ]; then
		ok "$1"
	else
		fail "$1: $2 is '$(cat "$2")', want '$3'"
	fi
}

# holds NAME CMD...: CMD succeeds; lacks NAME CMD...: CMD fails
holds() {
	hname=$1
	shift
	if "$@"; then ok "$hname"; else fail "$hname"; fi
}

lacks() {
	hname=$1
	shift
	if "$@"; then fail "$hname"; else ok "$hname"; fi
}

# py NAME SCRIPT ARGS...: a python3 check; it prints why and exits non-zero on failure
py() {
	name=$1
	shift
	if python3 -c "$@"; then
		ok "$name"
	else
		fail "$name"
	fi
}
