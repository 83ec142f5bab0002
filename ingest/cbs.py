"""`kerncijfers fetch cbs`: CBS StatLine table 83102NED as a second source, over its OData API.

83102NED ("Asielverzoeken en nareizigers; nationaliteit, geslacht en leeftijd") counts the asylum
requests and nareizigers the IND registers, per month, nationality, sex and age, rounded to
multiples of 5, and revised (provisional until the January after the year). The fetch reads the
table's dimensions (`Geslacht`, `Leeftijd`, `Nationaliteiten`) and then its `TypedDataSet` for
both sexes and all ages together, every nationality, from a given month on. Like a publication,
every response body is stored unchanged and content-addressed (`sources/cbs/<sha256>.json`, the
manifest `seeds/raw/raw_cbs_responses.csv`), and its month rows are written to
`seeds/raw/raw_cbs_asylum_requests.csv` — one row per fetch, month, nationality and measure, so
that each fetch is a vintage and CBS's revisions stay visible. Everything goes through the
journal: a response that is not what the table gives (an HTML error page, truncated JSON, an HTTP
error) stores nothing and is reported in one line.

The API lives at https://opendata.cbs.nl/ODataApi/odata (no key needed). Another address (a
mirror, or a local server in the tests) is given with `--base-url` or KERNCIJFERS_CBS_ODATA.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from core.errors import IngestError
from core.journal import commit_files, project_lock, recover
from core.project import Project
from core.seeds import Row, read_seed, render_seed

TABLE = "83102NED"
DEFAULT_BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
BASE_URL_ENV = "KERNCIJFERS_CBS_ODATA"
TIMEOUT_SECONDS = 60
MAX_RESPONSE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 100
# No count of one month reaches this (the record month had 9,945 first applications).
MAX_COUNT = 1_000_000

# The table's measures and what the warehouse calls them.
MEASURES = {
    "TotaalAsielverzoeken_1": "total_influx",
    "EersteAsielverzoekenPersonen_2": "first_applications",
    "VolgendeAsielverzoeken_3": "repeat_applications",
    "NareizigersPersonen_4": "family_reunification_arrivals",
}
RESPONSE_COLUMNS = (
    "response_sha256",
    "fetch_id",
    "fetch_number",
    "url",
    "retrieved_at",
    "stored_path",
    "size_bytes",
)
ROW_COLUMNS = (
    "fetch_id",
    "reference_month",
    "nationality_key",
    "nationality_title",
    "is_total",
    "measure_code",
    "value",
    "response_sha256",
)
_MONTH_PERIOD = re.compile(r"^(?P<year>[0-9]{4})MM(?P<month>[0-9]{2})$")


@dataclass(frozen=True)
class Response:
    url: str
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass
class FetchReport:
    fetch_id: str
    rows: int
    months: tuple[str, str] | None
    responses: int
    unchanged: bool


def base_url(given: str | None) -> str:
    url = (given or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise IngestError("--base-url", f"{url!r} is not an http(s) URL of an OData service")
    return url


def _get(url: str) -> Response:
    """One GET, its body whole, or an IngestError naming the URL and what came back."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            body = answer.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise IngestError(
            url, f"CBS answered HTTP {exc.code} {exc.reason}; nothing was stored. Try again later"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IngestError(
            url, f"cannot reach CBS ({reason}); nothing was stored. Check the connection or --base-url"
        ) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise IngestError(url, f"the response is over {MAX_RESPONSE_BYTES:,} bytes; nothing was stored")
    return Response(url, body)


def _json(response: Response) -> dict:
    """The body as an OData JSON object with a `value` list, or a message saying what it is."""
    try:
        text = response.body.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise IngestError(
            response.url, f"the response is not UTF-8 (byte {exc.start}); nothing was stored"
        ) from None
    if text.lstrip().startswith("<"):
        raise IngestError(
            response.url, "CBS sent an HTML page, not the table's JSON (an error page?); nothing was stored"
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            response.url,
            f"the response is not complete JSON ({exc.msg} at character {exc.pos} of {len(text):,}); "
            "nothing was stored. Try again",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise IngestError(
            response.url, "the response has no 'value' list: not an OData table; nothing was stored"
        )
    if not all(isinstance(row, dict) for row in data["value"]):
        raise IngestError(
            response.url, "the response's 'value' list holds other than rows; nothing was stored"
        )
    return data


def _total_key(response: Response, dimension: str, exact: bool = False) -> str:
    """The key of a dimension's total category ('Totaal mannen en vrouwen', 'Totaal'); with
    `exact`, the one titled 'Totaal' itself (Nationaliteiten also has 'Totaal Afrika' and the like)."""
    rows = _json(response)["value"]

    def is_total(title: str) -> bool:
        title = title.strip().lower()
        return title == "totaal" if exact else title.startswith("totaal")

    totals = [row for row in rows if is_total(str(row.get("Title", "")))]
    if len(totals) != 1 or not isinstance(totals[0].get("Key"), str):
        raise IngestError(
            response.url,
            f"expected one total category in {dimension}, found {len(totals)}; the table's shape has "
            "changed: nothing was stored",
        )
    return totals[0]["Key"]


def _rows(
    data_pages: list[Response],
    nationalities: Response,
    fetch_id: str,
    *,
    totals: tuple[str, str],
    start: date,
) -> list[Row]:
    titles: dict[str, str] = {}
    for row in _json(nationalities)["value"]:
        if isinstance(row.get("Key"), str):
            titles[row["Key"].strip()] = str(row.get("Title", "")).strip()
    total_nationality = _total_key(nationalities, "Nationaliteiten", exact=True)
    this_month = date.today().replace(day=1)
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for page in data_pages:
        for record in _json(page)["value"]:
            if (str(record.get("Geslacht", "")).strip(), str(record.get("Leeftijd", "")).strip()) != totals:
                continue  # a server that ignored the filter: only both sexes and all ages are kept
            period = _MONTH_PERIOD.match(str(record.get("Perioden", "")).strip())
            if period is None:
                continue  # years and quarters: the months are what the publications report
            if not 1 <= int(period["month"]) <= 12:
                raise IngestError(
                    page.url,
                    f"a row is of the period {record.get('Perioden')!r}, no month; nothing was stored",
                )
            month = date(int(period["year"]), int(period["month"]), 1)
            if month < start:
                continue  # before the month asked for
            if month >= this_month:
                raise IngestError(
                    page.url, f"a row is about {month:%Y-%m}, a month that has not ended; nothing was stored"
                )
            key = str(record.get("Nationaliteiten", "")).strip()
            if (record["Perioden"], key) in seen:
                raise IngestError(
                    page.url,
                    f"the table gives {record['Perioden']} for nationality {key!r} twice; nothing was stored",
                )
            seen.add((record["Perioden"], key))
            if key not in titles:
                raise IngestError(
                    page.url,
                    f"a row names the nationality {key!r}, which the table's Nationaliteiten do not list; "
                    "nothing was stored",
                )
            for field, measure in MEASURES.items():
                if field not in record:
                    raise IngestError(
                        page.url, f"a row has no {field}: the table's shape has changed; nothing was stored"
                    )
                value = record[field]
                if value is None:
                    continue  # CBS leaves a cell empty where it publishes no figure
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < MAX_COUNT:
                    raise IngestError(
                        page.url,
                        f"{field} of {record.get('Perioden')} is {value!r}, not a count; nothing was stored",
                    )
                rows.append(
                    {
                        "fetch_id": fetch_id,
                        "reference_month": month.isoformat(),
                        "nationality_key": key,
                        "nationality_title": titles[key],
                        "is_total": "true" if key == total_nationality else "false",
                        "measure_code": measure,
                        "value": str(value),
                        "response_sha256": page.sha256,
                    }
                )
    return rows


def _next_page(current: str, following: object) -> str:
    """The next page a response points to: resolved against the page that named it, and only on
    the same http(s) service — never a file, never another host."""
    if not isinstance(following, str):
        raise IngestError(current, "the response's odata.nextLink is not a URL; nothing was stored")
    url = urllib.parse.urljoin(current, following)
    here, there = urllib.parse.urlsplit(current), urllib.parse.urlsplit(url)
    if there.scheme not in ("http", "https") or (there.scheme, there.netloc) != (here.scheme, here.netloc):
        raise IngestError(
            current, f"the response sends the next page elsewhere ({url[:80]!r}); nothing was stored"
        )
    return url


def _query(url: str, **parameters: str) -> str:
    return f"{url}?{urllib.parse.urlencode({'$format': 'json', **parameters}, quote_via=urllib.parse.quote)}"


def fetch_cbs(
    project: Project, *, start: date, base: str | None = None, now: datetime | None = None
) -> FetchReport:
    """Fetch 83102NED from `start` (a month) on; store the responses and their rows as one change."""
    table = f"{base_url(base)}/{TABLE}"
    with project_lock(project):
        project.check_folders()
        recover(project)
        stored = read_seed(project.cbs_responses_seed, RESPONSE_COLUMNS)
        rows = read_seed(project.cbs_rows_seed, ROW_COLUMNS)
        sexes = _get(_query(f"{table}/Geslacht"))
        ages = _get(_query(f"{table}/Leeftijd"))
        nationalities = _get(_query(f"{table}/Nationaliteiten"))
        totals = (_total_key(sexes, "Geslacht"), _total_key(ages, "Leeftijd"))
        query = f"Geslacht eq '{totals[0]}' and Leeftijd eq '{totals[1]}' and Perioden ge '{start:%Y}MM{start:%m}'"
        pages = [_get(_query(f"{table}/TypedDataSet", **{"$filter": query}))]
        while (following := _json(pages[-1]).get("odata.nextLink")) is not None:
            if len(pages) >= MAX_PAGES:
                raise IngestError(pages[-1].url, "the table's pages do not end; nothing was stored")
            pages.append(_get(_next_page(pages[-1].url, following)))
        responses = [sexes, ages, nationalities, *pages]
        stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S")
        fingerprint = hashlib.sha256("".join(r.sha256 for r in responses).encode()).hexdigest()
        fetch_id = f"cbs-{TABLE}-{fingerprint[:12]}"
        new_rows = _rows(pages, nationalities, fetch_id, totals=totals, start=start)
        if not new_rows:
            raise IngestError(table, f"the table gives no month from {start:%Y-%m} on; nothing was stored")
        months = sorted({row["reference_month"][:7] for row in new_rows})
        if any(row["fetch_id"] == fetch_id for row in stored):
            return FetchReport(
                fetch_id, len(new_rows), (months[0], months[-1]), len(responses), unchanged=True
            )
        number = 1 + max((int(row["fetch_number"]) for row in stored), default=0)
        changes: dict[Path, bytes] = {}
        for response in responses:
            path = project.cbs_dir / f"{response.sha256}.json"
            if not path.exists():
                changes[path] = response.body
            stored.append(
                {
                    "response_sha256": response.sha256,
                    "fetch_id": fetch_id,
                    "fetch_number": str(number),
                    "url": response.url,
                    "retrieved_at": stamp,
                    "stored_path": str(path.relative_to(project.root)),
                    "size_bytes": str(len(response.body)),
                }
            )
        changes[project.cbs_responses_seed] = render_seed(stored, RESPONSE_COLUMNS)
        changes[project.cbs_rows_seed] = render_seed(rows + new_rows, ROW_COLUMNS)
        commit_files(project, changes)
        return FetchReport(fetch_id, len(new_rows), (months[0], months[-1]), len(responses), unchanged=False)
