"""Adding a check end to end, as CONTRIBUTING's "Adding a check" says, in a copy of the built
project: its dataset (a model of models/checks/ with its yml entry, handed to dbt by
check_findings.py) and its suite in gx/expectations/. The build judges it and publishes it with
the release; on bad data it fails, naming the check, the document, the family and the numbers."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.conftest import copy_built, full_build
from tests.warehouse import kerncijfers

NAME = "check_first_applications"
MODEL = """-- Every month's first applications, as the marts publish them.
with

inflow as (

    select * from {{ ref('fct_asylum_inflow_monthly') }}

),

final as (

    select
        document_id,
        'first_applications' as family_code,
        cast(reference_month as varchar) as subject,
        cast(first_applications as double precision) as first_applications

    from inflow

)

select * from final
"""
YML = """
  - name: check_first_applications
    description: >
      Every month's first applications. Grain: subject (the month).
    data_tests:
      - primary_key:
          arguments:
            columns: [subject]
    columns:
      - name: document_id
        description: The publication.
      - name: family_code
        description: The figure family (dim_figure_families).
      - name: subject
        description: The month.
      - name: first_applications
        description: The month's first applications.
"""
SUITE = {
    "name": NAME,
    "meta": {
        "description": "Every month's first applications.",
        "dataset": NAME,
        "report_columns": ["document_id", "family_code", "subject", "first_applications"],
    },
    "expectations": [
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "first_applications", "min_value": 1},
            "severity": "critical",
            "description": "Every month some first asylum applications are lodged.",
            "meta": {"check": "first_applications_are_lodged"},
        }
    ],
}


def _add_check(project: Path) -> None:
    checks = project / "models" / "checks"
    (checks / f"{NAME}.sql").write_text(MODEL, encoding="utf-8")
    yml = (checks / "_checks__models.yml").read_text(encoding="utf-8")
    (checks / "_checks__models.yml").write_text(
        yml.replace("\nmodels:\n", "\nmodels:" + YML, 1), encoding="utf-8"
    )
    findings = checks / "check_findings.py"
    anchor = "    frames = {\n"
    line = f'        "{NAME}": dbt.ref("{NAME}").df(),\n'
    findings.write_text(
        findings.read_text(encoding="utf-8").replace(anchor, anchor + line, 1), encoding="utf-8"
    )
    (project / "gx" / "expectations" / f"{NAME}.json").write_text(
        json.dumps(SUITE, indent=2), encoding="utf-8"
    )


def test_a_new_check_is_its_dataset_and_its_suite(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    project, warehouse = copy_built(built_project, tmp_path / "project")
    _add_check(project)

    built = kerncijfers(project, "build", warehouse=warehouse)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-2000:]
    results = json.loads((warehouse.parent / "export" / "checks.json").read_text(encoding="utf-8"))
    assert {
        "dataset": NAME,
        "check": "first_applications_are_lodged",
        "severity": "critical",
        "description": "Every month some first asylum applications are lodged.",
        "critical": 0,
        "warnings": 0,
    } in results["checks"]

    # Bad data: the full build behind the release with no first applications in January 2023.
    con = duckdb.connect(str(full_build(warehouse)))
    try:
        con.execute("update marts.fct_asylum_inflow_monthly set first_applications = 0")
    finally:
        con.close()
    checked = kerncijfers(project, "check", warehouse=warehouse)
    assert checked.returncode == 1, checked.stdout[-3000:] + checked.stderr[-2000:]
    assert (
        "  CRITICAL first_applications_are_lodged: kerncijfers-2023-01-4f0d79c6a2f3 · first_applications · "
        "2023-01-01: first_applications=0\n"
        "           Every month some first asylum applications are lodged.\n"
    ) in checked.stdout
