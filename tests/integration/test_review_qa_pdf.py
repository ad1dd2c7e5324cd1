"""The management review PDF as top management reads it: the trend of each metric reported
under 9.3.2 d 2 is drawn beside the figures (the minutes had only the table), and a chart
half a page wide writes its months without printing them over each other."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from isms_desktop.reports.pdf import charts
from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import registers, reviews
from isms_desktop.storage.project_file import open_project


def test_the_review_pdf_draws_the_trend_of_each_metric_it_reports(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "review.pdf"
    with open_project(demo_path, read_only=True) as project:
        (review,) = registers.list_rows(project, "reviews")
        detail = reviews.detail(project, review.code)
        metrics = [i for i in detail.inputs["sections"]["d2"]["items"] if i["kind"] == "metric"]
        names = {r.code: r.values["name"] for r in registers.list_rows(project, "metrics")}
        make_report(project, f"management-review:{review.code}", out, options=ReportOptions())
    assert len(metrics) >= 2
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(out, strict=True).pages).split()
    )
    cover = PdfReader(out).pages[0].extract_text() or ""
    start, end = review.values["period_start"], review.values["period_end"]
    assert f"Period reviewed {start.isoformat()} – {end.isoformat()}" in " ".join(cover.split())
    # the inputs are the records of the meeting; the actions' status is the day's
    today = dt.date.today().isoformat()
    assert f"The actions management decided, with their status on {today}" in text
    d2 = text[text.index("9.3.2 d 2") : text.index("9.3.2 d 3")]
    assert "Trend of each metric over the measurements reported above" in d2
    for item in metrics:
        assert f"{item['ref']} {names[item['ref']]}" in d2
    # each chart labels its months (not a dozen run together)
    assert d2.count("Dec 2025") <= 2 * len(metrics)


def test_a_narrow_chart_writes_months_that_do_not_overlap() -> None:
    dates = [dt.date(2025, 12, 1) + dt.timedelta(days=30 * i) for i in range(13)]
    width = 85.0 * 72 / 25.4  # half a page
    drawing = charts.trend_chart([(d, float(i)) for i, d in enumerate(dates)], width)
    labels = [
        s
        for s in drawing.getContents()
        if getattr(s, "text", "")[:3] in {d.strftime("%b") for d in dates}
        and getattr(s, "text", "")[-4:].isdigit()
    ]
    xs = sorted(float(s.x) for s in labels)
    room = stringWidth("May 2026", "Helvetica", 6.5)
    assert 3 <= len(xs) < len(dates)
    assert all(b - a >= room for a, b in itertools.pairwise(xs))
    texts = {s.text for s in labels}
    assert dates[0].strftime("%b %Y") in texts and dates[-1].strftime("%b %Y") in texts
