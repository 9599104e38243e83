#!/usr/bin/env bash
# Layering (issue 10, docs/architecture.md "Layers"): the pure inspection library links
# libc and Hyperscan only (no libyaml, no clock, no I/O), and the dataplane never depends on
# control code. Checked on what the build produced, not only on what the sources say.
#
# Usage: layering.sh SOURCE_ROOT INSPECT_LIB [GUARDD]
set -uo pipefail
root=$1 lib=$2 guardd=${3:-}
fail=0
bad() {
	echo "FAIL: $*" >&2
	fail=1
}

# 1. every symbol libguard-inspect.a needs from outside itself is Hyperscan's, libc's or
#    libm's (libm is part of the C library). Anything else is a dependency the pure library
#    must not have.
libc_syms=$(mktemp)
trap 'rm -f "$libc_syms"' EXIT
for so in /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6; do
	nm -D --defined-only "$so" | awk '{ sub(/@.*/, "", $3); print $3 }'
done | sort -u >"$libc_syms"
defined=$(nm --defined-only "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u)
while read -r sym; do
	[[ -z $sym ]] && continue
	case $sym in
	hs_* | __stack_chk_fail | _GLOBAL_OFFSET_TABLE_ | __asan_* | __ubsan_* | __sanitizer_* | __sancov_* | __msan_*) continue ;;
	esac
	grep -qxF "$sym" <<<"$defined" && continue
	grep -qxF "$sym" "$libc_syms" || bad "libguard-inspect needs '$sym', which is neither libc nor Hyperscan"
done < <(nm -u "$lib" | awk '{ print $2 }' | sort -u)

# 2. ... and of libc it uses no I/O and no clock: the caller reads files and passes 'now'.
for sym in fopen fread fwrite fprintf printf puts open read write close clock_gettime time \
	gettimeofday getenv malloc_stats system popen; do
	if nm -u "$lib" | awk '{ print $2 }' | grep -qx "$sym"; then
		bad "libguard-inspect calls $sym (no I/O, no clock in the pure library)"
	fi
done

# 3. its sources include only C library headers, compiler intrinsics and Hyperscan
while IFS=: read -r file line inc; do
	hdr=$(sed -E 's/.*<([^>]+)>.*/\1/' <<<"$inc")
	case $hdr in
	assert.h | ctype.h | errno.h | inttypes.h | limits.h | math.h | stdarg.h | stdbool.h | \
		stddef.h | stdint.h | stdio.h | stdlib.h | string.h | strings.h | emmintrin.h | \
		immintrin.h | nmmintrin.h | smmintrin.h | tmmintrin.h | hs/hs.h | hs/hs_runtime.h) ;;
	*) bad "$file:$line includes <$hdr> (libc and Hyperscan only)" ;;
	esac
done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' \
	"$root"/dataplane/inspect/*.c "$root"/dataplane/inspect/*.h)

# 4. nothing under dataplane/ includes control code, and guardd links none of it
while IFS=: read -r file line inc; do
	bad "$file:$line includes control code: $inc"
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(pc_|gc_|control/)' \
	"$root"/dataplane --include='*.c' --include='*.h')
if grep -nE 'policyc_dep|yaml_dep' "$root"/dataplane/meson.build "$root"/dataplane/*/meson.build; then
	bad "a dataplane meson.build links the policy compiler or libyaml"
fi
if [[ -n $guardd && -x $guardd ]]; then
	if nm "$guardd" 2>/dev/null | grep -qE ' [TtU] (pc_|ld_build|yaml_)'; then
		bad "guardd contains policy-compiler or libyaml code"
	fi
fi
((fail)) || echo "ok: libguard-inspect needs only libc and Hyperscan; dataplane/ uses no control code"
exit "$fail"
