#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the slow path's test corpus into the directory argv[1] (created if missing).

Nothing here is committed as a binary: every PDF is written as PDF syntax with correct xref
offsets, images come from libvips-tools (vips) and exiftool, and the rest is built with
the standard library. Tools: qpdf (object streams, encryption), vips, exiftool.

Each file is <name>.<ext>; tests/slowpath/test_slowpath.c knows the expected outcome of
each name. Words that the sample policy (rules/sample-policy.yaml) reacts to are chosen
here on purpose: "operation nightfall" (prohibited term 1001), "next of kin" (review
term 3001), "NATO SECRET" (marking 2003), "blue sentinel" (prohibited term 1002).
"""
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib


def pdf_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def content_stream(lines):
    """A page content stream that shows each line with Helvetica 12 (poppler extracts it)."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        ops.append(pdf_string(line) + " Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def write_pdf(objs, root=1, extra_trailer=b""):
    """objs: bytes of objects 1..n (no 'obj' wrapper). Classic xref table, exact offsets."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objs) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objs) + 1, root, extra_trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def text_pdf(pages, catalog_extra=b"", page_extra=b"", more=()):
    """A PDF with one page per entry of @pages (each a list of lines), Helvetica text.
    Objects: 1 catalog, 2 pages, 3 font, then per page (page, contents), then @more
    (numbered after them; a caller's references to them must use those numbers)."""
    n_pages = len(pages)
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n_pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> " % (first_page + 2 * i + 1)
                    + page_extra + b">>")
        objs.append(stream(content_stream(lines)))
    objs.extend(more)
    return write_pdf(objs)


def next_obj(pages):
    """Number of the first object text_pdf() puts after the pages."""
    return 4 + 2 * pages


CLEAN = ["Quarterly logistics summary for the coalition staff.",
         "Fuel and water stocks are adequate at all three sites.",
         "Road repairs on route two finish next week."]


def pdfs(d):
    w = lambda name, data: open(os.path.join(d, name), "wb").write(data)
    clean = text_pdf([CLEAN, ["Second page: weather is clear."]])
    w("pdf-clean.pdf", clean)
    n = next_obj(1)
    # JavaScript as the document's open action
    w("pdf-js-openaction.pdf", text_pdf(
        [CLEAN], catalog_extra=b"/OpenAction %d 0 R " % n,
        more=[b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hello'\\);) >>"]))
    # a link annotation whose action launches a program
    w("pdf-launch.pdf", text_pdf(
        [CLEAN], page_extra=b"/Annots [%d 0 R] " % n,
        more=[b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /Border [0 0 0] "
              b"/A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> >>"]))
    # an embedded file in the document's name tree
    w("pdf-embedded.pdf", text_pdf(
        [CLEAN], catalog_extra=b"/Names << /EmbeddedFiles << /Names [(notes.txt) %d 0 R] >> >> " % n,
        more=[b"<< /Type /Filespec /F (notes.txt) /EF << /F %d 0 R >> >>" % (n + 1),
              stream(b"hidden payload\n", b"/Type /EmbeddedFile ")]))
    # an XFA form
    w("pdf-xfa.pdf", text_pdf(
        [CLEAN], catalog_extra=b"/AcroForm << /Fields [] /XFA %d 0 R >> " % n,
        more=[stream(b"<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"></xdp:xdp>\n")]))
    # JavaScript behind names written with #xx escapes: /J#61vaScript is /JavaScript, /J#53 is /JS
    obf = text_pdf(
        [CLEAN], page_extra=b"/Annots [%d 0 R] " % n,
        more=[b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A %d 0 R >>" % (n + 1),
              b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\);) >>"])
    w("pdf-obfuscated.pdf", obf)
    # 40 scripted links: more findings than are kept (32)
    w("pdf-many.pdf", text_pdf(
        [CLEAN], page_extra=b"/Annots [" + b" ".join(b"%d 0 R" % (n + i) for i in range(40)) + b"] ",
        more=[b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] "
              b"/A << /S /JavaScript /JS (app.alert\\(%d\\);) >> >>" % i for i in range(40)]))
    # a URI link: not refused, but a reviewer must see it
    w("pdf-uri.pdf", text_pdf(
        [CLEAN], page_extra=b"/Annots [%d 0 R] " % n,
        more=[b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] "
              b"/A << /S /URI /URI (https://example.org/report?id=42) >> >>"]))
    # the policy's terms and markings in the text
    w("pdf-term.pdf", text_pdf([CLEAN, ["Status of operation", "nightfall: on schedule."]]))
    w("pdf-review.pdf", text_pdf([["Casualty report.", "The next of kin have been told."]]))
    w("pdf-marking.pdf", text_pdf([["NATO SECRET", "Summary of the meeting."]]))
    # broken: cut in the middle; and a clean PDF with a ZIP after its %%EOF
    w("pdf-truncated.pdf", clean[: len(clean) // 2])
    w("pdf-trailing.pdf", clean + zip_bytes())
    # a wrong startxref offset: readers would rebuild the xref (qpdf with recovery off fails)
    i = clean.rindex(b"startxref\n")
    w("pdf-badxref.pdf", clean[:i] + b"startxref\n42\n%%EOF\n")
    # a PDF that is not even syntax
    w("pdf-garbage.pdf", b"%PDF-1.7\n" + b"\x00garbage\xff" * 50)


def zip_bytes():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("payload.txt", "exfiltrated: operation nightfall\n" * 20)
    return b.getvalue()


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def qpdf_files(d):
    p = lambda name: os.path.join(d, name)
    # the obfuscated JavaScript action moves into a compressed object stream
    run("qpdf", "--object-streams=generate", "--compress-streams=y", p("pdf-obfuscated.pdf"),
        p("pdf-objstm.pdf"))
    run("qpdf", "--encrypt", "user", "owner", "256", "--", p("pdf-clean.pdf"),
        p("pdf-encrypted.pdf"))
    # an empty user password: anyone can open it, but it is still encrypted
    run("qpdf", "--encrypt", "", "owner", "256", "--", p("pdf-clean.pdf"),
        p("pdf-encrypted-nopw.pdf"))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xffffffff)


def png_add_text(png, key, text):
    """Insert a tEXt chunk before IEND."""
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + png_chunk(b"tEXt", key + b"\0" + text) + png[iend:]


def png_bomb():
    """A greyscale PNG that claims 100000 x 100000 pixels (10 Gpixel) in a few hundred bytes:
    the IDAT holds the first rows only (zeros compress to almost nothing)."""
    w = h = 100000
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    raw = (b"\0" + b"\0" * w) * 16
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def images(d):
    p = lambda name: os.path.join(d, name)
    run("vips", "gaussnoise", p("noise.v"), "320", "240", "--mean", "128", "--sigma", "40")
    run("vips", "colourspace", p("noise.v"), p("rgb.v"), "srgb")
    run("vips", "jpegsave", p("rgb.v"), p("jpeg-clean.jpg"), "--Q", "85")
    run("vips", "pngsave", p("rgb.v"), p("png-clean.png"))
    # EXIF with GPS, a comment, XMP and an ICC profile
    run("vips", "jpegsave", p("rgb.v"), p("jpeg-gps.jpg"), "--Q", "85", "--profile", "srgb")
    run("exiftool", "-q", "-overwrite_original", "-GPSLatitude=50.8503", "-GPSLatitudeRef=N",
        "-GPSLongitude=4.3517", "-GPSLongitudeRef=E", "-Comment=operator note: cache at grid 31U",
        "-XMP-dc:Description=xmp secret", p("jpeg-gps.jpg"))
    # a camera-style orientation tag: the pixels are stored sideways (320x240, shown 240x320)
    run("vips", "jpegsave", p("rgb.v"), p("jpeg-rotated.jpg"), "--Q", "85")
    run("exiftool", "-q", "-overwrite_original", "-Orientation#=6", p("jpeg-rotated.jpg"))
    os.unlink(p("noise.v"))
    os.unlink(p("rgb.v"))
    jpeg = open(p("jpeg-clean.jpg"), "rb").read()
    png = open(p("png-clean.png"), "rb").read()
    # polyglots: data after the JPEG's EOI (a ZIP, a PDF); after a PNG's IEND (a ZIP)
    open(p("jpeg-polyglot-zip.jpg"), "wb").write(jpeg + zip_bytes())
    open(p("jpeg-polyglot-pdf.jpg"), "wb").write(
        jpeg + open(os.path.join(d, "pdf-js-openaction.pdf"), "rb").read())
    open(p("png-polyglot-zip.png"), "wb").write(png + zip_bytes())
    open(p("png-text.png"), "wb").write(png_add_text(png, b"Comment", b"grid 31U FS 123 456"))
    open(p("png-bomb.png"), "wb").write(png_bomb())
    # a JPEG cut in the middle of its scan
    open(p("jpeg-truncated.jpg"), "wb").write(jpeg[: len(jpeg) // 2])
    # PDF bytes claiming to be a JPEG (the chunk header's type says image/jpeg)
    open(p("spoof-pdf-as-jpeg.jpg"), "wb").write(
        open(os.path.join(d, "pdf-clean.pdf"), "rb").read())


def texts(d):
    w = lambda name, data: open(os.path.join(d, name), "wb").write(data)
    w("text-clean.txt", "Convoy arrives at 14:00. Café opens at nine.\nAll well.\n".encode())
    w("text-term.txt", b"Situation normal.\nBlue   sentinel\nis delayed.\n")
    w("text-review.txt", b"Please send the next of kin details.\n")
    w("text-badutf8.txt", b"Plain text with a stray byte \xff here.\n")
    w("text-latin1.txt", "Caf\xe9 au lait, na\xefve.\n".encode("latin-1"))
    w("text-escape.txt", b"Looks like text \x1b[2J but clears the screen.\n")
    w("zip-as-pdf.pdf", zip_bytes())


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    pdfs(d)
    qpdf_files(d)
    images(d)
    texts(d)
    open(os.path.join(d, "stamp"), "w").write("ok\n")


if __name__ == "__main__":
    main()
