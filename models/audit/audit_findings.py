"""Every finding of the consistency rules, judged inside dbt (DuckDB only: dbt-postgres runs no
Python models).

The rules are the Great Expectations suites of gx/expectations/, the same that `kerncijfers build`
judges in a worker process of its own (which excludes this model, to keep its own build fast);
kerncijfers/checks/in_dbt.py does the judging. One row per finding; the data test
tests/dbt/audit/assert_no_critical_finding.sql fails on an unreviewed critical one, so that a
plain `dbt build` is the gate too. Each dataset a suite judges is handed over here by name (dbt
needs its refs written out); a suite whose dataset is missing here stops the model.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from kerncijfers.checks.in_dbt import findings_frame, judge

    frames = {
        "audit_departure_shares": dbt.ref("audit_departure_shares").df(),
        "audit_dublin_funnel": dbt.ref("audit_dublin_funnel").df(),
        "audit_month_history": dbt.ref("audit_month_history").df(),
        "audit_nationality_breakdowns": dbt.ref("audit_nationality_breakdowns").df(),
        "audit_percentages": dbt.ref("audit_percentages").df(),
        "audit_rounded_counts": dbt.ref("audit_rounded_counts").df(),
        "audit_safe_country_shares": dbt.ref("audit_safe_country_shares").df(),
        "audit_second_sources": dbt.ref("audit_second_sources").df(),
        "audit_year_to_date_counts": dbt.ref("audit_year_to_date_counts").df(),
    }
    reviewed = dbt.ref("reviewed_findings").df()
    return findings_frame(judge(frames, reviewed))
