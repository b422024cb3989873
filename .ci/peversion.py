#!/usr/bin/env python3
"""Prints a Windows program's version resource: its fixed file and product
versions (a.b.c.d) and its ProductVersion and FileVersion strings, one
"name value" line each. For .ci/release.sh, which checks that the exe and
the installer carry FyneApp.toml's version.
    peversion.py FILE.exe
"""
import struct
import sys

data = open(sys.argv[1], "rb").read()
out = {}
sig = data.find(struct.pack("<I", 0xFEEF04BD))  # VS_FIXEDFILEINFO
if sig >= 0:
    fms, fls, pms, pls = struct.unpack_from("<IIII", data, sig + 8)
    dotted = lambda ms, ls: "%d.%d.%d.%d" % (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
    out["FixedFileVersion"] = dotted(fms, fls)
    out["FixedProductVersion"] = dotted(pms, pls)
for name in ("ProductVersion", "FileVersion"):
    key = (name + "\0").encode("utf-16-le")
    at = data.find(key)
    if at < 0:
        continue
    at += len(key)
    at += (4 - at % 4) % 4  # the value starts on a 32-bit boundary
    end = at
    while data[end:end + 2] != b"\0\0":
        end += 2
    out[name] = data[at:end].decode("utf-16-le")
for k, v in out.items():
    print(k, v)
