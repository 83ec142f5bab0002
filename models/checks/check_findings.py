"""Every finding of the checks, judged inside dbt (DuckDB only: dbt-postgres runs no Python
models).

A check is an expectation of the Great Expectations suites of gx/expectations/, judging one model
of this folder; `kerncijfers build` judges the same suites in a worker process of its own (and
excludes this model, to keep its own build fast); kerncijfers/checks/in_dbt.py does the judging,
and reads the reviewed findings from the seed dbt loaded. One row per finding; the data test
tests/dbt/checks/assert_no_critical_finding.sql fails on an unreviewed critical one, so that a
plain `dbt build` is the gate too.

dbt reads a Python model's refs from its source (literal strings only), so each check dataset is
named here: tests/kerncijfers/test_checks.py fails when one of models/checks/ is missing, and
the model stops when a suite's dataset was not handed over.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from kerncijfers.checks.in_dbt import findings_frame, judge

    frames = {
        "check_departure_shares": dbt.ref("check_departure_shares").df(),
        "check_dublin_funnel": dbt.ref("check_dublin_funnel").df(),
        "check_month_history": dbt.ref("check_month_history").df(),
        "check_nationality_breakdowns": dbt.ref("check_nationality_breakdowns").df(),
        "check_percentages": dbt.ref("check_percentages").df(),
        "check_rounded_counts": dbt.ref("check_rounded_counts").df(),
        "check_safe_country_shares": dbt.ref("check_safe_country_shares").df(),
        "check_second_sources": dbt.ref("check_second_sources").df(),
        "check_year_to_date_counts": dbt.ref("check_year_to_date_counts").df(),
    }
    reviewed = dbt.ref("reviewed_findings").df()
    return findings_frame(judge(frames, reviewed))
