"""`kerncijfers build` and `kerncijfers check`: write, audit, publish.

`build` runs the stages in order (the ingest's one call, `preflight`, then dbt and the audit of
`stages`, the next release written by `prepare`, swapped in by `publish`) on DuckDB, or on
PostgreSQL with `postgres`; `state` is what is published and what the next build starts from,
`dbt` runs dbt, `summary` says what was built and what the data tests found."""
