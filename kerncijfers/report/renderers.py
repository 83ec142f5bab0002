"""vl-convert in processes of their own, so that a page's charts are drawn side by side.

vl-convert draws in one JavaScript runtime per process and holds Python's GIL while it draws:
threads gain nothing (measured: 20 small charts in two threads took 0.40 s, one after another
0.50 s). Drawing is most of a report's time (30 drawings: 2.2 s of 2.5 at 120 publications), so
`kerncijfers report` draws with `Renderers`, processes that each start the runtime once, started
first: the calling process reads the marts and writes the next chart's specification while they
draw. A build draws in its own process (`pipeline/build.py` says why).

`drawing_with(renderers)` makes `charts.draw` in the current thread hand its specifications to
them: `draw` then returns a `Pending` picture, which `finished()` waits for. Without them, `draw`
draws in the calling process, one chart after another.

How many processes: `KERNCIJFERS_DRAWING_PROCESSES` (default one per core, at most two); 0 draws in
the calling process (the test suite does, where two test workers already share the cores).

Each process is `python -m kerncijfers.report.drawing`: one request a line on stdin (the
specification, title and description as JSON), one answer a line on stdout (the SVG, or the error).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

PROCESSES_ENV = "KERNCIJFERS_DRAWING_PROCESSES"

# The processes the current thread draws with (None: draw in this process).
CURRENT: ContextVar[Renderers | None] = ContextVar("renderers", default=None)


def process_count() -> int:
    """How many drawing processes a page gets: one per core, at most two (a page is 30 drawings of
    about 40 ms; a third process mostly waits for a core on the machines this runs on)."""
    given = os.environ.get(PROCESSES_ENV, "").strip()
    if given.isdigit():
        return int(given)
    return max(1, min(2, os.cpu_count() or 1))


class _Process:
    """One drawing process and the drawings it owes, in the order they were asked for."""

    def __init__(self) -> None:
        # What it says on stderr goes to a file, not a pipe nobody reads while it draws: the last
        # line tells why, should it stop.
        self.said = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kerncijfers.report.drawing"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.said,
            text=True,
            encoding="utf-8",
        )
        # A drawing is owed from the moment it is asked for (a deque's append and popleft are
        # atomic); the requests are written by a thread of their own, so that asking never waits
        # for the process (a specification at 1,200 publications is larger than a pipe holds),
        # and read answers are taken in the same order.
        self.owed: deque[Future[str]] = deque()
        self.asking = threading.Lock()
        self.stopped: int | None = None  # its exit status, once it has stopped
        self.why = ""  # the last line it said on stderr
        self.requests: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.writer = threading.Thread(target=self._write, name="drawing-requests", daemon=True)
        self.reader = threading.Thread(target=self._read, name="drawing-answers", daemon=True)
        self.writer.start()
        self.reader.start()

    def submit(self, request: str) -> Future[str]:
        future: Future[str] = Future()
        with self.asking:  # owed and queued in the same order
            if self.stopped is not None:
                future.set_exception(_stopped(self.stopped, self.why))
            else:
                self.owed.append(future)
                self.requests.put(request)
        return future

    def _write(self) -> None:
        assert self.process.stdin is not None
        try:
            while (request := self.requests.get()) is not None:
                self.process.stdin.write(request + "\n")
                self.process.stdin.flush()
            self.process.stdin.close()
        except (BrokenPipeError, ValueError, OSError):  # it has stopped: _read fails what it owes
            pass

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            answer = json.loads(line)
            future = self.owed.popleft()
            if "svg" in answer:
                future.set_result(answer["svg"])
            else:
                future.set_exception(RuntimeError(f"a chart could not be drawn: {answer['error']}"))
        status = self.process.wait()
        self.said.seek(0)
        lines = self.said.read().decode("utf-8", "replace").strip().splitlines()
        with self.asking:  # what is asked of a process that has stopped fails at once
            self.stopped = status
            self.why = lines[-1] if lines else ""
            while self.owed:
                self.owed.popleft().set_exception(_stopped(status, self.why))

    def close(self, finish: bool = True) -> None:
        """End the process: after what was asked of it (`finish`), or at once."""
        self.requests.put(None)  # the writer closes stdin after what was asked: the process ends
        if not finish:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.writer.join()
        self.reader.join()
        self.said.close()


def _stopped(status: int, why: str) -> RuntimeError:
    said = f": {why}" if why else ""
    return RuntimeError(f"the report's drawing process stopped (exit status {status}){said}")


class Renderers:
    """`count` drawing processes (see `process_count`), each with vl-convert's runtime started."""

    def __init__(self, count: int) -> None:
        self.processes = [_Process() for _ in range(count)]

    def submit(self, spec: dict[str, Any], title: str, desc: str) -> Future[str]:
        """Draw a specification in the process that owes the fewest drawings."""
        process = min(self.processes, key=lambda p: len(p.owed))
        return process.submit(json.dumps([spec, title, desc]))

    def close(self, finish: bool = True) -> None:
        for process in self.processes:
            process.close(finish)


@contextmanager
def drawing_with(renderers: Renderers | None) -> Iterator[None]:
    """Within the block, `charts.draw` in this thread hands its drawings to `renderers`."""
    token = CURRENT.set(renderers)
    try:
        yield
    finally:
        CURRENT.reset(token)


@contextmanager
def started() -> Iterator[Renderers | None]:
    """Drawing processes for the block (None where there are to be none), stopped after it."""
    count = process_count()
    renderers = Renderers(count) if count else None
    try:
        yield renderers
    except BaseException:
        if renderers is not None:  # the page will not be drawn: no drawing is waited for
            renderers.close(finish=False)
        raise
    if renderers is not None:
        renderers.close()
