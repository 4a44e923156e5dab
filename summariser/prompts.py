"""Prompt templates: YAML files under prompts/, validated, rendered strictly, hashed for tracing."""

from __future__ import annotations

import hashlib
import json
import string
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

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
    return Path(__file__).resolve().parent.parent / "prompts"


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
        template = PromptTemplate.model_validate(
            {**data, "sha256": hashlib.sha256(raw).hexdigest()}
        )
    except (yaml.YAMLError, ValidationError, TypeError) as err:
        raise ConfigError(f"prompt file {path} is invalid: {err}".splitlines()[0]) from err
    if template.name != name:
        raise ConfigError(f"prompt file {path} is named {template.name!r}")
    return template


def fingerprint(template: PromptTemplate, response_schema: dict[str, object]) -> str:
    """A hash of the prompt text and the response schema the model is shown (both are prompt)."""
    blob = template.sha256 + json.dumps(response_schema, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
