"""Everything after the ingest: the `kerncijfers` command, building the warehouse with dbt
(`pipeline`), the Great Expectations checks (`checks`), the exports (`export`) and the report
(`report`). Reading documents and storing their figures is the `ingest` package.
"""
