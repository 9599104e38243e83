#!/usr/bin/env python3
"""Check that every audit record was decided wholly by the generation it names.

Usage: check_generations.py PCAP DECISIONS_A DECISIONS_B AUDIT_LOG...

DECISIONS_A/B are `guardctl check --pcap PCAP --json` outputs for the two policies the
reload test alternates (A: odd generations, B: even ones). Frames whose payload the two
policies decide differently are the markers: each of their records must carry the decision
of its own generation's policy. Records of one lcore must also appear in non-decreasing
generation order (a worker never goes back to an older generation).
Prints what it checked; exit 0 if consistent, 1 with the first inconsistencies otherwise.
"""
import hashlib
import json
import struct
import sys


def payloads(path):
    """UDP payload of each frame of an Ethernet pcap (None when not IPv4/IPv6 UDP)."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack_from('<I', data, 0)[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack_from(endian + 'IIII', data, off)
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        yield udp_payload(frame)


def udp_payload(fr):
    if len(fr) < 14:
        return None
    et = struct.unpack_from('>H', fr, 12)[0]
    p = 14
    while et in (0x8100, 0x88a8) and len(fr) >= p + 4:
        et = struct.unpack_from('>H', fr, p + 2)[0]
        p += 4
    if et == 0x0800 and len(fr) >= p + 20:
        ihl = (fr[p] & 0x0f) * 4
        if fr[p + 9] != 17:
            return None
        u = p + ihl
    elif et == 0x86dd and len(fr) >= p + 40:
        if fr[p + 6] != 17:
            return None
        u = p + 40
    else:
        return None
    if len(fr) < u + 8:
        return None
    ulen = struct.unpack_from('>H', fr, u + 4)[0]
    return fr[u + 8:u + max(ulen, 8)]


def audit_lines(paths):
    """(file, line number, line) of every line of the audit files, in chain order."""
    for path in paths:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                yield path, n, line


def decisions(path):
    out = {}
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            if o.get('type') == 'frame':
                out[o['index']] = (o['reason'], o.get('rule_id'))
    return out


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    pcap, da, db = sys.argv[1:4]
    audit_logs = sys.argv[4:]  # oldest first (rotated files, then the current one)
    dec_a, dec_b = decisions(da), decisions(db)
    want = {}  # payload sha256 -> (decision under A, under B), markers only
    ambiguous = set()
    for i, pl in enumerate(payloads(pcap)):
        if pl is None or i not in dec_a or i not in dec_b:
            continue
        h = hashlib.sha256(pl).hexdigest()
        pair = (dec_a[i], dec_b[i])
        if h in want and want[h] != pair:
            ambiguous.add(h)
        want[h] = pair
    markers = {h: p for h, p in want.items() if p[0] != p[1] and h not in ambiguous}
    if not markers:
        sys.exit('no frame is decided differently by the two policies: the test proves nothing')
    checked = {'A': 0, 'B': 0}
    problems = []
    last_gen = {}
    records = 0
    for name, n, line in audit_lines(audit_logs):
        o = json.loads(line)
        if o.get('type') != 'decision':
            continue
        records += 1
        lc, gen = o['lcore'], o['gen']
        if gen < last_gen.get(lc, 0):
            problems.append(f'{name}:{n}: lcore {lc} went back from generation '
                            f'{last_gen[lc]} to {gen}')
        last_gen[lc] = gen
        m = markers.get(o['sha256'])
        if m is None or gen == 0:
            continue
        side = 'A' if gen % 2 == 1 else 'B'
        exp_reason, exp_rule = m[0] if side == 'A' else m[1]
        got = (o['reason'], o.get('rule'))
        if got[0] == 'audit_unavailable':
            continue
        checked[side] += 1
        if got[0] != exp_reason or (exp_rule is not None and got[1] != exp_rule):
            problems.append(f'{name}:{n}: generation {gen} ({side}) decided a marker '
                            f'{got[0]} rule {got[1]}, its policy says {exp_reason} '
                            f'rule {exp_rule}')
    print(f'{len(markers)} marker payloads; {records} decision records; markers checked: '
          f'{checked["A"]} under policy A, {checked["B"]} under policy B; generations '
          f'seen: {sorted(set(last_gen.values()))[-1:] or "none"} (last per lcore)')
    if checked['A'] == 0 or checked['B'] == 0:
        problems.append('markers were not seen under both policies: too little traffic '
                        'between reloads')
    for p in problems[:10]:
        print('FAIL:', p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
