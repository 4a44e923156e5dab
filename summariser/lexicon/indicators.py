"""The standard indicators: their names, phrasings, kinds and units (``indicators.yaml``).

The vocabulary is reviewed data, like ``part_names.yaml``: each indicator says what a figure's
clause must name for the figure to count it, the units it may carry, and, where reports state
it on more than one basis (收案 and 办结), which basis a comparison uses and why. The finder
that reads a report with it is :mod:`summariser.grounding.indicators`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from summariser.errors import ConfigError

__all__ = ["Act", "Indicator", "indicator_names", "indicators"]


@dataclass(frozen=True)
class Act:
    """One basis (口径) of a count: what was done to what it counts (受理, 办结, 废止 …)."""

    basis: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Indicator:
    """One standard indicator, compiled from ``indicators.yaml``."""

    name: str
    kind: Literal["rate", "count"]
    units: tuple[str, ...]
    subject: re.Pattern[str] | None
    rate: re.Pattern[str] | None
    acts: tuple[Act, ...]
    optional_act: str | None
    within: re.Pattern[str] | None
    activity: re.Pattern[str] | None
    body: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    prefer: str

    def unit_fits(self, unit: str | None) -> bool:
        """Whether a figure with this canonical unit can be a value of the indicator."""
        return unit in self.units

    @property
    def unit_label(self) -> str:
        """The unit a column of this indicator is headed with: the first the vocabulary lists."""
        return self.units[0]


def _pattern(raw: dict[str, Any], key: str) -> re.Pattern[str] | None:
    value = raw.get(key)
    return re.compile(str(value)) if value else None


def _indicator(raw: dict[str, Any]) -> Indicator:
    kind = raw["kind"]
    if kind not in ("rate", "count"):
        raise ConfigError(f"indicators.yaml: {raw['name']}: kind must be rate or count")
    acts = tuple(Act(str(a["basis"]), re.compile(str(a["pattern"]))) for a in raw.get("acts", []))
    ind = Indicator(
        name=str(raw["name"]),
        kind=kind,
        units=tuple(str(u) for u in raw["units"]),
        subject=_pattern(raw, "subject"),
        rate=_pattern(raw, "rate"),
        acts=acts,
        optional_act=raw.get("optional_act"),
        within=_pattern(raw, "within"),
        activity=_pattern(raw, "activity"),
        body=_pattern(raw, "body"),
        exclude=_pattern(raw, "not"),
        prefer=str(raw.get("prefer", "")),
    )
    if (ind.kind == "rate") != (ind.rate is not None) or (ind.kind == "count") != bool(ind.subject):
        raise ConfigError(f"indicators.yaml: {ind.name}: a rate needs `rate`, a count `subject`")
    return ind


@cache
def indicators() -> tuple[Indicator, ...]:
    """The indicators in ``indicators.yaml``, in the file's order, loaded once."""
    raw: list[dict[str, Any]] = yaml.safe_load(
        resources.files("summariser.lexicon").joinpath("indicators.yaml").read_text("utf-8")
    )
    return tuple(_indicator(r) for r in raw)


def indicator_names() -> tuple[str, ...]:
    """The standard names, in the vocabulary's order (the order of columns and sections)."""
    return tuple(i.name for i in indicators())
