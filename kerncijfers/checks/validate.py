"""Judging the check datasets with the suites: findings with severity, check and numbers.

Each check is written once, as an expectation with its severity and `meta.check`; a critical
finding stops a build from being published, a warning is reported. A finding a maintainer has reviewed
(seeds/reviewed/reviewed_findings.csv: the publication is inconsistent and cannot be corrected) is
reported as a warning whatever its severity. Every finding names the document, the figure family,
the subject and the numbers involved.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import WarehouseError
from kerncijfers.checks.severity import Severity
from kerncijfers.checks.suites import WHERE_COLUMNS, Reviewed, Suite, check_name


@dataclass(frozen=True)
class Finding:
    """One row of a dataset that fails one check."""

    severity: Severity
    check: str
    description: str
    dataset: str
    row: dict[str, Any]
    reviewed: bool = False

    def describe(self) -> str:
        where = " · ".join(str(self.row[key]) for key in WHERE_COLUMNS if self.row.get(key) not in (None, ""))
        numbers = ", ".join(
            f"{key}={_number(value)}" for key, value in self.row.items() if key not in WHERE_COLUMNS
        )
        return f"{where}: {numbers}" if numbers else where


@dataclass
class CheckReport:
    findings: list[Finding]
    checks_run: int
    data_docs: Path | None = None

    @property
    def critical(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.CRITICAL]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != Severity.CRITICAL]

    def ordered(self) -> list[Finding]:
        """The findings, critical ones first, each by its check."""
        return sorted(self.findings, key=lambda f: (f.severity != Severity.CRITICAL, f.check))

    def render(self) -> str:
        lines = [
            f"Checks: {self.checks_run} run, {len(self.critical)} critical "
            f"finding(s), {len(self.warnings)} warning(s)"
        ]
        for finding in self.ordered():
            reviewed = " (reviewed)" if finding.reviewed else ""
            lines.append(f"  {finding.severity.upper():<8} {finding.check}{reviewed}: {finding.describe()}")
            lines.append(f"           {finding.description}")
        if self.data_docs is not None:
            lines.append(f"Data Docs: {self.data_docs}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "checks_run": self.checks_run,
            "findings": [asdict(finding) for finding in self.findings],
            "data_docs": str(self.data_docs) if self.data_docs else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckReport:
        findings = [
            Finding(**{**finding, "severity": Severity(finding["severity"])}) for finding in data["findings"]
        ]
        docs = data.get("data_docs")
        return cls(findings, int(data["checks_run"]), Path(docs) if docs else None)


def _exception(info: Any) -> str | None:
    """The message of the exception a check raised, or None. Great Expectations reports it at the
    top of `exception_info` or, when a metric failed (a column the dataset lacks), under each
    metric's id: without this the check would count as failed, with an empty finding."""
    if not info:
        return None
    reports = (
        [info]
        if "raised_exception" in info
        else [value for value in info.values() if isinstance(value, dict)]
    )
    for report in reports:
        if report.get("raised_exception"):
            return str(report.get("exception_message"))
    return None


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _plain(value: Any) -> Any:
    """A value of a pandas row as plain Python (numpy numbers, NaN as None)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def import_great_expectations() -> Any:
    """Great Expectations, quiet: no analytics, no progress bars, errors only in the log."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    return gx


def validate(
    suites: list[Suite], frames: dict[str, Any], reviewed: Reviewed, data_docs_dir: Path | None = None
) -> CheckReport:
    """Judge each suite's frame; findings a maintainer reviewed become warnings."""
    gx = import_great_expectations()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs_dir is not None:
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        # Great Expectations logs a failed write of its pages and carries on: find out here, as
        # one OSError naming the folder, whether they can be written at all.
        probe = data_docs_dir / ".writable"
        probe.write_bytes(b"\0" * 65536)
        probe.unlink()
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
    source = context.data_sources.add_pandas("checks")

    findings: list[Finding] = []
    run = 0
    for suite in suites:
        expectation_suite = context.suites.add(gx.ExpectationSuite(**suite.definition))
        # A suite naming an expectation type GX does not know loads without it (and only logs):
        # refuse that rather than check less than the files say.
        if len(expectation_suite.expectations) != suite.expectation_count:
            raise WarehouseError(
                suite.path,
                f"{suite.expectation_count} expectations in the file, {len(expectation_suite.expectations)} loaded",
            )
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=expectation_suite)
        )
        actions = [gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if data_docs_dir is not None else []
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=suite.name,
                validation_definitions=[definition],
                actions=actions,
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
                check = check_name({"type": config.type, "meta": config.meta})
                failure = _exception(outcome.exception_info)
                if failure is not None:
                    raise WarehouseError(suite.path, f"the check {check} could not run: {failure}")
                severity = Severity(getattr(config.severity, "value", str(config.severity)))
                for index_row in outcome.result.get("unexpected_index_list") or [{}]:
                    row = {k: _plain(index_row[k]) for k in suite.report_columns if k in index_row}
                    key = (
                        str(row.get("document_id")),
                        check,
                        str(row.get("family_code")),
                        str(row.get("subject")),
                    )
                    is_reviewed = key in reviewed
                    findings.append(
                        Finding(
                            Severity.WARNING if is_reviewed else severity,
                            check,
                            config.description or "",
                            suite.dataset,
                            row,
                            is_reviewed,
                        )
                    )
    index = data_docs_dir / "index.html" if data_docs_dir is not None else None
    return CheckReport(findings, run, index)
