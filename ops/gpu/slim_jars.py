"""Copies jars into the GPU kit's lib/ folder, slimmed for a linux x86-64 (glibc) machine.

  slim_jars.py [--store] DEST JAR...

Native libraries for other platforms are left out (RocksDB, zstd, JNA and friends carry a dozen
each, RocksDB's alone are 60 MB). With --store the entries are written uncompressed, so that the
kit's payload.tar.xz compresses all classes together (about half the size of deflated jars).
"""

import os
import re
import shutil
import sys
import zipfile

KEEP = re.compile(r"(linux-x86-64|linux/amd64|Linux/x86_64|linux64\.so$)")
NATIVE = re.compile(r"\.(so|dll|dylib|jnilib|a)$")


def wanted(name):
    return not NATIVE.search(name) or KEEP.search(name)


def copy(jar, dest, store):
    with zipfile.ZipFile(jar) as source:
        entries = source.infolist()
        kept = [e for e in entries if wanted(e.filename)]
        if len(kept) == len(entries) and not store:
            shutil.copyfile(jar, dest)
            return
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
            for entry in kept:
                kind = zipfile.ZIP_STORED if store else entry.compress_type
                out.writestr(entry, source.read(entry), compress_type=kind)


def main(args):
    store = args[:1] == ["--store"]
    if store:
        args = args[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    dest = args[0]
    for jar in args[1:]:
        copy(jar, os.path.join(dest, os.path.basename(jar)), store)


if __name__ == "__main__":
    main(sys.argv[1:])
