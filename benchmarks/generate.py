"""Projects of 1,000, 10,000 or 100,000 risks for the benchmarks, cached between runs.

A project of ``size`` risks holds, in proportion, what such an ISMS would: ``size / 10``
assets, two assets and two Annex A controls per risk, ``size / 2`` treatment actions (each
for two risks and two controls), ``size / 100`` attachments of evidence and a filled SoA.

The project itself, the people and the SoA go through the services. The many rows go in as
bulk inserts in one transaction (through the services they would take hours at 100,000),
built from the same generated values the services would get (``common.generated_rows``) and
with the computed risk levels filled by the services' own ``score_risk``. Bulk rows bypass
the change log: a generated project has no history beyond its creation.

Built files are kept in ``benchmarks/.cache/`` (git-ignored), one per size and schema
revision, so only the first run of a size pays for building it::

    .venv/bin/python -m benchmarks.generate --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from benchmarks.common import generated_rows
from isms_desktop.domain.fields import Field, Kind
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import registers
from isms_desktop.services.projects import create_project
from isms_desktop.services.risk_method import current_method, score_risk
from isms_desktop.storage.migrations_runner import head_revision
from isms_desktop.storage.models import Attachment, AttachmentData, Control, Person, Risk
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.storage.registers import EDITABLE_MODELS, FIXED_VALUES, LINKS

CACHE = Path(__file__).resolve().parent / ".cache"
ORGANISATION = "Benchmark Scale Ltd"
PEOPLE = 50
CHUNK = 5_000  # rows per executemany
ATTACHMENT_BYTES = 2_048


@dataclass(frozen=True)
class Shape:
    """How many records of each kind a project of ``risks`` risks holds."""

    risks: int

    @property
    def assets(self) -> int:
        return max(10, self.risks // 10)

    @property
    def actions(self) -> int:
        return max(1, self.risks // 2)

    @property
    def attachments(self) -> int:
        return max(5, self.risks // 100)

    @property
    def people(self) -> int:
        return PEOPLE


def cache_path(size: int, cache: Path | None = None) -> Path:
    """Where the project of ``size`` risks is kept for the current schema revision."""
    return (cache or CACHE) / f"risks-{size}-{head_revision()}.isms"


def project_path(size: int, cache: Path | None = None, *, verbose: bool = False) -> Path:
    """The cached project of ``size`` risks, built first if there is none (or a stale one).

    The file is shared by every benchmark: open it read-only, or copy it before writing.
    """
    path = cache_path(size, cache)
    if path.exists() and _complete(path, size):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    _ignore_folder(path.parent)
    work = path.with_name(f".{path.name}.{os.getpid()}.building")
    with contextlib.suppress(FileNotFoundError):
        work.unlink()
    started = time.perf_counter()
    try:
        with create_project(work, ORGANISATION, populate=lambda p: populate(p, Shape(size))):
            pass
        os.replace(work, path)
        for stale in path.parent.glob(f"risks-{size}-*.isms"):
            if stale != path:  # built for an older schema revision
                stale.unlink()
    finally:
        for leftover in work.parent.glob(work.name + "*"):
            leftover.unlink()
    if verbose:
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def _ignore_folder(folder: Path) -> None:
    """A .gitignore inside the cache too, in case the repository's own lacks the line."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")


def _complete(path: Path, size: int) -> bool:
    try:
        with open_project(path, read_only=True) as project:
            return registers.count(project, "risks") == size
    except Exception:  # a damaged or half-built cache file is rebuilt
        return False


def populate(project: Project, shape: Shape) -> None:
    """Fill a new project (the ``populate`` hook of ``create_project``)."""
    _people(project, shape)
    _soa(project)
    method = current_method(project)
    scale_size = min(len(method.likelihood), len(method.impact))
    with project.transaction() as session:
        conn = session.connection()
        ids = {
            "people": _ids(conn, Person),
            "controls": _ids(conn, Control),
        }
        ids["assets"] = _bulk(conn, "assets", shape.assets, ids, scale_size)
        ids["risks"] = _bulk(conn, "risks", shape.risks, ids, scale_size, method=method)
        _bulk(conn, "treatment", shape.actions, ids, scale_size)
        _attachments(conn, shape.attachments, list(ids["risks"].values()))


def _people(project: Project, shape: Shape) -> None:
    rows = [
        (n + 2, {"code": f"P-{n + 1:03d}", "name": f"Person {n + 1:03d}", "role": "Staff"})
        for n in range(shape.people)
    ]
    fields = {f.name for f in SPECS["people"].fields}
    rows = [(n, {k: v for k, v in values.items() if k in fields}) for n, values in rows]
    _check(registers.upsert_rows(project, "people", rows), "people")


def _soa(project: Project) -> None:
    """Every control decided, with reasons and an implementation statement (as a real SoA)."""
    people = registers.codes(project, "people")
    statuses = ("implemented", "partially_implemented", "planned", "not_started")
    rows = []
    for n, code in enumerate(registers.codes(project, "soa")):
        applicable = n % 12 != 0
        values: dict[str, Any] = {
            "code": code,
            "applicable": applicable,
            "reason_business": applicable,
            "reason_best_practice": n % 3 == 0,
            "owner": people[n % len(people)],
        }
        if applicable:
            values["status"] = statuses[n % len(statuses)]
            values["implementation"] = f"Implemented through the procedure for control {code}."
        else:
            values["status"] = "not_applicable"
            values["justification"] = "The organisation has no activity this control addresses."
        rows.append((n + 2, values))
    _check(registers.upsert_rows(project, "soa", rows), "soa")


def _check(result: registers.UpsertResult, what: str) -> None:
    if not result.written:
        problems = "; ".join(p.reason for p in result.problems[:3])
        raise RuntimeError(f"generating {what} failed: {problems}")


def _ids(conn: Connection, model: type[Any]) -> dict[str, int]:
    return {str(code): int(i) for code, i in conn.execute(select(model.code, model.id))}


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _stored(f: Field, value: Any, ids: dict[str, dict[str, int]]) -> tuple[str, Any]:
    """The column and stored value of one generated raw value."""
    if f.is_reference:
        target = "people" if f.kind is Kind.PERSON else str(f.ref)
        return f"{f.name}_id", ids[target][value]
    return f.name, value


def _bulk(
    conn: Connection,
    register: str,
    count: int,
    ids: dict[str, dict[str, int]],
    scale_size: int,
    *,
    method: Any = None,
) -> dict[str, int]:
    """Insert ``count`` generated rows of a register with their links; returns code -> id."""
    spec = SPECS[register]
    model = EDITABLE_MODELS[register]
    table = model.__table__
    first_id = int(conn.scalar(select(table.c.id).order_by(table.c.id.desc()).limit(1)) or 0) + 1
    pools = {name: list(codes) for name, codes in ids.items()}
    fields = {f.name: f for f in spec.fields}
    rows: list[dict[str, Any]] = []
    links: dict[str, list[dict[str, Any]]] = {}
    made: dict[str, int] = {}
    for offset, (_, values) in enumerate(generated_rows(spec, 0, count, pools, scale_size)):
        row_id = first_id + offset
        row: dict[str, Any] = {"id": row_id, **FIXED_VALUES.get(register, {})}
        for name, value in values.items():
            f = fields[name]
            if (register, name) in LINKS:
                link = LINKS[(register, name)]
                targets = dict.fromkeys(ids[str(f.ref)][code] for code in value)
                links.setdefault(name, []).extend(
                    {link.own: row_id, link.target: target} for target in targets
                )
                continue
            column, stored = _stored(f, value, ids)
            row[column] = stored
        if register == "risks":
            _spread_scores(row, offset, method)
            risk = Risk(**row)
            score_risk(method, risk)
            for name in ("inherent_level", "inherent_rank", "residual_level", "residual_rank"):
                row[name] = getattr(risk, name)
        rows.append(row)
        made[row["code"]] = row_id
    _insert_all(conn, table, rows)
    for name, link_rows in links.items():
        _insert_all(conn, LINKS[(register, name)].table.__table__, link_rows)
    return made


def _spread_scores(row: dict[str, Any], n: int, method: Any) -> None:
    """Scores over the whole matrix (residual no worse than inherent), so levels vary."""
    likelihoods, impacts = len(method.likelihood), len(method.impact)
    row["inherent_likelihood"] = 1 + n % likelihoods
    row["inherent_impact"] = 1 + (n // likelihoods) % impacts
    row["residual_likelihood"] = max(1, row["inherent_likelihood"] - n % 2)
    row["residual_impact"] = max(1, row["inherent_impact"] - (n // 3) % 2)


def _insert_all(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Rows with the same keys go together (executemany needs one shape per batch)."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    for same in shapes.values():
        for chunk in _chunks(same):
            conn.execute(insert(table), chunk)


def _attachments(conn: Connection, count: int, risk_ids: list[int]) -> None:
    now = dt.datetime(2026, 1, 5, 9, 30)
    heads, blobs = [], []
    for n in range(count):
        data = (f"Evidence {n + 1}: access review minutes.\n" * 64).encode()[:ATTACHMENT_BYTES]
        heads.append(
            {
                "id": n + 1,
                "owner_register": "risks",
                "owner_id": risk_ids[(n * 97) % len(risk_ids)],
                "name": f"evidence-{n + 1:05d}.txt",
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "mime": "text/plain",
                "added_by": "benchmark",
                "added_at": now,
                "expires_on": dt.date(2027, 1, 1) + dt.timedelta(days=n % 400),
                "note": "",
            }
        )
        blobs.append({"attachment_id": n + 1, "data": data})
    _insert_all(conn, Attachment.__table__, heads)
    _insert_all(conn, AttachmentData.__table__, blobs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated risk counts")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        print(project_path(size, args.cache, verbose=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
