"""`kerncijfers build` and `kerncijfers check`: new documents parsed, `dbt build`, the exports and
the expectations, in that order, then a short summary. `dbt` runs dbt; `summary` says what was
built and what the data tests found."""
