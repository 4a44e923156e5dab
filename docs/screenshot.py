"""Remake docs/review-page.png: huangzhong-2024's review page from the recorded model run.

    .venv/bin/python docs/screenshot.py

Needs Debian's chromium, chromium-driver and fonts-noto-cjk (see .ci/run). The summary is the
replayed local model's (cassettes, no model needed). The page is shown from its top (the
overview, 总体情况) after a click on the first achievements item, so its span in the source is
highlighted.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summariser.output.review import render_review  # noqa: E402
from summariser.pipeline.replay import summarise_cases  # noqa: E402
from summariser.reading.documents import read_document  # noqa: E402
from tests import chromium  # noqa: E402

STEM = "huangzhong-2024"
OUT = ROOT / "docs" / "review-page.png"


def main() -> None:
    reason = chromium.missing()
    if reason:
        sys.exit(f"screenshot: {reason}")
    report = ROOT / "examples" / "reports" / f"{STEM}.txt"
    summary = summarise_cases([report], ROOT / "cassettes")[STEM]
    item = "i-achievements-0"
    with tempfile.TemporaryDirectory() as tmp, chromium.chromium(1400, 900) as browser:
        page = Path(tmp) / f"{STEM}.html"
        page.write_text(render_review(summary, read_document(report).text), encoding="utf-8")
        # the window's size includes its frame; the page gets exactly 1400 x 900
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.get(chromium.url(page))
        browser.execute_script(
            "const el = document.getElementById(arguments[0]);"
            "const pane = document.querySelector('.summary-pane');"
            "el.querySelector('h3').click(); pane.scrollTop = 0;",
            item,
        )
        time.sleep(0.3)
        assert not chromium.errors(browser)
        browser.save_screenshot(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
