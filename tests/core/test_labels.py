"""The one label rule: `core.labels.label_key` and the dbt macro `label_key` give the same key on
the same cases (tests/fixtures/label_keys.csv), on DuckDB and, where a server is configured, on
PostgreSQL; the macro is the table the Python rule derives."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest

from core.labels import FOLDING, label_key
from tests.conftest import FIXTURES, ROOT, copy_project

CASES = FIXTURES / "label_keys.csv"


def _cases() -> list[dict[str, str]]:
    with open(CASES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case["case"])
def test_label_key_folds_what_a_reader_takes_for_one_label(case: dict[str, str]) -> None:
    assert label_key(case["label"]) == case["label_key"]


def test_a_key_is_its_own_key() -> None:
    folded = "".join(FOLDING.values())
    assert all(ord(char) not in FOLDING for char in folded)
    assert label_key(label_key(" Ｓｙｒｉë – Côte d’Ivoire ")) == "syrie cote d'ivoire"  # noqa: RUF001


def test_every_accented_latin_letter_folds_to_its_letter() -> None:
    for point in range(0x00C0, 0x0250):
        char = chr(point)
        base = unicodedata.normalize("NFD", char)[0]
        if unicodedata.category(char) == "Lu" and base.isascii() and base != char:
            assert label_key(char) == base.lower(), char


def test_the_committed_macro_is_the_rule() -> None:
    spec = importlib.util.spec_from_file_location(
        "write_label_key_macro", ROOT / "tools" / "write_label_key_macro.py"
    )
    assert spec is not None and spec.loader is not None
    writer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(writer)
    committed = (ROOT / "macros" / "label_key.sql").read_text(encoding="utf-8")
    assert committed == writer.render(committed), (
        "macros/label_key.sql is stale: run tools/write_label_key_macro.py"
    )


def _compiled(project: Path, target: str) -> str:
    """The macro applied to column `label` of a table `cases`, as dbt compiles it for `target`."""
    env = {
        **os.environ,
        "KERNCIJFERS_BUILD_DATABASE": str(project / "compile.duckdb"),
        "KERNCIJFERS_TARGET": target,
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "compile",
            "--quiet",
            "--profiles-dir",
            "profiles",
            "--inline",
            "select label, {{ label_key('label') }} as label_key from cases",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("labels") / "project")


def test_the_macro_gives_the_same_keys_on_duckdb(project: Path) -> None:
    con = duckdb.connect()
    con.execute("create table cases (label varchar)")
    con.executemany("insert into cases values (?)", [[case["label"]] for case in _cases()])
    keys = dict(con.execute(_compiled(project, "duckdb")).fetchall())
    assert keys == {case["label"]: case["label_key"] for case in _cases()}


def test_the_macro_gives_the_same_keys_on_postgresql(project: Path) -> None:
    from tests.postgres_build import NOT_CONFIGURED, configured

    if not configured():
        pytest.skip(NOT_CONFIGURED)
    import psycopg2

    con = psycopg2.connect(
        host=os.environ.get("KERNCIJFERS_PG_HOST", "127.0.0.1"),
        port=os.environ.get("KERNCIJFERS_PG_PORT", "5432"),
        user=os.environ.get("KERNCIJFERS_PG_USER", "kerncijfers"),
        password=os.environ["KERNCIJFERS_PG_PASSWORD"],
        dbname=os.environ.get("KERNCIJFERS_PG_DBNAME", "kerncijfers"),
    )
    try:
        with con.cursor() as cursor:
            cursor.execute("create temporary table cases (label text)")
            cursor.executemany("insert into cases values (%s)", [[case["label"]] for case in _cases()])
            cursor.execute(_compiled(project, "postgres"))
            keys = dict(cursor.fetchall())
    finally:
        con.close()
    assert keys == {case["label"]: case["label_key"] for case in _cases()}
