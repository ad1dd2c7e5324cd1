"""The collector pause of bulk jobs: restored on errors, when nested and across threads, and
never turned on where it was off before."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from isms_desktop.reports.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_runs_again_after_the_body_even_when_it_fails() -> None:
    gc.enable()
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()

    @collector_paused()
    def failing() -> None:
        assert not gc.isenabled()
        raise KeyError("x")

    for _ in range(2):  # the decorator makes a new pause for every call
        with pytest.raises(KeyError):
            failing()
        assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost_and_keep_an_earlier_disable() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()  # the inner end does not turn it on within the outer
    assert gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()  # off before the pause: left off


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["after the first ended"] = gc.isenabled()
            raise RuntimeError("the job failed")

    def run_second() -> None:
        try:
            second()
        except RuntimeError:
            seen["failed"] = True

    threads = [threading.Thread(target=first), threading.Thread(target=run_second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after the first ended": False, "failed": True}
    assert gc.isenabled()
