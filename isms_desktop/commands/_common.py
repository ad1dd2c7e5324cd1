"""Checks of the command line's arguments shared by the sub-commands: register names, output
files and the like (password files are read, and refused, by ``storage.encryption``). Each
refusal is a ``BadArgumentsError`` (exit 2) whose text says what is wrong and what to give
instead."""

from __future__ import annotations

import argparse
import difflib
import os
from collections.abc import Iterable
from pathlib import Path

from isms_desktop.domain.errors import BadArgumentsError, TargetExistsError

# What a file name's ending says the file is: a name meant for one kind of file given to an
# option that writes another is a mix-up (``--pdf soa.xlsx``), refused before anything is done.
KINDS_OF_FILE: dict[str, str] = {
    ".isms": "an isms-desktop project",
    ".xlsx": "an Excel workbook",
    ".xlsm": "an Excel workbook with macros",
    ".xls": "an old Excel workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".csv": "a CSV file",
    ".pdf": "a PDF document",
    ".docx": "a Word document",
    ".doc": "an old Word document",
    ".odt": "an OpenDocument text",
}

_SQLITE_HEADER = b"SQLite format 3\x00"


def suggestion(word: str, choices: Iterable[str]) -> str:
    """`` — did you mean 'x'?`` for a near miss among ``choices``, else ``""``."""
    choices = list(choices)
    folded = {c.casefold(): c for c in choices}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean {folded[close[0]]!r}?" if close else ""


def register_name(text: str, known: Iterable[str]) -> str:
    """A register named on the command line as its name (``risks``) or its sheet's name
    (``Risks``), in any case and with stray spaces: the register's name. An unknown name is
    returned unchanged, for the caller's own refusal (which lists the registers); a near miss
    is refused here with the name it probably meant."""
    known = list(known)
    wanted = text.strip().casefold()
    for name in known:
        if name.casefold() == wanted:
            return name
    hint = suggestion(wanted, known)
    if hint:
        raise BadArgumentsError(
            f"there is no register named {text!r}{hint} (registers: {', '.join(known)})"
        )
    return text


def is_project_file(path: Path) -> bool:
    """Whether ``path`` is (or looks like) a project: named ``.isms`` or an SQLite database."""
    if path.suffix.lower() == ".isms":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def output_file(text: str, *, option: str, suffix: str, project: Path | str) -> Path:
    """The file an export or report writes (``--xlsx``, ``--pdf``, ``--docx``), checked before
    the project is opened: not a name meant for another kind of file, never the project
    itself nor another project (those would be destroyed). Any other existing file is
    replaced, as scripts that run the same export again expect."""
    out = Path(text)
    if not out.name or text.endswith(("/", "\\")):
        raise BadArgumentsError(f"{option} {text!r} names no file; give one such as out{suffix}")
    ending = out.suffix.lower()
    if ending != suffix and ending in KINDS_OF_FILE:
        raise BadArgumentsError(
            f"{option} {out}: a name ending in {out.suffix} is for {KINDS_OF_FILE[ending]}; "
            f"{option} writes {KINDS_OF_FILE[suffix]}, e.g. {out.with_suffix(suffix).name}"
        )
    _fits_in_folder(out, extra=_TEMPORARY_EXTRA)
    if not out.is_file():
        _writable_folder(out)
        return out
    _writable_folder(out)
    if isinstance(project, Path) and _same_file(out, project):
        raise BadArgumentsError(
            f"{option} {out} is the project being read; writing there would destroy it — "
            f"give another file name, e.g. {out.with_suffix(suffix).name}"
        )
    if is_project_file(out):
        raise TargetExistsError(
            f"{out} is an isms-desktop project and is not overwritten; "
            f"give another file name, e.g. {out.with_suffix(suffix).name}"
        )
    return out


def new_project_file(text: str) -> None:
    """A project file to be created (``new``, ``demo``, ``copy``'s target) that is not named
    like another kind of file (``new acme.xlsx``), in a folder that can be written to.
    Server URLs are not checked here."""
    out = Path(text)
    if text.endswith(("/", "\\")):
        raise BadArgumentsError(
            f"{text} names a folder; give the project file's name, e.g. {text}acme.isms"
        )
    ending = out.suffix.lower()
    if ending != ".isms" and ending in KINDS_OF_FILE:
        raise BadArgumentsError(
            f"{out}: a name ending in {out.suffix} is for {KINDS_OF_FILE[ending]}; "
            f"a project file's name ends in .isms, e.g. {out.with_suffix('.isms').name}"
        )
    _fits_in_folder(out, extra=None)
    if not out.exists():
        _writable_folder(out)


# An output is written under a temporary name beside it: ".NAME.12345678.part".
_TEMPORARY_EXTRA = len("..12345678.part")


def _fits_in_folder(out: Path, *, extra: int | None) -> None:
    """Refuse a file name longer than its folder allows (with the temporary name it is
    written under first; ``None``: a project's, with its journal), and a "folder" that is
    a file. Both were internal errors (OSError) of whatever touched the name first."""
    from isms_desktop.storage.project_file import longest_name

    folder = out.parent
    if folder.exists() and not folder.is_dir():
        raise BadArgumentsError(f"cannot write {out}: {folder} is a file, not a folder")
    search = folder if folder.is_dir() else Path.cwd()
    longest = longest_name(search) if extra is None else longest_name(search, extra)
    size = len(out.name.encode("utf-8", "surrogateescape"))
    if size > longest:
        raise BadArgumentsError(
            f"the file name {out.name[:40]}… is too long ({size} bytes; this folder takes "
            f"names of up to {longest}); choose a shorter name"
        )


def _writable_folder(out: Path) -> None:
    """Refuse, before any work, a file to be written in a folder that exists but does not
    let this user write (a missing folder is said by the writers themselves)."""
    folder = out.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise BadArgumentsError(
            f"cannot write {out}: the folder {folder.absolute()} is read-only for you (permission "
            "denied); choose another folder"
        )


def cannot_replace(out: Path, exc: PermissionError) -> BadArgumentsError:
    """A refusal for an output file that could not be put in place: on Windows, most often
    a file open in another program."""
    return BadArgumentsError(
        f"cannot write {out}: permission denied ({exc.strerror or exc}); if it is open in "
        "another program (Excel, Word, a PDF viewer), close it there, or choose another name"
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def positive_int(text: str) -> int:
    """``type=`` of an option that takes a row or count: a whole number of 1 or more."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number such as 1 or 2") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"it must be 1 or more, not {value}")
    return value


def all_registers() -> list[str]:
    """Every register the command line exports and imports, in CONTRACT.md's order first."""
    from isms_desktop.domain.register_specs import SPECS
    from isms_desktop.domain.registers import REGISTER_NAMES

    return [n for n in REGISTER_NAMES if n in SPECS] + [n for n in SPECS if n not in REGISTER_NAMES]


def wrapped(text: str, indent: str = "  ", width: int = 78) -> str:
    """``text`` wrapped for a help text's epilog (which is printed as it is written)."""
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def note_plain_copy(out: Path, encrypted: bool) -> None:
    """On stderr: an output written from an encrypted project is not encrypted itself."""
    if encrypted:
        import sys

        print(
            f"note: {out} is not encrypted, unlike the project it comes from; keep it as safe",
            file=sys.stderr,
        )
