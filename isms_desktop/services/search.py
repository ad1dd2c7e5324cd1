"""Search across every register: one box finds any record by code, title or text.

The index is an SQLite FTS5 table in a private in-memory database, filled from the project's
registers the first time a project is searched and again after any committed change (the
project's ``generation`` counter). Keeping it outside the project file means the file's
schema stays the same on every database (team mode), and an index can never be stale on disk.
Words match by prefix ("encr" finds "encryption"), accents are ignored, and all words must
occur; results are grouped by register, best match first.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import CancelledError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.storage.models import Control, SoaEntry
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import EDITABLE_MODELS, FIXED_VALUES

# registers searched, in the order their groups are shown
SEARCHED = tuple(name for name in SPECS if name in EDITABLE_MODELS)
TITLE_FIELDS = ("title", "name", "objective", "course", "requirement", "description", "flow")
WORD = re.compile(r"\w+", re.UNICODE)
CHUNK = 5000  # records read per transaction while the index is filled


@dataclass(frozen=True)
class SearchHit:
    register: str
    code: str
    title: str
    snippet: str


def _title_field(register: str) -> str | None:
    names = {f.name for f in SPECS[register].fields}
    return next((n for n in TITLE_FIELDS if n in names), None)


def _documents(
    project: Project, cancelled: Callable[[], bool] | None = None
) -> Iterator[tuple[str, str, str, str]]:
    """(register, code, title, body) for every record of every searched register.

    Read ``CHUNK`` records per transaction, each chunk before it is indexed: the index may
    be built on a worker thread while the user edits, and an edit waits for the reads that
    are under way (indexing 100,000 records takes seconds; reading a chunk, milliseconds).
    ``cancelled`` is asked before each chunk (CancelledError: the search was closed).
    """
    for register in SEARCHED:
        if register == "soa":
            with project.reading() as session:
                yield from _soa_documents(session)
            continue
        model = EDITABLE_MODELS[register]
        spec = SPECS[register]
        title_name = _title_field(register)
        text_names = [n for n in spec.search_fields if n != "code" and hasattr(model, n)]
        columns = [model.id, model.code] + [getattr(model, n) for n in text_names]
        stmt: Any = select(*columns).order_by(model.id).limit(CHUNK)
        for field_name, value in FIXED_VALUES.get(register, {}).items():
            stmt = stmt.where(getattr(model, field_name) == value)
        if register == "actions":
            stmt = stmt.where(model.source != "treatment")
        after = None
        while True:
            if cancelled is not None and cancelled():
                raise CancelledError("the search was closed before its index was built")
            with project.reading() as session:
                chunk = session.execute(
                    stmt if after is None else stmt.where(model.id > after)
                ).all()
            for row in chunk:
                code = str(row[1])
                values = dict(zip(text_names, row[2:], strict=True))
                title = str(values.get(title_name) or "") if title_name else ""
                body = " ".join(str(v) for k, v in values.items() if v and k != title_name)
                yield register, code, title, body
            if len(chunk) < CHUNK:
                break
            after = chunk[-1][0]


def _soa_documents(session: Session) -> list[tuple[str, str, str, str]]:
    stmt = select(
        SoaEntry.code, Control.title, SoaEntry.justification, SoaEntry.implementation
    ).join(Control, Control.id == SoaEntry.control_id)
    return [
        ("soa", code, title, f"{justification} {implementation}")
        for code, title, justification, implementation in session.execute(stmt)
    ]


class SearchIndex:
    """An FTS5 index of one project's records, in memory."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(register UNINDEXED, code UNINDEXED, "
            "title, keys, body, tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
        )
        self._lock = threading.Lock()

    def fill(self, project: Project, cancelled: Callable[[], bool] | None = None) -> None:
        with self._lock:
            try:
                self._db.execute("DELETE FROM docs")
                self._db.executemany(
                    "INSERT INTO docs (register, code, title, keys, body) VALUES (?, ?, ?, ?, ?)",
                    (
                        (register, code, title, _code_keys(code), body)
                        for register, code, title, body in _documents(project, cancelled)
                    ),
                )
            except BaseException:
                self._db.rollback()  # the index as it was (and still marked out of date)
                raise
            self._db.commit()

    def search(self, text: str, *, limit_per_register: int = 20) -> list[SearchHit]:
        query = _fts_query(text)
        if not query:
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT register, code, title, snippet(docs, 4, '[', ']', '…', 8) "
                "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 0, 4.0, 10.0, 1.0)",
                (query,),
            ).fetchall()
        per_register: dict[str, list[SearchHit]] = {}
        for register, code, title, snippet in rows:
            hits = per_register.setdefault(register, [])
            if len(hits) < limit_per_register:
                hits.append(SearchHit(register, code, title, snippet))
        grouped = [hit for name in SEARCHED for hit in per_register.get(name, [])]
        # a record whose code is exactly what was typed comes first
        wanted = _compact(text)
        return sorted(grouped, key=lambda hit: _compact(hit.code) != wanted)

    def close(self) -> None:
        self._db.close()


def _compact(code: str) -> str:
    return re.sub(r"[\W_]+", "", code).casefold()


def _code_keys(code: str) -> str:
    """A code in forms a user may type: "R-012" is also "R012" and "12"."""
    compact = re.sub(r"[\W_]+", "", code)
    digits = re.findall(r"\d+", code)
    return " ".join([code, compact, *(d.lstrip("0") or "0" for d in digits)])


def _fts_query(text: str) -> str:
    """The user's words as an FTS5 query: each word a quoted prefix, all required."""
    words = WORD.findall(text)
    return " ".join(f'"{w}"*' for w in words)


_INDEXES: weakref.WeakKeyDictionary[Project, tuple[int, SearchIndex]] = weakref.WeakKeyDictionary()


def index_for(project: Project, cancelled: Callable[[], bool] | None = None) -> SearchIndex:
    """The project's index, refilled when the project changed since it was built."""
    cached = _INDEXES.get(project)
    if cached is not None and cached[0] == project.generation:
        return cached[1]
    index = cached[1] if cached is not None else SearchIndex()
    generation = project.generation
    index.fill(project, cancelled)
    _INDEXES[project] = (generation, index)
    return index


def index_ready(project: Project) -> bool:
    """Whether the project's index is built and up to date (a search will not build it)."""
    cached = _INDEXES.get(project)
    return cached is not None and cached[0] == project.generation


def search(
    project: Project,
    text: str,
    *,
    limit_per_register: int = 20,
    cancelled: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """Records matching every word of ``text``, grouped by register, best first.
    ``cancelled`` is asked while the index is (re)built."""
    index = index_for(project, cancelled)
    return index.search(text, limit_per_register=limit_per_register)
