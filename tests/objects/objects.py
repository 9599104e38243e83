#!/usr/bin/env python3
"""Helpers of the objects suite (stdlib only).

  objects.py empty-pcap PATH          write a pcap with no frames
  objects.py count PCAP               print the number of frames
  objects.py interleave A B OUT       OUT: the frames of A and B alternately (the rest of the
                                      longer one at the end), for a mixed load
  objects.py append SRC DST INDEX...  append frames INDEX... (0-based) of SRC to DST
  objects.py released PCAP OUTDIR     what guardd sent on the low side: every UDP payload that
                                      is an object chunk (docs/slowpath.md) is reassembled by
                                      object id into OUTDIR/<id>.bin; other payloads (released
                                      messages) go to OUTDIR/msg-<n>.bin. Prints one JSON
                                      document: {"objects": {id: {"chunks", "dups", "count",
                                      "total", "complete", "sha256", "type", "label",
                                      "label_4774", "version", "originator"}},
                                      "messages": [sha256, ...]}; version 1 and version 2
                                      headers (label_4774: the type byte's bit 7)
  objects.py jpeg-clean FILE          exit 0 if FILE is a JPEG with no APP1 (EXIF/XMP), no
                                      APP13, no COM segment, no GPS/Exif bytes and nothing
                                      after its EOI marker; else print why and exit 1
  objects.py png-clean FILE           the same for PNG: no tEXt/zTXt/iTXt/eXIf/iCCP chunks
                                      and nothing after IEND
"""
import hashlib
import json
import os
import struct
import sys

MAGIC = b"GOBJ"


def pcap_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit(f"{path}: not a pcap (too short)")
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        raise SystemExit(f"{path}: not a pcap (magic {magic:#x})")
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        yield data[off:off + incl]
        off += incl


def udp_payload(frame):
    """UDP payload of an Ethernet (optionally 802.1Q) IPv4/IPv6 frame, or None."""
    try:
        return _udp_payload(frame)
    except (struct.error, IndexError):
        return None


def _udp_payload(frame):
    off = 12
    et = struct.unpack(">H", frame[off:off + 2])[0]
    off += 2
    if et == 0x8100:
        et = struct.unpack(">H", frame[off + 2:off + 4])[0]
        off += 4
    if et == 0x0800:
        ihl = (frame[off] & 0x0F) * 4
        if frame[off + 9] != 17:
            return None
        off += ihl
    elif et == 0x86DD:
        if frame[off + 6] != 17:
            return None
        off += 40
    else:
        return None
    length = struct.unpack(">H", frame[off + 4:off + 6])[0]
    return frame[off + 8:off + length]


def cmd_empty(path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))


def pcap_header(path):
    with open(path, "rb") as f:
        return f.read(24)


def cmd_interleave(a, b, out):
    fa, fb = list(pcap_frames(a)), list(pcap_frames(b))
    hdr = pcap_header(a)
    end = "<" if struct.unpack("<I", hdr[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    with open(out, "wb") as f:
        f.write(hdr)
        n = 0
        for i in range(max(len(fa), len(fb))):
            for fr in ((fa[i],) if i < len(fa) else ()) + ((fb[i],) if i < len(fb) else ()):
                f.write(struct.pack(end + "IIII", 1790000000 + n // 1000000, n % 1000000,
                                    len(fr), len(fr)))
                f.write(fr)
                n += 1
    print(n)


def cmd_append(src, dst, indexes):
    frames = list(pcap_frames(src))
    hdr = pcap_header(dst)
    end = "<" if struct.unpack("<I", hdr[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    with open(dst, "ab") as f:
        for k, i in enumerate(indexes):
            fr = frames[int(i)]
            f.write(struct.pack(end + "IIII", 1799999000 + k, 0, len(fr), len(fr)))
            f.write(fr)


def cmd_count(path):
    print(sum(1 for _ in pcap_frames(path)))


def chunk_header(p):
    """The header fields of an object chunk (docs/slowpath.md), version 1 or 2, or None:
    (version, type, label_4774, label_len, originator_len, id, index, count, total, offset,
    fixed header length)."""
    if p[:4] != MAGIC or len(p) < 5:
        return None
    if p[4] == 1 and len(p) >= 32:
        oid, idx, cnt, total, off = struct.unpack(">QIIII", p[8:32])
        return 1, p[5], False, p[6], p[7], oid, idx, cnt, total, off, 32
    if p[4] == 2 and len(p) >= 34:
        llen = struct.unpack(">H", p[6:8])[0]
        oid, idx, cnt, total, off = struct.unpack(">QIIII", p[10:34])
        return 2, p[5] & 0x7f, bool(p[5] & 0x80), llen, p[8], oid, idx, cnt, total, off, 34
    return None


def cmd_released(path, outdir):
    os.makedirs(outdir, exist_ok=True)
    objs, msgs = {}, []
    for fr in pcap_frames(path):
        p = udp_payload(fr)
        if p is None:
            continue
        hdr = chunk_header(p)
        if hdr is not None:
            ver, typ, l4774, llen, olen, oid, idx, cnt, total, off, fixed = hdr
            label = p[fixed:fixed + llen].decode("utf-8", "replace")
            orig = p[fixed + llen:fixed + llen + olen].decode("ascii", "replace")
            data = p[fixed + llen + olen:]
            o = objs.setdefault(oid, {"chunks": {}, "dups": 0, "count": cnt, "total": total,
                                      "type": typ, "label": label, "label_4774": l4774,
                                      "version": ver, "originator": orig})
            if idx in o["chunks"]:
                o["dups"] += 1
            o["chunks"][idx] = (off, data)
        else:
            name = os.path.join(outdir, f"msg-{len(msgs)}.bin")
            with open(name, "wb") as f:
                f.write(p)
            msgs.append(hashlib.sha256(p).hexdigest())
    out = {}
    for oid, o in objs.items():
        buf = bytearray(o["total"])
        got = 0
        for off, data in o["chunks"].values():
            buf[off:off + len(data)] = data
            got += len(data)
        complete = len(o["chunks"]) == o["count"] and got == o["total"]
        with open(os.path.join(outdir, f"{oid}.bin"), "wb") as f:
            f.write(buf)
        out[str(oid)] = {"chunks": len(o["chunks"]), "dups": o["dups"], "count": o["count"],
                         "total": o["total"], "complete": complete,
                         "sha256": hashlib.sha256(buf).hexdigest(), "type": o["type"],
                         "label": o["label"], "label_4774": o["label_4774"],
                         "version": o["version"], "originator": o["originator"]}
    print(json.dumps({"objects": out, "messages": msgs}, sort_keys=True))


def cmd_jpeg_clean(path):
    d = open(path, "rb").read()
    if d[:2] != b"\xff\xd8":
        return f"{path}: not a JPEG"
    i = 2
    while i + 2 <= len(d):
        if d[i] != 0xFF:
            return f"{path}: marker expected at {i}"
        m = d[i + 1]
        if m == 0xD9:
            if i + 2 != len(d):
                return f"{path}: {len(d) - i - 2} bytes after EOI"
            break
        if m == 0xDA:  # scan: skip entropy-coded data to the next non-RST marker
            seglen = struct.unpack(">H", d[i + 2:i + 4])[0]
            j = i + 2 + seglen
            while j + 1 < len(d):
                if d[j] == 0xFF and d[j + 1] != 0 and not 0xD0 <= d[j + 1] <= 0xD7:
                    break
                j += 1
            i = j
            continue
        if i + 4 > len(d):
            return f"{path}: segment header past the end at {i}"
        seglen = struct.unpack(">H", d[i + 2:i + 4])[0]
        if m in (0xE1, 0xED, 0xFE):
            return f"{path}: metadata segment FF{m:02X} at {i}"
        i += 2 + seglen
    else:
        return f"{path}: no EOI"
    for bad in (b"Exif", b"GPS", b"http://ns.adobe.com/xap"):
        if bad in d:
            return f"{path}: contains {bad!r}"
    return None


def cmd_png_clean(path):
    d = open(path, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        return f"{path}: not a PNG"
    i = 8
    while i + 8 <= len(d):
        n, t = struct.unpack(">I4s", d[i:i + 8])
        if t in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"tIME"):
            return f"{path}: metadata chunk {t.decode()} at {i}"
        i += 12 + n
        if t == b"IEND":
            if i != len(d):
                return f"{path}: {len(d) - i} bytes after IEND"
            return None
    return f"{path}: no IEND"


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "empty-pcap" and len(args) == 1:
        cmd_empty(args[0])
    elif cmd == "count" and len(args) == 1:
        cmd_count(args[0])
    elif cmd == "interleave" and len(args) == 3:
        cmd_interleave(*args)
    elif cmd == "append" and len(args) >= 3:
        cmd_append(args[0], args[1], args[2:])
    elif cmd == "released" and len(args) == 2:
        cmd_released(args[0], args[1])
    elif cmd in ("jpeg-clean", "png-clean") and len(args) == 1:
        why = (cmd_jpeg_clean if cmd == "jpeg-clean" else cmd_png_clean)(args[0])
        if why:
            print(why)
            return 1
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
