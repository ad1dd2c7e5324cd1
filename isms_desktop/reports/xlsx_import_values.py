"""Cell values of an imported sheet turned into the values a register stores.

The importer checks every cell here before anything is written, so that one report lists every
problem of every row (the services stop at a row's first problem). What spreadsheets hold is
forgiven where the meaning is clear: whole numbers stored as decimals, dates as text in the
usual forms or as Excel serial numbers, scale values as labels ("High") or "3 - High", choices
by code, label or a common synonym ("Mitigate"), references by code or by name, and cells
listing several references ("A.8.5 / A.5.17", "A01–A07", "A01, A02").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from isms_desktop.domain.fields import (
    MAX_TEXT,
    Field,
    Kind,
    RegisterSpec,
    next_code,
    normalise_control,
    parse_date,
    parse_datetime,
    parse_value,
    split_codes,
)
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.reports.register_rows import name_field
from isms_desktop.reports.spreadsheet_reader import UnsavedFormula, normalise_header

EXCEL_MAX_CHARS = 32_767
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_SERIAL = 2_958_465  # 9999-12-31
_MORE_DATE_FORMATS = (
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d.%m.%y",
    "%m/%d/%Y",
    "%d/%m/%y",
    "%Y%m%d",
)
# Common words for the four treatment options (ISO 27005 and the "4 Ts").
_CHOICE_SYNONYMS = {
    "treat": "modify",
    "reduce": "modify",
    "mitigate": "modify",
    "modify": "modify",
    "tolerate": "retain",
    "accept": "retain",
    "retain": "retain",
    "transfer": "share",
    "share": "share",
    "insure": "share",
    "terminate": "avoid",
    "avoid": "avoid",
}
# Registers whose records an import may not create (catalogue content, fixed rows).
_NOT_CREATABLE = {"controls", "soa"}


class CellError(ValueError):
    """A cell that cannot be imported; the message says why."""


# Why a cell holding a formula with no saved result is refused (the importer names the cell)
UNSAVED_FORMULA = (
    "the cell holds a formula whose result was never saved in the file, so it has no value to "
    "import; open the file in Excel or LibreOffice and save it (or paste the values over the "
    "formulas), then import it again"
)


def unsaved_formula(sheet: str, cell: str) -> str:
    """Why the formula ``cell`` ("C7") of ``sheet`` is refused."""
    return f"cell {cell} of sheet {sheet!r} holds a formula" + UNSAVED_FORMULA.removeprefix(
        "the cell holds a formula"
    )


@dataclass
class Missing:
    """A record a row refers to that does not exist yet (made with --create-missing)."""

    register: str
    code: str
    values: dict[str, Any]
    row: int
    column: str


@dataclass
class References:
    """The records of one register a cell may name, by code and by name."""

    register: str
    codes: dict[str, str]  # lower-case code -> code
    names: dict[str, str]  # lower-case name -> code

    @classmethod
    def of(cls, register: str, pairs: Iterable[tuple[str, str]]) -> References:
        codes: dict[str, str] = {}
        names: dict[str, str] = {}
        for code, name in pairs:
            codes[code.lower()] = code
            if name:
                names.setdefault(_key(name), code)
        return cls(register, codes, names)

    def find(self, text: str) -> str | None:
        key = text.strip().lower()
        if self.register == "controls":
            key = normalise_control(text).lower()
        return self.codes.get(key) or self.names.get(_key(text))

    def add(self, code: str, name: str = "") -> None:
        self.codes[code.lower()] = code
        if name:
            self.names.setdefault(_key(name), code)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Converter:
    """Converts the cells of one import; holds the references it may resolve and create."""

    spec: RegisterSpec
    method: RiskMethod | None
    references: dict[str, References]  # by register
    create_missing: bool = False
    missing: dict[tuple[str, str], Missing] = field(default_factory=dict)
    # field name -> (type, cell) -> (True, value) or (False, why not): a cell's value is
    # the same wherever it occurs in a column (a Missing record is made at its first)
    _seen: dict[str, dict[tuple[type, Any], tuple[bool, Any]]] = field(default_factory=dict)

    def column(
        self, f: Field, cells: Sequence[Any], rows: Sequence[int], column: str
    ) -> tuple[list[Any], dict[int, str]]:
        """The values of a column's cells, exactly as ``value`` gives them one by one, and
        why not by position for the cells refused (their value is then None). Each distinct
        cell is converted once (columns of choices, scales, people, references and dates
        repeat a few values); a column of plain texts is stripped at C speed."""
        texts = self._texts(f, cells)
        if texts is not None:
            return texts, {}
        seen = self._seen.setdefault(f.name, {})
        values: list[Any] = []
        problems: dict[int, str] = {}
        for at, cell in enumerate(cells):
            key = (cell.__class__, cell)
            found = seen.get(key)
            if found is None:
                try:
                    found = (True, self.value(f, cell, rows[at], column))
                except CellError as exc:
                    found = (False, str(exc))
                seen[key] = found
            ok, value = found
            if ok:
                values.append(list(value) if value.__class__ is list else value)
            else:
                values.append(None)
                problems[at] = value
        return values, problems

    def _texts(self, f: Field, cells: Sequence[Any]) -> list[str] | None:
        """A column of texts (or empty cells) stripped, when that is all ``value`` does to
        each of them; None when some cell needs more (or is refused)."""
        code = f is self.spec.fields[0]
        if f.kind not in (Kind.TEXT, Kind.LONGTEXT) or (code and self.spec.control_codes):
            return None
        kinds = set(map(type, cells))
        if not kinds <= {str, type(None)}:
            return None
        given = cells if kinds == {str} else [c for c in cells if c is not None]
        if given and max(map(len, given)) > EXCEL_MAX_CHARS:
            return None
        texts = [c.strip() for c in given]
        if f.required and (len(given) < len(cells) or "" in texts):
            return None
        if f.kind is Kind.TEXT and not code and texts and max(map(len, texts)) > MAX_TEXT:
            return None
        if len(given) < len(cells):
            found = iter(texts)
            texts = ["" if c is None else next(found) for c in cells]
        return texts

    def value(self, f: Field, cell: Any, row: int, column: str) -> Any:
        """The stored value of a cell for field ``f``; CellError says why not."""
        if cell.__class__ is UnsavedFormula:
            raise CellError(UNSAVED_FORMULA)
        if isinstance(cell, str):
            if len(cell) > EXCEL_MAX_CHARS:
                raise CellError(
                    f"{f.header} has {len(cell):,} characters; at most {EXCEL_MAX_CHARS:,} "
                    "(what Excel itself allows) are imported"
                )
            cell = cell.strip()
            if cell == "":
                cell = None
        try:
            return self._value(f, cell, row, column)
        except CellError:
            raise
        except ValueError as exc:
            raise CellError(str(exc)) from None

    def _value(self, f: Field, cell: Any, row: int, column: str) -> Any:
        if cell is None:
            return parse_value(f, None)
        match f.kind:
            case Kind.TEXT | Kind.LONGTEXT:
                text = as_text(cell)
                if f is self.spec.fields[0]:
                    return self.spec.normalise_code(text)
                return parse_value(f, text)
            case Kind.INT | Kind.NUMBER | Kind.BOOL | Kind.LIST:
                if isinstance(cell, dt.date):
                    raise CellError(f"{f.header} must not be a date, not {as_text(cell)!r}")
                return parse_value(f, cell)
            case Kind.DATE:
                return self._date(f, cell)
            case Kind.DATETIME:
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    return _from_serial(f, cell)
                if isinstance(cell, dt.time):
                    raise CellError(f"{f.header} must be a date and time, not {cell}")
                return parse_datetime(cell, f.header)
            case Kind.CHOICE:
                return self._choice(f, cell)
            case Kind.SCALE:
                return self._scale(f, cell)
            case Kind.LEVEL:
                return None
            case Kind.PERSON | Kind.REF:
                target = "people" if f.kind is Kind.PERSON else str(f.ref)
                return self._reference(f, target, as_text(cell), row, column)
            case Kind.REFS:
                return self._references(f, cell, row, column)
        return parse_value(f, cell)  # pragma: no cover - every kind is handled above

    def _date(self, f: Field, cell: Any) -> dt.date:
        if isinstance(cell, bool):
            raise CellError(f"{f.header} must be a date such as 2026-03-31, not {cell!r}")
        if isinstance(cell, int | float):
            return _from_serial(f, cell).date()
        if isinstance(cell, dt.time):
            raise CellError(f"{f.header} must be a date, not the time {cell}")
        if isinstance(cell, str):
            text = cell.strip()
            for fmt in _MORE_DATE_FORMATS:
                try:
                    return dt.datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
            try:
                return parse_date(text.replace("T", " ").split(" ")[0], f.header)
            except ValueError:
                pass
        return parse_date(cell, f.header)

    def _choice(self, f: Field, cell: Any) -> str:
        text = as_text(cell)
        try:
            return str(parse_value(f, text))
        except ValueError as exc:
            key = normalise_header(text)
            for choice, label in f.choice_labels.items():
                outside = normalise_header(re.sub(r"\(.*?\)", " ", label))
                inside = [normalise_header(m) for m in re.findall(r"\((.*?)\)", label)]
                if key in (outside, *inside):
                    return choice
            synonym = _CHOICE_SYNONYMS.get(key)
            if synonym in f.choices:
                return str(synonym)
            raise CellError(str(exc)) from None

    def _scale(self, f: Field, cell: Any) -> int:
        if self.method is None:  # pragma: no cover - the importer always loads the method
            return int(cell)
        scale = self.method.scale(f.scale)
        number: int | None = None
        if isinstance(cell, int) and not isinstance(cell, bool):
            number = cell
        elif isinstance(cell, str):
            text = cell.strip()
            number = self.method.value_for(f.scale, text)
            if number is None:
                # "3 - High", "3 (High)", "High (3)", "3 = High"
                match = re.match(r"(\d+)(?![\d.,])", text) or re.search(r"\((\d+)\)$", text)
                if match:
                    number = int(match.group(1))
            if number is None:
                number = self.method.value_for(f.scale, re.sub(r"\(.*?\)", "", text))
            if number is None:
                number = _common_scale_word(text, len(scale))
        if number is None or not 1 <= number <= len(scale):
            labels = ", ".join(f"{s.value} {s.label}" for s in scale)
            raise CellError(f"{f.header} must be one of {labels}, not {as_text(cell)!r}")
        return number

    def _reference(self, f: Field, target: str, text: str, row: int, column: str) -> str:
        refs = self.references[target]
        found = refs.find(text)
        if found is not None:
            return found
        return self._missing(f, target, text, row, column)

    def _references(self, f: Field, cell: Any, row: int, column: str) -> list[str]:
        target = str(f.ref)
        refs = self.references[target]
        text = as_text(cell)
        whole = refs.find(text)
        if whole is not None:
            return [whole]
        codes = []
        unknown = []
        for part in split_codes(text, controls=target == "controls"):
            found = refs.find(part)
            if found is None:
                unknown.append(part)
            else:
                codes.append(found)
        if unknown and (not self.create_missing or target in _NOT_CREATABLE):
            raise CellError(_no_such(f, target, unknown, self.create_missing))
        codes.extend(self._missing(f, target, part, row, column) for part in unknown)
        return list(dict.fromkeys(codes))

    def _missing(self, f: Field, target: str, text: str, row: int, column: str) -> str:
        if not self.create_missing or target in _NOT_CREATABLE:
            raise CellError(_no_such(f, target, [text], self.create_missing))
        key = (target, _key(text))
        if key not in self.missing:
            self.missing[key] = self._new_record(target, text, row, column)
        return self.missing[key].code

    def _new_record(self, target: str, text: str, row: int, column: str) -> Missing:
        spec = SPECS[target]
        refs = self.references[target]
        code = next_code(spec.code_prefix, list(refs.codes.values()))
        values: dict[str, Any] = {"code": code}
        named = name_field(target)
        if named is not None:
            values[named.name] = text
        for g in spec.fields[1:]:
            if g.required and g.name not in values:
                if g.kind is Kind.CHOICE and g.choices:
                    values[g.name] = g.choices[0]
                else:
                    raise CellError(
                        f"{target} record {text!r} does not exist and cannot be created here "
                        f"(it needs {g.header}); add it first"
                    )
        refs.add(code, text)
        return Missing(target, code, values, row, column)


# The usual words of qualitative scales, by the number of levels: when the project's own
# labels do not match, "High" on a five-level scale is the fourth level.
_LADDERS: dict[int, tuple[tuple[str, ...], ...]] = {
    3: (("low",), ("medium", "moderate", "med"), ("high",)),
    4: (("low",), ("medium", "moderate", "med"), ("high",), ("very high", "critical")),
    5: (
        ("very low", "rare", "insignificant", "negligible"),
        ("low", "unlikely", "minor"),
        ("medium", "moderate", "possible", "med"),
        ("high", "likely", "major"),
        ("very high", "almost certain", "severe", "catastrophic", "critical"),
    ),
}


def _common_scale_word(text: str, levels: int) -> int | None:
    key = " ".join(re.sub(r"[^a-z ]+", " ", text.lower()).split()).replace("v ", "very ")
    for value, words in enumerate(_LADDERS.get(levels, ()), start=1):
        if key in words:
            return value
    return None


def _no_such(f: Field, target: str, texts: list[str], create_missing: bool) -> str:
    what = ", ".join(repr(t) for t in texts)
    hint = "" if create_missing else " (--create-missing creates it)"
    if target in _NOT_CREATABLE:
        hint = ""
    noun = "person" if target == "people" else f"{target} record"
    return f"{f.header}: there is no {noun} {what}{hint}"


def _from_serial(f: Field, number: float) -> dt.datetime:
    """An Excel date serial number (days since 1899-12-30) as a date and time."""
    if not 1 <= number <= _MAX_SERIAL:
        raise CellError(f"{f.header} must be a date such as 2026-03-31, not {number!r}")
    moment = _EXCEL_EPOCH + dt.timedelta(days=float(number))
    return moment.replace(microsecond=0)


def as_text(cell: Any) -> str:
    """A cell as the text the user sees in it."""
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    if isinstance(cell, float):
        return f"{cell:.15g}"
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="minutes" if cell.second == 0 else "seconds")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell).strip()


def shown(cell: Any, limit: int = 60) -> str:
    """A cell value for a problem report, shortened."""
    text = "" if cell is None else as_text(cell)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
