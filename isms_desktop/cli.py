"""The command line of CONTRACT.md: ``isms-desktop [PROJECT]`` opens the window; sub-commands
work headless. Every failure is one line on stderr and an exit status, never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import copy
import errno
import gc
import io
import json
import logging
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from isms_desktop import __version__, app_logging
from isms_desktop.domain.errors import (
    BadArgumentsError,
    DamagedFileError,
    IsmsError,
    NotAvailableError,
)

log = logging.getLogger(__name__)

SUBCOMMANDS = (
    "new",
    "demo",
    "info",
    "check",
    "export",
    "report",
    "import",
    "copy",
    "update-catalogue",
    "encrypt",
    "decrypt",
)


def _cmd_new(args: argparse.Namespace) -> int:
    from isms_desktop.commands._common import new_project_file
    from isms_desktop.services.projects import create_project
    from isms_desktop.storage.encryption import password_for
    from isms_desktop.storage.server import location_argument

    path = location_argument(args.project)
    if isinstance(path, Path):
        new_project_file(args.project)
    sector = _sector(args.sector)
    password = password_for(path) if isinstance(path, Path) else None
    with create_project(path, args.org, sector=sector, password=password):
        pass
    print(f"created {args.project}" + (" (encrypted)" if password else ""))
    return 0


def _sector(text: str | None) -> str:
    """``--sector``: a sector code of the catalogue (any case), or none."""
    if not text or not text.strip():
        return ""
    from isms_desktop.commands._common import suggestion

    codes = _sectors()
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for code in codes:
        if code.casefold() == wanted:
            return code
    raise BadArgumentsError(
        f"--sector {text!r} is not a sector code{suggestion(wanted, codes)} "
        f"(the codes: {', '.join(codes)})"
    )


def _cmd_demo(args: argparse.Namespace) -> int:
    from isms_desktop.commands._common import new_project_file
    from isms_desktop.services.demo import create_demo_project
    from isms_desktop.storage.server import location_argument

    location = location_argument(args.project)
    password = None
    if isinstance(location, Path):
        from isms_desktop.storage.encryption import password_for

        new_project_file(args.project)
        password = password_for(location)
    with create_demo_project(location):
        pass
    if password and isinstance(location, Path):
        # the demo is built plain; a password given for it (as for 'new') encrypts it
        from isms_desktop.storage.project_file import change_encryption

        change_encryption(location, password=None, new_password=password)
    print(f"created demo project {args.project}" + (" (encrypted)" if password else ""))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from isms_desktop.services.projects import open_project, project_info
    from isms_desktop.storage.server import location_argument

    with open_project(location_argument(args.project), read_only=True) as project:
        info = project_info(project)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        ready = info["readiness"]
        print(f"{info['organisation']} — {info['standard']}")
        print(f"project    {args.project}" + (" (encrypted)" if info["encrypted"] else ""))
        upgrade = (
            f" (upgraded to {info['schema_head']} when opened for writing)"
            if info["upgrade_needed"]
            else ""
        )
        print(f"schema     {info['schema_revision']}{upgrade}")
        print(f"program    isms-desktop {info['app_version']}")
        print(
            f"readiness  {ready['overall_percent']} % (clauses {ready['clauses_percent']} %, "
            f"Annex A controls {ready['controls_percent']} %)"
        )
        print("records")
        for name, count in info["counts"].items():
            print(f"  {name:<16}{count:>8}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from isms_desktop.services.projects import check_project
    from isms_desktop.storage.server import location_argument

    location = location_argument(args.project)
    advice = ""
    if isinstance(location, Path):
        from isms_desktop.services.backups import restore_advice

        with contextlib.suppress(OSError):  # no backups folder can be made: nothing to advise
            advice = restore_advice(location.stem)
    try:
        result = check_project(location)
    except DamagedFileError as exc:
        if not advice:
            raise
        raise DamagedFileError(f"{exc} — {advice}") from exc
    if not result.ok:
        for problem in result.problems:
            print(f"{args.project}: {problem}", file=sys.stderr)
        print(
            f"{args.project} is damaged; restore it from a backup copy"
            + (f" — {advice}" if advice else ""),
            file=sys.stderr,
        )
        return 4
    print(f"{args.project}: ok (schema {result.revision})")
    if result.needs_migration:
        print(
            f"it will be upgraded to schema {result.head} when opened for writing "
            "(a backup copy is kept beside it)"
        )
    return 0


def _cmd_update_catalogue(args: argparse.Namespace) -> int:
    from isms_desktop.services.catalogue import update_catalogue
    from isms_desktop.storage.server import location_argument

    with_project = location_argument(args.project)
    result = update_catalogue(with_project)
    if not result.changed_anything:
        print(f"{args.project}: the catalogue is up to date")
        return 0
    added = ", ".join(f"{n} {k}" for k, n in result.added.items()) or "nothing"
    updated = ", ".join(f"{n} {k}" for k, n in result.updated.items()) or "nothing"
    print(f"{args.project}: added {added}; updated {updated}")
    return 0


def _project_file_only(text: str) -> Path:
    """``encrypt`` and ``decrypt`` work on files: a server URL is refused, saying why."""
    from isms_desktop.storage.server import is_url

    if is_url(text):
        raise BadArgumentsError(
            f"{text} is a server database: encryption is for project files (a server "
            "protects its data with its own access rights and TLS)"
        )
    return Path(text)


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from isms_desktop.storage.encryption import password_for, read_password_file
    from isms_desktop.storage.project_file import change_encryption

    _project_file_only(args.project)
    path = Path(args.project)
    new_password = read_password_file(
        Path(args.new_password_file), option="--new-password-file", new=True
    )
    change_encryption(path, password=password_for(path), new_password=new_password)
    print(f"{path} is encrypted; keep the password safe: without it the project is lost")
    return 0


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from isms_desktop.storage.encryption import password_for
    from isms_desktop.storage.project_file import change_encryption

    path = _project_file_only(args.project)
    change_encryption(path, password=password_for(path), new_password=None)
    print(f"{path} is no longer encrypted")
    return 0


def _not_yet(args: argparse.Namespace) -> int:
    raise NotAvailableError(f"'{args.command}' is not yet available in isms-desktop {__version__}")


class UsageError(BadArgumentsError):
    """The words of the command line do not parse (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr naming the help to read (CONTRACT.md:
    every failure is one clear line), not the usage block followed by the error."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("isms-desktop").strip()
        raise UsageError(f"{command + ': ' if command else ''}{message}")


PROGRAM_EPILOG = """\
examples:
  isms-desktop new acme.isms --org "Acme Ltd"
  isms-desktop info acme.isms --json
  isms-desktop export acme.isms --xlsx "Acme registers.xlsx" --register risks --register soa
  isms-desktop report acme.isms soa --pdf "Acme SoA.pdf"
  isms-desktop import acme.isms --register assets --from assets.xlsx --dry-run

PROJECT.isms is a project file, or a server database postgresql://user@host:5432/NAME
(its password from PGPASSWORD, ~/.pgpass or the system keyring). An encrypted project
needs --password-file FILE or the ISMS_PASSWORD variable. "isms-desktop COMMAND --help"
(or "isms-desktop help COMMAND") describes a command, with examples.

exit status:
  0    done
  1    failed (e.g. the disk is full: the message says why), or an internal error
       (the message names the log file with the details)
  2    wrong arguments, or refused (e.g. the file to create already exists)
  3    rows of an import rejected; nothing was imported
  4    damaged or unreadable project file, or unreachable server
  5    project saved by a newer version of isms-desktop
  6    project in use (locked) by another user or process
  7    wrong password
  130  interrupted (Ctrl+C)
"""

_PROJECT_HELP = "the project file (or a postgresql:// URL)"
_QUIET_HELP = "print nothing when it succeeds (errors and warnings still go to stderr)"


def _epilog(*examples: str, note: str = "") -> str:
    text = "examples:\n" + "".join(f"  {e}\n" for e in examples)
    return text + (f"\n{note}\n" if note else "")


def _sectors() -> list[str]:
    """The sector codes of the catalogue (read from it directly: the setup wizard's service
    would import the registers, and with them SQLAlchemy, for every --help)."""
    from isms_desktop.catalog.loader import load_context_suggestions

    return [sector.code for sector in load_context_suggestions().sectors]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="isms-desktop",
        description=textwrap.fill(
            "Run an ISO/IEC 27001:2022 ISMS from one project file. Without a COMMAND, "
            "isms-desktop opens its window (on PROJECT.isms, if given); the commands work "
            "without a window, for scripts.",
            79,
        ),
        usage="isms-desktop [PROJECT.isms] [--password-file FILE]\n"
        "       isms-desktop COMMAND [options] ...",
        epilog=PROGRAM_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"isms-desktop {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", prog="isms-desktop"
    )
    common = _Parser(add_help=False)
    common.add_argument(
        "--password-file",
        metavar="FILE",
        help="the password of an encrypted project, on the first line of FILE "
        "(or set ISMS_PASSWORD)",
    )
    quiet = _Parser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", help=_QUIET_HELP)

    creating = _Parser(add_help=False)
    creating.add_argument(
        "--password-file",
        metavar="FILE",
        help="encrypt the new project with the password on the first line of FILE "
        "(or set ISMS_PASSWORD)",
    )

    def add(name: str, help: str, description: str, epilog: str) -> argparse.ArgumentParser:
        parents = [creating if name in ("new", "demo") else common]
        return sub.add_parser(
            name,
            help=help,
            description=textwrap.fill(description, 79),
            epilog=epilog,
            parents=parents + ([quiet] if name != "info" else []),
        )

    p = add(
        "new",
        "create a new project",
        "Create a new project: the 93 Annex A controls with an SoA row for each, the "
        "clause checklist, the threat catalogue, the templates and the default risk "
        "method. An existing file is never overwritten (exit 2).",
        _epilog(
            'isms-desktop new acme.isms --org "Acme Ltd"',
            'isms-desktop new "Clients/Müller GmbH.isms" --org "Müller GmbH" --sector finance',
        ),
    )
    p.add_argument("project", metavar="PROJECT.isms", help="the project file to create")
    p.add_argument("--org", required=True, metavar="NAME", help="the organisation's name")
    p.add_argument(
        "--sector",
        metavar="CODE",
        help="the organisation's sector, for the suggestions of the setup wizard: "
        + ", ".join(_sectors()),
    )
    p.set_defaults(func=_cmd_new)

    p = add(
        "demo",
        "create an example project",
        "Create a realistic example project of a small company (assets, risks, SoA, "
        "policies, an internal audit, a management review, ...), to try the program "
        "on. An existing file is never overwritten (exit 2).",
        _epilog(
            "isms-desktop demo demo.isms",
            "isms-desktop demo encrypted-demo.isms --password-file pw.txt",
        ),
    )
    p.add_argument("project", metavar="PROJECT.isms", help="the project file to create")
    p.set_defaults(func=_cmd_demo)

    p = add(
        "info",
        "describe a project (--json for scripts)",
        "Print what a project holds: the organisation, the schema, the number of "
        "records in each register and the readiness. The project is only read.",
        _epilog(
            "isms-desktop info acme.isms",
            "isms-desktop info acme.isms --json",
            "isms-desktop info postgresql://alice@db.example.org/isms --json",
        ),
    )
    p.add_argument("project", metavar="PROJECT.isms", help=_PROJECT_HELP)
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (format, app_version, schema_revision, schema_head, "
        "upgrade_needed, organisation, standard, encrypted, counts, readiness) and nothing else",
    )
    p.set_defaults(func=_cmd_info)

    p = add(
        "check",
        "check a project file's integrity",
        "Check a project's integrity and schema: exit 0 if it is sound (and say whether "
        "it will be upgraded when opened for writing), 4 if it is damaged (and where its "
        "automatic backups are). The project is only read.",
        _epilog("isms-desktop check acme.isms"),
    )
    p.add_argument("project", metavar="PROJECT.isms", help=_PROJECT_HELP)
    p.set_defaults(func=_cmd_check)

    p = add(
        "encrypt",
        "encrypt a project, or change its password",
        "Encrypt a project file with a password, or change the password of an encrypted "
        "one (give the old one with --password-file). Without the password the project "
        "cannot be opened by anyone: keep it safe.",
        _epilog(
            "isms-desktop encrypt acme.isms --new-password-file new.txt",
            "isms-desktop encrypt acme.isms --password-file old.txt --new-password-file new.txt",
        ),
    )
    p.add_argument("project", metavar="PROJECT.isms", help="the project file")
    p.add_argument(
        "--new-password-file",
        metavar="FILE",
        required=True,
        help="the new password, on the first line of FILE",
    )
    p.set_defaults(func=_cmd_encrypt)

    p = add(
        "decrypt",
        "store an encrypted project in plaintext",
        "Remove the encryption of a project file (its password is needed).",
        _epilog("isms-desktop decrypt acme.isms --password-file pw.txt"),
    )
    p.add_argument("project", metavar="PROJECT.isms", help="the project file")
    p.set_defaults(func=_cmd_decrypt)

    p = add(
        "update-catalogue",
        "apply the bundled catalogue to a project",
        "Bring a project's catalogue (controls, clause checklist, threats, templates) up "
        "to the one shipped with this version; the project's own records are kept.",
        _epilog("isms-desktop update-catalogue acme.isms"),
    )
    p.add_argument("project", metavar="PROJECT.isms", help=_PROJECT_HELP)
    p.set_defaults(func=_cmd_update_catalogue)

    from isms_desktop import commands

    for name in ("export", "report", "import", "copy"):
        module = commands.load(name)
        if module is None:
            p = sub.add_parser(name, help="not yet available", parents=[common])
            p.add_argument("rest", nargs=argparse.REMAINDER)
            p.set_defaults(func=_not_yet)
        else:
            p = add(
                name,
                module.HELP,
                getattr(module, "DESCRIPTION", module.HELP),
                getattr(module, "EPILOG", ""),
            )
            module.add_arguments(p)
            p.set_defaults(func=module.run)
    return parser


def run_headless(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        command = argv[0] if argv and argv[0] in SUBCOMMANDS else ""
        where = f"isms-desktop {command}".strip()
        raise UsageError(f"{exc} (see '{where} --help')") from None
    _refuse_empty_names(args)
    func: Callable[[argparse.Namespace], int] = args.func
    with _password_from(getattr(args, "password_file", None)):
        try:
            if getattr(args, "quiet", False):
                with contextlib.redirect_stdout(io.StringIO()):
                    return func(args)
            return func(args)
        except IsmsError as exc:
            worded = _for_the_command_line(exc)
            if worded is None:
                raise
            raise worded from exc
        except Exception as exc:
            plain = _environment_error(exc, args)
            if plain is None:
                raise
            raise plain from exc


def _for_the_command_line(exc: IsmsError) -> IsmsError | None:
    """A refusal whose advice differs in the window (\"open it read-only\", which a command
    that writes cannot do) with the advice a command can follow, written beside the
    window's in ``storage.advice``; None if it has the same words in both."""
    from isms_desktop.storage.advice import Advised

    if not isinstance(exc, Advised):
        return None
    worded = copy.copy(exc)
    worded.args = (exc.for_command_line(),)
    return worded


def _environment_error(exc: Exception, args: argparse.Namespace) -> IsmsError | None:
    """A failure of the machine rather than of the program that reached the command line
    untranslated (the disk full while a project is created, say), as one clear message;
    None for anything else (a bug: an internal error, logged)."""
    where = str(getattr(args, "project", None) or getattr(args, "target", None) or "the file")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        target = exc.filename or where
        return IsmsError(
            f"cannot write {target}: the disk is full; free some space on it and try again"
        )
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            from isms_desktop.storage.db_errors import translate

            return translate(exc, where)
    return None


def _refuse_empty_names(args: argparse.Namespace) -> None:
    """A file name given as "" (an unset variable in a script) is said as such; it was taken
    for the current folder (or, for info, an internal error)."""
    names = {
        "project": "PROJECT.isms",
        "source": "SOURCE",
        "target": "TARGET",
        "password_file": "--password-file",
        "new_password_file": "--new-password-file",
    }
    if args.command == "import":
        names["source"] = "--from"
    for attribute, shown in names.items():
        value = getattr(args, attribute, None)
        if isinstance(value, str) and not value.strip():
            raise BadArgumentsError(
                f"{shown} is empty; give the name of a file (an unset variable in a script?)"
            )


@contextlib.contextmanager
def _password_from(password_file: str | None) -> Iterator[None]:
    """The password of ``--password-file`` for the projects opened meanwhile (then the
    environment's again, so that a later call in the same process does not inherit it)."""
    if not password_file:
        yield
        return
    from isms_desktop.storage.encryption import read_password_file, set_password_source

    password = read_password_file(Path(password_file))
    set_password_source(lambda _path: password)
    try:
        yield
    finally:
        set_password_source(None)


def _window_call(argv: Sequence[str]) -> tuple[list[str], str] | None:
    """``isms-desktop [PROJECT.isms] --password-file F`` (the option before or after the
    project): the window's call with a password file, as (the rest, F); else None."""
    rest: list[str] = []
    password_file: str | None = None
    words = iter(argv)
    for word in words:
        if word == "--password-file":
            password_file = next(words, None)
            if password_file is None:
                return None
        elif word.startswith("--password-file="):
            password_file = word.partition("=")[2]
        else:
            rest.append(word)
    if not password_file or len(rest) > 1:
        return None
    if rest and (rest[0] in SUBCOMMANDS or rest[0].startswith("-")):
        return None
    return rest, password_file


def _run_gui(argv: Sequence[str]) -> int:
    # Python's cycle collector would scan the ~130,000 objects that importing Qt, SQLAlchemy
    # and our modules creates, several times, finding nothing to free: ~10% of the start.
    # It waits until the window has painted (``start_main_window`` turns it back on).
    gc.disable()
    from isms_desktop.ui.app import run_app

    project = Path(argv[0]) if argv else None
    return run_app(project)


def _looks_like_a_command(word: str) -> bool:
    """A single word that is no project to open: not a file there is, nor a name with an
    ending (``acme.isms``), a folder or a server URL -- a mistyped command (``exprot``),
    which would otherwise open the window on a project that does not exist."""
    if "://" in word or "/" in word or os.sep in word or Path(word).suffix:
        return False
    return not Path(word).exists()


def _unknown_command(argv: Sequence[str]) -> str:
    from isms_desktop.commands._common import suggestion

    word = argv[0]
    hint = suggestion(word, SUBCOMMANDS)
    if len(argv) > 1 and (Path(word).is_file() or not _looks_like_a_command(word)):
        later = next((w for w in argv[1:] if w in SUBCOMMANDS), None)
        example = f"isms-desktop {later} {word} ..." if later else f"isms-desktop info {word}"
        return (
            f"{word!r} is not a command: to open a project in the window give its name "
            f"alone, or put the command first, e.g. {example} (see 'isms-desktop --help')"
        )
    return f"unknown command {word!r}{hint} (see 'isms-desktop --help' for the commands)"


def _configure_logging() -> Path | None:
    """The log file, or None where none can be written (a home folder that is read-only,
    say): the command still runs, and an internal error then says what it was instead."""
    try:
        return app_logging.configure()
    except OSError:
        root = logging.getLogger()
        if not root.handlers:
            root.addHandler(logging.NullHandler())  # not logging's last resort: stderr
        return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    log_path = _configure_logging()
    try:
        window = _window_call(argv)
        if window is not None:
            rest, password_file = window
            if rest and _looks_like_a_command(rest[0]):
                raise UsageError(_unknown_command(rest))
            with _password_from(password_file):
                return _run_gui(rest)
        if argv and argv[0] == "help" and len(argv) <= 2:  # isms-desktop help [COMMAND]
            if argv[1:] and argv[1] not in SUBCOMMANDS:
                raise UsageError(_unknown_command(argv[1:]))
            return run_headless([*argv[1:], "--help"])
        if argv and (argv[0] in SUBCOMMANDS or argv[0].startswith("-")):
            return run_headless(argv)
        if len(argv) > 1 or (argv and _looks_like_a_command(argv[0])):
            raise UsageError(_unknown_command(argv))
        return _run_gui(argv)
    except IsmsError as exc:
        log.info("refused: %s", exc)
        print(f"isms-desktop: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("isms-desktop: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `info | head`): nothing more to say
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except Exception as exc:
        log.exception("unexpected error")
        print(
            f"isms-desktop: internal error ({type(exc).__name__}); "
            + (f"details are in {log_path}" if log_path else f"{exc}"),
            file=sys.stderr,
        )
        return 1
