#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# `meson install -C BUILD` (docs/operator.md) into a staging directory: guardd, guard-control
# and guard-slowpath (when built), guardctl, gen-traffic and gen-objects land in bin/, their
# man pages in share/man/man8, the
# installed programs run, and each man page describes every option its program's help
# lists, so the pages cannot fall behind the programs.
#   install.sh BUILD_DIR REPO_ROOT SCRATCH_DIR
set -eu
[ $# -eq 3 ] || { echo "usage: $0 BUILD_DIR REPO_ROOT SCRATCH_DIR" >&2; exit 2; }
build=$(realpath "$1")
root=$(realpath "$2")
stage=$(realpath -m "$3")
fail=0
rm -rf "$stage"
meson install -C "$build" --destdir "$stage" --no-rebuild >"$stage.log" 2>&1 ||
	{ echo "FAIL: meson install:" >&2; cat "$stage.log" >&2; exit 1; }
bin=$stage/usr/local/bin
man=$stage/usr/local/share/man/man8
check() { # what, condition...
	what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what" >&2; fail=1; fi
}
check "guardctl installed and runs" "$bin/guardctl" --version
check "gen-traffic installed and runs" sh -c "'$bin/gen-traffic' --help >/dev/null"
check "gen-objects installed and runs" sh -c "'$bin/gen-objects' --help >/dev/null"
check "guardctl(8) installed" grep -q '^\.SH NAME' "$man/guardctl.8"
check "guardd(8) installed" grep -q '^\.SH NAME' "$man/guardd.8"
check "guard-control(8) installed" grep -q '^\.SH NAME' "$man/guard-control.8"
check "guard-slowpath(8) installed" grep -q '^\.SH NAME' "$man/guard-slowpath.8"
if [ -e "$build/dataplane/guardd" ]; then
	check "guardd installed" test -x "$bin/guardd"
	check "guard-control installed" test -x "$bin/guard-control"
	check "guard-slowpath installed" test -x "$bin/guard-slowpath"
else
	echo "skip: guardd not built here (-Ddataplane=disabled)"
fi

# every option of the programs' help in the man page (as the roff writes it: \-\-name)
opts_guardctl=$("$bin/guardctl" help check; "$bin/guardctl" help policy; "$bin/guardctl" --help)
opts_guardctl=$opts_guardctl$("$bin/guardctl" help audit; "$bin/guardctl" help status)
opts_guardctl=$opts_guardctl$("$bin/guardctl" help review)
opts_guardd=$(sed -n '/^dp_args_usage/,/^}/p' "$root/dataplane/dp_args.c")
opts_control=$(sed -n '/^usage(FILE/,/^}/p' "$root/control/daemon/gd_main.c")
opts_slowpath=$(sed -n '/^usage(FILE/,/^}/p' "$root/control/slowpathd/sd_main.c")
for pair in "guardctl:$opts_guardctl" "guardd:$opts_guardd" "guard-control:$opts_control" \
	"guard-slowpath:$opts_slowpath"; do
	prog=${pair%%:*}
	text=${pair#*:}
	for opt in $(printf '%s\n' "$text" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		roff=$(printf '%s' "$opt" | sed 's/-/\\-/g')
		check "$prog(8) describes $opt" grep -qF -- "$roff" "$man/$prog.8"
	done
done
exit "$fail"
