"""The cyclic garbage collector paused for a bulk job (an import of thousands of rows).

Such a job allocates hundreds of thousands of containers (rows, their values, log entries)
that all stay alive until it ends; the collector's full passes over them found nothing to
free and took a fifth of an import of 10,000 rows (0.5 of 2.5 s). Reference counting still
frees everything that is not in a cycle; cycles made meanwhile wait for the next pass after
the job. Pauses nest and may come from several threads: the collector runs again when the
last one ends (and only if it was running before the first).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
