"""The reference seeds in seeds/reference/: reproducible, and right where staging relies on them."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pycountry
import pytest

from core.labels import label_key
from ingest.figures import load_families
from tests.conftest import ROOT

REFERENCE_DIR = ROOT / "seeds" / "reference"


def _load_generator() -> ModuleType:
    """tools/build_nationalities.py, a script run by hand (not part of any package)."""
    spec = importlib.util.spec_from_file_location(
        "build_nationalities", ROOT / "tools" / "build_nationalities.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it is executed
    spec.loader.exec_module(module)
    return module


build_nationalities = _load_generator()


def read_seed(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def label_to_code() -> dict[str, str]:
    # Keyed as the ingest and the models' join compare labels: core.labels.label_key.
    return {
        label_key(row["label_nl"]): row["nationality_code"] for row in read_seed("ref_nationality_labels")
    }


def test_generator_reproduces_committed_files(tmp_path: Path) -> None:
    written = build_nationalities.build(tmp_path)
    for path in written:
        committed = REFERENCE_DIR / path.name
        assert path.read_bytes() == committed.read_bytes(), (
            f"{committed} differs from a fresh build; rerun "
            "`python tools/build_nationalities.py` and review the diff"
        )


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = build_nationalities.build(tmp_path / "a")
    second = build_nationalities.build(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Syrië", "SYR"),
        ("Eritrea", "ERI"),
        ("Jemen", "YEM"),
        ("Irak", "IRQ"),
        ("Iran", "IRN"),
        ("Marokko", "MAR"),
        ("Algerije", "DZA"),
        ("Somalië", "SOM"),
        ("Afghanistan", "AFG"),
        ("Turkije", "TUR"),
        ("Türkije", "TUR"),
        ("TÜRKIYE", "TUR"),
        ("Syrie", "SYR"),
        ("Nieuw Zeeland", "NZL"),
        ("Bahama's", "BHS"),
        ("Côte d’Ivoire", "CIV"),
        ("Nigeria", "NGA"),
        ("Colombia", "COL"),
        ("Georgië", "GEO"),
        ("Oekraïne", "UKR"),
        ("Rusland", "RUS"),
        ("Libië", "LBY"),
        ("Soedan", "SDN"),
        ("Ethiopië", "ETH"),
        ("Guinee", "GIN"),
        ("Egypte", "EGY"),
        ("Kosovo", "XKX"),
        ("Staatloos", "STATELESS"),
        ("Stateloos", "STATELESS"),
        ("Overige nationaliteit", "OTHER"),
        ("Overige nationaliteiten", "OTHER"),
        ("Overige", "OTHER"),
        ("Onbekend", "UNKNOWN"),
        ("Onbekende nationaliteit", "UNKNOWN"),
        ("Alle nationaliteiten", "TOTAL"),
        ("Wit-Rusland", "BLR"),
        ("Belarus", "BLR"),
    ],
)
def test_publication_labels_resolve(label: str, code: str) -> None:
    assert label_to_code().get(label_key(label)) == code


def test_labels_unique_under_the_label_rule() -> None:
    keys = [label_key(row["label_nl"]) for row in read_seed("ref_nationality_labels")]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates


def test_labels_point_at_known_codes() -> None:
    codes = {row["nationality_code"] for row in read_seed("ref_nationalities")}
    assert {row["nationality_code"] for row in read_seed("ref_nationality_labels")} <= codes


def test_every_iso_country_is_present() -> None:
    rows = read_seed("ref_nationalities")
    iso_codes = {row["nationality_code"] for row in rows if row["is_country"] == "true"} - {"XKX"}
    assert len(iso_codes) >= 249
    assert iso_codes == {country.alpha_3 for country in pycountry.countries}


def test_residual_codes_are_not_countries() -> None:
    rows = {row["nationality_code"]: row for row in read_seed("ref_nationalities")}
    for code in ("OTHER", "STATELESS", "UNKNOWN", "TOTAL"):
        assert rows[code]["is_country"] == "false"
        assert rows[code]["iso2_code"] == ""
    assert rows["XKX"]["iso2_code"] == "XK"
    assert rows["XKX"]["is_country"] == "true"


def test_every_population_the_families_use_has_a_row() -> None:
    """The registry is where a figure's population comes from (the parser types none): each
    population it names has its row, and each row is some family's."""
    rows = {row["population_code"] for row in read_seed("ref_populations")}
    families = {
        family.population_code for family in load_families(REFERENCE_DIR / "ref_figure_families.csv").families
    }
    assert rows == families


def test_permit_purposes_cover_the_published_ones() -> None:
    rows = {row["label_nl"]: row["purpose_code"] for row in read_seed("ref_permit_purposes")}
    assert rows["Familie & Gezin"] == "family"
    assert rows["Kennis & Talent"] == "knowledge_and_talent"
    assert rows["Studie"] == "study"


# --- safe countries: half-open intervals [valid_from, valid_to), empty valid_to = open-ended ---

Interval = tuple[dt.date, dt.date | None, bool]


def safe_country_intervals() -> dict[str, list[Interval]]:
    intervals: dict[str, list[Interval]] = defaultdict(list)
    for row in read_seed("ref_safe_countries"):
        valid_to = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
        intervals[row["nationality_code"]].append(
            (dt.date.fromisoformat(row["valid_from"]), valid_to, row["is_suspended"] == "true")
        )
    return intervals


def status_on(code: str, day: dt.date) -> str:
    """'safe', 'suspended' or 'not_listed' for a nationality on a day."""
    for valid_from, valid_to, is_suspended in safe_country_intervals().get(code, []):
        if valid_from <= day and (valid_to is None or day < valid_to):
            return "suspended" if is_suspended else "safe"
    return "not_listed"


def test_safe_country_intervals_are_well_formed() -> None:
    codes = {row["nationality_code"] for row in read_seed("ref_nationalities") if row["is_country"] == "true"}
    for code, intervals in safe_country_intervals().items():
        assert code in codes
        ordered = sorted(intervals, key=lambda interval: interval[0])
        for valid_from, valid_to, _ in ordered:
            assert valid_to is None or valid_from < valid_to, code
        for (_, earlier_to, _), (later_from, _, _) in zip(ordered, ordered[1:], strict=False):
            assert earlier_to is not None and earlier_to <= later_from, f"{code} intervals overlap"


def test_algeria_removed_in_june_2021() -> None:
    assert status_on("DZA", dt.date(2020, 1, 1)) == "safe"
    assert status_on("DZA", dt.date(2021, 7, 1)) == "not_listed"
    assert all(
        valid_to is not None and valid_to <= dt.date(2021, 7, 1)
        for _, valid_to, _ in safe_country_intervals()["DZA"]
    )


def test_ukraine_suspended_from_february_2022() -> None:
    assert status_on("UKR", dt.date(2022, 2, 1)) == "safe"
    assert status_on("UKR", dt.date(2022, 3, 1)) == "suspended"
    assert status_on("UKR", dt.date(2025, 1, 1)) == "suspended"


def test_armenia_added_in_june_2020() -> None:
    assert status_on("ARM", dt.date(2020, 5, 1)) == "not_listed"
    assert status_on("ARM", dt.date(2020, 7, 1)) == "safe"
