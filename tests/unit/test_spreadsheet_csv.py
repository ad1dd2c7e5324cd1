"""CSV files csv cannot read as the user meant are refused with the line to look at: a quote
left open (which takes the rest of the file into one cell), a value too long."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from isms_desktop.reports import spreadsheet_reader
from isms_desktop.reports.spreadsheet_guard import UnreadableFileError
from isms_desktop.reports.spreadsheet_reader import column_letter, open_spreadsheet


def refusal(path: Path) -> str:
    with pytest.raises(UnreadableFileError) as refused:
        open_spreadsheet(path)
    return str(refused.value)


@pytest.mark.parametrize(
    ("text", "where", "begins"),
    [
        ('Code,Name,Owner\nR1,"Laptop theft,Ann\nR2,Fire,Bob\n', "line 2, value 2 (column B)",
         "Laptop theft,Ann R2,Fire,Bob"),
        ('Code,Name\nR1,"Laptop', "line 2, value 2 (column B)", "Laptop"),  # the last line
        ('"Name,Role\n', "line 1, value 1 (column A)", "Name,Role"),
        # a value over two lines before: the line is the file's, not the record's
        ('Code;Name;Owner\r\nR1;"two\r\nlines";Ann\r\nR2;x;"open\r\nR3;y;z\r\n',
         "line 4, value 3 (column C)", "open R3;y;z"),
        ("Code\tName\nR1\tok\nR2\t\"open\n", "line 3, value 2 (column B)", "open"),
    ],
)  # fmt: skip
def test_a_quote_left_open_is_named_by_its_line(
    tmp_path: Path, text: str, where: str, begins: str
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode())
    message = refusal(path)
    assert message.startswith(f'{path}, {where}: a quote (") opens a value that is never closed')
    assert f"(beginning {begins!r})" in message
    assert message.endswith("add the closing quote or remove the opening one, then import again")


@pytest.mark.parametrize(
    "text",
    [
        'Code,Name\nR1,"ok"\nR2,"fine, really"\n',  # quoted values, closed
        'Code,Name\r\nR1,"two\r\nlines"\r\nR2,x',
        'Code,Name\nR1,Ann\'s "laptop"\nR2,5" disk\n',  # quotes within a value: text
        'Code,Name\nR1,"say ""hi"""\n',
        "Code,Name\nR1,x\n\n\n",
    ],
)
def test_quotes_that_close_are_read_as_before(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fine.csv"
    path.write_bytes(text.encode())
    rows = open_spreadsheet(path).sheet().rows
    assert rows[0] == ["Code", "Name"] and len(rows) >= 2


def test_a_value_too_long_names_the_line_it_begins_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet_reader, "MAX_CSV_FIELD", 50)
    path = tmp_path / "long.csv"
    path.write_text("Code,Name\nR1,x\nR2," + "y" * 80 + "\nR3,z\n")
    message = refusal(path)
    assert message.startswith(f"{path}, line 3: a value that begins on this line runs on")
    # when a quote left open makes it so long, the quote is named
    path.write_text('Code,Name\nR1,x\nR2,"' + "y, " * 10 + "\nR3,z\n" * 20)
    message = refusal(path)
    assert message.startswith(f"{path}, line 3, value 2 (column B): a quote")


# values csv quotes (the delimiter, line breaks); no ";", which may make the sniffer guess it
values = st.text(alphabet="abc ,\n", max_size=8)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.lists(st.lists(values, min_size=3, max_size=3), max_size=5),
    after=st.lists(
        st.lists(st.text(alphabet="abc", min_size=1, max_size=5), min_size=3, max_size=3),
        max_size=5,
    ),
    field=st.integers(0, 2),
    quoted=st.text(alphabet="abc ", max_size=6),
    newline=st.sampled_from(["\r\n", "\n"]),
)
@example(before=[], after=[], field=0, quoted="", newline="\n")
def test_a_quote_left_open_anywhere_is_named_and_closed_ones_never_are(
    tmp_path: Path,
    before: list[list[str]],
    after: list[list[str]],
    field: int,
    quoted: str,
    newline: str,
) -> None:
    """Rows written by csv (values over several lines quoted), then a row with a quote
    opened at the start of a value and never closed, then plain rows."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(["Code", "Name", "Owner"])
    writer.writerows(before)
    good = out.getvalue()
    path = tmp_path / "written.csv"
    path.write_bytes(good.encode())
    open_spreadsheet(path)  # what csv writes is never refused
    line = 1 + len(re.findall(r"\r\n|\n", good))
    cells = ["R9", "x", "y"]
    cells[field] = '"' + quoted
    lines = [",".join(cells)] + [",".join(row) for row in after]
    path.write_bytes((good + newline.join(lines)).encode())
    message = refusal(path)
    where = f"line {line}, value {field + 1} (column {column_letter(field)})"
    assert message.startswith(f'{path}, {where}: a quote (") opens a value that is never closed')
