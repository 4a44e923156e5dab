"""Configuration, read when a command runs (never at import): endpoint, model, state directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LOCAL = "local"
"""The base_url value meaning: start the embedded local model."""
MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
"""The embedded local model, the default when no endpoint is configured."""


def state_dir() -> Path:
    """The one directory holding all on-disk state (model weights, server log).

    ``SUMMARISER_HOME`` overrides it; the default follows XDG_DATA_HOME.
    """
    home = os.environ.get("SUMMARISER_HOME")
    if home:
        path = Path(home)
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "summariser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Endpoint:
    """Where the model lives. ``base_url == LOCAL`` means the embedded local server."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    mode: str = "text"
    """How answers are asked for (``summariser.model.door``): text, json or md_json. Unless set, text
    for the embedded local model (a JSON grammar slows it by a third) and json elsewhere (an
    endpoint's own JSON mode, which hosted models honour)."""

    @property
    def is_local(self) -> bool:
        return self.base_url == LOCAL


def resolve_endpoint(model: str | None = None, base_url: str | None = None) -> Endpoint:
    """Options first, then SUMMARISER_MODEL / OPENAI_BASE_URL / OPENAI_API_KEY /
    SUMMARISER_MODE, then local."""
    url = base_url or os.environ.get("OPENAI_BASE_URL") or LOCAL
    name = model or os.environ.get("SUMMARISER_MODEL") or (MODEL_NAME if url == LOCAL else "")
    if not name:
        name = "gpt-4o-mini"
    key = os.environ.get("OPENAI_API_KEY") or "not-needed"
    mode = os.environ.get("SUMMARISER_MODE") or ("text" if url == LOCAL else "json")
    return Endpoint(
        base_url=url.rstrip("/") if url != LOCAL else url, model=name, api_key=key, mode=mode
    )


def token_prices() -> tuple[float, float] | None:
    """The price of a million tokens in and out (SUMMARISER_PRICE_IN, SUMMARISER_PRICE_OUT, in
    the provider's currency), for the batch rounds' cost; None when either is not set.

    Raises:
        ConfigError: a price that is not a number.
    """
    from summariser.errors import ConfigError

    raw = (os.environ.get("SUMMARISER_PRICE_IN"), os.environ.get("SUMMARISER_PRICE_OUT"))
    if not raw[0] or not raw[1]:
        return None
    try:
        return float(raw[0]), float(raw[1])
    except ValueError:
        raise ConfigError(
            f"token prices must be numbers, not {raw[0]!r} and {raw[1]!r}",
            hint="SUMMARISER_PRICE_IN / SUMMARISER_PRICE_OUT: price per million tokens",
        ) from None
