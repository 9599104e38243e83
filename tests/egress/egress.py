#!/usr/bin/env python3
"""Traffic and measurements for the priority-egress tests (tests/egress/, docs/egress.md).

  egress.py traffic OUT.pcap --routine N --flash-every K [--immediate-every J]
                    [--routine-bytes B] [--flash-bytes F]
      CoT events for the sample policy's channel cot-mn (239.2.3.1:6969, port 0), releasable
      to MN and valid for an hour from now: N routine map spots (b-m-p-s-p-i, class routine)
      of about B bytes of payload, with a flash alert (b-a-o-tbl, class flash) of about F
      bytes after every K-th routine one and an immediate hostile track (a-h-G) after every
      J-th. Each event's uid says its class and sequence number (e.g. flash-00017).
  egress.py wire OUT.pcap [--overhead O] [--skip S] [--window W]
      What left on the wire (the egress pcap guardd wrote): frames per DSCP, and the rate
      over W seconds starting S seconds after the first frame, counting each frame's bytes
      plus O bytes of link overhead, from the capture timestamps. Prints one JSON object.
  egress.py plot STATS OUT.svg [--port P] [--title T]
      An SVG plot of the queueing delay per class (cumulative share of packets against
      delay, from guardd's --stats-file egress_delay_bucket lines).
"""
import argparse
import json
import math
import struct
import sys
import time

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D
DSCP_CLASS = {46: "flash", 34: "immediate", 18: "priority", 8: "routine"}
CLASSES = ["flash", "immediate", "priority", "routine"]
COLOURS = {"flash": "#c0392b", "immediate": "#e67e22", "priority": "#2980b9",
           "routine": "#7f8c8d"}

LABEL = ('<originatorConfidentialityLabel xmlns="urn:nato:stanag:4774:'
         'confidentialitymetadatalabel:1:0"><ConfidentialityInformation>'
         '<PolicyIdentifier>DEU</PolicyIdentifier>'
         '<Classification>VS-NUR FUER DEN DIENSTGEBRAUCH</Classification>'
         '<Category Type="PERMISSIVE" TagName="Releasable To">'
         + "".join("<GenericValue>%s</GenericValue>" % n
                   for n in ("USA", "GBR", "FRA", "DEU", "POL", "NLD", "ITA", "CAN"))
         + '</Category></ConfidentialityInformation>'
         '<CreationDateTime>%s</CreationDateTime></originatorConfidentialityLabel>')
FILLER = "grid reference checked route clear "


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def cot_event(uid, etype, size, now):
    """A CoT event of about SIZE bytes (remarks padded), valid for an hour from NOW."""
    head = ('<event version="2.0" uid="%s" type="%s" how="m-g" time="%s" start="%s" '
            'stale="%s"><point lat="50.8503" lon="4.3517" hae="56.2" ce="9.9" '
            'le="9999999.0"/><detail>%s<remarks>'
            % (uid, etype, iso(now), iso(now), iso(now + 3600), LABEL % iso(now)))
    tail = "</remarks></detail></event>"
    room = max(0, size - len(head) - len(tail))
    text = (FILLER * (room // len(FILLER) + 1))[:room].rstrip()
    return (head + text + tail).encode()


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(payload, src="192.0.2.10", dst="239.2.3.1", sport=40000, dport=6969):
    """Ethernet + IPv4 + UDP around PAYLOAD, checksums right."""
    s = bytes(int(x) for x in src.split("."))
    d = bytes(int(x) for x in dst.split("."))
    udp_len = 8 + len(payload)
    pseudo = s + d + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    uc = csum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", uc) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0x4000, 64, 17, 0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = bytes.fromhex("01005e020301") + bytes.fromhex("020000000001") + b"\x08\x00"
    return eth + ip + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", PCAP_MAGIC_US, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i // 1000, (i % 1000) * 1000, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    """[(timestamp seconds, frame bytes)]"""
    out = []
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return out
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic not in (PCAP_MAGIC_US, PCAP_MAGIC_NS):
            raise SystemExit("%s: not a little-endian pcap (magic %#x)" % (path, magic))
        div = 1e6 if magic == PCAP_MAGIC_US else 1e9
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            sec, frac, incl, _orig = struct.unpack("<IIII", rec)
            data = f.read(incl)
            if len(data) < incl:
                break
            out.append((sec + frac / div, data))
    return out


def cmd_traffic(a):
    now = time.time()
    frames = []
    flash = imm = 0
    for i in range(1, a.routine + 1):
        frames.append(frame(cot_event("routine-%05d" % i, "b-m-p-s-p-i", a.routine_bytes, now)))
        if a.flash_every and i % a.flash_every == 0:
            flash += 1
            frames.append(frame(cot_event("flash-%05d" % flash, "b-a-o-tbl", a.flash_bytes, now)))
        if a.immediate_every and i % a.immediate_every == 0:
            imm += 1
            frames.append(frame(cot_event("immediate-%05d" % imm, "a-h-G", a.flash_bytes, now)))
    write_pcap(a.out, frames)
    print(json.dumps({"frames": len(frames), "routine": a.routine, "flash": flash,
                      "immediate": imm,
                      "routine_frame_bytes": len(frames[0]),
                      "flash_frame_bytes": max((len(f) for f in frames
                                                if b'uid="flash-' in f), default=0)}))


def dscp_of(fr):
    if len(fr) < 34 or fr[12:14] != b"\x08\x00":
        return None
    return fr[15] >> 2


def cmd_wire(a):
    frames = read_pcap(a.pcap)
    res = {"frames": len(frames), "per_dscp": {}, "per_class": {}}
    for _t, fr in frames:
        d = dscp_of(fr)
        res["per_dscp"][str(d)] = res["per_dscp"].get(str(d), 0) + 1
        c = DSCP_CLASS.get(d, "other")
        res["per_class"][c] = res["per_class"].get(c, 0) + 1
    uids = {}
    for _t, fr in frames:
        i = fr.find(b'uid="')
        if i >= 0:
            u = fr[i + 5:fr.index(b'"', i + 5)].decode()
            uids[u] = uids.get(u, 0) + 1
    res["flash_uids"] = sorted(u for u in uids if u.startswith("flash-"))
    res["duplicate_uids"] = sorted(u for u, n in uids.items() if n > 1)
    res["class_by_uid_ok"] = all(
        DSCP_CLASS.get(dscp_of(fr)) == fr[fr.find(b'uid="') + 5:].split(b"-")[0].decode()
        for _t, fr in frames if fr.find(b'uid="') >= 0)
    if frames:
        t0 = frames[0][0] + a.skip
        t1 = t0 + a.window
        inwin = [(t, len(fr)) for t, fr in frames if t0 <= t < t1]
        res["first"] = frames[0][0]
        res["last"] = frames[-1][0]
        res["window_start"] = t0
        res["window_s"] = a.window
        res["window_frames"] = len(inwin)
        res["window_covered"] = frames[-1][0] >= t1
        res["window_bits"] = sum((n + a.overhead) * 8 for _t, n in inwin)
        res["rate_bps"] = res["window_bits"] / a.window
    print(json.dumps(res, sort_keys=True))


def read_buckets(path, port):
    """{class: [(low_ns, high_ns, count)]} from a guardd --stats-file."""
    out = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 7 and w[0] == "total" and w[1] == "egress_delay_bucket" and \
                    int(w[2]) == port:
                out.setdefault(w[3], []).append((float(w[4]), float(w[5]), int(w[6])))
    return out


def cmd_plot(a):
    b = read_buckets(a.stats, a.port)
    if not b:
        raise SystemExit("%s: no egress_delay_bucket lines for port %d" % (a.stats, a.port))
    W, H, L, R, T, B = 720, 420, 70, 20, 40, 50
    # a log scale: flash waits milliseconds, routine most of a second
    xmin = 0.1
    xmax = max(h for v in b.values() for _l, h, _n in v) / 1e6
    xmax = 10 ** math.ceil(math.log10(max(xmax, 1.0)))

    def X(ms):
        ms = min(max(ms, xmin), xmax)
        return L + (W - L - R) * math.log10(ms / xmin) / math.log10(xmax / xmin)

    def Y(frac):
        return T + (H - T - B) * (1 - frac)

    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14">%s</text>' % (L, a.title)]
    for i in range(11):
        y = Y(i / 10)
        svg.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (L, y, W - R, y))
        svg.append('<text x="%d" y="%.1f" text-anchor="end">%d%%</text>' % (L - 6, y + 4, i * 10))
    decade = xmin
    while decade <= xmax * 1.001:
        for m in (1, 2, 5):
            ms = decade * m
            if ms > xmax * 1.001:
                break
            x = X(ms)
            svg.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>'
                       % (x, T, x, H - B, "#bbb" if m == 1 else "#eee"))
            svg.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>'
                       % (x, H - B + 16, round(ms, 3)))
        decade *= 10
    svg.append('<text x="%d" y="%d" text-anchor="middle">queueing delay, ms, log scale '
               '(enqueue to the driver)</text>' % ((L + W - R) // 2, H - 12))
    svg.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle">'
               'packets of the class</text>' % ((T + H - B) // 2, (T + H - B) // 2))
    ly = T + 10
    for c in CLASSES:
        if c not in b:
            continue
        v = sorted(b[c])
        total = sum(n for _l, _h, n in v)
        pts, run = [(X(0), Y(0))], 0
        for lo, hi, n in v:
            pts.append((X(lo / 1e6), Y(run / total)))
            run += n
            pts.append((X(hi / 1e6), Y(run / total)))
        svg.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                   % (COLOURS[c], " ".join("%.1f,%.1f" % p for p in pts)))
        svg.append('<text x="%d" y="%d" fill="%s">%s (%d packets, all within %.1f ms)</text>'
                   % (L + 10, ly + 20, COLOURS[c], c, total, v[-1][1] / 1e6))
        ly += 16
    svg.append("</svg>")
    with open(a.out, "w") as f:
        f.write("\n".join(svg) + "\n")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("traffic")
    t.add_argument("out")
    t.add_argument("--routine", type=int, required=True)
    t.add_argument("--flash-every", type=int, default=0)
    t.add_argument("--immediate-every", type=int, default=0)
    t.add_argument("--routine-bytes", type=int, default=1000)
    t.add_argument("--flash-bytes", type=int, default=600)
    w = sub.add_parser("wire")
    w.add_argument("pcap")
    w.add_argument("--overhead", type=int, default=24)
    w.add_argument("--skip", type=float, default=1.0)
    w.add_argument("--window", type=float, default=10.0)
    pl = sub.add_parser("plot")
    pl.add_argument("stats")
    pl.add_argument("out")
    pl.add_argument("--port", type=int, default=1)
    pl.add_argument("--title", default="Queueing delay per traffic class")
    a = p.parse_args(argv)
    {"traffic": cmd_traffic, "wire": cmd_wire, "plot": cmd_plot}[a.cmd](a)


if __name__ == "__main__":
    main(sys.argv[1:])
