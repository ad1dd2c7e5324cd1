"""Checks that a file is safe to hand to a spreadsheet parser, before any parser sees it.

Spreadsheets arrive by e-mail from anyone, and parsers trust them: an .xlsx is a zip whose
XML may inflate a thousandfold (a zip bomb), may claim fewer bytes than it holds, or may put
two cells at opposite corners of the sheet, which makes calamine allocate the whole grid
between them (a 5 KB file asks for 512 GB and aborts the process, which no ``except`` can
catch). So before calamine opens a file, this module

- tells the container from its first bytes (zip, OLE2 compound file, text), so a renamed
  file is recognised for what it is and an encrypted Office file (an OLE2 container with an
  ``EncryptedPackage`` stream) is named as such;
- checks a zip's declared sizes and compression ratios, then inflates every member once in
  bounded chunks to make sure it holds what it declares (and its CRC matches);
- while inflating, scans the sheet XML for where cells with content are, and refuses a sheet
  whose used area exceeds ``MAX_ROWS`` rows or ``MAX_CELLS`` cells. A row or cell tag that
  calamine may place otherwise than the scan is refused too: with its reference twice
  (calamine takes the last), with a "<" in it or a ">" in a value (malformed, or cut where
  calamine does not cut it), with a reference that is not a cell's (calamine reads any
  number of letters). So is what could hide a tag from the scan and not from calamine: a
  comment, CDATA section or processing instruction, a "<" in any tag (calamine's parser lets
  one pass in a quoted value). For .ods files the same scan reads the repeat attributes
  (``number-rows-repeated``) as calamine reads them, and the merged ranges, which calamine
  does not report for that format; a count given twice or not a whole number, or a table,
  row or cell out of its place or left open (calamine lets such a cell swallow the rows
  after it) is refused.

The same scan of a worksheet notes the cells holding a formula whose result was never saved
(a ``<f>`` with no ``<v>``, or an empty one; in an .ods file a ``table:formula`` with no
value of its type, see ``_ods_result_missing``): files written by a program and never opened
in Excel or LibreOffice have them, and calamine reads them as empty, so the importer names
them instead (``ZipReport.unsaved``, by sheet).

Everything here reads with fixed-size buffers: time is linear in the file's declared size,
which is itself capped, and memory is constant.
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from isms_desktop.domain.errors import DamagedFileError

MAX_FILE_BYTES = 200 * 2**20
MAX_ZIP_MEMBERS = 10_000
MAX_UNCOMPRESSED = 256 * 2**20  # all members together, as declared and as inflated
MAX_RATIO = 100  # inflated / compressed, for members large enough to matter
RATIO_CHECK_FROM = 2**20
MAX_ROWS = 1_000_000
MAX_CELLS = 10_000_000  # rows x columns from A1 to the last used cell: what calamine allocates
MAX_MERGED = 100_000
_CHUNK = 2**20

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = (
    "EncryptedPackage".encode("utf-16-le"),
    "EncryptionInfo".encode("utf-16-le"),
)


class UnreadableFileError(DamagedFileError):
    """Not a spreadsheet we can read safely: damaged, encrypted, too large or hostile (exit 4)."""


@dataclass
class Bounds:
    """The used area of one sheet: the rows and columns of cells that have content."""

    min_row: int | None = None
    max_row: int = -1
    min_col: int | None = None
    max_col: int = -1

    def add(self, row0: int, row1: int, col0: int, col1: int) -> None:
        self.min_row = row0 if self.min_row is None else min(self.min_row, row0)
        self.min_col = col0 if self.min_col is None else min(self.min_col, col0)
        self.max_row = max(self.max_row, row1)
        self.max_col = max(self.max_col, col1)

    @property
    def rows(self) -> int:
        """Rows from the top of the sheet to the last used one (what a reader walks)."""
        return self.max_row + 1

    @property
    def cells(self) -> int:
        """Cells from A1 to the last used row and column: the reader asks calamine for the
        empty rows and columns before the first used ones too (``skip_empty_area=False``)."""
        if self.min_row is None or self.min_col is None:
            return 0
        return (self.max_row + 1) * (self.max_col + 1)


Merged = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


@dataclass
class ZipReport:
    """What the checks found out about a zip-based spreadsheet."""

    kind: str  # "xlsx" or "ods"
    # For .ods only: merged ranges of each sheet, by its name (calamine gives none).
    ods_merged: dict[str, list[Merged]] = field(default_factory=dict)
    # The cells of each sheet, by its name, whose formula has no saved result.
    unsaved: dict[str, UnsavedFormulas] = field(default_factory=dict)


MAX_UNSAVED = 100_000  # formula cells of a sheet noted; beyond, no more are looked for


@dataclass
class UnsavedFormulas:
    """The cells of one sheet that hold a formula whose result was never saved: calamine
    reads them as empty, as it has no value to read."""

    cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> formula
    more: bool = False  # there are more than ``MAX_UNSAVED``: those after them are not noted

    def add(self, row: int, column: int, formula: str) -> None:
        if len(self.cells) < MAX_UNSAVED:
            self.cells[(row, column)] = formula
        else:
            self.more = True


def container(path: Path) -> str:
    """ "zip", "ole" or "other", from the first bytes of the file."""
    with path.open("rb") as f:
        head = f.read(8)
    if head[:4] in ZIP_MAGIC:
        return "zip"
    if head == OLE_MAGIC:
        return "ole"
    return "other"


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"{path} is {size // 2**20} MB; files over {MAX_FILE_BYTES // 2**20} MB are not "
            "imported (split it, or remove what is not needed)"
        )
    if size == 0:
        raise UnreadableFileError(f"{path} is empty")


def check_ole(path: Path) -> None:
    """Refuse an encrypted Office file (an OLE2 container); let an .xls through."""
    with path.open("rb") as f:
        tail = b""
        while chunk := f.read(_CHUNK):
            data = tail + chunk
            if any(name in data for name in _ENCRYPTED_STREAMS):
                raise UnreadableFileError(
                    f"{path} is protected with a password; open it in Excel, remove the "
                    "password (File ▸ Info ▸ Protect Workbook) and save it again"
                )
            tail = data[-64:]


def check_zip(path: Path) -> ZipReport:
    """Refuse a zip that is damaged, encrypted, a bomb, or a sheet too large to load."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(f"{path} is damaged: it is not a readable zip ({exc})") from None
    names = {m.filename for m in members}
    kind = _zip_kind(path, names)
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableFileError(f"{path} has {len(members)} parts; this is not a normal workbook")
    declared = sum(m.file_size for m in members)
    if declared > MAX_UNCOMPRESSED:
        raise UnreadableFileError(
            f"{path} unpacks to {declared // 2**20} MB, more than the "
            f"{MAX_UNCOMPRESSED // 2**20} MB a workbook may have here"
        )
    for m in members:
        if m.flag_bits & 0x1:
            raise UnreadableFileError(f"{path} is encrypted; save it again without a password")
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableFileError(
                f"{path} uses a compression method spreadsheet programs do not use"
            )
        if m.file_size > RATIO_CHECK_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise UnreadableFileError(
                f"{path} is not imported: its part {m.filename} inflates "
                f"{m.file_size // max(m.compress_size, 1)}-fold, as zip bombs do"
            )
    report = ZipReport(kind)
    unsaved: dict[str, UnsavedFormulas] = {}  # by part
    with path.open("rb") as raw:
        for m in members:
            scanner: _Scanner | None = None
            if m.filename.endswith("/"):
                continue
            if kind == "xlsx":
                scanner = _XlsxScanner()
            elif m.filename == "content.xml":
                scanner = _OdsScanner()
            try:
                _inflate(path, raw, m, scanner.feed if scanner else None)
            except _BadTag as exc:
                part, program = (
                    (f"sheet {m.filename}", "Excel")
                    if kind == "xlsx"
                    else (m.filename, "LibreOffice")
                )
                raise UnreadableFileError(
                    f"{path} is not imported: its {part} cannot be read safely ({exc}); open it "
                    f"in {program} and save it again"
                ) from None
            if scanner is not None:
                scanner.finish(path, m.filename)
                if isinstance(scanner, _OdsScanner):
                    report.ods_merged = scanner.merged
                    report.unsaved = {
                        sheet: found for sheet, found in scanner.unsaved.items() if found.cells
                    }
                elif isinstance(scanner, _XlsxScanner) and scanner.unsaved.cells:
                    unsaved[m.filename] = scanner.unsaved
    if unsaved:
        parts = _sheet_parts(path)
        report.unsaved = {parts[part]: found for part, found in unsaved.items() if part in parts}
    return report


def _zip_kind(path: Path, names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise UnreadableFileError(
            f"{path} is a binary Excel workbook (.xlsb); save it as .xlsx and import that"
        )
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise UnreadableFileError(
        f"{path} is not a spreadsheet (it is a zip archive without a workbook in it)"
    )


def _inflate(
    path: Path, raw: BinaryIO, m: zipfile.ZipInfo, feed: Callable[[bytes], None] | None
) -> None:
    """Inflate one member in bounded chunks; refuse it if it holds more than it declares."""
    raw.seek(m.header_offset)
    header = raw.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise UnreadableFileError(f"{path} is damaged (part {m.filename} cannot be found)")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(m.header_offset + 30 + name_len + extra_len)
    inflater = zlib.decompressobj(-15) if m.compress_type == zipfile.ZIP_DEFLATED else None
    left = m.compress_size
    produced = 0
    crc = 0
    try:
        while left > 0 or (inflater is not None and inflater.unconsumed_tail):
            if inflater is not None and inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
            else:
                data = raw.read(min(_CHUNK, left))
                if not data:
                    raise UnreadableFileError(f"{path} is damaged (part {m.filename} is cut short)")
                left -= len(data)
            out = inflater.decompress(data, _CHUNK) if inflater is not None else data
            produced += len(out)
            if produced > m.file_size:
                raise UnreadableFileError(
                    f"{path} is not imported: its part {m.filename} holds more than it "
                    "declares, as zip bombs do"
                )
            crc = zlib.crc32(out, crc)
            if feed is not None:
                feed(out)
    except zlib.error as exc:
        raise UnreadableFileError(f"{path} is damaged (part {m.filename}: {exc})") from None
    if produced != m.file_size or crc != m.CRC:
        raise UnreadableFileError(f"{path} is damaged (part {m.filename} fails its checksum)")


class _Scanner:
    """Feeds XML text in arbitrary chunks to ``_token`` one complete tag at a time."""

    TOKEN: re.Pattern[bytes]

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> None:
        inside_tag = bool(self._buf)
        self._buf += data
        buf = self._buf
        if inside_tag and b">" not in data:
            cut = 0  # still within one long tag: wait for its end rather than rescan
        else:
            cut = buf.rfind(b"<")
            if cut < 0 or _TAG_END.match(buf, cut) is not None:
                cut = len(buf)  # no tag left open at the end
        if len(buf) - cut > _MAX_TAG:
            raise _BadTag(f"a tag runs on for more than {_MAX_TAG // 2**20} MB")
        if not cut:
            return
        _check_markup(buf, cut)
        if not self._scan_fast(buf, cut):
            for match in self.TOKEN.finditer(buf, 0, cut):
                self._token(match)
        self._scanned(buf, cut)
        del buf[:cut]

    def _scanned(self, buf: bytearray, cut: int) -> None:
        """``buf[:cut]`` has been scanned (and not refused); what else is to be read of it."""

    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        """Scan ``buf[:cut]`` in a few C-speed passes where that gives the same result as
        ``_token`` on every tag; False to have the tags read one by one."""
        return False

    def _token(self, match: re.Match[bytes]) -> None:
        raise NotImplementedError

    def sheets(self) -> list[Bounds]:
        raise NotImplementedError

    def finish(self, path: Path, part: str) -> None:
        for bounds in self.sheets():
            if bounds.rows > MAX_ROWS:
                raise UnreadableFileError(
                    f"{path} has a sheet with {bounds.rows:,} rows ({part}); at most "
                    f"{MAX_ROWS:,} rows are imported"
                )
            if bounds.cells > MAX_CELLS:
                raise UnreadableFileError(
                    f"{path} has a sheet whose used area spans {bounds.cells:,} cells "
                    f"({part}); at most {MAX_CELLS:,} are imported — delete stray cells far "
                    "below or right of the table"
                )


class _BadTag(Exception):
    """A tag that calamine may read otherwise than the scan; the sheet is refused."""


# the rest of a tag from its "<" to its ">", where a ">" in a quoted value does not end it
_TAG_END = re.compile(rb"""<[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>""")
_MAX_TAG = 16 * _CHUNK  # no program writes a tag this long; a longer one is refused
# a "<" that does not start a tag the scans see as XML parsers do: a comment, CDATA section,
# processing instruction or declaration (group 1: what looks like tags in them is skipped by
# calamine, not by the scans), or a tag with a "<" in it or a quote left open (a "<" in a
# quoted value is let pass by calamine's parser, so a tag there would be seen by the scans
# alone; unquoted, it cuts the tag short for the scans, not for calamine)
_HIDDEN_MARKUP = re.compile(
    rb"""<(?:(!|\?(?!xml\s[^<>]*\?>))|[^<>"']*+(?:(?:"[^"<]*+"|'[^'<]*+')[^<>"']*+)*+[<"'])"""
)


# what the quick test of ``_check_markup`` drops, and what it leaves to the search
_NOT_MARKUP = bytes(set(range(256)) - set(b"<>\"'"))
_DECLARATION = re.compile(rb"<(?:!|\?(?!xml\s))")


def _check_markup(buf: bytearray, cut: int) -> None:
    """``_BadTag`` unless every "<" in ``buf[:cut]`` starts a tag (or an end tag, or the XML
    declaration) that holds no other "<": then the scans see each tag where calamine does."""
    # Quick test, ~3 times faster than the search: where only '"' quote values and they pair
    # up, with no "<", ">" or "'" inside a value and none in the text but pairs of '"', every
    # "<" starts a tag ended by the next ">" (as Excel and LibreOffice write)
    tags = buf[:cut].translate(None, _NOT_MARKUP).replace(b'""', b"")
    if tags.count(b"<>") * 2 == len(tags) and _DECLARATION.search(buf, 0, cut) is None:
        return
    hidden = _HIDDEN_MARKUP.search(buf, 0, cut)
    if hidden is None:
        return
    start, end = hidden.start(), buf.find(b">", hidden.end() - 1, cut)
    shown = _shown(buf[start : min(end + 1 if end >= 0 else cut, start + 81)])
    if hidden.group(1):
        raise _BadTag(f"it holds a comment, CDATA section or processing instruction ({shown}…)")
    raise _BadTag(f"the tag {shown} is malformed")


# a tag's attributes as an XML parser reads them (name="value" or name='value', spaced),
# then "/" in an empty element; and one attribute: its name, its value in group 2 or 3
_ATTRIBUTES = re.compile(rb"""(?:\s++[^\s=/<>"']++\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'))*+\s*+/?""")
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/<>"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_REFERENCE = re.compile(rb"\$?([A-Za-z]{0,3})\$?(\d{0,10})")  # letters or digits may be missing


def _attributes(tag: re.Match[bytes], names: tuple[bytes, ...]) -> list[bytes | None]:
    """The values of the attributes ``names`` of a tag a scanner's ``TOKEN`` matched (group 3
    its attributes, group 4 its ">"), as written, None where the tag has none; ``_BadTag``
    unless the tag is well-formed and gives each of them once at most."""
    attrs = tag.group(3)
    if not tag.group(4) or _ATTRIBUTES.fullmatch(attrs) is None:
        raise _BadTag(f"the tag {_shown(tag.group(0))} is malformed")
    values: list[bytes | None] = [None] * len(names)
    if not names:
        return values
    for name, double_quoted, single_quoted in _ATTRIBUTE.findall(attrs):
        if name in names:
            i = names.index(name)
            if values[i] is not None:
                raise _BadTag(
                    f"the tag {_shown(tag.group(0))} gives the attribute {name.decode()} twice"
                )
            values[i] = double_quoted or single_quoted
    return values


def _reference(tag: re.Match[bytes]) -> re.Match[bytes] | None:
    """The reference (attribute ``r``) of a row or cell tag ``_XlsxScanner.TOKEN`` matched,
    or None; ``_BadTag`` unless the tag is well-formed with one reference at most."""
    (value,) = _attributes(tag, (b"r",))
    if value is None:
        return None
    ref = _REFERENCE.fullmatch(value)
    if ref is None:
        raise _BadTag(f"the tag {_shown(tag.group(0))} has a reference that is not a cell's")
    return ref


def _shown(tag: bytes | bytearray) -> str:
    """A tag as the message shows it: on one line, cut short if long."""
    text = " ".join(tag[:80].decode("utf-8", "replace").split())
    return text + ("…" if len(tag) > 80 else "")


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ch - 64)
    return index - 1


class _XlsxScanner(_Scanner):
    """Where the cells with content are in a worksheet part, as calamine will place them."""

    # a tag ends at its ">"; one cut short by a "<" (or by the end of what is scanned, which
    # ``feed`` cuts before a "<") is malformed: group 4 is empty
    TOKEN = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^<>]*)(>?)")

    def __init__(self) -> None:
        super().__init__()
        self.bounds = Bounds()
        self._row = -1
        self._col = -1
        self.unsaved = UnsavedFormulas()
        self._start = (-1, -1)  # ``_row`` and ``_col`` where the part scanned next begins
        # a formula cell the end of the last part scanned cut: its text so far, and its place
        self._carry: tuple[bytes, tuple[int, int]] | None = None

    def _token(self, match: re.Match[bytes]) -> None:
        closing, name, attrs, _ = match.groups()
        if closing:
            return
        ref = _reference(match)
        if name == b"row":
            self._row = int(ref.group(2)) - 1 if ref and ref.group(2) else self._row + 1
            self._col = -1
            return
        row, col = self._row, self._col + 1
        if ref:
            if ref.group(1):
                col = _column_index(ref.group(1))
            if ref.group(2):
                row = int(ref.group(2)) - 1
        self._col = col
        if not attrs.rstrip().endswith(b"/"):  # <c .../> has no value: calamine skips it
            self.bounds.add(max(row, 0), max(row, 0), max(col, 0), max(col, 0))

    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        # Excel, LibreOffice and openpyxl give every row and every cell its reference
        # (r="12", r="AB12"). Then a cell's place is its reference alone, and the used
        # area is the range of the references of the cells that have content. One search
        # tells whether some tag lacks its reference or is not written as they write it
        # (attributes name="value", r once; then ``_token`` reads it, or refuses it).
        if _ANY_TAG.search(buf, 0, cut) is None:
            return True
        if _IRREGULAR_TAG.search(buf, 0, cut) is not None:
            return False  # some tag places itself after the one before: read them in order
        cells = _CONTENT_CELL.findall(buf, 0, cut)
        if cells:
            rows = [int(number) for _, number in cells]
            columns = [_column_index(bytes(c)) for c in {letters for letters, _ in cells}]
            self.bounds.add(
                max(min(rows) - 1, 0), max(max(rows) - 1, 0), max(min(columns), 0), max(columns)
            )
        # the state a tag without a reference in a later chunk starts from, as ``_token``
        # leaves it: the row of the last row tag, the column of the last cell after it
        last = _last_opening(self.TOKEN, buf, cut)
        if last is not None and last.group(2) == b"c":
            ref = _reference(last)
            if ref is not None:
                self._col = _column_index(ref.group(1))
            last = _last_opening(self.TOKEN, buf, last.start(), b"row")
            if last is not None:
                ref = _reference(last)
                if ref is not None:
                    self._row = int(ref.group(2)) - 1
        elif last is not None:
            ref = _reference(last)
            if ref is not None:
                self._row, self._col = int(ref.group(2)) - 1, -1
        return True

    def sheets(self) -> list[Bounds]:
        return [self.bounds]

    # -- formulas whose result was never saved ----------------------------------------------

    def _scanned(self, buf: bytearray, cut: int) -> None:
        # Cells are judged whole: one the end of ``buf[:cut]`` cuts is carried over to the
        # next part if it may hold a formula (only its tag, or its formula, so far)
        start_state, self._start = self._start, (self._row, self._col)
        if self.unsaved.more:
            return  # enough found to refuse the sheet
        start = 0
        if self._carry is not None:
            close = _CELL_CLOSE.search(buf, 0, cut)
            text, place = self._carry
            self._carry = None
            if close is None:  # the cell goes on (cells do not nest): so does the carry
                if len(text) + cut <= _HOLD:
                    self._carry = (text + bytes(buf[:cut]), place)
                return
            start = close.end()
            cell = _FORMULA_CELL.fullmatch(text + bytes(buf[:start]))
            if cell is not None and not _saved(cell):
                self._judge(cell, place)
        if _ANY_FORMULA.search(buf, start, cut) is None:
            # no formula here (the usual case): only a cell whose tag ends the part may get one
            last = buf.rfind(b"<", start, cut)
            tail = self._open_cell(buf, last, cut) if last >= 0 else cut
        else:
            tail = self._tail(buf, start, cut)
            self._judge_all(buf, start, tail, start_state)
        if tail < cut:
            tag = self.TOKEN.match(buf, tail)
            assert tag is not None
            place = _place(tag.group(3)) or self._walk(buf, [tail], start_state)[tail]
            self._carry = (bytes(buf[tail:cut]), place)

    def _open_cell(self, buf: bytearray, pos: int, cut: int) -> int:
        """``pos`` if a cell's tag starts there that is left open at ``cut`` and followed by
        nothing yet but its formula (or spaces), else ``cut``."""
        tag = self.TOKEN.match(buf, pos)
        if (
            tag is None
            or tag.group(1)
            or tag.group(2) != b"c"
            or tag.group(3).rstrip().endswith(b"/")
            or _FORMULA_NEXT.match(buf, tag.end(), cut) is None
        ):
            return cut
        return pos

    def _tail(self, buf: bytearray, start: int, cut: int) -> int:
        """Where the last cell of ``buf[start:cut]`` begins if ``cut`` cuts it and it may hold
        a formula (``_open_cell``), else ``cut``; a cell longer than ``_HOLD`` is not looked
        for (no formula is that long)."""
        pos = cut
        floor = max(start, cut - _HOLD)
        while (pos := buf.rfind(b"<", floor, pos)) >= 0:
            if self.TOKEN.match(buf, pos) is not None:  # the last row or cell tag
                return self._open_cell(buf, pos, cut)
        return cut

    def _judge_all(
        self, buf: bytearray, start: int, end: int, start_state: tuple[int, int]
    ) -> None:
        """Note the formula cells of ``buf[start:end]`` (whole cells) with no saved result."""
        unplaced = []
        pos = start
        # the formulas no value follows (none, as Excel and LibreOffice save them), at C speed
        while (formula := _NO_VALUE_AFTER.search(buf, pos, end)) is not None:
            pos = formula.end()
            tag = buf.rfind(b"<", start, formula.start())  # the formula's "<", then its cell's
            at = buf.rfind(b"<", start, tag) if tag > start else -1
            cell = _FORMULA_CELL.match(buf, at, end) if at >= 0 else None
            if cell is None or _saved(cell):
                continue
            pos = cell.end()
            place = _place(cell.group(1))
            if place is None:
                unplaced.append(cell)
                continue
            self._judge(cell, place)
        if unplaced:
            places = self._walk(buf, [c.start() for c in unplaced], start_state)
            for cell in unplaced:
                self._judge(cell, places[cell.start()])

    def _judge(self, cell: re.Match[bytes], place: tuple[int, int]) -> None:
        """Note a formula cell with no saved result, at ``place``."""
        formula = html.unescape((cell.group(2) or b"")[:1000].decode("utf-8", "replace"))
        self.unsaved.add(*place, " ".join(formula.split()))

    def _walk(
        self, buf: bytearray, offsets: list[int], state: tuple[int, int]
    ) -> dict[int, tuple[int, int]]:
        """The places of the cells whose tags start at ``offsets``, found as ``_token`` finds
        them from the start of ``buf`` (for cells without a reference, which no program of
        note writes)."""
        row, col = state
        wanted, last = set(offsets), max(offsets)
        places: dict[int, tuple[int, int]] = {}
        for match in self.TOKEN.finditer(buf):
            closing, name, _, _ = match.groups()
            if match.start() > last:
                break
            if closing:
                continue
            ref = _reference(match)
            if name == b"row":
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
                continue
            cell_row, col = row, col + 1
            if ref:
                if ref.group(1):
                    col = _column_index(ref.group(1))
                if ref.group(2):
                    cell_row = int(ref.group(2)) - 1
            if match.start() in wanted:
                places[match.start()] = (max(cell_row, 0), max(col, 0))
        return places


# For the fast scan of a worksheet part (``_XlsxScanner._scan_fast``).
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_ANY_TAG = re.compile(rb"<" + _PREFIX + rb"(?:row|c)(?=[\s/>])")


def _plain(reference: bytes) -> bytes:
    """The rest of a tag as Excel, LibreOffice and openpyxl write it: attributes name="value",
    one of them ``r="reference"``, then ">" or "/>". In such a tag ' r="' followed by a letter
    or digit is its reference, never within another value. (Other attributes given twice do
    not change where calamine puts a cell; refusing them too made this search ~30% slower.)
    """
    others = rb'(?:\s++(?!r=)[A-Za-z_][\w.:-]*+="[^"<>]*+")*+'
    return others + rb'\s+r="' + reference + rb'"' + others + rb"\s*+/?>"


# a row or cell tag not so written (without its reference, with it twice, with a "<" in it or
# in a value...): the tags are then read one by one, and such a tag refused if need be
_IRREGULAR_TAG = re.compile(
    rb"<"
    + _PREFIX
    + rb"(?:row(?=[\s/>])(?!"
    + _plain(rb"\d{1,10}")
    + rb")|c(?=[\s/>])(?!"
    + _plain(rb"[A-Z]{1,3}\d{1,10}")
    + rb"))"
)
# a cell with content (not written as <c .../>): its column letters and row number
_CONTENT_CELL = re.compile(
    rb"<" + _PREFIX + rb"c(?=\s)[^>]*?\sr=\"([A-Z]{1,3})(\d{1,10})\"[^>]*(?<!/)>"
)


# For the formulas with no saved result (``_XlsxScanner._scanned``): a whole cell with its
# formula (group 1: the cell's attributes, group 2: the formula), maybe a value (group 3, its
# text group 4); a formula's tag and text that no value follows, not empty (from its "f",
# looked for at C speed: an "f" is rarer than a "<")
_CELL_OPEN = rb"<" + _PREFIX + rb"c(?=[\s>])([^>]*)(?<!/)>\s*+"
_FORMULA = rb"<" + _PREFIX + rb"f(?=[\s/>])"
_NO_VALUE_AFTER = re.compile(
    rb"f(?<=<f|:f)(?=[\s/>])[^>]*(?:/>|>[^<]*</" + _PREFIX + rb"f>)(?!\s*+<" + _PREFIX + rb"v>[^<])"
)
_FORMULA_CELL = re.compile(
    _CELL_OPEN
    + _FORMULA
    + rb"[^>]*?(?:/>|>([^<]*)</"
    + _PREFIX
    + rb"f>)\s*+(<"
    + _PREFIX
    + rb"v(?=[\s/>])[^>]*?(?:/>|>([^<]*)</"
    + _PREFIX
    + rb"v>)\s*+)?</"
    + _PREFIX
    + rb"c>"
)
# a formula's tag, prefixed or not (or text that looks like one), from its "f" (three times
# faster than looking for "<f" and ":f")
_ANY_FORMULA = re.compile(rb"f(?<=[<:]f)[\s/>]")
_FORMULA_NEXT = re.compile(rb"\s*+(?:" + _FORMULA + rb"|\Z)")
_CELL_CLOSE = re.compile(rb"</" + _PREFIX + rb"c>")
_HOLD = 256 * 2**10  # no formula cell is longer (Excel's formulas have 8,192 characters)


def _saved(cell: re.Match[bytes]) -> bool:
    """Whether a formula cell ``_FORMULA_CELL`` matched has a saved result: a value, or an
    empty one in a cell of text (a formula whose result is "")."""
    if cell.group(4):
        return True
    if cell.group(3) is None:
        return False
    for name, double_quoted, single_quoted in _ATTRIBUTE.findall(cell.group(1)):
        if name == b"t":
            return bool((double_quoted or single_quoted) == b"str")
    return False


def _place(attributes: bytes) -> tuple[int, int] | None:
    """The row and column of a cell by its reference among its tag's ``attributes``, or None
    if it has no full one (then it is placed as ``_token`` places it)."""
    value = _values(attributes).get(b"r")
    ref = _REFERENCE.fullmatch(value) if value is not None else None
    if ref is None or not ref.group(1) or not ref.group(2):
        return None
    return max(int(ref.group(2)) - 1, 0), _column_index(ref.group(1))


def _sheet_parts(path: Path) -> dict[str, str]:
    """The sheet names of a workbook's worksheet parts (xl/worksheets/sheet1.xml -> "Risks"),
    from xl/workbook.xml and its relationships; read only if some formula was found unsaved,
    after the checks (the parts hold what they declare)."""
    try:
        with zipfile.ZipFile(path) as zf:
            workbook = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    targets: dict[bytes, str] = {}
    for tag in _RELATIONSHIP.finditer(rels):
        values = _values(tag.group(1))
        if b"Id" in values and b"Target" in values:
            target = html.unescape(values[b"Target"].decode("utf-8", "replace"))
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join("xl", target))
            targets[values[b"Id"]] = target
    parts: dict[str, str] = {}
    for tag in _SHEET.finditer(workbook):
        values = _values(tag.group(1))
        rid = next((v for n, v in values.items() if n.endswith(b":id")), None)
        if b"name" in values and rid in targets:
            parts[targets[rid]] = html.unescape(values[b"name"].decode("utf-8", "replace"))
    return parts


_SHEET = re.compile(rb"<" + _PREFIX + rb"sheet(?=[\s/>])([^>]*)>")
_RELATIONSHIP = re.compile(rb"<" + _PREFIX + rb"Relationship(?=[\s/>])([^>]*)>")


def _values(attributes: bytes) -> dict[bytes, bytes]:
    return {name: dq or sq for name, dq, sq in _ATTRIBUTE.findall(attributes)}


def _last_opening(
    token: re.Pattern[bytes], buf: bytearray, cut: int, name: bytes | None = None
) -> re.Match[bytes] | None:
    """The last opening tag ``token`` matches before ``cut`` (of that ``name``, if given)."""
    pos = cut
    while (pos := buf.rfind(b"<", 0, pos)) >= 0:
        match = token.match(buf, pos)
        if match is not None and not match.group(1) and name in (None, match.group(2)):
            return match
    return None


# What the .ods scan reads of a tag, by these names alone, as calamine does: a table's name,
# how many times a row or cell repeats (calamine takes the first of two; refused), how many
# rows and columns a cell spans (merged cells, which calamine does not report for .ods)
_TABLE_NAME = (b"table:name",)
_ROW_COUNTS = (b"table:number-rows-repeated",)
_CELL_COUNTS = (
    b"table:number-columns-repeated",
    b"table:number-rows-spanned",
    b"table:number-columns-spanned",
)
_COUNT = re.compile(rb"\+?0*(\d{1,20})")  # as calamine parses it (Rust's usize::from_str)
# where the tags go: a table (level 0) holds rows, a row cells, a cell none of them
_ODS_LEVELS = {b"table": 0, b"table-row": 1, b"table-cell": 2, b"covered-table-cell": 2}


def _counts(tag: re.Match[bytes], names: tuple[bytes, ...]) -> list[int]:
    """The counts ``names`` of a tag as calamine parses them, 1 where the tag has none or 0
    (calamine takes 0 as 0: counting 1 puts what follows further away, never nearer);
    ``_BadTag`` where one is given twice or is no whole number (no "&#51;" for 3)."""
    if b"table:number-" not in tag.group(3):  # none of them (most tags): only checked
        _attributes(tag, ())
        return [1] * len(names)
    counts = []
    for name, value in zip(names, _attributes(tag, names), strict=True):
        number = _COUNT.fullmatch(value) if value is not None else None
        if value is not None and number is None:
            raise _BadTag(
                f"the tag {_shown(tag.group(0))} gives {name.decode()} a value that is not a count"
            )
        counts.append(max(int(number.group(1)), 1) if number is not None else 1)
    return counts


# For the fast scan of content.xml (``_OdsScanner._scan_fast``): a row as LibreOffice writes
# most. Attributes name="value", no count but the columns a cell repeats, cells that hold
# text (text:p and the like) closed by their end tag, some used (not empty, or with a value
# or a formula): from the first of them (after the empty cells in group 1) to the last
# (before those in group 2).
_PLAIN_ATTRIBUTES = rb'(?: (?!table:number-)[\w.-]+:[\w.-]+="[^"<>]*+")*+'
_PLAIN_CELL_ATTRIBUTES = (
    _PLAIN_ATTRIBUTES
    + rb'(?: table:number-columns-repeated="[1-9][0-9]{0,5}"'
    + _PLAIN_ATTRIBUTES
    + rb")?"
)
_USED_CELL = (
    rb"(?:<table:table-cell" + _PLAIN_CELL_ATTRIBUTES + rb">"
    rb"(?:[^<]++|</?text:(?!(?:table|table-row|table-cell|covered-table-cell)[\s/>])[^<>]*+>)*+"
    rb"</table:table-cell>"
    rb"|<table:(?:covered-)?table-cell(?=[^>]*?(?:office:|table:formula))"
    + _PLAIN_CELL_ATTRIBUTES
    + rb"/>)"
)
_EMPTY_CELLS = (
    rb"(?:<table:(?:covered-)?table-cell(?![^>]*?(?:office:|table:formula))"
    + _PLAIN_CELL_ATTRIBUTES
    + rb"/>)*+"
)
_PLAIN_ROW = re.compile(
    rb"<table:table-row"
    + _PLAIN_ATTRIBUTES
    + rb">("
    + _EMPTY_CELLS
    + rb")"
    + _USED_CELL
    + rb"(?:"
    + _EMPTY_CELLS
    + _USED_CELL
    + rb")*+("
    + _EMPTY_CELLS
    + rb")</table:table-row>"
)
_PLAIN_REPEAT = re.compile(
    rb'<table:(?:covered-)?table-cell[^>]* table:number-columns-repeated="(\d+)"'
)


def _plain_columns(buf: bytearray, start: int, end: int) -> int:
    """The columns the cells of a plain row in ``buf[start:end]`` fill."""
    cells = buf.count(b"<table:table-cell", start, end)
    cells += buf.count(b"<table:covered-table-cell", start, end)
    return cells + sum(int(n) - 1 for n in _PLAIN_REPEAT.findall(buf, start, end))


# For the formulas with no saved result of an .ods file (``_ods_result_missing``): the
# attribute that holds the value of each type of value, and a formula cell of a plain row
# (``_OdsScanner._scan_fast``) with its attributes and "/" if empty
_VALUE_OF_TYPE = {
    b"float": b"office:value",
    b"percentage": b"office:value",
    b"currency": b"office:value",
    b"date": b"office:date-value",
    b"time": b"office:time-value",
    b"boolean": b"office:boolean-value",
}
_PLAIN_FORMULA_CELL = re.compile(
    rb'<table:(?:covered-)?table-cell((?: [\w.-]+:[\w.-]+="[^"<>]*+")*+)(/?)>'
)
_ODS_CELL_CLOSE = re.compile(rb"</table:(?:covered-)?table-cell>")
_ODS_REFERENCE = re.compile(r"\[\.?([^\[\]]*)\]")


def _ods_result_missing(values: dict[bytes, bytes], content: Content | None) -> bool:
    """Whether a cell with a formula (its attributes ``values``; its ``content``, None when
    not known yet) has no saved result that calamine reads. Calamine reads a cell by its type
    of value: with none, or without the value attribute of its type, the cell is empty to it.
    LibreOffice writes a formula whose result is "" with no type and an empty paragraph
    (``<text:p/>``): that is a result; no content at all, or text (shown, but not read), is
    none. A cell of text needs no value attribute (its result may be "")."""
    kind = values.get(b"office:value-type")
    if kind is None:
        return content is None or not content.tags or content.text
    wanted = _VALUE_OF_TYPE.get(kind)
    return wanted is not None and wanted not in values


@dataclass
class Content:
    """What the content of a cell (between its tag and its end tag) holds: tags (such as
    ``<text:p/>``), text outside them."""

    tags: bool = False
    text: bool = False

    def add(self, data: bytes | bytearray) -> None:
        self.tags = self.tags or b"<" in data
        self.text = self.text or bool(_ANY_TAG_TEXT.sub(b"", data).strip())


_ANY_TAG_TEXT = re.compile(rb"<[^>]*+>")


def _ods_formula(raw: bytes) -> str:
    """A formula as written in content.xml (``of:=[.A2]*2``) as the user sees it, without
    its "=" (``A2*2``): the namespace and the brackets of references taken off."""
    text = html.unescape(raw.decode("utf-8", "replace"))
    prefix, colon, rest = text.partition(":")
    if colon and prefix.isalpha() and rest.startswith("="):
        text = rest
    text = text.removeprefix("=")
    return _ODS_REFERENCE.sub(lambda m: m.group(1).replace(":.", ":"), text)


def _unsaved_in_row(buf: bytearray, start: int, end: int) -> bool:
    """Whether a plain row (``_PLAIN_ROW``) in ``buf[start:end]`` has a cell whose formula
    has no saved result."""
    pos = start
    while (found := buf.find(b"table:formula=", pos, end)) >= 0:
        tag_start = buf.rfind(b"<", start, found)
        tag = _PLAIN_FORMULA_CELL.match(buf, tag_start, end)
        if tag is None:
            return True  # (not so in a plain row): the tags are read one by one
        pos = tag.end()
        content = Content()
        if not tag.group(2):
            close = _ODS_CELL_CLOSE.search(buf, pos, end)
            content.add(buf[pos : close.start() if close is not None else end])
        if _ods_result_missing(_values(tag.group(1)), content):
            return True
    return False


class _OdsScanner(_Scanner):
    """The used area and merged ranges of every table of an .ods content.xml, as calamine
    reads them: a row's cells one after another, each as many times as it repeats, a table's
    rows likewise. Tables written otherwise than LibreOffice writes them are refused where
    calamine may read them otherwise: a count given twice or not a whole number, a table,
    row or cell out of its place or not closed by its own end tag (calamine lets a cell left
    open swallow the rows after it)."""

    # a tag ends at its ">"; one cut short by a "<" is malformed: group 4 is empty. Group 2
    # is the name with its prefix: calamine reads "table:" only, the scan any
    TOKEN = re.compile(
        rb"<(/?)((?:[A-Za-z_][\w.-]*:)?(?:table|table-row|table-cell|covered-table-cell))"
        rb"(?=[\s/>])([^<>]*)(>?)"
    )

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Bounds] = []
        self.merged: dict[str, list[Merged]] = {}  # by the name calamine gives the sheet
        self._open: list[bytes] = []  # the names of the table, row and cell being read
        self._sheet = ""
        self._merged: list[Merged] = []
        self._merged_count = 0
        self._row = 0
        self._row_repeat = 1
        self._col = 0
        self._first_used: int | None = None  # the columns of the row's cells with content
        self._last_used = 0
        # the cells whose formula has no saved result, by the name calamine gives the sheet
        self.unsaved: dict[str, UnsavedFormulas] = {}
        self._unsaved = UnsavedFormulas()
        # a formula cell with no type of value, open: its place (row, rows, column, columns)
        # and formula; its content so far, and where the rest begins in the part being
        # scanned (its end tag decides whether it has a result)
        self._pending: tuple[tuple[int, int, int, int], str] | None = None
        self._pending_content = Content()
        self._pending_from = 0

    def _token(self, match: re.Match[bytes]) -> None:
        closing, name, attrs, end = match.groups()
        try:
            if closing:
                if not self._open or self._open[-1] != name or not end or attrs.strip(b" \t\r\n"):
                    raise _BadTag(
                        f"the tag {_shown(match.group(0))} does not close the last table, row "
                        "or cell opened"
                    )
                self._open.pop()
                if name.endswith(b"table-row"):
                    self._end_row()
                elif self._pending is not None:
                    self._pending_content.add(match.string[self._pending_from : match.start()])
                    place, formula = self._pending
                    self._pending = None
                    if _ods_result_missing({}, self._pending_content):
                        self._note(place, formula)
                return
            local = name[name.find(b":") + 1 :]
            level = _ODS_LEVELS[local]
            empty = attrs.endswith(b"/")
            if level != len(self._open):
                raise _BadTag(
                    f"the tag {_shown(match.group(0))} is out of place (a table holds rows, a "
                    "row cells)"
                )
            if level == 0:
                (name_value,) = _attributes(match, _TABLE_NAME)
                self._table(name == b"table:table", name_value)
            elif level == 1:
                (self._row_repeat,) = _counts(match, _ROW_COUNTS)
                self._col = 0
                if empty:
                    self._end_row()
            else:
                repeat, rows, cols = _counts(match, _CELL_COUNTS)
                # calamine gives a cell content by one of its value attributes or a formula
                if not empty or b"office:" in attrs or b"table:formula" in attrs:
                    if self._first_used is None:
                        self._first_used = self._col
                    self._last_used = self._col + repeat - 1
                if (rows > 1 or cols > 1) and local == b"table-cell":
                    self._merge(rows, cols)
                if b"table:formula" in attrs:
                    self._formula(match, repeat, empty)
                self._col += repeat
            if not empty:
                self._open.append(name)
        except _BadTag as exc:
            if self._open:
                raise _BadTag(f"sheet {self._sheet!r}, row {self._row + 1}: {exc}") from None
            raise

    def _scan_fast(self, buf: bytearray, cut: int) -> bool:
        # A row as LibreOffice writes most (``_PLAIN_ROW``) is read in one match, as
        # ``_token`` reads it tag by tag; every other tag goes to ``_token``.
        pos = 0
        while (token := self.TOKEN.search(buf, pos, cut)) is not None:
            if len(self._open) == 1 and token.group(2) == b"table:table-row":
                row = _PLAIN_ROW.match(buf, token.start(), cut)
                if row is not None and (
                    buf.find(b"table:formula=", *row.span()) < 0
                    or not _unsaved_in_row(buf, *row.span())
                ):
                    start, pos = row.span()
                    columns = _plain_columns(buf, start, pos)
                    first = _plain_columns(buf, *row.span(1))
                    last = columns - _plain_columns(buf, *row.span(2)) - 1
                    self.tables[-1].add(self._row, self._row, first, last)
                    self._row, self._row_repeat, self._col = self._row + 1, 1, columns
                    continue
            self._token(token)
            pos = token.end()
        return True

    def _table(self, read: bool, name: bytes | None) -> None:
        """A table begins; calamine reads it as a sheet if ``read`` and it has a ``name``."""
        self.tables.append(Bounds())
        self._sheet = html.unescape(name.decode("utf-8", "replace")) if name is not None else ""
        self._merged = []
        self._unsaved = UnsavedFormulas()
        if read and name is not None:
            self.merged[self._sheet] = self._merged  # calamine keeps the last of a name
            self.unsaved[self._sheet] = self._unsaved
        self._row = 0

    def _formula(self, match: re.Match[bytes], repeat: int, empty: bool) -> None:
        """A cell with a formula (``match``, repeated ``repeat`` times along the row): noted
        if its result was never saved; with no type of value, its content decides."""
        # (as the fast scan reads a plain row's: an attribute given twice, the last; the tag
        # is well-formed, ``_counts`` checked)
        values = _values(match.group(3))
        formula = values.get(b"table:formula")
        if formula is None:
            return
        place = (self._row, self._row_repeat, self._col, repeat)
        if not _ods_result_missing(values, Content() if empty else None):
            return
        if empty or b"office:value-type" in values:
            self._note(place, _ods_formula(formula))
        else:
            self._pending = (place, _ods_formula(formula))
            self._pending_content = Content()
            self._pending_from = match.end()

    def _note(self, place: tuple[int, int, int, int], formula: str) -> None:
        """The cells of ``place`` (row, rows, column, columns) hold ``formula`` unsaved."""
        row, rows, col, cols = place
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                if self._unsaved.more:
                    return  # enough to refuse the sheet; no more are looked for
                self._unsaved.add(r, c, formula)

    def _scanned(self, buf: bytearray, cut: int) -> None:
        if self._pending is not None:  # an open formula cell's content so far
            self._pending_content.add(buf[self._pending_from : cut])
            self._pending_from = 0  # (what is left of ``buf`` after ``cut`` comes next)

    def _merge(self, rows: int, cols: int) -> None:
        if self._merged_count < MAX_MERGED:
            self._merged.append((self._row, self._col, self._row + rows - 1, self._col + cols - 1))
            self._merged_count += 1

    def _end_row(self) -> None:
        """A row ends: its cells with content count as many times as it repeats."""
        if self._first_used is not None:
            last_row = self._row + self._row_repeat - 1
            self.tables[-1].add(self._row, last_row, self._first_used, self._last_used)
            self._first_used = None
        self._row += self._row_repeat

    def sheets(self) -> list[Bounds]:
        if self._first_used is not None:  # a row left open at the end: calamine read its cells
            self._end_row()
        return self.tables
