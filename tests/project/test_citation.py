"""What a user who reuses the warehouse needs besides the data: the licence of the code and of the
data, how to cite it, and one version number that the package, the citation, the changelog and
`kerncijfers --version` agree on."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from kerncijfers.datapackage import LICENSE as DATA_LICENSE
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]


def test_the_code_is_mit_licensed_and_the_data_cc0() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and PYPROJECT["project"]["license"] == "MIT"
    # The data's licence is the one the exports' data package declares.
    assert DATA_LICENSE["name"] == "CC0-1.0" and "CC0 1.0" in licence


def test_the_citation_names_the_warehouse_and_the_ministrys_publication() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors", "version", "license"):
        assert citation.get(key), key
    assert str(citation["version"]) == VERSION and citation["license"] == "MIT"
    (publication,) = citation["references"]
    assert publication["title"] == "Kerncijfers asiel en migratie"
    assert publication["authors"] == [{"name": "Ministerie van Justitie en Veiligheid"}]


def test_every_version_has_its_changelog_section_and_the_command_says_which_it_is() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert versions[0][0] == VERSION  # the newest section is the package's version
    numbers = [tuple(int(part) for part in number.split(".")) for number, _ in versions]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers)
    printed = subprocess.run(
        [sys.executable, "-m", "kerncijfers", "--version"], capture_output=True, text=True, check=True
    )
    assert printed.stdout == f"kerncijfers {VERSION}\n"
