-- Fails when the checks (models/checks/check_findings.py) found a critical finding no maintainer
-- reviewed, and names each one — check, document, subject and numbers — so that a plain
-- `dbt build` (CI) stops on it as `kerncijfers build` does. Where the findings were not judged in
-- this build (`kerncijfers build` judges them in its own worker), there is nothing to read.
{%- set findings = ref('check_findings') %}
{%- if execute and load_relation(findings) is not none %}
    {%- set critical = run_query(
        "select check_name, detail, description from " ~ findings
        ~ " where severity = 'critical' order by check_name, detail"
    ) %}
    {%- if critical.rows | length > 0 %}
        {%- set lines = [] %}
        {%- for row in critical.rows %}
            {%- do lines.append("CRITICAL " ~ row[0] ~ ": " ~ row[1] ~ "\n           " ~ row[2]) %}
        {%- endfor %}
        {{ exceptions.raise_compiler_error(
            critical.rows | length ~ " critical finding(s) of the checks:\n"
            ~ lines | join("\n")
            ~ "\nCorrect the figure (seeds/reviewed/reviewed_corrections.csv) or review the finding"
            ~ " (seeds/reviewed/reviewed_findings.csv)."
        ) }}
    {%- endif %}
{%- endif %}
select *
from {{ findings }}
where severity = 'critical'
