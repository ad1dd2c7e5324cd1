"""Registers described as data: their fields, how values are parsed and shown.

One description per register drives the table views, the detail forms, the Excel export
headers and the importer, so a register's columns are defined once. Values typed by a user
(in a cell, a form or a spreadsheet) are parsed here, with a reason when they are refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    CHOICE = "choice"
    PERSON = "person"  # a person of the people register, by code
    REF = "ref"  # a record of another register, by code
    LIST = "list"  # several short texts, one per line
    REFS = "refs"  # several records of another register, by code (a link table)
    SCALE = "scale"  # a value on the project's likelihood or impact scale (number or label)
    LEVEL = "level"  # a risk level computed from a scale pair; never typed
    NUMBER = "number"  # a decimal number (targets, measurements)
    DATETIME = "datetime"  # a date with a time of day (incidents)


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    width: int = 18
    synonyms: tuple[str, ...] = ()
    help: str = ""
    minimum: int | None = None
    maximum: int | None = None
    scale: str = ""  # for SCALE fields: "likelihood" or "impact"
    computed: bool = False  # filled by the application, read-only for users
    labels: tuple[str, ...] = ()  # display labels of ``choices``, when not derived from them

    @property
    def is_reference(self) -> bool:
        return self.kind in (Kind.PERSON, Kind.REF)

    @functools.cached_property
    def choice_labels(self) -> dict[str, str]:
        """Stored value → label (built once per field: read for every cell shown)."""
        if self.labels:
            return dict(zip(self.choices, self.labels, strict=True))
        return {c: c.replace("_", " ").capitalize() for c in self.choices}

    @functools.cached_property
    def _choice_of(self) -> dict[str, str]:
        """A choice's or label's spelling, normalised (``_norm``) → the stored value."""
        found: dict[str, str] = {}
        for choice, label in self.choice_labels.items():
            found.setdefault(_norm(choice), choice)
            found.setdefault(_norm(label), choice)
        return found


@dataclass(frozen=True)
class RegisterSpec:
    name: str
    title: str
    code_prefix: str
    fields: tuple[Field, ...]
    purpose: str = ""
    search_fields: tuple[str, ...] = ()
    # Rows exist for every record of something else (the SoA: one per control); users edit
    # them but neither add, delete nor recode them.
    fixed_rows: bool = False
    # Codes are control numbers, accepted in any spelling ("A.5.1", "A 5.1", "5.1").
    control_codes: bool = False
    # Date fields the form of a new record fills with today (a nonconformity raised now),
    # for the user to see and change; imports and scripts set them as given.
    dated_today: tuple[str, ...] = ()

    def normalise_code(self, code: str) -> str:
        return normalise_control(code) if self.control_codes else code.strip()

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name}")

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(f.header for f in self.fields)


_TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "applicable", "✓", "✔"}
_FALSE = {"no", "n", "false", "0", "nein", "non", "not applicable", "n/a", "-", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")


MAX_TEXT = 1000  # characters of a short text field (longer ones are LONGTEXT)
_SEPARATORS = re.compile(r"[\s_\-]+")


def _norm(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().lower())


def parse_value(spec: Field, raw: Any) -> Any:
    """Turn a typed or imported value into the stored one; ValueError says why not."""
    if isinstance(raw, str):
        raw = raw.strip()
    empty = raw is None or raw == ""
    if empty:
        if spec.required:
            raise ValueError(f"{spec.header} is required")
        if spec.kind is Kind.BOOL:
            return None
        if spec.kind in (Kind.LIST, Kind.REFS):
            return []
        nullable = (
            Kind.INT,
            Kind.DATE,
            Kind.PERSON,
            Kind.REF,
            Kind.SCALE,
            Kind.LEVEL,
            Kind.NUMBER,
            Kind.DATETIME,
        )
        return None if spec.kind in nullable else ""
    match spec.kind:
        case Kind.TEXT | Kind.LONGTEXT | Kind.PERSON | Kind.REF:
            text = str(raw)
            if spec.kind is Kind.TEXT and len(text) > MAX_TEXT:
                raise ValueError(f"{spec.header} is longer than {MAX_TEXT} characters")
            return text
        case Kind.INT:
            number = _whole_number(raw)
            if number is None:
                raise ValueError(f"{spec.header} must be a whole number, not {raw!r}")
            low = spec.minimum if spec.minimum is not None else number
            high = spec.maximum if spec.maximum is not None else number
            if not low <= number <= high:
                raise ValueError(f"{spec.header} must be between {low} and {high}, not {number}")
            return number
        case Kind.NUMBER:
            return _number(raw, spec.header)
        case Kind.DATETIME:
            return parse_datetime(raw, spec.header)
        case Kind.SCALE:
            # A number, or a label such as "High" that the project's method resolves.
            number = _whole_number(raw)
            return number if number is not None else str(raw).strip()
        case Kind.LEVEL:
            return None
        case Kind.REFS:
            return split_codes(raw, controls=spec.ref == "controls")
        case Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            lowered = str(raw).strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError(f"{spec.header} must be yes or no, not {raw!r}")
        case Kind.DATE:
            return parse_date(raw, spec.header)
        case Kind.CHOICE:
            if isinstance(raw, str) and raw in spec.choice_labels:  # a stored value already
                return raw
            found = spec._choice_of.get(_norm(str(raw)))
            if found is not None:
                return found
            allowed = ", ".join(spec.choice_labels.values())
            raise ValueError(f"{spec.header} must be one of {allowed}, not {raw!r}")
        case Kind.LIST:
            items = raw if isinstance(raw, list | tuple) else re.split(r"[\n;]+", str(raw))
            return [str(item).strip() for item in items if str(item).strip()]
    raise AssertionError(spec.kind)  # pragma: no cover


def _number(raw: Any, header: str) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{header} must be a number, not {raw!r}")
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")  # 1,234.5
    elif re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")  # 12,5 (decimal comma)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{header} must be a number, not {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{header} must be a finite number, not {raw!r}")
    return value


def parse_datetime(raw: Any, header: str = "time") -> dt.datetime:
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None, microsecond=0)
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)
    text = str(raw).strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        day = parse_date(text, header)
    except ValueError:
        raise ValueError(
            f"{header} must be a date and time such as 2026-03-31 14:30, not {raw!r}"
        ) from None
    return dt.datetime(day.year, day.month, day.day)


def _whole_number(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip()
    whole = re.fullmatch(r"([+-]?\d+)(\.0+)?", text)
    # the digits themselves, not through a float: "12345678901234567891" stays exact, and
    # 400 digits (an infinite float) are a number out of range, not an OverflowError
    if whole and len(whole.group(1)) <= _MAX_DIGITS:
        return int(whole.group(1))
    return None


_MAX_DIGITS = 4000  # of a whole number typed or imported (Python converts up to 4,300)


_CONTROL = re.compile(r"^(?:a\s*\.?\s*)?(\d{1,2}(?:\.\d{1,2}){1,2})$", re.IGNORECASE)
_RANGE = re.compile(r"^([A-Za-z][A-Za-z.\- ]*?)(\d+)\s*(?:–|—|-|\.\.|to)\s*\1?(\d+)$")
_SPLIT = re.compile(r"\s*(?:[,;/\n|]|\s+and\s+|\s+&\s+)\s*")


def normalise_control(text: str) -> str:
    """'A.8.5', 'A 8.5', 'a8.5' and '8.5' all name control 8.5."""
    match = _CONTROL.match(text.strip())
    return match.group(1) if match else text.strip()


def split_codes(raw: Any, *, controls: bool = False) -> list[str]:
    """A cell listing several codes ("A.8.5 / A.5.17", "A01–A07", "A01, A02") as a list."""
    parts = [str(p) for p in raw] if isinstance(raw, list | tuple) else _SPLIT.split(str(raw))
    codes: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if controls:
            codes.append(normalise_control(part))
            continue
        match = _RANGE.match(part)
        if match and len(match.group(3)) <= len(match.group(2)) + 1:
            prefix, first, last = match.group(1), int(match.group(2)), int(match.group(3))
            width = len(match.group(2))
            if first <= last and last - first <= 1000:
                codes.extend(f"{prefix}{n:0{width}d}" for n in range(first, last + 1))
                continue
        codes.append(part)
    return list(dict.fromkeys(codes))


def parse_date(raw: Any, header: str = "date") -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"{header} must be a date such as 2026-03-31, not {raw!r}") from None


def display_value(spec: Field, value: Any) -> str:
    """How a stored value reads in a table cell."""
    return display_function(spec)(value)


def display_function(spec: Field) -> Callable[[Any], str]:
    """``display_value`` for one field, its kind decided once: for the many rows of a page,
    a copy or an export."""
    match spec.kind:
        case Kind.BOOL:
            return _yes_no
        case Kind.DATETIME:
            return _date_time
        case Kind.DATE:
            return _date
        case Kind.NUMBER:
            return _number_text
        case Kind.CHOICE:
            labels = spec.choice_labels
            return lambda value: "" if value is None else labels.get(str(value), str(value))
        case Kind.LIST:
            return lambda value: "" if value is None else "; ".join(str(v) for v in value)
        case Kind.REFS:
            return lambda value: "" if value is None else ", ".join(str(v) for v in value)
    return _text


def _text(value: Any) -> str:
    return value if type(value) is str else "" if value is None else str(value)


def _yes_no(value: Any) -> str:
    return "" if value is None else "Yes" if value else "No"


def _date_time(value: Any) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else str(value)


def _date(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def next_code(prefix: str, existing: list[str]) -> str:
    """The next free code ``PREFIX-NNN`` after the highest number in use."""
    highest = 0
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    for code in existing:
        match = pattern.match(code)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}{highest + 1:03d}"
