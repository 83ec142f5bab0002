"""Connecting to the PostgreSQL target as the role dbt builds with, from KERNCIJFERS_PG_* (the same
variables as profiles/profiles.yml), with one clear error when it cannot be reached."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.errors import WarehouseError

WHERE = "PostgreSQL (KERNCIJFERS_PG_*)"


@contextmanager
def owner_connection() -> Iterator[Any]:
    import psycopg2

    try:
        con = psycopg2.connect(
            host=os.environ.get("KERNCIJFERS_PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("KERNCIJFERS_PG_PORT", "5432")),
            user=os.environ.get("KERNCIJFERS_PG_USER", "kerncijfers"),
            password=os.environ.get("KERNCIJFERS_PG_PASSWORD"),
            dbname=os.environ.get("KERNCIJFERS_PG_DBNAME", "kerncijfers"),
            connect_timeout=10,
        )
    except psycopg2.Error as exc:
        raise WarehouseError(WHERE, f"cannot connect: {str(exc).strip()}") from None
    try:
        yield con
    finally:
        con.close()
