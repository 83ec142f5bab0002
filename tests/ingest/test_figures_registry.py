"""A figure family is one registry row plus its sentence, and nothing else declares it.

The registry (seeds/reference/ref_figure_families.csv) says what each family's figures are; the
sentence patterns (ingest/figures/patterns.py) are keyed by family_code and say how each is read.
These tests hold the code to that: every pattern reads a declared family and every family is read
by a pattern; every family read by a single sentence has, at the end of its description, the
sentence as published, which its pattern reads (the benchmark's publications are written from
it); and no figure or family code is typed where families are read or handled generically.
"""

from __future__ import annotations

import ast
import random
import re
from datetime import date
from pathlib import Path

import pytest

from bench.synthetic import example_sentence
from core.project import Project
from ingest.dutch import parse_number
from ingest.figures import load_families, parser_version
from ingest.figures import patterns as p
from tests.conftest import ROOT, copy_project

REGISTRY = load_families(Project(ROOT).families_seed)
CODES = {family.family_code for family in REGISTRY.families} | {
    family.figure_code for family in REGISTRY.families
}


def _read_families() -> list[str]:
    """The family codes the patterns' tables are keyed by, each as often as it is read."""
    tables = [
        p.SENTENCES,
        p.ITEM_SENTENCES,
        p.LIST_INTROS,
        p.PERMIT_SENTENCES,
        p.DEPARTURE_COUNTS,
        p.DEPARTURE_SHARES,
        p.DEPARTURE_SHARES_OF_THE_COUNT_BEFORE,
        *(groups for _, groups in p.SEVERAL_FIGURES),
    ]
    return [code for table in tables for code in table]


def test_every_family_is_read_by_one_pattern_and_every_pattern_reads_a_family() -> None:
    read = _read_families()
    assert sorted(read) == sorted(family.family_code for family in REGISTRY.families)


def test_each_single_sentence_reads_the_example_its_registry_row_gives() -> None:
    """The sentence at the end of each description ("Sentence: '…'"), written out as the
    benchmark writes it, is read by the family's pattern, with a number within its limits."""
    for family_code, pattern in p.SENTENCES.items():
        family = REGISTRY.by_code(family_code)
        assert family is not None
        written = example_sentence(family, date(2024, 3, 1), random.Random(family_code))
        match = pattern.search(written)
        assert match is not None, (family_code, written)
        assert family.min_value <= parse_number(match["n"]) <= family.max_value, written
        assert not re.search(r"<\w+>", written), written
    first = REGISTRY.by_code("first_applications")
    assert first is not None
    assert re.fullmatch(
        r"Het aantal eerste asielaanvragen in maart was circa [0-9.]+\.",
        example_sentence(first, date(2024, 3, 1), random.Random(1)),
    )


def test_a_registry_row_or_a_sentence_changes_the_parser_version(tmp_path: Path) -> None:
    """Adding a family or a sentence re-reads the stored documents without a hand bump; a new
    description alone (no figure depends on it) does not."""
    project = Project(copy_project(tmp_path / "project", with_documents=False))
    before = parser_version(load_families(project.families_seed))
    assert before == parser_version(REGISTRY)
    text = project.families_seed.read_text(encoding="utf-8")
    renamed = text.replace("Sentence: 'Het aantal eerste", "Zin: 'Het aantal eerste", 1)
    project.families_seed.write_text(renamed, encoding="utf-8")
    assert parser_version(load_families(project.families_seed)) == before
    project.families_seed.write_text(text.replace(",count,1,50000,", ",count,1,60000,", 1), encoding="utf-8")
    assert parser_version(load_families(project.families_seed)) != before


def test_a_sentence_of_an_undeclared_family_is_refused_where_it_stands(tmp_path: Path) -> None:
    from core.errors import IngestError
    from ingest.figures import extract
    from ingest.reading import read_document
    from tests.conftest import JANUARY_2023

    project = Project(copy_project(tmp_path / "project", with_documents=False))
    rows = project.families_seed.read_text(encoding="utf-8").splitlines(keepends=True)
    project.families_seed.write_text(
        "".join(row for row in rows if not row.startswith("dublin_share,")), encoding="utf-8"
    )
    with pytest.raises(IngestError) as refused:
        extract(read_document(JANUARY_2023), load_families(project.families_seed))
    assert "gives a figure of the family dublin_share, which" in str(refused.value)
    assert "does not declare; add its row there" in str(refused.value)
    assert refused.value.line is not None


# Where a figure or family code may be typed. Families are declared by the registry and read by
# the patterns' keys; the code that reads documents or handles figures generically — the ingest,
# core, the build, the macros, staging and intermediate models — names none, so a family added
# to the registry needs no edit there. Code that is *about* particular figures names them: the
# marts (their columns and the figures each publishes are the public contract), the checks that
# judge particular figures, the report that charts them, and:
ALLOWED = {
    # the second source's StatLine columns and the figure each is compared with;
    "ingest/cbs.py": "the CBS columns",
    # the departures split by their own shares, for fct_departures.
    "models/intermediate/int_departures_split.sql": "the departures' shares",
}
ABOUT_NAMED_FIGURES = ("models/marts/", "models/checks/", "kerncijfers/report/")
SCANNED = ("ingest", "core", "kerncijfers", "macros", "models")


def _typed_codes(path: Path) -> list[tuple[int, str]]:
    """(line, code) of every string literal in the file that is exactly a registry code; in
    patterns.py the keys of its tables (a dict's keys) are where families are named, and skipped."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        return [
            (text.count("\n", 0, literal.start()) + 1, literal[1])
            for literal in re.finditer(r"'([a-z0-9_]+)'", text)
            if literal[1] in CODES
        ]
    tree = ast.parse(text)
    keys = (
        {id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys}
        if path.name == "patterns.py" and path.parent.name == "figures"
        else set()
    )
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in CODES and id(node) not in keys
    ]


def test_no_figure_or_family_code_is_typed_outside_the_registry_and_the_patterns_keys() -> None:
    typed = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            where = path.relative_to(ROOT).as_posix()
            if (
                path.suffix not in (".py", ".sql")
                or where in ALLOWED
                or where.startswith(ABOUT_NAMED_FIGURES)
            ):
                continue
            typed += [f"{where}:{line}: '{code}'" for line, code in _typed_codes(path)]
    assert typed == []


def test_the_scan_finds_a_typed_code(tmp_path: Path) -> None:
    """The scan above is not blind: a hand list of families in SQL and a code in Python are found."""
    sql = tmp_path / "model.sql"
    sql.write_text("select * from x\nwhere figure_code in ('first_applications', 'grant_rate')\n")
    python = tmp_path / "module.py"
    python.write_text('TOTAL = "family_reunification_arrivals"\n')
    assert _typed_codes(sql) == [(2, "first_applications"), (2, "grant_rate")]
    assert _typed_codes(python) == [(1, "family_reunification_arrivals")]
