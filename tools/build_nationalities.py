"""Build the nationality reference seeds from public code lists.

Run once, and again only when the pinned Babel or pycountry version changes:

    .venv/bin/python tools/build_nationalities.py

It writes `seeds/reference/ref_nationalities.csv` (one row per nationality code) and
`seeds/reference/ref_nationality_labels.csv` (one row per Dutch spelling a publication may use).
The output is committed; `tests/ingest/test_reference_seeds.py` rebuilds it into a temporary
directory and fails if it no longer matches, so a hand edit or a silent library upgrade shows up.

Sources:
- ISO 3166-1 (alpha-2 and alpha-3 codes): pycountry, which ships the Debian iso-codes data. Babel
  has names per territory but no alpha-3 table, hence the second library.
- Dutch and English names: Unicode CLDR, as bundled with Babel (`Locale(...).territories`).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycountry
from babel import Locale
from babel.core import get_cldr_version

# Run as a script from the project root, or imported by the tests: core is the project's package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.labels import label_key  # noqa: E402 - after the project root is on the path

DEFAULT_OUTPUT_DIR = Path(__file__).resolve().parents[1] / "seeds" / "reference"

NATIONALITIES_FILE = "ref_nationalities.csv"
LABELS_FILE = "ref_nationality_labels.csv"

NATIONALITY_COLUMNS = (
    "nationality_code",
    "iso2_code",
    "name_en",
    "name_nl",
    "is_country",
    "source",
)
LABEL_COLUMNS = ("label_nl", "nationality_code", "label_kind")

# Kosovo has no officially assigned ISO 3166-1 code. XK / XKX are the user-assigned codes the
# European Commission, Eurostat and the IND use, and Kosovars are a real nationality in the
# asylum figures, so it is a country here even though pycountry does not list it.
KOSOVO_ISO2 = "XK"
KOSOVO_ISO3 = "XKX"


@dataclass(frozen=True)
class Residual:
    """A nationality code that is not a country: publications report these groups too."""

    code: str
    name_en: str
    name_nl: str
    # Other Dutch spellings of the same group; name_nl is always a label as well.
    variants: tuple[str, ...] = ()


RESIDUALS: tuple[Residual, ...] = (
    Residual(
        "OTHER",
        "Other nationalities",
        "Overige nationaliteit",
        ("Overige nationaliteiten", "Overige", "Overig", "Overige landen"),
    ),
    Residual("STATELESS", "Stateless", "Staatloos", ("Stateloos", "Staatlozen")),
    Residual(
        "UNKNOWN",
        "Unknown nationality",
        "Onbekend",
        ("Onbekende nationaliteit", "Nationaliteit onbekend"),
    ),
    Residual("TOTAL", "All nationalities", "Alle nationaliteiten", ("Totaal",)),
)

# Dutch spellings that publications (IND, rijksoverheid.nl, CBS, older Kerncijfers) use where CLDR
# has another name. Only spellings that point at one country are listed: a bare "Congo" or
# "Guinee-…" prefix would be a guess, and a wrong match is worse than an unmapped label, which the
# staging tests report.
VARIANT_LABELS: dict[str, tuple[str, ...]] = {
    # CLDR switched the English name to Türkiye; Dutch publications keep Turkije (the CLDR Dutch
    # name) but Türkiye also appears, e.g. in texts translated from English. (Türkije is Turkije
    # under the label rule, and Côte d’Ivoire Côte d'Ivoire: neither needs a row.)
    "TUR": ("Türkiye",),
    "COD": ("Democratische Republiek Congo", "DR Congo"),  # CLDR: Congo-Kinshasa
    "COG": ("Republiek Congo",),  # CLDR: Congo-Brazzaville
    "CIV": ("Côte d'Ivoire",),  # CLDR: Ivoorkust
    "PSE": ("Palestina",),  # CLDR: Palestijnse gebieden
    "MKD": ("Macedonië",),  # CLDR: Noord-Macedonië; the name before February 2019
    "CZE": ("Tsjechische Republiek",),  # CLDR: Tsjechië
    "BLR": ("Wit-Rusland",),  # CLDR: Belarus
    "USA": ("Verenigde Staten van Amerika",),  # CLDR: Verenigde Staten
    "MMR": ("Myanmar", "Birma", "Burma"),  # CLDR: Myanmar (Birma)
    "SWZ": ("Swaziland",),  # CLDR: Eswatini; the name before 2018
    "GBR": ("Groot-Brittannië",),  # CLDR: Verenigd Koninkrijk
    "CPV": ("Kaapverdische Eilanden", "Cabo Verde"),  # CLDR: Kaapverdië
    "TLS": ("Timor-Leste",),  # CLDR: Oost-Timor
    "BIH": ("Bosnië-Herzegovina", "Bosnië-Herzegowina"),  # CLDR: Bosnië en Herzegovina
    "RUS": ("Russische Federatie",),  # CLDR: Rusland
    "MDA": ("Moldova",),  # CLDR: Moldavië
    "SAU": ("Saudi-Arabië",),  # CLDR: Saoedi-Arabië
    "HKG": ("Hongkong",),  # CLDR: Hongkong SAR van China
    "MAC": ("Macau",),  # CLDR: Macau SAR van China
    "KGZ": ("Kirgizstan",),  # CLDR: Kirgizië
}


def _versions() -> str:
    return (
        f"ISO 3166-1 via pycountry {importlib.metadata.version('pycountry')}; "
        f"names CLDR {get_cldr_version()} via Babel {importlib.metadata.version('babel')}"
    )


def build_nationalities() -> list[dict[str, str]]:
    """One row per nationality code: every ISO 3166-1 country, Kosovo, and the residual groups."""
    names_nl = Locale("nl").territories
    names_en = Locale("en").territories
    source = _versions()

    iso2_to_iso3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    iso2_to_iso3[KOSOVO_ISO2] = KOSOVO_ISO3

    rows: list[dict[str, str]] = []
    for iso2, iso3 in iso2_to_iso3.items():
        if iso2 not in names_nl or iso2 not in names_en:
            # A new ISO code that this CLDR version does not name yet: stop rather than write a
            # row without a name that staging could never match.
            raise RuntimeError(f"CLDR {get_cldr_version()} has no Dutch or English name for {iso2}")
        row_source = source
        if iso2 == KOSOVO_ISO2:
            row_source = (
                "user-assigned code XK/XKX as used by the European Commission and the IND "
                f"(not an officially assigned ISO 3166-1 code); names CLDR {get_cldr_version()} "
                f"via Babel {importlib.metadata.version('babel')}"
            )
        rows.append(
            {
                "nationality_code": iso3,
                "iso2_code": iso2,
                "name_en": names_en[iso2],
                "name_nl": names_nl[iso2],
                "is_country": "true",
                "source": row_source,
            }
        )
    for residual in RESIDUALS:
        rows.append(
            {
                "nationality_code": residual.code,
                "iso2_code": "",
                "name_en": residual.name_en,
                "name_nl": residual.name_nl,
                "is_country": "false",
                "source": ("project residual code: a group reported in the publications, not a country"),
            }
        )
    return sorted(rows, key=lambda row: row["nationality_code"])


def build_labels(nationalities: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """One row per Dutch label; fails if two codes would claim labels of the same key."""
    codes = {row["nationality_code"] for row in nationalities}
    candidates: list[tuple[str, str, str]] = []
    for row in nationalities:
        if row["is_country"] == "true":
            candidates.append((row["name_nl"], row["nationality_code"], "cldr"))
    for residual in RESIDUALS:
        for label in (residual.name_nl, *residual.variants):
            candidates.append((label, residual.code, "variant"))
    for code, labels in VARIANT_LABELS.items():
        if code not in codes:
            raise RuntimeError(f"variant labels given for {code}, which is not a nationality code")
        for label in labels:
            candidates.append((label, code, "variant"))

    # Labels are matched by their key (core.labels.label_key: case, accents, apostrophes, hyphens
    # and full-width forms folded), so uniqueness must hold for the key. A variant that merely
    # repeats a label of the same code under that rule (Turkije and Türkije, Bahama's and
    # Bahama’s) is dropped (CLDR wins); one that points at another code is a mistake above.
    by_key: dict[str, tuple[str, str, str]] = {}
    for label, code, kind in candidates:
        key = label_key(label)
        if key in by_key:
            if by_key[key][1] != code:
                raise RuntimeError(f"label {label!r} would map to both {by_key[key][1]} and {code}")
            continue
        by_key[key] = (label.strip(), code, kind)

    rows = [
        {"label_nl": label, "nationality_code": code, "label_kind": kind}
        for label, code, kind in by_key.values()
    ]
    return sorted(rows, key=lambda row: (row["label_nl"].casefold(), row["label_nl"]))


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    # Fixed newline and quoting so the bytes depend only on the data, not on the platform.
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build(output_dir: Path = DEFAULT_OUTPUT_DIR) -> tuple[Path, Path]:
    """Write both seeds into output_dir and return their paths."""
    output_dir.mkdir(parents=True, exist_ok=True)
    nationalities = build_nationalities()
    labels = build_labels(nationalities)
    nationalities_path = output_dir / NATIONALITIES_FILE
    labels_path = output_dir / LABELS_FILE
    _write_csv(nationalities_path, NATIONALITY_COLUMNS, nationalities)
    _write_csv(labels_path, LABEL_COLUMNS, labels)
    return nationalities_path, labels_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help=f"where to write the CSV files (default: {DEFAULT_OUTPUT_DIR})",
    )
    args = parser.parse_args(argv)
    for path in build(args.output_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
