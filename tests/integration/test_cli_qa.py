"""The command line as a consultant scripting deliverables uses it: output files that must
never destroy a project, one-line errors for every kind of bad input, names given the way
people type them, --help that says what to type, --quiet. Real project files in tmp dirs,
the real ``main`` (or the program as a separate process), outputs read back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from isms_desktop.cli import SUBCOMMANDS, main
from isms_desktop.domain.registers import REGISTER_NAMES


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isms_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def _one_line_error(err: str) -> str:
    """The stderr of a refused call: exactly one line, the program's, no traceback."""
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert err.startswith("isms-desktop: "), err
    return err


# -- output files never destroy a project -------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{p}", "--xlsx", "{p}"],
        ["report", "{p}", "soa", "--pdf", "{p}"],
        ["report", "{p}", "policy:POL-001", "--docx", "{p}"],
    ],
)
def test_writing_an_output_over_the_project_itself_is_refused(
    demo_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`export demo.isms --xlsx demo.isms` replaced the project with a workbook (all lost)."""
    before = _digest(demo_path)
    code = main([a.format(p=demo_path) for a in args])
    err = _one_line_error(capsys.readouterr().err)
    assert code == 2
    assert str(demo_path) in err and ".isms" in err
    assert _digest(demo_path) == before
    assert main(["check", str(demo_path)]) == 0


@pytest.mark.parametrize(("option", "name"), [("--xlsx", "registers.xlsx"), ("--pdf", "soa.pdf")])
def test_an_output_that_is_the_project_under_another_name_is_refused(
    demo_path: Path, tmp_path: Path, option: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link to the project named like an output: still the project, still refused."""
    link = tmp_path / name
    link.symlink_to(demo_path)
    before = _digest(demo_path)
    args = ["export", str(demo_path), "--xlsx", str(link)]
    if option == "--pdf":
        args = ["report", str(demo_path), "soa", "--pdf", str(link)]
    assert main(args) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "the project being read" in err
    assert _digest(demo_path) == before and link.is_symlink()


def test_an_output_that_is_another_project_is_refused(
    demo_path: Path, project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "client backup.db"  # a project under a name that says nothing
    shutil.copyfile(project_path, other)
    before = _digest(other)
    assert main(["export", str(demo_path), "--xlsx", str(other)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert f"{other} is an isms-desktop project and is not overwritten" in err
    assert _digest(other) == before


@pytest.mark.parametrize(
    ("args", "wrong"),
    [
        (["export", "{p}", "--xlsx", "{d}/risks.pdf"], ".pdf"),
        (["export", "{p}", "--xlsx", "{d}/risks.csv"], ".csv"),
        (["report", "{p}", "soa", "--pdf", "{d}/soa.xlsx"], ".xlsx"),
        (["report", "{p}", "soa", "--pdf", "{d}/soa.docx"], ".docx"),
        (["report", "{p}", "policy:POL-001", "--docx", "{d}/policy.pdf"], ".pdf"),
    ],
)
def test_an_output_named_for_another_kind_of_file_is_refused(
    demo_path: Path,
    tmp_path: Path,
    args: list[str],
    wrong: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--xlsx risks.pdf` wrote a workbook named .pdf, which nothing then opens."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code = main([a.format(p=demo_path, d=out_dir) for a in args])
    err = _one_line_error(capsys.readouterr().err)
    assert code == 2
    assert f"a name ending in {wrong} is for" in err
    assert list(out_dir.iterdir()) == []


def test_an_existing_output_file_is_replaced(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scripts run the same export again: the old workbook is replaced, not refused."""
    out = tmp_path / "risks.xlsx"
    out.write_text("an old export")
    assert main(["export", str(demo_path), "--xlsx", str(out), "--register", "risks"]) == 0
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[-1] == "Risks"


def test_output_paths_with_spaces_and_accents(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Kunden Müller & Søn"
    folder.mkdir()
    project = folder / "Müller GmbH 2026.isms"
    shutil.copyfile(demo_path, project)
    xlsx = folder / "Registres – été.xlsx"
    pdf = folder / "Erklärung zur Anwendbarkeit (SoA).pdf"
    docx = folder / "Política de seguridad.docx"
    assert main(["export", str(project), "--xlsx", str(xlsx), "--register", "soa"]) == 0
    assert main(["report", str(project), "soa", "--pdf", str(pdf)]) == 0
    assert main(["report", str(project), "policy:POL-001", "--docx", str(docx)]) == 0
    out = capsys.readouterr().out
    for path in (xlsx, pdf, docx):
        assert f"wrote {path}" in out
    assert len(list(openpyxl.load_workbook(xlsx, read_only=True)["Soa"].iter_rows())) == 94
    assert len(PdfReader(pdf).pages) > 1
    assert any(p.text.strip() for p in Document(str(docx)).paragraphs)


def test_export_says_sheet_and_sheets_and_report_page_and_pages(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["export", str(demo_path), "--xlsx", str(tmp_path / "a.xlsx"), "--register", "risks"])
        == 0
    )
    assert ": 1 sheet, 44 rows" in capsys.readouterr().out


# -- a mistyped command does not open the window --------------------------------------------


def test_a_mistyped_command_is_refused_without_opening_the_window(tmp_path: Path) -> None:
    """`isms-desktop exprot` opened the window on a project 'exprot' (and, headless, hung)."""
    work = tmp_path / "work"
    work.mkdir()
    result = _run("exprot", cwd=work)
    assert result.returncode == 2
    err = _one_line_error(result.stderr)
    assert "unknown command 'exprot'; did you mean 'export'?" in err
    assert list(work.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["Info", "x.isms"], "unknown command 'Info'; did you mean 'info'?"),
        (["reprot", "x.isms", "soa"], "did you mean 'report'?"),
        (["zzz", "x.isms"], "unknown command 'zzz' (see 'isms-desktop --help'"),
    ],
)
def test_unknown_commands_name_the_nearest(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert expected in _one_line_error(capsys.readouterr().err)


def test_a_project_given_before_the_command_says_how_to_write_it(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(project_path), "--json"]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert f"e.g. isms-desktop info {project_path}" in err
    assert main(["acme.isms", "export", "--xlsx", "acme.xlsx"]) == 2  # not there: same advice
    err = _one_line_error(capsys.readouterr().err)
    assert "'acme.isms' is not a command" in err
    assert "put the command first, e.g. isms-desktop export acme.isms ..." in err


# -- wrong arguments: one line, with the help to read ---------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["export", "p.isms"], "export: the following arguments are required: --xlsx"),
        (["report", "p.isms", "soa"], "report: one of the arguments --pdf --docx is required"),
        (["new", "p.isms"], "new: the following arguments are required: --org"),
        (["info"], "info: the following arguments are required: PROJECT.isms"),
        (["info", "p.isms", "extra"], "unrecognized arguments: extra"),
        (
            ["import", "p.isms", "--register", "risks", "--from", "x.csv", "--header-row", "abc"],
            "--header-row: 'abc' is not a whole number",
        ),
        (
            ["import", "p.isms", "--register", "risks", "--from", "x.csv", "--header-row", "0"],
            "--header-row: it must be 1 or more, not 0",
        ),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_mistakes_are_one_line_naming_the_help(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse printed its whole usage block before the error; CONTRACT.md: one line."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = _one_line_error(captured.err)
    assert expected in err
    command = argv[0] if argv[0] in SUBCOMMANDS else ""
    assert f"(see '{('isms-desktop ' + command).strip()} --help')" in err
    assert captured.out == ""


# -- names as people type them ------------------------------------------------------------


def test_registers_are_named_by_their_sheet_name_too(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The workbook's sheets are 'Risks', 'Soa': typing that name was refused."""
    out = tmp_path / "two.xlsx"
    code = main(
        ["export", str(demo_path), "--xlsx", str(out), "--register", "Risks", "--register", " SOA "]
    )
    assert code == 0, capsys.readouterr().err
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[1:] == ["Risks", "Soa"]
    capsys.readouterr()
    before = _digest(demo_path)
    code = main(["import", str(demo_path), "--register", "Risks", "--from", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "44 unchanged" in captured.out
    assert _digest(demo_path) == before


@pytest.mark.parametrize("command", ["export", "import"])
def test_a_near_miss_register_name_is_refused_with_the_one_meant(
    project_path: Path, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = {
        "export": ["export", str(project_path), "--xlsx", str(tmp_path / "x.xlsx")],
        "import": ["import", str(project_path), "--from", str(tmp_path / "x.xlsx")],
    }[command]
    before = _digest(project_path)
    assert main([*args, "--register", "nonconformity"]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "did you mean 'nonconformities'?" in err
    assert all(name in err for name in REGISTER_NAMES)
    assert _digest(project_path) == before
    assert not (tmp_path / "x.xlsx").exists()


def test_an_unknown_sector_is_refused_and_a_sector_in_other_case_is_taken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`new --sector bogus` made a project with the sector 'bogus'."""
    bad = tmp_path / "bad.isms"
    assert main(["new", str(bad), "--org", "Acme", "--sector", "fnance"]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "did you mean 'finance'?" in err and "it_services" in err
    assert not bad.exists()
    good = tmp_path / "good.isms"
    assert main(["new", str(good), "--org", "Acme", "--sector", "IT-Services"]) == 0
    from isms_desktop.services.projects import open_project, summary

    with open_project(good, read_only=True) as project:
        assert summary(project).sector == "it_services"


@pytest.mark.parametrize("command", ["new", "demo"])
def test_a_new_project_named_like_a_workbook_is_refused(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "acme.xlsx"
    args = [command, str(target)] + (["--org", "Acme"] if command == "new" else [])
    assert main(args) == 2
    assert "a project file's name ends in .isms, e.g. acme.isms" in _one_line_error(
        capsys.readouterr().err
    )
    assert not target.exists()


# -- password files ---------------------------------------------------------------------


def test_password_files_that_cannot_be_read_are_wrong_arguments(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A binary password file was an 'internal error' (exit 1), a missing one exit 1."""
    binary = tmp_path / "pw.bin"
    binary.write_bytes(b"\xff\xfe\x00secret")
    before = _digest(project_path)
    for args in (
        ["info", str(project_path), "--password-file", str(binary)],
        ["info", str(project_path), "--password-file", str(tmp_path / "missing.txt")],
        ["info", str(project_path), "--password-file", str(tmp_path)],
        ["encrypt", str(project_path), "--new-password-file", str(binary)],
        ["encrypt", str(project_path), "--new-password-file", str(tmp_path / "missing.txt")],
    ):
        assert main(args) == 2, args
        err = _one_line_error(capsys.readouterr().err)
        assert "-password-file" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["encrypt", str(project_path), "--new-password-file", str(empty)]) == 2
    assert "empty; put the new password on its first line" in capsys.readouterr().err
    assert _digest(project_path) == before


# -- --quiet, stdout and stderr -------------------------------------------------------------


def test_quiet_prints_nothing_but_writes(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx, pdf, new = tmp_path / "q.xlsx", tmp_path / "q.pdf", tmp_path / "q.isms"
    assert main(["export", str(demo_path), "--xlsx", str(xlsx), "-q", "--register", "risks"]) == 0
    assert main(["report", str(demo_path), "risks", "--pdf", str(pdf), "--quiet"]) == 0
    assert main(["new", str(new), "--org", "Q", "--quiet"]) == 0
    assert main(["check", str(new), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert xlsx.stat().st_size > 0 and len(PdfReader(pdf).pages) > 0
    assert main(["info", str(new), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["organisation"] == "Q"
    # an error still says so
    assert main(["export", str(demo_path), "--xlsx", str(tmp_path / "no" / "x.xlsx"), "-q"]) == 2
    assert "no such folder" in _one_line_error(capsys.readouterr().err)


def test_info_json_alone_is_on_stdout_of_the_program(demo_path: Path) -> None:
    result = _run("info", str(demo_path), "--json")
    assert result.returncode == 0 and result.stderr == ""
    info = json.loads(result.stdout)
    assert set(info["counts"]) == {*REGISTER_NAMES, "controls"}


# -- --help ------------------------------------------------------------------------------


def _help(*argv: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_the_programs_help_lists_commands_examples_and_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help(capsys=capsys)
    for command in SUBCOMMANDS:
        assert f"    {command}" in text, command
    assert "examples:" in text and "isms-desktop new acme.isms" in text
    for status in ("0 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 "):
        assert f"\n  {status}" in text, status
    assert "postgresql://" in text and "ISMS_PASSWORD" in text
    assert max(len(line) for line in text.splitlines()) <= 100


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_each_commands_help_describes_it_with_examples(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(command, capsys=capsys)
    assert text.startswith(f"usage: isms-desktop {command} ")
    assert "examples:" in text
    assert f"  isms-desktop {command} " in text.split("examples:")[1]
    description = text.split("\n\n")[1]
    assert len(description) > 40, description  # a sentence, not only the usage
    assert max(len(line) for line in text.splitlines()) <= 100


@pytest.mark.parametrize("command", ["export", "import"])
def test_export_and_import_help_name_every_register(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(command, capsys=capsys)
    registers = text.split("registers:")[1]
    for name in REGISTER_NAMES:
        assert name in registers, name


def test_report_help_names_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help("report", capsys=capsys)
    kinds = text.split("kinds:")[1]
    for kind in ("soa", "risks", "treatment-plan", "manual", "policy:CODE", "audit:CODE"):
        assert f"\n  {kind} " in kinds, kind
    assert "management-review:CODE" in kinds


# -- the password file on the window's call ------------------------------------------------


@pytest.mark.parametrize("before", [True, False])
def test_the_window_takes_a_password_file_as_contract_md_says(
    tmp_path: Path, before: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`isms-desktop PROJECT.isms --password-file F` was refused as an unknown command."""
    from isms_desktop import cli
    from isms_desktop.storage.encryption import password_for

    project = tmp_path / "enc.isms"
    secret = tmp_path / "pw.txt"
    secret.write_text("s3cret\n")
    seen: list[tuple[list[str], str | None]] = []

    def window(argv: list[str]) -> int:
        seen.append((list(argv), password_for(Path(argv[0]))))
        return 0

    monkeypatch.setattr(cli, "_run_gui", window)
    monkeypatch.delenv("ISMS_PASSWORD", raising=False)
    option = ["--password-file", str(secret)]
    argv = [*option, str(project)] if before else [str(project), *option]
    assert main(argv) == 0
    assert seen == [([str(project)], "s3cret")]
    assert password_for(project) is None  # not kept for what the process does next


def test_a_password_file_given_to_a_command_is_not_kept_for_the_next(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from isms_desktop.storage.encryption import password_for

    secret = tmp_path / "pw.txt"
    secret.write_text("s3cret\n")
    assert main(["check", str(project_path), "--password-file", str(secret)]) == 0
    assert password_for(project_path) == os.environ.get("ISMS_PASSWORD")


# -- parsing of what users type (hypothesis) ----------------------------------------------

_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_WORDS)
def test_any_header_row_is_a_number_or_a_one_line_refusal(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--header-row: a whole number >= 1 gets past the parsing (to the missing project);
    anything else is refused naming the option, on one line, exit 2."""
    missing = tmp_path / "missing.isms"
    argv = [
        "import",
        str(missing),
        "--register",
        "risks",
        "--from",
        "x.csv",
        f"--header-row={text}",
    ]
    capsys.readouterr()
    assert main(argv) == 2
    err = _one_line_error(capsys.readouterr().err)
    try:
        number: int | None = int(text.strip())
    except ValueError:
        number = None
    if number is not None and number >= 1:
        assert "no such file" in err, err
    else:
        assert "--header-row" in err, err


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_WORDS)
def test_any_register_name_is_taken_or_refused_on_one_line(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--register: a register's name in any case and spacing gets past the parsing (to the
    missing project); anything else is refused listing the registers, exit 2."""
    from isms_desktop.commands._common import all_registers

    missing = tmp_path / "missing.isms"
    out = tmp_path / "out.xlsx"
    capsys.readouterr()
    assert main(["export", str(missing), "--xlsx", str(out), f"--register={text}"]) == 2
    err = _one_line_error(capsys.readouterr().err)
    if text.strip().casefold() in all_registers():
        assert "no such file" in err, err
    else:
        assert "no register named" in err and "risks" in err, err
    assert not out.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_WORDS)
def test_any_report_date_is_a_date_or_a_one_line_refusal(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    missing = tmp_path / "missing.isms"
    argv = ["report", str(missing), "soa", "--pdf", str(tmp_path / "o.pdf"), f"--date={text}"]
    capsys.readouterr()
    assert main(argv) == 2
    err = _one_line_error(capsys.readouterr().err)
    try:
        valid = bool(text) and dt.date.fromisoformat(text) is not None
    except ValueError:
        valid = False
    if valid or not text:
        assert "does not exist" in err, err
    else:
        assert "--date" in err and "2026-03-31" in err, err


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(maps=["Notes="]).via("goes through")
@example(maps=["Nope=code"]).via("refused: no such header")
@example(maps=["Type="]).via("rejected: the required type is ignored")
@given(
    maps=st.lists(
        st.one_of(
            _WORDS,
            st.builds(
                "{}={}".format,
                st.sampled_from(["Code", "Asset", "Notes", " notes ", "ASSET", "Nope"]) | _WORDS,
                st.sampled_from(["code", "name", "", "description", "owner", "bogus"]) | _WORDS,
            ),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_map_imports_or_is_refused_and_changes_nothing(
    project_path: Path, tmp_path: Path, maps: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--map "Header=field" as users type it: the import goes through (the sheet's rows are
    valid), or is refused (2) or rejected (3) with no traceback, and a refusal writes
    nothing."""
    sheet = tmp_path / "assets.csv"
    sheet.write_text("Code,Asset,Type,Notes\nA-900,Laptop fleet,Hardware,x\n", encoding="utf-8")
    before = _digest(project_path)
    argv = ["import", str(project_path), "--register", "assets", "--from", str(sheet), "--dry-run"]
    for text in maps:
        argv.append(f"--map={text}")
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    assert code in (0, 2, 3), captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    if code == 2:
        _one_line_error(captured.err)
    if code != 0:
        assert captured.out == ""
    assert _digest(project_path) == before  # a dry run, and a refusal, write nothing


# -- a project that cannot be used: one line, the documented status, nothing changed -------


def _newer(path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 9000000")
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100_000])


_EVERY_COMMAND = [
    ["info", "{p}", "--json"],
    ["check", "{p}"],
    ["export", "{p}", "--xlsx", "{d}/out.xlsx"],
    ["report", "{p}", "soa", "--pdf", "{d}/out.pdf"],
    ["report", "{p}", "policy:POL-001", "--docx", "{d}/out.docx"],
    ["import", "{p}", "--register", "assets", "--from", "{d}/in.csv"],
    ["copy", "{p}", "{d}/copy.isms"],
    ["update-catalogue", "{p}"],
]


@pytest.mark.parametrize("args", _EVERY_COMMAND, ids=lambda a: "-".join(a[:1] + a[2:3]))
@pytest.mark.parametrize(("spoil", "status"), [(_newer, 5), (_cut, 4)], ids=["newer", "damaged"])
def test_a_newer_or_damaged_project_is_refused_by_every_command(
    project_path: Path,
    tmp_path: Path,
    args: list[str],
    spoil: object,
    status: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spoil(project_path)  # type: ignore[operator]
    out = tmp_path / "out"
    out.mkdir()
    (out / "in.csv").write_text("Code,Asset,Type\nA-900,Laptops,Hardware\n")
    before = _digest(project_path)
    code = main([a.format(p=project_path, d=out) for a in args])
    captured = capsys.readouterr()
    assert code == status, captured.err
    err = _one_line_error(captured.err)
    assert str(project_path) in err
    assert ("newer version" in err) if status == 5 else ("is damaged" in err)
    assert captured.out == ""
    assert _digest(project_path) == before
    assert sorted(p.name for p in out.iterdir()) == ["in.csv"]


def test_a_project_in_use_elsewhere_is_read_but_not_written(
    demo_path: Path, tmp_path: Path
) -> None:
    """Another process has it open: export and report read it; import and update-catalogue
    are refused with exit 6 naming who holds it, and nothing is written."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path;"
            "from isms_desktop.services.projects import open_project;"
            f"p = open_project(Path({str(demo_path)!r})); print('open', flush=True);"
            "sys.stdin.readline(); p.close()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        sheet = tmp_path / "people.csv"
        sheet.write_text("Code,Name\nP-900,Kim Lee\n")
        before = _digest(demo_path)
        for args in (
            ["import", str(demo_path), "--register", "people", "--from", str(sheet)],
            ["update-catalogue", str(demo_path)],
        ):
            result = _run(*args)
            assert result.returncode == 6, result.stderr
            err = _one_line_error(result.stderr)
            assert f"{demo_path} is in use by" in err
            # not the window's "open it read-only", which a command that writes cannot do
            assert err.endswith(
                "close it there, then run the command again (info, check, "
                "export, report and copy only read it, and work meanwhile)\n"
            )
        assert _digest(demo_path) == before
        out = tmp_path / "risks.xlsx"
        assert (
            _run("export", str(demo_path), "--xlsx", str(out), "--register", "risks").returncode
            == 0
        )
        assert out.is_file()
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)


def test_a_bad_import_file_names_file_row_and_column_and_imports_nothing(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "Risques été.xlsx"
    assert main(["export", str(demo_path), "--xlsx", str(sheet), "--register", "risks"]) == 0
    book = openpyxl.load_workbook(sheet)
    risks = book["Risks"]
    risks["B3"] = None  # the title of the second risk
    risks["L5"] = 17  # a likelihood beyond the method's levels
    book.save(sheet)
    capsys.readouterr()
    before = _digest(demo_path)
    code = main(["import", str(demo_path), "--register", "risks", "--from", str(sheet)])
    captured = capsys.readouterr()
    assert code == 3
    assert captured.out == ""
    assert "Traceback" not in captured.err
    problems = [line for line in captured.err.splitlines() if line.startswith(f"{sheet}: row")]
    assert any("row 3, column B (Risk)" in line for line in problems), captured.err
    assert any("row 5, column L (Likelihood)" in line for line in problems), captured.err
    assert captured.err.splitlines()[-1] == (
        f"isms-desktop: 2 problems in {sheet} (sheet 'Risks'); nothing was imported"
    )
    assert _digest(demo_path) == before


def test_import_notes_say_in_plain_words_why_a_column_is_left_out(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "assets.csv"
    sheet.write_text("Code,Asset,Type,Notes,Colour\nA-900,Laptops,Hardware,x,red\n")
    args = ["import", str(project_path), "--register", "Assets", "--from", str(sheet)]
    assert main([*args, "--map", "Notes=", "--dry-run"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "note: column D (Notes) is not imported, as --map says" in err
    assert (
        "note: column E (Colour) is not imported: no field of the assets register has that "
        "name (--map can name one)"
    ) in err


# -- folders the user cannot write to ------------------------------------------------------


@pytest.fixture
def other_user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], Path]]:
    """(the command prefix that runs as a user without rights to a folder, that folder
    holding a demo project readable by all). As root, that user is 'nobody' (setpriv)."""
    import tempfile

    if not hasattr(os, "geteuid"):
        pytest.skip("folder permissions as tested here are POSIX's")
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no user to be refused")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        prefix = []
    folder = Path(tempfile.mkdtemp(prefix="isms-cli-qa-"))
    try:
        from isms_desktop.services.projects import create_project

        create_project(folder / "p.isms", "Acme").close()
        (folder / "p.isms").chmod(0o644)
        (folder / "people.csv").write_text("Code,Name\nP-900,Kim Lee\n")
        (folder / "people.csv").chmod(0o644)
        folder.chmod(0o555)
        yield prefix, folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _as(prefix: list[str], folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "isms_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        # a home folder that cannot be written either: no log file, no backups folder
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(folder)},
    )


def test_outputs_and_projects_in_a_read_only_folder_are_refused_on_one_line(
    other_user: tuple[list[str], Path],
) -> None:
    """They were internal errors (PermissionError, OperationalError), and with a home
    folder that cannot be written every command died with a traceback."""
    prefix, folder = other_user
    before = _digest(folder / "p.isms")
    for args in (
        ["export", "p.isms", "--xlsx", "x.xlsx"],
        ["report", "p.isms", "soa", "--pdf", "x.pdf"],
        ["new", "n.isms", "--org", "Acme"],
        ["demo", "n.isms"],
        ["copy", "p.isms", "n.isms"],
    ):
        result = _as(prefix, folder, *args)
        assert result.returncode == 2, (args, result.stderr)
        err = _one_line_error(result.stderr)
        assert f"the folder {folder} is read-only for you" in err, err
    for args in (
        ["import", "p.isms", "--register", "people", "--from", "people.csv"],
        ["update-catalogue", "p.isms"],
    ):
        result = _as(prefix, folder, *args)
        assert result.returncode == 2, (args, result.stderr)
        err = _one_line_error(result.stderr)
        assert "p.isms cannot be changed here" in err and "open it read-only" not in err
        assert "make a copy in a writable folder (isms-desktop copy PROJECT.isms" in err
    assert sorted(p.name for p in folder.iterdir()) == ["p.isms", "people.csv"]
    assert _digest(folder / "p.isms") == before
    check = _as(prefix, folder, "check", "p.isms")
    assert check.returncode == 0 and check.stderr == ""
    info = _as(prefix, folder, "info", "p.isms", "--json")
    assert json.loads(info.stdout)["organisation"] == "Acme"


def test_info_in_words_does_not_pass_this_version_off_as_the_writer(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said 'written with isms-desktop X' giving the version of the program reading it."""
    from isms_desktop import __version__

    assert main(["info", str(demo_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Brightwave Analytics Ltd — ISO/IEC 27001:2022"
    assert f"project    {demo_path}" in out
    assert f"program    isms-desktop {__version__}" in out
    assert not any("written with" in line for line in out)
    readiness = next(line for line in out if line.startswith("readiness"))
    assert "clauses" in readiness and "Annex A controls" in readiness
    assert "  risks                 44" in out


def test_importing_an_export_without_the_registers_sheet_names_the_one_it_holds(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An assets workbook imported as risks read its cover sheet and 'imported 0 rows'."""
    book = tmp_path / "assets.xlsx"
    assert main(["export", str(demo_path), "--xlsx", str(book), "--register", "assets"]) == 0
    capsys.readouterr()
    before = _digest(demo_path)
    assert main(["import", str(demo_path), "--register", "risks", "--from", str(book)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert f"{book} has no Risks sheet (its sheets: 'Cover', 'Assets')" in err
    assert "import with --register assets" in err
    assert _digest(demo_path) == before
    # the register it holds goes through, and --sheet still reads any sheet asked for
    assert main(["import", str(demo_path), "--register", "assets", "--from", str(book)]) == 0
    assert "35 unchanged" in capsys.readouterr().out
    code = main(
        ["import", str(demo_path), "--register", "risks", "--from", str(book), "--sheet", "Assets"]
    )
    assert code == 3  # assets' columns are not risks' values: rejected, row by row
    assert _digest(demo_path) == before


def test_a_dry_run_or_rejected_import_leaves_an_older_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opened for writing, a file from an older version was upgraded (and a backup made)
    before the rows were even tried: a dry run, or an import that imported nothing, had
    changed the file."""
    old = tmp_path / "old.isms"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "rev_0002_context.isms", old)
    before = _digest(old)
    good = tmp_path / "people.csv"
    good.write_text("Code,Name,Role\nP-900,Kim Lee,Auditor\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("Code,Name,Role\nP-901,,Auditor\n")
    args = ["import", str(old), "--register", "people", "--from"]
    assert main([*args, str(good), "--dry-run"]) == 0
    assert "would import 1 row into People: 1 new" in capsys.readouterr().out
    assert main([*args, str(bad)]) == 3
    assert "row 2, column B (Name)" in capsys.readouterr().err
    assert _digest(old) == before
    assert not list(tmp_path.glob("old.isms.bak*"))
    assert main([*args, str(good)]) == 0  # a real import upgrades it, keeping a backup
    assert "imported 1 row into People: 1 new" in capsys.readouterr().out
    assert (tmp_path / "old.isms.bak-0002_context").is_file()


def test_help_as_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`isms-desktop help export`, as people type it, was an unknown command."""
    for argv, usage in ((["help"], "[PROJECT.isms]"), (["help", "export"], "export ")):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: isms-desktop {usage}")
    assert main(["help", "exprot"]) == 2
    assert "did you mean 'export'?" in _one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_encrypting_a_server_database_is_refused_saying_why(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The URL was taken for a file path: 'postgresql:/alice@db/isms: no such file'."""
    secret = tmp_path / "pw.txt"
    secret.write_text("s3cret\n")
    url = "postgresql://alice@db.example.org/isms"
    extra = ["--new-password-file", str(secret)] if command == "encrypt" else []
    assert main([command, url, *extra]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert f"{url} is a server database: encryption is for project files" in err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["info", ""], "PROJECT.isms"),
        (["check", " "], "PROJECT.isms"),
        (["new", "", "--org", "Acme"], "PROJECT.isms"),
        (["import", "{p}", "--register", "risks", "--from", ""], "--from"),
        (["copy", "{p}", ""], "TARGET"),
        (["copy", "", "{d}/c.isms"], "SOURCE"),
        (["info", "{p}", "--password-file", ""], "--password-file"),
        (["encrypt", "{p}", "--new-password-file", ""], "--new-password-file"),
    ],
)
def test_an_empty_file_name_is_said_as_such(
    project_path: Path,
    tmp_path: Path,
    argv: list[str],
    named: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """ "" (an unset variable in a script) was the current folder ('. already exists'), an
    internal error for info, and an empty --password-file was ignored."""
    before = _digest(project_path)
    assert main([a.format(p=project_path, d=tmp_path) for a in argv]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert f"{named} is empty; give the name of a file" in err
    assert _digest(project_path) == before


def test_a_new_project_named_as_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo clients/` made a file named 'clients'."""
    target = f"{tmp_path}/clients/"
    assert main(["demo", target]) == 2
    assert f"{target} names a folder; give the project file's name, e.g. {target}acme.isms" in (
        _one_line_error(capsys.readouterr().err)
    )
    assert not (tmp_path / "clients").exists()


def test_demo_with_a_password_file_is_encrypted_as_new_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo x.isms --password-file F` read the password and made a plain project."""
    secret = tmp_path / "pw.txt"
    secret.write_text("s3cret\n")
    demo = tmp_path / "demo.isms"
    assert main(["demo", str(demo), "--password-file", str(secret)]) == 0
    assert capsys.readouterr().out == f"created demo project {demo} (encrypted)\n"
    assert main(["info", str(demo), "--json"]) == 4  # no password: unreadable
    capsys.readouterr()
    assert main(["info", str(demo), "--json", "--password-file", str(secret)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["encrypted"] is True and info["counts"]["risks"] >= 40
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*isms*"))


@pytest.mark.parametrize(
    ("kind", "meant"),
    [
        ("treatment", "treatment-plan"),
        ("risk", "risks"),
        ("polcy:POL-001", "policy:POL-001"),
        ("audits:AU-001", "audit:AU-001"),
        (None, None),
    ],
)
def test_a_near_miss_report_kind_names_the_kind_meant(
    project_path: Path,
    tmp_path: Path,
    kind: str | None,
    meant: str | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", str(project_path), kind or "zzz", "--pdf", str(out)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "use one of soa, risks, treatment-plan" in err
    assert (f"did you mean {meant!r}?" in err) if meant else ("did you mean" not in err)
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{p}", "--xlsx", "{d}/{long}.xlsx"],
        ["report", "{p}", "soa", "--pdf", "{d}/{long}.pdf"],
        ["report", "{p}", "policy:POL-001", "--docx", "{d}/{long}.docx"],
        ["new", "{d}/{long}.isms", "--org", "Acme"],
        ["copy", "{p}", "{d}/{long}.isms"],
    ],
    ids=lambda a: a[0] + ("-" + a[3] if a[0] == "report" else ""),
)
def test_a_file_name_too_long_for_its_folder_is_refused(
    demo_path: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """It was an internal error (OSError: File name too long)."""
    out = tmp_path / "out"
    out.mkdir()
    long = "Statement of Applicability " * 10
    code = main([a.format(p=demo_path, d=out, long=long) for a in args])
    err = _one_line_error(capsys.readouterr().err)
    assert code == 2
    assert "is too long (" in err and "choose a shorter name" in err
    assert list(out.iterdir()) == []


def test_a_name_just_short_enough_is_written(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The limit leaves room for the temporary name the file is first written under."""
    from isms_desktop.storage.project_file import longest_name

    longest = longest_name(tmp_path, len("..12345678.part"))
    out = tmp_path / ("é" * ((longest - 5) // 2) + "x" * ((longest - 5) % 2) + ".xlsx")
    assert len(out.name.encode()) == longest
    assert main(["export", str(demo_path), "--xlsx", str(out), "--register", "people"]) == 0
    assert out.is_file()


def test_an_output_inside_a_file_says_it_is_a_file(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = demo_path / "risks.xlsx"
    assert main(["export", str(demo_path), "--xlsx", str(out)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert f"cannot write {out}: {demo_path} is a file, not a folder" in err


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A tiny tmpfs filled up to its last ~150 KB (needs root; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here ({done.stderr.strip()})")
    try:
        (mount / "filler").write_bytes(bytes(2900 * 1024))
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("command", ["new", "demo"])
def test_a_new_project_on_a_full_disk_is_one_clear_line(
    full_disk: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was an internal error (sqlite3 OperationalError: database or disk is full)."""
    target = full_disk / "acme.isms"
    args = [command, str(target)] + (["--org", "Acme"] if command == "new" else [])
    assert main(args) == 1
    err = _one_line_error(capsys.readouterr().err)
    assert f"the disk holding {target} is full" in err and "internal error" not in err
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_outputs_of_an_encrypted_project_note_that_they_are_not_encrypted(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("s3cret\n")
    plain = ["export", str(demo_path), "--xlsx", str(tmp_path / "plain.xlsx"), "-q"]
    assert main([*plain, "--register", "risks"]) == 0
    assert capsys.readouterr() == ("", "")  # a plain project: nothing to say
    assert main(["encrypt", str(demo_path), "--new-password-file", str(secret), "-q"]) == 0
    outputs = {
        "export": tmp_path / "risks.xlsx",
        "soa": tmp_path / "soa.pdf",
        "policy:POL-001": tmp_path / "policy.docx",
    }
    for what, out in outputs.items():
        if what == "export":
            args = ["export", str(demo_path), "--xlsx", str(out), "--register", "risks"]
        else:
            option = "--docx" if out.suffix == ".docx" else "--pdf"
            args = ["report", str(demo_path), what, option, str(out)]
        assert main([*args, "--password-file", str(secret), "--quiet"]) == 0
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"note: {out} is not encrypted, unlike the project it comes from; keep it as safe\n"
        )
        assert out.is_file()
