"""Debian's headless Chromium, driven through /usr/bin/chromedriver by selenium: no browser is
downloaded. Without Chromium the browser tests skip, saying why; with CI=true they fail instead."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _binaries() -> tuple[str | None, str | None]:
    return shutil.which("chromium"), shutil.which("chromedriver")


def missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    browser, driver = _binaries()
    if browser is None or driver is None:
        return "Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -c constraints.txt -e '.[test]')"
    return None


def require() -> None:
    """Skip the calling test when there is no browser, or fail it when CI=true."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}")
    pytest.skip(reason)


@contextmanager
def chromium(width: int = 1440, height: int = 900) -> Iterator[Any]:
    """A fresh headless Chromium (its own empty profile), quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = _binaries()
    assert browser is not None and driver is not None
    with tempfile.TemporaryDirectory(prefix="summariser-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in [*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        session = webdriver.Chrome(options=options, service=Service(driver))
        try:
            yield session
        finally:
            session.quit()


def errors(session: Any) -> list[dict[str, Any]]:
    """The console's errors since the last call (the log is drained on reading)."""
    return [e for e in session.get_log("browser") if e.get("level") == "SEVERE"]


def url(path: Path) -> str:
    return path.resolve().as_uri()


def narrow(session: Any, width: int, height: int = 800) -> None:
    """Show pages ``width`` CSS pixels wide, as a phone does: a window is never under 500 px."""
    session.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )
