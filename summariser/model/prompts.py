"""Prompt templates: YAML files under prompts/, validated, rendered strictly, hashed for tracing."""

from __future__ import annotations

import hashlib
import json
import string
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from summariser.errors import ConfigError


class Shot(BaseModel):
    """One worked example: what the user says and what the model should answer."""

    model_config = ConfigDict(extra="forbid")
    user: str
    assistant: str


class PromptTemplate(BaseModel):
    """A prompt file: system text, worked examples and a user template with named fields."""

    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    system: str
    shots: list[Shot] = []
    user: str
    sha256: str = ""

    @field_validator("user")
    @classmethod
    def _fields_are_plain_names(cls, user: str) -> str:
        # A stray brace or a positional/attribute field would otherwise surface only at render
        # time, as a ValueError or KeyError from str.format in the middle of a run.
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(user) if f is not None]
        except ValueError as err:
            raise ValueError(f"{err} (write a literal brace as {{{{ or }}}})") from err
        bad = [n for n in names if not n.isidentifier()]
        if bad:
            raise ValueError(f"fields must be plain names, not {bad}")
        return user

    def fields(self) -> set[str]:
        """The names the user template needs."""
        return {f for _, f, _, _ in string.Formatter().parse(self.user) if f}

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages for these values; a missing or unknown field is an error, not a blank."""
        needed = self.fields()
        if set(values) != needed:
            raise ConfigError(
                f"prompt {self.name!r} needs fields {sorted(needed)}, got {sorted(values)}"
            )
        messages = [{"role": "system", "content": self.system}]
        for shot in self.shots:
            messages.append({"role": "user", "content": shot.user})
            messages.append({"role": "assistant", "content": shot.assistant})
        messages.append({"role": "user", "content": self.user.format(**values)})
        return messages


def prompts_dir() -> Path:
    """prompts/ inside an installed wheel, else the repository's prompts/ beside the package."""
    packaged = resources.files("summariser").joinpath("_prompts")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "prompts"


@cache
def load(name: str) -> PromptTemplate:
    """Load and validate ``prompts/<name>.yaml``; its sha256 covers the file's bytes."""
    path = prompts_dir() / f"{name}.yaml"
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(f"prompt file missing: {path}") from err
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise ConfigError(f"prompt file {path} is not valid YAML: {_yaml_problem(err)}") from err
    if not isinstance(data, dict):
        raise ConfigError(f"prompt file {path} must be a mapping with name, version, system, user")
    try:
        template = PromptTemplate.model_validate(
            {**data, "sha256": hashlib.sha256(raw).hexdigest()}
        )
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}" for e in err.errors()
        )
        raise ConfigError(f"prompt file {path} is invalid: {_one_line(problems)}") from err
    if template.name != name:
        raise ConfigError(f"prompt file {path} is named {template.name!r}")
    return template


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _yaml_problem(err: yaml.YAMLError) -> str:
    """PyYAML's message spans several lines with a caret; keep the problem and where it is."""
    problem, mark = getattr(err, "problem", None), getattr(err, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return _one_line(str(err))


def fingerprint(template: PromptTemplate, response_schema: dict[str, object]) -> str:
    """A hash of the prompt text and the response schema the model is shown (both are prompt)."""
    blob = template.sha256 + json.dumps(response_schema, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
