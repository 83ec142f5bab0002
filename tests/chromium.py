"""Headless Chromium for the tests of the pages (the report, the dbt docs), run as a plain
subprocess: `--dump-dom` for what a page holds, `--screenshot` for what it shows, a script added
to a page for what only the browser can measure. `debian_program` finds it, or another program a
test needs from Debian (tmux)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

# The flags the environment notes give for Chromium here: no sandbox as root, no background
# connections (the network is closed: they would only fail, many at a time), a fresh profile.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def debian_program(name: str) -> str:
    """The path of a program a test needs from Debian's packages (of the same name): the test is
    skipped where it is not installed, and fails in CI, whose .ci/run installs it."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{name} is not installed: .ci/run installs Debian's {name}")
        pytest.skip(f"{name} is not installed (apt-get install {name})")
    return path


def chromium() -> str:
    return debian_program("chromium")


def run_chromium(profile: Path, *args: str) -> str:
    result = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def dump_dom(page: Path) -> str:
    return run_chromium(page.parent / "profile-dom", "--dump-dom", page.as_uri())


def screenshot(url: str, output: Path, size: tuple[int, int]) -> Image.Image:
    profile = output.with_name(f"profile-{output.stem}")
    run_chromium(profile, f"--screenshot={output}", f"--window-size={size[0]},{size[1]}", url)
    return Image.open(output).convert("RGB")


def measure(page: Path, script: str, keys: tuple[str, ...], width: int = 1280) -> dict[str, str]:
    """Open the page in Chromium, `width` pixels wide, with a script added that writes its measures
    to the body's `data-<key>` attributes, and read them back. Headless Chromium's window is at
    least 500 px wide: narrower, the page is laid out in a frame of that width (its viewport), and
    the script writes to the frame's parent (`parent.document.body.dataset`)."""
    measured = page.with_name(f"measured-{keys[0]}-{width}-{page.name}")
    measured.write_text(
        page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8"
    )
    opened, window = measured, width
    if width < 500:
        opened = measured.with_name(f"frame-{measured.name}")
        opened.write_text(
            f'<html><body><iframe src="{measured.name}" style="width:{width}px;height:3000px;border:0">'
            "</iframe></body></html>",
            encoding="utf-8",
        )
        window = 800
    dom = run_chromium(
        page.parent / f"profile-{measured.stem}",
        "--allow-file-access-from-files",
        f"--window-size={window},3000",
        "--virtual-time-budget=5000",
        "--dump-dom",
        opened.as_uri(),
    )
    found = {key: re.search(rf'data-{key}="([^"]*)"', dom) for key in keys}
    assert all(found.values()), dom[-500:]
    return {key: html.unescape(match.group(1)) for key, match in found.items() if match}
