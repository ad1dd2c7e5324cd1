"""The command line of CONTRACT.md: ``isms-desktop [PROJECT]`` opens the window; sub-commands
work headless. Every failure is one line on stderr and an exit status, never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from isms_desktop import __version__, app_logging
from isms_desktop.domain.errors import DamagedFileError, IsmsError, NotAvailableError

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
    from isms_desktop.services.projects import create_project
    from isms_desktop.storage.encryption import password_for
    from isms_desktop.storage.server import location_argument

    path = location_argument(args.project)
    password = password_for(path) if isinstance(path, Path) else None
    with create_project(path, args.org, sector=args.sector or "", password=password):
        pass
    print(f"created {args.project}" + (" (encrypted)" if password else ""))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from isms_desktop.services.demo import create_demo_project
    from isms_desktop.storage.server import location_argument

    with create_demo_project(location_argument(args.project)):
        pass
    print(f"created demo project {args.project}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from isms_desktop.services.projects import open_project, project_info
    from isms_desktop.storage.server import location_argument

    with open_project(location_argument(args.project), read_only=True) as project:
        info = project_info(project)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        print(f"{info['organisation']} — {info['standard']}")
        print(f"schema {info['schema_revision']}, written with isms-desktop {info['app_version']}")
        for name, count in info["counts"].items():
            print(f"  {name:<16}{count:>8}")
        print(f"readiness {info['readiness']['overall_percent']} %")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from isms_desktop.services.projects import check_project
    from isms_desktop.storage.server import location_argument

    location = location_argument(args.project)
    advice = ""
    if isinstance(location, Path):
        from isms_desktop.services.backups import restore_advice

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


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from isms_desktop.storage.encryption import password_for, read_password_file
    from isms_desktop.storage.project_file import change_encryption

    path = Path(args.project)
    new_password = read_password_file(Path(args.new_password_file))
    change_encryption(path, password=password_for(path), new_password=new_password)
    print(f"{path} is encrypted; keep the password safe: without it the project is lost")
    return 0


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from isms_desktop.storage.encryption import password_for
    from isms_desktop.storage.project_file import change_encryption

    path = Path(args.project)
    change_encryption(path, password=password_for(path), new_password=None)
    print(f"{path} is no longer encrypted")
    return 0


def _not_yet(args: argparse.Namespace) -> int:
    raise NotAvailableError(f"'{args.command}' is not yet available in isms-desktop {__version__}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isms-desktop",
        description="Run an ISO/IEC 27001:2022 ISMS from one project file.",
    )
    parser.add_argument("--version", action="version", version=f"isms-desktop {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--password-file",
        metavar="FILE",
        help="the password of an encrypted project, on the first line of FILE "
        "(or set ISMS_PASSWORD)",
    )

    p = sub.add_parser("new", help="create a new project", parents=[common])
    p.add_argument("project", metavar="PROJECT.isms")
    p.add_argument("--org", required=True, help="the organisation's name")
    p.add_argument("--sector", help="sector code (e.g. it_services)")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("demo", help="create an example project", parents=[common])
    p.add_argument("project", metavar="PROJECT.isms")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("info", help="describe a project", parents=[common])
    p.add_argument("project", metavar="PROJECT.isms")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("check", help="check a project file's integrity", parents=[common])
    p.add_argument("project", metavar="PROJECT.isms")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser(
        "encrypt", help="encrypt a project, or change its password", parents=[common]
    )
    p.add_argument("project", metavar="PROJECT.isms")
    p.add_argument(
        "--new-password-file",
        metavar="FILE",
        required=True,
        help="the new password, on the first line of FILE",
    )
    p.set_defaults(func=_cmd_encrypt)

    p = sub.add_parser("decrypt", help="store an encrypted project in plaintext", parents=[common])
    p.add_argument("project", metavar="PROJECT.isms")
    p.set_defaults(func=_cmd_decrypt)

    p = sub.add_parser(
        "update-catalogue", help="apply the bundled catalogue to a project", parents=[common]
    )
    p.add_argument("project", metavar="PROJECT.isms")
    p.set_defaults(func=_cmd_update_catalogue)

    from isms_desktop import commands

    for name in ("export", "report", "import", "copy"):
        module = commands.load(name)
        if module is None:
            p = sub.add_parser(name, help="not yet available", parents=[common])
            p.add_argument("rest", nargs=argparse.REMAINDER)
            p.set_defaults(func=_not_yet)
        else:
            p = sub.add_parser(name, help=module.HELP, parents=[common])
            module.add_arguments(p)
            p.set_defaults(func=module.run)
    return parser


def run_headless(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    password_file = getattr(args, "password_file", None)
    if password_file:
        from isms_desktop.storage.encryption import read_password_file, set_password_source

        password = read_password_file(Path(password_file))
        set_password_source(lambda _path: password)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


def _run_gui(argv: Sequence[str]) -> int:
    # Python's cycle collector would scan the ~130,000 objects that importing Qt, SQLAlchemy
    # and our modules creates, several times, finding nothing to free: ~10% of the start.
    # It waits until the window has painted (``start_main_window`` turns it back on).
    gc.disable()
    from isms_desktop.ui.app import run_app

    project = Path(argv[0]) if argv else None
    return run_app(project)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    log_path = app_logging.configure()
    try:
        if argv and (argv[0] in SUBCOMMANDS or argv[0].startswith("-")):
            return run_headless(argv)
        if len(argv) > 1:
            print(
                f"isms-desktop: unknown command '{argv[0]}' (try isms-desktop --help)",
                file=sys.stderr,
            )
            return 2
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
            f"isms-desktop: internal error ({type(exc).__name__}); details are in {log_path}",
            file=sys.stderr,
        )
        return 1
