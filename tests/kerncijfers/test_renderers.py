"""The report's drawing processes (kerncijfers/report/renderers.py): the same page as drawing in
one process, an error that names the chart's trouble, and no hang when a process dies."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from kerncijfers.report import draft
from kerncijfers.report.charts import Pending, Picture
from kerncijfers.report.renderers import PROCESSES_ENV, Renderers, process_count, started


@pytest.fixture(scope="module")
def renderers() -> Iterator[Renderers]:
    pool = Renderers(2)
    yield pool
    pool.close()


def test_the_processes_draw_the_page_as_one_process_does(
    built_project: tuple[Path, Path, str], renderers: Renderers
) -> None:
    _, warehouse, _ = built_project
    alone = draft(warehouse, release="20240101T000000Z")
    side_by_side = draft(warehouse, release="20240101T000000Z", renderers=renderers)
    pairs = list(
        zip(alone.latest_charts + alone.trends, side_by_side.latest_charts + side_by_side.trends, strict=True)
    )
    assert len(pairs) >= 6
    for one, other in pairs:
        assert isinstance(other.picture, Picture)
        assert (other.chart_id, other.picture.svg, other.picture.narrow, other.picture.values) == (
            one.chart_id,
            one.picture.svg,
            one.picture.narrow,
            one.picture.values,
        )
    stamp = alone.generated_at.isoformat()
    assert alone.html(None) == side_by_side.html(None).replace(side_by_side.generated_at.isoformat(), stamp)


def test_a_chart_that_cannot_be_drawn_says_why(renderers: Renderers) -> None:
    drawn = renderers.submit({"mark": "no-such-mark"}, "A title", "A description")
    with pytest.raises(
        RuntimeError, match="a chart could not be drawn: ValueError: Vega-Lite to SVG conversion failed"
    ):
        drawn.result(timeout=60)
    # The process goes on drawing.
    good = {
        "data": {"values": [{"a": 1}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    assert renderers.submit(good, "t", "d").result(timeout=60).startswith("<svg")


def test_a_process_that_dies_fails_its_drawings_instead_of_hanging() -> None:
    pool = Renderers(1)
    try:
        pool.processes[0].process.kill()
        pool.processes[0].process.wait()
        pending = Pending(pool.submit({"mark": "bar"}, "t", "d"), pool.submit({"mark": "bar"}, "t", "d"), ())
        with pytest.raises(RuntimeError, match="drawing process stopped"):
            pending.finished()
    finally:
        pool.close()


@pytest.mark.parametrize(("given", "count"), [("0", 0), ("1", 1), ("3", 3)])
def test_the_number_of_processes_can_be_set(monkeypatch: pytest.MonkeyPatch, given: str, count: int) -> None:
    monkeypatch.setenv(PROCESSES_ENV, given)
    assert process_count() == count


def test_by_default_one_process_per_core_at_most_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    count = process_count()
    assert 1 <= count <= 2
    assert count <= (os.cpu_count() or 1)


def test_a_process_that_stops_on_its_own_says_why() -> None:
    pool = Renderers(1)
    try:
        broken = pool.processes[0].submit("[1]")  # not a request: the process stops on it
        with pytest.raises(RuntimeError, match=r"stopped \(exit status 1\): ValueError: not enough values"):
            broken.result(timeout=60)
        later = pool.submit({"mark": "bar"}, "t", "d")
        with pytest.raises(RuntimeError, match="stopped"):
            later.result(timeout=5)
    finally:
        pool.close()


def test_a_page_that_fails_stops_its_processes_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that cannot be drawn (a missing warehouse, a damaged one) does not wait for its
    drawing processes to finish starting: they are stopped, not waited for."""
    monkeypatch.setenv(PROCESSES_ENV, "2")
    with pytest.raises(ValueError, match="the page failed"), started() as renderers:
        assert renderers is not None
        processes = [p.process for p in renderers.processes]
        raise ValueError("the page failed")
    assert [process.returncode for process in processes] == [-signal.SIGKILL] * 2


def test_every_name_the_report_package_offers_loads_and_a_drawing_process_needs_no_duckdb() -> None:
    import subprocess
    import sys

    import kerncijfers.report as report

    assert [name for name in report.__all__ if not callable(getattr(report, name))] == []
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, kerncijfers.report.drawing; print('duckdb' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"
