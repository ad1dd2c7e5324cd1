"""Safe names for files that come in from outside (attachments) and go out again.

A name may carry path parts ("../../etc/passwd", "C:\\evil.exe"), control characters,
names Windows reserves for devices ("CON", "LPT1.txt") or thousands of characters. What is
stored, and later written to disk for viewing, is a plain name that is safe everywhere.
"""

from __future__ import annotations

import re
import unicodedata

_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
_BAD = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_BYTES = 200


def safe_filename(name: str, default: str = "attachment") -> str:
    """A file name without path parts or characters any common file system refuses."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]  # keep the last path part only
    name = _BAD.sub("_", name).strip().strip(".").strip()
    if not name:
        name = default
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _RESERVED or name.upper() in _RESERVED:
        stem = "_" + stem if dot else "_" + name
        name = f"{stem}.{ext}" if dot else stem
    ext_part = f".{ext}" if dot and len(ext.encode()) <= 20 else ""
    stem_part = name[: len(name) - len(ext_part)] if ext_part else name
    while len((stem_part + ext_part).encode("utf-8")) > MAX_BYTES:
        stem_part = stem_part[:-1]
    return (stem_part.rstrip(" .") or default) + ext_part
