"""Asking the model which standard indicator a figure counts, when its clause names two.

The rules (``grounding.indicators``) settle almost every figure; only a clause that names two
indicators side by side (办理行政复议和行政诉讼案件37件) reaches the model, with the clause, the
figure and the candidates alone. The answer must be one of the candidates or empty (a total of
several, or none): the door re-asks once on anything else, the finder checks it again, and an
unusable answer leaves the figure out.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from summariser.errors import ModelError, TransportError
from summariser.grounding.indicators import Candidate
from summariser.model.prompts import PromptTemplate
from summariser.model.prompts import load as load_prompt
from summariser.schema import IndicatorChoice

if TYPE_CHECKING:  # the door's types only: importing it would load openai for the rules engine
    from summariser.model.door import Extraction, Usage


@runtime_checkable
class ChoiceDoor(Protocol):
    """What the chooser needs from the model door."""

    def choose_indicator(
        self, messages: list[dict[str, str]], candidates: list[str]
    ) -> Extraction[IndicatorChoice]: ...


class ModelChooser:
    """Asks the model, through the door, to pick one candidate indicator: one short request."""

    def __init__(self, door: ChoiceDoor, template: PromptTemplate | None = None) -> None:
        self.door = door
        self.template = template or load_prompt("indicators")
        self.asked = 0
        self.used: list[Usage] = []
        self._lock = threading.Lock()

    def messages(self, candidate: Candidate) -> list[dict[str, str]]:
        return self.template.render(
            clause=candidate.clause, figure=candidate.figure, candidates="、".join(candidate.names)
        )

    def choose(self, candidate: Candidate) -> str | None:
        """The candidate the model names; None for an empty, refused or missing answer."""
        with self._lock:
            self.asked += 1
        try:
            got = self.door.choose_indicator(self.messages(candidate), list(candidate.names))
        except (ModelError, TransportError):
            return None  # no usable model: the figure stays out, as without a chooser
        with self._lock:
            self.used.append(got.usage)
        if got.errors or not got.value.name:
            return None
        return got.value.name
