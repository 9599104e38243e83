#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The commands the documentation shows are the commands that work (issue 9).

Every fenced block of README.md, docs/*.md, rules/README.md and tests/*/README.md whose
language is

  sh        is run with bash -e -o pipefail and must exit 0;
  console   is a transcript: each "$ " line (with its "\\" continuation lines) is run, and
            what it prints (stdout and stderr) must be the lines that follow, up to the next
            "$ " line. In an expected line "…" stands for any text (a figure that varies,
            such as a compile time), and a line that is only "…" for any number of lines;
  sh norun: WHY  is not run, and must say why (the two README commands, an hour of fuzzing,
            an install into /usr/local; tests/doc/install.sh runs that one in a staging
            directory).

Other blocks (yaml, json, text, plain ```) are not commands: synopses, file formats and
outputs shown without the command that makes them.

The commands run in a scratch directory that links the repository's rules/, tests/,
tools/, docs/ and perf/, with the installed names (guardd, guardctl, gen-traffic,
gen-objects) on PATH
pointing into the build directory, so a document is written as an operator who ran
`meson install -C build` would type it. Also checked: the package list in
docs/operator.md is the one tools/lib/common.sh installs.

Usage: doctest.py REPO_ROOT BUILD_DIR SCRATCH_DIR     (prints TAP)
"""
import glob
import os
import re
import shutil
import subprocess
import sys

ELLIPSIS = "\u2026"
TIMEOUT = 600


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=""):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, what))
        if not cond:
            self.failed += 1
            for line in diag.rstrip("\n").splitlines():
                print("#   " + line)
        return cond

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def blocks(path):
    """(first line number, info string, lines) of every fenced block of a Markdown file."""
    out, cur = [], None
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            stripped = line.lstrip()
            if cur is None and stripped.startswith("```"):
                cur = (no, stripped[3:].strip(), [])
            elif cur is not None and stripped.startswith("```"):
                out.append(cur)
                cur = None
            elif cur is not None:
                cur[2].append(line)
    return out


def transcript(lines):
    """[(command, [expected lines])] of a console block."""
    steps, cmd, want, cont = [], None, [], False
    for line in lines:
        if cont:
            cmd += "\n" + line
            cont = line.endswith("\\")
            continue
        if line.startswith("$ "):
            if cmd is not None:
                steps.append((cmd, want))
            cmd, want = line[2:], []
            cont = line.endswith("\\")
        elif cmd is not None:
            want.append(line)
    if cmd is not None:
        steps.append((cmd, want))
    return steps


def line_matches(want, got):
    if ELLIPSIS not in want:
        return want == got
    parts = [re.escape(p) for p in want.split(ELLIPSIS)]
    return re.fullmatch(".*".join(parts), got) is not None


def output_matches(want, got):
    """Expected lines against actual ones; a line '…' skips any number of lines."""
    want = [w.rstrip() for w in want]
    got = [g.rstrip() for g in got]
    while want and want[-1] == "":
        want.pop()
    while got and got[-1] == "":
        got.pop()

    def match(i, j):
        if i == len(want):
            return j == len(got)
        if want[i] == ELLIPSIS:
            return any(match(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and line_matches(want[i], got[j]) and match(i + 1, j + 1)

    return match(0, 0)


def setup_scratch(root, build, scratch):
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(os.path.join(scratch, "bin"))
    for d in ("rules", "tests", "tools", "docs", "perf"):
        os.symlink(os.path.join(root, d), os.path.join(scratch, d))
    have = {}
    for name, rel in (("guardd", "dataplane/guardd"), ("guardctl", "control/guardctl"),
                      ("gen-traffic", "tools/gen-traffic/gen-traffic"),
                      ("gen-objects", "tools/gen-objects/gen-objects")):
        path = os.path.join(build, rel)
        have[name] = os.path.exists(path)
        if have[name]:
            os.symlink(path, os.path.join(scratch, "bin", name))
    env = dict(os.environ)
    env["PATH"] = os.path.join(scratch, "bin") + os.pathsep + env.get("PATH", "")
    return env, have


def run(cmd, env, cwd, shell_opts):
    try:
        p = subprocess.run(["bash"] + shell_opts + ["-c", cmd], cwd=cwd, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return 124, "timed out after %d s\n" % TIMEOUT
    return p.returncode, p.stdout.decode("utf-8", "replace")


def needs_missing(text, have):
    for name, ok in have.items():
        if not ok and re.search(r"(^|[\s|;(])%s(\s|$)" % re.escape(name), text, re.M):
            return name
    return None


def check_packages(root, tap):
    """operator.md's apt-get list equals GUARD_PACKAGES of tools/lib/common.sh."""
    with open(os.path.join(root, "tools/lib/common.sh"), encoding="utf-8") as f:
        m = re.search(r"GUARD_PACKAGES=\(([^)]*)\)", f.read())
    want = m.group(1).split() if m else []
    got = []
    for _, info, lines in blocks(os.path.join(root, "docs/operator.md")):
        cmd = None
        for line in lines:
            if cmd is None and line.startswith("apt-get install"):
                cmd = ""
            if cmd is not None:
                cmd += " " + line.rstrip("\\")
                if not line.endswith("\\"):
                    break
        if cmd is not None:
            got = [w for w in cmd.split()[2:] if not w.startswith("-")]
            break
    tap.ok(want != [] and got == want,
           "docs/operator.md installs exactly the packages tools/lib/common.sh installs",
           "operator.md: %s\ncommon.sh:   %s" % (" ".join(got), " ".join(want)))


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    root, build, scratch = (os.path.realpath(a) for a in sys.argv[1:])
    env, have = setup_scratch(root, build, scratch)
    tap = Tap()
    docs = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs/*.md")))
    docs += [os.path.join(root, "rules/README.md")]
    docs += sorted(glob.glob(os.path.join(root, "tests/*/README.md")))
    docs += sorted(glob.glob(os.path.join(root, "tests/data/*/README.md")))
    ran = 0
    for doc in docs:
        rel = os.path.relpath(doc, root)
        for no, info, lines in blocks(doc):
            words = info.split(None, 1)
            lang = words[0] if words else ""
            rest = words[1] if len(words) > 1 else ""
            where = "%s:%d" % (rel, no)
            text = "\n".join(lines)
            if lang == "sh" and rest.startswith("norun"):
                why = rest[len("norun"):].lstrip(":").strip()
                tap.ok(why != "", "%s: not run (%s)" % (where, why or "no reason given"))
                continue
            if lang not in ("sh", "console"):
                continue
            missing = needs_missing(text, have)
            if missing:
                tap.skip(where, "%s is not built here" % missing)
                continue
            if lang == "sh":
                rc, out = run(text, env, scratch, ["-e", "-o", "pipefail"])
                tap.ok(rc == 0, "%s: the block runs (exit %d)" % (where, rc),
                       "commands:\n" + text + "\noutput:\n" + out[-3000:])
                ran += 1
                continue
            for cmd, want in transcript(lines):
                rc, out = run(cmd, env, scratch, [])
                first = cmd.splitlines()[0]
                tap.ok(output_matches(want, out.splitlines()),
                       "%s: $ %s" % (where, first[:70]),
                       "command:\n" + cmd + "\nwant:\n" + "\n".join(want) + "\ngot:\n" + out[-3000:])
                ran += 1
    tap.ok(ran >= 5, "%d commands of the documentation ran" % ran)
    check_packages(root, tap)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
