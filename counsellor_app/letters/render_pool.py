"""Where letter PDFs are drawn in a batch: in this process, or in a few worker processes.

Drawing a page with reportlab is pure Python and holds the interpreter lock, so on a machine
with several cores a large batch draws its PDFs in worker processes while the calling process
loads records, applies the rules and stores letters. A worker only ever gets a composed
``LetterDocument`` whose rules and identity check have already passed, and sends back the PDF
bytes through a pipe: nothing is written to disk and nothing is logged there.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import Future
from typing import Protocol

from counsellor_app.letters.document import LetterDocument
from counsellor_app.letters.fonts import register_fonts
from counsellor_app.letters.layout import render_pdf

# Below this many letters, starting worker processes (each imports reportlab and parses the
# fonts, about half a second) costs more than it saves.
MIN_LETTERS_FOR_WORKERS = 40


class Renderer(Protocol):
    """Draws composed letters into PDF bytes, possibly in parallel."""

    def submit(self, document: LetterDocument) -> Future[bytes]: ...

    def close(self, *, cancel_waiting: bool = False) -> None: ...


class InlineRenderer:
    """Draws each letter at once, in the calling thread (small batches, single-core machines)."""

    def submit(self, document: LetterDocument) -> Future[bytes]:
        future: Future[bytes] = Future()
        try:
            future.set_result(render_pdf(document))
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)
        return future

    def close(self, *, cancel_waiting: bool = False) -> None:
        return None


class ProcessRenderer:
    """Draws letters in ``workers`` processes started fresh ("spawn": never a fork of a process
    that holds a Qt event loop or an open cache)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing  # here: the app imports the letters code on its first case
        from concurrent.futures import ProcessPoolExecutor

        self.workers = max(1, workers)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=register_fonts,
        )

    def submit(self, document: LetterDocument) -> Future[bytes]:
        return self._pool.submit(render_pdf, document)

    def close(self, *, cancel_waiting: bool = False) -> None:
        """Stop the workers; with ``cancel_waiting``, letters not yet started are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=cancel_waiting)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def renderer_for(letters: int, *, cores: int | None = None) -> Renderer:
    """The renderer that suits a batch of ``letters``: worker processes, one per core, when
    there are several cores and enough letters to repay starting them; else this process."""
    cores = available_cores() if cores is None else cores
    if cores < 2 or letters < MIN_LETTERS_FOR_WORKERS or getattr(sys, "frozen", False):
        # A frozen bundle starts workers by running its own executable again, which is safe
        # only once its entry point calls multiprocessing.freeze_support(): until then, draw here.
        return InlineRenderer()
    return ProcessRenderer(min(cores, 4))
