"""`summariser run` end to end against a model that lies (tests/hostilemodel.py).

Three small reports written for this test (a county justice bureau, a city market regulator
with thematic headings and a closing 下一步 paragraph, a town government with 一是/二是 items;
not the samples) are summarised through the real command against a loopback endpoint whose
every answer is a lie computed from the figures of the passage it was sent. No invented figure
may be shown as verified or derived, and no part the rules read may change.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summariser.schema import FALLBACK_NOTE, OK_STATUSES, PART_NAMES
from tests.fakeserver import FakeServer
from tests.hostilemodel import KINDS, HostileModel

REPORTS = Path(__file__).resolve().parent / "data" / "hostile"
SUMMARISER = Path(sys.executable).parent / "summariser"
HOSTILE_OUT: list[Path] = []  # where the fixture's hostile run wrote


def _run(args: list[str], url: str | None, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARISER_MODEL")}  # fmt: skip
    env |= {"SUMMARISER_HOME": str(home), "NO_COLOR": "1"}
    if url is not None:
        env |= {"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-hostile", "SUMMARISER_MODEL": "fake"}
    return subprocess.run(
        [str(SUMMARISER), "run", *args], env=env, capture_output=True, text=True, timeout=300
    )


def _outputs(out: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}


def _string(data: Any, pointer: str) -> str:
    for bit in pointer.split("/")[1:]:
        data = data[int(bit)] if isinstance(data, list) else data[bit]
    return str(data)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], Any]:
    tmp = tmp_path_factory.mktemp("hostile")
    rules = _run([str(REPORTS), "--engine", "rules", "--out", str(tmp / "rules"), "-q"],
                 None, tmp)  # fmt: skip
    assert rules.returncode == 0, rules.stderr
    model = HostileModel()
    with FakeServer(default=model) as srv:
        got = _run([str(REPORTS), "--out", str(tmp / "llm"), "-q", "--retries", "1"],
                   srv.base_url, tmp)  # fmt: skip
    assert "Traceback" not in got.stderr + got.stdout
    HOSTILE_OUT.append(tmp / "llm")
    return _outputs(tmp / "rules"), _outputs(tmp / "llm"), model


def test_the_hostile_model_lied_in_every_way(runs: tuple[Any, Any, HostileModel]) -> None:
    _, llm, model = runs
    assert set(llm) == {p.stem for p in REPORTS.glob("*.txt")}
    for kind in KINDS:
        assert model.asked.get(kind, 0) >= 1, (kind, model.asked)
    assert model.asked.get("labels", 0) >= 1
    assert sum(1 for lie in model.lies if lie.kind != "moved") >= 10


def test_no_invented_figure_is_shown_as_verified_or_derived(
    runs: tuple[Any, Any, HostileModel],
) -> None:
    _, llm, model = runs
    shown = 0
    for stem, data in llm.items():
        for number in data["verification"]["numbers"]:
            if number.get("origin") != "written" or "path" not in number:
                continue
            text = _string(data, number["path"])
            for lie in model.lies:
                at = text.find(lie.sentence)
                if at < 0 or not (at <= number["start"] < at + len(lie.sentence)):
                    continue
                if number["text"] != lie.figure:
                    continue
                shown += 1
                assert number["status"] not in OK_STATUSES, (stem, lie, number)
    assert shown >= 3  # lies that outlived their re-ask reach the outputs, flagged


def test_no_part_the_rules_read_is_changed(runs: tuple[Any, Any, HostileModel]) -> None:
    rules, llm, _ = runs
    for stem, data in llm.items():
        spans = {k: [i["source_span"] for i in v] for k, v in data["parts"].items()}
        assert spans == {k: [i["source_span"] for i in v] for k, v in rules[stem]["parts"].items()}
        assert data["completeness"]["missing"] == rules[stem]["completeness"]["missing"]
        assert set(data["completeness"]["found_by"].values()) == {"rule"}


def test_refused_labels_are_flagged_in_chinese(runs: tuple[Any, Any, HostileModel]) -> None:
    _, llm, _ = runs
    flags = llm["qingshan-shichang-2023"]["flags"]
    assert any("沿用规则的读法" in f for f in flags), flags
    assert "缺少法定部分：存在的不足和原因" in flags  # a report without its problems part says so


def test_unusable_answers_are_named_in_every_output(runs: tuple[Any, Any, HostileModel]) -> None:
    _, llm, _ = runs
    out = HOSTILE_OUT[-1]
    index = {r["file"]: r for r in csv.DictReader((out / "index.csv").open(encoding="utf-8"))}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "模型回答不可用" in page
    seen = 0
    for stem, data in llm.items():
        names = [
            f"{PART_NAMES[key]}第{n}条"
            for key, items in data["parts"].items()
            for n, item in enumerate(items, start=1)
            if FALLBACK_NOTE in item["flags"]
        ]
        row = index[data["source"]["name"]]
        assert int(row["model_fallback"]) == len(names)
        md = (out / f"{stem}.md").read_text(encoding="utf-8")
        review = (out / f"{stem}.html").read_text(encoding="utf-8")
        for name in names:
            assert any(f.startswith(f"{name}：") for f in data["flags"]), (name, data["flags"])
            assert name in row["model_fallback_items"] and name in md
        if names:
            seen += 1
            assert f"模型回答不可用 {len(names)} 条" in md
            assert f'<b id="n-fallback">{len(names)}</b>' in review
    assert seen >= 1  # the broken answers made some items fall back
