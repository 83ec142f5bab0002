"""One publication per month, dated right, possible in time: the marts never show a number that no
publication printed (README, "Querying the warehouse"; models/intermediate/
int_source_documents_ordered.sql).

Each case goes through `kerncijfers ingest` and `kerncijfers build` (what `make build` runs) and is
read back from the published marts, as a user would meet it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import JANUARY_2023, copy_built
from tests.warehouse import edited, kerncijfers, published, review

pytestmark = pytest.mark.xdist_group("one_publication_per_month")

ORIGINAL = "kerncijfers-2023-01-4f0d79c6a2f3"
GRANT_LIST = (
    " Van de \nmeeste asielaanvragen van asielzoekers die worden ingewilligd komt:\n"
    "o 92% uit Afghanistan;\no 90% uit Turkije;\no 90% uit Jemen;\no 85% uit Syrië.\n"
)


def _document_id(path: Path, month: str) -> str:
    return f"kerncijfers-{month}-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}"


def _project(tmp_path: Path) -> Path:
    """A copy of the whole checkout's project files with the stored (undated) January 2023."""
    from tests.conftest import copy_project

    return copy_project(tmp_path / "project")


def _corrected_january(folder: Path) -> Path:
    """January 2023 corrected: Algerije replaced by Marokko, 2.490 first applications become
    2.500, and the list of grant rates by nationality is withdrawn."""
    return edited(
        JANUARY_2023,
        folder,
        [(GRANT_LIST, "\n"), ("circa 2.490", "circa 2.500"), ("o 6% uit Algerije;", "o 6% uit Marokko;")],
        name="kerncijfers-2023-01-herzien.txt",
    )


def february_2023(folder: Path, name: str = "kerncijfers-2023-02.txt", **replace: str) -> Path:
    """February 2023 made from January: its months and twelve-month windows moved on a month, its
    counts IND's page gives made consistent with it (2,194 first applications, 512 nareizigers,
    Syria 455, Somalia 157, Turkey 155, Yemen 152, Algeria 138), its year-to-date counts grown, its
    twelve-month nareizigers list complete; then each old -> new of `replace` (exactly one
    occurrence each)."""
    text = JANUARY_2023.read_text(encoding="utf-8")
    text = re.sub(
        r"februari(\s+)2022(\s+)t/m(\s+)januari(\s+)2023",
        r"maart\g<1>2022\g<2>t/m\g<3>februari\g<4>2023",
        text,
    )
    text = text.replace("JANUARI 2023", "FEBRUARI 2023").replace("in januari was", "in februari was")
    text = re.sub(r"januari(\s+)2023", r"februari\g<1>2023", text)
    path = folder / "kerncijfers-2023-02-base.txt"
    path.write_text(text, encoding="utf-8")
    return edited(
        path,
        folder,
        [
            ("circa 3.770", "circa 7.100"),
            ("circa 2.360", "circa 4.910"),
            ("circa 320)", "circa 700)"),
            ("circa 2.120", "circa 4.300"),
            ("circa 70 criminele", "circa 150 criminele"),
            ("o 65% uit Syrië;", "o 80% uit Syrië;"),  # January's twelve-month list sums to 85 %
            ("circa 2.490", "circa 2.190"),
            ("circa 390.", "circa 510."),
            ("o 26% uit Syrië;", "o 21% uit Syrië;"),
            ("o 6% uit Somalië;", "o 7% uit Somalië;"),
            ("o 6% uit Jemen;", "o 7% uit Jemen;"),
            *replace.items(),
        ],
        name=name,
    )


def test_a_corrected_month_is_shown_whole_from_the_correction_and_each_figure_says_when_it_stood(
    tmp_path: Path,
) -> None:
    """The stored January 2023 has no publication date; its correction, published on 20 February
    2023, wins the month — whole: the first-applicant list is the correction's five (Marokko, no
    Algerije), the grant rates by nationality it withdrew are gone, every value of January in
    every mart comes from it. Then the original is dated (15 February) after the fact: the
    correction still wins, and "what did the ministry say on 18 February" is one query."""
    project = _project(tmp_path)
    corrected = _corrected_january(tmp_path)
    correction = _document_id(corrected, "2023-01")
    # The correction keeps the original's twelve-month nareizigers list that sums to 85 %: the
    # finding is reviewed for it as it was for the original (a review is per publication).
    review(
        project,
        correction,
        "complete_breakdown_sums_to_100",
        "family_reunification_by_nationality_12m",
        "family_reunification rolling_12m 2022-02-01..2023-01-31",
        "As in the original: printed so.",
    )
    ingested = kerncijfers(project, "ingest", str(corrected), "--published-on", "2023-02-20")
    assert ingested.returncode == 0, ingested.stderr
    built = kerncijfers(project, "build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr

    assert published(
        project,
        "select nationality_code, share_pct, document_id from marts.fct_nationality_shares "
        "where population_code = 'first_applicants' and window_type = 'month' order by 1",
    ) == [
        (code, share, correction)
        for code, share in [("MAR", 6), ("SOM", 6), ("SYR", 26), ("TUR", 7), ("YEM", 6)]
    ]
    assert published(project, "select nationality_code, grant_rate_pct from marts.fct_grant_rates") == [
        ("TOTAL", 65.0)
    ]
    assert published(
        project, "select first_applications, document_id from marts.fct_asylum_inflow_monthly"
    ) == [(2500, correction)]
    # Every mart that names the document of its rows names the correction, and only it.
    marts = published(
        project,
        "select table_name from duckdb_columns() where schema_name = 'marts' and column_name = "
        "'document_id' and table_name not in ('fct_published_figures', 'dim_source_documents') order by 1",
    )
    assert len(marts) >= 7
    for (mart,) in marts:
        assert published(
            project, f"select distinct document_id from marts.{mart} where document_id is not null"
        ) == [(correction,)], mart
    # Every vintage stays in fct_published_figures; only the correction's figures are in use.
    assert published(
        project,
        "select document_id, count(*), count(*) filter (where is_latest_for_figure), "
        "min(valid_from), min(valid_to) from marts.fct_published_figures group by 1 order by 1",
    ) == sorted([(ORIGINAL, 39, 0, None, date(2023, 2, 20)), (correction, 35, 35, date(2023, 2, 20), None)])

    # The original dated after the fact: recorded, built, and the order is by date now.
    stored = next((project / "documents").glob("4f0d79c6a2f3*"))
    dated = kerncijfers(project, "ingest", str(stored), "--published-on", "2023-02-15")
    assert dated.returncode == 0, dated.stderr
    assert dated.stdout == f"recorded   {ORIGINAL}: published_on 2023-02-15\n"
    built = kerncijfers(project, "build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr
    as_of = (
        "select f.figure_code, f.subject_label_nl, f.published_value from marts.fct_published_figures as f "
        "where f.valid_from <= date '{day}' and (f.valid_to is null or f.valid_to > date '{day}') "
        "and f.family_code in ('first_applications', 'first_applicants_by_nationality_month') "
        "and f.subject_label_nl is distinct from 'Syrië' order by f.figure_seq"
    )
    assert published(project, as_of.format(day="2023-02-14")) == []
    assert published(project, as_of.format(day="2023-02-18")) == [
        ("first_applications", None, 2490.0),
        ("nationality_share", "Turkije", 7.0),
        ("nationality_share", "Somalië", 6.0),
        ("nationality_share", "Jemen", 6.0),
        ("nationality_share", "Algerije", 6.0),
    ]
    assert published(project, as_of.format(day="2023-03-01")) == [
        ("first_applications", None, 2500.0),
        ("nationality_share", "Turkije", 7.0),
        ("nationality_share", "Somalië", 6.0),
        ("nationality_share", "Jemen", 6.0),
        ("nationality_share", "Marokko", 6.0),
    ]
    # The README's query, as of 1 March 2023: the correction's figures, every one of them.
    from tests.project.test_readme import AS_OF

    assert {row[6] for row in published(project, AS_OF)} == {correction}
    assert len(published(project, AS_OF)) == 35
    assert published(
        project,
        "select document_id, is_latest_for_month, published_on, valid_to from marts.dim_source_documents order by 3",
    ) == [
        (ORIGINAL, False, date(2023, 2, 15), date(2023, 2, 20)),
        (correction, True, date(2023, 2, 20), None),
    ]

    def latest_as_diff_says() -> str:
        """The month's latest vintage in the marts, which `diff` names as well: the order is
        written twice, in SQL for the marts and in Python for `diff`, and they agree."""
        (latest,) = published(
            project, "select document_id from marts.dim_source_documents where is_latest_for_month"
        )
        diff = kerncijfers(project, "diff", "2023-01")
        assert diff.stdout.splitlines()[0].endswith(
            f"-> {latest[0]} (vintage {1 if latest[0] == ORIGINAL else 2})"
        )
        return latest[0]

    assert latest_as_diff_says() == correction  # the original published on 15 February, built above
    dated = kerncijfers(project, "ingest", str(stored), "--published-on", "2023-03-01", "--replace-metadata")
    assert dated.returncode == 0, dated.stderr
    assert kerncijfers(project, "build").returncode == 0
    assert latest_as_diff_says() == ORIGINAL  # published on 1 March, after the correction


def test_a_year_to_date_count_that_falls_is_not_published_unless_reviewed(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """February with departures of "circa 1.500" after January's 2.120, and Familie & Gezin
    permits of 3.000 after 3.770: negative months. Not published — the build names the rule, the
    document and the numbers. Reviewed (reviewed_findings.csv), it is published as printed, with
    the finding as a warning."""
    # The project with January 2023 published, as `make build` leaves it.
    project, warehouse = copy_built(built_project, tmp_path / "project")
    release = warehouse.read_bytes()
    february = february_2023(tmp_path, **{"circa 4.300": "circa 1.500", "circa 7.100": "circa 3.000"})
    feb = _document_id(february, "2023-02")
    ingested = kerncijfers(
        project, "ingest", str(february), "--published-on", "2023-03-14", warehouse=warehouse
    )
    assert ingested.returncode == 0, ingested.stderr

    refused = kerncijfers(project, "build", warehouse=warehouse)
    assert refused.returncode == 1
    assert (
        f"CRITICAL year_to_date_never_falls: {feb} · departures · all_aliens TOTAL 2023-02-01: "
        "value_ytd=1500, earlier_value_ytd=2120, value_in_month=-620" in refused.stdout
    )
    assert (
        f"CRITICAL year_to_date_never_falls: {feb} · regular_permits_by_purpose · regular_migrants "
        "family 2023-02-01: value_ytd=3000, earlier_value_ytd=3770, value_in_month=-770" in refused.stdout
    )
    assert warehouse.read_bytes() == release

    for family, subject in (
        ("departures", "all_aliens TOTAL 2023-02-01"),
        ("regular_permits_by_purpose", "regular_migrants family 2023-02-01"),
    ):
        review(
            project,
            feb,
            "year_to_date_never_falls",
            family,
            subject,
            "Printed so: the ministry restated its count.",
        )
    built = kerncijfers(project, "build", warehouse=warehouse)
    assert built.returncode == 0, built.stdout[-3000:]
    assert "WARNING  year_to_date_never_falls (reviewed)" in built.stdout
    assert published(
        project,
        "select reference_month, departed_ytd, departed_in_month from marts.fct_departures "
        "where population_code = 'all_aliens' order by 1",
        warehouse,
    ) == [(date(2023, 1, 1), 2120, 2120), (date(2023, 2, 1), 1500, -620)]


def _state(project: Path) -> dict[str, str]:
    return {
        str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.rglob("*"))
        if p.is_file() and p.name != ".kerncijfers.lock"
    }


def _may_2031(folder: Path) -> Path:
    """A publication about May 2031, a month that has not ended."""
    text = february_2023(folder).read_text(encoding="utf-8")
    text = text.replace("FEBRUARI 2023", "MEI 2031").replace("in februari was", "in mei was")
    text = re.sub(r"februari(\s+)2023", r"mei\g<1>2031", text)
    text = re.sub(r"maart(\s+)2022", r"juni\g<1>2030", text).replace("In 2023 zijn", "In 2031 zijn")
    path = folder / "kerncijfers-2031-05.txt"
    path.write_text(text, encoding="utf-8")
    return path


REFUSED = {
    "a twelve-month window of the month before": (
        lambda folder: february_2023(
            folder,
            **{
                "De afgelopen twaalf maanden (maart 2022 t/m februari 2023)": (
                    "De afgelopen twaalf maanden (februari 2022 t/m januari 2023)"
                ),
                "o 35% uit Syrië;": "o 53% uit Syrië;",
            },
        ),
        (),
        ":58: the period 'februari 2022 t/m januari 2023' ends in 2023-01, but this publication is "
        "about 2023-02: its First applicants by nationality (12 months) window ends in the "
        "publication's month, 2023-02",
    ),
    "a twelve-month window years before": (
        lambda folder: february_2023(
            folder,
            **{
                "De afgelopen twaalf maanden (maart 2022 t/m februari 2023)": (
                    "De afgelopen twaalf maanden (maart 2018 t/m februari 2019)"
                )
            },
        ),
        (),
        ":58: the period 'maart 2018 t/m februari 2019' ends in 2019-02, but this publication is about 2023-02",
    ),
    "a month in the future": (
        _may_2031,
        (),
        ": the title says the publication is about 2031-05, a month that has not ended yet",
    ),
    "a publication date before the month ended": (
        february_2023,
        ("--published-on", "2023-02-20"),
        ": --published-on 2023-02-20 is not after the end of 2023-02, the month the publication is about",
    ),
    "a publication date in the future": (
        february_2023,
        ("--published-on", "2031-03-14"),
        ": --published-on 2031-03-14 is after today",
    ),
    "a permit count with a space as thousands separator": (
        lambda folder: february_2023(folder, **{"circa 4.910": "circa 4 910"}),
        (),
        ":138: '4 910' has digits split by a space: one number or two?",
    ),
    "a permit count that cannot be read": (
        lambda folder: february_2023(folder, **{"(circa 4.910)": "(ca. 4.910)"}),
        (),
        ":138: cannot read the permit purpose 'Kennis & Talent (ca. 4.910)' in 'Daarna krijgen",
    ),
    "a permit count in words": (
        lambda folder: february_2023(folder, **{"(circa 700)": "(circa zevenhonderd)"}),
        (),
        ":138: cannot read the permit purpose 'Studie (circa zevenhonderd)' in 'Daarna krijgen",
    ),
    "a departures sentence in other words": (
        lambda folder: february_2023(folder, **{"circa 150 criminele": "ongeveer 150 criminele"}),
        (),
        ":165: cannot read this criminal departures sentence: 'In 2023 zijn ongeveer 150 criminele",
    ),
    "the largest permit purpose in words": (
        lambda folder: february_2023(
            folder, **{"circa 7.100 inwilligingen": "circa zevenduizend inwilligingen"}
        ),
        (),
        ":134: cannot read this permits sentence: 'De meeste procedures die ingewilligd worden",
    ),
    "circa 0 first applications": (
        lambda folder: february_2023(folder, **{"circa 2.190": "circa 0"}),
        (),
        ":42: 0 is less than any First asylum applications figure can be (min_value 1 in ",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_figure_that_cannot_be_is_refused_at_the_ingest(case: str, tmp_path: Path) -> None:
    """Refused with one line naming the file and the line; nothing stored changes (January's
    figures in particular, which a stray window used to overwrite)."""
    make, options, message = REFUSED[case]
    project = _project(tmp_path)
    document = make(tmp_path)
    before = _state(project)
    result = kerncijfers(project, "ingest", str(document), *options)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {document}") and message in line, line
    assert _state(project) == before


def test_the_february_made_here_is_accepted(tmp_path: Path) -> None:
    """The documents the refusals above start from are good: only the change is refused."""
    project = _project(tmp_path)
    result = kerncijfers(project, "ingest", str(february_2023(tmp_path)), "--published-on", "2023-03-14")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added      kerncijfers-2023-02-")


def test_verify_and_build_refuse_a_recorded_date_that_cannot_be(tmp_path: Path) -> None:
    """A manifest edited by hand to date January 2023 within January: `verify` names the line and
    how to record the right date, and the build stops before dbt runs."""
    project = _project(tmp_path)
    manifest = project / "seeds" / "raw" / "raw_source_documents.csv"
    text = manifest.read_text(encoding="utf-8")
    assert text.count("Veiligheid,,,") == 1
    manifest.write_text(text.replace("Veiligheid,,,", "Veiligheid,,2023-01-15,"), encoding="utf-8")
    for command in ("verify", "build"):
        result = kerncijfers(project, command)
        assert result.returncode == 1
        assert (
            "raw_source_documents.csv:2: published_on of kerncijfers-2023-01-4f0d79c6a2f3 2023-01-15 is not "
            "after the end of 2023-01" in result.stderr
        )
        assert "--published-on YYYY-MM-DD --replace-metadata" in result.stderr
    assert not (project / "warehouse" / "kerncijfers.duckdb").exists()


def test_an_undated_vintage_of_a_dated_month_is_refused(tmp_path: Path) -> None:
    """February 2023 is published on 14 March; a copy of it in other bytes (CRLF line ends), or any
    other vintage, ingested without a date would take the month by the order of ingest: refused."""
    project = _project(tmp_path)
    february = february_2023(tmp_path)
    assert kerncijfers(project, "ingest", str(february), "--published-on", "2023-03-14").returncode == 0
    crlf = tmp_path / "kerncijfers-2023-02-crlf.txt"
    crlf.write_bytes(february.read_bytes().replace(b"\n", b"\r\n"))
    before = _state(project)
    result = kerncijfers(project, "ingest", str(crlf))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {crlf}: 2023-02 already has dated publications (kerncijfers-2023-02-")
    assert "give this one's --published-on" in line
    assert _state(project) == before
    assert kerncijfers(project, "ingest", str(crlf), "--published-on", "2023-03-20").returncode == 0
