"""Prompt files: every one loads and renders, bad ones fail in one line, hashes trace changes,
and the installed wheel carries them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from summariser.errors import ConfigError
from summariser.model import prompts
from summariser.model.prompts import PromptTemplate, fingerprint, load

ROOT = Path(__file__).resolve().parent.parent
PROMPT_FILES = sorted((ROOT / "prompts").glob("*.yaml"))
# What the code renders them with: pipeline.ModelDrafter (items) and `summariser memo --llm`.
CALLERS_FIELDS = {"items": {"part_name", "segment"}, "memo": {"body"}, "parts": {"headings"}}


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """load() is cached per name; no test may see another's (or a monkeypatched dir's) result."""
    load.cache_clear()
    yield
    load.cache_clear()


@pytest.fixture()
def prompt_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "prompts"
    folder.mkdir()
    monkeypatch.setattr(prompts, "prompts_dir", lambda: folder)
    return folder


GOOD = """\
name: demo
version: "1.0"
system: 你是助手。
shots:
  - user: 例子
    assistant: '{"summary": "例"}'
user: |-
  部分：{part_name}
  段落：{segment}
"""


def test_the_prompts_the_code_uses_exist() -> None:
    assert set(CALLERS_FIELDS) <= {p.stem for p in PROMPT_FILES}


@pytest.mark.parametrize("path", PROMPT_FILES, ids=lambda p: p.stem)
def test_every_prompt_file_loads_and_renders(path: Path) -> None:
    template = load(path.stem)
    assert template.name == path.stem
    assert template.version and template.system.strip() and template.user.strip()
    assert template.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    if path.stem in CALLERS_FIELDS:
        assert template.fields() == CALLERS_FIELDS[path.stem]
    values = {field: f"〈样例{n}:{field}〉" for n, field in enumerate(sorted(template.fields()))}
    messages = template.render(**values)
    roles = [m["role"] for m in messages]
    assert roles == ["system"] + ["user", "assistant"] * len(template.shots) + ["user"]
    assert messages[0]["content"] == template.system
    assert all(set(m) == {"role", "content"} and m["content"].strip() for m in messages)
    last = messages[-1]["content"]
    for value in values.values():
        assert value in last
    for field in values:
        assert "{" + field + "}" not in last


def test_render_fills_the_template_and_keeps_the_shots(prompt_dir: Path) -> None:
    (prompt_dir / "demo.yaml").write_text(GOOD, encoding="utf-8")
    messages = load("demo").render(part_name="存在的不足和原因", segment="执法不规范。")
    assert messages == [
        {"role": "system", "content": "你是助手。"},
        {"role": "user", "content": "例子"},
        {"role": "assistant", "content": '{"summary": "例"}'},
        {"role": "user", "content": "部分：存在的不足和原因\n段落：执法不规范。"},
    ]


def test_a_value_with_braces_is_inserted_verbatim(prompt_dir: Path) -> None:
    (prompt_dir / "demo.yaml").write_text(GOOD, encoding="utf-8")
    messages = load("demo").render(part_name="{segment}", segment='{"a": 1}')
    assert messages[-1]["content"] == '部分：{segment}\n段落：{"a": 1}'


@pytest.mark.parametrize(
    "values",
    [
        {"part_name": "主要举措和成效"},
        {"part_name": "主要举措和成效", "segment": "段落", "extra": "多余"},
        {"part_name": "主要举措和成效", "segmnet": "拼错"},
        {},
    ],
    ids=["missing", "unknown", "misspelt", "none"],
)
def test_a_missing_or_unknown_field_is_an_error_not_a_blank(
    prompt_dir: Path, values: dict[str, str]
) -> None:
    (prompt_dir / "demo.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load("demo").render(**values)
    assert "segment" in str(err.value) and "\n" not in str(err.value)


BAD_FILES = {
    "not-yaml": ("name: [demo\nversion: 1\n", "YAML"),
    "not-a-mapping": ("- name: demo\n", "mapping"),
    "empty": ("", "mapping"),
    "no-user": ('name: demo\nversion: "1"\nsystem: s\n', "user"),
    "extra-key": ('name: demo\nversion: "1"\nsystem: s\nuser: u\ntemperature: 0\n', "temperature"),
    "stray-brace": ('name: demo\nversion: "1"\nsystem: s\nuser: "段落：{segment"\n', "user"),
    "positional-field": ('name: demo\nversion: "1"\nsystem: s\nuser: "段落：{0}"\n', "user"),
    "attribute-field": ('name: demo\nversion: "1"\nsystem: s\nuser: "{doc.text}"\n', "user"),
    "bad-shot": ('name: demo\nversion: "1"\nsystem: s\nshots: [{user: u}]\nuser: u\n', "shots"),
}


@pytest.mark.parametrize("text,names", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_an_invalid_file_is_one_config_error_line_naming_the_problem(
    prompt_dir: Path, text: str, names: str
) -> None:
    (prompt_dir / "demo.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load("demo")
    message = str(err.value)
    assert "\n" not in message
    assert str(prompt_dir / "demo.yaml") in message
    assert names in message


def test_a_literal_brace_written_doubled_is_fine(prompt_dir: Path) -> None:
    text = (
        'name: demo\nversion: "1"\nsystem: s\nuser: "输出{{\\"summary\\": …}}；段落：{segment}"\n'
    )
    (prompt_dir / "demo.yaml").write_text(text, encoding="utf-8")
    template = load("demo")
    assert template.fields() == {"segment"}
    assert template.render(segment="X")[-1]["content"] == '输出{"summary": …}；段落：X'


def test_a_name_that_does_not_match_the_file_is_refused(prompt_dir: Path) -> None:
    (prompt_dir / "other.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load("other")
    assert "'demo'" in str(err.value) and "\n" not in str(err.value)


def test_a_missing_file_is_a_config_error(prompt_dir: Path) -> None:
    with pytest.raises(ConfigError, match="missing"):
        load("nowhere")


def test_the_sha256_follows_the_file_bytes(prompt_dir: Path) -> None:
    path = prompt_dir / "demo.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = load("demo").sha256
    assert first == hashlib.sha256(GOOD.encode()).hexdigest()
    load.cache_clear()
    path.write_text(GOOD.replace("你是助手。", "你是严谨的助手。"), encoding="utf-8")
    second = load("demo").sha256
    assert second != first
    assert second == hashlib.sha256(path.read_bytes()).hexdigest()
    load.cache_clear()
    path.write_text(GOOD + "# a comment is part of the prompt's history too\n", encoding="utf-8")
    assert load("demo").sha256 not in (first, second)


class Draft(BaseModel):
    """一个段落的摘要。"""

    summary: str = Field(description="不超过30字的摘要")


class DraftReworded(BaseModel):
    """一个段落的摘要。"""

    summary: str = Field(description="不超过20字的摘要")


class DraftWithTitle(Draft):
    title: str = Field(description="标题")


def test_the_fingerprint_covers_the_response_schema() -> None:
    template = load("items")
    base = fingerprint(template, Draft.model_json_schema())
    assert len(base) == 64 and base != template.sha256
    assert fingerprint(template, Draft.model_json_schema()) == base
    assert fingerprint(template, DraftReworded.model_json_schema()) != base
    assert fingerprint(template, DraftWithTitle.model_json_schema()) != base


def test_the_fingerprint_covers_the_prompt_and_not_key_order() -> None:
    template = load("items")
    schema = Draft.model_json_schema()
    changed = template.model_copy(update={"sha256": hashlib.sha256(b"other").hexdigest()})
    assert fingerprint(changed, schema) != fingerprint(template, schema)
    reordered = dict(reversed(list(schema.items())))
    assert fingerprint(template, reordered) == fingerprint(template, schema)


def test_a_template_built_in_code_is_validated_too() -> None:
    with pytest.raises(ValueError):
        PromptTemplate(name="x", version="1", system="s", user="{")


# --- the installed wheel ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the project's wheel offline and unpack it; return (wheel file, unpacked folder)."""
    build = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--disable-pip-version-check", "-q", "-w", str(build), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=build,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = build.glob("summariser-*.whl")
    unpacked = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(unpacked)
    return wheel, unpacked


def test_the_wheel_carries_every_prompt_file(installed_wheel: tuple[Path, Path]) -> None:
    wheel, _ = installed_wheel
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for path in PROMPT_FILES:
        assert f"summariser/_prompts/{path.name}" in names


def test_prompts_load_from_the_installed_package_not_the_checkout(
    installed_wheel: tuple[Path, Path],
) -> None:
    _, unpacked = installed_wheel
    code = (
        "import summariser\n"
        "from summariser.model.prompts import load, prompts_dir\n"
        "print(summariser.__file__)\n"
        "print(prompts_dir())\n"
        "for name in ('items', 'memo'):\n"
        "    t = load(name)\n"
        "    print(name, t.version, t.sha256)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(unpacked)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=unpacked.parent,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    package_file, directory, *loaded = result.stdout.splitlines()
    assert Path(package_file).parent == unpacked / "summariser"
    assert Path(directory) == unpacked / "summariser" / "_prompts"
    # The packaged files are byte-for-byte the reviewed ones: same hashes as the checkout's.
    for line in loaded:
        name, version, sha = line.split()
        assert sha == hashlib.sha256((ROOT / "prompts" / f"{name}.yaml").read_bytes()).hexdigest()
    assert [line.split()[0] for line in loaded] == ["items", "memo"]


def test_the_wheel_carries_the_number_word_lists(installed_wheel: tuple[Path, Path]) -> None:
    """numbers.py reads number_words.yaml from the installed package, not the checkout."""
    _, unpacked = installed_wheel
    assert (unpacked / "summariser" / "figures" / "number_words.yaml").is_file()
    code = (
        "import summariser.figures.numbers as n\n"
        "print(n.__file__)\n"
        "print([e.reason for e in n.find_exclusions('三门峡的千家万户')])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(unpacked)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=unpacked.parent,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    module_file, reasons = result.stdout.splitlines()
    assert Path(module_file).parent == unpacked / "summariser" / "figures"
    assert reasons == "['place', 'word']"
