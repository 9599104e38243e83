# shellcheck shell=bash
# Shared helpers for tools/demo, tools/test and tests/e2e. Source it; do not run it.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# Everything here is idempotent: running it twice changes nothing the second time.

# The Debian 12 packages the build, the demo and the tests need.
# shellcheck disable=SC2034 # used by the scripts that source this file
# python3: the guardctl tests check JSON with it; clang-format: the lint suite;
# g++ and libbenchmark-dev: perf/ (Google Benchmark through a C++ shim).
# libmagic, qpdf, poppler-glib, libvips, SQLite: guard-slowpath and the review queue
# (issue 13); qpdf, libvips-tools and exiftool make the slow path's test objects
# (tests/slowpath/make-corpus.py); util-linux: setpriv, reviewers' uids in the tests.
# nodejs: the interop suite runs the TAK client library @tak-ps/node-cot; iproute2, ethtool:
# it builds veth pairs in network namespaces. npm is not listed: a nodejs from NodeSource
# provides npm itself and conflicts with Debian's npm package, so ensure_node_cot installs
# Debian's npm only when there is no npm command.
GUARD_PACKAGES=(dpdk dpdk-dev libdpdk-dev libhyperscan-dev libyaml-dev libpcap-dev
	libutf8proc-dev libicu-dev libsodium-dev libssl-dev meson ninja-build pkg-config gcc g++
	clang clang-format python3 libbenchmark-dev nodejs iproute2 ethtool
	libmagic-dev libqpdf-dev libpoppler-glib-dev libvips-dev libsqlite3-dev
	qpdf libvips-tools libimage-exiftool-perl util-linux)

# 2 MiB hugepages the demo and tests want reserved (testpmd and guardd take 256 MiB each).
GUARD_HUGEPAGES=${GUARD_HUGEPAGES:-1024}
HUGEPAGE_DIR=/dev/hugepages
HUGEPAGE_SYSFS=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages

# The TAK client library the interop suite (tests/interop) drives, pinned to one version.
# ensure_node_cot installs it below the npm prefix $GUARD_NPM_DIR if set, else build-npm/
# at the top of the tree (git-ignored as /build*/), where tests/interop/meson.build looks.
GUARD_NODE_COT_VERSION=14.23.2

guard_repo_root() {
	local d
	d=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	printf '%s\n' "$d"
}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# demo_inputs GEN GUARDCTL POLICY COUNT: in the current directory, the traffic the demo and
# the perf/ scripts measure (demo.pcap and its sidecar demo.expect: gen-traffic --count COUNT
# --seed 1 --formats all) and POLICY compiled into sample.rules.
demo_inputs() {
	"$1" --out demo.pcap --expect demo.expect --count "$4" --seed 1 --formats all >gen.log 2>&1 ||
		die "gen-traffic failed: $(cat gen.log)"
	"$2" policy compile "$3" -o sample.rules >compile.log 2>&1 ||
		die "$3 did not compile: $(cat compile.log)"
}

need_root() {
	[[ $(id -u) -eq 0 ]] || die "run as root (needs apt-get, hugepages and DPDK)"
}

# ensure_packages PKG... : apt-get install whatever of PKG is not installed yet.
# Runs 'apt-get update' only when the install fails for want of package lists.
ensure_packages() {
	local missing=() p st
	for p in "$@"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[[ $st == installed ]] || missing+=("$p")
	done
	((${#missing[@]} == 0)) && return 0
	need_root
	command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
		log "apt-get update (package lists missing or stale)"
		apt-get update -q >/dev/null || die "apt-get update failed; run it by hand to see why"
		apt-get install -y --no-install-recommends "${missing[@]}" ||
			die "apt-get install ${missing[*]} failed (output above)"
	fi
}

# hugepages_free: number of free 2 MiB hugepages (0 if none).
hugepages_free() {
	awk '/^HugePages_Free:/ { print $2; f = 1 } END { if (!f) print 0 }' /proc/meminfo
}

# setup_hugepages [PAGES]: reserve PAGES (default $GUARD_HUGEPAGES) 2 MiB pages and mount
# hugetlbfs on /dev/hugepages. Returns 1 (with a message) if that cannot be done; never
# lowers a larger reservation someone else made.
setup_hugepages() {
	local want=${1:-$GUARD_HUGEPAGES} have
	if [[ ! -w $HUGEPAGE_SYSFS && ! -r $HUGEPAGE_SYSFS ]]; then
		log "no 2 MiB hugepage support ($HUGEPAGE_SYSFS missing)"
		return 1
	fi
	have=$(cat "$HUGEPAGE_SYSFS")
	if ((have < want)); then
		if ! { echo "$want" >"$HUGEPAGE_SYSFS"; } 2>/dev/null; then
			log "cannot reserve hugepages: writing $want to $HUGEPAGE_SYSFS failed (root needed)"
			return 1
		fi
		have=$(cat "$HUGEPAGE_SYSFS")
		if ((have < want)); then
			log "only $have of $want hugepages could be reserved (memory fragmented?)"
			((have >= 256)) || return 1
		fi
	fi
	if ! mountpoint -q "$HUGEPAGE_DIR" 2>/dev/null; then
		mkdir -p "$HUGEPAGE_DIR" 2>/dev/null || true
		if ! mount -t hugetlbfs nodev "$HUGEPAGE_DIR" 2>/dev/null; then
			log "cannot mount hugetlbfs on $HUGEPAGE_DIR (root needed)"
			return 1
		fi
	fi
	return 0
}

# build_dir DIR [meson -D options...]: configure DIR once (meson setup), keep its options
# in line on later runs (meson configure), then build it with ninja.
# Logs go to DIR/guard-build.log; the caller gets 1 back (not an exit) if anything fails.
build_dir() {
	local dir=$1 root
	shift
	root=$(guard_repo_root)
	mkdir -p "$root/$dir"
	local blog="$root/$dir/guard-build.log"
	: >"$blog"
	if [[ ! -f $root/$dir/build.ninja ]]; then
		log "meson setup $dir $*"
		local wipe=()
		# A half-made directory from an interrupted setup would make 'meson setup' refuse.
		[[ -d $root/$dir/meson-private ]] && wipe=(--wipe)
		if ! (cd "$root" && meson setup "${wipe[@]}" "$dir" "$@" >>"$blog" 2>&1); then
			log "meson setup $dir failed; read $blog"
			return 1
		fi
	elif (($# > 0)); then
		if ! (cd "$root" && meson configure "$dir" "$@" >>"$blog" 2>&1); then
			log "meson configure $dir $* failed; read $blog"
			return 1
		fi
	fi
	log "ninja -C $dir"
	if ! ninja -C "$root/$dir" >>"$blog" 2>&1; then
		tail -n 30 "$blog" >&2
		log "build of $dir failed; full log: $blog"
		return 1
	fi
	return 0
}

# ensure_node_cot [DIR]: install @tak-ps/node-cot $GUARD_NODE_COT_VERSION (and its
# dependencies) with npm into the prefix DIR (default: $GUARD_NPM_DIR or build-npm/ at the top
# of the tree), never into the system. Does nothing if that version is already there.
# Needs node (GUARD_PACKAGES), npm (installed here if missing) and the npm registry.
# Returns 1 (with a message) on failure; the interop suite then fails and says why.
ensure_node_cot() {
	local dir=${1:-${GUARD_NPM_DIR:-$(guard_repo_root)/build-npm}} have=''
	local pkg=$dir/node_modules/@tak-ps/node-cot/package.json
	# written only after a whole install: an install cut short (a killed run) is done again
	local done_mark=$dir/.installed-$GUARD_NODE_COT_VERSION
	if [[ -f $pkg && -f $done_mark ]]; then
		have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg" | head -n 1)
		[[ $have == "$GUARD_NODE_COT_VERSION" ]] && return 0
	fi
	command -v npm >/dev/null || ensure_packages npm
	command -v npm >/dev/null || { log "npm not found: cannot install @tak-ps/node-cot"; return 1; }
	log "npm install @tak-ps/node-cot@$GUARD_NODE_COT_VERSION into $dir${have:+ (had $have)}"
	mkdir -p "$dir"
	# A package.json of its own keeps npm from walking up into another project's.
	[[ -f $dir/package.json ]] || printf '{ "name": "guard-test-npm", "private": true }\n' >"$dir/package.json"
	if ! npm install --prefix "$dir" --no-audit --no-fund --no-package-lock --no-save \
		--loglevel=error "@tak-ps/node-cot@$GUARD_NODE_COT_VERSION" >"$dir/npm-install.log" 2>&1; then
		tail -n 20 "$dir/npm-install.log" >&2
		log "npm install @tak-ps/node-cot@$GUARD_NODE_COT_VERSION failed; log: $dir/npm-install.log"
		return 1
	fi
	have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg" 2>/dev/null | head -n 1)
	[[ $have == "$GUARD_NODE_COT_VERSION" ]] || {
		log "npm installed @tak-ps/node-cot '${have:-nothing}', wanted $GUARD_NODE_COT_VERSION"
		return 1
	}
	touch "$done_mark"
}
