"""What the report reads: the marts, read once (read-only), and the precision of their figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from core.errors import WarehouseError
from kerncijfers.report.text import count
from kerncijfers.warehouse import connect, unreadable

Row = dict[str, Any]

# The Dutch wording of a stated rounding, as the publication prints it, and its English.
ROUNDING = {
    Decimal(10): ("afgerond op tientallen", "tens"),
    Decimal(100): ("afgerond op honderdtallen", "hundreds"),
    Decimal(1000): ("afgerond op duizendtallen", "thousands"),
}


@dataclass(frozen=True)
class Source:
    """A publication, as dim_source_documents describes it."""

    document_id: str
    title: str
    reference_month: date
    vintage: int
    is_latest_for_month: bool
    sha256: str
    source_url: str | None


@dataclass(frozen=True)
class Precision:
    """How exact the published figures behind a chart are."""

    approximate: bool  # published with "circa"
    stated_rounding: tuple[Decimal, ...] = ()  # (10,) for "afgerond op tientallen"

    @property
    def exact(self) -> bool:
        return not self.approximate and not self.stated_rounding

    def badge(self) -> str:
        if self.exact:
            return "as published"
        words = ["≈ circa"] if self.approximate else []
        return " · ".join(words + [self._dutch(unit)[0] for unit in self.stated_rounding])

    def describe(self) -> str:
        if self.exact:
            return "As published (not approximate); percentages are rounded as printed, most to whole points."
        parts = []
        if self.approximate:
            parts.append("values marked ≈ are published as “circa” (approximate)")
        for unit in self.stated_rounding:
            dutch, english = self._dutch(unit)
            parts.append(f"counts are “{dutch}” (rounded to {english})")
        text = "; ".join(parts)
        return f"{text[0].upper()}{text[1:]}."

    @staticmethod
    def _dutch(unit: Decimal) -> tuple[str, str]:
        return ROUNDING.get(unit, (f"afgerond op {unit:f}", f"multiples of {count(unit)}"))


QUERIES = {
    "inflow": "select * from marts.fct_asylum_inflow_monthly order by reference_month",
    # Each list as the publication prints it (nationalities of the same share in its order).
    "shares": """
        select * from marts.fct_nationality_shares
        order by reference_month, population_code, window_type, printed_order
    """,
    "grant_rates": """
        select * from marts.fct_grant_rates
        order by reference_month, nationality_code = 'TOTAL' desc, printed_order
    """,
    "dublin": "select * from marts.fct_dublin_funnel order by reference_month",
    "permits": "select * from marts.fct_regular_permits order by reference_month, granted_ytd desc",
    "departures": "select * from marts.fct_departures order by reference_month, population_code",
    "sources": "select * from marts.dim_source_documents order by reference_month, vintage",
    # The counts of the published months beside IND's and CBS's (second sources).
    "reconciliation": """
        select r.*, coalesce(n.name_en, r.nationality_code) as name_en, f.name_en as measure_name
        from marts.fct_source_reconciliation as r
        left join marts.dim_nationalities as n on r.nationality_code = n.nationality_code
        left join marts.dim_figure_families as f on r.measure_code = f.family_code
        where r.document_id is not null
        order by r.reference_month, r.measure_code, r.nationality_code <> 'TOTAL', r.kerncijfers_count desc,
            r.nationality_code
    """,
    # Whether each figure behind a mart row was published "circa" or with a stated rounding.
    "precision": """
        select document_id, figure_code, population_code,
            bool_or(is_approximate) as is_approximate,
            max(case when rounding_basis = 'stated' then rounding_unit end) as stated_rounding
        from marts.fct_published_figures
        group by document_id, figure_code, population_code
    """,
}


@dataclass
class Warehouse:
    """The marts the report draws, read once."""

    tables: dict[str, list[Row]]
    sources: dict[str, Source]

    @property
    def months(self) -> list[date]:
        return sorted({row["reference_month"] for row in self.tables["inflow"]})

    def rows(self, table: str, **where: object) -> list[Row]:
        return [row for row in self.tables[table] if all(row[k] == v for k, v in where.items())]

    def sources_of(self, rows: Iterable[Row]) -> list[Source]:
        found = {self.sources[row["document_id"]] for row in rows}
        return sorted(found, key=lambda source: (source.reference_month, source.vintage))

    def precision_of(self, rows: Iterable[Row], figures: Iterable[tuple[str, str]]) -> Precision:
        """The precision of the published figures (figure_code, population_code) behind rows."""
        documents = {row["document_id"] for row in rows}
        wanted = set(figures)
        found = [
            row
            for row in self.tables["precision"]
            if row["document_id"] in documents and (row["figure_code"], row["population_code"]) in wanted
        ]
        units = {row["stated_rounding"] for row in found if row["stated_rounding"] is not None}
        return Precision(any(row["is_approximate"] for row in found), tuple(sorted(units)))


def read_warehouse(path: Path) -> Warehouse:
    """Read the marts the report needs; the warehouse is opened read-only and closed again."""
    con = connect(path)
    try:
        tables = {name: _fetch(con, sql) for name, sql in QUERIES.items()}
    except duckdb.CatalogException as exc:
        raise WarehouseError(path, f"the marts are missing ({exc}): run `make build`") from None
    except duckdb.BinderException as exc:  # a column this report reads is newer than the marts
        said = str(exc).splitlines()[0]
        raise WarehouseError(
            path, f"the marts are older than this report ({said}): run `make build`"
        ) from None
    except duckdb.Error as exc:  # a damaged file DuckDB opened, but cannot read
        raise unreadable(path, exc) from None
    finally:
        con.close()
    if not tables["inflow"]:
        raise WarehouseError(path, "the warehouse holds no publication yet: ingest one, then `make build`")
    sources = {
        row["document_id"]: Source(
            row["document_id"],
            row["title"],
            row["reference_month"],
            row["vintage"],
            row["is_latest_for_month"],
            row["sha256"],
            row["source_url"],
        )
        for row in tables["sources"]
    }
    return Warehouse(tables, sources)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
