"""The Great Expectations checks over the marts (`kerncijfers check`, and the end of a build).

The suites live in the project's `gx/` folder, where Great Expectations keeps them: for each
dataset a suite `gx/expectations/<name>.json` in Great Expectations' own format, every expectation
with a plain-words description, a severity and the rule it checks (`meta.rule`), and the query on
the marts it validates, `gx/datasets/<name>.sql`. `suites` reads them; `validate` runs them.
"""

from kerncijfers.checks.suites import Suite, load_suites
from kerncijfers.checks.validate import CheckReport, Finding, run_checks

__all__ = ["CheckReport", "Finding", "Suite", "load_suites", "run_checks"]
