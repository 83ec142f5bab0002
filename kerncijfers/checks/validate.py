"""Running the expectation suites on the marts: findings with their severity, rule and numbers.

A critical finding makes the check exit non-zero; warnings are printed and do not fail. Every
finding names the document, the figure family and the numbers involved. Data Docs (Great
Expectations' HTML pages of the results) are written to a local folder.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerncijfers.checks.suites import load_suites, read_datasets
from kerncijfers.errors import WarehouseError


@dataclass(frozen=True)
class Finding:
    """One row of a dataset that fails one expectation."""

    severity: str
    rule: str
    description: str
    suite: str
    row: dict[str, Any]

    def describe(self) -> str:
        where = " · ".join(
            str(self.row[key])
            for key in ("document_id", "family", "breakdown", "subject", "month")
            if self.row.get(key) not in (None, "")
        )
        numbers = ", ".join(
            f"{key}={_number(value)}"
            for key, value in self.row.items()
            if key not in ("document_id", "family", "breakdown", "subject", "month")
        )
        return f"{where}: {numbers}" if numbers else where


@dataclass
class CheckReport:
    findings: list[Finding]
    expectations_run: int
    data_docs: Path | None

    @property
    def critical(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "critical"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "critical"]

    def render(self) -> str:
        lines = [
            f"Expectations: {self.expectations_run} run, {len(self.critical)} critical "
            f"finding(s), {len(self.warnings)} warning(s)"
        ]
        for finding in sorted(self.findings, key=lambda f: (f.severity != "critical", f.rule)):
            lines.append(f"  {finding.severity.upper():<8} {finding.rule}: {finding.describe()}")
            lines.append(f"           {finding.description}")
        if self.data_docs is not None:
            lines.append(f"Data Docs: {self.data_docs}")
        return "\n".join(lines)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def run_checks(warehouse: Path, gx_dir: Path, data_docs_dir: Path | None = None) -> CheckReport:
    """Validate every suite of <gx_dir> against the marts of the warehouse."""
    suites = load_suites(gx_dir)
    frames = read_datasets(warehouse, suites)

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs_dir is not None:
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            site_name="kerncijfers",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(data_docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    source = context.data_sources.add_pandas("marts")

    findings: list[Finding] = []
    run = 0
    for suite in suites:
        expectation_suite = context.suites.add(gx.ExpectationSuite(**suite.definition))
        # A suite naming an expectation type GX does not know loads without it (and only logs):
        # refuse that rather than check less than the files say.
        if len(expectation_suite.expectations) != suite.expectation_count:
            raise WarehouseError(
                suite.path,
                f"{suite.expectation_count} expectations in the file, "
                f"{len(expectation_suite.expectations)} loaded",
            )
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=expectation_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=suite.name,
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")]
                if data_docs_dir is not None
                else [],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": suite.report_columns,
                },
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frames[suite.name]})
        for validation in result.run_results.values():
            for outcome in validation.results:
                run += 1
                if outcome.success:
                    continue
                config = outcome.expectation_config
                severity = getattr(config.severity, "value", str(config.severity))
                rows = outcome.result.get("unexpected_index_list") or [{}]
                if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                    raise WarehouseError(
                        suite.path,
                        f"expectation {config.meta.get('rule')} could not run: "
                        f"{outcome.exception_info.get('exception_message')}",
                    )
                for row in rows:
                    findings.append(
                        Finding(
                            severity,
                            config.meta.get("rule", config.type),
                            config.description or "",
                            suite.name,
                            {k: row[k] for k in suite.report_columns if k in row},
                        )
                    )
    index = data_docs_dir / "index.html" if data_docs_dir is not None else None
    return CheckReport(findings, run, index)
